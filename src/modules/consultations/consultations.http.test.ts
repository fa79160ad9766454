import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS } from '../../app.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import type { Item } from '../services/index.ts';

interface QuestionJson {
  id: string;
  question: string;
  caseNumber: string;
  dueOn: string;
  withinDays: number;
  status: string;
  answer: string | null;
  public: boolean;
  department: { id: number; name: string };
}

const TENANT = '330000';

describe('consultations (网上咨询) over HTTP and in pages', () => {
  let y: TestApp;
  let item: Item;
  const cookies: Record<string, string> = {};
  const api = (who: string | null, method: 'GET' | 'POST', url: string, payload?: object) =>
    y.app.inject({
      method,
      url,
      headers: who ? { cookie: cookies[who]! } : {},
      ...(payload ? { payload } : {}),
    });
  const login = (username: string, password: string) => signIn(y, username, password);
  const ask = (who: string, question: string, code = item.code) =>
    api(who, 'POST', `/api/v1/services/items/${code}/questions`, { question });
  const itemNamed = async (name: string) => {
    const found = await y.app.inject({ url: `/api/v1/services/items?q=${encodeURIComponent(name)}` });
    const code = (found.json() as { items: { code: string; name: string }[] }).items.find(
      (i) => i.name === name,
    )!.code;
    return y.services.items.get({ tenantId: TENANT }, code);
  };
  /** A page's form fields posted as the browser would, CSRF token and cookie included. */
  const submit = async (who: string, pageUrl: string, action: string, fields: Record<string, string>) => {
    const page = await api(who, 'GET', pageUrl);
    assert.equal(page.statusCode, 200, page.body);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const csrf = page.cookies.find((c) => c.name === 'yw_csrf');
    return y.app.inject({
      method: 'POST',
      url: action,
      headers: {
        cookie: csrf ? `${cookies[who]!}; yw_csrf=${csrf.value}` : cookies[who]!,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  };

  before(async () => {
    y = await createTestApp({ seed: true });
    for (const a of DEMO_ACCOUNTS) cookies[a.kind] = await login(a.username, a.password);
    cookies.civil = (
      await signInStaff(y, { roles: ['handler'], divisionCode: '330106', departmentName: '西湖区民政局' })
    ).cookie;
    cookies.market = (
      await signInStaff(y, {
        roles: ['handler'],
        divisionCode: '330106',
        departmentName: '西湖区市场监督管理局',
      })
    ).cookie;
    item = await itemNamed('最低生活保障申请');
    assert.equal(item.departmentName, '西湖区民政局');
    assert.equal(item.consultDays, 3);
  });
  after(() => y.drop());

  it("opens a case in the item's department, due within the item's working days, the question as plain text", async () => {
    const res = await ask(
      'person',
      '<p>请问<b>低保</b>申请需要哪些材料？</p><script>alert(1)</script>本人身份证 33010619900101123X，手机 13800138000',
    );
    assert.equal(res.statusCode, 201, res.body);
    const q = res.json() as QuestionJson;
    assert.equal(q.question, '请问低保申请需要哪些材料？\n本人身份证 33010619900101123X，手机 13800138000');
    assert.equal(q.status, 'open');
    assert.equal(q.withinDays, 3);
    assert.deepEqual(q.department, { id: item.departmentId, name: '西湖区民政局' });
    // Three working days after today (Beijing), on the site's calendar, walked here day by day.
    const calendar = await y.workflow.calendars.forTenant(TENANT);
    let day = new Date(`${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00Z`);
    for (let left = 3; left > 0;) {
      day = new Date(day.getTime() + 86_400_000);
      if (calendar.isWorkingDay(day)) left--;
    }
    assert.equal(q.dueOn, day.toISOString().slice(0, 10));
    const tasks = await y.db.kysely
      .selectFrom('workflow.task')
      .select(['department_id', 'status', 'definition_code'])
      .where('case_number', '=', q.caseNumber)
      .execute();
    assert.deepEqual(tasks, [
      { department_id: item.departmentId, status: 'open', definition_code: 'demo.consultation' },
    ]);
    // The department has it among its questions; another department does not; the asker sees it.
    const civil = (await api('civil', 'GET', '/api/v1/consultations')).json() as { items: QuestionJson[] };
    assert.ok(civil.items.some((x) => x.id === q.id));
    const market = (await api('market', 'GET', '/api/v1/consultations')).json() as { items: QuestionJson[] };
    assert.ok(!market.items.some((x) => x.id === q.id));
    assert.equal((await api('market', 'GET', `/api/v1/consultations/${q.id}`)).statusCode, 404);
    assert.equal((await api('person', 'GET', `/api/v1/consultations/${q.id}`)).statusCode, 200);
    assert.equal((await api('enterprise', 'GET', `/api/v1/consultations/${q.id}`)).statusCode, 404);
  });

  it('answers: only the staff of its department; the asker is notified; a public answer shows on the guide, masked', async () => {
    const q = (await ask('person', '低保的收入标准是多少？我的手机 13900139000')).json() as QuestionJson;
    const answer = { answer: '<p>西湖区现行标准为每人每月 1,240 元。</p>', publish: true };
    assert.equal(
      (await api('market', 'POST', `/api/v1/consultations/${q.id}/answer`, answer)).statusCode,
      404,
    );
    assert.equal(
      (await api('person', 'POST', `/api/v1/consultations/${q.id}/answer`, answer)).statusCode,
      403,
    );
    const res = await api('civil', 'POST', `/api/v1/consultations/${q.id}/answer`, answer);
    assert.equal(res.statusCode, 200, res.body);
    const answered = res.json() as QuestionJson;
    assert.deepEqual(
      [answered.status, answered.answer, answered.public],
      ['answered', '西湖区现行标准为每人每月 1,240 元。', true],
    );
    const again = await api('civil', 'POST', `/api/v1/consultations/${q.id}/answer`, answer);
    assert.equal(again.statusCode, 409);
    const closed = await y.db.kysely
      .selectFrom('workflow.case')
      .select('status')
      .where('number', '=', q.caseNumber)
      .executeTakeFirstOrThrow();
    assert.equal(closed.status, 'closed');
    const citizen = await y.db.kysely
      .selectFrom('identity.account')
      .select('id')
      .where('username', '=', 'demo.citizen')
      .executeTakeFirstOrThrow();
    // One message: the answer's, not the engine's generic 办结 beside it (closingNotice: false).
    const inbox = await y.db.kysely
      .selectFrom('notify.inbox_entry')
      .select(['kind', 'link'])
      .where('account_id', '=', citizen.id)
      .where((w) =>
        w.or([
          w('link', '=', `/account/consultations/${q.id}`),
          w('link', '=', `/account/cases/${q.caseNumber}`),
        ]),
      )
      .execute();
    assert.deepEqual(inbox, [{ kind: 'consultations.answered', link: `/account/consultations/${q.id}` }]);
    const audit = await y.db.kysely
      .selectFrom('audit.entry')
      .select('action')
      .where('object_id', '=', q.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['consultations.question_asked', 'consultations.question_answered'],
    );

    const listed = (await api(null, 'GET', `/api/v1/services/items/${item.code}/questions`)).json() as {
      items: { askerName: string; question: string; answer: string; department: string }[];
      total: number;
    };
    assert.equal(listed.total, 1);
    assert.deepEqual(listed.items[0], {
      ...listed.items[0],
      askerName: '张**',
      question: '低保的收入标准是多少？我的手机 139****9000',
      answer: '西湖区现行标准为每人每月 1,240 元。',
      department: '西湖区民政局',
    });
    const guide = await api(null, 'GET', `/services/items/${item.code}`);
    assert.equal(guide.statusCode, 200);
    assert.match(guide.body, /低保的收入标准是多少？我的手机 139\*\*\*\*9000/);
    assert.match(guide.body, /张\*\*/);
    assert.ok(!guide.body.includes('张演示') && !guide.body.includes('13900139000'));
    assert.match(guide.body, new RegExp(`href="/services/items/${item.code}/ask"`));
  });

  it('keeps an answer not marked public between the asker and the department', async () => {
    const q = (await ask('enterprise', '企业可以为员工代为咨询低保政策吗？')).json() as QuestionJson;
    const res = await api('civil', 'POST', `/api/v1/consultations/${q.id}/answer`, {
      answer: '可以咨询政策，但申请须由本人或其家庭成员提出。',
      publish: false,
    });
    assert.equal(res.statusCode, 200, res.body);
    const mine = (await api('enterprise', 'GET', `/api/v1/consultations/${q.id}`)).json() as QuestionJson;
    assert.equal(mine.answer, '可以咨询政策，但申请须由本人或其家庭成员提出。');
    const listed = (await api(null, 'GET', `/api/v1/services/items/${item.code}/questions`)).json() as {
      items: { question: string }[];
    };
    assert.ok(!listed.items.some((x) => x.question.includes('代为咨询')));
    const guide = await api(null, 'GET', `/services/items/${item.code}`);
    assert.ok(!guide.body.includes('代为咨询') && !guide.body.includes('本人或其家庭成员'));
  });

  it('refuses questions an item does not take, from staff, anonymous, too short, and past the waiting cap', async () => {
    const housing = await itemNamed('公共租赁住房申请');
    const {
      id: _id,
      tenantId: _t,
      status: _s,
      divisionCode: _d,
      departmentName: _n,
      updatedAt: _u,
      publishedAt: _p,
      ...input
    } = housing;
    await y.services.items.save(systemContext(TENANT), { ...input, consultDays: null }, { expectNew: false });
    const closed = await ask('person', '公租房的租金怎么算？', housing.code);
    assert.equal(closed.statusCode, 409, closed.body);
    const guide = await api(null, 'GET', `/services/items/${housing.code}`);
    assert.ok(!guide.body.includes(`/services/items/${housing.code}/ask`));
    assert.equal((await api('person', 'GET', `/services/items/${housing.code}/ask`)).statusCode, 409);
    assert.equal((await ask('person', '不存在的事项？', 'NOSUCHITEM01')).statusCode, 404);
    assert.equal((await ask('civil', '工作人员可以提问吗？')).statusCode, 403);
    assert.equal(
      (
        await api(null, 'POST', `/api/v1/services/items/${item.code}/questions`, {
          question: '匿名提问可以吗？',
        })
      ).statusCode,
      401,
    );
    const short = await ask('person', '<b>低保</b>');
    assert.equal(short.statusCode, 400);
    assert.deepEqual(
      (short.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['question'],
    );
    assert.equal((await ask('person', '长'.repeat(1001))).statusCode, 400);
    // A new account, with OPEN_MAX questions waiting, gets no further.
    const registered = await y.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: {
        kind: 'person',
        username: 'li.si',
        displayName: '李四',
        password: 'Xihu#2026lake',
        idNumber: '330106199003070014',
      },
    });
    assert.equal(registered.statusCode, 201, registered.body);
    cookies.lisi = `yw_session=${registered.cookies.find((c) => c.name === 'yw_session')!.value}`;
    for (let i = 1; i <= 10; i++)
      assert.equal((await ask('lisi', `第 ${i} 个问题：低保怎么办？`)).statusCode, 201);
    const over = await ask('lisi', '第 11 个问题：低保怎么办？');
    assert.equal(over.statusCode, 409);
    assert.equal((over.json() as { code: string }).code, 'consultations.too_many_open');
  });

  it('works in pages without JavaScript: ask from the guide, follow it, answer it in the workbench', async () => {
    const anonymous = await api(null, 'GET', `/services/items/${item.code}/ask`);
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/login\?next=/);
    const askUrl = `/services/items/${item.code}/ask`;
    const empty = await submit('person', askUrl, askUrl, { question: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /id="field-question-error"/);
    const sent = await submit('person', askUrl, askUrl, { question: '低保每年要复核吗？' });
    assert.equal(sent.statusCode, 303, sent.body);
    const followUrl = String(sent.headers.location);
    assert.match(followUrl, /^\/account\/consultations\/[A-Za-z0-9_-]{16}\?asked=1$/);
    const follow = await api('person', 'GET', followUrl);
    assert.equal(follow.statusCode, 200);
    assert.match(follow.body, /class="notice"/);
    assert.match(follow.body, /低保每年要复核吗？/);
    assert.match((await api('person', 'GET', '/account/consultations')).body, /最低生活保障申请/);

    const id = followUrl.split('/')[3]!.split('?')[0]!;
    const list = await api('civil', 'GET', '/workbench/consultations');
    assert.match(list.body, new RegExp(`href="/workbench/consultations/${id}"`));
    const one = `/workbench/consultations/${id}`;
    assert.equal((await api('market', 'GET', one)).statusCode, 404);
    const form = await api('civil', 'GET', one);
    assert.match(form.body, /type="checkbox"[^>]*name="publish"/);
    assert.match(form.body, /身份证号、手机号/);
    const answered = await submit('civil', one, one, { answer: '每年复核一次，由街道通知。', publish: '1' });
    assert.equal(answered.statusCode, 303, answered.body);
    assert.equal(answered.headers.location, `${one}?saved=1`);
    const q = (await api('person', 'GET', `/api/v1/consultations/${id}`)).json() as QuestionJson;
    assert.deepEqual([q.status, q.public, q.answer], ['answered', true, '每年复核一次，由街道通知。']);
    const page = await api('person', 'GET', `/account/consultations/${id}`);
    assert.match(page.body, /每年复核一次，由街道通知。/);
  });
});
