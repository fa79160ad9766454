/**
 * Generated government publications for the publications benchmark (bench/publications.ts): notices,
 * policies and their interpretations, work news, budgets and final accounts, procurement results,
 * recruitment and appointment notices, plans — in the phrasing Chinese government portals use, put
 * together from phrase banks. Deterministic: publication `i` of seed `s` is always the same, whatever
 * else was generated before, so a run can load rows in any order or in parts (100,000, then up to
 * 1,000,000) and get the same corpus.
 *
 * What makes it realistic enough for search figures:
 * - a vocabulary with the frequency shape of real portals: words in nearly every document (工作, 推进,
 *   加强), words of a field (最低生活保障 in the civil-affairs bureaus' documents, about 1–3% of all),
 *   and a long tail — rare programmes (松材线虫病, 白蚁防治), people's and companies' names, road and
 *   project names, index numbers — many of which appear in a handful of documents;
 * - issuing bodies from a list of provincial, city and district departments (浙江省 / 杭州市 and its
 *   districts, as the demo region), each writing mostly about its own field;
 * - categories of the default catalogue (src/modules/publications/catalogue.ts) in the shares a
 *   portal has (work news and notices most, regulations and leaders' pages few);
 * - publication dates over the last YEARS years, more in recent ones; a few drafts, documents in
 *   review, scheduled and withdrawn ones, and old policies marked expired or repealed;
 * - bodies of a few hundred to a few thousand characters (log-normal lengths, by kind), as paragraphs.
 */

/** How many years back publication dates go. */
export const YEARS = 10;

export interface GeneratedPublication {
  categoryCode: string;
  title: string;
  indexNumber: string | null;
  departmentId: number;
  divisionCode: string;
  issuingBody: string;
  /** YYYY-MM-DD */
  writtenOn: string | null;
  docNumber: string;
  subject: string;
  validity: 'valid' | 'expired' | 'repealed';
  /** the body as the editor stores it (sanitised HTML: paragraphs) */
  bodyHtml: string;
  /** htmlToText(bodyHtml): one line per paragraph */
  bodyText: string;
  status: 'draft' | 'in_review' | 'published' | 'withdrawn';
  publishAt: Date | null;
  withdrawnAt: Date | null;
  withdrawalReason: string;
}

// ---------------------------------------------------------------------------------------------
// Randomness: a small seeded generator per publication

type Rng = () => number;

