/**
 * The online services (issue 5, item 11), each figure beside a baseline measured in the same run:
 *
 *   1. the service guide page `GET /services/items/<code>` of a seeded demo item and the search page
 *      `GET /services?q=低保`, with the Yiwang server in its own process as bench/http.ts runs it
 *      (PGlite, then PostgreSQL; demo region seeded), micro-cache on (the default) and off
 *      (PUBLIC_CACHE_SECONDS=0), against the bare Fastify hello-world loaded the same way just before;
 *   2. an online application as a citizen makes it, on PostgreSQL: start a draft of 临时救助申请, save
 *      its form (the item form's x-sample answers), upload three small files (a PNG and two PDFs of a
 *      few KB, every one different, so each is a new blob) as three materials, submit — with
 *      BENCH_SV_CITIZENS citizens at once, each signed in with an account of its own (six requests, as
 *      the pages make it). Then the same application in one request, as an API client sends it
 *      (`POST /api/v1/applications/submitted`: form, three files, submission) — the figure the target is
 *      for, a submission with three small attachments. Then the final submission alone, over drafts
 *      prepared beforehand, since that is where the case is opened.
 *      Baseline: the same rows (the application, its three material files, the case, its events and
 *      task) as bare INSERTs, one submission per transaction, at the same concurrency on a pool as large
 *      as the server's, into tables shaped like the real ones (`like … including all`: same columns,
 *      keys and indexes, no foreign keys) in the same database.
 *
 * Targets (issue 5): guide page >= 30% of hello-world; >= 200 submissions/s (with three attachments).
 * Licence verification, the third figure of the item, is bench/licences.ts.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { deflateSync } from 'node:zlib';
import pg from 'pg';
import {
  CONNECTIONS,
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
  type Spawned,
  withHelloWorld,
  send,
  cpuMsOf,
  cpuMsOfTree,
  loadWithCpu,
  describePageLoad,
  type PageLoad,
  type Answer,
  type LoadResult,
} from './lib.ts';

function envInt(name: string, dflt: number, min: number, max: number): number {
  const raw = process.env[name];
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : dflt;
}

/** Simulated citizens submitting at once (and callers of the baseline). */
const CITIZENS = envInt('BENCH_SV_CITIZENS', 32, 1, 256);
/** Drafts prepared for the submission-alone run; 0: enough for DURATION_S at five times the sequence rate. */
const DRAFTS = envInt('BENCH_SV_DRAFTS', 0, 0, 100_000);
/** Which parts run: `guide` (both backends), `submission`. */
/** Worker processes of the second one-request run (yiwang start --workers); 1: no such run. */
const WORKERS = envInt('BENCH_SV_WORKERS', os.availableParallelism(), 1, 64);
const PARTS = new Set((process.env.BENCH_SV_PARTS ?? 'guide,submission').split(',').map((p) => p.trim()));

/** The runner's own database sessions, left out of what the server's sessions are measured doing. */
const RUNNER_APP = 'yiwang-bench-runner';
/** The server's own pool (DATABASE_POOL_SIZE default); the baseline uses as many connections. */
const SERVER_POOL = 10;

const TARGETS = { guideShare: 0.3, submissionsPerSec: 200 } as const;

const ITEM_NAME = '临时救助申请';
const SEARCH_TERM = '低保';
/** What the search must find for the figure to mean anything (最低生活保障 is what 低保 stands for). */
const SEARCH_FINDS = '最低生活保障申请';
const PASSWORD = 'Bench#Citizen2026';

type Backend = 'PGlite' | 'PostgreSQL';

const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function expect(a: Answer, status: number, what: string): Answer {
  if (a.status !== status) throw new Error(`${what} answered ${a.status}: ${a.body.slice(0, 300)}`);
  return a;
}

