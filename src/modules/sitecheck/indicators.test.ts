import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkCalendar } from '../workflow/index.ts';
import {
  addMonths,
  checkThresholds,
  columnFindings,
  DEFAULT_THRESHOLDS,
  homeAccessFindings,
  homeFreshnessFindings,
  linkFindings,
  messageFindings,
  summarize,
  thresholdsOf,
  unansweredCutoff,
  type ColumnFacts,
  type OpenMessage,
} from './indicators.ts';
import { internalPath } from './link-check.ts';

// 2026-03-02 12:00 in Beijing: the instant every check here is made at.
const NOW = new Date('2026-03-02T04:00:00Z');
const DAY = 86_400_000;
const ago = (days: number, hours = 0) =>
  new Date(NOW.getTime() - days * DAY - hours * 3_600_000).toISOString();
const T = DEFAULT_THRESHOLDS;

const column = (
  code: string,
  kind: ColumnFacts['kind'],
  latest: string | null,
  parentCode: string | null = null,
) => ({
  code,
  name: `栏目${code}`,
  kind,
  parentCode,
  latestPublicAt: latest,
  publicCount: latest === null ? 0 : 1,
});

describe('thresholds', () => {
  it("default to the indicators' and take a site's stored values over them", () => {
    assert.deepEqual(thresholdsOf(null), T);
    assert.deepEqual(thresholdsOf({ newsDays: 7, unansweredUnit: 'working_days', bogus: 1 }), {
      ...T,
      newsDays: 7,
      unansweredUnit: 'working_days',
    });
  });

  it('refuse what is out of range, naming the field', () => {
    assert.deepEqual(checkThresholds(T), []);
    const problems = checkThresholds({ ...T, newsDays: 0, noticeMonths: Number.NaN, unansweredAmount: 13 });
    assert.deepEqual(
      problems.map((p) => p.field),
      ['newsDays', 'noticeMonths', 'unansweredAmount'],
    );
    assert.deepEqual(checkThresholds({ ...T, unansweredUnit: 'working_days', unansweredAmount: 60 }), []);
    assert.deepEqual(
      checkThresholds({ ...T, unansweredUnit: 'weeks' as 'months' }).map((p) => p.code),
      ['sitecheck.threshold.unit'],
    );
  });
});

describe('首页 (home page)', () => {
  it('is stale (veto) once the newest publication is older than 2 weeks, and fresh a day before', () => {
    assert.deepEqual(homeFreshnessFindings(ago(13), T, NOW), []);
    assert.deepEqual(homeFreshnessFindings(ago(14), T, NOW), []);
    const [stale] = homeFreshnessFindings(ago(15), T, NOW);
    assert.equal(stale?.level, 'veto');
    assert.equal(stale?.code, 'sitecheck.what.home_stale');
    assert.deepEqual(stale?.measured, { value: 15, unit: 'days' });
    assert.deepEqual(stale?.threshold, { value: 14, unit: 'days' });
    assert.deepEqual(stale?.where, [{ href: '/', label: null }]);
  });

  it('with nothing published at all, is a veto too', () => {
    assert.equal(homeFreshnessFindings(null, T, NOW)[0]?.code, 'sitecheck.what.home_no_content');
  });

  it('must answer 200 within the seconds allowed', () => {
    assert.deepEqual(homeAccessFindings({ status: 200, ms: 800 }, T), []);
    assert.equal(homeAccessFindings({ status: 503, ms: 5 }, T)[0]?.code, 'sitecheck.what.home_unreachable');
    assert.equal(homeAccessFindings({ status: null, ms: 5 }, T)[0]?.level, 'veto');
    assert.equal(homeAccessFindings({ status: 200, ms: 15_000 }, T)[0]?.code, 'sitecheck.what.home_slow');
  });
});

