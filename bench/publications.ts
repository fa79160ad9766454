/**
 * Public information (政府信息公开) at scale (issue 6, item 9), on real PostgreSQL, each figure beside a
 * baseline measured in the same run and database:
 *
 *   1. search latency over 100,000 and then 1,000,000 generated publications (BENCH_PUB_SIZES): a set
 *      of realistic queries — common words, words of a field, rare terms, two-word queries, a synonym,
 *      with a category filter and with a date filter — through the module's own search
 *      (`createPublicationSearch` over a `Database` of src/kernel/db, as the portal and the API call
 *      it), each run sequentially BENCH_PUB_RUNS times, then BENCH_PUB_CALLERS callers at once;
 *      p50/p95/p99 per query class and overall. Baseline: a primary-key lookup of a publication, same
 *      pool, same callers. Target: search p95 < 100 ms at 1,000,000.
 *   2. the publication page `GET /publications/:id` under autocannon, with the server's micro-cache on
 *      and off (PUBLIC_CACHE_SECONDS=0), against the bare Fastify hello-world loaded the same way just
 *      before. Target: >= 30% of hello-world.
 *
 * The publications are generated (bench/publications-corpus.ts: notices, policies, interpretations,
 * work news, budgets, procurement, personnel, in government phrasing, deterministic from
 * BENCH_PUB_SEED) and loaded by worker threads (bench/publications-load.ts) with the module's own
 * search text (its segmenter, its `searchFields` weighting), into a database the server migrated.
 */
import os from 'node:os';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database, type DB } from '../src/kernel/db/index.ts';
import { htmlToText } from '../src/kernel/html/index.ts';
import { createSegmenter, matches, rank } from '../src/kernel/search/index.ts';
// The benchmark calls the module's search directly, and replays the query it replaced; the module's
// index exports neither, so it reaches past the index.
/* eslint-disable yiwang/module-boundaries */
import {
  createPublicationSearch,
  type SearchFilter,
} from '../src/modules/publications/publication.search.ts';
/* eslint-enable yiwang/module-boundaries */
import {
  DURATION_S,
  HOST,
  WARMUP_S,
  createTempDatabase,
  fmtInt,
  fmtS,
  freePort,
  log,
  pct,
  report,
  reportFailure,
  spawnYiwang,
  tempDir,
  waitFor200,
  withHelloWorld,
  type Spawned,
  send,
  loadWithCpu,
  describePageLoad,
  type PageLoad,
} from './lib.ts';
import { createCorpus } from './publications-corpus.ts';
import { loadPublications } from './publications-load.ts';

function envInt(name: string, dflt: number, min: number, max: number): number {
  const raw = process.env[name];
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : dflt;
}

/** Publications in the database at each measuring point, ascending; each size tops the last one up. */
const SIZES = [
  ...new Set(
    (process.env.BENCH_PUB_SIZES || '100000,1000000')
      .split(',')
      .map((s) => Number(s.trim().replace(/_/g, '')))
      .filter((n) => Number.isInteger(n) && n >= 1000 && n <= 5_000_000),
  ),
].sort((a, b) => a - b);
const SEED = envInt('BENCH_PUB_SEED', 20260501, 0, 2 ** 31 - 1);
/** Timed sequential runs of each query (after two untimed ones). */
const RUNS = envInt('BENCH_PUB_RUNS', 20, 3, 1000);
/** Concurrent callers of the search (and of the baseline), on a pool of as many connections. */
const CALLERS = envInt('BENCH_PUB_CALLERS', 8, 1, 64);
/** Worker threads generating and segmenting during the load. */
const WORKERS = envInt('BENCH_PUB_WORKERS', Math.max(1, os.availableParallelism()), 1, 16);
/** Which parts run at each size: `search` (with the baseline), `pages`. */
const PARTS = new Set((process.env.BENCH_PUB_PARTS ?? 'search,pages').split(',').map((p) => p.trim()));

const TENANT = '330000';
const TARGETS = { searchP95Ms: 100, searchAt: 1_000_000, pageShare: 0.3 } as const;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// The queries

type QueryClass = 'common' | 'field' | 'rare' | 'two words' | 'synonym' | 'category' | 'dates';

