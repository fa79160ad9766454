import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import type { AuditContext } from '../../kernel/audit/index.ts';
import { translator } from '../../kernel/i18n/index.ts';
import type { HeldSource } from './index.ts';

const zh = translator('zh-CN');
const HTML = { accept: 'text/html,application/xhtml+xml' };

/** A module's held posts, as a source keeps them (here in memory). */
function fakeSource() {
  const posts = new Map([
    [
      'p1',
      {
        id: 'p1',
        writer: '张**',
        excerpt: '请问 测 试 敏感词 怎么办',
        words: ['测试敏感词'],
        at: new Date('2026-03-02T01:00:00Z'),
      },
    ],
  ]);
  const decided: { id: string; how: string; reason?: string; by: string }[] = [];
  const source: HeldSource = {
    kind: 'fake-posts',
    titleKey: 'moderation.kind',
    list: async () => [...posts.values()],
    async release(ctx: AuditContext, id: string) {
      if (!posts.delete(id)) throw Object.assign(new Error('gone'), {});
      decided.push({ id, how: 'released', by: ctx.actorId });
    },
    async reject(ctx: AuditContext, id: string, reason: string) {
      posts.delete(id);
      decided.push({ id, how: 'rejected', reason, by: ctx.actorId });
    },
  };
  return { source, posts, decided };
}

