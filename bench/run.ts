/**
 * `npm run bench [-- http|startup|import|audit|login|workflow|licences|services|publications|interviews|letters]`: runs the benchmarks (all by default) and prints a summary.
 * Figures are printed, never asserted: a missed target reads "below target" and the exit code stays 0.
 * Only a benchmark that crashes makes it non-zero. Every spawned process, temp dir and database is
 * removed at the end, also after an error or Ctrl-C.
 */
import { runAudit } from './audit.ts';
import { runHttp } from './http.ts';
import { runImport } from './import.ts';
import { runLicences } from './licences.ts';
import { runLogin } from './login.ts';
import { cleanupAll, log, printSummary, reportFailure } from './lib.ts';
import { runStartup } from './startup.ts';
import { runWorkflow } from './workflow.ts';

const BENCHMARKS: Record<string, () => Promise<void>> = {
  http: runHttp,
  startup: runStartup,
  import: runImport,
  audit: runAudit,
  login: runLogin,
  workflow: runWorkflow,
  licences: runLicences,
  services: async () => (await import('./services.ts')).runServices(),
  publications: async () => (await import('./publications.ts')).runPublications(),
  interviews: async () => (await import('./interviews.ts')).runInterviews(),
  letters: async () => (await import('./letters.ts')).runLetters(),
};

const pick = process.argv[2];
if (pick !== undefined && pick !== 'all' && !(pick in BENCHMARKS)) {
  console.error(`usage: npm run bench [-- ${Object.keys(BENCHMARKS).join('|')}|all]`);
  process.exit(2);
}
const selected = pick === undefined || pick === 'all' ? Object.keys(BENCHMARKS) : [pick];

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${sig}: stopping spawned processes and removing temporary data…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

let crashed = 0;
const started = performance.now();
for (const name of selected) {
  log(`===== ${name} =====`);
  try {
    await BENCHMARKS[name]!();
  } catch (e) {
    crashed++;
    console.error(e);
    reportFailure(`benchmark ${name} crashed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    await cleanupAll();
  }
}
printSummary();
console.log(`(${selected.join(', ')} in ${((performance.now() - started) / 1000).toFixed(0)} s)`);
process.exit(crashed > 0 ? 1 : 0);
