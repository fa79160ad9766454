/**
 * 在线访谈 on the portal: the list (live, coming, past), an interview's page — the transcript so far,
 * rendered on the server, with a refresh link, and the question form — and its live stream (SSE),
 * images and cover.
 *
 * The page works without JavaScript (the transcript is all there; 刷新 reloads it). With it, the
 * static script public/interviews-live.js (CSP: scripts only from this origin, nothing inline) opens
 * the stream after the last entry the page shows and appends what comes; EventSource reconnects by
 * itself with Last-Event-ID and the stream resumes after it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../kernel/errors.ts';
import type { BlobStore } from '../../kernel/files/index.ts';
import { auditContextOf, postLimit, submitForm } from '../../kernel/http/index.ts';
import {
  Field,
  Form,
  emptyForm,
  usePage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import { QUESTION_MAX, QUESTION_MIN, type InterviewService } from './interview.service.ts';
import type { Entry, Interview, InterviewStatus, Question } from './interview.store.ts';
import { coverUrl } from './interview.views.ts';
import type { LiveHub } from './live.hub.ts';

const CHINA_OFFSET_MS = 8 * 3_600_000;
/** An instant as Beijing time, to the minute. */
export const chinaTime = (iso: string) =>
  new Date(new Date(iso).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
const clock = (iso: string) => chinaTime(iso).slice(11);

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

function speakerLabel(t: (k: string) => string, s: NonNullable<Entry['speaker']>) {
  return `${t(`interviews.speaker.${s.role}`)} ${s.name}${s.title ? `（${s.title}）` : ''}`;
}

export function EntryItem(props: { interviewId: number; e: Entry }) {
  const { t } = usePage();
  const { e } = props;
  const time = (
    <p class="meta">
      <time dateTime={e.postedAt}>{clock(e.postedAt)}</time>
    </p>
  );
  // 撤回: its place in the transcript stays, with nothing of what it said.
  if (e.withdrawn)
    return (
      <li id={`entry-${e.seq}`} class="entry entry-withdrawn">
        <p>{t('interviews.entry.withdrawn')}</p>
        {time}
      </li>
    );
  if (e.kind === 'status')
    return (
      <li id={`entry-${e.seq}`} class="entry entry-status">
        <p>
          <strong>{t(`interviews.entry.status.${e.status}`)}</strong>
        </p>
        {time}
      </li>
    );
  return (
    <li id={`entry-${e.seq}`} class={`entry entry-${e.kind}`}>
      {e.speaker ? <p class="speaker">{speakerLabel(t, e.speaker)}</p> : null}
      {e.quote ? (
        <blockquote>
          <p>{`${e.quote.name}：${e.quote.text}`}</p>
        </blockquote>
      ) : null}
      {e.kind === 'image' && e.image ? (
        <figure>
          <img src={`/interviews/${props.interviewId}/images/${e.seq}`} alt={e.text} />
          <figcaption>{e.text}</figcaption>
        </figure>
      ) : (
        <Lines text={e.text} />
      )}
      {time}
    </li>
  );
}

/** The transcript as a log region; the live script appends to it (labels in data attributes). */
export function Transcript(props: { interview: Interview; entries: Entry[]; live: boolean }) {
  const { t } = usePage();
  const i = props.interview;
  const last = props.entries.at(-1)?.seq ?? 0;
  return (
    // The log role is on a wrapper: on the list itself it would take the list's semantics away.
    <div role="log" aria-live="polite" aria-relevant="additions" aria-label={t('interviews.transcript')}>
      <ol
        id="transcript"
        class="transcript"
        data-live={props.live ? `/interviews/${i.id}/live` : undefined}
        data-after={String(last)}
        data-l-host={t('interviews.speaker.host')}
        data-l-guest={t('interviews.speaker.guest')}
        data-l-public={t('interviews.speaker.public')}
        data-l-live={t('interviews.entry.status.live')}
        data-l-ended={t('interviews.entry.status.ended')}
        data-l-archived={t('interviews.entry.status.archived')}
        data-s-live={t('interviews.status.live')}
        data-s-ended={t('interviews.status.ended')}
        data-s-archived={t('interviews.status.archived')}
        data-l-withdrawn={t('interviews.entry.withdrawn')}
      >
        {/* A withdrawal shows in the entry it withdraws, not as a line of its own. */}
        {props.entries
          .filter((e) => e.kind !== 'withdrawal')
          .map((e) => (
            <EntryItem interviewId={i.id} e={e} />
          ))}
      </ol>
    </div>
  );
}

export function InterviewFacts(props: { i: Interview }) {
  const { t } = usePage();
  const i = props.i;
  return (
    <dl class="facts">
      <dt>{t('interviews.status')}</dt>
      <dd id="interview-status">{t(`interviews.status.${i.status}`)}</dd>
      <dt>{t('interviews.time')}</dt>
      <dd>{`${chinaTime(i.startsAt)} – ${chinaTime(i.endsAt).slice(11)}`}</dd>
      <dt>{t('interviews.host')}</dt>
      <dd>{`${i.hostName}（${i.department.name}）`}</dd>
      <dt>{t('interviews.guests')}</dt>
      <dd>
        <ul>
          {i.guests.map((g) => (
            <li>{[g.name, g.department, g.title].filter(Boolean).join('　')}</li>
          ))}
        </ul>
      </dd>
    </dl>
  );
}

function InterviewList(props: { items: Interview[] }) {
  const { t } = usePage();
  return (
    <ul class="interviews">
      {props.items.map((i) => (
        <li>
          {i.cover ? (
            <img class="interview-thumb" src={coverUrl(i)!} alt={i.cover.alt} width={160} loading="lazy" />
          ) : null}
          <a href={`/interviews/${i.id}`}>{i.title}</a>{' '}
          <span class="meta">
            {`${chinaTime(i.startsAt)} · ${t(`interviews.status.${i.status}`)} · ${i.guests.map((g) => g.name).join('、')}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

const QUESTION_STATUS_KEY: Record<Question['status'], string> = {
  held: 'interviews.question.status.pending',
  pending: 'interviews.question.status.pending',
  approved: 'interviews.question.status.approved',
  rejected: 'interviews.question.status.rejected',
  closed: 'interviews.question.status.closed',
};

export function interviewsPortal(
  app: FastifyInstance,
  deps: { interviews: InterviewService; hub: LiveHub; blobs: BlobStore; asksPerMinute: number },
) {
  const { interviews, hub } = deps;
  const hide = { hide: true };
  const idOf = (req: FastifyRequest) => {
    const n = Number((req.params as { id: string }).id);
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  };

  app.get(
    '/interviews',
    { schema: hide, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const tenantId = req.site.tenantId;
      const page = { limit: 20, offset: 0 };
      const [live, coming, past] = await Promise.all([
        interviews.list(tenantId, ['live'], page),
        interviews.list(tenantId, ['scheduled'], page),
        interviews.list(tenantId, ['ended', 'archived'], page),
      ]);
      const title = t('interviews.title');
      const section = (key: string, items: Interview[], none: string) => (
        <section aria-labelledby={`h-${key}`}>
          <h2 id={`h-${key}`}>{t(`interviews.list.${key}`)}</h2>
          {items.length ? <InterviewList items={items} /> : <p>{t(none)}</p>}
        </section>
      );
      return reply.page({
        area: 'portal',
        title,
        column: { name: title, type: 'interaction' },
        breadcrumbs: [{ href: '/', label: t('nav.home') }, { label: title }],
        body: (
          <>
            <h1>{title}</h1>
            {section('live', live.items, 'interviews.list.none_live')}
            {section('scheduled', coming.items, 'interviews.list.none_scheduled')}
            {section('past', past.items, 'interviews.list.none_past')}
          </>
        ),
      });
    },
  );

  async function pageData(req: FastifyRequest, i: Interview) {
    const [entries, mine] = await Promise.all([
      interviews.transcript(req.site.tenantId, i.id),
      interviews.mine(auditContextOf(req), i.id),
    ]);
    return { entries, mine };
  }

  function interviewPage(
    req: FastifyRequest,
    i: Interview,
    data: { entries: Entry[]; mine: Question[] },
    state: FormState,
  ): PageContent {
    const t = req.t;
    const { entries, mine } = data;
    const open = i.status === 'scheduled' || i.status === 'live';
    const asks = !req.actor || req.actor.permissions.has('account.self');
    return {
      area: 'portal',
      title: i.title,
      article: { title: i.title, pubDate: chinaTime(i.startsAt), source: i.department.name },
      breadcrumbs: [
        { href: '/', label: t('nav.home') },
        { href: '/interviews', label: t('interviews.title') },
        { label: i.title },
      ],
      body: (
        <>
          <link rel="stylesheet" href="/static/interviews.css" />
          <h1>{i.title}</h1>
          {i.cover ? <img class="interview-cover" src={coverUrl(i)!} alt={i.cover.alt} /> : null}
          <InterviewFacts i={i} />
          {i.summary ? (
            <section aria-labelledby="h-summary">
              <h2 id="h-summary">{t('interviews.summary')}</h2>
              <Lines text={i.summary} />
            </section>
          ) : null}
          <section aria-labelledby="h-transcript">
            <h2 id="h-transcript">
              {t(
                i.status === 'archived' || i.status === 'ended'
                  ? 'interviews.record'
                  : 'interviews.transcript',
              )}
            </h2>
            {entries.length === 0 ? <p id="transcript-empty">{t('interviews.transcript.empty')}</p> : null}
            <Transcript interview={i} entries={entries} live={open} />
            {open ? (
              <p>
                <a href={`/interviews/${i.id}`}>{t('interviews.refresh')}</a>
              </p>
            ) : null}
          </section>
          {open && asks ? (
            <section aria-labelledby="h-ask">
              <h2 id="h-ask">{t('interviews.ask.title')}</h2>
              {req.actor ? (
                <>
                  {/[?&]asked=1(&|$)/.test(req.url) ? (
                    <p class="notice" role="status">
                      {t('interviews.ask.sent')}
                    </p>
                  ) : null}
                  <p class="hint">{t('interviews.ask.rules')}</p>
                  <Form
                    action={`/interviews/${i.id}/questions`}
                    submitLabel={t('interviews.ask.submit')}
                    state={state}
                  >
                    <Field
                      name="question"
                      label={t('interviews.question')}
                      hint={t('interviews.ask.hint', { min: QUESTION_MIN, max: QUESTION_MAX })}
                      state={state}
                      required
                      rows={4}
                      maxLength={QUESTION_MAX}
                    />
                  </Form>
                  {mine.length ? (
                    <>
                      <h3>{t('interviews.ask.mine')}</h3>
                      <ul>
                        {mine.map((q) => (
                          <li>
                            {q.text} <span class="meta">{t(QUESTION_STATUS_KEY[q.status])}</span>
                            {q.status === 'rejected' && q.reason ? (
                              <span class="meta">{`（${q.reason}）`}</span>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                    </>
                  ) : null}
                </>
              ) : (
                <p>
                  <a href={`/login?next=${encodeURIComponent(`/interviews/${i.id}`)}`}>
                    {t('interviews.ask.sign_in')}
                  </a>
                </p>
              )}
            </section>
          ) : null}
          {open ? <script src="/static/interviews-live.js" defer></script> : null}
        </>
      ),
    };
  }

  app.get(
    '/interviews/:id',
    { schema: hide, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const i = await interviews.get(req.site.tenantId, idOf(req));
      return reply.page(interviewPage(req, i, await pageData(req, i), emptyForm()));
    },
  );

  app.post(
    '/interviews/:id/questions',
    { schema: hide, config: { access: 'account.self', rateLimit: postLimit(deps.asksPerMinute) } },
    async (req, reply) => {
      const i = await interviews.get(req.site.tenantId, idOf(req));
      const data = await pageData(req, i);
      return submitForm(
        req,
        reply,
        async (v) => {
          await interviews.ask(auditContextOf(req), i.id, v.question ?? '');
          return `/interviews/${i.id}?asked=1#h-ask`;
        },
        (state) => interviewPage(req, i, data, state),
      );
    },
  );

  /**
   * The live transcript as server-sent events. Not cached, not compressed, not rate-limited as a
   * request (a viewer holds one connection for hours; the hub caps the viewers a node takes).
   */
  app.get(
    '/interviews/:id/live',
    { schema: hide, config: { access: 'public', rateLimit: false } },
    async (req, reply) => {
      const i = await interviews.get(req.site.tenantId, idOf(req));
      if (hub.full()) throw new DomainError('unavailable', 'interviews.live.full');
      const after = resumeAfter(req);
      streamTo(reply, hub, req.site.tenantId, i.id, after);
    },
  );

  app.get(
    '/interviews/:id/images/:seq',
    { schema: hide, config: { access: 'public' } },
    async (req, reply) => {
      const seq = Number((req.params as { seq: string }).seq);
      const id = idOf(req);
      const e =
        Number.isSafeInteger(seq) && seq > 0 && id
          ? await interviews.entry(req.site.tenantId, id, seq)
          : undefined;
      if (!e?.image || e.withdrawn) throw new DomainError('not_found', 'interviews.image_not_found');
      // Not immutable: an image may be withdrawn (撤回), and then it must go within minutes.
      return sendBlob(reply, deps.blobs, e.image, 'public, max-age=300');
    },
  );

  app.get('/interviews/:id/cover', { schema: hide, config: { access: 'public' } }, async (req, reply) => {
    const i = await interviews.get(req.site.tenantId, idOf(req));
    if (!i.cover) throw new DomainError('not_found', 'interviews.image_not_found');
    return sendBlob(reply, deps.blobs, i.cover, 'public, max-age=86400, immutable');
  });
}

async function sendBlob(
  reply: FastifyReply,
  blobs: BlobStore,
  b: { digest: string; mediaType: string },
  cacheControl: string,
) {
  const size = (await blobs.stat(b.digest))?.size;
  reply.type(b.mediaType).header('cache-control', cacheControl);
  if (size !== undefined) reply.header('content-length', String(size));
  return reply.send(await blobs.open(b.digest));
}

/** Where a viewer resumes: Last-Event-ID (EventSource's reconnect), else ?after= (the page's last entry). */
function resumeAfter(req: FastifyRequest): number | null {
  const raw = req.headers['last-event-id'] ?? (req.query as { after?: string }).after;
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Hands the connection to the hub: the headers the kernel set (security, request id) plus SSE's. */
export function streamTo(
  reply: FastifyReply,
  hub: LiveHub,
  tenantId: string,
  id: number,
  after: number | null,
) {
  reply.hijack();
  const res = reply.raw;
  const headers: Record<string, string | number | string[]> = {};
  for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v as string;
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    // no-transform: a proxy must not compress or buffer it; X-Accel-Buffering tells nginx the same.
    'cache-control': 'no-cache, no-store, no-transform',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  res.socket?.setNoDelay(true);
  // How long EventSource waits before reconnecting.
  res.write('retry: 3000\n\n');
  void hub.subscribe(tenantId, id, res, after);
}

export type { InterviewStatus };
