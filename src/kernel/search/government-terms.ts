/**
 * The dictionary every site starts with: terms from service guides and disclosure catalogues that
 * jieba's general dictionary splits (最低生活保障 → 最低/生活/保障) but people search for as one thing.
 * A site's administrators add their own (local programme names, 浙里办) through the segmenter.
 */
export const GOVERNMENT_TERMS: readonly string[] = [
  '最低生活保障',
  '特困人员',
  '临时救助',
  '高龄津贴',
  '残疾人两项补贴',
  '个体工商户',
  '营业执照',
  '统一社会信用代码',
  '食品经营许可证',
  '不动产登记',
  '不动产权证书',
  '政府信息公开',
  '依申请公开',
  '主动公开',
  '公共租赁住房',
  '住房公积金',
  '社会保险',
  '养老保险',
  '医疗保险',
  '工伤保险',
  '失业保险',
  '生育保险',
  '城乡居民基本养老保险',
  '城乡居民基本医疗保险',
  '居民身份证',
  '居住证',
  '户口迁移',
  '出生医学证明',
  '残疾人证',
  '机动车驾驶证',
  '退役军人',
  '行政许可',
  '行政处罚',
  '行政复议',
  '一网通办',
  '跨省通办',
  '一件事一次办',
  '最多跑一次',
  '告知承诺制',
  '容缺受理',
  '办事指南',
  '承诺时限',
  '法定时限',
];

/**
 * Words people type for the same thing, applied to the query only: the index keeps what the document
 * says, and a search for any member of a group finds all of them. Every member is also a dictionary
 * term, so each is one token in the index and in the query.
 */
export const GOVERNMENT_SYNONYMS: readonly (readonly string[])[] = [
  ['最低生活保障', '低保'],
  ['社会保险', '社保'],
  ['医疗保险', '医保'],
  ['公共租赁住房', '公租房'],
  ['营业执照', '工商执照'],
  ['个体工商户', '个体户'],
  ['住房公积金', '公积金'],
  ['居民身份证', '身份证'],
  ['机动车驾驶证', '驾驶证', '驾照'],
  ['残疾人证', '残疾证'],
  ['出生医学证明', '出生证'],
  ['不动产权证书', '房产证'],
  ['户籍', '户口'],
  ['退役军人', '退伍军人'],
];

/**
 * Words around a question rather than in the answer (怎么办理低保 asks for 低保): dropped from a query
 * unless nothing else is left, since every word of a query must match.
 */
export const QUERY_FILLER_WORDS: readonly string[] = [
  '怎么',
  '怎么办',
  '怎样',
  '如何',
  '什么',
  '哪里',
  '哪儿',
  '哪些',
  '哪个',
  '在哪',
  '请问',
  '我要',
  '我想',
  '想要',
  '需要',
  '可以',
  '能否',
  '是否',
  '一下',
  '办理',
];
