import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { englishHolidayName, nationalCalendar, parseDate, WorkCalendar } from './calendar.ts';

const cal = nationalCalendar();
const due = (start: string, amount: number, unit: 'working-days' | 'calendar-days') =>
  cal.due(parseDate(start)!, amount, unit).due.toISOString().slice(0, 10);

describe('the working-day calendar', () => {
  it('knows the 2025 and 2026 schedules: holidays and make-up workdays', () => {
    assert.ok(cal.knows(2025) && cal.knows(2026));
    assert.equal(cal.isWorkingDay(parseDate('2026-10-01')!), false); // 国庆节, a Thursday
    assert.equal(cal.isWorkingDay(parseDate('2026-02-14')!), true); // 春节调休, a Saturday
    assert.equal(cal.isWorkingDay(parseDate('2026-02-16')!), false); // 春节, a Monday
    assert.equal(cal.isWorkingDay(parseDate('2025-01-26')!), true); // 春节调休, a Sunday
    assert.equal(cal.isWorkingDay(parseDate('2026-03-07')!), false); // an ordinary Saturday
    const y = cal.days(2026);
    assert.ok(y.holidays.some((d) => d.date === '2026-10-01' && d.name === '国庆节'));
    assert.deepEqual(
      y.workdays.map((d) => d.date),
      ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    );
  });

  it('counts working days after the day of the event, across holidays and make-up days', () => {
    // Friday 2026-09-25 is 中秋 (a holiday); the event on Thursday 09-24; 09-28 Mon, 09-29, 09-30 work;
    // 10-01..07 国庆; 10-08 Thu, 10-09 Fri, 10-10 Sat is a make-up workday.
    assert.equal(due('2026-09-24', 1, 'working-days'), '2026-09-28');
    assert.equal(due('2026-09-24', 3, 'working-days'), '2026-09-30');
    assert.equal(due('2026-09-24', 4, 'working-days'), '2026-10-08');
    assert.equal(due('2026-09-24', 6, 'working-days'), '2026-10-10');
    // 20 working days from an ordinary Monday: four weeks later, the Monday's own day not counted.
    assert.equal(due('2026-03-02', 20, 'working-days'), '2026-03-30');
    assert.equal(due('2026-03-02', 0, 'working-days'), '2026-03-02');
  });

  it('ends a calendar-day period on the next working day when it falls on a rest day (Art. 203)', () => {
    assert.equal(due('2026-09-21', 10, 'calendar-days'), '2026-10-08'); // 10-01 is 国庆 → 10-08
    assert.equal(due('2026-03-02', 5, 'calendar-days'), '2026-03-09'); // Saturday 03-07 → Monday
    assert.equal(due('2026-02-04', 10, 'calendar-days'), '2026-02-14'); // a make-up Saturday is a working day
    assert.equal(due('2026-03-02', 3, 'calendar-days'), '2026-03-05');
  });

  it('never ends a period on a rest day, nor before the event, for any start and length', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2025-01-01T00:00:00Z'),
          max: new Date('2026-10-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom('working-days' as const, 'calendar-days' as const),
        (d, n, unit) => {
          const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
          const r = cal.due(start, n, unit);
          assert.ok(cal.isWorkingDay(r.due));
          assert.ok(r.due.getTime() >= start.getTime() + n * 86_400_000);
        },
      ),
    );
  });

  it('says when a period reaches a year whose schedule is not published yet', () => {
    assert.equal(cal.due(parseDate('2026-12-20')!, 30, 'working-days').complete, false);
    assert.equal(cal.due(parseDate('2026-03-02')!, 30, 'working-days').complete, true);
  });
});

