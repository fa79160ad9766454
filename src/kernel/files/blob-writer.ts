/**
 * The main thread's end of the blob writer thread (blob-writer.worker.js), one per process and shared
 * by every store in it: a small blob is handed over whole and comes back durable in its place.
 *
 * Why a thread: a small blob written through the libuv pool costs some eight calls (open, write, fsync,
 * close, rename, and the directory's open, fsync, close), each a wake-up of a pool thread and of the
 * event loop; under a burst of uploads these took a sixth of the server's main thread (profiled with
 * the services benchmark: 0.6 ms per application with three files). Handing the bytes over is one
 * message each way, and the thread flushes a directory once for all the blobs renamed into it at once.
 */
import { Worker } from 'node:worker_threads';

export interface BlobWrite {
  /** the temporary file to write, in a directory of the same filesystem as the target */
  tmp: string;
  target: string;
  chunks: readonly Buffer[];
  fileMode: number;
  dirMode: number;
}

interface Waiting {
  resolve: () => void;
  reject: (e: Error) => void;
}

type Reply = { ids: number[] } | { id: number; error: { message: string; code?: string } };

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, Waiting>();

/** Writes the blob to its temporary file, flushes it and renames it into place, its directory flushed. */
export function writeBlob(job: BlobWrite): Promise<void> {
  const thread = worker ?? start();
  const id = nextId++;
  // Referenced only while something waits: an idle writer never keeps a process (a CLI run) alive.
  if (waiting.size === 0) thread.ref();
  // One buffer of the blob's own, moved to the thread rather than copied: posting a Buffer would copy
  // all the memory behind it (a socket's read buffer, the allocation pool), not just its bytes.
  const bytes = new Uint8Array(job.chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of job.chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    const { tmp, target, fileMode, dirMode } = job;
    thread.postMessage({ id, tmp, target, bytes, fileMode, dirMode }, [bytes.buffer]);
  });
}

function start(): Worker {
  const thread = new Worker(new URL('./blob-writer.worker.js', import.meta.url));
  thread.unref();
  thread.on('message', (reply: Reply) => {
    if ('ids' in reply) for (const id of reply.ids) settle(id)?.resolve();
    else settle(reply.id)?.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
  });
  // A thread that dies fails what it was given (those blobs may or may not be in place: callers treat
  // them as not stored) and the next write starts another.
  const fail = (e: Error) => {
    if (worker !== thread) return;
    worker = null;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  thread.on('error', fail);
  thread.on('exit', (code) => fail(new Error(`the blob writer thread exited with code ${code}`)));
  worker = thread;
  return thread;
}

function settle(id: number): Waiting | undefined {
  const w = waiting.get(id);
  waiting.delete(id);
  if (waiting.size === 0) worker?.unref();
  return w;
}
