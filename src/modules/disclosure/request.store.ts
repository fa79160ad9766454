/** SQL of disclosure requests (disclosure.request), one function per question asked of the table. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

export type RequesterKind = 'person' | 'organisation';
/** 法人或其他组织 as the annual report divides them (see request.report.ts). */
export type OrganisationType = 'business' | 'research' | 'public_interest' | 'legal_services' | 'other';
export type RequestFormat = 'paper' | 'electronic' | 'disc';
export type RequestDelivery = 'pickup' | 'post' | 'email' | 'online';
export type RequestStatus = 'processing' | 'supplement' | 'consulting' | 'replied';

export interface Requester {
  accountId: number;
  kind: RequesterKind;
  /** an organisation's kind (商业企业, 科研机构 …); null for a person */
  organisationType: OrganisationType | null;
  name: string;
  /** a person's citizen ID number, SM4-encrypted; null for an organisation */
  idNumberCipher: string | null;
  /** an organisation's: credit code, legal representative, contact person; null for a person */
  creditCode: string | null;
  legalRepresentative: string | null;
  contactPerson: string | null;
  phone: string;
  address: string;
  email: string;
}

/** What the case says now, as the lists need it. */
export interface Projection {
  status: RequestStatus;
  dueAt: Date | null;
  extended: boolean;
  outcome: string | null;
  repliedAt: Date | null;
  /** the annual report's row for the reply (request.report.ts); null until replied */
  reportRow: string | null;
  /** while waiting for a 补正: the last day of its period, after which the request is abandoned (§30) */
  supplementDueAt: Date | null;
}

export interface RequestRow extends Projection {
  id: number;
  publicId: string;
  caseNumber: string;
  requester: Requester;
  department: { id: number; name: string; divisionCode: string };
  description: string;
  purpose: string;
  format: RequestFormat;
  delivery: RequestDelivery;
  receivedAt: Date;
  supplementedAt: Date | null;
}

const columns = [
  'id',
  'public_id',
  'case_number',
  'requester_account_id',
  'requester_kind',
  'organisation_type',
  'requester_name',
  'id_number',
  'credit_code',
  'legal_representative',
  'contact_person',
  'phone',
  'address',
  'email',
  'department_id',
  'department_name',
  'division_code',
  'description',
  'purpose',
  'format',
  'delivery',
  'received_at',
  'supplemented_at',
  'status',
  'due_at',
  'extended',
  'outcome',
  'replied_at',
  'report_row',
  'supplement_due_at',
] as const;

type Row = {
  id: number;
  public_id: string;
  case_number: string;
  requester_account_id: number;
  requester_kind: string;
  organisation_type: string | null;
  requester_name: string;
  id_number: string | null;
  credit_code: string | null;
  legal_representative: string | null;
  contact_person: string | null;
  phone: string;
  address: string;
  email: string;
  department_id: number;
  department_name: string;
  division_code: string;
  description: string;
  purpose: string;
  format: string;
  delivery: string;
  received_at: Date | string;
  supplemented_at: Date | string | null;
  status: string;
  due_at: Date | string | null;
  extended: boolean;
  outcome: string | null;
  replied_at: Date | string | null;
  report_row: string | null;
  supplement_due_at: Date | string | null;
};

const instant = (d: Date | string | null) => (d === null ? null : new Date(d));

function toRequest(r: Row): RequestRow {
  return {
    id: Number(r.id),
    publicId: r.public_id,
    caseNumber: r.case_number,
    requester: {
      accountId: Number(r.requester_account_id),
      kind: r.requester_kind as RequesterKind,
      organisationType: r.organisation_type as OrganisationType | null,
      name: r.requester_name,
      idNumberCipher: r.id_number,
      creditCode: r.credit_code,
      legalRepresentative: r.legal_representative,
      contactPerson: r.contact_person,
      phone: r.phone,
      address: r.address,
      email: r.email,
    },
    department: { id: Number(r.department_id), name: r.department_name, divisionCode: r.division_code },
    description: r.description,
    purpose: r.purpose,
    format: r.format as RequestFormat,
    delivery: r.delivery as RequestDelivery,
    receivedAt: new Date(r.received_at),
    supplementedAt: instant(r.supplemented_at),
    status: r.status as RequestStatus,
    dueAt: instant(r.due_at),
    extended: r.extended,
    outcome: r.outcome,
    repliedAt: instant(r.replied_at),
    reportRow: r.report_row,
    supplementDueAt: instant(r.supplement_due_at),
  };
}