interface Query {
  cls: QueryClass;
  q: string;
  filter: SearchFilter;
}

/** China's calendar day n days before now (what the date fields of the search form hold). */
const chinaDaysAgo = (n: number) =>
  new Date(Date.now() + 8 * 3_600_000 - n * DAY_MS).toISOString().slice(0, 10);

const QUERIES: readonly Query[] = [
  // in about 40% and nearly 100% of publications
  { cls: 'common', q: '通知', filter: {} },
  { cls: 'common', q: '工作', filter: {} },
  { cls: 'common', q: '安全', filter: {} },
  // words of a field: 1–3%
  { cls: 'field', q: '最低生活保障', filter: {} },
  { cls: 'field', q: '食品安全', filter: {} },
  { cls: 'field', q: '垃圾分类', filter: {} },
  // a programme few write about, a rare topic, a person's name (procurement experts, appointees)
  { cls: 'rare', q: '松材线虫病', filter: {} },
  { cls: 'rare', q: '白蚁防治', filter: {} },
  { cls: 'rare', q: '尾矿库', filter: {} },
  // every word must match
  { cls: 'two words', q: '老旧小区改造', filter: {} },
  { cls: 'two words', q: '食品安全 监督抽查', filter: {} },
  { cls: 'two words', q: '养老服务 补贴', filter: {} },
  // 低保 finds 最低生活保障; 公租房 finds 公共租赁住房
  { cls: 'synonym', q: '低保', filter: {} },
  { cls: 'synonym', q: '公租房', filter: {} },
  { cls: 'category', q: '通知', filter: { category: 'notices' } },
  { cls: 'category', q: '工作', filter: { category: 'key-areas' } },
  { cls: 'category', q: '食品安全', filter: { category: 'key-health' } },
  { cls: 'dates', q: '工作', filter: { from: chinaDaysAgo(365), to: chinaDaysAgo(0) } },
  { cls: 'dates', q: '通知', filter: { from: chinaDaysAgo(8 * 365), to: chinaDaysAgo(7 * 365) } },
  { cls: 'dates', q: '最低生活保障', filter: { from: chinaDaysAgo(3 * 365) } },
];

