/**
 * The HTTP kernel: a Fastify instance with everything every route relies on — request ids, JSON logs,
 * security headers, rate limits, body limits, cookies and CSRF, the caller's language, problem+json
 * errors, page rendering, OpenAPI, health and metrics. Modules add routes to it; src/app.ts wires them.
 */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import path from 'node:path';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { SYSTEM_CHAIN, type AuditContext } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import { projectRoot } from '../config/paths.ts';
import { DomainError, ERROR_STATUS } from '../errors.ts';
import { negotiateLocale, translator, type Locale, type Translate } from '../i18n/index.ts';
import { authorize, decide, type Access, type Actor } from '../policy/index.ts';
import {
  renderDocument,
  type FormState,
  type Layout,
  type PageContent,
  type SiteInfo,
} from '../pages/index.tsx';
import { registerCsrf } from './csrf.ts';
import { registerPublicCache } from './public-cache.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { internalProblem, problemFor, toDomainError } from './problem.ts';

export { problemFor, type Problem } from './problem.ts';
export { Nullable } from './nullable.ts';
export { postLimit } from './post-limit.ts';
export type { Actor } from '../policy/index.ts';

export interface HttpOptions {
  config: Config;
  version: string;
  /** Resolves the site (tenant) a request is for from its host name. */
  siteFor(host: string): Promise<SiteInfo>;
  layouts: Record<PageContent['area'], Layout>;
  /** Runs for /readyz; throws or returns problems when the node must not take traffic. */
  readiness(): Promise<string[]>;
  /** A page to render when an error reaches a page request. */
  errorPage(status: number, message: string, t: Translate): PageContent;
}

const LANG_COOKIE = 'yw_lang';

/** RFC 9457 problem details, as every API error is sent. */
const ProblemSchema = {
  $id: 'Problem',
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', description: 'stable error code (an i18n key)' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'code', 'message'],
        properties: { field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

export async function createHttpServer(options: HttpOptions): Promise<FastifyInstance> {
  const { config } = options;
  const production = config.nodeEnv === 'production';
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            serializers: {
              req: (req) => ({
                method: req.method,
                url: redactUrl(req.url),
                host: req.host,
                remoteAddress: req.ip,
              }),
            },
          },
    bodyLimit: config.bodyLimitBytes,
    // Only the proxies named in TRUST_PROXY: anyone else could write X-Forwarded-For and choose the
    // address the rate limits and the audit chain see.
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    routerOptions: { ignoreTrailingSlash: true },
  });

  // The request id goes back to the caller so a report can quote it.
  app.addHook('onRequest', async (req, reply) => {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(req.id)) req.id = randomUUID();
    reply.header('x-request-id', req.id);
  });

  registerSecurityHeaders(app, production);
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    allowList: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
    errorResponseBuilder: (_req, ctx) => {
      const e = new DomainError('rate_limited', 'errors.rate_limited', {
        seconds: Math.ceil(ctx.ttl / 1000),
      });
      return Object.assign(e, { statusCode: 429 });
    },
  });
  await app.register(cookie, { secret: config.secretKey });
  await app.register(formbody);
  await registerMultipart(app, config);
  const issueCsrfToken = registerCsrf(app, config.secretKey, production);
  await app.register(fastifyStatic, {
    root: path.join(projectRoot, 'public'),
    prefix: '/static/',
    maxAge: production ? 86_400_000 : 0,
  });

  // Language: an explicit ?lang= (remembered in a cookie), else the cookie, else zh-CN.
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('t', null as unknown as Translate);
  app.decorateRequest('site', null as unknown as SiteInfo);
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const chosen = query.lang ?? req.cookies[LANG_COOKIE];
    const isApi = req.url.startsWith('/api/');
    req.locale = negotiateLocale(chosen, isApi ? req.headers['accept-language'] : undefined);
    if (query.lang && query.lang === req.locale) {
      reply.setCookie(LANG_COOKIE, req.locale, {
        path: '/',
        sameSite: 'lax',
        httpOnly: true,
        secure: production,
      });
    }
    req.t = translator(req.locale);
    // req.host keeps the port, so a site can claim host:port; siteFor falls back to the bare name.
    req.site = await options.siteFor(req.host);
  });
  registerPublicCache(app, config.publicCacheSeconds);
  registerAccessControl(app);

  function page(reply: FastifyReply, page: PageContent, status: number) {
    const req = reply.request;
    const html = renderDocument(options.layouts[page.area], page, {
      t: req.t,
      locale: req.locale,
      url: req.url,
      // Issued only if a form on the page asks for it.
      get csrfToken() {
        return issueCsrfToken(req, reply);
      },
      site: req.site,
      siteDomain: req.hostname,
      viewer: req.actor ? { name: req.actor.name, permissions: req.actor.permissions } : null,
    });
    return reply.status(status).type('text/html; charset=utf-8').send(html);
  }
  app.decorateReply('page', function (this: FastifyReply, content: PageContent, status = 200) {
    return page(this, content, status);
  });

  registerMetrics(app);
  app.addSchema(ProblemSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Yiwang (一网) API',
        version: options.version,
        description: 'REST API of the Yiwang e-government platform. Errors are RFC 9457 problem+json.',
      },
      servers: [{ url: '/' }],
    },
    // Only the JSON API is documented; pages are for people.
    transform: ({ schema, url }) => ({
      schema: { ...schema, hide: schema?.hide || !url.startsWith('/api/v1') },
      url,
    }),
  });

  app.setErrorHandler(async (error, req, reply) => {
    const domain = toDomainError(error);
    if (!domain) req.log.error({ err: error }, 'unhandled error');
    else if (domain.kind === 'rate_limited') req.log.warn({ url: redactUrl(req.url) }, 'rate limited');
    const t = req.t ?? translator('zh-CN');
    const instance = req.url.split('?')[0] ?? req.url;
    const problem = domain ? problemFor(domain, t, instance) : internalProblem(t, instance);
    if (wantsJson(req)) {
      return reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
    }
    if (!req.site) return reply.status(problem.status).type('text/plain; charset=utf-8').send(problem.detail);
    // A page that needs a session sends the reader to the login page and back.
    if (domain?.kind === 'unauthorized' && req.method === 'GET') {
      return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    }
    return reply.page(options.errorPage(problem.status, problem.detail, t), problem.status);
  });
  app.setNotFoundHandler(async (req) => {
    throw new DomainError('not_found', 'errors.not_found', { path: req.url.split('?')[0] ?? '' });
  });

  app.get('/healthz', { schema: { hide: true }, config: { access: 'public' } }, async () => ({
    status: 'ok',
  }));
  app.get('/readyz', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) => {
    let problems: string[];
    try {
      problems = await options.readiness();
    } catch (e) {
      problems = [(e as Error).message];
    }
    return reply
      .status(problems.length ? 503 : 200)
      .send({ status: problems.length ? 'unavailable' : 'ok', problems });
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );

  return app;
}

