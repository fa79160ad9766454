/**
 * The catalogue as a spreadsheet: one item per row, one column per guide element, so a county can
 * move its catalogue in from the provincial system or edit it in Excel and bring it back.
 *
 * Cells say what people say. Kinds, audiences, events and deliveries are written as their names
 * (行政许可, 出生); the implementing department by its name, resolved by the caller among the
 * departments the importer may use. The names are copied here from the locales, not read from them:
 * the file format is a contract, and rewording a label on a page must not stop last month's export
 * from importing (the test holds the copy to the locales, so a change is made on purpose).
 *
 * Materials and fees are lists of records inside one cell: one per line, parts separated by ｜ (or |).
 *   申请材料: 名称｜形式｜份数｜必需 或 视情形：情形｜申请表｜已共享：来源｜备注：…｜标识：key
 *   收费:     名称｜金额｜依据  (an empty cell: 不收费)
 * Only the name and the form are needed when typing; 1 份, 必需 and a key (m1, m2 …) are the
 * defaults. The export writes every part, the key included, so what applications refer to a material
 * by survives the round trip. A value holding ｜, | or \ or a line break has it escaped with \
 * (\｜ \| \\ \n): rare in a guide, and it keeps export → import exact.
 */
import type { FieldProblem, Params } from '../../kernel/errors.ts';
import type { Locale } from '../../kernel/i18n/index.ts';
import {
  defineColumns,
  parseTable,
  type ColumnKind,
  type EnumOption,
  type Labels,
} from '../../kernel/tables/index.ts';
import {
  ENTERPRISE_EVENTS,
  itemProblems,
  LIFE_EVENTS,
  normalizeItem,
  shapeProblems,
  type Audience,
  type RESULT_DELIVERIES,
  type Fee,
  type Item,
  type ItemInput,
  type ItemKind,
  type ItemStatus,
  type Material,
} from './catalogue.ts';

type Names<K extends string> = Record<K, readonly [zh: string, en: string, ...aliases: string[]]>;
const optionsOf = <K extends string>(names: Names<K>): EnumOption[] =>
  Object.entries<readonly string[]>(names).map(([code, [zh, en, ...aliases]]) => ({
    code,
    label: { 'zh-CN': zh!, en: en! },
    aliases,
  }));

export const KIND_NAMES = {
  licensing: ['行政许可', 'Administrative licensing'],
  payment: ['行政给付', 'Administrative payment'],
  confirmation: ['行政确认', 'Administrative confirmation'],
  levy: ['行政征收', 'Administrative levy'],
  reward: ['行政奖励', 'Administrative reward'],
  adjudication: ['行政裁决', 'Administrative adjudication'],
  other_power: ['其他行政权力', 'Other administrative power'],
  public_service: ['公共服务', 'Public service'],
} as const satisfies Names<ItemKind>;
export const AUDIENCE_NAMES = {
  person: ['自然人', 'People', '个人'],
  enterprise: ['法人', 'Organisations', '企业'],
  both: ['自然人、法人', 'People and organisations', '自然人和法人'],
} as const satisfies Names<Audience>;
export const EVENT_NAMES = {
  birth: ['出生', 'Birth'],
  schooling: ['入学', 'School'],
  employment: ['就业', 'Work'],
  marriage_childbirth: ['婚育', 'Marriage and children'],
  housing: ['住房', 'Housing'],
  medical: ['医疗', 'Health care'],
  social_assistance: ['社会救助', 'Social assistance'],
  travel: ['出行', 'Travel'],
  retirement: ['退休', 'Retirement'],
  death: ['身后事', 'After a death'],
  start_business: ['开办企业', 'Starting a business'],
  permits: ['准营', 'Operating permits'],
  construction: ['工程建设', 'Construction'],
  hiring: ['用工', 'Hiring'],
  tax: ['纳税', 'Tax'],
  change: ['变更', 'Changes'],
  cancellation: ['注销', 'Closing down'],
} as const satisfies Names<(typeof LIFE_EVENTS)[number] | (typeof ENTERPRISE_EVENTS)[number]>;
export const DELIVERY_NAMES = {
  online: ['网上送达', 'Online'],
  window: ['窗口领取', 'Collect at a window'],
  post: ['邮寄送达', 'By post'],
} as const satisfies Names<(typeof RESULT_DELIVERIES)[number]>;
export const FORM_NAMES = {
  original: ['原件', 'Original'],
  copy: ['复印件', 'Copy'],
  original_and_copy: ['原件和复印件', 'Original and copy', '原件及复印件'],
  electronic: ['电子材料', 'Electronic', '电子版'],
} as const satisfies Names<Material['form']>;
export const STATUS_NAMES = {
  draft: ['草稿', 'Draft'],
  published: ['已发布', 'Published'],
  suspended: ['暂停办理', 'Suspended'],
} as const satisfies Names<ItemStatus>;

