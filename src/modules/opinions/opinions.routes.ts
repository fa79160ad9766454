/**
 * Solicitations (征集意见) as an API under /api/v1/opinions: the public reads them and their feedback
 * reports, signed-in people and enterprises write opinions, the running department creates, changes,
 * moderates, marks adoption and publishes the report.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf, Nullable, postLimit } from '../../kernel/http/index.ts';
import {
  ADOPTION_REASON_MAX,
  ADOPTIONS,
  CLAUSE_MAX,
  DESCRIPTION_MAX,
  DRAFT_MAX,
  OPINION_MAX,
  OPINION_MIN,
  OPINION_STATUSES,
  REASON_MAX,
  STATES,
  SUMMARY_MAX,
  TITLE_MAX,
} from './opinion.ts';
import type {
  OpinionRow,
  OpinionService,
  PublicOpinion,
  SolicitationRow,
  SolicitationView,
} from './opinion.service.ts';

const Problem = Type.Ref('Problem');
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const IdAndOpinion = Type.Object({ id: Type.Integer({ minimum: 1 }), opinion: Type.Integer({ minimum: 1 }) });
const Instant = Type.String({
  description:
    "RFC 3339 with its offset ('2026-06-01T09:00:00+08:00'), or 'YYYY-MM-DDTHH:mm' read as China time",
  maxLength: 40,
});
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const Page = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
});

const SolicitationSummary = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  department: Type.Object({ id: Type.Integer(), name: Type.String() }, { description: '征集单位' }),
  policyId: Nullable(
    Type.Integer({ description: 'the policy whose draft this is (its page: /policies/{id})' }),
  ),
  draftPublicationId: Nullable(Type.Integer({ description: '征求意见稿: /publications/{id}' })),
  opensAt: Type.String({ format: 'date-time' }),
  closesAt: Type.String({ format: 'date-time' }),
  state: Type.Enum(STATES, {
    description: 'scheduled 未开始 / open 进行中 / closed 已结束, from the instants',
  }),
  periodChangedAt: Nullable(Type.String({ format: 'date-time' })),
  periodReason: Type.String({ description: 'why the close was moved (提前结束, 延期)' }),
  showPublic: Type.Boolean(),
  moderated: Type.Boolean({ description: 'every opinion waits for the department before it counts' }),
  reportPublishedAt: Nullable(Type.String({ format: 'date-time' })),
});

const PublicOpinionSchema = Type.Object({
  id: Type.Integer(),
  writer: Type.String({ description: 'masked: the first character only' }),
  clause: Type.String(),
  body: Type.String({ description: 'identifiers (ID, mobile, card numbers, e-mail) masked' }),
  writtenAt: Type.String({ format: 'date-time' }),
  adoption: Type.Union([Type.Enum(ADOPTIONS), Type.Null()], {
    description: '采纳 / 部分采纳 / 未采纳, in the report',
  }),
  adoptionReason: Type.String(),
});

const SolicitationSchema = Type.Object({
  ...SolicitationSummary.properties,
  description: Type.String(),
  draftText: Type.String({ description: 'the draft, when it is not a policy (plain text)' }),
  received: Type.Integer({ description: 'opinions accepted' }),
  opinions: Type.Array(PublicOpinionSchema, { description: 'shown while there is no report, if showPublic' }),
  report: Type.Union([
    Type.Object({
      publishedAt: Type.String({ format: 'date-time' }),
      summary: Type.String(),
      counts: Type.Object({
        total: Type.Integer(),
        adopted: Type.Integer(),
        partly: Type.Integer(),
        not_adopted: Type.Integer(),
      }),
      items: Type.Array(PublicOpinionSchema),
    }),
    Type.Null(),
  ]),
});

const OpinionSchema = Type.Object({
  id: Type.Integer(),
  solicitationId: Type.Integer(),
  writer: Type.Object({
    kind: Type.Enum(['person', 'enterprise', 'recorded'] as const),
    name: Type.String(),
  }),
  clause: Type.String(),
  body: Type.String({ description: 'plain text' }),
  status: Type.Enum(OPINION_STATUSES, {
    description:
      'held: waits for a moderator (sensitive words); pending: waits for the department; accepted; rejected',
  }),
  heldWords: Type.Array(Type.String()),
  rejectReason: Type.String(),
  adoption: Type.Union([Type.Enum(ADOPTIONS), Type.Null()]),
  adoptionReason: Type.String(),
  writtenAt: Type.String({ format: 'date-time' }),
});

const summaryOf = (s: SolicitationRow & { state: string }) => ({
  id: s.id,
  title: s.title,
  department: { id: s.department.id, name: s.department.name },
  policyId: s.policyId,
  draftPublicationId: s.draftPublicationId,
  opensAt: s.opensAt.toISOString(),
  closesAt: s.closesAt.toISOString(),
  state: s.state as (typeof STATES)[number],
  periodChangedAt: iso(s.periodChangedAt),
  periodReason: s.periodReason,
  showPublic: s.showPublic,
  moderated: s.moderated,
  reportPublishedAt: iso(s.reportPublishedAt),
});

const publicOf = (o: PublicOpinion) => ({ ...o, writtenAt: o.writtenAt.toISOString() });

const viewOf = (s: SolicitationView) => ({
  ...summaryOf(s),
  description: s.description,
  draftText: s.draftText,
  received: s.received,
  opinions: s.opinions.map(publicOf),
  report: s.report && {
    publishedAt: s.report.publishedAt.toISOString(),
    summary: s.report.summary,
    counts: s.report.counts,
    items: s.report.items.map(publicOf),
  },
});

const opinionOf = (o: OpinionRow) => ({
  id: o.id,
  solicitationId: o.solicitationId,
  writer: { kind: o.writer.kind, name: o.writer.name },
  clause: o.clause,
  body: o.body,
  status: o.status,
  heldWords: o.heldWords,
  rejectReason: o.rejectReason,
  adoption: o.adoption,
  adoptionReason: o.adoptionReason,
  writtenAt: o.writtenAt.toISOString(),
});

export async function opinionsRoutes(
  fastify: FastifyInstance,
  deps: { opinions: OpinionService; postsPerMinute: number },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { opinions } = deps;
  const tags = ['opinions'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
  const run = 'publication.write' as const;

  app.get(
    '/api/v1/opinions',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "The site's solicitations (征集意见): open ones closing first, else the newest first",
        querystring: Type.Object({ state: Type.Optional(Type.Enum(STATES)), ...Page.properties }),
        response: {
          200: Type.Object({
            items: Type.Array(SolicitationSummary),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      const { state, limit, offset } = req.query;
      const r = await opinions.list(req.site.tenantId, state, { limit, offset });
      return { items: r.items.map(summaryOf), total: r.total, limit, offset };
    },
  );

  app.post(
    '/api/v1/opinions',
    {
      config: { access: run },
      schema: {
        tags,
        summary:
          "Puts a draft out for comment in the caller's department's name: a policy in its consultation (its draft and period by default) or a draft text",
        body: Type.Object(
          {
            title: Type.Optional(
              Type.String({ maxLength: TITLE_MAX * 2, description: "the policy's title by default" }),
            ),
            description: Type.Optional(Type.String({ maxLength: DESCRIPTION_MAX * 2 })),
            policyId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
            draftText: Type.Optional(Type.String({ maxLength: DRAFT_MAX * 2 })),
            opensAt: Type.Optional(Instant),
            closesAt: Type.Optional(Instant),
            showPublic: Type.Optional(Type.Boolean({ description: "the site's default if not given" })),
            moderated: Type.Optional(Type.Boolean({ description: "the site's default if not given" })),
          },
          { additionalProperties: false },
        ),
        response: { 201: SolicitationSchema, ...errors },
      },
    },
    async (req, reply) => {
      const s = await opinions.create(auditContextOf(req), req.body);
      return reply.code(201).send(viewOf(await opinions.get(req.site.tenantId, s.id)));
    },
  );

  app.get(
    '/api/v1/opinions/mine',
    {
      config: { access: 'account.self' },
      schema: {
        tags,
        summary:
          "The caller's opinions, newest first, with their status and, once the report is out, adoption",
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ ...OpinionSchema.properties, solicitationTitle: Type.String() })),
          }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => ({
      items: (await opinions.mine(auditContextOf(req))).map((o) => ({
        ...opinionOf(o),
        solicitationTitle: o.solicitationTitle,
      })),
    }),
  );

  app.get(
    '/api/v1/opinions/managed',
    {
      config: { access: run },
      schema: {
        tags,
        summary: "The caller's department's solicitations, newest first",
        querystring: Page,
        response: {
          200: Type.Object({ items: Type.Array(SolicitationSummary), total: Type.Integer() }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => {
      const r = await opinions.ofMyDepartment(auditContextOf(req), req.query);
      return { items: r.items.map(summaryOf), total: r.total };
    },
  );

  const Settings = Type.Object(
    {
      moderated: Type.Boolean({ description: 'new solicitations moderate every opinion' }),
      showPublic: Type.Boolean({ description: 'new solicitations show accepted opinions' }),
    },
    { additionalProperties: false },
  );
  app.get(
    '/api/v1/opinions/settings',
    {
      config: { access: [run, 'org.site.manage'] },
      schema: {
        tags,
        summary: "The site's defaults for new solicitations",
        response: { 200: Settings, 401: Problem, 403: Problem },
      },
    },
    async (req) => opinions.settings(req.site.tenantId),
  );
  app.put(
    '/api/v1/opinions/settings',
    {
      config: { access: 'org.site.manage' },
      schema: {
        tags,
        summary: "Sets the site's defaults for new solicitations (audited)",
        body: Settings,
        response: { 200: Settings, ...errors },
      },
    },
    async (req) => {
      await opinions.saveSettings(auditContextOf(req), req.body);
      return opinions.settings(req.site.tenantId);
    },
  );

  app.get(
    '/api/v1/opinions/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'One solicitation: the draft, the period, accepted opinions if shown, the feedback report once published',
        params: Id,
        response: { 200: SolicitationSchema, 404: Problem },
      },
    },
    async (req) => viewOf(await opinions.get(req.site.tenantId, req.params.id)),
  );

  app.patch(
    '/api/v1/opinions/:id',
    {
      config: { access: run },
      schema: {
        tags,
        summary:
          'Changes a solicitation of the department: anything before it opens; once open, the close (提前结束, 延期) with a reason; nothing after the report',
        params: Id,
        body: Type.Object(
          {
            title: Type.Optional(Type.String({ maxLength: TITLE_MAX * 2 })),
            description: Type.Optional(Type.String({ maxLength: DESCRIPTION_MAX * 2 })),
            draftText: Type.Optional(Type.String({ maxLength: DRAFT_MAX * 2 })),
            opensAt: Type.Optional(Instant),
            closesAt: Type.Optional(Instant),
            reason: Type.Optional(Type.String({ maxLength: REASON_MAX * 2 })),
            showPublic: Type.Optional(Type.Boolean()),
            moderated: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: SolicitationSchema, ...errors },
      },
    },
    async (req) => {
      await opinions.change(auditContextOf(req), req.params.id, req.body);
      return viewOf(await opinions.get(req.site.tenantId, req.params.id));
    },
  );

  app.post(
    '/api/v1/opinions/:id/close',
    {
      config: { access: run },
      schema: {
        tags,
        summary: 'Closes the solicitation now (提前结束), with the reason shown on its page',
        params: Id,
        body: Type.Object(
          { reason: Type.String({ maxLength: REASON_MAX * 2 }) },
          { additionalProperties: false },
        ),
        response: { 200: SolicitationSchema, ...errors },
      },
    },
    async (req) => {
      await opinions.closeNow(auditContextOf(req), req.params.id, req.body.reason);
      return viewOf(await opinions.get(req.site.tenantId, req.params.id));
    },
  );

  app.post(
    '/api/v1/opinions/:id/comments',
    {
      // A public post: beside the per-writer cap on one solicitation, a per-writer rate limit.
      config: { access: 'account.self', rateLimit: postLimit(deps.postsPerMinute) },
      schema: {
        tags,
        summary:
          'Writes an opinion while the solicitation is open (HTML stripped). 201: it counts; 202: it waits for a moderator (sensitive words) or the department',
        params: Id,
        body: Type.Object(
          {
            body: Type.String({
              maxLength: OPINION_MAX * 2,
              description: `${OPINION_MIN} to ${OPINION_MAX} characters once plain text`,
            }),
            clause: Type.Optional(
              Type.String({ maxLength: CLAUSE_MAX * 2, description: 'the clause it is about, e.g. 第三条' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: OpinionSchema, 202: OpinionSchema, ...errors, 429: Problem },
      },
    },
    async (req, reply) => {
      const o = await opinions.write(auditContextOf(req), req.params.id, req.body);
      return reply.code(o.status === 'accepted' ? 201 : 202).send(opinionOf(o));
    },
  );

  app.get(
    '/api/v1/opinions/:id/comments',
    {
      config: { access: run },
      schema: {
        tags,
        summary: "Every opinion of the department's solicitation, writers named (the view is audited)",
        params: Id,
        response: {
          200: Type.Object({ items: Type.Array(OpinionSchema) }),
          401: Problem,
          403: Problem,
          404: Problem,
        },
      },
    },
    async (req) => ({
      items: (await opinions.manage(auditContextOf(req), req.params.id)).all.map(opinionOf),
    }),
  );

  app.post(
    '/api/v1/opinions/:id/comments/:opinion/approve',
    {
      config: { access: run },
      schema: {
        tags,
        summary: 'Approves an opinion waiting for the department (moderated solicitation)',
        params: IdAndOpinion,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await opinions.approve(auditContextOf(req), req.params.id, req.params.opinion);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/opinions/:id/comments/:opinion/reject',
    {
      config: { access: run },
      schema: {
        tags,
        summary: 'Refuses an opinion waiting for the department; the writer is told the reason',
        params: IdAndOpinion,
        body: Type.Object(
          { reason: Type.String({ maxLength: REASON_MAX * 2 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await opinions.reject(auditContextOf(req), req.params.id, req.params.opinion, req.body.reason);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/opinions/:id/adoption',
    {
      config: { access: run },
      schema: {
        tags,
        summary:
          'After the close: marks accepted opinions (one, or a group of similar ones) adopted, partly adopted or not adopted, with the reason (required unless adopted)',
        params: Id,
        body: Type.Object(
          {
            opinions: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 1000 }),
            adoption: Type.Enum(ADOPTIONS),
            reason: Type.String({ maxLength: ADOPTION_REASON_MAX * 2, default: '' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ marked: Type.Integer() }), ...errors },
      },
    },
    async (req) => ({ marked: await opinions.mark(auditContextOf(req), req.params.id, req.body) }),
  );

  app.post(
    '/api/v1/opinions/:id/report',
    {
      config: { access: run },
      schema: {
        tags,
        summary:
          'Publishes 意见采纳情况反馈: once closed, every opinion decided and every accepted one marked; the writers are told',
        params: Id,
        body: Type.Object(
          { summary: Type.String({ maxLength: SUMMARY_MAX * 2, default: '' }) },
          { additionalProperties: false },
        ),
        response: { 200: SolicitationSchema, ...errors },
      },
    },
    async (req) => {
      await opinions.publishReport(auditContextOf(req), req.params.id, req.body);
      return viewOf(await opinions.get(req.site.tenantId, req.params.id));
    },
  );
}
