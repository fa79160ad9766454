/**
 * TOTP (RFC 6238) second factor: enrolment (secret, otpauth URI, QR code), code verification with replay
 * protection, and one-time recovery codes. Pure functions over strings; the caller stores the secret
 * (encrypted, e.g. with the kernel's Sm4Keyring), the last used time step and the recovery codes' keyed
 * hashes. Nothing here logs, and no error message ever contains a secret or a code.
 *
 * Parameters are the ones every authenticator app assumes: HMAC-SHA1, 6 digits, 30-second steps.
 */
import { randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const ALGORITHM = 'SHA1';
const DIGITS = 6;
const PERIOD_SECONDS = 30;
const STEP_MS = PERIOD_SECONDS * 1000;
/** Steps of clock drift accepted either way. */
const DRIFT_STEPS = 1;
/** 160 bits, the length RFC 4226 §4 recommends. */
const SECRET_BYTES = 20;
/** RFC 4226 §4 requires at least 128 bits. */
const MIN_SECRET_BYTES = 16;
/** Longer input is refused before any normalisation work. */
const MAX_TYPED_LENGTH = 64;

export interface TotpEnrolment {
  /** RFC 4648 base32, upper case, no padding (32 characters). Store it encrypted; show it once. */
  secret: string;
  /** otpauth://totp/… (Google Authenticator key URI format). Contains the secret. */
  uri: string;
  /** An <svg> string of the URI's QR code, no scripts, with a <title>, role="img" and aria-label. */
  qrSvg: string;
}

/**
 * The Key URI format forbids a colon in the issuer and the account name (apps split the label on it),
 * so an ASCII colon becomes a full-width one (：); surrounding white space is trimmed.
 */
function labelPart(value: string, what: string): string {
  const s = value.trim().replace(/:/g, '\uff1a');
  if (s === '') throw new RangeError(`TOTP ${what} must not be empty`);
  return s;
}

function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * A new random 160-bit secret and its otpauth URI (issuer: the site name; label: `${issuer}:${accountName}`),
 * SHA1, 6 digits, 30 s, as every authenticator app expects.
 *
 * The QR code's accessible name (its <title> and aria-label) is bilingual, since this library has no
 * locale: "身份验证器二维码 / Authenticator app QR code — issuer: accountName". It never contains the secret.
 */
export async function newTotpEnrolment(
  issuer: string,
  accountName: string,
  /** An enrolment not yet confirmed, shown again (after a mistyped code) instead of a new secret. */
  pendingSecret?: string,
): Promise<TotpEnrolment> {
  const iss = labelPart(issuer, 'issuer');
  const account = labelPart(accountName, 'account name');
  // A fresh ArrayBuffer of exactly 20 bytes (a Buffer's .buffer may be a larger, shared pool).
  const secret =
    pendingSecret !== undefined
      ? decodeSecret(pendingSecret)
      : new Secret({ buffer: randomFillSync(new Uint8Array(SECRET_BYTES)).buffer });
  const totp = new TOTP({
    issuer: iss,
    label: account,
    issuerInLabel: true,
    secret,
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
  });
  // Issuer and label are each encodeURIComponent-ed, joined by a literal colon:
  // otpauth://totp/<issuer>:<account>?issuer=<issuer>&secret=…&algorithm=SHA1&digits=6&period=30
  const uri = totp.toString();

  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const name = escapeXml(`身份验证器二维码 / Authenticator app QR code — ${iss}: ${account}`);
  const qrSvg = svg
    .trim()
    .replace(/^<svg\b([^>]*)>/, `<svg$1 role="img" aria-label="${name}"><title>${name}</title>`);
  if (!qrSvg.startsWith('<svg') || !qrSvg.includes('<title>') || /<script/i.test(qrSvg)) {
    throw new Error('unexpected QR code SVG output');
  }
  return { secret: secret.base32, uri, qrSvg };
}

/** Decodes a stored base32 secret; the error never repeats the secret or any of its characters. */
function decodeSecret(secret: string): Secret {
  const s = typeof secret === 'string' ? secret.replace(/=+$/, '').toUpperCase() : '';
  if (!/^[A-Z2-7]+$/.test(s) || Math.floor((s.length * 5) / 8) < MIN_SECRET_BYTES) {
    throw new TypeError('the TOTP secret is not base32 of at least 128 bits');
  }
  return Secret.fromBase32(s);
}

/**
 * What a person typed, as exactly six ASCII digits, or null. NFKC first (full-width digits from a
 * Chinese input method become ASCII), then all white space goes (apps show codes as "123 456").
 */
function typedCode(code: string): string | null {
  if (typeof code !== 'string' || code.length > MAX_TYPED_LENGTH) return null;
  const s = code.normalize('NFKC').replace(/\s+/gu, '');
  return /^[0-9]{6}$/.test(s) ? s : null;
}

/**
 * Checks a 6-digit code against the secret at `now` (default Date.now()), accepting one step of clock
 * drift either way. Returns the time step (counter, floor(unix ms / 30000)) that matched, or null. The
 * caller stores the last used step and passes it as `notAfterStep` to refuse replay of the same or an
 * older code (RFC 6238 §5.2): only steps greater than `notAfterStep` can match.
 *
 * Accepted input: six digits, surrounding or inner white space ignored, full-width digits allowed;
 * anything else is null. Every candidate step is computed and compared in constant time (no early exit).
 * Throws TypeError only for a stored secret that is not valid base32 (a data error, not user input).
 */
export function verifyTotp(
  secret: string,
  code: string,
  options: { now?: number; notAfterStep?: number | null } = {},
): number | null {
  const now = options.now ?? Date.now();
  if (!Number.isFinite(now) || now < 0) throw new RangeError('now must be a time in milliseconds');
  const key = decodeSecret(secret);
  const typed = typedCode(code);
  if (typed === null) return null;
  const notAfter = options.notAfterStep ?? null;

  const step = Math.floor(now / STEP_MS);
  const given = Buffer.from(typed, 'ascii');
  // Preference when a code matches more than one step (about 1 in 10^6): the current step, then the past.
  const candidates = [step];
  for (let d = 1; d <= DRIFT_STEPS; d++) candidates.push(step - d, step + d);

  let matched: number | null = null;
  for (const counter of candidates) {
    if (counter < 0) continue;
    const expected = Buffer.from(
      HOTP.generate({ secret: key, algorithm: ALGORITHM, digits: DIGITS, counter }),
      'ascii',
    );
    const equal = timingSafeEqual(given, expected);
    const fresh = notAfter === null || counter > notAfter;
    if (equal && fresh && matched === null) matched = counter;
  }
  return matched;
}

/** Crockford's base32 in lower case: digits and letters without i, l, o, u. 32 symbols, 5 bits each. */
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RECOVERY_CODE_COUNT = 10;
const RECOVERY_GROUPS = 3;
const RECOVERY_GROUP_LENGTH = 4;
const RECOVERY_LENGTH = RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH;
const CANONICAL_RECOVERY = /^[0-9a-hjkmnp-tv-z]{12}$/;

/**
 * Ten one-time recovery codes, e.g. 'k7qm-2xpd-9tfa': 3 groups of 4 characters of lower-case Crockford
 * base32 (0-9 and a-z without the ambiguous i, l, o and u), 60 random bits each, all distinct. Show them
 * once, as returned.
 *
 * Store only each code's keyed hash of its canonical form, e.g.
 * `lookupHash(key, 'totp-recovery', normalizeRecoveryCode(code))` from src/kernel/crypto (HMAC-SM3 with
 * a server-side key), and mark a code used once it has been accepted. To check what a person typed, hash
 * `normalizeRecoveryCode(typed)` the same way (refusing '' first) and look the hash up.
 */
export function newRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) {
    // 256 is a multiple of 32, so `byte & 31` is uniform over the alphabet.
    const bytes = randomBytes(RECOVERY_LENGTH);
    let code = '';
    for (let i = 0; i < RECOVERY_LENGTH; i++) {
      if (i > 0 && i % RECOVERY_GROUP_LENGTH === 0) code += '-';
      code += RECOVERY_ALPHABET[bytes[i]! & 31];
    }
    codes.add(code);
  }
  return [...codes];
}

/**
 * Normalises what a person typed (case, spaces, dashes) before hashing/comparing. The canonical form is
 * the 12 characters without separators, in lower case: 'K7QM 2XPD-9tfa ' → 'k7qm2xpd9tfa'.
 *
 * NFKC first (full-width letters, digits, dashes and the ideographic space from a Chinese input method
 * become ASCII); then all white space, dashes of any kind and underscores go; then the ambiguous letters
 * are read as Crockford does: i and l as 1, o as 0. Returns '' when the result cannot be a recovery code
 * (wrong length, or a character outside the alphabet), so the caller can refuse without hashing.
 */
export function normalizeRecoveryCode(typed: string): string {
  if (typeof typed !== 'string' || typed.length > MAX_TYPED_LENGTH) return '';
  const s = typed
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{Pd}_]+/gu, '')
    .replace(/[il]/g, '1')
    .replace(/o/g, '0');
  return CANONICAL_RECOVERY.test(s) ? s : '';
}
