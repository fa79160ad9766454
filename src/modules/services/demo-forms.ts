/**
 * The application forms (申请表) of the demo catalogue: one for every item of DEMO_CATALOGUE, keyed by
 * the item's code, each modelled on the form the item really uses — 《个体工商户登记（备案）申请书》,
 * 《浙江省社会救助申请表》, 《临时救助申请审批表》, 《城乡居民基本养老保险参保登记表》, 《食品经营许可申请书》,
 * 《医师执业注册申请审核表》 and the rest — with the boxes those forms have, in our own words.
 *
 * Decisions:
 *  - No file fields. The documents an applicant hands in are the item's materials (申请材料), uploaded
 *    against that list; a form asks only for what is written on it.
 *  - Where a real form has a table (家庭成员, 股东, 参保职工), the form has a text area taking one line
 *    per row: forms have no repeating groups, and the officer reads the lines as the paper table.
 *  - A form whose item runs on a process carries the fields that process's own form requires, under
 *    the same names and within the same bounds (demo.assistance: reason, amount; demo.joint-review:
 *    place, date), so an application that passes the item's form also starts the case.
 *  - Every field has a sample, and the samples of one form tell one applicant's story, so the filled
 *    sample (填写样例) is complete and consistent. Identifiers carry valid check characters; addresses
 *    lie in the demo region's divisions (org/demo-region.ts). People, companies, house numbers and
 *    account numbers are invented.
 *  - The fields are written with small builders (text, choice, address …): thirteen forms of twenty
 *    fields spelled out as raw JSON Schema would bury the content in keywords. form() places the
 *    fields in their groups as it reads them, so a field cannot be left out of the layout.
 */
import type {
  AddressLevel,
  AddressValue,
  FormDefinition,
  FormField,
  FormGroup,
  Widget,
} from '../../kernel/forms/index.ts';

/** A label in Chinese and in English. */
type Label = readonly [zh: string, en: string];
/** A choice: its value, and what it is called in Chinese and in English. */
type Choice = readonly [value: string, zh: string, en: string];

type Extra = Omit<Partial<FormField>, 'title' | 'x-title-en' | 'x-widget' | 'x-sample'> & { hint?: Label };

function field(widget: Widget, [title, titleEn]: Label, sample: unknown, extra: Extra = {}): FormField {
  const { hint, ...rest } = extra;
  return {
    title,
    'x-title-en': titleEn,
    ...(hint ? { description: hint[0], 'x-description-en': hint[1] } : {}),
    'x-widget': widget,
    ...rest,
    'x-sample': sample,
  };
}

const text = (label: Label, sample: string, extra: Extra = {}) =>
  field('text', label, sample, { maxLength: 50, ...extra });
const textarea = (label: Label, sample: string, extra: Extra = {}) =>
  field('textarea', label, sample, { maxLength: 1000, 'x-rows': 3, ...extra });
const citizenId = (label: Label, sample: string, extra: Extra = {}) =>
  field('citizen-id', label, sample, extra);
const creditCode = (label: Label, sample: string, extra: Extra = {}) =>
  field('credit-code', label, sample, extra);
const phone = (label: Label, sample: string, extra: Extra = {}) => field('phone', label, sample, extra);
const mobile = (label: Label, sample: string, extra: Extra = {}) =>
  phone(label, sample, { 'x-phone': 'mobile', ...extra });
const date = (label: Label, sample: string, extra: Extra = {}) => field('date', label, sample, extra);
const address = (label: Label, sample: AddressValue, level?: AddressLevel, extra: Extra = {}) =>
  field('address', label, sample, level ? { 'x-division-level': level, ...extra } : extra);

function number(
  label: Label,
  sample: number,
  range: { min: number; max: number; unit?: Label; integer?: boolean },
  extra: Extra = {},
): FormField {
  return field('number', label, sample, {
    ...(range.integer ? { type: 'integer' as const } : {}),
    minimum: range.min,
    maximum: range.max,
    ...(range.unit ? { 'x-unit': range.unit[0], 'x-unit-en': range.unit[1] } : {}),
    ...extra,
  });
}
const count = (label: Label, sample: number, min: number, max: number, extra: Extra = {}) =>
  number(label, sample, { min, max, integer: true, unit: PEOPLE }, extra);

const labelsOf = (choices: readonly Choice[]) => ({
  'zh-CN': choices.map((c) => c[1]),
  en: choices.map((c) => c[2]),
});
/** A select or radio field: radio when the options are few and short enough to show at once. */
const choice = (
  widget: 'select' | 'radio',
  label: Label,
  choices: readonly Choice[],
  sample: string,
  extra: Extra = {},
) =>
  field(widget, label, sample, {
    enum: choices.map((c) => c[0]),
    'x-enum-labels': labelsOf(choices),
    ...extra,
  });
const checkbox = (label: Label, choices: readonly Choice[], sample: string[], extra: Extra = {}) =>
  field('checkbox', label, sample, {
    items: { enum: choices.map((c) => c[0]) },
    'x-enum-labels': labelsOf(choices),
    ...extra,
  });
/** A declaration the applicant must tick: one box, required by the form. */
const declaration = (label: Label, statement: Label) =>
  checkbox(label, [['agree', ...statement]], ['agree'], { minItems: 1 });

/**
 * A form from its groups in the order shown, each group's fields in order. A field named twice is a
 * mistake in this file, so it throws rather than letting the second silently replace the first.
 */
function form(
  [title, titleEn]: Label,
  required: string[],
  groups: [Label, Record<string, FormField>][],
): FormDefinition {
  const properties: Record<string, FormField> = {};
  const layout: FormGroup[] = [];
  for (const [[groupTitle, groupTitleEn], fields] of groups) {
    for (const [name, f] of Object.entries(fields)) {
      if (Object.hasOwn(properties, name)) throw new Error(`demo form ${title}: ${name} given twice`);
      properties[name] = f;
    }
    layout.push({ title: groupTitle, 'x-title-en': groupTitleEn, fields: Object.keys(fields) });
  }
  return { type: 'object', title, 'x-title-en': titleEn, required, properties, 'x-groups': layout };
}

const PEOPLE: Label = ['人', 'people'];
const YUAN: Label = ['元', 'yuan'];
const WAN_YUAN: Label = ['万元', '10,000 yuan'];
const MU: Label = ['亩', 'mu'];
const SQUARE_METRES: Label = ['平方米', 'm²'];

const GENDER: Choice[] = [
  ['male', '男', 'Male'],
  ['female', '女', 'Female'],
];
const YES_NO: Choice[] = [
  ['yes', '是', 'Yes'],
  ['no', '否', 'No'],
];
const EDUCATION: Choice[] = [
  ['postgraduate', '研究生', 'Postgraduate'],
  ['bachelor', '大学本科', 'Bachelor'],
  ['college', '大学专科', 'College'],
  ['secondary', '高中（中专、技校）', 'High school or vocational school'],
  ['junior_or_below', '初中及以下', 'Junior school or less'],
];
const NAME: Label = ['姓名', 'Name'];
const ID_NUMBER: Label = ['身份证号', 'Citizen ID number'];
const PHONE: Label = ['联系电话', 'Phone'];
const MOBILE: Label = ['手机号码', 'Mobile number'];
const ECONOMIC_CHECK = declaration(
  ['核对授权和承诺', 'Authorisation and declaration'],
  [
    '本人和共同生活的家庭成员授权民政部门核对家庭经济状况，承诺所报情况真实完整',
    'I and the members of my household authorise civil affairs to check our income and assets, and declare what we report true and complete',
  ],
);
const ASSISTANCE_REASON_HINT: Label = [
  '写明困难的原因、经过和目前的生活状况',
  'Say what caused the hardship, how, and how the household lives now',
];

