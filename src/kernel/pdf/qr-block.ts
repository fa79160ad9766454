/**
 * A QR code as vector squares rather than a bitmap: sharp on any printer and at any zoom, a few hundred
 * bytes, and byte-for-byte the same on every render. Each row's run of dark modules is one rectangle.
 */
import QRCode from 'qrcode';
import type { Canvas } from './canvas.ts';
import { DomainError } from '../errors.ts';
import type { QrBlock } from './pdf-document.ts';
import { MM } from './theme.ts';

/** M recovers from 15 % damage: enough for a folded or stamped printout, still a small code. */
const ERROR_CORRECTION = 'M';
/** The blank margin scanners need around a code, in modules. */
const QUIET_ZONE = 4;

/** The code's modules, row by row; true is dark. */
export function qrMatrix(payload: string): boolean[][] {
  let modules: QRCode.BitMatrix;
  try {
    modules = QRCode.create(payload, { errorCorrectionLevel: ERROR_CORRECTION }).modules;
  } catch {
    throw new DomainError('invalid', 'pdf.qr_too_long', { length: payload.length });
  }
  return Array.from({ length: modules.size }, (_, row) =>
    Array.from({ length: modules.size }, (_, col) => modules.get(row, col) === 1),
  );
}

export function drawQr(canvas: Canvas, block: QrBlock): void {
  const matrix = qrMatrix(block.payload);
  const { small } = canvas.theme;
  const side = Math.min((block.sizeMm ?? 30) * MM, canvas.width);
  const module = side / matrix.length;
  const captionWidth = Math.min(canvas.width, Math.max(side * 1.6, 50 * MM));
  const caption = block.caption ? canvas.wrap(block.caption, small, captionWidth) : [];
  const quiet = QUIET_ZONE * module;
  canvas.ensure(side + 2 * quiet + caption.length * small.lineHeight);

  const align = block.align ?? 'center';
  const x =
    align === 'left'
      ? canvas.left
      : align === 'right'
        ? canvas.right - side
        : canvas.left + (canvas.width - side) / 2;
  const top = canvas.y + quiet;
  const { doc } = canvas;
  doc.save();
  matrix.forEach((row, r) => {
    for (let c = 0; c < row.length; c++) {
      if (!row[c]) continue;
      const start = c;
      while (c + 1 < row.length && row[c + 1]) c++;
      doc.rect(x + start * module, top + r * module, (c - start + 1) * module, module);
    }
  });
  doc.fill('#000000').restore();
  canvas.y = top + side + quiet / 2;

  const center = x + side / 2;
  const captionX = Math.min(Math.max(canvas.left, center - captionWidth / 2), canvas.right - captionWidth);
  canvas.flow(caption, small, 'center', captionX, captionWidth);
}
