import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { catalogFor } from '../i18n/index.ts';
import {
  checkCreditCode,
  CREDIT_CODE_CHARACTERS,
  CREDIT_CODE_REASONS,
  CREDIT_CODE_TYPES,
  creditCodeCheckCharacter,
  IDENTIFIER_TYPES,
  organizationCodeCheckCharacter,
  type CreditCodeReason,
} from './index.ts';

/**
 * Published codes of real organisations as they appear in public sources (invoice headers, company
 * records quoted in other projects), with the names those sources give. Each passes both check
 * characters, which a mistyped or invented code does with a chance of about 1 in 341.
 */
const KNOWN_GOOD = [
  // 华为技术有限公司. Organisation code 19220382: Σ = 1·3 + 9·7 + 2·9 + 2·10 + 0·5 + 3·8 + 8·4 + 2·2
  // = 164, 164 mod 11 = 10, 11 − 10 = 1. C18: Σ (values × 3^(i−1) mod 31) over 91440300192203821 = 831,
  // 831 mod 31 = 25, 31 − 25 = 6.
  { code: '914403001922038216', authority: '9', type: '1', region: '440300', org: '19220382-1' },
  // 腾讯科技（深圳）有限公司: the organisation code's check is X (C9 = 10).
  { code: '9144030071526726XG', authority: '9', type: '1', region: '440300', org: '71526726-X' },
  // 深圳市腾讯计算机系统有限公司
  { code: '91440300708461136T', authority: '9', type: '1', region: '440300', org: '70846113-6' },
  // 小米科技有限责任公司, registered in 海淀区.
  { code: '91110108551385082Q', authority: '9', type: '1', region: '110108', org: '55138508-2' },
  // 北京百度网讯科技有限公司, registered at the Beijing level.
  { code: '91110000802100433B', authority: '9', type: '1', region: '110000', org: '80210043-3' },
  // 阿里巴巴（中国）有限公司
  { code: '91330100799655058B', authority: '9', type: '1', region: '330100', org: '79965505-8' },
  // 比亚迪股份有限公司
  { code: '91440300192317458F', authority: '9', type: '1', region: '440300', org: '19231745-8' },
  // 清华大学 (事业单位, registered nationally). Organisation code 40000062: Σ = 40, 40 mod 11 = 7,
  // 11 − 7 = 4. C18: Σ = 328, 328 mod 31 = 18, 31 − 18 = 13 → D.
  { code: '12100000400000624D', authority: '1', type: '2', region: '100000', org: '40000062-4' },
  // 北京理工大学
  { code: '12100000400009127B', authority: '1', type: '2', region: '100000', org: '40000912-7' },
  // 中华人民共和国住房和城乡建设部 (机关), the prefix of its electronic licence type codes.
  { code: '11100000000013338W', authority: '1', type: '1', region: '100000', org: '00001333-8' },
  // 北京理工大学教育基金会 (基金会)
  { code: '53100000500021676K', authority: '5', type: '3', region: '100000', org: '50002167-6' },
] as const;

/**
 * Letters in the organisation code body. 蔚来控股有限公司 (one public source only, but it passes both
 * checks); its body MA2RAD3M gives check 4 with GB 11714's letter values (A=10 … Z=35) and 7 with the
 * 31-character set's indices, so it tells the two apart. 91350100M000100Y43 is the example most
 * validator libraries quote; M000100Y happens to check the same both ways.
 */
const WITH_LETTERS = [
  { code: '91340111MA2RAD3M4R', authority: '9', type: '1', region: '340111', org: 'MA2RAD3M-4' },
  { code: '91350100M000100Y43', authority: '9', type: '1', region: '350100', org: 'M000100Y-4' },
] as const;

/** A code from its first 8 characters and the 8-character organisation code body, checks computed. */
function make(prefix8: string, body8: string): string {
  const first17 = `${prefix8}${body8}${organizationCodeCheckCharacter(body8)}`;
  return first17 + creditCodeCheckCharacter(first17);
}
const reasonOf = (value: string): CreditCodeReason | undefined => {
  const r = checkCreditCode(value);
  return r.valid ? undefined : r.reason;
};
/** The same code with one character (0-based) replaced. */
const replaceAt = (code: string, pos: number, c: string) => code.slice(0, pos) + c + code.slice(pos + 1);

