import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lengthOf, maskedName, maskPersonalData, plainText } from './index.ts';

describe('plainText', () => {
  it('removes tags, scripts and comments, keeping the line breaks they made', () => {
    assert.equal(
      plainText('<p>请问<b>低保</b>怎么办？</p><script>alert(1)</script><!-- x --><div>谢谢<br/>张</div>'),
      '请问低保怎么办？\n谢谢\n张',
    );
  });

  it('decodes entities once, and an encoded tag does not come back as a tag', () => {
    assert.equal(
      plainText('A &amp; B &lt;b&gt;粗&lt;/b&gt; &#20320;&#x597D; &amp;lt;'),
      'A & B 粗 你好 &lt;',
    );
  });

  it('leaves comparisons alone: only a letter after < starts a tag', () => {
    assert.equal(plainText('家庭月收入<3000元且>1000元，a < b'), '家庭月收入<3000元且>1000元，a < b');
  });

  it('drops control characters, trims lines and collapses runs of blank lines', () => {
    assert.equal(plainText('  第一行 \t\r\n\r\n\r\n\r\n第二\u0000行\u200b  '), '第一行\n\n第二行');
  });

  it('counts characters as people do', () => {
    assert.equal(lengthOf('低保😀'), 3);
  });
});

describe('masking for the guide page', () => {
  it('keeps only the first character of a name, whatever its length', () => {
    assert.equal(maskedName('张演示'), '张**');
    assert.equal(maskedName('欧阳娜娜'), '欧**');
    assert.equal(maskedName('一网演示科技有限公司'), '一**');
  });

  it('masks ID, card and mobile numbers and e-mail addresses, not office telephones', () => {
    assert.equal(
      maskPersonalData(
        '身份证33010619900101123X，卡号6222021234567890123，手机 138-0013-8000 或+8613900139000，邮箱 zhang.san@example.com，办公室0571-87960101',
      ),
      '身份证3301**********123X，卡号6222***********0123，手机 138****8000 或139****9000，邮箱 z***@example.com，办公室0571-87960101',
    );
  });

  it('leaves ordinary numbers alone', () => {
    assert.equal(
      maskPersonalData('2026年3月，3000元，编号 11330106002'),
      '2026年3月，3000元，编号 11330106002',
    );
  });
});