const INDIVIDUAL_BUSINESS = form(
  ['个体工商户登记（备案）申请书', 'Application for registration of an individual business'],
  [
    'operatorName',
    'operatorId',
    'operatorMobile',
    'premises',
    'organization',
    'employees',
    'capital',
    'scope',
  ],
  [
    [
      ['经营者', 'The operator'],
      {
        operatorName: text(['经营者姓名', "Operator's name"], '王建国', { 'x-autocomplete': 'name' }),
        operatorId: citizenId(['经营者身份证号', "Operator's citizen ID number"], '33010619880615003X', {
          hint: ['末位是 X 的请填写大写 X', 'Write a final X in capitals'],
        }),
        operatorMobile: mobile(['移动电话', 'Mobile phone'], '13957101234', {
          hint: ['用于实名验证和接收登记通知', 'For identity verification and registration notices'],
        }),
        operatorEmail: text(['电子邮箱', 'Email'], 'wangjianguo@example.com', {
          maxLength: 100,
          'x-autocomplete': 'email',
        }),
      },
    ],
    [
      ['个体工商户', 'The business'],
      {
        businessName: text(['名称', 'Business name'], '杭州市西湖区王记小吃店', {
          maxLength: 60,
          hint: [
            '可以不使用名称；不使用的，营业执照不载明名称',
            'Optional; without one the licence carries no name',
          ],
        }),
        premises: address(
          ['经营场所', 'Premises'],
          { division: '330106002051', detail: '保俶路12号一楼' },
          'village',
          {
            hint: [
              '选择到社区（村），再填写路名门牌号',
              'Choose down to the community, then give the street and number',
            ],
          },
        ),
        postalCode: text(['邮政编码', 'Postcode'], '310007', {
          minLength: 6,
          maxLength: 6,
          'x-autocomplete': 'postal-code',
        }),
        organization: choice(
          'radio',
          ['组成形式', 'Form of organisation'],
          [
            ['individual', '个人经营', 'Run by one person'],
            ['family', '家庭经营', 'Run by a family'],
          ],
          'family',
        ),
        familyMembers: textarea(
          ['参加经营的家庭成员', 'Family members in the business'],
          '陈丽，配偶，330106199003220043',
          {
            maxLength: 500,
            'x-rows': 2,
            hint: [
              '家庭经营的填写，每行一人：姓名、与经营者关系、身份证号',
              'For a family business, one a line: name, relation to the operator, citizen ID number',
            ],
          },
        ),
        employees: count(['从业人数', 'Number employed'], 3, 1, 10000, {
          hint: ['含经营者本人', 'Including the operator'],
        }),
        capital: number(['资金数额', 'Capital'], 10, { min: 0, max: 100000, unit: WAN_YUAN }),
      },
    ],
    [
      ['经营范围', 'Business scope'],
      {
        scope: textarea(
          ['经营范围', 'Business scope'],
          '许可项目：餐饮服务；食品销售。一般项目：日用百货销售。',
          {
            maxLength: 500,
            hint: [
              '按《经营范围规范表述目录》选择填写，许可项目在前、一般项目在后',
              'In the wording of the standard catalogue of business scopes, licensed activities first',
            ],
          },
        ),
        channels: checkbox(
          ['经营方式', 'How the business trades'],
          [
            ['store', '实体店铺经营', 'In a shop'],
            ['online', '网络经营', 'Online'],
          ],
          ['store', 'online'],
        ),
        onlineShop: text(['网络经营场所', 'Online shop'], '饿了么平台店铺“王记小吃（保俶路店）”', {
          maxLength: 200,
          hint: [
            '网络经营的填写平台名称和店铺名称或网址',
            'For online trade, the platform and the shop name or address',
          ],
        }),
      },
    ],
    [
      ['登记联络员', 'Registration contact'],
      {
        liaisonName: text(['联络员姓名', "Contact's name"], '王建国', {
          'x-autocomplete': 'name',
          hint: ['可以是经营者本人', 'May be the operator'],
        }),
        liaisonMobile: mobile(['联络员手机号码', "Contact's mobile number"], '13957101234'),
      },
    ],
  ],
);

const START_A_BUSINESS = form(
  ['开办企业“一件事”申请表', 'Application for starting a business (one-stop)'],
  [
    'companyName',
    'companyType',
    'residence',
    'place',
    'registeredCapital',
    'scope',
    'operatingTerm',
    'date',
    'legalRepName',
    'legalRepId',
    'legalRepPosition',
    'legalRepMobile',
    'shareholderCount',
    'shareholders',
    'taxpayerType',
    'financeName',
    'financeId',
    'financeMobile',
    'insureEmployees',
    'liaisonName',
    'liaisonMobile',
    'delivery',
  ],
  [
    [
      ['企业设立登记', 'Registration'],
      {
        companyName: text(['企业名称', 'Company name'], '杭州西岭数字科技有限公司', {
          maxLength: 100,
          'x-autocomplete': 'organization',
          hint: ['填写自主申报通过的名称', 'The name accepted by the name declaration system'],
        }),
        companyType: choice(
          'select',
          ['企业类型', 'Type of enterprise'],
          [
            [
              'llc_natural',
              '有限责任公司（自然人投资或控股）',
              'Limited company (owned or controlled by individuals)',
            ],
            ['llc_natural_sole', '有限责任公司（自然人独资）', 'Limited company (one individual)'],
            ['llc_corporate_sole', '有限责任公司（法人独资）', 'Limited company (one legal person)'],
            ['sole_proprietorship', '个人独资企业', 'Sole proprietorship'],
            ['general_partnership', '普通合伙企业', 'General partnership'],
            ['limited_partnership', '有限合伙企业', 'Limited partnership'],
          ],
          'llc_natural',
        ),
        residence: address(
          ['住所', 'Registered address'],
          { division: '330106004053', detail: '文三路388号5楼502室' },
          'village',
        ),
        place: text(['生产经营地', 'Place of business'], '杭州市西湖区文三路388号5楼502室', {
          minLength: 2,
          maxLength: 200,
          hint: [
            '实际经营的详细地址；与住所相同的照填住所',
            'Where the business is run; the registered address if the same',
          ],
        }),
        registeredCapital: number(['注册资本（出资额）', 'Registered capital'], 100, {
          min: 0,
          max: 10000000,
          unit: WAN_YUAN,
        }),
        scope: textarea(
          ['经营范围', 'Business scope'],
          '一般项目：软件开发；信息技术咨询服务；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；数据处理服务。',
          {
            maxLength: 1000,
            hint: [
              '按《经营范围规范表述目录》选择填写，许可项目在前、一般项目在后',
              'In the wording of the standard catalogue of business scopes, licensed activities first',
            ],
          },
        ),
        operatingTerm: choice(
          'radio',
          ['营业期限', 'Term of operation'],
          [
            ['long_term', '长期', 'Indefinite'],
            ['fixed', '固定期限（在章程或协议中载明）', 'Fixed (as the articles or agreement say)'],
          ],
          'long_term',
        ),
        date: date(['拟开业日期', 'Planned opening date'], '2025-07-01', {
          hint: ['开始经营的日期，用于新办纳税人登记', 'The day trading starts, for tax registration'],
        }),
      },
    ],
    [
      ['法定代表人', 'Legal representative'],
      {
        legalRepName: text(NAME, '周明', { 'x-autocomplete': 'name' }),
        legalRepId: citizenId(ID_NUMBER, '330106198509170018'),
        legalRepPosition: choice(
          'select',
          ['职务', 'Position'],
          [
            ['chair', '董事长', 'Chair of the board'],
            ['director', '董事（不设董事会的）', 'Sole director'],
            ['manager', '经理', 'Manager'],
            ['investor', '投资人（个人独资企业）', 'Owner (sole proprietorship)'],
            ['managing_partner', '执行事务合伙人', 'Managing partner'],
          ],
          'director',
        ),
        legalRepMobile: mobile(MOBILE, '13805712345'),
      },
    ],
    [
      ['股东（投资人、合伙人）', 'Shareholders (investors, partners)'],
      {
        shareholderCount: count(['人数', 'Number'], 2, 1, 200),
        shareholders: textarea(
          ['出资情况', 'Contributions'],
          '周明，330106198509170018，认缴70万元，货币，2029年12月31日前缴足\n杭州西岭投资有限公司，91330106MA2J4R1T7P，认缴30万元，货币，2029年12月31日前缴足',
          {
            maxLength: 2000,
            'x-rows': 4,
            hint: [
              '每行一位：姓名或名称、身份证号或统一社会信用代码、认缴出资额、出资方式、出资期限；有限责任公司的出资应当自成立之日起五年内缴足',
              'One a line: name, citizen ID or credit code, amount subscribed, form and date of payment; a limited company’s capital is paid within five years',
            ],
          },
        ),
      },
    ],
    [
      ['印章刻制', 'Seals'],
      {
        seals: checkbox(
          ['需要刻制的印章', 'Seals to make'],
          [
            ['official', '公章', 'Company seal'],
            ['finance', '财务专用章', 'Finance seal'],
            ['invoice', '发票专用章', 'Invoice seal'],
            ['contract', '合同专用章', 'Contract seal'],
            ['legal_rep', '法定代表人名章', "Legal representative's seal"],
          ],
          ['official', 'finance', 'invoice', 'legal_rep'],
          {
            hint: [
              '首套印章由政府购买服务免费刻制，刻制后同步完成公安备案',
              'The first set is made free of charge and filed with the police at once',
            ],
          },
        ),
      },
    ],
    [
      ['税务登记和发票申领', 'Tax registration and invoices'],
      {
        taxpayerType: choice(
          'radio',
          ['增值税纳税人类型', 'VAT taxpayer type'],
          [
            ['small_scale', '小规模纳税人', 'Small-scale taxpayer'],
            ['general', '一般纳税人', 'General taxpayer'],
          ],
          'small_scale',
        ),
        invoiceTypes: checkbox(
          ['申领发票种类', 'Invoices wanted'],
          [
            ['digital_ordinary', '数电发票（普通发票）', 'Digital invoice (ordinary)'],
            ['digital_special', '数电发票（增值税专用发票）', 'Digital invoice (VAT special)'],
            ['paper_ordinary', '纸质增值税普通发票', 'Paper VAT ordinary invoice'],
          ],
          ['digital_ordinary', 'digital_special'],
        ),
        financeName: text(['财务负责人姓名', "Finance officer's name"], '吴芳', { 'x-autocomplete': 'name' }),
        financeId: citizenId(
          ['财务负责人身份证号', "Finance officer's citizen ID number"],
          '330102199204080029',
        ),
        financeMobile: mobile(['财务负责人手机号码', "Finance officer's mobile number"], '13867112345'),
        taxOfficerName: text(['办税人姓名', "Tax clerk's name"], '李强', {
          'x-autocomplete': 'name',
          hint: ['与财务负责人不是同一人的填写', 'If not the finance officer'],
        }),
        taxOfficerMobile: mobile(['办税人手机号码', "Tax clerk's mobile number"], '13757112345'),
      },
    ],
    [
      ['员工参保登记', 'Social insurance for employees'],
      {
        insureEmployees: choice(
          'radio',
          ['同时办理单位参保和员工参保登记', 'Register the employees for social insurance now'],
          YES_NO,
          'yes',
        ),
        insuredCount: count(['参保职工人数', 'Employees to insure'], 3, 0, 10000),
        insuredFrom: date(['参保起始日期', 'Insured from'], '2025-07-01'),
        insuredEmployees: textarea(
          ['参保职工名单', 'Employees to insure'],
          '周明，330106198509170018，2025-07-01\n吴芳，330102199204080029，2025-07-01\n李强，330106199607050030，2025-07-01',
          {
            maxLength: 5000,
            'x-rows': 4,
            hint: [
              '每行一人：姓名、身份证号、用工起始日期',
              'One a line: name, citizen ID number, first day of employment',
            ],
          },
        ),
      },
    ],
    [
      ['联络员和领取方式', 'Contact and collection'],
      {
        liaisonName: text(['登记联络员', 'Registration contact'], '吴芳', { 'x-autocomplete': 'name' }),
        liaisonMobile: mobile(['联络员手机号码', "Contact's mobile number"], '13867112345'),
        delivery: choice(
          'radio',
          ['营业执照、印章和发票领取方式', 'Collecting the licence, seals and invoices'],
          [
            ['window', '到综合窗口一次领取', 'At the one-stop window'],
            ['post', '免费寄递', 'By post, free of charge'],
          ],
          'post',
        ),
        deliveryAddress: address(['寄递地址', 'Postal address'], {
          division: '330106004053',
          detail: '文三路388号5楼502室',
        }),
        bank: text(['同步预约开户银行', 'Bank account appointment'], '中国工商银行杭州文三路支行', {
          maxLength: 100,
          hint: [
            '需要同步预约银行开户的，填写银行和网点',
            'For an account opened at once, the bank and its branch',
          ],
        }),
      },
    ],
  ],
);

