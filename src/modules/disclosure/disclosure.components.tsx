/**
 * The pieces the disclosure pages share: a request's status and due date, the lists, the facts of who
 * asked and what for, where it stands, the 补正 notice, the reply and the documents.
 */
import type { ComponentChildren } from 'preact';
import { usePage } from '../../kernel/pages/index.tsx';
import type { DisclosureRequest, RequestDetail } from './request.service.ts';

const CHINA_OFFSET_MS = 8 * 3_600_000;
/** An instant as Beijing time, to the minute. */
export const chinaTime = (at: Date | string) =>
  new Date(new Date(at).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
/** The last day of a period ending at `at` (its 24:00). */
export const dueDay = (at: Date) => new Date(at.getTime() - 1 + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/** Text with its line breaks kept, one paragraph a line. */
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

export function Status(props: { r: DisclosureRequest }) {
  const { t } = usePage();
  const r = props.r;
  if (r.status === 'replied')
    return <>{`${t('disclosure.status.replied')} · ${t(`workflow.outcome.${r.outcome ?? 'completed'}`)}`}</>;
  return <>{t(`disclosure.status.${r.status}`)}</>;
}

export function Due(props: { r: DisclosureRequest }) {
  const { t } = usePage();
  const r = props.r;
  if (r.status === 'replied' || !r.dueAt) return <>—</>;
  return (
    <>
      <time dateTime={r.dueAt.toISOString()}>{dueDay(r.dueAt)}</time>
      {r.extended ? ` ${t('disclosure.extended')}` : ''}
      {r.status === 'supplement' || r.status === 'consulting' ? ` ${t('disclosure.paused')}` : ''}
    </>
  );
}

export function RequestList(props: { items: DisclosureRequest[]; base: string; staff: boolean }) {
  const { t } = usePage();
  return (
    <table>
      <caption class="visually-hidden">{t('disclosure.list.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('disclosure.case')}</th>
          {props.staff ? <th scope="col">{t('disclosure.requester')}</th> : null}
          <th scope="col">{props.staff ? t('disclosure.description') : t('disclosure.department')}</th>
          <th scope="col">{t('disclosure.received')}</th>
          <th scope="col">{t('disclosure.due')}</th>
          <th scope="col">{t('disclosure.status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((r) => {
          const summary = [...r.description.replace(/\s+/g, ' ')];
          return (
            <tr>
              <td>
                <a href={`${props.base}/${r.publicId}`}>{r.caseNumber}</a>
              </td>
              {props.staff ? <td>{r.requester.name}</td> : null}
              <td>
                {props.staff
                  ? `${summary.slice(0, 30).join('')}${summary.length > 30 ? '…' : ''}`
                  : r.department.name}
              </td>
              <td>{chinaTime(r.receivedAt)}</td>
              <td>
                <Due r={r} />
              </td>
              <td>
                <Status r={r} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Who asked, what for, and how it is to reach them. */
export function RequestFacts(props: { r: DisclosureRequest; staff: boolean; idNumber?: string | undefined }) {
  const { t } = usePage();
  const r = props.r;
  const q = r.requester;
  const row = (label: string, value: ComponentChildren) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <>
      <h2>{t('disclosure.requester')}</h2>
      <dl class="facts">
        {row(t('disclosure.requester.kind'), t(`disclosure.requester.kind.${q.kind}`))}
        {row(t(`disclosure.requester.name.${q.kind}`), q.name)}
        {q.kind === 'person'
          ? row(t('disclosure.requester.idNumber'), props.idNumber ?? q.idNumberMasked ?? '—')
          : null}
        {q.kind === 'organisation' ? (
          <>
            {row(
              t('disclosure.requester.organisationType'),
              q.organisationType ? t(`disclosure.organisation_type.${q.organisationType}`) : '—',
            )}
            {row(t('disclosure.requester.creditCode'), q.creditCode ?? '—')}
            {row(t('disclosure.requester.legalRepresentative'), q.legalRepresentative ?? '—')}
            {row(t('disclosure.requester.contactPerson'), q.contactPerson ?? '—')}
          </>
        ) : null}
        {row(t('disclosure.requester.phone'), q.phone)}
        {row(t('disclosure.requester.address'), q.address || '—')}
        {row(t('disclosure.requester.email'), q.email || '—')}
      </dl>
      <h2>{t('disclosure.sought')}</h2>
      <dl class="facts">
        {row(t('disclosure.description'), <Lines text={r.description} />)}
        {row(t('disclosure.purpose'), r.purpose ? <Lines text={r.purpose} /> : '—')}
        {row(t('disclosure.format'), t(`disclosure.format.${r.format}`))}
        {row(t('disclosure.delivery'), t(`disclosure.delivery.${r.delivery}`))}
      </dl>
    </>
  );
}

/** Where the request stands: the body, the dates, the status, what the case waits for. */
export function Progress(props: { r: RequestDetail; staff: boolean }) {
  const { t } = usePage();
  const r = props.r;
  return (
    <>
      <dl class="facts">
        <dt>{t('disclosure.case')}</dt>
        <dd>
          {props.staff ? <a href={`/workbench/cases/${r.caseNumber}`}>{r.caseNumber}</a> : r.caseNumber}
        </dd>
        <dt>{t('disclosure.department')}</dt>
        <dd>{r.department.name}</dd>
        <dt>{t('disclosure.received')}</dt>
        <dd>{chinaTime(r.receivedAt)}</dd>
        {r.supplementedAt ? (
          <>
            <dt>{t('disclosure.supplemented')}</dt>
            <dd>{chinaTime(r.supplementedAt)}</dd>
          </>
        ) : null}
        <dt>{t('disclosure.status')}</dt>
        <dd>
          <Status r={r} />
        </dd>
        <dt>{t('disclosure.due')}</dt>
        <dd>
          <Due r={r} />
        </dd>
      </dl>
      {r.stop?.endedBy === 'staff' ? (
        <p class="notice" role="status">
          {t('disclosure.consulting', {
            stop: r.stop.name,
            due: r.stop.dueAt ? dueDay(r.stop.dueAt) : '—',
          })}
        </p>
      ) : null}
    </>
  );
}

/** The 补正 notice: everything to clarify, and by when. */
export function SupplementNotice(props: { r: RequestDetail }) {
  const { t } = usePage();
  const stop = props.r.stop!;
  return (
    <section aria-labelledby="supplement-title">
      <h2 id="supplement-title">{t('disclosure.supplement.title')}</h2>
      <p>
        {t('disclosure.supplement.intro', {
          since: chinaTime(stop.since),
          due: stop.dueAt ? dueDay(stop.dueAt) : '—',
        })}
      </p>
      {stop.items.length > 0 ? (
        <ol class="stop-items">
          {stop.items.map((i) => (
            <li>
              <strong>{i.label}</strong>
              {i.note ? `：${i.note}` : ''}
            </li>
          ))}
        </ol>
      ) : null}
      {stop.reason ? <p>{stop.reason}</p> : null}
    </section>
  );
}

export function Reply(props: { r: RequestDetail }) {
  const { t } = usePage();
  const r = props.r;
  if (!r.reply) return null;
  return (
    <section aria-labelledby="reply-title">
      <h2 id="reply-title">{t('disclosure.reply.title')}</h2>
      <p>
        {t('disclosure.reply.summary', {
          department: r.department.name,
          at: chinaTime(r.reply.at),
          outcome: t(`workflow.outcome.${r.outcome ?? 'completed'}`),
        })}
      </p>
      <p class="hint">{t('disclosure.reply.remedy')}</p>
    </section>
  );
}

export function Documents(props: { r: RequestDetail }) {
  const { t } = usePage();
  if (props.r.documents.length === 0) return null;
  return (
    <section aria-labelledby="documents-title">
      <h2 id="documents-title">{t('disclosure.documents')}</h2>
      <ul>
        {props.r.documents.map((d) => (
          <li>
            <a href={d.href} download>
              {t('disclosure.documents.download', { title: d.title })}
            </a>{' '}
            <span class="muted">{chinaTime(d.at)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
