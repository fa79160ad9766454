/**
 * Staff in Chromium: an auditor enrols TOTP at the first login and signs in with a code afterwards;
 * five wrong passwords lock a name; axe on every page on the way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_STAFF } from '../../src/app.ts';
import { totpCode } from '../support/staff.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const demo = (username: string) => DEMO_STAFF.find((s) => s.username === username)!;
const textOf = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();

describe('staff sign-in (e2e)', { timeout: 300_000 }, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e?.close());

  it('makes the auditor enrol TOTP, then asks for a code at the next login', async () => {
    const page = await e.newPage();
    const auditor = demo('demo.auditor');
    const secret = await signInThroughPages(page, auditor.username, auditor.password);
    assert.ok(secret, 'an auditor must enrol');
    assert.equal(await textOf(page, 'h1'), '工作台首页');
    await expectAccessible(page);

    // Log out from the workbench header, then sign in again: the password alone is not enough.
    await page.click('header form[action="/logout"] button');
    await page.waitForURL((u) => u.pathname === '/');
    await visit(page, '/login?next=%2Fworkbench');
    await page.fill('#field-username', auditor.username);
    await page.fill('#field-password', auditor.password);
    await page.click('main form button[type="submit"]');
    await page.waitForURL(/\/login\/mfa/);
    assert.equal(await textOf(page, 'h1'), '输入验证码');
    await expectAccessible(page);
    await page.fill('#field-code', '000000');
    await page.click('main form button[type="submit"]');
    await page.waitForSelector('#field-code-error');
    assert.equal(await page.getAttribute('#field-code', 'aria-invalid'), 'true');
    await expectAccessible(page);
    // The app's next code (the one used at enrolment is refused as a replay).
    await page.fill('#field-code', totpCode(secret, Date.now() + 30_000));
    await page.click('main form button[type="submit"]');
    await page.waitForURL((u) => u.pathname === '/workbench');
    assert.equal(await textOf(page, 'h1'), '工作台首页');
  });

  it('locks a name after five wrong passwords, even for the right one, and says for how long', async () => {
    const page = await e.newPage();
    const handler = demo('demo.handler');
    await visit(page, '/login');
    for (let i = 0; i < 5; i++) {
      await page.fill('#field-username', handler.username);
      await page.fill('#field-password', `Wrong#${i}password`);
      await page.click('main form button[type="submit"]');
      await page.waitForSelector('.error-summary');
      assert.match(await textOf(page, '.error-summary'), /账户名或密码不正确/);
    }
    await page.fill('#field-username', handler.username);
    await page.fill('#field-password', handler.password);
    await page.click('main form button[type="submit"]');
    await page.waitForSelector('.error-summary');
    assert.match(await textOf(page, '.error-summary'), /锁定/);
    assert.match(await textOf(page, '.error-summary'), /15/);
    await expectAccessible(page);
    await visit(page, '/workbench').catch(() => undefined);
    assert.match(page.url(), /\/login\?next=%2Fworkbench$/);
  });
});