const RESIDENT_PENSION = form(
  [
    '城乡居民基本养老保险参保登记表',
    'Enrolment in the basic pension insurance for urban and rural residents',
  ],
  [
    'name',
    'citizenId',
    'gender',
    'hukouType',
    'phone',
    'hukouAddress',
    'contributionLevel',
    'paymentMethod',
    'otherPension',
  ],
  [
    [
      ['参保人', 'The insured'],
      {
        name: text(NAME, '刘桂英', { 'x-autocomplete': 'name' }),
        citizenId: citizenId(ID_NUMBER, '330106197002140026'),
        gender: choice('radio', ['性别', 'Sex'], GENDER, 'female'),
        ethnicity: text(['民族', 'Ethnic group'], '汉族', { maxLength: 20 }),
        hukouType: choice(
          'radio',
          ['户籍类别', 'Household registration'],
          [
            ['urban', '城镇居民', 'Urban resident'],
            ['rural', '农村居民', 'Rural resident'],
          ],
          'urban',
        ),
        phone: phone(PHONE, '13605712345'),
      },
    ],
    [
      ['户籍和居住地址', 'Registered and home address'],
      {
        hukouAddress: address(
          ['户籍地址', 'Registered address'],
          { division: '330106002052', detail: '保俶北路18号2幢301室' },
          'village',
          { hint: ['选择到社区（村）', 'Choose down to the community'] },
        ),
        residence: address(
          ['常住地址', 'Home address'],
          { division: '330102001052', detail: '劳动路45号1单元502室' },
          'village',
          { hint: ['与户籍地址不同的填写', 'If not the registered address'] },
        ),
      },
    ],
    [
      ['参保缴费', 'Contributions'],
      {
        specialGroups: checkbox(
          ['特殊参保群体', 'Groups the government pays for'],
          [
            ['minimum_living', '最低生活保障对象', 'Receiving the minimum living allowance'],
            ['edge', '低保边缘家庭成员', 'In a household just above the allowance line'],
            ['extreme_poverty', '特困人员', 'In extreme poverty'],
            ['severe_disability', '重度残疾人', 'Severely disabled'],
          ],
          ['edge'],
          {
            hint: [
              '属于这些情形的，由政府按规定代缴部分或全部最低档次养老保险费',
              'The government pays some or all of the lowest contribution for these groups',
            ],
          },
        ),
        contributionLevel: choice(
          'select',
          ['缴费档次', 'Contribution level'],
          [
            ['300', '每年300元', '300 yuan a year'],
            ['500', '每年500元', '500 yuan a year'],
            ['800', '每年800元', '800 yuan a year'],
            ['1000', '每年1000元', '1,000 yuan a year'],
            ['1500', '每年1500元', '1,500 yuan a year'],
            ['2000', '每年2000元', '2,000 yuan a year'],
            ['3000', '每年3000元', '3,000 yuan a year'],
            ['5000', '每年5000元', '5,000 yuan a year'],
          ],
          '1000',
          {
            hint: [
              '档次以当年杭州市公布的为准，每年可以重新选择',
              'Levels as Hangzhou publishes them each year; you may choose again every year',
            ],
          },
        ),
        paymentMethod: choice(
          'radio',
          ['缴费方式', 'How to pay'],
          [
            ['bank', '银行代扣', 'Bank deduction'],
            ['self', '自行缴纳（浙里办、税务渠道）', 'Pay yourself (Zheliban, tax office)'],
          ],
          'bank',
        ),
        bankAccount: text(['代扣账户', 'Account for deduction'], '6228480318012345678', {
          maxLength: 30,
          hint: [
            '社会保障卡金融账号或本人银行借记卡号',
            'The social security card or your own debit card number',
          ],
        }),
        otherPension: choice(
          'radio',
          ['其他基本养老保险参保情况', 'Other basic pension insurance'],
          [
            ['none', '未参加其他基本养老保险', 'None'],
            [
              'employee_suspended',
              '曾参加职工基本养老保险，现已中断缴费',
              "Once in the employees' scheme, contributions stopped",
            ],
          ],
          'none',
        ),
      },
    ],
  ],
);

