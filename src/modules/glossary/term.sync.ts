/**
 * Keeps this node's segmenter holding every site's terms (the union: one site's terms do no harm to
 * another's documents, and a process keeps one segmenter, jieba being ~40 MB).
 *
 * A change made on this node is loaded before its request returns. On PostgreSQL, where several nodes
 * share the database, the change is announced with NOTIFY in its transaction and every node LISTENs:
 * the others reload within milliseconds of the commit. A notification can be missed (the listening
 * connection drops, a node restarts its connection), so each node also reloads every minute, and on
 * reconnecting. PGlite is one process: the in-process reload is all there is to do.
 * The listening itself is the kernel's (followChannel).
 */
import { followChannel, type Database } from '../../kernel/db/index.ts';
import type { Segmenter } from '../../kernel/search/index.ts';
import { allTerms, TERMS_CHANNEL } from './term.store.ts';

export const RELOAD_EVERY_MS = 60_000;

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
    const reloadLogged = () => void reload().catch(onError);
    const every = setInterval(reloadLogged, options.reloadEveryMs ?? RELOAD_EVERY_MS);
    every.unref();
    // What changed while nobody listened is loaded on (re)connecting.
    const unfollow = followChannel(db, options.databaseUrl, TERMS_CHANNEL, {
      onNotification: reloadLogged,
      onListening: reloadLogged,
      onError,
    });
    return async () => {
      clearInterval(every);
      await unfollow();
      await running?.catch(() => undefined);
    };
  }

  return { reload, start };
}

export type TermSync = ReturnType<typeof createTermSync>;
