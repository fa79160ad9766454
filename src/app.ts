/**
 * Builds the Yiwang application. Reads as a checklist: database and migrations, modules, HTTP kernel
 * (health, security headers, rate limits, CSRF, language, errors), module routes, portal, workbench.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './kernel/config/index.ts';
import { projectRoot } from './kernel/config/paths.ts';
import { migrate, migrationStatus, openDatabase, type Database } from './kernel/db/index.ts';
import { startAuditSealer, systemContext } from './kernel/audit/index.ts';
import { createLocalBlobStore } from './kernel/files/index.ts';
import { createHttpServer } from './kernel/http/index.ts';
import { createAuditModule } from './modules/audit/index.ts';
import { createWorkflowModule, type WorkflowModule } from './modules/workflow/index.ts';
import { createNotifyModule, type NotifyModule } from './modules/notify/index.ts';
import { createServicesModule, DEMO_CATALOGUE, type ServicesModule } from './modules/services/index.ts';
import { createApplicationsModule, type ApplicationsModule } from './modules/applications/index.ts';
import { createConsultationsModule, type ConsultationsModule } from './modules/consultations/index.ts';
import { createLicencesModule, type LicencesModule } from './modules/licences/index.ts';
import { createEvaluationModule, type EvaluationModule } from './modules/evaluation/index.ts';
import { Sm4Keyring } from './kernel/crypto/index.ts';
import {
  contactOf,
  createIdentityModule,
  DEMO_ACCOUNTS,
  DEMO_STAFF,
  type IdentityModule,
} from './modules/identity/index.ts';
import {
  createOrgModule,
  DEMO_TENANT_ID,
  seedDemoRegion,
  type Department,
  type OrgModule,
} from './modules/org/index.ts';
import { errorPage, portalPages, PortalLayout } from './portal/index.tsx';
import { workbenchLayout, workbenchPages } from './workbench/index.tsx';

export { DEMO_ACCOUNTS, DEMO_STAFF };

export const VERSION: string = (
  JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }
).version;

export interface Yiwang {
  app: FastifyInstance;
  db: Database;
  org: OrgModule;
  identity: IdentityModule;
  notify: NotifyModule;
  workflow: WorkflowModule;
  services: ServicesModule;
  applications: ApplicationsModule;
  consultations: ConsultationsModule;
  licences: LicencesModule;
  evaluation: EvaluationModule;
  close(): Promise<void>;
}

/** Opens the database named by the config (PGlite in DATA_DIR unless DATABASE_URL is set). */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pgdata'),
    poolSize: config.databasePoolSize,
  });
}

