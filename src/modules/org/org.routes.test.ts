import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemContext } from '../../kernel/audit/index.ts';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff, type StaffLogin } from '../../../test/support/staff.ts';
import type { Problem } from '../../kernel/http/problem.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { DEPARTMENT_TYPES } from './department-types.ts';
import { countDepartments, type Department } from './department.store.ts';
import { importDivisions } from './division-import.ts';
import { countDivisions, type Division } from './division.store.ts';
import type { Tenant } from './tenant.store.ts';

const TENANT = '330000';

interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Checks the RFC 9457 shape every error leaves the API with, and returns the problem. */
function problem(res: LightMyRequestResponse, status: number, code?: string): Problem {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const p = res.json<Problem>();
  for (const k of ['type', 'title', 'detail', 'code'] as const) {
    assert.equal(typeof p[k], 'string', `${k} in ${res.body}`);
    assert.ok(p[k].length > 0, `${k} is empty in ${res.body}`);
  }
  assert.equal(p.status, status);
  assert.equal(p.type, `urn:yiwang:problem:${p.code}`);
  if (code) assert.equal(p.code, code, res.body);
  return p;
}

/** A 400 problem naming `field` (with the given error code, when given) among its errors. */
function fieldProblem(res: LightMyRequestResponse, field: string, code?: string, status = 400): Problem {
  const p = problem(res, status);
  const e = p.errors?.find((x) => x.field === field);
  assert.ok(e, `no error for field ${field} in ${res.body}`);
  if (code) assert.equal(e.code, code, res.body);
  assert.ok(e.message.length > 0);
  return p;
}

