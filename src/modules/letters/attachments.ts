/**
 * Attachments (附件) a writer sends with a letter: a photo of the broken pavement, a scanned notice.
 * At most 3, each a JPEG or PNG image or a PDF of at most 5 MB, the type read from the bytes (the blob
 * store sniffs it) and the file's name made to agree with it: a handler who opens 通知.pdf must get a
 * PDF, never a picture or a program renamed. Their bytes live in the blob store; the letter keeps the
 * digests. They are personal data: only the writer and the department answering see them, never the
 * public (a published letter shows none).
 */
import {
  extensionOf,
  limitsInWords,
  MEDIA_TYPES,
  mediaTypeByName,
  mediaTypeLabel,
} from '../../kernel/files/index.ts';
import type { FieldProblem } from '../../kernel/errors.ts';

export interface LetterAttachment {
  /** SM3 of the bytes: the blob's name in the store */
  digest: string;
  /** the writer's name for it (cleaned), its extension agreeing with the type */
  filename: string;
  size: number;
  mediaType: string;
}

export const ATTACHMENTS = {
  max: 3,
  maxBytes: 5 * 1024 * 1024,
  types: [MEDIA_TYPES.jpeg, MEDIA_TYPES.png, MEDIA_TYPES.pdf] as readonly string[],
} as const;

/** The form field (and multipart part name) attachments come in. */
export const ATTACHMENTS_FIELD = 'attachments';

/** The limits as people read them, for hints and messages: "JPEG/PNG/PDF", "5 MB", 3. */
export const limitParams = () => limitsInWords(ATTACHMENTS);

/** The name to keep: the writer's, with the type's extension added when it had none. */
export function nameFor(filename: string, mediaType: string): string {
  if (mediaTypeByName(filename) !== null) return filename;
  return `${[...filename].slice(0, 250).join('')}.${extensionOf(mediaType)}`;
}

/**
 * The rules, on files already stored (the upload checked each as it arrived; this is the service's
 * own word on what a letter may carry): how many, which types, how large, names agreeing with types.
 */
export function attachmentProblems(files: readonly LetterAttachment[]): FieldProblem[] {
  const field = ATTACHMENTS_FIELD;
  if (files.length > ATTACHMENTS.max)
    return [{ field, code: 'letters.attachments.too_many', params: limitParams() }];
  const problems: FieldProblem[] = [];
  for (const f of files) {
    const params = { ...limitParams(), name: f.filename, type: mediaTypeLabel(f.mediaType) };
    if (!/^[0-9a-f]{64}$/.test(f.digest) || !ATTACHMENTS.types.includes(f.mediaType))
      problems.push({ field, code: 'letters.attachments.type', params });
    else if (f.size < 1 || f.size > ATTACHMENTS.maxBytes)
      problems.push({ field, code: 'letters.attachments.too_large', params });
    else {
      const named = mediaTypeByName(f.filename);
      if (named === 'other') problems.push({ field, code: 'letters.attachments.type', params });
      else if (named !== f.mediaType)
        problems.push({
          field,
          code: 'letters.attachments.mismatch',
          params: { ...params, named: mediaTypeLabel(named ?? '') },
        });
    }
  }
  return problems;
}
