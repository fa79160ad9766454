/** SQL for departments (org.department). Every query is scoped by tenant_id. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { DepartmentType } from './department-types.ts';

export interface Department {
  tenantId: string;
  id: number;
  divisionCode: string;
  name: string;
  shortName: string;
  type: DepartmentType;
  parentId: number | null;
  creditCode: string;
  phone: string;
  address: string;
  email: string;
  active: boolean;
}

export type DepartmentFields = Omit<Department, 'tenantId' | 'id' | 'active'>;

type Row = {
  tenant_id: string;
  id: number;
  division_code: string;
  name: string;
  short_name: string;
  type: string;
  parent_id: number | null;
  credit_code: string;
  phone: string;
  address: string;
  email: string;
  active: boolean;
};

const toDepartment = (r: Row): Department => ({
  tenantId: r.tenant_id,
  id: Number(r.id),
  divisionCode: r.division_code,
  name: r.name,
  shortName: r.short_name,
  type: r.type as DepartmentType,
  parentId: r.parent_id === null ? null : Number(r.parent_id),
  creditCode: r.credit_code,
  phone: r.phone,
  address: r.address,
  email: r.email,
  active: r.active,
});

const columns = [
  'tenant_id',
  'id',
  'division_code',
  'name',
  'short_name',
  'type',
  'parent_id',
  'credit_code',
  'phone',
  'address',
  'email',
  'active',
] as const;

export async function findDepartment(
  db: Executor,
  tenantId: string,
  id: number,
): Promise<Department | undefined> {
  const r = await db
    .selectFrom('org.department')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r && toDepartment(r);
}

export async function listDepartments(
  db: Executor,
  tenantId: string,
  filter: {
    divisionPrefix?: string | undefined;
    divisionCode?: string | undefined;
    type?: string | undefined;
    includeInactive: boolean;
    limit: number;
    offset: number;
  },
): Promise<{ items: Department[]; total: number }> {
  let q = db.selectFrom('org.department').where('tenant_id', '=', tenantId);
  if (filter.divisionCode) q = q.where('division_code', '=', filter.divisionCode);
  if (filter.divisionPrefix) q = q.where('division_code', 'like', `${filter.divisionPrefix}%`);
  if (filter.type) q = q.where('type', '=', filter.type);
  if (!filter.includeInactive) q = q.where('active', '=', true);
  const rows = await q
    .select(columns)
    .select(sql<number>`count(*) over ()`.as('total'))
    .orderBy(sql`length(division_code)`)
    .orderBy('division_code')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { items: rows.map(toDepartment), total: Number(rows[0]?.total ?? 0) };
}

export async function nameTaken(
  db: Executor,
  tenantId: string,
  divisionCode: string,
  name: string,
  exceptId?: number,
): Promise<boolean> {
  let q = db
    .selectFrom('org.department')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('division_code', '=', divisionCode)
    .where('name', '=', name);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

const toRow = (f: DepartmentFields) => ({
  division_code: f.divisionCode,
  name: f.name,
  short_name: f.shortName,
  type: f.type,
  parent_id: f.parentId,
  credit_code: f.creditCode,
  phone: f.phone,
  address: f.address,
  email: f.email,
});

export async function insertDepartment(db: Executor, tenantId: string, f: DepartmentFields): Promise<number> {
  const r = await db
    .insertInto('org.department')
    .values({ tenant_id: tenantId, ...toRow(f) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateDepartment(
  db: Executor,
  tenantId: string,
  id: number,
  f: DepartmentFields,
): Promise<void> {
  await db
    .updateTable('org.department')
    .set({ ...toRow(f), updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function setDepartmentActive(
  db: Executor,
  tenantId: string,
  id: number,
  active: boolean,
): Promise<void> {
  await db
    .updateTable('org.department')
    .set({ active, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function countDepartments(db: Executor, tenantId: string): Promise<number> {
  const r = await db
    .selectFrom('org.department')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The ids of a department and every department above it, nearest first. */
export async function selfAndAncestorIds(db: Executor, tenantId: string, id: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    with recursive up as (
      select id, parent_id, 0 as depth from org.department where tenant_id = ${tenantId} and id = ${id}
      union all
      select d.id, d.parent_id, up.depth + 1 from org.department d
        join up on d.tenant_id = ${tenantId} and d.id = up.parent_id
       where up.depth < 100
    )
    select id from up order by depth`.execute(db);
  return result.rows.map((r) => Number(r.id));
}

export async function childDivisionCodes(db: Executor, tenantId: string, id: number): Promise<string[]> {
  const rows = await db
    .selectFrom('org.department')
    .select('division_code')
    .where('tenant_id', '=', tenantId)
    .where('parent_id', '=', id)
    .execute();
  return rows.map((r) => r.division_code);
}
