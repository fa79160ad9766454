/**
 * opinions — public consultations on draft documents (征集意见 / 征求意见): a department puts a draft
 * out for comment, signed-in people and enterprises write opinions while it is open, and after the
 * close the department publishes which were taken up and why (意见采纳情况反馈). The only file other
 * modules import; see CONTEXT.md for the words. (网上咨询, questions on a service item, is the
 * consultations module.)
 *
 * Decisions, and why:
 * - A solicitation (征集) has its own two instants, opening (inclusive) and closing (exclusive),
 *   entered and shown in China time; its state (未开始 / 进行中 / 已结束) is derived from them at every
 *   read, so nothing has to wake up at the close and every node agrees. An opinion arriving at the
 *   closing instant or later is 409 with the close; before the opening, 409 with the opening.
 * - The draft is either a policy of the policies module in its consultation — read through the
 *   `policy` port as the caller may see it; its draft publication and its period (the opening day's
 *   start to the closing day's end) are taken as defaults — or a text written here for any other
 *   draft. One solicitation per policy. The solicitation's instants are its own afterwards: a change
 *   here (提前结束, 延期, each with a reason shown on the page and audited) does not move the policy's
 *   dates, since the policies module takes no such change from outside.
 * - Who runs it: the department's writers (`publication.write` — the permission that writes its
 *   publications and opens its policies' consultations; no new permission). Another department's
 *   staff get 404. Writers: any signed-in person or enterprise (`account.self`).
 * - Content safety: texts are stored as plain text (kernel/text), 5–2000 characters, a clause
 *   reference up to 40; each post is screened for the site's sensitive words (the moderation module's
 *   `screen` port): a hit is kept as `held` and the writer told so (202), never dropped; the site's
 *   moderators release or reject it on the moderation page through `heldSource` (kind 'opinions').
 *   A solicitation may be moderated (per solicitation, the site's default in opinions.setting): then
 *   every opinion waits (`pending`) for the department. Rejections tell the writer the reason.
 *   Posting is under `postLimit` (per account, else per address; 429 with Retry-After) on the API and
 *   the form, and at most PER_WRITER_MAX opinions per writer and solicitation.
 * - The report: after the close the department marks accepted opinions (one or a group of similar ones
 *   at once) 采纳 / 部分采纳 / 未采纳, a reason required unless adopted; it can be published only when
 *   no opinion still waits and every accepted one is marked. The public sees counts and each opinion
 *   with its answer, the writer's name reduced to its first character and identifiers masked; the
 *   writers are notified. Marks are the department's own until published.
 * - The policies module's `consultationFeedback` port is `feedback` here: received (accepted) opinions,
 *   adopted ones once the report is out, and a link to the solicitation or its report (titled in
 *   zh-CN: the port carries no language).
 */
import type { FastifyInstance } from 'fastify';
import type { AuditContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { createOpinionService, type OpinionPorts } from './opinion.service.ts';
import { opinionsPages } from './opinions.pages.tsx';
import { opinionsRoutes } from './opinions.routes.ts';
import { opinionsWorkbench } from './opinions.workbench.tsx';

export type {
  HeldSource,
  OpinionService,
  PolicyRef,
  PublicOpinion,
  SolicitationView,
} from './opinion.service.ts';
export { stateAt, type State } from './opinion.ts';
export { DEMO_SOLICITATIONS } from './demo-opinions.ts';

export interface OpinionsDeps extends OpinionPorts {
  /** The site-wide per-address limit; writing opinions gets a sixtieth of it (at least 5 a minute). */
  rateLimitPerMinute: number;
  /** the caller's department's policies in consultation, for the new-solicitation form */
  consultingPolicies?: (ctx: AuditContext) => Promise<{ id: number; title: string }[]>;
}

export function createOpinionsModule(db: Database, deps: OpinionsDeps) {
  const opinions = createOpinionService(db, deps);
  return {
    opinions,
    /** for the moderation module's queue: opinions the sensitive words held */
    heldSource: opinions.heldSource,
    /** for the policies module (PoliciesDeps.consultationFeedback) */
    consultationFeedback: (tenantId: string, c: { policyId: number }) =>
      opinions.feedback(tenantId, c.policyId),
    workbenchLinks: [
      {
        href: '/workbench/opinions',
        key: 'opinions.workbench.title',
        permission: ['publication.write', 'org.site.manage'],
      },
    ] satisfies { href: string; key: string; permission: readonly Permission[] }[],
    async routes(app: FastifyInstance) {
      const postsPerMinute = Math.max(5, Math.floor(deps.rateLimitPerMinute / 60));
      await opinionsRoutes(app, { opinions, postsPerMinute });
      opinionsPages(app, { opinions, postsPerMinute });
      opinionsWorkbench(app, { opinions, consultingPolicies: deps.consultingPolicies });
    },
  };
}

export type OpinionsModule = ReturnType<typeof createOpinionsModule>;
