/**
 * Questions as an API: ask about an item and read its public answers under
 * /api/v1/services/items/{code}/questions; one's own questions (or, for staff, the department's open
 * ones) and answering them under /api/v1/consultations.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf, Nullable, postLimit } from '../../kernel/http/index.ts';
import type { ConsultationService, Question } from './consultation.service.ts';

const Problem = Type.Ref('Problem');
const Code = Type.Object({ code: Type.String({ maxLength: 40 }) });
const Id = Type.Object({ id: Type.String({ maxLength: 32 }) });

export const QuestionSchema = Type.Object({
  id: Type.String({ description: 'unguessable; the URLs carry it' }),
  item: Type.Object({ code: Type.String(), name: Type.String() }),
  department: Type.Object({ id: Type.Integer(), name: Type.String() }),
  asker: Type.Object({
    kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
    name: Type.String(),
  }),
  question: Type.String({ description: 'plain text' }),
  caseNumber: Type.String(),
  askedAt: Type.String({ format: 'date-time' }),
  withinDays: Type.Integer({ description: "the item's promise: answered within so many working days" }),
  dueOn: Type.String({ format: 'date', description: 'answered by the end of this day (Beijing time)' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('answered')]),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(Type.String({ format: 'date-time' })),
  public: Type.Boolean({ description: "shown on the item's guide page, the asker's name masked" }),
});

export const viewOf = (q: Question) => ({
  id: q.publicId,
  item: q.item,
  department: { id: q.department.id, name: q.department.name },
  asker: { kind: q.asker.kind, name: q.asker.name },
  question: q.question,
  caseNumber: q.caseNumber,
  askedAt: q.askedAt,
  withinDays: q.consultDays,
  dueOn: q.dueOn,
  status: q.status,
  answer: q.answer,
  answeredAt: q.answeredAt,
  public: q.public,
});

const PublicQuestionSchema = Type.Object({
  askerName: Type.String({ description: 'masked: the first character only' }),
  question: Type.String({ description: 'identifiers (ID, mobile, card numbers, e-mail) masked' }),
  answer: Type.String(),
  department: Type.String(),
  askedAt: Type.String({ format: 'date-time' }),
  answeredAt: Type.String({ format: 'date-time' }),
});

export async function consultationsRoutes(
  fastify: FastifyInstance,
  deps: { consultations: ConsultationService; asksPerMinute: number },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { consultations } = deps;
  const tags = ['consultations'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

  app.post(
    '/api/v1/services/items/:code/questions',
    {
      // A public post: beside the per-asker cap on waiting questions, a per-writer limit.
      config: { access: 'account.self', rateLimit: postLimit(deps.asksPerMinute) },
      schema: {
        tags,
        summary:
          "Asks the item's department a question (网上咨询), answered within the item's working days; HTML is stripped",
        params: Code,
        body: Type.Object(
          { question: Type.String({ maxLength: 4000, description: '5 to 1000 characters once plain text' }) },
          { additionalProperties: false },
        ),
        response: { 201: QuestionSchema, ...errors, 429: Problem },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(viewOf(await consultations.ask(auditContextOf(req), req.params.code, req.body.question))),
  );

  app.get(
    '/api/v1/services/items/:code/questions',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          "The item's answered questions its department made public, newest first, the askers' names masked",
        params: Code,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(PublicQuestionSchema),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          404: Problem,
        },
      },
    },
    async (req) => {
      const { limit, offset } = req.query;
      // The item must exist for the public (a draft's questions do not).
      const item = await consultations.publishedItem(req.site.tenantId, req.params.code);
      return {
        ...(await consultations.publicFor(req.site.tenantId, item.code, { limit, offset })),
        limit,
        offset,
      };
    },
  );

  app.get(
    '/api/v1/consultations',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary:
          "The caller's questions, newest first; for staff, their department's open questions, most urgent first",
        response: { 200: Type.Object({ items: Type.Array(QuestionSchema) }), 401: Problem, 403: Problem },
      },
    },
    async (req) => ({ items: (await consultations.mine(auditContextOf(req))).map(viewOf) }),
  );

  app.get(
    '/api/v1/consultations/:id',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary: 'One question: for its asker, or the staff of its department',
        params: Id,
        response: { 200: QuestionSchema, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => viewOf(await consultations.get(auditContextOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/consultations/:id/answer',
    {
      config: { access: 'case.handle' },
      schema: {
        tags,
        summary:
          "Answers a question (staff of its department); `publish` puts question and answer on the item's guide page, the asker's name and identifiers masked",
        params: Id,
        body: Type.Object(
          {
            answer: Type.String({ maxLength: 12000, description: '1 to 3000 characters once plain text' }),
            publish: Type.Boolean({ default: false }),
          },
          { additionalProperties: false },
        ),
        response: { 200: QuestionSchema, ...errors },
      },
    },
    async (req) =>
      viewOf(
        await consultations.answer(auditContextOf(req), req.params.id, {
          answer: req.body.answer,
          publish: req.body.publish,
        }),
      ),
  );
}
