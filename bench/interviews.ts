/**
 * Live interview fan-out (在线访谈 SSE): BENCH_IV_VIEWERS (5,000) viewers hold `GET /interviews/{id}/live`
 * open on one Yiwang server process on PostgreSQL; the host posts BENCH_IV_POSTS entries one after
 * another through the API, and each viewer's receipt of each entry is timed from the moment its POST
 * was sent (so the figure includes the transaction, the NOTIFY, the node reading the row once and
 * writing it to every socket). Baseline, in the same run: a raw node:http SSE server (no framework,
 * no database) fanned out to the same number of viewers by the same client.
 *
 * The viewers are plain http.get streams from this one process (the client's own CPU is printed:
 * on two cores the client and the server share the machine, and a busy client adds to the delays it
 * measures). Every socket is a file descriptor on each side: the run checks the soft limit
 * (`ulimit -n`) first and stops with a message if it is too low for the viewers asked for.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import {
  childEnv,
  cpuMsOf,
  createTempDatabase,
  fmtInt,
  freePort,
  HOST,
  log,
  memoryOf,
  report,
  send,
  spawnProcess,
  spawnYiwang,
  waitFor200,
} from './lib.ts';

const VIEWERS = boundedInt(process.env.BENCH_IV_VIEWERS, 5000, 10, 15000);
const POSTS = boundedInt(process.env.BENCH_IV_POSTS, 20, 1, 500);
/** Pause between posts, so each entry's fan-out is measured on its own. */
const GAP_MS = 300;
const TARGET_P99_MS = 1000;

