/**
 * GB 11643-1999 citizen identity number (公民身份号码), as printed on the resident identity card and,
 * with address codes 810000/820000/830000, on the residence permits of Hong Kong, Macao and Taiwan
 * residents (港澳台居民居住证).
 *
 * 18 characters: a 6-digit address code (GB/T 2260, the division where the number was first issued),
 * the birth date YYYYMMDD, a 3-digit sequence (odd for men, even for women) and a check character by
 * ISO 7064 MOD 11-2 over the first 17 digits (weights 2^(18−i) mod 11; the check value 10 is written X).
 *
 * The address code is checked only as far as it can be without a division list: a number keeps the
 * code it was issued with, and divisions are renamed, merged and abolished, so a code that is not in
 * today's list is still a valid number. What is checked:
 *  - the province part is a GB/T 2260 province-level code (11–15, 21–23, 31–37, 41–46, 50–54, 61–65),
 *    71 (台湾省), 81 (香港) or 82 (澳门) — or 83, which GB/T 2260 does not define but which the residence
 *    permits of Taiwan residents use (830000) instead of 71;
 *  - for a mainland province, the prefecture part (digits 3–4) is not 00: every prefecture-level and
 *    county-level code has a non-zero prefecture part (municipalities use 01/02, the province-direct
 *    counties 90), so a number never carries a bare province code or a 00 prefecture. The county part may
 *    be 00 (a prefecture-level code). For 71/81/82/83 the rest is not checked (permits use xx0000).
 */

export type CitizenIdReason =
  | 'identifiers.citizen_id.length'
  | 'identifiers.citizen_id.characters'
  | 'identifiers.citizen_id.region'
  | 'identifiers.citizen_id.birth_date'
  | 'identifiers.citizen_id.birth_future'
  | 'identifiers.citizen_id.check_character';

export const CITIZEN_ID_REASONS: readonly CitizenIdReason[] = [
  'identifiers.citizen_id.length',
  'identifiers.citizen_id.characters',
  'identifiers.citizen_id.region',
  'identifiers.citizen_id.birth_date',
  'identifiers.citizen_id.birth_future',
  'identifiers.citizen_id.check_character',
];

export type CitizenIdCheck =
  | {
      valid: true;
      /** The number with a lower-case x made upper-case and surrounding spaces removed. */
      normalized: string;
      /** YYYY-MM-DD */
      birthDate: string;
      sex: 'male' | 'female';
      /** The 6-digit address code the number was issued with. */
      regionCode: string;
    }
  | { valid: false; reason: CitizenIdReason };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Σ mod 11 → check character. */
const CHECK_CHARACTERS = '10X98765432';

/** Province-level codes of GB/T 2260 on the mainland. */
// prettier-ignore
const MAINLAND_PROVINCES = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
]);
/** 台湾省 (71), 香港 (81), 澳门 (82) and the Taiwan residents' residence permits (83). */
const OTHER_PROVINCES = new Set(['71', '81', '82', '83']);

/**
 * No one alive was born earlier; the floor still admits the standard's own second example (born 1880).
 * The issue asks only that the date exist and not lie in the future.
 */
const EARLIEST_BIRTH = '1850-01-01';

/** The check character for the first 17 digits of a number (which must be 17 digits). */
export function citizenIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('citizenIdCheckCharacter needs 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Today's date in China (UTC+8, no daylight saving) as YYYY-MM-DD. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

function regionIsPlausible(code: string): boolean {
  const province = code.slice(0, 2);
  if (OTHER_PROVINCES.has(province)) return true;
  return MAINLAND_PROVINCES.has(province) && code.slice(2, 4) !== '00';
}

/**
 * Checks a citizen identity number. `today` (YYYY-MM-DD, or a Date read in China's time zone) is the
 * date a birth date may not be after; it defaults to the current date in China.
 */
export function checkCitizenId(value: string, today: string | Date = new Date()): CitizenIdCheck {
  const v = value.trim().replace(/x$/, 'X');
  if (v.length !== 18) return { valid: false, reason: 'identifiers.citizen_id.length' };
  if (!/^\d{17}[\dX]$/.test(v)) return { valid: false, reason: 'identifiers.citizen_id.characters' };

  const regionCode = v.slice(0, 6);
  if (!regionIsPlausible(regionCode)) return { valid: false, reason: 'identifiers.citizen_id.region' };

  const [y, m, d] = [Number(v.slice(6, 10)), Number(v.slice(10, 12)), Number(v.slice(12, 14))];
  const birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (!isCalendarDate(y, m, d) || birthDate < EARLIEST_BIRTH) {
    return { valid: false, reason: 'identifiers.citizen_id.birth_date' };
  }
  const todayText = typeof today === 'string' ? today : chinaToday(today);
  if (birthDate > todayText) return { valid: false, reason: 'identifiers.citizen_id.birth_future' };

  if (citizenIdCheckCharacter(v.slice(0, 17)) !== v[17]) {
    return { valid: false, reason: 'identifiers.citizen_id.check_character' };
  }
  const sex = Number(v[16]) % 2 === 1 ? 'male' : 'female';
  return { valid: true, normalized: v, birthDate, sex, regionCode };
}

/**
 * Masks a number for display: the address code and the last four characters stay, the birth date and
 * the first sequence digits do not (110105********1234). Anything that is not 18 characters long is
 * masked whole, so a malformed value is never shown either.
 */
export function maskCitizenId(value: string): string {
  const v = value.trim().replace(/x$/, 'X');
  if (v.length !== 18) return '*'.repeat(v.length);
  return `${v.slice(0, 6)}${'*'.repeat(8)}${v.slice(14)}`;
}
