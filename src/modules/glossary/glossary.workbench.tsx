/**
 * The search dictionary in the workbench (/workbench/search/terms): the site's terms with a search, a
 * form to add one (its error beside the field) and a button to remove each; all plain forms, so it
 * works without JavaScript. Re-indexing is a command (it runs as long as the documents); the page says
 * which and how many documents it will go through.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import {
  CsrfField,
  emptyForm,
  Field,
  Form,
  Pagination,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
} from '../../kernel/pages/index.tsx';
import type { ReindexRegistry } from './reindex.ts';
import type { TermService } from './term.service.ts';
import type { Term } from './term.store.ts';

const PAGE = 100;
const BASE = '/workbench/search/terms';
const access = { schema: { hide: true }, config: { access: 'search.terms' as const } };

/** When a term was added, Beijing time (2026-03-01 09:30). */
const beijing = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));

function TermTable(props: { items: Term[]; mayEdit: boolean; total: number }) {
  const { t } = usePage();
  return (
    <table>
      <caption>{t('glossary.list_caption', { total: props.total })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('glossary.term_label')}</th>
          <th scope="col">{t('glossary.added_by')}</th>
          <th scope="col">{t('glossary.added_at')}</th>
          {props.mayEdit ? <th scope="col">{t('glossary.actions')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.items.map((x) => (
          <tr>
            <td lang="zh-CN">{x.term}</td>
            <td>{x.addedByName}</td>
            <td>
              <time dateTime={x.addedAt}>{beijing(x.addedAt)}</time>
            </td>
            {props.mayEdit ? (
              <td>
                <form method="post" action={`${BASE}/remove`} class="inline-form">
                  <CsrfField />
                  <input type="hidden" name="term" value={x.term} />
                  <button
                    type="submit"
                    class="secondary"
                    aria-label={t('glossary.remove_label', { term: x.term })}
                  >
                    {t('glossary.remove')}
                  </button>
                </form>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface View {
  q: string;
  offset: number;
  page: { items: Term[]; total: number };
  mayEdit: boolean;
  indexed: { name: string; documents: number }[];
  state: FormState;
}

function termsPage(t: Translate, v: View) {
  const { q, page } = v;
  const base = q ? `${BASE}?q=${encodeURIComponent(q)}` : BASE;
  return workbenchPage(
    t,
    t('glossary.title'),
    <>
      <h1>{t('glossary.title')}</h1>
      <p class="lead">{t('glossary.intro')}</p>
      <SavedNotice />
      {v.mayEdit ? (
        <>
          <h2>{t('glossary.add_heading')}</h2>
          <Form action={BASE} state={v.state} submitLabel={t('glossary.add')}>
            <Field
              name="term"
              label={t('glossary.term_label')}
              hint={t('glossary.term_hint')}
              state={v.state}
              required
              maxLength={100}
            />
          </Form>
        </>
      ) : (
        <p>{t('glossary.not_editable')}</p>
      )}
      <h2>{t('glossary.list_heading')}</h2>
      <form method="get" action={BASE} role="search" class="search-form">
        <label for="terms-q">{t('glossary.search_label')}</label>
        <input id="terms-q" name="q" type="search" value={q} maxLength={50} />
        <button type="submit">{t('common.search')}</button>
      </form>
      {page.items.length === 0 ? (
        <p role="status">{q ? t('glossary.no_match', { q }) : t('glossary.none')}</p>
      ) : (
        <TermTable items={page.items} mayEdit={v.mayEdit} total={page.total} />
      )}
      <Pagination base={base} offset={v.offset} limit={PAGE} total={page.total} />
      <h2>{t('glossary.reindex_heading')}</h2>
      <p>{t('glossary.reindex_text')}</p>
      <pre>
        <code>yiwang search reindex</code>
      </pre>
      <p>{t('glossary.reindex_counts')}</p>
      <ul>
        {v.indexed.map((i) => (
          <li>
            <code>{i.name}</code>: {t('glossary.documents', { count: i.documents })}
          </li>
        ))}
      </ul>
    </>,
  );
}

export function glossaryWorkbenchPages(
  app: FastifyInstance,
  deps: { terms: TermService; reindexers: ReindexRegistry },
): void {
  const { terms, reindexers } = deps;

  async function view(req: FastifyRequest, state: FormState = emptyForm()): Promise<View> {
    const query = req.query as { q?: string; offset?: string };
    const q = (query.q ?? '').trim().slice(0, 50);
    const offset = Math.max(0, Math.min(1_000_000, Number.parseInt(query.offset ?? '0', 10) || 0));
    const ctx = auditContextOf(req);
    return {
      q,
      offset,
      page: await terms.list(ctx, { query: q }, { limit: PAGE, offset }),
      mayEdit: terms.mayEdit(ctx),
      indexed: await reindexers.counts(req.site.tenantId),
      state,
    };
  }

  app.get(BASE, access, async (req, reply) => reply.page(termsPage(req.t, await view(req))));

  app.post(BASE, access, async (req, reply) => {
    const shown = await view(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        await terms.add(auditContextOf(req), v.term ?? '');
        return `${BASE}?saved=1`;
      },
      (state) => termsPage(req.t, { ...shown, state }),
    );
  });

  // A term another administrator removed meanwhile is a 404 like any missing object.
  app.post(`${BASE}/remove`, access, async (req, reply) => {
    const shown = await view(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        await terms.remove(auditContextOf(req), v.term ?? '');
        return `${BASE}?saved=1`;
      },
      (state) => termsPage(req.t, { ...shown, state: { ...shown.state, formProblem: state.formProblem } }),
    );
  });
}
