import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { migrate } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { nationalCalendar, WorkCalendar } from './calendar.ts';
import { createCaseService, type CasePorts } from './case.service.ts';
import { fold } from './engine.ts';
import { createDefinitionService } from './definition.service.ts';
import { createTimerWorker } from './timer.ts';
import { acting, actor, fixturePorts, loadProcess } from './workflow.fixtures.ts';

const citizen = actor(1, ['citizen'], null);
const window = actor(2, ['window_officer'], 10);
const handler = actor(3, ['handler'], 20);
const head = actor(4, ['department_head', 'handler'], 20);
const supervisorOf = () => actor(7, ['supervisor'], 50, '330100');

describe('cases on the database', () => {
  let test: TestDatabase;
  let clock = new Date('2026-03-02T09:00:00+08:00');
  let calendar: WorkCalendar = nationalCalendar();
  const sent: { accountId: number; kind: string; params?: Record<string, string | number> }[] = [];
  /** notifications about cases with this title fail (and so does the case's creation) */
  let failNotifyFor = '';
  const ports: CasePorts = fixturePorts({
    calendarFor: async () => calendar,
    notify: async (_ex, messages) => {
      for (const m of messages) {
        if (m.params.title === failNotifyFor) throw new Error('notify failed');
        sent.push({ accountId: m.accountId, kind: m.kind, params: m.params });
      }
    },
    now: () => clock,
  });
  let definitions: ReturnType<typeof createDefinitionService>;
  let cases: ReturnType<typeof createCaseService>;
  let timers: ReturnType<typeof createTimerWorker>;

  before(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    definitions = createDefinitionService(test.db);
    cases = createCaseService(test.db, definitions, ports);
    timers = createTimerWorker(test.db, cases, definitions, ports);
    const loaded = await definitions.loadFiles(systemContext('330000'));
    const files = readdirSync(path.join(import.meta.dirname, 'processes')).filter((f) => f.endsWith('.json'));
    assert.equal(loaded.length, files.length);
    assert.ok(loaded.every((l) => !l.unchanged && l.version === 1));
  });
  after(() => test.drop());

  const open = (data = { reason: '火灾', amount: 3000 }) =>
    cases.create(acting(citizen), {
      definition: 'demo.assistance',
      title: '临时救助',
      data,
      division: '330106',
    });

  it('loads definition files once: an unchanged file stores nothing', async () => {
    const again = await definitions.loadFiles(systemContext('330000'));
    assert.ok(again.every((l) => l.unchanged && l.version === 1));
  });

  it('numbers cases per site and year without gaps, under concurrency and rollbacks', async () => {
    const first = await open();
    assert.match(first.number, /^3300002026\d{7}$/);
    const base = Number(first.number.slice(10));
    failNotifyFor = '临时救助';
    await assert.rejects(open(), /notify failed/);
    failNotifyFor = '';
    const many = await Promise.all(Array.from({ length: 12 }, () => open()));
    const seqs = many.map((c) => Number(c.number.slice(10))).sort((a, b) => a - b);
    assert.deepEqual(
      seqs,
      Array.from({ length: 12 }, (_, i) => base + 1 + i),
    );
    // They shared transactions (group commit): fewer writers than cases.
    const transactions = await sql<{ n: string }>`select count(distinct xmin::text) as n from workflow."case"
      where number in (${sql.join(many.map((c) => c.number))})`.execute(test.db.kysely);
    assert.ok(Number(transactions.rows[0]!.n) < many.length);
    // One refused for its form and one failing in the middle of a group (which then runs again, one
    // case per transaction): still no gaps, and neither left anything behind.
    failNotifyFor = '会失败';
    const burst = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        i === 7
          ? open({ reason: '火灾', amount: -5 })
          : i === 13
            ? cases.create(acting(citizen), {
                definition: 'demo.assistance',
                title: '会失败',
                data: { reason: '火灾', amount: 3000 },
                division: '330106',
              })
            : open(),
      ),
    );
    failNotifyFor = '';
    const [refused, failed] = [burst[7]!, burst[13]!];
    assert.ok(refused.status === 'rejected' && refused.reason instanceof DomainError);
    assert.ok(failed.status === 'rejected' && /notify failed/.test(String(failed.reason)));
    const opened = burst.flatMap((r) => (r.status === 'fulfilled' ? [Number(r.value.number.slice(10))] : []));
    assert.deepEqual(
      opened.sort((a, b) => a - b),
      Array.from({ length: 18 }, (_, i) => base + 13 + i),
    );
    const left = await test.db.kysely
      .selectFrom('workflow.case')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where((eb) => eb.or([eb('title', '=', '会失败'), eb('number', 'is', null)]))
      .executeTakeFirstOrThrow();
    assert.equal(Number(left.n), 0);
  });

  it("runs another module's work in the opening transaction; its refusal leaves no case and no number", async () => {
    const seen: string[] = [];
    const first = await cases.create(
      acting(citizen),
      {
        definition: 'demo.assistance',
        title: '临时救助',
        data: { reason: '火灾', amount: 3000 },
        division: '330106',
      },
      {
        // The case's own row, seen from inside its transaction.
        within: async (tx, view) => {
          const rows = await tx
            .selectFrom('workflow.case')
            .select('id')
            .where('number', '=', view.number)
            .execute();
          seen.push(`${view.number}:${rows.length}`);
        },
      },
    );
    assert.deepEqual(seen, [`${first.number}:1`]);
    const refused = cases.create(
      acting(citizen),
      {
        definition: 'demo.assistance',
        title: '被拒绝',
        data: { reason: '火灾', amount: 3000 },
        division: '330106',
      },
      {
        within: async () => {
          throw new DomainError('conflict', 'test.already_submitted');
        },
      },
    );
    await assert.rejects(
      refused,
      (e: unknown) => e instanceof DomainError && e.code === 'test.already_submitted',
    );
    const next = await open();
    assert.equal(Number(next.number.slice(10)), Number(first.number.slice(10)) + 1);
    assert.equal(
      (await test.db.kysely.selectFrom('workflow.case').select('id').where('title', '=', '被拒绝').execute())
        .length,
      0,
    );
    // A window officer opens a case for a walk-in applicant; a citizen cannot name someone else.
    const walkIn = await cases.create(acting(window), {
      definition: 'demo.assistance',
      title: '窗口代办',
      data: { reason: '火灾', amount: 3000 },
      division: '330106',
      applicant: { kind: 'person', accountId: null, name: '王五' },
    });
    assert.deepEqual(walkIn.state.applicant, { kind: 'person', accountId: null, name: '王五' });
    await assert.rejects(
      cases.create(acting(citizen), {
        definition: 'demo.assistance',
        title: '冒名',
        data: {},
        division: '330106',
        applicant: { kind: 'person', accountId: null, name: '王五' },
      }),
      (e: unknown) => e instanceof DomainError && e.fields[0]?.code === 'workflow.case.applicant_not_staff',
    );
  });

  it('projects the fold into the task table, first task waiting in the right department', async () => {
    const c = await open();
    const rows = await test.db.kysely
      .selectFrom('workflow.task')
      .selectAll()
      .where('case_number', '=', c.number)
      .execute();
    assert.equal(rows.length, 1);
    assert.equal(Number(rows[0]!.department_id), 10);
    assert.equal(rows[0]!.status, 'open');
    const timersOf = await test.db.kysely
      .selectFrom('workflow.timer')
      .select(['kind'])
      .where('case_id', '=', rows[0]!.case_id)
      .execute();
    assert.deepEqual(timersOf.map((t) => t.kind).sort(), ['red', 'yellow']);
    assert.ok(sent.some((s) => s.accountId === 2 && s.kind === 'workflow.task_assigned'));
  });

  it('refuses an action not allowed with 403/409 naming step and action, the case unchanged', async () => {
    const c = await open();
    await assert.rejects(
      cases.act(acting(citizen), c.number, { action: 'step', task: 1, name: 'accept', input: {} }),
      (e: unknown) =>
        e instanceof DomainError &&
        e.kind === 'forbidden' &&
        e.params.step === 'intake' &&
        e.params.action === 'accept',
    );
    await assert.rejects(
      cases.act(acting(window), c.number, { action: 'step', task: 1, name: 'nonsense', input: {} }),
      (e: unknown) => e instanceof DomainError && e.kind === 'conflict' && e.params.action === 'nonsense',
    );
    // staff of a department with no task in the case, and a stranger: the case does not exist for them
    for (const who of [handler, actor(99, ['citizen'], null)])
      await assert.rejects(
        cases.act(acting(who), c.number, { action: 'comment', text: 'x' }),
        (e: unknown) => e instanceof DomainError && e.kind === 'not_found',
      );
    const view = await cases.get(acting(window), c.number);
    assert.equal(view.events.length, 2);
  });

  it('lets exactly one of two people acting on the same task at once win; the other gets 409', async () => {
    const c = await open();
    const window2 = actor(12, ['window_officer'], 10);
    const results = await Promise.allSettled([
      cases.act(acting(window), c.number, { action: 'step', task: 1, name: 'accept', input: {} }),
      cases.act(acting(window2), c.number, { action: 'step', task: 1, name: 'accept', input: {} }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(lost.reason instanceof DomainError && lost.reason.kind === 'conflict');
    const view = await cases.get(acting(window), c.number);
    assert.equal(view.state.tasks.length, 2, 'one review task, not two');
  });

  it('keeps in-flight cases on their definition version', async () => {
    const before = await open();
    const changed = structuredClone(loadProcess('demo.assistance.json'));
    changed.steps.intake!.limit = { amount: 5, unit: 'working-days' };
    const saved = await definitions.save(acting(actor(90, ['system_admin'], 1, '330000')), changed, 'admin');
    assert.equal(saved.definition.version, 2);
    const after_ = await open();
    await cases.act(acting(window), before.number, { action: 'step', task: 1, name: 'accept', input: {} });
    const old = await cases.get(acting(window), before.number);
    assert.equal(old.definition.version, 1);
    const fresh = await cases.get(acting(window), after_.number);
    assert.equal(fresh.definition.version, 2);
    assert.ok(fresh.state.tasks[0]!.dueAt! > old.state.tasks[0]!.dueAt!);
  });

  it('rejects an invalid definition at load with every problem, storing nothing', async () => {
    const bad = structuredClone(loadProcess('demo.assistance.json'));
    bad.steps.review!.assignee!.role = 'wizard';
    bad.steps.intake!.actions!.accept!.to = 'join';
    await assert.rejects(
      definitions.save(acting(actor(90, ['system_admin'], 1, '330000')), bad, 'admin'),
      (e: unknown) => e instanceof DomainError && e.fields.length >= 2,
    );
    assert.equal((await definitions.latest('330000', 'demo.assistance')).version, 2);
  });

  it('keeps the case log append-only', async () => {
    await assert.rejects(sql`update workflow.event set type = 'x'`.execute(test.db.kysely), /append-only/);
    await assert.rejects(sql`delete from workflow.event`.execute(test.db.kysely), /append-only/);
  });

  it('fires each due timer once: yellow, then red, with escalations; nothing twice', async () => {
    clock = new Date('2026-03-02T09:00:00+08:00');
    const c = await open();
    await cases.act(acting(window), c.number, { action: 'step', task: 1, name: 'accept', input: {} });
    // review: 10 working days → due 16 March; yellow from the start of 13 March (the last 2 days)
    clock = new Date('2026-03-13T10:00:00+08:00');
    sent.length = 0;
    let total = { fired: 0, warned: 0 };
    for (;;) {
      const r = await timers.sweep(50);
      total = { fired: total.fired + r.fired, warned: total.warned + r.warned };
      if (r.fired === 0) break;
    }
    let view = await cases.get(acting(handler), c.number);
    assert.equal(view.state.tasks[1]!.warned, 'yellow');
    assert.ok(
      sent.some((s) => s.accountId === 4 && s.kind === 'workflow.task_yellow'),
      'the head was told',
    );
    assert.equal((await timers.sweep()).fired, 0);
    clock = new Date('2026-03-17T08:00:00+08:00');
    while ((await timers.sweep(50)).fired > 0);
    view = await cases.get(acting(handler), c.number);
    assert.equal(view.state.tasks[1]!.warned, 'red');
    assert.ok(
      sent.some((s) => s.accountId === 7 && s.kind === 'workflow.task_red'),
      'raised to the city supervisor',
    );
    const warned = view.events.filter((e) => e.type === 'task.warned' && e.task === 2);
    assert.equal(warned.length, 2);
    assert.equal((await timers.sweep()).fired, 0);
  });

  it('closes a case whose 补正 the applicant leaves unanswered past its limit, and refuses a late answer', async () => {
    clock = new Date('2026-03-02T09:00:00+08:00');
    const c = await open();
    await cases.act(acting(window), c.number, {
      action: 'stop',
      task: 1,
      stop: 'supplement',
      reason: '请补交户口簿复印件',
    });
    // 15 working days from 2 March: due at the end of 23 March.
    clock = new Date('2026-03-23T20:00:00+08:00');
    while ((await timers.sweep(50)).fired > 0);
    assert.equal((await cases.get(acting(window), c.number)).state.status, 'stopped');
    const late = new Date('2026-03-24T09:00:00+08:00');
    clock = late;
    await assert.rejects(
      cases.act(acting(citizen), c.number, { action: 'resume', note: '补交', input: {} }),
      (e: unknown) =>
        e instanceof DomainError && e.code === 'workflow.stop.lapsed' && e.params.last === '2026-03-23',
    );
    while ((await timers.sweep(50)).fired > 0);
    const view = await cases.get(acting(window), c.number);
    assert.equal(view.state.status, 'closed');
    assert.equal(view.state.outcome, 'withdrawn');
    assert.deepEqual(
      view.events.slice(-2).map((e) => e.type),
      ['clock.lapsed', 'case.closed'],
    );
    // the lapse fired once; no timer is left for the case
    assert.equal((await timers.sweep()).fired, 0);
    const left = await test.db.kysely
      .selectFrom('workflow.timer')
      .select('kind')
      .where('fired_at', 'is', null)
      .where(
        'case_id',
        '=',
        (
          await test.db.kysely
            .selectFrom('workflow.case')
            .select('id')
            .where('number', '=', c.number)
            .executeTakeFirstOrThrow()
        ).id,
      )
      .execute();
    assert.deepEqual(left, []);
  });

  it('recomputes the deadlines of open cases when the calendar changes, logged on each case', async () => {
    clock = new Date('2026-03-02T09:00:00+08:00');
    const c = await open();
    calendar = new WorkCalendar([
      ...[2025, 2026].map((y) => nationalCalendar().days(y)),
      {
        year: 2026,
        published: true,
        holidays: [{ date: '2026-03-03', name: '地方假日', nameEn: 'local' }],
        workdays: [],
      },
    ]);
    try {
      const changed = await test.db.kysely
        .transaction()
        .execute((tx) => cases.recomputeDeadlines(tx, '330000', calendar));
      assert.ok(changed >= 1);
      const view = await cases.get(acting(window), c.number);
      assert.equal(view.events.at(-1)!.type, 'deadline.recomputed');
      const row = await test.db.kysely
        .selectFrom('workflow.task')
        .select('due_at')
        .where('case_number', '=', c.number)
        .executeTakeFirstOrThrow();
      assert.equal(row.due_at!.getTime(), view.state.tasks[0]!.dueAt!.getTime());
      // intake has 5 working days since version 2 (above): 4, 5, 6, 9, 10 March, the 3rd now a holiday
      assert.equal(fold(view.events).tasks[0]!.dueAt!.toISOString(), '2026-03-10T16:00:00.000Z');
    } finally {
      calendar = nationalCalendar();
    }
  });

  it('transfers an overdue task by its escalation rule and logs why', async () => {
    clock = new Date('2026-03-02T09:00:00+08:00');
    const admin = acting(actor(90, ['system_admin'], 1, '330000'));
    await definitions.save(
      admin,
      {
        code: 'test.escalate',
        name: { 'zh-CN': '超期转办测试' },
        applicants: ['internal'],
        start: 'handle',
        steps: {
          handle: {
            name: { 'zh-CN': '办理' },
            assignee: { department: 'case', role: 'handler' },
            limit: { amount: 1, unit: 'working-days' },
            escalations: [{ on: 'red', do: 'transfer', to: { department: { id: 21 }, role: 'handler' } }],
            actions: { done: { name: { 'zh-CN': '办结' }, to: 'end' } },
          },
        },
      },
      'admin',
    );
    const c = await cases.create(acting(handler), {
      definition: 'test.escalate',
      title: '内部事项',
      data: {},
    });
    clock = new Date('2026-03-04T09:00:00+08:00');
    while ((await timers.sweep(50)).fired > 0);
    const view = await cases.get(acting(supervisorOf()), c.number);
    const t = view.state.tasks[0]!;
    assert.equal(t.departmentId, 21);
    assert.equal(t.warned, 'red');
    assert.ok(view.events.some((e) => e.type === 'task.escalated' && e.escalation === 'transfer'));
    const moved = view.events.find((e) => e.type === 'task.transferred');
    assert.equal(moved?.type === 'task.transferred' && moved.reason, 'escalation:red');
  });

  it('runs a parallel approval to its join across departments', async () => {
    clock = new Date('2026-03-02T09:00:00+08:00');
    const c = await cases.create(acting(citizen), {
      definition: 'demo.joint-review',
      title: '西湖公益跑',
      data: { place: '西湖', date: '2026-05-01' },
      division: '330106',
    });
    await cases.act(acting(window), c.number, { action: 'step', task: 1, name: 'accept', input: {} });
    await cases.act(acting(handler), c.number, { action: 'step', task: 3, name: 'agree', input: {} });
    const city = actor(31, ['handler'], 30, '330100');
    await cases.act(acting(city), c.number, { action: 'step', task: 2, name: 'agree', input: {} });
    const view = await cases.get(acting(window), c.number);
    assert.equal(view.state.tasks[3]!.step, 'issue');
    const heard: string[] = [];
    cases.onClosed(async (tx, { tenantId }, closed) => {
      // In the closing transaction: the case row already says closed.
      const row = await tx
        .selectFrom('workflow.case')
        .select('status')
        .where('tenant_id', '=', tenantId)
        .where('number', '=', closed.number)
        .executeTakeFirstOrThrow();
      heard.push(`${closed.number}:${closed.state.outcome}:${row.status}`);
    });
    await cases.act(acting(window), c.number, { action: 'step', task: 4, name: 'issue', input: {} });
    assert.deepEqual(heard, [`${c.number}:approved:closed`]);
    const done = await cases.get(acting(citizen), c.number);
    assert.equal(done.state.outcome, 'approved');
    const rows = await test.db.kysely
      .selectFrom('workflow.task')
      .select(['status', 'on_time'])
      .where('case_number', '=', c.number)
      .execute();
    assert.ok(rows.every((r) => r.status === 'done' && r.on_time === true));
    void head;
  });

  it('tells the applicant the new date of an approved extension; change listeners hear every change', async () => {
    clock = new Date('2026-03-02T09:00:00+08:00');
    const heard: string[] = [];
    cases.onChanged(async (tx, { tenantId }, view, appended) => {
      // In the changing transaction: the projection already shows the change.
      const row = await tx
        .selectFrom('workflow.case')
        .select('status')
        .where('tenant_id', '=', tenantId)
        .where('number', '=', view.number)
        .executeTakeFirstOrThrow();
      heard.push(`${appended.map((e) => e.type).join('+')}:${row.status}`);
    });
    const c = await open();
    assert.deepEqual(heard, [], 'the opening is the within of create, not a change');
    await cases.act(acting(window), c.number, { action: 'step', task: 1, name: 'accept', input: {} });
    await cases.act(acting(handler), c.number, {
      action: 'request_extension',
      task: 2,
      amount: 5,
      reason: '需实地核查',
    });
    sent.length = 0;
    await cases.act(acting(head), c.number, {
      action: 'decide_extension',
      task: 2,
      approved: true,
      note: '同意',
    });
    assert.deepEqual(heard, [
      'task.completed+task.opened:open',
      'extension.requested:open',
      'extension.decided:open',
    ]);
    // 30 March + 5 working days over 清明 (4–6 April)
    assert.deepEqual(
      sent.filter((m) => m.kind === 'workflow.case_extended').map((m) => [m.accountId, m.params!.due]),
      [[citizen.accountId, '2026-04-07']],
    );
    // A refusal tells the applicant nothing: their date stands.
    const d = await open();
    await cases.act(acting(window), d.number, { action: 'step', task: 1, name: 'accept', input: {} });
    await cases.act(acting(handler), d.number, {
      action: 'request_extension',
      task: 2,
      amount: 5,
      reason: '需实地核查',
    });
    sent.length = 0;
    await cases.act(acting(head), d.number, {
      action: 'decide_extension',
      task: 2,
      approved: false,
      note: '不予延期',
    });
    assert.ok(!sent.some((m) => m.kind === 'workflow.case_extended'));
  });
});
