/**
 * What a rich-text body may contain: the elements an editor or a Word paste produces for a notice, a
 * policy or an interpretation, and nothing that can run, load, submit or restyle the page around it.
 */

/** Elements kept, with the attributes each may keep (values are checked in sanitize-rich-text.ts). */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  h2: ['style'],
  h3: ['style'],
  h4: ['style'],
  h5: ['style'],
  h6: ['style'],
  p: ['style'],
  div: ['style'],
  br: [],
  hr: [],
  strong: [],
  b: [],
  em: [],
  i: [],
  u: [],
  s: [],
  del: [],
  ins: [],
  sub: [],
  sup: [],
  blockquote: [],
  pre: [],
  code: [],
  ul: [],
  ol: ['start', 'type'],
  li: [],
  dl: [],
  dt: [],
  dd: [],
  table: [],
  caption: [],
  colgroup: ['span'],
  col: ['span'],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: [],
  th: ['colspan', 'rowspan', 'scope', 'style'],
  td: ['colspan', 'rowspan', 'style'],
  a: ['href', 'title', 'target', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  figure: [],
  figcaption: [],
};

export const ALLOWED_TAGS: readonly string[] = Object.keys(ALLOWED_ATTRIBUTES);

/**
 * Elements renamed on the way in. The page already has an h1 (the publication's title), so a body's
 * h1 becomes h2; only h1 moves, so a second pass changes nothing. Sectioning and legacy block elements
 * become div so their text keeps its line breaks; strike is s.
 */
export const RENAMED: Readonly<Record<string, string>> = {
  h1: 'h2',
  strike: 's',
  section: 'div',
  article: 'div',
  header: 'div',
  footer: 'div',
  aside: 'div',
  main: 'div',
  nav: 'div',
  address: 'div',
  center: 'div',
};

/**
 * Elements removed together with everything inside them, and reported: they run code, embed another
 * document, take input, or (svg, math) carry a second parser's rules that sanitising as HTML cannot
 * follow. A form's text goes too: a body is read, never filled in.
 */
export const DROPPED_ELEMENTS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'link',
  'meta',
  'base',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'param',
  'form',
  'input',
  'button',
  'select',
  'option',
  'optgroup',
  'textarea',
  'datalist',
  'keygen',
  'output',
  'svg',
  'math',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'xmp',
  'plaintext',
  'listing',
  'video',
  'audio',
  'source',
  'track',
  'canvas',
  'portal',
  'dialog',
]);

/**
 * Removed with their contents but not reported: a pasted document's head, and the <xml> island Word
 * writes. A script inside them is still reported (see sanitize-rich-text.ts).
 */
export const QUIETLY_DROPPED_ELEMENTS: ReadonlySet<string> = new Set(['head', 'title', 'xml']);

/**
 * Attributes reported when removed, besides every on* event handler and a style with script in it:
 * they load a document or submit somewhere.
 */
export const ACTIVE_ATTRIBUTES: ReadonlySet<string> = new Set(['srcdoc', 'formaction', 'action']);

/** Attributes a browser reads as a URL; a bad scheme in any of them is reported as a URL. */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'src',
  'srcset',
  'cite',
  'action',
  'formaction',
  'data',
  'xlink:href',
  'poster',
  'background',
  'ping',
  'longdesc',
  'usemap',
  'codebase',
  'classid',
  'archive',
  'profile',
  'manifest',
  'dynsrc',
  'lowsrc',
]);

/** Schemes a link may use; an image may use http and https only. */
export const LINK_SCHEMES: readonly string[] = ['http', 'https', 'mailto', 'tel'];
export const IMAGE_SCHEMES: readonly string[] = ['http', 'https'];

/** Where the site serves uploaded files; a body's own images must come from there. */
export const DEFAULT_IMAGE_PATH_PREFIX = '/files/';

/** Alignment is the one style kept: a notice centres its title and right-aligns its 落款 (issuer and date). */
export const ALIGNMENTS: readonly string[] = ['left', 'right', 'center', 'justify'];

/**
 * The longest body a caller should accept (characters of HTML), for its request schema: a long
 * regulation with its tables is well under it. Parsing is linear for ordinary markup but grows with the
 * square of the nesting depth, and 200,000 characters of nested <b> take about 4 s to sanitise here.
 */
export const MAX_RICH_TEXT_LENGTH = 200_000;
