/**
 * The security events page (安全事件) for the security administrator ('security.events'): alerts the
 * audit chain shows for a time window — failed-login bursts, lockouts, staff logins from a new address,
 * bulk personal-data views — each with the entries behind it.
 */
import type { FastifyInstance } from 'fastify';
import {
  DEFAULT_EVENTS_HOURS,
  FAILED_LOGIN_BURST,
  FAILED_LOGIN_WINDOW_MINUTES,
  NEW_IP_LOOKBACK_DAYS,
  PII_VIEW_BURST,
  PII_VIEW_WINDOW_MINUTES,
  securityEvents,
  type SecurityAlert,
} from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import { Field, usePage, workbenchPage, type FormState } from '../../kernel/pages/index.tsx';
import { siteTime } from './audit.format.ts';
import { ErrorSummary } from './audit.workbench.tsx';
import { scopeOf } from './audit.scope.ts';
import { ALERT_KINDS, alertAuditUrl, parseEventWindow, WINDOW_HOURS } from './security.events.ts';

/** How many chain numbers a row lists before "and N more". */
const SHOWN_SEQS = 5;

function windowLabel(t: Translate, hours: number) {
  return hours % 24 === 0
    ? t('security.events.last_days', { days: hours / 24 })
    : t('security.events.last_hours', { hours });
}

function WindowForm(props: { state: FormState }) {
  const { t } = usePage();
  const s = props.state;
  return (
    <form method="get" action="/workbench/security/events" class="filter-form" novalidate>
      <ErrorSummary problems={s.problems} />
      <fieldset>
        <legend>{t('security.events.window')}</legend>
        <Field
          name="hours"
          label={t('security.events.period')}
          state={s}
          options={WINDOW_HOURS.map((h) => ({ value: String(h), label: windowLabel(t, h) }))}
        />
        <Field name="from" label={t('audit.filter.from')} hint={t('security.events.range_hint')} state={s} />
        <Field name="to" label={t('audit.filter.to')} hint={t('audit.filter.time_hint')} state={s} />
      </fieldset>
      <p>
        <button type="submit">{t('security.events.submit')}</button>
      </p>
    </form>
  );
}

function subjectText(t: Translate, a: SecurityAlert) {
  if (a.kind === 'new_staff_ip') return t('security.subject.new_ip', { subject: a.subject, ip: a.ip ?? '' });
  return t(`security.subject.${a.subjectType}`, { subject: a.subject });
}

function EntriesCell(props: { alert: SecurityAlert; canRead: boolean }) {
  const { t } = usePage();
  const a = props.alert;
  const numbers = a.seqs
    .slice(0, SHOWN_SEQS)
    .map((s, i) => (s === null ? t('security.events.unsealed_id', { id: a.entryIds[i] ?? '' }) : `#${s}`))
    .join(t('security.events.separator'));
  const more = a.count > SHOWN_SEQS ? t('security.events.more', { count: a.count }) : '';
  return (
    <>
      <span>
        {numbers}
        {more}
      </span>
      {props.canRead ? (
        <>
          <br />
          <a
            href={alertAuditUrl(a)}
            aria-label={t('security.events.view_entries_of', {
              kind: t(`security.kind.${a.kind}`),
              subject: a.subject,
            })}
          >
            {t('security.events.view_entries')}
          </a>
        </>
      ) : null}
    </>
  );
}

