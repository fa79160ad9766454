/**
 * Publishing in the workbench, without JavaScript: the department's publications
 * (/workbench/publications), the editor of a draft (metadata, body as HTML, attachments), sending it
 * for review, and for a published one its validity and, for the department's head, withdrawal. The
 * review itself is a task on the workbench's case page (the site's review process). After a save, what
 * the sanitiser removed from the body is listed for the publisher.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidFields } from '../../kernel/errors.ts';
import { DEFAULT_ALLOWED_TYPES, formatBytes, readUpload, type BlobStore } from '../../kernel/files/index.ts';
import { describeRemovals, type Removal } from '../../kernel/html/index.ts';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import {
  CsrfField,
  Field,
  Form,
  Pagination,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
  type FormValues,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import { VALIDITIES, type Category, type Publication, type PublicationInput } from './catalogue.ts';
import type { PublicationService } from './publication.service.ts';

const LIMIT = 30;
const access = { access: ['publication.write', 'publication.review'] } as const;

/** The removals, carried in the redirect after a save: kind:name:count, comma-separated. */
const removedParam = (removed: readonly Removal[]) =>
  removed.map((r) => `${r.kind}:${encodeURIComponent(r.name)}:${r.count}`).join(',');

function removedFrom(raw: string | undefined): Removal[] {
  if (!raw) return [];
  return raw.split(',').flatMap((part) => {
    const [kind, name, count] = part.split(':');
    const n = Number(count);
    return (kind === 'element' || kind === 'attribute' || kind === 'url') &&
      name &&
      /^[A-Za-z0-9:_%-]{1,60}$/.test(name) &&
      Number.isInteger(n) &&
      n > 0
      ? [{ kind, name: decodeURIComponent(name), count: n } as Removal]
      : [];
  });
}

const formOf = (p: Publication): FormValues => ({
  categoryCode: p.categoryCode,
  title: p.title,
  indexNumber: p.indexNumber ?? '',
  issuingBody: p.issuingBody,
  writtenOn: p.writtenOn ?? '',
  docNumber: p.docNumber,
  subject: p.subject,
  bodyHtml: p.bodyHtml,
  publishAt: p.publishAt ? toLocalInput(p.publishAt) : '',
});

/** A moment as a datetime-local value in China time (the site's clock), and back. */
function toLocalInput(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}
function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const d = new Date(`${v}:00+08:00`);
  return Number.isNaN(d.getTime()) ? 'invalid' : d.toISOString();
}

function inputOf(v: Record<string, string>): PublicationInput {
  return {
    categoryCode: v.categoryCode ?? '',
    title: v.title ?? '',
    indexNumber: v.indexNumber ?? '',
    issuingBody: v.issuingBody ?? '',
    writtenOn: v.writtenOn ? v.writtenOn : null,
    docNumber: v.docNumber ?? '',
    subject: v.subject ?? '',
    bodyHtml: v.bodyHtml ?? '',
    publishAt: fromLocalInput(v.publishAt ?? ''),
  };
}

function Removed(props: { removed: Removal[] }) {
  const { t } = usePage();
  if (props.removed.length === 0) return null;
  return (
    <div class="notice" role="status">
      <p>{t('html.removed.title')}</p>
      <ul>
        {describeRemovals(t, props.removed).map((line) => (
          <li>{line}</li>
        ))}
      </ul>
    </div>
  );
}

function EditorFields(props: { state: FormState; categories: Category[]; editable: boolean }) {
  const { t } = usePage();
  const { state } = props;
  return (
    <fieldset disabled={!props.editable}>
      <legend>{t('publications.editor.metadata')}</legend>
      <Field
        name="categoryCode"
        label={t('publications.field.category')}
        state={state}
        required
        options={props.categories
          .filter((c) => c.active)
          .map((c) => ({ value: c.code, label: c.parentCode ? `— ${c.name}` : c.name }))}
      />
      <Field name="title" label={t('publications.field.title')} state={state} required maxLength={200} />
      <Field
        name="issuingBody"
        label={t('publications.field.issuing_body')}
        hint={t('publications.editor.issuing_body_hint')}
        state={state}
        maxLength={100}
      />
      <Field name="docNumber" label={t('publications.field.doc_number')} state={state} maxLength={60} />
      <Field name="writtenOn" label={t('publications.field.written_on')} state={state} type="date" />
      <Field name="subject" label={t('publications.field.subject')} state={state} maxLength={50} />
      <Field
        name="indexNumber"
        label={t('publications.field.index_number')}
        hint={t('publications.editor.index_number_hint')}
        state={state}
        maxLength={60}
      />
      <Field
        name="publishAt"
        label={t('publications.field.publish_at')}
        hint={t('publications.editor.publish_at_hint')}
        state={state}
        type="datetime-local"
      />
      <Field
        name="bodyHtml"
        label={t('publications.field.body')}
        hint={t('publications.editor.body_hint')}
        state={state}
        rows={20}
      />
    </fieldset>
  );
}

