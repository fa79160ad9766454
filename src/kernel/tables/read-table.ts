/**
 * An uploaded spreadsheet → rows of cell text, whatever it was saved as. The type comes from the files
 * module's sniffing of the bytes: XLSX, or text. A CSV saved by Chinese Excel is GBK, which the
 * sniffer (knowing only UTF-8 as text) reports as unknown bytes: those are tried as a legacy-encoded
 * CSV here rather than refused.
 */
import { DomainError } from '../errors.ts';
import { MEDIA_TYPES, mediaTypeLabel } from '../files/index.ts';
import { decodeCsvBytes, parseCsv } from './csv.ts';
import { createRowCollector, DEFAULT_TABLE_LIMITS, type TableLimits } from './limits.ts';
import { readXlsx } from './xlsx-read.ts';

const CSV_TYPES: readonly string[] = [MEDIA_TYPES.text, 'text/csv', MEDIA_TYPES.unknown];

/**
 * The cells of the first worksheet (XLSX) or of the file (CSV), as text: rows[i] is spreadsheet row
 * i + 1, a row ends at its last non-empty cell, blank rows at the end are dropped. Throws a
 * DomainError: tables.unsupported_type, tables.unreadable, tables.unknown_encoding,
 * tables.csv_unclosed_quote, tables.too_many_rows, tables.too_many_cells, tables.too_large.
 */
export async function readTable(
  bytes: Buffer,
  mediaType: string,
  limits: Partial<TableLimits> = {},
): Promise<{ rows: string[][] }> {
  const allLimits = { ...DEFAULT_TABLE_LIMITS, ...limits };
  if (mediaType === MEDIA_TYPES.xlsx) return { rows: await readXlsx(bytes, allLimits) };
  if (!CSV_TYPES.includes(mediaType))
    throw new DomainError('unsupported', 'tables.unsupported_type', { type: mediaTypeLabel(mediaType) });
  const collector = createRowCollector(allLimits);
  parseCsv(decodeCsvBytes(bytes), collector);
  return { rows: collector.rows() };
}
