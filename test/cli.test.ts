import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

// The CLI always runs on its own PGlite data dir here, whatever DATABASE_URL the suite has.
function yiwang(args: string[], dataDir: string) {
  return spawnSync(process.execPath, ['bin/yiwang.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    timeout: 120_000,
  });
}

describe('yiwang divisions import --csv', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yw-cli-'));

  it('reports every bad row with its line, exits non-zero, and imports nothing', () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'code,name\n110000,北京市\n11010,短代码\n999901,无上级\n110000,北京市\n');
    const run = yiwang(['divisions', 'import', '--csv', bad], path.join(dir, 'data'));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /line 3: 11010: .*org\.division\.code_length/);
    assert.match(run.stderr, /line 4: 999901: .*org\.division\.parent_missing/);
    assert.match(run.stderr, /line 5: 110000: .*org\.division\.duplicate_in_file/);
    assert.match(run.stderr, /yiwang: 3 bad row\(s\); nothing imported\n$/);
  });

  it('imports a good file, and a second run changes nothing', () => {
    const good = path.join(dir, 'good.csv');
    writeFileSync(
      good,
      '\uFEFFcode,name\n110000,"北京市"\n110100,市辖区\n110101,东城区\n110101001,东华门街道\n',
    );
    const first = yiwang(['divisions', 'import', '--csv', good], path.join(dir, 'data'));
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /imported 4 divisions .*: 4 new, 0 changed, 0 unchanged/);
    const second = yiwang(['divisions', 'import', '--csv', good], path.join(dir, 'data'));
    assert.match(second.stdout, /0 new, 0 changed, 4 unchanged/);
  });

  it('stops with one line for a missing file or an invalid setting', () => {
    const missing = yiwang(
      ['divisions', 'import', '--csv', path.join(dir, 'nope.csv')],
      path.join(dir, 'data'),
    );
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^yiwang: 找不到文件 .*nope\.csv。\n$/);
    const config = spawnSync(process.execPath, ['bin/yiwang.js', 'migrate'], {
      encoding: 'utf8',
      env: { ...process.env, PORT: 'x', DATABASE_URL: '' },
    });
    assert.equal(config.status, 1);
    assert.match(config.stderr, /PORT: must be an integer/);
  });
});

describe('yiwang audit verify', () => {
  it('says OK with the count, and names the first broken entry with a non-zero exit', async () => {
    const { openDatabase, migrate } = await import('../src/kernel/db/index.ts');
    const { appendAudit } = await import('../src/kernel/audit/index.ts');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-audit-'));
    const ctx = {
      tenantId: '330000',
      actorId: 'a',
      actorRole: 'r',
      actorDivision: '330000',
      ip: '',
      userAgent: '',
      requestId: '',
    };
    let db = await openDatabase({ pgliteDir: path.join(dataDir, 'pgdata') });
    await migrate(db);
    for (let i = 0; i < 3; i++) await appendAudit(db.kysely, ctx, { action: 'test.write', detail: { i } });
    await db.close();
    const ok = yiwang(['audit', 'verify'], dataDir);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /audit chain OK: 3 entries in 1 chain\(s\)/);

    db = await openDatabase({ pgliteDir: path.join(dataDir, 'pgdata') });
    await db.withSession(async (s) => {
      await s.exec('alter table audit.entry disable trigger entry_append_only');
      await s.exec(`update audit.entry set detail = '{"i": 9}' where seq = 2`);
    });
    await db.close();
    const broken = yiwang(['audit', 'verify'], dataDir);
    assert.equal(broken.status, 1);
    assert.match(
      broken.stderr,
      /yiwang: audit chain BROKEN at site 330000 entry 2: its content does not match its hash/,
    );
  });
});

