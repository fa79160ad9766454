/** Applications as an API under /api/v1/applications: start, fill, give materials, submit. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { DEFAULT_ALLOWED_TYPES, readUpload, type BlobStore } from '../../kernel/files/index.ts';
import { invalidFields } from '../../kernel/errors.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import { IDENTITY_DOCUMENTS, type Application, type ApplicationService } from './application.service.ts';

const Problem = Type.Ref('Problem');
const Id = Type.Object({ id: Type.String({ maxLength: 32 }) });
const SubmittedSchema = Type.Object({
  id: Type.String({ description: 'the application, at /api/v1/applications/{id}' }),
  caseNumber: Type.String(),
});
/** The multipart part names files go under in a one-request application: `materials/<material key>`. */
const MATERIAL_PART = 'materials/';

export const ApplicationSchema = Type.Object({
  id: Type.String({ description: 'unguessable; the URLs carry it' }),
  item: Type.Object({ code: Type.String(), name: Type.String() }),
  applicant: Type.Object({ kind: Type.String(), name: Type.String() }),
  takenAtWindow: Type.Boolean(),
  data: Type.Record(Type.String(), Type.Unknown()),
  status: Type.Union([Type.Literal('draft'), Type.Literal('submitted')]),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  licenceId: Type.Union([Type.String(), Type.Null()], {
    description: 'the electronic licence its approval issued (verify at /api/v1/licences/{id}/verification)',
  }),
  files: Type.Array(
    Type.Object({
      material: Type.String(),
      digest: Type.String(),
      fileName: Type.String(),
      mediaType: Type.String(),
      size: Type.Integer(),
    }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  submittedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const viewOf = (a: Application) => ({
  id: a.publicId,
  item: { code: a.itemCode, name: a.itemName },
  applicant: { kind: a.applicant.kind, name: a.applicant.name },
  takenAtWindow: a.intake !== null,
  data: a.data,
  status: a.status,
  caseNumber: a.caseNumber,
  licenceId: a.licenceId,
  files: a.files.map((f) => ({
    material: f.materialKey,
    digest: f.digest,
    fileName: f.fileName,
    mediaType: f.mediaType,
    size: f.size,
  })),
  createdAt: a.createdAt,
  submittedAt: a.submittedAt,
});

export async function applicationsRoutes(
  fastify: FastifyInstance,
  deps: { applications: ApplicationService; blobs: BlobStore },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { applications, blobs } = deps;
  const tags = ['applications'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

  app.post(
    '/api/v1/applications',
    {
      config: { access: 'account.self' },
      schema: {
        tags,
        summary: 'Starts an application (a draft) for a service item that takes applications online',
        body: Type.Object({ item: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
        response: { 201: ApplicationSchema, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(viewOf(await applications.start(auditContextOf(req), req.body.item))),
  );

  app.post(
    '/api/v1/applications/window',
    {
      config: { access: 'case.handle' },
      schema: {
        tags,
        summary:
          'A window officer takes an application for a walk-in applicant (窗口代办): the identity document checked is recorded, the ID number kept encrypted',
        body: Type.Object(
          {
            item: Type.String({ maxLength: 40 }),
            applicant: Type.Object(
              {
                kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
                name: Type.String({ maxLength: 200 }),
                idNumber: Type.String({
                  maxLength: 40,
                  description: 'citizen ID number or unified social credit code',
                }),
                document: Type.Union(IDENTITY_DOCUMENTS.map((d) => Type.Literal(d))),
              },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: ApplicationSchema, ...errors },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          viewOf(await applications.startAtWindow(auditContextOf(req), req.body.item, req.body.applicant)),
        ),
  );

  app.post(
    '/api/v1/applications/submitted',
    {
      config: { access: 'account.self' },
      schema: {
        tags,
        summary:
          "Applies in one request (multipart): field `item` (the item code), field `data` (the form answers as JSON) and the files, each in a part named `materials/<key>` after its material; checked as a submission is, every problem listed at once; opens the case (201). With an `Idempotency-Key` header, a retry gets the first attempt's case (200)",
        headers: Type.Object({
          'idempotency-key': Type.Optional(
            Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$' }),
          ),
        }),
        response: {
          200: SubmittedSchema,
          201: SubmittedSchema,
          ...errors,
          413: Problem,
          415: Problem,
        },
      },
    },
    async (req, reply) => {
      const { fields, files } = await readUpload(req, blobs, {
        maxBytes: req.server.uploadLimitBytes,
        allowed: DEFAULT_ALLOWED_TYPES,
      });
      const problems = [];
      const stray = files.find((f) => !f.field.startsWith(MATERIAL_PART));
      if (stray) problems.push({ field: stray.field, code: 'applications.part_unknown' });
      let data: unknown;
      try {
        data = JSON.parse(fields.data ?? '{}');
      } catch {
        data = null;
      }
      if (data === null || typeof data !== 'object' || Array.isArray(data))
        problems.push({ field: 'data', code: 'applications.data_not_json' });
      if (!fields.item) problems.push({ field: 'item', code: 'errors.field_required' });
      if (problems.length > 0) throw invalidFields(problems);
      const r = await applications.submitAtOnce(auditContextOf(req), {
        item: fields.item!,
        data: data as Record<string, unknown>,
        files: files.map((f) => ({ ...f, materialKey: f.field.slice(MATERIAL_PART.length) })),
        idempotencyKey: req.headers['idempotency-key'] ?? null,
      });
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.get(
    '/api/v1/applications',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary: "The caller's applications (an applicant's own; a window's, for its staff), newest first",
        response: { 200: Type.Object({ items: Type.Array(ApplicationSchema) }), 401: Problem, 403: Problem },
      },
    },
    async (req) => ({
      items: (await applications.mine(auditContextOf(req))).map((a) => viewOf({ ...a, files: [] })),
    }),
  );

  app.get(
    '/api/v1/applications/:id',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary: 'One application',
        params: Id,
        response: { 200: ApplicationSchema, ...errors },
      },
    },
    async (req) => viewOf(await applications.get(auditContextOf(req), req.params.id)),
  );

  app.put(
    '/api/v1/applications/:id/data',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary: "Saves the form as filled so far (checked on submission against the item's process form)",
        params: Id,
        body: Type.Object(
          { data: Type.Record(Type.String(), Type.Unknown()) },
          { additionalProperties: false },
        ),
        response: { 200: ApplicationSchema, ...errors },
      },
    },
    async (req) => {
      const ctx = auditContextOf(req);
      await applications.saveData(ctx, req.params.id, req.body.data);
      return viewOf(await applications.get(ctx, req.params.id));
    },
  );

  app.post(
    '/api/v1/applications/:id/materials/:key',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary:
          "Adds files (multipart, field `file`) for one material of the item's list; the type is read from the bytes, the size limited",
        params: Type.Object({ id: Type.String({ maxLength: 32 }), key: Type.String({ maxLength: 40 }) }),
        response: { 200: ApplicationSchema, ...errors, 413: Problem, 415: Problem },
      },
    },
    async (req) => {
      const ctx = auditContextOf(req);
      await applications.checkMaterial(ctx, req.params.id, req.params.key);
      const { files } = await readUpload(req, blobs, {
        maxBytes: req.server.uploadLimitBytes,
        allowed: DEFAULT_ALLOWED_TYPES,
      });
      await applications.addFiles(ctx, req.params.id, req.params.key, files);
      return viewOf(await applications.get(ctx, req.params.id));
    },
  );

  app.delete(
    '/api/v1/applications/:id/materials/:key/:digest',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary: 'Removes a file from a material of a draft',
        params: Type.Object({
          id: Type.String({ maxLength: 32 }),
          key: Type.String({ maxLength: 40 }),
          digest: Type.String({ pattern: '^[0-9a-f]{64}$' }),
        }),
        response: { 200: ApplicationSchema, ...errors },
      },
    },
    async (req) => {
      const ctx = auditContextOf(req);
      await applications.removeFile(ctx, req.params.id, req.params.key, req.params.digest);
      return viewOf(await applications.get(ctx, req.params.id));
    },
  );

  app.post(
    '/api/v1/applications/:id/submission',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary:
          'Submits: every required material given, the form valid; opens the case (201). Submitting again gives the same case (200)',
        params: Id,
        response: {
          200: Type.Object({ caseNumber: Type.String() }),
          201: Type.Object({ caseNumber: Type.String() }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const r = await applications.submit(auditContextOf(req), req.params.id);
      return reply.code(r.created ? 201 : 200).send({ caseNumber: r.caseNumber });
    },
  );
}
