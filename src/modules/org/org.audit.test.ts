import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sealAudit, verifyAudit } from '../../kernel/audit/index.ts';

describe('org changes in the audit chain', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.drop());

  const entries = (action: string) =>
    t.db.kysely.selectFrom('audit.entry').selectAll().where('action', '=', action).orderBy('id').execute();

  it('records who changed what, from where, in the change’s own transaction', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { 'user-agent': 'audit-test', 'x-request-id': 'req-audit-1' },
      remoteAddress: '10.1.2.3',
      payload: { divisionCode: '330106', name: '西湖区审计测试局', type: 'audit' },
    });
    assert.equal(res.statusCode, 201);
    const [entry] = (await entries('department.created')).filter(
      (e) => e.object_id === String(res.json().id),
    );
    assert.ok(entry, 'an entry for the new department');
    assert.equal(entry.tenant_id, '330000');
    assert.equal(entry.ip, '10.1.2.3');
    assert.equal(entry.user_agent, 'audit-test');
    assert.equal(entry.request_id, 'req-audit-1');
    assert.deepEqual(entry.detail, { divisionCode: '330106', name: '西湖区审计测试局', type: 'audit' });
  });

  it('records nothing for a refused change', async () => {
    const before = (await entries('department.created')).length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      payload: { divisionCode: '330106', name: '西湖区审计测试局', type: 'audit' },
    });
    assert.equal(res.statusCode, 409);
    assert.equal((await entries('department.created')).length, before);
  });

  it('records edits by the fields they changed, and site settings, divisions and (de)activation', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      payload: { divisionCode: '330102', name: '上城区测试中心', type: 'other' },
    });
    const id = created.json().id as number;
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/departments/${id}`,
      payload: { divisionCode: '330102', name: '上城区测试中心', type: 'other', phone: '0571-1234567' },
    });
    await t.app.inject({ method: 'POST', url: `/api/v1/departments/${id}/deactivate` });
    const site = (await t.app.inject({ url: '/api/v1/site' })).json();
    const { tenantId: _t, ...settings } = site;
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/site',
      payload: { ...settings, phone: '0571-88888888' },
    });
    await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/divisions/330102001',
      payload: { name: '清波街道（测试）' },
    });

    assert.deepEqual((await entries('department.updated')).at(-1)?.detail, { changed: ['phone'] });
    assert.equal((await entries('department.deactivated')).at(-1)?.object_id, String(id));
    assert.deepEqual((await entries('tenant.settings_changed')).at(-1)?.detail, { changed: ['phone'] });
    assert.deepEqual((await entries('division.updated')).at(-1)?.detail, {
      name: ['清波街道', '清波街道（测试）'],
    });
  });

  it('keeps the seeding of the demo region in the chain, and every chain verifies', async () => {
    assert.ok(
      (await entries('tenant.created')).some((e) => e.object_id === '330000' && e.tenant_id === '000000'),
    );
    assert.ok((await entries('division.imported')).length >= 1);
    for (let i = 0; i < 100 && (await verifyAudit(t.db)).pending; i++) {
      await sealAudit(t.db);
      await new Promise((r) => setTimeout(r, 20));
    }
    const result = await verifyAudit(t.db);
    assert.equal(result.ok, true);
    assert.equal(result.pending, 0);
    assert.ok(result.entries >= 30);
  });
});
