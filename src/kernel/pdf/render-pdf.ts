/**
 * Lays a PdfDocument out on A4 pages and writes it with pdfkit. Output is a pure function of the input:
 * CreationDate and ModDate are the document's createdAt, the file ID is a digest of the whole document,
 * fonts get fixed subset tags, and nothing else in pdfkit reads the clock or a random source (encryption
 * would, and is not used) — so rendering the same document twice gives identical bytes.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { DomainError } from '../errors.ts';
import { Canvas } from './canvas.ts';
import { attachEmbedded, EMBEDDED_INFO_KEY, encodeEmbedded } from './embedded.ts';
import { drawFields } from './fields-block.ts';
import type { Block, PdfDocument } from './pdf-document.ts';
import { drawQr } from './qr-block.ts';
import { drawTable } from './table-block.ts';
import { drawHeading, drawList, drawNote, drawParagraph, drawSignature, drawTitle } from './text-blocks.ts';
import { COLORS, PAGE, THEMES } from './theme.ts';

type Drawers = { [K in Block['kind']]: (canvas: Canvas, block: Extract<Block, { kind: K }>) => void };

const DRAWERS: Drawers = {
  title: drawTitle,
  heading: drawHeading,
  paragraph: drawParagraph,
  list: drawList,
  fields: drawFields,
  table: drawTable,
  qr: drawQr,
  signature: drawSignature,
  note: drawNote,
  pageBreak: (canvas) => {
    if (!canvas.atPageTop) canvas.newPage();
  },
};

/** The document as PDF bytes, fonts embedded as subsets. Throws DomainError for input it cannot lay out. */
export async function renderPdf(document: PdfDocument): Promise<Buffer> {
  if (Number.isNaN(document.createdAt.getTime())) throw new DomainError('invalid', 'pdf.created_at_invalid');
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    pdfVersion: '1.7',
    lang: document.lang,
    displayTitle: true,
    info: info(document),
  });
  setFileId(doc, document);
  const bytes = collect(doc);
  const canvas = new Canvas(doc, THEMES[document.style ?? 'form'], document.lang, (c) =>
    watermark(c, document),
  );
  canvas.newPage();
  for (const block of document.blocks) {
    if (!canvas.atPageTop) canvas.y += canvas.theme.gap;
    (DRAWERS[block.kind] as (canvas: Canvas, block: Block) => void)(canvas, block);
  }
  pageFurniture(canvas, document);
  if (document.embedded) attachEmbedded(doc, document.embedded, document.createdAt);
  doc.end();
  return bytes;
}

function info(document: PdfDocument): PDFKit.DocumentInfo & Record<string, string | Date> {
  const entries: PDFKit.DocumentInfo & Record<string, string | Date> = {
    Title: document.title,
    Creator: 'Yiwang',
    Producer: 'Yiwang (PDFKit)',
    CreationDate: document.createdAt,
    ModDate: document.createdAt,
  };
  if (document.author) entries.Author = document.author;
  if (document.subject) entries.Subject = document.subject;
  if (document.keywords?.length) entries.Keywords = document.keywords.join(', ');
  if (document.embedded) entries[EMBEDDED_INFO_KEY] = encodeEmbedded(document.embedded);
  return entries;
}

/**
 * pdfkit hashes only the Info dictionary into the file ID, so a blank form and its filled sample (same
 * title, same date) would share one; a digest of the whole document keeps IDs distinct and reproducible.
 */
function setFileId(doc: PDFKit.PDFDocument, document: PdfDocument): void {
  const internals = doc as unknown as { _id?: Uint8Array };
  if (internals._id instanceof Uint8Array) {
    internals._id = createHash('sha256').update(JSON.stringify(document)).digest().subarray(0, 16);
  }
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** Drawn first on each new page, so the page's content lies on top of it. */
function watermark(canvas: Canvas, document: PdfDocument): void {
  if (!document.watermark) return;
  const { doc } = canvas;
  const size = 64;
  canvas.use({ face: 'bold', size, lineHeight: size }, COLORS.watermark);
  const width = doc.widthOfString(document.watermark);
  doc.save().rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] });
  doc.text(document.watermark, (PAGE.width - width) / 2, PAGE.height / 2 + size * 0.35, {
    lineBreak: false,
    baseline: 'alphabetic',
  });
  doc.restore();
}

/** Footer and page numbers, once the number of pages is known. */
function pageFurniture(canvas: Canvas, document: PdfDocument): void {
  if (!document.footer && !document.pageNumbers) return;
  const { doc, theme } = canvas;
  const { small } = theme;
  const { start, count } = doc.bufferedPageRange();
  const top = PAGE.height - theme.margins.bottom / 2 - small.lineHeight / 2;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const line = (text: string) => ({ text, indent: 0, last: true });
    if (document.footer) {
      canvas.drawLine(
        line(document.footer),
        canvas.left,
        top,
        canvas.width,
        small,
        document.pageNumbers ? 'left' : 'center',
      );
    }
    if (document.pageNumbers) {
      const text = document.pageNumbers.replace('{page}', String(i + 1)).replace('{pages}', String(count));
      canvas.drawLine(
        line(text),
        canvas.left,
        top,
        canvas.width,
        small,
        document.footer ? 'right' : 'center',
      );
    }
  }
}
