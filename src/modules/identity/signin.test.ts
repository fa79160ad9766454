import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createStaff, totpCode } from '../../../test/support/staff.ts';
import { stageAfter } from './account.service.ts';

const cookieOf = (res: { headers: Record<string, unknown> }): string => {
  const set = res.headers['set-cookie'];
  const all = Array.isArray(set) ? (set as string[]) : typeof set === 'string' ? [set] : [];
  const c = all.find((x) => x.startsWith('yw_session=') && !x.startsWith('yw_session=;'));
  assert.ok(c, 'a session cookie');
  return c.split(';')[0]!.slice('yw_session='.length);
};

describe('the steps of signing in', () => {
  it('are owed in order: code, new password, enrolment', () => {
    const none = { mfaEnabled: false, passwordExpired: false, mfaRequired: false };
    assert.equal(stageAfter('password', none), 'active');
    assert.equal(stageAfter('password', { ...none, mfaEnabled: true, passwordExpired: true }), 'mfa');
    assert.equal(stageAfter('mfa', { ...none, mfaEnabled: true, passwordExpired: true }), 'password_change');
    assert.equal(stageAfter('password', { ...none, mfaRequired: true }), 'mfa_enrol');
    assert.equal(stageAfter('password', { ...none, mfaRequired: true, mfaEnabled: true }), 'mfa');
    assert.equal(stageAfter('mfa', { ...none, mfaRequired: true, mfaEnabled: true }), 'active');
    assert.equal(
      stageAfter('password_change', { ...none, passwordExpired: true, mfaRequired: true }),
      'mfa_enrol',
    );
    assert.equal(stageAfter('mfa_enrol', { ...none, mfaRequired: true }), 'active');
  });
});

describe('staff sign-in with a second factor (API)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.drop());

  const login = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  const me = (token: string) => t.app.inject({ url: '/api/v1/me', cookies: { yw_session: token } });
  const post = (url: string, token: string, payload: object = {}) =>
    t.app.inject({ method: 'POST', url, cookies: { yw_session: token }, payload });

  it('makes an administrator enrol TOTP before acting, then asks for a code at every login', async () => {
    const s = await createStaff(t, { roles: ['system_admin'], divisionCode: '330100' });
    const first = await login(s.username, s.password);
    assert.equal(first.statusCode, 200);
    assert.equal(first.json().stage, 'mfa_enrol');
    const token = cookieOf(first);
    // Not signed in yet: neither the API nor the workbench serves this session.
    assert.equal((await me(token)).statusCode, 401);
    assert.equal(
      (await t.app.inject({ url: '/api/v1/tenants', cookies: { yw_session: token } })).statusCode,
      401,
    );

    const started = await post('/api/v1/me/mfa', token);
    assert.equal(started.statusCode, 200);
    const { secret, uri } = started.json() as { secret: string; uri: string };
    assert.match(uri, /^otpauth:\/\/totp\//);
    const wrong = await post('/api/v1/me/mfa/confirm', token, {
      code: '000000' === totpCode(secret) ? '111111' : '000000',
    });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().errors[0].code, 'identity.mfa.code_wrong');
    const confirmed = await post('/api/v1/me/mfa/confirm', token, { code: totpCode(secret) });
    assert.equal(confirmed.statusCode, 200);
    const codes = confirmed.json().recoveryCodes as string[];
    assert.equal(codes.length, 10);
    const meNow = await me(token);
    assert.equal(meNow.statusCode, 200);
    assert.ok(meNow.json().roles.includes('system_admin'));
    assert.ok(meNow.json().permissions.includes('org.sites.manage'));

    // Next login: the password alone opens nothing.
    const second = await login(s.username, s.password);
    assert.equal(second.json().stage, 'mfa');
    const t2 = cookieOf(second);
    assert.equal((await me(t2)).statusCode, 401);
    // The code used at enrolment cannot be used again; the next one can (the app shows it in ≤ 30 s).
    assert.equal((await post('/api/v1/session/mfa', t2, { code: totpCode(secret) })).statusCode, 400);
    const passed = await post('/api/v1/session/mfa', t2, { code: totpCode(secret, Date.now() + 30_000) });
    assert.equal(passed.statusCode, 200);
    assert.equal(passed.json().stage, 'active');
    const t3 = cookieOf(passed);
    assert.notEqual(t3, t2, 'a new session id once the second factor is passed');
    assert.equal((await me(t2)).statusCode, 401);
    assert.equal((await me(t3)).statusCode, 200);

    // A recovery code works once.
    const third = cookieOf(await login(s.username, s.password));
    const recovered = await post('/api/v1/session/mfa', third, { code: codes[0]!.toUpperCase() });
    assert.equal(recovered.statusCode, 200);
    const fourth = cookieOf(await login(s.username, s.password));
    assert.equal((await post('/api/v1/session/mfa', fourth, { code: codes[0]! })).statusCode, 400);

    // An administrator cannot switch the second factor off.
    const off = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/mfa',
      cookies: { yw_session: cookieOf(recovered) },
      payload: { password: s.password },
    });
    assert.equal(off.statusCode, 403);

    const actions = (
      await t.db.kysely
        .selectFrom('audit.entry')
        .select('action')
        .where('object_id', '=', String(s.accountId))
        .orderBy('id')
        .execute()
    ).map((r) => r.action);
    for (const a of ['account.mfa_enabled', 'session.mfa_passed', 'session.mfa_failed'])
      assert.ok(actions.includes(a), a);
  });

  it('locks the account after 5 wrong codes, like 5 wrong passwords', async () => {
    const s = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
    const token = cookieOf(await login(s.username, s.password));
    const { secret } = (await post('/api/v1/me/mfa', token)).json() as { secret: string };
    await post('/api/v1/me/mfa/confirm', token, { code: totpCode(secret) });
    const pending = cookieOf(await login(s.username, s.password));
    for (let i = 0; i < 5; i++) {
      assert.equal((await post('/api/v1/session/mfa', pending, { code: 'abcdef' })).statusCode, 400);
    }
    const locked = await post('/api/v1/session/mfa', pending, {
      code: totpCode(secret, Date.now() + 30_000),
    });
    assert.equal(locked.statusCode, 403);
    assert.equal(locked.json().code, 'identity.login.locked');
    assert.equal((await login(s.username, s.password)).statusCode, 403);
  });

  it('lets a handler switch the optional second factor off with the password', async () => {
    const s = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
    const token = cookieOf(await login(s.username, s.password));
    const { secret } = (await post('/api/v1/me/mfa', token)).json() as { secret: string };
    await post('/api/v1/me/mfa/confirm', token, { code: totpCode(secret) });
    const off = (password: string) =>
      t.app.inject({
        method: 'DELETE',
        url: '/api/v1/me/mfa',
        cookies: { yw_session: token },
        payload: { password },
      });
    assert.equal((await off('Wrong#pass1')).statusCode, 400);
    assert.equal((await off(s.password)).statusCode, 204);
    assert.equal((await login(s.username, s.password)).json().stage, 'active');
  });

  it('asks for a new password first when an administrator reset it or it is too old', async () => {
    const s = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
    await t.db.kysely
      .updateTable('identity.account')
      .set({ must_change_password: true })
      .where('id', '=', s.accountId)
      .execute();
    const res = await login(s.username, s.password);
    assert.equal(res.json().stage, 'password_change');
    const token = cookieOf(res);
    assert.equal((await me(token)).statusCode, 401);
    const changed = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      cookies: { yw_session: token },
      payload: { currentPassword: s.password, newPassword: 'Fresh#2026pass' },
    });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.json().stage, 'active');
    assert.equal((await me(token)).statusCode, 200);
  });

  it('holds a session whose account was just given an administrative role until it enrols', async () => {
    const s = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
    const token = cookieOf(await login(s.username, s.password));
    assert.equal((await me(token)).statusCode, 200);
    await t.identity.staff.grant(
      {
        tenantId: '330000',
        actorId: 'system',
        actorRole: '',
        actorDivision: '',
        ip: '',
        userAgent: '',
        requestId: '',
      },
      s.accountId,
      'tenant_admin',
    );
    assert.equal((await me(token)).statusCode, 401);
    assert.equal((await post('/api/v1/me/mfa', token)).statusCode, 200);
  });
});

