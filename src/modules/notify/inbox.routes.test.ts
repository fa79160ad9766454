/**
 * The inbox over HTTP (JSON API and pages) on the whole application: each account sees and marks only
 * its own entries (another's id answers 404 and changes nothing), read and unread, the text in the
 * reader's language, forms that work without JavaScript, and notify() in the caller's transaction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff, type StaffLogin } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS } from '../../app.ts';
import type { NotifyMessage } from './index.ts';

const TENANT = '330000';
const HTML = { accept: 'text/html' };

const assigned = (accountId: number, n: number): NotifyMessage => ({
  tenantId: TENANT,
  accountId,
  kind: 'workflow.task_assigned',
  params: { number: `ZJ2026-${n}`, title: `食品经营许可 ${n}`, step: '审查', due: '2026-10-08' },
  link: `/workbench/tasks/${n}`,
});

describe('the inbox', () => {
  let t: TestApp;
  let handler: StaffLogin;
  let other: StaffLogin;
  let citizen: { cookie: string; accountId: number };

  const send = (
    method: 'GET' | 'POST',
    url: string,
    cookie: string | null,
    headers: Record<string, string> = {},
  ) => t.app.inject({ method, url, headers: { ...(cookie ? { cookie } : {}), ...headers } });
  const inboxOf = async (cookie: string, query = '') => {
    const res = await send('GET', `/api/v1/inbox${query}`, cookie);
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{
      items: { id: number; subject: string; body: string; link: string | null; readAt: string | null }[];
      total: number;
      unread: number;
    }>();
  };
  const notify = (m: NotifyMessage) => t.notify.notify(t.db.kysely, m);

  before(async () => {
    t = await createTestApp();
    handler = await signInStaff(t, { roles: ['handler'], divisionCode: '330106' });
    other = await signInStaff(t, { roles: ['handler'], divisionCode: '330106' });
    const demo = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: demo.username, password: demo.password },
    });
    const cookie = `yw_session=${login.cookies.find((c) => c.name === 'yw_session')!.value}`;
    const me = (await send('GET', '/api/v1/me', cookie)).json<{ id: number }>();
    citizen = { cookie, accountId: me.id };
  });
  after(() => t.drop());

  it('lists only the caller’s own entries, newest first, with the unread count', async () => {
    for (const n of [1, 2, 3]) await notify(assigned(handler.accountId, n));
    await notify(assigned(other.accountId, 9));
    const mine = await inboxOf(handler.cookie);
    assert.deepEqual(
      mine.items.map((e) => e.subject),
      [
        '新待办：ZJ2026-3 食品经营许可 3',
        '新待办：ZJ2026-2 食品经营许可 2',
        '新待办：ZJ2026-1 食品经营许可 1',
      ],
    );
    assert.equal(mine.total, 3);
    assert.equal(mine.unread, 3);
    assert.equal(
      mine.items[0]!.body,
      '办件“食品经营许可 3”（ZJ2026-3）的“审查”环节已交您或您所在岗位办理，请于 2026-10-08 前办结。',
    );
    assert.equal(mine.items[0]!.link, '/workbench/tasks/3');
    const theirs = await inboxOf(other.cookie);
    assert.deepEqual(
      theirs.items.map((e) => e.subject),
      ['新待办：ZJ2026-9 食品经营许可 9'],
    );
  });

  it('answers in the caller’s language and pages through the entries', async () => {
    const en = await send('GET', '/api/v1/inbox?limit=2&offset=1', handler.cookie, {
      'accept-language': 'en',
    });
    const page = en.json<{ items: { subject: string }[]; total: number; limit: number; offset: number }>();
    assert.deepEqual(
      page.items.map((e) => e.subject),
      ['New task: ZJ2026-2 食品经营许可 2', 'New task: ZJ2026-1 食品经营许可 1'],
    );
    assert.equal(page.total, 3);
  });

  it('marks an entry read once, filters unread ones, and marks all read', async () => {
    const [newest, middle] = (await inboxOf(handler.cookie)).items;
    const first = await send('POST', `/api/v1/inbox/${middle!.id}/read`, handler.cookie);
    assert.equal(first.statusCode, 200, first.body);
    const readAt = first.json<{ readAt: string }>().readAt;
    const again = await send('POST', `/api/v1/inbox/${middle!.id}/read`, handler.cookie);
    assert.equal(again.json<{ readAt: string }>().readAt, readAt, 'the first reading stays');
    const unread = await inboxOf(handler.cookie, '?unread=true');
    assert.deepEqual(
      unread.items.map((e) => e.id),
      [newest!.id, newest!.id - 2],
    );
    assert.equal(unread.total, 2);
    assert.equal(unread.unread, 2);
    const all = await send('POST', '/api/v1/inbox/read-all', handler.cookie);
    assert.deepEqual(all.json(), { marked: 2 });
    assert.equal((await inboxOf(handler.cookie)).unread, 0);
    // The other account's entry was not touched.
    assert.equal((await inboxOf(other.cookie)).unread, 1);
  });

  it('answers 404 for another account’s entry, and leaves it unread', async () => {
    const theirs = (await inboxOf(other.cookie)).items[0]!;
    const res = await send('POST', `/api/v1/inbox/${theirs.id}/read`, handler.cookie);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json<{ code: string }>().code, 'notify.entry.not_found');
    const none = await send('POST', '/api/v1/inbox/999999999/read', handler.cookie);
    assert.equal(none.statusCode, 404);
    assert.equal(none.json<{ detail: string }>().detail, res.json<{ detail: string }>().detail);
    const page = await pageForm(handler.cookie, '/workbench/inbox');
    const viaForm = await t.app.inject({
      method: 'POST',
      url: `/workbench/inbox/${theirs.id}/read`,
      headers: { ...HTML, cookie: page.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(page.csrf)}`,
    });
    assert.equal(viaForm.statusCode, 404);
    assert.equal((await inboxOf(other.cookie)).items[0]!.readAt, null);
  });

  it('asks for a session', async () => {
    assert.equal((await send('GET', '/api/v1/inbox', null)).statusCode, 401);
    assert.equal((await send('POST', '/api/v1/inbox/read-all', null)).statusCode, 401);
    const page = await send('GET', '/account/inbox', null, HTML);
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/login?next=%2Faccount%2Finbox');
  });

  /** A page with its CSRF token, and the cookies to post its forms with. */
  async function pageForm(cookie: string, url: string) {
    const res = await send('GET', url, cookie, HTML);
    assert.equal(res.statusCode, 200, res.body);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? assert.fail('no form on the page');
    const csrfCookie = res.cookies.find((c) => c.name === 'yw_csrf')!.value;
    return { html: res.body, csrf, cookie: `${cookie}; yw_csrf=${csrfCookie}` };
  }

  it('shows the staff inbox in the workbench, in Chinese and in English', async () => {
    await notify({
      tenantId: TENANT,
      accountId: handler.accountId,
      kind: 'workflow.extension_decided',
      params: {
        number: 'ZJ2026-7',
        title: '建筑工程施工许可',
        step: '审核',
        decisionKey: 'notify.decision.approved',
        due: '2026-11-02',
      },
    });
    const zh = await send('GET', '/workbench/inbox', handler.cookie, HTML);
    assert.equal(zh.statusCode, 200);
    assert.match(zh.body, /<html lang="zh-CN"/);
    assert.ok(zh.body.includes('<h1>站内消息</h1>'), zh.body);
    assert.ok(zh.body.includes('<a href="/workbench/inbox" aria-current="page">站内消息</a>'), 'navigation');
    assert.ok(zh.body.includes('未读 1 条，共 4 条。'));
    assert.ok(zh.body.includes('<strong>延期申请结果：ZJ2026-7 建筑工程施工许可</strong>'));
    assert.ok(
      zh.body.includes(
        '您对办件“建筑工程施工许可”（ZJ2026-7）“审核”环节的延期申请已获批准。办理期限：2026-11-02。',
      ),
    );
    assert.match(zh.body, /<time datetime="[^"]+Z">\d{4}-\d\d-\d\d \d\d:\d\d<\/time>/);
    assert.ok(
      zh.body.includes(
        '<a href="/workbench/tasks/3" aria-label="查看详情：新待办：ZJ2026-3 食品经营许可 3">',
      ),
    );
    assert.ok(zh.body.includes('<span class="tag">未读</span>'));
    const en = await send('GET', '/workbench/inbox?lang=en', handler.cookie, HTML);
    assert.match(en.body, /<html lang="en"/);
    assert.ok(en.body.includes('<h1>Inbox</h1>'));
    assert.ok(en.body.includes('1 unread of 4.'));
    assert.ok(
      en.body.includes(
        'Your request to extend the step “审核” of case “建筑工程施工许可” (ZJ2026-7) has been approved. Deadline: 2026-11-02.',
      ),
    );
    assert.ok(en.body.includes('>Mark as read</button>'));
  });

  it('marks read with a form post carrying the CSRF token (no JavaScript), and refuses one without', async () => {
    const page = await pageForm(handler.cookie, '/workbench/inbox?unread=1');
    const id = Number(/action="\/workbench\/inbox\/(\d+)\/read\?unread=1"/.exec(page.html)?.[1]);
    assert.ok(id > 0, page.html);
    const form = (csrf: string) =>
      t.app.inject({
        method: 'POST',
        url: `/workbench/inbox/${id}/read?unread=1`,
        headers: { ...HTML, cookie: page.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrf)}`,
      });
    assert.equal((await form('forged')).statusCode, 403);
    const res = await form(page.csrf);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/workbench/inbox?unread=1');
    const after = await send('GET', '/workbench/inbox?unread=1', handler.cookie, HTML);
    assert.ok(after.body.includes('<p>没有未读消息。</p>'), after.body);
  });

  it('shows the public their inbox on the portal, and sends staff to the workbench’s', async () => {
    await notify({
      tenantId: TENANT,
      accountId: citizen.accountId,
      kind: 'workflow.case_supplement',
      params: { number: 'ZJ2026-11', title: '最低生活保障', reason: '1. 户口簿复印件\n2. 收入证明' },
      link: '/account/cases/11',
    });
    await notify(assigned(citizen.accountId, 12));
    const zh = await pageForm(citizen.cookie, '/account/inbox');
    assert.match(zh.html, /<body class="portal">/);
    assert.ok(zh.html.includes('<strong>补正通知：ZJ2026-11 最低生活保障</strong>'));
    assert.ok(
      zh.html.includes('请补充或更正以下内容：<br/>1. 户口簿复印件<br/>2. 收入证明<br/>补正期间'),
      zh.html,
    );
    const en = await send('GET', '/account/inbox?lang=en', citizen.cookie, HTML);
    assert.ok(en.body.includes('Materials needed: ZJ2026-11 最低生活保障'));
    const all = await t.app.inject({
      method: 'POST',
      url: '/account/inbox/read-all',
      headers: { ...HTML, cookie: zh.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(zh.csrf)}`,
    });
    assert.equal(all.statusCode, 303);
    assert.equal(all.headers.location, '/account/inbox?marked=2');
    const done = await send('GET', '/account/inbox?marked=2', citizen.cookie, HTML);
    assert.ok(done.body.includes('已将 2 条消息标为已读。'));
    assert.ok(done.body.includes('未读 0 条，共 2 条。'));
    const staff = await send('GET', '/account/inbox', handler.cookie, HTML);
    assert.equal(staff.statusCode, 303);
    assert.equal(staff.headers.location, '/workbench/inbox');
    assert.equal((await send('GET', '/workbench/inbox', citizen.cookie, HTML)).statusCode, 403);
  });

  it('writes through the caller’s transaction: a rolled-back action leaves no entry', async () => {
    const before = (await inboxOf(other.cookie)).total;
    await assert.rejects(
      t.db.kysely.transaction().execute(async (trx) => {
        await t.notify.notify(trx, assigned(other.accountId, 50));
        throw new Error('the action failed');
      }),
      /the action failed/,
    );
    assert.equal((await inboxOf(other.cookie)).total, before);
    await t.db.kysely.transaction().execute((trx) => t.notify.notify(trx, assigned(other.accountId, 51)));
    assert.equal((await inboxOf(other.cookie)).items[0]!.subject, '新待办：ZJ2026-51 食品经营许可 51');
  });

  it('refuses a message no one could read: unknown kind, missing param, link off the site, no such account', async () => {
    const ok = assigned(other.accountId, 60);
    await assert.rejects(
      notify({ ...ok, kind: 'workflow.no_such_kind' }),
      /no message notify\.workflow\.no_such_kind/,
    );
    await assert.rejects(
      notify({ ...ok, params: { number: 'x', title: 'y', step: 'z' } }),
      /needs the param "due"/,
    );
    await assert.rejects(notify({ ...ok, link: '//evil.example/x' }), /path on the site/);
    await assert.rejects(notify({ ...ok, link: 'https://evil.example/' }), /path on the site/);
    await assert.rejects(notify({ ...ok, accountId: 987654 }), /no account 987654/);
    await assert.rejects(
      notify({ ...ok, kind: 'workflow.extension_decided', params: { ...ok.params, decisionKey: 'nope.x' } }),
      /names no locale key/,
    );
  });
});
