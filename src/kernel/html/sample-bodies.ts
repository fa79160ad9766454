/**
 * Bodies as publishers produce them, for tests: a notice written in Word and pasted into the editor
 * (classes, mso- styles, o:p, conditional comments, a table, lists, links, an image).
 */
export const WORD_NOTICE = `<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<h1 style="text-align:center"><span style='font-family:方正小标宋简体'>关于做好2024年度行政许可事项清单动态调整工作的通知</span></h1>
<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><span lang=EN-US style='font-size:16.0pt;font-family:仿宋_GB2312'>各乡镇人民政府、街道办事处，县直各单位：<o:p></o:p></span></p>
<p class=MsoNormal style='text-indent:32.0pt'>根据《<a href="https://www.gov.cn/zhengce/content/2022-01/30/content_5671234.htm" target="_blank">国务院办公厅关于全面实行行政许可事项清单管理的通知</a>》要求，现将有关事项通知如下：</p>
<h2 class=MsoHeading2>一、工作内容</h2>
<ol><li>梳理本部门实施的行政许可事项；</li><li>填写<b>《事项调整申请表》</b>（见<a href="/files/ab12cd34.xlsx">附件1</a>）。</li></ol>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>
 <caption>表1\u3000调整事项</caption>
 <thead><tr><th scope=col>序号</th><th scope=col>事项名称</th><th scope=col>实施机关</th></tr></thead>
 <tbody><tr><td width=60 valign=top>1</td><td>食品经营许可</td><td rowspan=2 style='text-align:center;mso-line-height-rule:exactly'>县市场监督管理局</td></tr>
 <tr><td>2</td><td>药品零售企业许可</td></tr></tbody>
</table>
<p class=MsoNormal><![if !supportLists]><span>（一）</span><![endif]>请于3月31日前报送。</p>
<p><img src="/files/9f86d081.png" alt="办理流程图" width="600" height="400" style="border:1px solid #ccc"></p>
<ul><li>联系人：张三</li><li>电话：<a href="tel:0571-88888888">0571-88888888</a></li><li>邮箱：<a href="mailto:xzsp@example.gov.cn">xzsp@example.gov.cn</a></li></ul>
<p class=MsoNormal align=right style='text-align:right'>某某县人民政府办公室<br>2024年3月5日</p>`;
