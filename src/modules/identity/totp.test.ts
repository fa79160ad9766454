import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HOTP, Secret, TOTP, URI } from 'otpauth';
import QRCode from 'qrcode';
import { newRecoveryCodes, newTotpEnrolment, normalizeRecoveryCode, verifyTotp } from './totp.ts';

// RFC 6238 Appendix B: the SHA1 seed is the ASCII string '12345678901234567890'; 8-digit codes.
const RFC_SEED = '12345678901234567890';
const RFC_SECRET = Secret.fromLatin1(RFC_SEED);
const RFC_SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: { seconds: number; stepHex: string; totp: string }[] = [
  { seconds: 59, stepHex: '0000000000000001', totp: '94287082' },
  { seconds: 1111111109, stepHex: '00000000023523EC', totp: '07081804' },
  { seconds: 1111111111, stepHex: '00000000023523ED', totp: '14050471' },
  { seconds: 1234567890, stepHex: '000000000273EF07', totp: '89005924' },
  { seconds: 2000000000, stepHex: '0000000003F940AA', totp: '69279037' },
  { seconds: 20000000000, stepHex: '0000000027BC86AA', totp: '65353130' },
];

const STEP_MS = 30_000;
/** The code an authenticator app shows for `secret` (base32) at time step `step`. */
function codeAt(secret: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, counter: step });
}

describe('RFC 6238 Appendix B (SHA1)', () => {
  it('the seed is the base32 secret used below', () => {
    assert.equal(RFC_SECRET.base32, RFC_SECRET_BASE32);
  });

  for (const v of RFC_VECTORS) {
    it(`T = ${v.seconds} s: step 0x${v.stepHex}, 8-digit code ${v.totp} (otpauth directly)`, () => {
      const step = Math.floor(v.seconds / 30);
      assert.equal(step, Number.parseInt(v.stepHex, 16));
      assert.equal(TOTP.counter({ period: 30, timestamp: v.seconds * 1000 }), step);
      assert.equal(
        HOTP.generate({ secret: RFC_SECRET, algorithm: 'SHA1', digits: 8, counter: step }),
        v.totp,
      );
      assert.equal(
        TOTP.generate({
          secret: RFC_SECRET,
          algorithm: 'SHA1',
          digits: 8,
          period: 30,
          timestamp: v.seconds * 1000,
        }),
        v.totp,
      );
    });

    it(`T = ${v.seconds} s: verifyTotp accepts the last 6 digits ${v.totp.slice(2)} at step ${v.stepHex}`, () => {
      const step = Number.parseInt(v.stepHex, 16);
      assert.equal(verifyTotp(RFC_SECRET_BASE32, v.totp.slice(-6), { now: v.seconds * 1000 }), step);
      // The full 8-digit code is not a 6-digit code.
      assert.equal(verifyTotp(RFC_SECRET_BASE32, v.totp, { now: v.seconds * 1000 }), null);
    });
  }
});

