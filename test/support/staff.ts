/**
 * Signing in as staff in tests, through the real login: a staff account is created in a department of
 * the division asked for (created if there is none), given the roles, logged in over HTTP, and — when a
 * role requires a second factor — enrolled in TOTP with codes computed from the secret, as an
 * authenticator app would. Returns the cookie header to send.
 */
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { systemContext } from '../../src/kernel/audit/index.ts';
import type { Yiwang } from '../../src/app.ts';

export interface StaffLogin {
  cookie: string;
  accountId: number;
  username: string;
  password: string;
  /** The TOTP secret, when the account enrolled. */
  totpSecret: string | null;
}

export function totpCode(secret: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: at,
  });
}

export async function createStaff(
  yiwang: Yiwang,
  options: { roles: string[]; divisionCode?: string; tenantId?: string; departmentName?: string },
): Promise<{ accountId: number; username: string; password: string }> {
  const tenantId = options.tenantId ?? '330000';
  const divisionCode = options.divisionCode ?? tenantId;
  const ctx = systemContext(tenantId);
  const existing = await yiwang.org.departments.list(tenantId, {
    divisionCode,
    includeInactive: false,
    limit: 500,
    offset: 0,
  });
  const named = options.departmentName
    ? existing.items.find((d) => d.name === options.departmentName)
    : existing.items[0];
  if (options.departmentName && !named) throw new Error(`no department ${options.departmentName}`);
  const department =
    named ??
    (await yiwang.org.departments.create(ctx, {
      divisionCode,
      name: `测试部门${randomBytes(3).toString('hex')}`,
      type: 'general_office',
    }));
  const username = `t.${randomBytes(5).toString('hex')}`;
  const password = `Test#${randomBytes(6).toString('hex')}X`;
  const account = await yiwang.identity.staff.seed(ctx, {
    username,
    displayName: `测试${options.roles.join('+')}`,
    departmentId: department.id,
    password,
    roles: options.roles,
  });
  return { accountId: account.id, username, password };
}

function sessionCookieOf(setCookie: string | string[] | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const c = all.find((x) => x.startsWith('yw_session='));
  if (!c) throw new Error('no session cookie was set');
  return c.split(';')[0]!;
}

/** Signs an existing account in through the API (a demo login, say); the cookie header to send. */
export async function signIn(yiwang: Yiwang, username: string, password: string): Promise<string> {
  const res = await yiwang.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username, password },
  });
  if (res.statusCode !== 200)
    throw new Error(`sign-in of ${username} answered ${res.statusCode}: ${res.body}`);
  return sessionCookieOf(res.headers['set-cookie']);
}

/**
 * A staff member holding `roles` in `divisionCode` (default: the demo site's province), signed in.
 * `host` is the host name to log in on: the site's own, when `tenantId` is not the default site.
 */
export async function signInStaff(
  yiwang: Yiwang,
  options: {
    roles: string[];
    divisionCode?: string;
    tenantId?: string;
    host?: string;
    departmentName?: string;
  },
): Promise<StaffLogin> {
  const { accountId, username, password } = await createStaff(yiwang, options);
  const res = await yiwang.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    headers: options.host ? { host: options.host } : {},
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`staff login failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookieOf(res.headers['set-cookie']);
  const session = await yiwang.identity.accounts.resolve(options.tenantId ?? '330000', cookie.split('=')[1]!);
  if (session.state !== 'ok') throw new Error(`staff session not found: ${session.state}`);
  let totpSecret: string | null = null;
  if (session.session.stage === 'mfa_enrol') {
    const enrolment = await yiwang.identity.mfa.startEnrolment(session.session, 'test');
    totpSecret = enrolment.secret;
    await yiwang.identity.mfa.confirmEnrolment(
      systemContext(options.tenantId ?? '330000', `account:${accountId}`),
      session.session,
      totpCode(enrolment.secret),
    );
  }
  return { cookie, accountId, username, password, totpSecret };
}