export interface NewRequest {
  publicId: string;
  caseNumber: string;
  requester: Requester;
  department: { id: number; name: string; divisionCode: string };
  description: string;
  purpose: string;
  format: RequestFormat;
  delivery: RequestDelivery;
  receivedAt: Date;
}

export async function insertRequest(
  ex: Executor,
  tenantId: string,
  r: NewRequest,
  p: Projection,
): Promise<RequestRow> {
  const row = await ex
    .insertInto('disclosure.request')
    .values({
      tenant_id: tenantId,
      public_id: r.publicId,
      case_number: r.caseNumber,
      requester_account_id: r.requester.accountId,
      requester_kind: r.requester.kind,
      organisation_type: r.requester.organisationType,
      requester_name: r.requester.name,
      id_number: r.requester.idNumberCipher,
      credit_code: r.requester.creditCode,
      legal_representative: r.requester.legalRepresentative,
      contact_person: r.requester.contactPerson,
      phone: r.requester.phone,
      address: r.requester.address,
      email: r.requester.email,
      department_id: r.department.id,
      department_name: r.department.name,
      division_code: r.department.divisionCode,
      description: r.description,
      purpose: r.purpose,
      format: r.format,
      delivery: r.delivery,
      received_at: r.receivedAt,
      status: p.status,
      due_at: p.dueAt,
      extended: p.extended,
      outcome: p.outcome,
      replied_at: p.repliedAt,
      report_row: p.reportRow,
      supplement_due_at: p.supplementDueAt,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toRequest(row as Row);
}

export async function findRequest(ex: Executor, tenantId: string, publicId: string) {
  const row = await ex
    .selectFrom('disclosure.request')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('public_id', '=', publicId)
    .executeTakeFirst();
  return row && toRequest(row as Row);
}

export async function findByCase(ex: Executor, tenantId: string, caseNumber: string) {
  const row = await ex
    .selectFrom('disclosure.request')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('case_number', '=', caseNumber)
    .executeTakeFirst();
  return row && toRequest(row as Row);
}

/** Keeps the row in step with its case; nothing when the case is no request's. */
export async function project(ex: Executor, tenantId: string, caseNumber: string, p: Projection) {
  await ex
    .updateTable('disclosure.request')
    .set({
      status: p.status,
      due_at: p.dueAt,
      extended: p.extended,
      outcome: p.outcome,
      replied_at: p.repliedAt,
      report_row: p.reportRow,
      supplement_due_at: p.supplementDueAt,
    })
    .where('tenant_id', '=', tenantId)
    .where('case_number', '=', caseNumber)
    .execute();
}

/** The requester's clarified description (补正), replacing the one the row showed. */
export async function supplement(
  ex: Executor,
  tenantId: string,
  id: number,
  s: { description: string; purpose: string; at: Date },
) {
  await ex
    .updateTable('disclosure.request')
    .set({ description: s.description, purpose: s.purpose, supplemented_at: s.at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

const PAGE_MAX = 100;

/** A requester's requests, newest first. */
export async function requestsOf(ex: Executor, tenantId: string, accountId: number) {
  const rows = await ex
    .selectFrom('disclosure.request')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('requester_account_id', '=', accountId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(PAGE_MAX)
    .execute();
  return rows.map((r) => toRequest(r as Row));
}

/**
 * A department's requests: those not yet replied, the most urgent first (a stopped one has its date
 * as it stood), or the replied ones, the latest reply first.
 */
export async function requestsOfDepartment(
  ex: Executor,
  tenantId: string,
  departmentId: number,
  which: 'open' | 'replied',
  page: { limit: number; offset: number },
) {
  let q = ex
    .selectFrom('disclosure.request')
    .select([...columns, sql<number>`count(*) over ()`.as('total')])
    .where('tenant_id', '=', tenantId)
    .where('department_id', '=', departmentId);
  q =
    which === 'open'
      ? q
          .where('status', '!=', 'replied')
          .orderBy(sql`due_at asc nulls last`)
          .orderBy('id', 'asc')
      : q.where('status', '=', 'replied').orderBy('replied_at', 'desc').orderBy('id', 'desc');
  const rows = await q.limit(Math.min(page.limit, PAGE_MAX)).offset(page.offset).execute();
  return { items: rows.map((r) => toRequest(r as Row)), total: Number(rows[0]?.total ?? 0) };
}
