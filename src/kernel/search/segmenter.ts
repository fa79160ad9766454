import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { GOVERNMENT_SYNONYMS, GOVERNMENT_TERMS, QUERY_FILLER_WORDS } from './government-terms.ts';
import { tsvectorOf, type IndexField } from './index-text.ts';
import { tsqueryOf, type SearchQuery } from './search-query.ts';

/** Splits text into the words the index holds and the words a query asks for. */
export interface Segmenter {
  /** Index tokens in text order: each word, then the shorter dictionary words inside it (cutForSearch). */
  indexTokens(text: string): string[];
  /**
   * The words of a query (jieba's coarse cut) without repeats or filler words (如何, 办理); long input
   * is cut short first.
   */
  queryWords(input: string): string[];
  /** The dictionary words of two or more characters inside a word, other than itself. */
  partsOf(word: string): string[];
  /** The other members of the word's synonym group. */
  synonymsOf(word: string): readonly string[];
  /** The site's own terms now in the dictionary (normalised, valid ones only). */
  readonly siteTerms: readonly string[];
  /** Replaces the site's terms; takes effect for the next call, no restart. */
  setSiteTerms(terms: readonly string[]): void;
  /** A document's tsvector input text, to store in its tsvector column (see index-text.ts). */
  indexText(fields: readonly IndexField[]): string;
  /** The tsquery and highlight terms for what someone typed; safe for any input (see search-query.ts). */
  searchQuery(input: string): SearchQuery;
}

export const TERM_REASONS = ['search.term.length', 'search.term.characters'] as const;
export type TermReason = (typeof TERM_REASONS)[number];
export type TermCheck = { valid: true; term: string } | { valid: false; reason: TermReason };

/** Queries longer than this are cut: nobody types more, and it bounds the tsquery's size. */
export const MAX_QUERY_CHARS = 100;
const MAX_QUERY_WORDS = 12;
const MAX_TERM_CHARS = 32;
const MAX_TOKEN_CHARS = 64;
// A term's frequency in jieba's dictionary: that of an ordinary common word (政府 has 23,452), so the
// term wins over its own parts wherever it appears, without swallowing unrelated neighbours.
const TERM_FREQUENCY = 20_000;

/** Full-width to half-width, compatibility forms folded (NFKC), lower-case: what is indexed and matched. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Whether an administrator's term can go into the dictionary, and the form it is stored in. */
export function checkTerm(raw: string): TermCheck {
  const term = normalizeText(raw.trim());
  const length = [...term].length;
  if (length < 2 || length > MAX_TERM_CHARS) return { valid: false, reason: 'search.term.length' };
  // Letters and digits only: a space or newline would break jieba's dictionary line format.
  if (!/^[\p{L}\p{N}]+$/u.test(term)) return { valid: false, reason: 'search.term.characters' };
  return { valid: true, term };
}

/**
 * Punctuation and symbols split a jieba token (abc-def → abc, def); one character alone (的, 在, 办, a)
 * is dropped, being in nearly every document: it would bloat the GIN index and match everything. So is
 * a run longer than any word (base64, a pasted hash): PostgreSQL refuses lexemes over 2 KB.
 */
function keep(tokens: string[]): string[] {
  const out: string[] = [];
  for (const token of tokens)
    for (const piece of token.split(/[^\p{L}\p{N}]+/u)) {
      const length = [...piece].length;
      if (length >= 2 && length <= MAX_TOKEN_CHARS) out.push(piece);
    }
  return out;
}

const FILLERS = new Set(QUERY_FILLER_WORDS);

const dictionaryLines = (terms: Iterable<string>) =>
  Buffer.from([...terms].map((t) => `${t} ${TERM_FREQUENCY}\n`).join(''));

const BUILT_IN_TERMS = new Set([...GOVERNMENT_TERMS, ...GOVERNMENT_SYNONYMS.flat()].map(normalizeText));

/**
 * A segmenter with jieba's general dictionary, the government terms, the synonym words and the site's
 * own terms. Loading jieba takes ~0.2 s and ~40 MB, so a process keeps one and shares it between sites
 * (one site's terms do no harm to another's documents).
 */
export function createSegmenter(options: { terms?: readonly string[] } = {}): Segmenter {
  const synonyms = new Map<string, string[]>();
  for (const group of GOVERNMENT_SYNONYMS.map((g) => g.map(normalizeText))) {
    for (const word of group) {
      const others = group.filter((other) => other !== word);
      synonyms.set(word, others);
    }
  }

  let jieba = Jieba.withDict(dict);
  jieba.loadDict(dictionaryLines(BUILT_IN_TERMS));
  let siteTerms: string[] = [];

  function setSiteTerms(terms: readonly string[]): void {
    const next = [...new Set(terms.map(checkTerm).flatMap((c) => (c.valid ? [c.term] : [])))].filter(
      (t) => !BUILT_IN_TERMS.has(t),
    );
    const nextSet = new Set(next);
    // jieba can add words to a loaded dictionary but not take them out: adding is a merge
    // (about a millisecond), removing one rebuilds the dictionary (~0.2 s, blocking).
    if (siteTerms.some((t) => !nextSet.has(t))) {
      jieba = Jieba.withDict(dict);
      jieba.loadDict(dictionaryLines([...BUILT_IN_TERMS, ...next]));
    } else {
      const known = new Set(siteTerms);
      const added = next.filter((t) => !known.has(t));
      if (added.length > 0) jieba.loadDict(dictionaryLines(added));
    }
    siteTerms = next;
  }
  setSiteTerms(options.terms ?? []);

  const segmenter: Segmenter = {
    indexTokens: (text) => keep(jieba.cutForSearch(normalizeText(text), true)),
    queryWords(input) {
      const text = [...normalizeText(input)].slice(0, MAX_QUERY_CHARS).join('');
      const words = [...new Set(keep(jieba.cut(text, true)))];
      const wanted = words.filter((w) => !FILLERS.has(w));
      return (wanted.length > 0 ? wanted : words).slice(0, MAX_QUERY_WORDS);
    },
    partsOf(word) {
      const parts = keep(jieba.cutForSearch(word, true)).filter((p) => p !== word);
      return [...new Set(parts)];
    },
    synonymsOf: (word) => synonyms.get(word) ?? [],
    get siteTerms() {
      return siteTerms;
    },
    setSiteTerms,
    indexText: (fields) => tsvectorOf(segmenter, fields),
    searchQuery: (input) => tsqueryOf(segmenter, input),
  };
  return segmenter;
}
