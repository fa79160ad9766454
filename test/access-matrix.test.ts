/**
 * The access matrix: every route the application serves, every kind of actor (anonymous, citizen, each
 * staff role), and for objects held in a division, a staff member inside and outside the jurisdiction.
 * fast-check draws the combinations; the expected answer comes from the policy's rule as the issue
 * states it — never from the server — so a route that forgets a check, or checks the wrong thing, fails.
 *
 * Requests that the policy allows are sent only when they cannot change anything: GETs, and writes
 * whose body is checked by a schema (a deliberately bad body gets 400 after the access decision).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { decide, SYSTEM_ROLES, type Actor, type Permission } from '../src/kernel/policy/index.ts';
import type { RouteAccess } from '../src/kernel/http/index.ts';
import { DEMO_ACCOUNTS } from '../src/app.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { createStaff, signInStaff } from './support/staff.ts';

interface Who {
  label: string;
  cookie: string | null;
  /** What the policy knows of them: kind, permissions, division. */
  actor: Actor | null;
}

const HOME = '330102'; // 上城区: the matrix's staff sit here
const SIBLING = '330106'; // 西湖区: never theirs

function actorOf(roles: string[], kind: Actor['kind'], division: string): Actor {
  const permissions = new Set<Permission>(
    roles.flatMap((r) => [...SYSTEM_ROLES[r as keyof typeof SYSTEM_ROLES].permissions]),
  );
  return {
    id: 'x',
    accountId: -1,
    kind,
    role: '',
    roles,
    permissions,
    division,
    departmentId: null,
    name: '',
  };
}

const isPage = (url: string) => !url.startsWith('/api/');

