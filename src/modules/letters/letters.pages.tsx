/**
 * Letters on the portal, without JavaScript: the published letters (/letters, /letters/{id}), the
 * statistics with their chart and table (/letters/statistics), the writing form (/letters/new), and
 * the writer's letters with status, due date and the rating form (/account/letters).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS } from '../../kernel/errors.ts';
import type { BlobStore } from '../../kernel/files/index.ts';
import { auditContextOf, formValues, postLimit } from '../../kernel/http/index.ts';
import { toDomainError } from '../../kernel/http/problem.ts';
import {
  emptyForm,
  Field,
  Form,
  Pagination,
  RateBars,
  usePage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import {
  BODY,
  LETTER_KINDS,
  SATISFACTIONS,
  TITLE,
  type DepartmentFigures,
  type Letter,
  type LetterKind,
  type LetterService,
  type PublicLetter,
} from './letter.service.ts';
import { chinaYear, writeInputOf } from './letters.routes.ts';
import { AttachmentList, AttachmentsField, readLetterUpload } from './letters.upload.tsx';

const PAGE = 20;
const hide = { hide: true };
const CHINA_OFFSET_MS = 8 * 3_600_000;
/** An instant as Beijing time, to the minute. */
export const chinaTime = (iso: string) =>
  new Date(new Date(iso).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
export const chinaDay = (iso: string) => chinaTime(iso).slice(0, 10);

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

/** A letter's status in words, with its due date while it runs (overdue in bold). */
export function Status(props: { l: Letter }) {
  const { t } = usePage();
  const l = props.l;
  if (l.status === 'open' && l.dueAt)
    return new Date(l.dueAt) < new Date() ? (
      <strong>{t('letters.status.overdue', { due: chinaDay(l.dueAt) })}</strong>
    ) : (
      <>{t('letters.status.open_due', { due: chinaDay(l.dueAt) })}</>
    );
  return <>{t(`letters.status.${l.status}`)}</>;
}

const crumbs = (req: FastifyRequest, ...rest: { href?: string; label: string }[]) => [
  { href: '/', label: req.t('nav.home') },
  { href: '/letters', label: req.t('letters.title') },
  ...rest,
];

function PublicList(props: { items: PublicLetter[] }) {
  const { t } = usePage();
  return (
    <ul class="questions">
      {props.items.map((l) => (
        <li>
          <h3>
            <a href={`/letters/${l.id}`}>{l.title}</a>
          </h3>
          <p class="meta">
            {t('letters.public.meta', {
              kind: t(`letters.kind.${l.kind}`),
              addressee: l.addressee,
              name: l.writerName,
              date: chinaDay(l.writtenAt),
              replied: chinaDay(l.repliedAt),
            })}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Received and replied per department as bars, the figures as text too. */
function CountBars(props: { id: string; title: string; rows: DepartmentFigures[] }) {
  const { t } = usePage();
  const bar = 12;
  const label = 200;
  const width = label + 360;
  const height = props.rows.length * (bar * 2 + 12) + 10;
  const max = Math.max(1, ...props.rows.map((r) => r.received));
  const w = (n: number) => Math.max(1, ((width - label - 50) * n) / max);
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-labelledby={props.id}
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
      >
        <title id={props.id}>{props.title}</title>
        {props.rows.map((r, i) => {
          const y = 5 + i * (bar * 2 + 12);
          return (
            <g>
              <text x={label - 6} y={y + bar * 1.3} text-anchor="end" font-size="13">
                {r.department}
              </text>
              <rect x={label} y={y} width={w(r.received)} height={bar} fill="#1f5fa8" />
              <text x={label + w(r.received) + 6} y={y + bar - 2} font-size="11">
                {t('letters.stats.received_n', { count: r.received })}
              </text>
              <rect x={label} y={y + bar} width={w(r.replied)} height={bar} fill="#2e7d32" />
              <text x={label + w(r.replied) + 6} y={y + bar * 2 - 2} font-size="11">
                {t('letters.stats.replied_n', { count: r.replied })}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{t('letters.stats.counts_caption')}</figcaption>
    </figure>
  );
}

const rate = (n: number, of: number) => (of === 0 ? null : n / of);
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function Statistics(props: { year: number; rows: DepartmentFigures[] }) {
  const { t } = usePage();
  const { rows } = props;
  return (
    <>
      {rows.length === 0 ? (
        <p role="status">{t('letters.stats.none')}</p>
      ) : (
        <>
          <CountBars
            id="letters-counts"
            title={t('letters.stats.counts_title', { year: props.year })}
            rows={rows}
          />
          <RateBars
            id="letters-on-time"
            title={t('letters.stats.on_time_title')}
            caption={t('letters.stats.on_time_caption')}
            bars={rows.map((r) => ({ label: r.department, rate: rate(r.onTime, r.replied) }))}
          />
          <RateBars
            id="letters-satisfaction"
            title={t('letters.stats.satisfaction_title')}
            caption={t('letters.stats.satisfaction_caption')}
            bars={rows.map((r) => ({ label: r.department, rate: rate(r.satisfied + r.basically, r.rated) }))}
          />
          <table>
            <caption>{t('letters.stats.table_caption', { year: props.year })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('letters.department')}</th>
                <th scope="col">{t('letters.stats.received')}</th>
                <th scope="col">{t('letters.stats.replied')}</th>
                <th scope="col">{t('letters.stats.on_time')}</th>
                <th scope="col">{t('letters.stats.on_time_rate')}</th>
                <th scope="col">{t('letters.stats.rated')}</th>
                <th scope="col">{t('letters.satisfaction.satisfied')}</th>
                <th scope="col">{t('letters.satisfaction.basically')}</th>
                <th scope="col">{t('letters.satisfaction.unsatisfied')}</th>
                <th scope="col">{t('letters.stats.satisfaction_rate')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">{r.department}</th>
                  <td>{r.received}</td>
                  <td>{r.replied}</td>
                  <td>{r.onTime}</td>
                  <td>{pct(rate(r.onTime, r.replied))}</td>
                  <td>{r.rated}</td>
                  <td>{r.satisfied}</td>
                  <td>{r.basically}</td>
                  <td>{r.unsatisfied}</td>
                  <td>{pct(rate(r.satisfied + r.basically, r.rated))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

/** What the writer sees of their letter: the facts, the reply, the rating. */
function WriterView(props: { l: Letter; phone: string; rating: FormState | null }) {
  const { t } = usePage();
  const { l } = props;
  return (
    <>
      <dl class="facts">
        <dt>{t('letters.kind')}</dt>
        <dd>{t(`letters.kind.${l.kind}`)}</dd>
        <dt>{t('letters.addressee')}</dt>
        <dd>{l.mailbox?.name ?? l.department.name}</dd>
        <dt>{t('letters.department')}</dt>
        <dd>{l.department.name}</dd>
        <dt>{t('letters.status')}</dt>
        <dd>
          <Status l={l} />
        </dd>
        <dt>{t('letters.written_at')}</dt>
        <dd>{chinaTime(l.writtenAt)}</dd>
        <dt>{t('letters.phone')}</dt>
        <dd>{props.phone}</dd>
        <dt>{t('letters.may_publish')}</dt>
        <dd>{t(l.mayPublish ? 'letters.may_publish.yes' : 'letters.may_publish.no')}</dd>
      </dl>
      {l.status === 'held' ? (
        <p class="notice" role="status">
          {t('letters.held_notice')}
        </p>
      ) : null}
      {l.status === 'rejected' ? (
        <p class="notice" role="status">
          {t('letters.rejected_notice', { reason: l.rejectionReason ?? '' })}
        </p>
      ) : null}
      <h2>{l.title}</h2>
      <Lines text={l.body} />
      <AttachmentList publicId={l.publicId} files={l.attachments} />
      {l.reply ? (
        <>
          <h2>
            {t('letters.reply_heading', { department: l.department.name, date: chinaTime(l.repliedAt!) })}
          </h2>
          <Lines text={l.reply} />
          {l.satisfaction ? (
            <p>{t('letters.rated', { satisfaction: t(`letters.satisfaction.${l.satisfaction}`) })}</p>
          ) : props.rating ? (
            <RatingForm l={l} state={props.rating} />
          ) : null}
        </>
      ) : null}
    </>
  );
}

function RatingForm(props: { l: Letter; state: FormState }) {
  const { t, csrfToken } = usePage();
  const problem = props.state.problems.find((p) => p.field === 'satisfaction');
  return (
    <form method="post" action={`/account/letters/${props.l.publicId}/rating`}>
      <input type="hidden" name="_csrf" value={csrfToken} />
      <fieldset aria-describedby={problem ? 'field-satisfaction-error' : undefined}>
        <legend>{t('letters.rate')}</legend>
        {problem || props.state.formProblem ? (
          <p class="error-message" id="field-satisfaction-error" role="alert">
            {problem ? t(problem.code, problem.params) : props.state.formProblem}
          </p>
        ) : null}
        {SATISFACTIONS.map((s, i) => (
          <div>
            <input
              type="radio"
              id={i === 0 ? 'field-satisfaction' : `satisfaction-${s}`}
              name="satisfaction"
              value={s}
            />{' '}
            <label for={i === 0 ? 'field-satisfaction' : `satisfaction-${s}`}>
              {t(`letters.satisfaction.${s}`)}
            </label>
          </div>
        ))}
      </fieldset>
      <button type="submit">{t('letters.rate_submit')}</button>
    </form>
  );
}

function Choice(props: {
  name: string;
  label: string;
  hint: string;
  state: FormState;
  options: { value: string; label: string }[];
}) {
  const { t } = usePage();
  return (
    <Field
      name={props.name}
      label={props.label}
      hint={props.hint}
      state={props.state}
      options={[{ value: '', label: t('letters.choose') }, ...props.options]}
    />
  );
}

export function lettersPages(
  app: FastifyInstance,
  deps: { letters: LetterService; postsPerMinute: number; blobs: BlobStore },
): void {
  const { letters } = deps;
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

  app.get(
    '/letters',
    { schema: hide, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const query = req.query as { offset?: string; kind?: string };
      const offset = Math.max(0, Math.min(100_000, Number(query.offset) || 0));
      const kind = LETTER_KINDS.includes(query.kind as LetterKind) ? (query.kind as LetterKind) : undefined;
      const { items, total } = await letters.publicList(req.site.tenantId, { kind }, { limit: PAGE, offset });
      const title = t('letters.title');
      return reply.page({
        area: 'portal',
        title,
        breadcrumbs: [{ href: '/', label: t('nav.home') }, { label: title }],
        body: (
          <>
            <h1>{title}</h1>
            <p class="lead">{t('letters.intro')}</p>
            <p>
              <a class="button" href="/letters/new">
                {t('letters.write')}
              </a>{' '}
              <a href="/letters/statistics">{t('letters.stats.title')}</a>
            </p>
            <nav aria-label={t('letters.kind')}>
              <ul class="inline-list">
                <li>
                  <a href="/letters" aria-current={kind ? undefined : 'page'}>
                    {t('letters.all_kinds')}
                  </a>
                </li>
                {LETTER_KINDS.map((k) => (
                  <li>
                    <a href={`/letters?kind=${k}`} aria-current={kind === k ? 'page' : undefined}>
                      {t(`letters.kind.${k}`)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <h2>{t('letters.public.heading', { total })}</h2>
            {items.length === 0 ? (
              <p role="status">{t('letters.public.none')}</p>
            ) : (
              <PublicList items={items} />
            )}
            <Pagination
              base={kind ? `/letters?kind=${kind}` : '/letters'}
              offset={offset}
              limit={PAGE}
              total={total}
            />
          </>
        ),
      });
    },
  );

  app.get(
    '/letters/statistics',
    { schema: hide, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const asked = Number((req.query as { year?: string }).year);
      const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : chinaYear();
      const rows = await letters.statistics(req.site.tenantId, year);
      const title = t('letters.stats.title');
      return reply.page({
        area: 'portal',
        title,
        breadcrumbs: crumbs(req, { label: title }),
        body: (
          <>
            <h1>{t('letters.stats.heading', { year })}</h1>
            <p class="lead">{t('letters.stats.intro')}</p>
            <form method="get" action="/letters/statistics" class="search-form">
              <label for="stats-year">{t('letters.stats.year')}</label>
              <input id="stats-year" name="year" type="number" min={2000} max={2100} value={String(year)} />
              <button type="submit">{t('letters.stats.show')}</button>
            </form>
            <Statistics year={year} rows={rows} />
          </>
        ),
      });
    },
  );

  const addressees = async (req: FastifyRequest) => {
    const [mailboxes, departments] = await Promise.all([
      letters.mailboxes(req.site.tenantId),
      letters.departments(req.site.tenantId),
    ]);
    return { mailboxes, departments };
  };
  const writePage = (
    req: FastifyRequest,
    to: Awaited<ReturnType<typeof addressees>>,
    state: FormState,
  ): PageContent => {
    const t = req.t;
    const { mailboxes, departments } = to;
    const title = t('letters.write');
    return {
      area: 'portal',
      title,
      breadcrumbs: crumbs(req, { label: title }),
      body: (
        <>
          <h1>{title}</h1>
          <p class="hint">{t('letters.write_intro')}</p>
          <Form multipart action="/letters/new" submitLabel={t('letters.submit')} state={state}>
            <Field
              name="kind"
              label={t('letters.kind')}
              state={state}
              required
              options={LETTER_KINDS.map((k) => ({ value: k, label: t(`letters.kind.${k}`) }))}
            />
            <Choice
              name="mailboxId"
              label={t('letters.mailbox')}
              hint={t('letters.mailbox_hint')}
              state={state}
              options={mailboxes.map((m) => ({ value: String(m.id), label: m.name }))}
            />
            <Choice
              name="departmentId"
              label={t('letters.department')}
              hint={t('letters.department_hint')}
              state={state}
              options={departments.map((d) => ({ value: String(d.id), label: d.name }))}
            />
            <Field
              name="title"
              label={t('letters.title_field')}
              hint={t('letters.length_hint', TITLE)}
              state={state}
              required
              maxLength={TITLE.max}
            />
            <Field
              name="body"
              label={t('letters.body')}
              hint={t('letters.length_hint', BODY)}
              state={state}
              required
              rows={10}
              maxLength={BODY.max}
            />
            <Field
              name="phone"
              label={t('letters.phone')}
              hint={t('letters.phone_hint')}
              state={state}
              required
              type="tel"
              inputMode="tel"
              autocomplete="tel"
              maxLength={40}
            />
            <div class="field">
              <input
                type="checkbox"
                id="field-mayPublish"
                name="mayPublish"
                value="1"
                checked={state.values.mayPublish === '1'}
                aria-describedby="field-mayPublish-hint"
              />{' '}
              <label for="field-mayPublish">{t('letters.may_publish_label')}</label>
              <p class="hint" id="field-mayPublish-hint">
                {t('letters.may_publish_hint')}
              </p>
            </div>
            <AttachmentsField problems={state.problems} />
          </Form>
        </>
      ),
    };
  };

  const writeConfig = {
    schema: hide,
    config: { access: 'account.self' as const, rateLimit: postLimit(deps.postsPerMinute) },
  };
  app.get('/letters/new', { schema: hide, config: { access: 'account.self' } }, async (req, reply) =>
    reply.page(writePage(req, await addressees(req), emptyForm({ kind: 'leader' }))),
  );
  // Multipart from the form (files and all); a plain urlencoded post (no files) is taken too.
  app.post('/letters/new', writeConfig, async (req, reply): Promise<FastifyReply> => {
    const upload = req.isMultipart()
      ? await readLetterUpload(req, deps.blobs)
      : { fields: formValues(req.body), files: [], problems: [] };
    const values = upload.fields;
    try {
      const l = await letters.write(auditContextOf(req), {
        ...writeInputOf(values),
        attachments: upload.files,
        refusedAttachments: upload.problems,
      });
      return reply.redirect(`/account/letters/${l.publicId}?written=1`, 303);
    } catch (e) {
      const d = toDomainError(e);
      if (!d || (d.kind !== 'invalid' && d.kind !== 'conflict')) throw e;
      const state: FormState = d.fields.length
        ? { values, problems: d.fields }
        : { values, problems: [], formProblem: req.t(d.code, d.params) };
      return reply.page(writePage(req, await addressees(req), state), ERROR_STATUS[d.kind]);
    }
  });

  app.get(
    '/letters/:id',
    { schema: hide, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const l = await letters.publicGet(req.site.tenantId, idOf(req));
      return reply.page({
        area: 'portal',
        title: l.title,
        breadcrumbs: crumbs(req, { label: l.title }),
        body: (
          <article>
            <h1>{l.title}</h1>
            <p class="meta">
              {t('letters.public.meta', {
                kind: t(`letters.kind.${l.kind}`),
                addressee: l.addressee,
                name: l.writerName,
                date: chinaDay(l.writtenAt),
                replied: chinaDay(l.repliedAt),
              })}
            </p>
            <Lines text={l.body} />
            <h2>{t('letters.reply_heading', { department: l.department, date: chinaDay(l.repliedAt) })}</h2>
            <Lines text={l.reply} />
            {l.satisfaction ? (
              <p>{t('letters.rated', { satisfaction: t(`letters.satisfaction.${l.satisfaction}`) })}</p>
            ) : null}
          </article>
        ),
      });
    },
  );

  app.get('/account/letters', { schema: hide, config: { access: 'account.self' } }, async (req, reply) => {
    const t = req.t;
    const items = await letters.mine(auditContextOf(req));
    const title = t('letters.mine.title');
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
          <p>
            <a href="/letters/new">{t('letters.write')}</a>
          </p>
          {items.length === 0 ? (
            <p role="status">{t('letters.mine.none')}</p>
          ) : (
            <table>
              <caption>{t('letters.mine.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('letters.title_field')}</th>
                  <th scope="col">{t('letters.addressee')}</th>
                  <th scope="col">{t('letters.written_at')}</th>
                  <th scope="col">{t('letters.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((l) => (
                  <tr>
                    <td>
                      <a href={`/account/letters/${l.publicId}`}>{l.title}</a>
                    </td>
                    <td>{l.mailbox?.name ?? l.department.name}</td>
                    <td>{chinaTime(l.writtenAt)}</td>
                    <td>
                      <Status l={l} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ),
    });
  });

  const minePage = (req: FastifyRequest, l: Letter, rating: FormState | null): PageContent => {
    const t = req.t;
    const written = /[?&]written=1(&|$)/.test(req.url);
    return {
      area: 'portal',
      title: l.title,
      breadcrumbs: [
        { href: '/', label: t('nav.home') },
        { href: '/account/letters', label: t('letters.mine.title') },
        { label: l.title },
      ],
      body: (
        <>
          <h1>{l.title}</h1>
          {written && l.status === 'open' ? (
            <p class="notice" role="status">
              {t('letters.written', { department: l.department.name, due: chinaDay(l.dueAt ?? l.writtenAt) })}
            </p>
          ) : null}
          <WriterView l={l} phone={letters.maskedPhone(l)} rating={rating} />
        </>
      ),
    };
  };

  app.get(
    '/account/letters/:id',
    { schema: hide, config: { access: 'account.self' } },
    async (req, reply) => {
      const l = await letters.get(auditContextOf(req), idOf(req));
      return reply.page(minePage(req, l, emptyForm()));
    },
  );

  app.post(
    '/account/letters/:id/rating',
    { schema: hide, config: { access: 'account.self' } },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const values = formValues(req.body);
      try {
        await letters.rate(ctx, idOf(req), values.satisfaction ?? '');
      } catch (e) {
        const d = toDomainError(e);
        if (!d || (d.kind !== 'invalid' && d.kind !== 'conflict')) throw e;
        const l = await letters.get(ctx, idOf(req));
        const state: FormState = d.fields.length
          ? { values, problems: d.fields }
          : { values, problems: [], formProblem: req.t(d.code, d.params) };
        return reply.page(minePage(req, l, state), d.kind === 'invalid' ? 400 : 409);
      }
      return reply.redirect(`/account/letters/${idOf(req)}`, 303);
    },
  );
}
