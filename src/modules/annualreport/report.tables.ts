/**
 * The report's tables as rows of labelled cells, in the template's order and words, one model for the
 * page, the CSV and the PDF. Table 四 is wide in the template (15 cells in a row); here each remedy is a
 * row and each result a column — the same cells, readable on A4 portrait and in a spreadsheet (the page
 * draws it as the template does).
 */
import type { Translate } from '../../kernel/i18n/index.ts';
import type { Figures } from './report.figures.ts';
import { REMEDIES, REQUESTER_COLUMNS, RESULTS, type ReplyRow } from './report.template.ts';

export interface TableRow {
  /** its label as the template prints it */
  label: string;
  /** with its group's label before it, for a flat file (（三）不予公开 1.属于国家秘密) */
  fullLabel: string;
  /** 0: a top row; 1: under a group; 2: under a sub-group */
  level: 0 | 1 | 2;
  /** null for a group's heading row */
  cells: string[] | null;
}

export interface ReportTable {
  id: string;
  caption: string;
  columns: string[];
  rows: TableRow[];
  /** a line printed under the caption (the 勾稽关系 of table 三) */
  note?: string;
}

const row = (label: string, cells: (number | string)[] | null, level: TableRow['level'] = 0, group = '') => ({
  label,
  fullLabel: group ? `${group} ${label}` : label,
  level,
  cells: cells?.map(String) ?? null,
});

/** The groups of 三、本年度办理结果 that have numbered items, and their rows. */
export const RESULT_GROUPS: { key: string; rows: ReplyRow[] }[] = [
  {
    key: 'withheld',
    rows: [
      'withheld_secret',
      'withheld_prohibited',
      'withheld_security',
      'withheld_third_party',
      'withheld_internal',
      'withheld_process',
      'withheld_enforcement',
      'withheld_inquiry',
    ],
  },
  { key: 'unavailable', rows: ['unavailable_not_held', 'unavailable_must_create', 'unavailable_unclear'] },
  {
    key: 'not_processed',
    rows: [
      'not_processed_petition',
      'not_processed_repeated',
      'not_processed_publication',
      'not_processed_excessive',
      'not_processed_confirm',
    ],
  },
  { key: 'other', rows: ['other_no_supplement', 'other_no_fee', 'other_other'] },
];

/** Table 三's requester columns (the first is the rows' labels). */
export const requestColumns = (t: Translate) => [
  t('annualreport.requests.item'),
  ...REQUESTER_COLUMNS.map((c) => t(`annualreport.requests.col.${c}`)),
  t('annualreport.requests.col.total'),
];

export function requestRows(t: Translate, f: Figures): TableRow[] {
  const r = f.requests;
  const cells = (x: Figures['requests']['received']) => [...REQUESTER_COLUMNS.map((c) => x[c]), x.total];
  const results = t('annualreport.requests.results');
  const rows: TableRow[] = [
    row(t('annualreport.requests.received'), cells(r.received)),
    row(t('annualreport.requests.carried_over'), cells(r.carriedOver)),
    row(results, null),
    row(t('annualreport.row.disclosed'), cells(r.concluded.disclosed), 1, results),
    row(t('annualreport.row.partly_disclosed'), cells(r.concluded.partly_disclosed), 1, results),
  ];
  for (const g of RESULT_GROUPS) {
    const group = t(`annualreport.group.${g.key}`);
    rows.push(row(group, null, 1, results));
    for (const key of g.rows) rows.push(row(t(`annualreport.row.${key}`), cells(r.concluded[key]), 2, group));
  }
  rows.push(row(t('annualreport.row.concluded_total'), cells(r.concludedTotal), 1, results));
  rows.push(row(t('annualreport.requests.carried_forward'), cells(r.carriedForward)));
  return rows;
}

/** Every table of the report, in its order. */
export function reportTables(t: Translate, f: Figures): ReportTable[] {
  const content = t('annualreport.active.content');
  const decisions = t('annualreport.active.decisions');
  return [
    {
      id: 'item20-1',
      caption: t('annualreport.active.item20_1'),
      columns: [
        content,
        t('annualreport.active.made'),
        t('annualreport.active.repealed'),
        t('annualreport.active.in_force'),
      ],
      rows: [
        row(t('annualreport.active.rules'), [f.rules.made, f.rules.repealed, f.rules.inForce]),
        row(t('annualreport.active.normative'), [
          f.normative.made,
          f.normative.repealed,
          f.normative.inForce,
        ]),
      ],
    },
    {
      id: 'item20-5',
      caption: t('annualreport.active.item20_5'),
      columns: [content, decisions],
      rows: [row(t('annualreport.active.licensing'), [f.licensing])],
    },
    {
      id: 'item20-6',
      caption: t('annualreport.active.item20_6'),
      columns: [content, decisions],
      rows: [
        row(t('annualreport.active.penalty'), [f.penalty]),
        row(t('annualreport.active.coercion'), [f.coercion]),
      ],
    },
    {
      id: 'item20-8',
      caption: t('annualreport.active.item20_8'),
      columns: [content, t('annualreport.active.fees_amount')],
      rows: [row(t('annualreport.active.fees'), [f.feesAmount])],
    },
    {
      id: 'categories',
      caption: t('annualreport.categories.caption'),
      columns: [t('annualreport.categories.column'), t('annualreport.categories.count')],
      rows: [
        ...f.categories.map((c) => row(c.name, [c.count], c.parentCode ? 1 : 0)),
        row(t('annualreport.categories.total'), [f.categoriesTotal]),
      ],
    },
    {
      id: 'requests',
      caption: t('annualreport.requests.caption'),
      note: t('annualreport.requests.note'),
      columns: requestColumns(t),
      rows: requestRows(t, f),
    },
    {
      id: 'remedies',
      caption: t('annualreport.remedies.caption'),
      columns: [
        t('annualreport.remedies.item'),
        ...RESULTS.map((x) => t(`annualreport.result.${x}`)),
        t('annualreport.result.total'),
      ],
      rows: REMEDIES.map((m) =>
        row(t(`annualreport.remedy.${m}`), [...RESULTS.map((x) => f.remedies[m][x]), f.remedies[m].total]),
      ),
    },
  ];
}
