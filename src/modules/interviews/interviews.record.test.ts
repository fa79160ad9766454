/**
 * The record around an interview: its cover (with a description), the demo's interviews, the questions
 * still waiting when it is archived, and 撤回 — an entry withdrawn by the host, in the transcript, the
 * pages and the live stream.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { MULTIPART, multipartBody } from '../../../test/support/multipart.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS } from '../../app.ts';

const TENANT = '330000';
// A 1×1 PNG, and the first bytes of a GIF (a picture, but not one a cover may be).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01', 'latin1');

describe('online interviews: cover, demo, archiving, withdrawing (撤回)', () => {
  let y: TestApp;
  let base = '';
  const cookies: Record<string, string> = {};
  let guestAccountId = 0;
  const api = (who: string | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    y.app.inject({
      method,
      url,
      headers: who ? { cookie: cookies[who]! } : {},
      ...(payload ? { payload } : {}),
    });
  const soon = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const schedule = async (title: string) => {
    const res = await api('host', 'POST', '/api/v1/interviews', {
      title,
      hostName: '孔主持',
      startsAt: soon(1),
      endsAt: soon(2),
      guests: [{ name: '曹局长', title: '局长', department: '西湖区民政局', accountId: guestAccountId }],
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number };
  };
  const move = (id: number, status: string) =>
    api('host', 'POST', `/api/v1/interviews/${id}/status`, { status });
  /** Multipart as a browser sends it: the CSRF token first, in the body. */
  const multipart = async (
    who: string,
    url: string,
    parts: { name: string; filename?: string; content: Buffer | string }[],
  ) => {
    const page = await api(who, 'GET', '/workbench/interviews');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const csrf = page.cookies.find((c) => c.name === 'yw_csrf');
    const all = [{ name: '_csrf', content: token } as (typeof parts)[number], ...parts];
    const body = multipartBody(all);
    return y.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: csrf ? `${cookies[who]!}; yw_csrf=${csrf.value}` : cookies[who]!,
        'content-type': MULTIPART,
      },
      payload: body,
    });
  };
  /** A form post as a browser sends it (urlencoded, the CSRF token from the page). */
  const form = async (who: string, pageUrl: string, url: string, values: Record<string, string>) => {
    const page = await api(who, 'GET', pageUrl);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const csrf = page.cookies.find((c) => c.name === 'yw_csrf');
    return y.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: csrf ? `${cookies[who]!}; yw_csrf=${csrf.value}` : cookies[who]!,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ _csrf: token, ...values }).toString(),
    });
  };

  before(async () => {
    y = await createTestApp({ seed: true, env: { RATE_LIMIT_PER_MINUTE: '600' } });
    for (const a of DEMO_ACCOUNTS) cookies[a.kind] = await signIn(y, a.username, a.password);
    cookies.host = (await signInStaff(y, { roles: ['interview_host'] })).cookie;
    const guest = await signInStaff(y, { roles: ['interview_guest'], divisionCode: '330106' });
    cookies.guest = guest.cookie;
    guestAccountId = guest.accountId;
    await y.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(y.app.server.address() as AddressInfo).port}`;
  });
  after(() => y.drop());

  it('takes a cover (PNG, JPEG or WebP from the bytes, with a description) and shows it with its alt text', async () => {
    const i = await schedule('封面访谈');
    const url = `/api/v1/interviews/${i.id}/cover`;
    const gif = await multipart('host', url, [
      { name: 'file', filename: 'cover.png', content: GIF },
      { name: 'alt', content: '演播室' },
    ]);
    assert.equal(gif.statusCode, 400, 'a GIF named .png is refused, as a form mistake');
    assert.match(String(gif.headers['content-type']), /application\/problem\+json/);
    assert.deepEqual(
      (gif.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['file'],
    );
    const noAlt = await multipart('host', url, [{ name: 'file', filename: 'c.png', content: PNG }]);
    assert.equal(noAlt.statusCode, 400);
    assert.deepEqual(
      (noAlt.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['alt'],
    );
    assert.equal(
      (await multipart('guest', url, [{ name: 'file', filename: 'c.png', content: PNG }])).statusCode,
      403,
    );
    const ok = await multipart('host', url, [
      { name: 'file', filename: 'c.png', content: PNG },
      { name: 'alt', content: '曹局长在演播室' },
    ]);
    assert.equal(ok.statusCode, 200, ok.body);
    const body = ok.json() as { cover: string; coverAlt: string };
    assert.equal(body.coverAlt, '曹局长在演播室');
    const img = await api(null, 'GET', body.cover);
    assert.equal(img.statusCode, 200);
    assert.equal(img.headers['content-type'], 'image/png');
    const list = await api(null, 'GET', '/interviews');
    assert.ok(list.body.includes(`src="${body.cover.replace(/&/g, '&amp;')}"`), 'the list shows it');
    assert.match(list.body, /alt="曹局长在演播室"/);
    const page = await api(null, 'GET', `/interviews/${i.id}`);
    assert.match(
      page.body,
      /class="interview-cover"[^>]*alt="曹局长在演播室"|alt="曹局长在演播室"[^>]*class="interview-cover"/,
    );

    // The workbench's edit page: the form, a wrong type told beside the field, then removing it.
    const edit = await api('host', 'GET', `/workbench/interviews/${i.id}/edit`);
    assert.match(edit.body, /enctype="multipart\/form-data"/);
    assert.match(edit.body, /id="field-alt"/);
    const wrong = await multipart('host', `/workbench/interviews/${i.id}/cover`, [
      { name: 'file', filename: 'x.png', content: GIF },
      { name: 'alt', content: '说明' },
    ]);
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /id="field-file-error"/);
    assert.match(wrong.body, /PNG、JPEG或WebP/);
    const viaPage = await multipart('host', `/workbench/interviews/${i.id}/cover`, [
      { name: 'file', filename: 'x.png', content: PNG },
      { name: 'alt', content: '新的封面说明' },
    ]);
    assert.equal(viaPage.statusCode, 303, viaPage.body);
    assert.match(
      ((await api(null, 'GET', `/api/v1/interviews/${i.id}`)).json() as { interview: { coverAlt: string } })
        .interview.coverAlt,
      /新的封面说明/,
    );
    const removed = await api('host', 'DELETE', url);
    assert.equal(removed.statusCode, 200);
    assert.equal((removed.json() as { cover: null }).cover, null);
  });

  it('seeds the demo: an archived interview with its transcript and one announced for next week, once', async () => {
    const list = async (status: string) =>
      (
        (await api(null, 'GET', `/api/v1/interviews?status=${status}&limit=100`)).json() as {
          items: { id: number; title: string; startsAt: string; guests: { name: string }[] }[];
        }
      ).items;
    const archived = (await list('archived')).filter((i) => i.title === '居家养老服务补贴政策解读在线访谈');
    const coming = (await list('scheduled')).filter((i) => i.title === '老年助餐服务提质扩面在线访谈');
    assert.equal(archived.length, 1);
    assert.equal(coming.length, 1);
    const days = (Date.parse(coming[0]!.startsAt) - Date.now()) / 86_400_000;
    assert.ok(days > 6 && days < 8, 'next week');
    const one = (await api(null, 'GET', `/api/v1/interviews/${archived[0]!.id}`)).json() as {
      entries: {
        seq: number;
        kind: string;
        status: string | null;
        speaker: { role: string; name: string } | null;
        quote: object | null;
      }[];
    };
    const kinds = one.entries.map((e) => e.kind);
    assert.equal(kinds[0], 'status');
    assert.deepEqual(
      one.entries.slice(-2).map((e) => e.status),
      ['ended', 'archived'],
    );
    assert.ok(kinds.filter((k) => k === 'question').length >= 3);
    assert.equal(kinds.filter((k) => k === 'question').length, kinds.filter((k) => k === 'answer').length);
    assert.ok(one.entries.some((e) => e.kind === 'remark' && e.speaker?.role === 'host'));
    assert.ok(one.entries.some((e) => e.kind === 'answer' && e.speaker?.name === '曹局长' && e.quote));
    assert.ok(one.entries.filter((e) => e.kind === 'question').every((e) => /^.\*+$/.test(e.speaker!.name)));
    assert.deepEqual(
      one.entries.map((e) => e.seq),
      one.entries.map((_, n) => n + 1),
    );
    // demo.guest (曹局长) is tied to the guest: it sees the interview on the workbench.
    const guest = await signIn(y, 'demo.guest', 'Demo#2026guest');
    const bench = await y.app.inject({
      method: 'GET',
      url: '/workbench/interviews',
      headers: { cookie: guest },
    });
    assert.match(bench.body, /老年助餐服务提质扩面在线访谈/);

    // Every start seeds again: nothing is added twice.
    const departments = await y.org.departments.list(TENANT, {
      includeInactive: false,
      limit: 500,
      offset: 0,
    });
    await y.interviews.seedDemo(TENANT, (name) => departments.items.find((d) => d.name === name)?.id);
    assert.equal(
      (await list('archived')).filter((i) => i.title === '居家养老服务补贴政策解读在线访谈').length,
      1,
    );
    assert.equal(
      (await list('scheduled')).filter((i) => i.title === '老年助餐服务提质扩面在线访谈').length,
      1,
    );
    const page = await api(null, 'GET', `/interviews/${archived[0]!.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /文字实录/);
    assert.match(page.body, /居家养老服务补贴/);
  });

  it('closes the questions still waiting when an interview is archived, and tells their askers', async () => {
    const i = await schedule('归档关闭提问');
    const ask = async (question: string, who: string) =>
      (await api(who, 'POST', `/api/v1/interviews/${i.id}/questions`, { question })).json() as {
        id: number;
        status: string;
      };
    const taken = await ask('被采用的问题：补贴怎么申请？', 'person');
    const waiting = await ask('一直没人审核的问题：补贴标准是多少？', 'person');
    const held = await ask('含有测试敏感词的问题', 'enterprise');
    assert.equal(held.status, 'held');
    await api('host', 'POST', `/api/v1/interviews/${i.id}/questions/${taken.id}/decision`, { approve: true });
    await move(i.id, 'live');
    await move(i.id, 'ended');
    assert.equal((await move(i.id, 'archived')).statusCode, 200);
    const mine = (await api('person', 'GET', `/api/v1/interviews/${i.id}/questions`)).json() as {
      items: { id: number; status: string }[];
    };
    assert.equal(mine.items.find((q) => q.id === taken.id)!.status, 'approved');
    assert.equal(mine.items.find((q) => q.id === waiting.id)!.status, 'closed');
    const theirs = (await api('enterprise', 'GET', `/api/v1/interviews/${i.id}/questions`)).json() as {
      items: { id: number; status: string }[];
    };
    assert.equal(theirs.items.find((q) => q.id === held.id)!.status, 'closed');
    assert.ok(!(await y.interviews.heldSource.list(TENANT)).some((h) => h.id === String(held.id)));
    for (const who of ['person', 'enterprise']) {
      const inbox = await api(who, 'GET', '/api/v1/inbox');
      assert.match(inbox.body, /未被采纳：归档关闭提问/, who);
    }
    const queue = (
      await api('host', 'GET', `/api/v1/interviews/${i.id}/questions?status=pending&status=held`)
    ).json() as { items: unknown[] };
    assert.deepEqual(queue.items, [], 'nothing waits on an archived interview');
  });

  it('withdraws an entry (撤回): the reason audited, the transcript and page show 此条已撤回, live viewers get an event', async () => {
    const i = await schedule('撤回测试');
    await move(i.id, 'live');
    const post = async (text: string) =>
      (await api('host', 'POST', `/api/v1/interviews/${i.id}/entries`, { text })).json() as { seq: number };
    const wrong = await post('这条说错了：补贴每月一万元');
    await post('这条是对的');
    // A viewer watching live.
    const events: { id: string; event: string; data: string }[] = [];
    const req = http.get(new URL(`/interviews/${i.id}/live`, base), (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const f = Object.fromEntries(
            block.split('\n').flatMap((l) => {
              const m = /^([a-z]+): ?(.*)$/.exec(l);
              return m ? [[m[1]!, m[2]!]] : [];
            }),
          ) as { id?: string; event?: string; data?: string };
          if (f.data) events.push({ id: f.id ?? '', event: f.event ?? 'message', data: f.data });
        }
      });
    });
    await new Promise((r) => setTimeout(r, 300));

    const url = `/api/v1/interviews/${i.id}/entries/${wrong.seq}/withdrawal`;
    assert.equal((await api('guest', 'POST', url, { reason: '说错了' })).statusCode, 403);
    assert.equal((await api('host', 'POST', url, { reason: ' ' })).statusCode, 400);
    assert.equal(
      (await api('host', 'POST', `/api/v1/interviews/${i.id}/entries/1/withdrawal`, { reason: '状态' }))
        .statusCode,
      409,
    );
    const res = await api('host', 'POST', url, { reason: '补贴金额说错了，应为三百元至八百元' });
    assert.equal(res.statusCode, 201, res.body);
    const withdrawal = res.json() as { seq: number; kind: string; withdraws: number };
    assert.deepEqual([withdrawal.kind, withdrawal.withdraws], ['withdrawal', wrong.seq]);
    assert.equal((await api('host', 'POST', url, { reason: '再撤一次' })).statusCode, 409, 'once');

    // The live viewer is told, in order, with the next number as the event's id.
    const end = Date.now() + 5_000;
    while (!events.some((e) => e.event === 'withdrawal') && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    const told = events.find((e) => e.event === 'withdrawal')!;
    assert.ok(told, 'a withdrawal event');
    assert.equal(told.id, String(withdrawal.seq));
    assert.equal((JSON.parse(told.data) as { withdraws: number }).withdraws, wrong.seq);

    // The transcript: the entry keeps its number, with nothing of what it said.
    const one = (await api(null, 'GET', `/api/v1/interviews/${i.id}`)).json() as {
      entries: { seq: number; text: string; withdrawn: boolean; speaker: unknown }[];
    };
    const gone = one.entries.find((e) => e.seq === wrong.seq)!;
    assert.deepEqual([gone.withdrawn, gone.text, gone.speaker], [true, '', null]);
    const page = await api(null, 'GET', `/interviews/${i.id}`);
    assert.match(page.body, /此条已撤回/);
    assert.doesNotMatch(page.body, /补贴每月一万元/);
    // The reason is in the audit chain.
    const audited = await y.db.kysely
      .selectFrom('audit.entry')
      .select(['detail'])
      .where('action', '=', 'interviews.entry_withdrawn')
      .where('object_id', '=', String(i.id))
      .execute();
    assert.equal(audited.length, 1);
    assert.match(JSON.stringify(audited[0]!.detail), /补贴金额说错了/);

    // On the console, as a form; after archiving, nothing more is withdrawn.
    const second = await post('用页面撤回的一条');
    const viaPage = await form(
      'host',
      `/workbench/interviews/${i.id}`,
      `/workbench/interviews/${i.id}/withdrawals`,
      {
        seq: String(second.seq),
        reason: '重复发布',
      },
    );
    assert.equal(viaPage.statusCode, 303, viaPage.body);
    const empty = await form(
      'host',
      `/workbench/interviews/${i.id}`,
      `/workbench/interviews/${i.id}/withdrawals`,
      {
        seq: String(second.seq + 2),
        reason: '',
      },
    );
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /id="field-reason-error"/);
    await move(i.id, 'ended');
    await move(i.id, 'archived');
    const late = await api(
      'host',
      'POST',
      `/api/v1/interviews/${i.id}/entries/${second.seq - 1}/withdrawal`,
      {
        reason: '归档后',
      },
    );
    assert.equal(late.statusCode, 409);
  });
});
