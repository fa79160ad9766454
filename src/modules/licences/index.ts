/**
 * licences — electronic licences (电子证照): issued when a case is approved, signed with SM2 by the
 * issuing department's key, printed as a PDF with a QR code, verified by anyone, revoked by the issuer,
 * listed for their holder. The only file other modules import; see CONTEXT.md for the words.
 *
 * Decisions, and why:
 * - What is signed is the canonical JSON (RFC 8785) of the whole licence — id, type, issuer, holder
 *   with full ID number, data fields in order, validity, case number, issue time, key id and public
 *   key — so no printed word can change unnoticed, and any verifier rebuilds the bytes exactly. Its
 *   SM3 digest is stored beside the signature.
 * - One SM2 key per department, made on its first issue, private half SM4-encrypted with the
 *   personal-data keyring. Rotation keeps old keys for verifying; revoking a key (compromise) turns
 *   all it signed invalid, with the reason and time.
 * - Verification by id (the QR path) rebuilds the payload from the row and compares its SM3 with the
 *   stored digest on every request, but checks the SM2 signature through a per-process memory of
 *   outcomes keyed by (public key, digest, signature): a licence is verified cryptographically once
 *   per node (at issue, on the issuing node), every later scan costs a query and two hashes. An
 *   uploaded PDF or presented data is always verified for real (and rate-limited).
 * - Statuses: valid | revoked (when, why) | invalid (signature, data_altered, key_revoked, expired,
 *   not_yet_valid, malformed, unreadable) | unknown (not_found, key_unknown; not_issued_here for data
 *   correctly signed by a key — the one it carries, or ours — that this site has no record of).
 *   Authenticity is judged before standing; an expired licence is invalid, not "valid but old".
 * - The public sees the holder masked (张*, 3301**********1234), the data fields in full (they are what
 *   a verifier compares with the paper in hand; the unguessable id keeps strangers from browsing them);
 *   an enterprise's name is shown whole. The full number leaves the module only
 *   in the holder's own PDF, and each such download is audited. Decrypting it to rebuild a payload for
 *   verification discloses nothing and is not audited (it would put an audit write on every scan).
 * - The PDF is rendered on download from the record (reproducible bytes), never stored.
 * - issue() takes the caller's executor: the applications module issues inside the transaction that
 *   approves the case, and decides that the licence is due; issue() checks the licence, not the case.
 */
import type { FastifyInstance } from 'fastify';
import type { AuditContext } from '../../kernel/audit/index.ts';
import type { Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import type { IssueInput, Licence } from './licence.ts';
import { createLicenceService, type IssuerDepartment } from './licence.service.ts';
import { licencesPortalPages } from './licences.portal.tsx';
import { licencesRoutes, type LicencesHttpDeps } from './licences.routes.ts';
import { licencesWorkbenchPages } from './licences.workbench.tsx';
import { createSignatureCheck } from './signature-check.ts';
import { createSigningKeys } from './signing-keys.ts';
import { createVerifier } from './verification.ts';

export type { HolderKind, IssueInput, Licence, LicenceField, LicencePayload } from './licence.ts';
export type { IssuerDepartment } from './licence.service.ts';
export type { Reason, Verification, VerificationStatus } from './verification.ts';
export { PAYLOAD_FORMAT } from './licence.ts';
export { rotateLicenceKeys } from './licence.keys.ts';

export interface LicencesDeps {
  /** SM4 for the holders' ID numbers and the departments' private keys (the personal-data keyring). */
  keyring: Sm4Keyring;
  /** The issuing department, read in the caller's transaction. */
  department(tenantId: string, id: number, ex: Executor): Promise<IssuerDepartment | undefined>;
  /**
   * A case as the actor may see it (the workflow module's cases.get, which throws not_found for a case
   * they may not see): its applicant's account becomes the holder's when the issue API names the case.
   */
  caseOf(
    ctx: AuditContext,
    caseNumber: string,
  ): Promise<{ state: { applicant: { kind: string; accountId: number | null } } }>;
  /** The site-wide per-address limit; checking an uploaded licence gets a tenth of it. */
  rateLimitPerMinute: number;
  now?: () => Date;
}

export function createLicencesModule(db: Database, deps: LicencesDeps) {
  const now = deps.now ?? (() => new Date());
  const signatures = createSignatureCheck();
  const keys = createSigningKeys({ db, keyring: deps.keyring, now });
  const licences = createLicenceService({
    db,
    keyring: deps.keyring,
    keys,
    signatures,
    department: deps.department,
    now,
  });
  const verifier = createVerifier({ db, keyring: deps.keyring, signatures, now });
  const http: LicencesHttpDeps = {
    db,
    licences,
    keys,
    verifier,
    async caseApplicant(ctx, caseNumber) {
      try {
        return (await deps.caseOf(ctx, caseNumber)).state.applicant;
      } catch (e) {
        if (e instanceof DomainError && e.kind === 'not_found') return undefined;
        throw e;
      }
    },
    uploadsPerMinute: Math.max(10, Math.floor(deps.rateLimitPerMinute / 10)),
  };

  return {
    /**
     * Issues a licence in the caller's transaction (the applications module: inside the approval).
     * Throws DomainError invalid with field problems for bad input or an unknown department.
     */
    issue: (ex: Executor, ctx: AuditContext, input: IssueInput): Promise<Licence> =>
      licences.issue(ex, ctx, input),
    licences,
    keys,
    verifier,
    /** Remembered SM2 outcomes (see signature-check.ts). */
    signatures,
    workbenchLinks: [
      { href: '/workbench/licences', key: 'licences.workbench.title', permission: 'licence.revoke' },
      { href: '/workbench/licences/keys', key: 'licences.keys.title', permission: 'licence.keys' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      await licencesRoutes(app, http);
      licencesPortalPages(app, http);
      licencesWorkbenchPages(app, http);
    },
  };
}

export type LicencesModule = ReturnType<typeof createLicencesModule>;