const MINIMUM_LIVING = form(
  [
    '浙江省社会救助申请表（最低生活保障）',
    'Zhejiang social assistance application (minimum living allowance)',
  ],
  [
    'applicantName',
    'applicantId',
    'phone',
    'applyAs',
    'hukouAddress',
    'householdSize',
    'familyMembers',
    'monthlyIncome',
    'housing',
    'reason',
    'amount',
    'authorization',
  ],
  [
    [
      ['申请人', 'The applicant'],
      {
        applicantName: text(NAME, '赵国强', { 'x-autocomplete': 'name' }),
        applicantId: citizenId(ID_NUMBER, '330106196811050018'),
        phone: phone(PHONE, '13757198765'),
        applyAs: choice(
          'radio',
          ['申请方式', 'Applying as'],
          [
            ['household', '以家庭为单位申请', 'A household'],
            ['individual', '单独申请（重度残疾人、重病患者等）', 'An individual (severely disabled or ill)'],
          ],
          'household',
        ),
      },
    ],
    [
      ['地址', 'Addresses'],
      {
        hukouAddress: address(
          ['户籍地址', 'Registered address'],
          { division: '330106002051', detail: '保俶路150弄6号301室' },
          'village',
          {
            hint: [
              '选择到社区（村），由所在街道受理',
              'Choose down to the community; its street office takes the case',
            ],
          },
        ),
        residence: address(
          ['经常居住地址', 'Home address'],
          { division: '330106002051', detail: '保俶路150弄6号301室' },
          'village',
          { hint: ['与户籍地址不同的填写', 'If not the registered address'] },
        ),
      },
    ],
    [
      ['共同生活的家庭成员', 'The household'],
      {
        householdSize: count(['家庭人口', 'Household size'], 3, 1, 20),
        familyMembers: textarea(
          ['家庭成员情况', 'Members of the household'],
          '赵国强，本人，330106196811050018，慢性病，灵活就业\n孙秀兰，配偶，330106197008230022，重病（尿毒症），无业\n赵磊，子，330106200806110038，健康，高中在读',
          {
            maxLength: 2000,
            'x-rows': 5,
            hint: [
              '含申请人本人，每行一人：姓名、与申请人关系、身份证号、健康状况、就业或就学情况',
              'Including yourself, one a line: name, relation, citizen ID number, health, work or school',
            ],
          },
        ),
        specialCircumstances: checkbox(
          ['家庭成员特殊情况', 'Circumstances in the household'],
          [
            ['severe_disability', '重度残疾', 'Severe disability'],
            ['serious_illness', '重病', 'Serious illness'],
            ['elderly', '60周岁以上老年人', 'Aged 60 or over'],
            ['minor', '未成年人', 'Minor'],
            ['student', '在校学生', 'Student'],
          ],
          ['serious_illness', 'minor', 'student'],
        ),
      },
    ],
    [
      ['家庭经济状况', 'Income and assets'],
      {
        monthlyIncome: number(
          ['家庭月总收入', 'Household income a month'],
          2400,
          { min: 0, max: 1000000, unit: YUAN },
          {
            hint: [
              '共同生活的家庭成员申请前6个月的月平均收入之和',
              'The members’ average monthly income over the six months before applying, added up',
            ],
          },
        ),
        incomeSources: checkbox(
          ['收入来源', 'Sources of income'],
          [
            ['wages', '工资性收入', 'Wages'],
            ['business', '经营净收入', 'Business income'],
            ['property', '财产净收入', 'Property income'],
            ['transfer', '转移净收入（养老金、赡养费等）', 'Transfers (pensions, maintenance)'],
          ],
          ['wages'],
        ),
        housing: choice(
          'radio',
          ['现住房情况', 'Housing'],
          [
            ['own', '自有住房', 'Own home'],
            ['rent', '租赁住房', 'Rented'],
            ['public_rent', '公共租赁住房', 'Public rental housing'],
            ['lodging', '借住', 'Lodging'],
          ],
          'own',
        ),
        assets: textarea(['家庭财产', 'Assets'], '银行存款约8000元；无机动车辆；无非居住类房屋', {
          maxLength: 500,
          'x-rows': 2,
          hint: [
            '存款、有价证券、机动车辆、非居住类房屋等；没有的填“无”',
            'Savings, securities, vehicles, non-residential property; write 无 if none',
          ],
        }),
      },
    ],
    [
      ['申请事项', 'The application'],
      {
        reason: textarea(
          ['申请理由', 'Reason for applying'],
          '妻子患尿毒症需长期透析，医疗支出大；本人患慢性病只能打零工，儿子在读高中。家庭人均收入低于杭州市最低生活保障标准，申请最低生活保障。',
          { minLength: 2, maxLength: 2000, 'x-rows': 4, hint: ASSISTANCE_REASON_HINT },
        ),
        amount: number(
          ['申请金额', 'Amount applied for'],
          1500,
          { min: 1, max: 100000, integer: true, unit: ['元/月', 'yuan a month'] },
          {
            hint: [
              '按（低保标准－家庭月人均收入）×保障人数估算，以审核确认的金额为准',
              '(Allowance line − income per head) × people, as an estimate; the confirmed amount prevails',
            ],
          },
        ),
        account: text(['低保金发放账户', 'Account for payment'], '6228480318012346789', {
          maxLength: 30,
          hint: ['社会保障卡金融账号', 'The social security card number'],
        }),
      },
    ],
    [['授权和承诺', 'Authorisation'], { authorization: ECONOMIC_CHECK }],
  ],
);

const FARMLAND_SUBSIDY = form(
  ['耕地地力保护补贴面积申报表', 'Declaration for the farmland fertility protection subsidy'],
  [
    'applicantType',
    'applicantName',
    'applicantId',
    'phone',
    'location',
    'contractedArea',
    'subsidyArea',
    'crops',
    'commitment',
  ],
  [
    [
      ['申报人', 'The applicant'],
      {
        applicantType: choice(
          'radio',
          ['申报人类型', 'Applying as'],
          [
            ['contractor', '承包农户', 'Contracting household'],
            ['grower', '实际种粮者（土地流转）', 'Grower on transferred land'],
            [
              'entity',
              '规模经营主体（家庭农场、农民专业合作社等）',
              'Family farm, cooperative or other large grower',
            ],
          ],
          'entity',
        ),
        applicantName: text(['申报人姓名或主体名称', 'Name of the applicant'], '杭州西湖钱志明家庭农场', {
          maxLength: 100,
        }),
        applicantId: citizenId(
          ['申报人（负责人）身份证号', 'Citizen ID number (of the person in charge)'],
          '330106196207300033',
        ),
        entityCode: creditCode(['统一社会信用代码', 'Unified social credit code'], '92330106MA2KD5W82K', {
          hint: ['规模经营主体填写', 'For a family farm or cooperative'],
        }),
        phone: phone(PHONE, '13606712345'),
      },
    ],
    [
      ['耕地情况', 'The farmland'],
      {
        location: address(
          ['耕地所在村（社区）', 'Village (community) of the farmland'],
          { division: '330106004053', detail: '第三村民小组 东畈地块' },
          'village',
          { hint: ['再填写村民小组和地块名称', 'Then the villagers’ group and the plot'] },
        ),
        contractedArea: number(['本户确权承包面积', 'Contracted area of the household'], 3.2, {
          min: 0,
          max: 100000,
          unit: MU,
        }),
        transferredArea: number(['流转经营面积', 'Area farmed by transfer'], 45, {
          min: 0,
          max: 100000,
          unit: MU,
        }),
        subsidyArea: number(
          ['申报补贴面积', 'Area claimed'],
          48.2,
          { min: 0, max: 100000, unit: MU },
          {
            hint: [
              '不含已改作他用、常年撂荒或被占用的耕地',
              'Leave out land put to other use, left idle for years or taken for building',
            ],
          },
        ),
        crops: checkbox(
          ['种植作物', 'Crops grown'],
          [
            ['rice', '水稻', 'Rice'],
            ['wheat', '小麦', 'Wheat'],
            ['rapeseed', '油菜', 'Rapeseed'],
            ['maize', '玉米', 'Maize'],
            ['vegetables', '蔬菜', 'Vegetables'],
            ['other', '其他', 'Other'],
          ],
          ['rice', 'wheat'],
          { minItems: 1 },
        ),
      },
    ],
    [
      ['地力保护和补贴发放', 'Soil care and payment'],
      {
        soilMeasures: checkbox(
          ['地力保护措施', 'Soil protection measures'],
          [
            ['straw', '秸秆还田', 'Straw returned to the field'],
            ['organic', '增施有机肥', 'More organic fertiliser'],
            ['formula', '测土配方施肥', 'Soil-tested fertilising'],
            ['green_manure', '种植绿肥', 'Green manure'],
          ],
          ['straw', 'formula'],
        ),
        account: text(['惠农补贴“一卡通”账号', 'Farm subsidy card account'], '6228480318012340001', {
          maxLength: 30,
          hint: [
            '社会保障卡金融账号；已登记的可以不填',
            'The social security card number; leave blank if registered',
          ],
        }),
        commitment: declaration(
          ['申报承诺', 'Declaration'],
          [
            '申报的耕地未改作他用、不撂荒，本人采取措施保护耕地地力',
            'The land declared is farmed, not left idle, and I take care of its fertility',
          ],
        ),
      },
    ],
  ],
);

