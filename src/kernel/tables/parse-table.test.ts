import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translator } from '../i18n/index.ts';
import { defineColumns, parseTable, tableErrorMessage, type TableError } from './index.ts';
import { SERVICE_ITEM_COLUMNS as COLUMNS } from './sample-columns.ts';

const ZH = ['事项编码', '事项名称', '事项类型', '承诺时限', '办理渠道', '申请材料', '是否收费', '实施日期'];
const EN = [
  'Item code',
  'Item name',
  'Item type',
  'Time limit',
  'Channels',
  'Materials',
  'Charges a fee',
  'In force since',
];
const GOOD = ['0001', '婚姻登记', '行政确认', '1', '窗口办理', '身份证、户口簿', '否', '2024-03-05'];
const GOOD_RECORD = {
  code: '0001',
  name: '婚姻登记',
  type: 'confirmation',
  timeLimit: 1,
  channels: ['counter'],
  materials: ['身份证', '户口簿'],
  fee: false,
  since: '2024-03-05',
};
/** The errors without their column header, which each test names where it matters. */
const codes = (errors: TableError[]) => errors.map((e) => [e.row, e.key, e.code, e.params]);
/** A good row with some cells changed: { 3: 'x' } replaces the fourth. */
const rowWith = (changes: Record<number, string>) => GOOD.map((cell, i) => changes[i] ?? cell);

