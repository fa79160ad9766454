import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { appendAudit, systemContext, type AuditContext } from '../../kernel/audit/index.ts';
import { migrate, type Executor } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { parseDate, type WorkCalendar } from './calendar.ts';
import {
  checkYear,
  createCalendarService,
  type CalendarChange,
  type CalendarServiceOptions,
  type YearInput,
} from './calendar.service.ts';

/** Thursday 26 November 2026, 10:00 in Beijing: 2026 is the current year, 2025 is closed. */
const NOW = () => new Date('2026-11-26T02:00:00Z');
const working = (cal: WorkCalendar, date: string) => cal.isWorkingDay(parseDate(date)!);

/** The 2027 schedule as the State Council might publish it (an invented one: no such notice yet). */
const Y2027: YearInput = {
  published: true,
  holidays: [
    { date: '2027-01-01', name: '元旦' },
    ...['2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'].map(
      (date) => ({ date, name: '春节' }),
    ),
    { date: '2027-10-01', name: '国庆节' },
  ],
  workdays: [{ date: '2027-02-13', name: '春节' }],
};

/** Fields and codes of the problems a call was refused with. */
async function problemsOf(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DomainError, String(e));
    return e.fields.map((f) => `${f.field} ${f.code}`);
  }
  assert.fail('expected a refusal');
}

