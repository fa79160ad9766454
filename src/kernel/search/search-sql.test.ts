/**
 * Search on a real database (PGlite, or PostgreSQL when DATABASE_URL is set): a table of service guides
 * created for this file, as a module's migration would create it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { createSegmenter, highlight, matches, rank, type Segmenter } from './index.ts';
import { SAMPLE_GUIDES, type SampleGuide } from './sample-guides.ts';

interface GuideTable {
  id: number;
  title: string;
  body: string;
  published_at: string | null;
  search_vector: string;
}
type GuideDB = { search_guide: GuideTable };

const segmenter = createSegmenter();
let test: TestDatabase;
const onPostgres = Boolean(process.env.DATABASE_URL);
let db: Kysely<GuideDB>;

const row = (s: Segmenter, id: number, g: SampleGuide): GuideTable => ({
  id,
  title: g.title,
  body: g.body,
  published_at: g.published,
  search_vector: s.indexText([
    { text: g.title, weight: 'A' },
    { text: g.body, weight: 'D' },
  ]),
});

function searchGuides(input: string, options: { recency?: boolean; offset?: number } = {}) {
  const q = segmenter.searchQuery(input);
  const score = rank('search_vector', q, options.recency === false ? {} : { recencyColumn: 'published_at' });
  const query = db
    .selectFrom('search_guide')
    .select(['title', 'body', score.as('score')])
    .where(matches('search_vector', q))
    .orderBy('score', 'desc')
    .orderBy('id')
    .limit(5)
    .offset(options.offset ?? 0);
  return { q, query };
}

async function search(input: string, options: { recency?: boolean; offset?: number } = {}) {
  const { q, query } = searchGuides(input, options);
  const rows = await query.execute();
  return { q, rows, titles: rows.map((r) => r.title) };
}

before(async () => {
  test = await createTestDatabase();
  db = test.db.kysely.withTables<GuideDB>() as unknown as Kysely<GuideDB>;
  await sql`create table search_guide (id integer primary key, title text not null, body text not null,
    published_at timestamptz, search_vector tsvector not null)`.execute(db);
  await sql`create index search_guide_vector on search_guide using gin (search_vector)`.execute(db);
  await db
    .insertInto('search_guide')
    .values(SAMPLE_GUIDES.map((g, i) => row(segmenter, i + 1, g)))
    .execute();
});
after(() => test.drop());

describe('searching service guides', () => {
  it('finds the 最低生活保障 guide by its short name 低保', async () => {
    const { titles } = await search('低保');
    assert.equal(titles[0], '最低生活保障申请');
    assert.ok(!SAMPLE_GUIDES[0]!.body.includes('低保'));
  });

  it('finds a guide whose body mentions the word', async () => {
    assert.ok((await search('营业执照')).titles.includes('个体工商户设立登记'));
  });

  it('finds a long word by a part of it', async () => {
    assert.equal((await search('生活保障')).titles[0], '最低生活保障申请');
    assert.equal((await search('工商户')).titles[0], '个体工商户设立登记');
    assert.equal((await search('公租房怎么申请')).titles[0], '公共租赁住房保障申请');
  });

  it('ranks a match in the title above a newer match in the body', async () => {
    const { titles } = await search('居住证');
    assert.deepEqual(titles.slice(0, 2), ['居住证申领', '义务教育阶段新生入学登记']);
  });

  it('ranks the newer of two equally relevant documents first', async () => {
    const plain = await search('政府信息公开工作年度报告', { recency: false });
    assert.equal(plain.rows.length, 2);
    assert.equal(plain.rows[0]!.score, plain.rows[1]!.score);
    const { titles } = await search('政府信息公开工作年度报告');
    assert.deepEqual(titles, ['2024年政府信息公开工作年度报告', '2023年政府信息公开工作年度报告']);
  });

  it('counts an undated or ancient document as old, without error', async () => {
    const report = SAMPLE_GUIDES.at(-2)!;
    await db
      .insertInto('search_guide')
      .values([
        { ...row(segmenter, 901, report), published_at: null },
        { ...row(segmenter, 902, report), published_at: '1900-01-01' },
      ])
      .execute();
    const { rows } = await search('政府信息公开工作年度报告');
    assert.equal(rows.length, 4);
    assert.equal(rows[0]!.title, '2024年政府信息公开工作年度报告');
    assert.ok(rows[1]!.score > rows[2]!.score);
    assert.equal(rows[2]!.score, rows[3]!.score);
    await db.deleteFrom('search_guide').where('id', 'in', [901, 902]).execute();
  });

  it('matches Latin letters and digits by prefix', async () => {
    assert.deepEqual((await search('1234')).titles, ['12345政务服务便民热线']);
  });

  it('pages through the results in a stable order', async () => {
    const first = await search('申请');
    const second = await search('申请', { offset: 5 });
    assert.equal(first.rows.length, 5);
    assert.ok(second.rows.length > 0);
    assert.ok(second.titles.every((t) => !first.titles.includes(t)));
  });

  it('shows a snippet with the synonym marked', async () => {
    const { q, rows } = await search('低保');
    const segments = highlight(rows[0]!.body, q.terms, { maxLength: 40 });
    assert.ok(segments.some((s) => s.match && s.text === '最低生活保障'));
  });

  it('returns nothing, without error, for a query without words', async () => {
    for (const input of ['', '？！', '的']) assert.deepEqual((await search(input)).rows, []);
  });

  it('runs any input without error', async () => {
    for (const input of [
      "'; drop table search_guide; --",
      "低保' | '",
      '低保 & !(社保:*)',
      "\\\\'",
      '低保'.repeat(5000),
    ])
      await search(input);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 60 }), async (input) => {
        await search(input);
      }),
      { numRuns: 50 },
    );
    assert.equal((await search('最低生活保障')).titles[0], '最低生活保障申请', 'the table is still there');
  });

  it('finds a document by a site term added at run time', async () => {
    const own = createSegmenter();
    own.setSiteTerms(['甬易办']);
    const guide = { title: '甬易办移动端办事', body: '在甬易办上申请居住证。', published: '2025-01-01' };
    await db
      .insertInto('search_guide')
      .values(row(own, 900, guide))
      .execute();
    const q = own.searchQuery('甬易办');
    assert.equal(q.tsquery, "'甬易办'");
    const found = await db
      .selectFrom('search_guide')
      .select('id')
      .where(matches('search_vector', q))
      .execute();
    assert.deepEqual(found, [{ id: 900 }]);
    await db.deleteFrom('search_guide').where('id', '=', 900).execute();
  });
});

describe('20,000 generated guides', { skip: onPostgres ? false : 'measured on PostgreSQL only' }, () => {
  it('are found through the GIN index', async (t) => {
    const sentences = SAMPLE_GUIDES.flatMap((g) => g.body.split(/(?<=。)/));
    let seed = 7;
    const pick = <T>(xs: readonly T[]): T => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return xs[Math.floor((seed / 2 ** 31) * xs.length)]!; // high bits: an LCG's low bits cycle
    };
    let chars = 0;
    let segmenting = 0;
    for (let start = 0; start < 20_000; start += 1000) {
      const rows: GuideTable[] = [];
      for (let i = start; i < start + 1000; i++) {
        const body = [pick(sentences), pick(sentences), pick(sentences), pick(sentences)].join('');
        const guide = {
          title: `${pick(SAMPLE_GUIDES).title}（${i}）`,
          body,
          published: `20${10 + (i % 16)}-0${1 + (i % 9)}-15`,
        };
        const started = performance.now();
        rows.push(row(segmenter, 10_000 + i, guide));
        segmenting += performance.now() - started;
        chars += guide.title.length + guide.body.length;
      }
      await db.insertInto('search_guide').values(rows).execute();
    }
    await sql`analyze search_guide`.execute(db);
    t.diagnostic(`indexText: ${Math.round(chars / segmenting)} thousand chars/s over ${chars} chars`);

    for (const input of ['低保', '营业执照', '居住证 申领', '甬易办', '12345']) {
      const { q, query } = searchGuides(input);
      await query.execute(); // warm
      let started = performance.now();
      await query.execute();
      const ranked = performance.now() - started;
      started = performance.now();
      const [{ n }] = (await db
        .selectFrom('search_guide')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(matches('search_vector', q))
        .execute()) as [{ n: number }];
      const counted = performance.now() - started;
      const plan = (await query.explain()).map((r) => Object.values(r).join('')).join('\n');
      t.diagnostic(
        `${input}: ${n} matches, top 5 by rank ${ranked.toFixed(1)} ms, count ${counted.toFixed(1)} ms, ` +
          `${plan.includes('search_guide_vector') ? 'GIN index' : 'sequential scan'}`,
      );
    }
  });
});
