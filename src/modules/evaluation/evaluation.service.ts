/**
 * Use-cases of 好差评: the applicant rates a closed case once; a 差评 opens a rectification case in
 * the department that handled it, in the same transaction as the rating; when that case closes, its
 * outcome and reply are kept for the rater and sent to them. Supervisors read the figures per
 * department of their jurisdiction.
 *
 * The case itself is always read through the workflow (cases.get as the caller), so whoever may not
 * see a case gets the same 404 here as there.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import { catalogFor, translator } from '../../kernel/i18n/index.ts';
import { authorizeActing, jurisdictionPrefix, type Actor } from '../../kernel/policy/index.ts';
import type { NotifyMessage } from '../notify/index.ts';
import type { CaseClosedListener, CaseService, CaseView, DepartmentRef } from '../workflow/index.ts';
import {
  COMMENT_MAX,
  dueDay,
  EVALUATION_WINDOW_DAYS,
  evaluableUntil,
  handlingDepartments,
  isBadReview,
  isLevel,
  levelKey,
  plainText,
  replyOf,
  textLength,
  type Level,
} from './evaluation.ts';
import * as store from './evaluation.store.ts';

export interface EvaluationPorts {
  cases: Pick<CaseService, 'get' | 'create'>;
  /** a department of the site, through the caller's executor */
  department(tenantId: string, id: number, ex: Executor): Promise<DepartmentRef | undefined>;
  /** queues an in-app message in the caller's transaction */
  notify(ex: Executor, message: NotifyMessage): Promise<void>;
  /** the process definition a 差评's rectification case runs on */
  rectificationProcess: string;
  now?(): Date;
}

export interface EvaluationInput {
  level: number;
  comment?: string | undefined;
  /** 匿名评价: the department does not learn the rater's name */
  anonymous?: boolean | undefined;
}

/** An evaluation as the caller may see it. */
export interface EvaluationView {
  caseNumber: string;
  caseTitle: string;
  definitionCode: string;
  definitionName: string;
  level: Level;
  bad: boolean;
  comment: string;
  anonymous: boolean;
  /** '' for an anonymous one */
  raterName: string;
  departmentId: number;
  departmentIds: number[];
  caseClosedAt: Date;
  evaluatedAt: Date;
  rectification: {
    /** the rectification case: staff only (the rater cannot open an internal case) */
    number: string | null;
    dueAt: Date | null;
    outcome: string | null;
    reply: string | null;
    closedAt: Date | null;
  } | null;
}

export interface DepartmentFigures {
  departmentId: number;
  divisionCode: string;
  /** counts by level, [非常不满意, 不满意, 基本满意, 满意, 非常满意] */
  byLevel: [number, number, number, number, number];
  total: number;
  /** 好评率: share rated 基本满意 or better */
  goodRate: number | null;
  bad: number;
  rectified: number;
  /** 差评整改率: share of the 差评 whose rectification case has closed */
  rectificationRate: number | null;
}

const zh = translator('zh-CN');
const hidden = (number: string) => notFound('workflow.case.not_found', { number });

/** Whether the actor is the case's applicant (a person's or enterprise's own account). */
const isApplicant = (actor: Actor | null | undefined, state: CaseView['state']) =>
  !!actor &&
  actor.kind !== 'staff' &&
  state.applicant.accountId !== null &&
  state.applicant.accountId === actor.accountId;

