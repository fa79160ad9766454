/**
 * Solicitations on the workbench, for the department running them: the list and the site's defaults
 * (/workbench/opinions), a new one (/workbench/opinions/new), and one (/workbench/opinions/:id) with
 * its settings and period, closing early, the opinions waiting for the department, marking adoption
 * (one opinion or a group at once) and publishing the feedback report.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditContext } from '../../kernel/audit/index.ts';
import { DomainError, ERROR_STATUS } from '../../kernel/errors.ts';
import { auditContextOf, formValues, submitForm } from '../../kernel/http/index.ts';
import {
  CsrfField,
  emptyForm,
  Field,
  Form,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import {
  ADOPTION_REASON_MAX,
  ADOPTIONS,
  chinaLocal,
  chinaTime,
  DESCRIPTION_MAX,
  DRAFT_MAX,
  REASON_MAX,
  SUMMARY_MAX,
  TITLE_MAX,
} from './opinion.ts';
import type { OpinionRow, OpinionService } from './opinion.service.ts';
import { AdoptionLabel, Facts, Lines, Period, Report, StateBadge } from './opinions.components.tsx';

const BASE = '/workbench/opinions';

function Check(props: { name: string; label: string; hint?: string; state: FormState }) {
  const id = `field-${props.name}`;
  return (
    <div class="field">
      <input
        type="checkbox"
        id={id}
        name={props.name}
        value="1"
        checked={props.state.values[props.name] === '1'}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />{' '}
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** The period's two instants as datetime-local fields, read as China time. */
function PeriodFields(props: { state: FormState }) {
  const { t } = usePage();
  return (
    <>
      <Field
        name="opensAt"
        type="datetime-local"
        label={t('opinions.opens_at')}
        hint={t('opinions.china_time')}
        state={props.state}
        required
      />
      <Field
        name="closesAt"
        type="datetime-local"
        label={t('opinions.closes_at')}
        hint={t('opinions.china_time')}
        state={props.state}
        required
      />
    </>
  );
}

type Managed = Awaited<ReturnType<OpinionService['manage']>>;
type Forms = Partial<Record<'settings' | 'close' | 'adoption' | 'report' | `reject-${number}`, FormState>>;

function OpinionRowCells(props: { o: OpinionRow }) {
  const { t } = usePage();
  const o = props.o;
  return (
    <>
      <td>
        {o.writer.name}
        {o.writer.kind === 'recorded' ? `（${t('opinions.writer.recorded')}）` : ''}
      </td>
      <td>{chinaTime(o.writtenAt)}</td>
      <td>
        {o.clause ? <p class="meta">{o.clause}</p> : null}
        <Lines text={o.body} />
      </td>
    </>
  );
}

