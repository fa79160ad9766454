/**
 * The audit JSON API under /api/v1: the audit log with the same filter as the auditor's page
 * ('audit.read'), and the security events ('security.events'). Site and jurisdiction come from the
 * request's host and session, never from parameters.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  FAILED_LOGIN_BURST,
  FAILED_LOGIN_WINDOW_MINUTES,
  NEW_IP_LOOKBACK_DAYS,
  PII_VIEW_BURST,
  PII_VIEW_WINDOW_MINUTES,
  searchAudit,
  securityEvents,
  type AuditRecord,
  type SecurityAlert,
} from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { invalidFields } from '../../kernel/errors.ts';
import { parseAuditFilter, RESULTS } from './audit.filter.ts';
import { scopeOf } from './audit.scope.ts';
import { ALERT_KINDS, alertAuditUrl, parseEventWindow, WINDOW_HOURS } from './security.events.ts';

const Problem = Type.Ref('Problem');
const errors = { 400: Problem, 401: Problem, 403: Problem };

const TIME_DESCRIPTION =
  'a date (2026-03-01, the whole day) or date-time (2026-03-01T08:30, 2026-03-01T00:30:00.000Z); ' +
  'Beijing time (UTC+8) unless a zone is given';

const AuditEntrySchema = Type.Object(
  {
    id: Type.Integer({ description: 'the entry’s number in the site’s table' }),
    seq: Type.Union([Type.Integer(), Type.Null()], {
      description: 'its place in the SM3 chain; null until sealed (normally within a second)',
    }),
    at: Type.String({ format: 'date-time' }),
    actorId: Type.String({ description: "'account:<id>', 'anonymous' or 'system'" }),
    actorRole: Type.String(),
    actorDivision: Type.String({ description: 'division code of the actor; empty for anonymous and public' }),
    action: Type.String(),
    objectType: Type.String(),
    objectId: Type.String(),
    result: Type.Union(RESULTS.map((r) => Type.Literal(r))),
    ip: Type.String(),
    userAgent: Type.String(),
    requestId: Type.String(),
    detail: Type.Object({}, { additionalProperties: true }),
    prevHash: Type.Union([Type.String(), Type.Null()]),
    hash: Type.Union([Type.String(), Type.Null()], { description: 'SM3, hex; null until sealed' }),
  },
  { $id: 'AuditEntry' },
);

const SecurityAlertSchema = Type.Object(
  {
    kind: Type.Union(ALERT_KINDS.map((k) => Type.Literal(k))),
    subjectType: Type.Union([Type.Literal('username'), Type.Literal('ip'), Type.Literal('actor')]),
    subject: Type.String({ description: 'the user name, client address or actor id' }),
    ip: Type.Optional(Type.String({ description: 'new_staff_ip: the new address' })),
    firstAt: Type.String({ format: 'date-time' }),
    lastAt: Type.String({ format: 'date-time' }),
    count: Type.Integer({ description: 'entries behind the alert' }),
    peak: Type.Integer({ description: 'bursts: most entries within one sliding window' }),
    entryIds: Type.Array(Type.Integer(), { description: 'oldest first; at most 1000' }),
    seqs: Type.Array(Type.Union([Type.Integer(), Type.Null()])),
    auditUrl: Type.String({ description: 'the auditor’s page filtered to these entries' }),
  },
  { $id: 'SecurityAlert' },
);

const entryJson = (e: AuditRecord) => ({ ...e, at: e.at.toISOString() });
const alertJson = (a: SecurityAlert) => ({
  ...a,
  firstAt: a.firstAt.toISOString(),
  lastAt: a.lastAt.toISOString(),
  auditUrl: alertAuditUrl(a),
});

export async function auditRoutes(fastify: FastifyInstance, db: Database): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(AuditEntrySchema);
  app.addSchema(SecurityAlertSchema);

  app.get(
    '/api/v1/audit/entries',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit log of this site, newest first (auditor)',
        description:
          'Entries of the caller’s jurisdiction (their division and below) and entries without a ' +
          'division (anonymous and public). Bad filter values answer 400 naming each field.',
        querystring: Type.Object({
          actor: Type.Optional(Type.String({ maxLength: 100, description: 'actor id, exactly' })),
          action: Type.Optional(
            Type.String({ maxLength: 100, description: "exact, or a prefix ending in '.' (session.)" }),
          ),
          objectType: Type.Optional(Type.String({ maxLength: 60 })),
          objectId: Type.Optional(Type.String({ maxLength: 200 })),
          result: Type.Optional(Type.String({ maxLength: 10, description: 'success, failure or denied' })),
          ip: Type.Optional(Type.String({ maxLength: 64 })),
          from: Type.Optional(
            Type.String({ maxLength: 40, description: `from, inclusive: ${TIME_DESCRIPTION}` }),
          ),
          to: Type.Optional(
            Type.String({ maxLength: 40, description: `to, inclusive: ${TIME_DESCRIPTION}` }),
          ),
          division: Type.Optional(
            Type.String({ maxLength: 12, description: 'actor’s division code; includes divisions below' }),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('AuditEntry')),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const { filter, problems } = parseAuditFilter(req.query);
      if (problems.length > 0) throw invalidFields(problems);
      const { limit, offset } = req.query;
      const page = await searchAudit(db, req.site.tenantId, filter, { limit, offset }, scopeOf(req.actor));
      return { items: page.items.map(entryJson), total: page.total, limit, offset };
    },
  );

  app.get(
    '/api/v1/security/events',
    {
      config: { access: 'security.events' },
      schema: {
        tags: ['audit'],
        summary: 'Security events computed from the audit log for a time window (security administrator)',
        description:
          `Failed-login bursts (at least ${FAILED_LOGIN_BURST} failures for one name or address within ` +
          `${FAILED_LOGIN_WINDOW_MINUTES} minutes), lockouts, staff logins from an address not used in the ` +
          `${NEW_IP_LOOKBACK_DAYS} days before, and more than ${PII_VIEW_BURST} personal-data views by ` +
          `one actor within ${PII_VIEW_WINDOW_MINUTES} minutes. Newest first.`,
        querystring: Type.Object({
          hours: Type.Optional(
            Type.String({
              maxLength: 4,
              description: `the last N hours, one of ${WINDOW_HOURS.join(', ')} (default 24)`,
            }),
          ),
          from: Type.Optional(
            Type.String({ maxLength: 40, description: `instead of hours: ${TIME_DESCRIPTION}` }),
          ),
          to: Type.Optional(Type.String({ maxLength: 40, description: 'inclusive; default now' })),
        }),
        response: {
          200: Type.Object({
            from: Type.String({ format: 'date-time' }),
            before: Type.String({ format: 'date-time', description: 'exclusive' }),
            thresholds: Type.Object({
              failedLoginBurst: Type.Integer(),
              failedLoginWindowMinutes: Type.Integer(),
              piiViewBurst: Type.Integer(),
              piiViewWindowMinutes: Type.Integer(),
              newIpLookbackDays: Type.Integer(),
            }),
            items: Type.Array(Type.Ref('SecurityAlert')),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const w = parseEventWindow(req.query);
      if (w.problems.length > 0) throw invalidFields(w.problems);
      const alerts = await securityEvents(
        db,
        req.site.tenantId,
        { from: w.from, before: w.before },
        scopeOf(req.actor),
      );
      return {
        from: w.from.toISOString(),
        before: w.before.toISOString(),
        thresholds: {
          failedLoginBurst: FAILED_LOGIN_BURST,
          failedLoginWindowMinutes: FAILED_LOGIN_WINDOW_MINUTES,
          piiViewBurst: PII_VIEW_BURST,
          piiViewWindowMinutes: PII_VIEW_WINDOW_MINUTES,
          newIpLookbackDays: NEW_IP_LOOKBACK_DAYS,
        },
        items: alerts.map(alertJson),
      };
    },
  );
}
