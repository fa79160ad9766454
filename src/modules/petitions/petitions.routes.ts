/**
 * Petitions as an API under /api/v1/petitions: the matter types, submitting one (JSON, or multipart with
 * its attachments), one's own (or, for staff, the jurisdiction's or the department's), one petition,
 * accepting and handing it on, rerouting, rating, asking for a review, the petitioner's identity and
 * the attachments (both audited) and the written answers as PDF. The
 * decisions themselves (受理, 不予受理, 转送, the opinion, an extension, a review's decision) are case
 * actions (POST /api/v1/cases/{number}/actions), as every decision on a case is.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import Value from 'typebox/value';
import { DomainError, invalidFields } from '../../kernel/errors.ts';
import type { BlobStore } from '../../kernel/files/index.ts';
import { auditContextOf, Nullable, postLimit } from '../../kernel/http/index.ts';
import { ATTACHMENTS_FIELD, limitParams } from './attachments.ts';
import { LIMITS, type PetitionInput } from './petition.checks.ts';
import { dueDay } from './petition.dates.ts';
import type { Petition, PetitionDetail, PetitionService } from './petition.service.ts';
import { readPetitionUpload } from './petitions.upload.ts';
import { MATTER_TYPES } from './matter-types.ts';
import { RATINGS, type StageCase } from './petition.store.ts';

const Problem = Type.Ref('Problem');
const Id = Type.Object({ id: Type.String({ maxLength: 32 }) });
const Instant = Type.String({ format: 'date-time' });
const Day = Type.String({ format: 'date' });

const Stage = Type.Object({
  caseNumber: Nullable(Type.String()),
  department: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  dueOn: Nullable(Day),
  outcome: Nullable(Type.String()),
  decidedAt: Nullable(Instant),
  rating: Nullable(Type.String({ description: RATINGS.join(' | ') })),
});

const STATUSES = [
  'held',
  'rejected',
  'repeat',
  'registering',
  'handling',
  'answered',
  'not_accepted',
  'forwarded',
  'reviewing',
  'reviewed',
  'reexamining',
  'concluded',
] as const;

export const PetitionSchema = Type.Object({
  id: Type.String({ description: 'unguessable; the URLs carry it' }),
  status: Type.String({ description: STATUSES.join(' | ') }),
  petitioner: Type.Object({
    name: Type.String({
      description: 'to staff masked (张**): the whole identity is a separate, audited call',
    }),
    idNumberMasked: Type.String(),
    phone: Nullable(Type.String()),
    address: Nullable(Type.String()),
  }),
  matterType: Type.String({ description: MATTER_TYPES.join(' | ') }),
  place: Type.String({ description: 'division code of the place (属地)' }),
  placeDetail: Type.String(),
  matter: Type.String(),
  requests: Type.String(),
  facts: Type.String(),
  attachments: Type.Array(
    Type.Object({
      n: Type.Integer({ minimum: 1 }),
      filename: Type.String(),
      size: Type.Integer(),
      mediaType: Type.String({ description: 'read from the bytes: image/jpeg, image/png, application/pdf' }),
      href: Type.String({
        description: 'the download: for the petitioner and the staff who may see the identity (audited)',
      }),
    }),
  ),
  submittedAt: Instant,
  repeatOf: Type.Union([
    Type.Object(
      { id: Type.String(), caseNumber: Nullable(Type.String()) },
      { description: 'the earlier petition this one repeats: linked to it, no case of its own' },
    ),
    Type.Null(),
  ]),
  moderationNote: Type.String({ description: 'why a moderator rejected it' }),
  office: Type.Object({ id: Nullable(Type.Integer()), name: Type.String() }),
  extended: Type.Boolean(),
  petition: Stage,
  review: Stage,
  reexam: Stage,
});

const DetailSchema = Type.Object({
  ...PetitionSchema.properties,
  documents: Type.Array(
    Type.Object({
      n: Type.Integer({ minimum: 1 }),
      kind: Type.String(),
      title: Type.String(),
      at: Instant,
      href: Type.String(),
    }),
  ),
  rateable: Nullable(
    Type.String({ description: 'petition | review | reexam: the stage the petitioner may rate' }),
  ),
  next: Type.Union([
    Type.Object({
      stage: Type.Union([Type.Literal('review'), Type.Literal('reexam')]),
      until: Day,
      open: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  placeName: Type.String({ description: 'the place by name, from the province down' }),
  mayRoute: Type.Boolean(),
  mayDispatch: Type.Boolean(),
});

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const stageOf = (s: StageCase) => ({
  caseNumber: s.caseNumber,
  department: s.departmentId === null ? null : { id: s.departmentId, name: s.departmentName },
  dueOn: s.dueAt ? dueDay(s.dueAt) : null,
  outcome: s.outcome,
  decidedAt: iso(s.decidedAt),
  rating: s.rating,
});

export const viewOf = (p: Petition) => ({
  id: p.publicId,
  status: p.status,
  petitioner: p.petitioner,
  matterType: p.matterType,
  place: p.placeCode,
  placeDetail: p.placeDetail,
  matter: p.matter,
  requests: p.requests,
  facts: p.facts,
  attachments: p.attachments,
  submittedAt: p.createdAt.toISOString(),
  repeatOf: p.repeatOf && { id: p.repeatOf.publicId, caseNumber: p.repeatOf.caseNumber },
  moderationNote: p.moderationNote,
  office: p.office,
  extended: p.extended,
  petition: stageOf(p.petition),
  review: stageOf(p.review),
  reexam: stageOf(p.reexam),
});

const detailOf = (p: PetitionDetail) => ({
  ...viewOf(p),
  documents: p.documents,
  rateable: p.rateable,
  next: p.next && { stage: p.next.stage, until: dueDay(p.next.until), open: p.next.open },
  placeName: p.placeName,
  mayRoute: p.mayRoute,
  mayDispatch: p.mayDispatch,
});

const text = (max: number, description?: string) =>
  Type.Optional(Type.String({ maxLength: max, ...(description ? { description } : {}) }));

/** A petition as JSON: the body of an application/json request, the `data` part of a multipart one. */
const PetitionBody = Type.Object(
  {
    // Optional like every field, so that a missing identity is listed with the other problems.
    petitioner: Type.Optional(
      Type.Object(
        {
          name: text(200),
          idNumber: text(40, 'citizen ID number (GB 11643), checked and kept encrypted'),
          phone: text(100),
          address: text(800),
        },
        { additionalProperties: false },
      ),
    ),
    matterType: text(40, MATTER_TYPES.join(' | ')),
    place: text(20, 'the division the matter concerns, down to the street or township'),
    placeDetail: text(LIMITS.placeDetail * 4),
    matter: text(LIMITS.matter * 4, `the matter in a line (1 to ${LIMITS.matter} characters)`),
    requests: text(LIMITS.requests * 4, `what is asked for (诉求, 1 to ${LIMITS.requests} characters)`),
    facts: text(LIMITS.facts * 4, `the facts and reasons (1 to ${LIMITS.facts} characters)`),
  },
  { additionalProperties: false },
);

