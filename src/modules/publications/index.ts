/**
 * publications — 政府信息主动公开: the disclosure catalogue, publications with their metadata, review
 * before publication on the workflow engine, withdrawal and validity, Chinese search, Atom feeds and
 * the sitemap. The only file other modules import; see CONTEXT.md for the words.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { BlobStore } from '../../kernel/files/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import type { Segmenter } from '../../kernel/search/index.ts';
import type { CaseService } from '../workflow/index.ts';
import type { ArticleExtras } from './publication.extras.tsx';
import { createPublicationHooks } from './publication.hooks.ts';
import { createPublicationReindexer } from './publication.reindex.ts';
import { createPublicationSearch } from './publication.search.ts';
import { createPublicationService, type PublicationPorts } from './publication.service.ts';
import { publicationsFeeds, type SitemapEntry } from './publications.feeds.ts';
import { publicationsPortal } from './publications.portal.tsx';
import { publicationsRoutes } from './publications.routes.ts';
import { publicationsWorkbench } from './publications.workbench.tsx';

export type { Category, Publication, PublicationInput } from './catalogue.ts';
export type { SitemapEntry } from './publications.feeds.ts';
export type { ArticleExtras, ArticleExtraSection } from './publication.extras.tsx';
export type { PublicationHooks, PublishedListener } from './publication.hooks.ts';
export { DEMO_PUBLICATIONS } from './demo-publications.ts';
export { columnFreshness, publicBodyLinks, type ColumnFreshness } from './publication.freshness.ts';
export {
  categoriesOfPublications,
  publicationsByCategory,
  type CategoryCount,
} from './publication.figures.ts';

export interface PublicationsDeps {
  department: PublicationPorts['department'];
  cases: Pick<CaseService, 'create' | 'onClosed'>;
  /** the process a publication's review runs on (demo.publication-review on the demo site) */
  reviewProcess: string;
  segmenter: Segmenter;
  blobs: BlobStore;
  /** what other modules put in the sitemap */
  sitemapEntries?: (tenantId: string) => Promise<SitemapEntry[]>;
  /** what other modules show under an article (a policy's lifecycle links) */
  articleExtras?: ArticleExtras;
}

export function createPublicationsModule(db: Database, deps: PublicationsDeps) {
  const publications = createPublicationService(db, deps);
  // After the service: its review listener publishes before the hooks' listener hears of it.
  const hooks = createPublicationHooks(deps);
  const search = createPublicationSearch(db, deps.segmenter);
  return {
    publications,
    search,
    hooks,
    reindexer: createPublicationReindexer(db, publications.vectorOf),
    workbenchLinks: [
      {
        href: '/workbench/publications',
        key: 'publications.workbench.title',
        permission: ['publication.write', 'publication.review'],
      },
    ] satisfies { href: string; key: string; permission: readonly Permission[] }[],
    async routes(app: FastifyInstance) {
      await publicationsRoutes(app, { publications, search, blobs: deps.blobs });
      publicationsPortal(app, { publications, search, blobs: deps.blobs, articleExtras: deps.articleExtras });
      publicationsWorkbench(app, { publications, blobs: deps.blobs });
      publicationsFeeds(app, { db, publications, sitemapEntries: deps.sitemapEntries });
    },
  };
}

export type PublicationsModule = ReturnType<typeof createPublicationsModule>;
