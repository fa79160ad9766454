/**
 * The auditor's filter, as typed into the page's form or given to the API: raw strings in, a checked
 * AuditFilter out, or a problem beside each field at fault. Shared by the page, the CSV export, the
 * JSON API and the links the security events page builds.
 */
import type { AuditFilter, AuditResult } from '../../kernel/audit/index.ts';
import { levelOf } from '../../kernel/divisions/index.ts';
import type { FieldProblem } from '../../kernel/errors.ts';

export const FILTER_FIELDS = [
  'actor',
  'action',
  'objectType',
  'objectId',
  'result',
  'ip',
  'from',
  'to',
  'division',
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type FilterValues = Record<FilterField, string>;

export const RESULTS: readonly AuditResult[] = ['success', 'failure', 'denied'];

const MAX_LENGTH: Record<FilterField, number> = {
  actor: 100,
  action: 100,
  objectType: 60,
  objectId: 200,
  result: 10,
  ip: 64,
  from: 40,
  to: 40,
  division: 12,
};

/**
 * Times without a zone are Beijing time (UTC+8, no daylight saving): what an auditor in China types.
 * An explicit Z or offset is honoured, so links can carry exact instants.
 */
export const SITE_UTC_OFFSET_MINUTES = 8 * 60;

const TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A date or date-time as the span it names: '2026-03-01' is that whole day, '2026-03-01 10:30' that
 * minute, '…T10:30:15.250Z' that millisecond. `from` takes the start of the span, `to` its end, so
 * "to 2026-03-01" includes the whole day. Null when it is not a real date and time.
 */
export function parseTimeSpan(text: string): { start: Date; end: Date } | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const milli = ms === undefined ? 0 : Number(ms.padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  const check = new Date(local);
  // Date.UTC rolls 2月30日 over to 3月2日: a date that does not exist is refused.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return null;
  let offset = SITE_UTC_OFFSET_MINUTES;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 14 || om > 59) return null;
    offset = sign * (oh * 60 + om);
  } else if (zone === 'Z') offset = 0;
  const start = local - offset * 60_000;
  const unit = h === undefined ? 86_400_000 : s === undefined ? 60_000 : ms === undefined ? 1000 : 1;
  return { start: new Date(start), end: new Date(start + unit) };
}

export interface ParsedFilter {
  /** What was asked for, trimmed: to re-render the form and to build links. */
  values: FilterValues;
  filter: AuditFilter;
  problems: FieldProblem[];
}

const ACTION = /^[a-z][a-z0-9_.]*$/;
const IP = /^[0-9A-Fa-f:.]+$/;
const DIVISION = /^\d{6}(\d{3}){0,2}$/;

/** Reads the filter fields from a query string (other parameters are ignored). */
export function parseAuditFilter(query: unknown): ParsedFilter {
  const raw = (query ?? {}) as Record<string, unknown>;
  const values = {} as FilterValues;
  for (const f of FILTER_FIELDS) {
    const v = raw[f];
    values[f] = (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '').trim();
  }
  const problems: FieldProblem[] = [];
  const problem = (field: FilterField, code: string, params?: Record<string, string | number>) =>
    problems.push(params ? { field, code, params } : { field, code });
  for (const f of FILTER_FIELDS) {
    if (values[f].length > MAX_LENGTH[f]) problem(f, 'audit.filter.too_long', { max: MAX_LENGTH[f] });
  }
  const bad = new Set(problems.map((p) => p.field));
  const filter: AuditFilter = {};
  const ok = (f: FilterField) => values[f] !== '' && !bad.has(f);

  if (ok('actor')) filter.actorId = values.actor;
  if (ok('action')) {
    if (ACTION.test(values.action)) filter.action = values.action;
    else problem('action', 'audit.filter.action_invalid');
  }
  if (ok('objectType')) filter.objectType = values.objectType;
  if (ok('objectId')) filter.objectId = values.objectId;
  if (ok('result')) {
    if ((RESULTS as readonly string[]).includes(values.result)) filter.result = values.result as AuditResult;
    else problem('result', 'audit.filter.result_invalid');
  }
  if (ok('ip')) {
    if (IP.test(values.ip)) filter.ip = values.ip;
    else problem('ip', 'audit.filter.ip_invalid');
  }
  let from: Date | undefined;
  if (ok('from')) {
    const span = parseTimeSpan(values.from);
    if (span) from = filter.from = span.start;
    else problem('from', 'audit.filter.time_invalid');
  }
  if (ok('to')) {
    const span = parseTimeSpan(values.to);
    if (!span) problem('to', 'audit.filter.time_invalid');
    else if (from && span.end.getTime() <= from.getTime()) problem('to', 'audit.filter.range_reversed');
    else filter.before = span.end;
  }
  if (ok('division')) {
    if (DIVISION.test(values.division) && 'level' in levelOf(values.division))
      filter.division = values.division;
    else problem('division', 'audit.filter.division_invalid');
  }
  return { values, filter, problems };
}

/** The filter as a query string (without '?'), keeping only the fields given. */
export function filterQuery(values: Partial<FilterValues>): string {
  const params = new URLSearchParams();
  for (const f of FILTER_FIELDS) {
    const v = values[f];
    if (v) params.set(f, v);
  }
  return params.toString();
}

/** The fields given, for the audit entry of an export. */
export function givenValues(values: FilterValues): Partial<FilterValues> {
  const out: Partial<FilterValues> = {};
  for (const f of FILTER_FIELDS) if (values[f]) out[f] = values[f];
  return out;
}
