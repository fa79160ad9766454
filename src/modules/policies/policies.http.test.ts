import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { DEMO_STAFF } from '../../app.ts';

interface Link {
  id: number;
  title: string;
  validity: string;
}
interface Report {
  no: number;
  label: string;
  end: string;
  dueOn: string;
  caseNumber: string | null;
  status: string | null;
  reportedAt: string | null;
  onTime: boolean | null;
  state: string;
}
interface Policy {
  id: number;
  stage: string;
  consultation: { days: number; state: string; feedbackAvailable: boolean; draft: Link | null } | null;
  document: Link | null;
  interpretations: Link[];
  evaluationReport: Link | null;
  revises: { id: number } | null;
  revisedBy: { id: number } | null;
  tasks: { department: { id: number; name: string }; reports: Report[] }[];
  can: string[];
}
interface Pub {
  id: number;
  status: string;
  reviewCase: string | null;
  validity: string;
  replacedBy: { id: number; title: string } | null;
}

const DAY = 86_400_000;
const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const daysFrom = (n: number) => chinaDay(new Date(Date.now() + n * DAY));
/** The month (YYYY-MM) n months before this one, in China. */
function monthsAgo(n: number) {
  const [y, m] = chinaDay(new Date()).split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}

describe('policies over HTTP: the whole lifecycle of a policy document', () => {
  let y: TestApp;
  const cookies: Record<string, string> = {};
  const dept: Record<string, number> = {};
  const api = (who: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    y.app.inject({
      method,
      url,
      headers: who ? { cookie: cookies[who]! } : {},
      ...(payload ? { payload } : {}),
    });
  const ok = async (who: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const r = await api(who, method, url, payload);
    assert.ok(r.statusCode < 300, `${method} ${url} → ${r.statusCode} ${r.body}`);
    return r.json() as unknown;
  };
  const policy = async (id: number, who: string | null = 'publisher') =>
    (await ok(who, 'GET', `/api/v1/policies/${id}`)) as Policy;

  /** The open task of a case, acted on by `who`. */
  const act = async (who: string, number: string, name: string, input: Record<string, unknown>) => {
    const kase = (await ok(who, 'GET', `/api/v1/cases/${number}`)) as {
      tasks: { no: number; status: string }[];
    };
    const task = kase.tasks.find((t) => t.status === 'open')!;
    await ok(who, 'POST', `/api/v1/cases/${number}/actions`, { action: 'step', task: task.no, name, input });
  };
  /** A publication of 西湖区民政局, written by its publisher; published when asked (its head approves). */
  const publication = async (category: string, title: string, publish = true) => {
    const made = (await ok('publisher', 'POST', '/api/v1/publications', {
      category,
      title,
      indexNumber: '',
      issuingBody: '',
      writtenOn: daysFrom(-1),
      docNumber: '',
      subject: '社会保障',
      bodyHtml: `<p>${title}</p>`,
      publishAt: null,
    })) as { publication: Pub };
    const id = made.publication.id;
    if (publish) await submitAndApprove(id);
    return id;
  };
  const submitAndApprove = async (id: number) => {
    const sent = (await ok('publisher', 'POST', `/api/v1/publications/${id}/submission`)) as Pub;
    await act('head', sent.reviewCase!, 'approve', { opinion: '同意发布' });
  };

  before(async () => {
    y = await createTestApp({ seed: true });
    for (const [who, username] of [
      ['publisher', 'demo.publisher'],
      ['head', 'demo.head'],
      ['market', 'demo.market'],
      ['agri', 'demo.agri'],
    ] as const) {
      const a = DEMO_STAFF.find((s) => s.username === username)!;
      cookies[who] = await signIn(y, a.username, a.password);
    }
    cookies.other = (
      await signInStaff(y, {
        roles: ['publisher', 'department_head'],
        divisionCode: '330106',
        departmentName: '西湖区市场监督管理局',
      })
    ).cookie;
    const all = (await y.org.departments.list('330000', { includeInactive: false, limit: 500, offset: 0 }))
      .items;
    for (const [k, name] of [
      ['civil', '西湖区民政局'],
      ['market', '西湖区市场监督管理局'],
      ['agri', '西湖区农业农村局'],
      ['city', '杭州市民政局'],
    ] as const)
      dept[k] = all.find((d) => d.name === name)!.id;
  });
  after(() => y.drop());

  it('walks a policy from draft to revision: consultation, publication, interpretation, implementation, evaluation', async () => {
    // Draft: its department's alone.
    const draft = await api('publisher', 'POST', '/api/v1/policies', { title: '西湖区困难群众救助实施办法' });
    assert.equal(draft.statusCode, 201, draft.body);
    const p = draft.json() as Policy;
    assert.equal(p.stage, 'draft');
    assert.ok(p.can.includes('consultation') && !p.can.includes('tasks'), p.can.join());
    assert.equal((await api('other', 'GET', `/api/v1/policies/${p.id}`)).statusCode, 404);
    assert.equal((await api(null, 'GET', `/api/v1/policies/${p.id}`)).statusCode, 404);
    assert.equal((await api(null, 'GET', `/policies/${p.id}`)).statusCode, 404);
    assert.equal((await api('other', 'GET', `/workbench/policies/${p.id}`)).statusCode, 404);
    // …and another department cannot move it either.
    const foreign = await api('other', 'PUT', `/api/v1/policies/${p.id}/document`, { publication: 1 });
    assert.equal(foreign.statusCode, 404, foreign.body);

    // Consultation: the draft for comment is a publication, public during the period.
    const forComment = await publication('notices', '西湖区困难群众救助实施办法（征求意见稿）');
    const consult = (body: Record<string, unknown>) =>
      api('publisher', 'PUT', `/api/v1/policies/${p.id}/consultation`, { draft: forComment, ...body });
    const before = await consult({ opensOn: daysFrom(-5), closesOn: daysFrom(-40) });
    assert.equal(before.statusCode, 400, before.body);
    assert.deepEqual(
      (before.json() as { errors: { field: string; code: string }[] }).errors.map(
        (e) => `${e.field}:${e.code}`,
      ),
      ['closesOn:policies.consultation.close_before_open'],
    );
    const short = await consult({ opensOn: daysFrom(-40), closesOn: daysFrom(-20) });
    assert.equal(short.statusCode, 400, short.body);
    assert.equal((short.json() as { errors: { field: string }[] }).errors[0]!.field, 'shortReason');
    const unknown = await consult({ draft: 999_999, opensOn: daysFrom(-40), closesOn: daysFrom(-5) });
    assert.equal(unknown.statusCode, 400, unknown.body);
    assert.deepEqual(
      (unknown.json() as { errors: { field: string; code: string }[] }).errors.map(
        (e) => `${e.field}:${e.code}`,
      ),
      ['draft:policies.publication_unknown'],
    );
    // Still running: the document cannot be linked yet.
    assert.equal((await consult({ opensOn: daysFrom(-10), closesOn: daysFrom(25) })).statusCode, 200);
    const documentId = await publication('policies', '西湖区困难群众救助实施办法', false);
    const early = await api('publisher', 'PUT', `/api/v1/policies/${p.id}/document`, {
      publication: documentId,
    });
    assert.equal(early.statusCode, 409, early.body);
    assert.equal((early.json() as { code: string }).code, 'policies.consultation_running');
    // The period as it was held: 35 days, closed. Now the public sees the policy.
    assert.equal((await consult({ opensOn: daysFrom(-40), closesOn: daysFrom(-5) })).statusCode, 200);
    const consulted = await policy(p.id, null);
    assert.equal(consulted.stage, 'consultation');
    assert.deepEqual(
      [
        consulted.consultation!.days,
        consulted.consultation!.state,
        consulted.consultation!.feedbackAvailable,
      ],
      // The opinions module is wired: comments are available, though none were solicited online here.
      [35, 'closed', true],
    );
    assert.equal(consulted.consultation!.draft!.id, forComment);
    const portal = await api(null, 'GET', `/policies/${p.id}`);
    assert.equal(portal.statusCode, 200);
    assert.match(portal.body, /本次征求意见未在网上征集意见/);
    assert.ok(portal.body.includes(`/publications/${forComment}`), 'the portal links the draft');

    // The document: a publication in a policy category, reviewed in publications; publishing it publishes the policy.
    const wrongKind = await api('publisher', 'PUT', `/api/v1/policies/${p.id}/document`, {
      publication: forComment,
    });
    assert.equal(wrongKind.statusCode, 400, wrongKind.body);
    assert.equal(
      (wrongKind.json() as { errors: { code: string }[] }).errors[0]!.code,
      'policies.publication_kind.policy',
    );
    await ok('publisher', 'PUT', `/api/v1/policies/${p.id}/document`, { publication: documentId });
    assert.equal((await policy(p.id)).stage, 'consultation');
    await submitAndApprove(documentId);
    const published = await policy(p.id, null);
    assert.equal(published.stage, 'published');
    assert.equal(published.document!.id, documentId);

    // An interpretation, linked both ways: each article page links the other.
    const interpretation = await publication('interpretations', '《西湖区困难群众救助实施办法》政策解读');
    await ok('publisher', 'POST', `/api/v1/policies/${p.id}/interpretations`, {
      publication: interpretation,
    });
    assert.deepEqual(
      (await policy(p.id, null)).interpretations.map((l) => l.id),
      [interpretation],
    );
    const twice = await api('publisher', 'POST', `/api/v1/policies/${p.id}/interpretations`, {
      publication: interpretation,
    });
    assert.equal(twice.statusCode, 409);
    const docPage = await api(null, 'GET', `/publications/${documentId}`);
    assert.ok(
      docPage.body.includes(`href="/publications/${interpretation}"`),
      'the document links its interpretation',
    );
    assert.ok(docPage.body.includes(`href="/policies/${p.id}"`), 'the document links its policy');
    const interpretationPage = await api(null, 'GET', `/publications/${interpretation}`);
    assert.ok(
      interpretationPage.body.includes(`href="/publications/${documentId}"`),
      'the interpretation links its document',
    );

    // Implementation: the head assigns; the writer may not.
    const tasks = (body: Record<string, unknown>, who = 'head') =>
      api(who, 'POST', `/api/v1/policies/${p.id}/tasks`, {
        requirement: '按季度排查困难群众，落实临时救助',
        reportDays: 10,
        ...body,
      });
    assert.equal(
      (
        await tasks(
          { departments: [dept.market], period: 'quarterly', from: '2026-07', periods: 2 },
          'publisher',
        )
      ).statusCode,
      403,
    );
    // Outside the drafting department's jurisdiction (the city above it).
    const above = await tasks({ departments: [dept.city], period: 'quarterly', from: '2026-07', periods: 2 });
    assert.equal(above.statusCode, 400, above.body);
    const quarterly = await tasks({
      departments: [dept.market],
      period: 'quarterly',
      from: '2026-07',
      periods: 2,
    });
    assert.equal(quarterly.statusCode, 200, quarterly.body);
    assert.equal((quarterly.json() as { unopened: number }).unopened, 0);
    const first = monthsAgo(3);
    const monthly = await tasks({ departments: [dept.agri], period: 'monthly', from: first, periods: 4 });
    assert.equal(monthly.statusCode, 200, monthly.body);
    const again = await tasks({ departments: [dept.agri], period: 'monthly', from: first, periods: 1 });
    assert.equal(again.statusCode, 409, again.body);

    const implementing = await policy(p.id);
    assert.equal(implementing.stage, 'implementing');
    const market = implementing.tasks.find((x) => x.department.id === dept.market)!;
    // 2026 Q3 ends on 30 September; ten working days after it, past the National Day holiday.
    assert.deepEqual(market.reports.map((r) => [r.label, r.dueOn]).slice(0, 1), [['2026-Q3', '2026-10-20']]);
    const agri = implementing.tasks.find((x) => x.department.id === dept.agri)!;
    assert.deepEqual(
      agri.reports.map((r) => r.label),
      [first, monthsAgo(2), monthsAgo(1), monthsAgo(0)],
    );
    const calendar = await y.workflow.calendars.forTenant('330000');
    for (const r of [...market.reports, ...agri.reports]) {
      assert.match(r.caseNumber ?? '', /^\d{17}$/);
      const due = calendar.due(new Date(`${r.end}T00:00:00Z`), 10, 'working-days').due;
      assert.equal(r.dueOn, due.toISOString().slice(0, 10), r.label);
    }
    // Each case is in its department: the department's handler sees it, the other department does not.
    const marketCase = (await ok('market', 'GET', `/api/v1/cases/${market.reports[0]!.caseNumber}`)) as {
      departmentId: number;
      data: { dueOn: string; period: string };
    };
    assert.equal(marketCase.departmentId, dept.market);
    assert.deepEqual([marketCase.data.period, marketCase.data.dueOn], ['2026-Q3', '2026-10-20']);
    assert.equal(
      (await api('agri', 'GET', `/api/v1/cases/${market.reports[0]!.caseNumber}`)).statusCode,
      404,
    );

    // Reports: the first month's is long overdue (late), this month's comes before its period ends (on time).
    const [late, , , current] = agri.reports;
    await act('agri', late!.caseNumber!, 'submit', { status: '滞后', progress: '排查进度滞后，已增派人员' });
    await act('agri', current!.caseNumber!, 'submit', { status: '已完成', progress: '本月排查全部完成' });
    const reported = (await policy(p.id)).tasks.find((x) => x.department.id === dept.agri)!.reports;
    assert.deepEqual(
      [reported[0]!.status, reported[0]!.onTime, reported[0]!.state],
      ['delayed', false, 'delayed'],
    );
    assert.deepEqual([reported[3]!.status, reported[3]!.onTime, reported[3]!.state], ['done', true, 'done']);
    assert.equal(reported[1]!.state, 'overdue');
    // The public sees who implements it, not the internal reports.
    assert.deepEqual(
      (await policy(p.id, null)).tasks.map((x) => x.reports.length),
      [0, 0],
    );
    const workbench = await api('head', 'GET', `/workbench/policies/${p.id}`);
    assert.equal(workbench.statusCode, 200);
    assert.match(workbench.body, /<table class="implementation-matrix">/);
    assert.match(workbench.body, /class="light light-red">逾期未报</);
    assert.match(workbench.body, /（逾期报送）/);
    assert.match(workbench.body, /（按时）/);

    // Evaluation: a report publication; the policy is evaluated.
    const evaluation = await publication('notices', '西湖区困难群众救助实施办法实施情况评估报告');
    await ok('publisher', 'PUT', `/api/v1/policies/${p.id}/evaluation`, { report: evaluation });
    assert.equal((await policy(p.id)).stage, 'evaluated');

    // Revision: a new policy; when its document publishes, the old document 失效, replaced by the new.
    const revision = await api('publisher', 'POST', `/api/v1/policies/${p.id}/revision`, {
      title: '西湖区困难群众救助实施办法（2027年修订）',
    });
    assert.equal(revision.statusCode, 201, revision.body);
    const r = revision.json() as Policy;
    assert.equal(r.revises!.id, p.id);
    assert.equal(
      (await api('publisher', 'POST', `/api/v1/policies/${p.id}/revision`, { title: '再修订' })).statusCode,
      409,
    );
    const newDocument = await publication('policies', '西湖区困难群众救助实施办法（2027年修订）', false);
    await ok('publisher', 'PUT', `/api/v1/policies/${r.id}/document`, { publication: newDocument });
    assert.equal((await policy(p.id)).stage, 'evaluated');
    await submitAndApprove(newDocument);
    assert.equal((await policy(r.id, null)).stage, 'published');
    const old = await policy(p.id, null);
    assert.equal(old.stage, 'revised');
    assert.equal(old.revisedBy!.id, r.id);
    const oldDocument = (await ok(null, 'GET', `/api/v1/publications/${documentId}`)) as Pub;
    assert.equal(oldDocument.validity, 'expired');
    assert.equal(oldDocument.replacedBy!.id, newDocument);
    const oldPage = await api(null, 'GET', `/publications/${documentId}`);
    assert.ok(oldPage.body.includes(`href="/publications/${newDocument}"`), 'the old links the new');

    // Repeal, by the head, with its reason: the document 废止.
    assert.equal(
      (await api('publisher', 'POST', `/api/v1/policies/${r.id}/repeal`, { reason: '上位法废止' }))
        .statusCode,
      403,
    );
    await ok('head', 'POST', `/api/v1/policies/${r.id}/repeal`, { reason: '上位政策调整，本办法废止' });
    assert.equal((await policy(r.id, null)).stage, 'repealed');
    assert.equal(
      ((await ok(null, 'GET', `/api/v1/publications/${newDocument}`)) as Pub).validity,
      'repealed',
    );

    // Every transition is in the audit chain.
    const actions = (
      await y.db.kysely
        .selectFrom('audit.entry')
        .select('action')
        .where('action', 'like', 'policies.%')
        .execute()
    ).map((e) => e.action);
    for (const a of [
      'policies.drafted',
      'policies.consultation_opened',
      'policies.document_linked',
      'policies.published',
      'policies.interpretation_linked',
      'policies.tasks_assigned',
      'policies.report_received',
      'policies.evaluated',
      'policies.revision_started',
      'policies.revised',
      'policies.repealed',
    ])
      assert.ok(actions.includes(a), a);
  });

  it('lists the department’s policies and refuses bad input', async () => {
    const list = (await ok('head', 'GET', '/api/v1/policies')) as { items: { id: number }[]; total: number };
    assert.ok(list.total >= 2, `${list.total} policies`);
    assert.equal(((await ok('other', 'GET', '/api/v1/policies')) as { total: number }).total, 0);
    const blank = await api('publisher', 'POST', '/api/v1/policies', { title: '  ' });
    assert.equal(blank.statusCode, 400);
    assert.equal((await api('market', 'POST', '/api/v1/policies', { title: '无权起草' })).statusCode, 403);
    assert.equal((await api('publisher', 'GET', '/api/v1/policies/999999')).statusCode, 404);
    const page = await api('publisher', 'GET', '/workbench/policies');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /西湖区困难群众救助实施办法/);
  });
});
