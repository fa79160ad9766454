/**
 * For the tests of petitions over HTTP: a petition as the demo citizen would write it, and requests as
 * a browser or a script sends them — a form with its CSRF token, multipart with files.
 */
import assert from 'node:assert/strict';
import type { TestApp } from '../../../test/support/app.ts';
import { DEMO_ACCOUNTS } from '../../app.ts';
import { BOUNDARY, multipartBody, type Part } from '../../../test/support/multipart.ts';

export const PERSON = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
export const STREET = '330106002';

/** A petition about a 西湖区 housing matter, as JSON. */
export const petitionJson = (over: Record<string, unknown> = {}) => ({
  petitioner: {
    name: '张演示',
    idNumber: PERSON.idNumber,
    phone: '13800000000',
    address: '杭州市西湖区文三路1号',
  },
  matterType: 'urban_rural',
  place: STREET,
  placeDetail: '宝石山下一弄',
  matter: '小区加装电梯施工扰民',
  requests: '请求督促施工单位夜间停止施工，并公开加装电梯的审批材料。',
  facts: '自九月起，宝石山下一弄3幢加装电梯工程每天夜间施工至23时，噪声严重影响居民休息。',
  ...over,
});

/** The same petition as the page's form fields (the place picked level by level). */
export const petitionForm = (over: Record<string, string> = {}): Record<string, string> => ({
  'petitioner.name': '张演示',
  'petitioner.idNumber': PERSON.idNumber,
  'petitioner.phone': '13800000000',
  'petitioner.address': '杭州市西湖区文三路1号',
  matterType: 'urban_rural',
  'place/1': '330100',
  'place/2': '330106',
  'place/3': STREET,
  matter: '小区垃圾清运不及时',
  requests: '请求每日清运。',
  facts: '小区垃圾房三天才清运一次，夏季异味严重。',
  ...over,
});

/** A page's CSRF token and the cookie it is bound to, as a browser would have them after loading it. */
export async function csrfOf(y: TestApp, cookie: string, pageUrl: string) {
  const page = await y.app.inject({ method: 'GET', url: pageUrl, headers: { cookie, accept: 'text/html' } });
  assert.equal(page.statusCode, 200, page.body);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const csrf = page.cookies.find((c) => c.name === 'yw_csrf');
  return { token, cookie: csrf ? `${cookie}; yw_csrf=${csrf.value}` : cookie };
}

/**
 * Posts multipart: from a page's form (the token its first field, HTML back) or, with `api`, as a
 * script does (the token as X-CSRF-Token, JSON back).
 */
export async function postMultipart(
  y: TestApp,
  cookie: string,
  url: string,
  parts: readonly Part[],
  options: { api?: boolean; pageUrl?: string } = {},
) {
  const csrf = await csrfOf(y, cookie, options.pageUrl ?? '/petitions/new');
  return y.app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: csrf.cookie,
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      ...(options.api ? { 'x-csrf-token': csrf.token, accept: 'application/json' } : { accept: 'text/html' }),
    },
    payload: multipartBody(options.api ? parts : [{ name: '_csrf', content: csrf.token }, ...parts]),
  });
}
