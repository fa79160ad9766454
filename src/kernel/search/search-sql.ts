import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { SearchQuery } from './search-query.ts';

/** `where(matches('search_vector', q))`; matches nothing when the query is empty. */
export function matches(column: string, query: SearchQuery): RawBuilder<SqlBool> {
  if (query.tsquery === null) return sql<SqlBool>`false`;
  return sql<SqlBool>`${sql.ref(column)} @@ ${query.tsquery}::tsquery`;
}

export interface RankOptions {
  /** A timestamptz or date column; rows without a date count as old. */
  recencyColumn?: string;
  /** Age at which a document's recency bonus has halved. Default 365 days. */
  halfLifeDays?: number;
  /** Share of the score that recency can take away, between 0 and 1. Default 0.5. */
  recencyWeight?: number;
}

/**
 * A score to `orderBy(…, 'desc')`: relevance × recency.
 *
 *   relevance = ts_rank(vector, query), default weights (A 1.0, B 0.4, C 0.2, D 0.1)
 *   recency   = (1 − w) + w × 0.5^(age in days / halfLifeDays)
 *
 * So a document published today keeps its whole relevance, one a half-life old keeps 75% (w = 0.5)
 * and a very old one 50%. Recency can at most halve a score, while a word in the title weighs ten
 * times one in the body: a fresh notice that mentions 低保 in passing does not bury the 低保 guide,
 * but of two equally relevant documents the newer comes first. The exponent is capped because
 * PostgreSQL raises an underflow error rather than returning 0.
 */
export function rank(column: string, query: SearchQuery, options: RankOptions = {}): RawBuilder<number> {
  if (query.tsquery === null) return sql<number>`0`;
  const relevance = sql`ts_rank(${sql.ref(column)}, ${query.tsquery}::tsquery)`;
  if (!options.recencyColumn) return sql<number>`${relevance}`;
  const halfLife = options.halfLifeDays ?? 365;
  const w = options.recencyWeight ?? 0.5;
  if (!(halfLife > 0) || !(w >= 0 && w <= 1)) throw new RangeError('halfLifeDays > 0, 0 ≤ recencyWeight ≤ 1');
  const published = sql.ref(options.recencyColumn);
  // greatest() would skip a NULL and call an undated row brand new, hence the case.
  const ageDays = sql`greatest(extract(epoch from (now() - ${published}))::float8 / 86400, 0)`;
  const decay = sql`case when ${published} is null then 0
    else power(0.5::float8, least(${ageDays} / ${halfLife}::float8, 60)) end`;
  return sql<number>`${relevance} * (${1 - w}::float8 + ${w}::float8 * ${decay})`;
}
