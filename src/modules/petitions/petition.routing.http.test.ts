/**
 * The site's routing rules over HTTP and on the workbench page, on the whole application with the demo
 * region: read by every petition office, changed only by the site's own (浙江省信访局) or the site's
 * administrator, audited, each problem beside its field; and a petition held by the sensitive-word
 * screen — the petitioner told so (202), its files kept — released by the demo moderator into a case
 * routed by the rules as they are then.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { SAMPLES } from '../../kernel/files/sample-files.ts';
import { csrfOf, PERSON, petitionJson, postMultipart } from './petitions.fixtures.ts';

interface RuleJson {
  matterType: string;
  name: string;
  departmentType: string;
  departmentTypeName: string;
  default: boolean;
  defaultType: string;
}
interface PetitionJson {
  id: string;
  status: string;
  office: { name: string };
  attachments: { filename: string; href: string }[];
  petition: { caseNumber: string | null; department: { name: string } | null };
}

describe('petitions: the site’s routing rules, and a held petition released into them', () => {
  let y: TestApp;
  const cookies: Record<string, string> = {};
  const call = (who: string | null, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    y.app.inject({
      method,
      url,
      headers: { ...(who ? { cookie: cookies[who]! } : {}), accept: 'application/json' },
      ...(payload ? { payload } : {}),
    });
  const page = (who: string, url: string) =>
    y.app.inject({ method: 'GET', url, headers: { cookie: cookies[who]!, accept: 'text/html' } });
  /** The routing page's form posted as the browser would. */
  const postPage = async (who: string, fields: Record<string, string>) => {
    const csrf = await csrfOf(y, cookies[who]!, '/workbench/petitions/routing');
    return y.app.inject({
      method: 'POST',
      url: '/workbench/petitions/routing',
      headers: {
        cookie: csrf.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      payload: new URLSearchParams({ _csrf: csrf.token, ...fields }).toString(),
    });
  };
  const rules = async (who: string) => {
    const res = await call(who, 'GET', '/api/v1/petitions/routing');
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { items: RuleJson[]; mayEdit: boolean };
  };
  const rule = async (matterType: string) =>
    (await rules('province')).items.find((r) => r.matterType === matterType)!;

  before(async () => {
    y = await createTestApp({ seed: true });
    cookies.person = await signIn(y, PERSON.username, PERSON.password);
    cookies.office = await signIn(y, 'demo.petition', 'Demo#2026petition');
    cookies.xihu = await signIn(y, 'demo.xihu', 'Demo#2026xihu');
    cookies.moderator = await signIn(y, 'demo.moderator', 'Demo#2026moderator');
    cookies.civil = (
      await signInStaff(y, { roles: ['handler'], divisionCode: '330106', departmentName: '西湖区民政局' })
    ).cookie;
    cookies.province = (
      await signInStaff(y, {
        roles: ['petition_officer', 'handler'],
        divisionCode: '330000',
        departmentName: '浙江省信访局',
      })
    ).cookie;
    cookies.admin = (await signInStaff(y, { roles: ['tenant_admin'], divisionCode: '330000' })).cookie;
  });
  after(() => y.drop());

  it('lists every matter type with the type of department responsible, the code’s default until the site sets its own; the other offices read them', async () => {
    const city = await rules('office');
    assert.equal(city.items.length, 10);
    assert.equal(city.mayEdit, false, 'a city’s petition office does not set the site’s rules');
    const housing = city.items.find((r) => r.matterType === 'urban_rural')!;
    assert.deepEqual(
      [housing.name, housing.departmentType, housing.departmentTypeName, housing.default],
      ['城乡建设', 'housing', '住房城乡建设', true],
    );
    assert.equal((await rules('province')).mayEdit, true);
    assert.equal((await rules('admin')).mayEdit, true);
    for (const who of ['person', 'xihu', 'moderator'])
      assert.equal((await call(who, 'GET', '/api/v1/petitions/routing')).statusCode, 403, who);
    assert.equal((await call(null, 'GET', '/api/v1/petitions/routing')).statusCode, 401);
  });

  it('lets the site’s petition office or administrator change a rule (audited); refuses the others; names a wrong type beside its field', async () => {
    const url = '/api/v1/petitions/routing/civil';
    const cityOffice = await call('office', 'PUT', url, { departmentType: 'urban_management' });
    assert.equal(cityOffice.statusCode, 403, cityOffice.body);
    assert.equal((cityOffice.json() as { code: string }).code, 'petitions.routing.site_only');
    assert.equal((await call('xihu', 'PUT', url, { departmentType: 'urban_management' })).statusCode, 403);
    const unknown = await call('province', 'PUT', '/api/v1/petitions/routing/weather', {
      departmentType: 'urban_management',
    });
    assert.equal(unknown.statusCode, 404, unknown.body);
    const wrong = await call('province', 'PUT', url, { departmentType: 'ministry_of_magic' });
    assert.equal(wrong.statusCode, 400, wrong.body);
    assert.deepEqual(
      (wrong.json() as { errors: { field: string; code: string }[] }).errors.map(
        (e) => `${e.field} ${e.code}`,
      ),
      ['departmentType petitions.routing.type_unknown'],
    );
    assert.equal((await rule('civil')).departmentType, 'civil_affairs', 'nothing changed');

    const set = await call('admin', 'PUT', url, { departmentType: 'urban_management' });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(
      [(set.json() as RuleJson).departmentType, (set.json() as RuleJson).default],
      ['urban_management', false],
    );
    assert.equal((await rule('civil')).departmentType, 'urban_management');
    // The default again: the site's own rule goes.
    const back = await call('province', 'PUT', url, { departmentType: 'civil_affairs' });
    assert.deepEqual(
      [(back.json() as RuleJson).departmentType, (back.json() as RuleJson).default],
      ['civil_affairs', true],
    );
    const rows = await y.db.kysely.selectFrom('petitions.routing').select('matter_type').execute();
    assert.deepEqual(rows, []);
    const audited = await y.db.kysely
      .selectFrom('audit.entry')
      .select(['detail'])
      .where('action', '=', 'petitions.routing_changed')
      .where('object_id', '=', 'civil')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audited.map((a) => {
        const d = (typeof a.detail === 'string' ? JSON.parse(a.detail) : a.detail) as Record<string, string>;
        return `${d.from}→${d.to}`;
      }),
      ['civil_affairs→urban_management', 'urban_management→civil_affairs'],
    );
  });

  it('shows the rules on the workbench: a select per matter type for the site’s office, each problem beside it; a table for another office', async () => {
    const form = await page('province', '/workbench/petitions/routing');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<label for="field-urban_rural">城乡建设/);
    assert.match(
      form.body,
      /<select id="field-urban_rural" name="urban_rural"[^>]*>.*?<option value="housing" selected>住房城乡建设/,
    );
    const all = Object.fromEntries(
      (await rules('province')).items.map((r) => [r.matterType, r.departmentType]),
    );

    const wrong = await postPage('province', { ...all, urban_rural: '', city: 'nonsense' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /id="field-urban_rural-error"[^>]*>请选择办理部门类型。/);
    assert.match(wrong.body, /id="field-city-error"[^>]*>请从列表中选择一种部门类型。/);
    assert.match(wrong.body, /<select id="field-urban_rural"[^>]*aria-invalid="true"/);
    assert.equal((await rule('urban_rural')).departmentType, 'housing', 'all or nothing');

    // 城乡建设 to the civil affairs bureaus: the petitions below are routed by it.
    const saved = await postPage('province', { ...all, urban_rural: 'civil_affairs' });
    assert.equal(saved.statusCode, 303, saved.body);
    assert.equal(saved.headers.location, '/workbench/petitions/routing?saved=1');
    const after_ = await page('province', '/workbench/petitions/routing?saved=1');
    assert.match(after_.body, /已保存/);
    assert.match(after_.body, /id="field-urban_rural-hint"[^>]*>本站设置（系统默认为住房城乡建设）/);

    const readOnly = await page('office', '/workbench/petitions/routing');
    assert.equal(readOnly.statusCode, 200);
    assert.ok(!readOnly.body.includes('<select'), 'no form for a city’s office');
    assert.match(readOnly.body, /<th scope="row">城乡建设<\/th><td>民政<\/td>/);
    assert.equal((await postPage('office', { ...all })).statusCode, 403);
    assert.equal((await page('xihu', '/workbench/petitions/routing')).statusCode, 403);
    // The site administrator edits it too, with no petition list behind it.
    const admin = await page('admin', '/workbench/petitions/routing');
    assert.match(admin.body, /<select id="field-urban_rural"/);

    const p = await call('person', 'POST', '/api/v1/petitions', {
      ...petitionJson({
        matter: '楼道堆物占用消防通道',
        requests: '请求清理。',
        facts: '三楼住户长期在楼道堆放杂物。',
      }),
    });
    assert.equal(p.statusCode, 201, p.body);
    assert.equal((p.json() as PetitionJson).petition.department?.name, '西湖区民政局');
  });

  it('holds a petition with a sensitive word (202, told it waits, its files kept); released by the moderator, it is a case routed by the site’s rules', async () => {
    const res = await postMultipart(
      y,
      cookies.person!,
      '/api/v1/petitions',
      [
        {
          name: 'data',
          content: JSON.stringify(
            petitionJson({
              matter: '关于测试敏感词的反映',
              requests: '请求核实小区公共收益去向。',
              facts: '业委会三年未公布停车费和广告费收支，业主无从查询。',
            }),
          ),
        },
        { name: 'attachments', filename: '收支公告.png', content: SAMPLES.png() },
      ],
      { api: true },
    );
    assert.equal(res.statusCode, 202, res.body);
    const held = res.json() as PetitionJson;
    assert.equal(held.status, 'held');
    assert.equal(held.petition.caseNumber, null);
    assert.deepEqual(
      held.attachments.map((a) => a.filename),
      ['收支公告.png'],
    );
    const told = await page('person', `/account/petitions/${held.id}`);
    assert.match(told.body, /正在等待审核/);
    assert.ok(told.body.includes(held.attachments[0]!.href));
    assert.equal((await call('person', 'GET', held.attachments[0]!.href)).statusCode, 200);
    // Nobody but the petitioner and the moderator knows of it until it is released.
    assert.equal((await call('office', 'GET', `/api/v1/petitions/${held.id}`)).statusCode, 404);
    assert.equal((await call('office', 'GET', held.attachments[0]!.href)).statusCode, 404);
    const queue = (await call('moderator', 'GET', '/api/v1/moderation/held')).json() as {
      items: { kind: string; id: string; words: string[] }[];
    };
    assert.deepEqual(
      queue.items.filter((i) => i.id === held.id).map((i) => [i.kind, i.words]),
      [['petitions', ['测试敏感词']]],
    );

    const release = `/api/v1/moderation/held/petitions/${held.id}/release`;
    assert.equal((await call('office', 'POST', release)).statusCode, 403);
    assert.equal((await call('moderator', 'POST', release)).statusCode, 204);
    const released = (await call('person', 'GET', `/api/v1/petitions/${held.id}`)).json() as PetitionJson;
    assert.equal(released.status, 'registering');
    assert.equal(released.office.name, '杭州市信访局');
    // 城乡建设 goes to the civil affairs bureau now (the rule set above), not 西湖区住房和城乡建设局.
    assert.equal(released.petition.department?.name, '西湖区民政局');
    const number = released.petition.caseNumber!;
    assert.ok(number);
    const kase = (await call('office', 'GET', `/api/v1/cases/${number}`)).json() as {
      events: { type: string; filename?: string }[];
    };
    assert.deepEqual(
      kase.events.filter((e) => e.type === 'attachment.added').map((e) => e.filename),
      ['收支公告.png'],
    );
    for (const who of ['office', 'civil']) {
      assert.equal((await call(who, 'GET', `/api/v1/petitions/${held.id}`)).statusCode, 200, who);
      assert.equal((await call(who, 'GET', held.attachments[0]!.href)).statusCode, 200, who);
    }
    assert.equal((await call('xihu', 'GET', `/api/v1/petitions/${held.id}`)).statusCode, 404);
    const inbox = (await call('person', 'GET', '/api/v1/inbox')).json() as { items: { kind: string }[] };
    assert.ok(inbox.items.some((m) => m.kind === 'petitions.released'));
    assert.equal((await call('moderator', 'POST', release)).statusCode, 404, 'released once only');
  });
});
