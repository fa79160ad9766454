/**
 * E-mail copies of notifications, against a real SMTP server in this process (smtp-server on
 * 127.0.0.1): queued in the caller's transaction (a rolled-back action queues nothing), sent by a sweep
 * in Chinese with the English below, retried with backoff when the server refuses or is down (the row
 * stays, attempts + 1, and a later sweep delivers it), given up as 'failed' but kept after the last
 * attempt, and never sent twice by sweeps running at the same time. The sweeps here are run by hand
 * on a second notify module (the app itself has no SMTP); the last test lets an app's own worker send.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createTestApp, testConfig, type TestApp } from '../../../test/support/app.ts';
import { createStaff } from '../../../test/support/staff.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { contactsOf } from '../identity/index.ts';
import { createNotifyModule, OUTBOX, retryDelayMs, type NotifyMessage, type NotifyModule } from './index.ts';

const TENANT = '330000';
const SITE_NAME = '浙江省人民政府（演示站点）';

interface Received {
  to: string[];
  raw: string;
}

/** The decoded subject and text of a single-part message (encoded words, base64 body). */
function parse(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const subject = (/^Subject: (.*)$/im.exec(headers)?.[1] ?? assert.fail('no subject'))
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?B\?([^?]*)\?=/gi, (_m, data: string) => Buffer.from(data, 'base64').toString('utf8'));
  return {
    subject,
    text: Buffer.from(raw.slice(split + 4).replace(/\s+/g, ''), 'base64').toString('utf8'),
  };
}

function smtpServer(state: { refuse: boolean; delayMs: number }, received: Received[]): SMTPServer {
  return new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!state.refuse) return callback();
      const err = new Error('mailbox unavailable') as Error & { responseCode: number };
      err.responseCode = 550;
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        setTimeout(() => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        }, state.delayMs);
      });
    },
  });
}

async function listen(server: SMTPServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.server.address() as AddressInfo).port;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const smtpEnv = (port: number) => ({
  SMTP_URL: `smtp://127.0.0.1:${port}`,
  SMTP_FROM: '浙江政务服务 <noreply@zj.gov.cn>',
});