const PUBLIC_RENTAL_HOUSING = form(
  ['公共租赁住房保障申请表', 'Application for public rental housing'],
  [
    'applicantName',
    'applicantId',
    'maritalStatus',
    'phone',
    'category',
    'hukouPlace',
    'residence',
    'householdSize',
    'housingStatus',
    'currentHousing',
    'income',
    'preference',
    'commitment',
  ],
  [
    [
      ['申请人', 'The applicant'],
      {
        applicantName: text(NAME, '林晓', { 'x-autocomplete': 'name' }),
        applicantId: citizenId(ID_NUMBER, '340104199809120024'),
        maritalStatus: choice(
          'select',
          ['婚姻状况', 'Marital status'],
          [
            ['unmarried', '未婚', 'Unmarried'],
            ['married', '已婚', 'Married'],
            ['divorced', '离异', 'Divorced'],
            ['widowed', '丧偶', 'Widowed'],
          ],
          'unmarried',
        ),
        phone: mobile(MOBILE, '18867112345'),
        category: choice(
          'select',
          ['申请类别', 'Applying as'],
          [
            ['local', '西湖区户籍住房困难家庭', 'Household registered in Xihu'],
            ['graduate', '新就业大学毕业生', 'Recent graduate in work'],
            ['entrepreneur', '创业人员', 'Entrepreneur'],
            ['migrant', '外来务工人员', 'Migrant worker'],
          ],
          'graduate',
        ),
      },
    ],
    [
      ['户籍、居住和工作', 'Registration, home and work'],
      {
        hukouPlace: text(['户籍所在地', 'Place of household registration'], '安徽省合肥市蜀山区', {
          maxLength: 100,
        }),
        residence: address(
          ['现居住地址', 'Home address'],
          { division: '330106004053', detail: '学院路77号3幢402室（租住）' },
          'village',
        ),
        employer: text(['工作单位', 'Employer'], '杭州西岭数字科技有限公司', {
          maxLength: 100,
          'x-autocomplete': 'organization',
          hint: [
            '以新就业大学毕业生、创业人员或外来务工人员身份申请的填写',
            'For graduates, entrepreneurs and migrant workers',
          ],
        }),
      },
    ],
    [
      ['共同申请的家庭成员', 'The household'],
      {
        householdSize: count(['申请家庭人数', 'People in the application'], 1, 1, 20),
        coApplicants: textarea(['共同申请人', 'Co-applicants'], '无', {
          maxLength: 1000,
          'x-rows': 3,
          hint: [
            '每行一人：姓名、与申请人关系、身份证号；单身申请的填“无”',
            'One a line: name, relation, citizen ID number; write 无 if applying alone',
          ],
        }),
        priority: checkbox(
          ['优先保障情形', 'Grounds for priority'],
          [
            ['minimum_living', '最低生活保障家庭', 'Minimum living allowance'],
            ['edge', '低保边缘家庭', 'Just above the allowance line'],
            ['extreme_poverty', '特困人员', 'Extreme poverty'],
            ['disability', '重度残疾人', 'Severe disability'],
            ['veteran', '优抚对象', 'Veterans and martyrs’ families'],
          ],
          [],
        ),
      },
    ],
    [
      ['住房和收入', 'Housing and income'],
      {
        housingStatus: choice(
          'radio',
          ['在杭住房状况', 'Housing owned in Hangzhou'],
          [
            ['none', '在杭州市区无住房', 'None in urban Hangzhou'],
            ['below_standard', '人均住房建筑面积低于住房困难标准', 'Below the space standard per person'],
          ],
          'none',
        ),
        currentHousing: choice(
          'radio',
          ['现居住方式', 'Living in'],
          [
            ['rent', '租赁私房', 'Rented'],
            ['dormitory', '单位宿舍', 'Employer’s dormitory'],
            ['lodging', '借住亲友住房', 'With relatives or friends'],
            ['own', '自有住房', 'Own home'],
          ],
          'rent',
        ),
        ownedArea: number(['家庭自有住房建筑面积', 'Floor area owned'], 0, {
          min: 0,
          max: 10000,
          unit: SQUARE_METRES,
        }),
        income: number(['家庭上年度人均可支配收入', 'Disposable income per head last year'], 68000, {
          min: 0,
          max: 10000000,
          unit: YUAN,
        }),
      },
    ],
    [
      ['保障方式', 'The help sought'],
      {
        preference: choice(
          'radio',
          ['申请保障方式', 'Form of help'],
          [
            ['allocation', '实物配租', 'A flat to rent'],
            ['allowance', '租赁补贴', 'Rent allowance'],
          ],
          'allocation',
        ),
        commitment: declaration(
          ['承诺和授权', 'Declaration and authorisation'],
          [
            '申请人和共同申请人未享受其他住房保障，授权有关部门核查家庭住房、收入和财产状况',
            'We have no other housing support, and authorise the check of our housing, income and assets',
          ],
        ),
      },
    ],
  ],
);

const FOOD_BUSINESS_LICENCE = form(
  ['食品经营许可申请书', 'Application for a food business licence'],
  [
    'applicantName',
    'creditCode',
    'legalRepName',
    'legalRepId',
    'phone',
    'premises',
    'operatingArea',
    'operatorType',
    'activities',
    'safetyManager',
    'safetyManagerPhone',
    'staffCount',
    'delivery',
  ],
  [
    [
      ['申请人', 'The applicant'],
      {
        applicantName: text(['申请人名称', 'Name of the applicant'], '杭州市西湖区王记小吃店', {
          maxLength: 100,
          'x-autocomplete': 'organization',
          hint: ['与营业执照载明的一致', 'As on the business licence'],
        }),
        creditCode: creditCode(['统一社会信用代码', 'Unified social credit code'], '92330106MA2H3F7LX2'),
        legalRepName: text(['法定代表人（负责人、经营者）', 'Legal representative (operator)'], '王建国', {
          'x-autocomplete': 'name',
        }),
        legalRepId: citizenId(ID_NUMBER, '33010619880615003X'),
        phone: phone(PHONE, '13957101234'),
      },
    ],
    [
      ['经营场所', 'Premises'],
      {
        premises: address(
          ['经营场所', 'Premises'],
          { division: '330106002051', detail: '保俶路12号一楼' },
          'village',
        ),
        operatingArea: number(['经营场所面积', 'Floor area'], 45, {
          min: 1,
          max: 1000000,
          unit: SQUARE_METRES,
        }),
      },
    ],
    [
      ['主体业态和经营项目', 'Kind of operator and activities'],
      {
        operatorType: choice(
          'radio',
          ['主体业态', 'Kind of operator'],
          [
            ['sales', '食品销售经营者', 'Food seller'],
            ['catering', '餐饮服务经营者', 'Caterer'],
            ['canteen', '集中用餐单位食堂', 'Canteen'],
          ],
          'catering',
        ),
        operatorNotes: checkbox(
          ['主体业态标注', 'Also'],
          [
            ['online', '网络经营', 'Sells online'],
            ['central_kitchen', '中央厨房', 'Central kitchen'],
            ['group_meals', '集体用餐配送', 'Group meal delivery'],
          ],
          ['online'],
        ),
        activities: checkbox(
          ['经营项目', 'Activities'],
          [
            ['bulk', '散装食品销售', 'Selling bulk food'],
            ['special', '特殊食品销售', 'Selling special foods'],
            ['other_sale', '其他类食品销售', 'Selling other food'],
            ['hot', '热食类食品制售', 'Hot food'],
            ['cold', '冷食类食品制售', 'Cold food'],
            ['raw', '生食类食品制售', 'Raw food'],
            ['semi', '半成品制售', 'Semi-prepared food'],
            ['drinks', '自制饮品制售', 'Drinks made on site'],
            ['other_making', '其他类食品制售', 'Other food made on site'],
          ],
          ['hot', 'drinks'],
          {
            minItems: 1,
            hint: [
              '仅销售预包装食品的办理备案，不申请许可',
              'Selling only prepackaged food is filed, not licensed',
            ],
          },
        ),
      },
    ],
    [
      ['食品安全管理', 'Food safety management'],
      {
        safetyManager: text(['食品安全管理人员', 'Food safety manager'], '陈丽', {
          'x-autocomplete': 'name',
        }),
        safetyManagerPhone: phone(['食品安全管理人员联系电话', "Food safety manager's phone"], '13857109876'),
        staffCount: count(['从业人员人数', 'Staff'], 3, 1, 100000),
      },
    ],
    [
      ['许可证领取', 'The licence'],
      {
        delivery: choice(
          'radio',
          ['许可证领取方式', 'Receiving the licence'],
          [
            ['electronic', '仅需电子证书', 'Electronic only'],
            ['window', '窗口领取纸质证书', 'Paper, at the window'],
            ['post', '免费邮寄纸质证书', 'Paper, by post'],
          ],
          'window',
        ),
      },
    ],
  ],
);