describe('access matrix: role × jurisdiction × route', { timeout: 600_000 }, () => {
  let t: TestApp;
  const people: Who[] = [];
  let routes: RouteAccess[] = [];
  const ids = { siblingDepartment: 0, homeDepartment: 0, siblingStaff: 0, homeStaff: 0 };

  before(async () => {
    t = await createTestApp();
    routes = t.app.accessTable.filter((r) => !r.url.startsWith('/static/'));
    people.push({ label: 'anonymous', cookie: null, actor: null });
    const citizen = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: citizen.username, password: citizen.password },
    });
    people.push({
      label: 'citizen',
      cookie: `yw_session=${res.cookies.find((c) => c.name === 'yw_session')!.value}`,
      actor: actorOf(['citizen'], 'person', ''),
    });
    for (const role of Object.keys(SYSTEM_ROLES).filter(
      (r) => SYSTEM_ROLES[r as 'handler'].kind === 'staff',
    )) {
      const s = await signInStaff(t, { roles: [role], divisionCode: HOME });
      people.push({ label: role, cookie: s.cookie, actor: actorOf([role], 'staff', HOME) });
    }
    const departments = await t.org.departments.list('330000', {
      includeInactive: false,
      limit: 500,
      offset: 0,
    });
    ids.homeDepartment = departments.items.find((d) => d.divisionCode === HOME)!.id;
    ids.siblingDepartment = departments.items.find((d) => d.divisionCode === SIBLING)!.id;
    ids.homeStaff = (await createStaff(t, { roles: ['handler'], divisionCode: HOME })).accountId;
    ids.siblingStaff = (await createStaff(t, { roles: ['handler'], divisionCode: SIBLING })).accountId;
  });
  after(() => t.drop());

  /** Fills a route's parameters with values that exist (at home), so an allowed GET reaches the handler. */
  function fill(url: string): string {
    return url
      .replace(':code', `${HOME}001`)
      .replace(':token', 'x'.repeat(43))
      .replace(':role', 'handler')
      .replace(':id', url.includes('staff') ? String(ids.homeStaff) : String(ids.homeDepartment));
  }

  function send(who: Who, method: string, url: string, payload?: object) {
    return t.app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(who.cookie ? { cookie: who.cookie } : {}),
        accept: isPage(url) ? 'text/html' : 'application/json',
      },
      ...(payload ? { payload } : {}),
    });
  }

  it('covers every route with an access rule', () => {
    assert.ok(routes.length > 50, `${routes.length} routes`);
    for (const r of routes) assert.ok(r.access, `${r.method} ${r.url}`);
  });

  it('answers each route as the policy says, for every kind of actor', async () => {
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...people), async (who) => {
          const expected = decide(who.actor, route.access);
          const mutating = route.method !== 'GET';
          if (expected === 'allow' && mutating && !route.validatesBody) return; // could change something
          const res = await send(
            who,
            route.method,
            fill(route.url),
            mutating ? { __matrix: true } : undefined,
          );
          const where = `${who.label} ${route.method} ${route.url} → ${res.statusCode}`;
          if (expected === 'sign-in') {
            if (isPage(route.url) && route.method === 'GET') {
              assert.equal(res.statusCode, 303, where);
              assert.match(String(res.headers.location), /^\/login\?next=/, where);
            } else assert.equal(res.statusCode, 401, where);
          } else if (expected === 'forbidden') {
            assert.equal(res.statusCode, 403, where);
          } else {
            assert.ok(![401, 403].includes(res.statusCode), where);
            if (mutating) assert.equal(res.statusCode, 400, `${where} (a bad body must be refused)`);
          }
        }),
        { numRuns: people.length * 2 },
      );
    }
  });

  it('hides objects outside the jurisdiction (404) from those whose role reaches them at home', async () => {
    const objectRoutes: { method: string; url: string; payload?: object; needs: Permission }[] = [
      { method: 'GET', url: '/workbench/departments/:dept', needs: 'org.department.manage' },
      {
        method: 'PUT',
        url: '/api/v1/departments/:dept',
        payload: { divisionCode: SIBLING, name: '越权修改', type: 'other' },
        needs: 'org.department.manage',
      },
      { method: 'POST', url: '/api/v1/departments/:dept/deactivate', needs: 'org.department.manage' },
      { method: 'GET', url: `/workbench/divisions/${SIBLING}002`, needs: 'org.division.manage' },
      {
        method: 'PATCH',
        url: `/api/v1/divisions/${SIBLING}002`,
        payload: { name: '越权' },
        needs: 'org.division.manage',
      },
      { method: 'GET', url: '/api/v1/staff/:staff', needs: 'staff.manage' },
      { method: 'GET', url: '/workbench/staff/:staff', needs: 'staff.manage' },
      {
        method: 'PUT',
        url: '/api/v1/staff/:staff/status',
        payload: { status: 'disabled' },
        needs: 'staff.manage',
      },
      { method: 'POST', url: '/api/v1/staff/:staff/password-reset', needs: 'staff.manage' },
      {
        method: 'PUT',
        url: '/api/v1/staff/:staff/email',
        payload: { email: 'outside@example.gov.cn' },
        needs: 'staff.manage',
      },
      { method: 'PUT', url: '/api/v1/staff/:staff/roles/publisher', needs: 'role.grant' },
      { method: 'DELETE', url: '/api/v1/staff/:staff/roles/handler', needs: 'role.grant' },
    ];
    const holders = people.filter((p) => p.actor?.kind === 'staff');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...objectRoutes), fc.constantFrom(...holders), async (route, who) => {
        if (!who.actor!.permissions.has(route.needs)) return; // the route-level matrix covers them
        const url = route.url
          .replace(':dept', String(ids.siblingDepartment))
          .replace(':staff', String(ids.siblingStaff));
        assert.equal(decide(who.actor, route.needs, { division: SIBLING }), 'hidden');
        const res = await send(who, route.method, url, route.payload);
        assert.equal(
          res.statusCode,
          404,
          `${who.label} ${route.method} ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
      }),
      { numRuns: 150 },
    );
    // …and the same objects at home are theirs.
    const admin = people.find((p) => p.label === 'system_admin')!;
    assert.equal((await send(admin, 'GET', `/api/v1/staff/${ids.homeStaff}`)).statusCode, 200);
    assert.equal((await send(admin, 'GET', `/workbench/departments/${ids.homeDepartment}`)).statusCode, 200);
    // Nothing outside was changed by the attempts.
    const sibling = await t.org.departments.get('330000', ids.siblingDepartment);
    assert.equal(sibling.active, true);
    assert.notEqual(sibling.name, '越权修改');
  });
});
