/**
 * Writes docs/openapi.json from the route schemas. CI compares the committed copy with a fresh one
 * (test/openapi.test.ts), so every API change shows up in review as a diff of this file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/kernel/config/paths.ts';
import { createTestApp } from '../test/support/app.ts';

export const OPENAPI_FILE = path.join(projectRoot, 'docs/openapi.json');

export function renderOpenApi(spec: unknown): string {
  return JSON.stringify(spec, null, 2) + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t = await createTestApp({ seed: false });
  writeFileSync(OPENAPI_FILE, renderOpenApi(t.app.swagger()));
  await t.drop();
  console.log(`wrote ${path.relative(projectRoot, OPENAPI_FILE)}`);
}
