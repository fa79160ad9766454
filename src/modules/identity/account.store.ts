/** SQL for accounts, sessions and failed logins (schema identity). Every query is scoped by tenant_id. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import { SYSTEM_TENANT, toRole, type Role, type RoleRow } from './role.store.ts';

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
  /** When TOTP was enabled, or null. */
  mfaEnabledAt: Date | null;
  /** An administrator reset the password: the next login must choose a new one. */
  mustChangePassword: boolean;
  /** Staff: the work e-mail address where one-time password links are sent (when SMTP is set). */
  email: string | null;
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
  mfa_enabled_at: Date | null;
  must_change_password: boolean;
  email: string | null;
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
  'mfa_enabled_at',
  'must_change_password',
  'email',
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
  mfaEnabledAt: r.mfa_enabled_at,
  mustChangePassword: r.must_change_password,
  email: r.email,
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

export async function findAccounts(
  db: Executor,
  tenantId: string,
  ids: readonly number[],
): Promise<Account[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('identity.account')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return rows.map(toAccount);
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
  /** Staff only (the table refuses it for other kinds). */
  email?: string | null;
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
      email: a.email ?? null,
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
    .set({
      password_hash: passwordHash,
      password_changed_at: new Date(),
      must_change_password: false,
      updated_at: new Date(),
    })
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

/** What a session may do: act as the account, or only finish a step of signing in first. */
export type SessionStage = 'active' | 'mfa' | 'password_change' | 'mfa_enrol';

export interface SessionRow {
  stage: SessionStage;
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
      stage: s.stage,
    })
    .execute();
}

export async function setSessionStage(
  db: Executor,
  tenantId: string,
  tokenHash: string,
  stage: SessionStage,
): Promise<void> {
  await db
    .updateTable('identity.session')
    .set({ stage })
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
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
  stage: string;
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
  stage: r.stage as SessionStage,
});

/**
 * The session with this token hash (on any site: the caller refuses one from another site), with its
 * account and the account's roles — one query, since every signed-in request asks it.
 */
export async function findSessionWithAccount(
  db: Executor,
  tokenHash: string,
): Promise<{ session: SessionRow; account: Account | undefined; roles: Role[] } | undefined> {
  const accountColumns = sql.join(columns.map((c) => sql`a.${sql.ref(c)} as ${sql.ref(`a_${c}`)}`));
  const r = await sql<SessionDbRow & Record<`a_${(typeof columns)[number]}`, unknown> & { roles: RoleRow[] }>`
    select s.*, ${accountColumns},
           coalesce((select json_agg(json_build_object('code', r.code, 'name', r.name, 'kind', r.kind,
                       'permissions', r.permissions, 'requires_mfa', r.requires_mfa, 'system', r.system)
                       order by r.code)
                       from identity.role_grant g
                       join identity.role r on r.code = g.role_code and r.tenant_id in (${SYSTEM_TENANT}, s.tenant_id)
                      where g.tenant_id = s.tenant_id and g.account_id = s.account_id), '[]') as roles
      from identity.session s
      left join identity.account a on a.tenant_id = s.tenant_id and a.id = s.account_id
     where s.token_hash = ${tokenHash}`.execute(db);
  const row = r.rows[0];
  if (!row) return undefined;
  const account = Object.fromEntries(columns.map((c) => [c, row[`a_${c}`]])) as Row;
  return {
    session: toSession(row),
    account: account.id === null ? undefined : toAccount(account),
    roles: (typeof row.roles === 'string' ? (JSON.parse(row.roles) as RoleRow[]) : row.roles).map(toRole),
  };
}

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

/**
 * Starts a sign-in attempt: records it as a failure first, then reads the failures before it within the
 * window (newest first, at most `limit`). Attempts sent in parallel thus count against each other at
 * once; a successful attempt clears the failures (clearFailures); a refused one stays a failure.
 */
export async function beginAttempt(
  db: Executor,
  tenantId: string,
  username: string,
  ip: string,
  since: Date,
  limit: number,
): Promise<{ id: number; earlier: Date[] }> {
  const own = await db
    .insertInto('identity.login_failure')
    .values({ tenant_id: tenantId, username, ip })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('identity.login_failure')
    .select(['id', 'at'])
    .where('tenant_id', '=', tenantId)
    .where('username', '=', username)
    .where('at', '>', since)
    .where('id', '<>', own.id)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return { id: Number(own.id), earlier: rows.map((r) => r.at) };
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

// Security settings

/** The site's maximum password age in days, or null when passwords do not expire. */
export async function passwordMaxAgeDays(db: Executor, tenantId: string): Promise<number | null> {
  const r = await db
    .selectFrom('identity.security_setting')
    .select('password_max_age_days')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return r?.password_max_age_days ?? null;
}

export async function setPasswordMaxAgeDays(
  db: Executor,
  tenantId: string,
  days: number | null,
): Promise<void> {
  await db
    .insertInto('identity.security_setting')
    .values({ tenant_id: tenantId, password_max_age_days: days })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({ password_max_age_days: days, updated_at: new Date() }),
    )
    .execute();
}

