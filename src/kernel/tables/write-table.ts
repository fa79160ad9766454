/**
 * Records → a spreadsheet people open in Excel or WPS and can send back as an import: the headers in
 * one language, values as labels (行政许可, 是, 2024-03-05), never internal codes.
 */
import ExcelJS from 'exceljs';
import type { Locale } from '../i18n/index.ts';
import { formatCell, guardFormula } from './cell-value.ts';
import { formatCsv } from './csv.ts';
import type { Column } from './columns.ts';

export interface WriteOptions {
  lang?: Locale;
  /** Excel refuses some characters and more than 31 of them; those are replaced and cut. */
  sheetName?: string;
}

type Records = readonly Readonly<Record<string, unknown>>[];

/** Columns fit their widest value up to this many characters, then wrap. */
const MAX_WIDTH = 60;
/** Rows sampled for the widths: a long table's first rows show its shape. */
const WIDTH_SAMPLE = 1000;

/**
 * An XLSX with a bold, frozen header row and a filter on it. Text columns are formatted as text (@),
 * so 0001 stays 0001 both in what we write and in what someone types there later; integers are numbers
 * and dates real dates (formatted yyyy-mm-dd), so they sort and sum as such.
 */
export async function writeXlsx(
  columns: readonly Column[],
  records: Records,
  options: WriteOptions = {},
): Promise<Buffer> {
  const lang = options.lang ?? 'zh-CN';
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(safeSheetName(options.sheetName ?? 'Sheet1'), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
  });
  const texts = records.map((record) => columns.map((c) => formatCell(c, record[c.key], lang)));
  sheet.columns = columns.map((column, i) => {
    const width = Math.max(
      displayWidth(column.header[lang]),
      ...texts.slice(0, WIDTH_SAMPLE).map((row) => displayWidth(row[i]!)),
    );
    const numFmt = column.kind === 'integer' ? undefined : column.kind === 'date' ? 'yyyy-mm-dd' : '@';
    const wrapText = width > MAX_WIDTH || column.kind === 'list';
    return {
      key: column.key,
      width: Math.min(Math.max(width + 2, 8), MAX_WIDTH),
      style: { ...(numFmt && { numFmt }), alignment: { vertical: 'top', wrapText } },
    };
  });
  const header = sheet.addRow(columns.map((c) => c.header[lang]));
  header.font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(columns.length, 1) } };
  records.forEach((record, r) => {
    sheet.addRow(
      columns.map((column, i) => {
        const value = record[column.key];
        if (value === null || value === undefined) return null;
        if (column.kind === 'integer' && typeof value === 'number') return value;
        if (column.kind === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))
          return new Date(`${value}T00:00:00Z`); // exceljs writes a Date's UTC day as the serial
        return texts[r]![i]!;
      }),
    );
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** UTF-8 CSV with a BOM and CRLF; text that would start a formula is guarded (see guardFormula). */
export function writeCsv(
  columns: readonly Column[],
  records: Records,
  options: Pick<WriteOptions, 'lang'> = {},
): string {
  const lang = options.lang ?? 'zh-CN';
  const guarded = (column: Column, text: string) =>
    column.kind === 'text' || column.kind === 'list' ? guardFormula(text) : text;
  return formatCsv([
    columns.map((c) => c.header[lang]),
    ...records.map((record) => columns.map((c) => guarded(c, formatCell(c, record[c.key], lang)))),
  ]);
}

/** Width in Excel's units: a CJK character is two, as wide as two Latin ones. */
export function displayWidth(text: string): number {
  let widest = 0;
  for (const line of text.split('\n')) {
    let width = 0;
    for (const c of line)
      width +=
        /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
          c,
        ) || c.length > 1
          ? 2
          : 1;
    widest = Math.max(widest, width);
  }
  return widest;
}

function safeSheetName(name: string): string {
  const cleaned = name
    .replace(/[[\]:*?/\\]/g, '_')
    .replace(/^'+|'+$/g, '')
    .slice(0, 31);
  return cleaned.trim() || 'Sheet1';
}
