/**
 * Division codes (行政区划代码): GB/T 2260 six digits for province, city and county, extended by the
 * statistical codes to 9 digits (township 乡镇/街道) and 12 digits (village 村/community 社区).
 * The level is read from the code; the code also says which codes can be its parent.
 */
export const DIVISION_LEVELS = ['national', 'province', 'city', 'county', 'township', 'village'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

/** The root of the tree. Not a GB/T 2260 code: the national level has none, so we reserve 000000. */
export const NATIONAL_CODE = '000000';

const RANK: Record<DivisionLevel, number> = {
  national: 0,
  province: 1,
  city: 2,
  county: 3,
  township: 4,
  village: 5,
};

export function levelRank(level: DivisionLevel): number {
  return RANK[level];
}

/** The level a code denotes, or a reason it is not a division code. */
export function levelOf(code: string): { level: DivisionLevel } | { reason: string } {
  if (!/^\d+$/.test(code)) return { reason: 'org.division.code_not_digits' };
  if (code === NATIONAL_CODE) return { level: 'national' };
  if (code.length === 12) {
    // A village's first nine digits are its township's code.
    const township = levelOf(code.slice(0, 9));
    if (!('level' in township)) return township;
    return code.slice(9) === '000' ? { reason: 'org.division.code_zero_part' } : { level: 'village' };
  }
  if (code.length === 9) {
    // A township's first six digits are its county's code, or a city's that has no counties (东莞 441900).
    const county = levelOf(code.slice(0, 6));
    if (!('level' in county)) return county;
    if (county.level !== 'county' && county.level !== 'city')
      return { reason: 'org.division.code_zero_part' };
    return code.slice(6) === '000' ? { reason: 'org.division.code_zero_part' } : { level: 'township' };
  }
  if (code.length !== 6) return { reason: 'org.division.code_length' };
  if (code.slice(0, 2) === '00') return { reason: 'org.division.code_zero_part' };
  if (code.slice(2) === '0000') return { level: 'province' };
  if (code.slice(4) === '00') return { level: 'city' };
  if (code.slice(2, 4) === '00') return { reason: 'org.division.code_zero_part' };
  return { level: 'county' };
}

/**
 * The codes that may be this code's parent, nearest first. A county normally sits under its city
 * (XXYY00), but GB/T 2260 lists without the 市辖区 placeholder put a municipality's districts straight
 * under the province. A township sits under the six-digit code it starts with: its county, or a city
 * that has no counties (东莞 441900).
 */
export function parentCandidates(code: string): string[] {
  const level = levelOf(code);
  if (!('level' in level)) return [];
  switch (level.level) {
    case 'national':
      return [];
    case 'province':
      return [NATIONAL_CODE];
    case 'city':
      return [`${code.slice(0, 2)}0000`];
    case 'county':
      return [`${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`];
    case 'township':
      return [code.slice(0, 6)];
    case 'village':
      return [code.slice(0, 9)];
  }
}

/** The digits every code in this division's subtree starts with ('' for the nation). */
export function subtreePrefix(code: string): string {
  const level = levelOf(code);
  if (!('level' in level)) return code;
  return {
    national: '',
    province: code.slice(0, 2),
    city: code.slice(0, 4),
    county: code.slice(0, 6),
    township: code.slice(0, 9),
    village: code,
  }[level.level];
}

/** Whether `code` is `ancestor` or lies below it: the jurisdiction test. */
export function isWithin(code: string, ancestor: string): boolean {
  return code.startsWith(subtreePrefix(ancestor));
}

const GROUPING_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/**
 * Statistical codes that are not administrative divisions: development zones and the like (county part
 * 71-79, e.g. 130171), and the placeholders the statistics bureau uses to group counties (市辖区 …).
 */
export function isAdministrative(code: string, name: string): boolean {
  if (code.length === 6 && code.slice(4) !== '00') {
    const countyPart = Number(code.slice(4));
    if (countyPart >= 71 && countyPart <= 79) return false;
  }
  if (code.length === 6 && code.slice(4) === '00' && GROUPING_NAMES.has(name)) return false;
  return true;
}
