/**
 * Start-up: time from spawning `node bin/yiwang.js start` (what `npm start` runs) on a fresh, empty
 * PGlite data dir to the first HTTP 200 of `/`, against a bare node:http server spawned the same way.
 * Runs alternate (baseline, Yiwang, baseline, …) so machine noise hits both alike; medians are reported.
 */
import {
  HOST,
  childEnv,
  fmtS,
  freePort,
  log,
  median,
  report,
  spawnProcess,
  spawnYiwang,
  tempDir,
  waitFor200,
} from './lib.ts';

const RUNS = Math.min(5, Math.max(1, Number(process.env.BENCH_STARTUP_RUNS) || 3));
const TARGET_MS = 10_000;

async function baselineOnce(): Promise<number> {
  const port = await freePort();
  const since = performance.now();
  const p = spawnProcess(
    'node:http baseline',
    process.execPath,
    ['-e', `require('http').createServer((q,s)=>s.end('ok')).listen(${port}, '${HOST}')`],
    childEnv({}),
  );
  try {
    return await waitFor200(`http://${HOST}:${port}/`, p, { since, timeoutMs: 30_000 });
  } finally {
    await p.stop();
  }
}

/** Spawn to first 200 of / on dataDir; also what the server says of itself ("is up in X s"). */
async function yiwangOnce(dataDir: string): Promise<{ ms: number; selfReported: string }> {
  const port = await freePort();
  const since = performance.now();
  const p = spawnYiwang('yiwang server (start-up)', port, { dataDir });
  try {
    const ms = await waitFor200(`http://${HOST}:${port}/`, p, { since, timeoutMs: 120_000 });
    const up = /is up in ([\d.]+) s/.exec(p.stdout())?.[1];
    return { ms, selfReported: up ? `${up} s` : '?' };
  } finally {
    await p.stop();
  }
}

export async function runStartup(): Promise<void> {
  log(`start-up: ${RUNS} run(s) each, fresh temp PGlite data dir per Yiwang run`);
  const base: number[] = [];
  const fresh: number[] = [];
  const self: string[] = [];
  let lastDir: string | undefined;
  for (let i = 0; i < RUNS; i++) {
    const b = await baselineOnce();
    base.push(b);
    log(`  run ${i + 1}: node:http baseline ${fmtS(b)}`);
    const t = tempDir('startup');
    const y = await yiwangOnce(t.dir);
    fresh.push(y.ms);
    self.push(y.selfReported);
    log(`  run ${i + 1}: yiwang on empty data dir ${fmtS(y.ms)} (server says "is up in ${y.selfReported}")`);
    if (lastDir === undefined) lastDir = t.dir;
    else await t.remove();
  }
  // A restart on a data dir that is already migrated and seeded: what an operator sees after day one.
  const restart = lastDir ? await yiwangOnce(lastDir) : undefined;
  if (restart) log(`  restart on the already-seeded data dir: ${fmtS(restart.ms)}`);

  const m = median(fresh);
  const mb = median(base);
  report(
    `npm start to first 200 of / on an empty PGlite data dir: ${fmtS(m)} median of ${RUNS} (${fresh.map(fmtS).join(', ')}; server-reported ${self.join(', ')}) vs node:http baseline ${fmtS(mb)} (${(m / mb).toFixed(0)}x)`,
    { text: `< ${TARGET_MS / 1000} s`, met: m < TARGET_MS },
  );
  if (restart)
    report(`npm start to first 200 of / on an already-seeded PGlite data dir: ${fmtS(restart.ms)}`);
}
