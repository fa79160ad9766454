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
});
