/**
 * The rules of a solicitation (征集) that need no database: where it stands at an instant, the
 * instants in China time, and the checks on what people and departments type.
 */
import type { FieldProblem } from '../../kernel/errors.ts';
import { lengthOf, plainText } from '../../kernel/text/index.ts';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const DRAFT_MAX = 50_000;
export const OPINION_MIN = 5;
export const OPINION_MAX = 2000;
export const CLAUSE_MAX = 40;
export const REASON_MAX = 500;
export const ADOPTION_REASON_MAX = 1000;
export const SUMMARY_MAX = 5000;
/** Opinions one writer may leave on one solicitation: enough to comment clause by clause, a brake on flooding. */
export const PER_WRITER_MAX = 20;

/** 未开始 / 进行中 / 已结束: derived from the instants, never stored, so no job has to flip it. */
export const STATES = ['scheduled', 'open', 'closed'] as const;
export type State = (typeof STATES)[number];

/** Open from `opensAt` (inclusive) until `closesAt` (exclusive): a comment at the closing instant is late. */
export function stateAt(s: { opensAt: Date; closesAt: Date }, now: Date): State {
  if (now < s.opensAt) return 'scheduled';
  return now < s.closesAt ? 'open' : 'closed';
}

export const ADOPTIONS = ['adopted', 'partly', 'not_adopted'] as const;
export type Adoption = (typeof ADOPTIONS)[number];

export const OPINION_STATUSES = ['held', 'pending', 'accepted', 'rejected'] as const;
export type OpinionStatus = (typeof OPINION_STATUSES)[number];

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** An instant as China time to the minute: '2026-06-01 09:00'. */
export const chinaTime = (at: Date) =>
  new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** An instant as a datetime-local value in China time: '2026-06-01T09:00'. */
export const chinaLocal = (at: Date) => chinaTime(at).replace(' ', 'T');

/** The start of a China day ('2026-06-01' → 2026-05-31T16:00Z). */
export const chinaMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

/**
 * A typed instant: a datetime-local value ('2026-06-01T09:00', read as China time — the pages' form)
 * or an RFC 3339 date-time with its offset (the API). Undefined when it is neither.
 */
export function parseInstant(value: string): Date | undefined {
  const v = value.trim();
  const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})$/.exec(v);
  const at = local
    ? new Date(`${local[1]}T${local[2]}:${local[3]}:00+08:00`)
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/i.test(v)
      ? new Date(v)
      : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/** A text as plain text, or a field problem when its length is out of bounds. */
export function boundedText(
  field: string,
  raw: string,
  min: number,
  max: number,
  problems: FieldProblem[],
): string {
  const text = plainText(raw);
  const n = lengthOf(text);
  if (n < min || n > max)
    problems.push({
      field,
      code: min > 0 && n === 0 ? 'opinions.required' : 'opinions.length',
      params: { min, max },
    });
  return text;
}

export interface PeriodInput {
  opensAt: string;
  closesAt: string;
}

/** The period's instants, or its problems: each typed, the close after the opening. */
export function periodProblems(input: PeriodInput, problems: FieldProblem[]) {
  const opensAt = parseInstant(input.opensAt);
  const closesAt = parseInstant(input.closesAt);
  if (!opensAt) problems.push({ field: 'opensAt', code: 'opinions.instant_invalid' });
  if (!closesAt) problems.push({ field: 'closesAt', code: 'opinions.instant_invalid' });
  if (opensAt && closesAt && closesAt <= opensAt)
    problems.push({ field: 'closesAt', code: 'opinions.close_before_open' });
  return { opensAt, closesAt };
}

/** Counts of a report: how many opinions of each kind of adoption. */
export function adoptionCounts(items: readonly { adoption: Adoption | null }[]) {
  const counts = { total: items.length, adopted: 0, partly: 0, not_adopted: 0 };
  for (const o of items) if (o.adoption) counts[o.adoption]++;
  return counts;
}
