/**
 * Content safety as an API (content.moderate): the site's sensitive words (list, add, import a list,
 * remove) and the held posts of every module (list, release, reject with a reason).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { ModerationService } from './moderation.service.ts';

const Problem = Type.Ref('Problem');
const Word = Type.Object({
  word: Type.String({
    description: 'as matching holds it: full-width folded, lower-case, no spaces or punctuation',
  }),
  addedBy: Type.String({ description: "who added it: the audit chain's actor ('account:12')" }),
  addedByName: Type.String(),
  addedAt: Type.String({ format: 'date-time' }),
});
const HeldParams = Type.Object({
  kind: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' }),
  id: Type.String({ minLength: 1, maxLength: 64 }),
});

export async function moderationRoutes(
  fastify: FastifyInstance,
  deps: { moderation: ModerationService },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { moderation } = deps;
  const tags = ['moderation'];
  const config = { access: 'content.moderate' as const };

  app.get(
    '/api/v1/moderation/words',
    {
      config,
      schema: {
        tags,
        summary: "This site's sensitive words (敏感词), newest first",
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 50, description: 'words containing this' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Word),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          400: Problem,
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => {
      const { q, limit, offset } = req.query;
      return {
        ...(await moderation.list(auditContextOf(req), { query: q }, { limit, offset })),
        limit,
        offset,
      };
    },
  );

  app.post(
    '/api/v1/moderation/words',
    {
      config,
      schema: {
        tags,
        summary: 'Adds a sensitive word: public posts holding it wait for a moderator, from the next post on',
        body: Type.Object(
          {
            word: Type.String({
              maxLength: 100,
              description: '2 to 32 characters once spaces and punctuation are removed',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Word, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => reply.code(201).send(await moderation.add(auditContextOf(req), req.body.word)),
  );

  app.post(
    '/api/v1/moderation/words/import',
    {
      config,
      schema: {
        tags,
        summary:
          'Adds a list of words, one per line (blank lines and lines starting with # skipped); any bad line: nothing is added and every bad line is listed in `errors` (field `line-N`)',
        body: Type.Object(
          { words: Type.String({ maxLength: 500_000, description: 'one word per line' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            added: Type.Integer(),
            existing: Type.Integer({ description: 'lines the site had already' }),
          }),
          400: Problem,
          401: Problem,
          403: Problem,
          409: Problem,
        },
      },
    },
    async (req) => moderation.import(auditContextOf(req), req.body.words),
  );

  app.delete(
    '/api/v1/moderation/words/:word',
    {
      config,
      schema: {
        tags,
        summary: 'Removes a sensitive word',
        params: Type.Object({ word: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 204: Type.Null(), 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      await moderation.remove(auditContextOf(req), req.params.word);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/moderation/held',
    {
      config,
      schema: {
        tags,
        summary: "Public posts held for their sensitive words, every module's, the longest waiting first",
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                kind: Type.String({ description: "the module's kind: 'letters', 'petitions' …" }),
                id: Type.String(),
                writer: Type.String(),
                excerpt: Type.String(),
                words: Type.Array(Type.String()),
                at: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => ({
      items: (await moderation.queue.held(auditContextOf(req))).map((p) => ({
        kind: p.kind,
        id: p.id,
        writer: p.writer,
        excerpt: p.excerpt,
        words: p.words,
        at: p.at.toISOString(),
      })),
    }),
  );

  app.post(
    '/api/v1/moderation/held/:kind/:id/release',
    {
      config,
      schema: {
        tags,
        summary: 'Releases a held post: it goes on as if it had never been held',
        params: HeldParams,
        response: { 204: Type.Null(), 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await moderation.queue.release(auditContextOf(req), req.params.kind, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/moderation/held/:kind/:id/rejection',
    {
      config,
      schema: {
        tags,
        summary: 'Rejects a held post; its writer is told, with the reason',
        params: HeldParams,
        body: Type.Object(
          { reason: Type.String({ maxLength: 2000, description: '2 to 500 characters' }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await moderation.queue.reject(auditContextOf(req), req.params.kind, req.params.id, req.body.reason);
      return reply.status(204).send(null);
    },
  );
}
