import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { testConfig } from '../../../test/support/app.ts';
import { createHttpServer, type Problem } from '../../kernel/http/index.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { errorPage, PortalLayout } from '../../portal/index.tsx';
import { identifierRoutes } from './identifiers.routes.ts';

/** The HTTP kernel (language, problem+json, validation, micro-cache) with only this route; no database. */
async function server(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await createHttpServer({
    config: testConfig(env),
    version: 'test',
    siteFor: async () => ({
      tenantId: '330000',
      name: 'test',
      siteIdCode: '',
      icpNumber: '',
      policeFiling: '',
      sponsor: '',
      address: '',
      phone: '',
      email: '',
    }),
    layouts: { portal: PortalLayout, workbench: PortalLayout },
    readiness: async () => [],
    errorPage,
  });
  await identifierRoutes(app);
  await app.ready();
  return app;
}

const url = (type: string, value: string, extra = '') =>
  `/api/v1/identifiers/check?type=${type}&value=${encodeURIComponent(value)}${extra}`;

function problem(res: LightMyRequestResponse, field: string): Problem {
  assert.equal(res.statusCode, 400, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const p = res.json<Problem>();
  assert.equal(p.code, 'errors.invalid_input');
  assert.ok(
    p.errors?.some((e) => e.field === field),
    `no error for ${field} in ${res.body}`,
  );
  return p;
}

describe('identifier check API', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await server();
  });
  after(() => app.close());
  const get = (path: string, headers: Record<string, string> = {}) => app.inject({ url: path, headers });

  it('describes a valid citizen identity number, masked for display', async () => {
    const res = await get(url('citizen-id', '11010519491231002x'));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      type: 'citizen-id',
      valid: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
      masked: '110105********002X',
    });
  });

  it('describes a valid unified social credit code', async () => {
    const res = await get(url('credit-code', '91110108551385082q'));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      type: 'credit-code',
      valid: true,
      normalized: '91110108551385082Q',
      authority: '9',
      organizationType: '1',
      regionCode: '110108',
      organizationCode: '55138508-2',
    });
  });

  it('answers an invalid identifier with 200, valid:false, the reason and a message in zh-CN', async () => {
    const zh = translator('zh-CN');
    const id = await get(url('citizen-id', '110105194912310021'));
    assert.equal(id.statusCode, 200);
    assert.deepEqual(id.json(), {
      type: 'citizen-id',
      valid: false,
      reason: 'identifiers.citizen_id.check_character',
      message: zh('identifiers.citizen_id.check_character'),
    });
    const code = await get(url('credit-code', '9111010855138508'));
    assert.deepEqual(code.json(), {
      type: 'credit-code',
      valid: false,
      reason: 'identifiers.credit_code.length',
      message: zh('identifiers.credit_code.length'),
    });
    assert.match(code.json<{ message: string }>().message, /18 位/);
  });

  it("gives the message in the caller's language", async () => {
    const byHeader = await get(url('citizen-id', '1101'), { 'accept-language': 'en-GB,en;q=0.9' });
    assert.equal(
      byHeader.json<{ message: string }>().message,
      translator('en')('identifiers.citizen_id.length'),
    );
    assert.match(byHeader.json<{ message: string }>().message, /18 characters/);
    const byQuery = await get(url('credit-code', '9111010855138508I2', '&lang=en'));
    assert.equal(byQuery.json<{ reason: string }>().reason, 'identifiers.credit_code.characters');
    assert.match(byQuery.json<{ message: string }>().message, /I, O, Z, S and V/);
  });

  it('accepts an empty value as a check that fails', async () => {
    const res = await get(url('citizen-id', ''));
    assert.equal(res.statusCode, 200);
    assert.equal(res.json<{ reason: string }>().reason, 'identifiers.citizen_id.length');
  });

  it('refuses a missing or unknown type, a missing value and an over-long one with problem+json', async () => {
    problem(await get('/api/v1/identifiers/check?value=11010519491231002X'), 'type');
    problem(await get(url('passport', 'E12345678')), 'type');
    problem(await get('/api/v1/identifiers/check?type=citizen-id'), 'value');
    const long = problem(await get(url('credit-code', '9'.repeat(41))), 'value');
    assert.equal(long.errors?.find((e) => e.field === 'value')?.code, 'errors.field_length');
  });

  it('is documented in the OpenAPI description under the identifiers tag', async () => {
    const doc = (await get('/api/openapi.json')).json<{
      paths: Record<string, { get?: { tags?: string[]; summary?: string } }>;
    }>();
    const op = doc.paths['/api/v1/identifiers/check']?.get;
    assert.deepEqual(op?.tags, ['identifiers']);
    assert.ok(op?.summary);
  });
});

describe('identifier check API with the micro-cache on', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await server({ PUBLIC_CACHE_SECONDS: '10' });
  });
  after(() => app.close());

  it('never keeps a checked ID number in the cache', async () => {
    await app.inject({ url: url('citizen-id', '11010519491231002X') });
    const again = await app.inject({ url: url('citizen-id', '11010519491231002X') });
    assert.equal(again.headers['x-cache'], undefined);
  });

  it('checks an identifier sent in the body, keeping it out of the URL', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/identifiers/check',
      payload: { type: 'credit-code', value: '91110108551385082q' },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      [res.json().valid, res.json().normalized, res.json().organizationCode],
      [true, '91110108551385082Q', '55138508-2'],
    );
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/identifiers/check',
      payload: { type: 'passport', value: 'x' },
    });
    assert.equal(bad.statusCode, 400);
  });
});
