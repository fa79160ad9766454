import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Sm4Keyring } from '../../kernel/crypto/index.ts';
import { migrate } from '../../kernel/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { rotateDisclosureKeys } from './index.ts';

const OLD = { id: 'old1', key: Buffer.from('00112233445566778899aabbccddeeff', 'hex') };
const NEW = { id: 'new2', key: Buffer.from('ffeeddccbbaa99887766554433221100', 'hex') };

/** A requester's ID number for row i: distinct, so a mixed-up row would show. */
const idNumber = (i: number) => `3301061990${String(i).padStart(7, '0')}X`;

describe('rotateDisclosureKeys', () => {
  let test: TestDatabase;
  before(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
  });
  after(() => test.drop());

  const ciphertexts = async () =>
    (
      await test.db.kysely
        .selectFrom('disclosure.request')
        .select(['tenant_id', 'id', 'id_number'])
        .orderBy('tenant_id')
        .orderBy('id')
        .execute()
    ).map((r) => r.id_number);

  it("re-encrypts requesters' ID numbers across batches and sites, once, and audits it", async () => {
    const old = new Sm4Keyring([OLD], OLD.id);
    // More than one batch (500), on two sites, and an organisation, which has no number kept.
    const row = (tenantId: string, i: number, cipher: string | null) => ({
      tenant_id: tenantId,
      public_id: randomBytes(12).toString('base64url'),
      case_number: `${tenantId}2026${String(i).padStart(7, '0')}`,
      requester_account_id: i + 1,
      requester_kind: cipher === null ? 'organisation' : 'person',
      organisation_type: cipher === null ? 'business' : null,
      requester_name: `申请人${i}`,
      id_number: cipher,
      credit_code: cipher === null ? '91330106MA2DEM0091' : null,
      legal_representative: cipher === null ? '王法人' : null,
      contact_person: cipher === null ? '李联系' : null,
      phone: '0571-12345678',
      email: 'a@example.com',
      department_id: 1,
      department_name: '浙江省人民政府办公厅',
      division_code: '330000',
      description: '2025年度财政预算执行情况',
      format: 'electronic',
      delivery: 'online',
      received_at: new Date(),
    });
    await test.db.kysely
      .insertInto('disclosure.request')
      .values([
        ...Array.from({ length: 510 }, (_, i) =>
          row(i % 2 ? '330000' : '330100', i, old.encrypt(idNumber(i))),
        ),
        row('330000', 999, null),
      ])
      .execute();
    const plain = (await ciphertexts()).map((c) => (c === null ? null : old.decrypt(c)));

    const keyring = new Sm4Keyring([OLD, NEW], NEW.id);
    const progress: number[] = [];
    const first = await rotateDisclosureKeys(test.db, keyring, (done, total) => {
      assert.equal(total, 510);
      progress.push(done);
    });
    assert.deepEqual(first, { scanned: 510, reencrypted: 510 });
    assert.deepEqual(progress, [500, 510]);
    const after = await ciphertexts();
    assert.equal(after.filter((c) => c === null).length, 1);
    assert.ok(after.every((c) => c === null || Sm4Keyring.keyIdOf(c) === NEW.id));
    // Readable with the new key alone: the old one may leave PII_KEYS.
    const newOnly = new Sm4Keyring([NEW], NEW.id);
    assert.deepEqual(
      after.map((c) => (c === null ? null : newOnly.decrypt(c))),
      plain,
    );

    assert.deepEqual(await rotateDisclosureKeys(test.db, keyring), { scanned: 510, reencrypted: 0 });
    assert.deepEqual(await ciphertexts(), after);

    const audited = await test.db.kysely
      .selectFrom('audit.entry')
      .select(['object_type', 'object_id', 'detail'])
      .where('action', '=', 'keys.rotated')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audited.map((a) => [a.object_type, a.object_id, a.detail]),
      [
        ['sm4_key', NEW.id, { module: 'disclosure', scanned: 510, reencrypted: 510 }],
        ['sm4_key', NEW.id, { module: 'disclosure', scanned: 510, reencrypted: 0 }],
      ],
    );
  });
});
