/**
 * A phone number the office can call the applicant back on. Accepted:
 *  - a mainland mobile: 11 digits 1[3-9]xxxxxxxxx, optionally after +86 / 86;
 *  - a landline with its area code: 010 or 02x followed by 7–8 digits, or a 4-digit 0xxx code followed
 *    by 7–8 digits (local numbers never start with 0 or 1), optionally with an extension (-123, 转123);
 *  - an international number +<country code><number>, 7–15 digits, other than +86 — applicants from
 *    Hong Kong, Macao, Taiwan and abroad have no mainland number.
 * Refused: short service numbers (12345, 95588 …) — a hotline is not the applicant's own number, and a
 * field nobody can be called back on is worse than an error — and local numbers without an area code,
 * which are ambiguous once the case moves to another city's office.
 *
 * Full-width digits (what a Chinese input method may type) are read as digits; spaces, brackets and
 * hyphens between groups are ignored. The normalised number is what is stored: 13800138000,
 * 0571-87654321, 0571-87654321-808, +85291234567.
 */
export type PhoneReason = 'forms.phone.format' | 'forms.phone.area_code' | 'forms.phone.mobile';

export type PhoneCheck =
  | { valid: true; normalized: string; kind: 'mobile' | 'landline' | 'international' }
  | { valid: false; reason: PhoneReason };

/** Full-width digits and signs as ASCII (０-９ ＋ － （ ）). */
export function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

export function checkPhone(value: string, accept: 'any' | 'mobile' = 'any'): PhoneCheck {
  const v = halfWidth(value)
    .trim()
    .replace(/[\s()]/g, '');
  const digitsOnly = v.replace(/-/g, '');

  const mobile = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(digitsOnly);
  if (mobile) return { valid: true, normalized: mobile[1]!, kind: 'mobile' };

  const landline = parseLandline(v);
  if (landline) {
    return accept === 'mobile'
      ? { valid: false, reason: 'forms.phone.mobile' }
      : { valid: true, normalized: landline, kind: 'landline' };
  }
  if (/^\+(?!86)[1-9]\d{6,14}$/.test(digitsOnly)) {
    return accept === 'mobile'
      ? { valid: false, reason: 'forms.phone.mobile' }
      : { valid: true, normalized: digitsOnly, kind: 'international' };
  }
  // Seven or eight digits alone look like a local number that lost its area code.
  if (/^[2-9]\d{6,7}$/.test(digitsOnly)) return { valid: false, reason: 'forms.phone.area_code' };
  return { valid: false, reason: 'forms.phone.format' };
}

/** 0571-87654321[-808] from the ways people write it, or undefined. */
function parseLandline(v: string): string | undefined {
  const m = /^(0\d{2,3}-?\d{7,8})(?:(?:-|转|#|ext\.?|x)(\d{1,6}))?$/i.exec(v);
  if (!m) return undefined;
  const digits = m[1]!.replace(/-/g, '');
  // Beijing (010) and the 02x cities have 3-digit codes; every other code has 4.
  const areaLength = /^0(?:10|2\d)/.test(digits) ? 3 : 4;
  const area = digits.slice(0, areaLength);
  const local = digits.slice(areaLength);
  if (!/^0[1-9]/.test(area) || !/^[2-9]\d{6,7}$/.test(local)) return undefined;
  return `${area}-${local}${m[2] ? `-${m[2]}` : ''}`;
}