describe('a calendar with a site’s own year', () => {
  const own = {
    year: 2026,
    published: true,
    source: 'site' as const,
    holidays: [{ date: '2026-03-02', name: '地方假日', nameEn: '' }],
    workdays: [{ date: '2026-03-07', name: '地方假日', nameEn: '' }],
  };

  it('replaces that whole year and leaves the calendar it came from as it was', () => {
    const site = cal.withYears([own]);
    assert.equal(site.isWorkingDay(parseDate('2026-03-02')!), false);
    assert.equal(site.isWorkingDay(parseDate('2026-03-07')!), true);
    assert.equal(site.isWorkingDay(parseDate('2026-10-01')!), true); // the national 国庆 is not in its year
    assert.deepEqual(site.days(2026).holidays, own.holidays);
    assert.equal(site.days(2026).source, 'site');
    assert.equal(site.days(2025).source, 'national');
    assert.equal(cal.isWorkingDay(parseDate('2026-10-01')!), false);
    assert.equal(cal.isWorkingDay(parseDate('2026-03-02')!), true);
    assert.equal(cal.withYears([]), cal);
    assert.ok(Object.isFrozen(site.days(2026).holidays[0]));
  });

  it('changes no day outside the year it replaces', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2005, max: 2027 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 364 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 2000 }),
        (year, offsets, probe) => {
          const dates = offsets.map((o) => new Date(Date.UTC(year, 0, 1 + o)).toISOString().slice(0, 10));
          const site = cal.withYears([
            {
              year,
              published: true,
              holidays: dates
                .filter((d) => d.startsWith(`${year}-`))
                .map((date) => ({ date, name: 'x', nameEn: '' })),
              workdays: [],
            },
          ]);
          const day = new Date(Date.UTC(2015, 0, 1 + probe * 3));
          if (day.getUTCFullYear() !== year) assert.equal(site.isWorkingDay(day), cal.isWorkingDay(day));
          else
            assert.equal(
              site.isWorkingDay(day),
              !dates.includes(day.toISOString().slice(0, 10)) && ![0, 6].includes(day.getUTCDay()),
            );
        },
      ),
    );
  });

  it('builds the same way from the constructor: a later entry for a year wins', () => {
    const two = new WorkCalendar([
      {
        year: 2030,
        published: false,
        holidays: [{ date: '2030-01-01', name: '元旦', nameEn: '' }],
        workdays: [],
      },
      { year: 2030, published: true, holidays: [], workdays: [] },
    ]);
    assert.equal(two.isWorkingDay(parseDate('2030-01-01')!), true);
    assert.equal(two.knows(2030), true);
  });

  it('names holidays in English from the national data', () => {
    assert.equal(englishHolidayName('国庆节'), 'National Day');
    assert.equal(englishHolidayName('清明节'), 'Tomb-sweeping Day');
    assert.equal(englishHolidayName('春节调休'), 'Spring Festival');
    assert.equal(englishHolidayName('地方假日'), '');
  });
});

describe('calendar API', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ seed: false });
  });
  after(() => t.drop());

  it('answers the due date and the year’s days', async () => {
    const res = await t.app.inject({
      url: '/api/v1/calendar/due?start=2026-09-24&amount=4&unit=working-days',
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      start: '2026-09-24',
      amount: 4,
      unit: 'working-days',
      due: '2026-10-08',
      complete: true,
    });
    const days = await t.app.inject({ url: '/api/v1/calendar/days?year=2025' });
    assert.equal(days.json().published, true);
    assert.ok(days.json().holidays.length > 20);
  });

  it('refuses a date that does not exist, a bad unit or amount, with problem+json naming the field', async () => {
    const bad = await t.app.inject({
      url: '/api/v1/calendar/due?start=2026-02-30&amount=3&unit=working-days',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().errors[0].field, 'start');
    assert.equal(bad.json().errors[0].code, 'workflow.calendar.date_invalid');
    assert.equal(
      (await t.app.inject({ url: '/api/v1/calendar/due?start=2026-02-03&amount=3&unit=weeks' })).statusCode,
      400,
    );
    assert.equal(
      (await t.app.inject({ url: '/api/v1/calendar/due?start=2026-02-03&amount=-1&unit=calendar-days' }))
        .statusCode,
      400,
    );
  });
});
