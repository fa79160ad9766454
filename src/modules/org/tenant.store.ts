/** SQL for tenants (org.tenant) and their host names (org.tenant_host). */
import type { Executor } from '../../kernel/db/index.ts';

export interface Tenant {
  tenantId: string;
  name: string;
  siteIdCode: string;
  icpNumber: string;
  policeFiling: string;
  sponsor: string;
  address: string;
  phone: string;
  email: string;
  isDefault: boolean;
  hosts: string[];
}

export type TenantSettings = Omit<Tenant, 'tenantId' | 'isDefault'>;

export async function listTenants(db: Executor): Promise<Tenant[]> {
  const rows = await db.selectFrom('org.tenant').selectAll().orderBy('tenant_id').execute();
  const hosts = await db.selectFrom('org.tenant_host').selectAll().orderBy('host').execute();
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    name: r.name,
    siteIdCode: r.site_id_code,
    icpNumber: r.icp_number,
    policeFiling: r.police_filing,
    sponsor: r.sponsor,
    address: r.address,
    phone: r.phone,
    email: r.email,
    isDefault: r.is_default,
    hosts: hosts.filter((h) => h.tenant_id === r.tenant_id).map((h) => h.host),
  }));
}

export async function insertTenant(db: Executor, t: Tenant): Promise<void> {
  await db
    .insertInto('org.tenant')
    .values({
      tenant_id: t.tenantId,
      name: t.name,
      site_id_code: t.siteIdCode,
      icp_number: t.icpNumber,
      police_filing: t.policeFiling,
      sponsor: t.sponsor,
      address: t.address,
      phone: t.phone,
      email: t.email,
      is_default: t.isDefault,
    })
    .execute();
  await replaceHosts(db, t.tenantId, t.hosts);
}

export async function updateTenant(db: Executor, tenantId: string, s: TenantSettings): Promise<void> {
  await db
    .updateTable('org.tenant')
    .set({
      name: s.name,
      site_id_code: s.siteIdCode,
      icp_number: s.icpNumber,
      police_filing: s.policeFiling,
      sponsor: s.sponsor,
      address: s.address,
      phone: s.phone,
      email: s.email,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .execute();
  await replaceHosts(db, tenantId, s.hosts);
}

async function replaceHosts(db: Executor, tenantId: string, hosts: string[]) {
  await db.deleteFrom('org.tenant_host').where('tenant_id', '=', tenantId).execute();
  if (hosts.length > 0) {
    await db
      .insertInto('org.tenant_host')
      .values(hosts.map((host) => ({ host, tenant_id: tenantId })))
      .execute();
  }
}

export async function hostOwners(
  db: Executor,
  hosts: string[],
): Promise<{ host: string; tenantId: string }[]> {
  if (hosts.length === 0) return [];
  const rows = await db.selectFrom('org.tenant_host').selectAll().where('host', 'in', hosts).execute();
  return rows.map((r) => ({ host: r.host, tenantId: r.tenant_id }));
}
