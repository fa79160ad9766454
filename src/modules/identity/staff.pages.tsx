/**
 * Workbench pages for staff administration (用户与授权管理): staff accounts of the jurisdiction, role
 * grants, the roles and what they allow, the site's password expiry; and the public page where a person
 * sets a password through a one-time link. Every decision (permission, jurisdiction, oneself,
 * separation of duties) is the staff service's; these pages show its answers beside the fields or as a
 * message on the page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AuditContext } from '../../kernel/audit/index.ts';
import { isWithin } from '../../kernel/divisions/index.ts';
import { DomainError, ERROR_STATUS } from '../../kernel/errors.ts';
import { auditContextOf, formValues, submitForm } from '../../kernel/http/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import {
  portalPage,
  CsrfField,
  emptyForm,
  Field,
  Form,
  Pagination,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import type { Account } from './account.store.ts';
import type { Role } from './role.store.ts';
import { linkSiteOf, passwordLinkUrl, roleName, STAFF_READERS } from './staff.routes.ts';
import { beijingTime, type IssuedLink, type StaffService } from './staff.service.ts';
import type { StaffRow } from './staff.store.ts';

export interface StaffPagesDeps {
  staff: StaffService;
  /** The site's active departments (from the org module). */
  departments: (tenantId: string) => Promise<{ id: number; name: string; divisionCode: string }[]>;
}

type DepartmentOption = Awaited<ReturnType<StaffPagesDeps['departments']>>[number];

const PAGE = 50;
const HIDE = { hide: true } as const;

/** A whole, non-negative offset from the query; anything else reads as 0. */
function offsetOf(query: unknown): number {
  const raw = (query as { offset?: string }).offset;
  const n = Number(raw);
  return raw !== undefined && Number.isSafeInteger(n) && n >= 0 && n <= 1_000_000 ? n : 0;
}

/** The account id in the path, or null when it cannot be one (the caller answers 404). */
function idOf(req: FastifyRequest): number | null {
  const raw = (req.params as { id: string }).id;
  const n = Number(raw);
  return /^[1-9][0-9]{0,15}$/.test(raw) && Number.isSafeInteger(n) ? n : null;
}

const permissionLabel = (t: Translate, p: string) => t(`policy.permission.${p.replace(/\./g, '_')}`);

/** Pages that hold a one-time secret: never stored by a cache, never sent on as a referrer. */
function secretPage(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
}

/** A refusal (self-action, forbidden) shown on the page it came from. */
function PageProblem(props: { message: string | undefined }) {
  const { t } = usePage();
  if (!props.message) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{t('form.error_summary')}</h2>
      <p>{props.message}</p>
    </div>
  );
}

function StaffSearch(props: { q: string }) {
  const { t } = usePage();
  return (
    <form method="get" action="/workbench/staff" role="search" class="search-form">
      <label for="staff-q">{t('identity.staff.search_label')}</label>
      <input id="staff-q" name="q" type="search" value={props.q} maxLength={50} />
      <button type="submit">{t('common.search')}</button>
    </form>
  );
}

function RoleNames(props: { codes: readonly string[]; roles: ReadonlyMap<string, Role> }) {
  const { t } = usePage();
  if (props.codes.length === 0) return <span class="muted">{t('identity.staff.no_roles')}</span>;
  return (
    <>
      {props.codes
        .map((c) => {
          const r = props.roles.get(c);
          return r ? roleName(t, r) : c;
        })
        .join('、')}
    </>
  );
}

