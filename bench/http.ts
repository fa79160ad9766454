/**
 * HTTP throughput and memory: the portal home page and a division-children API call, each against a
 * bare Fastify hello-world measured just before, with the Yiwang server in its own process on PGlite
 * (fresh temp DATA_DIR) and then on PostgreSQL (fresh database). Peak RSS of the server during the
 * portal run comes from /proc/<pid>/status.
 */
import {
  CONNECTIONS,
  DURATION_S,
  HOST,
  WARMUP_S,
  createTempDatabase,
  describeLoad,
  fmtInt,
  fmtMb,
  fmtS,
  freePort,
  load,
  log,
  memoryOf,
  pct,
  report,
  resetPeakRss,
  sampleRss,
  spawnYiwang,
  tempDir,
  waitFor200,
  type LoadResult,
  withHelloWorld,
} from './lib.ts';

const CHILDREN_PATH = '/api/v1/divisions/330100/children';

const TARGETS = {
  homeShare: 0.3,
  childrenShare: 0.4,
  rssMb: { PGlite: 512, PostgreSQL: 256 },
} as const;

type Backend = 'PGlite' | 'PostgreSQL';

function helloWorld(): Promise<LoadResult> {
  return withHelloWorld(async (url) => {
    const r = await load(url);
    log(`  hello-world: ${describeLoad(r)}`);
    return r;
  });
}

interface YiwangFigures {
  startMs: number;
  idleRssMb: number | undefined;
  startupPeakMb: number | undefined;
  home: LoadResult;
  children: LoadResult;
  /** Peak RSS while the portal home page was under load. */
  portalPeakMb: number;
  portalPeakHow: string;
  lifetimePeakMb: number;
  /** The same two loads with the micro-cache off: every request renders and queries the database. */
  uncached: { home: LoadResult; children: LoadResult };
}

