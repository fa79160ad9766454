/**
 * 领导信箱管理 and attachments in Chromium: the site administrator (demo.sysadmin, through TOTP
 * enrolment) finds the mailboxes from the dashboard, is told beside the name that one of that name
 * exists, adds one answered by 杭州市人民政府办公厅, edits it and takes the 市长信箱 out of service; a
 * citizen no longer sees that one, attaches a PNG named as a PDF (refused beside the field, what was
 * typed kept), then a real PNG, and finds it on their letter's page; the office's handler (demo.disclosure,
 * for the 省长信箱) finds it on the letter's page too and downloads it. axe runs on every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../src/app.ts';
import { SAMPLES } from '../../src/kernel/files/sample-files.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const passwordOf = (username: string) =>
  [...DEMO_STAFF, ...DEMO_ACCOUNTS].find((a) => a.username === username)!.password;
const textOf = async (page: Page, selector = 'main') => ((await page.textContent(selector)) ?? '').trim();

/** Clicks something that posts a form and waits for the page the answer leads to; returns its status. */
async function post(page: Page, click: () => Promise<void>): Promise<number> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), click()]);
  await page.waitForLoadState();
  return res.status();
}

describe('letters: mailboxes administered, a letter with an attachment (e2e)', { timeout: 600_000 }, () => {
  let e: E2E;
  let letterUrl = '';

  before(async () => {
    e = await startE2E();
  });
  after(() => e?.close());

  it('lets the site administrator add, edit and take mailboxes out of service', async () => {
    const page = await e.newPage();
    await signInThroughPages(page, 'demo.sysadmin', passwordOf('demo.sysadmin'));
    await page.getByRole('link', { name: '领导信箱管理' }).first().click();
    await page.waitForURL(/\/workbench\/letters\/mailboxes$/);
    assert.match(await textOf(page, 'table'), /省长信箱[\s\S]*浙江省人民政府办公厅/);
    await expectAccessible(page);

    await page.getByLabel(/^信箱名称/).fill('省长信箱');
    await page.getByLabel(/^答复部门/).selectOption({ label: '杭州市人民政府办公厅' });
    assert.equal(await post(page, () => page.getByRole('button', { name: '新增信箱' }).click()), 409);
    assert.equal(await page.getByLabel(/^信箱名称/).getAttribute('aria-invalid'), 'true');
    assert.match(await textOf(page, '#field-name-error'), /已有名为“省长信箱”的信箱/);
    await expectAccessible(page);

    await page.getByLabel(/^信箱名称/).fill('副市长信箱');
    await page.getByLabel(/^领导/).fill('杭州市副市长');
    assert.equal(await post(page, () => page.getByRole('button', { name: '新增信箱' }).click()), 303);
    assert.match(await textOf(page), /已保存/);
    assert.match(await textOf(page, 'table'), /副市长信箱[\s\S]*杭州市副市长[\s\S]*杭州市人民政府办公厅/);

    await page.getByRole('link', { name: '副市长信箱' }).click();
    await page.waitForURL(/\/workbench\/letters\/mailboxes\/\d+$/);
    await expectAccessible(page);
    await page.getByLabel(/^排序/).fill('9');
    assert.equal(await post(page, () => page.getByRole('button', { name: '保存' }).click()), 303);

    assert.equal(await post(page, () => page.getByRole('button', { name: '停用 市长信箱' }).click()), 303);
    assert.match(await textOf(page, 'table'), /市长信箱[\s\S]*已停用/);
    await expectAccessible(page);
    await page.close();
  });

  it('lets a citizen attach a file, refusing one whose name and content disagree', async () => {
    const citizen = DEMO_ACCOUNTS.find((a) => a.username === 'demo.citizen')!;
    const page = await e.newPage();
    await signInThroughPages(page, citizen.username, citizen.password, { next: '/letters/new' });
    const mailboxes = await page.locator('#field-mailboxId option').allTextContents();
    assert.ok(mailboxes.includes('副市长信箱') && !mailboxes.includes('市长信箱'), mailboxes.join());
    await page.getByLabel(/^来信类别/).selectOption({ label: '领导信箱' });
    await page.getByLabel(/^领导信箱/).selectOption({ label: '省长信箱' });
    await page.getByLabel(/^标题/).fill('路灯不亮，附现场照片');
    await page
      .getByLabel(/^来信内容/)
      .fill('小区东门外的三盏路灯已经一周不亮了，晚上很黑，附上现场照片，请尽快修复。');
    await page.getByLabel(/^联系电话/).fill('13812345678');
    await page
      .getByLabel(/^附件/)
      .setInputFiles({ name: '现场.pdf', mimeType: 'application/pdf', buffer: SAMPLES.png() });
    await expectAccessible(page);
    assert.equal(await post(page, () => page.getByRole('button', { name: '提交来信' }).click()), 400);
    assert.match(await textOf(page, '#field-attachments-error'), /现场\.pdf.*PDF.*PNG/);
    assert.equal(await page.getByLabel(/^附件/).getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel(/^标题/).inputValue(), '路灯不亮，附现场照片', 'what was typed stays');
    await expectAccessible(page);

    await page
      .getByLabel(/^附件/)
      .setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: SAMPLES.png() });
    assert.equal(await post(page, () => page.getByRole('button', { name: '提交来信' }).click()), 303);
    letterUrl = new URL(page.url()).pathname;
    assert.match(letterUrl, /^\/account\/letters\/[A-Za-z0-9_-]+$/);
    const link = page.getByRole('link', { name: '现场.png' });
    assert.match(
      String(await link.getAttribute('href')),
      /^\/api\/v1\/letters\/[^/]+\/attachments\/[0-9a-f]{64}$/,
    );
    await expectAccessible(page);
    await page.close();
  });

  it("shows the attachment to the office's handler, who downloads it", async () => {
    const id = letterUrl.split('/').pop()!;
    const page = await e.newPage();
    await signInThroughPages(page, 'demo.disclosure', passwordOf('demo.disclosure'), {
      next: `/workbench/letters/${id}`,
    });
    await expectAccessible(page);
    const href = String(await page.getByRole('link', { name: '现场.png' }).getAttribute('href'));
    const file = await page.request.get(href);
    assert.equal(file.status(), 200);
    assert.equal(file.headers()['content-type'], 'image/png');
    assert.deepEqual(await file.body(), SAMPLES.png());
    await visit(page, '/workbench/letters');
    await expectAccessible(page);
    await page.close();
  });
});
