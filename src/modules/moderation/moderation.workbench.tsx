/**
 * Content safety in the workbench, all plain forms (no JavaScript needed):
 * - /workbench/moderation: every module's held posts — kind, writer, excerpt with the held words
 *   marked, when — each with a release button and a reject form asking for the reason;
 * - /workbench/moderation/words: the site's sensitive words, a form to add one, a box to import a
 *   list one per line (every bad line named beside the box), a button to remove each.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { toDomainError } from '../../kernel/http/problem.ts';
import { auditContextOf, formValues, submitForm } from '../../kernel/http/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import type { FieldProblem } from '../../kernel/errors.ts';
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
import { buildMatcher, markedPieces } from './matcher.ts';
import { REASON_MAX, type HeldPost, type ModerationService } from './moderation.service.ts';
import type { Word } from './word.store.ts';

const PAGE = 100;
const BASE = '/workbench/moderation';
const WORDS = `${BASE}/words`;
const access = { schema: { hide: true }, config: { access: 'content.moderate' as const } };

/** Beijing time to the minute (2026-03-01 09:30). */
const beijing = (at: Date | string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(at));

/** The excerpt with the held words marked (matched the way screening matched them). */
function Excerpt(props: { post: HeldPost }) {
  const { excerpt, words } = props.post;
  const pieces = markedPieces(excerpt, buildMatcher(words).find(excerpt));
  return <>{pieces.map((p) => (p.marked ? <mark>{p.text}</mark> : p.text))}</>;
}

interface Rejecting {
  key: string;
  values: Record<string, string>;
  problem: FieldProblem;
}

