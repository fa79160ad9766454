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
import type { IssuedLink, LinkSite, PasswordLinkIssued, StaffService } from './staff.service.ts';

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
    email: Type.Union([Type.String(), Type.Null()], {
      description: 'work e-mail address, where one-time password links are sent when SMTP is configured',
    }),
    roles: Type.Array(Type.String(), { description: 'codes of the roles held' }),
  },
  { $id: 'StaffAccount' },
);

const StaffPasswordLinkSchema = Type.Object(
  {
    url: Type.Optional(
      Type.String({
        description:
          'absolute URL of the page where the person sets a password; shown once. Absent when the link was sent by e-mail (sentTo)',
      }),
    ),
    sentTo: Type.Optional(
      Type.String({
        description:
          'the link was e-mailed to this address (SMTP is configured and the account has one); it is not in this answer',
      }),
    ),
    mailFailedTo: Type.Optional(
      Type.String({
        description:
          'sending the link to this address failed: the link is in url instead, for the administrator to pass on',
      }),
    ),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  {
    $id: 'StaffPasswordLink',
    description:
      'A one-time link: either sentTo (e-mailed, no url) or url (shown to the administrator, with mailFailedTo when e-mail was tried and failed)',
  },
);

/**
 * A work e-mail address or null, as one JSON Schema type list (as IntegerOrNull); its shape is checked
 * by the service, so the error names the field in the caller's language.
 */
const EmailOrNull = (description: string) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 320, description });

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
  email: a.email,
  roles: [...roles],
});

/** The absolute URL of a password link, on the host the administrator is using. */
export function passwordLinkUrl(req: FastifyRequest, link: PasswordLinkIssued): string {
  return `${req.protocol}://${req.host}${link.path}`;
}

/** The site the administrator is using: where a link points and whose name an e-mail carries. */
export function linkSiteOf(req: FastifyRequest): LinkSite {
  return { origin: `${req.protocol}://${req.host}`, name: req.site.name };
}

/** A link for the API: the address it was e-mailed to, or (never both) the link itself. */
function linkJson(req: FastifyRequest, { link, delivery }: IssuedLink) {
  const expiresAt = link.expiresAt.toISOString();
  if (delivery.mailedTo) return { sentTo: delivery.mailedTo, expiresAt };
  if (delivery.mailFailed)
    req.log.warn({ reason: delivery.mailFailed.reason }, 'password link e-mail failed; shown instead');
  return {
    url: passwordLinkUrl(req, link),
    ...(delivery.mailFailed ? { mailFailedTo: delivery.mailFailed.to } : {}),
    expiresAt,
  };
}

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
          'Create a staff account in a department of the jurisdiction; the answer carries the one-time link where the person sets a password, or (SMTP configured and an e-mail address given) the address it was sent to',
        body: Type.Object(
          {
            username: Type.String({ maxLength: 64 }),
            displayName: Type.String({ maxLength: 200 }),
            departmentId: Type.Integer({ minimum: 1 }),
            email: Type.Optional(EmailOrNull('work e-mail address (optional)')),
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
      const issued = await staff.create(auditContextOf(req), req.body, linkSiteOf(req));
      return reply
        .status(201)
        .send({ ...staffJson(issued.account, []), passwordLink: linkJson(req, issued) });
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
          'Issue a one-time link to set a new password (replaces any earlier link; the old password works until it is used); e-mailed instead of returned when SMTP is configured and the account has an address',
        params: IdParams,
        response: { 200: Type.Ref('StaffPasswordLink'), 400: Problem, ...adminErrors },
      },
    },
    async (req) =>
      linkJson(req, await staff.resetPassword(auditContextOf(req), req.params.id, linkSiteOf(req))),
  );

  app.put(
    '/api/v1/staff/:id/email',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags,
        summary:
          "Set or remove (null or '') a staff member's work e-mail address (audited with the domains only); 403 for oneself",
        params: IdParams,
        body: Type.Object(
          { email: EmailOrNull('the new address; null or empty removes it') },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 400: Problem, ...adminErrors },
      },
    },
    async (req, reply) => {
      await staff.setEmail(auditContextOf(req), req.params.id, req.body.email);
      return reply.status(204).send(null);
    },
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
