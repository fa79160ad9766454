/**
 * CSRF protection for pages (synchronizer token bound to a signed cookie). Every form carries the token;
 * a form post without the matching token is refused before any handler runs. JSON requests are not
 * form-submittable cross-site (they need a CORS preflight we never grant), so they pass.
 *
 * The token (and its cookie) is issued only when a page renders a form: pages without forms stay
 * cookie-free and cacheable, and no request pays for an HMAC it does not use.
 *
 * Where the token travels: the `_csrf` field of a urlencoded form; the FIRST field of a multipart form
 * (the Form component and CsrfField put it first, and browsers send fields in document order); or,
 * for scripts, the X-CSRF-Token header (a header a cross-site form cannot set). A multipart body is
 * streamed, not parsed up front, so its token can only be checked by reading the start of the body:
 * requiring it first means the check costs one small field and is done before a single byte of any
 * file reaches the disk. The parts iterator is then kept on the request (multipartParts) for the
 * handler to go on reading. A token in the URL was the other way, and was rejected: URLs end up in
 * logs and Referer headers.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';

const COOKIE = 'yw_csrf';
const NONCE = /^[A-Za-z0-9_-]{22,64}$/;
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/i;
const HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export type IssueCsrfToken = (req: FastifyRequest, reply: FastifyReply) => string;

export function registerCsrf(app: FastifyInstance, secret: string, secure: boolean): IssueCsrfToken {
  const tokenFor = (nonce: string) =>
    createHmac('sha256', secret).update(`csrf:${nonce}`).digest('base64url');
  app.decorateRequest('csrfIssued', null);
  app.decorateRequest('multipartParts', null);

  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (!FORM_TYPES.test(req.headers['content-type'] ?? '')) return;
    const nonce = req.cookies[COOKIE];
    const header = req.headers[HEADER];
    const sent =
      typeof header === 'string'
        ? header
        : req.isMultipart()
          ? await firstMultipartField(req)
          : (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    const expected = Buffer.from(nonce && NONCE.test(nonce) ? tokenFor(nonce) : 'missing');
    const given = Buffer.from(typeof sent === 'string' ? sent : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DomainError('forbidden', 'errors.csrf');
    }
  });

  return (req, reply) => {
    if (req.csrfIssued) return req.csrfIssued;
    let nonce = req.cookies[COOKIE];
    if (!nonce || !NONCE.test(nonce)) {
      nonce = randomBytes(18).toString('base64url');
      reply.setCookie(COOKIE, nonce, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    }
    req.csrfIssued = tokenFor(nonce);
    return req.csrfIssued;
  };
}

/**
 * Reads the first part of a multipart body: the token if it is the `_csrf` field, else undefined (and a
 * file part is dropped unread). The rest stays in the stream for the handler (multipartParts).
 */
async function firstMultipartField(req: FastifyRequest): Promise<unknown> {
  const parts = req.parts(req.routeOptions.config.multipartOptions);
  req.multipartParts = parts;
  const first = await parts.next().catch(() => null);
  if (!first || first.done) return undefined;
  if (first.value.type === 'file') {
    first.value.file.destroy();
    return undefined;
  }
  return first.value.fieldname === CSRF_FIELD ? first.value.value : undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The CSRF token this request rendered into a form, if any (such a page is never cached). */
    csrfIssued: string | null;
    /**
     * A multipart body's parts after the CSRF token (read by the CSRF check): a handler reads the
     * body from here (src/kernel/files readUpload does), never with a second req.parts().
     */
    multipartParts: AsyncIterableIterator<Multipart> | null;
  }
}