describe('content safety (内容安全): sensitive words, screening, the held queue', () => {
  let y: TestApp;
  let moderator = '';
  const fake = fakeSource();

  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, cookie = moderator) =>
    y.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
  const get = (url: string, cookie = moderator) =>
    y.app.inject({ method: 'GET', url, headers: { ...HTML, cookie } });
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
  async function openForm(url: string) {
    const res = await get(url);
    const body = html(res);
    const csrf = res.cookies.find((c) => c.name === 'yw_csrf')!;
    const token = /<input type="hidden" name="_csrf" value="([^"]+)"\/>/.exec(body)![1]!;
    return { cookie: `${moderator}; yw_csrf=${csrf.value}`, token, body };
  }

  before(async () => {
    y = await createTestApp({ seed: true });
    y.moderation.queue.register(fake.source);
    moderator = await signIn(y, 'demo.moderator', 'Demo#2026moderator');
  });
  after(() => y.drop());

  it("holds a post with the demo site's placeholder words, however spaced, and lets others through", async () => {
    assert.deepEqual(await y.moderation.screen('330000', ['标题', '正文里有 测 试 敏 感 词。']), {
      held: true,
      words: ['测试敏感词'],
    });
    assert.deepEqual(await y.moderation.screen('330000', ['一封普通的来信']), { held: false, words: [] });
    // Another site's list is its own.
    assert.equal((await y.moderation.screen('110000', ['测试敏感词'])).held, false);
    // HTML is stripped as the post will be stored: a tag between the characters hides nothing.
    assert.equal((await y.moderation.screen('330000', ['测试<b>敏感</b>词'])).held, true);
  });

  it('adds, imports and removes words through the API; a change applies to the next post', async () => {
    const added = await api('POST', '/api/v1/moderation/words', { word: ' Ｆｏｏ 违规 ' });
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(added.json().word, 'foo违规');
    assert.equal((await y.moderation.screen('330000', ['FOO-违规'])).held, true);
    assert.equal((await api('POST', '/api/v1/moderation/words', { word: 'foo违规' })).statusCode, 409);
    const short = await api('POST', '/api/v1/moderation/words', { word: '！字！' });
    assert.equal(short.statusCode, 400);
    assert.equal(short.json().errors[0].field, 'word');

    const bad = await api('POST', '/api/v1/moderation/words/import', {
      words: '导入词一\n\n#注释\n单\n导入词二\n' + 'x'.repeat(40),
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      bad.json().errors.map((e: { field: string }) => e.field),
      ['line-4', 'line-6'],
    );
    assert.equal((await y.moderation.screen('330000', ['导入词一'])).held, false, 'nothing imported');
    const good = await api('POST', '/api/v1/moderation/words/import', {
      words: '导入词一\r\n导入词二\nfoo违规\n导入词一',
    });
    assert.deepEqual(good.json(), { added: 2, existing: 1 });
    assert.equal((await y.moderation.screen('330000', ['导 入 词 二'])).held, true);

    const list = await api('GET', '/api/v1/moderation/words?q=导入');
    assert.deepEqual(
      list
        .json()
        .items.map((w: { word: string }) => w.word)
        .sort(),
      ['导入词一', '导入词二'],
    );
    assert.equal(
      (await api('DELETE', `/api/v1/moderation/words/${encodeURIComponent('导入词二')}`)).statusCode,
      204,
    );
    assert.equal((await y.moderation.screen('330000', ['导入词二'])).held, false);
    assert.equal(
      (await api('DELETE', `/api/v1/moderation/words/${encodeURIComponent('导入词二')}`)).statusCode,
      404,
    );

    const audited = await sql<{ action: string }>`select action from audit.entry
      where action like 'moderation.%' order by id`.execute(y.db.kysely);
    const actions = audited.rows.map((r) => r.action);
    assert.ok(actions.includes('moderation.word_added') && actions.includes('moderation.word_removed'));
  });

  it('refuses those without content.moderate, and a moderator outside the site-wide jurisdiction may only read', async () => {
    const handler = (await signInStaff(y, { roles: ['handler'], divisionCode: '330106' })).cookie;
    assert.equal((await api('GET', '/api/v1/moderation/words', undefined, handler)).statusCode, 403);
    assert.equal((await api('GET', '/api/v1/moderation/held', undefined, handler)).statusCode, 403);
    assert.equal((await api('GET', '/api/v1/moderation/words', undefined, '')).statusCode, 401);
    const county = (await signInStaff(y, { roles: ['moderator'], divisionCode: '330106' })).cookie;
    assert.equal((await api('GET', '/api/v1/moderation/words', undefined, county)).statusCode, 200);
    assert.equal(
      (await api('POST', '/api/v1/moderation/words', { word: '县级词语' }, county)).statusCode,
      403,
    );
    const page = html(await get('/workbench/moderation/words', county));
    assert.ok(page.includes(zh('moderation.words.not_editable')));
    // The tenant administrator holds it too.
    const admin = (await signInStaff(y, { roles: ['tenant_admin'], divisionCode: '330000' })).cookie;
    assert.equal((await api('GET', '/api/v1/moderation/held', undefined, admin)).statusCode, 200);
  });

  it("lists every source's held posts with the words marked, and passes the moderator's decision on", async () => {
    const held = await api('GET', '/api/v1/moderation/held');
    assert.equal(held.statusCode, 200);
    assert.deepEqual(held.json().items[0], {
      kind: 'fake-posts',
      id: 'p1',
      writer: '张**',
      excerpt: '请问 测 试 敏感词 怎么办',
      words: ['测试敏感词'],
      at: '2026-03-02T01:00:00.000Z',
    });
    const form = await openForm('/workbench/moderation');
    assert.match(form.body, /<mark>测 试 敏感词<\/mark>/);
    assert.match(form.body, /action="\/workbench\/moderation\/fake-posts\/p1\/release"/);

    // A reason is required, shown beside the row's box.
    const noReason = html(
      await post(
        '/workbench/moderation/fake-posts/p1/rejection',
        { _csrf: form.token, reason: ' ' },
        form.cookie,
      ),
      400,
    );
    assert.ok(noReason.includes(zh('moderation.reason.length', { min: 2, max: 500 })));
    const rejected = await post(
      '/workbench/moderation/fake-posts/p1/rejection',
      { _csrf: form.token, reason: '含有不当内容' },
      form.cookie,
    );
    assert.equal(rejected.statusCode, 303, rejected.body.slice(0, 300));
    assert.deepEqual(fake.decided.at(-1)?.reason, '含有不当内容');
    assert.ok(html(await get('/workbench/moderation')).includes(zh('moderation.none_held')));

    fake.posts.set('p2', {
      id: 'p2',
      writer: '李**',
      excerpt: '示例屏蔽词',
      words: ['示例屏蔽词'],
      at: new Date(),
    });
    assert.equal((await api('POST', '/api/v1/moderation/held/fake-posts/p2/release')).statusCode, 204);
    assert.equal(fake.decided.at(-1)?.how, 'released');
    assert.equal((await api('POST', '/api/v1/moderation/held/nothing/p2/release')).statusCode, 404);
    const audited = await sql<{ action: string; object_id: string }>`select action, object_id from audit.entry
      where action in ('moderation.released', 'moderation.rejected') order by id`.execute(y.db.kysely);
    assert.deepEqual(
      audited.rows.map((r) => `${r.action}:${r.object_id}`),
      ['moderation.rejected:p1', 'moderation.released:p2'],
    );
  });

  it('imports a list on the page, each bad line named beside the box and what was typed kept', async () => {
    const form = await openForm('/workbench/moderation/words');
    const bad = html(
      await post(
        '/workbench/moderation/words/import',
        { _csrf: form.token, words: '页面词一\n错' },
        form.cookie,
      ),
      400,
    );
    assert.ok(bad.includes(zh('moderation.import.line', { line: 2, text: '错', min: 2, max: 32 })));
    assert.match(bad, /<textarea[^>]*name="words"[^>]*>页面词一\n错<\/textarea>/);
    const good = await post(
      '/workbench/moderation/words/import',
      { _csrf: form.token, words: '页面词一\n页面词二' },
      form.cookie,
    );
    assert.equal(good.statusCode, 303);
    const page = html(await get(String(good.headers.location)));
    assert.ok(page.includes(zh('moderation.import.done', { added: 2, existing: 0 })));
    const one = html(
      await post('/workbench/moderation/words', { _csrf: form.token, word: '页面词一' }, form.cookie),
      409,
    );
    assert.ok(one.includes(zh('moderation.word.exists', { word: '页面词一' })));
  });
});
