/**
 * disclosure — 依申请公开: requests for government information under the 政府信息公开条例 (2019) §27–45,
 * each a case answered by the receiving body within 20 working days. The only file other modules
 * import; see CONTEXT.md for the words.
 *
 * Decisions, and why:
 * - A request is a case on the disclosure process (`process`; demo.disclosure-request on the demo
 *   site), opened in the body the requester chose (the site's general office by default), so the
 *   body finds it among its tasks and electronic supervision watches its deadline. The deadline rules
 *   are the process's, kept by the engine: 20 working days after the day of receipt (the engine counts
 *   from the day after the opening), 补正 only within 7 working days of receipt (the stop's `within`)
 *   and restarting the period when the clarified request arrives, consultations of a third party or
 *   another agency not counted and each limited to 15 working days (the stop's `limit`), one
 *   extension of at most 20 working days approved by the head, the requester told of it.
 * - The six replies (予以公开, 部分公开, 不予公开, 信息不存在, 非本机关负责公开, 不予处理) are the step's
 *   actions, each with its form and outcome: a reply is given on the case page or through the case API
 *   like any decision. The reply document (答复书) and the 补正 and 延期 notices are rendered from the
 *   case's log on each download, never stored.
 * - The row keeps what the case log should not: the requester's contacts and their citizen ID number
 *   (SM4, each full view audited), and a projection of the case kept in step by the engine's onChanged
 *   in the same transaction, for the lists.
 * - Online only, for signed-in persons (as themselves) and enterprises (as organisations). Requests by
 *   letter, or made orally and written down by the office (§29), are not entered here yet: a window
 *   form, as applications have, would be the next step.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import type { CaseView } from '../workflow/index.ts';
import { disclosurePages } from './disclosure.pages.tsx';
import { disclosureRoutes } from './disclosure.routes.ts';
import { createRequestService, type DisclosurePorts } from './request.service.ts';

export { rotateDisclosureKeys } from './disclosure.keys.ts';
export {
  ORGANISATION_TYPES,
  REPLY_ROWS,
  REQUESTER_COLUMNS,
  replyRow,
  requestFigures,
  type ReplyRow,
  type RequesterColumn,
  type RequestFigures,
} from './request.report.ts';
export type { DisclosureRequest, RequestDetail, RequestService } from './request.service.ts';

export interface DisclosureDeps extends DisclosurePorts {
  /** The site-wide per-address limit; filing gets a sixtieth of it (at least 5 a minute). */
  rateLimitPerMinute: number;
}

export function createDisclosureModule(db: Database, deps: DisclosureDeps) {
  const requests = createRequestService(db, deps);
  const filesPerMinute = Math.max(5, Math.floor(deps.rateLimitPerMinute / 60));
  return {
    requests,
    /** A request's documents, linked for the case page (the workflow's caseDocuments port). */
    caseDocuments: (tenantId: string, view: CaseView) => requests.ofCase(tenantId, view),
    workbenchLinks: [
      {
        href: '/workbench/disclosure-requests',
        key: 'disclosure.workbench.title',
        permission: 'case.handle',
      },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      await disclosureRoutes(app, { requests, filesPerMinute });
      disclosurePages(app, { requests, filesPerMinute });
    },
  };
}

export type DisclosureModule = ReturnType<typeof createDisclosureModule>;
