/**
 * Online services (网上办事) in Chromium, the whole story, each person in their own browser: a citizen
 * finds 开办企业（一件事）, reads its guide, downloads the blank form, applies online (the item's form
 * filled through its labels, the address picker level by level, files for the materials) and submits;
 * the window stops the clock for 补正, ticking the missing material and saying what is wrong with it;
 * the citizen sees the notice as a list, uploads the document against it on the application page and
 * resubmits; the window accepts and the citizen downloads the 受理通知书 (PDF); the four departments
 * approve in parallel (two through the pages, two through the API with their sessions), the window
 * issues the 营业执照; the citizen downloads the licence and anyone verifies it through the URL its QR
 * code carries. axe runs on every page, and on the catalogue's other pages in the workbench and on the
 * portal.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../src/app.ts';
import type { FormDefinition } from '../../src/kernel/forms/index.ts';
import { pdfText, readPdfEmbedded } from '../../src/kernel/pdf/index.ts';
import { expectAccessible, signInThroughPages, startE2E, visit, type E2E } from './support.ts';

const ITEM = '11330106002491018M00013112700099';
const ITEM_NAME = '开办企业（一件事）';
const COMPANY = '杭州西岭数字科技有限公司';
const APPLICANT = 'demo.citizen';
const MISSING = '公司章程或合伙协议';
const WHAT_IS_WRONG = '缺少全体股东签署的公司章程';

interface Material {
  key: string;
  name: string;
  required: boolean;
  heldBy: string;
}

const passwordOf = (username: string) =>
  [...DEMO_STAFF, ...DEMO_ACCOUNTS].find((a) => a.username === username)!.password;
const textOf = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A field's label as the page reads it: its title, then a unit in brackets and the required mark. */
const labelled = (title: string) => new RegExp(`^${escape(title)}(（[^）]*）)?\\s*(（必填）)?$`);
const region = (page: Page, name: RegExp) => page.getByRole('region', { name });

/** Clicks something that posts a form and waits for the page the answer leads to; returns its status. */
async function post(page: Page, click: () => Promise<void>): Promise<number> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), click()]);
  await page.waitForLoadState();
  return res.status();
}

/** Submits the action form in the case page's region (section) named. */
const act = (page: Page, name: RegExp, button: string) =>
  post(page, () => region(page, name).getByRole('button', { name: button, exact: true }).click());

/** The row of a table that links to the case. */
const rowOf = (page: Page, number: string) =>
  page.locator('tbody tr', { has: page.getByRole('link', { name: number, exact: true }) });

/** An address picker's selects, as [label, code] from below the site's root down to the division. */
const LEVELS: [number, string][] = [
  [4, '市（地区、州、盟）'],
  [6, '县（市、区、旗）'],
  [9, '乡镇（街道）'],
  [12, '村（社区）'],
];
const divisionChain = (code: string) =>
  LEVELS.filter(([n]) => n <= code.length).map(
    ([n, label]) => [label, code.slice(0, n).padEnd(6, '0')] as const,
  );

/**
 * Fills an application form through its labels with the form's samples: text boxes, selects by their
 * option labels, radio buttons and checkboxes by theirs, and each address picker level by level, with
 * "选择下一级" opening the next level for as deep as the field asks.
 */
async function fillForm(page: Page, def: FormDefinition): Promise<void> {
  for (const group of def['x-groups']) {
    const fieldset = () => page.getByRole('group', { name: group.title, exact: true });
    for (const name of group.fields) {
      const field = def.properties[name]!;
      const sample = field['x-sample'];
      const labelOf = (value: unknown) => {
        const values = (field.enum ?? field.items?.enum ?? []) as unknown[];
        return field['x-enum-labels']!['zh-CN']![values.indexOf(value)]!;
      };
      switch (field['x-widget']) {
        case 'address': {
          const { division, detail } = sample as { division: string; detail: string };
          const picker = () => fieldset().getByRole('group', { name: labelled(field.title) });
          const chain = divisionChain(division);
          for (const [i, [label, code]] of chain.entries()) {
            const select = picker().getByLabel(label, { exact: true });
            if ((await select.count()) === 0) break; // the field asks for no deeper level
            await select.selectOption(code);
            if (i < chain.length - 1)
              await post(page, () => picker().getByRole('button', { name: '选择下一级' }).click());
          }
          await picker().getByLabel('详细地址（路名、门牌号）').fill(detail);
          break;
        }
        case 'radio':
        case 'checkbox': {
          const choices = fieldset().getByRole('group', { name: labelled(field.title) });
          for (const value of [sample].flat())
            await choices.getByRole(field['x-widget'], { name: labelOf(value), exact: true }).check();
          break;
        }
        case 'select':
          await fieldset()
            .getByLabel(labelled(field.title))
            .selectOption({ label: labelOf(sample) });
          break;
        default:
          await fieldset().getByLabel(labelled(field.title)).fill(String(sample));
      }
    }
  }
}

