/** SQL of petitions (petitions.petition, petitions.reroute), one function per question asked of them. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { PetitionAttachment } from './attachments.ts';

export type PetitionStatus =
  | 'held'
  | 'rejected'
  | 'repeat'
  | 'registering'
  | 'handling'
  | 'answered'
  | 'not_accepted'
  | 'forwarded'
  | 'reviewing'
  | 'reviewed'
  | 'reexamining'
  | 'concluded';
export type Rating = 'satisfied' | 'basically' | 'dissatisfied';
export const RATINGS = ['satisfied', 'basically', 'dissatisfied'] as const satisfies readonly Rating[];
export type Stage = 'petition' | 'review' | 'reexam';

/** One stage's case as the row keeps it: 办理 (the petition's own), 复查, 复核. */
export interface StageCase {
  caseNumber: string | null;
  departmentId: number | null;
  departmentName: string;
  dueAt: Date | null;
  outcome: string | null;
  decidedAt: Date | null;
  rating: Rating | null;
}

export interface PetitionRow {
  id: number;
  publicId: string;
  accountId: number;
  name: string;
  idNumberCipher: string;
  idHash: string;
  phone: string;
  address: string;
  matterType: string;
  placeCode: string;
  placeDetail: string;
  matter: string;
  requests: string;
  facts: string;
  /** what the petitioner sent with it (in the blob store); on the case too once it opens */
  attachments: PetitionAttachment[];
  status: PetitionStatus;
  heldWords: string[];
  moderationNote: string;
  repeatOf: number | null;
  officeId: number | null;
  officeName: string;
  departmentDivision: string;
  extended: boolean;
  createdAt: Date;
  petition: StageCase;
  review: StageCase;
  reexam: StageCase;
}

const columns = [
  'id',
  'public_id',
  'account_id',
  'name',
  'id_number',
  'id_hash',
  'phone',
  'address',
  'matter_type',
  'place_code',
  'place_detail',
  'matter',
  'requests',
  'facts',
  'attachments',
  'status',
  'held_words',
  'moderation_note',
  'repeat_of',
  'office_id',
  'office_name',
  'department_id',
  'department_name',
  'department_division',
  'case_number',
  'due_at',
  'extended',
  'outcome',
  'decided_at',
  'rating',
  'review_case_number',
  'review_department_id',
  'review_department_name',
  'review_due_at',
  'review_outcome',
  'review_decided_at',
  'review_rating',
  'reexam_case_number',
  'reexam_department_id',
  'reexam_department_name',
  'reexam_due_at',
  'reexam_outcome',
  'reexam_decided_at',
  'reexam_rating',
  'created_at',
] as const;

