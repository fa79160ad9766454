/**
 * org — divisions (行政区划), tenants (the sites a deployment runs) and departments (部门).
 * The only file other modules import; see CONTEXT.md for the words.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import type { SiteInfo } from '../../kernel/pages/index.tsx';
import { createDepartmentService } from './department.service.ts';
import { createDivisionService } from './division.service.ts';
import { orgPortalPages } from './org.pages.tsx';
import { orgRoutes } from './org.routes.ts';
import { orgWorkbenchPages } from './org.workbench.tsx';
import { createTenantService } from './tenant.service.ts';
import { tenantWorkbenchPages } from './tenant.workbench.tsx';

export { DEPARTMENT_TYPES, type DepartmentType } from './department-types.ts';
export {
  isWithin,
  levelOf,
  NATIONAL_CODE,
  subtreePrefix,
  type DivisionLevel,
} from '../../kernel/divisions/index.ts';
export {
  chinaDivisionRows,
  csvRows,
  importDivisions,
  ImportRejected,
  type ImportResult,
  type RowProblem,
} from './division-import.ts';
export type { Division } from './division.store.ts';
export type { Department } from './department.store.ts';
export type { Tenant } from './tenant.store.ts';
export { seedDemoRegion, DEMO_TENANT_ID } from './demo-region.ts';

/** Shown when no tenant exists yet (an empty database before seeding). */
const UNCONFIGURED_SITE: SiteInfo = {
  tenantId: '',
  name: 'Yiwang',
  siteIdCode: '',
  icpNumber: '',
  policeFiling: '',
  sponsor: '',
  address: '',
  phone: '',
  email: '',
};

export function createOrgModule(db: Database) {
  const divisions = createDivisionService(db);
  const tenants = createTenantService(db);
  const departments = createDepartmentService(db);
  return {
    divisions,
    tenants,
    departments,
    workbenchLinks: [
      { href: '/workbench/departments', key: 'org.department.manage', permission: 'org.department.manage' },
      { href: '/workbench/divisions', key: 'org.division.manage', permission: 'org.division.manage' },
      { href: '/workbench/site', key: 'org.tenant.settings', permission: 'org.site.manage' },
      { href: '/workbench/sites', key: 'org.tenant.all', permission: 'org.sites.manage' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    /** The site a host name is for (read model for every request). */
    async siteFor(host: string): Promise<SiteInfo> {
      const t = await tenants.resolveHost(host);
      if (!t) return UNCONFIGURED_SITE;
      const { hosts: _h, isDefault: _d, ...site } = t;
      return site;
    },
    async routes(app: FastifyInstance) {
      await orgRoutes(app, { divisions, tenants, departments });
      orgPortalPages(app, { divisions, departments });
      orgWorkbenchPages(app, { divisions, departments });
      tenantWorkbenchPages(app, { tenants });
    },
  };
}

export type OrgModule = ReturnType<typeof createOrgModule>;
