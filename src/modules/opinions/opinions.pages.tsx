/**
 * Solicitations on the portal, without JavaScript: the list (/opinions), one solicitation with its
 * draft, the opinion form for signed-in people and enterprises, the opinions shown and the feedback
 * report (/opinions/:id), and the writer's own opinions (/account/opinions).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf, postLimit, submitForm } from '../../kernel/http/index.ts';
import {
  emptyForm,
  Field,
  Form,
  Pagination,
  usePage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import { chinaTime, CLAUSE_MAX, OPINION_MAX, OPINION_MIN, type State } from './opinion.ts';
import type { OpinionService, SolicitationRow, SolicitationView } from './opinion.service.ts';
import {
  AdoptionLabel,
  Facts,
  Lines,
  Period,
  PublicOpinions,
  Report,
  StateBadge,
} from './opinions.components.tsx';

const PAGE = 20;

function SolicitationList(props: { items: (SolicitationRow & { state: State })[]; base: string }) {
  const { t } = usePage();
  return (
    <ul class="solicitations">
      {props.items.map((s) => (
        <li>
          <a href={`${props.base}/${s.id}`}>{s.title}</a>
          <p class="meta">
            {s.department.name} · <Period s={s} /> · <StateBadge state={s.state} />
            {s.reportPublishedAt ? ` · ${t('opinions.report.available')}` : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** What the page says after an opinion was posted: counted, or waiting and why. */
function WrittenNotice() {
  const { t, url } = usePage();
  const m = /[?&]written=(accepted|pending|held)(&|$)/.exec(url);
  return m ? (
    <p class="notice" role="status">
      {t(`opinions.written.${m[1]}`)}
    </p>
  ) : null;
}

function OpinionForm(props: { s: SolicitationView; state: FormState }) {
  const { t, viewer } = usePage();
  const { s, state } = props;
  if (s.state === 'scheduled') return <p>{t('opinions.form.not_yet', { at: chinaTime(s.opensAt) })}</p>;
  if (s.state === 'closed') return <p>{t('opinions.form.closed', { at: chinaTime(s.closesAt) })}</p>;
  if (!viewer)
    return (
      <p>
        <a href={`/login?next=${encodeURIComponent(`/opinions/${s.id}`)}`}>{t('opinions.form.sign_in')}</a>
      </p>
    );
  if (!viewer.permissions.has('account.self')) return <p>{t('opinions.form.staff')}</p>;
  return (
    <>
      <p class="hint">{t(s.moderated ? 'opinions.form.moderated' : 'opinions.form.privacy')}</p>
      <Form
        action={`/opinions/${s.id}`}
        submitLabel={t('opinions.form.submit')}
        state={state}
        id="opinion-form"
      >
        <Field
          name="clause"
          label={t('opinions.clause')}
          hint={t('opinions.clause_hint', { max: CLAUSE_MAX })}
          state={state}
          maxLength={CLAUSE_MAX}
        />
        <Field
          name="body"
          label={t('opinions.body')}
          hint={t('opinions.body_hint', { min: OPINION_MIN, max: OPINION_MAX })}
          state={state}
          required
          rows={8}
          maxLength={OPINION_MAX}
        />
      </Form>
    </>
  );
}

