/**
 * Key rotation (密钥轮换) for what applications holds encrypted: the ID numbers of walk-in applicants
 * (窗口代办). The kernel's loop (src/kernel/crypto/rotation.ts) re-encrypts, with the current key,
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

type ApplicantCiphertexts = { applicantIdNumber: string | null };

/** Every site's rows: the keys are the deployment's, not a site's. */
const applicants: CipherTable<{ tenantId: string; id: number }, ApplicantCiphertexts> = {
  async count(ex) {
    const r = await ex
      .selectFrom('applications.application')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('applicant_id_number', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async batch(ex, after, limit) {
    let q = ex
      .selectFrom('applications.application')
      .select(['tenant_id', 'id', 'applicant_id_number'])
      .where('applicant_id_number', 'is not', null);
    if (after) q = q.where(sql<boolean>`(tenant_id, id) > (${after.tenantId}, ${after.id})`);
    const rows = await q.orderBy('tenant_id').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({
      key: { tenantId: r.tenant_id, id: Number(r.id) },
      values: { applicantIdNumber: r.applicant_id_number },
    }));
  },
  async replace(tx, key, values, was) {
    await tx
      .updateTable('applications.application')
      .set({ applicant_id_number: values.applicantIdNumber })
      .where('tenant_id', '=', key.tenantId)
      .where('id', '=', key.id)
      .where(sql<boolean>`applicant_id_number is not distinct from ${was.applicantIdNumber}`)
      .execute();
  },
};

/** `yiwang keys rotate`, for applications: re-encrypts with the keyring's current key. */
export async function rotateApplicationKeys(
  db: Database,
  keyring: Sm4Keyring,
  onProgress?: (done: number, total: number) => void,
): Promise<RotationResult> {
  const result = await reencryptTables(db, keyring, [applicants], onProgress);
  await appendAudit(db.kysely, systemContext(), {
    action: 'keys.rotated',
    objectType: 'sm4_key',
    objectId: keyring.currentId,
    detail: { module: 'applications', ...result },
  });
  return result;
}
