import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getMeta } from 'unpdf';
import type { DomainError } from '../errors.ts';
import { PAGE_SEPARATOR, pdfText, renderPdf, type PdfDocument } from './index.ts';
import { buildApplicationForm, buildDecision, buildLicence } from './sample-documents.ts';

const pagesOf = async (pdf: Buffer) => (await pdfText(pdf)).split(PAGE_SEPARATOR);
const compact = (s: string) => s.replace(/\s+/g, '');

function buildMaterialsList(rows: number): PdfDocument {
  return {
    title: '申请材料目录',
    lang: 'zh-CN',
    createdAt: new Date('2025-03-14T08:30:00Z'),
    pageNumbers: '第 {page} 页 / 共 {pages} 页',
    blocks: [
      { kind: 'title', text: '申请材料目录' },
      {
        kind: 'table',
        columns: [
          { header: '序号', width: 0.6, align: 'center' },
          { header: '材料名称', width: 3 },
          { header: '份数', width: 0.6, align: 'center' },
        ],
        rows: Array.from({ length: rows }, (_, i) => [
          String(i + 1),
          `材料${i + 1}：营业执照副本复印件（加盖公章）`,
          '1',
        ]),
      },
    ],
  };
}

describe('renderPdf', () => {
  it('embeds the Chinese font so the labels come back as text', async () => {
    const pdf = await renderPdf(buildApplicationForm());
    const text = await pdfText(pdf);
    for (const label of [
      '食品经营许可申请表',
      '申请人姓名',
      '公民身份号码',
      '住所地址',
      '设立登记',
      '第 1 页 / 共 1 页',
    ]) {
      assert.ok(text.includes(label), `${label} in ${text}`);
    }
    const raw = pdf.toString('latin1');
    assert.match(raw, /\/FontFile2 /);
    assert.match(raw, /\/ToUnicode /);
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+NotoSansSC-Bold/);
  });

  it('prints the values and the watermark on the filled sample', async () => {
    const text = await pdfText(await renderPdf(buildApplicationForm({ filled: true })));
    for (const value of ['张三', '11010519491231002X', '2025年3月14日', '填写样例'])
      assert.ok(text.includes(value), value);
  });

  it('stays small: the fonts are embedded as subsets', async () => {
    for (const doc of [
      buildApplicationForm(),
      buildApplicationForm({ filled: true }),
      buildDecision(),
      buildLicence(),
    ]) {
      const pdf = await renderPdf(doc);
      assert.ok(pdf.length < 200 * 1024, `${doc.title}: ${pdf.length} bytes`);
    }
  });

  it('gives identical bytes for the same document, and different ones for other content', async () => {
    const first = await renderPdf(buildLicence());
    assert.ok(first.equals(await renderPdf(buildLicence())));
    const later = { ...buildLicence(), createdAt: new Date('2025-03-15T08:30:00Z') };
    assert.ok(!first.equals(await renderPdf(later)));
    // The file ID is a digest of the content: a blank form and its sample (same title and date) differ.
    const fileId = (pdf: Buffer) => /\/ID \[<([0-9a-f]+)>/.exec(pdf.toString('latin1'))?.[1];
    const [blank, sample] = await Promise.all([
      renderPdf(buildApplicationForm()),
      renderPdf(buildApplicationForm({ filled: true })),
    ]);
    assert.ok(fileId(blank));
    assert.notEqual(fileId(blank), fileId(sample));
  });

  it('writes the document metadata', async () => {
    const { info } = await getMeta(new Uint8Array(await renderPdf(buildApplicationForm())));
    assert.equal(info.Title, '食品经营许可申请表');
    assert.equal(info.Author, '某某市市场监督管理局');
    assert.equal(info.Subject, '表格下载');
    assert.equal(info.Keywords, '食品经营许可, 申请表');
    assert.equal(info.Language, 'zh-CN');
    assert.equal(info.CreationDate, 'D:20250314083000Z');
  });

  it('repeats the table header at the top of every page the table runs onto', async () => {
    const pages = await pagesOf(await renderPdf(buildMaterialsList(120)));
    assert.ok(pages.length >= 3, `${pages.length} pages`);
    pages.forEach((page, i) => {
      assert.match(page, /序号\s*材料名称\s*份数/, `header on page ${i + 1}`);
      assert.ok(page.includes(`第 ${i + 1} 页 / 共 ${pages.length} 页`));
    });
    const all = pages.join('');
    for (let n = 1; n <= 120; n++) assert.ok(all.includes(`材料${n}：`), `row ${n}`);
  });

  it('splits a row taller than a page between pages, losing nothing', async () => {
    const long = '申请人应当如实提交有关材料和反映真实情况，并对其申请材料实质内容的真实性负责。'.repeat(60);
    const doc = buildMaterialsList(1);
    doc.blocks[1] = { kind: 'table', columns: [{ header: '说明' }], rows: [[long]] };
    const pages = await pagesOf(await renderPdf(doc));
    assert.ok(pages.length >= 2);
    assert.ok(pages.every((page) => page.includes('说明')));
    const body = compact(
      pages.map((p) => p.replace(/第 \d+ 页 \/ 共 \d+ 页/, '').replace('说明', '')).join(''),
    );
    assert.ok(body.includes(compact(long)));
  });

  it('flows long text onto further pages in the official style', async () => {
    const doc = buildDecision();
    const paragraph = '经审查，申请材料齐全、符合法定形式，决定予以受理。'.repeat(40);
    doc.blocks.splice(3, 0, { kind: 'paragraph', text: paragraph });
    const pages = await pagesOf(await renderPdf(doc));
    assert.ok(pages.length >= 2);
    const body = pages.map((page) => page.replace(/— \d+ —/, '')).join('');
    assert.ok(compact(body).includes(compact(paragraph)));
    assert.ok(pages.at(-1)!.includes('— ' + pages.length + ' —'));
  });

  it('refuses a table row whose cells do not match the columns', async () => {
    const doc = buildMaterialsList(2);
    (doc.blocks[1] as { rows: string[][] }).rows[1] = ['2', '少一格'];
    await assert.rejects(
      renderPdf(doc),
      (e: DomainError) => e.code === 'pdf.table_row_cells' && e.params.row === 2,
    );
  });

  it('refuses an invalid date and a QR payload too long for a code', async () => {
    await assert.rejects(renderPdf({ ...buildDecision(), createdAt: new Date('x') }), {
      code: 'pdf.created_at_invalid',
    });
    const licence = buildLicence();
    licence.blocks.push({ kind: 'qr', payload: 'x'.repeat(5000) });
    await assert.rejects(renderPdf(licence), { code: 'pdf.qr_too_long' });
  });
});
