/**
 * Login throughput: `POST /api/v1/session` with the demo citizen's correct name and password, against
 * the Yiwang server in its own process on a fresh PostgreSQL database (demo data seeded, rate limits
 * raised out of the way). A login is dominated by one argon2id verification, so the baseline is that
 * alone: the identity module's own hashPassword/verifyPassword (same parameters), verifying in a loop in
 * this process on the same cores, with as many verifications in flight as the server can run at once
 * (@node-rs/argon2 works on libuv's thread pool, UV_THREADPOOL_SIZE, 4 by default) and, for comparison,
 * as many as there are cores. The figure is logins/s as a share of the better of the two; the rest is
 * HTTP, the lockout check, the session, the audit entry and autocannon sharing the cores.
 */
import os from 'node:os';
// The benchmark measures the module's own argon2id settings, so it reaches past the module's index.
// eslint-disable-next-line yiwang/module-boundaries
import { hashPassword, verifyPassword } from '../src/modules/identity/password.ts';
import {
  CONNECTIONS,
  DURATION_S,
  HOST,
  WARMUP_S,
  createTempDatabase,
  describeLoad,
  fmtInt,
  fmtS,
  freePort,
  load,
  log,
  pct,
  report,
  spawnYiwang,
  waitFor200,
} from './lib.ts';

// The demo citizen (README, "Demo logins"), seeded with the demo region.
const USERNAME = 'demo.citizen';
const PASSWORD = 'Demo#2026citizen';
const SESSION_PATH = '/api/v1/session';

/** "$argon2id$v=19$m=19456,t=2,p=1$…" → "argon2id v=19, m=19456 KiB (19 MiB), t=2, p=1". */
function describeArgon2(hash: string): string {
  const [, algorithm, version, params] = hash.split('$');
  const fields = Object.fromEntries((params ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
  const m = Number(fields.m);
  return `${algorithm} ${version}, m=${m} KiB (${(m / 1024).toFixed(0)} MiB), t=${fields.t}, p=${fields.p}`;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** `workers` verification loops in parallel for `seconds`; verifications per second and latencies. */
async function verifyLoop(
  hash: string,
  workers: number,
  seconds: number,
): Promise<{ perSec: number; p50Ms: number; p99Ms: number; total: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        if (!(await verifyPassword(hash, PASSWORD))) throw new Error('argon2id verification failed');
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSec: latencies.length / elapsed,
    p50Ms: Math.round(percentile(latencies, 0.5)),
    p99Ms: Math.round(percentile(latencies, 0.99)),
    total: latencies.length,
  };
}

async function login(base: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}${SESSION_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: USERNAME, password: PASSWORD }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.text() };
}

export async function runLogin(): Promise<void> {
  const cores = os.availableParallelism();
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  // Baseline first, before the server and autocannon take the cores.
  const hashStarted = performance.now();
  const hash = await hashPassword(PASSWORD);
  const hashMs = performance.now() - hashStarted;
  const params = describeArgon2(hash);
  log(
    `argon2id parameters (src/modules/identity/password.ts): ${params}; one hash took ${Math.round(hashMs)} ms`,
  );
  if (WARMUP_S > 0) await verifyLoop(hash, pool, WARMUP_S);
  const verifies: { inFlight: number; perSec: number; p50Ms: number; p99Ms: number }[] = [];
  for (const inFlight of [...new Set([pool, cores])]) {
    const v = await verifyLoop(hash, inFlight, DURATION_S);
    log(
      `  argon2id verify, ${inFlight} in flight on ${cores} cores: ${fmtInt(v.perSec)} verifications/s, p50 ${v.p50Ms} ms, p99 ${v.p99Ms} ms (${fmtInt(v.total)} verifications)`,
    );
    verifies.push({ inFlight, ...v });
  }
  const baseline = verifies.reduce((a, b) => (b.perSec > a.perSec ? b : a));

  const temp = await createTempDatabase();
  log(`created database ${temp.name}`);
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  const since = performance.now();
  const server = spawnYiwang(
    'yiwang server (login)',
    port,
    { databaseUrl: temp.url },
    {
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    },
  );
  try {
    const startMs = await waitFor200(`${base}/`, server, { since, timeoutMs: 180_000 });
    log(`yiwang server (pid ${server.pid}, PostgreSQL) answered 200 on / after ${fmtS(startMs)}`);
    // The request must really log in, or the figure means nothing.
    const probe = await login(base);
    if (probe.status !== 200 || !probe.body.includes(`"username":"${USERNAME}"`))
      throw new Error(`${SESSION_PATH} answered ${probe.status} ${probe.body.slice(0, 200)}`);

    log(`loading POST ${base}${SESSION_PATH} (${USERNAME}, correct password)`);
    const r = await load(`${base}${SESSION_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USERNAME, password: PASSWORD }),
    });
    log(`  login: ${describeLoad(r)}`);
    // A correct password never counts as a failure, so the account must still log in afterwards.
    const after = await login(base);
    if (after.status !== 200)
      throw new Error(`after the run, login answered ${after.status} ${after.body.slice(0, 200)}`);

    const bad = r.non2xx + r.errors + r.timeouts;
    const warn = bad > 0 ? ` (WARNING: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts)` : '';
    report(`argon2id parameters: ${params} (one hash ${Math.round(hashMs)} ms on this machine)`);
    for (const v of verifies)
      report(
        `argon2id verify alone, in process, ${v.inFlight} in flight on ${cores} cores: ${fmtInt(v.perSec)} verifications/s, p50 ${v.p50Ms} ms, p99 ${v.p99Ms} ms`,
      );
    report(
      `login POST ${SESSION_PATH} (PostgreSQL, ${CONNECTIONS} connections): ${fmtInt(r.reqPerSec)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms = ${pct(r.reqPerSec, baseline.perSec)} of argon2id verify alone (${fmtInt(baseline.perSec)}/s, ${baseline.inFlight} in flight)${warn}`,
    );
  } finally {
    await server.stop();
    await temp.drop();
  }
}