describe('staff sign-in with a second factor (pages)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.drop());

  it('walks from the login form through enrolment to the workbench', async () => {
    const s = await createStaff(t, { roles: ['auditor'], divisionCode: '330000' });
    const form = await t.app.inject({ url: '/login?next=%2Fworkbench' });
    const csrfCookie = form.cookies.find((c) => c.name === 'yw_csrf')!.value;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/login?next=%2Fworkbench',
      cookies: { yw_csrf: csrfCookie },
      payload: new URLSearchParams({ _csrf: csrf, username: s.username, password: s.password }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account/mfa?next=%2Fworkbench');
    const token = cookieOf(res);
    const cookies = { yw_csrf: csrfCookie, yw_session: token };
    // Any other page sends the session back to the step it owes.
    const wb = await t.app.inject({ url: '/workbench', cookies });
    assert.equal(wb.statusCode, 303);
    const login = await t.app.inject({ url: wb.headers.location as string, cookies });
    assert.equal(login.headers.location, '/account/mfa?next=%2Fworkbench');

    const enrol = await t.app.inject({ url: '/account/mfa?next=%2Fworkbench', cookies });
    assert.equal(enrol.statusCode, 200);
    assert.match(enrol.body, /<svg[^>]+role="img"/);
    const secret = /class="secret">([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/account/mfa?next=%2Fworkbench',
      cookies,
      payload: new URLSearchParams({ _csrf: csrf, code: '12345' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /id="field-code-error"/);
    // The same secret is shown again after a mistyped code.
    assert.ok(wrong.body.includes(secret.slice(0, 4)));
    const done = await t.app.inject({
      method: 'POST',
      url: '/account/mfa?next=%2Fworkbench',
      cookies,
      payload: new URLSearchParams({ _csrf: csrf, code: totpCode(secret) }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(done.statusCode, 200);
    assert.equal((done.body.match(/<li><code>[0-9a-z-]{14}<\/code><\/li>/g) ?? []).length, 10);
    const next = await t.app.inject({ url: '/login/continue?next=%2Fworkbench', cookies });
    assert.equal(next.headers.location, '/workbench');
    const workbench = await t.app.inject({ url: '/workbench', cookies });
    assert.equal(workbench.statusCode, 200);
  });
});
