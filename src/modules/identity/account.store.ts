/** SQL for accounts, sessions and failed logins (schema identity). Every query is scoped by tenant_id. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

export type AccountKind = 'staff' | 'person' | 'enterprise';

export interface Account {
  tenantId: string;
  id: number;
  kind: AccountKind;
  username: string;
  displayName: string;
  status: 'active' | 'disabled';
  departmentId: number | null;
  divisionCode: string | null;
  idNumberEnc: string | null;
  creditCode: string | null;
  passwordChangedAt: Date;
}

type Row = {
  tenant_id: string;
  id: number;
  kind: string;
  username: string;
  display_name: string;
  status: string;
  department_id: number | null;
  division_code: string | null;
  id_number_enc: string | null;
  credit_code: string | null;
  password_changed_at: Date;
};

const columns = [
  'tenant_id',
  'id',
  'kind',
  'username',
  'display_name',
  'status',
  'department_id',
  'division_code',
  'id_number_enc',
  'credit_code',
  'password_changed_at',
] as const;

const toAccount = (r: Row): Account => ({
  tenantId: r.tenant_id,
  id: Number(r.id),
  kind: r.kind as AccountKind,
  username: r.username,
  displayName: r.display_name,
  status: r.status as Account['status'],
  departmentId: r.department_id === null ? null : Number(r.department_id),
  divisionCode: r.division_code,
  idNumberEnc: r.id_number_enc,
  creditCode: r.credit_code,
  passwordChangedAt: r.password_changed_at,
});

export async function findAccount(db: Executor, tenantId: string, id: number): Promise<Account | undefined> {
  const r = await db
    .selectFrom('identity.account')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r && toAccount(r);
}

export async function findLogin(
  db: Executor,
  tenantId: string,
  username: string,
): Promise<(Account & { passwordHash: string }) | undefined> {
  const r = await db
    .selectFrom('identity.account')
    .select([...columns, 'password_hash'])
    .where('tenant_id', '=', tenantId)
    .where('username', '=', username)
    .executeTakeFirst();
  return r && { ...toAccount(r), passwordHash: r.password_hash };
}

export interface NewAccount {
  kind: AccountKind;
  username: string;
  displayName: string;
  passwordHash: string;
  departmentId?: number | null;
  divisionCode?: string | null;
  idNumberEnc?: string | null;
  idNumberHash?: string | null;
  creditCode?: string | null;
}

export async function insertAccount(db: Executor, tenantId: string, a: NewAccount): Promise<number> {
  const r = await db
    .insertInto('identity.account')
    .values({
      tenant_id: tenantId,
      kind: a.kind,
      username: a.username,
      display_name: a.displayName,
      password_hash: a.passwordHash,
      department_id: a.departmentId ?? null,
      division_code: a.divisionCode ?? null,
      id_number_enc: a.idNumberEnc ?? null,
      id_number_hash: a.idNumberHash ?? null,
      credit_code: a.creditCode ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function setPassword(
  db: Executor,
  tenantId: string,
  id: number,
  passwordHash: string,
): Promise<void> {
  await db
    .updateTable('identity.account')
    .set({ password_hash: passwordHash, password_changed_at: new Date(), updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function passwordHashOf(
  db: Executor,
  tenantId: string,
  id: number,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('identity.account')
    .select('password_hash')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r?.password_hash;
}

// Sessions

export interface SessionRow {
  tenantId: string;
  accountId: number;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string;
  userAgent: string;
  tokenHash: string;
}

export async function insertSession(
  db: Executor,
  s: Omit<SessionRow, 'createdAt' | 'lastSeenAt'>,
): Promise<void> {
  await db
    .insertInto('identity.session')
    .values({
      tenant_id: s.tenantId,
      token_hash: s.tokenHash,
      account_id: s.accountId,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

type SessionDbRow = {
  tenant_id: string;
  token_hash: string;
  account_id: number;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string;
  user_agent: string;
};

const toSession = (r: SessionDbRow): SessionRow => ({
  tenantId: r.tenant_id,
  tokenHash: r.token_hash,
  accountId: Number(r.account_id),
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  ip: r.ip,
  userAgent: r.user_agent,
});

/** The session with this token hash, on any site (the caller refuses one from another site). */
export async function findSession(db: Executor, tokenHash: string): Promise<SessionRow | undefined> {
  const r = await db
    .selectFrom('identity.session')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r && toSession(r);
}

export async function listSessions(db: Executor, tenantId: string, accountId: number): Promise<SessionRow[]> {
  const rows = await db
    .selectFrom('identity.session')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map(toSession);
}

export async function touchSession(db: Executor, tenantId: string, tokenHash: string): Promise<void> {
  await db
    .updateTable('identity.session')
    .set({ last_seen_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function deleteSession(db: Executor, tenantId: string, tokenHash: string): Promise<void> {
  await db
    .deleteFrom('identity.session')
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function deleteSessionsOf(db: Executor, tenantId: string, accountId: number): Promise<number> {
  const r = await db
    .deleteFrom('identity.session')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Failed logins

export async function recordFailure(
  db: Executor,
  tenantId: string,
  username: string,
  ip: string,
): Promise<void> {
  await db.insertInto('identity.login_failure').values({ tenant_id: tenantId, username, ip }).execute();
}

/** Failures for a name since `since`, newest first (at most `limit`). */
export async function recentFailures(
  db: Executor,
  tenantId: string,
  username: string,
  since: Date,
  limit: number,
): Promise<Date[]> {
  const rows = await db
    .selectFrom('identity.login_failure')
    .select('at')
    .where('tenant_id', '=', tenantId)
    .where('username', '=', username)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.at);
}

export async function clearFailures(db: Executor, tenantId: string, username: string): Promise<void> {
  await db
    .deleteFrom('identity.login_failure')
    .where('tenant_id', '=', tenantId)
    .where('username', '=', username)
    .execute();
}

export async function idNumberTaken(db: Executor, tenantId: string, hash: string): Promise<boolean> {
  const r = await db
    .selectFrom('identity.account')
    .select(sql<number>`1`.as('one'))
    .where('tenant_id', '=', tenantId)
    .where('id_number_hash', '=', hash)
    .executeTakeFirst();
  return r !== undefined;
}

export async function anyAccount(db: Executor, tenantId: string): Promise<boolean> {
  const r = await db
    .selectFrom('identity.account')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}
