/**
 * The public identifier check: is this a well-formed citizen identity number or unified social credit
 * code? A pure computation (check characters, dates, code tables) — nothing is looked up, so it says
 * nothing about whether the person or organisation exists. An invalid identifier is an answer, not an
 * error: 200 with valid:false and a reason; only a missing or unknown type is a 400.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import {
  checkCitizenId,
  checkCreditCode,
  IDENTIFIER_TYPES,
  maskCitizenId,
  type IdentifierType,
} from '../../kernel/identifiers/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';

const Problem = Type.Ref('Problem');

const CheckQuery = Type.Object({
  type: Type.Enum(IDENTIFIER_TYPES, {
    description: 'citizen-id (公民身份号码, GB 11643) or credit-code (统一社会信用代码, GB 32100)',
  }),
  value: Type.String({ maxLength: 40, description: 'the identifier as typed' }),
});

const CheckResult = Type.Object({
  type: Type.Enum(IDENTIFIER_TYPES),
  valid: Type.Boolean(),
  reason: Type.Optional(Type.String({ description: 'stable code (an i18n key) when not valid' })),
  message: Type.Optional(Type.String({ description: "the reason in the caller's language" })),
  normalized: Type.Optional(Type.String({ description: 'the identifier in canonical form' })),
  birthDate: Type.Optional(Type.String({ description: 'citizen-id: YYYY-MM-DD' })),
  sex: Type.Optional(Type.Enum(['male', 'female'], { description: 'citizen-id' })),
  regionCode: Type.Optional(
    Type.String({ description: 'citizen-id: address code; credit-code: registering division' }),
  ),
  masked: Type.Optional(Type.String({ description: 'citizen-id: for display, e.g. 110105********1234' })),
  authority: Type.Optional(Type.String({ description: 'credit-code: registration authority code' })),
  organizationType: Type.Optional(Type.String({ description: 'credit-code: organisation type code' })),
  organizationCode: Type.Optional(
    Type.String({ description: 'credit-code: GB 11714 organisation code, XXXXXXXX-X' }),
  ),
});
type CheckResult = Static<typeof CheckResult>;

export function checkIdentifier(type: IdentifierType, value: string, t: Translate): CheckResult {
  if (type === 'citizen-id') {
    const r = checkCitizenId(value);
    if (!r.valid) return { type, valid: false, reason: r.reason, message: t(r.reason) };
    return {
      type,
      valid: true,
      normalized: r.normalized,
      birthDate: r.birthDate,
      sex: r.sex,
      regionCode: r.regionCode,
      masked: maskCitizenId(r.normalized),
    };
  }
  const r = checkCreditCode(value);
  if (!r.valid) return { type, valid: false, reason: r.reason, message: t(r.reason) };
  return {
    type,
    valid: true,
    normalized: r.normalized,
    authority: r.authority,
    organizationType: r.type,
    regionCode: r.regionCode,
    organizationCode: r.organizationCode,
  };
}

export async function identifierRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/identifiers/check',
    {
      // Not cached: the answer holds a person's ID number, which must not sit in memory for others.
      config: { access: 'public' },
      schema: {
        tags: ['identifiers'],
        summary: 'Check a citizen identity number or unified social credit code (format and check character)',
        querystring: CheckQuery,
        response: { 200: CheckResult, 400: Problem },
      },
    },
    async (req) => checkIdentifier(req.query.type, req.query.value, req.t),
  );

  // The same check with the identifier in the body, for callers that keep ID numbers out of URLs
  // (and so out of proxy logs and browser history).
  app.post(
    '/api/v1/identifiers/check',
    {
      config: { access: 'public' },
      schema: {
        tags: ['identifiers'],
        summary: 'Check an identifier sent in the body rather than the URL',
        body: Type.Object(
          { type: CheckQuery.properties.type, value: CheckQuery.properties.value },
          { additionalProperties: false },
        ),
        response: { 200: CheckResult, 400: Problem },
      },
    },
    async (req) => checkIdentifier(req.body.type, req.body.value, req.t),
  );
}
