import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLicencesWorld, issueBody, type LicencesWorld } from './licences.fixtures.ts';

describe('the department’s licences and signing keys in the workbench', () => {
  let w: LicencesWorld;
  const issued: { id: string; keyId: string }[] = [];

  before(async () => {
    w = await createLicencesWorld();
  });
  after(() => w.y.drop());

  const issue = async (who: 'market' | 'civil' = 'market') => {
    const res = await w.api(who, 'POST', '/api/v1/licences', issueBody());
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; keyId: string };
  };
  const status = async (id: string) => {
    const v = (await w.api(null, 'GET', `/api/v1/licences/${id}/verification`)).json() as {
      status: string;
      reasons: { code: string; message: string }[];
    };
    return [v.status, ...v.reasons.map((r) => r.code)].join(' ');
  };
  const post = async (
    who: 'market' | 'civil',
    page: string,
    action: string,
    fields: Record<string, string> = {},
  ) => {
    const form = await w.formOf(who, page);
    return w.y.app.inject({
      method: 'POST',
      url: action,
      headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: form.token, ...fields }).toString(),
    });
  };
  const keyIds = async (departmentName: string) => {
    const rows = await w.y.db.kysely
      .selectFrom('licences.signing_key as k')
      .innerJoin('org.department as d', (j) => j.onRef('d.id', '=', 'k.department_id'))
      .select(['k.key_id', 'k.status'])
      .where('d.name', '=', departmentName)
      .orderBy('k.created_at')
      .execute();
    return rows.map((r) => `${r.key_id}:${r.status}`);
  };

  it('makes the department’s key on its first issue, and signs later licences with the same key', async () => {
    issued.push(await issue(), await issue());
    assert.equal(issued[0]!.keyId, issued[1]!.keyId);
    assert.deepEqual(await keyIds('西湖区市场监督管理局'), [`${issued[0]!.keyId}:current`]);
    const other = await issue('civil');
    assert.notEqual(other.keyId, issued[0]!.keyId, 'each department has its own key');
    assert.deepEqual(await w.auditOf(issued[0]!.keyId), ['licence_key.created']);
  });

  it('rotates the key from its page: new licences get the new key, old ones stay valid', async () => {
    const page = await w.api('market', 'GET', '/workbench/licences/keys');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(issued[0]!.keyId));
    const res = await post('market', '/workbench/licences/keys', '/workbench/licences/keys/rotation');
    assert.equal(res.statusCode, 303, res.body);
    const next = await issue();
    assert.notEqual(next.keyId, issued[0]!.keyId);
    issued.push(next);
    assert.deepEqual(await keyIds('西湖区市场监督管理局'), [
      `${issued[0]!.keyId}:retired`,
      `${next.keyId}:current`,
    ]);
    assert.equal(await status(issued[0]!.id), 'valid');
    assert.equal(await status(next.id), 'valid');
    assert.deepEqual(await w.auditOf(next.keyId), ['licence_key.created', 'licence_key.rotated']);
  });

  it('revokes a compromised key: what it signed verifies as invalid, naming when; the rest stays valid', async () => {
    const old = issued[0]!.keyId;
    const action = `/workbench/licences/keys/${old}/revocation`;
    const empty = await post('market', '/workbench/licences/keys', action, { reason: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /请填写原因/);
    const byOther = await post('civil', '/workbench/licences/keys', action, { reason: '越权' });
    assert.equal(byOther.statusCode, 404, 'another department’s key is not theirs to find');
    const res = await post('market', '/workbench/licences/keys', action, { reason: '签章服务器被入侵' });
    assert.equal(res.statusCode, 303, res.body);
    assert.match(await status(issued[0]!.id), /^invalid key_revoked$/);
    const v = (await w.api(null, 'GET', `/api/v1/licences/${issued[1]!.id}/verification`)).json() as {
      reasons: { message: string }[];
      keyRevokedAt: string;
    };
    assert.ok(Date.now() - Date.parse(v.keyRevokedAt) < 60_000);
    assert.match(v.reasons[0]!.message, /吊销/);
    assert.equal(await status(issued[2]!.id), 'valid');
    assert.deepEqual(await w.auditOf(old), ['licence_key.created', 'licence_key.revoked']);
    const page = await w.api('market', 'GET', '/workbench/licences/keys');
    assert.match(page.body, /签章服务器被入侵/);
  });

  it('after the current key is revoked, the next issue makes a new one', async () => {
    const current = issued[2]!.keyId;
    const res = await post(
      'market',
      '/workbench/licences/keys',
      `/workbench/licences/keys/${current}/revocation`,
      {
        reason: '例行更换后销毁',
      },
    );
    assert.equal(res.statusCode, 303);
    const next = await issue();
    assert.notEqual(next.keyId, current);
    assert.equal(await status(next.id), 'valid');
    assert.equal(await status(issued[2]!.id), 'invalid key_revoked');
  });

  it('lists the department’s licences with revoke forms; a revocation there shows on the public page', async () => {
    const list = await w.api('market', 'GET', '/workbench/licences');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`/workbench/licences/${issued[2]!.id}/revocation`));
    assert.doesNotMatch(list.body, /33010619900101123X/, 'staff see the holder masked');
    assert.match(list.body, /3301\*{10}123X/);
    const civil = await w.api('civil', 'GET', '/workbench/licences');
    assert.doesNotMatch(
      civil.body,
      new RegExp(issued[2]!.id),
      'another department’s licences are not listed',
    );
    const action = `/workbench/licences/${issued[2]!.id}/revocation`;
    const refused = await post('civil', '/workbench/licences', action, { reason: '越权撤销' });
    assert.equal(refused.statusCode, 403);
    const res = await post('market', '/workbench/licences', action, { reason: '许可事项已变更' });
    assert.equal(res.statusCode, 303, res.body);
    const page = await w.api(null, 'GET', `/licences/${issued[2]!.id}`);
    assert.match(page.body, /已撤销/);
    assert.match(page.body, /许可事项已变更/);
    const again = await post('market', '/workbench/licences', action, { reason: '再次撤销' });
    assert.equal(again.statusCode, 409);
  });

  it('keeps the key pages to those holding licence.keys', async () => {
    assert.equal((await w.api('handler', 'GET', '/workbench/licences/keys')).statusCode, 403);
    assert.equal((await w.api('citizen', 'GET', '/workbench/licences')).statusCode, 403);
  });
});