describe('verifyTotp', () => {
  const secret = RFC_SECRET_BASE32;
  const step = 56_789_012;
  const now = step * STEP_MS + 12_345;

  it('accepts one step of drift either way, refuses two', () => {
    assert.equal(verifyTotp(secret, codeAt(secret, step), { now }), step);
    assert.equal(verifyTotp(secret, codeAt(secret, step - 1), { now }), step - 1);
    assert.equal(verifyTotp(secret, codeAt(secret, step + 1), { now }), step + 1);
    assert.equal(verifyTotp(secret, codeAt(secret, step - 2), { now }), null);
    assert.equal(verifyTotp(secret, codeAt(secret, step + 2), { now }), null);
  });

  it('uses the step boundaries exactly (floor of ms / 30000)', () => {
    const code = codeAt(secret, step);
    // Last ms of step + 1 still accepts it (one step behind); first ms of step + 2 does not.
    assert.equal(verifyTotp(secret, code, { now: (step + 2) * STEP_MS - 1 }), step);
    assert.equal(verifyTotp(secret, code, { now: (step + 2) * STEP_MS }), null);
    assert.equal(verifyTotp(secret, code, { now: (step - 1) * STEP_MS }), step);
    assert.equal(verifyTotp(secret, code, { now: (step - 1) * STEP_MS - 1 }), null);
  });

  it('defaults now to Date.now()', () => {
    const current = Math.floor(Date.now() / STEP_MS);
    const matched = verifyTotp(secret, codeAt(secret, current));
    // The clock may tick into the next step between the two lines; drift covers it.
    assert.ok(matched === current, `matched ${matched}, expected ${current}`);
  });

  it('refuses replay of the same or an older code with notAfterStep (RFC 6238 §5.2)', () => {
    const code = codeAt(secret, step);
    const used = verifyTotp(secret, code, { now, notAfterStep: null });
    assert.equal(used, step);
    assert.equal(verifyTotp(secret, code, { now, notAfterStep: used }), null);
    assert.equal(verifyTotp(secret, code, { now: now + 10_000, notAfterStep: used }), null);
    assert.equal(verifyTotp(secret, codeAt(secret, step - 1), { now, notAfterStep: used }), null);
    assert.equal(verifyTotp(secret, code, { now, notAfterStep: step + 1 }), null);
    // A newer code is still accepted, and an earlier stored step does not block this one.
    assert.equal(verifyTotp(secret, codeAt(secret, step + 1), { now, notAfterStep: used }), step + 1);
    assert.equal(verifyTotp(secret, code, { now, notAfterStep: step - 1 }), step);
    assert.equal(verifyTotp(secret, code, { now, notAfterStep: undefined }), step);
  });

  it('refuses anything that is not exactly 6 digits', () => {
    const good = codeAt(secret, step);
    const malformed = [
      '',
      ' ',
      good.slice(0, 5),
      `${good}0`,
      `0${good}`,
      `${good.slice(0, 5)}a`,
      `+${good.slice(1)}`,
      `-${good.slice(1)}`,
      `${good.slice(0, 3)}.${good.slice(3)}`,
      `${good.slice(0, 3)}-${good.slice(3)}`,
      `${good}\u0000`,
      '١٢٣٤٥٦', // Arabic-Indic digits
      '12e4',
      '0x1234',
      good.repeat(20),
      ' '.repeat(1000) + good,
    ];
    for (const code of malformed) {
      assert.equal(verifyTotp(secret, code, { now }), null, JSON.stringify(code));
    }
    for (const notString of [undefined, null, 123456, Number(good), [good], { toString: () => good }]) {
      assert.equal(verifyTotp(secret, notString as unknown as string, { now }), null, String(notString));
    }
  });

  it('ignores white space, as apps display "123 456", and reads full-width digits', () => {
    const good = codeAt(secret, step);
    const fullWidth = [...good].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    for (const typed of [
      ` ${good} `,
      `${good.slice(0, 3)} ${good.slice(3)}`,
      `\t${good}\n`,
      `${good.slice(0, 3)}\u3000${good.slice(3)}`,
      fullWidth,
    ]) {
      assert.equal(verifyTotp(secret, typed, { now }), step, JSON.stringify(typed));
    }
  });

  it('refuses a wrong code', () => {
    const good = codeAt(secret, step);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    // Deterministic: fixed secrets and time, and neither code is valid in the window.
    assert.equal(verifyTotp(secret, wrong, { now }), null);
    assert.equal(verifyTotp('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', good, { now }), null);
  });

  it('throws on a stored secret that is not base32 of 128+ bits, without repeating it', () => {
    for (const bad of ['not base32!', 'GEZDGNBVGY3TQOJQ', '', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1']) {
      assert.throws(
        () => verifyTotp(bad, '123456', { now }),
        (e: unknown) =>
          e instanceof TypeError && e.message === 'the TOTP secret is not base32 of at least 128 bits',
      );
    }
    // Lower case and padding are tolerated.
    assert.equal(verifyTotp(secret.toLowerCase(), codeAt(secret, step), { now }), step);
    assert.equal(verifyTotp(`${secret}======`, codeAt(secret, step), { now }), step);
  });

  it('throws on a time that is not a time', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      assert.throws(() => verifyTotp(secret, '123456', { now: bad }), RangeError);
    }
  });

  it('property: the code an app shows at any time t verifies at t, at step floor(t / 30000), once', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: 2 ** 45 }),
        (bytes, t) => {
          const key = new Secret({ buffer: Uint8Array.from(bytes).buffer });
          const code = TOTP.generate({ secret: key, algorithm: 'SHA1', digits: 6, period: 30, timestamp: t });
          const step = verifyTotp(key.base32, code, { now: t });
          assert.equal(step, Math.floor(t / STEP_MS));
          assert.equal(verifyTotp(key.base32, code, { now: t, notAfterStep: step }), null);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('newTotpEnrolment', () => {
  const issuer = '浙江省人民政府（演示站点）';

  it('makes a random 160-bit base32 secret', async () => {
    const a = await newTotpEnrolment(issuer, 'zhangsan');
    const b = await newTotpEnrolment(issuer, 'zhangsan');
    assert.match(a.secret, /^[A-Z2-7]{32}$/);
    assert.equal(Secret.fromBase32(a.secret).bytes.length, 20);
    assert.notEqual(a.secret, b.secret);
  });

  it('writes the otpauth URI: issuer, SHA1, 6 digits, 30 s, URI-encoded label', async () => {
    const e = await newTotpEnrolment(issuer, 'zhangsan@example.cn');
    const url = new URL(e.uri);
    assert.equal(url.protocol, 'otpauth:');
    assert.equal(url.host, 'totp');
    assert.equal(url.searchParams.get('issuer'), issuer);
    assert.equal(url.searchParams.get('secret'), e.secret);
    assert.equal(url.searchParams.get('algorithm'), 'SHA1');
    assert.equal(url.searchParams.get('digits'), '6');
    assert.equal(url.searchParams.get('period'), '30');
    const label = url.pathname.slice(1);
    assert.match(label, /^[\x21-\x7e]+$/, 'the label is ASCII, percent-encoded');
    assert.equal(label, `${encodeURIComponent(issuer)}:${encodeURIComponent('zhangsan@example.cn')}`);
    assert.ok(e.uri.startsWith('otpauth://totp/%E6%B5%99%E6%B1%9F%E7%9C%81'));
    assert.equal(decodeURIComponent(label), `${issuer}:zhangsan@example.cn`);

    // An authenticator's parser reads it back, and its codes verify.
    const parsed = URI.parse(e.uri);
    assert.ok(parsed instanceof TOTP);
    assert.equal(parsed.issuer, issuer);
    assert.equal(parsed.label, 'zhangsan@example.cn');
    assert.equal(parsed.algorithm, 'SHA1');
    assert.equal(parsed.digits, 6);
    assert.equal(parsed.period, 30);
    assert.equal(parsed.secret.base32, e.secret);
    const now = Date.UTC(2030, 0, 1, 8, 0, 15);
    assert.equal(
      verifyTotp(e.secret, parsed.generate({ timestamp: now }), { now }),
      Math.floor(now / STEP_MS),
    );
  });

  it('keeps colons out of the issuer and account name, and refuses empty ones', async () => {
    const e = await newTotpEnrolment(' Yiwang: demo ', 'a:b');
    const parsed = URI.parse(e.uri);
    assert.equal(parsed.issuer, 'Yiwang\uff1a demo');
    assert.equal(parsed.label, 'a\uff1ab');
    await assert.rejects(newTotpEnrolment('  ', 'x'), RangeError);
    await assert.rejects(newTotpEnrolment(issuer, ''), RangeError);
  });

  it('renders the URI as an accessible QR code SVG without scripts or the secret', async () => {
    const e = await newTotpEnrolment(issuer, 'li<si>&"\'');
    assert.ok(e.qrSvg.startsWith('<svg'));
    assert.ok(e.qrSvg.trimEnd().endsWith('</svg>'));
    assert.doesNotMatch(e.qrSvg, /<script/i);
    assert.doesNotMatch(e.qrSvg, /\son[a-z]+\s*=/i, 'no event-handler attributes');
    assert.doesNotMatch(e.qrSvg, /javascript:|<foreignObject/i);
    const open = /^<svg\b[^>]*>/.exec(e.qrSvg)?.[0] ?? '';
    assert.match(open, /\brole="img"/);
    const label = /\baria-label="([^"]*)"/.exec(open)?.[1];
    const title = /<title>([^<]*)<\/title>/.exec(e.qrSvg)?.[1];
    assert.ok(label && title);
    assert.equal(label, title);
    assert.ok(title.includes(issuer));
    assert.ok(title.includes('li&lt;si&gt;&amp;&quot;&apos;'), 'the account name is XML-escaped');
    assert.ok(!e.qrSvg.includes(e.secret), 'the secret is only in the QR modules');
    assert.equal(e.qrSvg.match(/<title>/g)?.length, 1);
    // The modules are exactly qrcode's rendering of the URI (EC level M, margin 2).
    const plain = await QRCode.toString(e.uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const paths = (svg: string) => svg.match(/<path\b[^>]*>/g);
    assert.deepEqual(paths(e.qrSvg), paths(plain));
    assert.ok(paths(plain)!.length >= 2);
  });

  it('logs nothing', async () => {
    const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
    const saved = methods.map((m) => console[m]);
    const calls: unknown[] = [];
    for (const m of methods) console[m] = (...args: unknown[]) => void calls.push(args);
    try {
      const e = await newTotpEnrolment(issuer, 'wangwu');
      verifyTotp(e.secret, '000000');
      verifyTotp(e.secret, 'garbage');
      assert.throws(() => verifyTotp('bad!', '000000'));
      normalizeRecoveryCode(newRecoveryCodes()[0]!);
    } finally {
      methods.forEach((m, i) => (console[m] = saved[i]!));
    }
    assert.deepEqual(calls, []);
  });
});

