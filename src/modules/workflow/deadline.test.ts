import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nationalCalendar } from './calendar.ts';
import { chinaDate, deadline, resumedDeadline, unusedAt, workingDaysBetween } from './deadline.ts';

const cal = nationalCalendar();
const at = (s: string) => new Date(s);
const day = (d: Date) => chinaDate(new Date(d.getTime() - 1));

describe('deadlines as instants', () => {
  it('uses China days whatever the server zone: an event at 23:30 Beijing time is that day’s event', () => {
    const d = deadline(cal, at('2026-03-02T23:30:00+08:00'), { amount: 1, unit: 'working-days' }, 0.8);
    assert.equal(d.dueAt.toISOString(), '2026-03-03T16:00:00.000Z'); // 24:00 on 3 March in Beijing
  });

  it('turns yellow when at most a fifth of the period is left', () => {
    const d = deadline(cal, at('2026-03-02T09:00:00+08:00'), { amount: 20, unit: 'working-days' }, 0.8);
    assert.equal(day(d.dueAt), '2026-03-30');
    // 16 working days used by the end of 24 March
    assert.equal(d.yellowAt.toISOString(), '2026-03-24T16:00:00.000Z');
    const one = deadline(cal, at('2026-03-02T09:00:00+08:00'), { amount: 1, unit: 'working-days' }, 0.8);
    assert.equal(one.yellowAt.toISOString(), '2026-03-02T16:00:00.000Z'); // the start of its only day
    const hours = deadline(cal, at('2026-03-02T09:00:00+08:00'), { amount: 10, unit: 'hours' }, 0.8);
    assert.equal(hours.dueAt.toISOString(), '2026-03-02T11:00:00.000Z');
    assert.equal(hours.yellowAt.toISOString(), '2026-03-02T09:00:00.000Z');
  });

  it('over National Day 2026: 5 working days from 29 September end on 10 October (a Saturday workday)', () => {
    const d = deadline(cal, at('2026-09-29T10:00:00+08:00'), { amount: 5, unit: 'working-days' }, 0.8);
    // 30 Sep, (1–7 Oct holiday), 8, 9, 10 (Sat, 调休), 12 Oct
    assert.equal(day(d.dueAt), '2026-10-12');
  });

  it('continues a stopped period with the days it had left', () => {
    const limit = { amount: 10, unit: 'working-days' } as const;
    const d = deadline(cal, at('2026-02-10T10:00:00+08:00'), limit, 0.8);
    // stopped on 12 Feb: 11, 12 used; 8 left; resumed 2 March → 8 working days after it
    assert.equal(unusedAt(cal, limit, d.dueAt, at('2026-02-12T10:00:00+08:00')), 8);
    const r = resumedDeadline(
      cal,
      limit,
      0.8,
      d.dueAt,
      at('2026-02-12T10:00:00+08:00'),
      at('2026-03-02T10:00:00+08:00'),
      'continue',
    );
    assert.equal(day(r.dueAt), '2026-03-12');
  });

  it('properties: due after start, yellow between, exactly N working days counted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 10, 30) }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom('working-days' as const, 'calendar-days' as const, 'hours' as const),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (ms, amount, unit, warnAt) => {
          const start = new Date(ms);
          const d = deadline(cal, start, { amount, unit }, warnAt);
          assert.ok(d.dueAt > start);
          assert.ok(d.yellowAt >= start && d.yellowAt <= d.dueAt);
          if (unit === 'working-days') {
            assert.equal(workingDaysBetween(cal, start, new Date(d.dueAt.getTime() - 1)), amount);
            assert.ok(cal.isWorkingDay(new Date(`${day(d.dueAt)}T00:00:00Z`)));
          }
          if (unit === 'calendar-days') assert.ok(cal.isWorkingDay(new Date(`${day(d.dueAt)}T00:00:00Z`)));
          const longer = deadline(cal, start, { amount: amount + 1, unit }, warnAt);
          assert.ok(longer.dueAt >= d.dueAt);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('properties: stopping and resuming at once changes nothing; later resumption never ends earlier', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 9, 1) }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 40 }),
        (ms, amount, stopAfterDays, pausedDays) => {
          const limit = { amount, unit: 'working-days' } as const;
          const start = new Date(ms);
          const d = deadline(cal, start, limit, 0.8);
          const stop = new Date(ms + stopAfterDays * 86_400_000);
          if (stop >= d.dueAt) return;
          const same = resumedDeadline(cal, limit, 0.8, d.dueAt, stop, stop, 'continue');
          assert.equal(same.dueAt.getTime(), d.dueAt.getTime());
          const later = resumedDeadline(
            cal,
            limit,
            0.8,
            d.dueAt,
            stop,
            new Date(stop.getTime() + pausedDays * 86_400_000),
            'continue',
          );
          assert.ok(later.dueAt >= d.dueAt);
        },
      ),
      { numRuns: 300 },
    );
  });
});
