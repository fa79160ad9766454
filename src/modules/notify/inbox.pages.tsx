/**
 * The inbox pages (站内消息): staff at /workbench/inbox in the workbench, the public at /account/inbox
 * on the portal. Each entry shows its text in the reader's language, its time, its link and whether it
 * was read; marking read is a form post with the CSRF token, so it works without JavaScript.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Translate } from '../../kernel/i18n/index.ts';
import {
  CsrfField,
  Pagination,
  portalPage,
  usePage,
  workbenchPage,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import type { Access } from '../../kernel/policy/index.ts';
import type { NotifyService, PresentedEntry } from './notify.service.ts';
import { readerOf } from './inbox.routes.ts';

export const INBOX_PAGE_SIZE = 20;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** '2026-03-01 10:05' in Beijing time, the site's time. */
export function siteTime(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The list a page shows: only unread or all, from which entry. Anything else in the URL is ignored. */
interface View {
  unreadOnly: boolean;
  offset: number;
}

function viewOf(query: unknown): View {
  const q = (query ?? {}) as Record<string, string | undefined>;
  const offset = Number(q.offset ?? 0);
  return {
    unreadOnly: q.unread === '1',
    offset: Number.isInteger(offset) && offset >= 0 && offset <= 1_000_000 ? offset : 0,
  };
}

/** The query string that returns to a view ('' or '?unread=1&offset=20'). */
function viewQuery(view: View): string {
  const parts = [view.unreadOnly ? 'unread=1' : '', view.offset > 0 ? `offset=${view.offset}` : ''];
  const q = parts.filter(Boolean).join('&');
  return q ? `?${q}` : '';
}

function Lines(props: { text: string }) {
  const lines = props.text.split('\n');
  return (
    <>
      {lines.map((line, i) => (
        <>
          {i > 0 ? <br /> : null}
          {line}
        </>
      ))}
    </>
  );
}

export function InboxPage(props: {
  base: string;
  view: View;
  items: PresentedEntry[];
  total: number;
  unread: number;
  all: number;
  marked?: number | undefined;
}) {
  const { t } = usePage();
  const { base, view } = props;
  const back = viewQuery(view);
  return (
    <>
      <h1>{t('notify.inbox.title')}</h1>
      {props.marked !== undefined ? (
        <p class="notice" role="status">
          {t('notify.inbox.marked_all', { count: props.marked })}
        </p>
      ) : null}
      <p>{t('notify.inbox.unread_count', { count: props.unread, total: props.all })}</p>
      <nav aria-label={t('notify.inbox.filter')}>
        <ul class="inline-list">
          <li>
            <a href={base} aria-current={view.unreadOnly ? undefined : 'page'}>
              {t('notify.inbox.all')}
            </a>
          </li>
          <li>
            <a href={`${base}?unread=1`} aria-current={view.unreadOnly ? 'page' : undefined}>
              {t('notify.inbox.unread_only')}
            </a>
          </li>
        </ul>
      </nav>
      {props.unread > 0 ? (
        <form method="post" action={`${base}/read-all${back}`} class="inline-form">
          <CsrfField />
          <button type="submit" class="secondary">
            {t('notify.inbox.mark_all_read')}
          </button>
        </form>
      ) : null}
      {props.items.length === 0 ? (
        <p>{t(view.unreadOnly ? 'notify.inbox.empty_unread' : 'notify.inbox.empty')}</p>
      ) : (
        <table class="inbox">
          <caption class="visually-hidden">{t('notify.inbox.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('notify.inbox.message')}</th>
              <th scope="col">{t('notify.inbox.time')}</th>
              <th scope="col">{t('notify.inbox.state')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((e) => (
              <tr id={`entry-${e.id}`}>
                <td>
                  {e.readAt ? (
                    <p>{e.subject}</p>
                  ) : (
                    <p>
                      <strong>{e.subject}</strong>
                    </p>
                  )}
                  {e.body ? (
                    <p>
                      <Lines text={e.body} />
                    </p>
                  ) : null}
                  {e.link ? (
                    <p>
                      <a href={e.link} aria-label={t('notify.inbox.link_label', { subject: e.subject })}>
                        {t('notify.inbox.link')}
                      </a>
                    </p>
                  ) : null}
                </td>
                <td>
                  <time datetime={e.createdAt.toISOString()}>{siteTime(e.createdAt)}</time>
                </td>
                <td>
                  {e.readAt ? t('notify.inbox.read') : <span class="tag">{t('notify.inbox.unread')}</span>}
                </td>
                <td>
                  {e.readAt ? null : (
                    <form method="post" action={`${base}/${e.id}/read${back}`} class="inline-form">
                      <CsrfField />
                      <button
                        type="submit"
                        class="secondary"
                        aria-label={t('notify.inbox.mark_read_label', { subject: e.subject })}
                      >
                        {t('notify.inbox.mark_read')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        base={view.unreadOnly ? `${base}?unread=1` : base}
        offset={view.offset}
        limit={INBOX_PAGE_SIZE}
        total={props.total}
      />
    </>
  );
}

interface Place {
  base: string;
  access: Access;
  page(t: Translate, title: string, body: PageContent['body']): PageContent;
  /** Sends the reader elsewhere instead (staff on the portal's inbox go to the workbench's). */
  redirect?(req: FastifyRequest): string | undefined;
}

const PLACES: Place[] = [
  {
    base: '/workbench/inbox',
    access: 'workbench.enter',
    page: (t, title, body) => workbenchPage(t, title, body),
  },
  {
    base: '/account/inbox',
    access: 'signed-in',
    page: (t, title, body) => ({
      ...portalPage(t, title, body),
      breadcrumbs: [
        { href: '/', label: t('nav.home') },
        { href: '/account', label: t('identity.account.title') },
        { label: title },
      ],
    }),
    redirect: (req) => (req.actor?.kind === 'staff' ? '/workbench/inbox' : undefined),
  },
];

const ENTRY_ID = /^[1-9]\d{0,14}$/;

export function inboxPages(app: FastifyInstance, deps: { notify: NotifyService }): void {
  const { notify } = deps;
  for (const place of PLACES) {
    const { base } = place;
    const config = { access: place.access };
    const backTo = (req: FastifyRequest, reply: FastifyReply, extra = '') => {
      const q = viewQuery(viewOf(req.query));
      return reply.redirect(`${base}${q}${extra && (q ? '&' : '?')}${extra}`, 303);
    };

    app.get(base, { schema: { hide: true }, config }, async (req, reply) => {
      const elsewhere = place.redirect?.(req);
      if (elsewhere) return reply.redirect(elsewhere, 303);
      const view = viewOf(req.query);
      const page = await notify.list(readerOf(req), { ...view, limit: INBOX_PAGE_SIZE });
      const marked = Number((req.query as { marked?: string }).marked);
      const title = req.t('notify.inbox.title');
      return reply.page(
        place.page(
          req.t,
          title,
          <InboxPage
            base={base}
            view={view}
            {...page}
            marked={Number.isInteger(marked) && marked >= 0 ? marked : undefined}
          />,
        ),
      );
    });

    app.post(`${base}/:id/read`, { schema: { hide: true }, config }, async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (!ENTRY_ID.test(id)) return reply.callNotFound();
      await notify.markRead(readerOf(req), Number(id));
      return backTo(req, reply);
    });

    app.post(`${base}/read-all`, { schema: { hide: true }, config }, async (req, reply) => {
      const marked = await notify.markAllRead(readerOf(req));
      return backTo(req, reply, `marked=${marked}`);
    });
  }
}
