/**
 * The live transcript's fan-out (直播): server-sent events to every viewer of an interview.
 *
 * One hub per interview on each node holds that node's viewers (their open responses). A post is
 * written in a transaction (interview.service.ts) that NOTIFYs `yiwang_interviews` with only the
 * interview and the entry's number (a payload is limited to 8000 bytes, and the row is the truth);
 * every node LISTENs on one connection of its own, and on a notification its hub reads the new rows
 * once and writes each as one preformatted string to all its viewers — the cost of a post is one
 * query per node, one JSON.stringify per entry, then a socket write per viewer. The node that
 * wrote is told directly after the commit as well (the notification reaches it too, a few
 * milliseconds later, and finds nothing new). PGlite is one process: the direct call is all there is.
 *
 * Order and resumption. Entry numbers are taken under the interview's row lock, so they commit in
 * order; the hub keeps a cursor (the last number it sent) and reads "after the cursor", so nothing is
 * sent twice or skipped, whatever order notifications arrive in. A viewer that reconnects says the
 * last id it saw (Last-Event-ID, which EventSource sends by itself) and gets the entries after it
 * before joining the live stream, in the hub's one queue so the two cannot interleave.
 *
 * Heartbeats: a comment line every 15 s keeps proxies from closing an idle stream, and on each one
 * the hub also looks for rows it was not told of (a notification lost while the LISTEN connection was
 * down). Backpressure: a viewer whose socket has more than `maxBufferBytes` unsent is cut off rather
 * than buffered without bound (its EventSource reconnects and resumes from its last id). On shutdown
 * every stream is ended, so the server can close.
 */
import type { ServerResponse } from 'node:http';
import { sql } from 'kysely';
import { followChannel, type Database, type Executor } from '../../kernel/db/index.ts';
import { entriesAfter, type Entry } from './interview.store.ts';

export const LIVE_CHANNEL = 'yiwang_interviews';
export const HEARTBEAT_MS = 15_000;
/** Rows read per query when catching up. */
const PAGE = 500;

export interface LiveHubOptions {
  /** The PostgreSQL server's URL (DATABASE_URL); no LISTEN without it. */
  databaseUrl?: string | undefined;
  heartbeatMs?: number;
  /** A viewer with more than this unsent is dropped (default 256 KiB). */
  maxBufferBytes?: number;
  /** Viewers this node takes at most (default 20,000); the next get 503. */
  maxViewers?: number;
  /** An entry as the stream sends it (the same JSON as the API's). */
  view(tenantId: string, interviewId: number, e: Entry): unknown;
}

interface Viewer {
  res: ServerResponse;
  closed: boolean;
}

interface Hub {
  key: string;
  tenantId: string;
  interviewId: number;
  viewers: Set<Viewer>;
  /** the last entry number sent to this hub's viewers (undefined until the first viewer joins) */
  cursor: number | undefined;
  /** one task at a time: joining viewers and reading new rows never interleave */
  queue: Promise<void>;
}

/**
 * A withdrawal (撤回) is its own event, so a page replaces the entry it names instead of appending; it
 * still carries the next number as its id, so resuming after it (Last-Event-ID) works as for any entry.
 */
export const eventOf = (e: Entry) => (e.kind === 'withdrawal' ? 'withdrawal' : 'entry');