/** mulberry32: a 32-bit state, good enough for text and fast. */
function mulberry32(a: number): Rng {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A well-mixed 32-bit state for (seed, i), so neighbouring publications are unrelated. */
function mix(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;

/** Index by Zipf weights 1/(k+1)^s: the first entries often, the tail rarely. */
function zipfPicker(n: number, s = 1): (rng: Rng) => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 0; k < n; k++) cumulative.push((sum += 1 / (k + 1) ** s));
  return (rng) => {
    const x = rng() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function weighted<T>(entries: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return (rng) => {
    let x = rng() * total;
    for (const [v, w] of entries) if ((x -= w) < 0) return v;
    return entries.at(-1)![0];
  };
}

/** A log-normal length around `median`, clamped. */
const lengthAround = (rng: Rng, median: number, min: number, max: number) => {
  const normal = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Math.round(Math.min(max, Math.max(min, median * Math.exp(0.55 * normal))));
};

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const cnNumber = (n: number) =>
  n <= 10 ? CN_DIGITS[n]! : n < 20 ? `十${CN_DIGITS[n - 10]!}` : `${CN_DIGITS[Math.floor(n / 10)]!}十`;

// ---------------------------------------------------------------------------------------------
// Places, departments, people and companies

const PROVINCE = '浙江省';
const CITY = '杭州市';
const DISTRICTS: readonly (readonly [string, string])[] = [
  ['上城区', '330102'],
  ['拱墅区', '330105'],
  ['西湖区', '330106'],
  ['滨江区', '330108'],
  ['萧山区', '330109'],
  ['余杭区', '330110'],
  ['富阳区', '330111'],
  ['临安区', '330112'],
  ['临平区', '330113'],
  ['钱塘区', '330114'],
  ['桐庐县', '330122'],
  ['淳安县', '330127'],
  ['建德市', '330182'],
];
const STREETS = [
  '北山街道', '西溪街道', '灵隐街道', '翠苑街道', '文新街道', '古荡街道', '转塘街道', '留下街道',
  '蒋村街道', '三墩镇', '双浦镇', '湖滨街道', '清波街道', '小营街道', '南星街道', '紫阳街道',
  '采荷街道', '凯旋街道', '闸弄口街道', '笕桥街道', '九堡街道', '彭埠街道', '长庆街道', '米市巷街道',
  '湖墅街道', '拱宸桥街道', '半山街道', '祥符街道', '西兴街道', '长河街道', '浦沿街道', '城厢街道',
  '北干街道', '新塘街道', '宁围街道', '瓜沥镇', '临浦镇', '五常街道', '仓前街道', '良渚街道',
  '富春街道', '银湖街道', '锦城街道', '青山湖街道', '於潜镇', '千岛湖镇', '分水镇', '新安江街道',
]; // prettier-ignore
const ROADS = [
  '文三路', '文一西路', '莫干山路', '天目山路', '教工路', '学院路', '古墩路', '留下街', '之江路',
  '钱江路', '解放路', '延安路', '中河路', '秋涛路', '江南大道', '滨盛路', '市心路', '金城路', '文鼎路',
  '临丁路', '星光街', '闻涛路', '丰潭路', '紫金港路', '余杭塘路', '五常大道', '良睦路', '东湖路',
  '九堡大道', '德胜路', '石祥路', '秋石高架', '艮山西路', '凤起路', '体育场路', '环城北路', '湖墅南路',
  '登云路', '三塘路', '新市街', '江晖路', '西湖大道', '南山路', '杨公堤', '龙井路', '满觉陇路',
]; // prettier-ignore
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华俊鹏辉玲丹萍婷斌宇浩凯健琳雪晨欣佳怡峰波毅彬鑫锋琪莉颖倩瑶璐旭阳帆晶亮坤',
];
const BRAND = [
  ...'华数恒生聚光中控宏达新天鼎盛博远瑞丰汇通天成正泰信达金鹰东方卓越智联云帆海创润泽嘉禾立昂万向顺通铭德广源弘毅智维安恒亿嘉宸瑞凌',
];
const INDUSTRY = [
  '科技', '信息技术', '建设工程', '物业管理', '环境工程', '医疗器械', '文化传媒', '市政工程', '园林绿化',
  '智能科技', '工程咨询', '检测技术', '数据服务', '保安服务', '餐饮管理', '设计研究院',
]; // prettier-ignore

const personName = (rng: Rng) =>
  pick(rng, SURNAMES) + pick(rng, GIVEN) + (chance(rng, 0.7) ? pick(rng, GIVEN) : '');
const companyName = (rng: Rng) =>
  `${pick(rng, ['杭州', '浙江', '杭州', '杭州'])}${pick(rng, BRAND)}${pick(rng, BRAND)}${pick(rng, INDUSTRY)}有限公司`;

/** A field of work: its topics (most common first; the last ones rare), 主题分类 and legal basis. */
interface Field {
  key: string;
  topics: readonly string[];
  subject: string;
  laws: readonly string[];
  /** who benefits or is regulated, for sentences */
  people: readonly string[];
}

const FIELDS: readonly Field[] = [
  { key: 'civil', subject: '民政、扶贫、救灾', topics: ['最低生活保障', '养老服务', '困难群众救助帮扶', '特困人员救助供养', '临时救助', '社区治理', '社会组织管理', '婚姻登记', '残疾人两项补贴', '殡葬改革', '儿童福利', '慈善事业', '高龄津贴', '地名管理', '低收入家庭认定', '孤儿基本生活保障', '老年助餐服务', '地名普查'], laws: ['社会救助暂行办法', '浙江省社会救助条例', '中华人民共和国老年人权益保障法'], people: ['低保对象', '特困人员', '困难群众', '老年人', '残疾人'] },
  { key: 'education', subject: '科技、教育', topics: ['义务教育招生', '学前教育', '学生资助', '校外培训治理', '课后服务', '职业教育', '校园安全', '教师招聘', '中小学食堂管理', '双减', '新建学校', '特殊教育', '研学实践', '校车安全管理'], laws: ['中华人民共和国义务教育法', '中华人民共和国教育法', '浙江省学前教育条例'], people: ['适龄儿童', '学生', '家长', '教师'] },
  { key: 'health', subject: '卫生、体育', topics: ['基本公共卫生服务', '家庭医生签约服务', '疫情防控', '传染病防控', '爱国卫生运动', '医疗机构管理', '计划生育奖励扶助', '健康促进', '院前急救', '医疗质量', '职业病防治', '无偿献血', '心理健康服务', '登革热防控'], laws: ['中华人民共和国传染病防治法', '中华人民共和国基本医疗卫生与健康促进法'], people: ['居民', '患者', '医务人员', '重点人群'] },
  { key: 'market', subject: '市场监管、安全生产监管', topics: ['食品安全', '药品安全', '特种设备安全', '产品质量监督抽查', '知识产权保护', '价格监督检查', '个体工商户', '营业执照', '网络交易监管', '计量器具检定', '广告监管', '农贸市场改造', '电梯安全', '网络订餐'], laws: ['中华人民共和国食品安全法', '中华人民共和国药品管理法', '中华人民共和国特种设备安全法', '优化营商环境条例'], people: ['经营者', '市场主体', '消费者', '生产企业'] },
  { key: 'environment', subject: '城乡建设、环境保护', topics: ['大气污染防治', '水污染防治', '生态环境保护督察', '垃圾分类', '土壤污染防治', '环境影响评价', '排污许可', '碳达峰碳中和', '噪声污染防治', '危险废物', '生物多样性保护', '机动车尾气', '入河排污口'], laws: ['中华人民共和国环境保护法', '中华人民共和国大气污染防治法', '中华人民共和国水污染防治法'], people: ['排污单位', '企业', '居民'] },
  { key: 'housing', subject: '城乡建设、环境保护', topics: ['城镇老旧小区改造', '公共租赁住房', '住房保障', '建筑施工安全', '物业管理', '房地产市场监管', '城市更新', '既有住宅加装电梯', '海绵城市建设', '燃气安全', '白蚁防治', '建筑节能', '历史建筑保护'], laws: ['中华人民共和国建筑法', '物业管理条例', '公共租赁住房管理办法'], people: ['住户', '施工单位', '物业服务企业', '保障对象'] },
  { key: 'transport', subject: '工业、交通', topics: ['交通运输安全', '农村公路建设', '公共交通', '网约车管理', '治理超限超载', '公路养护', '交通拥堵治理', '港航管理', '共享单车管理', '货车通行'], laws: ['中华人民共和国道路交通安全法', '中华人民共和国公路法'], people: ['驾驶人', '运输企业', '乘客'] },
  { key: 'agriculture', subject: '农业、林业、水利', topics: ['乡村振兴', '高标准农田建设', '粮食生产', '农村人居环境整治', '农产品质量安全', '动物防疫', '农业保险', '宅基地管理', '农村集体经济', '非洲猪瘟防控', '种业振兴', '松材线虫病防治', '古树名木保护', '茶叶产业'], laws: ['中华人民共和国农业法', '中华人民共和国乡村振兴促进法', '中华人民共和国动物防疫法'], people: ['农户', '种粮大户', '农民专业合作社', '家庭农场'] },
  { key: 'hr', subject: '劳动、人事、监察', topics: ['就业创业', '社会保险', '职业技能培训', '养老保险', '根治欠薪', '劳动保障监察', '工伤保险', '失业保险', '人才引进', '事业单位公开招聘', '高校毕业生就业', '技能人才评价', '灵活就业人员'], laws: ['中华人民共和国劳动合同法', '中华人民共和国社会保险法', '保障农民工工资支付条例'], people: ['劳动者', '用人单位', '高校毕业生', '农民工'] },
  { key: 'finance', subject: '财政、金融、审计', topics: ['预算管理', '预算绩效管理', '政府采购', '国有资产管理', '政府债务管理', '财政资金直达', '惠企政策兑现', '会计监督', '非税收入', '彩票公益金'], laws: ['中华人民共和国预算法', '中华人民共和国政府采购法', '行政事业性国有资产管理条例'], people: ['预算单位', '企业', '采购人'] },
  { key: 'emergency', subject: '市场监管、安全生产监管', topics: ['安全生产', '防汛防台', '消防安全', '森林防火', '地质灾害防治', '危险化学品安全', '应急预案管理', '自然灾害救助', '尾矿库', '有限空间作业', '烟花爆竹'], laws: ['中华人民共和国安全生产法', '中华人民共和国突发事件应对法', '中华人民共和国消防法'], people: ['生产经营单位', '企业', '群众'] },
  { key: 'development', subject: '国民经济管理、国有资产监管', topics: ['营商环境', '重大项目建设', '数字经济', '民营经济', '共同富裕示范区建设', '节能降耗', '社会信用体系建设', '价格管理', '粮食储备', '山区县高质量发展', '对口支援'], laws: ['优化营商环境条例', '中华人民共和国节约能源法', '浙江省民营企业发展促进条例'], people: ['企业', '市场主体', '投资者'] },
  { key: 'office', subject: '其他', topics: ['政府信息公开', '政务服务', '一网通办', '数字化改革', '最多跑一次改革', '重点工作督查', '建议提案办理', '12345热线', '依法行政', '行政复议', '政务公开'], laws: ['中华人民共和国政府信息公开条例', '中华人民共和国行政复议法', '浙江省政务服务条例'], people: ['企业和群众', '办事群众', '市场主体'] },
  { key: 'security', subject: '公安、安全、司法', topics: ['道路交通安全', '户籍管理', '电信网络诈骗', '扫黑除恶', '治安管理', '居住证', '出入境管理', '电动自行车管理', '反恐怖'], laws: ['中华人民共和国道路交通安全法', '中华人民共和国治安管理处罚法', '中华人民共和国反电信网络诈骗法'], people: ['群众', '驾驶人', '流动人口'] },
  { key: 'culture', subject: '文化、广电、新闻出版', topics: ['文化旅游', '公共文化服务', '文物保护', '非物质文化遗产保护', '全民健身', '旅游市场秩序', '全民阅读', '体育赛事', '文明城市创建', '大运河文化带'], laws: ['中华人民共和国文物保护法', '中华人民共和国公共文化服务保障法', '中华人民共和国体育法'], people: ['游客', '市民', '文化企业'] },
  { key: 'veterans', subject: '民政、扶贫、救灾', topics: ['退役军人优待', '双拥', '退役军人就业', '烈士褒扬', '光荣牌悬挂'], laws: ['中华人民共和国退役军人保障法', '烈士褒扬条例'], people: ['退役军人', '优抚对象', '军人家属'] },
  { key: 'water', subject: '农业、林业、水利', topics: ['河长制', '水资源管理', '防汛抗旱', '农村饮用水', '水土保持', '水利工程建设', '美丽河湖', '山塘水库'], laws: ['中华人民共和国水法', '中华人民共和国防洪法', '浙江省河长制规定'], people: ['河长', '用水单位', '村民'] },
  { key: 'land', subject: '国土资源、能源', topics: ['国土空间规划', '不动产登记', '耕地保护', '土地征收', '矿产资源管理', '测绘地理信息', '土地出让', '地质勘查'], laws: ['中华人民共和国土地管理法', '不动产登记暂行条例', '中华人民共和国城乡规划法'], people: ['权利人', '被征地农民', '用地单位'] },
  { key: 'medical', subject: '卫生、体育', topics: ['医疗保障', '医保基金监管', '城乡居民基本医疗保险', '长期护理保险', '药品集中带量采购', '医保支付方式改革', '异地就医结算'], laws: ['中华人民共和国社会保险法', '医疗保障基金使用监督管理条例'], people: ['参保人员', '定点医药机构', '患者'] },
  { key: 'justice', subject: '公安、安全、司法', topics: ['法治政府建设', '公共法律服务', '人民调解', '普法宣传', '法律援助', '社区矫正', '行政执法监督'], laws: ['中华人民共和国法律援助法', '中华人民共和国人民调解法'], people: ['群众', '当事人', '社区矫正对象'] },
  { key: 'stats', subject: '国民经济管理、国有资产监管', topics: ['统计调查', '经济普查', '人口普查', '统计执法', '农业普查'], laws: ['中华人民共和国统计法'], people: ['调查对象', '统计人员'] },
  { key: 'audit', subject: '财政、金融、审计', topics: ['审计整改', '经济责任审计', '预算执行审计', '政府投资审计'], laws: ['中华人民共和国审计法'], people: ['被审计单位', '领导干部'] },
  { key: 'urban', subject: '城乡建设、环境保护', topics: ['市容环境', '违法建设治理', '城市管理执法', '户外广告', '生活垃圾分类', '停车管理', '市政设施养护'], laws: ['城市市容和环境卫生管理条例', '浙江省城市管理条例'], people: ['市民', '沿街商户', '物业服务企业'] },
]; // prettier-ignore

const FIELD = new Map(FIELDS.map((f) => [f.key, f]));

/** A bureau: its name at city / district level (at province level for some), and its field. */
const BUREAUS: readonly { city: string; province?: string; field: string }[] = [
  { city: '人民政府办公室', province: '人民政府办公厅', field: 'office' },
  { city: '发展和改革委员会', province: '发展和改革委员会', field: 'development' },
  { city: '教育局', province: '教育厅', field: 'education' },
  { city: '科学技术局', province: '科学技术厅', field: 'development' },
  { city: '经济和信息化局', province: '经济和信息化厅', field: 'development' },
  { city: '公安局', province: '公安厅', field: 'security' },
  { city: '民政局', province: '民政厅', field: 'civil' },
  { city: '司法局', province: '司法厅', field: 'justice' },
  { city: '财政局', province: '财政厅', field: 'finance' },
  { city: '人力资源和社会保障局', province: '人力资源和社会保障厅', field: 'hr' },
  { city: '规划和自然资源局', province: '自然资源厅', field: 'land' },
  { city: '生态环境局', province: '生态环境厅', field: 'environment' },
  { city: '住房和城乡建设局', province: '住房和城乡建设厅', field: 'housing' },
  { city: '交通运输局', province: '交通运输厅', field: 'transport' },
  { city: '林业水利局', province: '水利厅', field: 'water' },
  { city: '农业农村局', province: '农业农村厅', field: 'agriculture' },
  { city: '商务局', province: '商务厅', field: 'development' },
  { city: '文化广电旅游局', province: '文化和旅游厅', field: 'culture' },
  { city: '卫生健康委员会', province: '卫生健康委员会', field: 'health' },
  { city: '退役军人事务局', province: '退役军人事务厅', field: 'veterans' },
  { city: '应急管理局', province: '应急管理厅', field: 'emergency' },
  { city: '审计局', province: '审计厅', field: 'audit' },
  { city: '市场监督管理局', province: '市场监督管理局', field: 'market' },
  { city: '统计局', province: '统计局', field: 'stats' },
  { city: '医疗保障局', province: '医疗保障局', field: 'medical' },
  { city: '体育局', province: '体育局', field: 'culture' },
  { city: '城市管理局', field: 'urban' },
  { city: '数据资源管理局', province: '大数据发展管理局', field: 'office' },
  { city: '信访局', province: '信访局', field: 'office' },
];

export interface Department {
  id: number;
  name: string;
  divisionCode: string;
  field: Field;
  /** 9 characters of the credit code, for index numbers */
  org: string;
  /** the level's short name in a document number (浙政办发, 杭民发, 西政发) */
  docPrefix: string;
  /** the place the department is of (浙江省, 杭州市, 西湖区) */
  place: string;
}

function buildDepartments(): Department[] {
  const out: Department[] = [];
  const add = (name: string, divisionCode: string, field: string, docPrefix: string, place: string) =>
    out.push({
      id: 1000 + out.length,
      name,
      divisionCode,
      field: FIELD.get(field)!,
      org: String(3301_00000 + out.length * 7919).slice(0, 9),
      docPrefix,
      place,
    });
  const short = (bureau: string) => bureau.replace(/(人民政府|委员会|局|厅|办公室|办公厅)$/, '').slice(0, 1);
  for (const b of BUREAUS.filter((x) => x.province))
    add(`${PROVINCE}${b.province!}`, '330000', b.field, `浙${short(b.province!)}`, PROVINCE);
  add(`${CITY}人民政府`, '330100', 'office', '杭政', CITY);
  for (const b of BUREAUS) add(`${CITY}${b.city}`, '330100', b.field, `杭${short(b.city)}`, CITY);
  for (const [district, code] of DISTRICTS) {
    add(`${district}人民政府`, code, 'office', `${district[0]!}政`, district);
    // Each district has most bureaus (a county merges a few).
    for (const b of BUREAUS)
      add(`${district}${b.city}`, code, b.field, `${district[0]!}${short(b.city)}`, district);
  }
  // Streets (街道办事处, 乡镇人民政府): few documents each, mostly work news and notices.
  for (const street of STREETS) {
    const [district, code] = DISTRICTS[street.length % DISTRICTS.length]!;
    const office = street.endsWith('镇') ? `${street}人民政府` : `${street}办事处`;
    add(
      `${district}${office}`,
      code,
      pick(mulberry32(street.length * 31 + street.charCodeAt(0)), [
        'civil',
        'urban',
        'office',
        'agriculture',
      ]),
      `${street.slice(0, 2)}`,
      street,
    );
  }
  return out;
}

export const DEPARTMENTS: readonly Department[] = buildDepartments();
/** Departments weighted: the city's and the province's write more than a district bureau, streets least. */
const pickDepartment = weighted(
  DEPARTMENTS.map((d) => [d, d.divisionCode === '330000' ? 3 : d.divisionCode === '330100' ? 4 : d.name.includes('街道') || d.name.endsWith('镇人民政府') ? 0.4 : 1] as const),
); // prettier-ignore

// ---------------------------------------------------------------------------------------------
// Phrase banks

const GOALS = [
  '切实保障人民群众合法权益', '不断增强人民群众获得感、幸福感、安全感', '推动经济社会高质量发展',
  '加快建设共同富裕示范区', '提升政府治理能力和治理水平', '营造良好的发展环境', '守牢安全发展底线',
  '推进治理体系和治理能力现代化', '更好满足人民群众美好生活需要',
]; // prettier-ignore
const VERBS = ['加强', '规范', '做好', '推进', '深化', '完善', '强化', '优化', '落实', '提升'];
const TASKS = [
  '加强{topic}监督管理', '完善{topic}工作机制', '推进{topic}数字化建设', '强化{topic}源头治理',
  '健全{topic}长效机制', '开展{topic}专项整治', '提升{topic}服务水平', '落实{topic}主体责任',
  '加大{topic}资金保障', '强化{topic}队伍建设', '深化{topic}改革创新', '做好{topic}宣传引导',
  '严格{topic}执法检查', '推动{topic}提质扩面', '建立{topic}考核评价体系',
]; // prettier-ignore
const HEADINGS_PLAN = [
  '总体要求',
  '工作目标',
  '主要任务',
  '重点工作',
  '实施步骤',
  '保障措施',
  '工作要求',
  '职责分工',
];
const OPENINGS = [
  '为深入贯彻落实党中央、国务院和省委、省政府关于{topic}的决策部署，进一步{verb}{topic}工作，{goal}，根据《{law}》等有关规定，结合{place}实际，现就有关事项通知如下。',
  '为切实做好{year}年{topic}工作，{goal}，经{gov}同意，现将有关事项通知如下：',
  '根据《{law}》和上级关于{verb}{topic}工作的部署要求，为推动{topic}各项工作落地见效，现就{topic}相关工作通知如下。',
  '{year}年以来，{place}{topic}工作取得积极进展，但仍存在工作发展不平衡、基层基础薄弱等问题。为进一步{verb}{topic}工作，现提出如下意见。',
  '为贯彻落实《{law}》，{verb}{topic}管理，保障{people}合法权益，结合我{unit}实际，制定本{doctype}。',
]; // prettier-ignore
const PRINCIPLES = [
  '坚持以{thought}为指导，全面贯彻{congress}精神，坚持以人民为中心的发展思想，统筹发展和安全，{goal}。',
  '坚持问题导向、目标导向和结果导向，聚焦{people}急难愁盼问题，着力补短板、强弱项、固底板。',
  '坚持政府主导、社会参与、市场运作，充分调动各方面积极性，形成工作合力。',
  '坚持依法行政，严格规范公正文明执法，推进{topic}工作法治化、规范化、标准化。',
  '坚持系统观念，统筹推进{topic}和{topic2}，注重整体推进和重点突破相结合。',
]; // prettier-ignore
const TARGETS = [
  '到{year2}年，{topic}工作机制进一步健全，{people}满意度达到{pct}%以上。',
  '到{year2}年底，全{unit}{topic}覆盖率达到{pct}%，基本形成{adj}的{topic}工作格局。',
  '力争用{n}年左右时间，{topic}体系基本建成，主要指标居全省前列。',
  '{year}年底前，完成{n}个{topic}重点项目建设，累计投入资金{money}万元。',
]; // prettier-ignore
const ADJS = [
  '覆盖城乡、便捷高效',
  '权责清晰、运转高效',
  '上下联动、协同推进',
  '制度完备、监管有力',
  '多元参与、共建共享',
];
const MEASURES = [
  '各地要压实{topic}工作责任，建立健全工作台账，实行清单化管理、闭环式推进，确保各项措施落到实处。',
  '加快推进{topic}数字化改革，依托“浙里办”“浙政钉”实现相关事项“一网通办”“掌上可办”。',
  '对辖区内{object}开展全覆盖排查，发现问题的，责令限期整改；整改不到位的，依法依规严肃处理。',
  '{dept}要会同有关部门加强对{topic}工作的指导和监督检查，及时协调解决工作中遇到的困难和问题。',
  '深化“最多跑一次”改革，精简办事材料，压缩办理时限，全面推行告知承诺制和容缺受理。',
  '加大宣传力度，充分利用报刊、广播电视、政府网站和微信公众号等媒体，营造全社会共同参与的良好氛围。',
  '严格落实属地管理责任、部门监管责任和{people}主体责任，形成齐抓共管的工作格局。',
  '定期开展督查评估，督查结果纳入年度综合考核，对工作推进不力的予以通报。',
  '符合条件的{people}，可向户籍所在地乡镇人民政府（街道办事处）提出申请，也可通过“浙里办”在线申请。',
  '{people}补助标准为每人每月{money}元，所需资金由{level}财政按比例分担，按月足额发放。',
  '建立部门联席会议制度，加强信息共享和业务协同，实现{topic}数据互联互通。',
  '探索建立{topic}“{n}+X”工作模式，鼓励基层先行先试，及时总结推广典型经验。',
  '健全{topic}风险监测预警机制，完善应急处置预案，提高突发事件应对能力。',
  '加强{topic}专业人才培养，每年组织业务培训不少于{n}次，提升基层工作人员履职能力。',
  '统筹用好各级财政资金，{year}年安排{topic}专项资金{money}万元，重点支持{place}基层项目。',
  '推行“双随机、一公开”监管，对{object}实施分级分类监管，提高监管精准度。',
  '畅通投诉举报渠道，群众可通过12345政务服务便民热线反映{topic}方面的问题。',
  '严禁以任何形式向{people}收取费用，严禁擅自提高或降低标准。',
  '各地应当于每年{m}月底前将{topic}工作情况报送{dept}。',
  '对在{topic}工作中表现突出的单位和个人，按照有关规定给予表扬。',
]; // prettier-ignore
const SAFEGUARDS = [
  '加强组织领导。各地各部门要高度重视{topic}工作，主要负责同志亲自抓、负总责，分管负责同志具体抓，确保工作有序推进。',
  '强化经费保障。将{topic}工作经费列入年度财政预算，加强资金监管，提高资金使用效益。',
  '严格考核问责。对工作推进不力、造成不良影响的，依规依纪依法追究有关单位和人员责任。',
  '注重宣传引导。及时总结推广{topic}工作中的好经验好做法，回应社会关切，凝聚各方共识。',
]; // prettier-ignore
const CLOSINGS = [
  '本通知自印发之日起施行。', '本办法自{date}起施行，有效期{n}年。', '特此通知。',
  '本意见由{dept}负责解释。', '此前有关规定与本办法不一致的，以本办法为准。',
]; // prettier-ignore
const MEETINGS = [
  '工作推进会',
  '工作会议',
  '专题会议',
  '工作部署会',
  '现场推进会',
  '工作例会',
  '培训班',
  '座谈会',
];
const NEWS_LEADS = [
  '{date}，{dept}召开{place}{topic}{meeting}，总结{prevyear}年{topic}工作，分析当前形势，部署{year}年重点任务。{role}{name}出席会议并讲话。',
  '近日，{dept}组织开展{topic}专项检查，共出动检查人员{n}人次，检查{object}{n2}家，发现并督促整改问题{n3}个。',
  '{date}，{role}{name}带队赴{street}调研{topic}工作，实地察看{object}，听取有关情况汇报。',
  '今年以来，{place}聚焦{topic}，创新工作举措，取得明显成效。截至{m}月底，累计{done}{n}{unit2}，同比增长{pct}%。',
  '为进一步{verb}{topic}工作，{date}，{dept}在{street}举办{topic}宣传活动，现场发放宣传资料{n}余份，解答群众咨询{n2}人次。',
]; // prettier-ignore
const NEWS_BODY = [
  '会议指出，{topic}事关群众切身利益，事关经济社会发展大局，各级各部门要切实增强责任感和紧迫感。',
  '会议强调，要坚持问题导向，聚焦薄弱环节，以更大力度、更实举措推动{topic}工作提质增效。',
  '会议要求，要进一步压实责任，强化协同配合，确保{year}年各项目标任务如期完成。',
  '{name}强调，要坚持以人民为中心，把{topic}工作做细做实，切实解决群众急难愁盼问题。',
  '检查组要求，对发现的问题要建立台账、明确时限、逐项销号，确保整改到位。',
  '据了解，{place}已建成{topic}服务站点{n}个，覆盖{street}等{n2}个乡镇（街道）。',
  '下一步，{dept}将持续深化{topic}改革，完善工作机制，推动{topic}工作再上新台阶。',
  '活动中，工作人员通过发放宣传手册、现场讲解等方式，向群众普及{topic}相关知识。',
  '{street}相关负责人介绍，今年以来，街道共受理{topic}相关事项{n}件，办结率达{pct}%。',
  '参会人员纷纷表示，将以此次会议为契机，认真抓好各项工作落实。',
  '{place}有关部门负责人、各乡镇（街道）分管负责同志参加会议。',
]; // prettier-ignore
const DONE = ['办理相关业务', '发放补助资金', '完成项目建设', '开展培训', '走访群众', '排查隐患', '受理申请'];
const OBJECTS = [
  '重点企业',
  '经营主体',
  '在建工地',
  '农贸市场',
  '学校食堂',
  '养老机构',
  '医疗机构',
  '住宅小区',
  '社区服务中心',
  '危化品企业',
];
const ROLES = [
  '市委常委、副市长',
  '副市长',
  '区委副书记、区长',
  '副区长',
  '局党组书记、局长',
  '局党组成员、副局长',
  '主任',
  '副主任',
];
const THOUGHTS = ['习近平新时代中国特色社会主义思想'];

// ---------------------------------------------------------------------------------------------
// Documents

interface Ctx {
  rng: Rng;
  dept: Department;
  field: Field;
  topic: string;
  topic2: string;
  year: number;
  date: Date;
}

const ymd = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const cnDate = (d: Date) => {
  const [y, m, day] = ymd(d).split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

function fill(c: Ctx, template: string): string {
  const { rng } = c;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    switch (key) {
      case 'topic':
        return c.topic;
      case 'topic2':
        return c.topic2;
      case 'verb':
        return pick(rng, VERBS);
      case 'goal':
        return pick(rng, GOALS);
      case 'law':
        return chance(rng, 0.7) ? pick(rng, c.field.laws) : '中华人民共和国政府信息公开条例';
      case 'place':
        return c.dept.place;
      case 'gov':
        return `${c.dept.place}人民政府`;
      case 'unit':
        return c.dept.place.endsWith('省') ? '省' : c.dept.place.endsWith('市') ? '市' : '区';
      case 'year':
        return String(c.year);
      case 'prevyear':
        return String(c.year - 1);
      case 'year2':
        return String(c.year + int(rng, 1, 5));
      case 'people':
        return pick(rng, c.field.people);
      case 'pct':
        return String(int(rng, 80, 99));
      case 'n':
        return String(int(rng, 2, 60));
      case 'n2':
        return String(int(rng, 10, 900));
      case 'n3':
        return String(int(rng, 5, 300));
      case 'm':
        return String(int(rng, 1, 12));
      case 'money':
        return String(int(rng, 5, 9000) * (chance(rng, 0.3) ? 10 : 1));
      case 'level':
        return pick(rng, ['省、市、区（县）三级', '市、区两级', '区（县）']);
      case 'dept':
        return c.dept.name;
      case 'object':
        return pick(rng, OBJECTS);
      case 'adj':
        return pick(rng, ADJS);
      case 'thought':
        return pick(rng, THOUGHTS);
      case 'congress':
        return c.year >= 2023 ? '党的二十大' : c.year >= 2018 ? '党的十九大' : '党的十八大和十八届历次全会';
      case 'date':
        return cnDate(c.date);
      case 'meeting':
        return pick(rng, MEETINGS);
      case 'role':
        return pick(rng, ROLES);
      case 'name':
        return personName(rng);
      case 'street':
        return pick(rng, STREETS);
      case 'done':
        return pick(rng, DONE);
      case 'unit2':
        return pick(rng, ['件', '人次', '万元', '个', '户']);
      case 'doctype':
        return pick(rng, ['办法', '意见', '细则', '方案']);
      default:
        return key;
    }
  });
}

