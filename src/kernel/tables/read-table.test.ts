import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { DomainError } from '../errors.ts';
import { MEDIA_TYPES } from '../files/index.ts';
import { readTable } from './index.ts';

const failsWith = (code: string, params = {}) => ({ name: DomainError.name, code, params });

/** An XLSX made by exceljs, as Excel would save it, after `fill` has written its sheets. */
async function buildXlsx(fill: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  fill(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
const readXlsx = async (bytes: Buffer, limits = {}) =>
  (await readTable(bytes, MEDIA_TYPES.xlsx, limits)).rows;

describe('readTable: XLSX', () => {
  it('reads cells as a person sees them', async () => {
    const bytes = await buildXlsx((wb) => {
      const sheet = wb.addWorksheet('事项');
      sheet.addRow(['编码', '数值', '日期', '富文本', '公式', '链接', '布尔', '错误']);
      const row = sheet.addRow([
        7,
        0.1 + 0.2,
        new Date(Date.UTC(2024, 1, 29)),
        { richText: [{ text: '行政', font: { bold: true } }, { text: '许可' }] },
        { formula: 'B2*2', result: 0.6000000000000001 },
        { text: '办事指南', hyperlink: 'https://example.gov.cn' },
        true,
        { error: '#N/A' },
      ]);
      row.getCell(1).numFmt = '000000';
      sheet.addRow([
        123456789012,
        -2.5,
        new Date(Date.UTC(2024, 2, 5, 14, 30)),
        '',
        { formula: 'C2+1', result: undefined },
      ]);
      sheet.getCell('E3').numFmt = 'yyyy-mm-dd';
    });
    assert.deepEqual(await readXlsx(bytes), [
      ['编码', '数值', '日期', '富文本', '公式', '链接', '布尔', '错误'],
      ['000007', '0.3', '2024-02-29', '行政许可', '0.6', '办事指南', 'TRUE', '#N/A'],
      ['123456789012', '-2.5', '2024-03-05 14:30'],
    ]);
  });

  it('gives a formula its cached date when the cell is formatted as a date', async () => {
    const bytes = await buildXlsx((wb) => {
      const cell = wb.addWorksheet('S').getCell('A1');
      cell.value = { formula: 'DATE(2024,3,5)', result: 45356 };
      cell.numFmt = 'yyyy-mm-dd';
    });
    assert.deepEqual(await readXlsx(bytes), [['2024-03-05']]);
  });

  it('fills a block merged downwards into every row, and a block merged across only into its first column', async () => {
    const bytes = await buildXlsx((wb) => {
      const sheet = wb.addWorksheet('S');
      sheet.getCell('A1').value = 'XX县政务服务事项目录';
      sheet.mergeCells('A1:C1');
      sheet.addRow(['部门', '事项', '备注']);
      sheet.addRow(['民政局', '婚姻登记']);
      sheet.addRow([null, '收养登记']);
      sheet.mergeCells('A3:A4');
    });
    assert.deepEqual(await readXlsx(bytes), [
      ['XX县政务服务事项目录'],
      ['部门', '事项', '备注'],
      ['民政局', '婚姻登记'],
      ['民政局', '收养登记'],
    ]);
  });

  it('keeps leading blank rows, so rows[i] is row i + 1, and drops trailing ones', async () => {
    const bytes = await buildXlsx((wb) => {
      const sheet = wb.addWorksheet('S');
      sheet.getCell('B3').value = 'h';
      sheet.getCell('A5').value = 'v';
      sheet.getCell('A9').value = '   ';
      sheet.getCell('C20').value = '';
    });
    assert.deepEqual(await readXlsx(bytes), [[], [], ['', 'h'], [], ['v']]);
  });

  it('reads the first visible sheet', async () => {
    const bytes = await buildXlsx((wb) => {
      wb.addWorksheet('hidden', { state: 'hidden' }).getCell('A1').value = 'secret';
      wb.addWorksheet('shown').getCell('A1').value = 'data';
      wb.addWorksheet('later').getCell('A1').value = 'other';
    });
    assert.deepEqual(await readXlsx(bytes), [['data']]);
  });

  it('refuses a damaged file', async () => {
    const bytes = await buildXlsx((wb) => (wb.addWorksheet('S').getCell('A1').value = 'x'));
    await assert.rejects(readXlsx(bytes.subarray(0, bytes.length - 30)), failsWith('tables.unreadable'));
    const scrambled = Buffer.from(bytes);
    scrambled.fill(0x41, 100, 600);
    await assert.rejects(readXlsx(scrambled), failsWith('tables.unreadable'));
  });
});

describe('readTable: CSV', () => {
  it('reads UTF-8 text as the files module sniffs it', async () => {
    const { rows } = await readTable(Buffer.from('\ufeff事项,名称\r\n"a,b",中文\r\n\r\n'), MEDIA_TYPES.text);
    assert.deepEqual(rows, [
      ['事项', '名称'],
      ['a,b', '中文'],
    ]);
  });

  it('reads a GBK CSV, which the sniffer reports as unknown bytes', async () => {
    // 事项,名称 / 编码,中文 in GBK.
    const gbk = Buffer.from([
      0xca, 0xc2, 0xcf, 0xee, 0x2c, 0xc3, 0xfb, 0xb3, 0xc6, 0x0d, 0x0a, 0xb1, 0xe0, 0xc2, 0xeb, 0x2c, 0xd6,
      0xd0, 0xce, 0xc4,
    ]);
    const { rows } = await readTable(gbk, MEDIA_TYPES.unknown);
    assert.deepEqual(rows, [
      ['事项', '名称'],
      ['编码', '中文'],
    ]);
  });

  it('refuses what is neither a spreadsheet nor text', async () => {
    await assert.rejects(
      readTable(Buffer.from('%PDF-1.7'), MEDIA_TYPES.pdf),
      failsWith('tables.unsupported_type', { type: 'PDF' }),
    );
    await assert.rejects(
      readTable(Buffer.alloc(8), MEDIA_TYPES.ole),
      failsWith('tables.unsupported_type', { type: 'DOC/XLS' }),
    );
  });
});

describe('readTable: limits', () => {
  const csv = (rows: number) => Buffer.from(Array.from({ length: rows }, (_, i) => `r${i + 1},x`).join('\n'));

  it('refuses more rows than allowed, naming the limit', async () => {
    assert.equal((await readTable(csv(5), MEDIA_TYPES.text, { maxRows: 5 })).rows.length, 5);
    await assert.rejects(
      readTable(csv(6), MEDIA_TYPES.text, { maxRows: 5 }),
      failsWith('tables.too_many_rows', { max: 5 }),
    );
    const xlsx = await buildXlsx((wb) =>
      wb.addWorksheet('S').addRows(Array.from({ length: 6 }, (_, i) => [i])),
    );
    await assert.rejects(readXlsx(xlsx, { maxRows: 5 }), failsWith('tables.too_many_rows', { max: 5 }));
  });

  it('does not count blank rows at the end, however many', async () => {
    const bytes = Buffer.concat([csv(5), Buffer.from('\n,,\n'.repeat(100_000))]);
    assert.equal((await readTable(bytes, MEDIA_TYPES.text, { maxRows: 5 })).rows.length, 5);
  });

  it('refuses more cells than allowed', async () => {
    await assert.rejects(
      readTable(csv(5), MEDIA_TYPES.text, { maxCells: 9 }),
      failsWith('tables.too_many_cells', { max: 9 }),
    );
    const xlsx = await buildXlsx((wb) => wb.addWorksheet('S').addRow(['a', 'b', 'c']));
    await assert.rejects(readXlsx(xlsx, { maxCells: 2 }), failsWith('tables.too_many_cells', { max: 2 }));
  });

  it('refuses an XLSX that would unzip past the limit before unzipping it', async () => {
    const xlsx = await buildXlsx((wb) => wb.addWorksheet('S').addRow(['a'.repeat(100_000)]));
    assert.ok(xlsx.length < 20_000, 'the text compresses well');
    await assert.rejects(
      readXlsx(xlsx, { maxUnzippedBytes: 50_000 }),
      failsWith('tables.too_large', { max: '48.8 KB' }),
    );
  });
});
