/**
 * The audit chain (审计日志): an append-only log of security events and of every access to personal
 * data, each entry linked to the one before by an SM3 hash over the previous hash and the entry's
 * canonical JSON.
 *
 * Writing and linking are two steps. appendAudit inserts the entry in the transaction of the change it
 * records, taking no lock, so concurrent requests never queue behind each other's commits. sealAudit
 * (run every few hundred milliseconds by each node, one at a time) links committed entries into one
 * linear chain per site: it takes only entries whose transaction ended before every transaction still
 * running began (xid below the snapshot's xmin), in (xid, id) order, so no entry can appear later in
 * front of one already sealed. No forks, no gaps: a rolled-back entry never reaches the chain.
 */
import type { Actor } from '../policy/index.ts';
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { DB, Database, Executor } from '../db/index.ts';
import { sm3 } from '../crypto/index.ts';
import { archivedTenants, latestCheckpoint } from './checkpoint.store.ts';

export const GENESIS_HASH = '0'.repeat(64);
/** The chain of the deployment itself (command line, start-up): the national root's code. */
export const SYSTEM_CHAIN = '000000';

export type AuditResult = 'success' | 'failure' | 'denied';

/** Who did it, as whom, from where: filled from the session and the request, never from the client. */
export interface AuditContext {
  tenantId: string;
  /**
   * The actor as the policy sees them: an account (from the session) or null for an anonymous request.
   * Undefined only for the system's own work (seeding, imports, the CLI), which no request can reach.
   */
  actor?: Actor | null;
  actorId: string;
  actorRole: string;
  actorDivision: string;
  ip: string;
  userAgent: string;
  requestId: string;
}

export interface AuditEvent {
  /** dotted lower-case verb: 'session.login', 'account.role_granted', 'person.identifier_viewed' … */
  action: string;
  objectType?: string;
  objectId?: string;
  result?: AuditResult;
  /** Small JSON detail (strings, numbers, booleans); never a personal identifier in clear. */
  detail?: Record<string, unknown>;
}

export interface AuditEntry {
  tenantId: string;
  seq: number;
  at: Date;
  actorId: string;
  actorRole: string;
  actorDivision: string;
  action: string;
  objectType: string;
  objectId: string;
  result: AuditResult;
  ip: string;
  userAgent: string;
  requestId: string;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** JSON with sorted keys and no spaces: the same bytes for the same entry, whatever wrote or read it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const { prevHash, ...body } = e;
  return sm3(`${prevHash}\n${canonicalJson({ ...body, at: body.at.toISOString() })}`);
}

/** An entry as written, before the sealer gives it its place in the chain. */
export type PendingEntry = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/**
 * Records an event. Pass the transaction of the change being recorded, so both commit or neither does;
 * given the database itself, the entry is written on its own.
 */
export async function appendAudit(
  executor: Executor,
  ctx: AuditContext,
  event: AuditEvent,
): Promise<PendingEntry> {
  const entry = pendingEntry(ctx, event);
  await executor.insertInto('audit.entry').values(rowOf(entry)).execute();
  return entry;
}

/** Records several events in one statement (a group of cases opened in one transaction). */
export async function appendAudits(
  executor: Executor,
  events: readonly { ctx: AuditContext; event: AuditEvent }[],
): Promise<void> {
  if (events.length === 0) return;
  await executor
    .insertInto('audit.entry')
    .values(events.map((e) => rowOf(pendingEntry(e.ctx, e.event))))
    .execute();
}

/**
 * The INSERT of entries as SQL, for a change that writes its rows and their audit entries in one
 * statement: sql`with audited as (${auditInsert(events)}) insert into …`. Plain SQL, not the query
 * builder: it is on the path of every application submitted in one request, where building common
 * table expressions with the builder cost more CPU than sending them.
 */
export function auditInsert(
  events: readonly { ctx: AuditContext; event: AuditEvent }[],
): RawBuilder<unknown> {
  const rows = events.map((e) => rowOf(pendingEntry(e.ctx, e.event)));
  return sql`insert into audit.entry (${sql.raw(Object.keys(rows[0]!).join(', '))}) values ${sql.join(
    rows.map((r) => sql`(${sql.join(Object.values(r))})`),
  )}`;
}

/**
 * The INSERT of an entry as SQL and parameters, for work that runs on a raw session (bulk imports)
 * and must record itself in its own transaction.
 */
export function auditStatement(
  db: Database,
  ctx: AuditContext,
  event: AuditEvent,
): { sql: string; parameters: unknown[] } {
  const compiled = db.kysely
    .insertInto('audit.entry')
    .values(rowOf(pendingEntry(ctx, event)))
    .compile();
  return { sql: compiled.sql, parameters: [...compiled.parameters] };
}