/** Paragraphs drawn from banks until the body reaches `length` characters. */
function grow(c: Ctx, paragraphs: string[], length: number, bank: readonly string[], perParagraph = 3) {
  let size = paragraphs.reduce((s, p) => s + p.length, 0);
  while (size < length) {
    const n = int(c.rng, 1, perParagraph);
    let p = '';
    for (let k = 0; k < n; k++) p += fill(c, pick(c.rng, bank));
    paragraphs.push(p);
    size += p.length;
  }
}

type Kind =
  'notice' | 'policy' | 'interpretation' | 'news' | 'finance' | 'procurement' | 'personnel' | 'plan' | 'info';

/** Category code → what is written in it, with the catalogue's shares of a portal's publications. */
const pickCategory = weighted<readonly [string, Kind]>([
  [['news', 'news'], 30],
  [['notices', 'notice'], 18],
  [['policies', 'policy'], 9],
  [['interpretations', 'interpretation'], 5],
  [['finance', 'finance'], 6],
  [['personnel', 'personnel'], 6],
  [['key-procurement', 'procurement'], 9],
  [['key-education', 'notice'], 3],
  [['key-health', 'notice'], 3],
  [['key-environment', 'notice'], 3],
  [['key-housing', 'notice'], 2],
  [['plans', 'plan'], 3],
  [['regulations', 'policy'], 1.5],
  [['functions', 'info'], 0.8],
  [['leaders', 'info'], 0.7],
]);
const FIELD_OF_KEY_AREA: Record<string, string> = {
  'key-education': 'education',
  'key-health': 'health',
  'key-environment': 'environment',
  'key-housing': 'housing',
};

