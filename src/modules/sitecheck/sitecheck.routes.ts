/**
 * The self-check as an API (site.check): a check run on demand, and the site's thresholds. A check
 * requests the site's pages and links, so it takes as long as there are links (seconds on most sites).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf } from '../../kernel/http/index.ts';
import { describeFinding } from './describe.ts';
import {
  DEFAULT_THRESHOLDS,
  INDICATORS,
  LEVELS,
  MEASURE_UNITS,
  UNANSWERED_UNITS,
  type Thresholds,
} from './indicators.ts';
import type { SiteCheckService } from './sitecheck.service.ts';

const Problem = Type.Ref('Problem');
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Measure = Type.Object({ value: Type.Number(), unit: literals(MEASURE_UNITS) });
const Place = Type.Object({
  href: Type.String({ description: 'the column, page or message, as a path on the site' }),
  label: Type.Union([Type.String(), Type.Null()], {
    description: 'its name; null for a page named by its path',
  }),
});
const Finding = Type.Object({
  indicator: literals(INDICATORS),
  level: literals(LEVELS),
  code: Type.String({ description: 'what was found, as an i18n key (sitecheck.what.*)' }),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  message: Type.String({ description: 'what was found, in the language of the request' }),
  where: Type.Array(Place),
  measured: Type.Union([Measure, Type.Null()]),
  threshold: Type.Union([Measure, Type.Null()]),
});
const int = (min: number, max: number, description: string) =>
  Type.Integer({ minimum: min, maximum: max, description });
const ThresholdsSchema = Type.Object(
  {
    homeDays: int(1, 365, 'the newest publication of the site may be this many days old (2 weeks)'),
    homeSeconds: int(1, 60, 'the home page must answer within this many seconds (15)'),
    newsDays: int(1, 365, 'a news column (动态、要闻) may go this many days without a publication (14)'),
    noticeMonths: int(1, 36, 'a notice or policy column (通知公告、政策文件) may go this many months (6)'),
    staleColumnsVeto: int(1, 100, 'this many stale columns or more is a veto (5)'),
    emptyColumnsVeto: int(1, 100, 'this many empty columns or more is a veto (5)'),
    unansweredAmount: int(1, 250, 'a public message must be answered within this many units (3)'),
    unansweredUnit: literals(UNANSWERED_UNITS),
    windowMonths: int(1, 60, 'messages asked in this many months before the check count for the veto (12)'),
  },
  { additionalProperties: false },
);
const Report = Type.Object({
  tenantId: Type.String(),
  checkedAt: Type.String({ format: 'date-time' }),
  passed: Type.Boolean({ description: 'no veto-level (单项否决) finding' }),
  summary: Type.Object({ veto: Type.Integer(), deduction: Type.Integer(), notice: Type.Integer() }),
  indicators: Type.Array(
    Type.Object({
      indicator: literals(INDICATORS),
      level: Type.Union([literals(LEVELS), Type.Null()], { description: 'its worst finding; null: none' }),
      findings: Type.Integer(),
    }),
  ),
  findings: Type.Array(Finding),
  columns: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      days: Type.Integer({ description: 'days since its newest public publication' }),
      thresholdDays: Type.Integer(),
    }),
    { description: 'the dated columns (news, notice, policy) with content' },
  ),
  linksChecked: Type.Integer(),
  thresholds: ThresholdsSchema,
});

export async function siteCheckRoutes(
  fastify: FastifyInstance,
  deps: { sitecheck: SiteCheckService },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { sitecheck } = deps;
  const tags = ['site-check'];
  const access = { access: 'site.check' as const };

  app.get(
    '/api/v1/site-check',
    {
      config: access,
      schema: {
        tags,
        summary:
          'Checks this site against the government website inspection indicators (网站自查) now: veto-level (单项否决) and deduction (扣分) findings with what, where, measured value and threshold',
        response: { 200: Report, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req) => {
      const report = await sitecheck.run(auditContextOf(req));
      return {
        ...report,
        findings: report.findings.map((f) => ({ ...f, message: describeFinding(req.t, f) })),
      };
    },
  );

  app.get(
    '/api/v1/site-check/settings',
    {
      config: access,
      schema: {
        tags,
        summary: "This site's self-check thresholds, and the indicators' defaults",
        response: {
          200: Type.Object({ thresholds: ThresholdsSchema, defaults: ThresholdsSchema }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => ({
      thresholds: await sitecheck.thresholds(auditContextOf(req)),
      defaults: DEFAULT_THRESHOLDS,
    }),
  );

  app.put(
    '/api/v1/site-check/settings',
    {
      config: access,
      schema: {
        tags,
        summary:
          "Sets this site's self-check thresholds (audited; the administrator's jurisdiction must cover the site)",
        body: ThresholdsSchema,
        response: { 200: ThresholdsSchema, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req) => sitecheck.setThresholds(auditContextOf(req), req.body as Thresholds),
  );
}