const cookieOf = (a: Answer, name: string) =>
  (a.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`))?.split(';')[0];

// ---------------------------------------------------------------------------------------------
// Measuring: callers in a loop for a while, or until there is nothing left to do

interface Rate {
  count: number;
  failures: number;
  firstFailure: string;
  seconds: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
}

const GIVE_UP = 20;

/** Nearest-rank percentile of ascending values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

/**
 * `callers` loops calling op for `seconds` or until op returns false (nothing left). A failed op is
 * counted and the loop goes on: one failure under load says something, it does not end the run. A
 * caller whose last GIVE_UP ops all failed stops, so a server that no longer answers ends the run.
 */
async function run(
  seconds: number,
  callers: number,
  op: (caller: number) => Promise<boolean | void>,
): Promise<Rate> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure = '';
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      let inARow = 0;
      while (performance.now() < until && inARow < GIVE_UP) {
        const t0 = performance.now();
        try {
          if ((await op(c)) === false) return;
          latencies.push(performance.now() - t0);
          inARow = 0;
        } catch (e) {
          failures++;
          inARow++;
          firstFailure ||= (e as Error).message;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    failures,
    firstFailure,
    seconds: elapsed,
    perSec: latencies.length / elapsed,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
const failed = (r: Rate) =>
  r.failures > 0
    ? ` — WARNING: ${fmtInt(r.failures)} failed, the first: ${r.firstFailure.slice(0, 200)}`
    : '';
const describeRate = (r: Rate, unit: string) =>
  `${fmtInt(r.perSec)} ${unit}/s, p50 ${ms(r.p50Ms)} ms, p99 ${ms(r.p99Ms)} ms (${fmtInt(r.count)} in ${r.seconds.toFixed(1)} s)${failed(r)}`;

// ---------------------------------------------------------------------------------------------
// 1. The guide page and the search page

function helloWorld(): Promise<PageLoad> {
  return withHelloWorld(async (url, server) => {
    const r = await loadWithCpu(url, server.pid);
    log(`  hello-world: ${describePageLoad(r)}`);
    return r;
  });
}

/** The demo item's code, as a visitor finds it: through the catalogue API. */
async function findItemCode(base: string): Promise<string> {
  const a = expect(
    await send(base, 'GET', `/api/v1/services/items?q=${encodeURIComponent(ITEM_NAME)}`),
    200,
    'the catalogue search',
  );
  const found = (JSON.parse(a.body) as { items: { code: string; name: string }[] }).items.find(
    (i) => i.name === ITEM_NAME,
  );
  if (!found) throw new Error(`the demo catalogue has no ${ITEM_NAME}: ${a.body.slice(0, 300)}`);
  return found.code;
}

/** Fails unless the page answers 200 with `mustShow` in it; says whether a second ask hit the micro-cache. */
async function probePage(base: string, path: string, mustShow: string): Promise<string> {
  const first = expect(await send(base, 'GET', path), 200, path);
  if (!first.body.includes(mustShow)) throw new Error(`${path} does not show ${mustShow}`);
  const second = await send(base, 'GET', path);
  const cache = second.headers['x-cache'];
  return cache === 'hit' ? 'micro-cached' : cache ? `x-cache: ${String(cache)}` : 'not micro-cached';
}

interface GuideFigures {
  guide: PageLoad;
  search: PageLoad;
  guideCache: string;
  searchCache: string;
}

async function loadPages(
  server: Spawned,
  base: string,
  guidePath: string,
  searchPath: string,
  label: string,
) {
  const guideCache = await probePage(base, guidePath, ITEM_NAME);
  const searchCache = await probePage(base, searchPath, SEARCH_FINDS);
  log(`loading ${base}${guidePath} (guide page, ${label}; ${guideCache})`);
  const guide = await loadWithCpu(`${base}${guidePath}`, server.pid);
  log(`  guide page, ${label}: ${describePageLoad(guide)}`);
  log(`loading ${base}${searchPath} (search, ${label}; ${searchCache})`);
  const search = await loadWithCpu(`${base}${searchPath}`, server.pid);
  log(`  search, ${label}: ${describePageLoad(search)}`);
  return { guide, search, guideCache, searchCache } satisfies GuideFigures;
}

async function guidePages(backend: Backend): Promise<{ cached: GuideFigures; uncached: GuideFigures }> {
  const files = tempDir('services');
  let db: { dataDir: string } | { databaseUrl: string };
  let dropDatabase = async () => {};
  if (backend === 'PGlite') db = { dataDir: files.dir };
  else {
    const d = await createTempDatabase();
    log(`created database ${d.name}`);
    db = { databaseUrl: d.url };
    dropDatabase = d.drop;
  }
  // On PostgreSQL, DATA_DIR still holds the blob store: a temp dir, never the checkout's ./data.
  const dataDir = { DATA_DIR: files.dir };
  try {
    const port = await freePort();
    const base = `http://${HOST}:${port}`;
    const since = performance.now();
    const server = spawnYiwang(`yiwang server (${backend})`, port, db, dataDir);
    let cached: GuideFigures;
    let guidePath: string;
    const searchPath = `/services?q=${encodeURIComponent(SEARCH_TERM)}`;
    try {
      const startMs = await waitFor200(`${base}/`, server, { since, timeoutMs: 180_000 });
      log(`yiwang server (pid ${server.pid}, ${backend}) answered 200 on / after ${fmtS(startMs)}`);
      guidePath = `/services/items/${await findItemCode(base)}`;
      cached = await loadPages(server, base, guidePath, searchPath, 'micro-cache on');
    } finally {
      await server.stop();
    }
    // Again on the same data with the micro-cache off: every request renders and queries the database.
    const uPort = await freePort();
    const uBase = `http://${HOST}:${uPort}`;
    const uServer = spawnYiwang(`yiwang server (${backend}, no micro-cache)`, uPort, db, {
      ...dataDir,
      PUBLIC_CACHE_SECONDS: '0',
    });
    try {
      await waitFor200(`${uBase}/`, uServer, { timeoutMs: 180_000 });
      const uncached = await loadPages(uServer, uBase, guidePath, searchPath, 'micro-cache off');
      return { cached, uncached };
    } finally {
      await uServer.stop();
    }
  } finally {
    await dropDatabase();
    await files.remove();
  }
}

