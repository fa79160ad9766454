/**
 * The application's own database role on PostgreSQL (`yiwang db app-role`). GB/T 22239 level 3 asks
 * that the audit log be append-only for the application: the role the server runs as may read and
 * append audit entries but has no UPDATE or DELETE on them; it links them into the chain only through
 * the SECURITY DEFINER function audit.seal_entries (migration 0005).
 *
 * Deployment: the migrations run as the owner of the schemas (`DATABASE_URL=<owner> yiwang migrate`,
 * then this command once, also as the owner or a superuser); the servers run with a DATABASE_URL that
 * names the application role. A server started as that role migrates nothing: when migrations are
 * pending it stops with one line saying to run `yiwang migrate` as the owner (see migrate.ts). On
 * PGlite there is one user, the owner, and none of this applies. A role no privilege would bind is
 * refused: the owner, a member of it, a superuser, or one with CREATEROLE (it could join the owner).
 *
 * What the role gets, in one transaction (so running it again repairs drift and is harmless):
 * CONNECT on the database; USAGE on every schema the owner owns (except system schemas and public);
 * SELECT, INSERT, UPDATE, DELETE on their tables, but only SELECT and INSERT on the append-only tables
 * and only SELECT on the migration bookkeeping and the audit checkpoints; USAGE on their sequences;
 * EXECUTE on the sealing function (not on audit.archive_prefix: archiving is the owner's). Never
 * TRUNCATE, REFERENCES or TRIGGER, and not being the owner it cannot ALTER a table (so it cannot
 * disable the append-only trigger either). Default privileges give the owner's future
 * schemas, tables and sequences the same; a future append-only table must be added to
 * APPEND_ONLY_TABLES, and this command run again after the migration that creates it.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Database, RawSession } from './index.ts';

/** Tables the application may read and append to, never change. */
export const APPEND_ONLY_TABLES = ['audit.entry'] as const;
/**
 * Tables the application only reads: the migrations' bookkeeping (for /readyz), and the audit chain's
 * checkpoints (the sealer and verify read them; only audit.archive_prefix, run by the owner, writes).
 */
export const READ_ONLY_TABLES = ['kernel.schema_migration', 'audit.checkpoint'] as const;
/**
 * SECURITY DEFINER functions the application calls (their EXECUTE is revoked from PUBLIC). Not
 * audit.archive_prefix (migration 0007): deleting archived audit entries is an operator's task, run as
 * the owner (`yiwang audit archive`), never something the server can do.
 */
export const APP_FUNCTIONS = ['audit.seal_entries(text[], bigint[], bigint[], text[], text[])'] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** A refusal with a one-line reason (bad input, wrong database, a role that must not be used). */
export class AppRoleError extends Error {}

export interface AppRoleResult {
  role: string;
  created: boolean;
  passwordSet: boolean;
  /** The owner of the schemas: the role that runs the migrations. */
  owner: string;
  schemas: string[];
}

/**
 * Checks the input before anything connects: a role name of lower-case letters, digits and _ (63 at
 * most), and a password, if any, of at least 12 printable ASCII characters.
 */
export function checkAppRoleInput(role: string, password?: string): void {
  if (!ROLE_NAME.test(role) || role.startsWith('pg_'))
    throw new AppRoleError(
      `invalid role name "${role}": use lower-case letters, digits and _ (at most 63, not starting with pg_)`,
    );
  if (password !== undefined && (password.length < 12 || !PRINTABLE_ASCII.test(password)))
    throw new AppRoleError('the password must be at least 12 printable ASCII characters');
}

/**
 * A SCRAM-SHA-256 verifier (RFC 5802/7677, as PostgreSQL stores it), so that the password itself never
 * reaches the server's statement log. Printable ASCII only, where SASLprep changes nothing.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Creates the login role if it is missing and (re)grants exactly the privileges above. */
export async function grantAppRole(
  db: Database,
  role: string,
  options: { password?: string | undefined } = {},
): Promise<AppRoleResult> {
  if (db.kind !== 'postgres')
    throw new AppRoleError('db app-role needs PostgreSQL (DATABASE_URL); the embedded database has one user');
  const { password } = options;
  checkAppRoleInput(role, password);

  return db.withSession(async (s) => {
    await s.exec('begin');
    try {
      const result = await grant(s, role, password);
      await s.exec('commit');
      return result;
    } catch (e) {
      await s.exec('rollback');
      throw e;
    }
  });
}

