import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testConfig, type TestDatabase } from '../../../test/support/app.ts';
import { buildApp, type Yiwang } from '../../app.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { migrate } from '../../kernel/db/index.ts';
import { createWordSync } from './word.sync.ts';

const WORD = '节点同步词';

async function until(what: string, check: () => Promise<boolean>, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sensitive words on several nodes of one database', () => {
  let test: TestDatabase;
  let dir: string;
  let one: Yiwang;
  let two: Yiwang;

  before(async () => {
    test = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'yw-moderation-'));
    const url = process.env.DATABASE_URL;
    const config = testConfig({ DATA_DIR: dir, ...(url ? { DATABASE_URL: url } : {}) });
    one = await buildApp(config, { db: test.db });
    two = await buildApp(config, { db: test.db });
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await test?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const holds = async (node: Yiwang) => (await node.moderation.screen('330000', [`来信：${WORD}`])).held;

  it("reach the other node's automaton: by NOTIFY on PostgreSQL, by its reload on PGlite", async () => {
    assert.equal(await holds(two), false);
    await one.moderation.moderation.add(systemContext('330000'), WORD);
    assert.equal(await holds(one), true, 'the node that added it, before the call returns');
    if (test.db.kind === 'postgres') await until('the other node hears of it', () => holds(two));
    else {
      assert.equal(await holds(two), false);
      await two.moderation.loadWords();
    }
    assert.equal(await holds(two), true);

    await one.moderation.moderation.remove(systemContext('330000'), WORD);
    if (test.db.kind === 'postgres')
      await until('the other node hears of the removal', async () => !(await holds(two)));
    else await two.moderation.loadWords();
    assert.equal(await holds(two), false);
  });

  it('reload every so often on PostgreSQL, whatever notifications were missed', async (t) => {
    if (test.db.kind !== 'postgres') return t.skip('PGlite: one process, nothing to follow');
    await migrate(test.db);
    const sync = createWordSync(test.db, { reloadEveryMs: 50 });
    const stop = sync.start((e) => assert.fail(String(e)));
    try {
      await test.db.kysely
        .insertInto('moderation.word')
        .values({ tenant_id: '330100', word: '周期重载词', added_by: 'test', added_by_name: 'test' })
        .execute();
      await until('the periodic reload', async () => sync.matcherFor('330100').test('周 期 重 载 词'));
    } finally {
      await stop();
    }
  });
});
