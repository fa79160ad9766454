/**
 * Finding a site's sensitive words (敏感词) in a text: one Aho–Corasick automaton per site, built
 * when the words load, so a text is scanned once whatever the number of words (thousands cost the
 * same per character as ten).
 *
 * How far matching goes, and why:
 * - Both the words and the text are folded the same way: NFKC (full-width letters and digits become
 *   half-width, ｔｅｓｔ → test, compatibility forms unify) and lower case.
 * - Separators are skipped: whitespace, punctuation, symbols and invisible characters (zero-width
 *   space, joiners, BOM), however many, between any two characters. So "测 试"、"测.试"、"测…试" and
 *   "测\u200b试" match 测试. A separator is never part of a word either (a word is stored without them).
 * - Not covered: letters or digits inserted between a word's characters (测x试), homophones and pinyin,
 *   traditional for simplified characters, characters that merely look alike. A person set on evading
 *   a list can, and a moderator reads what they post anyway; the list catches the ordinary case.
 * - A match is a substring: a Latin word also matches inside a longer word. Holding is not rejecting —
 *   a false hold costs a moderator a glance, a missed one a public page — so the cheaper error is kept.
 */

/** Folds one character as matching compares it; '' for a separator (skipped). */
export function foldChar(ch: string): string {
  let f = FOLDED.get(ch);
  if (f === undefined) {
    f = SEPARATOR.test(ch) ? '' : ch.normalize('NFKC').toLowerCase().replace(SEPARATORS, '');
    // Texts use a few thousand distinct characters; the memory is bounded all the same.
    if (FOLDED.size < 100_000) FOLDED.set(ch, f);
  }
  return f;
}

const FOLDED = new Map<string, string>();

const SEPARATOR = /^[\p{White_Space}\p{P}\p{S}\p{Cf}\p{Cc}]$/u;
const SEPARATORS = /[\p{White_Space}\p{P}\p{S}\p{Cf}\p{Cc}]/gu;

/** A word as it is stored and matched: folded, without separators. */
export function normalizeWord(raw: string): string {
  return raw.normalize('NFKC').toLowerCase().replace(SEPARATORS, '');
}

/** One occurrence in the original text: [start, end) in UTF-16 units of that text. */
export interface Hit {
  word: string;
  start: number;
  end: number;
}

interface State {
  next: Map<string, number>;
  fail: number;
  /** the words ending here, including those reached through fail links */
  out: string[];
}

export interface Matcher {
  readonly size: number;
  /** Every occurrence, in order of where it ends (overlapping ones included). */
  find(text: string): Hit[];
  /** Whether the text holds any word: stops at the first. */
  test(text: string): boolean;
}

/** Builds the automaton of a list of (normalised) words. */
export function buildMatcher(words: Iterable<string>): Matcher {
  const states: State[] = [{ next: new Map(), fail: 0, out: [] }];
  let size = 0;
  for (const raw of words) {
    const word = normalizeWord(raw);
    if (!word) continue;
    let s = 0;
    for (const ch of word) {
      let n = states[s]!.next.get(ch);
      if (n === undefined) {
        n = states.length;
        states.push({ next: new Map(), fail: 0, out: [] });
        states[s]!.next.set(ch, n);
      }
      s = n;
    }
    if (!states[s]!.out.includes(word)) {
      states[s]!.out.push(word);
      size++;
    }
  }
  // Breadth first: a state's fail link is the longest proper suffix that is also a prefix of a word.
  const queue: number[] = [...states[0]!.next.values()];
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    for (const [ch, n] of states[s]!.next) {
      let f = states[s]!.fail;
      while (f !== 0 && !states[f]!.next.has(ch)) f = states[f]!.fail;
      const g = states[f]!.next.get(ch);
      states[n]!.fail = g !== undefined && g !== n ? g : 0;
      states[n]!.out.push(...states[states[n]!.fail]!.out);
      queue.push(n);
    }
  }

  function step(s: number, ch: string): number {
    while (s !== 0 && !states[s]!.next.has(ch)) s = states[s]!.fail;
    return states[s]!.next.get(ch) ?? 0;
  }

  /**
   * Walks the text's folded characters; `visit` gets each state reached with the folded character's
   * end in the text, and stops the walk by returning true. Where each folded character began is kept
   * (a ring as long as the longest word would do; an array is simpler and texts are bounded).
   */
  function walk(text: string, visit: (s: number, starts: number[], end: number) => boolean): void {
    if (size === 0) return;
    let s = 0;
    const starts: number[] = [];
    let i = 0;
    for (const ch of text) {
      const at = i;
      i += ch.length;
      const folded = foldChar(ch);
      // NFKC may make several characters of one (㍻ → 平成): each is fed, all starting here.
      for (const f of folded) {
        starts.push(at);
        s = step(s, f);
        if (states[s]!.out.length > 0 && visit(s, starts, i)) return;
      }
    }
  }

  return {
    size,
    find(text) {
      const hits: Hit[] = [];
      walk(text, (s, starts, end) => {
        for (const word of states[s]!.out) {
          const n = [...word].length;
          hits.push({ word, start: starts[starts.length - n]!, end });
        }
        return false;
      });
      return hits;
    },
    test(text) {
      let found = false;
      walk(text, () => (found = true));
      return found;
    },
  };
}

/**
 * The text cut into plain and marked pieces for a page (<mark> around each occurrence; overlapping
 * occurrences merged).
 */
export function markedPieces(text: string, hits: readonly Hit[]): { text: string; marked: boolean }[] {
  const spans = [...hits].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const h of spans) {
    const last = merged[merged.length - 1];
    if (last && h.start <= last.end) last.end = Math.max(last.end, h.end);
    else merged.push({ start: h.start, end: h.end });
  }
  const pieces: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const m of merged) {
    if (m.start > at) pieces.push({ text: text.slice(at, m.start), marked: false });
    pieces.push({ text: text.slice(m.start, m.end), marked: true });
    at = m.end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), marked: false });
  return pieces;
}
