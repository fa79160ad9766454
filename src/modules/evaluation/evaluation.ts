/**
 * The rules of 好差评 that need no database: the five levels and which are 差评, how long after
 * closing a case may be rated, what a comment may hold, and which department a rating is for.
 */
import type { CaseView } from '../workflow/index.ts';

/**
 * The five levels of 国办发〔2019〕51号 and GB/T 39734-2020 §7.3, best first, with the locale key of
 * each (`evaluation.level.<key>`). 不满意 and 非常不满意 are 差评; the other three count as 好评 in the
 * 好评率 (a 基本满意 is not a complaint, and nothing rectifies it).
 */
export const LEVELS = [
  { value: 5, key: 'very_satisfied' },
  { value: 4, key: 'satisfied' },
  { value: 3, key: 'basically_satisfied' },
  { value: 2, key: 'dissatisfied' },
  { value: 1, key: 'very_dissatisfied' },
] as const;
export type Level = (typeof LEVELS)[number]['value'];

export const levelKey = (level: number) =>
  `evaluation.level.${LEVELS.find((l) => l.value === level)?.key ?? 'unknown'}`;
export const isBadReview = (level: number) => level <= 2;
export const isLevel = (value: unknown): value is Level =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;

/**
 * How long after a case closes its applicant may rate it. GB/T 39734-2020 §7.2 asks for a time
 * limit on evaluating (评价时效) and leaves the figure to the platform; local rules set a week to a
 * month. Fifteen days: long enough to have received the result by post, short enough that the
 * department can still verify what happened.
 */
export const EVALUATION_WINDOW_DAYS = 15;
const DAY_MS = 86_400_000;

export const evaluableUntil = (closedAt: Date) =>
  new Date(closedAt.getTime() + EVALUATION_WINDOW_DAYS * DAY_MS);

/** The longest comment, in characters (code points), after the markup is taken out. */
export const COMMENT_MAX = 500;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * A comment as plain text: tags, comments and script or style content taken out, entities decoded
 * once, line ends normalised, control characters dropped. Pages escape it when they show it; this is
 * so that what a department reads is what the rater meant, not markup pasted from elsewhere. A `<`
 * not followed by a letter ("1<2") is text and stays.
 */
export function plainText(input: string): string {
  return (
    input
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<br\s*\/?>|<\/p\s*>/gi, '\n')
      .replace(/<\/?[A-Za-z][^<>]*>/g, '')
      .replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,6});/gi, (whole, name: string) => {
        if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
          ? String.fromCodePoint(code)
          : '';
      })
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

export const textLength = (s: string) => [...s].length;

/**
 * Who handled the case, for counting and rectifying a rating: "谁办理、谁负责". The department of
 * the last task done (the one that decided), else the case's own; and every department that had a
 * task on it.
 */
export function handlingDepartments(state: CaseView['state']): {
  departmentId: number;
  division: string;
  all: number[];
} {
  const done = state.tasks.filter((t) => t.status === 'done');
  const last = done.reduce<(typeof done)[number] | undefined>(
    (a, t) => (!a || (t.closedAt ?? t.openedAt) >= (a.closedAt ?? a.openedAt) ? t : a),
    undefined,
  );
  const all = [...new Set([state.departmentId, ...state.tasks.map((t) => t.departmentId)])];
  return last
    ? { departmentId: last.departmentId, division: last.division, all }
    : { departmentId: state.departmentId, division: state.division, all };
}

/**
 * The answer a rectification case gave the rater: the text of its last completed step's `reply`
 * field, else of its last comment. The demo process asks for `reply` in its closing actions.
 */
export function replyOf(events: CaseView['events']): string {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'task.completed' && typeof e.input.reply === 'string' && e.input.reply.trim())
      return e.input.reply.trim();
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'comment.added' && e.text.trim()) return e.text.trim();
  }
  return '';
}

/** A China day (UTC+8, no daylight saving) as YYYY-MM-DD. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
export const chinaDay = (at: Date) => new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
export const chinaMinute = (at: Date) =>
  new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
/** The last day of a period ending at `dueAt` (a deadline is the end of its last day, 24:00). */
export const dueDay = (dueAt: Date) => chinaDay(new Date(dueAt.getTime() - 1));
export const startOfChinaDay = (day: string) => new Date(`${day}T00:00:00+08:00`);
export const endOfChinaDay = (day: string) => new Date(startOfChinaDay(day).getTime() + DAY_MS);
