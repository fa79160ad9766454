/** SQL for divisions (org.division). One function per query; no rules here. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { DivisionLevel } from '../../kernel/divisions/index.ts';

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
  isAdministrative: boolean;
  active: boolean;
  childCount?: number;
}

const columns = ['code', 'name', 'level', 'parent_code', 'is_administrative', 'active'] as const;

type Row = {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
  is_administrative: boolean;
  active: boolean;
};

const toDivision = (r: Row): Division => ({
  code: r.code,
  name: r.name,
  level: r.level as DivisionLevel,
  parentCode: r.parent_code,
  isAdministrative: r.is_administrative,
  active: r.active,
});

export async function findDivision(db: Executor, code: string): Promise<Division | undefined> {
  const row = await db.selectFrom('org.division').select(columns).where('code', '=', code).executeTakeFirst();
  return row && toDivision(row);
}

export async function findDivisions(db: Executor, codes: string[]): Promise<Division[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('org.division').select(columns).where('code', 'in', codes).execute();
  return rows.map(toDivision);
}

export async function listChildren(
  db: Executor,
  parentCode: string,
  page: { limit: number; offset: number },
): Promise<{ items: Division[]; total: number }> {
  // One round trip: the page of children, each with its own child count, and the total.
  const rows = await db
    .selectFrom('org.division as d')
    .select(columns.map((c) => `d.${c}` as const))
    .select((eb) => [
      eb
        .selectFrom('org.division as c')
        .whereRef('c.parent_code', '=', 'd.code')
        .select(eb.fn.countAll<number>().as('n'))
        .as('child_count'),
      sql<number>`count(*) over ()`.as('total'),
    ])
    .where('d.parent_code', '=', parentCode)
    .orderBy('d.code')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const total = rows[0]?.total ?? (page.offset > 0 ? await countChildren(db, parentCode) : 0);
  return {
    items: rows.map((r) => ({ ...toDivision(r), childCount: Number(r.child_count ?? 0) })),
    total: Number(total),
  };
}

async function countChildren(db: Executor, parentCode: string): Promise<number> {
  const r = await db
    .selectFrom('org.division')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_code', '=', parentCode)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The division and its ancestors, root first. */
export async function findPath(db: Executor, code: string): Promise<Division[]> {
  const result = await sql<Row & { depth: number }>`
    with recursive up as (
      select code, name, level, parent_code, is_administrative, active, 0 as depth from org.division where code = ${code}
      union all
      select d.code, d.name, d.level, d.parent_code, d.is_administrative, d.active, up.depth + 1
        from org.division d join up on d.code = up.parent_code
    )
    select * from up order by depth desc`.execute(db);
  return result.rows.map(toDivision);
}

/** Search by code prefix (digits) or by a part of the name. */
export async function searchDivisions(
  db: Executor,
  query: {
    text: string;
    level?: DivisionLevel | undefined;
    within?: string | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ items: Division[]; total: number }> {
  let q = db.selectFrom('org.division').where('level', '!=', 'national');
  if (/^\d+$/.test(query.text)) q = q.where('code', 'like', `${query.text}%`);
  else q = q.where('name', 'like', `%${query.text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  if (query.level) q = q.where('level', '=', query.level);
  if (query.within) q = q.where('code', 'like', `${query.within}%`);
  const rows = await q
    .select(columns)
    .select(sql<number>`count(*) over ()`.as('total'))
    // Shorter names first: searching 西湖 should show 西湖区 before 西湖街道某某社区.
    .orderBy(sql`length(name)`)
    .orderBy('code')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return { items: rows.map(toDivision), total: Number(rows[0]?.total ?? 0) };
}

export async function insertDivision(
  db: Executor,
  d: Omit<Division, 'active' | 'childCount'>,
  source: string,
): Promise<void> {
  await db
    .insertInto('org.division')
    .values({
      code: d.code,
      name: d.name,
      level: d.level,
      parent_code: d.parentCode,
      is_administrative: d.isAdministrative,
      source,
    })
    .execute();
}

export async function updateDivision(
  db: Executor,
  code: string,
  patch: { name?: string | undefined; active?: boolean | undefined },
): Promise<void> {
  await db
    .updateTable('org.division')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      updated_at: new Date(),
    })
    .where('code', '=', code)
    .execute();
}

export async function allDivisionCodes(db: Executor): Promise<Map<string, DivisionLevel>> {
  const rows = await db.selectFrom('org.division').select(['code', 'level']).execute();
  return new Map(rows.map((r) => [r.code, r.level as DivisionLevel]));
}

export async function countDivisions(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('org.division')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
