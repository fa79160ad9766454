/**
 * The item editor's form as flat fields and back. Field names are the JSON pointers the service's
 * problems use (materials/0/name), so every problem lands beside its field. Materials and fees are
 * rows; a row left blank is no row, and "add a row" re-renders the form with one more blank row —
 * the editor works without JavaScript.
 */
import type { FormValues } from '../../kernel/pages/index.tsx';
import { type Fee, type Item, type ItemInput, type Material, type Problem } from './catalogue.ts';

const MATERIAL_FIELDS = ['key', 'name', 'form', 'copies', 'required', 'condition', 'heldBy', 'note'] as const;
const FEE_FIELDS = ['name', 'amount', 'basis'] as const;
export const LIST_FIELDS = ['lifeEvents', 'enterpriseEvents', 'resultDelivery'] as const;

/** How many rows of a list the posted form holds (the highest index seen, plus one). */
export function rowCount(values: FormValues, list: 'materials' | 'fees'): number {
  let n = 0;
  for (const k of Object.keys(values)) {
    const m = new RegExp(`^${list}/(\\d+)/`).exec(k);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return Math.min(n, 60);
}

const isBlank = (values: FormValues, prefix: string, fields: readonly string[], ignore: string[] = []) =>
  fields.every((f) => ignore.includes(f) || (values[`${prefix}/${f}`] ?? '').trim() === '');

/** Whole numbers as typed; '' is null; anything else is NaN, which the schema names. */
const intOrNull = (v: string | undefined) => {
  const s = (v ?? '').trim();
  return s === '' ? null : /^\d+$/.test(s) ? Number(s) : Number.NaN;
};

/**
 * The posted form as an item input, and the problems only the form can have (a number not a number),
 * with `fieldOf` to name a problem of the input by the form field it came from (blank rows in
 * between are skipped in the input, not in the form).
 */
export function inputFromForm(values: FormValues): {
  input: ItemInput;
  problems: Problem[];
  fieldOf: (field: string) => string;
} {
  const problems: Problem[] = [];
  const v = (k: string) => (values[k] ?? '').trim();
  const int = (k: string) => {
    const n = intOrNull(values[k]);
    if (Number.isNaN(n)) problems.push({ field: k, code: 'services.field.integer' });
    return Number.isNaN(n) ? null : n;
  };
  const materials: Material[] = [];
  const materialRows: number[] = [];
  for (let i = 0; i < rowCount(values, 'materials'); i++) {
    const p = `materials/${i}`;
    // A new row shows defaults in its selects; it is blank when its text boxes are.
    if (isBlank(values, p, MATERIAL_FIELDS, ['form', 'copies', 'required'])) continue;
    materialRows.push(i);
    const copies = intOrNull(values[`${p}/copies`]);
    if (copies === null || Number.isNaN(copies))
      problems.push({ field: `${p}/copies`, code: 'services.field.integer' });
    materials.push({
      key: v(`${p}/key`),
      name: v(`${p}/name`),
      form: v(`${p}/form`) as Material['form'],
      copies: copies === null || Number.isNaN(copies) ? 0 : copies,
      required: v(`${p}/required`) !== 'conditional',
      condition: v(`${p}/condition`),
      heldBy: v(`${p}/heldBy`),
      isApplicationForm: v('applicationForm') === String(i),
      note: v(`${p}/note`),
    });
  }
  const fees: Fee[] = [];
  const feeRows: number[] = [];
  for (let i = 0; i < rowCount(values, 'fees'); i++) {
    const p = `fees/${i}`;
    if (isBlank(values, p, FEE_FIELDS)) continue;
    feeRows.push(i);
    fees.push({ name: v(`${p}/name`), amount: v(`${p}/amount`), basis: v(`${p}/basis`) });
  }
  const list = (k: string) => (values[k] ?? '').split('\n').filter((x) => x !== '');
  // The application form is edited as its JSON (a visual form builder is later work).
  let form: Record<string, unknown> | null = null;
  const formText = (values.form ?? '').trim();
  if (formText !== '')
    try {
      const parsed: unknown = JSON.parse(formText);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        form = parsed as Record<string, unknown>;
      else problems.push({ field: 'form', code: 'services.item.form_json' });
    } catch {
      problems.push({ field: 'form', code: 'services.item.form_json' });
    }
  const depth = Number(v('onlineDepth'));
  const input = {
    code: v('code').toUpperCase(),
    name: v('name'),
    kind: v('kind') as ItemInput['kind'],
    departmentId: Number(v('departmentId')) || 0,
    audience: v('audience') as ItemInput['audience'],
    onlineDepth: depth as ItemInput['onlineDepth'],
    statutoryDays: int('statutoryDays'),
    promisedDays: int('promisedDays'),
    legalBasis: values.legalBasis ?? '',
    conditions: values.conditions ?? '',
    process: values.process ?? '',
    materials,
    fees,
    place: v('place'),
    hours: v('hours'),
    consultPhone: v('consultPhone'),
    complaintPhone: v('complaintPhone'),
    lifeEvents: list('lifeEvents'),
    enterpriseEvents: list('enterpriseEvents'),
    resultDelivery: list('resultDelivery'),
    consultDays: int('consultDays'),
    processCode: v('processCode') || null,
    form,
  };
  const fieldOf = (field: string) =>
    field.replace(/^(materials|fees)\/(\d+)/, (all, list: string, n: string) => {
      const row = (list === 'materials' ? materialRows : feeRows)[Number(n)];
      return row === undefined ? all : `${list}/${row}`;
    });
  return { input, problems, fieldOf };
}

/** An item as the form's values (to edit it). */
export function formFromItem(item: Item | ItemInput): FormValues {
  const out: FormValues = {
    code: item.code,
    name: item.name,
    kind: item.kind,
    departmentId: String(item.departmentId),
    audience: item.audience,
    onlineDepth: String(item.onlineDepth),
    statutoryDays: item.statutoryDays === null ? '' : String(item.statutoryDays),
    promisedDays: item.promisedDays === null ? '' : String(item.promisedDays),
    legalBasis: item.legalBasis,
    conditions: item.conditions,
    process: item.process,
    place: item.place,
    hours: item.hours,
    consultPhone: item.consultPhone,
    complaintPhone: item.complaintPhone,
    lifeEvents: item.lifeEvents.join('\n'),
    enterpriseEvents: item.enterpriseEvents.join('\n'),
    resultDelivery: item.resultDelivery.join('\n'),
    consultDays: item.consultDays === null ? '' : String(item.consultDays),
    processCode: item.processCode ?? '',
    form: item.form ? JSON.stringify(item.form, null, 2) : '',
  };
  item.materials.forEach((m, i) => {
    const p = `materials/${i}`;
    Object.assign(out, {
      [`${p}/key`]: m.key,
      [`${p}/name`]: m.name,
      [`${p}/form`]: m.form,
      [`${p}/copies`]: String(m.copies),
      [`${p}/required`]: m.required ? 'required' : 'conditional',
      [`${p}/condition`]: m.condition,
      [`${p}/heldBy`]: m.heldBy,
      [`${p}/note`]: m.note,
    });
    if (m.isApplicationForm) out.applicationForm = String(i);
  });
  item.fees.forEach((f, i) => {
    Object.assign(out, {
      [`fees/${i}/name`]: f.name,
      [`fees/${i}/amount`]: f.amount,
      [`fees/${i}/basis`]: f.basis,
    });
  });
  return out;
}
