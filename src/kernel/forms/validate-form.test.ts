import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compiledForm } from './data-schema.ts';
import {
  formValuesOf,
  INDIVIDUAL_BUSINESS_FORM as BUSINESS,
  memoryDivisionLookup,
  pickedAddress,
  SAMPLE_DIVISIONS,
  validateForm,
  type FormDefinition,
  type ValidateOptions,
} from './index.ts';

const divisions = { root: '330000', lookup: memoryDivisionLookup(SAMPLE_DIVISIONS) };
const page: ValidateOptions = { from: 'page', divisions, today: '2025-03-14' };
const api: ValidateOptions = { from: 'api', divisions, today: '2025-03-14' };

/** A complete, valid post of the sample form, as a browser sends it. */
const POSTED = {
  operatorName: ' 张三 ',
  operatorId: '11010519491231002x',
  phone: '138 0013 8000',
  education: 'college',
  businessName: '',
  'premises/division/1': '330100',
  'premises/division/2': '330106',
  'premises/division/3': '330106002',
  'premises/division/4': '330106002051',
  'premises/detail': '保俶路12号',
  scope: '小吃服务\r\n食品销售',
  channels: 'store\nonline',
  capital: '１,２００.５',
  employees: '3',
  organization: 'family',
  openingDate: '2025年4月1日',
  idCopy: 'sm3:ab12',
};

const ANSWERS = {
  operatorName: '张三',
  operatorId: '11010519491231002X',
  phone: '13800138000',
  education: 'college',
  premises: { division: '330106002051', detail: '保俶路12号' },
  scope: '小吃服务\n食品销售',
  channels: ['store', 'online'],
  capital: 1200.5,
  employees: 3,
  organization: 'family',
  openingDate: '2025-04-01',
  idCopy: 'sm3:ab12',
};

const codes = (r: { problems: { field: string; code: string }[] }) =>
  Object.fromEntries(r.problems.map((p) => [p.field, p.code]));

/** A form of the widgets the sample does not use in every variant. */
const ENTERPRISE: FormDefinition = {
  type: 'object',
  required: ['creditCode', 'mobile'],
  properties: {
    creditCode: { title: '统一社会信用代码', 'x-widget': 'credit-code' },
    mobile: { title: '手机号码', 'x-widget': 'phone', 'x-phone': 'mobile' },
    licences: { title: '许可证', 'x-widget': 'file', 'x-multiple': true },
    services: {
      title: '办理事项',
      'x-widget': 'checkbox',
      items: { enum: ['a', 'b', 'c'] },
      maxItems: 2,
      'x-enum-labels': { 'zh-CN': ['甲', '乙', '丙'] },
    },
    note: { title: '备注', 'x-widget': 'text', maxLength: 5 },
  },
  'x-groups': [{ title: '企业', fields: ['creditCode', 'mobile', 'licences', 'services', 'note'] }],
};

describe('validateForm from a page', () => {
  it('coerces every widget from strings and normalises the values', async () => {
    const r = await validateForm(BUSINESS, POSTED, page);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.data, ANSWERS);
  });

  it('reports blanks in the words of each widget: fill in, choose, upload', async () => {
    const r = await validateForm(BUSINESS, {}, page);
    assert.deepEqual(codes(r), {
      operatorName: 'forms.field.required',
      operatorId: 'forms.field.required',
      phone: 'forms.field.required',
      premises: 'forms.field.choose',
      scope: 'forms.field.required',
      capital: 'forms.field.required',
      employees: 'forms.field.required',
      organization: 'forms.field.choose',
      idCopy: 'forms.file.required',
    });
    assert.deepEqual(r.problems[0], {
      field: 'operatorName',
      code: 'forms.field.required',
      params: { label: '经营者姓名' },
    });
  });

  it('checks the citizen ID’s check character and names the reason', async () => {
    const r = await validateForm(BUSINESS, { ...POSTED, operatorId: '110105194912310021' }, page);
    assert.deepEqual(codes(r), { operatorId: 'identifiers.citizen_id.check_character' });
    assert.equal(r.data.operatorId, undefined);
  });

  it('checks numbers: not a number, not whole, out of range', async () => {
    assert.deepEqual(codes(await validateForm(BUSINESS, { ...POSTED, capital: '五万' }, page)), {
      capital: 'forms.number.format',
    });
    assert.deepEqual(codes(await validateForm(BUSINESS, { ...POSTED, employees: '2.5' }, page)), {
      employees: 'forms.number.integer',
    });
    const r = await validateForm(BUSINESS, { ...POSTED, employees: '0', capital: '100001' }, page);
    assert.deepEqual(codes(r), { capital: 'forms.number.maximum', employees: 'forms.number.minimum' });
    assert.deepEqual(r.problems[0]!.params, { label: '资金数额（万元）', max: 100000 });
  });

  it('takes dates as people write them and refuses days that do not exist', async () => {
    for (const written of ['2024-2-29', '2024/02/29', '2024.2.29', '２０２４年２月２９日']) {
      const r = await validateForm(BUSINESS, { ...POSTED, openingDate: written }, page);
      assert.equal(r.data.openingDate, '2024-02-29', written);
    }
    const r = await validateForm(BUSINESS, { ...POSTED, openingDate: '2025-02-29' }, page);
    assert.deepEqual(codes(r), { openingDate: 'forms.date.format' });
  });

  it('refuses a choice that is not an option', async () => {
    const r = await validateForm(
      BUSINESS,
      { ...POSTED, organization: 'company', channels: 'store\nbarter' },
      page,
    );
    assert.deepEqual(codes(r), { channels: 'forms.choice.unknown', organization: 'forms.choice.unknown' });
  });

  it('checks credit codes, mobile-only phones, list limits and text length', async () => {
    const good = await validateForm(
      ENTERPRISE,
      { creditCode: '91330100799655058b', mobile: '+86 139-0000-0000', licences: 'r1\nr2', services: 'a' },
      page,
    );
    assert.deepEqual(good.problems, []);
    assert.deepEqual(good.data, {
      creditCode: '91330100799655058B',
      mobile: '13900000000',
      licences: ['r1', 'r2'],
      services: ['a'],
    });
    const bad = await validateForm(
      ENTERPRISE,
      {
        creditCode: '91330100799655058C',
        mobile: '0571-87654321',
        services: 'a\nb\nc',
        note: '一二三四五六',
      },
      page,
    );
    assert.deepEqual(codes(bad), {
      creditCode: 'identifiers.credit_code.check_character',
      mobile: 'forms.phone.mobile',
      services: 'forms.choice.too_many',
      note: 'forms.text.too_long',
    });
  });
});

