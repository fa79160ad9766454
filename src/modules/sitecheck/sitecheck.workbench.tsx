/**
 * The self-check report (/workbench/site-check) for the site's administrator: the verdict and the
 * counts, the columns' ages against their thresholds as a chart and a table, the findings grouped by
 * indicator (what, where with links, measured against the threshold), the last checks, and the
 * thresholds — a plain form for those whose jurisdiction covers the site. Opening the page runs a check.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf, formValues, submitForm } from '../../kernel/http/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import {
  emptyForm,
  Field,
  Form,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
} from '../../kernel/pages/index.tsx';
import { describeFinding, describeMeasure, placeLabel } from './describe.ts';
import { FreshnessChart } from './freshness-chart.tsx';
import {
  checkThresholds,
  INDICATORS,
  THRESHOLD_RANGES,
  UNANSWERED_UNITS,
  type Finding,
  type Indicator,
  type Level,
  type Thresholds,
} from './indicators.ts';
import type { SiteCheckReport, SiteCheckService } from './sitecheck.service.ts';
import type { RunRecord } from './sitecheck.store.ts';

const BASE = '/workbench/site-check';
const access = { schema: { hide: true }, config: { access: 'site.check' as const } };
const LIGHT: Record<Level | 'passed', string> = {
  veto: 'light light-red',
  deduction: 'light light-yellow',
  notice: 'light',
  passed: 'light light-green',
};

/** An instant, Beijing time (2026-03-01 09:30). */
const beijing = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));

function Summary(props: { report: SiteCheckReport }) {
  const { t } = usePage();
  const { report } = props;
  return (
    <>
      <p role="status">
        <span class={LIGHT[report.passed ? 'passed' : 'veto']}>
          {t(report.passed ? 'sitecheck.verdict.passed' : 'sitecheck.verdict.failed')}
        </span>{' '}
        {t('sitecheck.checked_at', { at: beijing(report.checkedAt), links: report.linksChecked })}
      </p>
      <ul class="cards">
        <li class="card">
          <strong>{report.summary.veto}</strong> {t('sitecheck.summary.veto')}
        </li>
        <li class="card">
          <strong>{report.summary.deduction}</strong> {t('sitecheck.summary.deduction')}
        </li>
        <li class="card">
          <strong>{report.summary.notice}</strong> {t('sitecheck.summary.notice')}
        </li>
      </ul>
    </>
  );
}

