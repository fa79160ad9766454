import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CryptoError, hmacSm3, lookupHash, sm3, Sm4Keyring } from './index.ts';

describe('SM3', () => {
  it('matches the GB/T 32905 examples', () => {
    assert.equal(sm3('abc'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    assert.equal(sm3('abcd'.repeat(16)), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('keys an HMAC', () => {
    assert.equal(hmacSm3('k', 'x').length, 64);
    assert.notEqual(hmacSm3('k1', 'x'), hmacSm3('k2', 'x'));
  });
});

describe('Sm4Keyring', () => {
  const k1 = { id: 'k1', key: randomBytes(16) };
  const k2 = { id: 'k2', key: randomBytes(16) };

  it('round-trips any text, with a fresh IV each time', () => {
    const ring = new Sm4Keyring([k1], 'k1');
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => ring.decrypt(ring.encrypt(s)) === s));
    assert.notEqual(ring.encrypt('11010519491231002X'), ring.encrypt('11010519491231002X'));
  });

  it('names its key, so an old ciphertext still opens after rotation', () => {
    const before = new Sm4Keyring([k1], 'k1').encrypt('13800000000');
    const rotated = new Sm4Keyring([k1, k2], 'k2');
    assert.equal(Sm4Keyring.keyIdOf(before), 'k1');
    assert.equal(rotated.decrypt(before), '13800000000');
    assert.equal(Sm4Keyring.keyIdOf(rotated.encrypt('x')), 'k2');
  });

  it('refuses an altered ciphertext, an unknown key and garbage', () => {
    const ring = new Sm4Keyring([k1], 'k1');
    const token = ring.encrypt('浙江省杭州市西湖区');
    const parts = token.split(':');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[3] = ct.toString('base64url');
    assert.throws(() => ring.decrypt(parts.join(':')), /altered/);
    assert.throws(() => new Sm4Keyring([k2], 'k2').decrypt(token), /not in the keyring/);
    assert.throws(() => ring.decrypt('plain text'), CryptoError);
    assert.throws(() => new Sm4Keyring([{ id: 'short', key: randomBytes(8) }], 'short'), /16 bytes/);
  });

  it('gives a stable lookup hash per kind and value', () => {
    const key = randomBytes(32);
    assert.equal(lookupHash(key, 'citizen-id', 'A'), lookupHash(key, 'citizen-id', 'A'));
    assert.notEqual(lookupHash(key, 'citizen-id', 'A'), lookupHash(key, 'phone', 'A'));
  });
});
