/** SQL of solicitations and their opinions (opinions.*), one function per question asked of the tables. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { Adoption, OpinionStatus, State } from './opinion.ts';

export interface SolicitationRow {
  id: number;
  title: string;
  description: string;
  department: { id: number; name: string; divisionCode: string };
  policyId: number | null;
  draftPublicationId: number | null;
  draftText: string;
  opensAt: Date;
  closesAt: Date;
  periodChangedAt: Date | null;
  periodReason: string;
  showPublic: boolean;
  moderated: boolean;
  reportSummary: string;
  reportPublishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface OpinionRow {
  id: number;
  solicitationId: number;
  writer: { accountId: number | null; kind: 'person' | 'enterprise' | 'recorded'; name: string };
  clause: string;
  body: string;
  status: OpinionStatus;
  heldWords: string[];
  rejectReason: string;
  moderatedBy: string | null;
  moderatedAt: Date | null;
  adoption: Adoption | null;
  adoptionReason: string;
  adoptionAt: Date | null;
  writtenAt: Date;
}

const date = (d: Date | string) => new Date(d);
const maybeDate = (d: Date | string | null) => (d === null ? null : new Date(d));

type SRow = {
  id: number;
  title: string;
  description: string;
  department_id: number;
  department_name: string;
  division_code: string;
  policy_id: number | null;
  draft_publication_id: number | null;
  draft_text: string;
  opens_at: Date;
  closes_at: Date;
  period_changed_at: Date | null;
  period_reason: string;
  show_public: boolean;
  moderated: boolean;
  report_summary: string;
  report_published_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const toSolicitation = (r: SRow): SolicitationRow => ({
  id: Number(r.id),
  title: r.title,
  description: r.description,
  department: { id: Number(r.department_id), name: r.department_name, divisionCode: r.division_code },
  policyId: r.policy_id === null ? null : Number(r.policy_id),
  draftPublicationId: r.draft_publication_id === null ? null : Number(r.draft_publication_id),
  draftText: r.draft_text,
  opensAt: date(r.opens_at),
  closesAt: date(r.closes_at),
  periodChangedAt: maybeDate(r.period_changed_at),
  periodReason: r.period_reason,
  showPublic: r.show_public,
  moderated: r.moderated,
  reportSummary: r.report_summary,
  reportPublishedAt: maybeDate(r.report_published_at),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});

type ORow = {
  id: number;
  solicitation_id: number;
  writer_account_id: number | null;
  writer_kind: string;
  writer_name: string;
  clause: string;
  body: string;
  status: string;
  held_words: unknown;
  reject_reason: string;
  moderated_by: string | null;
  moderated_at: Date | null;
  adoption: string | null;
  adoption_reason: string;
  adoption_at: Date | null;
  written_at: Date;
};

const words = (v: unknown): string[] => {
  const a = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return Array.isArray(a) ? a.map(String) : [];
};

const toOpinion = (r: ORow): OpinionRow => ({
  id: Number(r.id),
  solicitationId: Number(r.solicitation_id),
  writer: {
    accountId: r.writer_account_id === null ? null : Number(r.writer_account_id),
    kind: r.writer_kind as OpinionRow['writer']['kind'],
    name: r.writer_name,
  },
  clause: r.clause,
  body: r.body,
  status: r.status as OpinionStatus,
  heldWords: words(r.held_words),
  rejectReason: r.reject_reason,
  moderatedBy: r.moderated_by,
  moderatedAt: maybeDate(r.moderated_at),
  adoption: r.adoption as Adoption | null,
  adoptionReason: r.adoption_reason,
  adoptionAt: maybeDate(r.adoption_at),
  writtenAt: date(r.written_at),
});

const S_COLUMNS = [
  'id',
  'title',
  'description',
  'department_id',
  'department_name',
  'division_code',
  'policy_id',
  'draft_publication_id',
  'draft_text',
  'opens_at',
  'closes_at',
  'period_changed_at',
  'period_reason',
  'show_public',
  'moderated',
  'report_summary',
  'report_published_at',
  'created_at',
  'updated_at',
] as const;

const O_COLUMNS = [
  'id',
  'solicitation_id',
  'writer_account_id',
  'writer_kind',
  'writer_name',
  'clause',
  'body',
  'status',
  'held_words',
  'reject_reason',
  'moderated_by',
  'moderated_at',
  'adoption',
  'adoption_reason',
  'adoption_at',
  'written_at',
] as const;

// ---------------------------------------------------------------------------------------------
// Settings

export async function settingOf(ex: Executor, tenantId: string) {
  const r = await ex
    .selectFrom('opinions.setting')
    .select(['moderated_default', 'public_default'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return { moderated: r?.moderated_default ?? false, showPublic: r?.public_default ?? true };
}

export async function saveSetting(
  ex: Executor,
  tenantId: string,
  s: { moderated: boolean; showPublic: boolean },
  by: string,
) {
  await ex
    .insertInto('opinions.setting')
    .values({
      tenant_id: tenantId,
      moderated_default: s.moderated,
      public_default: s.showPublic,
      updated_by: by,
    })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        moderated_default: s.moderated,
        public_default: s.showPublic,
        updated_by: by,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Solicitations

export interface NewSolicitation {
  title: string;
  description: string;
  department: { id: number; name: string; divisionCode: string };
  policyId: number | null;
  draftPublicationId: number | null;
  draftText: string;
  opensAt: Date;
  closesAt: Date;
  showPublic: boolean;
  moderated: boolean;
  createdBy: number | null;
}

export async function insertSolicitation(ex: Executor, tenantId: string, s: NewSolicitation) {
  const row = await ex
    .insertInto('opinions.solicitation')
    .values({
      tenant_id: tenantId,
      title: s.title,
      description: s.description,
      department_id: s.department.id,
      department_name: s.department.name,
      division_code: s.department.divisionCode,
      policy_id: s.policyId,
      draft_publication_id: s.draftPublicationId,
      draft_text: s.draftText,
      opens_at: s.opensAt,
      closes_at: s.closesAt,
      show_public: s.showPublic,
      moderated: s.moderated,
      created_by: s.createdBy,
    })
    .returning(S_COLUMNS)
    .executeTakeFirstOrThrow();
  return toSolicitation(row as SRow);
}

export async function findSolicitation(ex: Executor, tenantId: string, id: number, forUpdate = false) {
  let q = ex
    .selectFrom('opinions.solicitation')
    .select(S_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toSolicitation(row as SRow);
}

export async function solicitationOfPolicy(ex: Executor, tenantId: string, policyId: number) {
  const row = await ex
    .selectFrom('opinions.solicitation')
    .select(S_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('policy_id', '=', policyId)
    .executeTakeFirst();
  return row && toSolicitation(row as SRow);
}

export type SolicitationChange = Partial<{
  title: string;
  description: string;
  draftText: string;
  opensAt: Date;
  closesAt: Date;
  periodChangedAt: Date;
  periodReason: string;
  showPublic: boolean;
  moderated: boolean;
  reportSummary: string;
  reportPublishedAt: Date;
}>;

export async function updateSolicitation(ex: Executor, tenantId: string, id: number, c: SolicitationChange) {
  await ex
    .updateTable('opinions.solicitation')
    .set({
      ...(c.title !== undefined ? { title: c.title } : {}),
      ...(c.description !== undefined ? { description: c.description } : {}),
      ...(c.draftText !== undefined ? { draft_text: c.draftText } : {}),
      ...(c.opensAt !== undefined ? { opens_at: c.opensAt } : {}),
      ...(c.closesAt !== undefined ? { closes_at: c.closesAt } : {}),
      ...(c.periodChangedAt !== undefined ? { period_changed_at: c.periodChangedAt } : {}),
      ...(c.periodReason !== undefined ? { period_reason: c.periodReason } : {}),
      ...(c.showPublic !== undefined ? { show_public: c.showPublic } : {}),
      ...(c.moderated !== undefined ? { moderated: c.moderated } : {}),
      ...(c.reportSummary !== undefined ? { report_summary: c.reportSummary } : {}),
      ...(c.reportPublishedAt !== undefined ? { report_published_at: c.reportPublishedAt } : {}),
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

const PAGE_MAX = 100;

/** The site's solicitations in a state at an instant: open ones closing first, others newest first. */
export async function listSolicitations(
  ex: Executor,
  tenantId: string,
  filter: { state?: State; departmentId?: number; now: Date },
  page: { limit: number; offset: number },
) {
  let q = ex
    .selectFrom('opinions.solicitation')
    .select([...S_COLUMNS, sql<number>`count(*) over ()`.as('total')])
    .where('tenant_id', '=', tenantId);
  if (filter.departmentId !== undefined) q = q.where('department_id', '=', filter.departmentId);
  if (filter.state === 'scheduled') q = q.where('opens_at', '>', filter.now);
  if (filter.state === 'open') q = q.where('opens_at', '<=', filter.now).where('closes_at', '>', filter.now);
  if (filter.state === 'closed') q = q.where('closes_at', '<=', filter.now);
  q =
    filter.state === 'open'
      ? q.orderBy('closes_at', 'asc')
      : filter.state === 'scheduled'
        ? q.orderBy('opens_at', 'asc')
        : q.orderBy(filter.state === 'closed' ? 'closes_at' : 'created_at', 'desc');
  const rows = await q
    .orderBy('id', 'desc')
    .limit(Math.min(page.limit, PAGE_MAX))
    .offset(page.offset)
    .execute();
  return { items: rows.map((r) => toSolicitation(r as SRow)), total: Number(rows[0]?.total ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// Opinions

export interface NewOpinion {
  solicitationId: number;
  writer: OpinionRow['writer'];
  clause: string;
  body: string;
  status: OpinionStatus;
  heldWords: string[];
  writtenAt: Date;
}

export async function insertOpinion(ex: Executor, tenantId: string, o: NewOpinion) {
  const row = await ex
    .insertInto('opinions.opinion')
    .values({
      tenant_id: tenantId,
      solicitation_id: o.solicitationId,
      writer_account_id: o.writer.accountId,
      writer_kind: o.writer.kind,
      writer_name: o.writer.name,
      clause: o.clause,
      body: o.body,
      status: o.status,
      held_words: JSON.stringify(o.heldWords),
      written_at: o.writtenAt,
    })
    .returning(O_COLUMNS)
    .executeTakeFirstOrThrow();
  return toOpinion(row as ORow);
}

export async function findOpinion(ex: Executor, tenantId: string, id: number, forUpdate = false) {
  let q = ex
    .selectFrom('opinions.opinion')
    .select(O_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toOpinion(row as ORow);
}

/** A solicitation's opinions, oldest first, of some statuses. */
export async function opinionsOf(
  ex: Executor,
  tenantId: string,
  solicitationId: number,
  statuses: readonly OpinionStatus[],
) {
  const rows = await ex
    .selectFrom('opinions.opinion')
    .select(O_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('solicitation_id', '=', solicitationId)
    .where('status', 'in', [...statuses])
    .orderBy('id', 'asc')
    .limit(5000)
    .execute();
  return rows.map((r) => toOpinion(r as ORow));
}

/** How many opinions of each status a solicitation has. */
export async function statusCounts(ex: Executor, tenantId: string, solicitationId: number) {
  const rows = await ex
    .selectFrom('opinions.opinion')
    .select(['status', sql<number>`count(*)::int`.as('n'), sql<number>`count(adoption)::int`.as('marked')])
    .where('tenant_id', '=', tenantId)
    .where('solicitation_id', '=', solicitationId)
    .groupBy('status')
    .execute();
  const counts = { held: 0, pending: 0, accepted: 0, rejected: 0, marked: 0 };
  for (const r of rows) {
    counts[r.status as OpinionStatus] = Number(r.n);
    counts.marked += Number(r.marked);
  }
  return counts;
}

/** How many adopted in whole or part among a solicitation's accepted opinions. */
export async function adoptedCount(ex: Executor, tenantId: string, solicitationId: number) {
  const r = await ex
    .selectFrom('opinions.opinion')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('solicitation_id', '=', solicitationId)
    .where('status', '=', 'accepted')
    .where('adoption', 'in', ['adopted', 'partly'])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function writerCount(ex: Executor, tenantId: string, solicitationId: number, accountId: number) {
  const r = await ex
    .selectFrom('opinions.opinion')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('solicitation_id', '=', solicitationId)
    .where('writer_account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** An account's opinions with their solicitations' titles, newest first. */
export async function opinionsOfWriter(ex: Executor, tenantId: string, accountId: number) {
  const rows = await ex
    .selectFrom('opinions.opinion as o')
    .innerJoin('opinions.solicitation as s', (j) =>
      j.onRef('s.tenant_id', '=', 'o.tenant_id').onRef('s.id', '=', 'o.solicitation_id'),
    )
    .select([
      ...O_COLUMNS.map((c) => `o.${c}` as const),
      's.title as solicitation_title',
      's.report_published_at',
    ])
    .where('o.tenant_id', '=', tenantId)
    .where('o.writer_account_id', '=', accountId)
    .orderBy('o.written_at', 'desc')
    .limit(PAGE_MAX)
    .execute();
  return rows.map((r) => ({
    ...toOpinion(r as unknown as ORow),
    solicitationTitle: r.solicitation_title,
    reportPublishedAt: maybeDate(r.report_published_at),
  }));
}

/** The site's held opinions (for the moderation page), oldest first. */
export async function heldOpinions(ex: Executor, tenantId: string) {
  const rows = await ex
    .selectFrom('opinions.opinion')
    .select(O_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'held')
    .orderBy('written_at', 'asc')
    .limit(500)
    .execute();
  return rows.map((r) => toOpinion(r as ORow));
}

export async function setStatus(
  ex: Executor,
  tenantId: string,
  id: number,
  change: { status: OpinionStatus; rejectReason?: string; by: string; at: Date },
) {
  await ex
    .updateTable('opinions.opinion')
    .set({
      status: change.status,
      reject_reason: change.rejectReason ?? '',
      moderated_by: change.by,
      moderated_at: change.at,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Marks accepted opinions of a solicitation; how many were marked. */
export async function markAdoption(
  ex: Executor,
  tenantId: string,
  solicitationId: number,
  ids: readonly number[],
  mark: { adoption: Adoption; reason: string; by: string; at: Date },
) {
  const r = await ex
    .updateTable('opinions.opinion')
    .set({
      adoption: mark.adoption,
      adoption_reason: mark.reason,
      adoption_by: mark.by,
      adoption_at: mark.at,
    })
    .where('tenant_id', '=', tenantId)
    .where('solicitation_id', '=', solicitationId)
    .where('status', '=', 'accepted')
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
