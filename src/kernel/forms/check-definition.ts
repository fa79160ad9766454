/**
 * The check a service administrator's form definition passes before it is saved. The shape comes from
 * the meta-schema (FormDefinitionSchema); the meaning is checked here: each widget takes only the
 * keywords that mean something for it, choices have labels for every value, the layout places every
 * field exactly once, and each sample value would pass the form's own validation — so the filled
 * sample (填写样例) never shows a value the form would refuse.
 *
 * Problems point into the definition with JSON pointers (RFC 6901), so an editor can show each beside
 * the part at fault. The rest of the kernel trusts a checked definition and does not check it again.
 */
import type { ErrorObject } from 'ajv';
import { levelRank } from '../divisions/index.ts';
import { DEFAULT_ALLOWED_TYPES } from '../files/index.ts';
import { divisionLevel, requiredLevel } from './address.ts';
import { fromApi } from './coerce.ts';
import { compileMeta } from './data-schema.ts';
import {
  CHOICE_WIDGETS,
  FIELD_NAME,
  fieldsInOrder,
  FormDefinitionSchema,
  type FormDefinition,
  type FormField,
  type Widget,
} from './definition.ts';
import { validateValues } from './validate-form.ts';

export interface FormDefinitionProblem {
  /** JSON pointer into the definition. */
  path: string;
  code: string;
  params?: Record<string, string | number>;
}

const COMMON_KEYWORDS = [
  'title',
  'x-title-en',
  'description',
  'x-description-en',
  'x-widget',
  'type',
  'x-sample',
];

/** The keywords each widget takes besides the common ones, and the JSON types it stands for. */
const WIDGET_RULES: Record<Widget, { keywords: string[]; types: string[] }> = {
  text: { keywords: ['minLength', 'maxLength', 'x-autocomplete'], types: ['string'] },
  textarea: { keywords: ['minLength', 'maxLength', 'x-rows'], types: ['string'] },
  number: { keywords: ['minimum', 'maximum', 'x-unit', 'x-unit-en'], types: ['number', 'integer'] },
  date: { keywords: [], types: ['string'] },
  select: { keywords: ['enum', 'x-enum-labels'], types: ['string'] },
  radio: { keywords: ['enum', 'x-enum-labels'], types: ['string'] },
  checkbox: { keywords: ['items', 'minItems', 'maxItems', 'x-enum-labels'], types: ['array'] },
  'citizen-id': { keywords: [], types: ['string'] },
  'credit-code': { keywords: [], types: ['string'] },
  phone: { keywords: ['x-phone'], types: ['string'] },
  address: { keywords: ['x-division-level'], types: ['object'] },
  file: { keywords: ['x-multiple', 'x-accept'], types: ['string', 'array'] },
};

/** Codes that only say a value is missing: a sample may leave a field blank. */
const MISSING = new Set(['forms.field.required', 'forms.field.choose', 'forms.file.required']);

const validateShape = compileMeta(FormDefinitionSchema);

const pointer = (...parts: (string | number)[]) =>
  parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** Every problem with a definition, shape first; an empty list means it can be saved. */
export function checkFormDefinition(input: unknown): FormDefinitionProblem[] {
  if (!validateShape(input)) return shapeProblems(input, validateShape.errors ?? []);
  const def = input as FormDefinition;
  const problems: FormDefinitionProblem[] = [];
  const add = (path: string, code: string, params?: Record<string, string | number>) =>
    problems.push(params ? { path, code, params } : { path, code });

  const names = Object.keys(def.properties);
  if (names.length === 0) add('/properties', 'forms.definition.no_fields');
  for (const [name, field] of Object.entries(def.properties)) {
    const at = pointer('properties', name);
    if (!FIELD_NAME.test(name)) add(at, 'forms.definition.field_name', { field: name });
    checkField(at, field, add);
  }
  def.required?.forEach((name, i) => {
    if (!Object.hasOwn(def.properties, name))
      add(pointer('required', i), 'forms.definition.required_unknown', { field: name });
  });

  const placed = new Set<string>();
  def['x-groups'].forEach((group, g) =>
    group.fields.forEach((name, f) => {
      const at = pointer('x-groups', g, 'fields', f);
      if (!Object.hasOwn(def.properties, name))
        add(at, 'forms.definition.group_field_unknown', { field: name });
      else if (placed.has(name)) add(at, 'forms.definition.field_in_two_groups', { field: name });
      placed.add(name);
    }),
  );
  for (const name of names)
    if (!placed.has(name))
      add(pointer('properties', name), 'forms.definition.field_in_no_group', { field: name });

  // Samples are checked with the form's own validation, which needs a definition that makes sense.
  if (problems.length === 0) for (const p of sampleProblems(def)) problems.push(p);
  return problems;
}

type Add = (path: string, code: string, params?: Record<string, string | number>) => void;

