/** Read-side queries over the task projection: my tasks. The light is computed at query time. */
import { sql } from 'kysely';
import type { Database } from '../../kernel/db/index.ts';
import type { Actor } from '../../kernel/policy/index.ts';
import type { Light } from './deadline.ts';

export interface TaskItem {
  caseNumber: string;
  caseTitle: string;
  definitionCode: string;
  task: number;
  step: string;
  assigneeId: number | null;
  openedAt: Date;
  dueAt: Date | null;
  light: Light;
  stopped: boolean;
  urged: boolean;
}

/** green / yellow / red of a task row now (a stopped clock shows what it was when it stopped). */
export const lightSql = (now: Date) =>
  sql<Light>`case when due_at is null then 'green'
    when not stopped and due_at < ${now} then 'red'
    when not stopped and yellow_at <= ${now} then 'yellow'
    else case when light = 'red' then 'red' when light = 'yellow' then 'yellow' else 'green' end end`;

/** The columns of a task list row, with its light now. */
export const taskItemColumns = (now: Date) =>
  [
    'case_number',
    'case_title',
    'definition_code',
    'no',
    'step',
    'assignee_account_id',
    'opened_at',
    'due_at',
    'stopped',
    'urged',
    'department_id',
    lightSql(now).as('light_now'),
    sql<number>`count(*) over ()`.as('total'),
  ] as const;

export function taskItemOf(r: {
  case_number: string;
  case_title: string;
  definition_code: string;
  no: number;
  step: string;
  assignee_account_id: number | null;
  opened_at: Date;
  due_at: Date | null;
  stopped: boolean;
  urged: boolean;
  department_id: number;
  light_now: Light;
}): TaskItem & { departmentId: number } {
  return {
    caseNumber: r.case_number,
    caseTitle: r.case_title,
    definitionCode: r.definition_code,
    task: r.no,
    step: r.step,
    assigneeId: r.assignee_account_id === null ? null : Number(r.assignee_account_id),
    openedAt: r.opened_at,
    dueAt: r.due_at,
    light: r.light_now,
    stopped: r.stopped,
    urged: r.urged,
    departmentId: Number(r.department_id),
  };
}

export function createTaskQueries(db: Database, now: () => Date = () => new Date()) {
  return {
    /** Open tasks of the actor's department in their roles: held by them, waiting to be claimed, or both. */
    async mine(
      actor: Actor,
      tenantId: string,
      filter: { scope: 'mine' | 'waiting' | 'all'; light?: Light | undefined; limit: number; offset: number },
    ): Promise<{ items: TaskItem[]; total: number }> {
      if (actor.departmentId === null || actor.roles.length === 0) return { items: [], total: 0 };
      const at = now();
      let q = db.kysely
        .selectFrom('workflow.task')
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'open')
        .where('department_id', '=', actor.departmentId)
        .where('role', 'in', [...actor.roles]);
      if (filter.scope === 'mine') q = q.where('assignee_account_id', '=', actor.accountId);
      else if (filter.scope === 'waiting') q = q.where('assignee_account_id', 'is', null);
      else
        q = q.where((eb) =>
          eb.or([eb('assignee_account_id', 'is', null), eb('assignee_account_id', '=', actor.accountId)]),
        );
      const rows = await q
        .select(taskItemColumns(at))
        .$if(filter.light !== undefined, (qb) => qb.where(lightSql(at), '=', filter.light!))
        .orderBy(sql`due_at asc nulls last`)
        .orderBy('opened_at')
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

export type TaskQueries = ReturnType<typeof createTaskQueries>;
