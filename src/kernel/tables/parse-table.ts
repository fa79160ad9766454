/**
 * Rows of cell text → records, or every reason they cannot be: all problems of all rows in one pass,
 * each with the row number the spreadsheet shows, so an administrator fixes the file once.
 */
import type { Locale, Translate } from '../i18n/index.ts';
import type { Params } from '../errors.ts';
import { parseCell } from './cell-value.ts';
import { headerMatchKey, type Column, type TableRecord } from './columns.ts';

export interface TableError {
  /** As numbered in the spreadsheet: the first row is 1. */
  row: number;
  /** The column's header as written in the file. */
  column?: string;
  /** The column's key in the spec. */
  key?: string;
  code: string;
  params?: Params;
}

export interface ParsedTable<R> {
  records: R[];
  /** The spreadsheet row each record came from, for messages after the parse (a duplicate in the database). */
  rowNumbers: number[];
  errors: TableError[];
  /** The keys of the columns the file has: an optional column it lacks is null in every record. */
  presentKeys: string[];
  /** The language the headers were written in. */
  lang: Locale;
}

/** How far down a title above the header row ("XX县政务服务事项目录") may push it. */
const HEADER_SEARCH_ROWS = 10;

const isBlank = (row: readonly string[] | undefined) => !row || row.every((cell) => cell.trim() === '');

/**
 * Matches the header row to `columns` (either language, any order) and parses every row below it.
 * Blank rows are skipped. Import the records only when `errors` is empty: the parse never drops a bad
 * row silently, so "no errors" means every row of the file is in `records`.
 */
export function parseTable<const C extends readonly Column[]>(
  rows: readonly (readonly string[])[],
  columns: C,
): ParsedTable<TableRecord<C>> {
  const byHeader = new Map<string, { column: Column; lang: Locale }>();
  for (const column of columns)
    for (const lang of ['en', 'zh-CN'] as const)
      byHeader.set(headerMatchKey(column.header[lang]), { column, lang });
  const headerIndex = findHeaderRow(rows, byHeader);
  const { found, lang, errors } = matchHeader(rows[headerIndex] ?? [], headerIndex + 1, columns, byHeader);
  const present = new Set([...found.values()].map(({ column }) => column.key));

  const records: TableRecord<C>[] = [];
  const rowNumbers: number[] = [];
  const firstRowOf = new Map<Column, Map<unknown, number>>();
  for (let r = headerIndex + 1; r < rows.length; r++) {
    const cells = rows[r]!;
    if (isBlank(cells)) continue;
    const record: Record<string, unknown> = {};
    for (const column of columns)
      if (!present.has(column.key)) record[column.key] = column.kind === 'list' ? [] : null;
    let rowOk = true;
    for (const [i, { column, header }] of found) {
      const result = parseCell(column, cells[i] ?? '', lang);
      const problem = result.ok ? valueProblem(column, result.value, r + 1, firstRowOf) : result;
      if (problem) {
        const { code, params } = problem;
        errors.push({ row: r + 1, column: header, key: column.key, code, ...(params && { params }) });
        rowOk = false;
      } else if (result.ok) record[column.key] = result.value;
    }
    if (rowOk) {
      records.push(record as TableRecord<C>);
      rowNumbers.push(r + 1);
    }
  }
  if (records.length === 0 && errors.length === 0)
    errors.push({ row: headerIndex + 2, code: 'tables.no_records' });
  return { records, rowNumbers, errors, presentKeys: [...present], lang };
}

/** Which column each header cell names; unknown, repeated and missing columns as errors. */
function matchHeader(
  cells: readonly string[],
  row: number,
  columns: readonly Column[],
  byHeader: ReadonlyMap<string, { column: Column; lang: Locale }>,
) {
  const errors: TableError[] = [];
  const found = new Map<number, { column: Column; header: string }>();
  const seen = new Set<string>();
  const votes = { 'zh-CN': 0, en: 0 };
  cells.forEach((cell, i) => {
    const header = cell.trim();
    if (header === '') return;
    const match = byHeader.get(headerMatchKey(header));
    if (!match) errors.push({ row, column: header, code: 'tables.header.unknown_column' });
    else if (seen.has(match.column.key))
      errors.push({ row, column: header, key: match.column.key, code: 'tables.header.duplicate_column' });
    else {
      seen.add(match.column.key);
      found.set(i, { column: match.column, header });
      votes[match.lang]++;
    }
  });
  const lang: Locale = votes.en > votes['zh-CN'] ? 'en' : 'zh-CN';
  for (const { required, key, header } of columns)
    if (required && !seen.has(key))
      errors.push({ row, column: header[lang], key, code: 'tables.header.missing_column' });
  return { found, lang, errors };
}

/** What is wrong with a well-formed value: missing, failing the column's check, or a repeat. */
function valueProblem(
  column: Column,
  value: unknown,
  row: number,
  firstRowOf: Map<Column, Map<unknown, number>>,
): { code: string; params?: Params } | undefined {
  if (value === null || (Array.isArray(value) && value.length === 0))
    return column.required ? { code: 'tables.row.required' } : undefined;
  const code = column.check?.(value as never);
  if (code) return { code };
  if (!column.unique) return undefined;
  const firstRows = firstRowOf.get(column) ?? new Map<unknown, number>();
  firstRowOf.set(column, firstRows);
  const key = Array.isArray(value) ? JSON.stringify(value) : value;
  const firstRow = firstRows.get(key);
  if (firstRow !== undefined) return { code: 'tables.row.duplicate', params: { firstRow } };
  firstRows.set(key, row);
  return undefined;
}

/** The first row naming at least one known column (a title may sit above it), else the first non-blank one. */
function findHeaderRow(rows: readonly (readonly string[])[], byHeader: ReadonlyMap<string, unknown>): number {
  const firstNonBlank = rows.findIndex((row) => !isBlank(row));
  if (firstNonBlank < 0) return 0;
  for (let r = firstNonBlank; r < Math.min(rows.length, firstNonBlank + HEADER_SEARCH_ROWS); r++) {
    if (rows[r]!.some((cell) => byHeader.has(headerMatchKey(cell)))) return r;
  }
  return firstNonBlank;
}

/** An error as a sentence: the message for its code, with the row and column filled in. */
export function tableErrorMessage(t: Translate, error: TableError): string {
  return t(error.code, { row: error.row, column: error.column ?? '', ...error.params });
}
