/**
 * Use-cases of a policy's lifecycle. The drafting department's writers create a policy, put its draft
 * out for comment for a period, name its document (a publication they write and have reviewed in the
 * publications module) and link interpretations, an evaluation report, a revision; its head assigns
 * implementation tasks to departments and repeals it. The policy moves to published in the very
 * transaction that publishes its document (publications' onPublished); a revision publishing makes
 * the old document 失效, replaced by the new one.
 *
 * Implementation reports are cases on the implementation process, opened by the platform in each
 * task's department at assignment — every period of the horizon at once (the simplest: nothing has to
 * wake up when a period ends), each due its own number of working days after its period ends on the
 * site's calendar. That due date is this module's: the engine reckons a step's limit from when its
 * task opens, so the process's report step carries none. When a report case closes, what the
 * department reported and whether it came in time are kept here.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { isUniqueViolation, type Database, type Executor } from '../../kernel/db/index.ts';
import { isWithin } from '../../kernel/divisions/index.ts';
import { conflict, DomainError, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { authorizeActing, type Actor } from '../../kernel/policy/index.ts';
import type { Category, Publication, PublicationHooks, PublishedListener } from '../publications/index.ts';
import type { CaseClosedListener, CaseService, DepartmentRef, WorkCalendar } from '../workflow/index.ts';
import {
  allows,
  chinaDay,
  consultationDays,
  consultationProblems,
  isMonth,
  MAX_PERIODS,
  MAX_REPORTS,
  PERIODS,
  periodsOf,
  REASON_MAX,
  reportStatusOf,
  TRANSITION_PERMISSION,
  type ConsultationInput,
  type Period,
  type Transition,
} from './policy.ts';
import * as store from './policy.store.ts';

export interface PolicyPorts {
  publications: {
    /** a publication as the caller may see it (404 otherwise) */
    get(ctx: AuditContext, id: number): Promise<Publication>;
    categories(tenantId: string): Promise<Category[]>;
  };
  hooks: Pick<PublicationHooks, 'setValidityWithin'>;
  cases: Pick<CaseService, 'create'>;
  /** a department of the site, through the caller's executor */
  department(tenantId: string, id: number, ex: Executor): Promise<DepartmentRef | undefined>;
  /** the site's working-day calendar (report due dates) */
  calendarFor(tenantId: string): Promise<Pick<WorkCalendar, 'due'>>;
  /** the process each period's report runs on (demo.policy-implementation on the demo site) */
  process: string;
  now?(): Date;
}

export interface TasksInput {
  departments: number[];
  requirement: string;
  period: Period;
  /** the month (YYYY-MM) of the first period */
  from: string;
  periods: number;
  /** working days after a period's end that its report is due */
  reportDays: number;
}

const TITLE_MAX = 200;
const zh = translator('zh-CN');
export const hidden = (id: number | string) => notFound('policies.not_found', { id: String(id) });

/** Whether the actor writes or reviews publications of this department: the policy is theirs. */
export const ofDepartment = (actor: Actor | null | undefined, departmentId: number) =>
  !!actor &&
  actor.kind === 'staff' &&
  actor.departmentId === departmentId &&
  (actor.permissions.has('publication.write') || actor.permissions.has('publication.review'));

/** A draft is its department's; from consultation on, a policy is public. */
export const canSee = (ctx: { actor?: Actor | null }, p: store.PolicyRow) =>
  ctx.actor === undefined || p.stage !== 'draft' || ofDepartment(ctx.actor, p.departmentId);

