/**
 * identity — accounts, sessions, (soon) roles and the policy that decides every access.
 * Today: registration of natural and legal persons, login with lockout, server-side sessions, logout
 * here and everywhere, password change, and the public identifier checks (GB 11643, GB 32100).
 */
import type { FastifyInstance } from 'fastify';
import { systemContext } from '../../kernel/audit/index.ts';
import type { Config } from '../../kernel/config/index.ts';
import { Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { accountPages } from './account.pages.tsx';
import { accountRoutes } from './account.routes.ts';
import { createAccountService } from './account.service.ts';
import { identifierRoutes } from './identifiers.routes.ts';
import { registerSessions } from './session.http.ts';

export { LOCKOUT } from './account.service.ts';

/**
 * Demo accounts seeded with the demo region, printed at start. Fabricated identifiers with correct
 * check characters; the passwords are public, so SEED_DEMO is off in production.
 */
export const DEMO_ACCOUNTS = [
  {
    kind: 'person',
    username: 'demo.citizen',
    password: 'Demo#2026citizen',
    displayName: '张演示',
    idNumber: '33010619900101123X',
  },
  {
    kind: 'enterprise',
    username: 'demo.company',
    password: 'Demo#2026company',
    displayName: '一网演示科技有限公司',
    creditCode: '91330106MA2DEM0091',
  },
] as const;
export type { Account } from './account.store.ts';

export function createIdentityModule(db: Database, config: Config) {
  const keyring = new Sm4Keyring(config.piiKeys, config.piiKeyCurrent);
  const accounts = createAccountService({
    db,
    keyring,
    lookupKey: config.piiLookupKey,
    sessionIdleMs: config.sessionIdleMinutes * 60_000,
    sessionAbsoluteMs: config.sessionAbsoluteHours * 3_600_000,
  });
  const http = {
    accounts,
    keyring,
    secureCookies: config.nodeEnv === 'production',
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    db,
  };
  return {
    accounts,
    /** Reads the session cookie into the request's actor; register before any route. */
    sessions(app: FastifyInstance) {
      registerSessions(app, accounts, db);
    },
    /** Registers the demo accounts on a site that has no account yet; returns whether it did. */
    async seedDemoAccounts(tenantId: string): Promise<boolean> {
      if (await accounts.hasAccounts(tenantId)) return false;
      for (const a of DEMO_ACCOUNTS) await accounts.register(systemContext(tenantId), a);
      return true;
    },
    async routes(app: FastifyInstance) {
      await identifierRoutes(app);
      await accountRoutes(app, http);
      accountPages(app, http);
    },
  };
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;
