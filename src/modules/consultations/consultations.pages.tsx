/**
 * 网上咨询 in pages, without JavaScript: the questions section of an item's guide (the answers made
 * public, and the way to ask), the asking form, the asker's questions at /account/consultations, and
 * the department's questions with the answer form at /workbench/consultations.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { auditContextOf, formValues, postLimit, submitForm } from '../../kernel/http/index.ts';
import {
  Field,
  Form,
  Pagination,
  SavedNotice,
  usePage,
  workbenchPage,
  emptyForm,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import type { Item } from '../services/index.ts';
import {
  ANSWER_MAX,
  QUESTION_MAX,
  type ConsultationService,
  type PublicQuestion,
  type Question,
} from './consultation.service.ts';

/** How many answers the guide shows; the rest are a link away. */
const ON_GUIDE = 5;
const PAGE = 20;

const CHINA_OFFSET_MS = 8 * 3_600_000;
/** An instant as Beijing time, to the minute. */
const chinaTime = (iso: string) =>
  new Date(new Date(iso).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
const chinaDay = (iso: string) => chinaTime(iso).slice(0, 10);
const todayInChina = () => chinaDay(new Date().toISOString());

/** Plain text as paragraphs, one per line. */
function Lines(props: { text: string }) {
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

function PublicAnswers(props: { items: PublicQuestion[] }) {
  const { t } = usePage();
  return (
    <ul class="questions">
      {props.items.map((q) => (
        <li>
          <p class="meta">
            {t('consultations.public.asked', { name: q.askerName, date: chinaDay(q.askedAt) })}
          </p>
          <Lines text={q.question} />
          <p class="meta">
            {t('consultations.public.answered', { department: q.department, date: chinaDay(q.answeredAt) })}
          </p>
          <Lines text={q.answer} />
        </li>
      ))}
    </ul>
  );
}

/** The guide's section: how to ask, and the latest answers made public. */
function GuideQuestions(props: { item: Item; items: PublicQuestion[]; total: number }) {
  const { t, viewer } = usePage();
  const { item } = props;
  return (
    <section aria-labelledby="consultations-title">
      <h2 id="consultations-title">{t('consultations.guide.title')}</h2>
      {item.consultDays !== null ? (
        <>
          <p>{t('consultations.guide.intro', { department: item.departmentName, days: item.consultDays })}</p>
          {!viewer || viewer.permissions.has('account.self') ? (
            <p>
              <a class="button secondary" href={`/services/items/${item.code}/ask`}>
                {t('consultations.guide.ask')}
              </a>
            </p>
          ) : null}
        </>
      ) : (
        <p>{t('consultations.guide.closed')}</p>
      )}
      {props.total === 0 ? (
        <p>{t('consultations.guide.none')}</p>
      ) : (
        <>
          <h3>{t('consultations.guide.answered')}</h3>
          <PublicAnswers items={props.items} />
          {props.total > props.items.length ? (
            <p>
              <a href={`/services/items/${item.code}/questions`}>
                {t('consultations.guide.all', { count: props.total })}
              </a>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

/** For the services module's guide page (its render slot). */
export function guideSection(consultations: ConsultationService) {
  return async (req: FastifyRequest, item: Item): Promise<VNode | null> => {
    const { items, total } = await consultations.publicFor(req.site.tenantId, item.code, {
      limit: ON_GUIDE,
      offset: 0,
    });
    if (item.consultDays === null && total === 0) return null;
    return <GuideQuestions item={item} items={items} total={total} />;
  };
}

function Status(props: { q: Question }) {
  const { t } = usePage();
  const q = props.q;
  if (q.status === 'answered') return <>{t('consultations.status.answered')}</>;
  return q.dueOn < todayInChina() ? (
    <strong>{t('consultations.status.overdue', { due: q.dueOn })}</strong>
  ) : (
    <>{t('consultations.status.open', { due: q.dueOn })}</>
  );
}

function QuestionList(props: { items: Question[]; base: string; staff: boolean }) {
  const { t } = usePage();
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('consultations.item')}</th>
          {props.staff ? <th scope="col">{t('consultations.asker')}</th> : null}
          <th scope="col">{t('consultations.asked_at')}</th>
          <th scope="col">{t('consultations.status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((q) => (
          <tr>
            <td>
              <a href={`${props.base}/${q.publicId}`}>{q.item.name}</a>
            </td>
            {props.staff ? <td>{q.asker.name}</td> : null}
            <td>{chinaTime(q.askedAt)}</td>
            <td>
              <Status q={q} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One question as its asker or its department sees it. */
function QuestionFacts(props: { q: Question; staff: boolean }) {
  const { t } = usePage();
  const q = props.q;
  return (
    <>
      <dl class="facts">
        <dt>{t('consultations.item')}</dt>
        <dd>
          <a href={`/services/items/${q.item.code}`}>{q.item.name}</a>
        </dd>
        <dt>{t('consultations.department')}</dt>
        <dd>{q.department.name}</dd>
        {props.staff ? (
          <>
            <dt>{t('consultations.asker')}</dt>
            <dd>{`${q.asker.name}（${t(`consultations.asker_kind.${q.asker.kind}`)}）`}</dd>
          </>
        ) : null}
        <dt>{t('consultations.asked_at')}</dt>
        <dd>{chinaTime(q.askedAt)}</dd>
        <dt>{t('consultations.due')}</dt>
        <dd>{t('consultations.due_value', { due: q.dueOn, days: q.consultDays })}</dd>
        <dt>{t('consultations.status')}</dt>
        <dd>
          <Status q={q} />
        </dd>
        <dt>{t('consultations.case')}</dt>
        <dd>
          <a href={`${props.staff ? '/workbench/cases' : '/account/cases'}/${q.caseNumber}`}>
            {q.caseNumber}
          </a>
        </dd>
      </dl>
      <h2>{t('consultations.question')}</h2>
      <Lines text={q.question} />
      {q.status === 'answered' ? (
        <>
          <h2>{t('consultations.answer')}</h2>
          <p class="meta">
            {t('consultations.answered_by', { department: q.department.name, at: chinaTime(q.answeredAt!) })}
            {props.staff && q.answeredBy ? `（${q.answeredBy.name}）` : ''}
          </p>
          <Lines text={q.answer ?? ''} />
          <p class="hint">{t(q.public ? 'consultations.published' : 'consultations.not_published')}</p>
        </>
      ) : null}
    </>
  );
}

export function consultationsPages(
  app: FastifyInstance,
  deps: { consultations: ConsultationService; asksPerMinute: number },
) {
  const { consultations } = deps;
  const hide = { hide: true };
  const codeOf = (req: FastifyRequest) => (req.params as { code: string }).code;
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

  // Everything the department made public about an item, page by page.
  app.get(
    '/services/items/:code/questions',
    { schema: hide, config: { access: 'public' } },
    async (req, reply) => {
      const t = req.t;
      const item = await consultations.publishedItem(req.site.tenantId, codeOf(req));
      const offset = Math.max(0, Math.min(100_000, Number((req.query as { offset?: string }).offset) || 0));
      const { items, total } = await consultations.publicFor(req.site.tenantId, item.code, {
        limit: PAGE,
        offset,
      });
      const title = t('consultations.public.title', { item: item.name });
      return reply.page({
        area: 'portal',
        title,
        breadcrumbs: [
          { href: '/', label: t('nav.home') },
          { href: '/services', label: t('services.portal.title') },
          { href: `/services/items/${item.code}`, label: item.name },
          { label: t('consultations.guide.title') },
        ],
        body: (
          <>
            <h1>{title}</h1>
            {total === 0 ? <p>{t('consultations.guide.none')}</p> : <PublicAnswers items={items} />}
            <Pagination
              base={`/services/items/${item.code}/questions`}
              offset={offset}
              limit={PAGE}
              total={total}
            />
          </>
        ),
      });
    },
  );

  const askPage = (req: FastifyRequest, item: Item, state: FormState): PageContent => {
    const t = req.t;
    const title = t('consultations.ask.title', { item: item.name });
    return {
      area: 'portal',
      title,
      breadcrumbs: [
        { href: '/', label: t('nav.home') },
        { href: '/services', label: t('services.portal.title') },
        { href: `/services/items/${item.code}`, label: item.name },
        { label: t('consultations.ask.crumb') },
      ],
      body: (
        <>
          <h1>{title}</h1>
          <p>
            {t('consultations.guide.intro', { department: item.departmentName, days: item.consultDays ?? 0 })}
          </p>
          <p class="hint">{t('consultations.ask.privacy')}</p>
          <Form
            action={`/services/items/${item.code}/ask`}
            submitLabel={t('consultations.ask.submit')}
            state={state}
          >
            <Field
              name="question"
              label={t('consultations.question')}
              hint={t('consultations.ask.hint', { min: 5, max: QUESTION_MAX })}
              state={state}
              required
              rows={8}
              maxLength={QUESTION_MAX}
            />
          </Form>
        </>
      ),
    };
  };

  app.get(
    '/services/items/:code/ask',
    { schema: hide, config: { access: 'account.self', rateLimit: postLimit(deps.asksPerMinute) } },
    async (req, reply) => {
      const item = await consultations.askable(req.site.tenantId, codeOf(req));
      return reply.page(askPage(req, item, emptyForm()));
    },
  );
  app.post(
    '/services/items/:code/ask',
    { schema: hide, config: { access: 'account.self', rateLimit: postLimit(deps.asksPerMinute) } },
    async (req, reply) => {
      const item = await consultations.askable(req.site.tenantId, codeOf(req));
      return submitForm(
        req,
        reply,
        async (v) => {
          const q = await consultations.ask(auditContextOf(req), item.code, v.question ?? '');
          return `/account/consultations/${q.publicId}?asked=1`;
        },
        (state) => askPage(req, item, state),
      );
    },
  );

  app.get(
    '/account/consultations',
    { schema: hide, config: { access: 'account.self' } },
    async (req, reply) => {
      const t = req.t;
      const items = await consultations.mine(auditContextOf(req));
      const title = t('consultations.mine.title');
      return reply.page({
        area: 'portal',
        title,
        breadcrumbs: [
          { href: '/', label: t('nav.home') },
          { href: '/account', label: t('identity.account.title') },
          { label: title },
        ],
        body: (
          <>
            <h1>{title}</h1>
            {items.length === 0 ? (
              <p role="status">{t('consultations.mine.none')}</p>
            ) : (
              <QuestionList items={items} base="/account/consultations" staff={false} />
            )}
          </>
        ),
      });
    },
  );

  app.get(
    '/account/consultations/:id',
    { schema: hide, config: { access: 'account.self' } },
    async (req, reply) => {
      const t = req.t;
      const q = await consultations.get(auditContextOf(req), idOf(req));
      const asked = /[?&]asked=1(&|$)/.test(req.url);
      return reply.page({
        area: 'portal',
        title: t('consultations.one.title', { item: q.item.name }),
        breadcrumbs: [
          { href: '/', label: t('nav.home') },
          { href: '/account/consultations', label: t('consultations.mine.title') },
          { label: q.item.name },
        ],
        body: (
          <>
            <h1>{t('consultations.one.title', { item: q.item.name })}</h1>
            {asked ? (
              <p class="notice" role="status">
                {t('consultations.asked', { department: q.department.name, due: q.dueOn })}
              </p>
            ) : null}
            <QuestionFacts q={q} staff={false} />
          </>
        ),
      });
    },
  );

  // The department's questions: open ones by due date, then the latest answered.
  app.get(
    '/workbench/consultations',
    { schema: hide, config: { access: 'case.handle' } },
    async (req, reply) => {
      const t = req.t;
      const ctx = auditContextOf(req);
      const offset = Math.max(0, Math.min(100_000, Number((req.query as { offset?: string }).offset) || 0));
      const [open, answered] = await Promise.all([
        consultations.department(ctx, 'open', { limit: PAGE, offset }),
        consultations.department(ctx, 'answered', { limit: PAGE, offset: 0 }),
      ]);
      const title = t('consultations.workbench.title');
      return reply.page(
        workbenchPage(
          t,
          title,
          <>
            <h1>{title}</h1>
            <h2>{t('consultations.workbench.open', { count: open.total })}</h2>
            {open.items.length === 0 ? (
              <p role="status">{t('consultations.workbench.none_open')}</p>
            ) : (
              <QuestionList items={open.items} base="/workbench/consultations" staff />
            )}
            <Pagination base="/workbench/consultations" offset={offset} limit={PAGE} total={open.total} />
            <h2>{t('consultations.workbench.answered')}</h2>
            {answered.items.length === 0 ? (
              <p>{t('consultations.workbench.none_answered')}</p>
            ) : (
              <QuestionList items={answered.items} base="/workbench/consultations" staff />
            )}
          </>,
        ),
      );
    },
  );

  const answerPage = (req: FastifyRequest, q: Question, state: FormState): PageContent => {
    const t = req.t;
    return workbenchPage(
      t,
      t('consultations.one.title', { item: q.item.name }),
      <>
        <h1>{t('consultations.one.title', { item: q.item.name })}</h1>
        <SavedNotice />
        <QuestionFacts q={q} staff />
        {q.status === 'open' ? (
          <>
            <h2>{t('consultations.answer.title')}</h2>
            <Form
              action={`/workbench/consultations/${q.publicId}`}
              submitLabel={t('consultations.answer.submit')}
              state={state}
            >
              <Field
                name="answer"
                label={t('consultations.answer')}
                hint={t('consultations.answer.hint', { max: ANSWER_MAX })}
                state={state}
                required
                rows={10}
                maxLength={ANSWER_MAX}
              />
              <div class="field">
                <input
                  type="checkbox"
                  id="field-publish"
                  name="publish"
                  value="1"
                  checked={state.values.publish === '1'}
                  aria-describedby="field-publish-hint"
                />{' '}
                <label for="field-publish">{t('consultations.answer.publish')}</label>
                <p class="hint" id="field-publish-hint">
                  {t('consultations.answer.masking')}
                </p>
              </div>
            </Form>
          </>
        ) : null}
      </>,
      [{ href: '/workbench/consultations', label: t('consultations.workbench.title') }],
    );
  };

  app.get(
    '/workbench/consultations/:id',
    { schema: hide, config: { access: 'case.handle' } },
    async (req, reply) => {
      const q = await consultations.get(auditContextOf(req), idOf(req));
      return reply.page(answerPage(req, q, emptyForm()));
    },
  );
  app.post(
    '/workbench/consultations/:id',
    { schema: hide, config: { access: 'case.handle' } },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const q = await consultations.get(ctx, idOf(req));
      const v = formValues(req.body);
      return submitForm(
        req,
        reply,
        async () => {
          await consultations.answer(ctx, q.publicId, { answer: v.answer ?? '', publish: v.publish === '1' });
          return `/workbench/consultations/${q.publicId}?saved=1`;
        },
        (state) => answerPage(req, q, state),
      );
    },
  );
}
