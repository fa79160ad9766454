import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../kernel/db/index.ts';

// The CLI always runs on its own PGlite data dir here, whatever DATABASE_URL the suite has.
function yiwang(args: string[], dataDir: string) {
  return spawnSync(process.execPath, ['bin/yiwang.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    timeout: 180_000,
  });
}

describe('yiwang search reindex', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yw-reindex-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("re-segments every module's documents with the terms added since, then finds nothing to change", async () => {
    assert.equal(yiwang(['seed'], dir).status, 0);
    // A term of the demo catalogue's guides (浙里办, split by jieba into 浙里 and 办) added after they were indexed.
    const db = await openDatabase({ pgliteDir: path.join(dir, 'pgdata') });
    await db.kysely
      .insertInto('glossary.term')
      .values({ tenant_id: '330000', term: '浙里办', added_by: 'test', added_by_name: 'test' })
      .execute();
    const items = Number(
      (
        await db.kysely
          .selectFrom('services.item')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    await db.close();
    assert.ok(items > 0);

    const first = yiwang(['search', 'reindex'], dir);
    assert.equal(first.status, 0, first.stderr);
    const line = new RegExp(`^services: +${items} document\\(s\\) re-indexed, ([1-9]\\d*) changed$`, 'm');
    assert.match(first.stdout, line);
    assert.match(
      first.stdout,
      new RegExp(
        `\\nsearch index rebuilt: \\d+ document\\(s\\) re-indexed, [1-9]\\d* changed, [\\d.]+ s\\n$`,
      ),
    );
    const again = yiwang(['search', 'reindex', '--only', 'services'], dir);
    assert.equal(again.status, 0, again.stderr);
    assert.match(
      again.stdout,
      new RegExp(`^services: +${items} document\\(s\\) re-indexed, 0 changed$`, 'm'),
    );
  });

  it('stops with one line naming the indexes there are, for an unknown --only', () => {
    const bad = yiwang(['search', 'reindex', '--only', 'nope'], dir);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^yiwang: 没有名为 nope 的索引；可选：[^\n]*\bservices\b[^\n]*\n$/);
  });
});