describe('checkCreditCode', () => {
  it('accepts published codes and splits them into their parts', () => {
    for (const k of [...KNOWN_GOOD, ...WITH_LETTERS]) {
      assert.deepEqual(
        checkCreditCode(k.code),
        {
          valid: true,
          normalized: k.code,
          authority: k.authority,
          type: k.type,
          regionCode: k.region,
          organizationCode: k.org,
        },
        k.code,
      );
    }
  });

  it('computes the organisation code check with letters worth A=10 … Z=35', () => {
    assert.equal(organizationCodeCheckCharacter('MA2RAD3M'), '4');
    assert.equal(organizationCodeCheckCharacter('19220382'), '1');
    assert.equal(organizationCodeCheckCharacter('71526726'), 'X');
    assert.throws(() => organizationCodeCheckCharacter('1922038'), RangeError);
    assert.throws(() => organizationCodeCheckCharacter('1922038a'), RangeError);
    // A weighted sum that is a multiple of 11 gives 11 − 0 = 11, written 0.
    assert.equal(organizationCodeCheckCharacter('00000000'), '0');
  });

  it('accepts lower-case letters and surrounding spaces, normalising them', () => {
    const r = checkCreditCode(' 9144030071526726xg\n');
    assert.equal(r.valid && r.normalized, '9144030071526726XG');
    assert.equal(checkCreditCode('91340111ma2rad3m4r').valid, true);
  });

  it('rejects a code that is not 18 characters long', () => {
    for (const v of ['', '91440300192203821', '9144030019220382161', '91440300-19220382-1']) {
      assert.equal(reasonOf(v), 'identifiers.credit_code.length', v);
    }
  });

  it('rejects characters outside the 31-character set (I, O, Z, S, V, punctuation, spaces)', () => {
    for (const bad of ['I', 'O', 'Z', 'S', 'V', '-', ' ', '*', '中']) {
      assert.equal(
        reasonOf(replaceAt('914403001922038216', 12, bad)),
        'identifiers.credit_code.characters',
        bad,
      );
    }
    assert.equal(reasonOf('9144030019220382I6'), 'identifiers.credit_code.characters');
    assert.equal(reasonOf('S14403001922038216'), 'identifiers.credit_code.characters');
  });

  it('rejects an unknown registration authority', () => {
    for (const a of ['0', 'B', 'C', 'G', 'M', 'X']) {
      assert.equal(reasonOf(make(`${a}1440300`, '19220382')), 'identifiers.credit_code.authority', a);
    }
  });

  it('accepts every authority and type in the table, and no other type', () => {
    for (const [authority, types] of Object.entries(CREDIT_CODE_TYPES)) {
      for (const t of CREDIT_CODE_CHARACTERS) {
        const r = checkCreditCode(make(`${authority}${t}440300`, '19220382'));
        if (types.includes(t)) assert.equal(r.valid, true, `${authority}${t}`);
        else assert.equal(!r.valid && r.reason, 'identifiers.credit_code.type', `${authority}${t}`);
      }
    }
  });

  it('knows the table of GB 32100-2015 (with its amendment) and the committees’ 54/55', () => {
    assert.deepEqual(Object.keys(CREDIT_CODE_TYPES).sort(), [
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      'A',
      'N',
      'Y',
    ]);
    for (const t of ['94', '99', 'Y2', 'Y9', '14', '56', 'A2', 'N4', '83']) {
      assert.equal(reasonOf(make(`${t}440300`, '19220382')), 'identifiers.credit_code.type', t);
    }
    for (const t of ['54', '55', '81', 'N2', 'A1', '35', 'Y1']) {
      assert.equal(reasonOf(make(`${t}440300`, '19220382')), undefined, t);
    }
  });

  it('rejects a registering division that is not 6 digits, but not one missing from today’s list', () => {
    assert.equal(reasonOf(make('91A40300', '19220382')), 'identifiers.credit_code.region');
    assert.equal(reasonOf(make('9144030Y', '19220382')), 'identifiers.credit_code.region');
    for (const region of ['100000', '110000', '110104', '999999', '000000']) {
      assert.equal(reasonOf(make(`91${region}`, '19220382')), undefined, region);
    }
  });

  it('rejects a code whose organisation code (positions 9–17) does not check', () => {
    // Change the organisation check character and recompute C18, so that only GB 11714 fails.
    const first16 = '9144030019220382';
    for (const c of ['0', '2', '9', 'X']) {
      const first17 = first16 + c;
      const code = first17 + creditCodeCheckCharacter(first17);
      assert.equal(reasonOf(code), 'identifiers.credit_code.organization_code', c);
    }
    // A letter other than X cannot be an organisation code check character.
    const first17 = `${first16}A`;
    assert.equal(
      reasonOf(first17 + creditCodeCheckCharacter(first17)),
      'identifiers.credit_code.organization_code',
    );
  });

  it('rejects a wrong check character (position 18)', () => {
    for (const c of ['0', '5', '7', 'A', 'Y']) {
      assert.equal(
        reasonOf(replaceAt('914403001922038216', 17, c)),
        'identifiers.credit_code.check_character',
        c,
      );
    }
    assert.equal(reasonOf('12100000400000624P'), 'identifiers.credit_code.check_character');
  });

  it('reports the first problem in a fixed order', () => {
    assert.equal(reasonOf('B4440300192203821'), 'identifiers.credit_code.length');
    assert.equal(reasonOf('B444030019220382IZ'), 'identifiers.credit_code.characters');
    assert.equal(reasonOf('B4A4030019220382X0'), 'identifiers.credit_code.authority');
    assert.equal(reasonOf('94A4030019220382X0'), 'identifiers.credit_code.type');
    assert.equal(reasonOf('91A4030019220382X0'), 'identifiers.credit_code.region');
    assert.equal(reasonOf('914403001922038200'), 'identifiers.credit_code.organization_code');
    assert.equal(reasonOf('914403001922038210'), 'identifiers.credit_code.check_character');
  });

  it('has a message in both languages for every reason', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const catalog = catalogFor(locale);
      for (const reason of CREDIT_CODE_REASONS) assert.ok(catalog[reason], `${locale} ${reason}`);
    }
    assert.deepEqual([...IDENTIFIER_TYPES], ['citizen-id', 'credit-code']);
  });
});

