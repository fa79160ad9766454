/** SQL of a site's routing rules (petitions.routing): matter type → department type, one row per rule set. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

export interface RoutingRow {
  matterType: string;
  departmentType: string;
  changedAt: Date;
}

export async function rulesOf(ex: Executor, tenantId: string, lock = false): Promise<RoutingRow[]> {
  let q = ex
    .selectFrom('petitions.routing')
    .select(['matter_type', 'department_type', 'changed_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('matter_type');
  if (lock) q = q.forUpdate();
  return (await q.execute()).map((r) => ({
    matterType: r.matter_type,
    departmentType: r.department_type,
    changedAt: new Date(r.changed_at),
  }));
}

export async function setRule(
  ex: Executor,
  tenantId: string,
  rule: { matterType: string; departmentType: string; by: number | null },
) {
  await ex
    .insertInto('petitions.routing')
    .values({
      tenant_id: tenantId,
      matter_type: rule.matterType,
      department_type: rule.departmentType,
      changed_by: rule.by,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'matter_type']).doUpdateSet({
        department_type: rule.departmentType,
        changed_at: sql`now()`,
        changed_by: rule.by,
      }),
    )
    .execute();
}

/** Back to the code's default: the site's own rule goes. */
export async function removeRule(ex: Executor, tenantId: string, matterType: string) {
  await ex
    .deleteFrom('petitions.routing')
    .where('tenant_id', '=', tenantId)
    .where('matter_type', '=', matterType)
    .execute();
}
