/** SQL of letters (letters.letter), one function per question. */
import { CompiledQuery, sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { LetterAttachment } from './attachments.ts';

export type LetterKind = 'leader' | 'consultation' | 'complaint' | 'suggestion';
export const LETTER_KINDS: readonly LetterKind[] = ['leader', 'consultation', 'complaint', 'suggestion'];
export type LetterStatus = 'held' | 'open' | 'replied' | 'rejected';
export type Satisfaction = 'satisfied' | 'basically' | 'unsatisfied';
export const SATISFACTIONS: readonly Satisfaction[] = ['satisfied', 'basically', 'unsatisfied'];

export interface Letter {
  id: number;
  publicId: string;
  kind: LetterKind;
  mailbox: { id: number; name: string } | null;
  department: { id: number; name: string; divisionCode: string };
  /** accountId null: imported from the site's earlier mailbox */
  writer: { accountId: number | null; kind: 'person' | 'enterprise'; name: string; phoneCipher: string };
  title: string;
  body: string;
  /** what the writer attached (in the blob store); on the case too once it opens */
  attachments: LetterAttachment[];
  mayPublish: boolean;
  status: LetterStatus;
  heldWords: string[];
  rejectionReason: string | null;
  caseNumber: string | null;
  writtenAt: string;
  receivedAt: string | null;
  dueAt: string | null;
  reply: string | null;
  repliedAt: string | null;
  repliedByName: string | null;
  public: boolean;
  satisfaction: Satisfaction | null;
  ratedAt: string | null;
}

const columns = [
  'id',
  'public_id',
  'kind',
  'mailbox_id',
  'mailbox_name',
  'department_id',
  'department_name',
  'division_code',
  'writer_account_id',
  'writer_kind',
  'writer_name',
  'writer_phone',
  'title',
  'body',
  'attachments',
  'may_publish',
  'status',
  'held_words',
  'rejection_reason',
  'case_number',
  'written_at',
  'received_at',
  'due_at',
  'reply',
  'replied_at',
  'replied_by_name',
  'public',
  'satisfaction',
  'rated_at',
] as const;

type Row = {
  id: number | string;
  public_id: string;
  kind: string;
  mailbox_id: number | string | null;
  mailbox_name: string | null;
  department_id: number | string;
  department_name: string;
  division_code: string;
  writer_account_id: number | string | null;
  writer_kind: string;
  writer_name: string;
  writer_phone: string;
  title: string;
  body: string;
  attachments: unknown;
  may_publish: boolean;
  status: string;
  held_words: string[];
  rejection_reason: string | null;
  case_number: string | null;
  written_at: Date | string;
  received_at: Date | string | null;
  due_at: Date | string | null;
  reply: string | null;
  replied_at: Date | string | null;
  replied_by_name: string | null;
  public: boolean;
  satisfaction: string | null;
  rated_at: Date | string | null;
};

const iso = (d: Date | string) => new Date(d).toISOString();
/** The jsonb column as the drivers give it: parsed (pg, PGlite), or text from an older driver. */
const attachmentsOf = (v: unknown): LetterAttachment[] =>
  (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as LetterAttachment[];
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

function toLetter(r: Row): Letter {
  return {
    id: Number(r.id),
    publicId: r.public_id,
    kind: r.kind as LetterKind,
    mailbox: r.mailbox_id === null ? null : { id: Number(r.mailbox_id), name: r.mailbox_name ?? '' },
    department: { id: Number(r.department_id), name: r.department_name, divisionCode: r.division_code },
    writer: {
      accountId: r.writer_account_id === null ? null : Number(r.writer_account_id),
      kind: r.writer_kind as 'person' | 'enterprise',
      name: r.writer_name,
      phoneCipher: r.writer_phone,
    },
    title: r.title,
    body: r.body,
    attachments: attachmentsOf(r.attachments),
    mayPublish: r.may_publish,
    status: r.status as LetterStatus,
    heldWords: r.held_words ?? [],
    rejectionReason: r.rejection_reason,
    caseNumber: r.case_number,
    writtenAt: iso(r.written_at),
    receivedAt: isoOrNull(r.received_at),
    dueAt: isoOrNull(r.due_at),
    reply: r.reply,
    repliedAt: isoOrNull(r.replied_at),
    repliedByName: r.replied_by_name,
    public: r.public,
    satisfaction: r.satisfaction as Satisfaction | null,
    ratedAt: isoOrNull(r.rated_at),
  };
}

export interface NewLetter {
  publicId: string;
  kind: LetterKind;
  mailbox: { id: number; name: string } | null;
  department: { id: number; name: string; divisionCode: string };
  writer: Letter['writer'];
  title: string;
  body: string;
  attachments: LetterAttachment[];
  mayPublish: boolean;
  heldWords: string[];
  writtenAt: Date;
}

const letterValues = (
  tenantId: string,
  l: NewLetter,
  opened?: { caseNumber: string; receivedAt: Date; dueAt: Date | null },
) => ({
  tenant_id: tenantId,
  public_id: l.publicId,
  kind: l.kind,
  mailbox_id: l.mailbox?.id ?? null,
  mailbox_name: l.mailbox?.name ?? null,
  department_id: l.department.id,
  department_name: l.department.name,
  division_code: l.department.divisionCode,
  writer_account_id: l.writer.accountId,
  writer_kind: l.writer.kind,
  writer_name: l.writer.name,
  writer_phone: l.writer.phoneCipher,
  title: l.title,
  body: l.body,
  attachments: JSON.stringify(
    l.attachments.map((a) => ({
      digest: a.digest,
      filename: a.filename,
      size: a.size,
      mediaType: a.mediaType,
    })),
  ),
  may_publish: l.mayPublish,
  status: opened ? 'open' : 'held',
  held_words: l.heldWords,
  written_at: l.writtenAt,
  case_number: opened?.caseNumber ?? null,
  received_at: opened?.receivedAt ?? null,
  due_at: opened?.dueAt ?? null,
});

/** Inserts a letter: held, or with its case when `opened` names it (one statement either way). */
export async function insertLetter(
  ex: Executor,
  tenantId: string,
  l: NewLetter,
  opened?: { caseNumber: string; receivedAt: Date; dueAt: Date | null },
): Promise<Letter> {
  const row = await ex
    .insertInto('letters.letter')
    .values(letterValues(tenantId, l, opened))
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toLetter(row as Row);
}

/**
 * The same, with its audit entry's INSERT (kernel auditStatement) in the one statement: a letter's
 * opening runs inside the case engine's group transaction, where every round trip is paid once per
 * letter of the group in turn.
 */
export async function insertLetterAudited(
  ex: Executor,
  tenantId: string,
  l: NewLetter,
  opened: { caseNumber: string; receivedAt: Date; dueAt: Date | null } | undefined,
  audit: { sql: string; parameters: unknown[] },
): Promise<Letter> {
  const letter = ex
    .insertInto('letters.letter')
    .values(letterValues(tenantId, l, opened))
    .returning(columns)
    .compile();
  // Kysely numbers parameters from $1 and inlines no values: shifting the letter's past the audit's is safe.
  const offset = audit.parameters.length;
  const shifted = letter.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  const r = await ex.executeQuery<Row>(
    CompiledQuery.raw(`with audited as (${audit.sql}) ${shifted}`, [
      ...audit.parameters,
      ...letter.parameters,
    ]),
  );
  return toLetter(r.rows[0]!);
}

export async function findLetter(ex: Executor, tenantId: string, publicId: string, lock = false) {
  let q = ex
    .selectFrom('letters.letter')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('public_id', '=', publicId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toLetter(row as Row);
}

export async function findByCase(ex: Executor, tenantId: string, caseNumber: string) {
  const row = await ex
    .selectFrom('letters.letter')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('case_number', '=', caseNumber)
    .executeTakeFirst();
  return row && toLetter(row as Row);
}

/** The letter's case opened (at once, or on its release). */
export async function markOpened(
  ex: Executor,
  tenantId: string,
  id: number,
  c: { caseNumber: string; receivedAt: Date; dueAt: Date | null },
): Promise<void> {
  await ex
    .updateTable('letters.letter')
    .set({ status: 'open', case_number: c.caseNumber, received_at: c.receivedAt, due_at: c.dueAt })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function markRejected(
  ex: Executor,
  tenantId: string,
  id: number,
  reason: string,
): Promise<void> {
  await ex
    .updateTable('letters.letter')
    .set({ status: 'rejected', rejection_reason: reason })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** The case's department and deadline as they are now (a forwarding, an extension, a calendar edit). */
export async function follow(
  ex: Executor,
  tenantId: string,
  caseNumber: string,
  to: {
    department?: { id: number; name: string; divisionCode: string } | undefined;
    dueAt?: Date | null | undefined;
  },
): Promise<void> {
  await ex
    .updateTable('letters.letter')
    .set({
      ...(to.dueAt !== undefined ? { due_at: to.dueAt } : {}),
      ...(to.department
        ? {
            department_id: to.department.id,
            department_name: to.department.name,
            division_code: to.department.divisionCode,
          }
        : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('case_number', '=', caseNumber)
    .execute();
}

export async function recordReply(
  ex: Executor,
  tenantId: string,
  caseNumber: string,
  reply: { text: string; public: boolean; at: Date; byName: string },
) {
  const row = await ex
    .updateTable('letters.letter')
    .set({
      status: 'replied',
      reply: reply.text,
      replied_at: reply.at,
      replied_by_name: reply.byName,
      public: sql<boolean>`may_publish and ${reply.public}`,
    })
    .where('tenant_id', '=', tenantId)
    .where('case_number', '=', caseNumber)
    .returning(columns)
    .executeTakeFirst();
  return row && toLetter(row as Row);
}

export async function rate(
  ex: Executor,
  tenantId: string,
  id: number,
  satisfaction: Satisfaction,
  at: Date,
): Promise<boolean> {
  const r = await ex
    .updateTable('letters.letter')
    .set({ satisfaction, rated_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'replied')
    .where('satisfaction', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function setPublic(ex: Executor, tenantId: string, id: number, on: boolean): Promise<void> {
  await ex
    .updateTable('letters.letter')
    .set({ public: on })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

const PAGE_MAX = 100;

export async function lettersOf(ex: Executor, tenantId: string, accountId: number): Promise<Letter[]> {
  const rows = await ex
    .selectFrom('letters.letter')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('writer_account_id', '=', accountId)
    .orderBy('written_at', 'desc')
    .limit(PAGE_MAX)
    .execute();
  return rows.map((r) => toLetter(r as Row));
}

/** A department's letters: open ones by due date (most urgent first), or replied ones, newest first. */
export async function lettersOfDepartment(
  ex: Executor,
  tenantId: string,
  departmentId: number,
  status: 'open' | 'replied',
  page: { limit: number; offset: number },
) {
  const rows = await ex
    .selectFrom('letters.letter')
    .select([...columns, sql<number>`count(*) over ()`.as('total')])
    .where('tenant_id', '=', tenantId)
    .where('department_id', '=', departmentId)
    .where('status', '=', status)
    .orderBy(status === 'open' ? 'due_at' : 'replied_at', status === 'open' ? 'asc' : 'desc')
    .orderBy('id')
    .limit(Math.min(page.limit, PAGE_MAX))
    .offset(page.offset)
    .execute();
  return { items: rows.map((r) => toLetter(r as Row)), total: Number(rows[0]?.total ?? 0) };
}

/** The site's held letters, the longest waiting first. */
export async function heldLetters(ex: Executor, tenantId: string): Promise<Letter[]> {
  const rows = await ex
    .selectFrom('letters.letter')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'held')
    .orderBy('written_at')
    .limit(500)
    .execute();
  return rows.map((r) => toLetter(r as Row));
}

export async function publicLetters(
  ex: Executor,
  tenantId: string,
  filter: { kind?: LetterKind | undefined },
  page: { limit: number; offset: number },
) {
  let q = ex
    .selectFrom('letters.letter')
    .select([...columns, sql<number>`count(*) over ()`.as('total')])
    .where('tenant_id', '=', tenantId)
    .where('public', '=', true);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  const rows = await q
    .orderBy('replied_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(page.limit, PAGE_MAX))
    .offset(page.offset)
    .execute();
  return { items: rows.map((r) => toLetter(r as Row)), total: Number(rows[0]?.total ?? 0) };
}

export interface DepartmentFigures {
  departmentId: number;
  department: string;
  received: number;
  replied: number;
  onTime: number;
  rated: number;
  satisfied: number;
  basically: number;
  unsatisfied: number;
}

/**
 * Per department, letters received (their case opened) in [from, to): how many, replied, replied by
 * their deadline, and the writers' ratings. On time means replied before the deadline the engine set
 * on the site's working-day calendar (kept in step by the case's changes).
 */
export async function figures(
  ex: Executor,
  tenantId: string,
  from: Date,
  to: Date,
): Promise<DepartmentFigures[]> {
  const r = await sql<{
    department_id: string;
    department: string;
    received: number;
    replied: number;
    on_time: number;
    rated: number;
    satisfied: number;
    basically: number;
    unsatisfied: number;
  }>`select department_id, max(department_name) as department,
        count(*)::int as received,
        count(*) filter (where status = 'replied')::int as replied,
        count(*) filter (where status = 'replied' and (due_at is null or replied_at <= due_at))::int as on_time,
        count(satisfaction)::int as rated,
        count(*) filter (where satisfaction = 'satisfied')::int as satisfied,
        count(*) filter (where satisfaction = 'basically')::int as basically,
        count(*) filter (where satisfaction = 'unsatisfied')::int as unsatisfied
      from letters.letter
      where tenant_id = ${tenantId} and received_at >= ${from} and received_at < ${to}
        and status in ('open', 'replied')
      group by department_id
      order by received desc, department`.execute(ex);
  return r.rows.map((x) => ({
    departmentId: Number(x.department_id),
    department: x.department,
    received: x.received,
    replied: x.replied,
    onTime: x.on_time,
    rated: x.rated,
    satisfied: x.satisfied,
    basically: x.basically,
    unsatisfied: x.unsatisfied,
  }));
}

/** How many letters the writer has waiting (held or open). */
export async function openCountOf(ex: Executor, tenantId: string, accountId: number): Promise<number> {
  const r = await ex
    .selectFrom('letters.letter')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('writer_account_id', '=', accountId)
    .where('status', 'in', ['held', 'open'])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Letters replied before the platform (a site's earlier mailbox, the demo's), public, without a case. */
export async function insertImported(
  ex: Executor,
  tenantId: string,
  l: Omit<NewLetter, 'heldWords' | 'attachments'> & {
    reply: string;
    repliedAt: Date;
    dueAt: Date;
    satisfaction: Satisfaction | null;
  },
): Promise<void> {
  await ex
    .insertInto('letters.letter')
    .values({
      tenant_id: tenantId,
      public_id: l.publicId,
      kind: l.kind,
      mailbox_id: l.mailbox?.id ?? null,
      mailbox_name: l.mailbox?.name ?? null,
      department_id: l.department.id,
      department_name: l.department.name,
      division_code: l.department.divisionCode,
      writer_account_id: null,
      writer_kind: l.writer.kind,
      writer_name: l.writer.name,
      writer_phone: l.writer.phoneCipher,
      title: l.title,
      body: l.body,
      may_publish: true,
      status: 'replied',
      written_at: l.writtenAt,
      received_at: l.writtenAt,
      due_at: l.dueAt,
      reply: l.reply,
      replied_at: l.repliedAt,
      replied_by_name: l.department.name,
      public: true,
      satisfaction: l.satisfaction,
      rated_at: l.satisfaction ? l.repliedAt : null,
    })
    .execute();
}

export async function countLetters(ex: Executor, tenantId: string): Promise<number> {
  const r = await ex
    .selectFrom('letters.letter')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
