/**
 * Line breaking for Chinese text mixed with Latin words and numbers. Chinese may break between any two
 * characters, except that closing punctuation never starts a line and opening punctuation never ends
 * one (避头尾, the rule every Chinese typesetter applies); Latin words and numbers break only at spaces,
 * unless one is wider than the whole line (a long URL), which is then cut where it must be.
 *
 * Our own rather than pdfkit's wrapper because a justified Chinese line has no spaces to stretch: the
 * renderer spreads the slack over every character, which needs the lines decided beforehand — and the
 * same lines then give the exact height of a table cell or a paragraph before it is drawn.
 */

/** One wrapped line; `last` lines of a paragraph are not stretched to the full width. */
export interface WrappedLine {
  text: string;
  indent: number;
  last: boolean;
}

/** Width of a string in points, in the font and size the lines will be drawn in. */
export type Measure = (text: string) => number;

const CJK =
  /[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ef\u3400-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\u{20000}-\u{3134f}]/u;
/** Characters that may not begin a line: they stay with what precedes them. */
const CLOSING = new Set([...'，。、；：？！）》」』】〕〉〗”’…—·～％,.;:?!)]}%']);
/** Characters that may not end a line: they go with what follows them. */
const OPENING = new Set([...'（《「『【〔〈〖“‘([{']);

interface Unit {
  text: string;
  spaceBefore: boolean;
}

/** Splits one paragraph into the smallest pieces that may not be separated by a line break. */
function units(text: string): Unit[] {
  const out: Unit[] = [];
  let word = '';
  let space = false;
  let glueNext = false;
  const push = (piece: string) => {
    const previous = out.at(-1);
    if (previous && !space && (glueNext || CLOSING.has([...piece][0]!))) previous.text += piece;
    else out.push({ text: piece, spaceBefore: space });
    glueNext = OPENING.has([...piece].at(-1)!);
    space = false;
  };
  const flushWord = () => {
    if (word) push(word);
    word = '';
  };
  for (const ch of text) {
    if (/\s/.test(ch)) {
      flushWord();
      space = out.length > 0;
    } else if (CJK.test(ch) || (ch > '\x7f' && (CLOSING.has(ch) || OPENING.has(ch)))) {
      // ASCII punctuation stays inside its Latin word or number (example.com, (1), 3.5).
      flushWord();
      push(ch);
    } else {
      word += ch;
    }
  }
  flushWord();
  return out;
}

/** Cuts a piece wider than the line into pieces that fit (at least one character each). */
function cut(text: string, width: number, measure: Measure): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of text) {
    if (piece && measure(piece + ch) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/**
 * The lines `text` takes in a box `width` points wide. Each line break in `text` starts a new
 * paragraph, whose first line is set in by `indent` points.
 */
export function wrapText(text: string, width: number, measure: Measure, indent = 0): WrappedLine[] {
  const lines: WrappedLine[] = [];
  const spaceWidth = measure(' ');
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    let lineWidth = 0;
    let lineIndent = indent;
    const finish = () => {
      lines.push({ text: line, indent: lineIndent, last: false });
      line = '';
      lineWidth = 0;
      lineIndent = 0;
    };
    for (const unit of units(paragraph)) {
      const room = width - lineIndent;
      const gap = unit.spaceBefore ? spaceWidth : 0;
      const unitWidth = measure(unit.text);
      if (line && lineWidth + gap + unitWidth > room) finish();
      if (!line && unitWidth > width - lineIndent) {
        const pieces = cut(unit.text, width - lineIndent, measure);
        for (const piece of pieces.slice(0, -1)) {
          line = piece;
          finish();
        }
        line = pieces.at(-1)!;
        lineWidth = measure(line);
        continue;
      }
      if (line) {
        line += (unit.spaceBefore ? ' ' : '') + unit.text;
        lineWidth += gap + unitWidth;
      } else {
        line = unit.text;
        lineWidth = unitWidth;
      }
    }
    lines.push({ text: line, indent: lineIndent, last: true });
  }
  return lines;
}
