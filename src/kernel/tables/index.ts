/**
 * Tables: spreadsheet import and export (XLSX and CSV) against a column spec, with every bad cell
 * reported by row and column.
 *
 * One spec, both directions. `defineColumns` names each column's key, its header in zh-CN and en, and
 * its kind (text, integer, enum, list, boolean, date). The export writes headers and values in one
 * language as people read them (labels, 是/否, 2024-03-05); the import accepts either language's
 * headers in any order and turns labels back into codes, so an exported file re-imports unchanged.
 *
 * All or nothing. `parseTable` does not stop at the first problem: it returns every record it could
 * parse and every error (row as the spreadsheet numbers it, header = 1; the column's header as the
 * file writes it; a code with params). A caller imports only when `errors` is empty, in one
 * transaction — a half-imported catalogue is worse than none, and the administrator fixes the whole
 * file in one go. Codes are i18n keys (locales/<lang>/tables.json); `tableErrorMessage` words them.
 *
 * Reading is tolerant where the meaning is certain and strict elsewhere: cells are trimmed; full-width
 * digits and letters become half-width where they cannot be prose (numbers, dates, booleans, enum
 * values, headers, codes with `halfWidth`); 1,200 and 12.0 are integers; 2024/3/5 and 2024年3月5日 are
 * dates; a title row above the header and blank rows between records are skipped. A list cell splits
 * on 、 ; , ， ； or a line break, so its items cannot contain those.
 *
 * Formats. XLSX is read and written with exceljs (not SheetJS: its npm package is stuck at an old
 * release with known vulnerabilities).
 * CSV is our own few lines: RFC 4180, UTF-8 or GB18030/GBK (what Chinese Excel saves), written UTF-8
 * with a BOM so Excel and WPS show Chinese. Prefer XLSX for people: Excel opening a CSV turns 0001
 * into 1 and long numbers into 1.1E+17, whatever the file says. CSV text that would start a formula
 * gets an apostrophe (CSV injection), which the import removes.
 *
 * Limits (TableLimits). A small XLSX can inflate enormously, so its unzipped size is checked from the
 * ZIP directory before anything is inflated; rows and cells are counted as they are collected, so a
 * CSV of a million lines never becomes a million rows in memory.
 */
export {
  type Column,
  type ColumnKind,
  defineColumns,
  type EnumOption,
  type Labels,
  type TableRecord,
} from './columns.ts';
export { parseTable, type ParsedTable, type TableError, tableErrorMessage } from './parse-table.ts';
export { readTable } from './read-table.ts';
export { DEFAULT_TABLE_LIMITS, type TableLimits } from './limits.ts';
export { writeCsv, writeXlsx, type WriteOptions } from './write-table.ts';
