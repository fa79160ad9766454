/**
 * The JSON Schema of a filled form, written from the widgets, and its compiled validator.
 *
 * ajv checks what JSON Schema says well (types, lengths, ranges, choices, calendar dates, the shape of
 * an address); the checks JSON Schema cannot express with a useful reason — the check digits of
 * identifiers, phone numbers, whether a division exists — run after it (validate-form.ts).
 *
 * Compiled once per definition: by object identity first, then by the definition's JSON text, so a
 * definition read from the database afresh on every request still compiles once. The text cache is
 * bounded and evicted schemas are removed from ajv too, whose own cache would otherwise keep every
 * schema object it ever compiled.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isRequired, type FormDefinition, type FormField } from './definition.ts';

/** Defaults that bound a field the definition left open: no field takes a megabyte of text. */
export const TEXT_MAX_LENGTH = 200;
export const TEXTAREA_MAX_LENGTH = 2000;
export const ADDRESS_DETAIL_MAX_LENGTH = 200;
export const FILE_REFERENCE_MAX_LENGTH = 200;
export const FILES_MAX = 20;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);

/** The object without its undefined entries: ajv rejects a keyword whose value is undefined. */
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The schema of one field's value. */
export function fieldSchema(field: FormField, required: boolean): Record<string, unknown> {
  const about = { title: field.title, description: field.description };
  switch (field['x-widget']) {
    case 'text':
    case 'textarea':
      return defined({
        ...about,
        type: 'string',
        minLength: field.minLength,
        maxLength: field.maxLength ?? (field['x-widget'] === 'text' ? TEXT_MAX_LENGTH : TEXTAREA_MAX_LENGTH),
      });
    case 'number':
      return defined({
        ...about,
        type: field.type === 'integer' ? 'integer' : 'number',
        minimum: field.minimum,
        maximum: field.maximum,
      });
    case 'date':
      return defined({ ...about, type: 'string', format: 'date' });
    case 'select':
    case 'radio':
      return defined({ ...about, type: 'string', enum: field.enum });
    case 'checkbox':
      return defined({
        ...about,
        type: 'array',
        items: defined({ type: 'string', enum: field.items?.enum }),
        minItems: field.minItems,
        maxItems: field.maxItems,
      });
    // The identifier and phone checks name the exact fault (length, characters, check digit).
    case 'citizen-id':
    case 'credit-code':
    case 'phone':
      return defined({ ...about, type: 'string' });
    case 'address':
      return defined({
        ...about,
        type: 'object',
        required: required ? ['division', 'detail'] : ['division'],
        properties: {
          division: { type: 'string', pattern: '^\\d{6}(?:\\d{3}){0,2}$' },
          detail: { type: 'string', maxLength: ADDRESS_DETAIL_MAX_LENGTH },
        },
        additionalProperties: false,
      });
    case 'file': {
      const reference = { type: 'string', minLength: 1, maxLength: FILE_REFERENCE_MAX_LENGTH };
      return field['x-multiple']
        ? defined({ ...about, type: 'array', items: reference, minItems: 1, maxItems: FILES_MAX })
        : defined({ ...about, ...reference });
    }
  }
}

/** The JSON Schema a filled form (FormAnswers) satisfies: for the API's documentation and for ajv. */
export function dataSchema(def: FormDefinition): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(def.properties))
    properties[name] = fieldSchema(field, isRequired(def, name));
  return defined({
    type: 'object',
    title: def.title,
    required: def.required && def.required.length > 0 ? def.required : undefined,
    properties,
    additionalProperties: false,
  });
}

const MAX_CACHED = 256;
const byObject = new WeakMap<FormDefinition, ValidateFunction>();
const byText = new Map<string, ValidateFunction>();

/** The compiled validator of a (checked) definition. */
export function compiledForm(def: FormDefinition): ValidateFunction {
  const known = byObject.get(def);
  if (known) return known;
  const key = JSON.stringify(def);
  let validate = byText.get(key);
  if (validate) {
    byText.delete(key); // most recently used goes last
  } else {
    validate = ajv.compile(dataSchema(def));
    const oldest = byText.size >= MAX_CACHED ? byText.keys().next().value : undefined;
    if (oldest !== undefined) {
      ajv.removeSchema(byText.get(oldest)!.schema as object);
      byText.delete(oldest);
    }
  }
  byText.set(key, validate);
  byObject.set(def, validate);
  return validate;
}

/** The meta-schema validator (the shape of a definition), compiled once. */
export const compileMeta = (schema: object) => ajv.compile(schema);
