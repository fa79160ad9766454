/** Actors and audit contexts as a session would build them, for tests of the services. */
import { systemContext, type AuditContext } from '../../src/kernel/audit/index.ts';
import { SYSTEM_ROLES, type Actor, type Permission } from '../../src/kernel/policy/index.ts';

/** An actor as the session would build it; staff get a department and a division. */
export function actor(
  id: number,
  roles: (keyof typeof SYSTEM_ROLES)[],
  departmentId: number | null,
  division = '330106',
): Actor {
  const permissions = new Set<Permission>(roles.flatMap((r) => [...SYSTEM_ROLES[r].permissions]));
  const kind = roles.includes('citizen') ? 'person' : roles.includes('enterprise') ? 'enterprise' : 'staff';
  return {
    id: `account:${id}`,
    accountId: id,
    kind,
    role: roles.join('+'),
    roles,
    permissions,
    division: kind === 'staff' ? division : '',
    departmentId,
    name: `p${id}`,
  };
}

/** The audit context of a request by `a` on the demo site. */
export const acting = (a: Actor, tenantId = '330000'): AuditContext => ({
  ...systemContext(tenantId),
  actor: a,
  actorId: a.id,
  actorRole: a.role,
  actorDivision: a.division,
});
