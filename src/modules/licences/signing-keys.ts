/**
 * The departments' SM2 signing keys (签章密钥). A department gets its key on its first issue, inside
 * that issue's transaction; the private key is stored SM4-encrypted with the personal-data keyring and
 * decrypted only to sign. Rotation makes a new current key and retires the old one, which goes on
 * verifying what it signed; revocation (a compromised key) makes everything it signed verify as
 * invalid, and the next issue makes a new key. Every key event is in the audit chain.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { generateSm2KeyPair, sm2KeyId, sm2Sign, type Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { conflict, invalidFields, notFound } from '../../kernel/errors.ts';
import { authorizeActing } from '../../kernel/policy/index.ts';
import { assertOwnDepartment } from './licences.policy.ts';
import * as store from './licence.store.ts';

export interface Signer {
  keyId: string;
  publicKey: string;
  sign(data: string): string;
}

export interface KeyView {
  keyId: string;
  status: store.KeyStatus;
  createdAt: Date;
  createdBy: string;
  retiredAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  /** how many licences it signed */
  licences: number;
}

export function createSigningKeys(deps: { db: Database; keyring: Sm4Keyring; now: () => Date }) {
  const { db, keyring, now } = deps;

  /** Makes and stores a new current key; undefined when another transaction stored one first. */
  async function createKey(ex: Executor, ctx: AuditContext, departmentId: number, why: string) {
    const pair = generateSm2KeyPair();
    const key = {
      keyId: sm2KeyId(pair.publicKeyHex),
      departmentId,
      publicKey: pair.publicKeyHex,
      privateKeyEnc: keyring.encrypt(pair.privateKeyPem),
      createdAt: now(),
      createdBy: ctx.actorId,
    };
    if (!(await store.insertCurrentKey(ex, ctx.tenantId, key))) return undefined;
    await appendAudit(ex, ctx, {
      action: 'licence_key.created',
      objectType: 'licence_key',
      objectId: key.keyId,
      detail: { departmentId, why },
    });
    return key;
  }

  const signerOf = (k: { keyId: string; publicKey: string; privateKeyEnc: string }): Signer => ({
    keyId: k.keyId,
    publicKey: k.publicKey,
    sign: (data) => sm2Sign(keyring.decrypt(k.privateKeyEnc), data),
  });

  function reasonOf(reason: string): string {
    const r = reason.trim();
    if ([...r].length < 2 || [...r].length > 500)
      throw invalidFields([{ field: 'reason', code: 'licences.reason_length' }]);
    return r;
  }

  return {
    /** The department's current key, made now if it has none (first issue, or after a revocation). */
    async signerFor(ex: Executor, ctx: AuditContext, departmentId: number): Promise<Signer> {
      const existing = await store.currentKey(ex, ctx.tenantId, departmentId);
      if (existing) return signerOf(existing);
      const made = await createKey(ex, ctx, departmentId, 'first_issue');
      // Lost the race to a concurrent first issue: its key committed, and this statement sees it.
      const key = made ?? (await store.currentKey(ex, ctx.tenantId, departmentId));
      if (!key) throw conflict('licences.key.busy');
      return signerOf(key);
    },

    async list(ctx: AuditContext, departmentId: number): Promise<KeyView[]> {
      authorizeActing(ctx, 'licence.keys');
      assertOwnDepartment(ctx, departmentId);
      const keys = await store.departmentKeys(db.kysely, ctx.tenantId, departmentId);
      return keys.map(({ publicKey: _p, privateKeyEnc: _s, departmentId: _d, ...k }) => k);
    },

    /** A new current key; the old one is retired and still verifies the licences it signed. */
    async rotate(
      ctx: AuditContext,
      departmentId: number,
    ): Promise<{ retired: string | null; created: string }> {
      authorizeActing(ctx, 'licence.keys');
      assertOwnDepartment(ctx, departmentId);
      return db.kysely.transaction().execute(async (tx) => {
        const old = await tx
          .selectFrom('licences.signing_key')
          .select('key_id')
          .where('tenant_id', '=', ctx.tenantId)
          .where('department_id', '=', departmentId)
          .where('status', '=', 'current')
          .forUpdate()
          .executeTakeFirst();
        if (old) await store.retireKey(tx, ctx.tenantId, old.key_id, now());
        const made = await createKey(tx, ctx, departmentId, 'rotation');
        if (!made) throw conflict('licences.key.busy');
        await appendAudit(tx, ctx, {
          action: 'licence_key.rotated',
          objectType: 'licence_key',
          objectId: made.keyId,
          detail: { departmentId, retired: old?.key_id ?? null },
        });
        return { retired: old?.key_id ?? null, created: made.keyId };
      });
    },

    /**
     * Revokes a key of the department (it was compromised): every licence it signed verifies as
     * invalid from now on, naming the revocation. The department's next issue makes a new key.
     */
    async revoke(ctx: AuditContext, departmentId: number, keyId: string, reason: string): Promise<void> {
      authorizeActing(ctx, 'licence.keys');
      assertOwnDepartment(ctx, departmentId);
      const why = reasonOf(reason);
      await db.kysely.transaction().execute(async (tx) => {
        const key = await store.findKey(tx, ctx.tenantId, keyId);
        if (!key || key.departmentId !== departmentId) throw notFound('licences.key.not_found', { keyId });
        if (!(await store.revokeKey(tx, ctx.tenantId, keyId, now(), why)))
          throw conflict('licences.key.already_revoked', { keyId });
        await appendAudit(tx, ctx, {
          action: 'licence_key.revoked',
          objectType: 'licence_key',
          objectId: keyId,
          detail: { departmentId, reason: why, wasCurrent: key.status === 'current' },
        });
      });
    },

    reasonOf,
  };
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;
