/**
 * 政府信息公开 on the portal: the disclosure column (/publications: the catalogue and the latest), a
 * category's column page (/publications/categories/:code), a publication's article page
 * (/publications/:id, with its metadata table and the column/article meta tags of the government
 * website page standard), its attachments, and search (/publications/search). Pages work without
 * JavaScript; a search with nothing typed, or too much, says so beside the box.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldProblem } from '../../kernel/errors.ts';
import { formatBytes, mediaTypeLabel, type BlobStore } from '../../kernel/files/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import { Pagination, usePage, type PageContent } from '../../kernel/pages/index.tsx';
import type { HighlightSegment } from '../../kernel/search/index.ts';
import { isPublic, VALIDITIES, type Category, type Publication } from './catalogue.ts';
import type { Found, PublicationSearch, SearchFilter } from './publication.search.ts';
import type { PublicationService } from './publication.service.ts';
import { ArticleExtrasSections, type ArticleExtras } from './publication.extras.tsx';

const LIMIT = 20;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const column = (t: Translate, name = t('publications.portal.title')) => ({
  name,
  type: t('publications.portal.column_type'),
});

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');
/** The day in China a moment falls on (publication dates are China's). */
const chinaDay = (iso: string | null) =>
  iso ? new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10) : '—';

function readFilter(raw: Record<string, string | undefined>): SearchFilter & { q: string; offset: number } {
  return {
    q: (raw.q ?? '').slice(0, 1000),
    category: raw.category && /^[a-z][a-z0-9_-]{0,39}$/.test(raw.category) ? raw.category : undefined,
    issuingBody: raw.issuingBody ? raw.issuingBody.slice(0, 100) : undefined,
    validity: VALIDITIES.find((v) => v === raw.validity),
    from: raw.from && DATE.test(raw.from) ? raw.from : undefined,
    to: raw.to && DATE.test(raw.to) ? raw.to : undefined,
    offset: Math.max(0, Math.min(100_000, Number(raw.offset) || 0)),
  };
}

const queryString = (f: SearchFilter & { q?: string }) => {
  const p = new URLSearchParams();
  for (const k of ['q', 'category', 'issuingBody', 'validity', 'from', 'to'] as const)
    if (f[k]) p.set(k, f[k]!);
  const s = p.toString();
  return s ? `?${s}` : '';
};

const Snippet = (props: { segments: HighlightSegment[] }) => (
  <>{props.segments.map((s) => (s.match ? <mark>{s.text}</mark> : s.text))}</>
);