function pendingEntry(ctx: AuditContext, event: AuditEvent): PendingEntry {
  return {
    tenantId: ctx.tenantId,
    // Millisecond precision: what JavaScript dates hold, so the hash reads back the same.
    at: new Date(),
    actorId: ctx.actorId,
    actorRole: ctx.actorRole,
    actorDivision: ctx.actorDivision,
    action: event.action,
    objectType: event.objectType ?? '',
    objectId: event.objectId ?? '',
    result: event.result ?? 'success',
    ip: ctx.ip,
    userAgent: ctx.userAgent.slice(0, 300),
    requestId: ctx.requestId,
    detail: JSON.parse(canonicalJson(event.detail ?? {})) as Record<string, unknown>,
  };
}

function rowOf(entry: PendingEntry) {
  return {
    tenant_id: entry.tenantId,
    at: entry.at,
    actor_id: entry.actorId,
    actor_role: entry.actorRole,
    actor_division: entry.actorDivision,
    action: entry.action,
    object_type: entry.objectType,
    object_id: entry.objectId,
    result: entry.result,
    ip: entry.ip,
    user_agent: entry.userAgent,
    request_id: entry.requestId,
    detail: JSON.stringify(entry.detail),
  };
}

/** A row of audit.entry as the database returns it (also one line of an archive file). */
export type EntryRow = {
  tenant_id: string;
  id: number;
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
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
};

/** The hashed content of a stored entry. */
export function contentOf(r: EntryRow): PendingEntry {
  return {
    tenantId: r.tenant_id,
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
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>,
  };
}

const SEAL_LOCK = sql`hashtextextended('yiwang.audit.sealer', 0)`;
const SEAL_BATCH = 2000;

