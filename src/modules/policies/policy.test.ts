import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allows,
  consultationProblems,
  consultationState,
  periodsOf,
  reportState,
  reportStatusOf,
  STAGES,
  TRANSITION_FROM,
  TRANSITION_PERMISSION,
  TRANSITIONS,
} from './policy.ts';

describe('a policy lifecycle (pure rules)', () => {
  it('counts the consultation period without its opening day and asks a reason below 30 days', () => {
    const fields = (c: { opensOn: string; closesOn: string; shortReason?: string }) =>
      consultationProblems({ shortReason: '', ...c }).map((p) => `${p.field}:${p.code}`);
    assert.deepEqual(fields({ opensOn: '2026-06-01', closesOn: '2026-07-01' }), []);
    assert.deepEqual(fields({ opensOn: '2026-06-01', closesOn: '2026-06-30' }), [
      'shortReason:policies.consultation.too_short',
    ]);
    assert.deepEqual(
      fields({ opensOn: '2026-06-01', closesOn: '2026-06-15', shortReason: '防汛形势紧急，需尽快出台' }),
      [],
    );
    assert.deepEqual(fields({ opensOn: '2026-06-10', closesOn: '2026-06-10' }), [
      'closesOn:policies.consultation.close_before_open',
    ]);
    assert.deepEqual(fields({ opensOn: '2026-06-10', closesOn: '2026-05-01' }), [
      'closesOn:policies.consultation.close_before_open',
    ]);
    assert.deepEqual(fields({ opensOn: '2026-02-30', closesOn: 'soon' }), [
      'opensOn:policies.date_invalid',
      'closesOn:policies.date_invalid',
    ]);
    const c = { opensOn: '2026-06-01', closesOn: '2026-07-01' };
    assert.equal(consultationState(c, '2026-05-31'), 'scheduled');
    assert.equal(consultationState(c, '2026-07-01'), 'open');
    assert.equal(consultationState(c, '2026-07-02'), 'closed');
  });

  it('makes calendar months and quarters from the month given, across years', () => {
    assert.deepEqual(periodsOf('quarterly', '2026-08', 3), [
      { no: 1, label: '2026-Q3', start: '2026-07-01', end: '2026-09-30' },
      { no: 2, label: '2026-Q4', start: '2026-10-01', end: '2026-12-31' },
      { no: 3, label: '2027-Q1', start: '2027-01-01', end: '2027-03-31' },
    ]);
    assert.deepEqual(
      periodsOf('monthly', '2027-12', 3).map((p) => [p.label, p.start, p.end]),
      [
        ['2027-12', '2027-12-01', '2027-12-31'],
        ['2028-01', '2028-01-01', '2028-01-31'],
        ['2028-02', '2028-02-01', '2028-02-29'],
      ],
    );
  });

  it('says what each report cell means in words, the light repeating them', () => {
    const base = {
      caseNumber: '33000020260000001',
      status: null,
      reportedAt: null,
      periodEnd: '2026-09-30',
      dueOn: '2026-10-20',
    };
    assert.deepEqual(reportState(base, '2026-09-01'), { state: 'upcoming', light: 'stopped' });
    assert.deepEqual(reportState(base, '2026-10-20'), { state: 'awaiting', light: 'yellow' });
    assert.deepEqual(reportState(base, '2026-10-21'), { state: 'overdue', light: 'red' });
    assert.deepEqual(reportState({ ...base, caseNumber: null }, '2026-10-21'), {
      state: 'not_opened',
      light: 'stopped',
    });
    const reported = { ...base, reportedAt: new Date(), status: 'delayed' as const };
    assert.deepEqual(reportState(reported, '2026-12-01'), { state: 'delayed', light: 'yellow' });
    assert.deepEqual(reportState({ ...reported, status: 'done' }, '2026-12-01'), {
      state: 'done',
      light: 'green',
    });
    assert.equal(reportStatusOf('滞后'), 'delayed');
    assert.equal(reportStatusOf(' 已完成 '), 'done');
    assert.equal(reportStatusOf('on_track'), 'on_track');
    assert.equal(reportStatusOf('差不多'), null);
  });

  it('lets the head, not the writer, assign tasks and repeal; nothing moves a repealed policy', () => {
    assert.equal(TRANSITION_PERMISSION.tasks, 'publication.review');
    assert.equal(TRANSITION_PERMISSION.repeal, 'publication.review');
    assert.equal(TRANSITION_PERMISSION.document, 'publication.write');
    for (const t of TRANSITIONS) assert.equal(allows('repealed', t), false, t);
    for (const s of STAGES) assert.equal(allows(s, 'document'), s === 'draft' || s === 'consultation', s);
    assert.deepEqual([...TRANSITION_FROM.repeal], ['published', 'implementing', 'evaluated']);
  });
});
