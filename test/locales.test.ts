import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { catalogFor, localeFiles } from '../src/kernel/i18n/index.ts';
import { isPermission } from '../src/kernel/policy/index.ts';

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name) && !/\.(test|store|gen)\.ts$/.test(name)) out.push(p); // stores name tables, not messages
  }
  return out;
}

describe('locale files', () => {
  const zh = catalogFor('zh-CN');
  const en = catalogFor('en');

  it('have the same files and keys in zh-CN and en', () => {
    const zhFiles = localeFiles('zh-CN');
    const enFiles = localeFiles('en');
    assert.deepEqual(Object.keys(enFiles), Object.keys(zhFiles));
    for (const [file, messages] of Object.entries(zhFiles)) {
      assert.deepEqual(Object.keys(enFiles[file] ?? {}).sort(), Object.keys(messages).sort(), file);
    }
  });

  it('have no empty message', () => {
    for (const [k, v] of [...Object.entries(zh), ...Object.entries(en)]) assert.ok(v.trim(), k);
  });

  it('keep the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(zh)) assert.deepEqual(names(en[k] ?? ''), names(zh[k]!), k);
  });

  it('hold every literal key the code uses', () => {
    const used = new Set<string>();
    // A literal counts as a key when its first part names an area that has messages.
    const areas = new Set(Object.keys(zh).map((k) => k.split('.')[0]));
    // Table names ('audit.checkpoint') look like keys too: the generated schema lists them.
    const tables = new Set(
      [...readFileSync('src/kernel/db/schema.gen.ts', 'utf8').matchAll(/^ {2}'([a-z_]+\.[a-z_]+)': /gm)].map(
        (m) => m[1]!,
      ),
    );
    for (const file of sources('src')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/['"`]([a-z_]+\.[a-z_.]+[a-z_])['"`]/g)) {
        // Permission names ('org.site.manage') and table names look like keys but are not messages.
        if (areas.has(m[1]!.split('.')[0]) && !isPermission(m[1]!) && !tables.has(m[1]!)) used.add(m[1]!);
      }
    }
    const missing = [...used].filter(
      (k) => !(k in zh) && !Object.keys(zh).some((z) => z.startsWith(`${k}.`)),
    );
    assert.deepEqual(missing, []);
  });
});
