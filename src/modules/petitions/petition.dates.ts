/**
 * Dates of petitions in China time: the periods of the 信访工作条例 are calendar days, the day of the
 * event not counted, and a period ending on a rest day or public holiday ends on the next working day
 * (the site's calendar decides which days those are). A period ends at 24:00 of its last day.
 */
import type { WorkCalendar } from '../workflow/index.ts';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The China date (YYYY-MM-DD) of an instant. */
export const chinaDate = (at: Date) => new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
/** The last day of a period ending at `at` (its 24:00), as a China date. */
export const dueDay = (at: Date) => chinaDate(new Date(at.getTime() - 1));
/** An instant as Beijing time, to the minute. */
export const chinaTime = (at: Date) =>
  new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
/** 2026年3月2日, as documents write a China date. */
export function chineseDate(at: Date): string {
  const d = new Date(at.getTime() + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** The end (24:00 China time) of a period of `days` calendar days after the event at `from`. */
export function periodEnd(calendar: WorkCalendar, from: Date, days: number): Date {
  const start = new Date(`${chinaDate(from)}T00:00:00Z`);
  const due = calendar.due(start, days, 'calendar-days').due;
  return new Date(due.getTime() + DAY_MS - CHINA_OFFSET_MS);
}

/** How long after an opinion (or a review's decision) the next stage may be asked for: 30 days (§35, §36). */
export const REVIEW_WINDOW_DAYS = 30;
