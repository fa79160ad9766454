/**
 * Reading the audit chain (审计日志查询): the auditor's search, a streaming export, and the security
 * events (安全事件) computed from it. Everything here only reads `audit.entry`; modules reach the log
 * through these functions and never through the table.
 *
 * Every query is for one site (tenant) and may be limited to a jurisdiction: the entries whose actor
 * belongs to a division subtree, plus the entries that have no actor division at all (anonymous and
 * citizen events of the site — failed logins, registrations). See AuditScope.
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { DB, Database } from '../db/index.ts';
import { levelOf, subtreePrefix } from '../divisions/index.ts';
import type { AuditEntry, AuditResult } from './index.ts';

/** One stored entry as the auditor sees it; seq, prevHash and hash are null until it is sealed. */
export interface AuditRecord extends Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'> {
  id: number;
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
}

/** What to look for. Every field is optional; the fields given must all match. */
export interface AuditFilter {
  /** actor_id, exactly ('account:12', 'anonymous', 'system'). */
  actorId?: string | undefined;
  /** An action exactly ('session.login'), or every action under a prefix ending in '.' ('session.'). */
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  result?: AuditResult | undefined;
  /** The client address, exactly. */
  ip?: string | undefined;
  /** Entries at or after this instant. */
  from?: Date | undefined;
  /** Entries strictly before this instant. */
  before?: Date | undefined;
  /** Entries whose actor belongs to this division or one below it (a division code). */
  division?: string | undefined;
  /** Only entries with an id up to this one: an export counts and then streams the same rows. */
  maxId?: number | undefined;
}

/**
 * Whose entries a reader may see. `divisionPrefix` is the reader's jurisdiction as a division-code
 * prefix (jurisdictionPrefix() of the policy; '' for the nation): entries whose actor_division starts
 * with it, plus entries with an empty actor_division — anonymous requests, citizens and enterprises,
 * which belong to the site rather than to a division. Undefined means the whole site (the system's own
 * work, the command line).
 */
export interface AuditScope {
  divisionPrefix?: string | undefined;
}

export interface AuditPage {
  items: AuditRecord[];
  total: number;
}

type Query = SelectQueryBuilder<DB, 'audit.entry', object>;

function divisionPrefix(code: string): string {
  if (!('level' in levelOf(code))) throw new Error(`not a division code: ${code}`);
  return subtreePrefix(code);
}

function filtered(db: Database, tenantId: string, filter: AuditFilter, scope: AuditScope): Query {
  let q: Query = db.kysely.selectFrom('audit.entry').where('tenant_id', '=', tenantId);
  if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
  if (filter.action) {
    const action = filter.action;
    q = action.endsWith('.')
      ? q.where(sql<boolean>`starts_with(action, ${action})`)
      : q.where('action', '=', action);
  }
  if (filter.objectType) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId) q = q.where('object_id', '=', filter.objectId);
  if (filter.result) q = q.where('result', '=', filter.result);
  if (filter.ip) q = q.where('ip', '=', filter.ip);
  if (filter.from) q = q.where('at', '>=', filter.from);
  if (filter.before) q = q.where('at', '<', filter.before);
  if (filter.maxId !== undefined) q = q.where('id', '<=', filter.maxId);
  if (filter.division) q = q.where('actor_division', 'like', `${divisionPrefix(filter.division)}%`);
  return scoped(q, scope);
}

function checkedPrefix(scope: AuditScope): string {
  const prefix = scope.divisionPrefix ?? '';
  if (!/^\d*$/.test(prefix)) throw new Error(`not a division prefix: ${prefix}`);
  return prefix;
}

function scoped(q: Query, scope: AuditScope): Query {
  const prefix = checkedPrefix(scope);
  if (prefix === '') return q; // the national level, or no scope: every division
  return q.where((eb: ExpressionBuilder<DB, 'audit.entry'>) =>
    eb.or([eb('actor_division', 'like', `${prefix}%`), eb('actor_division', '=', '')]),
  );
}

const COLUMNS = [
  'id',
  'tenant_id',
  'seq',
  'at',
  'actor_id',
  'actor_role',
  'actor_division',
  'action',
  'object_type',
  'object_id',
  'result',
  'ip',
  'user_agent',
  'request_id',
  'detail',
  'prev_hash',
  'hash',
] as const;

