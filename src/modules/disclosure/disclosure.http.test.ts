/**
 * 依申请公开 over HTTP and in pages, on the whole application with the demo region: field errors, who
 * sees a request, the reply given on the case page, the reply document, the audited ID number, the
 * requester told of an extension.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS } from '../../app.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { citizenIdCheckCharacter } from '../../kernel/identifiers/index.ts';
import { pdfText } from '../../kernel/pdf/index.ts';

interface RequestJson {
  id: string;
  caseNumber: string;
  status: string;
  outcome: string | null;
  dueOn: string | null;
  department: { id: number; name: string };
  requester: { kind: string; name: string; idNumberMasked: string | null; creditCode: string | null };
  documents?: { n: number; kind: string; title: string; href: string }[];
}

const TENANT = '330000';
const OFFICE = '浙江省人民政府办公厅';
const PERSON = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;

const valid = {
  requester: {
    kind: 'person',
    name: '张演示',
    idNumber: PERSON.idNumber,
    phone: '0571-87000000',
    address: '杭州市西湖区文三路 1 号',
  },
  description: '2025年度浙江省政府信息公开工作年度报告的统计数据底表',
  format: 'electronic',
  delivery: 'post',
};

describe('disclosure requests (依申请公开) over HTTP and in pages', () => {
  let y: TestApp;
  let officeId = 0;
  const cookies: Record<string, string> = {};
  const call = (who: string | null, method: 'GET' | 'POST', url: string, payload?: object) =>
    y.app.inject({
      method,
      url,
      headers: { ...(who ? { cookie: cookies[who]! } : {}), accept: 'application/json' },
      ...(payload ? { payload } : {}),
    });
  const page = (who: string | null, url: string) =>
    y.app.inject({
      method: 'GET',
      url,
      headers: { ...(who ? { cookie: cookies[who]! } : {}), accept: 'text/html' },
    });
  /** A page's form posted as the browser would, CSRF token and cookie included. */
  const submit = async (who: string, pageUrl: string, action: string, fields: Record<string, string>) => {
    const form = await page(who, pageUrl);
    assert.equal(form.statusCode, 200, form.body);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const csrf = form.cookies.find((c) => c.name === 'yw_csrf');
    return y.app.inject({
      method: 'POST',
      url: action,
      headers: {
        cookie: csrf ? `${cookies[who]!}; yw_csrf=${csrf.value}` : cookies[who]!,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  };
  const file = async (who = 'person', body: object = valid) => {
    const res = await call(who, 'POST', '/api/v1/disclosure/requests', body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as RequestJson;
  };
  const audited = async (action: string, objectId: string) =>
    (
      await y.db.kysely
        .selectFrom('audit.entry')
        .select('actor_id')
        .where('action', '=', action)
        .where('object_id', '=', objectId)
        .execute()
    ).length;

  before(async () => {
    y = await createTestApp({ seed: true });
    for (const a of DEMO_ACCOUNTS) cookies[a.kind] = await signIn(y, a.username, a.password);
    const first17 = '33010219850607002';
    await y.identity.accounts.register(systemContext(TENANT), {
      kind: 'person',
      username: 't.other.citizen',
      displayName: '李另一',
      password: 'Other#2026citizen',
      idNumber: `${first17}${citizenIdCheckCharacter(first17)}`,
    });
    cookies.other = await signIn(y, 't.other.citizen', 'Other#2026citizen');
    const office = { divisionCode: TENANT, departmentName: OFFICE };
    cookies.handler = (await signInStaff(y, { roles: ['handler'], ...office })).cookie;
    cookies.head = (await signInStaff(y, { roles: ['department_head', 'handler'], ...office })).cookie;
    cookies.civil = (
      await signInStaff(y, { roles: ['handler'], divisionCode: '330106', departmentName: '西湖区民政局' })
    ).cookie;
    cookies.supervisor = (await signInStaff(y, { roles: ['supervisor'], divisionCode: TENANT })).cookie;
    const bodies = (await call(null, 'GET', '/api/v1/disclosure/receiving-bodies')).json() as {
      items: { id: number; name: string }[];
      defaultId: number;
    };
    officeId = bodies.items.find((d) => d.name === OFFICE)!.id;
    assert.equal(bodies.defaultId, officeId, "the site's general office by default");
  });
  after(() => y.drop());

  it('refuses a request missing the identity and the description with every field error at once, writing nothing', async () => {
    const count = async () =>
      Number(
        (
          await y.db.kysely
            .selectFrom('disclosure.request')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before_ = await count();
    const res = await call('person', 'POST', '/api/v1/disclosure/requests', {
      requester: { kind: 'person', name: '张演示' },
      description: '   ',
      format: 'paper',
      delivery: 'email',
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    const problem = res.json() as { code: string; errors: { field: string; code: string }[] };
    assert.equal(problem.code, 'disclosure.incomplete');
    assert.deepEqual(
      problem.errors.map((e) => `${e.field} ${e.code}`),
      [
        'requester.idNumber errors.field_required',
        'requester.phone errors.field_required',
        'description errors.field_required',
        'requester.email disclosure.email_for_delivery',
        'delivery disclosure.delivery.not_for_paper',
      ],
    );
    const checks = await call('person', 'POST', '/api/v1/disclosure/requests', {
      ...valid,
      requester: { ...valid.requester, idNumber: '330106199001011230', phone: '电话' },
      departmentId: 999_999,
    });
    assert.deepEqual(
      (checks.json() as { errors: { field: string; code: string }[] }).errors.map(
        (e) => `${e.field} ${e.code}`,
      ),
      [
        'requester.idNumber identifiers.citizen_id.check_character',
        'requester.phone disclosure.phone_invalid',
        'departmentId disclosure.department.unknown',
      ],
    );
    // An enterprise files as an organisation, with a checked credit code.
    const company = await call('enterprise', 'POST', '/api/v1/disclosure/requests', {
      ...valid,
      requester: {
        kind: 'organisation',
        name: '一网演示科技有限公司',
        creditCode: '91330106MA2DEM0092',
        phone: '0571-1',
        address: '杭州市西湖区',
      },
    });
    assert.deepEqual(
      (company.json() as { errors: { field: string; code: string }[] }).errors.map((e) => e.field),
      [
        'requester.organisationType',
        'requester.creditCode',
        'requester.legalRepresentative',
        'requester.contactPerson',
      ],
    );
    assert.equal((await call('handler', 'POST', '/api/v1/disclosure/requests', valid)).statusCode, 403);
    assert.equal(await count(), before_);
  });

  it('files through the pages without JavaScript: errors beside the fields, then the request to follow', async () => {
    const anonymous = await page(null, '/disclosure/requests/new');
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/login\?next=/);
    const form = await page('person', '/disclosure/requests/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="requester\.name"[^>]*value="张演示"/);
    assert.match(form.body, new RegExp(`<option value="${officeId}" selected`));

    const refused = await submit('person', '/disclosure/requests/new', '/disclosure/requests/new', {
      'requester.kind': 'person',
      'requester.name': '张演示',
      departmentId: String(officeId),
    });
    assert.equal(refused.statusCode, 400);
    for (const field of ['requester.idNumber', 'requester.phone', 'description', 'format', 'delivery'])
      assert.match(
        refused.body,
        new RegExp(`<p class="error-message" id="field-${field.replace('.', '\\.')}-error">`),
        field,
      );
    assert.match(refused.body, /class="error-summary"/);
    // What was typed stays.
    assert.match(refused.body, /name="requester\.name"[^>]*value="张演示"/);

    const noToken = await y.app.inject({
      method: 'POST',
      url: '/disclosure/requests/new',
      headers: {
        cookie: cookies.person!,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      payload: 'description=x',
    });
    assert.equal(noToken.statusCode, 403);

    const filed = await submit('person', '/disclosure/requests/new', '/disclosure/requests/new', {
      'requester.kind': 'person',
      'requester.name': '张演示',
      'requester.idNumber': PERSON.idNumber,
      'requester.phone': '13800138000',
      'requester.email': 'zhang@example.com',
      description: '杭州市2025年老旧小区改造项目清单',
      format: 'electronic',
      delivery: 'online',
      departmentId: String(officeId),
    });
    assert.equal(filed.statusCode, 303, filed.body);
    const location = String(filed.headers.location);
    assert.match(location, /^\/account\/disclosure-requests\/[A-Za-z0-9_-]{16}\?submitted=1$/);
    const mine = await page('person', location);
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /申请已提交。浙江省人民政府办公厅将在 \d{4}-\d{2}-\d{2} 前答复/);
    assert.match(mine.body, /330106\*{8}123X/);
    const list = await page('person', '/account/disclosure-requests');
    assert.match(list.body, /杭州市|浙江省人民政府办公厅/);
    assert.equal(await audited('disclosure.request_submitted', location.split('/')[3]!.split('?')[0]!), 1);
  });

  it('shows a request to its requester and the receiving body only: another citizen and another department get 404', async () => {
    const r = await file();
    const url = `/api/v1/disclosure/requests/${r.id}`;
    assert.equal((await call('person', 'GET', url)).statusCode, 200);
    assert.equal((await call('handler', 'GET', url)).statusCode, 200);
    for (const who of ['other', 'enterprise', 'civil', 'supervisor'])
      assert.equal((await call(who, 'GET', url)).statusCode, who === 'supervisor' ? 403 : 404, who);
    assert.equal((await page('other', `/account/disclosure-requests/${r.id}`)).statusCode, 404);
    assert.equal((await page('civil', `/workbench/disclosure-requests/${r.id}`)).statusCode, 404);
    assert.equal((await page('handler', `/workbench/disclosure-requests/${r.id}`)).statusCode, 200);
    const office = (await call('handler', 'GET', '/api/v1/disclosure/requests')).json() as {
      items: RequestJson[];
    };
    assert.ok(office.items.some((x) => x.id === r.id));
    const civil = (await call('civil', 'GET', '/api/v1/disclosure/requests')).json() as {
      items: RequestJson[];
    };
    assert.ok(!civil.items.some((x) => x.id === r.id));
    const other = (await call('other', 'GET', '/api/v1/disclosure/requests')).json() as {
      items: RequestJson[];
    };
    assert.deepEqual(other.items, []);
    const list = await page('handler', '/workbench/disclosure-requests');
    assert.ok(list.body.includes(r.caseNumber));
    assert.ok(!(await page('civil', '/workbench/disclosure-requests')).body.includes(r.caseNumber));
  });

  it('takes the reply on the case page; the requester sees it and downloads the reply document', async () => {
    const r = await file();
    const casePage = await page('handler', `/workbench/cases/${r.caseNumber}`);
    assert.equal(casePage.statusCode, 200);
    for (const action of ['予以公开', '部分公开', '不予公开', '信息不存在', '非本机关负责公开', '不予处理'])
      assert.ok(casePage.body.includes(`<h3>${action}`), action);
    const form = 'step-1-disclose';
    const missing = await submit(
      'handler',
      `/workbench/cases/${r.caseNumber}`,
      `/workbench/cases/${r.caseNumber}/actions`,
      {
        _form: form,
        _action: 'step',
        _task: '1',
        _name: 'disclose',
      },
    );
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, new RegExp(`id="field-${form}\\.manner-error"`));
    const replied = await submit(
      'handler',
      `/workbench/cases/${r.caseNumber}`,
      `/workbench/cases/${r.caseNumber}/actions`,
      {
        _form: form,
        _action: 'step',
        _task: '1',
        _name: 'disclose',
        [`${form}.manner`]: '提供电子文档',
        [`${form}.details`]: '已发送至您的电子邮箱',
      },
    );
    assert.equal(replied.statusCode, 303, replied.body);

    const seen = (await call('person', 'GET', `/api/v1/disclosure/requests/${r.id}`)).json() as RequestJson;
    assert.equal(seen.status, 'replied');
    assert.equal(seen.outcome, 'disclosed');
    assert.deepEqual(
      seen.documents!.map((d) => [d.n, d.kind, d.title]),
      [[1, 'reply', '政府信息公开申请答复书']],
    );
    const account = await page('person', `/account/disclosure-requests/${r.id}`);
    assert.match(account.body, /作出答复：予以公开/);
    assert.ok(account.body.includes(seen.documents![0]!.href));
    // The case page links the reply document too.
    assert.ok(
      (await page('handler', `/workbench/cases/${r.caseNumber}`)).body.includes(seen.documents![0]!.href),
    );

    const pdf = await y.app.inject({
      method: 'GET',
      url: seen.documents![0]!.href,
      headers: { cookie: cookies.person! },
    });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, '').replace(/—\d+—/g, '');
    for (const words of [
      '政府信息公开申请答复书',
      '张演示：',
      valid.description,
      '第三十六条第（二）项',
      '提供电子文档',
      '行政复议',
    ])
      assert.ok(text.includes(words), `${words} in ${text}`);
    assert.equal(await audited('disclosure.document_downloaded', r.id), 1);
    // Staff who may see the case download it too; another citizen and another department do not.
    const headers = (who: string) => ({ cookie: cookies[who]! });
    assert.equal(
      (await y.app.inject({ url: seen.documents![0]!.href, headers: headers('handler') })).statusCode,
      200,
    );
    assert.equal(
      (await y.app.inject({ url: seen.documents![0]!.href, headers: headers('supervisor') })).statusCode,
      200,
    );
    assert.equal(
      (await y.app.inject({ url: seen.documents![0]!.href, headers: headers('other') })).statusCode,
      404,
    );
    assert.equal(
      (await y.app.inject({ url: seen.documents![0]!.href, headers: headers('civil') })).statusCode,
      404,
    );
  });

  it('shows the full ID number to the receiving body only, each view audited', async () => {
    const r = await file();
    assert.equal(r.requester.idNumberMasked, '330106********123X');
    const url = `/api/v1/disclosure/requests/${r.id}/id-number`;
    const full = await call('handler', 'GET', url);
    assert.equal(full.statusCode, 200);
    assert.deepEqual(full.json(), { idNumber: PERSON.idNumber });
    assert.equal((await call('person', 'GET', url)).statusCode, 403);
    assert.equal((await call('civil', 'GET', url)).statusCode, 404);
    const shown = await submit(
      'handler',
      `/workbench/disclosure-requests/${r.id}`,
      `/workbench/disclosure-requests/${r.id}/id-number`,
      {},
    );
    assert.equal(shown.statusCode, 200);
    assert.ok(shown.body.includes(PERSON.idNumber));
    assert.equal(await audited('disclosure.id_number_viewed', r.id), 2);
    // An organisation has no ID number to show.
    const org = await file('enterprise', {
      ...valid,
      requester: {
        kind: 'organisation',
        organisationType: 'legal_services',
        name: '一网演示科技有限公司',
        creditCode: '91330106MA2DEM0091',
        legalRepresentative: '王法人',
        contactPerson: '李联系',
        phone: '0571-87000002',
        email: 'info@example.com',
      },
      delivery: 'email',
    });
    assert.equal(org.requester.kind, 'organisation');
    assert.equal((org.requester as { organisationType?: string }).organisationType, 'legal_services');
    assert.equal(org.requester.idNumberMasked, null);
    assert.equal(
      (await call('handler', 'GET', `/api/v1/disclosure/requests/${org.id}/id-number`)).statusCode,
      404,
    );
  });

  it('lets the requester answer a 补正 on their page, every item of the notice listed', async () => {
    const r = await file();
    const stop = await call('handler', 'POST', `/api/v1/cases/${r.caseNumber}/actions`, {
      action: 'stop',
      task: 1,
      stop: 'supplement',
      reason: '',
      items: [
        { label: '所需信息的年度', note: '请写明是哪一年度的报告' },
        { label: '所需信息的范围', note: '请写明是全省还是省本级' },
      ],
    });
    assert.equal(stop.statusCode, 200, stop.body);
    const supplementDue = async () =>
      (
        await y.db.kysely
          .selectFrom('disclosure.request')
          .select('supplement_due_at')
          .where('public_id', '=', r.id)
          .executeTakeFirstOrThrow()
      ).supplement_due_at;
    // The annual report ends an unanswered 补正 when its period does (§30): the row keeps that day.
    assert.ok(await supplementDue(), 'the 补正 period is kept while waiting');
    const url = `/account/disclosure-requests/${r.id}`;
    const notice = await page('person', url);
    assert.match(notice.body, /需要补正/);
    assert.match(notice.body, /<strong>所需信息的年度<\/strong>：请写明是哪一年度的报告/);
    assert.match(notice.body, /<strong>所需信息的范围<\/strong>/);
    // Not the staff's to answer, nor another citizen's.
    assert.equal(
      (await call('other', 'POST', `/api/v1/disclosure/requests/${r.id}/supplement`, { description: 'x' }))
        .statusCode,
      404,
    );
    const empty = await submit('person', url, `${url}/supplement`, { description: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /id="field-description-error"/);
    const done = await submit('person', url, `${url}/supplement`, {
      description: '2025年度省本级政府信息公开工作年度报告的统计数据底表',
      note: '已写明年度和范围',
    });
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(done.headers.location, `${url}?supplied=1`);
    const seen = (
      await call('person', 'GET', `/api/v1/disclosure/requests/${r.id}`)
    ).json() as RequestJson & {
      description: string;
      supplementedAt: string | null;
    };
    assert.equal(seen.status, 'processing');
    assert.equal(await supplementDue(), null, 'and forgotten once answered');
    assert.equal(seen.description, '2025年度省本级政府信息公开工作年度报告的统计数据底表');
    assert.ok(seen.supplementedAt);
    assert.deepEqual(
      seen.documents!.map((d) => d.kind),
      ['supplement'],
    );
  });

  it('tells the requester, in their inbox, when the head extends the period', async () => {
    const r = await file();
    const act = (who: string, body: object) =>
      call(who, 'POST', `/api/v1/cases/${r.caseNumber}/actions`, body);
    assert.equal(
      (await act('handler', { action: 'request_extension', task: 1, amount: 21, reason: '需检索档案' }))
        .statusCode,
      400,
    );
    assert.equal(
      (await act('handler', { action: 'request_extension', task: 1, amount: 10, reason: '需检索档案' }))
        .statusCode,
      200,
    );
    assert.equal(
      (await act('head', { action: 'decide_extension', task: 1, approved: true, note: '同意' })).statusCode,
      200,
    );
    const seen = (await call('person', 'GET', `/api/v1/disclosure/requests/${r.id}`)).json() as RequestJson;
    assert.notEqual(seen.dueOn, r.dueOn);
    const inbox = (await call('person', 'GET', '/api/v1/inbox')).json() as {
      items: { kind: string; body: string }[];
    };
    const told = inbox.items.find((m) => m.kind === 'workflow.case_extended');
    assert.ok(told, JSON.stringify(inbox.items.map((m) => m.kind)));
    assert.ok(told.body.includes(seen.dueOn!), told.body);
    assert.deepEqual(
      seen.documents!.map((d) => d.kind),
      ['extension'],
    );
  });
});
