/**
 * Retention of the audit chain (GB/T 22239: audit records are kept at least 180 days). Entries older
 * than that may be archived: per site, the longest prefix of the sealed chain (from the last checkpoint
 * on) whose entries are all older than a cutoff is written to `audit-<site>-<first>-<last>.jsonl`, one
 * canonical JSON entry per line with every column, beside a manifest with the file's SM3 digest; then,
 * in one transaction, audit.archive_prefix (migration 0007) records a checkpoint and deletes exactly
 * those entries, and the archiving is itself appended to the chain (as audit.archived). What remains is
 * a contiguous chain whose first entry links to the checkpoint's head hash; verifyAudit starts there.
 * An archive file is re-verified offline with verifyArchive (digest, the hashes chained inside, the
 * link to the archive or genesis before it).
 *
 * The checks the database makes do not depend on this code: the function refuses entries younger than
 * 180 days, a range that does not follow the last checkpoint, and a head hash that is not the entry's;
 * the append-only trigger refuses every other DELETE.
 */
import { once } from 'node:events';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { sm3Stream } from '../crypto/index.ts';
import { latestCheckpoint, recordArchive } from './checkpoint.store.ts';
import { canonicalJson, contentOf, entryHash, GENESIS_HASH, type EntryRow } from './index.ts';

/** Audit entries younger than this are never deleted (GB/T 22239); migration 0007 says the same. */
export const RETENTION_DAYS = 180;
export const ARCHIVE_FORMAT = 'yiwang-audit-archive/1';

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;
const BATCH = 5000;

/** A refusal with a one-line reason (bad cutoff, directory, a chain that does not verify). */
export class ArchiveError extends Error {}

export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  tenant: string;
  firstSeq: number;
  lastSeq: number;
  entries: number;
  /** The hash the first entry links to: the previous checkpoint's head, or genesis. */
  prevHash: string;
  /** The last entry's hash: the chain left in the database links to it (the checkpoint's head_hash). */
  headHash: string;
  firstAt: string;
  lastAt: string;
  /** Every entry in the file is older than this. */
  before: string;
  /** The archive file's name, in the manifest's directory. */
  file: string;
  /** SM3 of the file's bytes, lower-case hex. */
  sm3: string;
  archivedAt: string;
}

/** The Beijing calendar date of an instant, YYYY-MM-DD. */
const beijingDate = (t: Date) => new Date(t.getTime() + BEIJING_MS).toISOString().slice(0, 10);

/**
 * The instant `--before YYYY-MM-DD` means: that day's midnight, Beijing time. Refuses a malformed or
 * impossible date, and one later than today (Beijing) minus the retention period.
 */
export function archiveCutoff(date: string, now: Date = new Date()): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date)
    throw new ArchiveError(`--before ${JSON.stringify(date)} is not a date: use YYYY-MM-DD`);
  const latest = new Date(Date.parse(beijingDate(now)) - RETENTION_DAYS * DAY_MS).toISOString().slice(0, 10);
  if (date > latest)
    throw new ArchiveError(
      `--before ${date} would archive audit entries younger than ${RETENTION_DAYS} days, which must be kept (GB/T 22239): use ${latest} or earlier`,
    );
  return new Date(day.getTime() - BEIJING_MS);
}

