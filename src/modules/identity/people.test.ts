import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Sm4Keyring } from '../../kernel/crypto/index.ts';
import { createTestApp, testConfig, type TestApp } from '../../../test/support/app.ts';
import { signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS, rotatePersonalDataKeys } from './index.ts';

const demoCitizen = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;

describe('personal identifiers for staff', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.drop());

  it('finds a person by their whole ID number, masked, and shows it in full only as an audited act', async () => {
    const { cookie } = await signInStaff(t, { roles: ['window_officer'], divisionCode: '330102' });
    const found = await t.app.inject({
      url: `/api/v1/people?q=${demoCitizen.idNumber.toLowerCase()}`,
      headers: { cookie },
    });
    assert.equal(found.statusCode, 200);
    const [person] = found.json().items as { id: number; idNumberMasked: string }[];
    assert.equal(person!.idNumberMasked, '330106********123X');
    assert.ok(!found.body.includes(demoCitizen.idNumber));

    const before = await t.db.kysely
      .selectFrom('audit.entry')
      .select('id')
      .where('action', '=', 'pii.viewed')
      .execute();
    const full = await t.app.inject({
      method: 'POST',
      url: `/api/v1/people/${person!.id}/id-number`,
      headers: { cookie },
    });
    assert.equal(full.statusCode, 200);
    assert.equal(full.json().idNumber, demoCitizen.idNumber);
    assert.equal(full.headers['cache-control'], 'no-store');
    const views = await t.db.kysely
      .selectFrom('audit.entry')
      .select(['actor_role', 'object_id', 'actor_division'])
      .where('action', '=', 'pii.viewed')
      .execute();
    assert.equal(views.length, before.length + 1);
    assert.deepEqual(views.at(-1), {
      actor_role: 'staff:window_officer',
      object_id: String(person!.id),
      actor_division: '330102',
    });
  });

  it('shows the workbench page masked and the full number after the POST, with a notice', async () => {
    const { cookie } = await signInStaff(t, { roles: ['handler'], divisionCode: '330106' });
    const page = await t.app.inject({ url: '/workbench/people?q=%E5%BC%A0', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /330106\*\*\*\*\*\*\*\*123X/);
    const id = /action="\/workbench\/people\/(\d+)\/reveal"/.exec(page.body)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const csrfCookie = page.cookies.find((c) => c.name === 'yw_csrf')!.value;
    const shown = await t.app.inject({
      method: 'POST',
      url: `/workbench/people/${id}/reveal`,
      headers: {
        cookie: `${cookie}; yw_csrf=${csrfCookie}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${encodeURIComponent(csrf)}`,
    });
    assert.equal(shown.statusCode, 200);
    assert.ok(shown.body.includes(demoCitizen.idNumber));
    const bad = await t.app.inject({ url: '/workbench/people?q=330106199001011231', headers: { cookie } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="field-q-error"/);
  });

  it('refuses those without the right: a publisher 403, a citizen 403, no session 401', async () => {
    const { cookie } = await signInStaff(t, { roles: ['publisher'], divisionCode: '330000' });
    assert.equal((await t.app.inject({ url: '/api/v1/people?q=a', headers: { cookie } })).statusCode, 403);
    const citizen = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: demoCitizen.username, password: demoCitizen.password },
    });
    const c = citizen.cookies.find((x) => x.name === 'yw_session')!.value;
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/v1/people/1/id-number', cookies: { yw_session: c } }))
        .statusCode,
      403,
    );
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/people/1/id-number' })).statusCode, 401);
  });
});

describe('yiwang keys rotate', () => {
  it('re-encrypts every identifier under an old key with the current one, once', async () => {
    const oldKeys = 'old1:00112233445566778899aabbccddeeff';
    const t = await createTestApp({ env: { PII_KEYS: oldKeys } });
    try {
      const rows = () =>
        t.db.kysely
          .selectFrom('identity.account')
          .select(['id_number_enc'])
          .where('kind', '=', 'person')
          .execute();
      assert.ok((await rows()).every((r) => Sm4Keyring.keyIdOf(r.id_number_enc!) === 'old1'));
      const config = testConfig({ PII_KEYS: `${oldKeys},new2:ffeeddccbbaa99887766554433221100` });
      const progress: number[] = [];
      const first = await rotatePersonalDataKeys(t.db, config, (done) => progress.push(done));
      assert.ok(first.reencrypted >= 1);
      assert.ok(progress.length >= 1);
      const keyring = new Sm4Keyring(config.piiKeys, config.piiKeyCurrent);
      const after = await rows();
      assert.ok(after.every((r) => Sm4Keyring.keyIdOf(r.id_number_enc!) === 'new2'));
      assert.ok(after.some((r) => keyring.decrypt(r.id_number_enc!) === demoCitizen.idNumber));
      assert.equal((await rotatePersonalDataKeys(t.db, config)).reencrypted, 0);
      const audited = await t.db.kysely
        .selectFrom('audit.entry')
        .select('object_id')
        .where('action', '=', 'keys.rotated')
        .execute();
      assert.deepEqual(
        audited.map((a) => a.object_id),
        ['new2', 'new2'],
      );
    } finally {
      await t.drop();
    }
  });
});
