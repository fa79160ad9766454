/** Answering a 补正 as an API: the notice, files for each of its items, and 重新提交. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AuditContext } from '../../kernel/audit/index.ts';
import { DEFAULT_ALLOWED_TYPES, readUpload, type BlobStore } from '../../kernel/files/index.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { ApplicationService } from './application.service.ts';
import type { SupplementNotice, SupplementService } from './application.supplement.ts';

const Problem = Type.Ref('Problem');

const NoticeSchema = Type.Union([
  Type.Object({
    stop: Type.String({ description: 'the stop as the process names it (补正材料)' }),
    reason: Type.String(),
    since: Type.String({ format: 'date-time' }),
    items: Type.Array(
      Type.Object({
        n: Type.Integer({ description: 'what POST …/supplement/{n} takes files for' }),
        label: Type.String(),
        note: Type.String({ description: 'what is wrong with it' }),
        files: Type.Array(
          Type.Object({
            digest: Type.String(),
            fileName: Type.String(),
            mediaType: Type.String(),
            size: Type.Integer(),
          }),
        ),
      }),
    ),
    canAnswer: Type.Boolean({ description: 'the caller is the applicant and the case waits for them' }),
  }),
  Type.Null(),
]);

const noticeJson = (n: SupplementNotice | null) =>
  n && {
    stop: n.stopName['zh-CN'],
    reason: n.reason,
    since: n.since.toISOString(),
    items: n.targets.map((x) => ({
      n: x.n,
      label: x.label,
      note: x.note,
      files: x.files.map((f) => ({
        digest: f.digest,
        fileName: f.fileName,
        mediaType: f.mediaType,
        size: f.size,
      })),
    })),
    canAnswer: n.canAnswer,
  };

export async function applicationSupplementRoutes(
  fastify: FastifyInstance,
  deps: { applications: Pick<ApplicationService, 'get'>; supplements: SupplementService; blobs: BlobStore },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { applications, supplements, blobs } = deps;
  const tags = ['applications'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
  const Id = Type.Object({ id: Type.String({ maxLength: 32 }) });
  const current = async (ctx: AuditContext, id: string) =>
    noticeJson(await supplements.notice(ctx, await applications.get(ctx, id)));

  app.get(
    '/api/v1/applications/:id/supplement',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary:
          'The open 补正 notice of a submitted application: each item asked for, what is wrong with it and the files given for it since; null when its case waits for nothing from the applicant',
        params: Id,
        response: { 200: Type.Object({ notice: NoticeSchema }), ...errors },
      },
    },
    async (req) => ({ notice: await current(auditContextOf(req), req.params.id) }),
  );

  app.post(
    '/api/v1/applications/:id/supplement/:n',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary:
          "Files (multipart, field `file`) for item n of the open 补正 notice: kept as the application's files and attached to its case, together. Only the applicant (for a walk-in applicant, the window that took it), only while the case waits for them (409 otherwise)",
        params: Type.Object({
          id: Type.String({ maxLength: 32 }),
          n: Type.Integer({ minimum: 0, maximum: 99 }),
        }),
        response: { 200: Type.Object({ notice: NoticeSchema }), ...errors, 413: Problem, 415: Problem },
      },
    },
    async (req) => {
      const ctx = auditContextOf(req);
      await supplements.check(ctx, req.params.id, req.params.n);
      const { files } = await readUpload(req, blobs, {
        maxBytes: req.server.uploadLimitBytes,
        allowed: DEFAULT_ALLOWED_TYPES,
      });
      await supplements.give(ctx, req.params.id, req.params.n, files);
      return { notice: await current(ctx, req.params.id) };
    },
  );

  app.post(
    '/api/v1/applications/:id/resubmission',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary:
          '重新提交: the applicant has supplied what the 补正 notice asked for; the stop ends and the clock resumes as the process says (afresh, for 补正)',
        params: Id,
        body: Type.Optional(
          Type.Object(
            { note: Type.Optional(Type.String({ maxLength: 2000 })) },
            { additionalProperties: false },
          ),
        ),
        response: {
          200: Type.Object({ caseNumber: Type.String(), status: Type.String() }),
          ...errors,
        },
      },
    },
    async (req) => {
      const view = await supplements.resubmit(auditContextOf(req), req.params.id, req.body?.note ?? '');
      return { caseNumber: view.number, status: view.state.status };
    },
  );
}
