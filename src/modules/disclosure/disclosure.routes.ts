/**
 * Disclosure requests as an API under /api/v1/disclosure: the bodies a request may go to, filing one,
 * one's own (or, for staff, the department's), clarifying one when a 补正 asks, the requester's full
 * ID number for the department (audited), and each document as a PDF. The reply is a case action
 * (POST /api/v1/cases/{number}/actions), as every decision on a case is.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf, Nullable, postLimit } from '../../kernel/http/index.ts';
import { DELIVERIES, FORMATS, LIMITS } from './request.checks.ts';
import { ORGANISATION_TYPES } from './request.report.ts';
import type { DisclosureRequest, RequestDetail, RequestService } from './request.service.ts';

const Problem = Type.Ref('Problem');
const Id = Type.Object({ id: Type.String({ maxLength: 32 }) });
const Instant = Type.String({ format: 'date-time' });
const Kind = Type.Union([Type.Literal('person'), Type.Literal('organisation')]);

const OrganisationType = Type.String({
  enum: [...ORGANISATION_TYPES],
  description:
    'an organisation: 商业企业 business, 科研机构 research, 社会公益组织 public_interest, 法律服务机构 legal_services, 其他 other',
});

const Requester = Type.Object({
  kind: Kind,
  organisationType: Nullable(OrganisationType),
  name: Type.String(),
  idNumberMasked: Nullable(Type.String({ description: 'a person’s citizen ID number, masked' })),
  creditCode: Nullable(Type.String({ description: 'an organisation’s unified social credit code' })),
  legalRepresentative: Nullable(Type.String()),
  contactPerson: Nullable(Type.String()),
  phone: Type.String(),
  address: Type.String(),
  email: Type.String(),
});

export const RequestSchema = Type.Object({
  id: Type.String({ description: 'unguessable; the URLs carry it' }),
  caseNumber: Type.String(),
  requester: Requester,
  department: Type.Object({ id: Type.Integer(), name: Type.String() }, { description: 'the receiving body' }),
  description: Type.String({ description: 'plain text; after a 补正, as clarified' }),
  purpose: Type.String(),
  format: Type.Union([Type.Literal('paper'), Type.Literal('electronic'), Type.Literal('disc')]),
  delivery: Type.Union([
    Type.Literal('pickup'),
    Type.Literal('post'),
    Type.Literal('email'),
    Type.Literal('online'),
  ]),
  receivedAt: Instant,
  supplementedAt: Nullable(Type.String({ format: 'date-time' })),
  status: Type.Union([
    Type.Literal('processing'),
    Type.Literal('supplement'),
    Type.Literal('consulting'),
    Type.Literal('replied'),
  ]),
  dueOn: Nullable(
    Type.String({
      format: 'date',
      description:
        'answered by the end of this day (Beijing time): 20 working days after receipt, the receipt day not counted, moved by 补正, consultations and extensions',
    }),
  ),
  extended: Type.Boolean(),
  outcome: Nullable(
    Type.String({
      description: 'disclosed, partly_disclosed, withheld, not_exist, not_ours or not_processed',
    }),
  ),
  repliedAt: Nullable(Type.String({ format: 'date-time' })),
});

const DetailSchema = Type.Object({
  ...RequestSchema.properties,
  stop: Type.Union([
    Type.Object({
      stop: Type.String({ description: 'supplement, third_party or other_agency' }),
      name: Type.String(),
      endedBy: Type.Union([Type.Literal('applicant'), Type.Literal('staff')]),
      reason: Type.String(),
      items: Type.Array(Type.Object({ label: Type.String(), note: Type.String() }), {
        description: 'what the 补正 asks to clarify, all at once',
      }),
      since: Instant,
      dueOn: Nullable(Type.String({ format: 'date', description: 'the stop’s own limit' })),
    }),
    Type.Null(),
  ]),
  reply: Type.Union([
    Type.Object({
      action: Type.String(),
      at: Instant,
      input: Type.Record(Type.String(), Type.Unknown()),
    }),
    Type.Null(),
  ]),
  documents: Type.Array(
    Type.Object({
      n: Type.Integer({ minimum: 1 }),
      kind: Type.Union([Type.Literal('supplement'), Type.Literal('extension'), Type.Literal('reply')]),
      title: Type.String(),
      at: Instant,
      href: Type.String({ description: 'the PDF' }),
    }),
  ),
  canSupplement: Type.Boolean(),
});

const CHINA_OFFSET_MS = 8 * 3_600_000;
/** The last day of a period ending at `at` (its 24:00), as a China date. */
const dueOn = (at: Date | null) =>
  at === null ? null : new Date(at.getTime() - 1 + CHINA_OFFSET_MS).toISOString().slice(0, 10);
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export const viewOf = (r: DisclosureRequest) => ({
  id: r.publicId,
  caseNumber: r.caseNumber,
  requester: {
    kind: r.requester.kind,
    organisationType: r.requester.organisationType,
    name: r.requester.name,
    idNumberMasked: r.requester.idNumberMasked,
    creditCode: r.requester.creditCode,
    legalRepresentative: r.requester.legalRepresentative,
    contactPerson: r.requester.contactPerson,
    phone: r.requester.phone,
    address: r.requester.address,
    email: r.requester.email,
  },
  department: { id: r.department.id, name: r.department.name },
  description: r.description,
  purpose: r.purpose,
  format: r.format,
  delivery: r.delivery,
  receivedAt: r.receivedAt.toISOString(),
  supplementedAt: iso(r.supplementedAt),
  status: r.status,
  dueOn: dueOn(r.dueAt),
  extended: r.extended,
  outcome: r.outcome,
  repliedAt: iso(r.repliedAt),
});

