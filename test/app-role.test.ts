/**
 * `yiwang db app-role`: the application's PostgreSQL role reads and appends audit entries, seals them
 * only through audit.seal_entries, and has no UPDATE, DELETE or TRUNCATE on audit.entry (GB/T 22239
 * level 3). Needs PostgreSQL (DATABASE_URL); on PGlite only the command's refusal is checked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import {
  appendAudit,
  archiveAudit,
  sealAudit,
  systemContext,
  verifyAudit,
} from '../src/kernel/audit/index.ts';
import { scramVerifier } from '../src/kernel/db/app-role.ts';
import { AppRoleError, grantAppRole, migrate, openDatabase, type Database } from '../src/kernel/db/index.ts';
import { MIGRATIONS_DIR } from '../src/kernel/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from './support/app.ts';

const PG_URL = process.env.DATABASE_URL;
const NEEDS_PG = !PG_URL && 'needs PostgreSQL: set DATABASE_URL to run the app-role tests';

function yiwang(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['bin/yiwang.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env },
    timeout: 120_000,
  });
}

const uniqueRole = () => `yiwang_app_t_${process.pid}_${randomBytes(3).toString('hex')}`;

async function asAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The SQLSTATE and message a statement fails with. */
async function failure(
  db: Database,
  statement: ReturnType<typeof sql>,
): Promise<{ code: string; message: string }> {
  try {
    await statement.execute(db.kysely);
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { code: err.code ?? '', message: err.message };
  }
  assert.fail('the statement succeeded');
}

describe('yiwang db app-role, input', () => {
  it('refuses on the embedded database with one line', () => {
    const run = yiwang(['db', 'app-role', '--role', 'yiwang_app'], {
      DATABASE_URL: '',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'yw-app-role-')),
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^yiwang: db app-role needs PostgreSQL: set DATABASE_URL .*\n$/);
  });

  it('refuses a bad role name and a missing password variable before connecting', () => {
    // Nothing listens on port 1: a connection attempt would fail differently.
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    const bad = yiwang(['db', 'app-role', '--role', 'Robert"); drop table'], env);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^yiwang: invalid role name .*\n$/);
    const noPassword = yiwang(
      ['db', 'app-role', '--role', 'yiwang_app', '--password-env', 'YW_NO_SUCH_VAR'],
      env,
    );
    assert.equal(noPassword.status, 1);
    assert.match(
      noPassword.stderr,
      /^yiwang: the environment variable YW_NO_SUCH_VAR is empty or not set\n$/,
    );
    const short = yiwang(['db', 'app-role', '--role', 'yiwang_app', '--password-env', 'YW_PW'], {
      ...env,
      YW_PW: 'short',
    });
    assert.equal(short.status, 1);
    assert.match(short.stderr, /^yiwang: the password must be at least 12 printable ASCII characters\n$/);
  });
});

