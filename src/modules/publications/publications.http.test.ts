import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn, signInStaff } from '../../../test/support/staff.ts';
import { renderPdf } from '../../kernel/pdf/index.ts';
import { DEMO_STAFF } from '../../app.ts';

const BODY = `<p>为进一步做好最低生活保障工作，现将有关事项通知如下。</p>
<h1>一、保障对象</h1><p onclick="steal()">共同生活的家庭成员人均收入低于当地低保标准的城乡居民。</p>
<script>alert(1)</script><p><a href="javascript:alert(2)">详情</a></p>
<table><tr><th>区县</th><th>标准（元/月）</th></tr><tr><td>西湖区</td><td>1280</td></tr></table>`;

interface Pub {
  id: number;
  status: string;
  indexNumber: string | null;
  bodyHtml: string;
  reviewCase: string | null;
  reviewNote: string;
  validity: string;
  replacedBy: { id: number; title: string } | null;
  attachments: { position: number; url: string }[];
}

describe('publications over HTTP: draft, review on the workflow, publish, search, feeds', () => {
  let y: TestApp;
  const cookies: Record<string, string> = {};
  const api = (
    who: string | null,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    y.app.inject({
      method,
      url,
      headers: who ? { cookie: cookies[who]! } : {},
      ...(payload ? { payload } : {}),
    });
  const draft = (overrides: Record<string, unknown> = {}) => ({
    category: 'notices',
    title: '关于调整最低生活保障标准的通知',
    indexNumber: '',
    issuingBody: '',
    writtenOn: '2026-11-20',
    docNumber: '西民〔2026〕18号',
    subject: '社会保障',
    bodyHtml: BODY,
    publishAt: null,
    ...overrides,
  });
  /** The head acts on the open review task of a publication's case. */
  const review = async (pub: Pub, action: 'approve' | 'return', opinion = '同意发布') => {
    const kase = (await api('head', 'GET', `/api/v1/cases/${pub.reviewCase}`)).json() as {
      tasks: { no: number; status: string }[];
    };
    const task = kase.tasks.find((t) => t.status === 'open')!;
    const r = await api('head', 'POST', `/api/v1/cases/${pub.reviewCase}/actions`, {
      action: 'step',
      task: task.no,
      name: action,
      input: { opinion },
    });
    assert.equal(r.statusCode, 200, r.body);
  };
  const publish = async (overrides: Record<string, unknown> = {}) => {
    const made = await api('publisher', 'POST', '/api/v1/publications', draft(overrides));
    assert.equal(made.statusCode, 201, made.body);
    const id = (made.json() as { publication: Pub }).publication.id;
    const sent = await api('publisher', 'POST', `/api/v1/publications/${id}/submission`);
    assert.equal(sent.statusCode, 200, sent.body);
    await review(sent.json() as Pub, 'approve');
    return (await api('publisher', 'GET', `/api/v1/publications/${id}`)).json() as Pub;
  };

  before(async () => {
    y = await createTestApp({ seed: true });
    const head = DEMO_STAFF.find((a) => a.username === 'demo.head')!;
    cookies.head = await signIn(y, head.username, head.password);
    const publisher = DEMO_STAFF.find((a) => a.username === 'demo.publisher')!;
    cookies.publisher = await signIn(y, publisher.username, publisher.password);
    cookies.other = (
      await signInStaff(y, {
        roles: ['publisher'],
        divisionCode: '330106',
        departmentName: '西湖区市场监督管理局',
      })
    ).cookie;
  });
  after(() => y.drop());

  it('drafts with the body sanitised and the removals listed; a typed index number taken elsewhere is a 409', async () => {
    const made = await api('publisher', 'POST', '/api/v1/publications', draft());
    assert.equal(made.statusCode, 201, made.body);
    const { publication, removed } = made.json() as {
      publication: Pub;
      removed: { kind: string; name: string }[];
    };
    assert.equal(publication.status, 'draft');
    assert.doesNotMatch(publication.bodyHtml, /script|onclick|javascript:/i);
    assert.match(publication.bodyHtml, /<h2>一、保障对象<\/h2>/);
    assert.match(publication.bodyHtml, /<td>1280<\/td>/);
    assert.deepEqual(removed.map((r) => `${r.kind}:${r.name}`).sort(), [
      'attribute:onclick',
      'element:script',
      'url:javascript:',
    ]);
    // A draft is its department's: the public and another department see nothing.
    assert.equal((await api(null, 'GET', `/api/v1/publications/${publication.id}`)).statusCode, 404);
    assert.equal((await api('other', 'GET', `/api/v1/publications/${publication.id}`)).statusCode, 404);
    assert.equal((await api(null, 'GET', `/publications/${publication.id}`)).statusCode, 404);

    const typed = await api(
      'publisher',
      'PUT',
      `/api/v1/publications/${publication.id}`,
      draft({ indexNumber: 'XH-2026-0001' }),
    );
    assert.equal(typed.statusCode, 200, typed.body);
    const clash = await api(
      'publisher',
      'POST',
      '/api/v1/publications',
      draft({ indexNumber: 'XH-2026-0001' }),
    );
    assert.equal(clash.statusCode, 409, clash.body);
    assert.equal((clash.json() as { code: string }).code, 'publications.index_number_taken');

    const bad = await api(
      'publisher',
      'POST',
      '/api/v1/publications',
      draft({ title: ' ', category: 'nope' }),
    );
    assert.equal(bad.statusCode, 400, bad.body);
    assert.deepEqual(
      (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['title', 'categoryCode'],
    );
  });

  it('reviews on the workflow: a return brings it back to draft with the reason; approval publishes it with an index number', async () => {
    const made = await api(
      'publisher',
      'POST',
      '/api/v1/publications',
      draft({ title: '西湖区2026年临时救助工作情况' }),
    );
    const id = (made.json() as { publication: Pub }).publication.id;
    const sent = (await api('publisher', 'POST', `/api/v1/publications/${id}/submission`)).json() as Pub;
    assert.equal(sent.status, 'in_review');
    assert.match(sent.reviewCase ?? '', /^\d{17}$/);
    // In review it cannot be changed, nor sent twice.
    assert.equal((await api('publisher', 'PUT', `/api/v1/publications/${id}`, draft())).statusCode, 409);
    assert.equal((await api('publisher', 'POST', `/api/v1/publications/${id}/submission`)).statusCode, 409);

    await review(sent, 'return', '请补充2026年第三季度数据');
    const returned = (await api('publisher', 'GET', `/api/v1/publications/${id}`)).json() as Pub;
    assert.equal(returned.status, 'draft');
    assert.equal(returned.reviewNote, '请补充2026年第三季度数据');

    const again = (await api('publisher', 'POST', `/api/v1/publications/${id}/submission`)).json() as Pub;
    await review(again, 'approve');
    const published = (await api(null, 'GET', `/api/v1/publications/${id}`)).json() as Pub;
    assert.equal(published.status, 'published');
    // The default pattern: the department's organisation code (or its division), year, five digits.
    assert.match(published.indexNumber ?? '', /^[0-9A-Z]+\/\d{4}-\d{5}$/);

    const page = await api(null, 'GET', `/publications/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<meta name="ArticleTitle" content="西湖区2026年临时救助工作情况"/);
    assert.match(page.body, /<meta name="ContentSource" content="西湖区民政局"/);
    assert.ok(page.body.includes(published.indexNumber!));
    assert.ok(page.body.includes('西民〔2026〕18号'));
  });

  it('finds public ones by a Chinese phrase, marked, with filters; an empty or overlong query is a field problem', async () => {
    const p = await publish({ title: '关于做好冬春季困难群众救助帮扶工作的通知' });
    const found = await api(
      null,
      'GET',
      `/api/v1/publications/search?q=${encodeURIComponent('困难群众救助')}`,
    );
    assert.equal(found.statusCode, 200, found.body);
    const r = found.json() as {
      items: { id: number; snippet: { match: boolean }[] }[];
      total: number;
      terms: string[];
    };
    assert.ok(
      r.items.some((i) => i.id === p.id),
      found.body,
    );
    // 低保 is 最低生活保障: the body says the long form, the search the short one.
    const synonym = (
      await api(null, 'GET', `/api/v1/publications/search?q=${encodeURIComponent('低保')}`)
    ).json() as {
      items: { id: number; snippet: { match: boolean }[] }[];
    };
    assert.ok(synonym.items.some((i) => i.id === p.id && i.snippet.some((s) => s.match)));
    const filtered = (
      await api(
        null,
        'GET',
        `/api/v1/publications/search?q=${encodeURIComponent('困难群众救助')}&category=news`,
      )
    ).json() as { items: unknown[] };
    assert.equal(filtered.items.length, 0);

    const empty = await api(null, 'GET', '/api/v1/publications/search?q=%20');
    assert.equal(empty.statusCode, 400);
    assert.equal(
      (empty.json() as { errors: { code: string }[] }).errors[0]!.code,
      'publications.search.empty',
    );
    const long = await api(null, 'GET', `/api/v1/publications/search?q=${'救'.repeat(101)}`);
    assert.equal(long.statusCode, 400);

    const page = await api(null, 'GET', `/publications/search?q=${encodeURIComponent('困难群众救助')}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<mark>/);
    const nothing = await api(null, 'GET', `/publications/search?q=${encodeURIComponent('火星移民')}`);
    assert.equal(nothing.statusCode, 200);
    assert.match(nothing.body, /没有找到/);
    const blank = await api(null, 'GET', '/publications/search?q=');
    assert.equal(blank.statusCode, 200);
    assert.match(blank.body, /请输入要搜索的词/);
  });

  it('keeps a scheduled one unseen until its time; withdraws with a reason; links the replacing document', async () => {
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const scheduled = await publish({ title: '2027年春节假期安排的通知', publishAt: later });
    assert.equal(scheduled.status, 'published');
    assert.equal((await api(null, 'GET', `/api/v1/publications/${scheduled.id}`)).statusCode, 404);
    const list = (await api(null, 'GET', '/api/v1/publications')).json() as { items: { id: number }[] };
    assert.ok(!list.items.some((i) => i.id === scheduled.id));

    const old = await publish({ title: '西湖区最低生活保障实施办法（2020年）', category: 'policies' });
    const replacement = await publish({
      title: '西湖区最低生活保障实施办法（2026年）',
      category: 'policies',
    });
    const repealed = await api('publisher', 'PUT', `/api/v1/publications/${old.id}/validity`, {
      validity: 'repealed',
      replacedBy: replacement.id,
    });
    assert.equal(repealed.statusCode, 200, repealed.body);
    assert.deepEqual((repealed.json() as Pub).replacedBy, {
      id: replacement.id,
      title: '西湖区最低生活保障实施办法（2026年）',
    });
    const oldPage = await api(null, 'GET', `/publications/${old.id}`);
    assert.match(oldPage.body, /废止/);
    assert.ok(oldPage.body.includes(`href="/publications/${replacement.id}"`));

    assert.equal(
      (await api('publisher', 'POST', `/api/v1/publications/${old.id}/withdrawal`, { reason: '内容有误' }))
        .statusCode,
      403,
    );
    const short = await api('head', 'POST', `/api/v1/publications/${old.id}/withdrawal`, { reason: ' ' });
    assert.equal(short.statusCode, 400);
    const withdrawn = await api('head', 'POST', `/api/v1/publications/${old.id}/withdrawal`, {
      reason: '已被新办法替代',
    });
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
    const page = await api(null, 'GET', `/publications/${old.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /已于 \d{4}-\d{2}-\d{2} 撤回/);
    assert.match(page.body, /已被新办法替代/);
    assert.doesNotMatch(page.body, /publication-body/);
  });

  it('searches attachment text, refuses a file that is not what it claims, and serves feeds and the sitemap', async () => {
    const made = await api(
      'publisher',
      'POST',
      '/api/v1/publications',
      draft({ title: '2026年部门预算公开' }),
    );
    const id = (made.json() as { publication: Pub }).publication.id;
    const pdf = await renderPdf({
      title: '部门预算表',
      lang: 'zh-CN',
      createdAt: new Date(),
      blocks: [{ kind: 'paragraph', text: '一般公共预算财政拨款支出表' }],
    });
    const upload = async (content: Buffer, filename: string) => {
      const page = await api('publisher', 'GET', '/workbench/publications');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const csrf = [page.headers['set-cookie']]
        .flat()
        .find((c) => c?.startsWith('yw_csrf='))
        ?.split(';')[0];
      const boundary = 'pubtest';
      return y.app.inject({
        method: 'POST',
        url: `/api/v1/publications/${id}/attachments`,
        headers: {
          cookie: `${cookies.publisher!}; ${csrf}`,
          'x-csrf-token': token,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`,
          ),
          content,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      });
    };
    assert.equal((await upload(Buffer.from('MZ\x90\x00binary'), 'budget.pdf')).statusCode, 415);
    const added = await upload(pdf, '部门预算表.pdf');
    assert.equal(added.statusCode, 200, added.body);
    const sent = (await api('publisher', 'POST', `/api/v1/publications/${id}/submission`)).json() as Pub;
    await review(sent, 'approve');
    const found = (
      await api(null, 'GET', `/api/v1/publications/search?q=${encodeURIComponent('财政拨款支出')}`)
    ).json() as { items: { id: number }[] };
    assert.ok(found.items.some((i) => i.id === id));
    const file = await api(null, 'GET', `/publications/${id}/files/1`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/pdf');

    const feed = await api(null, 'GET', '/publications/feed.atom');
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);
    assert.match(feed.body, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    assert.ok(feed.body.includes(`/publications/${id}</id>`));
    const category = await api(null, 'GET', '/publications/categories/notices/feed.atom');
    assert.ok(category.body.includes(`/publications/${id}</id>`));
    assert.equal((await api(null, 'GET', '/publications/categories/nope/feed.atom')).statusCode, 404);
    const sitemap = await api(null, 'GET', '/sitemap.xml');
    assert.equal(sitemap.statusCode, 200);
    assert.ok(sitemap.body.includes(`/publications/${id}</loc>`));
    assert.match(sitemap.body, /\/services\/items\/\w+<\/loc>/);

    const column = await api(null, 'GET', '/publications/categories/notices');
    assert.equal(column.statusCode, 200);
    assert.match(column.body, /<meta name="ColumnName" content="通知公告"/);
  });

  it('writes, sends and withdraws in pages without JavaScript; the publisher is told what the sanitiser removed', async () => {
    const form = await api('publisher', 'GET', '/workbench/publications/new');
    assert.equal(form.statusCode, 200);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const csrf = [form.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith('yw_csrf='))
      ?.split(';')[0];
    const post = (who: string, url: string, fields: Record<string, string>) =>
      y.app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: csrf ? `${cookies[who]!}; ${csrf}` : cookies[who]!,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
      });
    const fields = {
      categoryCode: 'news',
      title: '',
      issuingBody: '',
      docNumber: '',
      writtenOn: '2026-11-25',
      subject: '',
      indexNumber: '',
      publishAt: '',
      bodyHtml: '<p>区民政局召开年度工作会议。</p><img src="x" onerror="alert(1)"><script>alert(2)</script>',
    };
    const missing = await post('publisher', '/workbench/publications/new', fields);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /id="field-title-error"/);
    assert.ok(missing.body.includes('区民政局召开年度工作会议'), 'what was typed is kept');

    const made = await post('publisher', '/workbench/publications/new', {
      ...fields,
      title: '区民政局召开年度工作会议',
    });
    assert.equal(made.statusCode, 303, made.body);
    const editor = await api('publisher', 'GET', made.headers.location as string);
    assert.equal(editor.statusCode, 200);
    assert.match(editor.body, /&lt;script>（1 处）/);
    assert.match(editor.body, /onerror/);
    const id = /\/workbench\/publications\/(\d+)/.exec(made.headers.location as string)![1]!;
    const sent = await post('publisher', `/workbench/publications/${id}/submission`, {});
    assert.equal(sent.statusCode, 303, sent.body);
    const pub = (await api('publisher', 'GET', `/api/v1/publications/${id}`)).json() as Pub;
    assert.equal(pub.status, 'in_review');
    await review(pub, 'approve');
    const noReason = await post('head', `/workbench/publications/${id}/withdrawal`, { reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /id="field-reason-error"/);
    const withdrawn = await post('head', `/workbench/publications/${id}/withdrawal`, { reason: '会议延期' });
    assert.equal(withdrawn.statusCode, 303, withdrawn.body);
    assert.equal(((await api(null, 'GET', `/api/v1/publications/${id}`)).json() as Pub).status, 'withdrawn');
  });
});
