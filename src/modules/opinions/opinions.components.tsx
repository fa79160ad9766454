/** Pieces the portal and the workbench pages of solicitations share. */
import { usePage } from '../../kernel/pages/index.tsx';
import { chinaTime, type State } from './opinion.ts';
import type { PublicOpinion, SolicitationRow, SolicitationView } from './opinion.service.ts';

/** Plain text as paragraphs, one per line. */
export function Lines(props: { text: string }) {
  return (
    <>
      {props.text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => (
          <p>{l}</p>
        ))}
    </>
  );
}

export function Period(props: { s: SolicitationRow }) {
  const { t } = usePage();
  return (
    <>
      {t('opinions.period_value', { opens: chinaTime(props.s.opensAt), closes: chinaTime(props.s.closesAt) })}
    </>
  );
}

export function StateBadge(props: { state: State }) {
  const { t } = usePage();
  return <strong class={`state state-${props.state}`}>{t(`opinions.state.${props.state}`)}</strong>;
}

/** The facts of a solicitation: who runs it, when, where it stands, the draft's links. */
export function Facts(props: {
  s: SolicitationView | (SolicitationRow & { state: State; received: number });
}) {
  const { t } = usePage();
  const s = props.s;
  return (
    <dl class="facts">
      <dt>{t('opinions.department')}</dt>
      <dd>{s.department.name}</dd>
      <dt>{t('opinions.period')}</dt>
      <dd>
        <Period s={s} />
      </dd>
      <dt>{t('opinions.state')}</dt>
      <dd>
        <StateBadge state={s.state} />
      </dd>
      {s.periodChangedAt ? (
        <>
          <dt>{t('opinions.period_changed')}</dt>
          <dd>
            {t('opinions.period_changed_value', { at: chinaTime(s.periodChangedAt), reason: s.periodReason })}
          </dd>
        </>
      ) : null}
      {s.policyId !== null ? (
        <>
          <dt>{t('opinions.draft')}</dt>
          <dd>
            {s.draftPublicationId !== null ? (
              <>
                <a href={`/publications/${s.draftPublicationId}`}>{t('opinions.draft_publication')}</a>
                {' · '}
              </>
            ) : null}
            <a href={`/policies/${s.policyId}`}>{t('opinions.policy_lifecycle')}</a>
          </dd>
        </>
      ) : null}
      <dt>{t('opinions.received')}</dt>
      <dd>{t('opinions.received_value', { count: s.received })}</dd>
    </dl>
  );
}

export function AdoptionLabel(props: { adoption: PublicOpinion['adoption'] }) {
  const { t } = usePage();
  return props.adoption ? (
    <>{t(`opinions.adoption.${props.adoption}`)}</>
  ) : (
    <>{t('opinions.adoption.none')}</>
  );
}

/** Opinions as the public sees them, with the department's answer when it is out. */
export function PublicOpinions(props: { items: PublicOpinion[]; withAdoption: boolean }) {
  const { t } = usePage();
  return (
    <ol class="opinions">
      {props.items.map((o) => (
        <li>
          <p class="meta">
            {t('opinions.written_by', { name: o.writer, at: chinaTime(o.writtenAt) })}
            {o.clause ? ` · ${t('opinions.about_clause', { clause: o.clause })}` : ''}
          </p>
          <Lines text={o.body} />
          {props.withAdoption ? (
            <p>
              <strong>
                <AdoptionLabel adoption={o.adoption} />
              </strong>
              {o.adoptionReason ? `：${o.adoptionReason}` : ''}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** 意见采纳情况反馈: the counts, the department's summary, each opinion with what came of it. */
export function Report(props: { report: NonNullable<SolicitationView['report']> }) {
  const { t } = usePage();
  const r = props.report;
  return (
    <section aria-labelledby="report">
      <h2 id="report">{t('opinions.report.title')}</h2>
      <p class="meta">{t('opinions.report.published_at', { at: chinaTime(r.publishedAt) })}</p>
      <p>{t('opinions.report.counts', r.counts)}</p>
      {r.summary ? <Lines text={r.summary} /> : null}
      {r.items.length > 0 ? <PublicOpinions items={r.items} withAdoption /> : null}
    </section>
  );
}
