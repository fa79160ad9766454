/**
 * Use-cases on cases (办件): open one, act on it, read it, list tasks. Every action runs in one
 * transaction holding the case row's lock: load the log, fold, plan (which refuses anything the actor
 * may not do now), append, project. Two people acting on the same task at once are serialised by that
 * lock; the second finds the task already done and gets 409.
 */
import { appendAudits, type AuditContext } from '../../kernel/audit/index.ts';
import { transactionBatcher, type Database, type Executor, type Settled } from '../../kernel/db/index.ts';
import { isWithin, subtreePrefix } from '../../kernel/divisions/index.ts';
import { conflict, DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import { authorizeActing, type Actor } from '../../kernel/policy/index.ts';
import type { WorkCalendar } from './calendar.ts';
import * as store from './case.store.ts';
import { stepName, type Definition, type DocumentKind } from './definition.ts';
import type { DefinitionService, StoredDefinition } from './definition.service.ts';
import { chinaDate, dueDay, workingDaysBetween } from './deadline.ts';
import {
  available,
  canSee,
  fold,
  plan,
  planCreate,
  replayDeadlines,
  stopNoticeText,
  type By,
  type CaseEvent,
  type CaseState,
  type Command,
  type NewEvent,
  type PlanContext,
  type ResolveAssignee,
} from './engine.ts';

export interface DepartmentRef {
  id: number;
  name: string;
  divisionCode: string;
  type: string;
  active: boolean;
}

/**
 * What the engine needs from the rest of the platform (the org, identity, calendar and notify
 * modules). Each takes the executor of the transaction it is called in: on PGlite, one connection,
 * a query outside the running transaction would wait for it forever.
 */
export interface CasePorts {
  /** The site's calendar; called first in a transaction (it takes the calendar's lock in share mode). */
  calendarFor(tenantId: string, ex: Executor): Promise<WorkCalendar>;
  department(tenantId: string, id: number, ex: Executor): Promise<DepartmentRef | undefined>;
  departmentsOfType(tenantId: string, type: string, ex: Executor): Promise<DepartmentRef[]>;
  staffWithRole(
    tenantId: string,
    where: { role: string; departmentIds?: readonly number[]; divisionCodes?: readonly string[] },
    ex: Executor,
  ): Promise<{ accountId: number; name: string; departmentId: number; divisionCode: string }[]>;
  /** Queues in-app messages (and e-mails) in the caller's transaction, all at once. */
  notify?(ex: Executor, messages: readonly CaseMessage[]): Promise<void>;
  now?(): Date;
}

export interface CaseMessage {
  tenantId: string;
  accountId: number;
  kind: string;
  params: Record<string, string | number>;
  link?: string;
}

export interface CaseView {
  number: string;
  definition: StoredDefinition;
  state: CaseState;
  events: CaseEvent[];
}

/**
 * What the module that opened a case adds to its pages, the engine staying generic: an application
 * knows its item's materials (what a 补正 may ask for) and where its decision documents download.
 * Called outside any transaction, for a case the viewer may see.
 */
export interface CaseExtras {
  /** the things a clock stop may ask for, offered one checkbox each on the stop form */
  stopChoices?(tenantId: string, view: CaseView): Promise<{ label: string }[]>;
  /**
   * the case's decision documents (see caseDocuments) and where each downloads; a module may issue
   * kinds of its own beside the definition's (a disclosure request's 答复书), named by
   * `workflow.document.<kind>`
   */
  caseDocuments?(
    tenantId: string,
    view: CaseView,
  ): Promise<{ n: number; kind: DocumentKind | (string & {}); at: string; href: string }[]>;
}

/** Work of another module that must commit or roll back with the case (its own tables only). */
export type WithinCase = (tx: Executor, view: CaseView) => Promise<void>;

/**
 * Another module's rows for new cases, written for a whole group of cases opened together in one
 * statement (see openCases): the case's `within` costs a round trip per case while the site's case
 * counter is held. The writer must be one function for the module's life — cases are grouped by it —
 * and write only after the cases have their numbers (each row comes with its case's view).
 */
export type GroupWriter<T> = (tx: Executor, rows: readonly { view: CaseView; row: T }[]) => Promise<void>;
export interface GroupRow<T> {
  writer: GroupWriter<T>;
  row: T;
}

export interface CreateCaseInput {
  definition: string;
  title: string;
  data: Record<string, unknown>;
  /**
   * Staff opening a case for a walk-in applicant (窗口代办): who the applicant is, as checked at the
   * window. Without it, a staff member's case is internal.
   */
  applicant?: { kind: 'person' | 'enterprise'; accountId: number | null; name: string } | undefined;
  /** files already in the blob store (an application's materials), attached as the case opens */
  attachments?: { digest: string; filename: string; size: number; mediaType: string }[] | undefined;
  /** where the matter is handled; staff default to their own division */
  division?: string | undefined;
  /** the receiving department; default: the first step's department near `division` */
  departmentId?: number | undefined;
}

const byOf = (actor: Actor | null | undefined): By =>
  actor ? { accountId: actor.accountId, name: actor.name } : { accountId: null, name: '' };

/** The case number as the pages and the API show it and accept it. */
const NUMBER = /^\d{6}\d{4}\d{7,}$/;

/**
 * Called in the transaction that closes a case (an approval issues a licence in it), with the closing
 * request's audit context — or only the site, when the system closed it (a timer).
 */
export type CaseClosedListener = (
  tx: Executor,
  ctx: AuditContext | { tenantId: string },
  view: CaseView,
) => Promise<void>;

/**
 * Called in the transaction of every change to an open case after its opening — an action, a timer's
 * warning, a calendar edit's new deadlines — with the events it appended: a module that keeps its own
 * view of its cases (a status, a due date to list by) keeps it in step. The opening is the `within`
 * of create.
 */
export type CaseChangedListener = (
  tx: Executor,
  ctx: AuditContext | { tenantId: string },
  view: CaseView,
  appended: readonly CaseEvent[],
) => Promise<void>;

export function createCaseService(db: Database, definitions: DefinitionService, ports: CasePorts) {
  const now = () => ports.now?.() ?? new Date();
  const closedListeners: CaseClosedListener[] = [];
  const changedListeners: CaseChangedListener[] = [];

  /**
   * The departments one planning reads, each type and id asked of the org module once: opening a case
   * resolves its first step's department, checks it, then plans the step — the same rows three times.
   * Kept for one planning only (one transaction, one instant), so it never goes stale.
   */
  function departmentLookup(tenantId: string, ex: Executor) {
    const byType = new Map<string, Promise<DepartmentRef[]>>();
    const byId = new Map<number, DepartmentRef | Promise<DepartmentRef | undefined>>();
    return {
      ofType(type: string): Promise<DepartmentRef[]> {
        let found = byType.get(type);
        if (!found) {
          found = ports.departmentsOfType(tenantId, type, ex).then((list) => {
            for (const d of list) byId.set(d.id, d);
            return list;
          });
          byType.set(type, found);
        }
        return found;
      },
      async byId(id: number): Promise<DepartmentRef | undefined> {
        let found = byId.get(id);
        if (!found) byId.set(id, (found = ports.department(tenantId, id, ex)));
        return found;
      },
    };
  }
  type DepartmentLookup = ReturnType<typeof departmentLookup>;

  const resolver =
    (departments: DepartmentLookup): ResolveAssignee =>
    async (assignee, c) => {
      const d = assignee.department;
      const unresolved = () =>
        conflict('workflow.assignee.unresolved', { role: assignee.role, division: c.division });
      if (d === 'case') {
        if (!c.departmentId) throw unresolved();
        return { departmentId: c.departmentId, division: c.division };
      }
      if ('id' in d) {
        const dep = await departments.byId(d.id);
        if (!dep?.active) throw unresolved();
        return { departmentId: dep.id, division: dep.divisionCode };
      }
      // The department of that type nearest above the case's division (the division itself first).
      const candidates = (await departments.ofType(d.type))
        .filter((x) => x.active && isWithin(c.division, x.divisionCode))
        .sort(
          (a, b) =>
            subtreePrefix(b.divisionCode).length - subtreePrefix(a.divisionCode).length || a.id - b.id,
        );
      const best = candidates[0];
      if (!best) throw unresolved();
      return { departmentId: best.id, division: best.divisionCode };
    };

  const planContext = (
    ex: Executor,
    tenantId: string,
    definition: Definition,
    calendar: WorkCalendar,
    at: Date,
    departments: DepartmentLookup = departmentLookup(tenantId, ex),
  ): PlanContext => ({ definition, calendar, now: at, resolve: resolver(departments) });

  /** Loads a case under its row lock; hidden (404) when the actor may not see it. */
  async function loadLocked(tx: Executor, ctx: AuditContext, number: string) {
    const row = NUMBER.test(number) ? await store.findCase(tx, ctx.tenantId, number, true) : undefined;
    if (!row) throw notFound('workflow.case.not_found', { number });
    const definition = await definitions.version(ctx.tenantId, row.definitionCode, row.definitionVersion, tx);
    const events = await store.loadEvents(tx, ctx.tenantId, row.id);
    const state = fold(events);
    if (ctx.actor && !canSee(state, ctx.actor)) throw notFound('workflow.case.not_found', { number });
    return { row, definition, events, state };
  }

  /** Appends planned events, re-projects and queues notifications. */
  async function commit(
    tx: Executor,
    ctx: AuditContext | { tenantId: string },
    loaded: { row: store.CaseRow; events: CaseEvent[]; definition: StoredDefinition },
    planned: NewEvent[],
    at: Date,
    by: By,
    /** the site's calendar, when the events may close tasks (for their handling days) */
    calendar?: WorkCalendar,
  ): Promise<CaseView> {
    const stamped = store.stamp(planned, at, by);
    await store.appendEvents(tx, ctx.tenantId, loaded.row.id, stamped);
    const events = [...loaded.events, ...stamped];
    const state = fold(events);
    await store.project(
      tx,
      { ...loaded.row },
      state,
      store.touchedTasks(planned),
      calendar && ((a, b) => workingDaysBetween(calendar, a, b)),
    );
    const messages = await messagesAbout(tx, ctx.tenantId, loaded.definition.body, state, stamped);
    await ports.notify?.(tx, messages(loaded.row.number));
    const view = { number: loaded.row.number, definition: loaded.definition, state, events };
    for (const listener of changedListeners) await listener(tx, ctx, view, stamped);
    if (stamped.some((e) => e.type === 'case.closed'))
      for (const listener of closedListeners) await listener(tx, ctx, view);
    return view;
  }

  /** Who hears of what: the assignee, the department's role holders, the applicant. */
  /**
   * The messages a change of a case sends, their recipients looked up now and the case's number filled
   * in later: a new case is numbered last, while the site's counter row is locked until commit, so
   * only the writes wait for the number.
   */
  async function messagesAbout(
    tx: Executor,
    tenantId: string,
    def: Definition,
    s: CaseState,
    events: CaseEvent[],
    staffOf: StaffLookup = staffLookup(tx, tenantId),
  ): Promise<(number: string) => CaseMessage[]> {
    if (!ports.notify) return () => [];
    const out: { accountId: number; kind: string; params: Record<string, string | number>; to: Link }[] = [];
    type Link = 'staff' | 'applicant';
    const send = (
      accountId: number,
      kind: string,
      params: Record<string, string | number>,
      to: Link = 'staff',
    ) => void out.push({ accountId, kind, params, to });
    const about = (no: number) => {
      const t = s.tasks[no - 1]!;
      return { step: stepName(def, t.step, t.branch), due: t.dueAt ? dueDay(t.dueAt) : '—' };
    };
    for (const e of events) {
      if (e.type === 'task.assigned') send(e.accountId, 'workflow.task_assigned', about(e.task));
      else if (e.type === 'task.opened') {
        for (const id of await staffOf(e.role, e.departmentId))
          send(id, 'workflow.task_assigned', about(e.task));
      } else if (e.type === 'task.transferred') {
        const t = s.tasks[e.task - 1]!;
        for (const id of await staffOf(t.role, e.departmentId))
          send(id, 'workflow.task_assigned', about(e.task));
      } else if (e.type === 'case.urged') {
        for (const id of await handlersOf(s, staffOf)) send(id, 'workflow.case_urged', { note: e.note });
      } else if (e.type === 'case.closed' && s.applicant.accountId !== null && def.closingNotice !== false)
        send(
          s.applicant.accountId,
          'workflow.case_completed',
          { outcomeKey: `workflow.outcome.${e.outcome}` },
          'applicant',
        );
      else if (
        e.type === 'clock.stopped' &&
        s.applicant.accountId !== null &&
        def.stops?.[e.stop]?.endedBy === 'applicant'
      )
        // The whole notice: its reason and every item, numbered, as the message's body lists them.
        send(s.applicant.accountId, 'workflow.case_supplement', { reason: stopNoticeText(e) }, 'applicant');
      else if (e.type === 'extension.requested') {
        const t = s.tasks[e.task - 1]!;
        for (const id of await staffOf('department_head', t.departmentId))
          send(id, 'workflow.extension_requested', {
            step: about(e.task).step,
            reason: e.reason,
            amount: e.amount,
            unitKey: `notify.unit.${e.unit}`,
          });
      } else if (e.type === 'extension.decided') {
        const t = s.tasks[e.task - 1]!;
        if (t.assigneeId !== null)
          send(t.assigneeId, 'workflow.extension_decided', {
            ...about(e.task),
            decisionKey: e.approved ? 'notify.decision.approved' : 'notify.decision.rejected',
          });
        // The applicant is told the new date (政府信息公开条例 §33: 告知申请人; 行政许可法 §42 alike).
        const due = s.dueAt ?? t.dueAt;
        if (e.approved && s.applicant.accountId !== null && due)
          send(s.applicant.accountId, 'workflow.case_extended', { due: dueDay(due) }, 'applicant');
      }
    }
    return (number) =>
      out.map((m) => ({
        tenantId,
        accountId: m.accountId,
        kind: m.kind,
        params: { number, title: s.title, ...m.params },
        link: m.to === 'staff' ? `/workbench/cases/${number}` : `/account/cases/${number}`,
      }));
  }

  /** The people working on a case's open tasks: assignees, else the role holders of the department. */
  async function handlersOf(s: CaseState, staffOf: StaffLookup): Promise<number[]> {
    const ids = new Set<number>();
    for (const t of s.tasks)
      if (t.status === 'open') {
        if (t.assigneeId !== null) ids.add(t.assigneeId);
        else for (const id of await staffOf(t.role, t.departmentId)) ids.add(id);
      }
    return [...ids];
  }

  /** The holders of a role in a department, each asked once per transaction (a group of cases shares it). */
  function staffLookup(tx: Executor, tenantId: string) {
    const found = new Map<string, Promise<number[]>>();
    return (role: string, departmentId: number): Promise<number[]> => {
      const key = `${role} ${departmentId}`;
      let ids = found.get(key);
      if (!ids) {
        ids = ports
          .staffWithRole(tenantId, { role, departmentIds: [departmentId] }, tx)
          .then((list) => list.map((p) => p.accountId));
        found.set(key, ids);
      }
      return ids;
    };
  }
  type StaffLookup = ReturnType<typeof staffLookup>;

  interface Opening {
    ctx: AuditContext;
    title: string;
    applicant: CaseState['applicant'];
    division: string;
    definition: StoredDefinition;
    data: Record<string, unknown>;
    attachments: NonNullable<CreateCaseInput['attachments']>;
    /** the receiving department another module named (see create's options) */
    departmentId?: number | undefined;
    within?: WithinCase | undefined;
    groupRow?: GroupRow<unknown> | undefined;
  }

  /**
   * Opens cases, several per transaction under load (see transactionBatcher): each is planned and
   * written without its number; then each site's counter gives the group consecutive numbers in one
   * statement, the transaction's last writes but notifications — the counter row stays locked until
   * COMMIT, and a rollback gives the numbers back, so numbers have no gaps.
   */
  async function openCases(tx: Executor, openings: readonly Opening[]): Promise<Settled<CaseView>[]> {
    // Per site, once for the group: the calendar (first, see calendarFor; in one order so two groups
    // cannot deadlock on them), the departments and the role holders looked up.
    const sites = new Map<
      string,
      { calendar: WorkCalendar; departments: DepartmentLookup; staffOf: StaffLookup }
    >();
    for (const tenantId of [...new Set(openings.map((o) => o.ctx.tenantId))].sort())
      sites.set(tenantId, {
        calendar: await ports.calendarFor(tenantId, tx),
        departments: departmentLookup(tenantId, tx),
        staffOf: staffLookup(tx, tenantId),
      });
    const outcomes: Settled<CaseView>[] = [];
    const planned: { index: number; at: Date; state: CaseState; stamped: CaseEvent[] }[] = [];
    for (const [index, o] of openings.entries()) {
      const { ctx, definition } = o;
      const actor = ctx.actor;
      const site = sites.get(ctx.tenantId)!;
      // Staff's own cases are internal, in their department; a walk-in applicant's go where anyone's would.
      const staff = actor?.kind === 'staff' && o.applicant.kind === 'internal';
      const at = now();
      try {
        const pctx = planContext(tx, ctx.tenantId, definition.body, site.calendar, at, site.departments);
        let departmentId = o.departmentId ?? (staff ? (actor.departmentId ?? 0) : 0);
        if (!staff && o.departmentId === undefined) {
          const start = definition.body.steps[definition.body.start]!;
          const assignee = start.assignee ?? Object.values(start.parallel!.branches)[0]!.assignee;
          departmentId = (await pctx.resolve(assignee, { departmentId: 0, division: o.division }))
            .departmentId;
        }
        const dep = await site.departments.byId(departmentId);
        if (!dep || (o.departmentId !== undefined && !dep.active))
          throw invalidFields([{ field: 'departmentId', code: 'workflow.case.department_unknown' }]);
        const events = await planCreate(pctx, {
          title: o.title,
          applicant: o.applicant,
          data: o.data,
          departmentId,
          division: staff ? dep.divisionCode : o.division,
        });
        const attached: NewEvent[] = o.attachments.map((f) => ({
          type: 'attachment.added',
          digest: f.digest,
          filename: f.filename.slice(0, 200),
          size: f.size,
          mediaType: f.mediaType,
        }));
        const stamped = store.stamp([...events, ...attached], at, byOf(actor));
        planned.push({ index, at, state: fold(stamped), stamped });
      } catch (error) {
        // Refused before writing anything: the others go on.
        if (!(error instanceof DomainError)) throw error;
        outcomes[index] = { ok: false, error };
      }
    }
    // The group's writes, a statement each for all its cases: rows, logs, audit, tasks and timers.
    const ids = await store.insertCases(
      tx,
      planned.map((p) => ({
        tenantId: openings[p.index]!.ctx.tenantId,
        definition: openings[p.index]!.definition,
        state: p.state,
      })),
    );
    await store.appendEventsOf(
      tx,
      planned.map((p, i) => ({
        tenantId: openings[p.index]!.ctx.tenantId,
        caseId: ids[i]!,
        events: p.stamped,
      })),
    );
    await appendAudits(
      tx,
      planned.map((p, i) => {
        const { ctx, definition } = openings[p.index]!;
        return {
          ctx,
          event: {
            action: 'workflow.case_created',
            objectType: 'case',
            objectId: String(ids[i]),
            detail: { definition: `${definition.code}@${definition.version}` },
          },
        };
      }),
    );
    await store.projectOpened(
      tx,
      planned.map((p, i) => {
        const { ctx, definition } = openings[p.index]!;
        return {
          c: { tenantId: ctx.tenantId, id: ids[i]!, number: '', definitionCode: definition.code },
          s: p.state,
        };
      }),
    );
    const written: {
      index: number;
      id: number;
      year: number;
      view: CaseView;
      messages: (number: string) => CaseMessage[];
    }[] = [];
    for (const [i, p] of planned.entries()) {
      const { ctx, definition } = openings[p.index]!;
      const view = { number: '', definition, state: p.state, events: p.stamped };
      const messages = await messagesAbout(
        tx,
        ctx.tenantId,
        definition.body,
        p.state,
        p.stamped,
        sites.get(ctx.tenantId)!.staffOf,
      );
      written.push({
        index: p.index,
        id: ids[i]!,
        year: Number(chinaDate(p.at).slice(0, 4)),
        view,
        messages,
      });
    }
    const groups = new Map<string, typeof written>();
    for (const w of written) {
      const key = `${openings[w.index]!.ctx.tenantId} ${w.year}`;
      groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    // Counters in one order too: two groups each numbering several sites cannot deadlock.
    for (const key of [...groups.keys()].sort()) {
      const group = groups.get(key)!;
      const tenantId = openings[group[0]!.index]!.ctx.tenantId;
      const numbers = await store.takeNumbers(
        tx,
        tenantId,
        group[0]!.year,
        group.map((w) => w.id),
      );
      group.forEach((w, i) => (w.view.number = numbers[i]!));
    }
    // Other modules' parts: if one refuses, the whole group runs again one case at a time, and that
    // case alone is rolled back (its number with it).
    const byWriter = new Map<GroupWriter<unknown>, { view: CaseView; row: unknown }[]>();
    for (const w of written) {
      const { within, groupRow } = openings[w.index]!;
      await within?.(tx, w.view);
      if (groupRow)
        byWriter.set(groupRow.writer, [
          ...(byWriter.get(groupRow.writer) ?? []),
          { view: w.view, row: groupRow.row },
        ]);
    }
    for (const [writer, rows] of byWriter) await writer(tx, rows);
    for (const w of written) outcomes[w.index] = { ok: true, value: w.view };
    await ports.notify?.(
      tx,
      written.flatMap((w) => w.messages(w.view.number)),
    );
    return outcomes;
  }
  // Only one group at a time holds a site's counter, so two in flight is enough: one plans and writes
  // while the other numbers and commits; more only wait on the counter with a connection each (on
  // PostgreSQL, 32 writers: 2 gave the most letters a second, 4 about a tenth fewer). On PGlite there
  // is one connection: one group at a time.
  const opening = transactionBatcher(db, openCases, {
    maxBatch: 64,
    maxInFlight: db.kind === 'pglite' ? 1 : 2,
  });

  return {
    /** Registers work to do in the transaction that closes a case. */
    onClosed(listener: CaseClosedListener): void {
      closedListeners.push(listener);
    },

    /** Registers work to do in the transaction of every later change to a case (see CaseChangedListener). */
    onChanged(listener: CaseChangedListener): void {
      changedListeners.push(listener);
    },

    /** Opens a case for the actor (their own application) or, for staff, an internal one. */
    async create<Row = never>(
      ctx: AuditContext,
      input: CreateCaseInput,
      options: {
        within?: WithinCase;
        /** the module's rows for the case, written with the rest of its group's (see GroupWriter) */
        groupRow?: GroupRow<Row>;
        /**
         * The receiving department, named by another module (a question goes to its item's department;
         * a process whose first step is "the case's department" needs one). Code only: the API's
         * departmentId is a staff member's own department and nothing else.
         */
        department?: number;
      } = {},
    ): Promise<CaseView> {
      const actor = ctx.actor;
      authorizeActing(ctx, ['account.self', 'case.handle']);
      const title = input.title.trim();
      if (!title || title.length > 200)
        throw invalidFields([{ field: 'title', code: 'workflow.case.title_length' }]);
      const definition = await definitions.latest(ctx.tenantId, input.definition).catch((e: unknown) => {
        if (e instanceof DomainError && e.kind === 'not_found')
          throw invalidFields([
            {
              field: 'definition',
              code: 'workflow.definition.not_found',
              params: { code: input.definition },
            },
          ]);
        throw e;
      });
      const staff = actor?.kind === 'staff';
      if (input.applicant && actor && !staff)
        throw invalidFields([{ field: 'applicant', code: 'workflow.case.applicant_not_staff' }]);
      const applicant: CaseState['applicant'] = input.applicant
        ? { ...input.applicant, name: input.applicant.name.trim() }
        : !actor
          ? { kind: 'internal', accountId: null, name: '' }
          : staff
            ? { kind: 'internal', accountId: null, name: actor.name }
            : { kind: actor.kind as 'person' | 'enterprise', accountId: actor.accountId, name: actor.name };
      if (input.applicant && (applicant.name === '' || applicant.name.length > 100))
        throw invalidFields([{ field: 'applicant', code: 'workflow.case.applicant_name' }]);
      const division = (input.division ?? (staff ? actor.division : '')).trim();
      if (!/^\d{6}(\d{3}){0,2}$/.test(division) || !isWithin(division, ctx.tenantId))
        throw invalidFields([
          { field: 'division', code: 'workflow.case.division_invalid', params: { code: division } },
        ]);
      // Staff open internal cases in their own department; applicants' cases go to the first step's.
      if (staff && input.departmentId !== undefined && input.departmentId !== actor.departmentId)
        throw invalidFields([{ field: 'departmentId', code: 'workflow.case.department_not_own' }]);
      return opening({
        ctx,
        title,
        applicant,
        division,
        definition,
        data: input.data,
        attachments: input.attachments ?? [],
        departmentId: options.department,
        within: options.within,
        groupRow: options.groupRow as GroupRow<unknown> | undefined,
      });
    },

    /**
     * Takes one action on a case (built-in or the definition's); refused unless offered to the actor now.
     * `within`: another module's work that commits or rolls back with the action (an application keeping
     * the files its applicant attaches for a 补正).
     */
    async act(
      ctx: AuditContext,
      number: string,
      command: Command,
      options: { within?: WithinCase } = {},
    ): Promise<CaseView> {
      authorizeActing(ctx, ['account.self', 'case.handle', 'case.lead', 'case.supervise']);
      const actor = ctx.actor!;
      return db.kysely.transaction().execute(async (tx) => {
        // The calendar first: a calendar edit holds it while it locks cases (see calendarFor).
        const calendar = await ports.calendarFor(ctx.tenantId, tx);
        const loaded = await loadLocked(tx, ctx, number);
        let cmd = command;
        // References from the request are resolved here, never trusted.
        if (cmd.action === 'transfer') {
          const dep = await ports.department(ctx.tenantId, cmd.departmentId, tx);
          if (!dep?.active)
            throw invalidFields([{ field: 'departmentId', code: 'workflow.transfer.department_unknown' }]);
          cmd = { ...cmd, division: dep.divisionCode };
        }
        if (cmd.action === 'assign') {
          const c = cmd;
          const t = loaded.state.tasks[c.task - 1];
          const people = t
            ? await ports.staffWithRole(ctx.tenantId, { role: t.role, departmentIds: [t.departmentId] }, tx)
            : [];
          const person = people.find((p) => p.accountId === c.accountId);
          if (!person) throw invalidFields([{ field: 'accountId', code: 'workflow.assign.not_eligible' }]);
          cmd = { ...c, name: person.name };
        }
        if (cmd.action === 'card') {
          const c = cmd;
          if (!loaded.state.tasks.some((x) => x.departmentId === c.departmentId))
            throw invalidFields([{ field: 'departmentId', code: 'workflow.card.department_not_involved' }]);
        }
        const at = now();
        const planned = await plan(
          loaded.state,
          planContext(tx, ctx.tenantId, loaded.definition.body, calendar, at),
          actor,
          cmd,
        );
        const view = await commit(tx, ctx, loaded, planned, at, byOf(actor), calendar);
        await options.within?.(tx, view);
        return view;
      });
    },

    /** A case as the actor may see it, with the actions they may take. */
    async get(ctx: AuditContext, number: string) {
      const row = NUMBER.test(number) ? await store.findCase(db.kysely, ctx.tenantId, number) : undefined;
      if (!row) throw notFound('workflow.case.not_found', { number });
      const definition = await definitions.version(ctx.tenantId, row.definitionCode, row.definitionVersion);
      const events = await store.loadEvents(db.kysely, ctx.tenantId, row.id);
      const state = fold(events);
      const actor = ctx.actor;
      if (actor === null || (actor && !canSee(state, actor)))
        throw notFound('workflow.case.not_found', { number });
      return {
        number,
        definition,
        state,
        events,
        available: actor ? available(state, definition.body, actor) : [],
      };
    },

    /**
     * A changed calendar: every open case of the site whose deadlines differ under it gets a
     * deadline.recomputed event. Runs inside the calendar edit's transaction.
     */
    async recomputeDeadlines(ex: Executor, tenantId: string, calendar: WorkCalendar): Promise<number> {
      const open = await ex
        .selectFrom('workflow.case')
        .select(['id'])
        .where('tenant_id', '=', tenantId)
        .where('status', '!=', 'closed')
        .where('due_at', 'is not', null)
        .forUpdate()
        .execute();
      const withTasks = await ex
        .selectFrom('workflow.task')
        .select('case_id')
        .distinct()
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'open')
        .where('due_at', 'is not', null)
        .execute();
      const ids = new Set([...open.map((r) => Number(r.id)), ...withTasks.map((r) => Number(r.case_id))]);
      let changed = 0;
      const at = now();
      for (const id of ids) {
        const row = await store.lockCaseById(ex, tenantId, id);
        if (!row) continue;
        const definition = await definitions.version(tenantId, row.definitionCode, row.definitionVersion, ex);
        const events = await store.loadEvents(ex, tenantId, id);
        const deadlines = replayDeadlines(events, definition.body, calendar);
        if (deadlines.length === 0) continue;
        changed++;
        await commit(
          ex,
          { tenantId },
          { row, events, definition },
          [{ type: 'deadline.recomputed', reason: 'calendar', deadlines }],
          at,
          byOf(null),
          calendar,
        );
      }
      return changed;
    },

    commit,
    /** Who an assignee names, read with the caller's executor (the timer's escalations use it). */
    resolver: (tenantId: string, ex: Executor) => resolver(departmentLookup(tenantId, ex)),
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
