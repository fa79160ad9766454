/**
 * CSRF protection for pages (synchronizer token bound to a signed cookie). Every form carries the token;
 * a form post without the matching token is refused before any handler runs. JSON requests are not
 * form-submittable cross-site (they need a CORS preflight we never grant), so they pass.
 *
 * The token (and its cookie) is issued only when a page renders a form: pages without forms stay
 * cookie-free and cacheable, and no request pays for an HMAC it does not use.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';

const COOKIE = 'yw_csrf';
const NONCE = /^[A-Za-z0-9_-]{22,64}$/;
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/i;

export type IssueCsrfToken = (req: FastifyRequest, reply: FastifyReply) => string;

export function registerCsrf(app: FastifyInstance, secret: string, secure: boolean): IssueCsrfToken {
  const tokenFor = (nonce: string) =>
    createHmac('sha256', secret).update(`csrf:${nonce}`).digest('base64url');
  app.decorateRequest('csrfIssued', null);

  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (!FORM_TYPES.test(req.headers['content-type'] ?? '')) return;
    const nonce = req.cookies[COOKIE];
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
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

declare module 'fastify' {
  interface FastifyRequest {
    /** The CSRF token this request rendered into a form, if any (such a page is never cached). */
    csrfIssued: string | null;
  }
}
