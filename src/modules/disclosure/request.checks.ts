/**
 * What a disclosure request must say (政府信息公开条例 §29): who asks — a person with their citizen ID
 * number, or an organisation with its unified social credit code, legal representative and contact
 * person — and how to reach them; a description of the information precise enough to search for; the
 * form it is wanted in and how it is to be received. The purpose is optional (the 2019 regulation no
 * longer asks for it). Every problem is found at once, each named by its field, so the requester
 * fixes the form in one go.
 */
import type { FieldProblem } from '../../kernel/errors.ts';
import { checkCitizenId, checkCreditCode } from '../../kernel/identifiers/index.ts';
import { ORGANISATION_TYPES } from './request.report.ts';
import type { OrganisationType, RequestDelivery, RequesterKind, RequestFormat } from './request.store.ts';

export const FORMATS = ['paper', 'electronic', 'disc'] as const satisfies readonly RequestFormat[];
export const DELIVERIES = ['pickup', 'post', 'email', 'online'] as const satisfies readonly RequestDelivery[];

/** Bounds of the texts (characters as people count them). */
export const LIMITS = {
  name: 100,
  person: 50,
  phone: 30,
  address: 200,
  email: 100,
  description: 2000,
  purpose: 500,
  note: 500,
} as const;

/** A request as typed: every field a string as it arrived (or missing). */
export interface RequestInput {
  requester: {
    kind: RequesterKind;
    /** an organisation's kind, as the annual report counts it (商业企业, 科研机构 …) */
    organisationType?: string | undefined;
    name?: string | undefined;
    idNumber?: string | undefined;
    creditCode?: string | undefined;
    legalRepresentative?: string | undefined;
    contactPerson?: string | undefined;
    phone?: string | undefined;
    address?: string | undefined;
    email?: string | undefined;
  };
  description?: string | undefined;
  purpose?: string | undefined;
  format?: string | undefined;
  delivery?: string | undefined;
  departmentId?: number | null | undefined;
}

/** A request once checked; identifiers normalised, texts trimmed. */
export interface CheckedRequest {
  requester: {
    kind: RequesterKind;
    organisationType: OrganisationType | null;
    name: string;
    idNumber: string | null;
    creditCode: string | null;
    legalRepresentative: string | null;
    contactPerson: string | null;
    phone: string;
    address: string;
    email: string;
  };
  description: string;
  purpose: string;
  format: RequestFormat;
  delivery: RequestDelivery;
  departmentId: number;
}

/** Characters as people count them (a CJK character or an emoji is one). */
export const lengthOf = (s: string) => [...s].length;

/** Plain text: no control characters, Windows line ends made plain, blank runs collapsed, trimmed. */
export function cleanText(raw: string | undefined): string {
  return (
    (raw ?? '')
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\ufeff]/g, '')
      .replace(/[ \t\u00a0]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}
/** One line: line breaks too become spaces. */
const oneLine = (raw: string | undefined) => cleanText(raw).replace(/\s+/g, ' ');

const PHONE = /^[0-9+\-() ]{5,30}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks a request: every problem at once. `accountKind` is the signed-in account's (a person files as
 * a person, an enterprise as an organisation); `departments` the bodies that may receive it.
 */
export function checkRequest(
  input: RequestInput,
  accountKind: 'person' | 'enterprise',
  departments: readonly { id: number }[],
): { problems: FieldProblem[]; value: CheckedRequest | null } {
  const problems: FieldProblem[] = [];
  const add = (field: string, code: string, params?: Record<string, string | number>) =>
    problems.push(params ? { field, code, params } : { field, code });
  const text = (field: string, raw: string | undefined, max: number, required: boolean, line = true) => {
    const v = line ? oneLine(raw) : cleanText(raw);
    if (required && v === '') add(field, 'errors.field_required');
    else if (lengthOf(v) > max) add(field, 'disclosure.too_long', { max });
    return v;
  };
  const r = input.requester;
  const kind: RequesterKind = accountKind === 'person' ? 'person' : 'organisation';
  if (r.kind !== kind) add('requester.kind', `disclosure.requester.kind_${kind}`);
  const name = text('requester.name', r.name, LIMITS.name, true);
  let idNumber: string | null = null;
  let creditCode: string | null = null;
  let legalRepresentative: string | null = null;
  let contactPerson: string | null = null;
  let organisationType: OrganisationType | null = null;
  if (kind === 'person') {
    const raw = (r.idNumber ?? '').trim();
    const check = checkCitizenId(raw);
    if (raw === '') add('requester.idNumber', 'errors.field_required');
    else if (!check.valid) add('requester.idNumber', check.reason);
    else idNumber = check.normalized;
  } else {
    organisationType = ORGANISATION_TYPES.find((o) => o === r.organisationType) ?? null;
    if (!organisationType) add('requester.organisationType', 'disclosure.organisation_type.choose');
    const raw = (r.creditCode ?? '').trim();
    const check = checkCreditCode(raw);
    if (raw === '') add('requester.creditCode', 'errors.field_required');
    else if (!check.valid) add('requester.creditCode', check.reason);
    else creditCode = check.normalized;
    legalRepresentative = text('requester.legalRepresentative', r.legalRepresentative, LIMITS.person, true);
    contactPerson = text('requester.contactPerson', r.contactPerson, LIMITS.person, true);
  }
  const phone = oneLine(r.phone);
  if (phone === '') add('requester.phone', 'errors.field_required');
  else if (!PHONE.test(phone)) add('requester.phone', 'disclosure.phone_invalid');
  const address = text('requester.address', r.address, LIMITS.address, false);
  const email = oneLine(r.email);
  if (email !== '' && (!EMAIL.test(email) || lengthOf(email) > LIMITS.email))
    add('requester.email', 'disclosure.email_invalid');

  const description = text('description', input.description, LIMITS.description, true, false);
  const purpose = text('purpose', input.purpose, LIMITS.purpose, false, false);
  const format = FORMATS.find((f) => f === input.format);
  if (!format) add('format', 'disclosure.format.choose');
  const delivery = DELIVERIES.find((d) => d === input.delivery);
  if (!delivery) add('delivery', 'disclosure.delivery.choose');
  // Where the information goes must be given; paper cannot travel by e-mail or download.
  if (delivery === 'post' && address === '') add('requester.address', 'disclosure.address_for_post');
  if (delivery === 'email' && email === '') add('requester.email', 'disclosure.email_for_delivery');
  if (address === '' && email === '' && delivery !== 'post' && delivery !== 'email')
    add('requester.address', 'disclosure.address_or_email');
  if (format === 'paper' && (delivery === 'email' || delivery === 'online'))
    add('delivery', 'disclosure.delivery.not_for_paper');
  const departmentId = input.departmentId ?? null;
  if (departmentId === null) add('departmentId', 'errors.field_required');
  else if (!departments.some((d) => d.id === departmentId))
    add('departmentId', 'disclosure.department.unknown');

  if (problems.length > 0 || !format || !delivery || departmentId === null) return { problems, value: null };
  return {
    problems,
    value: {
      requester: {
        kind,
        organisationType,
        name,
        idNumber,
        creditCode,
        legalRepresentative,
        contactPerson,
        phone,
        address,
        email,
      },
      description,
      purpose,
      format,
      delivery,
      departmentId,
    },
  };
}
