/**
 * audit.checkpoint (migration 0007): where a chain was cut when its older entries were archived. Read
 * by the sealer and verify; written only through audit.archive_prefix, which the owner of the schemas
 * runs (the application's role has SELECT only).
 */
import { sql, type Transaction } from 'kysely';
import type { DB, Executor } from '../db/index.ts';
import { appendAudit, systemContext } from './index.ts';

export interface Checkpoint {
  /** The last archived entry; the chain in the database continues at upToSeq + 1. */
  upToSeq: number;
  /** Its hash: the next entry's prev_hash. */
  headHash: string;
  /** Entries archived over every archive of the chain. */
  archivedEntries: number;
  archives: number;
  archivedAt: Date;
}

/** A chain's latest checkpoint with the totals of all its archives, or undefined if none. */
export async function latestCheckpoint(
  executor: Executor,
  tenantId: string,
): Promise<Checkpoint | undefined> {
  const { rows } = await sql<{
    up_to_seq: number;
    head_hash: string;
    archived_at: Date;
    total: number;
    archives: number;
  }>`
    select up_to_seq, head_hash, archived_at,
           sum(entries) over () as total, count(*) over () as archives
      from audit.checkpoint where tenant_id = ${tenantId}
     order by up_to_seq desc limit 1`.execute(executor);
  const r = rows[0];
  return r
    ? {
        upToSeq: Number(r.up_to_seq),
        headHash: r.head_hash,
        archivedEntries: Number(r.total),
        archives: Number(r.archives),
        archivedAt: r.archived_at,
      }
    : undefined;
}

/** The sites with a checkpoint (one, if given): a chain may have no entry left in the database. */
export async function archivedTenants(executor: Executor, tenantId?: string): Promise<string[]> {
  let q = executor.selectFrom('audit.checkpoint').select('tenant_id').distinct();
  if (tenantId) q = q.where('tenant_id', '=', tenantId);
  return (await q.execute()).map((r) => r.tenant_id);
}

/**
 * In the archiving transaction: audit.archive_prefix checks the range, records the checkpoint and
 * deletes the entries; then the archiving is appended to the same chain.
 */
export async function recordArchive(
  trx: Transaction<DB>,
  a: {
    tenantId: string;
    firstSeq: number;
    lastSeq: number;
    headHash: string;
    sm3: string;
    file: string;
    before: string;
  },
): Promise<void> {
  await sql`select audit.archive_prefix(${a.tenantId}, ${a.firstSeq}::bigint, ${a.lastSeq}::bigint,
    ${a.headHash}, ${a.sm3})`.execute(trx);
  await appendAudit(trx, systemContext(a.tenantId), {
    action: 'audit.archived',
    objectType: 'audit_chain',
    objectId: a.tenantId,
    detail: {
      firstSeq: a.firstSeq,
      lastSeq: a.lastSeq,
      entries: a.lastSeq - a.firstSeq + 1,
      sm3: a.sm3,
      file: a.file,
      before: a.before,
    },
  });
}
