/**
 * A worker thread of the publications benchmark's loader: generates publications `from`…`to` − 1 of
 * the corpus (bench/publications-corpus.ts) and computes each one's search text exactly as the module
 * does (the module's segmenter and `searchFields`), and posts them back in batches as column arrays,
 * ready for `insert … select from unnest(…)`. Segmenting is most of the CPU of a load, hence threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSegmenter } from '../src/kernel/search/index.ts';
// The weighting of title, numbers and body is the service's own, reached past the module's index.
// eslint-disable-next-line yiwang/module-boundaries
import { searchFields } from '../src/modules/publications/publication.service.ts';
import { createCorpus } from './publications-corpus.ts';

export interface WorkerJob {
  seed: number;
  now: string;
  from: number;
  to: number;
  batch: number;
}

/** One batch, a column per array, in the order of the loader's INSERT. */
export interface Batch {
  from: number;
  count: number;
  columns: (string | number | null)[][];
}

export const COLUMNS = [
  'category_code',
  'title',
  'index_number',
  'department_id',
  'division_code',
  'issuing_body',
  'written_on',
  'doc_number',
  'subject',
  'validity',
  'body_html',
  'body_text',
  'status',
  'publish_at',
  'withdrawn_at',
  'withdrawal_reason',
  'search_vector',
] as const;

if (parentPort && workerData) {
  const job = workerData as WorkerJob;
  const corpus = createCorpus(job.seed, new Date(job.now));
  const segmenter = createSegmenter();
  // Batches are sent as they are made; the loader acknowledges each, so at most a few are in flight
  // (memory stays bounded however many rows the job has).
  let inFlight = 0;
  let resume: (() => void) | null = null;
  parentPort.on('message', () => {
    inFlight--;
    resume?.();
  });
  const wait = () => new Promise<void>((r) => (resume = r));
  for (let start = job.from; start < job.to; start += job.batch) {
    const end = Math.min(job.to, start + job.batch);
    const columns: (string | number | null)[][] = COLUMNS.map(() => []);
    for (let i = start; i < end; i++) {
      const p = corpus.publication(i);
      const vector = segmenter.indexText(searchFields(p, []));
      const row = [
        p.categoryCode,
        p.title,
        p.indexNumber,
        p.departmentId,
        p.divisionCode,
        p.issuingBody,
        p.writtenOn,
        p.docNumber,
        p.subject,
        p.validity,
        p.bodyHtml,
        p.bodyText,
        p.status,
        p.publishAt?.toISOString() ?? null,
        p.withdrawnAt?.toISOString() ?? null,
        p.withdrawalReason,
        vector,
      ];
      row.forEach((v, k) => columns[k]!.push(v));
    }
    while (inFlight >= 3) await wait();
    inFlight++;
    parentPort.postMessage({ from: start, count: end - start, columns } satisfies Batch);
  }
  while (inFlight > 0) await wait();
  parentPort.postMessage('done');
}