function sections(c: Ctx, length: number): string[] {
  const out = [fill(c, pick(c.rng, OPENINGS))];
  const headings = c.rng() < 0.5 ? HEADINGS_PLAN.slice(0, int(c.rng, 3, 6)) : [];
  const per = Math.max(1, Math.floor(length / Math.max(1, headings.length || 1)));
  if (headings.length === 0) {
    grow(c, out, length, MEASURES);
  } else {
    headings.forEach((h, k) => {
      out.push(`${cnNumber(k + 1)}、${h}`);
      const bank =
        h === '总体要求' ? PRINCIPLES : h === '工作目标' ? TARGETS : h === '保障措施' ? SAFEGUARDS : MEASURES;
      const part: string[] = [];
      if (h === '主要任务' || h === '重点工作') {
        let size = 0;
        for (let j = 1; size < per; j++) {
          const p = `（${cnNumber(j)}）${fill(c, pick(c.rng, TASKS))}。${fill(c, pick(c.rng, MEASURES))}${fill(c, pick(c.rng, MEASURES))}`;
          part.push(p);
          size += p.length;
        }
      } else grow(c, part, Math.min(per, 400), bank, 2);
      out.push(...part);
    });
  }
  if (chance(c.rng, 0.5)) out.push(fill(c, pick(c.rng, CLOSINGS)));
  out.push(`联系人：${personName(c.rng)}，联系电话：0571-${int(c.rng, 8000_0000, 8999_9999)}。`);
  out.push(c.dept.name, cnDate(c.date));
  return out;
}

