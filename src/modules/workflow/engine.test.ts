import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../kernel/errors.ts';
import type { Actor } from '../../kernel/policy/index.ts';
import { nationalCalendar, WorkCalendar } from './calendar.ts';
import { checkDefinition, formProblems, formValidator, type Definition } from './definition.ts';
import {
  available,
  caseDocuments,
  fold,
  plan,
  planCreate,
  replayDeadlines,
  type CaseEvent,
  type Command,
  type NewEvent,
  type PlanContext,
  stopNoticeText,
} from './engine.ts';
import { actor, loadProcess } from './workflow.fixtures.ts';

const calendar = nationalCalendar();
const assistance = loadProcess('demo.assistance.json');
const joint = loadProcess('demo.joint-review.json');

// Departments of the demo region, by type, at 西湖区 (330106) and above.
const DEPTS: Record<string, { departmentId: number; division: string }> = {
  government_services: { departmentId: 10, division: '330106' },
  civil_affairs: { departmentId: 20, division: '330106' },
  urban_management: { departmentId: 30, division: '330100' },
};

const citizen = actor(1, ['citizen'], null);
const window = actor(2, ['window_officer'], 10);
const handler = actor(3, ['handler'], 20);
const head = actor(4, ['department_head', 'handler'], 20);
const otherHandler = actor(5, ['handler'], 99, '330102'); // 上城区, another department
const cityHandler = actor(6, ['handler'], 30, '330100');
const supervisor = actor(7, ['supervisor'], 50, '330100'); // 杭州市: above 西湖区
const siblingSupervisor = actor(8, ['supervisor'], 51, '330102'); // 上城区: a sibling

class Case {
  events: CaseEvent[] = [];
  constructor(
    readonly def: Definition,
    public now: Date,
    readonly cal: WorkCalendar = calendar,
  ) {}
  ctx(): PlanContext {
    return {
      definition: this.def,
      calendar: this.cal,
      now: this.now,
      resolve: async (a, c) => {
        if (a.department === 'case') return { departmentId: c.departmentId, division: c.division };
        if ('id' in a.department) return { departmentId: a.department.id, division: '330106' };
        return DEPTS[a.department.type]!;
      },
    };
  }
  push(planned: NewEvent[], by: Actor | null) {
    for (const e of planned)
      this.events.push({
        ...e,
        at: this.now.toISOString(),
        by: by ? { accountId: by.accountId, name: by.name } : { accountId: null, name: '' },
      } as CaseEvent);
  }
  get state() {
    return fold(this.events);
  }
  async create(data: Record<string, unknown>, by: Actor = citizen) {
    this.push(
      await planCreate(this.ctx(), {
        title: 'test',
        applicant: { kind: 'person', accountId: by.accountId, name: by.name },
        data,
        departmentId: 10,
        division: '330106',
      }),
      by,
    );
    return this;
  }
  async act(by: Actor, cmd: Command) {
    this.push(await plan(this.state, this.ctx(), by, cmd), by);
    return this;
  }
  at(iso: string) {
    this.now = new Date(iso);
    return this;
  }
}

const chinaDay = (d: Date | null) =>
  d && new Date(d.getTime() - 1 + 8 * 3_600_000).toISOString().slice(0, 10);

async function refused(p: Promise<unknown>, kind: 'forbidden' | 'conflict' | 'invalid') {
  await assert.rejects(p, (e: unknown) => e instanceof DomainError && e.kind === kind);
}

