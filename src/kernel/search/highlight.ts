/** A piece of a snippet; a page wraps the matching ones in <mark>. Plain text, never HTML. */
export interface HighlightSegment {
  text: string;
  match: boolean;
}

const SENTENCE_END = /[。！？；!?;]/;

/**
 * Case and width folded one character at a time, keeping the length, so an offset in the folded text
 * is the same offset in the original (Ａ matches a; a character whose folding changes length stays).
 */
function fold(text: string): string {
  let out = '';
  for (const ch of text) {
    const f = ch.normalize('NFKC').toLowerCase();
    out += f.length === ch.length ? f : ch;
  }
  return out;
}

interface Span {
  start: number;
  end: number;
  terms: Set<string>;
}

function findSpans(folded: string, terms: readonly string[]): Span[] {
  const hits: { start: number; end: number; term: string }[] = [];
  for (const term of new Set(terms.map(fold).filter((t) => t.length > 0)))
    for (let i = folded.indexOf(term); i >= 0; i = folded.indexOf(term, i + term.length))
      hits.push({ start: i, end: i + term.length, term });
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  // Overlapping or touching matches become one (生活 + 保障 → 生活保障).
  const spans: Span[] = [];
  for (const h of hits) {
    const last = spans.at(-1);
    if (last && h.start <= last.end) {
      last.end = Math.max(last.end, h.end);
      last.terms.add(h.term);
    } else spans.push({ start: h.start, end: h.end, terms: new Set([h.term]) });
  }
  return spans;
}

/** The window of maxLength that holds the most different terms, then the most matches; earliest wins. */
function bestWindow(spans: Span[], maxLength: number): { first: number; last: number } {
  let best = { first: 0, last: 0, score: -1 };
  for (let i = 0; i < spans.length; i++) {
    const seen = new Set<string>();
    let j = i;
    for (; j < spans.length && spans[j]!.end - spans[i]!.start <= maxLength; j++)
      for (const t of spans[j]!.terms) seen.add(t);
    const score = seen.size * 1000 + (j - i);
    if (score > best.score) best = { first: i, last: Math.max(i, j - 1), score };
  }
  return best;
}

/**
 * A snippet of at most maxLength characters (plus '…' where the text was cut) around the best group
 * of matches, split into matching and other segments. Whitespace runs become one space. With no
 * match, the start of the text.
 */
export function highlight(
  text: string,
  terms: readonly string[],
  options: { maxLength?: number } = {},
): HighlightSegment[] {
  const maxLength = Math.max(1, options.maxLength ?? 120);
  const flat = text.replace(/\s+/g, ' ').trim();
  const spans = findSpans(fold(flat), terms);

  let start = 0;
  if (spans.length > 0) {
    const { first, last } = bestWindow(spans, maxLength);
    const firstStart = spans[first]!.start;
    const slack = maxLength - Math.min(spans[last]!.end - firstStart, maxLength);
    // Some context before the first match, starting at a sentence when one begins in that stretch.
    start = Math.max(0, firstStart - Math.floor(Math.min(slack / 2, maxLength / 4)));
    for (let i = firstStart - 1; i >= start; i--)
      if (SENTENCE_END.test(flat[i]!)) {
        start = i + 1;
        break;
      }
    start = Math.max(0, Math.min(start, flat.length - maxLength));
    if (flat[start] === ' ') start++;
  }
  let end = Math.min(flat.length, start + maxLength);
  // Never cut a surrogate pair (characters outside the BMP, such as rare names' characters).
  if (/[\udc00-\udfff]/.test(flat[start] ?? '')) start++;
  if (/[\ud800-\udbff]/.test(flat[end - 1] ?? '')) end--;

  const segments: HighlightSegment[] = [];
  const push = (s: string, match: boolean) => {
    if (s.length === 0) return;
    const last = segments.at(-1);
    if (last && last.match === match) last.text += s;
    else segments.push({ text: s, match });
  };
  if (start > 0) push('…', false);
  let at = start;
  for (const span of spans) {
    const s = Math.max(span.start, start);
    const e = Math.min(span.end, end);
    if (e <= s) continue;
    push(flat.slice(at, s), false);
    push(flat.slice(s, e), true);
    at = e;
  }
  push(flat.slice(at, end), false);
  if (end < flat.length) push('…', false);
  return segments;
}
