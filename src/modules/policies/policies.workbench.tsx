/**
 * The policy lifecycle in the workbench, without JavaScript: the department's policies
 * (/workbench/policies), a new one, and a policy's page — its lifecycle as steps, a form for each
 * transition the viewer may take now (the writers': consultation, document, interpretation, evaluation,
 * revision; the head's: implementation tasks and repeal), and the implementation matrix. The documents
 * themselves are written and reviewed in 信息发布 (/workbench/publications); here they are linked.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditContext } from '../../kernel/audit/index.ts';
import { isWithin } from '../../kernel/divisions/index.ts';
import { invalidFields } from '../../kernel/errors.ts';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import {
  CsrfField,
  Field,
  Form,
  Pagination,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import type { Category, Publication } from '../publications/index.ts';
import type { DepartmentRef } from '../workflow/index.ts';
import { ImplementationMatrix, Lifecycle } from './policies.components.tsx';
import {
  chinaDay,
  CONSULTATION_MIN_DAYS,
  MAX_PERIODS,
  PERIODS,
  TRANSITION_PERMISSION,
  type Period,
  type Transition,
} from './policy.ts';
import type { PolicyReader, PolicyView } from './policy.read.ts';
import type { PolicyService } from './policy.service.ts';

const LIMIT = 30;
const access = { access: ['publication.write', 'publication.review'] } as const;

export interface PoliciesWorkbenchDeps {
  policies: PolicyService;
  reader: PolicyReader;
  publications: {
    ofMyDepartment(
      ctx: AuditContext,
      page: { limit: number; offset: number },
    ): Promise<{ items: Publication[] }>;
    categories(tenantId: string): Promise<Category[]>;
  };
  departments(tenantId: string): Promise<DepartmentRef[]>;
  now?(): Date;
}

/** What the transition forms offer: the department's publications by kind, the departments to task. */
interface Choices {
  publications: Publication[];
  kinds: Map<string, Category['kind']>;
  departments: DepartmentRef[];
}

const publicationOptions = (t: Translate, c: Choices, kind?: Category['kind']) => [
  { value: '', label: t('common.choose') },
  ...c.publications
    .filter((p) => p.status !== 'withdrawn' && (!kind || c.kinds.get(p.categoryCode) === kind))
    .map((p) => ({
      value: String(p.id),
      label: `${p.title}（${p.categoryName} · ${t(`publications.status.${p.status}`)}）`,
    })),
];

/** A number typed in a form, or NaN (which the service refuses as an unknown id). */
const numberOf = (v: string | undefined) => (v && /^\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : NaN);
const publicationOf = (v: string | undefined, field: string) => {
  const n = numberOf(v);
  if (!Number.isSafeInteger(n) || n < 1)
    throw invalidFields([{ field, code: 'policies.publication_required' }]);
  return n;
};

function DepartmentChoices(props: { departments: DepartmentRef[]; state: FormState }) {
  const { t } = usePage();
  const problem = props.state.problems.find((p) => p.field === 'departments');
  const chosen = new Set((props.state.values.departments ?? '').split('\n').filter(Boolean));
  return (
    <fieldset class={problem ? 'row-group field-error' : 'row-group'} id="field-departments">
      <legend>{t('policies.tasks.departments')}</legend>
      {problem ? <p class="error-message">{t(problem.code, problem.params)}</p> : null}
      {props.departments.map((d) => (
        <label class="checkbox">
          <input type="checkbox" name="departments" value={String(d.id)} checked={chosen.has(String(d.id))} />
          {d.name}
        </label>
      ))}
    </fieldset>
  );
}

