/**
 * Canonical JSON (RFC 8785, JCS): the bytes a signature covers, which any verifier in any language
 * rebuilds from the same data. Keys sort by UTF-16 code units, nothing is indented, and numbers and
 * strings are written as ECMAScript's JSON.stringify writes them, which is what JCS prescribes.
 *
 * Anything JSON cannot carry faithfully is refused rather than converted: JSON.stringify would drop
 * undefined, turn NaN into null and call a Date's toJSON, and a signed document must not depend on
 * such silent choices. The caller converts (a date to its ISO string) before signing.
 */

/** Thrown for a value JSON cannot represent; `path` says where it is (`$.holder.birthDate`). */
export class CanonicalJsonError extends TypeError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path}`);
  }
}

// With the u flag a well-formed surrogate pair is one code point, so this finds only lone halves,
// which UTF-8 cannot encode (I-JSON, RFC 7493 §2.1, which JCS requires of its input).
const LONE_SURROGATE = /\p{Surrogate}/u;

export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError('lone UTF-16 surrogate', path);
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`non-finite number ${value}`, path);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (ancestors.has(value)) throw new CanonicalJsonError('cycle', path);
      ancestors.add(value);
      try {
        return Array.isArray(value)
          ? writeArray(value, path, ancestors)
          : writeObject(value, path, ancestors);
      } finally {
        ancestors.delete(value);
      }
    default:
      throw new CanonicalJsonError(`${typeof value} is not JSON`, path);
  }
}

function writeArray(items: unknown[], path: string, ancestors: Set<object>): string {
  const parts: string[] = [];
  // An index loop, not map(): map skips the holes of a sparse array, which must be refused like undefined.
  for (let i = 0; i < items.length; i++) parts.push(write(items[i], `${path}[${i}]`, ancestors));
  return `[${parts.join(',')}]`;
}

function writeObject(object: object, path: string, ancestors: Set<object>): string {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind = (object.constructor as { name?: string } | undefined)?.name || 'object';
    throw new CanonicalJsonError(`${kind} is not a plain object`, path);
  }
  if (Object.getOwnPropertySymbols(object).length > 0)
    throw new CanonicalJsonError('symbol-keyed property', path);
  // The default sort compares UTF-16 code units, exactly the order JCS specifies (not code points, not locale).
  const keys = Object.keys(object).sort();
  const parts = keys.map((key) => {
    const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
    if (LONE_SURROGATE.test(key)) throw new CanonicalJsonError('lone UTF-16 surrogate in a key', at);
    return `${JSON.stringify(key)}:${write((object as Record<string, unknown>)[key], at, ancestors)}`;
  });
  return `{${parts.join(',')}}`;
}
