/**
 * Verification (核验): is this licence genuine, and does it stand? Three ways in, one answer.
 *
 * - By id (the QR code): the record is rebuilt into its payload, whose SM3 must equal the stored digest
 *   (an edited row is caught), and the stored signature is checked over it through the remembered
 *   outcomes (signature-check.ts), so a scan costs a query and two hashes, not an SM2 verification.
 * - By data + signature (an uploaded PDF carries both): the signature is verified for real. Compared
 *   with the record of the same id, every part that differs is named (holder.name, fields.scope …).
 *
 * The statuses: valid (genuine, not revoked, in its validity period); revoked (when, why); invalid
 * (why: signature, data_altered, key_revoked, expired, not_yet_valid, malformed, unreadable);
 * unknown (no such licence here: not_found; a key this site does not have: key_unknown; correctly
 * signed — by the public key it carries, or by one of ours — but never recorded here: not_issued_here).
 * Authenticity is decided before standing: an altered licence is invalid even if it was also revoked.
 */
import { canonicalJson, sm2KeyId, sm2Verify, sm3, type Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { chinaToday } from '../../kernel/identifiers/index.ts';
import { readPdfEmbedded } from '../../kernel/pdf/index.ts';
import {
  alteredParts,
  isLicenceId,
  maskedHolder,
  payloadOf,
  type Licence,
  type LicenceField,
} from './licence.ts';
import { EMBEDDED_KEYS } from './licence.pdf.ts';
import * as store from './licence.store.ts';
import type { SignatureCheck } from './signature-check.ts';

export type VerificationStatus = 'valid' | 'revoked' | 'invalid' | 'unknown';

export const REASONS = [
  'not_found',
  'key_unknown',
  'not_issued_here',
  'unreadable',
  'malformed',
  'signature',
  'data_altered',
  'key_revoked',
  'expired',
  'not_yet_valid',
] as const;
export type Reason = (typeof REASONS)[number];

/** What the public may see of a licence: the holder masked, nothing about who issued it internally. */
export interface PublicLicence {
  id: string;
  type: { code: string; name: string };
  issuer: { name: string; division: string };
  holder: { kind: 'person' | 'enterprise'; name: string; idNumber: string };
  fields: LicenceField[];
  validFrom: string;
  validUntil: string | null;
  issuedAt: Date;
  keyId: string;
}

export interface Verification {
  status: VerificationStatus;
  reasons: Reason[];
  /** payload parts that differ from the record (data_altered) */
  altered: string[];
  /** the record's licence, when there is one */
  licence?: PublicLicence;
  revocation?: { at: Date; reason: string };
  keyRevokedAt?: Date;
}

/** A licence's data as presented: the payload (JSON text or object), its signature and key id. */
export interface Presented {
  data: unknown;
  signature: string;
  keyId: string;
}

type KeyState = { publicKey: string; status: store.KeyStatus; revokedAt: Date | null };

const answer = (status: VerificationStatus, reasons: Reason[], extra: Partial<Verification> = {}) => ({
  status,
  reasons,
  altered: [],
  ...extra,
});

export function createVerifier(deps: {
  db: Database;
  keyring: Sm4Keyring;
  signatures: SignatureCheck;
  now: () => Date;
}) {
  const { db, keyring, signatures, now } = deps;

  function publicView(l: Licence, idNumber: string): PublicLicence {
    return {
      id: l.id,
      type: l.type,
      issuer: l.issuer,
      holder: maskedHolder(l.holder.kind, l.holder.name, idNumber),
      fields: l.fields,
      validFrom: l.validFrom,
      validUntil: l.validUntil,
      issuedAt: l.issuedAt,
      keyId: l.keyId,
    };
  }

  /** The record's payload, or undefined when its encrypted ID number no longer decrypts (altered). */
  function recordPayload(l: Licence, publicKey: string) {
    try {
      const idNumber = keyring.decrypt(l.holderIdEnc);
      const payload = payloadOf(l, idNumber, publicKey);
      return { idNumber, payload, canonical: canonicalJson(payload) };
    } catch {
      return undefined;
    }
  }

  /** Standing of a genuine licence: revoked, signed by a revoked key, outside its validity, or valid. */
  function standing(l: Licence, key: KeyState, licence: PublicLicence): Verification {
    if (l.status === 'revoked')
      return answer('revoked', [], {
        licence,
        revocation: { at: l.revokedAt!, reason: l.revokedReason ?? '' },
      });
    if (key.status === 'revoked')
      return answer('invalid', ['key_revoked'], { licence, keyRevokedAt: key.revokedAt ?? undefined });
    const today = chinaToday(now());
    if (today < l.validFrom) return answer('invalid', ['not_yet_valid'], { licence });
    if (l.validUntil !== null && today > l.validUntil) return answer('invalid', ['expired'], { licence });
    return answer('valid', [], { licence });
  }

  async function byId(tenantId: string, id: string): Promise<Verification> {
    if (!isLicenceId(id)) return answer('unknown', ['not_found']);
    const found = await store.findLicenceWithKey(db.kysely, tenantId, id);
    if (!found) return answer('unknown', ['not_found']);
    const { licence: l, key } = found;
    const rebuilt = recordPayload(l, key.publicKey);
    if (!rebuilt || sm3(rebuilt.canonical) !== l.digest) return answer('invalid', ['data_altered']);
    const licence = publicView(l, rebuilt.idNumber);
    if (!signatures.verify(key.publicKey, rebuilt.canonical, l.signature))
      return answer('invalid', ['signature'], { licence });
    return standing(l, key, licence);
  }

  async function byData(tenantId: string, presented: Presented): Promise<Verification> {
    let data = presented.data;
    if (typeof data === 'string') {
      try {
        data = JSON.parse(data) as unknown;
      } catch {
        return answer('invalid', ['malformed']);
      }
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      return answer('invalid', ['malformed']);
    const given = data as Record<string, unknown>;
    let canonical: string;
    try {
      canonical = canonicalJson(given);
    } catch {
      return answer('invalid', ['malformed']);
    }
    const { signature, keyId } = presented;
    if (typeof given.id !== 'string' || given.keyId !== keyId || !/^[0-9a-f]{16}$/.test(keyId))
      return answer('invalid', ['malformed']);

    const key = await store.findKey(db.kysely, tenantId, keyId);
    if (!key) {
      // Not our key. If the payload's own public key is the one named and it verifies, the licence is
      // well signed by someone else: unknown here, not forged. Otherwise nothing can be said of it.
      const carried = typeof given.publicKey === 'string' ? given.publicKey : '';
      const named = (() => {
        try {
          return sm2KeyId(carried) === keyId;
        } catch {
          return false;
        }
      })();
      if (!named) return answer('unknown', ['key_unknown']);
      return sm2Verify(carried, canonical, signature)
        ? answer('unknown', ['not_issued_here'])
        : answer('invalid', ['signature']);
    }
    const signed = sm2Verify(key.publicKey, canonical, signature);
    const record = isLicenceId(given.id) ? await store.findLicence(db.kysely, tenantId, given.id) : undefined;
    if (!record) return signed ? answer('unknown', ['not_issued_here']) : answer('invalid', ['signature']);
    const rebuilt = recordPayload(record, key.publicKey);
    if (!rebuilt || sm3(rebuilt.canonical) !== record.digest) return answer('invalid', ['data_altered']);
    const licence = publicView(record, rebuilt.idNumber);
    const altered = alteredParts(rebuilt.payload, given);
    if (altered.length > 0) return answer('invalid', ['data_altered'], { licence, altered });
    // The record's data under a signature that fails: the signature was forged or damaged. (Another
    // valid signature over the same data can only come from the key, SM2 signatures being randomised.)
    if (!signed) return answer('invalid', ['signature'], { licence });
    return standing(record, key, licence);
  }

  return {
    byId,
    byData,
    /** A PDF as uploaded: the data and signature it embeds, or invalid/unreadable when it has none. */
    async byPdf(tenantId: string, pdf: Uint8Array): Promise<Verification> {
      const embedded = await readPdfEmbedded(pdf);
      const data = embedded?.[EMBEDDED_KEYS.data];
      const signature = embedded?.[EMBEDDED_KEYS.signature];
      const keyId = embedded?.[EMBEDDED_KEYS.keyId];
      if (!data || !signature || !keyId) return answer('invalid', ['unreadable']);
      return byData(tenantId, { data, signature, keyId });
    },
  };
}

export type Verifier = ReturnType<typeof createVerifier>;
