/**
 * The database: PGlite (embedded, data dir on disk) by default, PostgreSQL when DATABASE_URL is set.
 * Both speak the same SQL, so everything above this file is written once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPoolClient, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.gen.ts';
import { Mutex, PGliteDialect } from './pglite-dialect.ts';

export type { DB } from './schema.gen.ts';
export { migrate, migrationStatus, type MigrationStatus } from './migrate.ts';
export { transactionBatcher, type BatchOptions, type Settled } from './batch.ts';
export { AppRoleError, checkAppRoleInput, grantAppRole, type AppRoleResult } from './app-role.ts';
export { followChannel, type ChannelFollower } from './listen.ts';

/** What a store runs its queries on: the database, or the transaction it was handed. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** A raw session on one connection, for scripts (migrations) and bulk loads. */
export interface RawSession {
  /** Runs SQL that may hold several statements; no parameters. */
  exec(sql: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly kysely: Kysely<DB>;
  /** Runs fn on one dedicated connection (the only one, on PGlite). */
  withSession<T>(fn: (session: RawSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; undefined means in memory (tests). */
  pgliteDir?: string | undefined;
  poolSize?: number;
}

// Dates (not timestamps) stay 'YYYY-MM-DD' strings: a calendar date has no time zone.
const DATE_OID = 1082;
const INT8_OID = 20;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openPGlite(options.pgliteDir);
}

/**
 * Creating a PGlite cluster (initdb) grows the WASM heap to ~700 MB, and WASM memory never shrinks.
 * So a new data directory is created in a short-lived child process; this process then opens the
 * existing cluster at about a third of that.
 */
function initPGliteCluster(dir: string): void {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return;
  mkdirSync(path.dirname(dir), { recursive: true });
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const code = `const { PGlite } = await import(${JSON.stringify(pglite)}); const db = new PGlite(process.argv[1]); await db.waitReady; await db.close();`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code, dir], { encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(`cannot create the embedded database in ${dir}: ${run.stderr.trim()}`);
}

async function openPGlite(dir: string | undefined): Promise<Database> {
  if (dir) initPGliteCluster(dir);
  const pgl = new PGlite(dir, {
    parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => Number(v) },
  });
  await pgl.waitReady;
  const mutex = new Mutex();
  const kysely = new Kysely<DB>({ dialect: new PGliteDialect(pgl, mutex) });
  return {
    kind: 'pglite',
    kysely,
    async withSession(fn) {
      const release = await mutex.lock();
      try {
        return await fn({
          exec: async (text) => void (await pgl.exec(text)),
          query: async <R>(text: string, params?: unknown[]) => (await pgl.query<R>(text, params)).rows,
        });
      } finally {
        release();
      }
    },
    async close() {
      await kysely.destroy();
      await pgl.close();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const typeParsers = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === DATE_OID) return (v: string) => v;
      if (oid === INT8_OID) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: typeParsers });
  // An idle connection the server closes (restart, failover) is dropped from the pool and replaced on
  // the next checkout; without a listener its 'error' event would crash the process.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL idle connection closed: ${err.message}`));
  // Fail at start-up, not at the first request, when the server is unreachable.
  const probe = await pool.connect();
  probe.release();
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparing(pool) }) });
  return {
    kind: 'postgres',
    kysely,
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (text) => void (await client.query(text)),
          query: async <R>(text: string, params?: unknown[]) =>
            (await client.query(text, params)).rows as R[],
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await kysely.destroy();
      // Kysely ends the pool only if it ever ran a query through it.
      if (!pool.ended) await pool.end();
    },
  };
}

/** Most statements one process prepares on each connection (each costs the server some memory). */
const MAX_PREPARED = 400;
/** Uses of a statement before it is prepared: one-off SQL (a dynamic filter) is never kept. */
const PREPARE_AT = 3;

/**
 * The pool as Kysely sees it, with the statements the platform runs again and again sent as named
 * (prepared) statements: PostgreSQL parses and plans each once per connection instead of on every
 * call, which on a busy server is a fifth to a third more statements a second for the same CPU
 * (measured on these machines). The name is fixed per SQL text for the life of the process, so a
 * connection never sees one name with two texts. Behind PgBouncer this needs its protocol-level
 * prepared statement support (1.21+, `max_prepared_statements`).
 */
function preparing(pool: pg.Pool) {
  const uses = new Map<string, number>();
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    // A prepared statement may go over to a generic plan after five runs (plan_cache_mode auto), one
    // that cannot see the values; a full-text search's best plan depends on its words, so it is planned
    // afresh every time.
    if (text.includes('@@')) return undefined;
    const name = names.get(text);
    if (name !== undefined || names.size >= MAX_PREPARED) return name;
    const n = (uses.get(text) ?? 0) + 1;
    if (n < PREPARE_AT) {
      if (uses.size >= 10_000) uses.clear();
      uses.set(text, n);
      return undefined;
    }
    uses.delete(text);
    const fresh = `yw${names.size}`;
    names.set(text, fresh);
    return fresh;
  };
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let w = wrapped.get(client);
    if (!w) {
      w = {
        query: ((query: string | object, values?: readonly unknown[]) => {
          if (typeof query !== 'string') return client.query(query as pg.Submittable);
          const name = nameOf(query);
          return client.query(
            name
              ? { name, text: query, values: values as unknown[] }
              : { text: query, values: values as unknown[] },
          );
        }) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
      };
      wrapped.set(client, w);
    }
    return w;
  };
  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}

/**
 * Whether an error is PostgreSQL's unique violation (23505): two concurrent writes both passed the
 * service's check and the unique key decided. Callers turn it into a 409 conflict.
 */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
