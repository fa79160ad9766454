import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { renderSchemaTypes, SCHEMA_FILE } from '../scripts/generate-db-types.ts';
import { OPENAPI_FILE, renderOpenApi } from '../scripts/write-openapi.ts';
import { createTestApp, type TestApp } from './support/app.ts';

describe('committed generated files', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ seed: false });
  });
  after(() => t.drop());

  it('docs/openapi.json matches the routes (run `npm run openapi:write` after an API change)', () => {
    assert.equal(readFileSync(OPENAPI_FILE, 'utf8'), renderOpenApi(t.app.swagger()));
  });

  it('the Kysely schema types match the migrated database (run `npm run db:types` after a migration)', async () => {
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), await renderSchemaTypes(t.db));
  });

  it('documents every API operation with a summary and a response schema', () => {
    const spec = t.app.swagger() as {
      openapi: string;
      paths: Record<string, Record<string, { summary?: string; responses?: object }>>;
    };
    assert.equal(spec.openapi, '3.1.0');
    const operations = Object.entries(spec.paths).flatMap(([p, ms]) =>
      Object.entries(ms).map(([m, op]) => ({ p, m, op })),
    );
    assert.ok(operations.length >= 10);
    for (const { p, m, op } of operations) {
      assert.ok(p.startsWith('/api/v1/'), `${p} is under /api/v1`);
      assert.ok(op.summary, `${m} ${p} has a summary`);
      assert.ok(op.responses && Object.keys(op.responses).length > 0, `${m} ${p} declares responses`);
    }
  });
});
