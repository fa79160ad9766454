/**
 * The entry names of a ZIP archive, read from its central directory at the end of the file — the
 * listing every ZIP reader trusts, so it is what decides whether an archive is an OFD or a DOCX. Only
 * names are read; nothing is decompressed (a ZIP bomb costs us nothing here).
 */

/** Reads `length` bytes at `position` (fewer at the end of the file). */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL_ENTRY = 0x02014b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** A central directory bigger than this is not an attachment we want to list. */
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;

/**
 * The entry names of the archive of `size` bytes that `readAt` reads, or null when it has no readable
 * central directory (then it is only "some ZIP"). Stops after `maxEntries` names.
 */
export async function zipEntryNames(
  readAt: ReadAt,
  size: number,
  maxEntries = 10_000,
): Promise<string[] | null> {
  const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
  const tailStart = size - tailLength;
  const tail = await readAt(tailStart, tailLength);
  let at = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) return null;
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    // ZIP64: a locator just before the end record points to the 64-bit end record.
    if (at < 20 || tail.readUInt32LE(at - 20) !== EOCD64_LOCATOR) return null;
    const record = await readAt(Number(tail.readBigUInt64LE(at - 20 + 8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== EOCD64) return null;
    count = Number(record.readBigUInt64LE(32));
    dirSize = Number(record.readBigUInt64LE(40));
    dirOffset = Number(record.readBigUInt64LE(48));
  }
  if (dirSize > MAX_DIRECTORY_BYTES || dirOffset + dirSize > size) return null;
  const dir = await readAt(dirOffset, dirSize);
  const names: string[] = [];
  let pos = 0;
  while (pos + 46 <= dir.length && names.length < Math.min(count, maxEntries)) {
    if (dir.readUInt32LE(pos) !== CENTRAL_ENTRY) return names.length > 0 ? names : null;
    const nameLength = dir.readUInt16LE(pos + 28);
    const extraLength = dir.readUInt16LE(pos + 30);
    const commentLength = dir.readUInt16LE(pos + 32);
    // Names not flagged UTF-8 are in a legacy code page; the names that decide a format are ASCII.
    names.push(dir.subarray(pos + 46, pos + 46 + nameLength).toString('utf8'));
    pos += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** A ReadAt over bytes already in memory. */
export function readAtBuffer(bytes: Buffer): ReadAt {
  return async (position, length) => bytes.subarray(position, position + length);
}
