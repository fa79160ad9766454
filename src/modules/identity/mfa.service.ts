/**
 * Second factor (双因素认证): TOTP (RFC 6238) enrolment with a QR code and ten one-time recovery codes,
 * the code asked for after the password, and switching it off (only for accounts whose roles do not
 * require it). Wrong codes count toward the same lockout as wrong passwords.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { lookupHash, type Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { DomainError, invalidFields } from '../../kernel/errors.ts';
import { LOCKOUT, type AccountService, type Session } from './account.service.ts';
import * as store from './account.store.ts';
import * as mfaStore from './mfa.store.ts';
import { verifyPassword } from './password.ts';
import {
  newRecoveryCodes,
  newTotpEnrolment,
  normalizeRecoveryCode,
  verifyTotp,
  type TotpEnrolment,
} from './totp.ts';

export interface MfaDeps {
  db: Database;
  keyring: Sm4Keyring;
  lookupKey: Buffer;
  accounts: AccountService;
}

const recoveryHash = (key: Buffer, typed: string) => lookupHash(key, 'totp-recovery', typed);

export function createMfaService(deps: MfaDeps) {
  const { db, keyring, lookupKey, accounts } = deps;

  async function state(session: Session) {
    const a = session.account;
    const s = await mfaStore.mfaOf(db.kysely, a.tenantId, a.id);
    if (!s) throw new DomainError('unauthorized', 'identity.session.required');
    return s;
  }

  /** Refuses a code while the account is locked out; records a wrong one (and the lockout it causes). */
  async function lockoutGuard(ctx: AuditContext, session: Session) {
    const a = session.account;
    const since = new Date(Date.now() - LOCKOUT.windowMs);
    // Recorded as a failure before the code is checked, as a password is (see beginAttempt).
    const attempt = await store.beginAttempt(
      db.kysely,
      a.tenantId,
      a.username,
      ctx.ip,
      since,
      LOCKOUT.failures,
    );
    const failures = attempt.earlier;
    const lockedUntil =
      failures.length >= LOCKOUT.failures ? failures[LOCKOUT.failures - 1]!.getTime() + LOCKOUT.lockMs : 0;
    if (lockedUntil > Date.now()) {
      throw new DomainError('forbidden', 'identity.login.locked', {
        minutes: Math.ceil((lockedUntil - Date.now()) / 60_000),
      });
    }
    const wrongCode = async (): Promise<never> => {
      await db.kysely.transaction().execute(async (trx) => {
        await appendAudit(trx, ctx, {
          action: 'session.mfa_failed',
          objectType: 'account',
          objectId: String(a.id),
          result: 'failure',
        });
        if (failures.length + 1 >= LOCKOUT.failures) {
          await appendAudit(trx, ctx, {
            action: 'session.locked_out',
            objectType: 'username',
            objectId: a.username,
            result: 'denied',
            detail: { minutes: LOCKOUT.lockMs / 60_000 },
          });
        }
      });
      throw invalidFields([{ field: 'code', code: 'identity.mfa.code_wrong' }]);
    };
    return { wrongCode, succeeded: () => store.clearFailures(db.kysely, a.tenantId, a.username) };
  }

  return {
    async status(session: Session) {
      const s = await state(session);
      const left = s.enabledAt
        ? await mfaStore.unusedRecoveryCodes(db.kysely, session.account.tenantId, session.account.id)
        : 0;
      return {
        enabled: s.enabledAt !== null,
        recoveryCodesLeft: left,
        required: session.roles.some((r) => r.requiresMfa),
      };
    },

    /**
     * A new secret for the authenticator app, shown as a QR code. It replaces any earlier one not yet
     * confirmed; it becomes the account's second factor only once a code from it is confirmed.
     */
    async startEnrolment(
      session: Session,
      issuer: string,
      options: { again?: boolean } = {},
    ): Promise<TotpEnrolment> {
      const a = session.account;
      const s = await state(session);
      if (s.enabledAt) throw new DomainError('conflict', 'identity.mfa.already_enabled');
      // After a mistyped code the pending secret is shown again: the app may already hold it.
      if (options.again && s.secretEnc)
        return newTotpEnrolment(issuer, a.username, keyring.decrypt(s.secretEnc));
      const enrolment = await newTotpEnrolment(issuer, a.username);
      await mfaStore.setPendingSecret(db.kysely, a.tenantId, a.id, keyring.encrypt(enrolment.secret));
      return enrolment;
    },

    /** Confirms the pending secret with a code from the app; returns the recovery codes, shown once. */
    async confirmEnrolment(
      ctx: AuditContext,
      session: Session,
      code: string,
    ): Promise<{ recoveryCodes: string[]; token: string | null }> {
      const a = session.account;
      const s = await state(session);
      if (s.enabledAt) throw new DomainError('conflict', 'identity.mfa.already_enabled');
      if (!s.secretEnc) throw invalidFields([{ field: 'code', code: 'identity.mfa.no_pending_secret' }]);
      const guard = await lockoutGuard(ctx, session);
      const step = verifyTotp(keyring.decrypt(s.secretEnc), code);
      if (step === null) return guard.wrongCode();
      await guard.succeeded();
      const codes = newRecoveryCodes();
      await db.kysely.transaction().execute(async (trx) => {
        await mfaStore.enable(trx, a.tenantId, a.id, step);
        await mfaStore.replaceRecoveryCodes(
          trx,
          a.tenantId,
          a.id,
          codes.map((c) => recoveryHash(lookupKey, normalizeRecoveryCode(c))),
        );
        await appendAudit(trx, ctx, {
          action: 'account.mfa_enabled',
          objectType: 'account',
          objectId: String(a.id),
          detail: { method: 'totp' },
        });
      });
      let token: string | null = null;
      if (session.stage === 'mfa_enrol') {
        const fresh = await store.findAccount(db.kysely, a.tenantId, a.id);
        if (fresh) token = (await accounts.advance(ctx, session, 'mfa_enrol', fresh)).token;
      }
      return { recoveryCodes: codes, token };
    },

    /**
     * The code asked for after the password: a TOTP code (each used once) or a recovery code. The session
     * gets a new id and moves on to its next step, usually active.
     */
    async verify(
      ctx: AuditContext,
      session: Session,
      code: string,
    ): Promise<{ token: string | null; session: Session }> {
      if (session.stage !== 'mfa') throw new DomainError('conflict', 'identity.mfa.not_asked');
      const a = session.account;
      const s = await state(session);
      if (!s.enabledAt || !s.secretEnc) throw new DomainError('conflict', 'identity.mfa.not_asked');
      const guard = await lockoutGuard(ctx, session);
      let method: 'totp' | 'recovery' | null = null;
      const step = verifyTotp(keyring.decrypt(s.secretEnc), code, { notAfterStep: s.lastStep });
      if (step !== null && (await mfaStore.useStep(db.kysely, a.tenantId, a.id, step))) method = 'totp';
      if (!method) {
        const typed = normalizeRecoveryCode(code);
        if (
          typed &&
          (await mfaStore.useRecoveryCode(db.kysely, a.tenantId, a.id, recoveryHash(lookupKey, typed)))
        )
          method = 'recovery';
      }
      if (!method) return guard.wrongCode();
      await guard.succeeded();
      await appendAudit(db.kysely, ctx, {
        action: 'session.mfa_passed',
        objectType: 'account',
        objectId: String(a.id),
        detail: { method },
      });
      return accounts.advance(ctx, session, 'mfa');
    },

    /** Switches TOTP off after checking the password; refused while a role held requires it. */
    async disable(ctx: AuditContext, session: Session, password: string): Promise<void> {
      const a = session.account;
      if (session.roles.some((r) => r.requiresMfa))
        throw new DomainError('forbidden', 'identity.mfa.required_by_role');
      const hash = await store.passwordHashOf(db.kysely, a.tenantId, a.id);
      if (!hash || !(await verifyPassword(hash, password)))
        throw invalidFields([{ field: 'password', code: 'identity.password.current_wrong' }]);
      await db.kysely.transaction().execute(async (trx) => {
        await mfaStore.disable(trx, a.tenantId, a.id);
        await appendAudit(trx, ctx, {
          action: 'account.mfa_disabled',
          objectType: 'account',
          objectId: String(a.id),
        });
      });
    },
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
