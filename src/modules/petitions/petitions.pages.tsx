/**
 * 网上信访 in pages, without JavaScript: the petition form (/petitions/new, multipart with its
 * attachments, the place chosen level by level with "选择下一级"), the petitioner's petitions at /account/petitions (status, due dates, the
 * written answers as PDF, the rating, the 复查/复核 request while in time and the day it expired
 * otherwise), and the staff's list at /workbench/petitions with each petition (accept and hand on,
 * reroute, the identity one audited click away). Decisions are taken on the case page.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ERROR_STATUS, type FieldProblem } from '../../kernel/errors.ts';
import { formatBytes, mediaTypeLabel, type BlobStore } from '../../kernel/files/index.ts';
import { auditContextOf, formValues, postLimit, submitForm } from '../../kernel/http/index.ts';
import { toDomainError } from '../../kernel/http/problem.ts';
import {
  CsrfField,
  emptyForm,
  Field,
  Form,
  Pagination,
  usePage,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import { ATTACHMENTS_FIELD, limitParams, type OfferedAttachment } from './attachments.ts';
import { LIMITS } from './petition.checks.ts';
import { chinaTime, dueDay } from './petition.dates.ts';
import type { Petition, PetitionDetail, PetitionPorts, PetitionService } from './petition.service.ts';
import { readPetitionUpload } from './petitions.upload.ts';
import { MATTER_TYPES } from './matter-types.ts';
import { RATINGS, type StageCase } from './petition.store.ts';

const ACCOUNT = '/account/petitions';
const WORKBENCH = '/workbench/petitions';
const PAGE = 20;
const PLACE_LEVELS = 4;

/**
 * The place's selects: one per level below the site, down to the street (属地). A level's choice counts
 * only if it is among the children of the one above, so a lower select left from before a higher one
 * changed is ignored.
 */
async function placeLevels(
  divisions: PetitionPorts['divisions'],
  root: string,
  values: Record<string, string | undefined>,
) {
  const levels: { options: { code: string; name: string }[]; chosen: string | undefined }[] = [];
  let parent = root;
  let chosen = '';
  while (levels.length < PLACE_LEVELS) {
    const options = await divisions.children(parent);
    if (options.length === 0) break;
    const v = (values[`place/${levels.length + 1}`] ?? '').trim();
    const here = options.find((o) => o.code === v)?.code;
    levels.push({ options, chosen: here });
    if (!here || here.length >= 9) {
      if (here) chosen = here;
      break;
    }
    chosen = here;
    parent = here;
  }
  return { levels, chosen };
}

