/**
 * The service catalogue as an API under /api/v1/services: the public search and guides (published
 * items), and the administrators' list and writes (services.manage).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf } from '../../kernel/http/index.ts';
import { ENTERPRISE_EVENTS, ITEM_KINDS, ItemInputSchema, LIFE_EVENTS, type Item } from './catalogue.ts';
import type { ItemService } from './item.service.ts';
import type { CatalogueSearch } from './item.search.ts';

const Problem = Type.Ref('Problem');
const Code = Type.Object({ code: Type.String({ maxLength: 40 }) });

export const ItemSchema = Type.Object({
  ...ItemInputSchema.properties,
  status: Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('suspended')]),
  divisionCode: Type.String({ description: "the implementing department's division" }),
  departmentName: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const Page = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
});
const Filters = Type.Object({
  department: Type.Optional(Type.Integer({ minimum: 1 })),
  kind: Type.Optional(Type.Union(ITEM_KINDS.map((k) => Type.Literal(k)))),
  audience: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('enterprise')])),
  lifeEvent: Type.Optional(Type.Union(LIFE_EVENTS.map((k) => Type.Literal(k)))),
  enterpriseEvent: Type.Optional(Type.Union(ENTERPRISE_EVENTS.map((k) => Type.Literal(k)))),
});

const view = (i: Item) => {
  const { id: _id, tenantId: _t, ...rest } = i;
  return rest;
};

export async function servicesRoutes(
  fastify: FastifyInstance,
  deps: { items: ItemService; search: CatalogueSearch },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { items, search } = deps;
  const tags = ['services'];

  app.get(
    '/api/v1/services/items',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: 'Searches the published service items (Chinese full text; 低保 finds 最低生活保障)',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          ...Filters.properties,
          ...Page.properties,
        }),
        response: {
          200: Type.Object({
            items: Type.Array(ItemSchema),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          400: Problem,
        },
      },
    },
    async (req) => {
      const { q, department, limit, offset, ...filter } = req.query;
      const r = await search.search(
        req.site.tenantId,
        q ?? '',
        { ...filter, departmentId: department },
        {
          limit,
          offset,
        },
      );
      return { items: r.items.map(view), total: r.total, limit, offset };
    },
  );

  app.get(
    '/api/v1/services/items/:code',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'One service item with its whole guide; drafts and suspended items only for their administrators',
        params: Code,
        response: { 200: ItemSchema, 404: Problem },
      },
    },
    async (req) => view(await items.get({ tenantId: req.site.tenantId, actor: req.actor }, req.params.code)),
  );

  app.get(
    '/api/v1/services/admin/items',
    {
      config: { access: 'services.manage' },
      schema: {
        tags,
        summary: "The catalogue of the caller's jurisdiction, any status",
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('suspended')]),
          ),
          ...Filters.properties,
          ...Page.properties,
        }),
        response: {
          200: Type.Object({
            items: Type.Array(ItemSchema),
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
      const { department, limit, offset, ...filter } = req.query;
      const r = await items.list(
        auditContextOf(req),
        { ...filter, departmentId: department },
        { limit, offset },
      );
      return { items: r.items.map(view), total: r.total, limit, offset };
    },
  );

  app.post(
    '/api/v1/services/items',
    {
      config: { access: 'services.manage' },
      schema: {
        tags,
        summary: 'Creates a service item (a draft until published)',
        body: ItemInputSchema,
        response: { 201: ItemSchema, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const item = await items.save(auditContextOf(req), req.body, { expectNew: true });
      return reply.code(201).send(view(item));
    },
  );

  app.put(
    '/api/v1/services/items/:code',
    {
      config: { access: 'services.manage' },
      schema: {
        tags,
        summary: 'Replaces a service item (the code in the body must be the one in the path)',
        params: Code,
        body: ItemInputSchema,
        response: { 200: ItemSchema, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => {
      const body = { ...req.body, code: req.params.code };
      return view(await items.save(auditContextOf(req), body, { expectNew: false }));
    },
  );

  app.post(
    '/api/v1/services/items/:code/status',
    {
      config: { access: 'services.manage' },
      schema: {
        tags,
        summary:
          'Publishes (the guide must be complete: legal basis, conditions, process, place, hours, phones, promised time), suspends, or takes back to draft',
        params: Code,
        body: Type.Object(
          {
            status: Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('suspended')]),
          },
          { additionalProperties: false },
        ),
        response: { 200: ItemSchema, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => view(await items.setStatus(auditContextOf(req), req.params.code, req.body.status)),
  );
}
