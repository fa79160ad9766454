/**
 * The staff administration API under /api/v1: staff accounts of the caller's jurisdiction, role grants,
 * the roles a site can grant, the site's security settings, and the public one-time password links.
 * Each route declares the permission it needs; jurisdiction, self-actions and the separation of duties
 * (三员分立) are decided by the staff service through the policy.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError } from '../../kernel/errors.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import type { Account } from './account.store.ts';
import type { Role } from './role.store.ts';
import type { PasswordLinkIssued, StaffService } from './staff.service.ts';

const Problem = Type.Ref('Problem');
const tags = ['staff'];

/**
 * An integer or null, as one JSON Schema type list rather than a union: with the server's type
 * coercion, a union's integer branch would read null as 0 (and a null branch would read 0 as null).
 */
const IntegerOrNull = (options: Record<string, unknown> = {}) =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], ...options });

const StaffAccountSchema = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    displayName: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
    departmentId: Type.Union([Type.Integer(), Type.Null()]),
    divisionCode: Type.String({ description: "the department's division: the root of the jurisdiction" }),
    mfaEnabled: Type.Boolean({ description: 'an authenticator app (TOTP) is enrolled' }),
    roles: Type.Array(Type.String(), { description: 'codes of the roles held' }),
  },
  { $id: 'StaffAccount' },
);

