/**
 * The national format of the annual report (《中华人民共和国政府信息公开工作年度报告格式》, 国办公开办函〔2021〕30号,
 * for reports from 2021): its six sections, the rows and columns of its tables, and which figures staff
 * enter. Labels are locale keys (annualreport.row.* …); the zh-CN texts are the template's own words.
 */
import type { FieldProblem } from '../../kernel/errors.ts';
import { REPLY_ROWS, REQUESTER_COLUMNS, type ReplyRow, type RequesterColumn } from '../disclosure/index.ts';

export { REPLY_ROWS, REQUESTER_COLUMNS, type ReplyRow, type RequesterColumn };

/** 四、行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉): each by result. */
export const REMEDIES = ['review', 'lawsuitDirect', 'lawsuitAfterReview'] as const;
export type Remedy = (typeof REMEDIES)[number];
export const RESULTS = ['upheld', 'corrected', 'other', 'pending'] as const;
export type Result = (typeof RESULTS)[number];

/** The whole numbers staff enter: 二's 第（五）（六）项 and 四's cells. */
export const ENTERED_COUNTS = [
  'licensing',
  'penalty',
  'coercion',
  ...REMEDIES.flatMap((r) => RESULTS.map((x) => `${r}.${x}` as const)),
] as const;
export type EnteredCount = (typeof ENTERED_COUNTS)[number];

/** 第（八）项 行政事业性收费, 本年收费金额（单位：万元）: an amount, to four decimals (one yuan). */
export const FEES = 'feesAmount';

/** The texts: 一 总体情况, 五 存在的主要问题及改进情况, 六 其他需要报告的事项 (信息处理费 among them). */
export const TEXTS = ['overall', 'problems', 'other'] as const;
export type TextKey = (typeof TEXTS)[number];
export const TEXT_MAX = 20_000;
export const COUNT_MAX = 999_999_999;

/** What staff have entered; anything not entered is 0 (or empty). */
export interface Entered {
  counts: Record<EnteredCount, number>;
  /** 万元, as typed once checked (e.g. "0.35"), so no float ever rounds it */
  feesAmount: string;
  texts: Record<TextKey, string>;
}

export const emptyEntered = (): Entered => ({
  counts: Object.fromEntries(ENTERED_COUNTS.map((k) => [k, 0])) as Record<EnteredCount, number>,
  feesAmount: '0',
  texts: { overall: '', problems: '', other: '' },
});

/** Reads stored JSON (maybe from an older version of the form) as Entered. */
export function enteredFrom(figures: unknown, texts: unknown): Entered {
  const e = emptyEntered();
  const f = (figures ?? {}) as Record<string, unknown>;
  for (const k of ENTERED_COUNTS) if (Number.isSafeInteger(f[k])) e.counts[k] = f[k] as number;
  if (typeof f[FEES] === 'string') e.feesAmount = f[FEES];
  const t = (texts ?? {}) as Record<string, unknown>;
  for (const k of TEXTS) if (typeof t[k] === 'string') e.texts[k] = t[k];
  return e;
}

/** A change to the entered figures and texts, as the API or the form sent it (strings from a form). */
export interface EnteredChange {
  figures?: Record<string, unknown> | undefined;
  texts?: Record<string, unknown> | undefined;
}

const WHOLE = /^\d{1,9}$/;
const AMOUNT = /^\d{1,9}(\.\d{1,4})?$/;

/**
 * Applies a change to what was entered, checking every field at once: a count is a whole number, not
 * negative (forms send strings: "12" is 12, "" is 0); the fee an amount in 万元 to four decimals; a text at
 * most TEXT_MAX characters. Problems are named `figures.<key>` / `texts.<key>`, as the form's fields are.
 */
export function applyChange(
  current: Entered,
  change: EnteredChange,
): { problems: FieldProblem[]; value: Entered } {
  const problems: FieldProblem[] = [];
  const value: Entered = {
    counts: { ...current.counts },
    feesAmount: current.feesAmount,
    texts: { ...current.texts },
  };
  for (const [key, raw] of Object.entries(change.figures ?? {})) {
    const field = `figures.${key}`;
    if (key === FEES) {
      const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : null;
      if (s === '') value.feesAmount = '0';
      else if (s !== null && AMOUNT.test(s)) value.feesAmount = normaliseAmount(s);
      else problems.push({ field, code: 'annualreport.amount_invalid' });
      continue;
    }
    if (!(ENTERED_COUNTS as readonly string[]).includes(key)) {
      problems.push({ field, code: 'errors.field_unknown' });
      continue;
    }
    const s = typeof raw === 'string' ? raw.trim() : null;
    const n =
      typeof raw === 'number' ? raw : s === '' ? 0 : s !== null && WHOLE.test(s) ? Number(s) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0 || n > COUNT_MAX)
      problems.push({ field, code: 'annualreport.count_invalid' });
    else value.counts[key as EnteredCount] = n;
  }
  for (const [key, raw] of Object.entries(change.texts ?? {})) {
    const field = `texts.${key}`;
    if (!(TEXTS as readonly string[]).includes(key)) problems.push({ field, code: 'errors.field_unknown' });
    else if (typeof raw !== 'string') problems.push({ field, code: 'errors.field_invalid' });
    else {
      const text = raw.replace(/\r\n?/g, '\n').trim();
      if ([...text].length > TEXT_MAX)
        problems.push({ field, code: 'annualreport.text_too_long', params: { max: TEXT_MAX } });
      else value.texts[key as TextKey] = text;
    }
  }
  return { problems, value };
}

/** "007.50" → "7.5": one spelling per amount. */
function normaliseAmount(s: string): string {
  const [whole, frac = ''] = s.split('.');
  const w = String(Number(whole));
  const f = frac.replace(/0+$/, '');
  return f ? `${w}.${f}` : w;
}

/** The year a report may be drafted for: the format is in force from 2021, and a year must have begun. */
export const FIRST_YEAR = 2021;

/** [from, to) of a year in China time (UTC+8), the period every figure is counted in. */
export function yearBounds(year: number): { from: Date; to: Date } {
  const offset = 8 * 3_600_000;
  return {
    from: new Date(Date.UTC(year, 0, 1) - offset),
    to: new Date(Date.UTC(year + 1, 0, 1) - offset),
  };
}

/** The year it is now in China. */
export const chinaYear = (now: Date) => new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
