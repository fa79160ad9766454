import { quoteLexeme } from './index-text.ts';
import type { Segmenter } from './segmenter.ts';

export interface SearchQuery {
  /** tsquery input text, or null when the input holds no word worth searching for. */
  tsquery: string | null;
  /** The words to highlight in results: the query's words and their synonyms, normalised. */
  terms: string[];
}

/**
 * The tsquery for what someone typed. Every word must match (AND); a word matches as itself, as any
 * of its synonyms, or as all of its parts (营业执照 → 营业 & 执照), which finds documents that were
 * segmented differently or indexed before a site term was added. Latin letters and digits match as a
 * prefix (2024 finds 20240315). The text is built only from letters and digits, quoted, so quotes,
 * operators (& | ! : * ( )) and SQL in the input are plain characters or dropped.
 */
export function tsqueryOf(
  segmenter: Pick<Segmenter, 'queryWords' | 'partsOf' | 'synonymsOf'>,
  input: string,
): SearchQuery {
  const words = segmenter.queryWords(input);
  if (words.length === 0) return { tsquery: null, terms: [] };
  const terms = new Set<string>();
  const clauses = words.map((word) => {
    const alternatives = [word, ...segmenter.synonymsOf(word)];
    for (const a of alternatives) terms.add(a);
    const options = alternatives.map(lexeme);
    const parts = segmenter.partsOf(word);
    // One part alone (公租房 → 公租) would be a looser word, not the same one.
    if (parts.length > 1) options.push(`( ${parts.map(quoteLexeme).join(' & ')} )`);
    return options.length > 1 ? `( ${options.join(' | ')} )` : options[0]!;
  });
  return { tsquery: clauses.join(' & '), terms: [...terms] };
}

const lexeme = (word: string) => (/^[a-z0-9]+$/.test(word) ? `${quoteLexeme(word)}:*` : quoteLexeme(word));
