/**
 * Use-cases on questions (网上咨询): ask one about a service item, answer it, read them.
 *
 * Asking opens a case on the consultation process, in the item's department, in one transaction with
 * the question's row: a question always has its case and a case of that process always its question.
 * Answering is the case's one step action; the engine checks who may take it (the department's staff
 * holding case.handle, in jurisdiction, not beaten to it by a colleague), and the answer reaches this
 * module's row through onClosed, inside the transaction that closes the case — so an answer given from
 * the generic case page is recorded the same way as one given here.
 *
 * Who sees a question: its asker; the staff of its department who handle cases. Anyone else gets 404,
 * as for an id that does not exist. The public sees answers marked public, masked (kernel/text).
 */
import { randomBytes } from 'node:crypto';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { authorizeActing, decide, type Actor } from '../../kernel/policy/index.ts';
import type { NotifyMessage } from '../notify/index.ts';
import type { Item } from '../services/index.ts';
import type { CaseService, CaseView, WorkCalendar } from '../workflow/index.ts';
import { lengthOf, maskedName, maskPersonalData, plainText } from '../../kernel/text/index.ts';
import * as store from './question.store.ts';

export type { Question } from './question.store.ts';

export const QUESTION_MAX = 1000;
export const ANSWER_MAX = 3000;
const QUESTION_MIN = 5;
/** Questions one asker may have waiting at once: enough for real use, a brake on flooding a department. */
export const OPEN_MAX = 10;

export interface ConsultationPorts {
  /** the item, whatever its status (the service checks it takes questions) */
  item(tenantId: string, code: string): Promise<Item | undefined>;
  cases: Pick<CaseService, 'create' | 'act' | 'get' | 'onClosed'>;
  /** the site's working-day calendar, in the caller's transaction */
  calendarFor(tenantId: string, ex: Executor): Promise<WorkCalendar>;
  notify(ex: Executor, message: NotifyMessage): Promise<void>;
  /** the process definition questions run on */
  process: string;
  now?(): Date;
}

/** A question as the public sees it on the guide page and through the API. */
export interface PublicQuestion {
  askerName: string;
  question: string;
  answer: string;
  department: string;
  askedAt: string;
  answeredAt: string;
}

const hidden = (id: string) => notFound('consultations.not_found', { id });

const CHINA_OFFSET_MS = 8 * 3_600_000;
const chinaDate = (at: Date) => new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/** The China date `days` working days after `at` on the calendar (the day of asking not counted). */
export function dueOn(calendar: WorkCalendar, at: Date, days: number): string {
  return calendar
    .due(new Date(`${chinaDate(at)}T00:00:00Z`), days, 'working-days')
    .due.toISOString()
    .slice(0, 10);
}

/** Whether the staff member answers for the question's department (within their jurisdiction). */
function answersFor(actor: Actor, q: store.Question): boolean {
  return (
    actor.kind === 'staff' &&
    actor.permissions.has('case.handle') &&
    actor.departmentId === q.department.id &&
    decide(actor, 'case.handle', { division: q.department.divisionCode }) === 'allow'
  );
}

function maySee(actor: Actor | null | undefined, q: store.Question): boolean {
  if (actor === undefined) return true;
  if (!actor) return false;
  return actor.kind === 'staff' ? answersFor(actor, q) : q.asker.accountId === actor.accountId;
}

const presentPublic = (q: store.Question): PublicQuestion => ({
  askerName: maskedName(q.asker.name),
  question: maskPersonalData(q.question),
  answer: maskPersonalData(q.answer ?? ''),
  department: q.department.name,
  askedAt: q.askedAt,
  answeredAt: q.answeredAt ?? q.askedAt,
});

function checkedText(field: string, raw: string, min: number, max: number): string {
  const text = plainText(raw);
  const n = lengthOf(text);
  if (n < min || n > max)
    throw invalidFields([{ field, code: `consultations.${field}.length`, params: { min, max } }]);
  return text;
}

