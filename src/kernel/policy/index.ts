/**
 * Who may do what — decided here and nowhere else (权限策略). Three parts:
 *
 * - PERMISSIONS: the one table of capabilities. A permission is a string the compiler checks: a route
 *   or service that asks for one that is not in the table does not compile.
 * - SYSTEM_ROLES: the roles every site has, each a set of permissions from the table. Roles are data
 *   (the identity module stores them and the grants); this table is what the system roles hold.
 * - decide(): the one policy function. Given the actor (from the session, never from the request), the
 *   permission asked for and, for an object, its division or owner, it says allow, sign in first,
 *   forbidden, or hidden (a 404, so that another jurisdiction's objects do not show they exist).
 *
 * Jurisdiction (管辖范围) is a division subtree: a staff member acts within their department's division
 * and everything below it; upper levels see lower levels; siblings never see each other.
 */
import { isWithin, subtreePrefix } from '../divisions/index.ts';
import { DomainError } from '../errors.ts';

/**
 * Duty areas for the separation of duties of GB/T 22239 (三员分立): system administration, security
 * administration and audit never meet in one role or one account. `business` is the work itself,
 * `self` a person's own account, `staff` what every staff member may do.
 */
export type Duty = 'self' | 'staff' | 'business' | 'system' | 'security' | 'audit';

/** Every permission, with its duty area. Add one here (and its name to the locales) to use it. */
export const PERMISSIONS = {
  /** A citizen's or enterprise's own account, applications and letters. */
  'account.self': 'self',
  /** Enter the workbench (工作台). */
  'workbench.enter': 'staff',
  /** See personal identifiers in full (each view is audited). */
  'pii.view': 'business',
  /** Administrative divisions of the jurisdiction. */
  'org.division.manage': 'system',
  /** Departments of the jurisdiction. */
  'org.department.manage': 'system',
  /** This site's settings: name, filing numbers, host names. */
  'org.site.manage': 'system',
  /** The sites (tenants) this deployment runs. */
  'org.sites.manage': 'system',
  /** Staff accounts of the jurisdiction: create, disable, reset a password. */
  'staff.manage': 'system',
  /** Grant and revoke roles; define roles. */
  'role.grant': 'security',
  /** Password expiry and other security settings. */
  'security.policy': 'security',
  /** Security events: failed-login bursts, lockouts, new addresses, bulk personal-data views. */
  'security.events': 'security',
  /** Read the audit log (审计日志). */
  'audit.read': 'audit',
  /** Export the audit log (the export is itself audited). */
  'audit.export': 'audit',
  /** Work on cases (办件): act on the tasks of one's department, open internal cases. */
  'case.handle': 'business',
  /** Lead a department's casework: assign tasks to people, approve extensions (延期). */
  'case.lead': 'business',
  /** Electronic supervision (电子监察): deadlines and statistics of the jurisdiction, urge cases, cards. */
  'case.supervise': 'business',
  /** Process definitions (流程定义): load and edit them. */
  'workflow.define': 'system',
  /** The site's working-day calendar (工作日历): enter a year's holidays and make-up workdays. */
  'workflow.calendar.manage': 'system',
  /** The site's search dictionary (词库): terms search segments as one word. */
  'search.terms': 'system',
  /**
   * The service catalogue (政务服务事项) and its guides: a department's own items; the whole
   * jurisdiction's for staff of the government services office (政务服务管理办公室).
   */
  'services.manage': 'business',
  /** Issue electronic licences (电子证照) in one's own department's name, signed with its SM2 key. */
  'licence.issue': 'business',
  /** Revoke one's own department's licences (with a reason the public verification shows). */
  'licence.revoke': 'business',
  /** One's own department's licence signing keys: see, rotate, revoke a compromised one (all audited). */
  'licence.keys': 'business',
  /** Write publications (信息公开) in one's own department's name: drafts, attachments, validity. */
  'publication.write': 'business',
  /** Review one's own department's publications before they go out; withdraw one with a reason. */
  'publication.review': 'business',
  /** The site's disclosure catalogue (公开目录) and how its index numbers (索引号) are made. */
  'publication.manage': 'system',
  /** The website self-check (网站自查) against the inspection indicators, and its thresholds. */
  'site.check': 'system',
  /**
   * The annual report on government information disclosure (政府信息公开工作年度报告): the site's (the
   * general office's) or one's own department's — enter its figures and texts, finalise, publish.
   */
  'disclosure.report': 'business',
  /** Content safety (内容安全): the site's sensitive words, and releasing or rejecting held public posts. */
  'content.moderate': 'business',
  /** Online interviews (在线访谈) of one's jurisdiction: schedule, start, end, host, approve questions. */
  'interview.manage': 'business',
  /** Answer questions in the online interviews one is a guest of (嘉宾), and post remarks and images there. */
  'interview.answer': 'business',
  /** The petition office (信访工作机构): see the petitions of its jurisdiction, reroute one (with a reason). */
  'petition.route': 'business',
} as const satisfies Record<string, Duty>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export type AccountKind = 'person' | 'enterprise' | 'staff';

