/**
 * The first visible worksheet of an XLSX as the text a person sees in each cell: numbers without
 * binary noise (0.1 + 0.2 shows 0.3), codes formatted 000000 with their zeros, dates as YYYY-MM-DD,
 * rich text flattened, a formula as its last computed result. A merged block's value belongs to its
 * first column in every row it spans: a department merged down over five items is each item's
 * department, while a title merged across is one cell, not five copies.
 */
import ExcelJS from 'exceljs';
import type { Cell, CellValue } from 'exceljs';
import { DomainError } from '../errors.ts';
import { formatBytes } from '../files/index.ts';
import { createRowCollector, type TableLimits } from './limits.ts';

export async function readXlsx(bytes: Buffer, limits: TableLimits): Promise<string[][]> {
  const unzipped = declaredUnzippedSize(bytes);
  if (unzipped === null) throw new DomainError('invalid', 'tables.unreadable');
  if (unzipped > limits.maxUnzippedBytes)
    throw new DomainError('too_large', 'tables.too_large', { max: formatBytes(limits.maxUnzippedBytes) });
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its Buffer as an ArrayBuffer of its own; a Node Buffer is what it reads.
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    throw new DomainError('invalid', 'tables.unreadable');
  }
  const sheets = workbook.worksheets;
  const sheet = sheets.find((s) => !s.state || s.state === 'visible') ?? sheets[0];
  const collector = createRowCollector(limits);
  sheet?.eachRow((row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell((cell, col) => {
      cells[col - 1] = cellText(cell);
    });
    collector.addAt(
      rowNumber,
      Array.from(cells, (c) => c ?? ''),
    );
  });
  return collector.rows();
}

function cellText(cell: Cell): string {
  if (cell.isMerged && cell.master !== cell) return cell.master.col === cell.col ? cellText(cell.master) : '';
  return valueText(cell.value, cell.numFmt);
}

function valueText(value: CellValue | undefined, numFmt: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, numFmt);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return String(value.error);
  if ('hyperlink' in value) return valueText(value.text as CellValue, undefined);
  // A formula: its cached result; a file saved by a program that never computes has none.
  if ('result' in value) return valueText(value.result as CellValue, numFmt);
  return '';
}

function numberText(value: number, numFmt: string | undefined): string {
  // A code column formatted 000000 shows 1 as 000001: the zeros are what the user typed and sees.
  if (numFmt && /^0+$/.test(numFmt) && Number.isInteger(value) && value >= 0)
    return String(value).padStart(numFmt.length, '0');
  // Excel shows at most 15 significant digits; the rest is binary floating-point noise.
  return String(Number(value.toPrecision(15)));
}

/** exceljs gives dates as UTC instants of the serial number; a serial carries no zone. */
function dateText(date: Date): string {
  const iso = new Date(Math.round(date.getTime() / 1000) * 1000).toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19).replace(/:00$/, '');
  if (day === '1899-12-30') return time; // a time of day alone: serial 0 is Excel's day zero
  return time === '00:00' ? day : `${day} ${time}`;
}

const EOCD = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;

/**
 * The sum of the entries' uncompressed sizes from the ZIP's central directory, null when it has none.
 * The ZIP reader under exceljs fails an entry that inflates past its declared size, so the declared
 * sum bounds what loading can take. ZIP64 (a sheet over 4 GiB) counts as too large.
 */
export function declaredUnzippedSize(bytes: Buffer): number | null {
  if (bytes.length < 22) return null;
  let at = bytes.length - 22;
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  while (at >= stop && bytes.readUInt32LE(at) !== EOCD) at--;
  if (at < stop) return null;
  const count = bytes.readUInt16LE(at + 10);
  let pos = bytes.readUInt32LE(at + 16);
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > bytes.length || bytes.readUInt32LE(pos) !== CENTRAL_ENTRY) return null;
    const size = bytes.readUInt32LE(pos + 24);
    total += size === 0xffffffff ? Infinity : size;
    pos += 46 + bytes.readUInt16LE(pos + 28) + bytes.readUInt16LE(pos + 30) + bytes.readUInt16LE(pos + 32);
  }
  return count === 0xffff ? Infinity : total;
}
