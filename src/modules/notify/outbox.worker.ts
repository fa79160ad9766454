/**
 * The mail worker: every node runs one; the outbox rows are the truth, so any node may send any row,
 * and a node that stops or dies loses nothing. A sweep claims due rows (skipping those another node
 * holds), sends each through the SMTP server outside any transaction — a slow server holds no
 * connection and no lock — and writes the outcome back: sent; or the error, with the next attempt after
 * an exponential backoff (1 min, 2, 4 … capped at 6 h); after MAX_ATTEMPTS the row is 'failed' and kept.
 *
 * Delivery is at least once: a node that dies after the server accepted a message but before it wrote
 * 'sent' sends it again when the lease ends. That is the only way a message is sent twice.
 */
import type { Database } from '../../kernel/db/index.ts';
import { MailError, type Mailer } from '../../kernel/mail/index.ts';
import { claimDue, markFailed, markSent, release, type ClaimedMail } from './outbox.store.ts';
import { composeMail, type MailSite } from './templates.ts';

export const OUTBOX = {
  /** Attempts before a row is given up as 'failed' (about 20 hours of retries). */
  maxAttempts: 12,
  firstRetryMs: 60_000,
  maxRetryMs: 6 * 3_600_000,
  /** How long a claimed row stays hidden from other sweeps: well past the mailer's timeouts × rounds. */
  leaseMs: 10 * 60_000,
  batch: 20,
  /** Messages sent at once within a sweep. */
  parallel: 4,
} as const;

/** The wait after the n-th failed attempt (n >= 1). */
export function retryDelayMs(attempts: number): number {
  return Math.min(OUTBOX.firstRetryMs * 2 ** Math.max(0, attempts - 1), OUTBOX.maxRetryMs);
}

/** Errors that no retry can fix: the address itself is unusable. */
const PERMANENT = new Set(['EADDRESS']);

export interface SweepDeps {
  db: Database;
  mailer: Mailer;
  /** The site a message comes from and links to (called outside any transaction). */
  siteOf(tenantId: string): Promise<MailSite>;
}

export interface SweepResult {
  claimed: number;
  sent: number;
  failed: number;
}

/**
 * One sweep: claims the rows due at `at` (default now) and tries each once. `stopping` is asked before
 * each send; rows not yet tried when it says yes are given back untouched.
 */
export async function sweepOutbox(
  deps: SweepDeps,
  options: { at?: Date; stopping?: () => boolean } = {},
): Promise<SweepResult> {
  const at = options.at ?? new Date();
  const { db } = deps;
  const rows = await claimDue(db.kysely, at, new Date(at.getTime() + OUTBOX.leaseMs), OUTBOX.batch);
  const result: SweepResult = { claimed: rows.length, sent: 0, failed: 0 };
  const sites = new Map<string, Promise<MailSite>>();
  const siteOf = (tenantId: string) => {
    let site = sites.get(tenantId);
    if (!site) sites.set(tenantId, (site = deps.siteOf(tenantId)));
    return site;
  };

  async function attempt(row: ClaimedMail) {
    if (options.stopping?.()) return release(db.kysely, row, at);
    try {
      const mail = composeMail({ ...row, site: await siteOf(row.tenantId) });
      await deps.mailer.send({ to: row.to, ...mail });
    } catch (e) {
      result.failed++;
      const code = e instanceof MailError ? e.code : '';
      const retry = !PERMANENT.has(code) && row.attempts < OUTBOX.maxAttempts;
      const retryAt = retry ? new Date(at.getTime() + retryDelayMs(row.attempts)) : null;
      return markFailed(db.kysely, row, errorText(e), retryAt);
    }
    result.sent++;
    return markSent(db.kysely, row, new Date());
  }

  const queue = [...rows];
  await Promise.all(
    Array.from({ length: Math.min(OUTBOX.parallel, queue.length) }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) await attempt(row);
    }),
  );
  return result;
}

/** What is recorded of a failure: the mailer's code and the server's status, never a credential. */
function errorText(e: unknown): string {
  if (e instanceof MailError) return e.message;
  return `error: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500);
}

export interface WorkerLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Starts the sweeps: right after this node queued a mail (for a few seconds, since the queuing
 * transaction commits a moment later), again at once while there is more, and otherwise every
 * `idleMs` (for retries and for rows other nodes queued). Returns stop(), which waits for the sweep
 * in progress and gives back what it has not tried.
 */
export function startOutboxWorker(
  deps: SweepDeps,
  log: WorkerLog,
  options: { tickMs?: number; idleMs?: number } = {},
): { stop(): Promise<void>; queued(): void } {
  const tickMs = options.tickMs ?? 500;
  const idleMs = options.idleMs ?? 30_000;
  let stopped = false;
  let busy = false;
  let more = true; // sweep at start: rows left by a stopped or crashed node
  let lastSweep = 0;
  let lastQueued = 0;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    const now = Date.now();
    if (stopped || busy || !(more || now - lastQueued < 5_000 || now - lastSweep >= idleMs)) return;
    busy = true;
    lastSweep = now;
    running = sweepOutbox(deps, { stopping: () => stopped })
      .then((r) => {
        more = r.claimed === OUTBOX.batch;
        if (r.failed > 0)
          log.warn({ failed: r.failed, sent: r.sent }, 'notification e-mails not sent; will retry');
      })
      .catch((e: unknown) => {
        more = false;
        log.error({ err: e }, 'notification outbox sweep failed');
      })
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, tickMs);
  timer.unref();
  return {
    queued() {
      lastQueued = Date.now();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
