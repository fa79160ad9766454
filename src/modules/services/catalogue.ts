/**
 * The service item (政务服务事项) and its guide elements, as the national standard for service guides
 * lists them (GB/T 32169 政务服务中心运行规范; the 国务院办公厅 guide-element requirements): what the
 * item is, who implements it, on what legal basis, under what conditions, with which materials,
 * through which process, in how many working days, at what cost, where and when, whom to call.
 *
 * Kinds, audiences, events and material forms are stable English keys in code and the API; their
 * Chinese and English names are in the locales (services.kind.<key>, services.event.<key>, …).
 */
import { Ajv } from 'ajv';
import { checkFormDefinition, type FormDefinition } from '../../kernel/forms/index.ts';
import { Nullable } from '../../kernel/http/index.ts';
import { Type, type Static } from 'typebox';

/** 事项类型: the seven kinds of administrative power in the catalogue, and public services. */
export const ITEM_KINDS = [
  'licensing', // 行政许可
  'payment', // 行政给付
  'confirmation', // 行政确认
  'levy', // 行政征收
  'reward', // 行政奖励
  'adjudication', // 行政裁决
  'other_power', // 其他行政权力
  'public_service', // 公共服务
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** 服务对象 */
export const AUDIENCES = ['person', 'enterprise', 'both'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** 个人生命周期事件 (主题服务: 自然人). */
export const LIFE_EVENTS = [
  'birth', // 出生
  'schooling', // 入学
  'employment', // 就业
  'marriage_childbirth', // 婚育
  'housing', // 住房
  'medical', // 医疗
  'social_assistance', // 社会救助
  'travel', // 出行
  'retirement', // 退休
  'death', // 身后事
] as const;

/** 法人全生命周期事件 (主题服务: 法人). */
export const ENTERPRISE_EVENTS = [
  'start_business', // 开办企业
  'permits', // 准营
  'construction', // 工程建设
  'hiring', // 用工
  'tax', // 纳税
  'change', // 变更
  'cancellation', // 注销
] as const;

/** 网上办理深度: 一级 information only … 四级 fully online (全程网办). */
export const ONLINE_DEPTHS = [1, 2, 3, 4] as const;

/** 材料形式 */
export const MATERIAL_FORMS = ['original', 'copy', 'original_and_copy', 'electronic'] as const;

/** How the result reaches the applicant (结果送达). */
export const RESULT_DELIVERIES = ['online', 'window', 'post'] as const;

const Text = (maxLength: number) => Type.String({ maxLength });
const Key = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', description: 'stable within the item' });

export const MaterialSchema = Type.Object(
  {
    key: Key,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    form: Type.Union([
      Type.Literal('original'),
      Type.Literal('copy'),
      Type.Literal('original_and_copy'),
      Type.Literal('electronic'),
    ]),
    copies: Type.Integer({ minimum: 0, maximum: 20 }),
    /** required always, or only under `condition` */
    required: Type.Boolean(),
    condition: Text(500),
    /** where the government already holds this (e.g. 公安人口库): such applicants need not submit it */
    heldBy: Text(200),
    /** the item's application form is this material's blank form (表格下载: PDF generated from it) */
    isApplicationForm: Type.Boolean(),
    note: Text(500),
  },
  { additionalProperties: false },
);
export type Material = Static<typeof MaterialSchema>;

export const FeeSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    /** yuan, two decimals at most */
    amount: Type.String({ pattern: '^(0|[1-9][0-9]{0,8})(\\.[0-9]{1,2})?$' }),
    basis: Text(500),
  },
  { additionalProperties: false },
);
export type Fee = Static<typeof FeeSchema>;

/**
 * The electronic licence (电子证照) an approved application issues: its type, whose it is (the form
 * fields naming the holder and their ID number), which form fields it carries, for how long.
 */
