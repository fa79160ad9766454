/**
 * Use-cases of online interviews (在线访谈): schedule one, take it live, end and archive it; the public's
 * questions and their moderation; the transcript the hosts and guests write.
 *
 * The transcript is append-only and numbered per interview. Every entry is written in a transaction
 * that first takes the interview's row (`takeSeq`: last_seq + 1), so entries of one interview commit
 * in the order of their numbers: a viewer who has seen entry n has seen every entry before it, and
 * "after n" is all a resuming viewer needs to say. Writes to one interview are a few a minute (hosts
 * and guests typing), so the row lock costs nothing that matters.
 *
 * After the commit the live hub is told (`published`), and on PostgreSQL every other node too (the
 * `announce` inside the transaction is a NOTIFY, delivered at commit): see live.hub.ts.
 */
import { sql } from 'kysely';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import { authorizeActing, decide, type Actor } from '../../kernel/policy/index.ts';
import { lengthOf, maskedName, maskPersonalData, plainText } from '../../kernel/text/index.ts';
import type { NotifyMessage } from '../notify/index.ts';
import type { DemoInterview, DemoSpeaker } from './demo-interviews.ts';
import * as store from './interview.store.ts';
import type { Interview, InterviewStatus, Question } from './interview.store.ts';

export const TITLE_MAX = 100;
export const SUMMARY_MAX = 2000;
export const QUESTION_MIN = 5;
export const QUESTION_MAX = 300;
export const POST_MAX = 3000;
export const CAPTION_MAX = 200;
/** A withdrawal's reason (撤回理由), for the record. */
export const REASON_MAX = 500;
export const GUESTS_MAX = 10;
/** Questions one asker may have waiting (held or pending) in one interview: a brake on flooding. */
export const WAITING_MAX = 5;

/** The advisory lock the demo's seeding takes (any constant of its own). */
const SEED_LOCK = 7_240_431_029;

/** Where an interview may go from each status; anything else is 409. */
export const TRANSITIONS: Record<InterviewStatus, InterviewStatus | null> = {
  scheduled: 'live',
  live: 'ended',
  ended: 'archived',
  archived: null,
};

export interface ScreenResult {
  held: boolean;
  words: string[];
}

export interface InterviewPorts {
  /** The site's sensitive words (moderation): whether a public text must wait for a content moderator. */
  screen(tenantId: string, texts: readonly string[]): Promise<ScreenResult>;
  notify(ex: Executor, message: NotifyMessage): Promise<void>;
  /** The department the interview is held by (the organiser's), in the caller's executor. */
  department(
    tenantId: string,
    id: number,
    ex?: Executor,
  ): Promise<{ id: number; name: string; divisionCode: string; active: boolean } | undefined>;
  /** Staff who may be tied to a guest (holders of the guest role), for the form and the check. */
  guestAccounts(tenantId: string): Promise<{ accountId: number; name: string; divisionCode: string }[]>;
  now?(): Date;
}

/** What the service tells the live hub; the hub's `announce` runs inside the writing transaction. */
export interface LiveSink {
  announce(tx: Executor, tenantId: string, interviewId: number, seq: number): Promise<void>;
  published(tenantId: string, interviewId: number, seq: number): void;
}

export interface InterviewInput {
  title: string;
  summary: string;
  hostName: string;
  startsAt: string;
  endsAt: string;
  guests: { name: string; title: string; department: string; accountId: number | null }[];
}

const hidden = (id: number | string) => notFound('interviews.not_found', { id: String(id) });

function text(field: string, raw: string, min: number, max: number, problems: FieldProblem[]): string {
  const t = plainText(raw ?? '');
  const n = lengthOf(t);
  if (n < min || n > max)
    problems.push({
      field,
      code: min > 0 && n === 0 ? 'errors.field_required' : 'interviews.length',
      params: { min, max },
    });
  return t;
}

