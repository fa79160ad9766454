import type { Segmenter } from './segmenter.ts';

/** PostgreSQL's weight labels; ts_rank's defaults count A 1.0, B 0.4, C 0.2, D 0.1. */
export type Weight = 'A' | 'B' | 'C' | 'D';
export interface IndexField {
  text: string;
  weight: Weight;
}

// tsvector limits: positions above 16383 are clamped, and a lexeme keeps at most 256 of them.
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;

/** A lexeme quoted for tsvector and tsquery input; tokens are letters and digits, quoting is belt and braces. */
export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The tsvector of a document, as tsvector input text (`'营业执照':3A,17 …`) to store in a tsvector
 * column (Kysely's type for one is string). Fields are numbered on from each other, in the order given.
 *
 * Written as a literal rather than `to_tsvector('simple', tokens)`: the text-search parser classes
 * non-ASCII characters by the server's LC_CTYPE, so the same tokens could split differently on a
 * PostgreSQL server with another locale than PGlite's; the literal is read the same everywhere.
 */
export function tsvectorOf(segmenter: Pick<Segmenter, 'indexTokens'>, fields: readonly IndexField[]): string {
  const positions = new Map<string, string[]>();
  let position = 0;
  for (const { text, weight } of fields) {
    for (const token of segmenter.indexTokens(text)) {
      position = Math.min(position + 1, MAX_POSITION);
      const list = positions.get(token) ?? [];
      if (list.length < MAX_POSITIONS_PER_LEXEME) list.push(`${position}${weight}`);
      positions.set(token, list);
    }
  }
  return [...positions].map(([lexeme, list]) => `${quoteLexeme(lexeme)}:${list.join(',')}`).join(' ');
}