describe('validateForm: addresses', () => {
  const post = (selects: string[], detail = '1号') => {
    const values: Record<string, string> = { ...POSTED, 'premises/detail': detail };
    for (let i = 1; i <= 4; i++) values[`premises/division/${i}`] = selects[i - 1] ?? '';
    return values;
  };

  it('asks for the level the field wants, naming it', async () => {
    const r = await validateForm(BUSINESS, post(['330100', '330106']), page);
    assert.deepEqual(r.problems, [
      {
        field: 'premises',
        code: 'forms.address.too_shallow',
        params: { label: '经营场所', level: '村（社区）' },
      },
    ]);
  });

  it('ignores a lower select left over from before a higher one changed', async () => {
    const r = await validateForm(BUSINESS, post(['330100', '330102', '330106002', '330106002051']), page);
    assert.equal(codes(r).premises, 'forms.address.too_shallow');
  });

  it('accepts a division that cannot be refined further, though above the level asked for', async () => {
    const national = { ...page, divisions: { ...divisions, root: '000000' } };
    const r = await validateForm(BUSINESS, post(['110000', '110101', '110101001']), national);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.data.premises, { division: '110101001', detail: '1号' });
  });

  it('refuses divisions outside the root or not in the list, and a missing detail', async () => {
    const outside = await validateForm(
      BUSINESS,
      { ...ANSWERS, premises: { division: '110101001', detail: '1号' } },
      api,
    );
    assert.equal(codes(outside).premises, 'forms.address.outside');
    const unknown = await validateForm(BUSINESS, { ...ANSWERS, premises: { division: '330106002099' } }, api);
    assert.deepEqual(codes(unknown), {
      premises: 'forms.address.unknown_division',
      'premises/detail': 'forms.address.detail_required',
    });
  });

  it('tells a "选择下一级" post from a submit', () => {
    assert.equal(pickedAddress(BUSINESS, { ...POSTED, _pick: 'premises' }), 'premises');
    assert.equal(pickedAddress(BUSINESS, { ...POSTED, _pick: 'scope' }), undefined);
    assert.equal(pickedAddress(BUSINESS, POSTED), undefined);
  });
});

describe('validateForm from the API', () => {
  it('passes the same answers a page gives', async () => {
    const r = await validateForm(BUSINESS, ANSWERS, api);
    assert.deepEqual(r, { data: ANSWERS, problems: [] });
  });

  it('keeps JSON types strict, refuses unknown fields, and labels in the caller’s language', async () => {
    const r = await validateForm(
      BUSINESS,
      { ...ANSWERS, capital: '5', employees: 3.5, nickname: '小张' },
      { ...api, lang: 'en' },
    );
    assert.deepEqual(
      r.problems.map((p) => [p.field, p.code, p.params?.label]),
      [
        ['nickname', 'forms.field.unknown', 'nickname'],
        ['capital', 'forms.field.type', 'Capital (10,000 yuan)'],
        ['employees', 'forms.number.integer', 'Number employed (people)'],
      ],
    );
  });

  it('refuses a body that is not an object', async () => {
    const r = await validateForm(BUSINESS, ['张三'], api);
    assert.deepEqual(r.problems[0], { field: '_', code: 'forms.body.not_object' });
  });
});

describe('formValuesOf', () => {
  it('shows answers in the fields so that posting them back gives the same answers', async () => {
    const r = await validateForm(BUSINESS, formValuesOf(BUSINESS, ANSWERS), page);
    assert.deepEqual(r, { data: ANSWERS, problems: [] });
  });
});

describe('compiledForm', () => {
  it('compiles a definition once, even when it is read afresh', () => {
    assert.equal(compiledForm(BUSINESS), compiledForm(structuredClone(BUSINESS)));
    assert.notEqual(compiledForm(BUSINESS), compiledForm(ENTERPRISE));
  });
});