export const LicenceSpecSchema = Type.Object(
  {
    code: Type.String({
      pattern: '^[a-z][a-z0-9_]{1,39}$',
      description: 'licence type code, e.g. business_licence',
    }),
    name: Type.String({ minLength: 1, maxLength: 100, description: '营业执照, 食品经营许可证 …' }),
    holderNameField: Type.String({ maxLength: 60 }),
    holderIdField: Type.String({
      maxLength: 60,
      description: "a citizen-id or credit-code field of the form; '' when the approval assigns the code",
    }),
    /**
     * 设立登记: the approval registers a new organisation and assigns its unified social credit code,
     * which the licence (营业执照) carries; its holder is the organisation named by holderNameField.
     */
    assignsCreditCode: Type.Optional(Type.Boolean()),
    fields: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30, uniqueItems: true }),
    /** years from the issue date; null: 长期 */
    validYears: Nullable(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type LicenceSpec = Static<typeof LicenceSpecSchema>;

/** What an administrator writes; the status and the search index are the service's. */
export const ItemInputSchema = Type.Object(
  {
    /** 事项编码 (实施编码), upper-case letters and digits */
    code: Type.String({ pattern: '^[0-9A-Z]{6,40}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Union([
      Type.Literal('licensing'),
      Type.Literal('payment'),
      Type.Literal('confirmation'),
      Type.Literal('levy'),
      Type.Literal('reward'),
      Type.Literal('adjudication'),
      Type.Literal('other_power'),
      Type.Literal('public_service'),
    ]),
    departmentId: Type.Integer({ minimum: 1 }),
    audience: Type.Union([Type.Literal('person'), Type.Literal('enterprise'), Type.Literal('both')]),
    onlineDepth: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)]),
    /** 法定办结时限, working days */
    statutoryDays: Nullable(Type.Integer({ minimum: 0, maximum: 999 })),
    /** 承诺办结时限, working days; at most the statutory limit */
    promisedDays: Nullable(Type.Integer({ minimum: 0, maximum: 999 })),
    legalBasis: Text(5000),
    conditions: Text(5000),
    process: Text(5000),
    materials: Type.Array(MaterialSchema, { maxItems: 60 }),
    /** empty: 不收费 */
    fees: Type.Array(FeeSchema, { maxItems: 20 }),
    place: Text(500),
    hours: Text(500),
    consultPhone: Text(100),
    complaintPhone: Text(100),
    lifeEvents: Type.Array(Type.String(), { maxItems: 10, uniqueItems: true }),
    enterpriseEvents: Type.Array(Type.String(), { maxItems: 10, uniqueItems: true }),
    resultDelivery: Type.Array(Type.String(), { maxItems: 3, uniqueItems: true }),
    /** working days within which online questions (网上咨询) are answered; null: no online consultation */
    consultDays: Nullable(Type.Integer({ minimum: 1, maximum: 60 })),
    /** the process (workflow definition code) an application follows; null: no online application */
    processCode: Nullable(Type.String({ maxLength: 100 })),
    /**
     * The application form (申请表) as a form definition (JSON Schema with x- layout keywords, see
     * src/kernel/forms); its blank and sample PDFs are the guide's 表格下载. Absent or null: none.
     */
    form: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
    /** The licence an approval issues (fields from the form). Absent: keep; null: none. */
    licence: Type.Optional(Type.Union([LicenceSpecSchema, Type.Null()])),
  },
  { additionalProperties: false },
);
export type ItemInput = Static<typeof ItemInputSchema>;

export type ItemStatus = 'draft' | 'published' | 'suspended';

