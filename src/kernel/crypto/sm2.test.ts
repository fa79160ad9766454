import assert from 'node:assert/strict';
import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { CryptoError, generateSm2KeyPair, sm2KeyId, sm2PublicKey, sm2Sign, sm2Verify, sm3 } from './index.ts';
import { messageDigest, signDigest, userDigest } from './sm2.ts';

// sm-crypto (the JavaScript SM2 most Chinese government front ends use) has no type declarations.
interface SmCryptoSm2 {
  generateKeyPairHex(): { privateKey: string; publicKey: string };
  doSignature(msg: string, privateKeyHex: string, options: { hash: true; der: true }): string;
  doVerifySignature(
    msg: string,
    signatureHex: string,
    publicKeyHex: string,
    options: { hash: true; der: true },
  ): boolean;
}
const smCrypto = (createRequire(import.meta.url)('sm-crypto') as { sm2: SmCryptoSm2 }).sm2;
const STANDARD = { hash: true, der: true } as const; // Z_A with the default ID "1234567812345678"

const department = generateSm2KeyPair();
const p256 = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const licence = '{"holder":"张三","licenceNo":"京A-2024-000123","type":"营业执照"}';

describe('SM2 against GB/T 32918.5 (GM/T 0003.5) Annex A', () => {
  // The published example on the recommended curve: ID 1234567812345678, message "message digest".
  const d = 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n;
  const publicKeyHex =
    '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
    'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
  const k = '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21';
  const r = 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3';
  const s = 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';
  const point = Buffer.from(publicKeyHex, 'hex');

  it('computes the published Z_A and e', () => {
    assert.equal(
      userDigest(point).toString('hex'),
      'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
    );
    assert.equal(
      messageDigest(point, 'message digest').toString(16),
      'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
    );
  });

  it('signs the published r and s with the published nonce', () => {
    const ecdh = createECDH('SM2');
    ecdh.setPrivateKey(Buffer.from(k, 'hex'));
    const x1 = BigInt('0x' + ecdh.getPublicKey().subarray(1, 33).toString('hex'));
    const signature = signDigest(d, messageDigest(point, 'message digest'), () => ({
      k: BigInt('0x' + k),
      x1,
    }));
    assert.deepEqual(signature, { r: BigInt('0x' + r), s: BigInt('0x' + s) });
  });

  it('verifies the published signature, DER-encoded', () => {
    const der = `3046022100${r}022100${s}`;
    assert.equal(sm2Verify(publicKeyHex, 'message digest', der), true);
    assert.equal(sm2Verify(publicKeyHex, 'message digesT', der), false);
  });
});

