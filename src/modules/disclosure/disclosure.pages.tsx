/**
 * 依申请公开 in pages, without JavaScript: the request form (/disclosure/requests/new), the requester's
 * requests at /account/disclosure-requests (status, due date, a 补正 notice and its form, the reply and
 * its documents), and the receiving department's list at /workbench/disclosure-requests with each
 * request's details (the full ID number one audited click away). The reply itself is given on the
 * case page, among the process's actions.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf, postLimit, submitForm } from '../../kernel/http/index.ts';
import {
  CsrfField,
  emptyForm,
  Field,
  Form,
  Pagination,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import {
  Documents,
  dueDay,
  Progress,
  Reply,
  RequestFacts,
  RequestList,
  SupplementNotice,
} from './disclosure.components.tsx';
import { DELIVERIES, FORMATS, LIMITS } from './request.checks.ts';
import { ORGANISATION_TYPES } from './request.report.ts';
import type { RequestDetail, RequestService } from './request.service.ts';

const PAGE = 20;
const ACCOUNT = '/account/disclosure-requests';
const WORKBENCH = '/workbench/disclosure-requests';

/** The request's fields as the form posts them: flat names, the API's paths. */
function inputOf(v: Record<string, string>, kind: 'person' | 'organisation') {
  const id = v.departmentId?.trim();
  return {
    requester: {
      kind,
      organisationType: v['requester.organisationType'],
      name: v['requester.name'],
      idNumber: v['requester.idNumber'],
      creditCode: v['requester.creditCode'],
      legalRepresentative: v['requester.legalRepresentative'],
      contactPerson: v['requester.contactPerson'],
      phone: v['requester.phone'],
      address: v['requester.address'],
      email: v['requester.email'],
    },
    description: v.description,
    purpose: v.purpose,
    format: v.format,
    delivery: v.delivery,
    // Not a number: a choice the list never offered, refused as unknown.
    departmentId: id ? (/^\d{1,9}$/.test(id) ? Number(id) : -1) : null,
  };
}

