/**
 * The public portal's layout: the tenant's header and footer (主办单位, contact, 网站标识码, ICP),
 * navigation, language switch, skip link and landmarks, and the meta tags of the government website
 * page standard (SiteName, SiteDomain, SiteIDCode on every page; ColumnName/ColumnType on column pages;
 * ArticleTitle, PubDate, ContentSource on article pages).
 */
import type { PageContent } from '../kernel/pages/index.tsx';
import { usePage } from '../kernel/pages/index.tsx';
import { Breadcrumbs, Head, LanguageSwitch } from './chrome.tsx';

export const PORTAL_NAV = [
  { href: '/', key: 'nav.home' },
  { href: '/services', key: 'services.portal.title' },
  { href: '/publications', key: 'publications.portal.title' },
  { href: '/interaction', key: 'interaction.title' },
  { href: '/departments', key: 'org.department.directory' },
  { href: '/divisions', key: 'org.division.title' },
  { href: '/api/docs', key: 'nav.api' },
] as const;

export function PortalLayout(props: { page: PageContent }) {
  const { t, locale, site, url, viewer } = usePage();
  const { page } = props;
  const path = url.split('?')[0] ?? '/';
  return (
    <html lang={locale}>
      <Head page={page} />
      <body class="portal">
        <a class="skip-link" href="#main">
          {t('layout.skip_to_content')}
        </a>
        <header class="site-header">
          <div class="wrap header-row">
            <p class="site-name">
              <a href="/">{site.name}</a>
            </p>
            <div class="header-links">
              {viewer ? (
                <a href="/account">{t('identity.account.link', { name: viewer.name })}</a>
              ) : (
                <>
                  <a href="/login">{t('identity.login.link')}</a>{' '}
                  <a href="/register">{t('identity.register.link_short')}</a>
                </>
              )}{' '}
              <LanguageSwitch />
            </div>
          </div>
          <nav class="main-nav" aria-label={t('layout.main_navigation')}>
            <ul class="wrap">
              {PORTAL_NAV.map((n) => (
                <li>
                  <a
                    href={n.href}
                    aria-current={
                      path === n.href || (n.href !== '/' && path.startsWith(n.href)) ? 'page' : undefined
                    }
                  >
                    {t(n.key)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" class="wrap" tabIndex={-1}>
          <Breadcrumbs items={page.breadcrumbs} />
          {page.body}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            {site.sponsor ? <p>{t('layout.sponsor', { sponsor: site.sponsor })}</p> : null}
            {site.address || site.phone ? (
              <p>
                {site.address ? t('layout.address', { address: site.address }) : null}{' '}
                {site.phone ? t('layout.phone', { phone: site.phone }) : null}
              </p>
            ) : null}
            <p>
              {site.siteIdCode ? <span>{t('layout.site_id_code', { code: site.siteIdCode })} </span> : null}
              {site.icpNumber ? <span>{site.icpNumber} </span> : null}
              {site.policeFiling ? <span>{site.policeFiling}</span> : null}
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
