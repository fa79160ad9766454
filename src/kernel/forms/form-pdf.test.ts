import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pdfText } from '../pdf/index.ts';
import { numbered } from './form-pdf.ts';
import {
  formPdf,
  INDIVIDUAL_BUSINESS_FORM as BUSINESS,
  memoryDivisionLookup,
  SAMPLE_DIVISIONS,
  type FormPdfOptions,
} from './index.ts';

const OPTIONS: FormPdfOptions = {
  mode: 'blank',
  title: '个体工商户设立登记申请表',
  issuer: '杭州市西湖区市场监督管理局',
  lang: 'zh-CN',
  createdAt: new Date('2025-03-14T08:30:00Z'),
  divisions: memoryDivisionLookup(SAMPLE_DIVISIONS),
};

/** The text without the spaces and line breaks layout puts in it. */
const textOf = async (pdf: Buffer) => (await pdfText(pdf)).replace(/\s+/g, '');

const LABELS = [
  '经营者姓名',
  '身份证号',
  '联系电话',
  '经营场所',
  '经营范围',
  '资金数额',
  '从业人数',
  '组成形式',
];
const SAMPLES = ['张三', '330106199003070014', '13800138000', '杭州市西湖区张三小吃店', '小吃服务；食品销售'];

describe('formPdf', () => {
  it('prints the blank form: title, numbered groups, every label and option, nothing filled in', async () => {
    const text = await textOf(await formPdf(BUSINESS, OPTIONS));
    for (const s of [
      '个体工商户设立登记申请表',
      '一、经营者信息',
      '二、经营信息',
      ...LABELS,
      '个人经营',
      '家庭经营',
    ])
      assert.ok(text.includes(s), s);
    for (const s of [...SAMPLES, '填写样例']) assert.ok(!text.includes(s), s);
  });

  it('lists file fields as materials to attach, and the hints as instructions', async () => {
    const text = await textOf(await formPdf(BUSINESS, OPTIONS));
    assert.ok(text.includes('三、随表提交的材料1.经营者身份证明'), text);
    assert.ok(text.includes('填表说明：1.勾选项请在□内打“√”'));
    assert.ok(text.includes('经营范围：参照《经营范围规范表述目录》填写'));
    assert.ok(text.includes('申请人（签字）'));
    assert.ok(text.includes('杭州市西湖区市场监督管理局制'));
  });

  it('prints the sample values under a 填写样例 watermark, the address by name', async () => {
    const text = await textOf(await formPdf(BUSINESS, { ...OPTIONS, mode: 'sample' }));
    for (const s of [...LABELS, ...SAMPLES, '填写样例', '2025年4月1日']) assert.ok(text.includes(s), s);
    assert.ok(text.includes('浙江省杭州市西湖区北山街道上保社区保俶路12号一楼'), text);
  });

  it('prints English labels, options and instructions for an English form', async () => {
    const pdf = await formPdf(BUSINESS, {
      ...OPTIONS,
      lang: 'en',
      title: 'Individual business registration',
    });
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    for (const s of [
      'Individual business registration',
      '1. The operator',
      'Operator name',
      'Run by a family',
      'Notes:',
    ])
      assert.ok(text.includes(s), s);
  });

  it('gives the same bytes for the same options', async () => {
    const a = await formPdf(BUSINESS, { ...OPTIONS, mode: 'sample' });
    const b = await formPdf(BUSINESS, { ...OPTIONS, mode: 'sample' });
    assert.ok(a.equals(b));
  });
});

describe('numbered', () => {
  it('writes section numbers as Chinese numerals', () => {
    assert.deepEqual(
      [1, 9, 10, 11, 20, 23].map((n) => numbered(n, 'x', 'zh-CN')),
      ['一、x', '九、x', '十、x', '十一、x', '二十、x', '二十三、x'],
    );
    assert.equal(numbered(3, 'Documents', 'en'), '3. Documents');
  });
});
