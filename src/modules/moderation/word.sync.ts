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
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../kernel/db/index.ts';
import { buildMatcher, type Matcher } from './matcher.ts';
import { wordsBySite, WORDS_CHANNEL } from './word.store.ts';

export const RELOAD_EVERY_MS = 60_000;
const RECONNECT_AFTER_MS = 5_000;
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
    let stopped = false;
    let client: pg.Client | null = null;
    let retry: NodeJS.Timeout | null = null;
    const reloadLogged = (site?: string) => void reload(site).catch(onError);
    const every = setInterval(() => reloadLogged(), options.reloadEveryMs ?? RELOAD_EVERY_MS);
    every.unref();

    function reconnectLater() {
      if (stopped || retry) return;
      const old = client;
      client = null;
      void old?.end().catch(() => undefined);
      retry = setTimeout(() => {
        retry = null;
        void listen();
      }, RECONNECT_AFTER_MS);
      retry.unref();
    }

    async function listen() {
      if (stopped || !options.databaseUrl) return;
      let c: pg.Client | null = null;
      try {
        const url = await listenUrl(db, options.databaseUrl);
        if (stopped) return;
        c = new pg.Client({ connectionString: url });
        const self = c;
        client = self;
        self.on('notification', (n) => reloadLogged(n.payload || undefined));
        self.on('error', (e) => {
          if (stopped) return;
          onError(e);
          if (client === self) reconnectLater();
        });
        self.on('end', () => {
          if (client === self) reconnectLater();
        });
        await self.connect();
        await self.query(`listen ${WORDS_CHANNEL}`);
        if (stopped) return void self.end().catch(() => undefined);
        // What changed while nobody listened.
        reloadLogged();
      } catch (e) {
        if (stopped) return;
        onError(e);
        if (c === null || client === c) reconnectLater();
      }
    }
    void listen();

    return async () => {
      stopped = true;
      clearInterval(every);
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
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

/** The URL of the database the pool is on: DATABASE_URL's server and credentials. */
async function listenUrl(db: Database, databaseUrl: string): Promise<string> {
  const r = await sql<{ name: string }>`select current_database() as name`.execute(db.kysely);
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(r.rows[0]!.name)}`;
  return url.toString();
}

export type WordSync = ReturnType<typeof createWordSync>;
