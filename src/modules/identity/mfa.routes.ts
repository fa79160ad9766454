/** The second factor over the API: the code after the password, and the account's own TOTP enrolment. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError } from '../../kernel/errors.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { Session } from './account.service.ts';
import type { SessionStage } from './account.store.ts';
import type { MfaService } from './mfa.service.ts';
import { loginRateLimit, setSessionCookie } from './session.http.ts';
import type { Database } from '../../kernel/db/index.ts';

const Problem = Type.Ref('Problem');
const tags = ['accounts'];
const Code = Type.Object({ code: Type.String({ maxLength: 64 }) }, { additionalProperties: false });

/** The session if it is at one of `stages`, else 401 — these routes serve sessions not yet active. */
function sessionAt(req: FastifyRequest, ...stages: SessionStage[]): Session {
  if (!req.session || !stages.includes(req.session.stage))
    throw new DomainError('unauthorized', 'identity.session.required');
  return req.session;
}

export async function mfaRoutes(
  fastify: FastifyInstance,
  deps: { mfa: MfaService; secureCookies: boolean; db: Database; loginRateLimitPerMinute: number },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { mfa } = deps;
  // Codes are guessed like passwords: the same per-address limit as login.
  const loginLimit = loginRateLimit(deps.db, deps.loginRateLimitPerMinute);

  app.post(
    '/api/v1/session/mfa',
    {
      config: { access: 'public', ...loginLimit },
      schema: {
        tags,
        summary:
          'The TOTP code (or a recovery code) owed after the password; the session gets a new id and answers its next stage',
        body: Code,
        response: { 200: Type.Object({ stage: Type.String() }), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req, reply) => {
      const done = await mfa.verify(auditContextOf(req), sessionAt(req, 'mfa'), req.body.code);
      if (done.token) setSessionCookie(reply, done.token, deps.secureCookies);
      return { stage: done.session.stage };
    },
  );

  app.get(
    '/api/v1/me/mfa',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Whether TOTP is on, whether a role requires it, and how many recovery codes are left',
        response: {
          200: Type.Object({
            enabled: Type.Boolean(),
            required: Type.Boolean(),
            recoveryCodesLeft: Type.Integer(),
          }),
          401: Problem,
        },
      },
    },
    async (req) => mfa.status(sessionAt(req, 'active')),
  );

  app.post(
    '/api/v1/me/mfa',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Start TOTP enrolment: a new secret and its otpauth URI (not yet in force; confirm with a code)',
        response: {
          200: Type.Object({ secret: Type.String(), uri: Type.String() }),
          401: Problem,
          409: Problem,
        },
      },
    },
    async (req) => {
      const e = await mfa.startEnrolment(sessionAt(req, 'active', 'mfa_enrol'), req.site.name || 'Yiwang');
      return { secret: e.secret, uri: e.uri };
    },
  );

  app.post(
    '/api/v1/me/mfa/confirm',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Confirm enrolment with a code from the app; answers the ten recovery codes (shown once)',
        body: Code,
        response: {
          200: Type.Object({ recoveryCodes: Type.Array(Type.String()), stage: Type.String() }),
          400: Problem,
          401: Problem,
          409: Problem,
        },
      },
    },
    async (req, reply) => {
      const session = sessionAt(req, 'active', 'mfa_enrol');
      const done = await mfa.confirmEnrolment(auditContextOf(req), session, req.body.code);
      if (done.token) setSessionCookie(reply, done.token, deps.secureCookies);
      return {
        recoveryCodes: done.recoveryCodes,
        stage: session.stage === 'mfa_enrol' ? 'active' : session.stage,
      };
    },
  );

  app.delete(
    '/api/v1/me/mfa',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Switch TOTP off (the password is required; refused while a role requires TOTP)',
        body: Type.Object({ password: Type.String({ maxLength: 256 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req, reply) => {
      await mfa.disable(auditContextOf(req), sessionAt(req, 'active'), req.body.password);
      return reply.status(204).send(null);
    },
  );
}