describe('site calendars', () => {
  let t: TestDatabase;
  let tenantNo = 0;
  /** A site of its own for each test, so no test sees another's calendar. */
  const site = () => `91${String(++tenantNo).padStart(4, '0')}`;
  const service = (o: CalendarServiceOptions = {}) => createCalendarService(t.db, { now: NOW, ...o });
  const audits = (tenantId: string) =>
    t.db.kysely
      .selectFrom('audit.entry')
      .select(['action', 'object_id', 'detail'])
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .execute();

  before(async () => {
    t = await createTestDatabase();
    await migrate(t.db);
  });
  after(() => t.drop());

  it('starts every site on the national calendar', async () => {
    const cal = await service().forTenant(site());
    assert.equal(cal.days(2026).source, 'national');
    assert.equal(working(cal, '2026-10-01'), false);
    assert.equal(cal.knows(2027), false);
  });

  it("puts a site's year in place of the national one for that year only, and no other site's", async () => {
    const [a, b] = [site(), site()];
    const calendars = service();
    const saved = await calendars.setYear(systemContext(a), 2027, Y2027);
    assert.equal(saved.source, 'site');
    assert.equal(saved.holidays.length, 9);
    assert.equal(saved.holidays[0]!.nameEn, "New Year's Day"); // from the national data's names

    const cal = await calendars.forTenant(a);
    assert.ok(cal.knows(2027));
    assert.equal(working(cal, '2027-02-08'), false); // 春节, a Monday
    assert.equal(working(cal, '2027-02-13'), true); // make-up Saturday
    assert.equal(working(cal, '2027-03-01'), true);
    // 2026 is still the State Council's.
    assert.equal(cal.days(2026).source, 'national');
    assert.equal(working(cal, '2026-02-14'), true);
    assert.equal(cal.due(parseDate('2026-12-20')!, 30, 'working-days').complete, true);

    const other = await calendars.forTenant(b);
    assert.equal(other.days(2027).source, 'none');
    assert.equal(working(other, '2027-02-08'), true);
    assert.equal(other.due(parseDate('2026-12-20')!, 30, 'working-days').complete, false);
  });

  it('replaces the whole year on a second save, and goes back to the national schedule on reset', async () => {
    const s = site();
    const calendars = service();
    await calendars.setYear(systemContext(s), 2027, Y2027);
    await calendars.setYear(systemContext(s), 2027, {
      published: false,
      holidays: [{ date: '2027-05-03', name: '劳动节' }],
      workdays: [],
    });
    let cal = await calendars.forTenant(s);
    assert.equal(working(cal, '2027-02-08'), true);
    assert.equal(working(cal, '2027-05-03'), false);
    assert.equal(cal.knows(2027), false); // a draft
    const reset = await calendars.resetYear(systemContext(s), 2027);
    assert.equal(reset.source, 'none');
    cal = await calendars.forTenant(s);
    assert.equal(working(cal, '2027-05-03'), true);
    assert.deepEqual(
      (await audits(s)).map((e) => [e.action, e.object_id, e.detail]),
      [
        ['workflow.calendar.year_set', '2027', { year: 2027, published: true, holidays: 9, workdays: 1 }],
        ['workflow.calendar.year_set', '2027', { year: 2027, published: false, holidays: 1, workdays: 0 }],
        ['workflow.calendar.year_reset', '2027', { year: 2027, removedHolidays: 1, removedWorkdays: 0 }],
      ],
    );
    // Nothing of its own left: a second reset changes nothing and records nothing.
    await calendars.resetYear(systemContext(s), 2027);
    assert.equal((await audits(s)).length, 3);
  });

  it('lists every problem of a schedule at once, each on its field', async () => {
    const problems = await problemsOf(
      service().setYear(systemContext(site()), 2027, {
        published: true,
        holidays: [
          { date: '2027-02-30', name: '春节' },
          { date: '2026-12-31', name: '元旦' },
          { date: '2027-10-01', name: '' },
          { date: '2027-10-02', name: '国'.repeat(31) },
          { date: '2027-10-02', name: '国庆节' },
          { date: '2027-02-13', name: '春节' },
        ],
        workdays: [
          { date: '2027-02-15', name: '春节' }, // a Monday
          { date: '2027-02-13', name: '春节' }, // also a holiday above
        ],
      }),
    );
    assert.deepEqual(problems, [
      'holidays.0.date workflow.calendar.date_invalid',
      'holidays.1.date workflow.calendar.date_outside_year',
      'holidays.2.name workflow.calendar.name_required',
      'holidays.3.name workflow.calendar.name_too_long',
      'holidays.4.date workflow.calendar.day_duplicate',
      'workdays.0.date workflow.calendar.workday_not_weekend',
      'workdays.1.date workflow.calendar.day_both',
    ]);
    assert.throws(
      () => checkYear(2027, { published: true, holidays: [], workdays: Array(61).fill(Y2027.workdays[0]) }),
      (e: DomainError) =>
        e.fields[0]!.field === 'workdays' && e.fields[0]!.code === 'workflow.calendar.too_many',
    );
  });

  it('refuses to change a past year, or a day of this year that is already past', async () => {
    const s = site();
    const calendars = service();
    await assert.rejects(
      calendars.setYear(systemContext(s), 2025, { published: true, holidays: [], workdays: [] }),
      (e: DomainError) => e.kind === 'conflict' && e.code === 'workflow.calendar.year_past',
    );
    await assert.rejects(calendars.resetYear(systemContext(s), 2025), /year_past/);

    // This year: the national schedule with a local holiday on Thursday 31 December is fine …
    const national = (await calendars.forTenant(s)).days(2026);
    const withLocal: YearInput = {
      published: true,
      holidays: [...national.holidays, { date: '2026-12-31', name: '地方假日' }],
      workdays: national.workdays,
    };
    await calendars.setYear(systemContext(s), 2026, withLocal);
    assert.equal(working(await calendars.forTenant(s), '2026-12-31'), false);
    // … but 国庆节 (past) cannot stop being a holiday, nor a past Wednesday become one.
    const problems = await problemsOf(
      calendars.setYear(systemContext(s), 2026, {
        ...withLocal,
        holidays: [
          ...withLocal.holidays.filter((d) => d.date !== '2026-10-01'),
          { date: '2026-11-25', name: '补假' },
        ],
      }),
    );
    assert.deepEqual(problems, [
      'holidays workflow.calendar.day_past', // 10-01, gone from the list
      `holidays.${withLocal.holidays.length - 1}.date workflow.calendar.day_past`, // 11-25
    ]);
    assert.equal(working(await calendars.forTenant(s), '2026-10-01'), false);
    // Today (Thursday 26 November) may still change.
    await calendars.setYear(systemContext(s), 2026, {
      ...withLocal,
      holidays: [...withLocal.holidays, { date: '2026-11-26', name: '地方假日' }],
    });
  });

  it('refuses to reset this year when that would change a day already past', async () => {
    const s = site();
    const calendars = service();
    const national = (await calendars.forTenant(s)).days(2026);
    // Entered before 2 November: a local holiday that has now passed.
    const early = createCalendarService(t.db, { now: () => new Date('2026-10-30T02:00:00Z') });
    await early.setYear(systemContext(s), 2026, {
      ...national,
      holidays: [...national.holidays, { date: '2026-11-02', name: '地方假日' }],
    });
    await assert.rejects(
      calendars.resetYear(systemContext(s), 2026),
      (e: DomainError) => e.code === 'workflow.calendar.reset_changes_past' && e.params.date === '2026-11-02',
    );
  });

  it('lets only staff whose jurisdiction covers the site change its calendar', async () => {
    const s = '330000';
    const actor = (division: string, permissions: Permission[]): AuditContext => ({
      ...systemContext(s),
      actor: {
        id: 'account:1',
        accountId: 1,
        kind: 'staff',
        role: 'staff:tenant_admin',
        roles: ['tenant_admin'],
        permissions: new Set(permissions),
        division,
        departmentId: 1,
        name: '管理员',
      },
    });
    const calendars = service();
    const county = actor('330102', ['workflow.calendar.manage']);
    assert.equal(calendars.mayEdit(county), false);
    await assert.rejects(calendars.setYear(county, 2027, Y2027), /policy\.forbidden/);
    await assert.rejects(
      calendars.setYear(actor('330000', ['workbench.enter']), 2027, Y2027),
      /policy\.forbidden/,
    );
    const province = actor('330000', ['workflow.calendar.manage']);
    assert.equal(calendars.mayEdit(province), true);
    await calendars.setYear(province, 2027, Y2027);
    await calendars.resetYear(province, 2027);
  });

  it('runs onChanged inside the transaction that saved the change, with the new calendar', async () => {
    const s = site();
    const seen: { change: CalendarChange; rows: number }[] = [];
    const calendars = service({
      onChanged: async (ex, ctx, change) => {
        assert.equal(ctx.tenantId, s);
        const rows = await ex
          .selectFrom('workflow.calendar_day')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', s)
          .executeTakeFirstOrThrow();
        seen.push({ change, rows: Number(rows.n) });
      },
    });
    await calendars.setYear(systemContext(s), 2027, Y2027);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.rows, 10); // the new rows, visible in the transaction
    assert.deepEqual(seen[0]!.change.years, [2027]);
    assert.equal(working(seen[0]!.change.calendar, '2027-02-08'), false);
    await calendars.resetYear(systemContext(s), 2027);
    assert.equal(seen.length, 2);
    assert.equal(working(seen[1]!.change.calendar, '2027-02-08'), true);
  });

  it('rolls the change back when onChanged fails, and its calendar never reaches a cache', async () => {
    const s = site();
    const calendars = service({
      onChanged: async (ex, ctx) => {
        // The engine reads the calendar in the transaction (caching the uncommitted one) …
        const cal = await calendars.forTenant(ctx.tenantId, ex);
        assert.equal(working(cal, '2027-02-08'), false);
        // … and then fails to recompute a case.
        throw new Error('recompute failed');
      },
    });
    await assert.rejects(calendars.setYear(systemContext(s), 2027, Y2027), /recompute failed/);
    assert.equal((await calendars.forTenant(s)).days(2027).source, 'none');
    assert.equal((await audits(s)).length, 0);
    // The next real change gets a version the rolled-back one never had.
    await service().setYear(systemContext(s), 2027, {
      ...Y2027,
      holidays: [{ date: '2027-03-01', name: '地方假日' }],
    });
    const cal = await calendars.forTenant(s);
    assert.equal(working(cal, '2027-03-01'), false);
    assert.equal(working(cal, '2027-02-08'), true);
  });

  it('sees a change made on another node (another service on the same database) at the next call', async () => {
    const s = site();
    const here = service();
    const there = service();
    const first = await here.forTenant(s);
    assert.equal(await here.forTenant(s), first); // answered from the cache
    await there.setYear(systemContext(s), 2027, Y2027);
    const after = await here.forTenant(s);
    assert.equal(working(after, '2027-02-08'), false);
    assert.equal(await here.forTenant(s), after);
    await there.resetYear(systemContext(s), 2027);
    assert.equal(working(await here.forTenant(s), '2027-02-08'), true);
  });

  it('makes a change wait for a transaction that read the calendar to store a deadline', async () => {
    const s = site();
    let stored = 0;
    const calendars = service({
      onChanged: async (ex) => {
        // The recompute sees the deadline the other transaction stored (here: its audit entry).
        const rows = await ex
          .selectFrom('audit.entry')
          .select('id')
          .where('tenant_id', '=', s)
          .where('action', '=', 'test.deadline_stored')
          .execute();
        stored = rows.length;
      },
    });
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    let reading!: () => void;
    const read = new Promise<void>((r) => (reading = r));
    const storing = t.db.kysely.transaction().execute(async (trx: Executor) => {
      await calendars.forTenant(s, trx);
      reading();
      await hold;
      await appendAudit(trx, systemContext(s), { action: 'test.deadline_stored' });
    });
    await read;
    let done = false;
    const changing = calendars.setYear(systemContext(s), 2027, Y2027).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(done, false, 'the change waited');
    release();
    await Promise.all([storing, changing]);
    assert.equal(stored, 1);
  });
});
