/**
 * Keeps this node's segmenter holding every site's terms (the union: one site's terms do no harm to
 * another's documents, and a process keeps one segmenter, jieba being ~40 MB).
 *
 * A change made on this node is loaded before its request returns. On PostgreSQL, where several nodes
 * share the database, the change is announced with NOTIFY in its transaction and every node LISTENs:
 * the others reload within milliseconds of the commit. A notification can be missed (the listening
 * connection drops, a node restarts its connection), so each node also reloads every minute, and on
 * reconnecting. PGlite is one process: the in-process reload is all there is to do.
 *
 * LISTEN needs a connection of its own, held open: a pooled one goes back to the pool and its
 * notifications with it. The kernel's Database keeps its pool to itself, so this opens one client to
 * the same database (the configured server's URL, with the database the pool is connected to).
 */
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../kernel/db/index.ts';
import type { Segmenter } from '../../kernel/search/index.ts';
import { allTerms, TERMS_CHANNEL } from './term.store.ts';

export const RELOAD_EVERY_MS = 60_000;
const RECONNECT_AFTER_MS = 5_000;

export interface TermSyncOptions {
  /** The PostgreSQL server's URL (DATABASE_URL); no LISTEN without it. */
  databaseUrl?: string | undefined;
  /** How often a node on PostgreSQL reloads anyway (tests shorten it). */
  reloadEveryMs?: number;
}

export function createTermSync(
  db: Database,
  segmenter: Pick<Segmenter, 'setSiteTerms'>,
  options: TermSyncOptions = {},
) {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  async function load(): Promise<void> {
    segmenter.setSiteTerms(await allTerms(db.kysely));
  }

  /**
   * Loads the terms. One load at a time: a call during a load runs one more after it (it may have been
   * asked for by a change the running load's query did not see), and calls meanwhile share that one.
   */
  function reload(): Promise<void> {
    if (!running) {
      running = load().finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return reload();
      });
    return queued;
  }

  /** Starts following other nodes' changes (PostgreSQL); returns the function that stops it. */
  function start(onError: (e: unknown) => void): () => Promise<void> {
    if (db.kind !== 'postgres') return async () => undefined;
    let stopped = false;
    let client: pg.Client | null = null;
    let retry: NodeJS.Timeout | null = null;
    const reloadLogged = () => void reload().catch(onError);
    const every = setInterval(reloadLogged, options.reloadEveryMs ?? RELOAD_EVERY_MS);
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
        self.on('notification', reloadLogged);
        self.on('error', (e) => {
          if (stopped) return;
          onError(e);
          if (client === self) reconnectLater();
        });
        self.on('end', () => {
          if (client === self) reconnectLater();
        });
        await self.connect();
        await self.query(`listen ${TERMS_CHANNEL}`);
        // Stopped meanwhile: stop() has ended it (ending twice is harmless).
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
      await running?.catch(() => undefined);
    };
  }

  return { reload, start };
}

/**
 * The URL of the database the pool is on: DATABASE_URL's server and credentials (tests and tools may
 * hand buildApp a pool on another database of that server).
 */
async function listenUrl(db: Database, databaseUrl: string): Promise<string> {
  const r = await sql<{ name: string }>`select current_database() as name`.execute(db.kysely);
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(r.rows[0]!.name)}`;
  return url.toString();
}

export type TermSync = ReturnType<typeof createTermSync>;
