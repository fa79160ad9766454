/**
 * What the website self-check (网站自查, the sitecheck module) asks of the disclosure column: how fresh
 * each column is, and the links in what the public reads. Read-only and clock-free: `now` decides what
 * is public (published, and its time has come), so a check can be run as of any instant.
 */
import sanitizeHtml from 'sanitize-html';
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import { DEFAULT_CATEGORIES, type CategoryKind } from './catalogue.ts';

/** A column as the public sees it: its own publications and its children's (a parent lists both). */
export interface ColumnFreshness {
  code: string;
  name: string;
  kind: CategoryKind;
  parentCode: string | null;
  /** the newest public publication's time (ISO), or null when the column shows nothing */
  latestPublicAt: string | null;
  publicCount: number;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * The site's active columns with their newest public publication and how many they show, and the
 * newest public publication of the whole site (in a retired column too: the home page still lists it).
 * A site that has no catalogue yet gets the default one on its first visit, so it is read as that, empty.
 */
export async function columnFreshness(
  ex: Executor,
  tenantId: string,
  now: Date,
): Promise<{ columns: ColumnFreshness[]; latestPublicAt: string | null }> {
  const [rows, stats] = await Promise.all([
    ex
      .selectFrom('publications.category')
      .select(['code', 'name', 'kind', 'parent_code', 'active'])
      .where('tenant_id', '=', tenantId)
      .orderBy('position')
      .orderBy('code')
      .execute(),
    ex
      .selectFrom('publications.publication')
      .select([
        'category_code',
        sql<Date | string>`max(publish_at)`.as('latest'),
        sql<number>`count(*)::int`.as('n'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'published')
      .where('publish_at', '<=', now)
      .groupBy('category_code')
      .execute(),
  ]);
  const categories =
    rows.length > 0
      ? rows
      : DEFAULT_CATEGORIES.map((c) => ({
          code: c.code,
          name: c.name,
          kind: c.kind as string,
          parent_code: c.parentCode,
          active: true,
        }));
  const own = new Map(stats.map((s) => [s.category_code, { latest: iso(s.latest), n: Number(s.n) }]));
  const columns = categories
    .filter((c) => c.active)
    .map((c) => {
      // The column page lists the category and the categories directly under it (retired ones too).
      const shown = categories
        .filter((k) => k.code === c.code || k.parent_code === c.code)
        .map((k) => own.get(k.code))
        .filter((s) => s !== undefined);
      const latest = shown.map((s) => s.latest).sort();
      return {
        code: c.code,
        name: c.name,
        kind: c.kind as CategoryKind,
        parentCode: c.parent_code,
        latestPublicAt: latest.at(-1) ?? null,
        publicCount: shown.reduce((n, s) => n + s.n, 0),
      };
    });
  const latestPublicAt =
    [...own.values()]
      .map((s) => s.latest)
      .sort()
      .at(-1) ?? null;
  return { columns, latestPublicAt };
}

const BATCH = 200;

/** Every href and src in a sanitised body, as written (entities decoded). */
export function linksInBody(html: string): string[] {
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

/**
 * The links in every public publication's body, publication by publication (those without links
 * left out), read in batches so a large site's bodies are never in memory at once.
 */
export async function publicBodyLinks(
  ex: Executor,
  tenantId: string,
  now: Date,
): Promise<{ id: number; title: string; links: string[] }[]> {
  const out: { id: number; title: string; links: string[] }[] = [];
  for (let after = 0; ;) {
    const rows = await ex
      .selectFrom('publications.publication')
      .select(['id', 'title', 'body_html'])
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'published')
      .where('publish_at', '<=', now)
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      const links = linksInBody(r.body_html);
      if (links.length > 0) out.push({ id: Number(r.id), title: r.title, links });
    }
    if (rows.length < BATCH) return out;
    after = Number(rows.at(-1)!.id);
  }
}