function boundedInt(raw: string | undefined, dflt: number, min: number, max: number): number {
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : dflt;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The soft limit on open files of this process (the servers inherit it). */
function openFileLimit(): number {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m?.[1] === 'unlimited' ? Infinity : Number(m?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

interface FanOut {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  missing: number;
  clientCpuMsPerPost: number;
  serverCpuMsPerPost: number;
  connectMs: number;
}

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

/**
 * Opens the viewers, posts one entry at a time and times every viewer's receipt of it. `post`
 * sends the entry and resolves with its event id.
 */
async function fanOut(
  streamUrl: string,
  serverPid: number,
  post: (n: number) => Promise<number>,
  sent: Map<number, number>,
): Promise<FanOut> {
  // sent: when the POST of the entry with that id was sent (set before sending); receipts per id.
  const delays: number[] = [];
  const received = new Map<number, number>();
  const requests: http.ClientRequest[] = [];
  let failed = 0;
  const onEvent = (id: number, at: number) => {
    const t0 = sent.get(id);
    if (t0 === undefined) return;
    delays.push(at - t0);
    received.set(id, (received.get(id) ?? 0) + 1);
  };
  const open = () =>
    new Promise<void>((resolve) => {
      const req = http.get(streamUrl, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          failed++;
          res.resume();
          return resolve();
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (block.startsWith('id: ')) onEvent(Number(block.slice(4, block.indexOf('\n'))), at);
          }
        });
        res.on('error', () => undefined);
        resolve();
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
      requests.push(req);
    });
  const c0 = performance.now();
  for (let i = 0; i < VIEWERS; i += 250) {
    await Promise.all(Array.from({ length: Math.min(250, VIEWERS - i) }, open));
  }
  const connectMs = performance.now() - c0;
  if (failed > 0) log(`WARNING: ${failed} of ${VIEWERS} viewers could not connect`);
  await sleep(1000);

  const cpu0 = process.cpuUsage();
  const server0 = cpuMsOf(serverPid) ?? NaN;
  let missing = 0;
  for (let n = 0; n < POSTS; n++) {
    const id = await post(n);
    const deadline = performance.now() + 10_000;
    while ((received.get(id) ?? 0) < VIEWERS - failed && performance.now() < deadline) await sleep(5);
    missing += VIEWERS - failed - (received.get(id) ?? 0);
    await sleep(GAP_MS);
  }
  const cpu = process.cpuUsage(cpu0);
  const serverMs = (cpuMsOf(serverPid) ?? NaN) - server0;
  for (const r of requests) r.destroy();
  await sleep(500);
  delays.sort((a, b) => a - b);
  const q = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? NaN;
  return {
    p50: q(0.5),
    p99: q(0.99),
    max: delays.at(-1) ?? NaN,
    samples: delays.length,
    missing,
    clientCpuMsPerPost: (cpu.user + cpu.system) / 1000 / POSTS,
    serverCpuMsPerPost: serverMs / POSTS,
    connectMs,
  };
}

function describe(r: FanOut): string {
  return (
    `p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, max ${r.max.toFixed(0)} ms over ${fmtInt(r.samples)} receipts` +
    `${r.missing ? ` (${fmtInt(r.missing)} MISSING)` : ''}; server CPU ${r.serverCpuMsPerPost.toFixed(0)} ms per post;` +
    ` client CPU ${r.clientCpuMsPerPost.toFixed(0)} ms per post; ${VIEWERS} viewers connected in ${(r.connectMs / 1000).toFixed(1)} s`
  );
}

/**
 * The early receipts problem: an event can reach a viewer before its POST answers. Receipts are
 * therefore matched to the id the POST returns by `sent`, which the fan-out sets before it waits;
 * a receipt that arrives before is matched through this wrapper, which records the send time first
 * under the id the server will give (posts are sequential, so it is the previous id + 1).
 */
function sequentialPost(
  first: number,
  send: (n: number) => Promise<number>,
  mark: (id: number, at: number) => void,
) {
  let next = first;
  return async (n: number) => {
    mark(next, performance.now());
    const id = await send(n);
    if (id !== next) throw new Error(`expected entry ${next}, the server gave ${id}`);
    next++;
    return id;
  };
}

export async function runInterviews(): Promise<void> {
  const limit = openFileLimit();
  log(`open-file limit ${limit} (each viewer is one descriptor here and one in the server)`);
  if (limit < VIEWERS + 1000)
    throw new Error(
      `ulimit -n is ${limit}: raise it to at least ${VIEWERS + 1000} (ulimit -n ${VIEWERS + 1000}) for ${VIEWERS} viewers`,
    );

  // Baseline: raw node:http SSE, no database.
  const basePort = await freePort();
  const baseline = spawnProcess(
    'sse-baseline',
    process.execPath,
    ['--import', 'tsx', 'bench/interviews-sse-server.ts'],
    childEnv({ PORT: String(basePort) }),
  );
  let base: FanOut;
  try {
    await waitFor200(`http://${HOST}:${basePort}/`, baseline, { timeoutMs: 30_000 });
    log(`baseline: raw node:http SSE (pid ${baseline.pid}), ${VIEWERS} viewers, ${POSTS} posts`);
    const sent = new Map<number, number>();
    base = await fanOutWith(`http://${HOST}:${basePort}/live`, baseline.pid, sent, 1, async (n) => {
      const r = await send(`http://${HOST}:${basePort}`, 'POST', '/post', { body: `第${n}条主持词` });
      return (JSON.parse(r.body) as { seq: number }).seq;
    });
    log(`baseline: ${describe(base)}`);
  } finally {
    await baseline.stop();
  }

  // Yiwang on PostgreSQL.
  const db = await createTempDatabase();
  const port = await freePort();
  const origin = `http://${HOST}:${port}`;
  const server = spawnYiwang('yiwang', port, { databaseUrl: db.url });
  try {
    await waitFor200(`${origin}/healthz`, server, { timeoutMs: 180_000 });
    await waitFor200(`${origin}/`, server, { timeoutMs: 60_000 });
    const login = await send(origin, 'POST', '/api/v1/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo.host', password: 'Demo#2026host' }),
    });
    if (login.status !== 200) throw new Error(`demo.host could not sign in: ${login.status} ${login.body}`);
    const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
    const json = { 'content-type': 'application/json', cookie };
    const created = await send(origin, 'POST', '/api/v1/interviews', {
      headers: json,
      body: JSON.stringify({
        title: '性能测试访谈',
        hostName: '孔主持',
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        guests: [{ name: '嘉宾', accountId: null }],
      }),
    });
    if (created.status !== 201) throw new Error(`could not schedule: ${created.status} ${created.body}`);
    const id = (JSON.parse(created.body) as { id: number }).id;
    const live = await send(origin, 'POST', `/api/v1/interviews/${id}/status`, {
      headers: json,
      body: JSON.stringify({ status: 'live' }),
    });
    if (live.status !== 200) throw new Error(`could not go live: ${live.status} ${live.body}`);
    log(`Yiwang on PostgreSQL (pid ${server.pid}): interview ${id} live, ${VIEWERS} viewers, ${POSTS} posts`);
    const sent = new Map<number, number>();
    const rss0 = memoryOf(server.pid)?.rssMb ?? NaN;
    // Entry 1 is "live"; the posts are 2, 3, …
    const yiwang = await fanOutWith(`${origin}/interviews/${id}/live`, server.pid, sent, 2, async (n) => {
      const r = await send(origin, 'POST', `/api/v1/interviews/${id}/entries`, {
        headers: json,
        body: JSON.stringify({ text: `第${n}条主持词：欢迎各位网友收看本期在线访谈。` }),
      });
      if (r.status !== 201) throw new Error(`post failed: ${r.status} ${r.body}`);
      return (JSON.parse(r.body) as { seq: number }).seq;
    });
    const rss = memoryOf(server.pid)?.rssMb ?? NaN;
    log(
      `Yiwang: ${describe(yiwang)}; server RSS ${rss0.toFixed(0)} MB before the viewers, ${rss.toFixed(0)} MB after`,
    );
    report(
      `interview SSE fan-out, ${fmtInt(VIEWERS)} viewers of one interview on one process (PostgreSQL): post → receipt p50 ${yiwang.p50.toFixed(0)} ms, p99 ${yiwang.p99.toFixed(0)} ms, max ${yiwang.max.toFixed(0)} ms${yiwang.missing ? `, ${yiwang.missing} missing` : ''}; baseline raw node:http SSE p50 ${base.p50.toFixed(0)} / p99 ${base.p99.toFixed(0)} ms`,
      { text: `p99 < ${TARGET_P99_MS} ms`, met: yiwang.p99 < TARGET_P99_MS && yiwang.missing === 0 },
    );
  } finally {
    await server.stop();
    await db.drop();
  }
}

/** fanOut with receipts matched to send times recorded before each POST (see sequentialPost). */
async function fanOutWith(
  url: string,
  pid: number,
  sent: Map<number, number>,
  first: number,
  post: (n: number) => Promise<number>,
): Promise<FanOut> {
  return fanOut(
    url,
    pid,
    sequentialPost(first, post, (id, at) => sent.set(id, at)),
    sent,
  );
}
