/**
 * The workbench (工作台) for staff: its own layout and the dashboard. Until the identity module puts it
 * behind login and roles it is mounted only outside production.
 */
import type { FastifyInstance } from 'fastify';
import { usePage, type PageContent } from '../kernel/pages/index.tsx';
import { Breadcrumbs, Head, LanguageSwitch } from '../portal/chrome.tsx';

const NAV = [
  { href: '/workbench', key: 'workbench.dashboard' },
  { href: '/workbench/departments', key: 'org.department.manage' },
  { href: '/workbench/divisions', key: 'org.division.manage' },
  { href: '/workbench/site', key: 'org.tenant.settings' },
  { href: '/workbench/sites', key: 'org.tenant.all' },
] as const;

export function WorkbenchLayout(props: { page: PageContent }) {
  const { t, locale, site, url } = usePage();
  const path = url.split('?')[0] ?? '';
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
            <LanguageSwitch />
          </div>
        </header>
        <div class="wrap workbench-body">
          <nav class="side-nav" aria-label={t('workbench.navigation')}>
            <ul>
              {NAV.map((n) => (
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

function Dashboard() {
  const { t } = usePage();
  return (
    <>
      <h1>{t('workbench.dashboard')}</h1>
      <p class="notice">{t('workbench.no_login_yet')}</p>
      <ul class="cards">
        {NAV.slice(1).map((n) => (
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

export function workbenchPages(app: FastifyInstance): void {
  app.get('/workbench', { schema: { hide: true } }, async (req, reply) =>
    reply.page({ area: 'workbench', title: req.t('workbench.dashboard'), body: <Dashboard /> }),
  );
}
