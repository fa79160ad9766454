import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { translator } from '../../kernel/i18n/index.ts';

const zh = translator('zh-CN');
const HTML = { accept: 'text/html,application/xhtml+xml' };
const TENANT = '330000';

interface LetterJson {
  id: string;
  status: string;
  caseNumber: string | null;
  dueAt: string | null;
  department: { id: number; name: string };
  rejectionReason: string | null;
  public: boolean;
  satisfaction: string | null;
}

describe('letters (领导信箱, 咨询投诉)', () => {
  let y: TestApp;
  let citizen = '';
  let company = '';
  let office = ''; // 浙江省人民政府办公厅: answers the 省长信箱
  let moderator = '';
  let otherHandler = '';
  let provinceOffice = 0;
  let cityOffice = 0;
  let mailbox = 0;

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: object) =>
    y.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
  const letter = (over: Record<string, unknown> = {}) => ({
    kind: 'leader',
    mailboxId: mailbox,
    title: '关于小区停车难的建议',
    body: '我家小区车位太少，晚上经常停不下车，联系电话13812345678，希望政府协调增加车位。',
    phone: '138 1234 5678',
    mayPublish: true,
    ...over,
  });
  const write = async (cookie: string, over: Record<string, unknown> = {}) => {
    const res = await api('POST', '/api/v1/letters', cookie, letter(over));
    assert.ok(res.statusCode === 201 || res.statusCode === 202, res.body);
    return { status: res.statusCode, letter: res.json() as LetterJson };
  };
  const inboxOf = async (username: string, kind: string) =>
    (
      await sql<{ params: Record<string, unknown>; link: string }>`select e.params, e.link
        from notify.inbox_entry e join identity.account a on a.id = e.account_id
        where a.username = ${username} and e.kind = ${kind} order by e.id`.execute(y.db.kysely)
    ).rows;

  before(async () => {
    y = await createTestApp({ seed: true });
    citizen = await signIn(y, 'demo.citizen', 'Demo#2026citizen');
    company = await signIn(y, 'demo.company', 'Demo#2026company');
    office = await signIn(y, 'demo.disclosure', 'Demo#2026disclosure');
    moderator = await signIn(y, 'demo.moderator', 'Demo#2026moderator');
    const departments = (
      await y.org.departments.list(TENANT, { includeInactive: false, limit: 500, offset: 0 })
    ).items;
    provinceOffice = departments.find((d) => d.name === '浙江省人民政府办公厅')!.id;
    cityOffice = departments.find((d) => d.name === '杭州市人民政府办公厅')!.id;
    otherHandler = (
      await signInStaff(y, {
        roles: ['handler'],
        divisionCode: '330100',
        departmentName: '杭州市人民政府办公厅',
      })
    ).cookie;
    const addressees = (await api('GET', '/api/v1/letters/addressees', '')).json() as {
      mailboxes: { id: number; name: string }[];
    };
    mailbox = addressees.mailboxes.find((m) => m.name === '省长信箱')!.id;
  });
  after(() => y.drop());

  it('opens a case in the mailbox’s department, due in 10 working days on the site’s calendar', async () => {
    const { status, letter: l } = await write(citizen);
    assert.equal(status, 201);
    assert.equal(l.status, 'open');
    assert.equal(l.department.id, provinceOffice);
    const calendar = await y.workflow.calendars.forTenant(TENANT);
    const task = await y.db.kysely
      .selectFrom('workflow.task')
      .select(['due_at', 'department_id'])
      .where('case_number', '=', l.caseNumber!)
      .executeTakeFirstOrThrow();
    assert.equal(Number(task.department_id), provinceOffice);
    assert.equal(new Date(l.dueAt!).toISOString(), new Date(task.due_at!).toISOString());
    const opened = await y.db.kysely
      .selectFrom('letters.letter')
      .select('received_at')
      .where('public_id', '=', l.id)
      .executeTakeFirstOrThrow();
    // The end (24:00 Beijing time) of the 10th working day after the day it arrived, not counting that day.
    const china = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const day = calendar.due(
      new Date(`${china(new Date(opened.received_at!))}T00:00:00Z`),
      10,
      'working-days',
    ).due;
    assert.equal(china(new Date(new Date(l.dueAt!).getTime() - 1)), day.toISOString().slice(0, 10));
    // The phone is kept encrypted.
    const stored = await sql<{ writer_phone: string }>`select writer_phone from letters.letter
      where public_id = ${l.id}`.execute(y.db.kysely);
    assert.ok(!stored.rows[0]!.writer_phone.includes('13812345678'));
  });

  it('names every problem of an empty or oversized letter beside its field, and writes nothing', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from letters.letter`.execute(
      y.db.kysely,
    );
    const res = await api('POST', '/api/v1/letters', citizen, {
      kind: 'complaint',
      departmentId: null,
      title: ' ',
      body: '字'.repeat(5001),
      phone: '12345',
      mayPublish: false,
    });
    assert.equal(res.statusCode, 400);
    const fields = (res.json() as { errors: { field: string; code: string }[] }).errors;
    assert.deepEqual(
      fields.map((e) => `${e.field}:${e.code}`),
      [
        'departmentId:letters.department.required',
        'title:letters.title.required',
        'body:letters.body.length',
        'phone:forms.phone.format',
      ],
    );
    // HTML is stripped before lengths are counted: tags alone are no letter.
    const tags = await api(
      'POST',
      '/api/v1/letters',
      citizen,
      letter({ body: '<p><b></b></p><script>x</script>' }),
    );
    assert.equal(tags.statusCode, 400);
    const after = await sql<{ n: number }>`select count(*)::int as n from letters.letter`.execute(
      y.db.kysely,
    );
    assert.equal(after.rows[0]!.n, before.rows[0]!.n);
    // Staff do not write letters.
    assert.equal((await api('POST', '/api/v1/letters', office, letter())).statusCode, 403);
  });

  it('holds a letter with sensitive words for moderation; released, it becomes a case as if never held', async () => {
    const { status, letter: l } = await write(citizen, {
      body: '这封信里有 测 试 敏感词，请处理一下，谢谢。',
    });
    assert.equal(status, 202);
    assert.equal(l.status, 'held');
    assert.equal(l.caseNumber, null);
    // The department does not see it; the moderator does, with the words.
    assert.equal((await api('GET', `/api/v1/letters/${l.id}`, office)).statusCode, 404);
    const held = (await api('GET', '/api/v1/moderation/held', moderator)).json() as {
      items: { kind: string; id: string; words: string[] }[];
    };
    const item = held.items.find((i) => i.id === l.id)!;
    assert.deepEqual([item.kind, item.words], ['letters', ['测试敏感词']]);
    // The writer's page says it waits for moderation.
    const mine = await y.app.inject({
      method: 'GET',
      url: `/account/letters/${l.id}`,
      headers: { ...HTML, cookie: citizen },
    });
    assert.equal(mine.statusCode, 200);
    assert.ok(mine.body.includes(zh('letters.status.held')));

    assert.equal(
      (await api('POST', `/api/v1/moderation/held/letters/${l.id}/release`, moderator)).statusCode,
      204,
    );
    const released = (await api('GET', `/api/v1/letters/${l.id}`, citizen)).json() as LetterJson;
    assert.equal(released.status, 'open');
    assert.ok(released.caseNumber && released.dueAt);
    const c = await y.db.kysely
      .selectFrom('workflow.case')
      .select(['applicant_account_id'])
      .where('number', '=', released.caseNumber)
      .executeTakeFirstOrThrow();
    const writer = await y.db.kysely
      .selectFrom('identity.account')
      .select('id')
      .where('username', '=', 'demo.citizen')
      .executeTakeFirstOrThrow();
    assert.equal(Number(c.applicant_account_id), Number(writer.id));
    assert.equal((await api('GET', `/api/v1/letters/${l.id}`, office)).statusCode, 200);
    // Released once only.
    assert.equal(
      (await api('POST', `/api/v1/moderation/held/letters/${l.id}/release`, moderator)).statusCode,
      409,
    );
  });

  it('tells the writer of a rejected letter, with the reason', async () => {
    const { letter: l } = await write(company, {
      title: '示例屏蔽词的信',
      kind: 'suggestion',
      departmentId: cityOffice,
    });
    const res = await api('POST', `/api/v1/moderation/held/letters/${l.id}/rejection`, moderator, {
      reason: '含有不文明用语',
    });
    assert.equal(res.statusCode, 204, res.body);
    const after = (await api('GET', `/api/v1/letters/${l.id}`, company)).json() as LetterJson;
    assert.deepEqual(
      [after.status, after.rejectionReason, after.caseNumber],
      ['rejected', '含有不文明用语', null],
    );
    const told = await inboxOf('demo.company', 'letters.rejected');
    assert.equal(told.at(-1)?.params.reason, '含有不文明用语');
    assert.equal(told.at(-1)?.link, `/account/letters/${l.id}`);
  });

  it("forwards to another department, whose handler then sees it; the first one's handler no longer does", async () => {
    const { letter: l } = await write(citizen, { title: '转办测试来信' });
    // Another department's handler: 404, as for a letter that does not exist.
    assert.equal((await api('GET', `/api/v1/letters/${l.id}`, otherHandler)).statusCode, 404);
    assert.equal(
      (await api('POST', `/api/v1/letters/${l.id}/reply`, otherHandler, { reply: '答复' })).statusCode,
      404,
    );
    const bad = await api('POST', `/api/v1/letters/${l.id}/forwarding`, office, {
      departmentId: provinceOffice,
      reason: '',
    });
    assert.equal(bad.statusCode, 400);
    const fwd = await api('POST', `/api/v1/letters/${l.id}/forwarding`, office, {
      departmentId: cityOffice,
      reason: '属杭州市职责范围',
    });
    assert.equal(fwd.statusCode, 200, fwd.body);
    const moved = fwd.json() as LetterJson;
    assert.equal(moved.department.id, cityOffice);
    assert.equal(moved.dueAt, l.dueAt, 'the deadline runs on');
    assert.equal((await api('GET', `/api/v1/letters/${l.id}`, office)).statusCode, 404);
    assert.equal((await api('GET', `/api/v1/letters/${l.id}`, otherHandler)).statusCode, 200);
    const task = await y.db.kysely
      .selectFrom('workflow.task')
      .select('department_id')
      .where('case_number', '=', l.caseNumber!)
      .executeTakeFirstOrThrow();
    assert.equal(Number(task.department_id), cityOffice);
  });

  it('replies, tells the writer, lets them rate once, and publishes only what the writer allowed, masked', async () => {
    const { letter: l } = await write(citizen, { title: '公开测试来信' });
    const replied = await api('POST', `/api/v1/letters/${l.id}/reply`, office, {
      reply: '<p>已协调增加车位。</p>',
      publish: true,
    });
    assert.equal(replied.statusCode, 200, replied.body);
    assert.deepEqual(
      [replied.json().status, replied.json().public, replied.json().reply],
      ['replied', true, '已协调增加车位。'],
    );
    assert.equal((await inboxOf('demo.citizen', 'letters.replied')).at(-1)?.link, `/account/letters/${l.id}`);

    const pub = await api('GET', `/api/v1/letters/published/${l.id}`, '');
    assert.equal(pub.statusCode, 200);
    assert.equal(pub.json().writerName, '张**');
    assert.ok(pub.json().body.includes('138****5678'), pub.json().body);
    assert.ok(!pub.json().body.includes('13812345678'));
    const page = await y.app.inject({ method: 'GET', url: `/letters/${l.id}`, headers: HTML });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('138****5678') && !page.body.includes('13812345678'));
    assert.ok(!page.body.includes('张三'));
    const list = await y.app.inject({ method: 'GET', url: '/letters', headers: HTML });
    assert.ok(list.body.includes(`/letters/${l.id}`));

    assert.equal(
      (await api('POST', `/api/v1/letters/${l.id}/rating`, company, { satisfaction: 'satisfied' }))
        .statusCode,
      404,
    );
    assert.equal(
      (await api('POST', `/api/v1/letters/${l.id}/rating`, citizen, { satisfaction: 'meh' })).statusCode,
      400,
    );
    assert.equal(
      (await api('POST', `/api/v1/letters/${l.id}/rating`, citizen, { satisfaction: 'basically' }))
        .statusCode,
      200,
    );
    assert.equal(
      (await api('POST', `/api/v1/letters/${l.id}/rating`, citizen, { satisfaction: 'satisfied' }))
        .statusCode,
      409,
    );

    // A letter its writer kept private never goes public, whatever the department asks.
    const { letter: p } = await write(citizen, { title: '不公开的来信', mayPublish: false });
    const r = await api('POST', `/api/v1/letters/${p.id}/reply`, office, { reply: '已答复', publish: true });
    assert.equal(r.json().public, false);
    assert.equal(
      (await api('PUT', `/api/v1/letters/${p.id}/publication`, office, { public: true })).statusCode,
      409,
    );
    assert.equal((await api('GET', `/api/v1/letters/published/${p.id}`, '')).statusCode, 404);
    // The phone in full: the department, audited.
    const phone = await api('POST', `/api/v1/letters/${p.id}/phone`, office);
    assert.equal(phone.json().phone, '13812345678');
    const audited = await sql<{ n: number }>`select count(*)::int as n from audit.entry
      where action = 'letters.phone_viewed' and object_id = ${p.id}`.execute(y.db.kysely);
    assert.equal(audited.rows[0]!.n, 1);
  });

  it('counts per department received, replied, on time by the working-day deadline, and satisfaction', async () => {
    const { letter: late } = await write(company, { title: '逾期答复的来信' });
    // Its deadline passed before the reply (as if it had waited beyond 10 working days).
    await sql`update letters.letter set due_at = now() - interval '1 day' where public_id = ${late.id}`.execute(
      y.db.kysely,
    );
    await api('POST', `/api/v1/letters/${late.id}/reply`, office, { reply: '迟到的答复', publish: false });
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const stats = (await api('GET', `/api/v1/letters/statistics?year=${year}`, '')).json() as {
      departments: {
        departmentId: number;
        received: number;
        replied: number;
        onTime: number;
        rated: number;
        basically: number;
      }[];
    };
    const mine = stats.departments.find((d) => d.departmentId === provinceOffice)!;
    // Opened here: the first, the released, the published, the private and the late one (the forwarded
    // one counts at 杭州市人民政府办公厅).
    // And two of the demo's published letters (one rated 满意), one at 杭州市人民政府办公厅.
    assert.deepEqual(
      [mine.received, mine.replied, mine.onTime, mine.rated, mine.basically],
      [5 + 2, 3 + 2, 2 + 2, 1 + 1, 1],
    );
    const city = stats.departments.find((d) => d.departmentId === cityOffice)!;
    assert.equal(city.received, 1 + 1);
    const page = await y.app.inject({
      method: 'GET',
      url: `/letters/statistics?year=${year}`,
      headers: HTML,
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<svg[^>]*role="img"/);
    assert.match(page.body, /<table/);
  });

  it('shows the writer their letters with status and due date, and the department its open letters', async () => {
    const mine = await y.app.inject({
      method: 'GET',
      url: '/account/letters',
      headers: { ...HTML, cookie: citizen },
    });
    assert.equal(mine.statusCode, 200);
    assert.ok(mine.body.includes('公开测试来信'));
    assert.ok(mine.body.includes(zh('letters.status.replied')));
    const work = await y.app.inject({
      method: 'GET',
      url: '/workbench/letters',
      headers: { ...HTML, cookie: office },
    });
    assert.equal(work.statusCode, 200);
    assert.ok(work.body.includes('关于小区停车难的建议'));
    assert.ok(!work.body.includes('转办测试来信'));
  });
});

describe('letters: flooding', () => {
  let y: TestApp;
  before(async () => {
    // The site's limit 300 a minute: writing gets a sixtieth, 5 a minute per writer.
    y = await createTestApp({ seed: true, env: { RATE_LIMIT_PER_MINUTE: '300' } });
  });
  after(() => y.drop());

  it('answers 429 with Retry-After once a writer passes the limit, on the API and the page form', async () => {
    const cookie = await signIn(y, 'demo.citizen', 'Demo#2026citizen');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await y.app.inject({
        method: 'POST',
        url: '/api/v1/letters',
        headers: { cookie },
        payload: { kind: 'consultation', departmentId: 1, title: '', body: '', phone: '', mayPublish: false },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) assert.ok(Number(res.headers['retry-after']) > 0);
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429]);
    void systemContext;
  });
});
