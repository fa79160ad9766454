import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createStaff, signInStaff, type StaffLogin } from '../../../test/support/staff.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { translator } from '../../kernel/i18n/index.ts';

const TENANT = '330000';
const zh = translator('zh-CN');
const HTML = { accept: 'text/html,application/xhtml+xml' };
const PASSWORD = 'Qiantang#2026river';

/** An HTML page with the status expected; returns its body. */
function page(res: LightMyRequestResponse, status = 200): string {
  assert.equal(res.statusCode, status, res.body.slice(0, 800));
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.match(res.body, /^<!doctype html>/);
  return res.body;
}

/** Text as the page renders it (preact escapes quotes and ampersands in text). */
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

describe('staff administration pages', () => {
  let t: TestApp;
  let sys: StaffLogin;
  let sec: StaffLogin;

  before(async () => {
    t = await createTestApp();
    sys = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330100' });
    sec = await signInStaff(t, { roles: ['security_admin'] });
  });
  after(() => t.drop());

  const get = (url: string, cookie?: string) =>
    t.app.inject({ url, headers: { ...HTML, ...(cookie ? { cookie } : {}) } });
  /** GETs a page with a form; returns the cookies a browser would send back and the hidden token. */
  async function openForm(url: string, session?: string) {
    const res = await get(url, session);
    const body = page(res);
    const csrf = res.cookies.find((c) => c.name === 'yw_csrf');
    assert.ok(csrf, 'the form sets the yw_csrf cookie');
    const token = /<input type="hidden" name="_csrf" value="([^"]+)"\/>/.exec(body)?.[1];
    assert.ok(token, 'the form carries a hidden _csrf field');
    return { cookie: [session, `yw_csrf=${csrf.value}`].filter(Boolean).join('; '), token, html: body };
  }
  const post = (url: string, form: Record<string, string>, cookie: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams(form).toString(),
    });
  const staffCount = async () =>
    Number(
      (
        await t.db.kysely
          .selectFrom('identity.account')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', 'staff')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const rolesOf = async (id: number) =>
    (
      await t.db.kysely
        .selectFrom('identity.role_grant')
        .select('role_code')
        .where('account_id', '=', id)
        .orderBy('role_code')
        .execute()
    ).map((r) => r.role_code);

  describe('/workbench/staff', () => {
    it('lists the jurisdiction’s staff, with a link to add one for account administrators', async () => {
      const person = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
      const body = page(await get('/workbench/staff', sys.cookie));
      assert.match(body, /<h1>工作人员账户<\/h1>/);
      assert.ok(body.includes('href="/workbench/staff/new"'));
      assert.ok(body.includes(`href="/workbench/staff/${person.accountId}"`));
      assert.ok(body.includes(zh('policy.role.handler')));
      assert.match(body, /role="search"/);

      const searched = page(await get(`/workbench/staff?q=${person.username}`, sys.cookie));
      assert.ok(searched.includes(person.username));
      assert.ok(!searched.includes(sys.username));
      const none = page(await get('/workbench/staff?q=no-such-person', sys.cookie));
      assert.ok(none.includes(zh('identity.staff.no_match', { q: 'no-such-person' })));
    });

    it('shows security administrators the list without the link to add staff', async () => {
      const body = page(await get('/workbench/staff', sec.cookie));
      assert.ok(!body.includes('href="/workbench/staff/new"'));
      assert.ok(body.includes(sys.username));
    });

    it('is refused (403) to staff who neither manage accounts nor grant roles', async () => {
      const handler = await signInStaff(t, { roles: ['handler'], divisionCode: '330100' });
      page(await get('/workbench/staff', handler.cookie), 403);
      const anonymous = await get('/workbench/staff');
      assert.equal(anonymous.statusCode, 303);
      assert.equal(anonymous.headers.location, `/login?next=${encodeURIComponent('/workbench/staff')}`);
    });

    it('/workbench/grants leads to the list', async () => {
      const res = await get('/workbench/grants', sec.cookie);
      assert.equal(res.statusCode, 302);
      assert.equal(res.headers.location, '/workbench/staff');
      page(await get('/workbench/grants', sys.cookie), 403);
    });
  });

  describe('/workbench/staff/new', () => {
    it('offers only departments of the administrator’s jurisdiction', async () => {
      const district = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330102' });
      const { html: body } = await openForm('/workbench/staff/new', district.cookie);
      assert.match(body, /<select[^>]*id="field-departmentId"/);
      assert.ok(body.includes('上城区政务服务中心'));
      assert.ok(!body.includes('西湖区民政局'));
      assert.ok(!body.includes('浙江省财政厅'));
      const city = (await openForm('/workbench/staff/new', sys.cookie)).html;
      assert.ok(city.includes('西湖区民政局') && city.includes('杭州市民政局'));
      assert.ok(!city.includes('浙江省财政厅'));
      page(await get('/workbench/staff/new', sec.cookie), 403);
    });

    it('shows each error beside its field and creates nothing', async () => {
      const before = await staffCount();
      const { cookie, token } = await openForm('/workbench/staff/new', sys.cookie);
      const body = page(
        await post(
          '/workbench/staff/new',
          { _csrf: token, username: 'A', displayName: '', departmentId: '' },
          cookie,
        ),
        400,
      );
      for (const field of ['username', 'displayName', 'departmentId']) {
        assert.match(body, new RegExp(`id="field-${field}-error"`), field);
        assert.match(
          body,
          new RegExp(
            `id="field-${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="field-${field}"`,
          ),
        );
      }
      assert.ok(body.includes(zh('identity.account.username_format')));
      assert.ok(body.includes(zh('identity.staff.department_unknown')));
      assert.match(body, /value="A"/, 'what was typed is kept');
      assert.equal(await staffCount(), before);
    });

    it('creates the account and shows its one-time link once, with its expiry', async () => {
      const dept = (
        await t.org.departments.list(TENANT, {
          divisionCode: '330106',
          includeInactive: false,
          limit: 1,
          offset: 0,
        })
      ).items[0]!;
      const { cookie, token } = await openForm('/workbench/staff/new', sys.cookie);
      const res = await post(
        '/workbench/staff/new',
        { _csrf: token, username: 'sun.page', displayName: '孙页面', departmentId: String(dept.id) },
        cookie,
      );
      const body = page(res);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(
        body,
        /<input[^>]*id="password-link"[^>]*value="http:\/\/localhost(:80)?\/password\/[A-Za-z0-9_-]{43}"/,
      );
      assert.ok(body.includes(zh('identity.password_link.shown_once')));
      assert.match(body, /\d{4}-\d\d-\d\d \d\d:\d\d/);
      assert.ok(body.includes('孙页面'));
      const row = await t.db.kysely
        .selectFrom('identity.account')
        .select(['division_code', 'department_id'])
        .where('username', '=', 'sun.page')
        .executeTakeFirstOrThrow();
      assert.equal(row.division_code, '330106');
      assert.equal(Number(row.department_id), dept.id);
    });

    it('keeps the form and says so when the name is taken (409)', async () => {
      const { cookie, token } = await openForm('/workbench/staff/new', sys.cookie);
      const dept = /<option value="(\d+)"/.exec(
        (await openForm('/workbench/staff/new', sys.cookie)).html,
      )![1]!;
      const form = { _csrf: token, username: sys.username, displayName: '重名', departmentId: dept };
      const body = page(await post('/workbench/staff/new', form, cookie), 409);
      assert.match(body, /id="field-username-error"/);
      assert.ok(body.includes(html(zh('identity.staff.username_taken', { username: sys.username }))));
    });
  });

  describe('/workbench/staff/:id', () => {
    it('shows security administrators the roles with a revoke button each and a grant form', async () => {
      const person = await createStaff(t, { roles: ['handler'], divisionCode: '330100' });
      const { html: body } = await openForm(`/workbench/staff/${person.accountId}`, sec.cookie);
      assert.ok(body.includes(person.username));
      assert.ok(body.includes(`action="/workbench/staff/${person.accountId}/roles/handler/revoke"`));
      assert.match(body, /<select[^>]*id="field-role"/);
      assert.ok(body.includes('<option value="publisher"'));
      assert.ok(!body.includes('<option value="handler"'), 'not the roles held');
      assert.ok(!body.includes('<option value="citizen"'), 'only staff roles');
      assert.ok(!body.includes(`/workbench/staff/${person.accountId}/status`), 'no account actions');
    });

    it('shows account administrators the status and reset buttons, and no grant form', async () => {
      const person = await createStaff(t, { roles: ['handler'], divisionCode: '330100' });
      const { html: body } = await openForm(`/workbench/staff/${person.accountId}`, sys.cookie);
      assert.ok(body.includes(`action="/workbench/staff/${person.accountId}/status"`));
      assert.ok(body.includes(`action="/workbench/staff/${person.accountId}/password-reset"`));
      assert.ok(body.includes(zh('identity.staff.disable')));
      assert.ok(!body.includes('id="field-role"'));
      assert.ok(!body.includes('/revoke"'));
    });

    it('answers 404 outside the jurisdiction and for a malformed id', async () => {
      const district = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330102' });
      const xihu = await createStaff(t, { roles: [], divisionCode: '330106' });
      page(await get(`/workbench/staff/${xihu.accountId}`, district.cookie), 404);
      page(await get('/workbench/staff/abc', sys.cookie), 404);
    });

    it('grants a role, and shows a separated duty beside the role field, writing nothing', async () => {
      const person = await createStaff(t, { roles: [], divisionCode: '330100' });
      const { cookie, token } = await openForm(`/workbench/staff/${person.accountId}`, sec.cookie);
      const res = await post(
        `/workbench/staff/${person.accountId}/roles`,
        { _csrf: token, role: 'handler' },
        cookie,
      );
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, `/workbench/staff/${person.accountId}?saved=1`);
      assert.deepEqual(await rolesOf(person.accountId), ['handler']);

      const admin = await createStaff(t, { roles: ['system_admin'], divisionCode: '330100' });
      const body = page(
        await post(`/workbench/staff/${admin.accountId}/roles`, { _csrf: token, role: 'auditor' }, cookie),
        400,
      );
      assert.match(body, /id="field-role-error"/);
      assert.ok(body.includes(html(zh('policy.duty.separated', { role: 'auditor' }))));
      assert.match(body, /<option value="auditor" selected/);
      assert.deepEqual(await rolesOf(admin.accountId), ['system_admin']);

      const empty = page(
        await post(`/workbench/staff/${person.accountId}/roles`, { _csrf: token, role: '' }, cookie),
        400,
      );
      assert.match(empty, /id="field-role-error"/);
    });

    it('shows a refusal for oneself as a message on the page (403)', async () => {
      const { cookie, token } = await openForm(`/workbench/staff/${sec.accountId}`, sec.cookie);
      const body = page(
        await post(`/workbench/staff/${sec.accountId}/roles/security_admin/revoke`, { _csrf: token }, cookie),
        403,
      );
      assert.match(body, /role="alert"/);
      assert.ok(body.includes(zh('identity.staff.not_self')));
      assert.ok(body.includes('id="field-role"'), 'the page itself, not an error page');
      assert.deepEqual(await rolesOf(sec.accountId), ['security_admin']);
    });

    it('refuses grants to system administrators (403)', async () => {
      const person = await createStaff(t, { roles: [], divisionCode: '330100' });
      const { cookie, token } = await openForm(`/workbench/staff/${person.accountId}`, sys.cookie);
      page(
        await post(`/workbench/staff/${person.accountId}/roles`, { _csrf: token, role: 'handler' }, cookie),
        403,
      );
      assert.deepEqual(await rolesOf(person.accountId), []);
    });

    it('disables and enables an account, and resets a password with a link shown once', async () => {
      const person = await createStaff(t, { roles: ['handler'], divisionCode: '330100' });
      const { cookie, token } = await openForm(`/workbench/staff/${person.accountId}`, sys.cookie);
      const off = await post(
        `/workbench/staff/${person.accountId}/status`,
        { _csrf: token, status: 'disabled' },
        cookie,
      );
      assert.equal(off.statusCode, 303, off.body);
      const disabled = page(await get(`/workbench/staff/${person.accountId}`, sys.cookie));
      assert.ok(disabled.includes(zh('identity.staff.status.disabled')));
      assert.ok(disabled.includes(zh('identity.staff.enable')));
      const on = await post(
        `/workbench/staff/${person.accountId}/status`,
        { _csrf: token, status: 'active' },
        cookie,
      );
      assert.equal(on.statusCode, 303);

      const reset = await post(
        `/workbench/staff/${person.accountId}/password-reset`,
        { _csrf: token },
        cookie,
      );
      const body = page(reset);
      assert.equal(reset.headers['cache-control'], 'no-store');
      assert.ok(body.includes(zh('identity.staff.reset_title')));
      assert.match(body, /value="http:\/\/localhost(:80)?\/password\/[A-Za-z0-9_-]{43}"/);

      const self = page(
        await post(`/workbench/staff/${sys.accountId}/password-reset`, { _csrf: token }, cookie),
        403,
      );
      assert.ok(self.includes(zh('identity.staff.not_self')));
    });
  });

  describe('/workbench/roles', () => {
    it('shows the roles, their permissions, second factor and holders, and explains 三员分立', async () => {
      const body = page(await get('/workbench/roles', sec.cookie));
      assert.ok(body.includes(zh('identity.role.separation_title')));
      assert.ok(body.includes(zh('policy.role.system_admin')));
      assert.ok(body.includes(zh('policy.role.auditor')));
      assert.ok(body.includes(zh('policy.permission.staff_manage')));
      assert.ok(body.includes(zh('policy.permission.audit_export')));
      assert.ok(!body.includes('policy.permission.'), 'every permission has a name');
      page(await get('/workbench/roles', sys.cookie), 403);
    });
  });

  describe('/workbench/security', () => {
    const maxAge = async () =>
      (
        await t.db.kysely
          .selectFrom('identity.security_setting')
          .select('password_max_age_days')
          .where('tenant_id', '=', TENANT)
          .executeTakeFirst()
      )?.password_max_age_days ?? null;

    it('sets the password maximum age; empty means never', async () => {
      const { cookie, token, html: form } = await openForm('/workbench/security', sec.cookie);
      assert.match(form, /id="field-passwordMaxAgeDays"/);
      const res = await post('/workbench/security', { _csrf: token, passwordMaxAgeDays: '90' }, cookie);
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, '/workbench/security?saved=1');
      assert.equal(await maxAge(), 90);
      const saved = page(await get('/workbench/security?saved=1', sec.cookie));
      assert.match(
        saved,
        /id="field-passwordMaxAgeDays"[^>]*value="90"|value="90"[^>]*id="field-passwordMaxAgeDays"/,
      );
      assert.ok(saved.includes(zh('common.saved')));
      assert.equal(
        (await post('/workbench/security', { _csrf: token, passwordMaxAgeDays: '' }, cookie)).statusCode,
        303,
      );
      assert.equal(await maxAge(), null);
    });

    it('shows a bad value beside the field and changes nothing', async () => {
      const { cookie, token } = await openForm('/workbench/security', sec.cookie);
      for (const value of ['abc', '0', '1.5', '4000']) {
        const body = page(
          await post('/workbench/security', { _csrf: token, passwordMaxAgeDays: value }, cookie),
          400,
        );
        assert.match(body, /id="field-passwordMaxAgeDays-error"/, value);
        assert.ok(body.includes(zh('identity.security.max_age_range')));
      }
      assert.equal(await maxAge(), null);
    });

    it('is refused (403) to system administrators', async () => {
      page(await get('/workbench/security', sys.cookie), 403);
    });
  });

  describe('/password/:token', () => {
    async function link(): Promise<{ url: string; username: string }> {
      const dept = (
        await t.org.departments.list(TENANT, {
          divisionCode: '330100',
          includeInactive: false,
          limit: 1,
          offset: 0,
        })
      ).items[0]!;
      const username = `link.${Math.random().toString(36).slice(2, 8)}`;
      const { link } = await t.identity.staff.create(systemContext(TENANT), {
        username,
        displayName: '周链接',
        departmentId: dept.id,
      });
      return { url: link.path, username };
    }

    it('shows whose password is set, with the rules, and sends the person to log in', async () => {
      const { url, username } = await link();
      const { cookie, token, html: body } = await openForm(url);
      assert.ok(body.includes('周链接') && body.includes(username));
      assert.match(body, /<input[^>]*type="password"[^>]*autocomplete="new-password"/);
      assert.ok(body.includes(zh('identity.password.rules')));

      const weak = page(await post(url, { _csrf: token, password: 'weakpass' }, cookie), 400);
      assert.match(weak, /id="field-password-error"/);
      assert.ok(weak.includes(zh('identity.password.classes')));
      assert.ok(!weak.includes('weakpass'), 'the password is never sent back');

      const res = await post(url, { _csrf: token, password: PASSWORD }, cookie);
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, '/login?set=1');
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username, password: PASSWORD },
      });
      assert.equal(login.statusCode, 200, login.body);

      const used = page(await get(url), 404);
      assert.ok(used.includes(zh('identity.password_link.invalid')));
      page(await post(url, { _csrf: token, password: `${PASSWORD}2` }, cookie), 404);
    });

    it('answers 404 with a clear message for an unknown link', async () => {
      const body = page(await get(`/password/${'B'.repeat(43)}`), 404);
      assert.ok(body.includes(zh('identity.password_link.invalid')));
      page(await get('/password/short'), 404);
    });

    it('is kept out of caches and referrers', async () => {
      const { url } = await link();
      const res = await get(url);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    });
  });
});
