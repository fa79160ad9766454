/**
 * applications — 网上申请 and window intake (窗口受理): a draft per application for a service item,
 * its form and materials, and submission into a case on the item's process. The only file other
 * modules import; see CONTEXT.md for the words.
 */
import type { FastifyInstance } from 'fastify';
import type { Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import type { BlobStore } from '../../kernel/files/index.ts';
import type { AddressScope } from '../../kernel/forms/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import type { Item } from '../services/index.ts';
import type { CaseService, CaseView } from '../workflow/index.ts';
import { createDocumentService } from './application.documents.ts';
import { applicationDocumentRoutes } from './application.documents.routes.ts';
import { licenceOnApproval, type LicencePorts } from './application.licence.ts';
import { createApplicationService } from './application.service.ts';
import { createSupplementService } from './application.supplement.ts';
import { applicationSupplementRoutes } from './application.supplement.routes.ts';
import { applicationsPages } from './applications.pages.tsx';
import { applicationsRoutes } from './applications.routes.ts';

export { takesApplications, takesOnline } from './application.service.ts';
export { rotateApplicationKeys } from './application.keys.ts';

export interface ApplicationsDeps {
  item(tenantId: string, code: string, ex?: Executor): Promise<Item | undefined>;
  cases: Pick<CaseService, 'create' | 'onClosed' | 'get' | 'act'>;
  /** issues an electronic licence in the approving transaction (the licences module's issue) */
  issueLicence: LicencePorts['issue'];
  keyring: Sm4Keyring;
  blobs: BlobStore;
  addressScope(tenantId: string): AddressScope;
  /** the divisions with these codes, read with the caller's executor */
  divisionsIn(ex: Executor, codes: readonly string[]): Promise<{ code: string; name: string }[]>;
}

export function createApplicationsModule(db: Database, deps: ApplicationsDeps) {
  const applications = createApplicationService(db, deps);
  // 补正 answered on the application page; its decision documents as PDFs.
  const supplements = createSupplementService(db, { applications, item: deps.item, cases: deps.cases });
  const documents = createDocumentService(db, { applications, item: deps.item, cases: deps.cases });
  deps.cases.onClosed(
    licenceOnApproval({
      item: (tenantId, code, ex) => deps.item(tenantId, code, ex),
      issue: deps.issueLicence,
      divisions: (ex) => ({
        many: async (codes) => await deps.divisionsIn(ex, codes),
        children: async () => [],
      }),
    }),
  );
  return {
    applications,
    /** What a 补正 may ask for in an application's case (the workflow's stopChoices port). */
    stopChoices: (tenantId: string, view: CaseView) => supplements.stopChoices(tenantId, view),
    /** An application's case's decision documents, linked (the workflow's caseDocuments port). */
    caseDocuments: (tenantId: string, view: CaseView) => documents.ofCase(tenantId, view),
    workbenchLinks: [
      { href: '/workbench/applications', key: 'applications.window.title', permission: 'case.handle' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      await applicationsRoutes(app, { applications, blobs: deps.blobs });
      await applicationDocumentRoutes(app, { documents });
      await applicationSupplementRoutes(app, { applications, supplements, blobs: deps.blobs });
      applicationsPages(app, { applications, supplements, documents, ...deps });
    },
  };
}

export type ApplicationsModule = ReturnType<typeof createApplicationsModule>;
