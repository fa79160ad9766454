/**
 * Keeps this node's matchers holding every site's sensitive words (one automaton per site).
 *
 * The same scheme as the search dictionary's (glossary/term.sync.ts): a change made on this node is
 * loaded before its request returns; on PostgreSQL it is announced with NOTIFY (the site's id as the
 * payload) in its transaction, every node LISTENs on a connection of its own and rebuilds that site's
 * automaton within milliseconds of the commit; since a notification can be missed, each node also
 * reloads everything every minute and on reconnecting. PGlite is one process: the in-process reload
 * is all there is.
 */
import { followChannel, type Database } from '../../kernel/db/index.ts';
import { buildMatcher, type Matcher } from './matcher.ts';
import { wordsBySite, WORDS_CHANNEL } from './word.store.ts';

export const RELOAD_EVERY_MS = 60_000;
const EMPTY = buildMatcher([]);

export interface WordSyncOptions {
  /** The PostgreSQL server's URL (DATABASE_URL); no LISTEN without it. */
  databaseUrl?: string | undefined;
  /** How often a node on PostgreSQL reloads anyway (tests shorten it). */
  reloadEveryMs?: number;
}

export function createWordSync(db: Database, options: WordSyncOptions = {}) {
  let matchers = new Map<string, Matcher>();
  // Loads run one at a time; what is asked for meanwhile is gathered into the next load ('' = all).
  const pending = new Set<string>();
  let next: Promise<void> | null = null;
  let chain: Promise<void> = Promise.resolve();

  async function load(sites: string[] | null): Promise<void> {
    if (sites === null) {
      const all = await wordsBySite(db.kysely);
      matchers = new Map([...all].map(([site, words]) => [site, buildMatcher(words)]));
      return;
    }
    for (const site of sites) {
      const words = (await wordsBySite(db.kysely, site)).get(site) ?? [];
      const copy = new Map(matchers);
      if (words.length === 0) copy.delete(site);
      else copy.set(site, buildMatcher(words));
      matchers = copy;
    }
  }

  /** Reloads one site's words, or every site's. Resolves once a load that began after the call ends. */
  function reload(tenantId?: string): Promise<void> {
    pending.add(tenantId ?? '');
    if (!next) {
      next = chain = chain
        .catch(() => undefined)
        .then(() => {
          next = null;
          const todo = [...pending];
          pending.clear();
          return load(todo.includes('') ? null : todo);
        });
    }
    return next;
  }

  /** Starts following other nodes' changes (PostgreSQL); returns the function that stops it. */
  function start(onError: (e: unknown) => void): () => Promise<void> {
    if (db.kind !== 'postgres') return async () => undefined;
    const reloadLogged = (site?: string) => void reload(site).catch(onError);
    const every = setInterval(() => reloadLogged(), options.reloadEveryMs ?? RELOAD_EVERY_MS);
    every.unref();
    const unfollow = followChannel(db, options.databaseUrl, WORDS_CHANNEL, {
      onNotification: (site) => reloadLogged(site || undefined),
      // What changed while nobody listened.
      onListening: () => reloadLogged(),
      onError,
    });
    return async () => {
      clearInterval(every);
      await unfollow();
      await chain.catch(() => undefined);
    };
  }

  return {
    reload,
    start,
    /** The site's automaton as this node holds it now. */
    matcherFor: (tenantId: string): Matcher => matchers.get(tenantId) ?? EMPTY,
  };
}

export type WordSync = ReturnType<typeof createWordSync>;
