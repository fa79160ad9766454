import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import pg from 'pg';

const env = (extra: Record<string, string>) => ({
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  SEED_DEMO: 'false',
  ...extra,
});

/** The worker processes under a primary (Linux /proc). */
function workersOf(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return children.map(Number).filter((c) => {
    try {
      return readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('yiwang.js');
    } catch {
      return false; // gone meanwhile
    }
  });
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('yiwang start --workers', () => {
  it('refuses several workers on PGlite, and a count that is not one, with one line', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-cluster-'));
    try {
      for (const [args, message] of [
        [['--workers', '2'], /^yiwang: --workers above 1 needs PostgreSQL \(DATABASE_URL\)[^\n]*\n$/],
        [['--workers', 'two'], /^yiwang: --workers: must be an integer from 1 to 64\n$/],
        [['--workers', '0'], /^yiwang: --workers: must be an integer from 1 to 64\n$/],
      ] as const) {
        const run = spawnSync(process.execPath, ['bin/yiwang.js', 'start', ...args], {
          encoding: 'utf8',
          env: env({ DATABASE_URL: '', DATA_DIR: dataDir }),
          timeout: 60_000,
        });
        assert.equal(run.status, 1, run.stderr);
        assert.match(run.stderr, message);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it(
    'serves from worker processes sharing one port on PostgreSQL, replaces one that dies, and stops them all',
    {
      skip: !process.env.DATABASE_URL
        ? 'needs a PostgreSQL server (DATABASE_URL)'
        : !existsSync(`/proc/${process.pid}/task/${process.pid}/children`)
          ? 'needs /proc/<pid>/task/<pid>/children (Linux) to find the workers'
          : false,
    },
    async () => {
      const admin = process.env.DATABASE_URL!;
      const name = `yiwang_t_cluster_${randomBytes(4).toString('hex')}`;
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`create database ${name}`);
      const url = new URL(admin);
      url.pathname = `/${name}`;
      const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-cluster-'));
      let primary: ChildProcess | undefined;
      try {
        primary = spawn(process.execPath, ['bin/yiwang.js', 'start', '--workers', '2'], {
          // Four requests a minute for the host: two for each worker.
          env: env({
            DATABASE_URL: url.toString(),
            DATA_DIR: dataDir,
            PORT: '0',
            RATE_LIMIT_PER_MINUTE: '4',
          }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        primary.stdout!.on('data', (d) => (out += d));
        primary.stderr!.on('data', (d) => (err += d));
        const base = await until('the banner', () => /Portal {5}(http:\/\/\S+)\//.exec(out)?.[1], 120_000);
        assert.match(out, /is up in [\d.]+ s on PostgreSQL, 2 worker processes/);
        const pid = primary.pid!;
        const first = workersOf(pid);
        assert.equal(first.length, 2);

        // Both answer on the one port.
        for (let i = 0; i < 4; i++) assert.equal((await fetch(`${base}/healthz`)).status, 200);

        process.kill(first[0]!, 'SIGKILL');
        await until('a replacement worker', () => {
          const now = workersOf(pid);
          return now.length === 2 && !now.includes(first[0]!) ? now : undefined;
        });
        assert.match(err, new RegExp(`yiwang: worker ${first[0]} exited \\(SIGKILL\\); starting another`));
        assert.equal((await fetch(`${base}/healthz`)).status, 200);

        const all = workersOf(pid);
        const exited = new Promise<number | null>((resolve) => primary!.once('exit', resolve));
        primary.kill('SIGTERM');
        assert.equal(await exited, 0);
        for (const w of all) assert.throws(() => process.kill(w, 0), /ESRCH/, `worker ${w} still runs`);
      } finally {
        if (primary && primary.exitCode === null) primary.kill('SIGKILL');
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
