/**
 * Machine-readable values carried inside a PDF, e.g. a licence's canonical data and its SM2 signature.
 *
 * They are written twice, as the same JSON: as an attached file (yiwang-embedded.json, the way
 * ZUGFeRD/Factur-X invoices carry their data) and as one custom entry of the document Info dictionary.
 * Each survives different rewrites: Ghostscript's pdfwrite keeps attachments but drops custom Info
 * entries; tools that flatten or strip attachments usually keep the Info dictionary; Acrobat, pdf.js,
 * qpdf and incremental saves keep both. The reader takes the attachment, else the Info entry. Neither
 * copy is trusted for being there — whoever reads them checks the signature they carry.
 *
 * The JSON is written in ASCII (\u escapes), so no PDF string encoding can alter it on the way.
 */
import { closePdf, looksLikePdf, openPdf, type PdfProxy } from './pdfjs.ts';

export const EMBEDDED_FILE_NAME = 'yiwang-embedded.json';
export const EMBEDDED_INFO_KEY = 'YiwangEmbedded';

/** The values as ASCII-only JSON. */
export function encodeEmbedded(values: Record<string, string>): string {
  return JSON.stringify(values).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Attaches the values to a document being written; `date` stamps the attachment (reproducible output). */
export function attachEmbedded(doc: PDFKit.PDFDocument, values: Record<string, string>, date: Date): void {
  doc.file(Buffer.from(encodeEmbedded(values), 'ascii'), {
    name: EMBEDDED_FILE_NAME,
    type: 'application/json',
    description: 'Yiwang embedded data',
    creationDate: date,
    modifiedDate: date,
  });
}

function decode(json: unknown): Record<string, string> | null {
  if (typeof json !== 'string') return null;
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    const entries = Object.entries(value);
    return entries.every(([, v]) => typeof v === 'string') ? Object.fromEntries(entries) : null;
  } catch {
    return null;
  }
}

async function fromAttachment(proxy: PdfProxy): Promise<Record<string, string> | null> {
  const attachments = (await proxy.getAttachments().catch(() => null)) as Record<
    string,
    { content?: Uint8Array }
  > | null;
  const content = attachments?.[EMBEDDED_FILE_NAME]?.content;
  return content ? decode(Buffer.from(content).toString('utf8')) : null;
}

async function fromInfo(proxy: PdfProxy): Promise<Record<string, string> | null> {
  const meta = await proxy.getMetadata().catch(() => null);
  const info = meta?.info as { Custom?: Record<string, unknown> } | undefined;
  return decode(info?.Custom?.[EMBEDDED_INFO_KEY]);
}

/**
 * The values renderPdf embedded, from a PDF as uploaded: null when the bytes are not a readable PDF or
 * carry no (well-formed) values. Never throws.
 */
export async function readPdfEmbedded(pdf: Uint8Array): Promise<Record<string, string> | null> {
  if (!looksLikePdf(pdf)) return null;
  let proxy: PdfProxy;
  try {
    proxy = await openPdf(pdf);
  } catch {
    return null;
  }
  try {
    return (await fromAttachment(proxy)) ?? (await fromInfo(proxy));
  } catch {
    return null;
  } finally {
    await closePdf(proxy);
  }
}
