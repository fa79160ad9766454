/**
 * `yiwang start --workers N`: N server processes on one host sharing its port through node:cluster,
 * one per core, so a many-core host is used the way N nodes behind a load balancer would use it. The
 * nodes keep no state of their own (sessions, jobs, timers, the audit chain and the case counters
 * are in PostgreSQL), so this needs nothing from them but a server database: PGlite is one process's
 * embedded database and cannot be shared.
 *
 * The primary serves nothing. It starts one worker and waits until it listens (that one migrates and
 * seeds an empty database), then the others; it starts a new worker for one that dies, and stops
 * them all on SIGINT or SIGTERM. The per-address request limit (RATE_LIMIT_PER_MINUTE, and the
 * public-post limits derived from it) is counted in each process's memory, so each worker gets its
 * share; the login limit is counted in the database and stays exact.
 */
import cluster, { type Worker } from 'node:cluster';

/** The most workers a host gets: more than its cores only adds contention. */
export const MAX_WORKERS = 64;

/** Restarts allowed in a minute before the primary gives up (a worker that cannot start at all). */
const RESTARTS_PER_MINUTE = 5;
/** How long a stopping worker gets to finish its requests before it is killed. */
const STOP_GRACE_MS = 30_000;

export interface ClusterOptions {
  workers: number;
  /** the host's RATE_LIMIT_PER_MINUTE, shared out among the workers */
  rateLimitPerMinute: number;
  /** Called once, when every worker listens, with the address they share. */
  onUp(address: string): void;
  /** One line to stderr. */
  say(line: string): void;
}

/** Runs the primary until it is stopped; resolves with the exit code. */
export function runPrimary(o: ClusterOptions): Promise<number> {
  const env = { RATE_LIMIT_PER_MINUTE: String(Math.max(1, Math.ceil(o.rateLimitPerMinute / o.workers))) };
  const live = new Set<Worker>();
  const restarts: number[] = [];
  let stopping = false;

  return new Promise<number>((resolve) => {
    const stopAll = (code: number) => {
      if (stopping) return;
      stopping = true;
      if (live.size === 0) return resolve(code);
      const kill = setTimeout(() => {
        for (const w of live) w.process.kill('SIGKILL');
      }, STOP_GRACE_MS);
      kill.unref();
      for (const w of live) {
        w.once('exit', () => {
          live.delete(w);
          if (live.size === 0) {
            clearTimeout(kill);
            resolve(code);
          }
        });
        w.process.kill('SIGTERM');
      }
    };
    process.once('SIGINT', () => stopAll(0));
    process.once('SIGTERM', () => stopAll(0));

    const fork = (): Promise<string> =>
      new Promise((listening, failed) => {
        const w = cluster.fork(env);
        live.add(w);
        let up = false;
        w.once('listening', (a) => {
          up = true;
          listening(
            a.addressType === 6 ? `http://[${a.address}]:${a.port}` : `http://${a.address}:${a.port}`,
          );
        });
        w.once('exit', (code, signal) => {
          live.delete(w);
          if (!up) return failed(code || 1);
          if (stopping) return;
          const now = Date.now();
          restarts.push(now);
          while (restarts[0]! < now - 60_000) restarts.shift();
          if (restarts.length > RESTARTS_PER_MINUTE) {
            o.say(`workers keep exiting (${restarts.length} in a minute); stopping`);
            return stopAll(1);
          }
          o.say(`worker ${w.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
          fork().catch((c: number) => stopAll(c));
        });
      });

    // The first worker alone: it migrates and seeds; the others then find the database ready.
    fork()
      .then(async (address) => {
        await Promise.all(Array.from({ length: o.workers - 1 }, fork));
        if (!stopping) o.onUp(address);
      })
      // A worker that cannot start has said why on stderr (it shares the primary's).
      .catch((code: number) => stopAll(code));
  });
}
