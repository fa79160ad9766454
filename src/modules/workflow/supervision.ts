/**
 * Electronic supervision (电子监察): the figures supervisors watch, over the task projection, limited
 * to the supervisor's jurisdiction (their division's subtree; siblings see nothing of each other).
 *
 * Per department: open tasks by light (green / yellow / red, computed now; a stopped clock keeps the
 * light it had), and over a period of closing dates: tasks done, done on time, the on-time rate, the
 * average handling time in working days, and the overdue count (done late, plus open and red).
 */
import { sql } from 'kysely';
import type { Database } from '../../kernel/db/index.ts';
import { isWithin, subtreePrefix } from '../../kernel/divisions/index.ts';
import { notFound } from '../../kernel/errors.ts';
import { jurisdictionPrefix, type Actor } from '../../kernel/policy/index.ts';
import { lightSql, taskItemColumns, taskItemOf, type TaskItem } from './task.queries.ts';
import type { Light } from './deadline.ts';

export interface DepartmentFigures {
  departmentId: number;
  divisionCode: string;
  open: number;
  green: number;
  yellow: number;
  red: number;
  done: number;
  onTime: number;
  /** on-time share of the tasks done in the period with a deadline; null when none had one */
  onTimeRate: number | null;
  averageDays: number | null;
  overdue: number;
}

export interface Period {
  from: Date;
  to: Date;
}

export function createSupervision(db: Database, now: () => Date = () => new Date()) {
  /** The subtree prefix an actor sees, optionally narrowed to a division inside it. */
  function scope(actor: Actor, division?: string): string {
    const prefix = jurisdictionPrefix(actor);
    if (!division) return prefix;
    if (!/^\d{6}(\d{3}){0,2}$/.test(division) || !isWithin(division, actor.division))
      throw notFound('workflow.supervision.division_outside', { code: division });
    return subtreePrefix(division);
  }

  return {
    scope,

    /** Figures per department of the jurisdiction, ranked by on-time rate (then fewest overdue). */
    async departments(
      actor: Actor,
      tenantId: string,
      period: Period,
      division?: string,
    ): Promise<DepartmentFigures[]> {
      const prefix = scope(actor, division);
      const at = now();
      const rows = await db.kysely
        .selectFrom('workflow.task')
        .select([
          'department_id',
          sql<string>`min(division_code)`.as('division_code'),
          sql<number>`count(*) filter (where status = 'open')::int`.as('open'),
          sql<number>`count(*) filter (where status = 'open' and ${lightSql(at)} = 'green')::int`.as('green'),
          sql<number>`count(*) filter (where status = 'open' and ${lightSql(at)} = 'yellow')::int`.as(
            'yellow',
          ),
          sql<number>`count(*) filter (where status = 'open' and ${lightSql(at)} = 'red')::int`.as('red'),
          sql<number>`count(*) filter (where status = 'done')::int`.as('done'),
          sql<number>`count(*) filter (where status = 'done' and on_time)::int`.as('on_time'),
          sql<number>`count(*) filter (where status = 'done' and on_time is not null)::int`.as('with_limit'),
          sql<number | null>`avg(handling_days) filter (where status = 'done')::float8`.as('average_days'),
          sql<number>`count(*) filter (where status = 'done' and on_time = false)::int`.as('late'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('division_code', 'like', `${prefix}%`)
        .where((eb) =>
          eb.or([
            eb('status', '=', 'open'),
            eb.and([
              eb('status', '=', 'done'),
              eb('closed_at', '>=', period.from),
              eb('closed_at', '<', period.to),
            ]),
          ]),
        )
        .groupBy('department_id')
        .execute();
      const figures = rows.map((r) => ({
        departmentId: Number(r.department_id),
        divisionCode: r.division_code,
        open: r.open,
        green: r.green,
        yellow: r.yellow,
        red: r.red,
        done: r.done,
        onTime: r.on_time,
        onTimeRate: r.with_limit > 0 ? r.on_time / r.with_limit : null,
        averageDays: r.average_days === null ? null : Math.round(r.average_days * 10) / 10,
        overdue: r.late + r.red,
      }));
      return figures.sort(
        (a, b) =>
          (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) ||
          a.overdue - b.overdue ||
          a.departmentId - b.departmentId,
      );
    },

    /** The open tasks behind a figure: a department's (or the whole jurisdiction's) by light. */
    async tasks(
      actor: Actor,
      tenantId: string,
      filter: {
        departmentId?: number | undefined;
        light?: Light | undefined;
        division?: string | undefined;
        limit: number;
        offset: number;
      },
    ): Promise<{ items: (TaskItem & { departmentId: number })[]; total: number }> {
      const prefix = scope(actor, filter.division);
      const at = now();
      let q = db.kysely
        .selectFrom('workflow.task')
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'open')
        .where('division_code', 'like', `${prefix}%`);
      if (filter.departmentId !== undefined) q = q.where('department_id', '=', filter.departmentId);
      if (filter.light) q = q.where(lightSql(at), '=', filter.light);
      const rows = await q
        .select(taskItemColumns(at))
        .orderBy(sql`due_at asc nulls last`)
        .limit(filter.limit)
        .offset(filter.offset)
        .execute();
      return {
        total: Number(rows[0]?.total ?? 0),
        items: rows.map(taskItemOf),
      };
    },
  };
}

export type Supervision = ReturnType<typeof createSupervision>;