describe('栏目不更新 (columns not updated)', () => {
  it('dates a news column at 2 weeks: a day before is fresh, a day after is a deduction', () => {
    const { findings, ages } = columnFindings(
      [column('fresh', 'news', ago(13)), column('stale', 'news', ago(15))],
      T,
      NOW,
    );
    assert.deepEqual(
      findings.map((f) => [f.where[0]!.href, f.level, f.measured?.value]),
      [['/publications/categories/stale', 'deduction', 15]],
    );
    assert.deepEqual(
      ages.map((a) => [a.code, a.days, a.thresholdDays]),
      [
        ['fresh', 13, 14],
        ['stale', 15, 14],
      ],
    );
  });

  it('dates notice and policy columns at 6 months (to the day), interpretations and others never', () => {
    // 6 months before 2026-03-02 12:00 is 2025-09-02 12:00, Beijing time.
    const { findings } = columnFindings(
      [
        column('n-fresh', 'notice', '2025-09-03T04:00:00Z'),
        column('n-stale', 'notice', '2025-09-01T04:00:00Z'),
        column('p-fresh', 'policy', '2025-09-02T05:00:00Z'),
        column('p-stale', 'policy', '2025-09-02T03:00:00Z'),
        column('old-interpretation', 'interpretation', '2020-01-01T00:00:00Z'),
        column('old-other', 'other', '2020-01-01T00:00:00Z'),
      ],
      T,
      NOW,
    );
    assert.deepEqual(
      findings.map((f) => [f.where[0]!.label, f.threshold]),
      [
        ['栏目n-stale', { value: 6, unit: 'months' }],
        ['栏目p-stale', { value: 6, unit: 'months' }],
      ],
    );
  });

  it('makes 5 stale columns a veto (超过（含）5个), counting notice and policy columns at the first level only', () => {
    const stale = [1, 2, 3, 4].map((i) => column(`news${i}`, 'news', ago(20)));
    const child = column('child', 'notice', ago(400), 'parent');
    const four = columnFindings([...stale, child], T, NOW).findings;
    assert.equal(four.filter((f) => f.level === 'deduction').length, 5, 'each is reported');
    assert.equal(four.filter((f) => f.level === 'veto').length, 0, 'the child does not count');
    const five = columnFindings([...stale, child, column('top', 'policy', ago(400))], T, NOW).findings;
    const veto = five.find((f) => f.level === 'veto')!;
    assert.equal(veto.code, 'sitecheck.what.stale_columns_veto');
    assert.deepEqual(veto.measured, { value: 5, unit: 'count' });
    assert.equal(veto.where.length, 5);
  });
});

describe('空白栏目 (empty columns)', () => {
  it('lists each empty column, and 5 or more of them is a veto; 4 is not', () => {
    const empties = (n: number) => Array.from({ length: n }, (_, i) => column(`e${i}`, 'other', null));
    const four = columnFindings([...empties(4), column('news', 'news', ago(1))], T, NOW).findings;
    assert.equal(four.length, 4);
    assert.ok(four.every((f) => f.indicator === 'empty_columns' && f.level === 'notice'));
    const five = columnFindings(empties(5), T, NOW).findings;
    const veto = five.find((f) => f.level === 'veto')!;
    assert.equal(veto.code, 'sitecheck.what.empty_columns_veto');
    assert.deepEqual(veto.params, { count: 5, max: 5 });
    assert.equal(columnFindings(empties(5), { ...T, emptyColumnsVeto: 6 }, NOW).findings.length, 5);
  });

  it('is not also counted as not updated', () => {
    const { findings } = columnFindings([column('news', 'news', null)], T, NOW);
    assert.deepEqual(
      findings.map((f) => f.indicator),
      ['empty_columns'],
    );
  });
});