function articles(c: Ctx, length: number): string[] {
  const out: string[] = [];
  let size = 0;
  for (let k = 1; size < length; k++) {
    const p =
      k === 1
        ? `第一条 ${fill(c, pick(c.rng, OPENINGS))}`
        : `第${cnNumber(Math.min(k, 99))}条 ${fill(c, pick(c.rng, MEASURES))}${chance(c.rng, 0.4) ? fill(c, pick(c.rng, MEASURES)) : ''}`;
    out.push(p);
    size += p.length;
  }
  out.push(`第${cnNumber(Math.min(out.length + 1, 99))}条 ${fill(c, pick(c.rng, CLOSINGS))}`);
  return out;
}

function write(c: Ctx, kind: Kind, i: number): { title: string; paragraphs: string[]; docNumber: string } {
  const { rng, dept, topic, year } = c;
  const docNumber = () =>
    `${dept.docPrefix}${pick(rng, ['发', '办发', '函', '通'])}〔${year}〕${int(rng, 1, 180)}号`;
  switch (kind) {
    case 'notice': {
      const title = fill(
        c,
        pick(rng, [
          '关于做好{year}年{topic}工作的通知',
          '关于开展{topic}专项行动的通知',
          '关于进一步{verb}{topic}工作的通知',
          '关于印发《{place}{topic}工作实施方案》的通知',
          '关于{topic}有关事项的通知',
          '关于公布{year}年度{topic}名单的公告',
          '关于征求《{place}{topic}管理办法（征求意见稿）》意见的公告',
          '关于调整{place}{topic}标准的通知',
        ]),
      );
      return { title, paragraphs: sections(c, lengthAround(rng, 1100, 250, 6000)), docNumber: docNumber() };
    }
    case 'policy': {
      const title = fill(
        c,
        pick(rng, [
          '{place}{topic}管理办法',
          '关于{verb}{topic}工作的实施意见',
          '{place}{topic}实施细则',
          '关于加快推进{topic}的若干措施',
          '{place}{topic}暂行规定',
        ]),
      );
      const body = chance(rng, 0.6)
        ? articles(c, lengthAround(rng, 1800, 500, 8000))
        : sections(c, lengthAround(rng, 1800, 500, 8000));
      return { title, paragraphs: body, docNumber: docNumber() };
    }
    case 'interpretation': {
      const policy = fill(
        c,
        pick(rng, [
          '{place}{topic}管理办法',
          '关于{verb}{topic}工作的实施意见',
          '关于加快推进{topic}的若干措施',
        ]),
      );
      const title = pick(rng, [`《${policy}》政策解读`, `一图读懂《${policy}》`, `《${policy}》解读`]);
      const paragraphs = [
        `一、起草背景`,
        fill(c, pick(rng, OPENINGS)),
        `二、政策依据`,
        `《${pick(rng, c.field.laws)}》《中华人民共和国政府信息公开条例》等法律法规和上级文件。`,
        `三、主要内容`,
      ];
      grow(c, paragraphs, lengthAround(rng, 1200, 400, 5000), MEASURES);
      paragraphs.push(
        `四、适用范围`,
        fill(c, `本政策适用于{place}行政区域内的{people}。`),
        `五、解读机关及联系方式`,
        `解读机关：${dept.name}；解读人：${personName(rng)}；联系电话：0571-${int(rng, 8000_0000, 8999_9999)}。`,
      );
      return { title, paragraphs, docNumber: '' };
    }
    case 'news': {
      const title = fill(
        c,
        pick(rng, [
          '{dept}召开{topic}{meeting}',
          '{place}扎实推进{topic}工作',
          '{role}{name}调研{topic}工作',
          '{street}多措并举做好{topic}',
          '{place}{topic}工作取得新成效',
          '{dept}开展{topic}宣传活动',
          '{place}启动{year}年{topic}工作',
          '{street}：“{topic}”有了新办法',
        ]),
      );
      const paragraphs = [fill(c, pick(rng, NEWS_LEADS))];
      grow(c, paragraphs, lengthAround(rng, 700, 200, 3000), NEWS_BODY, 2);
      return { title, paragraphs, docNumber: '' };
    }
    case 'finance': {
      const final = chance(rng, 0.4);
      const title = `${dept.name}${year}年${final ? '部门决算' : '部门预算'}${chance(rng, 0.5) ? '公开' : ''}`;
      const income = int(rng, 300, 90000);
      const paragraphs = [
        '一、部门基本情况',
        `${dept.name}主要职责是贯彻执行国家和省、市关于${topic}等方面的方针政策和法律法规，拟订并组织实施有关规划和政策。`,
        `二、收支${final ? '决算' : '预算'}总体情况`,
        `${year}年部门收入${final ? '决算' : '预算'}${income}万元，其中一般公共预算财政拨款收入${Math.round(income * 0.8)}万元，政府性基金预算收入${Math.round(income * 0.1)}万元，其他收入${income - Math.round(income * 0.8) - Math.round(income * 0.1)}万元。与上年相比${chance(rng, 0.5) ? '增加' : '减少'}${int(rng, 10, 900)}万元，主要原因是${topic}项目支出${chance(rng, 0.5) ? '增加' : '减少'}。`,
        `三、“三公”经费${final ? '支出' : '预算'}情况`,
        `因公出国（境）费${int(rng, 0, 30)}万元，公务接待费${int(rng, 1, 40)}万元，公务用车购置及运行维护费${int(rng, 5, 90)}万元，较上年${chance(rng, 0.7) ? '有所下降' : '持平'}。`,
        '四、政府采购情况',
        `${year}年政府采购${final ? '支出' : '预算'}${int(rng, 20, 5000)}万元，其中货物类${int(rng, 5, 900)}万元，服务类${int(rng, 5, 3000)}万元，工程类${int(rng, 0, 2000)}万元。`,
        '五、绩效目标设置情况',
      ];
      grow(c, paragraphs, lengthAround(rng, 1400, 600, 5000), [
        '{topic}项目年度绩效目标为：完成{n}项重点任务，{people}满意度不低于{pct}%。',
        '项目资金{money}万元，主要用于{topic}相关支出。',
        ...SAFEGUARDS,
      ]);
      paragraphs.push(
        '六、名词解释',
        '“三公”经费：指用一般公共预算财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。',
      );
      return { title, paragraphs, docNumber: '' };
    }
    case 'procurement': {
      const project = fill(
        c,
        pick(rng, [
          `${pick(rng, DISTRICTS)[0]}${pick(rng, ROADS)}道路综合整治工程`,
          '{year}年度{topic}服务采购项目',
          '{dept}办公设备采购项目',
          '{place}智慧{topic}平台建设项目',
          `${pick(rng, STREETS)}${pick(rng, ['学校', '社区服务中心', '养老服务中心', '卫生服务中心'])}改扩建工程`,
          '{topic}第三方评估服务项目',
        ]),
      );
      const result = chance(rng, 0.6);
      const title = `${project}${result ? '中标（成交）结果公告' : pick(rng, ['公开招标公告', '竞争性磋商公告', '更正公告'])}`;
      const supplier = companyName(rng);
      const paragraphs = [
        `一、项目编号：HZCG-${year}-${String(int(rng, 1, 9999)).padStart(4, '0')}`,
        `二、项目名称：${project}`,
        result ? '三、中标（成交）信息' : '三、采购需求',
        result
          ? `供应商名称：${supplier}；供应商地址：${CITY}${pick(rng, DISTRICTS)[0]}${pick(rng, ROADS)}${int(rng, 1, 999)}号；中标（成交）金额：${int(rng, 50_000, 9_000_000)}元。`
          : `预算金额：${int(rng, 50_000, 9_000_000)}元；最高限价：同预算金额；合同履行期限：${int(rng, 3, 36)}个月；本项目${chance(rng, 0.5) ? '接受' : '不接受'}联合体投标。`,
        `四、评审专家名单：${Array.from({ length: int(rng, 3, 7) }, () => personName(rng)).join('、')}。`,
        '五、公告期限：自本公告发布之日起1个工作日。',
        `六、凡对本次公告内容提出询问，请按以下方式联系。采购人：${dept.name}，联系人：${personName(rng)}，联系方式：0571-${int(rng, 8000_0000, 8999_9999)}；采购代理机构：${companyName(rng).replace(/有限公司$/, '项目管理有限公司')}。`,
      ];
      if (chance(rng, 0.4)) grow(c, paragraphs, lengthAround(rng, 900, 400, 3000), MEASURES, 1);
      return { title, paragraphs, docNumber: '' };
    }
    case 'personnel': {
      if (chance(rng, 0.5)) {
        const title = `${dept.name}${year}年${pick(rng, ['公开招聘编外工作人员公告', '公开招聘事业单位工作人员公告', '公开选调公务员公告', '拟录用人员公示'])}`;
        const paragraphs = [
          `根据工作需要，经研究决定，${dept.name}面向社会公开招聘工作人员${int(rng, 1, 30)}名，现将有关事项公告如下。`,
          '一、招聘岗位及人数',
          `${topic}岗位${int(rng, 1, 5)}名，综合管理岗位${int(rng, 1, 3)}名。`,
          '二、招聘条件',
          `具有中华人民共和国国籍，遵守宪法和法律；年龄${int(rng, 30, 40)}周岁以下；具有全日制大学本科及以上学历；具有正常履行职责的身体条件。`,
          '三、报名时间和方式',
          `报名时间为${cnDate(c.date)}至${cnDate(new Date(c.date.getTime() + int(rng, 5, 15) * 86_400_000))}，报名人员通过${dept.place}人力资源和社会保障网站报名。`,
          '四、考试和考察',
          '考试分笔试和面试，笔试内容为综合基础知识和岗位专业知识。根据考试成绩从高分到低分等额确定考察对象。',
          '五、体检和聘用',
          '体检参照公务员录用体检通用标准执行。经考察、体检合格的，确定为拟聘用人员，并公示7个工作日。',
        ];
        return { title, paragraphs, docNumber: '' };
      }
      const people = Array.from({ length: int(rng, 1, 8) }, () => personName(rng));
      const title = pick(rng, [
        `${people[0]}等同志任职前公示`,
        `关于${people[0]}等同志职务任免的通知`,
        `${dept.place}${year}年拟任职干部公示`,
      ]);
      const paragraphs = [`根据《党政领导干部选拔任用工作条例》有关规定，现将拟任职干部情况公示如下：`];
      for (const name of people)
        paragraphs.push(
          `${name}，${pick(rng, ['男', '女'])}，汉族，${year - int(rng, 28, 55)}年${int(rng, 1, 12)}月生，${pick(rng, ['大学', '研究生', '在职研究生'])}学历，中共党员，现任${dept.name}${pick(rng, ['科长', '副科长', '综合科科长', '办公室主任', '一级主任科员'])}，拟任${pick(rng, ['副局长', '二级调研员', '直属事业单位主任', '科长'])}。`,
        );
      paragraphs.push(
        `公示期间，如对公示对象有不同意见，可通过来电、来信、来访等方式向${dept.place}委组织部反映。`,
        `公示时间：${cnDate(c.date)}至${cnDate(new Date(c.date.getTime() + 7 * 86_400_000))}。`,
      );
      return { title, paragraphs, docNumber: '' };
    }
    case 'plan': {
      const title = fill(
        c,
        pick(rng, [
          '{place}“十四五”{topic}发展规划',
          '{dept}{year}年工作要点',
          '{dept}{prevyear}年工作总结和{year}年工作思路',
          '{place}{topic}三年行动计划（{year}—{year2}年）',
        ]),
      );
      return {
        title,
        paragraphs: sections(c, lengthAround(rng, 2500, 800, 9000)),
        docNumber: chance(rng, 0.5) ? docNumber() : '',
      };
    }
    case 'info': {
      const title = pick(rng, [
        `${dept.name}主要职责`,
        `${dept.name}领导信息`,
        `${dept.name}内设机构`,
        `${dept.name}机构概况`,
      ]);
      const paragraphs = [
        `${dept.name}是${dept.place}人民政府工作部门，主要负责${topic}、${c.topic2}等工作。`,
      ];
      grow(c, paragraphs, lengthAround(rng, 600, 200, 2000), [
        '负责拟订{topic}相关政策并组织实施。',
        '负责{topic}的监督管理工作。',
        '承办{place}人民政府交办的其他任务。',
        '{role}{name}，负责{dept}全面工作。',
      ]);
      return { title, paragraphs, docNumber: '' };
    }
  }
  return { title: `${i}`, paragraphs: [], docNumber: '' };
}