async function grant(s: RawSession, role: string, password: string | undefined): Promise<AppRoleResult> {
  // Identifiers are quoted by the server (format %I), never pasted in.
  const run = async (template: string, ...args: string[]) => {
    const [row] = await s.query<{ stmt: string }>(
      `select format($1, ${args.map((_, i) => `$${i + 2}::text`).join(', ')}) as stmt`,
      [template, ...args],
    );
    await s.exec(row!.stmt);
  };

  const notMigrated = new AppRoleError(
    'the database is not migrated (or not up to date): run `yiwang migrate` first',
  );
  const [kernel] = await s.query<{ owner: string }>(
    "select pg_get_userbyid(nspowner)::text as owner from pg_namespace where nspname = 'kernel'",
  );
  if (!kernel) throw notMigrated;
  const owner = kernel.owner;
  // regprocedure prints each signature with its identifiers quoted where needed.
  const functions: string[] = [];
  for (const fn of APP_FUNCTIONS) {
    const [row] = await s.query<{ sig: string | null }>('select to_regprocedure($1)::text as sig', [fn]);
    if (!row?.sig) throw notMigrated;
    functions.push(row.sig);
  }
  for (const table of [...APPEND_ONLY_TABLES, ...READ_ONLY_TABLES]) {
    const [row] = await s.query<{ t: string | null }>('select to_regclass($1)::text as t', [table]);
    if (!row?.t) throw notMigrated;
  }
  if (role === owner)
    throw new AppRoleError(`${role} owns the schemas (it runs the migrations); choose a separate role`);

  const [existing] = await s.query<{ super: boolean; createrole: boolean; member: boolean }>(
    `select rolsuper as super, rolcreaterole as createrole, pg_has_role(rolname, $2::name, 'MEMBER') as member
       from pg_roles where rolname = $1`,
    [role, owner],
  );
  if (existing?.super)
    throw new AppRoleError(`${role} is a superuser, which no privilege restricts; choose another role`);
  if (existing?.createrole)
    throw new AppRoleError(
      `${role} has CREATEROLE and could make itself a member of ${owner}; choose another role`,
    );
  if (existing?.member)
    throw new AppRoleError(`${role} is a member of ${owner}, the owner of the schemas; choose another role`);
  const verifier = password === undefined ? undefined : scramVerifier(password);
  if (!existing) {
    if (verifier) await run('create role %I login password %L', role, verifier);
    else await run('create role %I login', role);
  } else if (verifier) {
    await run('alter role %I password %L', role, verifier);
  }

  const schemas = (
    await s.query<{ name: string }>(
      `select nspname as name from pg_namespace
        where nspowner = (select oid from pg_roles where rolname = $1) and nspname !~ '^pg_' and nspname not in ('information_schema', 'public')
        order by 1`,
      [owner],
    )
  ).map((r) => r.name);

  const [database] = await s.query<{ name: string }>('select current_database() as name');
  await run('grant connect on database %I to %I', database!.name, role);
  for (const schema of schemas) {
    // Whatever the role held before goes first, so a second run leaves exactly this set.
    await run('revoke all on schema %I from %I', schema, role);
    await run('revoke all on all tables in schema %I from %I', schema, role);
    await run('revoke all on all sequences in schema %I from %I', schema, role);
    // EXECUTE granted to the role by hand (say on audit.archive_prefix) goes too; APP_FUNCTIONS below.
    await run('revoke all on all functions in schema %I from %I', schema, role);
    await run('grant usage on schema %I to %I', schema, role);
    await run('grant select, insert, update, delete on all tables in schema %I to %I', schema, role);
    await run('grant usage on all sequences in schema %I to %I', schema, role);
  }
  for (const table of APPEND_ONLY_TABLES) {
    const [schema, name] = table.split('.') as [string, string];
    await run('revoke update, delete on table %I.%I from %I', schema, name, role);
  }
  for (const table of READ_ONLY_TABLES) {
    const [schema, name] = table.split('.') as [string, string];
    await run('revoke insert, update, delete on table %I.%I from %I', schema, name, role);
  }
  for (const sig of functions) await run('grant execute on function %s to %I', sig, role);
  // Tables, sequences and schemas the owner creates later (new migrations) get the same by default.
  for (const kind of ['tables', 'sequences', 'schemas'])
    await run(`alter default privileges for role %I revoke all on ${kind} from %I`, owner, role);
  await run(
    'alter default privileges for role %I grant select, insert, update, delete on tables to %I',
    owner,
    role,
  );
  await run('alter default privileges for role %I grant usage on sequences to %I', owner, role);
  await run('alter default privileges for role %I grant usage on schemas to %I', owner, role);
  return { role, created: !existing, passwordSet: verifier !== undefined, owner, schemas };
}
