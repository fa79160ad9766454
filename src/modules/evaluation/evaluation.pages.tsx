/**
 * The applicant's 好差评 pages, without JavaScript: /account/evaluations (closed cases awaiting a
 * rating, and the ratings given with what became of each 差评) and /account/evaluations/<number>
 * (the form: the five levels as radio buttons, a comment, anonymity; each error beside its field).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ERROR_STATUS } from '../../kernel/errors.ts';
import { auditContextOf, formValues } from '../../kernel/http/index.ts';
import { toDomainError } from '../../kernel/http/problem.ts';
import {
  Field,
  Form,
  portalPage,
  SavedNotice,
  usePage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import { chinaDay, COMMENT_MAX, dueDay, EVALUATION_WINDOW_DAYS, LEVELS, levelKey } from './evaluation.ts';
import type { EvaluationService, EvaluationView } from './evaluation.service.ts';

const BASE = '/account/evaluations';

/** The five levels as one required radio group; its error is tied to the group and its first button. */
function LevelChoice(props: { state: FormState }) {
  const { t } = usePage();
  const problem = props.state.problems.find((p) => p.field === 'level');
  const id = 'field-level';
  return (
    <fieldset
      class={problem ? 'field field-error' : 'field'}
      aria-describedby={problem ? `${id}-error` : undefined}
    >
      <legend>
        {t('evaluation.form.level')}
        <span class="required"> {t('form.required')}</span>
      </legend>
      {problem ? (
        <p class="error-message" id={`${id}-error`}>
          {t(problem.code, problem.params)}
        </p>
      ) : null}
      {LEVELS.map((l, i) => (
        <label class="choice">
          <input
            id={i === 0 ? id : `${id}-${l.value}`}
            type="radio"
            name="level"
            value={String(l.value)}
            checked={props.state.values.level === String(l.value)}
            required
            aria-invalid={problem ? 'true' : undefined}
          />{' '}
          {t(`evaluation.level.${l.key}`)}
        </label>
      ))}
    </fieldset>
  );
}

/** Text with its line breaks kept (the stylesheet has no pre-line, and inline styles are refused). */
function Lines(props: { text: string }) {
  return (
    <>
      {props.text.split('\n').map((line, i) => (
        <>
          {i > 0 ? <br /> : null}
          {line}
        </>
      ))}
    </>
  );
}

/** What became of a 差评, as the rater sees it. */
function Rectification(props: { e: EvaluationView }) {
  const { t } = usePage();
  const r = props.e.rectification;
  if (!r) return <>{props.e.bad ? '' : t('evaluation.rectification.none')}</>;
  if (!r.closedAt) return <>{t('evaluation.rectification.open', { due: r.dueAt ? dueDay(r.dueAt) : '—' })}</>;
  return (
    <>
      {t('evaluation.rectification.closed', { date: chinaDay(r.closedAt) })}
      {r.outcome ? ` · ${t(`workflow.outcome.${r.outcome}`)}` : ''}
    </>
  );
}

function EvaluationFacts(props: { e: EvaluationView }) {
  const { t } = usePage();
  const { e } = props;
  return (
    <dl class="facts">
      <dt>{t('evaluation.form.level')}</dt>
      <dd>{t(levelKey(e.level))}</dd>
      <dt>{t('evaluation.form.comment')}</dt>
      <dd>
        <Lines text={e.comment || '—'} />
      </dd>
      <dt>{t('evaluation.evaluated_at')}</dt>
      <dd>{chinaDay(e.evaluatedAt)}</dd>
      <dt>{t('evaluation.form.anonymous')}</dt>
      <dd>{e.anonymous ? t('evaluation.yes') : t('evaluation.no')}</dd>
      {e.bad ? (
        <>
          <dt>{t('evaluation.rectification.title_short')}</dt>
          <dd>
            <Rectification e={e} />
          </dd>
          {e.rectification?.reply ? (
            <>
              <dt>{t('evaluation.rectification.reply')}</dt>
              <dd>
                <Lines text={e.rectification.reply} />
              </dd>
            </>
          ) : null}
        </>
      ) : null}
    </dl>
  );
}

