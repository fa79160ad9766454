/**
 * Documents of the three kinds the platform issues, built the way their callers will build them. Used by
 * the tests, and handy for looking at the output: `renderPdf(buildApplicationForm())`.
 */
import type { Field, PdfDocument } from './pdf-document.ts';

const CREATED = new Date('2025-03-14T08:30:00Z');

const FORM_FIELDS = (filled: boolean): Field[] => {
  const v = (value: string) => (filled ? value : undefined);
  return [
    { label: '申请人姓名', value: v('张三') },
    { label: '性别', options: [{ label: '男', checked: filled }, { label: '女' }] },
    { label: '公民身份号码', value: v('11010519491231002X') },
    { label: '联系电话', value: v('13800138000') },
    { label: '住所地址', value: v('北京市东城区建国门内大街18号恒基中心办公楼一座1001室'), wide: true },
    {
      label: '申请事项',
      options: [
        { label: '设立登记', checked: filled },
        { label: '变更登记' },
        { label: '注销登记' },
        { label: '备案' },
      ],
      wide: true,
    },
    {
      label: '申请理由',
      value: v(
        '因经营需要，申请办理食品经营许可证。经营场所已按要求完成装修，卫生条件符合《食品安全法》规定。',
      ),
      blankLines: 4,
      wide: true,
    },
  ];
};

/** The application form, blank to fill by hand or filled as a sample (填写样例). */
export function buildApplicationForm(options: { filled?: boolean } = {}): PdfDocument {
  const filled = options.filled === true;
  return {
    title: '食品经营许可申请表',
    lang: 'zh-CN',
    author: '某某市市场监督管理局',
    subject: '表格下载',
    keywords: ['食品经营许可', '申请表'],
    createdAt: CREATED,
    watermark: filled ? '填写样例' : undefined,
    footer: '某某市市场监督管理局制',
    pageNumbers: '第 {page} 页 / 共 {pages} 页',
    blocks: [
      { kind: 'title', text: '食品经营许可申请表', subtitle: '表格编号：SJ-2025-001' },
      { kind: 'heading', text: '一、申请人基本信息' },
      { kind: 'fields', columns: 2, fields: FORM_FIELDS(filled) },
      { kind: 'heading', text: '二、申请人声明' },
      {
        kind: 'paragraph',
        text: '本人郑重声明：所提交的申请材料真实、合法、有效，复印件与原件一致，如有虚假，愿承担相应的法律责任。',
      },
      {
        kind: 'fields',
        layout: 'plain',
        columns: 2,
        fields: [
          { label: '申请人（签字）', value: filled ? '张三' : undefined },
          { label: '日期', value: filled ? '2025年3月14日' : undefined },
        ],
      },
      {
        kind: 'note',
        text: '填表说明：1. 请使用黑色钢笔或签字笔填写，字迹清晰；2. 勾选项请在□内打“√”；3. 本表一式两份。',
      },
    ],
  };
}

/** A decision document in the official style: 受理通知书. */
export function buildDecision(): PdfDocument {
  return {
    title: '受理通知书',
    lang: 'zh-CN',
    style: 'official',
    author: '某某市政务服务中心',
    createdAt: CREATED,
    pageNumbers: '— {page} —',
    blocks: [
      { kind: 'title', text: '受理通知书', subtitle: '某政服受字〔2025〕第0012号' },
      { kind: 'paragraph', text: '张三：', indent: false },
      {
        kind: 'paragraph',
        text: '你（单位）于2025年3月10日提出的食品经营许可申请，经审查，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。',
      },
      {
        kind: 'paragraph',
        text: '本机关将在受理之日起二十个工作日内作出行政许可决定。办件编号：BJ20250310000123。',
      },
      { kind: 'signature', issuer: '某某市政务服务中心', date: '2025年3月14日' },
      { kind: 'note', text: '（本通知书一式两份，一份交申请人，一份存档。）' },
    ],
  };
}

/** An electronic licence: canonical data and signature embedded, a QR code to verify it online. */
export function buildLicence(
  embedded: Record<string, string> = { licenceNo: 'JY11101050012345' },
): PdfDocument {
  return {
    title: '食品经营许可证',
    lang: 'zh-CN',
    author: '某某市市场监督管理局',
    subject: '电子证照',
    createdAt: CREATED,
    embedded,
    blocks: [
      { kind: 'title', text: '食 品 经 营 许 可 证', subtitle: '（电子证照）' },
      {
        kind: 'fields',
        layout: 'plain',
        fields: [
          { label: '许可证编号', value: 'JY11101050012345' },
          { label: '经营者名称', value: '北京某某餐饮管理有限公司' },
          { label: '统一社会信用代码', value: '91110105MA01ABCD1X' },
          { label: '经营场所', value: '北京市东城区建国门内大街18号恒基中心办公楼一座1001室' },
          { label: '经营项目', value: '热食类食品制售；冷食类食品制售；自制饮品制售' },
          { label: '有效期至', value: '2030年3月13日' },
        ],
      },
      {
        kind: 'qr',
        payload: 'https://zwfw.example.gov.cn/verify/JY11101050012345',
        caption: '扫描二维码核验证照真伪',
        align: 'right',
      },
      { kind: 'signature', issuer: '某某市市场监督管理局', date: '2025年3月14日' },
    ],
  };
}
