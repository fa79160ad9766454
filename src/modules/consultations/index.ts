/**
 * consultations — 网上咨询: questions on a service item, each answered by the item's department within
 * the item's promised working days (Item.consultDays; null: the item takes no questions). The only
 * file other modules import; see CONTEXT.md for the words.
 *
 * Decisions, and why:
 * - A question is a case on a one-step process (`process`, demo.consultation on the demo site), opened
 *   in the item's department, so the department finds it among its tasks and electronic supervision
 *   (电子监察) watches its deadline like any other. The engine takes the department from
 *   CreateCaseInput.departmentId; the process's step says `department: "case"`.
 * - Two due dates. The engine's limits come from the process definition, and a case cannot carry its
 *   own; the item's promise is per item (1–60 working days). So the process keeps a default (3 working
 *   days: its lights and the supervisor's figures), and this module keeps the item's own due date,
 *   computed on the site's calendar when the question is asked. The asker and the department's list
 *   see the item's date, which is the one the guide promised. A per-case limit in the engine
 *   (CreateCaseInput.limit overriding the first step's and the case's) would make them one.
 * - The answer is the case's step action; this module learns of it in onClosed, in the closing
 *   transaction, whichever page it was given on — the row and the case never disagree.
 * - Texts are stored as plain text (HTML stripped) and bounded: a question 5–1000 characters, an
 *   answer 1–3000. The public sees an answer only if the department published it, with the asker's
 *   name reduced to its first character and identifiers in the texts masked.
 * - Who asks: a signed-in person or enterprise (account.self), at most OPEN_MAX questions waiting at
 *   once, and the POST under a tighter per-address rate limit than the site's.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { createConsultationService, type ConsultationPorts } from './consultation.service.ts';
import { consultationsPages, guideSection } from './consultations.pages.tsx';
import { consultationsRoutes } from './consultations.routes.ts';

export type { ConsultationService, PublicQuestion, Question } from './consultation.service.ts';
export { unansweredQuestions, type UnansweredQuestion } from './consultation.overdue.ts';

export interface ConsultationsDeps extends ConsultationPorts {
  /** The site-wide per-address limit; asking gets a sixtieth of it (at least 5 a minute). */
  rateLimitPerMinute: number;
}

export function createConsultationsModule(db: Database, deps: ConsultationsDeps) {
  const consultations = createConsultationService(db, deps);
  return {
    consultations,
    /** For the services module: the guide page's questions section (answers made public, how to ask). */
    guideSection: guideSection(consultations),
    workbenchLinks: [
      { href: '/workbench/consultations', key: 'consultations.workbench.title', permission: 'case.handle' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      const asksPerMinute = Math.max(5, Math.floor(deps.rateLimitPerMinute / 60));
      await consultationsRoutes(app, { consultations, asksPerMinute });
      consultationsPages(app, { consultations, asksPerMinute });
    },
  };
}

export type ConsultationsModule = ReturnType<typeof createConsultationsModule>;
