/**
 * `yiwang start --workers N`: N server processes on one host sharing its port through node:cluster,
 * one per core, so a many-core host is used the way N nodes behind a load balancer would use it. The
 * nodes keep no state of their own (sessions, jobs, timers, the audit chain and the case counters
 * are in PostgreSQL), so this needs nothing from them but a server database: PGlite is one process's
 * embedded database and cannot be shared.
 *
 * The primary serves nothing. It starts one worker and waits until it listens (that one migrates and
 * seeds an empty database), then the others; it starts a new worker for one that dies (again, with a
 * growing pause, if the new one cannot start either: the database may be briefly away), gives up when
 * that happens more than five times in a minute, and stops them all on SIGINT or SIGTERM.
 *
 * Limits counted in memory (RATE_LIMIT_PER_MINUTE and the public-post limits derived from it) are
 * each worker's own, as they are each node's behind a load balancer. They are not divided: a client
 * on one keep-alive connection stays with one worker and would get only its share, and the derived
 * limits have floors that a division would push below. The login limit is counted in the database.
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
  /** Called once, when every worker listens, with the address they share. */
  onUp(address: string): void;
  /** One line to stderr. */
  say(line: string): void;
}

/** Runs the primary until it is stopped; resolves with the exit code. */
export function runPrimary(o: ClusterOptions): Promise<number> {
  const live = new Set<Worker>();
  const restarts: number[] = [];
  let up = false;
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

    /** Another worker in place of one that exited; after the first, each waits a second longer. */
    const replace = () => {
      const now = Date.now();
      restarts.push(now);
      while (restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length > RESTARTS_PER_MINUTE) {
        o.say(`workers keep exiting (${restarts.length} in a minute); stopping`);
        return stopAll(1);
      }
      setTimeout(
        () => {
          if (!stopping) fork().catch(() => {}); // its failure is handled where it exits
        },
        1000 * (restarts.length - 1),
      );
    };

    const fork = (): Promise<string> =>
      new Promise((listening, failed) => {
        const w = cluster.fork();
        const pid = w.process.pid;
        live.add(w);
        let listens = false;
        w.once('listening', (a) => {
          listens = true;
          listening(
            a.addressType === 6 ? `http://[${a.address}]:${a.port}` : `http://${a.address}:${a.port}`,
          );
        });
        w.once('exit', (code, signal) => {
          live.delete(w);
          if (stopping) return;
          // At start-up a worker that cannot start stops everything: the setting or the database is
          // wrong, and it has said why on stderr (it shares the primary's).
          if (!up) return failed(code || 1);
          const how = signal ?? `code ${code}`;
          o.say(
            listens
              ? `worker ${pid} exited (${how}); starting another`
              : `worker ${pid} could not start (${how}); trying again`,
          );
          replace();
        });
      });

    // The first worker alone: it migrates and seeds; the others then find the database ready.
    fork()
      .then(async (address) => {
        await Promise.all(Array.from({ length: o.workers - 1 }, fork));
        up = true;
        if (!stopping) o.onUp(address);
      })
      .catch((code: number) => stopAll(code));
  });
}
