/**
 * Accounts and sessions: registration of natural and legal persons, login with lockout, logout (here
 * and everywhere), password change. Every outcome that matters to security is in the audit chain.
 */
import { randomBytes } from 'node:crypto';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { lookupHash, sm3, type Sm4Keyring } from '../../kernel/crypto/index.ts';
import { isUniqueViolation, type Database } from '../../kernel/db/index.ts';
import { DomainError, invalidFields, type FieldProblem } from '../../kernel/errors.ts';
import { checkCitizenId, checkCreditCode } from '../../kernel/identifiers/index.ts';
import * as store from './account.store.ts';
import type { Account } from './account.store.ts';
import { burnPasswordCheck, hashPassword, passwordProblems, verifyPassword } from './password.ts';

export const LOCKOUT = { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;
const TOUCH_EVERY_MS = 60_000;

export interface IdentityDeps {
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
  ): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const session: Session = {
      account,
      tokenHash: tokenHashOf(token),
      expiresAt: new Date(Date.now() + deps.sessionAbsoluteMs),
    };
    await store.insertSession(db.kysely, {
      tenantId: account.tenantId,
      accountId: account.id,
      tokenHash: session.tokenHash,
      expiresAt: session.expiresAt,
      ip: ctx.ip,
      userAgent: ctx.userAgent.slice(0, 300),
    });
    return { token, session };
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
      const failures = await store.recentFailures(
        db.kysely,
        ctx.tenantId,
        username,
        new Date(now - LOCKOUT.windowMs),
        LOCKOUT.failures,
      );
      const lockedUntil =
        failures.length >= LOCKOUT.failures ? failures[LOCKOUT.failures - 1]!.getTime() + LOCKOUT.lockMs : 0;
      if (lockedUntil > now) {
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
        await db.kysely.transaction().execute(async (trx) => {
          await store.recordFailure(trx, ctx.tenantId, username, ctx.ip);
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
      const opened = await openSession(ctx, account);
      await appendAudit(
        db.kysely,
        { ...ctx, actorId: `account:${account.id}`, actorRole: account.kind },
        {
          action: 'session.login',
          objectType: 'account',
          objectId: String(account.id),
        },
      );
      return opened;
    },

    /** The session a cookie token names, if it is valid on this site now; refreshes its idle clock. */
    async resolve(tenantId: string, token: string): Promise<SessionLookup> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: 'none' };
      const row = await store.findSession(db.kysely, tokenHashOf(token));
      if (!row) return { state: 'none' };
      if (row.tenantId !== tenantId) return { state: 'other_site' };
      const now = Date.now();
      if (row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + deps.sessionIdleMs <= now) {
        await store.deleteSession(db.kysely, tenantId, row.tokenHash);
        return { state: 'expired' };
      }
      const account = await store.findAccount(db.kysely, tenantId, row.accountId);
      if (!account || account.status !== 'active') return { state: 'expired' };
      if (now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS)
        await store.touchSession(db.kysely, tenantId, row.tokenHash);
      return { state: 'ok', session: { account, tokenHash: row.tokenHash, expiresAt: row.expiresAt } };
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

    /** Changes the password after checking the current one; every other session of the account ends. */
    async changePassword(ctx: AuditContext, session: Session, current: string, next: string): Promise<void> {
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
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
