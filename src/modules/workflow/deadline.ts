/**
 * Deadlines of tasks and cases (办理时限) on a working-day calendar, as instants.
 *
 * Days are China days (UTC+8, no daylight saving): an event at 23:30 on 14 February in Beijing is a
 * 14 February event whatever the server's zone. A period in days ends at the end of its last day
 * (24:00 Beijing time); a period in hours is plain elapsed time (emergency work does not stop at night).
 *
 * Yellow (黄灯) is the instant from which at most (1 − warnAt) of the period is left: for days, the start
 * of the last ⌈(1 − warnAt)·N⌉ days of the unit (so a 20-working-day limit turns yellow after the 16th
 * working day, a 1-day limit at the start of its only day); for hours, warnAt of the time.
 *
 * A clock stop freezes the period. Resuming it continues with the days not yet used — those after the
 * day it stopped up to the due day — counted from the day of resumption (which is not counted, Art. 201),
 * or starts the whole period afresh when the stop says so (补正 under the Administrative Licensing Law).
 */
import type { WorkCalendar } from './calendar.ts';
import type { Limit } from './definition.ts';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The China date (YYYY-MM-DD) of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A date as the UTC midnight Date the calendar works with. */
const day = (date: string) => new Date(`${date}T00:00:00Z`);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The end of a China day (its 24:00), as an instant. */
export function endOfChinaDay(date: string): Date {
  return new Date(day(date).getTime() + DAY_MS - CHINA_OFFSET_MS);
}
/** The start of a China day (its 00:00), as an instant. */
export function startOfChinaDay(date: string): Date {
  return new Date(day(date).getTime() - CHINA_OFFSET_MS);
}

export interface Deadline {
  dueAt: Date;
  yellowAt: Date;
  /** false when the period reaches a year whose holiday schedule is not yet known */
  complete: boolean;
}

/** The deadline of a period of `limit` starting with an event at `start`. */
export function deadline(calendar: WorkCalendar, start: Date, limit: Limit, warnAt: number): Deadline {
  if (limit.unit === 'hours') {
    const ms = limit.amount * 3_600_000;
    return {
      dueAt: new Date(start.getTime() + ms),
      yellowAt: new Date(start.getTime() + ms * warnAt),
      complete: true,
    };
  }
  const r = calendar.due(day(chinaDate(start)), limit.amount, limit.unit);
  const dueDate = isoDay(r.due);
  return {
    dueAt: endOfChinaDay(dueDate),
    yellowAt: yellowBefore(calendar, dueDate, limit, warnAt, start),
    complete: r.complete,
  };
}

/** The start of the last ⌈(1 − warnAt)·N⌉ units before the due day's end, never before `notBefore`. */
function yellowBefore(
  calendar: WorkCalendar,
  dueDate: string,
  limit: Limit,
  warnAt: number,
  notBefore: Date,
): Date {
  let left = Math.max(1, Math.ceil((1 - warnAt) * limit.amount - 1e-9));
  let d = day(dueDate);
  // Walk back over the last `left` counted days; yellow starts at the first of them.
  for (;;) {
    const counted = limit.unit === 'calendar-days' || calendar.isWorkingDay(d);
    if (counted) left--;
    if (left === 0) break;
    d = new Date(d.getTime() - DAY_MS);
  }
  const at = startOfChinaDay(isoDay(d));
  return at < notBefore ? notBefore : at;
}

/** Units of a period still unused when the clock stopped at `stoppedAt` (its day counts as used). */
export function unusedAt(calendar: WorkCalendar, limit: Limit, dueAt: Date, stoppedAt: Date): number {
  if (limit.unit === 'hours') return Math.max(0, (dueAt.getTime() - stoppedAt.getTime()) / 3_600_000);
  const from = day(chinaDate(stoppedAt));
  const to = day(chinaDate(new Date(dueAt.getTime() - 1)));
  let n = 0;
  for (let d = new Date(from.getTime() + DAY_MS); d <= to; d = new Date(d.getTime() + DAY_MS))
    if (limit.unit === 'calendar-days' || calendar.isWorkingDay(d)) n++;
  return n;
}

/** The deadline after a clock stop ends at `resumedAt`. */
export function resumedDeadline(
  calendar: WorkCalendar,
  limit: Limit,
  warnAt: number,
  dueAt: Date,
  stoppedAt: Date,
  resumedAt: Date,
  mode: 'continue' | 'restart',
): Deadline {
  if (mode === 'restart') return deadline(calendar, resumedAt, limit, warnAt);
  if (limit.unit === 'hours') {
    const left = dueAt.getTime() - stoppedAt.getTime();
    const total = limit.amount * 3_600_000;
    const due = resumedAt.getTime() + Math.max(0, left);
    return {
      dueAt: new Date(due),
      yellowAt: new Date(Math.max(resumedAt.getTime(), due - total * (1 - warnAt))),
      complete: true,
    };
  }
  const left = unusedAt(calendar, limit, dueAt, stoppedAt);
  const d = deadline(calendar, resumedAt, { amount: left, unit: limit.unit }, warnAt);
  return {
    ...d,
    yellowAt: yellowBefore(calendar, chinaDate(new Date(d.dueAt.getTime() - 1)), limit, warnAt, resumedAt),
  };
}

/** A period lengthened by an extension (延期): the extra units counted after the current due day. */
export function extendedDeadline(
  calendar: WorkCalendar,
  dueAt: Date,
  extra: Limit,
  limit: Limit,
  warnAt: number,
): Deadline {
  if (extra.unit === 'hours' || limit.unit === 'hours') {
    const ms = extra.unit === 'hours' ? extra.amount * 3_600_000 : extra.amount * DAY_MS;
    const due = new Date(dueAt.getTime() + ms);
    return { dueAt: due, yellowAt: new Date(due.getTime() - ms * (1 - warnAt)), complete: true };
  }
  const lastDay = chinaDate(new Date(dueAt.getTime() - 1));
  const r = calendar.due(day(lastDay), extra.amount, extra.unit);
  const dueDate = isoDay(r.due);
  return {
    dueAt: endOfChinaDay(dueDate),
    yellowAt: yellowBefore(calendar, dueDate, extra, warnAt, dueAt),
    complete: r.complete,
  };
}

/** The working days from one instant to another (for average handling time), by China dates. */
export function workingDaysBetween(calendar: WorkCalendar, from: Date, to: Date): number {
  let n = 0;
  const end = day(chinaDate(to));
  for (
    let d = new Date(day(chinaDate(from)).getTime() + DAY_MS);
    d <= end;
    d = new Date(d.getTime() + DAY_MS)
  )
    if (calendar.isWorkingDay(d)) n++;
  return n;
}

/** green / yellow / red of an open period at `now` (null when the clock is stopped). */
export type Light = 'green' | 'yellow' | 'red';
export function lightAt(now: Date, yellowAt: Date | null, dueAt: Date | null): Light {
  if (dueAt && now > dueAt) return 'red';
  if (yellowAt && now >= yellowAt) return 'yellow';
  return 'green';
}

/** '2026-03-01 10:05' in Beijing time, as the pages show instants. */
export function chinaTime(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The last day of a period ending at `dueAt` (its 24:00), as a China date. */
export function dueDay(dueAt: Date): string {
  return chinaDate(new Date(dueAt.getTime() - 1));
}
