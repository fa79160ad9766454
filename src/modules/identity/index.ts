/**
 * identity — accounts (staff, natural persons, legal persons), sessions, second factors, roles and
 * their grants, and the public identifier checks (GB 11643, GB 32100). The policy that decides every
 * access is the kernel's (src/kernel/policy); this module supplies who the actor is and what roles
 * they hold.
 */
import type { FastifyInstance } from 'fastify';
import { systemContext } from '../../kernel/audit/index.ts';
import type { Config } from '../../kernel/config/index.ts';
import { Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { createMailer } from '../../kernel/mail/index.ts';
import { SYSTEM_ROLES, type Permission } from '../../kernel/policy/index.ts';
import { accountPages } from './account.pages.tsx';
import { accountRoutes } from './account.routes.ts';
import { createAccountService } from './account.service.ts';
import { findAccounts, type AccountKind } from './account.store.ts';
import { identifierRoutes } from './identifiers.routes.ts';
import { mfaRoutes } from './mfa.routes.ts';
import { peopleHttp } from './people.http.tsx';
import { staffPages } from './staff.pages.tsx';
import { staffRoutes } from './staff.routes.ts';
import { createPeopleService } from './people.service.ts';
import { createMfaService } from './mfa.service.ts';
import { signinPages } from './signin.pages.tsx';
import { syncSystemRoles } from './role.store.ts';
import { registerSessions } from './session.http.ts';
import { rotateKeys, type RotationResult } from './keys.ts';
import { staffWithRole } from './staff.store.ts';
import { createStaffService, type DepartmentRef } from './staff.service.ts';

export { LOCKOUT, stageAfter } from './account.service.ts';
export type { DepartmentRef } from './staff.service.ts';

/**
 * Demo accounts seeded with the demo region, printed at start. Fabricated identifiers with correct
 * check characters; the passwords are public, so SEED_DEMO is off in production.
 */
export const DEMO_ACCOUNTS = [
  {
    kind: 'person',
    username: 'demo.citizen',
    password: 'Demo#2026citizen',
    displayName: '张演示',
    idNumber: '33010619900101123X',
  },
  {
    kind: 'enterprise',
    username: 'demo.company',
    password: 'Demo#2026company',
    displayName: '一网演示科技有限公司',
    creditCode: '91330106MA2DEM0091',
  },
] as const;

/**
 * Demo staff, one per kind of work, seeded with the demo region. Those holding an administrative or
 * audit role enrol an authenticator app at their first login (the page shows the QR code).
 */
export const DEMO_STAFF = [
  {
    username: 'demo.sysadmin',
    password: 'Demo#2026sysadmin',
    displayName: '王系统',
    department: '浙江省人民政府办公厅',
    roles: ['system_admin'],
  },
  {
    username: 'demo.secadmin',
    password: 'Demo#2026secadmin',
    displayName: '李安全',
    department: '浙江省人民政府办公厅',
    roles: ['security_admin'],
  },
  {
    username: 'demo.auditor',
    password: 'Demo#2026auditor',
    displayName: '赵审计',
    department: '浙江省人民政府办公厅',
    roles: ['auditor'],
  },
  {
    username: 'demo.window',
    password: 'Demo#2026window',
    displayName: '陈窗口',
    department: '西湖区政务服务中心',
    roles: ['window_officer'],
  },
  {
    username: 'demo.handler',
    password: 'Demo#2026handler',
    displayName: '刘承办',
    department: '西湖区民政局',
    roles: ['handler'],
  },
  {
    username: 'demo.head',
    password: 'Demo#2026head',
    displayName: '周科长',
    department: '西湖区民政局',
    roles: ['department_head', 'handler'],
  },
  {
    username: 'demo.supervisor',
    password: 'Demo#2026supervisor',
    displayName: '吴监察',
    department: '杭州市人民政府办公厅',
    roles: ['supervisor'],
  },
  // The service catalogue's administrator, and the departments 开办企业 runs across in parallel.
  {
    // 信息发布员: drafts publications in 西湖区民政局's name; demo.head reviews them.
    username: 'demo.publisher',
    password: 'Demo#2026publisher',
    displayName: '钱发布',
    department: '西湖区民政局',
    roles: ['publisher'],
  },
  {
    username: 'demo.services',
    password: 'Demo#2026services',
    displayName: '郑事项',
    department: '浙江省政务服务管理办公室',
    roles: ['service_admin'],
  },
  {
    username: 'demo.market',
    password: 'Demo#2026market',
    displayName: '孙市监',
    department: '西湖区市场监督管理局',
    roles: ['department_head', 'handler'],
  },
  {
    username: 'demo.police',
    password: 'Demo#2026police',
    displayName: '钱警官',
    department: '杭州市公安局西湖区分局',
    roles: ['handler'],
  },
  {
    username: 'demo.tax',
    password: 'Demo#2026tax',
    displayName: '冯税务',
    department: '国家税务总局杭州市西湖区税务局',
    roles: ['handler'],
  },
  {
    username: 'demo.hrss',
    password: 'Demo#2026hrss',
    displayName: '何社保',
    department: '西湖区人力资源和社会保障局',
    roles: ['handler'],
  },
  // The assignees of the other demo items' processes (workflow/processes/demo.*.json), one per department.
  {
    username: 'demo.street',
    password: 'Demo#2026street',
    displayName: '沈街道',
    department: '西溪街道办事处',
    roles: ['window_officer', 'handler'],
  },
  {
    username: 'demo.agri',
    password: 'Demo#2026agri',
    displayName: '韩农业',
    department: '西湖区农业农村局',
    roles: ['department_head', 'handler'],
  },
  {
    username: 'demo.housing',
    password: 'Demo#2026housing',
    displayName: '杨住建',
    department: '西湖区住房和城乡建设局',
    roles: ['department_head', 'handler'],
  },
  {
    username: 'demo.edu',
    password: 'Demo#2026edu',
    displayName: '朱教育',
    department: '西湖区教育局',
    roles: ['department_head', 'handler'],
  },
  {
    username: 'demo.hzcivil',
    password: 'Demo#2026hzcivil',
    displayName: '秦民政',
    department: '杭州市民政局',
    roles: ['department_head', 'handler'],
  },
  {
    username: 'demo.hzpolice',
    password: 'Demo#2026hzpolice',
    displayName: '尤警官',
    department: '杭州市公安局',
    roles: ['handler'],
  },
  {
    username: 'demo.zjpolice',
    password: 'Demo#2026zjpolice',
    displayName: '许治安',
    department: '浙江省公安厅',
    roles: ['department_head', 'handler'],
  },
  {
    username: 'demo.health',
    password: 'Demo#2026health',
    displayName: '施卫健',
    department: '浙江省卫生健康委员会',
    roles: ['department_head', 'handler'],
  },
  // 政府信息公开工作机构 of the provincial government: replies to requests for government information
  // (依申请公开) sent to its general office, the body a request goes to by default.
  {
    username: 'demo.disclosure',
    password: 'Demo#2026disclosure',
    displayName: '林公开',
    department: '浙江省人民政府办公厅',
    roles: ['department_head', 'handler'],
  },
  // 内容审核员: the site's sensitive words and the held public posts (at the province: the whole site).
  {
    username: 'demo.moderator',
    password: 'Demo#2026moderator',
    displayName: '严审核',
    department: '浙江省人民政府办公厅',
    roles: ['moderator'],
  },
  // 在线访谈: the host schedules and runs interviews and approves questions; the guest (an official of
  // 西湖区民政局) answers in the interviews where a guest is tied to the account.
  {
    username: 'demo.host',
    password: 'Demo#2026host',
    displayName: '孔主持',
    department: '浙江省人民政府办公厅',
    roles: ['interview_host'],
  },
  {
    username: 'demo.guest',
    password: 'Demo#2026guest',
    displayName: '曹局长',
    department: '西湖区民政局',
    roles: ['interview_guest'],
  },
  // 网上信访: the petition office of 杭州市 registers the petitions of the city's places (受理, 不予受理,
  // 转送), routes and hands them on; a 西湖区住房和城乡建设局 handler answers the 城乡建设 ones (its head,
  // demo.housing, approves an extension).
  {
    username: 'demo.petition',
    password: 'Demo#2026petition',
    displayName: '郭信访',
    department: '杭州市信访局',
    roles: ['petition_officer', 'handler'],
  },
  {
    username: 'demo.xihu',
    password: 'Demo#2026xihu',
    displayName: '陆承办',
    department: '西湖区住房和城乡建设局',
    roles: ['handler'],
  },
] as const;
export type { Account } from './account.store.ts';

export interface IdentityPorts {
  /** A department of a site, from the org module (identity reads no org table). */
  findDepartment(tenantId: string, id: number): Promise<DepartmentRef | undefined>;
  /** The active departments of a site, for choosing a new staff member's department. */
  listDepartments(tenantId: string): Promise<DepartmentRef[]>;
}

export function createIdentityModule(db: Database, config: Config, ports: IdentityPorts) {
  const keyring = new Sm4Keyring(config.piiKeys, config.piiKeyCurrent);
  const accounts = createAccountService({
    findDepartment: ports.findDepartment,
    db,
    keyring,
    lookupKey: config.piiLookupKey,
    sessionIdleMs: config.sessionIdleMinutes * 60_000,
    sessionAbsoluteMs: config.sessionAbsoluteHours * 3_600_000,
  });
  const mfa = createMfaService({ db, keyring, lookupKey: config.piiLookupKey, accounts });
  // No mailer without SMTP_URL: one-time password links are then always shown to the administrator.
  const mailer = createMailer(config.smtp);
  const staff = createStaffService({ db, accounts, findDepartment: ports.findDepartment, mailer });
  const people = createPeopleService({ db, keyring, lookupKey: config.piiLookupKey });
  const http = {
    accounts,
    mfa,
    staff,
    keyring,
    secureCookies: config.nodeEnv === 'production',
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    db,
  };
  return {
    accounts,
    staff,
    mfa,
    /**
     * Active staff holding a role in some departments, or in departments of some divisions: whom a
     * task, an escalation or an urge reaches (for the workflow module, which reads no identity table).
     */
    staffWithRole: (
      tenantId: string,
      where: { role: string; departmentIds?: readonly number[]; divisionCodes?: readonly string[] },
      ex: Executor = db.kysely,
    ) => staffWithRole(ex, tenantId, where),
    /** Writes the system roles from the policy's table (every start; idempotent on every node). */
    syncRoles: () => syncSystemRoles(db.kysely, SYSTEM_ROLES),
    workbenchLinks: [
      { href: '/workbench/people', key: 'identity.people.title', permission: 'pii.view' },
      { href: '/workbench/staff', key: 'identity.staff.manage', permission: 'staff.manage' },
      { href: '/workbench/grants', key: 'identity.role.grants', permission: 'role.grant' },
      { href: '/workbench/roles', key: 'identity.role.title', permission: 'role.grant' },
      { href: '/workbench/security', key: 'identity.security.title', permission: 'security.policy' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    /** Reads the session cookie into the request's actor; register before any route. */
    sessions(app: FastifyInstance) {
      registerSessions(app, accounts, db);
    },
    /** Registers the demo accounts on a site that has no account yet; returns whether it did. */
    async seedDemoAccounts(
      tenantId: string,
      departmentIdOf: (name: string) => number | undefined,
    ): Promise<boolean> {
      if (await accounts.hasAccounts(tenantId)) return false;
      for (const a of DEMO_ACCOUNTS) await accounts.register(systemContext(tenantId), a);
      for (const s of DEMO_STAFF) {
        const departmentId = departmentIdOf(s.department);
        if (departmentId === undefined) continue;
        await staff.seed(systemContext(tenantId), { ...s, departmentId, roles: [...s.roles] });
      }
      return true;
    },
    async routes(app: FastifyInstance) {
      await identifierRoutes(app);
      await accountRoutes(app, http);
      await mfaRoutes(app, http);
      accountPages(app, http);
      signinPages(app, http);
      peopleHttp(app, { people });
      await staffRoutes(app, { staff });
      staffPages(app, { staff, departments: ports.listDepartments });
    },
  };
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;

/** Who an account is, for telling them something (the notify module's inbox and e-mail copies). */
export interface AccountContact {
  kind: AccountKind;
  displayName: string;
  /** Staff only: the work e-mail address; null when there is none. */
  email: string | null;
  active: boolean;
}

/**
 * An account's kind, name, work e-mail and status. Reads through the executor it is given, so a caller
 * inside a transaction sees its own writes (and on PGlite, whose one connection that transaction holds,
 * does not wait for itself).
 */
/** Who accounts of a site are (for the notify module), by id; an unknown id is missing from the map. */
export async function contactsOf(
  ex: Executor,
  tenantId: string,
  accountIds: readonly number[],
): Promise<Map<number, AccountContact>> {
  const accounts = await findAccounts(ex, tenantId, accountIds);
  return new Map(
    accounts.map((a) => [
      a.id,
      { kind: a.kind, displayName: a.displayName, email: a.email, active: a.status === 'active' },
    ]),
  );
}

/** `yiwang keys rotate`: re-encrypts personal data still under an old SM4 key with the current one. */
export function rotatePersonalDataKeys(
  db: Database,
  config: Config,
  onProgress?: (done: number, total: number) => void,
): Promise<RotationResult> {
  return rotateKeys(db, new Sm4Keyring(config.piiKeys, config.piiKeyCurrent), onProgress);
}
