import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMatcher, markedPieces, normalizeWord } from './matcher.ts';

describe('the sensitive-word matcher', () => {
  const m = buildMatcher(['测试敏感词', '演示', 'abc', 'bcd', '示例屏蔽']);

  it('finds every word once scanned, overlapping ones included', () => {
    assert.deepEqual(
      m.find('这是演示abcd文本').map((h) => h.word),
      ['演示', 'abc', 'bcd'],
    );
    assert.equal(m.test('一段无害的文字'), false);
    assert.equal(m.test('这里有测试敏感词'), true);
  });

  it('folds full-width and case, and skips spaces, punctuation, symbols and invisible characters between characters', () => {
    for (const text of [
      'ＡＢＣ',
      'A b C',
      'a.b-c',
      '测 试 敏 感 词',
      '测，试…敏★感\u200b词',
      '测\n试\t敏感词',
    ])
      assert.ok(m.test(text), text);
    // Letters or digits between the characters are not skipped: that is the line drawn.
    assert.equal(m.test('测x试敏感词'), false);
    assert.equal(m.test('测1试敏感词'), false);
  });

  it('gives where each occurrence is in the original text, for marking it', () => {
    const text = '前文 测 试·敏感词 后文';
    const hits = m.find(text);
    assert.equal(hits.length, 1);
    assert.equal(text.slice(hits[0]!.start, hits[0]!.end), '测 试·敏感词');
    assert.deepEqual(markedPieces(text, hits), [
      { text: '前文 ', marked: false },
      { text: '测 试·敏感词', marked: true },
      { text: ' 后文', marked: false },
    ]);
    // Overlapping occurrences are one mark; characters outside the BMP keep their offsets.
    assert.deepEqual(
      markedPieces('😀abcd', m.find('😀abcd')).map((p) => p.text),
      ['😀', 'abcd'],
    );
  });

  it('normalises a word as it stores it', () => {
    assert.equal(normalizeWord(' Ｔｅｓｔ 词·语 '), 'test词语');
  });

  it('stays fast with thousands of words', () => {
    const words = Array.from({ length: 5_000 }, (_, i) => `词${i.toString(36)}语${(i * 7919).toString(36)}`);
    const big = buildMatcher(words);
    assert.equal(big.size, 5_000);
    const text = '政府信息公开申请，'.repeat(300) + words[4_321]!;
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) assert.ok(big.test(text));
    const perText = Number(process.hrtime.bigint() - start) / 1e6 / 100;
    assert.ok(perText < 20, `${perText.toFixed(2)} ms per 2,700-character text`);
  });
});
