/**
 * Final reports on the portal: the list (/disclosure/annual-reports) and a report's page with its tables
 * and downloads. A draft is nobody's business outside the workbench: 404 here, whoever asks.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { PageContent } from '../../kernel/pages/index.tsx';
import { notFound } from '../../kernel/errors.ts';
import { ReportBody } from './report.components.tsx';
import { reportTitle } from './report.files.ts';
import type { ReportService } from './report.service.ts';

const BASE = '/disclosure/annual-reports';

export function annualReportPortal(app: FastifyInstance, deps: { reports: ReportService }): void {
  const { reports } = deps;
  const crumbs = (req: FastifyRequest) => [
    { href: '/', label: req.t('nav.home') },
    { href: '/publications', label: req.t('annualreport.portal.column') },
  ];

  app.get(BASE, { config: { access: 'public', publicCache: true } }, async (req, reply) => {
    const t = req.t;
    const items = await reports.published(req.site.tenantId);
    const title = t('annualreport.portal.title');
    const page: PageContent = {
      area: 'portal',
      title,
      column: { name: title, type: t('publications.portal.column_type') },
      breadcrumbs: [...crumbs(req), { label: title }],
      body: (
        <>
          <h1>{title}</h1>
          {items.length === 0 ? (
            <p>{t('annualreport.portal.none')}</p>
          ) : (
            <ul class="list">
              {items.map((r) => (
                <li>
                  <a href={`${BASE}/${r.year}${r.department ? `?department=${r.department.id}` : ''}`}>
                    {reportTitle(t, r)}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </>
      ),
    };
    return reply.page(page);
  });

  app.get(`${BASE}/:year`, { config: { access: 'public', publicCache: true } }, async (req, reply) => {
    const t = req.t;
    const rawYear = (req.params as { year: string }).year;
    const rawDept = (req.query as { department?: string }).department;
    if (!/^\d{4}$/.test(rawYear) || (rawDept !== undefined && !/^\d{1,12}$/.test(rawDept)))
      throw notFound('annualreport.not_found', { year: rawYear });
    const year = Number(rawYear);
    const department = rawDept === undefined ? null : Number(rawDept);
    // The public sees final reports only, even a keeper signed in (their drafts are in the workbench).
    const view = await reports.get({ ...auditContextOf(req), actor: null }, year, department);
    const title = reportTitle(t, view);
    const files = `/api/v1/disclosure/annual-reports/${year}`;
    const dq = department === null ? '' : `?department=${department}`;
    const page: PageContent = {
      area: 'portal',
      title,
      article: { title, pubDate: view.finalisedAt!.toISOString(), source: view.issuer },
      breadcrumbs: [...crumbs(req), { href: BASE, label: t('annualreport.portal.title') }, { label: title }],
      body: (
        <article>
          <h1>{title}</h1>
          <p>
            {t('annualreport.portal.issued', {
              issuer: view.issuer,
              at: view.finalisedAt!.toISOString().slice(0, 10),
            })}
          </p>
          <ul class="actions">
            <li>
              <a href={`${files}.pdf${dq}`}>{t('annualreport.download.pdf')}</a>
            </li>
            <li>
              <a href={`${files}.csv${dq}`}>{t('annualreport.download.csv')}</a>
            </li>
          </ul>
          <ReportBody view={view} />
        </article>
      ),
    };
    return reply.page(page);
  });
}
