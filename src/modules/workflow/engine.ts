/**
 * The case engine's pure core (办件引擎): a case is its action log. `fold` turns the log into the
 * case's state; `plan` decides what a command adds to the log, or refuses it. Nothing here touches the
 * database or the clock: the service loads the log under a row lock, calls plan with the time and the
 * calendar, appends what plan returns and projects the state into the task table for queries.
 *
 * Deadlines are computed when an event is planned and carried in it, so that the fold needs no
 * calendar, and a calendar edited later changes only what it is asked to recompute (logged as
 * deadline.recomputed).
 */
import { conflict, DomainError, invalidFields } from '../../kernel/errors.ts';
import { decide, type Actor } from '../../kernel/policy/index.ts';
import type { WorkCalendar } from './calendar.ts';
import {
  chinaTime,
  deadline,
  dueDay,
  extendedDeadline,
  lightAt,
  resumedDeadline,
  type Deadline,
  type Light,
} from './deadline.ts';
import {
  formProblems,
  formValidator,
  guardHolds,
  type Action,
  type Assignee,
  type Branch,
  type Definition,
  type DocumentKind,
  type Limit,
} from './definition.ts';

export type ApplicantKind = 'person' | 'enterprise' | 'internal';

export interface Applicant {
  kind: ApplicantKind;
  /** the applicant's account (person or enterprise); null for internal cases and walk-ins without one */
  accountId: number | null;
  name: string;
}

/** Who did something, as the log records it; null actor = the system (timers, calendar edits). */
export interface By {
  accountId: number | null;
  name: string;
}

type At = string; // ISO instant

/**
 * One thing a clock stop asks for (补正告知): a material or anything else to supply, and what is wrong
 * with it — missing, unclear, expired … The notice lists them all at once, as 行政许可法 §32 requires.
 */
export interface StopItem {
  label: string;
  note: string;
}
/** Bounds of a stop's list: a notice of 50 things is already more than anyone can act on. */
export const STOP_ITEMS = { max: 50, label: 200, note: 500 } as const;

export type CaseEvent = { at: At; by: By } & (
  | {
      type: 'case.created';
      title: string;
      applicant: Applicant;
      data: Record<string, unknown>;
      departmentId: number;
      division: string;
      dueAt: At | null;
      yellowAt: At | null;
    }
  | {
      type: 'task.opened';
      task: number;
      step: string;
      branch: string | null;
      /** the first task of the parallel split this branch belongs to */
      split: number | null;
      departmentId: number;
      division: string;
      role: string;
      limit: Limit | null;
      dueAt: At | null;
      yellowAt: At | null;
    }
  | { type: 'task.claimed'; task: number }
  | { type: 'task.released'; task: number }
  | { type: 'task.assigned'; task: number; accountId: number; name: string }
  | { type: 'task.transferred'; task: number; departmentId: number; division: string; reason: string }
  | { type: 'task.completed'; task: number; action: string; input: Record<string, unknown> }
  | { type: 'task.returned'; task: number; step: string; reason: string }
  | { type: 'task.cancelled'; task: number; reason: 'split_rejected' }
  | { type: 'task.warned'; task: number; light: 'yellow' | 'red' }
  | { type: 'task.escalated'; task: number; escalation: string; detail: string }
  | { type: 'comment.added'; text: string }
  | { type: 'attachment.added'; digest: string; filename: string; size: number; mediaType: string }
  | {
      type: 'clock.stopped';
      stop: string;
      reason: string;
      task: number | null;
      /** what the stop asks for; absent in logs written before notices were lists */
      items?: StopItem[];
      /** the end of the stop's own limit (征求第三方意见: 15 working days); absent when it has none */
      dueAt?: At | null;
    }
  /** the stop's own limit ran out before it ended (a 补正 never answered); the case closes next */
  | { type: 'clock.lapsed'; stop: string }
  | {
      type: 'clock.resumed';
      stop: string;
      note: string;
      input: Record<string, unknown>;
      deadlines: { task: number | null; dueAt: At | null; yellowAt: At | null }[];
    }
  | { type: 'extension.requested'; task: number; amount: number; unit: Limit['unit']; reason: string }
  | {
      type: 'extension.decided';
      task: number;
      approved: boolean;
      note: string;
      deadlines: { task: number | null; dueAt: At | null; yellowAt: At | null }[];
    }
  | {
      type: 'deadline.recomputed';
      reason: 'calendar';
      deadlines: { task: number | null; dueAt: At | null; yellowAt: At | null }[];
    }
  | { type: 'case.urged'; note: string; task: number | null }
  | { type: 'urge.acknowledged'; note: string }
  | { type: 'card.issued'; color: 'yellow' | 'red'; reason: string; departmentId: number }
  | { type: 'case.closed'; outcome: string }
);

