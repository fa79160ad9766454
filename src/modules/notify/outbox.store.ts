/**
 * SQL for the mail outbox (notify.outbox). A row is claimed by moving its next_attempt_at past a lease
 * and counting the attempt, in one statement that skips rows another node holds; the result is written
 * back only if the row is still at that attempt (`attempts` fences a worker whose lease ran out).
 */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { NotifyParams } from './templates.ts';

export async function enqueue(
  ex: Executor,
  rows: readonly { tenantId: string; entryId: number; to: string; toName: string }[],
): Promise<void> {
  await ex
    .insertInto('notify.outbox')
    .values(
      rows.map((r) => ({ tenant_id: r.tenantId, entry_id: r.entryId, to_address: r.to, to_name: r.toName })),
    )
    .execute();
}

export interface ClaimedMail {
  tenantId: string;
  id: number;
  to: string;
  toName: string;
  /** This attempt's number (1 for the first). */
  attempts: number;
  kind: string;
  params: NotifyParams;
  link: string | null;
}

/**
 * Claims up to `limit` rows due at `at`: each gets its attempt counted and is hidden from every other
 * sweep until `leaseUntil`. Rows another transaction holds are skipped, not waited for.
 */
export async function claimDue(
  ex: Executor,
  at: Date,
  leaseUntil: Date,
  limit: number,
): Promise<ClaimedMail[]> {
  const r = await sql<{
    tenant_id: string;
    id: number;
    to_address: string;
    to_name: string;
    attempts: number;
    kind: string;
    params: NotifyParams;
    link: string | null;
  }>`
    update notify.outbox o
       set attempts = o.attempts + 1, next_attempt_at = ${leaseUntil}
      from (select d.tenant_id, d.id, e.kind, e.params, e.link
              from notify.outbox d
              join notify.inbox_entry e on e.tenant_id = d.tenant_id and e.id = d.entry_id
             where d.status = 'queued' and d.next_attempt_at <= ${at}
             order by d.next_attempt_at
             limit ${limit}
               for update of d skip locked) c
     where o.tenant_id = c.tenant_id and o.id = c.id
    returning o.tenant_id, o.id, o.to_address, o.to_name, o.attempts, c.kind, c.params, c.link`.execute(ex);
  return r.rows.map((x) => ({
    tenantId: x.tenant_id,
    id: Number(x.id),
    to: x.to_address,
    toName: x.to_name,
    attempts: Number(x.attempts),
    kind: x.kind,
    params: x.params,
    link: x.link,
  }));
}

const claimed = (ex: Executor, m: Pick<ClaimedMail, 'tenantId' | 'id' | 'attempts'>) =>
  ex
    .updateTable('notify.outbox')
    .where('tenant_id', '=', m.tenantId)
    .where('id', '=', m.id)
    .where('attempts', '=', m.attempts)
    .where('status', '=', 'queued');

export async function markSent(ex: Executor, m: ClaimedMail, at: Date): Promise<void> {
  await claimed(ex, m).set({ status: 'sent', sent_at: at, last_error: null }).execute();
}

/** Records a failed attempt: the next one at `retryAt`, or none (the row stays, 'failed'). */
export async function markFailed(
  ex: Executor,
  m: ClaimedMail,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await claimed(ex, m)
    .set(retryAt ? { last_error: error, next_attempt_at: retryAt } : { last_error: error, status: 'failed' })
    .execute();
}

/** Gives a claimed row back untried (the worker is stopping): due now, the attempt not counted. */
export async function release(ex: Executor, m: ClaimedMail, at: Date): Promise<void> {
  await claimed(ex, m)
    .set({ attempts: m.attempts - 1, next_attempt_at: at })
    .execute();
}
