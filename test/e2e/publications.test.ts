/**
 * 政府信息公开 in Chromium: a publisher drafts a notice in the workbench (and is told what the
 * sanitiser took out), sends it for review; the department head approves it from the task list; the
 * public finds it in the column, reads it, and finds it again by a Chinese phrase. axe on every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_STAFF } from '../../src/app.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const TITLE = '关于开展2026年冬季困难群众住房安全排查的通知';
const BODY =
  '<p>各街道办事处：</p><p>为保障困难群众冬季住房安全，现就开展住房安全排查工作通知如下。</p>' +
  '<h2>一、排查范围</h2><p>低保家庭、特困供养人员和低收入家庭的自有住房。</p>' +
  '<script>document.title = "hacked"</script><p onmouseover="alert(1)">请于12月15日前报送排查情况。</p>';

const passwordOf = (username: string) => DEMO_STAFF.find((a) => a.username === username)!.password;

async function post(page: Page, click: () => Promise<void>): Promise<number> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), click()]);
  await page.waitForLoadState();
  return res.status();
}

describe('publications in Chromium: draft, review, publish, find', () => {
  let e2e: E2E;
  let caseNumber = '';
  let pageUrl = '';

  before(async () => {
    e2e = await startE2E();
  });
  after(() => e2e.close());

  const signIn = async (username: string, next: string) => {
    const page = await e2e.newPage();
    await signInThroughPages(page, username, passwordOf(username), { next });
    return page;
  };

  it('a publisher drafts a notice, is told what was removed, and sends it for review', async () => {
    const page = await signIn('demo.publisher', '/workbench/publications');
    await expectAccessible(page);
    await page.getByRole('link', { name: '撰写新信息' }).click();
    await page.waitForURL(/\/workbench\/publications\/new$/);
    await expectAccessible(page);
    await page.getByLabel('公开目录').selectOption({ label: '通知公告' });
    await page.getByLabel(/^标题/).fill(TITLE);
    await page.getByLabel('文号').fill('西民〔2026〕30号');
    await page.getByLabel('成文日期').fill('2026-11-24');
    await page.getByLabel('正文（HTML）').fill(BODY);
    assert.equal(await post(page, () => page.getByRole('button', { name: '保存' }).click()), 303);
    const notice = page.locator('main .notice', { hasText: '不安全的内容' });
    assert.match((await notice.textContent()) ?? '', /<script>（1 处）/);
    assert.match((await notice.textContent()) ?? '', /onmouseover/);
    await expectAccessible(page);
    assert.equal(await post(page, () => page.getByRole('button', { name: '提交审核' }).click()), 303);
    assert.match((await page.textContent('main')) ?? '', /状态：审核中/);
    caseNumber = /审核办件 (\d{17})/.exec((await page.textContent('main')) ?? '')?.[1] ?? '';
    assert.match(caseNumber, /^\d{17}$/);
    await expectAccessible(page);
    await page.context().close();
  });

  it('the department head approves it from the task list', async () => {
    assert.ok(caseNumber, 'nothing was sent for review');
    const page = await signIn('demo.head', '/workbench/tasks');
    await expectAccessible(page);
    await page
      .locator('tbody tr', { has: page.getByRole('link', { name: caseNumber, exact: true }) })
      .getByRole('link', { name: caseNumber })
      .click();
    await page.waitForURL(new RegExp(`/workbench/cases/${caseNumber}$`));
    await expectAccessible(page);
    const region = page.getByRole('region', { name: /^审核通过，予以发布（任务 \d+ [^）]+）$/ });
    assert.equal(
      await post(page, () => region.getByRole('button', { name: '审核通过，予以发布', exact: true }).click()),
      303,
    );
    await expectAccessible(page);
    const mine = await signIn('demo.publisher', '/workbench/publications');
    await mine.getByRole('link', { name: TITLE }).click();
    await mine.waitForURL(/\/workbench\/publications\/\d+/);
    assert.match((await mine.textContent('main')) ?? '', /状态：已发布/);
    pageUrl = (await mine.getByRole('link', { name: '查看页面' }).getAttribute('href')) ?? '';
    assert.match(pageUrl, /^\/publications\/\d+$/);
    await mine.context().close();
    await page.context().close();
  });

  it('the public reads it in the column and finds it by a Chinese phrase', async () => {
    assert.ok(pageUrl, 'nothing was published');
    const page = await e2e.newPage();
    await visit(page, '/publications');
    await expectAccessible(page);
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(new RegExp(`${pageUrl}$`));
    await expectAccessible(page);
    assert.equal(await page.title(), `${TITLE} - 浙江省人民政府（演示站点）`, 'the script did not run');
    const table = (await page.textContent('table.metadata')) ?? '';
    assert.match(table, /索引号[0-9A-Z]+\/2026-\d{5}/);
    assert.match(table, /西民〔2026〕30号/);
    assert.match(table, /有效性有效/);
    assert.equal(await page.locator('main [onmouseover]').count(), 0);

    await visit(page, '/publications/categories/notices');
    await expectAccessible(page);
    assert.ok(await page.getByRole('link', { name: TITLE }).isVisible());

    await visit(page, '/publications/search');
    await expectAccessible(page);
    await page.getByLabel('搜索公开信息').fill('住房安全排查');
    await page.getByRole('search').getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/\/publications\/search\?q=/);
    await expectAccessible(page);
    const hit = page.locator('ol.results li', { hasText: TITLE });
    assert.equal(await hit.count(), 1);
    assert.ok((await hit.locator('mark').count()) > 0, 'the words found are marked');

    await page.getByLabel('搜索公开信息').fill('');
    await page.getByRole('search').getByRole('button', { name: '搜索' }).click();
    await page.waitForLoadState();
    assert.equal((await page.textContent('#field-q-error'))?.trim(), '请输入要搜索的词');
    await expectAccessible(page);
    await page.context().close();
  });
});
