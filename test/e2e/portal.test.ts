/** The public portal in Chromium: every page visited answers 200 (or 404 on purpose) and passes axe. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, startE2E, visit, type E2E } from './support.ts';

const SITE_NAME = '浙江省人民政府（演示站点）';

const textOf = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();
const crumbs = (page: Page) => page.locator('nav.breadcrumbs li').allTextContents();

describe('portal (e2e)', { timeout: 300_000 }, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e?.close());

  it('shows the home page in Chinese, switches to English and back', async () => {
    const page = await e.newPage();
    await visit(page, '/');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.title(), SITE_NAME);
    assert.equal(await textOf(page, 'h1'), SITE_NAME);
    assert.ok(await page.locator('header .site-name').getByText(SITE_NAME).isVisible());
    const footer = await textOf(page, 'footer');
    assert.match(footer, /网站标识码：3300000001/);
    assert.match(footer, /主办单位：/);
    assert.deepEqual(await page.locator('nav.main-nav a').allTextContents(), [
      '首页',
      '网上办事',
      '政府信息公开',
      '政民互动',
      '机构设置',
      '行政区划',
      '开放接口',
    ]);
    assert.equal(await page.getAttribute('nav.main-nav a[href="/"]', 'aria-current'), 'page');
    await expectAccessible(page);

    await page.click('a.language-switch');
    await page.waitForURL(/lang=en/);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.deepEqual(await page.locator('nav.main-nav a').allTextContents(), [
      'Home',
      'Online services',
      'Government information disclosure',
      'Public interaction',
      'Departments',
      'Administrative divisions',
      'API',
    ]);
    assert.match(await textOf(page, 'footer'), /Website ID: 3300000001/);
    assert.equal(await textOf(page, 'a.skip-link'), 'Skip to main content');
    await expectAccessible(page);

    // The choice is remembered: the next page is English too.
    await page.click('nav.main-nav a[href="/divisions"]');
    await page.waitForURL(/\/divisions$/);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await textOf(page, 'h1'), 'Administrative divisions');
    await expectAccessible(page);

    await page.click('a.language-switch');
    await page.waitForURL(/lang=zh-CN/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await textOf(page, 'h1'), '行政区划');
    assert.equal(await textOf(page, 'a.language-switch'), 'English');
    await expectAccessible(page);
    await page.context().close();
  });

  it('gathers the ways to take part under 政民互动, each page reachable', async () => {
    const page = await e.newPage();
    await visit(page, '/');
    await page.click('nav.main-nav a[href="/interaction"]');
    await page.waitForURL(/\/interaction$/);
    assert.equal(await textOf(page, 'h1'), '政民互动');
    const links = await page
      .locator('main ul.cards a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['/letters', '/petitions/new', '/opinions', '/interviews']);
    await expectAccessible(page);
    for (const href of ['/letters', '/opinions', '/interviews']) {
      await visit(page, href);
      await expectAccessible(page);
    }
  });

  it('walks the division tree 浙江省 → 杭州市 → 上城区', async () => {
    const page = await e.newPage();
    await visit(page, '/divisions');
    assert.equal(await textOf(page, 'h1'), '行政区划');
    assert.deepEqual(await crumbs(page), ['首页', '行政区划']);
    await expectAccessible(page);

    await page.getByRole('link', { name: '浙江省', exact: true }).click();
    await page.waitForURL(/\/divisions\/330000$/);
    assert.equal(await textOf(page, 'h1'), '浙江省');
    assert.deepEqual(await crumbs(page), ['首页', '行政区划', '浙江省']);
    await expectAccessible(page);

    await page.getByRole('link', { name: '杭州市', exact: true }).click();
    await page.waitForURL(/\/divisions\/330100$/);
    assert.equal(await textOf(page, 'h1'), '杭州市');
    assert.deepEqual(await crumbs(page), ['首页', '行政区划', '浙江省', '杭州市']);
    // The city's own departments are listed on its page.
    assert.ok(await page.getByRole('link', { name: '杭州市数据资源管理局' }).isVisible());
    await expectAccessible(page);

    await page.getByRole('link', { name: '上城区', exact: true }).click();
    await page.waitForURL(/\/divisions\/330102$/);
    assert.equal(await textOf(page, 'h1'), '上城区');
    assert.deepEqual(await crumbs(page), ['首页', '行政区划', '浙江省', '杭州市', '上城区']);
    assert.equal(await textOf(page, 'nav.breadcrumbs [aria-current="page"]'), '上城区');
    assert.match(await textOf(page, 'dl.facts'), /浙江省 \/ 杭州市 \/ 上城区/);
    assert.match(await textOf(page, 'dl.facts'), /330102/);
    assert.ok(await page.getByRole('link', { name: '清波街道', exact: true }).isVisible());
    await expectAccessible(page);

    // The breadcrumbs lead back up.
    await page.locator('nav.breadcrumbs').getByRole('link', { name: '浙江省' }).click();
    await page.waitForURL(/\/divisions\/330000$/);
    assert.equal(await textOf(page, 'h1'), '浙江省');
    await page.context().close();
  });

  it('searches divisions, and says so helpfully when nothing matches', async () => {
    const page = await e.newPage();
    await visit(page, '/divisions');
    await page.getByLabel('按名称或代码查询').fill('西湖');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/q=/);
    assert.equal(await textOf(page, 'h1'), '“西湖”的查询结果');
    assert.equal(await page.inputValue('#division-q'), '西湖');
    const link = page.getByRole('link', { name: '西湖区', exact: true });
    assert.ok(await link.isVisible());
    assert.equal(await link.getAttribute('href'), '/divisions/330106');
    await expectAccessible(page);

    await page.getByLabel('按名称或代码查询').fill('不存在的地方');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/q=%E4%B8%8D/);
    const message = await textOf(page, 'main [role="status"]');
    assert.match(message, /没有找到与“不存在的地方”匹配的行政区划/);
    assert.match(message, /3301/);
    assert.equal(await page.locator('main table').count(), 0);
    await expectAccessible(page);
    await page.context().close();
  });

  it('lists departments and shows one', async () => {
    const page = await e.newPage();
    await visit(page, '/departments');
    assert.equal(await textOf(page, 'h1'), '机构设置');
    assert.equal(await page.getAttribute('nav.main-nav a[href="/departments"]', 'aria-current'), 'page');
    const groups = await page.locator('main section h2').allTextContents();
    for (const name of ['浙江省', '杭州市', '上城区', '西湖区']) assert.ok(groups.includes(name), name);
    assert.ok((await page.locator('.department-list li').count()) >= 20);
    await expectAccessible(page);

    await page.getByRole('link', { name: '杭州市数据资源管理局' }).click();
    await page.waitForURL(/\/departments\/\d+$/);
    assert.equal(await textOf(page, 'h1'), '杭州市数据资源管理局');
    assert.deepEqual(await crumbs(page), ['首页', '机构设置', '杭州市数据资源管理局']);
    const facts = await textOf(page, 'dl.facts');
    assert.match(facts, /部门类型\s*数据资源管理/);
    assert.match(facts, /所属区划\s*杭州市/);
    await expectAccessible(page);
    await page.context().close();
  });

  it('lets a keyboard user skip to the main content', async () => {
    const page = await e.newPage();
    await visit(page, '/departments');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      className: document.activeElement?.className,
      text: document.activeElement?.textContent,
    }));
    assert.deepEqual(focused, { className: 'skip-link', text: '跳到主要内容' });
    assert.ok(await page.locator('a.skip-link').isVisible(), 'the focused skip link is on screen');
    await expectAccessible(page);

    await page.keyboard.press('Enter');
    await page.waitForURL(/#main$/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    // The next Tab continues inside main, not back in the header.
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(
        () => document.activeElement?.closest('main')?.id ?? document.activeElement?.tagName,
      ),
      'main',
    );
    await page.context().close();
  });

  it('works without JavaScript', async () => {
    const page = await e.newPage({ javaScriptEnabled: false });
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame())
        visited.push(new URL(frame.url()).pathname + new URL(frame.url()).search);
    });
    await visit(page, '/');
    await page.click('nav.main-nav a[href="/divisions"]');
    await page.waitForURL(/\/divisions$/);
    await page.getByRole('link', { name: '浙江省', exact: true }).click();
    await page.waitForURL(/\/divisions\/330000$/);
    assert.equal(await textOf(page, 'h1'), '浙江省');
    await page.getByRole('link', { name: '杭州市', exact: true }).click();
    await page.waitForURL(/\/divisions\/330100$/);
    assert.deepEqual(await crumbs(page), ['首页', '行政区划', '浙江省', '杭州市']);

    await visit(page, '/divisions');
    await page.fill('#division-q', '3301');
    await page.press('#division-q', 'Enter');
    await page.waitForURL(/q=3301/);
    assert.ok(await page.getByRole('link', { name: '杭州市', exact: true }).isVisible());

    await page.click('a.language-switch');
    await page.waitForURL(/lang=en/);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.context().close();

    // axe needs script, so the pages browsed above are checked again in a scripted page (same HTML).
    const checker = await e.newPage();
    for (const url of visited) {
      await visit(checker, url);
      await expectAccessible(checker);
    }
    await checker.context().close();
  });

  it('documents the API', async () => {
    const page = await e.newPage();
    await visit(page, '/api/docs');
    assert.equal(await textOf(page, 'h1'), '开放接口');
    assert.deepEqual(await crumbs(page), ['首页', '开放接口']);
    assert.ok((await page.locator('main table tbody tr').count()) > 0);
    assert.ok(await page.locator('main code', { hasText: '/api/v1/divisions' }).first().isVisible());
    assert.equal(await page.getAttribute('a[href="/api/openapi.json"]', 'href'), '/api/openapi.json');
    await expectAccessible(page);
    await page.context().close();
  });

  it('answers an unknown path with a friendly 404 page', async () => {
    const page = await e.newPage();
    const res = await page.goto('/no-such-page');
    assert.equal(res?.status(), 404);
    assert.match(res?.headers()['content-type'] ?? '', /text\/html/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await textOf(page, 'h1'), '页面不存在');
    assert.match(await textOf(page, 'main'), /找不到您要访问的页面或资源/);
    assert.ok(await page.locator('header .site-name').isVisible());
    await expectAccessible(page);
    await page.getByRole('link', { name: '返回首页' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    assert.equal(await textOf(page, 'h1'), SITE_NAME);
    await page.context().close();
  });
});
