/**
 * What the licences tests share: an app with the demo region, staff of two departments of 西湖区, the
 * demo citizen and enterprise signed in, and small helpers for the API, the CSRF token of a form page,
 * and the audit entries written.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signInStaff } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS } from '../../app.ts';

export const MARKET = '西湖区市场监督管理局';
export const CIVIL = '西湖区民政局';
export const CENTRE = '西湖区政务服务中心';

export interface LicencesWorld {
  y: TestApp;
  cookies: Record<'market' | 'civil' | 'centre' | 'handler' | 'citizen' | 'company', string>;
  citizenId: number;
  api(
    who: keyof LicencesWorld['cookies'] | null,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
  ): Promise<LightMyRequestResponse>;
  /** The CSRF token of a form page and the cookies to send with the form. */
  formOf(who: keyof LicencesWorld['cookies'] | null, url: string): Promise<{ token: string; cookie: string }>;
  /** Audit actions written so far for an object. */
  auditOf(objectId: string): Promise<string[]>;
}

export const issueBody = (over: Record<string, unknown> = {}) => ({
  type: { code: 'JY', name: '食品经营许可证' },
  holder: { kind: 'person', name: '张演示', idNumber: '33010619900101123X' },
  fields: [
    { key: 'licenceNo', label: '许可证编号', value: 'JY13301060012345' },
    { key: 'scope', label: '经营项目', value: '热食类食品制售' },
  ],
  validFrom: '2026-01-01',
  validUntil: '2099-12-31',
  ...over,
});

async function login(y: TestApp, username: string, password: string): Promise<string> {
  const res = await y.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  assert.equal(res.statusCode, 200, res.body);
  return `yw_session=${res.cookies.find((c) => c.name === 'yw_session')!.value}`;
}

export async function createLicencesWorld(): Promise<LicencesWorld> {
  const y = await createTestApp({ seed: true });
  const staff = (roles: string[], departmentName: string) =>
    signInStaff(y, { roles, divisionCode: '330106', departmentName }).then((s) => s.cookie);
  const citizen = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
  const company = DEMO_ACCOUNTS.find((a) => a.kind === 'enterprise')!;
  const cookies = {
    market: await staff(['department_head'], MARKET),
    civil: await staff(['department_head'], CIVIL),
    centre: await staff(['department_head'], CENTRE),
    handler: await staff(['handler'], MARKET),
    citizen: await login(y, citizen.username, citizen.password),
    company: await login(y, company.username, company.password),
  };
  const api: LicencesWorld['api'] = (who, method, url, payload) =>
    y.app.inject({
      method,
      url,
      headers: who ? { cookie: cookies[who] } : {},
      ...(payload ? { payload } : {}),
    });
  const me = await api('citizen', 'GET', '/api/v1/me');
  return {
    y,
    cookies,
    citizenId: (me.json() as { id: number }).id,
    api,
    async formOf(who, url) {
      const page = await y.app.inject({ url, headers: who ? { cookie: cookies[who] } : {} });
      assert.equal(page.statusCode, 200, page.body.slice(0, 300));
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? assert.fail('no form on the page');
      const csrf = page.cookies.find((c) => c.name === 'yw_csrf')?.value;
      const cookie = [who ? cookies[who] : '', csrf ? `yw_csrf=${csrf}` : ''].filter(Boolean).join('; ');
      return { token, cookie };
    },
    async auditOf(objectId) {
      const rows = await y.db.kysely
        .selectFrom('audit.entry')
        .select('action')
        .where('object_id', '=', objectId)
        .orderBy('id')
        .execute();
      return rows.map((r) => r.action);
    },
  };
}

/** A multipart body with the CSRF token first and one PDF part named file. */
export function multipartPdf(token: string, pdf: Buffer): { payload: Buffer; contentType: string } {
  const boundary = `----yw${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="licence.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}
