import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { migrate } from '../db/index.ts';
import {
  appendAudit,
  countAudit,
  latestAuditId,
  sealAudit,
  searchAudit,
  securityEvents,
  streamAudit,
  verifyAudit,
  type AuditContext,
  type AuditEvent,
  type AuditRecord,
  type SecurityAlert,
} from './index.ts';

const ctx = (tenantId: string, fields: Partial<AuditContext> = {}): AuditContext => ({
  tenantId,
  actorId: 'anonymous',
  actorRole: '',
  actorDivision: '',
  ip: '10.0.0.1',
  userAgent: 'test',
  requestId: 'r',
  ...fields,
});

const MIN = 60_000;

describe('audit queries', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
    await migrate(t.db);
  });
  after(() => t.drop());

  /** Appends an entry as if written at `at`: appendAudit reads the clock before its first await. */
  function appendAt(at: Date, c: AuditContext, event: AuditEvent) {
    mock.timers.enable({ apis: ['Date'], now: at });
    try {
      return appendAudit(t.db.kysely, c, event);
    } finally {
      mock.timers.reset();
    }
  }

  /** Seals until nothing of the chain is pending (other test files' transactions may hold it back). */
  async function sealAll(tenantId: string) {
    for (let round = 0; round < 200; round++) {
      await sealAudit(t.db);
      if ((await verifyAudit(t.db, { tenantId })).pending === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`chain ${tenantId} still has pending entries`);
  }

  describe('searchAudit', () => {
    const T = '910000';
    const base = new Date('2026-03-01T02:00:00Z'); // 10:00 Beijing time
    const at = (minutes: number) => new Date(base.getTime() + minutes * MIN);
    const all = (filter = {}, scope = {}) => searchAudit(t.db, T, filter, { limit: 100, offset: 0 }, scope);
    const actions = (items: AuditRecord[]) => items.map((e) => e.action);

    before(async () => {
      const staff = (id: string, division: string, ip = '10.1.1.1') =>
        ctx(T, { actorId: id, actorRole: 'staff:handler', actorDivision: division, ip });
      await appendAt(at(0), ctx(T), {
        action: 'session.login_failed',
        objectType: 'username',
        objectId: 'zhangsan',
        result: 'failure',
      });
      await appendAt(at(1), staff('account:1', '330106'), {
        action: 'session.login',
        objectType: 'account',
        objectId: '1',
      });
      await appendAt(at(2), staff('account:1', '330106'), {
        action: 'pii.viewed',
        objectType: 'person',
        objectId: '77',
      });
      await appendAt(at(3), staff('account:2', '110105', '10.2.2.2'), {
        action: 'pii.viewed',
        objectType: 'person',
        objectId: '78',
        result: 'denied',
      });
      await appendAt(at(4), staff('account:3', '330100'), { action: 'session_x.login' });
      await appendAt(at(5), ctx(T), { action: 'session.logout' });
      // Another site's entry never shows.
      await appendAt(at(2), ctx('920000'), { action: 'session.login_failed', objectId: 'zhangsan' });
    });

    it('returns the site’s entries newest first with the total, unsealed ones without seq or hash', async () => {
      const page = await all();
      assert.equal(page.total, 6);
      assert.deepEqual(actions(page.items), [
        'session.logout',
        'session_x.login',
        'pii.viewed',
        'pii.viewed',
        'session.login',
        'session.login_failed',
      ]);
      assert.ok(page.items.every((e) => e.tenantId === T && e.seq === null && e.hash === null));
      assert.equal(page.items[0]!.at.toISOString(), at(5).toISOString());

      await sealAll(T);
      const sealed = await all();
      assert.deepEqual(
        sealed.items.map((e) => e.seq),
        [6, 5, 4, 3, 2, 1],
      );
      assert.ok(sealed.items.every((e) => /^[0-9a-f]{64}$/.test(e.hash ?? '')));
      assert.equal(sealed.items[0]!.prevHash, sealed.items[1]!.hash);
    });

    it('pages with limit and offset, keeping the total', async () => {
      const page = await searchAudit(t.db, T, {}, { limit: 2, offset: 2 }, {});
      assert.equal(page.total, 6);
      assert.deepEqual(actions(page.items), ['pii.viewed', 'pii.viewed']);
      assert.deepEqual(
        page.items.map((e) => e.objectId),
        ['78', '77'],
      );
    });

    it('filters by actor, action (exact or prefix), object, result and address', async () => {
      assert.deepEqual(actions((await all({ actorId: 'account:1' })).items), ['pii.viewed', 'session.login']);
      assert.deepEqual(actions((await all({ action: 'session.login' })).items), ['session.login']);
      // A prefix ends in '.', and the underscore in it is a character, not a LIKE wildcard.
      assert.deepEqual(actions((await all({ action: 'session.' })).items), [
        'session.logout',
        'session.login',
        'session.login_failed',
      ]);
      assert.deepEqual(actions((await all({ action: 'session_x.' })).items), ['session_x.login']);
      assert.equal((await all({ objectType: 'person', objectId: '78' })).total, 1);
      assert.equal((await all({ objectType: 'person' })).total, 2);
      assert.deepEqual(actions((await all({ result: 'failure' })).items), ['session.login_failed']);
      assert.deepEqual(
        (await all({ ip: '10.2.2.2' })).items.map((e) => e.actorId),
        ['account:2'],
      );
    });

    it('filters by time: from inclusive, before exclusive', async () => {
      const page = await all({ from: at(2), before: at(4) });
      assert.deepEqual(
        page.items.map((e) => e.at.toISOString()),
        [at(3).toISOString(), at(2).toISOString()],
      );
    });

    it('filters by the actor’s division subtree', async () => {
      assert.deepEqual(
        (await all({ division: '330000' })).items.map((e) => e.actorId),
        ['account:3', 'account:1', 'account:1'],
      );
      assert.deepEqual(
        (await all({ division: '330106' })).items.map((e) => e.actorId),
        ['account:1', 'account:1'],
      );
      assert.equal((await all({ division: '110000' })).total, 1);
    });

    it('limits a reader to their jurisdiction plus the entries without a division', async () => {
      const zhejiang = await all({}, { divisionPrefix: '33' });
      assert.deepEqual(
        zhejiang.items.map((e) => e.actorId),
        ['anonymous', 'account:3', 'account:1', 'account:1', 'anonymous'],
      );
      const xihu = await all({}, { divisionPrefix: '330106' });
      assert.deepEqual(
        xihu.items.map((e) => e.actorId),
        ['anonymous', 'account:1', 'account:1', 'anonymous'],
      );
      // A filter cannot reach past the jurisdiction.
      assert.equal((await all({ division: '110000' }, { divisionPrefix: '33' })).total, 0);
      assert.equal((await all({}, { divisionPrefix: '' })).total, 6);
      assert.equal(await countAudit(t.db, T, { action: 'pii.' }, { divisionPrefix: '33' }), 1);
    });

    it('streams every matching entry in batches, newest written first, up to a fixed id', async () => {
      const seen: AuditRecord[] = [];
      for await (const e of streamAudit(t.db, T, {}, {}, 4)) seen.push(e);
      assert.equal(seen.length, 6);
      assert.deepEqual(
        seen.map((e) => e.id),
        [...seen.map((e) => e.id)].sort((a, b) => b - a),
      );
      assert.deepEqual(actions(seen), [
        'session.logout',
        'session_x.login',
        'pii.viewed',
        'pii.viewed',
        'session.login',
        'session.login_failed',
      ]);

      const maxId = await latestAuditId(t.db, T);
      await appendAudit(t.db.kysely, ctx(T), { action: 'audit.exported' });
      const upTo: string[] = [];
      for await (const e of streamAudit(t.db, T, { maxId }, {}, 2)) upTo.push(e.action);
      assert.equal(upTo.length, 6);
      assert.ok(!upTo.includes('audit.exported'));
      const filtered: string[] = [];
      for await (const e of streamAudit(t.db, T, { action: 'pii.' }, { divisionPrefix: '33' }, 1))
        filtered.push(e.objectId);
      assert.deepEqual(filtered, ['77']);
      assert.equal(await latestAuditId(t.db, '999999'), 0);
    });
  });

  describe('securityEvents', () => {
    const T = '930000';
    const base = new Date('2026-04-10T00:00:00Z');
    const at = (minutes: number) => new Date(base.getTime() + minutes * MIN);
    const window = { from: at(0), before: at(24 * 60) };
    let alerts: SecurityAlert[];

    const failed = (minutes: number, name: string, ip: string) =>
      appendAt(at(minutes), ctx(T, { ip }), {
        action: 'session.login_failed',
        objectType: 'username',
        objectId: name,
        result: 'failure',
      });
    const login = (
      minutes: number,
      account: number,
      ip: string,
      role = 'staff:handler',
      division = '330106',
    ) =>
      appendAt(
        at(minutes),
        ctx(T, { actorId: `account:${account}`, actorRole: role, actorDivision: division, ip }),
        { action: 'session.login', objectType: 'account', objectId: String(account) },
      );
    const viewed = (minutes: number, account: number, division = '330106') =>
      appendAt(
        at(minutes),
        ctx(T, { actorId: `account:${account}`, actorRole: 'staff:window_officer', actorDivision: division }),
        { action: 'pii.viewed', objectType: 'person', objectId: String(minutes) },
      );
    const of = (kind: SecurityAlert['kind'], subject?: string) =>
      alerts.filter((a) => a.kind === kind && (subject === undefined || a.subject === subject));

    before(async () => {
      // zhangsan: 10 failures in 9 minutes, each from another address — a burst for the name.
      for (let i = 0; i < 10; i++) await failed(60 + i, 'zhangsan', `10.9.0.${i}`);
      // lisi: 9 failures in 9 minutes — below the threshold.
      for (let i = 0; i < 9; i++) await failed(120 + i, 'lisi', `10.8.0.${i}`);
      // wangwu: 10 failures, one every 2 minutes — never 10 within 10 minutes.
      for (let i = 0; i < 10; i++) await failed(180 + 2 * i, 'wangwu', `10.7.0.${i}`);
      // One address tries 12 names within 6 minutes (password spraying) — a burst for the address.
      for (let i = 0; i < 12; i++) await failed(300 + i / 2, `user${i}`, '203.0.113.5');
      // A burst before the window is not shown.
      for (let i = 0; i < 10; i++) await failed(-30 + i, 'zhaoliu', `10.6.0.${i}`);

      await appendAt(at(70), ctx(T), {
        action: 'session.locked_out',
        objectType: 'username',
        objectId: 'zhangsan',
        result: 'denied',
      });

      // account:7 logged in from 10.1.1.1 60 days ago and from 10.3.3.3 100 days ago.
      await login(-60 * 24 * 60, 7, '10.1.1.1');
      await login(-100 * 24 * 60, 7, '10.3.3.3');
      await login(400, 7, '10.1.1.1'); // known address
      await login(410, 7, '10.2.2.2'); // new
      await login(420, 7, '10.2.2.2'); // known since 410
      await login(430, 7, '10.3.3.3'); // last seen more than 90 days ago: new again
      await login(440, 8, '10.2.2.2', 'person', ''); // a citizen: not staff
      await login(450, 9, '10.2.2.2', 'staff:auditor', '110105'); // another jurisdiction

      // account:20: 21 views within 10 minutes (more than 20); account:21: exactly 20.
      for (let i = 0; i < 21; i++) await viewed(600 + i * 0.4, 20);
      for (let i = 0; i < 20; i++) await viewed(700 + i * 0.4, 21);
      await sealAll(T);
      alerts = await securityEvents(t.db, T, window);
    });

    it('finds a failed-login burst per name, with its entries', async () => {
      const [burst, ...more] = of('failed_login_burst', 'zhangsan');
      assert.equal(more.length, 0);
      assert.ok(burst);
      assert.equal(burst.subjectType, 'username');
      assert.equal(burst.count, 10);
      assert.equal(burst.peak, 10);
      assert.equal(burst.firstAt.toISOString(), at(60).toISOString());
      assert.equal(burst.lastAt.toISOString(), at(69).toISOString());
      assert.equal(burst.entryIds.length, 10);
      assert.equal(burst.seqs.length, 10);
      assert.ok(burst.seqs.every((s) => typeof s === 'number' && s > 0));
      // The ids are those of zhangsan's failures, oldest first.
      const rows = await searchAudit(
        t.db,
        T,
        { action: 'session.login_failed', objectId: 'zhangsan' },
        { limit: 50, offset: 0 },
      );
      assert.deepEqual(burst.entryIds, rows.items.map((e) => e.id).reverse());
      assert.deepEqual(burst.seqs, rows.items.map((e) => e.seq).reverse());
    });

    it('does not raise a burst below the threshold, spread out, or outside the window', () => {
      assert.equal(of('failed_login_burst', 'lisi').length, 0);
      assert.equal(of('failed_login_burst', 'wangwu').length, 0);
      assert.equal(of('failed_login_burst', 'zhaoliu').length, 0);
    });

    it('finds a failed-login burst per address across names', () => {
      const bursts = of('failed_login_burst').filter((a) => a.subjectType === 'ip');
      assert.deepEqual(
        bursts.map((a) => [a.subject, a.count]),
        [['203.0.113.5', 12]],
      );
    });

    it('lists each lockout', () => {
      const [lockout, ...more] = of('lockout');
      assert.equal(more.length, 0);
      assert.equal(lockout?.subject, 'zhangsan');
      assert.equal(lockout?.count, 1);
      assert.equal(lockout?.firstAt.toISOString(), at(70).toISOString());
    });

    it('finds staff logins from an address not used in the 90 days before', () => {
      assert.deepEqual(
        of('new_staff_ip')
          .map((a) => [a.subject, a.ip, a.firstAt.toISOString()])
          .sort((a, b) => String(a[2]).localeCompare(String(b[2]))),
        [
          ['account:7', '10.2.2.2', at(410).toISOString()],
          ['account:7', '10.3.3.3', at(430).toISOString()],
          ['account:9', '10.2.2.2', at(450).toISOString()],
        ],
      );
    });

    it('finds more than 20 personal-data views by one actor within 10 minutes', () => {
      const pii = of('bulk_pii_view');
      assert.deepEqual(
        pii.map((a) => [a.subject, a.count, a.peak]),
        [['account:20', 21, 21]],
      );
      assert.equal(pii[0]?.subjectType, 'actor');
    });

    it('orders alerts newest first', () => {
      const times = alerts.map((a) => a.lastAt.getTime());
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
      );
      assert.equal(alerts.length, 7);
    });

    it('limits alerts to the reader’s jurisdiction (and division-less entries)', async () => {
      const zhejiang = await securityEvents(t.db, T, window, { divisionPrefix: '33' });
      assert.deepEqual(
        zhejiang.filter((a) => a.kind === 'new_staff_ip').map((a) => a.subject),
        ['account:7', 'account:7'],
      );
      // Failed logins and lockouts have no actor division: every jurisdiction of the site sees them.
      assert.equal(zhejiang.filter((a) => a.kind === 'failed_login_burst').length, 2);
      assert.equal(zhejiang.filter((a) => a.kind === 'bulk_pii_view').length, 1);
      const beijing = await securityEvents(t.db, T, window, { divisionPrefix: '11' });
      assert.equal(beijing.filter((a) => a.kind === 'bulk_pii_view').length, 0);
    });

    it('takes other thresholds', async () => {
      const strict = await securityEvents(t.db, T, { ...window, failedLoginBurst: 9, piiViewBurst: 19 });
      assert.deepEqual(
        strict
          .filter((a) => a.kind === 'failed_login_burst' && a.subjectType === 'username')
          .map((a) => a.subject)
          .sort(),
        ['lisi', 'zhangsan'],
      );
      assert.equal(strict.filter((a) => a.kind === 'bulk_pii_view').length, 2);
    });
  });
});
