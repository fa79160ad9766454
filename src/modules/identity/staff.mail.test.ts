/**
 * One-time password links by e-mail, against a real SMTP server in this process (smtp-server on
 * 127.0.0.1, with a user name and password): the message arrives with the link, the link works once,
 * and the administrator's answer holds no link. A server that refuses the message loses nothing: the
 * link is shown to the administrator with a notice. Without SMTP_URL the link is always shown.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff, type StaffLogin } from '../../../test/support/staff.ts';
import { translator } from '../../kernel/i18n/index.ts';

const TENANT = '330000';
const SITE_NAME = '浙江省人民政府（演示站点）';
const PASSWORD = 'Qiantang#2026river';
const SMTP_USER = 'yiwang';
const SMTP_PASSWORD = 'p@ss:w0rd/äö';
const HTML = { accept: 'text/html,application/xhtml+xml' };
const zh = translator('zh-CN');

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** The decoded subject and body of a single-part text message (encoded words, base64 body). */
function parse(raw: string): { subject: string; from: string; contentType: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) =>
    new RegExp(`^${name}: (.*)$`, 'im').exec(headerText)?.[1]?.trim() ?? assert.fail(`no ${name}`);
  const words = (s: string) =>
    s
      .replace(/\?=\s+=\?/g, '?==?')
      .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
        enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64').toString('utf8')
          : Buffer.from(
              data
                .replace(/_/g, ' ')
                .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            ).toString('utf8'),
      );
  assert.match(header('Content-Transfer-Encoding'), /base64/i);
  return {
    subject: words(header('Subject')),
    from: words(header('From')),
    contentType: header('Content-Type'),
    text: Buffer.from(raw.slice(split + 4).replace(/\s+/g, ''), 'base64').toString('utf8'),
  };
}

