import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff, type StaffLogin } from '../../../test/support/staff.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { nationalCalendar } from './calendar.ts';
import { checkYear } from './calendar.service.ts';
import { formatLines, parseLines, problemsOnLines } from './calendar.workbench.tsx';

const zh = translator('zh-CN');
const HTML = { accept: 'text/html,application/xhtml+xml' };
const THIS_YEAR = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
const NEXT = THIS_YEAR + 1;

describe('the schedule as lines of text', () => {
  it('reads days, runs of days, names and 休/班, skipping notes and blank lines', () => {
    const parsed = parseLines(
      [
        '# 国务院办公厅通知',
        '2027-01-01 元旦 休',
        '',
        '2027-2-6～2027-2-8 春节 放假',
        '2027/02/13  春节 班',
      ].join('\n'),
      'days',
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.holidays.map((d) => `${d.date} ${d.name}`),
      ['2027-01-01 元旦', '2027-02-06 春节', '2027-02-07 春节', '2027-02-08 春节'],
    );
    assert.deepEqual(parsed.holidayLines, [2, 4, 4, 4]);
    assert.deepEqual(parsed.workdays, [{ date: '2027-02-13', name: '春节' }]);
    assert.deepEqual(parsed.workdayLines, [5]);
  });

  it('names the line of each problem it cannot read', () => {
    const parsed = parseLines(
      ['元旦 2027-01-01 休', '2027-01-01 元旦', '2027-02-10~2027-02-06 春节 休'].join('\n'),
      'days',
    );
    assert.deepEqual(
      parsed.problems.map((p) => [p.code, p.params?.line]),
      [
        ['workflow.calendar.line_format', 1],
        ['workflow.calendar.line_kind', 2],
        ['workflow.calendar.line_range', 3],
      ],
    );
  });

  it("puts the service's problems on the lines they came from, once per line", () => {
    const parsed = parseLines('2027-02-06~2027-02-08 休\n2027-02-09 春节 班', 'days');
    let problems: { field: string; code: string; params?: Record<string, string | number> }[] = [];
    try {
      checkYear(2027, { published: true, holidays: parsed.holidays, workdays: parsed.workdays });
    } catch (e) {
      problems = (e as { fields: typeof problems }).fields;
    }
    const onLines = problemsOnLines(problems, parsed, 'days', zh);
    assert.deepEqual(
      onLines.map((p) => p.params?.line),
      [1, 1, 1, 2],
    );
    assert.ok(onLines.every((p) => p.field === 'days' && p.code === 'workflow.calendar.line_problem'));
    assert.match(String(onLines[3]!.params!.problem), /2027-02-09/);
  });

  it('writes a year back as lines that read as the same days, runs on one line', () => {
    const y2026 = nationalCalendar().days(2026);
    const text = formatLines(y2026);
    assert.match(text, /^2026-01-01~2026-01-03 元旦 休$/m);
    assert.match(text, /^2026-01-04 元旦 班$/m);
    assert.match(text, /^2026-10-01~2026-10-07 国庆节 休$/m);
    const again = parseLines(text, 'days');
    assert.deepEqual(again.problems, []);
    assert.deepEqual(
      again.holidays.map((d) => d.date).sort(),
      y2026.holidays.map((d) => d.date),
    );
    assert.deepEqual(
      again.workdays.map((d) => d.date).sort(),
      y2026.workdays.map((d) => d.date),
    );
  });
});