const label = (q: Query) => {
  const f = Object.entries(q.filter)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${String(v)}`);
  return f.length > 0 ? `${q.q} (${f.join(', ')})` : q.q;
};

// ---------------------------------------------------------------------------------------------
// Measuring

/** Nearest-rank percentile of ascending values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
const asc = (xs: number[]) => [...xs].sort((a, b) => a - b);
const describe = (xs: number[]) => {
  const s = asc(xs);
  return `p50 ${ms(percentile(s, 0.5))} ms, p95 ${ms(percentile(s, 0.95))} ms, p99 ${ms(percentile(s, 0.99))} ms`;
};

/** `callers` loops calling op(caller, k) for `seconds`; latencies in ms and operations per second. */
async function run(seconds: number, callers: number, op: (caller: number, k: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let k = 0; performance.now() < until; k++) {
        const t0 = performance.now();
        await op(c, k);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { latencies, perSec: latencies.length / elapsed };
}

/** A warm-up of WARMUP_S, then DURATION_S measured, CALLERS at once. */
async function concurrently(op: (caller: number, k: number) => Promise<unknown>) {
  if (WARMUP_S > 0) await run(WARMUP_S, CALLERS, op);
  return run(DURATION_S, CALLERS, op);
}

/** Wall time of fn, logged. */
async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  log(`  ${what} in ${fmtS(performance.now() - t0)}`);
  return r;
}

async function one<R extends Record<string, unknown>>(db: Database, text: string, params: unknown[] = []) {
  return (await db.withSession((s) => s.query<R>(text, params)))[0]!;
}

// ---------------------------------------------------------------------------------------------
// Preparing: a database the server migrated and seeded, then the generated publications

/** A fresh database, migrated and seeded by the Yiwang server itself (started once, then stopped). */
async function preparedDatabase(dataDir: string): Promise<{ url: string; drop(): Promise<void> }> {
  const temp = await createTempDatabase();
  log(`created database ${temp.name}`);
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  const server = spawnYiwang(
    'yiwang server (migrate and seed)',
    port,
    { databaseUrl: temp.url },
    { DATA_DIR: dataDir },
  );
  try {
    const t = await waitFor200(`${base}/publications`, server, { timeoutMs: 180_000 });
    log(`  the server migrated and seeded it, and answered /publications after ${fmtS(t)}`);
  } finally {
    await server.stop();
  }
  return temp;
}

/** The corpus's first rows are checked against what the module itself would store. */
function checkCorpus(corpus: ReturnType<typeof createCorpus>): void {
  let mismatches = 0;
  for (let i = 0; i < 200; i++) {
    const p = corpus.publication(i);
    if (htmlToText(p.bodyHtml) !== p.bodyText) mismatches++;
  }
  if (mismatches > 0)
    reportFailure(`publications: ${mismatches} of 200 generated bodies differ from htmlToText(body_html)`);
}

// ---------------------------------------------------------------------------------------------
// 1. Search and its baseline

interface SearchFigures {
  size: number;
  sequential: Map<QueryClass, number[]>;
  all: number[];
  concurrent: { latencies: number[]; perSec: number };
  pkSequential: number[];
  pkConcurrent: { latencies: number[]; perSec: number };
  worst: { query: Query; p95: number };
}

async function benchSearch(db: Database, url: string, size: number): Promise<SearchFigures> {
  const search = createPublicationSearch(db, createSegmenter());
  const page = { limit: 20, offset: 0 };
  const ask = (q: Query) => search.search(TENANT, q.q, q.filter, page);

  log(`  search: ${QUERIES.length} queries, each 2 + ${RUNS} runs one after another`);
  const sequential = new Map<QueryClass, number[]>();
  const all: number[] = [];
  let worst = { query: QUERIES[0]!, p95: -1 };
  for (const q of QUERIES) {
    const first = await ask(q);
    await ask(q);
    const times: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      const t0 = performance.now();
      await ask(q);
      times.push(performance.now() - t0);
    }
    const p95 = percentile(asc(times), 0.95);
    if (p95 > worst.p95) worst = { query: q, p95 };
    sequential.set(q.cls, [...(sequential.get(q.cls) ?? []), ...times]);
    all.push(...times);
    const top = first.items[0];
    log(
      `    ${q.cls.padEnd(9)} ${label(q).padEnd(34)} ${describe(times)}; ${first.totalExact ? '' : 'more than '}${fmtInt(first.total)} found${top ? `, first: ${top.title.slice(0, 28)} (${top.publishAt?.slice(0, 10)})` : ''}`,
    );
  }

  log(`  search: ${CALLERS} callers at once, each going through the queries in turn`);
  const concurrent = await concurrently((c, k) => ask(QUERIES[(c * 7 + k) % QUERIES.length]!));
  log(`    ${fmtInt(concurrent.perSec)} searches/s, ${describe(concurrent.latencies)}`);

  // Baseline: one publication by its primary key, same pool, same callers.
  const { n: maxId } = await one<{ n: number }>(db, 'select max(id)::int as n from publications.publication');
  let seed = 12345;
  const randomId = () => 1 + ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % maxId);
  const lookup = () =>
    sql`select id, title, publish_at from publications.publication where tenant_id = ${TENANT} and id = ${randomId()}`.execute(
      db.kysely,
    );
  for (let k = 0; k < 50; k++) await lookup();
  const pkSequential: number[] = [];
  for (let k = 0; k < all.length; k++) {
    const t0 = performance.now();
    await lookup();
    pkSequential.push(performance.now() - t0);
  }
  const pkConcurrent = await concurrently(() => lookup());
  log(
    `  primary-key lookup: sequential ${describe(pkSequential)}; ${CALLERS} callers ${fmtInt(pkConcurrent.perSec)}/s, ${describe(pkConcurrent.latencies)}`,
  );

  await explainWorst(db, url, worst.query);
  return { size, sequential, all, concurrent, pkSequential, pkConcurrent, worst };
}

/** Every statement one search sends (captured from a Kysely logging them), with EXPLAIN ANALYZE. */
async function explainWorst(db: Database, url: string, q: Query): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const captured: { query: CompiledQuery; ms: number }[] = [];
  const kysely = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      if (e.level === 'query') captured.push({ query: e.query, ms: e.queryDurationMillis });
    },
  });
  try {
    const capture = {
      kind: 'postgres',
      kysely,
      withSession: db.withSession,
      close: async () => {},
    } as Database;
    await createPublicationSearch(capture, createSegmenter()).search(TENANT, q.q, q.filter, {
      limit: 20,
      offset: 0,
    });
  } finally {
    await kysely.destroy();
  }
  const lines = [`  the slowest query by p95, ${label(q)}: ${captured.length} statements`];
  for (const { query, ms: took } of captured) {
    lines.push(`  -- ${took.toFixed(1)} ms: ${query.sql.replace(/\s+/g, ' ').slice(0, 300)}`);
    if (!/^select\s+"/.test(query.sql)) continue;
    // As the search runs them: in a transaction, with its settings (no JIT, no parallel workers).
    const rows = await db.withSession(async (s) => {
      await s.exec('begin');
      try {
        await s.query(
          `select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
        );
        return await s.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${query.sql}`, [
          ...query.parameters,
        ]);
      } finally {
        await s.exec('rollback');
      }
    });
    lines.push(...rows.map((r) => `     ${r['QUERY PLAN']}`));
  }
  log(lines.join('\n'));
}

/**
 * The search as it was before issue 6 item 9 (every match ranked with ts_rank, counted with
 * count(*) over ()), replayed as SQL for one query, for comparison: a few runs only, as it is slow.
 */
async function previousSearch(db: Database, q: string, runs: number) {
  const query = createSegmenter().searchQuery(q);
  const statement = () =>
    sql<{ id: number }>`select p.id, p.title, p.body_text, count(*) over () as total
      from publications.publication p
      join publications.category c on c.tenant_id = p.tenant_id and c.code = p.category_code
      left join publications.publication r on r.tenant_id = p.tenant_id and r.id = p.replaced_by
      where p.tenant_id = ${TENANT} and p.status = 'published' and p.publish_at <= now()
        and ${matches('p.search_vector', query)}
      order by ${rank('p.search_vector', query, { recencyColumn: 'p.publish_at' })} desc,
        coalesce(p.publish_at, p.updated_at) desc, p.id desc
      limit 20`.execute(db.kysely);
  const { rows } = await statement();
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    await statement();
    times.push(performance.now() - t0);
  }
  // How much of its first page the search now shows on its own first page (same order not required).
  const now = await createPublicationSearch(db, createSegmenter()).search(
    TENANT,
    q,
    {},
    { limit: 20, offset: 0 },
  );
  const mine = new Set(now.items.map((i) => i.id));
  const shared = rows.filter((r) => mine.has(Number(r.id))).length;
  return { times, overlap: `${shared}/${rows.length}` };
}

function reportSearch(f: SearchFigures, before: { q: string; times: number[]; overlap: string }[]): void {
  const s = asc(f.all);
  const p95 = percentile(s, 0.95);
  const at = `${fmtInt(f.size)} publications`;
  const pk = asc(f.pkSequential);
  const line = `publication search, ${at}: sequential ${describe(f.all)} (${fmtInt(s.length)} searches of ${QUERIES.length} queries); primary-key lookup p50 ${ms(percentile(pk, 0.5))} ms, p95 ${ms(percentile(pk, 0.95))} ms`;
  if (f.size === TARGETS.searchAt)
    report(line, {
      text: `p95 < ${TARGETS.searchP95Ms} ms at ${fmtInt(TARGETS.searchAt)}`,
      met: p95 < TARGETS.searchP95Ms,
    });
  else report(line);
  report(
    `— by class, ${at}: ${[...f.sequential].map(([cls, xs]) => `${cls} p50 ${ms(percentile(asc(xs), 0.5))} / p95 ${ms(percentile(asc(xs), 0.95))}`).join('; ')} ms; slowest ${label(f.worst.query)} p95 ${ms(f.worst.p95)} ms`,
  );
  const pkc = asc(f.pkConcurrent.latencies);
  report(
    `— ${CALLERS} callers, ${at}: search ${fmtInt(f.concurrent.perSec)}/s, ${describe(f.concurrent.latencies)}; primary-key lookup ${fmtInt(f.pkConcurrent.perSec)}/s, p50 ${ms(percentile(pkc, 0.5))} ms, p95 ${ms(percentile(pkc, 0.95))} ms`,
  );
  for (const b of before)
    report(
      `— the search as it was (every match ranked and counted), ${b.q}, ${at}: ${describe(b.times)} (${b.times.length} runs); ${b.overlap} of its first page also on today's first page`,
    );
}

