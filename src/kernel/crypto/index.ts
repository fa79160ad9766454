/**
 * GM/T cryptography from Node's OpenSSL: SM3 (hash, HMAC), SM4 (encryption of personal identifiers).
 * OpenSSL 3 offers SM4 in CBC/CTR/… but not GCM, so encryption is SM4-CTR with an HMAC-SM3 tag over
 * key id, IV and ciphertext (encrypt-then-MAC). Each key's encryption and MAC keys are derived from it.
 *
 * SM2 signatures (sm2.ts) follow GB/T 32918.2 with GM/T 0009's default identifier, as other government
 * systems (and sm-crypto, which the tests check against) expect; Node's own crypto.sign() on an SM2 key
 * does not (it signs ECDSA, or SM2 with an empty identifier), so the equations are written there, with
 * OpenSSL making the nonce and its point.
 * What is signed is canonical JSON (canonical.ts, RFC 8785), which any verifier rebuilds byte for byte.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

export {
  generateSm2KeyPair,
  SM2_DEFAULT_USER_ID,
  sm2KeyId,
  sm2PublicKey,
  sm2Sign,
  sm2Verify,
  type Sm2KeyPair,
  type Sm2PublicKey,
} from './sm2.ts';
export { canonicalJson, CanonicalJsonError } from './canonical.ts';
export {
  reencryptTables,
  ROTATION_BATCH,
  type CipherRow,
  type CipherTable,
  type Ciphertexts,
  type RotationResult,
} from './rotation.ts';

export function sm3(data: string | Buffer): string {
  return createHash('sm3').update(data).digest('hex');
}

/** SM3 over data given in pieces (a file written in batches): the same digest as sm3() of the whole. */
export function sm3Stream(): { update(data: string | Buffer): void; digest(): string } {
  const hash = createHash('sm3');
  return {
    update: (data) => void hash.update(data),
    digest: () => hash.digest('hex'),
  };
}

export function hmacSm3(key: Buffer | string, data: string | Buffer): string {
  return createHmac('sm3', key).update(data).digest('hex');
}

/** One SM4 key of a keyring: 16 bytes, with the id stored beside every ciphertext it made. */
export interface Sm4Key {
  id: string;
  key: Buffer;
}

const PREFIX = 'sm4v1';

function derive(key: Buffer, purpose: string): Buffer {
  return createHmac('sm3', key).update(`yiwang:${purpose}`).digest().subarray(0, 16);
}

export class CryptoError extends Error {}

/**
 * Encrypts with the current key; decrypts with whichever key the ciphertext names, so keys can rotate
 * (`yiwang keys rotate` re-encrypts old rows with the current key).
 */
export class Sm4Keyring {
  private readonly keys = new Map<string, { enc: Buffer; mac: Buffer }>();

  constructor(
    keys: Sm4Key[],
    readonly currentId: string,
  ) {
    for (const k of keys) {
      if (k.key.length !== 16) throw new CryptoError(`SM4 key ${k.id} must be 16 bytes`);
      if (!/^[A-Za-z0-9_-]{1,16}$/.test(k.id))
        throw new CryptoError(`SM4 key id ${k.id} is not a short word`);
      this.keys.set(k.id, { enc: derive(k.key, 'sm4-ctr'), mac: derive(k.key, 'hmac-sm3') });
    }
    if (!this.keys.has(currentId))
      throw new CryptoError(`the current SM4 key ${currentId} is not in the keyring`);
  }

  encrypt(plaintext: string): string {
    const k = this.keys.get(this.currentId)!;
    const iv = randomBytes(16);
    const cipher = createCipheriv('sm4-ctr', k.enc, iv);
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = createHmac('sm3', k.mac)
      .update(`${PREFIX}:${this.currentId}:`)
      .update(iv)
      .update(ct)
      .digest();
    return [
      PREFIX,
      this.currentId,
      iv.toString('base64url'),
      ct.toString('base64url'),
      tag.toString('base64url'),
    ].join(':');
  }

  decrypt(token: string): string {
    const [prefix, id, ivText, ctText, tagText, ...rest] = token.split(':');
    if (
      prefix !== PREFIX ||
      !id ||
      ivText === undefined ||
      ctText === undefined ||
      !tagText ||
      rest.length > 0
    ) {
      throw new CryptoError('not an SM4 ciphertext');
    }
    const k = this.keys.get(id);
    if (!k) throw new CryptoError(`SM4 key ${id} is not in the keyring`);
    const iv = Buffer.from(ivText, 'base64url');
    const ct = Buffer.from(ctText, 'base64url');
    const expected = createHmac('sm3', k.mac).update(`${PREFIX}:${id}:`).update(iv).update(ct).digest();
    const tag = Buffer.from(tagText, 'base64url');
    if (tag.length !== expected.length || !timingSafeEqual(tag, expected))
      throw new CryptoError('SM4 ciphertext was altered');
    const decipher = createDecipheriv('sm4-ctr', k.enc, iv);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  }

  /** The key id a ciphertext was made with (rotation finds the rows still on an old key). */
  static keyIdOf(token: string): string | undefined {
    const parts = token.split(':');
    return parts[0] === PREFIX ? parts[1] : undefined;
  }
}

/** Deterministic keyed SM3 of a normalized identifier, for exact lookup without decrypting. */
export function lookupHash(lookupKey: Buffer, kind: string, value: string): string {
  return hmacSm3(lookupKey, `${kind}:${value}`);
}