export type EventType = CaseEvent['type'];
/** An event as planned, before it has a time and an author. */
export type NewEvent = DistributiveOmit<CaseEvent, 'at' | 'by'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface TaskState {
  no: number;
  step: string;
  branch: string | null;
  split: number | null;
  departmentId: number;
  division: string;
  role: string;
  assigneeId: number | null;
  assigneeName: string;
  status: 'open' | 'done' | 'cancelled';
  openedAt: Date;
  closedAt: Date | null;
  limit: Limit | null;
  dueAt: Date | null;
  yellowAt: Date | null;
  /** the worst warning raised (黄灯/红灯) */
  warned: 'green' | 'yellow' | 'red';
  action: string | null;
  extension: 'none' | 'requested' | 'granted' | 'refused';
  requestedExtension: Limit | null;
}

export interface CaseState {
  title: string;
  applicant: Applicant;
  data: Record<string, unknown>;
  departmentId: number;
  division: string;
  status: 'open' | 'stopped' | 'closed';
  outcome: string | null;
  createdAt: Date;
  closedAt: Date | null;
  dueAt: Date | null;
  yellowAt: Date | null;
  tasks: TaskState[];
  stop: {
    stop: string;
    reason: string;
    items: StopItem[];
    since: Date;
    task: number | null;
    /** when the stop's own limit runs out (null: it has none) */
    dueAt: Date | null;
  } | null;
  /** an urge (督办) the handlers have not yet acknowledged */
  urge: { note: string; at: Date; by: string } | null;
  cards: { color: 'yellow' | 'red'; reason: string; departmentId: number; at: Date }[];
  /** whether the case was closed after its deadline */
  late: boolean;
}

const date = (s: At | null) => (s === null ? null : new Date(s));

function applyDeadlines(
  s: CaseState,
  list: { task: number | null; dueAt: At | null; yellowAt: At | null }[],
) {
  for (const d of list) {
    if (d.task === null) {
      s.dueAt = date(d.dueAt);
      s.yellowAt = date(d.yellowAt);
    } else {
      const t = s.tasks[d.task - 1]!;
      t.dueAt = date(d.dueAt);
      t.yellowAt = date(d.yellowAt);
      // a later deadline takes a warning back (the light is recomputed at the next sweep)
      t.warned = 'green';
    }
  }
}

/** The state of a case: its log, folded. */
export function fold(events: readonly CaseEvent[]): CaseState {
  let s: CaseState | null = null;
  for (const e of events) {
    const at = new Date(e.at);
    if (e.type === 'case.created') {
      s = {
        title: e.title,
        applicant: e.applicant,
        data: e.data,
        departmentId: e.departmentId,
        division: e.division,
        status: 'open',
        outcome: null,
        createdAt: at,
        closedAt: null,
        dueAt: date(e.dueAt),
        yellowAt: date(e.yellowAt),
        tasks: [],
        stop: null,
        urge: null,
        cards: [],
        late: false,
      };
      continue;
    }
    if (!s) throw new Error('a case log starts with case.created');
    const task = 'task' in e && e.task !== null ? s.tasks[e.task - 1] : undefined;
    switch (e.type) {
      case 'task.opened':
        s.tasks.push({
          no: e.task,
          step: e.step,
          branch: e.branch,
          split: e.split,
          departmentId: e.departmentId,
          division: e.division,
          role: e.role,
          assigneeId: null,
          assigneeName: '',
          status: 'open',
          openedAt: at,
          closedAt: null,
          limit: e.limit,
          dueAt: date(e.dueAt),
          yellowAt: date(e.yellowAt),
          warned: 'green',
          action: null,
          extension: 'none',
          requestedExtension: null,
        });
        break;
      case 'task.claimed':
        task!.assigneeId = e.by.accountId;
        task!.assigneeName = e.by.name;
        break;
      case 'task.released':
        task!.assigneeId = null;
        task!.assigneeName = '';
        break;
      case 'task.assigned':
        task!.assigneeId = e.accountId;
        task!.assigneeName = e.name;
        break;
      case 'task.transferred':
        task!.departmentId = e.departmentId;
        task!.division = e.division;
        task!.assigneeId = null;
        task!.assigneeName = '';
        break;
      case 'task.completed':
      case 'task.returned':
        task!.status = 'done';
        task!.closedAt = at;
        task!.action = e.type === 'task.completed' ? e.action : 'return';
        if (task!.assigneeId === null) {
          task!.assigneeId = e.by.accountId;
          task!.assigneeName = e.by.name;
        }
        break;
      case 'task.cancelled':
        task!.status = 'cancelled';
        task!.closedAt = at;
        break;
      case 'task.warned':
        task!.warned = e.light;
        break;
      case 'clock.stopped':
        s.status = 'stopped';
        s.stop = {
          stop: e.stop,
          reason: e.reason,
          items: e.items ?? [],
          since: at,
          task: e.task,
          dueAt: date(e.dueAt ?? null),
        };
        break;
      case 'clock.resumed':
        s.status = 'open';
        s.stop = null;
        applyDeadlines(s, e.deadlines);
        break;
      case 'clock.lapsed':
        s.stop = null;
        break;
      case 'extension.requested':
        task!.extension = 'requested';
        task!.requestedExtension = { amount: e.amount, unit: e.unit };
        break;
      case 'extension.decided':
        task!.extension = e.approved ? 'granted' : 'refused';
        applyDeadlines(s, e.deadlines);
        break;
      case 'deadline.recomputed':
        applyDeadlines(s, e.deadlines);
        break;
      case 'case.urged':
        s.urge = { note: e.note, at, by: e.by.name };
        break;
      case 'urge.acknowledged':
        s.urge = null;
        break;
      case 'card.issued':
        s.cards.push({ color: e.color, reason: e.reason, departmentId: e.departmentId, at });
        break;
      case 'case.closed':
        s.status = 'closed';
        s.outcome = e.outcome;
        s.closedAt = at;
        s.late = s.dueAt !== null && at > s.dueAt;
        for (const t of s.tasks)
          if (t.status === 'open') {
            t.status = 'cancelled';
            t.closedAt = at;
          }
        break;
      case 'task.escalated':
      case 'comment.added':
      case 'attachment.added':
        break;
    }
  }
  if (!s) throw new Error('empty case log');
  return s;
}

