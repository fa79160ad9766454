/**
 * One validated configuration object, built once at start-up from the environment and an optional
 * JSON file (CONFIG_FILE). Every invalid setting is reported at once, so an operator fixes them in one go.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  nodeEnv: NodeEnv;
  logLevel: LogLevel;
  /** Where the embedded database (PGlite) and files live. */
  dataDir: string;
  /** PostgreSQL server; when empty the embedded PGlite in dataDir is used. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Signs cookies; later also derives keys. Must be changed in production. */
  secretKey: string;
  /**
   * Reverse proxies whose X-Forwarded-For / -Host / -Proto are believed: addresses or CIDR ranges.
   * Empty: none, the client's own address counts (rate limits and the audit chain use it).
   */
  trustProxy: string[];
  /** Requests per minute per client IP, all routes together. */
  rateLimitPerMinute: number;
  /** Largest accepted request body in bytes. */
  bodyLimitBytes: number;
  /** Largest file in a multipart upload, in bytes (the body limit does not apply to streamed files). */
  uploadLimitBytes: number;
  /** Public base URL printed at start (and used in links that leave the site). */
  publicUrl: string | undefined;
  /** Seconds a public page or reference-data answer may be served from the micro-cache (0: off). */
  publicCacheSeconds: number;
  /** Session ends after this many minutes without a request, and after this many hours in any case. */
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Login attempts per minute per client IP. */
  loginRateLimitPerMinute: number;
  /** SM4 keys for personal identifiers (id → 16 bytes); new data is encrypted with the current one. */
  piiKeys: { id: string; key: Buffer }[];
  piiKeyCurrent: string;
  /** Key of the keyed SM3 hash used to look up an identifier without decrypting (never rotates). */
  piiLookupKey: Buffer;
  /** Seed the demo region when the database is empty. */
  seedDemo: boolean;
  /** The mail server for one-time password links; undefined: no e-mail, links are shown to the administrator. */
  smtp: SmtpConfig | undefined;
}

/**
 * The mail server, from SMTP_URL and SMTP_FROM. The password is a non-enumerable property, so logging
 * or serialising the configuration never shows it; `display` is the URL without it.
 */
export interface SmtpConfig {
  host: string;
  port: number;
  /** smtps://: TLS from the first byte (port 465). Otherwise STARTTLS. */
  secure: boolean;
  /** smtp:// to anything but a loopback address refuses to send without STARTTLS. */
  requireTls: boolean;
  user: string | undefined;
  readonly password: string | undefined;
  /** The sender: an address, or `Name <address>`. */
  from: string;
  /** The URL with the password replaced by ***, for messages and logs. */
  display: string;
}

export const DEV_SECRET_KEY = 'dev-only-secret-change-me-in-production';
export const DEV_PII_KEYS = 'dev1:00112233445566778899aabbccddeeff';
export const DEV_PII_LOOKUP_KEY = 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100';

