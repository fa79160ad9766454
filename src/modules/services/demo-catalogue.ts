/**
 * The service items the demo site (浙江省, 演示) is seeded with: ten everyday items of 杭州市西湖区 and
 * three at the city and province levels, so the catalogue shows every level, both audiences and the
 * main kinds (许可, 给付, 确认, 公共服务).
 *
 * What is real and what is invented. The legal bases, conditions, steps, materials and time limits
 * follow the laws and the published guides of 浙江政务服务网 and 国家政务服务平台, rewritten in our own
 * words; where a limit is set by law it is the statutory one, and the promised limit is the kind of
 * figure Zhejiang publishes for the item. Addresses (house numbers), telephone numbers other than
 * 12345, and the implementation codes are invented: a code is the department's unified social credit
 * code (made up, with valid check characters) followed by a 12-digit base code and a 2-digit
 * transaction number, the shape Zhejiang uses; only 个体工商户登记注册's base code (000131128000) is the
 * national one.
 *
 * The file is long because it is a table of data; each entry reads on its own. Departments are named
 * exactly as in the demo region (org/demo-region.ts), and the seeding resolves them to ids.
 */
import type { ItemInput, Material } from './catalogue.ts';

export interface DemoCatalogueEntry {
  /** the department's exact name in the demo region */
  department: string;
  item: Omit<ItemInput, 'departmentId'>;
}

const lines = (...xs: string[]) => xs.join('\n');

type MaterialSpec = Pick<Material, 'key' | 'name' | 'form'> & Partial<Material>;
const material = (m: MaterialSpec): Material => ({
  copies: 1,
  required: true,
  condition: '',
  heldBy: '',
  isApplicationForm: false,
  note: '',
  ...m,
});
/** The item's own form: filled in online, or printed from the guide and signed at the window. */
const applicationForm = (key: string, name: string, note = '') =>
  material({ key, name, form: 'original', isApplicationForm: true, note });
/** Data another department already holds: looked up by the officer, nothing to hand in. */
const shared = (key: string, name: string, heldBy: string, note = '') =>
  material({ key, name, form: 'electronic', copies: 0, heldBy, note });
const when = (condition: string, m: Material): Material => ({ ...m, required: false, condition });

const ID_CARD = shared(
  'id_card',
  '居民身份证',
  '公安部门人口信息共享，免于提交',
  '窗口办理时出示原件核验身份',
);
const HOUSEHOLD = shared('household_register', '居民户口簿', '公安部门户籍信息共享，免于提交');
const PROXY = when(
  '委托他人代为办理的',
  material({
    key: 'proxy',
    name: '授权委托书及受托人居民身份证',
    form: 'original',
    note: '身份证核验后退还',
  }),
);

const XIHU_CENTRE = '杭州市西湖区行政服务中心（杭州市西湖区文二西路 100 号）';
const HOURS = lines(
  '工作日 上午9:00-12:00，下午13:30-17:00；7月1日至9月30日下午为14:00-17:30',
  '周六上午9:00-12:00 为部分高频事项提供延时服务；法定节假日除外',
  '网上申请（浙江政务服务网、浙里办）全天受理',
);
const COMPLAINTS = '12345';

/** An entry with the defaults most items share: free of charge, the centre's hours, 12345 for complaints. */
type ItemSpec = Omit<
  DemoCatalogueEntry['item'],
  'fees' | 'hours' | 'complaintPhone' | 'processCode' | 'lifeEvents' | 'enterpriseEvents'
> &
  Partial<DemoCatalogueEntry['item']>;
const entry = (department: string, item: ItemSpec): DemoCatalogueEntry => ({
  department,
  item: {
    fees: [],
    hours: HOURS,
    complaintPhone: COMPLAINTS,
    processCode: null,
    lifeEvents: [],
    enterpriseEvents: [],
    ...item,
  },
});

