/**
 * Who may do what with licences, beyond the route-level permissions of the kernel policy
 * (licence.issue, licence.revoke, licence.keys): a department issues, revokes and keeps keys for
 * itself only — its seal is its own, and a colleague one floor up has no business with it — and a
 * holder reaches their own licences only.
 */
import type { AuditContext } from '../../kernel/audit/index.ts';
import { DomainError, notFound } from '../../kernel/errors.ts';

/**
 * Staff act for their own department; the system's own work (no actor: seeding, the CLI) for any.
 * A licence or key of another department exists publicly (anyone can verify it), so this is a 403,
 * not a 404 that would pretend otherwise.
 */
export function assertOwnDepartment(ctx: AuditContext, departmentId: number): void {
  if (ctx.actor === undefined) return;
  if (ctx.actor?.kind !== 'staff' || ctx.actor.departmentId !== departmentId)
    throw new DomainError('forbidden', 'licences.not_own_department');
}

/** The holder's own licence, or a 404: a PDF carries the full ID number, so no one else learns of it. */
export function assertHolder(ctx: AuditContext, holderAccountId: number | null, id: string): void {
  if (!ctx.actor || holderAccountId === null || ctx.actor.accountId !== holderAccountId)
    throw notFound('licences.not_found', { id });
}
