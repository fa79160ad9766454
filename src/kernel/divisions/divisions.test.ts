import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  isAdministrative,
  isWithin,
  levelOf,
  levelRank,
  NATIONAL_CODE,
  parentCandidates,
  subtreePrefix,
  type DivisionLevel,
} from './index.ts';

const levelFor = (code: string): DivisionLevel | undefined => {
  const lv = levelOf(code);
  return 'level' in lv ? lv.level : undefined;
};
const reasonFor = (code: string): string | undefined => {
  const lv = levelOf(code);
  return 'reason' in lv ? lv.reason : undefined;
};

/** Two digits, not both zero, as each level's part of a GB/T 2260 code. */
const part2 = fc.integer({ min: 1, max: 99 }).map((n) => String(n).padStart(2, '0'));
const part3 = fc.integer({ min: 1, max: 999 }).map((n) => String(n).padStart(3, '0'));

const provinceCode = part2.map((p) => `${p}0000`);
const cityCode = fc.tuple(part2, part2).map(([p, c]) => `${p}${c}00`);
const countyCode = fc.tuple(part2, part2, part2).map(([p, c, x]) => `${p}${c}${x}`);
/** A township sits under a county, or under a city that has no counties (东莞 441900). */
const townshipCode = fc.tuple(fc.oneof(countyCode, cityCode), part3).map(([c, t]) => `${c}${t}`);
const villageCode = fc.tuple(townshipCode, part3).map(([t, v]) => `${t}${v}`);
/** 9- or 12-digit strings made of parts that are often all zeros, to probe the checks on each part. */
const zeroHeavyCode = fc
  .array(fc.constantFrom('00', '01', '33'), { minLength: 3, maxLength: 3 })
  .chain((six) =>
    fc
      .array(fc.constantFrom('000', '001'), { minLength: 1, maxLength: 2 })
      .map((rest) => [...six, ...rest].join('')),
  );
/** Any code built the way the standard builds them. */
const validCode = fc.oneof(provinceCode, cityCode, countyCode, townshipCode, villageCode);

describe('levelOf', () => {
  it('reads the level from the code', () => {
    const cases: [string, DivisionLevel][] = [
      ['000000', 'national'],
      ['330000', 'province'],
      ['110000', 'province'],
      ['330100', 'city'],
      ['110100', 'city'], // 北京 市辖区 placeholder: still a city-level code
      ['441900', 'city'], // 东莞: a city without counties
      ['330102', 'county'],
      ['130171', 'county'], // development zone: a county-level statistical code
      ['330102001', 'township'],
      ['441900003', 'township'], // township straight under 东莞
      ['330102001051', 'village'],
    ];
    for (const [code, level] of cases) assert.equal(levelFor(code), level, code);
  });

  it('names the reason a code is malformed', () => {
    const cases: [string, string][] = [
      ['', 'org.division.code_not_digits'],
      ['abc', 'org.division.code_not_digits'],
      ['33010a', 'org.division.code_not_digits'],
      [' 330100', 'org.division.code_not_digits'],
      ['-33010', 'org.division.code_not_digits'],
      ['33010', 'org.division.code_length'],
      ['3301000', 'org.division.code_length'],
      ['33010200', 'org.division.code_length'],
      ['3301020010', 'org.division.code_length'],
      ['3301020010510', 'org.division.code_length'],
      ['001000', 'org.division.code_zero_part'],
      ['000001', 'org.division.code_zero_part'],
      ['330001', 'org.division.code_zero_part'], // county part without a city part
      ['330102000', 'org.division.code_zero_part'],
      ['330102001000', 'org.division.code_zero_part'],
    ];
    for (const [code, reason] of cases) assert.equal(reasonFor(code), reason, JSON.stringify(code));
  });

  it('accepts every code built by the standard, and no code of another length', () => {
    fc.assert(fc.property(validCode, (code) => levelFor(code) !== undefined));
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{1,14}$/).filter((s) => ![6, 9, 12].includes(s.length)),
        (code) => reasonFor(code) === 'org.division.code_length',
      ),
    );
  });

  it('rejects a 9- or 12-digit code whose leading part is not a division code', () => {
    // A township's first six digits are a county (or a city without counties); a village's first nine a township.
    for (const code of ['000000001', '001000001', '330001001', '330000001', '330102000051', '000000001001'])
      assert.equal(levelFor(code), undefined, code);
  });
});

