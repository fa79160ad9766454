/**
 * policies — 政策文件全生命周期: a policy from its draft through public consultation (征求意见), its
 * published document, interpretations (政策解读), implementation by departments reporting each period
 * on the workflow engine (落实情况), its evaluation (评估), to its revision (修订) or repeal (废止). The
 * only file other modules import; see CONTEXT.md for the words.
 *
 * The documents are publications: written, reviewed, published and given their validity by the
 * publications module, through its service and hooks; this module keeps the lifecycle around their ids.
 */
import type { FastifyInstance } from 'fastify';
import type { AuditContext } from '../../kernel/audit/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import type { Category, Publication, PublicationHooks } from '../publications/index.ts';
import type { CaseService, DepartmentRef, WorkCalendar } from '../workflow/index.ts';
import { policiesPortal } from './policies.portal.tsx';
import { policiesRoutes } from './policies.routes.ts';
import { policiesWorkbench } from './policies.workbench.tsx';
import { createPolicyReader, type ConsultationFeedbackSource } from './policy.read.ts';
import { createPolicyService } from './policy.service.ts';

export type { ConsultationFeedback, ConsultationFeedbackSource, PolicyView } from './policy.read.ts';
export { CONSULTATION_MIN_DAYS, STAGES, TRANSITION_PERMISSION, type Stage } from './policy.ts';
export { policyDocumentDates, type PolicyDocumentDates } from './policy.figures.ts';

export interface PoliciesDeps {
  publications: {
    get(ctx: AuditContext, id: number): Promise<Publication>;
    categories(tenantId: string): Promise<Category[]>;
    ofMyDepartment(
      ctx: AuditContext,
      page: { limit: number; offset: number },
    ): Promise<{ items: Publication[] }>;
  };
  hooks: Pick<PublicationHooks, 'onPublished' | 'setValidityWithin'>;
  cases: Pick<CaseService, 'create' | 'onClosed'>;
  department(tenantId: string, id: number, ex: Executor): Promise<DepartmentRef | undefined>;
  departments(tenantId: string): Promise<DepartmentRef[]>;
  calendarFor(tenantId: string): Promise<Pick<WorkCalendar, 'due'>>;
  /** the process each period's implementation report runs on */
  process: string;
  /** what the public said on a consultation: the public-interaction module, once it exists */
  consultationFeedback?: ConsultationFeedbackSource;
  now?(): Date;
}

export function createPoliciesModule(db: Database, deps: PoliciesDeps) {
  const policies = createPolicyService(db, deps);
  const reader = createPolicyReader(db, deps);
  // In the transactions that publish a document and close a report case.
  deps.hooks.onPublished(policies.onPublished);
  deps.cases.onClosed(policies.onReportClosed);
  return {
    policies,
    reader,
    /** for the publications article page (PublicationsDeps.articleExtras) */
    articleExtras: reader.articleExtras,
    workbenchLinks: [
      {
        href: '/workbench/policies',
        key: 'policies.workbench.title',
        permission: ['publication.write', 'publication.review'],
      },
    ] satisfies { href: string; key: string; permission: readonly Permission[] }[],
    async routes(app: FastifyInstance) {
      await policiesRoutes(app, { policies, reader });
      policiesPortal(app, { reader });
      policiesWorkbench(app, {
        policies,
        reader,
        publications: deps.publications,
        departments: deps.departments,
        now: deps.now,
      });
    },
  };
}

export type PoliciesModule = ReturnType<typeof createPoliciesModule>;
