import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFIG_VARIABLES } from '../src/kernel/config/index.ts';

describe('README', () => {
  const readme = readFileSync('README.md', 'utf8');
  it('documents every configuration variable', () => {
    for (const [name] of CONFIG_VARIABLES) assert.ok(readme.includes(`| \`${name}\` |`), name);
  });
  it('gives the two commands', () => {
    assert.ok(readme.includes('npm ci && npm start'));
    assert.ok(readme.includes('npm test'));
  });
});