export function disclosurePages(
  app: FastifyInstance,
  deps: { requests: RequestService; filesPerMinute: number },
) {
  const { requests } = deps;
  const hide = { hide: true };
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
  const kindOf = (req: FastifyRequest) => (req.actor?.kind === 'enterprise' ? 'organisation' : 'person');

  const newPage = (
    req: FastifyRequest,
    state: FormState,
    bodies: Awaited<ReturnType<RequestService['receivingBodies']>>,
  ): PageContent => {
    const t = req.t;
    const kind = kindOf(req);
    const title = t('disclosure.new.title');
    const choose = { value: '', label: t('common.choose') };
    const field = (
      name: string,
      o: { required?: boolean; hint?: string; max?: number; type?: 'tel' | 'email' } = {},
    ) => (
      <Field
        name={`requester.${name}`}
        label={t(name === 'name' ? `disclosure.requester.name.${kind}` : `disclosure.requester.${name}`)}
        state={state}
        required={o.required}
        hint={o.hint}
        maxLength={o.max}
        type={o.type}
        inputMode={o.type}
        autocomplete={o.type}
      />
    );
    return {
      area: 'portal',
      title,
      breadcrumbs: [
        { href: '/', label: t('nav.home') },
        { href: '/publications', label: t('disclosure.column') },
        { label: title },
      ],
      body: (
        <>
          <h1>{title}</h1>
          <p>{t('disclosure.new.intro')}</p>
          <p class="hint">{t('disclosure.new.privacy')}</p>
          <Form action="/disclosure/requests/new" submitLabel={t('disclosure.new.submit')} state={state}>
            <input type="hidden" name="requester.kind" value={kind} />
            <fieldset class="row-group">
              <legend>{t(`disclosure.new.requester.${kind}`)}</legend>
              {field('name', { required: true, max: LIMITS.name })}
              {kind === 'person' ? (
                field('idNumber', { required: true, max: 18, hint: t('disclosure.new.id_hint') })
              ) : (
                <>
                  <Field
                    name="requester.organisationType"
                    label={t('disclosure.requester.organisationType')}
                    hint={t('disclosure.requester.organisationType.hint')}
                    state={state}
                    required
                    options={[
                      choose,
                      ...ORGANISATION_TYPES.map((o) => ({
                        value: o,
                        label: t(`disclosure.organisation_type.${o}`),
                      })),
                    ]}
                  />
                  {field('creditCode', { required: true, max: 18 })}
                  {field('legalRepresentative', { required: true, max: LIMITS.person })}
                  {field('contactPerson', { required: true, max: LIMITS.person })}
                </>
              )}
              {field('phone', { required: true, max: LIMITS.phone, type: 'tel' })}
              {field('address', { max: LIMITS.address, hint: t('disclosure.new.address_hint') })}
              {field('email', { max: LIMITS.email, type: 'email' })}
            </fieldset>
            <fieldset class="row-group">
              <legend>{t('disclosure.sought')}</legend>
              <Field
                name="description"
                label={t('disclosure.description')}
                hint={t('disclosure.new.description_hint', { max: LIMITS.description })}
                state={state}
                required
                rows={6}
                maxLength={LIMITS.description}
              />
              <Field
                name="purpose"
                label={t('disclosure.purpose')}
                hint={t('disclosure.new.purpose_hint')}
                state={state}
                rows={2}
                maxLength={LIMITS.purpose}
              />
              <Field
                name="format"
                label={t('disclosure.format')}
                state={state}
                required
                options={[choose, ...FORMATS.map((f) => ({ value: f, label: t(`disclosure.format.${f}`) }))]}
              />
              <Field
                name="delivery"
                label={t('disclosure.delivery')}
                state={state}
                required
                options={[
                  choose,
                  ...DELIVERIES.map((d) => ({ value: d, label: t(`disclosure.delivery.${d}`) })),
                ]}
              />
            </fieldset>
            <Field
              name="departmentId"
              label={t('disclosure.department')}
              hint={t('disclosure.new.department_hint')}
              state={state}
              required
              value={bodies.defaultId === null ? '' : String(bodies.defaultId)}
              options={[choose, ...bodies.items.map((d) => ({ value: String(d.id), label: d.name }))]}
            />
          </Form>
        </>
      ),
    };
  };

  app.get(
    '/disclosure/requests/new',
    { schema: hide, config: { access: 'account.self' } },
    async (req, reply) => {
      const p = await requests.prefill(auditContextOf(req));
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(p)) if (v) values[`requester.${k}`] = v;
      const bodies = await requests.receivingBodies(req.site.tenantId);
      return reply.page(newPage(req, emptyForm(values), bodies));
    },
  );
  app.post(
    '/disclosure/requests/new',
    {
      schema: hide,
      // A public post: a tighter per-address limit than the site's, as the API's.
      config: { access: 'account.self', rateLimit: postLimit(deps.filesPerMinute) },
    },
    async (req, reply) => {
      const bodies = await requests.receivingBodies(req.site.tenantId);
      return submitForm(
        req,
        reply,
        async (v) => {
          const r = await requests.submit(auditContextOf(req), inputOf(v, kindOf(req)));
          return `${ACCOUNT}/${r.publicId}?submitted=1`;
        },
        (state) => newPage(req, state, bodies),
      );
    },
  );

  app.get(ACCOUNT, { schema: hide, config: { access: 'account.self' } }, async (req, reply) => {
    const t = req.t;
    const items = await requests.mine(auditContextOf(req));
    const title = t('disclosure.mine.title');
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
            <p role="status">{t('disclosure.mine.none')}</p>
          ) : (
            <RequestList items={items} base={ACCOUNT} staff={false} />
          )}
          <p>
            <a class="button" href="/disclosure/requests/new">
              {t('disclosure.new.title')}
            </a>
          </p>
        </>
      ),
    });
  });

  const accountPage = (req: FastifyRequest, r: RequestDetail, state: FormState): PageContent => {
    const t = req.t;
    const title = t('disclosure.one.title', { number: r.caseNumber });
    const submitted = /[?&]submitted=1(&|$)/.test(req.url);
    const supplied = /[?&]supplied=1(&|$)/.test(req.url);
    return {
      area: 'portal',
      title,
      breadcrumbs: [
        { href: '/', label: t('nav.home') },
        { href: ACCOUNT, label: t('disclosure.mine.title') },
        { label: r.caseNumber },
      ],
      body: (
        <>
          <h1>{title}</h1>
          {submitted ? (
            <p class="notice" role="status">
              {t('disclosure.submitted', {
                department: r.department.name,
                due: r.dueAt ? dueDay(r.dueAt) : '—',
              })}
            </p>
          ) : null}
          {supplied ? (
            <p class="notice" role="status">
              {t('disclosure.supplied', { due: r.dueAt ? dueDay(r.dueAt) : '—' })}
            </p>
          ) : null}
          <Progress r={r} staff={false} />
          {r.stop?.endedBy === 'applicant' ? <SupplementNotice r={r} /> : null}
          {r.canSupplement ? (
            <Form
              action={`${ACCOUNT}/${r.publicId}/supplement`}
              submitLabel={t('disclosure.supplement.submit')}
              state={state}
            >
              <Field
                name="description"
                label={t('disclosure.supplement.description')}
                hint={t('disclosure.supplement.description_hint')}
                state={state}
                required
                rows={6}
                maxLength={LIMITS.description}
                value={r.description}
              />
              <Field
                name="purpose"
                label={t('disclosure.purpose')}
                state={state}
                rows={2}
                maxLength={LIMITS.purpose}
                value={r.purpose}
              />
              <Field
                name="note"
                label={t('disclosure.supplement.note')}
                state={state}
                rows={2}
                maxLength={LIMITS.note}
              />
            </Form>
          ) : null}
          <Reply r={r} />
          <Documents r={r} />
          <RequestFacts r={r} staff={false} />
        </>
      ),
    };
  };

  app.get(`${ACCOUNT}/:id`, { schema: hide, config: { access: 'account.self' } }, async (req, reply) => {
    const r = await requests.get(auditContextOf(req), idOf(req));
    return reply.page(accountPage(req, r, emptyForm()));
  });
  app.post(
    `${ACCOUNT}/:id/supplement`,
    { schema: hide, config: { access: 'account.self' } },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const r = await requests.get(ctx, idOf(req));
      return submitForm(
        req,
        reply,
        async (v) => {
          await requests.supplement(ctx, r.publicId, v);
          return `${ACCOUNT}/${r.publicId}?supplied=1`;
        },
        (state) => accountPage(req, r, state),
      );
    },
  );

  // The department's requests: those waiting, by due date, then the latest replied.
  app.get(WORKBENCH, { schema: hide, config: { access: 'case.handle' } }, async (req, reply) => {
    const t = req.t;
    const ctx = auditContextOf(req);
    const offset = Math.max(0, Math.min(100_000, Number((req.query as { offset?: string }).offset) || 0));
    const open = await requests.department(ctx, 'open', { limit: PAGE, offset });
    const replied = await requests.department(ctx, 'replied', { limit: PAGE, offset: 0 });
    const title = t('disclosure.workbench.title');
    return reply.page(
      workbenchPage(
        t,
        title,
        <>
          <h1>{title}</h1>
          <h2>{t('disclosure.workbench.open', { count: open.total })}</h2>
          {open.items.length === 0 ? (
            <p role="status">{t('disclosure.workbench.none_open')}</p>
          ) : (
            <RequestList items={open.items} base={WORKBENCH} staff />
          )}
          <Pagination base={WORKBENCH} offset={offset} limit={PAGE} total={open.total} />
          <h2>{t('disclosure.workbench.replied')}</h2>
          {replied.items.length === 0 ? (
            <p>{t('disclosure.workbench.none_replied')}</p>
          ) : (
            <RequestList items={replied.items} base={WORKBENCH} staff />
          )}
        </>,
      ),
    );
  });

  const staffPage = (req: FastifyRequest, r: RequestDetail, idNumber?: string): PageContent => {
    const t = req.t;
    const canView = req.actor?.permissions.has('pii.view') ?? false;
    return workbenchPage(
      t,
      t('disclosure.one.title', { number: r.caseNumber }),
      <>
        <h1>{t('disclosure.one.title', { number: r.caseNumber })}</h1>
        <Progress r={r} staff />
        {r.stop?.endedBy === 'applicant' ? <SupplementNotice r={r} /> : null}
        {r.status !== 'replied' ? (
          <p>
            <a class="button" href={`/workbench/cases/${r.caseNumber}`}>
              {t('disclosure.workbench.reply')}
            </a>
          </p>
        ) : null}
        <Reply r={r} />
        <Documents r={r} />
        <RequestFacts r={r} staff idNumber={idNumber} />
        {r.requester.kind === 'person' && canView && !idNumber ? (
          <form method="post" action={`${WORKBENCH}/${r.publicId}/id-number`} class="inline">
            <CsrfField />
            <button type="submit" class="secondary">
              {t('disclosure.workbench.show_id')}
            </button>{' '}
            <span class="hint">{t('disclosure.workbench.show_id_hint')}</span>
          </form>
        ) : null}
      </>,
      [{ href: WORKBENCH, label: t('disclosure.workbench.title') }],
    );
  };

  app.get(`${WORKBENCH}/:id`, { schema: hide, config: { access: 'case.handle' } }, async (req, reply) => {
    const r = await requests.get(auditContextOf(req), idOf(req));
    return reply.page(staffPage(req, r));
  });
  // A POST, so that the full number is never in a URL, a log line or a prefetch; each view is audited.
  app.post(
    `${WORKBENCH}/:id/id-number`,
    { schema: hide, config: { access: 'pii.view' } },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const idNumber = await requests.idNumberOf(ctx, idOf(req));
      const r = await requests.get(ctx, idOf(req));
      return reply.header('cache-control', 'private, no-store').page(staffPage(req, r, idNumber));
    },
  );
}
