/**
 * RFC 9457 problem details. Every error leaves the API as application/problem+json with a stable
 * `code` (an i18n key), a message in the caller's language and, for bad input, the fields at fault.
 */
import type { FastifyError } from 'fastify';
import { DomainError, ERROR_STATUS, type FieldProblem } from '../errors.ts';
import type { Translate } from '../i18n/index.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: { field: string; code: string; message: string }[];
}

interface AjvError {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** Maps Fastify's schema-validation errors to field problems named like the input (body.name → name). */
function validationFields(error: FastifyError & { validation?: AjvError[] }): FieldProblem[] {
  return (error.validation ?? []).map((v) => {
    const missing = v.params?.missingProperty as string | undefined;
    const extra = v.params?.additionalProperty as string | undefined;
    const pathField = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const field = missing ?? extra ?? (pathField || String(error.validationContext ?? 'body'));
    const code = missing
      ? 'errors.field_required'
      : extra
        ? 'errors.field_unknown'
        : v.keyword === 'maxLength' || v.keyword === 'minLength'
          ? 'errors.field_length'
          : 'errors.field_invalid';
    return { field, code, params: { detail: v.message ?? '' } };
  });
}

/** Turns any thrown thing into a DomainError (unknown ones become 500s, logged by the caller). */
export function toDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  const e = error as FastifyError & { validation?: AjvError[] };
  if (e.validation) return new DomainError('invalid', 'errors.invalid_input', {}, validationFields(e));
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('too_large', 'errors.body_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DomainError('unsupported', 'errors.unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new DomainError('invalid', 'errors.malformed_body');
  }
  if (e.statusCode === 429) return new DomainError('rate_limited', 'errors.rate_limited');
  if (e instanceof SyntaxError || e.statusCode === 400)
    return new DomainError('invalid', 'errors.malformed_body');
  if (e.statusCode === 404) return new DomainError('not_found', 'errors.not_found');
  if (e.statusCode === 413) return new DomainError('too_large', 'errors.body_too_large');
  if (e.statusCode === 415) return new DomainError('unsupported', 'errors.unsupported_media_type');
  return null;
}

export function problemFor(error: DomainError, t: Translate, instance: string): Problem {
  const status = ERROR_STATUS[error.kind];
  const problem: Problem = {
    type: `urn:yiwang:problem:${error.code}`,
    title: t(`errors.kind.${error.kind}`),
    status,
    detail: t(error.code, error.params),
    instance,
    code: error.code,
  };
  if (error.fields.length > 0) {
    problem.errors = error.fields.map((f) => ({
      field: f.field,
      code: f.code,
      message: t(f.code, f.params),
    }));
  }
  return problem;
}

export function internalProblem(t: Translate, instance: string): Problem {
  return {
    type: 'urn:yiwang:problem:errors.internal',
    title: t('errors.kind.internal'),
    status: 500,
    detail: t('errors.internal'),
    instance,
    code: 'errors.internal',
  };
}