// ---------------------------------------------------------------------------------------------
// 2. The publication page

/**
 * A public publication must answer 200 with its title, and say whether a second ask came from the
 * micro-cache; a draft must answer 404 to a visitor, also when asked twice (never cached).
 */
async function probePages(
  base: string,
  page: { id: number; title: string },
  draftId: number,
): Promise<string> {
  const first = await send(base, 'GET', `/publications/${page.id}`);
  if (first.status !== 200 || !first.body.includes(page.title.slice(0, 20)))
    throw new Error(`/publications/${page.id} answered ${first.status} without its title`);
  const second = await send(base, 'GET', `/publications/${page.id}`);
  for (let k = 0; k < 2; k++) {
    const draft = await send(base, 'GET', `/publications/${draftId}`);
    if (draft.status !== 404)
      reportFailure(`a draft's page /publications/${draftId} answered ${draft.status} to a visitor`);
  }
  const cache = second.headers['x-cache'];
  return cache === 'hit' ? 'micro-cached' : cache ? `x-cache: ${String(cache)}` : 'not micro-cached';
}

interface PageFigures {
  cached: PageLoad;
  uncached: PageLoad;
  cacheNote: string;
  hello: PageLoad;
  searchApi: PageLoad;
}

async function benchPages(url: string, dataDir: string): Promise<PageFigures> {
  const shown = await sql<{ id: number; title: string }>`select id, title from publications.publication
    where tenant_id = ${TENANT} and status = 'published' and publish_at <= now() and length(body_text) between 1000 and 2000
    order by id limit 1`;
  const draft = await sql<{ id: number }>`select id from publications.publication
    where tenant_id = ${TENANT} and status = 'draft' order by id limit 1`;
  const database = await openDatabase({ databaseUrl: url, poolSize: 1 });
  let page: { id: number; title: string };
  let draftId: number;
  try {
    page = (await shown.execute(database.kysely)).rows[0]!;
    draftId = Number((await draft.execute(database.kysely)).rows[0]?.id ?? 0);
  } finally {
    await database.close();
  }
  const path = `/publications/${page.id}`;
  const hello = await withHelloWorld(async (helloUrl, server) => {
    const r = await loadWithCpu(helloUrl, server.pid);
    log(`  hello-world: ${describePageLoad(r)}`);
    return r;
  });
  const serve = async (
    name: string,
    env: Record<string, string>,
    fn: (base: string, server: Spawned) => Promise<void>,
  ) => {
    const port = await freePort();
    const base = `http://${HOST}:${port}`;
    const server = spawnYiwang(name, port, { databaseUrl: url }, { DATA_DIR: dataDir, ...env });
    try {
      await waitFor200(`${base}/`, server, { timeoutMs: 180_000 });
      await fn(base, server);
    } finally {
      await server.stop();
    }
  };
  let cached: PageLoad | undefined;
  let uncached: PageLoad | undefined;
  let searchApi: PageLoad | undefined;
  let cacheNote = '';
  await serve('yiwang server', {}, async (base, server) => {
    cacheNote = await probePages(base, page, draftId);
    log(`  loading ${base}${path} (${cacheNote})`);
    cached = await loadWithCpu(`${base}${path}`, server.pid);
    log(`  publication page, micro-cache on: ${describePageLoad(cached)}`);
  });
  await serve('yiwang server (no micro-cache)', { PUBLIC_CACHE_SECONDS: '0' }, async (base, server) => {
    await probePages(base, page, draftId);
    uncached = await loadWithCpu(`${base}${path}`, server.pid);
    log(`  publication page, micro-cache off: ${describePageLoad(uncached)}`);
    const api = `${base}/api/v1/publications/search?q=${encodeURIComponent('通知')}`;
    searchApi = await loadWithCpu(api, server.pid);
    log(`  search API ?q=通知, micro-cache off: ${describePageLoad(searchApi)}`);
  });
  return { cached: cached!, uncached: uncached!, cacheNote, hello, searchApi: searchApi! };
}