function Columns(props: { report: SiteCheckReport }) {
  const { t } = usePage();
  const { columns } = props.report;
  if (columns.length === 0) return <p class="muted">{t('sitecheck.chart.none')}</p>;
  return (
    <>
      <FreshnessChart columns={columns} />
      <table>
        <caption>{t('sitecheck.columns.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sitecheck.columns.column')}</th>
            <th scope="col">{t('sitecheck.columns.days')}</th>
            <th scope="col">{t('sitecheck.columns.threshold')}</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => (
            <tr>
              <td>
                <a href={`/publications/categories/${c.code}`}>{c.name}</a>
              </td>
              <td>{t('sitecheck.unit.days', { n: c.days })}</td>
              <td>{t('sitecheck.unit.days', { n: c.thresholdDays })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function IndicatorSection(props: { indicator: Indicator; level: Level | null; findings: Finding[] }) {
  const { t } = usePage();
  const id = `indicator-${props.indicator}`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>
        {t(`sitecheck.indicator.${props.indicator}`)}{' '}
        <span class={LIGHT[props.level ?? 'passed']}>
          {t(props.level ? `sitecheck.level.${props.level}` : 'sitecheck.level.passed')}
        </span>
      </h3>
      {props.findings.length === 0 ? (
        <p>{t('sitecheck.nothing_found')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t(`sitecheck.indicator.${props.indicator}`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sitecheck.finding.level')}</th>
              <th scope="col">{t('sitecheck.finding.what')}</th>
              <th scope="col">{t('sitecheck.finding.where')}</th>
              <th scope="col">{t('sitecheck.finding.measured')}</th>
              <th scope="col">{t('sitecheck.finding.threshold')}</th>
            </tr>
          </thead>
          <tbody>
            {props.findings.map((f) => (
              <tr>
                <td>
                  <span class={LIGHT[f.level]}>{t(`sitecheck.level.${f.level}`)}</span>
                </td>
                <td>{describeFinding(t, f)}</td>
                <td>
                  {f.where.map((p, i) => (
                    <>
                      {i > 0 ? '、' : null}
                      <a href={p.href}>{placeLabel(t, p)}</a>
                    </>
                  ))}
                </td>
                <td>{describeMeasure(t, f.measured)}</td>
                <td>{describeMeasure(t, f.threshold)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function History(props: { runs: RunRecord[] }) {
  const { t } = usePage();
  if (props.runs.length === 0) return null;
  return (
    <table>
      <caption>{t('sitecheck.history.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('sitecheck.history.at')}</th>
          <th scope="col">{t('sitecheck.history.by')}</th>
          <th scope="col">{t('sitecheck.summary.veto')}</th>
          <th scope="col">{t('sitecheck.summary.deduction')}</th>
          <th scope="col">{t('sitecheck.summary.notice')}</th>
          <th scope="col">{t('sitecheck.history.links')}</th>
        </tr>
      </thead>
      <tbody>
        {props.runs.map((r) => (
          <tr>
            <td>
              <time dateTime={r.checkedAt}>{beijing(r.checkedAt)}</time>
            </td>
            <td>{r.checkedBy}</td>
            <td>{r.veto}</td>
            <td>{r.deduction}</td>
            <td>{r.notice}</td>
            <td>{r.linksChecked}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const NUMERIC = Object.keys(THRESHOLD_RANGES) as Exclude<keyof Thresholds, 'unansweredUnit'>[];

function ThresholdsForm(props: { thresholds: Thresholds; state: FormState; mayEdit: boolean }) {
  const { t } = usePage();
  const value = (k: keyof Thresholds) => String(props.thresholds[k]);
  if (!props.mayEdit)
    return (
      <dl class="facts">
        {NUMERIC.map((k) => (
          <>
            <dt>{t(`sitecheck.threshold.${k}`)}</dt>
            <dd>{value(k)}</dd>
          </>
        ))}
        <dt>{t('sitecheck.threshold.unansweredUnit')}</dt>
        <dd>{t(`sitecheck.unit_name.${props.thresholds.unansweredUnit}`)}</dd>
      </dl>
    );
  return (
    <Form action={`${BASE}/settings`} state={props.state} submitLabel={t('sitecheck.threshold.save')}>
      {NUMERIC.map((k) => (
        <Field
          name={k}
          label={t(`sitecheck.threshold.${k}`)}
          hint={t(`sitecheck.threshold.${k}.hint`)}
          state={props.state}
          value={value(k)}
          inputMode="numeric"
          maxLength={3}
          required
        />
      ))}
      <Field
        name="unansweredUnit"
        label={t('sitecheck.threshold.unansweredUnit')}
        state={props.state}
        value={props.thresholds.unansweredUnit}
        options={UNANSWERED_UNITS.map((u) => ({ value: u, label: t(`sitecheck.unit_name.${u}`) }))}
      />
    </Form>
  );
}

interface View {
  report: SiteCheckReport;
  runs: RunRecord[];
  mayEdit: boolean;
  state: FormState;
}

function reportPage(t: Translate, v: View) {
  const { report } = v;
  return workbenchPage(
    t,
    t('sitecheck.title'),
    <>
      <h1>{t('sitecheck.title')}</h1>
      <p class="lead">{t('sitecheck.intro')}</p>
      <SavedNotice />
      <Summary report={report} />
      <h2>{t('sitecheck.findings_heading')}</h2>
      {INDICATORS.map((indicator) => (
        <IndicatorSection
          indicator={indicator}
          level={report.indicators.find((i) => i.indicator === indicator)?.level ?? null}
          findings={report.findings.filter((f) => f.indicator === indicator)}
        />
      ))}
      <h2>{t('sitecheck.columns_heading')}</h2>
      <Columns report={report} />
      <h2>{t('sitecheck.history_heading')}</h2>
      <History runs={v.runs} />
      <h2>{t('sitecheck.thresholds_heading')}</h2>
      <p>{t('sitecheck.thresholds_text')}</p>
      <ThresholdsForm thresholds={report.thresholds} state={v.state} mayEdit={v.mayEdit} />
      <h2>{t('sitecheck.cli_heading')}</h2>
      <p>{t('sitecheck.cli_text')}</p>
      <pre>
        <code>yiwang site check --site {report.tenantId}</code>
      </pre>
    </>,
  );
}

/** A form's values as thresholds; what is not a whole number stays NaN for the range check to name. */
const thresholdsFrom = (v: Record<string, string>): Thresholds => ({
  ...(Object.fromEntries(
    NUMERIC.map((k) => [k, /^\s*\d{1,6}\s*$/.test(v[k] ?? '') ? Number(v[k]) : Number.NaN]),
  ) as Omit<Thresholds, 'unansweredUnit'>),
  unansweredUnit: v.unansweredUnit as Thresholds['unansweredUnit'],
});

export function siteCheckWorkbench(app: FastifyInstance, deps: { sitecheck: SiteCheckService }): void {
  const { sitecheck } = deps;

  async function view(req: FastifyRequest, state: FormState = emptyForm()): Promise<View> {
    const ctx = auditContextOf(req);
    const report = await sitecheck.run(ctx);
    return { report, runs: await sitecheck.history(ctx), mayEdit: sitecheck.mayEdit(ctx), state };
  }

  app.get(BASE, access, async (req, reply) => reply.page(reportPage(req.t, await view(req))));

  app.post(`${BASE}/settings`, access, async (req, reply) => {
    // The page around the form is a whole check: it is run only when the form comes back with problems.
    const problems = checkThresholds(thresholdsFrom(formValues(req.body)));
    const shown = problems.length > 0 ? await view(req) : undefined;
    return submitForm(
      req,
      reply,
      async (v) => {
        await sitecheck.setThresholds(auditContextOf(req), thresholdsFrom(v));
        return `${BASE}?saved=1`;
      },
      (state) => reportPage(req.t, { ...(shown as View), state }),
    );
  });
}
