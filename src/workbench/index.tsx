/**
 * The workbench (工作台) for staff: its own layout and the dashboard. Staff only: every page asks for
 * 'workbench.enter' or more, and the navigation shows only what the viewer's roles allow.
 */
import type { FastifyInstance } from 'fastify';
import type { Permission } from '../kernel/policy/index.ts';
import { CsrfField, usePage, type Layout, type PageContent } from '../kernel/pages/index.tsx';
import { Breadcrumbs, Head, LanguageSwitch } from '../portal/chrome.tsx';

/** A link in the workbench navigation, contributed by a module; shown to those who hold `permission` (any of them). */
export interface WorkbenchLink {
  href: string;
  /** locale key of its label */
  key: string;
  permission: Permission | readonly Permission[];
}

export function workbenchLayout(links: readonly WorkbenchLink[]): Layout {
  return (props) => <WorkbenchLayout page={props.page} links={links} />;
}

function visibleLinks(links: readonly WorkbenchLink[], permissions: ReadonlySet<Permission> | undefined) {
  return links.filter((l) => [l.permission].flat().some((p) => permissions?.has(p)));
}

function WorkbenchLayout(props: { page: PageContent; links: readonly WorkbenchLink[] }) {
  const { t, locale, site, url, viewer } = usePage();
  const path = url.split('?')[0] ?? '';
  const nav = [
    { href: '/workbench', key: 'workbench.dashboard' },
    ...(viewer ? visibleLinks(props.links, viewer.permissions) : []),
  ];
  return (
    <html lang={locale}>
      <Head page={props.page} />
      <body class="workbench">
        <a class="skip-link" href="#main">
          {t('layout.skip_to_content')}
        </a>
        <header class="site-header workbench-header">
          <div class="wrap header-row">
            <p class="site-name">
              <a href="/workbench">{t('workbench.title')}</a> <span class="muted-inverse">{site.name}</span>
            </p>
            {viewer ? (
              <form method="post" action="/logout" class="inline-form">
                <CsrfField />
                <span class="muted-inverse">{viewer.name}</span>{' '}
                <button type="submit" class="link-button">
                  {t('identity.logout')}
                </button>
              </form>
            ) : null}
            <LanguageSwitch />
          </div>
        </header>
        <div class="wrap workbench-body">
          <nav class="side-nav" aria-label={t('workbench.navigation')}>
            <ul>
              {nav.map((n) => (
                <li>
                  <a
                    href={n.href}
                    aria-current={
                      path === n.href || (n.href !== '/workbench' && path.startsWith(`${n.href}/`))
                        ? 'page'
                        : undefined
                    }
                  >
                    {t(n.key)}
                  </a>
                </li>
              ))}
              <li>
                <a href="/">{t('workbench.to_portal')}</a>
              </li>
            </ul>
          </nav>
          <main id="main" tabIndex={-1}>
            <Breadcrumbs items={props.page.breadcrumbs} />
            {props.page.body}
          </main>
        </div>
      </body>
    </html>
  );
}

function Dashboard(props: { links: readonly WorkbenchLink[] }) {
  const { t, viewer } = usePage();
  const links = visibleLinks(props.links, viewer?.permissions);
  return (
    <>
      <h1>{t('workbench.dashboard')}</h1>
      <p>{t('workbench.welcome', { name: viewer?.name ?? '' })}</p>
      <ul class="cards">
        {links.map((n) => (
          <li class="card">
            <h2>
              <a href={n.href}>{t(n.key)}</a>
            </h2>
          </li>
        ))}
      </ul>
    </>
  );
}

export function workbenchPages(app: FastifyInstance, links: readonly WorkbenchLink[]): void {
  app.get(
    '/workbench',
    { schema: { hide: true }, config: { access: 'workbench.enter' } },
    async (req, reply) =>
      reply.page({
        area: 'workbench',
        title: req.t('workbench.dashboard'),
        body: <Dashboard links={links} />,
      }),
  );
}
