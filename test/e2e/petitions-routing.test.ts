/**
 * 网上信访's routing rules and attachments in Chromium: the site's petition office (浙江省信访局) sets
 * 城乡建设 to go to the civil affairs bureaus on /workbench/petitions/routing (a wrong type shown beside
 * its select); the city's office (demo.petition) reads them; a citizen's petition with a GIF is refused
 * beside the attachments field with the limit, then filed with a PNG and routed by the new rule. axe
 * runs on every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_ACCOUNTS } from '../../src/app.ts';
import { SAMPLES } from '../../src/kernel/files/sample-files.ts';
import { createStaff } from '../support/staff.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const CITIZEN = DEMO_ACCOUNTS.find((a) => a.username === 'demo.citizen')!;
const ROUTING = '/workbench/petitions/routing';
const textOf = async (page: Page, selector = 'main') => ((await page.textContent(selector)) ?? '').trim();

/** Clicks something that posts a form and waits for the page the answer leads to; returns its status. */
async function post(page: Page, click: () => Promise<void>): Promise<number> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), click()]);
  await page.waitForLoadState();
  return res.status();
}

describe('online petitions: routing rules and attachments (e2e)', { timeout: 600_000 }, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e?.close());

  it('lets the site’s petition office change a rule, a wrong type shown beside its select; the city’s office reads them', async () => {
    const office = await createStaff(e.app, {
      roles: ['petition_officer', 'handler'],
      divisionCode: '330000',
      departmentName: '浙江省信访局',
    });
    const page = await e.newPage();
    await signInThroughPages(page, office.username, office.password, { next: ROUTING });
    assert.equal(await textOf(page, 'h1'), '信访属地管理规则');
    await expectAccessible(page);
    const select = page.getByLabel(/^城乡建设/);
    assert.equal(await select.inputValue(), 'housing');

    // A type the list does not have (as a stale or tampered form would send): beside its select.
    await page.evaluate(() => {
      const s = document.querySelector<HTMLSelectElement>('#field-urban_rural')!;
      s.add(new Option('不存在的类型', 'nonsense', true, true));
    });
    assert.equal(await post(page, () => page.getByRole('button', { name: '保存' }).click()), 400);
    assert.equal(await page.getAttribute('#field-urban_rural', 'aria-invalid'), 'true');
    assert.equal(await textOf(page, '#field-urban_rural-error'), '请从列表中选择一种部门类型。');
    await expectAccessible(page);

    await page.getByLabel(/^城乡建设/).selectOption({ label: '民政' });
    assert.equal(await post(page, () => page.getByRole('button', { name: '保存' }).click()), 303);
    assert.match(await textOf(page, 'main [role="status"]'), /已保存/);
    assert.equal(await page.getByLabel(/^城乡建设/).inputValue(), 'civil_affairs');
    assert.match(await textOf(page, '#field-urban_rural-hint'), /本站设置/);
    await expectAccessible(page);
    await page.context().close();

    const city = await e.newPage();
    await signInThroughPages(city, 'demo.petition', 'Demo#2026petition', { next: ROUTING });
    assert.equal(await city.locator('main select').count(), 0);
    assert.match(await textOf(city, 'main table'), /城乡建设\s*民政/);
    await expectAccessible(city);
    await city.context().close();
  });

  it('refuses a GIF beside the attachments field with the limit; files the petition with a PNG, routed by the rule', async () => {
    const page = await e.newPage();
    await signInThroughPages(page, CITIZEN.username, CITIZEN.password, { next: '/petitions/new' });
    await page.locator('#field-petitioner\\.idNumber').fill(CITIZEN.idNumber);
    await page.locator('#field-petitioner\\.phone').fill('13800138000');
    await page.locator('#field-petitioner\\.address').fill('杭州市西湖区文三路1号');
    await page.getByLabel(/^事项类别/).selectOption({ label: '城乡建设' });
    const pick = () => page.getByRole('button', { name: '选择下一级' }).click();
    await page.locator('#field-place').selectOption({ label: '杭州市' });
    assert.equal(await post(page, pick), 200);
    await page.locator('#field-place-2').selectOption({ label: '西湖区' });
    assert.equal(await post(page, pick), 200);
    await page.locator('#field-place-3').selectOption({ label: '北山街道' });
    await page.locator('#field-matter').fill('小区公共收益去向不明');
    await page.locator('#field-requests').fill('请求公开停车费和广告费收支。');
    await page.locator('#field-facts').fill('业委会三年未公布公共收益收支，业主无从查询。');
    const files = page.getByLabel('证明材料');
    await files.setInputFiles({ name: '动图.gif', mimeType: 'image/gif', buffer: SAMPLES.gif() });
    const submit = () => page.getByRole('button', { name: '提交信访事项' }).click();
    assert.equal(await post(page, submit), 400);
    assert.equal(await page.getAttribute('#field-attachments', 'aria-invalid'), 'true');
    assert.match(
      await textOf(page, '#field-attachments-error'),
      /动图\.gif：不接受此类文件（按内容识别为 GIF），只能上传 JPEG\/PNG\/PDF 文件/,
    );
    assert.match(await textOf(page, '#field-attachments-hint'), /最多 5 个文件，每个不超过 5 MB/);
    assert.equal(
      await page.locator('#field-matter').inputValue(),
      '小区公共收益去向不明',
      'what was typed stays',
    );
    await expectAccessible(page);

    await page.getByLabel('证明材料').setInputFiles({
      name: '收支公告.png',
      mimeType: 'image/png',
      buffer: SAMPLES.png(),
    });
    assert.equal(await post(page, submit), 303);
    await page.waitForURL(/\/account\/petitions\/[\w-]+\?submitted=1$/);
    const main = await textOf(page);
    assert.match(main, /收支公告\.png/);
    assert.match(main, /西湖区民政局/, 'routed by the site’s rule');
    await expectAccessible(page);
    await visit(page, '/account/petitions');
    await page.context().close();
  });
});
