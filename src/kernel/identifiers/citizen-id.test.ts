import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { catalogFor } from '../i18n/index.ts';
import {
  checkCitizenId,
  chinaToday,
  citizenIdCheckCharacter,
  CITIZEN_ID_REASONS,
  maskCitizenId,
  type CitizenIdReason,
} from './index.ts';

const TODAY = '2025-06-15';

/** A number from its parts, with the check character computed. */
const make = (region: string, birth: string, seq: string) => {
  const first17 = `${region}${birth}${seq}`;
  return first17 + citizenIdCheckCharacter(first17);
};
const reasonOf = (value: string, today = TODAY): CitizenIdReason | undefined => {
  const r = checkCitizenId(value, today);
  return r.valid ? undefined : r.reason;
};

describe('checkCitizenId', () => {
  it("accepts the standard's own example 11010519491231002X", () => {
    // GB 11643-1999: Σ = 1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10
    //                    + 1·5 + 0·8 + 0·4 + 2·2 = 167; 167 mod 11 = 2 → X. Sequence 002 is even: female.
    assert.deepEqual(checkCitizenId('11010519491231002X', TODAY), {
      valid: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
    });
  });

  it('accepts a lower-case x and surrounding spaces, normalising them', () => {
    const r = checkCitizenId('  11010519491231002x\t', TODAY);
    assert.equal(r.valid, true);
    assert.equal(r.valid && r.normalized, '11010519491231002X');
  });

  it('reads the sex from the parity of the sequence (digit 17)', () => {
    // Σ over 33010619900307001 = 206, mod 11 = 8 → 4 (male, sequence 001).
    const male = checkCitizenId('330106199003070014', TODAY);
    assert.deepEqual(male, {
      valid: true,
      normalized: '330106199003070014',
      birthDate: '1990-03-07',
      sex: 'male',
      regionCode: '330106',
    });
    for (const seq of ['000', '002', '998', '120']) {
      const r = checkCitizenId(make('330106', '19900307', seq), TODAY);
      assert.equal(r.valid && r.sex, 'female', seq);
    }
    for (const seq of ['001', '009', '999', '121']) {
      const r = checkCitizenId(make('330106', '19900307', seq), TODAY);
      assert.equal(r.valid && r.sex, 'male', seq);
    }
  });

  it('computes the check character for every sum, including X and 0', () => {
    // 11010519491231002X ends in X (sum ≡ 2), 330106199003070014 in 4 (≡ 8); the other sums by search.
    const seen = new Set<string>();
    for (let seq = 0; seq < 1000 && seen.size < 11; seq++) {
      seen.add(citizenIdCheckCharacter(`33010619900307${String(seq).padStart(3, '0')}`));
    }
    assert.deepEqual([...seen].sort(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
    assert.throws(() => citizenIdCheckCharacter('1101051949123100'), RangeError);
    assert.throws(() => citizenIdCheckCharacter('1101051949123100A'), RangeError);
  });

  it('rejects a number that is not 18 characters long', () => {
    for (const v of ['', '1101051949123100', '11010519491231002', '11010519491231002X1', '110105491231002']) {
      assert.equal(reasonOf(v), 'identifiers.citizen_id.length', v);
    }
  });

  it('rejects a non-digit in the first 17 or a last character other than a digit or X', () => {
    for (const v of [
      '1101051949123100AX',
      'A1010519491231002X',
      '110105 949123100 X',
      '11010519491231002Y',
      '11010519491231002-',
      '１１０１０５19491231002X', // full-width digits
    ]) {
      assert.equal(reasonOf(v), 'identifiers.citizen_id.characters', v);
    }
  });

  it('rejects an address code outside the province-level codes or with a 00 prefecture part', () => {
    for (const region of ['000000', '100101', '160101', '200101', '240101', '380101', '470101', '550101']) {
      assert.equal(reasonOf(make(region, '19800101', '001')), 'identifiers.citizen_id.region', region);
    }
    for (const region of ['660101', '700101', '720101', '840101', '910101', '990101']) {
      assert.equal(reasonOf(make(region, '19800101', '001')), 'identifiers.citizen_id.region', region);
    }
    // A bare province code or a 00 prefecture is never an issuing address on the mainland.
    for (const region of ['110000', '330000', '650000', '110005', '330099']) {
      assert.equal(reasonOf(make(region, '19800101', '001')), 'identifiers.citizen_id.region', region);
    }
  });

  it('accepts every province-level code, Taiwan, Hong Kong, Macao and the Taiwan residence permits', () => {
    const provinces = [
      ...['11', '12', '13', '14', '15', '21', '22', '23'],
      ...['31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46'],
      ...['50', '51', '52', '53', '54', '61', '62', '63', '64', '65'],
    ];
    for (const p of provinces) {
      assert.equal(reasonOf(make(`${p}0102`, '19800101', '001')), undefined, p);
      assert.equal(reasonOf(make(`${p}0100`, '19800101', '001')), undefined, `${p} prefecture-level`);
    }
    // Province-direct county-level divisions (prefecture part 90), e.g. 429004 仙桃市.
    assert.equal(reasonOf(make('429004', '19800101', '001')), undefined);
    // Residence permits of Hong Kong, Macao and Taiwan residents carry 810000, 820000 and 830000.
    for (const region of ['810000', '820000', '830000', '710000']) {
      assert.equal(reasonOf(make(region, '19800101', '001')), undefined, region);
    }
  });

  it('does not require the address code to be in the current division list', () => {
    // 110102 西城区 absorbed 110104 宣武区 in 2010, and 110103 崇文区 went into 东城区: numbers issued
    // with those codes remain valid; so do made-up county parts.
    for (const region of ['110103', '110104', '330199', '432999']) {
      assert.equal(reasonOf(make(region, '19700101', '001')), undefined, region);
    }
  });

  it('rejects a birth date that does not exist or is before 1850', () => {
    for (const birth of [
      '19490230',
      '19491301',
      '19490001',
      '19491200',
      '19490431',
      '18491231',
      '00000000',
    ]) {
      assert.equal(reasonOf(make('110105', birth, '002')), 'identifiers.citizen_id.birth_date', birth);
    }
    assert.equal(reasonOf(make('110105', '18500101', '002')), undefined, 'the first day accepted');
  });

  it('accepts the standard’s second example (born 1880)', () => {
    // Σ over 44052418800101001 = 195, mod 11 = 8 → 4: the check character matches.
    assert.equal(citizenIdCheckCharacter('44052418800101001'), '4');
    assert.equal(reasonOf('440524188001010014'), undefined);
  });

  it('knows 29 February only in leap years (every 4th, not centuries unless divisible by 400)', () => {
    for (const year of ['1904', '1996', '2000', '2004', '2024']) {
      assert.equal(reasonOf(make('110105', `${year}0229`, '002')), undefined, year);
    }
    for (const year of ['1900', '1999', '2001', '2023', '2025']) {
      assert.equal(reasonOf(make('110105', `${year}0229`, '002')), 'identifiers.citizen_id.birth_date', year);
    }
  });

  it('rejects a birth date after today, and accepts one born today', () => {
    assert.equal(reasonOf(make('110105', '20250616', '001')), 'identifiers.citizen_id.birth_future');
    assert.equal(reasonOf(make('110105', '20300101', '001')), 'identifiers.citizen_id.birth_future');
    assert.equal(reasonOf(make('110105', '20250615', '001')), undefined);
  });

  it("takes today from China's time zone by default (UTC+8)", () => {
    // 16:30 UTC on 31 December is already 1 January in China.
    assert.equal(chinaToday(new Date('2024-12-31T16:30:00Z')), '2025-01-01');
    assert.equal(chinaToday(new Date('2024-12-31T15:59:59Z')), '2024-12-31');
    const id = make('110105', '20250101', '001');
    assert.equal(checkCitizenId(id, new Date('2024-12-31T16:30:00Z')).valid, true);
    assert.equal(
      reasonOf(id, chinaToday(new Date('2024-12-31T15:59:59Z'))),
      'identifiers.citizen_id.birth_future',
    );
    // Without a date: the real today, so a birth date in the far future is refused.
    const future = checkCitizenId(make('110105', '29991231', '001'));
    assert.equal(!future.valid && future.reason, 'identifiers.citizen_id.birth_future');
    assert.equal(checkCitizenId('11010519491231002X').valid, true);
  });

  it('rejects a wrong check character', () => {
    assert.equal(reasonOf('110105194912310021'), 'identifiers.citizen_id.check_character');
    assert.equal(reasonOf('11010519491231002x'.replace('x', '0')), 'identifiers.citizen_id.check_character');
    assert.equal(reasonOf('330106199003070013'), 'identifiers.citizen_id.check_character');
    assert.equal(reasonOf('33010619900307001X'), 'identifiers.citizen_id.check_character');
  });

  it('reports the first problem in a fixed order: length, characters, region, birth date, check', () => {
    assert.equal(reasonOf('00000019490230002'), 'identifiers.citizen_id.length');
    assert.equal(reasonOf('000000194902300A2X'), 'identifiers.citizen_id.characters');
    assert.equal(reasonOf('000000194902300021'), 'identifiers.citizen_id.region');
    assert.equal(reasonOf('110105194902300021'), 'identifiers.citizen_id.birth_date');
    assert.equal(reasonOf('110105209902300021'), 'identifiers.citizen_id.birth_date');
    assert.equal(reasonOf('110105209901010021'), 'identifiers.citizen_id.birth_future');
  });

  it('has a message in both languages for every reason', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const catalog = catalogFor(locale);
      for (const reason of CITIZEN_ID_REASONS) assert.ok(catalog[reason], `${locale} ${reason}`);
    }
  });
});

