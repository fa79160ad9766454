/**
 * 领导信箱 in Chromium, each person in their own browser: a citizen writes to the 省长信箱 through the
 * form (a first try with the body too short shows the error beside the field), lands on the letter's
 * page with its due date; the general office's handler (demo.disclosure, 浙江省人民政府办公厅) finds it
 * in the department's list and replies, publishing it; the citizen sees the reply and rates it; the
 * published letter is on the portal, masked, and the statistics page shows the department. A letter
 * with a placeholder sensitive word waits for the moderator (demo.moderator), who releases it. axe
 * runs on every page.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../src/app.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const CITIZEN = DEMO_ACCOUNTS.find((a) => a.username === 'demo.citizen')!;
const TITLE = '建议在社区增设电动自行车充电桩';
const BODY =
  '我们社区电动自行车很多，但充电桩太少，不少居民从楼上拉线充电，存在安全隐患。联系电话13812345678。';

const passwordOf = (username: string) =>
  [...DEMO_STAFF, ...DEMO_ACCOUNTS].find((a) => a.username === username)!.password;
const textOf = async (page: Page, selector = 'main') => ((await page.textContent(selector)) ?? '').trim();

/** Clicks something that posts a form and waits for the page the answer leads to; returns its status. */
async function post(page: Page, click: () => Promise<void>): Promise<number> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), click()]);
  await page.waitForLoadState();
  return res.status();
}

describe(
  'letters: a citizen writes, the office replies, the citizen rates it (e2e)',
  { timeout: 600_000 },
  () => {
    let e: E2E;
    let letterUrl = '';
    const refused: string[] = [];
    const signIn = async (username: string, next: string) => {
      const page = await e.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
          refused.push(`${page.url()}: ${m.text()}`);
      });
      await signInThroughPages(page, username, passwordOf(username), { next });
      return page;
    };

    before(async () => {
      e = await startE2E();
    });
    afterEach(() => assert.deepEqual(refused.splice(0), []));
    after(() => e?.close());

    it('lets a citizen write to the 省长信箱, the errors beside the fields first', async () => {
      const page = await signIn(CITIZEN.username, '/letters/new');
      await expectAccessible(page);
      await page.getByLabel(/^来信类别/).selectOption({ label: '领导信箱' });
      await page.getByLabel(/^领导信箱/).selectOption({ label: '省长信箱' });
      await page.getByLabel(/^标题/).fill(TITLE);
      await page.getByLabel(/^来信内容/).fill('太短');
      await page.getByLabel(/^联系电话/).fill('13812345678');
      await page.getByLabel(/同意在答复后公开/).check();
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交来信' }).click()), 400);
      assert.equal(await page.getByLabel(/^来信内容/).getAttribute('aria-invalid'), 'true');
      assert.match(await textOf(page, '#field-body-error'), /10 至 5000/);
      assert.equal(await page.getByLabel(/^标题/).inputValue(), TITLE, 'what was typed stays');
      await expectAccessible(page);

      await page.getByLabel(/^来信内容/).fill(BODY);
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交来信' }).click()), 303);
      assert.match(page.url(), /\/account\/letters\/[A-Za-z0-9_-]+\?written=1$/);
      assert.match(
        await textOf(page),
        /来信已提交，由浙江省人民政府办公厅办理，将在 \d{4}-\d{2}-\d{2} 前答复/,
      );
      letterUrl = new URL(page.url()).pathname;
      await expectAccessible(page);
      await visit(page, '/account/letters');
      assert.match(await textOf(page), /办理中，\d{4}-\d{2}-\d{2} 前答复/);
      await expectAccessible(page);
      await page.close();
    });

    it("lets the office's handler reply from the department's list, publishing it", async () => {
      const id = letterUrl.split('/').pop()!;
      const page = await signIn('demo.disclosure', '/workbench/letters');
      await expectAccessible(page);
      await page.getByRole('link', { name: TITLE }).click();
      await page.waitForLoadState();
      assert.match(page.url(), new RegExp(`/workbench/letters/${id}$`));
      await expectAccessible(page);
      await page.getByLabel(/^答复/).fill('已请属地街道在社区新增 20 个充电桩，预计下月投入使用。');
      await page.getByLabel('公开来信和答复').check();
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交答复' }).click()), 303);
      assert.match(await textOf(page), /这封来信已在门户网站公开/);
      await expectAccessible(page);
      await page.close();
    });

    it('shows the citizen the reply, takes their rating once, and the portal the letter masked', async () => {
      const page = await signIn(CITIZEN.username, letterUrl);
      assert.match(await textOf(page), /新增 20 个充电桩/);
      await page.getByLabel('基本满意').check();
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交评价' }).click()), 303);
      assert.match(await textOf(page), /写信人评价：基本满意/);
      await expectAccessible(page);

      const id = letterUrl.split('/').pop()!;
      await visit(page, '/letters');
      await expectAccessible(page);
      await page.getByRole('link', { name: TITLE }).click();
      await page.waitForLoadState();
      assert.match(page.url(), new RegExp(`/letters/${id}$`));
      const text = await textOf(page);
      assert.match(text, /138\*\*\*\*5678/);
      assert.ok(!text.includes('13812345678'));
      assert.ok(!text.includes(CITIZEN.displayName));
      await expectAccessible(page);
      await visit(page, '/letters/statistics');
      assert.match(await textOf(page, 'table'), /浙江省人民政府办公厅/);
      await expectAccessible(page);
      await page.close();
    });

    it('holds a letter with a sensitive word until the moderator releases it', async () => {
      const page = await signIn(CITIZEN.username, '/letters/new');
      await page.getByLabel(/^来信类别/).selectOption({ label: '咨询' });
      await page.getByLabel(/^部门/).selectOption({ label: '浙江省人民政府办公厅' });
      await page.getByLabel(/^标题/).fill('一封待审核的来信');
      await page.getByLabel(/^来信内容/).fill('这段文字里有测 试 敏 感 词，用来演示内容审核。');
      await page.getByLabel(/^联系电话/).fill('0571-87654321');
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交来信' }).click()), 303);
      assert.match(await textOf(page), /正在等待内容审核/);
      await page.close();

      const moderator = await signIn('demo.moderator', '/workbench/moderation');
      await expectAccessible(moderator);
      assert.match(await textOf(moderator, 'table'), /一封待审核的来信/);
      assert.equal(await moderator.locator('mark').first().textContent(), '测 试 敏 感 词');
      assert.equal(
        await post(moderator, () => moderator.getByRole('button', { name: /^放行/ }).first().click()),
        303,
      );
      assert.match(await textOf(moderator), /没有等候审核的内容/);
      await visit(moderator, '/workbench/moderation/words');
      await expectAccessible(moderator);
      await moderator.close();
    });
  },
);
