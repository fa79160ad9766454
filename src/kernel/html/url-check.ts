/* eslint-disable no-control-regex -- URLs are checked for the control characters browsers skip */

/** A URL kept (as the browser will read it), or refused with the name the publisher is shown. */
export type UrlVerdict = { ok: true; url: string } | { ok: false; name: string };

export interface UrlRule {
  schemes: readonly string[];
  /** A URL without a scheme must start with this; '/' means any path on the site. */
  pathPrefix: string;
  /** Whether '#section' links are kept. */
  fragments: boolean;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const NAME_MAX = 60;

/** The URL a browser reads: its parser drops tabs and line breaks anywhere, controls and spaces at the ends. */
export function browserUrl(value: string): string {
  return value.replace(/[\t\n\r]/g, '').replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '');
}

/**
 * The scheme a URL tries to use, lower-cased, with every control character and space removed first as
 * the laxest browsers did — so `java&#1;script:` is named javascript: in the report, not a path.
 */
export function attemptedScheme(value: string): string | undefined {
  return SCHEME.exec(value.replace(/[\x00-\x20\x7f]/g, ''))?.[1]?.toLowerCase();
}

function shown(url: string): string {
  return url.length > NAME_MAX ? `${url.slice(0, NAME_MAX)}…` : url;
}

/**
 * Checks an href or src against a rule. Only the browser's reading of the value counts, and only a
 * scheme the rule names is kept; anything else without a scheme must be a path under the rule's
 * prefix (never `//host` or `/\host`, which browsers take as another site). An http(s) URL must parse
 * and carry no user name: https://www.gov.cn@example.com is a classic disguise.
 */
export function checkUrl(value: string, rule: UrlRule): UrlVerdict {
  const url = browserUrl(value);
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme) {
    if (!rule.schemes.includes(scheme)) return { ok: false, name: `${scheme}:` };
    if (scheme === 'http' || scheme === 'https') {
      const parsed = URL.canParse(url) ? new URL(url) : undefined;
      if (!parsed?.hostname || parsed.username || parsed.password) return { ok: false, name: shown(url) };
    }
    return { ok: true, url };
  }
  const attempted = attemptedScheme(url);
  if (attempted) return { ok: false, name: `${attempted}:` };
  if (rule.fragments && url.startsWith('#')) return { ok: true, url };
  if (url.startsWith(rule.pathPrefix) && !/^\/[/\\]/.test(url)) return { ok: true, url };
  return { ok: false, name: shown(url) };
}

/** Whether an absolute http(s) URL points away from the site's own hosts. */
export function isExternal(url: string, siteHosts: readonly string[]): boolean {
  if (!/^https?:/i.test(url)) return false;
  const host = URL.canParse(url) ? new URL(url).hostname : '';
  return !siteHosts.some((h) => h.toLowerCase() === host);
}

/** The scheme of a URL in an attribute dropped anyway, when that scheme could run or embed something. */
export function unsafeScheme(value: string): string | undefined {
  const scheme = attemptedScheme(value);
  return scheme !== undefined && !['http', 'https', 'ftp', 'mailto', 'tel'].includes(scheme)
    ? scheme
    : undefined;
}