/**
 * Events that stay inside the office: its notes, warnings and supervision, and who in it holds a
 * task. The applicant's views (pages and API) leave them out.
 */
export const OFFICE_EVENTS: ReadonlySet<EventType> = new Set<EventType>([
  'task.claimed',
  'task.released',
  'task.assigned',
  'comment.added',
  'task.warned',
  'task.escalated',
  'case.urged',
  'urge.acknowledged',
  'card.issued',
]);

export const openTasks = (s: CaseState) => s.tasks.filter((t) => t.status === 'open');

/** Where a task's department comes from: resolved by the service against the org module. */
export type ResolveAssignee = (
  assignee: Assignee,
  c: { departmentId: number; division: string },
) => Promise<{ departmentId: number; division: string }>;

export interface PlanContext {
  definition: Definition;
  calendar: WorkCalendar;
  now: Date;
  resolve: ResolveAssignee;
}

const warnAtOf = (d: Definition) => d.warnAt ?? 0.8;
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/**
 * When a stop that continues the period counts as ended: when it was resumed, but no later than the
 * end of its own limit — the days after it are the office's again (a third party silent after its 15
 * working days does not hold the reply up, 政府信息公开条例 §32). A stop that restarts the period
 * (补正) restarts it from the day it ended, whenever that is.
 */
function resumedWithin(stopDueAt: Date | null, resumedAt: Date, mode: 'continue' | 'restart'): Date {
  if (mode === 'restart' || stopDueAt === null || resumedAt <= stopDueAt) return resumedAt;
  // Within the limit's last day, so that the days after it count.
  return new Date(stopDueAt.getTime() - 1);
}

function dl(ctx: PlanContext, limit: Limit | undefined | null): Deadline | null {
  return limit ? deadline(ctx.calendar, ctx.now, limit, warnAtOf(ctx.definition)) : null;
}

/** The task.opened events of entering a step (one, or one per branch of a parallel step). */
async function enterStep(
  ctx: PlanContext,
  c: { departmentId: number; division: string },
  stepId: string,
  nextTask: number,
): Promise<NewEvent[]> {
  const step = ctx.definition.steps[stepId]!;
  const units: [string | null, { assignee: Assignee; limit?: Limit | undefined }][] = step.parallel
    ? Object.entries(step.parallel.branches).map(([b, br]: [string, Branch]) => [b, br])
    : [[null, { assignee: step.assignee!, limit: step.limit }]];
  const out: NewEvent[] = [];
  for (const [branch, u] of units) {
    const where = await ctx.resolve(u.assignee, c);
    const d = dl(ctx, u.limit);
    out.push({
      type: 'task.opened',
      task: nextTask + out.length,
      step: stepId,
      branch,
      split: step.parallel ? nextTask : null,
      departmentId: where.departmentId,
      division: where.division,
      role: u.assignee.role,
      limit: u.limit ?? null,
      dueAt: iso(d?.dueAt ?? null),
      yellowAt: iso(d?.yellowAt ?? null),
    });
  }
  return out;
}

export interface CreateInput {
  title: string;
  applicant: Applicant;
  data: Record<string, unknown>;
  departmentId: number;
  division: string;
}

/** The first events of a new case: created, and the tasks of its first step. */
export async function planCreate(ctx: PlanContext, input: CreateInput): Promise<NewEvent[]> {
  const def = ctx.definition;
  if (!def.applicants.includes(input.applicant.kind))
    throw invalidFields([
      { field: 'applicant', code: 'workflow.case.applicant_kind', params: { kind: input.applicant.kind } },
    ]);
  if (def.form) {
    const v = formValidator(def.form);
    if (!v(input.data)) throw invalidFields(formProblems(v.errors));
  }
  const d = dl(ctx, def.limit);
  return [
    {
      type: 'case.created',
      ...input,
      dueAt: iso(d?.dueAt ?? null),
      yellowAt: iso(d?.yellowAt ?? null),
    },
    ...(await enterStep(ctx, input, def.start, 1)),
  ];
}