export interface Item extends Omit<ItemInput, 'form' | 'licence'> {
  form: FormDefinition | null;
  licence: LicenceSpec | null;
  id: number;
  tenantId: string;
  status: ItemStatus;
  /** the implementing department's division */
  divisionCode: string;
  departmentName: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface Problem {
  field: string;
  code: string;
  params?: Record<string, string | number>;
}

const inList = (list: readonly string[], v: string) => list.includes(v);

/** The rules the schema cannot say; every problem, each with the field it is about. */
export function itemProblems(input: ItemInput): Problem[] {
  const out: Problem[] = [];
  if (input.name.trim() === '') out.push({ field: 'name', code: 'services.item.name_required' });
  if (input.statutoryDays !== null && input.promisedDays !== null && input.promisedDays > input.statutoryDays)
    out.push({
      field: 'promisedDays',
      code: 'services.item.promised_over_statutory',
      params: { statutory: input.statutoryDays },
    });
  input.lifeEvents.forEach((e, i) => {
    if (!inList(LIFE_EVENTS, e))
      out.push({ field: `lifeEvents/${i}`, code: 'services.item.event_unknown', params: { event: e } });
  });
  input.enterpriseEvents.forEach((e, i) => {
    if (!inList(ENTERPRISE_EVENTS, e))
      out.push({ field: `enterpriseEvents/${i}`, code: 'services.item.event_unknown', params: { event: e } });
  });
  input.resultDelivery.forEach((d, i) => {
    if (!inList(RESULT_DELIVERIES, d))
      out.push({ field: `resultDelivery/${i}`, code: 'services.item.delivery_unknown', params: { way: d } });
  });
  const keys = new Set<string>();
  input.materials.forEach((m, i) => {
    if (keys.has(m.key))
      out.push({
        field: `materials/${i}/key`,
        code: 'services.material.key_repeated',
        params: { key: m.key },
      });
    keys.add(m.key);
    if (!m.required && m.condition.trim() === '')
      out.push({ field: `materials/${i}/condition`, code: 'services.material.condition_required' });
  });
  if (input.materials.filter((m) => m.isApplicationForm).length > 1)
    out.push({ field: 'materials', code: 'services.material.one_application_form' });
  if (input.form)
    for (const p of checkFormDefinition(input.form))
      out.push({
        field: `form${p.path === '/' ? '' : p.path}`,
        code: p.code,
        ...(p.params ? { params: p.params } : {}),
      });
  if (input.licence) {
    const form = input.form as { properties?: Record<string, { 'x-widget'?: string }> } | null | undefined;
    const props = form?.properties;
    if (!props) out.push({ field: 'licence', code: 'services.licence.form_required' });
    else {
      const l = input.licence;
      const has = (f: string) => Object.hasOwn(props, f);
      if (!has(l.holderNameField))
        out.push({
          field: 'licence/holderNameField',
          code: 'services.licence.field_unknown',
          params: { name: l.holderNameField },
        });
      const id = has(l.holderIdField) ? props[l.holderIdField]!['x-widget'] : undefined;
      if (!l.assignsCreditCode && id !== 'citizen-id' && id !== 'credit-code')
        out.push({
          field: 'licence/holderIdField',
          code: 'services.licence.id_field',
          params: { name: l.holderIdField },
        });
      l.fields.forEach((f, i) => {
        if (!has(f))
          out.push({
            field: `licence/fields/${i}`,
            code: 'services.licence.field_unknown',
            params: { name: f },
          });
      });
    }
  }
  // 三级 and 四级 mean an application can be made online, so there must be a process to run it.
  if (input.onlineDepth >= 3 && input.processCode === null)
    out.push({ field: 'processCode', code: 'services.item.process_required' });
  return out;
}

/** Trims the free texts; keys and codes as given (the schema has checked them). */
export function normalizeItem(input: ItemInput): ItemInput {
  const t = (s: string) => s.trim();
  return {
    ...input,
    name: t(input.name),
    legalBasis: t(input.legalBasis),
    conditions: t(input.conditions),
    process: t(input.process),
    place: t(input.place),
    hours: t(input.hours),
    consultPhone: t(input.consultPhone),
    complaintPhone: t(input.complaintPhone),
    materials: input.materials.map((m) => ({
      ...m,
      name: t(m.name),
      condition: m.required ? '' : t(m.condition),
      heldBy: t(m.heldBy),
      note: t(m.note),
    })),
    fees: input.fees.map((f) => ({ ...f, name: t(f.name), basis: t(f.basis) })),
    processCode: input.processCode?.trim() || null,
    // Absent (an import's spreadsheet has no form column) means "keep the form it has".
    ...(input.form === undefined ? {} : { form: input.form }),
    ...(input.licence === undefined ? {} : { licence: input.licence }),
  };
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateShape = ajv.compile(ItemInputSchema);

/**
 * The schema's verdict on input from a page (the API has Fastify check the same schema): one
 * problem per field, named by its JSON pointer without the leading slash (materials/0/name).
 */
export function shapeProblems(input: unknown): Problem[] {
  if (validateShape(input)) return [];
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of validateShape.errors ?? []) {
    const field = e.instancePath.replace(/^\//, '');
    if (seen.has(field) || e.keyword === 'anyOf') continue;
    seen.add(field);
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(e.params as Record<string, unknown>))
      if (typeof v === 'string' || typeof v === 'number') params[k] = v;
    out.push({ field, code: `services.field.${e.keyword}`, params });
  }
  return out;
}
