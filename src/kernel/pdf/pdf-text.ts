/**
 * The plain text of a PDF, for full-text search and for tests. Bounded before any parsing (bytes) and
 * before any page is read (page count), so one huge upload cannot hold a worker for minutes. Pages are
 * read one after another, not all at once, to keep memory flat.
 */
import { DomainError } from '../errors.ts';
import { formatBytes } from '../files/index.ts';
import { closePdf, looksLikePdf, openPdf, type PdfProxy } from './pdfjs.ts';

export interface PdfTextLimits {
  /** Default 50 MiB. */
  maxBytes?: number;
  /** Default 500. */
  maxPages?: number;
}

/** Separates pages in the text, as pdftotext does. */
export const PAGE_SEPARATOR = '\f';

/**
 * The text of every page, lines separated by \n and pages by \f. Throws DomainError: pdf.too_large,
 * pdf.too_many_pages, pdf.encrypted (needs a password), pdf.unreadable (not a PDF, or broken).
 */
export async function pdfText(pdf: Uint8Array, limits: PdfTextLimits = {}): Promise<string> {
  const maxBytes = limits.maxBytes ?? 50 * 1024 * 1024;
  const maxPages = limits.maxPages ?? 500;
  if (pdf.length > maxBytes)
    throw new DomainError('too_large', 'pdf.too_large', { max: formatBytes(maxBytes) });
  if (!looksLikePdf(pdf)) throw new DomainError('invalid', 'pdf.unreadable');
  let proxy: PdfProxy;
  try {
    proxy = await openPdf(pdf);
  } catch (error) {
    const encrypted = (error as { name?: string } | null)?.name === 'PasswordException';
    throw encrypted
      ? new DomainError('unsupported', 'pdf.encrypted')
      : new DomainError('invalid', 'pdf.unreadable');
  }
  try {
    if (proxy.numPages > maxPages) {
      throw new DomainError('too_large', 'pdf.too_many_pages', { pages: proxy.numPages, max: maxPages });
    }
    const pages: string[] = [];
    for (let n = 1; n <= proxy.numPages; n++) pages.push(await pageText(proxy, n));
    return pages.join(PAGE_SEPARATOR);
  } finally {
    await closePdf(proxy);
  }
}

async function pageText(proxy: PdfProxy, pageNumber: number): Promise<string> {
  try {
    const page = await proxy.getPage(pageNumber);
    const content = await page.getTextContent();
    page.cleanup();
    let text = '';
    for (const item of content.items) {
      if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
    }
    return text.replace(/[^\S\n]+/g, ' ').trim();
  } catch {
    throw new DomainError('invalid', 'pdf.unreadable', { page: pageNumber });
  }
}
