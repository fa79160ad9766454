import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff, signIn } from '../../../test/support/staff.ts';
import { DEMO_STAFF } from '../../app.ts';
import type { ItemInput } from './catalogue.ts';

/** A complete guide for 西湖区民政局 (publishable as it is). */
const item = (departmentId: number, over: Partial<ItemInput> = {}): ItemInput => ({
  code: 'TEST330106MZ0001',
  name: '困难残疾人生活补贴申领',
  kind: 'payment',
  departmentId,
  audience: 'person',
  onlineDepth: 2,
  statutoryDays: 20,
  promisedDays: 10,
  legalBasis: '《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》',
  conditions: '具有本区户籍、持有第二代残疾人证的低保家庭残疾人',
  process: '申请\n受理\n审核\n审批\n发放',
  materials: [
    {
      key: 'id_card',
      name: '居民身份证',
      form: 'original',
      copies: 1,
      required: true,
      condition: '',
      heldBy: '公安部门人口信息',
      isApplicationForm: false,
      note: '',
    },
    {
      key: 'agent',
      name: '委托书',
      form: 'original',
      copies: 1,
      required: false,
      condition: '委托他人代办的',
      heldBy: '',
      isApplicationForm: false,
      note: '',
    },
  ],
  fees: [],
  place: '杭州市西湖区行政服务中心',
  hours: '工作日 9:00-12:00，13:30-17:00',
  consultPhone: '0571-80000000',
  complaintPhone: '12345',
  lifeEvents: ['social_assistance'],
  enterpriseEvents: [],
  resultDelivery: ['online'],
  consultDays: 3,
  processCode: null,
  ...over,
});