describe('yiwang audit archive, verify-archive', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'yw-archive-cli-'));
  const dataDir = path.join(root, 'data');
  const out = path.join(root, 'out');
  mkdirSync(out);
  const day = (n: number) => new Date(Date.now() + 8 * 3_600_000 - n * 86_400_000).toISOString().slice(0, 10);

  it('refuses a bad date, a day within 180 days and a missing directory with one line', () => {
    const bad = yiwang(['audit', 'archive', '--before', '2025-02-30', '--out', out], dataDir);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^yiwang: --before "2025-02-30" is not a date: use YYYY-MM-DD\n$/);
    const young = yiwang(['audit', 'archive', '--before', day(179), '--out', out], dataDir);
    assert.equal(young.status, 1);
    assert.match(
      young.stderr,
      new RegExp(
        `^yiwang: --before ${day(179)} would archive audit entries younger than 180 days, which must be kept \\(GB/T 22239\\): use ${day(180)} or earlier\n$`,
      ),
    );
    const missing = yiwang(
      ['audit', 'archive', '--before', day(180), '--out', path.join(root, 'nope')],
      dataDir,
    );
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^yiwang: the directory .*nope does not exist\n$/);
  });

  it('archives the old prefix, verify starts after it, and the file verifies offline until a byte changes', async () => {
    const { openDatabase, migrate } = await import('../src/kernel/db/index.ts');
    const db = await openDatabase({ pgliteDir: path.join(dataDir, 'pgdata') });
    await migrate(db);
    for (const [i, age] of [400, 400, 300, 10].entries())
      await db.kysely
        .insertInto('audit.entry')
        .values({
          tenant_id: '330000',
          at: new Date(Date.now() - age * 86_400_000),
          action: 'test.old',
          result: 'success',
          detail: JSON.stringify({ i }),
        })
        .execute();
    await db.close();

    const run = yiwang(['audit', 'archive', '--before', day(180), '--out', out], dataDir);
    assert.equal(run.status, 0, run.stderr);
    const file = path.join(out, 'audit-330000-1-3.jsonl');
    assert.match(
      run.stdout,
      /^archived site 330000 entries 1\.\.3 \(3\) to .*audit-330000-1-3\.jsonl, SM3 [0-9a-f]{64}\n$/,
    );
    assert.deepEqual(readdirSync(out).sort(), ['audit-330000-1-3.jsonl', 'audit-330000-1-3.manifest.json']);

    const verify = yiwang(['audit', 'verify'], dataDir);
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /^audit chain OK: 2 entries in 1 chain\(s\)/);
    assert.match(
      verify.stdout,
      /\n {2}site 330000: 2 entries from seq 4 \(archived before: 3 entries, last archive \d{4}-\d\d-\d\dT[\d:.]+Z\)\n$/,
    );

    const again = yiwang(['audit', 'archive', '--before', day(180), '--out', out], dataDir);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /^nothing older than \S+ to archive in 1 chain\(s\): 330000\n$/);

    const ok = yiwang(['audit', 'verify-archive', file], dataDir);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(
      ok.stdout,
      /^archive of site 330000 entries 1\.\.3 OK: 3 entries, SM3 [0-9a-f]{64}, starts at genesis\n$/,
    );

    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"i":1', '"i":7'));
    const broken = yiwang(['audit', 'verify-archive', file], dataDir);
    assert.equal(broken.status, 1);
    assert.match(
      broken.stderr,
      /^yiwang: archive of site 330000 entries 1\.\.3 BROKEN: the file's SM3 digest does not match its manifest; line 2 \(entry 2\): its content does not match its hash\n$/,
    );
    const none = yiwang(['audit', 'verify-archive', path.join(out, 'none.jsonl')], dataDir);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /^yiwang: cannot read the manifest .*none\.manifest\.json: ENOENT\n$/);
  });
});

