/**
 * 在线访谈 in the workbench, without JavaScript: the interviews of one's jurisdiction (and those one is a
 * guest of), scheduling and editing, the console of one interview — start, end, archive; the questions
 * waiting for approval; remarks, answers and images posted to the live transcript, which updates itself
 * with the same script as the portal's page.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, ERROR_STATUS } from '../../kernel/errors.ts';
import { readUpload, type BlobStore } from '../../kernel/files/index.ts';
import { auditContextOf, formValues, submitForm } from '../../kernel/http/index.ts';
import {
  CsrfField,
  Field,
  Form,
  SavedNotice,
  emptyForm,
  usePage,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import type { Actor } from '../../kernel/policy/index.ts';
import {
  CAPTION_MAX,
  GUESTS_MAX,
  POST_MAX,
  REASON_MAX,
  SUMMARY_MAX,
  TITLE_MAX,
  TRANSITIONS,
  guestOf,
  mayManage,
  type InterviewInput,
  type InterviewService,
} from './interview.service.ts';
import type { Entry, Interview, Question } from './interview.store.ts';
import { coverUrl } from './interview.views.ts';
import { IMAGE_LIMITS, readCover } from './interviews.routes.ts';
import { chinaTime, InterviewFacts, Transcript } from './interviews.pages.tsx';

const GUEST_ROWS = 3;
const TRANSITION_KEY = {
  live: 'interviews.action.start',
  ended: 'interviews.action.end',
  archived: 'interviews.action.archive',
} as const;

/** A datetime-local value (Beijing time) as an instant, and back. */
const fromLocal = (v: string | undefined) =>
  v && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00+08:00` : (v ?? '');
const toLocal = (iso: string) => chinaTime(iso).replace(' ', 'T');

function inputOf(v: Record<string, string>): InterviewInput {
  const guests: InterviewInput['guests'] = [];
  for (let n = 0; n < GUESTS_MAX; n++) {
    if (v[`guests.${n}.name`] === undefined) break;
    const account = Number(v[`guests.${n}.accountId`]);
    guests.push({
      name: v[`guests.${n}.name`] ?? '',
      title: v[`guests.${n}.title`] ?? '',
      department: v[`guests.${n}.department`] ?? '',
      accountId: Number.isSafeInteger(account) && account > 0 ? account : null,
    });
  }
  return {
    title: v.title ?? '',
    summary: v.summary ?? '',
    hostName: v.hostName ?? '',
    startsAt: fromLocal(v.startsAt),
    endsAt: fromLocal(v.endsAt),
    guests,
  };
}

function valuesOf(i: Interview): Record<string, string> {
  const v: Record<string, string> = {
    title: i.title,
    summary: i.summary,
    hostName: i.hostName,
    startsAt: toLocal(i.startsAt),
    endsAt: toLocal(i.endsAt),
  };
  i.guests.forEach((g, n) => {
    v[`guests.${n}.name`] = g.name;
    v[`guests.${n}.title`] = g.title;
    v[`guests.${n}.department`] = g.department;
    v[`guests.${n}.accountId`] = g.accountId ? String(g.accountId) : '';
  });
  return v;
}

function InterviewForm(props: {
  action: string;
  state: FormState;
  accounts: { accountId: number; name: string }[];
  submit: string;
}) {
  const { t } = usePage();
  const { state } = props;
  // One more row than the guests given so far, at least three (no JavaScript to add rows).
  const given = Object.keys(state.values).map((k) => Number(/^guests\.(\d+)\.name$/.exec(k)?.[1] ?? -1) + 2);
  const rows = Math.max(GUEST_ROWS, ...given);
  return (
    <Form action={props.action} submitLabel={props.submit} state={state}>
      <Field name="title" label={t('interviews.field.title')} state={state} required maxLength={TITLE_MAX} />
      <Field
        name="summary"
        label={t('interviews.field.summary')}
        state={state}
        rows={5}
        maxLength={SUMMARY_MAX}
      />
      <Field name="hostName" label={t('interviews.field.host')} state={state} required maxLength={50} />
      <Field
        name="startsAt"
        type="datetime-local"
        label={t('interviews.field.starts')}
        hint={t('interviews.field.beijing')}
        state={state}
        required
      />
      <Field
        name="endsAt"
        type="datetime-local"
        label={t('interviews.field.ends')}
        hint={t('interviews.field.beijing')}
        state={state}
        required
      />
      {Array.from({ length: Math.min(rows, GUESTS_MAX) }, (_, n) => (
        <fieldset>
          <legend>{t('interviews.field.guest', { n: n + 1 })}</legend>
          <Field
            name={`guests.${n}.name`}
            label={t('interviews.field.guest_name')}
            state={state}
            required={n === 0}
            maxLength={50}
          />
          <Field
            name={`guests.${n}.department`}
            label={t('interviews.field.guest_department')}
            state={state}
            maxLength={100}
          />
          <Field
            name={`guests.${n}.title`}
            label={t('interviews.field.guest_title')}
            state={state}
            maxLength={100}
          />
          <Field
            name={`guests.${n}.accountId`}
            label={t('interviews.field.guest_account')}
            hint={t('interviews.field.guest_account_hint')}
            state={state}
            options={[
              { value: '', label: t('interviews.field.no_account') },
              ...props.accounts.map((a) => ({ value: String(a.accountId), label: a.name })),
            ]}
          />
        </fieldset>
      ))}
    </Form>
  );
}

/** The cover: what there is, a multipart form to set it (file and description), a button to remove it. */
function CoverForm(props: { i: Interview; state: FormState }) {
  const { t } = usePage();
  const { i, state } = props;
  const problem = (field: string) => state.problems.find((p) => p.field === field);
  const fileProblem = problem('file');
  const src = coverUrl(i);
  return (
    <section aria-labelledby="h-cover">
      <h2 id="h-cover">{t('interviews.cover.title')}</h2>
      {i.cover && src ? (
        <>
          <img class="interview-cover" src={src} alt={i.cover.alt} width={320} />
          <form method="post" action={`/workbench/interviews/${i.id}/cover/remove`}>
            <CsrfField />
            <button type="submit" class="secondary">
              {t('interviews.cover.remove')}
            </button>
          </form>
        </>
      ) : (
        <p>{t('interviews.cover.none')}</p>
      )}
      <form
        method="post"
        action={`/workbench/interviews/${i.id}/cover`}
        enctype="multipart/form-data"
        id="cover-form"
        novalidate
      >
        {/* The token first: the CSRF check reads it before the file's bytes. */}
        <CsrfField />
        {state.problems.length > 0 ? (
          <div class="error-summary" role="alert" tabIndex={-1}>
            <h3>{t('form.error_summary')}</h3>
            <ul>
              {state.problems.map((p) => (
                <li>
                  <a href={`#field-${p.field}`}>{t(p.code, p.params)}</a>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div class={fileProblem ? 'field field-error' : 'field'}>
          <label for="field-file">
            {t('interviews.cover.file')}
            <span class="required"> {t('form.required')}</span>
          </label>
          {fileProblem ? (
            <p class="error-message" id="field-file-error">
              {t(fileProblem.code, fileProblem.params)}
            </p>
          ) : null}
          <input
            id="field-file"
            type="file"
            name="file"
            accept="image/png,image/jpeg,image/webp"
            required
            aria-invalid={fileProblem ? 'true' : undefined}
            aria-describedby={fileProblem ? 'field-file-error' : undefined}
          />
        </div>
        <Field
          name="alt"
          label={t('interviews.cover.alt')}
          hint={t('interviews.cover.alt_hint')}
          state={state}
          required
          maxLength={CAPTION_MAX}
        />
        <button type="submit">{t('interviews.cover.submit')}</button>
      </form>
    </section>
  );
}

