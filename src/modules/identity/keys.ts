/**
 * Key rotation (密钥轮换) for the personal data identity holds encrypted: ID numbers and TOTP secrets.
 * Each ciphertext names its key, so old and new keys work side by side; rotation re-encrypts, with the
 * current key, every value still under another one. Batches of 500, each its own transaction, so a
 * rotation can be stopped and run again; running it again changes nothing that is already current.
 */
import { appendAudit, systemContext } from '../../kernel/audit/index.ts';
import { Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import * as store from './account.store.ts';

const BATCH = 500;

export interface RotationResult {
  /** accounts looked at */
  scanned: number;
  /** values re-encrypted */
  reencrypted: number;
}

export async function rotateKeys(
  db: Database,
  keyring: Sm4Keyring,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<RotationResult> {
  const total = await store.countEncrypted(db.kysely);
  const stale = (v: string | null) => v !== null && Sm4Keyring.keyIdOf(v) !== keyring.currentId;
  const again = (v: string | null) => (v !== null && stale(v) ? keyring.encrypt(keyring.decrypt(v)) : v);
  let scanned = 0;
  let reencrypted = 0;
  let after = { tenantId: '', id: 0 };
  for (;;) {
    const rows = await store.encryptedBatch(db.kysely, after.tenantId, after.id, BATCH);
    if (rows.length === 0) break;
    await db.kysely.transaction().execute(async (trx) => {
      for (const r of rows) {
        if (!stale(r.idNumberEnc) && !stale(r.mfaSecretEnc)) continue;
        reencrypted += Number(stale(r.idNumberEnc)) + Number(stale(r.mfaSecretEnc));
        await store.setEncrypted(
          trx,
          r.tenantId,
          r.id,
          { idNumberEnc: again(r.idNumberEnc), mfaSecretEnc: again(r.mfaSecretEnc) },
          r,
        );
      }
    });
    scanned += rows.length;
    const last = rows.at(-1)!;
    after = { tenantId: last.tenantId, id: last.id };
    onProgress(scanned, total);
  }
  await appendAudit(db.kysely, systemContext(), {
    action: 'keys.rotated',
    objectType: 'sm4_key',
    objectId: keyring.currentId,
    detail: { scanned, reencrypted },
  });
  return { scanned, reencrypted };
}