function loadLine(name: string, r: PageLoad, hello: PageLoad): string {
  const bad = r.non2xx + r.errors + r.timeouts;
  const warn = bad > 0 ? ` (WARNING: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts)` : '';
  return `${name}: ${fmtInt(r.reqPerSec)} req/s, p99 ${r.p99Ms} ms, server CPU ${r.cpuMsPerRequest.toFixed(2)} ms/request = ${pct(r.reqPerSec, hello.reqPerSec)} of hello-world ${fmtInt(hello.reqPerSec)} req/s (p99 ${hello.p99Ms} ms, ${hello.cpuMsPerRequest.toFixed(3)} ms/request)${warn}`;
}

async function benchGuide(): Promise<void> {
  for (const backend of ['PGlite', 'PostgreSQL'] as const) {
    log(`--- guide page and search, ${backend} ---`);
    const hello = await helloWorld();
    const { cached, uncached } = await guidePages(backend);
    const ok = (r: LoadResult) => r.non2xx + r.errors === 0;
    report(
      loadLine(
        `service guide GET /services/items/<code> (${backend}, ${cached.guideCache})`,
        cached.guide,
        hello,
      ),
      {
        text: `>= ${TARGETS.guideShare * 100}%`,
        met: cached.guide.reqPerSec >= TARGETS.guideShare * hello.reqPerSec && ok(cached.guide),
      },
    );
    report(
      loadLine(
        `service search GET /services?q=${SEARCH_TERM} (${backend}, ${cached.searchCache})`,
        cached.search,
        hello,
      ),
    );
    report(loadLine(`service guide, micro-cache off (${backend})`, uncached.guide, hello));
    report(loadLine(`service search, micro-cache off (${backend})`, uncached.search, hello));
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Applications: the files a citizen uploads

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A real 40×40 RGB PNG of noise (about 5 KB: noise does not compress), different every time. */
function scanPng(): Buffer {
  const side = 40;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, not interlaced
  const noise = randomBytes(side * 3 * side);
  const rows = Buffer.concat(
    Array.from({ length: side }, (_, y) =>
      Buffer.concat([Buffer.from([0]), noise.subarray(y * side * 3, (y + 1) * side * 3)]),
    ),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF with a few KB of text, different every time. */
function letterPdf(title: string): Buffer {
  const lines = Array.from(
    { length: 60 },
    (_, i) =>
      `BT /F1 9 Tf 40 ${800 - i * 12} Td (${title} ${randomBytes(12).toString('hex')} line ${i}) Tj ET`,
  ).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(lines)} >>\nstream\n${lines}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** What the citizen gives for each material: the signed application form, the proof, the proxy letter. */
const UPLOADS: { material: string; fileName: string; make(): Buffer }[] = [
  { material: 'application', fileName: 'application.pdf', make: () => letterPdf('application form') },
  { material: 'hardship', fileName: 'hardship.png', make: scanPng },
  { material: 'proxy', fileName: 'proxy.pdf', make: () => letterPdf('power of attorney') },
];

// ---------------------------------------------------------------------------------------------
// 2. Applications: citizens and the steps they take

interface Citizen {
  username: string;
  /** yw_session and yw_csrf */
  cookie: string;
  csrfToken: string;
}

/** A valid citizen ID of someone born in 西湖区 on a day set by n (so every citizen's is different). */
function citizenId(n: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + (n % 10_000) * 86_400_000).toISOString().slice(0, 10);
  const first17 = `330106${birth.replaceAll('-', '')}${String(100 + (n % 900)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}

/** Registers a citizen (which signs them in) and takes a CSRF token from a page with a form. */
async function registerCitizen(base: string, n: number): Promise<Citizen> {
  const username = `bench.citizen${n}`;
  const made = expect(
    await send(
      base,
      'POST',
      '/api/v1/accounts',
      json({
        kind: 'person',
        username,
        displayName: `测试市民${n}`,
        password: PASSWORD,
        idNumber: citizenId(n),
      }),
    ),
    201,
    `registering ${username}`,
  );
  const session = cookieOf(made, 'yw_session');
  if (!session) throw new Error(`registering ${username} set no session cookie`);
  const page = expect(
    await send(base, 'GET', '/account', { headers: { cookie: session } }),
    200,
    'GET /account',
  );
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const csrf = cookieOf(page, 'yw_csrf');
  if (!token || !csrf) throw new Error('GET /account rendered no CSRF token');
  return { username, cookie: `${session}; ${csrf}`, csrfToken: token };
}

/** The item's form filled with each field's x-sample, as its author meant a valid answer to look. */
function sampleAnswers(
  form: { properties?: Record<string, { 'x-sample'?: unknown }> } | null,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(form?.properties ?? {}))
    if (field['x-sample'] !== undefined) data[name] = field['x-sample'];
  return data;
}

interface Steps {
  start: number[];
  data: number[];
  upload: number[];
  submit: number[];
}

function submissionSteps(base: string, itemCode: string, answers: Record<string, unknown>) {
  const api = (c: Citizen, method: 'POST' | 'PUT', path: string, body?: unknown) =>
    send(base, method, path, {
      headers: { cookie: c.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const multipartBody = (parts: { name: string; fileName?: string; bytes: Buffer }[]) => {
    const boundary = `yiwangbench${randomBytes(8).toString('hex')}`;
    const body = Buffer.concat([
      ...parts.flatMap((p) => [
        Buffer.from(
          p.fileName === undefined
            ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n`
            : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        p.bytes,
        Buffer.from('\r\n'),
      ]),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    return { body, contentType: `multipart/form-data; boundary=${boundary}` };
  };
  const sendMultipart = (c: Citizen, path: string, m: { body: Buffer; contentType: string }) =>
    send(base, 'POST', path, {
      headers: { cookie: c.cookie, 'x-csrf-token': c.csrfToken, 'content-type': m.contentType },
      body: m.body,
    });
  const multipart = (c: Citizen, path: string, parts: { name: string; fileName?: string; bytes: Buffer }[]) =>
    sendMultipart(c, path, multipartBody(parts));
  const upload = (c: Citizen, id: string, u: (typeof UPLOADS)[number]) =>
    multipart(c, `/api/v1/applications/${id}/materials/${u.material}`, [
      { name: 'file', fileName: u.fileName, bytes: u.make() },
    ]);
  const oneRequestBody = () =>
    multipartBody([
      { name: 'item', bytes: Buffer.from(itemCode) },
      { name: 'data', bytes: Buffer.from(JSON.stringify(answers)) },
      ...UPLOADS.map((u) => ({ name: `materials/${u.material}`, fileName: u.fileName, bytes: u.make() })),
    ]);
  const timed = async <T>(into: number[] | undefined, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await fn();
    into?.push(performance.now() - t0);
    return r;
  };
  return {
    /** Start, form, three files: a draft ready to submit; its id. */
    async prepare(c: Citizen, steps?: Steps): Promise<string> {
      const started = expect(
        await timed(steps?.start, () => api(c, 'POST', '/api/v1/applications', { item: itemCode })),
        201,
        'POST /api/v1/applications',
      );
      const id = (JSON.parse(started.body) as { id: string }).id;
      expect(
        await timed(steps?.data, () => api(c, 'PUT', `/api/v1/applications/${id}/data`, { data: answers })),
        200,
        'PUT …/data',
      );
      for (const u of UPLOADS)
        expect(await timed(steps?.upload, () => upload(c, id, u)), 200, `POST …/materials/${u.material}`);
      return id;
    },
    /**
     * The body of an application in one request (form, three new files), made before it is sent so
     * that making the files is not counted as the runner's CPU while the server is measured.
     */
    oneRequestBody,
    /** The whole application in one request (form, three files, submission); the case number. */
    async inOneRequest(c: Citizen, body = oneRequestBody()): Promise<string> {
      const sent = expect(
        await sendMultipart(c, '/api/v1/applications/submitted', body),
        201,
        'POST /api/v1/applications/submitted',
      );
      return (JSON.parse(sent.body) as { caseNumber: string }).caseNumber;
    },
    /** The submission; the case number. */
    async submit(c: Citizen, id: string, steps?: Steps): Promise<string> {
      const sent = expect(
        await timed(steps?.submit, () => api(c, 'POST', `/api/v1/applications/${id}/submission`)),
        201,
        'POST …/submission',
      );
      return (JSON.parse(sent.body) as { caseNumber: string }).caseNumber;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Applications: the baseline, the same rows as bare INSERTs

/** The rows a submission leaves, as JSON, taken from one the server made. */
interface Template {
  application: Record<string, unknown>;
  files: Record<string, unknown>[];
  case: Record<string, unknown>;
  events: Record<string, unknown>[];
  tasks: Record<string, unknown>[];
}

async function templateOf(pool: pg.Pool, number: string): Promise<Template> {
  const rows = async (text: string, params: unknown[]) =>
    (await pool.query<{ r: Record<string, unknown> }>(text, params)).rows.map((x) => x.r);
  const [application] = await rows(
    'select to_jsonb(a) as r from applications.application a where case_number = $1',
    [number],
  );
  const [kase] = await rows('select to_jsonb(c) as r from workflow."case" c where number = $1', [number]);
  if (!application || !kase) throw new Error(`no application or case ${number} in the database`);
  return {
    application,
    files: await rows(
      'select to_jsonb(f) as r from applications.material_file f where tenant_id = $1 and application_id = $2',
      [application.tenant_id, application.id],
    ),
    case: kase,
    events: await rows(
      'select to_jsonb(e) as r from workflow.event e where tenant_id = $1 and case_id = $2 order by id',
      [kase.tenant_id, kase.id],
    ),
    tasks: await rows(
      'select to_jsonb(t) as r from workflow.task t where tenant_id = $1 and case_id = $2 order by no',
      [kase.tenant_id, kase.id],
    ),
  };
}

/**
 * Tables shaped like the real ones in schema bench_shadow; for each, an INSERT of a JSON row into the
 * columns a client writes (identity and generated columns left to the table), returning the id.
 */
async function shadowTables(pool: pg.Pool) {
  await pool.query('create schema bench_shadow');
  const tables = {
    application: 'applications.application',
    material_file: 'applications.material_file',
    case: 'workflow."case"',
    event: 'workflow.event',
    task: 'workflow.task',
  } as const;
  const insert = {} as Record<keyof typeof tables, string>;
  for (const [name, real] of Object.entries(tables) as [keyof typeof tables, string][]) {
    await pool.query(`create table bench_shadow."${name}" (like ${real} including all)`);
    const cols = await pool.query<{ column_name: string; ident: boolean }>(
      `select column_name, (is_identity = 'YES') as ident from information_schema.columns
        where table_schema = 'bench_shadow' and table_name = $1 and is_generated = 'NEVER' order by ordinal_position`,
      [name],
    );
    const list = cols.rows
      .filter((c) => !c.ident)
      .map((c) => `"${c.column_name}"`)
      .join(', ');
    const returning = cols.rows.some((c) => c.column_name === 'id') ? ' returning id' : '';
    insert[name] =
      `insert into bench_shadow."${name}" (${list}) select ${list} from jsonb_populate_record(null::bench_shadow."${name}", $1::jsonb)${returning}`;
  }
  return insert;
}

function bareSubmission(pool: pg.Pool, insert: Awaited<ReturnType<typeof shadowTables>>, t: Template) {
  let seq = 0;
  return async () => {
    const n = ++seq;
    const number = `BENCH${String(n).padStart(12, '0')}`;
    const client = await pool.connect();
    try {
      await client.query('begin');
      const app = await client.query<{ id: string }>(insert.application, [
        { ...t.application, public_id: randomBytes(12).toString('base64url'), case_number: number },
      ]);
      for (const f of t.files)
        await client.query(insert.material_file, [{ ...f, application_id: app.rows[0]!.id }]);
      const kase = await client.query<{ id: string }>(insert.case, [{ ...t.case, number }]);
      const caseId = kase.rows[0]!.id;
      for (const e of t.events) await client.query(insert.event, [{ ...e, case_id: caseId }]);
      for (const k of t.tasks)
        await client.query(insert.task, [
          { ...k, case_id: caseId, ...('case_number' in k ? { case_number: number } : {}) },
        ]);
      await client.query('commit');
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Applications: the run

async function counts(pool: pg.Pool) {
  const r = await pool.query<{ submitted: string; cases: string }>(
    `select (select count(*) from applications.application where status = 'submitted') as submitted,
            (select count(*) from workflow."case" where title = $1) as cases`,
    [ITEM_NAME],
  );
  return { submitted: Number(r.rows[0]!.submitted), cases: Number(r.rows[0]!.cases) };
}

/**
 * CPU spent during a run by the server process, by the PostgreSQL backends serving the benchmark
 * database (when they run on this machine) and by this runner, so a figure on a busy machine can be
 * read as CPU per submission too.
 */
async function cpuMeter(serverPid: number, pool: pg.Pool, dbName: string) {
  const backends = async () =>
    (
      await pool.query<{ pid: number }>(
        'select pid from pg_stat_activity where datname = $1 and application_name <> $2',
        [dbName, RUNNER_APP],
      )
    ).rows.map((r) => r.pid);
  const pgMs = (pids: number[]) => pids.reduce((s, p) => s + (cpuMsOf(p) ?? 0), 0);
  const server0 = cpuMsOfTree(serverPid) ?? NaN;
  const pids0 = await backends();
  const pg0 = new Map(pids0.map((p) => [p, cpuMsOf(p) ?? 0]));
  const runner0 = process.cpuUsage();
  return {
    async stop() {
      const runner = process.cpuUsage(runner0);
      const pids = await backends();
      const local = pids.some((p) => cpuMsOf(p) !== undefined);
      return {
        serverMs: (cpuMsOfTree(serverPid) ?? NaN) - server0,
        pgMs: local ? pgMs(pids) - pids.reduce((s, p) => s + (pg0.get(p) ?? 0), 0) : undefined,
        runnerMs: (runner.user + runner.system) / 1000,
      };
    },
  };
}

/**
 * What the benchmark database's busy sessions are doing, sampled every 20 ms until stopped: waiting for
 * a lock, for the client (a transaction left open while the server does something else), for IO, or
 * running. Tells a database-bound run from a server-bound one.
 */
function sampleWaits(pool: pg.Pool, dbName: string) {
  const counts = { busy: 0, lock: 0, client: 0, io: 0, running: 0 };
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const r = await pool.query<{ type: string | null; state: string }>(
        `select wait_event_type as type, state from pg_stat_activity
          where datname = $1 and backend_type = 'client backend' and application_name <> $2
            and state in ('active', 'idle in transaction')`,
        [dbName, RUNNER_APP],
      );
      for (const row of r.rows) {
        counts.busy++;
        if (row.type === 'Lock' || row.type === 'LWLock') counts.lock++;
        else if (row.type === 'Client' || row.state === 'idle in transaction') counts.client++;
        else if (row.type === 'IO') counts.io++;
        else counts.running++;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      const n = Math.max(1, counts.busy);
      const share = (k: number) => `${Math.round((k / n) * 100)}%`;
      return `busy database sessions (${fmtInt(counts.busy)} samples): ${share(counts.lock)} waiting for a lock, ${share(counts.client)} for the server, ${share(counts.io)} for IO, ${share(counts.running)} running`;
    },
  };
}

const describeCpu = (c: { serverMs: number; pgMs: number | undefined; runnerMs: number }, n: number) =>
  `CPU per submission: server ${ms(c.serverMs / n)} ms, PostgreSQL backends ${c.pgMs === undefined ? '?' : ms(c.pgMs / n)} ms, this runner ${ms(c.runnerMs / n)} ms`;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

async function benchSubmission(): Promise<void> {
  log(`--- online application on PostgreSQL: ${CITIZENS} citizens at once ---`);
  const temp = await createTempDatabase();
  log(`created database ${temp.name}`);
  const files = tempDir('services-files');
  const pool = new pg.Pool({ connectionString: temp.url, max: SERVER_POOL, application_name: RUNNER_APP });
  // pool.end() does not wait for its connections to close, so dropping the database right after cuts
  // them; any other cut of an idle connection is worth a line, and none may take the runner down.
  pool.on('error', (e) => {
    if (!pool.ending) log(`  benchmark pool: ${e.message}`);
  });
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  const since = performance.now();
  let server: Spawned | undefined;
  try {
    server = spawnYiwang(
      'yiwang server (applications)',
      port,
      { databaseUrl: temp.url },
      { DATA_DIR: files.dir, LOGIN_RATE_LIMIT_PER_MINUTE: '100000' },
    );
    const startMs = await waitFor200(`${base}/`, server, { since, timeoutMs: 180_000 });
    const serverPid = server.pid;
    log(`yiwang server (pid ${serverPid}, PostgreSQL) answered 200 on / after ${fmtS(startMs)}`);

    const itemCode = await findItemCode(base);
    const item = JSON.parse(
      expect(await send(base, 'GET', `/api/v1/services/items/${itemCode}`), 200, 'the item').body,
    ) as {
      form: { properties?: Record<string, { 'x-sample'?: unknown }> } | null;
      materials: { key: string }[];
    };
    const answers = sampleAnswers(item.form);
    for (const u of UPLOADS)
      if (!item.materials.some((m) => m.key === u.material))
        throw new Error(`${ITEM_NAME} has no material ${u.material}`);

    const t0 = performance.now();
    const citizens: Citizen[] = [];
    for (let i = 0; i < CITIZENS; i += 4)
      citizens.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(4, CITIZENS - i) }, (_, k) => registerCitizen(base, i + k + 1)),
        )),
      );
    log(
      `registered ${citizens.length} citizens in ${fmtS(performance.now() - t0)} (each an argon2id hash and a login)`,
    );

    const steps = submissionSteps(base, itemCode, answers);
    const before = await counts(pool);
    // One whole submission must open a case with the three files on it, or the figures mean nothing.
    const probeId = await steps.prepare(citizens[0]!);
    const probeNumber = await steps.submit(citizens[0]!, probeId);
    const probeCase = JSON.parse(
      expect(
        await send(base, 'GET', `/api/v1/cases/${probeNumber}`, { headers: { cookie: citizens[0]!.cookie } }),
        200,
        `GET /api/v1/cases/${probeNumber}`,
      ).body,
    ) as { events: { type: string }[] };
    const attached = probeCase.events.filter((e) => e.type === 'attachment.added').length;
    if (attached !== UPLOADS.length)
      throw new Error(`case ${probeNumber} has ${attached} attachments, not ${UPLOADS.length}`);
    const sizes = UPLOADS.map((u) => `${u.fileName} ${(u.make().length / 1024).toFixed(1)} KB`).join(', ');
    log(`probe: case ${probeNumber} opened with ${attached} attachments (${sizes})`);

    // The whole sequence, each citizen one application after another (not in the one-request part alone).
    const full = PARTS.has('submission');
    let submitted = 1;
    const whole = async (c: number, into?: Steps) => {
      const citizen = citizens[c]!;
      await steps.submit(citizen, await steps.prepare(citizen, into), into);
      submitted++;
    };
    const wholeRun = async () => {
      if (WARMUP_S > 0) await run(WARMUP_S, CITIZENS, (c) => whole(c));
      const stepTimes: Steps = { start: [], data: [], upload: [], submit: [] };
      log(`measuring the whole sequence for ${DURATION_S} s`);
      const wholeCpu = await cpuMeter(serverPid, pool, temp.name);
      const wholeWaits = sampleWaits(pool, temp.name);
      const rate = await run(DURATION_S, CITIZENS, (c) => whole(c, stepTimes));
      const waitLine = await wholeWaits.stop();
      const cpuLine = describeCpu(await wholeCpu.stop(), rate.count);
      log(`  whole sequence: ${describeRate(rate, 'submissions')}; ${cpuLine}; ${waitLine}`);
      const stepLine = `start ${ms(mean(stepTimes.start))} ms, form ${ms(mean(stepTimes.data))} ms, each upload ${ms(mean(stepTimes.upload))} ms, submit ${ms(mean(stepTimes.submit))} ms`;
      log(`  mean time per step: ${stepLine}`);
      return { rate, waitLine, cpuLine, stepLine };
    };
    const wholeResult = full ? await wholeRun() : undefined;

    // The application in one request, as an API client sends it: form, three files and submission.
    // Bodies for more than the target rate, made first; past them, each body is made as it is sent.
    // A server that has served nothing else first gets five times the warm-up: after 3 s, the JIT has
    // not yet settled on this path (measured: 7.0 ms of CPU per submission after 3 s, 3.0 after 15).
    const oneRequest = async (on: typeof steps, pid: number, label: string, fresh: boolean) => {
      const warmup = fresh ? WARMUP_S * 5 : WARMUP_S;
      if (warmup > 0)
        await run(warmup, CITIZENS, async (c) => {
          await on.inOneRequest(citizens[c]!);
          submitted++;
        });
      const bodies = Array.from({ length: DURATION_S * TARGETS.submissionsPerSec * 1.5 }, () =>
        on.oneRequestBody(),
      );
      log(`measuring the application in one request, ${label}, for ${DURATION_S} s`);
      const cpu = await cpuMeter(pid, pool, temp.name);
      const waits = sampleWaits(pool, temp.name);
      const rate = await run(DURATION_S, CITIZENS, async (c) => {
        await on.inOneRequest(citizens[c]!, bodies.pop());
        submitted++;
      });
      const waitLine = await waits.stop();
      const cpuLine = describeCpu(await cpu.stop(), rate.count);
      log(`  in one request, ${label}: ${describeRate(rate, 'submissions')}; ${cpuLine}; ${waitLine}`);
      return { rate, cpuLine, waitLine };
    };
    const one = await oneRequest(steps, serverPid, 'one server process', !full);

    // The submission alone, over drafts prepared beforehand; no warm-up, the server is warm.
    const aloneRun = async () => {
      const wanted =
        DRAFTS > 0 ? DRAFTS : Math.max(300, Math.ceil(wholeResult!.rate.perSec * 5 * DURATION_S));
      const perCitizen = Math.ceil(wanted / CITIZENS);
      const drafts: string[][] = citizens.map(() => []);
      const tPrep = performance.now();
      const prepRate = await run(3600, CITIZENS, async (c) => {
        if (drafts[c]!.length >= perCitizen) return false;
        drafts[c]!.push(await steps.prepare(citizens[c]!));
      });
      const ready = drafts.reduce((s, d) => s + d.length, 0);
      log(
        `prepared ${fmtInt(ready)} drafts (start, form, three files) in ${fmtS(performance.now() - tPrep)}: ${describeRate(prepRate, 'drafts')}`,
      );
      log(`measuring the submission alone for up to ${DURATION_S} s over ${fmtInt(ready)} drafts`);
      const submitCpu = await cpuMeter(serverPid, pool, temp.name);
      const submitWaits = sampleWaits(pool, temp.name);
      const submitRate = await run(DURATION_S, CITIZENS, async (c) => {
        const id = drafts[c]!.pop();
        if (id === undefined) return false;
        await steps.submit(citizens[c]!, id);
        submitted++;
      });
      const submitWaitLine = await submitWaits.stop();
      const submitCpuLine = describeCpu(await submitCpu.stop(), submitRate.count);
      log(
        `  submission alone: ${describeRate(submitRate, 'submissions')}; ${submitCpuLine}; ${submitWaitLine}`,
      );
      const left = drafts.reduce((s, d) => s + d.length, 0);
      return { submitRate, submitCpuLine, submitWaitLine, prepRate, left };
    };
    const alone = full ? await aloneRun() : undefined;

    // The same on `yiwang start --workers N`, one process per core (the single server stopped first).
    let workers: Awaited<ReturnType<typeof oneRequest>> | undefined;
    if (WORKERS > 1) {
      await server.stop();
      server = undefined;
      const clusterPort = await freePort();
      const clusterBase = `http://${HOST}:${clusterPort}`;
      const clusterSince = performance.now();
      server = spawnYiwang(
        `yiwang server (applications, ${WORKERS} workers)`,
        clusterPort,
        { databaseUrl: temp.url },
        { DATA_DIR: files.dir, LOGIN_RATE_LIMIT_PER_MINUTE: '100000' },
        WORKERS,
      );
      await waitFor200(`${clusterBase}/`, server, { since: clusterSince, timeoutMs: 180_000 });
      workers = await oneRequest(
        submissionSteps(clusterBase, itemCode, answers),
        server.pid,
        `${WORKERS} worker processes`,
        true,
      );
    }

    // Every submission counted must be one submitted application and one case, no more.
    const after = await counts(pool);
    const gained = { submitted: after.submitted - before.submitted, cases: after.cases - before.cases };
    if (gained.submitted !== submitted || gained.cases !== submitted)
      reportFailure(
        `applications: ${fmtInt(submitted)} submissions answered 201, but ${fmtInt(gained.submitted)} applications were marked submitted and ${fmtInt(gained.cases)} cases opened`,
      );
    else
      log(
        `  checked: ${fmtInt(submitted)} submissions, ${fmtInt(gained.submitted)} applications submitted, ${fmtInt(gained.cases)} cases opened`,
      );

    // Baseline: the rows of the probe's submission, inserted bare, one submission per transaction.
    const template = await templateOf(pool, probeNumber);
    const insert = await shadowTables(pool);
    const bare = bareSubmission(pool, insert, template);
    const rowsPerTx = 2 + template.files.length + template.events.length + template.tasks.length;
    if (WARMUP_S > 0) await run(WARMUP_S, CITIZENS, bare);
    const bareRate = await run(DURATION_S, CITIZENS, bare);
    log(
      `  bare INSERTs of the same ${rowsPerTx} rows (application, ${template.files.length} files, case, ${template.events.length} events, ${template.tasks.length} task) per transaction: ${describeRate(bareRate, 'transactions')}`,
    );

    const setting = `PostgreSQL, ${CITIZENS} citizens at once, server pool ${SERVER_POOL}`;
    // The target is for the server as deployed on this host: one worker process per core.
    const deployed = workers ?? one;
    const oneLine = (r: typeof one, how: string, judged: boolean) => {
      report(
        `online application 临时救助申请 with three attachments of ~5 KB in one request (POST /api/v1/applications/submitted; ${setting}, ${how}): ${describeRate(r.rate, 'submissions')} = ${pct(r.rate.perSec, bareRate.perSec)} of the bare INSERTs`,
        judged
          ? {
              text: `>= ${TARGETS.submissionsPerSec} submissions/s`,
              met: r.rate.perSec >= TARGETS.submissionsPerSec && r.rate.failures === 0,
            }
          : undefined,
      );
      report(`  ${r.cpuLine}; ${r.waitLine}`);
    };
    if (workers) oneLine(workers, `yiwang start --workers ${WORKERS}, one per core`, true);
    oneLine(one, 'one server process', deployed === one);
    if (wholeResult) {
      const { rate, cpuLine, waitLine, stepLine } = wholeResult;
      report(
        `online application, whole interactive sequence as the pages make it (start, form, 3 uploads, submit: six requests; ${setting}): ${describeRate(rate, 'submissions')} = ${pct(rate.perSec, bareRate.perSec)} of the bare INSERTs`,
      );
      report(`  mean time per step in that run: ${stepLine}; ${cpuLine}; ${waitLine}`);
    }
    if (alone) {
      const { submitRate, submitCpuLine, submitWaitLine, prepRate, left } = alone;
      report(
        `online application, submission alone over prepared drafts (${setting}): ${describeRate(submitRate, 'submissions')} = ${pct(submitRate.perSec, bareRate.perSec)} of the bare INSERTs${left === 0 ? ' (ran out of drafts)' : ''}`,
      );
      report(
        `  ${submitCpuLine}; ${submitWaitLine}; drafts prepared for it (start, form, 3 uploads): ${describeRate(prepRate, 'drafts')}`,
      );
    }
    report(
      `bare INSERTs of a submission's ${rowsPerTx} rows (application, ${template.files.length} material files, case, ${template.events.length} events, ${template.tasks.length} task), one transaction each (${CITIZENS} callers, pool ${SERVER_POOL}): ${describeRate(bareRate, 'transactions')}`,
    );
  } finally {
    await server?.stop();
    await pool.end();
    await temp.drop();
    await files.remove();
  }
}

export async function runServices(): Promise<void> {
  log(
    `services: parts ${[...PARTS].join(', ')}; guide ${CONNECTIONS} connections, submissions ${CITIZENS} citizens; ${WARMUP_S} s warm-up + ${DURATION_S} s per run`,
  );
  // Everything here shares the cores with whatever else the machine runs: say how busy it was.
  const loadAtStart = os.loadavg()[0]!;
  if (PARTS.has('guide')) await benchGuide();
  if (PARTS.has('submission') || PARTS.has('one-request')) await benchSubmission();
  report(
    `services: 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end, on ${os.availableParallelism()} cores`,
  );
}
