import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { transactionBatcher, type Settled } from './index.ts';

describe('transactionBatcher (group commit)', () => {
  let test: TestDatabase;
  before(async () => {
    test = await createTestDatabase();
    await sql`create table batch_unit (id int primary key, tx bigint not null)`.execute(test.db.kysely);
  });
  after(() => test.drop());

  const rows = async () =>
    (
      await sql<{ id: number; tx: string }>`select id, tx::text from batch_unit order by id`.execute(
        test.db.kysely,
      )
    ).rows;

  /**
   * Units are ids: negative ones are refused before writing; ids divisible by 100 make the whole
   * transaction fail after their write (a statement error), as a bug or a failed COMMIT would.
   */
  function batcher(groups: number[][], maxInFlight = 2) {
    return transactionBatcher<number, number>(
      test.db,
      async (tx, ids) => {
        groups.push([...ids]);
        const out: Settled<number>[] = [];
        for (const id of ids) {
          if (id < 0) {
            out.push({ ok: false, error: new Error(`refused ${id}`) });
            continue;
          }
          await sql`insert into batch_unit (id, tx) values (${id}, txid_current())`.execute(tx);
          if (id % 100 === 0) await sql`select 1 / 0`.execute(tx);
          out.push({ ok: true, value: id * 2 });
        }
        return out;
      },
      { maxBatch: 8, maxInFlight },
    );
  }

  it('runs a unit at once when idle, and groups the units that arrive meanwhile', async () => {
    const groups: number[][] = [];
    const submit = batcher(groups);
    assert.equal(await submit(1), 2);
    assert.deepEqual(groups, [[1]]);
    const ids = Array.from({ length: 30 }, (_, i) => 10 + i);
    assert.deepEqual(
      await Promise.all(ids.map((id) => submit(id))),
      ids.map((id) => id * 2),
    );
    // The first goes alone; those queued behind it go in groups of at most 8, in arrival order.
    const burst = groups.slice(1);
    assert.deepEqual(
      burst.find((g) => g.includes(10)),
      [10],
    );
    assert.ok(burst.every((g) => g.length <= 8 && g.every((id, i) => i === 0 || id === g[i - 1]! + 1)));
    assert.ok(burst.some((g) => g.length > 1));
    assert.deepEqual(
      burst.flat().sort((a, b) => a - b),
      ids,
    );
    const written = await rows();
    const txOf = new Map(written.map((r) => [r.id, r.tx]));
    for (const g of groups) assert.equal(new Set(g.map((id) => txOf.get(id))).size, 1);
    assert.ok(new Set(txOf.values()).size < ids.length);
  });

  it('a refused unit fails alone; its group commits', async () => {
    const groups: number[][] = [];
    const submit = batcher(groups, 1);
    const blocker = submit(50);
    const results = await Promise.allSettled([submit(51), submit(-1), submit(52)]);
    await blocker;
    assert.deepEqual(groups.slice(1), [[51, -1, 52]]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))),
      [102, 'Error: refused -1', 104],
    );
    assert.deepEqual(
      (await rows()).filter((r) => r.id >= 50 && r.id < 60).map((r) => r.id),
      [50, 51, 52],
    );
  });

  it('when a group fails as a whole, each unit runs again alone: only the failing one fails', async () => {
    const groups: number[][] = [];
    const submit = batcher(groups, 1);
    const blocker = submit(60);
    const results = await Promise.allSettled([submit(61), submit(200), submit(62)]);
    await blocker;
    assert.deepEqual(groups.slice(1), [[61, 200, 62], [61], [200], [62]]);
    assert.equal(results[0]!.status === 'fulfilled' && results[0].value, 122);
    assert.match(String(results[1]!.status === 'rejected' && results[1].reason), /division by zero/);
    assert.equal(results[2]!.status === 'fulfilled' && results[2].value, 124);
    const written = (await rows()).map((r) => r.id);
    assert.ok(!written.includes(200));
    assert.ok(written.includes(61) && written.includes(62));
  });
});