describe('process definitions', () => {
  it('accepts the shipped demo processes', () => {
    assert.deepEqual(checkDefinition(assistance), []);
    assert.deepEqual(checkDefinition(joint), []);
  });

  it('lists every problem: unreachable steps, unknown roles and targets, joins without splits', () => {
    const bad = structuredClone(assistance) as Definition;
    bad.steps.orphan = {
      name: { 'zh-CN': '孤立' },
      assignee: { department: 'case', role: 'wizard' },
      actions: { go: { name: { 'zh-CN': '去' }, to: 'join' } },
    };
    bad.steps.intake!.actions!.accept!.to = 'nowhere';
    bad.steps.review!.assignee = { department: { type: 'ministry_of_magic' }, role: 'handler' };
    const codes = checkDefinition(bad).map((p) => `${p.path} ${p.code}`);
    for (const expected of [
      '/steps/orphan/assignee/role workflow.definition.role_unknown',
      '/steps/orphan/actions/go/to workflow.definition.join_without_split',
      '/steps/intake/actions/accept/to workflow.definition.step_unknown',
      '/steps/review/assignee/department/type workflow.definition.department_type_unknown',
      '/steps/orphan workflow.definition.unreachable',
      // review is reached only through intake's accept, which now points nowhere
      '/steps/review workflow.definition.unreachable',
    ])
      assert.ok(codes.includes(expected), `${expected} in ${codes.join('\n')}`);
  });

  it('marks which actions and stops issue a decision document, each where it belongs', () => {
    const bad = structuredClone(assistance) as Definition;
    const accept = bad.steps.intake!.actions!.accept!;
    assert.deepEqual([accept.document, bad.stops!.supplement!.document], ['acceptance', 'supplement']);
    accept.document = 'supplement';
    bad.stops!.public_notice!.document = 'refusal';
    const codes = checkDefinition(bad).map((p) => `${p.path} ${p.code}`);
    assert.deepEqual(codes, [
      '/stops/public_notice/document workflow.definition.document_misplaced',
      '/steps/intake/actions/accept/document workflow.definition.document_misplaced',
    ]);
    (accept as { document: string }).document = 'licence';
    assert.ok(
      checkDefinition(bad).some(
        (p) => p.code === 'workflow.definition.shape' && p.path === '/steps/intake/actions/accept/document',
      ),
    );
  });

  it('names the field a `dependencies` rule misses, as a required one', () => {
    const v = formValidator({
      properties: { part: { type: 'string' }, reason: { type: 'string' } },
      dependencies: { part: ['reason'] },
    });
    assert.equal(v({ part: '第三页' }), false);
    assert.deepEqual(formProblems(v.errors), [
      {
        field: 'reason',
        code: 'workflow.form.required',
        params: { property: 'part', missingProperty: 'reason', depsCount: 1, deps: 'reason' },
      },
    ]);
    assert.equal(v({}), true);
  });

  it('rejects a malformed shape with the JSON pointer of each problem', () => {
    const problems = checkDefinition({ code: 'X', steps: {} });
    assert.ok(problems.length >= 3);
    assert.ok(problems.every((p) => p.code === 'workflow.definition.shape'));
  });
});

