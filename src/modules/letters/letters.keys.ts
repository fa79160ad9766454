/**
 * Key rotation (密钥轮换) for what letters hold encrypted: the writers' phone numbers. The kernel's
 * loop (src/kernel/crypto/rotation.ts) re-encrypts, with the current key, every value still under
 * another one, in batches that each commit, so a rotation can be stopped and run again.
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

/** Every site's rows: the keys are the deployment's, not a site's. */
const writers: CipherTable<{ tenantId: string; id: number }, { phone: string }> = {
  async count(ex) {
    const r = await ex
      .selectFrom('letters.letter')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async batch(ex, after, limit) {
    let q = ex.selectFrom('letters.letter').select(['tenant_id', 'id', 'writer_phone']);
    if (after) q = q.where(sql<boolean>`(tenant_id, id) > (${after.tenantId}, ${after.id})`);
    const rows = await q.orderBy('tenant_id').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({
      key: { tenantId: r.tenant_id, id: Number(r.id) },
      values: { phone: r.writer_phone },
    }));
  },
  async replace(tx, key, values, was) {
    await tx
      .updateTable('letters.letter')
      .set({ writer_phone: values.phone })
      .where('tenant_id', '=', key.tenantId)
      .where('id', '=', key.id)
      .where('writer_phone', '=', was.phone)
      .execute();
  },
};

/** `yiwang keys rotate`, for letters: re-encrypts the writers' phones with the keyring's current key. */
export async function rotateLetterKeys(
  db: Database,
  keyring: Sm4Keyring,
  onProgress?: (done: number, total: number) => void,
): Promise<RotationResult> {
  const result = await reencryptTables(db, keyring, [writers], onProgress);
  await appendAudit(db.kysely, systemContext(), {
    action: 'keys.rotated',
    objectType: 'sm4_key',
    objectId: keyring.currentId,
    detail: { module: 'letters', ...result },
  });
  return result;
}
