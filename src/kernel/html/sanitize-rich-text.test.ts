import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import sanitizeHtml from 'sanitize-html';
import { type Removal, sanitizeRichText } from './index.ts';
import { ALLOWED_ATTRIBUTES } from './rich-text-policy.ts';
import { WORD_NOTICE } from './sample-bodies.ts';

/** [what, input, what the report must name] — after the OWASP XSS filter evasion cheat sheet. */
const VECTORS: [string, string, string[]][] = [
  ['script', '<p>a</p><script>alert(1)</script><script>alert(2)</script>', ['element script']],
  ['external script, upper case', '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>', ['element script']],
  ['unclosed script', '<p>ok</p><script>alert(1)', ['element script']],
  ['img onerror', '<img src=x onerror=alert(1)>', ['attribute onerror']],
  ['onerror on a kept image', '<img src="/files/a.png" alt="图" onerror="alert(1)">', ['attribute onerror']],
  ['img javascript:', `<IMG SRC="javascript:alert('XSS');">`, ['url javascript:']],
  ['mixed case scheme', `<IMG SRC=JaVaScRiPt:alert('XSS')>`, ['url javascript:']],
  ['a mixed case scheme', '<a href="JaVaScRiPt:alert(1)">x</a>', ['url javascript:']],
  ['entity tab in scheme', '<a href="jav&#x09;ascript:alert(1)">x</a>', ['url javascript:']],
  ['entity newline in scheme', '<a href="jav&#x0A;ascript:alert(1)">x</a>', ['url javascript:']],
  ['raw tab in scheme', '<a href="jav\tascript:alert(1)">x</a>', ['url javascript:']],
  [
    'decimal entities',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    ['url javascript:'],
  ],
  [
    'hex entities without semicolons',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    ['url javascript:'],
  ],
  ['named entity colon', '<a href="javascript&colon;alert(1)">x</a>', ['url javascript:']],
  ['leading spaces and control entity', '<a href=" &#14;  javascript:alert(1)">x</a>', ['url javascript:']],
  ['raw control character before the scheme', '<a href="\x01javascript:alert(1)">x</a>', ['url javascript:']],
  ['null byte in scheme', '<a href="java\0script:alert(1)">x</a>', ['url javascript:']],
  ['vbscript', '<a href="vbscript:msgbox(1)">x</a>', ['url vbscript:']],
  ['data: html', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', ['url data:']],
  ['data: image', '<img src="data:image/png;base64,iVBORw0KGgo=" alt="x">', ['url data:']],
  ['protocol-relative link', '<a href="//evil.example/">x</a>', ['url //evil.example/']],
  ['backslash host', '<a href="/\\evil.example/">x</a>', ['url /\\evil.example/']],
  [
    'user name disguise',
    '<a href="https://www.gov.cn@evil.example/">x</a>',
    ['url https://www.gov.cn@evil.example/'],
  ],
  ['svg onload', '<svg onload=alert(1)>', ['element svg']],
  ['script inside svg', '<svg><script>alert(1)</script></svg><p>after</p>', ['element svg']],
  ['svg xlink', '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', ['element svg']],
  ['xlink:href outside svg', '<a xlink:href="javascript:alert(1)">x</a>', ['url javascript:']],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>', ['element iframe']],
  ['iframe javascript:', '<iframe src="javascript:alert(1)"></iframe>', ['element iframe']],
  ['math', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', ['element math']],
  ['style @import', `<style>@import 'https://xss.example/x.css';</style><p>x</p>`, ['element style']],
  ['css url(javascript:)', '<div style="background:url(javascript:alert(1))">x</div>', ['attribute style']],
  ['css expression', '<div style="width: expression(alert(1))">x</div>', ['attribute style']],
  [
    'css expression split by a comment',
    '<p style="width: ex/**/pression(alert(1))">x</p>',
    ['attribute style'],
  ],
  [
    'css escape',
    '<p style="background-image: url(&quot;java\\09script:alert(1)&quot;)">p</p>',
    ['attribute style'],
  ],
  ['css behavior', '<p style="behavior: url(xss.htc)">x</p>', ['attribute style']],
  [
    'css -moz-binding',
    '<p style="-moz-binding:url(https://x.example/xss.xml#xss)">x</p>',
    ['attribute style'],
  ],
  ['base href', '<base href="javascript:alert(1)//"><a href="/x">x</a>', ['element base']],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', ['element meta']],
  ['link stylesheet', '<link rel=stylesheet href="javascript:alert(1)">', ['element link']],
  [
    'form action',
    '<form action="javascript:alert(1)"><input type=submit value=提交></form>',
    ['element form'],
  ],
  ['button formaction', '<button formaction="javascript:alert(1)">x</button>', ['element button']],
  ['object data', '<object data="javascript:alert(1)"></object>', ['element object']],
  ['embed', '<embed src="javascript:alert(1)">', ['element embed']],
  ['video source onerror', '<video><source onerror="alert(1)"></video>', ['element video']],
  [
    'noscript breakout',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    ['element noscript'],
  ],
  ['textarea breakout', '<textarea><script>alert(1)</script></textarea>ok', ['element textarea']],
  ['template', '<template><script>alert(1)</script></template>', ['element template']],
  ['plaintext', '<plaintext><script>alert(1)</script>', ['element plaintext']],
  ['body onload', '<body onload=alert(1)><p>x</p></body>', ['attribute onload']],
  ['p onmouseover', '<p onmouseover="alert(1)">x</p>', ['attribute onmouseover']],
  ['onclick on a good link', '<a href="https://ok.example/" onclick="alert(1)">x</a>', ['attribute onclick']],
  ['details ontoggle', '<details open ontoggle=alert(1)>d</details>', ['attribute ontoggle']],
  ['unknown element', '<x-widget onclick=alert(1)>x</x-widget>', ['attribute onclick']],
  ['isindex action', '<isindex action=javascript:alert(1) type=image>', ['attribute action']],
  [
    'table background',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    ['url javascript:'],
  ],
  ['srcset', '<img srcset="javascript:alert(1) 1x">', ['url javascript:']],
  ['double open bracket', '<<script>script>alert(1)</script>', ['element script']],
  ['script glued to img', '<script<img src=x onerror=alert(1)>', ['attribute onerror']],
  ['null byte in tag name', '<scr\0ipt>alert(1)</scr\0ipt>', ['element script']],
  ['null byte in attribute name', '<img src=x one\0rror=alert(1)>', ['attribute onerror']],
  ['comment hiding a script tag', '<!--<script>--><script>alert(1)</script>', ['element script']],
  ['comment inside an attribute', '<!--<img src="--><img src=x onerror=alert(1)//">', ['attribute onerror']],
  ['unclosed link', '<p><a href="javascript:alert(1)">x', ['url javascript:']],
  [
    'nested script in formatting',
    '<font color=red><center><script>alert(1)</script></center></font>',
    ['element script'],
  ],
  [
    'script in a pasted head',
    '<html><head><title>t</title><script>alert(1)</script></head><body>b</body></html>',
    ['element script'],
  ],
];

/** Tricks with nothing left to run: inert output, and nothing to report. */
const INERT: [string, string][] = [
  ['commented-out script', '<!--<script>alert(1)</script>-->'],
  ['conditional comment', '<!--[if IE]><script>alert(1)</script><![endif]-->'],
  ['broken tag name', '<scr<script>ipt>alert(1)</script>'],
  ['unterminated tag', '<img src=x onerror=alert(1)'],
  ['escaped markup', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['angle brackets in text', '<p>1 < 2 && 3 > 2</p>'],
];

/** Every tag and attribute in the output is on the allowlist, with a value that cannot run. */
function assertInert(html: string): void {
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    onOpenTag: (tag, attribs) => {
      const allowed = ALLOWED_ATTRIBUTES[tag];
      assert.ok(allowed, `element <${tag}> in ${html}`);
      for (const [name, value] of Object.entries(attribs)) {
        assert.ok(allowed.includes(name), `attribute ${name} on <${tag}> in ${html}`);
        if (name === 'href') assert.match(value, /^(https?:|mailto:|tel:|\/(?![/\\])|#)/i, html);
        if (name === 'src') assert.match(value, /^(https?:|\/files\/)/i, html);
        if (name === 'style') assert.match(value, /^text-align:(left|right|center|justify)$/, html);
      }
    },
  });
  for (const tag of html.match(/<[^>]*>/g) ?? []) {
    assert.doesNotMatch(tag, /javascript:|vbscript:|data:|expression\(|\son\w+\s*=|srcdoc|formaction/i, html);
  }
  assert.doesNotMatch(html, /<\s*(script|style|iframe|svg|math|object|embed|form|base|meta|link)/i, html);
}

function assertIdempotent(html: string): void {
  const again = sanitizeRichText(html);
  assert.equal(again.html, html);
  assert.deepEqual(again.removed, []);
}

const named = (removed: Removal[]) => removed.map((r) => `${r.kind} ${r.name}`);

describe('sanitizeRichText', () => {
  for (const [what, input, report] of VECTORS) {
    it(`removes and reports: ${what}`, () => {
      const { html, removed } = sanitizeRichText(input);
      assertInert(html);
      for (const entry of report)
        assert.ok(named(removed).includes(entry), `${entry} in ${JSON.stringify(removed)}`);
      assertIdempotent(html);
    });
  }

  for (const [what, input] of INERT) {
    it(`leaves nothing to run: ${what}`, () => {
      const { html, removed } = sanitizeRichText(input);
      assertInert(html);
      assert.deepEqual(removed, []);
      assertIdempotent(html);
    });
  }

  it('counts repeats once per name, in the order first seen', () => {
    const { removed } = sanitizeRichText(
      '<script>1</script><p onclick="a()" onmouseover="b()">x</p><script>2</script><a href="javascript:c()">y</a>' +
        '<p onclick="d()">z</p>',
    );
    assert.deepEqual(removed, [
      { kind: 'element', name: 'script', count: 2 },
      { kind: 'attribute', name: 'onclick', count: 2 },
      { kind: 'attribute', name: 'onmouseover', count: 1 },
      { kind: 'url', name: 'javascript:', count: 1 },
    ]);
  });

  it('names the outermost element dropped, not what was inside it', () => {
    const { removed } = sanitizeRichText('<form><input onfocus=alert(1) autofocus><script>x</script></form>');
    assert.deepEqual(named(removed), ['element form']);
  });

  it('keeps the structure of a notice pasted from Word, and reports nothing', () => {
    const { html, removed } = sanitizeRichText(WORD_NOTICE);
    assert.deepEqual(removed, []);
    assert.equal(
      html.trim(),
      [
        '<h2 style="text-align:center">关于做好2024年度行政许可事项清单动态调整工作的通知</h2>',
        '<p>各乡镇人民政府、街道办事处，县直各单位：</p>',
        '<p>根据《<a href="https://www.gov.cn/zhengce/content/2022-01/30/content_5671234.htm" target="_blank" rel="noopener noreferrer">国务院办公厅关于全面实行行政许可事项清单管理的通知</a>》要求，现将有关事项通知如下：</p>',
        '<h2>一、工作内容</h2>',
        '<ol><li>梳理本部门实施的行政许可事项；</li><li>填写<b>《事项调整申请表》</b>（见<a href="/files/ab12cd34.xlsx">附件1</a>）。</li></ol>',
        '<table>',
        ' <caption>表1　调整事项</caption>',
        ' <thead><tr><th scope="col">序号</th><th scope="col">事项名称</th><th scope="col">实施机关</th></tr></thead>',
        ' <tbody><tr><td>1</td><td>食品经营许可</td><td rowspan="2" style="text-align:center">县市场监督管理局</td></tr>',
        ' <tr><td>2</td><td>药品零售企业许可</td></tr></tbody>',
        '</table>',
        '<p>（一）请于3月31日前报送。</p>',
        '<p><img src="/files/9f86d081.png" alt="办理流程图" width="600" height="400" /></p>',
        '<ul><li>联系人：张三</li><li>电话：<a href="tel:0571-88888888">0571-88888888</a></li><li>邮箱：<a href="mailto:xzsp@example.gov.cn">xzsp@example.gov.cn</a></li></ul>',
        '<p style="text-align:right">某某县人民政府办公室<br />2024年3月5日</p>',
      ].join('\n'),
    );
    assertIdempotent(html);
  });

  it('keeps every element of the allowlist', () => {
    const body =
      '<h2>h</h2><h3>h</h3><h4>h</h4><h5>h</h5><h6>h</h6><p>p<br />x</p><hr />' +
      '<p><strong>s</strong><b>b</b><em>e</em><i>i</i><u>u</u><s>s</s><del>d</del><ins>n</ins>H<sub>2</sub>O m<sup>2</sup></p>' +
      '<blockquote><p>q</p></blockquote><pre><code>x = 1\n  y</code></pre>' +
      '<ul><li>a</li></ul><ol start="3" type="a"><li>b</li></ol><dl><dt>t</dt><dd>d</dd></dl>' +
      '<table><caption>c</caption><colgroup span="2"><col span="1" /></colgroup><thead><tr><th colspan="2" scope="row">h</th></tr></thead>' +
      '<tbody><tr><td rowspan="3">d</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>' +
      '<figure><img src="https://www.example.gov.cn/a.png" alt="" title="t" /><figcaption>f</figcaption></figure>' +
      '<div style="text-align:justify">d</div>';
    const { html, removed } = sanitizeRichText(body);
    assert.equal(html, body);
    assert.deepEqual(removed, []);
  });

  it('turns h1 into h2 (the page has its own h1) and legacy blocks into div', () => {
    assert.equal(sanitizeRichText('<h1>标题</h1>').html, '<h2>标题</h2>');
    assert.equal(sanitizeRichText('<section><p>a</p></section>').html, '<div><p>a</p></div>');
    assert.equal(sanitizeRichText('<center>落款</center>').html, '<div style="text-align:center">落款</div>');
    assert.equal(sanitizeRichText('<strike>旧</strike>').html, '<s>旧</s>');
  });

  it('cleans formatting quietly: Word markup, classes, styles, unknown elements', () => {
    const { html, removed } = sanitizeRichText(
      '<p class="MsoNormal" id="x" lang="EN-US" style="mso-bidi-font-size:10.5pt;color:red;font-family:宋体">' +
        '<font face="宋体" color="red"><span style="font-size:16pt">文字</span></font><o:p>&nbsp;</o:p>' +
        '<st1:chsdate year="2024" month="3" day="5">3月5日</st1:chsdate></p>' +
        '<table border="1" cellpadding="0" width="600"><tr><td width="100" valign="top" bgcolor="#eee" colspan="0">a</td></tr></table>',
    );
    assert.equal(html, '<p>文字\u00a03月5日</p><table><tr><td>a</td></tr></table>');
    assert.deepEqual(removed, []);
  });

  it('keeps text-align and align=, and no other style', () => {
    assert.equal(
      sanitizeRichText('<p style="color:red; TEXT-ALIGN: Right !important">a</p>').html,
      '<p style="text-align:right">a</p>',
    );
    assert.equal(sanitizeRichText('<td align="center">a</td>').html, '<td style="text-align:center">a</td>');
    assert.equal(sanitizeRichText('<p style="text-align:inherit">a</p>').html, '<p>a</p>');
    assert.equal(sanitizeRichText('<span style="text-align:center">a</span>').html, 'a');
  });

  it('marks external links noopener noreferrer and keeps no target but _blank', () => {
    assert.equal(
      sanitizeRichText('<a href="https://www.gov.cn/" target="_top" rel="opener">a</a>').html,
      '<a href="https://www.gov.cn/" rel="noopener noreferrer">a</a>',
    );
    assert.equal(
      sanitizeRichText('<a href="/services/1" target="_BLANK">a</a>').html,
      '<a href="/services/1" target="_blank" rel="noopener noreferrer">a</a>',
    );
    assert.equal(
      sanitizeRichText('<a href="/services/1" rel="nofollow">a</a>').html,
      '<a href="/services/1">a</a>',
    );
    const own = sanitizeRichText('<a href="https://www.example.gov.cn/x">a</a>', {
      siteHosts: ['www.example.gov.cn'],
    });
    assert.equal(own.html, '<a href="https://www.example.gov.cn/x">a</a>');
  });

  it('keeps a link’s words when its address is refused, and drops an image without one', () => {
    const { html, removed } = sanitizeRichText(
      '<p><a href="file:///C:/通知.doc">通知</a><img src="file:///C:/Users/a/clip_image002.png" alt="图"><a name="_Toc1">目录</a></p>',
    );
    assert.equal(html, '<p>通知目录</p>');
    assert.deepEqual(removed, [{ kind: 'url', name: 'file:', count: 2 }]);
  });

  it('takes images from http(s) or the site’s files only', () => {
    assert.deepEqual(named(sanitizeRichText('<img src="/static/logo.png">').removed), [
      'url /static/logo.png',
    ]);
    assert.deepEqual(named(sanitizeRichText('<img src="images/a.png">').removed), ['url images/a.png']);
    assert.equal(
      sanitizeRichText('<img src="/uploads/a.png">', { imagePathPrefix: '/uploads/' }).html,
      '<img src="/uploads/a.png" />',
    );
    assert.equal(
      sanitizeRichText('<img src=" https://www.example.gov.cn/a.png " width="50%" height="0">').html,
      '<img src="https://www.example.gov.cn/a.png" />',
    );
  });

  it('refuses site-relative paths that are not under / for links', () => {
    assert.deepEqual(named(sanitizeRichText('<a href="page.html">a</a>').removed), ['url page.html']);
    assert.equal(sanitizeRichText('<a href="#第二条">a</a>').html, '<a href="#第二条">a</a>');
  });

  it('removes comments and leaves text escaped', () => {
    assert.equal(sanitizeRichText('<p>a<!-- b -->c &amp; &lt;d&gt;</p>').html, '<p>ac &amp; &lt;d&gt;</p>');
  });

  it('is safe and idempotent on any mix of markup fragments', () => {
    const token = fc.constantFrom(
      '<script>', '</script>', '<a href="', 'javascript:', 'jav&#x09;ascript:', '"', "'", '>', '<', '/', '=',
      '<img src=', ' onerror=', 'alert(1)', '<svg>', '</svg>', '<math>', '<!--', '-->', '<![endif]>', '<p>',
      '</p>', '<table>', '<td>', '<tr>', '<style>', '</style>', '<noscript>', '</noscript>', '<textarea>',
      '</textarea>', '<iframe>', '</iframe>', '<b>', '<h1>', ' style="', 'expression(', 'text-align:center',
      '&amp;', '&lt;', '\0', '\t', '\n', '文字', ' ', 'x', '<o:p>', '<xmp>', '</xmp>', '<a>', '</a>', '<ul>',
      '<li>', '<font>', '<span>', '<a href="/x">', '<h1>', '</h1>', '<form>', '<head>', '<center>', '<dd>',
    ); // prettier-ignore
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        const { html } = sanitizeRichText(tokens.join(''));
        assertInert(html);
        assertIdempotent(html);
      }),
      { numRuns: 2000 },
    );
  });
});
