import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, DEV_SECRET_KEY, loadConfig } from './index.ts';

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    const c = loadConfig({}, '/srv/yiwang');
    assert.equal(c.port, 3000);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.dataDir, '/srv/yiwang/data');
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.nodeEnv, 'development');
    assert.equal(c.seedDemo, true);
    assert.equal(c.secretKey, DEV_SECRET_KEY);
  });

  it('lists every invalid setting at once', () => {
    assert.throws(
      () =>
        loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', DATABASE_POOL_SIZE: '0' }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.problems.length, 4);
        assert.match(e.message, /PORT/);
        assert.match(e.message, /LOG_LEVEL/);
        assert.match(e.message, /DATABASE_URL/);
        assert.match(e.message, /DATABASE_POOL_SIZE/);
        return true;
      },
    );
  });

  it('refuses to start in production with the development secret', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SECRET_KEY: still the development default/);
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(40) }),
      /PII_KEYS: still the development keys[\s\S]*PII_LOOKUP_KEY: still/,
    );
    const c = loadConfig({
      NODE_ENV: 'production',
      SECRET_KEY: 'x'.repeat(40),
      PII_KEYS: `old:${'1'.repeat(32)},new:${'2'.repeat(32)}`,
      PII_LOOKUP_KEY: '3'.repeat(64),
    });
    assert.deepEqual(
      c.piiKeys.map((k) => k.id),
      ['old', 'new'],
    );
    assert.equal(c.piiKeyCurrent, 'new');
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.seedDemo, false);
  });

  it('checks the personal-data keys', () => {
    assert.throws(() => loadConfig({ PII_KEYS: 'k1:abc' }), /PII_KEYS: each key must be id:32-hex-digits/);
    assert.throws(
      () => loadConfig({ PII_KEYS: `k1:${'a'.repeat(32)}`, PII_KEY_CURRENT: 'k9' }),
      /PII_KEY_CURRENT/,
    );
    assert.throws(
      () => loadConfig({ PII_LOOKUP_KEY: 'abcd' }),
      /PII_LOOKUP_KEY: must be at least 64 hex digits/,
    );
  });

  it('reads an optional JSON file, with the environment winning', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-config-'));
    writeFileSync(path.join(dir, 'yiwang.json'), JSON.stringify({ PORT: 4000, LOG_LEVEL: 'debug' }));
    const c = loadConfig({ CONFIG_FILE: 'yiwang.json', LOG_LEVEL: 'warn' }, dir);
    assert.equal(c.port, 4000);
    assert.equal(c.logLevel, 'warn');
    assert.throws(() => loadConfig({ CONFIG_FILE: 'missing.json' }, dir), /CONFIG_FILE: cannot read/);
  });

  describe('SMTP_URL and SMTP_FROM', () => {
    it('are off by default: no mail server', () => {
      assert.equal(loadConfig({}).smtp, undefined);
      assert.equal(loadConfig({ SMTP_URL: '  ', SMTP_FROM: 'noreply@example.gov.cn' }).smtp, undefined);
    });

    it('read smtp:// (STARTTLS, required off loopback) and smtps://, with a %-encoded password', () => {
      const c = loadConfig({
        SMTP_URL: 'smtp://yiwang%40zj:s%3Acret%2F1@mail.example.gov.cn',
        SMTP_FROM: '浙江政务服务 <noreply@example.gov.cn>',
      }).smtp!;
      assert.equal(c.host, 'mail.example.gov.cn');
      assert.equal(c.port, 587);
      assert.equal(c.secure, false);
      assert.equal(c.requireTls, true);
      assert.equal(c.user, 'yiwang@zj');
      assert.equal(c.password, 's:cret/1');
      assert.equal(c.from, '浙江政务服务 <noreply@example.gov.cn>');
      assert.equal(c.display, 'smtp://yiwang%40zj:***@mail.example.gov.cn');
      const secure = loadConfig({
        SMTP_URL: 'smtps://mail.example.gov.cn',
        SMTP_FROM: 'a@example.gov.cn',
      }).smtp!;
      assert.deepEqual(
        [secure.port, secure.secure, secure.requireTls, secure.user],
        [465, true, false, undefined],
      );
      const local = loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', SMTP_FROM: 'a@example.gov.cn' }).smtp!;
      assert.deepEqual([local.port, local.requireTls], [2525, false]);
    });

    it('never show the password: not in the serialised or printed configuration', async () => {
      const { inspect } = await import('node:util');
      const c = loadConfig({
        SMTP_URL: 'smtp://u:TopSecret99@mail.example.gov.cn',
        SMTP_FROM: 'a@example.gov.cn',
      });
      assert.ok(!JSON.stringify(c).includes('TopSecret99'));
      assert.ok(!inspect(c, { depth: 5 }).includes('TopSecret99'));
    });

    it('name a bad URL without repeating it, and a missing or bad sender', () => {
      const problems = (env: Record<string, string>) => {
        try {
          loadConfig(env);
        } catch (e) {
          assert.ok(e instanceof ConfigError);
          assert.ok(!e.message.includes('TopSecret99'), e.message);
          return e.problems;
        }
        return assert.fail('accepted');
      };
      const from = { SMTP_FROM: 'noreply@example.gov.cn' };
      assert.match(
        problems({ SMTP_URL: 'http://u:TopSecret99@mail.example.gov.cn', ...from })[0]!,
        /^SMTP_URL: must be smtp:\/\/.*the scheme is "http"/,
      );
      assert.match(
        problems({ SMTP_URL: 'mail.example.gov.cn:587', ...from })[0]!,
        /^SMTP_URL: must be smtp:\/\//,
      );
      assert.match(problems({ SMTP_URL: 'smtp://', ...from })[0]!, /^SMTP_URL: .*\(no host\)/);
      assert.match(
        problems({ SMTP_URL: 'smtp://mail.example.gov.cn/inbox?x=1', ...from })[0]!,
        /nothing may follow/,
      );
      assert.deepEqual(problems({ SMTP_URL: 'smtp://u:TopSecret99@mail.example.gov.cn' }), [
        'SMTP_FROM: required when SMTP_URL is set (the sender address)',
      ]);
      assert.match(
        problems({ SMTP_URL: 'smtps://mail.example.gov.cn', SMTP_FROM: 'noreply' })[0]!,
        /^SMTP_FROM: must be an address/,
      );
      assert.match(
        problems({
          SMTP_URL: 'smtps://mail.example.gov.cn',
          SMTP_FROM: 'a@example.gov.cn, b@example.gov.cn',
        })[0]!,
        /^SMTP_FROM: must be an address/,
      );
      // Listed with the others, all at once.
      assert.equal(problems({ PORT: 'x', SMTP_URL: 'ftp://h' }).length, 3);
    });
  });
});