describe('notification e-mails through the outbox', () => {
  const state = { refuse: false, delayMs: 0 };
  const received: Received[] = [];
  let server: SMTPServer;
  let t: TestApp;
  let mail: NotifyModule;
  let staff: { accountId: number; email: string };
  let n = 0;

  const message = (accountId = staff.accountId): NotifyMessage => {
    n++;
    return {
      tenantId: TENANT,
      accountId,
      kind: 'workflow.task_assigned',
      params: { number: `ZJ-${n}`, title: `事项${n}`, step: '审查', due: '2026-10-08' },
      link: `/workbench/tasks/${n}`,
    };
  };
  const rows = (entryAccount = staff.accountId) =>
    t.db.kysely
      .selectFrom('notify.outbox as o')
      .innerJoin('notify.inbox_entry as e', (j) =>
        j.onRef('e.tenant_id', '=', 'o.tenant_id').onRef('e.id', '=', 'o.entry_id'),
      )
      .select([
        'o.id',
        'o.status',
        'o.attempts',
        'o.last_error',
        'o.next_attempt_at',
        'o.sent_at',
        'o.to_address',
        'e.params',
      ])
      .where('e.account_id', '=', entryAccount)
      .orderBy('o.id')
      .execute();
  /** Sweeps as if `ms` from now. */
  const sweepIn = (ms: number) => mail.sweep({ at: new Date(Date.now() + ms) });
  const notifyCommitted = (m: NotifyMessage) =>
    t.db.kysely.transaction().execute((trx) => mail.notify(trx, m));

  before(async () => {
    server = smtpServer(state, received);
    const port = await listen(server);
    t = await createTestApp();
    mail = createNotifyModule(t.db, testConfig(smtpEnv(port)), {
      contactsOf,
      siteOf: (tenantId) => t.org.tenants.get(tenantId),
    });
    const s = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
    staff = { accountId: s.accountId, email: 'handler.liu@hz.gov.cn' };
    await t.identity.staff.setEmail(systemContext(TENANT), s.accountId, staff.email);
  });
  after(async () => {
    await t.drop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('queues a mail with the entry in the caller’s transaction; a rolled-back action queues neither', async () => {
    await assert.rejects(
      t.db.kysely.transaction().execute(async (trx) => {
        await mail.notify(trx, message());
        throw new Error('the action failed');
      }),
    );
    assert.deepEqual(await rows(), []);
    const entries = await t.db.kysely
      .selectFrom('notify.inbox_entry')
      .select('id')
      .where('account_id', '=', staff.accountId)
      .execute();
    assert.deepEqual(entries, []);
    await notifyCommitted(message());
    const [row] = await rows();
    assert.equal(row!.status, 'queued');
    assert.equal(row!.attempts, 0);
    assert.equal(row!.to_address, staff.email);
    assert.equal(received.length, 0, 'nothing is sent inside the action');
  });

  it('queues nothing for an account without an e-mail address (the public, staff without one)', async () => {
    const plain = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
    await notifyCommitted(message(plain.accountId));
    assert.deepEqual(await rows(plain.accountId), []);
  });

  it('sends the queued mail: Chinese with the English below, linking to the site', async () => {
    const r = await mail.sweep();
    assert.deepEqual(r, { claimed: 1, sent: 1, failed: 0 });
    assert.equal(received.length, 1);
    assert.deepEqual(received[0]!.to, [staff.email]);
    const m = parse(received[0]!.raw);
    assert.equal(m.subject, `【${SITE_NAME}】新待办：ZJ-2 事项2`);
    const zh = m.text.indexOf(
      '办件“事项2”（ZJ-2）的“审查”环节已交您或您所在岗位办理，请于 2026-10-08 前办结。',
    );
    const en = m.text.indexOf('The step “审查” of case “事项2” (ZJ-2) is now with you or your post.');
    assert.ok(zh > 0 && en > zh, m.text);
    assert.ok(m.text.includes('详情：http://localhost:3000/workbench/tasks/2'), m.text);
    assert.ok(m.text.includes('Details: http://localhost:3000/workbench/tasks/2'), m.text);
    assert.ok(m.text.includes('New task: ZJ-2 事项2'), m.text);
    assert.ok(m.text.includes(`此邮件由${SITE_NAME}自动发送`), m.text);
    const [row] = await rows();
    assert.equal(row!.status, 'sent');
    assert.equal(row!.attempts, 1);
    assert.ok(row!.sent_at instanceof Date);
    assert.deepEqual(await mail.sweep(), { claimed: 0, sent: 0, failed: 0 }, 'sent once');
  });

  it('keeps a refused mail queued with attempts + 1 and the error; a later sweep delivers it', async () => {
    const before = received.length;
    const refused = message();
    state.refuse = true;
    try {
      await notifyCommitted(refused);
      const at = Date.now();
      assert.deepEqual(await mail.sweep({ at: new Date(at) }), { claimed: 1, sent: 0, failed: 1 });
      const row = (await rows()).at(-1)!;
      assert.equal(row.status, 'queued');
      assert.equal(row.attempts, 1);
      assert.match(row.last_error ?? '', /EENVELOPE|550/);
      assert.equal(row.next_attempt_at.getTime(), at + 60_000);
      assert.equal((await mail.sweep()).claimed, 0, 'not before the backoff');
    } finally {
      state.refuse = false;
    }
    assert.deepEqual(await sweepIn(61_000), { claimed: 1, sent: 1, failed: 0 });
    const row = (await rows()).at(-1)!;
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
    assert.equal(received.length, before + 1);
    assert.ok(
      parse(received.at(-1)!.raw).subject.endsWith(`${refused.params.number} ${refused.params.title}`),
    );
  });

  it('backs off exponentially up to 6 hours, and gives up after the last attempt but keeps the row', async () => {
    assert.deepEqual([1, 2, 3, 9, 10, 11].map(retryDelayMs), [
      60_000,
      120_000,
      240_000,
      256 * 60_000,
      6 * 3_600_000,
      6 * 3_600_000,
    ]);
    await notifyCommitted(message());
    const id = (await rows()).at(-1)!.id;
    await t.db.kysely
      .updateTable('notify.outbox')
      .set({ attempts: OUTBOX.maxAttempts - 1 })
      .where('id', '=', id)
      .execute();
    state.refuse = true;
    try {
      assert.deepEqual(await mail.sweep(), { claimed: 1, sent: 0, failed: 1 });
    } finally {
      state.refuse = false;
    }
    const row = (await rows()).at(-1)!;
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, OUTBOX.maxAttempts);
    assert.match(row.last_error ?? '', /550/);
    assert.equal((await sweepIn(30 * 24 * 3_600_000)).claimed, 0, 'a failed row is not tried again');
  });

  it('never blocks the action when the mail server is down: the mail waits in the outbox', async () => {
    const down = createNotifyModule(t.db, testConfig(smtpEnv(await closedPort())), {
      contactsOf,
      siteOf: (tenantId) => t.org.tenants.get(tenantId),
    });
    const started = Date.now();
    await t.db.kysely.transaction().execute((trx) => down.notify(trx, message()));
    assert.ok(Date.now() - started < 2_000);
    assert.deepEqual(await down.sweep(), { claimed: 1, sent: 0, failed: 1 });
    const row = (await rows()).at(-1)!;
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /ECONNECTION|ECONNREFUSED|ESOCKET/);
    // The server is back (another node, or this one with its configuration fixed): it goes out.
    assert.deepEqual(await sweepIn(61_000), { claimed: 1, sent: 1, failed: 0 });
  });

  it('never sends one row twice when sweeps run at the same time', async () => {
    const before = received.length;
    const count = OUTBOX.batch * 2 + 5;
    for (let i = 0; i < count; i++) await notifyCommitted(message());
    const first = n - count + 1;
    state.delayMs = 20; // each message takes a while, so the sweeps overlap
    try {
      const firstRound = await Promise.all([mail.sweep(), mail.sweep(), mail.sweep(), mail.sweep()]);
      assert.ok(firstRound.filter((r) => r.claimed > 0).length >= 2, 'the sweeps shared the work');
      for (let round = 0; round < 10; round++) {
        const results = await Promise.all([mail.sweep(), mail.sweep(), mail.sweep(), mail.sweep()]);
        if (results.every((r) => r.claimed === 0)) break;
      }
    } finally {
      state.delayMs = 0;
    }
    const subjects = received.slice(before).map((r) => parse(r.raw).subject);
    assert.equal(subjects.length, count, subjects.join('\n'));
    assert.equal(new Set(subjects).size, count);
    for (let k = first; k <= n; k++)
      assert.ok(subjects.includes(`【${SITE_NAME}】新待办：ZJ-${k} 事项${k}`), `ZJ-${k}`);
    const sent = (await rows()).slice(-count);
    assert.ok(sent.every((r) => r.status === 'sent' && r.attempts === 1));
  });
});

describe('the application’s own mail worker (SMTP_URL set)', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let t: TestApp;

  before(async () => {
    server = smtpServer({ refuse: false, delayMs: 0 }, received);
    t = await createTestApp({ env: smtpEnv(await listen(server)) });
  });
  after(async () => {
    await t.drop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends a mail queued by an action within seconds, and stops with the app', async () => {
    const s = await createStaff(t, { roles: ['handler'], divisionCode: '330106' });
    await t.identity.staff.setEmail(systemContext(TENANT), s.accountId, 'worker.test@hz.gov.cn');
    await t.db.kysely.transaction().execute((trx) =>
      t.notify.notify(trx, {
        tenantId: TENANT,
        accountId: s.accountId,
        kind: 'workflow.case_urged',
        params: { number: 'ZJ-900', title: '道路挖掘许可', step: '审批', note: '请于今日内办结' },
      }),
    );
    const deadline = Date.now() + 10_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.length, 1);
    const m = parse(received[0]!.raw);
    assert.equal(m.subject, `【${SITE_NAME}】督办通知：ZJ-900 道路挖掘许可`);
    assert.ok(m.text.includes('督办意见：请于今日内办结'), m.text);
    assert.ok(!m.text.includes('详情：'), 'no link, no details line');
  });
});