describe('password links by e-mail (SMTP_URL set)', () => {
  let server: SMTPServer;
  let port = 0;
  const inbox: Received[] = [];
  /** When set, the server refuses every recipient (550), as a mail server refusing the message. */
  let refuse = false;
  let t: TestApp;
  let sys: StaffLogin;
  let dept: number;

  before(async () => {
    server = new SMTPServer({
      // Plain SMTP on loopback (the config requires STARTTLS for any other host), with AUTH.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD)
          callback(null, { user: auth.username });
        else callback(new Error('invalid login'));
      },
      onRcptTo(address, _session, callback) {
        if (refuse) {
          const err = new Error('mailbox unavailable') as Error & { responseCode: number };
          err.responseCode = 550;
          callback(err);
        } else callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
    t = await createTestApp({
      env: {
        SMTP_URL: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`,
        SMTP_FROM: '浙江政务服务 <noreply@zj.gov.cn>',
      },
    });
    sys = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330100' });
    const page = await t.org.departments.list(TENANT, {
      divisionCode: '330100',
      includeInactive: false,
      limit: 1,
      offset: 0,
    });
    dept = page.items[0]!.id;
  });
  after(async () => {
    await t.drop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const api = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
    cookie: string | null = sys.cookie,
  ) => t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
  const audit = (action: string, objectId: number) =>
    t.db.kysely
      .selectFrom('audit.entry')
      .selectAll()
      .where('action', '=', action)
      .where('object_id', '=', String(objectId))
      .orderBy('id')
      .execute();
  const tokenIn = (text: string) =>
    /http:\/\/localhost(?::80)?\/password\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? assert.fail(text);
  const lastMail = () => inbox.at(-1) ?? assert.fail('no message arrived');
  const noLinkIn = (res: LightMyRequestResponse) =>
    assert.ok(!/\/password\/[A-Za-z0-9_-]{20}/.test(res.body), res.body);

  async function setPassword(token: string) {
    const peek = await api('GET', `/api/v1/password-links/${token}`, undefined, null);
    assert.equal(peek.statusCode, 200, peek.body);
    const used = await api('POST', `/api/v1/password-links/${token}`, { password: PASSWORD }, null);
    assert.equal(used.statusCode, 204, used.body);
    const again = await api('POST', `/api/v1/password-links/${token}`, { password: `${PASSWORD}2` }, null);
    assert.equal(again.statusCode, 404, again.body);
  }

  it('mails the link of a new account to its address; the answer says where, without the link', async () => {
    const before = inbox.length;
    const res = await api('POST', '/api/v1/staff', {
      username: 'mail.wang',
      displayName: '王邮件',
      departmentId: dept,
      email: ' Wang.Mail@HZ.Gov.CN ',
    });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.email, 'Wang.Mail@hz.gov.cn');
    assert.deepEqual(Object.keys(body.passwordLink).sort(), ['expiresAt', 'sentTo']);
    assert.equal(body.passwordLink.sentTo, 'Wang.Mail@hz.gov.cn');
    noLinkIn(res);

    assert.equal(inbox.length, before + 1);
    const mail = lastMail();
    assert.equal(mail.from, 'noreply@zj.gov.cn');
    assert.deepEqual(mail.to, ['Wang.Mail@hz.gov.cn']);
    const m = parse(mail.raw);
    assert.equal(m.subject, `【${SITE_NAME}】请设置您的工作人员账户密码`);
    assert.equal(m.from, '浙江政务服务 <noreply@zj.gov.cn>');
    assert.match(m.contentType, /text\/plain; charset=utf-8/i);
    assert.ok(m.text.includes('王邮件，您好'), m.text);
    assert.ok(m.text.includes(SITE_NAME) && m.text.includes('mail.wang'), m.text);
    const beijing = new Date(Date.parse(body.passwordLink.expiresAt) + 8 * 3_600_000)
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ');
    assert.ok(m.text.includes(`${beijing}（北京时间）`), m.text);
    assert.ok(m.text.includes('如果您没有预期收到这封邮件'), m.text);

    await setPassword(tokenIn(m.text));
    const login = await api('POST', '/api/v1/session', { username: 'mail.wang', password: PASSWORD }, null);
    assert.equal(login.statusCode, 200, login.body);

    const mailed = await audit('account.password_link_mailed', body.id);
    assert.equal(mailed.length, 1);
    assert.deepEqual(mailed[0]!.detail, { purpose: 'setup', domain: 'hz.gov.cn' });
    const created = await audit('account.staff_created', body.id);
    assert.equal((created[0]!.detail as { emailDomain: string }).emailDomain, 'hz.gov.cn');
  });

  it('mails a reset link; the earlier link stops working and the answer holds no link', async () => {
    const created = await api('POST', '/api/v1/staff', {
      username: 'mail.li',
      displayName: '李重置',
      departmentId: dept,
      email: 'li.reset@hz.gov.cn',
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as number;
    const first = tokenIn(parse(lastMail().raw).text);

    const res = await api('POST', `/api/v1/staff/${id}/password-reset`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().sentTo, 'li.reset@hz.gov.cn');
    assert.equal(res.json().url, undefined);
    noLinkIn(res);
    const m = parse(lastMail().raw);
    assert.equal(m.subject, `【${SITE_NAME}】请重新设置您的登录密码`);
    const second = tokenIn(m.text);
    assert.notEqual(second, first);
    assert.equal((await api('GET', `/api/v1/password-links/${first}`, undefined, null)).statusCode, 404);
    await setPassword(second);
    assert.deepEqual(
      (await audit('account.password_link_mailed', id)).map((e) => (e.detail as { purpose: string }).purpose),
      ['setup', 'reset'],
    );
  });

  it('shows the link as before for an account without an address, and mails nothing', async () => {
    const before = inbox.length;
    const res = await api('POST', '/api/v1/staff', {
      username: 'mail.none',
      displayName: '无邮箱',
      departmentId: dept,
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().email, null);
    assert.match(res.json().passwordLink.url, /\/password\/[A-Za-z0-9_-]{43}$/);
    assert.equal(res.json().passwordLink.sentTo, undefined);
    assert.equal(inbox.length, before);
  });

  it('shows the link with a notice when the mail server refuses the message; the account is kept', async () => {
    refuse = true;
    try {
      const before = inbox.length;
      const res = await api('POST', '/api/v1/staff', {
        username: 'mail.refused',
        displayName: '拒收',
        departmentId: dept,
        email: 'refused@hz.gov.cn',
      });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.equal(body.passwordLink.mailFailedTo, 'refused@hz.gov.cn');
      assert.equal(body.passwordLink.sentTo, undefined);
      assert.equal(inbox.length, before);
      const failed = await audit('account.password_link_mail_failed', body.id);
      assert.equal(failed.length, 1);
      assert.deepEqual(failed[0]!.detail, { purpose: 'setup', domain: 'hz.gov.cn', reason: 'EENVELOPE' });
      assert.equal((await audit('account.password_link_mailed', body.id)).length, 0);
      await setPassword(tokenIn(body.passwordLink.url));

      // The reset page says so, and shows the link.
      const page = await t.app.inject({
        url: `/workbench/staff/${body.id}`,
        headers: { ...HTML, cookie: sys.cookie },
      });
      const csrf = page.cookies.find((c) => c.name === 'yw_csrf')!.value;
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const reset = await t.app.inject({
        method: 'POST',
        url: `/workbench/staff/${body.id}/password-reset`,
        headers: {
          ...HTML,
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `${sys.cookie}; yw_csrf=${csrf}`,
        },
        payload: new URLSearchParams({ _csrf: token }).toString(),
      });
      assert.equal(reset.statusCode, 200, reset.body.slice(0, 500));
      assert.ok(
        reset.body.includes(zh('identity.password_link.mail_failed', { email: 'refused@hz.gov.cn' })),
      );
      assert.match(reset.body, /role="alert"/);
      assert.match(
        reset.body,
        /id="password-link"[^>]*value="http:\/\/localhost(:80)?\/password\/[A-Za-z0-9_-]{43}"/,
      );
      assert.equal(reset.headers['cache-control'], 'no-store');
    } finally {
      refuse = false;
    }
  });

  describe('pages', () => {
    async function openForm(url: string) {
      const res = await t.app.inject({ url, headers: { ...HTML, cookie: sys.cookie } });
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      const csrf = res.cookies.find((c) => c.name === 'yw_csrf')!.value;
      const token = /name="_csrf" value="([^"]+)"/.exec(res.body)![1]!;
      return { cookie: `${sys.cookie}; yw_csrf=${csrf}`, token, html: res.body };
    }
    const post = (url: string, form: Record<string, string>, cookie: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams(form).toString(),
      });

    it('offers the e-mail field, checks it beside the field, and says where the link was sent', async () => {
      const { cookie, token, html } = await openForm('/workbench/staff/new');
      assert.match(html, /<label for="field-email">工作邮箱/);
      assert.ok(html.includes(zh('identity.staff.email_hint_mail')));
      const form = { _csrf: token, username: 'page.mail', displayName: '页面', departmentId: String(dept) };

      const bad = await post('/workbench/staff/new', { ...form, email: 'not an address' }, cookie);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="field-email-error"/);
      assert.ok(bad.body.includes(zh('identity.staff.email_format')));
      assert.ok(bad.body.includes('value="not an address"'), 'what was typed is kept');

      const before = inbox.length;
      const ok = await post('/workbench/staff/new', { ...form, email: 'page.mail@hz.gov.cn' }, cookie);
      assert.equal(ok.statusCode, 200, ok.body.slice(0, 500));
      assert.ok(ok.body.includes('page.mail@hz.gov.cn'));
      assert.match(ok.body, /id="password-link-mailed"/);
      assert.ok(!ok.body.includes('id="password-link"'));
      noLinkIn(ok);
      assert.equal(inbox.length, before + 1);
      assert.deepEqual(lastMail().to, ['page.mail@hz.gov.cn']);
    });

    it('lets a system administrator change the address, audited with the domains only', async () => {
      const created = await api('POST', '/api/v1/staff', {
        username: 'mail.change',
        displayName: '改邮箱',
        departmentId: dept,
        email: 'old.box@hz.gov.cn',
      });
      const id = created.json().id as number;
      const { cookie, token, html } = await openForm(`/workbench/staff/${id}`);
      assert.ok(html.includes('old.box@hz.gov.cn'));
      assert.match(html, /action="\/workbench\/staff\/\d+\/email"/);

      const bad = await post(`/workbench/staff/${id}/email`, { _csrf: token, email: 'a@b' }, cookie);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="field-email-error"/);

      const ok = await post(
        `/workbench/staff/${id}/email`,
        { _csrf: token, email: 'new.box@zj.gov.cn' },
        cookie,
      );
      assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
      assert.equal((await api('GET', `/api/v1/staff/${id}`)).json().email, 'new.box@zj.gov.cn');

      assert.equal((await api('PUT', `/api/v1/staff/${id}/email`, { email: 'x@' })).statusCode, 400);
      assert.equal((await api('PUT', `/api/v1/staff/${id}/email`, { email: null })).statusCode, 204);
      assert.equal((await api('GET', `/api/v1/staff/${id}`)).json().email, null);
      const self = await api('PUT', `/api/v1/staff/${sys.accountId}/email`, { email: 'me@hz.gov.cn' });
      assert.equal(self.statusCode, 403, self.body);

      const changes = await audit('account.email_changed', id);
      assert.deepEqual(
        changes.map((e) => e.detail),
        [
          { from: 'hz.gov.cn', to: 'zj.gov.cn' },
          { from: 'zj.gov.cn', to: null },
        ],
      );
      assert.ok(!JSON.stringify(changes).includes('box@'), 'no address in the audit chain');
      // Without an address, a reset shows the link again.
      const reset = await api('POST', `/api/v1/staff/${id}/password-reset`);
      assert.match(reset.json().url, /\/password\//);
    });
  });
});

describe('password links without SMTP_URL', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.drop());

  it('stores the address and shows the link, as before', async () => {
    const sys = await signInStaff(t, { roles: ['system_admin'], divisionCode: '330100' });
    const dept = (
      await t.org.departments.list(TENANT, {
        divisionCode: '330100',
        includeInactive: false,
        limit: 1,
        offset: 0,
      })
    ).items[0]!.id;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff',
      headers: { cookie: sys.cookie },
      payload: { username: 'nomail.zhou', displayName: '周', departmentId: dept, email: 'zhou@hz.gov.cn' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().email, 'zhou@hz.gov.cn');
    assert.match(res.json().passwordLink.url, /\/password\/[A-Za-z0-9_-]{43}$/);
    assert.equal(res.json().passwordLink.sentTo, undefined);
    assert.equal(t.identity.staff.mailEnabled, false);
    const page = await t.app.inject({
      url: '/workbench/staff/new',
      headers: { ...HTML, cookie: sys.cookie },
    });
    assert.ok(page.body.includes(zh('identity.staff.email_hint_no_mail')));
  });
});