/** Every variable, its default and meaning: the README's configuration table is written from this. */
export const CONFIG_VARIABLES = [
  ['PORT', '3000', 'HTTP port'],
  ['HOST', '127.0.0.1 (0.0.0.0 in production)', 'interface to listen on'],
  ['NODE_ENV', 'development', 'development, test or production'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['DATA_DIR', './data', 'embedded database and files'],
  ['DATABASE_URL', '(empty: embedded PGlite)', 'PostgreSQL connection string'],
  ['DATABASE_POOL_SIZE', '10', 'connections per process to PostgreSQL'],
  [
    'SECRET_KEY',
    '(development default)',
    'cookie signing secret, at least 32 characters; required in production',
  ],
  ['RATE_LIMIT_PER_MINUTE', '600', 'requests per minute per client IP'],
  [
    'TRUST_PROXY',
    '(empty: none)',
    'reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-* headers are believed',
  ],
  ['BODY_LIMIT_BYTES', '1048576', 'largest request body'],
  [
    'UPLOAD_LIMIT_BYTES',
    '20971520',
    'largest uploaded file (one part of a multipart form); larger ones get 413',
  ],
  ['PUBLIC_URL', '(derived from HOST and PORT)', 'public base URL'],
  [
    'PUBLIC_CACHE_SECONDS',
    '10',
    'how long anonymous GETs of public pages may be served from the micro-cache; 0 turns it off',
  ],
  ['SESSION_IDLE_MINUTES', '30', 'a session ends after this many minutes without a request'],
  ['SESSION_ABSOLUTE_HOURS', '12', 'a session ends this many hours after login in any case'],
  ['LOGIN_RATE_LIMIT_PER_MINUTE', '20', 'login attempts per minute per client IP'],
  [
    'PII_KEYS',
    '(development keys)',
    'SM4 keys for personal identifiers, `id:32-hex-digits` separated by commas; required in production',
  ],
  [
    'PII_KEY_CURRENT',
    '(the last of PII_KEYS)',
    'the key id new data is encrypted with; `yiwang keys rotate` re-encrypts the rest',
  ],
  [
    'PII_LOOKUP_KEY',
    '(development key)',
    'at least 64 hex digits: key of the SM3 HMAC used to find an identifier; never change it',
  ],
  ['SEED_DEMO', 'true (false in production)', 'seed the demo region into an empty database'],
  [
    'SMTP_URL',
    '(empty: no e-mail)',
    'mail server for one-time password links: `smtp://user:password@host:587` (STARTTLS, required unless the host is loopback) or `smtps://user:password@host:465`; empty: links are shown to the administrator',
  ],
  [
    'SMTP_FROM',
    '(none)',
    'sender of those e-mails, e.g. `noreply@example.gov.cn`; required when SMTP_URL is set',
  ],
  ['CONFIG_FILE', '(none)', 'JSON file with any of these keys; environment variables win'],
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Source = Record<string, string | undefined>;

export function loadConfig(env: Source = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  let source: Source = { ...env };
  if (env.CONFIG_FILE) {
    try {
      const file = JSON.parse(readFileSync(path.resolve(cwd, env.CONFIG_FILE), 'utf8')) as Record<
        string,
        unknown
      >;
      const fromFile: Source = {};
      for (const [k, v] of Object.entries(file)) fromFile[k] = v === null ? undefined : String(v);
      source = { ...fromFile, ...env };
    } catch (e) {
      problems.push(`CONFIG_FILE: cannot read ${env.CONFIG_FILE} (${(e as Error).message})`);
    }
  }
  const get = (k: string) => {
    const v = source[k];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (k: string, dflt: number, min: number, max: number) => {
    const raw = get(k);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${k}: must be an integer from ${min} to ${max}, got "${raw}"`);
      return dflt;
    }
    return n;
  };
  const oneOf = <T extends string>(k: string, dflt: T, allowed: readonly T[]): T => {
    const raw = get(k);
    if (raw === undefined) return dflt;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${k}: must be one of ${allowed.join(', ')}, got "${raw}"`);
      return dflt;
    }
    return raw as T;
  };
  const bool = (k: string, dflt: boolean) => {
    const raw = get(k);
    if (raw === undefined) return dflt;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${k}: must be true or false, got "${raw}"`);
    return dflt;
  };

  const nodeEnv = oneOf<NodeEnv>('NODE_ENV', 'development', ['development', 'production', 'test']);
  const production = nodeEnv === 'production';
  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL: must start with postgres:// or postgresql://');
  }
  const trustProxy = (get('TRUST_PROXY') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of trustProxy) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p))
      problems.push(`TRUST_PROXY: "${p}" is not an IP address or CIDR range`);
  }
  const secretKey = get('SECRET_KEY') ?? DEV_SECRET_KEY;
  if (secretKey.length < 32) problems.push('SECRET_KEY: must be at least 32 characters');
  if (production && secretKey === DEV_SECRET_KEY) {
    problems.push('SECRET_KEY: still the development default; set a secret of your own in production');
  }
  const publicUrl = get('PUBLIC_URL');
  if (publicUrl && !/^https?:\/\/[^/]+/.test(publicUrl)) problems.push('PUBLIC_URL: must be an http(s) URL');

  const piiKeysText = get('PII_KEYS') ?? DEV_PII_KEYS;
  const piiKeys: { id: string; key: Buffer }[] = [];
  for (const part of piiKeysText.split(',')) {
    const m = /^([A-Za-z0-9_-]{1,16}):([0-9a-fA-F]{32})$/.exec(part.trim());
    if (m) piiKeys.push({ id: m[1]!, key: Buffer.from(m[2]!, 'hex') });
    else problems.push('PII_KEYS: each key must be id:32-hex-digits (16 bytes), separated by commas');
  }
  const piiKeyCurrent = get('PII_KEY_CURRENT') ?? piiKeys.at(-1)?.id ?? '';
  if (piiKeys.length > 0 && !piiKeys.some((k) => k.id === piiKeyCurrent)) {
    problems.push(`PII_KEY_CURRENT: "${piiKeyCurrent}" is not one of the PII_KEYS ids`);
  }
  const lookupText = get('PII_LOOKUP_KEY') ?? DEV_PII_LOOKUP_KEY;
  if (!/^([0-9a-fA-F]{2}){32,}$/.test(lookupText))
    problems.push('PII_LOOKUP_KEY: must be at least 64 hex digits');
  if (production && piiKeysText === DEV_PII_KEYS) {
    problems.push('PII_KEYS: still the development keys; set keys of your own in production');
  }
  if (production && lookupText === DEV_PII_LOOKUP_KEY) {
    problems.push('PII_LOOKUP_KEY: still the development key; set a key of your own in production');
  }

  const smtp = smtpConfig(get('SMTP_URL'), get('SMTP_FROM'), problems);

  const config: Config = {
    port: int('PORT', 3000, 0, 65535),
    host: get('HOST') ?? (production ? '0.0.0.0' : '127.0.0.1'),
    nodeEnv,
    logLevel: oneOf<LogLevel>('LOG_LEVEL', 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
    dataDir: path.resolve(cwd, get('DATA_DIR') ?? './data'),
    databaseUrl,
    databasePoolSize: int('DATABASE_POOL_SIZE', 10, 1, 500),
    secretKey,
    trustProxy,
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 600, 1, 100_000_000),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1_048_576, 1024, 1_073_741_824),
    uploadLimitBytes: int('UPLOAD_LIMIT_BYTES', 20 * 1_048_576, 1024, 4 * 1_073_741_824),
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    publicCacheSeconds: int('PUBLIC_CACHE_SECONDS', 10, 0, 3600),
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', 30, 1, 1440),
    sessionAbsoluteHours: int('SESSION_ABSOLUTE_HOURS', 12, 1, 168),
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 20, 1, 100_000),
    piiKeys,
    piiKeyCurrent,
    piiLookupKey: Buffer.from(/^[0-9a-fA-F]+$/.test(lookupText) ? lookupText : '', 'hex'),
    seedDemo: bool('SEED_DEMO', !production),
    smtp,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** A sender: `address` or `Name <address>` (no line breaks, one address). */
const MAIL_FROM =
  /^(?:[^<>\r\n@]*<[^<>\s@,;]+@[^<>\s@,;]+\.[^<>\s@,;]+>|[^<>\s@,;]+@[^<>\s@,;]+\.[^<>\s@,;]+)$/;

/**
 * Reads SMTP_URL and SMTP_FROM. A problem never repeats the URL as given: it may hold the password.
 */
function smtpConfig(
  url: string | undefined,
  from: string | undefined,
  problems: string[],
): SmtpConfig | undefined {
  if (url === undefined) return undefined;
  if (from === undefined) problems.push('SMTP_FROM: required when SMTP_URL is set (the sender address)');
  else if (!MAIL_FROM.test(from))
    problems.push('SMTP_FROM: must be an address (noreply@example.gov.cn) or Name <address>');
  const shape = 'SMTP_URL: must be smtp://[user:password@]host[:port] or smtps://[user:password@]host[:port]';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    problems.push(`${shape} (not a URL)`);
    return undefined;
  }
  const secure = u.protocol === 'smtps:';
  if (!secure && u.protocol !== 'smtp:') {
    problems.push(`${shape} (the scheme is "${u.protocol.replace(/:$/, '')}")`);
    return undefined;
  }
  if (!u.hostname) problems.push(`${shape} (no host)`);
  if ((u.pathname !== '' && u.pathname !== '/') || u.search || u.hash)
    problems.push(`${shape} (nothing may follow the host and port)`);
  if (u.port === '0') problems.push(`${shape} (port 0)`);
  if (u.password && !u.username) problems.push('SMTP_URL: a password needs a user name');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      problems.push('SMTP_URL: the user name or password is not correctly %-encoded');
      return s;
    }
  };
  const password = u.password ? decode(u.password) : undefined;
  const shown = new URL(u.href);
  if (shown.password) shown.password = '***';
  const smtp = {
    host,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    requireTls: !secure && !/^(localhost|127(?:\.\d{1,3}){3}|::1)$/i.test(host),
    user: u.username ? decode(u.username) : undefined,
    from: from ?? '',
    display: shown.href.replace(/\/$/, ''),
  } as SmtpConfig;
  Object.defineProperty(smtp, 'password', { value: password, enumerable: false });
  return smtp;
}
