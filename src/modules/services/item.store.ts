/** SQL of the service catalogue (services.item), one function per question. */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { FormDefinition } from '../../kernel/forms/index.ts';
import type { Audience, Fee, Item, ItemInput, ItemStatus, LicenceSpec, Material } from './catalogue.ts';

const columns = [
  'id',
  'tenant_id',
  'code',
  'name',
  'kind',
  'department_id',
  'division_code',
  'department_name',
  'status',
  'audience',
  'online_depth',
  'statutory_days',
  'promised_days',
  'legal_basis',
  'conditions',
  'process',
  'materials',
  'fees',
  'place',
  'hours',
  'consult_phone',
  'complaint_phone',
  'life_events',
  'enterprise_events',
  'result_delivery',
  'consult_days',
  'process_code',
  'form',
  'licence',
  'updated_at',
  'published_at',
] as const;

type Row = {
  id: number | string;
  tenant_id: string;
  code: string;
  name: string;
  kind: string;
  department_id: number | string;
  division_code: string;
  department_name: string;
  status: string;
  audience: string;
  online_depth: number;
  statutory_days: number | null;
  promised_days: number | null;
  legal_basis: string;
  conditions: string;
  process: string;
  materials: unknown;
  fees: unknown;
  place: string;
  hours: string;
  consult_phone: string;
  complaint_phone: string;
  life_events: string[];
  enterprise_events: string[];
  result_delivery: string[];
  consult_days: number | null;
  process_code: string | null;
  form: unknown;
  licence: unknown;
  updated_at: Date | string;
  published_at: Date | string | null;
};

const iso = (d: Date | string) => new Date(d).toISOString();

function toItem(r: Row): Item {
  return {
    id: Number(r.id),
    tenantId: r.tenant_id,
    code: r.code,
    name: r.name,
    kind: r.kind as Item['kind'],
    departmentId: Number(r.department_id),
    divisionCode: r.division_code,
    departmentName: r.department_name,
    status: r.status as ItemStatus,
    audience: r.audience as Audience,
    onlineDepth: r.online_depth as Item['onlineDepth'],
    statutoryDays: r.statutory_days,
    promisedDays: r.promised_days,
    legalBasis: r.legal_basis,
    conditions: r.conditions,
    process: r.process,
    materials: r.materials as Material[],
    fees: r.fees as Fee[],
    place: r.place,
    hours: r.hours,
    consultPhone: r.consult_phone,
    complaintPhone: r.complaint_phone,
    lifeEvents: r.life_events,
    enterpriseEvents: r.enterprise_events,
    resultDelivery: r.result_delivery,
    consultDays: r.consult_days,
    processCode: r.process_code,
    form: (r.form ?? null) as FormDefinition | null,
    licence: (r.licence ?? null) as LicenceSpec | null,
    updatedAt: iso(r.updated_at),
    publishedAt: r.published_at === null ? null : iso(r.published_at),
  };
}

/** The columns an input writes (the department's division and name as resolved by the service). */
function valuesOf(input: ItemInput, department: { divisionCode: string; name: string }) {
  return {
    code: input.code,
    name: input.name,
    kind: input.kind,
    department_id: input.departmentId,
    division_code: department.divisionCode,
    department_name: department.name,
    audience: input.audience,
    online_depth: input.onlineDepth,
    statutory_days: input.statutoryDays,
    promised_days: input.promisedDays,
    legal_basis: input.legalBasis,
    conditions: input.conditions,
    process: input.process,
    materials: JSON.stringify(input.materials),
    fees: JSON.stringify(input.fees),
    place: input.place,
    hours: input.hours,
    consult_phone: input.consultPhone,
    complaint_phone: input.complaintPhone,
    life_events: input.lifeEvents,
    enterprise_events: input.enterpriseEvents,
    result_delivery: input.resultDelivery,
    consult_days: input.consultDays,
    process_code: input.processCode,
    ...(input.form === undefined ? {} : { form: input.form ? JSON.stringify(input.form) : null }),
    ...(input.licence === undefined ? {} : { licence: input.licence ? JSON.stringify(input.licence) : null }),
  };
}

