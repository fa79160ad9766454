import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../app.ts';

describe('cases over HTTP (API and pages)', () => {
  let y: TestApp;
  const cookies: Record<string, string> = {};
  const login = async (username: string, password: string) => {
    const res = await y.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username, password },
    });
    assert.equal(res.statusCode, 200, res.body);
    const c = [res.headers['set-cookie']].flat().find((x) => x?.startsWith('yw_session='))!;
    return c.split(';')[0]!;
  };
  const api = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    y.app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload ? { payload } : {}) });
  let number = '';

  before(async () => {
    y = await createTestApp({ seed: true });
    const citizen = DEMO_ACCOUNTS.find((a) => a.username === 'demo.citizen')!;
    cookies.citizen = await login(citizen.username, citizen.password);
    for (const s of DEMO_STAFF.filter((x) =>
      ['demo.window', 'demo.handler', 'demo.head', 'demo.supervisor'].includes(x.username),
    ))
      cookies[s.username.slice(5)] = await login(s.username, s.password);
    cookies.sibling = (await signInStaff(y, { roles: ['supervisor'], divisionCode: '330102' })).cookie;
  });
  after(() => y.drop());

  it('lets a citizen apply; the case goes to the window of the district, hidden from others', async () => {
    const bad = await api('citizen', 'POST', '/api/v1/cases', {
      definition: 'demo.assistance',
      title: '临时救助申请',
      data: { amount: 0 },
      division: '330106',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.headers['content-type'] as string, /application\/problem\+json/);
    const fields = (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['amount', 'reason']);
    const res = await api('citizen', 'POST', '/api/v1/cases', {
      definition: 'demo.assistance',
      title: '临时救助申请',
      data: { reason: '家中失火', amount: 3000 },
      division: '330106',
    });
    assert.equal(res.statusCode, 201, res.body);
    const c = res.json() as { number: string; tasks: { step: string }[]; available: { action: string }[] };
    number = c.number;
    assert.match(number, /^3300002026|^330000\d{4}/);
    assert.equal(c.tasks[0]!.step, 'intake');
    assert.deepEqual(
      c.available.map((a) => a.action),
      ['attach'],
    );
    const seen = await api('window', 'GET', `/api/v1/cases/${number}`);
    assert.ok((seen.json() as { available: { name?: string }[] }).available.some((a) => a.name === 'accept'));
    for (const who of ['handler', 'sibling'])
      assert.equal((await api(who, 'GET', `/api/v1/cases/${number}`)).statusCode, 404, who);
  });

  it('refuses an action not allowed now with 409 naming the step and the action, the case unchanged', async () => {
    const res = await api('window', 'POST', `/api/v1/cases/${number}/actions`, {
      action: 'step',
      task: 1,
      name: 'approve',
    });
    assert.equal(res.statusCode, 409);
    const p = res.json() as { detail: string };
    assert.match(p.detail, /approve/);
    assert.match(p.detail, /intake/);
    const refuse = await api('window', 'POST', `/api/v1/cases/${number}/actions`, {
      action: 'step',
      task: 1,
      name: 'refuse',
      input: {},
    });
    assert.equal(refuse.statusCode, 400);
    assert.equal((refuse.json() as { errors: { field: string }[] }).errors[0]!.field, 'reason');
    const still = (await api('window', 'GET', `/api/v1/cases/${number}`)).json() as {
      status: string;
      events: unknown[];
    };
    assert.equal(still.status, 'open');
    assert.equal(still.events.length, 2);
  });

  it('walks intake → review; the handler sees it in their tasks; a supervisor above urges it, the handler acknowledges', async () => {
    assert.equal(
      (
        await api('window', 'POST', `/api/v1/cases/${number}/actions`, {
          action: 'step',
          task: 1,
          name: 'accept',
        })
      ).statusCode,
      200,
    );
    const tasks = (await api('handler', 'GET', '/api/v1/tasks')).json() as {
      items: { caseNumber: string; step: string }[];
    };
    assert.ok(tasks.items.some((t) => t.caseNumber === number && t.step === 'review'));
    assert.equal(
      (await api('handler', 'POST', `/api/v1/cases/${number}/actions`, { action: 'claim', task: 2 }))
        .statusCode,
      200,
    );
    // the sibling district's supervisor cannot reach it; the city's can
    assert.equal(
      (await api('sibling', 'POST', `/api/v1/cases/${number}/actions`, { action: 'urge', note: '快' }))
        .statusCode,
      404,
    );
    assert.equal(
      (
        await api('supervisor', 'POST', `/api/v1/cases/${number}/actions`, {
          action: 'urge',
          note: '请三日内办结',
        })
      ).statusCode,
      200,
    );
    const inbox = await api('handler', 'GET', '/api/v1/inbox');
    assert.match(inbox.body, /请三日内办结/);
    const ack = await api('handler', 'POST', `/api/v1/cases/${number}/actions`, {
      action: 'acknowledge',
      note: '收到',
    });
    assert.equal(ack.statusCode, 200);
    // a card is permanent: in the log, and nobody can take it back
    assert.equal(
      (
        await api('supervisor', 'POST', `/api/v1/cases/${number}/actions`, {
          action: 'card',
          color: 'yellow',
          departmentId: 999999,
          reason: 'x',
        })
      ).statusCode,
      400,
    );
  });

  it('shows supervisors their jurisdiction only', async () => {
    const city = (await api('supervisor', 'GET', '/api/v1/supervision/departments')).json() as {
      items: { department: string; open: number }[];
    };
    assert.ok(city.items.some((d) => d.department === '西湖区民政局' && d.open === 1));
    const sibling = (await api('sibling', 'GET', '/api/v1/supervision/departments')).json() as {
      items: unknown[];
    };
    assert.deepEqual(sibling.items, []);
    assert.equal((await api('handler', 'GET', '/api/v1/supervision/departments')).statusCode, 403);
    assert.equal(
      (await api('supervisor', 'GET', '/api/v1/supervision/departments?division=330102')).statusCode,
      200,
    );
    assert.equal(
      (await api('sibling', 'GET', '/api/v1/supervision/departments?division=330106')).statusCode,
      404,
    );
  });

  it('renders the pages: my tasks, the case with its forms, supervision with its chart, the applicant’s case', async () => {
    const tasks = await api('handler', 'GET', '/workbench/tasks');
    assert.equal(tasks.statusCode, 200);
    assert.ok(tasks.body.includes(number));
    const page = await api('handler', 'GET', `/workbench/cases/${number}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('审核通过'));
    const sup = await api('supervisor', 'GET', '/workbench/supervision');
    assert.ok(sup.body.includes('<svg'));
    const mine = await api('citizen', 'GET', '/account/cases');
    assert.ok(mine.body.includes(number));
    const detail = await api('citizen', 'GET', `/account/cases/${number}`);
    assert.equal(detail.statusCode, 200);
    assert.ok(!detail.body.includes('请三日内办结'), 'the urge is internal');
    const api_ = (await api('citizen', 'GET', `/api/v1/cases/${number}`)).json() as {
      events: { type: string }[];
    };
    assert.ok(
      !api_.events.some((e) => ['task.claimed', 'case.urged', 'comment.added'].includes(e.type)),
      'the applicant’s API view leaves out the office’s events, as the page does',
    );
  });

  it('recomputes open deadlines when an administrator enters next year’s schedule, logged on the case', async () => {
    const admin = await signInStaff(y, { roles: ['tenant_admin'], divisionCode: '330000' });
    const definer = await signInStaff(y, { roles: ['system_admin'], divisionCode: '330000' });
    // A process whose one step lasts 300 working days: its deadline lies beyond next January.
    const long = {
      code: 'test.long',
      name: { 'zh-CN': '长期事项' },
      applicants: ['internal'],
      start: 'work',
      steps: {
        work: {
          name: { 'zh-CN': '办理' },
          assignee: { department: 'case', role: 'handler' },
          limit: { amount: 300, unit: 'working-days' },
          actions: { done: { name: { 'zh-CN': '办结' }, to: 'end' } },
        },
      },
    };
    const put = await y.app.inject({
      method: 'PUT',
      url: '/api/v1/workflow/definitions/test.long',
      headers: { cookie: definer.cookie },
      payload: long,
    });
    assert.equal(put.statusCode, 200, put.body);
    const opened = await api('handler', 'POST', '/api/v1/cases', {
      definition: 'test.long',
      title: '长期事项',
      data: {},
    });
    assert.equal(opened.statusCode, 201, opened.body);
    const c = opened.json() as { number: string; tasks: { dueAt: string }[] };
    const year = new Date().getFullYear() + 1;
    let day = new Date(Date.UTC(year, 0, 5));
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() + 86_400_000);
    const res = await y.app.inject({
      method: 'PUT',
      url: `/api/v1/calendar/years/${year}`,
      headers: { cookie: admin.cookie },
      payload: {
        published: true,
        holidays: [{ date: day.toISOString().slice(0, 10), name: '地方假日' }],
        workdays: [],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const after_ = (await api('handler', 'GET', `/api/v1/cases/${c.number}`)).json() as {
      tasks: { dueAt: string }[];
      events: { type: string }[];
    };
    assert.equal(after_.events.at(-1)!.type, 'deadline.recomputed');
    assert.ok(new Date(after_.tasks[0]!.dueAt) > new Date(c.tasks[0]!.dueAt), 'one working day later');
  });

  it('takes attachments by upload, typed from their bytes, and gives them back to those who may see the case', async () => {
    // A CSRF token from a page with a form (the citizen's case page), sent as the header.
    const page = await api('citizen', 'GET', `/account/cases/${number}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const csrfCookie = [page.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith('yw_csrf='))!
      .split(';')[0]!;
    const send = (filename: string, content: Buffer) => {
      const boundary = 'yiwangtest';
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return y.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${number}/attachments`,
        headers: {
          cookie: `${cookies.citizen}; ${csrfCookie}`,
          'x-csrf-token': token,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload,
      });
    };
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
    const ok = await send('户口簿.pdf', pdf);
    assert.equal(ok.statusCode, 201, ok.body);
    const item = (ok.json() as { items: { digest: string; mediaType: string }[] }).items[0]!;
    assert.equal(item.mediaType, 'application/pdf');
    const exe = await send(
      '申请书.pdf',
      Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0x90), Buffer.from('PE\0\0')]),
    );
    assert.equal(exe.statusCode, 415);
    // the handler of the department reviewing the case downloads it; a sibling supervisor cannot
    const got = await api('handler', 'GET', `/api/v1/cases/${number}/attachments/${item.digest}`);
    assert.equal(got.statusCode, 200);
    assert.equal(got.headers['content-type'], 'application/pdf');
    assert.deepEqual(got.rawPayload, pdf);
    assert.equal(
      (await api('sibling', 'GET', `/api/v1/cases/${number}/attachments/${item.digest}`)).statusCode,
      404,
    );
    const listed = await api('handler', 'GET', `/workbench/cases/${number}`);
    assert.ok(listed.body.includes('户口簿.pdf'));
  });

  it('stops the clock with a 补正 notice listing each item; both sides see the list; bad lists are refused', async () => {
    const opened = await api('citizen', 'POST', '/api/v1/cases', {
      definition: 'demo.assistance',
      title: '临时救助申请（补正）',
      data: { reason: '家中失火', amount: 2000 },
      division: '330106',
    });
    assert.equal(opened.statusCode, 201, opened.body);
    const n = (opened.json() as { number: string }).number;
    const stop = (body: object) =>
      api('window', 'POST', `/api/v1/cases/${n}/actions`, {
        action: 'stop',
        task: 1,
        stop: 'supplement',
        ...body,
      });
    const fields = async (body: object) => {
      const res = await stop(body);
      assert.equal(res.statusCode, 400, res.body);
      return (res.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    };
    assert.deepEqual(await fields({ reason: '' }), ['reason']);
    assert.deepEqual(await fields({ items: [{ label: '户口簿' }, { label: '户口簿', note: '不清晰' }] }), [
      'items.1.label',
    ]);
    assert.deepEqual(await fields({ items: [{ label: '户口簿', note: 'x'.repeat(501) }] }), ['items.0.note']);
    const many = Array.from({ length: 51 }, (_, i) => ({ label: `材料${i}` }));
    assert.deepEqual(await fields({ items: many }), ['items']);

    const ok = await stop({
      reason: '另请到窗口核验原件',
      items: [{ label: '户口簿', note: '复印件不清晰' }, { label: '收入证明' }],
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const seen = (await api('citizen', 'GET', `/api/v1/cases/${n}`)).json() as {
      status: string;
      stop: { items: { label: string; note: string }[]; reason: string };
    };
    assert.equal(seen.status, 'stopped');
    assert.deepEqual(seen.stop.items, [
      { label: '户口簿', note: '复印件不清晰' },
      { label: '收入证明', note: '' },
    ]);
    // The notice on the applicant's page and in their inbox; the officer's page shows it too.
    const portal = await api('citizen', 'GET', `/account/cases/${n}`);
    assert.match(portal.body, /<ol class="stop-items"><li><strong>户口簿<\/strong>：复印件不清晰<\/li>/);
    assert.match(portal.body, /另请到窗口核验原件/);
    const inbox = (await api('citizen', 'GET', '/api/v1/inbox')).json() as { items: { body: string }[] };
    assert.ok(
      inbox.items.some((m) => /另请到窗口核验原件\n1\. 户口簿：复印件不清晰\n2\. 收入证明/.test(m.body)),
      JSON.stringify(inbox.items[0]),
    );
    const office = await api('window', 'GET', `/workbench/cases/${n}`);
    assert.match(office.body, /<strong>收入证明<\/strong>/);
    assert.match(office.body, /暂停计时（补正材料）：另请到窗口核验原件；户口簿（复印件不清晰）；收入证明/);
    const resumed = await api('citizen', 'POST', `/api/v1/cases/${n}/actions`, {
      action: 'resume',
      note: '已补',
    });
    assert.equal(resumed.statusCode, 200, resumed.body);
    assert.equal((resumed.json() as { stop: unknown }).stop, null);
  });
});
