/**
 * Solicitations over HTTP and in pages, on the whole application: the department's writer creates
 * one, citizens write opinions (the real sensitive-word screen holds the demo site's placeholder word
 * and the writer is told so with 202), problems as problem+json and beside the fields, 409 after the
 * close, 429 with Retry-After when flooding, another department's staff 404, and the demo data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS } from '../../app.ts';

interface SolicitationJson {
  id: number;
  title: string;
  state: string;
  received: number;
  closesAt: string;
  opinions: { writer: string; body: string }[];
  report: null | {
    counts: Record<string, number>;
    items: { writer: string; body: string; adoption: string }[];
  };
}

const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const HOUR = 3_600_000;

describe('opinions (征集意见) over HTTP and in pages', () => {
  let y: TestApp;
  const cookies: Record<string, string> = {};
  const api = (who: string | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    y.app.inject({
      method,
      url,
      headers: who ? { cookie: cookies[who]! } : {},
      ...(payload ? { payload } : {}),
    });
  /** A page's form posted as the browser would, CSRF token and cookie included. */
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
  const create = async (payload: object = {}) => {
    const res = await api('civil', 'POST', '/api/v1/opinions', {
      title: '《西湖区社区食堂运营补助办法（征求意见稿）》',
      draftText: '第一条 为支持社区食堂运营……\n第二条 补助标准为每餐两元。',
      opensAt: iso(-HOUR),
      closesAt: iso(24 * HOUR),
      ...payload,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as SolicitationJson;
  };

  before(async () => {
    y = await createTestApp({ seed: true });
    for (const a of DEMO_ACCOUNTS) cookies[a.kind] = await signIn(y, a.username, a.password);
    cookies.civil = (
      await signInStaff(y, { roles: ['publisher'], divisionCode: '330106', departmentName: '西湖区民政局' })
    ).cookie;
    cookies.market = (
      await signInStaff(y, {
        roles: ['publisher'],
        divisionCode: '330106',
        departmentName: '西湖区市场监督管理局',
      })
    ).cookie;
  });
  after(() => y.drop());

  it('takes opinions from signed-in people; a held word is accepted for moderation (202) and shown nowhere yet', async () => {
    const s = await create();
    assert.equal(s.state, 'open');
    const ok = await api('person', 'POST', `/api/v1/opinions/${s.id}/comments`, {
      body: '<p>建议把补助标准提高到每餐三元，联系电话 13800138000。</p>',
      clause: '第二条',
    });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal((ok.json() as { status: string }).status, 'accepted');
    const held = await api('enterprise', 'POST', `/api/v1/opinions/${s.id}/comments`, {
      body: '这条意见里有测试敏感词，应当先审核。',
    });
    assert.equal(held.statusCode, 202, held.body);
    assert.deepEqual(
      [(held.json() as { status: string }).status, (held.json() as { heldWords: string[] }).heldWords],
      ['held', ['测试敏感词']],
    );
    // On the moderation page's queue, kind 'opinions'.
    const queue = await y.opinions.heldSource.list('330000');
    assert.ok(queue.some((q) => q.id === String((held.json() as { id: number }).id)));
    const pub = (await api(null, 'GET', `/api/v1/opinions/${s.id}`)).json() as SolicitationJson;
    assert.equal(pub.received, 1);
    assert.deepEqual(
      pub.opinions.map((o) => [o.writer, o.body]),
      [['张**', '建议把补助标准提高到每餐三元，联系电话 138****8000。']],
    );
    // Anonymous: sign in first; staff cannot post.
    assert.equal(
      (await api(null, 'POST', `/api/v1/opinions/${s.id}/comments`, { body: '匿名意见五个字' })).statusCode,
      401,
    );
    assert.equal(
      (await api('civil', 'POST', `/api/v1/opinions/${s.id}/comments`, { body: '工作人员的意见' }))
        .statusCode,
      403,
    );
    // The department sees both, names in full; another department: 404.
    const all = await api('civil', 'GET', `/api/v1/opinions/${s.id}/comments`);
    assert.deepEqual(
      (all.json() as { items: { writer: { name: string }; status: string }[] }).items.map((o) => [
        o.writer.name,
        o.status,
      ]),
      [
        ['张演示', 'accepted'],
        ['一网演示科技有限公司', 'held'],
      ],
    );
    assert.equal((await api('market', 'GET', `/api/v1/opinions/${s.id}/comments`)).statusCode, 404);
    assert.equal(
      (await api('market', 'PATCH', `/api/v1/opinions/${s.id}`, { title: '他人改名' })).statusCode,
      404,
    );
    assert.equal(
      (await api('market', 'POST', `/api/v1/opinions/${s.id}/close`, { reason: '提前结束' })).statusCode,
      404,
    );
    assert.equal((await api('person', 'GET', `/api/v1/opinions/${s.id}/comments`)).statusCode, 403);
    const mine = (await api('person', 'GET', '/api/v1/opinions/mine')).json() as {
      items: { solicitationTitle: string }[];
    };
    assert.ok(mine.items.some((o) => o.solicitationTitle === s.title));
  });

  it('answers length problems as problem+json, 409 with the close once closed, and nothing half-written', async () => {
    const s = await create();
    const short = await api('person', 'POST', `/api/v1/opinions/${s.id}/comments`, { body: '<b>短</b>' });
    assert.equal(short.statusCode, 400);
    assert.match(String(short.headers['content-type']), /application\/problem\+json/);
    assert.deepEqual(
      (short.json() as { errors: { field: string; code: string }[] }).errors.map((e) => [e.field, e.code]),
      [['body', 'opinions.length']],
    );
    const closed = await api('civil', 'POST', `/api/v1/opinions/${s.id}/close`, {
      reason: '已收集到足够意见',
    });
    assert.equal(closed.statusCode, 200, closed.body);
    const closedAt = (closed.json() as SolicitationJson).closesAt;
    const late = await api('person', 'POST', `/api/v1/opinions/${s.id}/comments`, {
      body: '结束后才提交的意见。',
    });
    assert.equal(late.statusCode, 409);
    const china = new Date(Date.parse(closedAt) + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
    assert.equal((late.json() as { detail: string }).detail, `征集已于 ${china} 结束。`);
    const counts = await y.db.kysely
      .selectFrom('opinions.opinion')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('solicitation_id', '=', s.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(counts.n), 0);
    const past = await api('civil', 'POST', '/api/v1/opinions', {
      title: '过去的征集',
      draftText: '第一条 过去的内容。',
      opensAt: iso(-48 * HOUR),
      closesAt: iso(-24 * HOUR),
    });
    assert.deepEqual(
      (past.json() as { errors: { field: string; code: string }[] }).errors.map((e) => [e.field, e.code]),
      [['closesAt', 'opinions.closes_in_past']],
    );
  });

  it('runs the report end to end: mark after the close, publish, the public sees counts and masked names', async () => {
    const s = await create();
    const o = (
      await api('person', 'POST', `/api/v1/opinions/${s.id}/comments`, { body: '建议补助按季度拨付。' })
    ).json() as { id: number };
    await api('civil', 'POST', `/api/v1/opinions/${s.id}/close`, { reason: '征集目的已经达到' });
    const mark = await api('civil', 'POST', `/api/v1/opinions/${s.id}/adoption`, {
      opinions: [o.id],
      adoption: 'not_adopted',
      reason: '',
    });
    assert.equal(mark.statusCode, 400);
    assert.equal(
      (
        await api('civil', 'POST', `/api/v1/opinions/${s.id}/adoption`, {
          opinions: [o.id],
          adoption: 'adopted',
        })
      ).statusCode,
      200,
    );
    const report = await api('civil', 'POST', `/api/v1/opinions/${s.id}/report`, { summary: '感谢参与。' });
    assert.equal(report.statusCode, 200, report.body);
    const pub = (await api(null, 'GET', `/api/v1/opinions/${s.id}`)).json() as SolicitationJson;
    assert.deepEqual(pub.report?.counts, { total: 1, adopted: 1, partly: 0, not_adopted: 0 });
    assert.deepEqual(
      pub.report?.items.map((i) => [i.writer, i.adoption]),
      [['张**', 'adopted']],
    );
    const page = await api(null, 'GET', `/opinions/${s.id}`);
    assert.match(page.body, /意见采纳情况反馈/);
    assert.match(page.body, /共收到有效意见 1 条：采纳 1 条/);
    assert.doesNotMatch(page.body, /张演示/);
    const inbox = await y.db.kysely
      .selectFrom('notify.inbox_entry')
      .select(['link'])
      .where('link', '=', `/opinions/${s.id}#report`)
      .execute();
    assert.equal(inbox.length, 1);
  });

  it('pages: the list, the form with errors beside the fields, the notice after posting, my opinions, the workbench', async () => {
    const s = await create({ moderated: true });
    const list = await api(null, 'GET', '/opinions');
    assert.equal(list.statusCode, 200);
    assert.ok(
      list.body.includes(s.title.replace(/《|》/g, '')) || list.body.includes('西湖区社区食堂运营补助办法'),
    );
    const anonymous = await api(null, 'GET', `/opinions/${s.id}`);
    assert.match(anonymous.body, /登录后发表意见/);
    const bad = await submit('person', `/opinions/${s.id}`, `/opinions/${s.id}`, {
      clause: '第一条',
      body: '短',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="field-body-error"[^>]*>长度应为 5 至 2000 字。/);
    assert.match(bad.body, /value="第一条"/);
    const good = await submit('person', `/opinions/${s.id}`, `/opinions/${s.id}`, {
      clause: '第一条',
      body: '建议明确补助对象的范围。',
    });
    assert.equal(good.statusCode, 303);
    assert.equal(good.headers.location, `/opinions/${s.id}?written=pending`);
    const after = await api('person', 'GET', good.headers.location as string);
    assert.match(after.body, /将在征集单位审核后显示/);
    const mine = await api('person', 'GET', '/account/opinions');
    assert.match(mine.body, /待征集单位审核/);
    const wb = await api('civil', 'GET', `/workbench/opinions/${s.id}`);
    assert.equal(wb.statusCode, 200);
    assert.match(wb.body, /待审核意见（1 条）/);
    const opinionId = Number(/\/opinions\/(\d+)\/approve/.exec(wb.body)![1]);
    const approved = await submit(
      'civil',
      `/workbench/opinions/${s.id}`,
      `/workbench/opinions/${s.id}/opinions/${opinionId}/approve`,
      {},
    );
    assert.equal(approved.statusCode, 303);
    assert.match((await api('person', 'GET', '/account/opinions')).body, /已受理/);
    assert.equal((await api('market', 'GET', `/workbench/opinions/${s.id}`)).statusCode, 404);
    const created = await submit('civil', '/workbench/opinions/new', '/workbench/opinions/new', {
      title: '',
      draftText: '',
      opensAt: '2026-13-01T09:00',
      closesAt: '',
    });
    assert.equal(created.statusCode, 400);
    assert.match(created.body, /id="field-draftText-error"/);
    assert.match(created.body, /id="field-opensAt-error"/);
  });

  it("opens on a policy in consultation (its draft and period), and the policy's page shows the feedback", async () => {
    const ok = async (who: string, method: 'POST' | 'PUT', url: string, payload: object) => {
      const r = await api(who, method as 'POST', url, payload);
      assert.ok(r.statusCode < 300, `${method} ${url} → ${r.statusCode} ${r.body}`);
      return r.json() as { id: number; publication?: { id: number } };
    };
    const day = (n: number) => new Date(Date.now() + 8 * HOUR + n * 24 * HOUR).toISOString().slice(0, 10);
    const policy = await ok('civil', 'POST', '/api/v1/policies', { title: '西湖区社区养老服务设施管理办法' });
    const draft = (
      await ok('civil', 'POST', '/api/v1/publications', {
        category: 'notices',
        title: '西湖区社区养老服务设施管理办法（征求意见稿）',
        indexNumber: '',
        issuingBody: '',
        writtenOn: day(-1),
        docNumber: '',
        subject: '社会保障',
        bodyHtml: '<p>征求意见稿</p>',
        publishAt: null,
      })
    ).publication!.id;
    await ok('civil', 'PUT', `/api/v1/policies/${policy.id}/consultation`, {
      draft,
      opensOn: day(-1),
      closesOn: day(30),
      shortReason: '',
    });
    // Another department's policy is not one to open on.
    const foreign = await api('market', 'POST', '/api/v1/opinions', { policyId: policy.id });
    assert.deepEqual(
      (foreign.json() as { errors: { code: string }[] }).errors.map((e) => e.code),
      ['opinions.policy_unknown'],
    );
    const s = (await ok('civil', 'POST', '/api/v1/opinions', {
      policyId: policy.id,
    })) as unknown as SolicitationJson & {
      policyId: number;
      draftPublicationId: number;
      opensAt: string;
    };
    assert.deepEqual(
      [s.title, s.policyId, s.draftPublicationId, s.opensAt, s.closesAt],
      [
        '西湖区社区养老服务设施管理办法',
        policy.id,
        draft,
        new Date(`${day(-1)}T00:00:00+08:00`).toISOString(),
        new Date(`${day(31)}T00:00:00+08:00`).toISOString(),
      ],
    );
    await api('person', 'POST', `/api/v1/opinions/${s.id}/comments`, {
      body: '建议增加社区助餐点的配置标准。',
    });
    const view = (await api(null, 'GET', `/api/v1/policies/${policy.id}`)).json() as {
      consultation: { feedback: { received: number; adopted: number; summary: { href: string } } };
    };
    assert.deepEqual(view.consultation.feedback, {
      received: 1,
      adopted: 0,
      summary: { title: '查看意见征集', href: `/opinions/${s.id}` },
    });
    const page = await api(null, 'GET', `/policies/${policy.id}`);
    assert.match(page.body, /收到意见 1 条，采纳 0 条。/);
    assert.match(page.body, new RegExp(`href="/opinions/${s.id}"`));
    const public_ = await api(null, 'GET', `/opinions/${s.id}`);
    assert.match(public_.body, new RegExp(`href="/publications/${draft}"`));
    assert.match(public_.body, new RegExp(`href="/policies/${policy.id}"`));
  });

  it('carries the demo: one open solicitation and one closed with its report published', async () => {
    const open = (await api(null, 'GET', '/api/v1/opinions?state=open')).json() as {
      items: SolicitationJson[];
    };
    assert.ok(open.items.some((s) => s.title.includes('居家养老服务补贴')));
    const closed = (await api(null, 'GET', '/api/v1/opinions?state=closed')).json() as {
      items: (SolicitationJson & { reportPublishedAt: string | null })[];
    };
    const demo = closed.items.find((s) => s.title.includes('临时救助'))!;
    assert.ok(demo.reportPublishedAt);
    const view = (await api(null, 'GET', `/api/v1/opinions/${demo.id}`)).json() as SolicitationJson;
    assert.deepEqual(view.report?.counts, { total: 3, adopted: 1, partly: 1, not_adopted: 1 });
    assert.deepEqual(
      view.report?.items.map((i) => i.writer),
      ['李**', '王**', '陈**'],
    );
  });
});

describe('opinions: flooding is answered 429 with Retry-After', () => {
  let y: TestApp;
  before(async () => {
    // The site limit 300 a minute: writing opinions gets 5 a minute per writer.
    y = await createTestApp({ seed: true, env: { RATE_LIMIT_PER_MINUTE: '300' } });
  });
  after(() => y.drop());

  it('lets a writer post 5 a minute and refuses the sixth, on the API and the form alike', async () => {
    const civil = (
      await signInStaff(y, { roles: ['publisher'], divisionCode: '330106', departmentName: '西湖区民政局' })
    ).cookie;
    const s = await y.app.inject({
      method: 'POST',
      url: '/api/v1/opinions',
      headers: { cookie: civil },
      payload: {
        title: '限流测试',
        draftText: '第一条 测试内容。',
        opensAt: iso(-HOUR),
        closesAt: iso(HOUR),
      },
    });
    const id = (s.json() as { id: number }).id;
    const citizen = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
    const cookie = await signIn(y, citizen.username, citizen.password);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (
          await y.app.inject({
            method: 'POST',
            url: `/api/v1/opinions/${id}/comments`,
            headers: { cookie },
            payload: { body: `第${i + 1}条测试意见内容` },
          })
        ).statusCode,
      );
    assert.deepEqual(statuses, [201, 201, 201, 201, 201]);
    const sixth = await y.app.inject({
      method: 'POST',
      url: `/api/v1/opinions/${id}/comments`,
      headers: { cookie },
      payload: { body: '第六条测试意见内容' },
    });
    assert.equal(sixth.statusCode, 429);
    assert.ok(Number(sixth.headers['retry-after']) > 0);
    // The form is limited the same way (its own allowance: Fastify counts per route).
    const page = await y.app.inject({ url: `/opinions/${id}`, headers: { cookie } });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const csrf = page.cookies.find((c) => c.name === 'yw_csrf');
    const viaForm = (n: number) =>
      y.app.inject({
        method: 'POST',
        url: `/opinions/${id}`,
        headers: {
          cookie: csrf ? `${cookie}; yw_csrf=${csrf.value}` : cookie,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: token, body: `表单提交的第${n}条意见` }).toString(),
      });
    const forms: number[] = [];
    for (let i = 0; i < 5; i++) forms.push((await viaForm(i + 1)).statusCode);
    assert.deepEqual(forms, [303, 303, 303, 303, 303]);
    const form = await viaForm(6);
    assert.equal(form.statusCode, 429);
    assert.ok(Number(form.headers['retry-after']) > 0);
  });
});