describe('a case through its steps', () => {
  it('opens the first task with working-day deadlines, across the 2026 Spring Festival', async () => {
    // Friday 13 February 2026: 14 Feb (Sat) is a make-up workday, 15–23 the holiday, 28 Feb (Sat) a workday.
    const c = await new Case(assistance, new Date('2026-02-13T10:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    const s = c.state;
    assert.equal(s.status, 'open');
    const intake = s.tasks[0]!;
    assert.equal(intake.step, 'intake');
    assert.equal(intake.departmentId, 10);
    assert.equal(chinaDay(intake.dueAt), '2026-02-24'); // 2 working days: 14 Feb (Sat), 24 Feb
    // 20 working days: 14 Feb, 24–28 Feb (28th a Saturday workday), 2–6, 9–13 and 16–19 March
    assert.equal(chinaDay(s.dueAt), '2026-03-19');
  });

  it('refuses case data that fails the form, naming each field', async () => {
    await assert.rejects(
      new Case(assistance, new Date()).create({ amount: 0 }),
      (e: unknown) =>
        e instanceof DomainError &&
        e.fields.some((f) => f.field === 'reason') &&
        e.fields.some((f) => f.field === 'amount'),
    );
  });

  it('moves through intake, review and decision with the people entitled to each', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    await refused(c.act(handler, { action: 'step', task: 1, name: 'accept', input: {} }), 'forbidden');
    await refused(c.act(citizen, { action: 'step', task: 1, name: 'accept', input: {} }), 'forbidden');
    await c.act(window, { action: 'step', task: 1, name: 'accept', input: {} });
    assert.equal(c.state.tasks[1]!.step, 'review');
    // the same action again: the task is done
    await refused(c.act(window, { action: 'step', task: 1, name: 'accept', input: {} }), 'conflict');
    await c.act(handler, { action: 'claim', task: 2 });
    // held by the handler: the head may assign but not act in the handler's place
    await refused(
      c.act(head, { action: 'step', task: 2, name: 'approve', input: { opinion: '同意' } }),
      'conflict',
    );
    await assert.rejects(
      c.act(handler, { action: 'step', task: 2, name: 'approve', input: {} }),
      (e: unknown) => e instanceof DomainError && e.fields[0]?.field === 'opinion',
    );
    await c.act(handler, { action: 'step', task: 2, name: 'approve', input: { opinion: '情况属实' } });
    const decide = c.state.tasks[2]!;
    assert.equal(decide.step, 'decide');
    assert.equal(decide.departmentId, 20, 'the head of civil affairs decides');
    // the handler is in that department but not its head: never theirs to take (403)
    await refused(c.act(handler, { action: 'step', task: 3, name: 'grant', input: {} }), 'forbidden');
    assert.deepEqual(
      available(c.state, assistance, head).map((a) => a.name ?? a.action),
      ['grant', 'deny', 'claim', 'assign', 'request_extension', 'comment', 'attach'],
    );
    await c.act(head, { action: 'step', task: 3, name: 'grant', input: {} });
    assert.equal(c.state.status, 'closed');
    assert.equal(c.state.outcome, 'approved');
    assert.equal(c.state.late, false);
  });

  it('offers an action only when its guard holds', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '重病',
      amount: 80000,
    });
    await c.act(window, { action: 'step', task: 1, name: 'accept', input: {} });
    await c.act(handler, { action: 'step', task: 2, name: 'approve', input: { opinion: '属实' } });
    assert.ok(!available(c.state, assistance, head).some((a) => a.name === 'grant'));
    await refused(c.act(head, { action: 'step', task: 3, name: 'grant', input: {} }), 'conflict');
  });

  it('returns a task to an earlier step (退回) and transfers one (转办) with a reason', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    await c.act(window, { action: 'step', task: 1, name: 'accept', input: {} });
    await refused(c.act(handler, { action: 'return', task: 2, step: 'review', reason: 'x' }), 'invalid');
    await c.act(handler, { action: 'return', task: 2, step: 'intake', reason: '材料不全' });
    assert.deepEqual(
      c.state.tasks.map((t) => [t.step, t.status]),
      [
        ['intake', 'done'],
        ['review', 'done'],
        ['intake', 'open'],
      ],
    );
    await c.act(window, { action: 'step', task: 3, name: 'accept', input: {} });
    await refused(
      c.act(handler, { action: 'transfer', task: 4, departmentId: 21, division: '330106', reason: ' ' }),
      'invalid',
    );
    await c.act(handler, {
      action: 'transfer',
      task: 4,
      departmentId: 21,
      division: '330106',
      reason: '属另一科室',
    });
    const t = c.state.tasks[3]!;
    assert.equal(t.departmentId, 21);
    assert.equal(t.assigneeId, null);
    await refused(
      c.act(handler, { action: 'step', task: 4, name: 'approve', input: { opinion: 'x1' } }),
      'forbidden',
    );
  });
});

