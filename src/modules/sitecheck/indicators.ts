/**
 * The inspection indicators (政府网站与政务新媒体检查指标, 国办秘函〔2019〕19号) this module checks, the
 * thresholds a site may change, and the rules that turn what the site has into findings. Pure: no
 * database, no HTTP, and the clock is a parameter.
 *
 * How the text reads, and what is taken from it:
 * - 单项否决 (veto): the site fails the inspection outright. 站点无法访问 (the home page does not open),
 *   首页不更新 (nothing new on the home page for 2 weeks), 栏目不更新 (news columns not updated in the
 *   2 weeks before the check and notice/policy first-level columns not in the 6 months before, together
 *   5 or more — "超过（含）5个"; or 5 or more empty columns), 互动回应差 (a message in a consultation
 *   column left without an answer for more than 3 months, among those of the year before the check).
 * - 扣分 (deduction): points off. A single stale column and each broken link (链接不可用) are here.
 * - notice: worth knowing, not scored — an empty column below the veto count, a link that could not
 *   be checked, an old message outside the inspection's one-year window.
 */
import type { FieldProblem } from '../../kernel/errors.ts';

export const INDICATORS = [
  'site_accessible',
  'home_not_updated',
  'column_not_updated',
  'empty_columns',
  'unanswered_messages',
  'broken_links',
] as const;
export type Indicator = (typeof INDICATORS)[number];

export const LEVELS = ['veto', 'deduction', 'notice'] as const;
export type Level = (typeof LEVELS)[number];

export const MEASURE_UNITS = ['days', 'months', 'working_days', 'count', 'status', 'seconds'] as const;
export interface Measure {
  value: number;
  unit: (typeof MEASURE_UNITS)[number];
}

/** A page or column a finding is about; `label` null shows the path (the home page is named). */
export interface Place {
  href: string;
  label: string | null;
}

export interface Finding {
  indicator: Indicator;
  level: Level;
  /** what was found: an i18n key (sitecheck.what.*) and its parameters */
  code: string;
  params: Record<string, string | number>;
  where: Place[];
  measured: Measure | null;
  threshold: Measure | null;
}

// ---------------------------------------------------------------------------------------------
// Thresholds

export const UNANSWERED_UNITS = ['months', 'working_days'] as const;
export type UnansweredUnit = (typeof UNANSWERED_UNITS)[number];

export interface Thresholds {
  /** the whole site's newest publication may be this many days old (首页不更新: 2 weeks) */
  homeDays: number;
  /** the home page must answer within this many seconds (站点无法访问: 15 s) */
  homeSeconds: number;
  /** a news column (动态、要闻) may go this many days without a new publication */
  newsDays: number;
  /** a notice or policy column (通知公告、政策文件) may go this many months */
  noticeMonths: number;
  /** this many stale columns or more is a veto */
  staleColumnsVeto: number;
  /** this many empty columns or more is a veto */
  emptyColumnsVeto: number;
  /** a public message must be answered within this many units … */
  unansweredAmount: number;
  unansweredUnit: UnansweredUnit;
  /** … among those asked in this many months before the check (the inspection looks back 1 year) */
  windowMonths: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  homeDays: 14,
  homeSeconds: 15,
  newsDays: 14,
  noticeMonths: 6,
  staleColumnsVeto: 5,
  emptyColumnsVeto: 5,
  unansweredAmount: 3,
  unansweredUnit: 'months',
  windowMonths: 12,
};

type NumericThreshold = Exclude<keyof Thresholds, 'unansweredUnit'>;

/** The integers a site may choose (the unanswered amount's bound depends on its unit). */
export const THRESHOLD_RANGES: Record<NumericThreshold, readonly [number, number]> = {
  homeDays: [1, 365],
  homeSeconds: [1, 60],
  newsDays: [1, 365],
  noticeMonths: [1, 36],
  staleColumnsVeto: [1, 100],
  emptyColumnsVeto: [1, 100],
  unansweredAmount: [1, 250],
  windowMonths: [1, 60],
};
const UNANSWERED_MAX: Record<UnansweredUnit, number> = { months: 12, working_days: 250 };

