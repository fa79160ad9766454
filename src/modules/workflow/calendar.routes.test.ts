import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff, type StaffLogin } from '../../../test/support/staff.ts';
import { systemContext } from '../../kernel/audit/index.ts';

/** Beijing's current year: the first a site may change. */
const THIS_YEAR = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
const NEXT = THIS_YEAR + 1;
const iso = (d: Date) => d.toISOString().slice(0, 10);
/** The first day on or after `date` that is neither Saturday nor Sunday. */
function weekdayFrom(date: string): string {
  let d = new Date(`${date}T00:00:00Z`);
  while ([0, 6].includes(d.getUTCDay())) d = new Date(d.getTime() + 86_400_000);
  return iso(d);
}
/** The first Saturday of next year's March: a make-up workday. */
const saturday = (() => {
  let d = new Date(Date.UTC(NEXT, 2, 1));
  while (d.getUTCDay() !== 6) d = new Date(d.getTime() + 86_400_000);
  return iso(d);
})();
/** Next year with all of March off (an invented schedule) and one Saturday worked. */
const schedule = {
  published: true,
  holidays: Array.from({ length: 31 }, (_, i) => ({
    date: `${NEXT}-03-${String(i + 1).padStart(2, '0')}`,
    name: '测试假期',
  })).filter((d) => d.date !== saturday),
  workdays: [{ date: saturday, name: '测试调休' }],
};

describe('calendar years API', () => {
  let t: TestApp;
  let admin: StaffLogin;
  let wired = false;
  const OTHER_HOST = 'hz-calendar.test';

  before(async () => {
    t = await createTestApp();
    wired = t.app.hasRoute({ method: 'PUT', url: '/api/v1/calendar/years/:year' });
    if (!wired) return;
    admin = await signInStaff(t, { roles: ['tenant_admin'], divisionCode: '330000' });
    await t.org.tenants.create(systemContext('330000'), {
      tenantId: '330100',
      name: '杭州市人民政府',
      siteIdCode: '',
      icpNumber: '',
      policeFiling: '',
      sponsor: '',
      address: '',
      phone: '',
      email: '',
      hosts: [OTHER_HOST],
    });
  });
  after(() => t.drop());

  const put = (year: number, payload: object, cookie?: string) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/calendar/years/${year}`,
      headers: cookie ? { cookie } : {},
      payload,
    });
  const del = (year: number, cookie?: string) =>
    t.app.inject({
      method: 'DELETE',
      url: `/api/v1/calendar/years/${year}`,
      headers: cookie ? { cookie } : {},
    });
  const days = async (year: number, host?: string) =>
    (await t.app.inject({ url: `/api/v1/calendar/days?year=${year}`, headers: host ? { host } : {} })).json();

  /** Until src/app.ts passes the database to createWorkflowModule, the module has no site calendars. */
  const unwired = (c: TestContext) => {
    if (!wired) c.skip('src/app.ts does not pass the database to createWorkflowModule yet');
    return !wired;
  };

  it('asks for a session, then for the permission', async (c) => {
    if (unwired(c)) return;
    assert.equal((await put(NEXT, schedule)).statusCode, 401);
    assert.equal((await del(NEXT)).statusCode, 401);
    const handler = await signInStaff(t, { roles: ['handler'], divisionCode: '330000' });
    const refused = await put(NEXT, schedule, handler.cookie);
    assert.equal(refused.statusCode, 403);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    assert.equal((await del(NEXT, handler.cookie)).statusCode, 403);
    // A county's administrator holds the permission but not the whole site.
    const county = await signInStaff(t, { roles: ['tenant_admin'], divisionCode: '330102' });
    assert.equal((await put(NEXT, schedule, county.cookie)).statusCode, 403);
    assert.equal((await days(NEXT)).source, 'none');
  });

  it("sets next year's schedule for this site: /days and /due follow it, other sites do not", async (c) => {
    if (unwired(c)) return;
    const res = await put(NEXT, schedule, admin.cookie);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().source, 'site');
    assert.equal(res.json().holidays.length, schedule.holidays.length);

    const year = await days(NEXT);
    assert.equal(year.source, 'site');
    assert.equal(year.published, true);
    assert.deepEqual(year.workdays, [{ date: saturday, name: '测试调休', nameEn: '' }]);
    const due = await t.app.inject({
      url: `/api/v1/calendar/due?start=${NEXT}-02-28&amount=2&unit=working-days`,
    });
    // The Saturday in March is worked; then April.
    assert.equal(due.json().due, weekdayFrom(`${NEXT}-04-01`));
    assert.equal((await days(NEXT - 1)).source === 'site', false);

    assert.equal((await days(NEXT, OTHER_HOST)).source, 'none');
    const otherDue = await t.app.inject({
      url: `/api/v1/calendar/due?start=${NEXT}-02-28&amount=2&unit=working-days`,
      headers: { host: OTHER_HOST },
    });
    assert.ok(otherDue.json().due < `${NEXT}-03-06`);

    const entries = await t.db.kysely
      .selectFrom('audit.entry')
      .select(['action', 'detail', 'actor_id'])
      .where('tenant_id', '=', '330000')
      .where('action', 'like', 'workflow.calendar.%')
      .execute();
    assert.deepEqual(entries.at(-1), {
      action: 'workflow.calendar.year_set',
      detail: { year: NEXT, published: true, holidays: schedule.holidays.length, workdays: 1 },
      actor_id: `account:${admin.accountId}`,
    });
  });

  it('lists every problem of a schedule as problem+json, each naming its field', async (c) => {
    if (unwired(c)) return;
    const res = await put(
      NEXT,
      {
        published: true,
        holidays: [
          { date: `${NEXT}-02-30`, name: '春节' },
          { date: `${NEXT}-05-01`, name: '' },
        ],
        workdays: [{ date: weekdayFrom(`${NEXT}-06-01`), name: '端午' }],
      },
      admin.cookie,
    );
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.deepEqual(
      res.json().errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [
        ['holidays.0.date', 'workflow.calendar.date_invalid'],
        ['holidays.1.name', 'workflow.calendar.name_required'],
        ['workdays.0.date', 'workflow.calendar.workday_not_weekend'],
      ],
    );
    assert.ok(res.json().errors.every((e: { message: string }) => e.message.length > 0));
    const unknown = await put(
      NEXT,
      { ...schedule, holidays: [{ date: `${NEXT}-01-01`, name: '元旦', x: 1 }] },
      admin.cookie,
    );
    assert.equal(unknown.statusCode, 400);
    assert.equal((await put(1999, schedule, admin.cookie)).statusCode, 400);
  });

  it('refuses a past year with 409', async (c) => {
    if (unwired(c)) return;
    const res = await put(THIS_YEAR - 1, { published: true, holidays: [], workdays: [] }, admin.cookie);
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'workflow.calendar.year_past');
    assert.equal((await del(THIS_YEAR - 1, admin.cookie)).statusCode, 409);
  });

  it('goes back to the national schedule on DELETE', async (c) => {
    if (unwired(c)) return;
    assert.equal((await put(NEXT, schedule, admin.cookie)).statusCode, 200);
    const res = await del(NEXT, admin.cookie);
    assert.equal(res.statusCode, 200);
    assert.notEqual(res.json().source, 'site');
    assert.notEqual((await days(NEXT)).source, 'site');
  });
});
