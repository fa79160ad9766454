/**
 * The annual report as an API under /api/v1/disclosure/annual-reports: list, open a draft, read one as
 * JSON, CSV or PDF, change what staff enter, finalise. `?department=` names a department's report; without
 * it, the site's own. A final report is public; a draft is its keepers' (404 to anyone else).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { auditContextOf, Nullable } from '../../kernel/http/index.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { renderPdf } from '../../kernel/pdf/index.ts';
import { fileName, reportCsv, reportHtml, reportPdf, reportTitle } from './report.files.ts';
import type { ReportService, ReportView } from './report.service.ts';
import {
  ENTERED_COUNTS,
  FEES,
  REMEDIES,
  REPLY_ROWS,
  REQUESTER_COLUMNS,
  RESULTS,
  TEXTS,
} from './report.template.ts';

const Problem = Type.Ref('Problem');
const BASE = '/api/v1/disclosure/annual-reports';
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const obj = <K extends string, S extends TSchema>(keys: readonly K[], value: () => S) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, value()])) as Record<K, S>);
const Cells = obj([...REQUESTER_COLUMNS, 'total'], () => Type.Integer({ minimum: 0 }));
const Docs = Type.Object({
  made: Type.Integer({ description: '本年制发件数' }),
  repealed: Type.Integer({ description: '本年废止件数' }),
  inForce: Type.Integer({ description: '现行有效件数' }),
});

export const ReportSchema = Type.Object({
  year: Type.Integer(),
  department: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()], {
    description: "the department whose report it is; null: the site's own",
  }),
  issuer: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('final')]),
  finalisedAt: Nullable(Type.String({ format: 'date-time' })),
  asOf: Type.String({ format: 'date-time', description: 'when the computed figures were counted' }),
  publicationId: Nullable(
    Type.Integer({ description: 'the publication it went into the disclosure catalogue as, once published' }),
  ),
  figures: Type.Object({
    rules: Docs,
    normative: Docs,
    licensing: Type.Integer({ description: '行政许可 本年处理决定数量 (entered)' }),
    penalty: Type.Integer({ description: '行政处罚 (entered)' }),
    coercion: Type.Integer({ description: '行政强制 (entered)' }),
    feesAmount: Type.String({ description: '行政事业性收费 本年收费金额, 万元 (entered)' }),
    requests: Type.Object({
      received: Cells,
      carriedOver: Cells,
      concluded: obj(REPLY_ROWS, () => Cells),
      concludedTotal: Cells,
      carriedForward: Cells,
    }),
    remedies: obj(REMEDIES, () => obj([...RESULTS, 'total'], () => Type.Integer())),
    categories: Type.Array(
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        parentCode: Nullable(Type.String()),
        count: Type.Integer(),
      }),
    ),
    categoriesTotal: Type.Integer(),
  }),
  texts: obj(TEXTS, () => Type.String()),
  links: Type.Object({ page: Type.String(), csv: Type.String(), pdf: Type.String() }),
});

const query = (departmentId: number | null) => (departmentId === null ? '' : `?department=${departmentId}`);

export const reportJson = (v: ReportView) => {
  const q = query(v.department?.id ?? null);
  return {
    year: v.year,
    department: v.department,
    issuer: v.issuer,
    status: v.status,
    finalisedAt: iso(v.finalisedAt),
    asOf: v.asOf.toISOString(),
    publicationId: v.publicationId,
    figures: v.figures,
    texts: v.texts,
    links: {
      page:
        v.status === 'final'
          ? `/disclosure/annual-reports/${v.year}${q}`
          : `/workbench/disclosure/annual-reports/${v.year}${q}`,
      csv: `${BASE}/${v.year}.csv${q}`,
      pdf: `${BASE}/${v.year}.pdf${q}`,
    },
  };
};

const YearParam = Type.Object({ year: Type.Integer({ minimum: 1, maximum: 9999 }) });
const DepartmentQuery = Type.Object({
  department: Type.Optional(
    Type.Integer({ minimum: 1, description: "a department's report; absent: the site's" }),
  ),
});
const Figure = Type.Union([Type.Integer(), Type.Number(), Type.String({ maxLength: 20 })]);

/** Sends a report file with its name, never cached (a draft changes on each view). */
export function sendFile(reply: FastifyReply, bytes: Buffer, type: string, name: string, ascii: string) {
  return reply
    .type(type)
    .header('cache-control', 'private, no-store')
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .send(bytes);
}

