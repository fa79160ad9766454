/**
 * What the annual report on government information disclosure (政府信息公开工作年度报告, table 二, 第二十条
 * 第（一）项) asks of policies: the documents made, repealed and in force. Read-only; the report module
 * classes each document as 规章 or 行政规范性文件 by its publication's category.
 */
import type { Executor } from '../../kernel/db/index.ts';

export interface PolicyDocumentDates {
  documentId: number;
  departmentId: number;
  publishedAt: Date;
  /** 废止 */
  repealedAt: Date | null;
  /** replaced by a revision (its document 失效) */
  revisedAt: Date | null;
}

/** Every policy whose document was published before `to`, with when it was repealed or replaced. */
export async function policyDocumentDates(
  ex: Executor,
  tenantId: string,
  to: Date,
  departmentId?: number | null,
): Promise<PolicyDocumentDates[]> {
  let q = ex
    .selectFrom('policies.policy')
    .select(['document_id', 'department_id', 'published_at', 'repealed_at', 'revised_at'])
    .where('tenant_id', '=', tenantId)
    .where('document_id', 'is not', null)
    .where('published_at', '<', to);
  if (departmentId != null) q = q.where('department_id', '=', departmentId);
  const rows = await q.orderBy('id').execute();
  const at = (d: Date | string | null) => (d === null ? null : new Date(d));
  return rows.map((r) => ({
    documentId: Number(r.document_id),
    departmentId: Number(r.department_id),
    publishedAt: new Date(r.published_at!),
    repealedAt: at(r.repealed_at),
    revisedAt: at(r.revised_at),
  }));
}
