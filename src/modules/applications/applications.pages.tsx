/**
 * Applying in pages, without JavaScript: from a guide to a draft (/applications/new?item=…), the
 * draft's form and materials (/account/applications/:id for the applicant; /workbench/applications/:id
 * for a window officer taking it for a walk-in applicant), and submission, after which the case page
 * follows it. A submitted application shows what its case asks of the applicant — a 补正 notice, each
 * item with an upload, and 重新提交 — and its decision documents (受理通知书 …) to download. Every
 * problem is shown beside its field or its material, with what was typed kept.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditContext } from '../../kernel/audit/index.ts';
import { DomainError, ERROR_STATUS, type FieldProblem } from '../../kernel/errors.ts';
import {
  FormFields,
  formValuesOf,
  loadAddressPickers,
  pickedAddress,
  validateForm,
  type AddressScope,
  type FormDefinition,
} from '../../kernel/forms/index.ts';
import {
  DEFAULT_ALLOWED_TYPES,
  formatBytes,
  mediaTypeLabel,
  readUpload,
  type BlobStore,
} from '../../kernel/files/index.ts';
import { auditContextOf, formValues } from '../../kernel/http/index.ts';
import { toDomainError } from '../../kernel/http/problem.ts';
import {
  CsrfField,
  Field,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormValues,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import type { Item } from '../services/index.ts';
import { chineseDate, type DocumentEntry, type DocumentService } from './application.documents.ts';
import type { SupplementNotice, SupplementService } from './application.supplement.ts';
import {
  IDENTITY_DOCUMENTS,
  takesApplications,
  type Application,
  type ApplicationService,
} from './application.service.ts';

export interface PagesDeps {
  applications: ApplicationService;
  supplements: SupplementService;
  documents: DocumentService;
  blobs: BlobStore;
  item(tenantId: string, code: string): Promise<Item | undefined>;
  /** where address fields may lie on this site, and how to look divisions up */
  addressScope(tenantId: string): AddressScope;
}

/** Where an application's pages live for this viewer. */
const baseOf = (req: FastifyRequest) =>
  req.actor?.kind === 'staff' ? '/workbench/applications' : '/account/applications';

