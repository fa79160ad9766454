/**
 * Staff administration (用户与授权管理): staff accounts of a jurisdiction, role grants, one-time
 * password links, and the site's security settings. Who may do each is the policy's: system
 * administrators manage accounts ('staff.manage'), security administrators grant roles ('role.grant')
 * and set security settings ('security.policy'); both only within their jurisdiction, never for
 * themselves, and no account may end up holding two of the separated duties (三员分立).
 */
import { randomBytes } from 'node:crypto';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { sm3 } from '../../kernel/crypto/index.ts';
import { isUniqueViolation, type Database } from '../../kernel/db/index.ts';
import { DomainError, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { MailError, type Mailer } from '../../kernel/mail/index.ts';
import { authorizeActing, dutyConflict, jurisdictionPrefix, type Access } from '../../kernel/policy/index.ts';
import { normalizeUsername, type AccountService } from './account.service.ts';
import * as store from './account.store.ts';
import type { Account } from './account.store.ts';
import { hashPassword, passwordProblems } from './password.ts';
import * as roleStore from './role.store.ts';
import * as staffStore from './staff.store.ts';

/** How long a password link works: long enough to reach the person, short enough to be safe. */
export const PASSWORD_LINK_HOURS = 72;
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;
const linkHashOf = (token: string) => sm3(`yiwang.password-link:${token}`);

/** A work e-mail address: ASCII, one address, a domain with a dot (the table checks a looser shape too). */
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/**
 * A work e-mail address as stored: trimmed, the domain in lower case; '' and null mean none.
 * Undefined when it is not one address.
 */
export function normalizeEmail(raw: string | null | undefined): string | null | undefined {
  const v = (raw ?? '').trim();
  if (v === '') return null;
  const at = v.lastIndexOf('@');
  if (v.length > 254 || at < 1 || at > 64 || !EMAIL.test(v)) return undefined;
  return `${v.slice(0, at)}@${v.slice(at + 1).toLowerCase()}`;
}

/** The part of an address after the @, which is what the audit chain records of it. */
const domainOf = (email: string | null) => (email ? email.slice(email.lastIndexOf('@') + 1) : null);

/** Beijing time (UTC+8), as the people using the workbench read it: 2026-05-01 14:30. */
export function beijingTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** What identity needs to know of a department (the org module's; identity reads no org table). */
export interface DepartmentRef {
  id: number;
  name: string;
  divisionCode: string;
  active: boolean;
}

export interface StaffDeps {
  db: Database;
  accounts: AccountService;
  findDepartment(tenantId: string, id: number): Promise<DepartmentRef | undefined>;
  /** Sends password links to staff who have a work e-mail address; none when SMTP is not configured. */
  mailer?: Mailer | undefined;
}

export interface NewStaff {
  username: string;
  displayName: string;
  departmentId: number;
  /** Work e-mail address (optional; '' or null: none). */
  email?: string | null | undefined;
}

export interface PasswordLinkIssued {
  token: string;
  /** The path of the page where the link is used: /password/<token> */
  path: string;
  expiresAt: Date;
}

/** Where a link points and who sends it: the site the administrator is using. */
export interface LinkSite {
  /** scheme://host of the site, e.g. https://www.zj.gov.cn */
  origin: string;
  /** The site's name, for the e-mail. */
  name: string;
}

/**
 * How a one-time link reached the person. `mailedTo`: it was sent there and must not be shown to the
 * administrator. Otherwise it is shown to the administrator; `mailFailed` says an e-mail was tried.
 */
export interface LinkDelivery {
  mailedTo?: string;
  mailFailed?: { to: string; reason: string };
}

export interface IssuedLink {
  link: PasswordLinkIssued;
  delivery: LinkDelivery;
}

export function createStaffService(deps: StaffDeps) {
  const { db } = deps;

  /** A staff account the actor may act on with `access`; any other reads as not found. */
  async function staffFor(ctx: AuditContext, id: number, access: Access): Promise<Account> {
    const a = await store.findAccount(db.kysely, ctx.tenantId, id);
    const hidden = () => notFound('identity.staff.not_found', { id });
    if (!a || a.kind !== 'staff') throw hidden();
    authorizeActing(ctx, access, { division: a.divisionCode }, hidden);
    return a;
  }

  async function issueLink(
    ctx: AuditContext,
    account: Account,
    purpose: 'setup' | 'reset',
    ex = db.kysely,
  ): Promise<PasswordLinkIssued> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + PASSWORD_LINK_HOURS * 3_600_000);
    await staffStore.insertPasswordLink(ex, {
      tokenHash: linkHashOf(token),
      tenantId: account.tenantId,
      accountId: account.id,
      purpose,
      createdBy: ctx.actorId,
      expiresAt,
    });
    await appendAudit(ex, ctx, {
      action: purpose === 'setup' ? 'account.password_link_issued' : 'account.password_reset_issued',
      objectType: 'account',
      objectId: String(account.id),
      detail: { purpose, hours: PASSWORD_LINK_HOURS },
    });
    return { token, path: `/password/${token}`, expiresAt };
  }

  async function usableLink(token: string) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const link = await staffStore.findPasswordLink(db.kysely, linkHashOf(token));
    if (!link || link.usedAt || link.expiresAt.getTime() <= Date.now()) return undefined;
    return link;
  }

  /**
   * Sends a link that was just issued (and committed) to the account's work e-mail address, when there
   * is a mailer, an address and a site to link to. A failure loses nothing: the link is then shown to the
   * administrator, and the failure is audited. Never inside a transaction: a slow mail server must not
   * hold the database.
   */
  async function deliver(
    ctx: AuditContext,
    account: Account,
    link: PasswordLinkIssued,
    purpose: 'setup' | 'reset',
    site: LinkSite | undefined,
  ): Promise<LinkDelivery> {
    const to = account.email;
    if (!deps.mailer || !to || !site) return {};
    const t = translator('zh-CN');
    const params = {
      site: site.name,
      name: account.displayName,
      username: account.username,
      url: `${site.origin}${link.path}`,
      time: beijingTime(link.expiresAt),
    };
    const audit = (action: string, detail: Record<string, unknown>) =>
      appendAudit(db.kysely, ctx, { action, objectType: 'account', objectId: String(account.id), detail });
    try {
      await deps.mailer.send({
        to,
        subject: t(`identity.mail.password_link.subject_${purpose}`, params),
        text: [
          t('identity.mail.password_link.greeting', params),
          '',
          t(`identity.mail.password_link.intro_${purpose}`, params),
          '',
          params.url,
          '',
          t('identity.mail.password_link.expires', params),
          '',
          t('identity.mail.password_link.unexpected', params),
          '',
          t('identity.mail.password_link.footer', params),
          '',
        ].join('\n'),
      });
    } catch (e) {
      const reason = e instanceof MailError ? e.code : 'ESEND';
      await audit('account.password_link_mail_failed', { purpose, domain: domainOf(to), reason });
      return { mailFailed: { to, reason } };
    }
    await audit('account.password_link_mailed', { purpose, domain: domainOf(to) });
    return { mailedTo: to };
  }

  return {
    /** Whether one-time links go by e-mail to staff who have an address (SMTP is configured). */
    mailEnabled: deps.mailer !== undefined,

    async list(ctx: AuditContext, filter: { q?: string | undefined; limit: number; offset: number }) {
      // Account administrators and role granters both need the list; each within their jurisdiction.
      authorizeActing(ctx, ctx.actor?.permissions.has('staff.manage') ? 'staff.manage' : 'role.grant');
      return staffStore.listStaff(db.kysely, ctx.tenantId, {
        ...filter,
        divisionPrefix: ctx.actor ? jurisdictionPrefix(ctx.actor) : '',
      });
    },

    /** One staff account with its roles, for the people who manage accounts or grant roles. */
    async get(ctx: AuditContext, id: number) {
      const canManage = ctx.actor?.permissions.has('staff.manage');
      const a = await staffFor(ctx, id, canManage ? 'staff.manage' : 'role.grant');
      const roles = await roleStore.rolesOf(db.kysely, ctx.tenantId, id);
      return { account: a, roles };
    },

    /**
     * Creates a staff account in a department of the actor's jurisdiction. It has no usable password:
     * the result carries a one-time link where the person sets one. With `site` given, a mailer and an
     * e-mail address, the link is sent there (`delivery.mailedTo`) and must not be shown to the
     * administrator; otherwise (or when sending fails) it is shown to the administrator.
     */
    async create(
      ctx: AuditContext,
      input: NewStaff,
      site?: LinkSite,
    ): Promise<IssuedLink & { account: Account }> {
      const username = normalizeUsername(input.username);
      const displayName = input.displayName.trim();
      const email = normalizeEmail(input.email);
      const problems: FieldProblem[] = [];
      if (!USERNAME.test(username))
        problems.push({ field: 'username', code: 'identity.account.username_format' });
      if (displayName.length === 0 || displayName.length > 100)
        problems.push({ field: 'displayName', code: 'identity.account.display_name_length' });
      if (email === undefined) problems.push({ field: 'email', code: 'identity.staff.email_format' });
      const dept = await deps.findDepartment(ctx.tenantId, input.departmentId);
      const deptProblem = { field: 'departmentId', code: 'identity.staff.department_unknown' };
      if (!dept || !dept.active) problems.push(deptProblem);
      else
        authorizeActing(ctx, 'staff.manage', { division: dept.divisionCode }, () =>
          invalidFields([deptProblem]),
        );
      if (problems.length > 0 || !dept || email === undefined) throw invalidFields(problems);
      // Nobody knows this password; the account opens only through the link.
      const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
      let created: { account: Account; link: PasswordLinkIssued };
      try {
        created = await db.kysely.transaction().execute(async (trx) => {
          const id = await store.insertAccount(trx, ctx.tenantId, {
            kind: 'staff',
            username,
            displayName,
            passwordHash,
            departmentId: dept.id,
            divisionCode: dept.divisionCode,
            email,
          });
          await appendAudit(trx, ctx, {
            action: 'account.staff_created',
            objectType: 'account',
            objectId: String(id),
            // The address's domain only, as for 'account.email_changed' (see setEmail).
            detail: {
              username,
              departmentId: dept.id,
              divisionCode: dept.divisionCode,
              emailDomain: domainOf(email),
            },
          });
          const account = (await store.findAccount(trx, ctx.tenantId, id))!;
          return { account, link: await issueLink(ctx, account, 'setup', trx) };
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw new DomainError('conflict', 'identity.staff.username_taken', { username }, [
            { field: 'username', code: 'identity.staff.username_taken', params: { username } },
          ]);
        throw e;
      }
      // The account exists now, whatever the mail server says.
      const delivery = await deliver(ctx, created.account, created.link, 'setup', site);
      return { ...created, delivery };
    },

    /**
     * A one-time link to set a new password (an administrator's reset); the old one keeps working until
     * then. Sent by e-mail as at creation, when `site` is given and the account has an address.
     */
    async resetPassword(ctx: AuditContext, id: number, site?: LinkSite): Promise<IssuedLink> {
      const a = await staffFor(ctx, id, 'staff.manage');
      if (ctx.actor && ctx.actor.accountId === id)
        throw new DomainError('forbidden', 'identity.staff.not_self');
      const link = await db.kysely.transaction().execute((trx) => issueLink(ctx, a, 'reset', trx));
      return { link, delivery: await deliver(ctx, a, link, 'reset', site) };
    },

    /**
     * Sets or removes ('' or null) a staff member's work e-mail address; system administrators, within
     * their jurisdiction, never their own.
     *
     * Audited as 'account.email_changed' with the old and new domains, not the addresses. Decision: a
     * civil servant's address at work is not a sensitive identifier, but it is personal information,
     * and the audit chain can never be edited and is exported by auditors; the account id already says
     * whose it is. What an auditor needs to see is whether links could now leave the organisation's
     * mail (a change to another domain). Redirecting links gives an administrator no new power: the
     * same administrator can have a reset link shown to them anyway.
     */
    async setEmail(ctx: AuditContext, id: number, raw: string | null): Promise<void> {
      const a = await staffFor(ctx, id, 'staff.manage');
      if (ctx.actor && ctx.actor.accountId === id)
        throw new DomainError('forbidden', 'identity.staff.not_self');
      const email = normalizeEmail(raw);
      if (email === undefined) throw invalidFields([{ field: 'email', code: 'identity.staff.email_format' }]);
      if (email === a.email) return;
      await db.kysely.transaction().execute(async (trx) => {
        await staffStore.setEmail(trx, ctx.tenantId, id, email);
        await appendAudit(trx, ctx, {
          action: 'account.email_changed',
          objectType: 'account',
          objectId: String(id),
          detail: { from: domainOf(a.email), to: domainOf(email) },
        });
      });
    },

    /** Disables (every session ends) or re-enables a staff account. */
    async setStatus(ctx: AuditContext, id: number, status: 'active' | 'disabled'): Promise<void> {
      await staffFor(ctx, id, 'staff.manage');
      if (ctx.actor && ctx.actor.accountId === id)
        throw new DomainError('forbidden', 'identity.staff.not_self');
      await db.kysely.transaction().execute(async (trx) => {
        await staffStore.setStatus(trx, ctx.tenantId, id, status);
        if (status === 'disabled') await store.deleteSessionsOf(trx, ctx.tenantId, id);
        await appendAudit(trx, ctx, {
          action: status === 'disabled' ? 'account.disabled' : 'account.enabled',
          objectType: 'account',
          objectId: String(id),
        });
      });
    },

    roles: (tenantId: string) => roleStore.listRoles(db.kysely, tenantId),
    holderCounts: (tenantId: string) => roleStore.holderCounts(db.kysely, tenantId),

    /**
     * Grants a role. Refused for oneself, for a role of another kind of account, and when the account
     * would then hold two separated duties (or audit plus business) — all audited when they succeed.
     */
    async grant(ctx: AuditContext, id: number, roleCode: string): Promise<void> {
      const a = await staffFor(ctx, id, 'role.grant');
      if (ctx.actor && ctx.actor.accountId === id)
        throw new DomainError('forbidden', 'identity.staff.not_self');
      const role = await roleStore.findRole(db.kysely, ctx.tenantId, roleCode);
      const roleProblem = (code: string, params = {}) => invalidFields([{ field: 'role', code, params }]);
      if (!role) throw roleProblem('identity.role.unknown', { role: roleCode });
      if (role.kind !== a.kind) throw roleProblem('identity.role.wrong_kind', { role: roleCode });
      await db.kysely.transaction().execute(async (trx) => {
        // The account's row is locked while its roles are read and the grant is written, so two grants
        // sent together cannot each pass the duty check and together give two separated duties.
        await staffStore.lockAccount(trx, ctx.tenantId, id);
        const held = await roleStore.rolesOf(trx, ctx.tenantId, id);
        const conflict = dutyConflict([...held.flatMap((r) => r.permissions), ...role.permissions]);
        if (conflict) throw roleProblem(conflict, { role: roleCode });
        const added = await roleStore.insertGrant(trx, ctx.tenantId, id, roleCode, ctx.actorId);
        if (!added) return;
        await appendAudit(trx, ctx, {
          action: 'account.role_granted',
          objectType: 'account',
          objectId: String(id),
          detail: { role: roleCode },
        });
      });
    },

    async revoke(ctx: AuditContext, id: number, roleCode: string): Promise<void> {
      await staffFor(ctx, id, 'role.grant');
      if (ctx.actor && ctx.actor.accountId === id)
        throw new DomainError('forbidden', 'identity.staff.not_self');
      await db.kysely.transaction().execute(async (trx) => {
        const removed = await roleStore.deleteGrant(trx, ctx.tenantId, id, roleCode);
        if (!removed) return;
        await appendAudit(trx, ctx, {
          action: 'account.role_revoked',
          objectType: 'account',
          objectId: String(id),
          detail: { role: roleCode },
        });
      });
    },

    /** Whether a password link can still be used, and for whom (shown on its page). */
    async peekLink(token: string) {
      const link = await usableLink(token);
      if (!link) return undefined;
      const account = await store.findAccount(db.kysely, link.tenantId, link.accountId);
      return account && { purpose: link.purpose, account };
    },

    /**
     * Sets the password through a one-time link. The link works once; every session of the account
     * ends, and the person signs in with the new password (then a second factor, if their roles need it).
     */
    async useLink(ctx: AuditContext, token: string, password: string): Promise<Account> {
      const link = await usableLink(token);
      if (!link || link.tenantId !== ctx.tenantId)
        throw new DomainError('not_found', 'identity.password_link.invalid');
      const account = await store.findAccount(db.kysely, link.tenantId, link.accountId);
      if (!account || account.status !== 'active')
        throw new DomainError('not_found', 'identity.password_link.invalid');
      const problems = passwordProblems(password, { username: account.username });
      if (problems.length > 0) throw invalidFields(problems);
      const hash = await hashPassword(password);
      await db.kysely.transaction().execute(async (trx) => {
        if (!(await staffStore.usePasswordLink(trx, linkHashOf(token))))
          throw new DomainError('not_found', 'identity.password_link.invalid');
        await store.setPassword(trx, account.tenantId, account.id, hash);
        await store.deleteSessionsOf(trx, account.tenantId, account.id);
        await appendAudit(
          trx,
          {
            ...ctx,
            actorId: `account:${account.id}`,
            actorRole: account.kind,
            actorDivision: account.divisionCode ?? '',
          },
          {
            action: 'account.password_set_by_link',
            objectType: 'account',
            objectId: String(account.id),
            detail: { purpose: link.purpose },
          },
        );
      });
      return account;
    },

    securitySettings: async (tenantId: string) => ({
      passwordMaxAgeDays: await store.passwordMaxAgeDays(db.kysely, tenantId),
    }),

    /** The site's password expiry (null: never); security administrators only. */
    async setSecuritySettings(
      ctx: AuditContext,
      input: { passwordMaxAgeDays: number | null },
    ): Promise<void> {
      authorizeActing(ctx, 'security.policy');
      const days = input.passwordMaxAgeDays;
      if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650))
        throw invalidFields([{ field: 'passwordMaxAgeDays', code: 'identity.security.max_age_range' }]);
      await db.kysely.transaction().execute(async (trx) => {
        await store.setPasswordMaxAgeDays(trx, ctx.tenantId, days);
        await appendAudit(trx, ctx, {
          action: 'tenant.security_settings_changed',
          objectType: 'tenant',
          objectId: ctx.tenantId,
          detail: { passwordMaxAgeDays: days },
        });
      });
    },

    /** Creates a staff account with a password and roles directly: for seeding demo data and the CLI. */
    async seed(ctx: AuditContext, input: NewStaff & { password: string; roles: string[] }): Promise<Account> {
      const { account } = await this.create(ctx, input);
      const problems = passwordProblems(input.password, { username: account.username });
      if (problems.length > 0) throw invalidFields(problems);
      await store.setPassword(db.kysely, ctx.tenantId, account.id, await hashPassword(input.password));
      for (const r of input.roles) await this.grant(ctx, account.id, r);
      return account;
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
