/**
 * Timers (定时器): each open task's next warnings are rows in workflow.timer. A sweep takes due rows
 * with FOR UPDATE SKIP LOCKED and the cases they belong to with SKIP LOCKED as well, so any number of
 * nodes may sweep at once and none fires a timer twice; a case busy with an action is left for the next
 * sweep rather than waited for (no deadlock with an action that holds the case and re-arms timers). A
 * row is the truth, so a restart or a crash mid-sweep loses nothing: the transaction either fired and
 * marked its timers or did neither, and a node that was down catches up on its next sweep.
 *
 * Firing raises the task's light (task.warned: yellow at the warning share of its time, red when
 * overdue), tells the people on it, and runs the step's escalations for that light: notify the
 * department head, transfer the task, or raise it to the supervisors of the upper levels.
 */
import type { Database, Executor } from '../../kernel/db/index.ts';
import { parentCandidates } from '../../kernel/divisions/index.ts';
import * as store from './case.store.ts';
import type { CasePorts, CaseService } from './case.service.ts';
import type { DefinitionService } from './definition.service.ts';
import { dueDay } from './deadline.ts';
import { stepName, type Definition } from './definition.ts';
import { dueWarning, fold, type CaseState, type NewEvent, type TaskState } from './engine.ts';

/** Every division above a code, nearest first (candidates included, as the code alone cannot tell). */
export function divisionsAbove(code: string): string[] {
  const out: string[] = [];
  let level = parentCandidates(code);
  while (level.length > 0) {
    for (const c of level) if (!out.includes(c)) out.push(c);
    level = parentCandidates(level[0]!);
  }
  return out;
}

export interface SweepResult {
  /** timers taken and marked fired */
  fired: number;
  /** warnings raised (task.warned events) */
  warned: number;
  /** timers left for the next sweep because their case was busy */
  deferred: number;
}

