/**
 * Online interviews as an API under /api/v1/interviews: the public reads interviews and transcripts and
 * asks; hosts (interview.manage) schedule, run and moderate; guests (interview.answer) answer.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { MEDIA_TYPES, readUpload, type BlobStore } from '../../kernel/files/index.ts';
import { DomainError, invalidFields } from '../../kernel/errors.ts';
import { auditContextOf, Nullable, postLimit } from '../../kernel/http/index.ts';
import type { InterviewService } from './interview.service.ts';
import type { InterviewStatus } from './interview.store.ts';
import {
  EntrySchema,
  entryView,
  InterviewSchema,
  interviewView,
  QuestionSchema,
  questionView,
} from './interview.views.ts';

const Problem = Type.Ref('Problem');
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const QuestionId = Type.Object({ id: Type.Integer({ minimum: 1 }), question: Type.Integer({ minimum: 1 }) });

const InterviewBody = Type.Object(
  {
    title: Type.String({ maxLength: 400, description: '1 to 100 characters' }),
    summary: Type.String({ maxLength: 8000, default: '', description: 'the topic, at most 2000 characters' }),
    hostName: Type.String({ maxLength: 200, description: '主持人, 1 to 50 characters' }),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    guests: Type.Array(
      Type.Object(
        {
          name: Type.String({ maxLength: 200 }),
          title: Type.String({ maxLength: 400, default: '' }),
          department: Type.String({ maxLength: 400, default: '' }),
          accountId: Nullable(
            Type.Integer({ description: 'the staff account (role interview_guest) answering as this guest' }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10 },
    ),
  },
  { additionalProperties: false },
);

/** Images in a transcript: pictures only, sniffed from their bytes, at most 10 MiB. */
export const IMAGE_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  allowed: [MEDIA_TYPES.png, MEDIA_TYPES.jpeg, MEDIA_TYPES.gif, MEDIA_TYPES.webp],
};

/** A cover: a photograph or a poster, sniffed from its bytes, at most 5 MiB. */
export const COVER_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  allowed: [MEDIA_TYPES.png, MEDIA_TYPES.jpeg, MEDIA_TYPES.webp],
};

/**
 * Reads a cover upload: the file and its description. A file of another type is a 400 naming the
 * field (a form's mistake, told beside the field), not the kernel's 415.
 */
export async function readCover(req: FastifyRequest, blobs: BlobStore) {
  try {
    const { fields, files } = await readUpload(req, blobs, COVER_LIMITS);
    const file = files.find((f) => f.field === 'file');
    if (!file) throw invalidFields([{ field: 'file', code: 'errors.field_required' }]);
    return { digest: file.digest, mediaType: file.mediaType, alt: fields.alt ?? '' };
  } catch (e) {
    if (e instanceof DomainError && e.code === 'files.type_not_allowed')
      throw invalidFields([{ field: 'file', code: 'interviews.cover.type' }]);
    throw e;
  }
}

const STATUSES = ['scheduled', 'live', 'ended', 'archived'] as const;

