/**
 * Following a PostgreSQL NOTIFY channel: what several nodes on one database use to tell each other of a
 * change (a site's dictionary, its sensitive words, an interview's new transcript entry).
 *
 * LISTEN needs a connection of its own, held open: a pooled one goes back to the pool and its
 * notifications with it. The Database keeps its pool to itself, so this opens one client to the same
 * database (DATABASE_URL's server and credentials, with the database the pool is on: tests and tools
 * may hand buildApp a pool on another database of that server). A dropped connection is opened again
 * after RECONNECT_AFTER_MS; notifications sent meanwhile are lost, so `onListening` runs on every
 * (re)connection for the follower to catch up.
 */
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from './index.ts';

const RECONNECT_AFTER_MS = 5_000;

export interface ChannelFollower {
  /** a notification's payload ('' when it has none) */
  onNotification(payload: string): void;
  /** listening, first or again after a drop: catch up on what may have been missed */
  onListening(): void;
  onError(e: unknown): void;
}

/**
 * Listens on `channel` until the returned function is called; nothing on PGlite or without a
 * DATABASE_URL (one process: whoever changes something tells its own node directly).
 */
export function followChannel(
  db: Database,
  databaseUrl: string | undefined,
  channel: string,
  follower: ChannelFollower,
): () => Promise<void> {
  if (db.kind !== 'postgres' || !databaseUrl) return async () => undefined;
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

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
    if (stopped) return;
    let c: pg.Client | null = null;
    try {
      const r = await sql<{ name: string }>`select current_database() as name`.execute(db.kysely);
      const url = new URL(databaseUrl!);
      url.pathname = `/${encodeURIComponent(r.rows[0]!.name)}`;
      if (stopped) return;
      c = new pg.Client({ connectionString: url.toString() });
      const self = c;
      client = self;
      self.on('notification', (n) => follower.onNotification(n.payload ?? ''));
      self.on('error', (e) => {
        if (stopped) return;
        follower.onError(e);
        if (client === self) reconnectLater();
      });
      self.on('end', () => {
        if (client === self) reconnectLater();
      });
      await self.connect();
      await self.query(`listen ${channel}`);
      // Stopped meanwhile: the stop has ended it (ending twice is harmless).
      if (stopped) return void self.end().catch(() => undefined);
      follower.onListening();
    } catch (e) {
      if (stopped) return;
      follower.onError(e);
      if (c === null || client === c) reconnectLater();
    }
  }
  void listen();

  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}
