import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { MEDIA_TYPES, mediaTypeOfZip, readAtBuffer, sniffMediaType, zipEntryNames } from '../files/index.ts';
import { parseTable, readTable, writeCsv, writeXlsx } from './index.ts';
import { SERVICE_ITEM_COLUMNS as COLUMNS } from './sample-columns.ts';
import { displayWidth } from './write-table.ts';

const RECORDS = [
  {
    code: '0001',
    name: '婚姻登记',
    type: 'confirmation',
    timeLimit: 1,
    channels: ['counter', 'online'],
    materials: ['身份证', '户口簿'],
    fee: false,
    since: '2024-03-05',
  },
  {
    code: '000120',
    name: '=1+1 "引号", 逗号\n换行',
    type: 'public',
    timeLimit: null,
    channels: [],
    materials: ['-复印件', '@附件'],
    fee: true,
    since: null,
  },
  {
    code: '9',
    name: ' 前后空格 ',
    type: 'permit',
    timeLimit: 365,
    channels: ['post'],
    materials: [],
    fee: null,
    since: '2000-02-29',
  },
];
/** What an import of RECORDS gives: cells are trimmed on the way in. */
const IMPORTED = RECORDS.map((r) => ({ ...r, name: r.name.trim() }));

async function sheetOf(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook.worksheets[0]!;
}

describe('writeXlsx', () => {
  for (const lang of ['zh-CN', 'en'] as const) {
    it(`round-trips through readTable and parseTable (${lang})`, async () => {
      const bytes = await writeXlsx(COLUMNS, RECORDS, { lang, sheetName: '事项' });
      const {
        records,
        errors,
        lang: read,
      } = parseTable((await readTable(bytes, MEDIA_TYPES.xlsx)).rows, COLUMNS);
      assert.deepEqual(errors, []);
      assert.deepEqual(records, IMPORTED);
      assert.equal(read, lang);
    });
  }

  it('is what the files module sniffs as XLSX', async () => {
    const bytes = await writeXlsx(COLUMNS, RECORDS);
    assert.equal(sniffMediaType(bytes), MEDIA_TYPES.zip);
    assert.equal(
      mediaTypeOfZip((await zipEntryNames(readAtBuffer(bytes), bytes.length)) ?? []),
      MEDIA_TYPES.xlsx,
    );
  });

  it('stores codes as text, so leading zeros stay, and integers and dates as numbers and dates', async () => {
    const sheet = await sheetOf(await writeXlsx(COLUMNS, RECORDS));
    assert.equal(sheet.getCell('A2').value, '0001');
    assert.equal(sheet.getCell('A2').numFmt, '@');
    assert.equal(sheet.getColumn(1).numFmt, '@', 'a code typed in later is text too');
    assert.equal(sheet.getCell('D2').value, 1);
    assert.deepEqual(sheet.getCell('H2').value, new Date(Date.UTC(2024, 2, 5)));
    assert.equal(sheet.getCell('H2').numFmt, 'yyyy-mm-dd');
    assert.deepEqual(
      [2, 3, 4, 5, 6, 7].map((c) => sheet.getRow(2).getCell(c).value),
      ['婚姻登记', '行政确认', 1, '窗口办理、网上办理', '身份证、户口簿', '否'],
    );
  });

  it('writes a bold, frozen header row in the chosen language, with a filter', async () => {
    const sheet = await sheetOf(await writeXlsx(COLUMNS, [], { lang: 'en', sheetName: 'a/b:c?' }));
    assert.equal(sheet.name, 'a_b_c_');
    assert.equal(sheet.getCell('A1').value, 'Item code');
    assert.equal(sheet.getRow(1).font?.bold, true);
    assert.deepEqual(sheet.views[0], { ...sheet.views[0], state: 'frozen', ySplit: 1 });
    assert.ok(sheet.autoFilter);
  });

  it('sizes columns for Chinese text, two units a character, within bounds', async () => {
    assert.equal(displayWidth('婚姻登记'), 8);
    assert.equal(displayWidth('ab中\nabcdef'), 6);
    const sheet = await sheetOf(await writeXlsx(COLUMNS, [{ ...RECORDS[0], name: '很长'.repeat(50) }]));
    assert.equal(sheet.getColumn(1).width, 10); // 事项编码: 8 + 2
    assert.equal(sheet.getColumn(2).width, 60);
    assert.equal(sheet.getColumn(2).alignment?.wrapText, true);
  });
});

describe('writeCsv', () => {
  it('round-trips through readTable and parseTable, in both languages', async () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const csv = writeCsv(COLUMNS, RECORDS, { lang });
      const { rows } = await readTable(Buffer.from(csv), sniffMediaType(Buffer.from(csv)));
      const { records, errors } = parseTable(rows, COLUMNS);
      assert.deepEqual(errors, []);
      assert.deepEqual(records, IMPORTED, lang);
    }
  });

  it('writes UTF-8 with a BOM, CRLF, RFC 4180 quotes, and guards text that would run as a formula', () => {
    const csv = writeCsv(COLUMNS, RECORDS.slice(1, 2));
    assert.ok(csv.startsWith('\ufeff事项编码,事项名称,事项类型,'));
    assert.equal(csv.split('\r\n')[1], `000120,"'=1+1 ""引号"", 逗号\n换行",公共服务,,,'-复印件、@附件,是,`);
    assert.ok(csv.endsWith('\r\n'));
  });
});