export const DEMO_CATALOGUE: DemoCatalogueEntry[] = [
  // In the national list of administrative licences (2022) 个体工商户登记注册 is a licence of the
  // registration type (登记型), and 浙江政务服务网 lists 个体工商户设立登记 as 行政许可 accordingly.
  entry('西湖区市场监督管理局', {
    code: '11330106002491018M00013112800001',
    name: '个体工商户设立登记',
    kind: 'licensing',
    audience: 'person',
    onlineDepth: 4,
    processCode: 'demo.market-licensing',
    statutoryDays: 3,
    promisedDays: 1,
    legalBasis: lines(
      '《中华人民共和国市场主体登记管理条例》（国务院令第746号）第二条第（四）项、第三条、第八条第二款第（四）项、第十一条、第十六条、第十九条、第二十一条',
      '《中华人民共和国市场主体登记管理条例实施细则》（国家市场监督管理总局令第52号）第六条第（七）项、第九条第（六）项、第十六条、第十八条、第二十五条',
      '《促进个体工商户发展条例》（国务院令第755号）第二条',
    ),
    conditions: lines(
      '1. 经营者为具有经营能力、完全民事行为能力的自然人；家庭经营的，以主持经营的家庭成员为经营者，参加经营的家庭成员一并备案。',
      '2. 经营场所位于西湖区，为可合法使用的固定场所；电子商务平台内的自然人经营者可以把平台提供的网络经营场所登记为经营场所。',
      '3. 经营范围按国家市场监督管理总局经营范围规范目录自主选择；含登记前须经批准的项目的，应当先取得批准文件。',
      '4. 使用名称的，名称由经营者自主申报并符合名称登记规定；个体工商户也可以不使用名称。',
      '5. 法律、法规禁止从事营利性活动的人员（如公务员）不得申请。',
    ),
    process: lines(
      '申请：经营者通过浙江政务服务网（浙里办）在线填报，或到西湖区行政服务中心、所在街道市场监管所窗口提交申请，经营者本人完成实名验证。',
      '受理：材料齐全、符合法定形式的当场受理；不齐全或不符合法定形式的，一次性告知需要补正的材料。',
      '审查：登记机关对申请材料进行形式审查。',
      '决定：符合条件的当场登记；不能当场登记的在3个工作日内登记，情形复杂的经登记机关负责人批准可再延长3个工作日；不予登记的出具不予登记通知书并说明理由。',
      '送达：核发营业执照并同步生成电子营业执照；纸质执照可到窗口领取或免费邮寄。',
    ),
    materials: [
      applicationForm(
        'application',
        '个体工商户登记（备案）申请书',
        '经营者本人签字；在线填报的以电子签名代替',
      ),
      ID_CARD,
      material({
        key: 'premises',
        name: '经营场所使用证明（不动产权证书、租赁合同或其他使用证明）',
        form: 'copy',
        heldBy: '自有房产的不动产登记信息共享核验，免于提交',
        note: '租赁场所提交租赁合同复印件',
      }),
      when(
        '以家庭形式经营的',
        shared('family_members', '参加经营的家庭成员身份信息', '公安部门人口信息共享，免于提交'),
      ),
      when(
        '经营范围含登记前须经批准的项目的',
        material({ key: 'prior_approval', name: '有关部门的批准文件或许可证书', form: 'copy' }),
      ),
      PROXY,
    ],
    place: `${XIHU_CENTRE}二楼 市场监管综合窗口；各街道市场监管所`,
    consultPhone: '0571-87960101',
    lifeEvents: ['employment'],
    enterpriseEvents: ['start_business'],
    resultDelivery: ['online', 'window', 'post'],
    consultDays: 2,
  }),

  // One application, four departments in parallel: 市场监管 registers the company and pushes the record
  // to 公安 (seal filing), 税务 (invoices) and 人社 (social insurance registration).
  entry('西湖区市场监督管理局', {
    code: '11330106002491018M00013112700099',
    name: '开办企业（一件事）',
    kind: 'licensing',
    // The company does not exist yet: its founder, a person, applies (an existing company may too).
    audience: 'both',
    onlineDepth: 4,
    statutoryDays: 3,
    promisedDays: 1,
    legalBasis: lines(
      '《中华人民共和国市场主体登记管理条例》第十二条、第十六条、第十九条、第二十一条、第二十二条',
      '《中华人民共和国市场主体登记管理条例实施细则》第四条、第十六条、第十八条、第二十五条、第二十六条',
      '《优化营商环境条例》（国务院令第722号）第十九条第三款、第三十六条',
      '《国务院关于第三批取消中央指定地方实施行政许可事项的决定》（国发〔2017〕7号）（公章刻制审批取消，改为备案管理）',
      '《中华人民共和国发票管理办法》第十五条',
      '《中华人民共和国社会保险法》第五十七条、第五十八条',
    ),
    conditions: lines(
      '1. 拟在西湖区设立的有限责任公司、个人独资企业、合伙企业及其分支机构；股份有限公司由市级以上登记机关登记，外商投资企业按专门规定办理。',
      '2. 名称已自主申报通过，住所可合法使用；经营范围含登记前须经批准的项目的，已取得批准文件。',
      '3. 法定代表人不存在《市场主体登记管理条例》第十二条规定的不得担任的情形。',
      '4. 法定代表人、股东（投资人）、董事、监事、高级管理人员、登记联络员和经办人完成实名验证。',
      '5. 一次申报即可同时办理：企业设立登记、公章刻制备案、发票申领、单位社会保险登记；可同步预约银行开户。',
    ),
    process: lines(
      '申请：通过浙江政务服务网"开办企业一件事"专区（或西湖区行政服务中心企业开办综合窗口）一次填报，勾选刻章、发票、员工参保事项，相关人员在线实名认证并电子签名。',
      '受理：综合窗口（市场监管）统一受理；材料不齐全的一次性告知补正。',
      '审查：西湖区市场监督管理局审查设立登记；登记信息实时推送杭州市公安局西湖区分局（印章刻制备案）、国家税务总局杭州市西湖区税务局（发票种类和数量核定）、西湖区人力资源和社会保障局（单位社会保险登记），四个环节并联办理。',
      '决定：准予设立登记，核发营业执照；刻章备案、发票领用和参保登记在同一承诺时限内办结。',
      '送达：电子营业执照即时下载；纸质营业执照、首套印章（政府购买服务，免费刻制）、发票可在综合窗口一次领取或免费寄递。',
    ),
    materials: [
      applicationForm(
        'application',
        '开办企业"一件事"申请表（含公司登记（备案）申请书和刻章、发票、参保信息）',
        '在线填报后由系统生成，全体相关人员电子签名',
      ),
      when(
        '设立公司或合伙企业的（合伙企业提交合伙协议）',
        material({ key: 'articles', name: '公司章程或合伙协议', form: 'original' }),
      ),
      shared(
        'identities',
        '股东（投资人）、法定代表人、董事、监事、高级管理人员的身份证明',
        '公安部门人口信息共享，经实名认证后免于提交',
      ),
      when(
        '设立公司的',
        material({
          key: 'appointments',
          name: '法定代表人、董事、监事和高级管理人员的任职文件',
          form: 'original',
          note: '可使用系统提供的文书格式样本',
        }),
      ),
      material({
        key: 'premises',
        name: '住所使用相关文件',
        form: 'copy',
        heldBy: '自有房产的不动产登记信息共享核验，免于提交',
      }),
      shared('tax_officers', '财务负责人、办税人员实名信息', '在线填报时录入，税务部门实名核验'),
      when(
        '设立时已招用职工、需同时办理员工参保登记的',
        shared('employees', '参保职工名单（姓名、身份证号码、用工起始日期）', '在线填报时录入'),
      ),
      when(
        '经营范围含登记前须经批准的项目的',
        material({ key: 'prior_approval', name: '有关部门的批准文件或许可证书', form: 'copy' }),
      ),
      PROXY,
    ],
    place: `${XIHU_CENTRE}一楼 企业开办综合窗口`,
    consultPhone: '0571-87960101',
    enterpriseEvents: ['start_business', 'tax', 'hiring'],
    resultDelivery: ['online', 'window', 'post'],
    consultDays: 2,
    processCode: 'demo.start-business',
  }),

  entry('西湖区人力资源和社会保障局', {
    code: '11330106002491026G00012200200001',
    name: '城乡居民基本养老保险参保登记',
    kind: 'public_service',
    audience: 'person',
    onlineDepth: 4,
    processCode: 'demo.resident-pension',
    statutoryDays: null,
    promisedDays: 0,
    legalBasis: lines(
      '《中华人民共和国社会保险法》第二十条、第二十二条',
      '《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）三（参保范围）、四（基金筹集）',
      '《城乡居民基本养老保险经办规程》（人社部发〔2019〕84号）第二章（参保登记）',
    ),
    conditions: lines(
      '1. 年满16周岁、不是在校学生；不是国家机关或事业单位的工作人员，也不在职工基本养老保险的覆盖范围内。',
      '2. 户籍在西湖区。',
      '3. 未参加其他基本养老保险、未领取基本养老保险待遇；已参加职工基本养老保险的，按规定办理制度衔接，不重复参保。',
    ),
    process: lines(
      '申请：本人通过浙江政务服务网（浙里办）在线申请，或到户籍所在地街道（镇）便民服务中心、西湖区行政服务中心社保窗口申请。',
      '受理：核验身份，通过全民参保数据比对是否已参加其他基本养老保险。',
      '审查：符合条件的即时录入参保信息；不符合的当场说明理由。',
      '决定：即时完成参保登记（即办件）。',
      '送达：当场或在线告知参保结果；参保人每年自主选择缴费档次，通过税务部门渠道（浙里办、银行代扣）缴费，可在浙里办查询参保和缴费记录。',
    ),
    materials: [
      applicationForm('application', '城乡居民基本养老保险参保登记表', '在线办理的由系统生成，无需另交'),
      ID_CARD,
      HOUSEHOLD,
      when(
        '选择银行代扣方式缴费的',
        material({
          key: 'bank_account',
          name: '本人社会保障卡（金融账户）或银行借记卡',
          form: 'original',
          note: '用于签订代扣协议，核验后退还',
        }),
      ),
      PROXY,
    ],
    place: `${XIHU_CENTRE}三楼 社会保险窗口；各街道（镇）便民服务中心`,
    consultPhone: '0571-87960202',
    lifeEvents: ['retirement'],
    resultDelivery: ['online', 'window'],
    consultDays: 3,
  }),

  entry('西湖区民政局', {
    code: '11330106002491034B00011100100001',
    name: '最低生活保障申请',
    kind: 'payment',
    audience: 'person',
    onlineDepth: 3,
    statutoryDays: 30,
    promisedDays: 20,
    legalBasis: lines(
      '《社会救助暂行办法》（国务院令第649号）第九条、第十条、第十一条、第十二条、第五十八条',
      '《最低生活保障审核确认办法》（民发〔2021〕57号）第二条、第四条（审核确认工作自受理之日起30个工作日内完成，特殊情况可延长至45个工作日）',
      '《浙江省社会救助条例》',
    ),
    conditions: lines(
      '1. 以家庭为单位申请；共同生活的家庭成员户籍在西湖区，或按规定在西湖区经常居住。',
      '2. 共同生活的家庭成员人均月收入低于杭州市公布的最低生活保障标准。',
      '3. 家庭财产状况符合杭州市最低生活保障家庭财产认定规定。',
      '4. 如实申报家庭收入和财产，并书面授权民政部门核对家庭经济状况。',
      '5. 成年无业重度残疾人、重病患者等按规定可以单独提出申请。',
    ),
    process: lines(
      '申请：由一名共同生活的家庭成员向户籍所在地或经常居住地街道（镇）社会救助窗口提出书面申请，或通过浙里办在线申请；本人申请有困难的，可委托社区（村）代为提出。',
      '受理：街道对材料齐全的当场受理，不齐全的一次性告知补正。',
      '审查：街道通过家庭经济状况信息核对、入户调查、邻里访问等方式调查核实，10个工作日内提出初审意见，在申请人所在社区（村）公示7天。',
      '决定：西湖区民政局在5个工作日内审核确认；符合条件的予以确认并在社区（村）公布，不符合条件的书面说明理由。',
      '送达：结果通过浙里办和短信告知；低保金自确认的次月起按月发放到家庭成员的社会保障卡或银行账户。',
    ),
    materials: [
      applicationForm(
        'application',
        '浙江省社会救助申请表（含家庭经济状况核对授权书）',
        '共同生活的成年家庭成员签字',
      ),
      ID_CARD,
      HOUSEHOLD,
      when(
        '信息核对无法取得的收入（如赡养费、务工收入）',
        material({ key: 'income', name: '家庭成员收入情况证明或书面说明', form: 'original' }),
      ),
      when('家庭成员有残疾的', shared('disability_card', '中华人民共和国残疾人证', '残联数据共享，免于提交')),
      when(
        '因重病申请或单独提出申请的',
        material({ key: 'medical', name: '医疗机构出具的诊断证明及医疗费用票据', form: 'copy' }),
      ),
      PROXY,
    ],
    place:
      '户籍所在地或经常居住地街道（镇）便民服务中心社会救助窗口；西湖区民政局社会救助科（杭州市西湖区文二西路 100 号 行政服务中心四楼）',
    consultPhone: '0571-87960303',
    lifeEvents: ['social_assistance'],
    resultDelivery: ['online', 'window'],
    consultDays: 3,
    processCode: 'demo.assistance',
  }),

  entry('西湖区农业农村局', {
    code: '11330106002491042600011703000001',
    name: '耕地地力保护补贴申领',
    kind: 'payment',
    audience: 'both',
    onlineDepth: 4,
    processCode: 'demo.farmland-subsidy',
    statutoryDays: null,
    promisedDays: 20,
    legalBasis: lines(
      '《财政部 农业部关于全面推开农业"三项补贴"改革工作的通知》（财农〔2016〕26号）关于补贴对象、补贴依据和补贴标准的规定',
      '财政部、农业农村部当年度粮食生产相关补贴工作通知及杭州市、西湖区年度实施方案',
    ),
    conditions: lines(
      '1. 补贴对象原则上为拥有西湖区耕地承包权的种地农民；耕地已流转的，按流转合同约定和区年度实施方案确定由承包农户或实际种粮者申领。',
      '2. 补贴面积以承包地确权登记面积和实际种植情况为依据，由村（社区）核实。',
      '3. 耕地已改作他用的不再补贴：改作畜牧养殖场或林地的，成片粮田转为设施农业用地的，被非农业建设征收或占用的，常年撂荒的，以及占补平衡中补充的耕地面积和质量达不到耕种条件的。',
      '4. 申领人承诺不撂荒、不破坏耕地地力，推行秸秆还田、增施有机肥等地力保护措施。',
    ),
    process: lines(
      '申请：在西湖区农业农村局公告的申报期内，农户向所在村（社区）经济合作社或镇（街道）农业服务窗口申报补贴面积；家庭农场、农民专业合作社等规模经营主体可通过浙里办在线申报。',
      '受理：镇（街道）农业服务窗口受理村（社区）汇总上报的申报和在线申报；材料不齐全的一次性告知补正。',
      '审查：村（社区）将申报面积与确权、流转数据核对，镇（街道）审核汇总后在村务公开栏公示不少于7天；西湖区农业农村局会同区财政局抽查复核。',
      '决定：西湖区农业农村局确定补贴对象、面积和金额。',
      '送达：补贴资金通过惠农补贴"一卡通"直接发放到申领人的社会保障卡，发放结果在村务公开栏公布。',
    ),
    materials: [
      applicationForm('application', '耕地地力保护补贴面积申报表', '承包农户或实际种粮者签字'),
      ID_CARD,
      shared(
        'contract_right',
        '农村土地承包经营权证或确权登记信息',
        '农业农村部门承包地确权登记数据共享，免于提交',
      ),
      when(
        '耕地已流转、由实际种粮者申领的',
        material({ key: 'transfer_contract', name: '土地经营权流转合同', form: 'copy' }),
      ),
      material({
        key: 'subsidy_account',
        name: '社会保障卡（惠农补贴"一卡通"账户）',
        form: 'copy',
        heldBy: '已在惠农补贴"一卡通"系统登记账户的，免于提交',
      }),
      when(
        '以家庭农场、农民专业合作社等规模经营主体申领的',
        shared('business_licence', '营业执照', '市场主体登记信息共享，免于提交'),
      ),
    ],
    place:
      '所在镇（街道）农业服务窗口（双浦镇、三墩镇等）；西湖区农业农村局（杭州市西湖区文二西路 100 号 行政服务中心四楼）',
    consultPhone: '0571-87960404',
    resultDelivery: ['online'],
    consultDays: 5,
  }),

  // Zhejiang guides list the eligibility check for public rental housing under several kinds; the act
  // itself confirms a household's eligibility (资格确认), so 行政确认.
  entry('西湖区住房和城乡建设局', {
    code: '11330106002491050100012401000001',
    name: '公共租赁住房申请',
    kind: 'confirmation',
    audience: 'person',
    onlineDepth: 3,
    processCode: 'demo.public-housing',
    statutoryDays: null,
    promisedDays: 20,
    legalBasis: lines(
      '《公共租赁住房管理办法》（住房和城乡建设部令第11号）第七条、第八条、第九条、第十条',
      '《社会救助暂行办法》（国务院令第649号）第三十七条、第三十八条、第四十条',
    ),
    conditions: lines(
      '1. 申请家庭在杭州市区无住房，或家庭人均住房建筑面积低于杭州市公布的住房困难标准。',
      '2. 家庭收入、财产低于杭州市公布的标准。',
      '3. 西湖区户籍家庭；新就业大学毕业生、创业人员和外来务工人员在西湖区稳定就业并连续缴纳社会保险达到杭州市规定年限的，也可申请。',
      '4. 申请人及共同申请的家庭成员未享受其他住房保障（如经济适用住房、人才专项租赁住房）。',
      '5. 最低生活保障、低保边缘和特困等住房困难家庭优先保障。',
    ),
    process: lines(
      '申请：向户籍所在地（外来人员向工作所在地）街道提出申请，或通过浙里办住房保障专区在线申请。',
      '受理：街道核对材料，不齐全的一次性告知补正。',
      '审查：街道对家庭人口和住房状况初审；西湖区住房和城乡建设局会同民政（家庭经济状况核对）、不动产登记、公安、人社等部门联审，对符合条件的在社区和区政府网站公示7天。',
      '决定：公示无异议或异议不成立的，登记为公共租赁住房轮候对象并向社会公开；不符合条件的书面告知理由，申请人可申请复核。',
      '送达：资格确认结果通过浙里办和短信告知；按轮候顺序配租或发放租赁补贴，轮候期一般不超过5年。',
    ),
    materials: [
      applicationForm('application', '公共租赁住房保障申请表', '申请人和共同申请的成年家庭成员签字'),
      ID_CARD,
      HOUSEHOLD,
      shared('marriage', '婚姻状况信息', '民政部门婚姻登记信息共享，免于提交'),
      when(
        '申请人离异的',
        material({ key: 'divorce', name: '离婚协议书或人民法院判决书、调解书', form: 'copy' }),
      ),
      shared('economic_check', '家庭收入和财产信息', '民政部门家庭经济状况核对平台核对，免于提交'),
      shared('housing', '家庭住房情况', '不动产登记信息共享核查，免于提交'),
      when(
        '以新就业大学毕业生、创业人员或外来务工人员身份申请的',
        material({
          key: 'employment',
          name: '劳动合同或营业执照',
          form: 'copy',
          heldBy: '社会保险缴纳记录由人社部门共享核验',
        }),
      ),
      when(
        '以新就业大学毕业生身份申请的',
        material({
          key: 'degree',
          name: '毕业证书',
          form: 'copy',
          heldBy: '学信网可在线核验的，免于提交',
        }),
      ),
    ],
    place:
      '户籍所在地或工作所在地街道住房保障窗口；西湖区住房和城乡建设局住房保障科（杭州市西湖区文二西路 100 号 行政服务中心四楼）',
    consultPhone: '0571-87960505',
    lifeEvents: ['housing'],
    resultDelivery: ['online', 'window'],
    consultDays: 3,
  }),

  entry('西湖区市场监督管理局', {
    code: '11330106002491018M00013111300001',
    name: '食品经营许可',
    kind: 'licensing',
    audience: 'enterprise',
    onlineDepth: 4,
    processCode: 'demo.market-licensing',
    statutoryDays: 10,
    promisedDays: 3,
    legalBasis: lines(
      '《中华人民共和国食品安全法》第三十三条第一款第（一）项至第（四）项、第三十五条',
      '《中华人民共和国行政许可法》第三十二条、第三十四条、第五十八条',
      '《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）第二条、第四条及申请与受理、审查与决定的规定',
    ),
    conditions: lines(
      '1. 已取得营业执照等合法主体资格。',
      '2. 经营场所与所经营食品的品种和数量相匹配，能满足原料处理、加工、销售和贮存的需要，保持整洁，并按规定远离有毒有害场所和其他污染源。',
      '3. 配齐相应的设备设施：消毒、更衣、洗手、采光照明、通风、防腐防尘、防蝇防鼠防虫、清洗，以及废水处理和垃圾、废弃物存放。',
      '4. 配有专职或兼职的食品安全管理人员，建立了保证食品安全的管理制度。',
      '5. 设备布局和操作流程能避免生熟食品、原料与成品交叉污染，食品不接触有毒物和不洁物。',
      '6. 仅销售预包装食品的实行备案，销售食用农产品的无需许可，均不适用本事项。',
    ),
    process: lines(
      '申请：通过浙江政务服务网在线申请，或到西湖区行政服务中心市场监管窗口提交。',
      '受理：材料齐全、符合法定形式的予以受理；不齐全的当场或在5日内一次告知需要补正的全部内容。',
      '审查：审查申请材料；需要核实经营场所的，指派两名以上执法人员现场核查。',
      '决定：自受理申请之日起10个工作日内作出是否准予许可的决定；不予许可的书面说明理由。',
      '送达：准予许可的核发《食品经营许可证》并同步生成电子证书，有效期5年，可窗口领取或免费邮寄。',
    ),
    materials: [
      applicationForm('application', '食品经营许可申请书', '法定代表人（负责人）或经营者签字'),
      shared('business_licence', '营业执照', '市场主体登记信息共享，免于提交'),
      material({
        key: 'layout',
        name: '与食品经营相适应的主要设备设施清单、经营布局平面图和操作流程',
        form: 'original',
      }),
      material({
        key: 'safety_rules',
        name: '食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等规章制度目录清单',
        form: 'original',
      }),
      when(
        '申请集体用餐配送、中央厨房或学校、托幼机构、养老机构等单位食堂的',
        material({
          key: 'safety_manager',
          name: '食品安全管理人员任命文件及培训考核情况',
          form: 'copy',
        }),
      ),
      PROXY,
    ],
    place: `${XIHU_CENTRE}二楼 市场监管综合窗口`,
    consultPhone: '0571-87960101',
    enterpriseEvents: ['permits'],
    resultDelivery: ['online', 'window', 'post'],
    consultDays: 2,
  }),

  entry('西湖区人力资源和社会保障局', {
    code: '11330106002491026G00012210100001',
    name: '就业失业登记',
    kind: 'public_service',
    audience: 'person',
    onlineDepth: 4,
    processCode: 'demo.employment-registration',
    statutoryDays: null,
    promisedDays: 0,
    legalBasis: lines(
      '《中华人民共和国就业促进法》第三十五条第（五）项',
      '《中华人民共和国社会保险法》第五十条第二款、第三款',
      '《就业服务与就业管理规定》（劳动和社会保障部令第28号，2022年修订）第五章就业与失业管理（第六十一条至第六十四条）',
    ),
    conditions: lines(
      '1. 就业登记：在西湖区从事个体经营或灵活就业的劳动者由本人办理；被用人单位招用的由用人单位办理。',
      '2. 失业登记：法定劳动年龄内、有劳动能力、有就业要求、处于无业状态的城镇常住人员，可在常住地进行失业登记。',
      '3. 申领失业保险金的，应先办理失业登记。',
      '4. 在校学生和已享受基本养老保险待遇的人员不办理失业登记。',
    ),
    process: lines(
      '申请：本人通过浙江政务服务网（浙里办）或到街道（镇）、社区公共就业服务窗口申请就业登记或失业登记。',
      '受理：核验身份，比对社会保险、市场主体登记等信息。',
      '审查：符合条件的当即登记；办理失业登记的同时登记求职意向和培训需求。',
      '决定：即时办结（即办件）。',
      '送达：登记结果可在浙里办查询，下载电子《就业创业证》；登记失业人员可享受免费职业指导、职业介绍和培训补贴等服务。',
    ),
    materials: [
      applicationForm('application', '就业失业登记表', '在线办理的由系统生成，无需另交'),
      ID_CARD,
      when(
        '有单位就业经历、办理失业登记的',
        material({
          key: 'termination',
          name: '与原单位终止、解除劳动关系的证明',
          form: 'copy',
          note: '原单位已在社会保险系统办理减员的，可免于提交',
        }),
      ),
      when(
        '以个体经营办理就业登记的',
        shared('business_licence', '营业执照', '市场主体登记信息共享，免于提交'),
      ),
      when(
        '以灵活就业办理就业登记的',
        material({ key: 'flexible_work', name: '灵活就业情况说明（从业类型、工作地点）', form: 'original' }),
      ),
    ],
    place: `${XIHU_CENTRE}三楼 就业服务窗口；各街道（镇）、社区公共就业服务窗口`,
    consultPhone: '0571-87960202',
    lifeEvents: ['employment'],
    resultDelivery: ['online', 'window'],
    consultDays: 2,
  }),

  entry('西湖区教育局', {
    code: '11330106002491069X00011900500001',
    name: '义务教育入学登记',
    kind: 'public_service',
    audience: 'person',
    onlineDepth: 3,
    processCode: 'demo.school-enrolment',
    statutoryDays: null,
    promisedDays: 20,
    legalBasis: lines(
      '《中华人民共和国义务教育法》第二条、第四条、第五条、第十一条、第十二条',
      '《中华人民共和国疫苗管理法》第四十八条（入学查验预防接种证）',
      '《浙江省义务教育条例》；杭州市当年义务教育招生入学工作意见',
    ),
    conditions: lines(
      '1. 小学一年级：当年8月31日前年满6周岁的适龄儿童；初中一年级：当年小学毕业生。',
      '2. 户籍在西湖区且在学区内有合法住房的，按学区就近免试入学。',
      '3. 父母在西湖区工作或居住的非杭州市户籍适龄儿童，按杭州市随迁子女入学规定（居住证、社会保险缴纳等条件）申请，由西湖区教育局统筹安排学校。',
      '4. 民办学校与公办学校同步招生；报名人数超过招生计划的，按规定电脑派位。',
      '5. 入学时由学校查验预防接种证。',
    ),
    process: lines(
      '申请：在杭州市教育局公布的报名时间内（一般为每年5月），家长通过杭州市义务教育入学服务平台或浙里办为适龄儿童网上报名。',
      '受理：系统比对公安户籍、不动产登记、居住证、社会保险等共享数据；无法自动比对的提示补传材料。',
      '审查：西湖区教育局和学校审核报名信息，必要时现场核验。',
      '决定：西湖区教育局按学区划分和招生计划确定就读学校；需要电脑派位的按规定派位。',
      '送达：录取结果通过报名平台和短信告知，学校发放入学通知书。',
    ),
    materials: [
      applicationForm('application', '西湖区义务教育入学报名登记表', '网上报名时在线填写'),
      HOUSEHOLD,
      shared('birth_certificate', '出生医学证明', '卫生健康部门电子证照共享，免于提交'),
      when('以学区内自有住房就近入学的', shared('property', '不动产权证书', '不动产登记信息共享，免于提交')),
      when(
        '以租赁住房或随迁子女身份申请的',
        material({ key: 'rental', name: '已登记备案的住房租赁合同', form: 'copy' }),
      ),
      when(
        '非杭州市户籍随迁子女',
        shared('residence_permit', '父母的浙江省居住证', '公安部门信息共享，免于提交'),
      ),
      when(
        '非杭州市户籍随迁子女',
        shared('social_insurance', '父母在杭州市的社会保险缴纳记录', '人社部门信息共享，免于提交'),
      ),
      material({
        key: 'vaccination',
        name: '预防接种证',
        form: 'original',
        copies: 0,
        note: '入学报到时由学校查验，不收取',
      }),
    ],
    place:
      '网上报名；现场核验在报名学校或西湖区教育局招生窗口（杭州市西湖区文二西路 100 号 行政服务中心五楼）',
    consultPhone: '0571-87960606',
    lifeEvents: ['schooling'],
    resultDelivery: ['online'],
    consultDays: 3,
  }),

  entry('西湖区民政局', {
    code: '11330106002491034B00011100300001',
    name: '临时救助申请',
    kind: 'payment',
    audience: 'person',
    onlineDepth: 3,
    statutoryDays: null,
    promisedDays: 10,
    legalBasis: lines(
      '《社会救助暂行办法》（国务院令第649号）第四十七条、第四十八条、第四十九条',
      '《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）',
      '《浙江省临时救助办法》（浙政发〔2015〕35号）第三条',
    ),
    conditions: lines(
      '1. 本省户籍人口、持有浙江省居住证的人员，以及困难发生在本省的流动人口。',
      '2. 家庭对象：遭遇火灾、交通事故等意外，或有家庭成员突发重大疾病，一时难以维持基本生活的家庭；因看病、上学等必需开支突然增加、超出承受能力，一时难以维持基本生活的低保家庭和低保边缘家庭；遭遇其他特殊困难的家庭。',
      '3. 个人对象：遭遇意外、突发重病或其他特殊困难，一时得不到家庭支持、基本生活陷入困境的个人。',
      '4. 属于生活无着流浪乞讨人员救助、疾病应急救助或突发公共事件救助范围的，按相应规定办理。',
    ),
    process: lines(
      '申请：向户籍所在地、居住地或困难发生地街道（镇）社会救助窗口提出，或通过浙里办在线申请；情况紧急的，社区（村）、社会组织可代为提出。',
      '受理：街道当场受理；情况紧急的先行救助，事后补办手续。',
      '审查：街道通过家庭经济状况核对、入户调查等核实困难情形和程度，提出审核意见并公示（先行救助的事后公示）。',
      '决定：西湖区民政局审批，确定救助方式和金额；救助金额较小的委托街道审批；不予救助的书面说明理由。',
      '送达：救助金一次性发放到申请人社会保障卡或银行账户；实物救助由街道发放；需要时转介医疗救助、慈善帮扶。',
    ),
    materials: [
      applicationForm('application', '浙江省社会救助申请表（含家庭经济状况核对授权书）', '申请人签字'),
      ID_CARD,
      HOUSEHOLD,
      when(
        '非本省户籍、以持有浙江省居住证身份申请的',
        shared('residence_permit', '浙江省居住证', '公安部门信息共享，免于提交'),
      ),
      material({
        key: 'hardship',
        name: '困难情形证明（如火灾、交通事故证明，医疗诊断证明和费用票据）',
        form: 'copy',
        note: '能够通过部门信息共享取得的，免于提交',
      }),
      PROXY,
    ],
    place:
      '户籍所在地、居住地或困难发生地街道（镇）便民服务中心社会救助窗口；西湖区民政局社会救助科（杭州市西湖区文二西路 100 号 行政服务中心四楼）',
    consultPhone: '0571-87960303',
    lifeEvents: ['social_assistance', 'medical'],
    resultDelivery: ['online', 'window'],
    consultDays: 2,
    processCode: 'demo.assistance',
  }),

  // The regulation's 60 日 is entered as 60 working days: the catalogue keeps limits in working days, and
  // 《行政许可法》第八十二条 counts a licence's limits that way.
  entry('杭州市民政局', {
    code: '11330100002491077200011110100001',
    name: '社会团体成立登记',
    kind: 'licensing',
    audience: 'enterprise',
    onlineDepth: 3,
    processCode: 'demo.social-organisation',
    statutoryDays: 60,
    promisedDays: 15,
    legalBasis: lines(
      '《社会团体登记管理条例》（国务院令第250号，2016年修订）第三条、第七条、第九条、第十条、第十一条、第十二条、第十三条、第十六条',
    ),
    conditions: lines(
      '1. 活动地域在杭州市范围内的地方性社会团体；经业务主管单位审查同意，行业协会商会类、科技类、公益慈善类、城乡社区服务类按规定可直接申请登记。',
      '2. 个人会员不少于50个，或单位会员不少于30个；个人和单位会员混合的，合计不少于50个。',
      '3. 名称规范并设有相应的组织机构；地方性社会团体的名称不能使用"中国""全国""中华"等字样。',
      '4. 有固定住所，配有与业务活动相称的专职工作人员。',
      '5. 资产和经费来源合法，活动资金3万元以上，具备独立承担民事责任的能力。',
    ),
    process: lines(
      '申请：发起人通过浙江政务服务网社会组织登记服务或到杭州市民政局窗口提出申请。',
      '受理：材料齐全的予以受理，不齐全的一次性告知补正。',
      '审查：审查章程草案和发起人、拟任负责人情况，必要时实地核查住所并征求有关部门意见。',
      '决定：自收到全部有效文件之日起60日内作出准予或者不予登记的决定；不予登记的说明理由。',
      '送达：准予登记的发给《社会团体法人登记证书》并公告；社会团体凭证书刻制印章、开立银行账户，并将印章式样和银行账号报登记管理机关备案。',
    ),
    materials: [
      applicationForm('application', '社会团体成立登记申请书', '发起人签字'),
      when(
        '须经业务主管单位审查同意的',
        material({ key: 'sponsor_approval', name: '业务主管单位的批准文件', form: 'original' }),
      ),
      material({ key: 'capital', name: '验资报告', form: 'original' }),
      material({ key: 'premises', name: '住所使用权证明', form: 'copy' }),
      material({
        key: 'founders',
        name: '发起人和拟任负责人的基本情况及身份证明',
        form: 'original',
        heldBy: '身份证明由公安部门人口信息共享，免于提交',
      }),
      material({ key: 'articles', name: '章程草案', form: 'original' }),
      material({ key: 'members', name: '会员名册', form: 'original' }),
    ],
    place: '杭州市行政服务中心（杭州市上城区解放东路 18 号）二楼 民政窗口',
    hours: lines('工作日 上午9:00-12:00，下午13:30-17:00；法定节假日除外', '网上申请全天受理'),
    consultPhone: '0571-85250707',
    enterpriseEvents: ['start_business'],
    resultDelivery: ['online', 'window', 'post'],
    consultDays: 3,
  }),

  // The city police review (15 日) and the province decides (15 日): one licence, two levels; the
  // statutory limit is their sum, in working days as for 社会团体成立登记.
  entry('浙江省公安厅', {
    code: '11330000002001082E00010920300001',
    name: '保安服务公司设立许可',
    kind: 'licensing',
    audience: 'enterprise',
    onlineDepth: 3,
    processCode: 'demo.security-company',
    statutoryDays: 30,
    promisedDays: 15,
    legalBasis: lines(
      '《保安服务管理条例》（国务院令第564号，2020年修订）第八条、第九条、第十二条、第四十条',
      '《中华人民共和国行政许可法》第三十五条（下级机关审查后报上级机关决定）',
    ),
    conditions: lines(
      '1. 注册资本不低于人民币100万元。',
      '2. 拟任法定代表人和主要管理人员懂业务、有相关工作经历，没有受过刑事处罚、劳动教养、收容教育、强制隔离戒毒，也没有被开除公职或军籍。',
      '3. 配有与拟提供服务相匹配的专业技术人员；法律、行政法规要求持证的岗位，人员须持有相应资格证书。',
      '4. 有固定住所，以及开展保安服务所需的设施和装备。',
      '5. 组织机构健全，已建立保安服务管理、岗位责任和保安员管理等制度。',
      '6. 国家机关及其工作人员不能设立保安服务公司，也不能参与其经营。',
    ),
    process: lines(
      '申请：向所在地设区的市公安机关（杭州市公安局）提交申请书和证明材料，可通过浙江政务服务网在线提交。',
      '受理：杭州市公安局受理，材料不齐全的一次性告知补正。',
      '审查：杭州市公安局自收到申请材料之日起15日内审核，并将审核意见报浙江省公安厅。',
      '决定：浙江省公安厅自收到审核意见之日起15日内作出决定；符合条件的核发《保安服务许可证》，不符合的书面通知并说明理由。',
      '送达：许可证窗口领取或邮寄；申请人应在取得许可证后6个月内办理市场主体登记，逾期许可证失效。',
    ),
    materials: [
      applicationForm('application', '设立保安服务公司申请书', '拟任法定代表人签字'),
      shared(
        'managers',
        '拟任法定代表人和主要管理人员的身份证明及有无不良记录情况',
        '公安机关内部核查，免于提交',
      ),
      material({
        key: 'managers_cv',
        name: '拟任法定代表人和主要管理人员的履历及从业经历证明',
        form: 'original',
      }),
      material({ key: 'capital', name: '注册资本（出资）证明', form: 'copy' }),
      material({ key: 'specialists', name: '专业技术人员名单及资格证书', form: 'copy' }),
      material({ key: 'premises', name: '住所使用证明', form: 'copy' }),
      material({ key: 'equipment', name: '保安服务设施、装备清单', form: 'original' }),
      material({ key: 'rules', name: '组织机构设置及各项管理制度文本', form: 'original' }),
    ],
    place:
      '申请材料交杭州市公安局行政审批窗口（杭州市上城区解放东路 18 号 杭州市行政服务中心三楼）；决定由浙江省公安厅作出',
    hours: lines('工作日 上午9:00-12:00，下午13:30-17:00；法定节假日除外', '网上申请全天受理'),
    consultPhone: '0571-87280808',
    enterpriseEvents: ['start_business', 'permits'],
    resultDelivery: ['window', 'post'],
    consultDays: 5,
  }),

  entry('浙江省卫生健康委员会', {
    code: '11330000002001090900012500400001',
    name: '医师执业注册',
    kind: 'licensing',
    audience: 'person',
    onlineDepth: 4,
    processCode: 'demo.physician-registration',
    statutoryDays: 20,
    promisedDays: 5,
    legalBasis: lines(
      '《中华人民共和国医师法》第十二条、第十三条、第十四条、第十六条',
      '《医师执业注册管理办法》（国家卫生和计划生育委员会令第13号）',
    ),
    conditions: lines(
      '1. 已取得执业医师资格或者执业助理医师资格。',
      '2. 拟执业的医疗卫生机构由浙江省卫生健康委员会负责注册管理（省属医疗卫生机构等）。',
      '3. 有下列情形之一的不予注册：不具有完全民事行为能力；受过刑事处罚、刑罚执行完毕未满二年，或仍在被禁止从事医师职业的期限内；医师执业证书被吊销未满二年；因定期考核不合格被注销注册未满一年；法律、行政法规规定不得从事医疗卫生服务的其他情形。',
      '4. 医疗卫生机构可以为本机构的申请人集体办理注册。',
    ),
    process: lines(
      '申请：本人通过医师电子化注册系统（浙江省）提交申请，或由拟执业的医疗卫生机构集体提交。',
      '受理：浙江省卫生健康委员会受理，材料不齐全的一次性告知补正。',
      '审查：审查医师资格、执业地点、执业类别和执业范围，以及是否存在不予注册的情形。',
      '决定：自受理申请之日起20个工作日内准予注册并录入国家信息平台；不予注册的书面通知申请人和所在机构并说明理由。',
      '送达：核发电子《医师执业证书》，注册信息可在国家卫生健康委医师执业注册信息查询系统查询。',
    ),
    materials: [
      applicationForm('application', '医师执业注册申请审核表', '申请人签字，拟执业机构盖章'),
      ID_CARD,
      shared('qualification', '医师资格证书', '国家医师资格信息共享，免于提交'),
      material({ key: 'health_check', name: '近6个月内的健康体检证明', form: 'original' }),
      material({ key: 'employment', name: '拟执业医疗卫生机构的聘用证明', form: 'original' }),
      when(
        '中止医师执业活动二年以上申请重新执业的',
        material({ key: 'assessment', name: '考核合格证明', form: 'original' }),
      ),
    ],
    place: '网上办理；现场咨询：浙江省政务服务中心卫生健康窗口（杭州市西湖区文三路 200 号）',
    hours: lines('工作日 上午8:30-12:00，下午13:30-17:00；法定节假日除外', '网上申请全天受理'),
    consultPhone: '0571-87700909',
    lifeEvents: ['employment'],
    resultDelivery: ['online'],
    consultDays: 3,
  }),
];