/** The built-in actions every task step has, beside the definition's own. */
export const BUILTIN_ACTIONS = [
  'claim',
  'release',
  'assign',
  'transfer',
  'return',
  'stop',
  'resume',
  'request_extension',
  'decide_extension',
  'comment',
  'attach',
  'urge',
  'acknowledge',
  'card',
] as const;
export type BuiltinAction = (typeof BUILTIN_ACTIONS)[number];

export type Command =
  | { action: 'claim' | 'release'; task: number }
  | { action: 'assign'; task: number; accountId: number; name: string }
  | { action: 'transfer'; task: number; departmentId: number; division: string; reason: string }
  | { action: 'return'; task: number; step: string; reason: string }
  | { action: 'stop'; task: number; stop: string; reason: string; items?: StopItem[] }
  | { action: 'resume'; note: string; input: Record<string, unknown> }
  | { action: 'request_extension'; task: number; amount: number; reason: string }
  | { action: 'decide_extension'; task: number; approved: boolean; note: string }
  | { action: 'comment'; text: string }
  | { action: 'attach'; files: { digest: string; filename: string; size: number; mediaType: string }[] }
  | { action: 'urge'; note: string; task: number | null }
  | { action: 'acknowledge'; note: string }
  | { action: 'card'; color: 'yellow' | 'red'; reason: string; departmentId: number }
  | { action: 'step'; task: number; name: string; input: Record<string, unknown> };

/** How the actor stands to the case: the applicant, staff of a department with a task, a supervisor. */
export function relation(s: CaseState, actor: Actor) {
  const staff = actor.kind === 'staff';
  // A walk-in applicant (窗口代办) has no account: the window that took the case, its receiving
  // department's case handlers, does what the applicant would — answers a 补正, resubmits.
  const applicant =
    s.applicant.accountId !== null
      ? s.applicant.accountId === actor.accountId
      : s.applicant.kind !== 'internal' &&
        staff &&
        actor.permissions.has('case.handle') &&
        actor.departmentId === s.departmentId;
  const handles =
    staff &&
    actor.permissions.has('case.handle') &&
    s.tasks.some((t) => t.departmentId === actor.departmentId);
  const supervises = staff && decide(actor, 'case.supervise', { division: s.division }) === 'allow';
  const supervisesAny =
    supervises ||
    (staff &&
      actor.permissions.has('case.supervise') &&
      s.tasks.some((t) => decide(actor, 'case.supervise', { division: t.division }) === 'allow'));
  return { applicant, handles, supervises: supervisesAny };
}

/** Whether the actor may see the case at all (else it does not exist for them). */
export function canSee(s: CaseState, actor: Actor): boolean {
  const r = relation(s, actor);
  return r.applicant || r.handles || r.supervises;
}

/** Whether the actor may work on a task now: staff of its department in its role (or `roles`), in jurisdiction. */
function mayWork(t: TaskState, actor: Actor, roles?: readonly string[]): boolean {
  return (
    t.status === 'open' &&
    actor.kind === 'staff' &&
    actor.permissions.has('case.handle') &&
    actor.departmentId === t.departmentId &&
    decide(actor, 'case.handle', { division: t.division }) === 'allow' &&
    (roles ?? [t.role]).some((r) => actor.roles.includes(r))
  );
}
const isLead = (t: TaskState, actor: Actor) =>
  t.status === 'open' &&
  actor.kind === 'staff' &&
  actor.permissions.has('case.lead') &&
  actor.departmentId === t.departmentId &&
  decide(actor, 'case.lead', { division: t.division }) === 'allow';
/** Free to act: nobody holds it, or the actor does. */
const holds = (t: TaskState, actor: Actor) => t.assigneeId === null || t.assigneeId === actor.accountId;

function stepOf(def: Definition, t: TaskState) {
  const step = def.steps[t.step]!;
  if (t.branch !== null) return { step, actions: step.parallel!.branches[t.branch]!.actions };
  return { step, actions: step.actions ?? {} };
}

export interface AvailableAction {
  task: number | null;
  action: BuiltinAction | 'step';
  /** for 'step': the definition's action id */
  name?: string;
  def?: Action;
}

