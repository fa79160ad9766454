/**
 * A letter's attachments at the HTTP edge: reading the multipart form (the page's and the API's) with
 * each file streamed into the blob store as it arrives, the list of a letter's attachments with their
 * download links, and the download itself.
 *
 * Why not the kernel's readUpload: a refused file throws there and takes the form's text fields with
 * it, and a writer who attached a photo too large would get the form back empty after typing a long
 * letter. Here the text fields (which the form sends first) are kept, and what went wrong with the
 * files comes back as problems beside the attachments field, to be named with the letter's others.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError, type FieldProblem } from '../../kernel/errors.ts';
import {
  cleanFilename,
  formatBytes,
  mediaTypeByName,
  mediaTypeLabel,
  type BlobStore,
} from '../../kernel/files/index.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import { CSRF_FIELD } from '../../kernel/http/csrf.ts';
import { usePage } from '../../kernel/pages/index.tsx';
import {
  ATTACHMENTS,
  ATTACHMENTS_FIELD,
  limitParams,
  nameFor,
  type LetterAttachment,
} from './attachments.ts';
import type { LetterService } from './letter.service.ts';

export interface LetterUpload {
  /** the text fields (the first value of each), without the CSRF token */
  fields: Record<string, string>;
  /** the files stored */
  files: LetterAttachment[];
  /** the files refused, beside the attachments field */
  problems: FieldProblem[];
}

const tooLarge = () => new DomainError('too_large', 'files.too_large');

/**
 * Reads a letter's multipart body. Each file must be a JPEG, PNG or PDF (from its bytes, its name
 * agreeing) of at most 5 MB, and there may be 3: the first refusal that cuts a file short stops the
 * reading there (the rest of the body is dropped unread, see kernel/http registerMultipart).
 */
export async function readLetterUpload(
  req: FastifyRequest,
  blobs: Pick<BlobStore, 'put'>,
): Promise<LetterUpload> {
  const maxBytes = Math.min(ATTACHMENTS.maxBytes, req.server.uploadLimitBytes ?? Infinity);
  const parts = req.multipartParts ?? req.parts(req.routeOptions.config.multipartOptions);
  req.multipartParts = null;
  const upload: LetterUpload = { fields: {}, files: [], problems: [] };
  const refuse = (code: string, params: Record<string, string | number> = {}) =>
    upload.problems.push({
      field: ATTACHMENTS_FIELD,
      code,
      params: { ...limitParams(), size: formatBytes(maxBytes), ...params },
    });
  let current = '';
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname === CSRF_FIELD) continue;
        if (part.valueTruncated) upload.problems.push({ field: part.fieldname, code: 'errors.field_length' });
        else
          upload.fields[part.fieldname] ??=
            typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        continue;
      }
      const file = part.file;
      // A file input left empty still sends a part: no name, no bytes.
      if (!part.filename) {
        file.resume();
        continue;
      }
      const name = cleanFilename(part.filename);
      current = name;
      if (part.fieldname !== ATTACHMENTS_FIELD) {
        file.resume();
        upload.problems.push({
          field: part.fieldname,
          code: 'letters.attachments.part_unknown',
          params: { part: part.fieldname, field: ATTACHMENTS_FIELD },
        });
        continue;
      }
      if (upload.files.length >= ATTACHMENTS.max) {
        refuse('letters.attachments.too_many');
        break;
      }
      const named = mediaTypeByName(name);
      if (named === 'other') {
        file.resume();
        refuse('letters.attachments.type', { name });
        continue;
      }
      // Past UPLOAD_LIMIT_BYTES the parser cuts the file short and says so only by this event.
      file.once('limit', () => file.destroy(tooLarge()));
      try {
        const blob = await blobs.put(file, { maxBytes, allowed: named ? [named] : ATTACHMENTS.types });
        if (file.truncated) throw tooLarge();
        upload.files.push({
          digest: blob.digest,
          filename: nameFor(name, blob.mediaType),
          size: blob.size,
          mediaType: blob.mediaType,
        });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        const detected = String(e.params.type ?? '');
        if (e.code === 'files.too_large') refuse('letters.attachments.too_large', { name });
        else if (e.code === 'files.empty') refuse('letters.attachments.empty', { name });
        else if (e.code !== 'files.type_not_allowed') throw e;
        else if (named && ATTACHMENTS.types.map(mediaTypeLabel).includes(detected))
          refuse('letters.attachments.mismatch', { name, named: mediaTypeLabel(named), type: detected });
        else refuse('letters.attachments.type', { name, type: detected });
        // A file refused before its end was left unread: nothing after it can be read.
        if (!file.readableEnded) break;
      }
    }
  } catch (e) {
    // The parser's complaints: a file or parts limit is one more problem with the files.
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') refuse('letters.attachments.too_large', { name: current });
    else if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') refuse('letters.attachments.too_many');
    else throw asBodyError(e);
  }
  return upload;
}

