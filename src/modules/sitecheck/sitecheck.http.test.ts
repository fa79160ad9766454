import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS } from '../../app.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { translator } from '../../kernel/i18n/index.ts';
import type { Finding, SiteCheckReport } from './index.ts';

const zh = translator('zh-CN');
const TENANT = '330000';
const DAY = 86_400_000;
const HTML = { accept: 'text/html,application/xhtml+xml' };

interface ReportJson extends SiteCheckReport {
  findings: (Finding & { message: string })[];
}

describe('the website self-check (网站自查) on the demo site', () => {
  let y: TestApp;
  let admin = '';
  let handler = '';
  let person = '';
  const get = (url: string, cookie: string, headers: Record<string, string> = {}) =>
    y.app.inject({ url, headers: { ...headers, ...(cookie ? { cookie } : {}) } });
  /** A check as of `days` from now: the clock the rules read, the data as it is. */
  const checkAt = (days: number) =>
    y.sitecheck.sitecheck.run(systemContext(TENANT), { now: new Date(Date.now() + days * DAY) });
  const of = (r: SiteCheckReport, indicator: Finding['indicator']) =>
    r.findings.filter((f) => f.indicator === indicator);

  before(async () => {
    y = await createTestApp({ seed: true });
    admin = (await signInStaff(y, { roles: ['tenant_admin'], divisionCode: TENANT })).cookie;
    handler = (await signInStaff(y, { roles: ['handler'], divisionCode: '330106' })).cookie;
    const citizen = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
    person = await signIn(y, citizen.username, citizen.password);
  });
  after(() => y.drop());

  it('is the tenant administrator’s: a handler gets 403, nobody signed in 401 (the page: sign in first)', async () => {
    assert.equal((await get('/api/v1/site-check', handler)).statusCode, 403);
    assert.equal((await get('/workbench/site-check', handler, HTML)).statusCode, 403);
    assert.equal((await get('/api/v1/site-check/settings', handler)).statusCode, 403);
    assert.equal((await get('/api/v1/site-check', '')).statusCode, 401);
    assert.equal((await get('/workbench/site-check', '', HTML)).statusCode, 303);

    const res = await get('/api/v1/site-check', admin);
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json() as ReportJson;
    assert.equal(r.tenantId, TENANT);
    // The home page answers, the demo column is fresh, its links open; the empty columns fail it.
    assert.deepEqual(of(r, 'site_accessible'), []);
    assert.deepEqual(of(r, 'home_not_updated'), []);
    assert.deepEqual(of(r, 'broken_links'), []);
    assert.equal(r.passed, false);
    assert.ok(r.linksChecked >= 6, `${r.linksChecked} links`);
    const veto = r.findings.find((f) => f.level === 'veto')!;
    assert.equal(veto.code, 'sitecheck.what.empty_columns_veto');
    assert.equal(veto.message, zh('sitecheck.what.empty_columns_veto', veto.params));
  });

  it('dates the news column at two weeks: its newest item (3 days old) is fresh 10 days on, stale 12 days on', async () => {
    const fresh = await checkAt(10);
    assert.deepEqual(of(fresh, 'column_not_updated'), []);
    assert.deepEqual(of(fresh, 'home_not_updated'), []);
    assert.deepEqual(
      fresh.columns.find((c) => c.code === 'news'),
      { code: 'news', name: '工作动态', days: 13, thresholdDays: 14 },
    );
    const stale = await checkAt(12);
    const news = of(stale, 'column_not_updated').find(
      (f) => f.where[0]!.href === '/publications/categories/news',
    );
    assert.equal(news?.level, 'deduction');
    assert.deepEqual(news?.measured, { value: 15, unit: 'days' });
    assert.deepEqual(news?.threshold, { value: 14, unit: 'days' });
    // The news item is the site's newest: the home page is stale with it, a veto.
    assert.equal(of(stale, 'home_not_updated')[0]?.level, 'veto');
  });

  it('counts the columns without a public publication: the ten empty ones are a veto', async () => {
    const r = await checkAt(0);
    const empty = of(r, 'empty_columns');
    const veto = empty.find((f) => f.level === 'veto')!;
    assert.deepEqual(veto.measured, { value: 10, unit: 'count' });
    assert.deepEqual(veto.where.map((p) => p.href.replace('/publications/categories/', '')).sort(), [
      'key-areas',
      'key-education',
      'key-environment',
      'key-health',
      'key-housing',
      'key-procurement',
      'leaders',
      'personnel',
      'plans',
      'regulations',
    ]);
    assert.equal(empty.filter((f) => f.level === 'notice').length, 10);
  });

  it('finds a broken internal link in a public body, and passes a good one; other sites are not asked', async () => {
    const department = (
      await y.org.departments.list(TENANT, { includeInactive: false, limit: 500, offset: 0 })
    ).items.find((d) => d.name === '西湖区民政局')!.id;
    await y.publications.publications.seed(
      systemContext(TENANT),
      [
        {
          department: '西湖区民政局',
          category: 'news',
          title: '链接自查测试',
          docNumber: '',
          subject: '',
          writtenDaysAgo: 1,
          publishedDaysAgo: 1,
          bodyHtml:
            '<p><a href="/publications/987654">已撤下的通知</a> <a href="/services">办事服务</a> ' +
            '<a href="https://www.gov.cn/">中国政府网</a> <img src="/publications/987654/files/1" alt="图"></p>',
        },
      ],
      () => department,
    );
    const r = await checkAt(0);
    const id = (await y.publications.search.list(TENANT, {}, { limit: 1, offset: 0 })).items[0]!.id;
    assert.deepEqual(
      of(r, 'broken_links').map((f) => [f.params.url, f.level, f.measured?.value, f.where]),
      [
        ['/publications/987654', 'deduction', 404, [{ href: `/publications/${id}`, label: '链接自查测试' }]],
        [
          '/publications/987654/files/1',
          'deduction',
          404,
          [{ href: `/publications/${id}`, label: '链接自查测试' }],
        ],
      ],
    );
  });

  it('finds a question on 网上咨询 left unanswered past 3 months, through the consultations port', async () => {
    const found = await y.app.inject({
      url: `/api/v1/services/items?q=${encodeURIComponent('最低生活保障申请')}`,
    });
    const item = (found.json() as { items: { code: string; name: string }[] }).items.find(
      (i) => i.name === '最低生活保障申请',
    )!;
    const asked = await y.app.inject({
      method: 'POST',
      url: `/api/v1/services/items/${item.code}/questions`,
      headers: { cookie: person },
      payload: { question: '请问低保申请需要哪些材料？' },
    });
    assert.equal(asked.statusCode, 201, asked.body);
    const q = asked.json() as { id: string };
    // Within three months: not overdue, whatever the item promised (supervision's business).
    assert.deepEqual(of(await checkAt(80), 'unanswered_messages'), []);
    const [late] = of(await checkAt(100), 'unanswered_messages');
    assert.equal(late?.level, 'veto');
    assert.deepEqual(late?.where, [{ href: `/workbench/consultations/${q.id}`, label: '最低生活保障申请' }]);
    assert.equal(late?.params.department, '西湖区民政局');
    assert.ok([99, 100].includes(late!.measured!.value), String(late?.measured?.value));
    assert.deepEqual(late?.threshold, { value: 3, unit: 'months' });
  });

  it('keeps thresholds per site: the administrator sets them (audited), a bad value is refused by field', async () => {
    const defaults = (await get('/api/v1/site-check/settings', admin)).json() as {
      thresholds: Record<string, unknown>;
      defaults: Record<string, unknown>;
    };
    assert.deepEqual(defaults.thresholds, defaults.defaults);
    const put = (body: object) =>
      y.app.inject({
        method: 'PUT',
        url: '/api/v1/site-check/settings',
        headers: { cookie: admin },
        payload: body,
      });
    const bad = await put({ ...defaults.defaults, newsDays: 0 });
    assert.equal(bad.statusCode, 400);
    const months = await put({ ...defaults.defaults, unansweredAmount: 13 });
    assert.equal(months.statusCode, 400);
    assert.deepEqual(
      (months.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['unansweredAmount'],
    );
    const ok = await put({ ...defaults.defaults, emptyColumnsVeto: 11 });
    assert.equal(ok.statusCode, 200, ok.body);
    const r = await checkAt(0);
    assert.equal(r.thresholds.emptyColumnsVeto, 11);
    assert.ok(!r.findings.some((f) => f.code === 'sitecheck.what.empty_columns_veto'));
    const audit = await y.db.kysely
      .selectFrom('audit.entry')
      .select('action')
      .where('action', '=', 'sitecheck.thresholds_set')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal((await put(defaults.defaults)).statusCode, 200);
    // A district's administrator reads the site's check, but its thresholds are the whole site's.
    const district = (await signInStaff(y, { roles: ['tenant_admin'], divisionCode: '330106' })).cookie;
    assert.equal((await get('/api/v1/site-check/settings', district)).statusCode, 200);
    const outside = await y.app.inject({
      method: 'PUT',
      url: '/api/v1/site-check/settings',
      headers: { cookie: district },
      payload: defaults.defaults,
    });
    assert.equal(outside.statusCode, 403);
  });

  it('takes the thresholds from the page form: a problem is shown beside its field, a good form saves', async () => {
    const page = await get('/workbench/site-check', admin, HTML);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const csrf = page.cookies.find((c) => c.name === 'yw_csrf');
    const post = (fields: Record<string, string>) =>
      y.app.inject({
        method: 'POST',
        url: '/workbench/site-check/settings',
        headers: {
          cookie: csrf ? `${admin}; yw_csrf=${csrf.value}` : admin,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
      });
    const form = {
      homeDays: '14',
      homeSeconds: '15',
      newsDays: '7',
      noticeMonths: '6',
      staleColumnsVeto: '5',
      emptyColumnsVeto: '5',
      unansweredAmount: '60',
      unansweredUnit: 'working_days',
      windowMonths: '12',
    };
    const bad = await post({ ...form, newsDays: 'x' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="field-newsDays-error"[^>]*>应为 1 至 365 之间的整数。/);
    const good = await post(form);
    assert.equal(good.statusCode, 303, good.body);
    assert.equal(good.headers.location, '/workbench/site-check?saved=1');
    const r = await checkAt(0);
    assert.deepEqual([r.thresholds.newsDays, r.thresholds.unansweredUnit], [7, 'working_days']);
  });

  it('shows the report page: the verdict and counts, findings by indicator with links, the chart, the last checks', async () => {
    const page = await get('/workbench/site-check', admin, HTML);
    assert.equal(page.statusCode, 200, page.body);
    const body = page.body;
    assert.ok(body.includes(zh('sitecheck.verdict.failed')));
    for (const indicator of ['site_accessible', 'home_not_updated', 'column_not_updated', 'empty_columns'])
      assert.ok(body.includes(zh(`sitecheck.indicator.${indicator}`)), indicator);
    assert.ok(body.includes('href="/publications/categories/leaders"'));
    assert.ok(body.includes('<svg role="img" aria-labelledby="freshness-title"'));
    assert.ok(body.includes(zh('sitecheck.history.caption')));
    assert.ok(body.includes('action="/workbench/site-check/settings"'), 'the administrator may change them');
    assert.ok(!body.includes('sitecheck.'), 'every message has a text');
  });
});