/** Everything the actor may do on the case now — the pages offer exactly these, plan accepts nothing else. */
export function available(s: CaseState, def: Definition, actor: Actor): AvailableAction[] {
  const out: AvailableAction[] = [];
  const rel = relation(s, actor);
  if (s.status === 'closed') return rel.handles || rel.supervises ? [{ task: null, action: 'comment' }] : [];
  for (const t of openTasks(s)) {
    const { step, actions } = stepOf(def, t);
    const worker = mayWork(t, actor);
    const lead = isLead(t, actor);
    if (s.status === 'open') {
      for (const [name, a] of Object.entries(actions)) {
        if (!guardHolds(a.when, s.data)) continue;
        const ok = a.by === 'applicant' ? rel.applicant : mayWork(t, actor, a.roles) && holds(t, actor);
        if (ok) out.push({ task: t.no, action: 'step', name, def: a });
      }
      if (worker && t.assigneeId === null) out.push({ task: t.no, action: 'claim' });
      if (worker && t.assigneeId === actor.accountId) out.push({ task: t.no, action: 'release' });
      if (lead) out.push({ task: t.no, action: 'assign' });
      if ((worker && holds(t, actor)) || lead) {
        if (step.transferable) out.push({ task: t.no, action: 'transfer' });
        if ((step.returnTo ?? []).length > 0 && t.branch === null) out.push({ task: t.no, action: 'return' });
        if ((step.stops ?? []).length > 0) out.push({ task: t.no, action: 'stop' });
        if (def.extension && t.extension === 'none' && t.dueAt)
          out.push({ task: t.no, action: 'request_extension' });
      }
    }
    if (
      def.extension &&
      t.extension === 'requested' &&
      isLead(t, actor) &&
      actor.roles.includes(def.extension.approver)
    )
      out.push({ task: t.no, action: 'decide_extension' });
  }
  if (s.status === 'stopped' && s.stop) {
    const stop = def.stops?.[s.stop.stop];
    const t = s.stop.task === null ? undefined : s.tasks[s.stop.task - 1];
    const ok =
      stop?.endedBy === 'applicant'
        ? rel.applicant
        : t !== undefined && (mayWork(t, actor) || isLead(t, actor));
    if (ok) out.push({ task: null, action: 'resume' });
  }
  if (rel.handles || rel.supervises) out.push({ task: null, action: 'comment' });
  if (rel.handles || rel.applicant) out.push({ task: null, action: 'attach' });
  if (rel.supervises) {
    out.push({ task: null, action: 'urge' });
    out.push({ task: null, action: 'card' });
  }
  if (s.urge && rel.handles && openTasks(s).some((t) => mayWork(t, actor) || isLead(t, actor)))
    out.push({ task: null, action: 'acknowledge' });
  return out;
}

/** The refusal for an action that is not offered: 403 if the actor could never take it here, 409 if not now. */
function refuse(s: CaseState, def: Definition, actor: Actor, cmd: Command, stepName: string): never {
  const t = 'task' in cmd && cmd.task !== null ? s.tasks[cmd.task - 1] : undefined;
  const name = cmd.action === 'step' ? cmd.name : cmd.action;
  if ('task' in cmd && cmd.task !== null && !t)
    throw conflict('workflow.action.task_unknown', { task: cmd.task });
  // Could this actor ever take it on this task: staff of its department (holding the step action's
  // roles, for a step action), or the applicant for an applicant's action? Then it is "not now" (409).
  const stepAction = t && cmd.action === 'step' ? stepOf(def, t).actions[cmd.name] : undefined;
  const everAllowed =
    t !== undefined
      ? stepAction?.by === 'applicant'
        ? relation(s, actor).applicant
        : actor.kind === 'staff' &&
          actor.departmentId === t.departmentId &&
          (!stepAction || (stepAction.roles ?? [t.role]).some((r) => actor.roles.includes(r)))
      : canSee(s, actor);
  const params = { step: stepName, action: name, status: s.status };
  if (!everAllowed) throw new DomainError('forbidden', 'workflow.action.forbidden', params);
  throw conflict('workflow.action.not_now', params);
}

