/**
 * Key rotation (密钥轮换) for what petitions hold encrypted: the petitioners' citizen ID numbers. The
 * kernel's loop (src/kernel/crypto/rotation.ts) re-encrypts, with the current key, every value still
 * under another one, in batches that each commit, so a rotation can be stopped and run again. The
 * lookup hashes do not change (they use PII_LOOKUP_KEY, which never rotates).
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

const petitioners: CipherTable<{ tenantId: string; id: number }, { idNumber: string | null }> = {
  async count(ex) {
    const r = await ex
      .selectFrom('petitions.petition')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async batch(ex, after, limit) {
    let q = ex.selectFrom('petitions.petition').select(['tenant_id', 'id', 'id_number']);
    if (after) q = q.where(sql<boolean>`(tenant_id, id) > (${after.tenantId}, ${after.id})`);
    const rows = await q.orderBy('tenant_id').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({
      key: { tenantId: r.tenant_id, id: Number(r.id) },
      values: { idNumber: r.id_number },
    }));
  },
  async replace(tx, key, values, was) {
    await tx
      .updateTable('petitions.petition')
      .set({ id_number: values.idNumber! })
      .where('tenant_id', '=', key.tenantId)
      .where('id', '=', key.id)
      .where('id_number', '=', was.idNumber!)
      .execute();
  },
};

/** `yiwang keys rotate`, for petitions: re-encrypts with the keyring's current key. */
export async function rotatePetitionKeys(
  db: Database,
  keyring: Sm4Keyring,
  onProgress?: (done: number, total: number) => void,
): Promise<RotationResult> {
  const result = await reencryptTables(db, keyring, [petitioners], onProgress);
  await appendAudit(db.kysely, systemContext(), {
    action: 'keys.rotated',
    objectType: 'sm4_key',
    objectId: keyring.currentId,
    detail: { module: 'petitions', ...result },
  });
  return result;
}