function reportPages(f: PageFigures, size: number): void {
  const line = (name: string, r: PageLoad) => {
    const bad = r.non2xx + r.errors + r.timeouts;
    const warn = bad > 0 ? ` (WARNING: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts)` : '';
    return `${name}, ${fmtInt(size)} publications: ${fmtInt(r.reqPerSec)} req/s, p99 ${r.p99Ms} ms, server CPU ${r.cpuMsPerRequest.toFixed(2)} ms/request = ${pct(r.reqPerSec, f.hello.reqPerSec)} of hello-world ${fmtInt(f.hello.reqPerSec)} req/s${warn}`;
  };
  const ok = f.cached.non2xx + f.cached.errors === 0;
  report(line(`publication page GET /publications/:id (${f.cacheNote})`, f.cached), {
    text: `>= ${TARGETS.pageShare * 100}%`,
    met: ok && f.cached.reqPerSec >= TARGETS.pageShare * f.hello.reqPerSec,
  });
  report(line('— micro-cache off', f.uncached));
  report(line('— search API ?q=通知, micro-cache off', f.searchApi));
}

// ---------------------------------------------------------------------------------------------

export async function runPublications(): Promise<void> {
  if (SIZES.length === 0) throw new Error('BENCH_PUB_SIZES holds no size between 1,000 and 5,000,000');
  const loadAtStart = os.loadavg()[0]!;
  log(
    `publications: sizes ${SIZES.map(fmtInt).join(', ')}; parts ${[...PARTS].join(', ')}; seed ${SEED}; ${RUNS} runs per query, ${CALLERS} callers; ${WORKERS} generating threads`,
  );
  const files = tempDir('publications');
  const temp = await preparedDatabase(files.dir);
  // Dates are relative to the day of the run (so the recency of results is the same on any day).
  const now = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const corpus = { seed: SEED, now };
  checkCorpus(createCorpus(SEED, now));
  const db = await openDatabase({ databaseUrl: temp.url, poolSize: CALLERS });
  try {
    const { n: seeded } = await one<{ n: number }>(
      db,
      'select count(*)::int as n from publications.publication',
    );
    let generated = 0;
    for (const size of SIZES) {
      const to = Math.max(0, size - seeded);
      log(`--- ${fmtInt(size)} publications: generating and loading ${fmtInt(to - generated)} ---`);
      const loadMs = await loadPublications(temp.url, TENANT, corpus, { from: generated, to }, WORKERS);
      const added = to - generated;
      generated = to;
      const vacuumMs = await timed('vacuum analyze', async () => {
        const t0 = performance.now();
        await db.withSession((s) => s.exec('vacuum analyze publications.publication'));
        return performance.now() - t0;
      });
      const sizes = await one<{ heap: string; total: string; gin: string }>(
        db,
        `select pg_size_pretty(pg_relation_size('publications.publication')) as heap,
           pg_size_pretty(pg_total_relation_size('publications.publication')) as total,
           pg_size_pretty(pg_relation_size('publications.publication_search_document')) as gin`,
      );
      report(
        `publications: generated and loaded ${fmtInt(added)} (to ${fmtInt(size)}) in ${fmtS(loadMs)} (${fmtInt(added / (loadMs / 1000))} rows/s, ${WORKERS} threads), vacuum analyze ${fmtS(vacuumMs)}; table ${sizes.total} (heap ${sizes.heap}, search index ${sizes.gin})`,
      );
      if (PARTS.has('search')) {
        const f = await benchSearch(db, temp.url, size);
        const before = [];
        for (const q of ['通知', '最低生活保障']) {
          const { times, overlap } = await previousSearch(db, q, 3);
          log(`  the search as it was, ${q}: ${describe(times)}; ${overlap} of its first page on today's`);
          before.push({ q, times, overlap });
        }
        reportSearch(f, before);
      }
      if (PARTS.has('pages')) reportPages(await benchPages(temp.url, files.dir), size);
    }
  } finally {
    await db.close();
    await temp.drop();
    await files.remove();
  }
  report(
    `publications: 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end, on ${os.availableParallelism()} cores`,
  );
}
