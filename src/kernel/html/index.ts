/**
 * Rich text (正文): the HTML bodies of notices, policies and interpretations, edited in a rich-text
 * editor or pasted from Word, made safe to put on a government site.
 *
 * An allowlist, not a blocklist (rich-text-policy.ts): headings, paragraphs, lists, tables, quotes,
 * links, images, figures, pre/code and inline emphasis; everything else goes. Elements that run, embed
 * or take input (script, style, iframe, object, form, svg, math …) go with their contents; other
 * unknown elements (font, span, o:p) are unwrapped and their text kept. The page has its own h1, so a
 * body's h1 becomes h2. No classes and no style except text-align (a notice right-aligns its 落款).
 *
 * URLs. Links: http, https, mailto, tel, a site path (/…) or #fragment; external links get
 * rel="noopener noreferrer", and the only target kept is _blank. Images: http, https or the site's
 * uploaded files (/files/…); no data: URLs, so an image is a file the site can list, scan and keep.
 * The check reads a URL as a browser does — entities decoded by the parser, tabs and line breaks
 * inside the scheme removed, case folded — so jav&#x09;ascript: and JaVaScRiPt: are both refused.
 *
 * The report. `removed` lists what could have run or pointed somewhere unsafe — element script ×2,
 * attribute onclick, url javascript: — for the publisher (`describeRemovals` words it). Word's
 * leftovers and other harmless formatting are cleaned without a word.
 *
 * Idempotent: sanitising the output changes nothing and reports nothing. `htmlToText` gives the plain
 * text of a body for the search index and snippets.
 *
 * Bounded by the caller: a route takes at most MAX_RICH_TEXT_LENGTH characters, since deeply nested
 * markup costs the parser time that grows with the square of its depth.
 */
export {
  type Removal,
  type RichTextOptions,
  type SanitizedRichText,
  sanitizeRichText,
} from './sanitize-rich-text.ts';
export { describeRemovals } from './describe-removals.ts';
export { htmlToText } from './html-to-text.ts';
export { DEFAULT_IMAGE_PATH_PREFIX, MAX_RICH_TEXT_LENGTH } from './rich-text-policy.ts';
