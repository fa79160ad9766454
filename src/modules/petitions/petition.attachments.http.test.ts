/**
 * Materials sent with a petition, over HTTP and in the page's form, on the whole application with the
 * demo region: up to five JPEG/PNG/PDF files of at most 5 MB, the type read from the bytes; a wrong
 * type, a file too large or a sixth refused beside the attachments field with the limit, nothing
 * written; the case opens with them; only the petitioner and the staff handling it download them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { SAMPLES } from '../../kernel/files/sample-files.ts';
import type { Part } from '../../../test/support/multipart.ts';
import { PERSON, petitionForm, petitionJson, postMultipart } from './petitions.fixtures.ts';

interface Attachment {
  n: number;
  filename: string;
  size: number;
  mediaType: string;
  href: string;
}
interface PetitionJson {
  id: string;
  status: string;
  attachments: Attachment[];
  petition: { caseNumber: string | null };
}
interface ProblemJson {
  code: string;
  errors: { field: string; code: string; message: string }[];
}

const MB5 = 5 * 1024 * 1024;
/** A JPEG one byte past the limit: its head says JPEG, its size says no. */
const tooBig = () => Buffer.concat([SAMPLES.jpeg(), Buffer.alloc(MB5 + 1 - SAMPLES.jpeg().length)]);

