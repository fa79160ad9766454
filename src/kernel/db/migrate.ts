/**
 * Plain-SQL migrations from migrations/NNNN_name.sql, each in its own transaction, guarded by a
 * PostgreSQL advisory lock so that several nodes starting at once migrate exactly once.
 * A migration that has landed is never edited: a changed checksum stops start-up.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/paths.ts';
import type { Database, RawSession } from './index.ts';

const LOCK_KEY = 7_240_431_001; // any constant shared by every Yiwang node
export const MIGRATIONS_DIR = path.join(projectRoot, 'migrations');

interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(path.join(dir, f), 'utf8');
      return {
        version: f.slice(0, 4),
        name: f.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

const BOOKKEEPING = `
  create schema if not exists kernel;
  create table if not exists kernel.schema_migration (
    version text primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  );`;

async function appliedMigrations(s: RawSession) {
  return s.query<{ version: string; name: string; checksum: string }>(
    'select version, name, checksum from kernel.schema_migration order by version',
  );
}

/** Applies every pending migration; returns the versions it applied. */
export async function migrate(
  db: Database,
  options: { dir?: string; onApply?: (file: string) => void } = {},
): Promise<string[]> {
  const files = readMigrations(options.dir);
  return db.withSession(async (s) => {
    await s.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      // Created by the first migration only: a node that serves as the application's own database role
      // (`yiwang db app-role`, no CREATE on the database) still gets through here when nothing is pending.
      if (!(await hasBookkeeping(s))) await s.exec(BOOKKEEPING);
      const applied = new Map((await appliedMigrations(s)).map((m) => [m.version, m]));
      const pending = files.filter((f) => !applied.has(f.version));
      if (pending.length > 0) await assertMayMigrate(s, pending);
      const done: string[] = [];
      for (const file of files) {
        const landed = applied.get(file.version);
        if (landed) {
          if (landed.checksum !== file.checksum) {
            throw new Error(
              `migration ${file.version}_${file.name} was edited after it was applied; add a new migration instead`,
            );
          }
          continue;
        }
        options.onApply?.(`${file.version}_${file.name}`);
        await s.exec('begin');
        try {
          await s.exec(file.sql);
          await s.query('insert into kernel.schema_migration (version, name, checksum) values ($1, $2, $3)', [
            file.version,
            file.name,
            file.checksum,
          ]);
          await s.exec('commit');
        } catch (e) {
          await s.exec('rollback');
          throw new Error(`migration ${file.version}_${file.name} failed: ${(e as Error).message}`, {
            cause: e,
          });
        }
        done.push(file.version);
      }
      return done;
    } finally {
      await s.query('select pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  });
}

async function hasBookkeeping(s: RawSession): Promise<boolean> {
  const rows = await s.query<{ t: string | null }>(
    "select to_regclass('kernel.schema_migration')::text as t",
  );
  return Boolean(rows[0]?.t);
}

/**
 * Migrations are DDL on tables the schema owner owns. A role that is not (a member of) that owner —
 * the application's role in production — stops here with one clear line instead of a permission
 * error halfway through a migration.
 */
async function assertMayMigrate(s: RawSession, pending: MigrationFile[]): Promise<void> {
  const [who] = await s.query<{ me: string; owner: string; ok: boolean }>(
    `select current_user::text as me, n.nspowner::regrole::text as owner,
            pg_has_role(current_user, n.nspowner, 'MEMBER') as ok
       from pg_namespace n where n.nspname = 'kernel'`,
  );
  if (!who || who.ok) return;
  const names = pending.map((f) => `${f.version}_${f.name}`).join(', ');
  throw new Error(
    `${pending.length} database migration(s) pending (${names}) and the role ${who.me} may not apply them: ` +
      `run \`yiwang migrate\` as ${who.owner}, the owner of the schemas, then start again`,
  );
}

/** For /readyz: which migrations the database lacks. */
export async function migrationStatus(db: Database, dir?: string): Promise<MigrationStatus> {
  const files = readMigrations(dir);
  const rows = await db.withSession(async (s) => {
    const exists = await s.query<{ t: string | null }>(
      "select to_regclass('kernel.schema_migration')::text as t",
    );
    return exists[0]?.t ? appliedMigrations(s) : [];
  });
  const applied = new Set(rows.map((r) => r.version));
  return {
    applied: [...applied],
    pending: files.filter((f) => !applied.has(f.version)).map((f) => `${f.version}_${f.name}`),
  };
}