export async function buildApp(config: Config, options: { db?: Database } = {}): Promise<Yiwang> {
  const db = options.db ?? (await openConfiguredDatabase(config));
  await migrate(db);
  const org = createOrgModule(db);
  const identity = createIdentityModule(db, config, {
    findDepartment: async (tenantId, id) => {
      const d = await org.departments.find(tenantId, id);
      return d && { id: d.id, name: d.name, divisionCode: d.divisionCode, active: d.active };
    },
    listDepartments: async (tenantId) =>
      (await org.departments.list(tenantId, { includeInactive: false, limit: 1000, offset: 0 })).items.map(
        (d) => ({
          id: d.id,
          name: d.name,
          divisionCode: d.divisionCode,
          active: d.active,
        }),
      ),
  });
  await identity.syncRoles();
  if (config.seedDemo) {
    await seedDemoRegion(db);
    const departments = (
      await org.departments.list(DEMO_TENANT_ID, { includeInactive: false, limit: 500, offset: 0 })
    ).items;
    await identity.seedDemoAccounts(DEMO_TENANT_ID, (name) => departments.find((d) => d.name === name)?.id);
  }
  const audit = createAuditModule(db);
  const notify = createNotifyModule(db, config, {
    contactOf,
    siteOf: (tenantId) => org.tenants.get(tenantId),
  });
  // Files (case attachments, materials): content-addressed in DATA_DIR/files. Several nodes share
  // that directory (a network volume) until the S3-compatible store lands.
  const blobs = createLocalBlobStore(path.join(config.dataDir, 'files'));
  const departmentRef = (d: Department) => ({
    id: d.id,
    name: d.name,
    divisionCode: d.divisionCode,
    type: d.type,
    active: d.active,
  });
  const workflow = createWorkflowModule(
    db,
    {
      department: async (tenantId, id, ex) => {
        const d = await org.departments.find(tenantId, id, ex);
        return d && departmentRef(d);
      },
      departmentsOfType: async (tenantId, type, ex) =>
        (
          await org.departments.list(tenantId, { type, includeInactive: false, limit: 1000, offset: 0 }, ex)
        ).items.map(departmentRef),
      listDepartments: async (tenantId) =>
        (await org.departments.list(tenantId, { includeInactive: true, limit: 5000, offset: 0 })).items.map(
          departmentRef,
        ),
      staffWithRole: (tenantId, where, ex) => identity.staffWithRole(tenantId, where, ex),
      notify: (ex, message) => notify.notify(ex, message),
    },
    blobs,
  );
  // The demo processes (临时救助, 并联审批) on the demo site; an unchanged file stores nothing.
  if (config.seedDemo && (await org.tenants.get(DEMO_TENANT_ID).catch(() => undefined)))
    await workflow.loadProcesses(systemContext(DEMO_TENANT_ID));
  const services = createServicesModule(db, {
    department: async (tenantId, id, ex) => {
      const d = await org.departments.find(tenantId, id, ex);
      return d && departmentRef(d);
    },
    departments: async (tenantId) =>
      (await org.departments.list(tenantId, { includeInactive: false, limit: 5000, offset: 0 })).items.map(
        departmentRef,
      ),
    processes: async (tenantId) =>
      (await workflow.definitions.list(tenantId)).map((d) => ({ code: d.code, name: d.body.name['zh-CN'] })),
  });
  if (config.seedDemo && (await org.tenants.get(DEMO_TENANT_ID).catch(() => undefined)))
    await services.seed(systemContext(DEMO_TENANT_ID), DEMO_CATALOGUE);
  // Electronic licences: signed with each department's SM2 key, whose private half is kept under the
  // personal-data SM4 keyring (as the holders' ID numbers are).
  const licences = createLicencesModule(db, {
    keyring: new Sm4Keyring(config.piiKeys, config.piiKeyCurrent),
    department: async (tenantId, id, ex) => {
      const d = await org.departments.find(tenantId, id, ex);
      return d && { id: d.id, name: d.name, divisionCode: d.divisionCode, active: d.active };
    },
    caseOf: (ctx, number) => workflow.cases.get(ctx, number),
    rateLimitPerMinute: config.rateLimitPerMinute,
  });
  // Applications for the catalogue's items, submitted into cases on their processes.
  const applications = createApplicationsModule(db, {
    item: (tenantId, code, ex) => services.items.get({ tenantId }, code, ex).catch(() => undefined),
    cases: workflow.cases,
    issueLicence: (ex, ctx, input) => licences.issue(ex, ctx, input),
    divisionsIn: (ex, codes) => org.divisions.many([...codes], ex),
    keyring: new Sm4Keyring(config.piiKeys, config.piiKeyCurrent),
    blobs,
    addressScope: (tenantId) => ({
      root: tenantId,
      lookup: {
        many: async (codes) => (await org.divisions.many([...codes])).filter((d) => d.active),
        children: async (code) =>
          (await org.divisions.children(code, { limit: 1000, offset: 0 })).items.filter((d) => d.active),
      },
    }),
  });
  // Questions on the catalogue's items (网上咨询), each a case answered by the item's department.
  const consultations = createConsultationsModule(db, {
    item: (tenantId, code) => services.items.get({ tenantId }, code).catch(() => undefined),
    cases: workflow.cases,
    calendarFor: (tenantId, ex) => workflow.calendars.forTenant(tenantId, ex),
    notify: (ex, message) => notify.notify(ex, message),
    process: 'demo.consultation',
    rateLimitPerMinute: config.rateLimitPerMinute,
  });
  // 好差评: applicants rate closed cases; a 差评 opens a rectification case in the handling department.
  const evaluation = createEvaluationModule(db, {
    cases: workflow.cases,
    department: async (tenantId, id, ex) => {
      const d = await org.departments.find(tenantId, id, ex);
      return d && departmentRef(d);
    },
    listDepartments: async (tenantId) =>
      (await org.departments.list(tenantId, { includeInactive: true, limit: 5000, offset: 0 })).items.map(
        departmentRef,
      ),
    notify: (ex, message) => notify.notify(ex, message),
    rectificationProcess: 'demo.rectification',
  });
  const workbenchLinks = [
    ...notify.workbenchLinks,
    ...applications.workbenchLinks,
    ...consultations.workbenchLinks,
    ...services.workbenchLinks,
    ...licences.workbenchLinks,
    ...workflow.workbenchLinks,
    ...evaluation.workbenchLinks,
    ...org.workbenchLinks,
    ...identity.workbenchLinks,
    ...audit.workbenchLinks,
  ];

  const app = await createHttpServer({
    config,
    version: VERSION,
    siteFor: (host) => org.siteFor(host),
    layouts: { portal: PortalLayout, workbench: workbenchLayout(workbenchLinks) },
    errorPage,
    readiness: async () => {
      const status = await migrationStatus(db);
      return status.pending.map((m) => `migration pending: ${m}`);
    },
  });
  identity.sessions(app);
  await org.routes(app);
  await identity.routes(app);
  await audit.routes(app);
  await workflow.routes(app);
  await services.routes(app, { guideSection: consultations.guideSection });
  await applications.routes(app);
  await consultations.routes(app);
  await licences.routes(app);
  await evaluation.routes(app);
  await notify.routes(app);
  portalPages(app, { org, version: VERSION });
  workbenchPages(app, workbenchLinks);
  await app.ready();
  // Links committed audit entries into their chains a few times a second (one node at a time).
  const stopSealer = startAuditSealer(db, (e) => app.log.error({ err: e }, 'audit sealing failed'));
  // Sends queued notification e-mails (when SMTP is configured); the outbox rows are the truth.
  const stopNotify = notify.startWorker(app.log);
  // Raises yellow and red warnings and runs escalations as deadlines pass (rows in workflow.timer).
  const stopTimers = workflow.timers.start((e) => app.log.error({ err: e }, 'workflow timer sweep failed'));

  return {
    app,
    db,
    org,
    identity,
    notify,
    workflow,
    services,
    applications,
    consultations,
    licences,
    evaluation,
    async close() {
      await stopTimers();
      await stopNotify();
      await stopSealer();
      await app.close();
      if (!options.db) await db.close();
    },
  };
}
