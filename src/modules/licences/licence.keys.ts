/**
 * Key rotation (密钥轮换) for what licences holds SM4-encrypted: the holders' ID numbers and the private
 * halves of the departments' SM2 signing keys. The kernel's loop (src/kernel/crypto/rotation.ts)
 * re-encrypts, with the current key, every value still under another one, in batches that each
 * commit, so a rotation can be stopped and run again. The plaintexts do not change, so every
 * signature and stored digest stays as it was. The SQL is here rather than in the store: it is the
 * rotation's alone.
 */
import { sql } from 'kysely';
import { appendAudit, systemContext } from '../../kernel/audit/index.ts';
import {
  reencryptTables,
  type CipherTable,
  type RotationResult,
  type Sm4Keyring,
} from '../../kernel/crypto/index.ts';
import type { Database } from '../../kernel/db/index.ts';

// Every site's rows in both tables: the keys are the deployment's, not a site's.

const holders: CipherTable<{ tenantId: string; id: string }, { holderIdEnc: string }> = {
  async count(ex) {
    const r = await ex
      .selectFrom('licences.licence')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async batch(ex, after, limit) {
    let q = ex.selectFrom('licences.licence').select(['tenant_id', 'id', 'holder_id_enc']);
    if (after) q = q.where(sql<boolean>`(tenant_id, id) > (${after.tenantId}, ${after.id})`);
    const rows = await q.orderBy('tenant_id').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({
      key: { tenantId: r.tenant_id, id: r.id },
      values: { holderIdEnc: r.holder_id_enc },
    }));
  },
  async replace(tx, key, values, was) {
    await tx
      .updateTable('licences.licence')
      .set({ holder_id_enc: values.holderIdEnc })
      .where('tenant_id', '=', key.tenantId)
      .where('id', '=', key.id)
      .where('holder_id_enc', '=', was.holderIdEnc)
      .execute();
  },
};

const signingKeys: CipherTable<{ tenantId: string; keyId: string }, { privateKeyEnc: string }> = {
  async count(ex) {
    const r = await ex
      .selectFrom('licences.signing_key')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async batch(ex, after, limit) {
    let q = ex.selectFrom('licences.signing_key').select(['tenant_id', 'key_id', 'private_key_enc']);
    if (after) q = q.where(sql<boolean>`(tenant_id, key_id) > (${after.tenantId}, ${after.keyId})`);
    const rows = await q.orderBy('tenant_id').orderBy('key_id').limit(limit).execute();
    return rows.map((r) => ({
      key: { tenantId: r.tenant_id, keyId: r.key_id },
      values: { privateKeyEnc: r.private_key_enc },
    }));
  },
  async replace(tx, key, values, was) {
    await tx
      .updateTable('licences.signing_key')
      .set({ private_key_enc: values.privateKeyEnc })
      .where('tenant_id', '=', key.tenantId)
      .where('key_id', '=', key.keyId)
      .where('private_key_enc', '=', was.privateKeyEnc)
      .execute();
  },
};

/** `yiwang keys rotate`, for licences: re-encrypts with the keyring's current key. */
export async function rotateLicenceKeys(
  db: Database,
  keyring: Sm4Keyring,
  onProgress?: (done: number, total: number) => void,
): Promise<RotationResult> {
  const result = await reencryptTables(db, keyring, [signingKeys, holders], onProgress);
  await appendAudit(db.kysely, systemContext(), {
    action: 'keys.rotated',
    objectType: 'sm4_key',
    objectId: keyring.currentId,
    detail: { module: 'licences', ...result },
  });
  return result;
}
