/** SQL for sites' own calendar years (workflow.calendar_year, calendar_day) and their version. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import type { SpecialDay, YearDays } from './calendar.ts';

/** The advisory-lock class of calendar locks (the second key is the site's hash). */
const LOCK_CLASS = 72_404_311;

/**
 * Taken by a change to a site's calendar, for the rest of its transaction: changes queue one behind
 * the other, and wait for every transaction that holds the shared lock (one storing a deadline).
 */
export async function lockExclusive(db: Executor, tenantId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${tenantId}))`.execute(db);
}

export async function lockShared(db: Executor, tenantId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${LOCK_CLASS}, hashtext(${tenantId}))`.execute(db);
}

/** The site's calendar version; null when the site never had a calendar of its own. */
export async function currentVersion(db: Executor, tenantId: string): Promise<number | null> {
  const row = await db
    .selectFrom('workflow.calendar_version')
    .select('version')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.version ?? null;
}

export async function bumpVersion(db: Executor, tenantId: string): Promise<number> {
  const row = await db
    .insertInto('workflow.calendar_version')
    .values({ tenant_id: tenantId, version: sql<number>`nextval('workflow.calendar_version_seq')` })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet((eb) => ({ version: eb.ref('excluded.version') })))
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

/** Every year the site has its own schedule for, days in date order. */
export async function siteYears(db: Executor, tenantId: string): Promise<YearDays[]> {
  const years = await db
    .selectFrom('workflow.calendar_year')
    .select(['year', 'published'])
    .where('tenant_id', '=', tenantId)
    .orderBy('year')
    .execute();
  if (years.length === 0) return [];
  const days = await db
    .selectFrom('workflow.calendar_day')
    // As text: PGlite 0.5 hands dates back as Date objects whatever the kernel's parser says.
    .select(['year', sql<string>`date::text`.as('date'), 'kind', 'name', 'name_en'])
    .where('tenant_id', '=', tenantId)
    .orderBy('date')
    .execute();
  return years.map((y) => {
    const of = (kind: string): SpecialDay[] =>
      days
        .filter((d) => d.year === y.year && d.kind === kind)
        .map((d) => ({ date: d.date, name: d.name, nameEn: d.name_en }));
    return {
      year: y.year,
      published: y.published,
      holidays: of('holiday'),
      workdays: of('workday'),
      source: 'site' as const,
    };
  });
}

/** Stores the site's schedule for a year, replacing what it had for that year. */
export async function replaceYear(db: Executor, tenantId: string, y: YearDays): Promise<void> {
  await db
    .insertInto('workflow.calendar_year')
    .values({ tenant_id: tenantId, year: y.year, published: y.published })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'year']).doUpdateSet({ published: y.published, updated_at: new Date() }),
    )
    .execute();
  await db
    .deleteFrom('workflow.calendar_day')
    .where('tenant_id', '=', tenantId)
    .where('year', '=', y.year)
    .execute();
  const rows = [
    ...y.holidays.map((d) => ({ ...d, kind: 'holiday' })),
    ...y.workdays.map((d) => ({ ...d, kind: 'workday' })),
  ].map((d) => ({
    tenant_id: tenantId,
    year: y.year,
    date: d.date,
    kind: d.kind,
    name: d.name,
    name_en: d.nameEn,
  }));
  if (rows.length > 0) await db.insertInto('workflow.calendar_day').values(rows).execute();
}

/** Removes the site's own schedule for a year; says whether there was one. */
export async function deleteYear(db: Executor, tenantId: string, year: number): Promise<boolean> {
  const r = await db
    .deleteFrom('workflow.calendar_year')
    .where('tenant_id', '=', tenantId)
    .where('year', '=', year)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
