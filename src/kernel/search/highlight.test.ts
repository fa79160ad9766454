import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { highlight, type HighlightSegment } from './index.ts';

const show = (segments: HighlightSegment[]) =>
  segments.map((s) => (s.match ? `[${s.text}]` : s.text)).join('');

describe('highlight', () => {
  it('marks every match and joins touching ones', () => {
    assert.deepEqual(highlight('申请最低生活保障应当以家庭为单位', ['生活', '保障', '家庭']), [
      { text: '申请最低', match: false },
      { text: '生活保障', match: true },
      { text: '应当以', match: false },
      { text: '家庭', match: true },
      { text: '为单位', match: false },
    ]);
  });

  it('prefers the longer of two overlapping terms', () => {
    assert.equal(show(highlight('核发营业执照', ['营业', '营业执照'])), '核发[营业执照]');
  });

  it('picks the window holding the most different terms, starting at its sentence', () => {
    const text = `公积金账户余额可以查询。${'其他说明。'.repeat(20)}职工购房时，可以提取住房公积金偿还购房贷款。${'附则。'.repeat(20)}`;
    assert.equal(
      show(highlight(text, ['公积金', '购房'], { maxLength: 30 })),
      '…职工[购房]时，可以提取住房[公积金]偿还[购房]贷款。附则。附则。附则…',
    );
  });

  it('keeps to maxLength characters plus the ellipses', () => {
    const text = `${'甲'.repeat(200)}低保${'乙'.repeat(200)}`;
    const segments = highlight(text, ['低保'], { maxLength: 40 });
    const body = show(segments).replace(/^…|…$/g, '').replace(/[[\]]/g, '');
    assert.equal(body.length, 40);
    assert.ok(segments.some((s) => s.match && s.text === '低保'));
  });

  it('shows the start of the text when nothing matches', () => {
    assert.equal(
      show(highlight('居住证申领须知。本人到派出所办理。', ['低保'], { maxLength: 8 })),
      '居住证申领须知。…',
    );
  });

  it('matches across width and case, and returns the text as written', () => {
    assert.equal(show(highlight('下载ＡＰＰ办理', ['app'])), '下载[ＡＰＰ]办理');
  });

  it('collapses whitespace and never cuts a character outside the BMP in two', () => {
    const text = `𠀀𠀀𠀀\n\n  低保 𠀀𠀀𠀀`;
    assert.equal(show(highlight(text, ['低保'])), '𠀀𠀀𠀀 [低保] 𠀀𠀀𠀀');
    for (const segment of highlight(`𠀀${'𠀀'.repeat(30)}低保`, ['低保'], { maxLength: 9 }))
      assert.ok(!/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(segment.text), segment.text);
  });

  it('treats markup in the text as text', () => {
    assert.deepEqual(highlight('<b>低保</b>', ['低保']), [
      { text: '<b>', match: false },
      { text: '低保', match: true },
      { text: '</b>', match: false },
    ]);
  });
});