/** A question's asker and text as the public sees them (in the transcript). */
export const publicAsker = (q: Question) => maskedName(q.asker.name);
export const publicQuestionText = (q: Question) => maskPersonalData(q.text);

export function mayManage(actor: Actor, i: Interview): boolean {
  return decide(actor, 'interview.manage', { division: i.department.divisionCode }) === 'allow';
}

/** The guest an actor answers as, if they are tied to one. */
export function guestOf(actor: Actor, i: Interview) {
  if (actor.kind !== 'staff' || !actor.permissions.has('interview.answer')) return undefined;
  return i.guests.find((g) => g.accountId === actor.accountId);
}

export function createInterviewService(db: Database, ports: InterviewPorts, live: LiveSink) {
  const now = () => ports.now?.() ?? new Date();

  async function get(tenantId: string, id: number): Promise<Interview> {
    const i =
      Number.isSafeInteger(id) && id > 0 ? await store.findInterview(db.kysely, tenantId, id) : undefined;
    if (!i) throw hidden(id);
    return i;
  }

  /** The interview, if the actor may manage it (hosts of its jurisdiction); else 403/404. */
  async function managed(ctx: AuditContext, id: number): Promise<Interview> {
    authorizeActing(ctx, 'interview.manage');
    const i = await get(ctx.tenantId, id);
    authorizeActing(ctx, 'interview.manage', { division: i.department.divisionCode }, () => hidden(id));
    return i;
  }

  /** The interview, if the actor may write in it: a host of its jurisdiction or one of its guests. */
  async function writable(ctx: AuditContext, id: number): Promise<Interview> {
    authorizeActing(ctx, ['interview.manage', 'interview.answer']);
    const i = await get(ctx.tenantId, id);
    const a = ctx.actor;
    if (a && !mayManage(a, i) && !guestOf(a, i)) throw hidden(id);
    return i;
  }

  async function checkedInput(tenantId: string, input: InterviewInput) {
    const problems: FieldProblem[] = [];
    const title = text('title', input.title, 1, TITLE_MAX, problems);
    const summary = text('summary', input.summary, 0, SUMMARY_MAX, problems);
    const hostName = text('hostName', input.hostName, 1, 50, problems);
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    if (Number.isNaN(startsAt.getTime())) problems.push({ field: 'startsAt', code: 'interviews.bad_time' });
    if (Number.isNaN(endsAt.getTime())) problems.push({ field: 'endsAt', code: 'interviews.bad_time' });
    else if (!Number.isNaN(startsAt.getTime()) && endsAt <= startsAt)
      problems.push({ field: 'endsAt', code: 'interviews.ends_before_start' });
    const given = input.guests.filter((g) => (g.name ?? '').trim() !== '' || g.accountId !== null);
    if (given.length === 0) problems.push({ field: 'guests.0.name', code: 'interviews.guest_required' });
    if (given.length > GUESTS_MAX)
      problems.push({ field: 'guests', code: 'interviews.too_many_guests', params: { max: GUESTS_MAX } });
    const accounts = given.some((g) => g.accountId !== null) ? await ports.guestAccounts(tenantId) : [];
    const guests = given.slice(0, GUESTS_MAX).map((g, n) => {
      if (g.accountId !== null && !accounts.some((a) => a.accountId === g.accountId))
        problems.push({ field: `guests.${n}.accountId`, code: 'interviews.guest_account_unknown' });
      return {
        name: text(`guests.${n}.name`, g.name, 1, 50, problems),
        title: text(`guests.${n}.title`, g.title, 0, 100, problems),
        department: text(`guests.${n}.department`, g.department, 0, 100, problems),
        accountId: g.accountId,
      };
    });
    if (problems.length) throw invalidFields(problems);
    return { title, summary, hostName, startsAt, endsAt, guests };
  }

  /**
   * Runs `write` in a transaction holding the interview's row, with `append` numbering entries; tells
   * the live hub after the commit.
   */
  async function withTranscript<T>(
    ctx: AuditContext,
    id: number,
    write: (tx: Executor, i: Interview, append: (e: store.NewEntry) => Promise<number>) => Promise<T>,
  ): Promise<T> {
    let last = 0;
    const result = await db.kysely.transaction().execute(async (tx) => {
      const i = await store.findInterview(tx, ctx.tenantId, id, { lock: true });
      if (!i) throw hidden(id);
      const append = async (e: store.NewEntry) => {
        const seq = await store.takeSeq(tx, ctx.tenantId, id);
        await store.insertEntry(tx, ctx.tenantId, id, seq, e);
        await live.announce(tx, ctx.tenantId, id, seq);
        last = seq;
        return seq;
      };
      return write(tx, i, append);
    });
    if (last > 0) live.published(ctx.tenantId, id, last);
    return result;
  }

  function speakerOf(actor: Actor | null | undefined, i: Interview) {
    const guest = actor ? guestOf(actor, i) : undefined;
    // A host who is also tied to a guest speaks as the host: the guest's own account is how a guest speaks.
    if (guest && !(actor && mayManage(actor, i)))
      return {
        role: 'guest' as const,
        name: guest.name,
        title: [guest.department, guest.title].filter(Boolean).join(''),
      };
    return { role: 'host' as const, name: i.hostName, title: '' };
  }

  const requireLive = (i: Interview) => {
    if (i.status !== 'live') throw conflict('interviews.not_live', { status: i.status });
  };

  return {
    get,
    managed,
    writable,
    mayManage,

    /** The public lists: live now, coming, and past (ended and archived), newest first. */
    async list(
      tenantId: string,
      statuses: readonly InterviewStatus[],
      page: { limit: number; offset: number },
    ) {
      return store.listInterviews(
        db.kysely,
        tenantId,
        { statuses },
        { ...page, newestFirst: !statuses.includes('scheduled') },
      );
    },

    /** The workbench list: the interviews of the actor's jurisdiction, and those they are a guest of. */
    async forStaff(ctx: AuditContext, page: { limit: number; offset: number }) {
      authorizeActing(ctx, ['interview.manage', 'interview.answer']);
      const a = ctx.actor;
      const all: InterviewStatus[] = ['scheduled', 'live', 'ended', 'archived'];
      if (!a)
        return store.listInterviews(
          db.kysely,
          ctx.tenantId,
          { statuses: all },
          { ...page, newestFirst: true },
        );
      return store.listInterviews(
        db.kysely,
        ctx.tenantId,
        {
          statuses: all,
          ...(a.permissions.has('interview.manage') && a.division ? { divisionPrefix: a.division } : {}),
          guestAccountId: a.accountId,
        },
        { ...page, newestFirst: true },
      );
    },

    guestAccounts: (tenantId: string) => ports.guestAccounts(tenantId),

    /** The transcript after entry `after`, in order (the archive page reads it all, in pages). */
    transcript: (tenantId: string, id: number, after = 0, limit = 1000) =>
      store.entriesAfter(db.kysely, tenantId, id, after, limit),

    entry: (tenantId: string, id: number, seq: number) => store.findEntry(db.kysely, tenantId, id, seq),

    /** Schedules an interview (预告) in the host's department. */
    async create(ctx: AuditContext, input: InterviewInput): Promise<Interview> {
      authorizeActing(ctx, 'interview.manage');
      const departmentId = ctx.actor?.departmentId;
      if (ctx.actor && !departmentId) throw new DomainError('forbidden', 'policy.forbidden');
      const fields = await checkedInput(ctx.tenantId, input);
      const id = await db.kysely.transaction().execute(async (tx) => {
        const d = departmentId ? await ports.department(ctx.tenantId, departmentId, tx) : undefined;
        if (!d || !d.active) throw new DomainError('forbidden', 'policy.forbidden');
        const id = await store.insertInterview(tx, ctx.tenantId, {
          ...fields,
          department: { id: d.id, name: d.name, divisionCode: d.divisionCode },
          createdBy: ctx.actorId,
        });
        await appendAudit(tx, ctx, {
          action: 'interviews.created',
          objectType: 'interview',
          objectId: String(id),
          detail: { title: fields.title, startsAt: fields.startsAt.toISOString() },
        });
        return id;
      });
      return get(ctx.tenantId, id);
    },

    /** Changes what was announced; only before it goes live. */
    async update(ctx: AuditContext, id: number, input: InterviewInput): Promise<Interview> {
      await managed(ctx, id);
      const fields = await checkedInput(ctx.tenantId, input);
      await db.kysely.transaction().execute(async (tx) => {
        const i = await store.findInterview(tx, ctx.tenantId, id, { lock: true });
        if (!i) throw hidden(id);
        if (i.status !== 'scheduled') throw conflict('interviews.not_editable', { status: i.status });
        await store.updateInterview(tx, ctx.tenantId, id, fields);
        await appendAudit(tx, ctx, {
          action: 'interviews.updated',
          objectType: 'interview',
          objectId: String(id),
        });
      });
      return get(ctx.tenantId, id);
    },

    /**
     * A cover image (already stored and checked from its bytes by the caller) with its description,
     * the image's alt text, required; or none. In any status: an archive keeps its picture.
     */
    async setCover(
      ctx: AuditContext,
      id: number,
      cover: { digest: string; mediaType: string; alt: string } | null,
    ) {
      await managed(ctx, id);
      const problems: FieldProblem[] = [];
      const alt = cover ? text('alt', cover.alt, 1, CAPTION_MAX, problems) : '';
      if (problems.length) throw invalidFields(problems);
      await db.kysely.transaction().execute(async (tx) => {
        await store.setCover(tx, ctx.tenantId, id, cover && { ...cover, alt });
        await appendAudit(tx, ctx, {
          action: cover ? 'interviews.cover_set' : 'interviews.cover_removed',
          objectType: 'interview',
          objectId: String(id),
          detail: { digest: cover?.digest ?? null },
        });
      });
      return get(ctx.tenantId, id);
    },

    /**
     * scheduled → live → ended → archived; anything else is 409. Each goes into the transcript.
     * Archiving closes the questions still waiting (held or pending) as not taken up (未采纳) and tells
     * their askers, in the same transaction: the record is final, so nothing may wait on it.
     */
    async transition(ctx: AuditContext, id: number, to: InterviewStatus): Promise<Interview> {
      await managed(ctx, id);
      await withTranscript(ctx, id, async (tx, i, append) => {
        if (TRANSITIONS[i.status] !== to) throw conflict('interviews.bad_transition', { from: i.status, to });
        await store.setStatus(tx, ctx.tenantId, id, to);
        await append({ kind: 'status', status: to as 'live' | 'ended' | 'archived', postedBy: ctx.actorId });
        if (to === 'archived') {
          const closed = await store.closeWaiting(tx, ctx.tenantId, id, ctx.actor?.name ?? 'system');
          for (const q of closed) {
            if (q.asker.accountId !== null)
              await ports.notify(tx, {
                tenantId: ctx.tenantId,
                accountId: q.asker.accountId,
                kind: 'interviews.question_closed',
                params: { title: i.title },
                link: `/interviews/${i.id}`,
              });
            await appendAudit(tx, ctx, {
              action: 'interviews.question_closed',
              objectType: 'interview_question',
              objectId: String(q.id),
              detail: { interview: id },
            });
          }
        }
        await appendAudit(tx, ctx, {
          action: 'interviews.status_changed',
          objectType: 'interview',
          objectId: String(id),
          detail: { from: i.status, to },
        });
      });
      return get(ctx.tenantId, id);
    },

    /**
     * A signed-in person or enterprise asks, before or during the interview. A question with one of
     * the site's sensitive words is held for a content moderator; every other waits for the
     * interview's moderator. Nothing shows before a moderator approves it.
     */
    async ask(ctx: AuditContext, id: number, raw: string): Promise<Question> {
      authorizeActing(ctx, 'account.self');
      const actor = ctx.actor;
      if (!actor || actor.kind === 'staff') throw new DomainError('forbidden', 'interviews.askers_only');
      const problems: FieldProblem[] = [];
      const question = text('question', raw, QUESTION_MIN, QUESTION_MAX, problems);
      if (problems.length) throw invalidFields(problems);
      const i = await get(ctx.tenantId, id);
      if (i.status !== 'scheduled' && i.status !== 'live') throw conflict('interviews.questions_closed');
      const screened = await ports.screen(ctx.tenantId, [question]);
      return db.kysely.transaction().execute(async (tx) => {
        const waiting = (await store.questionsOfAsker(tx, ctx.tenantId, id, actor.accountId)).filter(
          (q) => q.status === 'held' || q.status === 'pending',
        );
        if (waiting.length >= WAITING_MAX)
          throw conflict('interviews.too_many_waiting', { max: WAITING_MAX });
        const q = await store.insertQuestion(tx, ctx.tenantId, {
          interviewId: id,
          asker: {
            accountId: actor.accountId,
            kind: actor.kind as 'person' | 'enterprise',
            name: actor.name,
          },
          text: question,
          status: screened.held ? 'held' : 'pending',
          heldWords: screened.held ? screened.words.slice(0, 20) : [],
          askedAt: now(),
        });
        await appendAudit(tx, ctx, {
          action: 'interviews.question_asked',
          objectType: 'interview_question',
          objectId: String(q.id),
          detail: { interview: id, held: screened.held },
        });
        return q;
      });
    },

    /** The asker's own questions in an interview, with their status. */
    async mine(ctx: AuditContext, id: number): Promise<Question[]> {
      const a = ctx.actor;
      if (!a || a.kind === 'staff') return [];
      return store.questionsOfAsker(db.kysely, ctx.tenantId, id, a.accountId);
    },

    /** The moderation queue and the approved questions, for hosts and guests. */
    async questions(ctx: AuditContext, id: number, statuses: readonly store.QuestionStatus[]) {
      await writable(ctx, id);
      return store.questionsOf(db.kysely, ctx.tenantId, id, statuses);
    },

    /** The interview's moderator approves (it goes into the transcript) or rejects a pending question. */
    async decideQuestion(
      ctx: AuditContext,
      id: number,
      questionId: number,
      decision: { approve: boolean; reason?: string },
    ): Promise<Question> {
      await managed(ctx, id);
      const reason = plainText(decision.reason ?? '').slice(0, 500);
      await withTranscript(ctx, id, async (tx, i, append) => {
        const q = await store.findQuestion(tx, ctx.tenantId, questionId, { lock: true });
        if (!q || q.interviewId !== id)
          throw notFound('interviews.question_not_found', { id: String(questionId) });
        if (q.status !== 'pending') throw conflict('interviews.question_decided', { status: q.status });
        const byName = ctx.actor?.name ?? 'system';
        if (decision.approve) {
          if (i.status === 'ended' || i.status === 'archived') throw conflict('interviews.questions_closed');
          const seq = await append({
            kind: 'question',
            speaker: { role: 'public', name: publicAsker(q), title: '' },
            text: publicQuestionText(q),
            questionId: q.id,
            postedBy: ctx.actorId,
          });
          await store.decideQuestion(tx, ctx.tenantId, q.id, { status: 'approved', byName, shownSeq: seq });
        } else {
          await store.decideQuestion(tx, ctx.tenantId, q.id, { status: 'rejected', byName, reason });
          await tellRejected(tx, ctx.tenantId, i, q, reason);
        }
        await appendAudit(tx, ctx, {
          action: decision.approve ? 'interviews.question_approved' : 'interviews.question_rejected',
          objectType: 'interview_question',
          objectId: String(q.id),
          detail: { interview: id },
        });
      });
      const q = await store.findQuestion(db.kysely, ctx.tenantId, questionId);
      return q!;
    },

    /** A host's remark, or an answer (to an approved question) by a guest or the host; live only. */
    async post(
      ctx: AuditContext,
      id: number,
      input: { text: string; questionId?: number | null | undefined },
    ): Promise<store.Entry> {
      await writable(ctx, id);
      const problems: FieldProblem[] = [];
      const body = text('text', input.text, 1, POST_MAX, problems);
      if (problems.length) throw invalidFields(problems);
      const seq = await withTranscript(ctx, id, async (tx, i, append) => {
        requireLive(i);
        const speaker = speakerOf(ctx.actor, i);
        let seq: number;
        if (input.questionId) {
          const q = await store.findQuestion(tx, ctx.tenantId, input.questionId);
          if (!q || q.interviewId !== id || q.status !== 'approved')
            throw invalidFields([{ field: 'questionId', code: 'interviews.question_not_approved' }]);
          seq = await append({
            kind: 'answer',
            speaker,
            text: body,
            questionId: q.id,
            quote: { name: publicAsker(q), text: publicQuestionText(q) },
            postedBy: ctx.actorId,
          });
          await store.markAnswered(tx, ctx.tenantId, q.id, seq);
        } else {
          seq = await append({ kind: 'remark', speaker, text: body, postedBy: ctx.actorId });
        }
        await appendAudit(tx, ctx, {
          action: 'interviews.entry_posted',
          objectType: 'interview',
          objectId: String(id),
          detail: { seq, question: input.questionId ?? null },
        });
        return seq;
      });
      return (await store.findEntry(db.kysely, ctx.tenantId, id, seq))!;
    },

    /** An image (stored and checked from its bytes by the caller) with its description; live only. */
    async postImage(
      ctx: AuditContext,
      id: number,
      image: { digest: string; mediaType: string; size: number },
      caption: string,
    ): Promise<store.Entry> {
      await writable(ctx, id);
      const problems: FieldProblem[] = [];
      const alt = text('caption', caption, 1, CAPTION_MAX, problems);
      if (problems.length) throw invalidFields(problems);
      const seq = await withTranscript(ctx, id, async (tx, i, append) => {
        requireLive(i);
        const seq = await append({
          kind: 'image',
          speaker: speakerOf(ctx.actor, i),
          text: alt,
          image,
          postedBy: ctx.actorId,
        });
        await appendAudit(tx, ctx, {
          action: 'interviews.image_posted',
          objectType: 'interview',
          objectId: String(id),
          detail: { seq, digest: image.digest },
        });
        return seq;
      });
      return (await store.findEntry(db.kysely, ctx.tenantId, id, seq))!;
    },

    /**
     * 撤回: a host withdraws an entry — a remark, a question shown, an answer, an image — while the
     * interview is live or ended (archived is final), with a reason kept in the audit chain and on the
     * row. The entry keeps its number and shows as withdrawn; a 'withdrawal' entry naming it takes the
     * next number, so live viewers are told through the stream, in order. A withdrawn answer leaves
     * its question unanswered again.
     */
    async withdraw(ctx: AuditContext, id: number, seq: number, rawReason: string): Promise<store.Entry> {
      await managed(ctx, id);
      const problems: FieldProblem[] = [];
      const reason = text('reason', rawReason, 1, REASON_MAX, problems);
      if (!Number.isSafeInteger(seq) || seq < 1)
        problems.push({ field: 'seq', code: 'errors.field_required' });
      if (problems.length) throw invalidFields(problems);
      const last = await withTranscript(ctx, id, async (tx, i, append) => {
        if (i.status !== 'live' && i.status !== 'ended')
          throw conflict('interviews.withdraw.closed', { status: i.status });
        const e = await store.findEntry(tx, ctx.tenantId, id, seq);
        if (!e) throw notFound('interviews.entry_not_found', { seq: String(seq) });
        if (e.kind === 'status' || e.kind === 'withdrawal') throw conflict('interviews.withdraw.kind');
        if (e.withdrawn) throw conflict('interviews.withdraw.already');
        await store.withdrawEntry(tx, ctx.tenantId, id, seq, { reason, by: ctx.actorId });
        if (e.kind === 'answer' && e.questionId !== null) {
          const q = await store.findQuestion(tx, ctx.tenantId, e.questionId);
          if (q?.answeredSeq === seq) await store.markAnswered(tx, ctx.tenantId, q.id, null);
        }
        const n = await append({ kind: 'withdrawal', withdraws: seq, postedBy: ctx.actorId });
        await appendAudit(tx, ctx, {
          action: 'interviews.entry_withdrawn',
          objectType: 'interview',
          objectId: String(id),
          detail: { seq, kind: e.kind, reason, withdrawal: n },
        });
        return n;
      });
      return (await store.findEntry(db.kysely, ctx.tenantId, id, last))!;
    },

    /**
     * Demo data: an interview with its guests and, for an archived one, its transcript as it was held
     * (the system's own work, audited as such). Once per title: it runs on every start.
     */
    async seed(
      ctx: AuditContext,
      demo: DemoInterview,
      ids: { departmentId: number; accountOf: (name: string) => number | undefined },
    ) {
      if (await store.interviewTitled(db.kysely, ctx.tenantId, demo.title)) return;
      const d = await ports.department(ctx.tenantId, ids.departmentId);
      if (!d) return;
      const guests = demo.guests.map((g) => ({
        name: g.name,
        title: g.title,
        department: g.department,
        accountId: g.accountName === null ? null : (ids.accountOf(g.accountName) ?? null),
      }));
      await db.kysely.transaction().execute(async (tx) => {
        // Nodes starting at once may all get past the first look: one at a time, and look again.
        await sql`select pg_advisory_xact_lock(${SEED_LOCK})`.execute(tx);
        if (await store.interviewTitled(tx, ctx.tenantId, demo.title)) return;
        const id = await store.insertInterview(tx, ctx.tenantId, {
          title: demo.title,
          summary: demo.summary,
          hostName: demo.hostName,
          startsAt: demo.startsAt,
          endsAt: demo.endsAt,
          guests,
          department: { id: d.id, name: d.name, divisionCode: d.divisionCode },
          createdBy: ctx.actorId,
        });
        await appendAudit(tx, ctx, {
          action: 'interviews.created',
          objectType: 'interview',
          objectId: String(id),
          detail: { title: demo.title, startsAt: demo.startsAt.toISOString(), demo: true },
        });
        if (demo.status !== 'archived') return;
        const at = (minute: number) => new Date(demo.startsAt.getTime() + minute * 60_000);
        const append = async (e: store.NewEntry) => {
          const seq = await store.takeSeq(tx, ctx.tenantId, id);
          await store.insertEntry(tx, ctx.tenantId, id, seq, e);
          return seq;
        };
        const speaker = (s: DemoSpeaker) => {
          if (s === 'host') return { role: 'host' as const, name: demo.hostName, title: '' };
          const g = guests[s]!;
          return { role: 'guest' as const, name: g.name, title: `${g.department}${g.title}` };
        };
        const by = ctx.actorId;
        await append({ kind: 'status', status: 'live', postedBy: by, postedAt: demo.startsAt });
        for (const e of demo.transcript) {
          if (e.kind === 'remark') {
            await append({
              kind: 'remark',
              speaker: speaker(e.speaker),
              text: e.text,
              postedBy: by,
              postedAt: at(e.minute),
            });
            continue;
          }
          const q = await store.insertQuestion(tx, ctx.tenantId, {
            interviewId: id,
            asker: { accountId: null, kind: 'person', name: e.asker },
            text: e.text,
            status: 'pending',
            heldWords: [],
            askedAt: at(e.minute - 30),
          });
          const shown = { name: publicAsker(q), text: publicQuestionText(q) };
          const shownSeq = await append({
            kind: 'question',
            speaker: { role: 'public', name: shown.name, title: '' },
            text: shown.text,
            questionId: q.id,
            postedBy: by,
            postedAt: at(e.minute),
          });
          const answeredSeq = await append({
            kind: 'answer',
            speaker: speaker(e.answer.speaker),
            text: e.answer.text,
            questionId: q.id,
            quote: shown,
            postedBy: by,
            postedAt: at(e.answer.minute),
          });
          await store.setQuestionRecord(tx, ctx.tenantId, q.id, {
            decidedAt: at(e.minute),
            byName: demo.hostName,
            shownSeq,
            answeredSeq,
          });
        }
        const archivedAt = new Date(demo.endsAt.getTime() + 86_400_000);
        await append({ kind: 'status', status: 'ended', postedBy: by, postedAt: demo.endsAt });
        await append({ kind: 'status', status: 'archived', postedBy: by, postedAt: archivedAt });
        await store.setRecordStatus(tx, ctx.tenantId, id, {
          status: 'archived',
          startedAt: demo.startsAt,
          endedAt: demo.endsAt,
          archivedAt,
        });
      });
    },

    /** Held questions for the moderation page (内容安全): release (→ pending) or reject with a reason. */
    held: {
      list: (tenantId: string) => store.heldQuestions(db.kysely, tenantId),
      async release(ctx: AuditContext, questionId: number) {
        authorizeActing(ctx, 'content.moderate');
        await db.kysely.transaction().execute(async (tx) => {
          const q = await store.findQuestion(tx, ctx.tenantId, questionId, { lock: true });
          if (!q) throw notFound('interviews.question_not_found', { id: String(questionId) });
          if (q.status !== 'held') throw conflict('interviews.question_decided', { status: q.status });
          // As if never held: it waits for the interview's moderator like any other question.
          await store.decideQuestion(tx, ctx.tenantId, q.id, { status: 'pending' });
          await appendAudit(tx, ctx, {
            action: 'interviews.question_released',
            objectType: 'interview_question',
            objectId: String(q.id),
            detail: { interview: q.interviewId },
          });
        });
      },
      async reject(ctx: AuditContext, questionId: number, reason: string) {
        authorizeActing(ctx, 'content.moderate');
        const why = plainText(reason).slice(0, 500);
        await db.kysely.transaction().execute(async (tx) => {
          const q = await store.findQuestion(tx, ctx.tenantId, questionId, { lock: true });
          if (!q) throw notFound('interviews.question_not_found', { id: String(questionId) });
          if (q.status !== 'held') throw conflict('interviews.question_decided', { status: q.status });
          const i = await store.findInterview(tx, ctx.tenantId, q.interviewId);
          await store.decideQuestion(tx, ctx.tenantId, q.id, {
            status: 'rejected',
            byName: ctx.actor?.name ?? 'system',
            reason: why,
          });
          if (i) await tellRejected(tx, ctx.tenantId, i, q, why);
          await appendAudit(tx, ctx, {
            action: 'interviews.question_rejected',
            objectType: 'interview_question',
            objectId: String(q.id),
            detail: { interview: q.interviewId, held: true },
          });
        });
      },
    },
  };

  async function tellRejected(tx: Executor, tenantId: string, i: Interview, q: Question, reason: string) {
    if (q.asker.accountId === null) return;
    await ports.notify(tx, {
      tenantId,
      accountId: q.asker.accountId,
      kind: 'interviews.question_rejected',
      params: { title: i.title, reason: reason || '—' },
      link: `/interviews/${i.id}`,
    });
  }
}

export type InterviewService = ReturnType<typeof createInterviewService>;
