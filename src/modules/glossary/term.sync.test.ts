import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testConfig, type TestDatabase } from '../../../test/support/app.ts';
import { buildApp, type Yiwang } from '../../app.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { migrate } from '../../kernel/db/index.ts';
import { createTermSync } from './term.sync.ts';

const TERM = '钱塘帮办';

async function until(what: string, check: () => Promise<boolean>, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('search terms on several nodes of one database', () => {
  let test: TestDatabase;
  let dir: string;
  let one: Yiwang;
  let two: Yiwang;

  before(async () => {
    test = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'yw-glossary-'));
    // Two applications on the same database, as two nodes behind a load balancer (each its segmenter).
    // Their configuration names the server, as a node's does: they LISTEN on it.
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

  /** Whether a node's segmenter takes the term as one word (the words a search asks for). */
  const knows = async (node: Yiwang) =>
    (await node.services.search.search('330000', TERM, {}, { limit: 1, offset: 0 })).terms.join() === TERM;

  it("reach the other node's segmenter: by NOTIFY on PostgreSQL, by its reload on PGlite", async () => {
    assert.equal(await knows(two), false);
    await one.glossary.terms.add(systemContext('330000'), TERM);
    assert.equal(await knows(one), true, 'the node that added it, before the call returns');
    if (test.db.kind === 'postgres') await until('the other node hears of it', () => knows(two));
    else {
      // PGlite is one process; the reload a node on PostgreSQL also runs every minute.
      assert.equal(await knows(two), false);
      await two.glossary.loadTerms();
    }
    assert.equal(await knows(two), true);

    await one.glossary.terms.remove(systemContext('330000'), TERM);
    if (test.db.kind === 'postgres')
      await until('the other node hears of the removal', async () => !(await knows(two)));
    else await two.glossary.loadTerms();
    assert.equal(await knows(two), false);
  });

  it('reload every so often on PostgreSQL, whatever notifications were missed', async (t) => {
    if (test.db.kind !== 'postgres') return t.skip('PGlite: one process, nothing to follow');
    await migrate(test.db);
    let held: readonly string[] = [];
    // No URL to LISTEN with: only the periodic reload is left.
    const sync = createTermSync(
      test.db,
      { setSiteTerms: (terms) => void (held = terms) },
      { reloadEveryMs: 50 },
    );
    const stop = sync.start((e) => assert.fail(String(e)));
    try {
      await test.db.kysely
        .insertInto('glossary.term')
        .values({ tenant_id: '330100', term: '西湖帮办', added_by: 'test', added_by_name: 'test' })
        .execute();
      await until('the periodic reload', async () => held.includes('西湖帮办'));
    } finally {
      await stop();
    }
  });
});
