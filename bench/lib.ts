/**
 * Shared benchmark plumbing: spawned processes (always killed at the end, also on error or Ctrl-C),
 * free ports, waiting for the first HTTP 200, RSS from /proc, temporary data dirs and PostgreSQL
 * databases, load runs with autocannon, and the summary table every benchmark adds to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HOST = '127.0.0.1';

/** Seconds of measured load per autocannon run, and of warm-up before it (env overrides, bounded). */
export const DURATION_S = boundedInt(process.env.BENCH_DURATION, 10, 1, 120);
export const WARMUP_S = boundedInt(process.env.BENCH_WARMUP, 3, 0, 60);
export const CONNECTIONS = 50;

function boundedInt(raw: string | undefined, dflt: number, min: number, max: number): number {
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : dflt;
}

// ---------------------------------------------------------------------------------------------
// Cleanup: everything a benchmark creates registers how to undo it; run.ts calls cleanupAll().

type Cleanup = () => Promise<void> | void;
const cleanups = new Map<number, { label: string; fn: Cleanup }>();
let nextCleanup = 0;

/** Registers an undo step; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(label: string, fn: Cleanup): () => Promise<void> {
  const id = nextCleanup++;
  cleanups.set(id, { label, fn });
  return async () => {
    if (!cleanups.delete(id)) return;
    await fn();
  };
}

/** Runs every pending undo step, newest first; a failing step is reported and the rest still run. */
export async function cleanupAll(): Promise<void> {
  const pending = [...cleanups.entries()].reverse();
  cleanups.clear();
  for (const [, { label, fn }] of pending) {
    try {
      await fn();
    } catch (e) {
      console.error(`cleanup of ${label} failed: ${(e as Error).message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

export interface Spawned {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  stdout(): string;
  /** The last lines of stdout and stderr, for error messages. */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const KEEP_OUTPUT = 256 * 1024;

/** The environment for a spawned Yiwang process: the caller's, minus every Yiwang setting. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of [
    'PORT',
    'HOST',
    'NODE_ENV',
    'LOG_LEVEL',
    'DATA_DIR',
    'DATABASE_URL',
    'DATABASE_POOL_SIZE',
    'RATE_LIMIT_PER_MINUTE',
    'LOGIN_RATE_LIMIT_PER_MINUTE',
    'PUBLIC_URL',
    'SEED_DEMO',
    'CONFIG_FILE',
    'SECRET_KEY',
  ])
    delete env[k];
  return { ...env, ...overrides };
}

/** Spawns a process (no shell, so its pid is the program's own) and registers it for cleanup. */
export function spawnProcess(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(command, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not spawn ${name} (${command})`);
  const pid = child.pid;
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-KEEP_OUTPUT)));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-KEEP_OUTPUT)));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.once('error', () => {
      done = true;
      resolve({ code: null, signal: null });
    });
  });
  const stop = async (graceMs = 10_000) => {
    if (done) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!done) child.kill('SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
  };
  const unregister = onCleanup(`${name} (pid ${pid})`, () => stop(5_000));
  void exited.then(() => unregister());
  const lastLines = (s: string, n: number) => s.trimEnd().split('\n').slice(-n).join('\n');
  return {
    name,
    child,
    pid,
    exited,
    hasExited: () => done,
    stdout: () => out,
    tail: (n = 15) =>
      [lastLines(out, n), lastLines(err, n)]
        .filter((s) => s !== '')
        .join('\n')
        .replace(/\r/g, ''),
    stop,
  };
}

/** The Yiwang server (`npm start`), on PGlite in dataDir or on databaseUrl. */
export function spawnYiwang(
  name: string,
  port: number,
  db: { dataDir: string } | { databaseUrl: string },
  extraEnv: Record<string, string> = {},
  workers = 1,
): Spawned {
  const env = childEnv({
    PORT: String(port),
    HOST,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    ...('dataDir' in db ? { DATA_DIR: db.dataDir } : { DATABASE_URL: db.databaseUrl }),
    ...extraEnv,
  });
  // BENCH_CPU_PROF_DIR: the server writes a V8 CPU profile there when it stops (open it in Chrome's
  // DevTools), to see where a figure's time goes.
  const profile = process.env.BENCH_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
    : [];
  const cluster = workers > 1 ? ['--workers', String(workers)] : [];
  return spawnProcess(name, process.execPath, [...profile, 'bin/yiwang.js', 'start', ...cluster], env);
}

