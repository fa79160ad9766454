/**
 * The licence as a domain object: what an issuer gives (IssueInput), what is stored (Licence), the
 * payload the SM2 signature covers (LicencePayload, rebuilt from the stored licence byte for byte), how
 * the holder is shown to the public (masked), and which parts of a presented payload differ from the
 * record. Pure functions, no database.
 */
import { canonicalJson } from '../../kernel/crypto/index.ts';
import type { FieldProblem } from '../../kernel/errors.ts';
import { checkCitizenId, checkCreditCode } from '../../kernel/identifiers/index.ts';

/** Names the payload's shape: a verifier that meets another format knows it is not this one. */
export const PAYLOAD_FORMAT = 'yiwang.licence/1';

export const HOLDER_KINDS = ['person', 'enterprise'] as const;
export type HolderKind = (typeof HOLDER_KINDS)[number];

/** One line of the licence's own data, printed in this order: 许可证编号, 经营场所, 经营项目 … */
export interface LicenceField {
  key: string;
  label: string;
  value: string;
}

export interface IssueInput {
  /** The issuing department (the caller has decided that it may issue: an approval, or the API's check). */
  departmentId: number;
  type: { code: string; name: string };
  holder: {
    kind: HolderKind;
    name: string;
    /** citizen ID number (person) or unified social credit code (enterprise) */
    idNumber: string;
    /** the account whose holder's page lists it; null for a holder without an account */
    accountId: number | null;
  };
  fields: LicenceField[];
  /** YYYY-MM-DD */
  validFrom: string;
  /** YYYY-MM-DD, or null for a licence without end (长期) */
  validUntil: string | null;
  caseNumber: string | null;
}

export interface Licence {
  tenantId: string;
  id: string;
  type: { code: string; name: string };
  departmentId: number;
  issuer: { name: string; division: string };
  holder: { kind: HolderKind; name: string; accountId: number | null };
  /** the ID number, SM4-encrypted: decrypted only to sign, verify, or print the holder's own PDF */
  holderIdEnc: string;
  fields: LicenceField[];
  validFrom: string;
  validUntil: string | null;
  caseNumber: string | null;
  issuedAt: Date;
  issuedBy: string;
  keyId: string;
  signature: string;
  digest: string;
  status: 'valid' | 'revoked';
  revokedAt: Date | null;
  revokedReason: string | null;
}

/**
 * What the signature covers. Everything printed on the licence is here, so no printed word can change
 * without the signature failing; the public key rides along so that anyone can check the signature
 * offline, while trust in the key comes from the issuing site (keyId names it there).
 */
export interface LicencePayload {
  format: typeof PAYLOAD_FORMAT;
  id: string;
  type: { code: string; name: string };
  issuer: { name: string; division: string };
  holder: { kind: HolderKind; name: string; idNumber: string };
  fields: LicenceField[];
  validFrom: string;
  validUntil: string | null;
  caseNumber: string | null;
  issuedAt: string;
  keyId: string;
  publicKey: string;
}

export function payloadOf(l: Licence, idNumber: string, publicKey: string): LicencePayload {
  return {
    format: PAYLOAD_FORMAT,
    id: l.id,
    type: { code: l.type.code, name: l.type.name },
    issuer: { name: l.issuer.name, division: l.issuer.division },
    holder: { kind: l.holder.kind, name: l.holder.name, idNumber },
    fields: l.fields.map((f) => ({ key: f.key, label: f.label, value: f.value })),
    validFrom: l.validFrom,
    validUntil: l.validUntil,
    caseNumber: l.caseNumber,
    issuedAt: l.issuedAt.toISOString(),
    keyId: l.keyId,
    publicKey,
  };
}

const ID = /^[A-Za-z0-9_-]{22}$/;
export const isLicenceId = (id: string) => ID.test(id);

const TYPE_CODE = /^[A-Za-z0-9_.-]{1,40}$/;
const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const CASE_NUMBER = /^[0-9A-Za-z-]{1,40}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_FIELDS = 40;

function isDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

const length = (s: string, min: number, max: number) => [...s].length >= min && [...s].length <= max;

/**
 * The input, trimmed and with the ID number in canonical form, or the problems of each field (codes are
 * locale keys; field names are the API body's paths).
 */
