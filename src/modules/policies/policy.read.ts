/**
 * Reading policies: one policy as the caller may see it (its publications resolved as they may see
 * them, its consultation with the public's feedback, its tasks and reports), a department's list, and
 * the links a publication's page shows for the policies it belongs to.
 *
 * Who sees what: a draft, its department's writers and reviewers only (anyone else gets 404, as for
 * an id that does not exist); from consultation on, anyone. Implementation reports (case numbers,
 * progress) are internal: the drafting department and the departments tasked see them.
 */
import type { AuditContext } from '../../kernel/audit/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import { authorizeActing } from '../../kernel/policy/index.ts';
import type { ArticleExtraSection, Publication } from '../publications/index.ts';
import type { DepartmentRef } from '../workflow/index.ts';
import {
  allows,
  chinaDay,
  consultationDays,
  consultationState,
  reportState,
  TRANSITION_PERMISSION,
  TRANSITIONS,
  type ReportState,
  type Stage,
  type Transition,
} from './policy.ts';
import { canSee, hidden, ofDepartment } from './policy.service.ts';
import * as store from './policy.store.ts';

/**
 * What the public said on a consultation (意见征集). The public-interaction module fills this port
 * when it lands: it takes the comments on the consultation draft during the period and publishes the
 * account of what was taken up (意见采纳情况, 重大行政决策程序暂行条例 §16). Until then nothing is
 * wired, and the pages say comments come with that module.
 */
export interface ConsultationFeedback {
  /** comments received in the period */
  received: number;
  /** of them, taken up in whole or in part */
  adopted: number;
  /** where the account of the comments and what was done with them is published, once it is */
  summary: { title: string; href: string } | null;
}

export type ConsultationFeedbackSource = (
  tenantId: string,
  consultation: { policyId: number; draftPublicationId: number; opensOn: string; closesOn: string },
) => Promise<ConsultationFeedback | null>;

export interface ReadPorts {
  publications: { get(ctx: AuditContext, id: number): Promise<Publication> };
  department(tenantId: string, id: number, ex: Executor): Promise<DepartmentRef | undefined>;
  consultationFeedback?: ConsultationFeedbackSource | undefined;
  now?(): Date;
}

/** A publication the policy links to, as the viewer may see it (null: they may not, or it is gone). */
export interface PublicationLink {
  id: number;
  title: string;
  status: Publication['status'];
  validity: Publication['validity'];
  categoryName: string;
  url: string;
}

export interface ReportView extends Omit<store.ReportRow, 'taskId'> {
  state: ReportState;
  light: 'green' | 'yellow' | 'red' | 'stopped';
}

export interface PolicyView {
  id: number;
  title: string;
  department: { id: number; name: string; divisionCode: string };
  stage: Stage;
  consultation: {
    draft: PublicationLink | null;
    opensOn: string;
    closesOn: string;
    days: number;
    shortReason: string;
    state: 'scheduled' | 'open' | 'closed';
    /** null until the public-interaction module is wired (see ConsultationFeedbackSource) */
    feedback: ConsultationFeedback | null;
    feedbackAvailable: boolean;
  } | null;
  document: PublicationLink | null;
  publishedAt: Date | null;
  interpretations: PublicationLink[];
  evaluationReport: PublicationLink | null;
  evaluatedAt: Date | null;
  revises: { id: number; title: string } | null;
  revisedBy: { id: number; title: string } | null;
  revisedAt: Date | null;
  repealedAt: Date | null;
  repealReason: string;
  tasks: {
    department: { id: number; name: string };
    requirement: string;
    period: store.TaskRow['period'];
    reportDays: number;
    assignedAt: Date;
    /** empty for viewers outside the drafting and the tasked departments */
    reports: ReportView[];
  }[];
  /** the transitions the viewer may take now */
  can: Transition[];
  createdAt: Date;
  updatedAt: Date;
}

/** The anonymous public, for links shown to everyone. */
const publicContext = (tenantId: string): AuditContext => ({
  tenantId,
  actor: null,
  actorId: 'anonymous',
  actorRole: '',
  actorDivision: '',
  ip: '',
  userAgent: '',
  requestId: '',
});

