import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { translator } from '../../kernel/i18n/index.ts';

const zh = translator('zh-CN');
const HTML = { accept: 'text/html,application/xhtml+xml' };
const TENANT = '330000';
const BASE = '/workbench/letters/mailboxes';

interface MailboxJson {
  id: number;
  name: string;
  leader: string;
  department: { id: number; name: string; active: boolean };
  sort: number;
  active: boolean;
}
interface Problem {
  errors: { field: string; code: string; params?: Record<string, unknown> }[];
}

describe('letters: the site administrator manages the leaders’ mailboxes (领导信箱管理)', () => {
  let y: TestApp;
  let admin = ''; // tenant_admin over the whole site (330000)
  let districtAdmin = ''; // tenant_admin of 上城区 only: the site is not theirs
  let citizen = '';
  let office = ''; // 浙江省人民政府办公厅: department head and handler, no site administration
  let cityHandler = ''; // 杭州市人民政府办公厅
  let provinceOffice = 0;
  let cityOffice = 0;
  let created: MailboxJson;

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
    y.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
  const page = (url: string, cookie: string) =>
    y.app.inject({ method: 'GET', url, headers: { ...HTML, ...(cookie ? { cookie } : {}) } });
  /** Posts a page form as a browser does: the CSRF token from the page it is on, urlencoded. */
  const postForm = async (from: string, url: string, cookie: string, fields: Record<string, string>) => {
    const res = await page(from, cookie);
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
    const csrf = [res.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith('yw_csrf='))
      ?.split(';')[0];
    return y.app.inject({
      method: 'POST',
      url,
      headers: {
        ...HTML,
        cookie: csrf ? `${cookie}; ${csrf}` : cookie,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  };
  const addressees = async () =>
    (
      (await api('GET', '/api/v1/letters/addressees', '')).json() as { mailboxes: { name: string }[] }
    ).mailboxes.map((m) => m.name);
  const audited = async (action: string, id: number) =>
    (
      await sql<{ detail: Record<string, unknown> }>`select detail from audit.entry
        where action = ${action} and object_type = 'mailbox' and object_id = ${String(id)}
        order by id`.execute(y.db.kysely)
    ).rows;

  before(async () => {
    y = await createTestApp({ seed: true });
    admin = (await signInStaff(y, { roles: ['tenant_admin'], divisionCode: TENANT })).cookie;
    districtAdmin = (await signInStaff(y, { roles: ['tenant_admin'], divisionCode: '330102' })).cookie;
    citizen = await signIn(y, 'demo.citizen', 'Demo#2026citizen');
    office = await signIn(y, 'demo.disclosure', 'Demo#2026disclosure');
    cityHandler = (
      await signInStaff(y, {
        roles: ['handler'],
        divisionCode: '330100',
        departmentName: '杭州市人民政府办公厅',
      })
    ).cookie;
    const departments = (
      await y.org.departments.list(TENANT, { includeInactive: false, limit: 500, offset: 0 })
    ).items;
    provinceOffice = departments.find((d) => d.name === '浙江省人民政府办公厅')!.id;
    cityOffice = departments.find((d) => d.name === '杭州市人民政府办公厅')!.id;
  });
  after(() => y.drop());

  it('lists every mailbox to the site administrator; anyone else gets 401, 403 or 404', async () => {
    const res = await api('GET', '/api/v1/letters/mailboxes', admin);
    assert.equal(res.statusCode, 200, res.body);
    const items = (res.json() as { items: MailboxJson[] }).items;
    assert.deepEqual(
      items.map((m) => [m.name, m.leader, m.department.id, m.active]),
      [
        ['省长信箱', '省长', provinceOffice, true],
        ['市长信箱', '杭州市市长', cityOffice, true],
      ],
    );
    assert.equal(items[0]!.department.name, '浙江省人民政府办公厅');

    assert.equal((await api('GET', '/api/v1/letters/mailboxes', '')).statusCode, 401);
    for (const cookie of [citizen, office, cityHandler]) {
      assert.equal((await api('GET', '/api/v1/letters/mailboxes', cookie)).statusCode, 403);
      assert.equal(
        (
          await api('POST', '/api/v1/letters/mailboxes', cookie, {
            name: '越权信箱',
            departmentId: cityOffice,
          })
        ).statusCode,
        403,
      );
      assert.equal(
        (await api('PATCH', `/api/v1/letters/mailboxes/${items[0]!.id}`, cookie, { active: false }))
          .statusCode,
        403,
      );
      assert.equal((await page(BASE, cookie)).statusCode, 403);
    }
    // The permission, but not over the whole site: as if there were nothing.
    assert.equal((await api('GET', '/api/v1/letters/mailboxes', districtAdmin)).statusCode, 404);
    assert.equal(
      (await api('PATCH', `/api/v1/letters/mailboxes/${items[0]!.id}`, districtAdmin, { active: false }))
        .statusCode,
      404,
    );
    assert.equal(
      (
        await api('POST', '/api/v1/letters/mailboxes', districtAdmin, {
          name: '区长信箱',
          departmentId: cityOffice,
        })
      ).statusCode,
      404,
    );
    assert.equal((await page(`${BASE}/${items[0]!.id}`, districtAdmin)).statusCode, 404);
    assert.deepEqual(await addressees(), ['省长信箱', '市长信箱'], 'nothing changed');

    // The page, and its card on the administrator's dashboard only.
    const list = await page(BASE, admin);
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes('省长信箱') && list.body.includes('杭州市人民政府办公厅'));
    assert.ok((await page('/workbench', admin)).body.includes(`href="${BASE}"`));
    assert.ok(!(await page('/workbench', office)).body.includes(`href="${BASE}"`));
  });

  it('adds a mailbox, naming every problem beside its field; a name the site has is 409 beside the name', async () => {
    const stale = await y.org.departments.create(systemContext(TENANT), {
      divisionCode: TENANT,
      name: '已撤销的测试办公室',
      type: 'general_office',
    });
    await y.org.departments.setActive(systemContext(TENANT), stale.id, false);
    const bad = await api('POST', '/api/v1/letters/mailboxes', admin, {
      name: ' <b></b> ',
      leader: '长'.repeat(51),
      departmentId: stale.id,
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.deepEqual(
      (bad.json() as Problem).errors.map((e) => `${e.field}:${e.code}`),
      [
        'name:letters.mailbox.name_required',
        'leader:letters.mailbox.leader_length',
        'departmentId:letters.mailbox.department_required',
      ],
    );
    const long = await api('POST', '/api/v1/letters/mailboxes', admin, {
      name: '信'.repeat(51),
      departmentId: 999_999,
    });
    assert.deepEqual(
      (long.json() as Problem).errors.map((e) => `${e.field}:${e.code}`),
      ['name:letters.mailbox.name_length', 'departmentId:letters.mailbox.department_required'],
    );

    const made = await api('POST', '/api/v1/letters/mailboxes', admin, {
      name: '  副市长信箱 ',
      leader: '杭州市副市长',
      departmentId: cityOffice,
    });
    assert.equal(made.statusCode, 201, made.body);
    created = made.json() as MailboxJson;
    assert.deepEqual(
      [created.name, created.leader, created.department.id, created.sort, created.active],
      ['副市长信箱', '杭州市副市长', cityOffice, 2, true],
      'after the last one',
    );
    assert.deepEqual(await addressees(), ['省长信箱', '市长信箱', '副市长信箱']);
    assert.equal((await audited('letters.mailbox_created', created.id)).length, 1);

    const twice = await api('POST', '/api/v1/letters/mailboxes', admin, {
      name: '省长信箱',
      departmentId: cityOffice,
    });
    assert.equal(twice.statusCode, 409, twice.body);
    assert.deepEqual(
      (twice.json() as Problem).errors.map((e) => `${e.field}:${e.code}`),
      ['name:letters.mailbox.name_taken'],
    );

    // The page form: the same refusal beside the name, what was typed kept; then a good one.
    const refused = await postForm(BASE, BASE, admin, {
      name: '市长信箱',
      leader: '重复的领导',
      departmentId: String(cityOffice),
      sort: '',
    });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /<p class="error-message" id="field-name-error">[^<]*市长信箱/);
    assert.ok(refused.body.includes('value="重复的领导"'));
    const badSort = await postForm(BASE, BASE, admin, {
      name: '测试信箱',
      leader: '',
      departmentId: String(cityOffice),
      sort: 'first',
    });
    assert.equal(badSort.statusCode, 400);
    assert.ok(badSort.body.includes('id="field-sort-error"'));
    const ok = await postForm(BASE, BASE, admin, {
      name: '厅长信箱',
      leader: '',
      departmentId: String(provinceOffice),
      sort: '7',
    });
    assert.equal(ok.statusCode, 303, ok.body);
    assert.equal(ok.headers.location, `${BASE}?saved=1`);
    const all = (await api('GET', '/api/v1/letters/mailboxes', admin)).json() as { items: MailboxJson[] };
    assert.deepEqual(
      all.items.map((m) => `${m.name}:${m.sort}`),
      ['省长信箱:0', '市长信箱:1', '副市长信箱:2', '厅长信箱:7'],
    );
  });

  it('edits name, leader, answering department and order, audited with what changed', async () => {
    const res = await api('PATCH', `/api/v1/letters/mailboxes/${created.id}`, admin, {
      leader: '杭州市常务副市长',
      departmentId: provinceOffice,
      sort: 5,
    });
    assert.equal(res.statusCode, 200, res.body);
    const changed = res.json() as MailboxJson;
    assert.deepEqual(
      [changed.name, changed.leader, changed.department.id, changed.sort],
      ['副市长信箱', '杭州市常务副市长', provinceOffice, 5],
    );
    const entries = await audited('letters.mailbox_changed', created.id);
    assert.deepEqual(entries.at(-1)?.detail.changed, ['leader', 'departmentId', 'sort']);

    const taken = await api('PATCH', `/api/v1/letters/mailboxes/${created.id}`, admin, { name: '省长信箱' });
    assert.equal(taken.statusCode, 409);
    assert.equal((taken.json() as Problem).errors[0]!.field, 'name');
    assert.equal(
      (await api('PATCH', '/api/v1/letters/mailboxes/999999', admin, { sort: 1 })).statusCode,
      404,
    );

    // Through the page: back to the city's office, under its own name.
    const edit = await page(`${BASE}/${created.id}`, admin);
    assert.equal(edit.statusCode, 200);
    assert.ok(edit.body.includes('value="副市长信箱"'));
    const saved = await postForm(`${BASE}/${created.id}`, `${BASE}/${created.id}`, admin, {
      name: '副市长信箱',
      leader: '杭州市副市长',
      departmentId: String(cityOffice),
      sort: '2',
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const again = (await api('GET', '/api/v1/letters/mailboxes', admin)).json() as { items: MailboxJson[] };
    const box = again.items.find((m) => m.id === created.id)!;
    assert.deepEqual([box.leader, box.department.id, box.sort], ['杭州市副市长', cityOffice, 2]);
  });

  it('takes a mailbox out of service: not offered, refused on write, its letters run on; and back', async () => {
    const letter = {
      kind: 'leader',
      mailboxId: created.id,
      title: '关于地铁末班车时间的建议',
      body: '地铁末班车太早，加班的人回家不方便，建议延长运营时间到晚上十一点半。',
      phone: '13812345678',
      mayPublish: false,
    };
    const written = await api('POST', '/api/v1/letters', citizen, letter);
    assert.equal(written.statusCode, 201, written.body);
    const l = written.json() as { id: string; department: { id: number } };
    assert.equal(l.department.id, cityOffice);

    const off = await api('PATCH', `/api/v1/letters/mailboxes/${created.id}`, admin, { active: false });
    assert.equal(off.statusCode, 200, off.body);
    assert.equal((off.json() as MailboxJson).active, false);
    assert.equal((await audited('letters.mailbox_deactivated', created.id)).length, 1);
    assert.ok(!(await addressees()).includes('副市长信箱'));
    const form = await page('/letters/new', citizen);
    assert.ok(!form.body.includes('副市长信箱'));
    const refused = await api('POST', '/api/v1/letters', citizen, letter);
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(
      (refused.json() as Problem).errors.map((e) => `${e.field}:${e.code}`),
      ['mailboxId:letters.mailbox.required'],
    );
    // Its letter is the writer's and the department's still, under the mailbox's name.
    const mine = await api('GET', `/api/v1/letters/${l.id}`, citizen);
    assert.equal((mine.json() as { mailbox: { name: string } }).mailbox.name, '副市长信箱');
    const replied = await api('POST', `/api/v1/letters/${l.id}/reply`, cityHandler, {
      reply: '已转告地铁集团研究延长运营时间。',
    });
    assert.equal(replied.statusCode, 200, replied.body);
    // The administrator still sees it, out of service.
    const list = await page(BASE, admin);
    assert.ok(list.body.includes(zh('letters.mailbox.inactive')));

    const on = await postForm(BASE, `${BASE}/${created.id}/reactivate`, admin, {});
    assert.equal(on.statusCode, 303);
    assert.ok((await addressees()).includes('副市长信箱'));
    assert.equal((await audited('letters.mailbox_reactivated', created.id)).length, 1);
    assert.equal((await api('POST', '/api/v1/letters', citizen, letter)).statusCode, 201);
  });

  it('keeps a mailbox whose department was deactivated out of service until another is chosen', async () => {
    const dept = await y.org.departments.create(systemContext(TENANT), {
      divisionCode: TENANT,
      name: '临时信访办公室',
      type: 'general_office',
    });
    const made = (
      await api('POST', '/api/v1/letters/mailboxes', admin, { name: '临时信箱', departmentId: dept.id })
    ).json() as MailboxJson;
    await api('PATCH', `/api/v1/letters/mailboxes/${made.id}`, admin, { active: false });
    await y.org.departments.setActive(systemContext(TENANT), dept.id, false);
    const back = await postForm(BASE, `${BASE}/${made.id}/reactivate`, admin, {});
    assert.equal(back.statusCode, 400);
    assert.ok(back.body.includes('id="field-departmentId-error"'));
    const res = await api('PATCH', `/api/v1/letters/mailboxes/${made.id}`, admin, {
      active: true,
      departmentId: cityOffice,
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  it('seeds the demo’s mailboxes only into a site that has none: the administrator’s changes stay', async () => {
    const box = ((await api('GET', '/api/v1/letters/mailboxes', admin)).json() as { items: MailboxJson[] })
      .items[0]!;
    await api('PATCH', `/api/v1/letters/mailboxes/${box.id}`, admin, { active: false, leader: '' });
    await y.letters.seedDemo(TENANT, () => provinceOffice);
    const after = ((await api('GET', '/api/v1/letters/mailboxes', admin)).json() as { items: MailboxJson[] })
      .items;
    const same = after.find((m) => m.id === box.id)!;
    assert.deepEqual([same.active, same.leader], [false, '']);
  });
});
