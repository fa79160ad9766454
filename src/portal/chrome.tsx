/** Pieces both layouts share: the document head with the standard meta tags, breadcrumbs, language switch. */
import type { PageContent } from '../kernel/pages/index.tsx';
import { usePage } from '../kernel/pages/index.tsx';

export function Head(props: { page: PageContent }) {
  const { site, siteDomain } = usePage();
  const { page } = props;
  return (
    <head>
      <meta charSet="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{page.title === site.name ? site.name : `${page.title} - ${site.name}`}</title>
      <meta name="SiteName" content={site.name} />
      <meta name="SiteDomain" content={siteDomain} />
      <meta name="SiteIDCode" content={site.siteIdCode} />
      {page.column ? <meta name="ColumnName" content={page.column.name} /> : null}
      {page.column ? <meta name="ColumnType" content={page.column.type} /> : null}
      {page.article ? <meta name="ArticleTitle" content={page.article.title} /> : null}
      {page.article ? <meta name="PubDate" content={page.article.pubDate} /> : null}
      {page.article ? <meta name="ContentSource" content={page.article.source} /> : null}
      <link rel="stylesheet" href="/static/site.css" />
    </head>
  );
}

export function Breadcrumbs(props: { items?: { href?: string; label: string }[] | undefined }) {
  const { t } = usePage();
  if (!props.items || props.items.length < 2) return null;
  return (
    <nav class="breadcrumbs" aria-label={t('layout.breadcrumbs')}>
      <ol>
        {props.items.map((c, i) => (
          <li>
            {c.href && i < props.items!.length - 1 ? (
              <a href={c.href}>{c.label}</a>
            ) : (
              <span aria-current="page">{c.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function LanguageSwitch() {
  const { t, locale, url } = usePage();
  const other = locale === 'zh-CN' ? 'en' : 'zh-CN';
  const [path, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  params.set('lang', other);
  params.delete('saved');
  return (
    <a class="language-switch" href={`${path}?${params.toString()}`} lang={other} hreflang={other}>
      {t('layout.switch_language')}
    </a>
  );
}