/** What the command adds to the log; refuses anything `available` does not offer. */
export async function plan(s: CaseState, ctx: PlanContext, actor: Actor, cmd: Command): Promise<NewEvent[]> {
  const def = ctx.definition;
  const offered = available(s, def, actor).find(
    (a) =>
      a.action === cmd.action &&
      (a.task === null || ('task' in cmd && a.task === cmd.task)) &&
      (cmd.action !== 'step' || a.name === cmd.name),
  );
  const t = 'task' in cmd && cmd.task !== null ? s.tasks[cmd.task - 1] : undefined;
  if (!offered) refuse(s, def, actor, cmd, t?.step ?? s.tasks.at(-1)?.step ?? '');
  const text = (field: string, v: string, max = 2000) => {
    const trimmed = v.trim();
    if (!trimmed) throw invalidFields([{ field, code: 'errors.field_required' }]);
    if (trimmed.length > max)
      throw invalidFields([{ field, code: 'workflow.text_too_long', params: { max } }]);
    return trimmed;
  };
  const nextTask = s.tasks.length + 1;
  switch (cmd.action) {
    case 'claim':
      return [{ type: 'task.claimed', task: cmd.task }];
    case 'release':
      return [{ type: 'task.released', task: cmd.task }];
    case 'assign':
      return [{ type: 'task.assigned', task: cmd.task, accountId: cmd.accountId, name: cmd.name }];
    case 'transfer':
      if (cmd.departmentId === t!.departmentId)
        throw invalidFields([{ field: 'departmentId', code: 'workflow.transfer.same_department' }]);
      return [
        {
          type: 'task.transferred',
          task: cmd.task,
          departmentId: cmd.departmentId,
          division: cmd.division,
          reason: text('reason', cmd.reason),
        },
      ];
    case 'return': {
      const { step } = stepOf(def, t!);
      if (!(step.returnTo ?? []).includes(cmd.step))
        throw invalidFields([
          { field: 'step', code: 'workflow.return.step_not_allowed', params: { step: cmd.step } },
        ]);
      const reason = text('reason', cmd.reason);
      return [
        { type: 'task.returned', task: cmd.task, step: cmd.step, reason },
        ...(await enterStep(ctx, s, cmd.step, nextTask)),
      ];
    }
    case 'stop': {
      const { step } = stepOf(def, t!);
      if (!(step.stops ?? []).includes(cmd.stop))
        throw invalidFields([
          { field: 'stop', code: 'workflow.stop.not_allowed', params: { stop: cmd.stop } },
        ]);
      const stop = def.stops![cmd.stop]!;
      const { reason, items } = stopNotice(cmd.reason, cmd.items ?? []);
      if (stop.within) {
        // Only so long after the case opened (补正 within 7 working days of receipt), its last day included.
        const { unit, amount } = stop.within;
        const window = deadline(ctx.calendar, s.createdAt, stop.within, warnAtOf(def)).dueAt;
        if (ctx.now > window)
          throw conflict(`workflow.stop.window_passed.${unit}`, {
            stop: stop.name['zh-CN'],
            amount,
            last: unit === 'hours' ? chinaTime(window) : dueDay(window),
          });
      }
      const own = dl(ctx, stop.limit);
      return [
        {
          type: 'clock.stopped',
          stop: cmd.stop,
          reason,
          task: cmd.task,
          items,
          ...(own ? { dueAt: iso(own.dueAt) } : {}),
        },
      ];
    }
    case 'resume': {
      const stopped = s.stop!;
      const mode = def.stops![stopped.stop]!.resume;
      // Past a lapsing stop's limit the case is over, whether or not the sweep has closed it yet.
      if (def.stops![stopped.stop]!.lapse && stopped.dueAt && ctx.now > stopped.dueAt)
        throw conflict('workflow.stop.lapsed', {
          stop: def.stops![stopped.stop]!.name['zh-CN'],
          last: dueDay(stopped.dueAt),
        });
      const w = warnAtOf(def);
      const deadlines: { task: number | null; dueAt: At | null; yellowAt: At | null }[] = [];
      const resumedAt = resumedWithin(stopped.dueAt, ctx.now, mode);
      const resume = (limit: Limit | null | undefined, dueAt: Date | null) => {
        if (!limit || !dueAt) return null;
        return resumedDeadline(ctx.calendar, limit, w, dueAt, stopped.since, resumedAt, mode);
      };
      const c = resume(def.limit, s.dueAt);
      if (c) deadlines.push({ task: null, dueAt: iso(c.dueAt), yellowAt: iso(c.yellowAt) });
      for (const ot of openTasks(s)) {
        const d = resume(ot.limit, ot.dueAt);
        if (d) deadlines.push({ task: ot.no, dueAt: iso(d.dueAt), yellowAt: iso(d.yellowAt) });
      }
      return [
        {
          type: 'clock.resumed',
          stop: stopped.stop,
          note: cmd.note.trim().slice(0, 2000),
          input: cmd.input,
          deadlines,
        },
      ];
    }
    case 'request_extension': {
      const max = def.extension!.max;
      if (!Number.isInteger(cmd.amount) || cmd.amount < 1 || cmd.amount > max.amount)
        throw invalidFields([
          { field: 'amount', code: 'workflow.extension.amount', params: { max: max.amount } },
        ]);
      return [
        {
          type: 'extension.requested',
          task: cmd.task,
          amount: cmd.amount,
          unit: max.unit,
          reason: text('reason', cmd.reason),
        },
      ];
    }
    case 'decide_extension': {
      const deadlines: { task: number | null; dueAt: At | null; yellowAt: At | null }[] = [];
      if (cmd.approved) {
        const extra = t!.requestedExtension!;
        const w = warnAtOf(def);
        const d = extendedDeadline(ctx.calendar, t!.dueAt!, extra, t!.limit ?? extra, w);
        deadlines.push({ task: t!.no, dueAt: iso(d.dueAt), yellowAt: iso(d.yellowAt) });
        if (s.dueAt && def.limit) {
          const c = extendedDeadline(ctx.calendar, s.dueAt, extra, def.limit, w);
          deadlines.push({ task: null, dueAt: iso(c.dueAt), yellowAt: iso(c.yellowAt) });
        }
      }
      return [
        {
          type: 'extension.decided',
          task: cmd.task,
          approved: cmd.approved,
          note: cmd.approved ? cmd.note.trim().slice(0, 2000) : text('note', cmd.note),
          deadlines,
        },
      ];
    }
    case 'comment':
      return [{ type: 'comment.added', text: text('text', cmd.text, 5000) }];
    case 'attach':
      if (cmd.files.length === 0) throw invalidFields([{ field: 'file', code: 'errors.field_required' }]);
      return cmd.files.map((f) => ({
        type: 'attachment.added',
        digest: f.digest,
        filename: f.filename.slice(0, 200),
        size: f.size,
        mediaType: f.mediaType,
      }));
    case 'urge':
      return [{ type: 'case.urged', note: text('note', cmd.note), task: cmd.task }];
    case 'acknowledge':
      return [{ type: 'urge.acknowledged', note: cmd.note.trim().slice(0, 2000) }];
    case 'card':
      return [
        {
          type: 'card.issued',
          color: cmd.color,
          reason: text('reason', cmd.reason),
          departmentId: cmd.departmentId,
        },
      ];
    case 'step':
      return planStep(s, ctx, t!, cmd.name, offered!.def!, cmd.input, nextTask);
  }
}

