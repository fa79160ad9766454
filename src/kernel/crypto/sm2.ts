/**
 * SM2 signatures (GB/T 32918.2, GM/T 0003.2) as other government systems compute them: the message is
 * hashed as e = SM3(Z_A ‖ M), Z_A over the default distinguishing identifier "1234567812345678"
 * (GM/T 0009), and the signature is stored DER-encoded (SEQUENCE of r, s) in lowercase hex, the form
 * sm-crypto writes and reads with { der: true }.
 *
 * Node 20's own crypto.sign() cannot make that signature: a key from generateKeyPairSync('ec',
 * { namedCurve: 'SM2' }) signs ECDSA over the SM2 curve, and the same key loaded from PEM signs SM2
 * with an empty identifier (Z_A over ENTL = 0), which Node gives no way to change. So the signature
 * equations are written here, and OpenSSL still does the part that handles a secret scalar: the nonce
 * k and the point kG come from OpenSSL's ECDH key generation, which is constant-time. The rest is
 * BigInt arithmetic: verification touches only public values; signing multiplies by d once, and the
 * inversion of 1 + d is blinded by a random factor.
 *
 * Keys are parsed from their DER here rather than through KeyObject: Node reports an imported SM2
 * key's type as undefined and aborts the process when such a key is exported as SEC1.
 */
import { createECDH, createHash, ECDH, generateKeyPairSync, randomBytes } from 'node:crypto';
import { CryptoError } from './index.ts';

/** The curve of GB/T 32918.5, the only one SM2 uses. */
const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = P - 3n;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

/** GM/T 0009's default user identifier, used when the parties agreed on no other. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

// The DER of AlgorithmIdentifier { id-ecPublicKey, sm2 } and of the SPKI header in front of a point.
const ALGORITHM = Buffer.from('301306072a8648ce3d020106082a811ccf5501822d', 'hex');
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');
const SPKI_HEADER = Buffer.from('3059' + ALGORITHM.toString('hex') + '034200', 'hex');

/** A public key in the two forms other systems exchange. */
export interface Sm2PublicKey {
  /** SubjectPublicKeyInfo PEM, as OpenSSL writes it. */
  pem: string;
  /** The uncompressed point 04‖x‖y in lowercase hex (130 characters). */
  hex: string;
}

export interface Sm2KeyPair {
  /** PKCS#8 PEM; the caller stores it encrypted (Sm4Keyring). */
  privateKeyPem: string;
  publicKeyPem: string;
  publicKeyHex: string;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  for (;;) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'SM2',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    // OpenSSL draws d from [1, n-1]; SM2 needs 1 + d invertible, so d = n-1 (odds 2^-256) is redrawn.
    if (!readPrivateKey(pemBody(privateKey, 'PRIVATE KEY')!)) continue;
    return { privateKeyPem: privateKey, publicKeyPem: publicKey, publicKeyHex: sm2PublicKey(publicKey).hex };
  }
}

/**
 * Reads a public key given as SPKI PEM or as a point in hex (04‖x‖y, or compressed 02/03‖x), checking
 * that it is a point of the SM2 curve. Throws CryptoError otherwise.
 */
export function sm2PublicKey(key: string): Sm2PublicKey {
  const point = publicPoint(key);
  if (!point) throw new CryptoError('not an SM2 public key');
  const der = Buffer.concat([SPKI_HEADER, point]);
  const lines = der.toString('base64').match(/.{1,64}/g)!;
  return {
    pem: `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`,
    hex: point.toString('hex'),
  };
}

/** A short stable name for a public key: the first 16 hex digits of SM3 over the uncompressed point. */
export function sm2KeyId(publicKey: string): string {
  const point = publicPoint(publicKey);
  if (!point) throw new CryptoError('not an SM2 public key');
  return createHash('sm3').update(point).digest('hex').slice(0, 16);
}

