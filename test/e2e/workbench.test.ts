/**
 * The staff workbench in Chromium, signed in as the demo system administrator (who enrols TOTP at the
 * first login): dashboard, department and division forms, site settings; axe on each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_STAFF } from '../../src/app.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const textOf = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();

/** Submits the page's form and waits for the answer to load; returns its status. */
async function submitForm(page: Page, label = '保存'): Promise<number> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: label, exact: true }).click(),
  ]);
  await page.waitForLoadState();
  return res.status();
}

describe('workbench (e2e)', { timeout: 300_000 }, () => {
  let e: E2E;
  let page: Page;
  before(async () => {
    e = await startE2E();
    page = await e.newPage();
  });
  after(() => e?.close());

  it('sends a visitor to the login page, and the administrator through TOTP enrolment to the dashboard', async () => {
    await page.goto('/workbench');
    assert.match(page.url(), /\/login\?next=%2Fworkbench$/);
    const admin = DEMO_STAFF.find((s) => s.username === 'demo.sysadmin')!;
    await signInThroughPages(page, admin.username, admin.password);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await textOf(page, 'h1'), '工作台首页');
    assert.equal(await page.getAttribute('nav.side-nav a[href="/workbench"]', 'aria-current'), 'page');
    const cards = await page.locator('main .card h2').allTextContents();
    // 征集意见: the site administrator decides whether opinions are moderated before showing.
    assert.deepEqual(cards.slice(0, 10), [
      '站内消息',
      '领导信箱管理',
      '征集意见',
      '流程定义',
      '工作日历',
      '网站自查',
      '部门管理',
      '行政区划管理',
      '站点设置',
      '站点管理',
    ]);
    // 三员分立: the system administrator is offered neither the audit log nor role grants.
    assert.equal(await page.locator('a[href^="/workbench/audit"]').count(), 0);
    assert.equal(await page.locator('a[href="/workbench/roles"]').count(), 0);
    await expectAccessible(page);
  });

  it('creates a department through the form', async () => {
    await visit(page, '/workbench');
    await page.getByRole('link', { name: '部门管理' }).first().click();
    await page.waitForURL(/\/workbench\/departments$/);
    await expectAccessible(page);
    await page.getByRole('link', { name: '新增部门' }).click();
    await page.waitForURL(/\/workbench\/departments\/new$/);
    // The side navigation still says where the user is.
    assert.equal(
      await page.getAttribute('nav.side-nav a[href="/workbench/departments"]', 'aria-current'),
      'page',
    );
    await expectAccessible(page);

    await page.getByLabel('部门名称').fill('杭州市测试局');
    await page.getByLabel('部门类型').selectOption({ label: '统计' });
    await page.getByLabel('所属区划代码').fill('330100');
    await page.getByLabel('联系电话').fill('0571-87000000');
    assert.equal(await submitForm(page), 303);
    await page.waitForURL(/\/workbench\/departments\/\d+\?saved=1$/);
    assert.equal(await textOf(page, 'main [role="status"]'), '已保存。');
    assert.equal(await textOf(page, 'h1'), '编辑部门 杭州市测试局');
    assert.equal(await page.inputValue('#field-name'), '杭州市测试局');
    assert.equal(await page.inputValue('#field-type'), 'statistics');
    assert.equal(await page.inputValue('#field-divisionCode'), '330100');
    await expectAccessible(page);

    // The portal shows it at once.
    const id = /departments\/(\d+)/.exec(page.url())![1];
    await visit(page, `/departments/${id}`);
    assert.equal(await textOf(page, 'h1'), '杭州市测试局');
    assert.match(await textOf(page, 'dl.facts'), /所属区划\s*杭州市/);
  });

  it('shows the problems beside the fields when an empty form is submitted', async () => {
    await visit(page, '/workbench/departments/new');
    await page.getByLabel('所属区划代码').fill('');
    assert.equal(await submitForm(page), 400);
    assert.equal(await textOf(page, 'h1'), '新增部门');

    const summary = page.locator('.error-summary');
    assert.equal(await summary.getAttribute('role'), 'alert');
    assert.equal(await textOf(page, '.error-summary h2'), '请修改以下问题');
    const links = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const field of ['name', 'type', 'divisionCode']) {
      assert.ok(links.includes(`#field-${field}`), `summary links to ${field}: ${links.join(', ')}`);
      const input = page.locator(`#field-${field}`);
      assert.equal(await input.getAttribute('aria-invalid'), 'true', field);
      const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
      assert.ok(describedBy.split(' ').includes(`field-${field}-error`), `${field}: ${describedBy}`);
      assert.ok((await textOf(page, `#field-${field}-error`)).length > 0, field);
    }
    assert.equal(await page.locator('#field-shortName').getAttribute('aria-invalid'), null);
    assert.equal(await textOf(page, '#field-type-error'), '请选择部门类型。');
    await expectAccessible(page);

    // A summary link takes the user to the field.
    await summary.locator('a[href="#field-name"]').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-name');

    // Fixing the problems saves it.
    await page.getByLabel('部门名称').fill('西湖区测试中心');
    await page.getByLabel('部门类型').selectOption('other');
    await page.getByLabel('所属区划代码').fill('330106');
    assert.equal(await submitForm(page), 303);
    assert.equal(await textOf(page, 'main [role="status"]'), '已保存。');
  });

  it('deactivates a department from the list', async () => {
    await visit(page, '/workbench/departments');
    const row = page.locator('tbody tr', { has: page.getByRole('link', { name: '杭州市信访局' }) });
    assert.equal(await row.locator('td').nth(3).textContent(), '启用');
    await row.getByRole('button', { name: '停用 杭州市信访局' }).click();
    await page.waitForURL(/\/workbench\/departments\?saved=1$/);
    assert.equal(await textOf(page, 'main [role="status"]'), '已保存。');
    const after = page.locator('tbody tr', { has: page.getByRole('link', { name: '杭州市信访局' }) });
    assert.equal(await after.locator('td').nth(3).textContent(), '停用');
    assert.ok(await after.getByRole('button', { name: '启用 杭州市信访局' }).isVisible());
    await expectAccessible(page);

    await visit(page, '/departments');
    assert.equal(await page.getByRole('link', { name: '杭州市信访局' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: '浙江省信访局' }).count(), 1);
  });

  it('loads the site settings', async () => {
    await visit(page, '/workbench');
    await page.locator('nav.side-nav').getByRole('link', { name: '站点设置' }).click();
    await page.waitForURL(/\/workbench\/site$/);
    assert.equal(await textOf(page, 'h1'), '站点设置');
    assert.equal(await page.getAttribute('nav.side-nav a[href="/workbench/site"]', 'aria-current'), 'page');
    assert.equal(await page.inputValue('#field-name'), '浙江省人民政府（演示站点）');
    assert.equal(await page.inputValue('#field-siteIdCode'), '3300000001');
    await expectAccessible(page);
  });

  it('refuses a new division with a bad code, beside the field', async () => {
    await visit(page, '/workbench/divisions');
    await expectAccessible(page);
    await page.getByRole('link', { name: '新增行政区划' }).click();
    await page.waitForURL(/\/workbench\/divisions\/new$/);
    await expectAccessible(page);

    await page.getByLabel('区划代码').fill('12345');
    await page.getByLabel('名称').fill('测试区');
    assert.equal(await submitForm(page), 400);
    assert.equal(await page.locator('#field-code').getAttribute('aria-invalid'), 'true');
    assert.equal(await textOf(page, '#field-code-error'), '区划代码应为 6、9 或 12 位数字。');
    assert.equal(await page.inputValue('#field-code'), '12345');
    assert.equal(await page.inputValue('#field-name'), '测试区');
    assert.equal(await page.locator('#field-name').getAttribute('aria-invalid'), null);
    assert.ok(await page.locator('.error-summary a[href="#field-code"]').isVisible());
    await expectAccessible(page);

    // A good code under 西湖区 is accepted.
    await page.getByLabel('区划代码').fill('330106099');
    assert.equal(await submitForm(page), 303);
    await page.waitForURL(/\/workbench\/divisions\/330106099\?saved=1$/);
    assert.equal(await textOf(page, 'main [role="status"]'), '已保存。');
    await expectAccessible(page);
  });

  it('answers an unknown workbench path with a friendly 404 page', async () => {
    const res = await page.goto('/workbench/nothing-here');
    assert.equal(res?.status(), 404);
    assert.equal(await textOf(page, 'h1'), '页面不存在');
    await expectAccessible(page);
  });
});
