/**
 * The working-day calendar (工作日历): weekends, public holidays and make-up workdays (调休), and the
 * time-limit arithmetic every case deadline uses. The State Council's schedules come from the npm
 * package chinese-days (years 2004–2026, as data); site-specific edits arrive with the workflow engine.
 *
 * Periods follow the Civil Code (民法典): the day of the triggering event is not counted (Art. 201), and
 * a calendar-day period whose last day is a public holiday or rest day ends on the next working day
 * (Art. 203). A working-day period counts working days after the day of the event.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const TIME_UNITS = ['working-days', 'calendar-days'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export interface SpecialDay {
  date: string;
  /** 元旦, 春节 … */
  name: string;
  nameEn: string;
}

export interface YearDays {
  year: number;
  /** whether the year's official schedule is known (else only weekends count as rest days) */
  published: boolean;
  holidays: SpecialDay[];
  /** make-up workdays (调休上班): weekend days that are working days */
  workdays: SpecialDay[];
}

const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' of a real date, or null. */
export function parseDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text ? d : null;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

export class WorkCalendar {
  private readonly holidays = new Map<string, SpecialDay>();
  private readonly workdays = new Map<string, SpecialDay>();
  private readonly years = new Set<number>();

  constructor(years: YearDays[]) {
    for (const y of years) {
      if (y.published) this.years.add(y.year);
      for (const h of y.holidays) this.holidays.set(h.date, h);
      for (const w of y.workdays) this.workdays.set(w.date, w);
    }
  }

  /** Whether the year's official holiday schedule is in the calendar. */
  knows(year: number): boolean {
    return this.years.has(year);
  }

  isWorkingDay(date: Date): boolean {
    const key = iso(date);
    if (this.workdays.has(key)) return true;
    if (this.holidays.has(key)) return false;
    const weekday = date.getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The last day of a period of `amount` units starting with an event on `start`. Working days: the
   * `amount`-th working day after `start`. Calendar days: `start` + `amount`, moved to the next working
   * day when that is a rest day. Also says whether every year the period touched has a known schedule.
   */
  due(start: Date, amount: number, unit: TimeUnit): { due: Date; complete: boolean } {
    let day = start;
    const touched = new Set<number>([start.getUTCFullYear()]);
    const next = () => {
      day = new Date(day.getTime() + DAY_MS);
      touched.add(day.getUTCFullYear());
    };
    if (unit === 'working-days') {
      for (let left = amount; left > 0;) {
        next();
        if (this.isWorkingDay(day)) left--;
      }
    } else {
      for (let i = 0; i < amount; i++) next();
      if (amount > 0) while (!this.isWorkingDay(day)) next();
    }
    return { due: day, complete: [...touched].every((y) => this.knows(y)) };
  }

  /** The year's holidays and make-up workdays, in date order. */
  days(year: number): YearDays {
    const inYear = (m: Map<string, SpecialDay>) =>
      [...m.values()]
        .filter((d) => d.date.startsWith(`${year}-`))
        .sort((a, b) => a.date.localeCompare(b.date));
    return {
      year,
      published: this.knows(year),
      holidays: inYear(this.holidays),
      workdays: inYear(this.workdays),
    };
  }
}

/** The national calendar as published by the State Council, from the chinese-days package's data. */
export function nationalCalendar(): WorkCalendar {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('chinese-days')), 'years');
  const years: YearDays[] = [];
  for (let year = 2004; year <= 2100; year++) {
    let raw: { holidays: Record<string, string>; workdays: Record<string, string> };
    try {
      raw = JSON.parse(readFileSync(path.join(dir, `${year}.json`), 'utf8')) as typeof raw;
    } catch {
      if (year > 2004) break;
      continue;
    }
    // Entries read "English name,中文名,days".
    const list = (m: Record<string, string>) =>
      Object.entries(m).map(([date, text]) => {
        const [nameEn = '', name = ''] = text.split(',');
        return { date, name, nameEn };
      });
    years.push({ year, published: true, holidays: list(raw.holidays), workdays: list(raw.workdays) });
  }
  return new WorkCalendar(years);
}
