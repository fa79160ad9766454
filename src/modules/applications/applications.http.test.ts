import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { MULTIPART, multipartBody } from '../../../test/support/multipart.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS } from '../../app.ts';
import { SAMPLES } from '../../kernel/files/sample-files.ts';

const PNG = SAMPLES.png();
import type { Item } from '../services/index.ts';

/** An application form with the two fields the demo.assistance process itself requires. */
const FORM = {
  type: 'object',
  title: '临时救助申请表',
  required: ['reason', 'amount', 'phone'],
  properties: {
    reason: { title: '申请理由', 'x-widget': 'textarea', maxLength: 500, 'x-sample': '家中失火' },
    amount: {
      title: '申请金额（元）',
      'x-widget': 'number',
      type: 'integer',
      minimum: 1,
      maximum: 100000,
      'x-sample': 3000,
    },
    phone: { title: '联系电话', 'x-widget': 'phone', 'x-sample': '13800138000' },
  },
  'x-groups': [{ title: '申请事项', fields: ['reason', 'amount', 'phone'] }],
};

describe('applications over HTTP: online, at a window, in pages', () => {
  let y: TestApp;
  let item: Item;
  const cookies: Record<string, string> = {};
  const api = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    y.app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload ? { payload } : {}) });
  const login = (username: string, password: string) => signIn(y, username, password);
  /** Multipart with the CSRF token as a header (as the API's clients send it). */
  const multipart = async (
    who: string,
    url: string,
    parts: { name: string; filename?: string; content: Buffer | string }[],
    headers: Record<string, string> = {},
  ) => {
    const page = await api(who, 'GET', '/account');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const csrf = [page.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith('yw_csrf='))
      ?.split(';')[0];
    const body = multipartBody(parts);
    return y.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: csrf ? `${cookies[who]!}; ${csrf}` : cookies[who]!,
        'x-csrf-token': token,
        'content-type': MULTIPART,
        ...headers,
      },
      payload: body,
    });
  };
  const upload = (who: string, url: string, content: Buffer, filename: string) =>
    multipart(who, url, [{ name: 'file', filename, content }]);

  before(async () => {
    y = await createTestApp({ seed: true });
    const citizen = DEMO_ACCOUNTS.find((a) => a.username === 'demo.citizen')!;
    cookies.citizen = await login(citizen.username, citizen.password);
    cookies.window = (
      await signInStaff(y, {
        roles: ['window_officer'],
        divisionCode: '330106',
        departmentName: '西湖区政务服务中心',
      })
    ).cookie;
    cookies.office = (
      await signInStaff(y, {
        roles: ['service_admin'],
        divisionCode: '330000',
        departmentName: '浙江省政务服务管理办公室',
      })
    ).cookie;
    const found = await y.app.inject({ url: `/api/v1/services/items?q=${encodeURIComponent('临时救助')}` });
    const code = (found.json() as { items: { code: string; name: string }[] }).items.find(
      (i) => i.name === '临时救助申请',
    )!.code;
    const current = (await y.app.inject({ url: `/api/v1/services/items/${code}` })).json() as Item &
      Record<string, unknown>;
    const {
      status: _s,
      divisionCode: _d,
      departmentName: _n,
      updatedAt: _u,
      publishedAt: _p,
      ...input
    } = current;
    const put = await api('office', 'PUT', `/api/v1/services/items/${code}`, { ...input, form: FORM });
    assert.equal(put.statusCode, 200, put.body);
    item = put.json() as Item;
  });
  after(() => y.drop());

  const needed = () => item.materials.filter((m) => m.required && m.heldBy === '').map((m) => m.key);

  it('takes an online application: draft, everything wrong listed at once, materials, one case however often submitted', async () => {
    const started = await api('citizen', 'POST', '/api/v1/applications', { item: item.code });
    assert.equal(started.statusCode, 201, started.body);
    const id = (started.json() as { id: string }).id;
    assert.match(id, /^[A-Za-z0-9_-]{16,32}$/);
    await api('citizen', 'PUT', `/api/v1/applications/${id}/data`, {
      data: { reason: '家中失火', amount: 0 },
    });
    const early = await api('citizen', 'POST', `/api/v1/applications/${id}/submission`);
    assert.equal(early.statusCode, 400, early.body);
    const fields = (early.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    assert.deepEqual(fields, ['amount', 'phone', ...needed().map((k) => `materials/${k}`)]);
    // Not a file type we take: refused before a byte is kept.
    const exe = await upload(
      'citizen',
      `/api/v1/applications/${id}/materials/${needed()[0]}`,
      Buffer.from('MZ\x90\x00binary'),
      'a.pdf',
    );
    assert.equal(exe.statusCode, 415, exe.body);
    for (const key of needed()) {
      const r = await upload('citizen', `/api/v1/applications/${id}/materials/${key}`, PNG, `${key}.png`);
      assert.equal(r.statusCode, 200, r.body);
    }
    await api('citizen', 'PUT', `/api/v1/applications/${id}/data`, {
      data: { reason: '家中失火', amount: 3000, phone: '13800138000' },
    });
    const [a, b] = await Promise.all([
      api('citizen', 'POST', `/api/v1/applications/${id}/submission`),
      api('citizen', 'POST', `/api/v1/applications/${id}/submission`),
    ]);
    const numbers = [a, b].map((r) => (r.json() as { caseNumber: string }).caseNumber);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 201], `${a.body} ${b.body}`);
    assert.equal(numbers[0], numbers[1]);
    const again = await api('citizen', 'POST', `/api/v1/applications/${id}/submission`);
    assert.equal(again.statusCode, 200);
    const cases = await y.db.kysely
      .selectFrom('workflow.case')
      .select('number')
      .where(
        'applicant_account_id',
        '=',
        (
          await y.db.kysely
            .selectFrom('applications.application')
            .select('applicant_account_id')
            .where('public_id', '=', id)
            .executeTakeFirstOrThrow()
        ).applicant_account_id,
      )
      .where('title', '=', item.name)
      .execute();
    assert.equal(cases.length, 1);
    const c = (await api('citizen', 'GET', `/api/v1/cases/${numbers[0]}`)).json() as {
      events: { type: string }[];
      data: Record<string, unknown>;
    };
    assert.equal(c.events.filter((e) => e.type === 'attachment.added').length, needed().length);
    assert.equal(c.data.amount, 3000);
    // Nobody else sees it; a submitted draft takes no more changes.
    const stranger = await signInStaff(y, { roles: ['window_officer'], divisionCode: '330102' });
    cookies.stranger = stranger.cookie;
    assert.equal((await api('stranger', 'GET', `/api/v1/applications/${id}`)).statusCode, 404);
    assert.equal(
      (await api('citizen', 'PUT', `/api/v1/applications/${id}/data`, { data: {} })).statusCode,
      409,
    );
  });

  it('takes an application in one request: form, materials and submission together; a retry with its Idempotency-Key gets the same case', async () => {
    const url = '/api/v1/applications/submitted';
    const files = needed().map((key) => ({ name: `materials/${key}`, filename: `${key}.png`, content: PNG }));
    const answers = JSON.stringify({ reason: '家中失火', amount: 3000, phone: '13800138000' });
    const count = async () =>
      Number(
        (
          await y.db.kysely
            .selectFrom('applications.application')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();

    // Everything wrong at once, nothing written: a bad form, a missing material, a material the item lacks.
    const bad = await multipart('citizen', url, [
      { name: 'item', content: item.code },
      { name: 'data', content: JSON.stringify({ reason: '家中失火', amount: 0 }) },
      ...files.slice(1),
      { name: 'materials/no_such', filename: 'x.png', content: PNG },
    ]);
    assert.equal(bad.statusCode, 400, bad.body);
    assert.deepEqual(
      (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['materials/no_such', 'amount', 'phone', `materials/${needed()[0]}`],
    );
    const noJson = await multipart('citizen', url, [
      { name: 'item', content: item.code },
      { name: 'data', content: '{not json' },
      { name: 'file', filename: 'a.png', content: PNG },
    ]);
    assert.equal(noJson.statusCode, 400, noJson.body);
    assert.deepEqual(
      (noJson.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['file', 'data'],
    );
    assert.equal(await count(), before);

    const parts = [{ name: 'item', content: item.code }, { name: 'data', content: answers }, ...files];
    const made = await multipart('citizen', url, parts, { 'idempotency-key': 'order-2026-0001' });
    assert.equal(made.statusCode, 201, made.body);
    const { id, caseNumber } = made.json() as { id: string; caseNumber: string };
    const got = (await api('citizen', 'GET', `/api/v1/applications/${id}`)).json() as {
      status: string;
      caseNumber: string;
      files: { material: string }[];
    };
    assert.equal(got.status, 'submitted');
    assert.equal(got.caseNumber, caseNumber);
    assert.deepEqual(got.files.map((f) => f.material).sort(), needed().sort());
    const kase = (await api('citizen', 'GET', `/api/v1/cases/${caseNumber}`)).json() as {
      events: { type: string }[];
    };
    assert.equal(kase.events.filter((e) => e.type === 'attachment.added').length, needed().length);

    // The retry after a lost answer, and two at once with a new key: one case each key.
    const retry = await multipart('citizen', url, parts, { 'idempotency-key': 'order-2026-0001' });
    assert.equal(retry.statusCode, 200, retry.body);
    assert.deepEqual(retry.json(), { id, caseNumber });
    const [a, b] = await Promise.all([
      multipart('citizen', url, parts, { 'idempotency-key': 'order-2026-0002' }),
      multipart('citizen', url, parts, { 'idempotency-key': 'order-2026-0002' }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 201], `${a.body} ${b.body}`);
    assert.deepEqual(a.json(), b.json());
    assert.equal(await count(), before + 2);

    // Several at once (their cases opened in one group on PostgreSQL, their rows in one statement):
    // each its own answers, files, case and audit entry.
    const reasons = ['甲', '乙', '丙', '丁', '戊', '己'].map((r) => `家中失火${r}`);
    const many = await Promise.all(
      reasons.map((reason) =>
        multipart('citizen', url, [
          { name: 'item', content: item.code },
          { name: 'data', content: JSON.stringify({ reason, amount: 3000, phone: '13800138000' }) },
          ...files,
        ]),
      ),
    );
    for (const [i, res] of many.entries()) {
      assert.equal(res.statusCode, 201, res.body);
      const made = res.json() as { id: string; caseNumber: string };
      const app = (await api('citizen', 'GET', `/api/v1/applications/${made.id}`)).json() as {
        caseNumber: string;
        data: { reason: string };
        files: { material: string }[];
      };
      assert.equal(app.caseNumber, made.caseNumber);
      assert.equal(app.data.reason, reasons[i]);
      assert.deepEqual(app.files.map((f) => f.material).sort(), needed().sort());
      const audited = await y.db.kysely
        .selectFrom('audit.entry')
        .select('detail')
        .where('action', '=', 'applications.application_submitted')
        .where('object_id', '=', made.id)
        .execute();
      assert.deepEqual(
        audited.map((e) => (e.detail as { case: string }).case),
        [made.caseNumber],
      );
    }
    assert.equal(new Set(many.map((r) => (r.json() as { caseNumber: string }).caseNumber)).size, 6);
    assert.equal(await count(), before + 8);

    // Staff apply for walk-in applicants at a window, not through this.
    const staff = await multipart('window', url, parts);
    assert.equal(staff.statusCode, 403, staff.body);
  });

  it('takes an application at a window for a walk-in applicant, identity checked and recorded', async () => {
    const bad = await api('window', 'POST', '/api/v1/applications/window', {
      item: item.code,
      applicant: {
        kind: 'person',
        name: '王五',
        idNumber: '330106199003070015',
        document: 'resident_id_card',
      },
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['idNumber'],
    );
    const ok = await api('window', 'POST', '/api/v1/applications/window', {
      item: item.code,
      applicant: {
        kind: 'person',
        name: '王五',
        idNumber: '330106199003070014',
        document: 'resident_id_card',
      },
    });
    assert.equal(ok.statusCode, 201, ok.body);
    const id = (ok.json() as { id: string }).id;
    await api('window', 'PUT', `/api/v1/applications/${id}/data`, {
      data: { reason: '突发疾病', amount: 2000, phone: '0571-87654321' },
    });
    for (const key of needed())
      await upload('window', `/api/v1/applications/${id}/materials/${key}`, PNG, `${key}.png`);
    const sent = await api('window', 'POST', `/api/v1/applications/${id}/submission`);
    assert.equal(sent.statusCode, 201, sent.body);
    const number = (sent.json() as { caseNumber: string }).caseNumber;
    const row = await y.db.kysely
      .selectFrom('workflow.case')
      .select(['applicant_name', 'applicant_kind', 'applicant_account_id'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...row, applicant_account_id: row.applicant_account_id },
      {
        applicant_name: '王五',
        applicant_kind: 'person',
        applicant_account_id: null,
      },
    );
    const stored = await y.db.kysely
      .selectFrom('applications.application')
      .select(['applicant_id_number', 'intake_document'])
      .where('public_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(!stored.applicant_id_number!.includes('330106199003070014'));
    assert.equal(stored.intake_document, 'resident_id_card');
    const audit = await y.db.kysely
      .selectFrom('audit.entry')
      .select('action')
      .where('object_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((e) => e.action),
      ['applications.taken_at_window', 'applications.application_submitted'],
    );
  });

  it('issues the licence in the approving transaction: the holder sees it, anyone verifies it', async () => {
    const found = await y.app.inject({ url: `/api/v1/services/items?q=${encodeURIComponent('个体工商户')}` });
    const code = (found.json() as { items: { code: string; name: string }[] }).items.find(
      (i) => i.name === '个体工商户设立登记',
    )!.code;
    const shop = (await y.app.inject({ url: `/api/v1/services/items/${code}` })).json() as Item;
    assert.ok(shop.form && shop.licence);
    // The form's own sample answers (they pass its validation), with the citizen as the operator.
    const answers = Object.fromEntries(
      Object.entries(shop.form.properties).map(([k, f]) => [k, (f as { 'x-sample'?: unknown })['x-sample']]),
    );
    const started = await api('citizen', 'POST', '/api/v1/applications', { item: code });
    assert.equal(started.statusCode, 201, started.body);
    const id = (started.json() as { id: string }).id;
    await api('citizen', 'PUT', `/api/v1/applications/${id}/data`, { data: answers });
    for (const m of shop.materials.filter((x) => x.required && x.heldBy === ''))
      await upload('citizen', `/api/v1/applications/${id}/materials/${m.key}`, PNG, `${m.key}.png`);
    const sent = await api('citizen', 'POST', `/api/v1/applications/${id}/submission`);
    assert.equal(sent.statusCode, 201, sent.body);
    const number = (sent.json() as { caseNumber: string }).caseNumber;
    const accept = await api('window', 'POST', `/api/v1/cases/${number}/actions`, {
      action: 'step',
      task: 1,
      name: 'accept',
      input: {},
    });
    assert.equal(accept.statusCode, 200, accept.body);
    cookies.market = (
      await signInStaff(y, {
        roles: ['handler'],
        divisionCode: '330106',
        departmentName: '西湖区市场监督管理局',
      })
    ).cookie;
    const approve = await api('market', 'POST', `/api/v1/cases/${number}/actions`, {
      action: 'step',
      task: 2,
      name: 'approve',
      input: {},
    });
    assert.equal(approve.statusCode, 200, approve.body);
    const after = (await api('citizen', 'GET', `/api/v1/applications/${id}`)).json() as {
      licenceId: string | null;
    };
    assert.ok(after.licenceId, 'a licence was issued');
    const check = await y.app.inject({ url: `/api/v1/licences/${after.licenceId}/verification` });
    assert.equal(check.statusCode, 200, check.body);
    const verdict = check.json() as { status: string; holder?: { name: string } };
    assert.equal(verdict.status, 'valid');
    const mine = await api('citizen', 'GET', '/account/licences');
    assert.match(mine.body, /营业执照（个体工商户）/);
  });

  it('applies in pages without JavaScript: from the guide to a draft, problems beside the fields and materials', async () => {
    const guide = await y.app.inject({ url: `/services/items/${item.code}` });
    assert.match(guide.body, new RegExp(`href="/applications/new\\?item=${item.code}"`));
    assert.match(guide.body, /form\.pdf/);
    const pdf = await y.app.inject({ url: `/services/items/${item.code}/form.pdf` });
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const confirm = await api('citizen', 'GET', `/applications/new?item=${item.code}`);
    assert.equal(confirm.statusCode, 200);
    const token = /name="_csrf" value="([^"]+)"/.exec(confirm.body)![1]!;
    const csrf = [confirm.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith('yw_csrf='))
      ?.split(';')[0];
    const post = (url: string, fields: Record<string, string>) =>
      y.app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: csrf ? `${cookies.citizen!}; ${csrf}` : cookies.citizen!,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
      });
    const started = await post('/applications/new', { item: item.code });
    assert.equal(started.statusCode, 303, started.body);
    const draft = started.headers.location as string;
    assert.match(draft, /^\/account\/applications\//);
    const page = await api('citizen', 'GET', draft);
    assert.match(page.body, /id="field-reason"/);
    const saved = await post(draft, { reason: '家中失火', amount: '三千', phone: '13800138000' });
    assert.equal(saved.statusCode, 400);
    assert.match(saved.body, /id="field-amount-error"/);
    const submitted = await post(`${draft}/submission`, {});
    assert.equal(submitted.statusCode, 400);
    assert.match(
      submitted.body,
      new RegExp(
        `id="field-materials/${needed()[0]}"[^>]*class="field field-error"|class="field field-error"[^>]*id="field-materials/${needed()[0]}"`,
      ),
    );
    const mine = await api('citizen', 'GET', '/account/applications');
    assert.match(mine.body, /临时救助申请/);
  });
});
