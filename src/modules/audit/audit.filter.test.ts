import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecurityAlert } from '../../kernel/audit/index.ts';
import { csvCell, csvLine } from './audit.csv.ts';
import { filterQuery, parseAuditFilter, parseTimeSpan } from './audit.filter.ts';
import { siteTime } from './audit.format.ts';
import { alertFilter, parseEventWindow } from './security.events.ts';

const iso = (d: Date | undefined) => d?.toISOString();

describe('parseTimeSpan', () => {
  it('reads a date as the whole day in Beijing time', () => {
    const span = parseTimeSpan('2026-03-01');
    assert.equal(iso(span?.start), '2026-02-28T16:00:00.000Z');
    assert.equal(iso(span?.end), '2026-03-01T16:00:00.000Z');
  });

  it('reads a time to the unit written', () => {
    assert.deepEqual(
      [iso(parseTimeSpan('2026-03-01 08:30')?.start), iso(parseTimeSpan('2026-03-01T08:30')?.end)],
      ['2026-03-01T00:30:00.000Z', '2026-03-01T00:31:00.000Z'],
    );
    assert.equal(iso(parseTimeSpan('2026-03-01T08:30:15')?.end), '2026-03-01T00:30:16.000Z');
    const exact = parseTimeSpan('2026-03-01T00:30:15.25Z');
    assert.equal(iso(exact?.start), '2026-03-01T00:30:15.250Z');
    assert.equal(iso(exact?.end), '2026-03-01T00:30:15.251Z');
    assert.equal(iso(parseTimeSpan('2026-03-01T08:30+09:00')?.start), '2026-02-28T23:30:00.000Z');
    assert.equal(iso(parseTimeSpan('2026-03-01T08:30-0130')?.start), '2026-03-01T10:00:00.000Z');
  });

  it('refuses what is not a real date and time', () => {
    for (const bad of [
      '2026-02-29',
      '2026-02-30',
      '2026-13-01',
      '2026-03-01 24:00',
      '2026-03-01 08:60',
      '2026-03-01Z',
      '2026-3-1',
      'yesterday',
      '',
      '2026-03-01T08:30+15:00',
    ])
      assert.equal(parseTimeSpan(bad), null, bad);
    assert.ok(parseTimeSpan('2024-02-29'));
  });
});

describe('parseAuditFilter', () => {
  it('turns the fields into a filter, trimming them', () => {
    const { filter, problems, values } = parseAuditFilter({
      actor: ' account:12 ',
      action: 'session.',
      objectType: 'username',
      objectId: 'zhangsan',
      result: 'failure',
      ip: '2001:db8::1',
      from: '2026-03-01',
      to: '2026-03-01',
      division: '330106',
      offset: '50',
      tenantId: '110000',
    });
    assert.deepEqual(problems, []);
    assert.equal(values.actor, 'account:12');
    assert.deepEqual(
      { ...filter, from: iso(filter.from), before: iso(filter.before) },
      {
        actorId: 'account:12',
        action: 'session.',
        objectType: 'username',
        objectId: 'zhangsan',
        result: 'failure',
        ip: '2001:db8::1',
        from: '2026-02-28T16:00:00.000Z',
        before: '2026-03-01T16:00:00.000Z',
        division: '330106',
      },
    );
  });

  it('names each bad field with its reason', () => {
    const { problems, filter } = parseAuditFilter({
      action: 'Session.Login',
      result: 'ok',
      ip: '1.2.3.4; drop',
      from: '2026-03-02',
      to: '2026-03-01',
      division: '330',
      objectId: 'x'.repeat(201),
    });
    assert.deepEqual(
      problems.map((p) => [p.field, p.code]),
      [
        ['objectId', 'audit.filter.too_long'],
        ['action', 'audit.filter.action_invalid'],
        ['result', 'audit.filter.result_invalid'],
        ['ip', 'audit.filter.ip_invalid'],
        ['to', 'audit.filter.range_reversed'],
        ['division', 'audit.filter.division_invalid'],
      ],
    );
    assert.deepEqual(problems[0]?.params, { max: 200 });
    assert.equal(filter.objectId, undefined);
    assert.equal(parseAuditFilter({ division: '330199' }).problems.length, 0);
    assert.equal(
      parseAuditFilter({ division: '330000000' }).problems[0]?.code,
      'audit.filter.division_invalid',
    );
  });

  it('takes the first of repeated parameters and ignores other types', () => {
    const { values, problems } = parseAuditFilter({ actor: ['a', 'b'], action: 5 });
    assert.deepEqual(problems, []);
    assert.equal(values.actor, 'a');
    assert.equal(values.action, '');
  });

  it('writes back a query with only the fields given', () => {
    assert.equal(
      filterQuery({ action: 'session.login', actor: 'account:1', from: '' }),
      'actor=account%3A1&action=session.login',
    );
  });
});

