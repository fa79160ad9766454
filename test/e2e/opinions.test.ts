/**
 * 征集意见 in Chromium, each person in their own browser: the demo citizen finds the open demo
 * solicitation (居家养老服务补贴) at /opinions, writes an opinion through the form (a first try too short
 * shows the error beside the field); 西湖区民政局's writer (demo.publisher) closes it early with a reason
 * on the workbench, marks the opinion 采纳 and publishes the feedback report; the citizen sees the report
 * on the page and the adoption in 我的意见. axe runs on every page.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../src/app.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const CITIZEN = DEMO_ACCOUNTS.find((a) => a.username === 'demo.citizen')!;
const OPINION = '建议将补贴标准的下限提高到每人每月四百元，并明确发放日期。';

const passwordOf = (username: string) =>
  [...DEMO_STAFF, ...DEMO_ACCOUNTS].find((a) => a.username === username)!.password;
const textOf = async (page: Page, selector = 'main') => ((await page.textContent(selector)) ?? '').trim();

/** Clicks something that posts a form and waits for the page the answer leads to; returns its status. */
async function post(page: Page, click: () => Promise<void>): Promise<number> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), click()]);
  await page.waitForLoadState();
  return res.status();
}

describe(
  'public consultations: a citizen comments, the department answers, the citizen reads the report (e2e)',
  { timeout: 600_000 },
  () => {
    let e: E2E;
    let url = '';
    const refused: string[] = [];
    const signIn = async (username: string, next: string) => {
      const page = await e.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
          refused.push(`${page.url()}: ${m.text()}`);
      });
      await signInThroughPages(page, username, passwordOf(username), { next });
      return page;
    };

    before(async () => {
      e = await startE2E();
    });
    afterEach(() => assert.deepEqual(refused.splice(0), []));
    after(() => e?.close());

    it('lets a citizen comment on an open draft, the error beside the field first', async () => {
      const page = await signIn(CITIZEN.username, '/opinions');
      await expectAccessible(page);
      await page.getByRole('link', { name: /居家养老服务补贴实施办法/ }).click();
      await page.waitForURL(/\/opinions\/\d+$/);
      url = new URL(page.url()).pathname;
      assert.match(await textOf(page), /进行中/);
      assert.match(await textOf(page), /第三条 补贴标准/);
      await expectAccessible(page);

      await page.getByLabel(/^涉及条款/).fill('第三条');
      await page.getByLabel(/^意见内容/).fill('太短');
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交意见' }).click()), 400);
      assert.equal(await page.getByLabel(/^意见内容/).getAttribute('aria-invalid'), 'true');
      assert.match(await textOf(page, '#field-body-error'), /长度应为 5 至 2000 字/);
      assert.equal(await page.getByLabel(/^涉及条款/).inputValue(), '第三条', 'what was typed stays');
      await expectAccessible(page);

      await page.getByLabel(/^意见内容/).fill(OPINION);
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交意见' }).click()), 303);
      assert.match(await textOf(page), /感谢您的意见，已提交成功/);
      assert.match(await textOf(page), /张\*\*/);
      await expectAccessible(page);

      await visit(page, '/account/opinions');
      assert.match(await textOf(page, 'main table'), /已受理/);
      await expectAccessible(page);
      await page.context().close();
    });

    it('lets the department close it early, mark the opinion adopted and publish the report', async () => {
      assert.ok(url, 'no opinion was written');
      const page = await signIn('demo.publisher', '/workbench/opinions');
      await expectAccessible(page);
      await page.getByRole('link', { name: /居家养老服务补贴实施办法/ }).click();
      await page.waitForURL(/\/workbench\/opinions\/\d+$/);
      assert.match(await textOf(page), new RegExp(OPINION));
      assert.match(await textOf(page), /张演示/, 'the department sees the name');
      await expectAccessible(page);

      const close = page.getByRole('region', { name: '提前结束征集' });
      await close.getByLabel(/^调整原因/).fill('已收集到足够意见');
      assert.equal(await post(page, () => close.getByRole('button', { name: '提前结束' }).click()), 303);
      assert.match(await textOf(page), /已结束/);
      await expectAccessible(page);

      await page
        .getByRole('checkbox', { name: /选择第 \d+ 号意见/ })
        .first()
        .check();
      await page.getByRole('radio', { name: '采纳', exact: true }).check();
      await page.getByLabel(/^理由说明/).fill('已在第三条中明确发放日期。');
      assert.equal(await post(page, () => page.getByRole('button', { name: '标注采纳情况' }).click()), 303);
      await expectAccessible(page);

      const publish = page.getByRole('region', { name: '公布意见采纳情况' });
      await publish.getByLabel(/^总体说明/).fill('征求意见期间收到意见1条，已采纳。');
      assert.equal(await post(page, () => publish.getByRole('button', { name: '公布' }).click()), 303);
      assert.match(await textOf(page), /共收到有效意见 1 条：采纳 1 条/);
      await expectAccessible(page);
      await page.context().close();
    });

    it('shows the citizen the published report and the adoption of their opinion', async () => {
      const page = await signIn(CITIZEN.username, url);
      const report = await textOf(page, 'section[aria-labelledby="report"]');
      assert.match(report, /意见采纳情况反馈/);
      assert.match(report, /张\*\*/);
      assert.match(report, /采纳：已在第三条中明确发放日期/);
      assert.doesNotMatch(await textOf(page), /张演示/);
      assert.match(await textOf(page), /征集已于 .+ 结束，不再接收意见/);
      await expectAccessible(page);
      await visit(page, '/account/opinions');
      assert.match(await textOf(page, 'main table'), /采纳：已在第三条中明确发放日期/);
      await expectAccessible(page);
      await page.context().close();
    });
  },
);
