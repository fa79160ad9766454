/** SQL of the evaluation schema: invitations, evaluations, the figures per department. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

export interface InvitationRow {
  caseNumber: string;
  caseTitle: string;
  definitionCode: string;
  outcome: string;
  closedAt: Date;
}

export interface EvaluationRow {
  caseNumber: string;
  caseTitle: string;
  definitionCode: string;
  definitionName: string;
  caseClosedAt: Date;
  raterAccountId: number;
  raterKind: 'person' | 'enterprise';
  raterName: string;
  anonymous: boolean;
  level: number;
  comment: string;
  departmentId: number;
  divisionCode: string;
  departmentIds: number[];
  evaluatedAt: Date;
  rectification: {
    number: string;
    dueAt: Date | null;
    outcome: string | null;
    reply: string | null;
    closedAt: Date | null;
  } | null;
}

export type NewEvaluation = Omit<EvaluationRow, 'rectification'> & {
  rectification: { number: string; dueAt: Date | null } | null;
};

const columns = [
  'case_number',
  'case_title',
  'definition_code',
  'definition_name',
  'case_closed_at',
  'rater_account_id',
  'rater_kind',
  'rater_name',
  'anonymous',
  'level',
  'comment',
  'department_id',
  'division_code',
  'department_ids',
  'evaluated_at',
  'rectification_number',
  'rectification_due_at',
  'rectification_outcome',
  'rectification_reply',
  'rectified_at',
] as const;

type Row = {
  case_number: string;
  case_title: string;
  definition_code: string;
  definition_name: string;
  case_closed_at: Date;
  rater_account_id: number | string;
  rater_kind: string;
  rater_name: string;
  anonymous: boolean;
  level: number;
  comment: string;
  department_id: number | string;
  division_code: string;
  department_ids: (number | string)[];
  evaluated_at: Date;
  rectification_number: string | null;
  rectification_due_at: Date | null;
  rectification_outcome: string | null;
  rectification_reply: string | null;
  rectified_at: Date | null;
};

// bigint columns may come back as strings (node-postgres), so every id goes through Number.
const evaluationOf = (r: Row): EvaluationRow => ({
  caseNumber: r.case_number,
  caseTitle: r.case_title,
  definitionCode: r.definition_code,
  definitionName: r.definition_name,
  caseClosedAt: r.case_closed_at,
  raterAccountId: Number(r.rater_account_id),
  raterKind: r.rater_kind as 'person' | 'enterprise',
  raterName: r.rater_name,
  anonymous: r.anonymous,
  level: r.level,
  comment: r.comment,
  departmentId: Number(r.department_id),
  divisionCode: r.division_code,
  departmentIds: r.department_ids.map(Number),
  evaluatedAt: r.evaluated_at,
  rectification: r.rectification_number
    ? {
        number: r.rectification_number,
        dueAt: r.rectification_due_at,
        outcome: r.rectification_outcome,
        reply: r.rectification_reply,
        closedAt: r.rectified_at,
      }
    : null,
});

/** Writes an evaluation unless the case has one; false when it had (the unique key decides, not a read). */
export async function insertEvaluation(ex: Executor, tenantId: string, e: NewEvaluation): Promise<boolean> {
  const inserted = await ex
    .insertInto('evaluation.case_evaluation')
    .values({
      tenant_id: tenantId,
      case_number: e.caseNumber,
      case_title: e.caseTitle,
      definition_code: e.definitionCode,
      definition_name: e.definitionName,
      case_closed_at: e.caseClosedAt,
      rater_account_id: e.raterAccountId,
      rater_kind: e.raterKind,
      rater_name: e.raterName,
      anonymous: e.anonymous,
      level: e.level,
      comment: e.comment,
      department_id: e.departmentId,
      division_code: e.divisionCode,
      department_ids: e.departmentIds,
      evaluated_at: e.evaluatedAt,
      rectification_number: e.rectification?.number ?? null,
      rectification_due_at: e.rectification?.dueAt ?? null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'case_number']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findEvaluation(
  ex: Executor,
  tenantId: string,
  caseNumber: string,
): Promise<EvaluationRow | undefined> {
  const r = await ex
    .selectFrom('evaluation.case_evaluation')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('case_number', '=', caseNumber)
    .executeTakeFirst();
  return r && evaluationOf(r);
}

export async function evaluationsBy(
  ex: Executor,
  tenantId: string,
  raterAccountId: number,
  limit: number,
): Promise<EvaluationRow[]> {
  const rows = await ex
    .selectFrom('evaluation.case_evaluation')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('rater_account_id', '=', raterAccountId)
    .orderBy('evaluated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(evaluationOf);
}

/**
 * Records how a rectification case ended, once; the evaluation it belongs to, or undefined when the
 * case is not a rectification case (or was recorded already).
 */
export async function recordRectification(
  ex: Executor,
  tenantId: string,
  rectificationNumber: string,
  result: { outcome: string; reply: string; closedAt: Date },
): Promise<EvaluationRow | undefined> {
  const r = await ex
    .updateTable('evaluation.case_evaluation')
    .set({
      rectification_outcome: result.outcome,
      rectification_reply: result.reply,
      rectified_at: result.closedAt,
    })
    .where('tenant_id', '=', tenantId)
    .where('rectification_number', '=', rectificationNumber)
    .where('rectified_at', 'is', null)
    .returning(columns)
    .executeTakeFirst();
  return r && evaluationOf(r);
}

export async function insertInvitation(
  ex: Executor,
  tenantId: string,
  applicantAccountId: number,
  i: InvitationRow,
): Promise<void> {
  await ex
    .insertInto('evaluation.invitation')
    .values({
      tenant_id: tenantId,
      case_number: i.caseNumber,
      applicant_account_id: applicantAccountId,
      case_title: i.caseTitle,
      definition_code: i.definitionCode,
      outcome: i.outcome,
      closed_at: i.closedAt,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'case_number']).doNothing())
    .execute();
}

/** An applicant's closed cases not yet rated, closed since `since` (the window's start), newest first. */
export async function openInvitations(
  ex: Executor,
  tenantId: string,
  applicantAccountId: number,
  since: Date,
  limit: number,
): Promise<InvitationRow[]> {
  const rows = await ex
    .selectFrom('evaluation.invitation as i')
    .select(['i.case_number', 'i.case_title', 'i.definition_code', 'i.outcome', 'i.closed_at'])
    .where('i.tenant_id', '=', tenantId)
    .where('i.applicant_account_id', '=', applicantAccountId)
    .where('i.closed_at', '>', since)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('evaluation.case_evaluation as e')
            .select(sql`1`.as('one'))
            .whereRef('e.tenant_id', '=', 'i.tenant_id')
            .whereRef('e.case_number', '=', 'i.case_number'),
        ),
      ),
    )
    .orderBy('i.closed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    caseNumber: r.case_number,
    caseTitle: r.case_title,
    definitionCode: r.definition_code,
    outcome: r.outcome,
    closedAt: r.closed_at,
  }));
}

