/** The public portal: home page, API documentation page, and the error page; module pages plug in beside. */
import type { FastifyInstance } from 'fastify';
import type { Translate } from '../kernel/i18n/index.ts';
import { usePage, type PageContent } from '../kernel/pages/index.tsx';
import type { Division, OrgModule } from '../modules/org/index.ts';

export { PortalLayout } from './layout.tsx';

function Home(props: { children: Division[]; departmentCount: number }) {
  const { t, site, viewer } = usePage();
  const sections = [
    {
      href: '/departments',
      title: t('org.department.directory'),
      text: t('home.departments_text', { n: props.departmentCount }),
    },
    { href: '/divisions', title: t('org.division.title'), text: t('home.divisions_text') },
    { href: '/api/docs', title: t('nav.api'), text: t('home.api_text') },
  ];
  return (
    <>
      <h1>{site.name}</h1>
      <p class="lead">{t('home.lead')}</p>
      <section aria-labelledby="sections-heading">
        <h2 id="sections-heading">{t('home.sections')}</h2>
        <ul class="cards">
          {sections.map((s) => (
            <li class="card">
              <h3>
                <a href={s.href}>{s.title}</a>
              </h3>
              <p>{s.text}</p>
            </li>
          ))}
        </ul>
      </section>
      {props.children.length > 0 ? (
        <section aria-labelledby="region-heading">
          <h2 id="region-heading">{t('home.region')}</h2>
          <ul class="inline-list">
            {props.children.map((d) => (
              <li>
                <a href={`/divisions/${d.code}`}>{d.name}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p class="muted">
        {viewer?.permissions.has('workbench.enter') ? (
          <a href="/workbench">{t('home.workbench_link')}</a>
        ) : (
          <a href="/login?next=%2Fworkbench">{t('home.staff_login')}</a>
        )}
      </p>
    </>
  );
}

interface Operation {
  method: string;
  path: string;
  summary: string;
  tag: string;
}

/**
 * 政民互动: one entry for the ways the public raises matters and takes part, each its own module's pages
 * (a module adds itself here when it exists; these four are the plan's §1(3) list).
 */
function Interaction() {
  const { t } = usePage();
  const ways = [
    { href: '/letters', title: t('letters.title'), text: t('interaction.letters_text') },
    { href: '/petitions/new', title: t('petitions.new.title'), text: t('interaction.petitions_text') },
    { href: '/opinions', title: t('opinions.portal.title'), text: t('interaction.opinions_text') },
    { href: '/interviews', title: t('interviews.title'), text: t('interaction.interviews_text') },
  ];
  return (
    <>
      <h1>{t('interaction.title')}</h1>
      <p class="lead">{t('interaction.lead')}</p>
      <ul class="cards">
        {ways.map((w) => (
          <li class="card">
            <h2>
              <a href={w.href}>{w.title}</a>
            </h2>
            <p>{w.text}</p>
          </li>
        ))}
      </ul>
      <p>
        <a href="/letters/statistics">{t('interaction.statistics')}</a>
      </p>
    </>
  );
}

function ApiDocs(props: { operations: Operation[]; version: string }) {
  const { t } = usePage();
  const tags = [...new Set(props.operations.map((o) => o.tag))];
  return (
    <>
      <h1>{t('nav.api')}</h1>
      <p>{t('api_docs.intro', { version: props.version })}</p>
      <p>
        <a href="/api/openapi.json">{t('api_docs.download')}</a>
      </p>
      {tags.map((tag) => (
        <section aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`}>{tag}</h2>
          <table>
            <caption class="visually-hidden">{tag}</caption>
            <thead>
              <tr>
                <th scope="col">{t('api_docs.method')}</th>
                <th scope="col">{t('api_docs.path')}</th>
                <th scope="col">{t('api_docs.summary')}</th>
              </tr>
            </thead>
            <tbody>
              {props.operations
                .filter((o) => o.tag === tag)
                .map((o) => (
                  <tr>
                    <td>
                      <code>{o.method}</code>
                    </td>
                    <td>
                      <code>{o.path}</code>
                    </td>
                    <td>{o.summary}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}

function ErrorBody(props: { status: number; message: string }) {
  const { t } = usePage();
  return (
    <>
      <h1>
        {t(props.status === 404 ? 'error_page.not_found_title' : 'error_page.title', {
          status: props.status,
        })}
      </h1>
      <p>{props.message}</p>
      <p>
        <a href="/">{t('error_page.back_home')}</a>
      </p>
    </>
  );
}

export function errorPage(status: number, message: string, t: Translate): PageContent {
  return {
    area: 'portal',
    title: t(status === 404 ? 'error_page.not_found_title' : 'error_page.title', { status }),
    body: <ErrorBody status={status} message={message} />,
  };
}

export function portalPages(app: FastifyInstance, deps: { org: OrgModule; version: string }): void {
  const { org } = deps;
  app.get(
    '/',
    { schema: { hide: true }, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const tenantId = req.site.tenantId;
      const [kids, departments] = tenantId
        ? await Promise.all([
            org.divisions.children(tenantId, { limit: 50, offset: 0 }),
            org.departments.list(tenantId, { includeInactive: false, limit: 1, offset: 0 }),
          ])
        : [{ items: [] }, { total: 0 }];
      return reply.page({
        area: 'portal',
        title: req.site.name,
        body: <Home children={kids.items} departmentCount={departments.total} />,
      });
    },
  );

  app.get(
    '/api/docs',
    { schema: { hide: true }, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const spec = app.swagger() as {
        paths?: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
      };
      const operations: Operation[] = [];
      for (const [path, methods] of Object.entries(spec.paths ?? {})) {
        for (const [method, op] of Object.entries(methods)) {
          operations.push({
            method: method.toUpperCase(),
            path,
            summary: op.summary ?? '',
            tag: op.tags?.[0] ?? 'other',
          });
        }
      }
      return reply.page({
        area: 'portal',
        title: req.t('nav.api'),
        column: { name: req.t('nav.api'), type: req.t('api_docs.column_type') },
        breadcrumbs: [{ href: '/', label: req.t('nav.home') }, { label: req.t('nav.api') }],
        body: <ApiDocs operations={operations} version={deps.version} />,
      });
    },
  );

  app.get(
    '/interaction',
    { schema: { hide: true }, config: { access: 'public', publicCache: true } },
    async (req, reply) =>
      reply.page({
        area: 'portal',
        title: req.t('interaction.title'),
        breadcrumbs: [{ href: '/', label: req.t('nav.home') }, { label: req.t('interaction.title') }],
        body: <Interaction />,
      }),
  );

  // Language switch without JavaScript: the layout links to ?lang=…, which the HTTP kernel remembers.
}