export async function findItem(
  ex: Executor,
  tenantId: string,
  code: string,
  lock = false,
): Promise<Item | undefined> {
  let q = ex
    .selectFrom('services.item')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toItem(r as Row);
}

export async function insertItem(
  ex: Executor,
  tenantId: string,
  input: ItemInput,
  department: { divisionCode: string; name: string },
  searchVector: Expression<string>,
): Promise<Item> {
  const r = await ex
    .insertInto('services.item')
    .values({ tenant_id: tenantId, ...valuesOf(input, department), search_vector: searchVector })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toItem(r as Row);
}

export async function updateItem(
  ex: Executor,
  tenantId: string,
  input: ItemInput,
  department: { divisionCode: string; name: string },
  searchVector: Expression<string>,
): Promise<Item> {
  const r = await ex
    .updateTable('services.item')
    .set({ ...valuesOf(input, department), search_vector: searchVector, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('code', '=', input.code)
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toItem(r as Row);
}

export async function setStatus(
  ex: Executor,
  tenantId: string,
  code: string,
  status: ItemStatus,
): Promise<Item> {
  const r = await ex
    .updateTable('services.item')
    .set({
      status,
      updated_at: sql`now()`,
      published_at: status === 'published' ? sql`coalesce(published_at, now())` : sql`published_at`,
    })
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toItem(r as Row);
}

export interface ItemFilter {
  /** division-code prefix of the items' departments ('' = all) */
  divisionPrefix: string;
  departmentId?: number | undefined;
  status?: ItemStatus | undefined;
  kind?: string | undefined;
  /** person: items for people (person or both); enterprise likewise */
  audience?: 'person' | 'enterprise' | undefined;
  lifeEvent?: string | undefined;
  enterpriseEvent?: string | undefined;
  /** a condition on search_vector, from the search kernel */
  matches?: Expression<SqlBool> | undefined;
}

function filtered(ex: Executor, tenantId: string, f: ItemFilter) {
  let q = ex.selectFrom('services.item').where('tenant_id', '=', tenantId);
  if (f.divisionPrefix) q = q.where('division_code', 'like', `${f.divisionPrefix}%`);
  if (f.departmentId !== undefined) q = q.where('department_id', '=', f.departmentId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.audience) q = q.where('audience', 'in', [f.audience, 'both']);
  if (f.lifeEvent) q = q.where(sql<boolean>`life_events @> array[${f.lifeEvent}]::text[]`);
  if (f.enterpriseEvent) q = q.where(sql<boolean>`enterprise_events @> array[${f.enterpriseEvent}]::text[]`);
  if (f.matches) q = q.where(f.matches);
  return q;
}

export async function listItems(
  ex: Executor,
  tenantId: string,
  f: ItemFilter,
  page: { limit: number; offset: number; orderBy?: Expression<unknown> | undefined },
): Promise<{ items: Item[]; total: number }> {
  const base = filtered(ex, tenantId, f);
  const [rows, count] = await Promise.all([
    (page.orderBy ? base.orderBy(page.orderBy, 'desc') : base)
      .select(columns)
      .orderBy('code')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toItem(r as Row)), total: Number(count.n) };
}

/** Every item of the site within the division prefix, by code (exports). */
export async function allItems(ex: Executor, tenantId: string, divisionPrefix: string): Promise<Item[]> {
  const rows = await filtered(ex, tenantId, { divisionPrefix }).select(columns).orderBy('code').execute();
  return rows.map((r) => toItem(r as Row));
}

/** Departments with published items, with how many (the portal's browse-by-department list). */
export async function publishingDepartments(
  ex: Executor,
  tenantId: string,
): Promise<{ departmentId: number; name: string; divisionCode: string; items: number }[]> {
  const rows = await ex
    .selectFrom('services.item')
    .select(['department_id', 'department_name', 'division_code'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'published')
    .groupBy(['department_id', 'department_name', 'division_code'])
    .orderBy('division_code')
    .orderBy('department_name')
    .execute();
  return rows.map((r) => ({
    departmentId: Number(r.department_id),
    name: r.department_name,
    divisionCode: r.division_code,
    items: Number(r.n),
  }));
}