describe('org API', () => {
  let t: TestApp;
  /** A system administrator of the demo site's province: every org write of the site is theirs. */
  let admin: StaffLogin;
  before(async () => {
    t = await createTestApp();
    admin = await signInStaff(t, { roles: ['system_admin'], divisionCode: TENANT });
  });
  after(() => t.drop());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
  /** A write as the province's system administrator, or as whoever's session cookie is given. */
  const send = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    payload?: object,
    cookie = admin.cookie,
  ) => t.app.inject({ method, url, payload, headers: cookie ? { cookie } : {} });

  /** Rows that a failed request must leave as they were. */
  async function snapshot() {
    const hosts = await t.db.kysely
      .selectFrom('org.tenant_host')
      .select(['host', 'tenant_id'])
      .orderBy('host')
      .execute();
    const departments = await t.db.kysely
      .selectFrom('org.department')
      .select(['id', 'name', 'division_code', 'type', 'parent_id', 'active', 'phone'])
      .orderBy('id')
      .execute();
    return {
      divisions: await countDivisions(t.db.kysely),
      departments: await countDepartments(t.db.kysely, TENANT),
      departmentRows: departments,
      hosts,
      site: (await t.db.kysely
        .selectFrom('org.tenant')
        .selectAll()
        .where('tenant_id', '=', TENANT)
        .executeTakeFirst())!,
    };
  }
  /** Runs a request that must fail, and checks it wrote nothing. */
  async function failsCleanly(
    request: () => Promise<LightMyRequestResponse>,
  ): Promise<LightMyRequestResponse> {
    const before = await snapshot();
    const res = await request();
    assert.ok(res.statusCode >= 400, `expected a failure, got ${res.statusCode} ${res.body}`);
    assert.deepEqual(await snapshot(), before, 'nothing half-written');
    return res;
  }

  let seq = 0;
  /** A new department in this tenant (a fresh name each time). */
  async function department(fields: Partial<Record<keyof Department, unknown>> = {}): Promise<Department> {
    const res = await send('POST', '/api/v1/departments', {
      divisionCode: '330106',
      name: `测试部门${++seq}`,
      type: 'other',
      ...fields,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<Department>();
  }
  let township = 900;
  /** A new township under 西湖区 (330106). */
  async function newTownship(name = '测试街道'): Promise<Division> {
    const res = await send('POST', '/api/v1/divisions', { code: `330106${++township}`, name });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<Division>();
  }

  describe('GET /api/v1/divisions', () => {
    it('lists the provinces without a query', async () => {
      const res = await get('/api/v1/divisions');
      assert.equal(res.statusCode, 200);
      const page = res.json<Page<Division>>();
      assert.equal(page.limit, 50);
      assert.equal(page.offset, 0);
      assert.equal(page.total, 31);
      assert.equal(page.items.length, 31);
      assert.ok(page.items.every((d) => d.level === 'province' && d.parentCode === '000000'));
      const zj = page.items.find((d) => d.code === '330000');
      assert.equal(zj?.name, '浙江省');
      assert.equal(zj?.childCount, 1);
      assert.ok(page.items.some((d) => d.code === '110000' && d.name === '北京市'));
      assert.ok(!page.items.some((d) => d.code === '000000'));
    });

    it('searches by part of the name, shortest names first', async () => {
      const res = await get(`/api/v1/divisions?q=${encodeURIComponent('西湖')}`);
      assert.equal(res.statusCode, 200);
      const page = res.json<Page<Division>>();
      assert.ok(page.total >= 1);
      assert.equal(page.items[0]?.code, '330106');
      assert.equal(page.items[0]?.name, '西湖区');
      assert.ok(page.items.every((d) => d.name.includes('西湖')));
    });

    it('searches by code prefix', async () => {
      const page = (await get('/api/v1/divisions?q=3301&limit=500')).json<Page<Division>>();
      const codes = page.items.map((d) => d.code);
      assert.ok(
        codes.every((c) => c.startsWith('3301')),
        codes.join(),
      );
      for (const c of ['330100', '330102', '330106', '330102001', '330102001051'])
        assert.ok(codes.includes(c), c);
      assert.equal(page.total, page.items.length);
      const counties = (await get('/api/v1/divisions?q=3301&level=county')).json<Page<Division>>();
      assert.deepEqual(counties.items.map((d) => d.code).sort(), ['330102', '330106']);
    });

    it('pages search results', async () => {
      const all = (await get('/api/v1/divisions?q=3301&limit=500')).json<Page<Division>>();
      const page = (await get('/api/v1/divisions?q=3301&limit=2&offset=2')).json<Page<Division>>();
      assert.equal(page.total, all.total);
      assert.deepEqual(
        page.items.map((d) => d.code),
        all.items.slice(2, 4).map((d) => d.code),
      );
    });

    it('treats LIKE wildcards in the query as text', async () => {
      for (const q of ['%', '_', '西%']) {
        const page = (await get(`/api/v1/divisions?q=${encodeURIComponent(q)}`)).json<Page<Division>>();
        assert.equal(page.total, 0, q);
        assert.deepEqual(page.items, []);
      }
    });

    it('refuses a query over 50 characters and a bad limit, naming the field', async () => {
      fieldProblem(await get(`/api/v1/divisions?q=${'a'.repeat(51)}`), 'q');
      fieldProblem(await get('/api/v1/divisions?limit=0'), 'limit');
      fieldProblem(await get('/api/v1/divisions?limit=501'), 'limit');
      fieldProblem(await get('/api/v1/divisions?offset=-1'), 'offset');
      fieldProblem(await get('/api/v1/divisions?q=3301&level=planet'), 'level');
    });
  });

  describe('GET /api/v1/divisions/:code and below', () => {
    it('returns one division', async () => {
      const res = await get('/api/v1/divisions/330106');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        code: '330106',
        name: '西湖区',
        level: 'county',
        parentCode: '330100',
        isAdministrative: true,
        active: true,
      });
    });

    it('lists children with their child counts, paged with limit and offset', async () => {
      const all = (await get('/api/v1/divisions/330100/children')).json<Page<Division>>();
      assert.equal(all.total, 2);
      assert.deepEqual(
        all.items.map((d) => [d.code, d.childCount]),
        [
          ['330102', 2],
          ['330106', 2],
        ],
      );
      const second = (await get('/api/v1/divisions/330100/children?limit=1&offset=1')).json<Page<Division>>();
      assert.deepEqual(
        { ...second, items: second.items.map((d) => d.code) },
        { items: ['330106'], total: 2, limit: 1, offset: 1 },
      );
      const past = (await get('/api/v1/divisions/330100/children?limit=1&offset=5')).json<Page<Division>>();
      assert.deepEqual(past.items, []);
      assert.equal(past.total, 2, 'the total is known past the last page too');
      const leaf = (await get('/api/v1/divisions/330102001051/children')).json<Page<Division>>();
      assert.deepEqual([leaf.items, leaf.total], [[], 0]);
    });

    it('gives the path from the province down, without the national root', async () => {
      const res = await get('/api/v1/divisions/330102001/path');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(
        res.json<{ items: Division[] }>().items.map((d) => [d.code, d.name]),
        [
          ['330000', '浙江省'],
          ['330100', '杭州市'],
          ['330102', '上城区'],
          ['330102001', '清波街道'],
        ],
      );
      const province = (await get('/api/v1/divisions/330000/path')).json<{ items: Division[] }>();
      assert.deepEqual(
        province.items.map((d) => d.code),
        ['330000'],
      );
    });

    it('answers 404 problem+json for an unknown code, in the caller’s language', async () => {
      const zh = problem(await get('/api/v1/divisions/339999'), 404, 'org.division.not_found');
      assert.equal(zh.detail, translator('zh-CN')('org.division.not_found', { code: '339999' }));
      assert.equal(zh.title, translator('zh-CN')('errors.kind.not_found'));
      assert.equal(zh.instance, '/api/v1/divisions/339999');
      const en = problem(
        await get('/api/v1/divisions/339999', { 'accept-language': 'en-US,en;q=0.9' }),
        404,
        'org.division.not_found',
      );
      assert.equal(en.detail, 'There is no division with code 339999.');
      assert.equal(en.title, 'Not found');
      const lang = problem(await get('/api/v1/divisions/339999?lang=en'), 404);
      assert.equal(lang.detail, 'There is no division with code 339999.');
      for (const url of ['/api/v1/divisions/339999/children', '/api/v1/divisions/339999/path']) {
        problem(await get(url), 404, 'org.division.not_found');
      }
    });

    it('answers 400 naming the code for a malformed code', async () => {
      const cases: [string, string][] = [
        ['33010', 'org.division.code_length'],
        ['abc', 'org.division.code_not_digits'],
        ['330102000', 'org.division.code_zero_part'],
      ];
      for (const [code, reason] of cases) {
        for (const suffix of ['', '/children', '/path']) {
          const p = fieldProblem(await get(`/api/v1/divisions/${code}${suffix}`), 'code', reason);
          assert.equal(p.code, 'errors.invalid_input');
        }
      }
      const en = fieldProblem(await get('/api/v1/divisions/33010?lang=en'), 'code');
      assert.equal(en.errors?.[0]?.message, 'A division code has 6, 9 or 12 digits.');
    });

    it('answers 404 problem+json for an unknown API path', async () => {
      problem(await get('/api/v1/no-such-thing'), 404, 'errors.not_found');
    });
  });

  describe('POST /api/v1/divisions', () => {
    it('creates a township under its county, deriving level and parent', async () => {
      const before = (await get('/api/v1/divisions/330106/children')).json<Page<Division>>().total;
      const res = await send('POST', '/api/v1/divisions', { code: '330106899', name: '  新设街道 ' });
      assert.equal(res.statusCode, 201, res.body);
      const created = {
        code: '330106899',
        name: '新设街道',
        level: 'township',
        parentCode: '330106',
        isAdministrative: true,
        active: true,
      };
      assert.deepEqual(res.json(), created);
      assert.deepEqual((await get('/api/v1/divisions/330106899')).json(), created);
      assert.equal((await get('/api/v1/divisions/330106/children')).json<Page<Division>>().total, before + 1);
    });

    it('accepts a matching parentCode', async () => {
      const res = await send('POST', '/api/v1/divisions', {
        code: '330106898',
        name: '又一街道',
        parentCode: '330106',
      });
      assert.equal(res.statusCode, 201, res.body);
    });

    it('refuses a code of the wrong length', async () => {
      for (const code of ['3301069', '33010601', '3301060011']) {
        const res = await failsCleanly(() => send('POST', '/api/v1/divisions', { code, name: '错' }));
        fieldProblem(res, 'code', 'org.division.code_length');
      }
    });

    it('refuses a code whose parent does not exist', async () => {
      // Neither county 340102 nor city 340100 exists (only the province 340000 does).
      const res = await failsCleanly(() =>
        send('POST', '/api/v1/divisions', { code: '340102001', name: '无上级' }),
      );
      fieldProblem(res, 'code', 'org.division.parent_missing');
      const village = await failsCleanly(() =>
        send('POST', '/api/v1/divisions', { code: '330106777001', name: '无上级村' }),
      );
      fieldProblem(village, 'code', 'org.division.parent_missing');
    });

    it('refuses a parentCode at the wrong level', async () => {
      for (const parentCode of ['330100', '330000', '330102']) {
        const res = await failsCleanly(() =>
          send('POST', '/api/v1/divisions', { code: '330106897', name: '层级不符', parentCode }),
        );
        fieldProblem(res, 'parentCode', 'org.division.parent_mismatch');
      }
    });

    it('refuses a malformed code, an empty name, a missing or unknown field', async () => {
      fieldProblem(
        await failsCleanly(() => send('POST', '/api/v1/divisions', { code: 'abcdef', name: '字母' })),
        'code',
        'org.division.code_not_digits',
      );
      fieldProblem(
        await failsCleanly(() => send('POST', '/api/v1/divisions', { code: '330106896', name: '   ' })),
        'name',
        'org.division.name_length',
      );
      fieldProblem(
        await failsCleanly(() => send('POST', '/api/v1/divisions', { code: '330106896' })),
        'name',
        'errors.field_required',
      );
      fieldProblem(
        await failsCleanly(() =>
          send('POST', '/api/v1/divisions', { code: '330106896', name: '多', level: 'x' }),
        ),
        'level',
        'errors.field_unknown',
      );
    });

    it('answers 409 for an existing code', async () => {
      const res = await failsCleanly(() =>
        send('POST', '/api/v1/divisions', { code: '330106', name: '西湖区' }),
      );
      const p = fieldProblem(res, 'code', 'org.division.exists', 409);
      assert.equal(p.code, 'org.division.exists');
      const en = problem(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/divisions?lang=en',
          headers: { cookie: admin.cookie },
          payload: { code: '330106', name: '西湖区' },
        }),
        409,
      );
      assert.equal(en.detail, 'Division 330106 exists already.');
      // The national root exists too.
      fieldProblem(
        await failsCleanly(() => send('POST', '/api/v1/divisions', { code: '000000', name: '全国' })),
        'code',
        'org.division.exists',
        409,
      );
    });

    it('refuses a township whose own county does not exist, even if the city does', async () => {
      const res = await send('POST', '/api/v1/divisions', { code: '330107001', name: '错挂街道' });
      fieldProblem(res, 'code', 'org.division.parent_missing');
    });

    it('refuses a township under the national root (000000001)', async () => {
      const res = await send('POST', '/api/v1/divisions', { code: '000000001', name: '全国街道' });
      fieldProblem(res, 'code');
    });
  });

  describe('PATCH /api/v1/divisions/:code', () => {
    it('renames and deactivates a division', async () => {
      const d = await newTownship('改名前');
      const renamed = await send('PATCH', `/api/v1/divisions/${d.code}`, { name: '改名后' });
      assert.equal(renamed.statusCode, 200, renamed.body);
      assert.equal(renamed.json<Division>().name, '改名后');
      const off = await send('PATCH', `/api/v1/divisions/${d.code}`, { active: false });
      assert.equal(off.json<Division>().active, false);
      assert.equal((await get(`/api/v1/divisions/${d.code}`)).json<Division>().active, false);
    });

    it('refuses to change the national root', async () => {
      // Above a province's jurisdiction it reads as any division outside it; the national operator's
      // attempt (403 org.division.root_fixed) is in 'org API on an empty database'.
      problem(
        await failsCleanly(() => send('PATCH', '/api/v1/divisions/000000', { name: '别' })),
        404,
        'org.division.not_found',
      );
    });

    it('refuses an empty name', async () => {
      fieldProblem(
        await failsCleanly(() => send('PATCH', '/api/v1/divisions/330106', { name: ' ' })),
        'name',
      );
    });
  });

  describe('departments', () => {
    it('lists the active departments of the site, by division and type', async () => {
      const all = (await get('/api/v1/departments?limit=500')).json<Page<Department>>();
      assert.equal(all.total, all.items.length);
      assert.ok(all.total >= 20);
      assert.ok(all.items.every((d) => d.active && d.divisionCode.startsWith('33')));
      const city = (await get('/api/v1/departments?division=330100')).json<Page<Department>>();
      assert.ok(city.total > 0);
      assert.ok(city.items.every((d) => d.divisionCode === '330100'));
      const below = (await get('/api/v1/departments?division=330100&below=true&limit=500')).json<
        Page<Department>
      >();
      assert.ok(below.items.every((d) => d.divisionCode.startsWith('3301')));
      assert.ok(below.items.some((d) => d.divisionCode === '330102001'));
      assert.ok(below.total > city.total);
      const civil = (await get('/api/v1/departments?type=civil_affairs')).json<Page<Department>>();
      assert.ok(civil.total >= 1);
      assert.ok(civil.items.every((d) => d.type === 'civil_affairs'));
      fieldProblem(await get('/api/v1/departments?type=spaceship'), 'type');
      fieldProblem(await get('/api/v1/departments?division=3301'), 'division');
    });

    it('lists the department types with their names in the caller’s language', async () => {
      const zh = (await get('/api/v1/department-types')).json<{ items: { key: string; name: string }[] }>();
      assert.deepEqual(
        zh.items.map((i) => i.key),
        [...DEPARTMENT_TYPES],
      );
      assert.equal(
        zh.items.find((i) => i.key === 'finance')?.name,
        translator('zh-CN')('org.department_type.finance'),
      );
      const en = (await get('/api/v1/department-types?lang=en')).json<{
        items: { key: string; name: string }[];
      }>();
      assert.equal(en.items.find((i) => i.key === 'finance')?.name, 'Finance');
    });

    it('creates a department (201), normalising its fields, and gets it back', async () => {
      const before = await countDepartments(t.db.kysely, TENANT);
      const res = await send('POST', '/api/v1/departments', {
        divisionCode: '330106',
        name: '  西湖区统计局 ',
        shortName: '区统计局',
        type: 'statistics',
        creditCode: '11330106mb1234567x',
        phone: '0571-87654321',
        email: 'tj@example.gov.cn',
        address: '杭州市西湖区某路1号',
      });
      assert.equal(res.statusCode, 201, res.body);
      const d = res.json<Department>();
      assert.equal(typeof d.id, 'number');
      assert.deepEqual(d, {
        id: d.id,
        divisionCode: '330106',
        name: '西湖区统计局',
        shortName: '区统计局',
        type: 'statistics',
        parentId: null,
        creditCode: '11330106MB1234567X',
        phone: '0571-87654321',
        email: 'tj@example.gov.cn',
        address: '杭州市西湖区某路1号',
        active: true,
      });
      const got = await get(`/api/v1/departments/${d.id}`);
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.json(), d);
      assert.equal(await countDepartments(t.db.kysely, TENANT), before + 1);
    });

    it('creates a department under a parent in a division above', async () => {
      const parent = await department({ divisionCode: '330100' });
      const child = await department({ divisionCode: '330106', parentId: parent.id });
      assert.equal(child.parentId, parent.id);
    });

    it('answers 404 for an unknown department and 400 for a malformed id', async () => {
      problem(await get('/api/v1/departments/999999'), 404, 'org.department.not_found');
      fieldProblem(await get('/api/v1/departments/abc'), 'id');
      fieldProblem(await get('/api/v1/departments/0'), 'id');
    });

    it('answers 409 naming the name for a duplicate name in one division', async () => {
      const d = await department();
      const res = await failsCleanly(() =>
        send('POST', '/api/v1/departments', { divisionCode: '330106', name: ` ${d.name} `, type: 'finance' }),
      );
      const p = problem(res, 409, 'org.department.name_taken');
      assert.equal(p.errors?.[0]?.field, 'name');
      assert.equal(p.errors?.[0]?.code, 'org.department.name_taken');
      // The same name in another division is fine.
      await department({ name: d.name, divisionCode: '330102' });
    });

    it('refuses a division outside the site’s region, or unknown', async () => {
      fieldProblem(
        await failsCleanly(() =>
          send('POST', '/api/v1/departments', { divisionCode: '110000', name: '北京某局', type: 'other' }),
        ),
        'divisionCode',
        'org.department.division_outside',
      );
      fieldProblem(
        await failsCleanly(() =>
          send('POST', '/api/v1/departments', { divisionCode: '339999', name: '某局', type: 'other' }),
        ),
        'divisionCode',
        'org.department.division_unknown',
      );
      fieldProblem(
        await failsCleanly(() =>
          send('POST', '/api/v1/departments', { divisionCode: '3301', name: '某局', type: 'other' }),
        ),
        'divisionCode',
        'org.department.division_unknown',
      );
    });

    it('refuses an unknown type', async () => {
      fieldProblem(
        await failsCleanly(() =>
          send('POST', '/api/v1/departments', { divisionCode: '330106', name: '某局', type: 'spaceship' }),
        ),
        'type',
        'org.department.type_unknown',
      );
    });

    it('reports every bad field at once', async () => {
      const res = await failsCleanly(() =>
        send('POST', '/api/v1/departments', {
          divisionCode: '330106',
          name: '',
          type: 'nope',
          creditCode: 'short',
          email: 'not-an-email',
          phone: 'call me',
          shortName: '长'.repeat(31),
        }),
      );
      const p = problem(res, 400, 'errors.invalid_input');
      assert.deepEqual(
        p.errors?.map((e) => [e.field, e.code]),
        [
          ['name', 'org.department.name_length'],
          ['shortName', 'org.department.short_name_length'],
          ['type', 'org.department.type_unknown'],
          ['creditCode', 'org.department.credit_code_format'],
          ['email', 'errors.email_format'],
          ['phone', 'errors.phone_format'],
        ],
      );
    });

    it('refuses an unknown parent, or a parent in a division not above', async () => {
      fieldProblem(
        await failsCleanly(() =>
          send('POST', '/api/v1/departments', {
            divisionCode: '330106',
            name: '某局',
            type: 'other',
            parentId: 999999,
          }),
        ),
        'parentId',
        'org.department.parent_unknown',
      );
      const sibling = await department({ divisionCode: '330102' });
      fieldProblem(
        await failsCleanly(() =>
          send('POST', '/api/v1/departments', {
            divisionCode: '330106',
            name: '某局',
            type: 'other',
            parentId: sibling.id,
          }),
        ),
        'parentId',
        'org.department.parent_outside',
      );
    });

    it('refuses unknown fields and missing required ones', async () => {
      fieldProblem(
        await failsCleanly(() =>
          send('POST', '/api/v1/departments', { divisionCode: '330106', name: '某局', type: 'other', id: 5 }),
        ),
        'id',
        'errors.field_unknown',
      );
      fieldProblem(
        await failsCleanly(() =>
          send('POST', '/api/v1/departments', { divisionCode: '330106', type: 'other' }),
        ),
        'name',
        'errors.field_required',
      );
    });

    it('deactivates and reactivates, never deleting', async () => {
      const d = await department();
      const before = await countDepartments(t.db.kysely, TENANT);
      const off = await send('POST', `/api/v1/departments/${d.id}/deactivate`);
      assert.equal(off.statusCode, 200, off.body);
      assert.deepEqual(off.json(), { ...d, active: false });
      const got = await get(`/api/v1/departments/${d.id}`);
      assert.equal(got.statusCode, 200);
      assert.equal(got.json<Department>().active, false);
      assert.equal(await countDepartments(t.db.kysely, TENANT), before);
      const listed = (await get('/api/v1/departments?division=330106&limit=500')).json<Page<Department>>();
      assert.ok(!listed.items.some((x) => x.id === d.id), 'inactive departments are not listed by default');
      const withInactive = (
        await get('/api/v1/departments?division=330106&includeInactive=true&limit=500')
      ).json<Page<Department>>();
      assert.ok(withInactive.items.some((x) => x.id === d.id));
      // Deactivating twice is harmless.
      assert.equal((await send('POST', `/api/v1/departments/${d.id}/deactivate`)).statusCode, 200);
      const on = await send('POST', `/api/v1/departments/${d.id}/reactivate`);
      assert.equal(on.statusCode, 200);
      assert.deepEqual(on.json(), d);
      problem(await send('POST', '/api/v1/departments/999999/deactivate'), 404, 'org.department.not_found');
    });

    it('updates a department with PUT', async () => {
      const d = await department();
      const res = await send('PUT', `/api/v1/departments/${d.id}`, {
        divisionCode: '330106',
        name: `${d.name}（改）`,
        type: 'finance',
        phone: '0571-11112222',
      });
      assert.equal(res.statusCode, 200, res.body);
      const updated = { ...d, name: `${d.name}（改）`, type: 'finance', phone: '0571-11112222' };
      assert.deepEqual(res.json(), updated);
      assert.deepEqual((await get(`/api/v1/departments/${d.id}`)).json(), updated);
      // Keeping its own name is not a conflict.
      const again = await send('PUT', `/api/v1/departments/${d.id}`, {
        divisionCode: '330106',
        name: updated.name,
        type: 'finance',
      });
      assert.equal(again.statusCode, 200, again.body);
    });

    it('refuses a PUT that takes another department’s name, and leaves the department as it was', async () => {
      const a = await department();
      const b = await department();
      const res = await failsCleanly(() =>
        send('PUT', `/api/v1/departments/${b.id}`, { divisionCode: '330106', name: a.name, type: 'other' }),
      );
      assert.equal(problem(res, 409, 'org.department.name_taken').errors?.[0]?.field, 'name');
      assert.deepEqual((await get(`/api/v1/departments/${b.id}`)).json(), b);
      problem(
        await send('PUT', '/api/v1/departments/999999', {
          divisionCode: '330106',
          name: '无',
          type: 'other',
        }),
        404,
        'org.department.not_found',
      );
    });

    it('refuses a department as its own parent', async () => {
      const d = await department();
      fieldProblem(
        await failsCleanly(() =>
          send('PUT', `/api/v1/departments/${d.id}`, {
            divisionCode: '330106',
            name: d.name,
            type: 'other',
            parentId: d.id,
          }),
        ),
        'parentId',
        'org.department.parent_cycle',
      );
    });

    it('refuses a parent that is the department’s own descendant (a cycle)', async () => {
      const a = await department();
      const b = await department({ parentId: a.id });
      const res = await send('PUT', `/api/v1/departments/${a.id}`, {
        divisionCode: '330106',
        name: a.name,
        type: 'other',
        parentId: b.id,
      });
      fieldProblem(res, 'parentId');
    });

    it('refuses to move a parent department below its children’s division', async () => {
      const parent = await department({ divisionCode: '330100' });
      await department({ divisionCode: '330106', parentId: parent.id });
      const res = await send('PUT', `/api/v1/departments/${parent.id}`, {
        divisionCode: '330102',
        name: parent.name,
        type: 'other',
      });
      problem(res, 400);
    });

    it('lets only one of two concurrent creates with one name through', async () => {
      const body = { divisionCode: '330106', name: `并发部门${++seq}`, type: 'other' };
      const before = await countDepartments(t.db.kysely, TENANT);
      const results = await Promise.all([
        send('POST', '/api/v1/departments', body),
        send('POST', '/api/v1/departments', body),
      ]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409]);
      const lost = results.find((r) => r.statusCode === 409)!;
      assert.equal(problem(lost, 409, 'org.department.name_taken').errors?.[0]?.field, 'name');
      assert.equal(await countDepartments(t.db.kysely, TENANT), before + 1);
    });
  });

  describe('the site (tenant) settings', () => {
    const settings = (s: Tenant) => ({
      name: s.name,
      siteIdCode: s.siteIdCode,
      icpNumber: s.icpNumber,
      policeFiling: s.policeFiling,
      sponsor: s.sponsor,
      address: s.address,
      phone: s.phone,
      email: s.email,
      hosts: s.hosts,
    });
    let current: Tenant;
    before(async () => {
      // A second tenant (北京), holding a host name of its own.
      await importDivisions(t.db, [{ code: '110000', name: '北京市' }], { source: 'test' });
      await t.org.tenants.create(systemContext(), {
        tenantId: '110000',
        name: '北京市（测试）',
        siteIdCode: '1100000001',
        icpNumber: '',
        policeFiling: '',
        sponsor: '',
        address: '',
        phone: '',
        email: '',
        hosts: ['bj.example.gov.cn'],
      });
      current = (await get('/api/v1/site')).json<Tenant>();
    });

    it('returns this site’s settings', async () => {
      assert.equal(current.tenantId, TENANT);
      assert.equal(current.siteIdCode, '3300000001');
      assert.deepEqual(current.hosts, ['127.0.0.1', 'localhost']);
      assert.equal('isDefault' in current, false);
    });

    it('refuses a bad siteIdCode, naming it, and keeps the old one', async () => {
      for (const siteIdCode of ['abc', '33000000012', '33000-0001']) {
        const res = await failsCleanly(() =>
          send('PUT', '/api/v1/site', { ...settings(current), siteIdCode }),
        );
        fieldProblem(res, 'siteIdCode', 'org.tenant.site_id_code_format');
      }
      assert.equal((await get('/api/v1/site')).json<Tenant>().siteIdCode, '3300000001');
    });

    it('refuses a bad email, phone, empty name, bad host name and missing fields', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ email: 'nope' }, 'email'],
        [{ phone: 'call me' }, 'phone'],
        [{ name: ' ' }, 'name'],
        [{ hosts: ['bad host!'] }, 'hosts'],
        [{ hosts: ['a_b.example.cn'] }, 'hosts'],
      ];
      for (const [patch, field] of cases) {
        fieldProblem(
          await failsCleanly(() => send('PUT', '/api/v1/site', { ...settings(current), ...patch })),
          field,
        );
      }
      const { sponsor: _s, ...missing } = settings(current);
      fieldProblem(
        await failsCleanly(() => send('PUT', '/api/v1/site', missing)),
        'sponsor',
        'errors.field_required',
      );
    });

    it('saves the settings and the host names (lower-cased, without duplicates)', async () => {
      const res = await send('PUT', '/api/v1/site', {
        ...settings(current),
        siteIdCode: 'zj00000002',
        sponsor: '浙江省人民政府办公厅（测试）',
        hosts: ['localhost', '127.0.0.1', 'WWW.ZJ.Example.gov.cn', 'www.zj.example.gov.cn', ' '],
      });
      assert.equal(res.statusCode, 200, res.body);
      const saved = res.json<Tenant>();
      assert.equal(saved.siteIdCode, 'ZJ00000002');
      assert.equal(saved.sponsor, '浙江省人民政府办公厅（测试）');
      assert.deepEqual(saved.hosts, ['127.0.0.1', 'localhost', 'www.zj.example.gov.cn']);
      assert.deepEqual((await get('/api/v1/site')).json(), saved);
      // The new host name now serves this site.
      assert.equal(
        (await get('/api/v1/site', { host: 'www.zj.example.gov.cn' })).json<Tenant>().tenantId,
        TENANT,
      );
      current = saved;
    });

    it('answers 409 for a host name another site has, and keeps the hosts', async () => {
      const res = await failsCleanly(() =>
        send('PUT', '/api/v1/site', { ...settings(current), hosts: [...current.hosts, 'bj.example.gov.cn'] }),
      );
      const p = fieldProblem(res, 'hosts', 'org.tenant.host_taken', 409);
      assert.equal(p.code, 'org.tenant.host_taken');
      assert.deepEqual((await get('/api/v1/site')).json<Tenant>().hosts, current.hosts);
    });
  });

  describe('request bodies', () => {
    it('answers 400 errors.malformed_body for malformed JSON', async () => {
      for (const payload of ['{"name":', '{name: 1}', '']) {
        const res = await failsCleanly(() =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/departments',
            headers: { 'content-type': 'application/json', cookie: admin.cookie },
            payload,
          }),
        );
        problem(res, 400, 'errors.malformed_body');
      }
      const en = problem(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/departments',
          headers: { 'content-type': 'application/json', 'accept-language': 'en', cookie: admin.cookie },
          payload: '{',
        }),
        400,
        'errors.malformed_body',
      );
      assert.equal(en.detail, 'The request body could not be parsed (for example, malformed JSON).');
    });

    it('answers a problem for an unsupported content type', async () => {
      const res = await failsCleanly(() =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/departments',
          headers: { 'content-type': 'application/xml', cookie: admin.cookie },
          payload: '<department/>',
        }),
      );
      assert.equal(res.json<Problem>().code, 'errors.unsupported_media_type');
      problem(res, res.statusCode);
    });
  });

  describe('who may write', () => {
    const zh = translator('zh-CN');
    /** Holds roles without any org permission (workbench.enter and pii.view only). */
    let handler: StaffLogin;
    /** The site's settings and departments, not the sites nor the divisions. */
    let tenantAdmin: StaffLogin;
    /** A system administrator of 上城区 (330102): that district and what lies below it. */
    let district: StaffLogin;
    /** A system administrator of 杭州市 (330100): both districts. */
    let city: StaffLogin;
    let shangcheng: Department;
    let xihu: Department;
    let provincial: Department;
    let siteSettings: Record<string, unknown>;
    before(async () => {
      handler = await signInStaff(t, { roles: ['handler'], divisionCode: TENANT });
      tenantAdmin = await signInStaff(t, { roles: ['tenant_admin'], divisionCode: TENANT });
      district = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330102' });
      city = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330100' });
      shangcheng = await department({ divisionCode: '330102', name: '上城区权限测试局' });
      xihu = await department({ divisionCode: '330106', name: '西湖区权限测试局' });
      provincial = await department({ divisionCode: TENANT, name: '省级权限测试局' });
      const { tenantId: _id, ...rest } = (await get('/api/v1/site')).json<Tenant>();
      siteSettings = rest;
    });

    /** Every write of the org API (and the operators' list of sites), each with a body that is valid. */
    const writes = (): ['GET' | 'POST' | 'PUT' | 'PATCH', string, object?][] => [
      ['POST', '/api/v1/divisions', { code: '330102801', name: '越权街道' }],
      ['PATCH', '/api/v1/divisions/330102', { name: '越权' }],
      ['PUT', '/api/v1/site', { ...siteSettings, name: '越权' }],
      ['POST', '/api/v1/departments', { divisionCode: '330102', name: '越权局', type: 'other' }],
      [
        'PUT',
        `/api/v1/departments/${shangcheng.id}`,
        { divisionCode: '330102', name: '越权局', type: 'other' },
      ],
      ['POST', `/api/v1/departments/${shangcheng.id}/deactivate`],
      ['POST', `/api/v1/departments/${shangcheng.id}/reactivate`],
      ['GET', '/api/v1/tenants'],
      ['POST', '/api/v1/tenants', { tenantId: '330102', ...siteSettings, hosts: [] }],
    ];

    it('answers 401 problem+json to an anonymous caller on every write, writing nothing', async () => {
      for (const [method, url, payload] of writes()) {
        const res = await failsCleanly(() => send(method, url, payload, ''));
        problem(res, 401, 'identity.session.required');
      }
      // Before the body is looked at: a stranger learns nothing from a 400.
      problem(await failsCleanly(() => send('POST', '/api/v1/departments', { id: 'x' }, '')), 401);
      assert.equal((await get('/api/v1/divisions/330102801')).statusCode, 404);
    });

    it('answers 403 to a signed-in handler, who holds no org permission', async () => {
      for (const [method, url, payload] of writes()) {
        const res = await failsCleanly(() => send(method, url, payload, handler.cookie));
        problem(res, 403, 'policy.forbidden');
      }
      problem(await failsCleanly(() => send('POST', '/api/v1/departments', {}, handler.cookie)), 403);
    });

    it('lets a tenant administrator manage the site and its departments, not sites or divisions', async () => {
      for (const [method, url, payload] of writes()) {
        if (!url.startsWith('/api/v1/tenants') && !url.startsWith('/api/v1/divisions')) continue;
        problem(
          await failsCleanly(() => send(method, url, payload, tenantAdmin.cookie)),
          403,
          'policy.forbidden',
        );
      }
      const created = await send(
        'POST',
        '/api/v1/departments',
        { divisionCode: '330106', name: '租户管理员所建局', type: 'other' },
        tenantAdmin.cookie,
      );
      assert.equal(created.statusCode, 201, created.body);
      const saved = await send('PUT', '/api/v1/site', siteSettings, tenantAdmin.cookie);
      assert.equal(saved.statusCode, 200, saved.body);
    });

    it('hides another district’s and the province’s departments from a district administrator (404)', async () => {
      const body = { divisionCode: '330102', name: '被越权修改', type: 'other' };
      const missing = problem(
        await send('PUT', '/api/v1/departments/999999', body, district.cookie),
        404,
        'org.department.not_found',
      );
      for (const d of [xihu, provincial]) {
        const requests: [string, object | undefined][] = [
          [`/api/v1/departments/${d.id}`, { ...body, divisionCode: d.divisionCode }],
          [`/api/v1/departments/${d.id}/deactivate`, undefined],
          [`/api/v1/departments/${d.id}/reactivate`, undefined],
        ];
        for (const [url, payload] of requests) {
          const res = await failsCleanly(() => send(payload ? 'PUT' : 'POST', url, payload, district.cookie));
          const hidden = problem(res, 404, 'org.department.not_found');
          // Exactly what a department that does not exist gets, but for its id.
          assert.equal(hidden.detail, zh('org.department.not_found', { id: d.id }));
          assert.deepEqual({ ...hidden, detail: '', instance: '' }, { ...missing, detail: '', instance: '' });
        }
        assert.deepEqual((await get(`/api/v1/departments/${d.id}`)).json(), d, 'unchanged');
      }
      // Their own district's department, on the other hand:
      const own = await send(
        'PUT',
        `/api/v1/departments/${shangcheng.id}`,
        { divisionCode: '330102', name: shangcheng.name, type: 'other', phone: '0571-80000001' },
        district.cookie,
      );
      assert.equal(own.statusCode, 200, own.body);
      assert.equal(own.json<Department>().phone, '0571-80000001');
    });

    it('refuses a district administrator a department in another district or above, beside divisionCode', async () => {
      for (const divisionCode of ['330106', '330106002', '330100', TENANT]) {
        fieldProblem(
          await failsCleanly(() =>
            send(
              'POST',
              '/api/v1/departments',
              { divisionCode, name: '越界新建局', type: 'other' },
              district.cookie,
            ),
          ),
          'divisionCode',
          'org.department.division_outside_jurisdiction',
        );
      }
      // Nor may they move one of theirs out of their district.
      fieldProblem(
        await failsCleanly(() =>
          send(
            'PUT',
            `/api/v1/departments/${shangcheng.id}`,
            { divisionCode: '330106', name: shangcheng.name, type: 'other' },
            district.cookie,
          ),
        ),
        'divisionCode',
        'org.department.division_outside_jurisdiction',
      );
      for (const divisionCode of ['330102', '330102001']) {
        const res = await send(
          'POST',
          '/api/v1/departments',
          { divisionCode, name: '上城区新建局', type: 'other' },
          district.cookie,
        );
        assert.equal(res.statusCode, 201, res.body);
      }
    });

    it('lets a district administrator change divisions of their district only', async () => {
      for (const code of ['330106', '330106002', '330100', TENANT]) {
        const res = await failsCleanly(() =>
          send('PATCH', `/api/v1/divisions/${code}`, { name: '越权改名' }, district.cookie),
        );
        const p = problem(res, 404, 'org.division.not_found');
        assert.equal(p.detail, zh('org.division.not_found', { code }));
      }
      const renamed = await send(
        'PATCH',
        '/api/v1/divisions/330102003',
        { name: '湖滨街道（改）' },
        district.cookie,
      );
      assert.equal(renamed.statusCode, 200, renamed.body);
      assert.equal((await get('/api/v1/divisions/330102003')).json<Division>().name, '湖滨街道（改）');
      await send('PATCH', '/api/v1/divisions/330102003', { name: '湖滨街道' }, district.cookie);
      fieldProblem(
        await failsCleanly(() =>
          send('POST', '/api/v1/divisions', { code: '330106802', name: '越界街道' }, district.cookie),
        ),
        'parentCode',
        'org.division.parent_outside_jurisdiction',
      );
      const own = await send(
        'POST',
        '/api/v1/divisions',
        { code: '330102802', name: '上城新街道' },
        district.cookie,
      );
      assert.equal(own.statusCode, 201, own.body);
    });

    it('does not let a district administrator change the province’s site settings (404)', async () => {
      problem(
        await failsCleanly(() =>
          send('PUT', '/api/v1/site', { ...siteSettings, name: '越权' }, district.cookie),
        ),
        404,
        'org.tenant.not_found',
      );
    });

    it('lets a city administrator manage the departments of both districts, not the province’s', async () => {
      for (const d of [shangcheng, xihu]) {
        const res = await send(
          'PUT',
          `/api/v1/departments/${d.id}`,
          { divisionCode: d.divisionCode, name: d.name, type: 'other', address: '杭州市某路' },
          city.cookie,
        );
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json<Department>().address, '杭州市某路');
        assert.equal(
          (await send('POST', `/api/v1/departments/${d.id}/deactivate`, undefined, city.cookie)).statusCode,
          200,
        );
        assert.equal(
          (await send('POST', `/api/v1/departments/${d.id}/reactivate`, undefined, city.cookie)).statusCode,
          200,
        );
      }
      for (const divisionCode of ['330100', '330102', '330106', '330106004']) {
        const res = await send(
          'POST',
          '/api/v1/departments',
          { divisionCode, name: '市管理员新建局', type: 'other' },
          city.cookie,
        );
        assert.equal(res.statusCode, 201, res.body);
      }
      problem(
        await failsCleanly(() =>
          send('POST', `/api/v1/departments/${provincial.id}/deactivate`, undefined, city.cookie),
        ),
        404,
        'org.department.not_found',
      );
      fieldProblem(
        await failsCleanly(() =>
          send(
            'POST',
            '/api/v1/departments',
            { divisionCode: TENANT, name: '省级新建局', type: 'other' },
            city.cookie,
          ),
        ),
        'divisionCode',
        'org.department.division_outside_jurisdiction',
      );
    });
  });
});