describe('petitions: attachments (证明材料) over HTTP and in the form', () => {
  let y: TestApp;
  const cookies: Record<string, string> = {};
  const get = (who: string | null, url: string) =>
    y.app.inject({ method: 'GET', url, headers: who ? { cookie: cookies[who]! } : {} });
  const api = (who: string, parts: Part[]) =>
    postMultipart(y, cookies[who]!, '/api/v1/petitions', parts, { api: true });
  const data = (over: Record<string, unknown> = {}): Part => ({
    name: 'data',
    content: JSON.stringify(petitionJson(over)),
  });
  const count = async () =>
    Number(
      (
        await y.db.kysely
          .selectFrom('petitions.petition')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    y = await createTestApp({ seed: true });
    cookies.person = await signIn(y, PERSON.username, PERSON.password);
    cookies.office = await signIn(y, 'demo.petition', 'Demo#2026petition');
    cookies.xihu = await signIn(y, 'demo.xihu', 'Demo#2026xihu');
    cookies.moderator = await signIn(y, 'demo.moderator', 'Demo#2026moderator');
    cookies.civil = (
      await signInStaff(y, { roles: ['handler'], divisionCode: '330106', departmentName: '西湖区民政局' })
    ).cookie;
  });
  after(() => y.drop());

  it('takes JPEG, PNG and PDF files with a petition (multipart); the case opens with them; only the petitioner and the staff handling it download them', async () => {
    const res = await api('person', [
      data({ matter: '小区绿地被占用停车', facts: '物业将中心绿地改为收费停车位，现场照片和通知见附件。' }),
      { name: 'attachments', filename: '现场.jpg', content: SAMPLES.jpeg() },
      { name: 'attachments', filename: '物业通知.pdf', content: SAMPLES.pdf() },
      // No extension: the type read from the bytes names it.
      { name: 'attachments', filename: '照片', content: SAMPLES.png() },
    ]);
    assert.equal(res.statusCode, 201, res.body);
    const p = res.json() as PetitionJson;
    assert.deepEqual(
      p.attachments.map((a) => [a.n, a.filename, a.mediaType]),
      [
        [1, '现场.jpg', 'image/jpeg'],
        [2, '物业通知.pdf', 'application/pdf'],
        [3, '照片.png', 'image/png'],
      ],
    );
    // The case has them, for the handlers on the case page.
    const kase = await y.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${p.petition.caseNumber}`,
      headers: { cookie: cookies.office! },
    });
    assert.equal(kase.statusCode, 200, kase.body);
    const events = (kase.json() as { events: { type: string; filename?: string }[] }).events;
    assert.deepEqual(
      events.filter((e) => e.type === 'attachment.added').map((e) => e.filename),
      ['现场.jpg', '物业通知.pdf', '照片.png'],
    );

    const href = p.attachments[1]!.href;
    assert.equal(href, `/api/v1/petitions/${p.id}/attachments/2`);
    for (const who of ['person', 'office', 'xihu']) {
      const file = await get(who, href);
      assert.equal(file.statusCode, 200, `${who}: ${file.body}`);
      assert.equal(file.headers['content-type'], 'application/pdf');
      assert.equal(file.headers['cache-control'], 'private, no-store');
      assert.match(String(file.headers['content-disposition']), /filename\*=UTF-8''%E7%89%A9/);
      assert.deepEqual(file.rawPayload, SAMPLES.pdf());
    }
    // Another department, a moderator, another number: as if there were nothing.
    for (const who of ['civil', 'moderator']) assert.equal((await get(who, href)).statusCode, 404, who);
    assert.equal((await get('person', `/api/v1/petitions/${p.id}/attachments/4`)).statusCode, 404);
    assert.equal((await get(null, href)).statusCode, 401);
    const audited = await y.db.kysely
      .selectFrom('audit.entry')
      .select('actor_id')
      .where('action', '=', 'petitions.attachment_downloaded')
      .where('object_id', '=', p.id)
      .execute();
    assert.equal(audited.length, 3);
    // Listed on the petitioner's page and the office's, each linking its download.
    const mine = await y.app.inject({
      method: 'GET',
      url: `/account/petitions/${p.id}`,
      headers: { cookie: cookies.person!, accept: 'text/html' },
    });
    assert.match(mine.body, new RegExp(`href="${href}"[^>]*>物业通知\\.pdf</a>`));
    const staffPage = await y.app.inject({
      method: 'GET',
      url: `/workbench/petitions/${p.id}`,
      headers: { cookie: cookies.office!, accept: 'text/html' },
    });
    assert.ok(staffPage.body.includes(href));
  });

  it('refuses a file of another type, one too large and a sixth beside the attachments field with the limit, writing nothing', async () => {
    const before_ = await count();
    // A program named 证据.pdf, with the text's own problem: every problem at once.
    const exe = await api('person', [
      data({ matter: '' }),
      { name: 'attachments', filename: '现场.jpg', content: SAMPLES.jpeg() },
      { name: 'attachments', filename: '证据.pdf', content: SAMPLES.exe() },
    ]);
    assert.equal(exe.statusCode, 400, exe.body);
    const typeProblem = exe.json() as ProblemJson;
    assert.deepEqual(
      typeProblem.errors.map((e) => `${e.field} ${e.code}`),
      ['matter errors.field_required', 'attachments petitions.attachments.type'],
    );
    assert.match(typeProblem.errors[1]!.message, /证据\.pdf.*EXE.*JPEG\/PNG\/PDF/);

    // The petition after the refused file: the reading goes on past it.
    const large = await api('person', [
      { name: 'attachments', filename: '大图.jpg', content: tooBig() },
      data(),
    ]);
    assert.equal(large.statusCode, 400, large.body);
    const sizeProblem = (large.json() as ProblemJson).errors;
    assert.deepEqual(
      sizeProblem.map((e) => `${e.field} ${e.code}`),
      ['attachments petitions.attachments.too_large'],
    );
    assert.match(sizeProblem[0]!.message, /5 MB/);

    const six = await api('person', [
      data(),
      ...Array.from({ length: 6 }, (_, i) => ({
        name: 'attachments',
        filename: `照片${i + 1}.png`,
        content: SAMPLES.png(),
      })),
    ]);
    assert.equal(six.statusCode, 400, six.body);
    const manyProblem = (six.json() as ProblemJson).errors;
    assert.deepEqual(
      manyProblem.map((e) => `${e.field} ${e.code}`),
      ['attachments petitions.attachments.too_many'],
    );
    assert.match(manyProblem[0]!.message, /5 个/);

    // A `data` that is not the petition's JSON, and a file in a part the API does not know.
    const noJson = await api('person', [
      { name: 'data', content: '{not json' },
      { name: 'evidence', filename: 'a.png', content: SAMPLES.png() },
    ]);
    assert.equal(noJson.statusCode, 400, noJson.body);
    assert.deepEqual(
      (noJson.json() as ProblemJson).errors.map((e) => e.field),
      ['evidence', 'data'],
    );
    const extra = await api('person', [{ name: 'data', content: JSON.stringify({ status: 'answered' }) }]);
    assert.equal(extra.statusCode, 400, extra.body);
    assert.equal(await count(), before_);
  });

  it('takes the files in the page’s form: a wrong one is shown beside the field with the limit and what was typed stays; then filed with them', async () => {
    const before_ = await count();
    const fields = (over: Record<string, string> = {}): Part[] =>
      Object.entries(petitionForm(over)).map(([name, content]) => ({ name, content }));
    const wrong = await postMultipart(y, cookies.person!, '/petitions/new', [
      ...fields(),
      { name: 'attachments', filename: '动图.gif', content: SAMPLES.gif() },
    ]);
    assert.equal(wrong.statusCode, 400, wrong.body);
    assert.match(
      wrong.body,
      /id="field-attachments-error"[^>]*>动图\.gif：不接受此类文件（按内容识别为 GIF），只能上传 JPEG\/PNG\/PDF 文件。/,
    );
    assert.match(wrong.body, /<a href="#field-attachments">/);
    assert.match(
      wrong.body,
      /id="field-attachments"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="field-attachments"/,
    );
    assert.match(wrong.body, /刚才选择的 1 个文件没有保存，请重新选择/);
    assert.match(wrong.body, /value="小区垃圾清运不及时"/, 'what was typed stays');
    assert.match(wrong.body, /<option value="330106002"[^>]*selected/, 'the place stays picked');
    assert.match(wrong.body, /enctype="multipart\/form-data"/);
    assert.equal(await count(), before_);

    // 选择下一级 with a file chosen: the next level opens, the file is to be chosen again, nothing written.
    const pick = await postMultipart(y, cookies.person!, '/petitions/new', [
      { name: 'place/1', content: '330100' },
      { name: '_pick', content: 'place' },
      { name: 'attachments', filename: '现场.jpg', content: SAMPLES.jpeg() },
    ]);
    assert.equal(pick.statusCode, 200, pick.body);
    assert.match(pick.body, /name="place\/2"/);
    assert.match(pick.body, /刚才选择的 1 个文件没有保存/);
    assert.equal(await count(), before_);

    const done = await postMultipart(y, cookies.person!, '/petitions/new', [
      ...fields({ matter: '垃圾房紧贴住宅窗户' }),
      { name: 'attachments', filename: '垃圾房.png', content: SAMPLES.png() },
      // A file input left empty sends an empty part: not a file.
      { name: 'attachments', filename: '', content: '' },
    ]);
    assert.equal(done.statusCode, 303, done.body);
    const shown = await y.app.inject({
      method: 'GET',
      url: String(done.headers.location),
      headers: { cookie: cookies.person!, accept: 'text/html' },
    });
    assert.match(shown.body, />垃圾房\.png<\/a> <span class="muted">PNG · /);
    assert.equal(await count(), before_ + 1);
  });
});
