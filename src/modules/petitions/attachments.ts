/**
 * Materials a petitioner sends with a petition (信访工作条例 §17: the facts and reasons, with materials
 * supporting them): a photo of the site, a scanned notice. At most 5, each a JPEG or PNG image or a PDF
 * of at most 5 MB, the type read from the bytes (the blob store sniffs it), never from the name or the
 * type the browser claims. Their bytes live in the blob store; the petition keeps what names them and
 * its case gets them when it opens. They are as confidential as the petitioner's identity: only the
 * petitioner and the staff handling the petition download them.
 */
import {
  extensionOf,
  limitsInWords,
  MEDIA_TYPES,
  mediaTypeByName,
  mediaTypeLabel,
} from '../../kernel/files/index.ts';
import type { FieldProblem } from '../../kernel/errors.ts';

export interface PetitionAttachment {
  /** SM3 of the bytes: the blob's name in the store */
  digest: string;
  /** the petitioner's name for it (cleaned), its extension agreeing with the type */
  filename: string;
  size: number;
  mediaType: string;
}

/** Why the upload refused a file as it arrived: its type, its size, nothing in it, one too many. */
export type Refusal = 'type' | 'size' | 'empty' | 'count';

/** A file as the petition form offers it: stored, or refused at the upload (with what it turned out to be). */
export type OfferedAttachment =
  PetitionAttachment | { filename: string; refused: Refusal; detected?: string };

export const ATTACHMENTS = {
  max: 5,
  maxBytes: 5 * 1024 * 1024,
  types: [MEDIA_TYPES.jpeg, MEDIA_TYPES.png, MEDIA_TYPES.pdf] as readonly string[],
} as const;

/** The form field (and multipart part name) attachments come in. */
export const ATTACHMENTS_FIELD = 'attachments';

/** The limits as people read them, for hints and messages: 5, "5 MB", "JPEG/PNG/PDF". */
export const limitParams = () => limitsInWords(ATTACHMENTS);

/**
 * The name to keep: the petitioner's, with the type's extension added when its own says something else
 * (a PNG sent as 现场.jpg is kept as 现场.jpg.png), so whoever opens it gets what the name promises.
 */
export function nameFor(filename: string, mediaType: string): string {
  if (mediaTypeByName(filename) === mediaType) return filename;
  return `${[...filename].slice(0, 250).join('')}.${extensionOf(mediaType)}`;
}

/**
 * The rules, every problem at once: how many, and each file's type and size — refused at the upload,
 * or (for a caller that stored them itself) checked here again.
 */
export function attachmentProblems(files: readonly OfferedAttachment[]): FieldProblem[] {
  const field = ATTACHMENTS_FIELD;
  const limits = limitParams();
  const problems: FieldProblem[] =
    files.length > ATTACHMENTS.max
      ? [{ field, code: 'petitions.attachments.too_many', params: { ...limits, given: files.length } }]
      : [];
  for (const f of files) {
    const params = { ...limits, name: f.filename };
    if ('refused' in f) {
      if (f.refused === 'type')
        problems.push({
          field,
          code: 'petitions.attachments.type',
          params: { ...params, type: f.detected ?? '?' },
        });
      else if (f.refused === 'size')
        problems.push({ field, code: 'petitions.attachments.too_large', params });
      else if (f.refused === 'empty') problems.push({ field, code: 'petitions.attachments.empty', params });
    } else if (!/^[0-9a-f]{64}$/.test(f.digest) || !ATTACHMENTS.types.includes(f.mediaType))
      problems.push({
        field,
        code: 'petitions.attachments.type',
        params: { ...params, type: mediaTypeLabel(f.mediaType) },
      });
    else if (f.size < 1 || f.size > ATTACHMENTS.maxBytes)
      problems.push({ field, code: 'petitions.attachments.too_large', params });
  }
  return problems;
}

/** The stored ones, once attachmentProblems found nothing. */
export const stored = (files: readonly OfferedAttachment[]): PetitionAttachment[] =>
  files.flatMap((f) =>
    'refused' in f ? [] : [{ digest: f.digest, filename: f.filename, size: f.size, mediaType: f.mediaType }],
  );