describe('the clock', () => {
  it('stops for 补正 and starts afresh when the applicant supplies the materials', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    await refused(c.act(window, { action: 'stop', task: 1, stop: 'public_notice', reason: 'x' }), 'invalid');
    await c.act(window, { action: 'stop', task: 1, stop: 'supplement', reason: '请补交户口簿复印件' });
    assert.equal(c.state.status, 'stopped');
    // nothing moves while stopped; only the applicant ends a 补正
    await refused(c.act(window, { action: 'step', task: 1, name: 'accept', input: {} }), 'conflict');
    await refused(c.act(window, { action: 'resume', note: '', input: {} }), 'conflict');
    c.at('2026-03-20T15:00:00+08:00');
    await c.act(citizen, { action: 'resume', note: '已补交', input: {} });
    const s = c.state;
    assert.equal(s.status, 'open');
    assert.equal(chinaDay(s.tasks[0]!.dueAt), '2026-03-24'); // 2 working days after Friday 20 March
    // 20 working days afresh: 23 March – 3 April (10), 清明 4–6 April, 7–17 April (19), 20 April
    assert.equal(chinaDay(s.dueAt), '2026-04-20');
  });

  it('lists everything a 补正 asks for, each item and what is wrong with it; refuses a bad list whole', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    const stop = (reason: string, items: { label: string; note: string }[]) =>
      c.act(window, { action: 'stop', task: 1, stop: 'supplement', reason, items });
    const fields = async (p: Promise<unknown>) => {
      const e = (await p.then(
        () => assert.fail('accepted'),
        (x: unknown) => x,
      )) as DomainError;
      assert.equal(e.kind, 'invalid');
      return e.fields.map((f) => `${f.field} ${f.code}`);
    };
    assert.deepEqual(await fields(stop('  ', [])), ['reason workflow.stop.reason_or_items']);
    assert.deepEqual(
      await fields(
        stop('', [
          { label: '户口簿', note: '' },
          { label: ' ', note: '' },
          { label: '户口簿', note: 'x'.repeat(501) },
          { label: '身'.repeat(201), note: '' },
        ]),
      ),
      [
        'items.1.label errors.field_required',
        'items.2.label workflow.stop.item_twice',
        'items.2.note workflow.text_too_long',
        'items.3.label workflow.text_too_long',
      ],
    );
    const many = Array.from({ length: 51 }, (_, i) => ({ label: `材料${i}`, note: '' }));
    assert.deepEqual(await fields(stop('', many)), ['items workflow.stop.too_many_items']);
    assert.equal(c.state.status, 'open', 'a refused stop leaves the clock running');

    // Items alone are enough; a reason alone still is (logs before lists had only reasons).
    await stop('', [
      { label: ' 户口簿 ', note: ' 缺少 ' },
      { label: '收入证明', note: '已过期，请提供近三个月的' },
    ]);
    const s = c.state;
    assert.equal(s.status, 'stopped');
    assert.deepEqual(s.stop!.items, [
      { label: '户口簿', note: '缺少' },
      { label: '收入证明', note: '已过期，请提供近三个月的' },
    ]);
    assert.equal(stopNoticeText(s.stop!), '1. 户口簿：缺少\n2. 收入证明：已过期，请提供近三个月的');
    assert.equal(stopNoticeText({ reason: '请补交', items: [] }), '请补交');
    const old = fold(
      c.events.map((e) => {
        if (e.type !== 'clock.stopped') return e;
        const { items: _items, ...rest } = e;
        return { ...rest, reason: '请补交户口簿' };
      }),
    );
    assert.deepEqual(old.stop!.items, []);
  });

  it('continues a special procedure (公示) with the days not yet used, not counting the stop', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    await c.act(window, { action: 'step', task: 1, name: 'accept', input: {} });
    const review = c.state.tasks[1]!;
    assert.equal(chinaDay(review.dueAt), '2026-03-16'); // 10 working days after Mon 2 March
    c.at('2026-03-04T10:00:00+08:00'); // Wednesday: 2 working days (3, 4 March) used
    await c.act(handler, { action: 'stop', task: 2, stop: 'public_notice', reason: '公示七日' });
    c.at('2026-03-11T10:00:00+08:00'); // resumed the next Wednesday: 8 days left, counted from 12 March
    await c.act(handler, { action: 'resume', note: '公示无异议', input: {} });
    assert.equal(chinaDay(c.state.tasks[1]!.dueAt), '2026-03-23');
  });

  it('extends a deadline once, with the head’s approval and within the limit', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    await c.act(window, { action: 'step', task: 1, name: 'accept', input: {} });
    await refused(
      c.act(handler, { action: 'request_extension', task: 2, amount: 11, reason: '需实地核查' }),
      'invalid',
    );
    await c.act(handler, { action: 'request_extension', task: 2, amount: 5, reason: '需实地核查' });
    await refused(
      c.act(handler, { action: 'request_extension', task: 2, amount: 5, reason: 'again' }),
      'conflict',
    );
    await refused(
      c.act(handler, { action: 'decide_extension', task: 2, approved: true, note: '' }),
      'conflict',
    );
    await c.act(head, { action: 'decide_extension', task: 2, approved: true, note: '同意' });
    assert.equal(chinaDay(c.state.tasks[1]!.dueAt), '2026-03-23'); // 16 March + 5 working days
    assert.equal(chinaDay(c.state.dueAt), '2026-04-07'); // 30 March + 5 working days over 清明 (4–6 April)
  });
});