function StaffTable(props: { items: StaffRow[]; roles: ReadonlyMap<string, Role> }) {
  const { t } = usePage();
  return (
    <table>
      <caption class="visually-hidden">{t('identity.staff.list_caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('identity.staff.display_name')}</th>
          <th scope="col">{t('identity.account.username')}</th>
          <th scope="col">{t('identity.staff.division')}</th>
          <th scope="col">{t('identity.staff.roles')}</th>
          <th scope="col">{t('identity.staff.mfa')}</th>
          <th scope="col">{t('identity.staff.status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((s) => (
          <tr>
            <td>
              <a href={`/workbench/staff/${s.id}`}>{s.displayName}</a>
            </td>
            <td>{s.username}</td>
            <td>
              <code>{s.divisionCode}</code>
            </td>
            <td>
              <RoleNames codes={s.roles} roles={props.roles} />
            </td>
            <td>{s.mfaEnabled ? t('identity.staff.mfa.enabled') : t('identity.staff.mfa.not_enabled')}</td>
            <td>{t(`identity.staff.status.${s.status}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The work e-mail field: its hint says whether links will go there (only when SMTP is configured). */
function EmailField(props: { state: FormState; mailEnabled: boolean }) {
  const { t } = usePage();
  return (
    <Field
      name="email"
      type="email"
      label={t('identity.staff.email')}
      hint={t(props.mailEnabled ? 'identity.staff.email_hint_mail' : 'identity.staff.email_hint_no_mail')}
      state={props.state}
      maxLength={254}
      inputMode="email"
      autocomplete="off"
    />
  );
}

function NewStaffForm(props: { state: FormState; departments: DepartmentOption[]; mailEnabled: boolean }) {
  const { t } = usePage();
  return (
    <Form action="/workbench/staff/new" state={props.state} submitLabel={t('identity.staff.create')}>
      <Field
        name="username"
        label={t('identity.account.username')}
        hint={t('identity.account.username_hint')}
        state={props.state}
        required
        maxLength={32}
        autocomplete="off"
      />
      <Field
        name="displayName"
        label={t('identity.staff.display_name')}
        state={props.state}
        required
        maxLength={100}
        autocomplete="off"
      />
      <Field
        name="departmentId"
        label={t('identity.staff.department')}
        hint={t('identity.staff.department_hint')}
        state={props.state}
        required
        options={[
          { value: '', label: t('common.choose') },
          ...props.departments.map((d) => ({ value: String(d.id), label: `${d.name}（${d.divisionCode}）` })),
        ]}
      />
      <EmailField state={props.state} mailEnabled={props.mailEnabled} />
    </Form>
  );
}

/**
 * The one-time link, shown to the administrator once, right after it was made — or, when it was
 * e-mailed to the person, only where it went. A failed e-mail is said first, then the link is shown.
 */
function LinkView(props: { account: Account; issued: IssuedLink; url: string; purpose: 'setup' | 'reset' }) {
  const { t } = usePage();
  const a = props.account;
  const { link, delivery } = props.issued;
  const time = beijingTime(link.expiresAt);
  const back = (
    <p>
      <a href={`/workbench/staff/${a.id}`}>{t('identity.password_link.back')}</a>
    </p>
  );
  return (
    <>
      <h1>{t(props.purpose === 'setup' ? 'identity.staff.created_title' : 'identity.staff.reset_title')}</h1>
      <dl class="facts">
        <dt>{t('identity.staff.display_name')}</dt>
        <dd>{a.displayName}</dd>
        <dt>{t('identity.account.username')}</dt>
        <dd>{a.username}</dd>
      </dl>
      {delivery.mailedTo ? (
        <>
          <p class="notice" role="status" id="password-link-mailed">
            {t('identity.password_link.mailed', { email: delivery.mailedTo, time })}
          </p>
          {back}
        </>
      ) : (
        <LinkShown url={props.url} time={time} mailFailedTo={delivery.mailFailed?.to} back={back} />
      )}
    </>
  );
}

function LinkShown(props: { url: string; time: string; mailFailedTo: string | undefined; back: VNode }) {
  const { t } = usePage();
  return (
    <>
      {props.mailFailedTo ? (
        <div class="error-summary" role="alert" tabIndex={-1} id="password-link-mail-failed">
          <p>{t('identity.password_link.mail_failed', { email: props.mailFailedTo })}</p>
        </div>
      ) : null}
      <div class="field">
        <label for="password-link">{t('identity.password_link.label')}</label>
        <p class="hint" id="password-link-expires">
          {t('identity.password_link.expires', { time: props.time })}
        </p>
        <input
          id="password-link"
          type="text"
          readOnly
          value={props.url}
          aria-describedby="password-link-expires password-link-once"
        />
      </div>
      <p class="notice" role="status" id="password-link-once">
        {t('identity.password_link.shown_once')}
      </p>
      {props.back}
    </>
  );
}

interface DetailProps {
  account: Account;
  held: Role[];
  grantable: Role[];
  departmentName: string | undefined;
  grantState: FormState;
  /** The work e-mail form; its value is the account's address unless a submission failed. */
  emailState: FormState;
  mailEnabled: boolean;
  problem?: string | undefined;
}

function StaffDetail(props: DetailProps) {
  const { t, viewer } = usePage();
  const a = props.account;
  const canGrant = viewer?.permissions.has('role.grant') ?? false;
  const canManage = viewer?.permissions.has('staff.manage') ?? false;
  return (
    <>
      <h1>
        {a.displayName} <span class="muted">{a.username}</span>
      </h1>
      <SavedNotice />
      <PageProblem message={props.problem} />
      <dl class="facts">
        <dt>{t('identity.account.username')}</dt>
        <dd>{a.username}</dd>
        <dt>{t('identity.staff.display_name')}</dt>
        <dd>{a.displayName}</dd>
        <dt>{t('identity.staff.department')}</dt>
        <dd>{props.departmentName ?? (a.departmentId === null ? '—' : `#${a.departmentId}`)}</dd>
        <dt>{t('identity.staff.division')}</dt>
        <dd>
          <code>{a.divisionCode ?? ''}</code>
        </dd>
        <dt>{t('identity.staff.status')}</dt>
        <dd>{t(`identity.staff.status.${a.status}`)}</dd>
        <dt>{t('identity.staff.mfa')}</dt>
        <dd>{a.mfaEnabledAt ? t('identity.staff.mfa.enabled') : t('identity.staff.mfa.not_enabled')}</dd>
        <dt>{t('identity.staff.email')}</dt>
        <dd>{a.email ?? <span class="muted">{t('identity.staff.email_none')}</span>}</dd>
      </dl>

      <h2>{t('identity.staff.roles_held')}</h2>
      {props.held.length === 0 ? (
        <p>{t('identity.staff.no_roles')}</p>
      ) : (
        <ul class="inline-list">
          {props.held.map((r) => (
            <li>
              {roleName(t, r)} <code>{r.code}</code>
              {canGrant ? (
                <>
                  {' '}
                  <form
                    method="post"
                    action={`/workbench/staff/${a.id}/roles/${encodeURIComponent(r.code)}/revoke`}
                    class="inline-form"
                  >
                    <CsrfField />
                    <button
                      type="submit"
                      class="secondary"
                      aria-label={t('identity.staff.revoke_label', { role: roleName(t, r) })}
                    >
                      {t('identity.staff.revoke')}
                    </button>
                  </form>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}

      {canGrant ? (
        <>
          <h2>{t('identity.staff.grant')}</h2>
          {props.grantable.length === 0 ? (
            <p>{t('identity.staff.grant_none')}</p>
          ) : (
            <Form
              action={`/workbench/staff/${a.id}/roles`}
              state={props.grantState}
              submitLabel={t('identity.staff.grant_submit')}
            >
              <Field
                name="role"
                label={t('identity.staff.roles')}
                hint={t('identity.staff.grant_hint')}
                state={props.grantState}
                required
                options={[
                  { value: '', label: t('common.choose') },
                  ...props.grantable.map((r) => ({ value: r.code, label: `${roleName(t, r)}（${r.code}）` })),
                ]}
              />
            </Form>
          )}
        </>
      ) : null}

      {canManage ? (
        <>
          <h2>{t('identity.staff.email')}</h2>
          <Form
            action={`/workbench/staff/${a.id}/email`}
            state={props.emailState}
            submitLabel={t('identity.staff.email_save')}
          >
            <EmailField state={props.emailState} mailEnabled={props.mailEnabled} />
          </Form>

          <h2>{t('identity.staff.account_actions')}</h2>
          <form method="post" action={`/workbench/staff/${a.id}/status`}>
            <CsrfField />
            <input type="hidden" name="status" value={a.status === 'active' ? 'disabled' : 'active'} />
            <p class="hint" id="status-hint">
              {t(a.status === 'active' ? 'identity.staff.disable_hint' : 'identity.staff.enable_hint')}
            </p>
            <button type="submit" class="secondary" aria-describedby="status-hint">
              {t(a.status === 'active' ? 'identity.staff.disable' : 'identity.staff.enable')}
            </button>
          </form>
          <form method="post" action={`/workbench/staff/${a.id}/password-reset`}>
            <CsrfField />
            <p class="hint" id="reset-hint">
              {t('identity.staff.reset_hint')}
            </p>
            <button type="submit" class="secondary" aria-describedby="reset-hint">
              {t('identity.staff.reset_password')}
            </button>
          </form>
        </>
      ) : null}
    </>
  );
}

function RolesTable(props: { roles: Role[]; holders: ReadonlyMap<string, number> }) {
  const { t } = usePage();
  return (
    <table>
      <caption class="visually-hidden">{t('identity.role.list_caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('identity.role.name')}</th>
          <th scope="col">{t('identity.role.kind')}</th>
          <th scope="col">{t('identity.role.permissions')}</th>
          <th scope="col">{t('identity.role.requires_mfa')}</th>
          <th scope="col">{t('identity.role.holders')}</th>
        </tr>
      </thead>
      <tbody>
        {props.roles.map((r) => (
          <tr>
            <th scope="row">
              {roleName(t, r)} <code>{r.code}</code>
            </th>
            <td>{t(`identity.account.kind.${r.kind}`)}</td>
            <td>
              <ul>
                {r.permissions.map((p) => (
                  <li>{permissionLabel(t, p)}</li>
                ))}
              </ul>
            </td>
            <td>
              {r.requiresMfa ? t('identity.role.requires_mfa.yes') : t('identity.role.requires_mfa.no')}
            </td>
            <td>{props.holders.get(r.code) ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SecurityForm(props: { state: FormState }) {
  const { t } = usePage();
  return (
    <Form action="/workbench/security" state={props.state} submitLabel={t('common.save')}>
      <Field
        name="passwordMaxAgeDays"
        label={t('identity.security.password_max_age')}
        hint={t('identity.security.password_max_age_hint')}
        state={props.state}
        inputMode="numeric"
        maxLength={4}
      />
    </Form>
  );
}

function PasswordLinkForm(props: {
  token: string;
  purpose: 'setup' | 'reset';
  account: Account;
  state: FormState;
}) {
  const { t } = usePage();
  return (
    <>
      <h1>
        {t(
          props.purpose === 'setup'
            ? 'identity.password_link.title_setup'
            : 'identity.password_link.title_reset',
        )}
      </h1>
      <p>{t('identity.password_link.intro')}</p>
      <dl class="facts">
        <dt>{t('identity.staff.display_name')}</dt>
        <dd>{props.account.displayName}</dd>
        <dt>{t('identity.account.username')}</dt>
        <dd>{props.account.username}</dd>
      </dl>
      <Form
        action={`/password/${props.token}`}
        state={props.state}
        submitLabel={t('identity.password_link.submit')}
      >
        <Field
          name="password"
          label={t('identity.password.new')}
          hint={t('identity.password.rules')}
          state={props.state}
          type="password"
          required
          maxLength={128}
          autocomplete="new-password"
        />
      </Form>
    </>
  );
}

export function staffPages(app: FastifyInstance, deps: StaffPagesDeps): void {
  const { staff } = deps;

  const rolesByCode = async (tenantId: string) =>
    new Map((await staff.roles(tenantId)).map((r) => [r.code, r] as const));

  // The list serves account administrators and security administrators alike: the route asks only
  // for the workbench, and the service for 'staff.manage' or 'role.grant' within the jurisdiction.
  app.get('/workbench/staff', { schema: HIDE, config: { access: STAFF_READERS } }, async (req, reply) => {
    const t = req.t;
    const q = String((req.query as { q?: unknown }).q ?? '')
      .trim()
      .slice(0, 50);
    const offset = offsetOf(req.query);
    const page = await staff.list(auditContextOf(req), { q: q || undefined, limit: PAGE, offset });
    const roles = await rolesByCode(req.site.tenantId);
    const canCreate = req.actor?.permissions.has('staff.manage') ?? false;
    return reply.page(
      workbenchPage(
        t,
        t('identity.staff.manage'),
        <>
          <h1>{t('identity.staff.manage')}</h1>
          <SavedNotice />
          {canCreate ? (
            <p>
              <a class="button" href="/workbench/staff/new">
                {t('identity.staff.add')}
              </a>
            </p>
          ) : null}
          <StaffSearch q={q} />
          {page.items.length === 0 ? (
            <p role="status">{q ? t('identity.staff.no_match', { q }) : t('identity.staff.none')}</p>
          ) : (
            <StaffTable items={page.items} roles={roles} />
          )}
          <Pagination
            base={q ? `/workbench/staff?q=${encodeURIComponent(q)}` : '/workbench/staff'}
            offset={offset}
            limit={PAGE}
            total={page.total}
          />
        </>,
      ),
    );
  });

  // Granting happens on each staff member's page; the navigation's "role grants" entry leads to the list.
  app.get('/workbench/grants', { schema: HIDE, config: { access: 'role.grant' } }, async (_req, reply) =>
    reply.redirect('/workbench/staff', 302),
  );

  /** The departments an administrator may put staff in: those of their jurisdiction. */
  const departmentsFor = async (req: FastifyRequest) => {
    const root = req.actor?.division ?? '';
    if (!root) return [];
    return (await deps.departments(req.site.tenantId)).filter((d) => isWithin(d.divisionCode, root));
  };
  const newStaffPage = (req: FastifyRequest, state: FormState, departments: DepartmentOption[]) =>
    workbenchPage(
      req.t,
      req.t('identity.staff.add'),
      <>
        <h1>{req.t('identity.staff.add')}</h1>
        <p>{req.t('identity.staff.add_intro')}</p>
        <NewStaffForm state={state} departments={departments} mailEnabled={staff.mailEnabled} />
      </>,
      [{ href: '/workbench/staff', label: req.t('identity.staff.manage') }],
    );
  const linkPage = (
    req: FastifyRequest,
    account: Account,
    issued: IssuedLink,
    purpose: 'setup' | 'reset',
  ): PageContent => {
    if (issued.delivery.mailFailed)
      req.log.warn(
        { reason: issued.delivery.mailFailed.reason },
        'password link e-mail failed; shown instead',
      );
    return workbenchPage(
      req.t,
      req.t(purpose === 'setup' ? 'identity.staff.created_title' : 'identity.staff.reset_title'),
      <LinkView
        account={account}
        issued={issued}
        url={passwordLinkUrl(req, issued.link)}
        purpose={purpose}
      />,
      [{ href: '/workbench/staff', label: req.t('identity.staff.manage') }],
    );
  };

  app.get('/workbench/staff/new', { schema: HIDE, config: { access: 'staff.manage' } }, async (req, reply) =>
    reply.page(newStaffPage(req, emptyForm(), await departmentsFor(req))),
  );
  app.post(
    '/workbench/staff/new',
    { schema: HIDE, config: { access: 'staff.manage' } },
    async (req, reply) => {
      const v = formValues(req.body);
      const departmentId = /^[1-9][0-9]{0,15}$/.test(v.departmentId ?? '') ? Number(v.departmentId) : 0;
      try {
        const issued = await staff.create(
          auditContextOf(req),
          {
            username: v.username ?? '',
            displayName: v.displayName ?? '',
            departmentId,
            email: v.email ?? '',
          },
          linkSiteOf(req),
        );
        // Shown right here, once: a redirect would need the link kept somewhere.
        return secretPage(reply).page(linkPage(req, issued.account, issued, 'setup'));
      } catch (e) {
        if (!(e instanceof DomainError) || (e.kind !== 'invalid' && e.kind !== 'conflict')) throw e;
        const state: FormState = {
          values: v,
          problems: e.fields,
          formProblem: e.fields.length === 0 ? req.t(e.code, e.params) : undefined,
        };
        return reply.page(newStaffPage(req, state, await departmentsFor(req)), ERROR_STATUS[e.kind]);
      }
    },
  );

  /** The staff member's page, as `ctx` may see it, with what went wrong if anything did. */
  async function detailPage(
    req: FastifyRequest,
    ctx: AuditContext,
    id: number,
    extra: { grantState?: FormState; emailState?: FormState; problem?: string } = {},
  ): Promise<PageContent> {
    const { account, roles: held } = await staff.get(ctx, id);
    const [all, departments] = await Promise.all([
      staff.roles(req.site.tenantId),
      deps.departments(req.site.tenantId),
    ]);
    const heldCodes = new Set(held.map((r) => r.code));
    return workbenchPage(
      req.t,
      account.displayName,
      <StaffDetail
        account={account}
        held={held}
        grantable={all.filter((r) => r.kind === account.kind && !heldCodes.has(r.code))}
        departmentName={departments.find((d) => d.id === account.departmentId)?.name}
        grantState={extra.grantState ?? emptyForm()}
        emailState={extra.emailState ?? emptyForm({ email: account.email ?? '' })}
        mailEnabled={staff.mailEnabled}
        problem={extra.problem}
      />,
      [{ href: '/workbench/staff', label: req.t('identity.staff.manage') }],
    );
  }

  app.get('/workbench/staff/:id', { schema: HIDE, config: { access: STAFF_READERS } }, async (req, reply) => {
    const id = idOf(req);
    if (id === null) return reply.callNotFound();
    return reply.page(await detailPage(req, auditContextOf(req), id));
  });

  /**
   * Runs an action on a staff member. A refusal the service explains (bad role, a separated duty,
   * oneself) is shown on the staff member's page with its status; a role problem beside the role field.
   */
  async function staffAction(
    req: FastifyRequest,
    reply: FastifyReply,
    run: (ctx: AuditContext, id: number) => Promise<FastifyReply | void>,
  ): Promise<FastifyReply> {
    const id = idOf(req);
    if (id === null) {
      reply.callNotFound();
      return reply;
    }
    const ctx = auditContextOf(req);
    try {
      return (await run(ctx, id)) ?? reply.redirect(`/workbench/staff/${id}?saved=1`, 303);
    } catch (e) {
      if (!(e instanceof DomainError) || !['invalid', 'conflict', 'forbidden'].includes(e.kind)) throw e;
      const values = formValues(req.body);
      const roleProblems = e.fields.filter((f) => f.field === 'role');
      const emailProblems = e.fields.filter((f) => f.field === 'email');
      const page =
        roleProblems.length > 0
          ? await detailPage(req, ctx, id, { grantState: { values, problems: roleProblems } })
          : emailProblems.length > 0
            ? await detailPage(req, ctx, id, { emailState: { values, problems: emailProblems } })
            : await detailPage(req, ctx, id, { problem: req.t(e.code, e.params) });
      return reply.page(page, ERROR_STATUS[e.kind]);
    }
  }

  app.post(
    '/workbench/staff/:id/roles',
    { schema: HIDE, config: { access: 'role.grant' } },
    async (req, reply) =>
      staffAction(req, reply, async (ctx, id) => {
        const role = (formValues(req.body).role ?? '').trim();
        if (!role)
          throw new DomainError('invalid', 'errors.invalid_input', {}, [
            { field: 'role', code: 'errors.field_required' },
          ]);
        await staff.grant(ctx, id, role);
      }),
  );
  app.post(
    '/workbench/staff/:id/roles/:role/revoke',
    { schema: HIDE, config: { access: 'role.grant' } },
    async (req, reply) =>
      staffAction(req, reply, (ctx, id) => staff.revoke(ctx, id, (req.params as { role: string }).role)),
  );
  app.post(
    '/workbench/staff/:id/status',
    { schema: HIDE, config: { access: 'staff.manage' } },
    async (req, reply) =>
      staffAction(req, reply, async (ctx, id) => {
        const status = formValues(req.body).status;
        if (status !== 'active' && status !== 'disabled')
          throw new DomainError('invalid', 'errors.invalid_input');
        await staff.setStatus(ctx, id, status);
      }),
  );
  app.post(
    '/workbench/staff/:id/password-reset',
    { schema: HIDE, config: { access: 'staff.manage' } },
    async (req, reply) =>
      staffAction(req, reply, async (ctx, id) => {
        const issued = await staff.resetPassword(ctx, id, linkSiteOf(req));
        const { account } = await staff.get(ctx, id);
        return secretPage(reply).page(linkPage(req, account, issued, 'reset'));
      }),
  );
  app.post(
    '/workbench/staff/:id/email',
    { schema: HIDE, config: { access: 'staff.manage' } },
    async (req, reply) =>
      staffAction(req, reply, (ctx, id) => staff.setEmail(ctx, id, formValues(req.body).email ?? '')),
  );

  app.get('/workbench/roles', { schema: HIDE, config: { access: 'role.grant' } }, async (req, reply) => {
    const t = req.t;
    const [roles, holders] = await Promise.all([
      staff.roles(req.site.tenantId),
      staff.holderCounts(req.site.tenantId),
    ]);
    return reply.page(
      workbenchPage(
        t,
        t('identity.role.title'),
        <>
          <h1>{t('identity.role.title')}</h1>
          <h2>{t('identity.role.separation_title')}</h2>
          <p>{t('identity.role.separation_intro')}</p>
          <RolesTable roles={roles} holders={holders} />
        </>,
      ),
    );
  });

  const securityPage = (req: FastifyRequest, state: FormState) =>
    workbenchPage(
      req.t,
      req.t('identity.security.title'),
      <>
        <h1>{req.t('identity.security.title')}</h1>
        <SavedNotice />
        <SecurityForm state={state} />
      </>,
    );
  app.get(
    '/workbench/security',
    { schema: HIDE, config: { access: 'security.policy' } },
    async (req, reply) => {
      const { passwordMaxAgeDays } = await staff.securitySettings(req.site.tenantId);
      return reply.page(
        securityPage(
          req,
          emptyForm({ passwordMaxAgeDays: passwordMaxAgeDays === null ? '' : String(passwordMaxAgeDays) }),
        ),
      );
    },
  );
  app.post(
    '/workbench/security',
    { schema: HIDE, config: { access: 'security.policy' } },
    async (req, reply) =>
      submitForm(
        req,
        reply,
        async (v) => {
          const raw = (v.passwordMaxAgeDays ?? '').trim();
          // Not a whole number (or out of range): the service names the field.
          const days = raw === '' ? null : /^[0-9]{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
          await staff.setSecuritySettings(auditContextOf(req), { passwordMaxAgeDays: days });
          return '/workbench/security?saved=1';
        },
        (state) => securityPage(req, state),
      ),
  );

  // The public page of a one-time password link.
  const linkFor = async (req: FastifyRequest) => {
    const token = (req.params as { token: string }).token;
    const found = await staff.peekLink(token);
    if (!found || found.account.tenantId !== req.site.tenantId || found.account.status !== 'active')
      throw new DomainError('not_found', 'identity.password_link.invalid');
    return { token, ...found };
  };
  const passwordPage = (
    req: FastifyRequest,
    link: Awaited<ReturnType<typeof linkFor>>,
    state: FormState,
  ): PageContent => {
    const title = req.t(
      link.purpose === 'setup' ? 'identity.password_link.title_setup' : 'identity.password_link.title_reset',
    );
    // Never send a password back into the page.
    return portalPage(
      req.t,
      title,
      <PasswordLinkForm
        token={link.token}
        purpose={link.purpose}
        account={link.account}
        state={{ ...state, values: {} }}
      />,
    );
  };
  app.get('/password/:token', { schema: HIDE, config: { access: 'public' } }, async (req, reply) => {
    secretPage(reply);
    return reply.page(passwordPage(req, await linkFor(req), emptyForm()));
  });
  app.post('/password/:token', { schema: HIDE, config: { access: 'public' } }, async (req, reply) => {
    secretPage(reply);
    const link = await linkFor(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        await staff.useLink(auditContextOf(req), link.token, v.password ?? '');
        return '/login?set=1';
      },
      (state) => passwordPage(req, link, state),
    );
  });
}