/** Any other error of the multipart parser, as the kernel's readUpload names it. */
function asBodyError(e: unknown): unknown {
  if (e instanceof DomainError) return e;
  const code = (e as { code?: string }).code ?? '';
  if (code === 'FST_FIELDS_LIMIT') return new DomainError('too_large', 'files.too_many');
  if (
    ['FST_PROTO_VIOLATION', 'FST_MP_PREMATURE_CLOSE', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code) ||
    (e instanceof Error && /multipart|boundary|part/i.test(e.message))
  )
    return new DomainError('invalid', 'errors.malformed_body');
  return e;
}

/** Where an attachment downloads: for its writer and the department answering, nobody else. */
export const attachmentUrl = (publicId: string, digest: string) =>
  `/api/v1/letters/${publicId}/attachments/${digest}`;

/** A letter's attachments as download links (nothing when it has none). */
export function AttachmentList(props: { publicId: string; files: readonly LetterAttachment[] }) {
  const { t } = usePage();
  if (props.files.length === 0) return null;
  return (
    <section aria-labelledby="letter-attachments">
      <h2 id="letter-attachments">{t('letters.attachments')}</h2>
      <ul>
        {props.files.map((a) => (
          <li>
            <a href={attachmentUrl(props.publicId, a.digest)} download={a.filename}>
              {a.filename}
            </a>{' '}
            <span class="muted">
              {mediaTypeLabel(a.mediaType)} · {formatBytes(a.size)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The file input of the writing form: several files at once, the limits in its hint. */
export function AttachmentsField(props: { problems: readonly FieldProblem[] }) {
  const { t } = usePage();
  const id = `field-${ATTACHMENTS_FIELD}`;
  const problems = props.problems.filter((p) => p.field === ATTACHMENTS_FIELD);
  return (
    <div class={problems.length ? 'field field-error' : 'field'}>
      <label for={id}>{t('letters.attachments')}</label>
      <p class="hint" id={`${id}-hint`}>
        {t('letters.attachments.hint', limitParams())}
      </p>
      {problems.map((p, i) => (
        <p class="error-message" id={i === 0 ? `${id}-error` : undefined}>
          {t(p.code, p.params)}
        </p>
      ))}
      <input
        id={id}
        name={ATTACHMENTS_FIELD}
        type="file"
        multiple
        accept="image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"
        aria-invalid={problems.length ? 'true' : undefined}
        aria-describedby={problems.length ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
    </div>
  );
}

/** GET /api/v1/letters/{id}/attachments/{digest}: the file, to its writer or the answering department. */
export function attachmentRoutes(
  fastify: FastifyInstance,
  deps: { letters: LetterService; blobs: Pick<BlobStore, 'open'> },
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const Problem = Type.Ref('Problem');
  app.get(
    '/api/v1/letters/:id/attachments/:digest',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags: ['letters'],
        summary:
          "Downloads one of a letter's attachments: for its writer and the staff of the department answering it (anyone else 404); each download is audited",
        params: Type.Object({
          id: Type.String({ maxLength: 32 }),
          digest: Type.String({ pattern: '^[0-9a-f]{64}$' }),
        }),
        response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const a = await deps.letters.attachment(auditContextOf(req), req.params.id, req.params.digest);
      const stream = await deps.blobs.open(a.digest);
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
