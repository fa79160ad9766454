/** SQL of the sensitive words (moderation.word), one function per question. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

/** The channel a change is announced on, with the site's id, to every node listening (word.sync.ts). */
export const WORDS_CHANNEL = 'yiwang_moderation_words';

export interface Word {
  word: string;
  /** the audit context's actor ('account:12') */
  addedBy: string;
  addedByName: string;
  addedAt: string;
}

type Row = { word: string; added_by: string; added_by_name: string; added_at: Date | string };

const toWord = (r: Row): Word => ({
  word: r.word,
  addedBy: r.added_by,
  addedByName: r.added_by_name,
  addedAt: new Date(r.added_at).toISOString(),
});

/** The site's words, newest first; `contains` filters on a normalised fragment. */
export async function listWords(
  ex: Executor,
  tenantId: string,
  filter: { contains?: string | undefined },
  page: { limit: number; offset: number },
): Promise<{ items: Word[]; total: number }> {
  let base = ex.selectFrom('moderation.word').where('tenant_id', '=', tenantId);
  // strpos, not LIKE: a % or _ typed is a plain character.
  if (filter.contains) base = base.where(sql<boolean>`strpos(word, ${filter.contains}) > 0`);
  const [rows, count] = await Promise.all([
    base
      .select(['word', 'added_by', 'added_by_name', 'added_at'])
      .orderBy('added_at', 'desc')
      .orderBy('word')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toWord), total: Number(count.n) };
}

export async function countWords(ex: Executor, tenantId: string): Promise<number> {
  const r = await ex
    .selectFrom('moderation.word')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every site's words (or one site's), grouped by site: what a node's matchers hold. */
export async function wordsBySite(ex: Executor, tenantId?: string): Promise<Map<string, string[]>> {
  let q = ex.selectFrom('moderation.word').select(['tenant_id', 'word']);
  if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId);
  const bySite = new Map<string, string[]>();
  for (const r of await q.execute()) {
    const list = bySite.get(r.tenant_id) ?? [];
    list.push(r.word);
    bySite.set(r.tenant_id, list);
  }
  return bySite;
}

/** Which of these words the site has already. */
export async function existing(
  ex: Executor,
  tenantId: string,
  words: readonly string[],
): Promise<Set<string>> {
  if (words.length === 0) return new Set();
  const rows = await ex
    .selectFrom('moderation.word')
    .select('word')
    .where('tenant_id', '=', tenantId)
    .where('word', 'in', words)
    .execute();
  return new Set(rows.map((r) => r.word));
}

/** Inserts words; returns those that were new (the rest the site had already). */
export async function insertWords(
  ex: Executor,
  tenantId: string,
  words: readonly string[],
  by: { addedBy: string; addedByName: string },
): Promise<string[]> {
  if (words.length === 0) return [];
  const rows = await ex
    .insertInto('moderation.word')
    .values(
      words.map((word) => ({
        tenant_id: tenantId,
        word,
        added_by: by.addedBy,
        added_by_name: by.addedByName,
      })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'word']).doNothing())
    .returning('word')
    .execute();
  return rows.map((r) => r.word);
}

/** Deletes a word; whether the site had it. */
export async function deleteWord(ex: Executor, tenantId: string, word: string): Promise<boolean> {
  const r = await ex
    .deleteFrom('moderation.word')
    .where('tenant_id', '=', tenantId)
    .where('word', '=', word)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Announces a change to the nodes listening; PostgreSQL delivers it when the transaction commits. */
export async function announceChange(ex: Executor, tenantId: string): Promise<void> {
  await sql`select pg_notify(${WORDS_CHANNEL}, ${tenantId})`.execute(ex);
}
