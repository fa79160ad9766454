/** The evaluation API under /api/v1: rate a case, read its evaluation, the figures per department. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { invalidFields } from '../../kernel/errors.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { Actor } from '../../kernel/policy/index.ts';
import { chinaDay, COMMENT_MAX, endOfChinaDay, startOfChinaDay } from './evaluation.ts';
import type { EvaluationService, EvaluationView } from './evaluation.service.ts';

const Problem = Type.Ref('Problem');
const Instant = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The period of evaluation days: ?from=YYYY-MM-DD&to=YYYY-MM-DD (China days), by default the last 30. */
export function periodOf(q: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const toDay = q.to && day.test(q.to) ? q.to : chinaDay(now);
  const fromDay = q.from && day.test(q.from) ? q.from : chinaDay(new Date(now.getTime() - 29 * 86_400_000));
  const from = startOfChinaDay(fromDay);
  const to = endOfChinaDay(toDay);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to)
    throw invalidFields([{ field: 'from', code: 'evaluation.period_invalid' }]);
  return { from, to, fromDay, toDay };
}

const EvaluationSchema = Type.Object({
  caseNumber: Type.String(),
  caseTitle: Type.String(),
  definitionCode: Type.String(),
  definitionName: Type.String(),
  level: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意' }),
  bad: Type.Boolean({ description: '差评 (不满意 or 非常不满意)' }),
  comment: Type.String(),
  anonymous: Type.Boolean(),
  raterName: Type.String({ description: "'' when anonymous" }),
  departmentId: Type.Integer({ description: 'the department it counts for (and rectifies a 差评)' }),
  departmentIds: Type.Array(Type.Integer(), { description: 'every department that handled the case' }),
  caseClosedAt: Instant,
  evaluatedAt: Instant,
  rectification: Type.Union([
    Type.Object({
      number: Type.Union([Type.String(), Type.Null()], {
        description: 'the rectification case (null for the rater)',
      }),
      dueAt: Instant,
      outcome: Type.Union([Type.String(), Type.Null()]),
      reply: Type.Union([Type.String(), Type.Null()]),
      closedAt: Instant,
    }),
    Type.Null(),
  ]),
});

export const evaluationJson = (e: EvaluationView) => ({
  ...e,
  caseClosedAt: iso(e.caseClosedAt),
  evaluatedAt: iso(e.evaluatedAt),
  rectification: e.rectification && {
    ...e.rectification,
    dueAt: iso(e.rectification.dueAt),
    closedAt: iso(e.rectification.closedAt),
  },
});

export interface EvaluationHttpDeps {
  evaluations: EvaluationService;
  listDepartments(tenantId: string): Promise<{ id: number; name: string }[]>;
  now?: () => Date;
}

/** The figures of the actor's jurisdiction for a period, with the departments' names. */
export async function namedFigures(
  deps: EvaluationHttpDeps,
  actor: Actor,
  tenantId: string,
  period: { from: Date; to: Date },
) {
  const [rows, departments] = await Promise.all([
    deps.evaluations.departments(actor, tenantId, period),
    deps.listDepartments(tenantId),
  ]);
  return { rows, names: new Map(departments.map((d) => [d.id, d.name])) };
}

export async function evaluationRoutes(fastify: FastifyInstance, deps: EvaluationHttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { evaluations } = deps;
  const Number_ = Type.Object({ number: Type.String({ maxLength: 30 }) });

  app.post(
    '/api/v1/cases/:number/evaluation',
    {
      config: { access: 'account.self' },
      schema: {
        tags: ['evaluation'],
        summary:
          'Rate a closed case (好差评), once, as its applicant, within 15 days of its closing; a 差评 (level 1–2) opens a rectification case in the department that handled it',
        params: Number_,
        body: Type.Object(
          {
            level: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意' }),
            comment: Type.Optional(
              Type.String({
                maxLength: COMMENT_MAX * 4,
                description: `plain text, at most ${COMMENT_MAX} characters once markup is removed; required for a 差评`,
              }),
            ),
            anonymous: Type.Optional(Type.Boolean({ description: 'hide the name from the department' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: EvaluationSchema,
          400: Problem,
          403: Problem,
          404: Problem,
          409: Problem,
          503: Problem,
        },
      },
    },
    async (req, reply) => {
      const e = await evaluations.evaluate(auditContextOf(req), req.params.number, req.body);
      return reply.code(201).send(evaluationJson(e));
    },
  );

  app.get(
    '/api/v1/cases/:number/evaluation',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['evaluation'],
        summary:
          "A case's evaluation, for its applicant and the staff who may see the case; evaluableUntil is set while the applicant may still rate it",
        params: Number_,
        response: {
          200: Type.Object({
            caseNumber: Type.String(),
            evaluation: Type.Union([EvaluationSchema, Type.Null()]),
            evaluableUntil: Instant,
          }),
          404: Problem,
        },
      },
    },
    async (req) => {
      const r = await evaluations.forCase(auditContextOf(req), req.params.number);
      return {
        caseNumber: r.caseNumber,
        evaluation: r.evaluation && evaluationJson(r.evaluation),
        evaluableUntil: iso(r.evaluableUntil),
      };
    },
  );

  app.get(
    '/api/v1/evaluation/departments',
    {
      config: { access: 'case.supervise' },
      schema: {
        tags: ['evaluation'],
        summary:
          'Per department of the jurisdiction, evaluations given in a period: counts by level, 好评率, 差评数, 差评整改率',
        querystring: Type.Object({
          from: Type.Optional(
            Type.String({ maxLength: 10, description: 'first day, YYYY-MM-DD (default: 29 days ago)' }),
          ),
          to: Type.Optional(
            Type.String({ maxLength: 10, description: 'last day, YYYY-MM-DD (default: today)' }),
          ),
        }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            items: Type.Array(
              Type.Object({
                departmentId: Type.Integer(),
                department: Type.String(),
                divisionCode: Type.String(),
                total: Type.Integer(),
                byLevel: Type.Object({
                  veryDissatisfied: Type.Integer(),
                  dissatisfied: Type.Integer(),
                  basicallySatisfied: Type.Integer(),
                  satisfied: Type.Integer(),
                  verySatisfied: Type.Integer(),
                }),
                goodRate: Type.Union([Type.Number(), Type.Null()]),
                bad: Type.Integer(),
                rectified: Type.Integer(),
                rectificationRate: Type.Union([Type.Number(), Type.Null()]),
              }),
            ),
          }),
          400: Problem,
          403: Problem,
        },
      },
    },
    async (req) => {
      const period = periodOf(req.query, deps.now?.() ?? new Date());
      const { rows, names } = await namedFigures(deps, req.actor!, req.site.tenantId, period);
      return {
        from: period.fromDay,
        to: period.toDay,
        items: rows.map((r) => ({
          departmentId: r.departmentId,
          department: names.get(r.departmentId) ?? '',
          divisionCode: r.divisionCode,
          total: r.total,
          byLevel: {
            veryDissatisfied: r.byLevel[0],
            dissatisfied: r.byLevel[1],
            basicallySatisfied: r.byLevel[2],
            satisfied: r.byLevel[3],
            verySatisfied: r.byLevel[4],
          },
          goodRate: r.goodRate,
          bad: r.bad,
          rectified: r.rectified,
          rectificationRate: r.rectificationRate,
        })),
      };
    },
  );
}
