/**
 * A timer-sweeping process for the workflow timer tests: sweeps the database in DATABASE_URL at the
 * instant given (argv[2]) until nothing is due, then prints its totals as JSON. With argv[3] = 'hang',
 * the first notification inside the sweep's transaction never returns, so the test can kill -9 the
 * process mid-sweep.
 */
import { openDatabase } from '../../kernel/db/index.ts';
import { createCaseService } from './case.service.ts';
import { createDefinitionService } from './definition.service.ts';
import { createTimerWorker } from './timer.ts';
import { fixturePorts } from './workflow.fixtures.ts';

const at = new Date(process.argv[2]!);
const hang = process.argv[3] === 'hang';
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolSize: 2 });
const ports = fixturePorts({
  now: () => at,
  notify: async () => {
    if (hang) {
      process.stdout.write('in-sweep\n');
      await new Promise(() => {});
    }
  },
});
const definitions = createDefinitionService(db);
const worker = createTimerWorker(db, createCaseService(db, definitions, ports), definitions, ports);
const total = { fired: 0, warned: 0, deferred: 0 };
for (;;) {
  const r = await worker.sweep(20);
  total.fired += r.fired;
  total.warned += r.warned;
  total.deferred += r.deferred;
  if (r.fired === 0 && r.deferred === 0) break;
}
process.stdout.write(`${JSON.stringify(total)}\n`);
await db.close();
