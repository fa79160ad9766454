/**
 * A form as a PDF to download (表格下载): blank to fill by hand, or the filled sample (填写样例) showing
 * each field's `x-sample` under a watermark. Both come from the same definition through the same code,
 * so the sample always matches the blank form field for field.
 *
 * Each group is a numbered section of label–value cells; a choice prints all its options with boxes to
 * tick; file fields are not boxes to write in but materials to attach, so they are listed together
 * after the fields. The hints become the instructions (填表说明) at the foot, and a declaration with
 * room to sign closes the form, as paper application forms do.
 */
import { translator } from '../i18n/index.ts';
import { renderPdf, type Block, type Field as PdfField } from '../pdf/index.ts';
import { divisionNames, type DivisionLookup } from './address.ts';
import {
  CHOICE_WIDGETS,
  choicesOf,
  fieldHint,
  fieldLabel,
  groupTitle,
  type AddressValue,
  type FormDefinition,
  type FormField,
  type FormLang,
} from './definition.ts';

export interface FormPdfOptions {
  mode: 'blank' | 'sample';
  title: string;
  /** The office issuing the form: the PDF's author and its footer. */
  issuer?: string;
  lang: FormLang;
  /** Also the PDF's CreationDate: the same options give the same bytes. */
  createdAt: Date;
  /** Under the title: the form number (表格编号). */
  subtitle?: string;
  /** Names a sample address's division (浙江省杭州市西湖区…); without it the code is printed. */
  divisions?: DivisionLookup;
}

export async function formPdf(def: FormDefinition, options: FormPdfOptions): Promise<Buffer> {
  const { lang } = options;
  const t = translator(lang);
  const sample = options.mode === 'sample';
  const blocks: Block[] = [{ kind: 'title', text: options.title, subtitle: options.subtitle }];
  const attachments: string[] = [];
  const hints: string[] = [];
  let sections = 0;
  let hasChoices = false;

  for (const group of def['x-groups']) {
    const fields: PdfField[] = [];
    for (const name of group.fields) {
      const field = def.properties[name];
      if (!field) continue;
      const label = fieldLabel(field, lang);
      const hint = fieldHint(field, lang);
      if (hint) hints.push(`${label}${lang === 'en' ? ': ' : '：'}${hint}`);
      if (field['x-widget'] === 'file') {
        attachments.push(label);
        continue;
      }
      if (CHOICE_WIDGETS.includes(field['x-widget'])) hasChoices = true;
      fields.push(await pdfField(field, label, sample ? field['x-sample'] : undefined, options));
    }
    if (fields.length === 0) continue;
    blocks.push({ kind: 'heading', text: numbered(++sections, groupTitle(group, lang), lang) });
    blocks.push({ kind: 'fields', columns: 2, fields });
  }
  if (attachments.length > 0) {
    blocks.push({ kind: 'heading', text: numbered(sections + 1, t('forms.pdf.attachments'), lang) });
    blocks.push({ kind: 'list', items: attachments, ordered: true });
  }
  blocks.push({ kind: 'paragraph', text: t('forms.pdf.declaration') });
  blocks.push({
    kind: 'fields',
    layout: 'plain',
    columns: 2,
    fields: [{ label: t('forms.pdf.signature') }, { label: t('forms.pdf.date') }],
  });
  const notes = [...(hasChoices ? [t('forms.pdf.tick')] : []), ...hints];
  if (notes.length > 0) {
    const sep = lang === 'en' ? '; ' : '；';
    blocks.push({
      kind: 'note',
      text: t('forms.pdf.instructions') + notes.map((n, i) => `${i + 1}. ${n}`).join(sep),
    });
  }

  return renderPdf({
    title: options.title,
    lang,
    author: options.issuer,
    subject: t('forms.pdf.subject'),
    keywords: [options.title],
    createdAt: options.createdAt,
    watermark: sample ? t('forms.pdf.sample_watermark') : undefined,
    footer: options.issuer ? t('forms.pdf.footer', { issuer: options.issuer }) : undefined,
    // No params: the template keeps its {page} and {pages} for the renderer.
    pageNumbers: t('forms.pdf.page_numbers'),
    blocks,
  });
}

async function pdfField(
  field: FormField,
  label: string,
  value: unknown,
  options: FormPdfOptions,
): Promise<PdfField> {
  const widget = field['x-widget'];
  if (CHOICE_WIDGETS.includes(widget)) {
    const choices = choicesOf(field, options.lang);
    const chosen = (v: string) => (Array.isArray(value) ? value.includes(v) : value === v);
    // Options that would crowd half a row get the whole row.
    const wide = choices.reduce((n, o) => n + o.label.length + 2, 0) > 14;
    return { label, options: choices.map((o) => ({ label: o.label, checked: chosen(o.value) })), wide };
  }
  if (widget === 'textarea')
    return { label, value: text(value), blankLines: field['x-rows'] ?? 3, wide: true };
  if (widget === 'address') return { label, value: await addressText(value, options), wide: true };
  if (widget === 'date' && typeof value === 'string') return { label, value: dateText(value, options.lang) };
  return { label, value: text(value) };
}

const text = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

async function addressText(value: unknown, options: FormPdfOptions): Promise<string | undefined> {
  if (value === null || typeof value !== 'object') return undefined;
  const { division, detail } = value as AddressValue;
  const names = options.divisions ? await divisionNames(division, options.divisions) : [];
  const place = names.length > 0 ? names.join(options.lang === 'en' ? ' ' : '') : division;
  return [place, detail ?? ''].filter(Boolean).join(options.lang === 'en' ? ', ' : '');
}

/** 2025-04-01 → 2025年4月1日, as dates are written on Chinese forms; ISO in English. */
function dateText(iso: string, lang: FormLang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || lang === 'en') return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

const DIGITS = '零一二三四五六七八九';

/** 一、基本信息 in Chinese, 1. Basic information in English. */
export function numbered(n: number, title: string, lang: FormLang): string {
  if (lang === 'en') return `${n}. ${title}`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const numeral =
    (tens === 0 ? '' : tens === 1 ? '十' : `${DIGITS[tens]}十`) +
    (ones === 0 && tens > 0 ? '' : DIGITS[ones]);
  return `${numeral}、${title}`;
}
