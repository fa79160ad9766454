/**
 * Key rotation (密钥轮换) of the SM4 ciphertexts modules keep in their tables. Each ciphertext names its
 * key, so old and new keys work side by side; rotation re-encrypts, with the current key, every value
 * still under another one. A module describes its own tables (it alone reads them); the loop is shared:
 * rows in key order, batches of 500, each its own transaction, so a rotation can be stopped and run
 * again, and running it again changes nothing that is already current.
 */
import type { Transaction } from 'kysely';
import type { Database, DB, Executor } from '../db/index.ts';
import { Sm4Keyring } from './index.ts';

export const ROTATION_BATCH = 500;

/** A row's encrypted columns, by name; null where the row holds no value. */
export type Ciphertexts = Record<string, string | null>;

export interface CipherRow<K, V extends Ciphertexts = Ciphertexts> {
  /** the row's key: where the next batch starts, and which row to write */
  key: K;
  values: V;
}

/** One table holding ciphertexts, as its module reads and writes it. */
export interface CipherTable<K, V extends Ciphertexts = Ciphertexts> {
  /** Rows holding at least one ciphertext: the progress total. */
  count(ex: Executor): Promise<number>;
  /** Up to `limit` such rows after `after` (from the first when undefined), in key order. */
  batch(ex: Executor, after: K | undefined, limit: number): Promise<CipherRow<K, V>[]>;
  /**
   * Writes the re-encrypted values, only if the row still holds `was`: a value changed meanwhile is
   * not overwritten with the old one (it is under the current key already, or the next run takes it).
   */
  replace(tx: Transaction<DB>, key: K, values: V, was: V): Promise<void>;
}

export interface RotationResult {
  /** rows looked at */
  scanned: number;
  /** values re-encrypted */
  reencrypted: number;
}

/**
 * Re-encrypts the values of `tables`, one after the other, that are under a key other than the
 * keyring's current one. `onProgress` hears after each batch how many rows of all the tables are done.
 * A value under a key missing from the keyring stops the rotation (CryptoError); the batches before it
 * stay done.
 */
export async function reencryptTables(
  db: Database,
  keyring: Sm4Keyring,
  // Method parameters are bivariant, so tables of different key and column types fit one list.
  tables: readonly CipherTable<unknown, Ciphertexts>[],
  onProgress: (done: number, total: number) => void = () => {},
  batchSize = ROTATION_BATCH,
): Promise<RotationResult> {
  let total = 0;
  for (const t of tables) total += await t.count(db.kysely);
  const stale = (v: string | null): v is string => v !== null && Sm4Keyring.keyIdOf(v) !== keyring.currentId;
  let scanned = 0;
  let reencrypted = 0;
  for (const table of tables) {
    let after: unknown = undefined;
    for (;;) {
      const rows = await table.batch(db.kysely, after, batchSize);
      if (rows.length === 0) break;
      await db.kysely.transaction().execute(async (tx) => {
        for (const r of rows) {
          const fresh: Ciphertexts = { ...r.values };
          let changed = 0;
          for (const [column, value] of Object.entries(r.values))
            if (stale(value)) {
              fresh[column] = keyring.encrypt(keyring.decrypt(value));
              changed++;
            }
          if (changed === 0) continue;
          await table.replace(tx, r.key, fresh, r.values);
          reencrypted += changed;
        }
      });
      scanned += rows.length;
      after = rows.at(-1)!.key;
      onProgress(scanned, total);
      if (rows.length < batchSize) break;
    }
  }
  return { scanned, reencrypted };
}
