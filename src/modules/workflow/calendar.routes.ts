/**
 * The calendar as an API, on the current site's calendar: due dates and a year's holidays and make-up
 * workdays (public), and a site's own schedule for a year (workflow.calendar.manage).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { invalidFields } from '../../kernel/errors.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import { parseDate, TIME_UNITS, type WorkCalendar } from './calendar.ts';
import type { CalendarService } from './calendar.service.ts';

const Problem = Type.Ref('Problem');
const Day = Type.Object({ date: Type.String(), name: Type.String(), nameEn: Type.String() });
const Year = Type.Object({
  year: Type.Integer(),
  published: Type.Boolean(),
  source: Type.Union([Type.Literal('national'), Type.Literal('site'), Type.Literal('none')], {
    description:
      "national: the State Council's schedule; site: this site's own; none: no schedule (weekends only)",
  }),
  holidays: Type.Array(Day),
  workdays: Type.Array(Day),
});
const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
// Bounds against huge bodies only; the service's own limits (names ≤ 30 characters …) come with
// messages that say what to fix.
const DayInput = Type.Object(
  {
    date: Type.String({ maxLength: 20, description: 'YYYY-MM-DD, inside the year' }),
    name: Type.String({ maxLength: 100, description: '元旦, 春节 … (at most 30 characters)' }),
    nameEn: Type.Optional(
      Type.String({ maxLength: 200, description: 'defaults to the English name of a known holiday' }),
    ),
  },
  { additionalProperties: false },
);
const YearInput = Type.Object(
  {
    published: Type.Boolean({
      description: 'false for a draft: deadlines reaching the year say complete: false',
    }),
    holidays: Type.Array(DayInput, { maxItems: 400 }),
    workdays: Type.Array(DayInput, {
      maxItems: 400,
      description: 'make-up workdays (调休上班): Saturdays and Sundays that are worked',
    }),
  },
  { additionalProperties: false },
);

/** The public reads: due dates and a year's days, on the site's calendar. */
export async function calendarRoutes(
  fastify: FastifyInstance,
  deps: { forTenant: (tenantId: string) => Promise<WorkCalendar> },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { forTenant } = deps;
  const tags = ['calendar'];

  app.get(
    '/api/v1/calendar/due',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary:
          'The last day of a time limit: N working days after the event, or N calendar days (moved to the next working day when it falls on a rest day); the event day is not counted',
        querystring: Type.Object({
          start: Type.String({ description: 'the day of the event, YYYY-MM-DD', maxLength: 10 }),
          amount: Type.Integer({ minimum: 0, maximum: 3650 }),
          unit: Type.Union(TIME_UNITS.map((u) => Type.Literal(u))),
        }),
        response: {
          200: Type.Object({
            start: Type.String(),
            amount: Type.Integer(),
            unit: Type.String(),
            due: Type.String({ description: 'YYYY-MM-DD' }),
            complete: Type.Boolean({
              description:
                'false when the period reaches a year whose official schedule is not yet in the calendar',
            }),
          }),
          400: Problem,
        },
      },
    },
    async (req) => {
      const { start, amount, unit } = req.query;
      const day = parseDate(start);
      if (!day)
        throw invalidFields([
          { field: 'start', code: 'workflow.calendar.date_invalid', params: { value: start } },
        ]);
      const r = (await forTenant(req.site.tenantId)).due(day, amount, unit);
      return { start, amount, unit, due: r.due.toISOString().slice(0, 10), complete: r.complete };
    },
  );

  app.get(
    '/api/v1/calendar/days',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: "A year's public holidays and make-up workdays (调休) on this site's calendar",
        querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        response: { 200: Year, 400: Problem },
      },
    },
    async (req) => (await forTenant(req.site.tenantId)).days(req.query.year),
  );
}

/** A site's own schedule for a year: replace the national one, or go back to it. */
export async function calendarAdminRoutes(
  fastify: FastifyInstance,
  deps: { calendars: CalendarService },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { calendars } = deps;
  const tags = ['calendar'];

  app.put(
    '/api/v1/calendar/years/:year',
    {
      config: { access: 'workflow.calendar.manage' },
      schema: {
        tags,
        summary:
          "Sets this site's schedule for a whole year (the current year or later; days already past keep what they were). Open tasks' due dates are recomputed",
        params: YearParams,
        body: YearInput,
        response: { 200: Year, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req) => calendars.setYear(auditContextOf(req), req.params.year, req.body),
  );

  app.delete(
    '/api/v1/calendar/years/:year',
    {
      config: { access: 'workflow.calendar.manage' },
      schema: {
        tags,
        summary:
          "Goes back to the national schedule for a year (the current year or later). Open tasks' due dates are recomputed",
        params: YearParams,
        response: { 200: Year, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req) => calendars.resetYear(auditContextOf(req), req.params.year),
  );
}
