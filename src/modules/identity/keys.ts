/**
 * Key rotation (密钥轮换) for the personal data identity holds encrypted: ID numbers and TOTP secrets.
 * The kernel's loop (src/kernel/crypto/rotation.ts) re-encrypts, with the current key, every value
 * still under another one, in batches that each commit, so a rotation can be stopped and run again.
 */
import { appendAudit, systemContext } from '../../kernel/audit/index.ts';
import {
  reencryptTables,
  type CipherTable,
  type RotationResult,
  type Sm4Keyring,
} from '../../kernel/crypto/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import * as store from './account.store.ts';

export type { RotationResult } from '../../kernel/crypto/index.ts';

type AccountCiphertexts = { idNumberEnc: string | null; mfaSecretEnc: string | null };

const accounts: CipherTable<{ tenantId: string; id: number }, AccountCiphertexts> = {
  count: (ex) => store.countEncrypted(ex),
  async batch(ex, after, limit) {
    const rows = await store.encryptedBatch(ex, after?.tenantId ?? '', after?.id ?? 0, limit);
    return rows.map((r) => ({
      key: { tenantId: r.tenantId, id: r.id },
      values: { idNumberEnc: r.idNumberEnc, mfaSecretEnc: r.mfaSecretEnc },
    }));
  },
  replace: (tx, key, values, was) => store.setEncrypted(tx, key.tenantId, key.id, values, was),
};

export async function rotateKeys(
  db: Database,
  keyring: Sm4Keyring,
  onProgress?: (done: number, total: number) => void,
): Promise<RotationResult> {
  const result = await reencryptTables(db, keyring, [accounts], onProgress);
  await appendAudit(db.kysely, systemContext(), {
    action: 'keys.rotated',
    objectType: 'sm4_key',
    objectId: keyring.currentId,
    detail: { module: 'identity', ...result },
  });
  return result;
}