describe('yiwang keys rotate', () => {
  it("re-encrypts every module's ciphertexts with the new key, then finds nothing left to do", async () => {
    const { openDatabase } = await import('../src/kernel/db/index.ts');
    const { Sm4Keyring } = await import('../src/kernel/crypto/index.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-keys-'));
    const data = path.join(dir, 'data');
    const oldKey = 'k1:00112233445566778899aabbccddeeff';
    const newKey = 'k2:ffeeddccbbaa99887766554433221100';
    const run = (keys: string, ...args: string[]) =>
      spawnSync(process.execPath, ['bin/yiwang.js', ...args], {
        encoding: 'utf8',
        env: {
          ...process.env,
          DATA_DIR: data,
          DATABASE_URL: '',
          LOG_LEVEL: 'silent',
          NODE_ENV: 'test',
          PII_KEYS: keys,
        },
        timeout: 120_000,
      });
    const keyring = (keys: string) => {
      const [id, hex] = keys.split(':') as [string, string];
      return new Sm4Keyring([{ id, key: Buffer.from(hex, 'hex') }], id);
    };
    assert.equal(run(oldKey, 'seed').status, 0);
    // Beside the seeded accounts: a walk-in application, and a licence with its department's key.
    const old = keyring(oldKey);
    const open = () => openDatabase({ pgliteDir: path.join(data, 'pgdata') });
    let db = await open();
    await db.kysely
      .insertInto('applications.application')
      .values({
        tenant_id: '330000',
        public_id: 'walkInApplication01',
        item_code: 'demo.item',
        item_name: '演示事项',
        applicant_kind: 'person',
        applicant_name: '窗口申请人',
        applicant_id_number: old.encrypt('33010619900101123X'),
        intake_account_id: 1,
      })
      .execute();
    await db.kysely
      .insertInto('licences.signing_key')
      .values({
        tenant_id: '330000',
        key_id: '0123456789abcdef',
        department_id: 1,
        public_key: `04${'a'.repeat(128)}`,
        private_key_enc: old.encrypt('-----BEGIN PRIVATE KEY-----'),
        status: 'current',
        created_at: new Date(),
        created_by: 'test',
      })
      .execute();
    await db.kysely
      .insertInto('licences.licence')
      .values({
        tenant_id: '330000',
        id: 'AAAAAAAAAAAAAAAAAAAAAA',
        type_code: 'JY',
        type_name: '食品经营许可证',
        department_id: 1,
        issuer_name: '西湖区市场监督管理局',
        issuer_division: '330106',
        holder_kind: 'person',
        holder_name: '张演示',
        holder_id_enc: old.encrypt('110101199003074514'),
        fields: JSON.stringify([]),
        valid_from: '2026-01-01',
        issued_at: new Date(),
        issued_by: 'test',
        key_id: '0123456789abcdef',
        signature: 'x',
        digest: '0'.repeat(64),
      })
      .execute();
    await db.close();

    const both = `${oldKey},${newKey}`;
    const first = run(both, 'keys', 'rotate');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^identity: +[1-9]\d* value\(s\) re-encrypted in [1-9]\d* row\(s\)$/m);
    assert.match(first.stdout, /^applications: 1 value\(s\) re-encrypted in 1 row\(s\)$/m);
    assert.match(first.stdout, /^licences: +2 value\(s\) re-encrypted in 2 row\(s\)$/m);
    assert.match(
      first.stdout,
      /\nkeys rotated to k2: [1-9]\d* value\(s\) re-encrypted in [1-9]\d* row\(s\), [\d.]+ s\n$/,
    );
    const second = run(both, 'keys', 'rotate');
    assert.equal(second.status, 0, second.stderr);
    // One line per module (identity, applications, licences, disclosure, petitions, letters) and the total.
    assert.equal(second.stdout.match(/ 0 value\(s\) re-encrypted/g)?.length, 7, second.stdout);

    // Every ciphertext of every module now reads with the new key alone.
    const fresh = keyring(newKey);
    db = await open();
    const values = [
      ...(await db.kysely.selectFrom('identity.account').select('id_number_enc as v').execute()),
      ...(await db.kysely
        .selectFrom('applications.application')
        .select('applicant_id_number as v')
        .execute()),
      ...(await db.kysely.selectFrom('licences.signing_key').select('private_key_enc as v').execute()),
      ...(await db.kysely.selectFrom('licences.licence').select('holder_id_enc as v').execute()),
    ]
      .map((r) => r.v)
      .filter((v): v is string => v !== null);
    await db.close();
    assert.ok(values.every((v) => Sm4Keyring.keyIdOf(v) === 'k2'));
    const plain = values.map((v) => fresh.decrypt(v));
    assert.deepEqual(plain.slice(-3), [
      '33010619900101123X',
      '-----BEGIN PRIVATE KEY-----',
      '110101199003074514',
    ]);
    // The old key can go once nothing uses it; the data still reads (verify seals and checks the chain).
    const verify = run(newKey, 'audit', 'verify');
    assert.equal(verify.status, 0, verify.stderr);
  });

  it('stops, naming the setting, when the current key is not in the keyring', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-keys-'));
    const bad = spawnSync(process.execPath, ['bin/yiwang.js', 'keys', 'rotate'], {
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', PII_KEY_CURRENT: 'nope' },
    });
    assert.equal(bad.status, 1);
    assert.match(
      bad.stderr,
      /^yiwang: invalid configuration:\n {2}- PII_KEY_CURRENT: "nope" is not one of the PII_KEYS ids\n$/,
    );
  });
});

describe('yiwang workflow load', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yw-wf-'));
  const data = path.join(dir, 'data');
  const process_ = JSON.parse(readFileSync('src/modules/workflow/processes/demo.assistance.json', 'utf8'));

  it('checks every file first: a bad one lists its problems, exits 1 and stores nothing', () => {
    assert.equal(yiwang(['seed'], data).status, 0);
    const bad = path.join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(path.join(bad, 'a.json'), JSON.stringify({ ...process_, code: 'test.a' }));
    const broken = structuredClone(process_);
    broken.code = 'test.b';
    broken.steps.review.assignee.role = 'wizard';
    broken.steps.intake.actions.accept.to = 'join';
    writeFileSync(path.join(bad, 'b.json'), JSON.stringify(broken));
    const run = yiwang(['workflow', 'load', bad], data);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /b\.json: \/steps\/review\/assignee\/role：没有角色“wizard”/);
    assert.match(run.stderr, /b\.json: \/steps\/intake\/actions\/accept\/to：“join”只能用于并联审批的分支中/);
    // review and decide are reached only through the broken accept
    assert.match(run.stderr, /b\.json: \/steps\/decide：环节“decide”从开始无法到达/);
    assert.match(run.stderr, /yiwang: 4 problem\(s\); nothing stored\n$/);
  });

  it('stores the good definitions as new versions; a second run changes nothing', () => {
    const good = path.join(dir, 'good');
    mkdirSync(good);
    writeFileSync(path.join(good, 'a.json'), JSON.stringify({ ...process_, code: 'test.a' }));
    const first = yiwang(['workflow', 'load', good], data);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /a\.json: test\.a v1 stored/);
    const second = yiwang(['workflow', 'load', good], data);
    assert.match(second.stdout, /a\.json: test\.a v1 \(unchanged\)/);
  });
});