const EMPLOYMENT_REGISTRATION = form(
  ['就业失业登记表', 'Employment and unemployment registration'],
  ['registration', 'name', 'citizenId', 'phone', 'education', 'residence'],
  [
    [
      ['登记人', 'The person'],
      {
        registration: choice(
          'radio',
          ['登记类型', 'Registering'],
          [
            ['employment', '就业登记', 'Employment'],
            ['unemployment', '失业登记', 'Unemployment'],
          ],
          'unemployment',
        ),
        name: text(NAME, '黄伟', { 'x-autocomplete': 'name' }),
        citizenId: citizenId(ID_NUMBER, '330106199304180057'),
        phone: mobile(MOBILE, '15968112345'),
        education: choice('select', ['文化程度', 'Education'], EDUCATION, 'bachelor'),
        residence: address(
          ['常住地址', 'Home address'],
          { division: '330102003052', detail: '青年路30号2单元601室' },
          'village',
          {
            hint: [
              '失业登记在常住地的社区（村）办理',
              'Unemployment is registered in the community you live in',
            ],
          },
        ),
      },
    ],
    [
      ['就业情况（办理就业登记的填写）', 'Employment (when registering employment)'],
      {
        employmentForm: choice(
          'select',
          ['就业形式', 'Kind of work'],
          [
            ['self_employed', '个体经营', 'Self-employed'],
            ['flexible', '灵活就业', 'Flexible work'],
            ['startup', '创办企业', 'Founded a company'],
          ],
          'flexible',
        ),
        employedFrom: date(['就业日期', 'Working since'], '2025-05-06'),
        workplace: text(['就业单位或从业内容', 'Where or what'], '网络平台配送员（杭州市西湖区）', {
          maxLength: 100,
        }),
      },
    ],
    [
      ['失业情况（办理失业登记的填写）', 'Unemployment (when registering unemployment)'],
      {
        unemploymentReason: choice(
          'select',
          ['失业原因', 'Why unemployed'],
          [
            ['contract_ended', '劳动合同期满终止', 'Contract ended'],
            ['dismissed', '用人单位解除劳动合同', 'Dismissed by the employer'],
            ['resigned', '本人辞职', 'Resigned'],
            ['business_closed', '个体经营或企业停业', 'Own business closed'],
            ['graduate', '毕业后未就业', 'Not in work since graduating'],
            ['land_requisitioned', '承包土地被征收', 'Farmland requisitioned'],
            ['veteran', '退出现役未安置', 'Left the army, not placed'],
            ['released', '刑满释放', 'Released from prison'],
            ['other', '其他', 'Other'],
          ],
          'contract_ended',
        ),
        unemployedFrom: date(['失业日期', 'Unemployed since'], '2025-03-01'),
        formerEmployer: text(['原工作单位', 'Last employer'], '杭州云栖电子商务有限公司', {
          maxLength: 100,
          'x-autocomplete': 'organization',
        }),
        jobWanted: text(['求职意向（工种或岗位）', 'Work sought'], '电子商务运营'),
        training: checkbox(
          ['就业服务需求', 'Help wanted'],
          [
            ['skills', '职业技能培训', 'Skills training'],
            ['startup', '创业培训', 'Start-up training'],
            ['guidance', '职业指导和职业介绍', 'Career guidance and job placement'],
          ],
          ['skills', 'guidance'],
        ),
        claimBenefit: choice('radio', ['申领失业保险金', 'Claim unemployment benefit'], YES_NO, 'yes'),
        difficulties: checkbox(
          ['就业困难情形', 'Difficulties finding work'],
          [
            ['older', '女满40周岁、男满50周岁', 'Women 40 or over, men 50 or over'],
            ['disabled', '残疾人', 'Disabled'],
            ['minimum_living', '低保家庭成员', 'In a minimum living allowance household'],
            ['zero_employment', '零就业家庭成员', 'In a household with nobody in work'],
            ['long_term', '连续失业一年以上', 'Unemployed for over a year'],
          ],
          [],
          {
            hint: [
              '属于这些情形的，可以申请认定为就业困难人员，享受就业援助',
              'These may be recognised for employment assistance',
            ],
          },
        ),
      },
    ],
  ],
);

const SCHOOL_ENROLMENT = form(
  ['西湖区义务教育入学报名登记表', 'Xihu District compulsory education enrolment'],
  [
    'studentName',
    'studentId',
    'studentGender',
    'grade',
    'category',
    'residence',
    'housing',
    'guardianName',
    'guardianRelation',
    'guardianId',
    'guardianPhone',
  ],
  [
    [
      ['学生', 'The child'],
      {
        studentName: text(['学生姓名', "Child's name"], '郑子涵', { 'x-autocomplete': 'name' }),
        studentId: citizenId(['学生身份证号', "Child's citizen ID number"], '330106201903210027'),
        studentGender: choice('radio', ['性别', 'Sex'], GENDER, 'female'),
        grade: choice(
          'radio',
          ['报名年级', 'Year'],
          [
            ['primary', '小学一年级', 'Primary year 1'],
            ['junior', '初中一年级', 'Junior secondary year 1'],
          ],
          'primary',
        ),
        formerSchool: text(
          ['毕业幼儿园（小学）', 'Kindergarten (primary school) left'],
          '杭州市西湖区文三幼儿园',
          {
            maxLength: 100,
          },
        ),
        health: textarea(['健康状况和特殊需要', 'Health and special needs'], '健康', {
          maxLength: 500,
          'x-rows': 2,
          hint: [
            '需要随班就读等特殊安排的写明',
            'Say if the child needs inclusive education or other arrangements',
          ],
        }),
      },
    ],
    [
      ['户籍和住房', 'Registration and housing'],
      {
        category: choice(
          'radio',
          ['报名类别', 'Applying as'],
          [
            ['local', '杭州市户籍', 'Registered in Hangzhou'],
            ['migrant', '非杭州市户籍随迁子女', 'Child of parents working here from elsewhere'],
          ],
          'local',
        ),
        hukouAddress: address(
          ['学生户籍地址', "Child's registered address"],
          { division: '330106002052', detail: '保俶北路18号3幢201室' },
          'village',
          { hint: ['杭州市户籍的填写', 'For children registered in Hangzhou'] },
        ),
        residence: address(
          ['实际居住地址', 'Home address'],
          { division: '330106002052', detail: '保俶北路18号3幢201室' },
          'village',
          { hint: ['学区按居住的社区划分', 'School districts follow the community you live in'] },
        ),
        housing: choice(
          'radio',
          ['住房情况', 'Housing'],
          [
            ['own', '学区内自有住房', 'Own home in the district'],
            ['rental', '登记备案的租赁住房', 'Registered rented home'],
            ['other', '其他（由教育局统筹安排）', 'Other (the bureau places the child)'],
          ],
          'own',
        ),
        propertyCertificate: text(
          ['不动产权证号', 'Property certificate number'],
          '浙（2019）杭州市不动产权第0123456号',
          {
            maxLength: 100,
            hint: ['以自有住房报名的填写', 'When applying by an own home'],
          },
        ),
      },
    ],
    [
      ['监护人', 'Guardians'],
      {
        guardianName: text(['监护人姓名', "Guardian's name"], '郑浩', { 'x-autocomplete': 'name' }),
        guardianRelation: choice(
          'radio',
          ['与学生关系', 'Relation to the child'],
          [
            ['father', '父亲', 'Father'],
            ['mother', '母亲', 'Mother'],
            ['other', '其他法定监护人', 'Other legal guardian'],
          ],
          'father',
        ),
        guardianId: citizenId(['监护人身份证号', "Guardian's citizen ID number"], '33010619870102001X'),
        guardianPhone: mobile(['监护人手机号码', "Guardian's mobile number"], '13905711234', {
          hint: ['录取结果以短信发送到这个号码', 'The result is sent to this number'],
        }),
        guardianEmployer: text(['监护人工作单位', "Guardian's employer"], '浙江华岳建设有限公司', {
          maxLength: 100,
          'x-autocomplete': 'organization',
        }),
        secondGuardianName: text(['另一监护人姓名', "Other guardian's name"], '何静', {
          'x-autocomplete': 'name',
        }),
        secondGuardianId: citizenId(
          ['另一监护人身份证号', "Other guardian's citizen ID number"],
          '330106198905260023',
        ),
        secondGuardianPhone: mobile(['另一监护人手机号码', "Other guardian's mobile number"], '13905715678'),
      },
    ],
    [
      ['报名学校', 'School'],
      {
        school: text(['报名学校', 'School applied to'], '杭州市保俶塔实验学校', {
          maxLength: 100,
          hint: [
            '学区对口的公办学校或报名的民办学校',
            'The public school of the district, or the private school applied to',
          ],
        }),
      },
    ],
  ],
);

const TEMPORARY_ASSISTANCE = form(
  ['浙江省社会救助申请表（临时救助）', 'Zhejiang social assistance application (temporary assistance)'],
  [
    'applicantName',
    'applicantId',
    'phone',
    'identity',
    'residence',
    'householdSize',
    'monthlyIncome',
    'hardshipType',
    'hardshipDate',
    'reason',
    'amount',
    'authorization',
  ],
  [
    [
      ['申请人', 'The applicant'],
      {
        applicantName: text(NAME, '马红', { 'x-autocomplete': 'name' }),
        applicantId: citizenId(ID_NUMBER, '330106197908130027'),
        phone: phone(PHONE, '13588798765'),
        identity: choice(
          'radio',
          ['申请人身份', 'Applying as'],
          [
            ['zhejiang', '浙江省户籍', 'Registered in Zhejiang'],
            ['permit', '持浙江省居住证', 'Holding a Zhejiang residence permit'],
            ['floating', '困难发生在本地的流动人口', 'From elsewhere, in hardship here'],
          ],
          'zhejiang',
        ),
        residence: address(
          ['现居住地址', 'Home address'],
          { division: '330102001051', detail: '清波街56号1单元302室' },
          'village',
          { hint: ['选择到社区（村）', 'Choose down to the community'] },
        ),
      },
    ],
    [
      ['家庭情况', 'The household'],
      {
        householdSize: count(['家庭人口', 'Household size'], 2, 1, 20),
        assistanceStatus: checkbox(
          ['已享受的社会救助', 'Assistance already received'],
          [
            ['minimum_living', '最低生活保障', 'Minimum living allowance'],
            ['edge', '低保边缘家庭', 'Just above the allowance line'],
            ['extreme_poverty', '特困人员救助供养', 'Support in extreme poverty'],
          ],
          ['edge'],
        ),
        monthlyIncome: number(['家庭月总收入', 'Household income a month'], 3200, {
          min: 0,
          max: 1000000,
          unit: YUAN,
        }),
      },
    ],
    [
      ['困难情形', 'The hardship'],
      {
        hardshipType: choice(
          'radio',
          ['困难类型', 'Kind of hardship'],
          [
            ['emergency', '急难型（意外事件、突发重大疾病）', 'Sudden (accident, sudden serious illness)'],
            ['expenditure', '支出型（医疗、教育等必需支出突增）', 'Costs (medical, schooling) beyond means'],
            ['other', '其他特殊困难', 'Other'],
          ],
          'expenditure',
        ),
        hardshipDate: date(['困难发生日期', 'Hardship since'], '2025-04-10'),
        reason: textarea(
          ['申请理由', 'Reason for applying'],
          '女儿突发急性白血病住院治疗，医保报销后自付医疗费用约6万元，超出家庭承受能力，基本生活出现困难，申请临时救助。',
          { minLength: 2, maxLength: 2000, 'x-rows': 4, hint: ASSISTANCE_REASON_HINT },
        ),
      },
    ],
    [
      ['申请救助', 'Assistance sought'],
      {
        amount: number(
          ['申请金额', 'Amount applied for'],
          10000,
          { min: 1, max: 100000, integer: true, unit: YUAN },
          { hint: ['以审批确定的金额为准', 'The amount approved prevails'] },
        ),
        aidThisYear: number(['本年度已获临时救助金额', 'Temporary assistance already this year'], 0, {
          min: 0,
          max: 100000,
          unit: YUAN,
        }),
        account: text(['救助金发放账户', 'Account for payment'], '6228480318012347890', {
          maxLength: 30,
          hint: ['社会保障卡金融账号或本人银行卡号', 'The social security card or your own bank card number'],
        }),
      },
    ],
    [['授权和承诺', 'Authorisation'], { authorization: ECONOMIC_CHECK }],
  ],
);

