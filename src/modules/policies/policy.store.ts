/** SQL of the policies schema: policies, their interpretations, implementation tasks and reports. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { Period, ReportStatus, Stage } from './policy.ts';

export interface PolicyRow {
  id: number;
  title: string;
  departmentId: number;
  divisionCode: string;
  stage: Stage;
  consultation: {
    draftId: number;
    opensOn: string;
    closesOn: string;
    shortReason: string;
  } | null;
  documentId: number | null;
  publishedAt: Date | null;
  evaluationReportId: number | null;
  evaluatedAt: Date | null;
  revisesId: number | null;
  /** the policy that revises this one, when one has been started */
  revisedById: number | null;
  revisedAt: Date | null;
  repealedAt: Date | null;
  repealReason: string;
  createdAt: Date;
  updatedAt: Date;
}

const selectPolicies = (ex: Executor, tenantId: string) =>
  ex
    .selectFrom('policies.policy as p')
    .selectAll('p')
    .select((eb) =>
      eb
        .selectFrom('policies.policy as r')
        .select('r.id')
        .whereRef('r.tenant_id', '=', 'p.tenant_id')
        .whereRef('r.revises_id', '=', 'p.id')
        .as('revised_by_id'),
    )
    .where('p.tenant_id', '=', tenantId);

type Row = Awaited<ReturnType<ReturnType<typeof selectPolicies>['executeTakeFirstOrThrow']>>;

const num = (v: number | string | null) => (v === null ? null : Number(v));
/** A date column as YYYY-MM-DD (PGlite may hand it over as a UTC-midnight Date). */
const day = (v: string | Date) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10));

