import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemContext } from '../../kernel/audit/index.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff, type StaffLogin } from '../../../test/support/staff.ts';
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
  /** The department the Beijing site's administrator works in (北京市人民政府办公厅). */
  let bjOffice: Department;
  let bjDepartment: Department;
  let zjDepartment: Department;
  /** System administrators of each site's whole division, each signed in on their own site. */
  let zjAdmin: StaffLogin;
  let bjAdmin: StaffLogin;

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
    bjOffice = await t.org.departments.create(systemContext(BEIJING), {
      divisionCode: BEIJING,
      name: '北京市人民政府办公厅',
      type: 'general_office',
    });
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
    zjAdmin = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330000' });
    bjAdmin = await signInStaff(t, {
      roles: ['system_admin'],
      tenantId: BEIJING,
      divisionCode: BEIJING,
      host: BJ_HOST,
    });
  });
  after(() => t.drop());

  const get = (url: string, host?: string) => t.app.inject({ url, headers: host ? { host } : {} });
  /** A request as a signed-in member of staff, on the host of their site. */
  const as = (
    who: StaffLogin,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
    host = who === bjAdmin ? BJ_HOST : undefined,
  ) => t.app.inject({ method, url, payload, headers: { cookie: who.cookie, ...(host ? { host } : {}) } });
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
        bj.items.map((d) => d.id).sort((a, b) => a - b),
        [bjOffice.id, bjDepartment.id],
      );
      assert.equal(bj.total, 2);
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
      // Beijing's administrator, on Beijing's site: Zhejiang's department is not there.
      const off = await as(bjAdmin, 'POST', `/api/v1/departments/${zjDepartment.id}/deactivate`);
      assert.equal(off.statusCode, 404, off.body);
      const put = await as(bjAdmin, 'PUT', `/api/v1/departments/${zjDepartment.id}`, {
        divisionCode: '110101',
        name: '被改',
        type: 'other',
      });
      assert.equal(put.statusCode, 404, put.body);
      assert.deepEqual(await t.org.departments.get('330000', zjDepartment.id), zjDepartment);
    });

    it('creates departments only within the tenant’s own region', async () => {
      const outside = await as(bjAdmin, 'POST', '/api/v1/departments', {
        divisionCode: '330106',
        name: '越界局',
        type: 'other',
      });
      assert.equal(outside.statusCode, 400);
      assert.equal(
        outside.json<{ errors: { field: string; code: string }[] }>().errors[0]?.code,
        'org.department.division_outside',
      );
      // The same name as a Zhejiang department is fine in another tenant.
      const inside = await as(bjAdmin, 'POST', '/api/v1/departments', {
        divisionCode: '110101',
        name: zjDepartment.name,
        type: 'other',
      });
      assert.equal(inside.statusCode, 201, inside.body);
      assert.equal(inside.json<Department>().divisionCode, '110101');
    });

    it('changes only the requesting tenant’s site settings', async () => {
      const res = await as(
        bjAdmin,
        'PUT',
        '/api/v1/site',
        tenantInput({ sponsor: '北京市政务服务管理局（测试）' }),
      );
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
        as(zjAdmin, 'PUT', '/api/v1/site', { ...zjSettings, hosts: [...zj.hosts, 'race.example.gov.cn'] }),
        as(
          bjAdmin,
          'PUT',
          '/api/v1/site',
          tenantInput({ hosts: [BJ_HOST, 'www.beijing.example.gov.cn', 'race.example.gov.cn'] }),
        ),
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
    const sitesOf = async (who: StaffLogin) => {
      const res = await as(who, 'GET', '/api/v1/tenants');
      assert.equal(res.statusCode, 200, res.body);
      return res
        .json<{ items: Tenant[] }>()
        .items.map((x) => x.tenantId)
        .sort();
    };

    it('lists the sites of the operator’s jurisdiction and opens a new one there over the API', async () => {
      assert.deepEqual(await sitesOf(bjAdmin), ['110000']);
      assert.deepEqual(await sitesOf(zjAdmin), ['330000']);
      const created = await as(bjAdmin, 'POST', '/api/v1/tenants', {
        tenantId: '110101',
        ...tenantInput({ name: '东城区人民政府', hosts: ['dc.example.gov.cn'] }),
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal((await siteOf('dc.example.gov.cn')).name, '东城区人民政府');
      assert.deepEqual(await sitesOf(bjAdmin), ['110000', '110101']);
      const again = await as(bjAdmin, 'POST', '/api/v1/tenants', {
        tenantId: '110101',
        ...tenantInput({ hosts: [] }),
      });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'org.tenant.exists');
    });

    it('opens no site outside the operator’s jurisdiction: it reads as an unknown division', async () => {
      const before = (await t.org.tenants.all()).length;
      for (const tenantId of ['110100', '110101', '999999']) {
        const res = await as(zjAdmin, 'POST', '/api/v1/tenants', { tenantId, ...tenantInput({ hosts: [] }) });
        assert.equal(res.statusCode, 400, res.body);
        const [error] = res.json<{ errors: { field: string; code: string }[] }>().errors;
        assert.deepEqual([error?.field, error?.code], ['tenantId', 'org.tenant.division_unknown']);
      }
      assert.equal((await t.org.tenants.all()).length, before, 'nothing created');
    });

    it('lists only the sites within the actor’s jurisdiction', async () => {
      const opened = await as(zjAdmin, 'POST', '/api/v1/tenants', {
        tenantId: '330102',
        ...tenantInput({ name: '上城区人民政府（测试）', siteIdCode: '', hosts: ['sc.example.gov.cn'] }),
      });
      assert.equal(opened.statusCode, 201, opened.body);
      const district = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330102' });
      const otherDistrict = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330106' });
      assert.deepEqual(await sitesOf(zjAdmin), ['330000', '330102']);
      assert.deepEqual(await sitesOf(district), ['330102'], 'not the province’s site above them');
      assert.deepEqual(await sitesOf(otherDistrict), []);
      assert.deepEqual(await sitesOf(bjAdmin), ['110000', '110101']);
    });

    it('refuses the sites to anyone without org.sites.manage', async () => {
      const tenantAdmin = await signInStaff(t, { roles: ['tenant_admin'], divisionCode: '330000' });
      const handler = await signInStaff(t, { roles: ['handler'], divisionCode: '330000' });
      const before = (await t.org.tenants.all()).length;
      const body = { tenantId: '330106', ...tenantInput({ hosts: [] }) };
      for (const [cookie, status] of [
        ['', 401],
        [tenantAdmin.cookie, 403],
        [handler.cookie, 403],
      ] as const) {
        const headers = cookie ? { cookie } : {};
        const list = await t.app.inject({ url: '/api/v1/tenants', headers });
        assert.equal(list.statusCode, status, list.body);
        const open = await t.app.inject({ method: 'POST', url: '/api/v1/tenants', headers, payload: body });
        assert.equal(open.statusCode, status, open.body);
        const page = await t.app.inject({
          url: '/workbench/sites',
          headers: { ...headers, accept: 'text/html' },
        });
        assert.equal(page.statusCode, status === 401 ? 303 : 403);
      }
      assert.equal((await t.org.tenants.all()).length, before, 'nothing created');
    });

    it('opens a site from the workbench form, and shows a bad division beside its field', async () => {
      const form = await as(bjAdmin, 'GET', '/workbench/sites');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /dc\.example\.gov\.cn/);
      assert.doesNotMatch(form.body, /<code>330000<\/code>/, 'only the sites of the jurisdiction');
      const cookie = form.cookies.find((c) => c.name === 'yw_csrf')!;
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const post = (fields: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/workbench/sites',
          payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
          headers: {
            host: BJ_HOST,
            cookie: `${bjAdmin.cookie}; yw_csrf=${cookie.value}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
        });
      const bad = await post({ tenantId: '999999', name: '无此区划' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="field-tenantId"[^>]*aria-invalid="true"/);
      const outside = await post({ tenantId: '330106', name: '越界站点' });
      assert.equal(outside.statusCode, 400);
      assert.match(outside.body, /id="field-tenantId"[^>]*aria-invalid="true"/);
      const good = await post({ tenantId: '110100', name: '市辖区测试站', hosts: 'sxq.example.gov.cn' });
      assert.equal(good.statusCode, 303);
      assert.equal(good.headers.location, '/workbench/sites?saved=1');
      assert.equal((await siteOf('sxq.example.gov.cn')).tenantId, '110100');
    });
  });
});