export interface RoleDefinition {
  /** Which accounts may hold it. */
  kind: AccountKind;
  permissions: readonly Permission[];
  /** Holders must sign in with a second factor (TOTP). */
  requiresMfa: boolean;
}

/** The system roles (系统角色). Names are in the locales as `policy.role.<code>`. */
export const SYSTEM_ROLES = {
  citizen: { kind: 'person', permissions: ['account.self'], requiresMfa: false },
  enterprise: { kind: 'enterprise', permissions: ['account.self'], requiresMfa: false },
  /** 窗口人员: takes applications at a service centre window, checks identity documents. */
  window_officer: {
    kind: 'staff',
    permissions: ['workbench.enter', 'pii.view', 'case.handle'],
    requiresMfa: false,
  },
  /** 承办人: handles cases assigned to the department. */
  handler: { kind: 'staff', permissions: ['workbench.enter', 'pii.view', 'case.handle'], requiresMfa: false },
  /** 部门负责人 */
  department_head: {
    kind: 'staff',
    // The department's licences and its signing key are the head's: the seal is theirs to keep.
    permissions: [
      'workbench.enter',
      'pii.view',
      'case.handle',
      'case.lead',
      'services.manage',
      'licence.issue',
      'licence.revoke',
      'licence.keys',
      'publication.review',
      'disclosure.report',
    ],
    requiresMfa: false,
  },
  /** 监察员: electronic supervision of deadlines across departments. */
  supervisor: { kind: 'staff', permissions: ['workbench.enter', 'case.supervise'], requiresMfa: false },
  /** 事项管理员: maintains service items and guides (see services.manage for whose). */
  service_admin: { kind: 'staff', permissions: ['workbench.enter', 'services.manage'], requiresMfa: false },
  /** 信息发布员 */
  publisher: { kind: 'staff', permissions: ['workbench.enter', 'publication.write'], requiresMfa: false },
  /** 审计管理员: reads and exports the audit log, changes nothing. */
  auditor: {
    kind: 'staff',
    permissions: ['workbench.enter', 'audit.read', 'audit.export'],
    requiresMfa: true,
  },
  /** 安全管理员: roles and security settings, no business data. */
  security_admin: {
    kind: 'staff',
    permissions: ['workbench.enter', 'role.grant', 'security.policy', 'security.events'],
    requiresMfa: true,
  },
  /** 系统管理员: the deployment's sites, divisions, departments and staff accounts; not the audit log. */
  system_admin: {
    kind: 'staff',
    permissions: [
      'workbench.enter',
      'org.sites.manage',
      'org.site.manage',
      'org.division.manage',
      'org.department.manage',
      'staff.manage',
      'workflow.define',
      'workflow.calendar.manage',
      'site.check',
    ],
    requiresMfa: true,
  },
  /** 租户管理员: this site's settings and departments. */
  tenant_admin: {
    kind: 'staff',
    permissions: [
      'workbench.enter',
      'org.site.manage',
      'org.department.manage',
      'workflow.define',
      'workflow.calendar.manage',
      'search.terms',
      'publication.manage',
      'site.check',
      'content.moderate',
      'disclosure.report',
    ],
    requiresMfa: true,
  },
  /** 内容审核员: the site's sensitive words; releases or rejects the public posts they held. */
  moderator: { kind: 'staff', permissions: ['workbench.enter', 'content.moderate'], requiresMfa: false },
  /** 访谈主持人: schedules and hosts online interviews, approves the public's questions. */
  interview_host: {
    kind: 'staff',
    permissions: ['workbench.enter', 'interview.manage', 'interview.answer'],
    requiresMfa: false,
  },
  /** 访谈嘉宾: an official who answers in the online interviews they are a guest of. */
  interview_guest: {
    kind: 'staff',
    permissions: ['workbench.enter', 'interview.answer'],
    requiresMfa: false,
  },
  /** 信访工作人员: registers petitions of the jurisdiction (受理, 不予受理, 转送) and routes them. */
  petition_officer: {
    kind: 'staff',
    permissions: ['workbench.enter', 'pii.view', 'case.handle', 'petition.route'],
    requiresMfa: false,
  },
} as const satisfies Record<string, RoleDefinition>;

