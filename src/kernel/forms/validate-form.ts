/**
 * The one validation of a filled form, for pages and the API alike: the input is first made into
 * JSON values (a page's strings coerced, an API body tidied), then checked by the compiled schema, then
 * by the checks a schema cannot make with a useful reason (identifiers, phones, divisions).
 *
 * Every problem names its field (the page input's name, so it lands beside the field: `premises`,
 * `premises/detail`) and carries the field's label as `label`, in the caller's language, so the error
 * summary at the top of a page still says which field is meant. One problem per field: the first.
 */
import type { ErrorObject } from 'ajv';
import type { FieldProblem } from '../errors.ts';
import { checkCitizenId, checkCreditCode } from '../identifiers/index.ts';
import { translator } from '../i18n/index.ts';
import type { FormValues } from '../pages/index.tsx';
import { divisionProblem, requiredLevel, type AddressScope } from './address.ts';
import { compiledForm } from './data-schema.ts';
import {
  CHOICE_WIDGETS,
  fieldLabel,
  fieldsInOrder,
  type FormAnswers,
  type FormDefinition,
  type FormField,
  type FormLang,
} from './definition.ts';
import { checkPhone } from './phone.ts';
import { fromApi, fromPage } from './coerce.ts';

export interface ValidateOptions {
  /** 'page': string values of a posted form, coerced; 'api': a JSON body, types as they are. */
  from: 'page' | 'api';
  /** The language of the `label` param (default zh-CN). */
  lang?: FormLang;
  /** Needed when the form has an address field. */
  divisions?: AddressScope;
  /** The date a birth date in a citizen ID may not be after (YYYY-MM-DD; default today in China). */
  today?: string;
}

export interface FormValidation {
  /** The values that passed, normalised (IDs upper-case, phones in one format); complete when no problems. */
  data: FormAnswers;
  problems: FieldProblem[];
}

/** Checks a filled form: `input` is a posted page's FormValues or an API body, as `options.from` says. */
export async function validateForm(
  def: FormDefinition,
  input: unknown,
  options: ValidateOptions,
): Promise<FormValidation> {
  const { raw, problems } =
    options.from === 'page' ? fromPage(def, input as FormValues, options.lang) : fromApi(input);
  const result = validateValues(def, raw, problems, options);
  // The division is looked up unless it already failed (a missing or malformed code): a missing
  // street number alone should not hide that the division is not deep enough.
  const scope = options.divisions;
  for (const [name, field] of Object.entries(def.properties)) {
    const division = (raw[name] as { division?: unknown } | undefined)?.division;
    if (field['x-widget'] !== 'address' || typeof division !== 'string') continue;
    if (result.problems.some((p) => p.field === name)) continue;
    if (!scope) throw new Error(`validateForm: ${name} is an address and no divisions were given`);
    const code = await divisionProblem(division, field, scope);
    if (code) {
      delete result.data[name];
      result.problems.push(problem(name, code, field, options.lang, true));
    }
  }
  return { data: result.data, problems: inFormOrder(def, result.problems) };
}

/**
 * Everything but the division lookups: schema, identifiers, phones. Also how a definition's samples
 * are checked when it is saved.
 */
export function validateValues(
  def: FormDefinition,
  raw: Record<string, unknown>,
  earlier: FieldProblem[],
  options: Pick<ValidateOptions, 'lang' | 'today'>,
): FormValidation {
  const problems = [...earlier];
  // One problem per input: an address may have one on its division and one on its detail.
  const taken = new Set(problems.map((p) => p.field));
  const validate = compiledForm(def);
  if (!validate(raw)) {
    for (const e of validate.errors ?? []) {
      const p = schemaProblem(def, e, options.lang);
      if (taken.has(p.field)) continue;
      taken.add(p.field);
      problems.push(p);
    }
  }
  const data: FormAnswers = {};
  for (const [name, value] of Object.entries(raw)) {
    const field = def.properties[name];
    if (!field || problems.some((p) => topField(p.field) === name)) continue;
    const checked = checkValue(field, value, options.today);
    if ('reason' in checked) problems.push(problem(name, checked.reason, field, options.lang));
    else data[name] = checked.value as FormAnswers[string];
  }
  return { data, problems: inFormOrder(def, problems) };
}