const DAY_MS = 86_400_000;
const WITHDRAWAL_REASONS = ['内容已过时，依申请撤回', '信息有误，更正后重新发布', '相关政策已调整'];

/** The corpus of a seed: publication(i) for i = 0, 1, 2, …, the same on every call. */
export function createCorpus(seed: number, now: Date) {
  // The topic's rank inside its field follows Zipf: the first topics of a field are common, the last rare.
  const topicPickers = new Map(FIELDS.map((f) => [f.key, zipfPicker(f.topics.length, 1.1)]));
  const fieldPicker = zipfPicker(FIELDS.length, 0.6);
  const departmentsOf = new Map(FIELDS.map((f) => [f.key, DEPARTMENTS.filter((d) => d.field === f)]));
  return {
    publication(i: number): GeneratedPublication {
      const rng = mulberry32(mix(seed, i));
      const [categoryCode, kind] = pickCategory(rng);
      // A key area's publications come from that field's departments.
      const keyField = FIELD_OF_KEY_AREA[categoryCode];
      const dept = keyField ? pick(rng, departmentsOf.get(keyField)!) : pickDepartment(rng);
      // Mostly the department's own field; sometimes another (a district government writes on anything).
      const fieldKey = keyField ?? (chance(rng, 0.75) ? dept.field.key : FIELDS[fieldPicker(rng)]!.key);
      const field = FIELD.get(fieldKey)!;
      const topic = field.topics[topicPickers.get(field.key)!(rng)]!;
      const other = FIELDS[fieldPicker(rng)]!;
      const topic2 = other.topics[topicPickers.get(other.key)!(rng)]!;
      // More publications in recent years: age ~ YEARS × u^1.3.
      const ageDays = YEARS * 365 * rng() ** 1.3;
      const publishAt = new Date(now.getTime() - ageDays * DAY_MS);
      // Office hours, China time.
      publishAt.setUTCHours(int(rng, 0, 9), int(rng, 0, 59), int(rng, 0, 59), 0);
      const written = new Date(publishAt.getTime() - int(rng, 0, 20) * DAY_MS);
      const c: Ctx = {
        rng,
        dept,
        field,
        topic,
        topic2,
        year: Number(ymd(written).slice(0, 4)),
        date: written,
      };
      const { title, paragraphs, docNumber } = write(c, kind, i);
      const lines = paragraphs.map((p) => p.trim()).filter((p) => p !== '');

      const roll = rng();
      const status: GeneratedPublication['status'] =
        roll < 0.01 ? 'draft' : roll < 0.015 ? 'in_review' : roll < 0.03 ? 'withdrawn' : 'published';
      let at: Date | null = status === 'draft' || status === 'in_review' ? null : publishAt;
      // A few approved ones wait for a later publication time (unseen until then).
      if (status === 'published' && chance(rng, 0.003))
        at = new Date(now.getTime() + int(rng, 1, 30) * DAY_MS);
      const old = ageDays > 3 * 365;
      const validity =
        (kind === 'policy' || kind === 'notice') && old
          ? weighted<GeneratedPublication['validity']>([
              ['valid', 80],
              ['expired', 15],
              ['repealed', 5],
            ])(rng)
          : 'valid';
      const year = (at ?? written).getUTCFullYear();
      return {
        categoryCode,
        title: title.slice(0, 200),
        // 索引号 as the default pattern makes them ({org}/{year}-{seq}); the sequence is i, so unique.
        indexNumber: at === null ? null : `${dept.org}/${year}-${String(i + 1).padStart(7, '0')}`,
        departmentId: dept.id,
        divisionCode: dept.divisionCode,
        issuingBody: dept.name,
        writtenOn: ymd(written),
        docNumber,
        subject: field.subject,
        validity,
        bodyHtml: lines.map((p) => `<p>${p}</p>`).join(''),
        bodyText: lines.join('\n'),
        status,
        publishAt: at,
        withdrawnAt:
          status === 'withdrawn'
            ? new Date(Math.min(now.getTime(), publishAt.getTime() + int(rng, 1, 300) * DAY_MS))
            : null,
        withdrawalReason: status === 'withdrawn' ? pick(rng, WITHDRAWAL_REASONS) : '',
      };
    },
  };
}
