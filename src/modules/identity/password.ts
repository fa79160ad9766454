/**
 * Passwords: argon2id hashes (OWASP's minimum: 19 MiB, 2 passes, 1 lane) and the policy of GB/T 22239
 * level 3 as the issue states it — at least 8 characters, 3 of the 4 classes, and not containing the
 * account name or the ID number.
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type { FieldProblem } from '../../kernel/errors.ts';

// Algorithm.Argon2id: a const enum, which isolated modules cannot read as a value.
const ARGON2ID = 2 as Algorithm;
const ARGON2 = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const PASSWORD_MAX = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the account does not exist, so an unknown name costs the same time as a known one.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword('yiwang-no-such-account');
  await verifyPassword(await dummyHash, password);
  return false;
}

/** The problems with a new password, each for the field `field`; none means it is acceptable. */
export function passwordProblems(
  password: string,
  about: { username: string; idNumber?: string | undefined },
  field = 'password',
): FieldProblem[] {
  if (password.length < 8) return [{ field, code: 'identity.password.too_short' }];
  if (password.length > PASSWORD_MAX) return [{ field, code: 'identity.password.too_long' }];
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return [{ field, code: 'identity.password.classes' }];
  const lower = password.toLowerCase();
  if (about.username && lower.includes(about.username.toLowerCase())) {
    return [{ field, code: 'identity.password.contains_username' }];
  }
  const id = about.idNumber?.toUpperCase();
  // The whole number, or any 6 consecutive characters of it (a birth date, the last digits).
  if (id && id.length >= 6) {
    const upper = password.toUpperCase();
    for (let i = 0; i + 6 <= id.length; i++) {
      if (upper.includes(id.slice(i, i + 6)))
        return [{ field, code: 'identity.password.contains_id_number' }];
    }
  }
  return [];
}
