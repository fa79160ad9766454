/**
 * What the portal and the workbench both show of a policy: its lifecycle as a timeline of steps (the
 * current one marked), and the implementation matrix — departments × periods, each cell a report's
 * state in words with its light's colour repeating them, and whether it came in time.
 */
import { usePage } from '../../kernel/pages/index.tsx';
import { chinaDay, PERIODS, type Stage } from './policy.ts';
import type { PolicyView, PublicationLink, ReportView } from './policy.read.ts';

const day = (d: Date | null) => (d ? chinaDay(d) : '—');

/** The step each stage stands at (revised and repealed are both the last). */
const STEP_OF: Record<Stage, number> = {
  draft: 0,
  consultation: 1,
  published: 2,
  implementing: 4,
  evaluated: 5,
  revised: 6,
  repealed: 6,
};

export function PublicationAnchor(props: { link: PublicationLink | null }) {
  const { t } = usePage();
  const l = props.link;
  if (!l) return <>{t('policies.link.not_public')}</>;
  return (
    <>
      <a href={l.url}>{l.title}</a>
      {l.validity !== 'valid' ? `（${t(`publications.validity.${l.validity}`)}）` : ''}
      {l.status !== 'published' ? `（${t(`publications.status.${l.status}`)}）` : ''}
    </>
  );
}

export function Lifecycle(props: { policy: PolicyView }) {
  const { t } = usePage();
  const p = props.policy;
  const current = STEP_OF[p.stage];
  const c = p.consultation;
  const steps: { key: string; reached: boolean; body: preact.ComponentChildren }[] = [
    {
      key: 'draft',
      reached: true,
      body: t('policies.timeline.drafted', { date: day(p.createdAt), department: p.department.name }),
    },
    {
      key: 'consultation',
      reached: !!c,
      body: c ? (
        <>
          {t('policies.timeline.consultation', { opens: c.opensOn, closes: c.closesOn, days: c.days })}{' '}
          <strong>{t(`policies.consultation.state.${c.state}`)}</strong>
          {c.shortReason ? (
            <> · {t('policies.consultation.short_reason', { reason: c.shortReason })}</>
          ) : null}
          <br />
          {t('policies.link.consultation_draft')}：<PublicationAnchor link={c.draft} />
          <br />
          {c.feedback
            ? t('policies.consultation.feedback', {
                received: c.feedback.received,
                adopted: c.feedback.adopted,
              })
            : t('policies.consultation.comments_coming')}
          {c.feedback?.summary ? (
            <>
              {' '}
              <a href={c.feedback.summary.href}>{c.feedback.summary.title}</a>
            </>
          ) : null}
        </>
      ) : current > 1 ? (
        t('policies.timeline.no_consultation')
      ) : (
        t('policies.timeline.pending')
      ),
    },
    {
      key: 'published',
      reached: current >= 2,
      body: (
        <>
          {p.publishedAt ? t('policies.timeline.published', { date: day(p.publishedAt) }) + ' ' : ''}
          {p.document ? (
            <PublicationAnchor link={p.document} />
          ) : current >= 2 ? null : (
            t('policies.timeline.pending')
          )}
        </>
      ),
    },
    {
      key: 'interpretation',
      reached: p.interpretations.length > 0,
      body:
        p.interpretations.length === 0
          ? t('policies.timeline.no_interpretation')
          : p.interpretations.map((l, i) => (
              <>
                {i > 0 ? <br /> : null}
                <PublicationAnchor link={l} />
              </>
            )),
    },
    {
      key: 'implementing',
      reached: p.tasks.length > 0,
      body:
        p.tasks.length === 0
          ? t('policies.timeline.pending')
          : t('policies.timeline.tasks', {
              departments: p.tasks.map((x) => x.department.name).join('、'),
            }),
    },
    {
      key: 'evaluated',
      reached: !!p.evaluatedAt,
      body: p.evaluatedAt ? (
        <>
          {t('policies.timeline.evaluated', { date: day(p.evaluatedAt) })}{' '}
          <PublicationAnchor link={p.evaluationReport} />
        </>
      ) : (
        t('policies.timeline.pending')
      ),
    },
    {
      key: 'ended',
      reached: p.stage === 'revised' || p.stage === 'repealed',
      body:
        p.stage === 'repealed' ? (
          t('policies.timeline.repealed', { date: day(p.repealedAt), reason: p.repealReason })
        ) : p.revisedBy ? (
          <>
            {p.stage === 'revised'
              ? t('policies.timeline.revised', { date: day(p.revisedAt) })
              : t('policies.timeline.revision_started')}{' '}
            <a href={`/policies/${p.revisedBy.id}`}>{p.revisedBy.title}</a>
          </>
        ) : (
          t('policies.timeline.in_force')
        ),
    },
  ];
  return (
    <ol class="timeline lifecycle">
      {steps.map((s, i) => (
        <li aria-current={i === current ? 'step' : undefined}>
          <strong>{t(`policies.step.${s.key}`)}</strong>
          {' · '}
          {i === current
            ? t('policies.step_state.current')
            : s.reached
              ? t('policies.step_state.done')
              : t('policies.step_state.open')}
          <div>{s.body}</div>
        </li>
      ))}
    </ol>
  );
}

function Cell(props: { r: ReportView | undefined; caseLinks: boolean }) {
  const { t } = usePage();
  const r = props.r;
  if (!r) return <td>—</td>;
  return (
    <td>
      <span class={`light light-${r.light}`}>{t(`policies.report.state.${r.state}`)}</span>
      {r.onTime !== null ? <> {r.onTime ? t('policies.report.on_time') : t('policies.report.late')}</> : null}
      <br />
      <small>{t('policies.report.due', { date: r.dueOn })}</small>
      {props.caseLinks && r.caseNumber ? (
        <>
          {' '}
          <a href={`/workbench/cases/${r.caseNumber}`} title={r.caseNumber}>
            {t('policies.matrix.case')}
          </a>
        </>
      ) : null}
    </td>
  );
}

/**
 * Departments × periods, one table for the monthly reports and one for the quarterly ones; a
 * department whose horizon has no such period shows a dash.
 */
export function ImplementationMatrix(props: { policy: PolicyView; caseLinks: boolean }) {
  const { t } = usePage();
  return (
    <>
      {PERIODS.map((period) => {
        const tasks = props.policy.tasks.filter((x) => x.period === period && x.reports.length > 0);
        if (tasks.length === 0) return null;
        const periods = [
          ...new Map(tasks.flatMap((x) => x.reports).map((r) => [r.label, r.start] as const)).entries(),
        ].sort((a, b) => a[1].localeCompare(b[1]));
        return (
          <table class="implementation-matrix">
            <caption>{t('policies.matrix.caption', { period: t(`policies.period.${period}`) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('policies.matrix.department')}</th>
                {periods.map(([label]) => (
                  <th scope="col">{label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {tasks.map((x) => (
                <tr>
                  <th scope="row">{x.department.name}</th>
                  {periods.map(([label]) => (
                    <Cell r={x.reports.find((r) => r.label === label)} caseLinks={props.caseLinks} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </>
  );
}