/** 撤回: which entry, and why (for the record; the public sees only that it was withdrawn). */
function WithdrawForm(props: { i: Interview; entries: Entry[]; state: FormState }) {
  const { t } = usePage();
  const { i, state } = props;
  const withdrawable = props.entries.filter(
    (e) => e.kind !== 'status' && e.kind !== 'withdrawal' && !e.withdrawn,
  );
  if (withdrawable.length === 0) return null;
  const label = (e: Entry) =>
    `#${e.seq} ${e.speaker?.name ?? ''}：${[...(e.text || t(`interviews.entry.kind.${e.kind}`))].slice(0, 40).join('')}`;
  return (
    <section aria-labelledby="h-withdraw">
      <h2 id="h-withdraw">{t('interviews.withdraw.title')}</h2>
      <p class="hint">{t('interviews.withdraw.hint')}</p>
      <Form
        action={`/workbench/interviews/${i.id}/withdrawals`}
        submitLabel={t('interviews.withdraw.submit')}
        state={state}
        id="withdraw-form"
      >
        <Field
          name="seq"
          label={t('interviews.withdraw.entry')}
          state={state}
          required
          options={[...withdrawable].reverse().map((e) => ({ value: String(e.seq), label: label(e) }))}
        />
        <Field
          name="reason"
          label={t('interviews.withdraw.reason')}
          state={state}
          required
          maxLength={REASON_MAX}
        />
      </Form>
    </section>
  );
}