/** Signs data (a string is signed as its UTF-8 bytes); returns the DER signature in lowercase hex. */
export function sm2Sign(privateKeyPem: string, data: Buffer | string): string {
  const body = pemBody(privateKeyPem, 'PRIVATE KEY') ?? pemBody(privateKeyPem, 'EC PRIVATE KEY');
  const key = body && readPrivateKey(body);
  if (!key) throw new CryptoError('not an SM2 private key');
  const { r, s } = signDigest(key.d, messageDigest(key.point, data), freshNonce);
  return encodeSignature(r, s).toString('hex');
}

/** Whether signature (DER, hex) is the key's signature over data. False, never an error, for bad input. */
export function sm2Verify(publicKey: string, data: Buffer | string, signature: string): boolean {
  const point = publicPoint(publicKey);
  const rs = /^(?:[0-9a-f]{2})+$/i.test(signature)
    ? decodeSignature(Buffer.from(signature, 'hex'))
    : undefined;
  if (!point || !rs) return false;
  const { r, s } = rs;
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const t = (r + s) % N;
  if (t === 0n) return false;
  const q = { x: toBigInt(point.subarray(1, 33)), y: toBigInt(point.subarray(33)) };
  const sum = toAffine(shamir(s, { x: GX, y: GY }, t, q));
  if (!sum) return false;
  return (messageDigest(point, data) + sum.x) % N === r;
}

// ——— the standard's equations (exported for the published test vector, not from the module) ———

/** Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) for the default identifier. */
export function userDigest(point: Buffer): Buffer {
  const id = Buffer.from(SM2_DEFAULT_USER_ID, 'utf8');
  const entl = Buffer.from([(id.length * 8) >> 8, (id.length * 8) & 0xff]);
  return createHash('sm3')
    .update(Buffer.concat([entl, id, ...[A, B, GX, GY].map(toBytes), point.subarray(1)]))
    .digest();
}

/** e = SM3(Z_A ‖ M) as an integer. */
export function messageDigest(point: Buffer, data: Buffer | string): bigint {
  return toBigInt(createHash('sm3').update(userDigest(point)).update(data).digest());
}

export interface Nonce {
  k: bigint;
  /** x of the point kG. */
  x1: bigint;
}

/** A nonce from OpenSSL's key generation: k uniform in [1, n-1], kG by its constant-time ladder. */
function freshNonce(): Nonce {
  const ecdh = createECDH('SM2');
  const point = ecdh.generateKeys();
  return { k: toBigInt(ecdh.getPrivateKey()), x1: toBigInt(point.subarray(1, 33)) };
}

/** The signature of GB/T 32918.2 §6.1 over digest e; nonce is fixed only by the published example. */
export function signDigest(d: bigint, e: bigint, nonce: () => Nonce): { r: bigint; s: bigint } {
  for (;;) {
    const { k, x1 } = nonce();
    const r = (e + x1) % N;
    if (r === 0n || r + k === N) continue;
    const blind = (toBigInt(randomBytes(32)) % (N - 1n)) + 1n;
    const s = mod(invert(((1n + d) * blind) % N, N) * blind * (k - r * d), N);
    if (s !== 0n) return { r, s };
  }
}

// ——— keys ———

function pemBody(pem: string, label: string): Buffer | undefined {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  return match ? Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64') : undefined;
}

interface PrivateKey {
  d: bigint;
  point: Buffer;
}

/**
 * d and the public point from PKCS#8 or SEC1 (RFC 5915) DER on the SM2 curve, if the key is usable
 * (1 ≤ d ≤ n-2). OpenSSL writes the public point into the key; reading it saves a scalar multiplication
 * per signature (a third of the signing time). A key whose point does not match d would only make
 * signatures that fail verification, so the point is checked to be on the curve, not recomputed.
 */
