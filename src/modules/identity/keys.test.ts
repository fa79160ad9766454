import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Sm4Keyring } from '../../kernel/crypto/index.ts';
import { createTestApp, testConfig } from '../../../test/support/app.ts';
import { createStaff } from '../../../test/support/staff.ts';
import { rotatePersonalDataKeys } from './index.ts';

const OLD = 'old1:00112233445566778899aabbccddeeff';
const NEW = 'new2:ffeeddccbbaa99887766554433221100';

describe('rotateKeys (identity)', () => {
  it('re-encrypts ID numbers and TOTP secrets together, keeps their plaintexts, once', async () => {
    const t = await createTestApp({ env: { PII_KEYS: OLD } });
    try {
      // A staff member with a TOTP secret (and no ID number) beside the seeded citizens.
      const staff = await createStaff(t, { roles: ['handler'] });
      const secret = new Sm4Keyring(testConfig({ PII_KEYS: OLD }).piiKeys, 'old1').encrypt(
        'JBSWY3DPEHPK3PXP',
      );
      await t.db.kysely
        .updateTable('identity.account')
        .set({ mfa_secret_enc: secret })
        .where('id', '=', staff.accountId)
        .execute();
      const rows = () =>
        t.db.kysely
          .selectFrom('identity.account')
          .select(['id', 'id_number_enc', 'mfa_secret_enc'])
          .where((eb) => eb.or([eb('id_number_enc', 'is not', null), eb('mfa_secret_enc', 'is not', null)]))
          .orderBy('id')
          .execute();
      const values = (r: Awaited<ReturnType<typeof rows>>) =>
        r.flatMap((x) => [x.id_number_enc, x.mfa_secret_enc]).filter((v): v is string => v !== null);
      const before = await rows();
      assert.ok(values(before).every((v) => Sm4Keyring.keyIdOf(v) === 'old1'));

      const config = testConfig({ PII_KEYS: `${OLD},${NEW}` });
      const keyring = new Sm4Keyring(config.piiKeys, config.piiKeyCurrent);
      const first = await rotatePersonalDataKeys(t.db, config);
      assert.deepEqual(first, { scanned: before.length, reencrypted: values(before).length });
      const after = await rows();
      assert.ok(values(after).every((v) => Sm4Keyring.keyIdOf(v) === 'new2'));
      assert.deepEqual(
        values(after).map(keyring.decrypt, keyring),
        values(before).map(keyring.decrypt, keyring),
      );
      assert.equal(
        keyring.decrypt(after.find((r) => r.id === staff.accountId)!.mfa_secret_enc!),
        'JBSWY3DPEHPK3PXP',
      );

      assert.deepEqual(await rotatePersonalDataKeys(t.db, config), {
        scanned: before.length,
        reencrypted: 0,
      });
      assert.deepEqual(await rows(), after);
      const audited = await t.db.kysely
        .selectFrom('audit.entry')
        .select(['object_id', 'detail'])
        .where('action', '=', 'keys.rotated')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audited.map((a) => [a.object_id, a.detail]),
        [
          ['new2', { module: 'identity', scanned: before.length, reencrypted: values(before).length }],
          ['new2', { module: 'identity', scanned: before.length, reencrypted: 0 }],
        ],
      );
    } finally {
      await t.drop();
    }
  });
});