describe('a stop with a window and a limit of its own', () => {
  // A request answered in 20 working days; 补正 only within 7 working days of receipt (restarting the
  // period), a consultation that does not count and lasts at most 15 working days (政府信息公开条例 §30, §32).
  const windowed: Definition = {
    code: 'test.windowed',
    name: { 'zh-CN': '窗口期测试' },
    applicants: ['person'],
    limit: { amount: 20, unit: 'working-days' },
    start: 'reply',
    steps: {
      reply: {
        name: { 'zh-CN': '答复' },
        assignee: { department: 'case', role: 'handler' },
        limit: { amount: 20, unit: 'working-days' },
        stops: ['supplement', 'consult'],
        actions: { done: { name: { 'zh-CN': '答复' }, to: 'end', outcome: 'completed' } },
      },
    },
    stops: {
      supplement: {
        name: { 'zh-CN': '补正' },
        resume: 'restart',
        endedBy: 'applicant',
        within: { amount: 7, unit: 'working-days' },
      },
      consult: {
        name: { 'zh-CN': '征求意见' },
        resume: 'continue',
        endedBy: 'staff',
        limit: { amount: 15, unit: 'working-days' },
      },
    },
  };
  const officer = actor(9, ['handler'], 10);
  // Wednesday 30 September 2026, the day before 国庆 (1–7 October off, Saturday 10 October a workday).
  const received = () => new Case(windowed, new Date('2026-09-30T16:00:00+08:00')).create({});

  it('is a valid definition; a window must be a limit', () => {
    assert.deepEqual(checkDefinition(windowed), []);
    const bad = structuredClone(windowed) as unknown as { stops: { supplement: { within: unknown } } };
    bad.stops.supplement.within = { amount: 7, unit: 'weeks' };
    assert.ok(
      checkDefinition(bad).some(
        (p) => p.code === 'workflow.definition.shape' && p.path.startsWith('/stops/supplement/within'),
      ),
    );
  });

  it('counts from the day after the opening, across a holiday and a make-up workday', async () => {
    const c = await received();
    // 8, 9, 10 (Sat, worked), 12–16, 19–23, 26–30 October, 2 and 3 November: the 20th is 3 November.
    assert.equal(chinaDay(c.state.dueAt), '2026-11-03');
    assert.equal(chinaDay(c.state.tasks[0]!.dueAt), '2026-11-03');
  });

  it('may start on the last day of its window, not the day after, and says which day that was', async () => {
    const late = await received();
    late.at('2026-10-16T09:00:00+08:00'); // the 8th working day after 30 September
    const e = (await late
      .act(officer, { action: 'stop', task: 1, stop: 'supplement', reason: '请说明所需信息的文号' })
      .then(
        () => assert.fail('accepted'),
        (x: unknown) => x,
      )) as DomainError;
    assert.equal(e.kind, 'conflict');
    assert.equal(e.code, 'workflow.stop.window_passed.working-days');
    assert.deepEqual(e.params, { stop: '补正', amount: 7, last: '2026-10-15' });
    assert.equal(late.state.status, 'open');
    // The other stop has no window.
    await late.act(officer, { action: 'stop', task: 1, stop: 'consult', reason: '征求第三方意见' });
    assert.equal(late.state.status, 'stopped');

    const inTime = await received();
    inTime.at('2026-10-15T23:59:00+08:00'); // the 7th working day, to its last minute
    await inTime.act(officer, {
      action: 'stop',
      task: 1,
      stop: 'supplement',
      reason: '请说明所需信息的文号',
    });
    assert.equal(inTime.state.status, 'stopped');
    // Supplied on Monday 19 October: 20 working days afresh from the day after it arrived.
    inTime.at('2026-10-19T10:00:00+08:00');
    await inTime.act(citizen, { action: 'resume', note: '已补充文号', input: {} });
    // 20–23, 26–30 October, 2–6, 9–13 November, 16 November
    assert.equal(chinaDay(inTime.state.dueAt), '2026-11-16');
  });

  it("keeps a stop's own limit, and counts the days after it when resumed late", async () => {
    const c = await received();
    c.at('2026-10-12T10:00:00+08:00'); // Monday: 8, 9, 10 and (the stop's own day) 12 October used, 16 left
    await c.act(officer, { action: 'stop', task: 1, stop: 'consult', reason: '征求第三方意见' });
    // 15 working days of its own: 13–16, 19–23, 26–30 October, 2 November
    assert.equal(chinaDay(c.state.stop!.dueAt), '2026-11-02');
    assert.equal(c.state.stop!.dueAt!.toISOString(), '2026-11-02T16:00:00.000Z');
    const back = structuredClone(c.events);
    // Answered in time (Thursday 22 October): the 16 days left run from the 23rd.
    c.at('2026-10-22T15:00:00+08:00');
    await c.act(officer, { action: 'resume', note: '第三方已答复', input: {} });
    // 23, 26–30 October, 2–6, 9–13 November
    assert.equal(chinaDay(c.state.dueAt), '2026-11-13');

    // Resumed only on Friday 6 November, after the third party's 15 days: the days from 3 November count.
    const late = new Case(windowed, new Date('2026-11-06T10:00:00+08:00'));
    late.events = back;
    await late.act(officer, { action: 'resume', note: '第三方逾期未答复', input: {} });
    // 16 days from 3 November: 3–6, 9–13, 16–20, 23–24 November
    assert.equal(chinaDay(late.state.dueAt), '2026-11-24');
    assert.deepEqual(replayDeadlines(late.events, windowed, calendar), [], 'the replay agrees');
  });
});

