/**
 * Whose entries a reader of the audit log sees (管辖范围).
 *
 * Decision: an auditor (or a security administrator, for the security events) sees the entries whose
 * actor belongs to a division within their own jurisdiction — their department's division and
 * everything below it, as for every other list in the workbench — and also the entries with an empty
 * actor_division: anonymous requests (failed logins, lockouts, rate limits) and citizens' and
 * enterprises' own actions. Those belong to the site rather than to any division, and hiding them would
 * hide exactly the attacks an auditor must see. A county auditor therefore sees the county's staff and
 * the site's anonymous and public events, never the province's or a sibling county's staff. The site
 * (tenant) is always the one the request came to, never a parameter.
 */
import type { AuditScope } from '../../kernel/audit/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { jurisdictionPrefix, type Actor } from '../../kernel/policy/index.ts';

export function scopeOf(actor: Actor | null): AuditScope {
  if (!actor) throw new DomainError('unauthorized', 'identity.session.required');
  // Staff without a division have no jurisdiction: the policy refuses them (403).
  return { divisionPrefix: jurisdictionPrefix(actor) };
}