function HeldTable(props: { items: HeldPost[]; rejecting: Rejecting | undefined }) {
  const { t } = usePage();
  return (
    <table>
      <caption>{t('moderation.held_caption', { total: props.items.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('moderation.kind')}</th>
          <th scope="col">{t('moderation.writer')}</th>
          <th scope="col">{t('moderation.excerpt')}</th>
          <th scope="col">{t('moderation.at')}</th>
          <th scope="col">{t('moderation.decision')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((p, i) => {
          const key = `${p.kind}:${p.id}`;
          const failed = props.rejecting?.key === key ? props.rejecting : undefined;
          const id = `reason-${i}`;
          const path = `${BASE}/${encodeURIComponent(p.kind)}/${encodeURIComponent(p.id)}`;
          return (
            <tr>
              <td>{t(p.titleKey)}</td>
              <td>{p.writer}</td>
              <td lang="zh-CN">
                <Excerpt post={p} />
                <p class="hint">{t('moderation.held_words', { words: p.words.join('、') })}</p>
              </td>
              <td>
                <time dateTime={p.at.toISOString()}>{beijing(p.at)}</time>
              </td>
              <td>
                <form method="post" action={`${path}/release`} class="inline-form">
                  <CsrfField />
                  <button type="submit" aria-label={t('moderation.release_label', { writer: p.writer })}>
                    {t('moderation.release')}
                  </button>
                </form>
                <form method="post" action={`${path}/rejection`}>
                  <CsrfField />
                  <div class={failed ? 'field field-error' : 'field'}>
                    <label for={id}>{t('moderation.reason')}</label>
                    {failed ? (
                      <p class="error-message" id={`${id}-error`} role="alert">
                        {t(failed.problem.code, failed.problem.params)}
                      </p>
                    ) : null}
                    <textarea
                      id={id}
                      name="reason"
                      rows={2}
                      maxLength={REASON_MAX}
                      required
                      aria-invalid={failed ? 'true' : undefined}
                      aria-describedby={failed ? `${id}-error` : undefined}
                    >
                      {failed?.values.reason ?? ''}
                    </textarea>
                  </div>
                  <button type="submit" class="secondary">
                    {t('moderation.reject')}
                  </button>
                </form>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function heldPage(
  t: Translate,
  items: HeldPost[],
  rejecting?: Rejecting,
  formProblem?: string,
  mayModerate = true,
) {
  return workbenchPage(
    t,
    t('moderation.title'),
    <>
      <h1>{t('moderation.title')}</h1>
      <p class="lead">{t('moderation.intro')}</p>
      <p>
        <a href={WORDS}>{t('moderation.words.title')}</a>
      </p>
      <SavedNotice />
      {formProblem ? (
        <div class="error-summary" role="alert">
          <p>{formProblem}</p>
        </div>
      ) : null}
      {!mayModerate ? (
        <p>{t('moderation.not_site_wide')}</p>
      ) : items.length === 0 ? (
        <p role="status">{t('moderation.none_held')}</p>
      ) : (
        <HeldTable items={items} rejecting={rejecting} />
      )}
    </>,
  );
}

function WordTable(props: { items: Word[]; mayEdit: boolean; total: number }) {
  const { t } = usePage();
  return (
    <table>
      <caption>{t('moderation.words.caption', { total: props.total })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('moderation.words.word')}</th>
          <th scope="col">{t('moderation.words.added_by')}</th>
          <th scope="col">{t('moderation.words.added_at')}</th>
          {props.mayEdit ? <th scope="col">{t('moderation.words.actions')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.items.map((x) => (
          <tr>
            <td lang="zh-CN">{x.word}</td>
            <td>{x.addedByName}</td>
            <td>
              <time dateTime={x.addedAt}>{beijing(x.addedAt)}</time>
            </td>
            {props.mayEdit ? (
              <td>
                <form method="post" action={`${WORDS}/remove`} class="inline-form">
                  <CsrfField />
                  <input type="hidden" name="word" value={x.word} />
                  <button
                    type="submit"
                    class="secondary"
                    aria-label={t('moderation.words.remove_label', { word: x.word })}
                  >
                    {t('moderation.words.remove')}
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

/** The import box: every bad line listed beside it, what was typed kept. */
function ImportForm(props: { state: FormState }) {
  const { t, csrfToken } = usePage();
  const problems = props.state.problems;
  const id = 'field-words';
  return (
    <form method="post" action={`${WORDS}/import`} novalidate>
      <input type="hidden" name="_csrf" value={csrfToken} />
      <div class={problems.length ? 'field field-error' : 'field'}>
        <label for={id}>{t('moderation.import.label')}</label>
        <p class="hint" id={`${id}-hint`}>
          {t('moderation.import.hint')}
        </p>
        {problems.length ? (
          <div class="error-message" id={`${id}-error`} role="alert">
            <ul>
              {problems.map((p) => (
                <li>{t(p.code, p.params)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <textarea
          id={id}
          name="words"
          rows={8}
          aria-invalid={problems.length ? 'true' : undefined}
          aria-describedby={problems.length ? `${id}-hint ${id}-error` : `${id}-hint`}
        >
          {props.state.values.words ?? ''}
        </textarea>
      </div>
      <button type="submit">{t('moderation.import.submit')}</button>
    </form>
  );
}

interface WordsView {
  q: string;
  offset: number;
  page: { items: Word[]; total: number };
  mayEdit: boolean;
  add: FormState;
  imported: FormState;
  result?: string | undefined;
}

function wordsPage(t: Translate, v: WordsView) {
  const base = v.q ? `${WORDS}?q=${encodeURIComponent(v.q)}` : WORDS;
  return workbenchPage(
    t,
    t('moderation.words.title'),
    <>
      <h1>{t('moderation.words.title')}</h1>
      <p class="lead">{t('moderation.words.intro')}</p>
      <SavedNotice />
      {v.result ? (
        <p class="notice" role="status">
          {v.result}
        </p>
      ) : null}
      {v.mayEdit ? (
        <>
          <h2>{t('moderation.words.add_heading')}</h2>
          <Form action={WORDS} state={v.add} submitLabel={t('moderation.words.add')}>
            <Field
              name="word"
              label={t('moderation.words.word')}
              hint={t('moderation.words.hint')}
              state={v.add}
              required
              maxLength={100}
            />
          </Form>
          <h2>{t('moderation.import.heading')}</h2>
          <ImportForm state={v.imported} />
        </>
      ) : (
        <p>{t('moderation.words.not_editable')}</p>
      )}
      <h2>{t('moderation.words.list_heading')}</h2>
      <form method="get" action={WORDS} role="search" class="search-form">
        <label for="words-q">{t('moderation.words.search_label')}</label>
        <input id="words-q" name="q" type="search" value={v.q} maxLength={50} />
        <button type="submit">{t('common.search')}</button>
      </form>
      {v.page.items.length === 0 ? (
        <p role="status">{v.q ? t('moderation.words.no_match', { q: v.q }) : t('moderation.words.none')}</p>
      ) : (
        <WordTable items={v.page.items} mayEdit={v.mayEdit} total={v.page.total} />
      )}
      <Pagination base={base} offset={v.offset} limit={PAGE} total={v.page.total} />
    </>,
    [{ href: BASE, label: t('moderation.title') }],
  );
}

export function moderationWorkbenchPages(
  app: FastifyInstance,
  deps: { moderation: ModerationService },
): void {
  const { moderation } = deps;

  async function wordsView(req: FastifyRequest, over: Partial<WordsView> = {}): Promise<WordsView> {
    const query = req.query as { q?: string; offset?: string; added?: string; existing?: string };
    const q = (query.q ?? '').trim().slice(0, 50);
    const offset = Math.max(0, Math.min(1_000_000, Number.parseInt(query.offset ?? '0', 10) || 0));
    const ctx = auditContextOf(req);
    const added = Number.parseInt(query.added ?? '', 10);
    const existing = Number.parseInt(query.existing ?? '', 10);
    return {
      q,
      offset,
      page: await moderation.list(ctx, { query: q }, { limit: PAGE, offset }),
      mayEdit: moderation.mayModerate(ctx),
      add: emptyForm(),
      imported: emptyForm(),
      result:
        Number.isFinite(added) && Number.isFinite(existing)
          ? req.t('moderation.import.done', { added, existing })
          : undefined,
      ...over,
    };
  }

  app.get(BASE, access, async (req, reply) => {
    const ctx = auditContextOf(req);
    const items = await moderation.queue.held(ctx);
    return reply.page(heldPage(req.t, items, undefined, undefined, moderation.mayModerate(ctx)));
  });

  app.post(`${BASE}/:kind/:id/release`, access, async (req, reply) => {
    const { kind, id } = req.params as { kind: string; id: string };
    const ctx = auditContextOf(req);
    try {
      await moderation.queue.release(ctx, kind, id);
    } catch (e) {
      const d = toDomainError(e);
      if (!d || d.kind !== 'conflict') throw e;
      return reply.page(
        heldPage(req.t, await moderation.queue.held(ctx), undefined, req.t(d.code, d.params)),
        409,
      );
    }
    return reply.redirect(`${BASE}?saved=1`, 303);
  });

  app.post(`${BASE}/:kind/:id/rejection`, access, async (req, reply) => {
    const { kind, id } = req.params as { kind: string; id: string };
    const ctx = auditContextOf(req);
    const values = formValues(req.body);
    try {
      await moderation.queue.reject(ctx, kind, id, values.reason ?? '');
    } catch (e) {
      const d = toDomainError(e);
      if (!d || (d.kind !== 'invalid' && d.kind !== 'conflict')) throw e;
      const held = await moderation.queue.held(ctx);
      const problem = d.fields[0];
      return reply.page(
        problem
          ? heldPage(req.t, held, { key: `${kind}:${id}`, values, problem })
          : heldPage(req.t, held, undefined, req.t(d.code, d.params)),
        d.kind === 'invalid' ? 400 : 409,
      );
    }
    return reply.redirect(`${BASE}?saved=1`, 303);
  });

  app.get(WORDS, access, async (req, reply) => reply.page(wordsPage(req.t, await wordsView(req))));

  app.post(WORDS, access, async (req, reply) => {
    const shown = await wordsView(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        await moderation.add(auditContextOf(req), v.word ?? '');
        return `${WORDS}?saved=1`;
      },
      (state) => wordsPage(req.t, { ...shown, add: state }),
    );
  });

  app.post(`${WORDS}/import`, access, async (req, reply) => {
    const shown = await wordsView(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        const r = await moderation.import(auditContextOf(req), v.words ?? '');
        return `${WORDS}?added=${r.added}&existing=${r.existing}`;
      },
      (state) =>
        wordsPage(req.t, {
          ...shown,
          imported: {
            ...state,
            // A problem without a field (too many words) shows beside the box too.
            problems: state.formProblem
              ? [{ field: 'words', code: 'moderation.import.failed', params: { reason: state.formProblem } }]
              : state.problems,
          },
        }),
    );
  });

  // A word another moderator removed meanwhile is a 404 like any missing object.
  app.post(`${WORDS}/remove`, access, async (req, reply) => {
    const shown = await wordsView(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        await moderation.remove(auditContextOf(req), v.word ?? '');
        return `${WORDS}?saved=1`;
      },
      (state) => wordsPage(req.t, { ...shown, add: { ...shown.add, formProblem: state.formProblem } }),
    );
  });
}
