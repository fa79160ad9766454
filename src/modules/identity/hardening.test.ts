/** Races and edge cases found in review: each test failed before its fix. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemContext } from '../../kernel/audit/index.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createStaff, signInStaff } from '../../../test/support/staff.ts';
import { safeNext } from './session.http.ts';

describe('hardening', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.drop());

  it('refuses one of two separated duties granted at the same moment', async () => {
    const { cookie } = await signInStaff(t, { roles: ['security_admin'], divisionCode: '330000' });
    const target = await createStaff(t, { roles: [], divisionCode: '330100' });
    const grant = (role: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/staff/${target.accountId}/roles/${role}`,
        headers: { cookie },
      });
    const answers = await Promise.all([grant('system_admin'), grant('auditor')]);
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [204, 400]);
    const held = await t.db.kysely
      .selectFrom('identity.role_grant')
      .select('role_code')
      .where('account_id', '=', target.accountId)
      .execute();
    assert.equal(held.length, 1);
  });

  it('counts parallel wrong passwords against the lockout at once', async () => {
    const s = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
    const tries = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { username: s.username, password: `Wrong#${i}xx` },
        }),
      ),
    );
    const checked = tries.filter((r) => r.statusCode === 401).length;
    assert.ok(checked <= 8, `${checked} of 30 parallel guesses were checked`);
    assert.ok(tries.some((r) => r.statusCode === 403));
    // Locked: the right password is refused too.
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: s.username, password: s.password },
    });
    assert.equal(right.statusCode, 403);
  });

  it('names the account in the audit chain while its session is still signing in', async () => {
    const s = await createStaff(t, { roles: ['auditor'], divisionCode: '330100' });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: s.username, password: s.password },
    });
    const token = login.cookies.find((c) => c.name === 'yw_session')!.value;
    await t.app.inject({ method: 'POST', url: '/api/v1/me/mfa', cookies: { yw_session: token } });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/mfa/confirm',
      cookies: { yw_session: token },
      payload: { code: 'abcdef' },
    });
    const failed = await t.db.kysely
      .selectFrom('audit.entry')
      .select(['actor_id', 'actor_role', 'actor_division'])
      .where('action', '=', 'session.mfa_failed')
      .where('object_id', '=', String(s.accountId))
      .executeTakeFirstOrThrow();
    assert.deepEqual(failed, {
      actor_id: `account:${s.accountId}`,
      actor_role: 'staff:auditor',
      actor_division: '330100',
    });
  });

  it('moves a staff member’s jurisdiction with their department', async () => {
    const admin = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330102' });
    const account = await t.identity.accounts.resolve('330000', admin.cookie.split('=')[1]!);
    assert.equal(account.state, 'ok');
    const deptId = account.state === 'ok' ? account.session.account.departmentId! : 0;
    const other = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
    const see = () =>
      t.app.inject({ url: `/api/v1/staff/${other.accountId}`, headers: { cookie: admin.cookie } });
    assert.equal((await see()).statusCode, 404);
    const dept = await t.org.departments.get('330000', deptId);
    await t.org.departments.update(systemContext('330000'), deptId, {
      divisionCode: '330106',
      name: dept.name,
      type: dept.type,
    });
    assert.equal((await see()).statusCode, 200);
  });

  it('keeps only printable ASCII paths as a place to return to', () => {
    assert.equal(safeNext('/workbench?x=%E4%B8%AD', '/'), '/workbench?x=%E4%B8%AD');
    assert.equal(safeNext('/中文', '/'), '/');
    assert.equal(safeNext('//evil.example', '/'), '/');
    assert.equal(safeNext('/a\\b', '/'), '/');
    const res = t.app.inject({ url: '/login/continue?next=/%E4%B8%AD%E6%96%87' });
    return res.then((r) => assert.ok(r.statusCode < 500));
  });
});
