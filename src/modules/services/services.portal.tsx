/**
 * 网上办事 on the portal: find a service (search in Chinese, or browse by department, life event,
 * enterprise event, audience) at /services, and read its whole guide (办事指南) at
 * /services/items/:code — printable, with the column and article meta tags of the government website
 * page standard.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { notFound } from '../../kernel/errors.ts';
import { formPdf } from '../../kernel/forms/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import { Pagination, usePage, type PageContent } from '../../kernel/pages/index.tsx';
import type { HighlightSegment } from '../../kernel/search/index.ts';
import { ENTERPRISE_EVENTS, ITEM_KINDS, LIFE_EVENTS, type Item } from './catalogue.ts';
import type { ItemService } from './item.service.ts';
import type { CatalogueSearch, Found } from './item.search.ts';

const LIMIT = 20;

interface Query {
  q: string;
  department?: number | undefined;
  audience?: 'person' | 'enterprise' | undefined;
  lifeEvent?: string | undefined;
  enterpriseEvent?: string | undefined;
  kind?: string | undefined;
  offset: number;
}

function readQuery(raw: Record<string, string | undefined>): Query {
  const pick = <T extends string>(list: readonly T[], v: string | undefined) => list.find((x) => x === v);
  const department = Number(raw.department);
  return {
    q: (raw.q ?? '').slice(0, 100),
    department: Number.isInteger(department) && department > 0 ? department : undefined,
    audience: pick(['person', 'enterprise'] as const, raw.audience),
    lifeEvent: pick(LIFE_EVENTS, raw.lifeEvent),
    enterpriseEvent: pick(ENTERPRISE_EVENTS, raw.enterpriseEvent),
    kind: pick(ITEM_KINDS, raw.kind),
    offset: Math.max(0, Math.min(100_000, Number(raw.offset) || 0)),
  };
}

const queryString = (q: Query) => {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.department) p.set('department', String(q.department));
  for (const k of ['audience', 'lifeEvent', 'enterpriseEvent', 'kind'] as const) if (q[k]) p.set(k, q[k]);
  const s = p.toString();
  return s ? `?${s}` : '';
};

export function Snippet(props: { segments: HighlightSegment[] }) {
  return <>{props.segments.map((s) => (s.match ? <mark>{s.text}</mark> : s.text))}</>;
}

function EventLinks(props: {
  events: readonly string[];
  param: 'lifeEvent' | 'enterpriseEvent';
  query: Query;
}) {
  const { t } = usePage();
  return (
    <ul class="chips">
      {props.events.map((e) => (
        <li>
          <a
            href={`/services${queryString({ ...props.query, lifeEvent: undefined, enterpriseEvent: undefined, [props.param]: e, offset: 0 })}`}
            aria-current={props.query[props.param] === e ? 'true' : undefined}
          >
            {t(`services.event.${e}`)}
          </a>
        </li>
      ))}
    </ul>
  );
}

function SearchPage(props: {
  query: Query;
  found: Found;
  departments: { departmentId: number; name: string; items: number }[];
}) {
  const { t } = usePage();
  const { query, found } = props;
  const filtered =
    query.q || query.department || query.audience || query.lifeEvent || query.enterpriseEvent || query.kind;
  return (
    <>
      <form method="get" action="/services" role="search" class="search-form">
        <label for="q">{t('services.portal.search_label')}</label>
        <input id="q" name="q" type="search" value={query.q} maxLength={100} />
        <label for="department">{t('services.item.department')}</label>
        <select id="department" name="department">
          <option value="">{t('services.portal.any_department')}</option>
          {props.departments.map((d) => (
            <option value={String(d.departmentId)} selected={query.department === d.departmentId}>
              {d.name}（{d.items}）
            </option>
          ))}
        </select>
        <label for="audience">{t('services.item.audience')}</label>
        <select id="audience" name="audience">
          <option value="">{t('services.portal.any_audience')}</option>
          <option value="person" selected={query.audience === 'person'}>
            {t('services.audience.person')}
          </option>
          <option value="enterprise" selected={query.audience === 'enterprise'}>
            {t('services.audience.enterprise')}
          </option>
        </select>
        <button type="submit">{t('services.portal.search')}</button>
      </form>
      <p>
        <a href="/services/coverage">{t('services.portal.coverage_link')}</a>
      </p>
      <section aria-labelledby="life-events">
        <h2 id="life-events">{t('services.portal.life_events')}</h2>
        <EventLinks events={LIFE_EVENTS} param="lifeEvent" query={query} />
      </section>
      <section aria-labelledby="enterprise-events">
        <h2 id="enterprise-events">{t('services.portal.enterprise_events')}</h2>
        <EventLinks events={ENTERPRISE_EVENTS} param="enterpriseEvent" query={query} />
      </section>
      <section aria-labelledby="results">
        <h2 id="results">
          {filtered
            ? t('services.portal.results', { total: found.total })
            : t('services.portal.all', { total: found.total })}
        </h2>
        {found.items.length === 0 ? (
          <div class="nothing-found">
            <p>{t('services.portal.nothing', { q: query.q })}</p>
            <ul>
              <li>{t('services.portal.tip_words')}</li>
              <li>{t('services.portal.tip_browse')}</li>
              <li>{t('services.portal.tip_phone')}</li>
            </ul>
            {filtered ? (
              <p>
                <a href="/services">{t('services.portal.clear')}</a>
              </p>
            ) : null}
          </div>
        ) : (
          <ol class="results" start={query.offset + 1}>
            {found.items.map((i) => (
              <li>
                <h3>
                  <a href={`/services/items/${i.code}`}>{i.name}</a>
                </h3>
                <p class="meta">
                  {i.departmentName} · {t(`services.kind.${i.kind}`)} · {t(`services.depth.${i.onlineDepth}`)}
                  {i.promisedDays !== null
                    ? ` · ${t('services.portal.promised', { days: i.promisedDays })}`
                    : ''}
                </p>
                {i.snippet.length > 0 ? (
                  <p class="snippet">
                    <Snippet segments={i.snippet} />
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        <Pagination
          base={`/services${queryString(query)}`}
          offset={query.offset}
          limit={LIMIT}
          total={found.total}
        />
      </section>
    </>
  );
}

/** Text as paragraphs, one per line (the guide's texts are plain text, never HTML). */
function Lines(props: { text: string }) {
  const { t } = usePage();
  const lines = props.text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return <p>{t('services.guide.none')}</p>;
  return (
    <>
      {lines.map((l) => (
        <p>{l}</p>
      ))}
    </>
  );
}

