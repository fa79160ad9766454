import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createSegmenter } from '../../kernel/search/index.ts';
import { createItemReindexer } from './item.reindex.ts';

describe('re-indexing the catalogue', () => {
  let y: TestApp;
  let items = 0;
  const vectors = async () =>
    (
      await sql<{ code: string; v: string }>`select code, search_vector::text as v from services.item
        where tenant_id = '330000' order by code`.execute(y.db.kysely)
    ).rows;

  before(async () => {
    y = await createTestApp({ seed: true });
    items = await y.services.reindexer.count('330000');
  });
  after(() => y.drop());

  it('counts the items of a site, or of every site', async () => {
    assert.ok(items >= 10, `${items} demo items`);
    assert.equal(await y.services.reindexer.count(), items);
    assert.equal(await y.services.reindexer.count('110000'), 0);
  });

  it('goes through every item in batches, reporting progress, and changes nothing already exact', async () => {
    const before = await vectors();
    const progress: [number, number][] = [];
    const reindexer = createItemReindexer(y.db, createSegmenter(), { batchSize: 5 });
    const r = await reindexer.run((done, total) => progress.push([done, total]));
    assert.deepEqual(r, { documents: items, changed: 0 });
    const steps = [
      0,
      ...Array.from({ length: Math.ceil(items / 5) }, (_, i) => Math.min(items, (i + 1) * 5)),
    ];
    assert.deepEqual(
      progress,
      steps.map((d) => [d, items]),
    );
    assert.deepEqual(await vectors(), before);
  });

  it("recomputes the vectors of the items a segmenter's new term splits differently", async () => {
    // 浙里办 (Zhejiang's service app): jieba alone keeps only 浙里 of it.
    const withTerm = createSegmenter({ terms: ['浙里办'] });
    const holding = (await vectors()).filter((v) => v.v.includes("'浙里'")).length;
    assert.ok(holding > 0);
    const r = await createItemReindexer(y.db, withTerm, { batchSize: 4 }).run();
    assert.deepEqual(r, { documents: items, changed: holding });
    assert.equal((await vectors()).filter((v) => v.v.includes("'浙里办'")).length, holding);
    // With the module's own segmenter (no such term) the vectors go back as they were.
    assert.deepEqual(await y.services.reindexer.run(), { documents: items, changed: holding });
    assert.equal((await vectors()).filter((v) => v.v.includes("'浙里'")).length, holding);
  });
});
