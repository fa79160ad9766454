/**
 * workflow — the case engine (办件): process definitions, cases, tasks, timers and supervision, on a
 * working-day calendar. Today: the calendar and its public API; the engine follows (issue 4).
 */
import type { FastifyInstance } from 'fastify';
import { nationalCalendar } from './calendar.ts';
import { calendarRoutes } from './calendar.routes.ts';

export { WorkCalendar, type TimeUnit } from './calendar.ts';

export function createWorkflowModule() {
  const calendar = nationalCalendar();
  return {
    calendar,
    async routes(app: FastifyInstance) {
      await calendarRoutes(app, { calendar });
    },
  };
}
