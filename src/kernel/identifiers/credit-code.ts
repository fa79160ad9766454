/**
 * GB 32100-2015 unified social credit code (统一社会信用代码) of legal entities and other organisations.
 *
 * 18 characters from the 31-character set 0–9 A–H J–N P–R T U W–Y (no I O Z S V):
 *   1      registration authority (登记管理部门代码)
 *   2      organisation type within that authority (机构类别代码)
 *   3–8    division code of the registering administration (登记管理机关行政区划码, GB/T 2260; 100000
 *          for national registrations). Only required to be digits: a code keeps the division it was
 *          registered in, which need not be in today's list.
 *   9–17   the organisation code (主体标识码, GB 11714-1997): 8 body characters and a check character,
 *          C9 = 11 − (Σ Ci·Wi mod 11) with W = 3 7 9 10 5 8 4 2, digits at face value and letters
 *          A=10 … Z=35; 10 is written X and 11 is written 0.
 *   18     check character (GB/T 17710, modulus 31): each character's value is its index in
 *          the set, Wi = 3^(i−1) mod 31, C18 = 31 − (Σ mod 31), 31 → 0, mapped back through the set.
 *
 * Authority and type codes accepted: the table of GB 32100-2015 with its amendment No. 1 (XG1-2016) and
 * the later assignments (A, N), as reproduced identically by several independent public sources
 * (validator libraries and articles on the standard); the standard's own text was not at hand:
 *
 *   1 机构编制            1 机关, 2 事业单位, 3 中央编办直接管理机构编制的群众团体, 9 其他
 *   2 外交                1 外国常驻新闻机构, 9 其他
 *   3 司法行政            1 律师执业机构, 2 公证处, 3 基层法律服务所, 4 司法鉴定机构, 5 仲裁委员会, 9 其他
 *   4 文化                1 外国在华文化中心, 9 其他
 *   5 民政                1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他
 *                         + 4 村民委员会, 5 居民委员会 (see below)
 *   6 旅游                1 外国旅游部门常驻代表机构, 2 港澳台地区旅游部门常驻内地（大陆）代表机构, 9 其他
 *   7 宗教                1 宗教活动场所, 2 宗教院校, 9 其他
 *   8 工会                1 基层工会, 9 其他
 *   9 工商（市场监管）    1 企业, 2 个体工商户, 3 农民专业合作社
 *   A 中央军委改革和编制办公室  1 军队事业单位, 9 其他
 *   N 农业（农业农村）    1 组级集体经济组织, 2 村级集体经济组织, 3 乡镇级集体经济组织, 9 其他
 *   Y 其他                1 (not divided further)
 *
 * 54 and 55 are not in the standard's table: they are the codes the civil-affairs departments give the
 * 基层群众性自治组织特别法人 (village and residents' committees, since 2018). They are accepted so that
 * such committees are not turned away; the checks on the organisation code and check character still
 * apply to them.
 */

export type CreditCodeReason =
  | 'identifiers.credit_code.length'
  | 'identifiers.credit_code.characters'
  | 'identifiers.credit_code.authority'
  | 'identifiers.credit_code.type'
  | 'identifiers.credit_code.region'
  | 'identifiers.credit_code.organization_code'
  | 'identifiers.credit_code.check_character';

export const CREDIT_CODE_REASONS: readonly CreditCodeReason[] = [
  'identifiers.credit_code.length',
  'identifiers.credit_code.characters',
  'identifiers.credit_code.authority',
  'identifiers.credit_code.type',
  'identifiers.credit_code.region',
  'identifiers.credit_code.organization_code',
  'identifiers.credit_code.check_character',
];

export type CreditCodeCheck =
  | {
      valid: true;
      /** Upper-case, surrounding spaces removed. */
      normalized: string;
      /** Registration authority code (position 1). */
      authority: string;
      /** Organisation type code within the authority (position 2). */
      type: string;
      /** Division code of the registering administration (positions 3–8). */
      regionCode: string;
      /** GB 11714 organisation code as printed: XXXXXXXX-X. */
      organizationCode: string;
    }
  | { valid: false; reason: CreditCodeReason };

/** The 31 characters of the code, each worth its index. */
export const CREDIT_CODE_CHARACTERS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Registration authority → the organisation type codes it assigns (table above). */
export const CREDIT_CODE_TYPES: Readonly<Record<string, readonly string[]>> = {
  '1': ['1', '2', '3', '9'],
  '2': ['1', '9'],
  '3': ['1', '2', '3', '4', '5', '9'],
  '4': ['1', '9'],
  '5': ['1', '2', '3', '4', '5', '9'],
  '6': ['1', '2', '9'],
  '7': ['1', '2', '9'],
  '8': ['1', '9'],
  '9': ['1', '2', '3'],
  A: ['1', '9'],
  N: ['1', '2', '3', '9'],
  Y: ['1'],
};

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
/** 3^(i−1) mod 31 for i = 1..17. */
const WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

const charValue = (c: string) => CREDIT_CODE_CHARACTERS.indexOf(c);

/** GB 11714 value of a body character: digits at face value, letters A=10 … Z=35; −1 for anything else. */
function organizationCharValue(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'A' && c <= 'Z') return c.charCodeAt(0) - 55;
  return -1;
}

/** The GB 11714 check character for an 8-character organisation code body (digits, upper letters). */
export function organizationCodeCheckCharacter(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) throw new RangeError('organizationCodeCheckCharacter needs 8 characters');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += organizationCharValue(body[i]!) * ORG_WEIGHTS[i]!;
  const c9 = 11 - (sum % 11);
  return c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9);
}

/** The check character (position 18) for the first 17 characters of a code (all in the 31-set). */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17 || [...first17].some((c) => charValue(c) < 0)) {
    throw new RangeError('creditCodeCheckCharacter needs 17 characters of the code set');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += charValue(first17[i]!) * WEIGHTS[i]!;
  return CREDIT_CODE_CHARACTERS[(31 - (sum % 31)) % 31]!;
}

/** Checks a unified social credit code. Lower-case letters are accepted and made upper-case. */
export function checkCreditCode(value: string): CreditCodeCheck {
  const v = value.trim().replace(/[a-z]/g, (c) => c.toUpperCase());
  if (v.length !== 18) return { valid: false, reason: 'identifiers.credit_code.length' };
  if ([...v].some((c) => charValue(c) < 0))
    return { valid: false, reason: 'identifiers.credit_code.characters' };

  const authority = v[0]!;
  const type = v[1]!;
  const types = CREDIT_CODE_TYPES[authority];
  if (!types) return { valid: false, reason: 'identifiers.credit_code.authority' };
  if (!types.includes(type)) return { valid: false, reason: 'identifiers.credit_code.type' };

  const regionCode = v.slice(2, 8);
  if (!/^\d{6}$/.test(regionCode)) return { valid: false, reason: 'identifiers.credit_code.region' };

  const body = v.slice(8, 16);
  if (organizationCodeCheckCharacter(body) !== v[16]) {
    return { valid: false, reason: 'identifiers.credit_code.organization_code' };
  }
  if (creditCodeCheckCharacter(v.slice(0, 17)) !== v[17]) {
    return { valid: false, reason: 'identifiers.credit_code.check_character' };
  }
  return { valid: true, normalized: v, authority, type, regionCode, organizationCode: `${body}-${v[16]}` };
}
