/**
 * SM2 verification with its outcome remembered. One verification costs about 1.5 ms of CPU here (BigInt
 * arithmetic, see src/kernel/crypto/sm2.ts), which would cap a node at a few hundred QR scans a second,
 * while the answer for the same key, bytes and signature never changes. So the outcome is kept per
 * (public key, SM3 of the signed bytes, signature): whatever changes in a licence's row — a data column,
 * the signature, the key — makes a different entry, which is verified for real before it is believed.
 * Issuance verifies each new signature through here, so a licence's first scan is already answered.
 *
 * Bounded (least recently used entries go first) and per process: a node that has not seen a licence
 * yet pays the 1.5 ms once. Uploaded PDFs and data are verified with sm2Verify directly (they are rare,
 * rate-limited, and the reason someone uploads is to have the signature checked now).
 */
import { sm2Verify, sm3 } from '../../kernel/crypto/index.ts';

export interface SignatureCheck {
  /** Whether signature is publicKey's SM2 signature over canonical (UTF-8). */
  verify(publicKey: string, canonical: string, signature: string): boolean;
  /** Outcomes held now (for tests and the benchmark's report). */
  size(): number;
}

export function createSignatureCheck(capacity = 20_000): SignatureCheck {
  const outcomes = new Map<string, boolean>();
  return {
    verify(publicKey, canonical, signature) {
      const key = `${publicKey}:${sm3(canonical)}:${signature}`;
      const known = outcomes.get(key);
      if (known !== undefined) {
        // Map keeps insertion order: moving a hit to the end makes the first entry the least recent.
        outcomes.delete(key);
        outcomes.set(key, known);
        return known;
      }
      const ok = sm2Verify(publicKey, canonical, signature);
      if (outcomes.size >= capacity) outcomes.delete(outcomes.keys().next().value!);
      outcomes.set(key, ok);
      return ok;
    },
    size: () => outcomes.size,
  };
}
