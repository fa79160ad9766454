import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import PDFDocument from 'pdfkit';
import { DomainError } from '../errors.ts';
import { PAGE_SEPARATOR, pdfText, renderPdf } from './index.ts';
import { buildDecision } from './sample-documents.ts';

const twoPages = () =>
  renderPdf({
    ...buildDecision(),
    blocks: [
      { kind: 'paragraph', text: '第一页的内容' },
      { kind: 'pageBreak' },
      { kind: 'paragraph', text: '第二页的内容' },
    ],
  });

const code = (expected: string) => (e: unknown) => e instanceof DomainError && e.code === expected;

describe('pdfText', () => {
  it('returns the text of each page, pages separated by a form feed', async () => {
    const pages = (await pdfText(await twoPages())).split(PAGE_SEPARATOR);
    assert.equal(pages.length, 2);
    assert.match(pages[0]!, /第一页的内容/);
    assert.match(pages[1]!, /第二页的内容/);
    assert.doesNotMatch(pages[0]!, /第二页/);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const pdf = await twoPages();
    await assert.rejects(pdfText(pdf, { maxBytes: pdf.length - 1 }), code('pdf.too_large'));
  });

  it('refuses a document with more pages than the limit', async () => {
    await assert.rejects(pdfText(await twoPages(), { maxPages: 1 }), (e: DomainError) => {
      return e.code === 'pdf.too_many_pages' && e.params.pages === 2 && e.params.max === 1;
    });
  });

  it('reports bytes that are not a PDF, or a broken one, as pdf.unreadable', async () => {
    const pdf = await twoPages();
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from('not a pdf'),
      Buffer.from('%PDF-1.7\ngarbage'),
      pdf.subarray(0, 200),
    ]) {
      await assert.rejects(pdfText(bytes), code('pdf.unreadable'), `${bytes.length} bytes`);
    }
  });

  it('reports a password-protected PDF as pdf.encrypted', async () => {
    const doc = new PDFDocument({ userPassword: 'secret' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
    doc.text('sealed');
    doc.end();
    await assert.rejects(pdfText(await done), code('pdf.encrypted'));
  });
});
