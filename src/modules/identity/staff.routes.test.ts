import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createStaff, signInStaff, type StaffLogin } from '../../../test/support/staff.ts';

const TENANT = '330000';
const NEW_PASSWORD = 'Qiantang#2026river';

interface Problem {
  code: string;
  errors?: { field: string; code: string; message: string }[];
}

describe('staff administration API', () => {
  let t: TestApp;
  /** System administrator of 杭州市 (330100): accounts, no grants. */
  let sys: StaffLogin;
  /** Security administrator of the province: grants and security settings, no accounts. */
  let sec: StaffLogin;
  let hangzhouDept: number;

  before(async () => {
    t = await createTestApp();
    sys = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330100' });
    sec = await signInStaff(t, { roles: ['security_admin'] });
    const page = await t.org.departments.list(TENANT, {
      divisionCode: '330100',
      includeInactive: false,
      limit: 1,
      offset: 0,
    });
    hangzhouDept = page.items[0]!.id;
  });
  after(() => t.drop());

  const api = (
    cookie: string | null,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) => t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
  const login = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  const sessionCookie = (res: LightMyRequestResponse) => {
    const c = res.cookies.find((x) => x.name === 'yw_session');
    assert.ok(c, 'a session cookie');
    return `yw_session=${c.value}`;
  };
  const me = (cookie: string) => api(cookie, 'GET', '/api/v1/me');
  const audit = (action: string, objectId: string) =>
    t.db.kysely
      .selectFrom('audit.entry')
      .selectAll()
      .where('action', '=', action)
      .where('object_id', '=', objectId)
      .orderBy('id')
      .execute();
  const problem = (res: LightMyRequestResponse, status: number): Problem => {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    return res.json<Problem>();
  };
  const tokenOf = (url: string) => /\/password\/([A-Za-z0-9_-]{43})$/.exec(url)?.[1] ?? assert.fail(url);

  describe('creating staff accounts', () => {
    it('creates an account whose one-time link works once, then the person logs in', async () => {
      const res = await api(sys.cookie, 'POST', '/api/v1/staff', {
        username: 'Wang.Xiaoming',
        displayName: ' 王小明 ',
        departmentId: hangzhouDept,
      });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.equal(body.username, 'wang.xiaoming');
      assert.equal(body.displayName, '王小明');
      assert.equal(body.status, 'active');
      assert.equal(body.divisionCode, '330100');
      assert.equal(body.departmentId, hangzhouDept);
      assert.equal(body.mfaEnabled, false);
      assert.deepEqual(body.roles, []);
      assert.match(body.passwordLink.url, /^http:\/\/localhost(:80)?\/password\/[A-Za-z0-9_-]{43}$/);
      const hours = (Date.parse(body.passwordLink.expiresAt) - Date.now()) / 3_600_000;
      assert.ok(hours > 71 && hours <= 72, `expires in ${hours} h`);
      assert.equal((await audit('account.staff_created', String(body.id))).length, 1);

      // Nobody knows the account's first password: it cannot log in before the link is used.
      const token = tokenOf(body.passwordLink.url);
      const peek = await api(null, 'GET', `/api/v1/password-links/${token}`);
      assert.equal(peek.statusCode, 200, peek.body);
      assert.deepEqual(peek.json(), { purpose: 'setup', username: 'wang.xiaoming', displayName: '王小明' });

      const weak = problem(
        await api(null, 'POST', `/api/v1/password-links/${token}`, { password: 'short' }),
        400,
      );
      assert.equal(weak.errors?.[0]?.field, 'password');
      const named = problem(
        await api(null, 'POST', `/api/v1/password-links/${token}`, { password: 'Wang.Xiaoming#1' }),
        400,
      );
      assert.equal(named.errors?.[0]?.code, 'identity.password.contains_username');

      const used = await api(null, 'POST', `/api/v1/password-links/${token}`, { password: NEW_PASSWORD });
      assert.equal(used.statusCode, 204, used.body);
      assert.equal((await audit('account.password_set_by_link', String(body.id))).length, 1);
      const again = await api(null, 'POST', `/api/v1/password-links/${token}`, {
        password: `${NEW_PASSWORD}2`,
      });
      assert.equal(problem(again, 404).code, 'identity.password_link.invalid');
      assert.equal(
        problem(await api(null, 'GET', `/api/v1/password-links/${token}`), 404).code,
        'identity.password_link.invalid',
      );

      const signedIn = await login('wang.xiaoming', NEW_PASSWORD);
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      const who = await me(sessionCookie(signedIn));
      assert.equal(who.statusCode, 200, who.body);
      assert.equal(who.json().username, 'wang.xiaoming');
      assert.equal((await login('wang.xiaoming', `${NEW_PASSWORD}2`)).statusCode, 401);
    });

    it('names each bad field, refuses a taken name and a department outside the jurisdiction', async () => {
      const bad = problem(
        await api(sys.cookie, 'POST', '/api/v1/staff', {
          username: 'A',
          displayName: '',
          departmentId: 999_999,
        }),
        400,
      );
      assert.deepEqual(bad.errors?.map((e) => e.field).sort(), ['departmentId', 'displayName', 'username']);

      const province = await t.org.departments.list(TENANT, {
        divisionCode: '330000',
        includeInactive: false,
        limit: 1,
        offset: 0,
      });
      const outside = problem(
        await api(sys.cookie, 'POST', '/api/v1/staff', {
          username: 'li.outside',
          displayName: '李外',
          departmentId: province.items[0]!.id,
        }),
        400,
      );
      assert.deepEqual(outside.errors, [
        {
          field: 'departmentId',
          code: 'identity.staff.department_unknown',
          message: outside.errors![0]!.message,
        },
      ]);

      const first = await api(sys.cookie, 'POST', '/api/v1/staff', {
        username: 'zhao.twice',
        displayName: '赵二',
        departmentId: hangzhouDept,
      });
      assert.equal(first.statusCode, 201, first.body);
      const taken = problem(
        await api(sys.cookie, 'POST', '/api/v1/staff', {
          username: 'zhao.twice',
          displayName: '赵二',
          departmentId: hangzhouDept,
        }),
        409,
      );
      assert.equal(taken.errors?.[0]?.field, 'username');
      assert.equal(taken.code, 'identity.staff.username_taken');
    });

    it('is for account administrators only', async () => {
      const payload = { username: 'no.one', displayName: '无', departmentId: hangzhouDept };
      assert.equal(
        problem(await api(sec.cookie, 'POST', '/api/v1/staff', payload), 403).code,
        'policy.forbidden',
      );
      assert.equal(
        problem(await api(null, 'POST', '/api/v1/staff', payload), 401).code,
        'identity.session.required',
      );
    });
  });

  describe('granting roles', () => {
    it('lets a security administrator grant and revoke a role, audited', async () => {
      const target = await createStaff(t, { roles: [], divisionCode: '330100' });
      const id = String(target.accountId);
      const res = await api(sec.cookie, 'PUT', `/api/v1/staff/${id}/roles/handler`);
      assert.equal(res.statusCode, 204, res.body);
      // Granting what is held already changes nothing and writes no second entry.
      assert.equal((await api(sec.cookie, 'PUT', `/api/v1/staff/${id}/roles/handler`)).statusCode, 204);
      const got = await api(sec.cookie, 'GET', `/api/v1/staff/${id}`);
      assert.equal(got.statusCode, 200, got.body);
      assert.deepEqual(got.json().roles, ['handler']);
      const granted = await audit('account.role_granted', id);
      assert.equal(granted.length, 1);
      assert.equal(granted[0]!.actor_id, `account:${sec.accountId}`);
      assert.deepEqual(granted[0]!.detail, { role: 'handler' });

      assert.equal((await api(sec.cookie, 'DELETE', `/api/v1/staff/${id}/roles/handler`)).statusCode, 204);
      assert.deepEqual((await api(sec.cookie, 'GET', `/api/v1/staff/${id}`)).json().roles, []);
      assert.equal((await audit('account.role_revoked', id)).length, 1);
    });

    it('keeps the separated duties apart (三员分立)', async () => {
      const admin = await createStaff(t, { roles: ['system_admin'], divisionCode: '330100' });
      const before = await audit('account.role_granted', String(admin.accountId));
      for (const role of ['auditor', 'security_admin']) {
        const p = problem(
          await api(sec.cookie, 'PUT', `/api/v1/staff/${admin.accountId}/roles/${role}`),
          400,
        );
        assert.equal(p.errors?.[0]?.field, 'role');
        assert.equal(p.errors?.[0]?.code, 'policy.duty.separated');
      }
      const auditor = await createStaff(t, { roles: ['auditor'], divisionCode: '330100' });
      const mixed = problem(
        await api(sec.cookie, 'PUT', `/api/v1/staff/${auditor.accountId}/roles/handler`),
        400,
      );
      assert.equal(mixed.errors?.[0]?.code, 'policy.duty.auditor_changes');
      assert.deepEqual((await api(sec.cookie, 'GET', `/api/v1/staff/${admin.accountId}`)).json().roles, [
        'system_admin',
      ]);
      assert.equal((await audit('account.role_granted', String(admin.accountId))).length, before.length);
    });

    it('refuses unknown roles, roles of another kind of account, and oneself', async () => {
      const target = await createStaff(t, { roles: [], divisionCode: '330100' });
      const unknown = problem(
        await api(sec.cookie, 'PUT', `/api/v1/staff/${target.accountId}/roles/no_such`),
        400,
      );
      assert.equal(unknown.errors?.[0]?.code, 'identity.role.unknown');
      const citizen = problem(
        await api(sec.cookie, 'PUT', `/api/v1/staff/${target.accountId}/roles/citizen`),
        400,
      );
      assert.equal(citizen.errors?.[0]?.code, 'identity.role.wrong_kind');
      const self = problem(await api(sec.cookie, 'PUT', `/api/v1/staff/${sec.accountId}/roles/handler`), 403);
      assert.equal(self.code, 'identity.staff.not_self');
      const selfRevoke = problem(
        await api(sec.cookie, 'DELETE', `/api/v1/staff/${sec.accountId}/roles/security_admin`),
        403,
      );
      assert.equal(selfRevoke.code, 'identity.staff.not_self');
    });

    it('is not for system administrators, nor anyone without role.grant', async () => {
      const target = await createStaff(t, { roles: [], divisionCode: '330100' });
      for (const method of ['PUT', 'DELETE'] as const) {
        const p = problem(
          await api(sys.cookie, method, `/api/v1/staff/${target.accountId}/roles/handler`),
          403,
        );
        assert.equal(p.code, 'policy.forbidden');
      }
      assert.equal(problem(await api(sys.cookie, 'GET', '/api/v1/roles'), 403).code, 'policy.forbidden');
      const handler = await signInStaff(t, { roles: ['handler'], divisionCode: '330100' });
      assert.equal(problem(await api(handler.cookie, 'GET', '/api/v1/staff'), 403).code, 'policy.forbidden');
      assert.equal(
        problem(await api(handler.cookie, 'GET', `/api/v1/staff/${target.accountId}`), 403).code,
        'policy.forbidden',
      );
      assert.equal(problem(await api(null, 'GET', '/api/v1/staff'), 401).code, 'identity.session.required');
    });

    it('lists the roles with their names, permissions, second factor and holders', async () => {
      const res = await api(sec.cookie, 'GET', '/api/v1/roles');
      assert.equal(res.statusCode, 200, res.body);
      const items = res.json<{ items: Record<string, unknown>[] }>().items;
      const admin = items.find((r) => r.code === 'system_admin');
      assert.equal(admin?.name, '系统管理员');
      assert.equal(admin?.kind, 'staff');
      assert.equal(admin?.requiresMfa, true);
      assert.equal(admin?.system, true);
      assert.ok((admin?.permissions as string[]).includes('staff.manage'));
      assert.ok((admin?.holders as number) >= 1);
      const handler = items.find((r) => r.code === 'handler');
      assert.equal(handler?.requiresMfa, false);
      assert.ok(items.some((r) => r.code === 'citizen' && r.kind === 'person'));
      const en = await api(sec.cookie, 'GET', '/api/v1/roles?lang=en');
      assert.equal(
        en.json<{ items: { code: string; name: string }[] }>().items.find((r) => r.code === 'security_admin')
          ?.name,
        'Security administrator',
      );
    });
  });

  describe('jurisdiction', () => {
    it('hides staff of another district: 404 for one, absent from the list', async () => {
      const shangcheng = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330102' });
      const xihu = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
      const own = await createStaff(t, { roles: ['handler'], divisionCode: '330102' });

      const hidden = problem(await api(shangcheng.cookie, 'GET', `/api/v1/staff/${xihu.accountId}`), 404);
      assert.equal(hidden.code, 'identity.staff.not_found');
      for (const [method, url, payload] of [
        ['POST', `/api/v1/staff/${xihu.accountId}/password-reset`, undefined],
        ['PUT', `/api/v1/staff/${xihu.accountId}/status`, { status: 'disabled' }],
      ] as const) {
        assert.equal(
          problem(await api(shangcheng.cookie, method, url, payload), 404).code,
          'identity.staff.not_found',
        );
      }
      const list = await api(shangcheng.cookie, 'GET', '/api/v1/staff?limit=500');
      assert.equal(list.statusCode, 200, list.body);
      const usernames = list.json<{ items: { username: string; divisionCode: string }[] }>().items;
      assert.ok(!usernames.some((s) => s.username === xihu.username));
      assert.ok(usernames.some((s) => s.username === own.username));
      assert.ok(usernames.every((s) => s.divisionCode.startsWith('330102')));
      const searched = await api(shangcheng.cookie, 'GET', `/api/v1/staff?q=${xihu.username}`);
      assert.equal(searched.json().total, 0);
      assert.equal((await api(shangcheng.cookie, 'GET', `/api/v1/staff/${own.accountId}`)).statusCode, 200);

      // The city's administrator sees both districts.
      const city = await api(sys.cookie, 'GET', `/api/v1/staff?q=${xihu.username}`);
      assert.equal(city.json().total, 1);
      assert.deepEqual(city.json().items[0].roles, ['handler']);
    });
  });

  describe('account status and passwords', () => {
    it('disables an account: its sessions end and it cannot log in, until enabled again', async () => {
      const person = await signInStaff(t, { roles: ['handler'], divisionCode: '330100' });
      assert.equal((await me(person.cookie)).statusCode, 200);
      const res = await api(sys.cookie, 'PUT', `/api/v1/staff/${person.accountId}/status`, {
        status: 'disabled',
      });
      assert.equal(res.statusCode, 204, res.body);
      assert.equal((await me(person.cookie)).statusCode, 401);
      assert.equal(problem(await login(person.username, person.password), 401).code, 'identity.login.failed');
      assert.equal(
        (await api(sys.cookie, 'GET', `/api/v1/staff/${person.accountId}`)).json().status,
        'disabled',
      );
      assert.equal((await audit('account.disabled', String(person.accountId))).length, 1);

      const enabled = await api(sys.cookie, 'PUT', `/api/v1/staff/${person.accountId}/status`, {
        status: 'active',
      });
      assert.equal(enabled.statusCode, 204);
      assert.equal((await login(person.username, person.password)).statusCode, 200);
      assert.equal((await audit('account.enabled', String(person.accountId))).length, 1);

      const bad = await api(sys.cookie, 'PUT', `/api/v1/staff/${person.accountId}/status`, {
        status: 'gone',
      });
      assert.equal(problem(bad, 400).code, 'errors.invalid_input');
      const self = await api(sys.cookie, 'PUT', `/api/v1/staff/${sys.accountId}/status`, {
        status: 'disabled',
      });
      assert.equal(problem(self, 403).code, 'identity.staff.not_self');
      assert.equal((await me(sys.cookie)).statusCode, 200);
    });

    it('resets a password with a one-time link; the old password works until it is used', async () => {
      const person = await createStaff(t, { roles: ['handler'], divisionCode: '330100' });
      const first = await api(sys.cookie, 'POST', `/api/v1/staff/${person.accountId}/password-reset`);
      assert.equal(first.statusCode, 200, first.body);
      const second = await api(sys.cookie, 'POST', `/api/v1/staff/${person.accountId}/password-reset`);
      assert.match(second.json().url, /^http:\/\/localhost(:80)?\/password\//);
      assert.ok(Date.parse(second.json().expiresAt) > Date.now());
      assert.equal((await audit('account.password_reset_issued', String(person.accountId))).length, 2);

      const before = await login(person.username, person.password);
      assert.equal(before.statusCode, 200, 'the old password still works');
      const oldCookie = sessionCookie(before);

      // Only the latest link works.
      const stale = tokenOf(first.json().url);
      assert.equal((await api(null, 'GET', `/api/v1/password-links/${stale}`)).statusCode, 404);
      const token = tokenOf(second.json().url);
      assert.equal((await api(null, 'GET', `/api/v1/password-links/${token}`)).json().purpose, 'reset');
      assert.equal(
        (await api(null, 'POST', `/api/v1/password-links/${token}`, { password: NEW_PASSWORD })).statusCode,
        204,
      );

      assert.equal((await me(oldCookie)).statusCode, 401, 'every session ended');
      assert.equal((await login(person.username, person.password)).statusCode, 401);
      const after = await login(person.username, NEW_PASSWORD);
      assert.equal(after.statusCode, 200, after.body);
      assert.equal((await me(sessionCookie(after))).statusCode, 200);

      assert.equal(
        problem(await api(sec.cookie, 'POST', `/api/v1/staff/${person.accountId}/password-reset`), 403).code,
        'policy.forbidden',
      );
      assert.equal(
        problem(await api(sys.cookie, 'POST', `/api/v1/staff/${sys.accountId}/password-reset`), 403).code,
        'identity.staff.not_self',
      );
    });

    it('answers 404 for a malformed or unknown link', async () => {
      for (const token of ['nope', 'A'.repeat(43)]) {
        assert.equal(
          problem(await api(null, 'GET', `/api/v1/password-links/${token}`), 404).code,
          'identity.password_link.invalid',
        );
        const res = await api(null, 'POST', `/api/v1/password-links/${token}`, { password: NEW_PASSWORD });
        assert.equal(problem(res, 404).code, 'identity.password_link.invalid');
      }
    });
  });

  describe('security settings', () => {
    it('are for security administrators', async () => {
      assert.equal(
        problem(await api(sys.cookie, 'GET', '/api/v1/security-settings'), 403).code,
        'policy.forbidden',
      );
      const put = await api(sys.cookie, 'PUT', '/api/v1/security-settings', { passwordMaxAgeDays: 30 });
      assert.equal(problem(put, 403).code, 'policy.forbidden');
      const res = await api(sec.cookie, 'GET', '/api/v1/security-settings');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { passwordMaxAgeDays: null });
    });

    it('check the range and name the field', async () => {
      for (const passwordMaxAgeDays of [0, 3651, -1]) {
        const p = problem(
          await api(sec.cookie, 'PUT', '/api/v1/security-settings', { passwordMaxAgeDays }),
          400,
        );
        assert.equal(p.errors?.[0]?.field, 'passwordMaxAgeDays');
        assert.equal(p.errors?.[0]?.code, 'identity.security.max_age_range');
      }
      problem(await api(sec.cookie, 'PUT', '/api/v1/security-settings', { passwordMaxAgeDays: 'x' }), 400);
      assert.deepEqual((await api(sec.cookie, 'GET', '/api/v1/security-settings')).json(), {
        passwordMaxAgeDays: null,
      });
    });

    it('expire passwords older than the maximum age: the login owes a new password', async () => {
      const res = await api(sec.cookie, 'PUT', '/api/v1/security-settings', { passwordMaxAgeDays: 1 });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { passwordMaxAgeDays: 1 });
      assert.equal(
        (await audit('tenant.security_settings_changed', TENANT)).at(-1)?.actor_id,
        `account:${sec.accountId}`,
      );
      try {
        const fresh = await createStaff(t, { roles: ['handler'], divisionCode: '330100' });
        const old = await createStaff(t, { roles: ['handler'], divisionCode: '330100' });
        await t.db.kysely
          .updateTable('identity.account')
          .set({ password_changed_at: new Date(Date.now() - 2 * 86_400_000) })
          .where('tenant_id', '=', TENANT)
          .where('id', '=', old.accountId)
          .execute();

        const freshLogin = await login(fresh.username, fresh.password);
        assert.equal((await me(sessionCookie(freshLogin))).statusCode, 200);

        const oldLogin = await login(old.username, old.password);
        assert.equal(oldLogin.statusCode, 200, oldLogin.body);
        const cookie = sessionCookie(oldLogin);
        const stage = await t.db.kysely
          .selectFrom('identity.session')
          .select('stage')
          .where('tenant_id', '=', TENANT)
          .where('account_id', '=', old.accountId)
          .executeTakeFirstOrThrow();
        assert.equal(stage.stage, 'password_change');
        assert.equal(
          (await me(cookie)).statusCode,
          401,
          'the session acts as nobody until the password is changed',
        );
      } finally {
        const off = await api(sec.cookie, 'PUT', '/api/v1/security-settings', { passwordMaxAgeDays: null });
        assert.deepEqual(off.json(), { passwordMaxAgeDays: null });
      }
    });
  });
});