function Materials(props: { a: Application; item: Item; base: string; problems: FieldProblem[] }) {
  const { t } = usePage();
  const { a, item } = props;
  return (
    <section aria-labelledby="materials-title">
      <h2 id="materials-title">{t('applications.materials')}</h2>
      <ul class="materials">
        {item.materials.map((m) => {
          const files = a.files.filter((f) => f.materialKey === m.key);
          const problem = props.problems.find((p) => p.field === `materials/${m.key}`);
          return (
            <li id={`field-materials/${m.key}`} class={problem ? 'field field-error' : 'field'}>
              <h3>{m.name}</h3>
              <p class="hint">
                {m.heldBy
                  ? t('applications.material.held', { source: m.heldBy })
                  : m.required
                    ? t('applications.material.required')
                    : t('applications.material.conditional', { condition: m.condition })}
              </p>
              {problem ? <p class="error-message">{t(problem.code, problem.params)}</p> : null}
              {files.length > 0 ? (
                <ul>
                  {files.map((f) => (
                    <li>
                      {f.fileName}{' '}
                      <span class="muted">
                        {mediaTypeLabel(f.mediaType)} · {formatBytes(f.size)}
                      </span>
                      {a.status === 'draft' ? (
                        <form
                          method="post"
                          action={`${props.base}/${a.publicId}/materials/${m.key}/${f.digest}/delete`}
                          class="inline"
                        >
                          <CsrfField />
                          <button type="submit" class="secondary">
                            {t('applications.material.remove', { name: f.fileName })}
                          </button>
                        </form>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : null}
              {a.status === 'draft' ? (
                <form
                  method="post"
                  action={`${props.base}/${a.publicId}/materials/${m.key}`}
                  enctype="multipart/form-data"
                >
                  <CsrfField />
                  <label for={`file-${m.key}`}>{t('applications.material.choose', { name: m.name })}</label>
                  <input id={`file-${m.key}`} type="file" name="file" multiple />
                  <button type="submit">{t('applications.material.upload')}</button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * The open 补正 notice: each item asked for with what is wrong with it, the files given for it since,
 * and — for the applicant — an upload per item and 重新提交.
 */
function Supplement(props: {
  a: Application;
  notice: SupplementNotice;
  base: string;
  problems: FieldProblem[];
}) {
  const { t } = usePage();
  const { a, notice } = props;
  const action = `${props.base}/${a.publicId}`;
  const noteProblem = props.problems.find((p) => p.field === 'note');
  return (
    <section aria-labelledby="supplement-title" class="supplement">
      <h2 id="supplement-title">{t('applications.supplement.title')}</h2>
      <p>
        {t(notice.canAnswer ? 'applications.supplement.intro' : 'applications.supplement.intro_waiting', {
          date: chineseDate(notice.since),
        })}
      </p>
      {notice.reason ? <p class="notice">{notice.reason}</p> : null}
      <ol class="materials">
        {notice.targets.map((x) => {
          const field = `supplement/${x.n}`;
          const problem = props.problems.find((p) => p.field === field);
          return (
            <li id={`field-${field}`} class={problem ? 'field field-error' : 'field'}>
              <h3>{x.label}</h3>
              {x.note ? <p class="hint">{x.note}</p> : null}
              {problem ? <p class="error-message">{t(problem.code, problem.params)}</p> : null}
              {x.files.length > 0 ? (
                <ul>
                  {x.files.map((f) => (
                    <li>
                      {f.fileName}{' '}
                      <span class="muted">
                        {mediaTypeLabel(f.mediaType)} · {formatBytes(f.size)}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="muted">{t('applications.supplement.nothing_yet')}</p>
              )}
              {notice.canAnswer ? (
                <form method="post" action={`${action}/supplement/${x.n}`} enctype="multipart/form-data">
                  <CsrfField />
                  <label for={`supplement-${x.n}`}>
                    {t('applications.material.choose', { name: x.label })}
                  </label>
                  <input id={`supplement-${x.n}`} type="file" name="file" multiple />
                  <button type="submit">{t('applications.material.upload')}</button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ol>
      {notice.canAnswer ? (
        <form method="post" action={`${action}/resubmission`} novalidate>
          <CsrfField />
          <Field
            name="note"
            label={t('applications.supplement.note')}
            state={{ values: {}, problems: noteProblem ? [noteProblem] : [] }}
            rows={2}
            maxLength={2000}
          />
          <p class="hint">{t('applications.supplement.resubmit_hint')}</p>
          <button type="submit">{t('applications.supplement.resubmit')}</button>
        </form>
      ) : null}
    </section>
  );
}

/** The decision documents the case issued, each a PDF link. */
function Decisions(props: { items: DocumentEntry[] }) {
  const { t } = usePage();
  if (props.items.length === 0) return null;
  return (
    <section aria-labelledby="decisions-title">
      <h2 id="decisions-title">{t('applications.decisions.title')}</h2>
      <ul>
        {props.items.map((d) => (
          <li>
            <a href={d.href} download>
              {t('applications.decisions.download', { title: d.title })}
            </a>{' '}
            <span class="muted">{chineseDate(d.issuedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Draft(props: {
  a: Application;
  item: Item;
  base: string;
  values: FormValues;
  problems: FieldProblem[];
  formProblem?: string | undefined;
  divisions: Awaited<ReturnType<typeof loadAddressPickers>>;
  /** a submitted application's open 补正 notice, its decision documents */
  notice?: SupplementNotice | null;
  decisions?: DocumentEntry[];
  resubmitted?: boolean;
}) {
  const { t } = usePage();
  const { a, item } = props;
  if (a.status === 'submitted')
    return (
      <>
        <p class="notice" role="status">
          {t('applications.submitted', { number: a.caseNumber ?? '' })}
        </p>
        {props.resubmitted ? (
          <p class="notice" role="status">
            {t('applications.supplement.resubmitted')}
          </p>
        ) : null}
        {props.formProblem ? (
          <div class="error-summary" role="alert" tabIndex={-1}>
            <h2>{t('form.error_summary')}</h2>
            <p>{props.formProblem}</p>
          </div>
        ) : null}
        {props.notice ? (
          <Supplement a={a} notice={props.notice} base={props.base} problems={props.problems} />
        ) : null}
        <p>
          <a
            href={`${props.base === '/workbench/applications' ? '/workbench/cases' : '/account/cases'}/${a.caseNumber}`}
          >
            {t('applications.follow_case')}
          </a>
        </p>
        {a.licenceId ? (
          <p>
            <a href={`/licences/${a.licenceId}`}>{t('applications.licence')}</a>
          </p>
        ) : null}
        <Decisions items={props.decisions ?? []} />
      </>
    );
  const def = item.form as FormDefinition | null;
  return (
    <>
      <SavedNotice />
      {a.intake ? (
        <p>
          {t('applications.walk_in', {
            name: a.applicant.name,
            officer: a.intake.officerName,
            document: t(`applications.document.${a.intake.document}`),
          })}
        </p>
      ) : null}
      {props.problems.length > 0 || props.formProblem ? (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.error_summary')}</h2>
          {props.formProblem ? <p>{props.formProblem}</p> : null}
          <ul>
            {props.problems.map((p) => (
              <li>
                <a href={`#field-${p.field}`}>{t(p.code, p.params)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={`${props.base}/${a.publicId}`} novalidate>
        <CsrfField />
        {def ? (
          <FormFields def={def} values={props.values} problems={props.problems} divisions={props.divisions} />
        ) : (
          <p>{t('applications.no_form')}</p>
        )}
        <div class="actions">
          <button type="submit" name="_save" value="1" class="secondary">
            {t('applications.save')}
          </button>
        </div>
      </form>
      <Materials a={a} item={item} base={props.base} problems={props.problems} />
      <form method="post" action={`${props.base}/${a.publicId}/submission`}>
        <CsrfField />
        <p class="hint">{t('applications.submit_hint')}</p>
        <button type="submit">{t('applications.submit')}</button>
      </form>
    </>
  );
}

export function applicationsPages(app: FastifyInstance, deps: PagesDeps): void {
  const { applications } = deps;
  const access = { access: ['account.self', 'case.handle'] as const };
  const hide = { hide: true };

  /** The draft page, with the values and problems to show. */
  async function draftPage(
    req: FastifyRequest,
    a: Application,
    state: { values?: FormValues; problems?: FieldProblem[]; formProblem?: string } = {},
  ): Promise<PageContent> {
    const item = await deps.item(req.site.tenantId, a.itemCode);
    if (!item) throw new DomainError('not_found', 'applications.item_closed', { code: a.itemCode });
    const def = item.form as FormDefinition | null;
    const values = state.values ?? (def ? formValuesOf(def, a.data as never) : {});
    const divisions = def ? await loadAddressPickers(def, values, deps.addressScope(req.site.tenantId)) : {};
    const base = baseOf(req);
    const ctx = auditContextOf(req);
    const submitted = a.status === 'submitted';
    const notice = submitted ? await deps.supplements.notice(ctx, a) : null;
    const decisions = submitted ? await deps.documents.list(ctx, a.publicId) : [];
    const body = (
      <>
        <h1>{a.itemName}</h1>
        <Draft
          a={a}
          item={item}
          base={base}
          values={values}
          problems={state.problems ?? []}
          formProblem={state.formProblem}
          divisions={divisions}
          notice={notice}
          decisions={decisions}
          resubmitted={/[?&]resubmitted=1(&|$)/.test(req.url)}
        />
      </>
    );
    const t = req.t;
    return base === '/workbench/applications'
      ? workbenchPage(t, a.itemName, body, [
          { href: '/workbench/applications', label: t('applications.window.title') },
        ])
      : {
          area: 'portal',
          title: a.itemName,
          breadcrumbs: [
            { href: '/', label: t('nav.home') },
            { href: '/account/applications', label: t('applications.mine.title') },
            { label: a.itemName },
          ],
          body,
        };
  }

  /** A refused write: the draft again with the problems (400/409), or the error as it is. */
  async function refused(
    req: FastifyRequest,
    reply: FastifyReply,
    a: Application,
    e: unknown,
    values?: FormValues,
  ) {
    const domain = toDomainError(e);
    if (
      !domain ||
      (domain.kind !== 'invalid' &&
        domain.kind !== 'conflict' &&
        domain.kind !== 'too_large' &&
        domain.kind !== 'unsupported')
    )
      throw e;
    const fresh = await applications.get(auditContextOf(req), a.publicId);
    const page = await draftPage(req, fresh, {
      values,
      problems: domain.fields,
      formProblem: domain.fields.length === 0 ? req.t(domain.code, domain.params) : undefined,
    });
    return reply.page(page, ERROR_STATUS[domain.kind]);
  }

  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

  for (const base of ['/account/applications', '/workbench/applications']) {
    app.get(`${base}/:id`, { schema: hide, config: access }, async (req, reply) => {
      const a = await applications.get(auditContextOf(req), idOf(req));
      return reply.page(await draftPage(req, a));
    });

    // Save the form (or pick the next address level): what passes is kept, the rest shown beside its field.
    app.post(`${base}/:id`, { schema: hide, config: access }, async (req, reply) => {
      const ctx = auditContextOf(req);
      const a = await applications.get(ctx, idOf(req));
      const item = await deps.item(req.site.tenantId, a.itemCode);
      const def = item?.form as FormDefinition | null | undefined;
      const values = formValues(req.body);
      if (!def) return reply.redirect(`${base}/${a.publicId}`, 303);
      if (pickedAddress(def, values)) return reply.page(await draftPage(req, a, { values }));
      const v = await validateForm(def, values, {
        from: 'page',
        lang: req.locale,
        divisions: deps.addressScope(req.site.tenantId),
      });
      try {
        await applications.saveData(ctx, a.publicId, v.data);
      } catch (e) {
        return refused(req, reply, a, e, values);
      }
      if (v.problems.length > 0)
        return reply.page(
          await draftPage(req, await applications.get(ctx, a.publicId), { values, problems: v.problems }),
          400,
        );
      return reply.redirect(`${base}/${a.publicId}?saved=1`, 303);
    });

    app.post(`${base}/:id/materials/:key`, { schema: hide, config: access }, async (req, reply) => {
      const ctx = auditContextOf(req);
      const { key } = req.params as { key: string };
      const a = await applications.get(ctx, idOf(req));
      try {
        await applications.checkMaterial(ctx, a.publicId, key);
        const { files } = await readUpload(req, deps.blobs, {
          maxBytes: req.server.uploadLimitBytes,
          allowed: DEFAULT_ALLOWED_TYPES,
        });
        await applications.addFiles(ctx, a.publicId, key, files);
      } catch (e) {
        const d = toDomainError(e);
        if (d && d.fields.length === 0 && d.kind !== 'not_found')
          return refused(
            req,
            reply,
            a,
            new DomainError(d.kind, d.code, d.params, [
              { field: `materials/${key}`, code: d.code, params: d.params },
            ]),
          );
        return refused(req, reply, a, e);
      }
      return reply.redirect(`${base}/${a.publicId}?saved=1#field-materials/${key}`, 303);
    });

    app.post(
      `${base}/:id/materials/:key/:digest/delete`,
      { schema: hide, config: access },
      async (req, reply) => {
        const ctx = auditContextOf(req);
        const { key, digest } = req.params as { key: string; digest: string };
        const a = await applications.get(ctx, idOf(req));
        try {
          await applications.removeFile(ctx, a.publicId, key, digest);
        } catch (e) {
          return refused(req, reply, a, e);
        }
        return reply.redirect(`${base}/${a.publicId}?saved=1`, 303);
      },
    );

    app.post(`${base}/:id/submission`, { schema: hide, config: access }, async (req, reply) => {
      const ctx = auditContextOf(req);
      const a = await applications.get(ctx, idOf(req));
      try {
        await applications.submit(ctx, a.publicId);
      } catch (e) {
        return refused(req, reply, a, e);
      }
      return reply.redirect(`${base}/${a.publicId}`, 303);
    });

    // 补正: files for one item of the notice, kept as the application's and attached to its case.
    app.post(`${base}/:id/supplement/:n`, { schema: hide, config: access }, async (req, reply) => {
      const ctx = auditContextOf(req);
      const raw = (req.params as { n: string }).n;
      const n = /^\d{1,2}$/.test(raw) ? Number(raw) : -1;
      const a = await applications.get(ctx, idOf(req));
      try {
        await deps.supplements.check(ctx, a.publicId, n);
        const { files } = await readUpload(req, deps.blobs, {
          maxBytes: req.server.uploadLimitBytes,
          allowed: DEFAULT_ALLOWED_TYPES,
        });
        await deps.supplements.give(ctx, a.publicId, n, files);
      } catch (e) {
        const d = toDomainError(e);
        // A problem with the files shows beside the item; one with the notice (no longer open) above it.
        if (d && d.kind !== 'not_found' && d.kind !== 'conflict')
          return refused(
            req,
            reply,
            a,
            new DomainError(d.kind, d.code, d.params, [
              { field: `supplement/${n}`, code: d.fields[0]?.code ?? d.code, params: d.params },
            ]),
          );
        return refused(req, reply, a, e);
      }
      return reply.redirect(`${base}/${a.publicId}#field-supplement/${n}`, 303);
    });

    // 重新提交: the stop ends, the clock resumes as the process says.
    app.post(`${base}/:id/resubmission`, { schema: hide, config: access }, async (req, reply) => {
      const ctx = auditContextOf(req);
      const a = await applications.get(ctx, idOf(req));
      try {
        await deps.supplements.resubmit(ctx, a.publicId, formValues(req.body).note ?? '');
      } catch (e) {
        return refused(req, reply, a, e);
      }
      return reply.redirect(`${base}/${a.publicId}?resubmitted=1`, 303);
    });
  }

  // From a guide: confirm, then start a draft.
  /** From a guide: what the application is, and a button to start it — or why this viewer cannot. */
  const newPage = (req: FastifyRequest, item: Item, problem?: string): PageContent => {
    const t = req.t;
    const kind = req.actor?.kind;
    const audienceFits = item.audience === 'both' || item.audience === kind;
    return {
      area: 'portal',
      title: t('applications.new.title', { name: item.name }),
      body: (
        <>
          <h1>{t('applications.new.title', { name: item.name })}</h1>
          {problem ? (
            <p class="error-message" role="alert">
              {problem}
            </p>
          ) : null}
          {audienceFits ? (
            <form method="post" action="/applications/new">
              <CsrfField />
              <input type="hidden" name="item" value={item.code} />
              <p>
                {t('applications.new.intro', {
                  department: item.departmentName,
                  days: item.promisedDays ?? '—',
                })}
              </p>
              <button type="submit">{t('applications.new.start')}</button>
            </form>
          ) : (
            <p>{t(`applications.audience.${item.audience}`)}</p>
          )}
        </>
      ),
    };
  };
  const openItem = async (req: FastifyRequest, code: string) => {
    const item = await deps.item(req.site.tenantId, code.slice(0, 40));
    if (!item || !takesApplications(item))
      throw new DomainError('not_found', 'applications.item_closed', { code });
    return item;
  };
  app.get('/applications/new', { schema: hide, config: { access: 'account.self' } }, async (req, reply) =>
    reply.page(newPage(req, await openItem(req, String((req.query as { item?: string }).item ?? '')))),
  );
  app.post('/applications/new', { schema: hide, config: { access: 'account.self' } }, async (req, reply) => {
    const item = await openItem(req, formValues(req.body).item ?? '');
    try {
      const a = await applications.start(auditContextOf(req), item.code);
      return reply.redirect(`/account/applications/${a.publicId}`, 303);
    } catch (e) {
      const d = toDomainError(e);
      if (!d || (d.kind !== 'invalid' && d.kind !== 'forbidden')) throw e;
      const first = d.fields[0];
      const message = first ? req.t(first.code, first.params) : req.t(d.code, d.params);
      return reply.page(newPage(req, item, message), ERROR_STATUS[d.kind]);
    }
  });

  const List = (props: { items: Application[]; base: string }) => {
    const { t } = usePage();
    return props.items.length === 0 ? (
      <p>{t('applications.none')}</p>
    ) : (
      <table>
        <thead>
          <tr>
            <th scope="col">{t('applications.item')}</th>
            <th scope="col">{t('applications.applicant')}</th>
            <th scope="col">{t('applications.status')}</th>
            <th scope="col">{t('applications.started_at')}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((a) => (
            <tr>
              <td>
                <a href={`${props.base}/${a.publicId}`}>{a.itemName}</a>
              </td>
              <td>{a.applicant.name}</td>
              <td>
                {a.status === 'draft'
                  ? t('applications.status.draft')
                  : t('applications.submitted', { number: a.caseNumber ?? '' })}
              </td>
              <td>{a.createdAt.slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  };

  app.get(
    '/account/applications',
    { schema: hide, config: { access: 'account.self' } },
    async (req, reply) => {
      const items = (await applications.mine(auditContextOf(req))).map((a) => ({ ...a, files: [] }));
      const t = req.t;
      return reply.page({
        area: 'portal',
        title: t('applications.mine.title'),
        breadcrumbs: [{ href: '/', label: t('nav.home') }, { label: t('applications.mine.title') }],
        body: (
          <>
            <h1>{t('applications.mine.title')}</h1>
            <List items={items} base="/account/applications" />
          </>
        ),
      });
    },
  );

  // A window: its applications, and taking one for a walk-in applicant.
  const windowPage = async (req: FastifyRequest, state: { values: FormValues; problems: FieldProblem[] }) => {
    const t = req.t;
    const items = (await applications.mine(auditContextOf(req))).map((a) => ({ ...a, files: [] }));
    const s = { values: state.values, problems: state.problems };
    return workbenchPage(
      t,
      t('applications.window.title'),
      <>
        <h1>{t('applications.window.title')}</h1>
        <h2>{t('applications.window.new')}</h2>
        <form method="post" action="/workbench/applications" novalidate>
          <CsrfField />
          <Field
            name="item"
            label={t('applications.window.item')}
            hint={t('applications.window.item_hint')}
            state={s}
            required
            maxLength={40}
          />
          <Field
            name="kind"
            label={t('applications.window.kind')}
            state={s}
            options={[
              { value: 'person', label: t('applications.kind.person') },
              { value: 'enterprise', label: t('applications.kind.enterprise') },
            ]}
          />
          <Field name="name" label={t('applications.window.name')} state={s} required maxLength={100} />
          <Field
            name="idNumber"
            label={t('applications.window.id_number')}
            state={s}
            required
            maxLength={18}
            inputMode="text"
          />
          <Field
            name="document"
            label={t('applications.window.document')}
            state={s}
            options={IDENTITY_DOCUMENTS.map((d) => ({ value: d, label: t(`applications.document.${d}`) }))}
          />
          <button type="submit">{t('applications.window.start')}</button>
        </form>
        <h2>{t('applications.window.list')}</h2>
        <List items={items} base="/workbench/applications" />
      </>,
    );
  };
  app.get(
    '/workbench/applications',
    { schema: hide, config: { access: 'case.handle' } },
    async (req, reply) =>
      reply.page(
        await windowPage(req, { values: { kind: 'person', document: 'resident_id_card' }, problems: [] }),
      ),
  );
  app.post(
    '/workbench/applications',
    { schema: hide, config: { access: 'case.handle' } },
    async (req, reply) => {
      const v = formValues(req.body);
      const ctx: AuditContext = auditContextOf(req);
      try {
        const a = await applications.startAtWindow(ctx, (v.item ?? '').trim().toUpperCase(), {
          kind: v.kind === 'enterprise' ? 'enterprise' : 'person',
          name: v.name ?? '',
          idNumber: v.idNumber ?? '',
          document: v.document ?? '',
        });
        return reply.redirect(`/workbench/applications/${a.publicId}`, 303);
      } catch (e) {
        const d = toDomainError(e);
        if (!d || d.kind !== 'invalid') throw e;
        return reply.page(await windowPage(req, { values: v, problems: d.fields }), 400);
      }
    },
  );
}
