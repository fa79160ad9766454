/**
 * Ruled rows of cells, shared by tables and form grids. A row that does not fit moves to the next page
 * (whose header the caller redraws); a row taller than a whole page is split between its text lines, so
 * nothing ever runs off the bottom of a page.
 */
import type { Align, Canvas } from './canvas.ts';
import type { WrappedLine } from './text-wrap.ts';
import { COLORS, type TextStyle } from './theme.ts';

export interface Cell {
  x: number;
  width: number;
  lines: WrappedLine[];
  style: TextStyle;
  align: Align;
  shade?: boolean;
  /** Height of drawn content other than text (checkboxes, blank lines to write on). */
  contentHeight?: number;
  /** Draws that content in the box inside the padding. */
  draw?: (x: number, y: number, width: number, height: number) => void;
}

export interface RowOptions {
  /** Called after a page break inside the grid, e.g. to repeat a table's header row. */
  onPageBreak?: () => void;
  /** Height of that header, so a row that fits below it is moved rather than split. */
  headerHeight?: number;
  /** No cell borders, no shading (the plain label–value layout). */
  borderless?: boolean;
}

const contentHeight = (cell: Cell) =>
  Math.max(cell.lines.length * cell.style.lineHeight, cell.contentHeight ?? 0, cell.style.lineHeight);

/** The height the row takes when drawn whole. */
export function rowHeight(canvas: Canvas, cells: Cell[]): number {
  return Math.max(...cells.map(contentHeight)) + 2 * canvas.theme.cellPadding;
}

export function drawRow(canvas: Canvas, cells: Cell[], options: RowOptions = {}): void {
  const pad = canvas.theme.cellPadding;
  const height = rowHeight(canvas, cells);
  const fits = () => canvas.y + height <= canvas.bottom + 0.01;
  const breakPage = () => {
    canvas.newPage();
    options.onPageBreak?.();
  };
  // Move the row whole to the next page when a fresh page (below a repeated header) can hold it.
  if (!fits() && !canvas.atPageTop && height <= canvas.bottom - canvas.top - (options.headerHeight ?? 0)) {
    breakPage();
  }
  if (fits()) return drawSegment(canvas, cells, 0, Infinity, height, options);
  // Taller than a page: as many text lines as fit, page after page; drawn content goes on the first part.
  const total = Math.max(...cells.map((c) => c.lines.length));
  let from = 0;
  let freshPage = false;
  while (from < total) {
    // On a fresh page at least one line goes down, so a page too short for any line cannot loop forever.
    const fit = Math.max(
      freshPage ? 1 : 0,
      Math.floor((canvas.bottom - canvas.y - 2 * pad) / maxLineHeight(cells)),
    );
    freshPage = fit < 1;
    if (freshPage) {
      breakPage();
      continue;
    }
    const to = Math.min(total, from + fit);
    const partHeight = Math.max(...cells.map((c) => linesHeight(c, from, to))) + 2 * pad;
    drawSegment(canvas, cells, from, to, partHeight, options);
    from = to;
  }
}

const maxLineHeight = (cells: Cell[]) => Math.max(...cells.map((c) => c.style.lineHeight));

function linesHeight(cell: Cell, from: number, to: number): number {
  const text = Math.max(0, Math.min(to, cell.lines.length) - from) * cell.style.lineHeight;
  return from === 0 ? Math.max(text, cell.contentHeight ?? 0) : text;
}

/** Draws lines [from, to) of every cell as one ruled row of `height` and moves the cursor below it. */
function drawSegment(
  canvas: Canvas,
  cells: Cell[],
  from: number,
  to: number,
  height: number,
  options: RowOptions,
) {
  const { doc } = canvas;
  const pad = canvas.theme.cellPadding;
  const top = canvas.y;
  for (const cell of cells) {
    if (!options.borderless) {
      doc.save().lineWidth(0.6).strokeColor(COLORS.rule);
      if (cell.shade) doc.rect(cell.x, top, cell.width, height).fillAndStroke(COLORS.shade, COLORS.rule);
      else doc.rect(cell.x, top, cell.width, height).stroke();
      doc.restore();
    }
    const lines = cell.lines.slice(from, to);
    const inner = cell.width - 2 * pad;
    const used = lines.length * cell.style.lineHeight;
    // Short content is centred vertically, as on a printed form; a part of a split row starts at the top.
    const whole = from === 0 && to === Infinity;
    let y = top + pad + (whole ? (height - 2 * pad - Math.max(used, cell.contentHeight ?? 0)) / 2 : 0);
    if (from === 0 && cell.draw) {
      cell.draw(cell.x + pad, y, inner, cell.contentHeight ?? 0);
      y += cell.contentHeight ?? 0;
    }
    for (const line of lines) {
      canvas.drawLine(line, cell.x + pad, y, inner, cell.style, cell.align);
      y += cell.style.lineHeight;
    }
  }
  canvas.y = top + height;
}