const pick = <K extends string>(names: Names<string>, keys: readonly K[]) =>
  optionsOf(Object.fromEntries(keys.map((k) => [k, names[k]!])));
const h = (zh: string, en: string): Labels => ({ 'zh-CN': zh, en });

/** A column with its header in both languages (a helper keeping the spec one line a column). */
const col = <const C extends { key: string; kind: ColumnKind }>(zh: string, en: string, c: C) => ({
  ...c,
  header: h(zh, en),
});
const days = { kind: 'integer', min: 0, max: 999 } as const;
const TEXT = { kind: 'text' } as const;
const KINDS = optionsOf(KIND_NAMES);
const AUDIENCES = optionsOf(AUDIENCE_NAMES);
const DELIVERIES = optionsOf(DELIVERY_NAMES);
const LIVES = pick(EVENT_NAMES, LIFE_EVENTS);
const ENTERPRISES = pick(EVENT_NAMES, ENTERPRISE_EVENTS);

/** The columns, in the order the export writes them; keys are ItemInput's except department and status. */
export const ITEM_COLUMNS = defineColumns([
  col('事项编码', 'Item code', { key: 'code', ...TEXT, required: true, unique: true, halfWidth: true }),
  col('事项名称', 'Name', { key: 'name', ...TEXT, required: true, maxLength: 200 }),
  col('事项类型', 'Kind', { key: 'kind', kind: 'enum', required: true, options: KINDS }),
  col('实施部门', 'Implementing department', { key: 'department', ...TEXT, required: true }),
  col('服务对象', 'Audience', { key: 'audience', kind: 'enum', required: true, options: AUDIENCES }),
  col('网上办理深度', 'Online depth', {
    key: 'onlineDepth',
    kind: 'integer',
    required: true,
    min: 1,
    max: 4,
  }),
  col('法定办结时限', 'Statutory time limit', { key: 'statutoryDays', ...days }),
  col('承诺办结时限', 'Promised time limit', { key: 'promisedDays', ...days }),
  col('设定依据', 'Legal basis', { key: 'legalBasis', ...TEXT, maxLength: 5000 }),
  col('受理条件', 'Conditions', { key: 'conditions', ...TEXT, maxLength: 5000 }),
  col('办理流程', 'Process', { key: 'process', ...TEXT, maxLength: 5000 }),
  col('申请材料', 'Materials', { key: 'materials', ...TEXT }),
  col('收费', 'Fees', { key: 'fees', ...TEXT }),
  col('办理地点', 'Place', { key: 'place', ...TEXT, maxLength: 500 }),
  col('办理时间', 'Hours', { key: 'hours', ...TEXT, maxLength: 500 }),
  col('咨询电话', 'Enquiry phone', { key: 'consultPhone', ...TEXT, maxLength: 100 }),
  col('监督投诉电话', 'Complaint phone', { key: 'complaintPhone', ...TEXT, maxLength: 100 }),
  col('人生阶段', 'Life events', { key: 'lifeEvents', kind: 'list', options: LIVES }),
  col('企业生命周期', 'Business events', { key: 'enterpriseEvents', kind: 'list', options: ENTERPRISES }),
  col('送达方式', 'Result delivery', { key: 'resultDelivery', kind: 'list', options: DELIVERIES }),
  col('咨询答复时限', 'Enquiries answered within', { key: 'consultDays', kind: 'integer', min: 1, max: 60 }),
  col('办理流程编码', 'Process code', { key: 'processCode', ...TEXT, halfWidth: true, maxLength: 100 }),
  // Written for people to read; an import ignores it (publishing is a decision, not a cell).
  col('状态', 'Status', { key: 'status', ...TEXT }),
]);