describe('互动回应差 (messages left unanswered)', () => {
  const message = (id: string, askedAt: string): OpenMessage => ({
    id,
    title: `事项${id}`,
    askedAt,
    href: `/workbench/consultations/${id}`,
    handledBy: '西湖区民政局',
  });
  const channel = (...messages: OpenMessage[]) => [{ label: 'consultations.workbench.title', messages }];

  it('is a veto once 3 months have passed since the day it was asked, not on the last day', () => {
    // Asked 2025-12-01 (Beijing): due by the end of 2026-03-01, overdue on 2026-03-02.
    const overdue = message('a', '2025-12-01T02:00:00Z');
    const lastDay = message('b', '2025-12-02T02:00:00Z');
    const findings = messageFindings(channel(overdue, lastDay), T, NOW, null);
    assert.deepEqual(
      findings.map((f) => [f.where[0]!.href, f.level, f.params.due, f.measured?.value]),
      [['/workbench/consultations/a', 'veto', '2026-03-01', 91]],
    );
    assert.deepEqual(findings[0]!.threshold, { value: 3, unit: 'months' });
  });

  it('counts working days on the calendar when the site says so', () => {
    const t = { ...T, unansweredAmount: 4, unansweredUnit: 'working_days' as const };
    const weekendsOnly = new WorkCalendar([{ year: 2026, published: true, holidays: [], workdays: [] }]);
    const holiday = new WorkCalendar([
      {
        year: 2026,
        published: true,
        holidays: [{ date: '2026-02-25', name: '测试假日', nameEn: 'Test holiday' }],
        workdays: [],
      },
    ]);
    // Asked Monday 2026-02-23: 4 working days end Friday 2026-02-27, overdue on Monday 2026-03-02…
    const asked = channel(message('a', '2026-02-23T02:00:00Z'));
    const [due] = messageFindings(asked, t, NOW, weekendsOnly);
    assert.equal(due?.params.due, '2026-02-27');
    assert.deepEqual(due?.threshold, { value: 4, unit: 'working_days' });
    // …unless a holiday falls in between: then they end today, and it is not overdue yet.
    assert.deepEqual(messageFindings(asked, t, NOW, holiday), []);
  });

  it("reports one asked before the inspection's year as a notice", () => {
    const [old] = messageFindings(channel(message('old', '2024-12-01T02:00:00Z')), T, NOW, null);
    assert.equal(old?.level, 'notice');
    assert.equal(old?.code, 'sitecheck.what.message_unanswered_old');
  });

  it('asks the channels for everything that may be overdue, never less', () => {
    assert.ok(unansweredCutoff(T, NOW) > new Date('2025-12-02T00:00:00+08:00'));
    assert.ok(
      unansweredCutoff({ ...T, unansweredUnit: 'working_days', unansweredAmount: 5 }, NOW) >=
        new Date('2026-02-25T00:00:00+08:00'),
    );
  });
});

describe('links', () => {
  it('makes 404, 410 and server errors deductions, and says what could not be checked', () => {
    const on = [{ href: '/publications/1', label: '通知' }];
    const findings = linkFindings(
      [
        { url: '/gone', status: 404, foundOn: on },
        { url: '/removed', status: 410, foundOn: on },
        { url: '/fails', status: 500, foundOn: on },
        { url: '/ok', status: 200, foundOn: on },
        { url: '/login-first', status: 303, foundOn: on },
        { url: '/busy', status: null, reason: 'rate_limited', foundOn: on },
      ],
      2,
    );
    assert.deepEqual(
      findings.map((f) => [f.params.url ?? f.code, f.level]),
      [
        ['/gone', 'deduction'],
        ['/removed', 'deduction'],
        ['/fails', 'deduction'],
        ['/busy', 'notice'],
        ['sitecheck.what.links_skipped', 'notice'],
      ],
    );
  });

  it('keeps only links into the site: its paths, its host names, relative paths; not fragments or other sites', () => {
    const hosts = ['www.example.gov.cn'];
    const at = '/publications/7';
    assert.equal(internalPath('/services?x=1#top', at, hosts), '/services?x=1');
    assert.equal(internalPath('https://WWW.example.gov.cn/a', at, hosts), '/a');
    assert.equal(internalPath('files/1', at, hosts), '/publications/files/1');
    assert.equal(internalPath('/publications/低保', at, hosts), '/publications/%E4%BD%8E%E4%BF%9D');
    for (const outside of ['#top', 'https://www.gov.cn/', '//www.gov.cn/x', 'mailto:a@b.cn', 'tel:12345'])
      assert.equal(internalPath(outside, at, hosts), null, outside);
  });
});

describe('the summary', () => {
  it('counts each level and gives each indicator its worst', () => {
    const s = summarize([
      ...homeFreshnessFindings(ago(30), T, NOW),
      ...columnFindings([column('a', 'news', ago(20)), column('b', 'other', null)], T, NOW).findings,
    ]);
    assert.deepEqual([s.veto, s.deduction, s.notice], [1, 1, 1]);
    assert.deepEqual(
      s.indicators.map((i) => [i.indicator, i.level]),
      [
        ['site_accessible', null],
        ['home_not_updated', 'veto'],
        ['column_not_updated', 'deduction'],
        ['empty_columns', 'notice'],
        ['unanswered_messages', null],
        ['broken_links', null],
      ],
    );
  });

  it('adds months as the calendar has them', () => {
    assert.equal(addMonths('2025-08-31', 6), '2026-02-28');
    assert.equal(addMonths('2026-03-31', -1), '2026-02-28');
    assert.equal(addMonths('2025-12-01', 3), '2026-03-01');
  });
});
