/** SQL of cases: the log, the projections (case row, tasks), timers and case numbers. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { CaseEvent, CaseState, NewEvent } from './engine.ts';

export interface CaseRow {
  tenantId: string;
  id: number;
  number: string;
  definitionCode: string;
  definitionVersion: number;
}

const caseColumns = ['tenant_id', 'id', 'number', 'definition_code', 'definition_version'] as const;
const toCaseRow = (r: {
  tenant_id: string;
  id: number;
  number: string | null;
  definition_code: string;
  definition_version: number;
}): CaseRow => ({
  tenantId: r.tenant_id,
  id: Number(r.id),
  number: r.number ?? '',
  definitionCode: r.definition_code,
  definitionVersion: r.definition_version,
});

/** The case row by number, optionally locked for an action (the lock serialises actions on one case). */
export async function findCase(
  ex: Executor,
  tenantId: string,
  number: string,
  lock = false,
): Promise<CaseRow | undefined> {
  let q = ex
    .selectFrom('workflow.case')
    .select(caseColumns)
    .where('tenant_id', '=', tenantId)
    .where('number', '=', number);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toCaseRow(r);
}

export async function lockCaseById(ex: Executor, tenantId: string, id: number, skipLocked = false) {
  let q = ex
    .selectFrom('workflow.case')
    .select(caseColumns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate();
  if (skipLocked) q = q.skipLocked();
  const r = await q.executeTakeFirst();
  return r && toCaseRow(r);
}

export async function loadEvents(ex: Executor, tenantId: string, caseId: number): Promise<CaseEvent[]> {
  const rows = await ex
    .selectFrom('workflow.event')
    .select(['at', 'type', 'actor_account_id', 'actor_name', 'body'])
    .where('tenant_id', '=', tenantId)
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return rows.map(
    (r) =>
      ({
        ...(r.body as object),
        type: r.type,
        at: new Date(r.at).toISOString(),
        by: {
          accountId: r.actor_account_id === null ? null : Number(r.actor_account_id),
          name: r.actor_name,
        },
      }) as CaseEvent,
  );
}

export async function appendEvents(
  ex: Executor,
  tenantId: string,
  caseId: number,
  events: readonly CaseEvent[],
): Promise<void> {
  await appendEventsOf(ex, [{ tenantId, caseId, events }]);
}

/** The events of several cases in one statement. */
export async function appendEventsOf(
  ex: Executor,
  logs: readonly { tenantId: string; caseId: number; events: readonly CaseEvent[] }[],
): Promise<void> {
  const rows = logs.flatMap(({ tenantId, caseId, events }) =>
    events.map((e) => {
      const { type, at, by, ...body } = e;
      return {
        tenant_id: tenantId,
        case_id: caseId,
        at: new Date(at),
        type,
        actor_account_id: by.accountId,
        actor_name: by.name,
        body: JSON.stringify(body),
      };
    }),
  );
  if (rows.length > 0) await ex.insertInto('workflow.event').values(rows).execute();
}

/**
 * Inserts new case rows (numbered later, see takeNumbers) in one statement and returns their ids in
 * the order given. The ids come from the identity sequence row by row in the order of the VALUES
 * list, so sorted they are in that order — whatever order RETURNING happens to give them in.
 */
export async function insertCases(
  ex: Executor,
  cases: readonly { tenantId: string; definition: { code: string; version: number }; state: CaseState }[],
): Promise<number[]> {
  if (cases.length === 0) return [];
  const rows = await ex
    .insertInto('workflow.case')
    .values(
      cases.map(({ tenantId, definition, state: s }) => ({
        tenant_id: tenantId,
        definition_code: definition.code,
        definition_version: definition.version,
        title: s.title,
        applicant_kind: s.applicant.kind,
        applicant_account_id: s.applicant.accountId,
        applicant_name: s.applicant.name,
        department_id: s.departmentId,
        division_code: s.division,
        status: s.status,
        outcome: s.outcome,
        created_at: s.createdAt,
        closed_at: s.closedAt,
        due_at: s.dueAt,
        late: s.late,
        urged: s.urge !== null,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * The site's next case numbers for the year, one per case in the order given, written to the cases
 * and their tasks in one statement. The counter row stays locked until the calling transaction
 * commits — every creation of the site waits for it, so callers take it as late as they can — and a
 * rollback returns the numbers, so they have no gaps.
 */
export async function takeNumbers(
  ex: Executor,
  tenantId: string,
  year: number,
  caseIds: readonly number[],
): Promise<string[]> {
  const k = caseIds.length;
  const ids = sql.join(caseIds.map((id, i) => sql`(${id}::bigint, ${i + 1}::int)`));
  const r = await sql<{ id: string | number; number: string }>`
    with n as (
      insert into workflow.case_number (tenant_id, year, last) values (${tenantId}, ${year}, ${k})
      on conflict (tenant_id, year) do update set last = workflow.case_number.last + ${k}
      returning last - ${k} as before
    ), ids (id, ord) as (values ${ids}
    ), c as (
      update workflow."case" as c
         set number = ${tenantId} || ${String(year)} || case when n.before + ids.ord >= 1000000
           then (n.before + ids.ord)::text else lpad((n.before + ids.ord)::text, 7, '0') end
        from n, ids
       where c.tenant_id = ${tenantId} and c.id = ids.id
      returning c.id, c.number
    ), t as (
      update workflow.task as t set case_number = c.number from c
       where t.tenant_id = ${tenantId} and t.case_id = c.id
    )
    select id, number from c`.execute(ex);
  const byId = new Map(r.rows.map((row) => [Number(row.id), row.number]));
  return caseIds.map((id) => {
    const number = byId.get(id);
    if (number === undefined) throw new Error(`case ${id} was not numbered`);
    return number;
  });
}

type CaseRef = { tenantId: string; id: number; number: string; definitionCode: string };
type Timer = {
  tenant_id: string;
  case_id: number;
  task_no: number;
  kind: 'yellow' | 'red' | 'lapse';
  fire_at: Date;
};

/** Writes the fold into the case row, its task rows and its timers. */
export async function project(
  ex: Executor,
  c: CaseRef,
  s: CaseState,
  changedTasks: ReadonlySet<number> | 'all',
  /** working days from opening to closing; without it, handling days already stored are kept */
  handlingDays?: (opened: Date, closed: Date) => number,
): Promise<void> {
  await ex
    .updateTable('workflow.case')
    .set({
      status: s.status,
      outcome: s.outcome,
      closed_at: s.closedAt,
      due_at: s.dueAt,
      late: s.late,
      urged: s.urge !== null,
    })
    .where('tenant_id', '=', c.tenantId)
    .where('id', '=', c.id)
    .execute();
  const tasks = changedTasks === 'all' ? s.tasks : s.tasks.filter((t) => changedTasks.has(t.no));
  if (tasks.length === 0) return;
  const caseWide = changedTasks === 'all';
  await upsertTasks(
    ex,
    tasks.map((t) => taskRow(c, s, t, handlingDays)),
  );
  await ex
    .deleteFrom('workflow.timer')
    .where('tenant_id', '=', c.tenantId)
    .where('case_id', '=', c.id)
    .where('task_no', 'in', [...tasks.map((t) => t.no), ...(caseWide ? [0] : [])])
    .where('fired_at', 'is', null)
    .execute();
  await armTimers(ex, timersOf(c, s, tasks, caseWide));
}

/**
 * The projections of cases just inserted from these same states (insertCases): their case rows need
 * no update and they have no timers to clear, so a whole group is two statements.
 */
export async function projectOpened(
  ex: Executor,
  opened: readonly { c: CaseRef; s: CaseState }[],
): Promise<void> {
  await upsertTasks(
    ex,
    opened.flatMap(({ c, s }) => s.tasks.map((t) => taskRow(c, s, t))),
  );
  await armTimers(
    ex,
    opened.flatMap(({ c, s }) => timersOf(c, s, s.tasks, true)),
  );
}

function taskRow(
  c: CaseRef,
  s: CaseState,
  t: CaseState['tasks'][number],
  handlingDays?: (opened: Date, closed: Date) => number,
) {
  return {
    tenant_id: c.tenantId,
    case_id: c.id,
    no: t.no,
    case_number: c.number,
    case_title: s.title,
    definition_code: c.definitionCode,
    step: t.step,
    branch: t.branch,
    department_id: t.departmentId,
    division_code: t.division,
    role: t.role,
    assignee_account_id: t.assigneeId,
    status: t.status,
    stopped: s.status === 'stopped',
    opened_at: t.openedAt,
    closed_at: t.closedAt,
    due_at: t.dueAt,
    yellow_at: t.yellowAt,
    light: t.warned,
    on_time: t.status === 'done' && t.dueAt ? t.closedAt! <= t.dueAt : null,
    handling_days: t.status === 'done' && handlingDays ? handlingDays(t.openedAt, t.closedAt!) : null,
    urged: s.urge !== null,
  };
}

async function upsertTasks(ex: Executor, rows: ReturnType<typeof taskRow>[]): Promise<void> {
  if (rows.length === 0) return;
  await ex
    .insertInto('workflow.task')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'case_id', 'no']).doUpdateSet((eb) => ({
        department_id: eb.ref('excluded.department_id'),
        division_code: eb.ref('excluded.division_code'),
        assignee_account_id: eb.ref('excluded.assignee_account_id'),
        status: eb.ref('excluded.status'),
        stopped: eb.ref('excluded.stopped'),
        closed_at: eb.ref('excluded.closed_at'),
        due_at: eb.ref('excluded.due_at'),
        yellow_at: eb.ref('excluded.yellow_at'),
        light: eb.ref('excluded.light'),
        on_time: eb.ref('excluded.on_time'),
        handling_days: sql<number | null>`coalesce(excluded.handling_days, workflow.task.handling_days)`,
        urged: eb.ref('excluded.urged'),
      })),
    )
    .execute();
}

/** Timers: an open, running task with a deadline has its next warnings armed; others have none. */
function timersOf(c: CaseRef, s: CaseState, tasks: CaseState['tasks'], caseWide: boolean): Timer[] {
  const stopped = s.status === 'stopped';
  const armed: Timer[] = [];
  const arm = (task_no: number, kind: Timer['kind'], fire_at: Date) =>
    armed.push({ tenant_id: c.tenantId, case_id: c.id, task_no, kind, fire_at });
  for (const t of tasks) {
    if (t.status !== 'open' || stopped || !t.dueAt) continue;
    if (t.warned === 'green' && t.yellowAt) arm(t.no, 'yellow', t.yellowAt);
    if (t.warned !== 'red') arm(t.no, 'red', t.dueAt);
  }
  // A stop's own limit is the case's timer (task 0): the sweep lets the stop lapse if it says so.
  if (caseWide && stopped && s.stop?.dueAt) arm(0, 'lapse', s.stop.dueAt);
  return armed;
}

async function armTimers(ex: Executor, armed: Timer[]): Promise<void> {
  if (armed.length === 0) return;
  await ex
    .insertInto('workflow.timer')
    .values(armed)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'case_id', 'task_no', 'kind']).doUpdateSet((eb) => ({
        fire_at: eb.ref('excluded.fire_at'),
        fired_at: null,
      })),
    )
    .execute();
}

/** Stamps planned events with their time and author. */
export function stamp(events: readonly NewEvent[], at: Date, by: CaseEvent['by']): CaseEvent[] {
  return events.map((e) => ({ ...e, at: at.toISOString(), by }) as CaseEvent);
}

/** The task numbers an event list touches (a case-wide event touches them all). */
export function touchedTasks(events: readonly NewEvent[]): Set<number> | 'all' {
  const out = new Set<number>();
  for (const e of events) {
    if (
      e.type === 'clock.stopped' ||
      e.type === 'clock.resumed' ||
      e.type === 'case.closed' ||
      e.type === 'case.urged' ||
      e.type === 'urge.acknowledged' ||
      e.type === 'deadline.recomputed' ||
      e.type === 'extension.decided'
    )
      return 'all';
    if ('task' in e && typeof e.task === 'number') out.add(e.task);
  }
  return out;
}
