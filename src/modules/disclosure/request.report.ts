/**
 * What the annual report (政府信息公开工作年度报告, 国办公开办函〔2021〕30号) counts of requests: table 三,
 * columns by requester (自然人; 法人或其他组织: 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他) and rows by
 * how each request ended (本年度办理结果).
 *
 * The mapping of this module's six replies to the template's rows, and why where the template is silent:
 * - 予以公开 → (一); 部分公开 → (二), whatever was withheld (the row says 区分处理的，只计这一情形).
 * - 不予公开 → (三) 1–7 by the reply's legal basis (§14 国家秘密 / 法律行政法规禁止 / 三安全一稳定, §15 第三方,
 *   §16① 内部事务, §16② 过程性信息 and 行政执法案卷 — two options since the report splits them; a reply given
 *   on the older combined option counts as 过程性信息, its first half).
 * - 信息不存在 → (四) 1–3 by the reply's 情形 (本机关不掌握 by default, for replies given before it was asked).
 * - 非本机关负责公开 → (四)1 本机关不掌握相关政府信息: the template has no row of its own for §36(五); the
 *   body could not provide the information because it does not hold it as its own to disclose, which is
 *   what (四)1 counts (and what most provinces' filling notes say).
 * - 不予处理 → (五) 1–5 by its ground (信访举报投诉, 重复申请, 公开出版物, 大量反复, 确认或重新出具已获取信息);
 *   the ground 工商、不动产登记资料 (§36(七)) → (三)8 属于行政查询事项, which is that row's meaning.
 * - A 补正 never answered by the end of its period → (六)1 (申请人无正当理由逾期不补正、行政机关不再处理):
 *   §30 treats it as abandoned, so it ends on the period's last day though no reply closes the case.
 * - (六)2 (逾期未缴费) is never counted: this platform charges no 信息处理费 yet. Any other ending → (六)3.
 */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

/** The template's columns, 申请人情况. */
export const REQUESTER_COLUMNS = [
  'natural',
  'business',
  'research',
  'public_interest',
  'legal_services',
  'other',
] as const;
export type RequesterColumn = (typeof REQUESTER_COLUMNS)[number];

/** 法人或其他组织, as the template divides them; what an organisation requester says it is. */
export const ORGANISATION_TYPES = [
  'business',
  'research',
  'public_interest',
  'legal_services',
  'other',
] as const satisfies readonly RequesterColumn[];
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

/** The rows of 三、本年度办理结果, in the template's order. */
export const REPLY_ROWS = [
  'disclosed',
  'partly_disclosed',
  'withheld_secret',
  'withheld_prohibited',
  'withheld_security',
  'withheld_third_party',
  'withheld_internal',
  'withheld_process',
  'withheld_enforcement',
  'withheld_inquiry',
  'unavailable_not_held',
  'unavailable_must_create',
  'unavailable_unclear',
  'not_processed_petition',
  'not_processed_repeated',
  'not_processed_publication',
  'not_processed_excessive',
  'not_processed_confirm',
  'other_no_supplement',
  'other_no_fee',
  'other_other',
] as const;
export type ReplyRow = (typeof REPLY_ROWS)[number];

// The options of the process's forms (src/modules/workflow/processes/demo.disclosure-request.json), by
// the start of their text, so a site that words an option longer still maps.
const WITHHELD: [string, ReplyRow][] = [
  ['第十四条：依法确定为国家秘密', 'withheld_secret'],
  ['第十四条：法律、行政法规禁止公开', 'withheld_prohibited'],
  ['第十四条：公开后可能危及', 'withheld_security'],
  ['第十五条', 'withheld_third_party'],
  ['第十六条第一款', 'withheld_internal'],
  ['第十六条第二款：行政执法案卷', 'withheld_enforcement'],
  ['第十六条第二款', 'withheld_process'],
];
const NOT_EXIST: [string, ReplyRow][] = [
  ['没有现成信息', 'unavailable_must_create'],
  ['补正后申请内容仍不明确', 'unavailable_unclear'],
  ['本机关不掌握', 'unavailable_not_held'],
];
const NOT_PROCESSED: [string, ReplyRow][] = [
  ['以政府信息公开申请的形式进行信访', 'not_processed_petition'],
  ['重复申请', 'not_processed_repeated'],
  ['申请获取政府公报', 'not_processed_publication'],
  ['申请的数量、频次明显超过合理范围', 'not_processed_excessive'],
  ['要求行政机关确认或者重新出具', 'not_processed_confirm'],
  ['工商、不动产登记资料', 'withheld_inquiry'],
];