function PlacePicker(props: { levels: Awaited<ReturnType<typeof placeLevels>>['levels']; state: FormState }) {
  const { t } = usePage();
  const problem = props.state.problems.find((p) => p.field === 'place');
  return (
    <fieldset
      class={problem ? 'field field-error' : 'field'}
      aria-describedby={problem ? 'field-place-error' : 'field-place-hint'}
    >
      <legend>
        {t('petitions.place')}
        <span class="required"> {t('form.required')}</span>
      </legend>
      <p class="hint" id="field-place-hint">
        {t('petitions.new.place_hint')}
      </p>
      {problem ? (
        <p class="error-message" id="field-place-error">
          {t(problem.code, problem.params)}
        </p>
      ) : null}
      {props.levels.map((level, i) => (
        <div class="field">
          <label for={i === 0 ? 'field-place' : `field-place-${i + 1}`}>
            {t(`petitions.place.level${i + 1}`)}
          </label>
          <select
            id={i === 0 ? 'field-place' : `field-place-${i + 1}`}
            name={`place/${i + 1}`}
            aria-invalid={problem ? 'true' : undefined}
          >
            <option value="">{t('common.choose')}</option>
            {level.options.map((o) => (
              <option value={o.code} selected={o.code === level.chosen}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ))}
      <p>
        <button type="submit" name="_pick" value="place" class="secondary">
          {t('forms.address.pick_next')}
        </button>
      </p>
    </fieldset>
  );
}

const statusText = (t: (k: string, p?: Record<string, string | number>) => string, p: Petition) =>
  t(`petitions.status.${p.status}`);

function StageRow(props: { label: string; s: StageCase }) {
  const { t } = usePage();
  const s = props.s;
  if (!s.caseNumber) return null;
  return (
    <tr>
      <th scope="row">{props.label}</th>
      <td>{s.caseNumber}</td>
      <td>{s.departmentName || '—'}</td>
      <td>{s.dueAt ? <time dateTime={s.dueAt.toISOString()}>{dueDay(s.dueAt)}</time> : '—'}</td>
      <td>{s.decidedAt ? chinaTime(s.decidedAt) : '—'}</td>
      <td>{s.rating ? t(`petitions.rating.${s.rating}`) : '—'}</td>
    </tr>
  );
}

function Progress(props: { p: Petition }) {
  const { t } = usePage();
  const p = props.p;
  return (
    <>
      <p>
        <strong>{t('petitions.status')}：</strong>
        {statusText(t, p)}
        {p.extended ? ` ${t('petitions.extended')}` : ''}
      </p>
      {p.status === 'held' ? (
        <p class="notice" role="status">
          {t('petitions.held_notice')}
        </p>
      ) : null}
      {p.status === 'rejected' ? (
        <p class="notice" role="status">
          {t('petitions.rejected_notice', { reason: p.moderationNote })}
        </p>
      ) : null}
      {p.repeatOf ? (
        <p class="notice" role="status">
          {t('petitions.repeat_notice', { number: p.repeatOf.caseNumber ?? '—' })}{' '}
          <a href={`${ACCOUNT}/${p.repeatOf.publicId}`}>{t('petitions.repeat_link')}</a>
        </p>
      ) : null}
      {p.petition.caseNumber ? (
        <table>
          <caption>{t('petitions.stages')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('petitions.stage')}</th>
              <th scope="col">{t('petitions.case')}</th>
              <th scope="col">{t('petitions.body')}</th>
              <th scope="col">{t('petitions.due')}</th>
              <th scope="col">{t('petitions.decided')}</th>
              <th scope="col">{t('petitions.rating')}</th>
            </tr>
          </thead>
          <tbody>
            <StageRow label={t('petitions.stage.petition')} s={p.petition} />
            <StageRow label={t('petitions.stage.review')} s={p.review} />
            <StageRow label={t('petitions.stage.reexam')} s={p.reexam} />
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/** Text with its line breaks kept (inline styles are refused by the Content-Security-Policy). */
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

function Facts(props: { p: PetitionDetail }) {
  const { t } = usePage();
  const p = props.p;
  return (
    <dl>
      <dt>{t('petitions.matter_type')}</dt>
      <dd>{t(`petitions.matter_type.${p.matterType}`)}</dd>
      <dt>{t('petitions.place')}</dt>
      <dd>
        {p.placeName || p.placeCode} {p.placeDetail}
      </dd>
      <dt>{t('petitions.matter')}</dt>
      <dd>{p.matter}</dd>
      <dt>{t('petitions.requests')}</dt>
      <dd>
        <Lines text={p.requests} />
      </dd>
      <dt>{t('petitions.facts')}</dt>
      <dd>
        <Lines text={p.facts} />
      </dd>
      {p.attachments.length > 0 ? (
        <>
          <dt>{t('petitions.attachments')}</dt>
          <dd>
            <ul>
              {p.attachments.map((a) => (
                <li>
                  <a href={a.href} download={a.filename}>
                    {a.filename}
                  </a>{' '}
                  <span class="muted">
                    {mediaTypeLabel(a.mediaType)} · {formatBytes(a.size)}
                  </span>
                </li>
              ))}
            </ul>
          </dd>
        </>
      ) : null}
      <dt>{t('petitions.petitioner')}</dt>
      <dd>
        {p.petitioner.name} · {p.petitioner.idNumberMasked}
      </dd>
    </dl>
  );
}

function Documents(props: { p: PetitionDetail }) {
  const { t } = usePage();
  if (props.p.documents.length === 0) return null;
  return (
    <>
      <h2>{t('petitions.documents')}</h2>
      <ul>
        {props.p.documents.map((d) => (
          <li>
            <a href={d.href}>{d.title}</a> {chinaTime(new Date(d.at))}
          </li>
        ))}
      </ul>
    </>
  );
}

function PetitionList(props: { items: Petition[]; base: string; staff: boolean }) {
  const { t } = usePage();
  return (
    <table>
      <caption class="visually-hidden">{t('petitions.list.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('petitions.matter')}</th>
          <th scope="col">{t('petitions.case')}</th>
          {props.staff ? <th scope="col">{t('petitions.body')}</th> : null}
          <th scope="col">{t('petitions.submitted_at')}</th>
          <th scope="col">{t('petitions.due')}</th>
          <th scope="col">{t('petitions.status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((p) => {
          const due = p.reexam.dueAt ?? p.review.dueAt ?? p.petition.dueAt;
          return (
            <tr>
              <td>
                <a href={`${props.base}/${p.publicId}`}>{p.matter}</a>
              </td>
              <td>{p.petition.caseNumber ?? '—'}</td>
              {props.staff ? <td>{p.petition.departmentName || p.office.name}</td> : null}
              <td>{chinaTime(p.createdAt)}</td>
              <td>{due ? dueDay(due) : '—'}</td>
              <td>{statusText(t, p)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * The materials: up to 5 files, their limits in the hint, each problem beside the input. `dropped`:
 * files sent with a form drawn again (选择下一级, or a problem) — a browser cannot keep them chosen.
 */
function AttachmentsField(props: { state: FormState; dropped: number }) {
  const { t } = usePage();
  const id = `field-${ATTACHMENTS_FIELD}`;
  const problems = props.state.problems.filter((p) => p.field === ATTACHMENTS_FIELD);
  const described = [
    `${id}-hint`,
    props.dropped > 0 ? `${id}-again` : '',
    problems.length > 0 ? `${id}-error` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div class={problems.length > 0 ? 'field field-error' : 'field'}>
      <label for={id}>{t('petitions.attachments')}</label>
      <p class="hint" id={`${id}-hint`}>
        {t('petitions.attachments.hint', limitParams())}
      </p>
      {props.dropped > 0 ? (
        <p class="hint" id={`${id}-again`}>
          {t('petitions.attachments.again', { n: props.dropped })}
        </p>
      ) : null}
      {problems.length > 0 ? (
        <p class="error-message" id={`${id}-error`}>
          {problems.map((p, i) => (
            <>
              {i > 0 ? <br /> : null}
              {t(p.code, p.params)}
            </>
          ))}
        </p>
      ) : null}
      <input
        id={id}
        name={ATTACHMENTS_FIELD}
        type="file"
        multiple
        accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
        aria-describedby={described}
        aria-invalid={problems.length > 0 ? 'true' : undefined}
      />
    </div>
  );
}

export function petitionPages(
  app: FastifyInstance,
  deps: {
    petitions: PetitionService;
    postsPerMinute: number;
    divisions: PetitionPorts['divisions'];
    blobs: BlobStore;
  },
) {
  const { petitions } = deps;
  const hide = { hide: true };
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

  type Levels = Awaited<ReturnType<typeof placeLevels>>['levels'];
  const newPage = (req: FastifyRequest, state: FormState, levels: Levels, dropped = 0): PageContent => {
    const t = req.t;
    const title = t('petitions.new.title');
    const choose = { value: '', label: t('common.choose') };
    return {
      area: 'portal',
      title,
      breadcrumbs: [{ href: '/', label: t('nav.home') }, { label: title }],
      body: (
        <>
          <h1>{title}</h1>
          <p>{t('petitions.new.intro')}</p>
          <p class="hint">{t('petitions.new.privacy')}</p>
          <Form multipart action="/petitions/new" submitLabel={t('petitions.new.submit')} state={state}>
            <fieldset class="row-group">
              <legend>{t('petitions.petitioner')}</legend>
              <Field
                name="petitioner.name"
                label={t('petitions.petitioner.name')}
                state={state}
                required
                maxLength={LIMITS.name}
                autocomplete="name"
              />
              <Field
                name="petitioner.idNumber"
                label={t('petitions.petitioner.idNumber')}
                state={state}
                required
                maxLength={18}
              />
              <Field
                name="petitioner.phone"
                label={t('petitions.petitioner.phone')}
                state={state}
                required
                maxLength={LIMITS.phone}
                type="tel"
                inputMode="tel"
                autocomplete="tel"
              />
              <Field
                name="petitioner.address"
                label={t('petitions.petitioner.address')}
                state={state}
                required
                maxLength={LIMITS.address}
                autocomplete="street-address"
              />
            </fieldset>
            <fieldset class="row-group">
              <legend>{t('petitions.the_matter')}</legend>
              <Field
                name="matterType"
                label={t('petitions.matter_type')}
                state={state}
                required
                options={[
                  choose,
                  ...MATTER_TYPES.map((m) => ({ value: m, label: t(`petitions.matter_type.${m}`) })),
                ]}
              />
              <PlacePicker levels={levels} state={state} />
              <Field
                name="placeDetail"
                label={t('petitions.place_detail')}
                state={state}
                maxLength={LIMITS.placeDetail}
              />
              <Field
                name="matter"
                label={t('petitions.matter')}
                hint={t('petitions.new.matter_hint', { max: LIMITS.matter })}
                state={state}
                required
                maxLength={LIMITS.matter}
              />
              <Field
                name="requests"
                label={t('petitions.requests')}
                hint={t('petitions.new.max', { max: LIMITS.requests })}
                state={state}
                required
                rows={4}
                maxLength={LIMITS.requests}
              />
              <Field
                name="facts"
                label={t('petitions.facts')}
                hint={t('petitions.new.max', { max: LIMITS.facts })}
                state={state}
                required
                rows={8}
                maxLength={LIMITS.facts}
              />
              {/* Last in the form: the text comes before the files' bytes. */}
              <AttachmentsField state={state} dropped={dropped} />
            </fieldset>
          </Form>
        </>
      ),
    };
  };

  const inputOf = (v: Record<string, string>, chosen: string) => {
    return {
      petitioner: {
        name: v['petitioner.name'],
        idNumber: v['petitioner.idNumber'],
        phone: v['petitioner.phone'],
        address: v['petitioner.address'],
      },
      matterType: v.matterType,
      place: chosen,
      placeDetail: v.placeDetail,
      matter: v.matter,
      requests: v.requests,
      facts: v.facts,
    };
  };

  app.get('/petitions/new', { schema: hide, config: { access: 'account.self' } }, async (req, reply) => {
    const p = await petitions.prefill(auditContextOf(req));
    const { levels } = await placeLevels(deps.divisions, req.site.tenantId, {});
    const values = {
      'petitioner.name': p.name,
      'petitioner.phone': p.phone,
      'petitioner.address': p.address,
    };
    return reply.page(newPage(req, emptyForm(values), levels));
  });
  app.post(
    '/petitions/new',
    { schema: hide, config: { access: 'account.self', rateLimit: postLimit(deps.postsPerMinute) } },
    async (req, reply) => {
      const tenantId = req.site.tenantId;
      // The form is multipart (its files); a plain form post (an older page, a script) is taken too.
      let values: Record<string, string>;
      let attachments: OfferedAttachment[] = [];
      let problems: FieldProblem[] = [];
      if (req.isMultipart()) {
        try {
          ({ fields: values, attachments, problems } = await readPetitionUpload(req, deps.blobs));
        } catch (e) {
          // Refused by the parser itself (a file past the server's limit): what came after it is lost.
          const d = toDomainError(e);
          if (!d || d.fields.length === 0) throw e;
          const { levels } = await placeLevels(deps.divisions, tenantId, {});
          return reply.page(
            newPage(req, { values: {}, problems: d.fields }, levels, 1),
            ERROR_STATUS[d.kind],
          );
        }
      } else values = formValues(req.body);
      const { levels, chosen } = await placeLevels(deps.divisions, tenantId, values);
      // "选择下一级": draw the form again with the next level open; nothing is written.
      if (values._pick) return reply.page(newPage(req, emptyForm(values), levels, attachments.length));
      // Files in a part the form has not (a script's mistake): said so, nothing written.
      if (problems.length > 0)
        return reply.page(newPage(req, { values, problems }, levels, attachments.length), 400);
      try {
        const p = await petitions.submit(auditContextOf(req), { ...inputOf(values, chosen), attachments });
        return reply.redirect(`${ACCOUNT}/${p.publicId}?submitted=1`, 303);
      } catch (e) {
        // As submitForm: every problem beside its field, what was typed kept (the files to choose again).
        const d = toDomainError(e);
        if (!d || (d.kind !== 'invalid' && d.kind !== 'conflict')) throw e;
        const state: FormState =
          d.fields.length > 0
            ? { values, problems: d.fields }
            : { values, problems: [], formProblem: req.t(d.code, d.params) };
        return reply.page(newPage(req, state, levels, attachments.length), ERROR_STATUS[d.kind]);
      }
    },
  );

  app.get(ACCOUNT, { schema: hide, config: { access: 'account.self' } }, async (req, reply) => {
    const t = req.t;
    const items = await petitions.mine(auditContextOf(req));
    const title = t('petitions.mine.title');
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
            <p role="status">{t('petitions.mine.none')}</p>
          ) : (
            <PetitionList items={items} base={ACCOUNT} staff={false} />
          )}
          <p>
            <a class="button" href="/petitions/new">
              {t('petitions.new.title')}
            </a>
          </p>
        </>
      ),
    });
  });

  /** `state` belongs to the form that was posted (`posted`); the other one is drawn empty. */
  const accountPage = (
    req: FastifyRequest,
    p: PetitionDetail,
    state: FormState,
    posted?: 'rating' | 'review',
  ): PageContent => {
    const t = req.t;
    const stateOf = (form: 'rating' | 'review') => (form === posted ? state : emptyForm());
    const title = t('petitions.one.title', { matter: p.matter });
    const submitted = /[?&]submitted=1(&|$)/.test(req.url);
    return {
      area: 'portal',
      title,
      breadcrumbs: [
        { href: '/', label: t('nav.home') },
        { href: ACCOUNT, label: t('petitions.mine.title') },
        { label: p.petition.caseNumber ?? p.matter },
      ],
      body: (
        <>
          <h1>{title}</h1>
          {submitted && p.status === 'registering' ? (
            <p class="notice" role="status">
              {t('petitions.submitted_notice', {
                office: p.office.name,
                due: p.petition.dueAt ? dueDay(p.petition.dueAt) : '—',
              })}
            </p>
          ) : null}
          <Progress p={p} />
          <Documents p={p} />
          {p.rateable ? (
            <Form
              action={`${ACCOUNT}/${p.publicId}/rating`}
              submitLabel={t('petitions.rate.submit')}
              state={stateOf('rating')}
            >
              <Field
                name="rating"
                label={t(`petitions.rate.${p.rateable}`)}
                state={stateOf('rating')}
                required
                options={[
                  { value: '', label: t('common.choose') },
                  ...RATINGS.map((r) => ({ value: r, label: t(`petitions.rating.${r}`) })),
                ]}
              />
            </Form>
          ) : null}
          {p.next?.open ? (
            <>
              <h2>{t(`petitions.${p.next.stage}.request`)}</h2>
              <p>{t(`petitions.${p.next.stage}.until`, { until: dueDay(p.next.until) })}</p>
              <Form
                action={`${ACCOUNT}/${p.publicId}/review`}
                submitLabel={t(`petitions.${p.next.stage}.submit`)}
                state={stateOf('review')}
              >
                <Field
                  name="reason"
                  label={t('petitions.review.reason')}
                  state={stateOf('review')}
                  required
                  rows={4}
                  maxLength={LIMITS.reason}
                />
              </Form>
            </>
          ) : null}
          {p.next && !p.next.open ? (
            <p class="notice" role="status">
              {t(`petitions.${p.next.stage}.expired`, { expired: dueDay(p.next.until) })}
            </p>
          ) : null}
          <h2>{t('petitions.the_matter')}</h2>
          <Facts p={p} />
        </>
      ),
    };
  };

  app.get(`${ACCOUNT}/:id`, { schema: hide, config: { access: 'account.self' } }, async (req, reply) => {
    const p = await petitions.get(auditContextOf(req), idOf(req));
    return reply.page(accountPage(req, p, emptyForm()));
  });
  app.post(
    `${ACCOUNT}/:id/rating`,
    { schema: hide, config: { access: 'account.self' } },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const p = await petitions.get(ctx, idOf(req));
      return submitForm(
        req,
        reply,
        async (v) => {
          await petitions.rate(ctx, p.publicId, v.rating);
          return `${ACCOUNT}/${p.publicId}`;
        },
        (state) => accountPage(req, p, state, 'rating'),
      );
    },
  );
  app.post(
    `${ACCOUNT}/:id/review`,
    { schema: hide, config: { access: 'account.self', rateLimit: postLimit(deps.postsPerMinute) } },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const p = await petitions.get(ctx, idOf(req));
      return submitForm(
        req,
        reply,
        async (v) => {
          await petitions.requestReview(ctx, p.publicId, { reason: v.reason });
          return `${ACCOUNT}/${p.publicId}`;
        },
        (state) => accountPage(req, p, state, 'review'),
      );
    },
  );

  app.get(
    WORKBENCH,
    { schema: hide, config: { access: ['petition.route', 'case.handle'] } },
    async (req, reply) => {
      const t = req.t;
      const offset = Math.max(0, Math.min(100_000, Number((req.query as { offset?: string }).offset) || 0));
      const found = await petitions.worklist(auditContextOf(req), { limit: PAGE, offset });
      const title = t('petitions.workbench.title');
      return reply.page(
        workbenchPage(
          t,
          title,
          <>
            <h1>{title}</h1>
            {found.items.length === 0 ? (
              <p role="status">{t('petitions.workbench.none')}</p>
            ) : (
              <PetitionList items={found.items} base={WORKBENCH} staff />
            )}
            <Pagination base={WORKBENCH} offset={offset} limit={PAGE} total={found.total} />
          </>,
        ),
      );
    },
  );

  type Departments = Awaited<ReturnType<PetitionService['departments']>>;
  const departmentsFor = (req: FastifyRequest, p: PetitionDetail) =>
    p.mayRoute ? petitions.departments(auditContextOf(req)) : Promise.resolve([]);
  const staffPage = (
    req: FastifyRequest,
    p: PetitionDetail,
    state: FormState,
    departments: Departments,
    identity?: { name: string; idNumber: string; phone: string; address: string },
  ): PageContent => {
    const t = req.t;
    const canView = req.actor?.permissions.has('pii.view') ?? false;
    return workbenchPage(
      t,
      t('petitions.one.title', { matter: p.matter }),
      <>
        <h1>{t('petitions.one.title', { matter: p.matter })}</h1>
        <Progress p={p} />
        {p.petition.caseNumber ? (
          <p>
            <a class="button" href={`/workbench/cases/${p.petition.caseNumber}`}>
              {t('petitions.workbench.case')}
            </a>
          </p>
        ) : null}
        <p>
          {t('petitions.workbench.routed', {
            department: p.petition.departmentName || '—',
            office: p.office.name,
          })}
        </p>
        {p.mayDispatch ? (
          <form method="post" action={`${WORKBENCH}/${p.publicId}/acceptance`} class="inline">
            <CsrfField />
            <button type="submit">
              {t(p.status === 'registering' ? 'petitions.workbench.accept' : 'petitions.workbench.dispatch')}
            </button>
          </form>
        ) : null}
        {p.mayRoute ? (
          <>
            <h2>{t('petitions.workbench.reroute')}</h2>
            <Form
              action={`${WORKBENCH}/${p.publicId}/route`}
              submitLabel={t('petitions.workbench.reroute_submit')}
              state={state}
            >
              <Field
                name="departmentId"
                label={t('petitions.workbench.reroute_to')}
                state={state}
                required
                options={[
                  { value: '', label: t('common.choose') },
                  ...departments.map((d) => ({ value: String(d.id), label: d.name })),
                ]}
              />
              <Field
                name="reason"
                label={t('petitions.workbench.reroute_reason')}
                state={state}
                required
                rows={2}
                maxLength={500}
              />
            </Form>
          </>
        ) : null}
        <Documents p={p} />
        <h2>{t('petitions.the_matter')}</h2>
        <Facts p={p} />
        {identity ? (
          <dl>
            <dt>{t('petitions.petitioner.name')}</dt>
            <dd>{identity.name}</dd>
            <dt>{t('petitions.petitioner.idNumber')}</dt>
            <dd>{identity.idNumber}</dd>
            <dt>{t('petitions.petitioner.phone')}</dt>
            <dd>{identity.phone}</dd>
            <dt>{t('petitions.petitioner.address')}</dt>
            <dd>{identity.address}</dd>
          </dl>
        ) : canView ? (
          <form method="post" action={`${WORKBENCH}/${p.publicId}/identity`} class="inline">
            <CsrfField />
            <button type="submit" class="secondary">
              {t('petitions.workbench.show_identity')}
            </button>{' '}
            <span class="hint">{t('petitions.workbench.show_identity_hint')}</span>
          </form>
        ) : null}
      </>,
      [{ href: WORKBENCH, label: t('petitions.workbench.title') }],
    );
  };

  const staffAccess = { schema: hide, config: { access: ['petition.route', 'case.handle'] as const } };
  app.get(`${WORKBENCH}/:id`, staffAccess, async (req, reply) => {
    const p = await petitions.get(auditContextOf(req), idOf(req));
    return reply.page(staffPage(req, p, emptyForm(), await departmentsFor(req, p)));
  });
  app.post(
    `${WORKBENCH}/:id/acceptance`,
    { schema: hide, config: { access: 'case.handle' } },
    async (req, reply) => {
      const p = await petitions.acceptAndDispatch(auditContextOf(req), idOf(req));
      return reply.redirect(`${WORKBENCH}/${p.publicId}`, 303);
    },
  );
  app.post(
    `${WORKBENCH}/:id/route`,
    { schema: hide, config: { access: 'petition.route' } },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const p = await petitions.get(ctx, idOf(req));
      const departments = await departmentsFor(req, p);
      return submitForm(
        req,
        reply,
        async (v) => {
          const id = v.departmentId?.trim() ?? '';
          await petitions.reroute(ctx, p.publicId, {
            departmentId: /^\d{1,9}$/.test(id) ? Number(id) : null,
            reason: v.reason,
          });
          return `${WORKBENCH}/${p.publicId}`;
        },
        (state) => staffPage(req, p, state, departments),
      );
    },
  );
  app.post(
    `${WORKBENCH}/:id/identity`,
    { schema: hide, config: { access: 'pii.view' } },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const identity = await petitions.identityOf(ctx, idOf(req));
      const p = await petitions.get(ctx, idOf(req));
      void reply.header('cache-control', 'private, no-store');
      return reply.page(staffPage(req, p, emptyForm(), await departmentsFor(req, p), identity));
    },
  );
}
