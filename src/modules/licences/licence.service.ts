/**
 * Issuing and revoking licences, and the lists of a department and of a holder.
 *
 * issue() runs in the caller's transaction (the applications module approves a case and issues its
 * licence in one commit) and decides nothing about whether the licence is deserved: the approval or
 * the API route has. What it guarantees is the licence itself — the input checked, the signature made
 * by the department's key and verified before anything is stored, the digest kept beside it.
 */
import { randomBytes } from 'node:crypto';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { canonicalJson, sm3, type Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { conflict, invalidFields, notFound } from '../../kernel/errors.ts';
import { authorizeActing } from '../../kernel/policy/index.ts';
import { checkIssueInput, maskedHolder, payloadOf, type IssueInput, type Licence } from './licence.ts';
import { assertHolder, assertOwnDepartment } from './licences.policy.ts';
import * as store from './licence.store.ts';
import type { SignatureCheck } from './signature-check.ts';
import type { SigningKeys } from './signing-keys.ts';

/** The issuing department as the org module describes it. */
export interface IssuerDepartment {
  id: number;
  name: string;
  divisionCode: string;
  active: boolean;
}

export interface LicenceServiceDeps {
  db: Database;
  keyring: Sm4Keyring;
  keys: SigningKeys;
  signatures: SignatureCheck;
  /** read in the caller's transaction (on PGlite a query beside it would wait for it forever) */
  department(tenantId: string, id: number, ex: Executor): Promise<IssuerDepartment | undefined>;
  now: () => Date;
}

/** A licence as its holder downloads it: the record, and what its PDF embeds. */
export interface HolderCopy {
  licence: Licence;
  idNumber: string;
  canonical: string;
}

export function createLicenceService(deps: LicenceServiceDeps) {
  const { db, keyring, keys, signatures, now } = deps;

  return {
    /** The holder as lists and API answers show them: masked (the full number is holderCopy's). */
    maskedHolderOf(l: Licence) {
      return maskedHolder(l.holder.kind, l.holder.name, keyring.decrypt(l.holderIdEnc));
    },

    async issue(ex: Executor, ctx: AuditContext, raw: IssueInput): Promise<Licence> {
      const checked = checkIssueInput(raw);
      if ('problems' in checked) throw invalidFields(checked.problems);
      const input = checked.input;
      const department = await deps.department(ctx.tenantId, input.departmentId, ex);
      if (!department?.active)
        throw invalidFields([{ field: 'departmentId', code: 'licences.input.department' }]);
      const signer = await keys.signerFor(ex, ctx, department.id);
      const licence: Licence = {
        tenantId: ctx.tenantId,
        id: randomBytes(16).toString('base64url'),
        type: input.type,
        departmentId: department.id,
        issuer: { name: department.name, division: department.divisionCode },
        holder: { kind: input.holder.kind, name: input.holder.name, accountId: input.holder.accountId },
        holderIdEnc: keyring.encrypt(input.holder.idNumber),
        fields: input.fields,
        validFrom: input.validFrom,
        validUntil: input.validUntil,
        caseNumber: input.caseNumber,
        issuedAt: now(),
        issuedBy: ctx.actorId,
        keyId: signer.keyId,
        signature: '',
        digest: '',
        status: 'valid',
        revokedAt: null,
        revokedReason: null,
      };
      const canonical = canonicalJson(payloadOf(licence, input.holder.idNumber, signer.publicKey));
      licence.signature = signer.sign(canonical);
      licence.digest = sm3(canonical);
      // A key that signs what it cannot verify (a damaged key row) must not put licences into the world.
      if (!signatures.verify(signer.publicKey, canonical, licence.signature))
        throw new Error(`signing key ${signer.keyId} made a signature that does not verify`);
      await store.insertLicence(ex, licence);
      await appendAudit(ex, ctx, {
        action: 'licence.issued',
        objectType: 'licence',
        objectId: licence.id,
        detail: {
          type: licence.type.code,
          departmentId: licence.departmentId,
          keyId: licence.keyId,
          caseNumber: licence.caseNumber,
        },
      });
      return licence;
    },

    /** Revocation by the issuing department, with the reason the public will read. */
    async revoke(ctx: AuditContext, id: string, reason: string): Promise<Licence> {
      authorizeActing(ctx, 'licence.revoke');
      const why = keys.reasonOf(reason);
      return db.kysely.transaction().execute(async (tx) => {
        const found = await store.findLicence(tx, ctx.tenantId, id);
        if (!found) throw notFound('licences.not_found', { id });
        assertOwnDepartment(ctx, found.departmentId);
        const at = now();
        if (!(await store.markRevoked(tx, ctx.tenantId, id, { at, reason: why, by: ctx.actorId })))
          throw conflict('licences.already_revoked', { id });
        await appendAudit(tx, ctx, {
          action: 'licence.revoked',
          objectType: 'licence',
          objectId: id,
          detail: { reason: why, departmentId: found.departmentId },
        });
        return { ...found, status: 'revoked' as const, revokedAt: at, revokedReason: why };
      });
    },

    async forDepartment(ctx: AuditContext, departmentId: number, page: { limit: number; offset: number }) {
      authorizeActing(ctx, ['licence.revoke', 'licence.issue']);
      assertOwnDepartment(ctx, departmentId);
      return store.listLicences(db.kysely, ctx.tenantId, { departmentId }, page);
    },

    /** The signed-in person's or enterprise's own licences. */
    async forHolder(ctx: AuditContext, page: { limit: number; offset: number }) {
      authorizeActing(ctx, 'account.self');
      if (!ctx.actor) return { items: [], total: 0 };
      return store.listLicences(db.kysely, ctx.tenantId, { holderAccountId: ctx.actor.accountId }, page);
    },

    /**
     * The holder's own licence with its full ID number, for the PDF. The number leaves the module
     * here only, so the read is written to the audit chain before it is returned.
     */
    async holderCopy(ctx: AuditContext, id: string): Promise<HolderCopy> {
      return db.kysely.transaction().execute(async (tx) => {
        const found = await store.findLicence(tx, ctx.tenantId, id);
        assertHolder(ctx, found?.holder.accountId ?? null, id);
        const licence = found!;
        const key = await store.findKey(tx, ctx.tenantId, licence.keyId);
        const idNumber = keyring.decrypt(licence.holderIdEnc);
        await appendAudit(tx, ctx, {
          action: 'licence.downloaded',
          objectType: 'licence',
          objectId: id,
          detail: { field: 'holder_id_number' },
        });
        return { licence, idNumber, canonical: canonicalJson(payloadOf(licence, idNumber, key!.publicKey)) };
      });
    },
  };
}

export type LicenceService = ReturnType<typeof createLicenceService>;
