/** SQL of the self-check's own tables: a site's thresholds and its last checks. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import { thresholdsOf, type Thresholds } from './indicators.ts';

/** How many checks of a site are kept. */
export const RUNS_KEPT = 30;

export interface RunRecord {
  checkedAt: string;
  checkedBy: string;
  veto: number;
  deduction: number;
  notice: number;
  linksChecked: number;
}

/** The site's thresholds: the defaults with what it changed over them. */
export async function thresholds(ex: Executor, tenantId: string): Promise<Thresholds> {
  const row = await ex
    .selectFrom('sitecheck.setting')
    .select('thresholds')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return thresholdsOf(row?.thresholds);
}

export async function saveThresholds(
  ex: Executor,
  tenantId: string,
  t: Thresholds,
  by: string,
): Promise<void> {
  const value = JSON.stringify(t);
  await ex
    .insertInto('sitecheck.setting')
    .values({ tenant_id: tenantId, thresholds: value, updated_by: by })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({ thresholds: value, updated_by: by, updated_at: sql`now()` }),
    )
    .execute();
}

/** Records a check and forgets those beyond the newest RUNS_KEPT. */
export async function recordRun(ex: Executor, tenantId: string, run: RunRecord): Promise<void> {
  await ex
    .insertInto('sitecheck.run')
    .values({
      tenant_id: tenantId,
      checked_at: new Date(run.checkedAt),
      checked_by: run.checkedBy,
      veto: run.veto,
      deduction: run.deduction,
      notice: run.notice,
      links_checked: run.linksChecked,
    })
    .execute();
  await sql`delete from sitecheck.run where tenant_id = ${tenantId} and id not in
    (select id from sitecheck.run where tenant_id = ${tenantId} order by id desc limit ${RUNS_KEPT})`.execute(
    ex,
  );
}

/** The site's last checks, newest first. */
export async function recentRuns(ex: Executor, tenantId: string, limit: number): Promise<RunRecord[]> {
  const rows = await ex
    .selectFrom('sitecheck.run')
    .select(['checked_at', 'checked_by', 'veto', 'deduction', 'notice', 'links_checked'])
    .where('tenant_id', '=', tenantId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    checkedAt: new Date(r.checked_at).toISOString(),
    checkedBy: r.checked_by,
    veto: Number(r.veto),
    deduction: Number(r.deduction),
    notice: Number(r.notice),
    linksChecked: Number(r.links_checked),
  }));
}
