/**
 * The working-day calendar (工作日历): weekends, public holidays and make-up workdays (调休), and the
 * time-limit arithmetic every case deadline uses. The State Council's schedules come from the npm
 * package chinese-days (years 2004–2026, as data); a site may replace any year from the current one on
 * with its own schedule (calendar.service.ts), e.g. next year's as soon as the State Council publishes it.
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

/** Where a year's schedule comes from: the State Council's (package data), the site's own, or none. */
export type YearSource = 'national' | 'site' | 'none';

export interface YearDays {
  year: number;
  /** whether the year's official schedule is known (else only weekends count as rest days) */
  published: boolean;
  holidays: SpecialDay[];
  /** make-up workdays (调休上班): weekend days that are working days */
  workdays: SpecialDay[];
  /** national, site or none (as days() reports it) */
  source?: YearSource;
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

/**
 * A calendar: immutable, built from whole years. Each site's calendar is the national one with the
 * site's own years put in their place (withYears), so a deadline computation never reads the database.
 */
export class WorkCalendar {
  private readonly byYear = new Map<number, YearDays>();
  private readonly holidays = new Map<string, SpecialDay>();
  private readonly workdays = new Map<string, SpecialDay>();
  private readonly years = new Set<number>();

  /** A later entry for the same year replaces an earlier one. */
  constructor(years: YearDays[]) {
    const frozen = (days: SpecialDay[]) => Object.freeze(days.map((d) => Object.freeze({ ...d })));
    for (const y of years)
      this.byYear.set(
        y.year,
        Object.freeze({ ...y, holidays: frozen(y.holidays), workdays: frozen(y.workdays) }) as YearDays,
      );
    for (const y of this.byYear.values()) {
      if (y.published) this.years.add(y.year);
      for (const h of y.holidays) this.holidays.set(h.date, h);
      for (const w of y.workdays) this.workdays.set(w.date, w);
    }
  }

  /** A new calendar in which each of `years` replaces this calendar's schedule for that year. */
  withYears(years: YearDays[]): WorkCalendar {
    return years.length === 0 ? this : new WorkCalendar([...this.byYear.values(), ...years]);
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
      source: this.byYear.get(year)?.source ?? 'none',
    };
  }
}

let national: { calendar: WorkCalendar; english: Map<string, string> } | undefined;

/** The national calendar as published by the State Council, from the chinese-days package's data. */
export function nationalCalendar(): WorkCalendar {
  return loadNational().calendar;
}

/**
 * The English name of a holiday named in Chinese, as the national data names it ('国庆节' → 'National
 * Day'; '清明节', '春节调休' find theirs too), or '' for a name the data does not know.
 */
export function englishHolidayName(name: string): string {
  return loadNational().english.get(holidayKey(name)) ?? '';
}

const holidayKey = (name: string) =>
  name
    .trim()
    .replace(/(调休|补班|上班|放假)$/, '')
    .replace(/节$/, '');

function loadNational() {
  if (national) return national;
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('chinese-days')), 'years');
  const years: YearDays[] = [];
  const english = new Map<string, string>();
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
        english.set(holidayKey(name), nameEn);
        return { date, name, nameEn };
      });
    years.push({
      year,
      published: true,
      holidays: list(raw.holidays),
      workdays: list(raw.workdays),
      source: 'national',
    });
  }
  national = { calendar: new WorkCalendar(years), english };
  return national;
}
