/**
 * Reading a multipart/form-data request: its text fields, and each file streamed into the blob store
 * as it arrives (never held in memory). This is the HTTP edge: what comes out is plain data — digests
 * and fields — for a service to record; errors are DomainErrors naming the form field at fault.
 */
import type { FastifyRequest } from 'fastify';
import { finished } from 'node:stream/promises';
import { DomainError, invalidFields } from '../errors.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { BlobLimits, BlobStore, StoredBlob } from './blob-store.ts';
import { formatBytes } from './blob-store.ts';

export interface UploadedFile extends StoredBlob {
  /** The form field the file came in. */
  field: string;
  /** The name the sender gave it: shown to people, never used as a path and never trusted for its type. */
  filename: string;
}

export interface Upload {
  /** Text fields (a repeated field's values joined by newlines, as formValues does); no CSRF token. */
  fields: Record<string, string>;
  files: UploadedFile[];
}

/**
 * Reads the whole multipart request. Each file must meet `limits` (and the server's
 * UPLOAD_LIMIT_BYTES, whichever is smaller): too_large `files.too_large` (413), unsupported
 * `files.type_not_allowed` (415), invalid `files.empty` — each with the file's field in `fields`.
 * An empty file input (no file chosen) is skipped. On an error, files already stored stay in the
 * store as complete blobs no one refers to: harmless, since content addressing makes them inert.
 */
export async function readUpload(
  req: FastifyRequest,
  store: Pick<BlobStore, 'put'>,
  limits: BlobLimits,
): Promise<Upload> {
  if (!req.isMultipart()) throw new DomainError('unsupported', 'files.not_multipart');
  const maxBytes = Math.min(limits.maxBytes, req.server.uploadLimitBytes ?? Infinity);
  // The CSRF check has already read the token from the start of the body; read on from there.
  const parts = req.multipartParts ?? req.parts(req.routeOptions.config.multipartOptions);
  req.multipartParts = null;
  const upload: Upload = { fields: {}, files: [] };
  // Each file's last steps in the store (fsync, rename, fsync of its directory) overlap with reading
  // the next part: three small files wait for about one disk flush instead of three in a row.
  const storing: Promise<UploadedFile>[] = [];
  let current: string | undefined;
  try {
    for await (const part of parts) {
      current = part.fieldname;
      if (part.type === 'field') {
        if (part.fieldname === CSRF_FIELD) continue;
        if (part.valueTruncated)
          throw invalidFields([{ field: part.fieldname, code: 'errors.field_length' }]);
        const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        const before = upload.fields[part.fieldname];
        upload.fields[part.fieldname] = before === undefined ? value : `${before}\n${value}`;
        continue;
      }
      const file = part.file;
      // A file input left empty still sends a part: no name, no bytes.
      if (!part.filename) {
        file.resume();
        continue;
      }
      // Past UPLOAD_LIMIT_BYTES the parser cuts the file short and says so only by this event: turn
      // it into an error, or a truncated file would be stored as if whole.
      file.once('limit', () => file.destroy(tooLarge(maxBytes)));
      const { fieldname: field, filename } = part;
      const stored = store.put(file, { maxBytes, allowed: limits.allowed }).then(
        (blob) => {
          if (file.truncated) throw tooLarge(maxBytes);
          return { field, filename: cleanFilename(filename), ...blob };
        },
        (e: unknown) => {
          throw asUploadError(e, field, maxBytes);
        },
      );
      stored.catch(() => {}); // awaited below, also after an error
      storing.push(stored);
      // On once the store has read the whole file. A stream cut short means the store refused it:
      // its own error says why.
      await Promise.race([finished(file).catch(() => stored), stored]);
    }
    for (const stored of storing) upload.files.push(await stored);
  } catch (e) {
    // Files still being stored finish first: a refused file's temporary copy is gone when we answer.
    await Promise.allSettled(storing);
    throw asUploadError(e, current, maxBytes);
  }
  return upload;
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError('too_large', 'files.too_large', { max: formatBytes(maxBytes) });
}

/** Errors of the store and of the multipart parser, as DomainErrors that name the field. */
function asUploadError(e: unknown, field: string | undefined, maxBytes: number): unknown {
  if (e instanceof DomainError) {
    if (e.fields.length > 0 || field === undefined) return e;
    return new DomainError(e.kind, e.code, e.params, [{ field, code: e.code, params: e.params }]);
  }
  const err = e as { code?: string; part?: { fieldname?: string } };
  switch (err.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return asUploadError(tooLarge(maxBytes), err.part?.fieldname ?? field, maxBytes);
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new DomainError('too_large', 'files.too_many');
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
    case 'FST_MP_PREMATURE_CLOSE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return new DomainError('invalid', 'errors.malformed_body');
  }
  // The parser's own complaints (a body cut short, a missing boundary) are plain Errors.
  if (e instanceof Error && /multipart|boundary|part/i.test(e.message))
    return new DomainError('invalid', 'errors.malformed_body');
  return e;
}

/**
 * The sender's file name, made safe to show: no path (the parser already keeps only the last part), no
 * control characters, no bidirectional overrides (which make "exe.pdf" look like "fdp.exe"), at most
 * 255 characters.
 */
export function cleanFilename(name: string): string {
  const cleaned = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[/\\]/g, '_')
    .trim();
  return [...cleaned].slice(0, 255).join('') || 'file';
}
