/**
 * services — 网上办事: the catalogue of government service items (政务服务事项) with their guides
 * (办事指南), found on the portal by search in Chinese or by department and life event. Applications,
 * forms, consultations and e-licences build on it. The only file other modules import; see
 * CONTEXT.md for the words.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditContext } from '../../kernel/audit/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { subtreePrefix } from '../../kernel/divisions/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import type { Segmenter } from '../../kernel/search/index.ts';
import type { ItemInput } from './catalogue.ts';
import { createCatalogueSearch, itemVector } from './item.search.ts';
import { createItemReindexer } from './item.reindex.ts';
import { createItemService, type ServiceDepartment } from './item.service.ts';
import { servicesPortalPages, type GuideSection } from './services.portal.tsx';
import { servicesRoutes } from './services.routes.ts';
import { coverageHttp } from './services.coverage.tsx';
import { servicesExchangeHttp } from './services.exchange.tsx';
import { servicesWorkbenchPages } from './services.workbench.tsx';

export type { Item, ItemInput, Material } from './catalogue.ts';
export type { ServiceDepartment } from './item.service.ts';
export { createItemReindexer, type ItemReindexer } from './item.reindex.ts';
export type { GuideSection } from './services.portal.tsx';
import { DEMO_CATALOGUE as DEMO_ITEMS } from './demo-catalogue.ts';
import { DEMO_FORMS } from './demo-forms.ts';
import { DEMO_LICENCES } from './demo-licences.ts';

/** The demo site's catalogue: thirteen items with their application forms and licences. */
export const DEMO_CATALOGUE = DEMO_ITEMS.map((e) => ({
  ...e,
  item: { ...e.item, form: DEMO_FORMS[e.item.code] ?? null, licence: DEMO_LICENCES[e.item.name] ?? null },
}));

export interface ServicesDeps {
  /** in the caller's transaction (on PGlite a query beside it would wait for it forever) */
  department(tenantId: string, id: number, ex: Executor): Promise<ServiceDepartment | undefined>;
  /** the site's departments, active ones */
  departments(tenantId: string): Promise<ServiceDepartment[]>;
  /** the site's process definitions (applications run on one) */
  processes(tenantId: string): Promise<{ code: string; name: string }[]>;
  /** the process's one segmenter, holding the sites' search terms (src/modules/glossary keeps them) */
  segmenter: Segmenter;
}

export function createServicesModule(db: Database, deps: ServicesDeps) {
  const segmenter = deps.segmenter;
  const items = createItemService(db, {
    department: (tenantId, id, ex) => deps.department(tenantId, id, ex),
    processExists: async (tenantId, code) => (await deps.processes(tenantId)).some((p) => p.code === code),
    searchVector: (item) => itemVector(segmenter, item),
  });
  const search = createCatalogueSearch(items, segmenter);

  /** The departments an administrator may give items to: all of the jurisdiction's, or their own. */
  async function departmentsFor(req: FastifyRequest): Promise<ServiceDepartment[]> {
    const actor = req.actor;
    if (!actor?.departmentId) return [];
    const all = await deps.departments(req.site.tenantId);
    const own = all.find((d) => d.id === actor.departmentId);
    if (own?.type !== 'government_services') return own ? [own] : [];
    return all.filter((d) => d.divisionCode.startsWith(subtreePrefix(actor.division)));
  }

  return {
    items,
    search,
    /** Recomputes every item's search vector (`yiwang search reindex`), after the dictionary changed. */
    reindexer: createItemReindexer(db, segmenter),
    /** Seeds items (the demo catalogue): each department by name; existing codes are left alone. */
    async seed(ctx: AuditContext, entries: { department: string; item: Omit<ItemInput, 'departmentId'> }[]) {
      const departments = await deps.departments(ctx.tenantId);
      let created = 0;
      for (const e of entries) {
        const d = departments.find((x) => x.name === e.department);
        if (!d) throw new Error(`demo catalogue: no department named ${e.department}`);
        try {
          await items.get(ctx, e.item.code);
          continue;
        } catch (err) {
          if (!(err instanceof DomainError && err.kind === 'not_found')) throw err;
        }
        await items.save(ctx, { ...e.item, departmentId: d.id }, { expectNew: true });
        await items.setStatus(ctx, e.item.code, 'published');
        created++;
      }
      return created;
    },
    workbenchLinks: [
      { href: '/workbench/services', key: 'services.workbench.title', permission: 'services.manage' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    /** `slots.guideSection`: another module's section of the guide page (consultations'). */
    async routes(app: FastifyInstance, slots: { guideSection?: GuideSection } = {}) {
      await servicesRoutes(app, { items, search });
      servicesPortalPages(app, { items, search, guideSection: slots.guideSection });
      servicesWorkbenchPages(app, { items, departmentsFor, processes: deps.processes });
      servicesExchangeHttp(app, { items, departments: deps.departments });
      coverageHttp(app, { items });
    },
  };
}

export type ServicesModule = ReturnType<typeof createServicesModule>;