export function createPolicyService(db: Database, ports: PolicyPorts) {
  const now = () => ports.now?.() ?? new Date();
  const audit = (
    ex: Executor,
    ctx: AuditContext | { tenantId: string },
    action: string,
    id: number,
    detail = {},
  ) =>
    'actorId' in ctx
      ? appendAudit(ex, ctx, { action, objectType: 'policy', objectId: String(id), detail }).then(
          () => undefined,
        )
      : Promise.resolve();

  /** The policy for a transition by its department, checked again under its row lock by `locked`. */
  async function actingOn(ctx: AuditContext, id: number, t: Transition, ex: Executor = db.kysely) {
    authorizeActing(ctx, TRANSITION_PERMISSION[t]);
    const p = await store.findPolicy(ex, ctx.tenantId, id, ex !== db.kysely);
    if (!p || !(ctx.actor === undefined || ofDepartment(ctx.actor, p.departmentId))) throw hidden(id);
    if (!allows(p.stage, t)) throw conflict('policies.stage_not_allowed', { stage: p.stage });
    return p;
  }
  const locked = (tx: Executor, ctx: AuditContext, id: number, t: Transition) => actingOn(ctx, id, t, tx);

  /**
   * A publication named in a request, as the caller may see it: an id that is not one (or not theirs to
   * see) is a field problem, as are a withdrawn one, one of another kind than asked, or another
   * department's where it must be the drafting department's own.
   */
  async function publicationFor(
    ctx: AuditContext,
    id: number,
    field: string,
    want: { kind?: Category['kind']; department?: number },
  ): Promise<Publication> {
    const p = await ports.publications.get(ctx, id).catch((e: unknown) => {
      if (e instanceof DomainError && e.kind === 'not_found')
        throw invalidFields([{ field, code: 'policies.publication_unknown', params: { id } }]);
      throw e;
    });
    if (p.status === 'withdrawn') throw invalidFields([{ field, code: 'policies.publication_withdrawn' }]);
    if (want.department !== undefined && p.departmentId !== want.department)
      throw invalidFields([{ field, code: 'policies.publication_not_own' }]);
    if (want.kind) {
      const category = (await ports.publications.categories(ctx.tenantId)).find(
        (c) => c.code === p.categoryCode,
      );
      if (category?.kind !== want.kind)
        throw invalidFields([{ field, code: `policies.publication_kind.${want.kind}` }]);
    }
    return p;
  }

  /**
   * The policy's document is out: it is published, and the policy it revises is revised — that one's
   * document 失效, replaced by this one. In the transaction that published the document.
   */
  async function markPublished(
    tx: Executor,
    ctx: AuditContext | { tenantId: string },
    p: store.PolicyRow,
    document: Publication,
  ) {
    await store.updatePolicy(tx, ctx.tenantId, p.id, {
      stage: 'published',
      publishedAt: document.publishAt ? new Date(document.publishAt) : now(),
    });
    await audit(tx, ctx, 'policies.published', p.id, { document: document.id });
    if (p.revisesId === null) return;
    const old = await store.findPolicy(tx, ctx.tenantId, p.revisesId, true);
    if (!old || old.stage === 'revised' || old.stage === 'repealed') return;
    await store.updatePolicy(tx, ctx.tenantId, old.id, { stage: 'revised', revisedAt: now() });
    if (old.documentId !== null)
      await ports.hooks.setValidityWithin(tx, ctx, old.documentId, 'expired', document.id);
    await audit(tx, ctx, 'policies.revised', old.id, { revision: p.id, replacedBy: document.id });
  }

  /** Publications' onPublished: a policy whose document this is moves to published. */
  const onPublished: PublishedListener = async (tx, ctx, publication) => {
    const p = await store.policyOfDocument(tx, ctx.tenantId, publication.id, true);
    if (p && (p.stage === 'draft' || p.stage === 'consultation'))
      await markPublished(tx, ctx, p, publication);
  };

  /** Opens the cases of the policy's reports that have none yet; how many could not be opened. */
  async function openReports(ctx: AuditContext, policy: store.PolicyRow): Promise<number> {
    const tasks = await store.tasksOf(db.kysely, ctx.tenantId, policy.id);
    const pending = tasks.flatMap((t) =>
      t.reports.filter((r) => r.caseNumber === null).map((r) => ({ t, r })),
    );
    const opened = await Promise.allSettled(
      pending.map(({ t, r }) =>
        // The platform opens it (no actor: an internal case) in the task's department, as a
        // publication's review is opened; the audit entries still name who assigned the task.
        ports.cases.create(
          { ...ctx, actor: undefined },
          {
            definition: ports.process,
            title: zh('policies.report.case_title', { title: policy.title.slice(0, 160), period: r.label }),
            data: {
              policy: policy.id,
              title: policy.title,
              period: r.label,
              periodEnd: r.end,
              dueOn: r.dueOn,
              requirement: t.requirement,
            },
            division: t.divisionCode,
          },
          {
            department: t.departmentId,
            within: async (tx, view) => {
              // The report is the department's: a process that starts elsewhere is not one to use.
              if (view.state.tasks[0]?.departmentId !== t.departmentId)
                throw new DomainError('unavailable', 'policies.process_unavailable', {
                  process: ports.process,
                });
              if ((await store.setReportCase(tx, ctx.tenantId, t.id, r.no, view.number)) === 0)
                throw conflict('policies.report_opened', { period: r.label });
            },
          },
        ),
      ),
    );
    return opened.filter((o) => o.status === 'rejected').length;
  }

  /** Drafts a policy in the caller's department's name. */
  async function draft(ctx: AuditContext, input: { title: string }, revises: store.PolicyRow | null = null) {
    authorizeActing(ctx, 'publication.write');
    const actor = ctx.actor;
    if (!actor?.departmentId) throw new DomainError('forbidden', 'policies.no_department');
    const title = input.title.trim();
    if (title.length < 1 || title.length > TITLE_MAX)
      throw invalidFields([{ field: 'title', code: 'policies.title_length', params: { max: TITLE_MAX } }]);
    const dep = await ports.department(ctx.tenantId, actor.departmentId, db.kysely);
    if (!dep) throw new DomainError('forbidden', 'policies.no_department');
    return db.kysely.transaction().execute(async (tx) => {
      const id = await store.insertPolicy(tx, ctx.tenantId, {
        title,
        departmentId: dep.id,
        divisionCode: dep.divisionCode,
        revisesId: revises?.id ?? null,
        createdBy: actor.accountId,
      });
      await audit(tx, ctx, revises ? 'policies.revision_started' : 'policies.drafted', id, {
        title,
        ...(revises ? { revises: revises.id } : {}),
      });
      return id;
    });
  }

  return {
    onPublished,
    draft: (ctx: AuditContext, input: { title: string }) => draft(ctx, input),

    /**
     * 征求意见: the draft put out for comment and the period — at least CONSULTATION_MIN_DAYS unless the
     * reason for a shorter one is given. Set again while the policy is still in consultation.
     */
    async openConsultation(ctx: AuditContext, id: number, input: ConsultationInput & { draft: number }) {
      const p = await actingOn(ctx, id, 'consultation');
      const problems = consultationProblems(input);
      if (problems.length > 0) throw invalidFields(problems);
      const draft = await publicationFor(ctx, input.draft, 'draft', { department: p.departmentId });
      await db.kysely.transaction().execute(async (tx) => {
        await locked(tx, ctx, id, 'consultation');
        const consultation = {
          draftId: draft.id,
          opensOn: input.opensOn,
          closesOn: input.closesOn,
          shortReason: input.shortReason.trim(),
        };
        await store.updatePolicy(tx, ctx.tenantId, id, { stage: 'consultation', consultation });
        await audit(tx, ctx, 'policies.consultation_opened', id, {
          ...consultation,
          days: consultationDays(consultation),
        });
      });
    },

    /**
     * The document to be published (a publication of a category of kind 'policy', the department's
     * own). Once its consultation is over; if it is already published, so is the policy at once.
     */
    async setDocument(ctx: AuditContext, id: number, publicationId: number) {
      const p = await actingOn(ctx, id, 'document');
      const today = chinaDay(now());
      if (p.stage === 'consultation' && p.consultation && today <= p.consultation.closesOn)
        throw conflict('policies.consultation_running', { closesOn: p.consultation.closesOn });
      const doc = await publicationFor(ctx, publicationId, 'publication', {
        kind: 'policy',
        department: p.departmentId,
      });
      await db.kysely.transaction().execute(async (tx) => {
        const current = await locked(tx, ctx, id, 'document');
        const owner = await store.policyOfDocument(tx, ctx.tenantId, doc.id);
        if (owner && owner.id !== id) throw conflict('policies.document_taken', { policy: owner.id });
        await store.updatePolicy(tx, ctx.tenantId, id, { documentId: doc.id });
        await audit(tx, ctx, 'policies.document_linked', id, { document: doc.id });
        if (doc.status === 'published') await markPublished(tx, ctx, current, doc);
      });
    },

    /** 政策解读: links an interpretation (a publication of kind 'interpretation', anyone's visible). */
    async linkInterpretation(ctx: AuditContext, id: number, publicationId: number) {
      await actingOn(ctx, id, 'interpretation');
      const pub = await publicationFor(ctx, publicationId, 'publication', { kind: 'interpretation' });
      await db.kysely.transaction().execute(async (tx) => {
        await locked(tx, ctx, id, 'interpretation');
        if (!(await store.insertInterpretation(tx, ctx.tenantId, id, pub.id, ctx.actor?.accountId ?? 0)))
          throw conflict('policies.interpretation_linked', { publication: pub.id });
        await audit(tx, ctx, 'policies.interpretation_linked', id, { publication: pub.id });
      });
    },

    /**
     * 落实任务: the head assigns the policy's implementation to departments of the drafting
     * department's jurisdiction, a report each period over the horizon; every period's case opens now.
     * Returns how many cases could not be opened (openPending tries them again).
     */
    async assignTasks(ctx: AuditContext, id: number, input: TasksInput): Promise<{ unopened: number }> {
      const p = await actingOn(ctx, id, 'tasks');
      const problems: FieldProblem[] = [];
      const requirement = input.requirement.trim();
      if (requirement.length < 2 || requirement.length > 2000)
        problems.push({ field: 'requirement', code: 'policies.tasks.requirement_length' });
      if (!PERIODS.includes(input.period))
        problems.push({ field: 'period', code: 'policies.tasks.period_unknown' });
      if (!isMonth(input.from)) problems.push({ field: 'from', code: 'policies.tasks.from_invalid' });
      if (!Number.isInteger(input.periods) || input.periods < 1 || input.periods > MAX_PERIODS)
        problems.push({
          field: 'periods',
          code: 'policies.tasks.periods_range',
          params: { max: MAX_PERIODS },
        });
      if (!Number.isInteger(input.reportDays) || input.reportDays < 1 || input.reportDays > 30)
        problems.push({ field: 'reportDays', code: 'policies.tasks.report_days_range' });
      const ids = [...new Set(input.departments)];
      if (ids.length === 0)
        problems.push({ field: 'departments', code: 'policies.tasks.departments_required' });
      else if (ids.length * input.periods > MAX_REPORTS)
        problems.push({ field: 'periods', code: 'policies.tasks.too_many', params: { max: MAX_REPORTS } });
      if (problems.length > 0) throw invalidFields(problems);
      const departments: DepartmentRef[] = [];
      for (const depId of ids) {
        const d = await ports.department(ctx.tenantId, depId, db.kysely);
        // Within the drafting department's jurisdiction: a district bureau tasks its district.
        if (!d?.active || !isWithin(d.divisionCode, p.divisionCode))
          throw invalidFields([
            { field: 'departments', code: 'policies.tasks.department_unknown', params: { id: depId } },
          ]);
        departments.push(d);
      }
      const calendar = await ports.calendarFor(ctx.tenantId);
      const spans = periodsOf(input.period, input.from, input.periods).map((s) => ({
        ...s,
        dueOn: calendar
          .due(new Date(`${s.end}T00:00:00Z`), input.reportDays, 'working-days')
          .due.toISOString()
          .slice(0, 10),
      }));
      await db.kysely.transaction().execute(async (tx) => {
        const current = await locked(tx, ctx, id, 'tasks');
        const taken = new Set(await store.taskDepartments(tx, ctx.tenantId, id));
        const again = departments.find((d) => taken.has(d.id));
        if (again) throw conflict('policies.tasks.already_assigned', { department: again.name });
        for (const d of departments) {
          const taskId = await store.insertTask(tx, ctx.tenantId, {
            policyId: id,
            departmentId: d.id,
            divisionCode: d.divisionCode,
            requirement,
            period: input.period,
            startsOn: spans[0]!.start,
            periods: input.periods,
            reportDays: input.reportDays,
            assignedBy: ctx.actor?.accountId ?? 0,
          });
          if (taskId === undefined) throw conflict('policies.tasks.already_assigned', { department: d.name });
          await store.insertReports(tx, ctx.tenantId, taskId, spans);
        }
        if (current.stage === 'published')
          await store.updatePolicy(tx, ctx.tenantId, id, { stage: 'implementing' });
        await audit(tx, ctx, 'policies.tasks_assigned', id, {
          departments: departments.map((d) => d.id),
          period: input.period,
          from: spans[0]!.label,
          periods: input.periods,
          reportDays: input.reportDays,
        });
      });
      return { unopened: await openReports(ctx, p) };
    },

    /** Tries again to open the report cases that could not be opened at assignment. */
    async openPending(ctx: AuditContext, id: number): Promise<{ unopened: number }> {
      const p = await actingOn(ctx, id, 'tasks');
      return { unopened: await openReports(ctx, p) };
    },

    /** A report case closed: what the department reported, and whether it came by the due date. */
    onReportClosed: (async (tx, ctx, view) => {
      if (view.definition.code !== ports.process) return;
      const r = await store.reportOfCase(tx, ctx.tenantId, view.number);
      if (!r || r.reportedAt) return;
      const done = [...view.events].reverse().find((e) => e.type === 'task.completed');
      const input = done?.type === 'task.completed' ? done.input : {};
      const reportedAt = view.state.closedAt ?? now();
      const onTime = chinaDay(reportedAt) <= r.dueOn;
      const status = reportStatusOf(input.status);
      await store.recordReport(tx, ctx.tenantId, r.taskId, r.no, {
        status,
        progress: typeof input.progress === 'string' ? input.progress.trim().slice(0, 4000) : '',
        reportedAt,
        onTime,
      });
      await audit(tx, ctx, 'policies.report_received', r.policyId, {
        case: view.number,
        department: r.departmentId,
        period: r.label,
        status,
        onTime,
      });
    }) satisfies CaseClosedListener,

    /** 评估: the evaluation report (a publication) linked; the policy is evaluated. */
    async evaluate(ctx: AuditContext, id: number, publicationId: number) {
      await actingOn(ctx, id, 'evaluation');
      const report = await publicationFor(ctx, publicationId, 'publication', {});
      await db.kysely.transaction().execute(async (tx) => {
        await locked(tx, ctx, id, 'evaluation');
        await store.updatePolicy(tx, ctx.tenantId, id, {
          stage: 'evaluated',
          evaluationReportId: report.id,
          evaluatedAt: now(),
        });
        await audit(tx, ctx, 'policies.evaluated', id, { report: report.id });
      });
    },

    /**
     * 修订: a new policy (a draft of the same department) that revises this one; this one becomes
     * revised when the new one's document publishes. One revision per policy.
     */
    async startRevision(ctx: AuditContext, id: number, input: { title: string }): Promise<number> {
      const p = await actingOn(ctx, id, 'revision');
      if (p.revisedById !== null) throw conflict('policies.revision_exists', { policy: p.revisedById });
      return draft(ctx, input, p).catch((e: unknown) => {
        // Two started at once: the unique index let one through.
        if (isUniqueViolation(e)) throw conflict('policies.revision_exists', { policy: id });
        throw e;
      });
    },

    /** 废止: by the head, with the reason; the document's validity becomes 废止. */
    async repeal(ctx: AuditContext, id: number, reason: string) {
      await actingOn(ctx, id, 'repeal');
      const text = reason.trim();
      if (text.length < 2 || text.length > REASON_MAX)
        throw invalidFields([
          { field: 'reason', code: 'policies.reason_length', params: { max: REASON_MAX } },
        ]);
      await db.kysely.transaction().execute(async (tx) => {
        const p = await locked(tx, ctx, id, 'repeal');
        await store.updatePolicy(tx, ctx.tenantId, id, {
          stage: 'repealed',
          repealedAt: now(),
          repealReason: text,
        });
        if (p.documentId !== null)
          await ports.hooks.setValidityWithin(tx, ctx, p.documentId, 'repealed', null);
        await audit(tx, ctx, 'policies.repealed', id, { reason: text });
      });
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
