/**
 * A site's routing rules on the database: the code's defaults until the site sets its own; set only by
 * those whose jurisdiction is the whole site (its petition office, its administrator), all or nothing,
 * audited; a rule set back to the default leaves no row; another site keeps its own; routing reads them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acting, actor } from '../../../test/support/actors.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { migrate } from '../../kernel/db/index.ts';
import type { DomainError } from '../../kernel/errors.ts';
import type { DepartmentRef } from '../workflow/index.ts';
import { route, ROUTES } from './matter-types.ts';
import { createRoutingService, type RoutingService } from './routing.service.ts';

const TENANT = '330000';
const provinceOffice = actor(1, ['petition_officer'], 1, TENANT);
const cityOffice = actor(2, ['petition_officer'], 2, '330100');
const siteAdmin = actor(3, ['tenant_admin'], 3, TENANT);
const cityAdmin = actor(4, ['tenant_admin'], 4, '330100');
const handler = actor(5, ['handler'], 5, TENANT);
const citizen = actor(6, ['citizen'], null);

const DEPARTMENTS: DepartmentRef[] = [
  { id: 1, name: '杭州市信访局', divisionCode: '330100', type: 'petitions', active: true },
  { id: 2, name: '西湖区住房和城乡建设局', divisionCode: '330106', type: 'housing', active: true },
  { id: 3, name: '西湖区民政局', divisionCode: '330106', type: 'civil_affairs', active: true },
];

describe('petitions: the site’s routing rules', () => {
  let test: TestDatabase;
  let routing: RoutingService;
  const refusal = async (p: Promise<unknown>) =>
    (await p.then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    )) as DomainError;
  const audits = async () =>
    (
      await test.db.kysely
        .selectFrom('audit.entry')
        .select(['object_id', 'detail'])
        .where('action', '=', 'petitions.routing_changed')
        .orderBy('id')
        .execute()
    ).map((a) => {
      const d = (typeof a.detail === 'string' ? JSON.parse(a.detail) : a.detail) as Record<string, string>;
      return `${a.object_id} ${d.from}→${d.to}`;
    });

  before(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    routing = createRoutingService(test.db);
  });
  after(() => test.drop());

  it('is the code’s table until the site sets its own; the petition offices and administrators read it', async () => {
    const { rules, mayEdit } = await routing.list(acting(cityOffice));
    assert.equal(mayEdit, false);
    assert.deepEqual(
      rules.map((r) => [r.matterType, r.departmentType, r.changedAt]),
      Object.entries(ROUTES).map(([m, d]) => [m, d, null]),
    );
    assert.equal((await routing.list(acting(provinceOffice))).mayEdit, true);
    assert.equal((await routing.list(acting(siteAdmin))).mayEdit, true);
    assert.equal((await routing.list(acting(cityAdmin))).mayEdit, false);
    for (const who of [handler, citizen])
      assert.equal((await refusal(routing.list(acting(who)))).kind, 'forbidden', who.role);
    assert.deepEqual(await routing.routesOf(TENANT), ROUTES);
  });

  it('is changed only by those whose jurisdiction is the whole site', async () => {
    for (const who of [cityOffice, cityAdmin]) {
      const e = await refusal(routing.set(acting(who), { civil: 'urban_management' }));
      assert.deepEqual([e.kind, e.code], ['forbidden', 'petitions.routing.site_only'], who.role);
    }
    assert.equal((await refusal(routing.set(acting(handler), { civil: 'health' }))).kind, 'forbidden');
    assert.deepEqual(await audits(), []);
  });

  it('refuses an unknown matter type (404) and names every wrong department type, changing nothing', async () => {
    assert.equal(
      (await refusal(routing.set(acting(provinceOffice), { weather: 'housing' }))).kind,
      'not_found',
    );
    const e = await refusal(
      routing.set(acting(provinceOffice), { urban_rural: 'civil_affairs', labour: '', city: 'circus' }),
    );
    assert.deepEqual(
      e.fields.map((f) => `${f.field} ${f.code}`),
      ['labour petitions.routing.choose', 'city petitions.routing.type_unknown'],
    );
    assert.deepEqual(await routing.routesOf(TENANT), ROUTES, 'all or nothing');
  });

  it('sets a rule (audited), writes nothing for an unchanged one, and removes the site’s row when set back to the default', async () => {
    assert.deepEqual(
      await routing.set(acting(provinceOffice), { urban_rural: 'civil_affairs', labour: 'human_resources' }),
      { changed: ['urban_rural'] },
    );
    assert.equal((await routing.routesOf(TENANT)).urban_rural, 'civil_affairs');
    // Another site keeps the default.
    assert.equal((await routing.routesOf('320000')).urban_rural, 'housing');
    const listed = (await routing.list(acting(cityOffice))).rules.find(
      (r) => r.matterType === 'urban_rural',
    )!;
    assert.ok(listed.changedAt);
    assert.equal(listed.defaultType, 'housing');
    // Routing reads them: a 西湖区 城乡建设 matter goes to the civil affairs bureau.
    const place = '330106002';
    assert.equal(route(DEPARTMENTS, 'urban_rural', place)?.id, 2);
    assert.equal(route(DEPARTMENTS, 'urban_rural', place, await routing.routesOf(TENANT))?.id, 3);

    await routing.set(acting(siteAdmin), { urban_rural: 'housing' });
    const rows = await test.db.kysely.selectFrom('petitions.routing').selectAll().execute();
    assert.deepEqual(rows, []);
    assert.deepEqual(await audits(), [
      'urban_rural housing→civil_affairs',
      'urban_rural civil_affairs→housing',
    ]);
  });
});