function checkField(at: string, field: FormField, add: Add) {
  const widget = field['x-widget'];
  const rules = WIDGET_RULES[widget];
  for (const key of Object.keys(field))
    if (!COMMON_KEYWORDS.includes(key) && !rules.keywords.includes(key))
      add(`${at}${pointer(key)}`, 'forms.definition.keyword_not_allowed', { keyword: key, widget });
  if (field.type && !rules.types.includes(field.type))
    add(`${at}/type`, 'forms.definition.type_mismatch', { widget, type: field.type });
  if (widget === 'file' && field.type === 'array' && !field['x-multiple'])
    add(`${at}/type`, 'forms.definition.type_mismatch', { widget, type: field.type });

  if (CHOICE_WIDGETS.includes(widget)) {
    const values = widget === 'checkbox' ? field.items?.enum : field.enum;
    const valuesAt = widget === 'checkbox' ? `${at}/items` : `${at}/enum`;
    if (!values) add(valuesAt, 'forms.definition.enum_missing', { widget });
    const seen = new Set<string>();
    values?.forEach((v, i) => {
      if (seen.has(v))
        add(`${valuesAt}${widget === 'checkbox' ? '/enum' : ''}/${i}`, 'forms.definition.enum_duplicate', {
          value: v,
        });
      seen.add(v);
    });
    const labels = field['x-enum-labels'];
    if (values && !labels) add(`${at}/x-enum-labels`, 'forms.definition.enum_labels_missing');
    for (const lang of ['zh-CN', 'en'] as const) {
      const list = labels?.[lang];
      if (values && list && list.length !== values.length)
        add(`${at}/x-enum-labels/${lang}`, 'forms.definition.enum_labels_length', {
          expected: values.length,
          actual: list.length,
        });
    }
  }
  for (const [low, high] of [
    ['minLength', 'maxLength'],
    ['minimum', 'maximum'],
    ['minItems', 'maxItems'],
  ] as const) {
    const a = field[low];
    const b = field[high];
    if (a !== undefined && b !== undefined && a > b)
      add(`${at}/${low}`, 'forms.definition.range_inverted', { low, high });
  }
  field['x-accept']?.forEach((type, i) => {
    if (!DEFAULT_ALLOWED_TYPES.includes(type))
      add(`${at}/x-accept/${i}`, 'forms.definition.accept_unknown', { type });
  });
  // A file field's value is an upload reference: there is nothing meaningful to print as its sample.
  if (widget === 'file' && field['x-sample'] !== undefined)
    add(`${at}/x-sample`, 'forms.definition.sample_not_allowed', { widget });
}

function sampleProblems(def: FormDefinition): FormDefinitionProblem[] {
  const samples: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(def.properties))
    if (field['x-sample'] !== undefined) samples[name] = field['x-sample'];
  const { raw } = fromApi(samples);
  const problems = validateValues(def, raw, [], { lang: 'zh-CN' })
    .problems.filter((p) => !MISSING.has(p.code))
    .map((p) => ({ name: p.field.split('/')[0]!, reason: p.code }));
  // The division can only be checked for its form and depth here: the list is not at hand.
  for (const [name, value] of Object.entries(raw)) {
    const field = def.properties[name];
    if (field?.['x-widget'] !== 'address' || problems.some((p) => p.name === name)) continue;
    const level = divisionLevel(String((value as { division?: unknown }).division));
    if (!level) problems.push({ name, reason: 'forms.address.unknown_division' });
    else if (levelRank(level) < levelRank(requiredLevel(field)))
      problems.push({ name, reason: 'forms.address.too_shallow' });
  }
  const order = fieldsInOrder(def).map(([name]) => name);
  problems.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return problems.map(({ name, reason }) => ({
    path: pointer('properties', name, 'x-sample'),
    code: 'forms.definition.sample_invalid',
    params: { field: name, reason },
  }));
}

function shapeProblems(input: unknown, errors: ErrorObject[]): FormDefinitionProblem[] {
  const seen = new Set<string>();
  const out: FormDefinitionProblem[] = [];
  for (const e of errors) {
    const params = e.params as Record<string, unknown>;
    const extra =
      e.keyword === 'additionalProperties'
        ? params.additionalProperty
        : e.keyword === 'required'
          ? params.missingProperty
          : undefined;
    const path = (e.instancePath || '') + (extra !== undefined ? pointer(String(extra)) : '') || '/';
    if (seen.has(path)) continue;
    seen.add(path);
    // An unknown widget is the likeliest slip, and deserves better than "must match a schema in anyOf".
    if (/\/properties\/[^/]+\/x-widget$/.test(path)) {
      out.push({
        path,
        code: 'forms.definition.widget_unknown',
        params: { widget: String(valueAt(input, path)) },
      });
    } else {
      out.push({
        path,
        code: 'forms.definition.shape',
        params: { message: `${e.keyword}: ${e.message ?? ''}`.trim() },
      });
    }
  }
  return out;
}

function valueAt(input: unknown, path: string): unknown {
  let v = input;
  for (const part of path.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}