export function createEvaluationService(db: Database, ports: EvaluationPorts) {
  const now = () => ports.now?.() ?? new Date();

  function present(e: store.EvaluationRow, forRater: boolean): EvaluationView {
    return {
      caseNumber: e.caseNumber,
      caseTitle: e.caseTitle,
      definitionCode: e.definitionCode,
      definitionName: e.definitionName,
      level: e.level as Level,
      bad: isBadReview(e.level),
      comment: e.comment,
      anonymous: e.anonymous,
      raterName: e.anonymous ? '' : e.raterName,
      departmentId: e.departmentId,
      departmentIds: e.departmentIds,
      caseClosedAt: e.caseClosedAt,
      evaluatedAt: e.evaluatedAt,
      rectification: e.rectification && {
        ...e.rectification,
        number: forRater ? null : e.rectification.number,
      },
    };
  }

  /** The comment as stored, or the problems with it. */
  function checkInput(input: EvaluationInput): { level: Level; comment: string } {
    const problems = [];
    if (!isLevel(input.level)) problems.push({ field: 'level', code: 'evaluation.level.required' });
    const comment = plainText(input.comment ?? '');
    if (textLength(comment) > COMMENT_MAX)
      problems.push({ field: 'comment', code: 'evaluation.comment.too_long', params: { max: COMMENT_MAX } });
    // A department cannot verify or rectify a complaint it is not told (GB/T 39734 §9: 差评 are sorted
    // by what they are about), so a 差评 says what went wrong.
    else if (isLevel(input.level) && isBadReview(input.level) && textLength(comment) < 2)
      problems.push({ field: 'comment', code: 'evaluation.comment.required_for_bad' });
    if (problems.length > 0) throw invalidFields(problems);
    return { level: input.level as Level, comment };
  }

  /** Opens the rectification case in the department and writes the evaluation inside its transaction. */
  async function openRectification(
    ctx: AuditContext,
    view: CaseView,
    row: store.NewEvaluation,
    candidates: number[],
  ): Promise<store.NewEvaluation> {
    // The department that handled it, or the case's own when that one has been closed down.
    const found: DepartmentRef[] = [];
    for (const id of new Set(candidates)) {
      const d = await ports.department(ctx.tenantId, id, db.kysely);
      if (d) found.push(d);
    }
    const target = found.find((d) => d.active) ?? found[0];
    if (!target) throw new DomainError('unavailable', 'evaluation.rectification_unavailable');
    const data: Record<string, unknown> = {
      case: view.number,
      item: view.state.title,
      level: zh(levelKey(row.level)),
      comment: row.comment,
      ...(row.anonymous ? {} : { rater: row.raterName }),
    };
    let written: store.NewEvaluation = row;
    try {
      // The platform opens it (no actor: an internal case), in the department that must rectify; the
      // audit entries still name the rater, from the request's context.
      await ports.cases.create(
        { ...ctx, actor: undefined },
        {
          definition: ports.rectificationProcess,
          title: zh('evaluation.rectification.title', { number: view.number }),
          data,
          division: target.divisionCode,
        },
        {
          department: target.id,
          within: async (tx, opened) => {
            // 谁办理、谁负责: a process that starts elsewhere is not one this module can use.
            if (opened.state.tasks[0]?.departmentId !== target.id)
              throw new DomainError('unavailable', 'evaluation.rectification_unavailable', {
                process: ports.rectificationProcess,
              });
            written = {
              ...row,
              departmentId: target.id,
              divisionCode: target.divisionCode,
              rectification: { number: opened.number, dueAt: opened.state.dueAt },
            };
            if (!(await store.insertEvaluation(tx, ctx.tenantId, written)))
              throw conflict('evaluation.already_evaluated', { number: view.number });
            await appendAudit(tx, ctx, {
              action: 'evaluation.bad_review_received',
              objectType: 'case',
              objectId: view.number,
              detail: { level: row.level, rectification: opened.number, department: target.id },
            });
            await ports.notify(tx, {
              tenantId: ctx.tenantId,
              accountId: row.raterAccountId,
              kind: 'evaluation.rectification_opened',
              params: {
                number: view.number,
                title: view.state.title,
                department: target.name,
                due: opened.state.dueAt ? dueDay(opened.state.dueAt) : '—',
              },
              link: `/account/evaluations/${view.number}`,
            });
          },
        },
      );
    } catch (e) {
      // The site has no rectification process, or one whose form does not take ours: a setup fault,
      // not the rater's. Nothing was written.
      if (e instanceof DomainError && e.kind === 'invalid')
        throw new DomainError('unavailable', 'evaluation.rectification_unavailable', {
          process: ports.rectificationProcess,
        });
      throw e;
    }
    return written;
  }

  return {
    /**
     * The applicant rates their closed case (一事一评): once, within EVALUATION_WINDOW_DAYS of its
     * closing. A 差评 opens the rectification case in the department that handled the case.
     */
    async evaluate(ctx: AuditContext, caseNumber: string, input: EvaluationInput): Promise<EvaluationView> {
      authorizeActing(ctx, 'account.self');
      const actor = ctx.actor;
      if (!actor || actor.kind === 'staff') throw new DomainError('forbidden', 'evaluation.applicants_only');
      const view = await ports.cases.get(ctx, caseNumber);
      if (!isApplicant(actor, view.state)) throw hidden(caseNumber);
      const s = view.state;
      if (s.status !== 'closed' || !s.closedAt)
        throw conflict('evaluation.case_not_closed', { number: view.number });
      const at = now();
      if (at > evaluableUntil(s.closedAt))
        throw conflict('evaluation.window_closed', { number: view.number, days: EVALUATION_WINDOW_DAYS });
      const { level, comment } = checkInput(input);
      if (await store.findEvaluation(db.kysely, ctx.tenantId, view.number))
        throw conflict('evaluation.already_evaluated', { number: view.number });
      const handling = handlingDepartments(s);
      const row: store.NewEvaluation = {
        caseNumber: view.number,
        caseTitle: s.title,
        definitionCode: view.definition.code,
        definitionName: view.definition.body.name['zh-CN'],
        caseClosedAt: s.closedAt,
        raterAccountId: actor.accountId,
        raterKind: actor.kind,
        raterName: input.anonymous ? '' : actor.name.slice(0, 100),
        anonymous: input.anonymous === true,
        level,
        comment,
        departmentId: handling.departmentId,
        divisionCode: handling.division,
        departmentIds: handling.all,
        evaluatedAt: at,
        rectification: null,
      };
      if (isBadReview(level)) {
        const written = await openRectification(ctx, view, row, [handling.departmentId, s.departmentId]);
        const opened = written.rectification!;
        return present(
          { ...written, rectification: { ...opened, outcome: null, reply: null, closedAt: null } },
          true,
        );
      }
      await db.kysely.transaction().execute(async (tx) => {
        if (!(await store.insertEvaluation(tx, ctx.tenantId, row)))
          throw conflict('evaluation.already_evaluated', { number: view.number });
        await appendAudit(tx, ctx, {
          action: 'evaluation.evaluated',
          objectType: 'case',
          objectId: view.number,
          detail: { level },
        });
      });
      return present({ ...row, rectification: null }, true);
    },

    /**
     * A case's evaluation as the caller may see it (its applicant, the staff who may see the case),
     * and until when the applicant may still give one (null when they may not, or for staff).
     */
    async forCase(ctx: AuditContext, caseNumber: string) {
      const view = await ports.cases.get(ctx, caseNumber);
      const s = view.state;
      const e = await store.findEvaluation(db.kysely, ctx.tenantId, view.number);
      const rater = isApplicant(ctx.actor, s);
      const until =
        rater && !e && s.status === 'closed' && s.closedAt && now() <= evaluableUntil(s.closedAt)
          ? evaluableUntil(s.closedAt)
          : null;
      return {
        caseNumber: view.number,
        caseTitle: s.title,
        status: s.status,
        closedAt: s.closedAt,
        evaluation: e ? present(e, rater) : null,
        evaluableUntil: until,
      };
    },

    /** The signed-in applicant's closed cases awaiting a rating, and the ratings they gave. */
    async mine(ctx: AuditContext) {
      const actor = ctx.actor;
      if (!actor || actor.kind === 'staff') return { awaiting: [], given: [] };
      const at = now();
      const since = new Date(at.getTime() - EVALUATION_WINDOW_DAYS * 86_400_000);
      const [awaiting, given] = await Promise.all([
        store.openInvitations(db.kysely, ctx.tenantId, actor.accountId, since, 100),
        store.evaluationsBy(db.kysely, ctx.tenantId, actor.accountId, 100),
      ]);
      return {
        awaiting: awaiting.map((i) => ({ ...i, until: evaluableUntil(i.closedAt) })),
        given: given.map((e) => present(e, true)),
      };
    },

    /** 评价数, counts by level, 好评率, 差评数 and 差评整改率 per department of the jurisdiction. */
    async departments(
      actor: Actor,
      tenantId: string,
      period: { from: Date; to: Date },
    ): Promise<DepartmentFigures[]> {
      const prefix = jurisdictionPrefix(actor);
      const rows = await store.figures(db.kysely, tenantId, prefix, period);
      return rows
        .map((r) => ({
          ...r,
          goodRate: r.total > 0 ? (r.total - r.bad) / r.total : null,
          rectificationRate: r.bad > 0 ? r.rectified / r.bad : null,
        }))
        .sort(
          (a, b) =>
            (b.goodRate ?? -1) - (a.goodRate ?? -1) || b.total - a.total || a.departmentId - b.departmentId,
        );
    },

    /**
     * Runs in the transaction that closes any case: a rectification case of ours records its outcome
     * and reply and tells the rater; any other case with an applicant account becomes one to rate.
     */
    onCaseClosed: (async (tx, ctx, view) => {
      const { tenantId } = ctx;
      const s = view.state;
      const closedAt = s.closedAt ?? now();
      const outcome = s.outcome ?? 'completed';
      const reply = replyOf(view.events).slice(0, 2000);
      const e = await store.recordRectification(tx, tenantId, view.number, { outcome, reply, closedAt });
      if (e) {
        // A process of the site's own may end with an outcome that has no name in the locales.
        const key = `workflow.outcome.${outcome}`;
        await ports.notify(tx, {
          tenantId,
          accountId: e.raterAccountId,
          kind: 'evaluation.rectification_replied',
          params: {
            number: e.caseNumber,
            title: e.caseTitle,
            ...(key in catalogFor('zh-CN') ? { outcomeKey: key } : { outcome }),
            reply: reply || '—',
          },
          link: `/account/evaluations/${e.caseNumber}`,
        });
        return;
      }
      const applicant = s.applicant;
      if (applicant.accountId !== null && applicant.kind !== 'internal')
        await store.insertInvitation(tx, tenantId, applicant.accountId, {
          caseNumber: view.number,
          caseTitle: s.title,
          definitionCode: view.definition.code,
          outcome,
          closedAt,
        });
    }) satisfies CaseClosedListener,
  };
}

export type EvaluationService = ReturnType<typeof createEvaluationService>;
