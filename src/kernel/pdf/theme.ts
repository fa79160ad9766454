/**
 * Page geometry and type sizes for the two styles. The official style follows GB/T 9704: 二号 (22 pt)
 * title, 三号 (16 pt) body on 22 lines per 225 mm page body (29 pt pitch), 37/26/35/28 mm margins; the
 * form style uses 五号/小五 sizes so a form's fields fit on one or two pages.
 */
import type { FontFace } from './fonts.ts';
import type { PdfStyle } from './pdf-document.ts';

export const MM = 72 / 25.4;
/** A4 in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;

export interface TextStyle {
  face: FontFace;
  size: number;
  lineHeight: number;
}

export interface Theme {
  margins: { top: number; right: number; bottom: number; left: number };
  title: TextStyle;
  subtitle: TextStyle;
  heading: TextStyle;
  body: TextStyle;
  /** Text inside table and field cells. */
  cell: TextStyle;
  small: TextStyle;
  /** Space between blocks. */
  gap: number;
  cellPadding: number;
}

const style = (face: FontFace, size: number, lineHeight: number): TextStyle => ({ face, size, lineHeight });

export const THEMES: Record<PdfStyle, Theme> = {
  official: {
    margins: { top: 37 * MM, right: 26 * MM, bottom: 35 * MM, left: 28 * MM },
    title: style('bold', 22, 36),
    subtitle: style('regular', 16, 29),
    heading: style('bold', 16, 29),
    body: style('regular', 16, 29),
    cell: style('regular', 12, 18),
    small: style('regular', 12, 20),
    gap: 6,
    cellPadding: 5,
  },
  form: {
    margins: { top: 20 * MM, right: 20 * MM, bottom: 22 * MM, left: 20 * MM },
    title: style('bold', 18, 28),
    subtitle: style('regular', 10.5, 18),
    heading: style('bold', 12, 22),
    body: style('regular', 11, 19),
    cell: style('regular', 10.5, 16),
    small: style('regular', 9, 14),
    gap: 8,
    cellPadding: 5,
  },
};

/** Lines, rules and the shading of label cells. */
export const COLORS = {
  text: '#000000',
  rule: '#000000',
  faint: '#9a9a9a',
  shade: '#f0f0f0',
  watermark: '#d8d8d8',
};
