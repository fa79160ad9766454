/**
 * Search in Chinese that works the same on PGlite and PostgreSQL.
 *
 * Segmentation in Node. PostgreSQL's parsers do not split Chinese into words and the extensions that
 * do (zhparser, pg_jieba) are not available in PGlite, so jieba (@node-rs/jieba) segments in Node and
 * the database only stores and matches the resulting words: a tsvector column with a GIN index, `@@`
 * a tsquery, ts_rank. Both the tsvector and the tsquery are written as input literals, not through
 * to_tsvector/to_tsquery, so no server setting (LC_CTYPE) can change how a word is read.
 *
 * What is indexed. jieba's search mode: each word and the dictionary words inside it (个体工商户 →
 * 个体, 工商, 商户, 工商户, 个体工商户), so a part of a long word finds it. Text is NFKC-folded
 * (full-width Ａ１ → a1) and lower-cased; punctuation is dropped; single characters are dropped,
 * being in nearly every document. A field's weight (title A, body D) goes on each position.
 *
 * The dictionary. jieba's own, plus government terms (government-terms.ts) it would split, plus the
 * site's terms from its administrators. Adding a term is a merge into the loaded dictionary (about a
 * millisecond); removing one rebuilds it (~0.2 s). Rows indexed before a term was added are still
 * found through the term's parts (see search-query.ts); re-indexing them makes the ranking exact.
 *
 * The query. Every word must match; each word may match as a synonym (低保 ↔ 最低生活保障) or as all
 * of its parts; Latin letters and digits match as prefixes. Any input is safe: the tsquery text is
 * built from quoted letters and digits only, and long input is cut to MAX_QUERY_CHARS.
 *
 * Usage in a module's store:
 *   const q = segmenter.searchQuery(input);
 *   db.selectFrom('services.guide').where(matches('search_vector', q))
 *     .orderBy(rank('search_vector', q, { recencyColumn: 'published_at' }), 'desc')
 *   and, to show a result: highlight(body, q.terms, { maxLength: 120 }).
 */
export { GOVERNMENT_SYNONYMS, GOVERNMENT_TERMS } from './government-terms.ts';
export { highlight, type HighlightSegment } from './highlight.ts';
export { type IndexField, type Weight } from './index-text.ts';
export { type SearchQuery } from './search-query.ts';
export { matches, rank, type RankOptions } from './search-sql.ts';
export {
  checkTerm,
  createSegmenter,
  MAX_QUERY_CHARS,
  normalizeText,
  TERM_REASONS,
  type Segmenter,
  type TermCheck,
  type TermReason,
} from './segmenter.ts';
