/**
 * The figures of a report: those the platform knows, computed from the modules that own them (through
 * the ports), and those staff entered, put together as the template's tables read them, with the
 * template's totals (a row's 总计 is the sum of its columns; (七)总计 the sum of the rows (一)–(六); 四's
 * 总计 the sum of its results).
 */
import type { RequestFigures } from '../disclosure/index.ts';
import {
  REMEDIES,
  REPLY_ROWS,
  REQUESTER_COLUMNS,
  RESULTS,
  type Entered,
  type Remedy,
  type ReplyRow,
  type RequesterColumn,
  type Result,
} from './report.template.ts';

/** 本年制发件数, 本年废止件数, 现行有效件数 */
export interface DocumentCounts {
  made: number;
  repealed: number;
  inForce: number;
}

/** What the platform counts for a year (and a body). */
export interface Computed {
  /** 第二十条第（一）项 */
  rules: DocumentCounts;
  normative: DocumentCounts;
  /** 表三 */
  requests: RequestFigures;
  /** publications that went public in the year, per column of the catalogue (an annex to 二) */
  categories: { code: string; name: string; parentCode: string | null; count: number }[];
  /** when these were counted */
  asOf: string;
}

type Row = Record<RequesterColumn | 'total', number>;

/** A report's figures as its tables show them. */
export interface Figures {
  rules: DocumentCounts;
  normative: DocumentCounts;
  licensing: number;
  penalty: number;
  coercion: number;
  /** 万元 */
  feesAmount: string;
  requests: {
    received: Row;
    carriedOver: Row;
    concluded: Record<ReplyRow, Row>;
    /** (七)总计 */
    concludedTotal: Row;
    carriedForward: Row;
  };
  remedies: Record<Remedy, Record<Result | 'total', number>>;
  categories: Computed['categories'];
  categoriesTotal: number;
}

const withTotal = (cells: Record<RequesterColumn, number>): Row => ({
  ...cells,
  total: REQUESTER_COLUMNS.reduce((sum, c) => sum + cells[c], 0),
});

/** The tables' figures from what was computed and what was entered. */
export function figuresOf(computed: Computed, entered: Entered): Figures {
  const r = computed.requests;
  const concluded = Object.fromEntries(REPLY_ROWS.map((row) => [row, withTotal(r.concluded[row])])) as Record<
    ReplyRow,
    Row
  >;
  const concludedTotal = Object.fromEntries(
    [...REQUESTER_COLUMNS, 'total' as const].map((c) => [
      c,
      REPLY_ROWS.reduce((s, row) => s + concluded[row][c], 0),
    ]),
  ) as Row;
  const remedies = Object.fromEntries(
    REMEDIES.map((remedy) => {
      const cells = Object.fromEntries(RESULTS.map((x) => [x, entered.counts[`${remedy}.${x}`]])) as Record<
        Result,
        number
      >;
      return [remedy, { ...cells, total: RESULTS.reduce((s, x) => s + cells[x], 0) }];
    }),
  ) as Figures['remedies'];
  return {
    rules: computed.rules,
    normative: computed.normative,
    licensing: entered.counts.licensing,
    penalty: entered.counts.penalty,
    coercion: entered.counts.coercion,
    feesAmount: entered.feesAmount,
    requests: {
      received: withTotal(r.received),
      carriedOver: withTotal(r.carriedOver),
      concluded,
      concludedTotal,
      carriedForward: withTotal(r.carriedForward),
    },
    remedies,
    categories: computed.categories,
    categoriesTotal: computed.categories.reduce((s, c) => s + c.count, 0),
  };
}

/**
 * Counts a body's policy documents for 第二十条第（一）项: made (published in the year), repealed (废止 in
 * the year) and in force at its end (published, neither repealed nor replaced by a revision by then). A
 * document in a category of the catalogue's 法规文件 column (`regulations`) is a 规章, any other a
 * 行政规范性文件 — the catalogue is how a site tells them apart.
 */
export function documentCounts(
  docs: readonly { documentId: number; publishedAt: Date; repealedAt: Date | null; revisedAt: Date | null }[],
  categoryOf: ReadonlyMap<number, string>,
  period: { from: Date; to: Date },
): { rules: DocumentCounts; normative: DocumentCounts } {
  const rules = { made: 0, repealed: 0, inForce: 0 };
  const normative = { made: 0, repealed: 0, inForce: 0 };
  const within = (d: Date | null) => d !== null && d >= period.from && d < period.to;
  for (const d of docs) {
    const c = categoryOf.get(d.documentId) === 'regulations' ? rules : normative;
    if (within(d.publishedAt)) c.made++;
    if (within(d.repealedAt)) c.repealed++;
    const ended = [d.repealedAt, d.revisedAt].some((e) => e !== null && e < period.to);
    if (d.publishedAt < period.to && !ended) c.inForce++;
  }
  return { rules, normative };
}