interface Row {
  id: number;
  tenant_id: string;
  seq: number | null;
  at: Date;
  actor_id: string;
  actor_role: string;
  actor_division: string;
  action: string;
  object_type: string;
  object_id: string;
  result: string;
  ip: string;
  user_agent: string;
  request_id: string;
  detail: unknown;
  prev_hash: string | null;
  hash: string | null;
}

function recordOf(r: Row): AuditRecord {
  return {
    id: Number(r.id),
    tenantId: r.tenant_id,
    seq: r.seq === null ? null : Number(r.seq),
    at: r.at,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    actorDivision: r.actor_division,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    result: r.result as AuditResult,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : (r.detail ?? {})) as Record<
      string,
      unknown
    >,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** One page of the entries matching a filter, newest first (by time, then by the order written). */
export async function searchAudit(
  db: Database,
  tenantId: string,
  filter: AuditFilter,
  page: { limit: number; offset: number },
  scope: AuditScope = {},
): Promise<AuditPage> {
  const base = filtered(db, tenantId, filter, scope);
  const [rows, total] = await Promise.all([
    base
      .select(COLUMNS)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  return { items: (rows as Row[]).map(recordOf), total: Number(total?.n ?? 0) };
}

/** How many entries match a filter. */
export async function countAudit(
  db: Database,
  tenantId: string,
  filter: AuditFilter,
  scope: AuditScope = {},
): Promise<number> {
  const row = await filtered(db, tenantId, filter, scope)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The highest entry id of a site so far (0 when it has none): fixes what an export will contain. */
export async function latestAuditId(db: Database, tenantId: string): Promise<number> {
  const row = await db.kysely
    .selectFrom('audit.entry')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export const EXPORT_BATCH = 1000;

/**
 * Every entry matching a filter, newest written first (by id), read in batches of `batchSize` by id so
 * that an export of millions of entries holds one batch in memory at a time. Pass filter.maxId (from
 * latestAuditId) to stream exactly the rows a count made before it saw.
 */
export async function* streamAudit(
  db: Database,
  tenantId: string,
  filter: AuditFilter,
  scope: AuditScope = {},
  batchSize = EXPORT_BATCH,
): AsyncGenerator<AuditRecord, void, undefined> {
  let below: number | undefined;
  for (;;) {
    let q = filtered(db, tenantId, filter, scope);
    if (below !== undefined) q = q.where('id', '<', below);
    const rows = (await q.select(COLUMNS).orderBy('id', 'desc').limit(batchSize).execute()) as Row[];
    for (const r of rows) yield recordOf(r);
    if (rows.length < batchSize) return;
    below = Number(rows[rows.length - 1]!.id);
  }
}

// ---------------------------------------------------------------------------------------------------
// Security events (安全事件): alerts computed from the chain for a time window.

/**
 * Failed-login bursts: at least this many `session.login_failed` for one user name, or from one
 * client address, within FAILED_LOGIN_WINDOW_MINUTES. The account lockout already stops a name after
 * 5 failures in 15 minutes, so 10 in 10 minutes means someone kept trying across lockouts or across
 * many names (password spraying from one address) — more than a person who forgot a password does.
 */
export const FAILED_LOGIN_BURST = 10;
export const FAILED_LOGIN_WINDOW_MINUTES = 10;

/**
 * Bulk personal-data views: more than this many `pii.viewed` by one actor within PII_VIEW_WINDOW_MINUTES.
 * A window officer checks one applicant's identity every few minutes at the most busy counters (about
 * 6–10 in 10 minutes); over 20 in 10 minutes is a pace no counter work explains and suggests browsing
 * or harvesting identifiers.
 */
export const PII_VIEW_BURST = 20;
export const PII_VIEW_WINDOW_MINUTES = 10;

/**
 * Staff logins from a new address: an address the same staff account has not logged in from within
 * this many days before. 90 days covers a quarter's travel and home-working; an older address is new
 * again.
 */
export const NEW_IP_LOOKBACK_DAYS = 90;

/** The window shown when none is chosen: the last 24 hours. */
export const DEFAULT_EVENTS_HOURS = 24;

/** At most this many entry ids are listed per alert (the count is always exact). */
export const ALERT_MAX_IDS = 1000;

export type SecurityAlertKind = 'failed_login_burst' | 'lockout' | 'new_staff_ip' | 'bulk_pii_view';

export interface SecurityAlert {
  kind: SecurityAlertKind;
  /** What the alert is about: a user name, a client address or an actor. */
  subjectType: 'username' | 'ip' | 'actor';
  subject: string;
  /** For new_staff_ip: the new address (the subject is the actor). */
  ip?: string | undefined;
  firstAt: Date;
  lastAt: Date;
  /** How many entries are behind it. */
  count: number;
  /** For bursts: the most entries within one sliding window. */
  peak: number;
  /** The entries behind it, oldest first (at most ALERT_MAX_IDS), and their chain numbers. */
  entryIds: number[];
  seqs: (number | null)[];
}

export interface SecurityEventOptions {
  from: Date;
  /** Exclusive. */
  before: Date;
  failedLoginBurst?: number;
  failedLoginWindowMinutes?: number;
  piiViewBurst?: number;
  piiViewWindowMinutes?: number;
  newIpLookbackDays?: number;
}

const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : []);
const seqsOf = (v: unknown): (number | null)[] =>
  Array.isArray(v) ? v.map((s) => (s === null || s === undefined ? null : Number(s))) : [];

function scopeSql(scope: AuditScope, alias: string) {
  const prefix = checkedPrefix(scope);
  if (prefix === '') return sql``;
  const col = sql.ref(`${alias}.actor_division`);
  return sql`and (${col} like ${`${prefix}%`} or ${col} = '')`;
}

interface BurstRow {
  subject_type: string;
  subject: string;
  first_at: Date;
  last_at: Date;
  n: number;
  peak: number;
  ids: unknown;
  seqs: unknown;
}

/**
 * Bursts of one action per subject: a burst is a run of entries of one subject in which each follows
 * the one before within `minutes` (gaps-and-islands), that somewhere holds at least `minCount` entries
 * within `minutes`. One alert per run, so an attack lasting an hour is one alert, not fifty.
 */
async function bursts(
  db: Database,
  tenantId: string,
  action: string,
  subjects: { type: 'username' | 'ip' | 'actor'; column: 'object_id' | 'ip' | 'actor_id' }[],
  minCount: number,
  minutes: number,
  options: SecurityEventOptions,
  scope: AuditScope,
): Promise<BurstRow[]> {
  const windowSql = sql`make_interval(mins => ${minutes}::int)`;
  const parts = subjects.map(
    (s) => sql`
      select ${s.type}::text as subject_type, ${sql.ref(`e.${s.column}`)} as subject, e.id, e.seq, e.at
        from audit.entry e
       where e.tenant_id = ${tenantId} and e.action = ${action}
         and e.at >= ${options.from} and e.at < ${options.before}
         and ${sql.ref(`e.${s.column}`)} <> '' ${scopeSql(scope, 'e')}`,
  );
  const result = await sql<BurstRow>`
    with f as (${sql.join(parts, sql` union all `)}),
    w as (
      select f.*,
             count(*) over (partition by subject_type, subject order by at
                            range between ${windowSql} preceding and current row) as in_window,
             case when at - lag(at) over (partition by subject_type, subject order by at, id) <= ${windowSql}
                  then 0 else 1 end as starts
        from f
    ),
    g as (
      select w.*, sum(starts) over (partition by subject_type, subject order by at, id) as island from w
    )
    select subject_type, subject, min(at) as first_at, max(at) as last_at, count(*)::int as n,
           max(in_window)::int as peak,
           (array_agg(id order by at, id))[1:${ALERT_MAX_IDS}] as ids,
           (array_agg(seq order by at, id))[1:${ALERT_MAX_IDS}] as seqs
      from g
     group by subject_type, subject, island
    having max(in_window) >= ${minCount}
     order by min(at) desc, subject_type, subject`.execute(db.kysely);
  return result.rows;
}

/**
 * The security events of a site in a time window, newest first: failed-login bursts, lockouts, staff
 * logins from a new address and bulk personal-data views. Computed in SQL (window functions over the
 * (tenant_id, at) and (tenant_id, actor_id, at) indexes), the same SQL on PGlite and PostgreSQL.
 */
export async function securityEvents(
  db: Database,
  tenantId: string,
  options: SecurityEventOptions,
  scope: AuditScope = {},
): Promise<SecurityAlert[]> {
  const failedBurst = options.failedLoginBurst ?? FAILED_LOGIN_BURST;
  const failedMinutes = options.failedLoginWindowMinutes ?? FAILED_LOGIN_WINDOW_MINUTES;
  const piiBurst = options.piiViewBurst ?? PII_VIEW_BURST;
  const piiMinutes = options.piiViewWindowMinutes ?? PII_VIEW_WINDOW_MINUTES;
  const lookbackDays = options.newIpLookbackDays ?? NEW_IP_LOOKBACK_DAYS;

  const [failed, pii, lockouts, newIps] = await Promise.all([
    bursts(
      db,
      tenantId,
      'session.login_failed',
      [
        { type: 'username', column: 'object_id' },
        { type: 'ip', column: 'ip' },
      ],
      failedBurst,
      failedMinutes,
      options,
      scope,
    ),
    // "More than" the threshold: the threshold itself is still ordinary work.
    bursts(
      db,
      tenantId,
      'pii.viewed',
      [{ type: 'actor', column: 'actor_id' }],
      piiBurst + 1,
      piiMinutes,
      options,
      scope,
    ),
    sql<{ id: number; seq: number | null; at: Date; object_id: string }>`
      select e.id, e.seq, e.at, e.object_id
        from audit.entry e
       where e.tenant_id = ${tenantId} and e.action = 'session.locked_out'
         and e.at >= ${options.from} and e.at < ${options.before} ${scopeSql(scope, 'e')}
       order by e.at desc, e.id desc`.execute(db.kysely),
    sql<{ id: number; seq: number | null; at: Date; actor_id: string; ip: string }>`
      select e.id, e.seq, e.at, e.actor_id, e.ip
        from audit.entry e
       where e.tenant_id = ${tenantId} and e.action = 'session.login'
         and e.at >= ${options.from} and e.at < ${options.before}
         and e.actor_role like 'staff%' and e.ip <> '' ${scopeSql(scope, 'e')}
         and not exists (
           select 1 from audit.entry p
            where p.tenant_id = e.tenant_id and p.actor_id = e.actor_id and p.action = 'session.login'
              and p.ip = e.ip
              and p.at >= e.at - make_interval(days => ${lookbackDays}::int)
              and (p.at < e.at or (p.at = e.at and p.id < e.id)))
       order by e.at desc, e.id desc`.execute(db.kysely),
  ]);

  const burstAlert =
    (kind: SecurityAlertKind) =>
    (r: BurstRow): SecurityAlert => ({
      kind,
      subjectType: r.subject_type as SecurityAlert['subjectType'],
      subject: r.subject,
      firstAt: r.first_at,
      lastAt: r.last_at,
      count: Number(r.n),
      peak: Number(r.peak),
      entryIds: nums(r.ids),
      seqs: seqsOf(r.seqs),
    });
  const alerts: SecurityAlert[] = [
    ...failed.map(burstAlert('failed_login_burst')),
    ...pii.map(burstAlert('bulk_pii_view')),
    ...lockouts.rows.map((r): SecurityAlert => ({
      kind: 'lockout',
      subjectType: 'username',
      subject: r.object_id,
      firstAt: r.at,
      lastAt: r.at,
      count: 1,
      peak: 1,
      entryIds: [Number(r.id)],
      seqs: seqsOf([r.seq]),
    })),
    ...newIps.rows.map((r): SecurityAlert => ({
      kind: 'new_staff_ip',
      subjectType: 'actor',
      subject: r.actor_id,
      ip: r.ip,
      firstAt: r.at,
      lastAt: r.at,
      count: 1,
      peak: 1,
      entryIds: [Number(r.id)],
      seqs: seqsOf([r.seq]),
    })),
  ];
  return alerts.sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime() || a.kind.localeCompare(b.kind));
}