export function publicationsWorkbench(
  app: FastifyInstance,
  deps: { publications: PublicationService; blobs: BlobStore },
): void {
  const { publications } = deps;
  const crumbs = (t: (k: string) => string) => [
    { href: '/workbench/publications', label: t('publications.workbench.title') },
  ];

  app.get('/workbench/publications', { config: access }, async (req, reply) => {
    const t = req.t;
    const offset = Math.max(0, Math.min(100_000, Number((req.query as { offset?: string }).offset) || 0));
    const r = await publications.ofMyDepartment(auditContextOf(req), { limit: LIMIT, offset });
    const canWrite = req.actor?.permissions.has('publication.write');
    const title = t('publications.workbench.title');
    return reply.page(
      workbenchPage(
        t,
        title,
        <>
          <h1>{title}</h1>
          {canWrite ? (
            <p>
              <a href="/workbench/publications/new">{t('publications.workbench.new')}</a>
            </p>
          ) : null}
          {r.items.length === 0 ? (
            <p>{t('publications.workbench.none')}</p>
          ) : (
            <table>
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('publications.field.title')}</th>
                  <th scope="col">{t('publications.field.category')}</th>
                  <th scope="col">{t('publications.field.status')}</th>
                  <th scope="col">{t('publications.field.index_number')}</th>
                  <th scope="col">{t('publications.field.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((p) => (
                  <tr>
                    <td>
                      <a href={`/workbench/publications/${p.id}`}>{p.title}</a>
                    </td>
                    <td>{p.categoryName}</td>
                    <td>{t(`publications.status.${p.status}`)}</td>
                    <td>{p.indexNumber ?? '—'}</td>
                    <td>{p.updatedAt.slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pagination base="/workbench/publications" offset={offset} limit={LIMIT} total={r.total} />
        </>,
      ),
    );
  });

  function newPage(req: FastifyRequest, categories: Category[], state: FormState): PageContent {
    const t = req.t;
    const title = t('publications.workbench.new');
    return workbenchPage(
      t,
      title,
      <>
        <h1>{title}</h1>
        <Form action="/workbench/publications/new" submitLabel={t('publications.editor.save')} state={state}>
          <EditorFields state={state} categories={categories} editable />
        </Form>
      </>,
      crumbs(t),
    );
  }

  app.get('/workbench/publications/new', { config: { access: 'publication.write' } }, async (req, reply) =>
    reply.page(newPage(req, await publications.categories(req.site.tenantId), { values: {}, problems: [] })),
  );
  app.post('/workbench/publications/new', { config: { access: 'publication.write' } }, async (req, reply) => {
    const categories = await publications.categories(req.site.tenantId);
    return submitForm(
      req,
      reply,
      async (values) => {
        const r = await publications.save(auditContextOf(req), null, inputOf(values));
        return `/workbench/publications/${r.publication.id}?saved=1&removed=${removedParam(r.removed)}`;
      },
      (state) => newPage(req, categories, state),
    );
  });

  const idOf = (req: FastifyRequest) => Number((req.params as { id: string }).id);

  function editorPage(
    req: FastifyRequest,
    p: Publication,
    categories: Category[],
    state?: FormState,
  ): PageContent {
    const t = req.t;
    const editable = p.status === 'draft' && !!req.actor?.permissions.has('publication.write');
    const canReview = !!req.actor?.permissions.has('publication.review');
    const removed = removedFrom((req.query as { removed?: string }).removed);
    const s = state ?? { values: formOf(p), problems: [] };
    return workbenchPage(
      t,
      p.title,
      <>
        <h1>{p.title}</h1>
        <SavedNotice />
        <Removed removed={removed} />
        <p>
          {t('publications.editor.status')}
          <strong>{t(`publications.status.${p.status}`)}</strong>
          {p.reviewCase ? (
            <>
              {' · '}
              <a href={`/workbench/cases/${p.reviewCase}`}>
                {t('publications.editor.review_case', { number: p.reviewCase })}
              </a>
            </>
          ) : null}
          {p.status !== 'draft' ? (
            <>
              {' · '}
              <a href={`/publications/${p.id}`}>{t('publications.editor.view')}</a>
            </>
          ) : null}
        </p>
        {p.status === 'draft' && p.reviewNote ? (
          <p class="notice" role="status">
            {t('publications.editor.returned', { note: p.reviewNote })}
          </p>
        ) : null}
        {editable ? (
          <Form
            action={`/workbench/publications/${p.id}`}
            submitLabel={t('publications.editor.save')}
            state={s}
          >
            <EditorFields state={s} categories={categories} editable />
          </Form>
        ) : (
          <EditorFields state={s} categories={categories} editable={false} />
        )}
        <section>
          <h2>{t('publications.attachments')}</h2>
          {p.attachments.length === 0 ? <p>{t('publications.editor.no_attachments')}</p> : null}
          <ul>
            {p.attachments.map((a) => (
              <li>
                <a href={`/publications/${p.id}/files/${a.position}`}>{a.fileName}</a>（{formatBytes(a.size)}
                ）
                {editable ? (
                  <form
                    method="post"
                    action={`/workbench/publications/${p.id}/attachments/${a.position}/delete`}
                    class="inline"
                  >
                    <CsrfField />
                    <button type="submit">
                      {t('publications.editor.remove_attachment', { name: a.fileName })}
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
          {editable ? (
            <form
              method="post"
              action={`/workbench/publications/${p.id}/attachments`}
              enctype="multipart/form-data"
            >
              <CsrfField />
              <div class="field">
                <label for="field-file">{t('publications.editor.add_attachment')}</label>
                <input id="field-file" name="file" type="file" required multiple />
              </div>
              <button type="submit">{t('publications.editor.upload')}</button>
            </form>
          ) : null}
        </section>
        {editable ? (
          <form method="post" action={`/workbench/publications/${p.id}/submission`}>
            <CsrfField />
            <button type="submit">{t('publications.editor.submit')}</button>
          </form>
        ) : null}
        {p.status === 'published' && req.actor?.permissions.has('publication.write') ? (
          <section>
            <h2>{t('publications.field.validity')}</h2>
            <Form
              action={`/workbench/publications/${p.id}/validity`}
              submitLabel={t('publications.editor.save')}
              state={s}
            >
              <Field
                name="validity"
                label={t('publications.field.validity')}
                state={s}
                value={p.validity}
                options={VALIDITIES.map((v) => ({ value: v, label: t(`publications.validity.${v}`) }))}
              />
              <Field
                name="replacedBy"
                label={t('publications.field.replaced_by')}
                hint={t('publications.editor.replaced_by_hint')}
                state={s}
                value={p.replacedBy ? String(p.replacedBy.id) : ''}
                inputMode="numeric"
              />
            </Form>
          </section>
        ) : null}
        {p.status === 'published' && canReview ? (
          <section>
            <h2>{t('publications.editor.withdraw')}</h2>
            <Form
              action={`/workbench/publications/${p.id}/withdrawal`}
              submitLabel={t('publications.editor.withdraw')}
              state={s}
            >
              <Field
                name="reason"
                label={t('publications.field.withdrawal_reason')}
                state={s}
                required
                rows={3}
              />
            </Form>
          </section>
        ) : null}
      </>,
      crumbs(t),
    );
  }

  const shown = async (req: FastifyRequest) => publications.get(auditContextOf(req), idOf(req));

  app.get('/workbench/publications/:id', { config: access }, async (req, reply) => {
    const p = await shown(req);
    return reply.page(editorPage(req, p, await publications.categories(req.site.tenantId)));
  });

  /** A form post on the editor: done → back to the editor; refused → the editor with the problems. */
  const onEditor = (
    path: string,
    permission: 'publication.write' | 'publication.review',
    write: (req: FastifyRequest, values: Record<string, string>) => Promise<string>,
  ) =>
    app.post(`/workbench/publications/:id${path}`, { config: { access: permission } }, async (req, reply) => {
      const [p, categories] = await Promise.all([shown(req), publications.categories(req.site.tenantId)]);
      return submitForm(
        req,
        reply,
        (values) => write(req, values),
        (state) => editorPage(req, p, categories, state),
      );
    });

  onEditor('', 'publication.write', async (req, values) => {
    const r = await publications.save(auditContextOf(req), idOf(req), inputOf(values));
    return `/workbench/publications/${r.publication.id}?saved=1&removed=${removedParam(r.removed)}`;
  });
  onEditor('/submission', 'publication.write', async (req) => {
    await publications.submit(auditContextOf(req), idOf(req));
    return `/workbench/publications/${idOf(req)}?saved=1`;
  });
  onEditor('/validity', 'publication.write', async (req, values) => {
    const validity = VALIDITIES.find((v) => v === values.validity);
    if (!validity) throw invalidFields([{ field: 'validity', code: 'publications.validity_unknown' }]);
    const replaced = values.replacedBy?.trim() ? Number(values.replacedBy) : null;
    if (replaced !== null && !(Number.isSafeInteger(replaced) && replaced > 0))
      throw invalidFields([{ field: 'replacedBy', code: 'publications.replaced_by_invalid' }]);
    await publications.setValidity(auditContextOf(req), idOf(req), validity, replaced);
    return `/workbench/publications/${idOf(req)}?saved=1`;
  });
  onEditor('/withdrawal', 'publication.review', async (req, values) => {
    await publications.withdraw(auditContextOf(req), idOf(req), values.reason ?? '');
    return `/workbench/publications/${idOf(req)}?saved=1`;
  });
  onEditor('/attachments/:position/delete', 'publication.write', async (req) => {
    await publications.removeAttachment(
      auditContextOf(req),
      idOf(req),
      Number((req.params as { position: string }).position),
    );
    return `/workbench/publications/${idOf(req)}?saved=1`;
  });

  app.post(
    '/workbench/publications/:id/attachments',
    { config: { access: 'publication.write' } },
    async (req, reply) => {
      const { files } = await readUpload(req, deps.blobs, {
        maxBytes: req.server.uploadLimitBytes,
        allowed: DEFAULT_ALLOWED_TYPES,
      });
      await publications.addAttachments(auditContextOf(req), idOf(req), files);
      return reply.redirect(`/workbench/publications/${idOf(req)}?saved=1`, 303);
    },
  );
}
