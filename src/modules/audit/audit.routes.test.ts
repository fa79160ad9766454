import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff } from '../../../test/support/staff.ts';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { translator } from '../../kernel/i18n/index.ts';

const TENANT = '330000';
const zh = translator('zh-CN');
const HTML = { accept: 'text/html,application/xhtml+xml' };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const htmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** assert.match without printing a whole page when it fails. */
function matches(text: string, re: RegExp, what = '') {
  assert.ok(
    re.test(text),
    `${what} expected ${re} in ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`,
  );
}
function notMatches(text: string, re: RegExp, what = '') {
  const m = re.exec(text);
  assert.ok(
    !m,
    `${what} did not expect ${re}, found …${m ? text.slice(Math.max(0, m.index - 100), m.index + 200) : ''}…`,
  );
}

function page(res: LightMyRequestResponse, status = 200): string {
  assert.equal(res.statusCode, status, res.body.slice(0, 800));
  matches(String(res.headers['content-type']), /^text\/html/);
  return res.body;
}

/** The rows of the first table body on a page. */
function tableRows(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return body.split('<tr>').slice(1);
}

const staffCtx = (actorId: string, division: string, fields: Partial<AuditContext> = {}): AuditContext => ({
  tenantId: TENANT,
  actorId,
  actorRole: 'staff:window_officer',
  actorDivision: division,
  ip: '192.0.2.10',
  userAgent: 'test',
  requestId: 'r',
  ...fields,
});

