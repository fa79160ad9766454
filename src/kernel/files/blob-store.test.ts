import assert from 'node:assert/strict';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sm3 } from '../crypto/index.ts';
import { DomainError } from '../errors.ts';
import { createLocalBlobStore, formatBytes, type LocalBlobStore } from './blob-store.ts';
import { DEFAULT_ALLOWED_TYPES, MEDIA_TYPES, SNIFF_BYTES } from './media-type.ts';
import { buildZip, SAMPLES } from './sample-files.ts';

const limits = { maxBytes: 1024 * 1024, allowed: DEFAULT_ALLOWED_TYPES };

/** Every file under dir (relative paths), the temporary folder included. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

/** A stream of `count` chunks that records how many were pulled from it. */
function counted(first: Buffer, chunk: Buffer, count: number) {
  const pulled = { n: 0 };
  const stream = Readable.from(
    (function* () {
      for (let i = 0; i < count; i++) {
        pulled.n++;
        yield i === 0 ? first : chunk;
      }
    })(),
  );
  return { stream, pulled };
}

const refusedWith = (kind: string, code: string) => (e: unknown) => {
  assert.ok(e instanceof DomainError, String(e));
  assert.equal(e.kind, kind);
  assert.equal(e.code, code);
  return true;
};

describe('local blob store', () => {
  let dir: string;
  let store: LocalBlobStore;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'yiwang-blobs-'));
    store = createLocalBlobStore(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('names a blob by the SM3 of its bytes and files it under ab/cd/', async () => {
    const pdf = SAMPLES.pdf();
    const blob = await store.put(pdf, limits);
    assert.deepEqual(blob, { digest: sm3(pdf), size: pdf.length, mediaType: MEDIA_TYPES.pdf });
    const file = path.join(dir, blob.digest.slice(0, 2), blob.digest.slice(2, 4), blob.digest);
    assert.deepEqual(await readFile(file), pdf);
    assert.equal(await store.has(blob.digest), true);
    assert.deepEqual(await store.stat(blob.digest), { size: pdf.length });
  });

  it('stores the same content once, however it arrives', async () => {
    const png = SAMPLES.png();
    const before = await filesUnder(dir);
    const a = await store.put(png, limits);
    const b = await store.put(Readable.from([png.subarray(0, 5), png.subarray(5)]), limits);
    assert.equal(a.digest, b.digest);
    assert.deepEqual(
      await filesUnder(dir),
      [...before, path.join(a.digest.slice(0, 2), a.digest.slice(2, 4), a.digest)].sort(),
    );
  });

  it('gives the bytes back', async () => {
    const text = SAMPLES.text();
    const { digest } = await store.put(text, limits);
    const chunks: Buffer[] = [];
    for await (const c of await store.open(digest)) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), text);
  });

  it('recognises each allowed format from its bytes', async () => {
    const expected = {
      pdf: MEDIA_TYPES.pdf,
      png: MEDIA_TYPES.png,
      jpeg: MEDIA_TYPES.jpeg,
      gif: MEDIA_TYPES.gif,
      webp: MEDIA_TYPES.webp,
      docx: MEDIA_TYPES.docx,
      xlsx: MEDIA_TYPES.xlsx,
      ofd: MEDIA_TYPES.ofd,
      text: MEDIA_TYPES.text,
    } as const;
    for (const [name, type] of Object.entries(expected)) {
      const blob = await store.put(SAMPLES[name as keyof typeof expected](), limits);
      assert.equal(blob.mediaType, type, name);
    }
  });

  it('refuses a program whatever it is called, naming what it is, and keeps nothing', async () => {
    const before = await filesUnder(dir);
    await assert.rejects(store.put(SAMPLES.exe(), limits), (e) => {
      refusedWith('unsupported', 'files.type_not_allowed')(e);
      assert.equal((e as DomainError).params.type, 'EXE');
      assert.match(String((e as DomainError).params.allowed), /^PDF\/OFD\/PNG/);
      return true;
    });
    assert.deepEqual(await filesUnder(dir), before);
  });

  it('refuses a disallowed type at its first bytes, without reading the rest', async () => {
    const { stream, pulled } = counted(SAMPLES.exe(), Buffer.alloc(SNIFF_BYTES), 1000);
    await assert.rejects(store.put(stream, limits), refusedWith('unsupported', 'files.type_not_allowed'));
    assert.ok(pulled.n < 10, `pulled ${pulled.n} chunks`);
  });

  it('refuses a plain ZIP by default but takes it when allowed', async () => {
    await assert.rejects(store.put(SAMPLES.zip(), limits), (e) => (e as DomainError).params.type === 'ZIP');
    const blob = await store.put(SAMPLES.zip(), { ...limits, allowed: [MEDIA_TYPES.zip] });
    assert.equal(blob.mediaType, MEDIA_TYPES.zip);
    await assert.rejects(
      store.put(SAMPLES.ofd(), { ...limits, allowed: [MEDIA_TYPES.pdf] }),
      // Refused at its first bytes, before the directory at the end says which ZIP it is.
      (e) => (e as DomainError).params.type === 'ZIP',
    );
    await assert.rejects(
      store.put(SAMPLES.ofd(), { ...limits, allowed: [MEDIA_TYPES.docx] }),
      (e) => (e as DomainError).params.type === 'OFD',
    );
  });

  it('does not call a file text when only its head is text', async () => {
    const bytes = Buffer.concat([Buffer.alloc(SNIFF_BYTES * 2, 'a'), Buffer.from([0xff, 0xfe, 0])]);
    await assert.rejects(store.put(bytes, limits), (e) => {
      refusedWith('unsupported', 'files.type_not_allowed')(e);
      return (e as DomainError).params.type === MEDIA_TYPES.unknown;
    });
    const cutOff = Buffer.from('文').subarray(0, 2);
    await assert.rejects(store.put(Buffer.concat([Buffer.from('abc'), cutOff]), limits));
  });

  it('stops at the first byte past the limit and leaves no temporary file', async () => {
    const before = await filesUnder(dir);
    const { stream, pulled } = counted(SAMPLES.pdf(), Buffer.alloc(64 * 1024, 0x20), 1000);
    await assert.rejects(store.put(stream, { ...limits, maxBytes: 256 * 1024 }), (e) => {
      refusedWith('too_large', 'files.too_large')(e);
      assert.equal((e as DomainError).params.max, '256 KB');
      return true;
    });
    assert.ok(pulled.n <= 6, `pulled ${pulled.n} chunks`);
    assert.deepEqual(await filesUnder(dir), before);
    assert.deepEqual(await readdir(path.join(dir, 'tmp')), []);
  });

  it('takes a file of exactly the limit', async () => {
    const bytes = Buffer.concat([SAMPLES.pdf(), Buffer.alloc(1000, 0x20)]);
    const blob = await store.put(bytes, { ...limits, maxBytes: bytes.length });
    assert.equal(blob.size, bytes.length);
    await assert.rejects(store.put(bytes, { ...limits, maxBytes: bytes.length - 1 }));
  });

  it('refuses an empty file', async () => {
    await assert.rejects(store.put(Buffer.alloc(0), limits), refusedWith('invalid', 'files.empty'));
  });

  it('leaves nothing behind when the input breaks off', async () => {
    const broken = new Readable({
      read() {
        this.push(SAMPLES.pdf());
        this.destroy(new Error('connection reset'));
      },
    });
    await assert.rejects(store.put(broken, limits), /connection reset/);
    assert.deepEqual(await readdir(path.join(dir, 'tmp')), []);
  });

  it('verifies a blob, and notices when its bytes change on disk', async () => {
    const bytes = Buffer.concat([SAMPLES.pdf(), Buffer.from('verify me')]);
    const { digest } = await store.put(bytes, limits);
    assert.equal(await store.verify(digest), true);
    const file = path.join(dir, digest.slice(0, 2), digest.slice(2, 4), digest);
    await chmod(file, 0o640);
    const damaged = Buffer.from(bytes);
    const last = damaged.length - 1;
    damaged.writeUInt8(damaged.readUInt8(last) ^ 1, last);
    await writeFile(file, damaged);
    assert.equal(await store.verify(digest), false);
  });

  it('replaces a damaged copy of a different size when the content comes again', async () => {
    const bytes = Buffer.concat([SAMPLES.pdf(), Buffer.from('heal me')]);
    const { digest } = await store.put(bytes, limits);
    const file = path.join(dir, digest.slice(0, 2), digest.slice(2, 4), digest);
    await chmod(file, 0o640);
    await truncate(file, 10);
    assert.equal(await store.verify(digest), false);
    await store.put(bytes, limits);
    assert.equal(await store.verify(digest), true);
  });

  it('keeps blobs readable by the server only', async () => {
    const { digest } = await store.put(Buffer.concat([SAMPLES.pdf(), Buffer.from('mode')]), limits);
    const s = await stat(path.join(dir, digest.slice(0, 2), digest.slice(2, 4), digest));
    assert.equal(s.mode & 0o777, 0o440);
  });

  it('answers not_found for a blob it does not have', async () => {
    const missing = sm3('never stored');
    assert.equal(await store.has(missing), false);
    assert.equal(await store.stat(missing), null);
    await assert.rejects(store.open(missing), refusedWith('not_found', 'files.not_found'));
    await assert.rejects(store.verify(missing), refusedWith('not_found', 'files.not_found'));
  });

  it('refuses anything but 64 lowercase hex digits as a digest, so no path leaves the store', async () => {
    const real = (await store.put(SAMPLES.gif(), limits)).digest;
    for (const bad of [
      '../../../../etc/passwd',
      `../${real.slice(3)}`,
      `${real.slice(0, 2)}/${real.slice(2, 4)}/${real.slice(6)}`,
      real.toUpperCase(),
      real.slice(1),
      `${real}/`,
      `${real}\0`,
      '',
    ]) {
      await assert.rejects(store.open(bad), refusedWith('invalid', 'files.bad_digest'), bad);
      await assert.rejects(store.has(bad), refusedWith('invalid', 'files.bad_digest'), bad);
      await assert.rejects(store.verify(bad), refusedWith('invalid', 'files.bad_digest'), bad);
    }
  });

  it('writes a blob too big to hold in memory through its temporary file, with the same checks', async () => {
    const pdf = Buffer.concat([SAMPLES.pdf(), Buffer.alloc(600 * 1024, 0x20)]);
    const chunks = Array.from({ length: Math.ceil(pdf.length / 65536) }, (_, i) =>
      pdf.subarray(i * 65536, (i + 1) * 65536),
    );
    const blob = await store.put(Readable.from(chunks), limits);
    assert.deepEqual(blob, { digest: sm3(pdf), size: pdf.length, mediaType: MEDIA_TYPES.pdf });
    assert.deepEqual(
      await readFile(path.join(dir, blob.digest.slice(0, 2), blob.digest.slice(2, 4), blob.digest)),
      pdf,
    );
    // a ZIP's type comes from its entries, read back from the temporary file
    const docx = buildZip({
      '[Content_Types].xml': '<Types/>',
      'word/document.xml': Buffer.alloc(400 * 1024, 0x41),
    });
    assert.equal((await store.put(docx, limits)).mediaType, MEDIA_TYPES.docx);
    await assert.rejects(
      store.put(Readable.from([docx.subarray(0, 300 * 1024), docx.subarray(300 * 1024)]), {
        ...limits,
        allowed: [MEDIA_TYPES.pdf, MEDIA_TYPES.zip],
      }),
      refusedWith('unsupported', 'files.type_not_allowed'),
    );
    assert.deepEqual(await readdir(path.join(dir, 'tmp')), []);
  });

  it('stores many blobs arriving at once, each in its place', async () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      Buffer.concat([SAMPLES.pdf(), Buffer.from(`at once ${i}`)]),
    );
    const blobs = await Promise.all(many.map((b) => store.put(b, limits)));
    for (const [i, blob] of blobs.entries()) {
      assert.equal(blob.digest, sm3(many[i]!));
      assert.equal(await store.verify(blob.digest), true);
    }
  });

  it('makes its folders again when they are removed behind its back', async () => {
    const own = await mkdtemp(path.join(os.tmpdir(), 'yiwang-blobs-'));
    try {
      const fresh = createLocalBlobStore(own);
      const small = Buffer.concat([SAMPLES.pdf(), Buffer.from('removed behind its back')]);
      const big = Buffer.concat([SAMPLES.pdf(), Buffer.alloc(300 * 1024, 0x20)]);
      await fresh.put(small, limits);
      await fresh.put(big, limits);
      for (const entry of await readdir(own)) await rm(path.join(own, entry), { recursive: true });
      assert.equal(await fresh.verify((await fresh.put(small, limits)).digest), true);
      assert.equal(await fresh.verify((await fresh.put(big, limits)).digest), true);
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });

  it('fails a write the filesystem refuses, leaving no temporary file', async () => {
    const bytes = Buffer.concat([SAMPLES.pdf(), Buffer.from('blocked')]);
    const digest = sm3(bytes);
    // a plain file where the blob's folder should be
    const folder = path.join(dir, digest.slice(0, 2), digest.slice(2, 4));
    await rm(folder, { recursive: true, force: true });
    await mkdir(path.dirname(folder), { recursive: true });
    await writeFile(folder, 'in the way');
    await assert.rejects(store.put(bytes, limits), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR');
    assert.deepEqual(await readdir(path.join(dir, 'tmp')), []);
    await rm(folder);
    assert.equal((await store.put(bytes, limits)).digest, digest);
  });

  it('sweeps temporary files left by a killed process, not those of uploads in progress', async () => {
    const tmp = path.join(dir, 'tmp');
    await writeFile(path.join(tmp, 'old.part'), 'x');
    await writeFile(path.join(tmp, 'new.part'), 'y');
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await utimes(path.join(tmp, 'old.part'), dayAgo, dayAgo);
    assert.equal(await store.removeStaleTemp(), 1);
    assert.deepEqual(await readdir(tmp), ['new.part']);
    await rm(path.join(tmp, 'new.part'));
  });
});

describe('formatBytes', () => {
  it('writes sizes the way a form shows them', () => {
    assert.equal(formatBytes(20 * 1024 * 1024), '20 MB');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(999), '999 B');
  });
});
