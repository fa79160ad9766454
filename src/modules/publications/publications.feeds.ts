/**
 * Feeds and the sitemap: Atom (RFC 4287) for the whole disclosure column and for each category, the
 * newest public publications first; /sitemap.xml (sitemaps.org 0.9) with the portal's sections, the
 * catalogue's columns, every public publication and what other modules add (the service guides).
 * Absolute URLs are built from the request's host: a site answers on its own names.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../kernel/errors.ts';
import type { PublicationService } from './publication.service.ts';
import * as store from './publication.store.ts';
import type { Database } from '../../kernel/db/index.ts';

const FEED_ENTRIES = 50;
/** sitemaps.org's limit for one file. */
const SITEMAP_URLS = 50_000;

export interface SitemapEntry {
  /** a path on the site, e.g. /services/items/… */
  path: string;
  lastmod?: string | undefined;
}

/** Characters XML 1.0 cannot carry at all (C0 controls but tab and line breaks, U+FFFE, U+FFFF). */
const notXml = (c: string) => {
  const n = c.charCodeAt(0);
  return (n < 0x20 && n !== 0x09 && n !== 0x0a && n !== 0x0d) || n === 0xfffe || n === 0xffff;
};

const xml = (s: string) =>
  [...s]
    .filter((c) => !notXml(c))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

function atom(
  req: FastifyRequest,
  feed: { id: string; title: string; self: string; alternate: string },
  entries: Awaited<ReturnType<typeof store.publicSince>>,
): string {
  const base = origin(req);
  const updated = entries[0]?.updatedAt ?? new Date(0).toISOString();
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">`,
    `  <id>${xml(base + feed.id)}</id>`,
    `  <title>${xml(feed.title)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(base + feed.self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(base + feed.alternate)}"/>`,
    `  <author><name>${xml(req.site.name)}</name></author>`,
    ...entries.flatMap((e) => [
      '  <entry>',
      `    <id>${xml(`${base}/publications/${e.id}`)}</id>`,
      `    <title>${xml(e.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xml(`${base}/publications/${e.id}`)}"/>`,
      `    <published>${e.publishAt}</published>`,
      `    <updated>${e.updatedAt > e.publishAt ? e.updatedAt : e.publishAt}</updated>`,
      `    <author><name>${xml(e.issuingBody)}</name></author>`,
      `    <summary>${xml([...e.bodyText].slice(0, 200).join(''))}</summary>`,
      '  </entry>',
    ]),
    '</feed>',
    '',
  ];
  return lines.join('\n');
}

export function publicationsFeeds(
  app: FastifyInstance,
  deps: {
    db: Database;
    publications: PublicationService;
    /** what other modules put in the sitemap (published service guides …) */
    sitemapEntries?: (tenantId: string) => Promise<SitemapEntry[]>;
  },
): void {
  const { db, publications } = deps;
  const send = (reply: FastifyReply, type: string, body: string) =>
    reply.type(`${type}; charset=utf-8`).send(body);

  app.get(
    '/publications/feed.atom',
    { config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const entries = await store.publicSince(db.kysely, req.site.tenantId, { limit: FEED_ENTRIES });
      return send(
        reply,
        'application/atom+xml',
        atom(
          req,
          {
            id: '/publications',
            title: `${req.site.name} · ${req.t('publications.portal.title')}`,
            self: '/publications/feed.atom',
            alternate: '/publications',
          },
          entries,
        ),
      );
    },
  );

  app.get(
    '/publications/categories/:code/feed.atom',
    { config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const code = (req.params as { code: string }).code;
      const categories = await publications.categories(req.site.tenantId);
      const category = categories.find((c) => c.code === code && c.active);
      if (!category) throw new DomainError('not_found', 'publications.category_unknown');
      const codes = categories.filter((c) => c.code === code || c.parentCode === code).map((c) => c.code);
      const entries = await store.publicSince(db.kysely, req.site.tenantId, {
        categoryCodes: codes,
        limit: FEED_ENTRIES,
      });
      return send(
        reply,
        'application/atom+xml',
        atom(
          req,
          {
            id: `/publications/categories/${code}`,
            title: `${req.site.name} · ${category.name}`,
            self: `/publications/categories/${code}/feed.atom`,
            alternate: `/publications/categories/${code}`,
          },
          entries,
        ),
      );
    },
  );

  app.get('/sitemap.xml', { config: { access: 'public', publicCache: true } }, async (req, reply) => {
    const tenantId = req.site.tenantId;
    const base = origin(req);
    const categories = (await publications.categories(tenantId)).filter((c) => c.active);
    const [published, others] = await Promise.all([
      store.publicSince(db.kysely, tenantId, { limit: SITEMAP_URLS }),
      deps.sitemapEntries?.(tenantId) ?? Promise.resolve([]),
    ]);
    const entries: SitemapEntry[] = [
      { path: '/' },
      { path: '/publications', lastmod: published[0]?.updatedAt },
      ...categories.map((c) => ({ path: `/publications/categories/${c.code}` })),
      ...others,
      ...published.map((p) => ({ path: `/publications/${p.id}`, lastmod: p.updatedAt })),
    ].slice(0, SITEMAP_URLS);
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...entries.map(
        (e) =>
          `  <url><loc>${xml(base + e.path)}</loc>${e.lastmod ? `<lastmod>${e.lastmod.slice(0, 10)}</lastmod>` : ''}</url>`,
      ),
      '</urlset>',
      '',
    ].join('\n');
    return send(reply, 'application/xml', body);
  });
}