export function createPolicyReader(db: Database, ports: ReadPorts) {
  const now = () => ports.now?.() ?? new Date();

  async function link(ctx: AuditContext, id: number | null): Promise<PublicationLink | null> {
    if (id === null) return null;
    try {
      const p = await ports.publications.get(ctx, id);
      return {
        id: p.id,
        title: p.title,
        status: p.status,
        validity: p.validity,
        categoryName: p.categoryName,
        url: `/publications/${p.id}`,
      };
    } catch (e) {
      if (e instanceof DomainError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  async function departmentName(tenantId: string, id: number) {
    return (await ports.department(tenantId, id, db.kysely))?.name ?? `#${id}`;
  }

  /** The other policy of a revision, when the viewer may see it. */
  async function related(ctx: AuditContext, id: number | null) {
    const p = id === null ? undefined : await store.findPolicy(db.kysely, ctx.tenantId, id);
    return p && canSee(ctx, p) ? { id: p.id, title: p.title } : null;
  }

  async function view(ctx: AuditContext, p: store.PolicyRow): Promise<PolicyView> {
    const today = chinaDay(now());
    const [tasks, interpretationIds] = await Promise.all([
      store.tasksOf(db.kysely, ctx.tenantId, p.id),
      store.interpretationsOf(db.kysely, ctx.tenantId, p.id),
    ]);
    const actor = ctx.actor;
    const internal =
      actor === undefined ||
      ofDepartment(actor, p.departmentId) ||
      (actor?.kind === 'staff' && tasks.some((t) => t.departmentId === actor.departmentId));
    const c = p.consultation;
    const feedback =
      c && ports.consultationFeedback
        ? await ports.consultationFeedback(ctx.tenantId, {
            policyId: p.id,
            draftPublicationId: c.draftId,
            opensOn: c.opensOn,
            closesOn: c.closesOn,
          })
        : null;
    const mine = actor === undefined || ofDepartment(actor, p.departmentId);
    return {
      id: p.id,
      title: p.title,
      department: {
        id: p.departmentId,
        name: await departmentName(ctx.tenantId, p.departmentId),
        divisionCode: p.divisionCode,
      },
      stage: p.stage,
      consultation: c && {
        draft: await link(ctx, c.draftId),
        opensOn: c.opensOn,
        closesOn: c.closesOn,
        days: consultationDays(c),
        shortReason: c.shortReason,
        state: consultationState(c, today),
        feedback,
        feedbackAvailable: !!ports.consultationFeedback,
      },
      document: await link(ctx, p.documentId),
      publishedAt: p.publishedAt,
      interpretations: (await Promise.all(interpretationIds.map((i) => link(ctx, i)))).filter(
        (l): l is PublicationLink => l !== null,
      ),
      evaluationReport: await link(ctx, p.evaluationReportId),
      evaluatedAt: p.evaluatedAt,
      revises: await related(ctx, p.revisesId),
      revisedBy: await related(ctx, p.revisedById),
      revisedAt: p.revisedAt,
      repealedAt: p.repealedAt,
      repealReason: p.repealReason,
      tasks: await Promise.all(
        tasks.map(async (t) => ({
          department: { id: t.departmentId, name: await departmentName(ctx.tenantId, t.departmentId) },
          requirement: t.requirement,
          period: t.period,
          reportDays: t.reportDays,
          assignedAt: t.assignedAt,
          reports: internal
            ? t.reports.map(({ taskId: _t, ...r }) => ({
                ...r,
                ...reportState({ ...r, periodEnd: r.end }, today),
              }))
            : [],
        })),
      ),
      can: mine
        ? TRANSITIONS.filter(
            (t) =>
              allows(p.stage, t) &&
              (actor === undefined || !!actor?.permissions.has(TRANSITION_PERMISSION[t])) &&
              !(t === 'revision' && p.revisedById !== null),
          )
        : [],
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  }

  return {
    /** One policy as the caller may see it. */
    async get(ctx: AuditContext, id: number): Promise<PolicyView> {
      const p = await store.findPolicy(db.kysely, ctx.tenantId, id);
      if (!p || !canSee(ctx, p)) throw hidden(id);
      return view(ctx, p);
    },

    /** The caller's department's policies, the latest changed first. */
    async ofMyDepartment(ctx: AuditContext, page: { limit: number; offset: number }) {
      authorizeActing(ctx, ['publication.write', 'publication.review']);
      const departmentId = ctx.actor?.departmentId;
      if (!departmentId) return { items: [], total: 0 };
      return store.listPolicies(db.kysely, ctx.tenantId, departmentId, page);
    },

    /**
     * The links a publication's article page shows for the policies it belongs to — the policy's
     * lifecycle page, its document, interpretations, consultation draft, evaluation report and the
     * document before or after a revision — each only when public, and never the page's own.
     */
    async articleExtras(
      tenantId: string,
      publication: Publication,
      t: Translate,
    ): Promise<ArticleExtraSection[]> {
      const ctx = publicContext(tenantId);
      const policies = (await store.policiesLinkedTo(db.kysely, tenantId, publication.id)).filter((p) =>
        canSee(ctx, p),
      );
      const sections: ArticleExtraSection[] = [];
      for (const p of policies) {
        const links: ArticleExtraSection['links'] = [
          {
            label: p.title,
            href: `/policies/${p.id}`,
            note: `${t('policies.link.lifecycle')} · ${t(`policies.stage.${p.stage}`)}`,
          },
        ];
        const add = async (id: number | null, note: string) => {
          if (id === null || id === publication.id) return;
          const l = await link(ctx, id);
          if (l) links.push({ label: l.title, href: l.url, note });
        };
        await add(p.documentId, t('policies.link.document'));
        for (const i of await store.interpretationsOf(db.kysely, tenantId, p.id))
          await add(i, t('policies.link.interpretation'));
        await add(p.consultation?.draftId ?? null, t('policies.link.consultation_draft'));
        await add(p.evaluationReportId, t('policies.link.evaluation_report'));
        for (const [other, note] of [
          [p.revisesId, 'policies.link.revises'],
          [p.revisedById, 'policies.link.revised_by'],
        ] as const) {
          const o = other === null ? undefined : await store.findPolicy(db.kysely, tenantId, other);
          if (o && canSee(ctx, o)) await add(o.documentId, t(note));
        }
        sections.push({ heading: t('policies.article.heading'), links });
      }
      return sections;
    },
  };
}

export type PolicyReader = ReturnType<typeof createPolicyReader>;
