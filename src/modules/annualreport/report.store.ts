/** SQL of annual reports (annualreport.report), one function per question asked of the table. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

export interface ReportRow {
  id: number;
  year: number;
  departmentId: number | null;
  issuer: string;
  status: 'draft' | 'final';
  entered: unknown;
  texts: unknown;
  snapshot: unknown;
  finalisedAt: Date | null;
  publicationId: number | null;
  updatedAt: Date;
}

const columns = [
  'id',
  'year',
  'department_id',
  'issuer',
  'status',
  'entered',
  'texts',
  'snapshot',
  'finalised_at',
  'publication_id',
  'updated_at',
] as const;

type Row = {
  id: number | string;
  year: number;
  department_id: number | string | null;
  issuer: string;
  status: string;
  entered: unknown;
  texts: unknown;
  snapshot: unknown;
  finalised_at: Date | string | null;
  publication_id: number | string | null;
  updated_at: Date | string;
};

const toReport = (r: Row): ReportRow => ({
  id: Number(r.id),
  year: r.year,
  departmentId: r.department_id === null ? null : Number(r.department_id),
  issuer: r.issuer,
  status: r.status as ReportRow['status'],
  entered: r.entered,
  texts: r.texts,
  snapshot: r.snapshot,
  finalisedAt: r.finalised_at === null ? null : new Date(r.finalised_at),
  publicationId: r.publication_id === null ? null : Number(r.publication_id),
  updatedAt: new Date(r.updated_at),
});

const json = (v: unknown) => JSON.stringify(v);

/** The report of a year and body (department null: the site's own); `lock` for a change. */
export async function findReport(
  ex: Executor,
  tenantId: string,
  year: number,
  departmentId: number | null,
  lock = false,
): Promise<ReportRow | undefined> {
  let q = ex
    .selectFrom('annualreport.report')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('year', '=', year)
    .where(sql<boolean>`coalesce(department_id, 0) = ${departmentId ?? 0}`);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toReport(row as Row);
}

/** A new draft; undefined when the year and body already have a report. */
export async function insertReport(
  ex: Executor,
  tenantId: string,
  r: { year: number; departmentId: number | null; issuer: string; createdBy: number },
): Promise<ReportRow | undefined> {
  const row = await ex
    .insertInto('annualreport.report')
    .values({
      tenant_id: tenantId,
      year: r.year,
      department_id: r.departmentId,
      issuer: r.issuer,
      created_by: r.createdBy,
    })
    .onConflict((oc) => oc.expression(sql`tenant_id, year, coalesce(department_id, 0)`).doNothing())
    .returning(columns)
    .executeTakeFirst();
  return row && toReport(row as Row);
}

export async function saveEntered(
  ex: Executor,
  tenantId: string,
  id: number,
  entered: unknown,
  texts: unknown,
) {
  await ex
    .updateTable('annualreport.report')
    .set({ entered: json(entered), texts: json(texts), updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function finalise(
  ex: Executor,
  tenantId: string,
  id: number,
  s: { snapshot: unknown; at: Date; by: number | null },
) {
  await ex
    .updateTable('annualreport.report')
    .set({
      status: 'final',
      snapshot: json(s.snapshot),
      finalised_at: s.at,
      finalised_by: s.by,
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

export async function setPublication(ex: Executor, tenantId: string, id: number, publicationId: number) {
  await ex
    .updateTable('annualreport.report')
    .set({ publication_id: publicationId, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** A site's reports, the latest year first; only the final ones when `finalOnly`. */
export async function listReports(ex: Executor, tenantId: string, finalOnly: boolean): Promise<ReportRow[]> {
  let q = ex.selectFrom('annualreport.report').select(columns).where('tenant_id', '=', tenantId);
  if (finalOnly) q = q.where('status', '=', 'final');
  const rows = await q
    .orderBy('year', 'desc')
    .orderBy(sql`department_id nulls first`)
    .limit(500)
    .execute();
  return rows.map((r) => toReport(r as Row));
}