/** A site's stored thresholds over the defaults: one added later takes its default on old rows. */
export function thresholdsOf(stored: unknown): Thresholds {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Partial<Thresholds>;
  const out = { ...DEFAULT_THRESHOLDS };
  for (const key of Object.keys(THRESHOLD_RANGES) as NumericThreshold[]) {
    const v = s[key];
    if (Number.isInteger(v)) out[key] = v as number;
  }
  if (UNANSWERED_UNITS.includes(s.unansweredUnit as UnansweredUnit)) out.unansweredUnit = s.unansweredUnit!;
  return out;
}

/** Field problems of thresholds a site sets. */
export function checkThresholds(t: Thresholds): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!UNANSWERED_UNITS.includes(t.unansweredUnit))
    problems.push({ field: 'unansweredUnit', code: 'sitecheck.threshold.unit' });
  for (const [key, [min, rangeMax]] of Object.entries(THRESHOLD_RANGES) as [
    NumericThreshold,
    readonly [number, number],
  ][]) {
    const max = key === 'unansweredAmount' ? (UNANSWERED_MAX[t.unansweredUnit] ?? rangeMax) : rangeMax;
    const v = t[key];
    if (!Number.isInteger(v) || v < min || v > max)
      problems.push({ field: key, code: 'sitecheck.threshold.range', params: { min, max } });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// China dates: the inspection counts days as Beijing counts them

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The China date (YYYY-MM-DD) of an instant. */
export const chinaDate = (at: Date) => new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
/** 00:00 of a China date, as an instant. */
export const startOfChinaDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS);
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** Whole days from one China date to another. */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** A date `months` later (earlier when negative), on the last day of the month when it has no such day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** The same instant `months` earlier (to the day, Beijing time): how "in the 6 months before" reads. */
export const monthsBefore = (now: Date, months: number) =>
  new Date(
    startOfChinaDay(addMonths(chinaDate(now), -months)).getTime() +
      (now.getTime() - startOfChinaDay(chinaDate(now)).getTime()),
  );

// ---------------------------------------------------------------------------------------------
// Rules

export const COLUMN_KINDS = ['news', 'notice', 'policy', 'interpretation', 'other'] as const;

export interface ColumnFacts {
  code: string;
  name: string;
  kind: (typeof COLUMN_KINDS)[number];
  parentCode: string | null;
  latestPublicAt: string | null;
  publicCount: number;
}

/** A column's age against its threshold, for the chart (columns the indicators date only). */
export interface ColumnAge {
  code: string;
  name: string;
  days: number;
  thresholdDays: number;
}

const columnHref = (code: string) => `/publications/categories/${code}`;
const placeOf = (c: ColumnFacts): Place => ({ href: columnHref(c.code), label: c.name });
const daysOld = (at: string, now: Date) => Math.floor((now.getTime() - Date.parse(at)) / DAY_MS);

/** 站点无法访问: the home page must answer 200, within the threshold. */
export function homeAccessFindings(home: { status: number | null; ms: number }, t: Thresholds): Finding[] {
  const where = [{ href: '/', label: null }];
  const base = { indicator: 'site_accessible' as const, level: 'veto' as const, where };
  if (home.status !== 200)
    return [
      {
        ...base,
        code: 'sitecheck.what.home_unreachable',
        params: { status: home.status ?? '—' },
        measured: home.status === null ? null : { value: home.status, unit: 'status' },
        threshold: { value: 200, unit: 'status' },
      },
    ];
  const seconds = Math.round(home.ms / 100) / 10;
  if (seconds >= t.homeSeconds)
    return [
      {
        ...base,
        code: 'sitecheck.what.home_slow',
        params: { seconds },
        measured: { value: seconds, unit: 'seconds' },
        threshold: { value: t.homeSeconds, unit: 'seconds' },
      },
    ];
  return [];
}

/**
 * 首页不更新. The home page's dynamic content is the site's newest publications, so the home page is
 * as fresh as the newest public publication of the whole site.
 */
