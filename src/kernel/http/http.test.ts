import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff } from '../../../test/support/staff.ts';
import { redactUrl } from './index.ts';

describe('HTTP kernel', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '40' } });
  });
  after(() => t.drop());

  it('sends security headers: CSP without inline script, no framing, nosniff', async () => {
    const res = await t.app.inject({ url: '/' });
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['strict-transport-security'], undefined, 'HSTS only in production');
  });

  it('gives every response a request id, keeping a well-formed one from the caller', async () => {
    const mine = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(mine.headers['x-request-id'], 'abc-123');
    const bad = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': '<script>' } });
    assert.match(String(bad.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/readyz' })).statusCode, 200);
    const metrics = await t.app.inject({ url: '/metrics' });
    assert.match(String(metrics.headers['content-type']), /^text\/plain/);
    assert.match(metrics.body, /http_request_duration_seconds_bucket/);
    assert.match(metrics.body, /process_resident_memory_bytes/);
  });

  it('answers an unknown API path with problem+json and an unknown page with a friendly page', async () => {
    const api = await t.app.inject({ url: '/api/v1/nothing-here' });
    assert.equal(api.statusCode, 404);
    assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
    assert.equal(api.json().code, 'errors.not_found');
    const page = await t.app.inject({ url: '/nothing-here', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 404);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /页面不存在/);
    assert.match(page.body, /<a href="\/">返回首页<\/a>/);
  });

  it('speaks English on request and remembers the choice in a cookie', async () => {
    const res = await t.app.inject({ url: '/?lang=en' });
    assert.match(res.body, /<html lang="en">/);
    const cookie = res.cookies.find((c) => c.name === 'yw_lang');
    assert.equal(cookie?.value, 'en');
    const next = await t.app.inject({ url: '/divisions', cookies: { yw_lang: 'en' } });
    assert.match(next.body, /Administrative divisions/);
    const api = await t.app.inject({
      url: '/api/v1/divisions/999999',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    assert.match(api.json().detail, /no division with code 999999/);
  });

  it('refuses a form post without the CSRF token, even from a signed-in administrator', async () => {
    const { cookie } = await signInStaff(t, { roles: ['system_admin'] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/workbench/site',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie },
      payload: 'name=x',
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /表单已过期/);
    assert.notEqual((await t.org.tenants.get('330000')).name, 'x', 'nothing saved');
  });

  it('rate-limits a client that sends too many requests, with problem+json', async () => {
    let last = 0;
    let body: { code?: string } = {};
    for (let i = 0; i < 60 && last !== 429; i++) {
      const res = await t.app.inject({ url: '/api/v1/department-types', remoteAddress: '10.9.8.7' });
      last = res.statusCode;
      if (last === 429) body = res.json();
    }
    assert.equal(last, 429);
    assert.equal(body.code, 'errors.rate_limited');
    const other = await t.app.inject({ url: '/api/v1/department-types', remoteAddress: '10.9.8.8' });
    assert.equal(other.statusCode, 200);
  });
});

describe('HTTP kernel in production', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      env: {
        NODE_ENV: 'production',
        SECRET_KEY: 'a-production-secret-of-enough-length-0123',
        PII_KEYS: `prod1:${'a1'.repeat(16)}`,
        PII_LOOKUP_KEY: 'b2'.repeat(32),
      },
    });
  });
  after(() => t.drop());

  it('sends HSTS and a secure language cookie', async () => {
    const res = await t.app.inject({ url: '/?lang=en' });
    assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
    assert.equal(res.cookies.find((c) => c.name === 'yw_lang')?.secure, true);
  });

  it('mounts the workbench and the write APIs, refusing anonymous callers', async () => {
    for (const url of ['/workbench', '/workbench/departments', '/workbench/divisions/330100']) {
      const page = await t.app.inject({ url, headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 303, url);
      assert.equal(page.headers.location, `/login?next=${encodeURIComponent(url)}`);
    }
    for (const [method, url, payload] of [
      ['POST', '/api/v1/divisions', { code: '330108', name: 'x' }],
      ['PATCH', '/api/v1/divisions/330100', { name: 'x' }],
      ['POST', '/api/v1/departments', { divisionCode: '330100', name: 'x', type: 'other' }],
      ['GET', '/api/v1/tenants', undefined],
    ] as const) {
      const write = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
      assert.equal(write.statusCode, 401, `${method} ${url}: ${write.body}`);
      assert.match(String(write.headers['content-type']), /^application\/problem\+json/);
      assert.equal(write.json<{ code: string }>().code, 'identity.session.required');
    }
    assert.equal(
      (await t.app.inject({ url: '/api/v1/divisions/330108' })).statusCode,
      404,
      'nothing created',
    );
    assert.equal(
      (await t.app.inject({ url: '/api/v1/divisions/330100' })).json<{ name: string }>().name,
      '杭州市',
    );
    assert.equal((await t.app.inject({ url: '/api/v1/divisions/330000' })).statusCode, 200);
  });

  it('lets a signed-in administrator use the workbench and the write APIs', async () => {
    const { cookie } = await signInStaff(t, { roles: ['system_admin'] });
    const page = await t.app.inject({
      url: '/workbench/divisions',
      headers: { accept: 'text/html', cookie },
    });
    assert.equal(page.statusCode, 200);
    const write = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/divisions/330106',
      headers: { cookie },
      payload: { name: '西湖区' },
    });
    assert.equal(write.statusCode, 200, write.body);
  });
});