function QuestionQueue(props: { i: Interview; pending: Question[] }) {
  const { t } = usePage();
  if (props.pending.length === 0) return <p role="status">{t('interviews.queue.none')}</p>;
  return (
    <ul class="queue">
      {props.pending.map((q) => (
        <li>
          <p>
            <strong>{q.asker.name}</strong> <span class="meta">{chinaTime(q.askedAt)}</span>
          </p>
          <p>{q.text}</p>
          <form method="post" action={`/workbench/interviews/${props.i.id}/questions/${q.id}`}>
            <CsrfField />
            <button type="submit" name="approve" value="1">
              {t('interviews.queue.approve')}
            </button>{' '}
            <label for={`reason-${q.id}`}>{t('interviews.queue.reason')}</label>{' '}
            <input id={`reason-${q.id}`} name="reason" maxLength={500} />{' '}
            <button type="submit" name="approve" value="0" class="secondary">
              {t('interviews.queue.reject')}
            </button>
          </form>
        </li>
      ))}
    </ul>
  );
}

export function interviewsWorkbench(
  app: FastifyInstance,
  deps: { interviews: InterviewService; blobs: BlobStore },
) {
  const { interviews } = deps;
  const hide = { hide: true };
  const access = ['interview.manage', 'interview.answer'] as const;
  const idOf = (req: FastifyRequest) => {
    const n = Number((req.params as { id: string }).id);
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  };
  const crumbs = (t: (k: string) => string) => [
    { href: '/workbench/interviews', label: t('interviews.workbench.title') },
  ];

  app.get('/workbench/interviews', { schema: hide, config: { access } }, async (req, reply) => {
    const t = req.t;
    const { items } = await interviews.forStaff(auditContextOf(req), { limit: 100, offset: 0 });
    const title = t('interviews.workbench.title');
    return reply.page(
      workbenchPage(
        t,
        title,
        <>
          <h1>{title}</h1>
          {req.actor?.permissions.has('interview.manage') ? (
            <p>
              <a class="button" href="/workbench/interviews/new">
                {t('interviews.workbench.new')}
              </a>
            </p>
          ) : null}
          {items.length === 0 ? (
            <p role="status">{t('interviews.workbench.none')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('interviews.field.title')}</th>
                  <th scope="col">{t('interviews.time')}</th>
                  <th scope="col">{t('interviews.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr>
                    <td>
                      <a href={`/workbench/interviews/${i.id}`}>{i.title}</a>
                    </td>
                    <td>{chinaTime(i.startsAt)}</td>
                    <td>{t(`interviews.status.${i.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>,
      ),
    );
  });

  const formPage = (
    req: FastifyRequest,
    state: FormState,
    accounts: { accountId: number; name: string }[],
    i?: Interview,
    coverState: FormState = emptyForm(),
  ): PageContent => {
    const t = req.t;
    const title = i ? t('interviews.workbench.edit', { title: i.title }) : t('interviews.workbench.new');
    return workbenchPage(
      t,
      title,
      <>
        <h1>{title}</h1>
        {i ? <SavedNotice /> : null}
        <InterviewForm
          action={i ? `/workbench/interviews/${i.id}/edit` : '/workbench/interviews/new'}
          state={state}
          accounts={accounts}
          submit={t(i ? 'interviews.workbench.save' : 'interviews.workbench.schedule')}
        />
        {i ? <CoverForm i={i} state={coverState} /> : null}
      </>,
      crumbs(t),
    );
  };

  app.get(
    '/workbench/interviews/new',
    { schema: hide, config: { access: 'interview.manage' } },
    async (req, reply) =>
      reply.page(
        formPage(
          req,
          emptyForm({ hostName: req.actor?.name ?? '' }),
          await interviews.guestAccounts(req.site.tenantId),
        ),
      ),
  );
  app.post(
    '/workbench/interviews/new',
    { schema: hide, config: { access: 'interview.manage' } },
    async (req, reply) => {
      const accounts = await interviews.guestAccounts(req.site.tenantId);
      return submitForm(
        req,
        reply,
        async (v) =>
          `/workbench/interviews/${(await interviews.create(auditContextOf(req), inputOf(v))).id}?saved=1`,
        (state) => formPage(req, state, accounts),
      );
    },
  );
  app.get(
    '/workbench/interviews/:id/edit',
    { schema: hide, config: { access: 'interview.manage' } },
    async (req, reply) => {
      const i = await interviews.managed(auditContextOf(req), idOf(req));
      return reply.page(
        formPage(req, emptyForm(valuesOf(i)), await interviews.guestAccounts(req.site.tenantId), i),
      );
    },
  );
  app.post(
    '/workbench/interviews/:id/edit',
    { schema: hide, config: { access: 'interview.manage' } },
    async (req, reply) => {
      const i = await interviews.managed(auditContextOf(req), idOf(req));
      const accounts = await interviews.guestAccounts(req.site.tenantId);
      return submitForm(
        req,
        reply,
        async (v) => {
          await interviews.update(auditContextOf(req), i.id, inputOf(v));
          return `/workbench/interviews/${i.id}?saved=1`;
        },
        (state) => formPage(req, state, accounts, i),
      );
    },
  );

  const consolePage = (
    req: FastifyRequest,
    i: Interview,
    data: { entries: Entry[]; pending: Question[]; approved: Question[] },
    state: FormState,
    form: 'post' | 'withdraw' = 'post',
  ): PageContent => {
    const t = req.t;
    const actor = req.actor as Actor;
    const manages = mayManage(actor, i);
    const guest = guestOf(actor, i);
    const next = TRANSITIONS[i.status];
    // A question whose showing was withdrawn is not offered for an answer.
    const withdrawn = new Set(data.entries.filter((e) => e.withdrawn).map((e) => e.seq));
    const unanswered = data.approved.filter(
      (q) => q.answeredSeq === null && !(q.shownSeq !== null && withdrawn.has(q.shownSeq)),
    );
    const postState = form === 'post' ? state : emptyForm();
    return workbenchPage(
      t,
      i.title,
      <>
        <link rel="stylesheet" href="/static/interviews.css" />
        <h1>{i.title}</h1>
        <SavedNotice />
        <InterviewFacts i={i} />
        <p>
          <a href={`/interviews/${i.id}`}>{t('interviews.workbench.public_page')}</a>
          {manages && i.status === 'scheduled' ? (
            <>
              {' · '}
              <a href={`/workbench/interviews/${i.id}/edit`}>{t('interviews.workbench.edit_link')}</a>
            </>
          ) : manages ? (
            <>
              {' · '}
              <a href={`/workbench/interviews/${i.id}/edit#h-cover`}>{t('interviews.cover.title')}</a>
            </>
          ) : null}
        </p>
        {manages && next ? (
          <form method="post" action={`/workbench/interviews/${i.id}/status`}>
            <CsrfField />
            <input type="hidden" name="status" value={next} />
            <button type="submit">{t(TRANSITION_KEY[next as keyof typeof TRANSITION_KEY])}</button>
          </form>
        ) : null}
        {i.status === 'live' ? (
          <section aria-labelledby="h-post">
            <h2 id="h-post">
              {guest && !manages
                ? t('interviews.post.as_guest', { name: guest.name })
                : t('interviews.post.as_host', { name: i.hostName })}
            </h2>
            <Form
              action={`/workbench/interviews/${i.id}/entries`}
              submitLabel={t('interviews.post.submit')}
              state={postState}
              id="post-form"
            >
              <Field
                name="questionId"
                label={t('interviews.post.question')}
                state={postState}
                options={[
                  { value: '', label: t('interviews.post.remark') },
                  ...unanswered.map((q) => ({
                    value: String(q.id),
                    label: `${q.asker.name}：${[...q.text].slice(0, 60).join('')}`,
                  })),
                ]}
              />
              <Field
                name="text"
                label={t('interviews.post.text')}
                state={postState}
                required
                rows={5}
                maxLength={POST_MAX}
              />
            </Form>
            <h3>{t('interviews.image.title')}</h3>
            <form method="post" action={`/workbench/interviews/${i.id}/images`} enctype="multipart/form-data">
              <CsrfField />
              <div class="field">
                <label for="field-file">{t('interviews.image.file')}</label>
                <input
                  id="field-file"
                  type="file"
                  name="file"
                  accept="image/png,image/jpeg,image/gif,image/webp"
                  required
                />
              </div>
              <div class="field">
                <label for="field-caption">{t('interviews.image.caption')}</label>
                <input id="field-caption" name="caption" required maxLength={CAPTION_MAX} />
              </div>
              <button type="submit">{t('interviews.image.submit')}</button>
            </form>
          </section>
        ) : null}
        {manages && (i.status === 'scheduled' || i.status === 'live') ? (
          <section aria-labelledby="h-queue">
            <h2 id="h-queue">{t('interviews.queue.title', { count: data.pending.length })}</h2>
            <QuestionQueue i={i} pending={data.pending} />
          </section>
        ) : null}
        {manages && (i.status === 'live' || i.status === 'ended') ? (
          <WithdrawForm i={i} entries={data.entries} state={form === 'withdraw' ? state : emptyForm()} />
        ) : null}
        <section aria-labelledby="h-transcript">
          <h2 id="h-transcript">{t('interviews.transcript')}</h2>
          <Transcript
            interview={i}
            entries={data.entries}
            live={i.status === 'scheduled' || i.status === 'live'}
          />
          <p>
            <a href={`/workbench/interviews/${i.id}`}>{t('interviews.refresh')}</a>
          </p>
        </section>
        {i.status === 'scheduled' || i.status === 'live' ? (
          <script src="/static/interviews-live.js" defer></script>
        ) : null}
      </>,
      crumbs(t),
    );
  };

  async function consoleData(req: FastifyRequest, i: Interview) {
    const ctx = auditContextOf(req);
    const [entries, pending, approved] = await Promise.all([
      interviews.transcript(req.site.tenantId, i.id),
      interviews.questions(ctx, i.id, ['pending']),
      interviews.questions(ctx, i.id, ['approved']),
    ]);
    return { entries, pending, approved };
  }

  app.get('/workbench/interviews/:id', { schema: hide, config: { access } }, async (req, reply) => {
    const i = await interviews.writable(auditContextOf(req), idOf(req));
    return reply.page(consolePage(req, i, await consoleData(req, i), emptyForm()));
  });

  app.post(
    '/workbench/interviews/:id/status',
    { schema: hide, config: { access: 'interview.manage' } },
    async (req, reply) => {
      const status = formValues(req.body).status as 'live' | 'ended' | 'archived';
      await interviews.transition(auditContextOf(req), idOf(req), status);
      return reply.redirect(`/workbench/interviews/${idOf(req)}?saved=1`, 303);
    },
  );

  app.post('/workbench/interviews/:id/entries', { schema: hide, config: { access } }, async (req, reply) => {
    const ctx = auditContextOf(req);
    const i = await interviews.writable(ctx, idOf(req));
    const data = await consoleData(req, i);
    return submitForm(
      req,
      reply,
      async (v) => {
        const q = Number(v.questionId);
        await interviews.post(ctx, i.id, {
          text: v.text ?? '',
          questionId: Number.isSafeInteger(q) && q > 0 ? q : null,
        });
        return `/workbench/interviews/${i.id}#h-post`;
      },
      (state) => consolePage(req, i, data, state),
    );
  });

  app.post('/workbench/interviews/:id/images', { schema: hide, config: { access } }, async (req, reply) => {
    const ctx = auditContextOf(req);
    const i = await interviews.writable(ctx, idOf(req));
    const { fields, files } = await readUpload(req, deps.blobs, IMAGE_LIMITS);
    const file = files.find((f) => f.field === 'file');
    if (!file) {
      const data = await consoleData(req, i);
      return reply.page(
        consolePage(req, i, data, {
          values: {},
          problems: [],
          formProblem: req.t('interviews.image.missing'),
        }),
        400,
      );
    }
    await interviews.postImage(ctx, i.id, file, fields.caption ?? '');
    return reply.redirect(`/workbench/interviews/${i.id}#h-post`, 303);
  });

  app.post(
    '/workbench/interviews/:id/withdrawals',
    { schema: hide, config: { access: 'interview.manage' } },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const i = await interviews.managed(ctx, idOf(req));
      const data = await consoleData(req, i);
      return submitForm(
        req,
        reply,
        async (v) => {
          await interviews.withdraw(ctx, i.id, Number(v.seq), v.reason ?? '');
          return `/workbench/interviews/${i.id}?saved=1#h-transcript`;
        },
        (state) => consolePage(req, i, data, state, 'withdraw'),
      );
    },
  );

  app.post(
    '/workbench/interviews/:id/cover',
    { schema: hide, config: { access: 'interview.manage' } },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const i = await interviews.managed(ctx, idOf(req));
      let alt = '';
      try {
        const cover = await readCover(req, deps.blobs);
        alt = cover.alt;
        await interviews.setCover(ctx, i.id, cover);
      } catch (e) {
        // A wrong file or a missing description: the edit page again, the problem beside its field.
        if (!(e instanceof DomainError) || !['invalid', 'too_large', 'unsupported'].includes(e.kind)) throw e;
        const problems = e.fields.length ? e.fields : [{ field: 'file', code: e.code, params: e.params }];
        const accounts = await interviews.guestAccounts(req.site.tenantId);
        return reply.page(
          formPage(req, emptyForm(valuesOf(i)), accounts, i, { values: { alt }, problems }),
          ERROR_STATUS[e.kind],
        );
      }
      return reply.redirect(`/workbench/interviews/${i.id}/edit?saved=1#h-cover`, 303);
    },
  );

  app.post(
    '/workbench/interviews/:id/cover/remove',
    { schema: hide, config: { access: 'interview.manage' } },
    async (req, reply) => {
      await interviews.setCover(auditContextOf(req), idOf(req), null);
      return reply.redirect(`/workbench/interviews/${idOf(req)}/edit?saved=1#h-cover`, 303);
    },
  );

  app.post(
    '/workbench/interviews/:id/questions/:question',
    { schema: hide, config: { access: 'interview.manage' } },
    async (req, reply) => {
      const v = formValues(req.body);
      const question = Number((req.params as { question: string }).question);
      await interviews.decideQuestion(
        auditContextOf(req),
        idOf(req),
        Number.isSafeInteger(question) ? question : 0,
        {
          approve: v.approve === '1',
          reason: v.reason ?? '',
        },
      );
      return reply.redirect(`/workbench/interviews/${idOf(req)}#h-queue`, 303);
    },
  );
}