async function yiwang(backend: Backend): Promise<YiwangFigures> {
  let db: { dataDir: string } | { databaseUrl: string };
  let dispose: () => Promise<void>;
  if (backend === 'PGlite') {
    const t = tempDir('http');
    db = { dataDir: t.dir };
    dispose = t.remove;
  } else {
    const d = await createTempDatabase();
    log(`created database ${d.name}`);
    db = { databaseUrl: d.url };
    dispose = d.drop;
  }
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  const since = performance.now();
  const server = spawnYiwang(`yiwang server (${backend})`, port, db);
  try {
    const startMs = await waitFor200(`${base}/`, server, { since, timeoutMs: 180_000 });
    log(`yiwang server (pid ${server.pid}, ${backend}) answered 200 on / after ${fmtS(startMs)}`);
    // The API route must really answer with the demo city's districts, or the figure means nothing.
    const probe = await fetch(`${base}${CHILDREN_PATH}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await probe.json()) as { items?: unknown[] };
    if (probe.status !== 200 || !Array.isArray(body.items) || body.items.length === 0)
      throw new Error(`${CHILDREN_PATH} answered ${probe.status} ${JSON.stringify(body).slice(0, 200)}`);

    const atStart = memoryOf(server.pid);
    const canReset = resetPeakRss(server.pid);
    const sampler = sampleRss(server.pid);
    log(`loading ${base}/ (portal home)`);
    const home = await load(`${base}/`);
    const sampledPeak = sampler.stop();
    const afterHome = memoryOf(server.pid);
    log(`  portal home: ${describeLoad(home)}`);
    // With VmHWM reset after start-up, it holds the exact peak of the portal run; else the samples do.
    const portalPeakMb = canReset && afterHome ? Math.max(afterHome.hwmMb, sampledPeak) : sampledPeak;
    const portalPeakHow = canReset
      ? `VmHWM reset after start-up; VmRSS sampled every 100 ms peaked at ${fmtMb(sampledPeak)}`
      : 'VmRSS sampled every 100 ms (VmHWM could not be reset)';

    log(`loading ${base}${CHILDREN_PATH} (division children)`);
    const children = await load(`${base}${CHILDREN_PATH}`);
    log(`  division children: ${describeLoad(children)}`);
    const atEnd = memoryOf(server.pid);
    const lifetimePeakMb = Math.max(atStart?.hwmMb ?? 0, atEnd?.hwmMb ?? 0, portalPeakMb);
    await server.stop();

    // Again on the same database with PUBLIC_CACHE_SECONDS=0: the cost of a page nobody asked for yet.
    const uncachedPort = await freePort();
    const uncachedBase = `http://${HOST}:${uncachedPort}`;
    const uncachedServer = spawnYiwang(`yiwang server (${backend}, no micro-cache)`, uncachedPort, db, {
      PUBLIC_CACHE_SECONDS: '0',
    });
    let uncached: YiwangFigures['uncached'];
    try {
      await waitFor200(`${uncachedBase}/`, uncachedServer, { timeoutMs: 180_000 });
      log(`loading ${uncachedBase}/ (portal home, no micro-cache)`);
      const uHome = await load(`${uncachedBase}/`);
      log(`  portal home, no micro-cache: ${describeLoad(uHome)}`);
      log(`loading ${uncachedBase}${CHILDREN_PATH} (division children, no micro-cache)`);
      const uChildren = await load(`${uncachedBase}${CHILDREN_PATH}`);
      log(`  division children, no micro-cache: ${describeLoad(uChildren)}`);
      uncached = { home: uHome, children: uChildren };
    } finally {
      await uncachedServer.stop();
    }
    return {
      uncached,
      startMs,
      idleRssMb: atStart?.rssMb,
      startupPeakMb: atStart?.hwmMb,
      home,
      children,
      portalPeakMb,
      portalPeakHow,
      lifetimePeakMb,
    };
  } finally {
    await server.stop();
    await dispose();
  }
}

function loadLine(name: string, r: LoadResult, hello: LoadResult): string {
  const bad = r.non2xx + r.errors + r.timeouts;
  const warn = bad > 0 ? ` (WARNING: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts)` : '';
  return `${name}: ${fmtInt(r.reqPerSec)} req/s, p99 ${r.p99Ms} ms = ${pct(r.reqPerSec, hello.reqPerSec)} of hello-world ${fmtInt(hello.reqPerSec)} req/s (p99 ${hello.p99Ms} ms)${warn}`;
}

export async function runHttp(): Promise<void> {
  log(`HTTP: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s measured per run`);
  for (const backend of ['PGlite', 'PostgreSQL'] as const) {
    log(`--- ${backend} ---`);
    const hello = await helloWorld();
    const y = await yiwang(backend);
    const share = (r: LoadResult) => (hello.reqPerSec > 0 ? r.reqPerSec / hello.reqPerSec : 0);
    report(loadLine(`portal home GET / (${backend})`, y.home, hello), {
      text: `>= ${TARGETS.homeShare * 100}%`,
      met: share(y.home) >= TARGETS.homeShare && y.home.non2xx + y.home.errors === 0,
    });
    report(loadLine(`division children GET ${CHILDREN_PATH} (${backend})`, y.children, hello), {
      text: `>= ${TARGETS.childrenShare * 100}%`,
      met: share(y.children) >= TARGETS.childrenShare && y.children.non2xx + y.children.errors === 0,
    });
    const limit = TARGETS.rssMb[backend];
    report(
      `peak RSS of the server during the portal run (${backend}): ${fmtMb(y.portalPeakMb)} (${y.portalPeakHow})`,
      {
        text: `< ${limit} MB`,
        met: y.portalPeakMb < limit,
      },
    );
    const idle = y.idleRssMb === undefined ? '?' : fmtMb(y.idleRssMb);
    const startPeak = y.startupPeakMb === undefined ? '?' : fmtMb(y.startupPeakMb);
    report(
      `peak RSS of the server over its whole life, start-up included (${backend}): ${fmtMb(y.lifetimePeakMb)} (start-up peak ${startPeak}, RSS when first ready ${idle})`,
      { text: `< ${limit} MB`, met: y.lifetimePeakMb < limit },
    );
    report(`server spawn to first 200 of / during the HTTP run (${backend}): ${fmtS(y.startMs)}`);
    report(loadLine(`portal home GET /, micro-cache off (${backend})`, y.uncached.home, hello));
    report(loadLine(`division children, micro-cache off (${backend})`, y.uncached.children, hello));
  }
}
