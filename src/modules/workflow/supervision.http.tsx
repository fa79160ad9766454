/**
 * Supervision (电子监察) for supervisors: the API and the dashboard — open tasks by light per
 * department, on-time rate, average handling days, overdue count, the ranking, a chart of the on-time
 * rate by department, and the drill-down to the tasks. Urging (督办) and cards are case actions.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { invalidFields } from '../../kernel/errors.ts';
import { Field, Pagination, usePage, workbenchPage, RateBars } from '../../kernel/pages/index.tsx';
import type { DepartmentRef } from './case.service.ts';
import { chinaDate, dueDay, endOfChinaDay, startOfChinaDay, type Light } from './deadline.ts';
import { LightTag } from './case.workbench.tsx';
import type { DepartmentFigures, Period, Supervision } from './supervision.ts';

const Problem = Type.Ref('Problem');
const PAGE = 50;

/** The period of closing dates: ?from=YYYY-MM-DD&to=YYYY-MM-DD (China days), by default the last 30 days. */
function periodOf(
  q: { from?: string | undefined; to?: string | undefined },
  now: Date,
): Period & { fromDay: string; toDay: string } {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const toDay = q.to && day.test(q.to) ? q.to : chinaDate(now);
  const fromDay = q.from && day.test(q.from) ? q.from : chinaDate(new Date(now.getTime() - 29 * 86_400_000));
  const from = startOfChinaDay(fromDay);
  const to = endOfChinaDay(toDay);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to)
    throw invalidFields([{ field: 'from', code: 'workflow.supervision.period_invalid' }]);
  return { from, to, fromDay, toDay };
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function OnTimeChart(props: { rows: DepartmentFigures[]; names: Map<number, string> }) {
  const { t } = usePage();
  const rows = props.rows.filter((r) => r.onTimeRate !== null);
  if (rows.length === 0) return <p class="muted">{t('workflow.supervision.no_rate')}</p>;
  return (
    <RateBars
      id="ontime-title"
      title={t('workflow.supervision.chart_title')}
      caption={t('workflow.supervision.chart_caption')}
      bars={rows.map((r) => ({
        label: props.names.get(r.departmentId) ?? `#${r.departmentId}`,
        rate: r.onTimeRate,
      }))}
    />
  );
}

