/**
 * Loading generated publications (bench/publications-corpus.ts) into a migrated database: worker
 * threads generate and segment (bench/publications-worker.ts), the main thread inserts their batches
 * as `insert … select from unnest(…)` (one statement per batch of BATCH rows, LOADERS connections at
 * once), with a progress line. The rows are what the module writes: its columns, its search text.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { log } from './lib.ts';
import { COLUMNS, type Batch, type WorkerJob } from './publications-worker.ts';

const BATCH = 500;
// A worker thread does not get the runner's `--import tsx` on Node 20: it registers tsx itself, then
// loads the TypeScript worker.
const WORKER_BOOT = `(async () => {
  const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
  register();
  await import(${JSON.stringify(new URL('./publications-worker.ts', import.meta.url).href)});
})().catch((e) => { throw e; });`;
const LOADERS = 2;

const TYPES: Record<(typeof COLUMNS)[number], string> = {
  category_code: 'text',
  title: 'text',
  index_number: 'text',
  department_id: 'bigint',
  division_code: 'text',
  issuing_body: 'text',
  written_on: 'date',
  doc_number: 'text',
  subject: 'text',
  validity: 'text',
  body_html: 'text',
  body_text: 'text',
  status: 'text',
  publish_at: 'timestamptz',
  withdrawn_at: 'timestamptz',
  withdrawal_reason: 'text',
  search_vector: 'text',
};

// created_at / updated_at: as if written shortly before publication (drafts: now).
const INSERT = `insert into publications.publication
  (tenant_id, ${COLUMNS.join(', ')}, created_by, created_at, updated_at)
  select $1, ${COLUMNS.map((c) => (c === 'search_vector' ? 't.search_vector::tsvector' : `t.${c}`)).join(', ')},
    0, coalesce(t.publish_at - interval '1 day', now()), coalesce(t.withdrawn_at, t.publish_at, now())
  from unnest(${COLUMNS.map((c, k) => `$${k + 2}::${TYPES[c]}[]`).join(', ')}) as t(${COLUMNS.join(', ')})`;

/**
 * Generates publications from…to − 1 of the corpus of `seed` and inserts them for `tenantId`; returns
 * the wall time in ms. `workers` threads generate (default: the cores, at least one).
 */
export async function loadPublications(
  databaseUrl: string,
  tenantId: string,
  corpus: { seed: number; now: Date },
  range: { from: number; to: number },
  workers = Math.max(1, os.availableParallelism()),
): Promise<number> {
  const started = performance.now();
  const total = range.to - range.from;
  if (total <= 0) return 0;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: LOADERS });
  let done = 0;
  let lastLog = 0;
  const progress = () => {
    const now = performance.now();
    if (now - lastLog < 5000 && done < total) return;
    lastLog = now;
    const s = (now - started) / 1000;
    log(
      `  loaded ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} (${Math.round(done / s)} rows/s)`,
    );
  };
  // Each worker takes a contiguous share of the range; rows are inserted as batches arrive.
  const share = Math.ceil(total / workers);
  const jobs: WorkerJob[] = [];
  for (let w = 0; w < workers; w++) {
    const from = range.from + w * share;
    const to = Math.min(range.to, from + share);
    if (from < to) jobs.push({ seed: corpus.seed, now: corpus.now.toISOString(), from, to, batch: BATCH });
  }
  const threads: Worker[] = [];
  try {
    // One insert at a time per connection; batches wait in a queue (bounded by the workers' credit).
    const queue: { batch: Batch; ack: () => void }[] = [];
    let failed: Error | null = null;
    let waiting: (() => void)[] = [];
    const wake = () => {
      const w = waiting;
      waiting = [];
      for (const f of w) f();
    };
    let finished = 0;
    for (const job of jobs) {
      const worker = new Worker(WORKER_BOOT, { eval: true, workerData: job });
      threads.push(worker);
      worker.on('message', (m: Batch | 'done') => {
        if (m === 'done') finished++;
        else queue.push({ batch: m, ack: () => worker.postMessage('ack') });
        wake();
      });
      worker.on('error', (e) => {
        failed = e;
        wake();
      });
    }
    const inserter = async () => {
      for (;;) {
        if (failed) throw failed;
        const next = queue.shift();
        if (!next) {
          if (finished === jobs.length) return;
          await new Promise<void>((r) => waiting.push(r));
          continue;
        }
        next.ack();
        await pool.query(INSERT, [tenantId, ...next.batch.columns]);
        done += next.batch.count;
        progress();
      }
    };
    await Promise.all(Array.from({ length: LOADERS }, inserter));
    if (failed) throw failed;
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
    await pool.end();
  }
  return performance.now() - started;
}
