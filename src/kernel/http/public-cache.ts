/**
 * Micro-cache for public, anonymous GETs (portal pages, reference-data API): a route opts in with
 * `config: { publicCache: true }`, and its 200 responses are kept for a few seconds per site, language
 * and URL. A government portal is read far more than it is written, and the same pages are asked for
 * by everyone; this is what a reverse proxy's micro-cache would do, kept in the process so the
 * embedded default has it too.
 *
 * Never cached: a response that sets a cookie or rendered a CSRF token (it belongs to one visitor), a
 * request that carries a session (later, identity), anything but 200. Any successful write on this
 * node clears the cache; other nodes see a change within the TTL.
 */
import type { FastifyInstance } from 'fastify';

interface Entry {
  at: number;
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const MAX_ENTRIES = 2000;
const MAX_BODY = 512 * 1024;

export function registerPublicCache(app: FastifyInstance, ttlSeconds: number): void {
  if (ttlSeconds <= 0) return;
  const ttl = ttlSeconds * 1000;
  const entries = new Map<string, Entry>();
  const keyOf = (req: { site: { tenantId: string }; locale: string; url: string }) =>
    `${req.site.tenantId}|${req.locale}|${req.url}`;

  app.decorateRequest('publicCacheKey', null);

  // Right after the site and language are known (the onRequest hooks registered before this one), and
  // before body parsing and validation, so a hit costs as little as possible.
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || !req.routeOptions.config.publicCache) return;
    if (req.cookies['yw_session']) return;
    const key = keyOf(req);
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < ttl) {
      reply.headers(hit.headers).header('x-cache', 'hit').status(hit.status);
      return reply.send(hit.body);
    }
    req.publicCacheKey = key;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && reply.statusCode < 400) {
      entries.clear();
      return payload;
    }
    const key = req.publicCacheKey;
    if (!key || reply.statusCode !== 200 || req.csrfIssued || reply.hasHeader('set-cookie')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (payload.length > MAX_BODY) return payload;
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    const type = reply.getHeader('content-type');
    entries.set(key, {
      at: Date.now(),
      status: 200,
      headers: type ? { 'content-type': String(type) } : {},
      body: payload,
    });
    reply.header('x-cache', 'miss');
    return payload;
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    publicCacheKey: string | null;
  }
  interface FastifyContextConfig {
    /** Cache this route's 200 responses for anonymous visitors (see public-cache.ts). */
    publicCache?: boolean;
  }
}
