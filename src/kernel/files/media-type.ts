/**
 * What a file is, decided from its bytes — never from its name or the type the browser claims, both of
 * which the sender chooses. A small sniffer of our own rather than the file-type package: that one does
 * not know OFD (the Chinese e-document format), and the few formats a government attachment may be are
 * a page of signatures. ZIP-based formats (OFD, DOCX, XLSX, PPTX) share one signature, so for those the
 * head only says "a ZIP" and the entry names in the central directory decide (mediaTypeOfZip).
 */

export const MEDIA_TYPES = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip',
  text: 'text/plain',
  /** Old binary Office files (.doc, .xls): recognised so a refusal can name them; may carry macros. */
  ole: 'application/x-ole-storage',
  exe: 'application/vnd.microsoft.portable-executable',
  elf: 'application/x-elf',
  unknown: 'application/octet-stream',
} as const;

/**
 * What a case attachment or an application's material may be by default: documents and scans. No plain
 * ZIP (it could hold anything, unchecked), no old binary Office files (macros), no executables.
 */
export const DEFAULT_ALLOWED_TYPES: readonly string[] = [
  MEDIA_TYPES.pdf,
  MEDIA_TYPES.ofd,
  MEDIA_TYPES.png,
  MEDIA_TYPES.jpeg,
  MEDIA_TYPES.gif,
  MEDIA_TYPES.webp,
  MEDIA_TYPES.docx,
  MEDIA_TYPES.xlsx,
  MEDIA_TYPES.text,
];

/** The ZIP-based types: a head that says "ZIP" may end as any of these once the entries are read. */
export const ZIP_FAMILY: readonly string[] = [
  MEDIA_TYPES.zip,
  MEDIA_TYPES.ofd,
  MEDIA_TYPES.docx,
  MEDIA_TYPES.xlsx,
  MEDIA_TYPES.pptx,
];

/** How many leading bytes sniffMediaType looks at (more is ignored, fewer is fine for a short file). */
export const SNIFF_BYTES = 4096;

/** Short names people know, for error messages ("PDF/OFD/PNG"). */
const LABELS: Record<string, string> = {
  [MEDIA_TYPES.pdf]: 'PDF',
  [MEDIA_TYPES.ofd]: 'OFD',
  [MEDIA_TYPES.png]: 'PNG',
  [MEDIA_TYPES.jpeg]: 'JPEG',
  [MEDIA_TYPES.gif]: 'GIF',
  [MEDIA_TYPES.webp]: 'WebP',
  [MEDIA_TYPES.docx]: 'DOCX',
  [MEDIA_TYPES.xlsx]: 'XLSX',
  [MEDIA_TYPES.pptx]: 'PPTX',
  [MEDIA_TYPES.zip]: 'ZIP',
  [MEDIA_TYPES.text]: 'TXT',
  [MEDIA_TYPES.ole]: 'DOC/XLS',
  [MEDIA_TYPES.exe]: 'EXE',
  [MEDIA_TYPES.elf]: 'ELF',
};

export function mediaTypeLabel(mediaType: string): string {
  return LABELS[mediaType] ?? mediaType;
}

/** The file name extensions of the types people attach (photos, scans), the usual one first. */
const EXTENSIONS: Record<string, readonly string[]> = {
  [MEDIA_TYPES.jpeg]: ['jpg', 'jpeg', 'jpe', 'jfif'],
  [MEDIA_TYPES.png]: ['png'],
  [MEDIA_TYPES.pdf]: ['pdf'],
};

/**
 * What a file's name says it is: one of those types, `null` when the name has no extension
 * ("扫描件"), or 'other' for an extension of anything else (.docx, .exe, .gif).
 */
export function mediaTypeByName(filename: string): string | null | 'other' {
  const ext = /\.([A-Za-z][A-Za-z0-9]{0,4})$/.exec(filename)?.[1]?.toLowerCase();
  if (!ext) return null;
  return Object.entries(EXTENSIONS).find(([, list]) => list.includes(ext))?.[0] ?? 'other';
}

/** The usual extension of a type ('bin' when it has none of those above). */
export const extensionOf = (mediaType: string): string => EXTENSIONS[mediaType]?.[0] ?? 'bin';

const startsWith = (head: Buffer, bytes: readonly number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * The media type of a file from its first bytes (up to SNIFF_BYTES). A ZIP comes back as
 * application/zip: read its entry names and ask mediaTypeOfZip. Text is plain UTF-8 without NUL bytes
 * in the head; a caller that has the rest should check the rest too (the blob store does).
 */
export function sniffMediaType(head: Buffer): string {
  if (startsWith(head, ascii('%PDF-'))) return MEDIA_TYPES.pdf;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return MEDIA_TYPES.png;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return MEDIA_TYPES.jpeg;
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return MEDIA_TYPES.gif;
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return MEDIA_TYPES.webp;
  // A local file header, or the end record of an empty archive.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]))
    return MEDIA_TYPES.zip;
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return MEDIA_TYPES.ole;
  if (startsWith(head, ascii('MZ'))) return MEDIA_TYPES.exe;
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return MEDIA_TYPES.elf;
  if (head.length > 0 && isUtf8Text(head, head.length >= SNIFF_BYTES)) return MEDIA_TYPES.text;
  return MEDIA_TYPES.unknown;
}

/**
 * Valid UTF-8 without NUL bytes. `truncated`: the bytes are the head of something longer, so a
 * character cut off at the end is not an error.
 */
export function isUtf8Text(bytes: Buffer, truncated = false): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
    return true;
  } catch {
    return false;
  }
}

/**
 * Which ZIP-based format an archive is, from its entry names: OFD has OFD.xml at its root (GB/T 33190);
 * Office Open XML has [Content_Types].xml plus its part folder (word/, xl/, ppt/).
 */
export function mediaTypeOfZip(entryNames: readonly string[]): string {
  const names = new Set(entryNames.map((n) => n.replace(/^\/+/, '')));
  if ([...names].some((n) => n.toLowerCase() === 'ofd.xml')) return MEDIA_TYPES.ofd;
  if (names.has('[Content_Types].xml')) {
    const has = (folder: string) => [...names].some((n) => n.startsWith(folder));
    if (has('word/')) return MEDIA_TYPES.docx;
    if (has('xl/')) return MEDIA_TYPES.xlsx;
    if (has('ppt/')) return MEDIA_TYPES.pptx;
  }
  return MEDIA_TYPES.zip;
}