/** Refuses a directory that is missing, not a directory, or not writable (checked by writing to it). */
export async function checkArchiveDir(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  const st = await stat(abs).catch(() => undefined);
  if (!st) throw new ArchiveError(`the directory ${abs} does not exist`);
  if (!st.isDirectory()) throw new ArchiveError(`${abs} is not a directory`);
  const probe = path.join(abs, `.yiwang-write-test-${process.pid}`);
  try {
    await (await open(probe, 'wx')).close();
    await rm(probe);
  } catch (e) {
    throw new ArchiveError(
      `cannot write to ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return abs;
}

export interface ArchivedRange {
  tenantId: string;
  firstSeq: number;
  lastSeq: number;
  entries: number;
  file: string;
  manifestFile: string;
  sm3: string;
}

export interface ArchiveResult {
  archived: ArchivedRange[];
  /** Sites with nothing older than the cutoff after their last checkpoint. */
  unchanged: string[];
}

/**
 * Archives, per site (or the one given), the prefix of its chain older than `before`. Each site's file
 * is complete and synced to disk before its entries are deleted; if the deletion fails the files are
 * removed again and nothing changed. `before` must come from archiveCutoff (the database refuses
 * younger entries in any case).
 */
export async function archiveAudit(
  db: Database,
  options: {
    before: Date;
    dir: string;
    tenantId?: string | undefined;
    onProgress?: (tenantId: string, done: number, total: number) => void;
  },
): Promise<ArchiveResult> {
  const dir = await checkArchiveDir(options.dir);
  // Before any file is written: only the owner of the schemas may archive (docs/database-roles.md).
  const { rows: may } = await sql<{ ok: boolean; me: string }>`
    select has_function_privilege('audit.archive_prefix(text, bigint, bigint, text, text)', 'execute') as ok,
           current_user::text as me`.execute(db.kysely);
  if (!may[0]?.ok)
    throw new ArchiveError(
      `the database role ${may[0]?.me ?? ''} may not archive audit entries: run \`yiwang audit archive\` with DATABASE_URL naming the owner of the schemas`,
    );
  let chains = db.kysely
    .selectFrom('audit.entry')
    .select('tenant_id')
    .where('hash', 'is not', null)
    .distinct()
    .orderBy('tenant_id');
  if (options.tenantId) chains = chains.where('tenant_id', '=', options.tenantId);
  const result: ArchiveResult = { archived: [], unchanged: [] };
  for (const { tenant_id: tenantId } of await chains.execute()) {
    const range = await archiveChain(db, tenantId, dir, options);
    if (range) result.archived.push(range);
    else result.unchanged.push(tenantId);
  }
  return result;
}

async function archiveChain(
  db: Database,
  tenantId: string,
  dir: string,
  options: { before: Date; onProgress?: (tenantId: string, done: number, total: number) => void },
): Promise<ArchivedRange | undefined> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(tenantId))
    throw new ArchiveError(`site ${JSON.stringify(tenantId)} cannot name a file`);
  const checkpoint = await latestCheckpoint(db.kysely, tenantId);
  const firstSeq = (checkpoint?.upToSeq ?? 0) + 1;
  const prevHash = checkpoint?.headHash ?? GENESIS_HASH;
  // The prefix ends before the first entry at or after the cutoff, or at the last sealed entry.
  const { rows } = await sql<{ young: number | null; last: number | null }>`
    select (select min(seq) from audit.entry
             where tenant_id = ${tenantId} and seq >= ${firstSeq} and at >= ${options.before}) as young,
           (select max(seq) from audit.entry where tenant_id = ${tenantId} and hash is not null) as last`.execute(
    db.kysely,
  );
  const young = rows[0]?.young;
  const lastSeq = young != null ? Number(young) - 1 : Number(rows[0]?.last ?? 0);
  if (lastSeq < firstSeq) return undefined;
  const total = lastSeq - firstSeq + 1;

  const base = `audit-${tenantId}-${firstSeq}-${lastSeq}`;
  const file = path.join(dir, `${base}.jsonl`);
  const manifestFile = path.join(dir, `${base}.manifest.json`);
  for (const f of [file, manifestFile])
    if (existsSync(f)) throw new ArchiveError(`${f} exists already; nothing archived`);

  const created: string[] = [];
  try {
    const digest = sm3Stream();
    let head = { seq: firstSeq - 1, hash: prevHash };
    let firstAt = '';
    let lastAt = '';
    const out = await open(file, 'wx');
    created.push(file);
    try {
      // Batches by seq: never more than BATCH entries in memory.
      while (head.seq < lastSeq) {
        const batch = await db.kysely
          .selectFrom('audit.entry')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('seq', '>', head.seq)
          .where('seq', '<=', lastSeq)
          .orderBy('seq')
          .limit(BATCH)
          .execute();
        if (batch.length === 0)
          throw new ArchiveError(`site ${tenantId}: entry ${head.seq + 1} is missing; nothing archived`);
        let text = '';
        for (const row of batch) {
          const r = row as unknown as EntryRow;
          const seq = Number(r.seq);
          // Never archive (and delete) what does not verify: that evidence stays in the database.
          const why =
            seq !== head.seq + 1
              ? `entry ${head.seq + 1} is missing`
              : r.prev_hash !== head.hash
                ? `entry ${seq} does not link to the entry before`
                : entryHash({ ...contentOf(r), seq, prevHash: head.hash }) !== r.hash
                  ? `entry ${seq} does not match its hash`
                  : undefined;
          if (why)
            throw new ArchiveError(
              `site ${tenantId}: ${why}; nothing archived (see \`yiwang audit verify\`)`,
            );
          const at = r.at.toISOString();
          firstAt ||= at;
          lastAt = at;
          text += `${archiveLine(row)}\n`;
          head = { seq, hash: r.hash! };
        }
        digest.update(text);
        await writeAll(out, text);
        options.onProgress?.(tenantId, head.seq - firstSeq + 1, total);
      }
      await out.sync();
    } finally {
      await out.close();
    }
    const sm3 = digest.digest();
    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT,
      tenant: tenantId,
      firstSeq,
      lastSeq,
      entries: total,
      prevHash,
      headHash: head.hash,
      firstAt,
      lastAt,
      before: options.before.toISOString(),
      file: path.basename(file),
      sm3,
      archivedAt: new Date().toISOString(),
    };
    const mf = await open(manifestFile, 'wx');
    created.push(manifestFile);
    try {
      await writeAll(mf, `${JSON.stringify(manifest, null, 2)}\n`);
      await mf.sync();
    } finally {
      await mf.close();
    }
    await syncDir(dir);

    await db.kysely.transaction().execute((trx) =>
      recordArchive(trx, {
        tenantId,
        firstSeq,
        lastSeq,
        headHash: head.hash,
        sm3,
        file: manifest.file,
        before: manifest.before,
      }),
    );
    return { tenantId, firstSeq, lastSeq, entries: total, file, manifestFile, sm3 };
  } catch (e) {
    for (const f of created) await rm(f, { force: true });
    throw e;
  }
}

