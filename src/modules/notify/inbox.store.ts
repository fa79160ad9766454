/** SQL for the inbox (notify.inbox_entry). Every query names the site and the account it is for. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { NotifyParams } from './templates.ts';

export interface InboxEntry {
  id: number;
  accountId: number;
  kind: string;
  params: NotifyParams;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

/**
 * Inserts entries in one statement; their ids in the order given (PostgreSQL returns the rows of a
 * multi-row VALUES insert in that order, as bulk inserts everywhere rely on).
 */
export async function insertEntries(
  ex: Executor,
  entries: readonly {
    tenantId: string;
    accountId: number;
    kind: string;
    params: NotifyParams;
    link: string | null;
  }[],
): Promise<number[]> {
  const rows = await ex
    .insertInto('notify.inbox_entry')
    .values(
      entries.map((e) => ({
        tenant_id: e.tenantId,
        account_id: e.accountId,
        kind: e.kind,
        params: JSON.stringify(e.params),
        link: e.link,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** One account's entries, newest first, with how many it has in all and unread. */
export async function listEntries(
  ex: Executor,
  tenantId: string,
  accountId: number,
  filter: { unreadOnly: boolean; limit: number; offset: number },
): Promise<{ items: InboxEntry[]; total: number; unread: number; all: number }> {
  let query = ex
    .selectFrom('notify.inbox_entry')
    .select(['id', 'account_id', 'kind', 'params', 'link', 'created_at', 'read_at'])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId);
  if (filter.unreadOnly) query = query.where('read_at', 'is', null);
  const [rows, counts] = await Promise.all([
    query.orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    countEntries(ex, tenantId, accountId),
  ]);
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      accountId: Number(r.account_id),
      kind: r.kind,
      params: r.params as NotifyParams,
      link: r.link,
      createdAt: r.created_at,
      readAt: r.read_at,
    })),
    total: filter.unreadOnly ? counts.unread : counts.all,
    unread: counts.unread,
    all: counts.all,
  };
}

async function countEntries(ex: Executor, tenantId: string, accountId: number) {
  const r = await ex
    .selectFrom('notify.inbox_entry')
    .select([
      sql<number>`count(*)::int`.as('all'),
      sql<number>`(count(*) filter (where read_at is null))::int`.as('unread'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return { all: Number(r.all), unread: Number(r.unread) };
}

export async function unreadCount(ex: Executor, tenantId: string, accountId: number): Promise<number> {
  const r = await ex
    .selectFrom('notify.inbox_entry')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Marks one of the account's entries read (again: harmless, the first time stays). Returns when it was
 * read, or undefined when the account has no such entry — someone else's reads exactly like none.
 */
export async function markRead(
  ex: Executor,
  tenantId: string,
  accountId: number,
  id: number,
): Promise<Date | undefined> {
  const r = await ex
    .updateTable('notify.inbox_entry')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .returning('read_at')
    .executeTakeFirst();
  return r?.read_at ?? undefined;
}

/** Marks every unread entry of the account read; returns how many. */
export async function markAllRead(ex: Executor, tenantId: string, accountId: number): Promise<number> {
  const r = await ex
    .updateTable('notify.inbox_entry')
    .set({ read_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
