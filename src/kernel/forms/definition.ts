/**
 * The form definition format: a JSON Schema `type: object` whose properties are the fields, with the
 * x- keywords that say how each is asked for (widget, labels, layout, a sample value). TypeBox gives the
 * schema of the format itself (FormDefinitionSchema, for an editor or the API) and the TypeScript types.
 *
 * A field's JSON `type` may be left out: the widget implies it (a phone is a string, a checkbox list an
 * array), and dataSchema() writes the full schema of the filled form from the widgets. When `type` is
 * given it must agree with the widget, so a definition stays an honest JSON Schema.
 */
import { Type, type Static } from 'typebox';
import type { DivisionLevel } from '../divisions/index.ts';

export const WIDGETS = [
  'text',
  'textarea',
  'number',
  'date',
  'select',
  'radio',
  'checkbox',
  'citizen-id',
  'credit-code',
  'phone',
  'address',
  'file',
] as const;
export type Widget = (typeof WIDGETS)[number];

/** The widgets whose value is one or more of the field's `enum`. */
export const CHOICE_WIDGETS: readonly Widget[] = ['select', 'radio', 'checkbox'];

/** Levels an address may be asked down to: below the nation, 'village' being 村/社区. */
export const ADDRESS_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type AddressLevel = Exclude<DivisionLevel, 'national'>;

/** Autocomplete tokens a text field may declare (the others have theirs from the widget). */
export const TEXT_AUTOCOMPLETE = [
  'name',
  'organization',
  'organization-title',
  'email',
  'postal-code',
] as const;

/**
 * camelCase letters and digits only: a name is also an HTML id and a form-post key, where `/` separates
 * an address's parts and `_` starts the page's own keys (_csrf, _pick), so neither may appear in it.
 */
export const FIELD_NAME = /^[a-z][a-zA-Z0-9]{0,39}$/;

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Option = Type.String({ minLength: 1, maxLength: 100 });

export const FormFieldSchema = Type.Object(
  {
    /** The label, in Chinese. */
    title: Text(100),
    'x-title-en': Type.Optional(Text(200)),
    /** A hint shown under the label. */
    description: Type.Optional(Text(500)),
    'x-description-en': Type.Optional(Text(1000)),
    'x-widget': Type.Enum(WIDGETS),
    type: Type.Optional(Type.Enum(['string', 'number', 'integer', 'array', 'object'] as const)),
    minLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    minimum: Type.Optional(Type.Number()),
    maximum: Type.Optional(Type.Number()),
    /** The values of a select or radio field. */
    enum: Type.Optional(Type.Array(Option, { minItems: 1, maxItems: 200 })),
    /** A checkbox list's values, as JSON Schema puts them: in the array's items. */
    items: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(Type.Literal('string')),
          enum: Type.Array(Option, { minItems: 1, maxItems: 200 }),
        },
        { additionalProperties: false },
      ),
    ),
    minItems: Type.Optional(Type.Integer({ minimum: 0, maximum: 200 })),
    maxItems: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    /** What each enum value is called, in the same order as the values. */
    'x-enum-labels': Type.Optional(
      Type.Object(
        { 'zh-CN': Type.Array(Option), en: Type.Optional(Type.Array(Text(200))) },
        { additionalProperties: false },
      ),
    ),
    'x-autocomplete': Type.Optional(Type.Enum(TEXT_AUTOCOMPLETE)),
    /** Rows of a text area. */
    'x-rows': Type.Optional(Type.Integer({ minimum: 2, maximum: 20 })),
    /** A number's unit, shown after the label: 万元, 人. */
    'x-unit': Type.Optional(Text(20)),
    'x-unit-en': Type.Optional(Text(40)),
    /** 'mobile' when the number must take text messages; 'any' (default) also takes a landline. */
    'x-phone': Type.Optional(Type.Enum(['any', 'mobile'] as const)),
    /** How far down an address's division must be chosen (default 'county'). */
    'x-division-level': Type.Optional(Type.Enum(ADDRESS_LEVELS)),
    /** A file field taking several uploads. */
    'x-multiple': Type.Optional(Type.Boolean()),
    /** Media types a file field takes (within the platform's allowed types). */
    'x-accept': Type.Optional(Type.Array(Type.String(), { minItems: 1, uniqueItems: true })),
    /** The value printed on the filled sample (填写样例). */
    'x-sample': Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type FormField = Static<typeof FormFieldSchema>;

export const FormGroupSchema = Type.Object(
  {
    title: Text(100),
    'x-title-en': Type.Optional(Text(200)),
    fields: Type.Array(Type.String(), { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type FormGroup = Static<typeof FormGroupSchema>;

export const FormDefinitionSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    type: Type.Literal('object'),
    title: Type.Optional(Text(100)),
    'x-title-en': Type.Optional(Text(200)),
    required: Type.Optional(Type.Array(Type.String(), { uniqueItems: true })),
    properties: Type.Record(Type.String(), FormFieldSchema),
    /** The layout: every field in exactly one group, groups and fields in the order shown. */
    'x-groups': Type.Array(FormGroupSchema, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false, $id: 'https://yiwang.gov.cn/schema/form-definition.json' },
);
export type FormDefinition = Static<typeof FormDefinitionSchema>;

/** An address as a filled form holds it: the division chosen, and the street and number below it. */
export interface AddressValue {
  division: string;
  detail?: string;
}

/** One field's value in a filled form; a field left blank is absent. */
export type AnswerValue = string | number | string[] | AddressValue;
/** A filled form: field name → value, already checked against its definition. */
export type FormAnswers = Record<string, AnswerValue>;

export type FormLang = 'zh-CN' | 'en';

/** The label in a language (falling back to Chinese), with a number's unit: 资金数额（万元）. */
export function fieldLabel(field: FormField, lang: FormLang): string {
  const title = (lang === 'en' && field['x-title-en']) || field.title;
  const unit = (lang === 'en' && field['x-unit-en']) || field['x-unit'];
  if (!unit) return title;
  return lang === 'en' ? `${title} (${unit})` : `${title}（${unit}）`;
}

export function fieldHint(field: FormField, lang: FormLang): string | undefined {
  return (lang === 'en' && field['x-description-en']) || field.description;
}

export function groupTitle(group: FormGroup, lang: FormLang): string {
  return (lang === 'en' && group['x-title-en']) || group.title;
}

/** A choice field's options as value and label. */
export function choicesOf(field: FormField, lang: FormLang): { value: string; label: string }[] {
  const values = field.enum ?? field.items?.enum ?? [];
  const labels = field['x-enum-labels'];
  const named = (lang === 'en' && labels?.en) || labels?.['zh-CN'] || [];
  return values.map((value, i) => ({ value, label: named[i] ?? labels?.['zh-CN'][i] ?? value }));
}

export const isRequired = (def: FormDefinition, name: string) => def.required?.includes(name) === true;

/** The fields in the order the groups show them. */
export function fieldsInOrder(def: FormDefinition): [string, FormField][] {
  return def['x-groups'].flatMap((g) =>
    g.fields.flatMap((name) => {
      const field = def.properties[name];
      return field ? [[name, field] as [string, FormField]] : [];
    }),
  );
}
