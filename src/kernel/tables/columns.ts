/**
 * What a table's columns are: a key the code uses, a header people read in either language, and the
 * kind of value the cells hold. One spec serves the import (matching headers, checking cells) and the
 * export (the header row, how values are written), so a file we export is always one we can import.
 */
import type { Locale } from '../i18n/index.ts';

/** A text in each language: headers and allowed values are shown in the language of the export. */
export type Labels = Readonly<Record<Locale, string>>;

/** One allowed value of an enum column: stored as `code`, written as `label`, read from any of them. */
export interface EnumOption {
  readonly code: string;
  readonly label: Labels;
  /** Other spellings people use for the same value (简称, old names). */
  readonly aliases?: readonly string[];
}

interface ColumnBase<K extends string = string> {
  readonly key: K;
  readonly header: Labels;
  readonly required?: boolean;
  /** No two rows may have the same value (codes, names): a file repeating one is refused. */
  readonly unique?: boolean;
  /**
   * A domain check on the parsed, non-empty value (say a credit code): returns an error code (an i18n
   * key) when the value is wrong. Annotate the parameter with the kind's value type.
   */
  readonly check?: (value: never) => string | undefined;
}

export type Column<K extends string = string> = ColumnBase<K> &
  (
    | {
        readonly kind: 'text';
        readonly maxLength?: number;
        /** Full-width letters and digits become half-width: right for codes, wrong for prose. */
        readonly halfWidth?: boolean;
      }
    | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
    | { readonly kind: 'enum'; readonly options: readonly EnumOption[] }
    | {
        readonly kind: 'list';
        readonly maxItems?: number;
        /** Longest item, in characters. */
        readonly maxLength?: number;
        /** When given, each item must be one of these and the record holds their codes. */
        readonly options?: readonly EnumOption[];
      }
    | { readonly kind: 'boolean' }
    /** A calendar date without a time of day or zone, held as 'YYYY-MM-DD'. */
    | { readonly kind: 'date' }
  );

export type ColumnKind = Column['kind'];

interface KindValue {
  text: string;
  integer: number;
  enum: string;
  list: string[];
  boolean: boolean;
  date: string;
}

/** A parsed row: empty cells are null (an empty list is []); every column's key is present. */
export type TableRecord<C extends readonly Column[]> = {
  -readonly [Col in C[number] as Col['key']]: Col extends { kind: 'list' }
    ? string[]
    : Col extends { required: true }
      ? KindValue[Col['kind']]
      : KindValue[Col['kind']] | null;
};

/**
 * Checks a column spec once, where it is written (a module's top level), so a mistake in it fails at
 * start-up rather than on an administrator's upload; returns it unchanged with its literal types.
 */
export function defineColumns<const C extends readonly Column[]>(columns: C): C {
  const keys = new Set<string>();
  const headers = new Map<string, string>();
  for (const column of columns) {
    if (keys.has(column.key)) throw new Error(`tables: column key ${column.key} is used twice`);
    keys.add(column.key);
    for (const label of Object.values(column.header)) {
      const other = headers.get(headerMatchKey(label));
      if (other && other !== column.key)
        throw new Error(`tables: header ${label} names both ${other} and ${column.key}`);
      headers.set(headerMatchKey(label), column.key);
    }
    if ('options' in column && column.options) optionIndex(column.options);
  }
  return columns;
}

/** Full-width ASCII (Ａ１，) and the ideographic space become their half-width selves. */
export function toHalfWidth(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/**
 * How headers and enum values are compared: half-width, case and spaces ignored, and the required
 * marker templates put on headers ("事项名称*") dropped.
 */
export function headerMatchKey(text: string): string {
  return toHalfWidth(text)
    .replace(/\s+/g, '')
    .replace(/^\*+|\*+$/g, '')
    .toLowerCase();
}

const optionIndexes = new WeakMap<readonly EnumOption[], Map<string, string>>();

/** Every accepted spelling of an enum column's values (labels, aliases, codes) → code. */
export function optionIndex(options: readonly EnumOption[]): Map<string, string> {
  let index = optionIndexes.get(options);
  if (index) return index;
  index = new Map();
  const add = (spelling: string, code: string) => {
    const k = headerMatchKey(spelling);
    const existing = index!.get(k);
    if (existing !== undefined && existing !== code)
      throw new Error(`tables: ${spelling} means both ${existing} and ${code}`);
    index!.set(k, code);
  };
  // Labels first: a code that happens to spell another value's label must not win over it.
  for (const o of options) for (const s of [...Object.values(o.label), ...(o.aliases ?? [])]) add(s, o.code);
  for (const o of options) if (!index.has(headerMatchKey(o.code))) index.set(headerMatchKey(o.code), o.code);
  optionIndexes.set(options, index);
  return index;
}