async function planStep(
  s: CaseState,
  ctx: PlanContext,
  t: TaskState,
  name: string,
  action: Action,
  input: Record<string, unknown>,
  nextTask: number,
): Promise<NewEvent[]> {
  const def = ctx.definition;
  if (action.form) {
    const v = formValidator(action.form);
    if (!v(input)) throw invalidFields(formProblems(v.errors));
  } else input = {};
  const done: NewEvent = { type: 'task.completed', task: t.no, action: name, input };
  const goTo = async (to: string, outcome: string | undefined): Promise<NewEvent[]> =>
    to === 'end'
      ? [{ type: 'case.closed', outcome: outcome ?? 'completed' }]
      : enterStep(ctx, s, to, nextTask);

  if (action.to === 'join') {
    const siblings = s.tasks.filter((o) => o.split === t.split && o.no !== t.no);
    if (siblings.some((o) => o.status === 'open')) return [done];
    const p = def.steps[t.step]!.parallel!;
    return [done, ...(await goTo(p.next, undefined))];
  }
  if (action.to === 'reject') {
    const p = def.steps[t.step]!.parallel!;
    const cancelled: NewEvent[] = s.tasks
      .filter((o) => o.split === t.split && o.no !== t.no && o.status === 'open')
      .map((o) => ({ type: 'task.cancelled', task: o.no, reason: 'split_rejected' }));
    return [done, ...cancelled, ...(await goTo(p.onReject, p.rejectOutcome ?? 'rejected'))];
  }
  return [done, ...(await goTo(action.to, action.outcome))];
}

/**
 * A stop's reason and list, checked: a reason or at least one item; each item named, at most once,
 * within STOP_ITEMS' bounds. Every problem at once, each with its field (items.3.note).
 */
function stopNotice(rawReason: string, rawItems: readonly StopItem[]): { reason: string; items: StopItem[] } {
  const problems: { field: string; code: string; params?: Record<string, string | number> }[] = [];
  const reason = rawReason.trim();
  if (reason.length > 2000)
    problems.push({ field: 'reason', code: 'workflow.text_too_long', params: { max: 2000 } });
  if (rawItems.length > STOP_ITEMS.max)
    problems.push({ field: 'items', code: 'workflow.stop.too_many_items', params: { max: STOP_ITEMS.max } });
  const items = rawItems
    .slice(0, STOP_ITEMS.max)
    .map((i) => ({ label: i.label.trim(), note: i.note.trim() }));
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!item.label) problems.push({ field: `items.${i}.label`, code: 'errors.field_required' });
    else if (item.label.length > STOP_ITEMS.label)
      problems.push({
        field: `items.${i}.label`,
        code: 'workflow.text_too_long',
        params: { max: STOP_ITEMS.label },
      });
    else if (seen.has(item.label))
      problems.push({
        field: `items.${i}.label`,
        code: 'workflow.stop.item_twice',
        params: { label: item.label },
      });
    seen.add(item.label);
    if (item.note.length > STOP_ITEMS.note)
      problems.push({
        field: `items.${i}.note`,
        code: 'workflow.text_too_long',
        params: { max: STOP_ITEMS.note },
      });
  });
  if (!reason && items.length === 0)
    problems.push({ field: 'reason', code: 'workflow.stop.reason_or_items' });
  if (problems.length > 0) throw invalidFields(problems);
  return { reason, items };
}

/** A stop's notice as lines of text (a message, a timeline): the reason, then each item numbered. */
export function stopNoticeText(stop: { reason: string; items?: readonly StopItem[] | undefined }): string {
  const lines = (stop.items ?? []).map((i, n) => `${n + 1}. ${i.label}${i.note ? `：${i.note}` : ''}`);
  return [stop.reason, ...lines].filter(Boolean).join('\n');
}

