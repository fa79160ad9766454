import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, startE2E, visit, type E2E } from './support.ts';

describe('a citizen registers, logs out and logs in (e2e)', { timeout: 300_000 }, () => {
  let e2e: E2E;
  let page: Page;
  before(async () => {
    e2e = await startE2E();
    page = await e2e.newPage();
  });
  after(() => e2e.close());

  it('shows what is wrong beside each field of the registration form', async () => {
    await visit(page, '/');
    await page.click('.header-links a[href="/register"]');
    await page.waitForURL('**/register');
    await expectAccessible(page);
    await page.fill('#field-displayName', '王小明');
    await page.fill('#field-idNumber', '110105194912310021');
    await page.fill('#field-username', 'wang.xm');
    await page.fill('#field-password', 'abc');
    await page.click('form button[type="submit"]');
    await page.waitForSelector('.error-summary');
    assert.equal(await page.getAttribute('#field-idNumber', 'aria-invalid'), 'true');
    assert.match((await page.textContent('.field-error #field-idNumber-error')) ?? '', /校验码/);
    assert.equal(await page.getAttribute('#field-password', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#field-password'), '', 'a password is never sent back');
    assert.equal(await page.inputValue('#field-username'), 'wang.xm', 'the rest is kept');
    await expectAccessible(page);
  });

  it('registers, lands on the account page with the ID number masked', async () => {
    await page.fill('#field-idNumber', '11010519491231002X');
    await page.fill('#field-password', 'Xihu#2026lake');
    await page.click('form button[type="submit"]');
    await page.waitForURL('**/account?saved=1');
    assert.equal(await page.textContent('h1'), '我的账户');
    const facts = (await page.textContent('dl.facts')) ?? '';
    assert.match(facts, /110105\*{8}002X/);
    assert.ok(!facts.includes('11010519491231002X'));
    assert.match((await page.textContent('.header-links')) ?? '', /王小明/);
    await expectAccessible(page);
  });

  it('logs out, then logs back in through the login page', async () => {
    await page.click('form[action="/logout"] button');
    await page.waitForURL((u) => u.pathname === '/');
    assert.match((await page.textContent('.header-links')) ?? '', /登录/);
    await visit(page, '/account');
    assert.match(page.url(), /\/login\?next=%2Faccount$/);
    await expectAccessible(page);
    await page.fill('#field-username', 'wang.xm');
    await page.fill('#field-password', 'wrong-password');
    await page.click('form button[type="submit"]');
    await page.waitForSelector('.error-summary');
    assert.match((await page.textContent('.error-summary')) ?? '', /账户名或密码不正确/);
    await expectAccessible(page);
    await page.fill('#field-password', 'Xihu#2026lake');
    await page.click('form button[type="submit"]');
    await page.waitForURL('**/account');
    assert.equal(await page.textContent('h1'), '我的账户');
  });
});
