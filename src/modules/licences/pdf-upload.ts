/**
 * Reads a licence PDF someone uploads to have it checked: one file part named `file`, into memory
 * (nothing is stored — the file is only read for its embedded data), at most MAX_PDF_BYTES. A licence
 * is about 40 KB; the bound keeps pdf.js's work per request small on a public, anonymous endpoint.
 */
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../kernel/errors.ts';

export const MAX_PDF_BYTES = 2 * 1024 * 1024;

/** Route config for a multipart route that takes one such file (the CSRF check reads with it too). */
export const PDF_UPLOAD_OPTIONS = { limits: { fileSize: MAX_PDF_BYTES, files: 1, fields: 5 } };

const tooLarge = () => new DomainError('too_large', 'licences.upload.too_large', { max: '2 MB' });

/** The bytes of the uploaded file, or a DomainError: missing, too large, or a broken body. */
export async function readPdfUpload(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw new DomainError('unsupported', 'licences.upload.unsupported');
  const parts = req.multipartParts ?? req.parts(PDF_UPLOAD_OPTIONS);
  req.multipartParts = null;
  try {
    for await (const part of parts) {
      if (part.type === 'field') continue;
      if (part.fieldname !== 'file' || !part.filename) {
        part.file.resume();
        continue;
      }
      const bytes = await part.toBuffer();
      if (part.file.truncated) throw tooLarge();
      if (bytes.length === 0) break;
      return bytes;
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw new DomainError('invalid', 'errors.malformed_body');
  }
  throw new DomainError('invalid', 'licences.upload.missing', {}, [
    { field: 'file', code: 'licences.upload.missing' },
  ]);
}
