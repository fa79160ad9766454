/**
 * evaluation — 好差评 (国办发〔2019〕51号): the applicant rates each closed case once on five levels with
 * a comment; a 差评 (不满意, 非常不满意) opens a rectification case (核实 → 整改 → 反馈) in the department
 * that handled the case, due in 15 working days, and its outcome and reply reach the rater; supervisors
 * see 评价数, 好评率, 差评数 and 差评整改率 per department of their jurisdiction. The only file other
 * modules import; see CONTEXT.md for the words.
 *
 * It learns of closed cases from the workflow's onClosed, in the closing transaction, and keeps what
 * it needs in its own schema: it never reads the workflow's tables.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import type { CaseService, DepartmentRef } from '../workflow/index.ts';
import { evaluationPages } from './evaluation.pages.tsx';
import { evaluationRoutes } from './evaluation.routes.ts';
import { createEvaluationService, type EvaluationPorts } from './evaluation.service.ts';
import { evaluationWorkbenchPages } from './evaluation.workbench.tsx';

export { EVALUATION_WINDOW_DAYS, LEVELS, isBadReview } from './evaluation.ts';
export type { DepartmentFigures, EvaluationInput, EvaluationView } from './evaluation.service.ts';

export interface EvaluationDeps extends Omit<EvaluationPorts, 'cases'> {
  cases: Pick<CaseService, 'get' | 'create' | 'onClosed'>;
  /** the site's departments (names for the figures) */
  listDepartments(tenantId: string): Promise<DepartmentRef[]>;
}

export function createEvaluationModule(db: Database, deps: EvaluationDeps) {
  const evaluations = createEvaluationService(db, deps);
  deps.cases.onClosed(evaluations.onCaseClosed);
  const http = { evaluations, listDepartments: deps.listDepartments, now: deps.now };
  return {
    evaluations,
    workbenchLinks: [
      { href: '/workbench/evaluation', key: 'evaluation.stats.title', permission: 'case.supervise' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      await evaluationRoutes(app, http);
      evaluationPages(app, { evaluations });
      evaluationWorkbenchPages(app, http);
    },
  };
}

export type EvaluationModule = ReturnType<typeof createEvaluationModule>;
