/**
 * The annual report on government information disclosure in Chromium: the general office's disclosure
 * officer (demo.disclosure, 浙江省人民政府办公厅) opens last year's draft from the workbench list, enters a
 * figure wrongly (the error beside the field), corrects it, finalises, and the public reads the report on
 * the portal. axe runs on every page.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_STAFF } from '../../src/app.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const OFFICER = DEMO_STAFF.find((s) => s.username === 'demo.disclosure')!;
const YEAR = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear() - 1;
const textOf = async (page: Page, selector = 'main') => ((await page.textContent(selector)) ?? '').trim();

/** Clicks something that posts a form and waits for the page the answer leads to; returns its status. */
async function post(page: Page, click: () => Promise<void>): Promise<number> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), click()]);
  await page.waitForLoadState();
  return res.status();
}

describe(
  'annual report: the office compiles, finalises, the public reads it (e2e)',
  { timeout: 600_000 },
  () => {
    let e: E2E;
    const refused: string[] = [];

    before(async () => {
      e = await startE2E();
    });
    afterEach(() => assert.deepEqual(refused.splice(0), []));
    after(() => e?.close());

    it('opens a draft, shows a wrong figure beside its field, finalises, and publishes it', async () => {
      const page = await e.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
          refused.push(`${page.url()}: ${m.text()}`);
      });
      await signInThroughPages(page, OFFICER.username, OFFICER.password, {
        next: '/workbench/disclosure/annual-reports',
      });
      assert.equal(await textOf(page, 'h1'), '政府信息公开工作年度报告');
      await expectAccessible(page);

      await page.getByLabel(/^年度/).selectOption(String(YEAR));
      assert.equal(await post(page, () => page.getByRole('button', { name: '新建草稿' }).click()), 303);
      assert.match(page.url(), new RegExp(`/workbench/disclosure/annual-reports/${YEAR}$`));
      assert.match(await textOf(page, 'h1'), new RegExp(`${YEAR}年政府信息公开工作年度报告`));
      await expectAccessible(page);

      const licensing = page.getByLabel(/^行政许可：本年处理决定数量/);
      await licensing.fill('-1');
      assert.equal(await post(page, () => page.getByRole('button', { name: '保存' }).click()), 400);
      assert.equal(await licensing.getAttribute('aria-invalid'), 'true');
      assert.match(await textOf(page, '#field-figures\\.licensing-error'), /不小于 0 的整数/);
      await expectAccessible(page);

      await licensing.fill('8');
      await page
        .getByLabel(/^一、总体情况/)
        .fill('本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。');
      assert.equal(await post(page, () => page.getByRole('button', { name: '保存' }).click()), 303);
      assert.equal(await licensing.inputValue(), '8');

      assert.equal(await post(page, () => page.getByRole('button', { name: '定稿并公开' }).click()), 303);
      assert.match(await textOf(page, 'main'), /已于 .* 定稿/);
      await expectAccessible(page);

      const reader = await e.newPage();
      await visit(reader, `/disclosure/annual-reports/${YEAR}`);
      assert.match(await textOf(reader, 'h1'), /政府信息公开工作年度报告/);
      assert.match(await textOf(reader, '#table-requests caption'), /收到和处理政府信息公开申请情况/);
      assert.match(await textOf(reader, 'main'), /认真贯彻落实/);
      await expectAccessible(reader);
    });
  },
);
