/**
 * The case workflow in Chromium, each person in their own browser: the system administrator defines a
 * same-day process (即办件), a citizen applies for it, the window accepts it, the 民政 handler finds the
 * review task yellow, claims it, the city's supervisor drills down from the dashboard to it and urges it
 * (督办), the handler acknowledges and approves (one submission with JavaScript off), the head grants
 * it, and the citizen sees the outcome and the notification. axe runs on every page, in Chinese and
 * the main ones in English.
 *
 * Why the process is a same-day one: the lights come from the real clock, and a 0-working-day limit is
 * the one honest way to get a yellow task at once. deadline() makes it due at the end of the day it was
 * opened (China time) and yellow from the start of that day's last unit — its only one — held back to
 * the instant it opened: the review task is yellow from the moment the window accepts. A sweep of the
 * timers then raises the warning event and its escalation, as the worker would within seconds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../src/app.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const CODE = 'assistance.same-day';
const TITLE = '临时救助申请（火灾）';
const URGE = '请于今日下班前办结';
const OPINION = '情况属实，同意救助';

const textOf = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();

const passwordOf = (username: string) =>
  [...DEMO_STAFF, ...DEMO_ACCOUNTS].find((a) => a.username === username)!.password;

/** The demo process with a same-day review step: due at the end of today, yellow from now. */
function sameDayProcess(): Record<string, unknown> {
  const file = path.join(import.meta.dirname, '../../src/modules/workflow/processes/demo.assistance.json');
  const def = JSON.parse(readFileSync(file, 'utf8')) as {
    steps: { review: { limit: unknown } };
  } & Record<string, unknown>;
  def.code = CODE;
  def.name = { 'zh-CN': '临时救助申请（当日办结）', en: 'Temporary assistance (same day)' };
  def.steps.review.limit = { amount: 0, unit: 'working-days' };
  return def;
}

/** Submits the action form in the region (section) named, and waits for the answer; returns its status. */
async function submitAction(page: Page, region: string, button: string): Promise<number> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page
      .getByRole('region', { name: region, exact: true })
      .getByRole('button', { name: button, exact: true })
      .click(),
  ]);
  await page.waitForLoadState();
  return res.status();
}

/** The row of a table that links to the case. */
const rowOf = (page: Page, number: string) =>
  page.locator('tbody tr', { has: page.getByRole('link', { name: number, exact: true }) });

/**
 * The China day ends at 16:00 UTC; a task due then turns red. A run started in the last minutes of the
 * day waits for the next one rather than watching its yellow task go red halfway.
 */
async function notTooCloseToMidnight(): Promise<void> {
  const msIntoChinaDay = (Date.now() + 8 * 3_600_000) % 86_400_000;
  const left = 86_400_000 - msIntoChinaDay;
  if (left < 5 * 60_000) await new Promise((r) => setTimeout(r, left + 2_000));
}

