import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemContext } from '../../kernel/audit/index.ts';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff, type StaffLogin } from '../../../test/support/staff.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { countDepartments, type Department } from './department.store.ts';

const TENANT = '330000';
const zh = translator('zh-CN');
const HTML = { accept: 'text/html,application/xhtml+xml' };

/** A 200 HTML page; returns its body. */
function page(res: LightMyRequestResponse, status = 200): string {
  assert.equal(res.statusCode, status, res.body.slice(0, 500));
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.match(res.body, /^<!doctype html>/);
  return res.body;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The column-page meta tags of the government website standard. */
function assertColumnMeta(html: string, name: string, type: string) {
  assert.match(html, new RegExp(`<meta name="ColumnName" content="${escapeRe(name)}"/>`));
  assert.match(html, new RegExp(`<meta name="ColumnType" content="${escapeRe(type)}"/>`));
  assert.match(html, /<meta name="SiteIDCode" content="3300000001"\/>/);
}

describe('org pages', () => {
  let t: TestApp;
  /** A system administrator of the demo site's province. */
  let admin: StaffLogin;
  before(async () => {
    t = await createTestApp();
    admin = await signInStaff(t, { roles: ['system_admin'], divisionCode: TENANT });
  });
  after(() => t.drop());

  const get = (url: string) => t.app.inject({ url, headers: HTML });
  /** A workbench page as the province's administrator, or as whoever's cookie is given ('' for nobody). */
  const wb = (url: string, cookie = admin.cookie) =>
    t.app.inject({ url, headers: { ...HTML, ...(cookie ? { cookie } : {}) } });
  const departments = () => countDepartments(t.db.kysely, TENANT);

  /** GETs the form and returns what a browser would send back: the cookie and the hidden token. */
  async function openForm(url = '/workbench/departments/new', session = admin.cookie) {
    const res = await wb(url, session);
    const html = page(res);
    const cookie = res.cookies.find((c) => c.name === 'yw_csrf');
    assert.ok(cookie, 'the form sets the yw_csrf cookie');
    const token = /<input type="hidden" name="_csrf" value="([^"]+)"\/>/.exec(html)?.[1];
    assert.ok(token, 'the form carries a hidden _csrf field');
    return { cookie: `${session}; yw_csrf=${cookie.value}`, token, html };
  }
  const post = (url: string, form: Record<string, string>, cookie?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: {
        ...HTML,
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie ? { cookie } : {}),
      },
      payload: new URLSearchParams(form).toString(),
    });
  const fields = (name: string) => ({ name, type: 'other', divisionCode: '330106', shortName: '简称' });

  let seq = 0;
  async function department(overrides: Partial<Department> = {}): Promise<Department> {
    return t.org.departments.create(systemContext(TENANT), {
      divisionCode: '330106',
      name: `页面测试部门${++seq}`,
      type: 'other',
      ...overrides,
    });
  }

  describe('portal', () => {
    it('renders /divisions with the provinces', async () => {
      const html = page(await get('/divisions'));
      assertColumnMeta(html, zh('org.division.title'), zh('org.division.column_type'));
      assert.match(html, /<html lang="zh-CN">/);
      assert.match(html, /<a href="\/divisions\/330000">浙江省<\/a>/);
      assert.match(html, /<a href="\/divisions\/110000">北京市<\/a>/);
    });

    it('searches divisions, and says so when nothing matches', async () => {
      const html = page(await get(`/divisions?q=${encodeURIComponent('西湖')}`));
      assert.match(html, /<a href="\/divisions\/330106">西湖区<\/a>/);
      const none = page(await get(`/divisions?q=${encodeURIComponent('不存在的地方')}`));
      assert.match(none, /role="status"/);
      assert.ok(none.includes(zh('org.division.no_match', { q: '不存在的地方' })));
    });

    it('renders /divisions/330100 with its path, children and departments', async () => {
      const html = page(await get('/divisions/330100'));
      assertColumnMeta(html, zh('org.division.title'), zh('org.division.column_type'));
      assert.match(html, /<h1>杭州市<\/h1>/);
      assert.match(html, /<a href="\/divisions\/330102">上城区<\/a>/);
      assert.match(html, /<a href="\/divisions\/330106">西湖区<\/a>/);
      assert.match(html, /<a href="\/divisions\/330000">浙江省<\/a>/, 'breadcrumb to the province');
      assert.ok(html.includes('杭州市民政局'), 'the departments of the division');
      assert.ok(!html.includes('西湖区民政局'), 'not those of the divisions below');
    });

    it('renders a township and a village (no children)', async () => {
      page(await get('/divisions/330102001'));
      const village = page(await get('/divisions/330102001051'));
      assert.ok(village.includes(zh('org.division.no_children')));
    });

    it('answers an HTML 404 for an unknown code and 400 for a malformed one', async () => {
      const missing = page(await get('/divisions/339999'), 404);
      assert.ok(missing.includes(zh('org.division.not_found', { code: '339999' })));
      page(await get('/divisions/33010'), 400);
    });

    it('renders /departments grouped by division', async () => {
      const d = await department();
      const html = page(await get('/departments'));
      assertColumnMeta(html, zh('org.department.directory'), zh('org.department.column_type'));
      assert.match(html, /浙江省财政厅/);
      assert.match(html, new RegExp(`<a href="/departments/${d.id}">${d.name}</a>`));
      assert.match(html, /<h2 id="div-330106">西湖区<\/h2>/);
    });

    it('renders /departments/:id', async () => {
      const d = await department({ phone: '0571-88880000', address: '西湖区某路2号' });
      const html = page(await get(`/departments/${d.id}`));
      assertColumnMeta(html, zh('org.department.directory'), zh('org.department.column_type'));
      assert.match(html, new RegExp(`<h1>${d.name}</h1>`));
      assert.ok(html.includes('0571-88880000'));
      assert.ok(html.includes('西湖区某路2号'));
      assert.ok(html.includes(zh('org.department_type.other')));
      assert.ok(!html.includes(zh('org.department.inactive_notice')));
    });

    it('keeps an inactive department’s page, with a notice, and leaves it out of the directory', async () => {
      const d = await department();
      await t.org.departments.setActive(systemContext(TENANT), d.id, false);
      const html = page(await get(`/departments/${d.id}`));
      assert.ok(html.includes(zh('org.department.inactive_notice')));
      assert.ok(!page(await get('/departments')).includes(d.name));
    });

    it('ignores a malformed offset on the portal lists', async () => {
      for (const url of ['/divisions?offset=1.5', '/divisions?offset=-3', '/divisions/330100?offset=abc']) {
        page(await get(url));
      }
    });

    it('answers 404 for an unknown or malformed department id', async () => {
      page(await get('/departments/999999'), 404);
      page(await get('/departments/abc'), 404);
      page(await get('/departments/0'), 404);
    });

    it('renders in English with ?lang=en', async () => {
      const html = page(await get('/divisions?lang=en'));
      assert.match(html, /<html lang="en">/);
      assertColumnMeta(html, 'Administrative divisions', 'Government information');
    });
  });

  describe('workbench lists', () => {
    it('render the division and department lists', async () => {
      // The divisions list starts at the administrator's own division: the province's cities.
      const divisions = page(await wb('/workbench/divisions'));
      assert.match(divisions, /<a href="\/workbench\/divisions\/330100">杭州市<\/a>/);
      assert.doesNotMatch(divisions, /\/workbench\/divisions\/110000/, 'not another province');
      assert.ok(page(await wb('/workbench/departments')).includes('浙江省财政厅'));
    });

    it('ignore an offset that is not a whole number in range, as the portal pages do', async () => {
      for (const url of [
        '/workbench/divisions?offset=1.5',
        '/workbench/departments?offset=1.5',
        '/workbench/departments?offset=1e20',
      ]) {
        assert.equal((await wb(url)).statusCode, 200, url);
      }
    });
  });

  describe('who may use the workbench', () => {
    const ORG_PAGES = [
      '/workbench/departments',
      '/workbench/departments/new',
      '/workbench/divisions',
      '/workbench/divisions/new',
      '/workbench/divisions/330100',
      '/workbench/site',
      '/workbench/sites',
    ];
    /** The division codes in the rows of a workbench list. */
    const rowCodes = (html: string) => {
      const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
      return [...body.matchAll(/<code>(\d+)<\/code>/g)].map((m) => m[1]!);
    };
    const departmentIn = async (divisionCode: string) =>
      (await t.org.departments.list(TENANT, { divisionCode, includeInactive: false, limit: 1, offset: 0 }))
        .items[0]!;

    it('sends an anonymous reader of any org page to the login page and back (303)', async () => {
      for (const url of ORG_PAGES) {
        const res = await wb(url, '');
        assert.equal(res.statusCode, 303, url);
        assert.equal(res.headers.location, `/login?next=${encodeURIComponent(url)}`);
      }
    });

    it('refuses an anonymous form post even with a good CSRF token (401), creating nothing', async () => {
      const before = await departments();
      const form = await openForm();
      // The form's own CSRF cookie and token, without the session.
      const cookie = form.cookie.split('; ').find((c) => c.startsWith('yw_csrf='))!;
      const token = form.token;
      const res = await t.app.inject({
        method: 'POST',
        url: '/workbench/departments',
        headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams({
          name: '匿名局',
          type: 'other',
          divisionCode: '330106',
          _csrf: token,
        }).toString(),
      });
      page(res, 401);
      assert.equal(await departments(), before);
    });

    it('answers 403 to a handler on every org page', async () => {
      const { cookie } = await signInStaff(t, { roles: ['handler'], divisionCode: TENANT });
      for (const url of ORG_PAGES) page(await wb(url, cookie), 403);
      // The workbench itself is theirs.
      page(await wb('/workbench', cookie));
    });

    it('gives a tenant administrator the site and departments, not the sites or divisions (403)', async () => {
      const { cookie } = await signInStaff(t, { roles: ['tenant_admin'], divisionCode: TENANT });
      for (const url of [
        '/workbench/sites',
        '/workbench/divisions',
        '/workbench/divisions/new',
        '/workbench/divisions/330100',
      ])
        page(await wb(url, cookie), 403);
      for (const url of ['/workbench/site', '/workbench/departments', '/workbench/departments/new'])
        page(await wb(url, cookie));
    });

    it('shows a district administrator only their district’s departments and divisions', async () => {
      const { cookie } = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330102' });
      const list = page(await wb('/workbench/departments', cookie));
      const codes = rowCodes(list);
      assert.ok(codes.length >= 3, list);
      assert.ok(
        codes.every((c) => c.startsWith('330102')),
        codes.join(),
      );
      assert.ok(list.includes('上城区政务服务中心'));
      assert.ok(list.includes('清波街道办事处'), 'the townships below too');
      for (const name of ['西湖区民政局', '杭州市民政局', '浙江省财政厅'])
        assert.ok(!list.includes(name), name);

      const divisions = page(await wb('/workbench/divisions', cookie));
      assert.deepEqual(rowCodes(divisions).sort(), ['330102001', '330102003']);
      page(await wb('/workbench/divisions/330102001', cookie));
      for (const url of ['/workbench/divisions/330106', '/workbench/divisions/330100'])
        page(await wb(url, cookie), 404);

      const xihu = await departmentIn('330106');
      const provincial = await departmentIn(TENANT);
      for (const d of [xihu, provincial]) page(await wb(`/workbench/departments/${d.id}`, cookie), 404);
      page(await wb(`/workbench/departments/${(await departmentIn('330102')).id}`, cookie));
    });

    it('does not let a district administrator change another district’s department from the forms', async () => {
      const { cookie: session } = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330102' });
      const xihu = await department({ divisionCode: '330106' });
      const { cookie, token } = await openForm('/workbench/departments', session);
      page(await post(`/workbench/departments/${xihu.id}/deactivate`, { _csrf: token }, cookie), 404);
      page(
        await post(
          `/workbench/departments/${xihu.id}`,
          { name: '被越权修改', type: 'other', divisionCode: '330106', _csrf: token },
          cookie,
        ),
        404,
      );
      assert.deepEqual(await t.org.departments.get(TENANT, xihu.id), xihu, 'unchanged');
      const before = await departments();
      const html = page(
        await post('/workbench/departments', { ...fields('越界新建局'), _csrf: token }, cookie),
        400,
      );
      assert.match(html, /<input[^>]*id="field-divisionCode"[^>]*aria-invalid="true"/);
      assert.ok(html.includes(zh('org.department.division_outside_jurisdiction', { code: '330106' })));
      assert.equal(await departments(), before);
    });

    it('shows a city administrator the departments of both districts, not the province’s', async () => {
      const { cookie } = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330100' });
      const list = page(await wb('/workbench/departments', cookie));
      const codes = rowCodes(list);
      assert.ok(
        codes.every((c) => c.startsWith('3301')),
        codes.join(),
      );
      assert.ok(codes.some((c) => c.startsWith('330102')));
      assert.ok(codes.some((c) => c.startsWith('330106')));
      assert.ok(!list.includes('浙江省财政厅'));
    });
  });

  describe('workbench department form', () => {
    it('renders the form with the tenant as the default division', async () => {
      const { html } = await openForm();
      assert.match(html, /<input[^>]*id="field-divisionCode"[^>]*value="330000"/);
      assert.ok(!html.includes('aria-invalid'));
    });

    it('refuses a post without a CSRF token (403), creating nothing', async () => {
      const before = await departments();
      const { cookie } = await openForm();
      const res = await post('/workbench/departments', fields('无令牌局'), cookie);
      const html = page(res, 403);
      assert.ok(html.includes(zh('errors.csrf')));
      assert.equal(await departments(), before);
    });

    it('refuses a wrong token, and a token without its cookie', async () => {
      const before = await departments();
      const { cookie, token } = await openForm();
      page(
        await post(
          '/workbench/departments',
          { ...fields('错令牌局'), _csrf: `${token.slice(0, -2)}xx` },
          cookie,
        ),
        403,
      );
      page(await post('/workbench/departments', { ...fields('无饼干局'), _csrf: token }, admin.cookie), 403);
      const json = await t.app.inject({
        method: 'POST',
        url: '/workbench/departments',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams(fields('无令牌局')).toString(),
      });
      assert.equal(json.statusCode, 403);
      assert.equal(json.json<{ code: string }>().code, 'errors.csrf');
      assert.equal(await departments(), before);
    });

    it('shows the error beside an empty name (400), keeps the input and creates nothing', async () => {
      const before = await departments();
      const { cookie, token } = await openForm();
      const res = await post('/workbench/departments', { ...fields(''), _csrf: token }, cookie);
      const html = page(res, 400);
      assert.match(html, /<input[^>]*id="field-name"[^>]*aria-invalid="true"/);
      assert.match(html, /<input[^>]*id="field-name"[^>]*aria-describedby="field-name-error"/);
      assert.match(
        html,
        new RegExp(
          `<p class="error-message" id="field-name-error">${escapeRe(zh('org.department.name_length'))}</p>`,
        ),
      );
      assert.ok(!/id="field-divisionCode"[^>]*aria-invalid/.test(html), 'only the bad field is marked');
      assert.match(html, /class="error-summary" role="alert"/);
      assert.match(html, /<a href="#field-name">/);
      assert.match(html, /<input[^>]*id="field-shortName"[^>]*value="简称"/, 'what was typed is kept');
      assert.equal(await departments(), before);
    });

    it('shows a duplicate name beside the field (409)', async () => {
      const d = await department();
      const before = await departments();
      const { cookie, token } = await openForm();
      const html = page(
        await post('/workbench/departments', { ...fields(d.name), _csrf: token }, cookie),
        409,
      );
      assert.match(html, /<input[^>]*id="field-name"[^>]*aria-invalid="true"/);
      assert.equal(await departments(), before);
    });

    it('creates the department and redirects (303) to it', async () => {
      const before = await departments();
      const { cookie, token } = await openForm();
      const res = await post('/workbench/departments', { ...fields('工作台新建局'), _csrf: token }, cookie);
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      const location = String(res.headers.location);
      const id = Number(/^\/workbench\/departments\/(\d+)\?saved=1$/.exec(location)?.[1]);
      assert.ok(id > 0, location);
      assert.equal(await departments(), before + 1);
      const created = await t.org.departments.get(TENANT, id);
      assert.equal(created.name, '工作台新建局');
      assert.equal(created.shortName, '简称');
      const edit = page(await t.app.inject({ url: location, headers: { ...HTML, cookie } }));
      assert.ok(edit.includes(zh('common.saved')));
      assert.match(edit, /<input[^>]*id="field-name"[^>]*value="工作台新建局"/);
    });

    it('deactivates a department from the list with the token', async () => {
      const d = await department();
      const { cookie, token } = await openForm('/workbench/departments');
      const res = await post(`/workbench/departments/${d.id}/deactivate`, { _csrf: token }, cookie);
      assert.equal(res.statusCode, 303);
      assert.equal((await t.org.departments.get(TENANT, d.id)).active, false);
    });
  });
});
