/** Publications as an API under /api/v1/publications: read and search what is public, write and review. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { DEFAULT_ALLOWED_TYPES, readUpload, type BlobStore } from '../../kernel/files/index.ts';
import { MAX_RICH_TEXT_LENGTH } from '../../kernel/html/index.ts';
import { auditContextOf, Nullable } from '../../kernel/http/index.ts';
import type { Publication } from './catalogue.ts';
import type { PublicationSearch } from './publication.search.ts';
import type { PublicationService } from './publication.service.ts';

const Problem = Type.Ref('Problem');
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Validity = Type.Union([Type.Literal('valid'), Type.Literal('expired'), Type.Literal('repealed')], {
  description: '有效 / 失效 / 废止',
});

export const PublicationSchema = Type.Object({
  id: Type.Integer(),
  category: Type.Object({ code: Type.String(), name: Type.String() }),
  title: Type.String(),
  indexNumber: Type.Union([Type.String(), Type.Null()], { description: '索引号, given at publication' }),
  issuingBody: Type.String({ description: '发布机构' }),
  writtenOn: Type.Union([Type.String(), Type.Null()], { description: '成文日期' }),
  docNumber: Type.String({ description: '文号' }),
  subject: Type.String({ description: '主题分类' }),
  validity: Validity,
  replacedBy: Type.Union([Type.Object({ id: Type.Integer(), title: Type.String() }), Type.Null()]),
  bodyHtml: Type.String({ description: 'sanitised HTML' }),
  status: Type.Union([
    Type.Literal('draft'),
    Type.Literal('in_review'),
    Type.Literal('published'),
    Type.Literal('withdrawn'),
  ]),
  publishAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reviewCase: Type.Union([Type.String(), Type.Null()]),
  reviewNote: Type.String(),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  withdrawalReason: Type.String(),
  attachments: Type.Array(
    Type.Object({
      position: Type.Integer(),
      fileName: Type.String(),
      mediaType: Type.String(),
      size: Type.Integer(),
      url: Type.String(),
    }),
  ),
  url: Type.String({ description: 'its page on the portal' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const viewOf = (p: Publication) => ({
  id: p.id,
  category: { code: p.categoryCode, name: p.categoryName },
  title: p.title,
  indexNumber: p.indexNumber,
  issuingBody: p.issuingBody,
  writtenOn: p.writtenOn,
  docNumber: p.docNumber,
  subject: p.subject,
  validity: p.validity,
  replacedBy: p.replacedBy,
  bodyHtml: p.bodyHtml,
  status: p.status,
  publishAt: p.publishAt,
  reviewCase: p.reviewCase,
  reviewNote: p.reviewNote,
  withdrawnAt: p.withdrawnAt,
  withdrawalReason: p.withdrawalReason,
  attachments: p.attachments.map((a) => ({
    position: a.position,
    fileName: a.fileName,
    mediaType: a.mediaType,
    size: a.size,
    url: `/publications/${p.id}/files/${a.position}`,
  })),
  url: `/publications/${p.id}`,
  updatedAt: p.updatedAt,
});

const Removed = Type.Array(Type.Object({ kind: Type.String(), name: Type.String(), count: Type.Integer() }), {
  description: 'what the sanitiser took out of the body (scripts, event attributes, unsafe links)',
});

const Input = Type.Object(
  {
    category: Type.String({ maxLength: 40 }),
    title: Type.String({ maxLength: 200 }),
    indexNumber: Type.String({
      maxLength: 60,
      default: '',
      description: "'' to have one given at publication",
    }),
    issuingBody: Type.String({
      maxLength: 100,
      default: '',
      description: "'' for the department's own name",
    }),
    writtenOn: Nullable(DateString),
    docNumber: Type.String({ maxLength: 60, default: '' }),
    subject: Type.String({ maxLength: 50, default: '' }),
    bodyHtml: Type.String({ maxLength: MAX_RICH_TEXT_LENGTH, default: '' }),
    /** when to go public once approved; null: at approval */
    publishAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const Filters = {
  category: Type.Optional(Type.String({ maxLength: 40 })),
  issuingBody: Type.Optional(Type.String({ maxLength: 100 })),
  validity: Type.Optional(Validity),
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
};