function readPrivateKey(der: Buffer): PrivateKey | undefined {
  try {
    let sec1 = readTlv(der, 0);
    if (sec1.tag !== 0x30 || sec1.raw.length !== der.length) return undefined;
    let fields = children(sec1.value);
    if (fields[0]?.tag === 0x02 && fields[0].value.equals(Buffer.from([0]))) {
      // PKCS#8: version 0, the algorithm, then the SEC1 structure inside an OCTET STRING.
      if (!fields[1]?.raw.equals(ALGORITHM) || fields[2]?.tag !== 0x04) return undefined;
      sec1 = readTlv(fields[2].value, 0);
      if (sec1.tag !== 0x30) return undefined;
      fields = children(sec1.value);
    } else if (!fields.find((f) => f.tag === 0xa0)?.value.equals(SM2_CURVE_OID)) {
      return undefined; // bare SEC1 names its curve in the [0] parameters field
    }
    const [version, scalar] = fields;
    if (!version?.value.equals(Buffer.from([1])) || scalar?.tag !== 0x04 || scalar.value.length > 32)
      return undefined;
    const d = toBigInt(scalar.value);
    if (d < 1n || d > N - 2n) return undefined;
    const embedded = fields.find((f) => f.tag === 0xa1);
    if (!embedded) {
      const ecdh = createECDH('SM2');
      ecdh.setPrivateKey(toBytes(d));
      return { d, point: ecdh.getPublicKey() };
    }
    const bits = readTlv(embedded.value, 0);
    if (bits.tag !== 0x03 || bits.value[0] !== 0) return undefined;
    return {
      d,
      point: ECDH.convertKey(bits.value.subarray(1), 'SM2', undefined, undefined, 'uncompressed') as Buffer,
    };
  } catch {
    return undefined;
  }
}

/** The uncompressed point of a PEM or hex public key, checked to be on the curve by OpenSSL. */
function publicPoint(key: string): Buffer | undefined {
  try {
    let encoded: Buffer;
    const body = pemBody(key, 'PUBLIC KEY');
    if (body) {
      const spki = readTlv(body, 0);
      if (spki.tag !== 0x30 || spki.raw.length !== body.length) return undefined;
      const [algorithm, bits, ...rest] = children(spki.value);
      if (!algorithm?.raw.equals(ALGORITHM) || bits?.tag !== 0x03 || bits.value[0] !== 0 || rest.length)
        return undefined;
      encoded = bits.value.subarray(1);
    } else if (/^(?:04[0-9a-f]{128}|0[23][0-9a-f]{64})$/i.test(key.trim())) {
      encoded = Buffer.from(key.trim(), 'hex');
    } else {
      return undefined;
    }
    return ECDH.convertKey(encoded, 'SM2', undefined, undefined, 'uncompressed') as Buffer;
  } catch {
    return undefined;
  }
}

// ——— DER ———

interface Tlv {
  tag: number;
  value: Buffer;
  /** The whole encoding, tag and length included. */
  raw: Buffer;
}

function readTlv(der: Buffer, at: number): Tlv {
  const tag = der[at];
  let length = der[at + 1];
  let start = at + 2;
  if (tag === undefined || length === undefined) throw new CryptoError('truncated DER');
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets < 1 || octets > 2 || start + octets > der.length) throw new CryptoError('bad DER length');
    length = der.readUIntBE(start, octets);
    if (length < 0x80 || (octets === 2 && length < 0x100)) throw new CryptoError('non-minimal DER length');
    start += octets;
  }
  if (start + length > der.length) throw new CryptoError('truncated DER');
  return { tag, value: der.subarray(start, start + length), raw: der.subarray(at, start + length) };
}

function children(value: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < value.length;) {
    const tlv = readTlv(value, at);
    out.push(tlv);
    at += tlv.raw.length;
  }
  return out;
}

