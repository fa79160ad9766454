// @ts-check
/**
 * The blob store's writer thread: makes small blobs durable off the main thread. Plain JavaScript, since
 * a worker thread does not inherit the TypeScript loader the server runs under.
 *
 * Each message is one blob whose bytes and digest the main thread already has: it is written to its
 * temporary file, flushed, closed and renamed into place with synchronous calls (one wake-up of this
 * thread instead of eight trips through the libuv pool). The directories renamed into are flushed once
 * for every blob that arrived in the same turn of this thread's loop (group commit), then each blob is
 * answered: only then is its rename durable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate } from 'node:timers';
import { parentPort } from 'node:worker_threads';

/** @typedef {{ id: number, tmp: string, target: string, bytes: Uint8Array, fileMode: number, dirMode: number }} Job */

const port = parentPort;
if (!port) throw new Error('blob-writer.worker.js runs as a worker thread');

/** @type {number[]} written, waiting for their directory's flush */
let done = [];
/** @type {Set<string>} */
const dirs = new Set();
let flushing = false;

port.on('message', (/** @type {Job} */ job) => {
  try {
    write(job);
    done.push(job.id);
    dirs.add(path.dirname(job.target));
  } catch (e) {
    const err = /** @type {NodeJS.ErrnoException} */ (e);
    port.postMessage({ id: job.id, error: { message: err.message, code: err.code } });
    return;
  }
  if (!flushing) {
    flushing = true;
    setImmediate(flush);
  }
});

/** @param {Job} job */
function write(job) {
  const fd = retryingMissingDir(path.dirname(job.tmp), job.dirMode, () =>
    fs.openSync(job.tmp, 'wx', job.fileMode),
  );
  let renamed = false;
  try {
    try {
      for (let written = 0; written < job.bytes.length;)
        written += fs.writeSync(fd, job.bytes, written, job.bytes.length - written);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // The same content already stored (dedup) is renamed over: rename is atomic, readers see one copy or
    // the other, and a damaged copy is replaced on the way.
    retryingMissingDir(path.dirname(job.target), job.dirMode, () => fs.renameSync(job.tmp, job.target));
    renamed = true;
  } finally {
    if (!renamed) fs.rmSync(job.tmp, { force: true });
  }
}

/**
 * Runs op, making dir first when it is missing (made once: the next blob into it finds it there).
 * @template T
 * @param {string} dir
 * @param {number} mode
 * @param {() => T} op
 * @returns {T}
 */
function retryingMissingDir(dir, mode, op) {
  try {
    return op();
  } catch (e) {
    if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'ENOENT') throw e;
    fs.mkdirSync(dir, { recursive: true, mode });
    return op();
  }
}

function flush() {
  flushing = false;
  // Best effort, as on the main thread: not every platform can open a directory.
  for (const dir of dirs) {
    try {
      const d = fs.openSync(dir, 'r');
      try {
        fs.fsyncSync(d);
      } finally {
        fs.closeSync(d);
      }
    } catch {
      // a directory that cannot be flushed leaves the rename as durable as the filesystem makes it
    }
  }
  dirs.clear();
  const ids = done;
  done = [];
  port?.postMessage({ ids });
}
