/** SQL of interviews (interviews.*), one function per question asked of the tables. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

export type InterviewStatus = 'scheduled' | 'live' | 'ended' | 'archived';
export type EntryKind = 'status' | 'remark' | 'question' | 'answer' | 'image' | 'withdrawal';
/** closed: still waiting when the interview was archived (未采纳) */
export type QuestionStatus = 'held' | 'pending' | 'approved' | 'rejected' | 'closed';

export interface Guest {
  position: number;
  name: string;
  title: string;
  department: string;
  /** the staff account that answers as this guest, if any */
  accountId: number | null;
}

export interface Interview {
  id: number;
  title: string;
  summary: string;
  hostName: string;
  department: { id: number; name: string; divisionCode: string };
  startsAt: string;
  endsAt: string;
  /** alt: its description, the image's alt text */
  cover: { digest: string; mediaType: string; alt: string } | null;
  status: InterviewStatus;
  lastSeq: number;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  archivedAt: string | null;
  guests: Guest[];
}

export interface Entry {
  seq: number;
  kind: EntryKind;
  status: 'live' | 'ended' | 'archived' | null;
  speaker: { role: 'host' | 'guest' | 'public'; name: string; title: string } | null;
  text: string;
  questionId: number | null;
  quote: { name: string; text: string } | null;
  image: { digest: string; mediaType: string; size: number } | null;
  postedAt: string;
  /** 撤回: withdrawn by a host (shown as withdrawn; the reason is for the record, not the public) */
  withdrawn: { at: string; reason: string } | null;
  /** a 'withdrawal' entry: the number of the entry it withdraws */
  withdraws: number | null;
}