/** One entry as a line of an archive: every column, canonical JSON, the time in ISO 8601 UTC. */
function archiveLine(row: Record<string, unknown>): string {
  return canonicalJson({ ...row, at: (row.at as Date).toISOString() });
}

async function writeAll(fh: FileHandle, text: string): Promise<void> {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) off += (await fh.write(buf, off)).bytesWritten;
}

/** So that the new files' names survive a crash as well as their contents. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // Some file systems cannot sync a directory; the files themselves are synced.
  } finally {
    await fh.close();
  }
}

export interface ArchiveCheck {
  ok: boolean;
  manifest?: ArchiveManifest;
  /** Entries read from the file. */
  entries: number;
  /** The first entry that does not verify (line numbers from 1). */
  broken?: { line: number; seq?: number; reason: string };
  /** The file's digest does not match the manifest's. */
  digestMismatch?: boolean;
  /** What the first entry's prev_hash was checked against. */
  previous: 'genesis' | 'unchecked' | { manifest: string };
  /** Problems with the manifest or the file as a whole. */
  problems: string[];
}

/**
 * Re-verifies an archive offline: the file's SM3 digest is the manifest's; the entries chain inside
 * (seq contiguous, each prev_hash the hash before it, each hash recomputed); the first links to the
 * manifest's prevHash, which is genesis for entry 1 or else the headHash of the archive before it when
 * that archive's manifest lies in the same directory; the last hash is the manifest's headHash.
 * `file` is the .jsonl or its .manifest.json.
 */
