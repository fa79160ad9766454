/** A ruled table whose header row is drawn again at the top of each page the table continues on. */
import type { Canvas } from './canvas.ts';
import { DomainError } from '../errors.ts';
import { drawRow, rowHeight, type Cell } from './grid.ts';
import type { TableBlock } from './pdf-document.ts';

export function drawTable(canvas: Canvas, block: TableBlock): void {
  const { cell, cellPadding } = canvas.theme;
  const header = { ...cell, face: 'bold' as const };
  const total = block.columns.reduce((sum, c) => sum + (c.width ?? 1), 0);
  let x = canvas.left;
  const geometry = block.columns.map((column) => {
    const width = (canvas.width * (column.width ?? 1)) / total;
    const at = { x, width, inner: width - 2 * cellPadding };
    x += width;
    return at;
  });

  const headerCells: Cell[] = block.columns.map((column, i) => ({
    ...geometry[i]!,
    lines: canvas.wrap(column.header, header, geometry[i]!.inner),
    style: header,
    align: 'center',
    shade: true,
  }));
  const headerHeight = rowHeight(canvas, headerCells);
  const drawHeader = () => drawRow(canvas, headerCells);

  // The header never stands alone at the foot of a page: it goes down with the first row.
  const firstRow = block.rows[0] ? rowCells(canvas, block, 0, geometry) : [];
  canvas.ensure(
    headerHeight + (firstRow.length ? Math.min(rowHeight(canvas, firstRow), 3 * cell.lineHeight) : 0),
  );
  drawHeader();
  block.rows.forEach((_, i) => {
    const cells = i === 0 ? firstRow : rowCells(canvas, block, i, geometry);
    drawRow(canvas, cells, { onPageBreak: drawHeader, headerHeight });
  });
}

function rowCells(
  canvas: Canvas,
  block: TableBlock,
  index: number,
  geometry: { x: number; width: number; inner: number }[],
): Cell[] {
  const row = block.rows[index]!;
  if (row.length !== block.columns.length) {
    throw new DomainError('invalid', 'pdf.table_row_cells', {
      row: index + 1,
      expected: block.columns.length,
      got: row.length,
    });
  }
  const { cell } = canvas.theme;
  return row.map((text, i) => ({
    ...geometry[i]!,
    lines: canvas.wrap(text, cell, geometry[i]!.inner),
    style: cell,
    align: block.columns[i]!.align ?? 'left',
  }));
}
