/**
 * Group commit for small units of work that all serialise on one row (a gap-free counter): units
 * that arrive while others are running are queued and run together in one transaction, so the
 * row is locked, and the WAL flushed, once per group instead of once per unit. An idle system runs
 * a unit at once, alone; under load the groups grow by themselves.
 *
 * A unit that refuses (its `run` reports an error for it) does not hold the others back. A group
 * whose transaction fails as a whole — a statement error, a failed COMMIT, a bug — is run again
 * one unit per transaction, so each unit gets exactly the outcome it would have had alone.
 */
import type { Transaction } from 'kysely';
import type { Database, DB } from './index.ts';

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface BatchOptions {
  /** most units in one transaction */
  maxBatch: number;
  /** most transactions of this batcher at once (each holds a pooled connection) */
  maxInFlight: number;
}

/**
 * Returns `submit(unit)`, which resolves with the unit's value or rejects with its error. `run` is
 * given the units of one transaction, in arrival order, and returns one outcome per unit; it must
 * not write anything for a unit it refuses.
 */
export function transactionBatcher<U, R>(
  db: Database,
  run: (tx: Transaction<DB>, units: readonly U[]) => Promise<Settled<R>[]>,
  options: BatchOptions,
): (unit: U) => Promise<R> {
  interface Waiting {
    unit: U;
    resolve(value: R): void;
    reject(error: unknown): void;
  }
  const queue: Waiting[] = [];
  let inFlight = 0;

  async function execute(group: Waiting[]): Promise<void> {
    let outcomes: Settled<R>[];
    try {
      outcomes = await db.kysely.transaction().execute(async (tx) => {
        const r = await run(
          tx,
          group.map((w) => w.unit),
        );
        if (r.length !== group.length)
          throw new Error(`batch: ${r.length} outcomes for ${group.length} units`);
        return r;
      });
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      for (const w of group) await execute([w]);
      return;
    }
    outcomes.forEach((o, i) => (o.ok ? group[i]!.resolve(o.value) : group[i]!.reject(o.error)));
  }

  function pump(): void {
    while (queue.length > 0 && inFlight < options.maxInFlight) {
      const group = queue.splice(0, options.maxBatch);
      inFlight++;
      void execute(group).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return (unit) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ unit, resolve, reject });
      pump();
    });
}
