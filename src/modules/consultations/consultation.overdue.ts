/**
 * What the website self-check (网站自查, the sitecheck module) asks of 网上咨询: the questions still
 * waiting for an answer that were asked before a given instant. The self-check decides which of them
 * are overdue (the inspection's 3 months, or the site's own threshold); the item's own promise
 * (consult_days) is electronic supervision's business, not this.
 */
import type { Executor } from '../../kernel/db/index.ts';

/** An unanswered question, in the shape of the self-check's public-message port. */
export interface UnansweredQuestion {
  /** the question's public id */
  id: string;
  /** the item asked about (the question's text is the asker's and stays out of reports) */
  title: string;
  askedAt: string;
  /** where staff answer it */
  href: string;
  /** the department that owes the answer */
  handledBy: string;
}

/** Open questions asked before `before`, oldest first, at most `limit`. */
export async function unansweredQuestions(
  ex: Executor,
  tenantId: string,
  before: Date,
  limit: number,
): Promise<UnansweredQuestion[]> {
  const rows = await ex
    .selectFrom('consultations.question')
    .select(['public_id', 'item_name', 'asked_at', 'department_name'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'open')
    .where('asked_at', '<', before)
    .orderBy('asked_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.public_id,
    title: r.item_name,
    askedAt: new Date(r.asked_at).toISOString(),
    href: `/workbench/consultations/${r.public_id}`,
    handledBy: r.department_name,
  }));
}