describe('parseTable: headers', () => {
  it('matches Chinese headers and gives typed records', () => {
    const { records, errors, lang, rowNumbers } = parseTable([ZH, GOOD], COLUMNS);
    assert.deepEqual(errors, []);
    assert.deepEqual(records, [GOOD_RECORD]);
    assert.deepEqual(rowNumbers, [2]);
    assert.equal(lang, 'zh-CN');
  });

  it('matches English headers in any order, with labels in either language', () => {
    const order = [7, 6, 5, 4, 3, 2, 1, 0];
    const good = [
      '0001',
      '婚姻登记',
      'Confirmation',
      '1',
      'At the counter',
      '身份证; 户口簿',
      'no',
      '2024-03-05',
    ];
    const { records, errors, lang } = parseTable(
      [order.map((i) => EN[i]!), order.map((i) => good[i]!)],
      COLUMNS,
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(records, [GOOD_RECORD]);
    assert.equal(lang, 'en');
  });

  it('ignores case, spaces, full-width letters and the required marker in headers', () => {
    const headers = ['＊事项编码', '事项 名称*', 'ITEM  TYPE', ...ZH.slice(3)];
    assert.deepEqual(parseTable([headers, GOOD], COLUMNS).errors, []);
  });

  it('skips a title above the header and blank rows between records, keeping the row numbers', () => {
    const rows = [
      ['XX县政务服务事项目录'],
      [],
      ZH,
      GOOD,
      [],
      ['', '  '],
      rowWith({ 0: '0002' }),
      rowWith({ 0: '' }),
    ];
    const { records, errors, rowNumbers } = parseTable(rows, COLUMNS);
    assert.deepEqual(rowNumbers, [4, 7]);
    assert.equal(records.length, 2);
    assert.deepEqual(codes(errors), [[8, 'code', 'tables.row.required', undefined]]);
  });

  it('reports unknown and repeated columns, and each missing required column once', () => {
    const headers = ['事项编码', '备注', 'Item code', ...ZH.slice(3)];
    const { errors, presentKeys } = parseTable([headers, GOOD, GOOD], COLUMNS);
    assert.deepEqual(
      errors.map((e) => [e.row, e.column, e.code]),
      [
        [1, '备注', 'tables.header.unknown_column'],
        [1, 'Item code', 'tables.header.duplicate_column'],
        [1, '事项名称', 'tables.header.missing_column'],
        [1, '事项类型', 'tables.header.missing_column'],
        // Without the name and type columns, the second good row repeats the first one's code.
        [3, '事项编码', 'tables.row.duplicate'],
      ],
    );
    assert.ok(!presentKeys.includes('name'));
  });

  it('fills an optional column the file lacks with null, or [] for a list', () => {
    const { records, presentKeys } = parseTable([ZH.slice(0, 3), GOOD.slice(0, 3)], COLUMNS);
    assert.deepEqual(records[0], {
      ...GOOD_RECORD,
      timeLimit: null,
      channels: [],
      materials: [],
      fee: null,
      since: null,
    });
    assert.deepEqual(presentKeys, ['code', 'name', 'type']);
  });

  it('reports an empty table or one with headers only', () => {
    assert.deepEqual(codes(parseTable([ZH], COLUMNS).errors), [
      [2, undefined, 'tables.no_records', undefined],
    ]);
    const missing = parseTable([], COLUMNS).errors;
    assert.deepEqual(
      missing.map((e) => [e.row, e.key, e.code]),
      ['code', 'name', 'type'].map((key) => [1, key, 'tables.header.missing_column']),
    );
  });
});

describe('parseTable: cells', () => {
  it('reports every bad cell of every row, with its row number, and keeps no bad row', () => {
    const rows = [
      ZH,
      rowWith({ 0: '', 1: '这是一个非常非常非常非常非常非常长的事项名称' }),
      rowWith({ 0: '0002', 2: '行政处罚', 3: '三天' }),
      rowWith({ 0: '0003', 3: '0', 4: '窗口办理、网上办理、邮寄' }),
      rowWith({ 0: '0004', 3: '366', 4: '上门办理', 5: '身份证,一份非常非常非常长的证明材料' }),
      rowWith({ 0: '0005', 6: '也许', 7: '2023-02-29' }),
      rowWith({ 0: '0002' }),
      rowWith({ 0: '0007', 3: '1.5' }),
      rowWith({ 0: '0008' }),
    ];
    const { records, rowNumbers, errors } = parseTable(rows, COLUMNS);
    const allowed = { allowed: '行政许可、行政确认、公共服务' };
    assert.deepEqual(codes(errors), [
      [2, 'code', 'tables.row.required', undefined],
      [2, 'name', 'tables.row.too_long', { max: 20 }],
      [3, 'type', 'tables.row.not_allowed', allowed],
      [3, 'timeLimit', 'tables.row.not_integer', undefined],
      [4, 'timeLimit', 'tables.row.too_small', { min: 1 }],
      [4, 'channels', 'tables.row.too_many_items', { max: 2 }],
      [5, 'timeLimit', 'tables.row.too_large', { max: 365 }],
      [5, 'channels', 'tables.row.not_allowed', { allowed: '窗口办理、网上办理、邮寄' }],
      [5, 'materials', 'tables.row.item_too_long', { max: 10 }],
      [6, 'fee', 'tables.row.not_boolean', undefined],
      [6, 'since', 'tables.row.not_date', undefined],
      [7, 'code', 'tables.row.duplicate', { firstRow: 3 }],
      [8, 'timeLimit', 'tables.row.not_integer', undefined],
    ]);
    assert.deepEqual(rowNumbers, [9]);
    assert.equal(records.length, 1);
  });

  it('names the allowed values in the language of the headers', () => {
    const { errors } = parseTable([EN, rowWith({ 2: 'Penalty' })], COLUMNS);
    assert.deepEqual(errors[0]?.params, { allowed: 'Licence; Confirmation; Public service' });
    assert.equal(errors[0]?.column, 'Item type');
  });

  it('normalises what is unambiguous: full-width digits, spaces, separators, date and number spellings', () => {
    const rows = [
      ZH,
      [
        '　０００９ ',
        ' 婚姻登记 ',
        '公共服务事项',
        '１，２００',
        '网上办理；窗口办理；网上办理',
        '\n身份证\n\n户口簿\n',
        'ＹＥＳ',
        '2024年3月5日',
      ],
    ];
    const { records, errors } = parseTable(
      rows,
      defineColumns(COLUMNS.map((c) => (c.key === 'timeLimit' ? { ...c, max: 2000 } : c))),
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(records[0], {
      code: '0009',
      name: '婚姻登记',
      type: 'public',
      timeLimit: 1200,
      channels: ['online', 'counter'],
      materials: ['身份证', '户口簿'],
      fee: true,
      since: '2024-03-05',
    });
  });

  it('accepts the date spellings people use and refuses impossible dates', () => {
    const since = (text: string) => parseTable([ZH, rowWith({ 7: text })], COLUMNS).records[0]?.since;
    for (const text of [
      '2024-03-05',
      '2024/3/5',
      '2024.03.05',
      '20240305',
      '2024-03-05 00:00',
      '２０２４-３-５',
    ])
      assert.equal(since(text), '2024-03-05', text);
    for (const text of ['2024-02-30', '2024-13-01', '24-3-5', '2024-03-05 14:30', '45356'])
      assert.equal(since(text), undefined, text);
  });

  it('runs a column check on the parsed value and reports its code', () => {
    const columns = defineColumns([
      {
        key: 'code',
        header: { 'zh-CN': '编码', en: 'Code' },
        kind: 'text',
        check: (v: string) => (/^\d+$/.test(v) ? undefined : 'tables.row.not_integer'),
      },
    ]);
    const { records, errors } = parseTable([['编码'], ['0012'], ['12a']], columns);
    assert.deepEqual(records, [{ code: '0012' }]);
    assert.deepEqual(codes(errors), [[3, 'code', 'tables.row.not_integer', undefined]]);
  });
});

describe('tableErrorMessage', () => {
  it('words an error with its row and column', () => {
    const { errors } = parseTable([ZH, rowWith({ 0: '' })], COLUMNS);
    assert.equal(tableErrorMessage(translator('zh-CN'), errors[0]!), '第 2 行「事项编码」：必填。');
    assert.equal(tableErrorMessage(translator('en'), errors[0]!), 'Row 2, "事项编码": required.');
  });
});
