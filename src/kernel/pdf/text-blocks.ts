/**
 * Blocks made of running text: title, heading, paragraph, list, note and the signature of the issuing
 * body. Indents and the signature's place follow GB/T 9704: paragraphs set in two characters, the date
 * four characters in from the right edge with the issuer centred above it and room for the seal.
 */
import type { Canvas } from './canvas.ts';
import type {
  HeadingBlock,
  ListBlock,
  NoteBlock,
  ParagraphBlock,
  SignatureBlock,
  TitleBlock,
} from './pdf-document.ts';

export function drawTitle(canvas: Canvas, block: TitleBlock): void {
  const { title, subtitle, body } = canvas.theme;
  const lines = canvas.wrap(block.text, title, canvas.width * 0.85);
  const subLines = block.subtitle ? canvas.wrap(block.subtitle, subtitle, canvas.width) : [];
  canvas.ensure(lines.length * title.lineHeight + subLines.length * subtitle.lineHeight + body.lineHeight);
  canvas.flow(lines, title, 'center');
  canvas.flow(subLines, subtitle, 'center');
  // A blank line between the title and what it introduces.
  canvas.y += body.lineHeight / 2;
}

export function drawHeading(canvas: Canvas, block: HeadingBlock): void {
  const { heading, body } = canvas.theme;
  const lines = canvas.wrap(block.text, heading, canvas.width);
  // Keep a heading with at least two lines of what follows it.
  canvas.ensure(lines.length * heading.lineHeight + 2 * body.lineHeight);
  canvas.flow(lines, heading, 'left');
}

export function drawParagraph(canvas: Canvas, block: ParagraphBlock): void {
  const { body } = canvas.theme;
  canvas.text(block.text, body, block.align ?? 'justify', block.indent === false ? 0 : 2 * body.size);
}

export function drawList(canvas: Canvas, block: ListBlock): void {
  const { body } = canvas.theme;
  const markers = block.items.map((_, i) => (block.ordered ? `${i + 1}.` : '•'));
  const markerWidth = Math.max(0, ...markers.map((m) => canvas.measure(m, body))) + body.size * 0.5;
  const x = canvas.left + (canvas.lang === 'zh-CN' ? 2 * body.size : body.size);
  const width = canvas.right - x - markerWidth;
  block.items.forEach((item, i) => {
    const lines = canvas.wrap(item, body, width);
    canvas.ensure(body.lineHeight);
    canvas.drawLine({ text: markers[i]!, indent: 0, last: true }, x, canvas.y, markerWidth, body, 'left');
    canvas.flow(lines, body, 'justify', x + markerWidth, width);
  });
}

export function drawNote(canvas: Canvas, block: NoteBlock): void {
  canvas.text(block.text, canvas.theme.small, 'justify');
}

export function drawSignature(canvas: Canvas, block: SignatureBlock): void {
  const { body } = canvas.theme;
  const widest = Math.max(canvas.measure(block.issuer, body), canvas.measure(block.date, body));
  // A character's slack: a string measured whole and the same string wrapped piece by piece differ by kerning.
  const width = Math.min(canvas.width, widest + body.size);
  const x = Math.max(canvas.left, canvas.right - 4 * body.size - width);
  const issuer = canvas.wrap(block.issuer, body, width);
  // Two blank lines above give the seal its room; it presses on the issuer and the date below them.
  canvas.ensure((3 + issuer.length) * body.lineHeight);
  canvas.y += 2 * body.lineHeight;
  canvas.flow(issuer, body, 'center', x, width);
  canvas.flow([{ text: block.date, indent: 0, last: true }], body, 'center', x, width);
}
