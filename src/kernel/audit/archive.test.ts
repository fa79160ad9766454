/**
 * Retention: archiving the prefix of a chain older than 180 days (migration 0007, archive.ts). Entries
 * with old timestamps are inserted directly (appendAudit stamps the current time); the trigger refuses
 * UPDATE, so the time is set at INSERT.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql, type Transaction } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { sm3 } from '../crypto/index.ts';
import { migrate, type DB } from '../db/index.ts';
import {
  archiveAudit,
  archiveCutoff,
  ArchiveError,
  checkArchiveDir,
  GENESIS_HASH,
  sealAudit,
  verifyArchive,
  verifyAudit,
  type ArchiveManifest,
} from './index.ts';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

describe('archiveCutoff', () => {
  const now = new Date('2026-07-01T03:00:00Z'); // 11:00 in Beijing
  it('reads YYYY-MM-DD as that midnight in Beijing', () => {
    assert.deepEqual(archiveCutoff('2025-12-01', now), new Date('2025-11-30T16:00:00Z'));
  });
  it('refuses a bad or impossible date', () => {
    for (const bad of ['2025-13-01', '2025-02-30', '25-01-01', '2025-1-1', 'yesterday', ''])
      assert.throws(
        () => archiveCutoff(bad, now),
        (e: unknown) => {
          assert.ok(e instanceof ArchiveError);
          assert.match(e.message, /is not a date: use YYYY-MM-DD/);
          return true;
        },
      );
  });
  it('refuses a day within the last 180 days, and names the latest allowed', () => {
    // 2026-07-01 minus 180 days is 2026-01-02.
    assert.ok(archiveCutoff('2026-01-02', now));
    assert.throws(
      () => archiveCutoff('2026-01-03', now),
      /--before 2026-01-03 would archive audit entries younger than 180 days.*use 2026-01-02 or earlier/,
    );
    // At midnight in Beijing (16:00 UTC) the next day begins there.
    assert.throws(() => archiveCutoff('2026-01-03', new Date('2026-07-01T15:59:59Z')), /use 2026-01-02/);
    assert.ok(archiveCutoff('2026-01-03', new Date('2026-07-01T16:00:01Z')));
  });
});

describe('checkArchiveDir', () => {
  it('refuses a missing directory and a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-archive-dir-'));
    await assert.rejects(checkArchiveDir(path.join(dir, 'nope')), /does not exist/);
    writeFileSync(path.join(dir, 'file'), '');
    await assert.rejects(checkArchiveDir(path.join(dir, 'file')), /is not a directory/);
    assert.equal(await checkArchiveDir(dir), dir);
    assert.deepEqual(readdirSync(dir), ['file'], 'the probe is removed');
  });
});

describe('archiving the audit chain', () => {
  let t: TestDatabase;
  let chainNo = 0;
  const freshChain = () => `8${String(++chainNo).padStart(5, '0')}`;
  const outDir = () => mkdtempSync(path.join(tmpdir(), 'yw-archive-'));

  before(async () => {
    t = await createTestDatabase();
    await migrate(t.db);
  });
  after(() => t.drop());

  /** An entry written `age` days ago (directly: appendAudit stamps the current time). */
  async function entryAt(tenantId: string, age: number, n: number) {
    await t.db.kysely
      .insertInto('audit.entry')
      .values({
        tenant_id: tenantId,
        at: daysAgo(age),
        actor_id: `actor${n}`,
        actor_role: 'system_admin',
        actor_division: '330000',
        action: 'test.old',
        result: 'success',
        ip: '127.0.0.1',
        user_agent: 'test',
        request_id: `r${n}`,
        detail: JSON.stringify({ n, text: '审计' }),
      })
      .execute();
  }

  /** Seals until nothing of this chain is pending (see audit.test.ts). */
  async function sealAll(tenantId: string) {
    for (let round = 0; round < 200; round++) {
      await sealAudit(t.db);
      if ((await verifyAudit(t.db, { tenantId })).pending === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`chain ${tenantId} still has pending entries`);
  }

  /** Entries by age in days, written in this order, then sealed. */
  async function chainOfAges(tenantId: string, ages: number[]) {
    for (const [i, age] of ages.entries()) await entryAt(tenantId, age, i + 1);
    await sealAll(tenantId);
  }

  const seqs = async (tenantId: string) =>
    (
      await t.db.kysely
        .selectFrom('audit.entry')
        .select('seq')
        .where('tenant_id', '=', tenantId)
        .orderBy('seq')
        .execute()
    ).map((r) => r.seq);

  const headOf = async (tenantId: string, seq: number) =>
    (
      await t.db.kysely
        .selectFrom('audit.entry')
        .select('hash')
        .where('tenant_id', '=', tenantId)
        .where('seq', '=', seq)
        .executeTakeFirstOrThrow()
    ).hash!;

  /** The SQLSTATE and message a statement in its own transaction fails with. */
  async function failure(run: (trx: Transaction<DB>) => Promise<unknown>) {
    try {
      await t.db.kysely.transaction().execute(run);
    } catch (e) {
      const err = e as { code?: string; message: string };
      return { code: err.code ?? '', message: err.message };
    }
    assert.fail('the statement succeeded');
  }

  it('archives the longest old prefix, verifies from the checkpoint, and the files verify offline', async () => {
    const chain = freshChain();
    const dir = outDir();
    // 1-5 400 days old, 6-8 300, 9 100 (young: stops the prefix), 10-11 200 (old, but after 9), 12 now.
    await chainOfAges(chain, [400, 400, 400, 400, 400, 300, 300, 300, 100, 200, 200, 0]);
    const head5 = await headOf(chain, 5);

    const first = await archiveAudit(t.db, { before: daysAgo(350), dir, tenantId: chain });
    assert.deepEqual(first.unchanged, []);
    assert.equal(first.archived.length, 1);
    const a = first.archived[0]!;
    assert.deepEqual(
      { firstSeq: a.firstSeq, lastSeq: a.lastSeq, entries: a.entries },
      { firstSeq: 1, lastSeq: 5, entries: 5 },
    );
    assert.equal(path.basename(a.file), `audit-${chain}-1-5.jsonl`);
    assert.equal(path.basename(a.manifestFile), `audit-${chain}-1-5.manifest.json`);
    assert.equal(sm3(readFileSync(a.file)), a.sm3);
    const manifest = JSON.parse(readFileSync(a.manifestFile, 'utf8')) as ArchiveManifest;
    assert.equal(manifest.tenant, chain);
    assert.equal(manifest.firstSeq, 1);
    assert.equal(manifest.lastSeq, 5);
    assert.equal(manifest.entries, 5);
    assert.equal(manifest.prevHash, GENESIS_HASH);
    assert.equal(manifest.headHash, head5);
    assert.equal(manifest.sm3, a.sm3);
    const lines = readFileSync(a.file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 5);
    const line1 = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const column of ['tenant_id', 'id', 'xid', 'at', 'actor_id', 'detail', 'seq', 'prev_hash', 'hash'])
      assert.ok(column in line1, column);
    assert.equal(line1.prev_hash, GENESIS_HASH);

    // The database: a checkpoint, entries 1-5 gone, the archiving recorded in the chain.
    assert.deepEqual(await seqs(chain), [6, 7, 8, 9, 10, 11, 12, null]);
    const checkpoint = await t.db.kysely
      .selectFrom('audit.checkpoint')
      .selectAll()
      .where('tenant_id', '=', chain)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...checkpoint, archived_at: undefined },
      {
        tenant_id: chain,
        up_to_seq: 5,
        head_hash: head5,
        file_digest: a.sm3,
        entries: 5,
        archived_at: undefined,
      },
    );
    const recorded = await t.db.kysely
      .selectFrom('audit.entry')
      .select(['action', 'object_id', 'detail'])
      .where('tenant_id', '=', chain)
      .where('action', '=', 'audit.archived')
      .executeTakeFirstOrThrow();
    assert.equal(recorded.object_id, chain);
    assert.deepEqual(
      { ...(recorded.detail as Record<string, unknown>), before: undefined },
      {
        firstSeq: 1,
        lastSeq: 5,
        entries: 5,
        sm3: a.sm3,
        file: `audit-${chain}-1-5.jsonl`,
        before: undefined,
      },
    );
    await sealAll(chain);
    const verified = await verifyAudit(t.db, { tenantId: chain });
    assert.equal(verified.ok, true);
    assert.equal(verified.entries, 8);
    assert.equal(verified.archived?.length, 1);
    assert.deepEqual(
      { ...verified.archived![0]!, lastArchivedAt: undefined },
      { tenantId: chain, fromSeq: 6, entries: 8, archivedEntries: 5, archives: 1, lastArchivedAt: undefined },
    );

    // The second archive continues after the checkpoint and stops before the young entry 9.
    const second = await archiveAudit(t.db, { before: daysAgo(180), dir, tenantId: chain });
    const b = second.archived[0]!;
    assert.deepEqual([b.firstSeq, b.lastSeq, b.entries], [6, 8, 3]);
    assert.deepEqual(await seqs(chain), [9, 10, 11, 12, 13, null]);
    await sealAll(chain);
    const again = await verifyAudit(t.db, { tenantId: chain });
    assert.equal(again.ok, true);
    assert.deepEqual(
      { ...again.archived![0]!, lastArchivedAt: undefined },
      { tenantId: chain, fromSeq: 9, entries: 6, archivedEntries: 8, archives: 2, lastArchivedAt: undefined },
    );
    // Nothing more is old enough at the head of the chain.
    assert.deepEqual(await archiveAudit(t.db, { before: daysAgo(180), dir, tenantId: chain }), {
      archived: [],
      unchanged: [chain],
    });

    const firstCheck = await verifyArchive(a.file);
    assert.equal(firstCheck.ok, true, JSON.stringify(firstCheck));
    assert.equal(firstCheck.entries, 5);
    assert.equal(firstCheck.previous, 'genesis');
    const secondCheck = await verifyArchive(b.manifestFile);
    assert.equal(secondCheck.ok, true, JSON.stringify(secondCheck));
    assert.deepEqual(secondCheck.previous, { manifest: `audit-${chain}-1-5.manifest.json` });
    // Alone in a directory, the link to the archive before it cannot be checked, and says so.
    const alone = outDir();
    for (const f of [b.file, b.manifestFile]) copyFileSync(f, path.join(alone, path.basename(f)));
    const aloneCheck = await verifyArchive(path.join(alone, path.basename(b.file)));
    assert.equal(aloneCheck.ok, true);
    assert.equal(aloneCheck.previous, 'unchecked');
  });

  it('reports a changed byte in an archive file, at its entry', async () => {
    const chain = freshChain();
    await chainOfAges(chain, [300, 300, 300, 300]);
    const { archived } = await archiveAudit(t.db, { before: daysAgo(200), dir: outDir(), tenantId: chain });
    const a = archived[0]!;
    const text = readFileSync(a.file, 'utf8');
    const at = text.indexOf('"actor3"');
    writeFileSync(a.file, `${text.slice(0, at)}"actor4"${text.slice(at + 8)}`);
    const check = await verifyArchive(a.file);
    assert.equal(check.ok, false);
    assert.equal(check.digestMismatch, true);
    assert.deepEqual(check.broken, { line: 3, seq: 3, reason: 'its content does not match its hash' });
    // A line removed: the gap is named.
    const lines = text.split('\n');
    writeFileSync(a.file, [...lines.slice(0, 1), ...lines.slice(2)].join('\n'));
    assert.deepEqual((await verifyArchive(a.file)).broken, { line: 2, seq: 2, reason: 'entry 2 is missing' });
  });

  it('archives a whole chain; the sealer continues it from the checkpoint', async () => {
    const chain = freshChain();
    await chainOfAges(chain, [365, 365, 365]);
    const head3 = await headOf(chain, 3);
    const { archived } = await archiveAudit(t.db, { before: daysAgo(180), dir: outDir(), tenantId: chain });
    assert.deepEqual([archived[0]!.firstSeq, archived[0]!.lastSeq], [1, 3]);
    assert.deepEqual(await seqs(chain), [null], 'only the pending audit.archived entry is left');
    await sealAll(chain);
    const [archivedEntry] = await t.db.kysely
      .selectFrom('audit.entry')
      .select(['seq', 'prev_hash', 'action'])
      .where('tenant_id', '=', chain)
      .execute();
    assert.deepEqual(archivedEntry, { seq: 4, prev_hash: head3, action: 'audit.archived' });
    const verified = await verifyAudit(t.db, { tenantId: chain });
    assert.equal(verified.ok, true);
    assert.equal(verified.entries, 1);
    assert.equal(verified.archived?.[0]?.fromSeq, 4);
  });

  it('reports a chain whose first remaining entry does not link to the checkpoint', async () => {
    const chain = freshChain();
    await chainOfAges(chain, [365, 365, 365, 0]);
    await archiveAudit(t.db, { before: daysAgo(180), dir: outDir(), tenantId: chain });
    await t.db.withSession(async (s) => {
      await s.exec('alter table audit.entry disable trigger entry_append_only');
      try {
        await s.query(`update audit.entry set prev_hash = $1 where tenant_id = $2 and seq = 4`, [
          '1'.repeat(64),
          chain,
        ]);
      } finally {
        await s.exec('alter table audit.entry enable trigger entry_append_only');
      }
    });
    assert.deepEqual((await verifyAudit(t.db, { tenantId: chain })).broken, {
      tenantId: chain,
      seq: 4,
      reason: 'link',
    });
  });

  it('archives nothing, and leaves no file, when the prefix does not verify', async () => {
    const chain = freshChain();
    await chainOfAges(chain, [365, 365, 365]);
    await t.db.withSession(async (s) => {
      await s.exec('alter table audit.entry disable trigger entry_append_only');
      try {
        await s.query(`update audit.entry set actor_id = 'forged' where tenant_id = $1 and seq = 2`, [chain]);
      } finally {
        await s.exec('alter table audit.entry enable trigger entry_append_only');
      }
    });
    const dir = outDir();
    await assert.rejects(archiveAudit(t.db, { before: daysAgo(180), dir, tenantId: chain }), (e: unknown) => {
      assert.ok(e instanceof ArchiveError);
      assert.match(e.message, new RegExp(`site ${chain}: entry 2 does not match its hash; nothing archived`));
      return true;
    });
    assert.deepEqual(readdirSync(dir), []);
    assert.deepEqual(await seqs(chain), [1, 2, 3]);
  });

  it('the database refuses to archive young entries, a wrong head or range, and any other delete', async () => {
    const chain = freshChain();
    // 1-2 old, 3 young, 4 old.
    await chainOfAges(chain, [365, 365, 10, 365]);
    const archive = (from: number, upTo: number, head: string) => (trx: Transaction<DB>) =>
      sql`select audit.archive_prefix(${chain}, ${from}::bigint, ${upTo}::bigint, ${head}, ${'a'.repeat(64)})`.execute(
        trx,
      );
    const young = await failure(archive(1, 3, await headOf(chain, 3)));
    assert.equal(young.code, '55000', young.message);
    assert.match(
      young.message,
      /1 of the entries 1\.\.3 of site \d+ are younger than 180 days and must be kept/,
    );
    const wrongHead = await failure(archive(1, 2, await headOf(chain, 1)));
    assert.match(wrongHead.message, /entry 2 of site \d+ does not have the hash/);
    const notFirst = await failure(archive(2, 2, await headOf(chain, 2)));
    assert.match(notFirst.message, /archived up to entry 0, so an archive must start at 1, not 2/);
    assert.deepEqual(await seqs(chain), [1, 2, 3, 4]);

    // A direct DELETE with the setting forged by the caller: still refused, old entries or young.
    for (const setting of [`${chain}:2`, `${chain}:4`, 'on'])
      for (const seq of [1, 3, 4]) {
        const e = await failure(async (trx) => {
          await sql`select set_config('yiwang.audit_archive', ${setting}, true)`.execute(trx);
          await sql`delete from audit.entry where tenant_id = ${chain} and seq = ${seq}`.execute(trx);
        });
        assert.match(e.message, /audit entries are append-only \(DELETE refused\)/, `${setting} ${seq}`);
      }
    // Archive 1-2 properly: the setting is reset when the function returns, and naming that checkpoint
    // by hand still cannot take 3 (young) or 4 (old, but beyond the checkpoint).
    const head2 = await headOf(chain, 2);
    const left = await t.db.kysely.transaction().execute(async (trx) => {
      await sql`select audit.archive_prefix(${chain}, 1::bigint, 2::bigint, ${head2}, ${'b'.repeat(64)})`.execute(
        trx,
      );
      const { rows } = await sql<{
        v: string;
      }>`select current_setting('yiwang.audit_archive', true) as v`.execute(trx);
      return rows[0]?.v;
    });
    assert.equal(left, '');
    for (const seq of [3, 4]) {
      const e = await failure(async (trx) => {
        await sql`select set_config('yiwang.audit_archive', ${`${chain}:2`}, true)`.execute(trx);
        await sql`delete from audit.entry where tenant_id = ${chain} and seq = ${seq}`.execute(trx);
      });
      assert.match(e.message, /append-only \(DELETE refused\)/);
    }
    assert.deepEqual(await seqs(chain), [3, 4]);

    // Checkpoints are never changed or removed, and a forged one must name a real entry.
    for (const statement of [
      sql`update audit.checkpoint set head_hash = ${'e'.repeat(64)} where tenant_id = ${chain}`,
      sql`delete from audit.checkpoint where tenant_id = ${chain}`,
      sql`truncate audit.checkpoint`,
    ]) {
      const e = await failure((trx) => statement.execute(trx));
      assert.match(e.message, /audit checkpoints are append-only/);
    }
    const forged = await failure((trx) =>
      sql`insert into audit.checkpoint (tenant_id, up_to_seq, head_hash, file_digest, entries)
          values (${chain}, 4, ${'f'.repeat(64)}, ${'f'.repeat(64)}, 2)`.execute(trx),
    );
    assert.match(forged.message, /does not name a sealed entry with that hash/);
  });

  it('leaves no files behind when the database refuses', async () => {
    const chain = freshChain();
    await chainOfAges(chain, [10, 10]);
    const dir = outDir();
    // A cutoff in the future gets past archiveAudit (archiveCutoff would refuse it), not the database.
    await assert.rejects(
      archiveAudit(t.db, { before: new Date(Date.now() + DAY), dir, tenantId: chain }),
      /younger than 180 days and must be kept/,
    );
    assert.deepEqual(readdirSync(dir), []);
    assert.deepEqual(await seqs(chain), [1, 2]);
  });
});