// Persons, for staff who look people up

export interface PersonRow {
  id: number;
  username: string;
  displayName: string;
  idNumberEnc: string;
  status: 'active' | 'disabled';
  createdAt: Date;
}

const personColumns = ['id', 'username', 'display_name', 'id_number_enc', 'status', 'created_at'] as const;
const toPerson = (r: {
  id: number;
  username: string;
  display_name: string;
  id_number_enc: string | null;
  status: string;
  created_at: Date;
}): PersonRow => ({
  id: Number(r.id),
  username: r.username,
  displayName: r.display_name,
  idNumberEnc: r.id_number_enc ?? '',
  status: r.status as PersonRow['status'],
  createdAt: r.created_at,
});

export async function findPersons(
  db: Executor,
  tenantId: string,
  filter: { idNumberHash?: string | undefined; text?: string | undefined; limit: number; offset: number },
): Promise<{ items: PersonRow[]; total: number }> {
  let query = db
    .selectFrom('identity.account')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'person');
  if (filter.idNumberHash) query = query.where('id_number_hash', '=', filter.idNumberHash);
  if (filter.text) {
    const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('display_name', 'like', like), eb('username', 'like', like)]));
  }
  const [rows, count] = await Promise.all([
    query.select(personColumns).orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toPerson), total: Number(count.n) };
}

export async function findPerson(db: Executor, tenantId: string, id: number): Promise<PersonRow | undefined> {
  const r = await db
    .selectFrom('identity.account')
    .select(personColumns)
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'person')
    .where('id', '=', id)
    .executeTakeFirst();
  return r && toPerson(r);
}

// Key rotation

export interface EncryptedRow {
  id: number;
  idNumberEnc: string | null;
  mfaSecretEnc: string | null;
}

/** Accounts holding encrypted data, in id order after `afterId` (all sites: keys are the deployment's). */
export async function encryptedBatch(
  db: Executor,
  afterTenant: string,
  afterId: number,
  limit: number,
): Promise<(EncryptedRow & { tenantId: string })[]> {
  const rows = await db
    .selectFrom('identity.account')
    .select(['tenant_id', 'id', 'id_number_enc', 'mfa_secret_enc'])
    .where((eb) => eb.or([eb('id_number_enc', 'is not', null), eb('mfa_secret_enc', 'is not', null)]))
    .where(sql<boolean>`(tenant_id, id) > (${afterTenant}, ${afterId})`)
    .orderBy('tenant_id')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    id: Number(r.id),
    idNumberEnc: r.id_number_enc,
    mfaSecretEnc: r.mfa_secret_enc,
  }));
}

export async function countEncrypted(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('identity.account')
    .select(sql<number>`count(*)::int`.as('n'))
    .where((eb) => eb.or([eb('id_number_enc', 'is not', null), eb('mfa_secret_enc', 'is not', null)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Replaces the ciphertexts only if they are still the ones read (`was`): a second factor enrolled or
 * switched off meanwhile is not overwritten with the old secret; the next rotation picks it up.
 */
export async function setEncrypted(
  db: Executor,
  tenantId: string,
  id: number,
  values: { idNumberEnc: string | null; mfaSecretEnc: string | null },
  was: { idNumberEnc: string | null; mfaSecretEnc: string | null },
): Promise<void> {
  await db
    .updateTable('identity.account')
    .set({ id_number_enc: values.idNumberEnc, mfa_secret_enc: values.mfaSecretEnc })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where(sql<boolean>`id_number_enc is not distinct from ${was.idNumberEnc}`)
    .where(sql<boolean>`mfa_secret_enc is not distinct from ${was.mfaSecretEnc}`)
    .execute();
}

/** A staff member's division, when their department has moved. */
export async function setDivision(
  db: Executor,
  tenantId: string,
  id: number,
  divisionCode: string,
): Promise<void> {
  await db
    .updateTable('identity.account')
    .set({ division_code: divisionCode, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('kind', '=', 'staff')
    .execute();
}
