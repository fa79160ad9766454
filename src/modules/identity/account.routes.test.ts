import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { systemContext } from '../../kernel/audit/index.ts';

const ID = '11010519491231002X'; // GB 11643's own example
const PASSWORD = 'Xihu#2026lake';

describe('accounts and sessions', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.drop());

  let n = 0;
  const register = (fields: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { kind: 'person', username: `user${++n}`, displayName: '张三', password: PASSWORD, ...fields },
    });
  const login = (username: string, password = PASSWORD, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password }, remoteAddress });
  const cookieOf = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === 'yw_session')?.value;
  const me = (cookie: string | undefined, host?: string) =>
    t.app.inject({
      url: '/api/v1/me',
      cookies: cookie ? { yw_session: cookie } : {},
      headers: host ? { host } : {},
    });
  const audit = (action: string) =>
    t.db.kysely.selectFrom('audit.entry').selectAll().where('action', '=', action).orderBy('id').execute();

  describe('registration', () => {
    it('registers a person, logs them in, and keeps the ID number only encrypted', async () => {
      const res = await register({ username: 'zhang.san', idNumber: '11010519491231002x' });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json(), {
        id: res.json().id,
        kind: 'person',
        username: 'zhang.san',
        displayName: '张三',
        idNumberMasked: '110105********002X',
      });
      const cookie = res.cookies.find((c) => c.name === 'yw_session');
      assert.ok(cookie?.httpOnly);
      assert.equal(cookie?.sameSite, 'Lax');
      assert.equal((await me(cookie?.value)).json().username, 'zhang.san');
      const row = await t.db.kysely
        .selectFrom('identity.account')
        .selectAll()
        .where('username', '=', 'zhang.san')
        .executeTakeFirstOrThrow();
      assert.match(row.id_number_enc!, /^sm4v1:/);
      assert.ok(!row.id_number_enc!.includes(ID) && !row.id_number_hash!.includes(ID));
      assert.match(row.password_hash, /^\$argon2id\$/);
      const entry = (await audit('account.registered')).find((e) => e.object_id === String(res.json().id));
      assert.equal(entry?.actor_id, `account:${res.json().id}`);
      const everything = JSON.stringify(await t.db.kysely.selectFrom('audit.entry').selectAll().execute());
      assert.ok(!everything.includes(ID), 'no clear ID number anywhere in the audit chain');
    });

    it('registers an enterprise by its credit code', async () => {
      const res = await register({
        kind: 'enterprise',
        displayName: '小米科技有限责任公司',
        creditCode: '91110108551385082q',
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().creditCode, '91110108551385082Q');
    });

    it('says what is wrong with each field, creating nothing', async () => {
      const before = await t.db.kysely
        .selectFrom('identity.account')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      const res = await register({ username: 'A', idNumber: '110105194912310021', password: 'short' });
      assert.equal(res.statusCode, 400);
      const fields = Object.fromEntries(
        (res.json().errors as { field: string; code: string }[]).map((e) => [e.field, e.code]),
      );
      assert.deepEqual(fields, {
        username: 'identity.account.username_format',
        idNumber: 'identifiers.citizen_id.check_character',
        password: 'identity.password.too_short',
      });
      const enterprise = await register({ kind: 'enterprise', creditCode: '91110108551385082A' });
      assert.equal(enterprise.json().errors[0].field, 'creditCode');
      const after = await t.db.kysely
        .selectFrom('identity.account')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      assert.equal(Number(after?.n), Number(before?.n));
    });

    it('applies the password policy: 3 of 4 classes, not the name, not the ID number', async () => {
      const codeOf = async (password: string, username = `pw.user${++n}`) =>
        (await register({ username, password, idNumber: '440524188001010014' })).json().errors?.[0]?.code;
      assert.equal(await codeOf('alllowercase1'), 'identity.password.classes');
      assert.equal(await codeOf('Wang.wu#2026', 'wang.wu'), 'identity.password.contains_username');
      assert.equal(await codeOf('Pw#18800101'), 'identity.password.contains_id_number');
    });

    it('answers one 409 for a second account with the same ID number or name, revealing neither', async () => {
      const byId = await register({ idNumber: ID });
      const byName = await register({ username: 'zhang.san', idNumber: '440524188001010014' });
      for (const res of [byId, byName]) {
        assert.equal(res.statusCode, 409);
        assert.equal(res.json().code, 'identity.account.registration_conflict');
      }
      assert.equal(byId.json().detail, byName.json().detail);
    });
  });

  describe('login', () => {
    it('gives a new session id at every login, and ends the one it replaces', async () => {
      const first = cookieOf(await login('zhang.san'));
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'zhang.san', password: PASSWORD },
        cookies: { yw_session: first! },
      });
      const second = cookieOf(again);
      assert.ok(first && second && first !== second);
      assert.equal((await me(first)).statusCode, 401);
      assert.equal((await me(second)).statusCode, 200);
    });

    it('answers an unknown name and a wrong password alike', async () => {
      const unknown = await login('no.such.user', 'Whatever#2026');
      const wrong = await login('zhang.san', 'Wrong#password1');
      assert.equal(unknown.statusCode, 401);
      assert.deepEqual(
        { ...unknown.json<object>(), instance: '' },
        { ...wrong.json<object>(), instance: '' },
      );
      assert.equal(unknown.json().code, 'identity.login.failed');
    });

    it('locks a name for 15 minutes after 5 failures in 15 minutes, and audits it', async () => {
      await register({ username: 'li.si', idNumber: '440524188001010014' });
      for (let i = 0; i < 5; i++) assert.equal((await login('li.si', `Wrong#pass${i}`)).statusCode, 401);
      const refused = await login('li.si');
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().code, 'identity.login.locked');
      assert.match(refused.json().detail, /15 分钟/);
      const failed = (await audit('session.login_failed')).filter((e) => e.object_id === 'li.si');
      assert.equal(failed.length, 5);
      assert.equal((await audit('session.locked_out')).filter((e) => e.object_id === 'li.si').length, 1);
      assert.equal((await audit('session.login_refused')).filter((e) => e.object_id === 'li.si').length, 1);
      // Fifteen minutes on, it opens again.
      await t.db.kysely
        .updateTable('identity.login_failure')
        .set({ at: new Date(Date.now() - 16 * 60_000) })
        .where('username', '=', 'li.si')
        .execute();
      assert.equal((await login('li.si')).statusCode, 200);
    });
  });

  describe('sessions', () => {
    it('ends after 30 idle minutes or 12 hours in all', async () => {
      const idle = cookieOf(await login('zhang.san'));
      await t.db.kysely
        .updateTable('identity.session')
        .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
        .execute();
      const res = await me(idle);
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'identity.session.expired');
      const old = cookieOf(await login('zhang.san'));
      await t.db.kysely
        .updateTable('identity.session')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .execute();
      assert.equal((await me(old)).statusCode, 401);
    });

    it('refuses a session on another site’s host name', async () => {
      await t.org.tenants.create(systemContext(), {
        tenantId: '330100',
        name: '杭州市人民政府（测试）',
        siteIdCode: '',
        icpNumber: '',
        policeFiling: '',
        sponsor: '',
        address: '',
        phone: '',
        email: '',
        hosts: ['hz.example.gov.cn'],
      });
      const cookie = cookieOf(await login('zhang.san'));
      const res = await me(cookie, 'hz.example.gov.cn');
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'identity.session.other_site');
      assert.ok((await audit('session.refused_other_site')).length >= 1);
    });

    it('logs out here, and everywhere', async () => {
      const a = cookieOf(await login('zhang.san'));
      const b = cookieOf(await login('zhang.san'));
      const out = await t.app.inject({
        method: 'DELETE',
        url: '/api/v1/session',
        cookies: { yw_session: a! },
      });
      assert.equal(out.statusCode, 204);
      assert.equal((await me(a)).statusCode, 401);
      assert.equal((await me(b)).statusCode, 200);
      const c = cookieOf(await login('zhang.san'));
      const all = await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/logout-everywhere',
        cookies: { yw_session: c! },
      });
      assert.ok(all.json().sessions >= 2);
      assert.equal((await me(b)).statusCode, 401);
      assert.equal((await me(c)).statusCode, 401);
    });

    it('changes the password, ending the other sessions', async () => {
      const other = cookieOf(await login('zhang.san'));
      const mine = cookieOf(await login('zhang.san'));
      const change = (currentPassword: string, newPassword: string) =>
        t.app.inject({
          method: 'PUT',
          url: '/api/v1/me/password',
          cookies: { yw_session: mine! },
          payload: { currentPassword, newPassword },
        });
      assert.equal((await change('Wrong#1234', 'Baidi#2027dyke')).json().errors[0].field, 'currentPassword');
      assert.equal((await change(PASSWORD, PASSWORD)).json().errors[0].code, 'identity.password.unchanged');
      const changed = await change(PASSWORD, 'Baidi#2027dyke');
      assert.equal(changed.statusCode, 200);
      assert.equal(changed.json().stage, 'active');
      assert.equal((await me(other)).statusCode, 401);
      assert.equal((await me(mine)).statusCode, 200);
      assert.equal((await login('zhang.san')).statusCode, 401);
      assert.equal((await login('zhang.san', 'Baidi#2027dyke')).statusCode, 200);
    });
  });

  describe('pages', () => {
    it('logs in through the form (CSRF-protected) and shows the account with the ID masked', async () => {
      const form = await t.app.inject({ url: '/login' });
      assert.equal(form.statusCode, 200);
      const csrf = form.cookies.find((c) => c.name === 'yw_csrf')!.value;
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const post = (body: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/login?next=%2Faccount',
          cookies: { yw_csrf: csrf },
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: token, ...body }).toString(),
        });
      const wrong = await post({ username: 'zhang.san', password: 'nope' });
      assert.equal(wrong.statusCode, 401);
      assert.match(wrong.body, /账户名或密码不正确/);
      assert.doesNotMatch(wrong.body, /value="nope"/);
      const ok = await post({ username: 'zhang.san', password: 'Baidi#2027dyke' });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/account');
      const page = await t.app.inject({ url: '/account', cookies: { yw_session: cookieOf(ok)! } });
      assert.match(page.body, /110105\*\*\*\*\*\*\*\*002X/);
      assert.ok(!page.body.includes(ID));
    });

    it('sends a visitor without a session from /account to the login page', async () => {
      const res = await t.app.inject({ url: '/account' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/login?next=%2Faccount');
    });
  });
});

describe('login rate limit per IP', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ seed: false, env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  after(() => t.drop());

  it('answers 429 problem+json after the limit, per client address', async () => {
    const attempt = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'x.y.z', password: 'Nope#1234' },
        remoteAddress,
      });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await attempt('10.0.0.1')).statusCode);
    assert.deepEqual(codes, [401, 401, 401, 429]);
    assert.equal((await attempt('10.0.0.2')).statusCode, 401);
    await attempt('10.0.0.1'); // still refused, audited only once a minute
    const audited = await t.db.kysely
      .selectFrom('audit.entry')
      .selectAll()
      .where('action', '=', 'session.rate_limited')
      .execute();
    assert.deepEqual(
      audited.map((e) => [e.ip, e.object_id, e.result]),
      [['10.0.0.1', '/api/v1/session', 'denied']],
    );
  });
});
