import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MEDIA_TYPES } from '../../kernel/files/index.ts';
import { catalogFor } from '../../kernel/i18n/index.ts';
import { readTable, writeCsv, writeXlsx } from '../../kernel/tables/index.ts';
import type { Item, Material } from './catalogue.ts';
import {
  AUDIENCE_NAMES,
  DELIVERY_NAMES,
  EVENT_NAMES,
  FORM_NAMES,
  formatMaterials,
  inputsOfTable,
  ITEM_COLUMNS,
  KIND_NAMES,
  parseFees,
  parseMaterials,
  recordOfItem,
  rowErrorsOf,
  STATUS_NAMES,
} from './item.exchange.ts';

const material = (over: Partial<Material>): Material => ({
  key: 'id_card',
  name: '居民身份证',
  form: 'original',
  copies: 1,
  required: true,
  condition: '',
  heldBy: '',
  isApplicationForm: false,
  note: '',
  ...over,
});

/** Materials with every part used, and the characters the cell format must escape. */
const MATERIALS: Material[] = [
  material({ form: 'electronic', copies: 0, heldBy: '公安部门人口信息', note: '窗口出示原件' }),
  material({ key: 'proxy', name: '委托书', required: false, condition: '委托他人办理的：须本人签字' }),
  material({ key: 'form', name: '申请表', form: 'original_and_copy', copies: 2, isApplicationForm: true }),
  material({ key: 'odd-1', name: 'A|B｜C \\ D\\n', note: '第一行\n第二行', heldBy: '库\\' }),
];

const ITEM: Item = {
  form: null,
  licence: null,
  id: 7,
  tenantId: '330000',
  code: 'TEST330106MZ0002',
  name: '困难残疾人生活补贴申领',
  kind: 'payment',
  departmentId: 41,
  audience: 'both',
  onlineDepth: 3,
  statutoryDays: 20,
  promisedDays: 5,
  legalBasis: '=《国务院关于全面建立困难残疾人生活补贴制度的意见》',
  conditions: '本区户籍，持第二代残疾人证',
  process: '申请\n受理\n审核',
  materials: MATERIALS,
  fees: [
    { name: '工本费', amount: '10.50', basis: '浙价费〔2020〕1号' },
    { name: '邮寄费', amount: '0', basis: '' },
  ],
  place: '西湖区行政服务中心',
  hours: '工作日 9:00-17:00',
  consultPhone: '0571-80000000',
  complaintPhone: '12345',
  lifeEvents: ['social_assistance', 'medical'],
  enterpriseEvents: ['hiring'],
  resultDelivery: ['online', 'post'],
  consultDays: 3,
  processCode: 'TEMP-AID',
  status: 'published',
  divisionCode: '330106',
  departmentName: '西湖区民政局',
  updatedAt: '2025-01-01T00:00:00Z',
  publishedAt: null,
};
// The spreadsheet has no form column: an import leaves an item's form as it is.
const {
  id: _id,
  tenantId: _t,
  status: _s,
  divisionCode: _d,
  departmentName: _n,
  form: _f,
  licence: _l,
  ...INPUT
} = ITEM;
const { updatedAt: _u, publishedAt: _p, ...INPUT_ONLY } = INPUT;

const lookup = (name: string) => (name === '西湖区民政局' ? [41] : name === '民政局' ? [1, 2] : []);
const header = ITEM_COLUMNS.map((c) => c.header['zh-CN']);
/** A row of the zh-CN sheet with `cells` by header, the rest empty. */
const row = (cells: Record<string, string>) => header.map((h) => cells[h] ?? '');

const minimal = {
  事项编码: 'TEST000001',
  事项名称: '测试事项',
  事项类型: '公共服务',
  实施部门: '西湖区民政局',
  服务对象: '自然人',
  网上办理深度: '1',
};