export function createConsultationService(db: Database, ports: ConsultationPorts) {
  const now = () => ports.now?.() ?? new Date();

  /** The item as the public may see it (published), else 404. */
  async function publishedItem(tenantId: string, code: string): Promise<Item> {
    const item = /^[0-9A-Z]{6,40}$/.test(code) ? await ports.item(tenantId, code) : undefined;
    if (!item || item.status !== 'published') throw notFound('consultations.item_not_found', { code });
    return item;
  }

  /** The item, if it takes questions now: published (else 404) and with a promised answer time (else 409). */
  async function askable(tenantId: string, code: string): Promise<Item> {
    const item = await publishedItem(tenantId, code);
    if (item.consultDays === null) throw conflict('consultations.item_closed', { name: item.name });
    return item;
  }

  async function load(ctx: AuditContext, publicId: string) {
    const q = /^[A-Za-z0-9_-]{16,32}$/.test(publicId)
      ? await store.findQuestion(db.kysely, ctx.tenantId, publicId)
      : undefined;
    if (!q || !maySee(ctx.actor, q)) throw hidden(publicId);
    return q;
  }

  // The answer, from the case's log, into the question's row — in the transaction closing the case.
  ports.cases.onClosed(async (tx, closing, view: CaseView) => {
    if (view.definition.code !== ports.process) return;
    const done = [...view.events].reverse().find((e) => e.type === 'task.completed' && e.action === 'answer');
    if (done?.type !== 'task.completed') return;
    const input = done.input as { answer?: unknown; publish?: unknown };
    const text = [...plainText(String(input.answer ?? ''))].slice(0, ANSWER_MAX).join('') || '—';
    const q = await store.recordAnswer(tx, closing.tenantId, view.number, {
      text,
      public: input.publish === true,
      at: new Date(done.at),
      by: done.by,
    });
    if (!q) return;
    if ('actorId' in closing)
      await appendAudit(tx, closing, {
        action: 'consultations.question_answered',
        objectType: 'consultation',
        objectId: q.publicId,
        detail: { case: q.caseNumber, public: q.public },
      });
    await ports.notify(tx, {
      tenantId: closing.tenantId,
      accountId: q.asker.accountId,
      kind: 'consultations.answered',
      params: { item: q.item.name, department: q.department.name },
      link: `/account/consultations/${q.publicId}`,
    });
  });

  /** The staff member's department's questions, open (most urgent first) or answered (newest first). */
  async function department(
    ctx: AuditContext,
    status: 'open' | 'answered',
    page: { limit: number; offset: number },
  ) {
    authorizeActing(ctx, 'case.handle');
    const actor = ctx.actor;
    if (!actor?.departmentId) return { items: [], total: 0 };
    const r = await store.questionsOfDepartment(db.kysely, ctx.tenantId, actor.departmentId, status, page);
    return { items: r.items.filter((q) => answersFor(actor, q)), total: r.total };
  }

  return {
    publishedItem,
    askable,
    department,

    /** A signed-in person or enterprise asks about an item; the case opens in the item's department. */
    async ask(ctx: AuditContext, itemCode: string, raw: string): Promise<store.Question> {
      authorizeActing(ctx, 'account.self');
      const actor = ctx.actor;
      if (!actor || actor.kind === 'staff') throw new DomainError('forbidden', 'consultations.askers_only');
      const question = checkedText('question', raw, QUESTION_MIN, QUESTION_MAX);
      const item = await askable(ctx.tenantId, itemCode);
      if ((await store.openCountOf(db.kysely, ctx.tenantId, actor.accountId)) >= OPEN_MAX)
        throw conflict('consultations.too_many_open', { max: OPEN_MAX });
      const publicId = randomBytes(12).toString('base64url');
      const at = now();
      let asked: store.Question | undefined;
      await ports.cases.create(
        ctx,
        {
          definition: ports.process,
          title: [...translator('zh-CN')('consultations.case_title', { item: item.name })]
            .slice(0, 200)
            .join(''),
          data: { item: item.code, question },
          division: item.divisionCode,
        },
        {
          department: item.departmentId,
          within: async (tx, view) => {
            // The one place the question's department is decided: the item's, or no question at all.
            if (view.state.tasks[0]?.departmentId !== item.departmentId)
              throw conflict('consultations.not_routed', { department: item.departmentName });
            const calendar = await ports.calendarFor(ctx.tenantId, tx);
            asked = await store.insertQuestion(tx, ctx.tenantId, {
              publicId,
              item: { code: item.code, name: item.name },
              department: {
                id: item.departmentId,
                name: item.departmentName,
                divisionCode: item.divisionCode,
              },
              asker: {
                accountId: actor.accountId,
                kind: actor.kind as 'person' | 'enterprise',
                name: actor.name,
              },
              question,
              caseNumber: view.number,
              askedAt: at,
              consultDays: item.consultDays!,
              dueOn: dueOn(calendar, at, item.consultDays!),
            });
            await appendAudit(tx, ctx, {
              action: 'consultations.question_asked',
              objectType: 'consultation',
              objectId: publicId,
              detail: { item: item.code, case: view.number },
            });
          },
        },
      );
      return asked!;
    },

    /** The department answers, and says whether the answer goes on the guide page. */
    async answer(
      ctx: AuditContext,
      publicId: string,
      input: { answer: string; publish: boolean },
    ): Promise<store.Question> {
      authorizeActing(ctx, 'case.handle');
      const q = await load(ctx, publicId);
      if (ctx.actor && !answersFor(ctx.actor, q)) throw hidden(publicId);
      if (q.status === 'answered') throw conflict('consultations.already_answered');
      const answer = checkedText('answer', input.answer, 1, ANSWER_MAX);
      const view = await ports.cases.get(ctx, q.caseNumber);
      const offered = view.available.find((a) => a.action === 'step' && a.name === 'answer');
      const task = offered?.task ?? view.state.tasks.find((t) => t.status === 'open')?.no ?? 1;
      await ports.cases.act(ctx, q.caseNumber, {
        action: 'step',
        task,
        name: 'answer',
        input: { answer, publish: input.publish },
      });
      return load(ctx, publicId);
    },

    get: load,

    /** An asker's own questions; for staff, their department's open ones. */
    async mine(ctx: AuditContext): Promise<store.Question[]> {
      const actor = ctx.actor;
      if (!actor) return [];
      if (actor.kind !== 'staff') return store.questionsOf(db.kysely, ctx.tenantId, actor.accountId);
      return (await department(ctx, 'open', { limit: 100, offset: 0 })).items;
    },

    /** An item's answers given in public, masked. */
    async publicFor(tenantId: string, itemCode: string, page: { limit: number; offset: number }) {
      const r = await store.publicQuestions(db.kysely, tenantId, itemCode, page);
      return { items: r.items.map(presentPublic), total: r.total };
    },
  };
}

export type ConsultationService = ReturnType<typeof createConsultationService>;