export function homeFreshnessFindings(latestPublicAt: string | null, t: Thresholds, now: Date): Finding[] {
  const base = { indicator: 'home_not_updated' as const, level: 'veto' as const };
  const threshold = { value: t.homeDays, unit: 'days' as const };
  const where = [{ href: '/', label: null }];
  if (latestPublicAt === null)
    return [
      { ...base, code: 'sitecheck.what.home_no_content', params: {}, where, measured: null, threshold },
    ];
  if (Date.parse(latestPublicAt) >= now.getTime() - t.homeDays * DAY_MS) return [];
  const days = daysOld(latestPublicAt, now);
  return [
    {
      ...base,
      code: 'sitecheck.what.home_stale',
      params: { date: chinaDate(new Date(latestPublicAt)), days },
      where,
      measured: { value: days, unit: 'days' },
      threshold,
    },
  ];
}

/**
 * 栏目不更新 and 空白栏目. A column without any public publication is empty — counted there, not
 * again as stale. News columns are dated at every level; notice and policy columns count towards the
 * veto as first-level columns only, as the text says, but each stale one is reported.
 */
export function columnFindings(
  columns: ColumnFacts[],
  t: Thresholds,
  now: Date,
): { findings: Finding[]; ages: ColumnAge[] } {
  const findings: Finding[] = [];
  const ages: ColumnAge[] = [];
  const stale: ColumnFacts[] = [];
  const empty: ColumnFacts[] = [];
  const noticeCutoff = monthsBefore(now, t.noticeMonths);
  const noticeDays = Math.round((now.getTime() - noticeCutoff.getTime()) / DAY_MS);
  for (const c of columns) {
    if (c.publicCount === 0 || c.latestPublicAt === null) {
      empty.push(c);
      findings.push({
        indicator: 'empty_columns',
        level: 'notice',
        code: 'sitecheck.what.column_empty',
        params: { column: c.name },
        where: [placeOf(c)],
        measured: { value: 0, unit: 'count' },
        threshold: null,
      });
      continue;
    }
    const rule =
      c.kind === 'news'
        ? {
            cutoff: now.getTime() - t.newsDays * DAY_MS,
            threshold: { value: t.newsDays, unit: 'days' as const },
          }
        : c.kind === 'notice' || c.kind === 'policy'
          ? { cutoff: noticeCutoff.getTime(), threshold: { value: t.noticeMonths, unit: 'months' as const } }
          : null;
    if (!rule) continue;
    const days = daysOld(c.latestPublicAt, now);
    ages.push({
      code: c.code,
      name: c.name,
      days,
      thresholdDays: c.kind === 'news' ? t.newsDays : noticeDays,
    });
    if (Date.parse(c.latestPublicAt) >= rule.cutoff) continue;
    if (c.kind === 'news' || c.parentCode === null) stale.push(c);
    findings.push({
      indicator: 'column_not_updated',
      level: 'deduction',
      code: 'sitecheck.what.column_stale',
      params: { column: c.name, date: chinaDate(new Date(c.latestPublicAt)), days },
      where: [placeOf(c)],
      measured: { value: days, unit: 'days' },
      threshold: rule.threshold,
    });
  }
  if (stale.length >= t.staleColumnsVeto)
    findings.push({
      indicator: 'column_not_updated',
      level: 'veto',
      code: 'sitecheck.what.stale_columns_veto',
      params: { count: stale.length, max: t.staleColumnsVeto },
      where: stale.map(placeOf),
      measured: { value: stale.length, unit: 'count' },
      threshold: { value: t.staleColumnsVeto, unit: 'count' },
    });
  if (empty.length >= t.emptyColumnsVeto)
    findings.push({
      indicator: 'empty_columns',
      level: 'veto',
      code: 'sitecheck.what.empty_columns_veto',
      params: { count: empty.length, max: t.emptyColumnsVeto },
      where: empty.map(placeOf),
      measured: { value: empty.length, unit: 'count' },
      threshold: { value: t.emptyColumnsVeto, unit: 'count' },
    });
  return { findings, ages };
}

/** A public message still waiting for an answer, from any channel that takes them. */
export interface OpenMessage {
  id: string;
  title: string;
  askedAt: string;
  href: string;
  handledBy: string;
}

/** The working-day arithmetic the unanswered rule needs (the workflow module's WorkCalendar has it). */
export interface WorkingDays {
  due(start: Date, amount: number, unit: 'working-days'): { due: Date };
}

