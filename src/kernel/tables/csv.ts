/**
 * CSV as RFC 4180 writes it and as spreadsheets really save it: quoted fields with "" for a quote and
 * line breaks inside, CRLF or LF (or a lone CR) between records, UTF-8 with or without a BOM — or
 * GB18030/GBK, what Excel and WPS on a Chinese Windows save as "CSV" by default.
 */
import { DomainError } from '../errors.ts';
import type { RowCollector } from './limits.ts';

const FIELD_END = /[,\r\n]/g;

/** UTF-8 when the bytes are valid UTF-8 (BOM dropped), else GB18030, a superset of GBK and GB2312. */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new DomainError('unsupported', 'tables.unknown_encoding');
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      // The UTF-8 decoder drops a BOM itself (ignoreBOM is false by default).
      return new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      // not this encoding; try the next
    }
  }
  throw new DomainError('unsupported', 'tables.unknown_encoding');
}

/**
 * Feeds the records of `text` to `into`, one string per field, as written. Forgiving where Excel is: a
 * quote inside an unquoted field, or text after a closing quote, is kept as text. A quote never closed
 * is refused: it swallows the rest of the file, which is never what was meant.
 */
export function parseCsv(text: string, into: RowCollector): void {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let row: string[] = [];
  let rowNumber = 1;
  const fieldEnd = (from: number) => {
    FIELD_END.lastIndex = from;
    return FIELD_END.exec(text)?.index ?? text.length;
  };
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new DomainError('invalid', 'tables.csv_unclosed_quote', { row: rowNumber });
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
    }
    const end = fieldEnd(i);
    row.push(field + text.slice(i, end));
    i = end;
    if (text[i] === ',') {
      i++;
      if (i < text.length) continue;
      row.push(''); // a comma ending the file ends the record with an empty field
    }
    into.add(row);
    row = [];
    rowNumber++;
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
  }
}

/** RFC 4180 text with a BOM (without it Excel reads UTF-8 as the local code page) and CRLF endings. */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  const field = (s: string) => (/[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `\ufeff${rows.map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}