export async function publicationsRoutes(
  fastify: FastifyInstance,
  deps: { publications: PublicationService; search: PublicationSearch; blobs: BlobStore },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { publications, search } = deps;
  const tags = ['publications'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
  const saved = Type.Object({ publication: PublicationSchema, removed: Removed });
  const list = Type.Object({
    items: Type.Array(PublicationSchema),
    total: Type.Integer({ description: 'exact when totalExact; otherwise at least this many' }),
    totalExact: Type.Boolean(),
  });

  app.get(
    '/api/v1/publications',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: 'Public publications (主动公开), newest first; a category lists those under it too',
        querystring: Type.Object(Filters),
        response: { 200: list, 400: Problem },
      },
    },
    async (req) => {
      const { limit, offset, ...filter } = req.query;
      const r = await search.list(req.site.tenantId, filter, { limit, offset });
      return { total: r.total, totalExact: r.totalExact, items: r.items.map(viewOf) };
    },
  );

  app.get(
    '/api/v1/publications/search',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary:
          'Searches public publications in Chinese (titles, numbers, bodies, attachment text), best first; each with a snippet, the words found marked',
        querystring: Type.Object({ q: Type.String({ maxLength: 1000 }), ...Filters }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                ...PublicationSchema.properties,
                snippet: Type.Array(Type.Object({ text: Type.String(), match: Type.Boolean() })),
              }),
            ),
            total: Type.Integer({ description: 'exact when totalExact; otherwise at least this many match' }),
            totalExact: Type.Boolean(),
            terms: Type.Array(Type.String()),
          }),
          400: Problem,
        },
      },
    },
    async (req) => {
      const { q, limit, offset, ...filter } = req.query;
      const r = await search.search(req.site.tenantId, q, filter, { limit, offset });
      return {
        total: r.total,
        totalExact: r.totalExact,
        terms: r.terms,
        items: r.items.map((h) => ({ ...viewOf(h), snippet: h.snippet })),
      };
    },
  );

  app.get(
    '/api/v1/publications/categories',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: "The site's disclosure catalogue (公开目录)",
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                code: Type.String(),
                name: Type.String(),
                parentCode: Type.Union([Type.String(), Type.Null()]),
                kind: Type.Union([
                  Type.Literal('news'),
                  Type.Literal('notice'),
                  Type.Literal('policy'),
                  Type.Literal('interpretation'),
                  Type.Literal('other'),
                ]),
                active: Type.Boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      items: (await publications.categories(req.site.tenantId)).map(({ position: _p, ...c }) => c),
    }),
  );

  app.get(
    '/api/v1/publications/mine',
    {
      config: { access: ['publication.write', 'publication.review'] },
      schema: {
        tags,
        summary: "The caller's department's publications, whatever their status, newest first",
        querystring: Type.Object({ limit: Filters.limit, offset: Filters.offset }),
        response: { 200: list, 401: Problem, 403: Problem },
      },
    },
    async (req) => {
      const r = await publications.ofMyDepartment(auditContextOf(req), req.query);
      return { total: r.total, totalExact: r.totalExact, items: r.items.map(viewOf) };
    },
  );

  app.get(
    '/api/v1/publications/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "One publication: public ones to anyone; drafts to its department's writers and reviewers",
        params: Id,
        response: { 200: PublicationSchema, 404: Problem },
      },
    },
    async (req) => viewOf(await publications.get(auditContextOf(req), req.params.id)),
  );

  const inputOf = (b: Static<typeof Input>) => ({
    categoryCode: b.category,
    title: b.title,
    indexNumber: b.indexNumber,
    issuingBody: b.issuingBody,
    writtenOn: b.writtenOn,
    docNumber: b.docNumber,
    subject: b.subject,
    bodyHtml: b.bodyHtml,
    publishAt: b.publishAt,
  });

  app.post(
    '/api/v1/publications',
    {
      config: { access: 'publication.write' },
      schema: {
        tags,
        summary:
          "Drafts a publication in the caller's department's name; the body is sanitised and what was removed is listed",
        body: Input,
        response: { 201: saved, ...errors },
      },
    },
    async (req, reply) => {
      const r = await publications.save(auditContextOf(req), null, inputOf(req.body));
      return reply.code(201).send({ publication: viewOf(r.publication), removed: r.removed });
    },
  );

  app.put(
    '/api/v1/publications/:id',
    {
      config: { access: 'publication.write' },
      schema: {
        tags,
        summary: 'Rewrites a draft (also one a review returned)',
        params: Id,
        body: Input,
        response: { 200: saved, ...errors },
      },
    },
    async (req) => {
      const r = await publications.save(auditContextOf(req), req.params.id, inputOf(req.body));
      return { publication: viewOf(r.publication), removed: r.removed };
    },
  );

  app.post(
    '/api/v1/publications/:id/submission',
    {
      config: { access: 'publication.write' },
      schema: {
        tags,
        summary: "Sends a draft for review: a case on the site's review process, in its department",
        params: Id,
        response: { 200: PublicationSchema, ...errors },
      },
    },
    async (req) => viewOf(await publications.submit(auditContextOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/publications/:id/attachments',
    {
      config: { access: 'publication.write' },
      schema: {
        tags,
        summary: 'Attaches files to a draft (multipart, field `file`); the type is read from the bytes',
        params: Id,
        response: { 200: PublicationSchema, ...errors, 413: Problem, 415: Problem },
      },
    },
    async (req) => {
      const { files } = await readUpload(req, deps.blobs, {
        maxBytes: req.server.uploadLimitBytes,
        allowed: DEFAULT_ALLOWED_TYPES,
      });
      return viewOf(await publications.addAttachments(auditContextOf(req), req.params.id, files));
    },
  );

  app.delete(
    '/api/v1/publications/:id/attachments/:position',
    {
      config: { access: 'publication.write' },
      schema: {
        tags,
        summary: 'Removes an attachment from a draft',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), position: Type.Integer({ minimum: 1 }) }),
        response: { 200: PublicationSchema, ...errors },
      },
    },
    async (req) =>
      viewOf(await publications.removeAttachment(auditContextOf(req), req.params.id, req.params.position)),
  );

  app.post(
    '/api/v1/publications/:id/withdrawal',
    {
      config: { access: 'publication.review' },
      schema: {
        tags,
        summary: 'Withdraws a published publication with a reason; its page then says withdrawn, and why',
        params: Id,
        body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: PublicationSchema, ...errors },
      },
    },
    async (req) => viewOf(await publications.withdraw(auditContextOf(req), req.params.id, req.body.reason)),
  );

  app.put(
    '/api/v1/publications/:id/validity',
    {
      config: { access: 'publication.write' },
      schema: {
        tags,
        summary: '有效/失效/废止, naming the publication that replaced it',
        params: Id,
        body: Type.Object(
          { validity: Validity, replacedBy: Nullable(Type.Integer({ minimum: 1 })) },
          { additionalProperties: false },
        ),
        response: { 200: PublicationSchema, ...errors },
      },
    },
    async (req) =>
      viewOf(
        await publications.setValidity(
          auditContextOf(req),
          req.params.id,
          req.body.validity,
          req.body.replacedBy,
        ),
      ),
  );

  app.put(
    '/api/v1/publications/settings/index-pattern',
    {
      config: { access: 'publication.manage' },
      schema: {
        tags,
        summary:
          "How index numbers (索引号) are made: {org} (the department's organisation code), {year}, {category} and one {seq:N}",
        body: Type.Object({ pattern: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ pattern: Type.String() }), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req) => {
      await publications.setIndexPattern(auditContextOf(req), req.body.pattern);
      return { pattern: await publications.indexPattern(req.site.tenantId) };
    },
  );
}
