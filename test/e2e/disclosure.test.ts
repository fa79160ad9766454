/**
 * 依申请公开 in Chromium, each person in their own browser: a citizen signs in, files a request for
 * government information through the form (a first try with the identity missing shows the errors
 * beside the fields), and lands on the request's page; a member of the receiving body's disclosure
 * office (demo.disclosure, 浙江省人民政府办公厅) finds it in the department's list and replies 予以公开
 * on the case page; the citizen sees the reply and downloads the 答复书 (PDF). axe runs on every page.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../src/app.ts';
import { pdfText } from '../../src/kernel/pdf/index.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const CITIZEN = DEMO_ACCOUNTS.find((a) => a.username === 'demo.citizen')!;
const DESCRIPTION = '2025年度浙江省本级政府集中采购目录及限额标准的执行情况统计';

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
  'disclosure on request: a citizen asks, the office replies, the citizen downloads the reply (e2e)',
  {
    timeout: 600_000,
  },
  () => {
    let e: E2E;
    let number = '';
    // What the Content-Security-Policy refused (an inline style, a script): a page that renders wrong.
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

    it('lets a citizen file a request through the form, the errors beside the fields first', async () => {
      const page = await signIn(CITIZEN.username, '/disclosure/requests/new');
      await expectAccessible(page);
      // The name comes from the account; the receiving body defaults to the provincial general office.
      assert.equal(await page.getByLabel(/^姓名/).inputValue(), CITIZEN.displayName);
      const body = page.getByLabel(/^受理机关/);
      assert.equal(await body.locator('option:checked').textContent(), '浙江省人民政府办公厅');

      await page.getByLabel(/^所需政府信息的名称/).fill(DESCRIPTION);
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交申请' }).click()), 400);
      const idField = page.getByLabel(/^身份证号码/);
      assert.equal(await idField.getAttribute('aria-invalid'), 'true');
      assert.match(await textOf(page, '#field-requester\\.idNumber-error'), /此项必填/);
      assert.match(await textOf(page, '.error-summary'), /此项必填/);
      assert.equal(
        await page.getByLabel(/^所需政府信息的名称/).inputValue(),
        DESCRIPTION,
        'what was typed stays',
      );
      await expectAccessible(page);

      await idField.fill(CITIZEN.idNumber);
      await page.getByLabel(/^联系电话/).fill('13800138000');
      await page.getByLabel(/^电子邮箱/).fill('zhang@example.com');
      await page.getByLabel(/^载体形式/).selectOption({ label: '电子文档' });
      await page.getByLabel(/^获取方式/).selectOption({ label: '电子邮件' });
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交申请' }).click()), 303);
      await page.waitForURL(/\/account\/disclosure-requests\/[\w-]+\?submitted=1$/);
      const main = await textOf(page);
      assert.match(main, /申请已提交。浙江省人民政府办公厅将在 \d{4}-\d{2}-\d{2} 前答复/);
      assert.match(main, /330106\*{8}123X/, 'the ID number masked');
      number = /办件编号\s*(\d{17})/.exec(main)?.[1] ?? '';
      assert.match(number, /^\d{17}$/);
      await expectAccessible(page);

      await visit(page, '/account/disclosure-requests');
      await expectAccessible(page);
      assert.ok(await page.getByRole('link', { name: number, exact: true }).isVisible());
      await page.context().close();
    });

    it('lets the receiving body reply 予以公开 on the case page', async () => {
      assert.ok(number, 'no request was filed');
      const page = await signIn('demo.disclosure', '/workbench/disclosure-requests');
      await expectAccessible(page);
      await page.getByRole('link', { name: number, exact: true }).click();
      await page.waitForURL(/\/workbench\/disclosure-requests\/[\w-]+$/);
      assert.match(await textOf(page), new RegExp(DESCRIPTION));
      await expectAccessible(page);
      await page.getByRole('link', { name: '到办件页答复' }).click();
      await page.waitForURL(new RegExp(`/workbench/cases/${number}$`));
      await expectAccessible(page);
      const reply = page.getByRole('region', { name: /^予以公开（任务 1 / });
      await reply.getByLabel(/^提供方式/).selectOption({ label: '提供电子文档' });
      await reply.getByLabel(/^获取的方式、途径和时间/).fill('已发送至您的电子邮箱 zhang@example.com');
      assert.equal(
        await post(page, () => reply.getByRole('button', { name: '予以公开', exact: true }).click()),
        303,
      );
      assert.match(await textOf(page), /已办结 · 予以公开/);
      assert.ok(await page.getByRole('link', { name: '下载答复书（PDF）' }).isVisible());
      await expectAccessible(page);
      await page.context().close();
    });

    it('shows the citizen the reply and lets them download the 答复书', async () => {
      assert.ok(number, 'no request was filed');
      const page = await signIn(CITIZEN.username, '/account/disclosure-requests');
      assert.match(await textOf(page, 'main table'), /已答复 · 予以公开/);
      await page.getByRole('link', { name: number, exact: true }).click();
      await page.waitForURL(/\/account\/disclosure-requests\/[\w-]+$/);
      assert.match(await textOf(page), /浙江省人民政府办公厅已于 .+ 作出答复：予以公开/);
      await expectAccessible(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: '下载政府信息公开申请答复书（PDF）' }).click(),
      ]);
      const text = (await pdfText(readFileSync((await download.path())!)))
        .replace(/\s+/g, '')
        .replace(/—\d+—/g, '');
      for (const expected of [
        '政府信息公开申请答复书',
        number,
        `${CITIZEN.displayName}：`,
        DESCRIPTION,
        '予以公开',
        '提供电子文档',
        '浙江省人民政府办公厅',
        '行政复议',
        '行政诉讼',
      ])
        assert.ok(text.includes(expected), `${expected} in the 答复书:\n${text}`);
      await page.context().close();
    });
  },
);