const SOCIAL_ORGANISATION = form(
  ['社会团体成立登记申请书', 'Application for registration of a social organisation'],
  [
    'orgName',
    'category',
    'registration',
    'activityArea',
    'residence',
    'purpose',
    'scope',
    'individualMembers',
    'unitMembers',
    'staffCount',
    'funds',
    'fundSources',
    'legalRepName',
    'legalRepId',
    'legalRepPosition',
    'legalRepPhone',
    'founders',
    'contactName',
    'contactPhone',
  ],
  [
    [
      ['社会团体', 'The organisation'],
      {
        orgName: text(['社会团体名称', 'Name'], '杭州市城市书房阅读推广协会', {
          maxLength: 100,
          'x-autocomplete': 'organization',
          hint: [
            '地方性社会团体的名称不得冠以“中国”“全国”“中华”等字样',
            'A local organisation may not call itself national',
          ],
        }),
        category: choice(
          'radio',
          ['社团类别', 'Kind'],
          [
            ['academic', '学术性', 'Academic'],
            ['industry', '行业性', 'Trade'],
            ['professional', '专业性', 'Professional'],
            ['federation', '联合性', 'Federation'],
          ],
          'professional',
        ),
        registration: choice(
          'radio',
          ['登记方式', 'Registered'],
          [
            ['sponsored', '经业务主管单位审查同意', 'With a supervising body’s consent'],
            ['direct', '直接登记', 'Directly'],
          ],
          'sponsored',
          {
            hint: [
              '行业协会商会类、科技类、公益慈善类、城乡社区服务类可以直接登记',
              'Trade, science, charity and community service organisations may register directly',
            ],
          },
        ),
        sponsor: text(['业务主管单位', 'Supervising body'], '杭州市文化广电旅游局', { maxLength: 100 }),
        activityArea: text(['活动地域', 'Area of activity'], '杭州市'),
        residence: address(
          ['住所', 'Address'],
          { division: '330106002051', detail: '保俶路150号2楼' },
          'village',
        ),
      },
    ],
    [
      ['宗旨和业务范围', 'Purpose and activities'],
      {
        purpose: textarea(
          ['宗旨', 'Purpose'],
          '遵守宪法、法律、法规和国家政策，践行社会主义核心价值观，推广全民阅读，建设书香杭州。',
          { maxLength: 500 },
        ),
        scope: textarea(
          ['业务范围', 'Activities'],
          '组织阅读推广活动；开展城市书房志愿服务；举办读书讲座和交流；承接政府委托的阅读推广项目。',
          { maxLength: 1000 },
        ),
      },
    ],
    [
      ['会员、人员和资金', 'Members, staff and funds'],
      {
        individualMembers: count(['个人会员数', 'Individual members'], 86, 0, 1000000, {
          hint: [
            '个人会员不少于50个或单位会员不少于30个；混合组成的合计不少于50个',
            'At least 50 individual or 30 corporate members; at least 50 in all when mixed',
          ],
        }),
        unitMembers: number(['单位会员数', 'Corporate members'], 12, {
          min: 0,
          max: 1000000,
          integer: true,
          unit: ['个', 'members'],
        }),
        staffCount: count(['专职工作人员数', 'Full-time staff'], 2, 1, 10000),
        funds: number(
          ['活动资金', 'Funds'],
          10,
          { min: 3, max: 1000000, unit: WAN_YUAN },
          {
            hint: [
              '地方性社会团体不少于3万元，以验资报告为准',
              'At least 30,000 yuan, as the capital report shows',
            ],
          },
        ),
        fundSources: checkbox(
          ['经费来源', 'Sources of funds'],
          [
            ['dues', '会费', 'Membership dues'],
            ['donations', '捐赠', 'Donations'],
            ['subsidies', '政府资助', 'Government grants'],
            ['services', '在业务范围内开展活动或服务的收入', 'Income from its activities'],
            ['interest', '利息', 'Interest'],
            ['other', '其他合法收入', 'Other lawful income'],
          ],
          ['dues', 'donations'],
          { minItems: 1 },
        ),
      },
    ],
    [
      ['法定代表人', 'Legal representative'],
      {
        legalRepName: text(NAME, '徐文华', { 'x-autocomplete': 'name' }),
        legalRepId: citizenId(ID_NUMBER, '330102196503100014'),
        legalRepPosition: choice(
          'radio',
          ['拟任职务', 'Position'],
          [
            ['president', '会长（理事长）', 'President'],
            ['vice_president', '副会长（副理事长）', 'Vice-president'],
            ['secretary_general', '秘书长', 'Secretary-general'],
          ],
          'president',
        ),
        legalRepPhone: mobile(MOBILE, '13588712345'),
      },
    ],
    [
      ['发起人和联系人', 'Founders and contact'],
      {
        founders: textarea(
          ['发起人', 'Founders'],
          '徐文华，330102196503100014，杭州市某中学退休教师\n何敏，330106197809200026，杭州某出版社编辑\n杭州市西湖区图书馆，12330100470005236F，公益一类事业单位',
          {
            maxLength: 2000,
            'x-rows': 4,
            hint: [
              '每行一位：姓名或单位名称、身份证号或统一社会信用代码、工作单位和职务',
              'One a line: name, citizen ID or credit code, employer and position',
            ],
          },
        ),
        contactName: text(['联系人', 'Contact'], '何敏', { 'x-autocomplete': 'name' }),
        contactPhone: phone(PHONE, '0571-85251234'),
      },
    ],
  ],
);

