/**
 * Letters (领导信箱), `npm run bench -- letters`: BENCH_LT_WRITERS (32) signed-in citizens write letters
 * to the demo site's 省长信箱 at once through `POST /api/v1/letters` on one Yiwang server process on
 * PostgreSQL — each letter screened for sensitive words, its row written and its case opened with the
 * first task and audit entry, in one transaction (group commit across writers). Target: >= 300
 * letters/s. Baselines in the same run, through the same keep-alive client and the same number of
 * callers: the bare Fastify hello-world (GET /), and the bare INSERTs of one letter's rows (the letter,
 * the case, its events and task) one transaction each on a pool as large as the server's.
 */
import os from 'node:os';
import pg from 'pg';
import {
  createTempDatabase,
  DURATION_S,
  fmtInt,
  fmtS,
  freePort,
  HOST,
  log,
  pct,
  report,
  reportFailure,
  send,
  spawnYiwang,
  WARMUP_S,
  waitFor200,
  withHelloWorld,
  type Answer,
  type Spawned,
} from './lib.ts';

function envInt(name: string, dflt: number, min: number, max: number): number {
  const raw = process.env[name];
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : dflt;
}

const WRITERS = envInt('BENCH_LT_WRITERS', 32, 1, 256);
const SERVER_POOL = 10;
const TARGET = 300;
const PASSWORD = 'Bench#Citizen2026';

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

