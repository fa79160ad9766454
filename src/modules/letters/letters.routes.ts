/**
 * Letters as an API: writing (a public post: screened, rate-limited; JSON, or multipart with
 * attachments), the writer's and the department's letters, reply, forwarding, publication, rating;
 * the published letters and the statistics for everyone.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { DomainError } from '../../kernel/errors.ts';
import type { BlobStore } from '../../kernel/files/index.ts';
import { auditContextOf, Nullable, postLimit } from '../../kernel/http/index.ts';
import { ATTACHMENTS, ATTACHMENTS_FIELD } from './attachments.ts';
import type { Letter, LetterService, WriteInput } from './letter.service.ts';
import { readLetterUpload } from './letters.upload.tsx';

const Problem = Type.Ref('Problem');
const Id = Type.Object({ id: Type.String({ maxLength: 32 }) });
const Kind = Type.Union([
  Type.Literal('leader'),
  Type.Literal('consultation'),
  Type.Literal('complaint'),
  Type.Literal('suggestion'),
]);
const SatisfactionSchema = Type.Union([
  Type.Literal('satisfied'),
  Type.Literal('basically'),
  Type.Literal('unsatisfied'),
]);

export const LetterSchema = Type.Object({
  id: Type.String({ description: 'unguessable; the URLs carry it' }),
  kind: Kind,
  mailbox: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  department: Type.Object({ id: Type.Integer(), name: Type.String() }),
  writer: Type.Object({
    kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
    name: Type.String(),
  }),
  title: Type.String(),
  body: Type.String({ description: 'plain text' }),
  attachments: Type.Array(
    Type.Object({
      digest: Type.String({ description: 'SM3 of the bytes; GET /api/v1/letters/{id}/attachments/{digest}' }),
      filename: Type.String(),
      size: Type.Integer(),
      mediaType: Type.String({ description: 'read from the bytes' }),
    }),
    { description: 'what the writer attached (never on the published letter)' },
  ),
  mayPublish: Type.Boolean({ description: "the writer's choice: may be shown on the portal once replied" }),
  status: Type.Union(
    [Type.Literal('held'), Type.Literal('open'), Type.Literal('replied'), Type.Literal('rejected')],
    {
      description: 'held: waiting for content moderation; open: a case runs; rejected: by moderation',
    },
  ),
  rejectionReason: Nullable(Type.String()),
  caseNumber: Nullable(Type.String()),
  writtenAt: Type.String({ format: 'date-time' }),
  dueAt: Nullable(
    Type.String({ format: 'date-time', description: 'the reply is due by then (working days)' }),
  ),
  reply: Nullable(Type.String()),
  repliedAt: Nullable(Type.String({ format: 'date-time' })),
  public: Type.Boolean(),
  satisfaction: Type.Union([SatisfactionSchema, Type.Null()]),
});

export const viewOf = (l: Letter) => ({
  id: l.publicId,
  kind: l.kind,
  mailbox: l.mailbox,
  department: { id: l.department.id, name: l.department.name },
  writer: { kind: l.writer.kind, name: l.writer.name },
  title: l.title,
  body: l.body,
  attachments: l.attachments.map((a) => ({
    digest: a.digest,
    filename: a.filename,
    size: a.size,
    mediaType: a.mediaType,
  })),
  mayPublish: l.mayPublish,
  status: l.status,
  rejectionReason: l.rejectionReason,
  caseNumber: l.caseNumber,
  writtenAt: l.writtenAt,
  dueAt: l.dueAt,
  reply: l.reply,
  repliedAt: l.repliedAt,
  public: l.public,
  satisfaction: l.satisfaction,
});

const PublicLetterSchema = Type.Object({
  id: Type.String(),
  kind: Kind,
  addressee: Type.String(),
  department: Type.String(),
  writerName: Type.String({ description: 'masked: the first character only' }),
  title: Type.String(),
  body: Type.String({ description: 'identifiers (ID, mobile, card numbers, e-mail) masked' }),
  reply: Type.String(),
  writtenAt: Type.String({ format: 'date-time' }),
  repliedAt: Type.String({ format: 'date-time' }),
  satisfaction: Type.Union([SatisfactionSchema, Type.Null()]),
});

export const WriteBody = Type.Object(
  {
    kind: Type.String({
      maxLength: 20,
      description: 'leader (to a mailbox), consultation, complaint, suggestion',
    }),
    mailboxId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    departmentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    title: Type.String({ maxLength: 400, description: '2 to 100 characters once plain text' }),
    body: Type.String({
      maxLength: 20_000,
      description: '10 to 5000 characters once plain text (HTML stripped)',
    }),
    phone: Type.String({ maxLength: 40, description: 'a mobile or landline with area code; kept encrypted' }),
    mayPublish: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

/** A multipart letter's fields as the service takes them (ids and the checkbox as the form sends them). */
export function writeInputOf(fields: Record<string, string | undefined>): WriteInput {
  const id = (s: string | undefined) => (s && /^\d{1,12}$/.test(s) ? Number(s) : null);
  return {
    kind: fields.kind ?? '',
    mailboxId: id(fields.mailboxId),
    departmentId: id(fields.departmentId),
    title: fields.title ?? '',
    body: fields.body ?? '',
    phone: fields.phone ?? '',
    mayPublish: fields.mayPublish === '1' || fields.mayPublish === 'true',
  };
}

