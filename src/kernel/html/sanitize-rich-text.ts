import sanitizeHtml from 'sanitize-html';
import {
  ACTIVE_ATTRIBUTES,
  ALIGNMENTS,
  ALLOWED_ATTRIBUTES,
  ALLOWED_TAGS,
  DEFAULT_IMAGE_PATH_PREFIX,
  DROPPED_ELEMENTS,
  IMAGE_SCHEMES,
  LINK_SCHEMES,
  QUIETLY_DROPPED_ELEMENTS,
  RENAMED,
  URL_ATTRIBUTES,
} from './rich-text-policy.ts';
import { checkUrl, isExternal, unsafeScheme, type UrlRule } from './url-check.ts';

/**
 * Something taken out of a body that the publisher is told about: an element with its contents
 * (script, iframe, svg …), an attribute that runs code (onclick, a style with expression()), or a URL
 * that is not allowed (javascript:, a Word image's file:, an image outside the site's files).
 */
export interface Removal {
  kind: 'element' | 'attribute' | 'url';
  name: string;
  count: number;
}

export interface SanitizedRichText {
  html: string;
  removed: Removal[];
}

export interface RichTextOptions {
  /** The site's own host names: absolute links to them are not external and get no rel. */
  siteHosts?: readonly string[];
  /** Where the site serves uploaded images (default /files/); other site paths are refused for img. */
  imagePathPrefix?: string;
}

type Attributes = Record<string, string>;
/** What happens to the inside of an open element: kept, dropped, or dropped without a word. */
type Fate = 'keep' | 'drop' | 'quiet';

const LINK_RULE: UrlRule = { schemes: LINK_SCHEMES, pathPrefix: '/', fragments: true };
const ALIGNMENT = new RegExp(`^(${ALIGNMENTS.join('|')})$`);
const TEXT_ALIGN = /^\s*text-align\s*:\s*([a-z]+)\s*(?:!\s*important\s*)?$/i;
// NUL and the C0 controls a browser would turn into U+FFFD or skip; a body never needs them.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b\x0e-\x1f\x7f]/g;
const MAX_PASSES = 4;

/**
 * Makes a rich-text body safe to show on the site, and says what was taken out.
 *
 * An allowlist (rich-text-policy.ts), applied by sanitize-html; the hooks here decide each attribute's
 * value and keep the report. Harmless formatting that is not on the list — Word's o:p, classes and
 * mso- styles, font, span, id, border — is dropped without a report, since telling a publisher about
 * every Word artefact would bury the one thing that matters. What is reported could have run code,
 * loaded something or pointed somewhere unsafe.
 *
 * Idempotent: the output sanitises to itself with nothing reported, so a body can be cleaned again on
 * every save and re-checked when the policy changes.
 */
