/**
 * CSV of audit entries (RFC 4180): CRLF line ends, fields quoted when they hold a quote, comma or line
 * break, a UTF-8 byte order mark first so that Excel reads Chinese correctly, and every cell that a
 * spreadsheet would run as a formula (= + - @, and tab or carriage return) neutralised by a leading
 * single quote (CSV injection).
 */
import type { AuditRecord } from '../../kernel/audit/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import { siteTime } from './audit.format.ts';

export const BOM = '\uFEFF';

/** One cell: neutralised if a spreadsheet would read it as a formula, then quoted if needed. */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The header row, in the reader's language. */
export function csvHeader(t: Translate): string {
  return csvLine([
    t('audit.entry.seq'),
    t('audit.entry.id'),
    t('audit.entry.at'),
    t('audit.entry.actor'),
    t('audit.entry.role'),
    t('audit.entry.division'),
    t('audit.entry.action'),
    t('audit.entry.object_type'),
    t('audit.entry.object_id'),
    t('audit.entry.result'),
    t('audit.entry.ip'),
    t('audit.entry.user_agent'),
    t('audit.entry.request_id'),
    t('audit.entry.detail'),
    t('audit.entry.hash'),
  ]);
}

export function csvRow(e: AuditRecord): string {
  return csvLine([
    e.seq,
    e.id,
    siteTime(e.at, true),
    e.actorId,
    e.actorRole,
    e.actorDivision,
    e.action,
    e.objectType,
    e.objectId,
    e.result,
    e.ip,
    e.userAgent,
    e.requestId,
    JSON.stringify(e.detail),
    e.hash,
  ]);
}

/** The whole file as chunks of text: BOM and header, then the rows, a hundred to a chunk. */
export async function* csvChunks(t: Translate, entries: AsyncIterable<AuditRecord>): AsyncGenerator<string> {
  yield BOM + csvHeader(t);
  let chunk = '';
  let n = 0;
  for await (const e of entries) {
    chunk += csvRow(e);
    if (++n % 100 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
