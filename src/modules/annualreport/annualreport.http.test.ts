/**
 * The annual report over HTTP and in pages, on the whole application with the demo region: opening a
 * draft, entered figures with every bad field named, computed figures from real requests, totals,
 * finalising (twice is 409) and the snapshot that no later request changes, CSV and PDF, who sees what.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS } from '../../app.ts';
import { pdfText } from '../../kernel/pdf/index.ts';
import { chinaYear } from './report.template.ts';

const TENANT = '330000';
const OFFICE = '浙江省人民政府办公厅';
const PERSON = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
const API = '/api/v1/disclosure/annual-reports';
const YEAR = chinaYear(new Date());

interface ReportJson {
  year: number;
  status: string;
  issuer: string;
  figures: {
    licensing: number;
    feesAmount: string;
    requests: {
      received: Record<string, number>;
      carriedOver: Record<string, number>;
      concluded: Record<string, Record<string, number>>;
      concludedTotal: Record<string, number>;
      carriedForward: Record<string, number>;
    };
    remedies: Record<string, Record<string, number>>;
  };
  texts: Record<string, string>;
  links: { page: string; csv: string; pdf: string };
}

describe('annual report (政府信息公开工作年度报告) over HTTP and in pages', () => {
  let y: TestApp;
  const cookies: Record<string, string> = {};
  const call = (who: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
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
  /** A citizen files a request with the office, which replies `action`. */
  const answered = async (action: string, input: Record<string, unknown>) => {
    const filed = await call('person', 'POST', '/api/v1/disclosure/requests', {
      requester: {
        kind: 'person',
        name: '张演示',
        idNumber: PERSON.idNumber,
        phone: '0571-87000000',
        address: '杭州市',
      },
      description: '年度报告测试所需的信息',
      format: 'electronic',
      delivery: 'post',
    });
    assert.equal(filed.statusCode, 201, filed.body);
    const number = (filed.json() as { caseNumber: string }).caseNumber;
    const claim = await call('head', 'POST', `/api/v1/cases/${number}/actions`, { action: 'claim', task: 1 });
    assert.equal(claim.statusCode, 200, claim.body);
    const reply = await call('head', 'POST', `/api/v1/cases/${number}/actions`, {
      action: 'step',
      task: 1,
      name: action,
      input,
    });
    assert.equal(reply.statusCode, 200, reply.body);
  };
  const audited = async (action: string) =>
    (await y.db.kysely.selectFrom('audit.entry').select('id').where('action', '=', action).execute()).length;

  before(async () => {
    y = await createTestApp({ seed: true });
    cookies.person = await signIn(y, PERSON.username, PERSON.password);
    const office = { divisionCode: TENANT, departmentName: OFFICE };
    cookies.head = (await signInStaff(y, { roles: ['department_head', 'handler'], ...office })).cookie;
    cookies.handler = (await signInStaff(y, { roles: ['handler'], ...office })).cookie;
    cookies.writer = (await signInStaff(y, { roles: ['publisher'], ...office })).cookie;
    cookies.civil = (
      await signInStaff(y, {
        roles: ['department_head'],
        divisionCode: '330106',
        departmentName: '西湖区民政局',
      })
    ).cookie;
  });
  after(() => y.drop());

  it('opens a draft for a year once; an unknown year is 404, a year out of range 400', async () => {
    assert.equal((await call('head', 'GET', `${API}/${YEAR}`)).statusCode, 404);
    const created = await call('head', 'POST', API, { year: YEAR });
    assert.equal(created.statusCode, 201, created.body);
    const r = created.json() as ReportJson;
    assert.equal(r.status, 'draft');
    assert.equal(r.year, YEAR);
    assert.equal((await call('head', 'POST', API, { year: YEAR })).statusCode, 409);
    const early = await call('head', 'POST', API, { year: 2019 });
    assert.equal(early.statusCode, 400);
    assert.deepEqual(
      (early.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['year'],
    );
    assert.equal((await call('head', 'GET', `${API}/2020`)).statusCode, 404);
    // A handler holds no disclosure.report; another department's head cannot keep the site's report.
    assert.equal((await call('handler', 'POST', API, { year: YEAR - 1 })).statusCode, 403);
    assert.equal((await call('civil', 'POST', API, { year: YEAR - 1 })).statusCode, 400);
    // The draft is its keepers': 404 to the public and to another department.
    assert.equal((await call(null, 'GET', `${API}/${YEAR}`)).statusCode, 404);
    assert.equal((await call('civil', 'GET', `${API}/${YEAR}`)).statusCode, 404);
    assert.equal((await page(null, `/disclosure/annual-reports/${YEAR}`)).statusCode, 404);
    assert.equal(await audited('annualreport.created'), 1);
  });

  it('refuses negative and fractional figures and unknown keys, naming each field, writing nothing', async () => {
    const bad = await call('head', 'PUT', `${API}/${YEAR}`, {
      figures: { licensing: -1, 'review.upheld': 1.5, penalty: 'x', feesAmount: '-2', nonsense: 1 },
      texts: { overall: '总体情况' },
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
    assert.deepEqual(
      (bad.json() as { errors: { field: string; code: string }[] }).errors.map((e) => `${e.field} ${e.code}`),
      [
        'figures.licensing annualreport.count_invalid',
        'figures.review.upheld annualreport.count_invalid',
        'figures.penalty annualreport.count_invalid',
        'figures.feesAmount annualreport.amount_invalid',
        'figures.nonsense errors.field_unknown',
      ],
    );
    const r = (await call('head', 'GET', `${API}/${YEAR}`)).json() as ReportJson;
    assert.equal(r.figures.licensing, 0);
    assert.equal(r.texts.overall, '', 'nothing half-written');
  });

  it('keeps entered figures and texts, with the totals of table 四', async () => {
    const res = await call('head', 'PUT', `${API}/${YEAR}`, {
      figures: {
        licensing: 12,
        feesAmount: '0.350',
        'review.upheld': 2,
        'review.corrected': 1,
        'lawsuitDirect.pending': 3,
      },
      texts: { overall: '本年度，本机关认真贯彻落实《条例》。', other: '本年度未收取信息处理费。' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json() as ReportJson;
    assert.equal(r.figures.licensing, 12);
    assert.equal(r.figures.feesAmount, '0.35');
    assert.deepEqual(r.figures.remedies.review, { upheld: 2, corrected: 1, other: 0, pending: 0, total: 3 });
    assert.equal(r.figures.remedies.lawsuitDirect!.total, 3);
    assert.equal(r.texts.overall, '本年度，本机关认真贯彻落实《条例》。');
    assert.equal(await audited('annualreport.updated'), 1);
  });

  it('counts the requests answered this year by row, with 总计 the sum of the rows', async () => {
    await answered('disclose', { manner: '提供电子文档' });
    await answered('withhold', { basis: '第十六条第二款：行政执法案卷信息', reason: '执法案卷' });
    await answered('not_exist', { situation: '没有现成信息，需要另行制作' });
    const r = (await call('head', 'GET', `${API}/${YEAR}`)).json() as ReportJson;
    const q = r.figures.requests;
    assert.equal(q.received.natural, 3);
    assert.equal(q.received.total, 3);
    assert.equal(q.concluded.disclosed!.natural, 1);
    assert.equal(q.concluded.withheld_enforcement!.natural, 1);
    assert.equal(q.concluded.unavailable_must_create!.total, 1);
    assert.equal(q.concludedTotal.total, 3);
    assert.equal(q.carriedForward.total, q.carriedOver.total! + q.received.total! - q.concludedTotal.total!);
  });

  it('shows the workbench page with the tables and the form, errors beside the fields', async () => {
    const list = await page('head', '/workbench/disclosure/annual-reports');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`/workbench/disclosure/annual-reports/${YEAR}`));
    const url = `/workbench/disclosure/annual-reports/${YEAR}`;
    const shown = await page('head', url);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /<caption>收到和处理政府信息公开申请情况/);
    assert.match(shown.body, /<th scope="colgroup" colspan="5">法人或其他组织<\/th>/);
    assert.match(shown.body, /name="figures\.licensing"[^>]*value="12"/);
    const refused = await submit('head', url, url, { 'figures.licensing': '-3', 'figures.penalty': '2' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /id="field-figures\.licensing-error"/);
    assert.match(refused.body, /name="figures\.licensing"[^>]*value="-3"/);
    const saved = await submit('head', url, url, { 'figures.penalty': '2' });
    assert.equal(saved.statusCode, 303);
    const r = (await call('head', 'GET', `${API}/${YEAR}`)).json() as ReportJson;
    assert.equal(r.figures.licensing, 12, 'a field the form did not send is kept');
  });

  it('writes the CSV with a BOM and the PDF with the tables', async () => {
    const csv = await call('head', 'GET', `${API}/${YEAR}.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const bytes = csv.rawPayload;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    assert.match(text, /一、本年新收政府信息公开申请数量,3,0,0,0,0,0,3/);
    assert.match(text, /行政复议,2,1,0,0,3/);
    const pdf = await call('head', 'GET', `${API}/${YEAR}.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const content = (await pdfText(pdf.rawPayload)).replace(/\s/g, '');
    assert.match(content, /政府信息公开工作年度报告/);
    assert.match(content, /结转下年度继续办理/);
  });

  it('finalises once: the snapshot does not change when more requests are answered, nor can it be edited', async () => {
    const done = await call('head', 'POST', `${API}/${YEAR}/finalise`);
    assert.equal(done.statusCode, 200, done.body);
    const frozen = done.json() as ReportJson;
    assert.equal(frozen.status, 'final');
    assert.equal((await call('head', 'POST', `${API}/${YEAR}/finalise`)).statusCode, 409);
    assert.equal(
      (await call('head', 'PUT', `${API}/${YEAR}`, { figures: { licensing: 1 } })).statusCode,
      409,
    );
    await answered('disclose', { manner: '提供电子文档' });
    const later = (await call(null, 'GET', `${API}/${YEAR}`)).json() as ReportJson;
    assert.deepEqual(later.figures, frozen.figures);
    assert.equal(later.figures.requests.received.total, 3);
    // Public now: the portal page and the list.
    const portal = await page(null, `/disclosure/annual-reports/${YEAR}`);
    assert.equal(portal.statusCode, 200);
    assert.match(portal.body, /<th scope="row" class="level-0">一、本年新收政府信息公开申请数量<\/th>/);
    assert.match(
      (await page(null, '/disclosure/annual-reports')).body,
      new RegExp(`${YEAR}年政府信息公开工作年度报告`),
    );
    assert.equal(await audited('annualreport.finalised'), 1);
    const sitemap = await page(null, '/sitemap.xml');
    assert.match(sitemap.body, new RegExp(`/disclosure/annual-reports/${YEAR}</loc>`));
  });

  it("lets a department's head keep their department's report, and only theirs", async () => {
    const bodies = (await call('civil', 'GET', '/api/v1/disclosure/receiving-bodies')).json() as {
      items: { id: number; name: string }[];
    };
    const civil = bodies.items.find((d) => d.name === '西湖区民政局')!.id;
    const office = bodies.items.find((d) => d.name === OFFICE)!.id;
    const own = await call('civil', 'POST', API, { year: YEAR, departmentId: civil });
    assert.equal(own.statusCode, 201, own.body);
    const r = own.json() as ReportJson;
    assert.equal(r.issuer, '西湖区民政局');
    assert.equal(r.figures.requests.received.total, 0, "the office's requests are not the department's");
    assert.equal(r.links.csv, `${API}/${YEAR}.csv?department=${civil}`);
    const theirs = await call('civil', 'POST', API, { year: YEAR - 1, departmentId: office });
    assert.equal(theirs.statusCode, 400);
    assert.equal((theirs.json() as { errors: { field: string }[] }).errors[0]!.field, 'departmentId');
    // The site's compilers keep every department's report; the public sees none of the drafts.
    assert.equal((await call('head', 'GET', `${API}/${YEAR}?department=${civil}`)).statusCode, 200);
    assert.equal((await call(null, 'GET', `${API}/${YEAR}?department=${civil}`)).statusCode, 404);
    const list = (await call('civil', 'GET', API)).json() as { items: { year: number; status: string }[] };
    assert.deepEqual(
      list.items.map((i) => `${i.year} ${i.status}`),
      [`${YEAR} final`, `${YEAR} draft`],
      "the site's final report and the department's own draft",
    );
  });

  it("puts a final report into the catalogue once, as a publication of the issuing body's writer", async () => {
    const url = `${API}/${YEAR}/publication`;
    // The keeper writes no publications; a draft is not for the catalogue; an unknown column is refused.
    assert.equal((await call('head', 'POST', url, { categoryCode: 'notices' })).statusCode, 403);
    const bad = await call('writer', 'POST', url, { categoryCode: 'nowhere' });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal((bad.json() as { errors: { field: string }[] }).errors[0]!.field, 'categoryCode');
    const page_ = await page('writer', `/workbench/disclosure/annual-reports/${YEAR}`);
    assert.equal(page_.statusCode, 200);
    assert.match(page_.body, /name="categoryCode"/);
    const done = await call('writer', 'POST', url, { categoryCode: 'notices' });
    assert.equal(done.statusCode, 201, done.body);
    const { publicationId } = done.json() as { publicationId: number };
    const p = (await call('writer', 'GET', `/api/v1/publications/${publicationId}`)).json() as {
      title: string;
      status: string;
      bodyHtml: string;
    };
    assert.equal(p.status, 'in_review', 'reviewed by the head as any publication');
    assert.match(p.title, new RegExp(`${YEAR}年政府信息公开工作年度报告`));
    assert.match(p.bodyHtml, /<caption>收到和处理政府信息公开申请情况/);
    assert.equal((await call('writer', 'POST', url, { categoryCode: 'notices' })).statusCode, 409);
    const r = (await call(null, 'GET', `${API}/${YEAR}`)).json() as { publicationId: number | null };
    assert.equal(r.publicationId, publicationId);
    assert.equal(await audited('annualreport.published'), 1);
  });
});
