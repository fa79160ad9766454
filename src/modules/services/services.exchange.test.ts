import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff } from '../../../test/support/staff.ts';
import { SAMPLES } from '../../kernel/files/sample-files.ts';
import type { Item } from './catalogue.ts';
import { ITEM_COLUMNS } from './item.exchange.ts';

const EXPORT = '/api/v1/services/admin/items/export';
const IMPORT = '/api/v1/services/admin/items/import';
const HEADERS = ITEM_COLUMNS.map((c) => c.header['zh-CN']);
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let gbkTable: Map<string, number[]> | undefined;
/** Text as GBK bytes, as Chinese Excel saves a CSV (Node decodes GBK but cannot encode it). */
function gbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++)
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        const c = decoder.decode(Uint8Array.of(lead, trail));
        if (trail !== 0x7f && c.length === 1 && c !== '\ufffd' && !gbkTable.has(c))
          gbkTable.set(c, [lead, trail]);
      }
  }
  const table = gbkTable;
  return Buffer.from(
    [...text].flatMap((c) => (c.charCodeAt(0) < 0x80 ? [c.charCodeAt(0)] : (table.get(c) ?? [0x3f]))),
  );
}

/** A sheet of the columns by their zh-CN headers, one row per record (missing cells empty). */
async function sheetOf(rows: Record<string, string | number>[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('事项');
  sheet.addRow(HEADERS);
  for (const r of rows) sheet.addRow(HEADERS.map((h) => r[h] ?? null));
  return Buffer.from(await book.xlsx.writeBuffer());
}

const newItem = (code: string, over: Record<string, string | number> = {}) => ({
  事项编码: code,
  事项名称: '导入测试事项',
  事项类型: '公共服务',
  实施部门: '西湖区民政局',
  服务对象: '自然人',
  网上办理深度: 2,
  法定办结时限: 20,
  承诺办结时限: 5,
  申请材料: '居民身份证｜原件\n授权委托书｜复印件｜视情形：委托他人办理的',
  收费: '工本费｜10元',
  人生阶段: '出生、入学',
  ...over,
});

describe('the catalogue as a spreadsheet over HTTP (export, import, page)', () => {
  let y: TestApp;
  const cookies = { office: '', handler: '' };
  let csrf = { token: '', cookie: '' };
  let total = 0;

  const send = (who: keyof typeof cookies, url: string, file: Buffer, withField = false) => {
    const boundary = 'yiwangexchange';
    const part = (headers: string, body: Buffer | string) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`),
        Buffer.from(body),
        Buffer.from('\r\n'),
      ]);
    return y.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: `${cookies[who]}; ${csrf.cookie}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        // The page's form sends the token as its first field; a script sends it as a header.
        ...(withField ? {} : { 'x-csrf-token': csrf.token }),
      },
      payload: Buffer.concat([
        ...(withField ? [part('Content-Disposition: form-data; name="_csrf"', csrf.token)] : []),
        part(
          'Content-Disposition: form-data; name="file"; filename="items.xlsx"\r\nContent-Type: application/octet-stream',
          file,
        ),
        Buffer.from(`--${boundary}--\r\n`),
      ]),
    });
  };
  const get = (who: keyof typeof cookies, url: string) =>
    y.app.inject({ url, headers: { cookie: cookies[who] } });
  const itemOf = async (code: string) => {
    const r = await get('office', `/api/v1/services/items/${code}`);
    return r.statusCode === 200 ? (r.json() as Item) : null;
  };

  before(async () => {
    y = await createTestApp({ seed: true });
    const office = { divisionCode: '330000', departmentName: '浙江省政务服务管理办公室' };
    cookies.office = (await signInStaff(y, { roles: ['service_admin'], ...office })).cookie;
    cookies.handler = (await signInStaff(y, { roles: ['handler'], ...office })).cookie;
    const page = await get('office', '/workbench/services/exchange');
    assert.equal(page.statusCode, 200, page.body);
    csrf = {
      token: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!,
      cookie: [page.headers['set-cookie']]
        .flat()
        .find((c) => c?.startsWith('yw_csrf='))!
        .split(';')[0]!,
    };
    total = ((await get('office', '/api/v1/services/admin/items?limit=1')).json() as { total: number }).total;
    assert.ok(total >= 10, 'the demo catalogue is seeded');
  });
  after(() => y.drop());

  it('exports the catalogue as XLSX with a Chinese file name, and imports it back unchanged', async () => {
    const res = await get('office', `${EXPORT}?format=xlsx`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], XLSX_TYPE);
    const disposition = String(res.headers['content-disposition']);
    const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!);
    assert.match(name, /^政务服务事项-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const back = await send('office', IMPORT, res.rawPayload);
    assert.equal(back.statusCode, 200, back.body);
    assert.deepEqual(back.json(), { created: 0, changed: 0, unchanged: total });
  });

  it('round-trips the CSV export too', async () => {
    const res = await get('office', `${EXPORT}?format=csv`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.ok(res.body.startsWith('\ufeff事项编码,事项名称'));
    const back = await send('office', IMPORT, res.rawPayload);
    assert.deepEqual(back.json(), { created: 0, changed: 0, unchanged: total });
  });

  it('creates the item of a new row and replaces the one of an edited row', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await get('office', `${EXPORT}?format=xlsx`)).rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const column = (h: string) => HEADERS.indexOf(h) + 1;
    const edited = String(sheet.getRow(2).getCell(column('事项编码')).value);
    sheet.getRow(2).getCell(column('咨询电话')).value = '0571-88888888';
    const fresh = newItem('TEST330106MZ0101');
    sheet.addRow(HEADERS.map((h) => fresh[h as keyof typeof fresh] ?? null));
    const res = await send('office', IMPORT, Buffer.from(await book.xlsx.writeBuffer()));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { created: 1, changed: 1, unchanged: total - 1 });
    assert.equal((await itemOf(edited))!.consultPhone, '0571-88888888');
    const created = (await itemOf('TEST330106MZ0101'))!;
    assert.equal(created.status, 'draft');
    assert.deepEqual(created.lifeEvents, ['birth', 'schooling']);
    assert.deepEqual(created.fees, [{ name: '工本费', amount: '10', basis: '' }]);
    assert.deepEqual(
      created.materials.map((m) => [m.key, m.name, m.form, m.copies, m.required, m.condition]),
      [
        ['m1', '居民身份证', 'original', 1, true, ''],
        ['m2', '授权委托书', 'copy', 1, false, '委托他人办理的'],
      ],
    );
  });

  it('refuses a file with bad rows as a whole, naming each row', async () => {
    const file = await sheetOf([
      newItem('TEST330106MZ0201'),
      newItem('TEST330106MZ0202', { 实施部门: '西湖区不存在局' }),
      newItem('TEST330106MZ0203', { 事项类型: '行政审批' }),
      newItem('TEST330106MZ0204', { 法定办结时限: 5, 承诺办结时限: 10 }),
    ]);
    const res = await send('office', IMPORT, file);
    assert.equal(res.statusCode, 400, res.body);
    assert.match(String(res.headers['content-type']), /problem\+json/);
    const body = res.json() as { code: string; errors: { field: string; code: string }[] };
    assert.equal(body.code, 'services.import.rejected');
    assert.deepEqual(
      body.errors.map((e) => [e.field, e.code]),
      [
        ['3/实施部门', 'services.exchange.department_unknown'],
        ['4/事项类型', 'tables.row.not_allowed'],
        ['5/承诺办结时限', 'services.item.promised_over_statutory'],
      ],
    );
    assert.equal(await itemOf('TEST330106MZ0201'), null, 'the good row was not imported either');
  });

  it('imports a CSV saved as GBK by Chinese Excel', async () => {
    const csv = [
      '事项编码,事项名称,事项类型,实施部门,服务对象,网上办理深度,申请材料',
      'TEST330106MZ0301,GBK编码导入,公共服务,西湖区民政局,自然人,1,"居民身份证｜原件\r\n户口簿｜复印件"',
    ].join('\r\n');
    const bytes = gbk(csv);
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'really not UTF-8');
    const res = await send('office', IMPORT, bytes);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as { created: number }).created, 1);
    assert.deepEqual(
      (await itemOf('TEST330106MZ0301'))!.materials.map((m) => m.name),
      ['居民身份证', '户口簿'],
    );
  });

  it('refuses what is not a spreadsheet (415) before reading it as one', async () => {
    const res = await send('office', IMPORT, SAMPLES.png());
    assert.equal(res.statusCode, 415, res.body);
    assert.equal((res.json() as { code: string }).code, 'files.type_not_allowed');
  });

  it('works as a page without JavaScript: every row error listed, or the counts after a redirect', async () => {
    const bad = await sheetOf([newItem('TEST330106MZ0401', { 实施部门: '' }), newItem('x')]);
    const page = await send('office', '/workbench/services/exchange', bad, true);
    assert.equal(page.statusCode, 400, page.body);
    assert.match(page.body, /class="error-summary"/);
    assert.match(page.body, /第 2 行「实施部门」：必填。/);
    assert.match(page.body, /第 3 行「事项编码」：格式不正确/);
    const good = (await get('office', `${EXPORT}?format=xlsx`)).rawPayload;
    const done = await send('office', '/workbench/services/exchange', good, true);
    assert.equal(done.statusCode, 303, done.body);
    const shown = await get('office', String(done.headers.location));
    assert.match(shown.body, new RegExp(`新建 0 个事项，修改 0 个，${total + 2} 个没有变化`));
  });

  it('is for those who manage the catalogue only (403 otherwise)', async () => {
    assert.equal((await get('handler', `${EXPORT}?format=csv`)).statusCode, 403);
    assert.equal((await get('handler', '/workbench/services/exchange')).statusCode, 403);
    const res = await send('handler', IMPORT, await sheetOf([newItem('TEST330106MZ0501')]));
    assert.equal(res.statusCode, 403, res.body);
    assert.notEqual((res.json() as { code: string }).code, 'errors.csrf');
    assert.equal(await itemOf('TEST330106MZ0501'), null);
  });
});
