#!/usr/bin/env node
// Runs the test suites with Node's own test runner (through tsx for TypeScript).
//   unit: every *.test.ts(x) beside the code in src/ and the cross-module tests in test/ (not test/e2e)
//   e2e:  test/e2e/*.test.ts in Debian's Chromium
// Node 20's --test takes no globs, so the files are found here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const suite = process.argv[2] ?? 'unit';
const extra = process.argv.slice(3);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const files =
  suite === 'e2e'
    ? walk('test/e2e')
    : [...walk('src'), ...walk('test').filter((f) => !f.startsWith(path.join('test', 'e2e')))];
const selected = extra.length ? files.filter((f) => extra.some((e) => f.includes(e))) : files;
if (selected.length === 0) {
  console.error(`no test files for ${suite} ${extra.join(' ')}`);
  process.exit(1);
}
const concurrency = suite === 'e2e' ? '1' : '2';
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    ...selected.sort(),
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