export function supervisionHttp(
  fastify: FastifyInstance,
  deps: {
    supervision: Supervision;
    listDepartments(tenantId: string): Promise<DepartmentRef[]>;
    now?: () => Date;
  },
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { supervision } = deps;
  const now = () => deps.now?.() ?? new Date();
  const Query = Type.Object({
    from: Type.Optional(
      Type.String({ maxLength: 10, description: 'first closing day, YYYY-MM-DD (default: 29 days ago)' }),
    ),
    to: Type.Optional(
      Type.String({ maxLength: 10, description: 'last closing day, YYYY-MM-DD (default: today)' }),
    ),
    division: Type.Optional(
      Type.String({ maxLength: 12, description: 'a division inside the jurisdiction' }),
    ),
  });
  const Figures = Type.Object({
    departmentId: Type.Integer(),
    department: Type.String(),
    divisionCode: Type.String(),
    open: Type.Integer(),
    green: Type.Integer(),
    yellow: Type.Integer(),
    red: Type.Integer(),
    done: Type.Integer(),
    onTime: Type.Integer(),
    onTimeRate: Type.Union([Type.Number(), Type.Null()]),
    averageDays: Type.Union([Type.Number(), Type.Null()]),
    overdue: Type.Integer(),
    rank: Type.Integer(),
  });

  const figures = async (
    req: FastifyRequest,
    q: { from?: string | undefined; to?: string | undefined; division?: string | undefined },
  ) => {
    const period = periodOf(q, now());
    const [rows, departments] = await Promise.all([
      supervision.departments(req.actor!, req.site.tenantId, period, q.division || undefined),
      deps.listDepartments(req.site.tenantId),
    ]);
    const names = new Map(departments.map((d) => [d.id, d.name]));
    return { period, rows, names };
  };

  app.get(
    '/api/v1/supervision/departments',
    {
      config: { access: 'case.supervise' },
      schema: {
        tags: ['supervision'],
        summary:
          'Per department of the jurisdiction: open tasks by light, on-time rate, average working days, overdue; ranked',
        querystring: Query,
        response: {
          200: Type.Object({ from: Type.String(), to: Type.String(), items: Type.Array(Figures) }),
          400: Problem,
          404: Problem,
        },
      },
    },
    async (req) => {
      const { period, rows, names } = await figures(req, req.query);
      return {
        from: period.fromDay,
        to: period.toDay,
        items: rows.map((r, i) => ({ ...r, department: names.get(r.departmentId) ?? '', rank: i + 1 })),
      };
    },
  );

  app.get(
    '/api/v1/supervision/tasks',
    {
      config: { access: 'case.supervise' },
      schema: {
        tags: ['supervision'],
        summary: 'The open tasks behind a figure (drill-down), most urgent first',
        querystring: Type.Object({
          departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
          light: Type.Optional(
            Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red')]),
          ),
          division: Type.Optional(Type.String({ maxLength: 12 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            items: Type.Array(
              Type.Object({
                caseNumber: Type.String(),
                caseTitle: Type.String(),
                task: Type.Integer(),
                step: Type.String(),
                departmentId: Type.Integer(),
                dueAt: Type.Union([Type.String(), Type.Null()]),
                light: Type.String(),
                stopped: Type.Boolean(),
                urged: Type.Boolean(),
              }),
            ),
          }),
          404: Problem,
        },
      },
    },
    async (req) => {
      const page = await supervision.tasks(req.actor!, req.site.tenantId, req.query);
      return {
        total: page.total,
        items: page.items.map((t) => ({
          caseNumber: t.caseNumber,
          caseTitle: t.caseTitle,
          task: t.task,
          step: t.step,
          departmentId: t.departmentId,
          dueAt: t.dueAt?.toISOString() ?? null,
          light: t.light,
          stopped: t.stopped,
          urged: t.urged,
        })),
      };
    },
  );

  app.get(
    '/workbench/supervision',
    { schema: { hide: true }, config: { access: 'case.supervise' } },
    async (req, reply) => {
      const t = req.t;
      const q = req.query as { from?: string; to?: string };
      const { period, rows, names } = await figures(req, { from: q.from, to: q.to });
      const total = rows.reduce(
        (a, r) => ({
          open: a.open + r.open,
          yellow: a.yellow + r.yellow,
          red: a.red + r.red,
          done: a.done + r.done,
          onTime: a.onTime + r.onTime,
        }),
        { open: 0, yellow: 0, red: 0, done: 0, onTime: 0 },
      );
      const drill = (departmentId: number, light: Light) =>
        `/workbench/supervision/tasks?departmentId=${departmentId}&light=${light}`;
      return reply.page(
        workbenchPage(
          t,
          t('workflow.supervision.title'),
          <>
            <h1>{t('workflow.supervision.title')}</h1>
            <form method="get" action="/workbench/supervision" class="search-form">
              <Field name="from" label={t('workflow.supervision.from')} type="date" value={period.fromDay} />
              <Field name="to" label={t('workflow.supervision.to')} type="date" value={period.toDay} />
              <button type="submit">{t('workflow.tasks.filter')}</button>
            </form>
            <ul class="cards">
              <li class="card">
                <strong>{total.open}</strong> {t('workflow.supervision.open')}
              </li>
              <li class="card">
                <a href="/workbench/supervision/tasks?light=yellow">
                  <strong>{total.yellow}</strong> {t('workflow.light.yellow')}
                </a>
              </li>
              <li class="card">
                <a href="/workbench/supervision/tasks?light=red">
                  <strong>{total.red}</strong> {t('workflow.light.red')}
                </a>
              </li>
              <li class="card">
                <strong>{pct(total.done ? total.onTime / total.done : null)}</strong>{' '}
                {t('workflow.supervision.on_time_rate')}
              </li>
            </ul>
            <h2>{t('workflow.supervision.chart_title')}</h2>
            <OnTimeChart rows={rows} names={names} />
            <h2>{t('workflow.supervision.ranking')}</h2>
            {rows.length === 0 ? (
              <p role="status">{t('workflow.supervision.none')}</p>
            ) : (
              <table>
                <caption class="visually-hidden">{t('workflow.supervision.ranking')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('workflow.supervision.rank')}</th>
                    <th scope="col">{t('workflow.task.department')}</th>
                    <th scope="col">{t('workflow.light.green')}</th>
                    <th scope="col">{t('workflow.light.yellow')}</th>
                    <th scope="col">{t('workflow.light.red')}</th>
                    <th scope="col">{t('workflow.supervision.done')}</th>
                    <th scope="col">{t('workflow.supervision.on_time_rate')}</th>
                    <th scope="col">{t('workflow.supervision.average_days')}</th>
                    <th scope="col">{t('workflow.supervision.overdue')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr>
                      <td>{i + 1}</td>
                      <td>
                        <a href={`/workbench/supervision/tasks?departmentId=${r.departmentId}`}>
                          {names.get(r.departmentId) ?? r.departmentId}
                        </a>
                      </td>
                      <td>{r.green}</td>
                      <td>{r.yellow > 0 ? <a href={drill(r.departmentId, 'yellow')}>{r.yellow}</a> : 0}</td>
                      <td>{r.red > 0 ? <a href={drill(r.departmentId, 'red')}>{r.red}</a> : 0}</td>
                      <td>{r.done}</td>
                      <td>{pct(r.onTimeRate)}</td>
                      <td>{r.averageDays ?? '—'}</td>
                      <td>{r.overdue}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>,
        ),
      );
    },
  );

  app.get(
    '/workbench/supervision/tasks',
    { schema: { hide: true }, config: { access: 'case.supervise' } },
    async (req, reply) => {
      const t = req.t;
      const q = req.query as { departmentId?: string; light?: string; offset?: string };
      const departmentId =
        q.departmentId && /^\d{1,9}$/.test(q.departmentId) ? Number(q.departmentId) : undefined;
      const light = q.light === 'green' || q.light === 'yellow' || q.light === 'red' ? q.light : undefined;
      const offset = Math.max(0, Math.min(1_000_000, Number(q.offset) || 0));
      const [page, departments] = await Promise.all([
        supervision.tasks(req.actor!, req.site.tenantId, { departmentId, light, limit: PAGE, offset }),
        deps.listDepartments(req.site.tenantId),
      ]);
      const names = new Map(departments.map((d) => [d.id, d.name]));
      const base = `/workbench/supervision/tasks?${departmentId ? `departmentId=${departmentId}&` : ''}${light ? `light=${light}` : ''}`;
      return reply.page(
        workbenchPage(
          t,
          t('workflow.supervision.tasks'),
          <>
            <h1>
              {t('workflow.supervision.tasks')}
              {departmentId ? ` · ${names.get(departmentId) ?? departmentId}` : ''}
              {light ? ` · ${t(`workflow.light.${light}`)}` : ''}
            </h1>
            {page.items.length === 0 ? (
              <p role="status">{t('workflow.tasks.none')}</p>
            ) : (
              <table>
                <caption class="visually-hidden">{t('workflow.supervision.tasks')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('workflow.case.number')}</th>
                    <th scope="col">{t('workflow.case.title')}</th>
                    <th scope="col">{t('workflow.task.department')}</th>
                    <th scope="col">{t('workflow.task.due')}</th>
                    <th scope="col">{t('workflow.task.light')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((r) => (
                    <tr>
                      <td>
                        <a href={`/workbench/cases/${r.caseNumber}`}>{r.caseNumber}</a>
                      </td>
                      <td>
                        {r.caseTitle}
                        {r.urged ? <span class="tag"> {t('workflow.case.urged')}</span> : null}
                      </td>
                      <td>{names.get(r.departmentId) ?? r.departmentId}</td>
                      <td>{r.dueAt ? dueDay(r.dueAt) : '—'}</td>
                      <td>
                        <LightTag light={r.light} stopped={r.stopped} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pagination base={base} offset={offset} limit={PAGE} total={page.total} />
          </>,
          [{ href: '/workbench/supervision', label: t('workflow.supervision.title') }],
        ),
      );
    },
  );
}
