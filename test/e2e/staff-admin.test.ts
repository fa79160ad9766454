/**
 * Staff administration in Chromium: a system administrator creates an account and passes on its
 * one-time link, the person sets a password through it, a security administrator grants a role and
 * sets password expiry. axe on every page, error states included; no JavaScript needed anywhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createStaff } from '../support/staff.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

async function submit(page: Page, label: string): Promise<number> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: label, exact: true }).click(),
  ]);
  await page.waitForLoadState();
  return res.status();
}

describe('staff administration (e2e)', { timeout: 300_000 }, () => {
  let e: E2E;
  let admin: Page;
  let security: Page;
  let linkUrl = '';
  let newId = '';
  before(async () => {
    e = await startE2E();
    const sys = await createStaff(e.app, { roles: ['system_admin'], divisionCode: '330100' });
    const sec = await createStaff(e.app, { roles: ['security_admin'] });
    admin = await e.newPage();
    security = await e.newPage();
    await signInThroughPages(admin, sys.username, sys.password);
    await signInThroughPages(security, sec.username, sec.password);
  });
  after(() => e?.close());

  it('the system administrator creates an account and sees its one-time link', async () => {
    await visit(admin, '/workbench/staff');
    await expectAccessible(admin);
    await admin.getByRole('link', { name: '新建工作人员账户' }).click();
    await admin.waitForURL(/\/workbench\/staff\/new$/);
    await expectAccessible(admin);
    assert.equal(await submit(admin, '创建账户'), 400);
    assert.equal(await admin.getAttribute('#field-username', 'aria-invalid'), 'true');
    await expectAccessible(admin);
    await admin.fill('#field-username', 'e2e.person');
    await admin.fill('#field-displayName', '吴端到端');
    const dept = await admin
      .locator('#field-departmentId option', { hasText: '杭州市民政局' })
      .getAttribute('value');
    await admin.selectOption('#field-departmentId', dept!);
    assert.equal(await submit(admin, '创建账户'), 200);
    linkUrl = (await admin.inputValue('#password-link')) ?? '';
    assert.match(linkUrl, /\/password\/[A-Za-z0-9_-]{43}$/);
    await expectAccessible(admin);
    await admin.getByRole('link', { name: '返回该工作人员账户' }).click();
    newId = /\/workbench\/staff\/(\d+)/.exec(admin.url())![1]!;
    await expectAccessible(admin);
    assert.equal(await submit(admin, '重置密码（生成一次性链接）'), 200);
    linkUrl = await admin.inputValue('#password-link');
    await expectAccessible(admin);
  });

  it('the person sets a password through the link', async () => {
    const person = await e.newPage();
    await visit(person, linkUrl);
    await expectAccessible(person);
    await person.fill('#field-password', 'weakpass');
    assert.equal(await submit(person, '设置密码'), 400);
    await expectAccessible(person);
    await person.fill('#field-password', 'Qiantang#2026river');
    await submit(person, '设置密码');
    assert.match(person.url(), /\/login\?set=1$/);
    const again = await person.goto(linkUrl);
    assert.equal(again?.status(), 404);
    await expectAccessible(person);
  });

  it('the security administrator grants a role, sees refusals, roles and settings', async () => {
    await visit(security, `/workbench/staff/${newId}`);
    await expectAccessible(security);
    await security.selectOption('#field-role', 'handler');
    assert.equal(await submit(security, '授予'), 303);
    assert.ok((await security.textContent('main'))?.includes('承办人'));
    await expectAccessible(security);
    await security.selectOption('#field-role', 'auditor');
    assert.equal(await submit(security, '授予'), 400);
    await expectAccessible(security);
    await visit(security, '/workbench/roles');
    await expectAccessible(security);
    await visit(security, '/workbench/security');
    await expectAccessible(security);
    await security.fill('#field-passwordMaxAgeDays', 'abc');
    assert.equal(await submit(security, '保存'), 400);
    await expectAccessible(security);
    await security.fill('#field-passwordMaxAgeDays', '90');
    assert.equal(await submit(security, '保存'), 303);
    assert.match(security.url(), /saved=1$/);
    await expectAccessible(security);
  });
});
