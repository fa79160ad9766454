import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createTestApp,
  createTestDatabase,
  testConfig,
  type TestApp,
  type TestDatabase,
} from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { buildApp, DEMO_ACCOUNTS, type Yiwang } from '../../app.ts';
import { systemContext } from '../../kernel/audit/index.ts';

const TENANT = '330000';

interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/** A real EventSource-like client: one GET held open, events parsed as they arrive. */
function openStream(base: string, url: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  let status = 0;
  let contentType = '';
  let req!: http.ClientRequest;
  const ready = new Promise<void>((resolve, reject) => {
    req = http.get(new URL(url, base), { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      status = res.statusCode ?? 0;
      contentType = String(res.headers['content-type'] ?? '');
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: SseEvent = { id: undefined, event: 'message', data: '' };
          let any = false;
          for (const line of block.split('\n')) {
            const m = /^([a-z]+): ?(.*)$/i.exec(line);
            if (!m) continue;
            any = true;
            if (m[1] === 'id') e.id = m[2];
            else if (m[1] === 'event') e.event = m[2]!;
            else if (m[1] === 'data') e.data += m[2];
          }
          if (any && e.data) events.push(e);
          waiters.splice(0).forEach((w) => w());
        }
      });
      resolve();
    });
    req.on('error', reject);
  });
  return {
    events,
    ready,
    status: () => status,
    contentType: () => contentType,
    /** Waits until `count` events have come. */
    async until(count: number, ms = 5_000) {
      const end = Date.now() + ms;
      while (events.length < count) {
        if (Date.now() > end) assert.fail(`${count} events within ${ms} ms (got ${events.length})`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return events;
    },
    close: () => req.destroy(),
  };
}

const data = (e: SseEvent) =>
  JSON.parse(e.data) as {
    seq: number;
    kind: string;
    text: string;
    speaker: { name: string } | null;
    quote: { name: string; text: string } | null;
  };

describe('online interviews (在线访谈) over HTTP, in pages and live', () => {
  let y: TestApp;
  let base = '';
  const cookies: Record<string, string> = {};
  let guestAccountId = 0;
  const api = (who: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    y.app.inject({
      method,
      url,
      headers: who ? { cookie: cookies[who]! } : {},
      ...(payload ? { payload } : {}),
    });
  const soon = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const schedule = async (title = '民生政策在线访谈', guests?: object[]) => {
    const res = await api('host', 'POST', '/api/v1/interviews', {
      title,
      summary: '<p>解读最低生活保障新政</p>',
      hostName: '孔主持',
      startsAt: soon(1),
      endsAt: soon(2),
      guests: guests ?? [
        { name: '曹局长', title: '局长', department: '西湖区民政局', accountId: guestAccountId },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; status: string; summary: string };
  };
  const move = (id: number, status: string, who = 'host') =>
    api(who, 'POST', `/api/v1/interviews/${id}/status`, { status });
  const ask = (id: number, question: string, who = 'person') =>
    api(who, 'POST', `/api/v1/interviews/${id}/questions`, { question });

  before(async () => {
    // 600 a minute per address: a question may be asked 10 times a minute per writer.
    y = await createTestApp({ seed: true, env: { RATE_LIMIT_PER_MINUTE: '600' } });
    for (const a of DEMO_ACCOUNTS) cookies[a.kind] = await signIn(y, a.username, a.password);
    cookies.host = (await signInStaff(y, { roles: ['interview_host'] })).cookie;
    cookies.farHost = (await signInStaff(y, { roles: ['interview_host'], divisionCode: '330106' })).cookie;
    const guest = await signInStaff(y, { roles: ['interview_guest'], divisionCode: '330106' });
    cookies.guest = guest.cookie;
    guestAccountId = guest.accountId;
    cookies.otherGuest = (
      await signInStaff(y, { roles: ['interview_guest'], divisionCode: '330106' })
    ).cookie;
    await y.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(y.app.server.address() as AddressInfo).port}`;
  });
  after(() => y.drop());

  it('moves scheduled → live → ended → archived, and refuses every other move with 409', async () => {
    const i = await schedule();
    assert.equal(i.status, 'scheduled');
    assert.equal(i.summary, '解读最低生活保障新政', 'stored as plain text');
    assert.equal((await move(i.id, 'ended')).statusCode, 409);
    assert.equal((await move(i.id, 'archived')).statusCode, 409);
    // Only hosts; and only those whose jurisdiction holds it (a district host does not see a province's).
    assert.equal((await move(i.id, 'live', 'guest')).statusCode, 403);
    assert.equal((await move(i.id, 'live', 'farHost')).statusCode, 404);
    const live = await move(i.id, 'live');
    assert.equal(live.statusCode, 200, live.body);
    assert.equal((live.json() as { status: string }).status, 'live');
    assert.equal((await move(i.id, 'live')).statusCode, 409);
    const edit = await api('host', 'PUT', `/api/v1/interviews/${i.id}`, {
      title: '改名',
      hostName: '孔主持',
      startsAt: soon(1),
      endsAt: soon(2),
      guests: [{ name: '曹局长', accountId: null }],
    });
    assert.equal(edit.statusCode, 409, 'no edits once live');
    assert.equal((await move(i.id, 'ended')).statusCode, 200);
    assert.equal((await ask(i.id, '结束后还能提问吗？')).statusCode, 409);
    assert.equal((await move(i.id, 'live')).statusCode, 409);
    assert.equal((await move(i.id, 'archived')).statusCode, 200);
    const one = (await api(null, 'GET', `/api/v1/interviews/${i.id}`)).json() as {
      interview: { status: string };
      entries: { seq: number; kind: string; status: string }[];
    };
    assert.equal(one.interview.status, 'archived');
    assert.deepEqual(
      one.entries.map((e) => [e.seq, e.kind, e.status]),
      [
        [1, 'status', 'live'],
        [2, 'status', 'ended'],
        [3, 'status', 'archived'],
      ],
    );
  });

  it('checks the form: times in order, a guest named, a guest account that is a guest account', async () => {
    const res = await api('host', 'POST', '/api/v1/interviews', {
      title: '',
      hostName: '孔主持',
      startsAt: soon(2),
      endsAt: soon(1),
      guests: [{ name: '某人', accountId: 999999 }],
    });
    assert.equal(res.statusCode, 400);
    const fields = (res.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['endsAt', 'guests.0.accountId', 'title']);
    assert.equal((await api('person', 'POST', '/api/v1/interviews', {})).statusCode, 403);
  });

  it('shows a question only after a moderator approves it, the asker masked; holds sensitive words for the moderation page', async () => {
    const i = await schedule('提问审核');
    const q = await ask(i.id, '<b>请问</b>低保标准是多少？我的手机13800138000');
    assert.equal(q.statusCode, 201, q.body);
    const question = q.json() as { id: number; status: string; text: string };
    assert.deepEqual(
      [question.status, question.text],
      ['pending', '请问低保标准是多少？我的手机13800138000'],
    );
    assert.equal((await ask(i.id, '这里有测试敏感词吗？')).json().status, 'held');
    // Nothing public yet; the host's queue has the pending one, not the held one.
    assert.equal(
      ((await api(null, 'GET', `/api/v1/interviews/${i.id}`)).json() as { entries: [] }).entries.length,
      0,
    );
    const queue = (
      await api('host', 'GET', `/api/v1/interviews/${i.id}/questions?status=pending`)
    ).json() as {
      items: { id: number }[];
    };
    assert.deepEqual(
      queue.items.map((x) => x.id),
      [question.id],
    );
    // Staff may not ask; a citizen may not decide.
    assert.equal((await ask(i.id, '工作人员提问测试', 'host')).statusCode, 403);
    const decide = (qid: number, body: object, who = 'host') =>
      api(who, 'POST', `/api/v1/interviews/${i.id}/questions/${qid}/decision`, body);
    assert.equal((await decide(question.id, { approve: true }, 'person')).statusCode, 403);
    assert.equal((await decide(question.id, { approve: true })).statusCode, 200);
    assert.equal((await decide(question.id, { approve: true })).statusCode, 409, 'decided once');
    const entries = (
      (await api(null, 'GET', `/api/v1/interviews/${i.id}`)).json() as {
        entries: { kind: string; text: string; speaker: { role: string; name: string } }[];
      }
    ).entries;
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.kind, 'question');
    assert.equal(entries[0]!.speaker.role, 'public');
    assert.match(entries[0]!.speaker.name, /^.\*\*$/);
    assert.equal(entries[0]!.text, '请问低保标准是多少？我的手机138****8000');

    // The held one, through the source the moderation page lists: rejected with a reason, the asker told.
    const held = await y.interviews.heldSource.list(TENANT);
    const mine = held.find((h) => h.excerpt.includes('测试敏感词'))!;
    assert.deepEqual(mine.words, ['测试敏感词']);
    await y.interviews.heldSource.reject(systemContext(TENANT), mine.id, '含有不当内容');
    const own = (await api('person', 'GET', `/api/v1/interviews/${i.id}/questions`)).json() as {
      items: { status: string; reason: string | null }[];
    };
    assert.ok(own.items.some((x) => x.status === 'rejected' && x.reason === '含有不当内容'));
    const inbox = await api('person', 'GET', '/api/v1/inbox');
    assert.match(inbox.body, /未被采用/);
    // Released, a held question waits for the interview's moderator like any other.
    const again = (await ask(i.id, '测试敏感词第二次')).json() as { id: number };
    await y.interviews.heldSource.release(systemContext(TENANT), String(again.id));
    const pending = (
      await api('host', 'GET', `/api/v1/interviews/${i.id}/questions?status=pending`)
    ).json() as {
      items: { id: number }[];
    };
    assert.ok(pending.items.some((x) => x.id === again.id));
  });

  it('answers: the tied guest as the guest, quoting the question; another guest gets 404; only while live', async () => {
    const i = await schedule('嘉宾回答');
    const q = (await ask(i.id, '低保申请要多久能批下来？')).json() as { id: number };
    await api('host', 'POST', `/api/v1/interviews/${i.id}/questions/${q.id}/decision`, { approve: true });
    const answer = { text: '一般在20个工作日内办结。', questionId: q.id };
    assert.equal(
      (await api('guest', 'POST', `/api/v1/interviews/${i.id}/entries`, answer)).statusCode,
      409,
      'not live',
    );
    await move(i.id, 'live');
    assert.equal(
      (await api('otherGuest', 'POST', `/api/v1/interviews/${i.id}/entries`, answer)).statusCode,
      404,
    );
    const res = await api('guest', 'POST', `/api/v1/interviews/${i.id}/entries`, answer);
    assert.equal(res.statusCode, 201, res.body);
    const e = res.json() as {
      kind: string;
      speaker: { role: string; name: string; title: string };
      quote: { text: string };
    };
    assert.equal(e.kind, 'answer');
    assert.deepEqual(e.speaker, { role: 'guest', name: '曹局长', title: '西湖区民政局局长' });
    assert.equal(e.quote.text, '低保申请要多久能批下来？');
    const remark = await api('host', 'POST', `/api/v1/interviews/${i.id}/entries`, {
      text: '欢迎各位网友。',
    });
    assert.equal((remark.json() as { speaker: { role: string } }).speaker.role, 'host');
    const bad = await api('host', 'POST', `/api/v1/interviews/${i.id}/entries`, {
      text: ' ',
      questionId: null,
    });
    assert.equal(bad.statusCode, 400);
  });

  it('limits the questions one writer posts a minute (429 with Retry-After)', async () => {
    const i = await schedule('限流');
    const answers: number[] = [];
    for (let n = 0; n < 11; n++)
      answers.push((await ask(i.id, `第${n}个问题：请问怎么办理？`, 'enterprise')).statusCode);
    // Ten a minute: five wait (201), then the cap on waiting questions (409), then the rate limit.
    assert.deepEqual(answers.slice(0, 5), [201, 201, 201, 201, 201]);
    assert.ok(answers.slice(5, 10).every((s) => s === 409));
    const last = await ask(i.id, '第十一个问题：请问怎么办理？', 'enterprise');
    assert.equal(answers[10], 429);
    assert.equal(last.statusCode, 429);
    assert.ok(Number(last.headers['retry-after']) > 0);
  });

  it('streams new entries as server-sent events, and resumes after Last-Event-ID', async () => {
    const i = await schedule('直播推送');
    await move(i.id, 'live');
    const viewer = openStream(base, `/interviews/${i.id}/live`);
    await viewer.ready;
    assert.equal(viewer.status(), 200);
    assert.match(viewer.contentType(), /^text\/event-stream/);
    // Let the viewer join before posting (it asks for new entries only).
    await new Promise((r) => setTimeout(r, 200));
    for (const text of ['第一条主持词', '第二条主持词', '第三条主持词'])
      assert.equal(
        (await api('host', 'POST', `/api/v1/interviews/${i.id}/entries`, { text })).statusCode,
        201,
      );
    const got = await viewer.until(3);
    assert.deepEqual(
      got.map((e) => [e.id, e.event, data(e).text]),
      [
        ['2', 'entry', '第一条主持词'],
        ['3', 'entry', '第二条主持词'],
        ['4', 'entry', '第三条主持词'],
      ],
    );
    viewer.close();

    // A viewer back after a drop says the last id it saw and gets what came after, then live ones.
    const back = openStream(base, `/interviews/${i.id}/live`, { 'last-event-id': '2' });
    await back.until(2);
    assert.deepEqual(
      back.events.map((e) => e.id),
      ['3', '4'],
    );
    await api('host', 'POST', `/api/v1/interviews/${i.id}/entries`, { text: '第四条' });
    await back.until(3);
    assert.equal(data(back.events[2]!).text, '第四条');
    // The page's ?after= does the same for a first connection.
    const fromPage = openStream(base, `/interviews/${i.id}/live?after=4`);
    await fromPage.until(1);
    assert.deepEqual(
      fromPage.events.map((e) => e.id),
      ['5'],
    );
    back.close();
    fromPage.close();
    const missing = openStream(base, '/interviews/999999/live');
    await missing.ready;
    assert.equal(missing.status(), 404);
    missing.close();
  });

  it('serves the pages: the list, the transcript without JavaScript, the question form, the workbench console', async () => {
    const i = await schedule('页面');
    await move(i.id, 'live');
    await api('host', 'POST', `/api/v1/interviews/${i.id}/entries`, { text: '页面上的主持词' });
    const list = await api(null, 'GET', '/interviews');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /页面/);
    const page = await api(null, 'GET', `/interviews/${i.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /页面上的主持词/);
    assert.match(
      page.body,
      /<script src="\/static\/interviews-live.js" defer=""><\/script>|<script src="\/static\/interviews-live.js" defer><\/script>/,
    );
    assert.match(page.body, /登录后提问/);
    // The form, as a browser posts it.
    const mine = await api('person', 'GET', `/interviews/${i.id}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(mine.body)![1]!;
    const csrf = mine.cookies.find((c) => c.name === 'yw_csrf');
    const post = (question: string) =>
      y.app.inject({
        method: 'POST',
        url: `/interviews/${i.id}/questions`,
        headers: {
          cookie: csrf ? `${cookies.person!}; yw_csrf=${csrf.value}` : cookies.person!,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: token, question }).toString(),
      });
    const short = await post('短');
    assert.equal(short.statusCode, 400);
    assert.match(short.body, /field-question-error/);
    const ok = await post('通过页面提交的问题');
    assert.equal(ok.statusCode, 303);
    const console = await api('host', 'GET', `/workbench/interviews/${i.id}`);
    assert.equal(console.statusCode, 200);
    assert.match(console.body, /通过页面提交的问题/);
    assert.equal((await api('guest', 'GET', `/workbench/interviews/${i.id}`)).statusCode, 200);
    assert.equal((await api('otherGuest', 'GET', `/workbench/interviews/${i.id}`)).statusCode, 404);
  });
});

describe('online interviews on two nodes of one database', () => {
  let test: TestDatabase;
  let dir: string;
  let one: Yiwang;
  let two: Yiwang;
  const onPostgres = Boolean(process.env.DATABASE_URL);

  before(async () => {
    if (!onPostgres) return;
    test = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'yw-interviews-'));
    const config = testConfig({ DATA_DIR: dir, DATABASE_URL: process.env.DATABASE_URL!, SEED_DEMO: 'true' });
    one = await buildApp(config, { db: test.db });
    two = await buildApp(config, { db: test.db });
    await two.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    if (!onPostgres) return;
    await one?.close();
    await two?.close();
    await test?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "delivers a post made on one node to the other node's viewers (NOTIFY)",
    {
      skip: onPostgres ? false : 'PGlite is one process: there is no second node (the hub is told directly)',
    },
    async () => {
      const ctx = systemContext(TENANT);
      const host = (await signInStaff(one, { roles: ['interview_host'] })).cookie;
      const res = await one.app.inject({
        method: 'POST',
        url: '/api/v1/interviews',
        headers: { cookie: host },
        payload: {
          title: '两节点',
          hostName: '主持',
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          guests: [{ name: '嘉宾', accountId: null }],
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json() as { id: number };
      await one.interviews.interviews.transition(ctx, created.id, 'live');
      const base = `http://127.0.0.1:${(two.app.server.address() as AddressInfo).port}`;
      const viewer = openStream(base, `/interviews/${created.id}/live`);
      await viewer.ready;
      await new Promise((r) => setTimeout(r, 300));
      await one.interviews.interviews.post(ctx, created.id, { text: '从第一个节点发布' });
      const got = await viewer.until(1);
      assert.equal(data(got[0]!).text, '从第一个节点发布');
      assert.equal(got[0]!.id, '2');
      viewer.close();
    },
  );
});
