import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Transaction } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import type { DB, Executor } from '../db/index.ts';
import { reencryptTables, Sm4Keyring, type CipherTable } from './index.ts';

const OLD = { id: 'old1', key: Buffer.from('00112233445566778899aabbccddeeff', 'hex') };
const NEW = { id: 'new2', key: Buffer.from('ffeeddccbbaa99887766554433221100', 'hex') };
const GONE = { id: 'gone', key: Buffer.from('0f0e0d0c0b0a09080706050403020100', 'hex') };

type Row = { id: number; a: string | null; b: string | null };

describe('reencryptTables (key rotation)', () => {
  let test: TestDatabase;
  before(async () => {
    test = await createTestDatabase();
    await sql`create table rekey_row (id int primary key, a text, b text)`.execute(test.db.kysely);
  });
  after(() => test.drop());

  const rows = async () =>
    (await sql<Row>`select id, a, b from rekey_row order by id`.execute(test.db.kysely)).rows;

  /** The scratch table as a module would describe it; `onReplace` runs before each write. */
  function table(
    onReplace: (tx: Transaction<DB>, id: number) => Promise<void> = async () => {},
  ): CipherTable<number> {
    return {
      count: async (ex: Executor) =>
        (await sql<{ n: number }>`select count(*)::int as n from rekey_row`.execute(ex)).rows[0]!.n,
      batch: async (ex, afterId, limit) =>
        (
          await sql<Row>`select id, a, b from rekey_row where id > ${afterId ?? 0} order by id limit ${limit}`.execute(
            ex,
          )
        ).rows.map((r) => ({ key: r.id, values: { a: r.a, b: r.b } })),
      async replace(tx, id, values, was) {
        await onReplace(tx, id);
        await sql`update rekey_row set a = ${values.a}, b = ${values.b}
          where id = ${id} and a is not distinct from ${was.a} and b is not distinct from ${was.b}`.execute(
          tx,
        );
      },
    };
  }

  async function fill(keyring: Sm4Keyring, n: number) {
    await sql`truncate rekey_row`.execute(test.db.kysely);
    for (let id = 1; id <= n; id++)
      await sql`insert into rekey_row values (${id}, ${keyring.encrypt(`a${id}`)}, ${id % 2 ? keyring.encrypt(`b${id}`) : null})`.execute(
        test.db.kysely,
      );
  }

  it('re-encrypts every old value in batches, keeps its plaintext, and a second run changes nothing', async () => {
    await fill(new Sm4Keyring([OLD], OLD.id), 5);
    const keyring = new Sm4Keyring([OLD, NEW], NEW.id);
    const progress: [number, number][] = [];
    const first = await reencryptTables(test.db, keyring, [table()], (d, t) => progress.push([d, t]), 2);
    // ids 1, 3, 5 hold two values, 2 and 4 one
    assert.deepEqual(first, { scanned: 5, reencrypted: 8 });
    assert.deepEqual(progress, [
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
    for (const r of await rows()) {
      assert.equal(Sm4Keyring.keyIdOf(r.a!), NEW.id);
      assert.equal(keyring.decrypt(r.a!), `a${r.id}`);
      assert.equal(r.b === null ? null : keyring.decrypt(r.b), r.id % 2 ? `b${r.id}` : null);
    }
    const before = await rows();
    assert.deepEqual(await reencryptTables(test.db, keyring, [table()], undefined, 2), {
      scanned: 5,
      reencrypted: 0,
    });
    assert.deepEqual(await rows(), before);
  });

  it('does not overwrite a value changed after its batch was read', async () => {
    await fill(new Sm4Keyring([OLD], OLD.id), 3);
    const keyring = new Sm4Keyring([OLD, NEW], NEW.id);
    const changed = keyring.encrypt('changed meanwhile');
    // The change lands between the read and the write, as an enrolment or an edit would.
    const racing = table(async (tx, id) => {
      if (id === 2) await sql`update rekey_row set a = ${changed} where id = 2`.execute(tx);
    });
    await reencryptTables(test.db, keyring, [racing]);
    const [one, two] = await rows();
    assert.equal(two!.a, changed);
    assert.equal(keyring.decrypt(one!.a!), 'a1');
  });

  it('stops at a value under a key it does not have, keeping the batches done; the next run resumes', async () => {
    await fill(new Sm4Keyring([OLD], OLD.id), 5);
    await sql`update rekey_row set a = ${new Sm4Keyring([GONE], GONE.id).encrypt('a4')} where id = 4`.execute(
      test.db.kysely,
    );
    const without = new Sm4Keyring([OLD, NEW], NEW.id);
    await assert.rejects(reencryptTables(test.db, without, [table()], undefined, 2), /SM4 key gone/);
    const done = await rows();
    assert.deepEqual(
      done.map((r) => Sm4Keyring.keyIdOf(r.a!)),
      [NEW.id, NEW.id, OLD.id, GONE.id, OLD.id],
    );
    const all = new Sm4Keyring([OLD, NEW, GONE], NEW.id);
    // ids 1 and 2 are current already: only 3, 4 and 5 are re-encrypted (2 + 1 + 2 values)
    assert.deepEqual(await reencryptTables(test.db, all, [table()], undefined, 2), {
      scanned: 5,
      reencrypted: 5,
    });
    assert.ok((await rows()).every((r) => Sm4Keyring.keyIdOf(r.a!) === NEW.id));
  });

  it('runs several tables one after the other, with one progress total', async () => {
    await fill(new Sm4Keyring([OLD], OLD.id), 3);
    const keyring = new Sm4Keyring([OLD, NEW], NEW.id);
    const progress: [number, number][] = [];
    const r = await reencryptTables(test.db, keyring, [table(), table()], (d, t) => progress.push([d, t]));
    assert.deepEqual(r, { scanned: 6, reencrypted: 5 });
    assert.deepEqual(progress, [
      [3, 6],
      [6, 6],
    ]);
  });
});