describe('the application role on PostgreSQL', { skip: NEEDS_PG }, () => {
  let t: TestDatabase;
  let app: Database;
  let dbName: string;
  let owner: string;
  const role = uniqueRole();
  const cliRole = uniqueRole();
  const createRole = uniqueRole();
  const urlAs = (user: string) => {
    const u = new URL(PG_URL!);
    u.username = user;
    u.password = '';
    u.pathname = `/${dbName}`;
    return u.toString();
  };

  before(async () => {
    t = await createTestDatabase();
    await migrate(t.db);
    const [row] = await t.db.withSession((s) =>
      s.query<{ db: string; me: string }>('select current_database() as db, current_user::text as me'),
    );
    dbName = row!.db;
    owner = row!.me;
    const result = await grantAppRole(t.db, role);
    assert.equal(result.created, true);
    for (const s of ['audit', 'identity', 'kernel', 'org']) assert.ok(result.schemas.includes(s), s);
    // Local PostgreSQL trusts 127.0.0.1, so the role needs no password here.
    app = await openDatabase({ databaseUrl: urlAs(role), poolSize: 3 });
  });

  after(async () => {
    await app?.close();
    // Dropping the database drops the role's privileges and default privileges with it.
    await t?.drop();
    await asAdmin(async (c) => {
      for (const r of [role, cliRole, createRole]) await c.query(`drop role if exists ${r}`);
    });
  });

  it('starts when no migration is pending, and refuses to apply one with a clear message', async () => {
    const [me] = await app.withSession((s) => s.query<{ me: string }>('select current_user::text as me'));
    assert.equal(me?.me, role);
    assert.deepEqual(await migrate(app), []);
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-app-role-migrations-'));
    for (const f of readdirSync(MIGRATIONS_DIR))
      copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    writeFileSync(path.join(dir, '9999_later.sql'), 'create table audit.later (id int);');
    await assert.rejects(
      () => migrate(app, { dir }),
      new RegExp(
        `1 database migration\\(s\\) pending \\(9999_later\\) and the role ${role} may not apply them: run \`yiwang migrate\` as ${owner}`,
      ),
    );
  });

  it('appends and seals audit entries, and the chain verifies', async () => {
    const ctx = systemContext('330000', 'app-role-test');
    await appendAudit(app.kysely, ctx, { action: 'test.app_role', detail: { n: 1 } });
    await app.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('identity.login_failure')
        .values({ tenant_id: '330000', username: 'someone', ip: '127.0.0.1' })
        .execute();
      await appendAudit(trx, ctx, { action: 'test.app_role', detail: { n: 2 } });
    });
    assert.ok((await sealAudit(app)) >= 2);
    const verified = await verifyAudit(app);
    assert.equal(verified.ok, true);
    assert.equal(verified.pending, 0);
    assert.ok(verified.entries >= 2);
  });

  it('has no UPDATE, DELETE or TRUNCATE on audit.entry, sealed or not, and cannot disable its trigger', async () => {
    await appendAudit(app.kysely, systemContext('330000', 'app-role-test'), { action: 'test.unsealed' });
    const denied = /permission denied for table entry/;
    for (const statement of [
      sql`update audit.entry set actor_id = 'forged' where action = 'test.app_role'`,
      sql`update audit.entry set seq = 99, prev_hash = ${'0'.repeat(64)}, hash = ${'1'.repeat(64)} where hash is null`,
      sql`delete from audit.entry where action = 'test.app_role'`,
      sql`delete from audit.entry where hash is null`,
      sql`truncate audit.entry`,
    ]) {
      const e = await failure(app, statement);
      assert.equal(e.code, '42501', e.message);
      assert.match(e.message, denied);
    }
    for (const statement of [
      sql`alter table audit.entry disable trigger entry_append_only`,
      sql`alter table audit.entry disable trigger all`,
      sql`drop trigger entry_append_only on audit.entry`,
    ]) {
      const e = await failure(app, statement);
      assert.equal(e.code, '42501', e.message);
      assert.match(e.message, /must be owner of (table|relation) entry/);
    }
    // The unsealed entry is still there, unchanged, and seals normally.
    assert.ok((await sealAudit(app)) >= 1);
    assert.equal((await verifyAudit(app)).ok, true);
  });

  it('seals through audit.seal_entries only entries that have no hash yet, all or none', async () => {
    const sealed = await app.kysely
      .selectFrom('audit.entry')
      .select(['tenant_id', 'id', 'seq', 'hash'])
      .where('hash', 'is not', null)
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    const e = await failure(
      app,
      sql`select audit.seal_entries(${[sealed.tenant_id]}::text[], ${[sealed.id]}::bigint[], ${[1]}::bigint[],
        ${['0'.repeat(64)]}::text[], ${['2'.repeat(64)]}::text[])`,
    );
    assert.equal(e.code, '55000', e.message);
    assert.match(e.message, /1 of 1 entries are missing or sealed already/);
    const after = await app.kysely
      .selectFrom('audit.entry')
      .select(['seq', 'hash'])
      .where('tenant_id', '=', sealed.tenant_id)
      .where('id', '=', sealed.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(after, { seq: sealed.seq, hash: sealed.hash });
    assert.equal((await verifyAudit(app)).ok, true);
  });

  it('cannot archive: no INSERT on audit.checkpoint, no EXECUTE on archive_prefix, no DELETE with the setting forged', async () => {
    const tenant = '330100';
    for (let i = 0; i < 3; i++)
      await t.db.kysely
        .insertInto('audit.entry')
        .values({
          tenant_id: tenant,
          at: new Date(Date.now() - 365 * 86_400_000),
          action: 'test.old',
          result: 'success',
          detail: JSON.stringify({ i }),
        })
        .execute();
    for (let round = 0; (await verifyAudit(app, { tenantId: tenant })).pending && round < 200; round++) {
      await sealAudit(app);
      await new Promise((r) => setTimeout(r, 50));
    }
    const head = await app.kysely
      .selectFrom('audit.entry')
      .select('hash')
      .where('tenant_id', '=', tenant)
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    for (const [statement, denied] of [
      [
        sql`insert into audit.checkpoint (tenant_id, up_to_seq, head_hash, file_digest, entries)
            values (${tenant}, 2, ${head.hash}, ${'a'.repeat(64)}, 2)`,
        /permission denied for table checkpoint/,
      ],
      [sql`update audit.checkpoint set entries = 1`, /permission denied for table checkpoint/],
      [sql`delete from audit.checkpoint`, /permission denied for table checkpoint/],
      [
        sql`select audit.archive_prefix(${tenant}, 1::bigint, 2::bigint, ${head.hash}, ${'a'.repeat(64)})`,
        /permission denied for function archive_prefix/,
      ],
    ] as const) {
      const e = await failure(app, statement);
      assert.equal(e.code, '42501', e.message);
      assert.match(e.message, denied);
    }
    await assert.rejects(
      app.kysely.transaction().execute(async (trx) => {
        await sql`select set_config('yiwang.audit_archive', ${`${tenant}:2`}, true)`.execute(trx);
        await sql`delete from audit.entry where tenant_id = ${tenant} and seq = 1`.execute(trx);
      }),
      /permission denied for table entry/,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-app-role-archive-'));
    await assert.rejects(
      archiveAudit(app, { before: new Date(Date.now() - 180 * 86_400_000), dir, tenantId: tenant }),
      new RegExp(
        `the database role ${role} may not archive audit entries: run \`yiwang audit archive\` with DATABASE_URL naming the owner`,
      ),
    );
    assert.deepEqual(readdirSync(dir), []);
    // The owner archives; the role reads the checkpoint, and its sealer continues the chain after it.
    const { archived } = await archiveAudit(t.db, {
      before: new Date(Date.now() - 180 * 86_400_000),
      dir,
      tenantId: tenant,
    });
    assert.deepEqual([archived[0]?.firstSeq, archived[0]?.lastSeq], [1, 3]);
    await appendAudit(app.kysely, systemContext(tenant, 'app-role-test'), { action: 'test.after_archive' });
    for (let round = 0; (await verifyAudit(app, { tenantId: tenant })).pending && round < 200; round++) {
      await sealAudit(app);
      await new Promise((r) => setTimeout(r, 50));
    }
    const verified = await verifyAudit(app, { tenantId: tenant });
    assert.equal(verified.ok, true);
    assert.equal(verified.archived?.[0]?.fromSeq, 4);
    assert.equal(verified.entries, 2); // audit.archived and test.after_archive
  });

  it('keeps full DML on the other tables, and on tables a later migration adds', async () => {
    const lf = app.kysely;
    await lf
      .insertInto('identity.login_failure')
      .values({ tenant_id: '330000', username: 'dml.check' })
      .execute();
    await lf
      .updateTable('identity.login_failure')
      .set({ ip: '10.0.0.1' })
      .where('username', '=', 'dml.check')
      .execute();
    const gone = await lf
      .deleteFrom('identity.login_failure')
      .where('username', '=', 'dml.check')
      .executeTakeFirst();
    assert.equal(Number(gone.numDeletedRows), 1);
    // What a later migration creates, as the owner: a new schema, a table with an identity column.
    await t.db.withSession((s) =>
      s.exec(
        'create schema later; create table later.thing (id bigint generated always as identity, v text);',
      ),
    );
    await sql`insert into later.thing (v) values ('a')`.execute(app.kysely);
    await sql`update later.thing set v = 'b'`.execute(app.kysely);
    await sql`delete from later.thing`.execute(app.kysely);
    assert.match((await failure(app, sql`truncate later.thing`)).message, /permission denied/);
    // Reference data, for good measure: the role reads the org module's tables.
    const { n } = await app.kysely
      .selectFrom('org.division')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.ok(Number(n) >= 1);
  });

  it('runs again without change, and refuses the owner of the schemas and a role with CREATEROLE', async () => {
    const again = await grantAppRole(t.db, role);
    assert.equal(again.created, false);
    assert.ok(again.schemas.includes('later'));
    await assert.rejects(
      () => grantAppRole(t.db, owner),
      (e: unknown) => {
        assert.ok(e instanceof AppRoleError);
        assert.match(e.message, /owns the schemas|is a superuser/);
        return true;
      },
    );
    await asAdmin((c) => c.query(`create role ${createRole} login createrole`));
    await assert.rejects(
      () => grantAppRole(t.db, createRole),
      /has CREATEROLE and could make itself a member/,
    );
    // The refused role got nothing.
    const [granted] = await t.db.withSession((s) =>
      s.query<{ n: string }>(
        'select count(*) as n from information_schema.role_table_grants where grantee = $1',
        [createRole],
      ),
    );
    assert.equal(Number(granted?.n), 0);
    // Still exactly SELECT and INSERT on audit.entry after the second run.
    const onEntry = await t.db.withSession((s) =>
      s.query<{ p: string }>(
        `select privilege_type as p from information_schema.role_table_grants
          where grantee = $1 and table_schema = 'audit' and table_name = 'entry' order by 1`,
        [role],
      ),
    );
    assert.deepEqual(
      onEntry.map((r) => r.p),
      ['INSERT', 'SELECT'],
    );
    // What was granted by hand is taken back: DML on the checkpoints, EXECUTE on archive_prefix.
    await t.db.withSession((s) =>
      s.exec(
        `grant insert, update, delete on audit.checkpoint to ${role};
         grant execute on function audit.archive_prefix(text, bigint, bigint, text, text) to ${role}`,
      ),
    );
    await grantAppRole(t.db, role);
    const onCheckpoint = await t.db.withSession((s) =>
      s.query<{ p: string }>(
        `select privilege_type as p from information_schema.role_table_grants
          where grantee = $1 and table_schema = 'audit' and table_name = 'checkpoint' order by 1`,
        [role],
      ),
    );
    assert.deepEqual(
      onCheckpoint.map((r) => r.p),
      ['SELECT'],
    );
    const [exec] = await t.db.withSession((s) =>
      s.query<{ archive: boolean; seal: boolean }>(
        `select has_function_privilege($1, 'audit.archive_prefix(text, bigint, bigint, text, text)', 'execute') as archive,
                has_function_privilege($1, 'audit.seal_entries(text[], bigint[], bigint[], text[], text[])', 'execute') as seal`,
        [role],
      ),
    );
    assert.deepEqual(exec, { archive: false, seal: true });
    assert.equal((await verifyAudit(app)).ok, true);
  });

  it('a role granted before migration 0007 gets only SELECT on audit.checkpoint when it runs', async () => {
    const early = await createTestDatabase();
    const earlyRole = uniqueRole();
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'yw-app-role-0006-'));
      for (const f of readdirSync(MIGRATIONS_DIR))
        copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
      const later = readdirSync(dir).filter((f) => f >= '0007');
      for (const f of later) unlinkSync(path.join(dir, f));
      await migrate(early.db, { dir });
      // grantAppRole checks that the tables it names exist; before 0007 grant as it did then.
      await asAdmin((c) => c.query(`create role ${earlyRole} login`));
      await early.db.withSession((s) =>
        s.exec(
          `alter default privileges grant select, insert, update, delete on tables to ${earlyRole};
           grant usage on schema audit to ${earlyRole}`,
        ),
      );
      await migrate(early.db);
      const grants = await early.db.withSession((s) =>
        s.query<{ p: string }>(
          `select privilege_type as p from information_schema.role_table_grants
            where grantee = $1 and table_schema = 'audit' and table_name = 'checkpoint' order by 1`,
          [earlyRole],
        ),
      );
      assert.deepEqual(
        grants.map((r) => r.p),
        ['SELECT'],
      );
    } finally {
      await early.drop();
      await asAdmin((c) => c.query(`drop role if exists ${earlyRole}`));
    }
  });

  it('the command creates a role and prints what it granted', () => {
    const run = yiwang(['db', 'app-role', '--role', cliRole, '--password-env', 'YW_APP_PW'], {
      DATABASE_URL: urlAs(owner),
      YW_APP_PW: 'correct horse battery staple',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^role ${cliRole} created, password set\\n`));
    assert.match(run.stdout, /audit\.entry: SELECT and INSERT only/);
  });

  it('stores the password as a SCRAM verifier PostgreSQL computes the same way', async (ctx) => {
    const canRead = await asAdmin(async (c) => {
      const r = await c.query<{ s: boolean }>(
        'select rolsuper as s from pg_roles where rolname = current_user',
      );
      return Boolean(r.rows[0]?.s);
    });
    if (!canRead) return ctx.skip('reading pg_authid needs a superuser');
    const stored = await asAdmin(async (c) => {
      const r = await c.query<{ p: string }>('select rolpassword as p from pg_authid where rolname = $1', [
        cliRole,
      ]);
      return r.rows[0]!.p;
    });
    assert.match(stored, /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    // PostgreSQL's own verifier for a known password, recomputed here from its salt.
    const ours = await asAdmin(async (c) => {
      await c.query("set password_encryption = 'scram-sha-256'");
      await c.query(`alter role ${cliRole} password 'Another#Password2026'`);
      const r = await c.query<{ p: string }>('select rolpassword as p from pg_authid where rolname = $1', [
        cliRole,
      ]);
      return r.rows[0]!.p;
    });
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(ours)!;
    assert.equal(
      scramVerifier('Another#Password2026', Buffer.from(salt!, 'base64'), Number(iterations)),
      ours,
    );
  });
});
