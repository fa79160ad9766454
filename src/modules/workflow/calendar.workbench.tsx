/**
 * The working-day calendar in the workbench (/workbench/calendar): a year as twelve month tables, the
 * year's holidays and make-up workdays, and a form to enter the site's own schedule for the year.
 *
 * The schedule is entered as lines of text, the way an administrator copies the State Council's
 * notice: one day or one run of days per line, its name, and 休 (off) or 班 (worked):
 *
 *   2027-01-01 元旦 休
 *   2027-02-11~2027-02-17 春节 休
 *   2027-02-07 春节 班
 *
 * A run of holidays is one line, as the notice writes it; lines starting with # are notes. A problem
 * is shown beside the text box naming its line.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import {
  CsrfField,
  Field,
  Form,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
} from '../../kernel/pages/index.tsx';
import { parseDate, type SpecialDay, type YearDays } from './calendar.ts';
import type { CalendarService, DayInput } from './calendar.service.ts';

const DAY_MS = 86_400_000;
const HOLIDAY_WORDS = new Set(['休', '放假', '假', 'holiday', 'off']);
const WORKDAY_WORDS = new Set(['班', '上班', '补班', 'workday', 'work']);
/** The longest run one line may hold (a typo's year-long run would bury the real problems). */
const MAX_RUN = 31;
/** The first year of the national data; earlier years have weekends only. */
const FIRST_YEAR = 2004;

/** The days the lines name, each with the line it came from (for errors beside the field). */
export interface ParsedLines {
  holidays: DayInput[];
  workdays: DayInput[];
  holidayLines: number[];
  workdayLines: number[];
  problems: FieldProblem[];
}

/** 2027-1-1 and 2027/01/01 read as 2027-01-01; anything else is left for the date check to name. */
function normalDate(text: string): string {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : text;
}

const kindOf = (word: string) => {
  const w = word.toLowerCase();
  return HOLIDAY_WORDS.has(w) ? 'holidays' : WORKDAY_WORDS.has(w) ? 'workdays' : null;
};

export function parseLines(text: string, field: string): ParsedLines {
  const out: ParsedLines = { holidays: [], workdays: [], holidayLines: [], workdayLines: [], problems: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const words = raw
      .trim()
      .split(/[\s\u3000,，、]+/)
      .filter(Boolean);
    if (words.length === 0 || words[0]!.startsWith('#')) return;
    const problem = (code: string) => void out.problems.push({ field, code, params: { line } });
    const [first, ...rest] = words as [string, ...string[]];
    if (!/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/.test(first)) return problem('workflow.calendar.line_format');
    // The kind word is normally last; the name is everything else.
    let kindAt = rest.length - 1;
    while (kindAt >= 0 && !kindOf(rest[kindAt]!)) kindAt--;
    if (kindAt < 0) return problem('workflow.calendar.line_kind');
    const kind = kindOf(rest[kindAt]!)!;
    const name = rest.filter((_, j) => j !== kindAt).join(' ');
    const [from, to, extra] = first.split(/~|～|至|\.\./).map(normalDate) as [string, ...string[]];
    let dates = [from];
    if (to !== undefined) {
      const a = parseDate(from);
      const b = parseDate(to);
      if (!a || !b || extra !== undefined || b < a || (b.getTime() - a.getTime()) / DAY_MS >= MAX_RUN)
        return problem('workflow.calendar.line_range');
      dates = [];
      for (let t = a.getTime(); t <= b.getTime(); t += DAY_MS)
        dates.push(new Date(t).toISOString().slice(0, 10));
    }
    for (const date of dates) {
      out[kind].push({ date, name });
      (kind === 'holidays' ? out.holidayLines : out.workdayLines).push(line);
    }
  });
  return out;
}

/**
 * The service's problems ('holidays.3.date') as problems of the text field, each naming its line;
 * the same message for several days of one run is said once.
 */
export function problemsOnLines(
  problems: FieldProblem[],
  parsed: ParsedLines,
  field: string,
  t: Translate,
): FieldProblem[] {
  const out = new Map<string, FieldProblem>();
  for (const p of problems) {
    const m = /^(holidays|workdays)\.(\d+)\./.exec(p.field);
    const lines = m?.[1] === 'holidays' ? parsed.holidayLines : parsed.workdayLines;
    const line = m ? lines[Number(m[2])] : undefined;
    const mapped: FieldProblem =
      line === undefined
        ? { field, code: p.code, params: p.params ?? {} }
        : { field, code: 'workflow.calendar.line_problem', params: { line, problem: t(p.code, p.params) } };
    out.set(JSON.stringify(mapped), mapped);
  }
  return [...out.values()];
}