describe('the calendar workbench page', () => {
  let t: TestApp;
  let admin: StaffLogin;
  let wired = false;
  before(async () => {
    t = await createTestApp();
    wired = t.app.hasRoute({ method: 'GET', url: '/workbench/calendar' });
    if (wired) admin = await signInStaff(t, { roles: ['tenant_admin'], divisionCode: '330000' });
  });
  after(() => t.drop());

  /** Until src/app.ts passes the database to createWorkflowModule, the page does not exist. */
  const unwired = (c: TestContext) => {
    if (!wired) c.skip('src/app.ts does not pass the database to createWorkflowModule yet');
    return !wired;
  };
  const get = (url: string, cookie = admin.cookie) =>
    t.app.inject({ url, headers: { ...HTML, ...(cookie ? { cookie } : {}) } });
  const post = (url: string, form: Record<string, string>, cookie: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams(form).toString(),
    });
  function page(res: LightMyRequestResponse, status = 200): string {
    assert.equal(res.statusCode, status, res.body.slice(0, 500));
    assert.match(res.body, /^<!doctype html>/);
    return res.body;
  }
  /** The page's form, as a browser would send it back: the cookies and the hidden token. */
  async function openForm(url: string) {
    const res = await get(url);
    const html = page(res);
    const csrf = res.cookies.find((c) => c.name === 'yw_csrf')!;
    const token = /<input type="hidden" name="_csrf" value="([^"]+)"\/>/.exec(html)![1]!;
    return { cookie: `${admin.cookie}; yw_csrf=${csrf.value}`, token, html };
  }

  it('sends strangers to sign in and refuses staff without the permission', async (c) => {
    if (unwired(c)) return;
    const anonymous = await get('/workbench/calendar', '');
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/login\?next=/);
    const handler = await signInStaff(t, { roles: ['handler'], divisionCode: '330000' });
    page(await get('/workbench/calendar', handler.cookie), 403);
  });

  it('shows a year as twelve month tables, holidays and make-up workdays marked in words', async (c) => {
    if (unwired(c)) return;
    const html = page(await get('/workbench/calendar?year=2026'));
    assert.equal([...html.matchAll(/<li class="card"><table><caption>[^<]+<\/caption>/g)].length, 12);
    // 国庆 on 1 October and the make-up Saturday 10 October, in text.
    assert.match(
      html,
      /<td>1 <span class="tag">休<\/span><span class="visually-hidden">国庆节 放假<\/span><\/td>/,
    );
    assert.match(
      html,
      /<td>10 <span class="tag">班<\/span><span class="visually-hidden">国庆节 调休上班<\/span><\/td>/,
    );
    assert.ok(html.includes(zh('workflow.calendar.source_national', { year: 2026 })));
    // A past year is shown, never offered for editing.
    const past = page(await get(`/workbench/calendar?year=${THIS_YEAR - 1}`));
    assert.ok(!past.includes('name="days"'));
    assert.ok(past.includes(zh('workflow.calendar.year_past', { year: THIS_YEAR - 1 })));
    page(await get('/workbench/calendar?year=1900'), 404);
    // A county's administrator sees the calendar but no form.
    const county = await signInStaff(t, { roles: ['tenant_admin'], divisionCode: '330102' });
    const theirs = page(await get(`/workbench/calendar?year=${NEXT}`, county.cookie));
    assert.ok(theirs.includes(zh('workflow.calendar.not_editable')));
    assert.ok(!theirs.includes('name="days"'));
  });

  it('keeps what was typed and shows each problem beside the text box, naming its line', async (c) => {
    if (unwired(c)) return;
    const form = await openForm(`/workbench/calendar?year=${NEXT}`);
    assert.ok(form.html.includes(zh('workflow.calendar.source_none', { year: NEXT })));
    const typed = `${NEXT}-01-01 元旦 休\n${NEXT}-02-30 春节 休\n${NEXT}-01-01 元旦`;
    const res = await post(
      `/workbench/calendar/${NEXT}`,
      { _csrf: form.token, days: typed, published: 'yes' },
      form.cookie,
    );
    const html = page(res, 400);
    const line2 = zh('workflow.calendar.line_kind', { line: 3 });
    assert.ok(html.includes(line2), 'the unreadable line is named');
    assert.match(
      html,
      /<textarea[^>]*aria-invalid="true"[^>]*aria-describedby="field-days-hint field-days-error"/,
    );
    assert.ok(html.includes('<ul class="error-message" id="field-days-error">'));
    assert.ok(html.includes(`>${NEXT}-01-01 元旦 休\n${NEXT}-02-30 春节 休\n${NEXT}-01-01 元旦</textarea>`));

    // Readable lines, but a date that does not exist: named with its line.
    const again = await post(
      `/workbench/calendar/${NEXT}`,
      { _csrf: form.token, days: `${NEXT}-01-01 元旦 休\n${NEXT}-02-30 春节 休`, published: 'yes' },
      form.cookie,
    );
    const problem = zh('workflow.calendar.line_problem', {
      line: 2,
      problem: zh('workflow.calendar.date_invalid', { value: `${NEXT}-02-30` }),
    });
    assert.ok(page(again, 400).includes(problem));
  });

  it('saves the year, shows it as the site’s own, and goes back to the national schedule', async (c) => {
    if (unwired(c)) return;
    const form = await openForm(`/workbench/calendar?year=${NEXT}`);
    const saved = await post(
      `/workbench/calendar/${NEXT}`,
      { _csrf: form.token, days: `# 测试\n${NEXT}-03-02~${NEXT}-03-04 测试假期 休`, published: 'no' },
      form.cookie,
    );
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    assert.equal(saved.headers.location, `/workbench/calendar?year=${NEXT}&saved=1`);
    const shown = page(await get(`/workbench/calendar?year=${NEXT}&saved=1`));
    assert.ok(shown.includes(zh('common.saved')));
    assert.ok(shown.includes(zh('workflow.calendar.source_site', { year: NEXT })));
    assert.ok(shown.includes(zh('workflow.calendar.draft')));
    assert.ok(shown.includes(`>${NEXT}-03-02~${NEXT}-03-04 测试假期 休</textarea>`));
    assert.match(shown, /<option value="no" selected>/);

    const reset = await post(`/workbench/calendar/${NEXT}/reset`, { _csrf: form.token }, form.cookie);
    assert.equal(reset.statusCode, 303);
    const back = page(await get(`/workbench/calendar?year=${NEXT}`));
    assert.ok(!back.includes(zh('workflow.calendar.source_site', { year: NEXT })));
    assert.ok(!back.includes(`/workbench/calendar/${NEXT}/reset`));
  });

  it('is in the workbench menu for those who may use it', async (c) => {
    if (unwired(c)) return;
    const html = page(await get('/workbench'));
    assert.ok(html.includes('href="/workbench/calendar"'));
  });
});
