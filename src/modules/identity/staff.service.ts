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
}

export interface NewStaff {
  username: string;
  displayName: string;
  departmentId: number;
}

export interface PasswordLinkIssued {
  token: string;
  /** The path of the page where the link is used: /password/<token> */
  path: string;
  expiresAt: Date;
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

  return {
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
     * the result carries a one-time link (shown to the administrator) where the person sets one.
     */
    async create(
      ctx: AuditContext,
      input: NewStaff,
    ): Promise<{ account: Account; link: PasswordLinkIssued }> {
      const username = normalizeUsername(input.username);
      const displayName = input.displayName.trim();
      const problems: FieldProblem[] = [];
      if (!USERNAME.test(username))
        problems.push({ field: 'username', code: 'identity.account.username_format' });
      if (displayName.length === 0 || displayName.length > 100)
        problems.push({ field: 'displayName', code: 'identity.account.display_name_length' });
      const dept = await deps.findDepartment(ctx.tenantId, input.departmentId);
      const deptProblem = { field: 'departmentId', code: 'identity.staff.department_unknown' };
      if (!dept || !dept.active) problems.push(deptProblem);
      else
        authorizeActing(ctx, 'staff.manage', { division: dept.divisionCode }, () =>
          invalidFields([deptProblem]),
        );
      if (problems.length > 0 || !dept) throw invalidFields(problems);
      // Nobody knows this password; the account opens only through the link.
      const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
      try {
        return await db.kysely.transaction().execute(async (trx) => {
          const id = await store.insertAccount(trx, ctx.tenantId, {
            kind: 'staff',
            username,
            displayName,
            passwordHash,
            departmentId: dept.id,
            divisionCode: dept.divisionCode,
          });
          await appendAudit(trx, ctx, {
            action: 'account.staff_created',
            objectType: 'account',
            objectId: String(id),
            detail: { username, departmentId: dept.id, divisionCode: dept.divisionCode },
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
    },

    /** A one-time link to set a new password (an administrator's reset); the old one keeps working until then. */
    async resetPassword(ctx: AuditContext, id: number): Promise<PasswordLinkIssued> {
      const a = await staffFor(ctx, id, 'staff.manage');
      if (ctx.actor && ctx.actor.accountId === id)
        throw new DomainError('forbidden', 'identity.staff.not_self');
      return db.kysely.transaction().execute((trx) => issueLink(ctx, a, 'reset', trx));
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
      const held = await roleStore.rolesOf(db.kysely, ctx.tenantId, id);
      const conflict = dutyConflict([...held.flatMap((r) => r.permissions), ...role.permissions]);
      if (conflict) throw roleProblem(conflict, { role: roleCode });
      await db.kysely.transaction().execute(async (trx) => {
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
