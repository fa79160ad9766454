import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sealAudit, verifyAudit } from '../../kernel/audit/index.ts';
import { signInStaff, type StaffLogin } from '../../../test/support/staff.ts';

describe('org changes in the audit chain', () => {
  let t: TestApp;
  /** A system administrator of 杭州市: the actor every entry below must name. */
  let admin: StaffLogin;
  before(async () => {
    t = await createTestApp();
    admin = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330100' });
  });
  after(() => t.drop());

  const inject = (options: {
    method?: 'GET' | 'POST' | 'PUT' | 'PATCH';
    url: string;
    payload?: object;
    headers?: Record<string, string>;
    remoteAddress?: string;
  }) => t.app.inject({ ...options, headers: { cookie: admin.cookie, ...options.headers } });
  const actorOf = (e: { actor_id: string; actor_role: string; actor_division: string }) => ({
    id: e.actor_id,
    role: e.actor_role,
    division: e.actor_division,
  });
  const adminActor = () => ({
    id: `account:${admin.accountId}`,
    role: 'staff:system_admin',
    division: '330100',
  });

  const entries = (action: string) =>
    t.db.kysely.selectFrom('audit.entry').selectAll().where('action', '=', action).orderBy('id').execute();

  it('records who changed what, from where, in the change’s own transaction', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { 'user-agent': 'audit-test', 'x-request-id': 'req-audit-1' },
      remoteAddress: '10.1.2.3',
      payload: { divisionCode: '330106', name: '西湖区审计测试局', type: 'audit' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const [entry] = (await entries('department.created')).filter(
      (e) => e.object_id === String(res.json().id),
    );
    assert.ok(entry, 'an entry for the new department');
    assert.equal(entry.tenant_id, '330000');
    assert.equal(entry.ip, '10.1.2.3');
    assert.equal(entry.user_agent, 'audit-test');
    assert.equal(entry.request_id, 'req-audit-1');
    assert.deepEqual(entry.detail, { divisionCode: '330106', name: '西湖区审计测试局', type: 'audit' });
    assert.deepEqual(actorOf(entry), adminActor(), 'the actor from the session, with role and division');
  });

  it('records nothing for a refused change', async () => {
    const before = (await entries('department.created')).length;
    const res = await inject({
      method: 'POST',
      url: '/api/v1/departments',
      payload: { divisionCode: '330106', name: '西湖区审计测试局', type: 'audit' },
    });
    assert.equal(res.statusCode, 409);
    // Nor for a caller without a session, without the permission, or outside their jurisdiction.
    const handler = await signInStaff(t, { roles: ['handler'], divisionCode: '330100' });
    const district = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330102' });
    const payload = { divisionCode: '330106', name: '西湖区越权测试局', type: 'audit' };
    for (const [cookie, status] of [
      ['', 401],
      [handler.cookie, 403],
      [district.cookie, 400],
    ] as const) {
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: cookie ? { cookie } : {},
        payload,
      });
      assert.equal(refused.statusCode, status, refused.body);
    }
    assert.equal((await entries('department.created')).length, before);
  });

  it('records edits by the fields they changed, and site settings, divisions and (de)activation', async () => {
    const created = await inject({
      method: 'POST',
      url: '/api/v1/departments',
      payload: { divisionCode: '330102', name: '上城区测试中心', type: 'other' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as number;
    const writes = [
      await inject({
        method: 'PUT',
        url: `/api/v1/departments/${id}`,
        payload: { divisionCode: '330102', name: '上城区测试中心', type: 'other', phone: '0571-1234567' },
      }),
      await inject({ method: 'POST', url: `/api/v1/departments/${id}/deactivate` }),
      await inject({
        method: 'PATCH',
        url: '/api/v1/divisions/330102001',
        payload: { name: '清波街道（测试）' },
      }),
    ];
    for (const w of writes) assert.equal(w.statusCode, 200, w.body);
    // The site's settings belong to staff of the site's whole division: the province's administrator.
    const provincial = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330000' });
    const site = (await t.app.inject({ url: '/api/v1/site' })).json();
    const { tenantId: _t, ...settings } = site;
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/site',
      headers: { cookie: provincial.cookie },
      payload: { ...settings, phone: '0571-88888888' },
    });
    assert.equal(saved.statusCode, 200, saved.body);

    const updated = (await entries('department.updated')).at(-1)!;
    assert.deepEqual(updated.detail, { changed: ['phone'] });
    const deactivated = (await entries('department.deactivated')).at(-1)!;
    assert.equal(deactivated.object_id, String(id));
    const renamed = (await entries('division.updated')).at(-1)!;
    assert.deepEqual(renamed.detail, { name: ['清波街道', '清波街道（测试）'] });
    for (const e of [updated, deactivated, renamed]) assert.deepEqual(actorOf(e), adminActor(), e.action);
    const settingsChanged = (await entries('tenant.settings_changed')).at(-1)!;
    assert.deepEqual(settingsChanged.detail, { changed: ['phone'] });
    assert.deepEqual(actorOf(settingsChanged), {
      id: `account:${provincial.accountId}`,
      role: 'staff:system_admin',
      division: '330000',
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
