/**
 * The site's search dictionary as an API (search.terms): list, add, remove. Re-indexing is not here:
 * it takes as long as the documents, so it is the `yiwang search reindex` command's.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { TermService } from './term.service.ts';

const Problem = Type.Ref('Problem');
const Term = Type.Object({
  term: Type.String({ description: 'as search holds it: full-width folded, lower-case' }),
  addedBy: Type.String({ description: "who added it: the audit chain's actor ('account:12')" }),
  addedByName: Type.String(),
  addedAt: Type.String({ format: 'date-time' }),
});
const TermParams = Type.Object({ term: Type.String({ minLength: 1, maxLength: 100 }) });

export async function glossaryRoutes(fastify: FastifyInstance, deps: { terms: TermService }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { terms } = deps;
  const tags = ['search'];

  app.get(
    '/api/v1/search/terms',
    {
      config: { access: 'search.terms' },
      schema: {
        tags,
        summary: "This site's search terms (词库), newest first",
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 50, description: 'terms containing this' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Term),
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
      const page = await terms.list(auditContextOf(req), { query: q }, { limit, offset });
      return { ...page, limit, offset };
    },
  );

  app.post(
    '/api/v1/search/terms',
    {
      config: { access: 'search.terms' },
      schema: {
        tags,
        summary:
          'Adds a term search takes as one word, from the next search on; documents saved before it are found through its parts until `yiwang search reindex` runs',
        body: Type.Object(
          {
            term: Type.String({
              maxLength: 100,
              description: '2 to 32 Chinese characters, letters or digits, no spaces or punctuation',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Term, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => reply.code(201).send(await terms.add(auditContextOf(req), req.body.term)),
  );

  app.delete(
    '/api/v1/search/terms/:term',
    {
      config: { access: 'search.terms' },
      schema: {
        tags,
        summary: 'Removes a term (documents keep their vectors until `yiwang search reindex` runs)',
        params: TermParams,
        response: { 204: Type.Null(), 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      await terms.remove(auditContextOf(req), req.params.term);
      return reply.status(204).send(null);
    },
  );
}
