/** The calendar arithmetic as a public API: due dates and the year's holidays and make-up workdays. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { invalidFields } from '../../kernel/errors.ts';
import { parseDate, TIME_UNITS, type WorkCalendar } from './calendar.ts';

const Problem = Type.Ref('Problem');
const Day = Type.Object({ date: Type.String(), name: Type.String(), nameEn: Type.String() });

export async function calendarRoutes(
  fastify: FastifyInstance,
  deps: { calendar: WorkCalendar },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { calendar } = deps;
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
      const r = calendar.due(day, amount, unit);
      return { start, amount, unit, due: r.due.toISOString().slice(0, 10), complete: r.complete };
    },
  );

  app.get(
    '/api/v1/calendar/days',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: "A year's public holidays and make-up workdays (调休)",
        querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        response: {
          200: Type.Object({
            year: Type.Integer(),
            published: Type.Boolean(),
            holidays: Type.Array(Day),
            workdays: Type.Array(Day),
          }),
          400: Problem,
        },
      },
    },
    async (req) => calendar.days(req.query.year),
  );
}
