/**
 * Key rotation (密钥轮换) for what disclosure holds encrypted: the citizen ID numbers of the people who
 * file requests. The kernel's loop (src/kernel/crypto/rotation.ts) re-encrypts, with the current key,
 * every value still under another one, in batches that each commit, so a rotation can be stopped and
 * run again. The SQL is here rather than in the store: it is the rotation's alone.
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

type RequesterCiphertexts = { idNumber: string | null };

/** Every site's rows: the keys are the deployment's, not a site's. */
const requesters: CipherTable<{ tenantId: string; id: number }, RequesterCiphertexts> = {
  async count(ex) {
    const r = await ex
      .selectFrom('disclosure.request')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('id_number', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async batch(ex, after, limit) {
    let q = ex
      .selectFrom('disclosure.request')
      .select(['tenant_id', 'id', 'id_number'])
      .where('id_number', 'is not', null);
    if (after) q = q.where(sql<boolean>`(tenant_id, id) > (${after.tenantId}, ${after.id})`);
    const rows = await q.orderBy('tenant_id').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({
      key: { tenantId: r.tenant_id, id: Number(r.id) },
      values: { idNumber: r.id_number },
    }));
  },
  async replace(tx, key, values, was) {
    await tx
      .updateTable('disclosure.request')
      .set({ id_number: values.idNumber })
      .where('tenant_id', '=', key.tenantId)
      .where('id', '=', key.id)
      .where(sql<boolean>`id_number is not distinct from ${was.idNumber}`)
      .execute();
  },
};

/** `yiwang keys rotate`, for disclosure: re-encrypts with the keyring's current key. */
export async function rotateDisclosureKeys(
  db: Database,
  keyring: Sm4Keyring,
  onProgress?: (done: number, total: number) => void,
): Promise<RotationResult> {
  const result = await reencryptTables(db, keyring, [requesters], onProgress);
  await appendAudit(db.kysely, systemContext(), {
    action: 'keys.rotated',
    objectType: 'sm4_key',
    objectId: keyring.currentId,
    detail: { module: 'disclosure', ...result },
  });
  return result;
}