export async function verifyArchive(file: string): Promise<ArchiveCheck> {
  const abs = path.resolve(file);
  const manifestFile = abs.endsWith('.manifest.json') ? abs : abs.replace(/\.jsonl$/, '') + '.manifest.json';
  const check: ArchiveCheck = { ok: false, entries: 0, previous: 'unchecked', problems: [] };
  let manifest: ArchiveManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ArchiveManifest;
  } catch (e) {
    throw new ArchiveError(
      `cannot read the manifest ${manifestFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (manifest.format !== ARCHIVE_FORMAT || typeof manifest.file !== 'string')
    throw new ArchiveError(`${manifestFile} is not a Yiwang audit archive manifest`);
  check.manifest = manifest;
  const dataFile = path.join(path.dirname(manifestFile), path.basename(manifest.file));
  if (!existsSync(dataFile)) throw new ArchiveError(`the archive file ${dataFile} does not exist`);

  // The link before the first entry.
  if (manifest.firstSeq === 1) {
    check.previous = 'genesis';
    if (manifest.prevHash !== GENESIS_HASH)
      check.problems.push('the manifest starts at entry 1 but does not link to genesis');
  } else {
    const prefix = `audit-${manifest.tenant}-`;
    const suffix = `-${manifest.firstSeq - 1}.manifest.json`;
    const before = readdirSync(path.dirname(manifestFile)).find(
      (f) => f.startsWith(prefix) && f.endsWith(suffix),
    );
    if (before) {
      check.previous = { manifest: before };
      const prior = JSON.parse(readFileSync(path.join(path.dirname(manifestFile), before), 'utf8')) as {
        headHash?: string;
      };
      if (prior.headHash !== manifest.prevHash)
        check.problems.push(`it does not link to the archive before it (${before})`);
    }
  }

  const digest = sm3Stream();
  let expected = { seq: manifest.firstSeq, prevHash: manifest.prevHash };
  let lineNo = 0;
  const fail = (reason: string, seq?: number) => {
    check.broken ??= { line: lineNo, ...(seq === undefined ? {} : { seq }), reason };
  };
  const onLine = (line: string) => {
    lineNo++;
    check.entries++;
    if (check.broken) return;
    let r: EntryRow & { xid?: unknown };
    try {
      r = JSON.parse(line) as EntryRow;
    } catch {
      return fail('it is not valid JSON');
    }
    if (r === null || typeof r !== 'object') return fail('it is not an entry');
    const seq = Number(r.seq);
    if (canonicalJson(r) !== line) return fail('it is not in canonical form', seq);
    if (r.tenant_id !== manifest.tenant) return fail(`it belongs to site ${r.tenant_id}`, seq);
    if (seq !== expected.seq) return fail(`entry ${expected.seq} is missing`, expected.seq);
    if (r.prev_hash !== expected.prevHash) return fail('it does not link to the entry before', seq);
    const at = new Date(r.at as unknown as string);
    if (
      Number.isNaN(at.getTime()) ||
      entryHash({ ...contentOf({ ...r, at }), seq, prevHash: r.prev_hash }) !== r.hash
    )
      return fail('its content does not match its hash', seq);
    expected = { seq: seq + 1, prevHash: r.hash! };
  };

  const stream = createReadStream(dataFile);
  let rest = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer | string) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    digest.update(buf);
    let data = rest.length ? Buffer.concat([rest, buf]) : buf;
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10)) {
      onLine(data.subarray(0, nl).toString('utf8'));
      data = data.subarray(nl + 1);
    }
    rest = Buffer.from(data);
  });
  await once(stream, 'end');
  if (rest.length) {
    onLine(rest.toString('utf8'));
    check.problems.push('the file does not end with a newline');
  }

  if (digest.digest() !== manifest.sm3) check.digestMismatch = true;
  if (!check.broken) {
    if (check.entries !== manifest.entries)
      check.problems.push(`it holds ${check.entries} entries, the manifest says ${manifest.entries}`);
    if (expected.seq - 1 !== manifest.lastSeq)
      check.problems.push(`it ends at entry ${expected.seq - 1}, the manifest says ${manifest.lastSeq}`);
    else if (expected.prevHash !== manifest.headHash)
      check.problems.push("its last entry's hash is not the manifest's headHash");
  }
  check.ok = !check.broken && !check.digestMismatch && check.problems.length === 0;
  return check;
}
