/**
 * Accounts and sessions: registration of natural and legal persons, login with lockout, logout (here
 * and everywhere), password change. Every outcome that matters to security is in the audit chain.
 */
import { randomBytes } from 'node:crypto';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { lookupHash, sm3, type Sm4Keyring } from '../../kernel/crypto/index.ts';
import { isUniqueViolation, type Database, type Executor } from '../../kernel/db/index.ts';
import { DomainError, invalidFields, type FieldProblem } from '../../kernel/errors.ts';
import { checkCitizenId, checkCreditCode } from '../../kernel/identifiers/index.ts';
import * as store from './account.store.ts';
import type { Account, SessionStage } from './account.store.ts';
import { burnPasswordCheck, hashPassword, passwordProblems, verifyPassword } from './password.ts';
import * as roleStore from './role.store.ts';
import type { Role } from './role.store.ts';

export const LOCKOUT = { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;
const TOUCH_EVERY_MS = 60_000;

export interface IdentityDeps {
  /** A staff member's department, from the org module: their jurisdiction follows it when it moves. */
  findDepartment?: (tenantId: string, id: number) => Promise<{ divisionCode: string } | undefined>;
  db: Database;
  keyring: Sm4Keyring;
  lookupKey: Buffer;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
}

export interface Registration {
  kind: 'person' | 'enterprise';
  username: string;
  displayName: string;
  password: string;
  idNumber?: string | undefined;
  creditCode?: string | undefined;
}

export interface Session {
  account: Account;
  tokenHash: string;
  expiresAt: Date;
  /** 'active' acts as the account; any other stage may only finish signing in (see stageAfter). */
  stage: SessionStage;
  roles: Role[];
}

/** The steps of signing in, in order; each is owed or not, depending on the account. */
const STEPS = ['password', 'mfa', 'password_change', 'mfa_enrol'] as const;
export type SignInStep = (typeof STEPS)[number];

export interface Owed {
  /** the account has TOTP: the code is owed after the password */
  mfaEnabled: boolean;
  /** reset by an administrator, or older than the site's maximum age */
  passwordExpired: boolean;
  /** a role held requires a second factor (administrative and audit roles) */
  mfaRequired: boolean;
}

/** The stage a session reaches once `done` is finished: the next step still owed, or 'active'. */
export function stageAfter(done: SignInStep, owed: Owed): SessionStage {
  const isOwed: Record<Exclude<SignInStep, 'password'>, boolean> = {
    mfa: owed.mfaEnabled,
    password_change: owed.passwordExpired,
    mfa_enrol: owed.mfaRequired && !owed.mfaEnabled,
  };
  for (const step of STEPS.slice(STEPS.indexOf(done) + 1)) {
    if (step !== 'password' && isOwed[step]) return step;
  }
  return 'active';
}

/** How the audit chain names what an account acts as: its kind, and for staff the roles held. */
export function roleLabel(account: Account, roles: readonly Role[]): string {
  return account.kind === 'staff' ? `staff:${roles.map((r) => r.code).join('+')}` : account.kind;
}

export type SessionLookup =
  { state: 'ok'; session: Session } | { state: 'expired' } | { state: 'other_site' } | { state: 'none' };

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;

export const normalizeUsername = (u: string) => u.trim().toLowerCase();
const tokenHashOf = (token: string) => sm3(`yiwang.session:${token}`);

export function createAccountService(deps: IdentityDeps) {
  const { db, keyring, lookupKey } = deps;

  async function openSession(
    ctx: AuditContext,
    account: Account,
    roles: Role[],
    stage: SessionStage,
    ex: Executor = db.kysely,
    expiresAt = new Date(Date.now() + deps.sessionAbsoluteMs),
  ): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const session: Session = { account, tokenHash: tokenHashOf(token), expiresAt, stage, roles };
    await store.insertSession(ex, {
      tenantId: account.tenantId,
      accountId: account.id,
      tokenHash: session.tokenHash,
      expiresAt: session.expiresAt,
      ip: ctx.ip,
      userAgent: ctx.userAgent.slice(0, 300),
      stage,
    });
    return { token, session };
  }

  async function owedBy(account: Account, roles: readonly Role[]): Promise<Owed> {
    const maxAgeDays = await store.passwordMaxAgeDays(db.kysely, account.tenantId);
    const tooOld =
      maxAgeDays !== null && account.passwordChangedAt.getTime() + maxAgeDays * 86_400_000 < Date.now();
    return {
      mfaEnabled: account.mfaEnabledAt !== null,
      passwordExpired: account.mustChangePassword || tooOld,
      mfaRequired: roles.some((r) => r.requiresMfa),
    };
  }

  /**
   * Finishes a step of signing in: the session moves to the next owed step, or becomes active. The
   * session gets a new id (token) when it becomes active after a second factor, as at any login.
   */
  async function advance(
    ctx: AuditContext,
    session: Session,
    done: SignInStep,
    account: Account = session.account,
  ): Promise<{ token: string | null; session: Session }> {
    const roles = await roleStore.rolesOf(db.kysely, account.tenantId, account.id);
    const stage = stageAfter(done, await owedBy(account, roles));
    if (done === 'mfa') {
      return db.kysely.transaction().execute(async (trx) => {
        await store.deleteSession(trx, account.tenantId, session.tokenHash);
        return openSession(ctx, account, roles, stage, trx, session.expiresAt);
      });
    }
    await store.setSessionStage(db.kysely, account.tenantId, session.tokenHash, stage);
    return { token: null, session: { ...session, account, roles, stage } };
  }

  return {
    async register(ctx: AuditContext, input: Registration): Promise<Account> {
      const username = normalizeUsername(input.username);
      const displayName = input.displayName.trim();
      const problems: FieldProblem[] = [];
      if (!USERNAME.test(username))
        problems.push({ field: 'username', code: 'identity.account.username_format' });
      if (displayName.length === 0 || displayName.length > 100) {
        problems.push({ field: 'displayName', code: 'identity.account.display_name_length' });
      }
      let idNumber: string | undefined;
      let creditCode: string | undefined;
      if (input.kind === 'person') {
        const id = checkCitizenId(input.idNumber ?? '');
        if (id.valid) idNumber = id.normalized;
        else problems.push({ field: 'idNumber', code: id.reason });
      } else {
        const cc = checkCreditCode(input.creditCode ?? '');
        if (cc.valid) creditCode = cc.normalized;
        else problems.push({ field: 'creditCode', code: cc.reason });
      }
      problems.push(...passwordProblems(input.password, { username, idNumber }));
      if (problems.length > 0) throw invalidFields(problems);

      const idNumberHash = idNumber ? lookupHash(lookupKey, 'citizen-id', idNumber) : null;
      // One answer for every kind of clash, so registration cannot be used to learn who has an account.
      const clash = new DomainError('conflict', 'identity.account.registration_conflict');
      if (idNumberHash && (await store.idNumberTaken(db.kysely, ctx.tenantId, idNumberHash))) throw clash;
      const passwordHash = await hashPassword(input.password);
      try {
        return await db.kysely.transaction().execute(async (trx) => {
          const id = await store.insertAccount(trx, ctx.tenantId, {
            kind: input.kind,
            username,
            displayName,
            passwordHash,
            idNumberEnc: idNumber ? keyring.encrypt(idNumber) : null,
            idNumberHash,
            creditCode: creditCode ?? null,
          });
          const role = input.kind === 'person' ? 'citizen' : 'enterprise';
          await roleStore.insertGrant(trx, ctx.tenantId, id, role, 'registration');
          await appendAudit(
            trx,
            { ...ctx, actorId: `account:${id}`, actorRole: input.kind },
            {
              action: 'account.registered',
              objectType: 'account',
              objectId: String(id),
              detail: { kind: input.kind, username },
            },
          );
          return (await store.findAccount(trx, ctx.tenantId, id))!;
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw clash;
        throw e;
      }
    },

    /**
     * Checks a name and password. Unknown names, wrong passwords and disabled accounts get one answer
     * in about the same time; five failures for a name within 15 minutes lock it for 15 minutes.
     */
    async login(ctx: AuditContext, typedUsername: string, password: string) {
      const username = normalizeUsername(typedUsername).slice(0, 64);
      const now = Date.now();
      const attempt = await store.beginAttempt(
        db.kysely,
        ctx.tenantId,
        username,
        ctx.ip,
        new Date(now - LOCKOUT.windowMs),
        LOCKOUT.failures,
      );
      const failures = attempt.earlier;
      const lockedUntil =
        failures.length >= LOCKOUT.failures ? failures[LOCKOUT.failures - 1]!.getTime() + LOCKOUT.lockMs : 0;
      if (lockedUntil > now) {
        // Refused while locked, it still counts: attempts that raced each other all count, and a name
        // under attack stays locked while the attack goes on.
        await burnPasswordCheck(password);
        await appendAudit(db.kysely, ctx, {
          action: 'session.login_refused',
          objectType: 'username',
          objectId: username,
          result: 'denied',
          detail: { reason: 'locked' },
        });
        throw new DomainError('forbidden', 'identity.login.locked', {
          minutes: Math.ceil((lockedUntil - now) / 60_000),
        });
      }
      const found = await store.findLogin(db.kysely, ctx.tenantId, username);
      const ok = found
        ? await verifyPassword(found.passwordHash, password)
        : await burnPasswordCheck(password);
      if (!found || !ok || found.status !== 'active') {
        // The failure is recorded already (beginAttempt); here it is audited.
        await db.kysely.transaction().execute(async (trx) => {
          await appendAudit(trx, ctx, {
            action: 'session.login_failed',
            objectType: 'username',
            objectId: username,
            result: 'failure',
            detail: { reason: !found ? 'unknown_name' : !ok ? 'password' : 'disabled' },
          });
          if (failures.length + 1 >= LOCKOUT.failures) {
            await appendAudit(trx, ctx, {
              action: 'session.locked_out',
              objectType: 'username',
              objectId: username,
              result: 'denied',
              detail: { minutes: LOCKOUT.lockMs / 60_000 },
            });
          }
        });
        throw new DomainError('unauthorized', 'identity.login.failed');
      }
      const { passwordHash: _h, ...account } = found;
      await store.clearFailures(db.kysely, ctx.tenantId, username);
      const roles = await roleStore.rolesOf(db.kysely, ctx.tenantId, account.id);
      const stage = stageAfter('password', await owedBy(account, roles));
      const opened = await openSession(ctx, account, roles, stage);
      await appendAudit(
        db.kysely,
        {
          ...ctx,
          actorId: `account:${account.id}`,
          actorRole: roleLabel(account, roles),
          actorDivision: account.divisionCode ?? '',
        },
        {
          action: 'session.login',
          objectType: 'account',
          objectId: String(account.id),
          // A stage other than active: the password was right, a second factor or new password is owed.
          detail: { stage },
        },
      );
      return opened;
    },

    /** The session a cookie token names, if it is valid on this site now; refreshes its idle clock. */
    async resolve(tenantId: string, token: string): Promise<SessionLookup> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: 'none' };
      const found = await store.findSessionWithAccount(db.kysely, tokenHashOf(token));
      if (!found) return { state: 'none' };
      const row = found.session;
      if (row.tenantId !== tenantId) return { state: 'other_site' };
      const now = Date.now();
      if (row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + deps.sessionIdleMs <= now) {
        await store.deleteSession(db.kysely, tenantId, row.tokenHash);
        return { state: 'expired' };
      }
      let account = found.account;
      if (!account || account.status !== 'active') return { state: 'expired' };
      if (account.kind === 'staff' && account.departmentId !== null && deps.findDepartment) {
        // The jurisdiction is the department's division now, not when the account was created.
        const dept = await deps.findDepartment(tenantId, account.departmentId);
        if (dept && dept.divisionCode !== account.divisionCode) {
          await store.setDivision(db.kysely, tenantId, account.id, dept.divisionCode);
          account = { ...account, divisionCode: dept.divisionCode };
        }
      }
      const roles = found.roles;
      let stage = row.stage;
      // A role that needs a second factor, granted while this session was open, waits for enrolment.
      if (stage === 'active' && account.mfaEnabledAt === null && roles.some((r) => r.requiresMfa)) {
        stage = 'mfa_enrol';
        await store.setSessionStage(db.kysely, tenantId, row.tokenHash, stage);
      }
      if (now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS)
        await store.touchSession(db.kysely, tenantId, row.tokenHash);
      return {
        state: 'ok',
        session: { account, tokenHash: row.tokenHash, expiresAt: row.expiresAt, stage, roles },
      };
    },

    async logout(ctx: AuditContext, session: Session): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        await store.deleteSession(trx, session.account.tenantId, session.tokenHash);
        await appendAudit(trx, ctx, {
          action: 'session.logout',
          objectType: 'account',
          objectId: String(session.account.id),
        });
      });
    },

    async logoutEverywhere(ctx: AuditContext, account: Account): Promise<number> {
      return db.kysely.transaction().execute(async (trx) => {
        const n = await store.deleteSessionsOf(trx, account.tenantId, account.id);
        await appendAudit(trx, ctx, {
          action: 'session.logout_everywhere',
          objectType: 'account',
          objectId: String(account.id),
          detail: { sessions: n },
        });
        return n;
      });
    },

    hasAccounts: (tenantId: string) => store.anyAccount(db.kysely, tenantId),

    sessionsOf: (account: Account) => store.listSessions(db.kysely, account.tenantId, account.id),

    /** Finishes a step of signing in (see stageAfter); a new token when the session id changes. */
    advance,
    /** Opens a session for an account whose sign-in another service has checked (a password link). */
    openSession,

    /**
     * Changes the password after checking the current one; every other session of the account ends.
     * A session that owed a new password moves on to its next step.
     */
    async changePassword(
      ctx: AuditContext,
      session: Session,
      current: string,
      next: string,
    ): Promise<SessionStage> {
      const account = session.account;
      const hash = await store.passwordHashOf(db.kysely, account.tenantId, account.id);
      if (!hash || !(await verifyPassword(hash, current))) {
        throw invalidFields([{ field: 'currentPassword', code: 'identity.password.current_wrong' }]);
      }
      const idNumber = account.idNumberEnc ? keyring.decrypt(account.idNumberEnc) : undefined;
      const problems = passwordProblems(next, { username: account.username, idNumber }, 'newPassword');
      if (next === current) problems.push({ field: 'newPassword', code: 'identity.password.unchanged' });
      if (problems.length > 0) throw invalidFields(problems);
      const newHash = await hashPassword(next);
      await db.kysely.transaction().execute(async (trx) => {
        await store.setPassword(trx, account.tenantId, account.id, newHash);
        for (const s of await store.listSessions(trx, account.tenantId, account.id)) {
          if (s.tokenHash !== session.tokenHash)
            await store.deleteSession(trx, account.tenantId, s.tokenHash);
        }
        await appendAudit(trx, ctx, {
          action: 'account.password_changed',
          objectType: 'account',
          objectId: String(account.id),
        });
      });
      if (session.stage !== 'password_change') return session.stage;
      const fresh = await store.findAccount(db.kysely, account.tenantId, account.id);
      return fresh ? (await advance(ctx, session, 'password_change', fresh)).session.stage : session.stage;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
