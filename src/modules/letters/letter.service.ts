/**
 * Use-cases on letters (领导信箱, 咨询投诉): write one, hold it for moderation or open its case, forward,
 * reply, publish, rate; read them as the writer, the department and the public.
 *
 * A letter that passes screening opens its case at once, in one transaction with its row. A letter
 * holding sensitive words is stored `held` and waits in the moderation queue (heldSource below):
 * released, its case opens then — as if it had just been written, the writer as the case's applicant;
 * rejected, the writer is told with the reason. Forwarding is the engine's transfer of the reply task
 * (转办), and the reply is its one step action: this module learns of both through onChanged/onClosed,
 * inside the case's transaction, whichever page they were taken on.
 *
 * Who sees a letter: its writer; staff handling cases in its current department (in jurisdiction);
 * the public only a letter the writer allowed and the department published, masked (kernel/text).
 * Anyone else gets 404.
 */
import { randomBytes } from 'node:crypto';
import { appendAudit, auditStatement, type AuditContext } from '../../kernel/audit/index.ts';
import type { Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import { checkPhone } from '../../kernel/forms/index.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { authorizeActing, decide, type Actor } from '../../kernel/policy/index.ts';
import { lengthOf, maskedName, maskPersonalData, plainText } from '../../kernel/text/index.ts';
import type { HeldSource, Screen } from '../moderation/index.ts';
import type { NotifyMessage } from '../notify/index.ts';
import type { CaseService, CaseView, DepartmentRef } from '../workflow/index.ts';
import { attachmentProblems, type LetterAttachment } from './attachments.ts';
import * as store from './letter.store.ts';
import {
  LETTER_KINDS,
  SATISFACTIONS,
  type Letter,
  type LetterKind,
  type Satisfaction,
} from './letter.store.ts';
import type { Mailbox, MailboxService } from './mailbox.service.ts';

export type { DepartmentFigures, Letter, LetterKind, Satisfaction } from './letter.store.ts';
export type { Mailbox } from './mailbox.service.ts';
export { LETTER_KINDS, SATISFACTIONS };

export const TITLE = { min: 2, max: 100 } as const;
export const BODY = { min: 10, max: 5000 } as const;
export const REPLY_MAX = 5000;
const DEPARTMENT_CACHE_MS = 10_000;

export interface LetterPorts {
  cases: Pick<CaseService, 'create' | 'act' | 'get' | 'onClosed' | 'onChanged'>;
  /** the site's active departments a letter may be addressed to */
  departments(tenantId: string): Promise<DepartmentRef[]>;
  department(tenantId: string, id: number, ex?: Executor): Promise<DepartmentRef | undefined>;
  notify(ex: Executor, message: NotifyMessage): Promise<void>;
  /** content screening (moderation) */
  screen: Screen;
  keyring: Sm4Keyring;
  /** the process definition letters run on */
  process: string;
  now?(): Date;
}

export interface WriteInput {
  kind: string;
  mailboxId?: number | null | undefined;
  departmentId?: number | null | undefined;
  title: string;
  body: string;
  phone: string;
  mayPublish: boolean;
  /** files the upload already put in the blob store */
  attachments?: LetterAttachment[] | undefined;
  /** what the upload refused (too large, wrong type, too many): named with the letter's other problems */
  refusedAttachments?: FieldProblem[] | undefined;
}

/** A letter as the public sees it: published, with the writer's name and identifiers masked. */
export interface PublicLetter {
  id: string;
  kind: LetterKind;
  addressee: string;
  department: string;
  writerName: string;
  title: string;
  body: string;
  reply: string;
  writtenAt: string;
  repliedAt: string;
  satisfaction: Satisfaction | null;
}

const hidden = (id: string) => notFound('letters.not_found', { id });
const PUBLIC_ID = /^[A-Za-z0-9_-]{16,32}$/;

/** Whether the staff member answers for the letter's current department (within their jurisdiction). */
function answersFor(actor: Actor, l: Letter): boolean {
  return (
    actor.kind === 'staff' &&
    actor.permissions.has('case.handle') &&
    actor.departmentId === l.department.id &&
    decide(actor, 'case.handle', { division: l.department.divisionCode }) === 'allow'
  );
}

function maySee(actor: Actor | null | undefined, l: Letter): boolean {
  if (actor === undefined) return true;
  if (!actor) return false;
  if (actor.kind === 'staff') return l.caseNumber !== null && answersFor(actor, l);
  return l.writer.accountId === actor.accountId;
}

export const presentPublic = (l: Letter): PublicLetter => ({
  id: l.publicId,
  kind: l.kind,
  addressee: l.mailbox?.name ?? l.department.name,
  department: l.department.name,
  writerName: maskedName(l.writer.name),
  title: maskPersonalData(l.title),
  body: maskPersonalData(l.body),
  reply: maskPersonalData(l.reply ?? ''),
  writtenAt: l.writtenAt,
  repliedAt: l.repliedAt ?? l.writtenAt,
  satisfaction: l.satisfaction,
});

/** The open task's deadline, else the case's. */
const dueOf = (view: CaseView): Date | null =>
  view.state.tasks.find((t) => t.status === 'open')?.dueAt ?? view.state.dueAt ?? null;

export function createLetterService(
  db: Database,
  ports: LetterPorts,
  mailboxes: Pick<MailboxService, 'active'>,
) {
  const now = () => ports.now?.() ?? new Date();
  // The addressed department is read on every letter (its name and division go on it) and changes
  // about never: kept a few seconds per node, as the mailboxes are (mailbox.service.ts).
  const departmentsSeen = new Map<string, { at: number; d: Promise<DepartmentRef | undefined> }>();
  const departmentOf = (tenantId: string, id: number): Promise<DepartmentRef | undefined> => {
    const key = `${tenantId}:${id}`;
    const hit = departmentsSeen.get(key);
    if (hit && Date.now() - hit.at < DEPARTMENT_CACHE_MS) return hit.d;
    if (departmentsSeen.size > 10_000) departmentsSeen.clear();
    const d = ports.department(tenantId, id);
    departmentsSeen.set(key, { at: Date.now(), d });
    d.catch(() => departmentsSeen.delete(key));
    return d;
  };
  const mailboxesOf = (tenantId: string): Promise<Mailbox[]> => mailboxes.active(tenantId);

  async function load(ctx: AuditContext, publicId: string): Promise<Letter> {
    const l = PUBLIC_ID.test(publicId)
      ? await store.findLetter(db.kysely, ctx.tenantId, publicId)
      : undefined;
    if (!l || !maySee(ctx.actor, l)) throw hidden(publicId);
    return l;
  }

  async function loadForStaff(ctx: AuditContext, publicId: string): Promise<Letter> {
    authorizeActing(ctx, 'case.handle');
    const l = await load(ctx, publicId);
    if (ctx.actor && !answersFor(ctx.actor, l)) throw hidden(publicId);
    return l;
  }

  /** Checks everything a writer sends at once; the addressee resolved to a department. */
  async function checked(tenantId: string, input: WriteInput) {
    const problems: FieldProblem[] = [];
    const kind = LETTER_KINDS.includes(input.kind as LetterKind) ? (input.kind as LetterKind) : null;
    if (!kind) problems.push({ field: 'kind', code: 'letters.kind.invalid' });
    let mailbox: Mailbox | undefined;
    let department: DepartmentRef | undefined;
    if (kind === 'leader') {
      mailbox = (await mailboxesOf(tenantId)).find((m) => m.id === input.mailboxId);
      if (!mailbox) problems.push({ field: 'mailboxId', code: 'letters.mailbox.required' });
      else department = await departmentOf(tenantId, mailbox.departmentId);
      if (mailbox && !department?.active)
        problems.push({ field: 'mailboxId', code: 'letters.mailbox.required' });
    } else if (kind) {
      const id = input.departmentId;
      department = id ? await departmentOf(tenantId, id) : undefined;
      if (!department?.active) problems.push({ field: 'departmentId', code: 'letters.department.required' });
    }
    const text = (field: string, raw: string, b: { min: number; max: number }) => {
      const t = plainText(raw);
      const n = lengthOf(t);
      if (n < b.min || n > b.max)
        problems.push({
          field,
          code: n === 0 ? `letters.${field}.required` : `letters.${field}.length`,
          params: { min: b.min, max: b.max, length: n },
        });
      return t;
    };
    const title = text('title', input.title, TITLE).replace(/\s+/g, ' ');
    const body = text('body', input.body, BODY);
    const phone = checkPhone(input.phone);
    if (!phone.valid)
      problems.push({ field: 'phone', code: input.phone.trim() ? phone.reason : 'letters.phone.required' });
    const attachments = input.attachments ?? [];
    problems.push(...(input.refusedAttachments ?? []), ...attachmentProblems(attachments));
    if (problems.length > 0) throw invalidFields(problems);
    return {
      kind: kind!,
      mailbox: mailbox ? { id: mailbox.id, name: mailbox.name } : null,
      department: department!,
      title,
      body,
      phone: phone.valid ? phone.normalized : '',
      attachments,
    };
  }

  /**
   * Opens the letter's case: for its writer (ctx their own) or, on a release, in the platform's name
   * with the writer as applicant (a moderator handles no cases). `opened` runs in its transaction.
   */
  async function openCase(
    ctx: AuditContext,
    l: Pick<Letter, 'publicId' | 'kind' | 'title' | 'body' | 'writer' | 'attachments'> & {
      department: { id: number; divisionCode: string };
    },
    asWriter: boolean,
    opened: (tx: Executor, view: CaseView) => Promise<void>,
  ): Promise<void> {
    const caseCtx: AuditContext = asWriter ? ctx : { ...ctx, actor: undefined };
    await ports.cases.create(
      caseCtx,
      {
        definition: ports.process,
        title: [...translator('zh-CN')('letters.case_title', { title: l.title })].slice(0, 200).join(''),
        data: { letter: l.publicId, kind: l.kind, body: l.body },
        attachments: l.attachments,
        division: l.department.divisionCode,
        ...(asWriter
          ? {}
          : { applicant: { kind: l.writer.kind, accountId: l.writer.accountId, name: l.writer.name } }),
      },
      {
        department: l.department.id,
        within: async (tx, view) => {
          if (view.state.tasks[0]?.departmentId !== l.department.id)
            throw conflict('letters.not_routed', { department: String(l.department.id) });
          await opened(tx, view);
        },
      },
    );
  }

  // Forwarding (the engine's transfer) and new deadlines reach the letter's row in the case's transaction.
  ports.cases.onChanged(async (tx, ctx, view, appended) => {
    if (view.definition.code !== ports.process) return;
    const transferred = [...appended].reverse().find((e) => e.type === 'task.transferred');
    let department: { id: number; name: string; divisionCode: string } | undefined;
    if (transferred?.type === 'task.transferred') {
      const d = await ports.department(ctx.tenantId, transferred.departmentId, tx);
      department = { id: transferred.departmentId, name: d?.name ?? '', divisionCode: transferred.division };
      if ('actorId' in ctx) {
        const l = await store.findByCase(tx, ctx.tenantId, view.number);
        if (l)
          await appendAudit(tx, ctx, {
            action: 'letters.letter_forwarded',
            objectType: 'letter',
            objectId: l.publicId,
            detail: { case: view.number, from: l.department.id, to: transferred.departmentId },
          });
      }
    }
    // A closing change keeps the deadline the letter was answered against.
    const open = view.state.tasks.find((t) => t.status === 'open');
    if (open || department)
      await store.follow(tx, ctx.tenantId, view.number, {
        department,
        dueAt: open ? dueOf(view) : undefined,
      });
  });

  // The reply, from the case's log into the letter's row — in the transaction closing the case.
  ports.cases.onClosed(async (tx, closing, view) => {
    if (view.definition.code !== ports.process) return;
    const done = [...view.events].reverse().find((e) => e.type === 'task.completed' && e.action === 'reply');
    if (done?.type !== 'task.completed') return;
    const input = done.input as { reply?: unknown; publish?: unknown };
    const text = [...plainText(String(input.reply ?? ''))].slice(0, REPLY_MAX).join('') || '—';
    const l = await store.recordReply(tx, closing.tenantId, view.number, {
      text,
      public: input.publish === true,
      at: new Date(done.at),
      byName: done.by.name,
    });
    if (!l) return;
    if ('actorId' in closing)
      await appendAudit(tx, closing, {
        action: 'letters.letter_replied',
        objectType: 'letter',
        objectId: l.publicId,
        detail: { case: view.number, public: l.public },
      });
    if (l.writer.accountId === null) return;
    await ports.notify(tx, {
      tenantId: closing.tenantId,
      accountId: l.writer.accountId,
      kind: 'letters.replied',
      params: { title: l.title, department: l.department.name },
      link: `/account/letters/${l.publicId}`,
    });
  });

  /** The moderation queue's view of held letters. */
  const heldSource: HeldSource = {
    kind: 'letters',
    titleKey: 'letters.title',
    async list(tenantId) {
      return (await store.heldLetters(db.kysely, tenantId)).map((l) => ({
        id: l.publicId,
        writer: l.writer.name,
        excerpt: [...`${l.title}\n${l.body}`].slice(0, 300).join(''),
        words: l.heldWords,
        at: new Date(l.writtenAt),
      }));
    },
    async release(ctx, id) {
      const l = PUBLIC_ID.test(id) ? await store.findLetter(db.kysely, ctx.tenantId, id) : undefined;
      if (!l) throw hidden(id);
      if (l.status !== 'held') throw conflict('letters.not_held');
      await openCase(ctx, l, false, async (tx, view) => {
        const again = await store.findLetter(tx, ctx.tenantId, id, true);
        if (again?.status !== 'held') throw conflict('letters.not_held');
        await store.markOpened(tx, ctx.tenantId, l.id, {
          caseNumber: view.number,
          receivedAt: now(),
          dueAt: dueOf(view),
        });
        await appendAudit(tx, ctx, {
          action: 'letters.letter_released',
          objectType: 'letter',
          objectId: l.publicId,
          detail: { case: view.number },
        });
      });
    },
    async reject(ctx, id, reason) {
      await db.kysely.transaction().execute(async (tx) => {
        const l = PUBLIC_ID.test(id) ? await store.findLetter(tx, ctx.tenantId, id, true) : undefined;
        if (!l) throw hidden(id);
        if (l.status !== 'held') throw conflict('letters.not_held');
        await store.markRejected(tx, ctx.tenantId, l.id, reason);
        await appendAudit(tx, ctx, {
          action: 'letters.letter_rejected',
          objectType: 'letter',
          objectId: l.publicId,
        });
        if (l.writer.accountId !== null)
          await ports.notify(tx, {
            tenantId: ctx.tenantId,
            accountId: l.writer.accountId,
            kind: 'letters.rejected',
            params: { title: l.title, reason },
            link: `/account/letters/${l.publicId}`,
          });
      });
    },
  };

  return {
    heldSource,
    get: load,
    getForStaff: loadForStaff,
    mailboxes: mailboxesOf,
    departments: (tenantId: string) => ports.departments(tenantId),

    /**
     * A signed-in person or enterprise writes. Held for its words: stored, waiting for a moderator
     * (status `held`), the writer told so. Otherwise its case opens in the same transaction.
     */
    async write(ctx: AuditContext, input: WriteInput): Promise<Letter> {
      authorizeActing(ctx, 'account.self');
      const actor = ctx.actor;
      if (!actor || actor.kind === 'staff') throw new DomainError('forbidden', 'letters.writers_only');
      const c = await checked(ctx.tenantId, input);
      const screened = await ports.screen(ctx.tenantId, [c.title, c.body]);
      const letter: store.NewLetter = {
        publicId: randomBytes(12).toString('base64url'),
        kind: c.kind,
        mailbox: c.mailbox,
        department: { id: c.department.id, name: c.department.name, divisionCode: c.department.divisionCode },
        writer: {
          accountId: actor.accountId,
          kind: actor.kind as 'person' | 'enterprise',
          name: actor.name,
          phoneCipher: ports.keyring.encrypt(c.phone),
        },
        title: c.title,
        body: c.body,
        attachments: c.attachments,
        mayPublish: input.mayPublish,
        heldWords: screened.words,
        writtenAt: now(),
      };
      if (screened.held) {
        return db.kysely.transaction().execute(async (tx) => {
          const l = await store.insertLetter(tx, ctx.tenantId, letter);
          await appendAudit(tx, ctx, {
            action: 'letters.letter_held',
            objectType: 'letter',
            objectId: l.publicId,
            detail: { words: screened.words.length, attachments: letter.attachments.length },
          });
          return l;
        });
      }
      let written: Letter | undefined;
      await openCase(ctx, { ...letter, department: letter.department }, true, async (tx, view) => {
        written = await store.insertLetterAudited(
          tx,
          ctx.tenantId,
          letter,
          { caseNumber: view.number, receivedAt: letter.writtenAt, dueAt: dueOf(view) },
          auditStatement(db, ctx, {
            action: 'letters.letter_written',
            objectType: 'letter',
            objectId: letter.publicId,
            detail: { case: view.number, attachments: letter.attachments.length },
          }),
        );
      });
      return written!;
    },

    /** The department replies, and says whether the letter goes public (only if the writer allowed it). */
    async reply(
      ctx: AuditContext,
      publicId: string,
      input: { reply: string; publish: boolean },
    ): Promise<Letter> {
      const l = await loadForStaff(ctx, publicId);
      if (l.status !== 'open') throw conflict('letters.not_open');
      const reply = plainText(input.reply);
      const n = lengthOf(reply);
      if (n < 1 || n > REPLY_MAX)
        throw invalidFields([
          { field: 'reply', code: 'letters.reply.length', params: { min: 1, max: REPLY_MAX } },
        ]);
      const view = await ports.cases.get(ctx, l.caseNumber!);
      const offered = view.available.find((a) => a.action === 'step' && a.name === 'reply');
      if (!offered?.task) throw conflict('letters.not_yours');
      await ports.cases.act(ctx, l.caseNumber!, {
        action: 'step',
        task: offered.task,
        name: 'reply',
        input: { reply, publish: input.publish && l.mayPublish },
      });
      return load(ctx, publicId);
    },

    /** Forwards to another department (转办): the engine's transfer of the reply task, with a reason. */
    async forward(
      ctx: AuditContext,
      publicId: string,
      input: { departmentId: number; reason: string },
    ): Promise<Letter> {
      const l = await loadForStaff(ctx, publicId);
      if (l.status !== 'open') throw conflict('letters.not_open');
      const reason = plainText(input.reason);
      const problems: FieldProblem[] = [];
      const target = input.departmentId
        ? await ports.department(ctx.tenantId, input.departmentId)
        : undefined;
      if (!target?.active) problems.push({ field: 'departmentId', code: 'letters.department.required' });
      else if (target.id === l.department.id)
        problems.push({ field: 'departmentId', code: 'letters.forward.same_department' });
      if (lengthOf(reason) < 2 || lengthOf(reason) > 500)
        problems.push({ field: 'reason', code: 'letters.forward.reason', params: { min: 2, max: 500 } });
      if (problems.length) throw invalidFields(problems);
      const view = await ports.cases.get(ctx, l.caseNumber!);
      const offered = view.available.find((a) => a.action === 'transfer');
      if (!offered?.task) throw conflict('letters.not_yours');
      await ports.cases.act(ctx, l.caseNumber!, {
        action: 'transfer',
        task: offered.task,
        departmentId: target!.id,
        division: target!.divisionCode,
        reason,
      });
      return (await store.findLetter(db.kysely, ctx.tenantId, publicId))!;
    },

    /** The department shows or withdraws a replied letter on the portal (never one the writer kept private). */
    async setPublication(ctx: AuditContext, publicId: string, on: boolean): Promise<Letter> {
      const l = await loadForStaff(ctx, publicId);
      if (l.status !== 'replied') throw conflict('letters.not_replied');
      if (on && !l.mayPublish) throw conflict('letters.private');
      await db.kysely.transaction().execute(async (tx) => {
        await store.setPublic(tx, ctx.tenantId, l.id, on);
        await appendAudit(tx, ctx, {
          action: on ? 'letters.letter_published' : 'letters.letter_withdrawn',
          objectType: 'letter',
          objectId: l.publicId,
        });
      });
      return load(ctx, publicId);
    },

    /** The writer rates the reply once (满意 / 基本满意 / 不满意). */
    async rate(ctx: AuditContext, publicId: string, raw: string): Promise<Letter> {
      authorizeActing(ctx, 'account.self');
      const l = await load(ctx, publicId);
      if (ctx.actor && l.writer.accountId !== ctx.actor.accountId) throw hidden(publicId);
      if (!SATISFACTIONS.includes(raw as Satisfaction))
        throw invalidFields([{ field: 'satisfaction', code: 'letters.satisfaction.invalid' }]);
      if (l.status !== 'replied') throw conflict('letters.not_replied');
      await db.kysely.transaction().execute(async (tx) => {
        if (!(await store.rate(tx, ctx.tenantId, l.id, raw as Satisfaction, now())))
          throw conflict('letters.already_rated');
        await appendAudit(tx, ctx, {
          action: 'letters.letter_rated',
          objectType: 'letter',
          objectId: l.publicId,
          detail: { satisfaction: raw },
        });
      });
      return load(ctx, publicId);
    },

    /** The writer's phone in full, for the department that must call back; the view is audited. */
    async phone(ctx: AuditContext, publicId: string): Promise<string> {
      const l = await loadForStaff(ctx, publicId);
      await appendAudit(db.kysely, ctx, {
        action: 'letters.phone_viewed',
        objectType: 'letter',
        objectId: l.publicId,
      });
      return ports.keyring.decrypt(l.writer.phoneCipher);
    },

    /**
     * One of the letter's attachments, for its writer or the department answering it (anyone else:
     * 404, as for a letter that does not exist); each download is audited, as the files are personal.
     */
    async attachment(ctx: AuditContext, publicId: string, digest: string): Promise<LetterAttachment> {
      authorizeActing(ctx, ['account.self', 'case.handle']);
      const l = await load(ctx, publicId);
      const a = l.attachments.find((x) => x.digest === digest);
      if (!a) throw notFound('letters.attachment_not_found');
      await appendAudit(db.kysely, ctx, {
        action: 'letters.attachment_downloaded',
        objectType: 'letter',
        objectId: l.publicId,
        detail: { digest: a.digest, size: a.size },
      });
      return a;
    },

    /** The writer's own phone, masked, on their own page. */
    maskedPhone: (l: Letter) => maskPersonalData(ports.keyring.decrypt(l.writer.phoneCipher)),

    /** The writer's letters, newest first. */
    async mine(ctx: AuditContext): Promise<Letter[]> {
      authorizeActing(ctx, 'account.self');
      const actor = ctx.actor;
      if (!actor || actor.kind === 'staff') return [];
      return store.lettersOf(db.kysely, ctx.tenantId, actor.accountId);
    },

    /** The staff member's department's letters, open (most urgent first) or replied (newest first). */
    async department(ctx: AuditContext, status: 'open' | 'replied', page: { limit: number; offset: number }) {
      authorizeActing(ctx, 'case.handle');
      const actor = ctx.actor;
      if (!actor?.departmentId) return { items: [], total: 0 };
      const r = await store.lettersOfDepartment(db.kysely, ctx.tenantId, actor.departmentId, status, page);
      return { items: r.items.filter((l) => answersFor(actor, l)), total: r.total };
    },

    async publicList(
      tenantId: string,
      filter: { kind?: LetterKind | undefined },
      page: { limit: number; offset: number },
    ) {
      const r = await store.publicLetters(db.kysely, tenantId, filter, page);
      return { items: r.items.map(presentPublic), total: r.total };
    },

    async publicGet(tenantId: string, publicId: string): Promise<PublicLetter> {
      const l = PUBLIC_ID.test(publicId) ? await store.findLetter(db.kysely, tenantId, publicId) : undefined;
      if (!l?.public) throw hidden(publicId);
      return presentPublic(l);
    },

    /** Per department, the letters received in a year (China time): replied, on time, satisfaction. */
    async statistics(tenantId: string, year: number) {
      const from = new Date(Date.UTC(year, 0, 1) - 8 * 3_600_000);
      const to = new Date(Date.UTC(year + 1, 0, 1) - 8 * 3_600_000);
      return store.figures(db.kysely, tenantId, from, to);
    },

    /**
     * Seeds published letters replied before the platform (the demo's), once: only into a site with
     * no letters at all.
     */
    async seedPublished(
      tenantId: string,
      list: {
        mailbox: string;
        writer: string;
        title: string;
        body: string;
        reply: string;
        daysAgo: number;
        satisfaction: Satisfaction | null;
      }[],
    ): Promise<void> {
      if ((await store.countLetters(db.kysely, tenantId)) > 0) return;
      const boxes = await mailboxes.active(tenantId);
      await db.kysely.transaction().execute(async (tx) => {
        for (const x of list) {
          const box = boxes.find((b) => b.name === x.mailbox);
          const d = box && (await ports.department(tenantId, box.departmentId, tx));
          if (!box || !d) continue;
          const at = new Date(now().getTime() - x.daysAgo * 86_400_000);
          await store.insertImported(tx, tenantId, {
            publicId: randomBytes(12).toString('base64url'),
            kind: 'leader',
            mailbox: { id: box.id, name: box.name },
            department: { id: d.id, name: d.name, divisionCode: d.divisionCode },
            writer: {
              accountId: null,
              kind: 'person',
              name: x.writer,
              phoneCipher: ports.keyring.encrypt(''),
            },
            title: x.title,
            body: x.body,
            mayPublish: true,
            writtenAt: at,
            dueAt: new Date(at.getTime() + 14 * 86_400_000),
            reply: x.reply,
            repliedAt: new Date(at.getTime() + 5 * 86_400_000),
            satisfaction: x.satisfaction,
          });
        }
      });
    },
  };
}

export type LetterService = ReturnType<typeof createLetterService>;
