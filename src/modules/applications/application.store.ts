/** SQL of applications and their material files, one function per question. */
import { sql } from 'kysely';
import type { auditInsert } from '../../kernel/audit/index.ts';
import type { Executor } from '../../kernel/db/index.ts';

export interface MaterialFile {
  materialKey: string;
  digest: string;
  fileName: string;
  mediaType: string;
  size: number;
  addedAt: string;
}

export interface ApplicationRow {
  id: number;
  publicId: string;
  itemCode: string;
  itemName: string;
  applicant: { kind: 'person' | 'enterprise'; accountId: number | null; name: string };
  /** the SM4 ciphertext of a walk-in applicant's ID number */
  idNumberCipher: string | null;
  intake: { accountId: number; departmentId: number; officerName: string; document: string } | null;
  data: Record<string, unknown>;
  status: 'draft' | 'submitted';
  caseNumber: string | null;
  licenceId: string | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
}

const columns = [
  'id',
  'public_id',
  'item_code',
  'item_name',
  'applicant_kind',
  'applicant_account_id',
  'applicant_name',
  'applicant_id_number',
  'intake_account_id',
  'intake_department_id',
  'intake_officer_name',
  'intake_document',
  'data',
  'status',
  'case_number',
  'licence_id',
  'created_at',
  'updated_at',
  'submitted_at',
] as const;

const iso = (d: Date | string) => new Date(d).toISOString();

type Row = {
  id: number | string;
  public_id: string;
  item_code: string;
  item_name: string;
  applicant_kind: string;
  applicant_account_id: number | string | null;
  applicant_name: string;
  applicant_id_number: string | null;
  intake_account_id: number | string | null;
  intake_department_id: number | string | null;
  intake_officer_name: string | null;
  intake_document: string | null;
  data: unknown;
  status: string;
  case_number: string | null;
  licence_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  submitted_at: Date | string | null;
};

function toApplication(r: Row): ApplicationRow {
  return {
    id: Number(r.id),
    publicId: r.public_id,
    itemCode: r.item_code,
    itemName: r.item_name,
    applicant: {
      kind: r.applicant_kind as 'person' | 'enterprise',
      accountId: r.applicant_account_id === null ? null : Number(r.applicant_account_id),
      name: r.applicant_name,
    },
    idNumberCipher: r.applicant_id_number,
    intake:
      r.intake_account_id === null
        ? null
        : {
            accountId: Number(r.intake_account_id),
            departmentId: Number(r.intake_department_id),
            officerName: r.intake_officer_name ?? '',
            document: r.intake_document ?? '',
          },
    data: (r.data ?? {}) as Record<string, unknown>,
    status: r.status as 'draft' | 'submitted',
    caseNumber: r.case_number,
    licenceId: r.licence_id,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    submittedAt: r.submitted_at === null ? null : iso(r.submitted_at),
  };
}

type NewApplication = Pick<
  ApplicationRow,
  'publicId' | 'itemCode' | 'itemName' | 'applicant' | 'idNumberCipher' | 'intake'
>;

const newRow = (tenantId: string, a: NewApplication) => ({
  tenant_id: tenantId,
  public_id: a.publicId,
  item_code: a.itemCode,
  item_name: a.itemName,
  applicant_kind: a.applicant.kind,
  applicant_account_id: a.applicant.accountId,
  applicant_name: a.applicant.name,
  applicant_id_number: a.idNumberCipher,
  intake_account_id: a.intake?.accountId ?? null,
  intake_department_id: a.intake?.departmentId ?? null,
  intake_officer_name: a.intake?.officerName ?? null,
  intake_document: a.intake?.document ?? null,
});

/** A draft. */
export async function insertApplication(
  ex: Executor,
  tenantId: string,
  a: NewApplication,
): Promise<ApplicationRow> {
  const r = await ex
    .insertInto('applications.application')
    .values(newRow(tenantId, a))
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toApplication(r as Row);
}

/** An application made and submitted in one request, with its files and its audit entry. */
export interface SubmittedApplication {
  tenantId: string;
  application: NewApplication &
    Pick<ApplicationRow, 'data' | 'caseNumber'> & { idempotencyKey: string | null };
  files: readonly Omit<MaterialFile, 'addedAt'>[];
}

/**
 * Applications made and submitted in one request each, with their files and audit entries, in the
 * transaction that opens their cases (a group of them, see the workflow's GroupWriter) and in one
 * statement: it runs while the site's case counter is held, so every round trip saved there is one
 * every other submission of the site stops waiting for. Plain SQL (see auditInsert): the builder's
 * common table expressions cost more CPU than the trip.
 */