/**
 * The petition a request carries: JSON as it is (the schema checked it), or multipart read as the
 * applications API reads one — the `data` part (JSON, as above) and the files, each a part
 * named `attachments`. A `data` that is not such JSON is named beside the field, with the files' problems.
 */
async function petitionOf(req: FastifyRequest, blobs: BlobStore): Promise<PetitionInput> {
  if (!req.isMultipart()) {
    if (req.mediaType !== 'application/json')
      throw new DomainError('unsupported', 'errors.unsupported_media_type');
    return req.body as PetitionInput;
  }
  const { fields, attachments, problems } = await readPetitionUpload(req, blobs);
  let data: unknown;
  try {
    data = JSON.parse(fields.data ?? '{}');
  } catch {
    data = undefined;
  }
  if (!Value.Check(PetitionBody, data)) problems.push({ field: 'data', code: 'petitions.data_invalid' });
  if (problems.length > 0) throw invalidFields(problems, 'petitions.incomplete');
  return { ...(data as PetitionInput), attachments };
}

export async function petitionRoutes(
  fastify: FastifyInstance,
  deps: { petitions: PetitionService; postsPerMinute: number; blobs: BlobStore },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { petitions } = deps;
  const tags = ['petitions'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

  app.get(
    '/api/v1/petitions/matter-types',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: 'The matter types a petition may be about, each routed to a type of department',
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) }),
        },
      },
    },
    async (req) => ({
      items: MATTER_TYPES.map((code) => ({ code, name: req.t(`petitions.matter_type.${code}`) })),
    }),
  );

  app.post(
    '/api/v1/petitions',
    {
      config: { access: 'account.self', rateLimit: postLimit(deps.postsPerMinute) },
      schema: {
        tags,
        summary: `Submits a petition (网上信访, 信访工作条例 §17–19) under one’s own name: 201 registered with the petition office of its place (or linked to an earlier petition it repeats: status repeat), 202 held for a moderator (status held). As JSON, or with materials supporting the facts as multipart/form-data: part \`data\` (the same JSON) and up to ${limitParams().max} parts named \`${ATTACHMENTS_FIELD}\`, each ${limitParams().types} (read from the bytes) of at most ${limitParams().size}; with a session cookie, send the CSRF token first or as X-CSRF-Token. Every problem is listed at once (the files' beside \`${ATTACHMENTS_FIELD}\`); nothing is written unless all is right`,
        consumes: ['application/json', 'multipart/form-data'],
        body: { content: { 'application/json': { schema: PetitionBody } } },
        response: {
          201: PetitionSchema,
          202: PetitionSchema,
          ...errors,
          413: Problem,
          415: Problem,
          429: Problem,
        },
      },
    },
    async (req, reply) => {
      const p = await petitions.submit(auditContextOf(req), await petitionOf(req, deps.blobs));
      return reply.code(p.status === 'held' ? 202 : 201).send(viewOf(p));
    },
  );

  app.get(
    '/api/v1/petitions',
    {
      config: { access: ['account.self', 'case.handle', 'petition.route'] },
      schema: {
        tags,
        summary:
          "The caller's petitions, newest first; for the petition office, those of its jurisdiction; for other staff, their department's",
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(PetitionSchema), total: Type.Integer() }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => {
      const ctx = auditContextOf(req);
      if (req.actor?.kind !== 'staff') {
        const items = await petitions.mine(ctx);
        return { items: items.map(viewOf), total: items.length };
      }
      const found = await petitions.worklist(ctx, {
        limit: req.query.limit ?? 20,
        offset: req.query.offset ?? 0,
      });
      return { items: found.items.map(viewOf), total: found.total };
    },
  );

  app.get(
    '/api/v1/petitions/:id',
    {
      config: { access: ['account.self', 'case.handle', 'petition.route'] },
      schema: {
        tags,
        summary:
          'One petition with its written answers and what may be done next: for its petitioner, the petition office of its place and the handlers of the departments it is with (404 for anyone else)',
        params: Id,
        response: { 200: DetailSchema, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => detailOf(await petitions.get(auditContextOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/petitions/:id/acceptance',
    {
      config: { access: 'case.handle' },
      schema: {
        tags,
        summary:
          'The petition office accepts the petition (受理) and hands the handling to the department it is routed to (交办); again, after an acceptance on the case page, it only hands it on',
        params: Id,
        response: { 200: DetailSchema, ...errors },
      },
    },
    async (req) => detailOf(await petitions.acceptAndDispatch(auditContextOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/petitions/:id/route',
    {
      config: { access: 'petition.route' },
      schema: {
        tags,
        summary:
          'The petition office of the place sends the petition to another department, with a reason (audited): while it is registered, or accepted and not yet handed on',
        params: Id,
        body: Type.Object(
          { departmentId: Type.Integer({ minimum: 1 }), reason: Type.String({ maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: DetailSchema, ...errors },
      },
    },
    async (req) => detailOf(await petitions.reroute(auditContextOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/petitions/:id/rating',
    {
      config: { access: 'account.self' },
      schema: {
        tags,
        summary:
          'The petitioner rates the last written answer once: satisfied (满意), basically (基本满意), dissatisfied (不满意)',
        params: Id,
        body: Type.Object({ rating: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: DetailSchema, ...errors },
      },
    },
    async (req) => detailOf(await petitions.rate(auditContextOf(req), req.params.id, req.body.rating)),
  );

  app.post(
    '/api/v1/petitions/:id/review',
    {
      config: { access: 'account.self', rateLimit: postLimit(deps.postsPerMinute) },
      schema: {
        tags,
        summary:
          'The petitioner asks the body one level up for a review (复查, within 30 days of the opinion) or, after one, a re-examination (复核, within 30 days of the review); after that time: 409 naming the day it expired',
        params: Id,
        body: Type.Object(
          { reason: Type.String({ maxLength: LIMITS.reason * 4 }) },
          { additionalProperties: false },
        ),
        response: { 200: DetailSchema, ...errors, 429: Problem },
      },
    },
    async (req) => detailOf(await petitions.requestReview(auditContextOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/petitions/:id/identity',
    {
      config: { access: 'pii.view' },
      schema: {
        tags,
        summary:
          "The petitioner's identity in full (name, citizen ID number, phone, address), for the staff handling the petition; each view is audited before it is returned",
        params: Id,
        response: {
          200: Type.Object({
            name: Type.String(),
            idNumber: Type.String(),
            phone: Type.String(),
            address: Type.String(),
          }),
          401: Problem,
          403: Problem,
          404: Problem,
        },
      },
    },
    async (req, reply) => {
      const who = await petitions.identityOf(auditContextOf(req), req.params.id);
      return reply.header('cache-control', 'private, no-store').send(who);
    },
  );

  app.get(
    '/api/v1/petitions/:id/attachments/:n',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary:
          'One of the materials sent with the petition, for its petitioner and the staff handling it who may see the identity (404 for anyone else); each download is audited',
        params: Type.Object({
          id: Type.String({ maxLength: 32 }),
          n: Type.Integer({ minimum: 1, maximum: 99 }),
        }),
        response: { 401: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const a = await petitions.attachment(auditContextOf(req), req.params.id, req.params.n);
      return reply
        .type(a.mediaType)
        .header('content-length', String(a.size))
        .header('cache-control', 'private, no-store')
        .header(
          'content-disposition',
          `attachment; filename="attachment-${req.params.n}"; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
        )
        .send(await deps.blobs.open(a.digest));
    },
  );

  app.get(
    '/api/v1/petitions/:id/documents/:n.pdf',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary:
          'One written answer as a PDF (受理告知书, 不予受理告知书, 转送告知书, 信访事项处理意见书, 复查意见书, 复核意见书), rendered from the cases’ logs',
        params: Type.Object({
          id: Type.String({ maxLength: 32 }),
          n: Type.Integer({ minimum: 1, maximum: 99 }),
        }),
        response: { 401: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const { bytes, filename } = await petitions.pdf(auditContextOf(req), req.params.id, req.params.n);
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header(
          'content-disposition',
          `attachment; filename="petition-${req.params.n}.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        )
        .send(bytes);
    },
  );
}