/**
 * Who is acting, as whom, from where — for the audit chain and every service that writes. The site
 * comes from the host name; the actor will come from the session (identity), never from the client.
 */
export function auditContextOf(req: FastifyRequest): AuditContext {
  return {
    tenantId: req.site.tenantId || SYSTEM_CHAIN,
    actor: req.actor,
    // A session still finishing sign-in acts as nobody, but the audit chain names whose session it is.
    actorId: req.actor?.id ?? req.signingIn?.id ?? 'anonymous',
    actorRole: req.actor?.role ?? req.signingIn?.role ?? '',
    actorDivision: req.actor?.division ?? req.signingIn?.division ?? '',
    ip: req.ip,
    userAgent: String(req.headers['user-agent'] ?? ''),
    requestId: req.id,
  };
}

/** Query parameters that may carry a personal identifier never reach the logs. */
const SENSITIVE_PARAMS = /([?&](?:value|id_?number|idNumber|phone|mobile)=)[^&#]*/gi;

/** One-time tokens in a path (password links) open an account: never logged either. */
const SENSITIVE_PATHS = /(\/password(?:-links)?\/)[A-Za-z0-9_-]{16,}/g;

/** Anything shaped like a citizen ID number, whatever the parameter (a search box, `q=`). */
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;

export function redactUrl(url: string): string {
  return url
    .replace(SENSITIVE_PARAMS, '$1[redacted]')
    .replace(SENSITIVE_PATHS, '$1[redacted]')
    .replace(ID_NUMBER, '[redacted]');
}

/**
 * Every route declares who may call it, and the policy decides before the handler runs — after the
 * session is read (onRequest), before the body is validated, so a stranger learns nothing from a 400.
 * Object-level checks (jurisdiction, ownership) happen in the handler, through the same policy.
 */
function registerAccessControl(app: FastifyInstance) {
  const table: RouteAccess[] = [];
  app.decorate('accessTable', table);
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: Access } | undefined)?.access;
    // The static files plugin adds its own routes; they serve public assets only.
    if (access === undefined && !route.url.startsWith('/static/')) {
      throw new Error(`route ${String(route.method)} ${route.url} does not declare its access`);
    }
    for (const method of [route.method].flat()) {
      if (access !== undefined && method !== 'HEAD')
        table.push({ method, url: route.url, access, validatesBody: Boolean(route.schema?.body) });
    }
  });
  app.decorateRequest('sessionEnded', false);
  app.decorateRequest('signingIn', null);
  app.addHook('preValidation', async (req) => {
    const access = req.routeOptions.config.access;
    if (access === undefined) return;
    if (req.sessionEnded && decide(req.actor, access) === 'sign-in')
      throw new DomainError('unauthorized', 'identity.session.expired');
    authorize(req.actor, access);
  });
}

