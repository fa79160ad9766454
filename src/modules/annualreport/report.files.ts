/**
 * A report as files: the PDF (the project's PDF kernel, Noto Sans SC embedded, so it prints the same
 * anywhere; the dense 'form' style, whose ruled tables wrap inside their cells and repeat their header on
 * a new page) and the CSV of its tables (UTF-8 with a BOM, so Excel and WPS show the Chinese).
 */
import type { Translate } from '../../kernel/i18n/index.ts';
import type { Block, PdfDocument } from '../../kernel/pdf/index.ts';
import type { ReportView } from './report.service.ts';
import { reportTables, type ReportTable } from './report.tables.ts';
import type { TEXTS } from './report.template.ts';

/** 浙江省人民政府2025年政府信息公开工作年度报告 */
export const reportTitle = (t: Translate, v: Pick<ReportView, 'issuer' | 'year'>) =>
  t('annualreport.report_title', { issuer: v.issuer, year: v.year });

export const fileName = (t: Translate, v: ReportView, ext: 'csv' | 'pdf') =>
  `${reportTitle(t, v)}${v.status === 'draft' ? `-${t('annualreport.status.draft')}` : ''}.${ext}`;

/** Tables 二 (with the catalogue annex), 三 and 四 under the sections they belong to. */
const SECTION_TABLES: Record<number, string[]> = {
  2: ['item20-1', 'item20-5', 'item20-6', 'item20-8', 'categories'],
  3: ['requests'],
  4: ['remedies'],
};
const SECTION_TEXT: Record<number, (typeof TEXTS)[number]> = { 1: 'overall', 5: 'problems', 6: 'other' };

const INDENT = '　';

function tableBlocks(table: ReportTable): Block[] {
  const wide = table.id === 'requests' ? 3 : table.columns.length > 2 ? 2 : 3;
  return [
    { kind: 'paragraph', text: table.caption, indent: false, align: 'center' },
    ...(table.note ? [{ kind: 'note' as const, text: table.note }] : []),
    {
      kind: 'table',
      columns: table.columns.map((header, i) =>
        i === 0 ? { header, width: wide, align: 'left' as const } : { header, align: 'center' as const },
      ),
      rows: table.rows.map((r) => [
        INDENT.repeat(r.level) + r.label,
        ...(r.cells ?? table.columns.slice(1).map(() => '')),
      ]),
    },
  ];
}

export function reportPdf(t: Translate, lang: 'zh-CN' | 'en', v: ReportView): PdfDocument {
  const tables = new Map(reportTables(t, v.figures).map((x) => [x.id, x]));
  const blocks: Block[] = [{ kind: 'title', text: reportTitle(t, v) }];
  if (v.status === 'draft')
    blocks.push({
      kind: 'note',
      text: t('annualreport.draft_note', { at: v.asOf.toISOString().slice(0, 10) }),
    });
  for (const n of [1, 2, 3, 4, 5, 6]) {
    blocks.push({ kind: 'heading', text: t(`annualreport.section.${n}`) });
    const text = SECTION_TEXT[n];
    if (text) blocks.push({ kind: 'paragraph', text: v.texts[text] || t('annualreport.text_empty') });
    for (const id of SECTION_TABLES[n] ?? []) blocks.push(...tableBlocks(tables.get(id)!));
  }
  return {
    title: reportTitle(t, v),
    lang,
    style: 'form',
    author: v.issuer,
    subject: t('annualreport.title'),
    createdAt: v.finalisedAt ?? v.asOf,
    footer: v.issuer,
    pageNumbers: t('annualreport.page_numbers'),
    ...(v.status === 'draft' ? { watermark: t('annualreport.status.draft') } : {}),
    blocks,
  };
}

/** A CSV field: quoted when it must be; text that a spreadsheet would run as a formula made inert. */
function field(s: string): string {
  const v = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The report's tables one after another, each with its caption and header, a blank line between. */
export function reportCsv(t: Translate, v: ReportView): Buffer {
  const lines: string[][] = [
    [reportTitle(t, v)],
    [t('annualreport.csv.status'), t(`annualreport.status.${v.status}`)],
    [t('annualreport.csv.as_of'), (v.finalisedAt ?? v.asOf).toISOString()],
  ];
  for (const table of reportTables(t, v.figures)) {
    lines.push([], [table.caption], table.columns);
    for (const r of table.rows) lines.push([r.fullLabel, ...(r.cells ?? [])]);
  }
  const text = lines.map((l) => l.map(field).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function tableHtml(table: ReportTable): string {
  const head = table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = table.rows
    .map((r) =>
      r.cells
        ? `<tr><th scope="row">${escapeHtml(r.fullLabel)}</th>${r.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`
        : `<tr><th scope="row" colspan="${table.columns.length}">${escapeHtml(r.label)}</th></tr>`,
    )
    .join('');
  const note = table.note ? `<br>${escapeHtml(table.note)}` : '';
  return `<table><caption>${escapeHtml(table.caption)}${note}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The report as a publication's body: the six sections, their texts and the tables (as the CSV has them). */
export function reportHtml(t: Translate, v: ReportView): string {
  const tables = new Map(reportTables(t, v.figures).map((x) => [x.id, x]));
  const out: string[] = [];
  for (const n of [1, 2, 3, 4, 5, 6]) {
    out.push(`<h2>${escapeHtml(t(`annualreport.section.${n}`))}</h2>`);
    const text = SECTION_TEXT[n];
    if (text)
      for (const p of (v.texts[text] || t('annualreport.text_empty')).split(/\n+/))
        out.push(`<p>${escapeHtml(p)}</p>`);
    for (const id of SECTION_TABLES[n] ?? []) out.push(tableHtml(tables.get(id)!));
  }
  return out.join('\n');
}