describe('org API with a small body limit', () => {
  let t: TestApp;
  /**
   * The database holds only the national root (from the migration). A session needs a site, and a site
   * is a division: the only one here is the nation, so the operator signs in on a national site, whose
   * jurisdiction is the whole tree.
   */
  let operator: StaffLogin;
  before(async () => {
    t = await createTestApp({ seed: false, env: { BODY_LIMIT_BYTES: '2048' } });
    await t.org.tenants.create(systemContext(), {
      tenantId: '000000',
      name: '全国（测试运维站点）',
      siteIdCode: '',
      icpNumber: '',
      policeFiling: '',
      sponsor: '',
      address: '',
      phone: '',
      email: '',
      hosts: [],
    });
    operator = await signInStaff(t, { roles: ['system_admin'], tenantId: '000000', divisionCode: '000000' });
  });
  after(() => t.drop());

  const send = (method: 'POST' | 'PATCH', url: string, payload: object, cookie = operator.cookie) =>
    t.app.inject({ method, url, payload, headers: cookie ? { cookie } : {} });

  it('answers 413 problem+json for a body over the limit, before any handler', async () => {
    for (const cookie of [operator.cookie, '']) {
      const res = await send(
        'POST',
        '/api/v1/departments',
        { divisionCode: '000000', name: '大'.repeat(1000), type: 'other', address: 'x'.repeat(2000) },
        cookie,
      );
      problem(res, 413, 'errors.body_too_large');
    }
    const en = problem(
      await send('POST', '/api/v1/divisions?lang=en', { code: '330106901', name: 'x'.repeat(3000) }),
      413,
    );
    assert.equal(en.detail, 'The request body is larger than allowed.');
    assert.equal(
      await countDivisions(t.db.kysely),
      1,
      'nothing written: only the national root the migration holds',
    );
  });

  it('creates a province on an empty database', async () => {
    problem(await send('POST', '/api/v1/divisions', { code: '120000', name: '天津市' }, ''), 401);
    const res = await send('POST', '/api/v1/divisions', { code: '120000', name: '天津市' });
    assert.equal(res.statusCode, 201, res.body);
  });

  it('refuses to change the national root, even for the national operator', async () => {
    problem(await send('PATCH', '/api/v1/divisions/000000', { name: '别' }), 403, 'org.division.root_fixed');
  });

  it('accepts a body under the limit', async () => {
    await importDivisions(t.db, [], { source: 'test' }); // creates the national root
    const res = await send('POST', '/api/v1/divisions', { code: '110000', name: '北京市' });
    assert.equal(res.statusCode, 201, res.body);
  });
});