/** A year's days as lines: a run of holidays with one name on one line, everything in date order. */
export function formatLines(y: YearDays): string {
  const entries = [
    ...y.holidays.map((d) => ({ ...d, kind: '休' })),
    ...y.workdays.map((d) => ({ ...d, kind: '班' })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  const continues = (a: (typeof entries)[number], b: (typeof entries)[number] | undefined) =>
    b !== undefined &&
    b.kind === a.kind &&
    b.name === a.name &&
    parseDate(b.date)!.getTime() - parseDate(a.date)!.getTime() === DAY_MS;
  const lines: string[] = [];
  for (let i = 0; i < entries.length;) {
    let j = i;
    while (continues(entries[j]!, entries[j + 1])) j++;
    const e = entries[i]!;
    lines.push(`${j > i ? `${e.date}~${entries[j]!.date}` : e.date} ${e.name} ${e.kind}`);
    i = j + 1;
  }
  return lines.join('\n');
}

/** A month as a table, Monday first; each holiday and make-up workday marked in words, not colour. */
function Month(props: { year: number; month: number; days: YearDays }) {
  const { t, locale } = usePage();
  const holidays = new Map(props.days.holidays.map((d) => [d.date, d]));
  const workdays = new Map(props.days.workdays.map((d) => [d.date, d]));
  const first = new Date(Date.UTC(props.year, props.month, 1));
  const length = new Date(Date.UTC(props.year, props.month + 1, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (Date | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length }, (_, i) => new Date(first.getTime() + i * DAY_MS)),
  ];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const monthName = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(first);
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  const heads = Array.from({ length: 7 }, (_, i) => weekday.format(new Date(Date.UTC(2024, 0, 1 + i))));
  const mark = (d: SpecialDay | undefined, word: string, kind: string) =>
    d ? (
      <>
        {' '}
        <span class="tag">{word}</span>
        <span class="visually-hidden">
          {d.name} {kind}
        </span>
      </>
    ) : null;
  return (
    <li class="card">
      <table>
        <caption>{monthName}</caption>
        <thead>
          <tr>
            {heads.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr>
              {week.map((day) => {
                if (!day) return <td />;
                const date = day.toISOString().slice(0, 10);
                return (
                  <td>
                    {day.getUTCDate()}
                    {mark(
                      holidays.get(date),
                      t('workflow.calendar.mark_holiday'),
                      t('workflow.calendar.kind_holiday'),
                    )}
                    {mark(
                      workdays.get(date),
                      t('workflow.calendar.mark_workday'),
                      t('workflow.calendar.kind_workday'),
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </li>
  );
}

function DayTable(props: { days: YearDays }) {
  const { t } = usePage();
  const rows = [
    ...props.days.holidays.map((d) => ({ ...d, kind: t('workflow.calendar.kind_holiday') })),
    ...props.days.workdays.map((d) => ({ ...d, kind: t('workflow.calendar.kind_workday') })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  if (rows.length === 0) return <p>{t('workflow.calendar.no_days')}</p>;
  return (
    <table>
      <caption>{t('workflow.calendar.list_caption', { year: props.days.year })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('workflow.calendar.date')}</th>
          <th scope="col">{t('workflow.calendar.name')}</th>
          <th scope="col">{t('workflow.calendar.kind')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>{r.date}</td>
            <td>{r.name}</td>
            <td>{r.kind}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The schedule's text box, with every problem beside it (each names its line). */
function LinesField(props: { state: FormState }) {
  const { t } = usePage();
  const id = 'field-days';
  const problems = props.state.problems.filter((p) => p.field === 'days');
  return (
    <div class={problems.length > 0 ? 'field field-error' : 'field'}>
      <label for={id}>{t('workflow.calendar.days')}</label>
      <p class="hint" id={`${id}-hint`}>
        {t('workflow.calendar.days_hint')}
      </p>
      {problems.length > 0 ? (
        <ul class="error-message" id={`${id}-error`}>
          {problems.map((p) => (
            <li>{t(p.code, p.params)}</li>
          ))}
        </ul>
      ) : null}
      <textarea
        id={id}
        name="days"
        rows={16}
        cols={48}
        maxLength={20_000}
        spellcheck={false}
        aria-invalid={problems.length > 0 ? 'true' : undefined}
        aria-describedby={problems.length > 0 ? `${id}-hint ${id}-error` : `${id}-hint`}
      >
        {props.state.values.days ?? ''}
      </textarea>
    </div>
  );
}

interface View {
  year: number;
  days: YearDays;
  firstEditable: number;
  mayEdit: boolean;
  state: FormState;
}

function calendarPage(t: Translate, v: View) {
  const { year, days } = v;
  const status =
    days.source === 'site'
      ? t('workflow.calendar.source_site', { year })
      : days.source === 'national'
        ? t('workflow.calendar.source_national', { year })
        : t('workflow.calendar.source_none', { year });
  const years: number[] = [];
  for (let y = Math.max(v.firstEditable + 1, year); y >= Math.min(FIRST_YEAR, year); y--) years.push(y);
  return workbenchPage(
    t,
    t('workflow.calendar.title'),
    <>
      <h1>{t('workflow.calendar.title')}</h1>
      <p class="lead">{t('workflow.calendar.intro')}</p>
      <SavedNotice />
      <form method="get" action="/workbench/calendar" class="search-form">
        <label for="calendar-year">{t('workflow.calendar.year')}</label>
        <select id="calendar-year" name="year">
          {years.map((y) => (
            <option value={String(y)} selected={y === year}>
              {y}
            </option>
          ))}
        </select>
        <button type="submit">{t('workflow.calendar.show')}</button>
      </form>
      <h2>{t('workflow.calendar.year_heading', { year })}</h2>
      <p>
        {status}
        {days.source !== 'none' && !days.published ? ` ${t('workflow.calendar.draft')}` : ''}
      </p>
      <p>{t('workflow.calendar.legend')}</p>
      <ul class="cards">
        {Array.from({ length: 12 }, (_, m) => (
          <Month year={year} month={m} days={days} />
        ))}
      </ul>
      <DayTable days={days} />
      {year < v.firstEditable ? (
        <p>{t('workflow.calendar.year_past', { year })}</p>
      ) : !v.mayEdit ? (
        <p>{t('workflow.calendar.not_editable')}</p>
      ) : (
        <>
          <h2>{t('workflow.calendar.edit', { year })}</h2>
          <p>{t('workflow.calendar.edit_hint')}</p>
          <Form
            action={`/workbench/calendar/${year}`}
            state={v.state}
            submitLabel={t('workflow.calendar.save', { year })}
          >
            <LinesField state={v.state} />
            <Field
              name="published"
              label={t('workflow.calendar.published')}
              state={v.state}
              options={[
                { value: 'yes', label: t('workflow.calendar.published_yes') },
                { value: 'no', label: t('workflow.calendar.published_no') },
              ]}
            />
          </Form>
          {days.source === 'site' ? (
            <form method="post" action={`/workbench/calendar/${year}/reset`} class="inline-form">
              <CsrfField />
              <p>{t('workflow.calendar.reset_hint', { year })}</p>
              <button type="submit" class="secondary">
                {t('workflow.calendar.reset')}
              </button>
            </form>
          ) : null}
        </>
      )}
    </>,
  );
}

/** A year from the URL, or 404. */
function yearOf(text: string | undefined, fallback?: number): number {
  if (text === undefined && fallback !== undefined) return fallback;
  const year = Number(text);
  if (!/^\d{4}$/.test(String(text)) || year < 2000 || year > 2100)
    throw notFound('errors.not_found', { path: '' });
  return year;
}

export function calendarWorkbenchPages(app: FastifyInstance, deps: { calendars: CalendarService }): void {
  const { calendars } = deps;

  async function view(req: FastifyRequest, year: number, state?: FormState): Promise<View> {
    const days = (await calendars.forTenant(req.site.tenantId)).days(year);
    return {
      year,
      days,
      firstEditable: calendars.firstEditableYear(),
      mayEdit: calendars.mayEdit(auditContextOf(req)),
      state: state ?? {
        values: {
          days: formatLines(days),
          published: days.published || days.source === 'none' ? 'yes' : 'no',
        },
        problems: [],
      },
    };
  }

  app.get(
    '/workbench/calendar',
    { schema: { hide: true }, config: { access: 'workflow.calendar.manage' } },
    async (req, reply) => {
      const year = yearOf((req.query as { year?: string }).year, calendars.firstEditableYear());
      return reply.page(calendarPage(req.t, await view(req, year)));
    },
  );

  app.post(
    '/workbench/calendar/:year',
    { schema: { hide: true }, config: { access: 'workflow.calendar.manage' } },
    async (req, reply) => {
      const year = yearOf((req.params as { year: string }).year);
      const shown = await view(req, year);
      return submitForm(
        req,
        reply,
        async (v) => {
          const parsed = parseLines(v.days ?? '', 'days');
          if (parsed.problems.length > 0) throw invalidFields(parsed.problems);
          try {
            await calendars.setYear(auditContextOf(req), year, {
              published: v.published !== 'no',
              holidays: parsed.holidays,
              workdays: parsed.workdays,
            });
          } catch (e) {
            if (e instanceof DomainError && e.fields.length > 0)
              throw invalidFields(problemsOnLines(e.fields, parsed, 'days', req.t));
            throw e;
          }
          return `/workbench/calendar?year=${year}&saved=1`;
        },
        (state) => calendarPage(req.t, { ...shown, state }),
      );
    },
  );

  app.post(
    '/workbench/calendar/:year/reset',
    { schema: { hide: true }, config: { access: 'workflow.calendar.manage' } },
    async (req, reply) => {
      const year = yearOf((req.params as { year: string }).year);
      const shown = await view(req, year);
      return submitForm(
        req,
        reply,
        async () => {
          await calendars.resetYear(auditContextOf(req), year);
          return `/workbench/calendar?year=${year}&saved=1`;
        },
        (state) =>
          calendarPage(req.t, { ...shown, state: { ...shown.state, formProblem: state.formProblem } }),
      );
    },
  );
}