const StaffPasswordLinkSchema = Type.Object(
  {
    url: Type.String({
      description: 'absolute URL of the page where the person sets a password; shown once',
    }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'StaffPasswordLink' },
);

const StaffRoleSchema = Type.Object(
  {
    code: Type.String(),
    name: Type.String({ description: "a system role's name in the caller's language" }),
    kind: Type.Union([Type.Literal('staff'), Type.Literal('person'), Type.Literal('enterprise')]),
    permissions: Type.Array(Type.String()),
    requiresMfa: Type.Boolean({ description: 'holders sign in with a second factor (TOTP)' }),
    system: Type.Boolean({ description: 'a system role, the same on every site' }),
    holders: Type.Integer({ description: 'accounts of this site holding it' }),
  },
  { $id: 'StaffRole' },
);

const SecuritySettingsSchema = Type.Object(
  {
    passwordMaxAgeDays: IntegerOrNull({
      minimum: 1,
      maximum: 3650,
      description: 'a new password must be chosen at login after this many days; null: never',
    }),
  },
  { $id: 'SecuritySettings', additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const RoleParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  role: Type.String({ maxLength: 40 }),
});
const TokenParams = Type.Object({ token: Type.String({ maxLength: 64 }) });

/** 401 without a session, 403 without the permission (or for oneself), 404 outside the jurisdiction. */
const adminErrors = { 401: Problem, 403: Problem, 404: Problem };

const staffJson = (a: Account, roles: readonly string[]) => ({
  id: a.id,
  username: a.username,
  displayName: a.displayName,
  status: a.status,
  departmentId: a.departmentId,
  divisionCode: a.divisionCode ?? '',
  mfaEnabled: a.mfaEnabledAt !== null,
  roles: [...roles],
});

/** The absolute URL of a password link, on the host the administrator is using. */
export function passwordLinkUrl(req: FastifyRequest, link: PasswordLinkIssued): string {
  return `${req.protocol}://${req.host}${link.path}`;
}

const linkJson = (req: FastifyRequest, link: PasswordLinkIssued) => ({
  url: passwordLinkUrl(req, link),
  expiresAt: link.expiresAt.toISOString(),
});

/** A role's name: system roles are named in the locales, a site's own roles by the site. */
export function roleName(t: Translate, role: Pick<Role, 'code' | 'name' | 'system'>): string {
  return role.system ? t(`policy.role.${role.code}`) : role.name || role.code;
}

/** Who may read staff accounts: those who manage them and those who grant roles. */
export const STAFF_READERS = ['staff.manage', 'role.grant'] as const;

export async function staffRoutes(fastify: FastifyInstance, deps: { staff: StaffService }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { staff } = deps;
  app.addSchema(StaffAccountSchema);
  app.addSchema(StaffPasswordLinkSchema);
  app.addSchema(StaffRoleSchema);
  app.addSchema(SecuritySettingsSchema);

  // The list and a single account serve both account administrators ('staff.manage') and security
  // administrators ('role.grant'): these two routes accept either, and the service limits everything
  // to the caller's jurisdiction.
  app.get(
    '/api/v1/staff',
    {
      config: { access: STAFF_READERS },
      schema: {
        tags,
        summary: "Staff accounts of the caller's jurisdiction (account or security administrators)",
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 50, description: 'part of the user name or name' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('StaffAccount')),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          400: Problem,
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => {
      const { q, limit, offset } = req.query;
      const page = await staff.list(auditContextOf(req), { q: q?.trim() || undefined, limit, offset });
      return { items: page.items, total: page.total, limit, offset };
    },
  );

  app.post(
    '/api/v1/staff',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags,
        summary:
          'Create a staff account in a department of the jurisdiction; the answer carries the one-time link where the person sets a password',
        body: Type.Object(
          {
            username: Type.String({ maxLength: 64 }),
            displayName: Type.String({ maxLength: 200 }),
            departmentId: Type.Integer({ minimum: 1 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            ...StaffAccountSchema.properties,
            passwordLink: Type.Ref('StaffPasswordLink'),
          }),
          400: Problem,
          401: Problem,
          403: Problem,
          409: Problem,
        },
      },
    },
    async (req, reply) => {
      const { account, link } = await staff.create(auditContextOf(req), req.body);
      return reply.status(201).send({ ...staffJson(account, []), passwordLink: linkJson(req, link) });
    },
  );

  app.get(
    '/api/v1/staff/:id',
    {
      // As the list: 'staff.manage' or 'role.grant', within the jurisdiction.
      config: { access: STAFF_READERS },
      schema: {
        tags,
        summary: 'One staff account with its roles; 404 outside the jurisdiction',
        params: IdParams,
        response: { 200: Type.Ref('StaffAccount'), 400: Problem, ...adminErrors },
      },
    },
    async (req) => {
      const { account, roles } = await staff.get(auditContextOf(req), req.params.id);
      return staffJson(
        account,
        roles.map((r) => r.code),
      );
    },
  );

  app.post(
    '/api/v1/staff/:id/password-reset',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags,
        summary:
          'Issue a one-time link to set a new password (replaces any earlier link; the old password works until it is used)',
        params: IdParams,
        response: { 200: Type.Ref('StaffPasswordLink'), 400: Problem, ...adminErrors },
      },
    },
    async (req) => linkJson(req, await staff.resetPassword(auditContextOf(req), req.params.id)),
  );

  app.put(
    '/api/v1/staff/:id/status',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags,
        summary: 'Disable (every session ends at once) or re-enable a staff account',
        params: IdParams,
        body: Type.Object(
          { status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 400: Problem, ...adminErrors },
      },
    },
    async (req, reply) => {
      await staff.setStatus(auditContextOf(req), req.params.id, req.body.status);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/staff/:id/roles/:role',
    {
      config: { access: 'role.grant' },
      schema: {
        tags,
        summary:
          'Grant a role (idempotent). 400 (field role) for an unknown role, a role of another kind of account, or one that would join separated duties (三员分立); 403 for oneself',
        params: RoleParams,
        response: { 204: Type.Null(), 400: Problem, ...adminErrors },
      },
    },
    async (req, reply) => {
      await staff.grant(auditContextOf(req), req.params.id, req.params.role);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/staff/:id/roles/:role',
    {
      config: { access: 'role.grant' },
      schema: {
        tags,
        summary: 'Revoke a role (idempotent); 403 for oneself',
        params: RoleParams,
        response: { 204: Type.Null(), 400: Problem, ...adminErrors },
      },
    },
    async (req, reply) => {
      await staff.revoke(auditContextOf(req), req.params.id, req.params.role);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/roles',
    {
      config: { access: 'role.grant' },
      schema: {
        tags,
        summary: 'Every role this site can grant, with its permissions and how many accounts hold it',
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('StaffRole')) }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => {
      const tenantId = req.site.tenantId;
      const [roles, holders] = await Promise.all([staff.roles(tenantId), staff.holderCounts(tenantId)]);
      return {
        items: roles.map((r) => ({
          code: r.code,
          name: roleName(req.t, r),
          kind: r.kind,
          permissions: [...r.permissions],
          requiresMfa: r.requiresMfa,
          system: r.system,
          holders: holders.get(r.code) ?? 0,
        })),
      };
    },
  );

  app.get(
    '/api/v1/security-settings',
    {
      config: { access: 'security.policy' },
      schema: {
        tags,
        summary: "This site's security settings (security administrators)",
        response: { 200: Type.Ref('SecuritySettings'), 401: Problem, 403: Problem },
      },
    },
    async (req) => staff.securitySettings(req.site.tenantId),
  );

  app.put(
    '/api/v1/security-settings',
    {
      config: { access: 'security.policy' },
      schema: {
        tags,
        summary: "Change this site's security settings (security administrators; audited)",
        body: Type.Object(
          {
            // Range checked by the service, so the error names the field in the caller's language.
            passwordMaxAgeDays: IntegerOrNull(),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('SecuritySettings'), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req) => {
      await staff.setSecuritySettings(auditContextOf(req), req.body);
      return staff.securitySettings(req.site.tenantId);
    },
  );

  app.get(
    '/api/v1/password-links/:token',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Whether a one-time password link can still be used, and for which account',
        params: TokenParams,
        response: {
          200: Type.Object({
            purpose: Type.Union([Type.Literal('setup'), Type.Literal('reset')]),
            username: Type.String(),
            displayName: Type.String(),
          }),
          400: Problem,
          404: Problem,
        },
      },
    },
    async (req) => {
      const found = await staff.peekLink(req.params.token);
      if (!found || found.account.tenantId !== req.site.tenantId || found.account.status !== 'active')
        throw new DomainError('not_found', 'identity.password_link.invalid');
      return {
        purpose: found.purpose,
        username: found.account.username,
        displayName: found.account.displayName,
      };
    },
  );

  app.post(
    '/api/v1/password-links/:token',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Set the password through a one-time link; the link then stops working and every session of the account ends',
        params: TokenParams,
        body: Type.Object({ password: Type.String({ maxLength: 256 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), 400: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      await staff.useLink(auditContextOf(req), req.params.token, req.body.password);
      return reply.status(204).send(null);
    },
  );
}