const detailOf = (r: RequestDetail) => ({
  ...viewOf(r),
  stop: r.stop && {
    stop: r.stop.stop,
    name: r.stop.name,
    endedBy: r.stop.endedBy,
    reason: r.stop.reason,
    items: r.stop.items,
    since: r.stop.since.toISOString(),
    dueOn: dueOn(r.stop.dueAt),
  },
  reply: r.reply,
  documents: r.documents,
  canSupplement: r.canSupplement,
});

const text = (max: number, description?: string) =>
  Type.Optional(Type.String({ maxLength: max, ...(description ? { description } : {}) }));

export async function disclosureRoutes(
  fastify: FastifyInstance,
  deps: { requests: RequestService; filesPerMinute: number },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { requests } = deps;
  const tags = ['disclosure'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

  app.get(
    '/api/v1/disclosure/receiving-bodies',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          "The bodies a request may be sent to (the site's departments), and the one a request goes to by default (the site's general office)",
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ id: Type.Integer(), name: Type.String(), divisionCode: Type.String() }),
            ),
            defaultId: Nullable(Type.Integer()),
          }),
        },
      },
    },
    async (req) => {
      const { items, defaultId } = await requests.receivingBodies(req.site.tenantId);
      return {
        items: items.map((d) => ({ id: d.id, name: d.name, divisionCode: d.divisionCode })),
        defaultId,
      };
    },
  );

  app.post(
    '/api/v1/disclosure/requests',
    {
      // A public post: a tighter per-address limit than the site's.
      config: { access: 'account.self', rateLimit: postLimit(deps.filesPerMinute) },
      schema: {
        tags,
        summary:
          'Files a request for government information (依申请公开, 政府信息公开条例 §29) with the receiving body; a person gives their citizen ID number (checked, kept encrypted), an organisation its unified social credit code, legal representative and contact person. Every problem is listed at once; nothing is written unless all is right',
        body: Type.Object(
          {
            requester: Type.Object(
              {
                kind: Kind,
                organisationType: text(
                  40,
                  `an organisation: what it is, as the annual report counts it (${ORGANISATION_TYPES.join(' | ')})`,
                ),
                name: text(400),
                idNumber: text(40, 'a person: citizen ID number (GB 11643)'),
                creditCode: text(40, 'an organisation: unified social credit code (GB 32100)'),
                legalRepresentative: text(200),
                contactPerson: text(200),
                phone: text(100),
                address: text(800, 'required when the information is to be posted'),
                email: text(400, 'required when it is to be e-mailed'),
              },
              { additionalProperties: false },
            ),
            description: text(
              LIMITS.description * 4,
              `the information sought: its name, document number or other features (1 to ${LIMITS.description} characters)`,
            ),
            purpose: text(LIMITS.purpose * 4, 'optional'),
            format: text(20, FORMATS.join(' | ')),
            delivery: text(20, DELIVERIES.join(' | ')),
            departmentId: Type.Optional(
              Nullable(Type.Integer({ minimum: 1, description: 'the receiving body; default: defaultId' })),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: RequestSchema, ...errors, 429: Problem },
      },
    },
    async (req, reply) => {
      const { departmentId, ...rest } = req.body;
      const bodies = departmentId == null ? await requests.receivingBodies(req.site.tenantId) : null;
      const filed = await requests.submit(auditContextOf(req), {
        ...rest,
        departmentId: departmentId ?? bodies?.defaultId ?? null,
      });
      return reply.code(201).send(viewOf(filed));
    },
  );

  app.get(
    '/api/v1/disclosure/requests',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary:
          "The caller's requests, newest first; for staff, their department's requests not yet replied, most urgent first",
        response: { 200: Type.Object({ items: Type.Array(RequestSchema) }), 401: Problem, 403: Problem },
      },
    },
    async (req) => ({ items: (await requests.mine(auditContextOf(req))).map(viewOf) }),
  );

  app.get(
    '/api/v1/disclosure/requests/:id',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags,
        summary:
          'One request with its open stop (a 补正 notice and its items, or a consultation), the reply and its documents: for its requester or the staff of the receiving body (404 for anyone else)',
        params: Id,
        response: { 200: DetailSchema, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => detailOf(await requests.get(auditContextOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/disclosure/requests/:id/supplement',
    {
      config: { access: 'account.self' },
      schema: {
        tags,
        summary:
          'The requester clarifies the request as the 补正 notice asked; the 20 working days start again from the day after it arrives (§30)',
        params: Id,
        body: Type.Object(
          {
            description: text(LIMITS.description * 4, 'the request as it now reads'),
            purpose: text(LIMITS.purpose * 4),
            note: text(LIMITS.note * 4),
          },
          { additionalProperties: false },
        ),
        response: { 200: DetailSchema, ...errors },
      },
    },
    async (req) => detailOf(await requests.supplement(auditContextOf(req), req.params.id, req.body)),
  );

  app.get(
    '/api/v1/disclosure/requests/:id/id-number',
    {
      config: { access: 'pii.view' },
      schema: {
        tags,
        summary:
          "A person requester's citizen ID number in full, for the staff of the receiving body; each view is audited",
        params: Id,
        response: { 200: Type.Object({ idNumber: Type.String() }), 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const idNumber = await requests.idNumberOf(auditContextOf(req), req.params.id);
      return reply.header('cache-control', 'private, no-store').send({ idNumber });
    },
  );

  app.get(
    '/api/v1/disclosure/requests/:id/documents/:n.pdf',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary:
          'One document of a request as a PDF (补正告知书, 延期答复告知书, 政府信息公开申请答复书; GB/T 9704 layout), rendered from the case’s log: for the requester, the receiving body and staff who may see the case',
        params: Type.Object({
          id: Type.String({ maxLength: 32 }),
          n: Type.Integer({ minimum: 1, maximum: 9999 }),
        }),
        response: { 401: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const { bytes, filename } = await requests.pdf(auditContextOf(req), req.params.id, req.params.n);
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header(
          'content-disposition',
          `attachment; filename="disclosure-${req.params.n}.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        )
        .send(bytes);
    },
  );
}