function OnePage(props: { s: Managed; forms: Forms }) {
  const { t } = usePage();
  const { s, forms } = props;
  const open = !s.report;
  const held = s.all.filter((o) => o.status === 'held');
  const pending = s.all.filter((o) => o.status === 'pending');
  const accepted = s.all.filter((o) => o.status === 'accepted');
  const rejected = s.all.filter((o) => o.status === 'rejected');
  const canMark = s.state === 'closed' && open;
  const settings =
    forms.settings ??
    emptyForm({
      title: s.title,
      description: s.description,
      draftText: s.draftText,
      opensAt: chinaLocal(s.opensAt),
      closesAt: chinaLocal(s.closesAt),
      showPublic: s.showPublic ? '1' : '',
      moderated: s.moderated ? '1' : '',
    });
  const adoption = forms.adoption ?? emptyForm();
  const chosen = new Set((adoption.values.opinions ?? '').split('\n'));
  const adoptionProblem = (field: string) => adoption.problems.find((p) => p.field === field);
  return (
    <>
      <h1>{s.title}</h1>
      <SavedNotice />
      <Facts s={s} />
      <p>
        <a href={`/opinions/${s.id}`}>{t('opinions.workbench.public_page')}</a>
      </p>

      {open ? (
        <section class="action-form" aria-labelledby="settings">
          <h2 id="settings">{t('opinions.workbench.settings')}</h2>
          <Form action={`${BASE}/${s.id}`} submitLabel={t('common.save')} state={settings}>
            <Field name="title" label={t('opinions.title')} state={settings} required maxLength={TITLE_MAX} />
            <Field
              name="description"
              label={t('opinions.description')}
              state={settings}
              rows={3}
              maxLength={DESCRIPTION_MAX}
            />
            {s.policyId === null ? (
              <Field
                name="draftText"
                label={t('opinions.draft_text')}
                state={settings}
                rows={10}
                maxLength={DRAFT_MAX}
                required
              />
            ) : null}
            <PeriodFields state={settings} />
            {s.state !== 'scheduled' ? (
              <Field
                name="reason"
                label={t('opinions.period_reason')}
                hint={t('opinions.period_reason_hint')}
                state={settings}
                maxLength={REASON_MAX}
              />
            ) : null}
            <Check name="showPublic" label={t('opinions.show_public')} state={settings} />
            <Check
              name="moderated"
              label={t('opinions.moderated')}
              hint={t('opinions.moderated_hint')}
              state={settings}
            />
          </Form>
        </section>
      ) : null}

      {s.state === 'open' ? (
        <section class="action-form" aria-labelledby="close">
          <h2 id="close">{t('opinions.workbench.close')}</h2>
          <Form
            action={`${BASE}/${s.id}/close`}
            submitLabel={t('opinions.workbench.close_submit')}
            state={forms.close ?? emptyForm()}
          >
            <Field
              name="closeReason"
              label={t('opinions.period_reason')}
              state={forms.close ?? emptyForm()}
              required
              maxLength={REASON_MAX}
            />
          </Form>
        </section>
      ) : null}

      <h2>{t('opinions.workbench.waiting', { count: pending.length + held.length })}</h2>
      {held.length > 0 ? <p class="hint">{t('opinions.workbench.held', { count: held.length })}</p> : null}
      {pending.length === 0 ? (
        <p>{t('opinions.workbench.none_waiting')}</p>
      ) : (
        <ul class="opinions">
          {pending.map((o) => {
            const state = forms[`reject-${o.id}`] ?? emptyForm();
            return (
              <li>
                <p class="meta">
                  {o.writer.name} · {chinaTime(o.writtenAt)}
                  {o.clause ? ` · ${o.clause}` : ''}
                </p>
                <Lines text={o.body} />
                <form method="post" action={`${BASE}/${s.id}/opinions/${o.id}/approve`}>
                  <CsrfField />
                  <button type="submit">{t('opinions.workbench.approve')}</button>
                </form>
                <Form
                  action={`${BASE}/${s.id}/opinions/${o.id}/reject`}
                  submitLabel={t('opinions.workbench.reject')}
                  state={state}
                >
                  <Field
                    name={`rejectReason-${o.id}`}
                    label={t('opinions.reject_reason')}
                    state={state}
                    required
                    maxLength={REASON_MAX}
                  />
                </Form>
              </li>
            );
          })}
        </ul>
      )}

      <h2>{t('opinions.workbench.accepted', { count: accepted.length })}</h2>
      {accepted.length === 0 ? (
        <p>{t('opinions.workbench.none_accepted')}</p>
      ) : canMark ? (
        <Form
          action={`${BASE}/${s.id}/adoption`}
          submitLabel={t('opinions.workbench.mark')}
          state={adoption}
          id="adoption-form"
        >
          <fieldset
            class={adoptionProblem('opinions') ? 'field field-error' : 'field'}
            id="field-opinions"
            aria-describedby={adoptionProblem('opinions') ? 'field-opinions-error' : undefined}
          >
            <legend>{t('opinions.workbench.choose')}</legend>
            {adoptionProblem('opinions') ? (
              <p class="error-message" id="field-opinions-error">
                {t(adoptionProblem('opinions')!.code, adoptionProblem('opinions')!.params)}
              </p>
            ) : null}
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('opinions.workbench.select')}</th>
                  <th scope="col">{t('opinions.writer')}</th>
                  <th scope="col">{t('opinions.written_at')}</th>
                  <th scope="col">{t('opinions.body')}</th>
                  <th scope="col">{t('opinions.adoption')}</th>
                </tr>
              </thead>
              <tbody>
                {accepted.map((o) => (
                  <tr>
                    <td>
                      <input
                        type="checkbox"
                        id={`opinion-${o.id}`}
                        name="opinions"
                        value={String(o.id)}
                        checked={chosen.has(String(o.id))}
                        aria-label={t('opinions.workbench.select_one', { n: o.id })}
                      />
                    </td>
                    <OpinionRowCells o={o} />
                    <td>
                      <AdoptionLabel adoption={o.adoption} />
                      {o.adoptionReason ? `：${o.adoptionReason}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </fieldset>
          <fieldset
            class={adoptionProblem('adoption') ? 'field field-error' : 'field'}
            aria-describedby={adoptionProblem('adoption') ? 'field-adoption-error' : undefined}
          >
            <legend>
              {t('opinions.adoption')}
              <span class="required"> {t('form.required')}</span>
            </legend>
            {adoptionProblem('adoption') ? (
              <p class="error-message" id="field-adoption-error">
                {t(adoptionProblem('adoption')!.code)}
              </p>
            ) : null}
            {ADOPTIONS.map((a, i) => (
              <label class="choice">
                <input
                  type="radio"
                  id={i === 0 ? 'field-adoption' : `field-adoption-${a}`}
                  name="adoption"
                  value={a}
                  checked={adoption.values.adoption === a}
                />{' '}
                {t(`opinions.adoption.${a}`)}
              </label>
            ))}
          </fieldset>
          <Field
            name="adoptionReason"
            label={t('opinions.adoption_reason')}
            hint={t('opinions.adoption_reason_hint')}
            state={adoption}
            rows={3}
            maxLength={ADOPTION_REASON_MAX}
          />
        </Form>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('opinions.writer')}</th>
              <th scope="col">{t('opinions.written_at')}</th>
              <th scope="col">{t('opinions.body')}</th>
              <th scope="col">{t('opinions.adoption')}</th>
            </tr>
          </thead>
          <tbody>
            {accepted.map((o) => (
              <tr>
                <OpinionRowCells o={o} />
                <td>
                  <AdoptionLabel adoption={o.adoption} />
                  {o.adoptionReason ? `：${o.adoptionReason}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s.state !== 'closed' ? <p class="hint">{t('opinions.workbench.mark_after_close')}</p> : null}

      {canMark ? (
        <section class="action-form" aria-labelledby="publish">
          <h2 id="publish">{t('opinions.workbench.publish')}</h2>
          <Form
            action={`${BASE}/${s.id}/report`}
            submitLabel={t('opinions.workbench.publish_submit')}
            state={forms.report ?? emptyForm()}
          >
            <Field
              name="summary"
              label={t('opinions.report.summary')}
              hint={t('opinions.report.summary_hint')}
              state={forms.report ?? emptyForm()}
              rows={6}
              maxLength={SUMMARY_MAX}
            />
          </Form>
        </section>
      ) : null}
      {s.report ? <Report report={s.report} /> : null}

      {rejected.length > 0 ? (
        <>
          <h2>{t('opinions.workbench.rejected', { count: rejected.length })}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('opinions.writer')}</th>
                <th scope="col">{t('opinions.written_at')}</th>
                <th scope="col">{t('opinions.body')}</th>
                <th scope="col">{t('opinions.reject_reason')}</th>
              </tr>
            </thead>
            <tbody>
              {rejected.map((o) => (
                <tr>
                  <OpinionRowCells o={o} />
                  <td>{o.rejectReason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}

export function opinionsWorkbench(
  app: FastifyInstance,
  deps: {
    opinions: OpinionService;
    consultingPolicies?: ((ctx: AuditContext) => Promise<{ id: number; title: string }[]>) | undefined;
  },
) {
  const { opinions } = deps;
  const hide = { hide: true };
  const idOf = (req: FastifyRequest) => Number((req.params as { id: string }).id);
  const crumbs = (t: FastifyRequest['t']) => [{ href: BASE, label: t('opinions.workbench.title') }];

  const listPage = async (req: FastifyRequest, settingsState?: FormState): Promise<PageContent> => {
    const t = req.t;
    const ctx = auditContextOf(req);
    const runs = !!req.actor?.permissions.has('publication.write');
    const admin = !!req.actor?.permissions.has('org.site.manage');
    const { items } = runs ? await opinions.ofMyDepartment(ctx, { limit: 100, offset: 0 }) : { items: [] };
    const defaults = await opinions.settings(req.site.tenantId);
    const settings =
      settingsState ??
      emptyForm({ moderated: defaults.moderated ? '1' : '', showPublic: defaults.showPublic ? '1' : '' });
    const title = t('opinions.workbench.title');
    return workbenchPage(
      t,
      title,
      <>
        <h1>{title}</h1>
        <SavedNotice />
        {runs ? (
          <>
            <p>
              <a class="button" href={`${BASE}/new`}>
                {t('opinions.workbench.new')}
              </a>
            </p>
            {items.length === 0 ? (
              <p role="status">{t('opinions.workbench.none')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('opinions.title')}</th>
                    <th scope="col">{t('opinions.period')}</th>
                    <th scope="col">{t('opinions.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <tr>
                      <td>
                        <a href={`${BASE}/${s.id}`}>{s.title}</a>
                      </td>
                      <td>
                        <Period s={s} />
                      </td>
                      <td>
                        <StateBadge state={s.state} />
                        {s.reportPublishedAt ? ` · ${t('opinions.report.available')}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        ) : null}
        {admin ? (
          <section class="action-form" aria-labelledby="defaults">
            <h2 id="defaults">{t('opinions.workbench.defaults')}</h2>
            <Form action={`${BASE}/settings`} submitLabel={t('common.save')} state={settings}>
              <Check name="showPublic" label={t('opinions.show_public')} state={settings} />
              <Check
                name="moderated"
                label={t('opinions.moderated')}
                hint={t('opinions.moderated_hint')}
                state={settings}
              />
            </Form>
          </section>
        ) : null}
      </>,
    );
  };

  app.get(
    BASE,
    { schema: hide, config: { access: ['publication.write', 'org.site.manage'] } },
    async (req, reply) => reply.page(await listPage(req)),
  );
  app.post(
    `${BASE}/settings`,
    { schema: hide, config: { access: 'org.site.manage' } },
    async (req, reply) => {
      const v = formValues(req.body);
      await opinions.saveSettings(auditContextOf(req), {
        moderated: v.moderated === '1',
        showPublic: v.showPublic === '1',
      });
      return reply.redirect(`${BASE}?saved=1`, 303);
    },
  );

  const policiesOf = async (req: FastifyRequest) =>
    deps.consultingPolicies ? await deps.consultingPolicies(auditContextOf(req)) : [];
  const newPage = (
    req: FastifyRequest,
    policies: { id: number; title: string }[],
    state: FormState,
  ): PageContent => {
    const t = req.t;
    const title = t('opinions.workbench.new');
    return workbenchPage(
      t,
      title,
      <>
        <h1>{title}</h1>
        <Form action={`${BASE}/new`} submitLabel={t('opinions.workbench.create')} state={state}>
          <Field
            name="policyId"
            label={t('opinions.policy')}
            hint={t('opinions.policy_hint')}
            state={state}
            options={[
              { value: '', label: t('opinions.policy_none') },
              ...policies.map((p) => ({ value: String(p.id), label: p.title })),
            ]}
          />
          <Field
            name="title"
            label={t('opinions.title')}
            hint={t('opinions.title_hint')}
            state={state}
            maxLength={TITLE_MAX}
          />
          <Field
            name="description"
            label={t('opinions.description')}
            state={state}
            rows={3}
            maxLength={DESCRIPTION_MAX}
          />
          <Field
            name="draftText"
            label={t('opinions.draft_text')}
            hint={t('opinions.draft_text_hint')}
            state={state}
            rows={10}
            maxLength={DRAFT_MAX}
          />
          <Field
            name="opensAt"
            type="datetime-local"
            label={t('opinions.opens_at')}
            hint={t('opinions.period_hint')}
            state={state}
          />
          <Field
            name="closesAt"
            type="datetime-local"
            label={t('opinions.closes_at')}
            hint={t('opinions.period_hint')}
            state={state}
          />
          <Check name="showPublic" label={t('opinions.show_public')} state={state} />
          <Check
            name="moderated"
            label={t('opinions.moderated')}
            hint={t('opinions.moderated_hint')}
            state={state}
          />
        </Form>
      </>,
      crumbs(t),
    );
  };

  app.get(`${BASE}/new`, { schema: hide, config: { access: 'publication.write' } }, async (req, reply) => {
    const d = await opinions.settings(req.site.tenantId);
    return reply.page(
      newPage(
        req,
        await policiesOf(req),
        emptyForm({ showPublic: d.showPublic ? '1' : '', moderated: d.moderated ? '1' : '' }),
      ),
    );
  });
  app.post(`${BASE}/new`, { schema: hide, config: { access: 'publication.write' } }, async (req, reply) => {
    const v = formValues(req.body);
    const policies = await policiesOf(req);
    return submitForm(
      req,
      reply,
      async () => {
        const s = await opinions.create(auditContextOf(req), {
          title: v.title ?? '',
          description: v.description ?? '',
          policyId: v.policyId ? Number(v.policyId) : null,
          draftText: v.draftText ?? '',
          opensAt: v.opensAt ?? '',
          closesAt: v.closesAt ?? '',
          showPublic: v.showPublic === '1',
          moderated: v.moderated === '1',
        });
        return `${BASE}/${s.id}?saved=1`;
      },
      (state) => newPage(req, policies, state),
    );
  });

  const onePage = async (req: FastifyRequest, forms: Forms = {}): Promise<PageContent> => {
    const s = await opinions.manage(auditContextOf(req), idOf(req));
    return workbenchPage(req.t, s.title, <OnePage s={s} forms={forms} />, crumbs(req.t));
  };

  app.get(`${BASE}/:id`, { schema: hide, config: { access: 'publication.write' } }, async (req, reply) =>
    reply.page(await onePage(req)),
  );

  /** A form of the one page: the write, then back to the page (or the page again, errors beside the fields). */
  const action = (
    path: string,
    form: keyof Forms | ((req: FastifyRequest) => keyof Forms),
    write: (req: FastifyRequest, v: Record<string, string>) => Promise<unknown>,
    /** the form's name for the service's `reason` (several forms on one page: ids must differ) */
    reasonField?: (req: FastifyRequest) => string,
  ) =>
    app.post(
      `${BASE}/:id${path}`,
      { schema: hide, config: { access: 'publication.write' } },
      async (req, reply: FastifyReply) => {
        const values = formValues(req.body);
        try {
          await write(req, values);
          return reply.redirect(`${BASE}/${idOf(req)}?saved=1`, 303);
        } catch (e) {
          if (!(e instanceof DomainError) || (e.kind !== 'invalid' && e.kind !== 'conflict')) throw e;
          const rename = (f: string) => (f === 'reason' && reasonField ? reasonField(req) : f);
          const state: FormState =
            e.fields.length > 0
              ? { values, problems: e.fields.map((f) => ({ ...f, field: rename(f.field) })) }
              : { values, problems: [], formProblem: req.t(e.code, e.params) };
          const key = typeof form === 'function' ? form(req) : form;
          return reply.page(await onePage(req, { [key]: state }), ERROR_STATUS[e.kind]);
        }
      },
    );

  action('', 'settings', (req, v) =>
    opinions.change(auditContextOf(req), idOf(req), {
      title: v.title ?? '',
      description: v.description ?? '',
      ...(v.draftText !== undefined ? { draftText: v.draftText } : {}),
      opensAt: v.opensAt ?? '',
      closesAt: v.closesAt ?? '',
      reason: v.reason ?? '',
      showPublic: v.showPublic === '1',
      moderated: v.moderated === '1',
    }),
  );
  action(
    '/close',
    'close',
    (req, v) => opinions.closeNow(auditContextOf(req), idOf(req), v.closeReason ?? ''),
    () => 'closeReason',
  );
  action('/opinions/:opinion/approve', 'settings', (req) =>
    opinions.approve(auditContextOf(req), idOf(req), Number((req.params as { opinion: string }).opinion)),
  );
  const opinionOf = (req: FastifyRequest) => Number((req.params as { opinion: string }).opinion);
  action(
    '/opinions/:opinion/reject',
    (req) => `reject-${opinionOf(req)}`,
    (req, v) =>
      opinions.reject(
        auditContextOf(req),
        idOf(req),
        opinionOf(req),
        v[`rejectReason-${opinionOf(req)}`] ?? '',
      ),
    (req) => `rejectReason-${opinionOf(req)}`,
  );
  action(
    '/adoption',
    'adoption',
    (req, v) =>
      opinions.mark(auditContextOf(req), idOf(req), {
        opinions: (v.opinions ?? '').split('\n').filter(Boolean).map(Number),
        adoption: v.adoption ?? '',
        reason: v.adoptionReason ?? '',
      }),
    () => 'adoptionReason',
  );
  action('/report', 'report', (req, v) =>
    opinions.publishReport(auditContextOf(req), idOf(req), { summary: v.summary ?? '' }),
  );
}
