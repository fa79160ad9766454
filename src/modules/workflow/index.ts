/**
 * workflow — the case engine (办件): process definitions, cases as append-only logs, tasks with
 * working-day deadlines, durable timers with escalations, and electronic supervision (电子监察), on
 * each site's working-day calendar. The only file other modules import.
 */
import type { FastifyInstance } from 'fastify';
import type { Database, Executor } from '../../kernel/db/index.ts';
import type { AuditContext } from '../../kernel/audit/index.ts';
import type { BlobStore } from '../../kernel/files/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { nationalCalendar, type WorkCalendar } from './calendar.ts';
import { calendarAdminRoutes, calendarRoutes } from './calendar.routes.ts';
import { createCalendarService } from './calendar.service.ts';
import { calendarWorkbenchPages } from './calendar.workbench.tsx';
import { attachmentUploader, caseAttachmentRoutes } from './case.attachments.tsx';
import { casePortalPages } from './case.portal.tsx';
import { caseRoutes } from './case.routes.ts';
import { createCaseService, type CaseExtras, type CasePorts, type DepartmentRef } from './case.service.ts';
import { caseWorkbenchPages } from './case.workbench.tsx';
import { createDefinitionService } from './definition.service.ts';
import { definitionWorkbenchPages } from './definition.workbench.tsx';
import { createSupervision } from './supervision.ts';
import { supervisionHttp } from './supervision.http.tsx';
import { createTaskQueries } from './task.queries.ts';
import { createTimerWorker } from './timer.ts';

export { WorkCalendar, type TimeUnit, type YearDays, type SpecialDay } from './calendar.ts';
export type { CalendarChange, CalendarService, DayInput, YearInput } from './calendar.service.ts';
export type {
  CaseClosedListener,
  CaseExtras,
  CasePorts,
  CaseService,
  CaseView,
  CreateCaseInput,
  DepartmentRef,
  WithinCase,
  GroupWriter,
  GroupRow,
} from './case.service.ts';
export type { Definition, DocumentKind } from './definition.ts';
export { checkDefinition, nameIn } from './definition.ts';
export { caseDocuments, stopNoticeText, type CaseDocument, type StopItem } from './engine.ts';

/** `yiwang workflow load`: checks every `*.json` in a directory, then stores the changed ones for a site. */
export function loadProcessDefinitions(db: Database, ctx: AuditContext, dir: string) {
  return createDefinitionService(db).loadFiles(ctx, dir);
}
export type { Command } from './engine.ts';

/** What the engine needs from the other modules; the calendar is its own. */
export type WorkflowPorts = Omit<CasePorts, 'calendarFor'> &
  CaseExtras & {
    listDepartments(tenantId: string): Promise<DepartmentRef[]>;
  };

export function createWorkflowModule(db: Database, ports: WorkflowPorts, blobs: BlobStore) {
  const definitions = createDefinitionService(db);
  // The engine recomputes open deadlines inside every calendar edit's transaction (set below).
  let onCalendarChanged: (
    ex: Executor,
    tenantId: string,
    calendar: WorkCalendar,
  ) => Promise<number> = async () => 0;
  const calendars = createCalendarService(db, {
    onChanged: async (ex, _ctx, change) => {
      await onCalendarChanged(ex, change.tenantId, change.calendar);
    },
  });
  const casePorts: CasePorts = { ...ports, calendarFor: (tenantId, ex) => calendars.forTenant(tenantId, ex) };
  const cases = createCaseService(db, definitions, casePorts);
  onCalendarChanged = (ex, tenantId, calendar) => cases.recomputeDeadlines(ex, tenantId, calendar);
  const tasks = createTaskQueries(db);
  const supervision = createSupervision(db);
  const timers = createTimerWorker(db, cases, definitions, casePorts);
  const upload = attachmentUploader(cases, blobs);

  return {
    /** The national calendar (the State Council's schedules). */
    calendar: nationalCalendar(),
    calendars,
    definitions,
    cases,
    tasks,
    supervision,
    timers,
    /** Loads the shipped process definitions into a site (unchanged files store nothing). */
    loadProcesses: (ctx: AuditContext) => definitions.loadFiles(ctx),
    workbenchLinks: [
      { href: '/workbench/tasks', key: 'workflow.tasks.link', permission: 'case.handle' },
      { href: '/workbench/supervision', key: 'workflow.supervision.title', permission: 'case.supervise' },
      {
        href: '/workbench/workflow/definitions',
        key: 'workflow.definitions.title',
        permission: 'workflow.define',
      },
      { href: '/workbench/calendar', key: 'workflow.calendar.title', permission: 'workflow.calendar.manage' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      await calendarRoutes(app, { forTenant: (tenantId) => calendars.forTenant(tenantId) });
      await calendarAdminRoutes(app, { calendars });
      calendarWorkbenchPages(app, { calendars });
      await caseRoutes(app, { cases, definitions, tasks });
      caseWorkbenchPages(app, {
        db,
        upload,
        cases,
        definitions,
        tasks,
        ports: { ...casePorts, listDepartments: ports.listDepartments },
        extras: ports,
      });
      casePortalPages(app, { db, cases, upload, listDepartments: ports.listDepartments, extras: ports });
      caseAttachmentRoutes(app, { db, cases, blobs, upload });
      definitionWorkbenchPages(app, { definitions });
      supervisionHttp(app, { supervision, listDepartments: ports.listDepartments });
    },
  };
}

export type WorkflowModule = ReturnType<typeof createWorkflowModule>;
