/**
 * Licence verification throughput: GET /api/v1/licences/{id}/verification — what every QR scan asks —
 * against a bare Fastify hello-world measured just before, in the same run. Target: >= 1,000 req/s.
 *
 * The Yiwang server runs as `node bin/yiwang.js start` in its own process on a fresh PostgreSQL
 * database (BENCH_PG_URL), demo region seeded, as bench/http.ts runs it. BENCH_LICENCES licences
 * (default 300) are issued through the API by the demo department head (西湖区民政局), then autocannon
 * (50 connections, 3 s warm-up + 10 s) asks for their verification in turn, each request the next id.
 * Each answer is a query, an SM4 decryption and two SM3 hashes; the SM2 verification itself is
 * remembered per (key, digest, signature) — see src/modules/licences/signature-check.ts — so the
 * figure printed beside it is what a real SM2 verification costs alone, for comparison.
 */
import { generateSm2KeyPair, sm2Sign, sm2Verify } from '../src/kernel/crypto/index.ts';
import {
  CONNECTIONS,
  DURATION_S,
  HOST,
  WARMUP_S,
  createTempDatabase,
  describeLoad,
  fmtInt,
  freePort,
  load,
  log,
  pct,
  report,
  spawnYiwang,
  waitFor200,
  type LoadResult,
  withHelloWorld,
} from './lib.ts';

const TARGET_REQ_PER_S = 1000;
const LICENCES = Math.min(5000, Math.max(10, Number(process.env.BENCH_LICENCES) || 300));
const HEAD = { username: 'demo.head', password: 'Demo#2026head' };

function helloWorld(): Promise<LoadResult> {
  return withHelloWorld(async (url) => {
    const r = await load(url);
    log(`  hello-world: ${describeLoad(r)}`);
    return r;
  });
}

/** Signs in the demo department head and issues `count` licences; returns their ids. */
async function issueLicences(base: string, count: number): Promise<string[]> {
  const login = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(HEAD),
  });
  const session = login.headers.getSetCookie().find((c) => c.startsWith('yw_session='));
  if (login.status !== 200 || !session) throw new Error(`demo.head login answered ${login.status}`);
  const cookie = session.split(';')[0]!;
  const ids: string[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${base}/api/v1/licences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        type: { code: 'MZ-TEST', name: '临时救助证明' },
        holder: { kind: 'person', name: '张演示', idNumber: '33010619900101123X' },
        fields: [
          { key: 'no', label: '证明编号', value: `MZ2026${String(i).padStart(6, '0')}` },
          { key: 'amount', label: '救助金额', value: '3000元' },
        ],
        validFrom: '2026-01-01',
        validUntil: '2099-12-31',
      }),
    });
    if (res.status !== 201)
      throw new Error(`issuing licence ${i} answered ${res.status}: ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  const ms = performance.now() - started;
  log(
    `issued ${count} licences in ${(ms / 1000).toFixed(1)} s (${(ms / count).toFixed(1)} ms each, one at a time)`,
  );
  report(
    `licence issue POST /api/v1/licences (PostgreSQL, sequential): ${(ms / count).toFixed(1)} ms per licence`,
  );
  return ids;
}

/** Like lib.ts load(), but every request asks for the next licence's verification. */
async function loadVerifications(base: string, ids: string[]): Promise<LoadResult> {
  let next = 0;
  const requests = [
    {
      method: 'GET' as const,
      setupRequest: (req: Record<string, unknown>) => ({
        ...req,
        path: `/api/v1/licences/${ids[next++ % ids.length]}/verification`,
      }),
    },
  ];
  return load(base, { requests });
}

/** What one real SM2 verification costs in this process (median of runs), for comparison. */
function sm2VerifyMs(): number {
  const key = generateSm2KeyPair();
  const data = JSON.stringify({ id: 'x'.repeat(22), fields: ['y'.repeat(400)] });
  const signature = sm2Sign(key.privateKeyPem, data);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    if (!sm2Verify(key.publicKeyHex, data, signature)) throw new Error('SM2 verification failed');
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[100]!;
}

export async function runLicences(): Promise<void> {
  log(`licences: ${LICENCES} licences, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s`);
  const hello = await helloWorld();
  const db = await createTempDatabase();
  log(`created database ${db.name}`);
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  const server = spawnYiwang('yiwang server (PostgreSQL)', port, { databaseUrl: db.url });
  try {
    await waitFor200(`${base}/`, server, { timeoutMs: 180_000 });
    const ids = await issueLicences(base, LICENCES);
    const probe = await fetch(`${base}/api/v1/licences/${ids[0]}/verification`);
    const answer = (await probe.json()) as { status?: string };
    if (probe.status !== 200 || answer.status !== 'valid')
      throw new Error(`verification answered ${probe.status} ${JSON.stringify(answer).slice(0, 200)}`);
    log(`loading GET /api/v1/licences/{id}/verification over ${ids.length} ids`);
    const r = await loadVerifications(base, ids);
    log(`  licence verification: ${describeLoad(r)}`);
    const bad = r.non2xx + r.errors + r.timeouts;
    report(
      `licence verification GET /api/v1/licences/{id}/verification over ${ids.length} ids (PostgreSQL): ${fmtInt(r.reqPerSec)} req/s, p99 ${r.p99Ms} ms = ${pct(r.reqPerSec, hello.reqPerSec)} of hello-world ${fmtInt(hello.reqPerSec)} req/s (p99 ${hello.p99Ms} ms)${bad > 0 ? ` (WARNING: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts)` : ''}`,
      { text: `>= ${fmtInt(TARGET_REQ_PER_S)} req/s`, met: r.reqPerSec >= TARGET_REQ_PER_S && bad === 0 },
    );
  } finally {
    await server.stop();
    await db.drop();
  }
  const ms = sm2VerifyMs();
  report(
    `one SM2 signature verification in-process (what the id path remembers instead of repeating): ${ms.toFixed(2)} ms, i.e. at most ${fmtInt(1000 / ms)} verifications/s per core`,
  );
}
