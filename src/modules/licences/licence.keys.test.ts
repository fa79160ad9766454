import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Sm4Keyring } from '../../kernel/crypto/index.ts';
import { createTestApp, testConfig, type TestApp } from '../../../test/support/app.ts';
import { signInStaff } from '../../../test/support/staff.ts';
import { issueBody, MARKET } from './licences.fixtures.ts';
import { rotateLicenceKeys } from './index.ts';

const OLD = 'old1:00112233445566778899aabbccddeeff';
const NEW = 'new2:ffeeddccbbaa99887766554433221100';

describe('rotateLicenceKeys', () => {
  // The running app knows both keys but still encrypts with the old one, as before a rotation.
  let y: TestApp;
  let cookie = '';
  before(async () => {
    y = await createTestApp({ seed: true, env: { PII_KEYS: `${OLD},${NEW}`, PII_KEY_CURRENT: 'old1' } });
    cookie = (
      await signInStaff(y, { roles: ['department_head'], divisionCode: '330106', departmentName: MARKET })
    ).cookie;
  });
  after(() => y.drop());

  const issue = async (idNumber: string) => {
    const res = await y.app.inject({
      method: 'POST',
      url: '/api/v1/licences',
      headers: { cookie },
      payload: issueBody({ holder: { kind: 'person', name: '张演示', idNumber } }),
    });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: string }).id;
  };
  const ciphertexts = async () => [
    ...(
      await y.db.kysely
        .selectFrom('licences.signing_key')
        .select('private_key_enc')
        .orderBy('key_id')
        .execute()
    ).map((r) => r.private_key_enc),
    ...(await y.db.kysely.selectFrom('licences.licence').select('holder_id_enc').orderBy('id').execute()).map(
      (r) => r.holder_id_enc,
    ),
  ];

  it("re-encrypts holders' ID numbers and signing keys; licences still verify and the key still signs", async () => {
    const ids = [await issue('33010619900101123X'), await issue('110101199003074514')];
    const before = await ciphertexts();
    assert.equal(before.length, 3);
    assert.ok(before.every((c) => Sm4Keyring.keyIdOf(c) === 'old1'));
    const config = testConfig({ PII_KEYS: `${OLD},${NEW}`, PII_KEY_CURRENT: 'new2' });
    const keyring = new Sm4Keyring(config.piiKeys, config.piiKeyCurrent);
    const plain = before.map((c) => keyring.decrypt(c));

    const progress: [number, number][] = [];
    const first = await rotateLicenceKeys(y.db, keyring, (done, total) => progress.push([done, total]));
    assert.deepEqual(first, { scanned: 3, reencrypted: 3 });
    // the signing keys first, then the licences, against one total
    assert.deepEqual(progress, [
      [1, 3],
      [3, 3],
    ]);
    const after = await ciphertexts();
    assert.ok(after.every((c) => Sm4Keyring.keyIdOf(c) === 'new2'));
    assert.deepEqual(
      after.map((c) =>
        new Sm4Keyring(
          config.piiKeys.filter((k) => k.id === 'new2'),
          'new2',
        ).decrypt(c),
      ),
      plain,
    );

    // Nothing signed changed: each licence verifies, and the rotated private key signs the next one.
    for (const id of ids) {
      const v = await y.app.inject({ url: `/api/v1/licences/${id}/verification` });
      assert.equal((v.json() as { status: string }).status, 'valid', v.body);
    }
    const third = await issue('33010619900101123X');
    const v = await y.app.inject({ url: `/api/v1/licences/${third}/verification` });
    assert.equal((v.json() as { status: string }).status, 'valid', v.body);

    // The app still encrypts the new licence's holder with old1: the next run takes just that one.
    assert.deepEqual(await rotateLicenceKeys(y.db, keyring), { scanned: 4, reencrypted: 1 });
    assert.deepEqual(await rotateLicenceKeys(y.db, keyring), { scanned: 4, reencrypted: 0 });
    const audited = await y.db.kysely
      .selectFrom('audit.entry')
      .select(['object_id', 'detail'])
      .where('action', '=', 'keys.rotated')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audited.map((a) => [a.object_id, a.detail]),
      [
        ['new2', { module: 'licences', scanned: 3, reencrypted: 3 }],
        ['new2', { module: 'licences', scanned: 4, reencrypted: 1 }],
        ['new2', { module: 'licences', scanned: 4, reencrypted: 0 }],
      ],
    );
  });
});
