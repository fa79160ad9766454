import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { MULTIPART, multipartBody, type Part } from '../../../test/support/multipart.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { SAMPLES } from '../../kernel/files/sample-files.ts';
import { translator } from '../../kernel/i18n/index.ts';

const zh = translator('zh-CN');
const HTML = { accept: 'text/html,application/xhtml+xml' };
const TENANT = '330000';
const MB = 1024 * 1024;

interface AttachmentJson {
  digest: string;
  filename: string;
  size: number;
  mediaType: string;
}
interface LetterJson {
  id: string;
  status: string;
  caseNumber: string | null;
  attachments: AttachmentJson[];
}
interface Problem {
  errors: { field: string; code: string; message: string }[];
}

describe('letters: attachments (附件)', () => {
  let y: TestApp;
  let citizen = '';
  let company = '';
  let office = ''; // 浙江省人民政府办公厅: answers the 省长信箱
  let moderator = '';
  let otherHandler = ''; // 杭州市人民政府办公厅
  let mailbox = 0;

  const fields = (over: Record<string, string> = {}): Part[] =>
    Object.entries({
      kind: 'leader',
      mailboxId: String(mailbox),
      title: '小区门口的井盖破损',
      body: '小区南门外的井盖破了一个角，晚上看不清，附上照片和物业的回复，请尽快处理。',
      phone: '13812345678',
      mayPublish: 'true',
      ...over,
    }).map(([name, content]) => ({ name, content }));
  const file = (filename: string, content: Buffer): Part => ({ name: 'attachments', filename, content });

  /** A multipart POST as a browser or a script sends it: the CSRF token first (or as a header). */
  const multipart = async (cookie: string, url: string, parts: Part[], tokenAs: 'field' | 'header') => {
    const form = await y.app.inject({ method: 'GET', url: '/letters/new', headers: { ...HTML, cookie } });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const csrf = [form.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith('yw_csrf='))
      ?.split(';')[0];
    const all = tokenAs === 'field' ? [{ name: '_csrf', content: token }, ...parts] : parts;
    const body = multipartBody(all);
    return y.app.inject({
      method: 'POST',
      url,
      headers: {
        ...(tokenAs === 'field' ? HTML : { 'x-csrf-token': token }),
        cookie: csrf ? `${cookie}; ${csrf}` : cookie,
        'content-type': MULTIPART,
      },
      payload: body,
    });
  };
  const post = (cookie: string, parts: Part[]) => multipart(cookie, '/api/v1/letters', parts, 'header');
  const get = (url: string, cookie: string, headers: Record<string, string> = {}) =>
    y.app.inject({ method: 'GET', url, headers: { ...headers, ...(cookie ? { cookie } : {}) } });
  const download = (l: { id: string }, a: { digest: string }, cookie: string) =>
    get(`/api/v1/letters/${l.id}/attachments/${a.digest}`, cookie);
  const counts = async () =>
    (
      await sql<{ letters: number; cases: number }>`select
        (select count(*)::int from letters.letter) as letters,
        (select count(*)::int from workflow.case) as cases`.execute(y.db.kysely)
    ).rows[0]!;
  const caseFiles = async (number: string) =>
    (await y.workflow.cases.get(systemContext(TENANT), number)).events.flatMap((e) =>
      e.type === 'attachment.added' ? [`${e.filename}:${e.mediaType}`] : [],
    );
  const jpeg = (bytes: number) => {
    const b = Buffer.alloc(bytes, 0x20);
    SAMPLES.jpeg().copy(b);
    return b;
  };

  before(async () => {
    y = await createTestApp({ seed: true });
    citizen = await signIn(y, 'demo.citizen', 'Demo#2026citizen');
    company = await signIn(y, 'demo.company', 'Demo#2026company');
    office = await signIn(y, 'demo.disclosure', 'Demo#2026disclosure');
    moderator = await signIn(y, 'demo.moderator', 'Demo#2026moderator');
    otherHandler = (
      await signInStaff(y, {
        roles: ['handler'],
        divisionCode: '330100',
        departmentName: '杭州市人民政府办公厅',
      })
    ).cookie;
    const addressees = (await get('/api/v1/letters/addressees', '')).json() as {
      mailboxes: { id: number; name: string }[];
    };
    mailbox = addressees.mailboxes.find((m) => m.name === '省长信箱')!.id;
  });
  after(() => y.drop());

  it('takes 3 files with a letter, passes them to its case, and lets only the writer and the department download them', async () => {
    const res = await post(citizen, [
      ...fields(),
      file('井盖.jpg', jpeg(3000)),
      file('照片', SAMPLES.png()),
      file('物业回复.PDF', SAMPLES.pdf()),
    ]);
    assert.equal(res.statusCode, 201, res.body);
    const l = res.json() as LetterJson;
    assert.deepEqual(
      l.attachments.map((a) => `${a.filename}:${a.mediaType}:${a.size}`),
      [
        '井盖.jpg:image/jpeg:3000',
        `照片.png:image/png:${SAMPLES.png().length}`,
        `物业回复.PDF:application/pdf:${SAMPLES.pdf().length}`,
      ],
      'an extension is added to a name without one',
    );
    assert.deepEqual(await caseFiles(l.caseNumber!), [
      '井盖.jpg:image/jpeg',
      '照片.png:image/png',
      '物业回复.PDF:application/pdf',
    ]);

    const pdf = l.attachments[2]!;
    const mine = await download(l, pdf, citizen);
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.headers['content-type'], 'application/pdf');
    assert.match(String(mine.headers['content-disposition']), /^attachment; .*filename\*=UTF-8''/);
    assert.deepEqual(mine.rawPayload, SAMPLES.pdf());
    assert.equal((await download(l, pdf, office)).statusCode, 200);
    // Another department's handler, another writer: as if there were no such file. No one signed in: 401.
    assert.equal((await download(l, pdf, otherHandler)).statusCode, 404);
    assert.equal((await download(l, pdf, company)).statusCode, 404);
    assert.equal((await download(l, pdf, moderator)).statusCode, 403);
    assert.equal((await download(l, pdf, '')).statusCode, 401);
    assert.equal((await download(l, { digest: 'a'.repeat(64) }, citizen)).statusCode, 404);
    const downloads = await sql<{ n: number }>`select count(*)::int as n from audit.entry
      where action = 'letters.attachment_downloaded' and object_id = ${l.id}`.execute(y.db.kysely);
    assert.equal(downloads.rows[0]!.n, 2);

    // On the writer's page and the department's, as download links; the case page lists them too.
    const link = `/api/v1/letters/${l.id}/attachments/${pdf.digest}`;
    assert.ok((await get(`/account/letters/${l.id}`, citizen, HTML)).body.includes(link));
    const staffPage = await get(`/workbench/letters/${l.id}`, office, HTML);
    assert.ok(staffPage.body.includes(link) && staffPage.body.includes('物业回复.PDF'));
    assert.ok((await get(`/workbench/cases/${l.caseNumber}`, office, HTML)).body.includes('物业回复.PDF'));

    // Published, the letter shows none of them.
    const replied = await y.app.inject({
      method: 'POST',
      url: `/api/v1/letters/${l.id}/reply`,
      headers: { cookie: office },
      payload: { reply: '已安排更换井盖。', publish: true },
    });
    assert.equal(replied.statusCode, 200, replied.body);
    const published = await get(`/api/v1/letters/published/${l.id}`, '');
    assert.equal(published.statusCode, 200);
    assert.ok(!('attachments' in published.json()));
    const portal = await get(`/letters/${l.id}`, '', HTML);
    assert.equal(portal.statusCode, 200);
    assert.ok(!portal.body.includes('物业回复') && !portal.body.includes(pdf.digest));
  });

  it('refuses a file whose name and bytes disagree, a 4th file, one over 5 MB, a program; nothing written', async () => {
    const before = await counts();
    const refusal = async (parts: Part[]) => {
      const res = await post(citizen, [...fields(), ...parts]);
      assert.equal(res.statusCode, 400, res.body);
      return (res.json() as Problem).errors;
    };

    const [mismatch] = await refusal([file('身份证明.pdf', SAMPLES.png())]);
    assert.deepEqual([mismatch!.field, mismatch!.code], ['attachments', 'letters.attachments.mismatch']);
    assert.match(mismatch!.message, /身份证明\.pdf.*PDF.*PNG/);
    const [many] = await refusal([
      file('1.png', SAMPLES.png()),
      file('2.png', SAMPLES.png()),
      file('3.pdf', SAMPLES.pdf()),
      file('4.jpg', SAMPLES.jpeg()),
    ]);
    assert.deepEqual([many!.field, many!.code], ['attachments', 'letters.attachments.too_many']);
    assert.match(many!.message, /最多 3 个/);
    const [large] = await refusal([file('大照片.jpg', jpeg(5 * MB + 1))]);
    assert.deepEqual([large!.field, large!.code], ['attachments', 'letters.attachments.too_large']);
    assert.match(large!.message, /大照片\.jpg.*5 MB/);
    assert.equal((await post(citizen, [...fields(), file('刚好.jpg', jpeg(5 * MB))])).statusCode, 201);
    const after5mb = await counts();
    const [program] = await refusal([file('照片.png', SAMPLES.exe())]);
    assert.equal(program!.code, 'letters.attachments.type');
    assert.match(program!.message, /照片\.png.*JPEG\/PNG\/PDF/);
    const [word] = await refusal([file('说明.docx', SAMPLES.docx())]);
    assert.equal(word!.code, 'letters.attachments.type');
    const [gif] = await refusal([file('动图', SAMPLES.gif())]);
    assert.equal(gif!.code, 'letters.attachments.type');
    const [stray] = await refusal([{ name: 'photo', filename: 'a.png', content: SAMPLES.png() }]);
    assert.deepEqual([stray!.field, stray!.code], ['photo', 'letters.attachments.part_unknown']);
    // With the letter's own problems, all at once.
    const both = await post(citizen, [...fields({ title: '' }), file('身份证明.pdf', SAMPLES.png())]);
    assert.equal(both.statusCode, 400);
    assert.deepEqual(
      (both.json() as Problem).errors.map((e) => `${e.field}:${e.code}`),
      ['title:letters.title.required', 'attachments:letters.attachments.mismatch'],
    );
    assert.deepEqual(await counts(), after5mb);
    assert.equal(after5mb.letters, before.letters + 1);
  });

  it('takes files through the page form, and keeps what was typed when a file is refused', async () => {
    const form = await get('/letters/new', citizen, HTML);
    assert.match(form.body, /<form method="post" action="\/letters\/new" enctype="multipart\/form-data"/);
    assert.match(form.body, /<input id="field-attachments" name="attachments" type="file" multiple/);

    const refused = await multipart(
      citizen,
      '/letters/new',
      [...fields({ mayPublish: '1' }), file('大照片.jpg', jpeg(5 * MB + 10))],
      'field',
    );
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<p class="error-message" id="field-attachments-error">[^<]*5 MB/);
    assert.ok(refused.body.includes('value="小区门口的井盖破损"'), 'the title kept');
    assert.ok(refused.body.includes('附上照片和物业的回复'), 'the letter kept');
    assert.ok(
      refused.body.includes(zh('letters.attachments.too_large', { name: '大照片.jpg', size: '5 MB' })),
    );

    const sent = await multipart(
      citizen,
      '/letters/new',
      [...fields({ mayPublish: '1' }), file('现场.png', SAMPLES.png())],
      'field',
    );
    assert.equal(sent.statusCode, 303, sent.body);
    const url = String(sent.headers.location);
    assert.match(url, /^\/account\/letters\/[A-Za-z0-9_-]+\?written=1$/);
    const mine = await get(url, citizen, HTML);
    assert.ok(mine.body.includes('现场.png'));
  });

  it('keeps a held letter’s files until its release; then they go to its case', async () => {
    const res = await post(citizen, [
      ...fields({ body: '这封信里有 测 试 敏感词，附件是现场照片，请处理。' }),
      file('现场.jpg', SAMPLES.jpeg()),
    ]);
    assert.equal(res.statusCode, 202, res.body);
    const l = res.json() as LetterJson;
    assert.deepEqual([l.status, l.attachments.length], ['held', 1]);
    assert.equal((await download(l, l.attachments[0]!, citizen)).statusCode, 200);
    assert.equal((await download(l, l.attachments[0]!, office)).statusCode, 404);

    const released = await y.app.inject({
      method: 'POST',
      url: `/api/v1/moderation/held/letters/${l.id}/release`,
      headers: { cookie: moderator },
    });
    assert.equal(released.statusCode, 204, released.body);
    const now = (await get(`/api/v1/letters/${l.id}`, citizen)).json() as LetterJson;
    assert.equal(now.status, 'open');
    assert.deepEqual(await caseFiles(now.caseNumber!), ['现场.jpg:image/jpeg']);
    assert.equal((await download(l, l.attachments[0]!, office)).statusCode, 200);
  });

  it('still takes a letter as JSON, without files', async () => {
    const res = await y.app.inject({
      method: 'POST',
      url: '/api/v1/letters',
      headers: { cookie: citizen },
      payload: {
        kind: 'leader',
        mailboxId: mailbox,
        title: '没有附件的来信',
        body: '这封来信没有附件，只有文字内容，测试 JSON 方式提交。',
        phone: '13812345678',
        mayPublish: false,
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual((res.json() as LetterJson).attachments, []);
  });
});