export type SystemRole = keyof typeof SYSTEM_ROLES;
export const SYSTEM_ROLE_CODES = Object.keys(SYSTEM_ROLES) as SystemRole[];

/** The duty areas among system, security and audit that a set of permissions reaches. */
export function separatedDuties(permissions: Iterable<Permission>): Set<Duty> {
  const duties = new Set<Duty>();
  for (const p of permissions) {
    const d = PERMISSIONS[p];
    if (d === 'system' || d === 'security' || d === 'audit') duties.add(d);
  }
  return duties;
}

/**
 * Why a set of permissions cannot be held by one account, or null: it reaches two of the separated
 * duties, or it mixes reading the audit log with any power to change something.
 */
export function dutyConflict(permissions: Iterable<Permission>): string | null {
  const all = [...permissions];
  if (separatedDuties(all).size > 1) return 'policy.duty.separated';
  if (all.some((p) => PERMISSIONS[p] === 'audit') && all.some((p) => PERMISSIONS[p] === 'business'))
    return 'policy.duty.auditor_changes';
  return null;
}

/** Who is making a request: read from the session by the identity module; null when anonymous. */
export interface Actor {
  /** 'account:<id>' */
  id: string;
  accountId: number;
  kind: AccountKind;
  /** The roles held, as recorded in the audit chain (e.g. 'staff:handler+window_officer'). */
  role: string;
  roles: readonly string[];
  permissions: ReadonlySet<Permission>;
  /** Staff: their department's division, the root of their jurisdiction. '' for everyone else. */
  division: string;
  departmentId: number | null;
  /** How pages greet them. */
  name: string;
}

/** What a route asks for: anyone, any signed-in account, a permission, or any one of several. */
export type Access = 'public' | 'signed-in' | Permission | readonly Permission[];

/** The object acted on, when there is one: its division (jurisdiction) and/or owner account. */
export interface Target {
  division?: string | null | undefined;
  ownerAccountId?: number | null | undefined;
}

export type Decision = 'allow' | 'sign-in' | 'forbidden' | 'hidden';

/** The policy function. Every access, route-level or object-level, is decided here. */
export function decide(actor: Actor | null, access: Access, target: Target = {}): Decision {
  if (access === 'public') return 'allow';
  if (!actor) return 'sign-in';
  if (access !== 'signed-in') {
    const anyOf: readonly Permission[] = typeof access === 'string' ? [access] : access;
    if (!anyOf.some((p) => actor.permissions.has(p))) return 'forbidden';
  }
  if (target.division != null) {
    // Only staff have a jurisdiction; a person or enterprise reaches objects as their owner.
    if (actor.kind !== 'staff' || !actor.division || !isWithin(target.division, actor.division))
      return 'hidden';
  }
  if (target.ownerAccountId != null && target.ownerAccountId !== actor.accountId) return 'hidden';
  return 'allow';
}

/**
 * decide(), as an error to throw when the answer is not allow. `hidden` is the error the caller gives
 * for an object that does not exist, so that one outside the jurisdiction gets exactly the same answer.
 */
export function authorize(
  actor: Actor | null,
  access: Access,
  target?: Target,
  hidden: () => DomainError = () => new DomainError('not_found', 'errors.not_found', { path: '' }),
): void {
  const decision = decide(actor, access, target);
  if (decision === 'allow') return;
  if (decision === 'sign-in') throw new DomainError('unauthorized', 'identity.session.required');
  if (decision === 'forbidden') throw new DomainError('forbidden', 'policy.forbidden');
  throw hidden();
}

/**
 * authorize() for a service call: `acting.actor` is the session's actor (null when anonymous), or
 * undefined for the system's own work (seeding, imports, the CLI), which is allowed.
 */
export function authorizeActing(
  acting: { actor?: Actor | null },
  access: Access,
  target?: Target,
  hidden?: () => DomainError,
): void {
  if (acting.actor === undefined) return;
  authorize(acting.actor, access, target, hidden);
}

/**
 * The division-code prefix a staff member's lists are limited to ('' = the whole nation). Lists filter
 * with it; single objects go through decide() with their division.
 */
export function jurisdictionPrefix(actor: Actor): string {
  if (actor.kind !== 'staff' || !actor.division) throw new DomainError('forbidden', 'policy.forbidden');
  return subtreePrefix(actor.division);
}

/** Permissions of a set of roles, from the role definitions given (the identity module's data). */
export function permissionsOf(
  roles: readonly string[],
  definitions: ReadonlyMap<string, readonly Permission[]>,
): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of definitions.get(r) ?? []) out.add(p);
  return out;
}