export async function interviewsRoutes(
  fastify: FastifyInstance,
  deps: { interviews: InterviewService; asksPerMinute: number; blobs: BlobStore },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { interviews } = deps;
  const tags = ['interviews'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

  app.get(
    '/api/v1/interviews',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Interviews: live now, scheduled (预告), or past (ended and archived, newest first)',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Array(Type.Union(STATUSES.map((s) => Type.Literal(s))), { maxItems: 4 }),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(InterviewSchema),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      const { limit, offset } = req.query;
      const statuses = (req.query.status?.length ? req.query.status : STATUSES) as InterviewStatus[];
      const r = await interviews.list(req.site.tenantId, statuses, { limit, offset });
      return { items: r.items.map(interviewView), total: r.total, limit, offset };
    },
  );

  app.get(
    '/api/v1/interviews/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'One interview with its transcript so far (entries after `after`, at most 1000)',
        params: Id,
        querystring: Type.Object({ after: Type.Integer({ minimum: 0, default: 0 }) }),
        response: {
          200: Type.Object({ interview: InterviewSchema, entries: Type.Array(EntrySchema) }),
          404: Problem,
        },
      },
    },
    async (req) => {
      const i = await interviews.get(req.site.tenantId, req.params.id);
      const entries = await interviews.transcript(req.site.tenantId, i.id, req.query.after);
      return { interview: interviewView(i), entries: entries.map((e) => entryView(i.id, e)) };
    },
  );

  app.post(
    '/api/v1/interviews',
    {
      config: { access: 'interview.manage' },
      schema: {
        tags,
        summary: "Schedules an interview (预告) in the host's department",
        body: InterviewBody,
        response: { 201: InterviewSchema, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(interviewView(await interviews.create(auditContextOf(req), req.body))),
  );

  app.put(
    '/api/v1/interviews/:id',
    {
      config: { access: 'interview.manage' },
      schema: {
        tags,
        summary: 'Changes a scheduled interview (409 once it has gone live)',
        params: Id,
        body: InterviewBody,
        response: { 200: InterviewSchema, ...errors },
      },
    },
    async (req) => interviewView(await interviews.update(auditContextOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/interviews/:id/status',
    {
      config: { access: 'interview.manage' },
      schema: {
        tags,
        summary: 'Moves an interview on: scheduled → live → ended → archived (any other move is 409)',
        params: Id,
        body: Type.Object(
          { status: Type.Union([Type.Literal('live'), Type.Literal('ended'), Type.Literal('archived')]) },
          { additionalProperties: false },
        ),
        response: { 200: InterviewSchema, ...errors },
      },
    },
    async (req) =>
      interviewView(await interviews.transition(auditContextOf(req), req.params.id, req.body.status)),
  );

  app.post(
    '/api/v1/interviews/:id/cover',
    {
      config: { access: 'interview.manage' },
      schema: {
        tags,
        summary:
          'Sets the cover image (multipart: `file`, PNG/JPEG/WebP read from the bytes, at most 5 MiB, and `alt`, its description, required); another type is 400',
        params: Id,
        response: { 200: InterviewSchema, ...errors, 413: Problem },
      },
    },
    async (req) => {
      const ctx = auditContextOf(req);
      // Refused before the bytes are read when the caller may not manage it.
      await interviews.managed(ctx, req.params.id);
      return interviewView(await interviews.setCover(ctx, req.params.id, await readCover(req, deps.blobs)));
    },
  );

  app.delete(
    '/api/v1/interviews/:id/cover',
    {
      config: { access: 'interview.manage' },
      schema: {
        tags,
        summary: 'Removes the cover image',
        params: Id,
        response: { 200: InterviewSchema, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => interviewView(await interviews.setCover(auditContextOf(req), req.params.id, null)),
  );

  app.post(
    '/api/v1/interviews/:id/questions',
    {
      // A public post: a per-writer limit beside the cap on questions waiting.
      config: { access: 'account.self', rateLimit: postLimit(deps.asksPerMinute) },
      schema: {
        tags,
        summary:
          'Asks a question (before or during the interview); it shows once a moderator approves it; HTML is stripped',
        params: Id,
        body: Type.Object(
          { question: Type.String({ maxLength: 2000, description: '5 to 300 characters once plain text' }) },
          { additionalProperties: false },
        ),
        response: { 201: QuestionSchema, ...errors, 429: Problem },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(questionView(await interviews.ask(auditContextOf(req), req.params.id, req.body.question))),
  );

  app.get(
    '/api/v1/interviews/:id/questions',
    {
      config: { access: ['account.self', 'interview.manage', 'interview.answer'] },
      schema: {
        tags,
        summary:
          "Questions: for hosts and guests the interview's (by status, default pending and approved); for a citizen their own",
        params: Id,
        querystring: Type.Object({
          status: Type.Optional(
            Type.Array(
              Type.Union([
                Type.Literal('held'),
                Type.Literal('pending'),
                Type.Literal('approved'),
                Type.Literal('rejected'),
                Type.Literal('closed'),
              ]),
              { maxItems: 5 },
            ),
          ),
        }),
        response: {
          200: Type.Object({ items: Type.Array(QuestionSchema) }),
          401: Problem,
          403: Problem,
          404: Problem,
        },
      },
    },
    async (req) => {
      const ctx = auditContextOf(req);
      if (req.actor?.kind !== 'staff') {
        await interviews.get(req.site.tenantId, req.params.id);
        return { items: (await interviews.mine(ctx, req.params.id)).map(questionView) };
      }
      const statuses = req.query.status?.length ? req.query.status : (['pending', 'approved'] as const);
      return { items: (await interviews.questions(ctx, req.params.id, statuses)).map(questionView) };
    },
  );

  app.post(
    '/api/v1/interviews/:id/questions/:question/decision',
    {
      config: { access: 'interview.manage' },
      schema: {
        tags,
        summary:
          'Approves a pending question (it enters the transcript) or rejects it (the asker is told why)',
        params: QuestionId,
        body: Type.Object(
          { approve: Type.Boolean(), reason: Type.Optional(Type.String({ maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: { 200: QuestionSchema, ...errors },
      },
    },
    async (req) =>
      questionView(
        await interviews.decideQuestion(auditContextOf(req), req.params.id, req.params.question, req.body),
      ),
  );

  app.post(
    '/api/v1/interviews/:id/entries',
    {
      config: { access: ['interview.manage', 'interview.answer'] },
      schema: {
        tags,
        summary:
          'Posts to the live transcript: a remark, or an answer to an approved question (`questionId`); a guest speaks as the guest, a host as the host',
        params: Id,
        body: Type.Object(
          {
            text: Type.String({ maxLength: 12000, description: '1 to 3000 characters once plain text' }),
            questionId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
          },
          { additionalProperties: false },
        ),
        response: { 201: EntrySchema, ...errors },
      },
    },
    async (req, reply) => {
      const e = await interviews.post(auditContextOf(req), req.params.id, req.body);
      return reply.code(201).send(entryView(req.params.id, e));
    },
  );

  app.post(
    '/api/v1/interviews/:id/entries/:seq/withdrawal',
    {
      config: { access: 'interview.manage' },
      schema: {
        tags,
        summary:
          '撤回: withdraws a transcript entry while the interview is live or ended, with a reason (kept in the audit chain, not shown); it then shows as withdrawn, and a `withdrawal` entry naming it (returned) tells live viewers',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), seq: Type.Integer({ minimum: 1 }) }),
        body: Type.Object(
          { reason: Type.String({ maxLength: 2000, description: '1 to 500 characters once plain text' }) },
          { additionalProperties: false },
        ),
        response: { 201: EntrySchema, ...errors },
      },
    },
    async (req, reply) => {
      const e = await interviews.withdraw(
        auditContextOf(req),
        req.params.id,
        req.params.seq,
        req.body.reason,
      );
      return reply.code(201).send(entryView(req.params.id, e));
    },
  );

  app.post(
    '/api/v1/interviews/:id/images',
    {
      config: { access: ['interview.manage', 'interview.answer'] },
      schema: {
        tags,
        summary:
          'Posts an image to the live transcript (multipart: `file`, PNG/JPEG/GIF/WebP read from the bytes, and `caption`, its description)',
        params: Id,
        response: { 201: EntrySchema, ...errors, 413: Problem, 415: Problem },
      },
    },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      // Refused before the bytes are read when the caller may not post there.
      await interviews.writable(ctx, req.params.id);
      const { fields, files } = await readUpload(req, deps.blobs, IMAGE_LIMITS);
      const file = files.find((f) => f.field === 'file');
      if (!file) throw invalidFields([{ field: 'file', code: 'errors.field_required' }]);
      const e = await interviews.postImage(ctx, req.params.id, file, fields.caption ?? '');
      return reply.code(201).send(entryView(req.params.id, e));
    },
  );
}