export async function annualReportRoutes(fastify: FastifyInstance, deps: { reports: ReportService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { reports } = deps;
  const tags = ['disclosure'];
  const keep = { access: 'disclosure.report' } as const;
  const dept = (req: FastifyRequest) => (req.query as { department?: number }).department ?? null;

  app.get(
    BASE,
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Annual reports on government information disclosure (政府信息公开工作年度报告): the final ones, and the drafts the caller keeps',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                year: Type.Integer(),
                department: Type.Union([
                  Type.Object({ id: Type.Integer(), name: Type.String() }),
                  Type.Null(),
                ]),
                issuer: Type.String(),
                status: Type.Union([Type.Literal('draft'), Type.Literal('final')]),
                finalisedAt: Nullable(Type.String({ format: 'date-time' })),
                mayEdit: Type.Boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      items: (await reports.list(auditContextOf(req))).map((r) => ({
        ...r,
        finalisedAt: iso(r.finalisedAt),
      })),
    }),
  );

  app.post(
    BASE,
    {
      config: keep,
      schema: {
        tags,
        summary:
          "Opens a draft report for a year (2021, the national format's first, to this year) and the site (no departmentId) or one department",
        body: Type.Object(
          { year: Type.Integer(), departmentId: Type.Optional(Nullable(Type.Integer())) },
          { additionalProperties: false },
        ),
        response: { 201: ReportSchema, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const v = await reports.create(auditContextOf(req), {
        year: req.body.year,
        departmentId: req.body.departmentId ?? null,
      });
      return reply.code(201).send(reportJson(v));
    },
  );

  app.get(
    `${BASE}/:year`,
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          "A year's report with its tables' figures (a draft's computed figures counted now; a final one's as frozen) and texts",
        params: YearParam,
        querystring: DepartmentQuery,
        response: { 200: ReportSchema, 404: Problem },
      },
    },
    async (req, reply) => {
      const v = await reports.get(auditContextOf(req), req.params.year, dept(req));
      return reply
        .header('cache-control', v.status === 'draft' ? 'private, no-store' : 'no-cache')
        .send(reportJson(v));
    },
  );

  app.get(
    `${BASE}/:year.csv`,
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "A year's report's tables as CSV (UTF-8 with a BOM, for Excel and WPS)",
        params: YearParam,
        querystring: DepartmentQuery,
        response: { 404: Problem },
      },
    },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const v = await reports.get(ctx, req.params.year, dept(req));
      await reports.downloaded(ctx, v, 'csv');
      return sendFile(
        reply,
        reportCsv(req.t, v),
        'text/csv; charset=utf-8',
        fileName(req.t, v, 'csv'),
        `annual-report-${v.year}.csv`,
      );
    },
  );

  app.get(
    `${BASE}/:year.pdf`,
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "A year's report as a PDF (CJK font embedded; a draft is marked as one)",
        params: YearParam,
        querystring: DepartmentQuery,
        response: { 404: Problem },
      },
    },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const v = await reports.get(ctx, req.params.year, dept(req));
      await reports.downloaded(ctx, v, 'pdf');
      const bytes = await renderPdf(reportPdf(req.t, req.locale, v));
      return sendFile(
        reply,
        bytes,
        'application/pdf',
        fileName(req.t, v, 'pdf'),
        `annual-report-${v.year}.pdf`,
      );
    },
  );

  app.put(
    `${BASE}/:year`,
    {
      config: keep,
      schema: {
        tags,
        summary:
          "Changes a draft's entered figures (whole numbers, not negative; feesAmount in 万元 to four decimals) and texts; only the keys given change. Every bad field is listed at once",
        params: YearParam,
        querystring: DepartmentQuery,
        body: Type.Object(
          {
            figures: Type.Optional(
              Type.Record(Type.String(), Figure, {
                description: `${[...ENTERED_COUNTS, FEES].join(', ')}`,
              }),
            ),
            texts: Type.Optional(
              Type.Record(Type.String(), Type.String({ maxLength: 100_000 }), {
                description: TEXTS.join(', '),
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ReportSchema, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) =>
      reportJson(await reports.update(auditContextOf(req), req.params.year, dept(req), req.body)),
  );

  app.post(
    `${BASE}/:year/finalise`,
    {
      config: keep,
      schema: {
        tags,
        summary:
          'Finalises a draft: its computed and entered figures are frozen, and it is public from then on (409 if final already)',
        params: YearParam,
        querystring: DepartmentQuery,
        response: { 200: ReportSchema, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => reportJson(await reports.finalise(auditContextOf(req), req.params.year, dept(req))),
  );

  app.post(
    `${BASE}/:year/publication`,
    {
      config: { access: 'publication.write' },
      schema: {
        tags,
        summary:
          "Puts a final report into the disclosure catalogue: a publication of the caller's department (the report's issuing body) in the column given, with the report's text and tables, sent for review like any publication. Once only (409 after)",
        params: YearParam,
        querystring: DepartmentQuery,
        body: Type.Object({ categoryCode: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
        response: {
          201: Type.Object({ publicationId: Type.Integer(), url: Type.String() }),
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
          409: Problem,
        },
      },
    },
    async (req, reply) => {
      // The publication is in the site's language (Chinese), whoever asks in English.
      const zh = translator('zh-CN');
      const r = await reports.publish(auditContextOf(req), req.params.year, dept(req), {
        categoryCode: req.body.categoryCode,
        title: (v) => reportTitle(zh, v),
        bodyHtml: (v) => reportHtml(zh, v),
      });
      return reply.code(201).send({ ...r, url: `/publications/${r.publicationId}` });
    },
  );
}