describe('micro-cache of public GETs', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { PUBLIC_CACHE_SECONDS: '60' } });
  });
  after(() => t.drop());

  it('serves a repeated anonymous GET from the cache, per language', async () => {
    const first = await t.app.inject({ url: '/api/v1/divisions/330100' });
    assert.equal(first.headers['x-cache'], 'miss');
    const second = await t.app.inject({ url: '/api/v1/divisions/330100' });
    assert.equal(second.headers['x-cache'], 'hit');
    assert.equal(second.body, first.body);
    assert.match(String(second.headers['content-type']), /^application\/json/);
    assert.ok(second.headers['content-security-policy'], 'security headers on a hit too');
    const english = await t.app.inject({
      url: '/api/v1/divisions/330100',
      headers: { 'accept-language': 'en' },
    });
    assert.equal(english.headers['x-cache'], 'miss');
  });

  it('forgets everything after a successful write on this node', async () => {
    const { cookie } = await signInStaff(t, { roles: ['system_admin'] });
    await t.app.inject({ url: '/api/v1/divisions/330102' });
    const write = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/divisions/330102',
      headers: { cookie },
      payload: { name: '上城区（改）' },
    });
    assert.equal(write.statusCode, 200);
    const after = await t.app.inject({ url: '/api/v1/divisions/330102' });
    assert.equal(after.headers['x-cache'], 'miss');
    assert.equal(after.json().name, '上城区（改）');
  });

  it('never caches errors or pages that carry a form token', async () => {
    await t.app.inject({ url: '/api/v1/divisions/339999' });
    const again = await t.app.inject({ url: '/api/v1/divisions/339999' });
    assert.equal(again.statusCode, 404);
    assert.equal(again.headers['x-cache'], undefined);
    const { cookie } = await signInStaff(t, { roles: ['system_admin'] });
    for (let i = 0; i < 2; i++) {
      const form = await t.app.inject({ url: '/workbench/site', headers: { accept: 'text/html', cookie } });
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /name="_csrf"/);
      assert.equal(form.headers['x-cache'], undefined);
    }
  });
});

describe('redactUrl', () => {
  it('keeps personal identifiers in query strings out of the logs', () => {
    assert.equal(
      redactUrl('/api/v1/identifiers/check?type=citizen-id&value=11010519491231002X'),
      '/api/v1/identifiers/check?type=citizen-id&value=[redacted]',
    );
    assert.equal(
      redactUrl('/x?phone=138&q=西湖&idNumber=1#f'),
      '/x?phone=[redacted]&q=西湖&idNumber=[redacted]#f',
    );
    assert.equal(redactUrl('/divisions?q=3301'), '/divisions?q=3301');
  });

  it('keeps one-time password-link tokens in paths out of the logs', () => {
    const token = 'AbC_dEf-0123456789abcdefghijklmnopqrstuvwxy';
    assert.equal(redactUrl(`/password/${token}`), '/password/[redacted]');
    assert.equal(
      redactUrl(`/api/v1/password-links/${token}?lang=en`),
      '/api/v1/password-links/[redacted]?lang=en',
    );
    assert.equal(redactUrl('/account/password'), '/account/password');
    // A whole ID number typed into a search box, whatever the parameter's name.
    assert.equal(
      redactUrl('/workbench/people?q=33010619900101123x&offset=20'),
      '/workbench/people?q=[redacted]&offset=20',
    );
    assert.equal(redactUrl('/divisions/330106001'), '/divisions/330106001');
  });
});

describe('client addresses behind a proxy', () => {
  /** The address the audit chain records for a failed login sent by 10.0.0.5 claiming 203.0.113.9. */
  const recorded = async (env: Record<string, string>) => {
    const t = await createTestApp({ seed: false, env });
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress: '10.0.0.5',
        headers: { 'x-forwarded-for': '203.0.113.9' },
        payload: { username: 'nobody.here', password: 'Wrong#pass1' },
      });
      assert.equal(res.statusCode, 401);
      const e = await t.db.kysely
        .selectFrom('audit.entry')
        .select('ip')
        .where('action', '=', 'session.login_failed')
        .executeTakeFirstOrThrow();
      return e.ip;
    } finally {
      await t.drop();
    }
  };

  it('ignores X-Forwarded-For unless the sender is a configured proxy', async () => {
    const production = {
      NODE_ENV: 'production',
      SECRET_KEY: 'x'.repeat(40),
      PII_KEYS: 'k1:00112233445566778899aabbccddef00',
      PII_LOOKUP_KEY: 'ab'.repeat(32),
    };
    assert.equal(await recorded(production), '10.0.0.5');
    assert.equal(await recorded({ ...production, TRUST_PROXY: '10.0.0.0/8' }), '203.0.113.9');
    assert.equal(await recorded({ TRUST_PROXY: '192.168.1.1' }), '10.0.0.5');
  });
});
