/**
 * Application forms (申请表) as data: a service item carries a form definition; an applicant fills it
 * online (prefilled from their account), a window officer fills it for a walk-in applicant, and anyone
 * downloads it blank or as a filled sample.
 *
 * A definition is a JSON Schema `type: object` whose properties carry x- keywords: `x-widget` (text,
 * textarea, number, date, select, radio, checkbox, citizen-id, credit-code, phone, address, file),
 * `title`/`x-title-en` labels, `description` hints, `x-enum-labels` for choices, `x-sample` for the
 * filled sample, and `x-groups` for the layout. It stays a real JSON Schema so the API can publish
 * the shape of an application body (dataSchema), and the meta-format has a schema of its own
 * (FormDefinitionSchema) so an administrator's form is checked when saved (checkFormDefinition, with
 * JSON pointers to what is wrong). The rest of this module trusts a checked definition.
 *
 * One validation for pages and the API (validateForm): a page's strings are coerced to the JSON
 * values the API sends, and both then pass the same compiled schema (compiled once per definition)
 * and the same identifier, phone and division checks. Problems are codes with the field's label as a
 * param, named by the page input they belong beside.
 *
 * Decisions:
 *  - Phone: a mainland mobile, a landline with its area code, or an international number; not short
 *    service numbers (12345) nor a landline without area code (phone.ts says why).
 *  - Address: a division chosen below a root the caller gives, down to `x-division-level` (default
 *    county; 'village' is 村/社区) unless nothing lies below the chosen one, then street and number.
 *    Chosen level by level without JavaScript: the "选择下一级" button posts back (pickedAddress).
 *  - File fields hold the upload references the caller gives; uploads are the caller's business (a form
 *    with file fields must be posted as multipart: hasFileFields).
 *  - Rendering shares kernel/pages' markup, and the PDF is kernel/pdf's application-form layout.
 */
import type { FormDefinition } from './definition.ts';

export {
  ADDRESS_LEVELS,
  choicesOf,
  fieldHint,
  fieldLabel,
  FormDefinitionSchema,
  FormFieldSchema,
  FormGroupSchema,
  TEXT_AUTOCOMPLETE,
  WIDGETS,
  type AddressLevel,
  type AddressValue,
  type AnswerValue,
  type FormAnswers,
  type FormDefinition,
  type FormField,
  type FormGroup,
  type FormLang,
  type Widget,
} from './definition.ts';
export { checkFormDefinition, type FormDefinitionProblem } from './check-definition.ts';
export { dataSchema } from './data-schema.ts';
export { validateForm, type FormValidation, type ValidateOptions } from './validate-form.ts';
export { formValuesOf } from './coerce.ts';
export { checkPhone, type PhoneCheck, type PhoneReason } from './phone.ts';
export {
  divisionNames,
  loadAddressPickers,
  memoryDivisionLookup,
  pickedAddress,
  type AddressPicker,
  type AddressPickers,
  type AddressScope,
  type DivisionLookup,
  type DivisionOption,
} from './address.ts';
export { FormFields, type FormFieldsProps } from './form-fields.tsx';
export { formPdf, type FormPdfOptions } from './form-pdf.ts';
export { INDIVIDUAL_BUSINESS_FORM, SAMPLE_DIVISIONS } from './sample-forms.ts';

/** Whether the form takes uploads, so its page must post multipart/form-data. */
export function hasFileFields(def: FormDefinition): boolean {
  return Object.values(def.properties).some((f) => f['x-widget'] === 'file');
}
