/**
 * A form definition's fields as server-rendered HTML, in the markup of kernel/pages' Field (a `.field`
 * block: label, hint, error, control; `.field-error` when at fault; ids `field-<name>`), so these
 * forms look and read like every other form on the site and the error summary's links land on them.
 *
 * Groups are fieldsets with legends; radio and checkbox lists and the address picker are fieldsets of
 * their own, their hint and error tied to the fieldset with aria-describedby and the id `field-<name>`
 * on the first control, where the error summary's link moves focus. Numbers and identifiers are text
 * inputs with an inputmode rather than type=number, which drops what it cannot parse and changes
 * on a mouse wheel; the citizen ID keeps a full keyboard because its last character may be X.
 */
import type { FieldProblem } from '../errors.ts';
import type { Translate } from '../i18n/index.ts';
import { usePage, type FormValues } from '../pages/index.tsx';
import { AddressField } from './address-field.tsx';
import type { AddressPickers } from './address.ts';
import {
  describedBy,
  fieldId,
  HintAndError,
  problemOf,
  RequiredMark,
  type FieldView,
} from './field-parts.tsx';
import {
  choicesOf,
  fieldHint,
  fieldLabel,
  groupTitle,
  isRequired,
  type FormDefinition,
  type FormField,
  type FormLang,
} from './definition.ts';
import { TEXT_MAX_LENGTH, TEXTAREA_MAX_LENGTH } from './data-schema.ts';

export interface FormFieldsProps {
  def: FormDefinition;
  /** What to show in the fields: a posted form's values, or formValuesOf(def, answers). */
  values: FormValues;
  problems: FieldProblem[];
  /** Defaults to the page's language. */
  lang?: FormLang;
  /** From loadAddressPickers: required when the form has an address field. */
  divisions?: AddressPickers;
}

export function FormFields(props: FormFieldsProps) {
  const { t, locale } = usePage();
  const lang = props.lang ?? locale;
  const { def } = props;
  const picking = Object.values(props.divisions ?? {}).some((p) => p.offerPick);
  return (
    <>
      {/* Enter in a text box presses the form's first submit button. With an address picker above the
          form's own button that would be "选择下一级"; this unnamed button comes first and submits. */}
      {picking ? (
        <button type="submit" class="visually-hidden" tabIndex={-1} aria-hidden="true">
          {t('forms.submit')}
        </button>
      ) : null}
      {def['x-groups'].map((group) => (
        <fieldset class="form-group">
          <legend>{groupTitle(group, lang)}</legend>
          {group.fields.map((name) => {
            const field = def.properties[name];
            if (!field) return null;
            const view = { name, field, required: isRequired(def, name), values: props.values, lang, t };
            return <FieldFor {...view} problems={props.problems} divisions={props.divisions} />;
          })}
        </fieldset>
      ))}
    </>
  );
}

function FieldFor(props: FieldView & { divisions: AddressPickers | undefined }) {
  const { name, field } = props;
  switch (field['x-widget']) {
    case 'radio':
    case 'checkbox':
      return <ChoiceGroup {...props} />;
    case 'address': {
      const picker = props.divisions?.[name];
      if (!picker) throw new Error(`FormFields: no divisions loaded for the address field ${name}`);
      return <AddressField {...props} picker={picker} />;
    }
    default:
      return <SingleField {...props} />;
  }
}

/** One labelled control: text, textarea, number, date, select, identifiers, phone, file. */
function SingleField(props: FieldView) {
  const { name, field, required, values, lang, t } = props;
  const id = fieldId(name);
  const problem = problemOf(props.problems, name);
  const hint = fieldHint(field, lang);
  const value = values[name] ?? '';
  const common = {
    id,
    name,
    required,
    'aria-invalid': problem ? ('true' as const) : undefined,
    'aria-describedby': describedBy(id, hint, problem),
  };
  return (
    <div class={problem ? 'field field-error' : 'field'}>
      <label for={id}>
        {fieldLabel(field, lang)}
        <RequiredMark required={required} t={t} />
      </label>
      <HintAndError id={id} hint={hint} problem={problem} t={t} />
      {control(field, common, value, props)}
    </div>
  );
}

type Common = Record<string, unknown> & { id: string; name: string };

function control(field: FormField, common: Common, value: string, props: FieldView) {
  switch (field['x-widget']) {
    case 'textarea':
      return (
        <textarea {...common} rows={field['x-rows'] ?? 4} maxLength={field.maxLength ?? TEXTAREA_MAX_LENGTH}>
          {value}
        </textarea>
      );
    case 'number':
      return (
        <input
          {...common}
          type="text"
          value={value}
          inputMode={field.type === 'integer' ? 'numeric' : 'decimal'}
          spellcheck={false}
        />
      );
    case 'date':
      return <input {...common} type="date" value={value} />;
    case 'select':
      return (
        <select {...common}>
          <option value="">{props.t('common.choose')}</option>
          {choicesOf(field, props.lang).map((o) => (
            <option value={o.value} selected={o.value === value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case 'citizen-id':
    case 'credit-code':
      return (
        <input
          {...common}
          type="text"
          value={value}
          maxLength={18}
          inputMode="text"
          autocapitalize="characters"
          spellcheck={false}
        />
      );
    case 'phone':
      return <input {...common} type="tel" value={value} inputMode="tel" autocomplete="tel" maxLength={30} />;
    case 'file':
      return <FileControl field={field} common={common} value={value} t={props.t} />;
    default:
      return (
        <input
          {...common}
          type="text"
          value={value}
          maxLength={field.maxLength ?? TEXT_MAX_LENGTH}
          autocomplete={field['x-autocomplete']}
        />
      );
  }
}

/**
 * The browser cannot put a chosen file back into a file input, so references already uploaded (from an
 * earlier post of this form) travel as hidden inputs of the same name; the caller's upload handling
 * merges them with new file parts.
 */
function FileControl(props: { field: FormField; common: Common; value: string; t: Translate }) {
  const kept = props.value.split('\n').filter((r) => r.trim() !== '');
  const { required: _required, ...common } = props.common;
  return (
    <>
      {kept.length > 0 ? <p class="hint">{props.t('forms.file.kept', { count: kept.length })}</p> : null}
      {kept.map((ref) => (
        <input type="hidden" name={common.name} value={ref} />
      ))}
      <input
        {...common}
        type="file"
        accept={props.field['x-accept']?.join(',')}
        multiple={props.field['x-multiple'] === true}
        required={props.common.required === true && kept.length === 0}
      />
    </>
  );
}

/** Radio buttons or a checkbox list, as a fieldset whose legend is the field's label. */
function ChoiceGroup(props: FieldView) {
  const { name, field, required, values, lang, t } = props;
  const id = fieldId(name);
  const problem = problemOf(props.problems, name);
  const hint = fieldHint(field, lang);
  const multiple = field['x-widget'] === 'checkbox';
  const chosen = new Set((values[name] ?? '').split('\n'));
  return (
    <fieldset
      class={problem ? 'field field-error' : 'field'}
      aria-describedby={describedBy(id, hint, problem)}
    >
      <legend>
        {fieldLabel(field, lang)}
        <RequiredMark required={required} t={t} />
      </legend>
      <HintAndError id={id} hint={hint} problem={problem} t={t} />
      {choicesOf(field, lang).map((o, i) => (
        <label class="choice">
          <input
            id={i === 0 ? id : `${id}-${i}`}
            type={multiple ? 'checkbox' : 'radio'}
            name={name}
            value={o.value}
            checked={chosen.has(o.value)}
            required={!multiple && required}
            aria-invalid={problem ? 'true' : undefined}
          />{' '}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
