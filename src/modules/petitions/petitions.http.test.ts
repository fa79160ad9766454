/**
 * 网上信访 over HTTP and in pages, on the whole application with the demo region (杭州市信访局 registers,
 * 西湖区住房和城乡建设局 handles 城乡建设 in 西湖区): every field error at once, a petition held for a
 * sensitive word, who gets 404, the form posted with its CSRF token and the place picked level by level,
 * and the whole story — filed, accepted and handed on, answered (the 处理意见书 as PDF), rated, reviewed
 * one level up — and a review asked too late, refused with the day it expired.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { citizenIdCheckCharacter } from '../../kernel/identifiers/index.ts';
import { pdfText } from '../../kernel/pdf/index.ts';
import { PERSON, petitionForm, petitionJson, STREET } from './petitions.fixtures.ts';

interface StageJson {
  caseNumber: string | null;
  department: { id: number; name: string } | null;
  dueOn: string | null;
  outcome: string | null;
  rating: string | null;
}
interface PetitionJson {
  id: string;
  status: string;
  petitioner: { name: string; idNumberMasked: string; phone: string | null };
  office: { id: number | null; name: string };
  petition: StageJson;
  review: StageJson;
  documents?: { n: number; kind: string; title: string; href: string }[];
  rateable?: string | null;
  next?: { stage: string; until: string; open: boolean } | null;
  placeName?: string;
  mayRoute?: boolean;
  mayDispatch?: boolean;
}

const OTHER_FIRST17 = '33010219850607002';
const OTHER_ID = `${OTHER_FIRST17}${citizenIdCheckCharacter(OTHER_FIRST17)}`;

const petition = petitionJson;

describe('petitions (网上信访) over HTTP and in pages', () => {
  let y: TestApp;
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
  const file = async (who: string, over: Record<string, unknown> = {}, status = 201) => {
    const res = await call(who, 'POST', '/api/v1/petitions', petition(over));
    assert.equal(res.statusCode, status, res.body);
    return res.json() as PetitionJson;
  };
  const count = async () =>
    Number(
      (
        await y.db.kysely
          .selectFrom('petitions.petition')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** The task number of an action the case offers this person. */
  const taskOf = async (who: string, number: string, name: string) => {
    const res = await call(who, 'GET', `/api/v1/cases/${number}`);
    assert.equal(res.statusCode, 200, res.body);
    const offered = (res.json() as { available: { task: number | null; action: string; name?: string }[] })
      .available;
    const a = offered.find((x) => x.name === name || x.action === name);
    assert.ok(a, `${name} offered to ${who}: ${JSON.stringify(offered)}`);
    return a.task!;
  };
  /** Filed, accepted and handed on by the office, answered by 西湖区住建局. */
  const answered = async (who: string, over: Record<string, unknown>) => {
    const p = await file(who, over);
    assert.equal((await call('office', 'POST', `/api/v1/petitions/${p.id}/acceptance`)).statusCode, 200);
    const number = p.petition.caseNumber!;
    const res = await call('xihu', 'POST', `/api/v1/cases/${number}/actions`, {
      action: 'step',
      task: await taskOf('xihu', number, 'answer'),
      name: 'answer',
      input: { result: '部分支持', opinion: '已责令施工单位22时后停止夜间施工。' },
    });
    assert.equal(res.statusCode, 200, res.body);
    return p;
  };

  before(async () => {
    y = await createTestApp({ seed: true });
    cookies.person = await signIn(y, PERSON.username, PERSON.password);
    await y.identity.accounts.register(systemContext('330000'), {
      kind: 'person',
      username: 't.other.petitioner',
      displayName: '李另一',
      password: 'Other#2026citizen',
      idNumber: OTHER_ID,
    });
    cookies.other = await signIn(y, 't.other.petitioner', 'Other#2026citizen');
    cookies.office = await signIn(y, 'demo.petition', 'Demo#2026petition');
    cookies.xihu = await signIn(y, 'demo.xihu', 'Demo#2026xihu');
    cookies.civil = (
      await signInStaff(y, { roles: ['handler'], divisionCode: '330106', departmentName: '西湖区民政局' })
    ).cookie;
    cookies.province = (
      await signInStaff(y, {
        roles: ['handler'],
        divisionCode: '330000',
        departmentName: '浙江省住房和城乡建设厅',
      })
    ).cookie;
  });
  after(() => y.drop());

  it('refuses an empty matter, a missing identity, oversized text and a bad ID number with every field error at once, writing nothing', async () => {
    const before_ = await count();
    const res = await call('person', 'POST', '/api/v1/petitions', {
      petitioner: { name: '张演示', idNumber: '330106199001011230' },
      matterType: 'urban_rural',
      place: STREET,
      matter: '   ',
      requests: '请'.repeat(2001),
      facts: '<b>事实</b>',
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    const problem = res.json() as {
      code: string;
      errors: { field: string; code: string; message: string }[];
    };
    assert.equal(problem.code, 'petitions.incomplete');
    assert.deepEqual(
      problem.errors.map((e) => `${e.field} ${e.code}`),
      [
        'petitioner.idNumber identifiers.citizen_id.check_character',
        'petitioner.phone errors.field_required',
        'petitioner.address errors.field_required',
        'matter errors.field_required',
        'requests petitions.too_long',
      ],
    );
    assert.ok(problem.errors.every((e) => e.message !== '' && e.message !== e.code));
    // No identity at all: each of its fields is named, with the rest of the form's problems.
    const anonymous = await call('person', 'POST', '/api/v1/petitions', {
      ...petition(),
      petitioner: undefined,
    });
    assert.equal(anonymous.statusCode, 400, anonymous.body);
    assert.deepEqual(
      (anonymous.json() as typeof problem).errors.map((e) => e.field),
      ['petitioner.name', 'petitioner.idNumber', 'petitioner.phone', 'petitioner.address'],
    );
    assert.equal(await count(), before_);
  });

  it('holds a petition with a sensitive word (202) and tells the writer it awaits review; no case is opened', async () => {
    const held = await file(
      'other',
      {
        petitioner: { name: '李另一', idNumber: OTHER_ID, phone: '13900000000', address: '杭州市上城区' },
        matter: '关于测试敏感词的反映',
      },
      202,
    );
    assert.equal(held.status, 'held');
    assert.equal(held.petition.caseNumber, null);
    const shown = await page('other', `/account/petitions/${held.id}`);
    assert.equal(shown.statusCode, 200);
    assert.ok(shown.body.includes('正在等待审核'), 'the writer is told it awaits review');
    const queue = await y.petitions.heldSource.list('330000');
    assert.ok(
      queue.some((x) => x.id === held.id && x.writer === '李**' && x.words.includes('测试敏感词')),
      'on the moderation page',
    );
    // The office's list does not show what no moderator has released.
    assert.ok(!(await page('office', '/workbench/petitions')).body.includes(held.id));
  });

  it('shows a petition to its petitioner and the staff handling it: another citizen and another department get 404', async () => {
    const p = await file('person', {
      matter: '小区绿地被占用停车',
      requests: '请求恢复绿地。',
      facts: '物业将小区中心绿地改为收费停车位，未征求业主意见。',
    });
    assert.equal(p.office.name, '杭州市信访局');
    assert.equal(p.petition.department?.name, '西湖区住房和城乡建设局');
    const api = `/api/v1/petitions/${p.id}`;
    for (const who of ['person', 'office', 'xihu'])
      assert.equal((await call(who, 'GET', api)).statusCode, 200);
    assert.equal((await call('other', 'GET', api)).statusCode, 404);
    assert.equal((await call('civil', 'GET', api)).statusCode, 404);
    assert.equal((await call('civil', 'POST', `${api}/identity`)).statusCode, 404);
    assert.equal((await page('other', `/account/petitions/${p.id}`)).statusCode, 404);
    assert.equal((await page('civil', `/workbench/petitions/${p.id}`)).statusCode, 404);
    assert.ok(!(await page('civil', '/workbench/petitions')).body.includes(p.id));
    // Staff see the petitioner masked; the whole identity is one audited call.
    const staffView = (await call('office', 'GET', api)).json() as PetitionJson;
    assert.equal(staffView.petitioner.name, '张**');
    assert.equal(staffView.petitioner.phone, null);
    const who = await call('office', 'POST', `${api}/identity`);
    assert.equal(who.statusCode, 200);
    assert.equal((who.json() as { idNumber: string }).idNumber, PERSON.idNumber);
    assert.equal(who.headers['cache-control'], 'private, no-store');
    const audited = await y.db.kysely
      .selectFrom('audit.entry')
      .select('id')
      .where('action', '=', 'petitions.identity_viewed')
      .where('object_id', '=', p.id)
      .execute();
    assert.equal(audited.length, 1);
  });

  it('takes the form with its CSRF token, shows every error beside its field, and opens the place level by level', async () => {
    const empty = await submit('person', '/petitions/new', '/petitions/new', {
      'petitioner.name': '张演示',
      'petitioner.idNumber': '330106199001011230',
      matter: '',
    });
    assert.equal(empty.statusCode, 400);
    for (const field of ['petitioner.idNumber', 'petitioner.phone', 'matterType', 'place', 'matter', 'facts'])
      assert.match(empty.body, new RegExp(`id="field-${field.replace('.', '\\.')}-error"`), field);
    assert.match(empty.body, /error-summary/);
    // What was typed stays.
    assert.match(empty.body, /value="张演示"/);

    // 选择下一级: the city chosen, the next level offers its districts; nothing is written.
    const before_ = await count();
    const cityStep = await submit('person', '/petitions/new', '/petitions/new', {
      _pick: 'place',
      'place/1': '330100',
      matter: '小区垃圾清运不及时',
    });
    assert.equal(cityStep.statusCode, 200);
    assert.match(cityStep.body, /name="place\/2"/);
    assert.match(cityStep.body, /<option value="330106"[^>]*>西湖区/);
    assert.match(cityStep.body, /value="小区垃圾清运不及时"/);
    const districtStep = await submit('person', '/petitions/new', '/petitions/new', {
      _pick: 'place',
      'place/1': '330100',
      'place/2': '330106',
    });
    assert.match(districtStep.body, /name="place\/3"/);
    assert.match(districtStep.body, /<option value="330106002"[^>]*>北山街道/);
    // Stopping at the district is too shallow: the place must reach the street.
    const shallow = await submit('person', '/petitions/new', '/petitions/new', {
      'petitioner.name': '张演示',
      'petitioner.idNumber': PERSON.idNumber,
      'petitioner.phone': '13800000000',
      'petitioner.address': '杭州市西湖区文三路1号',
      matterType: 'urban_rural',
      'place/1': '330100',
      'place/2': '330106',
      matter: '小区垃圾清运不及时',
      requests: '请求每日清运。',
      facts: '小区垃圾房三天才清运一次，夏季异味严重。',
    });
    assert.equal(shallow.statusCode, 400);
    assert.match(shallow.body, /id="field-place-error"[^>]*>请继续选择到街道/);
    assert.equal(await count(), before_);

    const done = await submit('person', '/petitions/new', '/petitions/new', petitionForm());
    assert.equal(done.statusCode, 303, done.body);
    const to = String(done.headers.location);
    assert.match(to, /^\/account\/petitions\/[A-Za-z0-9_-]+\?submitted=1$/);
    const shown = await page('person', to);
    assert.equal(shown.statusCode, 200);
    assert.ok(shown.body.includes('由杭州市信访局登记'), 'told who registers it and by when');
    assert.ok(shown.body.includes('浙江省杭州市西湖区北山街道'), 'the place by name');
    // The form starts again with the name, phone and address of the last petition.
    assert.match((await page('person', '/petitions/new')).body, /value="13800000000"/);
  });

  it('runs the whole story: filed, accepted and handed on, answered with a 处理意见书, rated, reviewed one level up', async () => {
    const p = await file('person', {
      matter: '老旧小区改造拖延',
      requests: '请求公开改造计划和工期。',
      facts: '改造工程原定六月开工，至今未动工，也没有任何说明。',
    });
    assert.equal(p.status, 'registering');
    const api = `/api/v1/petitions/${p.id}`;
    const number = p.petition.caseNumber!;
    // The office sees it in its list and may accept and hand it on; the department may not yet.
    assert.ok((await page('office', '/workbench/petitions')).body.includes(p.id));
    const atOffice = (await call('office', 'GET', api)).json() as PetitionJson;
    assert.equal(atOffice.mayDispatch, true);
    assert.equal(atOffice.mayRoute, true);
    assert.equal(((await call('xihu', 'GET', api)).json() as PetitionJson).mayDispatch, false);
    const forbidden = await call('xihu', 'POST', `${api}/route`, { departmentId: 1, reason: '不归我们' });
    assert.equal(forbidden.statusCode, 403);

    const accepted = await call('office', 'POST', `${api}/acceptance`);
    assert.equal(accepted.statusCode, 200, accepted.body);
    const handling = accepted.json() as PetitionJson;
    assert.equal(handling.status, 'handling');
    assert.ok(handling.petition.dueOn);
    // Handed on: the office may no longer reroute it (the department transfers it on the case).
    assert.equal(handling.mayRoute, false);
    assert.equal(handling.documents?.[0]?.kind, 'acceptance');
    // The petitioner is told of the acceptance and its due date.
    const inbox = (await call('person', 'GET', '/api/v1/inbox')).json() as {
      items: { kind: string; params: Record<string, string> }[];
    };
    assert.ok(
      inbox.items.some((m) => m.kind === 'petitions.accepted' && m.params.due === handling.petition.dueOn),
      JSON.stringify(inbox.items.map((m) => m.kind)),
    );

    const answer = await call('xihu', 'POST', `/api/v1/cases/${number}/actions`, {
      action: 'step',
      task: await taskOf('xihu', number, 'answer'),
      name: 'answer',
      input: { result: '部分支持', opinion: '已责令施工单位公开改造计划，十月底前开工。' },
    });
    assert.equal(answer.statusCode, 200, answer.body);
    const done = (await call('person', 'GET', api)).json() as PetitionJson;
    assert.equal(done.status, 'answered');
    assert.equal(done.rateable, 'petition');
    assert.equal(done.next?.stage, 'review');
    assert.equal(done.next?.open, true);
    const opinion = done.documents!.find((d) => d.kind === 'opinion')!;
    assert.ok(opinion);
    const pdf = await y.app.inject({
      method: 'GET',
      url: opinion.href,
      headers: { cookie: cookies.person! },
    });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, '');
    assert.match(text, /信访事项处理意见书/);
    assert.match(text, /十月底前开工/);
    assert.equal(
      (await y.app.inject({ method: 'GET', url: opinion.href, headers: { cookie: cookies.other! } }))
        .statusCode,
      404,
    );
    // The case page links the written answers.
    assert.ok((await page('xihu', `/workbench/cases/${number}`)).body.includes(opinion.href));

    // Rated once: on the page, then the API refuses a second rating.
    const rated = await submit('person', `/account/petitions/${p.id}`, `/account/petitions/${p.id}/rating`, {
      rating: 'dissatisfied',
    });
    assert.equal(rated.statusCode, 303, rated.body);
    const again = await call('person', 'POST', `${api}/rating`, { rating: 'satisfied' });
    assert.equal(again.statusCode, 409);
    assert.equal((again.json() as { code: string }).code, 'petitions.rating.given');

    // 复查: an empty reason is shown beside its field; then the review case opens one level up.
    const noReason = await submit(
      'person',
      `/account/petitions/${p.id}`,
      `/account/petitions/${p.id}/review`,
      { reason: ' ' },
    );
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /id="field-reason-error"/);
    const review = await submit('person', `/account/petitions/${p.id}`, `/account/petitions/${p.id}/review`, {
      reason: '至今仍未开工，请求上级机关复查。',
    });
    assert.equal(review.statusCode, 303, review.body);
    const reviewing = (await call('person', 'GET', api)).json() as PetitionJson;
    assert.equal(reviewing.status, 'reviewing');
    assert.equal(reviewing.petition.rating, 'dissatisfied');
    assert.equal(reviewing.review.department?.name, '浙江省住房和城乡建设厅');
    assert.ok(reviewing.review.caseNumber);
    assert.ok(reviewing.review.dueOn);
    const reviewCase = await call('province', 'GET', `/api/v1/cases/${reviewing.review.caseNumber}`);
    assert.equal(reviewCase.statusCode, 200, reviewCase.body);
    assert.equal((reviewCase.json() as { applicant: { name: string } }).applicant.name, '张**');
    assert.equal((await call('province', 'GET', api)).statusCode, 200);
    assert.ok((await page('person', '/account/petitions')).body.includes('复查中'));
  });

  it('refuses a review asked more than 30 days after the opinion, naming the day it expired', async () => {
    const p = await answered('person', {
      matter: '违建占用消防通道',
      requests: '请求拆除违建。',
      facts: '一楼住户在消防通道上搭建棚屋，消防车无法通行。',
    });
    // The opinion as if given on 20 October 2025: 30 calendar days end on Wednesday 19 November.
    await y.db.kysely
      .updateTable('petitions.petition')
      .set({ decided_at: new Date('2025-10-20T09:00:00+08:00') })
      .where('public_id', '=', p.id)
      .execute();
    const res = await call('person', 'POST', `/api/v1/petitions/${p.id}/review`, { reason: '不服处理意见' });
    assert.equal(res.statusCode, 409, res.body);
    const problem = res.json() as { code: string; detail: string };
    assert.equal(problem.code, 'petitions.review.expired');
    assert.match(problem.detail, /2025-11-19/);
    const shown = await page('person', `/account/petitions/${p.id}`);
    assert.match(shown.body, /请求复查的期限已于 2025-11-19 届满/);
    assert.ok(!shown.body.includes(`/account/petitions/${p.id}/review`), 'no review form once expired');
  });

  it('lets the office reroute within its jurisdiction only, with the reason beside its field', async () => {
    const p = await file('person', {
      matter: '低保资格被取消',
      requests: '请求恢复低保。',
      facts: '家中无收入来源，社区取消低保未说明理由。',
    });
    const url = `/workbench/petitions/${p.id}`;
    const shown = await page('office', url);
    assert.ok(shown.body.includes('西湖区民政局'));
    assert.ok(!shown.body.includes('浙江省民政厅'), 'no department outside the city offered');
    const departments = (
      await y.org.departments.list('330000', {
        includeInactive: false,
        limit: 500,
        offset: 0,
      })
    ).items;
    const civil = departments.find((d) => d.name === '西湖区民政局')!;
    const province = departments.find((d) => d.name === '浙江省民政厅')!;
    const outside = await call('office', 'POST', `/api/v1/petitions/${p.id}/route`, {
      departmentId: province.id,
      reason: '属于民政事项',
    });
    assert.equal(outside.statusCode, 400);
    const noReason = await submit('office', url, `${url}/route`, {
      departmentId: String(civil.id),
      reason: '',
    });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /id="field-reason-error"/);
    const moved = await submit('office', url, `${url}/route`, {
      departmentId: String(civil.id),
      reason: '属于民政事项',
    });
    assert.equal(moved.statusCode, 303, moved.body);
    const now = (await call('office', 'GET', `/api/v1/petitions/${p.id}`)).json() as PetitionJson;
    assert.equal(now.petition.department?.name, '西湖区民政局');
    // Accepted and handed on from the page: the 民政局 handler now sees it, 西湖区住建局 no longer.
    const handOn = await submit('office', url, `${url}/acceptance`, {});
    assert.equal(handOn.statusCode, 303, handOn.body);
    assert.equal((await call('civil', 'GET', `/api/v1/petitions/${p.id}`)).statusCode, 200);
    assert.equal((await call('xihu', 'GET', `/api/v1/petitions/${p.id}`)).statusCode, 404);
  });
});

