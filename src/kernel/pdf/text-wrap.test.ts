import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { wrapText } from './text-wrap.ts';

/** Ideographs 10 wide, everything else 5: enough to reason about where lines must break. */
const measure = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 10 : 5), 0);
const texts = (text: string, width: number, indent = 0) =>
  wrapText(text, width, measure, indent).map((l) => l.text);

describe('wrapText', () => {
  it('breaks Chinese between characters to fill each line', () => {
    assert.deepEqual(texts('一二三四五六七八九十', 40), ['一二三四', '五六七八', '九十']);
  });

  it('never starts a line with closing punctuation: the character before goes down with it', () => {
    assert.deepEqual(texts('一二三四，五六', 40), ['一二三', '四，五六']);
    assert.deepEqual(texts('一二三四。”五', 40), ['一二三', '四。”五']);
  });

  it('never ends a line with opening punctuation', () => {
    assert.deepEqual(texts('一二三《四五》', 40), ['一二三', '《四五》']);
  });

  it('keeps Latin words and numbers whole, breaking at spaces', () => {
    assert.deepEqual(texts('编号2025031400 是 example.com', 60), ['编号', '2025031400', '是', 'example.com']);
    assert.deepEqual(texts('see the form', 40), ['see the', 'form']);
  });

  it('cuts a word wider than the line where it must', () => {
    assert.deepEqual(texts('abcdefghij', 20), ['abcd', 'efgh', 'ij']);
  });

  it('sets in the first line of each paragraph and marks paragraph ends', () => {
    const lines = wrapText('一二三四五\n六七', 40, measure, 20);
    assert.deepEqual(
      lines.map((l) => [l.text, l.indent, l.last]),
      [
        ['一二', 20, false],
        ['三四五', 0, true],
        ['六七', 20, true],
      ],
    );
  });

  it('loses no character and overflows no line, whatever the text', () => {
    const chars = fc.constantFrom(...'中文字，。、（）《》“”abc 1.-'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 80 }), fc.integer({ min: 10, max: 120 }), (list, width) => {
        const text = list.join('');
        const lines = wrapText(text, width, measure);
        const strip = (s: string) => s.replace(/\s+/g, '');
        assert.equal(lines.map((l) => strip(l.text)).join(''), strip(text));
        for (const line of lines) assert.ok(measure(line.text) <= width, `${line.text} wider than ${width}`);
      }),
    );
  });
});
