import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlToText, sanitizeRichText } from './index.ts';
import { WORD_NOTICE } from './sample-bodies.ts';

describe('htmlToText', () => {
  it('gives a notice one line per paragraph, list item and table row, cells split by tabs', () => {
    assert.equal(
      htmlToText(sanitizeRichText(WORD_NOTICE).html),
      [
        '关于做好2024年度行政许可事项清单动态调整工作的通知',
        '各乡镇人民政府、街道办事处，县直各单位：',
        '根据《国务院办公厅关于全面实行行政许可事项清单管理的通知》要求，现将有关事项通知如下：',
        '一、工作内容',
        '梳理本部门实施的行政许可事项；',
        '填写《事项调整申请表》（见附件1）。',
        '表1 调整事项',
        '序号\t事项名称\t实施机关',
        '1\t食品经营许可\t县市场监督管理局',
        '2\t药品零售企业许可',
        '（一）请于3月31日前报送。',
        '办理流程图',
        '联系人：张三',
        '电话：0571-88888888',
        '邮箱：xzsp@example.gov.cn',
        '某某县人民政府办公室',
        '2024年3月5日',
      ].join('\n'),
    );
  });

  it('keeps a cell on its row when the cell holds paragraphs or lists', () => {
    assert.equal(
      htmlToText(
        '<table><tr><td>1</td><td><p>县财政局</p><p>县税务局</p></td><td><ul><li>甲</li><li>乙</li></ul></td></tr></table>',
      ),
      '1\t县财政局 县税务局\t甲 乙',
    );
  });

  it('decodes entities and collapses white space, full-width and no-break spaces too', () => {
    assert.equal(
      htmlToText('<p>　　根据《条例》&lt;第三条&gt;&amp;&quot;规定&quot;，&nbsp;&nbsp;特此通知。\u200b</p>'),
      '根据《条例》<第三条>&"规定"， 特此通知。',
    );
  });

  it('joins Chinese broken across source lines, and keeps a space between other words', () => {
    assert.equal(htmlToText('<p>第一条\n   规定\nIn English\nwords</p>'), '第一条规定 In English words');
    assert.equal(htmlToText('<p>关于开展\n2024年度检查</p>'), '关于开展 2024年度检查');
  });

  it('turns br into a line break and keeps the lines of pre', () => {
    assert.equal(
      htmlToText('<p>某某县人民政府<br>2024年3月5日</p><pre>第一行\n  第二行</pre>'),
      '某某县人民政府\n2024年3月5日\n第一行\n第二行',
    );
  });

  it('reads an image as its alt text', () => {
    assert.equal(
      htmlToText('<p>流程见<img src="/files/a.png" alt="办理流程图">。</p><img src="/files/b.png">'),
      '流程见办理流程图。',
    );
    assert.equal(
      htmlToText('<p>see<img src="/files/a.png" alt="the chart">below</p>'),
      'see the chart below',
    );
  });

  it('gives nothing of script, style or other hidden content, on unsanitised input too', () => {
    assert.equal(
      htmlToText(
        '<head><title>标题</title><style>p{}</style></head><p>正文</p><script>alert("x")</script><svg><text>图</text></svg><!-- 注释 -->',
      ),
      '正文',
    );
    assert.equal(htmlToText(''), '');
  });
});
