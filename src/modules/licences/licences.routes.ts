/**
 * The licences API under /api/v1/licences: issuing (licence.issue, own department), revoking
 * (licence.revoke, the issuing department), and the public verification by id (what the QR code
 * leads to) and of presented data or an uploaded PDF.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError, invalidFields } from '../../kernel/errors.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { AuditContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import type { Licence } from './licence.ts';
import type { LicenceService } from './licence.service.ts';
import { MAX_PDF_BYTES, PDF_UPLOAD_OPTIONS, readPdfUpload } from './pdf-upload.ts';
import type { SigningKeys } from './signing-keys.ts';
import type { Verification, Verifier } from './verification.ts';
import { verificationJson } from './verification.view.tsx';

const Problem = Type.Ref('Problem');
const DateText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const FieldSchema = Type.Object(
  {
    key: Type.String({ maxLength: 40, description: 'stable name, e.g. scope' }),
    label: Type.String({ maxLength: 50, description: 'as printed, e.g. 经营项目' }),
    value: Type.String({ maxLength: 1000 }),
  },
  { additionalProperties: false },
);
const TypeSchema = Type.Object(
  { code: Type.String({ maxLength: 40 }), name: Type.String({ maxLength: 100 }) },
  { additionalProperties: false },
);
const HolderKind = Type.Union([Type.Literal('person'), Type.Literal('enterprise')]);
const MaskedHolder = Type.Object({
  kind: HolderKind,
  name: Type.String({ description: 'a person masked (张*); an enterprise in full' }),
  idNumber: Type.String({ description: 'masked, e.g. 3301**********1234' }),
});

const IssueBody = Type.Object(
  {
    type: TypeSchema,
    holder: Type.Object(
      {
        kind: HolderKind,
        name: Type.String({ maxLength: 200 }),
        idNumber: Type.String({
          maxLength: 30,
          description: 'citizen ID number or unified social credit code',
        }),
      },
      { additionalProperties: false },
    ),
    fields: Type.Array(FieldSchema, { maxItems: 40 }),
    validFrom: DateText,
    validUntil: Type.Optional(Type.Union([DateText, Type.Null()], { description: 'null or absent: 长期' })),
    caseNumber: Type.Optional(
      Type.String({
        maxLength: 40,
        description: "the case it comes from; its applicant's account becomes the holder's",
      }),
    ),
  },
  { additionalProperties: false },
);

const LicenceSchema = Type.Object({
  id: Type.String(),
  type: TypeSchema,
  issuer: Type.Object({ name: Type.String(), division: Type.String() }),
  holder: MaskedHolder,
  fields: Type.Array(FieldSchema),
  validFrom: Type.String(),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  issuedAt: Type.String({ format: 'date-time' }),
  keyId: Type.String(),
  status: Type.Union([Type.Literal('valid'), Type.Literal('revoked')]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revocationReason: Type.Union([Type.String(), Type.Null()]),
  verificationUrl: Type.String({ description: 'the public page its QR code opens' }),
});

export const VerificationSchema = Type.Object({
  status: Type.Union([
    Type.Literal('valid'),
    Type.Literal('revoked'),
    Type.Literal('invalid'),
    Type.Literal('unknown'),
  ]),
  message: Type.String({ description: "the verdict in the caller's language" }),
  reasons: Type.Array(
    Type.Object({
      code: Type.String({
        description:
          'invalid: signature, data_altered, key_revoked, expired, not_yet_valid, malformed, unreadable; unknown: not_found, key_unknown, not_issued_here',
      }),
      message: Type.String(),
    }),
  ),
  altered: Type.Array(
    Type.Object({
      part: Type.String({ description: 'holder.name, validUntil, fields.<key> …' }),
      label: Type.String(),
    }),
  ),
  checkedAt: Type.String({ format: 'date-time' }),
  licence: Type.Optional(
    Type.Object({
      id: Type.String(),
      type: TypeSchema,
      issuer: Type.Object({ name: Type.String(), division: Type.String() }),
      holder: MaskedHolder,
      fields: Type.Array(FieldSchema),
      validFrom: Type.String(),
      validUntil: Type.Union([Type.String(), Type.Null()]),
      issuedAt: Type.String({ format: 'date-time' }),
      keyId: Type.String(),
    }),
  ),
  revocation: Type.Optional(Type.Object({ at: Type.String({ format: 'date-time' }), reason: Type.String() })),
  keyRevokedAt: Type.Optional(Type.String({ format: 'date-time' })),
});

const Presented = Type.Object(
  {
    data: Type.Union([Type.String({ maxLength: 100_000 }), Type.Object({})], {
      description: 'the signed payload: its canonical JSON text, or the object',
    }),
    signature: Type.String({ maxLength: 300, description: 'SM2, DER in hex' }),
    keyId: Type.String({ maxLength: 16 }),
  },
  { additionalProperties: false },
);

/** What the API and the pages are given (index.ts builds it). */
export interface LicencesHttpDeps {
  db: Database;
  licences: LicenceService;
  keys: SigningKeys;
  verifier: Verifier;
  /** The case's applicant, when the actor may see the case (the workflow module's answer). */
  caseApplicant(
    ctx: AuditContext,
    caseNumber: string,
  ): Promise<{ kind: string; accountId: number | null } | undefined>;
  /** per-address limit on checking presented licences (PDF parsing and SM2 each time) */
  uploadsPerMinute: number;
}