function PublicationList(props: {
  items: (Publication & { titleMarks?: HighlightSegment[]; snippet?: HighlightSegment[] })[];
}) {
  const { t } = usePage();
  return (
    <ol class="results">
      {props.items.map((p) => (
        <li>
          <a href={`/publications/${p.id}`}>{p.titleMarks ? <Snippet segments={p.titleMarks} /> : p.title}</a>
          <p class="meta">
            {p.issuingBody} · {chinaDay(p.publishAt)} · {p.categoryName}
            {p.validity !== 'valid' ? ` · ${t(`publications.validity.${p.validity}`)}` : ''}
          </p>
          {p.snippet && p.snippet.length > 0 ? (
            <p class="snippet">
              <Snippet segments={p.snippet} />
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** The catalogue as a tree of links, the current category marked. */
function Catalogue(props: { categories: Category[]; current?: string | undefined }) {
  const { t } = usePage();
  const active = props.categories.filter((c) => c.active);
  const item = (c: Category) => (
    <li>
      <a
        href={`/publications/categories/${c.code}`}
        aria-current={props.current === c.code ? 'page' : undefined}
      >
        {c.name}
      </a>
      {active.some((x) => x.parentCode === c.code) ? (
        <ul>{active.filter((x) => x.parentCode === c.code).map(item)}</ul>
      ) : null}
    </li>
  );
  return (
    <nav class="catalogue" aria-label={t('publications.portal.catalogue')}>
      <h2>{t('publications.portal.catalogue')}</h2>
      <ul>{active.filter((c) => c.parentCode === null).map(item)}</ul>
    </nav>
  );
}

function SearchForm(props: {
  filter: SearchFilter & { q: string };
  categories: Category[];
  problems: FieldProblem[];
}) {
  const { t } = usePage();
  const problem = props.problems.find((p) => p.field === 'q');
  const f = props.filter;
  return (
    <form method="get" action="/publications/search" role="search" class="search-form">
      <div class={problem ? 'field field-error' : 'field'}>
        <label for="field-q">{t('publications.search.label')}</label>
        <input
          id="field-q"
          name="q"
          type="search"
          value={f.q}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? 'field-q-error' : undefined}
        />
        {problem ? (
          <p class="error" id="field-q-error">
            {t(problem.code, problem.params)}
          </p>
        ) : null}
      </div>
      <details open={!!(f.category || f.issuingBody || f.validity || f.from || f.to)}>
        <summary>{t('publications.search.filters')}</summary>
        <div class="field">
          <label for="field-category">{t('publications.field.category')}</label>
          <select id="field-category" name="category">
            <option value="">{t('publications.search.any')}</option>
            {props.categories
              .filter((c) => c.active)
              .map((c) => (
                <option value={c.code} selected={f.category === c.code}>
                  {c.name}
                </option>
              ))}
          </select>
        </div>
        <div class="field">
          <label for="field-issuingBody">{t('publications.field.issuing_body')}</label>
          <input id="field-issuingBody" name="issuingBody" value={f.issuingBody ?? ''} maxLength={100} />
        </div>
        <div class="field">
          <label for="field-validity">{t('publications.field.validity')}</label>
          <select id="field-validity" name="validity">
            <option value="">{t('publications.search.any')}</option>
            {VALIDITIES.map((v) => (
              <option value={v} selected={f.validity === v}>
                {t(`publications.validity.${v}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="field-from">{t('publications.search.from')}</label>
          <input id="field-from" name="from" type="date" value={f.from ?? ''} />
        </div>
        <div class="field">
          <label for="field-to">{t('publications.search.to')}</label>
          <input id="field-to" name="to" type="date" value={f.to ?? ''} />
        </div>
      </details>
      <button type="submit">{t('publications.search.submit')}</button>
    </form>
  );
}

/** The metadata table every disclosed document carries (索引号, 发布机构, 成文日期 …). */
function Metadata(props: { p: Publication }) {
  const { t } = usePage();
  const p = props.p;
  const rows: [string, string | preact.JSX.Element][] = [
    [t('publications.field.index_number'), p.indexNumber ?? '—'],
    [t('publications.field.category'), p.categoryName],
    [t('publications.field.issuing_body'), p.issuingBody],
    [t('publications.field.written_on'), day(p.writtenOn)],
    [t('publications.field.published'), chinaDay(p.publishAt)],
    [t('publications.field.doc_number'), p.docNumber || '—'],
    [t('publications.field.subject'), p.subject || '—'],
    [
      t('publications.field.validity'),
      p.replacedBy ? (
        <>
          {t(`publications.validity.${p.validity}`)}（{t('publications.replaced_by')}
          <a href={`/publications/${p.replacedBy.id}`}>{p.replacedBy.title}</a>）
        </>
      ) : (
        t(`publications.validity.${p.validity}`)
      ),
    ],
  ];
  return (
    <table class="metadata">
      <caption class="visually-hidden">{t('publications.portal.metadata')}</caption>
      <tbody>
        {rows.map(([k, v]) => (
          <tr>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Article(props: { p: Publication }) {
  const { t } = usePage();
  const p = props.p;
  if (p.status === 'withdrawn')
    return (
      <>
        <Metadata p={p} />
        <div class="notice" role="status">
          <p>{t('publications.withdrawn_notice', { date: chinaDay(p.withdrawnAt) })}</p>
          <p>{t('publications.withdrawn_reason', { reason: p.withdrawalReason })}</p>
        </div>
      </>
    );
  return (
    <>
      {p.status !== 'published' ? (
        <p class="notice" role="status">
          {t(`publications.preview.${p.status}`)}
        </p>
      ) : null}
      <Metadata p={p} />
      {/* Sanitised when saved (src/kernel/html): an allowlist, nothing executable. */}
      <div class="publication-body" dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
      {p.attachments.length > 0 ? (
        <section>
          <h2>{t('publications.attachments')}</h2>
          <ul>
            {p.attachments.map((a) => (
              <li>
                <a href={`/publications/${p.id}/files/${a.position}`}>{a.fileName}</a> （
                {mediaTypeLabel(a.mediaType)}，{formatBytes(a.size)}）
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function publicationsPortal(
  app: FastifyInstance,
  deps: {
    publications: PublicationService;
    search: PublicationSearch;
    blobs: BlobStore;
    articleExtras?: ArticleExtras | undefined;
  },
): void {
  const { publications, search } = deps;
  const crumbs = (t: Translate, ...more: { href?: string; label: string }[]) => [
    { href: '/', label: t('nav.home') },
    { href: '/publications', label: t('publications.portal.title') },
    ...more,
  ];

  app.get('/publications', { config: { access: 'public', publicCache: true } }, async (req, reply) => {
    const t = req.t;
    const tenantId = req.site.tenantId;
    const [categories, latest] = await Promise.all([
      publications.categories(tenantId),
      search.list(tenantId, {}, { limit: LIMIT, offset: 0 }),
    ]);
    const title = t('publications.portal.title');
    const page: PageContent = {
      area: 'portal',
      title,
      column: column(t),
      breadcrumbs: [{ href: '/', label: t('nav.home') }, { label: title }],
      body: (
        <>
          <h1>{title}</h1>
          <SearchForm filter={{ q: '' }} categories={categories} problems={[]} />
          <div class="columns">
            <Catalogue categories={categories} />
            <section>
              <h2>{t('publications.portal.latest')}</h2>
              {latest.items.length > 0 ? (
                <PublicationList items={latest.items} />
              ) : (
                <p>{t('publications.portal.none')}</p>
              )}
              <p>
                <a href="/publications/feed.atom">{t('publications.feed')}</a>
                {' · '}
                <a href="/disclosure/requests/new">{t('publications.request_link')}</a>
              </p>
            </section>
          </div>
        </>
      ),
    };
    return reply.page(page);
  });

  app.get(
    '/publications/categories/:code',
    { config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const tenantId = req.site.tenantId;
      const code = (req.params as { code: string }).code;
      const categories = await publications.categories(tenantId);
      const category = categories.find((c) => c.code === code && c.active);
      if (!category) throw new DomainError('not_found', 'publications.category_unknown');
      const offset = readFilter(req.query as Record<string, string | undefined>).offset;
      const r = await search.list(tenantId, { category: code }, { limit: LIMIT, offset });
      const page: PageContent = {
        area: 'portal',
        title: category.name,
        column: column(t, category.name),
        breadcrumbs: crumbs(t, { label: category.name }),
        body: (
          <>
            <h1>{category.name}</h1>
            <div class="columns">
              <Catalogue categories={categories} current={code} />
              <section>
                {r.items.length > 0 ? (
                  <PublicationList items={r.items} />
                ) : (
                  <p>{t('publications.portal.none')}</p>
                )}
                <Pagination
                  base={`/publications/categories/${code}`}
                  offset={offset}
                  limit={LIMIT}
                  total={r.total}
                />
                <p>
                  <a href={`/publications/categories/${code}/feed.atom`}>{t('publications.feed')}</a>
                </p>
              </section>
            </div>
          </>
        ),
      };
      return reply.page(page);
    },
  );

  app.get('/publications/search', { config: { access: 'public', publicCache: true } }, async (req, reply) => {
    const t = req.t;
    const tenantId = req.site.tenantId;
    const filter = readFilter(req.query as Record<string, string | undefined>);
    const categories = await publications.categories(tenantId);
    let found: Found | null = null;
    let problems: FieldProblem[] = [];
    try {
      found = await search.search(tenantId, filter.q, filter, { limit: LIMIT, offset: filter.offset });
    } catch (e) {
      if (!(e instanceof DomainError) || e.fields.length === 0) throw e;
      problems = e.fields;
    }
    const title = t('publications.search.title');
    const page: PageContent = {
      area: 'portal',
      title: filter.q ? `${filter.q} - ${title}` : title,
      column: column(t),
      breadcrumbs: crumbs(t, { label: title }),
      body: (
        <>
          <h1>{title}</h1>
          <SearchForm filter={filter} categories={categories} problems={problems} />
          {found === null ? null : found.items.length === 0 ? (
            <div class="empty" role="status">
              <p>{t('publications.search.nothing', { q: filter.q })}</p>
              <ul>
                <li>{t('publications.search.hint_words')}</li>
                <li>{t('publications.search.hint_filters')}</li>
                <li>
                  {t('publications.search.hint_request')}{' '}
                  <a href="/disclosure/requests/new">{t('publications.request_link')}</a>
                </li>
              </ul>
            </div>
          ) : (
            <>
              <p role="status">
                {t(found.totalExact ? 'publications.search.count' : 'publications.search.count_more', {
                  total: found.total,
                })}
              </p>
              <PublicationList items={found.items} />
              <Pagination
                base={`/publications/search${queryString(filter)}`}
                offset={filter.offset}
                limit={LIMIT}
                total={found.total}
              />
            </>
          )}
        </>
      ),
    };
    return reply.page(page);
  });

  async function shown(req: FastifyRequest) {
    const id = Number((req.params as { id: string }).id);
    return publications.get(auditContextOf(req), id);
  }

  // Micro-cached (src/kernel/http/public-cache.ts) like the other portal pages: what a visitor is shown
  // of a public publication is the same for every visitor. A draft can never get into the cache: a
  // visitor asking for one gets a 404, which is never kept, and the staff who may see their
  // department's drafts carry a session, which the cache neither answers nor stores. Anything but a
  // public page, or a page rendered for someone signed in, is still kept out explicitly below, so the
  // rule does not hang on how sessions are told apart.
  app.get(
    '/publications/:id',
    { config: { access: 'public', publicCache: true } },
    async (req, reply: FastifyReply) => {
      const t = req.t;
      const p = await shown(req);
      if (req.actor || !isPublic(p, new Date())) req.publicCacheKey = null;
      const page: PageContent = {
        area: 'portal',
        title: p.title,
        column: column(t, p.categoryName),
        article: { title: p.title, pubDate: chinaDay(p.publishAt), source: p.issuingBody },
        breadcrumbs: crumbs(
          t,
          { href: `/publications/categories/${p.categoryCode}`, label: p.categoryName },
          { label: p.title },
        ),
        body: (
          <>
            <h1>{p.title}</h1>
            <Article p={p} />
            {/* Other modules' links under the article (publication.extras.tsx), e.g. a policy's lifecycle. */}
            <ArticleExtrasSections sections={await deps.articleExtras?.(req.site.tenantId, p, t)} />
          </>
        ),
      };
      // Drafts and withdrawn ones are nobody's to cache; public ones change rarely.
      if (p.status !== 'published') reply.header('cache-control', 'private, no-store');
      return reply.page(page);
    },
  );

  app.get('/publications/:id/files/:position', { config: { access: 'public' } }, async (req, reply) => {
    const p = await shown(req);
    const position = Number((req.params as { position: string }).position);
    const a = p.status === 'withdrawn' ? undefined : p.attachments.find((x) => x.position === position);
    if (!a) throw new DomainError('not_found', 'publications.attachment_unknown');
    const stream = await deps.blobs.open(a.digest);
    return reply
      .type(a.mediaType)
      .header('content-length', String(a.size))
      .header('cache-control', p.status === 'published' ? 'public, max-age=300' : 'private, no-store')
      .header(
        'content-disposition',
        `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(a.fileName)}`,
      )
      .send(stream);
  });
}