/** ItemInput's texts that an empty cell leaves empty ('', where the table says null). */
const TEXTS = [
  'legalBasis',
  'conditions',
  'process',
  'place',
  'hours',
  'consultPhone',
  'complaintPhone',
] as const;
type Text = (typeof TEXTS)[number];
const emptyTexts = (cells: Record<Text, string | null>) =>
  Object.fromEntries(TEXTS.map((k) => [k, cells[k] ?? ''])) as Record<Text, string>;

/** One problem of one spreadsheet row: the column as the file heads it, and the material or fee (1-based). */
export interface RowError {
  row: number;
  column?: string;
  entry?: number;
  code: string;
  params?: Params;
}

/** The words of a material line as the export writes them; the import also takes the aliases below. */
const WORDS = {
  required: h('必需', 'required'),
  condition: h('视情形', 'if'),
  applicationForm: h('申请表', 'application form'),
  heldBy: h('已共享', 'held by'),
  note: h('备注', 'note'),
  key: h('标识', 'key'),
};
const SEPARATOR = h('｜', ' | ');
const COLON = h('：', ': ');
const NONE = new Set(['无', '不收费', '免费', 'none', 'free']);

/** How words are compared: full-width and case do not matter, nor spaces. */
const wordKey = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
const wordIndex = (names: Names<string>) => {
  const index = new Map<string, string>();
  for (const [code, spellings] of Object.entries<readonly string[]>(names))
    for (const s of [code, ...spellings]) index.set(wordKey(s), code);
  return index;
};
const FORMS = wordIndex(FORM_NAMES);
const FLAGS = wordIndex({
  required: ['必需', 'required', '必须', '必交'],
  applicationForm: ['申请表', 'application form'],
});
const LABELLED = wordIndex({
  condition: ['视情形', 'if', '视情形提交'],
  heldBy: ['已共享', 'held by'],
  note: ['备注', 'note'],
  key: ['标识', 'key'],
});

const escapePart = (s: string) => s.replace(/[\\|｜]/g, '\\$&').replace(/\r?\n/g, '\\n');

/** A line's parts, split at unescaped ｜ or |, unescaped and trimmed. */
function splitParts(line: string): string[] {
  const parts: string[] = [];
  let part = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const next = line[i + 1] ?? '';
    if (c === '\\' && '\\|｜n'.includes(next) && next !== '') {
      part += next === 'n' ? '\n' : next;
      i++;
    } else if (c === '|' || c === '｜') {
      parts.push(part.trim());
      part = '';
    } else part += c;
  }
  return [...parts, part.trim()];
}

