/**
 * Opening a PDF someone uploaded, through pdf.js (bundled by unpdf). pdf.js reads every way a PDF may
 * have been re-saved (object streams, cross-reference streams, incremental updates), so what we wrote
 * is still found after a viewer rewrote the file. Font code is never evaluated (isEvalSupported: false,
 * the fix for CVE-2024-4367) and nothing is fetched: no system fonts, no CMaps over the network.
 */
import { getDocumentProxy } from 'unpdf';

export type PdfProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

/** Where a file must say %PDF- (readers accept a little junk before it, as pdf.js does). */
const HEADER_WINDOW = 1024;

export function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HEADER_WINDOW)).includes('%PDF-');
}

/** Rejects with pdf.js's own exception (name 'PasswordException', 'InvalidPDFException' …). */
export async function openPdf(bytes: Uint8Array): Promise<PdfProxy> {
  // pdf.js may take over (detach) the buffer it is given: hand it a copy, never the caller's bytes.
  return getDocumentProxy(new Uint8Array(bytes), {
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  });
}

/** Closes the document, releasing what pdf.js holds for it; never throws. */
export async function closePdf(proxy: PdfProxy): Promise<void> {
  await proxy.destroy().catch(() => {});
}