describe('credit code properties', () => {
  const inSet = (chars: string, n: number) =>
    fc.array(fc.constantFrom(...chars), { minLength: n, maxLength: n });
  const authorityAndType = fc.constantFrom(
    ...Object.entries(CREDIT_CODE_TYPES).flatMap(([a, types]) => types.map((t) => `${a}${t}`)),
  );
  const region = inSet('0123456789', 6).map((a) => a.join(''));
  const body = inSet(CREDIT_CODE_CHARACTERS, 8).map((a) => a.join(''));
  const validFirst17 = fc
    .tuple(authorityAndType, region, body)
    .map(([at, r, b]) => `${at}${r}${b}${organizationCodeCheckCharacter(b)}`);
  const setChar = fc.constantFrom(...CREDIT_CODE_CHARACTERS);

  it('a valid prefix with its computed check character is valid, with any other last character not', () => {
    fc.assert(
      fc.property(validFirst17, setChar, (first17, last) => {
        const r = checkCreditCode(first17 + last);
        if (last === creditCodeCheckCharacter(first17)) {
          assert.equal(r.valid, true);
          assert.equal(r.valid && r.organizationCode, `${first17.slice(8, 16)}-${first17[16]}`);
        } else {
          assert.equal(!r.valid && r.reason, 'identifiers.credit_code.check_character');
        }
      }),
    );
  });

  it('changing any single character of a valid code makes it invalid', () => {
    fc.assert(
      fc.property(validFirst17, fc.integer({ min: 0, max: 17 }), setChar, (first17, pos, c) => {
        const code = first17 + creditCodeCheckCharacter(first17);
        fc.pre(code[pos] !== c);
        assert.equal(checkCreditCode(replaceAt(code, pos, c)).valid, false);
      }),
    );
  });

  it('MOD 31 detects every single substitution and adjacent transposition in any 17 characters', () => {
    const any17 = inSet(CREDIT_CODE_CHARACTERS, 17).map((a) => a.join(''));
    fc.assert(
      fc.property(any17, fc.integer({ min: 0, max: 16 }), setChar, (s, pos, c) => {
        fc.pre(s[pos] !== c);
        assert.notEqual(creditCodeCheckCharacter(replaceAt(s, pos, c)), creditCodeCheckCharacter(s));
      }),
    );
    fc.assert(
      fc.property(any17, fc.integer({ min: 0, max: 15 }), (s, pos) => {
        fc.pre(s[pos] !== s[pos + 1]);
        const swapped = s.slice(0, pos) + s[pos + 1] + s[pos] + s.slice(pos + 2);
        assert.notEqual(creditCodeCheckCharacter(swapped), creditCodeCheckCharacter(s));
      }),
    );
  });

  it('never throws, and answers with a known reason, for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 25 }),
          inSet(CREDIT_CODE_CHARACTERS + 'iozsv-', 18).map((a) => a.join('')),
        ),
        (s) => {
          const r = checkCreditCode(s);
          if (!r.valid) assert.ok(CREDIT_CODE_REASONS.includes(r.reason));
        },
      ),
    );
  });
});