export function checkIssueInput(input: IssueInput): { input: IssueInput } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const typeCode = input.type.code.trim();
  const typeName = input.type.name.trim();
  if (!TYPE_CODE.test(typeCode)) problems.push({ field: 'type/code', code: 'licences.input.type_code' });
  if (!length(typeName, 1, 100)) problems.push({ field: 'type/name', code: 'licences.input.type_name' });
  const holderName = input.holder.name.trim();
  if (!length(holderName, 1, 200))
    problems.push({ field: 'holder/name', code: 'licences.input.holder_name' });
  let idNumber = input.holder.idNumber.trim();
  if (input.holder.kind === 'person') {
    const c = checkCitizenId(idNumber);
    if (c.valid) idNumber = c.normalized;
    else problems.push({ field: 'holder/idNumber', code: c.reason });
  } else {
    const c = checkCreditCode(idNumber);
    if (c.valid) idNumber = c.normalized;
    else problems.push({ field: 'holder/idNumber', code: c.reason });
  }
  const keys = new Set<string>();
  if (input.fields.length > MAX_FIELDS)
    problems.push({ field: 'fields', code: 'licences.input.too_many_fields', params: { max: MAX_FIELDS } });
  const fields = input.fields.map((f, i) => {
    const field = { key: f.key.trim(), label: f.label.trim(), value: f.value.trim() };
    if (!FIELD_KEY.test(field.key) || keys.has(field.key))
      problems.push({ field: `fields/${i}/key`, code: 'licences.input.field_key' });
    keys.add(field.key);
    if (!length(field.label, 1, 50))
      problems.push({ field: `fields/${i}/label`, code: 'licences.input.field_label' });
    if (!length(field.value, 1, 1000))
      problems.push({ field: `fields/${i}/value`, code: 'licences.input.field_value' });
    return field;
  });
  if (!isDate(input.validFrom)) problems.push({ field: 'validFrom', code: 'licences.input.date' });
  if (input.validUntil !== null) {
    if (!isDate(input.validUntil)) problems.push({ field: 'validUntil', code: 'licences.input.date' });
    else if (input.validUntil < input.validFrom)
      problems.push({ field: 'validUntil', code: 'licences.input.valid_until_before' });
  }
  const caseNumber = input.caseNumber?.trim() || null;
  if (caseNumber !== null && !CASE_NUMBER.test(caseNumber))
    problems.push({ field: 'caseNumber', code: 'licences.input.case_number' });
  if (problems.length > 0) return { problems };
  return {
    input: {
      ...input,
      type: { code: typeCode, name: typeName },
      holder: { ...input.holder, name: holderName, idNumber },
      fields,
      caseNumber,
    },
  };
}

/**
 * The holder as the public sees them. A person's name keeps its first character (张*) and an
 * identifier its first and last four (3301**********1234): enough to match the licence in hand, not
 * enough to learn who someone is from a QR code. An enterprise's name is public registry data and is
 * what a verifier needs to see, so it stays whole; its credit code is masked like an ID number.
 */
export function maskedHolder(kind: HolderKind, name: string, idNumber: string) {
  const chars = [...name];
  return {
    kind,
    name: kind === 'person' ? chars[0] + '*'.repeat(Math.max(1, chars.length - 1)) : name,
    idNumber:
      idNumber.length <= 8
        ? '*'.repeat(idNumber.length)
        : idNumber.slice(0, 4) + '*'.repeat(idNumber.length - 8) + idNumber.slice(-4),
  };
}

function same(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The parts of a presented payload that differ from the record's: `holder.name`, `validUntil`,
 * `fields.scope` (a data field by its key), `fields` (the fields reordered or unreadable), or any
 * key the record does not have. Empty when they are the same document.
 */
export function alteredParts(record: LicencePayload, given: Record<string, unknown>): string[] {
  const out: string[] = [];
  const mine = record as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(mine), ...Object.keys(given)])];
  for (const key of keys) {
    const a = mine[key];
    const b = given[key];
    if (same(a, b)) continue;
    if (key === 'fields' && Array.isArray(b) && b.every((f) => isObject(f) && typeof f.key === 'string')) {
      const byKey = (list: Record<string, unknown>[]) => new Map(list.map((f) => [String(f.key), f]));
      const ours = byKey(record.fields as unknown as Record<string, unknown>[]);
      const theirs = byKey(b as Record<string, unknown>[]);
      const changed = [...new Set([...ours.keys(), ...theirs.keys()])].filter(
        (k) => !same(ours.get(k), theirs.get(k)),
      );
      out.push(...(changed.length > 0 ? changed.map((k) => `fields.${k}`) : ['fields']));
    } else if (isObject(a) && isObject(b)) {
      for (const sub of new Set([...Object.keys(a), ...Object.keys(b)]))
        if (!same(a[sub], b[sub])) out.push(`${key}.${sub}`);
    } else out.push(key);
  }
  return out;
}

/** 2025-03-14 → 2025年3月14日, as dates are written on a Chinese licence. */
export function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
