/**
 * The address picker: one select per level below the root, the "选择下一级" button that posts the form
 * back to open the next level (see address.ts), and the street-and-number box. Works without script.
 */
import { ADDRESS_DETAIL_MAX_LENGTH } from './data-schema.ts';
import { detailName, divisionLevel, selectName, type AddressPicker } from './address.ts';
import { fieldHint, fieldLabel } from './definition.ts';
import {
  describedBy,
  fieldId,
  HintAndError,
  problemOf,
  RequiredMark,
  type FieldView,
} from './field-parts.tsx';

/** The autocomplete token of a select by the level of its options (HTML: address-level1 is broadest). */
const AUTOCOMPLETE: Record<string, string | undefined> = {
  province: 'address-level1',
  city: 'address-level2',
  county: 'address-level3',
  township: 'address-level4',
};

export function AddressField(props: FieldView & { picker: AddressPicker }) {
  const { name, field, required, values, lang, t, picker } = props;
  const id = fieldId(name);
  const problem = problemOf(props.problems, name);
  const detailProblem = problemOf(props.problems, detailName(name));
  const hint = fieldHint(field, lang);
  // After "选择下一级", focus the level it opened, so a keyboard user carries on where they were.
  const opened = values._pick === name ? picker.levels.findIndex((l) => l.chosen === undefined) : -1;
  const detailId = fieldId(detailName(name));
  return (
    <fieldset
      class={problem || detailProblem ? 'field field-error' : 'field'}
      aria-describedby={describedBy(id, hint, problem)}
    >
      <legend>
        {fieldLabel(field, lang)}
        <RequiredMark required={required} t={t} />
      </legend>
      <HintAndError id={id} hint={hint} problem={problem} t={t} />
      {picker.levels.map((level, i) => {
        const selectId = i === 0 ? id : fieldId(selectName(name, i + 1));
        const kind = divisionLevel(level.options[0]?.code ?? '') ?? 'county';
        return (
          <div class="field address-level">
            <label for={selectId}>{t(`forms.level.${kind}`)}</label>
            <select
              id={selectId}
              name={selectName(name, i + 1)}
              autocomplete={AUTOCOMPLETE[kind]}
              aria-invalid={problem ? 'true' : undefined}
              autofocus={i === opened}
            >
              <option value="">{t('common.choose')}</option>
              {level.options.map((o) => (
                <option value={o.code} selected={o.code === level.chosen}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      {picker.offerPick ? (
        <p>
          <button type="submit" name="_pick" value={name} class="secondary">
            {t('forms.address.pick_next')}
          </button>
        </p>
      ) : null}
      <div class={detailProblem ? 'field field-error' : 'field'}>
        <label for={detailId}>{t('forms.address.detail')}</label>
        <HintAndError id={detailId} problem={detailProblem} t={t} />
        <input
          id={detailId}
          name={detailName(name)}
          type="text"
          value={values[detailName(name)] ?? ''}
          maxLength={ADDRESS_DETAIL_MAX_LENGTH}
          autocomplete="address-line1"
          required={required}
          aria-invalid={detailProblem ? 'true' : undefined}
          aria-describedby={describedBy(detailId, undefined, detailProblem)}
        />
      </div>
    </fieldset>
  );
}