export function evaluationPages(app: FastifyInstance, deps: { evaluations: EvaluationService }): void {
  const { evaluations } = deps;
  const config = { access: 'account.self' as const };
  const schema = { hide: true };

  app.get(BASE, { schema, config }, async (req, reply) => {
    const t = req.t;
    const { awaiting, given } = await evaluations.mine(auditContextOf(req));
    return reply.page(
      portalPage(
        t,
        t('evaluation.mine.title'),
        <>
          <h1>{t('evaluation.mine.title')}</h1>
          <p>{t('evaluation.mine.intro', { days: EVALUATION_WINDOW_DAYS })}</p>
          <h2>{t('evaluation.mine.awaiting')}</h2>
          {awaiting.length === 0 ? (
            <p role="status">{t('evaluation.mine.none_awaiting')}</p>
          ) : (
            <table>
              <caption class="visually-hidden">{t('evaluation.mine.awaiting')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('evaluation.case_number')}</th>
                  <th scope="col">{t('evaluation.case_title')}</th>
                  <th scope="col">{t('evaluation.closed_at')}</th>
                  <th scope="col">{t('evaluation.until')}</th>
                </tr>
              </thead>
              <tbody>
                {awaiting.map((i) => (
                  <tr>
                    <td>
                      <a href={`${BASE}/${i.caseNumber}`}>{i.caseNumber}</a>
                    </td>
                    <td>
                      <a href={`${BASE}/${i.caseNumber}`}>
                        {t('evaluation.mine.rate', { title: i.caseTitle })}
                      </a>
                    </td>
                    <td>{chinaDay(i.closedAt)}</td>
                    <td>{chinaDay(i.until)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t('evaluation.mine.given')}</h2>
          {given.length === 0 ? (
            <p role="status">{t('evaluation.mine.none_given')}</p>
          ) : (
            <table>
              <caption class="visually-hidden">{t('evaluation.mine.given')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('evaluation.case_number')}</th>
                  <th scope="col">{t('evaluation.case_title')}</th>
                  <th scope="col">{t('evaluation.form.level')}</th>
                  <th scope="col">{t('evaluation.evaluated_at')}</th>
                  <th scope="col">{t('evaluation.rectification.title_short')}</th>
                </tr>
              </thead>
              <tbody>
                {given.map((e) => (
                  <tr>
                    <td>
                      <a href={`${BASE}/${e.caseNumber}`}>{e.caseNumber}</a>
                    </td>
                    <td>{e.caseTitle}</td>
                    <td>{t(levelKey(e.level))}</td>
                    <td>{chinaDay(e.evaluatedAt)}</td>
                    <td>
                      <Rectification e={e} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>,
      ),
    );
  });

  /** The case's page: its evaluation, or the form while it may be given, or why it may not. */
  async function casePage(req: FastifyRequest, number: string, state?: FormState): Promise<PageContent> {
    const t = req.t;
    const r = await evaluations.forCase(auditContextOf(req), number);
    const title = t('evaluation.case.title', { number: r.caseNumber });
    const body = (
      <>
        <h1>
          {r.caseTitle} <small class="muted">{r.caseNumber}</small>
        </h1>
        <SavedNotice />
        {state?.formProblem && !r.evaluableUntil ? (
          <div class="error-summary" role="alert" tabIndex={-1}>
            <p>{state.formProblem}</p>
          </div>
        ) : null}
        {r.evaluation ? (
          <EvaluationFacts e={r.evaluation} />
        ) : r.evaluableUntil ? (
          <>
            <p>
              {t('evaluation.case.intro', {
                closed: r.closedAt ? chinaDay(r.closedAt) : '—',
                until: chinaDay(r.evaluableUntil),
              })}
            </p>
            <Form
              action={`${BASE}/${r.caseNumber}`}
              submitLabel={t('evaluation.form.submit')}
              state={state ?? { values: {}, problems: [] }}
            >
              <LevelChoice state={state ?? { values: {}, problems: [] }} />
              <Field
                name="comment"
                label={t('evaluation.form.comment')}
                hint={t('evaluation.form.comment_hint', { max: COMMENT_MAX })}
                state={state}
                rows={5}
                maxLength={COMMENT_MAX}
              />
              <div class="field">
                <label class="checkbox">
                  <input
                    type="checkbox"
                    name="anonymous"
                    value="1"
                    checked={state?.values.anonymous === '1'}
                  />{' '}
                  {t('evaluation.form.anonymous_hint')}
                </label>
              </div>
            </Form>
          </>
        ) : (
          <p role="status">
            {r.status !== 'closed'
              ? t('evaluation.case.not_closed')
              : t('evaluation.case.window_closed', { days: EVALUATION_WINDOW_DAYS })}
          </p>
        )}
        <p>
          <a href={`/account/cases/${r.caseNumber}`}>{t('evaluation.case.see_case')}</a>
        </p>
      </>
    );
    const page = portalPage(t, title, body);
    page.breadcrumbs?.splice(1, 0, { href: BASE, label: t('evaluation.mine.title') });
    return page;
  }

  const numberOf = (req: FastifyRequest) => (req.params as { number: string }).number;

  app.get(`${BASE}/:number`, { schema, config }, async (req, reply) =>
    reply.page(await casePage(req, numberOf(req))),
  );

  app.post(`${BASE}/:number`, { schema, config }, async (req, reply) => {
    const number = numberOf(req);
    const values = formValues(req.body);
    try {
      await evaluations.evaluate(auditContextOf(req), number, {
        level: /^[1-5]$/.test(values.level ?? '') ? Number(values.level) : 0,
        comment: values.comment ?? '',
        anonymous: values.anonymous === '1',
      });
    } catch (e) {
      const domain = toDomainError(e);
      if (!domain || (domain.kind !== 'invalid' && domain.kind !== 'conflict')) throw e;
      const state: FormState =
        domain.fields.length > 0
          ? { values, problems: domain.fields }
          : { values, problems: [], formProblem: req.t(domain.code, domain.params) };
      return reply.page(await casePage(req, number, state), ERROR_STATUS[domain.kind]);
    }
    return reply.redirect(`${BASE}/${number}?saved=1`, 303);
  });
}
