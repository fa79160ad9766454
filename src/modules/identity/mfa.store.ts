/** SQL for second factors: the TOTP secret (SM4-encrypted) and one-time recovery codes (keyed hashes). */
import type { Executor } from '../../kernel/db/index.ts';

export interface MfaState {
  secretEnc: string | null;
  enabledAt: Date | null;
  lastStep: number | null;
}

export async function mfaOf(
  db: Executor,
  tenantId: string,
  accountId: number,
): Promise<MfaState | undefined> {
  const r = await db
    .selectFrom('identity.account')
    .select(['mfa_secret_enc', 'mfa_enabled_at', 'mfa_last_step'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .executeTakeFirst();
  return (
    r && {
      secretEnc: r.mfa_secret_enc,
      enabledAt: r.mfa_enabled_at,
      lastStep: r.mfa_last_step === null ? null : Number(r.mfa_last_step),
    }
  );
}

/** A new secret waiting for its first code; replaces an earlier pending one, never an enabled one. */
export async function setPendingSecret(
  db: Executor,
  tenantId: string,
  accountId: number,
  secretEnc: string,
): Promise<void> {
  await db
    .updateTable('identity.account')
    .set({ mfa_secret_enc: secretEnc, mfa_last_step: null, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .where('mfa_enabled_at', 'is', null)
    .execute();
}

export async function enable(db: Executor, tenantId: string, accountId: number, step: number): Promise<void> {
  await db
    .updateTable('identity.account')
    .set({ mfa_enabled_at: new Date(), mfa_last_step: step, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .execute();
}

/**
 * Records the time step just used, only if it is newer than the last one: of two requests racing
 * with the same code, one wins (returns true) and the other is a replay.
 */
export async function useStep(
  db: Executor,
  tenantId: string,
  accountId: number,
  step: number,
): Promise<boolean> {
  const r = await db
    .updateTable('identity.account')
    .set({ mfa_last_step: step })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function disable(db: Executor, tenantId: string, accountId: number): Promise<void> {
  await db
    .updateTable('identity.account')
    .set({ mfa_secret_enc: null, mfa_enabled_at: null, mfa_last_step: null, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .execute();
  await db
    .deleteFrom('identity.recovery_code')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .execute();
}

export async function replaceRecoveryCodes(
  db: Executor,
  tenantId: string,
  accountId: number,
  hashes: string[],
): Promise<void> {
  await db
    .deleteFrom('identity.recovery_code')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .execute();
  await db
    .insertInto('identity.recovery_code')
    .values(hashes.map((code_hash) => ({ tenant_id: tenantId, account_id: accountId, code_hash })))
    .execute();
}

/** Marks an unused recovery code used; false if there is no such unused code. */
export async function useRecoveryCode(
  db: Executor,
  tenantId: string,
  accountId: number,
  hash: string,
): Promise<boolean> {
  const r = await db
    .updateTable('identity.recovery_code')
    .set({ used_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function unusedRecoveryCodes(
  db: Executor,
  tenantId: string,
  accountId: number,
): Promise<number> {
  const rows = await db
    .selectFrom('identity.recovery_code')
    .select('code_hash')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .execute();
  return rows.length;
}