describe('decision documents', () => {
  it('finds the documents the definition marks, numbered in the order the log issued them', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    assert.deepEqual(caseDocuments(assistance, c.events), []);
    await c.act(window, { action: 'stop', task: 1, stop: 'supplement', reason: '请补交户口簿' });
    await c.act(citizen, { action: 'resume', note: '', input: {} });
    await c.act(window, { action: 'step', task: 1, name: 'accept', input: {} });
    await c.act(handler, { action: 'stop', task: 2, stop: 'public_notice', reason: '公示七日' });
    const docs = caseDocuments(assistance, c.events);
    assert.deepEqual(
      docs.map((d) => [d.n, d.kind, d.event.type]),
      [
        [1, 'supplement', 'clock.stopped'],
        [2, 'acceptance', 'task.completed'],
      ],
      'a stop without a document (公示) issues none',
    );
    const refused = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    await refused.act(window, {
      action: 'step',
      task: 1,
      name: 'refuse',
      input: { reason: '不属于救助范围', basis: '《社会救助暂行办法》第四十七条' },
    });
    const [refusal] = caseDocuments(assistance, refused.events);
    assert.equal(refusal!.kind, 'refusal');
    assert.deepEqual(refusal!.event.type === 'task.completed' && refusal!.event.input, {
      reason: '不属于救助范围',
      basis: '《社会救助暂行办法》第四十七条',
    });
  });
});

describe('parallel approval (并联审批)', () => {
  async function split() {
    const c = await new Case(joint, new Date('2026-03-02T09:00:00+08:00')).create({
      place: '西湖',
      date: '2026-05-01',
    });
    await c.act(window, { action: 'step', task: 1, name: 'accept', input: {} });
    return c;
  }
  it('opens one task per department and joins when all agree', async () => {
    const c = await split();
    assert.deepEqual(
      c.state.tasks.filter((t) => t.status === 'open').map((t) => [t.branch, t.departmentId]),
      [
        ['city', 30],
        ['civil', 20],
      ],
    );
    await refused(c.act(handler, { action: 'step', task: 2, name: 'agree', input: {} }), 'forbidden');
    await c.act(handler, { action: 'step', task: 3, name: 'agree', input: {} });
    assert.equal(c.state.tasks.length, 3, 'no join before every branch is done');
    await c.act(cityHandler, { action: 'step', task: 2, name: 'agree', input: {} });
    assert.equal(c.state.tasks[3]!.step, 'issue');
  });
  it('ends early when one department rejects: the others are cancelled', async () => {
    const c = await split();
    await c.act(cityHandler, { action: 'step', task: 2, name: 'object', input: { reason: '占道' } });
    const s = c.state;
    assert.equal(s.status, 'closed');
    assert.equal(s.outcome, 'rejected');
    assert.equal(s.tasks[2]!.status, 'cancelled');
    await refused(c.act(handler, { action: 'step', task: 3, name: 'agree', input: {} }), 'conflict');
  });
});