describe('alert links', () => {
  const alert = (fields: Partial<SecurityAlert>): SecurityAlert => ({
    kind: 'failed_login_burst',
    subjectType: 'username',
    subject: 'zhangsan',
    firstAt: new Date('2026-03-01T01:00:00.123Z'),
    lastAt: new Date('2026-03-01T01:09:00.456Z'),
    count: 10,
    peak: 10,
    entryIds: [],
    seqs: [],
    ...fields,
  });

  it('filter the audit log to the alert’s action, subject and exact span', () => {
    const parsed = parseAuditFilter(alertFilter(alert({})));
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.filter.action, 'session.login_failed');
    assert.equal(parsed.filter.objectId, 'zhangsan');
    assert.equal(iso(parsed.filter.from), '2026-03-01T01:00:00.123Z');
    assert.equal(iso(parsed.filter.before), '2026-03-01T01:09:00.457Z');
    assert.equal(
      parseAuditFilter(alertFilter(alert({ subjectType: 'ip', subject: '10.0.0.1' }))).filter.ip,
      '10.0.0.1',
    );
    const newIp = parseAuditFilter(
      alertFilter(
        alert({ kind: 'new_staff_ip', subjectType: 'actor', subject: 'account:7', ip: '10.2.2.2' }),
      ),
    ).filter;
    assert.deepEqual([newIp.action, newIp.actorId, newIp.ip], ['session.login', 'account:7', '10.2.2.2']);
    const pii = parseAuditFilter(
      alertFilter(alert({ kind: 'bulk_pii_view', subjectType: 'actor', subject: 'account:8' })),
    );
    assert.deepEqual([pii.filter.action, pii.filter.actorId], ['pii.viewed', 'account:8']);
  });
});

describe('parseEventWindow', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('defaults to the last 24 hours', () => {
    const w = parseEventWindow({}, now);
    assert.equal(iso(w.from), '2026-02-28T12:00:00.000Z');
    assert.equal(iso(w.before), '2026-03-01T12:00:00.001Z');
    assert.deepEqual(w.problems, []);
  });
  it('takes one of the offered periods, or from and to', () => {
    assert.equal(iso(parseEventWindow({ hours: '168' }, now).from), '2026-02-22T12:00:00.000Z');
    const custom = parseEventWindow({ hours: '1', from: '2026-01-01', to: '2026-01-02' }, now);
    assert.equal(iso(custom.from), '2025-12-31T16:00:00.000Z');
    assert.equal(iso(custom.before), '2026-01-02T16:00:00.000Z');
  });
  it('refuses other periods and bad times', () => {
    assert.deepEqual(
      parseEventWindow({ hours: '5', from: 'x', to: '2026-13-01' }, now).problems.map((p) => p.field),
      ['hours', 'from', 'to'],
    );
    assert.equal(
      parseEventWindow({ from: '2027-01-01' }, now).problems[0]?.code,
      'audit.filter.range_reversed',
    );
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and neutralises formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('中文'), '中文');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('=1+1'), "'=1+1");
    assert.equal(csvCell('+86'), "'+86");
    assert.equal(csvCell('-2'), "'-2");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\tx'), "'\tx");
    assert.equal(csvCell('=A1,"x"'), `"'=A1,""x"""`);
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(12), '12');
    assert.equal(csvLine(['a', null, 'b,c']), 'a,,"b,c"\r\n');
  });

  it('gives times in Beijing time', () => {
    assert.equal(siteTime(new Date('2026-03-01T16:05:03.250Z')), '2026-03-02 00:05:03');
    assert.equal(siteTime(new Date('2026-03-01T16:05:03.250Z'), true), '2026-03-02T00:05:03.250+08:00');
  });
});
