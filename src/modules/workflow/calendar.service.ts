/**
 * Each site's working-day calendar: the national schedules with the site's own years in their place.
 *
 * Which years may change: the current year (Beijing time) and later ones. Earlier years are closed,
 * since every deadline in them has run and a change would rewrite history. The current year stays
 * open because the State Council does adjust a year already under way (the 2020 Spring Festival was
 * extended on 27 January) and a site may declare a local holiday; but a day already past (before
 * today) keeps what it was, so no deadline that has run moves. Every change runs `onChanged` in its
 * own transaction, so the engine recomputes open tasks with the new calendar or the edit rolls back.
 *
 * Caching across nodes: every site's calendar is kept in memory with its version number, and each
 * forTenant() reads the version (one primary-key read, ~0.1 ms on PostgreSQL) before answering from
 * the cache. A TTL would be cheaper but wrong: a node still on the old calendar for a few seconds would
 * store deadlines that the change's recompute (already committed) never sees. Given the caller's
 * transaction, forTenant() also takes the site's calendar lock in shared mode, so a change waits for
 * that transaction and its recompute then sees the task it stored.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { DomainError, invalidFields, type FieldProblem } from '../../kernel/errors.ts';
import { authorizeActing, decide } from '../../kernel/policy/index.ts';
import {
  englishHolidayName,
  nationalCalendar,
  parseDate,
  type SpecialDay,
  type WorkCalendar,
  type YearDays,
} from './calendar.ts';
import * as store from './calendar.store.ts';

export const NAME_MAX = 30;
export const NAME_EN_MAX = 60;
export const MAX_DAYS = { holidays: 120, workdays: 60 } as const;

export interface DayInput {
  date: string;
  /** 元旦, 春节 … */
  name: string;
  /** Defaults to the national data's English name for a holiday name it knows, else ''. */
  nameEn?: string | undefined;
}

/** A year's whole schedule as a site enters it. */
export interface YearInput {
  published: boolean;
  holidays: DayInput[];
  /** make-up workdays (调休上班): Saturdays and Sundays that are worked */
  workdays: DayInput[];
}

export interface CalendarChange {
  tenantId: string;
  /** The site's calendar after the change. */
  calendar: WorkCalendar;
  years: number[];
}

export interface CalendarServiceOptions {
  /**
   * Runs inside the transaction that saved a change, after it is audited: the workflow engine
   * recomputes open tasks' due dates here and logs it on each case. Throwing rolls the change back.
   */
  onChanged?: (ex: Executor, ctx: AuditContext, change: CalendarChange) => Promise<void>;
  /** The present (tests); the current year and today are Beijing time's. */
  now?: () => Date;
}

const DAY_MS = 86_400_000;
const chinaToday = (now: Date) => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const forbidden = () => new DomainError('forbidden', 'policy.forbidden');

export function createCalendarService(db: Database, options: CalendarServiceOptions = {}) {
  const national = nationalCalendar();
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, { version: number; calendar: WorkCalendar }>();

  async function load(ex: Executor, tenantId: string): Promise<WorkCalendar> {
    return national.withYears(await store.siteYears(ex, tenantId));
  }

  const firstEditableYear = () => Number(chinaToday(now()).slice(0, 4));

  function assertEditable(ctx: AuditContext, year: number) {
    // The calendar is the whole site's: only staff whose jurisdiction covers the site may change it.
    authorizeActing(ctx, 'workflow.calendar.manage', { division: ctx.tenantId }, forbidden);
    if (year < firstEditableYear())
      throw new DomainError('conflict', 'workflow.calendar.year_past', { year });
  }

  /** Runs a change: locked against other changes and deadline writers, audited, then onChanged. */
  async function change(
    ctx: AuditContext,
    year: number,
    write: (trx: Executor, before: WorkCalendar) => Promise<ChangeRecord | null>,
  ): Promise<YearDays> {
    const tenantId = ctx.tenantId;
    const saved = await db.kysely.transaction().execute(async (trx) => {
      await store.lockExclusive(trx, tenantId);
      const before = await load(trx, tenantId);
      const record = await write(trx, before);
      if (!record) return null;
      const version = await store.bumpVersion(trx, tenantId);
      const calendar = await load(trx, tenantId);
      const problems = pastDayChanges(before, calendar, year, chinaToday(now()));
      if (problems.length > 0) throw record.pastProblem(problems);
      await appendAudit(trx, ctx, {
        action: record.action,
        objectType: 'calendar_year',
        objectId: String(year),
        detail: { year, ...record.detail },
      });
      await options.onChanged?.(trx, ctx, { tenantId, calendar, years: [year] });
      return { version, calendar };
    });
    if (!saved) return (await service.forTenant(tenantId)).days(year);
    // Changes are serialised by the lock, so a higher version is always the newer calendar.
    if ((cache.get(tenantId)?.version ?? -1) < saved.version) cache.set(tenantId, saved);
    return saved.calendar.days(year);
  }

  const service = {
    /**
     * The site's calendar. Pass the transaction when the answer goes into it (a deadline to store):
     * a calendar change then waits for that transaction, and its recompute sees what was stored. On
     * PGlite (one connection) a call inside a transaction must pass it, or it waits for itself.
     */
    async forTenant(tenantId: string, ex?: Executor): Promise<WorkCalendar> {
      if (!tenantId) return national;
      if (ex) await store.lockShared(ex, tenantId);
      const on = ex ?? db.kysely;
      const version = await store.currentVersion(on, tenantId);
      if (version === null) return national;
      const hit = cache.get(tenantId);
      if (hit?.version === version) return hit.calendar;
      // Rows newer than `version` (a change committed between the reads) only cost a reload next time.
      const calendar = await load(on, tenantId);
      cache.set(tenantId, { version, calendar });
      return calendar;
    },

    /** The first year that may change: the current one, in Beijing. */
    firstEditableYear,

    /** Whether the actor may change this site's calendar (the page shows the forms only then). */
    mayEdit(ctx: AuditContext): boolean {
      return (
        ctx.actor === undefined ||
        decide(ctx.actor, 'workflow.calendar.manage', { division: ctx.tenantId }) === 'allow'
      );
    },

    /** Replaces the site's schedule for a whole year; returns the year as it now applies. */
    async setYear(ctx: AuditContext, year: number, input: YearInput): Promise<YearDays> {
      assertEditable(ctx, year);
      const days = checkYear(year, input);
      return change(ctx, year, async (trx) => {
        await store.replaceYear(trx, ctx.tenantId, days);
        return {
          action: 'workflow.calendar.year_set',
          detail: {
            published: days.published,
            holidays: days.holidays.length,
            workdays: days.workdays.length,
          },
          pastProblem: (dates) => invalidFields(dates.map((d) => pastField(input, d))),
        };
      });
    },

    /** Back to the national schedule for the year; nothing happens when the site had none of its own. */
    async resetYear(ctx: AuditContext, year: number): Promise<YearDays> {
      assertEditable(ctx, year);
      return change(ctx, year, async (trx, before) => {
        if (before.days(year).source !== 'site') return null;
        const own = before.days(year);
        await store.deleteYear(trx, ctx.tenantId, year);
        return {
          action: 'workflow.calendar.year_reset',
          detail: { removedHolidays: own.holidays.length, removedWorkdays: own.workdays.length },
          pastProblem: (dates) =>
            new DomainError('conflict', 'workflow.calendar.reset_changes_past', { date: dates[0]! }),
        };
      });
    },
  };
  return service;
}

