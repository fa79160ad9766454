import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../kernel/db/index.ts';
import { DEFAULT_THRESHOLDS } from './index.ts';

// The CLI always runs on its own PGlite data dir here, whatever DATABASE_URL the suite has.
function yiwang(args: string[], dataDir: string) {
  return spawnSync(process.execPath, ['bin/yiwang.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    timeout: 180_000,
  });
}

describe('yiwang site check', { timeout: 600_000 }, () => {
  const data = path.join(mkdtempSync(path.join(tmpdir(), 'yw-sitecheck-')), 'data');

  it('refuses a bad option with one line and exit 2 (1 is kept for a veto)', () => {
    const unknown = yiwang(['site', 'check', '--bogus'], data);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^yiwang: unknown option '--bogus'\n$/);
    const site = yiwang(['site', 'check', '--site', '33'], data);
    assert.equal(site.status, 2);
    assert.match(site.stderr, /^yiwang: --site takes a site's six-digit division code, not "33"\n$/);
    const missing = yiwang(['site', 'check', '--site'], data);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  });

  it('prints the findings and exits 1 on the demo site, whose empty columns are a veto', () => {
    assert.equal(yiwang(['seed'], data).status, 0);
    const run = yiwang(['site', 'check'], data);
    assert.equal(run.status, 1, run.stderr);
    assert.match(
      run.stdout,
      /^VETO {3}空白栏目: 空白栏目 10 个，达到 5 个 \[10 个 \/ 5 个\] \/publications\/categories\//m,
    );
    assert.match(
      run.stdout,
      /^NOTICE 空白栏目: 栏目“负责人信息”没有公开的信息 \[0 个\] \/publications\/categories\/leaders$/m,
    );
    assert.match(
      run.stdout,
      /\n站点 330000 自查不合格：单项否决 1 项，扣分 0 项，提示 10 项，检查链接 \d+ 个\n$/,
    );
    const unknown = yiwang(['site', 'check', '--site', '110000'], data);
    assert.equal(unknown.status, 2);
    assert.equal(unknown.stderr.trim().split('\n').length, 1, unknown.stderr);
  });

  it('exits 0 once nothing is a veto under the site’s thresholds, and gives the report as JSON', async () => {
    const db = await openDatabase({ pgliteDir: path.join(data, 'pgdata') });
    await db.kysely
      .insertInto('sitecheck.setting')
      .values({
        tenant_id: '330000',
        thresholds: JSON.stringify({ ...DEFAULT_THRESHOLDS, emptyColumnsVeto: 20 }),
        updated_by: 'test',
      })
      .execute();
    await db.close();
    const run = yiwang(['site', 'check', '--site', '330000', '--json'], data);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      passed: boolean;
      summary: { veto: number; notice: number };
      findings: { message: string }[];
    };
    assert.equal(report.passed, true);
    assert.deepEqual([report.summary.veto, report.summary.notice], [0, 10]);
    assert.equal(report.findings[0]!.message, '栏目“负责人信息”没有公开的信息');
  });
});
