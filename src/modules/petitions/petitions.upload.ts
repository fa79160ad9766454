/**
 * Reading a petition sent as multipart/form-data (the page's form, or the API with its attachments):
 * the text fields, and each file in `attachments` streamed into the blob store under the petition's
 * limits. Unlike a plain readUpload, a refused file does not end the reading: it is noted (its type,
 * its size, one too many) and the rest of the body is read on, so the petition comes back with every
 * problem at once — the files' beside the attachments field, the text's beside theirs — and what was
 * typed kept. Files already stored stay in the store unreferenced when the petition is refused:
 * harmless, content addressing makes them inert.
 */
import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { DomainError, type FieldProblem } from '../../kernel/errors.ts';
import { readUpload, type BlobStore, type StoredBlob } from '../../kernel/files/index.ts';
import {
  ATTACHMENTS,
  ATTACHMENTS_FIELD,
  nameFor,
  type OfferedAttachment,
  type Refusal,
} from './attachments.ts';

const REFUSED = Symbol('refused');
type Marked = StoredBlob & { [REFUSED]?: { refusal: Refusal; detected?: string } };

/** The blob store's refusals, as the petition's rules name them. */
const REFUSALS: Record<string, Refusal> = {
  'files.type_not_allowed': 'type',
  'files.too_large': 'size',
  'files.empty': 'empty',
};

/** Reads a file to its end, keeping nothing (a refused file, so that the parts after it are read). */
async function drain(input: Readable) {
  input.resume();
  // Destroyed past UPLOAD_LIMIT_BYTES by readUpload, which then refuses the whole request itself.
  await finished(input).catch(() => {});
}

/** A store that puts what it may and marks what it refuses instead of throwing. */
function lenient(blobs: Pick<BlobStore, 'put'>) {
  let count = 0;
  return {
    async put(input: Buffer | Readable, limits: { maxBytes: number; allowed: readonly string[] }) {
      const refused = (refusal: Refusal, detected?: string): Marked => ({
        digest: '',
        size: 0,
        mediaType: '',
        [REFUSED]: detected === undefined ? { refusal } : { refusal, detected },
      });
      if (Buffer.isBuffer(input)) return blobs.put(input, limits);
      if (++count > ATTACHMENTS.max) {
        await drain(input);
        return refused('count');
      }
      // The store reads through a pipe of its own: when it stops early (a refusal), the file itself
      // is left whole, to be read to its end here.
      const through = new PassThrough();
      input.pipe(through);
      try {
        return await blobs.put(through, limits);
      } catch (e) {
        const refusal = e instanceof DomainError ? REFUSALS[e.code] : undefined;
        if (!refusal) throw e;
        input.unpipe(through);
        through.destroy();
        await drain(input);
        const detected = (e as DomainError).params.type;
        return refused(refusal, typeof detected === 'string' ? detected : undefined);
      }
    },
  };
}

export interface PetitionUpload {
  fields: Record<string, string>;
  attachments: OfferedAttachment[];
  /** files in parts other than `attachments` */
  problems: FieldProblem[];
}

/**
 * Reads the whole multipart request. A request the parser itself refuses (a file past
 * UPLOAD_LIMIT_BYTES, more parts than it takes, a broken body) is thrown as its DomainError, named
 * after the attachments field when it names none.
 */
export async function readPetitionUpload(req: FastifyRequest, blobs: Pick<BlobStore, 'put'>) {
  let upload;
  try {
    upload = await readUpload(req, lenient(blobs), {
      maxBytes: ATTACHMENTS.maxBytes,
      allowed: ATTACHMENTS.types,
    });
  } catch (e) {
    if (e instanceof DomainError && e.fields.length === 0 && e.code.startsWith('files.'))
      throw new DomainError(e.kind, e.code, e.params, [
        { field: ATTACHMENTS_FIELD, code: e.code, params: e.params },
      ]);
    throw e;
  }
  const problems: FieldProblem[] = [];
  const attachments: OfferedAttachment[] = [];
  for (const f of upload.files as ((typeof upload.files)[number] & Marked)[]) {
    if (f.field !== ATTACHMENTS_FIELD) {
      if (!problems.some((p) => p.field === f.field))
        problems.push({ field: f.field, code: 'petitions.attachments.part_unknown' });
      continue;
    }
    const mark = f[REFUSED];
    attachments.push(
      mark
        ? {
            filename: f.filename,
            refused: mark.refusal,
            ...(mark.detected ? { detected: mark.detected } : {}),
          }
        : {
            digest: f.digest,
            filename: nameFor(f.filename, f.mediaType),
            size: f.size,
            mediaType: f.mediaType,
          },
    );
  }
  return { fields: upload.fields, attachments, problems } satisfies PetitionUpload;
}
