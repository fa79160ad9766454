/**
 * The security events (安全事件) the page and the API show: the time window asked for, and for each
 * alert the audit-log query that lists the entries behind it.
 */
import {
  DEFAULT_EVENTS_HOURS,
  type SecurityAlert,
  type SecurityAlertKind,
} from '../../kernel/audit/index.ts';
import type { FieldProblem } from '../../kernel/errors.ts';
import { filterQuery, parseTimeSpan, type FilterValues } from './audit.filter.ts';

/** The windows the page offers, in hours: an hour, a day, three days, a week, thirty days. */
export const WINDOW_HOURS = [1, 24, 72, 168, 720] as const;
export const ALERT_KINDS: readonly SecurityAlertKind[] = [
  'failed_login_burst',
  'lockout',
  'new_staff_ip',
  'bulk_pii_view',
];

export interface EventWindow {
  values: { hours: string; from: string; to: string };
  from: Date;
  before: Date;
  problems: FieldProblem[];
}

/**
 * The window: from/to when given (dates or date-times, as on the audit page), else the last `hours`
 * (24 unless one of WINDOW_HOURS is chosen) up to now.
 */
export function parseEventWindow(query: unknown, now = new Date()): EventWindow {
  const raw = (query ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : '');
  const values = { hours: str('hours'), from: str('from'), to: str('to') };
  const problems: FieldProblem[] = [];
  let hours: number = DEFAULT_EVENTS_HOURS;
  if (values.hours) {
    const h = Number(values.hours);
    if ((WINDOW_HOURS as readonly number[]).includes(h)) hours = h;
    else problems.push({ field: 'hours', code: 'security.events.window_invalid' });
  }
  let from = new Date(now.getTime() - hours * 3_600_000);
  let before = new Date(now.getTime() + 1);
  if (values.from) {
    const span = values.from.length <= 40 ? parseTimeSpan(values.from) : null;
    if (span) from = span.start;
    else problems.push({ field: 'from', code: 'audit.filter.time_invalid' });
  }
  if (values.to) {
    const span = values.to.length <= 40 ? parseTimeSpan(values.to) : null;
    if (!span) problems.push({ field: 'to', code: 'audit.filter.time_invalid' });
    else if (span.end.getTime() <= from.getTime())
      problems.push({ field: 'to', code: 'audit.filter.range_reversed' });
    else before = span.end;
  }
  if (values.from && !values.to && before.getTime() <= from.getTime())
    problems.push({ field: 'from', code: 'audit.filter.range_reversed' });
  return { values, from, before, problems };
}

/**
 * The audit-log filter that lists exactly the entries behind an alert: its action, its subject and the
 * time from its first entry to its last (to the millisecond). A burst is a run of entries each within
 * the window of the one before, so no entry of that subject falls between its first and its last
 * without being part of it.
 */
export function alertFilter(a: SecurityAlert): Partial<FilterValues> {
  const span = { from: a.firstAt.toISOString(), to: a.lastAt.toISOString() };
  switch (a.kind) {
    case 'failed_login_burst':
      return a.subjectType === 'ip'
        ? { action: 'session.login_failed', ip: a.subject, ...span }
        : { action: 'session.login_failed', objectId: a.subject, ...span };
    case 'lockout':
      return { action: 'session.locked_out', objectId: a.subject, ...span };
    case 'new_staff_ip':
      return { action: 'session.login', actor: a.subject, ip: a.ip ?? '', ...span };
    case 'bulk_pii_view':
      return { action: 'pii.viewed', actor: a.subject, ...span };
  }
}

export function alertAuditUrl(a: SecurityAlert): string {
  return `/workbench/audit?${filterQuery(alertFilter(a))}`;
}
