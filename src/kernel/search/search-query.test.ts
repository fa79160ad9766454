import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { quoteLexeme } from './index-text.ts';
import { createSegmenter } from './index.ts';

const segmenter = createSegmenter();
// What the tsquery text may consist of: quoted letters and digits, prefix marks, & | ( ).
const TSQUERY_GRAMMAR = /^(?:'[\p{L}\p{N}]+'(?::\*)?|[&|()]| )+$/u;

describe('searchQuery', () => {
  it('ORs a word with its synonyms', () => {
    assert.deepEqual(segmenter.searchQuery('低保'), {
      tsquery: "( '低保' | '最低生活保障' )",
      terms: ['低保', '最低生活保障'],
    });
  });

  it('ANDs the words, each also matching as all of its parts', () => {
    assert.equal(
      segmenter.searchQuery('公租房 设立登记').tsquery,
      "( '公租房' | '公共租赁住房' ) & ( '设立登记' | ( '设立' & '登记' ) )",
    );
  });

  it('matches Latin letters and digits as prefixes', () => {
    assert.equal(segmenter.searchQuery('App 12345').tsquery, "'app':* & '12345':*");
  });

  it('gives no tsquery for empty input, punctuation or single characters', () => {
    for (const input of ['', '   ', '！？。…', "'&|!:*()", '的', 'a b c'])
      assert.deepEqual(segmenter.searchQuery(input), { tsquery: null, terms: [] }, input);
  });

  it('turns hostile input into quoted letters and digits only', () => {
    const hostile = [
      "'; drop table guide; --",
      "低保' | '",
      '低保 & !社保 | (公积金:*)',
      "\\'\\\\ 低保",
      '\u0000低保\ud800',
      '低保 '.repeat(100_000),
    ];
    for (const input of hostile) {
      const { tsquery, terms } = segmenter.searchQuery(input);
      assert.match(tsquery!, TSQUERY_GRAMMAR, input.slice(0, 40));
      for (const term of terms) assert.match(term, /^[\p{L}\p{N}]+$/u);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (input) => {
        const { tsquery } = segmenter.searchQuery(input);
        return tsquery === null || TSQUERY_GRAMMAR.test(tsquery);
      }),
    );
  });
});

describe('indexText', () => {
  it('numbers tokens on across fields and labels each position with its field weight', () => {
    assert.equal(
      segmenter.indexText([
        { text: '营业执照', weight: 'A' },
        { text: '核发营业执照', weight: 'D' },
      ]),
      "'营业':1A,5D '执照':2A,6D '营业执照':3A,7D '核发':4D",
    );
  });

  it('is empty for a document without words', () => {
    assert.equal(segmenter.indexText([{ text: '。。', weight: 'A' }]), '');
  });
});

describe('quoteLexeme', () => {
  it('doubles quotes and backslashes', () => {
    assert.equal(quoteLexeme("it's\\"), "'it''s\\\\'");
  });
});