describe('who may see and do what', () => {
  it('hides a case from staff of uninvolved departments and sibling supervisors; upper levels see it', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    const s = c.state;
    assert.deepEqual(available(s, assistance, otherHandler), []);
    assert.deepEqual(available(s, assistance, siblingSupervisor), []);
    assert.deepEqual(
      available(s, assistance, supervisor).map((a) => a.action),
      ['comment', 'urge', 'card'],
    );
    await refused(c.act(otherHandler, { action: 'comment', text: 'hi' }), 'forbidden');
    await c.act(supervisor, { action: 'urge', note: '请加快办理', task: null });
    assert.ok(c.state.urge);
    await refused(c.act(supervisor, { action: 'acknowledge', note: '' }), 'conflict');
    await c.act(window, { action: 'acknowledge', note: '收到' });
    assert.equal(c.state.urge, null);
  });

  it('the applicant may only attach and, in a 补正, resume', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    assert.deepEqual(
      available(c.state, assistance, citizen).map((a) => a.action),
      ['attach'],
    );
    const stranger = actor(77, ['citizen'], null);
    assert.deepEqual(available(c.state, assistance, stranger), []);
  });
});

describe('a changed calendar', () => {
  it('recomputes the open deadlines the change touches, and only those', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    assert.deepEqual(replayDeadlines(c.events, assistance, calendar), []);
    // a site declares Tuesday 3 March a local holiday
    const local = new WorkCalendar([
      ...[2025, 2026].map((y) => calendar.days(y)),
      {
        year: 2026,
        published: true,
        holidays: [{ date: '2026-03-03', name: '地方假日', nameEn: 'local' }],
        workdays: [],
      },
    ]);
    const changed = replayDeadlines(c.events, assistance, local);
    assert.deepEqual(
      changed.map((d) => [d.task, chinaDay(d.dueAt ? new Date(d.dueAt) : null)]),
      [
        [null, '2026-03-31'],
        [1, '2026-03-05'],
      ],
    );
  });
});

describe('the permission matrix of every action', () => {
  const names = (s: ReturnType<typeof fold>, a: Actor) =>
    available(s, assistance, a)
      .map((x) => (x.action === 'step' ? x.name! : x.action))
      .join(' ');

  it('in review, held by the handler', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    await c.act(window, { action: 'step', task: 1, name: 'accept', input: {} });
    await c.act(handler, { action: 'claim', task: 2 });
    const s = c.state;
    const matrix: [string, Actor, string][] = [
      ['the holder', handler, 'approve reject release transfer return stop request_extension comment attach'],
      ['the head of the department', head, 'assign transfer return stop request_extension comment attach'],
      ['the window that took it in', window, 'comment attach'],
      ['a handler of another department', otherHandler, ''],
      ['the supervisor above', supervisor, 'comment urge card'],
      ['a sibling district’s supervisor', siblingSupervisor, ''],
      ['the applicant', citizen, 'attach'],
      ['another citizen', actor(77, ['citizen'], null), ''],
    ];
    for (const [who, a, expected] of matrix) assert.equal(names(s, a), expected, who);
  });

  it('waiting in intake, stopped for 补正, extension asked, urged and closed', async () => {
    const c = await new Case(assistance, new Date('2026-03-02T09:00:00+08:00')).create({
      reason: '火灾',
      amount: 3000,
    });
    assert.equal(names(c.state, window), 'accept refuse claim stop request_extension comment attach');
    await c.act(window, { action: 'stop', task: 1, stop: 'supplement', reason: '补交户口簿' });
    assert.equal(names(c.state, window), 'comment attach', 'only the applicant ends a 补正');
    assert.equal(names(c.state, citizen), 'resume attach');
    await c.act(citizen, { action: 'resume', note: '', input: {} });
    await c.act(window, { action: 'step', task: 1, name: 'accept', input: {} });
    await c.act(handler, { action: 'request_extension', task: 2, amount: 3, reason: '核查' });
    assert.ok(names(c.state, head).includes('decide_extension'));
    assert.ok(!names(c.state, handler).includes('decide_extension'), 'no one approves their own extension');
    await c.act(supervisor, { action: 'urge', note: '加快', task: 2 });
    assert.ok(names(c.state, handler).endsWith('acknowledge'));
    assert.ok(!names(c.state, supervisor).includes('acknowledge'));
    await c.act(handler, { action: 'step', task: 2, name: 'reject', input: { opinion: '不符合条件' } });
    assert.equal(c.state.status, 'closed');
    for (const a of [window, handler, head, supervisor]) assert.equal(names(c.state, a), 'comment');
    assert.equal(names(c.state, citizen), '');
  });
});
