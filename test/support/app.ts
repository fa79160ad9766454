/**
 * Test harness: an app on a private database. PGlite in memory by default; when DATABASE_URL is set,
 * a fresh database is created on that server for this test file and dropped afterwards, so test files
 * can run in parallel against one PostgreSQL without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp, type Yiwang } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/kernel/config/index.ts';
import { openDatabase, type Database } from '../../src/kernel/db/index.ts';

export interface TestDatabase {
  db: Database;
  drop(): Promise<void>;
}

/** A private, empty database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({});
    return { db, drop: () => db.close() };
  }
  const name = `yiwang_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: u.toString(), poolSize: 5 });
  return {
    db,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    RATE_LIMIT_PER_MINUTE: '100000',
    // Tests write through services as well as HTTP; a cache would show them stale pages.
    PUBLIC_CACHE_SECONDS: '0',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    ...overrides,
  });
}

export interface TestApp extends Yiwang {
  drop(): Promise<void>;
}

/** The whole application on a private database, optionally with the demo region seeded. */
export async function createTestApp(
  options: { seed?: boolean; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const test = await createTestDatabase();
  // Files (attachments) go to a private directory, removed with the database.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-test-'));
  const yiwang = await buildApp(
    testConfig({ SEED_DEMO: options.seed === false ? 'false' : 'true', DATA_DIR: dataDir, ...options.env }),
    { db: test.db },
  );
  return {
    ...yiwang,
    async drop() {
      await yiwang.close();
      await test.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
