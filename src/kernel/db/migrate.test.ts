import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { openDatabase } from './index.ts';
import { migrate, migrationStatus } from './migrate.ts';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'yw-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
  return dir;
}

// The tests share one database, so each uses its own migration numbers.
describe('migrate', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.drop());

  it('applies pending migrations once, in order, and reports status', async () => {
    const dir = migrationsDir({
      '0001_a.sql': 'create schema m1; create table m1.thing (id int primary key);',
      '0002_b.sql': 'insert into m1.thing values (1);',
    });
    assert.deepEqual((await migrationStatus(t.db, dir)).pending, ['0001_a', '0002_b']);
    assert.deepEqual(await migrate(t.db, { dir }), ['0001', '0002']);
    assert.deepEqual(await migrate(t.db, { dir }), []);
    assert.deepEqual((await migrationStatus(t.db, dir)).pending, []);
  });

  it('rolls a failing migration back whole and stops', async () => {
    const dir = migrationsDir({
      '0011_a.sql': 'create schema m2;',
      '0012_bad.sql': 'create table m2.half (id int); select no_such_function();',
    });
    await assert.rejects(() => migrate(t.db, { dir }), /0012_bad failed/);
    const half = await t.db.withSession((s) =>
      s.query<{ r: string | null }>("select to_regclass('m2.half')::text as r"),
    );
    assert.equal(half[0]?.r, null);
    assert.deepEqual((await migrationStatus(t.db, dir)).pending, ['0012_bad']);
  });

  it('refuses to run when a landed migration was edited', async () => {
    const dir = migrationsDir({ '0021_a.sql': 'create schema m3;' });
    await migrate(t.db, { dir });
    writeFileSync(path.join(dir, '0021_a.sql'), 'create schema m3_changed;');
    await assert.rejects(() => migrate(t.db, { dir }), /edited after it was applied/);
  });

  it(
    'migrates exactly once when several nodes start at the same time',
    { skip: !process.env.DATABASE_URL && 'needs PostgreSQL' },
    async () => {
      const dir = migrationsDir({
        '0031_a.sql': 'create schema m4; create table m4.counter (n int);',
        '0032_b.sql': 'insert into m4.counter values (1);',
      });
      // Four connection pools to the same database, migrating concurrently.
      const name = (
        await t.db.withSession((s) => s.query<{ d: string }>('select current_database() as d'))
      )[0]!.d;
      const u = new URL(process.env.DATABASE_URL!);
      u.pathname = `/${name}`;
      const nodes = await Promise.all(
        [1, 2, 3, 4].map(() => openDatabase({ databaseUrl: u.toString(), poolSize: 2 })),
      );
      try {
        const applied = await Promise.all(nodes.map((n) => migrate(n, { dir })));
        assert.equal(applied.flat().length, 2);
        const rows = await t.db.withSession((s) =>
          s.query<{ c: number }>('select count(*)::int as c from m4.counter'),
        );
        assert.equal(rows[0]?.c, 1);
      } finally {
        await Promise.all(nodes.map((n) => n.close()));
      }
    },
  );
});
