import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { h, type VNode } from 'preact';
import { loadConfig } from '../config/index.ts';
import { sm3 } from '../crypto/index.ts';
import { createHttpServer } from '../http/index.ts';
import { CsrfField, type SiteInfo } from '../pages/index.tsx';
import { createLocalBlobStore, type LocalBlobStore } from './blob-store.ts';
import { DEFAULT_ALLOWED_TYPES, MEDIA_TYPES } from './media-type.ts';
import { SAMPLES } from './sample-files.ts';
import { cleanFilename, readUpload } from './upload.ts';

const UPLOAD_LIMIT = 64 * 1024;

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer };

/** A multipart/form-data body, parts in the order given (as a browser sends a form's fields). */
function multipart(parts: Part[]) {
  const boundary = `----yiwang${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      'filename' in p
        ? `form-data; name="${p.name}"; filename="${p.filename}"`
        : `form-data; name="${p.name}"`;
    const type = 'filename' in p ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push('filename' in p ? p.content : Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const site: SiteInfo = {
  tenantId: '330000',
  name: '测试站',
  siteIdCode: '',
  icpNumber: '',
  policeFiling: '',
  sponsor: '',
  address: '',
  phone: '',
  email: '',
};

/** The HTTP kernel alone (no database), with a form page and two upload routes. */
async function uploadServer(store: LocalBlobStore): Promise<FastifyInstance> {
  const layout = (props: { page: { body: VNode } }) => h('main', null, props.page.body);
  const app = await createHttpServer({
    config: loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '100000',
      UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT),
    }),
    version: 'test',
    siteFor: async () => site,
    layouts: { portal: layout, workbench: layout },
    readiness: async () => [],
    errorPage: (status, message) => ({ area: 'portal', title: String(status), body: h('p', null, message) }),
  });
  app.get('/form', { config: { access: 'public' } }, async (_req, reply) =>
    reply.page({
      area: 'portal',
      title: 'upload',
      body: h('form', { method: 'post', enctype: 'multipart/form-data' }, h(CsrfField, null)) as VNode,
    }),
  );
  app.post('/upload', { config: { access: 'public' } }, async (req) =>
    readUpload(req, store, { maxBytes: 1024 * 1024, allowed: DEFAULT_ALLOWED_TYPES }),
  );
  app.post('/upload-small', { config: { access: 'public' } }, async (req) =>
    readUpload(req, store, { maxBytes: 1024, allowed: DEFAULT_ALLOWED_TYPES }),
  );
  await app.ready();
  return app;
}

describe('multipart uploads through the HTTP kernel', () => {
  let dir: string;
  let store: LocalBlobStore;
  let app: FastifyInstance;
  let csrf: { token: string; cookie: string };
  const blobCount = async () =>
    (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'yiwang-upload-'));
    store = createLocalBlobStore(dir);
    app = await uploadServer(store);
    const form = await app.inject({ url: '/form' });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    const cookie = form.cookies.find((c) => c.name === 'yw_csrf');
    assert.ok(token && cookie);
    csrf = { token, cookie: `yw_csrf=${cookie.value}` };
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (url: string, parts: Part[], headers: Record<string, string> = {}) => {
    const body = multipart(parts);
    return app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': body.contentType, cookie: csrf.cookie, ...headers },
      payload: body.payload,
    });
  };

  it('stores each file and returns its digest, size and sniffed type beside the text fields', async () => {
    const pdf = SAMPLES.pdf();
    const res = await post('/upload', [
      { name: '_csrf', value: csrf.token },
      { name: 'title', value: '营业执照变更' },
      { name: 'attachment', filename: '申请书.pdf', content: pdf },
      { name: 'attachment', filename: 'C:\\Users\\张三\\章程.docx', content: SAMPLES.docx() },
      { name: 'note', filename: '', content: Buffer.alloc(0) }, // a file input left empty
    ]);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(body.fields, { title: '营业执照变更' });
    assert.equal(body.files.length, 2);
    assert.deepEqual(body.files[0], {
      field: 'attachment',
      filename: '申请书.pdf',
      digest: sm3(pdf),
      size: pdf.length,
      mediaType: MEDIA_TYPES.pdf,
    });
    assert.equal(body.files[1].filename, '章程.docx', 'the path a browser may send is dropped');
    assert.equal(body.files[1].mediaType, MEDIA_TYPES.docx);
    assert.equal(await store.has(sm3(pdf)), true);
  });

  it('refuses a page form without the CSRF token, before storing anything', async () => {
    const before = await blobCount();
    const res = await post('/upload', [{ name: 'attachment', filename: 'x.png', content: SAMPLES.png() }], {
      accept: 'text/html',
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /表单已过期/);
    assert.equal(await blobCount(), before);
  });

  it('wants the token as the first field: after a file is too late', async () => {
    const res = await post('/upload', [
      { name: 'attachment', filename: 'x.png', content: SAMPLES.png() },
      { name: '_csrf', value: csrf.token },
    ]);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'errors.csrf');
  });

  it('refuses a wrong token, and a right token without its cookie', async () => {
    const parts = [
      { name: '_csrf', value: csrf.token },
      { name: 'attachment', filename: 'x.png', content: SAMPLES.png() },
    ];
    assert.equal((await post('/upload', [{ name: '_csrf', value: 'forged' }, parts[1]!])).statusCode, 403);
    assert.equal((await post('/upload', parts, { cookie: '' })).statusCode, 403);
  });

  it('takes the token from the X-CSRF-Token header (for scripts)', async () => {
    const res = await post('/upload', [{ name: 'attachment', filename: 'a.gif', content: SAMPLES.gif() }], {
      'x-csrf-token': csrf.token,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().files[0].mediaType, MEDIA_TYPES.gif);
    const forged = await post('/upload', [{ name: 'a', value: 'b' }], { 'x-csrf-token': 'forged' });
    assert.equal(forged.statusCode, 403);
  });

  it('answers 415 with the field for a program renamed to .pdf', async () => {
    const res = await post('/upload', [
      { name: '_csrf', value: csrf.token },
      { name: 'attachment', filename: '申请书.pdf', content: SAMPLES.exe() },
    ]);
    assert.equal(res.statusCode, 415);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const problem = res.json();
    assert.equal(problem.code, 'files.type_not_allowed');
    assert.deepEqual(
      problem.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['attachment', 'files.type_not_allowed']],
    );
    assert.match(problem.detail, /EXE/);
  });

  it('answers 413 with the field for a file over UPLOAD_LIMIT_BYTES, leaving no temporary file', async () => {
    const big = Buffer.concat([SAMPLES.pdf(), Buffer.alloc(UPLOAD_LIMIT * 2, 0x20)]);
    const res = await post(
      '/upload',
      [
        { name: '_csrf', value: csrf.token },
        { name: 'scan', filename: 'big.pdf', content: big },
      ],
      { 'accept-language': 'en' },
    );
    assert.equal(res.statusCode, 413);
    const problem = res.json();
    assert.equal(problem.code, 'files.too_large');
    assert.equal(problem.errors[0].field, 'scan');
    assert.match(problem.detail, /64 KB/);
    assert.deepEqual(await readdir(path.join(dir, 'tmp')), []);
  });

  it("answers 413 at a route's own smaller limit", async () => {
    const res = await post('/upload-small', [
      { name: '_csrf', value: csrf.token },
      { name: 'scan', filename: 'a.pdf', content: Buffer.concat([SAMPLES.pdf(), Buffer.alloc(2000, 0x20)]) },
    ]);
    assert.equal(res.statusCode, 413);
    assert.match(res.json().detail, /1 KB/);
  });

  it('refuses a request that is not multipart', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().code, 'files.not_multipart');
  });

  it('answers 413 while a huge upload is still arriving, without reading it all', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const boundary = 'yiwangbigupload';
    const total = 256 * UPLOAD_LIMIT; // 16 MiB, sent in 64 KiB pieces
    const result = await new Promise<{ status: number; sent: number; connection: unknown }>(
      (resolve, reject) => {
        let sent = 0;
        let answered = false;
        const req = http.request({
          port,
          method: 'POST',
          path: '/upload',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: csrf.cookie },
        });
        req.on('response', (res) => {
          answered = true;
          res.resume();
          resolve({ status: res.statusCode ?? 0, sent, connection: res.headers.connection });
          req.destroy();
        });
        req.on('error', (e) => (answered ? undefined : reject(e)));
        req.write(
          `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf.token}\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="scan"; filename="big.pdf"\r\n` +
            'Content-Type: application/pdf\r\n\r\n',
        );
        req.write(SAMPLES.pdf());
        const piece = Buffer.alloc(UPLOAD_LIMIT, 0x20);
        const pump = () => {
          while (!answered && sent < total) {
            sent += piece.length;
            if (!req.write(piece)) return void req.once('drain', pump);
          }
          if (!answered) req.end(`\r\n--${boundary}--\r\n`);
        };
        pump();
      },
    );
    assert.equal(result.status, 413);
    assert.ok(result.sent < total, `the server answered only after all ${total} bytes`);
    assert.equal(result.connection, 'close', 'the rest of the upload is not waited for');
    assert.deepEqual(await readdir(path.join(dir, 'tmp')), []);
  });
});

describe('cleanFilename', () => {
  it('keeps a readable name and drops what could mislead or escape', () => {
    assert.equal(cleanFilename('申请书.pdf'), '申请书.pdf');
    assert.equal(cleanFilename('invoice\u202Efdp.exe'), 'invoicefdp.exe');
    assert.equal(cleanFilename('a/b\\c\u0000.txt'), 'a_b_c.txt');
    assert.equal(cleanFilename('  '), 'file');
    assert.equal([...cleanFilename('长'.repeat(300))].length, 255);
  });
});