export function createTimerWorker(
  db: Database,
  cases: CaseService,
  definitions: DefinitionService,
  ports: CasePorts,
) {
  const now = () => ports.now?.() ?? new Date();

  async function escalate(
    tx: Executor,
    tenantId: string,
    number: string,
    s: CaseState,
    t: TaskState,
    light: 'yellow' | 'red',
    steps: CaseDefinitionSteps,
  ): Promise<NewEvent[]> {
    const step = steps[t.step]!;
    const escalations = (t.branch ? step.parallel!.branches[t.branch]!.escalations : step.escalations) ?? [];
    const out: NewEvent[] = [];
    const due = t.dueAt ? dueDay(t.dueAt) : '—';
    // Each person hears of one warning once, whichever ways it reaches them.
    const told = new Set<number>();
    const tell = async (ids: Iterable<number>) => {
      const step = stepName({ steps } as Definition, t.step, t.branch);
      const fresh = [...ids].filter((accountId) => !told.has(accountId));
      fresh.forEach((accountId) => told.add(accountId));
      await ports.notify?.(
        tx,
        fresh.map((accountId) => ({
          tenantId,
          accountId,
          kind: `workflow.task_${light}`,
          params: { number, title: s.title, step, due },
          link: `/workbench/cases/${number}`,
        })),
      );
    };
    // The people on the task hear of every warning.
    const onTask =
      t.assigneeId !== null
        ? [t.assigneeId]
        : (await ports.staffWithRole(tenantId, { role: t.role, departmentIds: [t.departmentId] }, tx)).map(
            (p) => p.accountId,
          );
    await tell(onTask);
    for (const e of escalations) {
      if (e.on !== light) continue;
      if (e.do === 'notify-head') {
        const heads = await ports.staffWithRole(
          tenantId,
          { role: 'department_head', departmentIds: [t.departmentId] },
          tx,
        );
        await tell(heads.map((h) => h.accountId));
        out.push({
          type: 'task.escalated',
          task: t.no,
          escalation: 'notify-head',
          detail: heads.map((h) => h.name).join('、'),
        });
      } else if (e.do === 'raise') {
        const above = divisionsAbove(t.division);
        const supervisors = await ports.staffWithRole(
          tenantId,
          { role: 'supervisor', divisionCodes: above },
          tx,
        );
        // the nearest level that has supervisors
        const nearest = above.find((d) => supervisors.some((p) => p.divisionCode === d));
        const reached = supervisors.filter((p) => p.divisionCode === nearest);
        await tell(reached.map((p) => p.accountId));
        out.push({ type: 'task.escalated', task: t.no, escalation: 'raise', detail: nearest ?? '' });
      } else if (e.do === 'transfer' && e.to) {
        try {
          const dep = await cases.resolver(tenantId, tx)(e.to, s);
          if (dep.departmentId !== t.departmentId)
            out.push({
              type: 'task.transferred',
              task: t.no,
              departmentId: dep.departmentId,
              division: dep.division,
              reason: `escalation:${light}`,
            });
          out.push({
            type: 'task.escalated',
            task: t.no,
            escalation: 'transfer',
            detail: String(dep.departmentId),
          });
        } catch {
          out.push({ type: 'task.escalated', task: t.no, escalation: 'transfer', detail: 'unresolved' });
        }
      }
    }
    return out;
  }

  /** One sweep: up to `limit` due timers, in one transaction. */
  async function sweep(limit = 500): Promise<SweepResult> {
    const at = now();
    return db.kysely.transaction().execute(async (tx) => {
      // Work is taken by locking the cases, not the timer rows: an action, a sweep and the projection
      // all lock a case before touching its timers, so two sweepers never hold each other's timers.
      const due = await tx
        .selectFrom('workflow.timer as t')
        .innerJoin('workflow.case as c', (j) =>
          j.onRef('c.tenant_id', '=', 't.tenant_id').onRef('c.id', '=', 't.case_id'),
        )
        .select(['t.tenant_id', 't.case_id', 't.task_no', 't.kind'])
        .where('t.fired_at', 'is', null)
        .where('t.fire_at', '<=', at)
        .orderBy('t.fire_at')
        .limit(limit)
        .forUpdate('c')
        .skipLocked()
        .execute();
      const byCase = new Map<string, typeof due>();
      for (const r of due) {
        const k = `${r.tenant_id}\n${r.case_id}`;
        byCase.set(k, [...(byCase.get(k) ?? []), r]);
      }
      const result: SweepResult = { fired: 0, warned: 0, deferred: 0 };
      for (const timers of byCase.values()) {
        const { tenant_id: tenantId, case_id: caseId } = timers[0]!;
        const row = await store.lockCaseById(tx, tenantId, Number(caseId), true);
        if (!row) {
          result.deferred += timers.length;
          continue;
        }
        const definition = await definitions.version(tenantId, row.definitionCode, row.definitionVersion, tx);
        const events = await store.loadEvents(tx, tenantId, row.id);
        const s = fold(events);
        const planned: NewEvent[] = [];
        // A stop that lapses: still on, its own limit run out (an earlier timer left by a stop since
        // ended was deleted with it; this re-checks the state all the same).
        const stop = s.status === 'stopped' ? s.stop : null;
        const lapse = stop && stop.dueAt && stop.dueAt <= at && definition.body.stops?.[stop.stop]?.lapse;
        const lapsed = Boolean(stop && lapse);
        if (stop && lapse)
          planned.push(
            { type: 'clock.lapsed', stop: stop.stop },
            { type: 'case.closed', outcome: lapse.outcome },
          );
        for (const no of new Set(timers.map((x) => x.task_no))) {
          if (no === 0 || lapsed) continue;
          const t = s.tasks[no - 1];
          const light = t ? dueWarning(s, t, at) : null;
          if (!t || !light || light === 'green') continue;
          planned.push({ type: 'task.warned', task: no, light });
          planned.push(...(await escalate(tx, tenantId, row.number, s, t, light, definition.body.steps)));
          result.warned++;
        }
        await tx
          .updateTable('workflow.timer')
          .set({ fired_at: at })
          .where('tenant_id', '=', tenantId)
          .where('case_id', '=', caseId)
          .where('fired_at', 'is', null)
          .where((eb) =>
            eb.or(timers.map((x) => eb.and([eb('task_no', '=', x.task_no), eb('kind', '=', x.kind)]))),
          )
          .execute();
        result.fired += timers.length;
        if (planned.length > 0)
          await cases.commit(tx, { tenantId }, { row, events, definition }, planned, at, {
            accountId: null,
            name: '',
          });
      }
      return result;
    });
  }

  return {
    sweep,
    /** Sweeps every `intervalMs` until stopped; a full batch sweeps again at once (catching up). */
    start(onError: (e: unknown) => void, intervalMs = 5_000): () => Promise<void> {
      let stopped = false;
      let running: Promise<unknown> = Promise.resolve();
      const run = async () => {
        for (let i = 0; i < 100 && !stopped; i++) {
          const r = await sweep();
          if (r.fired + r.deferred < 500) break;
        }
      };
      const timer = setInterval(() => {
        running = running.then(() => (stopped ? undefined : run())).catch(onError);
      }, intervalMs);
      timer.unref();
      return async () => {
        stopped = true;
        clearInterval(timer);
        await running;
      };
    },
  };
}

type CaseDefinitionSteps = Awaited<ReturnType<DefinitionService['version']>>['body']['steps'];