function TransitionForms(props: {
  policy: PolicyView;
  choices: Choices;
  failed: Transition | null;
  state: FormState;
  today: string;
}) {
  const { t } = usePage();
  const { policy: p, choices } = props;
  const s = (tr: Transition): FormState => (props.failed === tr ? props.state : { values: {}, problems: [] });
  const base = `/workbench/policies/${p.id}`;
  const forms: Partial<Record<Transition, preact.JSX.Element>> = {
    consultation: (
      <Form
        action={`${base}/consultation`}
        submitLabel={t('policies.form.consultation.submit')}
        state={s('consultation')}
      >
        <p class="hint">{t('policies.form.consultation.hint', { min: CONSULTATION_MIN_DAYS })}</p>
        <Field
          name="draft"
          label={t('policies.form.consultation.draft')}
          state={s('consultation')}
          required
          value={p.consultation?.draft ? String(p.consultation.draft.id) : ''}
          options={publicationOptions(t, choices)}
        />
        <Field
          name="opensOn"
          label={t('policies.form.consultation.opens')}
          type="date"
          required
          state={s('consultation')}
          value={p.consultation?.opensOn ?? props.today}
        />
        <Field
          name="closesOn"
          label={t('policies.form.consultation.closes')}
          type="date"
          required
          state={s('consultation')}
          value={p.consultation?.closesOn ?? ''}
        />
        <Field
          name="shortReason"
          label={t('policies.form.consultation.short_reason')}
          hint={t('policies.form.consultation.short_reason_hint', { min: CONSULTATION_MIN_DAYS })}
          state={s('consultation')}
          value={p.consultation?.shortReason ?? ''}
          rows={3}
        />
      </Form>
    ),
    document: (
      <Form action={`${base}/document`} submitLabel={t('policies.form.link')} state={s('document')}>
        <p class="hint">{t('policies.form.document.hint')}</p>
        <Field
          name="publication"
          label={t('policies.link.document')}
          state={s('document')}
          required
          value={p.document ? String(p.document.id) : ''}
          options={publicationOptions(t, choices, 'policy')}
        />
      </Form>
    ),
    interpretation: (
      <Form
        action={`${base}/interpretations`}
        submitLabel={t('policies.form.link')}
        state={s('interpretation')}
      >
        <Field
          name="publication"
          label={t('policies.link.interpretation')}
          state={s('interpretation')}
          required
          options={publicationOptions(t, choices, 'interpretation')}
        />
      </Form>
    ),
    tasks: (
      <Form action={`${base}/tasks`} submitLabel={t('policies.form.tasks.submit')} state={s('tasks')}>
        <p class="hint">{t('policies.form.tasks.hint')}</p>
        <DepartmentChoices departments={choices.departments} state={s('tasks')} />
        <Field
          name="requirement"
          label={t('policies.tasks.requirement')}
          state={s('tasks')}
          required
          rows={3}
        />
        <Field
          name="period"
          label={t('policies.tasks.period')}
          state={s('tasks')}
          required
          value="quarterly"
          options={PERIODS.map((v) => ({ value: v, label: t(`policies.period.${v}`) }))}
        />
        <Field
          name="from"
          label={t('policies.tasks.from')}
          type="month"
          state={s('tasks')}
          required
          value={props.today.slice(0, 7)}
        />
        <Field
          name="periods"
          label={t('policies.tasks.periods')}
          hint={t('policies.tasks.periods_hint', { max: MAX_PERIODS })}
          state={s('tasks')}
          required
          inputMode="numeric"
          value="4"
        />
        <Field
          name="reportDays"
          label={t('policies.tasks.report_days')}
          hint={t('policies.tasks.report_days_hint')}
          state={s('tasks')}
          required
          inputMode="numeric"
          value="10"
        />
      </Form>
    ),
    evaluation: (
      <Form action={`${base}/evaluation`} submitLabel={t('policies.form.link')} state={s('evaluation')}>
        <Field
          name="report"
          label={t('policies.link.evaluation_report')}
          state={s('evaluation')}
          required
          value={p.evaluationReport ? String(p.evaluationReport.id) : ''}
          options={publicationOptions(t, choices)}
        />
      </Form>
    ),
    revision: (
      <Form
        action={`${base}/revision`}
        submitLabel={t('policies.form.revision.submit')}
        state={s('revision')}
      >
        <p class="hint">{t('policies.form.revision.hint')}</p>
        <Field
          name="title"
          label={t('policies.field.title')}
          state={s('revision')}
          required
          maxLength={200}
          value={p.title}
        />
      </Form>
    ),
    repeal: (
      <Form action={`${base}/repeal`} submitLabel={t('policies.form.repeal.submit')} state={s('repeal')}>
        <p class="hint">{t('policies.form.repeal.hint')}</p>
        <Field name="reason" label={t('policies.form.repeal.reason')} state={s('repeal')} required rows={3} />
      </Form>
    ),
  };
  return (
    <>
      {p.can.map((tr) => (
        <section class="action-form">
          <h3>{t(`policies.transition.${tr}`)}</h3>
          {forms[tr]}
        </section>
      ))}
    </>
  );
}