/** A port nobody listens on right now (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls url until it answers 200; returns milliseconds since `since` (performance.now() units).
 * Fails when the process exits first or after timeoutMs.
 */
export async function waitFor200(
  url: string,
  proc: Spawned,
  options: { since?: number; timeoutMs?: number; intervalMs?: number } = {},
): Promise<number> {
  const since = options.since ?? performance.now();
  const deadline = since + (options.timeoutMs ?? 120_000);
  let last = '';
  while (performance.now() < deadline) {
    if (proc.hasExited()) {
      const { code, signal } = await proc.exited;
      throw new Error(`${proc.name} exited (${signal ?? code}) before ${url} answered 200:\n${proc.tail()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - since;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(options.intervalMs ?? 25);
  }
  throw new Error(`${url} did not answer 200 within ${options.timeoutMs ?? 120_000} ms (last: ${last})`);
}

// ---------------------------------------------------------------------------------------------
// Memory, from /proc/<pid>/status (Linux)

/** VmRSS and VmHWM (peak RSS) in MB, or undefined when the process is gone or /proc is missing. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const rss = kb('VmRSS');
    const hwm = kb('VmHWM');
    if (Number.isNaN(rss) || Number.isNaN(hwm)) return undefined;
    return { rssMb: rss / 1024, hwmMb: hwm / 1024 };
  } catch {
    return undefined;
  }
}

/** Resets VmHWM to the current RSS (writing 5 to clear_refs); false when the kernel refuses. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS every intervalMs until stopped; stop() returns the highest sample in MB. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): number } {
  let peak = memoryOf(pid)?.rssMb ?? 0;
  const timer = setInterval(() => {
    const m = memoryOf(pid);
    if (m && m.rssMb > peak) peak = m.rssMb;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const m = memoryOf(pid);
      if (m && m.rssMb > peak) peak = m.rssMb;
      return peak;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Temporary places for data

/** A fresh, empty temporary directory, removed at cleanup. */
export function tempDir(prefix: string): { dir: string; remove(): Promise<void> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `yiwang-bench-${prefix}-`));
  const remove = onCleanup(`temp dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return { dir, remove };
}

/** The server the benchmarks create their databases on (BENCH_PG_URL, else the local one). */
export const ADMIN_PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database yiwang_bench_<random> on the PostgreSQL server, dropped at cleanup. */
export async function createTempDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `yiwang_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_PG_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(ADMIN_PG_URL);
  u.pathname = `/${name}`;
  const drop = onCleanup(`database ${name}`, async () => {
    const c = new pg.Client({ connectionString: ADMIN_PG_URL });
    await c.connect();
    try {
      await c.query(`drop database if exists ${name} with (force)`);
    } finally {
      await c.end();
    }
  });
  return { name, url: u.toString(), drop };
}

// ---------------------------------------------------------------------------------------------
// Load

export interface LoadResult {
  reqPerSec: number;
  p99Ms: number;
  p50Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** What to send instead of a plain GET: the same request every time, or a sequence (`requests`). */
export interface LoadRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  requests?: Parameters<typeof autocannon>[0]['requests'];
}

/**
 * A warm-up of WARMUP_S, then DURATION_S measured, CONNECTIONS connections, no pipelining;
 * `beforeMeasuring` runs between the two (to take a meter reading of the measured part only).
 */
export async function load(
  url: string,
  request: LoadRequest = {},
  hooks: { beforeMeasuring?: () => void } = {},
): Promise<LoadResult> {
  if (!new URL(url).hostname.startsWith('127.')) throw new Error(`refusing to load a non-local URL: ${url}`);
  if (WARMUP_S > 0) await autocannon({ url, ...request, connections: CONNECTIONS, duration: WARMUP_S });
  hooks.beforeMeasuring?.();
  const r = await autocannon({ url, ...request, connections: CONNECTIONS, duration: DURATION_S });
  return {
    reqPerSec: r.requests.average,
    p99Ms: r.latency.p99,
    p50Ms: r.latency.p50,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

/** The bare Fastify hello-world (bench/hello-server.ts) in a process of its own while `measure` loads it. */
export async function withHelloWorld<T>(measure: (url: string, server: Spawned) => Promise<T>): Promise<T> {
  const port = await freePort();
  const url = `http://${HOST}:${port}/`;
  const server = spawnProcess(
    'hello-world',
    process.execPath,
    ['--import', 'tsx', 'bench/hello-server.ts'],
    childEnv({ PORT: String(port) }),
  );
  try {
    await waitFor200(url, server, { timeoutMs: 30_000 });
    log(`hello-world Fastify (pid ${server.pid}) on ${url}: loading`);
    return await measure(url, server);
  } finally {
    await server.stop();
  }
}

/** One line about a load run, with a warning when anything but 2xx came back. */
export function describeLoad(r: LoadResult): string {
  const bad = r.non2xx + r.errors + r.timeouts;
  const warn = bad > 0 ? ` — WARNING: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` : '';
  return `${fmtInt(r.reqPerSec)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (${fmtInt(r.total)} requests)${warn}`;
}

// ---------------------------------------------------------------------------------------------
// Measuring what a server spends, and asking it things cheaply

/** CPU time (user + system) of a process in ms, from /proc/<pid>/stat (clock ticks of 10 ms); undefined if gone. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** CPU of a process and of its living children (a cluster's workers), in ms. */
export function cpuMsOfTree(pid: number): number | undefined {
  const own = cpuMsOf(pid);
  if (own === undefined) return undefined;
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // no /proc children list: the process alone
  }
  return children.reduce((sum, c) => sum + (cpuMsOf(c) ?? 0), own);
}

/** A load run with the server's CPU per request during the measured part. */
export interface PageLoad extends LoadResult {
  cpuMsPerRequest: number;
}

export async function loadWithCpu(url: string, pid: number): Promise<PageLoad> {
  let cpu0 = NaN;
  const r = await load(url, {}, { beforeMeasuring: () => (cpu0 = cpuMsOf(pid) ?? NaN) });
  return { ...r, cpuMsPerRequest: ((cpuMsOf(pid) ?? NaN) - cpu0) / Math.max(1, r.total) };
}

export const describePageLoad = (r: PageLoad) =>
  `${describeLoad(r)}; server CPU ${r.cpuMsPerRequest.toFixed(2)} ms per request`;

// Keep-alive sockets, no fetch machinery, so the runner takes little of the CPU the server needs (on a
// small machine they share the cores).
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function send(
  base: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  const url = new URL(path, base);
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: { ...options.headers, 'content-length': String(body?.length ?? 0) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Output

export type Verdict = 'met' | 'below target' | 'info' | 'FAILED';

export interface SummaryRow {
  line: string;
  target?: string;
  verdict: Verdict;
}

export const summary: SummaryRow[] = [];

export function report(line: string, target?: { text: string; met: boolean }): void {
  summary.push(
    target
      ? { line, target: target.text, verdict: target.met ? 'met' : 'below target' }
      : { line, verdict: 'info' },
  );
}

export function reportFailure(line: string): void {
  summary.push({ line, verdict: 'FAILED' });
}

export function printSummary(): void {
  console.log('\n=== Summary ===');
  if (summary.length === 0) console.log('(nothing measured)');
  for (const row of summary) {
    if (row.verdict === 'FAILED') console.log(`FAILED: ${row.line}`);
    else console.log(row.target ? `${row.line} [target ${row.target}: ${row.verdict}]` : row.line);
  }
}

export function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtMb = (n: number): string => `${Math.round(n)} MB`;
export const fmtS = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const pct = (a: number, b: number): string => `${b > 0 ? Math.round((a / b) * 100) : 0}%`;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