describe('parentCandidates', () => {
  it('lists the possible parents nearest first', () => {
    assert.deepEqual(parentCandidates(NATIONAL_CODE), []);
    assert.deepEqual(parentCandidates('330000'), [NATIONAL_CODE]);
    assert.deepEqual(parentCandidates('330100'), ['330000']);
    // A county under its city, or (lists without the 市辖区 placeholder) straight under the province.
    assert.deepEqual(parentCandidates('330102'), ['330100', '330000']);
    assert.deepEqual(parentCandidates('110101'), ['110100', '110000']);
    assert.deepEqual(parentCandidates('130171'), ['130100', '130000']);
    // A township under the six-digit code it starts with: its county, or a city without counties.
    assert.deepEqual(parentCandidates('330102001'), ['330102']);
    assert.deepEqual(parentCandidates('441900003'), ['441900']);
    assert.deepEqual(parentCandidates('330102001051'), ['330102001']);
  });

  it('has none for a malformed code', () => {
    for (const code of ['', 'abc', '33010', '330102000', '001000'])
      assert.deepEqual(parentCandidates(code), []);
  });

  it('property: every candidate of a valid code is a higher level that contains it', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        const level = levelFor(code)!;
        const candidates = parentCandidates(code);
        assert.ok(candidates.length > 0, code);
        for (const c of candidates) {
          const pl = levelFor(c);
          assert.ok(pl !== undefined, `${c} (candidate of ${code}) is a code`);
          assert.ok(levelRank(pl) < levelRank(level), `${c} is above ${code}`);
          assert.ok(isWithin(code, c), `${code} is within ${c}`);
          assert.ok(!isWithin(c, code), `${c} is not within ${code}`);
        }
      }),
    );
  });

  it('property: every candidate of any code levelOf accepts is itself a division code', () => {
    fc.assert(
      fc.property(zeroHeavyCode, (code) => {
        fc.pre(levelFor(code) !== undefined);
        for (const c of parentCandidates(code)) assert.ok(levelFor(c) !== undefined, `${c} of ${code}`);
      }),
    );
  });
});

describe('subtreePrefix and isWithin', () => {
  it('gives the digits every code below starts with', () => {
    assert.equal(subtreePrefix(NATIONAL_CODE), '');
    assert.equal(subtreePrefix('330000'), '33');
    assert.equal(subtreePrefix('330100'), '3301');
    assert.equal(subtreePrefix('441900'), '4419');
    assert.equal(subtreePrefix('330102'), '330102');
    assert.equal(subtreePrefix('330102001'), '330102001');
    assert.equal(subtreePrefix('330102001051'), '330102001051');
  });

  it('is the jurisdiction test', () => {
    assert.ok(isWithin('330102001', '330000'));
    assert.ok(isWithin('330102001', '330100'));
    assert.ok(isWithin('330102001', '330102'));
    assert.ok(isWithin('330102001051', '330102001'));
    assert.ok(isWithin('441900003', '441900'));
    assert.ok(isWithin('110000', NATIONAL_CODE));
    assert.ok(isWithin('330100', '330100'), 'a division is within itself');
    assert.ok(!isWithin('110000', '330000'));
    assert.ok(!isWithin('330106', '330102'), 'a sibling is not within');
    assert.ok(!isWithin('330000', '330100'), 'an ancestor is not within its descendant');
    assert.ok(!isWithin('331000', '330100'));
    assert.ok(!isWithin('330102003', '330102001'));
  });

  it('property: a valid code is within itself and within every prefix-ancestor', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        assert.ok(isWithin(code, code));
        assert.ok(isWithin(code, NATIONAL_CODE));
        assert.ok(isWithin(code, `${code.slice(0, 2)}0000`));
        assert.ok(code.startsWith(subtreePrefix(code)));
      }),
    );
  });

  it('property: codes in different provinces are never within each other', () => {
    fc.assert(
      fc.property(validCode, validCode, (a, b) => {
        fc.pre(a.slice(0, 2) !== b.slice(0, 2));
        assert.ok(!isWithin(a, b));
        assert.ok(!isWithin(b, a));
      }),
    );
  });
});

describe('isAdministrative', () => {
  it('is false for development zones (county part 71-79)', () => {
    assert.equal(isAdministrative('130171', '石家庄高新技术产业开发区'), false);
    assert.equal(isAdministrative('130172', '石家庄循环化工园区'), false);
    assert.equal(isAdministrative('130279', '某开发区'), false);
  });

  it('is true for county parts just outside 71-79', () => {
    assert.equal(isAdministrative('130170', '某县'), true);
    assert.equal(isAdministrative('130180', '某市'), true);
    assert.equal(isAdministrative('330106', '西湖区'), true);
  });

  it('is false for the placeholders that group counties', () => {
    assert.equal(isAdministrative('110100', '市辖区'), false);
    assert.equal(isAdministrative('500200', '县'), false);
    assert.equal(isAdministrative('419000', '省直辖县级行政区划'), false);
    assert.equal(isAdministrative('659000', '自治区直辖县级行政区划'), false);
  });

  it('is true for real cities, including 东莞 with its townships', () => {
    assert.equal(isAdministrative('330100', '杭州市'), true);
    assert.equal(isAdministrative('441900', '东莞市'), true);
    assert.equal(isAdministrative('441900003', '东城街道'), true);
    assert.equal(isAdministrative('330000', '浙江省'), true);
  });

  it('does not judge townships and villages by their county part', () => {
    // A township of a development zone is a township: only the 6-digit code is statistical.
    assert.equal(isAdministrative('130171100', '某镇'), true);
    assert.equal(isAdministrative('330102001051', '清波门社区'), true);
  });
});