export function opinionsPages(
  app: FastifyInstance,
  deps: { opinions: OpinionService; postsPerMinute: number },
) {
  const { opinions } = deps;
  const hide = { hide: true };
  const idOf = (req: FastifyRequest) => Number((req.params as { id: string }).id);

  app.get(
    '/opinions',
    { schema: hide, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const tenantId = req.site.tenantId;
      const offset = Math.max(0, Math.min(100_000, Number((req.query as { offset?: string }).offset) || 0));
      const [open, scheduled, closed] = await Promise.all([
        opinions.list(tenantId, 'open', { limit: 100, offset: 0 }),
        opinions.list(tenantId, 'scheduled', { limit: 100, offset: 0 }),
        opinions.list(tenantId, 'closed', { limit: PAGE, offset }),
      ]);
      const title = t('opinions.portal.title');
      return reply.page({
        area: 'portal',
        title,
        column: { name: title, type: t('opinions.portal.column_type') },
        breadcrumbs: [{ href: '/', label: t('nav.home') }, { label: title }],
        body: (
          <>
            <h1>{title}</h1>
            <p>{t('opinions.portal.intro')}</p>
            <h2>{t('opinions.portal.open')}</h2>
            {open.items.length === 0 ? (
              <p>{t('opinions.portal.none_open')}</p>
            ) : (
              <SolicitationList items={open.items} base="/opinions" />
            )}
            {scheduled.items.length > 0 ? (
              <>
                <h2>{t('opinions.portal.scheduled')}</h2>
                <SolicitationList items={scheduled.items} base="/opinions" />
              </>
            ) : null}
            <h2>{t('opinions.portal.closed')}</h2>
            {closed.items.length === 0 ? (
              <p>{t('opinions.portal.none_closed')}</p>
            ) : (
              <SolicitationList items={closed.items} base="/opinions" />
            )}
            <Pagination base="/opinions" offset={offset} limit={PAGE} total={closed.total} />
          </>
        ),
      });
    },
  );

  const onePage = (req: FastifyRequest, s: SolicitationView, state: FormState): PageContent => {
    const t = req.t;
    return {
      area: 'portal',
      title: s.title,
      column: { name: t('opinions.portal.title'), type: t('opinions.portal.column_type') },
      breadcrumbs: [
        { href: '/', label: t('nav.home') },
        { href: '/opinions', label: t('opinions.portal.title') },
        { label: s.title },
      ],
      body: (
        <>
          <h1>{s.title}</h1>
          <WrittenNotice />
          <Facts s={s} />
          {s.description ? <Lines text={s.description} /> : null}
          {s.draftText ? (
            <section aria-labelledby="draft">
              <h2 id="draft">{t('opinions.draft_text')}</h2>
              <div class="draft-text">
                <Lines text={s.draftText} />
              </div>
            </section>
          ) : null}
          {s.report ? <Report report={s.report} /> : null}
          <section aria-labelledby="write">
            <h2 id="write">{t('opinions.form.title')}</h2>
            <OpinionForm s={s} state={state} />
          </section>
          {!s.report && s.showPublic ? (
            <section aria-labelledby="shown">
              <h2 id="shown">{t('opinions.shown.title', { count: s.opinions.length })}</h2>
              {s.opinions.length === 0 ? (
                <p>{t('opinions.shown.none')}</p>
              ) : (
                <PublicOpinions items={s.opinions} withAdoption={false} />
              )}
            </section>
          ) : null}
        </>
      ),
    };
  };

  app.get(
    '/opinions/:id',
    { schema: hide, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const s = await opinions.get(req.site.tenantId, idOf(req));
      return reply.page(onePage(req, s, emptyForm()));
    },
  );

  app.post(
    '/opinions/:id',
    { schema: hide, config: { access: 'account.self', rateLimit: postLimit(deps.postsPerMinute) } },
    async (req, reply) => {
      const s = await opinions.get(req.site.tenantId, idOf(req));
      return submitForm(
        req,
        reply,
        async (v) => {
          const o = await opinions.write(auditContextOf(req), s.id, {
            body: v.body ?? '',
            clause: v.clause ?? '',
          });
          return `/opinions/${s.id}?written=${o.status}`;
        },
        (state) => onePage(req, s, state),
      );
    },
  );

  app.get('/account/opinions', { schema: hide, config: { access: 'account.self' } }, async (req, reply) => {
    const t = req.t;
    const items = await opinions.mine(auditContextOf(req));
    const title = t('opinions.mine.title');
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
            <p role="status">{t('opinions.mine.none')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('opinions.solicitation')}</th>
                  <th scope="col">{t('opinions.body')}</th>
                  <th scope="col">{t('opinions.written_at')}</th>
                  <th scope="col">{t('opinions.status')}</th>
                  <th scope="col">{t('opinions.adoption')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((o) => (
                  <tr>
                    <td>
                      <a href={`/opinions/${o.solicitationId}`}>{o.solicitationTitle}</a>
                    </td>
                    <td>
                      {o.clause ? `${o.clause}：` : ''}
                      {[...o.body].slice(0, 80).join('')}
                    </td>
                    <td>{chinaTime(o.writtenAt)}</td>
                    <td>
                      {t(`opinions.status.${o.status}`)}
                      {o.rejectReason ? `：${o.rejectReason}` : ''}
                    </td>
                    <td>
                      {o.reportPublishedAt ? (
                        <>
                          <AdoptionLabel adoption={o.adoption} />
                          {o.adoptionReason ? `：${o.adoptionReason}` : ''}
                        </>
                      ) : (
                        t('opinions.adoption.pending')
                      )}
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
}
