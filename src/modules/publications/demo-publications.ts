/**
 * The demo site's disclosure column: a few publications of 西湖区民政局 and 西湖区市场监督管理局 across
 * the catalogue, as a district's site would carry them, dated over the past weeks (so the column, its
 * feeds and the website self-check have something to read).
 */
export interface DemoPublication {
  department: string;
  category: string;
  title: string;
  docNumber: string;
  subject: string;
  /** days before today it was written and published */
  writtenDaysAgo: number;
  publishedDaysAgo: number;
  bodyHtml: string;
}

export const DEMO_PUBLICATIONS: readonly DemoPublication[] = [
  {
    department: '西湖区民政局',
    category: 'notices',
    title: '关于调整2026年度西湖区最低生活保障标准的通知',
    docNumber: '西民〔2026〕21号',
    subject: '社会保障',
    writtenDaysAgo: 12,
    publishedDaysAgo: 10,
    bodyHtml: `<p>各街道办事处、镇人民政府，区级有关单位：</p>
<p>根据省、市关于最低生活保障标准动态调整的有关规定，经区政府同意，现将2026年度我区最低生活保障标准调整事项通知如下。</p>
<h2>一、调整标准</h2>
<p>自2026年7月1日起，我区城乡居民最低生活保障标准统一调整为每人每月1280元。</p>
<table><thead><tr><th scope="col">类别</th><th scope="col">原标准（元/月）</th><th scope="col">新标准（元/月）</th></tr></thead>
<tbody><tr><td>城乡居民低保</td><td>1200</td><td>1280</td></tr><tr><td>特困人员基本生活标准</td><td>1560</td><td>1664</td></tr></tbody></table>
<h2>二、工作要求</h2>
<p>各街道、镇要及时做好新标准的宣传解释和资金发放工作，确保困难群众按时足额领取低保金。</p>
<p style="text-align: right">杭州市西湖区民政局</p>`,
  },
  {
    department: '西湖区民政局',
    category: 'policies',
    title: '西湖区临时救助实施细则',
    docNumber: '西民〔2026〕15号',
    subject: '社会保障',
    writtenDaysAgo: 40,
    publishedDaysAgo: 38,
    bodyHtml: `<h2>第一章 总则</h2>
<p>第一条 为规范临时救助工作，及时解决群众遭遇的突发性、紧迫性、临时性基本生活困难，根据《社会救助暂行办法》等规定，结合本区实际，制定本细则。</p>
<p>第二条 临时救助实行属地管理，由户籍所在地或经常居住地的街道办事处、镇人民政府受理申请。</p>
<h2>第二章 救助对象</h2>
<p>第三条 因火灾、交通事故等意外事件，或家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的家庭或个人，可以申请临时救助。</p>
<h2>第三章 申请和审批</h2>
<p>第四条 申请人可以通过“一网通办”在线申请，也可以到街道、镇便民服务中心窗口申请。情况紧急的，可以先行救助，事后补办手续。</p>`,
  },
  {
    department: '西湖区民政局',
    category: 'interpretations',
    title: '《西湖区临时救助实施细则》政策解读',
    docNumber: '',
    subject: '社会保障',
    writtenDaysAgo: 37,
    publishedDaysAgo: 37,
    bodyHtml: `<h2>一、出台背景</h2>
<p>为进一步织密兜牢困难群众基本生活安全网，区民政局在广泛征求意见的基础上制定了《西湖区临时救助实施细则》。</p>
<h2>二、主要内容</h2>
<ul><li>明确救助对象：因意外事件、突发重大疾病等导致基本生活暂时严重困难的家庭或个人。</li>
<li>简化办理流程：可在线申请，急难情形可先行救助。</li>
<li>规范救助标准：一般按月低保标准的1至6倍确定救助金额。</li></ul>
<h2>三、咨询电话</h2>
<p>西湖区民政局社会救助科：0571-87000000</p>`,
  },
  {
    department: '西湖区民政局',
    category: 'news',
    title: '区民政局开展冬季困难群众走访慰问活动',
    docNumber: '',
    subject: '社会保障',
    writtenDaysAgo: 3,
    publishedDaysAgo: 3,
    bodyHtml: `<p>近日，区民政局组织工作人员深入各街道、镇，走访慰问低保家庭、特困供养人员和困难老年人，为他们送去慰问金和御寒物资，详细了解群众的生活状况和实际困难。</p>
<p>此次走访共慰问困难家庭230余户，发放慰问金46万元。</p>`,
  },
  {
    department: '西湖区民政局',
    category: 'finance',
    title: '杭州市西湖区民政局2026年部门预算',
    docNumber: '',
    subject: '财政',
    writtenDaysAgo: 60,
    publishedDaysAgo: 58,
    bodyHtml: `<p>根据预算法和预算公开的有关规定，现将杭州市西湖区民政局2026年部门预算公开如下。</p>
<table><thead><tr><th scope="col">项目</th><th scope="col">金额（万元）</th></tr></thead>
<tbody><tr><td>一般公共预算财政拨款收入</td><td>18650.32</td></tr><tr><td>社会保障和就业支出</td><td>17320.10</td></tr><tr><td>一般公共服务支出</td><td>1330.22</td></tr></tbody></table>`,
  },
  {
    department: '西湖区民政局',
    category: 'functions',
    title: '杭州市西湖区民政局主要职责',
    docNumber: '',
    subject: '机构职能',
    writtenDaysAgo: 200,
    publishedDaysAgo: 200,
    bodyHtml: `<ol><li>贯彻执行民政工作的法律法规和方针政策，拟订全区民政事业发展规划并组织实施。</li>
<li>负责全区社会救助工作，组织实施最低生活保障、特困人员救助供养、临时救助等制度。</li>
<li>负责全区养老服务体系建设，指导养老服务机构管理工作。</li>
<li>负责社会组织登记管理和执法监察工作。</li></ol>`,
  },
  {
    department: '西湖区市场监督管理局',
    category: 'notices',
    title: '关于开展2026年度食品经营许可证延续换证工作的通告',
    docNumber: '西市监〔2026〕9号',
    subject: '市场监管',
    writtenDaysAgo: 20,
    publishedDaysAgo: 19,
    bodyHtml: `<p>我区部分食品经营许可证将于2026年12月31日到期。为保障经营者依法持证经营，现将延续换证有关事项通告如下：</p>
<p>一、需要延续的，应当在许可证有效期届满前30个工作日提出申请，可通过“一网通办”在线办理。</p>
<p>二、逾期未申请延续的，许可证到期后自行失效，不得继续从事食品经营活动。</p>`,
  },
];
