/** A policy's lifecycle as an API under /api/v1/policies: read one, draft, and each transition. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf } from '../../kernel/http/index.ts';
import { MAX_PERIODS, REPORT_STATUSES, STAGES, TRANSITIONS } from './policy.ts';
import type { PolicyReader, PolicyView } from './policy.read.ts';
import type { PolicyService } from './policy.service.ts';

const Problem = Type.Ref('Problem');
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Instant = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const Link = Type.Union([
  Type.Object({
    id: Type.Integer(),
    title: Type.String(),
    status: Type.String(),
    validity: Type.String({ description: 'valid 有效 / expired 失效 / repealed 废止' }),
    categoryName: Type.String(),
    url: Type.String({ description: 'its article page' }),
  }),
  Type.Null(),
]);
const Ref = Type.Union([Type.Object({ id: Type.Integer(), title: Type.String() }), Type.Null()]);

export const PolicySchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  department: Type.Object(
    { id: Type.Integer(), name: Type.String(), divisionCode: Type.String() },
    { description: '起草部门' },
  ),
  stage: Type.Enum(STAGES),
  consultation: Type.Union([
    Type.Object({
      draft: Link,
      opensOn: Type.String(),
      closesOn: Type.String(),
      days: Type.Integer({ description: 'the opening day not counted' }),
      shortReason: Type.String({ description: 'why shorter than 30 days, when it is' }),
      state: Type.Enum(['scheduled', 'open', 'closed'] as const),
      feedback: Type.Union([
        Type.Object({
          received: Type.Integer(),
          adopted: Type.Integer(),
          summary: Type.Union([Type.Object({ title: Type.String(), href: Type.String() }), Type.Null()]),
        }),
        Type.Null(),
      ]),
      feedbackAvailable: Type.Boolean({
        description: 'false until the public-interaction module takes comments',
      }),
    }),
    Type.Null(),
  ]),
  document: Link,
  publishedAt: Instant,
  interpretations: Type.Array(Link),
  evaluationReport: Link,
  evaluatedAt: Instant,
  revises: Ref,
  revisedBy: Ref,
  revisedAt: Instant,
  repealedAt: Instant,
  repealReason: Type.String(),
  tasks: Type.Array(
    Type.Object({
      department: Type.Object({ id: Type.Integer(), name: Type.String() }),
      requirement: Type.String(),
      period: Type.Enum(['monthly', 'quarterly'] as const),
      reportDays: Type.Integer(),
      assignedAt: Instant,
      reports: Type.Array(
        Type.Object({
          no: Type.Integer(),
          label: Type.String({ description: "'2026-07' or '2026-Q3'" }),
          start: Type.String(),
          end: Type.String(),
          dueOn: Type.String({ description: 'the report is due by the end of this day' }),
          caseNumber: Type.Union([Type.String(), Type.Null()]),
          status: Type.Union([Type.Enum(REPORT_STATUSES), Type.Null()]),
          progress: Type.String(),
          reportedAt: Instant,
          onTime: Type.Union([Type.Boolean(), Type.Null()]),
          state: Type.Enum([
            'not_opened',
            'upcoming',
            'awaiting',
            'overdue',
            'on_track',
            'delayed',
            'done',
          ] as const),
          light: Type.Enum(['green', 'yellow', 'red', 'stopped'] as const),
        }),
        { description: 'empty for viewers outside the drafting and the tasked departments' },
      ),
    }),
  ),
  can: Type.Array(Type.Enum(TRANSITIONS), { description: 'the transitions the caller may take now' }),
  url: Type.String({ description: 'its page on the portal' }),
  createdAt: Instant,
  updatedAt: Instant,
});

export const policyJson = (v: PolicyView) => ({
  ...v,
  publishedAt: iso(v.publishedAt),
  evaluatedAt: iso(v.evaluatedAt),
  revisedAt: iso(v.revisedAt),
  repealedAt: iso(v.repealedAt),
  tasks: v.tasks.map((t) => ({
    ...t,
    assignedAt: iso(t.assignedAt),
    reports: t.reports.map((r) => ({ ...r, reportedAt: iso(r.reportedAt) })),
  })),
  url: `/policies/${v.id}`,
  createdAt: iso(v.createdAt),
  updatedAt: iso(v.updatedAt),
});

const body = <T extends Parameters<typeof Type.Object>[0]>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });
const PublicationId = Type.Integer({ minimum: 1, description: 'a publication id' });

export async function policiesRoutes(
  fastify: FastifyInstance,
  deps: { policies: PolicyService; reader: PolicyReader },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { policies, reader } = deps;
  const tags = ['policies'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
  const write = { access: 'publication.write' } as const;
  const review = { access: 'publication.review' } as const;
  const shown = async (req: FastifyRequest & { params: { id: number } }) =>
    policyJson(await reader.get(auditContextOf(req), req.params.id));

  app.get(
    '/api/v1/policies',
    {
      config: { access: ['publication.write', 'publication.review'] },
      schema: {
        tags,
        summary: "The caller's department's policies, whatever their stage, the latest changed first",
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                title: Type.String(),
                stage: Type.Enum(STAGES),
                url: Type.String(),
                updatedAt: Instant,
              }),
            ),
            total: Type.Integer(),
          }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => {
      const r = await reader.ofMyDepartment(auditContextOf(req), req.query);
      return {
        total: r.total,
        items: r.items.map((p) => ({
          id: p.id,
          title: p.title,
          stage: p.stage,
          url: `/policies/${p.id}`,
          updatedAt: iso(p.updatedAt),
        })),
      };
    },
  );

  app.post(
    '/api/v1/policies',
    {
      config: write,
      schema: {
        tags,
        summary: "Drafts a policy (政策文件) in the caller's department's name",
        body: body({ title: Type.String({ maxLength: 200 }) }),
        response: { 201: PolicySchema, ...errors },
      },
    },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const id = await policies.draft(ctx, req.body);
      return reply.code(201).send(policyJson(await reader.get(ctx, id)));
    },
  );

  app.get(
    '/api/v1/policies/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          "A policy's lifecycle: public from consultation on; a draft to its department's writers and reviewers. Reports to the drafting and tasked departments",
        params: Id,
        response: { 200: PolicySchema, 404: Problem },
      },
    },
    async (req) => shown(req),
  );

  app.put(
    '/api/v1/policies/:id/consultation',
    {
      config: write,
      schema: {
        tags,
        summary:
          '征求意见: the draft (a publication of the department) and the period; under 30 days (重大行政决策程序暂行条例 §14) only with a reason',
        params: Id,
        body: body({
          draft: PublicationId,
          opensOn: DateString,
          closesOn: DateString,
          shortReason: Type.String({ maxLength: 1000, default: '' }),
        }),
        response: { 200: PolicySchema, ...errors },
      },
    },
    async (req) => {
      await policies.openConsultation(auditContextOf(req), req.params.id, req.body);
      return shown(req);
    },
  );

  app.put(
    '/api/v1/policies/:id/document',
    {
      config: write,
      schema: {
        tags,
        summary:
          "The policy's document: a publication of the department in a policy category (政策文件, 法规文件); when it is published, so is the policy",
        params: Id,
        body: body({ publication: PublicationId }),
        response: { 200: PolicySchema, ...errors },
      },
    },
    async (req) => {
      await policies.setDocument(auditContextOf(req), req.params.id, req.body.publication);
      return shown(req);
    },
  );

  app.post(
    '/api/v1/policies/:id/interpretations',
    {
      config: write,
      schema: {
        tags,
        summary:
          '政策解读: links an interpretation (a publication in an interpretation category), shown both ways',
        params: Id,
        body: body({ publication: PublicationId }),
        response: { 200: PolicySchema, ...errors },
      },
    },
    async (req) => {
      await policies.linkInterpretation(auditContextOf(req), req.params.id, req.body.publication);
      return shown(req);
    },
  );

  const Opened = Type.Object({
    policy: PolicySchema,
    unopened: Type.Integer({ description: 'report cases that could not be opened (try the opening again)' }),
  });

  app.post(
    '/api/v1/policies/:id/tasks',
    {
      config: review,
      schema: {
        tags,
        summary:
          '落实任务 (the head): departments report each month or quarter over a horizon; every period’s report case opens now in the department, due N working days after its period ends',
        params: Id,
        body: body({
          departments: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 50 }),
          requirement: Type.String({ maxLength: 2000 }),
          period: Type.Enum(['monthly', 'quarterly'] as const),
          from: Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'the month of the first period' }),
          periods: Type.Integer({ minimum: 1, maximum: MAX_PERIODS }),
          reportDays: Type.Integer({ minimum: 1, maximum: 30, default: 10 }),
        }),
        response: { 200: Opened, ...errors },
      },
    },
    async (req) => {
      const r = await policies.assignTasks(auditContextOf(req), req.params.id, req.body);
      return { policy: await shown(req), unopened: r.unopened };
    },
  );

  app.post(
    '/api/v1/policies/:id/tasks/opening',
    {
      config: review,
      schema: {
        tags,
        summary: 'Opens again the report cases that could not be opened at assignment',
        params: Id,
        response: { 200: Opened, ...errors },
      },
    },
    async (req) => {
      const r = await policies.openPending(auditContextOf(req), req.params.id);
      return { policy: await shown(req), unopened: r.unopened };
    },
  );

  app.put(
    '/api/v1/policies/:id/evaluation',
    {
      config: write,
      schema: {
        tags,
        summary: '评估: links the evaluation report (a publication); the policy is evaluated',
        params: Id,
        body: body({ report: PublicationId }),
        response: { 200: PolicySchema, ...errors },
      },
    },
    async (req) => {
      await policies.evaluate(auditContextOf(req), req.params.id, req.body.report);
      return shown(req);
    },
  );

  app.post(
    '/api/v1/policies/:id/revision',
    {
      config: write,
      schema: {
        tags,
        summary:
          '修订: drafts the policy that revises this one; when its document publishes, this one is revised and its document 失效, replaced by the new',
        params: Id,
        body: body({ title: Type.String({ maxLength: 200 }) }),
        response: { 201: PolicySchema, ...errors },
      },
    },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const id = await policies.startRevision(ctx, req.params.id, req.body);
      return reply.code(201).send(policyJson(await reader.get(ctx, id)));
    },
  );

  app.post(
    '/api/v1/policies/:id/repeal',
    {
      config: review,
      schema: {
        tags,
        summary: '废止 (the head), with the reason: its document becomes 废止',
        params: Id,
        body: body({ reason: Type.String({ maxLength: 1000 }) }),
        response: { 200: PolicySchema, ...errors },
      },
    },
    async (req) => {
      await policies.repeal(auditContextOf(req), req.params.id, req.body.reason);
      return shown(req);
    },
  );
}
