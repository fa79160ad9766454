/**
 * The closed set of error kinds. A module adds error *codes* (each an i18n key), never classes;
 * services throw DomainError and the HTTP layer maps the kind to a status and RFC 9457 problem+json.
 */
export const ERROR_STATUS = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof ERROR_STATUS;
export type Params = Record<string, string | number>;

/** One problem with one input field: shown beside the field on a page, listed in `errors` by the API. */
export interface FieldProblem {
  field: string;
  code: string;
  params?: Params;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    readonly params: Params = {},
    readonly fields: FieldProblem[] = [],
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export function assertThat(
  condition: unknown,
  kind: ErrorKind,
  code: string,
  params?: Params,
): asserts condition {
  if (!condition) throw new DomainError(kind, code, params);
}

/** An invalid-input error naming the fields at fault. */
export function invalidFields(fields: FieldProblem[], code = 'errors.invalid_input'): DomainError {
  return new DomainError('invalid', code, {}, fields);
}

export const notFound = (code: string, params?: Params) => new DomainError('not_found', code, params);
export const conflict = (code: string, params?: Params, fields: FieldProblem[] = []) =>
  new DomainError('conflict', code, params, fields);