export function policiesWorkbench(app: FastifyInstance, deps: PoliciesWorkbenchDeps): void {
  const { policies, reader } = deps;
  const now = () => deps.now?.() ?? new Date();
  const crumbs = (t: Translate) => [{ href: '/workbench/policies', label: t('policies.workbench.title') }];
  const idOf = (req: FastifyRequest) => Number((req.params as { id: string }).id);

  app.get('/workbench/policies', { config: access }, async (req, reply) => {
    const t = req.t;
    const offset = Math.max(0, Math.min(100_000, Number((req.query as { offset?: string }).offset) || 0));
    const r = await reader.ofMyDepartment(auditContextOf(req), { limit: LIMIT, offset });
    const title = t('policies.workbench.title');
    return reply.page(
      workbenchPage(
        t,
        title,
        <>
          <h1>{title}</h1>
          <p>{t('policies.workbench.intro')}</p>
          {req.actor?.permissions.has('publication.write') ? (
            <p>
              <a href="/workbench/policies/new">{t('policies.workbench.new')}</a>
            </p>
          ) : null}
          {r.items.length === 0 ? (
            <p>{t('policies.workbench.none')}</p>
          ) : (
            <table>
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('policies.field.title')}</th>
                  <th scope="col">{t('policies.field.stage')}</th>
                  <th scope="col">{t('policies.field.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((p) => (
                  <tr>
                    <td>
                      <a href={`/workbench/policies/${p.id}`}>{p.title}</a>
                    </td>
                    <td>{t(`policies.stage.${p.stage}`)}</td>
                    <td>{chinaDay(p.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pagination base="/workbench/policies" offset={offset} limit={LIMIT} total={r.total} />
        </>,
      ),
    );
  });

  function newPage(req: FastifyRequest, state: FormState): PageContent {
    const t = req.t;
    const title = t('policies.workbench.new');
    return workbenchPage(
      t,
      title,
      <>
        <h1>{title}</h1>
        <Form action="/workbench/policies/new" submitLabel={t('policies.form.create')} state={state}>
          <Field name="title" label={t('policies.field.title')} state={state} required maxLength={200} />
        </Form>
      </>,
      crumbs(t),
    );
  }

  app.get('/workbench/policies/new', { config: { access: 'publication.write' } }, async (req, reply) =>
    reply.page(newPage(req, { values: {}, problems: [] })),
  );
  app.post('/workbench/policies/new', { config: { access: 'publication.write' } }, async (req, reply) =>
    submitForm(
      req,
      reply,
      async (values) =>
        `/workbench/policies/${await policies.draft(auditContextOf(req), { title: values.title ?? '' })}?saved=1`,
      (state) => newPage(req, state),
    ),
  );

  async function choicesFor(req: FastifyRequest, p: PolicyView): Promise<Choices> {
    const ctx = auditContextOf(req);
    const [mine, categories, departments] = await Promise.all([
      p.can.some((x) => x !== 'tasks' && x !== 'repeal' && x !== 'revision')
        ? deps.publications.ofMyDepartment(ctx, { limit: 100, offset: 0 })
        : { items: [] },
      deps.publications.categories(req.site.tenantId),
      p.can.includes('tasks') ? deps.departments(req.site.tenantId) : [],
    ]);
    return {
      publications: mine.items,
      kinds: new Map(categories.map((c) => [c.code, c.kind])),
      departments: departments.filter((d) => d.active && isWithin(d.divisionCode, p.department.divisionCode)),
    };
  }

  function policyPage(
    req: FastifyRequest,
    p: PolicyView,
    choices: Choices,
    failed: Transition | null = null,
    state: FormState = { values: {}, problems: [] },
  ): PageContent {
    const t = req.t;
    const unopened = p.tasks.flatMap((x) => x.reports).filter((r) => r.state === 'not_opened').length;
    return workbenchPage(
      t,
      p.title,
      <>
        <h1>{p.title}</h1>
        <SavedNotice />
        <p>
          {t('policies.field.stage')}：<strong>{t(`policies.stage.${p.stage}`)}</strong>
          {' · '}
          {t('policies.field.department')}：{p.department.name}
          {p.stage !== 'draft' ? (
            <>
              {' · '}
              <a href={`/policies/${p.id}`}>{t('policies.workbench.view_public')}</a>
            </>
          ) : null}
          {p.revises ? (
            <>
              {' · '}
              {t('policies.link.revises')}：
              <a href={`/workbench/policies/${p.revises.id}`}>{p.revises.title}</a>
            </>
          ) : null}
        </p>
        <h2>{t('policies.lifecycle')}</h2>
        <Lifecycle policy={p} />
        {p.can.length > 0 ? <h2>{t('policies.workbench.actions')}</h2> : null}
        {p.can.some((x) => TRANSITION_PERMISSION[x] === 'publication.write') ? (
          <p>
            <a href="/workbench/publications/new">{t('policies.workbench.write_publication')}</a>
          </p>
        ) : null}
        <TransitionForms policy={p} choices={choices} failed={failed} state={state} today={chinaDay(now())} />
        {p.tasks.length > 0 ? (
          <>
            <h2>{t('policies.matrix.title')}</h2>
            <p class="hint">{t('policies.matrix.hint')}</p>
            <ImplementationMatrix policy={p} caseLinks />
            {unopened > 0 && req.actor?.permissions.has('publication.review') ? (
              <form method="post" action={`/workbench/policies/${p.id}/tasks/opening`}>
                <p class="notice" role="status">
                  {t('policies.matrix.unopened', { count: unopened })}
                </p>
                <CsrfField />
                <button type="submit">{t('policies.matrix.open_again')}</button>
              </form>
            ) : null}
          </>
        ) : null}
      </>,
      crumbs(t),
    );
  }

  app.get('/workbench/policies/:id', { config: access }, async (req, reply) => {
    const p = await reader.get(auditContextOf(req), idOf(req));
    return reply.page(policyPage(req, p, await choicesFor(req, p)));
  });

  /** A transition's form post: done → back to the page; refused → the page with the form's problems. */
  const onPolicy = (
    path: string,
    transition: Transition,
    permission: 'publication.write' | 'publication.review',
    write: (req: FastifyRequest, values: Record<string, string>) => Promise<string | void>,
  ) =>
    app.post(`/workbench/policies/:id${path}`, { config: { access: permission } }, async (req, reply) => {
      // Read before the write: a refused write changed nothing, so the page shows the same policy.
      const p = await reader.get(auditContextOf(req), idOf(req));
      const choices = await choicesFor(req, p);
      return submitForm(
        req,
        reply,
        async (values) => (await write(req, values)) ?? `/workbench/policies/${p.id}?saved=1`,
        (state) => policyPage(req, p, choices, transition, state),
      );
    });

  const ctx = auditContextOf;
  onPolicy('/consultation', 'consultation', 'publication.write', async (req, v) => {
    await policies.openConsultation(ctx(req), idOf(req), {
      draft: publicationOf(v.draft, 'draft'),
      opensOn: v.opensOn ?? '',
      closesOn: v.closesOn ?? '',
      shortReason: v.shortReason ?? '',
    });
  });
  onPolicy('/document', 'document', 'publication.write', async (req, v) => {
    await policies.setDocument(ctx(req), idOf(req), publicationOf(v.publication, 'publication'));
  });
  onPolicy('/interpretations', 'interpretation', 'publication.write', async (req, v) => {
    await policies.linkInterpretation(ctx(req), idOf(req), publicationOf(v.publication, 'publication'));
  });
  onPolicy('/tasks', 'tasks', 'publication.review', async (req, v) => {
    await policies.assignTasks(ctx(req), idOf(req), {
      departments: (v.departments ?? '').split('\n').map(numberOf).filter(Number.isSafeInteger),
      requirement: v.requirement ?? '',
      period: PERIODS.find((x) => x === v.period) ?? ('' as Period),
      from: v.from ?? '',
      periods: numberOf(v.periods),
      reportDays: numberOf(v.reportDays),
    });
  });
  onPolicy('/tasks/opening', 'tasks', 'publication.review', async (req) => {
    await policies.openPending(ctx(req), idOf(req));
  });
  onPolicy('/evaluation', 'evaluation', 'publication.write', async (req, v) => {
    await policies.evaluate(ctx(req), idOf(req), publicationOf(v.report, 'report'));
  });
  onPolicy('/revision', 'revision', 'publication.write', async (req, v) => {
    const id = await policies.startRevision(ctx(req), idOf(req), { title: v.title ?? '' });
    return `/workbench/policies/${id}?saved=1`;
  });
  onPolicy('/repeal', 'repeal', 'publication.review', async (req, v) => {
    await policies.repeal(ctx(req), idOf(req), v.reason ?? '');
  });
}