/** The site's own address as the request reached it, for the URL a QR code carries. */
export const siteUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export async function licencesRoutes(fastify: FastifyInstance, deps: LicencesHttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, licences, verifier } = deps;
  const tags = ['licences'];

  const view = (req: FastifyRequest, l: Licence) => ({
    id: l.id,
    type: l.type,
    issuer: l.issuer,
    holder: licences.maskedHolderOf(l),
    fields: l.fields,
    validFrom: l.validFrom,
    validUntil: l.validUntil,
    caseNumber: l.caseNumber,
    issuedAt: l.issuedAt.toISOString(),
    keyId: l.keyId,
    status: l.status,
    revokedAt: l.revokedAt?.toISOString() ?? null,
    revocationReason: l.revokedReason,
    verificationUrl: `${siteUrl(req)}/licences/${l.id}`,
  });
  const answer = (req: FastifyRequest, v: Verification) => verificationJson(v, req.t, new Date());

  app.post(
    '/api/v1/licences',
    {
      config: { access: 'licence.issue' },
      schema: {
        tags,
        summary: "Issues a licence signed with the caller's department's SM2 key (made on its first issue)",
        body: IssueBody,
        response: { 201: LicenceSchema, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const departmentId = req.actor!.departmentId;
      if (departmentId === null) throw new DomainError('forbidden', 'licences.not_own_department');
      const { holder, caseNumber } = req.body;
      let accountId: number | null = null;
      if (caseNumber) {
        const applicant = await deps.caseApplicant(ctx, caseNumber);
        if (!applicant) throw invalidFields([{ field: 'caseNumber', code: 'licences.input.case_not_found' }]);
        if (applicant.kind !== holder.kind)
          throw invalidFields([{ field: 'holder/kind', code: 'licences.input.holder_not_applicant' }]);
        accountId = applicant.accountId;
      }
      const licence = await db.kysely.transaction().execute((tx) =>
        licences.issue(tx, ctx, {
          ...req.body,
          departmentId,
          holder: { ...holder, accountId },
          validUntil: req.body.validUntil ?? null,
          caseNumber: caseNumber ?? null,
        }),
      );
      return reply.code(201).send(view(req, licence));
    },
  );

  app.post(
    '/api/v1/licences/:id/revocation',
    {
      config: { access: 'licence.revoke' },
      schema: {
        tags,
        summary:
          'Revokes a licence of the caller\'s department; verification then answers "revoked", when and why',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        body: Type.Object({ reason: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
        response: {
          200: LicenceSchema,
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
          409: Problem,
        },
      },
    },
    async (req) => view(req, await licences.revoke(auditContextOf(req), req.params.id, req.body.reason)),
  );

  app.get(
    '/api/v1/licences/:id/verification',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Verifies a licence by its id (the QR code): valid, revoked (when, why), invalid (why) or unknown',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        response: { 200: VerificationSchema },
      },
    },
    async (req, reply) => {
      // A revocation must show at once: no shared cache may keep yesterday's "valid".
      reply.header('cache-control', 'no-store');
      return answer(req, await verifier.byId(req.site.tenantId, req.params.id));
    },
  );

  // Its own scope, so that application/pdf bodies are parsed for this route only.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/pdf',
      { parseAs: 'buffer', bodyLimit: MAX_PDF_BYTES },
      (_r, body, done) => done(null, body),
    );
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/v1/licences/verification',
      {
        // Each check parses a PDF and verifies an SM2 signature for real: a tighter per-address limit.
        config: {
          access: 'public',
          rateLimit: { max: deps.uploadsPerMinute, timeWindow: 60_000 },
          multipartOptions: PDF_UPLOAD_OPTIONS,
        },
        schema: {
          tags,
          summary:
            'Verifies a presented licence: JSON { data, signature, keyId }, the PDF itself as application/pdf, or multipart/form-data with the PDF in "file" (with a session cookie, send the CSRF token first or as X-CSRF-Token). At most 2 MB.',
          body: { content: { 'application/json': { schema: Presented } } },
          response: { 200: VerificationSchema, 400: Problem, 413: Problem, 415: Problem, 429: Problem },
        },
      },
      async (req) => {
        const tenantId = req.site.tenantId;
        if (req.isMultipart()) return answer(req, await verifier.byPdf(tenantId, await readPdfUpload(req)));
        if (Buffer.isBuffer(req.body)) return answer(req, await verifier.byPdf(tenantId, req.body));
        const body = req.body as { data: unknown; signature: string; keyId: string } | undefined;
        if (!body) throw new DomainError('unsupported', 'licences.upload.unsupported');
        return answer(req, await verifier.byData(tenantId, body));
      },
    );
  });
}