/** Another module's section at the end of a guide (网上咨询: the answers made public, how to ask). */
export type GuideSection = (req: FastifyRequest, item: Item) => Promise<ComponentChildren>;

function Guide(props: { item: Item; extra?: ComponentChildren }) {
  const { t } = usePage();
  const i = props.item;
  const days = (n: number | null) =>
    n === null ? t('services.guide.none') : t('services.guide.working_days', { days: n });
  return (
    <article class="guide">
      <p class="print-hint">{t('services.guide.print_hint')}</p>
      {i.onlineDepth >= 3 && i.processCode !== null ? (
        <p>
          <a class="button" href={`/applications/new?item=${i.code}`}>
            {t('services.guide.apply')}
          </a>
        </p>
      ) : null}
      {i.form ? (
        <section aria-labelledby="forms-title">
          <h2 id="forms-title">{t('services.guide.forms')}</h2>
          <ul>
            <li>
              <a href={`/services/items/${i.code}/form.pdf`}>{t('services.guide.blank_form')}</a>
            </li>
            <li>
              <a href={`/services/items/${i.code}/form-sample.pdf`}>{t('services.guide.sample_form')}</a>
            </li>
          </ul>
        </section>
      ) : null}
      <h2>{t('services.guide.basic')}</h2>
      <dl class="facts">
        <dt>{t('services.item.code')}</dt>
        <dd>{i.code}</dd>
        <dt>{t('services.item.kind')}</dt>
        <dd>{t(`services.kind.${i.kind}`)}</dd>
        <dt>{t('services.item.department')}</dt>
        <dd>{i.departmentName}</dd>
        <dt>{t('services.item.audience')}</dt>
        <dd>{t(`services.audience.${i.audience}`)}</dd>
        <dt>{t('services.item.online_depth')}</dt>
        <dd>{t(`services.depth.${i.onlineDepth}`)}</dd>
        <dt>{t('services.item.statutory_days')}</dt>
        <dd>{days(i.statutoryDays)}</dd>
        <dt>{t('services.item.promised_days')}</dt>
        <dd>{days(i.promisedDays)}</dd>
        <dt>{t('services.item.result_delivery')}</dt>
        <dd>
          {i.resultDelivery.length === 0
            ? t('services.guide.none')
            : i.resultDelivery.map((d) => t(`services.delivery.${d}`)).join('、')}
        </dd>
      </dl>
      <h2>{t('services.item.legal_basis')}</h2>
      <Lines text={i.legalBasis} />
      <h2>{t('services.item.conditions')}</h2>
      <Lines text={i.conditions} />
      <h2>{t('services.item.materials')}</h2>
      {i.materials.length === 0 ? (
        <p>{t('services.guide.no_materials')}</p>
      ) : (
        <table class="materials">
          <thead>
            <tr>
              <th scope="col">{t('services.guide.no')}</th>
              <th scope="col">{t('services.material.name')}</th>
              <th scope="col">{t('services.material.form')}</th>
              <th scope="col">{t('services.material.copies')}</th>
              <th scope="col">{t('services.material.required')}</th>
              <th scope="col">{t('services.material.note')}</th>
            </tr>
          </thead>
          <tbody>
            {i.materials.map((m, n) => (
              <tr>
                <td>{n + 1}</td>
                <td>{m.name}</td>
                <td>{t(`services.material_form.${m.form}`)}</td>
                <td>{m.copies}</td>
                <td>
                  {m.required
                    ? t('services.material.required_always')
                    : `${t('services.material.required_conditional')}：${m.condition}`}
                </td>
                <td>
                  {m.heldBy ? <p>{t('services.guide.held_by', { source: m.heldBy })}</p> : null}
                  {m.note ? <p>{m.note}</p> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('services.item.process')}</h2>
      <Lines text={i.process} />
      <h2>{t('services.item.fees')}</h2>
      {i.fees.length === 0 ? (
        <p>{t('services.guide.free')}</p>
      ) : (
        <ul>
          {i.fees.map((f) => (
            <li>
              {t('services.guide.fee', { name: f.name, amount: f.amount })}
              {f.basis ? `（${t('services.fee.basis')}：${f.basis}）` : ''}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('services.guide.where')}</h2>
      <dl class="facts">
        <dt>{t('services.item.place')}</dt>
        <dd>{i.place || t('services.guide.none')}</dd>
        <dt>{t('services.item.hours')}</dt>
        <dd>{i.hours || t('services.guide.none')}</dd>
        <dt>{t('services.item.consult_phone')}</dt>
        <dd>{i.consultPhone || t('services.guide.none')}</dd>
        <dt>{t('services.item.complaint_phone')}</dt>
        <dd>{i.complaintPhone || t('services.guide.none')}</dd>
      </dl>
      {props.extra}
      <p class="meta">{t('services.guide.updated', { date: i.updatedAt.slice(0, 10) })}</p>
    </article>
  );
}

const column = (t: Translate) => ({
  name: t('services.portal.title'),
  type: t('services.portal.column_type'),
});

export function servicesPortalPages(
  app: FastifyInstance,
  deps: { items: ItemService; search: CatalogueSearch; guideSection?: GuideSection | undefined },
): void {
  const { items, search } = deps;

  app.get('/services', { config: { access: 'public', publicCache: true } }, async (req, reply) => {
    const t = req.t;
    const query = readQuery(req.query as Record<string, string | undefined>);
    const tenantId = req.site.tenantId;
    const [found, departments] = await Promise.all([
      search.search(
        tenantId,
        query.q,
        {
          departmentId: query.department,
          audience: query.audience,
          lifeEvent: query.lifeEvent,
          enterpriseEvent: query.enterpriseEvent,
          kind: query.kind,
        },
        { limit: LIMIT, offset: query.offset },
      ),
      items.departments(tenantId),
    ]);
    const title = t('services.portal.title');
    const page: PageContent = {
      area: 'portal',
      title,
      column: column(t),
      breadcrumbs: [{ href: '/', label: t('nav.home') }, { label: title }],
      body: (
        <>
          <h1>{title}</h1>
          <SearchPage query={query} found={found} departments={departments} />
        </>
      ),
    };
    return reply.page(page);
  });

  // 表格下载: the application form blank and as a filled sample, as PDF with the font embedded.
  for (const [file, mode] of [
    ['form', 'blank'],
    ['form-sample', 'sample'],
  ] as const)
    app.get(`/services/items/:code/${file}.pdf`, { config: { access: 'public' } }, async (req, reply) => {
      const item = await items.get(
        { tenantId: req.site.tenantId, actor: req.actor },
        (req.params as { code: string }).code,
      );
      if (!item.form) throw notFound('services.item.no_form', { code: item.code });
      const pdf = await formPdf(item.form, {
        mode,
        title: item.form.title ?? item.name,
        issuer: item.departmentName,
        lang: req.locale === 'en' ? 'en' : 'zh-CN',
        createdAt: new Date(item.updatedAt),
        subtitle: item.code,
      });
      const name = `${item.name}-${mode === 'blank' ? req.t('services.guide.blank_form') : req.t('services.guide.sample_form')}.pdf`;
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          `inline; filename="${file}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .send(pdf);
    });

  app.get(
    '/services/items/:code',
    { config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const item = await items.get(
        { tenantId: req.site.tenantId, actor: req.actor },
        (req.params as { code: string }).code,
      );
      const page: PageContent = {
        area: 'portal',
        title: item.name,
        column: column(t),
        article: {
          title: item.name,
          pubDate: (item.publishedAt ?? item.updatedAt).slice(0, 10),
          source: item.departmentName,
        },
        breadcrumbs: [
          { href: '/', label: t('nav.home') },
          { href: '/services', label: t('services.portal.title') },
          { label: item.name },
        ],
        body: (
          <>
            <h1>{item.name}</h1>
            <Guide item={item} extra={await deps.guideSection?.(req, item)} />
          </>
        ),
      };
      return reply.page(page);
    },
  );
}
