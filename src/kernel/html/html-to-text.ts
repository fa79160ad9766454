import sanitizeHtml from 'sanitize-html';
import { DROPPED_ELEMENTS, QUIETLY_DROPPED_ELEMENTS } from './rich-text-policy.ts';

/** Elements that start a new line of text. */
const BLOCKS = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'caption', 'figure', 'figcaption', 'hr', 'br', 'section',
  'article', 'header', 'footer', 'aside', 'main', 'nav', 'address', 'center', 'body', 'html',
]); // prettier-ignore
const CELLS = new Set(['td', 'th']);
const UNSEEN = new Set([...DROPPED_ELEMENTS, ...QUIETLY_DROPPED_ELEMENTS]);

// A line break in the source: nothing between two Chinese characters (第一条\n规定 is one word
// broken by the editor), a space elsewhere. A private-use character stands in for it until the end
// (and is removed from the input).
const SOFT = '\ue000';
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
const ZERO_WIDTH = /\u200b|\u200c|\u200d|\u2060|\ufeff/g;

/**
 * The readable text of a body, for the search index and for snippets: one line per paragraph, heading,
 * list item or table row, table cells separated by a tab, an image as its alt text, entities decoded,
 * runs of white space (the full-width U+3000 and &nbsp; too) one space. Script, style and the like
 * give nothing. Meant for a sanitised body, but safe on any HTML: nothing of the markup survives.
 */
export function htmlToText(html: string): string {
  let out = '';
  let unseen = 0; // depth inside an element whose content is never shown
  let cells = 0; // depth inside table cells, where a block is a space, not a new line
  let pre = 0;
  const lineBreak = () => (out += cells > 0 ? ' ' : '\n');

  sanitizeHtml(html.replaceAll(SOFT, ''), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: [...UNSEEN],
    onOpenTag: (name, attribs) => {
      if (unseen > 0 || UNSEEN.has(name)) return void (unseen += 1);
      if (BLOCKS.has(name)) lineBreak();
      if (CELLS.has(name)) cells += 1;
      if (name === 'pre') pre += 1;
      if (name === 'img' && attribs.alt?.trim()) out += `${SOFT}${collapse(attribs.alt)}${SOFT}`;
    },
    onCloseTag: (name) => {
      if (unseen > 0) return void (unseen -= 1);
      if (name === 'pre') pre -= 1;
      if (CELLS.has(name)) {
        cells -= 1;
        out += cells > 0 ? ' ' : '\t';
      } else if (BLOCKS.has(name)) lineBreak();
    },
    // sanitize-html hands text over escaped as HTML; this undoes exactly its escaping.
    textFilter: (text) => {
      const plain = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      out +=
        pre > 0 && cells === 0
          ? plain
              .split(/\r\n?|\n/)
              .map(collapse)
              .join('\n')
          : collapse(plain);
      return '';
    },
  });

  return out
    .replace(/\ue000+/g, (run: string, at: number, all: string) =>
      CJK.test(all[at - 1] ?? '') && CJK.test(all[at + run.length] ?? '') ? '' : ' ',
    )
    .split('\n')
    .map((line) =>
      line
        .replace(/ {2,}/g, ' ')
        .replace(/ *\t */g, '\t')
        .trim(),
    )
    .filter((line) => line !== '')
    .join('\n');
}

/** White space collapsed; a run with a line break in it becomes SOFT. */
function collapse(text: string): string {
  return text.replace(ZERO_WIDTH, '').replace(/\s+/g, (run) => (/[\n\r]/.test(run) ? SOFT : ' '));
}
