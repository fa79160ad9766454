/**
 * 在线访谈 in Chromium, each person in their own browser: the host (demo.host) schedules an interview
 * with demo.guest as its guest and takes it live; a viewer opens the public page; a citizen asks; the
 * host approves the question and posts an answer on the workbench — and both appear in the viewer's
 * page without a reload (server-sent events, the static script). axe runs on every page.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../src/app.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const CITIZEN = DEMO_ACCOUNTS.find((a) => a.username === 'demo.citizen')!;
const TITLE = '聚焦低保新政在线访谈';
const QUESTION = '请问低保申请需要准备哪些材料？';
const ANSWER = '只需身份证和户口簿，其他材料由部门共享获取。';
const COVER_ALT = '曹局长在访谈演播室';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const passwordOf = (username: string) =>
  [...DEMO_STAFF, ...DEMO_ACCOUNTS].find((a) => a.username === username)!.password;
const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);
/** A datetime-local value, Beijing time, hours from now. */
const local = (hours: number) =>
  new Date(Date.now() + 8 * 3_600_000 + hours * 3_600_000).toISOString().slice(0, 16);

async function post(page: Page, click: () => Promise<void>): Promise<number> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), click()]);
  await page.waitForLoadState();
  return res.status();
}

describe('online interview: the transcript reaches a second page live (e2e)', { timeout: 600_000 }, () => {
  let e: E2E;
  let host: Page;
  let viewer: Page;
  let id = '';
  const refused: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
        refused.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  };

  before(async () => {
    e = await startE2E();
  });
  afterEach(() => assert.deepEqual(refused.splice(0), []));
  after(() => e?.close());

  it('lets the host schedule an interview with a guest and take it live', async () => {
    host = watch(await e.newPage());
    await signInThroughPages(host, 'demo.host', passwordOf('demo.host'), { next: '/workbench/interviews' });
    await expectAccessible(host);
    await host.getByRole('link', { name: '新建访谈' }).click();
    await host.waitForURL(/\/workbench\/interviews\/new$/);
    await expectAccessible(host);
    await host.getByLabel(/^访谈标题/).fill(TITLE);
    await host.getByLabel(/^访谈主题与简介/).fill('解读我省最低生活保障政策的新变化。');
    await host.getByLabel(/^开始时间/).fill(local(1));
    await host.getByLabel(/^结束时间/).fill(local(2));
    await byId(host, 'field-guests.0.name').fill('曹局长');
    await byId(host, 'field-guests.0.department').fill('西湖区民政局');
    await byId(host, 'field-guests.0.title').fill('局长');
    await byId(host, 'field-guests.0.accountId').selectOption({ label: '曹局长' });
    assert.equal(await post(host, () => host.getByRole('button', { name: '发布预告' }).click()), 303);
    await host.waitForURL(/\/workbench\/interviews\/\d+\?saved=1$/);
    id = /\/workbench\/interviews\/(\d+)/.exec(host.url())![1]!;
    await expectAccessible(host);

    // The cover, on the edit page: a picture and its description (the alt text).
    await host.getByRole('link', { name: '修改预告' }).click();
    await host.waitForURL(/\/edit$/);
    await byId(host, 'field-file').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: PNG });
    await byId(host, 'field-alt').fill(COVER_ALT);
    assert.equal(await post(host, () => host.getByRole('button', { name: '上传封面' }).click()), 303);
    assert.equal(await host.getByRole('img', { name: COVER_ALT }).count(), 1);
    await expectAccessible(host);
    await host.goto(host.url().replace(/\/edit.*$/, ''));
    assert.equal(await post(host, () => host.getByRole('button', { name: '开始直播' }).click()), 303);
    assert.match((await host.textContent('#interview-status')) ?? '', /直播中/);
    await expectAccessible(host);
  });

  it('shows the interview on the portal; a citizen asks', async () => {
    viewer = watch(await e.newPage());
    await visit(viewer, '/interviews');
    await expectAccessible(viewer);
    assert.equal(await viewer.getByRole('img', { name: COVER_ALT }).count(), 1, 'the list shows the cover');
    await viewer.getByRole('link', { name: TITLE }).click();
    await viewer.waitForURL(new RegExp(`/interviews/${id}$`));
    await expectAccessible(viewer);
    assert.match((await viewer.textContent('#transcript')) ?? '', /访谈开始/);

    const citizen = watch(await e.newPage());
    await signInThroughPages(citizen, CITIZEN.username, CITIZEN.password, { next: `/interviews/${id}` });
    await expectAccessible(citizen);
    await citizen.getByLabel(/^您的问题/).fill(QUESTION);
    assert.equal(await post(citizen, () => citizen.getByRole('button', { name: '提交问题' }).click()), 303);
    assert.match((await citizen.textContent('main')) ?? '', /问题已提交/);
    await expectAccessible(citizen);
    await citizen.context().close();
  });

  it('puts the approved question and the answer into the viewer’s page without a reload', async () => {
    await host.reload();
    const queue = host.getByRole('region', { name: /待审核提问/ });
    assert.match((await queue.textContent()) ?? '', new RegExp(QUESTION));
    assert.equal(
      await post(host, () => queue.getByRole('button', { name: '采用', exact: true }).click()),
      303,
    );
    await viewer.locator('#transcript .entry-question', { hasText: QUESTION }).waitFor({ timeout: 10_000 });

    // A second console (a co-host's tab) open while the answer goes out: it can withdraw it at once.
    const console2 = await host.context().newPage();
    await console2.goto(host.url());
    await host.getByLabel(/^回答的问题/).selectOption({ index: 1 });
    await host.getByLabel(/^内容/).fill(ANSWER);
    assert.equal(
      await post(host, () => host.getByRole('button', { name: '发布', exact: true }).click()),
      303,
    );
    const answer = viewer.locator('#transcript .entry-answer', { hasText: ANSWER });
    await answer.waitFor({ timeout: 10_000 });
    assert.match((await answer.textContent()) ?? '', /主持人 孔主持/);
    assert.match((await answer.textContent()) ?? '', new RegExp(QUESTION));
    await expectAccessible(viewer);
    await expectAccessible(host);
    await console2
      .locator('#withdraw-form option', { hasText: '只需身份证' })
      .waitFor({ state: 'attached', timeout: 10_000 });
    await console2.close();

    // 撤回: the host withdraws the answer; the viewer's page replaces it without a reload.
    const withdraw = host.getByRole('region', { name: /撤回一条内容/ });
    const option = withdraw.locator('option', { hasText: '只需身份证' });
    await withdraw.getByLabel(/^撤回哪一条/).selectOption((await option.getAttribute('value'))!);
    await withdraw.getByLabel(/^撤回理由/).fill('答复需要补充说明');
    assert.equal(
      await post(host, () => withdraw.getByRole('button', { name: '撤回', exact: true }).click()),
      303,
    );
    await viewer
      .locator('#transcript .entry-withdrawn', { hasText: '此条已撤回' })
      .waitFor({ timeout: 10_000 });
    assert.equal(await viewer.locator('#transcript .entry-answer', { hasText: ANSWER }).count(), 0);
    await expectAccessible(viewer);
    await expectAccessible(host);

    // Ending it reaches the viewer too: the status changes and the stream is closed.
    assert.equal(await post(host, () => host.getByRole('button', { name: '结束访谈' }).click()), 303);
    await viewer.locator('#transcript .entry-status', { hasText: '访谈结束' }).waitFor({ timeout: 10_000 });
    assert.match((await viewer.textContent('#interview-status')) ?? '', /已结束/);
  });
});
