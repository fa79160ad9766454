/**
 * How big a table we read. Rows are checked as they are collected, so a file past a limit is refused
 * before its rows are all built; blank rows are counted, not stored, until a non-blank row shows they
 * are inside the table (trailing blank rows, however many, cost nothing).
 */
import { DomainError } from '../errors.ts';

export interface TableLimits {
  /** Rows as the spreadsheet numbers them, the header included; blank rows at the end do not count. */
  maxRows: number;
  /** Non-empty cells (counted up to each row's last non-empty cell). */
  maxCells: number;
  /** The XLSX's parts once unzipped, as its directory declares them: a small file may inflate a lot. */
  maxUnzippedBytes: number;
}

export const DEFAULT_TABLE_LIMITS: TableLimits = {
  maxRows: 10_001,
  maxCells: 500_000,
  maxUnzippedBytes: 200 * 1024 * 1024,
};

export interface RowCollector {
  /** Adds the cells of row `rowNumber` (1-based, increasing); omitted row numbers are blank rows. */
  addAt(rowNumber: number, cells: string[]): void;
  /** Adds the row after the last one added. */
  add(cells: string[]): void;
  /** The rows up to the last non-blank one: rows[i] is spreadsheet row i + 1. */
  rows(): string[][];
}

export function createRowCollector(limits: TableLimits): RowCollector {
  const rows: string[][] = [];
  let cellCount = 0;
  let last = 0;
  const addAt = (rowNumber: number, cells: string[]) => {
    last = rowNumber;
    let end = cells.length;
    while (end > 0 && (cells[end - 1] ?? '').trim() === '') end--;
    if (end === 0) return;
    if (rowNumber > limits.maxRows)
      throw new DomainError('too_large', 'tables.too_many_rows', { max: limits.maxRows });
    cellCount += end;
    if (cellCount > limits.maxCells)
      throw new DomainError('too_large', 'tables.too_many_cells', { max: limits.maxCells });
    while (rows.length < rowNumber - 1) rows.push([]);
    rows.push(end === cells.length ? cells : cells.slice(0, end));
  };
  return { addAt, add: (cells) => addAt(last + 1, cells), rows: () => rows };
}