/** Chooses a file in the input and presses the upload button of its form. */
async function upload(page: Page, input: Locator, file: string, button: string): Promise<number> {
  await input.setInputFiles(file);
  return post(page, () => page.locator('form', { has: input }).getByRole('button', { name: button }).click());
}

describe('online services: 开办企业 to a verified licence (e2e)', { timeout: 900_000 }, () => {
  let e: E2E;
  let files = '';
  let number = '';
  let materials: Material[] = [];
  let form: FormDefinition;
  // What the Content-Security-Policy refused (an inline style, a script): a page that renders wrong.
  const refused: string[] = [];
  const newPage = async (options?: BrowserContextOptions) => {
    const page = await e.newPage(options);
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
        refused.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  };
  const signIn = async (username: string, next: string) => {
    const page = await newPage();
    await signInThroughPages(page, username, passwordOf(username), { next });
    return page;
  };
  /** A small PNG (scanned document) of its own bytes: the type is read from them, the name told. */
  const png = (name: string) => {
    const file = path.join(files, `${name}.png`);
    const pixel = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    writeFileSync(file, Buffer.concat([pixel, Buffer.from(name)]));
    return file;
  };

  before(async () => {
    e = await startE2E();
    files = mkdtempSync(path.join(tmpdir(), 'yw-e2e-services-'));
    const res = await fetch(`${e.base}/api/v1/services/items/${ITEM}`);
    const item = (await res.json()) as { form: FormDefinition; materials: Material[] };
    form = item.form;
    materials = item.materials;
  });
  afterEach(() => assert.deepEqual(refused.splice(0), []));
  after(async () => {
    await e?.close();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('lets a citizen find the item, read its guide, download the form, fill it in and submit', async () => {
    const page = await signIn(APPLICANT, '/account/cases');
    await visit(page, '/services');
    await page.getByLabel('搜索办事事项').fill('开办企业');
    await page.getByRole('search').getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/\/services\?q=/);
    assert.match(await textOf(page, '#results'), /找到 \d+ 个事项/);
    await expectAccessible(page);
    await page.getByRole('link', { name: ITEM_NAME, exact: true }).click();
    await page.waitForURL(new RegExp(`/services/items/${ITEM}$`));
    assert.match(await textOf(page, 'main'), /西湖区市场监督管理局/);
    await expectAccessible(page);

    // 表格下载: the blank application form is a PDF.
    const blank = await page.getByRole('link', { name: '空白申请表' }).getAttribute('href');
    const pdf = await page.request.get(blank!);
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'] ?? '', /^application\/pdf/);
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');

    await page.getByRole('link', { name: '在线办理' }).click();
    await page.waitForURL(new RegExp(`/applications/new\\?item=${ITEM}$`));
    await expectAccessible(page);
    assert.equal(
      await post(page, () => page.getByRole('button', { name: '开始填写申请' }).click()),
      303,
      `${APPLICANT} may start an application for ${ITEM_NAME}: ${await textOf(page, 'main')}`,
    );
    await page.waitForURL(/\/account\/applications\/[\w-]+$/);
    const draft = page.url();
    await expectAccessible(page);

    await fillForm(page, form);
    await expectAccessible(page);
    assert.equal(await post(page, () => page.getByRole('button', { name: '保存草稿' }).click()), 303);
    assert.equal(await textOf(page, 'main [role="status"]'), '已保存。');
    assert.equal(await page.getByLabel(labelled('企业名称')).inputValue(), COMPANY);
    await expectAccessible(page);

    // Submitting before the application form is uploaded: the material named beside its upload.
    assert.equal(await post(page, () => page.getByRole('button', { name: '提交申请' }).click()), 400);
    const required = materials.filter((m) => m.required && !m.heldBy);
    assert.ok(required.length > 0);
    for (const m of required)
      assert.ok(await page.locator(`.error-summary a[href="#field-materials/${m.key}"]`).isVisible());
    await expectAccessible(page);

    // The required materials, and the appointments (a company is being set up); not its articles.
    await visit(page, draft);
    const appointments = materials.find((m) => m.key === 'appointments')!;
    for (const m of [...required, appointments]) {
      const input = page.getByLabel(`选择“${m.name}”的文件`, { exact: true });
      assert.equal(await upload(page, input, png(m.key), '上传'), 303);
      assert.match(await page.locator(`li[id="field-materials/${m.key}"]`).innerText(), /PNG/i);
    }
    await expectAccessible(page);

    assert.equal(await post(page, () => page.getByRole('button', { name: '提交申请' }).click()), 303);
    const notice = await textOf(page, 'main [role="status"]');
    number = /已提交，办件编号 (\S+)/.exec(notice)?.[1] ?? '';
    assert.ok(number, `submitted: ${notice}`);
    await expectAccessible(page);
    await page.getByRole('link', { name: '查看办理进度' }).click();
    await page.waitForURL(new RegExp(`/account/cases/${number}$`));
    assert.match(await textOf(page, 'dl.facts'), /办理中/);
    await expectAccessible(page);
    await page.context().close();
  });

  it('lets the window ask for 补正; the citizen answers it on the application; the window accepts', async () => {
    assert.ok(number, 'no case: the application was not submitted');
    const officer = await signIn('demo.window', '/workbench/tasks');
    assert.match(await rowOf(officer, number).innerText(), /一窗受理/);
    await rowOf(officer, number).getByRole('link', { name: number }).click();
    await officer.waitForURL(new RegExp(`/workbench/cases/${number}$`));
    await expectAccessible(officer);
    // One checkbox per material of the item (and the form), each with a note on what is wrong.
    const stop = /^暂停计时（任务 \d+ 一窗受理）$/;
    await region(officer, stop).getByLabel('暂停类型').selectOption({ label: '补正材料' });
    const asked = region(officer, stop).getByRole('group', { name: '需要补正的材料' });
    for (const m of materials)
      assert.equal(await asked.getByRole('checkbox', { name: m.name, exact: true }).count(), 1, m.name);
    await asked.getByRole('checkbox', { name: MISSING, exact: true }).check();
    await asked.getByLabel(`“${MISSING}”的问题`).fill(WHAT_IS_WRONG);
    assert.equal(await act(officer, stop, '暂停计时'), 303);
    assert.match(
      await textOf(officer, 'ol.timeline'),
      new RegExp(`暂停计时（补正材料）：${escape(MISSING)}（${WHAT_IS_WRONG}）`),
    );
    await expectAccessible(officer);

    const citizen = await signIn(APPLICANT, '/account/inbox');
    assert.match(await textOf(citizen, 'main table'), new RegExp(`补正通知：${number}`));
    await expectAccessible(citizen);
    await visit(citizen, `/account/cases/${number}`);
    assert.match(
      await textOf(citizen, 'dl.facts'),
      new RegExp(`暂停计时[\\s\\S]*需要您补正\\s*${escape(MISSING)}：${WHAT_IS_WRONG}`),
    );
    await expectAccessible(citizen);
    // The application page lists the notice; the file goes against the material it names.
    await visit(citizen, '/account/applications');
    await citizen.getByRole('link', { name: ITEM_NAME, exact: true }).click();
    await citizen.waitForURL(/\/account\/applications\/[\w-]+$/);
    const notice = region(citizen, /^补正告知$/);
    assert.match(await notice.innerText(), new RegExp(`${escape(MISSING)}\\s*${WHAT_IS_WRONG}`));
    await expectAccessible(citizen);
    const file = citizen.getByLabel(`选择“${MISSING}”的文件`, { exact: true });
    assert.equal(await upload(citizen, file, png(MISSING), '上传'), 303);
    assert.match(await region(citizen, /^补正告知$/).innerText(), new RegExp(`${escape(MISSING)}\\.png`));
    await expectAccessible(citizen);
    assert.equal(await post(citizen, () => citizen.getByRole('button', { name: '重新提交' }).click()), 303);
    assert.match(await textOf(citizen, 'main'), /已重新提交，办件继续办理。/);
    assert.equal(await region(citizen, /^补正告知$/).count(), 0);
    await expectAccessible(citizen);
    await visit(citizen, `/account/cases/${number}`);
    assert.match(await textOf(citizen, 'dl.facts'), /办理中/);
    assert.equal(await citizen.locator('dl.facts dd.notice').count(), 0);

    await visit(officer, `/workbench/cases/${number}`);
    assert.ok(await officer.getByRole('link', { name: `${MISSING}：${MISSING}.png` }).isVisible());
    assert.match(await textOf(officer, 'ol.timeline'), /恢复计时（补正材料）/);
    assert.equal(await act(officer, /^受理（任务 \d+ 一窗受理）$/, '受理'), 303);
    assert.match(await textOf(officer, 'main table'), /市场监管：设立登记[\s\S]*公安：印章刻制备案/);
    assert.ok(await officer.getByRole('link', { name: '下载受理通知书（PDF）' }).isVisible());
    await expectAccessible(officer);
    await officer.context().close();

    // The citizen downloads the 受理通知书 from the application page.
    await visit(citizen, '/account/applications');
    await citizen.getByRole('link', { name: ITEM_NAME, exact: true }).click();
    await citizen.waitForURL(/\/account\/applications\/[\w-]+$/);
    await expectAccessible(citizen);
    const [download] = await Promise.all([
      citizen.waitForEvent('download'),
      citizen.getByRole('link', { name: '下载受理通知书（PDF）' }).click(),
    ]);
    const text = (await pdfText(readFileSync((await download.path())!))).replace(/\s+/g, '');
    for (const expected of ['受理通知书', number, ITEM_NAME, '西湖区市场监督管理局', '予以受理'])
      assert.ok(text.includes(expected), `${expected} in the 受理通知书:\n${text}`);
    await citizen.context().close();
  });

  it('has the four departments approve in parallel, and the window issue the licence', async () => {
    assert.ok(number, 'no case: the application was not submitted');
    // Two through their pages, from their task lists.
    for (const [username, action, button] of [
      ['demo.market', /^准予登记（任务 \d+ [^）]+）$/, '准予登记'],
      ['demo.police', /^备案完成（任务 \d+ [^）]+）$/, '备案完成'],
    ] as const) {
      const page = await signIn(username, '/workbench/tasks');
      await expectAccessible(page);
      await rowOf(page, number).getByRole('link', { name: number }).click();
      await page.waitForURL(new RegExp(`/workbench/cases/${number}$`));
      await expectAccessible(page);
      assert.equal(await act(page, action, button), 303, `${username} acts`);
      assert.equal(await textOf(page, 'main [role="status"]'), '已保存。');
      await expectAccessible(page);
      await page.context().close();
    }
    // Two through the API, with the sessions they signed in with.
    for (const username of ['demo.tax', 'demo.hrss']) {
      const page = await signIn(username, '/workbench/tasks');
      const view = (await (await page.request.get(`/api/v1/cases/${number}`)).json()) as {
        available: { task: number | null; action: string; name?: string }[];
      };
      const agree = view.available.find((a) => a.action === 'step' && a.name === 'agree');
      assert.ok(agree, `${username} is offered agree: ${JSON.stringify(view.available)}`);
      const res = await page.request.post(`/api/v1/cases/${number}/actions`, {
        data: { action: 'step', task: agree.task, name: 'agree' },
      });
      assert.equal(res.status(), 200, await res.text());
      await page.context().close();
    }

    const officer = await signIn('demo.window', '/workbench/tasks');
    await rowOf(officer, number).getByRole('link', { name: number }).click();
    await officer.waitForURL(new RegExp(`/workbench/cases/${number}$`));
    assert.equal(await act(officer, /^出具营业执照（任务 \d+ 一窗出件）$/, '出具营业执照'), 303);
    assert.match(await textOf(officer, 'dl.facts'), /已办结 · 准予/);
    await expectAccessible(officer);
    await officer.context().close();
  });

  it('gives the citizen the licence, whose QR code’s URL verifies it to anyone', async () => {
    assert.ok(number, 'no case: the application was not submitted');
    const citizen = await signIn(APPLICANT, '/account/cases');
    assert.match(await rowOf(citizen, number).innerText(), /已办结 · 准予/);
    await expectAccessible(citizen);
    await visit(citizen, '/account/inbox');
    assert.match(await textOf(citizen, 'main table'), new RegExp(`办结通知：${number}`));
    await visit(citizen, '/account/licences');
    const row = citizen.locator('tbody tr', { hasText: '营业执照' });
    assert.match(await row.innerText(), /西湖区市场监督管理局[\s\S]*有效/);
    await expectAccessible(citizen);
    const [download] = await Promise.all([
      citizen.waitForEvent('download'),
      row.getByRole('link', { name: '下载营业执照（PDF）' }).click(),
    ]);
    const pdf = readFileSync((await download.path())!);
    const text = await pdfText(pdf);
    assert.match(text, new RegExp(COMPANY));
    const creditCode = /91\d{6}[0-9A-Z]{10}/.exec(text)?.[0] ?? '';
    assert.ok(creditCode, 'the licence carries the credit code registration assigned');
    // The note under the QR code spells out the URL it encodes (wrapped across lines, maybe).
    const licenceUrl =
      new RegExp(`${escape(e.base)}/licences/[\\w-]{22}`).exec(text.replace(/\s+/g, ''))?.[0] ?? '';
    assert.ok(licenceUrl, `the verification URL is in the PDF:\n${text}`);
    // …and names the licence the file carries, signed, inside it.
    const signed = JSON.parse((await readPdfEmbedded(pdf))?.licence ?? '{}') as { id?: string };
    assert.equal(signed.id, licenceUrl.split('/').pop());
    assert.equal(
      await row.getByRole('link', { name: '核验' }).getAttribute('href'),
      new URL(licenceUrl).pathname,
    );
    await citizen.context().close();

    // Anyone, signed in or not, in Chinese and in English.
    const anyone = await newPage();
    await visit(anyone, licenceUrl);
    assert.equal(await textOf(anyone, '#verdict'), '有效');
    const record = await textOf(anyone, 'dl.facts');
    assert.match(record, new RegExp(`持证单位\\s*${COMPANY}`));
    assert.match(record, /\*{4,}/);
    assert.doesNotMatch(record, new RegExp(creditCode));
    assert.match(record, /西湖区[\s\S]*文三路388号5楼502室/);
    await expectAccessible(anyone);
    await visit(anyone, `${licenceUrl}?lang=en`);
    assert.equal(await anyone.getAttribute('html', 'lang'), 'en');
    assert.equal(await textOf(anyone, '#verdict'), 'Valid');
    await expectAccessible(anyone);
    await anyone.context().close();
  });

  it('passes axe on the catalogue’s other pages in the workbench and on the portal', async () => {
    const admin = await signIn('demo.services', '/workbench/services');
    await expectAccessible(admin);
    await admin.getByRole('link', { name: ITEM_NAME }).first().click();
    await admin.waitForURL(new RegExp(`/workbench/services/items/${ITEM}$`));
    await expectAccessible(admin);
    await visit(admin, '/workbench/services/exchange');
    await expectAccessible(admin);
    await admin.context().close();

    const officer = await signIn('demo.window', '/workbench/applications');
    await expectAccessible(officer);
    await officer.context().close();
    const market = await signIn('demo.market', '/workbench/licences');
    await expectAccessible(market);
    const citizen = await signIn(APPLICANT, '/account/applications');
    await expectAccessible(citizen);
    for (const url of ['/account/evaluations', '/account/consultations', '/services/coverage']) {
      await visit(citizen, url);
      await expectAccessible(citizen);
    }
    const anyone = await newPage();
    await visit(anyone, '/licences/verification');
    await expectAccessible(anyone);
    await anyone.context().close();

    // What the story left there: the application submitted, the licence in the department's list.
    assert.ok(number, 'no case: the application was not submitted');
    await visit(citizen, '/account/applications');
    assert.match(await rowOf(citizen, ITEM_NAME).innerText(), new RegExp(`已提交，办件编号 ${number}`));
    await citizen.context().close();
    assert.match(await textOf(market, 'main table'), new RegExp(`营业执照[\\s\\S]*${COMPANY}`));
    await market.context().close();
  });
});