/** The letter a request carries: JSON (no files), or multipart with its files already stored. */
async function writeInputFrom(req: FastifyRequest, blobs: BlobStore): Promise<WriteInput> {
  if (req.isMultipart()) {
    const upload = await readLetterUpload(req, blobs);
    return {
      ...writeInputOf(upload.fields),
      attachments: upload.files,
      refusedAttachments: upload.problems,
    };
  }
  // Only a JSON body has its schema checked; anything else is not a letter.
  if (req.body === null || typeof req.body !== 'object')
    throw new DomainError('unsupported', 'letters.body_type');
  return req.body as Static<typeof WriteBody>;
}

export async function lettersRoutes(
  fastify: FastifyInstance,
  deps: { letters: LetterService; postsPerMinute: number; blobs: BlobStore },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { letters } = deps;
  const tags = ['letters'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
  const page = Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
  });

  app.get(
    '/api/v1/letters/addressees',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: "Whom a letter may go to: the site's leaders' mailboxes, and its departments",
        response: {
          200: Type.Object({
            mailboxes: Type.Array(
              Type.Object({ id: Type.Integer(), name: Type.String(), leader: Type.String() }),
            ),
            departments: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
          }),
        },
      },
    },
    async (req) => ({
      mailboxes: (await letters.mailboxes(req.site.tenantId)).map((m) => ({
        id: m.id,
        name: m.name,
        leader: m.leader,
      })),
      departments: (await letters.departments(req.site.tenantId)).map((d) => ({ id: d.id, name: d.name })),
    }),
  );

  app.post(
    '/api/v1/letters',
    {
      config: { access: 'account.self', rateLimit: postLimit(deps.postsPerMinute) },
      schema: {
        tags,
        summary:
          "Writes a letter (领导信箱 / 咨询 / 投诉 / 建议). 201: its case is open, due in the process's working days; 202: it holds sensitive words and waits for content moderation",
        description: `As JSON, or as multipart/form-data to attach files: the same fields as text parts first (mayPublish "true"), then up to ${ATTACHMENTS.max} file parts named "${ATTACHMENTS_FIELD}" — JPEG, PNG or PDF, type read from the bytes and agreeing with the file name's extension, at most ${ATTACHMENTS.maxBytes / 1024 / 1024} MB each; a refused file is named in errors[] with the letter's other problems (400), nothing written. With a session cookie, multipart needs the CSRF token first or as X-CSRF-Token.`,
        body: { content: { 'application/json': { schema: WriteBody } } },
        response: { 201: LetterSchema, 202: LetterSchema, ...errors, 415: Problem, 429: Problem },
      },
    },
    async (req, reply) => {
      const l = await letters.write(auditContextOf(req), await writeInputFrom(req, deps.blobs));
      return reply.code(l.status === 'held' ? 202 : 201).send(viewOf(l));
    },
  );

  app.get(
    '/api/v1/letters',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary:
          "The caller's letters, newest first; for staff, their department's open letters, most urgent first",
        response: { 200: Type.Object({ items: Type.Array(LetterSchema) }), 401: Problem, 403: Problem },
      },
    },
    async (req) => {
      const ctx = auditContextOf(req);
      const items =
        req.actor?.kind === 'staff'
          ? (await letters.department(ctx, 'open', { limit: 100, offset: 0 })).items
          : await letters.mine(ctx);
      return { items: items.map(viewOf) };
    },
  );

  app.get(
    '/api/v1/letters/published',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: 'Letters published with their replies, newest reply first; names and identifiers masked',
        querystring: Type.Intersect([page, Type.Object({ kind: Type.Optional(Kind) })]),
        response: {
          200: Type.Object({
            items: Type.Array(PublicLetterSchema),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          400: Problem,
        },
      },
    },
    async (req) => {
      const { limit, offset, kind } = req.query;
      return { ...(await letters.publicList(req.site.tenantId, { kind }, { limit, offset })), limit, offset };
    },
  );

  app.get(
    '/api/v1/letters/published/:id',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: 'One published letter and its reply, masked',
        params: Id,
        response: { 200: PublicLetterSchema, 404: Problem },
      },
    },
    async (req) => letters.publicGet(req.site.tenantId, req.params.id),
  );

  app.get(
    '/api/v1/letters/statistics',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary:
          'Per department, letters received in a year (Beijing time): replied, replied by the working-day deadline, satisfaction',
        querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }),
        response: {
          200: Type.Object({
            year: Type.Integer(),
            departments: Type.Array(
              Type.Object({
                departmentId: Type.Integer(),
                department: Type.String(),
                received: Type.Integer(),
                replied: Type.Integer(),
                onTime: Type.Integer(),
                rated: Type.Integer(),
                satisfied: Type.Integer(),
                basically: Type.Integer(),
                unsatisfied: Type.Integer(),
              }),
            ),
          }),
          400: Problem,
        },
      },
    },
    async (req) => {
      const year = req.query.year ?? chinaYear();
      return { year, departments: await letters.statistics(req.site.tenantId, year) };
    },
  );

  app.get(
    '/api/v1/letters/:id',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary: 'One letter: for its writer, or the staff of the department answering it',
        params: Id,
        response: { 200: LetterSchema, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => viewOf(await letters.get(auditContextOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/letters/:id/reply',
    {
      config: { access: 'case.handle' },
      schema: {
        tags,
        summary:
          "Replies (staff of the letter's department); `publish` shows letter and reply on the portal if the writer allowed it, masked",
        params: Id,
        body: Type.Object(
          {
            reply: Type.String({ maxLength: 20_000, description: '1 to 5000 characters once plain text' }),
            publish: Type.Boolean({ default: false }),
          },
          { additionalProperties: false },
        ),
        response: { 200: LetterSchema, ...errors },
      },
    },
    async (req) => viewOf(await letters.reply(auditContextOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/letters/:id/forwarding',
    {
      config: { access: 'case.handle' },
      schema: {
        tags,
        summary: 'Forwards the letter to another department (转办), with a reason; its deadline runs on',
        params: Id,
        body: Type.Object(
          { departmentId: Type.Integer({ minimum: 1 }), reason: Type.String({ maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: LetterSchema, ...errors },
      },
    },
    async (req) => viewOf(await letters.forward(auditContextOf(req), req.params.id, req.body)),
  );

  app.put(
    '/api/v1/letters/:id/publication',
    {
      config: { access: 'case.handle' },
      schema: {
        tags,
        summary:
          'Shows a replied letter on the portal or withdraws it (never one whose writer kept it private)',
        params: Id,
        body: Type.Object({ public: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: LetterSchema, ...errors },
      },
    },
    async (req) => viewOf(await letters.setPublication(auditContextOf(req), req.params.id, req.body.public)),
  );

  app.post(
    '/api/v1/letters/:id/rating',
    {
      config: { access: 'account.self' },
      schema: {
        tags,
        summary:
          'The writer rates the reply once: satisfied (满意), basically (基本满意), unsatisfied (不满意)',
        params: Id,
        body: Type.Object({ satisfaction: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: LetterSchema, ...errors },
      },
    },
    async (req) => viewOf(await letters.rate(auditContextOf(req), req.params.id, req.body.satisfaction)),
  );

  app.post(
    '/api/v1/letters/:id/phone',
    {
      config: { access: 'case.handle' },
      schema: {
        tags,
        summary: "The writer's phone in full, for the department answering (each view is audited)",
        params: Id,
        response: { 200: Type.Object({ phone: Type.String() }), 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const phone = await letters.phone(auditContextOf(req), req.params.id);
      return reply.header('cache-control', 'no-store').send({ phone });
    },
  );
}

/** This year in Beijing time. */
export const chinaYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
