import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { acting, actor } from '../../../test/support/actors.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../app.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { chinaDay, dueDay, EVALUATION_WINDOW_DAYS } from './evaluation.ts';
import { createEvaluationService } from './evaluation.service.ts';

interface EvaluationJson {
  level: number;
  bad: boolean;
  comment: string;
  raterName: string;
  departmentId: number;
  departmentIds: number[];
  rectification: {
    number: string | null;
    dueAt: string | null;
    outcome: string | null;
    reply: string | null;
    closedAt: string | null;
  } | null;
}

describe('好差评 over HTTP (API and pages)', () => {
  let y: TestApp;
  const cookies: Record<string, string> = {};
  let civilAffairs = 0;
  const login = (username: string, password: string) => signIn(y, username, password);
  const api = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    y.app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload ? { payload } : {}) });
  const act = async (who: string, number: string, task: number, name: string, input: object = {}) => {
    const res = await api(who, 'POST', `/api/v1/cases/${number}/actions`, {
      action: 'step',
      task,
      name,
      input,
    });
    assert.equal(res.statusCode, 200, res.body);
  };
  /** A 临时救助 case of the demo citizen: applied, accepted at the window, approved, granted. */
  const openCase = async () => {
    const res = await api('citizen', 'POST', '/api/v1/cases', {
      definition: 'demo.assistance',
      title: '临时救助申请',
      data: { reason: '家中失火', amount: 3000 },
      division: '330106',
    });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { number: string }).number;
  };
  const closedCase = async () => {
    const number = await openCase();
    await act('window', number, 1, 'accept');
    await act('handler', number, 2, 'approve', { opinion: '情况属实' });
    await act('head', number, 3, 'grant');
    return number;
  };
  const rate = (who: string, number: string, body: object) =>
    api(who, 'POST', `/api/v1/cases/${number}/evaluation`, body);
  const evaluationOf = async (who: string, number: string) => {
    const res = await api(who, 'GET', `/api/v1/cases/${number}/evaluation`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { evaluation: EvaluationJson | null; evaluableUntil: string | null };
  };
  const inbox = async (who: string) => (await api(who, 'GET', '/api/v1/inbox')).body;
  /** A CSRF token and its cookie, from a page with a form. */
  const csrf = async (url: string) => {
    const page = await api('citizen', 'GET', url);
    assert.equal(page.statusCode, 200, page.body);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = [page.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith('yw_csrf='))!
      .split(';')[0]!;
    return { token, cookie };
  };
  const postForm = async (url: string, fields: Record<string, string>) => {
    const { token, cookie } = await csrf(url);
    return y.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: `${cookies.citizen}; ${cookie}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  };

  before(async () => {
    y = await createTestApp({ seed: true });
    for (const a of DEMO_ACCOUNTS) cookies[a.username.slice(5)] = await login(a.username, a.password);
    for (const s of DEMO_STAFF.filter((x) =>
      ['demo.window', 'demo.handler', 'demo.head', 'demo.supervisor'].includes(x.username),
    ))
      cookies[s.username.slice(5)] = await login(s.username, s.password);
    cookies.sibling = (await signInStaff(y, { roles: ['supervisor'], divisionCode: '330102' })).cookie;
    const departments = await y.org.departments.list('330000', {
      includeInactive: false,
      limit: 500,
      offset: 0,
    });
    civilAffairs = departments.items.find((d) => d.name === '西湖区民政局')!.id;
  });
  after(() => y.drop());

  let good = '';
  let bad = '';

  it('lets only the applicant rate, only a closed case, and only once', async () => {
    good = await openCase();
    assert.equal((await rate('citizen', good, { level: 5 })).statusCode, 409, 'not closed yet');
    assert.equal((await evaluationOf('citizen', good)).evaluableUntil, null);
    await act('window', good, 1, 'accept');
    await act('handler', good, 2, 'approve', { opinion: '情况属实' });
    await act('head', good, 3, 'grant');
    assert.equal(
      (await rate('company', good, { level: 1, comment: '冒充' })).statusCode,
      404,
      'another applicant',
    );
    assert.equal((await rate('handler', good, { level: 5 })).statusCode, 403, 'staff do not rate');
    const before_ = await evaluationOf('citizen', good);
    assert.equal(before_.evaluation, null);
    assert.ok(before_.evaluableUntil);
    const res = await rate('citizen', good, {
      level: 5,
      comment: '<b>办理很快</b><script>x()</script>，谢谢',
    });
    assert.equal(res.statusCode, 201, res.body);
    const e = res.json() as EvaluationJson;
    assert.equal(e.comment, '办理很快，谢谢');
    assert.equal(e.bad, false);
    assert.equal(e.rectification, null);
    assert.equal(e.departmentId, civilAffairs, 'the department of the last task done (the decision)');
    assert.equal(e.departmentIds.length, 2, 'the window and civil affairs');
    const again = await rate('citizen', good, { level: 1, comment: '改主意了' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /evaluation.already_evaluated|已评价/);
    // those who may see the case see the rating; a sibling district's supervisor does not
    const seen = await evaluationOf('handler', good);
    assert.equal(seen.evaluation?.level, 5);
    assert.equal(seen.evaluation?.raterName, '张演示');
    assert.equal(seen.evaluableUntil, null);
    assert.equal((await api('sibling', 'GET', `/api/v1/cases/${good}/evaluation`)).statusCode, 404);
    assert.equal((await api('company', 'GET', `/api/v1/cases/${good}/evaluation`)).statusCode, 404);
  });

  it('refuses a bad level, a 差评 without a reason and an overlong comment, beside the field', async () => {
    const number = await closedCase();
    assert.equal((await rate('citizen', number, { level: 0 })).statusCode, 400);
    assert.equal((await rate('citizen', number, { level: 3, extra: 1 })).statusCode, 400);
    const why = await rate('citizen', number, { level: 2, comment: '<p> </p>' });
    assert.equal(why.statusCode, 400);
    assert.deepEqual(
      (why.json() as { errors: { field: string }[] }).errors.map((x) => x.field),
      ['comment'],
    );
    const long = await rate('citizen', number, { level: 4, comment: '长'.repeat(501) });
    assert.equal(long.statusCode, 400);
    assert.equal((await evaluationOf('citizen', number)).evaluation, null, 'nothing was written');
  });

  it('turns a 差评 into a rectification case in the handling department, due in 15 working days, and tells the rater', async () => {
    bad = await closedCase();
    const res = await rate('citizen', bad, { level: 2, comment: '窗口态度冷淡，材料要求说明不清' });
    assert.equal(res.statusCode, 201, res.body);
    const e = res.json() as EvaluationJson;
    assert.equal(e.bad, true);
    assert.equal(e.rectification?.number, null, 'the rater is not shown the internal case');
    assert.ok(e.rectification?.dueAt);
    const staffView = (await evaluationOf('handler', bad)).evaluation!;
    const number = staffView.rectification!.number!;
    assert.match(number, /^330000\d{4}\d{7}$/);
    const r = await y.workflow.cases.get(systemContext('330000'), number);
    assert.equal(r.definition.code, 'demo.rectification');
    assert.equal(r.state.departmentId, civilAffairs);
    assert.equal(r.state.applicant.kind, 'internal');
    assert.deepEqual(
      r.state.tasks.map((t) => [t.step, t.departmentId, t.role, t.status]),
      [['verify', civilAffairs, 'handler', 'open']],
    );
    assert.equal(r.state.data.case, bad);
    assert.equal(r.state.data.level, '不满意');
    assert.equal(r.state.data.rater, '张演示');
    const calendar = await y.workflow.calendars.forTenant('330000');
    const due = calendar.due(new Date(`${chinaDay(r.state.createdAt)}T00:00:00Z`), 15, 'working-days');
    assert.equal(dueDay(r.state.dueAt!), due.due.toISOString().slice(0, 10));
    assert.equal(e.rectification?.dueAt, r.state.dueAt!.toISOString());
    assert.match(await inbox('citizen'), /差评已转交整改/);
    assert.match(await inbox('handler'), new RegExp(number));
    // the handler finds it among the department's tasks
    const tasks = (await api('handler', 'GET', '/api/v1/tasks')).json() as {
      items: { caseNumber: string }[];
    };
    assert.ok(tasks.items.some((t) => t.caseNumber === number));
  });

  it('shows the rater the outcome and the reply once the rectification case closes, and tells them', async () => {
    const number = (await evaluationOf('handler', bad)).evaluation!.rectification!.number!;
    await act('handler', number, 1, 'confirm', { finding: '经回访核实，情况属实' });
    await act('handler', number, 2, 'done', { measures: '已对窗口人员开展服务规范培训' });
    assert.equal((await evaluationOf('citizen', bad)).evaluation!.rectification!.closedAt, null);
    await act('head', number, 3, 'rectified', {
      reply: '已整改：一次性告知材料清单，并对相关人员进行了培训。',
    });
    const e = (await evaluationOf('citizen', bad)).evaluation!;
    assert.equal(e.rectification!.outcome, 'rectified');
    assert.equal(e.rectification!.reply, '已整改：一次性告知材料清单，并对相关人员进行了培训。');
    assert.ok(e.rectification!.closedAt);
    const mail = await inbox('citizen');
    assert.match(mail, /差评整改反馈/);
    assert.match(mail, /一次性告知材料清单/);
    const page = await api('citizen', 'GET', `/account/evaluations/${bad}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('一次性告知材料清单'));
    assert.ok(page.body.includes('已整改'));
  });

  it('admits one of two ratings sent at once: one rectification case, one 409; an anonymous one names nobody', async () => {
    const number = await closedCase();
    const [a, b] = await Promise.all([
      rate('citizen', number, { level: 1, comment: '第一次提交', anonymous: true }),
      rate('citizen', number, { level: 1, comment: '第二次提交', anonymous: true }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [201, 409]);
    const e = (await evaluationOf('handler', number)).evaluation!;
    assert.equal(e.raterName, '');
    const r = await y.workflow.cases.get(systemContext('330000'), e.rectification!.number!);
    assert.equal(r.state.data.case, number);
    assert.equal(r.state.data.rater, undefined);
    assert.ok(!JSON.stringify(r.events).includes('张演示'), 'not in the rectification case’s log either');
  });

  it('counts per department within the jurisdiction: levels, 好评率, 差评数, 整改率', async () => {
    const res = await api('supervisor', 'GET', '/api/v1/evaluation/departments');
    assert.equal(res.statusCode, 200, res.body);
    const row = (
      res.json() as {
        items: {
          department: string;
          total: number;
          byLevel: Record<string, number>;
          goodRate: number;
          bad: number;
          rectified: number;
          rectificationRate: number;
        }[];
      }
    ).items.find((d) => d.department === '西湖区民政局')!;
    assert.equal(row.total, 3);
    assert.deepEqual(row.byLevel, {
      veryDissatisfied: 1,
      dissatisfied: 1,
      basicallySatisfied: 0,
      satisfied: 0,
      verySatisfied: 1,
    });
    assert.equal(row.goodRate, 1 / 3);
    assert.equal(row.bad, 2);
    assert.equal(row.rectified, 1);
    assert.equal(row.rectificationRate, 0.5);
    const sibling = (await api('sibling', 'GET', '/api/v1/evaluation/departments')).json() as {
      items: unknown[];
    };
    assert.deepEqual(sibling.items, []);
    assert.equal((await api('handler', 'GET', '/api/v1/evaluation/departments')).statusCode, 403);
    const old = (
      await api('supervisor', 'GET', '/api/v1/evaluation/departments?from=2020-01-01&to=2020-01-31')
    ).json() as { items: unknown[] };
    assert.deepEqual(old.items, []);
    assert.equal(
      (await api('supervisor', 'GET', '/api/v1/evaluation/departments?from=2026-02-01&to=2026-01-01'))
        .statusCode,
      400,
    );
    const page = await api('supervisor', 'GET', '/workbench/evaluation');
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('<svg'));
    assert.ok(page.body.includes('33.3%'));
    assert.ok(page.body.includes('西湖区民政局'));
    assert.equal((await api('handler', 'GET', '/workbench/evaluation')).statusCode, 403);
  });

  it('works as pages without JavaScript: the list, the form with its five levels, errors beside the field', async () => {
    const number = await closedCase();
    /** The two parts of the list page: cases awaiting a rating, and the ratings given. */
    const lists = async () => {
      const res = await api('citizen', 'GET', '/account/evaluations');
      assert.equal(res.statusCode, 200);
      const [awaiting, given] = res.body.split('<h2>已评价</h2>');
      assert.ok(awaiting && given);
      return { awaiting, given };
    };
    const list = await lists();
    assert.ok(list.awaiting.includes(`/account/evaluations/${number}`), 'awaiting a rating');
    assert.ok(list.given.includes(bad) && !list.awaiting.includes(bad), 'rated before');
    assert.ok(list.given.includes('核实整改') || list.given.includes('已于'), 'with what became of the 差评');
    const url = `/account/evaluations/${number}`;
    const form = await api('citizen', 'GET', url);
    for (const name of ['非常满意', '满意', '基本满意', '不满意', '非常不满意'])
      assert.ok(form.body.includes(name), name);
    assert.equal((form.body.match(/type="radio" name="level"/g) ?? []).length, 5);
    assert.ok(form.body.includes('<textarea'));
    const missing = await postForm(url, { comment: '' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /class="field field-error"/);
    assert.match(missing.body, /id="field-level-error"[^>]*>请选择满意程度/);
    const reason = await postForm(url, { level: '1', comment: '' });
    assert.equal(reason.statusCode, 400);
    assert.match(reason.body, /id="field-comment-error"/);
    assert.match(reason.body, /value="1" checked/, 'the choice is kept');
    const ok = await postForm(url, { level: '4', comment: '满意' });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `${url}?saved=1`);
    const done = await api('citizen', 'GET', `${url}?saved=1`);
    assert.ok(done.body.includes('满意'));
    assert.ok(!done.body.includes('type="radio"'), 'no form once rated');
    const twice = await y.app.inject({
      method: 'POST',
      url,
      headers: { cookie: cookies.citizen!, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'level=5',
    });
    assert.equal(twice.statusCode, 403, 'a form post without its CSRF token');
    const after_ = await lists();
    assert.ok(!after_.awaiting.includes(number) && after_.given.includes(number), 'no longer awaiting');
  });

  it('closes the window after the rating period', async () => {
    const number = await closedCase();
    const applicant = (await y.workflow.cases.get(systemContext('330000'), number)).state.applicant
      .accountId!;
    const later = createEvaluationService(y.db, {
      cases: y.workflow.cases,
      department: async () => undefined,
      notify: async () => {},
      rectificationProcess: 'demo.rectification',
      now: () => new Date(Date.now() + (EVALUATION_WINDOW_DAYS + 1) * 86_400_000),
    });
    const ctx = acting({ ...actor(applicant, ['citizen'], null), name: '张演示' });
    await assert.rejects(
      later.evaluate(ctx, number, { level: 5 }),
      (e: unknown) => e instanceof DomainError && e.code === 'evaluation.window_closed',
    );
    assert.ok(!(await later.mine(ctx)).awaiting.some((i) => i.caseNumber === number));
    assert.equal((await later.forCase(ctx, number)).evaluableUntil, null);
    assert.ok((await y.evaluation.evaluations.mine(ctx)).awaiting.some((i) => i.caseNumber === number));
  });
});
