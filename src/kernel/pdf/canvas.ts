/**
 * The page cursor blocks draw through. Every position is decided here, never by pdfkit's own text flow
 * (which adds pages on its own and cannot justify Chinese): blocks ask for room with `ensure`, wrap text
 * with `wrap`, and draw one line at a time at an explicit position.
 */
import { fontFace, type FontFace } from './fonts.ts';
import type { PdfDocument } from './pdf-document.ts';
import { wrapText, type WrappedLine } from './text-wrap.ts';
import { COLORS, PAGE, type TextStyle, type Theme } from './theme.ts';

export type Align = 'justify' | 'left' | 'center' | 'right';

/** A justified line is left ragged rather than spread wider than this many ems per gap. */
const MAX_STRETCH_EM = 0.5;
/** Where the baseline sits below the middle of a line box, in ems: centres the ideographic em box. */
const BASELINE_BELOW_MIDDLE_EM = 0.38;

export class Canvas {
  y: number;
  private face: FontFace | undefined;
  private size = 0;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly theme: Theme,
    readonly lang: PdfDocument['lang'],
    private readonly onNewPage: (canvas: Canvas) => void = () => {},
  ) {
    this.y = theme.margins.top;
    for (const face of ['regular', 'bold'] as const) {
      // pdfkit takes an already parsed fontkit font as well as bytes; its type declarations list only bytes.
      doc.registerFont(face, fontFace(face) as unknown as Buffer);
    }
  }

  get left(): number {
    return this.theme.margins.left;
  }
  get right(): number {
    return PAGE.width - this.theme.margins.right;
  }
  get width(): number {
    return this.right - this.left;
  }
  get top(): number {
    return this.theme.margins.top;
  }
  get bottom(): number {
    return PAGE.height - this.theme.margins.bottom;
  }
  get atPageTop(): boolean {
    return this.y <= this.top;
  }

  newPage(): void {
    this.doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    this.face = undefined;
    this.y = this.top;
    this.onNewPage(this);
  }

  /** Starts a new page unless `height` fits below the cursor (or nothing would gain: the page is empty). */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom + 0.01 || this.atPageTop) return false;
    this.newPage();
    return true;
  }

  use(style: TextStyle, color = COLORS.text): this {
    if (this.face !== style.face || this.size !== style.size) {
      this.doc.font(style.face).fontSize(style.size);
      this.face = style.face;
      this.size = style.size;
    }
    this.doc.fillColor(color);
    return this;
  }

  measure(text: string, style: TextStyle): number {
    return this.use(style).doc.widthOfString(text);
  }

  wrap(text: string, style: TextStyle, width: number, indent = 0): WrappedLine[] {
    this.use(style);
    return wrapText(text, width, (s) => this.doc.widthOfString(s), indent);
  }

  /** Draws one line in the line box whose top is `top`, within [x, x + width]. */
  drawLine(line: WrappedLine, x: number, top: number, width: number, style: TextStyle, align: Align): void {
    if (!line.text) return;
    const natural = this.measure(line.text, style);
    const room = width - line.indent;
    let dx = line.indent;
    let characterSpacing = 0;
    let wordSpacing = 0;
    if (align === 'center') dx += (room - natural) / 2;
    else if (align === 'right') dx += room - natural;
    else if (align === 'justify' && !line.last && room > natural) {
      // Latin text stretches its spaces; Chinese, having none, spreads the slack between characters.
      const slack = room - natural;
      const spaces = line.text.split(' ').length - 1;
      const gaps = [...line.text].length - 1;
      const limit = MAX_STRETCH_EM * style.size;
      if (spaces > 0 && slack <= limit * spaces) wordSpacing = slack / spaces;
      else if (gaps > 0 && slack <= limit * gaps) characterSpacing = slack / gaps;
    }
    const baseline = top + style.lineHeight / 2 + BASELINE_BELOW_MIDDLE_EM * style.size;
    this.doc.text(line.text, x + dx, baseline, {
      lineBreak: false,
      baseline: 'alphabetic',
      characterSpacing,
      wordSpacing,
    });
  }

  /** Draws wrapped lines from the cursor down, breaking the page between lines where needed. */
  flow(lines: WrappedLine[], style: TextStyle, align: Align, x = this.left, width = this.width): void {
    for (const line of lines) {
      this.ensure(style.lineHeight);
      this.drawLine(line, x, this.y, width, style, align);
      this.y += style.lineHeight;
    }
  }

  /** Wraps and flows a piece of text across the full width. */
  text(text: string, style: TextStyle, align: Align = 'justify', indent = 0): void {
    this.flow(this.wrap(text, style, this.width, indent), style, align);
  }

  /** A horizontal rule (thin lines on forms, dashed guides in blank fields). */
  rule(
    x1: number,
    x2: number,
    y: number,
    options: { color?: string; dash?: boolean; width?: number } = {},
  ): void {
    const { doc } = this;
    doc
      .save()
      .lineWidth(options.width ?? 0.5)
      .strokeColor(options.color ?? COLORS.rule);
    if (options.dash) doc.dash(2, { space: 2 });
    doc.moveTo(x1, y).lineTo(x2, y).stroke();
    doc.restore();
  }

  /** The separator between a label and its value: a full-width colon in Chinese. */
  get colon(): string {
    return this.lang === 'zh-CN' ? '：' : ': ';
  }
}