describe('the service catalogue over HTTP (API and pages)', () => {
  let y: TestApp;
  const cookies: Record<string, string> = {};
  let civil = 0;
  let market = 0;
  const api = (who: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    y.app.inject({
      method,
      url,
      headers: who ? { cookie: cookies[who]! } : {},
      ...(payload ? { payload } : {}),
    });

  before(async () => {
    y = await createTestApp({ seed: true });
    const deps = (await y.org.departments.list('330000', { includeInactive: false, limit: 500, offset: 0 }))
      .items;
    civil = deps.find((d) => d.name === '西湖区民政局')!.id;
    market = deps.find((d) => d.name === '西湖区市场监督管理局')!.id;
    cookies.office = (
      await signInStaff(y, {
        roles: ['service_admin'],
        divisionCode: '330000',
        departmentName: '浙江省政务服务管理办公室',
      })
    ).cookie;
    cookies.sibling = (
      await signInStaff(y, {
        roles: ['service_admin'],
        divisionCode: '330102',
        departmentName: '上城区政务服务中心',
      })
    ).cookie;
    const head = DEMO_STAFF.find((s) => s.username === 'demo.head')!;
    cookies.head = await signIn(y, head.username, head.password);
  });
  after(() => y.drop());

  it('shows the demo catalogue on the portal, found by search in Chinese, synonyms included', async () => {
    const all = await y.app.inject({ url: '/services' });
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /最低生活保障/);
    assert.match(all.body, /<meta name="ColumnName" content="网上办事"\/>/);
    const low = await y.app.inject({ url: `/services?q=${encodeURIComponent('低保')}` });
    assert.match(low.body, /最低生活保障申请/);
    assert.match(low.body, /<mark>/);
    const none = await y.app.inject({ url: `/services?q=${encodeURIComponent('火星移民')}` });
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /12345/);
    const r = await api(
      null,
      'GET',
      `/api/v1/services/items?q=${encodeURIComponent('营业执照')}&audience=enterprise`,
    );
    assert.equal(r.statusCode, 200);
    const found = r.json() as { items: { name: string }[]; total: number };
    assert.ok(found.total >= 1);
    assert.ok(found.items.every((i) => typeof i.name === 'string'));
  });

  it('gives the coverage of the five service functions, per department and for the site, with a chart', async () => {
    const all = (await api(null, 'GET', '/api/v1/services/items?limit=100')).json() as {
      items: { onlineDepth: number; processCode: string | null; form: unknown; departmentId: number }[];
    };
    const r = await api(null, 'GET', '/api/v1/services/coverage');
    assert.equal(r.statusCode, 200);
    const c = r.json() as {
      site: { items: number; rates: Record<string, number | null> };
      departments: { departmentId: number; items: number }[];
    };
    assert.equal(c.site.items, all.items.length);
    const online = all.items.filter((i) => i.onlineDepth >= 3 && i.processCode !== null).length;
    assert.equal(c.site.rates.application, online / all.items.length);
    assert.equal(c.site.rates.forms, all.items.filter((i) => i.form !== null).length / all.items.length);
    assert.equal(
      c.departments.reduce((n, d) => n + d.items, 0),
      all.items.length,
    );
    const page = await y.app.inject({ url: '/services/coverage' });
    assert.match(page.body, /<svg role="img"/);
    assert.match(page.body, /五项全覆盖/);
  });

  it('lets the government services office write any item of its jurisdiction; checks every rule', async () => {
    const bad = await api('office', 'POST', '/api/v1/services/items', {
      ...item(civil),
      promisedDays: 30,
      materials: [{ ...item(civil).materials[1]!, condition: '' }],
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(bad.headers['content-type'] as string, /problem\+json/);
    const fields = (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['materials/0/condition', 'promisedDays']);
    const shape = await api('office', 'POST', '/api/v1/services/items', {
      ...item(civil),
      code: 'lower-case',
    });
    assert.equal(shape.statusCode, 400);
    const created = await api('office', 'POST', '/api/v1/services/items', item(civil, { legalBasis: '' }));
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((created.json() as { status: string }).status, 'draft');
    const again = await api('office', 'POST', '/api/v1/services/items', item(civil));
    assert.equal(again.statusCode, 400);
    // A draft is not public.
    assert.equal((await api(null, 'GET', '/api/v1/services/items/TEST330106MZ0001')).statusCode, 404);
    assert.equal((await y.app.inject({ url: '/services/items/TEST330106MZ0001' })).statusCode, 404);
    const incomplete = await api('office', 'POST', '/api/v1/services/items/TEST330106MZ0001/status', {
      status: 'published',
    });
    assert.equal(incomplete.statusCode, 400);
    assert.deepEqual(
      (incomplete.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['legalBasis'],
    );
    const fixed = await api('office', 'PUT', '/api/v1/services/items/TEST330106MZ0001', item(civil));
    assert.equal(fixed.statusCode, 200, fixed.body);
    const published = await api('office', 'POST', '/api/v1/services/items/TEST330106MZ0001/status', {
      status: 'published',
    });
    assert.equal(published.statusCode, 200, published.body);
    const guide = await y.app.inject({ url: '/services/items/TEST330106MZ0001' });
    assert.equal(guide.statusCode, 200);
    for (const text of [
      '困难残疾人生活补贴申领',
      '公安部门人口信息',
      '委托他人代办的',
      '0571-80000000',
      '不收费',
    ])
      assert.ok(guide.body.includes(text), text);
    assert.match(guide.body, /<meta name="ArticleTitle" content="困难残疾人生活补贴申领"\/>/);
    assert.match(guide.body, /<meta name="ContentSource" content="西湖区民政局"\/>/);
    const audit = await y.db.kysely
      .selectFrom('audit.entry')
      .select('action')
      .where('object_id', '=', 'TEST330106MZ0001')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['services.item_created', 'services.item_updated', 'services.item_published'],
    );
  });

  it('keeps a department to its own items and a sibling district out of them', async () => {
    const own = await api(
      'head',
      'PUT',
      '/api/v1/services/items/TEST330106MZ0001',
      item(civil, { promisedDays: 8 }),
    );
    assert.equal(own.statusCode, 200, own.body);
    // null stays null: no statutory limit is not a limit of 0 days (即办).
    const none = await api(
      'head',
      'PUT',
      '/api/v1/services/items/TEST330106MZ0001',
      item(civil, { statutoryDays: null }),
    );
    assert.equal((none.json() as ItemInput).statutoryDays, null);
    const other = await api(
      'head',
      'POST',
      '/api/v1/services/items',
      item(market, { code: 'TEST330106SC0001' }),
    );
    assert.equal(other.statusCode, 403, other.body);
    const moved = await api('head', 'PUT', '/api/v1/services/items/TEST330106MZ0001', item(market));
    assert.equal(moved.statusCode, 403);
    const sibling = await api('sibling', 'PUT', '/api/v1/services/items/TEST330106MZ0001', item(civil));
    assert.equal(sibling.statusCode, 404);
    const list = await api('sibling', 'GET', '/api/v1/services/admin/items');
    assert.equal((list.json() as { total: number }).total, 0);
    assert.equal((await api(null, 'GET', '/api/v1/services/admin/items')).statusCode, 401);
  });

  it('edits an item in the workbench without JavaScript: rows added, errors beside fields', async () => {
    const page = await api('office', 'GET', '/workbench/services/items/TEST330106MZ0001');
    assert.equal(page.statusCode, 200, page.body);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const csrfCookie = [page.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith('yw_csrf='))!
      .split(';')[0]!;
    const form = (fields: Record<string, string>) =>
      y.app.inject({
        method: 'POST',
        url: '/workbench/services/items/TEST330106MZ0001',
        headers: {
          cookie: `${cookies.office!}; ${csrfCookie}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      });
    const base = {
      name: '困难残疾人生活补贴申领',
      kind: 'payment',
      departmentId: String(civil),
      audience: 'person',
      onlineDepth: '2',
      statutoryDays: '20',
      promisedDays: '10',
      legalBasis: '依据',
      conditions: '条件',
      process: '申请',
      place: '地点',
      hours: '时间',
      consultPhone: '0571-80000000',
      complaintPhone: '12345',
      'materials/0/name': '居民身份证',
      'materials/0/key': 'id_card',
      'materials/0/form': 'original',
      'materials/0/copies': '1',
      'materials/0/required': 'required',
    };
    const added = await form({ ...base, _add: 'material' });
    assert.equal(added.statusCode, 200);
    assert.match(added.body, /name="materials\/2\/name"/);
    // A blank row in between is skipped; the error names the row as the form shows it.
    const wrong = await form({
      ...base,
      promisedDays: 'ten',
      'materials/2/name': '户口簿',
      'materials/2/key': 'hukou',
      'materials/2/form': 'copy',
      'materials/2/copies': '1',
      'materials/2/required': 'conditional',
    });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /id="field-promisedDays-error"/);
    assert.match(wrong.body, /id="field-materials\/2\/condition-error"/);
    const ok = await form({ ...base, lifeEvents: 'social_assistance' });
    assert.equal(ok.statusCode, 303, ok.body);
    const saved = (await api(null, 'GET', '/api/v1/services/items/TEST330106MZ0001')).json() as ItemInput;
    assert.equal(saved.materials.length, 1);
    assert.deepEqual(saved.lifeEvents, ['social_assistance']);
  });
});
