import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemContext } from '../../kernel/audit/index.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { DomainError } from '../../kernel/errors.ts';
import type { Department } from './department.store.ts';
import { importDivisions } from './division-import.ts';
import type { Tenant } from './tenant.store.ts';

const BEIJING = '110000';
const BJ_HOST = 'bj.example.gov.cn';

interface Page<T> {
  items: T[];
  total: number;
}

describe('tenants and host names', () => {
  let t: TestApp;
  let bjDepartment: Department;
  let zjDepartment: Department;

  /** Tenant settings with every field, overridable. */
  const tenantInput = (fields: Partial<Tenant> = {}) => ({
    name: '北京市人民政府（测试站点）',
    siteIdCode: '1100000001',
    icpNumber: '京ICP备00000000号',
    policeFiling: '',
    sponsor: '北京市人民政府办公厅（测试）',
    address: '',
    phone: '010-12345000',
    email: '',
    hosts: [BJ_HOST, 'www.beijing.example.gov.cn'],
    ...fields,
  });

  before(async () => {
    t = await createTestApp();
    // A second province with a district of its own, and a tenant for it.
    await importDivisions(
      t.db,
      [
        { code: BEIJING, name: '北京市' },
        { code: '110100', name: '市辖区' },
        { code: '110101', name: '东城区' },
      ],
      { source: 'test' },
    );
    await t.org.tenants.create(systemContext(), { tenantId: BEIJING, ...tenantInput() });
    bjDepartment = await t.org.departments.create(systemContext(BEIJING), {
      divisionCode: '110101',
      name: '东城区政务服务中心',
      type: 'government_services',
    });
    zjDepartment = await t.org.departments.create(systemContext('330000'), {
      divisionCode: '330106',
      name: '西湖区测试局',
      type: 'other',
    });
  });
  after(() => t.drop());

  const get = (url: string, host?: string) => t.app.inject({ url, headers: host ? { host } : {} });
  const siteOf = async (host?: string) => (await get('/api/v1/site', host)).json<Tenant>();

  describe('host resolution', () => {
    it('serves a request for a tenant’s host name from that tenant', async () => {
      const site = await siteOf(BJ_HOST);
      assert.equal(site.tenantId, BEIJING);
      assert.equal(site.name, '北京市人民政府（测试站点）');
      assert.deepEqual(site.hosts, [BJ_HOST, 'www.beijing.example.gov.cn']);
      assert.equal((await siteOf('www.beijing.example.gov.cn')).tenantId, BEIJING);
    });

    it('matches host names case-insensitively and ignores the port', async () => {
      assert.equal((await siteOf('BJ.Example.GOV.cn')).tenantId, BEIJING);
      assert.equal((await siteOf(`${BJ_HOST}:8080`)).tenantId, BEIJING);
    });

    it('serves an unknown host from the default tenant', async () => {
      assert.equal((await siteOf('unknown.example.org')).tenantId, '330000');
      assert.equal((await siteOf('example.gov.cn')).tenantId, '330000', 'a parent domain is another host');
      assert.equal((await siteOf(`x.${BJ_HOST}`)).tenantId, '330000', 'a subdomain is another host');
      assert.equal((await siteOf()).tenantId, '330000');
    });

    it('renders the tenant’s own site meta tags and footer on its pages', async () => {
      const bj = await get('/', BJ_HOST);
      assert.equal(bj.statusCode, 200);
      assert.match(bj.body, /<meta name="SiteIDCode" content="1100000001"\/>/);
      assert.match(bj.body, /<meta name="SiteName" content="北京市人民政府（测试站点）"\/>/);
      assert.match(
        bj.body,
        new RegExp(`<meta name="SiteDomain" content="${BJ_HOST.replace(/\./g, '\\.')}"/>`),
      );
      assert.match(bj.body, /京ICP备00000000号/);
      const zj = await get('/', 'unknown.example.org');
      assert.match(zj.body, /<meta name="SiteIDCode" content="3300000001"\/>/);
    });

    it('serves a host name registered with a port', async () => {
      await t.org.tenants.update(systemContext(BEIJING), tenantInput({ hosts: ['bj.example.gov.cn:8443'] }));
      try {
        assert.equal((await siteOf('bj.example.gov.cn:8443')).tenantId, BEIJING);
      } finally {
        await t.org.tenants.update(systemContext(BEIJING), tenantInput());
      }
    });
  });

  describe('tenant isolation', () => {
    it('lists only the tenant’s own departments', async () => {
      const bj = (await get('/api/v1/departments?limit=500', BJ_HOST)).json<Page<Department>>();
      assert.deepEqual(
        bj.items.map((d) => d.id),
        [bjDepartment.id],
      );
      assert.equal(bj.total, 1);
      const zj = (await get('/api/v1/departments?limit=500')).json<Page<Department>>();
      assert.ok(zj.items.some((d) => d.id === zjDepartment.id));
      assert.ok(!zj.items.some((d) => d.id === bjDepartment.id));
      assert.ok(zj.items.every((d) => d.divisionCode.startsWith('33')));
    });

    it('does not show another tenant’s department by id', async () => {
      assert.equal((await get(`/api/v1/departments/${bjDepartment.id}`, BJ_HOST)).statusCode, 200);
      assert.equal((await get(`/api/v1/departments/${zjDepartment.id}`, BJ_HOST)).statusCode, 404);
      assert.equal((await get(`/api/v1/departments/${bjDepartment.id}`)).statusCode, 404);
      assert.equal((await get(`/departments/${zjDepartment.id}`, BJ_HOST)).statusCode, 404);
    });

    it('does not let one tenant deactivate or edit another’s department', async () => {
      const off = await t.app.inject({
        method: 'POST',
        url: `/api/v1/departments/${zjDepartment.id}/deactivate`,
        headers: { host: BJ_HOST },
      });
      assert.equal(off.statusCode, 404);
      const put = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/departments/${zjDepartment.id}`,
        headers: { host: BJ_HOST },
        payload: { divisionCode: '110101', name: '被改', type: 'other' },
      });
      assert.equal(put.statusCode, 404);
      assert.deepEqual(await t.org.departments.get('330000', zjDepartment.id), zjDepartment);
    });

    it('creates departments only within the tenant’s own region', async () => {
      const outside = await t.app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: { host: BJ_HOST },
        payload: { divisionCode: '330106', name: '越界局', type: 'other' },
      });
      assert.equal(outside.statusCode, 400);
      assert.equal(
        outside.json<{ errors: { field: string; code: string }[] }>().errors[0]?.code,
        'org.department.division_outside',
      );
      // The same name as a Zhejiang department is fine in another tenant.
      const inside = await t.app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: { host: BJ_HOST },
        payload: { divisionCode: '110101', name: zjDepartment.name, type: 'other' },
      });
      assert.equal(inside.statusCode, 201, inside.body);
      assert.equal(inside.json<Department>().divisionCode, '110101');
    });

    it('changes only the requesting tenant’s site settings', async () => {
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/site',
        headers: { host: BJ_HOST },
        payload: tenantInput({ sponsor: '北京市政务服务管理局（测试）' }),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json<Tenant>().tenantId, BEIJING);
      assert.equal((await siteOf(BJ_HOST)).sponsor, '北京市政务服务管理局（测试）');
      assert.equal((await siteOf()).sponsor, '一网演示：浙江省人民政府办公厅');
    });

    it('moves a host name between tenants once its owner lets it go', async () => {
      const zj = await siteOf();
      await t.org.tenants.update(
        systemContext(BEIJING),
        tenantInput({ hosts: ['www.beijing.example.gov.cn'] }),
      );
      assert.equal((await siteOf(BJ_HOST)).tenantId, '330000', 'a released host falls back to the default');
      const { tenantId: _id, ...zjSettings } = zj;
      await t.org.tenants.update(systemContext('330000'), { ...zjSettings, hosts: [...zj.hosts, BJ_HOST] });
      assert.equal((await siteOf(BJ_HOST)).tenantId, '330000');
      await t.org.tenants.update(systemContext('330000'), { ...zjSettings, hosts: zj.hosts });
      await t.org.tenants.update(systemContext(BEIJING), tenantInput());
      assert.equal((await siteOf(BJ_HOST)).tenantId, BEIJING);
    });
  });

  describe('concurrent changes', () => {
    it('answers 409, never 500, when two tenants claim one new host name at once', async () => {
      const zj = await siteOf();
      const { tenantId: _id, ...zjSettings } = zj;
      const results = await Promise.all([
        t.app.inject({
          method: 'PUT',
          url: '/api/v1/site',
          payload: { ...zjSettings, hosts: [...zj.hosts, 'race.example.gov.cn'] },
        }),
        t.app.inject({
          method: 'PUT',
          url: '/api/v1/site',
          headers: { host: BJ_HOST },
          payload: tenantInput({ hosts: [BJ_HOST, 'www.beijing.example.gov.cn', 'race.example.gov.cn'] }),
        }),
      ]);
      try {
        assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
      } finally {
        await t.org.tenants.update(systemContext('330000'), zjSettings);
        await t.org.tenants.update(systemContext(BEIJING), tenantInput());
      }
    });
  });

  describe('creating a tenant', () => {
    it('refuses a division that does not exist', async () => {
      await assert.rejects(
        t.org.tenants.create(systemContext(), { tenantId: '120101', ...tenantInput({ hosts: [] }) }), // not imported
        (e) => e instanceof DomainError && e.kind === 'invalid' && e.fields[0]?.field === 'tenantId',
      );
      await assert.rejects(
        t.org.tenants.create(systemContext(), { tenantId: '1200', ...tenantInput({ hosts: [] }) }),
        (e) => e instanceof DomainError && e.fields[0]?.code === 'org.tenant.division_unknown',
      );
    });

    it('refuses a second tenant for the same division', async () => {
      await assert.rejects(
        t.org.tenants.create(systemContext(), { tenantId: BEIJING, ...tenantInput({ hosts: [] }) }),
        (e) => e instanceof DomainError && e.kind === 'conflict' && e.code === 'org.tenant.exists',
      );
    });

    it('refuses a host name another tenant has', async () => {
      const before = (await t.org.tenants.all()).length;
      await assert.rejects(
        t.org.tenants.create(systemContext(), { tenantId: '110101', ...tenantInput({ hosts: [BJ_HOST] }) }),
        (e) => e instanceof DomainError && e.kind === 'conflict' && e.code === 'org.tenant.host_taken',
      );
      assert.equal((await t.org.tenants.all()).length, before, 'nothing created');
    });
  });

  describe('the operators’ API and page for sites', () => {
    it('lists every site and opens a new one over the API', async () => {
      const list = await t.app.inject({ url: '/api/v1/tenants' });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(
        list.json<{ items: Tenant[] }>().items.map((x) => x.tenantId),
        ['110000', '330000'],
      );
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tenants',
        payload: {
          tenantId: '110101',
          ...tenantInput({ name: '东城区人民政府', hosts: ['dc.example.gov.cn'] }),
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal((await siteOf('dc.example.gov.cn')).name, '东城区人民政府');
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tenants',
        payload: { tenantId: '110101', ...tenantInput({ hosts: [] }) },
      });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'org.tenant.exists');
    });

    it('opens a site from the workbench form, and shows a bad division beside its field', async () => {
      const form = await t.app.inject({ url: '/workbench/sites' });
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /dc\.example\.gov\.cn/);
      const cookie = form.cookies.find((c) => c.name === 'yw_csrf')!;
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const post = (fields: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/workbench/sites',
          cookies: { yw_csrf: cookie.value },
          payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
      const bad = await post({ tenantId: '999999', name: '无此区划' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="field-tenantId"[^>]*aria-invalid="true"/);
      const good = await post({ tenantId: '110100', name: '市辖区测试站', hosts: 'sxq.example.gov.cn' });
      assert.equal(good.statusCode, 303);
      assert.equal(good.headers.location, '/workbench/sites?saved=1');
      assert.equal((await siteOf('sxq.example.gov.cn')).tenantId, '110100');
    });
  });
});
