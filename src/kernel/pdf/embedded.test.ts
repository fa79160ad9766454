import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import PDFDocument from 'pdfkit';
import { attachEmbedded, EMBEDDED_INFO_KEY, encodeEmbedded } from './embedded.ts';
import { readPdfEmbedded, renderPdf } from './index.ts';
import { buildApplicationForm, buildLicence } from './sample-documents.ts';

const LICENCE_VALUES = {
  licence: JSON.stringify({
    no: 'JY11101050012345',
    holder: '北京某某餐饮管理有限公司',
    scope: '热食类“制售”\n冷食类',
  }),
  signature: '3045022100' + 'ab'.repeat(32) + '022032' + 'cd'.repeat(31),
  algorithm: 'SM2-with-SM3',
  '键 with spaces': '值\\含反斜杠 (和括号)',
};

/** A bare PDF holding the values one way only, as left by a tool that dropped the other copy. */
async function pdfWith(copy: 'attachment' | 'info' | 'attachment-not-a-map'): Promise<Buffer> {
  const info = copy === 'info' ? { [EMBEDDED_INFO_KEY]: encodeEmbedded(LICENCE_VALUES) } : {};
  const doc = new PDFDocument({ info: info as PDFKit.DocumentInfo });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text('licence');
  if (copy === 'attachment') attachEmbedded(doc, LICENCE_VALUES, new Date(0));
  if (copy === 'attachment-not-a-map') {
    doc.file(Buffer.from('["not", "a", "map"]'), { name: 'yiwang-embedded.json' });
  }
  doc.end();
  return done;
}

describe('readPdfEmbedded', () => {
  it('returns the values renderPdf embedded, exactly', async () => {
    const pdf = await renderPdf(buildLicence(LICENCE_VALUES));
    assert.deepEqual(await readPdfEmbedded(pdf), LICENCE_VALUES);
  });

  it('finds them in either copy when a rewrite dropped the other', async () => {
    assert.deepEqual(await readPdfEmbedded(await pdfWith('attachment')), LICENCE_VALUES);
    assert.deepEqual(await readPdfEmbedded(await pdfWith('info')), LICENCE_VALUES);
  });

  it('writes the values as ASCII, safe from any PDF string encoding', () => {
    assert.match(encodeEmbedded(LICENCE_VALUES), /^[\x20-\x7e]+$/);
    assert.deepEqual(JSON.parse(encodeEmbedded(LICENCE_VALUES)), LICENCE_VALUES);
  });

  it('returns null for a PDF without values, or with values that are not string pairs', async () => {
    assert.equal(await readPdfEmbedded(await renderPdf(buildApplicationForm())), null);
    assert.equal(await readPdfEmbedded(await pdfWith('attachment-not-a-map')), null);
  });

  it('returns null, without throwing, for bytes that are not a readable PDF', async () => {
    const licence = await renderPdf(buildLicence(LICENCE_VALUES));
    const garbage = [
      Buffer.alloc(0),
      Buffer.from('hello, world'),
      Buffer.from('%PDF-1.7\n% nothing else'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      licence.subarray(0, licence.length / 2),
    ];
    for (const bytes of garbage) assert.equal(await readPdfEmbedded(bytes), null, `${bytes.length} bytes`);
  });
});