/** One entry as an SSE message: its number is the event's id. */
export function sseMessage(seq: number, data: unknown, event = 'entry'): string {
  return `id: ${seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function createLiveHub(db: Database, options: LiveHubOptions) {
  const hubs = new Map<string, Hub>();
  const maxBuffer = options.maxBufferBytes ?? 256 * 1024;
  const maxViewers = options.maxViewers ?? 20_000;
  let viewerCount = 0;
  let dropped = 0;
  let onError: (e: unknown) => void = () => undefined;

  const keyOf = (tenantId: string, id: number) => `${tenantId}:${id}`;

  function enqueue(hub: Hub, task: () => Promise<void>) {
    hub.queue = hub.queue.then(task).catch((e) => onError(e));
    return hub.queue;
  }

  function write(v: Viewer, chunk: string) {
    if (v.closed) return;
    if (v.res.writableLength > maxBuffer) {
      dropped++;
      v.closed = true;
      v.res.destroy();
      return;
    }
    v.res.write(chunk);
  }

  function broadcast(hub: Hub, chunk: string) {
    for (const v of hub.viewers) write(v, chunk);
  }

  /** Reads what was committed after the cursor and sends it to every viewer. */
  async function catchUp(hub: Hub) {
    if (hub.cursor === undefined || hub.viewers.size === 0) return;
    for (;;) {
      const rows = await entriesAfter(db.kysely, hub.tenantId, hub.interviewId, hub.cursor, PAGE);
      for (const e of rows) {
        broadcast(hub, sseMessage(e.seq, options.view(hub.tenantId, hub.interviewId, e), eventOf(e)));
        hub.cursor = e.seq;
      }
      if (rows.length < PAGE) return;
    }
  }

  async function lastSeq(tenantId: string, interviewId: number): Promise<number> {
    const r = await db.kysely
      .selectFrom('interviews.entry')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('tenant_id', '=', tenantId)
      .where('interview_id', '=', interviewId)
      .executeTakeFirst();
    return Number(r?.seq ?? 0);
  }

  function wake(tenantId: string, interviewId: number, seq?: number) {
    const hub = hubs.get(keyOf(tenantId, interviewId));
    if (!hub || (seq !== undefined && hub.cursor !== undefined && seq <= hub.cursor)) return;
    void enqueue(hub, () => catchUp(hub));
  }

  return {
    /** Whether this node takes another viewer. */
    full: () => viewerCount >= maxViewers,

    /**
     * Streams an interview's entries after `after` (null: only new ones) to `res`, whose headers the
     * caller has written. Resolves once the viewer has joined the live stream.
     */
    subscribe(
      tenantId: string,
      interviewId: number,
      res: ServerResponse,
      after: number | null,
    ): Promise<void> {
      const key = keyOf(tenantId, interviewId);
      let hub = hubs.get(key);
      if (!hub) {
        hub = { key, tenantId, interviewId, viewers: new Set(), cursor: undefined, queue: Promise.resolve() };
        hubs.set(key, hub);
      }
      const h = hub;
      const v: Viewer = { res, closed: false };
      viewerCount++;
      res.once('close', () => {
        v.closed = true;
        viewerCount--;
        h.viewers.delete(v);
        if (h.viewers.size === 0 && hubs.get(key) === h) {
          // Forget the hub once its queue is idle; a viewer joining meanwhile revives it.
          void h.queue.then(() => {
            if (h.viewers.size === 0 && hubs.get(key) === h) hubs.delete(key);
          });
        }
      });
      return enqueue(h, async () => {
        if (v.closed) return;
        h.cursor ??= await lastSeq(tenantId, interviewId);
        let from = after === null ? h.cursor : Math.min(after, h.cursor);
        while (from < h.cursor && !v.closed) {
          const rows = await entriesAfter(db.kysely, tenantId, interviewId, from, PAGE);
          for (const e of rows) {
            if (e.seq > h.cursor) break;
            write(v, sseMessage(e.seq, options.view(tenantId, interviewId, e), eventOf(e)));
          }
          if (rows.length < PAGE) break;
          from = rows[rows.length - 1]!.seq;
        }
        if (!v.closed) h.viewers.add(v);
      });
    },

    /** After a commit on this node: the hub reads and sends what is new. */
    published(tenantId: string, interviewId: number, seq: number) {
      wake(tenantId, interviewId, seq);
    },

    /** In the writing transaction: tells every node (PostgreSQL, at commit). */
    async announce(tx: Executor, tenantId: string, interviewId: number, seq: number) {
      if (db.kind !== 'postgres') return;
      await sql`select pg_notify(${LIVE_CHANNEL}, ${`${tenantId}:${interviewId}:${seq}`})`.execute(tx);
    },

    stats: () => ({ interviews: hubs.size, viewers: viewerCount, dropped }),

    /** Ends every stream (shutdown): EventSource reconnects to another node and resumes. */
    closeAll() {
      for (const hub of hubs.values()) for (const v of hub.viewers) v.res.end();
    },

    /** Heartbeats, and on PostgreSQL the LISTEN connection; returns the function that stops both. */
    start(reportError: (e: unknown) => void): () => Promise<void> {
      onError = reportError;
      const beat = setInterval(() => {
        for (const hub of hubs.values()) {
          broadcast(hub, ': ping\n\n');
          void enqueue(hub, () => catchUp(hub));
        }
      }, options.heartbeatMs ?? HEARTBEAT_MS);
      beat.unref();
      const unfollow = followChannel(db, options.databaseUrl, LIVE_CHANNEL, {
        onNotification: (payload) => {
          const [tenantId, id, seq] = payload.split(':');
          if (tenantId && id && seq) wake(tenantId, Number(id), Number(seq));
        },
        // What was posted while nobody listened.
        onListening: () => {
          for (const hub of hubs.values()) void enqueue(hub, () => catchUp(hub));
        },
        onError: reportError,
      });
      return async () => {
        clearInterval(beat);
        await unfollow();
      };
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
