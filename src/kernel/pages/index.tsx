/**
 * Server-rendered pages: the page context (language, CSRF token, tenant), the document shell, and the
 * few form primitives every module's pages share, so each form shows its errors beside its fields the
 * same way. Modules return PageContent; the portal and workbench own the layout around it.
 */
import { createContext, type ComponentChildren, type VNode } from 'preact';
import { useContext } from 'preact/hooks';
import { renderToString } from 'preact-render-to-string';
import type { FieldProblem } from '../errors.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import type { Permission } from '../policy/index.ts';

/** What a page needs to know about the site it is on (the tenant running it). */
export { RateBars, rateColor, type RateBar } from './rate-bars.tsx';

export interface SiteInfo {
  tenantId: string;
  name: string;
  siteIdCode: string;
  icpNumber: string;
  policeFiling: string;
  sponsor: string;
  address: string;
  phone: string;
  email: string;
}

export interface PageContextValue {
  t: Translate;
  locale: Locale;
  /** Path and query of this request, for the language switch and active navigation. */
  url: string;
  csrfToken: string;
  site: SiteInfo;
  siteDomain: string;
  /** The signed-in person (with what they may do, to show only the links they can follow), or null. */
  viewer: { name: string; permissions: ReadonlySet<Permission> } | null;
}

export const PageContext = createContext<PageContextValue | null>(null);

export function usePage(): PageContextValue {
  const ctx = useContext(PageContext);
  if (!ctx) throw new Error('usePage outside a page render');
  return ctx;
}

/** A module's page: its content plus the metadata the layout turns into title and meta tags. */
export interface PageContent {
  area: 'portal' | 'workbench';
  title: string;
  /** Column pages (栏目页): ColumnName and ColumnType meta tags. */
  column?: { name: string; type: string };
  /** Article pages (文章页): ArticleTitle, PubDate, ContentSource meta tags. */
  article?: { title: string; pubDate: string; source: string };
  breadcrumbs?: { href?: string; label: string }[];
  body: VNode;
}

export type Layout = (props: { page: PageContent }) => VNode;

export function renderDocument(layout: Layout, page: PageContent, ctx: PageContextValue): string {
  const Shell = layout;
  return (
    '<!doctype html>' +
    renderToString(
      <PageContext.Provider value={ctx}>
        <Shell page={page} />
      </PageContext.Provider>,
    )
  );
}

/** Values a form was submitted with, so a page re-rendered after an error keeps what was typed. */
export type FormValues = Record<string, string | undefined>;

export interface FormState {
  values: FormValues;
  problems: FieldProblem[];
  /** A problem that belongs to no single field. */
  formProblem?: string | undefined;
}

/** The CSRF token field, for a small form that is not a Form (a log-out button, an action button). */
export function CsrfField() {
  return <input type="hidden" name="_csrf" value={usePage().csrfToken} />;
}

export const emptyForm = (values: FormValues = {}): FormState => ({ values, problems: [] });

export function Form(props: {
  action: string;
  children: ComponentChildren;
  submitLabel: string;
  state?: FormState;
  id?: string;
  /** files with the text: the CSRF token stays the first part, as the check reads it before any bytes */
  multipart?: boolean;
}) {
  const { t, csrfToken } = usePage();
  const problems = props.state?.problems ?? [];
  return (
    <form
      method="post"
      action={props.action}
      id={props.id}
      enctype={props.multipart ? 'multipart/form-data' : undefined}
      novalidate
    >
      <input type="hidden" name="_csrf" value={csrfToken} />
      {problems.length > 0 || props.state?.formProblem ? (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.error_summary')}</h2>
          {props.state?.formProblem ? <p>{props.state.formProblem}</p> : null}
          <ul>
            {problems.map((p) => (
              <li>
                <a href={`#field-${p.field}`}>{t(p.code, p.params)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.children}
      <button type="submit">{props.submitLabel}</button>
    </form>
  );
}

export function Field(props: {
  name: string;
  label: string;
  state?: FormState | undefined;
  type?: string;
  required?: boolean;
  hint?: string;
  options?: { value: string; label: string }[];
  value?: string;
  maxLength?: number;
  inputMode?: 'numeric' | 'text' | 'email' | 'tel';
  autocomplete?: string;
  /** a multi-line text area of this many rows */
  rows?: number;
}) {
  const { t } = usePage();
  const problem = props.state?.problems.find((p) => p.field === props.name);
  const value = props.state?.values[props.name] ?? props.value ?? '';
  const id = `field-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name: props.name,
    required: props.required,
    'aria-invalid': problem ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
  };
  return (
    <div class={problem ? 'field field-error' : 'field'}>
      <label for={id}>
        {props.label}
        {props.required ? <span class="required"> {t('form.required')}</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {problem ? (
        <p class="error-message" id={`${id}-error`}>
          {t(problem.code, problem.params)}
        </p>
      ) : null}
      {props.options ? (
        <select {...common}>
          {props.options.map((o) => (
            <option value={o.value} selected={o.value === value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : props.rows ? (
        <textarea {...common} rows={props.rows} maxLength={props.maxLength}>
          {value}
        </textarea>
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          value={value}
          maxLength={props.maxLength}
          inputMode={props.inputMode}
          autocomplete={props.autocomplete}
        />
      )}
    </div>
  );
}

export function Pagination(props: { base: string; offset: number; limit: number; total: number }) {
  const { t } = usePage();
  const { offset, limit, total } = props;
  if (total <= limit) return null;
  const sep = props.base.includes('?') ? '&' : '?';
  const link = (o: number) => `${props.base}${sep}offset=${o}`;
  return (
    <nav class="pagination" aria-label={t('pagination.label')}>
      {offset > 0 ? <a href={link(Math.max(0, offset - limit))}>{t('pagination.previous')}</a> : null}
      <span>{t('pagination.range', { from: offset + 1, to: Math.min(offset + limit, total), total })}</span>
      {offset + limit < total ? <a href={link(offset + limit)}>{t('pagination.next')}</a> : null}
    </nav>
  );
}

/** The "saved" notice a page shows after a form redirected back to it with ?saved=1. */
export function SavedNotice() {
  const { t, url } = usePage();
  return /[?&]saved=1(&|$)/.test(url) ? (
    <p class="notice" role="status">
      {t('common.saved')}
    </p>
  ) : null;
}

/** A workbench page: breadcrumbs from the workbench home down to this page. */
/** A portal page with the usual breadcrumbs: home, then the page. */
export function portalPage(t: Translate, title: string, body: VNode): PageContent {
  return {
    area: 'portal',
    title,
    breadcrumbs: [{ href: '/', label: t('nav.home') }, { label: title }],
    body,
  };
}

export function workbenchPage(
  t: Translate,
  title: string,
  body: VNode,
  crumbs: { href?: string; label: string }[] = [],
): PageContent {
  return {
    area: 'workbench',
    title,
    breadcrumbs: [{ href: '/workbench', label: t('workbench.title') }, ...crumbs, { label: title }],
    body,
  };
}