export function sanitizeRichText(html: string, options: RichTextOptions = {}): SanitizedRichText {
  const removed = new Map<string, Removal>();
  const report = (kind: Removal['kind'], name: string) => {
    const key = `${kind} ${name}`;
    const entry = removed.get(key);
    if (entry) entry.count += 1;
    else removed.set(key, { kind, name, count: 1 });
  };
  const imageRule: UrlRule = {
    schemes: IMAGE_SCHEMES,
    pathPrefix: options.imagePathPrefix ?? DEFAULT_IMAGE_PATH_PREFIX,
    fragments: false,
  };
  const siteHosts = options.siteHosts ?? [];

  // onOpenTag sees every tag, also inside content being dropped, so the report names only the
  // outermost dropped element (an svg, not the script inside it).
  const fates: Fate[] = [];
  const onOpenTag = (name: string) => {
    const parent = fates.at(-1) ?? 'keep';
    if (parent === 'keep' && DROPPED_ELEMENTS.has(name)) report('element', name);
    if (parent === 'quiet' && name === 'script') report('element', name);
    if (parent !== 'keep') fates.push(parent);
    else
      fates.push(DROPPED_ELEMENTS.has(name) ? 'drop' : QUIETLY_DROPPED_ELEMENTS.has(name) ? 'quiet' : 'keep');
  };

  const transform = (tagName: string, attribs: Attributes) => {
    if (DROPPED_ELEMENTS.has(tagName) || QUIETLY_DROPPED_ELEMENTS.has(tagName))
      return { tagName, attribs: {} };
    const name = RENAMED[tagName] ?? tagName;
    const allowed = ALLOWED_ATTRIBUTES[name];
    for (const [attr, value] of Object.entries(attribs)) {
      // href and src of a and img are checked below, where a refused one is reported as well.
      const scheme = URL_ATTRIBUTES.has(attr) && !allowed?.includes(attr) ? unsafeScheme(value) : undefined;
      if (/^on/i.test(attr) || ACTIVE_ATTRIBUTES.has(attr)) report('attribute', attr);
      else if (attr === 'style' && scriptInCss(value)) report('attribute', attr);
      else if (scheme) report('url', `${scheme}:`);
    }
    if (!allowed) return { tagName: name, attribs: {} };

    const kept: Attributes = {};
    const url = (attr: string, rule: UrlRule) => {
      const value = attribs[attr];
      if (value === undefined || value.trim() === '') return;
      const verdict = checkUrl(value, rule);
      if (verdict.ok) kept[attr] = verdict.url;
      else report('url', verdict.name);
    };
    const text = (attr: string) => {
      const value = attribs[attr]?.trim();
      if (value) kept[attr] = value;
    };
    const integer = (attr: string, min: number, max: number) => {
      const value = attribs[attr]?.trim() ?? '';
      if (/^-?\d{1,9}$/.test(value) && Number(value) >= min && Number(value) <= max)
        kept[attr] = String(Number(value));
    };

    if (name === 'a') {
      url('href', LINK_RULE);
      text('title');
      if (attribs.target?.trim().toLowerCase() === '_blank') kept.target = '_blank';
      if (kept.href !== undefined && (kept.target || isExternal(kept.href, siteHosts)))
        kept.rel = 'noopener noreferrer';
    } else if (name === 'img') {
      url('src', imageRule);
      if (attribs.alt !== undefined) kept.alt = attribs.alt.trim();
      text('title');
      integer('width', 1, 9999);
      integer('height', 1, 9999);
    } else if (name === 'ol') {
      integer('start', -999_999_999, 999_999_999);
      if (['1', 'a', 'A', 'i', 'I'].includes(attribs.type?.trim() ?? '')) kept.type = attribs.type!.trim();
    } else {
      if (allowed.includes('colspan')) integer('colspan', 1, 1000);
      if (allowed.includes('rowspan')) integer('rowspan', 1, 1000);
      if (allowed.includes('span')) integer('span', 1, 1000);
      const scope = attribs.scope?.trim().toLowerCase() ?? '';
      if (allowed.includes('scope') && ['row', 'col', 'rowgroup', 'colgroup'].includes(scope))
        kept.scope = scope;
      if (allowed.includes('style')) {
        const align =
          alignment(attribs.style, attribs.align) ?? (tagName === 'center' ? 'center' : undefined);
        if (align) kept.style = `text-align:${align}`;
      }
    }
    return { tagName: name, attribs: kept };
  };

  const settings: sanitizeHtml.IOptions = {
    allowedTags: [...ALLOWED_TAGS],
    allowedAttributes: Object.fromEntries(
      Object.entries(ALLOWED_ATTRIBUTES).map(([tag, attrs]) => [tag, [...attrs]]),
    ),
    allowedClasses: {},
    allowedStyles: { '*': { 'text-align': [ALIGNMENT] } },
    allowedSchemes: [...LINK_SCHEMES],
    allowedSchemesByTag: { img: [...IMAGE_SCHEMES] },
    allowProtocolRelative: false,
    nonTextTags: [...DROPPED_ELEMENTS, ...QUIETLY_DROPPED_ELEMENTS],
    transformTags: { '*': transform },
    onOpenTag,
    onCloseTag: () => void fates.pop(),
    // A link whose address was refused keeps its words; an image without a source is nothing.
    exclusiveFilter: (frame) => {
      if (frame.tag === 'a' && !frame.attribs.href) return 'excludeTag';
      return frame.tag === 'img' && !frame.attribs.src;
    },
  };

  // Unwrapping an element can change how the parser closes the ones around it (<td><a><tr> keeps
  // the tr inside the cell, <td><tr> does not), so the output is parsed again until it stands still:
  // what is stored is what the next save would store. The second pass is nearly always the last.
  let clean = html.replace(CONTROLS, '');
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    fates.length = 0;
    const next = sanitizeHtml(clean, settings);
    if (next === clean) break;
    clean = next;
  }
  return { html: clean, removed: [...removed.values()] };
}

/** The alignment kept from a style attribute or a legacy align="center" (both are what Word writes). */
function alignment(style: string | undefined, align: string | undefined): string | undefined {
  for (const declaration of (style ?? '').split(';')) {
    const value = TEXT_ALIGN.exec(declaration)?.[1]?.toLowerCase();
    if (value && ALIGNMENTS.includes(value)) return value;
  }
  const legacy = align?.trim().toLowerCase();
  return legacy && ALIGNMENTS.includes(legacy) ? legacy : undefined;
}

/**
 * Whether a style attribute tried to run or load something. Only for the report: every style but
 * text-align is dropped anyway. Comments and CSS escapes (e\x\p…, \6a avascript) are undone first.
 */
function scriptInCss(css: string): boolean {
  const plain = css
    .replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '')
    .replace(/\\([0-9a-f]{1,6})\s?/gi, (_, hex: string) => {
      const code = parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    })
    .replace(/\\(.)/g, '$1')
    .replace(/[\s\p{Cc}]+/gu, '')
    .toLowerCase();
  return /expression\(|javascript:|vbscript:|behavior:|-moz-binding|@import/.test(plain);
}