interface Rate {
  count: number;
  failures: number;
  firstFailure: string;
  seconds: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

/** `callers` loops calling op for `seconds`; a failure is counted and the loop goes on. */
async function run(seconds: number, callers: number, op: (caller: number) => Promise<void>): Promise<Rate> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure = '';
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      let inARow = 0;
      while (performance.now() < until && inARow < 20) {
        const t0 = performance.now();
        try {
          await op(c);
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
const describeRate = (r: Rate, unit: string) =>
  `${fmtInt(r.perSec)} ${unit}/s, p50 ${ms(r.p50Ms)} ms, p99 ${ms(r.p99Ms)} ms (${fmtInt(r.count)} in ${r.seconds.toFixed(1)} s)${
    r.failures > 0
      ? ` — WARNING: ${fmtInt(r.failures)} failed, the first: ${r.firstFailure.slice(0, 200)}`
      : ''
  }`;

function citizenId(n: number): string {
  const birth = `19${String(60 + (n % 40)).padStart(2, '0')}0${1 + (n % 9)}1${n % 10}`;
  const first17 = `330106${birth}${String(100 + (n % 900)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}

async function registerCitizen(base: string, n: number): Promise<string> {
  const username = `bench.writer${n}`;
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
  return session;
}

const letterOf = (mailboxId: number, n: number) =>
  JSON.stringify({
    kind: 'leader',
    mailboxId,
    title: `关于公交线路调整的建议（${n}）`,
    body: '建议在早晚高峰加密 K 字头公交线路的班次，并在地铁站出口增设接驳站点，方便市民换乘。联系电话13800138000。',
    phone: '13800138000',
    mayPublish: n % 2 === 0,
  });

/** One letter's rows (letter, case, events, task) inserted bare into copies of the tables, one transaction each. */
async function bareLetters(pool: pg.Pool, probe: string) {
  await pool.query(`create schema if not exists bench;
    create table bench.letter (like letters.letter including all);
    create table bench.case (like workflow.case including all);
    create table bench.event (like workflow.event including all);
    create table bench.task (like workflow.task including all)`);
  const letter = (await pool.query(`select * from letters.letter where case_number = $1`, [probe]))
    .rows[0] as Record<string, unknown>;
  const kase = (await pool.query(`select * from workflow.case where number = $1`, [probe])).rows[0] as Record<
    string,
    unknown
  >;
  const events = (
    await pool.query(
      `select * from workflow.event where case_id = (select id from workflow.case where number = $1)`,
      [probe],
    )
  ).rows as Record<string, unknown>[];
  const tasks = (await pool.query(`select * from workflow.task where case_number = $1`, [probe]))
    .rows as Record<string, unknown>[];
  const insert = (table: string, row: Record<string, unknown>) => {
    const cols = Object.keys(row).filter((c) => c !== 'id');
    return {
      text: `insert into ${table} (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      values: (n: number) =>
        cols.map((c) =>
          c === 'public_id' || c === 'case_number' || c === 'number'
            ? `${row[c]}${n}`
            : c === 'case_id'
              ? 1_000_000 + n
              : // pg sends a JavaScript array as a PostgreSQL array: right for text[], not for jsonb
                c === 'attachments'
                ? JSON.stringify(row[c])
                : row[c],
        ),
    };
  };
  const statements = [
    insert('bench.letter', letter),
    insert('bench.case', kase),
    ...events.map((e) => insert('bench.event', e)),
    ...tasks.map((t) => insert('bench.task', t)),
  ];
  let n = 0;
  return {
    rows: statements.length,
    async op() {
      const i = ++n;
      const c = await pool.connect();
      try {
        await c.query('begin');
        for (const s of statements) await c.query(s.text, s.values(i));
        await c.query('commit');
      } catch (e) {
        await c.query('rollback').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    },
  };
}

export async function runLetters(): Promise<void> {
  log(`letters: ${WRITERS} writers at once on PostgreSQL; ${WARMUP_S} s warm-up + ${DURATION_S} s per run`);
  const loadAtStart = os.loadavg()[0]!;
  const temp = await createTempDatabase();
  const pool = new pg.Pool({
    connectionString: temp.url,
    max: SERVER_POOL,
    application_name: 'yiwang-bench-runner',
  });
  pool.on('error', (e) => {
    if (!pool.ending) log(`  benchmark pool: ${e.message}`);
  });
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  const since = performance.now();
  let server: Spawned | undefined;
  try {
    server = spawnYiwang(
      'yiwang server (letters)',
      port,
      { databaseUrl: temp.url },
      { LOGIN_RATE_LIMIT_PER_MINUTE: '100000' },
    );
    const startMs = await waitFor200(`${base}/`, server, { since, timeoutMs: 180_000 });
    log(`yiwang server (pid ${server.pid}, PostgreSQL) answered 200 on / after ${fmtS(startMs)}`);
    const addressees = JSON.parse(
      expect(await send(base, 'GET', '/api/v1/letters/addressees'), 200, 'addressees').body,
    ) as {
      mailboxes: { id: number; name: string }[];
    };
    const mailbox = addressees.mailboxes.find((m) => m.name === '省长信箱');
    if (!mailbox) throw new Error('the demo site has no 省长信箱');

    const t0 = performance.now();
    const writers: string[] = [];
    for (let i = 0; i < WRITERS; i += 4)
      writers.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(4, WRITERS - i) }, (_, k) => registerCitizen(base, i + k + 1)),
        )),
      );
    log(`registered ${writers.length} citizens in ${fmtS(performance.now() - t0)}`);

    // The probe: a letter must open a case, or the figure means nothing.
    const probe = JSON.parse(
      expect(
        await send(base, 'POST', '/api/v1/letters', {
          headers: { 'content-type': 'application/json', cookie: writers[0]! },
          body: letterOf(mailbox.id, 0),
        }),
        201,
        'the probe letter',
      ).body,
    ) as { status: string; caseNumber: string };
    if (probe.status !== 'open' || !probe.caseNumber) throw new Error(`the probe letter is ${probe.status}`);
    log(`probe: letter opened case ${probe.caseNumber}`);

    const count = async () =>
      Number(
        (
          await pool.query(
            `select count(*)::int as n from letters.letter where status = 'open' and case_number is not null`,
          )
        ).rows[0].n,
      );
    let seq = 1;
    const write = async (c: number) => {
      const a = await send(base, 'POST', '/api/v1/letters', {
        headers: { 'content-type': 'application/json', cookie: writers[c]! },
        body: letterOf(mailbox.id, seq++),
      });
      if (a.status !== 201)
        throw new Error(`POST /api/v1/letters answered ${a.status}: ${a.body.slice(0, 200)}`);
    };
    if (WARMUP_S > 0) await run(WARMUP_S, WRITERS, write);
    const before = await count();
    const letters = await run(DURATION_S, WRITERS, write);
    const gained = (await count()) - before;
    if (gained !== letters.count)
      reportFailure(
        `letters: ${fmtInt(letters.count)} answered 201 but ${fmtInt(gained)} letters opened cases`,
      );
    else log(`  checked: ${fmtInt(letters.count)} letters written, each with its case`);

    const hello = await withHelloWorld(async (url) => {
      const get = async () => {
        const a = await send(url, 'GET', '/');
        if (a.status !== 200) throw new Error(`hello-world answered ${a.status}`);
      };
      if (WARMUP_S > 0) await run(WARMUP_S, WRITERS, get);
      return run(DURATION_S, WRITERS, get);
    });
    const bare = await bareLetters(pool, probe.caseNumber);
    if (WARMUP_S > 0) await run(WARMUP_S, WRITERS, () => bare.op());
    const bareRate = await run(DURATION_S, WRITERS, () => bare.op());

    const setting = `PostgreSQL, ${WRITERS} writers at once, server pool ${SERVER_POOL}`;
    report(
      `letter to the 省长信箱 (POST /api/v1/letters: screened, row + case + task + audit in one transaction; ${setting}): ${describeRate(letters, 'letters')} = ${pct(letters.perSec, bareRate.perSec)} of the bare INSERTs, ${pct(letters.perSec, hello.perSec)} of hello-world`,
      { text: `>= ${TARGET} letters/s`, met: letters.perSec >= TARGET && letters.failures === 0 },
    );
    report(
      `  baselines, same client and callers: bare INSERTs of a letter's ${bare.rows} rows one transaction each: ${describeRate(bareRate, 'transactions')}; Fastify hello-world GET /: ${describeRate(hello, 'req')}`,
    );
    report(
      `letters: 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end, on ${os.availableParallelism()} cores`,
    );
  } finally {
    await server?.stop();
    await pool.end();
    await temp.drop();
  }
}
