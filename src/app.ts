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
import { createSegmenter } from './kernel/search/index.ts';
import { createAuditModule } from './modules/audit/index.ts';
import { createWorkflowModule, type WorkflowModule } from './modules/workflow/index.ts';
import { createNotifyModule, type NotifyModule } from './modules/notify/index.ts';
import { createGlossaryModule, type GlossaryModule } from './modules/glossary/index.ts';
import { createModerationModule, type ModerationModule } from './modules/moderation/index.ts';
import { createInterviewsModule, type InterviewsModule } from './modules/interviews/index.ts';
import {
  categoriesOfPublications,
  columnFreshness,
  createPublicationsModule,
  DEMO_PUBLICATIONS,
  publicBodyLinks,
  publicationsByCategory,
  type PublicationsModule,
} from './modules/publications/index.ts';
import { createServicesModule, DEMO_CATALOGUE, type ServicesModule } from './modules/services/index.ts';
import { createApplicationsModule, type ApplicationsModule } from './modules/applications/index.ts';
import {
  createConsultationsModule,
  unansweredQuestions,
  type ConsultationsModule,
} from './modules/consultations/index.ts';
import { createDisclosureModule, requestFigures, type DisclosureModule } from './modules/disclosure/index.ts';
import { createAnnualReportModule, type AnnualReportModule } from './modules/annualreport/index.ts';
import { createPetitionsModule, type PetitionsModule } from './modules/petitions/index.ts';
import { createLettersModule, type LettersModule } from './modules/letters/index.ts';
import { createLicencesModule, type LicencesModule } from './modules/licences/index.ts';
import { createEvaluationModule, type EvaluationModule } from './modules/evaluation/index.ts';
import { createPoliciesModule, policyDocumentDates, type PoliciesModule } from './modules/policies/index.ts';
import { createOpinionsModule, DEMO_SOLICITATIONS, type OpinionsModule } from './modules/opinions/index.ts';
import { createSiteCheckModule, type SiteCheckModule } from './modules/sitecheck/index.ts';
import { Sm4Keyring } from './kernel/crypto/index.ts';
import {
  contactsOf,
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
  glossary: GlossaryModule;
  moderation: ModerationModule;
  interviews: InterviewsModule;
  publications: PublicationsModule;
  services: ServicesModule;
  applications: ApplicationsModule;
  consultations: ConsultationsModule;
  disclosure: DisclosureModule;
  annualreport: AnnualReportModule;
  petitions: PetitionsModule;
  letters: LettersModule;
  licences: LicencesModule;
  evaluation: EvaluationModule;
  policies: PoliciesModule;
  opinions: OpinionsModule;
  sitecheck: SiteCheckModule;
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
    contactsOf,
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
      notify: (ex, messages) => notify.notifyAll(ex, messages),
      // An application's case: a 补正 may ask for its item's materials; its decision documents
      // download from the application (the applications module is built below; pages call these later).
      stopChoices: (tenantId, view) => applications.stopChoices(tenantId, view),
      caseDocuments: async (tenantId, view) => [
        ...(await applications.caseDocuments(tenantId, view)),
        ...(await disclosure.caseDocuments(tenantId, view)),
        ...(await petitions.caseDocuments(tenantId, view)),
      ],
    },
    blobs,
  );
  // The demo processes (临时救助, 并联审批) on the demo site; an unchanged file stores nothing.
  if (config.seedDemo && (await org.tenants.get(DEMO_TENANT_ID).catch(() => undefined)))
    await workflow.loadProcesses(systemContext(DEMO_TENANT_ID));
  // Search: one segmenter in the process (jieba holds ~40 MB), given to every module that indexes; it
  // holds every site's dictionary terms, loaded before anything is indexed (the demo catalogue below).
  const segmenter = createSegmenter();
  const glossary = createGlossaryModule(db, { segmenter, databaseUrl: config.databaseUrl });
  await glossary.loadTerms();
  // 内容安全: every public post is screened against the site's sensitive words (an automaton per site
  // in memory, kept in step across nodes); modules take `screen` as a port and register their held
  // posts' source with the moderation queue.
  const moderation = createModerationModule(db, { databaseUrl: config.databaseUrl });
  if (config.seedDemo && (await org.tenants.get(DEMO_TENANT_ID).catch(() => undefined)))
    await moderation.seedDemo(systemContext(DEMO_TENANT_ID));
  await moderation.loadWords();
  const services = createServicesModule(db, {
    segmenter,
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
  glossary.reindexers.register(services.reindexer);
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
    item: (tenantId, code, ex) =>
      ex
        ? services.items.get({ tenantId }, code, ex).catch(() => undefined)
        : services.items.publishedItem(tenantId, code),
    cases: workflow.cases,
    issueLicence: (ex, ctx, input) => licences.issue(ex, ctx, input),
    divisionsIn: (ex, codes) => org.divisions.many([...codes], ex),
    keyring: new Sm4Keyring(config.piiKeys, config.piiKeyCurrent),
    blobs,
    addressScope: (tenantId) => ({
      root: tenantId,
      lookup: org.divisions.forForms,
    }),
  });
  // 政府信息公开: the disclosure catalogue and its publications, reviewed on a process before they go out.
  const publications = createPublicationsModule(db, {
    department: async (tenantId, id, ex) => {
      const d = await org.departments.find(tenantId, id, ex);
      return d && { ...departmentRef(d), creditCode: d.creditCode };
    },
    cases: workflow.cases,
    reviewProcess: 'demo.publication-review',
    // A policy's lifecycle links under its documents' articles (the policies module is built below).
    articleExtras: (tenantId, p, t) => policies.articleExtras(tenantId, p, t),
    segmenter,
    blobs,
    sitemapEntries: async (tenantId) => [
      { path: '/services' },
      ...(await services.items.published(tenantId)).map((i) => ({
        path: `/services/items/${i.code}`,
        lastmod: i.updatedAt,
      })),
      // The final annual reports (the annualreport module is built below; the sitemap is asked later).
      { path: '/disclosure/annual-reports' },
      ...(await annualreport.reports.published(tenantId)).map((r) => ({
        path: `/disclosure/annual-reports/${r.year}${r.department ? `?department=${r.department.id}` : ''}`,
        lastmod: r.finalisedAt?.toISOString(),
      })),
    ],
  });
  glossary.reindexers.register(publications.reindexer);
  if (config.seedDemo && (await org.tenants.get(DEMO_TENANT_ID).catch(() => undefined))) {
    const departments = (
      await org.departments.list(DEMO_TENANT_ID, { includeInactive: false, limit: 500, offset: 0 })
    ).items;
    await publications.publications.seed(
      systemContext(DEMO_TENANT_ID),
      DEMO_PUBLICATIONS,
      (name) => departments.find((d) => d.name === name)?.id,
    );
  }
  // Questions on the catalogue's items (网上咨询), each a case answered by the item's department.
  const consultations = createConsultationsModule(db, {
    item: (tenantId, code) => services.items.get({ tenantId }, code).catch(() => undefined),
    cases: workflow.cases,
    calendarFor: (tenantId, ex) => workflow.calendars.forTenant(tenantId, ex),
    notify: (ex, message) => notify.notify(ex, message),
    process: 'demo.consultation',
    rateLimitPerMinute: config.rateLimitPerMinute,
  });
  // 依申请公开: requests for government information, each a case answered by the body it was sent to.
  const disclosure = createDisclosureModule(db, {
    cases: workflow.cases,
    departments: async (tenantId) =>
      (await org.departments.list(tenantId, { includeInactive: false, limit: 5000, offset: 0 })).items.map(
        departmentRef,
      ),
    keyring: new Sm4Keyring(config.piiKeys, config.piiKeyCurrent),
    process: 'demo.disclosure-request',
    rateLimitPerMinute: config.rateLimitPerMinute,
  });
  // 领导信箱, 咨询投诉: letters to a leader's mailbox or a department, each a case replied to within
  // working days; screened for sensitive words, held ones wait on the moderation page.
  const letters = createLettersModule(db, {
    cases: workflow.cases,
    departments: async (tenantId) =>
      (await org.departments.list(tenantId, { includeInactive: false, limit: 5000, offset: 0 })).items.map(
        departmentRef,
      ),
    department: async (tenantId, id, ex) => {
      const d = await org.departments.find(tenantId, id, ex);
      return d && departmentRef(d);
    },
    notify: (ex, message) => notify.notify(ex, message),
    screen: moderation.screen,
    keyring: new Sm4Keyring(config.piiKeys, config.piiKeyCurrent),
    process: 'demo.letter',
    rateLimitPerMinute: config.rateLimitPerMinute,
    blobs,
  });
  moderation.queue.register(letters.heldSource);
  if (config.seedDemo && (await org.tenants.get(DEMO_TENANT_ID).catch(() => undefined))) {
    const departments = (
      await org.departments.list(DEMO_TENANT_ID, { includeInactive: false, limit: 500, offset: 0 })
    ).items;
    await letters.seedDemo(DEMO_TENANT_ID, (name) => departments.find((d) => d.name === name)?.id);
  }
  // 网上信访: petitions registered by the petition office of their place, handled by the department
  // responsible, reviewed one level up; held ones wait on the moderation page.
  const petitions = createPetitionsModule(db, {
    cases: workflow.cases,
    departments: async (tenantId) =>
      (await org.departments.list(tenantId, { includeInactive: false, limit: 5000, offset: 0 })).items.map(
        departmentRef,
      ),
    department: async (tenantId, id, ex) => {
      const d = await org.departments.find(tenantId, id, ex);
      return d && departmentRef(d);
    },
    divisions: org.divisions.forForms,
    calendarFor: (tenantId) => workflow.calendars.forTenant(tenantId),
    keyring: new Sm4Keyring(config.piiKeys, config.piiKeyCurrent),
    lookupKey: config.piiLookupKey,
    screen: moderation.screen,
    notify: (ex, message) => notify.notify(ex, message),
    process: 'demo.petition',
    reviewProcess: 'demo.petition-review',
    rateLimitPerMinute: config.rateLimitPerMinute,
    blobs,
  });
  moderation.queue.register(petitions.heldSource);
  // 在线访谈: interviews with a live transcript pushed to viewers (SSE; PostgreSQL LISTEN/NOTIFY across
  // nodes); the public's questions screened for sensitive words and approved by a moderator.
  const interviews = createInterviewsModule(db, {
    screen: moderation.screen,
    notify: (ex, message) => notify.notify(ex, message),
    department: async (tenantId, id, ex) => {
      const d = await org.departments.find(tenantId, id, ex);
      return d && departmentRef(d);
    },
    guestAccounts: (tenantId) => identity.staffWithRole(tenantId, { role: 'interview_guest' }),
    blobs,
    rateLimitPerMinute: config.rateLimitPerMinute,
    databaseUrl: config.databaseUrl,
  });
  moderation.queue.register(interviews.heldSource);
  if (config.seedDemo && (await org.tenants.get(DEMO_TENANT_ID).catch(() => undefined))) {
    const departments = (
      await org.departments.list(DEMO_TENANT_ID, { includeInactive: false, limit: 500, offset: 0 })
    ).items;
    await interviews.seedDemo(DEMO_TENANT_ID, (name) => departments.find((d) => d.name === name)?.id);
  }
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
  // 政策文件全生命周期: a policy's consultation, document, interpretations, implementation reports (cases
  // in the tasked departments), evaluation, revision or repeal; its documents are publications.
  const policies = createPoliciesModule(db, {
    publications: publications.publications,
    hooks: publications.hooks,
    cases: workflow.cases,
    department: async (tenantId, id, ex) => {
      const d = await org.departments.find(tenantId, id, ex);
      return d && departmentRef(d);
    },
    departments: async (tenantId) =>
      (await org.departments.list(tenantId, { includeInactive: false, limit: 5000, offset: 0 })).items.map(
        departmentRef,
      ),
    calendarFor: (tenantId) => workflow.calendars.forTenant(tenantId),
    process: 'demo.policy-implementation',
    // What the public said on a policy's consultation (the opinions module is built below).
    consultationFeedback: (tenantId, c) => opinions.consultationFeedback(tenantId, c),
  });
  // 征集意见: drafts put out for comment (a policy in consultation, or any draft text), opinions from
  // signed-in people screened for sensitive words, and the published account of what was taken up.
  const opinions = createOpinionsModule(db, {
    department: async (tenantId, id, ex) => {
      const d = await org.departments.find(tenantId, id, ex);
      return d && departmentRef(d);
    },
    policy: async (ctx, id) => {
      const p = await policies.reader.get(ctx, id).catch(() => undefined);
      return (
        p && {
          id: p.id,
          title: p.title,
          departmentId: p.department.id,
          consultation: p.consultation && {
            draftPublicationId: p.consultation.draft?.id ?? null,
            opensOn: p.consultation.opensOn,
            closesOn: p.consultation.closesOn,
          },
        }
      );
    },
    consultingPolicies: async (ctx) =>
      (await policies.reader.ofMyDepartment(ctx, { limit: 100, offset: 0 })).items
        .filter((p) => p.stage === 'consultation')
        .map((p) => ({ id: p.id, title: p.title })),
    screen: moderation.screen,
    notify: (ex, message) => notify.notify(ex, message),
    rateLimitPerMinute: config.rateLimitPerMinute,
  });
  moderation.queue.register(opinions.heldSource);
  if (config.seedDemo && (await org.tenants.get(DEMO_TENANT_ID).catch(() => undefined))) {
    const departments = (
      await org.departments.list(DEMO_TENANT_ID, { includeInactive: false, limit: 500, offset: 0 })
    ).items;
    for (const d of DEMO_SOLICITATIONS(new Date())) {
      const departmentId = departments.find((x) => x.name === d.department)?.id;
      if (departmentId !== undefined)
        await opinions.opinions.seed(systemContext(DEMO_TENANT_ID), { ...d, departmentId });
    }
  }
  // 网站自查: the site against the inspection indicators — its columns and the links in its bodies
  // (publications), the questions left unanswered (consultations), its own pages requested from the app.
  // 政府信息公开工作年度报告: a year's figures counted by disclosure (requests), policies and publications
  // (documents, the catalogue), the rest entered by staff; finalised, it is frozen and public.
  const annualreport = createAnnualReportModule(db, {
    requestFigures: (tenantId, period) => requestFigures(db.kysely, tenantId, period),
    policyDocuments: (tenantId, to, departmentId) =>
      policyDocumentDates(db.kysely, tenantId, to, departmentId),
    categoriesOf: (tenantId, ids) => categoriesOfPublications(db.kysely, tenantId, ids),
    publicationsByCategory: (tenantId, period) => publicationsByCategory(db.kysely, tenantId, period),
    departments: async (tenantId) =>
      (await org.departments.list(tenantId, { includeInactive: true, limit: 5000, offset: 0 })).items.map(
        departmentRef,
      ),
    siteName: async (tenantId) => (await org.tenants.get(tenantId)).name,
    categories: (tenantId) => publications.publications.categories(tenantId),
    // A final report goes into the catalogue as any publication does: drafted by a writer, reviewed.
    publish: async (ctx, input) => {
      const { publication } = await publications.publications.save(ctx, null, input);
      await publications.publications.submit(ctx, publication.id);
      return publication.id;
    },
  });
  const sitecheck = createSiteCheckModule(db, {
    columns: (tenantId, now) => columnFreshness(db.kysely, tenantId, now),
    bodyLinks: (tenantId, now) => publicBodyLinks(db.kysely, tenantId, now),
    messages: [
      {
        label: 'consultations.workbench.title',
        unanswered: (tenantId, before, limit) => unansweredQuestions(db.kysely, tenantId, before, limit),
      },
    ],
    calendarFor: (tenantId) => workflow.calendars.forTenant(tenantId),
    hostsOf: async (tenantId) => (await org.tenants.get(tenantId)).hosts,
    siteOfHost: async (host) => (await org.siteFor(host)).tenantId,
    server: () => app,
  });
  const workbenchLinks = [
    ...notify.workbenchLinks,
    ...applications.workbenchLinks,
    ...consultations.workbenchLinks,
    ...disclosure.workbenchLinks,
    ...letters.workbenchLinks,
    ...annualreport.workbenchLinks,
    ...petitions.workbenchLinks,
    ...services.workbenchLinks,
    ...publications.workbenchLinks,
    ...policies.workbenchLinks,
    ...opinions.workbenchLinks,
    ...glossary.workbenchLinks,
    ...moderation.workbenchLinks,
    ...interviews.workbenchLinks,
    ...licences.workbenchLinks,
    ...workflow.workbenchLinks,
    ...evaluation.workbenchLinks,
    ...sitecheck.workbenchLinks,
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
  await glossary.routes(app);
  await moderation.routes(app);
  await publications.routes(app);
  await policies.routes(app);
  await opinions.routes(app);
  await applications.routes(app);
  await consultations.routes(app);
  await disclosure.routes(app);
  await letters.routes(app);
  await annualreport.routes(app);
  await petitions.routes(app);
  await interviews.routes(app);
  await licences.routes(app);
  await evaluation.routes(app);
  await sitecheck.routes(app);
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
  // Search terms other nodes add reach this node's segmenter (PostgreSQL: LISTEN, and a reload a minute).
  const stopGlossary = glossary.startSync((e) => app.log.error({ err: e }, 'search terms reload failed'));
  // Sensitive words other nodes change reach this node's automata (the same way).
  const stopModeration = moderation.startSync((e) =>
    app.log.error({ err: e }, 'sensitive words reload failed'),
  );
  // Interview posts made on other nodes reach this node's live viewers (PostgreSQL: LISTEN), heartbeats.
  const stopInterviews = interviews.startLive((e) =>
    app.log.error({ err: e }, 'interview live stream failed'),
  );

  return {
    app,
    db,
    org,
    identity,
    notify,
    workflow,
    glossary,
    moderation,
    interviews,
    services,
    publications,
    policies,
    opinions,
    applications,
    consultations,
    disclosure,
    letters,
    annualreport,
    petitions,
    licences,
    evaluation,
    sitecheck,
    async close() {
      await stopGlossary();
      await stopModeration();
      await stopInterviews();
      await stopTimers();
      await stopNotify();
      await stopSealer();
      await app.close();
      if (!options.db) await db.close();
    },
  };
}
