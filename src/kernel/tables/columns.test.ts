import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headerMatchKey, toHalfWidth } from './columns.ts';
import { defineColumns } from './index.ts';

describe('toHalfWidth and headerMatchKey', () => {
  it('turn full-width ASCII and the ideographic space half-width, and leave Chinese alone', () => {
    assert.equal(toHalfWidth('ＡＢ１２，。　事项'), 'AB12,。 事项');
    assert.equal(headerMatchKey(' ＊事项 名称* '), '事项名称');
    assert.equal(headerMatchKey('Item  NAME'), 'itemname');
  });
});

describe('defineColumns', () => {
  it('refuses a spec with a key or header used twice, or an enum label meaning two codes', () => {
    const h = (zh: string, en: string) => ({ 'zh-CN': zh, en });
    assert.throws(
      () =>
        defineColumns([
          { key: 'a', header: h('甲', 'A'), kind: 'text' },
          { key: 'a', header: h('乙', 'B'), kind: 'text' },
        ]),
      /key a/,
    );
    assert.throws(
      () =>
        defineColumns([
          { key: 'a', header: h('甲', 'A'), kind: 'text' },
          { key: 'b', header: h('乙', 'a'), kind: 'text' },
        ]),
      /header/,
    );
    const options = [
      { code: 'x', label: h('是', 'X') },
      { code: 'y', label: h('否', 'x') },
    ];
    assert.throws(
      () => defineColumns([{ key: 'a', header: h('甲', 'A'), kind: 'enum', options }]),
      /both x and y/,
    );
  });
});