describe('recovery codes', () => {
  const FORMAT = /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/;

  it('are ten distinct codes like k7qm-2xpd-9tfa, without ambiguous characters', () => {
    const codes = newRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const c of codes) {
      assert.match(c, FORMAT);
      assert.doesNotMatch(c, /[ilou]/);
      assert.equal(normalizeRecoveryCode(c), c.replace(/-/g, ''));
    }
    assert.notDeepEqual(newRecoveryCodes(), codes);
  });

  it('use the whole alphabet (the generator is not stuck on a subset)', () => {
    const seen = new Set(
      Array.from({ length: 40 }, () => newRecoveryCodes().join(''))
        .join('')
        .replace(/-/g, ''),
    );
    assert.equal(seen.size, 32);
  });

  it('normalise case, spaces and dashes to 12 lower-case characters', () => {
    assert.equal(normalizeRecoveryCode('K7QM 2XPD-9tfa '), 'k7qm2xpd9tfa');
    assert.equal(normalizeRecoveryCode('k7qm-2xpd-9tfa'), 'k7qm2xpd9tfa');
    assert.equal(normalizeRecoveryCode('k7qm2xpd9tfa'), 'k7qm2xpd9tfa');
    assert.equal(normalizeRecoveryCode('  k7 qm _ 2x—pd–9t\tfa\n'), 'k7qm2xpd9tfa');
    // Full-width characters and the ideographic space from a Chinese input method.
    assert.equal(normalizeRecoveryCode('Ｋ７ＱＭ－２ＸＰＤ\u3000９ＴＦＡ'), 'k7qm2xpd9tfa');
    // Crockford's reading of the ambiguous letters.
    assert.equal(normalizeRecoveryCode('k7qm-2xpd-9tfo'), 'k7qm2xpd9tf0');
    assert.equal(normalizeRecoveryCode('I7qm-2xpd-9tfL'), '17qm2xpd9tf1');
  });

  it("normalise anything that cannot be a code to ''", () => {
    for (const typed of [
      '',
      'k7qm-2xpd-9tf',
      'k7qm-2xpd-9tfaa',
      'k7qm-2xpd-9tfu',
      'k7qm.2xpd.9tfa',
      'k7qm/2xpd/9tfa',
      '123456',
      'k7qm-2xpd-9tfa'.repeat(10),
      undefined as unknown as string,
    ]) {
      assert.equal(normalizeRecoveryCode(typed), '', JSON.stringify(typed));
    }
  });

  it('property: any generated code survives any mix of case and separators', () => {
    const [code] = newRecoveryCodes();
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.constantFrom(' ', '-', '', '  ', ' - '),
        (upper, sep) => {
          const chars = code!.replace(/-/g, '').split('');
          const typed = chars.map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
          const spaced = `${typed.slice(0, 4)}${sep}${typed.slice(4, 8)}${sep}${typed.slice(8)}`;
          assert.equal(normalizeRecoveryCode(spaced), code!.replace(/-/g, ''));
        },
      ),
    );
  });
});
