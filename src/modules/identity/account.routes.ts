/** The accounts and sessions API: register, log in and out, who am I, change password. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import { maskCitizenId } from '../../kernel/identifiers/index.ts';
import type { AccountService } from './account.service.ts';
import type { Account } from './account.store.ts';
import { clearSessionCookie, sessionOf, setSessionCookie, loginRateLimit } from './session.http.ts';

const Problem = Type.Ref('Problem');
const tags = ['accounts'];

const AccountSchema = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.Union([Type.Literal('staff'), Type.Literal('person'), Type.Literal('enterprise')]),
    username: Type.String(),
    displayName: Type.String(),
    idNumberMasked: Type.Optional(Type.String({ description: 'person: e.g. 110105********002X' })),
    creditCode: Type.Optional(Type.String({ description: 'enterprise' })),
    divisionCode: Type.Optional(Type.String({ description: 'staff' })),
    roles: Type.Optional(Type.Array(Type.String(), { description: 'roles held (GET /api/v1/me)' })),
    permissions: Type.Optional(
      Type.Array(Type.String(), { description: 'what the roles allow (GET /api/v1/me)' }),
    ),
    stage: Type.Optional(
      Type.Union(
        [
          Type.Literal('active'),
          Type.Literal('mfa'),
          Type.Literal('password_change'),
          Type.Literal('mfa_enrol'),
        ],
        {
          description:
            'after login: active, or the step still owed — mfa (POST /api/v1/session/mfa), password_change (PUT /api/v1/me/password), mfa_enrol (POST /api/v1/me/mfa)',
        },
      ),
    ),
  },
  { $id: 'Account' },
);

export interface AccountRouteDeps {
  accounts: AccountService;
  keyring: Sm4Keyring;
  secureCookies: boolean;
  loginRateLimitPerMinute: number;
  db: Database;
}

/** What the API shows of an account: the ID number only masked (a full view is a separate, audited act). */
export function presentAccount(a: Account, keyring: Sm4Keyring) {
  return {
    id: a.id,
    kind: a.kind,
    username: a.username,
    displayName: a.displayName,
    ...(a.idNumberEnc ? { idNumberMasked: maskCitizenId(keyring.decrypt(a.idNumberEnc)) } : {}),
    ...(a.creditCode ? { creditCode: a.creditCode } : {}),
    ...(a.divisionCode ? { divisionCode: a.divisionCode } : {}),
  };
}

export async function accountRoutes(fastify: FastifyInstance, deps: AccountRouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { accounts, keyring } = deps;
  app.addSchema(AccountSchema);
  const loginLimit = loginRateLimit(deps.db, deps.loginRateLimitPerMinute);

  app.post(
    '/api/v1/accounts',
    {
      config: { access: 'public', ...loginLimit },
      schema: {
        tags,
        summary: 'Register a natural person (citizen ID) or a legal person (credit code), and log in',
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
            username: Type.String({ maxLength: 64 }),
            displayName: Type.String({
              maxLength: 200,
              description: 'real name, or the organisation’s name',
            }),
            password: Type.String({ maxLength: 256 }),
            idNumber: Type.Optional(Type.String({ maxLength: 40 })),
            creditCode: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('Account'), 400: Problem, 409: Problem, 429: Problem },
      },
    },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const account = await accounts.register(ctx, req.body);
      const { token } = await accounts.login(ctx, account.username, req.body.password);
      setSessionCookie(reply, token, deps.secureCookies);
      return reply.status(201).send(presentAccount(account, keyring));
    },
  );

  app.post(
    '/api/v1/session',
    {
      config: { access: 'public', ...loginLimit },
      schema: {
        tags,
        summary: 'Log in; the session is a server-side session named by an HttpOnly cookie',
        body: Type.Object(
          { username: Type.String({ maxLength: 64 }), password: Type.String({ maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('Account'), 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (req, reply) => {
      if (req.session) await accounts.logout(auditContextOf(req), req.session); // a new id at every login
      const { token, session } = await accounts.login(
        auditContextOf(req),
        req.body.username,
        req.body.password,
      );
      setSessionCookie(reply, token, deps.secureCookies);
      return { ...presentAccount(session.account, keyring), stage: session.stage };
    },
  );

  app.delete(
    '/api/v1/session',
    {
      config: { access: 'signed-in' },
      schema: { tags, summary: 'Log out of this session', response: { 204: Type.Null(), 401: Problem } },
    },
    async (req, reply) => {
      await accounts.logout(auditContextOf(req), sessionOf(req));
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'The signed-in account',
        response: { 200: Type.Ref('Account'), 401: Problem },
      },
    },
    async (req) => {
      const session = sessionOf(req);
      return {
        ...presentAccount(session.account, keyring),
        roles: session.roles.map((r) => r.code),
        permissions: [...new Set(session.roles.flatMap((r) => r.permissions))].sort(),
      };
    },
  );

  app.post(
    '/api/v1/me/logout-everywhere',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'End every session of the signed-in account, this one included',
        response: { 200: Type.Object({ sessions: Type.Integer() }), 401: Problem },
      },
    },
    async (req, reply) => {
      const sessions = await accounts.logoutEverywhere(auditContextOf(req), sessionOf(req).account);
      clearSessionCookie(reply);
      return { sessions };
    },
  );

  app.put(
    '/api/v1/me/password',
    {
      // Also for a session that owes a new password: it is not signed in yet.
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Change the password (the current one is required); other sessions end. Answers the stage the session is at now.',
        body: Type.Object(
          { currentPassword: Type.String({ maxLength: 256 }), newPassword: Type.String({ maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ stage: Type.String() }), 400: Problem, 401: Problem },
      },
    },
    async (req) => {
      const session = req.session?.stage === 'password_change' ? req.session : sessionOf(req);
      const stage = await accounts.changePassword(
        auditContextOf(req),
        session,
        req.body.currentPassword,
        req.body.newPassword,
      );
      return { stage };
    },
  );
}