describe('sm2Sign / sm2Verify', () => {
  it('round-trips, a string being signed as its UTF-8 bytes', () => {
    const signature = sm2Sign(department.privateKeyPem, licence);
    assert.match(signature, /^30[0-9a-f]+$/);
    assert.equal(sm2Verify(department.publicKeyPem, licence, signature), true);
    assert.equal(sm2Verify(department.publicKeyHex, Buffer.from(licence, 'utf8'), signature), true);
    assert.equal(sm2Verify(department.publicKeyHex, licence, signature.toUpperCase()), true);
    assert.notEqual(sm2Sign(department.privateKeyPem, licence), signature, 'a fresh nonce each time');
  });

  it('refuses tampered data and another department’s key', () => {
    const signature = sm2Sign(department.privateKeyPem, licence);
    assert.equal(sm2Verify(department.publicKeyPem, licence.replace('张三', '李四'), signature), false);
    assert.equal(sm2Verify(department.publicKeyPem, licence + ' ', signature), false);
    assert.equal(sm2Verify(generateSm2KeyPair().publicKeyPem, licence, signature), false);
  });

  it('answers false, never throws, for a malformed signature', () => {
    const good = sm2Sign(department.privateKeyPem, licence);
    const n = 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123';
    for (const bad of [
      '',
      'zz',
      '30',
      good.slice(0, -2), // truncated
      good + '00', // trailing byte
      good.slice(0, 4) + good.slice(6), // broken length
      '3006020100020101', // r = 0
      `3026020101022100${n}`, // s = n
      '300602018102017f', // r negative
      '30070202000102017f', // r not minimal
      'not hex at all',
      Buffer.from(good, 'hex').toString('base64'),
    ]) {
      assert.equal(sm2Verify(department.publicKeyHex, licence, bad), false, bad);
    }
  });

  it('answers false, never throws, for a malformed public key', () => {
    const signature = sm2Sign(department.privateKeyPem, licence);
    for (const bad of [
      '',
      'garbage',
      '04' + '11'.repeat(64), // not on the curve
      department.publicKeyHex.slice(0, -2),
      department.publicKeyPem.replace('MFkw', 'MFkx'),
      p256.publicKey,
      department.privateKeyPem,
    ]) {
      assert.equal(sm2Verify(bad, licence, signature), false);
    }
  });

  it('throws CryptoError when asked to sign with something that is not an SM2 private key', () => {
    for (const bad of ['', 'garbage', department.publicKeyPem, p256.privateKey]) {
      assert.throws(() => sm2Sign(bad, licence), CryptoError);
    }
  });

  it('signs with an OpenSSL SEC1 "EC PRIVATE KEY" as well as PKCS#8', () => {
    // `openssl ecparam -genkey -name SM2` writes SEC1; the DER inside PKCS#8 is the same structure.
    const der = Buffer.from(department.privateKeyPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const sec1 = der.subarray(der.length - 0x6d); // the OCTET STRING's 109-byte content
    const pem = `-----BEGIN EC PRIVATE KEY-----\n${sec1.toString('base64')}\n-----END EC PRIVATE KEY-----\n`;
    // Without the curve in [0] parameters a bare SEC1 key does not say it is SM2, so it is refused.
    assert.throws(() => sm2Sign(pem, licence), CryptoError);
    const withCurve = Buffer.concat([
      Buffer.from([0x30, 0x77]),
      sec1.subarray(2, 39), // version and d
      Buffer.from('a00a06082a811ccf5501822d', 'hex'),
      sec1.subarray(39),
    ]);
    const named = `-----BEGIN EC PRIVATE KEY-----\n${withCurve.toString('base64')}\n-----END EC PRIVATE KEY-----\n`;
    assert.equal(sm2Verify(department.publicKeyHex, licence, sm2Sign(named, licence)), true);
  });
});

describe('interoperability (proves the standard Z_A with the default ID)', () => {
  const messages = ['message digest', licence, '', '证照'.repeat(500)];

  it('sm-crypto verifies what sm2Sign signed', () => {
    for (let i = 0; i < 20; i++) {
      const message = messages[i % messages.length]!;
      const signature = sm2Sign(department.privateKeyPem, message);
      assert.equal(smCrypto.doVerifySignature(message, signature, department.publicKeyHex, STANDARD), true);
    }
  });

  it('sm2Verify accepts what sm-crypto signed, and only that', () => {
    for (let i = 0; i < 20; i++) {
      const message = messages[i % messages.length]!;
      const keys = smCrypto.generateKeyPairHex();
      const signature = smCrypto.doSignature(message, keys.privateKey, STANDARD);
      assert.equal(sm2Verify(keys.publicKey, message, signature), true);
      assert.equal(sm2Verify(keys.publicKey, message + '.', signature), false);
    }
  });

  it('is not what Node’s own crypto.sign() makes on an SM2 key (no default ID there)', () => {
    const nodeKey = createPrivateKey(department.privateKeyPem);
    const nodeSignature = sign('sm3', Buffer.from(licence), nodeKey);
    assert.equal(
      verify('sm3', Buffer.from(licence), createPublicKey(department.publicKeyPem), nodeSignature),
      true,
    );
    assert.equal(sm2Verify(department.publicKeyHex, licence, nodeSignature.toString('hex')), false);
    const ours = Buffer.from(sm2Sign(department.privateKeyPem, licence), 'hex');
    assert.equal(verify('sm3', Buffer.from(licence), createPublicKey(department.publicKeyPem), ours), false);
  });
});

describe('public keys and key ids', () => {
  it('converts between SPKI PEM and the uncompressed point, as OpenSSL writes them', () => {
    assert.match(department.publicKeyHex, /^04[0-9a-f]{128}$/);
    assert.deepEqual(sm2PublicKey(department.publicKeyPem), {
      pem: department.publicKeyPem,
      hex: department.publicKeyHex,
    });
    assert.equal(sm2PublicKey(department.publicKeyHex).pem, department.publicKeyPem);
    assert.equal(sm2PublicKey(department.publicKeyHex.toUpperCase()).hex, department.publicKeyHex);
    const compressed = createECDH('SM2');
    compressed.generateKeys();
    assert.equal(
      sm2PublicKey(compressed.getPublicKey('hex', 'compressed')).hex,
      compressed.getPublicKey('hex'),
    );
    assert.throws(() => sm2PublicKey('04' + '11'.repeat(64)), CryptoError);
  });

  it('names a key by the first 16 hex digits of SM3 over its point, whichever form it is given in', () => {
    const id = sm2KeyId(department.publicKeyPem);
    assert.equal(id, sm3(Buffer.from(department.publicKeyHex, 'hex')).slice(0, 16));
    assert.equal(sm2KeyId(department.publicKeyHex), id);
    assert.notEqual(sm2KeyId(generateSm2KeyPair().publicKeyHex), id);
    assert.throws(() => sm2KeyId('nope'), CryptoError);
  });
});
