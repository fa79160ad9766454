import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../app.ts';
import { SAMPLES } from '../../kernel/files/sample-files.ts';
import { pdfText } from '../../kernel/pdf/index.ts';
import type { Item } from '../services/index.ts';
import { chineseDate } from './application.documents.ts';

const PNG = SAMPLES.png();
const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('补正 notices and decision documents of an application (API and pages)', () => {
  let y: TestApp;
  let item: Item;
  const cookies: Record<string, string> = {};
  const api = (who: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    y.app.inject({
      method,
      url,
      headers: who ? { cookie: cookies[who]! } : {},
      ...(payload ? { payload } : {}),
    });
  /** The CSRF token and cookie a page hands out (any page with a form). */
  const csrfFrom = async (who: string, url: string) => {
    const page = await api(who, 'GET', url);
    assert.equal(page.statusCode, 200, `${url}: ${page.body.slice(0, 300)}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(token, `${url} has a form`);
    const cookie = [page.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith('yw_csrf='))
      ?.split(';')[0];
    return { token, cookie: cookie ? `${cookies[who]!}; ${cookie}` : cookies[who]!, body: page.body };
  };
  /** A page's form posted as a browser without JavaScript posts it. */
  const postForm = async (who: string, from: string, url: string, fields: [string, string][]) => {
    const { token, cookie } = await csrfFrom(who, from);
    return y.app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['_csrf', token], ...fields]).toString(),
    });
  };
  /** Files as multipart, the CSRF token as a header (as the API's clients and the pages send them). */
  const upload = async (who: string, from: string, url: string, filename: string) => {
    const { token, cookie } = await csrfFrom(who, from);
    const boundary = 'yiwangtest';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      // A file of its own bytes: the same bytes twice would be one file.
      Buffer.concat([PNG, Buffer.from(filename)]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return y.app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'x-csrf-token': token, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
  };

  /** The citizen applies for 个体工商户设立登记 with the form's samples and the required materials. */
  const apply = async () => {
    const started = await api('citizen', 'POST', '/api/v1/applications', { item: item.code });
    assert.equal(started.statusCode, 201, started.body);
    const id = (started.json() as { id: string }).id;
    const answers = Object.fromEntries(
      Object.entries(item.form!.properties).map(([k, f]) => [k, (f as { 'x-sample'?: unknown })['x-sample']]),
    );
    await api('citizen', 'PUT', `/api/v1/applications/${id}/data`, { data: answers });
    for (const m of item.materials.filter((x) => x.required && x.heldBy === ''))
      await upload('citizen', '/account', `/api/v1/applications/${id}/materials/${m.key}`, `${m.key}.png`);
    const sent = await api('citizen', 'POST', `/api/v1/applications/${id}/submission`);
    assert.equal(sent.statusCode, 201, sent.body);
    return { id, number: (sent.json() as { caseNumber: string }).caseNumber };
  };

  let id = '';
  let number = '';
  let choices: string[] = [];

  before(async () => {
    y = await createTestApp({ seed: true });
    const citizen = DEMO_ACCOUNTS.find((a) => a.username === 'demo.citizen')!;
    cookies.citizen = await signIn(y, citizen.username, citizen.password);
    const window = DEMO_STAFF.find((a) => a.username === 'demo.window')!;
    cookies.window = await signIn(y, window.username, window.password);
    cookies.market = (
      await signInStaff(y, {
        roles: ['handler'],
        divisionCode: '330106',
        departmentName: '西湖区市场监督管理局',
      })
    ).cookie;
    cookies.stranger = (await signInStaff(y, { roles: ['window_officer'], divisionCode: '330102' })).cookie;
    const registered = await y.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: {
        kind: 'person',
        username: 'li.si',
        displayName: '李四',
        password: 'Xihu#2026lake',
        idNumber: '330106199003070014',
      },
    });
    assert.equal(registered.statusCode, 201, registered.body);
    cookies.other = `yw_session=${registered.cookies.find((c) => c.name === 'yw_session')!.value}`;
    const found = await y.app.inject({ url: `/api/v1/services/items?q=${encodeURIComponent('个体工商户')}` });
    const code = (found.json() as { items: { code: string; name: string }[] }).items.find(
      (i) => i.name === '个体工商户设立登记',
    )!.code;
    item = (await y.app.inject({ url: `/api/v1/services/items/${code}` })).json() as Item;
    assert.ok(item.form, 'the item has an application form');
    ({ id, number } = await apply());
  });
  after(() => y.drop());

  it("offers the item's materials and its form as what to ask for; the officer ticks them without JavaScript", async () => {
    const page = await csrfFrom('window', `/workbench/cases/${number}`);
    choices = [...page.body.matchAll(/name="stop-1-\.items\.(\d+)\.choice" value="([^"]*)"/g)].map((m) =>
      unescape(m[2]!),
    );
    assert.deepEqual(choices, [...item.materials.map((m) => m.name), '申请表']);
    assert.match(page.body, /<label for="field-stop-1-\.items\.0\.note">“[^”]+”的问题<\/label>/);
    const stop = (fields: [string, string][]) =>
      postForm('window', `/workbench/cases/${number}`, `/workbench/cases/${number}/actions`, [
        ['_form', 'stop-1-'],
        ['_action', 'stop'],
        ['_task', '1'],
        ['stop-1-.stop', 'supplement'],
        ...choices.map((c, i): [string, string] => [`stop-1-.items.${i}.choice`, c]),
        ...fields,
      ]);
    // Nothing asked for: the problem beside the free text.
    const empty = await stop([['stop-1-.reason', '']]);
    assert.equal(empty.statusCode, 400, empty.body.slice(0, 500));
    assert.match(empty.body, /id="field-stop-1-\.reason-error"/);
    // A note too long beside the third choice (ticked by its note alone): the problem lands beside it.
    const long = await stop([
      ['stop-1-.items.0.label', '1'],
      ['stop-1-.items.0.note', '复印件不清晰'],
      ['stop-1-.items.2.note', '长'.repeat(501)],
    ]);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /id="field-stop-1-\.items\.2\.note-error"/);
    assert.doesNotMatch(long.body, /id="field-stop-1-\.items\.0\.note-error"/);
    assert.match(
      long.body,
      /id="field-stop-1-\.items\.0\.label"[^>]*checked/,
      'what was ticked stays ticked',
    );
    const ok = await stop([
      ['stop-1-.items.0.label', '1'],
      ['stop-1-.items.0.note', '复印件不清晰'],
      ['stop-1-.items.1.note', '已过期'],
      ['stop-1-.reason', '请一次性补齐'],
    ]);
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    const c = (await api('citizen', 'GET', `/api/v1/cases/${number}`)).json() as {
      status: string;
      stop: { reason: string; items: { label: string; note: string }[] };
    };
    assert.equal(c.status, 'stopped');
    assert.deepEqual(c.stop.items, [
      { label: choices[0], note: '复印件不清晰' },
      { label: choices[1], note: '已过期' },
    ]);
    assert.equal(c.stop.reason, '请一次性补齐');
  });

  it('shows the notice as a list on the application page and on the portal case page', async () => {
    const app = await api('citizen', 'GET', `/account/applications/${id}`);
    assert.equal(app.statusCode, 200);
    const html = unescape(app.body);
    assert.match(html, /<h2 id="supplement-title">补正告知<\/h2>/);
    assert.ok(html.includes(`<h3>${choices[0]}</h3><p class="hint">复印件不清晰</p>`));
    assert.ok(html.includes(`<h3>${choices[1]}</h3><p class="hint">已过期</p>`));
    assert.match(html, new RegExp(`action="/account/applications/${id}/supplement/1"`));
    assert.match(html, /重新提交/);
    const portal = unescape((await api('citizen', 'GET', `/account/cases/${number}`)).body);
    assert.ok(portal.includes(`<li><strong>${choices[0]}</strong>：复印件不清晰</li>`));
    assert.ok(portal.includes('请一次性补齐'));
    // The officer's case page lists it too, and no longer offers the stop.
    const office = unescape((await api('window', 'GET', `/workbench/cases/${number}`)).body);
    assert.ok(office.includes(`<li><strong>${choices[1]}</strong>：已过期</li>`));
    assert.ok(!office.includes('stop-1-.items.0.choice'));
  });

  it("keeps each file as the application's and the case's, then 重新提交 ends the stop and the clock runs afresh", async () => {
    const draft = `/account/applications/${id}`;
    assert.equal(
      (await upload('other', '/account', `/api/v1/applications/${id}/supplement/0`, 'x.png')).statusCode,
      404,
      'someone else’s application does not exist for them',
    );
    assert.equal((await upload('citizen', draft, `${draft}/supplement/7`, 'x.png')).statusCode, 404);
    // 重新提交 with nothing given and no word why: refused, naming every item still missing.
    const empty = await api('citizen', 'POST', `/api/v1/applications/${id}/resubmission`, {});
    assert.equal(empty.statusCode, 400, empty.body);
    const problem = empty.json() as { errors: { field: string; code: string; message: string }[] };
    assert.equal(problem.errors[0]!.code, 'applications.supplement.items_missing');
    assert.match(problem.errors[0]!.message, /^尚未补交：.+、.+。/);
    const emptyPage = await postForm('citizen', draft, `${draft}/resubmission`, [['note', '']]);
    assert.equal(emptyPage.statusCode, 400);
    assert.match(unescape(emptyPage.body), /尚未补交：/);
    // Through the page (no JavaScript), then through the API.
    const paged = await upload('citizen', draft, `${draft}/supplement/0`, '补交1.png');
    assert.equal(paged.statusCode, 303, paged.body.slice(0, 500));
    const viaApi = await upload('citizen', draft, `/api/v1/applications/${id}/supplement/1`, '补交2.png');
    assert.equal(viaApi.statusCode, 200, viaApi.body);
    const notice = (
      viaApi.json() as { notice: { items: { label: string; files: { fileName: string }[] }[] } }
    ).notice;
    assert.deepEqual(
      notice.items.map((x) => x.files.map((f) => f.fileName)),
      [['补交1.png'], ['补交2.png']],
    );
    const a = (await api('citizen', 'GET', `/api/v1/applications/${id}`)).json() as {
      files: { material: string; fileName: string }[];
    };
    assert.ok(a.files.some((f) => f.material === item.materials[0]!.key && f.fileName === '补交1.png'));
    const before = (await api('citizen', 'GET', `/api/v1/cases/${number}`)).json() as {
      dueAt: string;
      events: { type: string; filename?: string }[];
    };
    assert.ok(
      before.events.some((e) => e.type === 'attachment.added' && e.filename === `${choices[0]}：补交1.png`),
    );
    assert.ok(
      before.events.some((e) => e.type === 'attachment.added' && e.filename === `${choices[1]}：补交2.png`),
    );
    const page = unescape((await api('citizen', 'GET', draft)).body);
    assert.ok(page.includes('补交1.png'));

    // Staff cannot answer for an online applicant: the application is not theirs to see.
    assert.equal(
      (await api('window', 'POST', `/api/v1/applications/${id}/resubmission`, {})).statusCode,
      404,
    );
    const resubmitted = await postForm('citizen', draft, `${draft}/resubmission`, [['note', '已补齐']]);
    assert.equal(resubmitted.statusCode, 303, resubmitted.body.slice(0, 500));
    assert.equal(resubmitted.headers.location, `${draft}?resubmitted=1`);
    const after_ = (await api('citizen', 'GET', `/api/v1/cases/${number}`)).json() as {
      status: string;
      dueAt: string;
      events: { type: string; deadlines?: { task: number | null }[]; note?: string }[];
    };
    assert.equal(after_.status, 'open');
    const resumed = after_.events.at(-1)!;
    assert.equal(resumed.type, 'clock.resumed');
    assert.equal(resumed.note, '已补齐');
    // 补正 restarts the periods (行政许可法 §32): the case's and the intake task's, from now.
    assert.deepEqual(resumed.deadlines!.map((d) => d.task).sort(), [1, null].sort());
    assert.ok(new Date(after_.dueAt) >= new Date(before.dueAt));
    assert.match((await api('citizen', 'GET', `${draft}?resubmitted=1`)).body, /已重新提交，办件继续办理。/);
    // The notice is answered: no more files for it, no second resubmission.
    assert.equal(
      (await api('citizen', 'POST', `/api/v1/applications/${id}/resubmission`, {})).statusCode,
      409,
    );
    assert.equal(
      (await upload('citizen', '/account', `/api/v1/applications/${id}/supplement/0`, 'late.png')).statusCode,
      409,
    );
    assert.deepEqual((await api('citizen', 'GET', `/api/v1/applications/${id}/supplement`)).json(), {
      notice: null,
    });
  });

  it('lets the window answer a 补正 for a walk-in applicant, who has no account to answer it with', async () => {
    const started = await api('window', 'POST', '/api/v1/applications/window', {
      item: item.code,
      applicant: {
        kind: 'person',
        name: '王走访',
        idNumber: '11010519491231002X',
        document: 'resident_id_card',
      },
    });
    assert.equal(started.statusCode, 201, started.body);
    const walkIn = (started.json() as { id: string }).id;
    const answers = Object.fromEntries(
      Object.entries(item.form!.properties).map(([k, f]) => [k, (f as { 'x-sample'?: unknown })['x-sample']]),
    );
    await api('window', 'PUT', `/api/v1/applications/${walkIn}/data`, { data: answers });
    for (const m of item.materials.filter((x) => x.required && x.heldBy === ''))
      await upload(
        'window',
        '/workbench',
        `/api/v1/applications/${walkIn}/materials/${m.key}`,
        `w-${m.key}.png`,
      );
    const sent = await api('window', 'POST', `/api/v1/applications/${walkIn}/submission`);
    assert.equal(sent.statusCode, 201, sent.body);
    const walkInCase = (sent.json() as { caseNumber: string }).caseNumber;
    const kase = (await api('window', 'GET', `/api/v1/cases/${walkInCase}`)).json() as {
      tasks: { no: number; status: string }[];
    };
    const stopped = await api('window', 'POST', `/api/v1/cases/${walkInCase}/actions`, {
      action: 'stop',
      task: kase.tasks.find((t) => t.status === 'open')!.no,
      stop: 'supplement',
      reason: '',
      items: [{ label: choices[0]!, note: '复印件不清晰' }],
    });
    assert.equal(stopped.statusCode, 200, stopped.body);
    const given = await upload(
      'window',
      '/workbench',
      `/api/v1/applications/${walkIn}/supplement/0`,
      'w-补交.png',
    );
    assert.equal(given.statusCode, 200, given.body);
    const resumed = await api('window', 'POST', `/api/v1/applications/${walkIn}/resubmission`, {});
    assert.equal(resumed.statusCode, 200, resumed.body);
    const after_ = (await api('window', 'GET', `/api/v1/cases/${walkInCase}`)).json() as { status: string };
    assert.equal(after_.status, 'open');
    // Another window's officer is no window of this applicant's.
    assert.equal(
      (await api('stranger', 'POST', `/api/v1/applications/${walkIn}/resubmission`, {})).statusCode,
      404,
    );
  });

  it('renders each decision document as a PDF for the applicant and staff who see the case; 404 for others', async () => {
    const accept = await api('window', 'POST', `/api/v1/cases/${number}/actions`, {
      action: 'step',
      task: 1,
      name: 'accept',
    });
    assert.equal(accept.statusCode, 200, accept.body);
    const list = await api('citizen', 'GET', `/api/v1/applications/${id}/documents`);
    assert.equal(list.statusCode, 200, list.body);
    const docs = (list.json() as { items: { n: number; kind: string; title: string; href: string }[] }).items;
    assert.deepEqual(
      docs.map((d) => [d.n, d.kind, d.title]),
      [
        [1, 'supplement', '补正告知书'],
        [2, 'acceptance', '受理通知书'],
      ],
    );
    assert.equal(docs[1]!.href, `/api/v1/applications/${id}/documents/2.pdf`);
    const applicant = (await api('citizen', 'GET', `/api/v1/applications/${id}`)).json() as {
      applicant: { name: string };
    };
    const today = chineseDate(new Date());
    const textOf = async (who: string, n: number) => {
      const res = await api(who, 'GET', `/api/v1/applications/${id}/documents/${n}.pdf`);
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.equal(res.headers['content-type'], 'application/pdf');
      return (await pdfText(res.rawPayload)).replace(/\s+/g, '');
    };
    const notice = await textOf('citizen', 1);
    for (const expected of [
      '补正告知书',
      number,
      `${applicant.applicant.name}：`,
      item.name,
      choices[0]!,
      '复印件不清晰',
      choices[1]!,
      '已过期',
      '请一次性补齐',
      item.departmentName,
      today,
    ])
      assert.ok(notice.includes(expected.replace(/\s+/g, '')), `${expected} in ${notice}`);
    const accepted = await textOf('window', 2);
    for (const expected of ['受理通知书', number, applicant.applicant.name, item.name, '予以受理', today])
      assert.ok(accepted.includes(expected), `${expected} in ${accepted}`);
    // A handler of the next step sees the case, so its documents; the same bytes each time.
    const again = await api('market', 'GET', `/api/v1/applications/${id}/documents/2.pdf`);
    assert.equal(again.statusCode, 200);
    const first = await api('citizen', 'GET', `/api/v1/applications/${id}/documents/2.pdf`);
    assert.deepEqual(again.rawPayload, first.rawPayload);
    for (const who of ['other', 'stranger']) {
      assert.equal((await api(who, 'GET', `/api/v1/applications/${id}/documents`)).statusCode, 404, who);
      assert.equal(
        (await api(who, 'GET', `/api/v1/applications/${id}/documents/1.pdf`)).statusCode,
        404,
        who,
      );
    }
    assert.equal((await api(null, 'GET', `/api/v1/applications/${id}/documents`)).statusCode, 401);
    assert.equal((await api('citizen', 'GET', `/api/v1/applications/${id}/documents/3.pdf`)).statusCode, 404);
    const audited = await y.db.kysely
      .selectFrom('audit.entry')
      .select('action')
      .where('object_id', '=', id)
      .where('action', '=', 'applications.decision_downloaded')
      .execute();
    assert.ok(audited.length >= 4);
    // Linked from the application page, the portal case page and the workbench case page.
    const link = `href="/api/v1/applications/${id}/documents/2.pdf"`;
    assert.ok((await api('citizen', 'GET', `/account/applications/${id}`)).body.includes(link));
    assert.match((await api('citizen', 'GET', `/account/cases/${number}`)).body, /下载受理通知书（PDF）/);
    assert.ok((await api('window', 'GET', `/workbench/cases/${number}`)).body.includes(link));
  });

  it('renders the 不予受理决定书 with the reason and the legal basis', async () => {
    const second = await apply();
    const refuse = await api('window', 'POST', `/api/v1/cases/${second.number}/actions`, {
      action: 'step',
      task: 1,
      name: 'refuse',
      input: { reason: '经营场所位于禁止设立区域', basis: '《个体工商户条例》第八条' },
    });
    assert.equal(refuse.statusCode, 200, refuse.body);
    const docs = (
      (await api('citizen', 'GET', `/api/v1/applications/${second.id}/documents`)).json() as {
        items: { n: number; kind: string }[];
      }
    ).items;
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['refusal'],
    );
    const res = await api('citizen', 'GET', `/api/v1/applications/${second.id}/documents/1.pdf`);
    assert.equal(res.statusCode, 200);
    const text = (await pdfText(res.rawPayload)).replace(/\s+/g, '');
    for (const expected of [
      '不予受理决定书',
      second.number,
      '决定不予受理',
      '理由：经营场所位于禁止设立区域',
      '依据：《个体工商户条例》第八条',
      '行政复议',
    ])
      assert.ok(text.includes(expected), `${expected} in ${text}`);
  });
});
