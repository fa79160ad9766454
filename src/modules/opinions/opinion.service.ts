/**
 * Use-cases of a solicitation (征集意见): a department puts a draft out for comment, people write
 * opinions while it is open, the department moderates them if it chose to, says after the close which
 * were taken up and why, and publishes that account.
 *
 * Who: the department's writers (`publication.write`, the permission that drafts its publications and
 * puts its policies out for consultation) run their department's solicitations; another department's
 * staff get 404, as for an id that does not exist. Any signed-in person or enterprise (`account.self`)
 * writes opinions. The site's moderators decide opinions the sensitive words held, through the
 * moderation module's page (`heldSource`).
 *
 * Every change is one transaction with its audit entry; every view of writers' names by staff is
 * audited too (names are personal data; the public sees them masked).
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { isUniqueViolation, type Database, type Executor } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { authorizeActing, type Actor } from '../../kernel/policy/index.ts';
import { maskedName, maskPersonalData, plainText } from '../../kernel/text/index.ts';
import type { NotifyMessage } from '../notify/index.ts';
import {
  ADOPTION_REASON_MAX,
  ADOPTIONS,
  adoptionCounts,
  boundedText,
  chinaMidnight,
  chinaTime,
  CLAUSE_MAX,
  DESCRIPTION_MAX,
  DRAFT_MAX,
  OPINION_MAX,
  OPINION_MIN,
  parseInstant,
  PER_WRITER_MAX,
  periodProblems,
  REASON_MAX,
  stateAt,
  SUMMARY_MAX,
  TITLE_MAX,
  type Adoption,
  type State,
} from './opinion.ts';
import * as store from './opinion.store.ts';

export type { OpinionRow, SolicitationRow } from './opinion.store.ts';

/** A policy of the policies module, as the caller may see it (the draft's link and its period). */
export interface PolicyRef {
  id: number;
  title: string;
  departmentId: number;
  consultation: { draftPublicationId: number | null; opensOn: string; closesOn: string } | null;
}

export interface OpinionPorts {
  department(
    tenantId: string,
    id: number,
    ex: Executor,
  ): Promise<{ id: number; name: string; divisionCode: string } | undefined>;
  /** a policy as the caller may see it; undefined when they may not (or there is none) */
  policy(ctx: AuditContext, id: number): Promise<PolicyRef | undefined>;
  /** whether a public post contains the site's sensitive words (the moderation module) */
  screen(tenantId: string, texts: readonly string[]): Promise<{ held: boolean; words: string[] }>;
  notify(ex: Executor, message: NotifyMessage): Promise<void>;
  now?(): Date;
}

/** One of the moderation page's sources of held posts (the moderation module's HeldSource). */
export interface HeldSource {
  kind: string;
  titleKey: string;
  list(
    tenantId: string,
  ): Promise<{ id: string; writer: string; excerpt: string; words: string[]; at: Date }[]>;
  release(ctx: AuditContext, id: string): Promise<void>;
  reject(ctx: AuditContext, id: string, reason: string): Promise<void>;
}

/** An opinion as the public sees it: the writer's name and identifiers in the text masked. */
export interface PublicOpinion {
  id: number;
  writer: string;
  clause: string;
  body: string;
  writtenAt: Date;
  adoption: Adoption | null;
  adoptionReason: string;
}

export interface SolicitationView extends store.SolicitationRow {
  state: State;
  /** opinions accepted (counted and, if shown, on the page) */
  received: number;
  /** accepted opinions shown to the public while there is no report (empty if not shown) */
  opinions: PublicOpinion[];
  /** 意见采纳情况反馈, once published */
  report: {
    publishedAt: Date;
    summary: string;
    counts: ReturnType<typeof adoptionCounts>;
    items: PublicOpinion[];
  } | null;
}

