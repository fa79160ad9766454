/**
 * CSRF protection for pages (synchronizer token bound to a signed cookie). Every form carries the token;
 * a form post without the matching token is refused before any handler runs. JSON requests are not
 * form-submittable cross-site (they need a CORS preflight we never grant), so they pass.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';

const COOKIE = 'yw_csrf';

function tokenFor(secret: string, nonce: string): string {
  return createHmac('sha256', secret).update(`csrf:${nonce}`).digest('base64url');
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/i;

export function registerCsrf(app: FastifyInstance, secret: string, secure: boolean): void {
  app.decorateRequest('csrfToken', '');
  app.addHook('onRequest', async (req, reply) => {
    let nonce = req.cookies[COOKIE];
    if (!nonce || !/^[A-Za-z0-9_-]{22,64}$/.test(nonce)) {
      nonce = randomBytes(18).toString('base64url');
      reply.setCookie(COOKIE, nonce, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    }
    req.csrfToken = tokenFor(secret, nonce);
  });
  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (!FORM_TYPES.test(req.headers['content-type'] ?? '')) return;
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
    const expected = Buffer.from(req.csrfToken);
    const given = Buffer.from(typeof sent === 'string' ? sent : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DomainError('forbidden', 'errors.csrf');
    }
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    csrfToken: string;
  }
}
