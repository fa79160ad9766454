import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import QRCode from 'qrcode';
import { renderPdf } from './index.ts';

/** The decompressed content streams of a PDF pdfkit wrote (each `stream … endstream`, Flate-encoded). */
function contentStreams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  for (const m of raw.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    try {
      streams.push(inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1'));
    } catch {
      // not Flate-encoded: not a page's content
    }
  }
  return streams;
}

/** Rebuilds the module grid from the filled rectangles (`x y w h re`) of the page. */
function modulesDrawn(content: string): boolean[][] {
  const rects = [...content.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re/g)].map((m) =>
    m.slice(1, 5).map(Number),
  );
  const size = Math.min(...rects.map((r) => r[3]!));
  const x0 = Math.min(...rects.map((r) => r[0]!));
  const y0 = Math.min(...rects.map((r) => r[1]!));
  const n = Math.round((Math.max(...rects.map((r) => r[0]! + r[2]!)) - x0) / size);
  const grid = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
  for (const [x, y, w] of rects) {
    const row = Math.round((y! - y0) / size);
    const col = Math.round((x! - x0) / size);
    for (let c = col; c < col + Math.round(w! / size); c++) grid[row]![c] = true;
  }
  return grid;
}

describe('QR block', () => {
  const payload = 'https://zwfw.example.gov.cn/verify/JY11101050012345?sig=3045022100';

  it('draws exactly the modules of the qrcode package for the payload', async () => {
    const pdf = await renderPdf({
      title: 'QR',
      lang: 'zh-CN',
      createdAt: new Date('2025-03-14T00:00:00Z'),
      blocks: [{ kind: 'qr', payload, caption: '扫码核验' }],
    });
    const page = contentStreams(pdf).find((s) => s.includes(' re'));
    assert.ok(page, 'a page with rectangles');
    const expected = QRCode.create(payload, { errorCorrectionLevel: 'M' }).modules;
    const drawn = modulesDrawn(page);
    assert.equal(drawn.length, expected.size);
    for (let r = 0; r < expected.size; r++) {
      for (let c = 0; c < expected.size; c++)
        assert.equal(drawn[r]![c], expected.get(r, c) === 1, `module ${r},${c}`);
    }
  });
});
