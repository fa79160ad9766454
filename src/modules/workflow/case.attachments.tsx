/**
 * Attachments of a case (附件): uploaded as multipart into the content-addressed blob store (type
 * sniffed from the bytes, size limited), recorded as attachment.added events, listed on the case pages
 * and downloaded by those who may see the case. A file is accepted only from someone the case offers
 * `attach` to — checked before a byte is stored — and a download is audited, as materials carry
 * personal data.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { appendAudit } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { DomainError, ERROR_STATUS, notFound } from '../../kernel/errors.ts';
import {
  DEFAULT_ALLOWED_TYPES,
  formatBytes,
  mediaTypeLabel,
  readUpload,
  type BlobStore,
} from '../../kernel/files/index.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import { toDomainError } from '../../kernel/http/problem.ts';
import { CsrfField, usePage, type PageContent } from '../../kernel/pages/index.tsx';
import type { CaseService } from './case.service.ts';
import { chinaTime } from './deadline.ts';
import type { CaseEvent } from './engine.ts';

const Problem = Type.Ref('Problem');

/** The attachments of a case, newest last, from its log. */
export const attachmentsOf = (events: readonly CaseEvent[]) =>
  events.filter((e): e is Extract<CaseEvent, { type: 'attachment.added' }> => e.type === 'attachment.added');

/** The list of attachments and, when the viewer may attach, the upload form. */
export function Attachments(props: {
  number: string;
  events: readonly CaseEvent[];
  canAttach: boolean;
  /** where the upload form posts */
  postTo: string;
  problem?: string | undefined;
}) {
  const { t } = usePage();
  const list = attachmentsOf(props.events);
  if (list.length === 0 && !props.canAttach) return null;
  return (
    <section aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('workflow.attachments.title')}</h2>
      {list.length === 0 ? (
        <p>{t('workflow.attachments.none')}</p>
      ) : (
        <ul>
          {list.map((a) => (
            <li>
              <a href={`/api/v1/cases/${props.number}/attachments/${a.digest}`} download={a.filename}>
                {a.filename}
              </a>{' '}
              <span class="muted">
                {mediaTypeLabel(a.mediaType)} · {formatBytes(a.size)} ·{' '}
                {a.by.name || t('workflow.event.system')} · {chinaTime(new Date(a.at))}
              </span>
            </li>
          ))}
        </ul>
      )}
      {props.canAttach ? (
        <form method="post" action={props.postTo} enctype="multipart/form-data" class="action-form">
          <CsrfField />
          {props.problem ? (
            <p class="error-message" id="field-file-error" role="alert">
              {props.problem}
            </p>
          ) : null}
          <div class={props.problem ? 'field field-error' : 'field'}>
            <label for="field-file">{t('workflow.attachments.choose')}</label>
            <p class="hint" id="field-file-hint">
              {t('workflow.attachments.hint')}
            </p>
            <input
              id="field-file"
              name="file"
              type="file"
              multiple
              required
              aria-describedby={props.problem ? 'field-file-hint field-file-error' : 'field-file-hint'}
              aria-invalid={props.problem ? 'true' : undefined}
            />
          </div>
          <button type="submit">{t('workflow.action.attach')}</button>
        </form>
      ) : null}
    </section>
  );
}

/** Stores a request's files and records them on the case, if the actor may attach (checked first). */
export function attachmentUploader(cases: CaseService, blobs: BlobStore) {
  return async function upload(req: FastifyRequest, number: string) {
    const ctx = auditContextOf(req);
    const view = await cases.get(ctx, number);
    if (!view.available.some((a) => a.action === 'attach'))
      throw new DomainError('forbidden', 'workflow.action.forbidden', { step: '', action: 'attach' });
    const { files } = await readUpload(req, blobs, {
      maxBytes: req.server.uploadLimitBytes,
      allowed: DEFAULT_ALLOWED_TYPES,
    });
    return cases.act(ctx, number, {
      action: 'attach',
      files: files.map((f) => ({
        digest: f.digest,
        filename: f.filename,
        size: f.size,
        mediaType: f.mediaType,
      })),
    });
  };
}

export type AttachmentUploader = ReturnType<typeof attachmentUploader>;

/**
 * The upload form of a case page (staff or applicant): store and record the files, back to the page;
 * refused (too large, wrong type, not allowed), the page again with the reason beside the form.
 */
export async function submitAttachments(
  req: FastifyRequest,
  reply: FastifyReply,
  upload: AttachmentUploader,
  prefix: string,
  render: (number: string, problem: string) => Promise<PageContent>,
): Promise<FastifyReply> {
  const number = (req.params as { number: string }).number;
  try {
    await upload(req, number);
    return reply.redirect(`${prefix}/${number}?saved=1`, 303);
  } catch (e) {
    const domain = toDomainError(e);
    if (!domain || domain.kind === 'not_found') throw e;
    return reply.page(await render(number, req.t(domain.code, domain.params)), ERROR_STATUS[domain.kind]);
  }
}

export function caseAttachmentRoutes(
  fastify: FastifyInstance,
  deps: { db: Database; cases: CaseService; blobs: BlobStore; upload: AttachmentUploader },
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cases, blobs, upload } = deps;
  const Params = Type.Object({ number: Type.String({ maxLength: 30 }) });

  app.post(
    '/api/v1/cases/:number/attachments',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags: ['cases'],
        summary:
          'Attach files to a case: multipart/form-data, one or more parts named "file" (PDF, OFD, images, DOCX, XLSX, text; type checked from the bytes; at most UPLOAD_LIMIT_BYTES each). With a session cookie, send the CSRF token first or as X-CSRF-Token.',
        params: Params,
        consumes: ['multipart/form-data'],
        response: {
          201: Type.Object({
            items: Type.Array(
              Type.Object({
                digest: Type.String(),
                filename: Type.String(),
                size: Type.Integer(),
                mediaType: Type.String(),
              }),
            ),
          }),
          400: Problem,
          403: Problem,
          404: Problem,
          413: Problem,
          415: Problem,
        },
      },
    },
    async (req, reply) => {
      const before = (await cases.get(auditContextOf(req), req.params.number)).events.length;
      const view = await upload(req, req.params.number);
      const added = attachmentsOf(view.events.slice(before));
      return reply.code(201).send({
        items: added.map((a) => ({
          digest: a.digest,
          filename: a.filename,
          size: a.size,
          mediaType: a.mediaType,
        })),
      });
    },
  );

  app.get(
    '/api/v1/cases/:number/attachments/:digest',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['cases'],
        summary:
          'Download one attachment of a case (404 unless the caller may see the case and it has that file)',
        params: Type.Object({
          number: Type.String({ maxLength: 30 }),
          digest: Type.String({ maxLength: 64 }),
        }),
      },
    },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const view = await cases.get(ctx, req.params.number);
      const a = attachmentsOf(view.events).find((x) => x.digest === req.params.digest);
      if (!a) throw notFound('workflow.attachments.not_found');
      await deps.db.kysely.transaction().execute((tx) =>
        appendAudit(tx, ctx, {
          action: 'workflow.attachment_downloaded',
          objectType: 'case',
          objectId: req.params.number,
          detail: { digest: a.digest, size: a.size },
        }),
      );
      const stream = await blobs.open(a.digest);
      return reply
        .type(a.mediaType)
        .header('content-length', String(a.size))
        .header('cache-control', 'private, no-store')
        .header(
          'content-disposition',
          `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
        )
        .send(stream);
    },
  );
}
