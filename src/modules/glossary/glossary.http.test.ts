import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff } from '../../../test/support/staff.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { translator } from '../../kernel/i18n/index.ts';
import type { ItemInput } from '../services/index.ts';

const zh = translator('zh-CN');
const HTML = { accept: 'text/html,application/xhtml+xml' };
const TERM = '钱塘帮办';

/** A publishable guide of 西湖区民政局 with the name and conditions given. */
const item = (departmentId: number, code: string, name: string, conditions: string): ItemInput => ({
  code,
  name,
  kind: 'public_service',
  departmentId,
  audience: 'enterprise',
  onlineDepth: 2,
  statutoryDays: 10,
  promisedDays: 5,
  legalBasis: '《优化营商环境条例》',
  conditions,
  process: '申请\n受理\n办结',
  materials: [],
  fees: [],
  place: '杭州市西湖区行政服务中心',
  hours: '工作日 9:00-17:00',
  consultPhone: '0571-80000000',
  complaintPhone: '12345',
  lifeEvents: [],
  enterpriseEvents: [],
  resultDelivery: ['online'],
  consultDays: 3,
  processCode: null,
});

describe('the search dictionary (词库): API, workbench page, and search with it', () => {
  let y: TestApp;
  let admin = '';
  let department = 0;
  const system = systemContext('330000');

  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, cookie = admin) =>
    y.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
  const found = async (q: string) =>
    (
      (
        await api('GET', `/api/v1/services/items?q=${encodeURIComponent(q)}&limit=50`, undefined, '')
      ).json() as {
        items: { code: string }[];
      }
    ).items.map((i) => i.code);
  /** The lexemes of an item's stored search vector. */
  async function lexemes(code: string): Promise<string[]> {
    const r = await sql<{ v: string }>`select search_vector::text as v from services.item
      where tenant_id = '330000' and code = ${code}`.execute(y.db.kysely);
    return [...r.rows[0]!.v.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  }
  async function publish(code: string, name: string, conditions: string) {
    await y.services.items.save(system, item(department, code, name, conditions), { expectNew: true });
    await y.services.items.setStatus(system, code, 'published');
  }

  before(async () => {
    y = await createTestApp({ seed: true });
    admin = (await signInStaff(y, { roles: ['tenant_admin'], divisionCode: '330000' })).cookie;
    department = (
      await y.org.departments.list('330000', { includeInactive: false, limit: 500, offset: 0 })
    ).items.find((d) => d.name === '西湖区民政局')!.id;
  });
  after(() => y.drop());

  it('adds a term search then takes as one word; re-indexing brings it to documents saved before', async () => {
    // Saved before the term: 钱塘帮办 is split into 钱塘 and 帮办, as it is in a text that only has both.
    await publish('TEST330106GL0001', `${TERM}企业开办服务`, '本区新开办企业');
    await publish('TEST330106GL0000', '企业帮办服务（钱塘）', '本区企业');
    assert.ok(!(await lexemes('TEST330106GL0001')).includes(TERM));

    const added = await api('POST', '/api/v1/search/terms', { term: TERM });
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(added.json().term, TERM);
    assert.match(added.json().addedBy, /^account:\d+$/);

    // Saved after: the term is one word of the vector, beside its parts.
    await publish('TEST330106GL0002', '企业年报辅导', `由${TERM}专员上门辅导`);
    assert.ok((await lexemes('TEST330106GL0002')).includes(TERM));
    // The older ones are still found (through the parts), though not yet ranked by the term.
    const before = await found(TERM);
    assert.deepEqual([...before].sort(), ['TEST330106GL0000', 'TEST330106GL0001', 'TEST330106GL0002']);
    assert.equal(before[0], 'TEST330106GL0000', 'a tie on the parts, in code order');

    const progress: [number, number][] = [];
    const run = await y.services.reindexer.run((done, total) => progress.push([done, total]));
    const items = await y.services.reindexer.count();
    assert.equal(run.documents, items);
    assert.ok(run.changed >= 1, `${run.changed} changed`);
    assert.deepEqual(progress.at(-1), [items, items]);
    assert.ok((await lexemes('TEST330106GL0001')).includes(TERM));
    // Now the document holding the term in its name ranks first, ahead of the one with its parts only.
    const after = await found(TERM);
    assert.equal(after[0], 'TEST330106GL0001');
    assert.ok(after.indexOf('TEST330106GL0001') < after.indexOf('TEST330106GL0000'));
    // Nothing left to change.
    assert.equal((await y.services.reindexer.run()).changed, 0);
  });

  it('refuses a bad term with a problem on the field, and keeps terms as search holds them', async () => {
    const problem = async (term: string, status: number) => {
      const r = await api('POST', '/api/v1/search/terms', { term });
      assert.equal(r.statusCode, status, r.body);
      const body = r.json() as { errors: { field: string; code: string; message: string }[] };
      assert.equal(body.errors.length, 1);
      assert.equal(body.errors[0]!.field, 'term');
      assert.ok(body.errors[0]!.message, 'the message is in the problem');
      return body.errors[0]!.code;
    };
    assert.equal(await problem('钱', 400), 'search.term.length');
    assert.equal(await problem('很长'.repeat(17), 400), 'search.term.length');
    assert.equal(await problem('钱塘 帮办', 400), 'search.term.characters');
    assert.equal(await problem('帮办！', 400), 'search.term.characters');
    assert.equal(await problem('营业执照', 400), 'glossary.term.built_in');
    assert.equal(await problem(TERM, 409), 'glossary.term.exists');
    // Full-width letters are folded and lower-cased, as the segmenter matches them.
    const folded = await api('POST', '/api/v1/search/terms', { term: 'ＹＷ帮办' });
    assert.equal(folded.statusCode, 201);
    assert.equal(folded.json().term, 'yw帮办');
    assert.equal(await problem('YW帮办', 409), 'glossary.term.exists');
    assert.equal((await api('POST', '/api/v1/search/terms', { term: TERM, extra: 1 })).statusCode, 400);
  });

  it('lists and finds terms, removes one (audited), and search splits it again', async () => {
    const list = await api('GET', `/api/v1/search/terms?q=${encodeURIComponent('帮办')}`);
    assert.equal(list.statusCode, 200);
    const page = list.json() as { items: { term: string; addedByName: string }[]; total: number };
    assert.deepEqual(page.items.map((t) => t.term).sort(), [TERM, 'yw帮办'].sort());
    assert.equal(page.total, 2);
    assert.ok(page.items.every((t) => t.addedByName.startsWith('测试')));
    assert.equal((await api('GET', '/api/v1/search/terms?q=%E7%81%AB%E6%98%9F')).json().total, 0);

    const removed = await api('DELETE', `/api/v1/search/terms/${encodeURIComponent(TERM)}`);
    assert.equal(removed.statusCode, 204);
    const again = await api('DELETE', `/api/v1/search/terms/${encodeURIComponent(TERM)}`);
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().code, 'glossary.term.not_found');
    await publish('TEST330106GL0003', '企业注销指导', `${TERM}专员`);
    assert.ok(!(await lexemes('TEST330106GL0003')).includes(TERM));

    const entries = await y.db.kysely
      .selectFrom('audit.entry')
      .select(['action', 'object_id'])
      .where('tenant_id', '=', '330000')
      .where('action', 'like', 'glossary.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(entries, [
      { action: 'glossary.term_added', object_id: TERM },
      { action: 'glossary.term_added', object_id: 'yw帮办' },
      { action: 'glossary.term_removed', object_id: TERM },
    ]);
  });

  it('lets a county administrator read the dictionary but not change it; others not even read it', async () => {
    const county = (await signInStaff(y, { roles: ['tenant_admin'], divisionCode: '330102' })).cookie;
    assert.equal((await api('GET', '/api/v1/search/terms', undefined, county)).statusCode, 200);
    assert.equal((await api('POST', '/api/v1/search/terms', { term: '上城帮办' }, county)).statusCode, 403);
    assert.equal(
      (await api('DELETE', '/api/v1/search/terms/yw%E5%B8%AE%E5%8A%9E', undefined, county)).statusCode,
      403,
    );
    const handler = (await signInStaff(y, { roles: ['handler'], divisionCode: '330000' })).cookie;
    assert.equal((await api('GET', '/api/v1/search/terms', undefined, handler)).statusCode, 403);
    assert.equal((await api('GET', '/api/v1/search/terms', undefined, '')).statusCode, 401);
  });

  describe('the workbench page', () => {
    const get = (url: string, cookie = admin) =>
      y.app.inject({ url, headers: { ...HTML, ...(cookie ? { cookie } : {}) } });
    const post = (url: string, form: Record<string, string>, cookie: string) =>
      y.app.inject({
        method: 'POST',
        url,
        headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams(form).toString(),
      });
    function html(res: LightMyRequestResponse, status = 200): string {
      assert.equal(res.statusCode, status, res.body.slice(0, 500));
      return res.body;
    }
    async function openForm() {
      const res = await get('/workbench/search/terms');
      const body = html(res);
      const csrf = res.cookies.find((c) => c.name === 'yw_csrf')!;
      const token = /<input type="hidden" name="_csrf" value="([^"]+)"\/>/.exec(body)![1]!;
      return { cookie: `${admin}; yw_csrf=${csrf.value}`, token, body };
    }

    it('is in the navigation of those who may use it, and sends strangers to sign in', async () => {
      assert.match(html(await get('/workbench')), /href="\/workbench\/search\/terms"/);
      const anonymous = await get('/workbench/search/terms', '');
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/login\?next=/);
    });

    it('adds a term without JavaScript, showing a problem beside the field and keeping what was typed', async () => {
      const form = await openForm();
      assert.ok(form.body.includes('yiwang search reindex'));
      assert.match(form.body, /<code>services<\/code>: \d+ 项/);
      const bad = html(
        await post('/workbench/search/terms', { _csrf: form.token, term: '西湖 帮办' }, form.cookie),
        400,
      );
      assert.match(bad, /<p class="error-message" id="field-term-error">[^<]*词条只能包含汉字、字母和数字/);
      assert.match(bad, /<input[^>]*name="term"[^>]*value="西湖 帮办"/);
      const good = await post(
        '/workbench/search/terms',
        { _csrf: form.token, term: '西湖帮办' },
        form.cookie,
      );
      assert.equal(good.statusCode, 303, good.body.slice(0, 300));
      assert.equal(good.headers.location, '/workbench/search/terms?saved=1');
      const list = html(await get('/workbench/search/terms?q=%E8%A5%BF%E6%B9%96'));
      assert.ok(list.includes(zh('common.saved')) === false);
      assert.match(list, /<td lang="zh-CN">西湖帮办<\/td>/);
      assert.ok(list.includes(zh('glossary.remove_label', { term: '西湖帮办' })));

      const removed = await post(
        '/workbench/search/terms/remove',
        { _csrf: form.token, term: '西湖帮办' },
        form.cookie,
      );
      assert.equal(removed.statusCode, 303);
      const after = html(await get('/workbench/search/terms?q=%E8%A5%BF%E6%B9%96'));
      assert.ok(after.includes(zh('glossary.no_match', { q: '西湖' })));
      // Without the token nothing is written.
      const forged = await post('/workbench/search/terms', { term: '伪造词条' }, form.cookie);
      assert.equal(forged.statusCode, 403);
    });

    it('shows a county administrator the list without the forms', async () => {
      const county = (await signInStaff(y, { roles: ['tenant_admin'], divisionCode: '330102' })).cookie;
      const body = html(await get('/workbench/search/terms', county));
      assert.ok(body.includes(zh('glossary.not_editable')));
      assert.ok(!body.includes('name="term"'));
    });
  });
});
