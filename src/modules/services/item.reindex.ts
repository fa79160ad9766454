/**
 * Re-indexing the catalogue (`yiwang search reindex`): every item's search vector recomputed with the
 * segmenter as it is now. An item is segmented when it is saved, so one saved before a site term was
 * added holds the term's parts, not the term: search still finds it (the query also asks for the
 * parts), but ranks it as a looser match until its vector is recomputed.
 *
 * In batches of BATCH items, each its own transaction, so a long run holds no lock for long and an
 * interrupted one keeps what it did. The batch's rows are locked as they are read: an item saved at
 * the same time waits, and the vector written is always that of the text stored.
 */
import { sql } from 'kysely';
import type { Database, Executor } from '../../kernel/db/index.ts';
import type { Segmenter } from '../../kernel/search/index.ts';
import { itemVector } from './item.search.ts';
import { findItem } from './item.store.ts';

const BATCH = 200;

export interface ItemReindexer {
  /** what `--only` names */
  readonly name: 'services';
  /** how many items a run goes through: the site's, or every site's */
  count(tenantId?: string): Promise<number>;
  /** documents: items gone through; changed: those whose vector was different */
  run(onProgress?: (done: number, total: number) => void): Promise<{ documents: number; changed: number }>;
}

async function countItems(ex: Executor, tenantId?: string): Promise<number> {
  let q = ex.selectFrom('services.item').select((eb) => eb.fn.countAll<string>().as('n'));
  if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** The next batch's codes after `after` (keyset, by code), locked until the batch commits. */
async function lockBatch(ex: Executor, tenantId: string, after: string, size: number): Promise<string[]> {
  const rows = await ex
    .selectFrom('services.item')
    .select('code')
    .where('tenant_id', '=', tenantId)
    .where('code', '>', after)
    .orderBy('code')
    .limit(size)
    .forUpdate()
    .execute();
  return rows.map((r) => r.code);
}

export function createItemReindexer(
  db: Database,
  segmenter: Segmenter,
  options: { batchSize?: number } = {},
): ItemReindexer {
  const batchSize = options.batchSize ?? BATCH;
  /** Recomputes a batch's vectors in one statement; returns how many differed. */
  async function reindexBatch(ex: Executor, tenantId: string, codes: string[]): Promise<number> {
    const rows = [];
    for (const code of codes) {
      const item = await findItem(ex, tenantId, code);
      if (item) rows.push(sql`(${code}, ${itemVector(segmenter, { ...item, form: null, licence: null })})`);
    }
    if (rows.length === 0) return 0;
    const r = await sql`
      update services.item as i set search_vector = v.vector
      from (values ${sql.join(rows)}) as v (code, vector)
      where i.tenant_id = ${tenantId} and i.code = v.code and i.search_vector <> v.vector`.execute(ex);
    return Number(r.numAffectedRows ?? 0);
  }

  return {
    name: 'services',
    count: (tenantId) => countItems(db.kysely, tenantId),
    async run(onProgress) {
      const total = await countItems(db.kysely);
      const tenants = await db.kysely
        .selectFrom('services.item')
        .select('tenant_id')
        .distinct()
        .orderBy('tenant_id')
        .execute();
      let done = 0;
      let changed = 0;
      onProgress?.(0, total);
      for (const { tenant_id: tenantId } of tenants) {
        let after = '';
        for (;;) {
          const batch = await db.kysely.transaction().execute(async (trx) => {
            const codes = await lockBatch(trx, tenantId, after, batchSize);
            return { codes, changed: await reindexBatch(trx, tenantId, codes) };
          });
          if (batch.codes.length === 0) break;
          after = batch.codes.at(-1)!;
          done += batch.codes.length;
          changed += batch.changed;
          // Items added during the run are counted as they come.
          onProgress?.(done, Math.max(total, done));
        }
      }
      return { documents: done, changed };
    },
  };
}
