/**
 * What the annual report on government information disclosure (政府信息公开工作年度报告) asks of the
 * catalogue: how many publications went public in a period, per column, and the column of given
 * publications (to class a policy's document as 规章 or 行政规范性文件). Read-only.
 */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import { DEFAULT_CATEGORIES } from './catalogue.ts';

export interface CategoryCount {
  code: string;
  name: string;
  parentCode: string | null;
  /** publications that went public in the period (a later withdrawal does not undo that) */
  count: number;
}

/**
 * The site's columns (active ones, and retired ones that published in the period) with the number of
 * publications that went public in [from, to) — before `asOf` (a scheduled one is not public yet).
 */
export async function publicationsByCategory(
  ex: Executor,
  tenantId: string,
  period: { from: Date; to: Date; asOf: Date; departmentId?: number | null },
): Promise<CategoryCount[]> {
  let counts = ex
    .selectFrom('publications.publication')
    .select(['category_code', sql<number>`count(*)::int`.as('n')])
    .where('tenant_id', '=', tenantId)
    .where('status', 'in', ['published', 'withdrawn'])
    .where('publish_at', '>=', period.from)
    .where('publish_at', '<', period.to)
    .where('publish_at', '<=', period.asOf);
  if (period.departmentId != null) counts = counts.where('department_id', '=', period.departmentId);
  const [rows, stats] = await Promise.all([
    ex
      .selectFrom('publications.category')
      .select(['code', 'name', 'parent_code', 'active'])
      .where('tenant_id', '=', tenantId)
      .orderBy('position')
      .orderBy('code')
      .execute(),
    counts.groupBy('category_code').execute(),
  ]);
  const n = new Map(stats.map((s) => [s.category_code, Number(s.n)]));
  const categories =
    rows.length > 0
      ? rows
      : DEFAULT_CATEGORIES.map((c) => ({
          code: c.code,
          name: c.name,
          parent_code: c.parentCode,
          active: true,
        }));
  return categories
    .filter((c) => c.active || n.has(c.code))
    .map((c) => ({ code: c.code, name: c.name, parentCode: c.parent_code, count: n.get(c.code) ?? 0 }));
}

/** The column each of these publications is in (ids not found are left out). */
export async function categoriesOfPublications(
  ex: Executor,
  tenantId: string,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ex
    .selectFrom('publications.publication')
    .select(['id', 'category_code'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [Number(r.id), r.category_code]));
}