const linesOf = (cell: string | null) =>
  (cell ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

export function formatMaterials(materials: readonly Material[], lang: Locale): string {
  const labelled = (word: Labels, value: string) => `${word[lang]}${COLON[lang]}${escapePart(value)}`;
  const copies = (n: number) => (lang === 'en' ? `${n} ${n === 1 ? 'copy' : 'copies'}` : `${n}份`);
  return materials
    .map((m) =>
      [
        escapePart(m.name),
        FORM_NAMES[m.form][lang === 'en' ? 1 : 0],
        copies(m.copies),
        m.required ? WORDS.required[lang] : labelled(WORDS.condition, m.condition),
        ...(m.isApplicationForm ? [WORDS.applicationForm[lang]] : []),
        ...(m.heldBy ? [labelled(WORDS.heldBy, m.heldBy)] : []),
        ...(m.note ? [labelled(WORDS.note, m.note)] : []),
        labelled(WORDS.key, m.key),
      ].join(SEPARATOR[lang]),
    )
    .join('\n');
}

type EntryProblem = { entry: number; code: string; params?: Params };

/** The materials of a cell; a line's unknown or repeated part is a problem naming the line's entry. */
export function parseMaterials(cell: string | null): { materials: Material[]; problems: EntryProblem[] } {
  const problems: EntryProblem[] = [];
  const lines = linesOf(cell);
  if (lines.length === 1 && NONE.has(wordKey(lines[0]!))) return { materials: [], problems };
  const materials = lines.map((line, i) => {
    const entry = i + 1;
    const [name = '', ...rest] = splitParts(line);
    const m: Material = {
      key: '',
      name,
      form: 'original',
      copies: 1,
      required: true,
      condition: '',
      heldBy: '',
      isApplicationForm: false,
      note: '',
    };
    const seen = new Set<string>();
    const once = (what: string, part: string) => {
      if (seen.has(what)) problems.push({ entry, code: 'services.exchange.part_repeated', params: { part } });
      seen.add(what);
    };
    for (const part of rest.filter((p) => p !== '')) {
      const word = wordKey(part);
      const copies = /^(\d{1,3})(份|copy|copies)?$/.exec(word);
      const labelled = /^([^:：]+?)\s*[:：]\s*([\s\S]*)$/.exec(part);
      const label = labelled ? LABELLED.get(wordKey(labelled[1]!)) : undefined;
      if (FORMS.has(word)) {
        once('form', part);
        m.form = FORMS.get(word) as Material['form'];
      } else if (copies) {
        once('copies', part);
        m.copies = Number(copies[1]);
      } else if (FLAGS.get(word) === 'required') once('required', part);
      else if (FLAGS.get(word) === 'applicationForm') {
        once('applicationForm', part);
        m.isApplicationForm = true;
      } else if (labelled && label) {
        const value = labelled[2]!.trim();
        if (label === 'condition') {
          once('required', part);
          Object.assign(m, { required: false, condition: value });
        } else {
          once(label, part);
          m[label as 'heldBy' | 'note' | 'key'] = value;
        }
      } else problems.push({ entry, code: 'services.exchange.part_unknown', params: { part } });
    }
    if (!seen.has('form')) problems.push({ entry, code: 'services.exchange.material_form_missing' });
    return m;
  });
  // Keys not given: m1, m2 … skipping those the cell gives, so no line's key depends on another's order.
  const taken = new Set(materials.map((m) => m.key));
  let n = 0;
  for (const m of materials.filter((x) => x.key === '')) {
    while (taken.has(`m${++n}`));
    m.key = `m${n}`;
  }
  return { materials, problems };
}

export const formatFees = (fees: readonly Fee[], lang: Locale): string =>
  fees
    .map((f) => [f.name, f.amount, ...(f.basis ? [f.basis] : [])].map(escapePart).join(SEPARATOR[lang]))
    .join('\n');

export function parseFees(cell: string | null): { fees: Fee[]; problems: EntryProblem[] } {
  const problems: EntryProblem[] = [];
  const lines = linesOf(cell);
  if (lines.length === 1 && NONE.has(wordKey(lines[0]!))) return { fees: [], problems };
  const fees = lines.map((line, i) => {
    const parts = splitParts(line);
    if (parts.length < 2 || parts.length > 3)
      problems.push({ entry: i + 1, code: 'services.exchange.fee_parts' });
    const amount = (parts[1] ?? '').normalize('NFKC').replace(/\s*(元|yuan)$/i, '');
    return { name: parts[0] ?? '', amount, basis: parts[2] ?? '' };
  });
  return { fees, problems };
}

/** An item as a row of the export, in `lang`; `departmentName`: the department's name today. */
export function recordOfItem(item: Item, lang: Locale, departmentName = item.departmentName) {
  // Keys that are not columns (id, departmentId …) are not written.
  return {
    ...item,
    department: departmentName,
    materials: formatMaterials(item.materials, lang),
    fees: formatFees(item.fees, lang),
    status: STATUS_NAMES[item.status][lang === 'en' ? 1 : 0],
  };
}

/** Which column (and which material or fee) an ItemInput pointer is about: materials/2/name → 申请材料, 3. */
function columnOf(pointer: string, lang: Locale): Pick<RowError, 'column' | 'entry'> {
  const [first = '', index] = pointer.split('/');
  const key = first === 'departmentId' ? 'department' : first;
  const column = ITEM_COLUMNS.find((c) => c.key === key);
  if (!column) return {};
  const entry =
    (key === 'materials' || key === 'fees') && /^\d+$/.test(index ?? '') ? Number(index) + 1 : undefined;
  return { column: column.header[lang], ...(entry && { entry }) };
}

/**
 * The spreadsheet's rows as item inputs, each with its row number, and every error of every row: the
 * table's (cells), the conversion's (department, materials, fees), ItemInput's schema and the item's
 * rules. An import proceeds only when `errors` is empty.
 */
export function inputsOfTable(
  rows: readonly (readonly string[])[],
  /** the ids of the departments of that name the importer may give items to */
  departmentIds: (name: string) => readonly number[],
) {
  const table = parseTable(rows, ITEM_COLUMNS);
  const { lang } = table;
  const errors: RowError[] = table.errors.map(({ row, column, code, params }) => ({
    row,
    ...(column !== undefined && { column }),
    code,
    ...(params && { params }),
  }));
  const inputs: { row: number; input: ItemInput }[] = [];
  table.records.forEach((r, i) => {
    const row = table.rowNumbers[i]!;
    const at = (pointer: string, code: string, params?: Params) =>
      errors.push({ row, ...columnOf(pointer, lang), code, ...(params && { params }) });
    const ids = departmentIds(r.department);
    if (ids.length !== 1)
      at('department', `services.exchange.department_${ids.length === 0 ? 'unknown' : 'ambiguous'}`, {
        name: r.department,
      });
    const { materials, problems: mp } = parseMaterials(r.materials);
    const { fees, problems: fp } = parseFees(r.fees);
    for (const p of mp) at(`materials/${p.entry - 1}`, p.code, p.params);
    for (const p of fp) at(`fees/${p.entry - 1}`, p.code, p.params);
    const { department: _d, status: _s, materials: _m, fees: _f, ...cells } = r;
    const input: ItemInput = {
      ...cells,
      ...emptyTexts(cells),
      kind: r.kind as ItemKind,
      audience: r.audience as Audience,
      onlineDepth: r.onlineDepth as ItemInput['onlineDepth'],
      departmentId: ids[0] ?? 0,
      materials,
      fees,
    };
    // The schema, then the item's own rules (the service checks them again; here they are listed for
    // every row at once). A column already wrong is not reported twice.
    const reported = new Set(errors.filter((e) => e.row === row).map((e) => e.column));
    const shape = shapeProblems(input).filter((p) => !reported.has(columnOf(p.field, lang).column));
    for (const p of shape) at(p.field, p.code, p.params);
    if (reported.size === 0 && shape.length === 0)
      for (const p of itemProblems(normalizeItem(input))) at(p.field, p.code, p.params);
    inputs.push({ row, input });
  });
  return { inputs, errors, lang };
}

/** The service's problems of an import (fields `<row>/<pointer>`) as row errors. */
export function rowErrorsOf(fields: readonly FieldProblem[], lang: Locale): RowError[] {
  return fields.map(({ field, code, params }) => {
    const slash = field.indexOf('/');
    const row = Number(slash < 0 ? field : field.slice(0, slash));
    return {
      row,
      ...(slash < 0 ? {} : columnOf(field.slice(slash + 1), lang)),
      code,
      ...(params && { params }),
    };
  });
}
