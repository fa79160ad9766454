/** SQL for roles and role grants (schema identity). System roles have tenant_id '' (every site). */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import { isPermission, type AccountKind, type RoleDefinition } from '../../kernel/policy/index.ts';

export const SYSTEM_TENANT = '';

export interface Role extends RoleDefinition {
  code: string;
  /** '' for a system role (its name is in the locales), else the name the site gave it. */
  name: string;
  system: boolean;
}

export type RoleRow = {
  code: string;
  name: string;
  kind: string;
  permissions: string[];
  requires_mfa: boolean;
  system: boolean;
};

export const toRole = (r: RoleRow): Role => ({
  code: r.code,
  name: r.name,
  kind: r.kind as AccountKind,
  // A permission the code no longer knows (dropped in an upgrade) is simply not granted.
  permissions: r.permissions.filter(isPermission),
  requiresMfa: r.requires_mfa,
  system: r.system,
});

/** Writes the system roles from the code's table; run at start-up, idempotent on every node. */
export async function syncSystemRoles(db: Executor, roles: Record<string, RoleDefinition>): Promise<void> {
  const rows = Object.entries(roles).map(([code, r]) => ({
    tenant_id: SYSTEM_TENANT,
    code,
    kind: r.kind,
    permissions: [...r.permissions],
    requires_mfa: r.requiresMfa,
    system: true,
  }));
  await db
    .insertInto('identity.role')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'code']).doUpdateSet((eb) => ({
        kind: eb.ref('excluded.kind'),
        permissions: eb.ref('excluded.permissions'),
        requires_mfa: eb.ref('excluded.requires_mfa'),
      })),
    )
    .execute();
}

/** Every role a site can grant: the system roles and its own. */
export async function listRoles(db: Executor, tenantId: string): Promise<Role[]> {
  const rows = await db
    .selectFrom('identity.role')
    .select(['code', 'name', 'kind', 'permissions', 'requires_mfa', 'system'])
    .where('tenant_id', 'in', [SYSTEM_TENANT, tenantId])
    .orderBy('system', 'desc')
    .orderBy('code')
    .execute();
  return rows.map(toRole);
}

export async function findRole(db: Executor, tenantId: string, code: string): Promise<Role | undefined> {
  const r = await db
    .selectFrom('identity.role')
    .select(['code', 'name', 'kind', 'permissions', 'requires_mfa', 'system'])
    .where('tenant_id', 'in', [SYSTEM_TENANT, tenantId])
    .where('code', '=', code)
    .executeTakeFirst();
  return r && toRole(r);
}

/** The roles an account holds, with their permissions: one query, run for every signed-in request. */
export async function rolesOf(db: Executor, tenantId: string, accountId: number): Promise<Role[]> {
  const rows = await db
    .selectFrom('identity.role_grant as g')
    .innerJoin('identity.role as r', (j) =>
      j.onRef('r.code', '=', 'g.role_code').on((eb) => eb('r.tenant_id', 'in', [SYSTEM_TENANT, tenantId])),
    )
    .select(['r.code', 'r.name', 'r.kind', 'r.permissions', 'r.requires_mfa', 'r.system'])
    .where('g.tenant_id', '=', tenantId)
    .where('g.account_id', '=', accountId)
    .orderBy('r.code')
    .execute();
  return rows.map(toRole);
}

export async function insertGrant(
  db: Executor,
  tenantId: string,
  accountId: number,
  roleCode: string,
  grantedBy: string,
): Promise<boolean> {
  const r = await db
    .insertInto('identity.role_grant')
    .values({ tenant_id: tenantId, account_id: accountId, role_code: roleCode, granted_by: grantedBy })
    .onConflict((oc) => oc.doNothing())
    .returning('role_code')
    .executeTakeFirst();
  return r !== undefined;
}

export async function deleteGrant(
  db: Executor,
  tenantId: string,
  accountId: number,
  roleCode: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('identity.role_grant')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('role_code', '=', roleCode)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The accounts holding each role on a site (for the roles page). */
export async function holderCounts(db: Executor, tenantId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('identity.role_grant')
    .select(['role_code', sql<number>`count(*)::int`.as('n')])
    .where('tenant_id', '=', tenantId)
    .groupBy('role_code')
    .execute();
  return new Map(rows.map((r) => [r.role_code, Number(r.n)]));
}