describe('maskCitizenId', () => {
  it('keeps the address code and the last four characters', () => {
    assert.equal(maskCitizenId('110105194912311234'), '110105********1234');
    assert.equal(maskCitizenId('11010519491231002x'), '110105********002X');
    assert.equal(maskCitizenId(' 11010519491231002X '), '110105********002X');
  });

  it('masks a malformed value whole', () => {
    assert.equal(maskCitizenId('1101051949'), '**********');
    assert.equal(maskCitizenId(''), '');
  });
});

describe('citizen identity number properties', () => {
  const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
  const province = fc.constantFrom(
    ...['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37'],
    ...['41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65'],
  );
  const prefecture = fc.integer({ min: 1, max: 99 }).map((n) => String(n).padStart(2, '0'));
  const region = fc.tuple(province, prefecture, digits(2)).map(([p, c, x]) => `${p}${c}${x}`);
  const birth = fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const validFirst17 = fc
    .tuple(region, birth, digits(3))
    .map(([r, b, s]) => `${r}${b.replaceAll('-', '')}${s}`);
  const anyLast = fc.constantFrom(...'0123456789X');

  it('a valid prefix with its computed check character is valid, with any other last character not', () => {
    fc.assert(
      fc.property(validFirst17, anyLast, (first17, last) => {
        const right = citizenIdCheckCharacter(first17);
        const r = checkCitizenId(first17 + last, TODAY);
        if (last === right) {
          assert.equal(r.valid, true);
          assert.equal(r.valid && r.birthDate.replaceAll('-', ''), first17.slice(6, 14));
          assert.equal(r.valid && r.sex, Number(first17[16]) % 2 ? 'male' : 'female');
          assert.equal(r.valid && r.regionCode, first17.slice(0, 6));
        } else {
          assert.equal(!r.valid && r.reason, 'identifiers.citizen_id.check_character');
        }
      }),
    );
  });

  it('changing any single digit of a valid number makes it invalid', () => {
    fc.assert(
      fc.property(
        validFirst17,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (first17, pos, delta) => {
          const id = first17 + citizenIdCheckCharacter(first17);
          const changed = String((Number(id[pos]) + delta) % 10);
          const typo = id.slice(0, pos) + changed + id.slice(pos + 1);
          assert.equal(checkCitizenId(typo, TODAY).valid, false, `${id} → ${typo}`);
        },
      ),
    );
  });

  it('MOD 11-2 detects every single-digit substitution and adjacent transposition in any 17 digits', () => {
    fc.assert(
      fc.property(
        digits(17),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (d, pos, k) => {
          const changed = d.slice(0, pos) + String((Number(d[pos]) + k) % 10) + d.slice(pos + 1);
          assert.notEqual(citizenIdCheckCharacter(changed), citizenIdCheckCharacter(d));
        },
      ),
    );
    fc.assert(
      fc.property(digits(17), fc.integer({ min: 0, max: 15 }), (d, pos) => {
        fc.pre(d[pos] !== d[pos + 1]);
        const swapped = d.slice(0, pos) + d[pos + 1] + d[pos] + d.slice(pos + 2);
        assert.notEqual(citizenIdCheckCharacter(swapped), citizenIdCheckCharacter(d));
      }),
    );
  });

  it('never throws, and answers with a known reason, for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 25 }), digits(18), fc.stringMatching(/^[0-9xX]{18}$/)),
        (s) => {
          const r = checkCitizenId(s, TODAY);
          if (!r.valid) assert.ok(CITIZEN_ID_REASONS.includes(r.reason));
          assert.equal(typeof maskCitizenId(s), 'string');
        },
      ),
    );
  });
});
