import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTerm, createSegmenter, MAX_QUERY_CHARS } from './index.ts';
import { SAMPLE_GUIDES } from './sample-guides.ts';

const segmenter = createSegmenter();

describe('indexTokens', () => {
  it('keeps a long word and the words inside it', () => {
    assert.deepEqual(segmenter.indexTokens('个体工商户'), ['个体', '工商', '商户', '工商户', '个体工商户']);
  });

  it('keeps a government term whole that jieba alone would split', () => {
    assert.ok(segmenter.indexTokens('申请最低生活保障的条件').includes('最低生活保障'));
  });

  it('drops punctuation and single characters, folds width and case', () => {
    assert.deepEqual(segmenter.indexTokens('在ＡＢＣ１２３、Covid-19 和 X 的“政务服务”。'), [
      'abc123',
      'covid',
      '19',
      '政务',
      '服务',
    ]);
  });

  it('drops a run too long to be a word', () => {
    assert.deepEqual(segmenter.indexTokens(`附件 ${'a'.repeat(65)} 下载`), ['附件', '下载']);
  });
});

describe('queryWords', () => {
  it('drops the words around a question', () => {
    assert.deepEqual(segmenter.queryWords('请问怎么办理营业执照？'), ['营业执照']);
  });

  it('keeps filler words when nothing else is left', () => {
    assert.deepEqual(segmenter.queryWords('如何办理'), ['如何', '办理']);
  });

  it('reads at most MAX_QUERY_CHARS characters', () => {
    const words = segmenter.queryWords(`${'税'.repeat(MAX_QUERY_CHARS - 2)}社保医保`);
    assert.ok(words.includes('社保'));
    assert.ok(!words.includes('医保'));
  });
});

describe('site terms', () => {
  it('makes a term unknown to the dictionary one token, at once, and can take it out again', (t) => {
    const own = createSegmenter();
    assert.ok(!own.indexTokens('在甬易办上申请').includes('甬易办'));

    let started = performance.now();
    own.setSiteTerms(['甬易办', ' ＶＩＰ通道 ', '办', 'a b']);
    const merge = performance.now() - started;
    assert.deepEqual(own.siteTerms, ['甬易办', 'vip通道']);
    assert.ok(own.indexTokens('在甬易办上申请').includes('甬易办'));
    assert.deepEqual(own.queryWords('甬易办'), ['甬易办']);

    started = performance.now();
    own.setSiteTerms(['vip通道']);
    const rebuild = performance.now() - started;
    assert.ok(!own.indexTokens('在甬易办上申请').includes('甬易办'));
    assert.ok(own.indexTokens('最低生活保障').includes('最低生活保障'), 'built-in terms survive a rebuild');
    t.diagnostic(`adding terms ${merge.toFixed(2)} ms, removing one (rebuild) ${rebuild.toFixed(0)} ms`);
  });

  it('are created with the segmenter', () => {
    assert.ok(
      createSegmenter({ terms: ['甬易办'] })
        .indexTokens('甬易办')
        .includes('甬易办'),
    );
  });
});

describe('checkTerm', () => {
  it('normalises a valid term', () => {
    assert.deepEqual(checkTerm(' 浙里办ＡＰＰ '), { valid: true, term: '浙里办app' });
  });
  it('refuses a single character, an overlong term and punctuation or spaces', () => {
    assert.deepEqual(checkTerm('办'), { valid: false, reason: 'search.term.length' });
    assert.deepEqual(checkTerm('办'.repeat(33)), { valid: false, reason: 'search.term.length' });
    assert.deepEqual(checkTerm('一网 通办'), { valid: false, reason: 'search.term.characters' });
    assert.deepEqual(checkTerm('一网\n通办 100'), { valid: false, reason: 'search.term.characters' });
  });
});

describe('throughput', () => {
  it('segments the sample guides', (t) => {
    const text = SAMPLE_GUIDES.map((g) => `${g.title}。${g.body}`).join('');
    const rounds = 200;
    const started = performance.now();
    let tokens = 0;
    for (let i = 0; i < rounds; i++) tokens += segmenter.indexTokens(text).length;
    const seconds = (performance.now() - started) / 1000;
    assert.ok(tokens > 0);
    t.diagnostic(`${Math.round((text.length * rounds) / seconds / 1000)} thousand chars/s (indexTokens)`);
  });
});
