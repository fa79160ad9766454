/**
 * Label–value fields. The same field list prints a blank form (ruled room to write in, empty boxes to
 * tick) and its filled sample (the values, the chosen boxes ticked), so the two always match.
 */
import type { Canvas } from './canvas.ts';
import { drawRow, type Cell } from './grid.ts';
import type { Field, FieldOption, FieldsBlock } from './pdf-document.ts';
import { COLORS, type TextStyle } from './theme.ts';

/** Height of one hand-written line: about 8 mm, what a pen needs. */
const HANDWRITING_LINE = 22;

export function drawFields(canvas: Canvas, block: FieldsBlock): void {
  const plain = block.layout === 'plain';
  const style = plain ? canvas.theme.body : canvas.theme.cell;
  const columns = block.columns ?? 1;
  const pad = canvas.theme.cellPadding;
  const suffix = plain ? canvas.colon : '';
  const widest = Math.max(0, ...block.fields.map((f) => canvas.measure(f.label + suffix, style)));
  const labelWidth = Math.min(
    widest + 2 * pad + style.size,
    (canvas.width / columns) * (plain ? 0.45 : 0.35),
  );
  const pairWidth = canvas.width / columns;

  for (const row of rowsOf(block.fields, columns)) {
    const cells: Cell[] = [];
    row.forEach((field, i) => {
      const x = canvas.left + i * pairWidth;
      // The last pair of a row takes what is left, so a lone or wide field spans to the right edge.
      const valueWidth = (i === row.length - 1 ? canvas.right - x : pairWidth) - labelWidth;
      const label = canvas.wrap(field.label + suffix, style, labelWidth - 2 * pad);
      cells.push({
        x,
        width: labelWidth,
        lines: label,
        style,
        align: plain ? 'right' : 'center',
        shade: true,
      });
      cells.push(valueCell(canvas, field, x + labelWidth, valueWidth, style, plain));
    });
    drawRow(canvas, cells, { borderless: plain });
  }
}

/** Groups fields into rows of `columns` pairs; a wide field has a row to itself. */
function rowsOf(fields: Field[], columns: 1 | 2): Field[][] {
  const rows: Field[][] = [];
  for (const field of fields) {
    const last = rows.at(-1);
    if (last && !field.wide && last.length < columns && !last[0]!.wide) last.push(field);
    else rows.push([field]);
  }
  return rows;
}

function valueCell(
  canvas: Canvas,
  field: Field,
  x: number,
  width: number,
  style: TextStyle,
  plain: boolean,
): Cell {
  const inner = width - 2 * canvas.theme.cellPadding;
  if (field.options) return checkboxCell(canvas, field.options, x, width, style);
  if (field.value !== undefined)
    return { x, width, lines: canvas.wrap(field.value, style, inner), style, align: 'left' };
  const count = Math.max(1, Math.min(field.blankLines ?? 1, 20));
  const height = count * Math.max(HANDWRITING_LINE, style.lineHeight);
  return {
    x,
    width,
    lines: [],
    style,
    align: 'left',
    contentHeight: height,
    draw: (left, top, w) => {
      // In a grid the cell's own border closes the last line; plain fields get a line under each.
      const lines = plain ? count : count - 1;
      for (let i = 1; i <= lines; i++) {
        canvas.rule(
          left,
          left + w,
          top + (i * height) / count,
          plain ? {} : { color: COLORS.faint, dash: true },
        );
      }
    },
  };
}

/** Options laid out like words: box, label, a gap; wrapping onto more lines when they do not fit. */
function checkboxCell(
  canvas: Canvas,
  options: FieldOption[],
  x: number,
  width: number,
  style: TextStyle,
): Cell {
  const inner = width - 2 * canvas.theme.cellPadding;
  const box = style.size * 0.85;
  const gap = style.size;
  const placed: { option: FieldOption; dx: number; line: number }[] = [];
  let dx = 0;
  let line = 0;
  for (const option of options) {
    const w = box + style.size * 0.3 + canvas.measure(option.label, style);
    if (dx > 0 && dx + w > inner) {
      dx = 0;
      line++;
    }
    placed.push({ option, dx, line });
    dx += w + gap;
  }
  return {
    x,
    width,
    lines: [],
    style,
    align: 'left',
    contentHeight: (line + 1) * style.lineHeight,
    draw: (left, top) => {
      for (const { option, dx, line } of placed) {
        const lineTop = top + line * style.lineHeight;
        drawCheckbox(canvas, left + dx, lineTop + (style.lineHeight - box) / 2, box, option.checked === true);
        const labelWidth = canvas.measure(option.label, style);
        const label = { text: option.label, indent: 0, last: true };
        canvas.drawLine(label, left + dx + box + style.size * 0.3, lineTop, labelWidth, style, 'left');
      }
    },
  };
}

function drawCheckbox(canvas: Canvas, x: number, y: number, side: number, checked: boolean): void {
  const { doc } = canvas;
  doc.save().lineWidth(0.7).strokeColor(COLORS.rule).rect(x, y, side, side).stroke();
  if (checked) {
    doc
      .lineWidth(1.2)
      .moveTo(x + side * 0.2, y + side * 0.5)
      .lineTo(x + side * 0.42, y + side * 0.75)
      .lineTo(x + side * 0.82, y + side * 0.22)
      .stroke();
  }
  doc.restore();
}