export async function insertSubmitted(
  ex: Executor,
  entries: readonly SubmittedApplication[],
  audited: ReturnType<typeof auditInsert>,
): Promise<void> {
  const rows = entries.map(({ tenantId, application: a }) => ({
    ...newRow(tenantId, a),
    data: JSON.stringify(a.data),
    status: 'submitted',
    case_number: a.caseNumber,
    idempotency_key: a.idempotencyKey,
  }));
  const files = entries.flatMap((e) =>
    e.files.map((f) => ({ tenantId: e.tenantId, publicId: e.application.publicId, ...f })),
  );
  const column = <T>(pick: (f: (typeof files)[number]) => T) => files.map(pick);
  await sql`
    with audited as (${audited}),
    application as (
      insert into applications.application (${sql.raw(Object.keys(rows[0]!).join(', '))}, submitted_at)
      values ${sql.join(rows.map((r) => sql`(${sql.join(Object.values(r))}, now())`))}
      returning tenant_id, id, public_id
    ),
    files as (
      insert into applications.material_file
        (tenant_id, application_id, material_key, digest, file_name, media_type, size)
      select a.tenant_id, a.id, f.material_key, f.digest, f.file_name, f.media_type, f.size
      from unnest(${column((f) => f.tenantId)}::text[], ${column((f) => f.publicId)}::text[],
        ${column((f) => f.materialKey)}::text[], ${column((f) => f.digest)}::text[],
        ${column((f) => f.fileName)}::text[], ${column((f) => f.mediaType)}::text[],
        ${column((f) => f.size)}::bigint[])
        as f (tenant_id, public_id, material_key, digest, file_name, media_type, size)
      join application as a on a.tenant_id = f.tenant_id and a.public_id = f.public_id
      on conflict (tenant_id, application_id, material_key, digest) do nothing
    )
    select 1`.execute(ex);
}

/** The application an applicant's earlier request with this Idempotency-Key made, if any. */
export async function findByIdempotencyKey(
  ex: Executor,
  tenantId: string,
  applicantAccountId: number,
  key: string,
): Promise<ApplicationRow | undefined> {
  const r = await ex
    .selectFrom('applications.application')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('applicant_account_id', '=', applicantAccountId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return r && toApplication(r as Row);
}

export async function findApplication(
  ex: Executor,
  tenantId: string,
  publicId: string,
  lock = false,
): Promise<ApplicationRow | undefined> {
  let q = ex
    .selectFrom('applications.application')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('public_id', '=', publicId);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toApplication(r as Row);
}

export async function saveData(ex: Executor, tenantId: string, id: number, data: Record<string, unknown>) {
  await ex
    .updateTable('applications.application')
    .set({ data: JSON.stringify(data), updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

/** Marks a draft submitted with its case; 0 when it was no longer a draft (submitted meanwhile). */
export async function markSubmitted(ex: Executor, tenantId: string, id: number, caseNumber: string) {
  const r = await ex
    .updateTable('applications.application')
    .set({ status: 'submitted', case_number: caseNumber, submitted_at: sql`now()`, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listApplications(
  ex: Executor,
  tenantId: string,
  who: { applicantAccountId: number } | { intakeDepartmentId: number },
  limit = 100,
): Promise<ApplicationRow[]> {
  let q = ex.selectFrom('applications.application').select(columns).where('tenant_id', '=', tenantId);
  q =
    'applicantAccountId' in who
      ? q.where('applicant_account_id', '=', who.applicantAccountId)
      : q.where('intake_department_id', '=', who.intakeDepartmentId);
  const rows = await q.orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((r) => toApplication(r as Row));
}

export async function filesOf(
  ex: Executor,
  tenantId: string,
  applicationId: number,
): Promise<MaterialFile[]> {
  const rows = await ex
    .selectFrom('applications.material_file')
    .select(['material_key', 'digest', 'file_name', 'media_type', 'size', 'added_at'])
    .where('tenant_id', '=', tenantId)
    .where('application_id', '=', applicationId)
    .orderBy('added_at')
    .execute();
  return rows.map((r) => ({
    materialKey: r.material_key,
    digest: r.digest,
    fileName: r.file_name,
    mediaType: r.media_type,
    size: Number(r.size),
    addedAt: iso(r.added_at),
  }));
}

/** Several files at once, in one statement. */
export async function addFiles(
  ex: Executor,
  tenantId: string,
  applicationId: number,
  files: readonly Omit<MaterialFile, 'addedAt'>[],
): Promise<void> {
  if (files.length === 0) return;
  await ex
    .insertInto('applications.material_file')
    .values(
      files.map((f) => ({
        tenant_id: tenantId,
        application_id: applicationId,
        material_key: f.materialKey,
        digest: f.digest,
        file_name: f.fileName,
        media_type: f.mediaType,
        size: f.size,
      })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'application_id', 'material_key', 'digest']).doNothing())
    .execute();
}

export async function removeFile(
  ex: Executor,
  tenantId: string,
  applicationId: number,
  materialKey: string,
  digest: string,
): Promise<number> {
  const r = await ex
    .deleteFrom('applications.material_file')
    .where('tenant_id', '=', tenantId)
    .where('application_id', '=', applicationId)
    .where('material_key', '=', materialKey)
    .where('digest', '=', digest)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The application a case was opened from, if any. */
export async function findByCase(ex: Executor, tenantId: string, caseNumber: string) {
  const r = await ex
    .selectFrom('applications.application')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('case_number', '=', caseNumber)
    .executeTakeFirst();
  return r && toApplication(r as Row);
}

export async function setLicence(ex: Executor, tenantId: string, id: number, licenceId: string) {
  await ex
    .updateTable('applications.application')
    .set({ licence_id: licenceId, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}
