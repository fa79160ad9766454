/**
 * Between a page's strings and a form's JSON values, both ways.
 *
 * A posted page gives strings, repeated names joined by newlines (kernel/http formValues): numbers are
 * read as numbers (full-width digits and thousands separators allowed, as Chinese input methods and
 * habits produce them), dates as YYYY-MM-DD from the ways people write them, checkbox lists and several
 * file references as arrays, an address from its selects and detail box. A blank value is no value,
 * so `required` is what reports it. The API's JSON keeps its types and is only tidied the same way
 * (trimmed, blanks dropped), so the two paths reach the schema with the same values.
 */
import type { FieldProblem } from '../errors.ts';
import type { FormValues } from '../pages/index.tsx';
import { chosenDivision, detailName, selectName } from './address.ts';
import {
  fieldLabel,
  type FormAnswers,
  type FormDefinition,
  type FormField,
  type FormLang,
} from './definition.ts';
import { halfWidth } from './phone.ts';

/** 2025-3-14, 2025/03/14, 2025.3.14, 2025年3月14日 → 2025-03-14; anything else is left for the schema. */
export function normalizeDate(s: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(halfWidth(s).trim());
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s;
}

const lines = (s: string | undefined) => [
  ...new Set(
    (s ?? '')
      .split('\n')
      .map((x) => x.trim())
      .filter((x) => x !== ''),
  ),
];

/** What a number box held when it was not a number: reported as such, not left to `type`. */
const NOT_A_NUMBER = Symbol('not a number');

const text = (s: string) => s.replace(/\r\n?/g, '\n').trim();

/** A posted page's values as the form's JSON values, and the values that are not even the right kind. */
export function fromPage(
  def: FormDefinition,
  values: FormValues,
  lang: FormLang = 'zh-CN',
): { raw: Record<string, unknown>; problems: FieldProblem[] } {
  const raw: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const [name, field] of Object.entries(def.properties)) {
    const value = pageValue(name, field, values);
    if (value === undefined) continue;
    if (value === NOT_A_NUMBER) {
      problems.push({ field: name, code: 'forms.number.format', params: { label: fieldLabel(field, lang) } });
    } else raw[name] = value;
  }
  return { raw, problems };
}

function pageValue(name: string, field: FormField, values: FormValues): unknown {
  const s = values[name] ?? '';
  switch (field['x-widget']) {
    case 'number': {
      const n = halfWidth(s)
        .replace(/[\s,，]/g, '')
        .replace(/。/g, '.');
      if (n === '') return undefined;
      return /^[-+]?\d+(\.\d+)?$/.test(n) ? Number(n) : NOT_A_NUMBER;
    }
    case 'date':
      return text(s) === '' ? undefined : normalizeDate(text(s));
    case 'checkbox': {
      const list = lines(s);
      return list.length > 0 ? list : undefined;
    }
    case 'file': {
      const list = lines(s);
      if (list.length === 0) return undefined;
      return field['x-multiple'] || list.length > 1 ? list : list[0];
    }
    case 'address': {
      const division = chosenDivision(values, name);
      const detail = text(values[detailName(name)] ?? '');
      if (division === '' && detail === '') return undefined;
      return { ...(division ? { division } : {}), ...(detail ? { detail } : {}) };
    }
    default:
      return text(s) === '' ? undefined : text(s);
  }
}

/** An API body tidied: strings trimmed, blanks and nulls dropped, lists without repeats. */
export function fromApi(body: unknown): { raw: Record<string, unknown>; problems: FieldProblem[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { raw: {}, problems: [{ field: '_', code: 'forms.body.not_object' }] };
  }
  const raw: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const v = tidy(value);
    if (v !== undefined) raw[name] = v;
  }
  return { raw, problems: [] };
}

function tidy(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === 'string') return text(value) === '' ? undefined : text(value);
  if (Array.isArray(value)) {
    const list = [...new Set(value.map((v) => (typeof v === 'string' ? v.trim() : v)))].filter(
      (v) => v !== '',
    );
    return list.length > 0 ? list : undefined;
  }
  if (typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const t = tidy(v);
      if (t !== undefined) o[k] = t;
    }
    return Object.keys(o).length > 0 ? o : undefined;
  }
  return value;
}

/**
 * A filled form as page values, to show it in its fields again: an application prefilled from the
 * account, or a saved draft reopened. An address becomes its division in the first select; the picker
 * finds the levels above it.
 */
export function formValuesOf(def: FormDefinition, answers: Partial<FormAnswers>): FormValues {
  const values: FormValues = {};
  for (const [name, field] of Object.entries(def.properties)) {
    const v = answers[name];
    if (v === undefined) continue;
    if (field['x-widget'] === 'address' && typeof v === 'object' && !Array.isArray(v)) {
      values[selectName(name, 1)] = v.division;
      values[detailName(name)] = v.detail ?? '';
    } else if (Array.isArray(v)) values[name] = v.join('\n');
    else values[name] = String(v);
  }
  return values;
}