function AlertTable(props: { alerts: SecurityAlert[]; canRead: boolean }) {
  const { t } = usePage();
  return (
    <table class="security-events">
      <caption>{t('security.events.caption', { count: props.alerts.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('security.events.kind')}</th>
          <th scope="col">{t('security.events.subject')}</th>
          <th scope="col">{t('security.events.first')}</th>
          <th scope="col">{t('security.events.last')}</th>
          <th scope="col">{t('security.events.count')}</th>
          <th scope="col">{t('security.events.entries')}</th>
        </tr>
      </thead>
      <tbody>
        {props.alerts.map((a) => (
          <tr>
            <th scope="row">{t(`security.kind.${a.kind}`)}</th>
            <td>{subjectText(t, a)}</td>
            <td>
              <time dateTime={a.firstAt.toISOString()}>{siteTime(a.firstAt)}</time>
            </td>
            <td>
              <time dateTime={a.lastAt.toISOString()}>{siteTime(a.lastAt)}</time>
            </td>
            <td>{a.count}</td>
            <td>
              <EntriesCell alert={a} canRead={props.canRead} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Rules() {
  const { t } = usePage();
  return (
    <section aria-labelledby="security-rules">
      <h2 id="security-rules">{t('security.rules.heading')}</h2>
      <dl class="facts">
        <dt>{t('security.kind.failed_login_burst')}</dt>
        <dd>
          {t('security.rules.failed_login_burst', {
            count: FAILED_LOGIN_BURST,
            minutes: FAILED_LOGIN_WINDOW_MINUTES,
          })}
        </dd>
        <dt>{t('security.kind.lockout')}</dt>
        <dd>{t('security.rules.lockout')}</dd>
        <dt>{t('security.kind.new_staff_ip')}</dt>
        <dd>{t('security.rules.new_staff_ip', { days: NEW_IP_LOOKBACK_DAYS })}</dd>
        <dt>{t('security.kind.bulk_pii_view')}</dt>
        <dd>
          {t('security.rules.bulk_pii_view', { count: PII_VIEW_BURST, minutes: PII_VIEW_WINDOW_MINUTES })}
        </dd>
      </dl>
    </section>
  );
}

export function EventsPage(props: {
  state: FormState;
  alerts: SecurityAlert[] | null;
  from: Date;
  before: Date;
  canRead: boolean;
}) {
  const { t } = usePage();
  const alerts = props.alerts;
  return (
    <>
      <h1>{t('security.events')}</h1>
      <p>{t('security.events.intro')}</p>
      <WindowForm state={props.state} />
      {alerts ? (
        <section aria-labelledby="security-alerts">
          <h2 id="security-alerts">
            {t('security.events.range', {
              from: siteTime(props.from),
              to: siteTime(new Date(props.before.getTime() - 1)),
            })}
          </h2>
          <ul class="inline-list">
            {ALERT_KINDS.map((k) => (
              <li>
                {t('security.events.kind_count', {
                  kind: t(`security.kind.${k}`),
                  count: alerts.filter((a) => a.kind === k).length,
                })}
              </li>
            ))}
          </ul>
          {alerts.length === 0 ? (
            <p role="status">{t('security.events.none')}</p>
          ) : (
            <>
              {props.canRead ? null : <p class="hint">{t('security.events.audit_duty')}</p>}
              <AlertTable alerts={alerts} canRead={props.canRead} />
            </>
          )}
        </section>
      ) : null}
      <Rules />
    </>
  );
}

export function securityWorkbenchPages(app: FastifyInstance, db: Database): void {
  app.get(
    '/workbench/security/events',
    { schema: { hide: true }, config: { access: 'security.events' } },
    async (req, reply) => {
      const w = parseEventWindow(req.query);
      const state: FormState = {
        values: { ...w.values, hours: w.values.hours || String(DEFAULT_EVENTS_HOURS) },
        problems: w.problems,
      };
      const canRead = req.actor?.permissions.has('audit.read') ?? false;
      if (w.problems.length > 0) {
        return reply.page(
          workbenchPage(
            req.t,
            req.t('security.events'),
            <EventsPage state={state} alerts={null} from={w.from} before={w.before} canRead={canRead} />,
          ),
          400,
        );
      }
      const alerts = await securityEvents(
        db,
        req.site.tenantId,
        { from: w.from, before: w.before },
        scopeOf(req.actor),
      );
      return reply.page(
        workbenchPage(
          req.t,
          req.t('security.events'),
          <EventsPage state={state} alerts={alerts} from={w.from} before={w.before} canRead={canRead} />,
        ),
      );
    },
  );
}
