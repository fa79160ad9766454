/** SQL of the search dictionary (glossary.term), one function per question. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

/** The channel a change is announced on, to every node listening (see term.sync.ts). */
export const TERMS_CHANNEL = 'yiwang_search_terms';

export interface Term {
  term: string;
  /** the audit context's actor ('account:12') */
  addedBy: string;
  addedByName: string;
  addedAt: string;
}

type Row = { term: string; added_by: string; added_by_name: string; added_at: Date | string };

const toTerm = (r: Row): Term => ({
  term: r.term,
  addedBy: r.added_by,
  addedByName: r.added_by_name,
  addedAt: new Date(r.added_at).toISOString(),
});

/** The site's terms, newest first; `contains` filters on a normalised fragment. */
export async function listTerms(
  ex: Executor,
  tenantId: string,
  filter: { contains?: string | undefined },
  page: { limit: number; offset: number },
): Promise<{ items: Term[]; total: number }> {
  let base = ex.selectFrom('glossary.term').where('tenant_id', '=', tenantId);
  // strpos, not LIKE: a % or _ typed is a plain character (terms hold none anyway).
  if (filter.contains) base = base.where(sql<boolean>`strpos(term, ${filter.contains}) > 0`);
  const [rows, count] = await Promise.all([
    base
      .select(['term', 'added_by', 'added_by_name', 'added_at'])
      .orderBy('added_at', 'desc')
      .orderBy('term')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toTerm), total: Number(count.n) };
}

export async function countTerms(ex: Executor, tenantId: string): Promise<number> {
  const r = await ex
    .selectFrom('glossary.term')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every site's terms, once each: what a node's segmenter holds. */
export async function allTerms(ex: Executor): Promise<string[]> {
  const rows = await ex.selectFrom('glossary.term').select('term').distinct().orderBy('term').execute();
  return rows.map((r) => r.term);
}

/** Inserts a term; undefined when the site has it already. */
export async function insertTerm(
  ex: Executor,
  tenantId: string,
  t: { term: string; addedBy: string; addedByName: string },
): Promise<Term | undefined> {
  const r = await ex
    .insertInto('glossary.term')
    .values({ tenant_id: tenantId, term: t.term, added_by: t.addedBy, added_by_name: t.addedByName })
    .onConflict((oc) => oc.columns(['tenant_id', 'term']).doNothing())
    .returning(['term', 'added_by', 'added_by_name', 'added_at'])
    .executeTakeFirst();
  return r && toTerm(r);
}

/** Deletes a term; whether the site had it. */
export async function deleteTerm(ex: Executor, tenantId: string, term: string): Promise<boolean> {
  const r = await ex
    .deleteFrom('glossary.term')
    .where('tenant_id', '=', tenantId)
    .where('term', '=', term)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Announces a change to the nodes listening; PostgreSQL delivers it when the transaction commits. */
export async function announceChange(ex: Executor, tenantId: string): Promise<void> {
  await sql`select pg_notify(${TERMS_CHANNEL}, ${tenantId})`.execute(ex);
}
