/**
 * 五项服务功能覆盖率: of the published items, the share offering each of the five service functions
 * the plan names — 办事指南, 表格下载, 网上咨询, 网上申请, 结果反馈 — per department and for the site,
 * and the share offering all five. What counts as offering a function:
 *   guide         published with every guide element publishing requires (always, once published)
 *   forms         an application form, so a blank form and a sample can be downloaded
 *   consultation  online questions taken (consultDays set)
 *   application   an online application (三级 or 四级 with a process)
 *   result        the result delivered online, to an item applied for online
 * Public, at /services/coverage and GET /api/v1/services/coverage.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { usePage, RateBars } from '../../kernel/pages/index.tsx';
import type { Item } from './catalogue.ts';
import type { ItemService } from './item.service.ts';

export const FUNCTIONS = ['guide', 'forms', 'consultation', 'application', 'result'] as const;
type ServiceFunction = (typeof FUNCTIONS)[number];

const offers: Record<ServiceFunction, (i: Item) => boolean> = {
  guide: (i) => i.status === 'published',
  forms: (i) => i.form !== null,
  consultation: (i) => i.consultDays !== null,
  application: (i) => i.onlineDepth >= 3 && i.processCode !== null,
  result: (i) => i.onlineDepth >= 3 && i.processCode !== null && i.resultDelivery.includes('online'),
};

export interface Coverage {
  departmentId: number | null;
  name: string;
  items: number;
  /** share of items offering each function, 0–1 (null without items) */
  rates: Record<ServiceFunction, number | null>;
  /** share offering all five */
  all: number | null;
}

export function coverageOf(items: Item[], departmentId: number | null, name: string): Coverage {
  const n = items.length;
  const share = (f: (i: Item) => boolean) => (n === 0 ? null : items.filter(f).length / n);
  const rates = Object.fromEntries(FUNCTIONS.map((k) => [k, share(offers[k])])) as Coverage['rates'];
  return { departmentId, name, items: n, rates, all: share((i) => FUNCTIONS.every((k) => offers[k](i))) };
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** Bars of the share of each function for the site (the figures are in the table too). */
function CoverageChart(props: { site: Coverage }) {
  const { t } = usePage();
  const bars = [
    ...FUNCTIONS.map((f) => ({ label: t(`services.function.${f}`), rate: props.site.rates[f] })),
    { label: t('services.coverage.all'), rate: props.site.all },
  ];
  return (
    <RateBars
      id="coverage-title"
      title={t('services.coverage.chart_title')}
      caption={t('services.coverage.chart_caption')}
      bars={bars}
      labelWidth={110}
      color={(rate) => (rate >= 0.9 ? '#2e7d32' : '#1f5fa8')}
    />
  );
}

function CoverageTable(props: { rows: Coverage[]; site: Coverage }) {
  const { t } = usePage();
  return (
    <table>
      <caption>{t('services.coverage.table_caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('services.item.department')}</th>
          <th scope="col">{t('services.coverage.items')}</th>
          {FUNCTIONS.map((f) => (
            <th scope="col">{t(`services.function.${f}`)}</th>
          ))}
          <th scope="col">{t('services.coverage.all')}</th>
        </tr>
      </thead>
      <tbody>
        {[...props.rows, props.site].map((r) => (
          <tr>
            <th scope="row">{r.name}</th>
            <td>{r.items}</td>
            {FUNCTIONS.map((f) => (
              <td>{pct(r.rates[f])}</td>
            ))}
            <td>{pct(r.all)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function coverageHttp(fastify: FastifyInstance, deps: { items: ItemService }): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  async function figures(tenantId: string, siteName: string) {
    const published = await deps.items.published(tenantId);
    const byDepartment = new Map<number, Item[]>();
    for (const i of published)
      byDepartment.set(i.departmentId, [...(byDepartment.get(i.departmentId) ?? []), i]);
    const rows = [...byDepartment.values()]
      .map((list) => coverageOf(list, list[0]!.departmentId, list[0]!.departmentName))
      .sort((a, b) => (b.all ?? 0) - (a.all ?? 0) || a.name.localeCompare(b.name, 'zh-CN'));
    return { rows, site: coverageOf(published, null, siteName) };
  }

  const Rate = Type.Union([Type.Number(), Type.Null()]);
  const CoverageSchema = Type.Object({
    departmentId: Type.Union([Type.Integer(), Type.Null()]),
    name: Type.String(),
    items: Type.Integer(),
    rates: Type.Object(Object.fromEntries(FUNCTIONS.map((f) => [f, Rate]))),
    all: Rate,
  });
  app.get(
    '/api/v1/services/coverage',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags: ['services'],
        summary:
          '五项服务功能覆盖率: the share of published items offering the guide, forms, consultation, application and result online, per department and for the site',
        response: { 200: Type.Object({ departments: Type.Array(CoverageSchema), site: CoverageSchema }) },
      },
    },
    async (req) => {
      const f = await figures(req.site.tenantId, req.site.name);
      return { departments: f.rows, site: f.site };
    },
  );

  app.get(
    '/services/coverage',
    { config: { access: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      const t = req.t;
      const f = await figures(req.site.tenantId, req.site.name);
      const title = t('services.coverage.title');
      return reply.page({
        area: 'portal',
        title,
        column: { name: t('services.portal.title'), type: t('services.portal.column_type') },
        breadcrumbs: [
          { href: '/', label: t('nav.home') },
          { href: '/services', label: t('services.portal.title') },
          { label: title },
        ],
        body: (
          <>
            <h1>{title}</h1>
            <p>{t('services.coverage.intro')}</p>
            <CoverageChart site={f.site} />
            <CoverageTable rows={f.rows} site={f.site} />
          </>
        ),
      });
    },
  );
}
