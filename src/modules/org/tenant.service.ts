/**
 * Tenants: the divisions that run their own space on this deployment. A public request's tenant comes
 * from its host name (the default tenant when no host matches). The list is small and read on every
 * request, so it is cached in memory for a few seconds; a change made on this node clears it at once.
 */
import { authorizeActing, decide } from '../../kernel/policy/index.ts';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { isUniqueViolation, type Database } from '../../kernel/db/index.ts';
import { DomainError, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import { levelOf } from '../../kernel/divisions/index.ts';
import { findDivision } from './division.store.ts';
import * as store from './tenant.store.ts';
import type { Tenant, TenantSettings } from './tenant.store.ts';

const CACHE_MS = 5_000;

export function createTenantService(db: Database) {
  let cache: { at: number; tenants: Tenant[] } | undefined;

  async function all(): Promise<Tenant[]> {
    if (!cache || Date.now() - cache.at > CACHE_MS)
      cache = { at: Date.now(), tenants: await store.listTenants(db.kysely) };
    return cache.tenants;
  }

  async function get(tenantId: string): Promise<Tenant> {
    const t = (await all()).find((x) => x.tenantId === tenantId);
    if (!t) throw notFound('org.tenant.not_found', { tenantId });
    return t;
  }

  return {
    all,
    get,
    /** The tenant a host name belongs to; the default tenant when none claims it. */
    async resolveHost(hostname: string): Promise<Tenant | undefined> {
      const host = hostname.toLowerCase();
      const bare = host.replace(/:\d+$/, '');
      const tenants = await all();
      return (
        tenants.find((t) => t.hosts.includes(host)) ??
        tenants.find((t) => t.hosts.includes(bare)) ??
        tenants.find((t) => t.isDefault) ??
        tenants[0]
      );
    },
    /** This site's settings, for those whose jurisdiction covers the whole site (404 for others). */
    async manageable(ctx: AuditContext): Promise<Tenant> {
      const t = await get(ctx.tenantId);
      authorizeActing(ctx, 'org.site.manage', { division: ctx.tenantId }, () =>
        notFound('org.tenant.not_found'),
      );
      return t;
    },
    /** The sites in the actor's jurisdiction. */
    async list(ctx: AuditContext): Promise<Tenant[]> {
      return (await all()).filter(
        (t) =>
          ctx.actor === undefined ||
          decide(ctx.actor, 'org.sites.manage', { division: t.tenantId }) === 'allow',
      );
    },
    /** Opens a site; the entry goes to the chain of the site the operator acts from. */
    async create(
      ctx: AuditContext,
      input: TenantSettings & { tenantId: string; isDefault?: boolean },
    ): Promise<Tenant> {
      const lv = levelOf(input.tenantId);
      const known = 'level' in lv && (await findDivision(db.kysely, input.tenantId));
      // Only a division in the operator's own jurisdiction can get a site; others read as unknown.
      if (
        !known ||
        (ctx.actor !== undefined &&
          decide(ctx.actor, 'org.sites.manage', { division: input.tenantId }) !== 'allow')
      ) {
        throw invalidFields([
          { field: 'tenantId', code: 'org.tenant.division_unknown', params: { code: input.tenantId } },
        ]);
      }
      const settings = await checkSettings(input, input.tenantId);
      if ((await all()).some((t) => t.tenantId === input.tenantId))
        throw new DomainError('conflict', 'org.tenant.exists');
      await raceGuard(() =>
        db.kysely.transaction().execute(async (trx) => {
          await store.insertTenant(trx, {
            ...settings,
            tenantId: input.tenantId,
            isDefault: input.isDefault ?? false,
          });
          await appendAudit(trx, ctx, {
            action: 'tenant.created',
            objectType: 'tenant',
            objectId: input.tenantId,
            detail: { name: settings.name, hosts: settings.hosts },
          });
        }),
      );
      cache = undefined;
      return get(input.tenantId);
    },
    /** Changes the settings of the site the actor acts for (never another's). */
    async update(ctx: AuditContext, input: TenantSettings): Promise<Tenant> {
      const tenantId = ctx.tenantId;
      const before = await get(tenantId);
      // A site's settings belong to staff whose jurisdiction covers the site's whole division.
      authorizeActing(ctx, 'org.site.manage', { division: tenantId }, () => notFound('org.tenant.not_found'));
      const settings = await checkSettings(input, tenantId);
      const changed = (Object.keys(settings) as (keyof TenantSettings)[])
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(settings[k]))
        .sort();
      await raceGuard(() =>
        db.kysely.transaction().execute(async (trx) => {
          await store.updateTenant(trx, tenantId, settings);
          await appendAudit(trx, ctx, {
            action: 'tenant.settings_changed',
            objectType: 'tenant',
            objectId: tenantId,
            detail: { changed },
          });
        }),
      );
      cache = undefined;
      return get(tenantId);
    },
  };

  async function checkSettings(input: TenantSettings, tenantId: string): Promise<TenantSettings> {
    const problems: FieldProblem[] = [];
    const s: TenantSettings = {
      name: input.name.trim(),
      siteIdCode: input.siteIdCode.trim().toUpperCase(),
      icpNumber: input.icpNumber.trim(),
      policeFiling: input.policeFiling.trim(),
      sponsor: input.sponsor.trim(),
      address: input.address.trim(),
      phone: input.phone.trim(),
      email: input.email.trim(),
      hosts: [...new Set(input.hosts.map((h) => h.trim().toLowerCase()).filter(Boolean))],
    };
    if (s.name.length === 0 || s.name.length > 100)
      problems.push({ field: 'name', code: 'org.tenant.name_length' });
    // 政府网站标识码: ten characters issued by the government website census.
    if (s.siteIdCode && !/^[0-9A-Z]{10}$/.test(s.siteIdCode))
      problems.push({ field: 'siteIdCode', code: 'org.tenant.site_id_code_format' });
    if (s.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.email))
      problems.push({ field: 'email', code: 'errors.email_format' });
    if (s.phone && !/^[0-9+() -]{5,30}$/.test(s.phone))
      problems.push({ field: 'phone', code: 'errors.phone_format' });
    for (const h of s.hosts) {
      if (!/^[a-z0-9.-]+(:[0-9]+)?$/.test(h) || h.length > 253)
        problems.push({ field: 'hosts', code: 'org.tenant.host_format', params: { host: h } });
    }
    const taken = (await store.hostOwners(db.kysely, s.hosts)).filter((o) => o.tenantId !== tenantId);
    for (const o of taken)
      problems.push({ field: 'hosts', code: 'org.tenant.host_taken', params: { host: o.host } });
    if (problems.length > 0) {
      if (taken.length > 0 && problems.length === taken.length)
        throw new DomainError('conflict', 'org.tenant.host_taken', { host: taken[0]!.host }, problems);
      throw invalidFields(problems);
    }
    return s;
  }
}

/** A host (or tenant) claimed by a concurrent request after our check: the unique key decides, as a 409. */
async function raceGuard(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', 'errors.concurrent_change');
    throw e;
  }
}

export type TenantService = ReturnType<typeof createTenantService>;