const SECURITY_COMPANY = form(
  ['设立保安服务公司申请书', 'Application to establish a security service company'],
  [
    'companyName',
    'residence',
    'registeredCapital',
    'services',
    'guardCount',
    'investors',
    'legalRepName',
    'legalRepId',
    'legalRepPhone',
    'legalRepExperience',
    'managers',
    'specialistCount',
    'equipment',
    'contactName',
    'contactPhone',
  ],
  [
    [
      ['拟设立的公司', 'The company'],
      {
        companyName: text(['公司名称', 'Company name'], '杭州西护保安服务有限公司', {
          maxLength: 100,
          'x-autocomplete': 'organization',
        }),
        residence: address(
          ['住所', 'Address'],
          { division: '330106004053', detail: '教工路18号2幢3楼' },
          'village',
        ),
        registeredCapital: number(
          ['注册资本', 'Registered capital'],
          200,
          { min: 100, max: 10000000, unit: WAN_YUAN },
          { hint: ['不低于人民币100万元', 'At least 1,000,000 yuan'] },
        ),
        services: checkbox(
          ['拟从事的保安服务', 'Services to offer'],
          [
            ['door', '门卫', 'Door guarding'],
            ['patrol', '巡逻', 'Patrols'],
            ['guarding', '守护', 'Site guarding'],
            ['escort', '押运（非武装）', 'Escort (unarmed)'],
            ['bodyguard', '随身护卫', 'Personal protection'],
            ['inspection', '安全检查', 'Security screening'],
            ['technical', '安全技术防范', 'Technical security'],
            ['assessment', '安全风险评估', 'Security risk assessment'],
          ],
          ['door', 'patrol', 'guarding', 'technical'],
          {
            minItems: 1,
            hint: [
              '从事武装守护押运服务的，按《保安服务管理条例》第十条另行申请',
              'Armed guarding and escort is applied for separately (article 10 of the regulations)',
            ],
          },
        ),
        guardCount: count(['拟招用保安员人数', 'Guards to hire'], 120, 1, 100000),
      },
    ],
    [
      ['出资人', 'Investors'],
      {
        investors: textarea(
          ['出资人及出资情况', 'Investors and contributions'],
          '沈立军，330103197506250035，出资120万元，占60%\n杭州西岭投资有限公司，91330106MA2J4R1T7P，出资80万元，占40%',
          {
            maxLength: 2000,
            hint: [
              '每行一位：姓名或名称、身份证号或统一社会信用代码、出资额、出资比例',
              'One a line: name, citizen ID or credit code, amount, share',
            ],
          },
        ),
      },
    ],
    [
      ['法定代表人和主要管理人员', 'Legal representative and managers'],
      {
        legalRepName: text(['拟任法定代表人', 'Proposed legal representative'], '沈立军', {
          'x-autocomplete': 'name',
        }),
        legalRepId: citizenId(ID_NUMBER, '330103197506250035'),
        legalRepPhone: mobile(MOBILE, '13655712345'),
        legalRepExperience: textarea(
          ['法定代表人相关工作经历', "Legal representative's experience"],
          '1997年至2019年在杭州市从事治安保卫工作；2019年起任杭州某物业服务公司安保部经理。',
          { maxLength: 1000 },
        ),
        managers: textarea(
          ['主要管理人员', 'Managers'],
          '王磊，330106198203150014，拟任总经理，从事保安管理工作12年',
          {
            maxLength: 2000,
            hint: [
              '每行一人：姓名、身份证号、拟任职务、相关工作经历',
              'One a line: name, citizen ID number, proposed position, experience',
            ],
          },
        ),
      },
    ],
    [
      ['专业技术人员和设施装备', 'Specialists and equipment'],
      {
        specialistCount: count(['专业技术人员人数', 'Specialists'], 6, 0, 10000, {
          hint: ['如安全技术防范工程技术人员', 'Such as technical security engineers'],
        }),
        equipment: textarea(
          ['主要设施和装备', 'Main facilities and equipment'],
          '保安员值班用房2间；巡逻车2辆；对讲机60部；执勤记录仪40台；防刺服等防护装备120套。',
          { maxLength: 1000 },
        ),
      },
    ],
    [
      ['联系人', 'Contact'],
      {
        contactName: text(['联系人', 'Contact'], '许佳', { 'x-autocomplete': 'name' }),
        contactPhone: phone(PHONE, '13757165432'),
      },
    ],
  ],
);

const PHYSICIAN_REGISTRATION = form(
  ['医师执业注册申请审核表', 'Application for registration to practise as a physician'],
  [
    'name',
    'citizenId',
    'gender',
    'phone',
    'education',
    'school',
    'major',
    'level',
    'category',
    'certificateNumber',
    'qualifiedOn',
    'institution',
    'institutionCode',
    'institutionAddress',
    'practiceScope',
    'registration',
    'commitment',
  ],
  [
    [
      ['申请人', 'The applicant'],
      {
        name: text(NAME, '冯雅琴', { 'x-autocomplete': 'name' }),
        citizenId: citizenId(ID_NUMBER, '330106199411160027'),
        gender: choice('radio', ['性别', 'Sex'], GENDER, 'female'),
        phone: mobile(MOBILE, '18958012345'),
        email: text(['电子邮箱', 'Email'], 'fengyaqin@example.com', {
          maxLength: 100,
          'x-autocomplete': 'email',
        }),
      },
    ],
    [
      ['学历', 'Education'],
      {
        education: choice(
          'select',
          ['最高学历', 'Highest degree'],
          [
            ['doctorate', '博士研究生', 'Doctorate'],
            ['master', '硕士研究生', 'Master'],
            ['bachelor', '大学本科', 'Bachelor'],
            ['college', '大学专科', 'College'],
            ['secondary', '中等专业学校', 'Secondary vocational'],
          ],
          'master',
        ),
        school: text(['毕业学校', 'School'], '浙江大学', { maxLength: 100 }),
        major: text(['所学专业', 'Subject'], '临床医学'),
        graduatedOn: date(['毕业日期', 'Graduated'], '2020-06-30'),
      },
    ],
    [
      ['医师资格', 'Qualification'],
      {
        level: choice(
          'radio',
          ['资格级别', 'Level'],
          [
            ['physician', '执业医师', 'Physician'],
            ['assistant', '执业助理医师', 'Assistant physician'],
          ],
          'physician',
        ),
        category: choice(
          'radio',
          ['执业类别', 'Category'],
          [
            ['clinical', '临床', 'Clinical'],
            ['tcm', '中医', 'Traditional Chinese medicine'],
            ['dental', '口腔', 'Dental'],
            ['public_health', '公共卫生', 'Public health'],
          ],
          'clinical',
        ),
        certificateNumber: text(
          ['医师资格证书编码', 'Qualification certificate number'],
          '202133111330106199411160027',
          {
            maxLength: 30,
          },
        ),
        qualifiedOn: date(['取得资格日期', 'Qualified on'], '2021-12-15'),
      },
    ],
    [
      ['拟执业', 'Practice'],
      {
        institution: text(['主要执业机构', 'Main institution'], '浙江省文三医院', {
          maxLength: 100,
          'x-autocomplete': 'organization',
        }),
        institutionCode: creditCode(
          ['执业机构统一社会信用代码', "Institution's unified social credit code"],
          '12330000470008170U',
        ),
        institutionAddress: address(['执业机构地址', "Institution's address"], {
          division: '330106',
          detail: '文三路300号',
        }),
        practiceScope: choice(
          'select',
          ['执业范围', 'Scope of practice'],
          [
            ['internal', '内科专业', 'Internal medicine'],
            ['surgery', '外科专业', 'Surgery'],
            ['obstetrics', '妇产科专业', 'Obstetrics and gynaecology'],
            ['pediatrics', '儿科专业', 'Paediatrics'],
            ['eye_ent', '眼耳鼻咽喉科专业', 'Ophthalmology and ENT'],
            ['dermatology', '皮肤病与性病专业', 'Dermatology and venereology'],
            ['psychiatry', '精神卫生专业', 'Psychiatry'],
            ['imaging', '医学影像和放射治疗专业', 'Medical imaging and radiotherapy'],
            ['laboratory', '医学检验、病理专业', 'Laboratory medicine and pathology'],
            ['general_practice', '全科医学专业', 'General practice'],
            ['emergency', '急救医学专业', 'Emergency medicine'],
            ['rehabilitation', '康复医学专业', 'Rehabilitation medicine'],
            ['dental', '口腔专业', 'Dentistry'],
            ['public_health', '公共卫生类别专业', 'Public health'],
            ['tcm', '中医专业', 'Traditional Chinese medicine'],
            ['integrated', '中西医结合专业', 'Integrated Chinese and Western medicine'],
          ],
          'internal',
          { hint: ['不得超出执业类别的范围', 'Within the category of the qualification'] },
        ),
        department: text(['拟执业科室', 'Department'], '心血管内科'),
        registration: choice(
          'radio',
          ['注册类型', 'Registration'],
          [
            ['first', '首次注册', 'First registration'],
            ['resumed', '中止执业二年以上重新注册', 'Resuming after two years or more'],
          ],
          'first',
        ),
      },
    ],
    [
      ['承诺', 'Declaration'],
      {
        commitment: declaration(
          ['申请人承诺', "Applicant's declaration"],
          [
            '本人不存在《中华人民共和国医师法》第十六条规定的不予注册情形，所填信息真实',
            'None of the grounds for refusal in article 16 of the Physicians Law applies to me, and what I state is true',
          ],
        ),
      },
    ],
  ],
);

/** Each demo catalogue item's application form, by the item's implementation code. */
export const DEMO_FORMS: Record<string, FormDefinition> = {
  '11330106002491018M00013112800001': INDIVIDUAL_BUSINESS,
  '11330106002491018M00013112700099': START_A_BUSINESS,
  '11330106002491026G00012200200001': RESIDENT_PENSION,
  '11330106002491034B00011100100001': MINIMUM_LIVING,
  '11330106002491042600011703000001': FARMLAND_SUBSIDY,
  '11330106002491050100012401000001': PUBLIC_RENTAL_HOUSING,
  '11330106002491018M00013111300001': FOOD_BUSINESS_LICENCE,
  '11330106002491026G00012210100001': EMPLOYMENT_REGISTRATION,
  '11330106002491069X00011900500001': SCHOOL_ENROLMENT,
  '11330106002491034B00011100300001': TEMPORARY_ASSISTANCE,
  '11330100002491077200011110100001': SOCIAL_ORGANISATION,
  '11330000002001082E00010920300001': SECURITY_COMPANY,
  '11330000002001090900012500400001': PHYSICIAN_REGISTRATION,
};