type Row = Record<(typeof columns)[number], unknown>;
const instant = (d: unknown) => (d === null || d === undefined ? null : new Date(d as string));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
/** The jsonb column as the drivers give it: parsed (pg, PGlite), or text from an older driver. */
const attachmentsOf = (v: unknown): PetitionAttachment[] =>
  (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as PetitionAttachment[];

function toRow(r: Row): PetitionRow {
  const stage = (prefix: '' | 'review_' | 'reexam_'): StageCase => ({
    caseNumber: str(r[`${prefix}case_number`]),
    departmentId: num(r[`${prefix}department_id`]),
    departmentName: String(r[`${prefix}department_name`] ?? ''),
    dueAt: instant(r[`${prefix}due_at`]),
    outcome: str(r[`${prefix}outcome`]),
    decidedAt: instant(r[`${prefix}decided_at`]),
    rating: str(r[`${prefix}rating`]) as Rating | null,
  });
  return {
    id: Number(r.id),
    publicId: String(r.public_id),
    accountId: Number(r.account_id),
    name: String(r.name),
    idNumberCipher: String(r.id_number),
    idHash: String(r.id_hash),
    phone: String(r.phone),
    address: String(r.address),
    matterType: String(r.matter_type),
    placeCode: String(r.place_code),
    placeDetail: String(r.place_detail),
    matter: String(r.matter),
    requests: String(r.requests),
    facts: String(r.facts),
    attachments: attachmentsOf(r.attachments),
    status: r.status as PetitionStatus,
    heldWords: (r.held_words as string[] | null) ?? [],
    moderationNote: String(r.moderation_note),
    repeatOf: num(r.repeat_of),
    officeId: num(r.office_id),
    officeName: String(r.office_name),
    departmentDivision: String(r.department_division),
    extended: Boolean(r.extended),
    createdAt: new Date(r.created_at as string),
    petition: stage(''),
    review: stage('review_'),
    reexam: stage('reexam_'),
  };
}

export interface NewPetition {
  publicId: string;
  accountId: number;
  name: string;
  idNumberCipher: string;
  idHash: string;
  phone: string;
  address: string;
  matterType: string;
  placeCode: string;
  placeDetail: string;
  matter: string;
  requests: string;
  facts: string;
  attachments: readonly PetitionAttachment[];
  status: 'held' | 'repeat' | 'registering';
  heldWords: string[];
  repeatOf: number | null;
  office: { id: number; name: string } | null;
  department: { id: number; name: string; divisionCode: string } | null;
}

export async function insertPetition(ex: Executor, tenantId: string, p: NewPetition): Promise<PetitionRow> {
  const row = await ex
    .insertInto('petitions.petition')
    .values({
      tenant_id: tenantId,
      public_id: p.publicId,
      account_id: p.accountId,
      name: p.name,
      id_number: p.idNumberCipher,
      id_hash: p.idHash,
      phone: p.phone,
      address: p.address,
      matter_type: p.matterType,
      place_code: p.placeCode,
      place_detail: p.placeDetail,
      matter: p.matter,
      requests: p.requests,
      facts: p.facts,
      attachments: JSON.stringify(
        p.attachments.map((a) => ({
          digest: a.digest,
          filename: a.filename,
          size: a.size,
          mediaType: a.mediaType,
        })),
      ),
      status: p.status,
      held_words: p.heldWords,
      repeat_of: p.repeatOf,
      office_id: p.office?.id ?? null,
      office_name: p.office?.name ?? '',
      department_id: p.department?.id ?? null,
      department_name: p.department?.name ?? '',
      department_division: p.department?.divisionCode ?? '',
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toRow(row as Row);
}

const select = (ex: Executor, tenantId: string) =>
  ex.selectFrom('petitions.petition').select(columns).where('tenant_id', '=', tenantId);

export async function findPetition(ex: Executor, tenantId: string, publicId: string, lock = false) {
  let q = select(ex, tenantId).where('public_id', '=', publicId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toRow(row as Row);
}

export async function findById(ex: Executor, tenantId: string, id: number) {
  const row = await select(ex, tenantId).where('id', '=', id).executeTakeFirst();
  return row && toRow(row as Row);
}

/** The petition one of whose cases this is, and which stage that case is. */
export async function findByCase(ex: Executor, tenantId: string, caseNumber: string) {
  const row = await select(ex, tenantId)
    .where((eb) =>
      eb.or([
        eb('case_number', '=', caseNumber),
        eb('review_case_number', '=', caseNumber),
        eb('reexam_case_number', '=', caseNumber),
      ]),
    )
    .executeTakeFirst();
  if (!row) return undefined;
  const p = toRow(row as Row);
  const stage: Stage =
    p.petition.caseNumber === caseNumber
      ? 'petition'
      : p.review.caseNumber === caseNumber
        ? 'review'
        : 'reexam';
  return { petition: p, stage };
}

/** Earlier petitions of the same person (account or ID number) about the same type of matter at the same place. */
export async function samePersonAndMatter(
  ex: Executor,
  tenantId: string,
  who: { accountId: number; idHash: string },
  matterType: string,
  placeCode: string,
) {
  const rows = await select(ex, tenantId)
    .where((eb) => eb.or([eb('account_id', '=', who.accountId), eb('id_hash', '=', who.idHash)]))
    .where('matter_type', '=', matterType)
    .where('place_code', '=', placeCode)
    .where('status', 'not in', ['held', 'rejected', 'repeat'])
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => toRow(r as Row));
}

/** The columns of one stage, for an update. */
function stageColumns(stage: Stage, s: Partial<StageCase>) {
  const prefix = stage === 'petition' ? '' : stage === 'review' ? 'review_' : 'reexam_';
  const out: Record<string, unknown> = {};
  if (s.caseNumber !== undefined) out[`${prefix}case_number`] = s.caseNumber;
  if (s.departmentId !== undefined) out[`${prefix}department_id`] = s.departmentId;
  if (s.departmentName !== undefined) out[`${prefix}department_name`] = s.departmentName;
  if (s.dueAt !== undefined) out[`${prefix}due_at`] = s.dueAt;
  if (s.outcome !== undefined) out[`${prefix}outcome`] = s.outcome;
  if (s.decidedAt !== undefined) out[`${prefix}decided_at`] = s.decidedAt;
  if (s.rating !== undefined) out[`${prefix}rating`] = s.rating;
  return out;
}

export async function update(
  ex: Executor,
  tenantId: string,
  id: number,
  change: {
    status?: PetitionStatus;
    stage?: { stage: Stage; values: Partial<StageCase> };
    extended?: boolean;
    departmentDivision?: string;
    moderationNote?: string;
    office?: { id: number; name: string };
  },
) {
  const set: Record<string, unknown> = {};
  if (change.status) set.status = change.status;
  if (change.extended !== undefined) set.extended = change.extended;
  if (change.departmentDivision !== undefined) set.department_division = change.departmentDivision;
  if (change.moderationNote !== undefined) set.moderation_note = change.moderationNote;
  if (change.office) {
    set.office_id = change.office.id;
    set.office_name = change.office.name;
  }
  if (change.stage) Object.assign(set, stageColumns(change.stage.stage, change.stage.values));
  if (Object.keys(set).length === 0) return;
  await ex
    .updateTable('petitions.petition')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function insertReroute(
  ex: Executor,
  tenantId: string,
  r: { petitionId: number; byAccountId: number; from: number | null; to: number; reason: string },
) {
  await ex
    .insertInto('petitions.reroute')
    .values({
      tenant_id: tenantId,
      petition_id: r.petitionId,
      by_account_id: r.byAccountId,
      from_department_id: r.from,
      to_department_id: r.to,
      reason: r.reason,
    })
    .execute();
}

const PAGE_MAX = 100;

export async function petitionsOf(ex: Executor, tenantId: string, accountId: number) {
  const rows = await select(ex, tenantId)
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(PAGE_MAX)
    .execute();
  return rows.map((r) => toRow(r as Row));
}

/**
 * Petitions a staff member may list: those of places within a prefix (the petition office's
 * jurisdiction), or those any of whose stages is with one of these departments.
 */
export async function listFor(
  ex: Executor,
  tenantId: string,
  where: { placePrefix?: string; departmentId?: number },
  page: { limit: number; offset: number },
) {
  let q = ex
    .selectFrom('petitions.petition')
    .select([...columns, sql<number>`count(*) over ()`.as('total')])
    .where('tenant_id', '=', tenantId)
    .where('status', 'not in', ['held', 'rejected']);
  const { placePrefix, departmentId } = where;
  q = q.where((eb) => {
    const any = [];
    if (placePrefix !== undefined) any.push(eb('place_code', 'like', `${placePrefix}%`));
    if (departmentId !== undefined)
      any.push(
        eb('office_id', '=', departmentId),
        eb('department_id', '=', departmentId),
        eb('review_department_id', '=', departmentId),
        eb('reexam_department_id', '=', departmentId),
      );
    return any.length > 0 ? eb.or(any) : eb.val(false);
  });
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(page.limit, PAGE_MAX))
    .offset(page.offset)
    .execute();
  return { items: rows.map((r) => toRow(r as Row)), total: Number(rows[0]?.total ?? 0) };
}

/** Held petitions of a site, oldest first (the moderation queue). */
export async function held(ex: Executor, tenantId: string) {
  const rows = await select(ex, tenantId)
    .where('status', '=', 'held')
    .orderBy('created_at', 'asc')
    .limit(500)
    .execute();
  return rows.map((r) => toRow(r as Row));
}
