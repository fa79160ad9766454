/**
 * The link check (链接可用性): every internal link of the home page (its navigation, header and footer
 * with it) and of the public publications' bodies, requested from the application itself with
 * `app.inject` — no network and no DNS, just what this server answers a visitor who follows the link.
 * External links are out of scope: another site answers for them, and a government network often
 * cannot reach the internet to ask.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import sanitizeHtml from 'sanitize-html';
import type { LinkResult, Place } from './indicators.ts';

/**
 * Where the checker's requests come from: a documentation address (RFC 5737), so they have their own
 * rate-limit budget and never spend a visitor's — or a reverse proxy's, when TRUST_PROXY is unset.
 */
export const CHECKER_ADDRESS = '192.0.2.1';
/** Links checked at most per run; the rest are counted and said to be left out. */
export const MAX_LINKS = 5_000;
const CONCURRENCY = 4;
const MAX_REDIRECTS = 5;
const MAX_RATE_WAITS = 3;

export type Server = Pick<FastifyInstance, 'inject'>;

/** A name only this checker uses for the page being read, so relative links resolve against it. */
const SELF = 'self.invalid';

/**
 * An href or src as a path on the site (path and query; the fragment dropped), or null: a fragment
 * of the same page, another site, or not a web link (mailto:, tel:). `base` is the page it is on.
 */
export function internalPath(href: string, base: string, hosts: readonly string[]): string | null {
  const value = href.trim();
  if (value === '' || value.startsWith('#')) return null;
  let url: URL;
  try {
    url = new URL(value, `http://${SELF}${base}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const own = url.host === SELF || hosts.some((h) => [url.host, url.hostname].includes(h.toLowerCase()));
  return own ? `${url.pathname}${url.search}` : null;
}

/** Every href and src of a page (anchors, stylesheets, images, scripts), as written. */
export function linksInPage(html: string): string[] {
  const links: string[] = [];
  sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    onOpenTag: (_name, attribs) => {
      for (const a of ['href', 'src']) if (attribs[a]?.trim()) links.push(attribs[a].trim());
    },
  });
  return links;
}

/** A GET as a visitor without a session would send it; status null when the server threw. */
export async function fetchPage(server: Server, host: string, url: string) {
  const started = performance.now();
  try {
    const res = await server.inject({
      method: 'GET',
      url,
      headers: { host, accept: 'text/html,*/*;q=0.8', 'user-agent': 'yiwang-sitecheck' },
      remoteAddress: CHECKER_ADDRESS,
    });
    const location = res.headers.location;
    return {
      status: res.statusCode,
      ms: performance.now() - started,
      body: res.body,
      location: typeof location === 'string' ? location : undefined,
      retryAfter: Number(res.headers['retry-after'] ?? 1) || 1,
    };
  } catch {
    return { status: null, ms: performance.now() - started, body: '', location: undefined, retryAfter: 0 };
  }
}

async function checkOne(server: Server, host: string, hosts: readonly string[], url: string) {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let res = await fetchPage(server, host, current);
    // The checker keeps under the site's rate limit by waiting as it is told to, a few times.
    for (let wait = 0; res.status === 429 && wait < MAX_RATE_WAITS; wait++) {
      await sleep(Math.min(60, res.retryAfter) * 1000);
      res = await fetchPage(server, host, current);
    }
    if (res.status === 429) return { status: null, reason: 'rate_limited' as const };
    if (res.status === null) return { status: null, reason: 'error' as const };
    const next =
      res.status >= 300 && res.status < 400 && res.location
        ? internalPath(res.location, current, hosts)
        : null;
    // A redirect to another site ends here: where it goes is that site's business.
    if (next === null) return { status: res.status };
    current = next;
  }
  return { status: null, reason: 'redirects' as const };
}

/**
 * Checks each internal URL once, a few at a time, following redirects within the site; reports
 * progress as URLs finish. Results in URL order.
 */
export async function checkLinks(
  server: Server,
  site: { host: string; hosts: readonly string[] },
  targets: ReadonlyMap<string, Place[]>,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<LinkResult[]> {
  const queue = [...targets.entries()];
  const total = queue.length;
  const results: LinkResult[] = [];
  let done = 0;
  onProgress(0, total);
  async function worker() {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [url, foundOn] = next;
      results.push({ url, foundOn, ...(await checkOne(server, site.host, site.hosts, url)) });
      onProgress(++done, total);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results.sort((a, b) => a.url.localeCompare(b.url));
}