/** A decision document a case issued (受理通知书, 不予受理决定书, 补正告知书), numbered in log order from 1. */
export interface CaseDocument {
  n: number;
  kind: DocumentKind;
  at: At;
  /** the event that issued it: the action taken, or the clock stop started */
  event: Extract<CaseEvent, { type: 'task.completed' } | { type: 'clock.stopped' }>;
}

/**
 * The decision documents in a case's log: each action taken and each stop started that its definition
 * marks with a `document`. Derived, never stored, so a document is always what the log says.
 */
export function caseDocuments(def: Definition, events: readonly CaseEvent[]): CaseDocument[] {
  const tasks = new Map<number, { step: string; branch: string | null }>();
  const out: CaseDocument[] = [];
  for (const e of events) {
    let kind: DocumentKind | undefined;
    if (e.type === 'task.opened') tasks.set(e.task, { step: e.step, branch: e.branch });
    else if (e.type === 'task.completed') {
      const t = tasks.get(e.task);
      const step = t && def.steps[t.step];
      const actions = t?.branch ? step?.parallel?.branches[t.branch]?.actions : step?.actions;
      kind = actions?.[e.action]?.document;
    } else if (e.type === 'clock.stopped') kind = def.stops?.[e.stop]?.document;
    if (kind && (e.type === 'task.completed' || e.type === 'clock.stopped'))
      out.push({ n: out.length + 1, kind, at: e.at, event: e });
  }
  return out;
}

/** The warning a task deserves at `now`, if it is worse than the one already raised. */
export function dueWarning(s: CaseState, t: TaskState, now: Date): Light | null {
  if (t.status !== 'open' || s.status !== 'open') return null;
  const light = lightAt(now, t.yellowAt, t.dueAt);
  const rank = { green: 0, yellow: 1, red: 2 } as const;
  return rank[light] > rank[t.warned] ? light : null;
}

/**
 * The deadlines of a case's open periods recomputed from its log on another calendar: each period
 * from its start, each clock stop resumed, each extension granted — as the engine would have
 * computed them had that calendar been in force. Returns only those that differ from the log's.
 */
export function replayDeadlines(
  events: readonly CaseEvent[],
  def: Definition,
  calendar: WorkCalendar,
): { task: number | null; dueAt: At | null; yellowAt: At | null }[] {
  const w = warnAtOf(def);
  const periods = new Map<number | null, { limit: Limit; d: Deadline }>();
  const asked = new Map<number, Limit>();
  let stoppedAt: Date | null = null;
  let stop = '';
  let stopDue: Date | null = null;
  for (const e of events) {
    const at = new Date(e.at);
    if (e.type === 'case.created' && def.limit)
      periods.set(null, { limit: def.limit, d: deadline(calendar, at, def.limit, w) });
    else if (e.type === 'task.opened' && e.limit)
      periods.set(e.task, { limit: e.limit, d: deadline(calendar, at, e.limit, w) });
    else if (e.type === 'clock.stopped') {
      stoppedAt = at;
      stop = e.stop;
      const own = def.stops?.[stop]?.limit;
      stopDue = own ? deadline(calendar, at, own, w).dueAt : null;
    } else if (e.type === 'clock.resumed' && stoppedAt) {
      const mode = def.stops?.[stop]?.resume ?? 'continue';
      const resumedAt = resumedWithin(stopDue, at, mode);
      for (const x of e.deadlines) {
        const p = periods.get(x.task);
        if (p) p.d = resumedDeadline(calendar, p.limit, w, p.d.dueAt, stoppedAt, resumedAt, mode);
      }
      stoppedAt = null;
    } else if (e.type === 'extension.requested') asked.set(e.task, { amount: e.amount, unit: e.unit });
    else if (e.type === 'extension.decided' && e.approved) {
      const extra = asked.get(e.task);
      for (const x of e.deadlines) {
        const p = periods.get(x.task);
        if (p && extra) p.d = extendedDeadline(calendar, p.d.dueAt, extra, p.limit, w);
      }
    }
  }
  const s = fold(events);
  const out: { task: number | null; dueAt: At | null; yellowAt: At | null }[] = [];
  const differs = (a: Date | null, b: Date) => a === null || a.getTime() !== b.getTime();
  const caseP = periods.get(null);
  if (
    s.status !== 'closed' &&
    caseP &&
    (differs(s.dueAt, caseP.d.dueAt) || differs(s.yellowAt, caseP.d.yellowAt))
  )
    out.push({ task: null, dueAt: iso(caseP.d.dueAt), yellowAt: iso(caseP.d.yellowAt) });
  for (const t of openTasks(s)) {
    const p = periods.get(t.no);
    if (p && (differs(t.dueAt, p.d.dueAt) || differs(t.yellowAt, p.d.yellowAt)))
      out.push({ task: t.no, dueAt: iso(p.d.dueAt), yellowAt: iso(p.d.yellowAt) });
  }
  return out;
}
