/** SQL for staff administration: listing staff of a jurisdiction, account status, one-time password links. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

export interface StaffRow {
  id: number;
  username: string;
  displayName: string;
  status: 'active' | 'disabled';
  departmentId: number | null;
  divisionCode: string;
  mfaEnabled: boolean;
  email: string | null;
  roles: string[];
}

/** Staff whose division starts with `divisionPrefix`, with the roles they hold. */
export async function listStaff(
  db: Executor,
  tenantId: string,
  filter: { divisionPrefix: string; q?: string | undefined; limit: number; offset: number },
): Promise<{ items: StaffRow[]; total: number }> {
  let query = db
    .selectFrom('identity.account as a')
    .where('a.tenant_id', '=', tenantId)
    .where('a.kind', '=', 'staff')
    .where('a.division_code', 'like', `${filter.divisionPrefix}%`);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('a.username', 'like', like), eb('a.display_name', 'like', like)]));
  }
  const [rows, count] = await Promise.all([
    query
      .select([
        'a.id',
        'a.username',
        'a.display_name',
        'a.status',
        'a.department_id',
        'a.division_code',
        'a.mfa_enabled_at',
        'a.email',
        sql<string[]>`coalesce((select array_agg(g.role_code order by g.role_code) from identity.role_grant g
          where g.tenant_id = a.tenant_id and g.account_id = a.id), '{}')`.as('roles'),
      ])
      .orderBy('a.division_code')
      .orderBy('a.username')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      id: Number(r.id),
      username: r.username,
      displayName: r.display_name,
      status: r.status as StaffRow['status'],
      departmentId: r.department_id === null ? null : Number(r.department_id),
      divisionCode: r.division_code ?? '',
      mfaEnabled: r.mfa_enabled_at !== null,
      email: r.email,
      roles: r.roles,
    })),
  };
}

export async function setStatus(
  db: Executor,
  tenantId: string,
  id: number,
  status: 'active' | 'disabled',
): Promise<void> {
  await db
    .updateTable('identity.account')
    .set({ status, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function setEmail(
  db: Executor,
  tenantId: string,
  id: number,
  email: string | null,
): Promise<void> {
  await db
    .updateTable('identity.account')
    .set({ email, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

// One-time password links

export async function insertPasswordLink(
  db: Executor,
  link: {
    tokenHash: string;
    tenantId: string;
    accountId: number;
    purpose: 'setup' | 'reset';
    createdBy: string;
    expiresAt: Date;
  },
): Promise<void> {
  // A new link replaces the account's earlier unused ones: only the latest can be used.
  await db
    .updateTable('identity.password_link')
    .set({ used_at: new Date() })
    .where('tenant_id', '=', link.tenantId)
    .where('account_id', '=', link.accountId)
    .where('used_at', 'is', null)
    .execute();
  await db
    .insertInto('identity.password_link')
    .values({
      token_hash: link.tokenHash,
      tenant_id: link.tenantId,
      account_id: link.accountId,
      purpose: link.purpose,
      created_by: link.createdBy,
      expires_at: link.expiresAt,
    })
    .execute();
}

export interface PasswordLink {
  tenantId: string;
  accountId: number;
  purpose: 'setup' | 'reset';
  expiresAt: Date;
  usedAt: Date | null;
}

export async function findPasswordLink(db: Executor, tokenHash: string): Promise<PasswordLink | undefined> {
  const r = await db
    .selectFrom('identity.password_link')
    .select(['tenant_id', 'account_id', 'purpose', 'expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return (
    r && {
      tenantId: r.tenant_id,
      accountId: Number(r.account_id),
      purpose: r.purpose as PasswordLink['purpose'],
      expiresAt: r.expires_at,
      usedAt: r.used_at,
    }
  );
}

/** Marks a link used; false when it was used (or replaced) meanwhile, so a link works exactly once. */
export async function usePasswordLink(db: Executor, tokenHash: string): Promise<boolean> {
  const r = await db
    .updateTable('identity.password_link')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Locks an account's row until the transaction ends (serialises changes to its roles). */
export async function lockAccount(db: Executor, tenantId: string, id: number): Promise<void> {
  await db
    .selectFrom('identity.account')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .execute();
}

/** Active staff holding a role, in given departments or in departments of given divisions. */
export async function staffWithRole(
  db: Executor,
  tenantId: string,
  where: { role: string; departmentIds?: readonly number[]; divisionCodes?: readonly string[] },
): Promise<{ accountId: number; name: string; departmentId: number; divisionCode: string }[]> {
  let q = db
    .selectFrom('identity.account as a')
    .innerJoin('identity.role_grant as g', (j) =>
      j.onRef('g.tenant_id', '=', 'a.tenant_id').onRef('g.account_id', '=', 'a.id'),
    )
    .select(['a.id', 'a.display_name', 'a.department_id', 'a.division_code'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.kind', '=', 'staff')
    .where('a.status', '=', 'active')
    .where('g.role_code', '=', where.role);
  if (where.departmentIds) {
    if (where.departmentIds.length === 0) return [];
    q = q.where('a.department_id', 'in', where.departmentIds);
  }
  if (where.divisionCodes) {
    if (where.divisionCodes.length === 0) return [];
    q = q.where('a.division_code', 'in', where.divisionCodes);
  }
  const rows = await q.orderBy('a.id').limit(500).execute();
  return rows.map((r) => ({
    accountId: Number(r.id),
    name: r.display_name,
    departmentId: Number(r.department_id),
    divisionCode: r.division_code ?? '',
  }));
}