describe('case workflow (e2e)', { timeout: 600_000 }, () => {
  let e: E2E;
  let number = '';
  let handler: Page;
  // What the Content-Security-Policy refused (an inline style, a script): a page that renders wrong.
  const refused: string[] = [];
  const newPage = async (options?: BrowserContextOptions) => {
    const page = await e.newPage(options);
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
        refused.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  };
  before(async () => {
    await notTooCloseToMidnight();
    e = await startE2E();
  });
  afterEach(() => assert.deepEqual(refused.splice(0), []));
  after(() => e?.close());

  it('lets the system administrator read, edit and add process definitions, and see the calendar', async () => {
    const page = await newPage();
    await signInThroughPages(page, 'demo.sysadmin', passwordOf('demo.sysadmin'));
    await page.locator('nav.side-nav').getByRole('link', { name: '流程定义' }).click();
    await page.waitForURL(/\/workbench\/workflow\/definitions$/);
    assert.equal(await textOf(page, 'h1'), '流程定义');
    await expectAccessible(page);

    // One definition, its steps and versions, and its editor.
    await page.getByRole('link', { name: '临时救助申请（演示）' }).click();
    await page.waitForURL(/\/definitions\/demo\.assistance$/);
    assert.match(await textOf(page, 'main table'), /民政审核/);
    await expectAccessible(page);
    await page.getByRole('link', { name: '修改', exact: true }).click();
    await page.waitForURL(/\/definitions\/demo\.assistance\/edit$/);
    const json = page.getByLabel('流程定义（JSON）');
    assert.equal((JSON.parse(await json.inputValue()) as { code: string }).code, 'demo.assistance');
    await expectAccessible(page);

    // Broken JSON is refused beside the text, and what was typed is kept.
    await json.fill('{ "code": "demo.assistance", ');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: '保存为新版本' }).click(),
    ]);
    await page.waitForLoadState();
    assert.equal(res.status(), 400);
    assert.equal(await page.locator('#field-json').getAttribute('aria-invalid'), 'true');
    assert.ok((await textOf(page, '#field-json-error')).length > 0);
    assert.equal(await page.locator('#field-json').inputValue(), '{ "code": "demo.assistance", ');
    assert.ok(await page.locator('.error-summary a[href="#field-json"]').isVisible());
    await expectAccessible(page);

    // A new, same-day process (即办件): the rest of this file runs on it.
    await visit(page, '/workbench/workflow/definitions');
    await page.getByRole('link', { name: '新建流程定义' }).click();
    await page.waitForURL(/\/definitions\/new$/);
    await expectAccessible(page);
    await page.getByLabel('流程定义（JSON）').fill(JSON.stringify(sameDayProcess(), null, 2));
    await Promise.all([
      page.waitForURL(new RegExp(`/definitions/${CODE.replace('.', '\\.')}\\?saved=1$`)),
      page.getByRole('button', { name: '保存为新版本' }).click(),
    ]);
    assert.equal(await textOf(page, 'main [role="status"]'), '已保存。');
    // The steps in the order a case meets them, the review's limit 0 working days.
    const steps = await page.locator('main table tbody tr td:first-child').allTextContents();
    assert.deepEqual(
      steps.map((x) => x.split(' ')[0]),
      ['窗口受理', '民政审核', '民政负责人审批'],
    );
    assert.match(await textOf(page, 'main table'), /民政审核[\s\S]*0 个?工作日/);
    await expectAccessible(page);

    // In English.
    await visit(page, '/workbench/workflow/definitions?lang=en');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(await page.getByRole('link', { name: 'Temporary assistance (same day)' }).isVisible());
    await expectAccessible(page);
    await visit(page, `/workbench/workflow/definitions/${CODE}`);
    await expectAccessible(page);

    // The working-day calendar, in English and in Chinese.
    await visit(page, '/workbench/calendar');
    await expectAccessible(page);
    await visit(page, '/workbench/calendar?lang=zh-CN');
    assert.equal(await textOf(page, 'h1'), '工作日历');
    await expectAccessible(page);
    await page.context().close();
  });

  it('takes a citizen’s application and the window’s acceptance into a yellow review task', async () => {
    const citizen = await newPage();
    await signInThroughPages(citizen, 'demo.citizen', passwordOf('demo.citizen'), { next: '/account/cases' });
    const res = await citizen.request.post('/api/v1/cases', {
      data: {
        definition: CODE,
        title: TITLE,
        data: { reason: '家中失火，生活困难', amount: 3000 },
        division: '330106',
      },
    });
    assert.equal(res.status(), 201, await res.text());
    number = ((await res.json()) as { number: string }).number;
    await citizen.context().close();

    const officer = await newPage();
    await signInThroughPages(officer, 'demo.window', passwordOf('demo.window'), { next: '/workbench/tasks' });
    assert.equal(await textOf(officer, 'h1'), '我的待办');
    assert.match(await rowOf(officer, number).innerText(), /窗口受理[\s\S]*绿灯 · 正常[\s\S]*待认领/);
    await expectAccessible(officer);
    await rowOf(officer, number).getByRole('link', { name: number }).click();
    await officer.waitForURL(new RegExp(`/workbench/cases/${number}$`));
    assert.ok((await textOf(officer, 'h1')).startsWith(TITLE));
    await expectAccessible(officer);
    assert.equal(await submitAction(officer, '受理（任务 1 窗口受理）', '受理'), 303);
    assert.equal(await textOf(officer, 'main [role="status"]'), '已保存。');
    await expectAccessible(officer);

    // Staff may open an internal case as well: the form of the process chosen.
    await visit(officer, '/workbench/cases/new');
    await expectAccessible(officer);
    await officer.getByLabel('事项流程').selectOption({ label: '临时救助申请（演示）' });
    await officer.getByRole('button', { name: '下一步' }).click();
    await officer.waitForURL(/\/workbench\/cases\/new\?definition=demo\.assistance$/);
    assert.ok(await officer.getByLabel('申请事由').isVisible());
    await expectAccessible(officer);
    await officer.context().close();

    // What the timer worker does within seconds: the warning and its escalation (notify the head).
    await e.app.workflow.timers.sweep();
  });

  it('shows the handler the yellow task in words, on the list and the case, and lets them claim it', async () => {
    handler = await newPage();
    await signInThroughPages(handler, 'demo.handler', passwordOf('demo.handler'), {
      next: '/workbench/tasks',
    });
    const row = rowOf(handler, number);
    assert.match(await row.innerText(), /民政审核/);
    // The light is a word, not only a colour.
    assert.equal(await row.locator('.light').getAttribute('class'), 'light light-yellow');
    assert.equal((await row.locator('.light').innerText()).trim(), '黄灯 · 临近期限');
    await expectAccessible(handler);

    // The filter by light keeps it.
    await handler.getByLabel('时限状态').selectOption({ label: '黄灯 · 临近期限' });
    await handler.getByRole('button', { name: '筛选' }).click();
    await handler.waitForURL(/light=yellow/);
    assert.equal(await rowOf(handler, number).count(), 1);
    await expectAccessible(handler);

    await rowOf(handler, number).getByRole('link', { name: number }).click();
    await handler.waitForURL(new RegExp(`/workbench/cases/${number}$`));
    const tasks = handler.locator('main table tbody tr');
    assert.match(await tasks.nth(0).innerText(), /窗口受理[\s\S]*已办结/);
    assert.match(await tasks.nth(1).innerText(), /民政审核[\s\S]*黄灯 · 临近期限/);
    assert.match(await textOf(handler, 'ol.timeline'), /任务 2 亮黄灯：办理时限即将用完/);
    assert.match(await textOf(handler, 'ol.timeline'), /任务 2 已提醒部门负责人（周科长）/);
    await expectAccessible(handler);

    assert.equal(await submitAction(handler, '认领（任务 2 民政审核）', '认领'), 303);
    assert.match(await tasks.nth(1).innerText(), /刘承办/);
    assert.match(await textOf(handler, 'ol.timeline li:last-child'), /刘承办\s*认领任务 2/);
    assert.ok(await handler.getByRole('region', { name: '审核通过（任务 2 民政审核）' }).isVisible());
    await expectAccessible(handler);

    // In English.
    await visit(handler, `/workbench/cases/${number}?lang=en`);
    assert.match(await tasks.nth(1).innerText(), /Yellow/i);
    await expectAccessible(handler);
    await visit(handler, '/workbench/tasks');
    await expectAccessible(handler);
    await visit(handler, '/workbench/tasks?lang=zh-CN');
  });

  it('lets the city’s supervisor drill down from the dashboard to the yellow task and urge it', async () => {
    const page = await newPage();
    await signInThroughPages(page, 'demo.supervisor', passwordOf('demo.supervisor'), {
      next: '/workbench/supervision',
    });
    assert.equal(await textOf(page, 'h1'), '电子监察');
    assert.ok(await page.locator('figure.chart, main p.muted').first().isVisible());
    const ranking = page.locator('tbody tr', { hasText: '西湖区民政局' });
    assert.equal(await ranking.count(), 1);
    await expectAccessible(page);

    // From the department's yellow figure to the tasks behind it.
    await ranking.getByRole('link', { name: '1', exact: true }).click();
    await page.waitForURL(/\/workbench\/supervision\/tasks\?departmentId=\d+&light=yellow$/);
    assert.match(await textOf(page, 'h1'), /在办任务 · 西湖区民政局 · 黄灯 · 临近期限/);
    assert.match(await rowOf(page, number).innerText(), /黄灯 · 临近期限/);
    await expectAccessible(page);

    await rowOf(page, number).getByRole('link', { name: number }).click();
    await page.waitForURL(new RegExp(`/workbench/cases/${number}$`));
    // The way back is the dashboard: a supervisor has no tasks of their own.
    assert.equal(await page.locator('.breadcrumbs a').nth(1).getAttribute('href'), '/workbench/supervision');
    await expectAccessible(page);
    // A supervisor may urge and card, and do none of the handler's work.
    assert.equal(await page.getByRole('region', { name: '审核通过（任务 2 民政审核）' }).count(), 0);

    // An urge needs its note, said beside the field.
    assert.equal(await submitAction(page, '督办', '督办'), 400);
    const note = page.getByRole('region', { name: '督办', exact: true }).getByLabel('督办意见');
    assert.equal(await note.getAttribute('aria-invalid'), 'true');
    assert.ok((await textOf(page, '[id="field-urge-0-.note-error"]')).length > 0);
    await expectAccessible(page);
    await note.fill(URGE);
    assert.equal(await submitAction(page, '督办', '督办'), 303);
    assert.match(await textOf(page, '.urge'), new RegExp(`督办\\s*${URGE}\\s*— 吴监察`));
    assert.match(await textOf(page, 'ol.timeline'), new RegExp(`督办：${URGE}`));
    await expectAccessible(page);

    // In English.
    await visit(page, '/workbench/supervision?lang=en');
    await expectAccessible(page);
    await visit(page, '/workbench/supervision/tasks?light=yellow');
    assert.match(await rowOf(page, number).innerText(), /Yellow/i);
    await expectAccessible(page);
    await page.context().close();
  });

  it('tells the handler of the urge; they acknowledge it and must give an opinion to approve', async () => {
    await visit(handler, '/workbench/tasks');
    assert.match(await rowOf(handler, number).innerText(), /督办/);
    await visit(handler, '/workbench/inbox');
    assert.match(await textOf(handler, 'main table'), new RegExp(`督办通知：${number}`));
    assert.match(await textOf(handler, 'main table'), new RegExp(URGE));
    await expectAccessible(handler);

    await visit(handler, `/workbench/cases/${number}`);
    assert.match(await textOf(handler, '.urge'), new RegExp(URGE));
    await handler
      .getByRole('region', { name: '知悉督办', exact: true })
      .getByLabel('说明')
      .fill('收到，今日办结');
    assert.equal(await submitAction(handler, '知悉督办', '知悉督办'), 303);
    assert.match(await textOf(handler, 'ol.timeline'), /已知悉督办 收到，今日办结/);
    assert.equal(await handler.getByRole('region', { name: '知悉督办', exact: true }).count(), 0);
    await expectAccessible(handler);

    // Approving without an opinion: the problem beside the field, linked from the summary.
    const approve = '审核通过（任务 2 民政审核）';
    assert.equal(await submitAction(handler, approve, '审核通过'), 400);
    const opinion = handler.getByRole('region', { name: approve, exact: true }).getByLabel('审核意见');
    assert.equal(await opinion.getAttribute('aria-invalid'), 'true');
    assert.match(
      (await opinion.getAttribute('aria-describedby')) ?? '',
      /field-step-2-approve\.opinion-error/,
    );
    assert.ok((await textOf(handler, '[id="field-step-2-approve.opinion-error"]')).length > 0);
    await handler.locator('.error-summary a[href="#field-step-2-approve.opinion"]').click();
    assert.equal(await handler.evaluate(() => document.activeElement?.id), 'field-step-2-approve.opinion');
    await expectAccessible(handler);
    await handler.context().close();
  });

  it('works without JavaScript: the handler approves with an opinion through the plain form', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await signInThroughPages(page, 'demo.handler', passwordOf('demo.handler'), {
      next: `/workbench/cases/${number}`,
    });
    const approve = '审核通过（任务 2 民政审核）';
    assert.equal(await submitAction(page, approve, '审核通过'), 400);
    assert.ok((await textOf(page, '[id="field-step-2-approve.opinion-error"]')).length > 0);
    await page.getByRole('region', { name: approve, exact: true }).getByLabel('审核意见').fill(OPINION);
    assert.equal(await submitAction(page, approve, '审核通过'), 303);
    assert.equal(await textOf(page, 'main [role="status"]'), '已保存。');
    assert.match(await textOf(page, 'ol.timeline'), new RegExp(`审核通过 — 审核意见: ${OPINION}`));
    assert.match(await page.locator('main table tbody tr').nth(2).innerText(), /民政负责人审批/);
    await page.context().close();
  });

  it('lets the head grant it; the citizen sees the outcome and the notification', async () => {
    const head = await newPage();
    await signInThroughPages(head, 'demo.head', passwordOf('demo.head'), { next: '/workbench/inbox' });
    // The head heard of the yellow light (the step's notify-head escalation).
    assert.match(await textOf(head, 'main table'), new RegExp(`即将超期（[^）]+）：${number}`));
    await expectAccessible(head);
    await visit(head, `/workbench/cases/${number}`);
    assert.equal(await submitAction(head, '批准（任务 3 民政负责人审批）', '批准'), 303);
    assert.match(await textOf(head, 'dl.facts'), /已办结 · 准予/);
    await expectAccessible(head);
    await head.context().close();

    const citizen = await newPage();
    await signInThroughPages(citizen, 'demo.citizen', passwordOf('demo.citizen'), { next: '/account/cases' });
    assert.match(await rowOf(citizen, number).innerText(), /已办结 · 准予/);
    await expectAccessible(citizen);
    await rowOf(citizen, number).getByRole('link', { name: number }).click();
    await citizen.waitForURL(new RegExp(`/account/cases/${number}$`));
    assert.match(await textOf(citizen, 'dl.facts'), /已办结 · 准予/);
    const timeline = await textOf(citizen, 'ol.timeline');
    assert.match(timeline, /审核通过/);
    // The office's internal business stays inside: no urge, no warning, no claim, no staff names.
    assert.match(timeline, /工作人员\s*办理任务 2：审核通过/);
    assert.match(timeline, /任务 2“民政审核”交西湖区民政局办理/);
    assert.doesNotMatch(timeline, new RegExp(URGE));
    assert.doesNotMatch(timeline, /黄灯|认领|刘承办|周科长|陈窗口/);
    await expectAccessible(citizen);

    await visit(citizen, '/account/inbox');
    assert.match(await textOf(citizen, 'main table'), new RegExp(`办结通知：${number}`));
    assert.match(await textOf(citizen, 'main table'), /办理结果：准予/);
    await expectAccessible(citizen);

    // In English.
    await visit(citizen, `/account/cases/${number}?lang=en`);
    assert.equal(await citizen.getAttribute('html', 'lang'), 'en');
    await expectAccessible(citizen);
    await visit(citizen, '/account/cases');
    await expectAccessible(citizen);
    await visit(citizen, '/account/inbox');
    await expectAccessible(citizen);
    await citizen.context().close();
  });
});
