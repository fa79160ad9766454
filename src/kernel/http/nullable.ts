import { Type, type Static, type TSchema } from 'typebox';

/**
 * A primitive schema that also takes null, written as `type: [t, 'null']` rather than TypeBox's
 * `anyOf`. Fastify's ajv coerces types (querystrings arrive as strings), and under `anyOf` it tries
 * the first branch with coercion: a JSON body's `null` for an integer became 0 (法定时限 "none"
 * turned into "same day"). With the type list, null is one of the types and nothing is coerced.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const s = schema as unknown as { type?: string };
  if (typeof s.type !== 'string') throw new TypeError('Nullable: a primitive schema with one type');
  return Type.Unsafe<Static<T> | null>({ ...(schema as object), type: [s.type, 'null'] });
}
