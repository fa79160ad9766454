/**
 * glossary — 词库: each site's search dictionary, the terms its administrators add so that search
 * segments them as one word, and re-indexing after a change. The only file other modules import; see
 * CONTEXT.md for the words.
 *
 * The process has one segmenter (src/kernel/search), made in app.ts and given to every module that
 * indexes; this module keeps every site's terms in it (term.sync.ts), and holds the registry of those
 * modules' reindexers that `yiwang search reindex` runs.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import type { Segmenter } from '../../kernel/search/index.ts';
import { glossaryRoutes } from './glossary.routes.ts';
import { glossaryWorkbenchPages } from './glossary.workbench.tsx';
import { createReindexRegistry } from './reindex.ts';
import { createTermService } from './term.service.ts';
import { createTermSync, type TermSyncOptions } from './term.sync.ts';

export type { Reindexer, ReindexRegistry } from './reindex.ts';
export type { Term } from './term.store.ts';
export { MAX_TERMS_PER_SITE, type TermService } from './term.service.ts';

export interface GlossaryDeps extends TermSyncOptions {
  segmenter: Pick<Segmenter, 'setSiteTerms'>;
}

export function createGlossaryModule(db: Database, deps: GlossaryDeps) {
  const sync = createTermSync(db, deps.segmenter, deps);
  const terms = createTermService(db, { onChanged: sync.reload });
  const reindexers = createReindexRegistry();
  return {
    terms,
    reindexers,
    /** Loads every site's terms into the segmenter: at start-up, before anything is indexed. */
    loadTerms: () => sync.reload(),
    /**
     * Follows the changes other nodes make (PostgreSQL: LISTEN, and a reload every minute); returns
     * the function that stops it.
     */
    startSync: (onError: (e: unknown) => void) => sync.start(onError),
    workbenchLinks: [
      { href: '/workbench/search/terms', key: 'glossary.title', permission: 'search.terms' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      await glossaryRoutes(app, { terms });
      glossaryWorkbenchPages(app, { terms, reindexers });
    },
  };
}

export type GlossaryModule = ReturnType<typeof createGlossaryModule>;
