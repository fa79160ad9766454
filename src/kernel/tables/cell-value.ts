/**
 * One cell's text → the column's value, and back. Reading is forgiving where the meaning is certain
 * (full-width digits, 2024/3/5, 1,200, 是/yes/TRUE) and refuses everything else with a reason code.
 */
import type { Locale } from '../i18n/index.ts';
import type { Params } from '../errors.ts';
import { headerMatchKey, optionIndex, toHalfWidth, type Column, type EnumOption } from './columns.ts';

export type CellResult =
  | { ok: true; value: string | number | boolean | string[] | null }
  | { ok: false; code: string; params?: Params };

/** Characters that start a formula when a spreadsheet opens a CSV (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** What separates the items of a list cell; items therefore cannot contain these. */
const LIST_SEPARATOR = /[、;,；，\n]+/;
const TRUE_WORDS = new Set(['是', 'yes', 'y', 'true', '1', '对', '√']);
const FALSE_WORDS = new Set(['否', 'no', 'n', 'false', '0', '错', '×']);

const fail = (code: string, params?: Params): CellResult =>
  params ? { ok: false, code, params } : { ok: false, code };

/**
 * The value of `raw` in `column`; null for an empty cell (an empty list is []). `lang` is the language
 * the file's headers were in, used to name the allowed values in an error.
 */
export function parseCell(column: Column, raw: string, lang: Locale): CellResult {
  const text = unguardFormula(raw.trim());
  if (text === '') return { ok: true, value: column.kind === 'list' ? [] : null };
  switch (column.kind) {
    case 'text': {
      const value = column.halfWidth ? toHalfWidth(text) : text;
      if (column.maxLength !== undefined && [...value].length > column.maxLength)
        return fail('tables.row.too_long', { max: column.maxLength });
      return { ok: true, value };
    }
    case 'integer':
      return parseInteger(toHalfWidth(text).replace(/\s/g, ''), column.min, column.max);
    case 'enum': {
      const code = optionIndex(column.options).get(headerMatchKey(text));
      return code === undefined ? notAllowed(column.options, lang) : { ok: true, value: code };
    }
    case 'list':
      return parseList(column, text, lang);
    case 'boolean': {
      const word = toHalfWidth(text).toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return fail('tables.row.not_boolean');
    }
    case 'date': {
      // A date cell that carries midnight as its time is still just a date.
      const value = parseDate(
        toHalfWidth(text)
          .replace(/\s+0?0:00(:00)?$/, '')
          .replace(/\s/g, ''),
      );
      return value ? { ok: true, value } : fail('tables.row.not_date');
    }
  }
}

function parseInteger(
  text: string,
  min = -Number.MAX_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): CellResult {
  // Thousands separators only where they are unmistakably that (1,200 — not 1,2).
  const digits = /^[+-]?\d{1,3}(,\d{3})+$/.test(text) ? text.replace(/,/g, '') : text;
  // A spreadsheet may show a whole number as 12.0 or 12.00.
  const match = /^([+-]?\d+)(?:\.0+)?$/.exec(digits);
  const value = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(value)) return fail('tables.row.not_integer');
  if (value < min) return fail('tables.row.too_small', { min });
  if (value > max) return fail('tables.row.too_large', { max });
  return { ok: true, value };
}

function parseList(column: Extract<Column, { kind: 'list' }>, text: string, lang: Locale): CellResult {
  let items = text
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean);
  const { options, maxLength, maxItems } = column;
  if (options) {
    const index = optionIndex(options);
    const codes = items.map((item) => index.get(headerMatchKey(item)));
    if (codes.some((c) => c === undefined)) return notAllowed(options, lang);
    items = codes as string[];
  } else if (maxLength !== undefined && items.some((item) => [...item].length > maxLength))
    return fail('tables.row.item_too_long', { max: maxLength });
  // An item named twice (网上办理、网上、网上办理) is there once.
  items = [...new Set(items)];
  if (maxItems !== undefined && items.length > maxItems)
    return fail('tables.row.too_many_items', { max: maxItems });
  return { ok: true, value: items };
}

function notAllowed(options: readonly EnumOption[], lang: Locale): CellResult {
  return fail('tables.row.not_allowed', {
    allowed: options.map((o) => o.label[lang]).join(separatorFor(lang)),
  });
}

/** A real calendar date written 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日 or 20240305. */
export function parseDate(text: string): string | null {
  const m = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2] ?? m[4]), Number(m[3] ?? m[5])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return date.toISOString().slice(0, 10);
}

/** How list items are joined on export: the way each language writes an enumeration. */
export const separatorFor = (lang: Locale) => (lang === 'zh-CN' ? '、' : '; ');

/** A value as the text a person reads in the export: labels for codes, 是/否, joined lists. */
export function formatCell(column: Column, value: unknown, lang: Locale): string {
  if (value === null || value === undefined) return '';
  const label = (options: readonly EnumOption[], code: unknown) =>
    options.find((o) => o.code === code)?.label[lang] ?? String(code);
  switch (column.kind) {
    case 'enum':
      return label(column.options, value);
    case 'list': {
      const items = Array.isArray(value) ? value : [value];
      const { options } = column;
      return items.map((v) => (options ? label(options, v) : String(v))).join(separatorFor(lang));
    }
    case 'boolean':
      return value ? (lang === 'zh-CN' ? '是' : 'yes') : lang === 'zh-CN' ? '否' : 'no';
    default:
      return String(value);
  }
}

/**
 * CSV text that would start a formula gets a leading apostrophe, so a spreadsheet opening the export
 * shows it instead of running it; parseCell takes the apostrophe off again, so the round trip is exact.
 * (An XLSX cell holds a string as a string: no guard needed there.)
 */
export const guardFormula = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);
const unguardFormula = (text: string) =>
  text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