/** The checks beyond the schema, and the normalised value. */
function checkValue(
  field: FormField,
  value: unknown,
  today?: string,
): { value: unknown } | { reason: string } {
  if (typeof value !== 'string') return { value };
  switch (field['x-widget']) {
    case 'citizen-id': {
      const r = checkCitizenId(value, today);
      return r.valid ? { value: r.normalized } : { reason: r.reason };
    }
    case 'credit-code': {
      const r = checkCreditCode(value);
      return r.valid ? { value: r.normalized } : { reason: r.reason };
    }
    case 'phone': {
      const r = checkPhone(value, field['x-phone']);
      return r.valid ? { value: r.normalized } : { reason: r.reason };
    }
    default:
      return { value };
  }
}

const topField = (field: string) => field.split('/')[0]!;

function problem(
  name: string,
  code: string,
  field: FormField | undefined,
  lang: FormLang = 'zh-CN',
  withLevel = false,
  extra: Record<string, string | number> = {},
): FieldProblem {
  const params: Record<string, string | number> = { label: field ? fieldLabel(field, lang) : name, ...extra };
  if (withLevel && field) params.level = translator(lang)(`forms.level.${requiredLevel(field)}`);
  return { field: name, code, params };
}

/** The message for a missing value: type it, choose it, or upload it. */
function missingCode(field: FormField | undefined): string {
  if (!field) return 'forms.field.required';
  if (field['x-widget'] === 'file') return 'forms.file.required';
  if (CHOICE_WIDGETS.includes(field['x-widget']) || field['x-widget'] === 'address')
    return 'forms.field.choose';
  return 'forms.field.required';
}

function schemaProblem(def: FormDefinition, e: ErrorObject, lang?: FormLang): FieldProblem {
  const path = e.instancePath.split('/').slice(1);
  const params = e.params as Record<string, unknown>;
  if (path.length === 0) {
    if (e.keyword === 'required') {
      const name = String(params.missingProperty);
      return problem(name, missingCode(def.properties[name]), def.properties[name], lang);
    }
    const name = String(params.additionalProperty ?? '_');
    return problem(name, 'forms.field.unknown', undefined, lang);
  }
  const name = path[0]!;
  const field = def.properties[name];
  const at = (code: string, extra?: Record<string, string | number>) =>
    problem(name, code, field, lang, false, extra);
  // Inside an address: a missing division is a choice not made; the detail has a field of its own.
  if (field?.['x-widget'] === 'address') {
    const part = e.keyword === 'required' ? String(params.missingProperty) : path[1];
    if (part === 'detail') {
      const detail = `${name}/detail`;
      if (e.keyword === 'required') return problem(detail, 'forms.address.detail_required', field, lang);
      if (e.keyword === 'maxLength')
        return problem(detail, 'forms.text.too_long', field, lang, false, { max: Number(params.limit) });
      return problem(detail, 'forms.field.type', field, lang);
    }
    if (e.keyword === 'required') return at('forms.field.choose');
    if (e.keyword === 'pattern') return at('forms.address.unknown_division');
  }
  const limit = Number(params.limit ?? 0);
  switch (e.keyword) {
    case 'type':
      return at(params.type === 'integer' ? 'forms.number.integer' : 'forms.field.type');
    case 'maxLength':
      return at('forms.text.too_long', { max: limit });
    case 'minLength':
      return at(field?.['x-widget'] === 'file' ? 'forms.file.required' : 'forms.text.too_short', {
        min: limit,
      });
    case 'minimum':
      return at('forms.number.minimum', { min: limit });
    case 'maximum':
      return at('forms.number.maximum', { max: limit });
    case 'enum':
      return at('forms.choice.unknown');
    case 'minItems':
      return at('forms.choice.too_few', { min: limit });
    case 'maxItems':
      return at(field?.['x-widget'] === 'file' ? 'forms.file.too_many' : 'forms.choice.too_many', {
        max: limit,
      });
    case 'format':
      return at('forms.date.format');
    default:
      return at('forms.field.type');
  }
}

export function inFormOrder(def: FormDefinition, problems: FieldProblem[]): FieldProblem[] {
  const order = new Map(fieldsInOrder(def).map(([name], i) => [name, i]));
  // An address's division before its detail, as the page shows them.
  const rank = (p: FieldProblem) =>
    2 * (order.get(topField(p.field)) ?? -1) + (p.field.includes('/') ? 1 : 0);
  return [...problems].sort((a, b) => rank(a) - rank(b));
}