describe('petitions: flooding is answered 429 with Retry-After', () => {
  let y: TestApp;
  before(async () => {
    // The site's limit 300 a minute: petitioning gets a sixtieth, 5 a minute per writer.
    y = await createTestApp({ seed: true, env: { RATE_LIMIT_PER_MINUTE: '300' } });
  });
  after(() => y.drop());

  it('refuses the sixth post in a minute on the API, and the page form has its own limit', async () => {
    const cookie = await signIn(y, PERSON.username, PERSON.password);
    const statuses: number[] = [];
    let retryAfter = 0;
    for (let i = 0; i < 6; i++) {
      const res = await y.app.inject({
        method: 'POST',
        url: '/api/v1/petitions',
        headers: { cookie, accept: 'application/json' },
        payload: { matter: '' },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        retryAfter = Number(res.headers['retry-after']);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      }
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429]);
    assert.ok(retryAfter > 0);
    const form = await y.app.inject({ method: 'GET', url: '/petitions/new', headers: { cookie } });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const csrf = form.cookies.find((c) => c.name === 'yw_csrf');
    const posted: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await y.app.inject({
        method: 'POST',
        url: '/petitions/new',
        headers: {
          cookie: csrf ? `${cookie}; yw_csrf=${csrf.value}` : cookie,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
        },
        payload: new URLSearchParams({ _csrf: token, matter: '' }).toString(),
      });
      posted.push(res.statusCode);
      if (res.statusCode === 429) assert.ok(Number(res.headers['retry-after']) > 0);
    }
    assert.deepEqual(posted, [400, 400, 400, 400, 400, 429]);
  });
});