/**
 * Multipart bodies are streamed, never buffered: a route reads them with readUpload (src/kernel/files),
 * which writes each file into the blob store as it arrives. A file part past UPLOAD_LIMIT_BYTES is cut
 * off there (413); text fields keep the ordinary body limit.
 */
async function registerMultipart(app: FastifyInstance, config: Config) {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: config.uploadLimitBytes, fieldSize: config.bodyLimitBytes, files: 20, fields: 200 },
  });
  app.decorate('uploadLimitBytes', config.uploadLimitBytes);
  // A refused upload is answered before all of it has arrived, and the parser has stopped reading: a
  // paused socket would stay open until the request timeout. So the answer closes the connection, the
  // rest is thrown away unread (no memory, no disk) meanwhile, and a sender that goes on is cut off.
  app.addHook('onSend', async (req, reply) => {
    if (req.isMultipart() && !req.raw.complete) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (req) => {
    if (!req.isMultipart() || req.raw.complete) return;
    req.raw.resume();
    setTimeout(() => req.raw.destroy(), 5000).unref();
  });
}

function wantsJson(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/')) return true;
  const accept = req.headers.accept ?? '';
  return !accept.includes('text/html') && (accept.includes('json') || req.method !== 'GET');
}

function registerMetrics(app: FastifyInstance) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    duration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}

/** Reads a submitted form into plain strings (drops the CSRF token). */
export function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v.join('\n');
  }
  return out;
}

/**
 * Runs a page form's write and redirects (303) to the URL it returns. Bad input re-renders the form
 * with each error beside its field and what was typed kept (400, or 409 for a conflict); nothing
 * else is written, since each write is one transaction.
 */
export async function submitForm(
  req: FastifyRequest,
  reply: FastifyReply,
  write: (values: Record<string, string>) => Promise<string>,
  render: (state: FormState) => PageContent,
): Promise<FastifyReply> {
  const values = formValues(req.body);
  try {
    return reply.redirect(await write(values), 303);
  } catch (e) {
    const domain = toDomainError(e);
    if (!domain || (domain.kind !== 'invalid' && domain.kind !== 'conflict')) throw e;
    const state: FormState =
      domain.fields.length > 0
        ? { values, problems: domain.fields }
        : { values, problems: [], formProblem: req.t(domain.code, domain.params) };
    return reply.page(render(state), ERROR_STATUS[domain.kind]);
  }
}

/** One route and who may call it: the table the policy enforces (and the access-matrix test walks). */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
  /** The body is checked against a schema (after the access decision, so a bad body shows access passed). */
  validatesBody: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    accessTable: readonly RouteAccess[];
    /** The largest file part a multipart request may carry (UPLOAD_LIMIT_BYTES). */
    uploadLimitBytes: number;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** A session cookie came with the request but its session had ended (idle or absolute limit). */
    sessionEnded: boolean;
    /**
     * Whose session it is while it still owes a step of signing in (no actor yet): for the audit
     * chain only, never for a decision.
     */
    signingIn: { id: string; role: string; division: string } | null;
    locale: Locale;
    t: Translate;
    site: SiteInfo;
  }
  interface FastifyReply {
    page(page: PageContent, status?: number): FastifyReply;
  }
  interface FastifyContextConfig {
    /**
     * Who may call the route: 'public', 'signed-in' or a permission. Every route declares it (the
     * server refuses to start otherwise) and the policy decides it before the handler runs.
     */
    access?: Access;
  }
}