export interface Question {
  id: number;
  interviewId: number;
  /** accountId null: typed in by the host for someone without an account (a call, the demo's record) */
  asker: { accountId: number | null; kind: 'person' | 'enterprise'; name: string };
  text: string;
  status: QuestionStatus;
  heldWords: string[];
  askedAt: string;
  decidedAt: string | null;
  decidedByName: string | null;
  reason: string | null;
  shownSeq: number | null;
  answeredSeq: number | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

type InterviewRow = {
  id: number | string;
  title: string;
  summary: string;
  host_name: string;
  department_id: number | string;
  department_name: string;
  division_code: string;
  starts_at: Date | string;
  ends_at: Date | string;
  cover_digest: string | null;
  cover_media_type: string | null;
  cover_alt: string;
  status: string;
  last_seq: number | string;
  created_at: Date | string;
  started_at: Date | string | null;
  ended_at: Date | string | null;
  archived_at: Date | string | null;
};

const interviewColumns = [
  'id',
  'title',
  'summary',
  'host_name',
  'department_id',
  'department_name',
  'division_code',
  'starts_at',
  'ends_at',
  'cover_digest',
  'cover_media_type',
  'cover_alt',
  'status',
  'last_seq',
  'created_at',
  'started_at',
  'ended_at',
  'archived_at',
] as const;

function toInterview(r: InterviewRow, guests: Guest[]): Interview {
  return {
    id: Number(r.id),
    title: r.title,
    summary: r.summary,
    hostName: r.host_name,
    department: { id: Number(r.department_id), name: r.department_name, divisionCode: r.division_code },
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    cover:
      r.cover_digest && r.cover_media_type
        ? { digest: r.cover_digest, mediaType: r.cover_media_type, alt: r.cover_alt }
        : null,
    status: r.status as InterviewStatus,
    lastSeq: Number(r.last_seq),
    createdAt: iso(r.created_at),
    startedAt: isoOrNull(r.started_at),
    endedAt: isoOrNull(r.ended_at),
    archivedAt: isoOrNull(r.archived_at),
    guests,
  };
}

async function guestsOf(ex: Executor, tenantId: string, ids: number[]): Promise<Map<number, Guest[]>> {
  const out = new Map<number, Guest[]>();
  if (ids.length === 0) return out;
  const rows = await ex
    .selectFrom('interviews.guest')
    .select(['interview_id', 'position', 'name', 'title', 'department', 'account_id'])
    .where('tenant_id', '=', tenantId)
    .where('interview_id', 'in', ids)
    .orderBy('interview_id')
    .orderBy('position')
    .execute();
  for (const r of rows) {
    const id = Number(r.interview_id);
    const list = out.get(id) ?? [];
    list.push({
      position: r.position,
      name: r.name,
      title: r.title,
      department: r.department,
      accountId: r.account_id === null ? null : Number(r.account_id),
    });
    out.set(id, list);
  }
  return out;
}

export interface InterviewFields {
  title: string;
  summary: string;
  hostName: string;
  startsAt: Date;
  endsAt: Date;
  guests: Omit<Guest, 'position'>[];
}

async function writeGuests(ex: Executor, tenantId: string, id: number, guests: InterviewFields['guests']) {
  await ex
    .deleteFrom('interviews.guest')
    .where('tenant_id', '=', tenantId)
    .where('interview_id', '=', id)
    .execute();
  if (guests.length === 0) return;
  await ex
    .insertInto('interviews.guest')
    .values(
      guests.map((g, i) => ({
        tenant_id: tenantId,
        interview_id: id,
        position: i + 1,
        name: g.name,
        title: g.title,
        department: g.department,
        account_id: g.accountId,
      })),
    )
    .execute();
}

export async function insertInterview(
  ex: Executor,
  tenantId: string,
  fields: InterviewFields & {
    department: { id: number; name: string; divisionCode: string };
    createdBy: string;
  },
): Promise<number> {
  const r = await ex
    .insertInto('interviews.interview')
    .values({
      tenant_id: tenantId,
      title: fields.title,
      summary: fields.summary,
      host_name: fields.hostName,
      department_id: fields.department.id,
      department_name: fields.department.name,
      division_code: fields.department.divisionCode,
      starts_at: fields.startsAt,
      ends_at: fields.endsAt,
      created_by: fields.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(r.id);
  await writeGuests(ex, tenantId, id, fields.guests);
  return id;
}

export async function updateInterview(ex: Executor, tenantId: string, id: number, fields: InterviewFields) {
  await ex
    .updateTable('interviews.interview')
    .set({
      title: fields.title,
      summary: fields.summary,
      host_name: fields.hostName,
      starts_at: fields.startsAt,
      ends_at: fields.endsAt,
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await writeGuests(ex, tenantId, id, fields.guests);
}

export async function setCover(
  ex: Executor,
  tenantId: string,
  id: number,
  cover: { digest: string; mediaType: string; alt: string } | null,
) {
  await ex
    .updateTable('interviews.interview')
    .set({
      cover_digest: cover?.digest ?? null,
      cover_media_type: cover?.mediaType ?? null,
      cover_alt: cover?.alt ?? '',
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** One interview; `lock` takes its row (status changes, and the transcript's numbering) until commit. */
export async function findInterview(
  ex: Executor,
  tenantId: string,
  id: number,
  options: { lock?: boolean } = {},
): Promise<Interview | undefined> {
  let q = ex
    .selectFrom('interviews.interview')
    .select(interviewColumns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (options.lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  if (!r) return undefined;
  return toInterview(r, (await guestsOf(ex, tenantId, [id])).get(id) ?? []);
}

export async function listInterviews(
  ex: Executor,
  tenantId: string,
  where: { statuses: readonly InterviewStatus[]; divisionPrefix?: string; guestAccountId?: number },
  page: { limit: number; offset: number; newestFirst: boolean },
): Promise<{ items: Interview[]; total: number }> {
  if (where.statuses.length === 0) return { items: [], total: 0 };
  let q = ex
    .selectFrom('interviews.interview as i')
    .where('i.tenant_id', '=', tenantId)
    .where('i.status', 'in', where.statuses);
  if (where.divisionPrefix !== undefined || where.guestAccountId !== undefined) {
    const prefix = where.divisionPrefix;
    const guest = where.guestAccountId;
    q = q.where((eb) =>
      eb.or([
        ...(prefix !== undefined ? [eb('i.division_code', 'like', `${prefix}%`)] : []),
        ...(guest !== undefined
          ? [
              eb.exists(
                eb
                  .selectFrom('interviews.guest as g')
                  .select('g.position')
                  .whereRef('g.tenant_id', '=', 'i.tenant_id')
                  .whereRef('g.interview_id', '=', 'i.id')
                  .where('g.account_id', '=', guest),
              ),
            ]
          : []),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    q
      .select(interviewColumns.map((c) => `i.${c}` as const))
      .orderBy('i.starts_at', page.newestFirst ? 'desc' : 'asc')
      .orderBy('i.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const guests = await guestsOf(
    ex,
    tenantId,
    rows.map((r) => Number(r.id)),
  );
  return {
    items: rows.map((r) => toInterview(r, guests.get(Number(r.id)) ?? [])),
    total: Number(count.n),
  };
}

export async function setStatus(ex: Executor, tenantId: string, id: number, status: InterviewStatus) {
  const at = sql<Date>`now()`;
  await ex
    .updateTable('interviews.interview')
    .set({
      status,
      updated_at: at,
      ...(status === 'live' ? { started_at: at } : {}),
      ...(status === 'ended' ? { ended_at: at } : {}),
      ...(status === 'archived' ? { archived_at: at } : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** The demo's record: a status reached at the given times (not now()). */
export async function setRecordStatus(
  ex: Executor,
  tenantId: string,
  id: number,
  r: { status: InterviewStatus; startedAt: Date | null; endedAt: Date | null; archivedAt: Date | null },
) {
  await ex
    .updateTable('interviews.interview')
    .set({ status: r.status, started_at: r.startedAt, ended_at: r.endedAt, archived_at: r.archivedAt })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Whether an interview of this title exists (the demo seeds each once). */
export async function interviewTitled(ex: Executor, tenantId: string, title: string): Promise<boolean> {
  const r = await ex
    .selectFrom('interviews.interview')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('title', '=', title)
    .executeTakeFirst();
  return r !== undefined;
}

/** The next entry's number, taken under the interview row's lock (held until the caller commits). */
export async function takeSeq(ex: Executor, tenantId: string, id: number): Promise<number> {
  const r = await ex
    .updateTable('interviews.interview')
    .set({ last_seq: sql`last_seq + 1` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(r.last_seq);
}

export interface NewEntry {
  kind: EntryKind;
  status?: 'live' | 'ended' | 'archived';
  speaker?: { role: 'host' | 'guest' | 'public'; name: string; title: string };
  text?: string;
  questionId?: number;
  quote?: { name: string; text: string };
  image?: { digest: string; mediaType: string; size: number };
  withdraws?: number;
  postedBy: string;
  /** the demo's record only; otherwise now() */
  postedAt?: Date;
}

export async function insertEntry(
  ex: Executor,
  tenantId: string,
  interviewId: number,
  seq: number,
  e: NewEntry,
) {
  await ex
    .insertInto('interviews.entry')
    .values({
      tenant_id: tenantId,
      interview_id: interviewId,
      seq,
      kind: e.kind,
      status: e.status ?? null,
      speaker_role: e.speaker?.role ?? '',
      speaker_name: e.speaker?.name ?? '',
      speaker_title: e.speaker?.title ?? '',
      text: e.text ?? '',
      question_id: e.questionId ?? null,
      quote_name: e.quote?.name ?? null,
      quote_text: e.quote?.text ?? null,
      image_digest: e.image?.digest ?? null,
      image_media_type: e.image?.mediaType ?? null,
      image_size: e.image?.size ?? null,
      withdraws_seq: e.withdraws ?? null,
      posted_by: e.postedBy,
      ...(e.postedAt ? { posted_at: e.postedAt } : {}),
    })
    .execute();
}

/** Entries after `after`, in order, at most `limit`. */
export async function entriesAfter(
  ex: Executor,
  tenantId: string,
  interviewId: number,
  after: number,
  limit: number,
): Promise<Entry[]> {
  const rows = await ex
    .selectFrom('interviews.entry')
    .select([
      'seq',
      'kind',
      'status',
      'speaker_role',
      'speaker_name',
      'speaker_title',
      'text',
      'question_id',
      'quote_name',
      'quote_text',
      'image_digest',
      'image_media_type',
      'image_size',
      'posted_at',
      'withdraws_seq',
      'withdrawn_at',
      'withdrawn_reason',
    ])
    .where('tenant_id', '=', tenantId)
    .where('interview_id', '=', interviewId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    kind: r.kind as EntryKind,
    status: (r.status as Entry['status']) ?? null,
    speaker: r.speaker_role
      ? { role: r.speaker_role as 'host' | 'guest' | 'public', name: r.speaker_name, title: r.speaker_title }
      : null,
    text: r.text,
    questionId: r.question_id === null ? null : Number(r.question_id),
    quote: r.quote_text !== null ? { name: r.quote_name ?? '', text: r.quote_text } : null,
    image:
      r.image_digest && r.image_media_type
        ? { digest: r.image_digest, mediaType: r.image_media_type, size: Number(r.image_size ?? 0) }
        : null,
    postedAt: iso(r.posted_at),
    withdrawn: r.withdrawn_at !== null ? { at: iso(r.withdrawn_at), reason: r.withdrawn_reason ?? '' } : null,
    withdraws: r.withdraws_seq === null ? null : Number(r.withdraws_seq),
  }));
}

/** 撤回: marks an entry withdrawn (its row stays; what shows is decided by the views). */
export async function withdrawEntry(
  ex: Executor,
  tenantId: string,
  interviewId: number,
  seq: number,
  w: { reason: string; by: string },
) {
  await ex
    .updateTable('interviews.entry')
    .set({ withdrawn_at: sql`now()`, withdrawn_by: w.by, withdrawn_reason: w.reason })
    .where('tenant_id', '=', tenantId)
    .where('interview_id', '=', interviewId)
    .where('seq', '=', seq)
    .execute();
}

export async function findEntry(ex: Executor, tenantId: string, interviewId: number, seq: number) {
  return (await entriesAfter(ex, tenantId, interviewId, seq - 1, 1)).find((e) => e.seq === seq);
}

// ---------------------------------------------------------------------------------------------
// Questions

const questionColumns = [
  'id',
  'interview_id',
  'asker_account_id',
  'asker_kind',
  'asker_name',
  'text',
  'status',
  'held_words',
  'asked_at',
  'decided_at',
  'decided_by_name',
  'reason',
  'shown_seq',
  'answered_seq',
] as const;

type QuestionRow = {
  id: number | string;
  interview_id: number | string;
  asker_account_id: number | string | null;
  asker_kind: string;
  asker_name: string;
  text: string;
  status: string;
  held_words: string[];
  asked_at: Date | string;
  decided_at: Date | string | null;
  decided_by_name: string | null;
  reason: string | null;
  shown_seq: number | string | null;
  answered_seq: number | string | null;
};

const toQuestion = (r: QuestionRow): Question => ({
  id: Number(r.id),
  interviewId: Number(r.interview_id),
  asker: {
    accountId: r.asker_account_id === null ? null : Number(r.asker_account_id),
    kind: r.asker_kind as 'person' | 'enterprise',
    name: r.asker_name,
  },
  text: r.text,
  status: r.status as QuestionStatus,
  heldWords: r.held_words ?? [],
  askedAt: iso(r.asked_at),
  decidedAt: isoOrNull(r.decided_at),
  decidedByName: r.decided_by_name,
  reason: r.reason,
  shownSeq: r.shown_seq === null ? null : Number(r.shown_seq),
  answeredSeq: r.answered_seq === null ? null : Number(r.answered_seq),
});

export async function insertQuestion(
  ex: Executor,
  tenantId: string,
  q: {
    interviewId: number;
    asker: Question['asker'];
    text: string;
    status: 'held' | 'pending';
    heldWords: string[];
    askedAt: Date;
  },
): Promise<Question> {
  const r = await ex
    .insertInto('interviews.question')
    .values({
      tenant_id: tenantId,
      interview_id: q.interviewId,
      asker_account_id: q.asker.accountId,
      asker_kind: q.asker.kind,
      asker_name: q.asker.name,
      text: q.text,
      status: q.status,
      held_words: q.heldWords,
      asked_at: q.askedAt,
    })
    .returning(questionColumns)
    .executeTakeFirstOrThrow();
  return toQuestion(r);
}

export async function findQuestion(
  ex: Executor,
  tenantId: string,
  id: number,
  options: { lock?: boolean } = {},
): Promise<Question | undefined> {
  let q = ex
    .selectFrom('interviews.question')
    .select(questionColumns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (options.lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toQuestion(r);
}

export async function questionsOf(
  ex: Executor,
  tenantId: string,
  interviewId: number,
  statuses: readonly QuestionStatus[],
  limit = 500,
): Promise<Question[]> {
  if (statuses.length === 0) return [];
  const rows = await ex
    .selectFrom('interviews.question')
    .select(questionColumns)
    .where('tenant_id', '=', tenantId)
    .where('interview_id', '=', interviewId)
    .where('status', 'in', statuses)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toQuestion);
}

export async function questionsOfAsker(
  ex: Executor,
  tenantId: string,
  interviewId: number,
  accountId: number,
) {
  const rows = await ex
    .selectFrom('interviews.question')
    .select(questionColumns)
    .where('tenant_id', '=', tenantId)
    .where('interview_id', '=', interviewId)
    .where('asker_account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  return rows.map(toQuestion);
}

/** The site's held questions (sensitive words), oldest first, with their interviews' titles. */
export async function heldQuestions(ex: Executor, tenantId: string, limit = 500) {
  const rows = await ex
    .selectFrom('interviews.question as q')
    .innerJoin('interviews.interview as i', (j) =>
      j.onRef('i.tenant_id', '=', 'q.tenant_id').onRef('i.id', '=', 'q.interview_id'),
    )
    .select(questionColumns.map((c) => `q.${c}` as const))
    .select('i.title as interview_title')
    .where('q.tenant_id', '=', tenantId)
    .where('q.status', '=', 'held')
    .orderBy('q.asked_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toQuestion(r), interviewTitle: r.interview_title }));
}

export async function decideQuestion(
  ex: Executor,
  tenantId: string,
  id: number,
  d: { status: QuestionStatus; byName?: string; reason?: string | null; shownSeq?: number | null },
) {
  await ex
    .updateTable('interviews.question')
    .set({
      status: d.status,
      ...(d.byName !== undefined ? { decided_at: sql`now()`, decided_by_name: d.byName } : {}),
      ...(d.reason !== undefined ? { reason: d.reason } : {}),
      ...(d.shownSeq !== undefined ? { shown_seq: d.shownSeq } : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Questions still waiting (held or pending) when the interview is archived: closed as not taken up. */
export async function closeWaiting(ex: Executor, tenantId: string, interviewId: number, byName: string) {
  const rows = await ex
    .updateTable('interviews.question')
    .set({ status: 'closed', decided_at: sql`now()`, decided_by_name: byName })
    .where('tenant_id', '=', tenantId)
    .where('interview_id', '=', interviewId)
    .where('status', 'in', ['held', 'pending'])
    .returning(questionColumns)
    .execute();
  return rows.map(toQuestion);
}

/** The demo's record: a question as it was decided, with the entry that showed it and its answer. */
export async function setQuestionRecord(
  ex: Executor,
  tenantId: string,
  id: number,
  r: { decidedAt: Date; byName: string; shownSeq: number; answeredSeq: number | null },
) {
  await ex
    .updateTable('interviews.question')
    .set({
      status: 'approved',
      decided_at: r.decidedAt,
      decided_by_name: r.byName,
      shown_seq: r.shownSeq,
      answered_seq: r.answeredSeq,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function markAnswered(ex: Executor, tenantId: string, id: number, seq: number | null) {
  await ex
    .updateTable('interviews.question')
    .set({ answered_seq: seq })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}