export interface FigureRow {
  departmentId: number;
  divisionCode: string;
  /** evaluations by level, index 0 = level 1 (非常不满意) … index 4 = level 5 (非常满意) */
  byLevel: [number, number, number, number, number];
  total: number;
  bad: number;
  rectified: number;
}

/** Counts per department of the evaluations given in a period, within a division subtree. */
export async function figures(
  ex: Executor,
  tenantId: string,
  prefix: string,
  period: { from: Date; to: Date },
): Promise<FigureRow[]> {
  const level = (n: number) => sql<number>`count(*) filter (where level = ${n})::int`;
  const rows = await ex
    .selectFrom('evaluation.case_evaluation')
    .select([
      'department_id',
      sql<string>`min(division_code)`.as('division_code'),
      level(1).as('l1'),
      level(2).as('l2'),
      level(3).as('l3'),
      level(4).as('l4'),
      level(5).as('l5'),
      sql<number>`count(*)::int`.as('total'),
      sql<number>`count(*) filter (where level <= 2)::int`.as('bad'),
      sql<number>`count(*) filter (where level <= 2 and rectified_at is not null)::int`.as('rectified'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('division_code', 'like', `${prefix}%`)
    .where('evaluated_at', '>=', period.from)
    .where('evaluated_at', '<', period.to)
    .groupBy('department_id')
    .execute();
  return rows.map((r) => ({
    departmentId: Number(r.department_id),
    divisionCode: r.division_code,
    byLevel: [r.l1, r.l2, r.l3, r.l4, r.l5],
    total: r.total,
    bad: r.bad,
    rectified: r.rectified,
  }));
}
