/**
 * Files: a content-addressed blob store, and multipart uploads into it.
 *
 * Content addressing. A blob's name is the SM3 digest of its bytes, so the same document uploaded
 * twice (the same ID card scan for ten applications) is stored once, a reference can never point at
 * changed bytes, and a fixity check is just hashing again (`verify`). Blobs are never changed or
 * renamed; what a file *is called* and which case it belongs to are the caller's records, kept in the
 * database beside the digest, with the media type the store sniffed.
 *
 * Why SM3. GM/T 0004 is the hash Chinese government systems are expected to use (the audit chain
 * already uses it), Node's OpenSSL has it, and its 256-bit digest makes a collision — two documents
 * sharing a name — not a practical worry.
 *
 * Types from the bytes. What a file is gets decided from its content (media-type.ts), not from its
 * name or the type the browser claims: a renamed program called 申请书.pdf is refused as a program.
 * ZIP-based formats (OFD, DOCX, XLSX) are told apart by the entry names in the archive's directory.
 *
 * Where the bytes live. By default under DATA_DIR/files: `ab/cd/<digest>`, written to `tmp/` first and
 * renamed into place once hashed and checked (atomic on one file system), so a crash or a refused
 * upload never leaves a partial blob. Several nodes behind a load balancer need that directory on a
 * shared volume (NFS or similar), or the S3-compatible adapter planned behind the same BlobStore
 * interface. Backups must include it: the database holds only digests.
 *
 * Uploads. readUpload streams each file part of a multipart request straight into the store, cut off
 * at the first byte past the limit (413) and refused at the first bytes of a type not allowed (415);
 * the CSRF token comes first in such a form (see src/kernel/http/csrf.ts).
 */
export {
  createLocalBlobStore,
  formatBytes,
  limitsInWords,
  type BlobLimits,
  type BlobStore,
  type LocalBlobStore,
  type StoredBlob,
} from './blob-store.ts';
export {
  DEFAULT_ALLOWED_TYPES,
  extensionOf,
  isUtf8Text,
  mediaTypeByName,
  MEDIA_TYPES,
  mediaTypeLabel,
  mediaTypeOfZip,
  sniffMediaType,
  SNIFF_BYTES,
  ZIP_FAMILY,
} from './media-type.ts';
export { cleanFilename, readUpload, type Upload, type UploadedFile } from './upload.ts';
export { readAtBuffer, zipEntryNames, type ReadAt } from './zip.ts';