/** Links every committed, unsealed entry into its site's chain; returns how many it sealed. */
export async function sealAudit(db: Database): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await db.kysely.transaction().execute(async (trx) => {
      const locked = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${SEAL_LOCK}) as ok`.execute(
        trx,
      );
      if (!locked.rows[0]?.ok) return 0; // another node is sealing right now
      const pending = await sql<EntryRow>`
        select * from audit.entry
         where hash is null and xid < pg_snapshot_xmin(pg_current_snapshot())
         order by tenant_id, xid, id
         limit ${SEAL_BATCH}`.execute(trx);
      if (pending.rows.length === 0) return 0;
      return sealRows(trx, pending.rows);
    });
    total += sealed;
    if (sealed < SEAL_BATCH) return total;
  }
}

/**
 * The last sealed entry of a chain, or, when every entry was archived, the last checkpoint's head (the
 * hash of the last archived entry), or genesis. One statement, so one snapshot: an archive committing
 * meanwhile is seen entirely or not at all.
 */
async function chainHead(executor: Executor, tenantId: string): Promise<{ seq: number; hash: string }> {
  const { rows } = await sql<{ seq: number; hash: string }>`
    select seq, hash from (
      (select seq, hash from audit.entry
        where tenant_id = ${tenantId} and hash is not null order by seq desc limit 1)
      union all
      (select up_to_seq as seq, head_hash as hash from audit.checkpoint
        where tenant_id = ${tenantId} order by up_to_seq desc limit 1)
    ) head order by seq desc limit 1`.execute(executor);
  const last = rows[0];
  return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
}

async function sealRows(trx: Transaction<DB>, rows: EntryRow[]): Promise<number> {
  const ids: number[] = [];
  const tenants: string[] = [];
  const seqs: number[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  let head: { tenantId: string; seq: number; hash: string } | undefined;
  for (const r of rows) {
    if (head?.tenantId !== r.tenant_id) {
      const last = await chainHead(trx, r.tenant_id);
      head = { tenantId: r.tenant_id, seq: last.seq, hash: last.hash };
    }
    const body = { ...contentOf(r), seq: head.seq + 1, prevHash: head.hash };
    const hash = entryHash(body);
    ids.push(Number(r.id));
    tenants.push(r.tenant_id);
    seqs.push(body.seq);
    prevs.push(body.prevHash);
    hashes.push(hash);
    head = { tenantId: r.tenant_id, seq: body.seq, hash };
  }
  // Through the SECURITY DEFINER function of migration 0005: the application's database role has no
  // UPDATE on audit.entry. It seals only unsealed entries, all of them or none.
  await sql`
    select audit.seal_entries(${tenants}::text[], ${ids}::bigint[], ${seqs}::bigint[], ${prevs}::text[],
      ${hashes}::text[])`.execute(trx);
  return rows.length;
}

/** Entries this process has written since its sealer last ran. */
let writtenHere = 0;

/**
 * Seals in the background until stopped: every intervalMs after this process wrote entries, and every
 * idleMs in any case (for entries other nodes left). Errors are reported, never thrown.
 */
export function startAuditSealer(
  db: Database,
  onError: (e: unknown) => void,
  intervalMs = 250,
  idleMs = 5_000,
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let lastRun = Date.now();
  const timer = setInterval(() => {
    if (writtenHere === 0 && Date.now() - lastRun < idleMs) return;
    writtenHere = 0;
    lastRun = Date.now();
    running = running.then(() => (stopped ? 0 : sealAudit(db))).catch(onError);
  }, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  chains: number;
  /** Entries written but not yet sealed into the chain (normally none older than a second). */
  pending?: number;
  broken?: { tenantId: string; seq: number; reason: 'hash' | 'link' | 'gap' };
  /**
   * The chains whose older entries were archived (`yiwang audit archive`), each verified from its latest
   * checkpoint on: its first entry must link to the hash of the last archived one. Absent when none was.
   */
  archived?: ArchivedChain[];
}

export interface ArchivedChain {
  tenantId: string;
  /** The first entry still in the database: the checkpoint's up_to_seq + 1. */
  fromSeq: number;
  /** Entries of this chain verified (from fromSeq on). */
  entries: number;
  /** Entries archived before fromSeq, over every archive of the chain. */
  archivedEntries: number;
  archives: number;
  lastArchivedAt: Date;
}

const BATCH = 5000;

/**
 * Recomputes every chain; stops at the first broken entry and says which and why. A chain whose older
 * entries were archived is verified from its latest checkpoint: seq continues after it and the first
 * entry links to its head hash (the archive files are checked with verifyArchive).
 */
export async function verifyAudit(
  db: Database,
  options: { tenantId?: string; onProgress?: (entries: number) => void } = {},
): Promise<VerifyResult> {
  let chains = db.kysely
    .selectFrom('audit.entry')
    .select('tenant_id')
    .where('hash', 'is not', null)
    .distinct();
  if (options.tenantId) chains = chains.where('tenant_id', '=', options.tenantId);
  const tenants = [
    ...new Set([
      ...(await chains.execute()).map((r) => r.tenant_id),
      ...(await archivedTenants(db.kysely, options.tenantId)),
    ]),
  ].sort();
  let entries = 0;
  const archived: ArchivedChain[] = [];
  for (const tenantId of tenants) {
    const checkpoint = await latestCheckpoint(db.kysely, tenantId);
    let prevHash = checkpoint?.headHash ?? GENESIS_HASH;
    let expectedSeq = (checkpoint?.upToSeq ?? 0) + 1;
    const chainStart = entries;
    for (;;) {
      const rows = (await db.kysely
        .selectFrom('audit.entry')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(BATCH)
        .execute()) as EntryRow[];
      for (const r of rows) {
        const seq = Number(r.seq);
        const broken = (at: number, reason: 'hash' | 'link' | 'gap'): VerifyResult => ({
          ok: false,
          entries,
          chains: tenants.length,
          broken: { tenantId, seq: at, reason },
        });
        if (seq !== expectedSeq) return broken(expectedSeq, 'gap');
        if (r.prev_hash !== prevHash) return broken(seq, 'link');
        if (entryHash({ ...contentOf(r), seq, prevHash }) !== r.hash) return broken(seq, 'hash');
        prevHash = r.hash;
        expectedSeq++;
        entries++;
      }
      options.onProgress?.(entries);
      if (rows.length < BATCH) break;
    }
    if (checkpoint)
      archived.push({
        tenantId,
        fromSeq: checkpoint.upToSeq + 1,
        entries: entries - chainStart,
        archivedEntries: checkpoint.archivedEntries,
        archives: checkpoint.archives,
        lastArchivedAt: checkpoint.archivedAt,
      });
  }
  let pendingQuery = db.kysely
    .selectFrom('audit.entry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('hash', 'is', null);
  if (options.tenantId) pendingQuery = pendingQuery.where('tenant_id', '=', options.tenantId);
  const pending = Number((await pendingQuery.executeTakeFirst())?.n ?? 0);
  return { ok: true, entries, chains: tenants.length, pending, ...(archived.length ? { archived } : {}) };
}

/** The context of work done by the platform itself (seeding, the command line), not by a person. */
export function systemContext(tenantId: string = SYSTEM_CHAIN, actorId = 'system'): AuditContext {
  return {
    tenantId,
    actorId,
    actorRole: 'system',
    actorDivision: '',
    ip: '',
    userAgent: 'yiwang',
    requestId: '',
  };
}

export * from './query.ts';
export * from './archive.ts';
export { latestCheckpoint, type Checkpoint } from './checkpoint.store.ts';
