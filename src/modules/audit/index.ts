/**
 * audit — the auditor's pages over the audit chain (审计日志: search, CSV export, JSON API) and the
 * security events page (安全事件). It owns no tables: it reads the chain through the kernel's audit
 * queries. The only file other modules import.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { auditRoutes } from './audit.routes.ts';
import { auditWorkbenchPages } from './audit.workbench.tsx';
import { securityWorkbenchPages } from './security.workbench.tsx';

/** A link in the workbench navigation (the workbench's WorkbenchLink, by shape). */
export interface WorkbenchLink {
  href: string;
  /** locale key of its label */
  key: string;
  permission: Permission;
}

export { EXPORTED_ACTION } from './audit.workbench.tsx';

export function createAuditModule(db: Database): {
  routes(app: FastifyInstance): Promise<void>;
  workbenchLinks: WorkbenchLink[];
} {
  return {
    async routes(app: FastifyInstance) {
      await auditRoutes(app, db);
      auditWorkbenchPages(app, db);
      securityWorkbenchPages(app, db);
    },
    workbenchLinks: [
      { href: '/workbench/audit', key: 'audit.log', permission: 'audit.read' },
      { href: '/workbench/security/events', key: 'security.events', permission: 'security.events' },
    ],
  };
}

export type AuditModule = ReturnType<typeof createAuditModule>;