/** The instant before which a message may be overdue: what to ask the channels for. */
export function unansweredCutoff(t: Thresholds, now: Date): Date {
  const today = chinaDate(now);
  // A period of N working days spans at least N calendar days; months differ by at most 3 days, so
  // the margin keeps every overdue message in, and messageFindings decides each exactly.
  return t.unansweredUnit === 'working_days'
    ? startOfChinaDay(addDays(today, -t.unansweredAmount))
    : startOfChinaDay(addDays(addMonths(today, -t.unansweredAmount), 4));
}

/**
 * 互动回应差. A message asked on day D is due by the end of D + the threshold (D itself not counted, as
 * deadlines are); on any later day it is overdue. Veto within the inspection's window; an older one is
 * still reported, as a notice, since it is still unanswered.
 */
export function messageFindings(
  channels: { label: string; messages: OpenMessage[] }[],
  t: Thresholds,
  now: Date,
  calendar: WorkingDays | null,
): Finding[] {
  const today = chinaDate(now);
  const windowStart = addMonths(today, -t.windowMonths);
  const findings: Finding[] = [];
  for (const { label, messages } of channels)
    for (const m of messages) {
      const asked = chinaDate(new Date(m.askedAt));
      let due = addMonths(asked, t.unansweredAmount);
      if (t.unansweredUnit === 'working_days') {
        if (!calendar) throw new Error('working days need the calendar');
        const d = calendar.due(new Date(`${asked}T00:00:00Z`), t.unansweredAmount, 'working-days');
        due = d.due.toISOString().slice(0, 10);
      }
      if (due >= today) continue;
      const inWindow = asked >= windowStart;
      findings.push({
        indicator: 'unanswered_messages',
        level: inWindow ? 'veto' : 'notice',
        code: inWindow ? 'sitecheck.what.message_unanswered' : 'sitecheck.what.message_unanswered_old',
        params: { channel: label, title: m.title, asked, due, department: m.handledBy },
        where: [{ href: m.href, label: m.title }],
        measured: { value: daysBetween(asked, today), unit: 'days' },
        threshold: { value: t.unansweredAmount, unit: t.unansweredUnit },
      });
    }
  return findings;
}

/** What the link check found for one internal URL, and the pages that link to it. */
export interface LinkResult {
  url: string;
  /** the final status after internal redirects; null when it could not be checked */
  status: number | null;
  /** why it could not be checked */
  reason?: 'rate_limited' | 'redirects' | 'error';
  foundOn: Place[];
}

/** 404, 410 and server errors are broken; a redirect to the sign-in page is not (the page exists). */
export const isBroken = (status: number) => status === 404 || status === 410 || status >= 500;

/** 链接不可用: each broken internal link, with the pages it is on. */
export function linkFindings(results: LinkResult[], skipped: number): Finding[] {
  const findings: Finding[] = [];
  for (const r of results) {
    if (r.status !== null && !isBroken(r.status)) continue;
    findings.push(
      r.status === null
        ? {
            indicator: 'broken_links',
            level: 'notice',
            code: 'sitecheck.what.link_unchecked',
            params: { url: r.url, reason: r.reason ?? 'error' },
            where: r.foundOn,
            measured: null,
            threshold: null,
          }
        : {
            indicator: 'broken_links',
            level: 'deduction',
            code: 'sitecheck.what.link_broken',
            params: { url: r.url, status: r.status },
            where: r.foundOn,
            measured: { value: r.status, unit: 'status' },
            threshold: null,
          },
    );
  }
  if (skipped > 0)
    findings.push({
      indicator: 'broken_links',
      level: 'notice',
      code: 'sitecheck.what.links_skipped',
      params: { count: skipped },
      where: [],
      measured: { value: skipped, unit: 'count' },
      threshold: null,
    });
  return findings;
}

/** Findings per level, and per indicator its worst level (null: nothing found). */
export function summarize(findings: Finding[]) {
  const count = (level: Level) => findings.filter((f) => f.level === level).length;
  const worst = (i: Indicator) =>
    LEVELS.find((l) => findings.some((f) => f.indicator === i && f.level === l)) ?? null;
  return {
    veto: count('veto'),
    deduction: count('deduction'),
    notice: count('notice'),
    indicators: INDICATORS.map((indicator) => ({
      indicator,
      level: worst(indicator),
      findings: findings.filter((f) => f.indicator === indicator).length,
    })),
  };
}
