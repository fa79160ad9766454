/**
 * 网上信访 in Chromium, each person in their own browser: a citizen petitions through the form (the place
 * picked level by level with 选择下一级, a first try without a telephone showing the error beside the
 * field); the petition office of the place (demo.petition, 杭州市信访局) accepts it and hands it on; the
 * department it is routed to (demo.xihu, 西湖区住房和城乡建设局) answers with the 处理意见书 on the case
 * page; the citizen downloads it, rates it and asks for a review (复查). axe runs on every page.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../src/app.ts';
import { pdfText } from '../../src/kernel/pdf/index.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const CITIZEN = DEMO_ACCOUNTS.find((a) => a.username === 'demo.citizen')!;
const MATTER = '宝石山下一弄加装电梯夜间施工扰民';

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
  'online petitions: a citizen petitions, the office hands it on, the department answers, the citizen asks for review (e2e)',
  { timeout: 600_000 },
  () => {
    let e: E2E;
    let number = '';
    // What the Content-Security-Policy refused (an inline style, a script): a page that renders wrong.
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

    it('lets a citizen petition through the form, the place picked level by level, the errors beside the fields first', async () => {
      const page = await signIn(CITIZEN.username, '/petitions/new');
      await expectAccessible(page);
      // The name comes from the account.
      assert.equal(await page.locator('#field-petitioner\\.name').inputValue(), CITIZEN.displayName);
      await page.locator('#field-petitioner\\.idNumber').fill(CITIZEN.idNumber);
      await page.locator('#field-petitioner\\.address').fill('杭州市西湖区文三路1号');
      await page.getByLabel(/^事项类别/).selectOption({ label: '城乡建设' });
      // 选择下一级 without JavaScript: the form comes back with the next level open, nothing lost.
      const pick = () => page.getByRole('button', { name: '选择下一级' }).click();
      await page.locator('#field-place').selectOption({ label: '杭州市' });
      assert.equal(await post(page, pick), 200);
      await page.locator('#field-place-2').selectOption({ label: '西湖区' });
      assert.equal(await post(page, pick), 200);
      await page.locator('#field-place-3').selectOption({ label: '北山街道' });
      assert.equal(
        await page.locator('#field-petitioner\\.idNumber').inputValue(),
        CITIZEN.idNumber,
        'what was typed stays',
      );
      await expectAccessible(page);
      await page.locator('#field-matter').fill(MATTER);
      await page.locator('#field-requests').fill('请求督促施工单位夜间停止施工，并公开加装电梯的审批材料。');
      await page
        .locator('#field-facts')
        .fill('自九月起，3幢加装电梯工程每天夜间施工至23时，噪声严重影响居民休息，多次向物业反映未果。');

      const submit = () => page.getByRole('button', { name: '提交信访事项' }).click();
      assert.equal(await post(page, submit), 400);
      const phone = page.locator('#field-petitioner\\.phone');
      assert.equal(await phone.getAttribute('aria-invalid'), 'true');
      assert.match(await textOf(page, '#field-petitioner\\.phone-error'), /此项必填/);
      assert.match(await textOf(page, '.error-summary'), /此项必填/);
      assert.equal(await page.locator('#field-matter').inputValue(), MATTER, 'what was typed stays');
      await expectAccessible(page);

      await phone.fill('13800138000');
      assert.equal(await post(page, submit), 303);
      await page.waitForURL(/\/account\/petitions\/[\w-]+\?submitted=1$/);
      const main = await textOf(page);
      assert.match(main, /信访事项已提交，由杭州市信访局登记，将于 \d{4}-\d{2}-\d{2} 前决定是否受理/);
      assert.match(main, /浙江省杭州市西湖区北山街道/);
      assert.match(main, /330106\*{8}123X/, 'the ID number masked');
      number = /(\d{17})/.exec(main)?.[1] ?? '';
      assert.match(number, /^\d{17}$/);
      await expectAccessible(page);

      await visit(page, '/account/petitions');
      assert.ok(await page.getByRole('link', { name: MATTER, exact: true }).isVisible());
      assert.match(await textOf(page, 'main table'), /登记受理中/);
      await expectAccessible(page);
      await page.context().close();
    });

    it('lets the petition office accept it and hand it to the department of the place', async () => {
      assert.ok(number, 'no petition was filed');
      const page = await signIn('demo.petition', '/workbench/petitions');
      await expectAccessible(page);
      await page.getByRole('link', { name: MATTER, exact: true }).click();
      await page.waitForURL(/\/workbench\/petitions\/[\w-]+$/);
      const main = await textOf(page);
      assert.match(main, /按属地交由：西湖区住房和城乡建设局（登记机关：杭州市信访局）/);
      // Staff see the petitioner masked until they ask (each view audited).
      assert.match(main, /张\*\*/);
      assert.ok(!main.includes(CITIZEN.idNumber));
      await expectAccessible(page);
      assert.equal(await post(page, () => page.getByRole('button', { name: '受理并交办' }).click()), 303);
      assert.match(await textOf(page), /状态：\s*办理中/);
      // Handed on: no rerouting from here any more.
      assert.equal(await page.getByRole('button', { name: '改派' }).count(), 0);
      await expectAccessible(page);
      await page.context().close();
    });

    it('lets the department answer with the 处理意见书 on the case page', async () => {
      assert.ok(number, 'no petition was filed');
      const page = await signIn('demo.xihu', '/workbench/petitions');
      await expectAccessible(page);
      await page.getByRole('link', { name: MATTER, exact: true }).click();
      await page.waitForURL(/\/workbench\/petitions\/[\w-]+$/);
      await expectAccessible(page);
      await page.getByRole('link', { name: '到办件页面办理' }).click();
      await page.waitForURL(new RegExp(`/workbench/cases/${number}$`));
      await expectAccessible(page);
      const answer = page.getByRole('region', { name: /^出具处理意见书（任务 2 / });
      await answer.getByLabel(/^处理结果/).selectOption({ label: '部分支持' });
      await answer.getByLabel(/^处理意见/).fill('已责令施工单位22时后停止施工，审批材料已在小区公告栏公示。');
      assert.equal(
        await post(page, () => answer.getByRole('button', { name: '出具处理意见书', exact: true }).click()),
        303,
      );
      assert.match(await textOf(page), /已办结/);
      await expectAccessible(page);
      await page.context().close();
    });

    it('lets the citizen download the 处理意见书, rate it and ask for a review one level up', async () => {
      assert.ok(number, 'no petition was filed');
      const page = await signIn(CITIZEN.username, '/account/petitions');
      assert.match(await textOf(page, 'main table'), /已出具处理意见/);
      await page.getByRole('link', { name: MATTER, exact: true }).click();
      await page.waitForURL(/\/account\/petitions\/[\w-]+$/);
      await expectAccessible(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: '信访事项处理意见书' }).click(),
      ]);
      const text = (await pdfText(readFileSync((await download.path())!))).replace(/\s+/g, '');
      for (const expected of ['信访事项处理意见书', number, '审批材料已在小区公告栏公示', '复查'])
        assert.ok(text.includes(expected), `${expected} in the 处理意见书:\n${text}`);

      await page.getByLabel(/^您对处理意见是否满意/).selectOption({ label: '不满意' });
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交评价' }).click()), 303);
      await expectAccessible(page);
      assert.match(await textOf(page), /请求原办理机关的上一级机关复查/);
      await page.getByLabel(/^请求理由/).fill('施工单位仍在夜间施工，请求上一级机关复查。');
      assert.equal(await post(page, () => page.getByRole('button', { name: '提交复查请求' }).click()), 303);
      const main = await textOf(page);
      assert.match(main, /状态：\s*复查中/);
      assert.match(main, /浙江省住房和城乡建设厅/);
      assert.match(main, /不满意/);
      await expectAccessible(page);
      await page.context().close();
    });
  },
);
