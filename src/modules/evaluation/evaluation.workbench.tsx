/**
 * 好差评 for supervisors: per department of the jurisdiction, the evaluations given in a period by
 * level, 好评率, 差评 and how many of them were rectified, ranked by 好评率, with a bar chart of it.
 */
import type { FastifyInstance } from 'fastify';
import type { Translate } from '../../kernel/i18n/index.ts';
import { Field, usePage, workbenchPage, RateBars } from '../../kernel/pages/index.tsx';
import { LEVELS } from './evaluation.ts';
import type { DepartmentFigures } from './evaluation.service.ts';
import { namedFigures, periodOf, type EvaluationHttpDeps } from './evaluation.routes.ts';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function GoodRateChart(props: { rows: DepartmentFigures[]; names: Map<number, string> }) {
  const { t } = usePage();
  const rows = props.rows.filter((r) => r.goodRate !== null);
  if (rows.length === 0) return <p class="muted">{t('evaluation.stats.none')}</p>;
  return (
    <RateBars
      id="good-rate-title"
      title={t('evaluation.stats.chart_title')}
      caption={t('evaluation.stats.chart_caption')}
      bars={rows.map((r) => ({
        label: props.names.get(r.departmentId) ?? `#${r.departmentId}`,
        rate: r.goodRate,
      }))}
    />
  );
}

function totals(rows: DepartmentFigures[]) {
  const sum = rows.reduce(
    (a, r) => ({ total: a.total + r.total, bad: a.bad + r.bad, rectified: a.rectified + r.rectified }),
    { total: 0, bad: 0, rectified: 0 },
  );
  return {
    ...sum,
    goodRate: sum.total ? (sum.total - sum.bad) / sum.total : null,
    rectificationRate: sum.bad ? sum.rectified / sum.bad : null,
  };
}

const levelHeaders = (t: Translate) =>
  [...LEVELS].map((l) => <th scope="col">{t(`evaluation.level.${l.key}`)}</th>);

export function evaluationWorkbenchPages(fastify: FastifyInstance, deps: EvaluationHttpDeps): void {
  fastify.get(
    '/workbench/evaluation',
    { schema: { hide: true }, config: { access: 'case.supervise' } },
    async (req, reply) => {
      const t = req.t;
      const q = req.query as { from?: string; to?: string };
      const period = periodOf({ from: q.from, to: q.to }, deps.now?.() ?? new Date());
      const { rows, names } = await namedFigures(deps, req.actor!, req.site.tenantId, period);
      const sum = totals(rows);
      return reply.page(
        workbenchPage(
          t,
          t('evaluation.stats.title'),
          <>
            <h1>{t('evaluation.stats.title')}</h1>
            <form method="get" action="/workbench/evaluation" class="search-form">
              <Field name="from" label={t('evaluation.stats.from')} type="date" value={period.fromDay} />
              <Field name="to" label={t('evaluation.stats.to')} type="date" value={period.toDay} />
              <button type="submit">{t('evaluation.stats.show')}</button>
            </form>
            <ul class="cards">
              <li class="card">
                <strong>{sum.total}</strong> {t('evaluation.stats.total')}
              </li>
              <li class="card">
                <strong>{pct(sum.goodRate)}</strong> {t('evaluation.stats.good_rate')}
              </li>
              <li class="card">
                <strong>{sum.bad}</strong> {t('evaluation.stats.bad')}
              </li>
              <li class="card">
                <strong>{pct(sum.rectificationRate)}</strong> {t('evaluation.stats.rectification_rate')}
              </li>
            </ul>
            <h2>{t('evaluation.stats.chart_title')}</h2>
            <GoodRateChart rows={rows} names={names} />
            <h2>{t('evaluation.stats.ranking')}</h2>
            {rows.length === 0 ? (
              <p role="status">{t('evaluation.stats.none')}</p>
            ) : (
              <table>
                <caption class="visually-hidden">{t('evaluation.stats.ranking')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('evaluation.stats.rank')}</th>
                    <th scope="col">{t('evaluation.stats.department')}</th>
                    <th scope="col">{t('evaluation.stats.total')}</th>
                    {levelHeaders(t)}
                    <th scope="col">{t('evaluation.stats.good_rate')}</th>
                    <th scope="col">{t('evaluation.stats.bad')}</th>
                    <th scope="col">{t('evaluation.stats.rectified')}</th>
                    <th scope="col">{t('evaluation.stats.rectification_rate')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr>
                      <td>{i + 1}</td>
                      <td>{names.get(r.departmentId) ?? r.departmentId}</td>
                      <td>{r.total}</td>
                      {[...LEVELS].map((l) => (
                        <td>{r.byLevel[l.value - 1]}</td>
                      ))}
                      <td>{pct(r.goodRate)}</td>
                      <td>{r.bad}</td>
                      <td>{r.rectified}</td>
                      <td>{pct(r.rectificationRate)}</td>
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
}
