/** SQL of the licences schema (licences.licence, licences.signing_key), one function per question. */
import { sql, type Selectable } from 'kysely';
import type { DB, Executor } from '../../kernel/db/index.ts';
import type { HolderKind, Licence, LicenceField } from './licence.ts';

export type KeyStatus = 'current' | 'retired' | 'revoked';

export interface SigningKey {
  keyId: string;
  departmentId: number;
  publicKey: string;
  privateKeyEnc: string;
  status: KeyStatus;
  createdAt: Date;
  createdBy: string;
  retiredAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
}

type KeyRow = Selectable<DB['licences.signing_key']>;
type LicenceRow = Selectable<DB['licences.licence']>;

const keyOf = (r: KeyRow): SigningKey => ({
  keyId: r.key_id,
  departmentId: Number(r.department_id),
  publicKey: r.public_key,
  privateKeyEnc: r.private_key_enc,
  status: r.status as KeyStatus,
  createdAt: r.created_at,
  createdBy: r.created_by,
  retiredAt: r.retired_at,
  revokedAt: r.revoked_at,
  revokedReason: r.revoked_reason,
});

const parse = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

/**
 * A date column as YYYY-MM-DD. node-postgres is told to leave dates as text (src/kernel/db), but the
 * PGlite driver hands them over as Dates at UTC midnight; the signed payload needs the same text from both.
 */
function day(v: string | Date): string;
function day(v: string | Date | null): string | null;
function day(v: string | Date | null): string | null {
  return v instanceof Date ? v.toISOString().slice(0, 10) : v;
}

export const licenceOf = (r: LicenceRow): Licence => ({
  tenantId: r.tenant_id,
  id: r.id,
  type: { code: r.type_code, name: r.type_name },
  departmentId: Number(r.department_id),
  issuer: { name: r.issuer_name, division: r.issuer_division },
  holder: {
    kind: r.holder_kind as HolderKind,
    name: r.holder_name,
    accountId: r.holder_account_id === null ? null : Number(r.holder_account_id),
  },
  holderIdEnc: r.holder_id_enc,
  fields: parse(r.fields) as LicenceField[],
  validFrom: day(r.valid_from),
  validUntil: day(r.valid_until),
  caseNumber: r.case_number,
  issuedAt: r.issued_at,
  issuedBy: r.issued_by,
  keyId: r.key_id,
  signature: r.signature,
  digest: r.digest,
  status: r.status as Licence['status'],
  revokedAt: r.revoked_at,
  revokedReason: r.revoked_reason,
});

export async function currentKey(
  ex: Executor,
  tenantId: string,
  departmentId: number,
): Promise<SigningKey | undefined> {
  const r = await ex
    .selectFrom('licences.signing_key')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('department_id', '=', departmentId)
    .where('status', '=', 'current')
    .executeTakeFirst();
  return r && keyOf(r);
}

export async function findKey(
  ex: Executor,
  tenantId: string,
  keyId: string,
): Promise<SigningKey | undefined> {
  const r = await ex
    .selectFrom('licences.signing_key')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('key_id', '=', keyId)
    .executeTakeFirst();
  return r && keyOf(r);
}

