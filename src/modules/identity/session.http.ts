/**
 * Sessions over HTTP: the cookie, and the hook that turns it into the request's actor. The site comes
 * from the host name and the session must belong to it; a session of another site is refused.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import { roleLabel, type AccountService, type Session } from './account.service.ts';

export const SESSION_COOKIE = 'yw_session';

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export function registerSessions(app: FastifyInstance, accounts: AccountService, db: Database): void {
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token || !req.site.tenantId) return;
    const found = await accounts.resolve(req.site.tenantId, token);
    if (found.state === 'ok') {
      const { account: a, roles } = found.session;
      req.session = found.session;
      // A session still owing a step of signing in acts as nobody: it can only finish that step.
      if (found.session.stage !== 'active') {
        req.signingIn = {
          id: `account:${a.id}`,
          role: roleLabel(a, roles),
          division: a.kind === 'staff' ? (a.divisionCode ?? '') : '',
        };
        return;
      }
      req.actor = {
        id: `account:${a.id}`,
        accountId: a.id,
        kind: a.kind,
        role: roleLabel(a, roles),
        roles: roles.map((r) => r.code),
        permissions: new Set(roles.flatMap((r) => r.permissions)),
        division: a.kind === 'staff' ? (a.divisionCode ?? '') : '',
        departmentId: a.departmentId,
        name: a.displayName,
      };
      return;
    }
    clearSessionCookie(reply);
    if (found.state === 'other_site') {
      await appendAudit(db.kysely, auditContextOf(req), {
        action: 'session.refused_other_site',
        result: 'denied',
      });
      throw new DomainError('unauthorized', 'identity.session.other_site');
    }
    req.sessionEnded = found.state === 'expired';
  });
}

/**
 * The per-IP limit on login and registration. Going over it is a security event: audited once per
 * address per minute (not once per refused request, so a flood cannot flood the audit chain).
 */
export function loginRateLimit(db: Database, maxPerMinute: number) {
  const lastAudited = new Map<string, number>();
  return {
    rateLimit: {
      max: maxPerMinute,
      timeWindow: 60_000,
      onExceeded: (req: FastifyRequest, key: string) => {
        const now = Date.now();
        if ((lastAudited.get(key) ?? 0) > now - 60_000) return;
        if (lastAudited.size > 10_000) lastAudited.clear();
        lastAudited.set(key, now);
        appendAudit(db.kysely, auditContextOf(req), {
          action: 'session.rate_limited',
          objectType: 'route',
          objectId: req.routeOptions.url ?? '',
          result: 'denied',
        }).catch((e: unknown) => req.log.error({ err: e }, 'could not audit a rate-limited login'));
      },
    },
  };
}

/** The request's active session, or a 401 (the API) — pages redirect to the login page instead. */
export function sessionOf(req: FastifyRequest): Session {
  if (!req.session || req.session.stage !== 'active')
    throw new DomainError(
      'unauthorized',
      req.sessionEnded ? 'identity.session.expired' : 'identity.session.required',
    );
  return req.session;
}

/** Where to go after logging in: only a path on this site. */
export function safeNext(next: unknown, fallback = '/account'): string {
  // Printable ASCII only (a Location header cannot carry more); encoded paths are still fine.
  return typeof next === 'string' && /^\/(?!\/)[\x21-\x5b\x5d-\x7e]*$/.test(next) ? next : fallback;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The session named by the cookie, active or still finishing a step of signing in. */
    session: Session | null;
  }
}