export type CalendarService = ReturnType<typeof createCalendarService>;

/** What a change did, for the audit chain. */
interface ChangeRecord {
  action: string;
  detail: Record<string, unknown>;
  /** The error when the change would alter days already past. */
  pastProblem: (dates: string[]) => DomainError;
}

/** The days before today (in the year changed) whose kind differs between two calendars. */
function pastDayChanges(before: WorkCalendar, after: WorkCalendar, year: number, today: string): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); ; t += DAY_MS) {
    const day = new Date(t);
    const date = day.toISOString().slice(0, 10);
    if (date >= today || day.getUTCFullYear() !== year) break;
    if (before.isWorkingDay(day) !== after.isWorkingDay(day)) out.push(date);
  }
  return out;
}

/** The field a changed past day belongs to: its entry in the input, else the list it left. */
function pastField(input: YearInput, date: string): FieldProblem {
  const problem = { code: 'workflow.calendar.day_past', params: { date } };
  for (const list of ['holidays', 'workdays'] as const) {
    const i = input[list].findIndex((d) => d.date.trim() === date);
    if (i >= 0) return { field: `${list}.${i}.date`, ...problem };
  }
  const weekend = [0, 6].includes(parseDate(date)!.getUTCDay());
  // Gone from the list: a weekday that was a holiday, or a weekend day that was worked.
  return { field: weekend ? 'workdays' : 'holidays', ...problem };
}

/** Checks a year's schedule and lists every problem at once; returns it cleaned and in date order. */
export function checkYear(year: number, input: YearInput): YearDays {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, 'holidays' | 'workdays'>();
  const clean = (list: 'holidays' | 'workdays'): SpecialDay[] => {
    if (input[list].length > MAX_DAYS[list])
      problems.push({ field: list, code: 'workflow.calendar.too_many', params: { max: MAX_DAYS[list] } });
    return input[list].map((d, i) => {
      const at = `${list}.${i}`;
      const date = d.date.trim();
      const name = d.name.trim();
      const nameEn = d.nameEn?.trim() || englishHolidayName(name);
      const day = parseDate(date);
      if (!day) {
        problems.push({
          field: `${at}.date`,
          code: 'workflow.calendar.date_invalid',
          params: { value: date },
        });
      } else if (day.getUTCFullYear() !== year) {
        problems.push({
          field: `${at}.date`,
          code: 'workflow.calendar.date_outside_year',
          params: { date, year },
        });
      } else {
        const other = seen.get(date);
        if (other === list)
          problems.push({ field: `${at}.date`, code: 'workflow.calendar.day_duplicate', params: { date } });
        else if (other)
          problems.push({ field: `${at}.date`, code: 'workflow.calendar.day_both', params: { date } });
        else seen.set(date, list);
        if (list === 'workdays' && day.getUTCDay() !== 0 && day.getUTCDay() !== 6)
          problems.push({
            field: `${at}.date`,
            code: 'workflow.calendar.workday_not_weekend',
            params: { date },
          });
      }
      if (!name)
        problems.push({ field: `${at}.name`, code: 'workflow.calendar.name_required', params: { date } });
      else if ([...name].length > NAME_MAX)
        problems.push({
          field: `${at}.name`,
          code: 'workflow.calendar.name_too_long',
          params: { max: NAME_MAX },
        });
      if ([...nameEn].length > NAME_EN_MAX)
        problems.push({
          field: `${at}.nameEn`,
          code: 'workflow.calendar.name_too_long',
          params: { max: NAME_EN_MAX },
        });
      return { date, name, nameEn };
    });
  };
  const holidays = clean('holidays');
  const workdays = clean('workdays');
  if (problems.length > 0) throw invalidFields(problems);
  const byDate = (a: SpecialDay, b: SpecialDay) => a.date.localeCompare(b.date);
  return {
    year,
    published: input.published,
    holidays: holidays.sort(byDate),
    workdays: workdays.sort(byDate),
    source: 'site',
  };
}
