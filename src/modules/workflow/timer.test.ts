import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { migrate } from '../../kernel/db/index.ts';
import { createCaseService } from './case.service.ts';
import { createDefinitionService } from './definition.service.ts';
import { acting, actor, fixturePorts } from './workflow.fixtures.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);
const sweeper = path.join(import.meta.dirname, 'timer.sweeper.ts');

/** Runs the sweeper in its own process on the test database; resolves with its output lines. */
function runSweeper(url: string, at: string, mode = '') {
  const child = spawn(process.execPath, ['--import', 'tsx', sweeper, at, mode], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const lines: ((line: string) => void)[] = [];
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    for (const l of lines) l(out);
  });
  return {
    child,
    waitFor: (text: string) =>
      new Promise<void>((resolve) => {
        if (out.includes(text)) resolve();
        lines.push((o) => o.includes(text) && resolve());
      }),
    done: new Promise<{ fired: number; warned: number }>((resolve, reject) =>
      child.on('exit', (code) =>
        code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`exit ${code}`)),
      ),
    ),
  };
}

describe('timers across processes (PostgreSQL)', { skip: !onPostgres && 'needs DATABASE_URL' }, () => {
  let test: TestDatabase;
  let url: string;
  const citizen = actor(1, ['citizen'], null);
  const CASES = 60;

  before(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    const definitions = createDefinitionService(test.db);
    await definitions.loadFiles(systemContext('330000'));
    // Opened on Monday 2 March 2026: intake (2 working days) is due at the end of 4 March.
    const cases = createCaseService(
      test.db,
      definitions,
      fixturePorts({ now: () => new Date('2026-03-02T09:00:00+08:00') }),
    );
    for (let i = 0; i < CASES; i++)
      await cases.create(acting(citizen), {
        definition: 'demo.assistance',
        title: `救助 ${i}`,
        data: { reason: '火灾', amount: 100 },
        division: '330106',
      });
    const u = new URL(process.env.DATABASE_URL!);
    const name = (
      await test.db.withSession((s) => s.query<{ d: string }>('select current_database() as d'))
    )[0]!.d;
    u.pathname = `/${name}`;
    url = u.toString();
  });
  after(() => test?.drop());

  const warnedEvents = async () =>
    test.db.kysely
      .selectFrom('workflow.event')
      .select(['case_id', 'body'])
      .where('type', '=', 'task.warned')
      .execute();

  it('survives a kill -9 mid-sweep: the killed transaction fired nothing, the next sweep fires all', async () => {
    const doomed = runSweeper(url, '2026-03-04T10:00:00+08:00', 'hang');
    await doomed.waitFor('in-sweep');
    doomed.child.kill('SIGKILL');
    await assert.rejects(doomed.done);
    assert.equal((await warnedEvents()).length, 0, 'nothing of the killed sweep was committed');
    const r = await runSweeper(url, '2026-03-04T10:00:00+08:00').done;
    assert.equal(r.warned, CASES);
    const events = await warnedEvents();
    assert.equal(events.length, CASES);
    assert.equal(new Set(events.map((e) => e.case_id)).size, CASES);
  });

  it('fires every due timer exactly once with two worker processes sweeping at once', async () => {
    // After the deadline (red) the two processes race over the same rows.
    const [a, b] = [
      runSweeper(url, '2026-03-06T10:00:00+08:00'),
      runSweeper(url, '2026-03-06T10:00:00+08:00'),
    ];
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.warned + rb.warned, CASES);
    const red = (await warnedEvents()).filter((e) => (e.body as { light: string }).light === 'red');
    assert.equal(red.length, CASES);
    assert.equal(new Set(red.map((e) => e.case_id)).size, CASES);
    const left = await test.db.kysely
      .selectFrom('workflow.timer')
      .select('case_id')
      .where('fired_at', 'is', null)
      .execute();
    assert.equal(left.length, 0);
  });

  it('two processes catching up after an outage (yellow and red both due) fire each case once, without deadlocks', async () => {
    const definitions = createDefinitionService(test.db);
    const cases = createCaseService(
      test.db,
      definitions,
      fixturePorts({ now: () => new Date('2026-04-01T09:00:00+08:00') }),
    );
    const fresh: string[] = [];
    for (let i = 0; i < CASES; i++)
      fresh.push(
        (
          await cases.create(acting(citizen), {
            definition: 'demo.assistance',
            title: `补办 ${i}`,
            data: { reason: '火灾', amount: 100 },
            division: '330106',
          })
        ).number,
      );
    const [a, b] = [
      runSweeper(url, '2026-04-20T10:00:00+08:00'),
      runSweeper(url, '2026-04-20T10:00:00+08:00'),
    ];
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(
      ra.warned + rb.warned,
      CASES,
      'one warning per case: red, the yellow it passed is not raised',
    );
    const rows = await test.db.kysely
      .selectFrom('workflow.event as e')
      .innerJoin('workflow.case as c', (j) =>
        j.onRef('c.tenant_id', '=', 'e.tenant_id').onRef('c.id', '=', 'e.case_id'),
      )
      .select(['c.number', 'e.body'])
      .where('e.type', '=', 'task.warned')
      .where('c.number', 'in', fresh)
      .execute();
    assert.equal(rows.length, CASES);
    assert.ok(rows.every((r) => (r.body as { light: string }).light === 'red'));
  });
});