describe('audit pages and API', () => {
  let t: TestApp;
  let auditor: string; // province auditor (330000)
  let xihuAuditor: string; // county auditor (330106)
  let securityAdmin: string;
  let handler: string;
  before(async () => {
    t = await createTestApp();
    auditor = (await signInStaff(t, { roles: ['auditor'] })).cookie;
    xihuAuditor = (await signInStaff(t, { roles: ['auditor'], divisionCode: '330106' })).cookie;
    securityAdmin = (await signInStaff(t, { roles: ['security_admin'] })).cookie;
    handler = (await signInStaff(t, { roles: ['handler'], divisionCode: '330102' })).cookie;

    // Entries of staff in two counties, and one of another site.
    await appendAudit(t.db.kysely, staffCtx('account:9001', '330102'), {
      action: 'pii.viewed',
      objectType: 'person',
      objectId: 'shangcheng-1',
    });
    await appendAudit(t.db.kysely, staffCtx('account:9002', '330106'), {
      action: 'pii.viewed',
      objectType: 'person',
      objectId: 'xihu-1',
    });
    await appendAudit(
      t.db.kysely,
      { ...staffCtx('account:9003', '110105'), tenantId: '110000' },
      {
        action: 'pii.viewed',
        objectType: 'person',
        objectId: 'beijing-1',
      },
    );
    // A value a spreadsheet would run as a formula, and one with a quote and a comma.
    await appendAudit(t.db.kysely, staffCtx('account:9004', '330106'), {
      action: 'document.viewed',
      objectType: 'document',
      objectId: '=HYPERLINK("http://evil.example","点我")',
      detail: { note: 'a "quoted", text' },
    });
  });
  after(() => t.drop());

  const get = (url: string, cookie?: string, headers: Record<string, string> = HTML) =>
    t.app.inject({ url, headers: cookie ? { ...headers, cookie } : headers });
  const api = (url: string, cookie?: string) => get(url, cookie, { accept: 'application/json' });

  describe('access', () => {
    it('sends anonymous readers to the login page, and answers the API with 401', async () => {
      const res = await get('/workbench/audit');
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/login?next=${encodeURIComponent('/workbench/audit')}`);
      const apiRes = await api('/api/v1/audit/entries');
      assert.equal(apiRes.statusCode, 401);
      matches(String(apiRes.headers['content-type']), /^application\/problem\+json/);
      assert.equal((await api('/api/v1/security/events')).statusCode, 401);
      assert.equal((await get('/workbench/audit/export.csv')).statusCode, 303);
    });

    it('refuses staff without the permission (403), keeping the duties apart', async () => {
      assert.equal((await get('/workbench/audit', handler)).statusCode, 403);
      assert.equal((await get('/workbench/audit/export.csv', handler)).statusCode, 403);
      assert.equal((await api('/api/v1/audit/entries', handler)).statusCode, 403);
      // The security administrator does not read the audit log; the auditor does not see the events.
      assert.equal((await get('/workbench/audit', securityAdmin)).statusCode, 403);
      assert.equal((await get('/workbench/security/events', auditor)).statusCode, 403);
      assert.equal((await api('/api/v1/security/events', auditor)).statusCode, 403);
      assert.equal((await get('/workbench/security/events', handler)).statusCode, 403);
    });

    it('shows the auditor and the security administrator their links in the workbench', async () => {
      const auditorHome = page(await get('/workbench', auditor));
      matches(auditorHome, /<a href="\/workbench\/audit"[^>]*>审计日志<\/a>/);
      notMatches(auditorHome, /href="\/workbench\/security\/events"/);
      const adminHome = page(await get('/workbench', securityAdmin));
      matches(adminHome, /<a href="\/workbench\/security\/events"[^>]*>安全事件<\/a>/);
      notMatches(adminHome, /href="\/workbench\/audit"/);
    });
  });

  describe('the audit log page', () => {
    it('lists the site’s entries of the auditor’s jurisdiction, newest first', async () => {
      const html = page(await get('/workbench/audit?action=pii.viewed', auditor));
      matches(html, /<h1>审计日志<\/h1>/);
      matches(html, /<caption>审计记录（共 2 条）<\/caption>/);
      const rows = tableRows(html);
      assert.equal(rows.length, 2);
      matches(rows[0]!, /person:xihu-1/);
      matches(rows[1]!, /person:shangcheng-1/);
      notMatches(html, /beijing-1/);
      // Every column the auditor needs.
      for (const key of ['at', 'actor', 'role', 'division', 'action', 'object', 'result', 'ip', 'seq'])
        matches(html, new RegExp(`<th scope="col">${escapeRe(zh(`audit.entry.${key}`))}</th>`));
      matches(rows[0]!, /<td>staff:window_officer<\/td>/);
      matches(rows[0]!, /<td><code>330106<\/code><\/td>/);
      matches(rows[0]!, /<td>成功<\/td>/);
      matches(rows[0]!, /192\.0\.2\.10/);
    });

    it('limits a county auditor to the county and the entries without a division', async () => {
      const html = page(await get('/workbench/audit?action=pii.viewed', xihuAuditor));
      matches(html, /<caption>审计记录（共 1 条）<\/caption>/);
      matches(html, /person:xihu-1/);
      notMatches(html, /shangcheng-1/);
      // A filter cannot reach a sibling county.
      const sibling = page(await get('/workbench/audit?division=330102', xihuAuditor));
      matches(sibling, new RegExp(escapeRe(zh('audit.none'))));
      // Anonymous entries (no division) are the site's: every auditor sees them.
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'nobody.here', password: 'Wrong#password1' },
      });
      const failed = page(
        await get('/workbench/audit?action=session.login_failed&objectId=nobody.here', xihuAuditor),
      );
      matches(failed, /<caption>审计记录（共 1 条）<\/caption>/);
      matches(failed, /<td>失败<\/td>/);
    });

    it('takes the site from the host, never from the query', async () => {
      const html = page(
        await get('/workbench/audit?action=pii.viewed&tenantId=110000&tenant=110000', auditor),
      );
      matches(html, /<caption>审计记录（共 2 条）<\/caption>/);
      notMatches(html, /beijing-1/);
    });

    it('filters by action prefix, actor, object, result and division', async () => {
      const byActor = page(await get('/workbench/audit?actor=account%3A9001', auditor));
      matches(byActor, /<caption>审计记录（共 1 条）<\/caption>/);
      const byPrefix = page(await get('/workbench/audit?action=document.', auditor));
      matches(byPrefix, /<caption>审计记录（共 1 条）<\/caption>/);
      const byObject = page(await get('/workbench/audit?objectType=person&objectId=xihu-1', auditor));
      matches(byObject, /<caption>审计记录（共 1 条）<\/caption>/);
      const byDivision = page(await get('/workbench/audit?division=330102&action=pii.', auditor));
      matches(byDivision, /<caption>审计记录（共 1 条）<\/caption>/);
      matches(byDivision, /shangcheng-1/);
      const denied = page(await get('/workbench/audit?result=denied&action=pii.', auditor));
      matches(denied, new RegExp(escapeRe(zh('audit.none'))));
    });

    it('keeps the filter in the form, the export link and the pages', async () => {
      for (let i = 0; i < 55; i++) {
        await appendAudit(t.db.kysely, staffCtx('account:9100', '330100'), {
          action: 'case.viewed',
          objectType: 'case',
          objectId: String(i),
        });
      }
      const html = page(await get('/workbench/audit?action=case.viewed&result=success', auditor));
      matches(html, /<caption>审计记录（共 55 条）<\/caption>/);
      assert.equal(tableRows(html).length, 50);
      matches(html, /<input id="field-action" name="action" [^>]*value="case.viewed"/);
      matches(html, /<option value="success" selected>成功<\/option>/);
      matches(html, /<label for="field-from">起始时间<\/label>/);
      matches(
        html,
        /<a href="\/workbench\/audit\/export\.csv\?action=case\.viewed&amp;result=success" download>/,
      );
      matches(
        html,
        /<a href="\/workbench\/audit\?action=case\.viewed&amp;result=success&amp;offset=50">下一页<\/a>/,
      );
      const second = page(await get('/workbench/audit?action=case.viewed&result=success&offset=50', auditor));
      assert.equal(tableRows(second).length, 5);
      matches(second, /第 51–55 条，共 55 条/);
    });

    it('re-renders with a message beside each bad field (400)', async () => {
      const html = page(
        await get(
          '/workbench/audit?from=2026-02-30&to=yesterday&action=Session!&division=12345&result=maybe',
          auditor,
        ),
        400,
      );
      matches(html, /role="alert"/);
      const beside = (field: string, code: string) =>
        matches(
          html,
          new RegExp(
            `<p class="error-message" id="field-${field}-error">${escapeRe(htmlText(zh(code)))}</p>`,
          ),
          field,
        );
      beside('from', 'audit.filter.time_invalid');
      beside('to', 'audit.filter.time_invalid');
      beside('action', 'audit.filter.action_invalid');
      beside('division', 'audit.filter.division_invalid');
      beside('result', 'audit.filter.result_invalid');
      matches(html, /<input id="field-from" name="from" aria-invalid="true"[^>]*value="2026-02-30"/);
      notMatches(html, /<table/);
      const reversed = page(await get('/workbench/audit?from=2026-03-02&to=2026-03-01', auditor), 400);
      matches(reversed, new RegExp(escapeRe(zh('audit.filter.range_reversed'))));
    });

    it('reads times as Beijing time, a date alone as the whole day', async () => {
      const items = (await api('/api/v1/audit/entries?action=pii.viewed', auditor)).json().items as {
        at: string;
      }[];
      const beijing = (at: string) => new Date(Date.parse(at) + 8 * 3_600_000).toISOString();
      const day = beijing(items[0]!.at).slice(0, 10);
      const sameDay = items.filter((e) => beijing(e.at).startsWith(day)).length;
      const inDay = page(await get(`/workbench/audit?action=pii.viewed&from=${day}&to=${day}`, auditor));
      matches(inDay, new RegExp(`<caption>审计记录（共 ${sameDay} 条）</caption>`));
      // The second of the newest entry, written in Beijing time, holds it; the second after does not.
      const second = beijing(items[0]!.at).slice(0, 19).replace('T', '%20');
      const upTo = page(await get(`/workbench/audit?action=pii.viewed&from=${second}&to=${second}`, auditor));
      notMatches(upTo, new RegExp(escapeRe(zh('audit.none'))));
      const after = new Date(Date.parse(items[0]!.at) + 8 * 3_600_000 + 1000).toISOString();
      const later = page(
        await get(
          `/workbench/audit?action=pii.viewed&from=${after.slice(0, 19).replace('T', '%20')}`,
          auditor,
        ),
      );
      matches(later, new RegExp(escapeRe(zh('audit.none'))));
    });
  });

  describe('the CSV export', () => {
    it('streams a BOM, a header and RFC 4180 rows, formulas neutralised, and is itself audited', async () => {
      const res = await get('/workbench/audit/export.csv?action=document.', auditor);
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      matches(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
      matches(
        String(res.headers['content-disposition']),
        /^attachment; filename="audit-330000-\d{12}\.csv"$/,
      );
      assert.equal(res.headers['cache-control'], 'no-store');
      const raw = res.rawPayload;
      assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = raw.subarray(3).toString('utf8');
      const lines = text.split('\r\n');
      assert.equal(lines.at(-1), '');
      assert.equal(lines.length, 3); // header, one row, the final CRLF
      assert.equal(lines[0]!.split(',')[0], zh('audit.entry.seq'));
      assert.ok(lines[0]!.includes(zh('audit.entry.actor')));
      const row = lines[1]!;
      // Formula neutralised with a quote, then the whole cell quoted since it holds quotes and a comma.
      assert.ok(row.includes(`"'=HYPERLINK(""http://evil.example"",""点我"")"`), row);
      assert.ok(row.includes(`"{""note"":""a \\""quoted\\"", text""}"`), row);
      assert.ok(row.includes(',account:9004,staff:window_officer,330106,document.viewed,document,'), row);

      const exported = await api('/api/v1/audit/entries?action=audit.exported', auditor);
      assert.equal(exported.statusCode, 200);
      const [entry, ...more] = exported.json().items;
      assert.equal(more.length, 0);
      assert.equal(entry.objectType, 'audit_log');
      assert.deepEqual(entry.detail, { filter: { action: 'document.' }, rows: 1, format: 'csv' });
      matches(entry.actorId, /^account:\d+$/);
      matches(entry.actorRole, /^staff:auditor/);
    });

    it('exports every matching entry, and not the export’s own entry', async () => {
      const res = await get('/workbench/audit/export.csv?action=case.', auditor);
      assert.equal(res.statusCode, 200);
      const lines = res.rawPayload.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
      assert.equal(lines.length, 1 + 55);
      // Newest written first.
      assert.ok(lines[1]!.includes(',case,54,'), lines[1]);
      assert.ok(lines[55]!.includes(',case,0,'), lines[55]);
      const all = await get('/workbench/audit/export.csv', auditor);
      const body = all.rawPayload.subarray(3).toString('utf8');
      const exportsBefore = body.split('\r\n').filter((l) => l.includes(',audit.exported,')).length;
      const entries = (await api('/api/v1/audit/entries?action=audit.exported&limit=10', auditor)).json();
      // The file holds the earlier exports but not the one that produced it.
      assert.equal(exportsBefore, entries.total - 1);
      assert.equal(entries.items[0].detail.rows, body.split('\r\n').filter(Boolean).length - 1);
    });

    it('refuses a bad filter without writing an export entry', async () => {
      const before = (await api('/api/v1/audit/entries?action=audit.exported', auditor)).json().total;
      const res = await get('/workbench/audit/export.csv?from=not-a-date', auditor);
      assert.equal(res.statusCode, 400);
      const after = (await api('/api/v1/audit/entries?action=audit.exported', auditor)).json().total;
      assert.equal(after, before);
    });
  });

  describe('the JSON API', () => {
    it('answers the same filter with entries, total and paging', async () => {
      const res = await api('/api/v1/audit/entries?action=case.viewed&limit=5&offset=5', auditor);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.total, 55);
      assert.equal(body.limit, 5);
      assert.equal(body.offset, 5);
      assert.deepEqual(
        body.items.map((e: { objectId: string }) => e.objectId),
        ['49', '48', '47', '46', '45'],
      );
      const e = body.items[0];
      assert.equal(e.actorId, 'account:9100');
      assert.equal(e.actorDivision, '330100');
      assert.equal(e.result, 'success');
      matches(e.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.ok(e.seq === null || Number.isInteger(e.seq));
      assert.ok(e.hash === null || /^[0-9a-f]{64}$/.test(e.hash));
    });

    it('answers bad input with problem+json naming each field', async () => {
      const res = await api('/api/v1/audit/entries?from=2026-13-01&division=abc', auditor);
      assert.equal(res.statusCode, 400);
      matches(String(res.headers['content-type']), /^application\/problem\+json/);
      const problem = res.json();
      assert.equal(problem.code, 'errors.invalid_input');
      assert.deepEqual(
        problem.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
        [
          ['from', 'audit.filter.time_invalid'],
          ['division', 'audit.filter.division_invalid'],
        ],
      );
      assert.equal((await api('/api/v1/audit/entries?limit=0', auditor)).statusCode, 400);
    });
  });

  describe('security events', () => {
    before(async () => {
      // Password spraying from one address: ten names, one failure each.
      for (let i = 0; i < 10; i++) {
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { username: `spray${i}`, password: 'Wrong#password1' },
        });
      }
      // Five failures for one name lock it.
      for (let i = 0; i < 5; i++) {
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { username: 'locked.name', password: 'Wrong#password1' },
        });
      }
      // 21 identifier views by one window officer.
      for (let i = 0; i < 21; i++) {
        await appendAudit(t.db.kysely, staffCtx('account:9200', '330106'), {
          action: 'pii.viewed',
          objectType: 'person',
          objectId: `p${i}`,
        });
      }
    });

    it('lists the alerts of the last 24 hours with the entries behind them (API)', async () => {
      const res = await api('/api/v1/security/events', securityAdmin);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.thresholds.failedLoginBurst, 10);
      assert.equal(body.thresholds.piiViewBurst, 20);
      assert.ok(Date.parse(body.before) - Date.parse(body.from) >= 24 * 3_600_000);
      const items = body.items as {
        kind: string;
        subjectType: string;
        subject: string;
        ip?: string;
        count: number;
        entryIds: number[];
        seqs: (number | null)[];
        auditUrl: string;
      }[];
      const burst = items.find((a) => a.kind === 'failed_login_burst' && a.subjectType === 'ip');
      assert.ok(burst, JSON.stringify(items));
      assert.equal(burst.subject, '127.0.0.1');
      // 10 sprayed names, 5 failures for locked.name, and the one failure of the page test before.
      assert.equal(burst.count, 16);
      assert.equal(burst.entryIds.length, 16);
      assert.equal(burst.seqs.length, 16);
      const lockout = items.filter((a) => a.kind === 'lockout');
      assert.deepEqual(
        lockout.map((a) => a.subject),
        ['locked.name'],
      );
      const pii = items.filter((a) => a.kind === 'bulk_pii_view');
      assert.deepEqual(
        pii.map((a) => [a.subject, a.count]),
        [['account:9200', 21]],
      );
      // Every staff member signed in from 127.0.0.1 for the first time: four new addresses.
      const newIp = items.filter((a) => a.kind === 'new_staff_ip');
      assert.equal(newIp.length, 4);
      assert.ok(newIp.every((a) => a.ip === '127.0.0.1' && /^account:\d+$/.test(a.subject)));

      // The link lists exactly the entries behind the alert.
      matches(burst.auditUrl, /^\/workbench\/audit\?action=session\.login_failed&ip=127\.0\.0\.1&from=/);
      const listed = page(await get(burst.auditUrl, auditor));
      matches(listed, /<caption>审计记录（共 16 条）<\/caption>/);
      const viaApi = await api(
        burst.auditUrl.replace('/workbench/audit', '/api/v1/audit/entries') + '&limit=100',
        auditor,
      );
      assert.deepEqual(
        viaApi
          .json()
          .items.map((e: { id: number }) => e.id)
          .sort((a: number, b: number) => a - b),
        [...burst.entryIds].sort((a, b) => a - b),
      );
      const piiListed = page(await get(pii[0]!.auditUrl, auditor));
      matches(piiListed, /<caption>审计记录（共 21 条）<\/caption>/);
    });

    it('limits the alerts to the administrator’s jurisdiction', async () => {
      const xihuAdmin = (await signInStaff(t, { roles: ['security_admin'], divisionCode: '330102' })).cookie;
      const items = (await api('/api/v1/security/events', xihuAdmin)).json().items as {
        kind: string;
        subject: string;
      }[];
      // account:9200 works in 西湖区 (330106): not this 上城区 administrator's.
      assert.equal(items.filter((a) => a.kind === 'bulk_pii_view').length, 0);
      // Anonymous failures belong to the site.
      assert.equal(items.filter((a) => a.kind === 'lockout').length, 1);
    });

    it('renders the page with the alerts, the rules and a window to choose', async () => {
      const html = page(await get('/workbench/security/events', securityAdmin));
      matches(html, /<h1>安全事件<\/h1>/);
      matches(html, /<label for="field-hours">统计时段<\/label>/);
      matches(html, /<option value="24" selected>最近 1 天<\/option>/);
      matches(html, /<caption>安全事件告警（共 \d+ 条）<\/caption>/);
      matches(html, /<th scope="row">登录失败次数异常<\/th>/);
      matches(html, /<th scope="row">账号锁定<\/th>/);
      matches(html, /<th scope="row">批量查看个人信息<\/th>/);
      matches(html, /<th scope="row">工作人员从新地址登录<\/th>/);
      matches(html, /用户名 locked\.name/);
      matches(html, /IP 地址 127\.0\.0\.1/);
      matches(html, new RegExp(escapeRe(zh('security.rules.bulk_pii_view', { count: 20, minutes: 10 }))));
      // The security administrator does not read the audit log: chain numbers, no link.
      notMatches(html, /href="\/workbench\/audit\?/);
      matches(html, new RegExp(escapeRe(zh('security.events.audit_duty'))));
    });

    it('takes another window, and says so when it holds nothing', async () => {
      const html = page(await get('/workbench/security/events?from=2020-01-01&to=2020-01-02', securityAdmin));
      matches(html, new RegExp(escapeRe(zh('security.events.none'))));
      matches(html, /2020-01-01 00:00:00 至 2020-01-02 23:59:59 的告警/);
      const week = await api('/api/v1/security/events?hours=168', securityAdmin);
      assert.equal(week.statusCode, 200);
      const body = week.json();
      assert.equal(Date.parse(body.before) - Date.parse(body.from), 168 * 3_600_000 + 1);
    });

    it('re-renders a bad window with the message beside the field (400)', async () => {
      const html = page(await get('/workbench/security/events?hours=5&from=2026-02-30', securityAdmin), 400);
      matches(html, /<p class="error-message" id="field-hours-error">请选择有效的统计时段。<\/p>/);
      matches(html, /<p class="error-message" id="field-from-error">/);
      const res = await api('/api/v1/security/events?hours=5', securityAdmin);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, 'hours');
    });
  });
});
