/**
 * The auditor's pages and the security events page in Chromium: filter by keyboard, bad input beside
 * the field, the CSV download, the forms without JavaScript; axe on each page.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { signInStaff } from '../support/staff.ts';
import { expectAccessible, startE2E, visit, type E2E } from './support.ts';

const textOf = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();

describe('audit pages (e2e)', { timeout: 300_000 }, () => {
  let e: E2E;
  let auditorCookie: string;
  let adminCookie: string;
  before(async () => {
    e = await startE2E();
    auditorCookie = (await signInStaff(e.app, { roles: ['auditor'] })).cookie;
    adminCookie = (await signInStaff(e.app, { roles: ['security_admin'] })).cookie;
    // Something to find: failed logins from one address, one name locked.
    for (let i = 0; i < 12; i++) {
      await e.app.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: i < 6 ? 'e2e.locked' : `e2e.spray${i}`, password: 'Wrong#password1' },
      });
    }
  });
  after(() => e?.close());

  async function pageAs(cookie: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await e.newPage(options);
    const [name, value] = cookie.split('=') as [string, string];
    await page.context().addCookies([{ name, value, url: e.base }]);
    return page;
  }

  it('filters the audit log from the keyboard and keeps the filter', async () => {
    const page = await pageAs(auditorCookie);
    await visit(page, '/workbench/audit');
    assert.equal(await textOf(page, 'h1'), '审计日志');
    await expectAccessible(page);
    await page.getByLabel('操作类型').fill('session.login_failed');
    await page.getByLabel('结果', { exact: true }).selectOption({ label: '失败' });
    await Promise.all([
      page.waitForURL(/action=session\.login_failed/),
      page.getByLabel('操作类型').press('Enter'),
    ]);
    assert.match(await textOf(page, 'table caption'), /审计记录（共 11 条）/);
    assert.equal(await page.inputValue('#field-action'), 'session.login_failed');
    assert.equal(await page.inputValue('#field-result'), 'failure');
    assert.equal(await page.locator('table tbody tr').count(), 11);
    await expectAccessible(page);
  });

  it('shows a bad date beside its field', async () => {
    const page = await pageAs(auditorCookie);
    await visit(page, '/workbench/audit');
    await page.getByLabel('起始时间').fill('2026-02-30');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/workbench/audit?')),
      page.getByRole('button', { name: '查询' }).click(),
    ]);
    assert.equal(res.status(), 400);
    await page.waitForLoadState();
    assert.match(await textOf(page, '#field-from-error'), /请输入有效的日期或时间/);
    assert.equal(await page.getAttribute('#field-from', 'aria-invalid'), 'true');
    await expectAccessible(page);
  });

  it('downloads the CSV with the filter, and records the export', async () => {
    const page = await pageAs(auditorCookie);
    await visit(page, '/workbench/audit?action=session.locked_out');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '按当前条件导出 CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^audit-330000-\d{12}\.csv$/);
    const file = await readFile((await download.path())!);
    assert.deepEqual([...file.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = file.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /,session\.locked_out,username,e2e\.locked,denied,/);
    await visit(page, '/workbench/audit?action=audit.exported');
    assert.match(await textOf(page, 'table tbody'), /导出 1 条/);
  });

  it('works without JavaScript', async () => {
    const page = await pageAs(auditorCookie, { javaScriptEnabled: false });
    await visit(page, '/workbench/audit');
    await page.getByLabel('操作人').fill('anonymous');
    await Promise.all([
      page.waitForURL(/actor=anonymous/),
      page.getByRole('button', { name: '查询' }).click(),
    ]);
    assert.match(await textOf(page, 'table caption'), /审计记录（共 \d+ 条）/);
  });

  it('shows the security events and takes another period', async () => {
    const page = await pageAs(adminCookie);
    await visit(page, '/workbench/security/events');
    assert.equal(await textOf(page, 'h1'), '安全事件');
    const kinds = await page.locator('table tbody th[scope="row"]').allTextContents();
    assert.ok(kinds.includes('登录失败次数异常'), kinds.join());
    assert.ok(kinds.includes('账号锁定'), kinds.join());
    await expectAccessible(page);
    await page.getByLabel('统计时段').selectOption({ label: '最近 7 天' });
    await Promise.all([page.waitForURL(/hours=168/), page.getByRole('button', { name: '查看' }).click()]);
    assert.equal(await page.inputValue('#field-hours'), '168');
    await expectAccessible(page);
  });
});