describe('the catalogue spreadsheet (item.exchange)', () => {
  it('names kinds, audiences, events, deliveries, forms and statuses as the locales do', () => {
    const tables = {
      kind: KIND_NAMES,
      audience: AUDIENCE_NAMES,
      event: EVENT_NAMES,
      delivery: DELIVERY_NAMES,
      material_form: FORM_NAMES,
      status: STATUS_NAMES,
    };
    for (const [area, names] of Object.entries(tables))
      for (const [code, [zh, en]] of Object.entries<readonly string[]>(names)) {
        assert.equal(zh, catalogFor('zh-CN')[`services.${area}.${code}`], `${area}.${code}`);
        assert.equal(en, catalogFor('en')[`services.${area}.${code}`], `${area}.${code}`);
      }
  });

  it('writes materials one a line and reads them back exactly, escapes included, in both languages', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const text = formatMaterials(MATERIALS, lang);
      assert.equal(text.split('\n').length, MATERIALS.length);
      assert.deepEqual(parseMaterials(text), { materials: MATERIALS, problems: [] });
    }
    assert.equal(
      formatMaterials([MATERIALS[1]!], 'zh-CN'),
      '委托书｜原件｜1份｜视情形：委托他人办理的：须本人签字｜标识：proxy',
    );
  });

  it('reads a material typed by hand: defaults, derived keys, half-width bars and either language', () => {
    const { materials, problems } = parseMaterials(
      '居民身份证｜原件\n户口簿 | copy | 2 copies | if: 户籍不在本区的 | key: m1\n\n照片｜电子版｜申请表',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      materials.map((m) => [m.key, m.name, m.form, m.copies, m.required, m.condition, m.isApplicationForm]),
      [
        ['m2', '居民身份证', 'original', 1, true, '', false],
        ['m1', '户口簿', 'copy', 2, false, '户籍不在本区的', false],
        ['m3', '照片', 'electronic', 1, true, '', true],
      ],
    );
    assert.deepEqual(parseMaterials('无').materials, []);
  });

  it('says which part of which material it cannot read', () => {
    const { problems } = parseMaterials('身份证｜原件｜原件\n户口簿｜1份\n照片｜原件｜蓝底');
    assert.deepEqual(problems, [
      { entry: 1, code: 'services.exchange.part_repeated', params: { part: '原件' } },
      { entry: 2, code: 'services.exchange.material_form_missing' },
      { entry: 3, code: 'services.exchange.part_unknown', params: { part: '蓝底' } },
    ]);
  });

  it('reads fees as name｜amount｜basis, an amount in 元 as typed, 不收费 as none', () => {
    assert.deepEqual(parseFees('工本费｜10元｜依据\n邮寄费 | 5.5'), {
      fees: [
        { name: '工本费', amount: '10', basis: '依据' },
        { name: '邮寄费', amount: '5.5', basis: '' },
      ],
      problems: [],
    });
    assert.deepEqual(parseFees('不收费').fees, []);
    assert.deepEqual(parseFees('工本费').problems, [{ entry: 1, code: 'services.exchange.fee_parts' }]);
  });

  for (const [format, write] of [
    ['XLSX', (lang: 'zh-CN' | 'en') => writeXlsx(ITEM_COLUMNS, [recordOfItem(ITEM, lang)], { lang })],
    [
      'CSV',
      async (lang: 'zh-CN' | 'en') =>
        Buffer.from(writeCsv(ITEM_COLUMNS, [recordOfItem(ITEM, lang)], { lang })),
    ],
  ] as const)
    it(`gives back the item it exported as ${format}, in either language`, async () => {
      for (const lang of ['zh-CN', 'en'] as const) {
        const type = format === 'XLSX' ? MEDIA_TYPES.xlsx : MEDIA_TYPES.text;
        const { rows } = await readTable(await write(lang), type);
        if (lang === 'zh-CN') assert.equal(rows[1]![header.indexOf('状态')], '已发布');
        const { inputs, errors } = inputsOfTable(rows, lookup);
        assert.deepEqual(errors, []);
        assert.deepEqual(inputs, [{ row: 2, input: INPUT_ONLY }]);
      }
    });

  it('lists every error of every row with its row and column: cells, department, materials, rules', () => {
    const { inputs, errors } = inputsOfTable(
      [
        ['浙江省政务服务事项目录'],
        header,
        row(minimal),
        row({ ...minimal, 事项编码: 'TEST000002', 实施部门: '不存在的局', 事项类型: '行政审批' }),
        row({ ...minimal, 事项编码: 'TEST000003', 实施部门: '民政局', 申请材料: '身份证' }),
        row({ ...minimal, 事项编码: 'TEST000004', 法定办结时限: '5', 承诺办结时限: '10' }),
        row({ ...minimal, 事项编码: 'test-5', 收费: '工本费｜十元' }),
      ],
      lookup,
    );
    assert.equal(inputs.length, 4, 'row 4 cannot be read at all');
    assert.deepEqual(
      errors.map((e) => [e.row, e.column, e.entry, e.code]),
      [
        [4, '事项类型', undefined, 'tables.row.not_allowed'],
        [5, '实施部门', undefined, 'services.exchange.department_ambiguous'],
        [5, '申请材料', 1, 'services.exchange.material_form_missing'],
        [6, '承诺办结时限', undefined, 'services.item.promised_over_statutory'],
        [7, '事项编码', undefined, 'services.field.pattern'],
        [7, '收费', 1, 'services.field.pattern'],
      ],
    );
    assert.deepEqual(inputs[0], {
      row: 3,
      input: {
        ...INPUT_ONLY,
        code: 'TEST000001',
        name: '测试事项',
        kind: 'public_service',
        audience: 'person',
        onlineDepth: 1,
        statutoryDays: null,
        promisedDays: null,
        legalBasis: '',
        conditions: '',
        process: '',
        materials: [],
        fees: [],
        place: '',
        hours: '',
        consultPhone: '',
        complaintPhone: '',
        lifeEvents: [],
        enterpriseEvents: [],
        resultDelivery: [],
        consultDays: null,
        processCode: null,
      },
    });
  });

  it('names the row, column and entry of the service’s problems', () => {
    assert.deepEqual(
      rowErrorsOf(
        [
          { field: '5/materials/1/name', code: 'services.field.minLength', params: { limit: 1 } },
          { field: '6/departmentId', code: 'services.item.department_unknown' },
          { field: '7/code', code: 'services.item.other_department' },
        ],
        'en',
      ),
      [
        { row: 5, column: 'Materials', entry: 2, code: 'services.field.minLength', params: { limit: 1 } },
        { row: 6, column: 'Implementing department', code: 'services.item.department_unknown' },
        { row: 7, column: 'Item code', code: 'services.item.other_department' },
      ],
    );
  });
});
