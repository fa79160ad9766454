import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson, CanonicalJsonError } from './index.ts';

/** The double with the given IEEE 754 bits, as RFC 8785 Appendix B lists them. */
function double(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt('0x' + bits));
  return view.getFloat64(0);
}

describe('canonicalJson against RFC 8785', () => {
  it('writes the §3.2.2 example as the UTF-8 bytes of §3.2.4', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    const bytes = `
      7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
      75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
      5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
      65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
      5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
      30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d`;
    assert.equal(Buffer.from(canonicalJson(input), 'utf8').toString('hex'), bytes.replace(/\s+/g, ''));
  });

  it('sorts keys by UTF-16 code units, not by code point or locale (§3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // The emoji (U+1F600) sorts before U+FB33 because its first code unit is 0xD83D.
    assert.equal(
      canonicalJson(input),
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    assert.equal(
      canonicalJson({ peach: 1, péché: 2, pêche: 3, sin: 4 }),
      '{"peach":1,"péché":2,"pêche":3,"sin":4}',
      'the French dictionary order would put pêche before péché',
    );
  });

  it('writes numbers in ECMAScript’s shortest form (Appendix B)', () => {
    const table: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, text] of table) assert.equal(canonicalJson(double(bits)), text, bits);
  });

  it('sorts nested objects and keeps array order (the JCS test data)', () => {
    assert.equal(canonicalJson([56, { d: true, '10': null, '1': [] }]), '[56,{"1":[],"10":null,"d":true}]');
    assert.equal(
      canonicalJson({
        '1': { f: { f: 'hi', F: 5 }, '\n': 56.0 },
        '10': {},
        '': 'empty',
        a: {},
        '111': [{}],
        A: {},
      }),
      '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}',
    );
    assert.equal(
      canonicalJson({ '\u20ac': 'Euro', '</script>': 'Browser Challenge', '\u0080': 'Control\u007f' }),
      '{"</script>":"Browser Challenge","\u0080":"Control\u007f","€":"Euro"}',
      'U+007F and U+0080 stay raw; only controls below U+0020 are escaped',
    );
    assert.equal(canonicalJson({ u: '\u1e0d\u0307' }), '{"u":"\u1e0d\u0307"}', 'no Unicode normalization');
  });

  it('signs a licence the same way whatever order its fields were built in', () => {
    const a = {
      证照类型: '营业执照',
      持证主体: { 名称: '某某科技有限公司', 代码: '91110000MA01ABCD1X' },
      范围: ['软件', '咨询'],
    };
    const b = {
      范围: ['软件', '咨询'],
      持证主体: { 代码: '91110000MA01ABCD1X', 名称: '某某科技有限公司' },
      证照类型: '营业执照',
    };
    assert.equal(canonicalJson(a), canonicalJson(b));
    assert.equal(
      canonicalJson(a),
      '{"持证主体":{"代码":"91110000MA01ABCD1X","名称":"某某科技有限公司"},"范围":["软件","咨询"],"证照类型":"营业执照"}',
    );
    assert.notEqual(canonicalJson({ 范围: ['咨询', '软件'] }), canonicalJson({ 范围: ['软件', '咨询'] }));
  });

  it('is stable through JSON.parse and keeps every value, for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        assert.equal(canonicalJson(JSON.parse(text)), text);
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('canonicalJson refuses what JSON cannot carry', () => {
  const refused: [string, unknown, string][] = [
    ['undefined', undefined, '$'],
    ['an undefined property', { a: { b: undefined } }, '$.a.b'],
    ['an undefined array item', [1, undefined], '$[1]'],
    ['a hole', [1, , 3], '$[1]'], // eslint-disable-line no-sparse-arrays
    ['a function', { f: () => 1 }, '$.f'],
    ['NaN', { n: NaN }, '$.n'],
    ['Infinity', [-Infinity], '$[0]'],
    ['a BigInt', { 'big number': 1n }, '$["big number"]'],
    ['a symbol', Symbol('s'), '$'],
    ['a Date', { issuedAt: new Date(0) }, '$.issuedAt'],
    ['a Map', new Map(), '$'],
    ['a Buffer', { photo: Buffer.from('x') }, '$.photo'],
    ['a class instance', { x: new (class Licence {})() }, '$.x'],
    ['a lone surrogate', { s: 'a\ud800b' }, '$.s'],
    ['a lone surrogate in a key', { '\udc00': 1 }, '$["\\udc00"]'],
    ['a symbol key', { [Symbol('k')]: 1 }, '$'],
  ];
  for (const [what, value, path] of refused) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => canonicalJson(value),
        (error) => error instanceof CanonicalJsonError && error.path === path,
      );
    });
  }

  it('refuses a cycle but accepts the same object twice side by side', () => {
    const shared = { n: 1 };
    assert.equal(canonicalJson({ a: shared, b: shared }), '{"a":{"n":1},"b":{"n":1}}');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    assert.throws(() => canonicalJson(loop), CanonicalJsonError);
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as object, { b: 2, a: 1 });
    assert.equal(canonicalJson(bare), '{"a":1,"b":2}');
  });
});