function encodeInteger(v: bigint): Buffer {
  let bytes = Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
  while (bytes.length > 1 && bytes[0] === 0 && bytes[1]! < 0x80) bytes = bytes.subarray(1);
  if (bytes[0]! >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

function encodeSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([encodeInteger(r), encodeInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** r and s from strict DER: one SEQUENCE of two minimal positive INTEGERs and nothing after it. */
function decodeSignature(der: Buffer): { r: bigint; s: bigint } | undefined {
  try {
    const sequence = readTlv(der, 0);
    if (sequence.tag !== 0x30 || sequence.raw.length !== der.length) return undefined;
    const fields = children(sequence.value);
    if (fields.length !== 2) return undefined;
    const [r, s] = fields.map((f) => {
      const v = f.value;
      const minimal = v.length > 0 && !(v.length > 1 && v[0] === 0 && v[1]! < 0x80);
      return f.tag === 0x02 && minimal && v[0]! < 0x80 && v.length <= 33 ? toBigInt(v) : -1n;
    });
    return r! < 0n || s! < 0n ? undefined : { r: r!, s: s! };
  } catch {
    return undefined;
  }
}

// ——— arithmetic on public values (verification) ———

interface Affine {
  x: bigint;
  y: bigint;
}
/** Jacobian coordinates (X/Z², Y/Z³); Z = 0 is the point at infinity. */
type Jacobian = [bigint, bigint, bigint];
const INFINITY: Jacobian = [1n, 1n, 0n];

function mod(a: bigint, m: bigint = P): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** a⁻¹ mod m by the extended Euclidean algorithm (m prime, a ≠ 0). */
function invert(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

/** dbl-2001-b for a = -3. */
function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return INFINITY;
  const delta = (z * z) % P;
  const gamma = (y * y) % P;
  const beta = (x * gamma) % P;
  const alpha = mod(3n * (x - delta) * (x + delta));
  const x3 = mod(alpha * alpha - 8n * beta);
  const z3 = mod((y + z) * (y + z) - gamma - delta);
  const y3 = mod(alpha * (4n * beta - x3) - 8n * gamma * gamma);
  return [x3, y3, z3];
}

/** madd-2007-bl: a Jacobian point plus an affine one. */
function addAffine(p1: Jacobian, { x: x2, y: y2 }: Affine): Jacobian {
  const [x1, y1, z1] = p1;
  if (z1 === 0n) return [x2, y2, 1n];
  const z1z1 = (z1 * z1) % P;
  const h = mod(x2 * z1z1 - x1);
  const r = mod(2n * (((y2 * z1) % P) * z1z1 - y1));
  if (h === 0n) return r === 0n ? double(p1) : INFINITY;
  const hh = (h * h) % P;
  const i = (4n * hh) % P;
  const j = (h * i) % P;
  const v = (x1 * i) % P;
  const x3 = mod(r * r - j - 2n * v);
  const y3 = mod(r * (v - x3) - 2n * y1 * j);
  const z3 = mod((z1 + h) * (z1 + h) - z1z1 - hh);
  return [x3, y3, z3];
}

function toAffine([x, y, z]: Jacobian): Affine | undefined {
  if (z === 0n) return undefined;
  const zInv = invert(z, P);
  const zInv2 = (zInv * zInv) % P;
  return { x: (x * zInv2) % P, y: (((y * zInv2) % P) * zInv) % P };
}

/** u·U + v·V in one pass over the bits (Shamir's trick). */
function shamir(u: bigint, pu: Affine, v: bigint, pv: Affine): Jacobian {
  const both = toAffine(addAffine([pu.x, pu.y, 1n], pv));
  let acc = INFINITY;
  for (let bit = 255n; bit >= 0n; bit--) {
    acc = double(acc);
    const a = (u >> bit) & 1n;
    const b = (v >> bit) & 1n;
    if (a && b) acc = both ? addAffine(acc, both) : acc;
    else if (a) acc = addAffine(acc, pu);
    else if (b) acc = addAffine(acc, pv);
  }
  return acc;
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length ? BigInt('0x' + bytes.toString('hex')) : 0n;
}

function toBytes(v: bigint): Buffer {
  return Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
}