function toPolicy(r: Row): PolicyRow {
  return {
    id: Number(r.id),
    title: r.title,
    departmentId: Number(r.department_id),
    divisionCode: r.division_code,
    stage: r.stage as Stage,
    consultation:
      r.consultation_draft_id !== null && r.consultation_opens_on && r.consultation_closes_on
        ? {
            draftId: Number(r.consultation_draft_id),
            opensOn: day(r.consultation_opens_on),
            closesOn: day(r.consultation_closes_on),
            shortReason: r.consultation_short_reason,
          }
        : null,
    documentId: num(r.document_id),
    publishedAt: r.published_at,
    evaluationReportId: num(r.evaluation_report_id),
    evaluatedAt: r.evaluated_at,
    revisesId: num(r.revises_id),
    revisedById: num(r.revised_by_id),
    revisedAt: r.revised_at,
    repealedAt: r.repealed_at,
    repealReason: r.repeal_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function findPolicy(
  ex: Executor,
  tenantId: string,
  id: number,
  lock = false,
): Promise<PolicyRow | undefined> {
  if (!Number.isSafeInteger(id) || id < 1) return undefined;
  let q = selectPolicies(ex, tenantId).where('p.id', '=', id);
  if (lock) q = q.forUpdate(['p']);
  const r = await q.executeTakeFirst();
  return r && toPolicy(r);
}

export async function insertPolicy(
  ex: Executor,
  tenantId: string,
  p: {
    title: string;
    departmentId: number;
    divisionCode: string;
    revisesId: number | null;
    createdBy: number;
  },
): Promise<number> {
  const r = await ex
    .insertInto('policies.policy')
    .values({
      tenant_id: tenantId,
      title: p.title,
      department_id: p.departmentId,
      division_code: p.divisionCode,
      revises_id: p.revisesId,
      created_by: p.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** What a transition changes on a policy (only the fields given). */
export interface PolicyPatch {
  stage?: Stage;
  consultation?: { draftId: number; opensOn: string; closesOn: string; shortReason: string };
  documentId?: number;
  publishedAt?: Date;
  evaluationReportId?: number;
  evaluatedAt?: Date;
  revisedAt?: Date;
  repealedAt?: Date;
  repealReason?: string;
}

export async function updatePolicy(ex: Executor, tenantId: string, id: number, p: PolicyPatch) {
  await ex
    .updateTable('policies.policy')
    .set({
      ...(p.stage !== undefined ? { stage: p.stage } : {}),
      ...(p.consultation
        ? {
            consultation_draft_id: p.consultation.draftId,
            consultation_opens_on: p.consultation.opensOn,
            consultation_closes_on: p.consultation.closesOn,
            consultation_short_reason: p.consultation.shortReason,
          }
        : {}),
      ...(p.documentId !== undefined ? { document_id: p.documentId } : {}),
      ...(p.publishedAt !== undefined ? { published_at: p.publishedAt } : {}),
      ...(p.evaluationReportId !== undefined ? { evaluation_report_id: p.evaluationReportId } : {}),
      ...(p.evaluatedAt !== undefined ? { evaluated_at: p.evaluatedAt } : {}),
      ...(p.revisedAt !== undefined ? { revised_at: p.revisedAt } : {}),
      ...(p.repealedAt !== undefined ? { repealed_at: p.repealedAt } : {}),
      ...(p.repealReason !== undefined ? { repeal_reason: p.repealReason } : {}),
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** A department's policies, the latest changed first. */
export async function listPolicies(
  ex: Executor,
  tenantId: string,
  departmentId: number,
  page: { limit: number; offset: number },
): Promise<{ items: PolicyRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    selectPolicies(ex, tenantId)
      .where('p.department_id', '=', departmentId)
      .orderBy('p.updated_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    ex
      .selectFrom('policies.policy')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('department_id', '=', departmentId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toPolicy), total: Number(count.n) };
}

/** The policy whose document a publication is (at most one: the index is unique). */
export async function policyOfDocument(ex: Executor, tenantId: string, publicationId: number, lock = false) {
  let q = selectPolicies(ex, tenantId).where('p.document_id', '=', publicationId);
  if (lock) q = q.forUpdate(['p']);
  const r = await q.executeTakeFirst();
  return r && toPolicy(r);
}

/** Every policy a publication belongs to, in whatever role (document, draft, report, interpretation). */
export async function policiesLinkedTo(ex: Executor, tenantId: string, publicationId: number) {
  const rows = await selectPolicies(ex, tenantId)
    .where((eb) =>
      eb.or([
        eb('p.document_id', '=', publicationId),
        eb('p.consultation_draft_id', '=', publicationId),
        eb('p.evaluation_report_id', '=', publicationId),
        eb(
          'p.id',
          'in',
          eb
            .selectFrom('policies.interpretation as i')
            .select('i.policy_id')
            .where('i.tenant_id', '=', tenantId)
            .where('i.publication_id', '=', publicationId),
        ),
      ]),
    )
    .orderBy('p.id')
    .limit(20)
    .execute();
  return rows.map(toPolicy);
}

export async function interpretationsOf(ex: Executor, tenantId: string, policyId: number): Promise<number[]> {
  const rows = await ex
    .selectFrom('policies.interpretation')
    .select('publication_id')
    .where('tenant_id', '=', tenantId)
    .where('policy_id', '=', policyId)
    .orderBy('linked_at')
    .orderBy('publication_id')
    .execute();
  return rows.map((r) => Number(r.publication_id));
}

/** Links an interpretation; false when it already was. */
export async function insertInterpretation(
  ex: Executor,
  tenantId: string,
  policyId: number,
  publicationId: number,
  linkedBy: number,
): Promise<boolean> {
  const r = await ex
    .insertInto('policies.interpretation')
    .values({ tenant_id: tenantId, policy_id: policyId, publication_id: publicationId, linked_by: linkedBy })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface TaskRow {
  id: number;
  policyId: number;
  departmentId: number;
  divisionCode: string;
  requirement: string;
  period: Period;
  startsOn: string;
  periods: number;
  reportDays: number;
  assignedAt: Date;
}

export interface ReportRow {
  taskId: number;
  no: number;
  label: string;
  start: string;
  end: string;
  dueOn: string;
  caseNumber: string | null;
  status: ReportStatus | null;
  progress: string;
  reportedAt: Date | null;
  onTime: boolean | null;
}

export async function insertTask(
  ex: Executor,
  tenantId: string,
  t: Omit<TaskRow, 'id' | 'assignedAt'> & { assignedBy: number },
): Promise<number | undefined> {
  const r = await ex
    .insertInto('policies.task')
    .values({
      tenant_id: tenantId,
      policy_id: t.policyId,
      department_id: t.departmentId,
      division_code: t.divisionCode,
      requirement: t.requirement,
      period: t.period,
      starts_on: t.startsOn,
      periods: t.periods,
      report_days: t.reportDays,
      assigned_by: t.assignedBy,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'policy_id', 'department_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r && Number(r.id);
}

export async function insertReports(
  ex: Executor,
  tenantId: string,
  taskId: number,
  reports: { no: number; label: string; start: string; end: string; dueOn: string }[],
) {
  if (reports.length === 0) return;
  await ex
    .insertInto('policies.report')
    .values(
      reports.map((r) => ({
        tenant_id: tenantId,
        task_id: taskId,
        period_no: r.no,
        period_label: r.label,
        period_start: r.start,
        period_end: r.end,
        due_on: r.dueOn,
      })),
    )
    .execute();
}

/** The departments that already have a task on a policy. */
export async function taskDepartments(ex: Executor, tenantId: string, policyId: number): Promise<number[]> {
  const rows = await ex
    .selectFrom('policies.task')
    .select('department_id')
    .where('tenant_id', '=', tenantId)
    .where('policy_id', '=', policyId)
    .execute();
  return rows.map((r) => Number(r.department_id));
}

/** A policy's tasks, each with its reports in period order. */
export async function tasksOf(
  ex: Executor,
  tenantId: string,
  policyId: number,
): Promise<(TaskRow & { reports: ReportRow[] })[]> {
  const tasks = await ex
    .selectFrom('policies.task')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('policy_id', '=', policyId)
    .orderBy('id')
    .execute();
  if (tasks.length === 0) return [];
  const reports = await ex
    .selectFrom('policies.report')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(
      'task_id',
      'in',
      tasks.map((t) => Number(t.id)),
    )
    .orderBy('task_id')
    .orderBy('period_no')
    .execute();
  return tasks.map((t) => ({
    id: Number(t.id),
    policyId: Number(t.policy_id),
    departmentId: Number(t.department_id),
    divisionCode: t.division_code,
    requirement: t.requirement,
    period: t.period as Period,
    startsOn: day(t.starts_on),
    periods: t.periods,
    reportDays: t.report_days,
    assignedAt: t.assigned_at,
    reports: reports
      .filter((r) => Number(r.task_id) === Number(t.id))
      .map((r) => ({
        taskId: Number(r.task_id),
        no: r.period_no,
        label: r.period_label,
        start: day(r.period_start),
        end: day(r.period_end),
        dueOn: day(r.due_on),
        caseNumber: r.case_number,
        status: r.status as ReportStatus | null,
        progress: r.progress,
        reportedAt: r.reported_at,
        onTime: r.on_time,
      })),
  }));
}

/** Gives a report its case, unless it has one already (a second opening then refuses). */
export async function setReportCase(
  ex: Executor,
  tenantId: string,
  taskId: number,
  no: number,
  caseNumber: string,
): Promise<number> {
  const r = await ex
    .updateTable('policies.report')
    .set({ case_number: caseNumber })
    .where('tenant_id', '=', tenantId)
    .where('task_id', '=', taskId)
    .where('period_no', '=', no)
    .where('case_number', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The report a case is for, with its policy, locked; undefined for any other case. */
export async function reportOfCase(ex: Executor, tenantId: string, caseNumber: string) {
  const r = await ex
    .selectFrom('policies.report as r')
    .innerJoin('policies.task as t', (j) =>
      j.onRef('t.tenant_id', '=', 'r.tenant_id').onRef('t.id', '=', 'r.task_id'),
    )
    .select([
      'r.task_id',
      'r.period_no',
      'r.period_label',
      'r.due_on',
      'r.reported_at',
      't.policy_id',
      't.department_id',
    ])
    .where('r.tenant_id', '=', tenantId)
    .where('r.case_number', '=', caseNumber)
    .forUpdate(['r'])
    .executeTakeFirst();
  return (
    r && {
      taskId: Number(r.task_id),
      no: r.period_no,
      label: r.period_label,
      dueOn: day(r.due_on),
      reportedAt: r.reported_at,
      policyId: Number(r.policy_id),
      departmentId: Number(r.department_id),
    }
  );
}

export async function recordReport(
  ex: Executor,
  tenantId: string,
  taskId: number,
  no: number,
  r: { status: ReportStatus | null; progress: string; reportedAt: Date; onTime: boolean },
) {
  await ex
    .updateTable('policies.report')
    .set({ status: r.status, progress: r.progress, reported_at: r.reportedAt, on_time: r.onTime })
    .where('tenant_id', '=', tenantId)
    .where('task_id', '=', taskId)
    .where('period_no', '=', no)
    .execute();
}