export interface SolicitationInput {
  title?: string | undefined;
  description?: string | undefined;
  /** a policy of the caller's department in its consultation: its draft and its period */
  policyId?: number | null | undefined;
  draftText?: string | undefined;
  opensAt?: string | undefined;
  closesAt?: string | undefined;
  showPublic?: boolean | undefined;
  moderated?: boolean | undefined;
}

export interface SolicitationChangeInput {
  title?: string | undefined;
  description?: string | undefined;
  draftText?: string | undefined;
  opensAt?: string | undefined;
  closesAt?: string | undefined;
  /** why the period changes once open (提前结束, 延期) */
  reason?: string | undefined;
  showPublic?: boolean | undefined;
  moderated?: boolean | undefined;
}

export const hidden = (id: number | string) => notFound('opinions.not_found', { id: String(id) });

/** Whether the actor runs the solicitation: its department's writers (the system always). */
export const runs = (actor: Actor | null | undefined, s: { department: { id: number } }) =>
  actor === undefined ||
  (!!actor &&
    actor.kind === 'staff' &&
    actor.permissions.has('publication.write') &&
    actor.departmentId === s.department.id);

const zh = translator('zh-CN');

const presentPublic = (o: store.OpinionRow, withAdoption: boolean): PublicOpinion => ({
  id: o.id,
  writer: maskedName(o.writer.name),
  clause: o.clause,
  body: maskPersonalData(o.body),
  writtenAt: o.writtenAt,
  adoption: withAdoption ? o.adoption : null,
  adoptionReason: withAdoption ? maskPersonalData(o.adoptionReason) : '',
});

const addDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function createOpinionService(db: Database, ports: OpinionPorts) {
  const now = () => ports.now?.() ?? new Date();
  const audit = (ex: Executor, ctx: AuditContext, action: string, id: number, detail = {}) =>
    appendAudit(ex, ctx, { action, objectType: 'opinion_solicitation', objectId: String(id), detail });

  /** A solicitation its department runs, else 404 (the same answer as for one that does not exist). */
  async function managed(ctx: AuditContext, id: number, ex: Executor = db.kysely, forUpdate = false) {
    authorizeActing(ctx, 'publication.write');
    const s = Number.isSafeInteger(id)
      ? await store.findSolicitation(ex, ctx.tenantId, id, forUpdate)
      : undefined;
    if (!s || !runs(ctx.actor, s)) throw hidden(id);
    return s;
  }

  async function view(tenantId: string, s: store.SolicitationRow): Promise<SolicitationView> {
    const accepted = await store.opinionsOf(db.kysely, tenantId, s.id, ['accepted']);
    const published = s.reportPublishedAt !== null;
    return {
      ...s,
      state: stateAt(s, now()),
      received: accepted.length,
      opinions: s.showPublic && !published ? accepted.map((o) => presentPublic(o, false)) : [],
      report: published
        ? {
            publishedAt: s.reportPublishedAt!,
            summary: s.reportSummary,
            counts: adoptionCounts(accepted),
            items: accepted.map((o) => presentPublic(o, true)),
          }
        : null,
    };
  }

  /** The checked fields of a new solicitation or a change (problems collected, not thrown). */
  function texts(
    input: { title?: string | undefined; description?: string | undefined },
    problems: FieldProblem[],
  ) {
    return {
      title:
        input.title === undefined ? undefined : boundedText('title', input.title, 1, TITLE_MAX, problems),
      description:
        input.description === undefined
          ? undefined
          : boundedText('description', input.description, 0, DESCRIPTION_MAX, problems),
    };
  }

  /** The writer was told; the post goes on its way (moderation module: release). */
  async function releaseHeld(ctx: AuditContext, id: number) {
    await db.kysely.transaction().execute(async (tx) => {
      const o = await store.findOpinion(tx, ctx.tenantId, id, true);
      if (!o) throw notFound('opinions.opinion_not_found', { id });
      if (o.status !== 'held') throw conflict('opinions.not_held');
      const s = (await store.findSolicitation(tx, ctx.tenantId, o.solicitationId))!;
      const status = s.moderated ? 'pending' : 'accepted';
      await store.setStatus(tx, ctx.tenantId, id, { status, by: ctx.actorId, at: now() });
      await audit(tx, ctx, 'opinions.opinion_released', s.id, { opinion: id, status });
    });
  }

  async function rejectOpinion(
    ctx: AuditContext,
    o: store.OpinionRow,
    s: store.SolicitationRow,
    raw: string,
    tx: Executor,
  ) {
    const problems: FieldProblem[] = [];
    const reason = boundedText('reason', raw, 2, REASON_MAX, problems);
    if (problems.length > 0) throw invalidFields(problems);
    await store.setStatus(tx, ctx.tenantId, o.id, {
      status: 'rejected',
      rejectReason: reason,
      by: ctx.actorId,
      at: now(),
    });
    await audit(tx, ctx, 'opinions.opinion_rejected', s.id, { opinion: o.id, from: o.status, reason });
    if (o.writer.accountId !== null)
      await ports.notify(tx, {
        tenantId: ctx.tenantId,
        accountId: o.writer.accountId,
        kind: 'opinions.rejected',
        params: { title: s.title, reason },
        link: '/account/opinions',
      });
  }

  const heldSource: HeldSource = {
    kind: 'opinions',
    titleKey: 'opinions.moderation.kind',
    async list(tenantId) {
      return (await store.heldOpinions(db.kysely, tenantId)).map((o) => ({
        id: String(o.id),
        writer: o.writer.name,
        excerpt: [...(o.clause ? `${o.clause}：${o.body}` : o.body)].slice(0, 120).join(''),
        words: o.heldWords,
        at: o.writtenAt,
      }));
    },
    release: (ctx, id) => releaseHeld(ctx, Number(id)),
    async reject(ctx, id, reason) {
      await db.kysely.transaction().execute(async (tx) => {
        const o = await store.findOpinion(tx, ctx.tenantId, Number(id), true);
        if (!o) throw notFound('opinions.opinion_not_found', { id });
        if (o.status !== 'held') throw conflict('opinions.not_held');
        const s = (await store.findSolicitation(tx, ctx.tenantId, o.solicitationId))!;
        await rejectOpinion(ctx, o, s, reason, tx);
      });
    },
  };

  return {
    heldSource,
    now,

    /** The site's defaults for a new solicitation. */
    settings: (tenantId: string) => store.settingOf(db.kysely, tenantId),

    async saveSettings(ctx: AuditContext, s: { moderated: boolean; showPublic: boolean }) {
      authorizeActing(ctx, 'org.site.manage');
      await db.kysely.transaction().execute(async (tx) => {
        await store.saveSetting(tx, ctx.tenantId, s, ctx.actorId);
        await appendAudit(tx, ctx, {
          action: 'opinions.settings_changed',
          objectType: 'site',
          objectId: ctx.tenantId,
          detail: s,
        });
      });
    },

    /** A department's writer puts a draft out for comment, in the department's name. */
    async create(ctx: AuditContext, input: SolicitationInput): Promise<store.SolicitationRow> {
      authorizeActing(ctx, 'publication.write');
      const actor = ctx.actor;
      const departmentId = actor?.departmentId;
      if (!departmentId) throw new DomainError('forbidden', 'opinions.no_department');
      const problems: FieldProblem[] = [];
      let policy: PolicyRef | undefined;
      let draftText = '';
      let opensAt = input.opensAt ?? '';
      let closesAt = input.closesAt ?? '';
      let defaultTitle = '';
      if (input.policyId != null) {
        policy = await ports.policy(ctx, input.policyId);
        // The rest follows from the policy: without it, its problem alone is the answer.
        if (!policy || policy.departmentId !== departmentId)
          throw invalidFields([
            { field: 'policyId', code: 'opinions.policy_unknown', params: { id: input.policyId } },
          ]);
        if (!policy.consultation)
          throw invalidFields([{ field: 'policyId', code: 'opinions.policy_not_in_consultation' }]);
        // The policy's period by default: from the opening day's start to the closing day's end.
        if (!opensAt) opensAt = chinaMidnight(policy.consultation.opensOn).toISOString();
        if (!closesAt) closesAt = chinaMidnight(addDay(policy.consultation.closesOn)).toISOString();
        defaultTitle = [...policy.title].slice(0, TITLE_MAX).join('');
      } else draftText = boundedText('draftText', input.draftText ?? '', OPINION_MIN, DRAFT_MAX, problems);
      const { title, description } = texts(
        { title: plainText(input.title ?? '') || defaultTitle, description: input.description ?? '' },
        problems,
      );
      const period = periodProblems({ opensAt, closesAt }, problems);
      if (period.closesAt && period.closesAt <= now() && !problems.some((p) => p.field === 'closesAt'))
        problems.push({ field: 'closesAt', code: 'opinions.closes_in_past' });
      if (problems.length > 0) throw invalidFields(problems);
      const dep = await ports.department(ctx.tenantId, departmentId, db.kysely);
      if (!dep) throw new DomainError('forbidden', 'opinions.no_department');
      const defaults = await store.settingOf(db.kysely, ctx.tenantId);
      try {
        return await db.kysely.transaction().execute(async (tx) => {
          const s = await store.insertSolicitation(tx, ctx.tenantId, {
            title: title!,
            description: description ?? '',
            department: dep,
            policyId: policy?.id ?? null,
            draftPublicationId: policy?.consultation?.draftPublicationId ?? null,
            draftText,
            opensAt: period.opensAt!,
            closesAt: period.closesAt!,
            showPublic: input.showPublic ?? defaults.showPublic,
            moderated: input.moderated ?? defaults.moderated,
            createdBy: actor?.accountId ?? null,
          });
          await audit(tx, ctx, 'opinions.solicitation_created', s.id, {
            title: s.title,
            policy: s.policyId,
            opensAt: s.opensAt.toISOString(),
            closesAt: s.closesAt.toISOString(),
            showPublic: s.showPublic,
            moderated: s.moderated,
          });
          return s;
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw invalidFields([{ field: 'policyId', code: 'opinions.policy_taken' }]);
        throw e;
      }
    },

    /**
     * Changes a solicitation. Before it opens anything may change; once open, the opening stays and a
     * change of the close (提前结束 or 延期) needs its reason, shown on the page; after the report is
     * published nothing changes.
     */
    async change(
      ctx: AuditContext,
      id: number,
      input: SolicitationChangeInput,
    ): Promise<store.SolicitationRow> {
      await managed(ctx, id);
      return db.kysely.transaction().execute(async (tx) => {
        const s = await managed(ctx, id, tx, true);
        if (s.reportPublishedAt) throw conflict('opinions.report_published');
        const at = now();
        const state = stateAt(s, at);
        const problems: FieldProblem[] = [];
        const { title, description } = texts(input, problems);
        const draftText =
          input.draftText === undefined || s.policyId !== null
            ? undefined
            : boundedText('draftText', input.draftText, OPINION_MIN, DRAFT_MAX, problems);
        const opensAt = input.opensAt === undefined ? s.opensAt : parseInstant(input.opensAt);
        const closesAt = input.closesAt === undefined ? s.closesAt : parseInstant(input.closesAt);
        if (!opensAt) problems.push({ field: 'opensAt', code: 'opinions.instant_invalid' });
        if (!closesAt) problems.push({ field: 'closesAt', code: 'opinions.instant_invalid' });
        const periodChanged =
          !!opensAt &&
          !!closesAt &&
          (opensAt.getTime() !== s.opensAt.getTime() || closesAt.getTime() !== s.closesAt.getTime());
        let reason = '';
        if (opensAt && closesAt && periodChanged) {
          if (state !== 'scheduled' && opensAt.getTime() !== s.opensAt.getTime())
            problems.push({ field: 'opensAt', code: 'opinions.opened_already' });
          else if (closesAt <= opensAt)
            problems.push({ field: 'closesAt', code: 'opinions.close_before_open' });
          // Closing early ends it now at the earliest: an instant already past would rewrite who was late.
          else if (closesAt < at && closesAt.getTime() !== s.closesAt.getTime())
            problems.push({ field: 'closesAt', code: 'opinions.closes_in_past' });
          if (state !== 'scheduled' && closesAt.getTime() !== s.closesAt.getTime())
            reason = boundedText('reason', input.reason ?? '', 2, REASON_MAX, problems);
        }
        if (problems.length > 0) throw invalidFields(problems);
        await store.updateSolicitation(tx, ctx.tenantId, id, {
          title,
          description,
          draftText,
          showPublic: input.showPublic,
          moderated: input.moderated,
          ...(periodChanged
            ? {
                opensAt: opensAt!,
                closesAt: closesAt!,
                ...(state !== 'scheduled' ? { periodChangedAt: at, periodReason: reason } : {}),
              }
            : {}),
        });
        await audit(tx, ctx, 'opinions.solicitation_changed', id, {
          ...(title !== undefined ? { title } : {}),
          ...(input.showPublic !== undefined ? { showPublic: input.showPublic } : {}),
          ...(input.moderated !== undefined ? { moderated: input.moderated } : {}),
          ...(periodChanged
            ? {
                opensAt: opensAt!.toISOString(),
                closesAt: closesAt!.toISOString(),
                previousClosesAt: s.closesAt.toISOString(),
                ...(reason ? { reason, kind: closesAt! < s.closesAt ? 'closed_early' : 'extended' } : {}),
              }
            : {}),
        });
        return (await store.findSolicitation(tx, ctx.tenantId, id))!;
      });
    },

    /** 提前结束: an open solicitation closes now, with the reason shown on its page. */
    async closeNow(ctx: AuditContext, id: number, raw: string): Promise<store.SolicitationRow> {
      await managed(ctx, id);
      const problems: FieldProblem[] = [];
      const reason = boundedText('reason', raw, 2, REASON_MAX, problems);
      return db.kysely.transaction().execute(async (tx) => {
        const s = await managed(ctx, id, tx, true);
        if (s.reportPublishedAt) throw conflict('opinions.report_published');
        const at = now();
        const state = stateAt(s, at);
        if (state === 'closed') throw conflict('opinions.closed', { closedAt: chinaTime(s.closesAt) });
        // One not yet open is changed, not closed: its opening may still move.
        if (state === 'scheduled') throw conflict('opinions.not_open', { opensAt: chinaTime(s.opensAt) });
        if (problems.length > 0) throw invalidFields(problems);
        await store.updateSolicitation(tx, ctx.tenantId, id, {
          closesAt: at,
          periodChangedAt: at,
          periodReason: reason,
        });
        await audit(tx, ctx, 'opinions.solicitation_changed', id, {
          closesAt: at.toISOString(),
          previousClosesAt: s.closesAt.toISOString(),
          reason,
          kind: 'closed_early',
        });
        return (await store.findSolicitation(tx, ctx.tenantId, id))!;
      });
    },

    /** A signed-in person or enterprise writes an opinion while the solicitation is open. */
    async write(
      ctx: AuditContext,
      id: number,
      input: { body: string; clause?: string | undefined },
    ): Promise<store.OpinionRow> {
      authorizeActing(ctx, 'account.self');
      const actor = ctx.actor;
      if (!actor || actor.kind === 'staff') throw new DomainError('forbidden', 'opinions.writers_only');
      const s = Number.isSafeInteger(id)
        ? await store.findSolicitation(db.kysely, ctx.tenantId, id)
        : undefined;
      if (!s) throw hidden(id);
      const at = now();
      const state = stateAt(s, at);
      if (state === 'scheduled') throw conflict('opinions.not_open', { opensAt: chinaTime(s.opensAt) });
      if (state === 'closed') throw conflict('opinions.closed', { closedAt: chinaTime(s.closesAt) });
      const problems: FieldProblem[] = [];
      const clause = boundedText('clause', input.clause ?? '', 0, CLAUSE_MAX, problems);
      const body = boundedText('body', input.body, OPINION_MIN, OPINION_MAX, problems);
      if (problems.length > 0) throw invalidFields(problems);
      if ((await store.writerCount(db.kysely, ctx.tenantId, id, actor.accountId)) >= PER_WRITER_MAX)
        throw conflict('opinions.too_many', { max: PER_WRITER_MAX });
      const screened = await ports.screen(ctx.tenantId, [clause, body]);
      const status = screened.held ? 'held' : s.moderated ? 'pending' : 'accepted';
      return db.kysely.transaction().execute(async (tx) => {
        const o = await store.insertOpinion(tx, ctx.tenantId, {
          solicitationId: id,
          writer: {
            accountId: actor.accountId,
            kind: actor.kind as 'person' | 'enterprise',
            name: actor.name,
          },
          clause,
          body,
          status,
          heldWords: screened.held ? screened.words : [],
          writtenAt: at,
        });
        await audit(tx, ctx, 'opinions.opinion_written', id, {
          opinion: o.id,
          status,
          ...(screened.held ? { words: screened.words } : {}),
        });
        return o;
      });
    },

    /** The department approves an opinion that waits for it (moderated solicitation). */
    async approve(ctx: AuditContext, id: number, opinionId: number) {
      await db.kysely.transaction().execute(async (tx) => {
        const s = await managed(ctx, id, tx);
        const o = await store.findOpinion(tx, ctx.tenantId, opinionId, true);
        if (!o || o.solicitationId !== s.id) throw notFound('opinions.opinion_not_found', { id: opinionId });
        if (o.status !== 'pending') throw conflict('opinions.not_pending');
        await store.setStatus(tx, ctx.tenantId, o.id, { status: 'accepted', by: ctx.actorId, at: now() });
        await audit(tx, ctx, 'opinions.opinion_approved', s.id, { opinion: o.id });
      });
    },

    /** The department refuses an opinion that waits for it, with the reason the writer is told. */
    async reject(ctx: AuditContext, id: number, opinionId: number, reason: string) {
      await db.kysely.transaction().execute(async (tx) => {
        const s = await managed(ctx, id, tx);
        const o = await store.findOpinion(tx, ctx.tenantId, opinionId, true);
        if (!o || o.solicitationId !== s.id) throw notFound('opinions.opinion_not_found', { id: opinionId });
        if (o.status !== 'pending') throw conflict('opinions.not_pending');
        await rejectOpinion(ctx, o, s, reason, tx);
      });
    },

    /**
     * 采纳情况: after the close, the department marks accepted opinions (one, or a group of similar
     * ones at once) adopted, partly adopted or not adopted — a reason is required unless adopted.
     */
    async mark(
      ctx: AuditContext,
      id: number,
      input: { opinions: readonly number[]; adoption: string; reason: string },
    ): Promise<number> {
      const s0 = await managed(ctx, id);
      if (stateAt(s0, now()) !== 'closed')
        throw conflict('opinions.not_closed', { closesAt: chinaTime(s0.closesAt) });
      const problems: FieldProblem[] = [];
      const ids = [...new Set(input.opinions)].filter((n) => Number.isSafeInteger(n));
      if (ids.length === 0) problems.push({ field: 'opinions', code: 'opinions.choose_opinions' });
      const adoption = (ADOPTIONS as readonly string[]).includes(input.adoption)
        ? (input.adoption as Adoption)
        : null;
      if (!adoption) problems.push({ field: 'adoption', code: 'opinions.adoption_invalid' });
      const reason = boundedText(
        'reason',
        input.reason,
        adoption === 'adopted' ? 0 : 2,
        ADOPTION_REASON_MAX,
        problems,
      );
      if (problems.length > 0) throw invalidFields(problems);
      return db.kysely.transaction().execute(async (tx) => {
        const s = await managed(ctx, id, tx, true);
        if (s.reportPublishedAt) throw conflict('opinions.report_published');
        const n = await store.markAdoption(tx, ctx.tenantId, id, ids, {
          adoption: adoption!,
          reason,
          by: ctx.actorId,
          at: now(),
        });
        if (n !== ids.length) throw invalidFields([{ field: 'opinions', code: 'opinions.opinions_unknown' }]);
        await audit(tx, ctx, 'opinions.adoption_marked', id, { opinions: ids, adoption, reason });
        return n;
      });
    },

    /**
     * Publishes 意见采纳情况反馈: once closed, with no opinion left waiting for a moderator or the
     * department and every accepted one marked. The writers are told.
     */
    async publishReport(ctx: AuditContext, id: number, input: { summary: string }) {
      const problems: FieldProblem[] = [];
      const summary = boundedText('summary', input.summary, 0, SUMMARY_MAX, problems);
      if (problems.length > 0) throw invalidFields(problems);
      await db.kysely.transaction().execute(async (tx) => {
        const s = await managed(ctx, id, tx, true);
        const at = now();
        if (stateAt(s, at) !== 'closed')
          throw conflict('opinions.not_closed', { closesAt: chinaTime(s.closesAt) });
        if (s.reportPublishedAt) throw conflict('opinions.report_published');
        const counts = await store.statusCounts(tx, ctx.tenantId, id);
        if (counts.held + counts.pending > 0)
          throw conflict('opinions.undecided', { count: counts.held + counts.pending });
        if (counts.marked < counts.accepted)
          throw conflict('opinions.unmarked', { count: counts.accepted - counts.marked });
        await store.updateSolicitation(tx, ctx.tenantId, id, {
          reportSummary: summary,
          reportPublishedAt: at,
        });
        await audit(tx, ctx, 'opinions.report_published', id, { opinions: counts.accepted });
        const writers = new Set(
          (await store.opinionsOf(tx, ctx.tenantId, id, ['accepted']))
            .map((o) => o.writer.accountId)
            .filter((a): a is number => a !== null),
        );
        for (const accountId of writers)
          await ports.notify(tx, {
            tenantId: ctx.tenantId,
            accountId,
            kind: 'opinions.report_published',
            params: { title: s.title },
            link: `/opinions/${id}#report`,
          });
      });
    },

    /** One solicitation as the public sees it. */
    async get(tenantId: string, id: number): Promise<SolicitationView> {
      const s = Number.isSafeInteger(id) ? await store.findSolicitation(db.kysely, tenantId, id) : undefined;
      if (!s) throw hidden(id);
      return view(tenantId, s);
    },

    /** One solicitation for its department: every opinion, writers named (the view is audited). */
    async manage(ctx: AuditContext, id: number) {
      const s = await managed(ctx, id);
      const all = await store.opinionsOf(db.kysely, ctx.tenantId, id, [
        'held',
        'pending',
        'accepted',
        'rejected',
      ]);
      if (all.length > 0 && ctx.actor !== undefined)
        await audit(db.kysely, ctx, 'opinions.opinions_viewed', id, { count: all.length });
      return { ...(await view(ctx.tenantId, s)), all };
    },

    /** The site's solicitations, by state. */
    async list(tenantId: string, state: State | undefined, page: { limit: number; offset: number }) {
      const r = await store.listSolicitations(db.kysely, tenantId, { state, now: now() }, page);
      return { items: r.items.map((s) => ({ ...s, state: stateAt(s, now()) })), total: r.total };
    },

    /** The caller's department's solicitations, newest first. */
    async ofMyDepartment(ctx: AuditContext, page: { limit: number; offset: number }) {
      authorizeActing(ctx, 'publication.write');
      const departmentId = ctx.actor?.departmentId;
      if (!departmentId) return { items: [], total: 0 };
      const r = await store.listSolicitations(db.kysely, ctx.tenantId, { departmentId, now: now() }, page);
      return { items: r.items.map((s) => ({ ...s, state: stateAt(s, now()) })), total: r.total };
    },

    /** The writer's own opinions, with what became of them. */
    async mine(ctx: AuditContext) {
      authorizeActing(ctx, 'account.self');
      const actor = ctx.actor;
      if (!actor) return [];
      return (await store.opinionsOfWriter(db.kysely, ctx.tenantId, actor.accountId)).map((o) => ({
        ...o,
        // the department's marks are its own until it publishes them
        adoption: o.reportPublishedAt ? o.adoption : null,
        adoptionReason: o.reportPublishedAt ? o.adoptionReason : '',
      }));
    },

    /** For the policies module's page (ConsultationFeedbackSource): what came of the policy's consultation. */
    async feedback(tenantId: string, policyId: number) {
      const s = await store.solicitationOfPolicy(db.kysely, tenantId, policyId);
      if (!s) return null;
      const counts = await store.statusCounts(db.kysely, tenantId, s.id);
      const published = s.reportPublishedAt !== null;
      return {
        received: counts.accepted,
        adopted: published ? await store.adoptedCount(db.kysely, tenantId, s.id) : 0,
        summary: published
          ? {
              title: zh('opinions.feedback.report_link', { title: s.title }),
              href: `/opinions/${s.id}#report`,
            }
          : { title: zh('opinions.feedback.page_link'), href: `/opinions/${s.id}` },
      };
    },

    /** Demo data: solicitations with their opinions as given (the system's own work). */
    async seed(
      ctx: AuditContext,
      input: SolicitationInput & {
        departmentId: number;
        opinions: { writer: string; clause: string; body: string; adoption?: Adoption; reason?: string }[];
        report?: string;
      },
    ) {
      const dep = await ports.department(ctx.tenantId, input.departmentId, db.kysely);
      if (!dep) return;
      const exists = await db.kysely
        .selectFrom('opinions.solicitation')
        .select('id')
        .where('tenant_id', '=', ctx.tenantId)
        .where('title', '=', input.title ?? '')
        .executeTakeFirst();
      if (exists) return;
      await db.kysely.transaction().execute(async (tx) => {
        const s = await store.insertSolicitation(tx, ctx.tenantId, {
          title: input.title!,
          description: input.description ?? '',
          department: dep,
          policyId: null,
          draftPublicationId: null,
          draftText: plainText(input.draftText ?? ''),
          opensAt: parseInstant(input.opensAt!)!,
          closesAt: parseInstant(input.closesAt!)!,
          showPublic: input.showPublic ?? true,
          moderated: input.moderated ?? false,
          createdBy: null,
        });
        for (const [i, o] of input.opinions.entries()) {
          const row = await store.insertOpinion(tx, ctx.tenantId, {
            solicitationId: s.id,
            writer: { accountId: null, kind: 'recorded', name: o.writer },
            clause: o.clause,
            body: o.body,
            status: 'accepted',
            heldWords: [],
            writtenAt: new Date(s.opensAt.getTime() + (i + 1) * 3_600_000),
          });
          if (o.adoption)
            await store.markAdoption(tx, ctx.tenantId, s.id, [row.id], {
              adoption: o.adoption,
              reason: o.reason ?? '',
              by: ctx.actorId,
              at: s.closesAt,
            });
        }
        if (input.report !== undefined)
          await store.updateSolicitation(tx, ctx.tenantId, s.id, {
            reportSummary: input.report,
            reportPublishedAt: new Date(Math.max(s.closesAt.getTime(), now().getTime() - 86_400_000)),
          });
        await audit(tx, ctx, 'opinions.solicitation_created', s.id, { title: s.title, demo: true });
      });
    },
  };
}

export type OpinionService = ReturnType<typeof createOpinionService>;
