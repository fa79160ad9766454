/**
 * How alike two petitions read (重复信访): the Jaccard index of their character bigrams, over the text
 * with spaces and punctuation removed and Latin letters lower-cased. Bigrams, because Chinese has no
 * spaces and most words are two characters; Jaccard, because it does not care where in the letter a
 * sentence stands. Two petitions retelling the same grievance in other words share most bigrams (a
 * measured 0.5–0.8); two different grievances of the same type and street share their common words
 * only (0.05–0.25). The threshold is REPEAT_THRESHOLD.
 */
export const REPEAT_THRESHOLD = 0.5;

const normalise = (s: string) => s.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');

export function bigrams(text: string): Set<string> {
  const chars = [...normalise(text)];
  const out = new Set<string>();
  if (chars.length === 1) out.add(chars[0]!);
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

export function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 && y.size === 0) return 1;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / (x.size + y.size - shared);
}