const pick = (table: [string, ReplyRow][], value: unknown, fallback: ReplyRow): ReplyRow => {
  const v = typeof value === 'string' ? value : '';
  return table.find(([start]) => v.startsWith(start))?.[1] ?? fallback;
};

/** The template's row for a reply: the step's action and what its form said. */
export function replyRow(action: string, input: Record<string, unknown>): ReplyRow {
  switch (action) {
    case 'disclose':
      return 'disclosed';
    case 'partly_disclose':
      return 'partly_disclosed';
    case 'withhold':
      return pick(WITHHELD, input.basis, 'withheld_prohibited');
    case 'not_exist':
      return pick(NOT_EXIST, input.situation, 'unavailable_not_held');
    case 'not_ours':
      return 'unavailable_not_held';
    case 'not_processed':
      return pick(NOT_PROCESSED, input.ground, 'other_other');
    default:
      return 'other_other';
  }
}

/** Table 三 for one year: each cell a count, by row and requester column. */
export interface RequestFigures {
  received: Record<RequesterColumn, number>;
  carriedOver: Record<RequesterColumn, number>;
  concluded: Record<ReplyRow, Record<RequesterColumn, number>>;
  carriedForward: Record<RequesterColumn, number>;
}

const zeros = () =>
  Object.fromEntries(REQUESTER_COLUMNS.map((c) => [c, 0])) as Record<RequesterColumn, number>;

/**
 * The requests of a site (or of one receiving body) counted for the year [from, to): received in it,
 * carried over from before it (received before, not ended before it), ended in it by row, carried into
 * the next (received before its end, not ended by then). Every request received before `to` and not
 * ended before `from` is counted once on each side, so 新收 + 上年结转 = 办结 + 结转下年 by construction.
 * A 补正 left unanswered ends when its period ends, once that is past `asOf` (now).
 */
export async function requestFigures(
  ex: Executor,
  tenantId: string,
  period: { from: Date; to: Date; asOf: Date; departmentId?: number | null },
): Promise<RequestFigures> {
  const { from, to, asOf } = period;
  // When and how each request ended (null: not yet); one row per (column, row, bucket) counted.
  const ended = sql<Date | null>`case
      when status = 'replied' then replied_at
      when status = 'supplement' and supplement_due_at <= ${asOf} then supplement_due_at
    end`;
  let q = ex
    .selectFrom('disclosure.request')
    .select([
      sql<string>`case when requester_kind = 'person' then 'natural' else organisation_type end`.as('col'),
      sql<string | null>`case
          when status = 'replied' then coalesce(report_row, 'other_other')
          when status = 'supplement' and supplement_due_at <= ${asOf} then 'other_no_supplement'
        end`.as('row'),
      sql<boolean>`received_at >= ${from}`.as('received'),
      sql<string>`case
          when ${ended} is null or ${ended} >= ${to} then 'forward'
          when ${ended} >= ${from} then 'concluded'
          else 'before'
        end`.as('bucket'),
      sql<number>`count(*)::int`.as('n'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('received_at', '<', to);
  if (period.departmentId != null) q = q.where('department_id', '=', period.departmentId);
  const rows = await q.groupBy(['col', 'row', 'received', 'bucket']).execute();
  const figures: RequestFigures = {
    received: zeros(),
    carriedOver: zeros(),
    concluded: Object.fromEntries(REPLY_ROWS.map((r) => [r, zeros()])) as RequestFigures['concluded'],
    carriedForward: zeros(),
  };
  for (const r of rows) {
    const col = (REQUESTER_COLUMNS as readonly string[]).includes(r.col)
      ? (r.col as RequesterColumn)
      : 'other';
    const n = Number(r.n);
    if (r.bucket === 'before') continue;
    if (r.received) figures.received[col] += n;
    else figures.carriedOver[col] += n;
    if (r.bucket === 'forward') figures.carriedForward[col] += n;
    else {
      const row = (REPLY_ROWS as readonly string[]).includes(r.row ?? '')
        ? (r.row as ReplyRow)
        : 'other_other';
      figures.concluded[row][col] += n;
    }
  }
  return figures;
}
