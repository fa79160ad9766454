/**
 * The words of a policy's lifecycle: its stages, which transition each stage allows and who takes it,
 * the consultation period's rule, the reporting periods of implementation and what a report's cell
 * says. Pure: no database.
 */
import type { FieldProblem } from '../../kernel/errors.ts';
import type { Permission } from '../../kernel/policy/index.ts';

export const STAGES = [
  'draft',
  'consultation',
  'published',
  'implementing',
  'evaluated',
  'revised',
  'repealed',
] as const;
export type Stage = (typeof STAGES)[number];

/** Everything a policy's department does to it after drafting it. */
export const TRANSITIONS = [
  'consultation',
  'document',
  'interpretation',
  'tasks',
  'evaluation',
  'revision',
  'repeal',
] as const;
export type Transition = (typeof TRANSITIONS)[number];

/**
 * Who takes each transition, in the drafting department. The writers (信息发布员) move the paperwork
 * along; the head (部门负责人) takes the two decisions that bind others or end the policy: assigning
 * implementation tasks to departments, and repeal (as withdrawing a publication is the head's).
 */
export const TRANSITION_PERMISSION = {
  consultation: 'publication.write',
  document: 'publication.write',
  interpretation: 'publication.write',
  tasks: 'publication.review',
  evaluation: 'publication.write',
  revision: 'publication.write',
  repeal: 'publication.review',
} as const satisfies Record<Transition, Permission>;

const IN_FORCE: readonly Stage[] = ['published', 'implementing', 'evaluated'];

/** The stages each transition may start from. */
export const TRANSITION_FROM = {
  consultation: ['draft', 'consultation'],
  document: ['draft', 'consultation'],
  interpretation: ['draft', 'consultation', ...IN_FORCE, 'revised'],
  tasks: IN_FORCE,
  evaluation: IN_FORCE,
  revision: IN_FORCE,
  repeal: IN_FORCE,
} as const satisfies Record<Transition, readonly Stage[]>;

export const allows = (stage: Stage, t: Transition) =>
  (TRANSITION_FROM[t] as readonly Stage[]).includes(stage);

/** In force: published and neither revised nor repealed. */
export const inForce = (stage: Stage) => IN_FORCE.includes(stage);

// ---------------------------------------------------------------------------------------------
// Days

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The China day (UTC+8) of an instant, YYYY-MM-DD. */
export const chinaDay = (at: Date) => new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/** A real calendar date written YYYY-MM-DD. */
export const isDate = (s: string) =>
  DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/** Whole days from one date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

// ---------------------------------------------------------------------------------------------
// Public consultation (征求意见)

/**
 * 重大行政决策程序暂行条例 §14: a draft is put out for comment for no less than 30 days; a shorter
 * period, for urgency or the like, is explained when the consultation is announced.
 */
export const CONSULTATION_MIN_DAYS = 30;
export const REASON_MAX = 500;

export interface ConsultationInput {
  opensOn: string;
  closesOn: string;
  /** why the period is shorter than the minimum; '' when it is not */
  shortReason: string;
}

/**
 * The period's length in days, the opening day not counted (民法典 §201: a period in days starts on
 * the next day): opening on 1 June and closing on 1 July is 30 days.
 */
export const consultationDays = (c: Pick<ConsultationInput, 'opensOn' | 'closesOn'>) =>
  daysBetween(c.opensOn, c.closesOn);

export function consultationProblems(c: ConsultationInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isDate(c.opensOn)) problems.push({ field: 'opensOn', code: 'policies.date_invalid' });
  if (!isDate(c.closesOn)) problems.push({ field: 'closesOn', code: 'policies.date_invalid' });
  const reason = c.shortReason.trim();
  if (reason.length > REASON_MAX)
    problems.push({ field: 'shortReason', code: 'policies.reason_length', params: { max: REASON_MAX } });
  if (problems.length > 0) return problems;
  const days = consultationDays(c);
  if (days <= 0) problems.push({ field: 'closesOn', code: 'policies.consultation.close_before_open' });
  else if (days < CONSULTATION_MIN_DAYS && reason.length < 2)
    problems.push({
      field: 'shortReason',
      code: 'policies.consultation.too_short',
      params: { days, min: CONSULTATION_MIN_DAYS },
    });
  return problems;
}

/** Where a consultation stands on a day. */
export const consultationState = (c: { opensOn: string; closesOn: string }, today: string) =>
  today < c.opensOn ? 'scheduled' : today <= c.closesOn ? 'open' : 'closed';

// ---------------------------------------------------------------------------------------------
// Implementation tracking (落实情况)

export const PERIODS = ['monthly', 'quarterly'] as const;
export type Period = (typeof PERIODS)[number];
export const MAX_PERIODS = 36;
/** Reports opened by one assignment at most (departments × periods): each is a case. */
export const MAX_REPORTS = 240;

export interface PeriodSpan {
  no: number;
  /** '2026-07' or '2026-Q3' */
  label: string;
  start: string;
  end: string;
}

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);

/**
 * The reporting periods over a horizon: `count` calendar months or quarters, the first being the one
 * that holds `from` (a YYYY-MM month).
 */
export function periodsOf(period: Period, from: string, count: number): PeriodSpan[] {
  const [y, m] = from.split('-').map(Number) as [number, number];
  const months = period === 'monthly' ? 1 : 3;
  let start = period === 'monthly' ? m - 1 : Math.floor((m - 1) / 3) * 3;
  const out: PeriodSpan[] = [];
  for (let no = 1; no <= count; no++, start += months) {
    const year = y + Math.floor(start / 12);
    const month = start % 12;
    out.push({
      no,
      label:
        period === 'monthly'
          ? `${year}-${String(month + 1).padStart(2, '0')}`
          : `${year}-Q${Math.floor(month / 3) + 1}`,
      start: iso(year, month, 1),
      end: iso(year, month + months, 0),
    });
  }
  return out;
}

export const isMonth = (s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

export const REPORT_STATUSES = ['on_track', 'delayed', 'done'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/**
 * The status a handler chose in the report's form. The demo process offers the Chinese words (the
 * case page shows an enum's values as they are); the codes are accepted too, for other processes.
 */
const STATUS_WORDS: Record<string, ReportStatus> = {
  按计划推进: 'on_track',
  滞后: 'delayed',
  已完成: 'done',
  on_track: 'on_track',
  delayed: 'delayed',
  done: 'done',
};
export const reportStatusOf = (raw: unknown): ReportStatus | null =>
  typeof raw === 'string' ? (STATUS_WORDS[raw.trim()] ?? null) : null;

/** What a report's cell in the matrix says, and its light (the colour only repeats the words). */
export type ReportState =
  'not_opened' | 'upcoming' | 'awaiting' | 'overdue' | 'on_track' | 'delayed' | 'done';

export function reportState(
  r: {
    caseNumber: string | null;
    status: ReportStatus | null;
    reportedAt: Date | null;
    periodEnd: string;
    dueOn: string;
  },
  today: string,
): { state: ReportState; light: 'green' | 'yellow' | 'red' | 'stopped' } {
  if (r.reportedAt) {
    const status = r.status ?? 'on_track';
    return { state: status, light: status === 'delayed' ? 'yellow' : 'green' };
  }
  if (!r.caseNumber) return { state: 'not_opened', light: 'stopped' };
  if (today > r.dueOn) return { state: 'overdue', light: 'red' };
  if (today > r.periodEnd) return { state: 'awaiting', light: 'yellow' };
  return { state: 'upcoming', light: 'stopped' };
}
