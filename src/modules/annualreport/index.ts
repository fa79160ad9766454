/**
 * annualreport — 政府信息公开工作年度报告: the annual report on government information disclosure
 * (政府信息公开条例 §49–50) of a site or one of its departments, in the national format of 国办公开办函
 * 〔2021〕30号: a draft whose figures the platform counts (requests from disclosure, 规章 and 行政规范性文件
 * from policies and the catalogue, publications per column) and whose other figures and texts staff enter;
 * finalised, it is frozen and public (page, PDF, CSV). The only file other modules import; see CONTEXT.md.
 *
 * Decisions, and why:
 * - Computed figures are counted on each view of a draft, never stored until finalising: a draft always
 *   shows what the platform knows now; the snapshot then fixes them for good (published numbers must
 *   never change, even if a request's row is corrected later).
 * - The year is China's (UTC+8): a request received at 23:30 on 31 December Beijing time is that year's.
 * - 行政许可 is entered, not counted: the applications module does not keep when a case was decided,
 *   and the decision is the workflow's; counting it would need a read model across three modules.
 * - Permission `disclosure.report`: department heads (for their department) and the site's administrator;
 *   the site's own report is the general office's (政府信息公开工作主管部门), see report.service.ts.
 * - Publishing a final report in the disclosure catalogue is a writer's (`publication.write`) of its
 *   issuing body: it becomes a publication through the publications module's own service (drafted as
 *   the writer, reviewed by the head as any), in a column they choose — the default catalogue has no
 *   年报 column, and adding one to every site would count as an empty column in the site self-check
 *   until a report is published; a column named 年报/年度报告, if the site made one, is offered first.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { annualReportPortal } from './annualreport.portal.tsx';
import { annualReportRoutes } from './annualreport.routes.ts';
import { annualReportWorkbench } from './annualreport.workbench.tsx';
import { createReportService, type AnnualReportPorts } from './report.service.ts';

export type { AnnualReportPorts, ReportService, ReportView } from './report.service.ts';

export function createAnnualReportModule(db: Database, ports: AnnualReportPorts) {
  const reports = createReportService(db, ports);
  return {
    reports,
    workbenchLinks: [
      {
        href: '/workbench/disclosure/annual-reports',
        key: 'annualreport.title',
        // writers come to put a final report into the catalogue
        permission: ['disclosure.report', 'publication.write'],
      },
    ] satisfies { href: string; key: string; permission: readonly Permission[] }[],
    async routes(app: FastifyInstance) {
      await annualReportRoutes(app, { reports });
      annualReportWorkbench(app, { reports, siteName: ports.siteName, now: ports.now });
      annualReportPortal(app, { reports });
    },
  };
}

export type AnnualReportModule = ReturnType<typeof createAnnualReportModule>;