export async function departmentKeys(ex: Executor, tenantId: string, departmentId: number) {
  const rows = await ex
    .selectFrom('licences.signing_key as k')
    .selectAll('k')
    .select((eb) =>
      eb
        .selectFrom('licences.licence as l')
        .whereRef('l.tenant_id', '=', 'k.tenant_id')
        .whereRef('l.key_id', '=', 'k.key_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('licences'),
    )
    .where('k.tenant_id', '=', tenantId)
    .where('k.department_id', '=', departmentId)
    .orderBy('k.created_at', 'desc')
    .execute();
  return rows.map((r) => ({ ...keyOf(r), licences: Number(r.licences ?? 0) }));
}

/** Inserts a department's current key; false when another transaction made one first (unique index). */
export async function insertCurrentKey(
  ex: Executor,
  tenantId: string,
  k: Pick<SigningKey, 'keyId' | 'departmentId' | 'publicKey' | 'privateKeyEnc' | 'createdAt' | 'createdBy'>,
): Promise<boolean> {
  const r = await ex
    .insertInto('licences.signing_key')
    .values({
      tenant_id: tenantId,
      key_id: k.keyId,
      department_id: k.departmentId,
      public_key: k.publicKey,
      private_key_enc: k.privateKeyEnc,
      status: 'current',
      created_at: k.createdAt,
      created_by: k.createdBy,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'department_id']).where('status', '=', 'current').doNothing(),
    )
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function retireKey(ex: Executor, tenantId: string, keyId: string, at: Date): Promise<void> {
  await ex
    .updateTable('licences.signing_key')
    .set({ status: 'retired', retired_at: at })
    .where('tenant_id', '=', tenantId)
    .where('key_id', '=', keyId)
    .where('status', '=', 'current')
    .execute();
}

export async function revokeKey(
  ex: Executor,
  tenantId: string,
  keyId: string,
  at: Date,
  reason: string,
): Promise<boolean> {
  const r = await ex
    .updateTable('licences.signing_key')
    .set({ status: 'revoked', revoked_at: at, revoked_reason: reason })
    .where('tenant_id', '=', tenantId)
    .where('key_id', '=', keyId)
    .where('status', '!=', 'revoked')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertLicence(ex: Executor, l: Licence): Promise<void> {
  await ex
    .insertInto('licences.licence')
    .values({
      tenant_id: l.tenantId,
      id: l.id,
      type_code: l.type.code,
      type_name: l.type.name,
      department_id: l.departmentId,
      issuer_name: l.issuer.name,
      issuer_division: l.issuer.division,
      holder_kind: l.holder.kind,
      holder_name: l.holder.name,
      holder_id_enc: l.holderIdEnc,
      holder_account_id: l.holder.accountId,
      fields: JSON.stringify(l.fields),
      valid_from: l.validFrom,
      valid_until: l.validUntil,
      case_number: l.caseNumber,
      issued_at: l.issuedAt,
      issued_by: l.issuedBy,
      key_id: l.keyId,
      signature: l.signature,
      digest: l.digest,
    })
    .execute();
}

export async function findLicence(ex: Executor, tenantId: string, id: string): Promise<Licence | undefined> {
  const r = await ex
    .selectFrom('licences.licence')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r && licenceOf(r);
}

/** A licence with the key that signed it, in one round trip: the hot path of verification by id. */
export async function findLicenceWithKey(ex: Executor, tenantId: string, id: string) {
  const r = await ex
    .selectFrom('licences.licence as l')
    .innerJoin('licences.signing_key as k', (j) =>
      j.onRef('k.tenant_id', '=', 'l.tenant_id').onRef('k.key_id', '=', 'l.key_id'),
    )
    .selectAll('l')
    .select(['k.public_key', 'k.status as key_status', 'k.revoked_at as key_revoked_at'])
    .where('l.tenant_id', '=', tenantId)
    .where('l.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const { public_key, key_status, key_revoked_at, ...row } = r;
  return {
    licence: licenceOf(row),
    key: { publicKey: public_key, status: key_status as KeyStatus, revokedAt: key_revoked_at },
  };
}

export async function markRevoked(
  ex: Executor,
  tenantId: string,
  id: string,
  revocation: { at: Date; reason: string; by: string },
): Promise<boolean> {
  const r = await ex
    .updateTable('licences.licence')
    .set({
      status: 'revoked',
      revoked_at: revocation.at,
      revoked_reason: revocation.reason,
      revoked_by: revocation.by,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'valid')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A page of licences, newest first, of a department or of a holder's account. */
export async function listLicences(
  ex: Executor,
  tenantId: string,
  of: { departmentId: number } | { holderAccountId: number },
  page: { limit: number; offset: number },
): Promise<{ items: Licence[]; total: number }> {
  let q = ex.selectFrom('licences.licence').where('tenant_id', '=', tenantId);
  q =
    'departmentId' in of
      ? q.where('department_id', '=', of.departmentId)
      : q.where('holder_account_id', '=', of.holderAccountId);
  const rows = await q
    .selectAll()
    .select(sql<number>`count(*) over ()`.as('total'))
    .orderBy('issued_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { items: rows.map(({ total: _t, ...r }) => licenceOf(r)), total: Number(rows[0]?.total ?? 0) };
}
