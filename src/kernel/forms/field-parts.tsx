/**
 * The pieces every field's markup shares, as kernel/pages' Field draws them: the id, the hint and the
 * error below the label, the "required" mark.
 */
import type { FieldProblem } from '../errors.ts';
import type { Translate } from '../i18n/index.ts';
import type { FormValues } from '../pages/index.tsx';
import type { FormField, FormLang } from './definition.ts';

/** What every field's view is given. */
export interface FieldView {
  name: string;
  field: FormField;
  required: boolean;
  values: FormValues;
  problems: FieldProblem[];
  lang: FormLang;
  t: Translate;
}

export const fieldId = (name: string) => `field-${name}`;
export const problemOf = (problems: FieldProblem[], field: string) => problems.find((p) => p.field === field);

/** The ids a control or fieldset is described by: its hint and its error, when shown. */
export const describedBy = (id: string, hint: unknown, problem: unknown) =>
  [hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export function HintAndError(props: {
  id: string;
  hint?: string | undefined;
  problem?: FieldProblem;
  t: Translate;
}) {
  const { id, hint, problem, t } = props;
  return (
    <>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {problem ? (
        <p class="error-message" id={`${id}-error`}>
          {t(problem.code, problem.params)}
        </p>
      ) : null}
    </>
  );
}

export const RequiredMark = (props: { required: boolean; t: Translate }) =>
  props.required ? <span class="required"> {props.t('form.required')}</span> : null;
