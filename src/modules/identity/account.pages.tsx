/** Pages for the public: log in, register, my account (sessions, log out everywhere), change password. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { DomainError, ERROR_STATUS } from '../../kernel/errors.ts';
import { auditContextOf, formValues, submitForm } from '../../kernel/http/index.ts';
import { Field, portalPage, Form, SavedNotice, usePage, type FormState } from '../../kernel/pages/index.tsx';
import type { AccountService } from './account.service.ts';
import { presentAccount } from './account.routes.ts';
import type { SessionRow } from './account.store.ts';
import { clearSessionCookie, safeNext, setSessionCookie, loginRateLimit } from './session.http.ts';
import { afterStep, stagePath } from './signin.pages.tsx';

interface Deps {
  accounts: AccountService;
  keyring: Sm4Keyring;
  secureCookies: boolean;
  loginRateLimitPerMinute: number;
  db: Database;
}

const page = portalPage;

function LoginForm(props: { state: FormState; next: string; ended: boolean }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('identity.login.title')}</h1>
      {props.ended ? (
        <p class="notice" role="status">
          {t('identity.session.expired')}
        </p>
      ) : null}
      <Form
        action={`/login?next=${encodeURIComponent(props.next)}`}
        state={props.state}
        submitLabel={t('identity.login.submit')}
      >
        <Field
          name="username"
          label={t('identity.account.username')}
          state={props.state}
          required
          maxLength={64}
        />
        <Field
          name="password"
          label={t('identity.account.password')}
          state={props.state}
          type="password"
          required
          maxLength={128}
        />
      </Form>
      <p>
        <a href="/register">{t('identity.register.link')}</a>
      </p>
    </>
  );
}

function RegisterForm(props: { state: FormState }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('identity.register.title')}</h1>
      <p>{t('identity.register.intro')}</p>
      <Form action="/register" state={props.state} submitLabel={t('identity.register.submit')}>
        <Field
          name="kind"
          label={t('identity.account.kind')}
          state={props.state}
          required
          options={[
            { value: 'person', label: t('identity.account.kind.person') },
            { value: 'enterprise', label: t('identity.account.kind.enterprise') },
          ]}
        />
        <Field
          name="displayName"
          label={t('identity.account.display_name')}
          hint={t('identity.account.display_name_hint')}
          state={props.state}
          required
          maxLength={100}
        />
        <Field
          name="idNumber"
          label={t('identity.account.id_number')}
          hint={t('identity.account.id_number_hint')}
          state={props.state}
          maxLength={18}
        />
        <Field
          name="creditCode"
          label={t('identity.account.credit_code')}
          hint={t('identity.account.credit_code_hint')}
          state={props.state}
          maxLength={18}
        />
        <Field
          name="username"
          label={t('identity.account.username')}
          hint={t('identity.account.username_hint')}
          state={props.state}
          required
          maxLength={32}
        />
        <Field
          name="password"
          label={t('identity.account.password')}
          hint={t('identity.password.rules')}
          state={props.state}
          type="password"
          required
          maxLength={128}
        />
      </Form>
    </>
  );
}

function AccountView(props: {
  account: ReturnType<typeof presentAccount>;
  sessions: SessionRow[];
  current: string;
}) {
  const { t, csrfToken } = usePage();
  const a = props.account;
  return (
    <>
      <h1>{t('identity.account.title')}</h1>
      <SavedNotice />
      <dl class="facts">
        <dt>{t('identity.account.display_name')}</dt>
        <dd>{a.displayName}</dd>
        <dt>{t('identity.account.kind')}</dt>
        <dd>{t(`identity.account.kind.${a.kind}`)}</dd>
        <dt>{t('identity.account.username')}</dt>
        <dd>{a.username}</dd>
        {a.idNumberMasked ? (
          <>
            <dt>{t('identity.account.id_number')}</dt>
            <dd>{a.idNumberMasked}</dd>
          </>
        ) : null}
        {a.creditCode ? (
          <>
            <dt>{t('identity.account.credit_code')}</dt>
            <dd>{a.creditCode}</dd>
          </>
        ) : null}
      </dl>
      <ul class="inline-list">
        {a.kind === 'staff' ? null : (
          <>
            <li>
              <a href="/account/cases">{t('identity.account.my_cases')}</a>
            </li>
            <li>
              <a href="/account/applications">{t('applications.mine.title')}</a>
            </li>
            <li>
              <a href="/account/licences">{t('licences.mine.title')}</a>
            </li>
            <li>
              <a href="/account/consultations">{t('consultations.mine.title')}</a>
            </li>
            <li>
              <a href="/account/letters">{t('letters.mine.title')}</a>
            </li>
            <li>
              <a href="/account/petitions">{t('petitions.mine.title')}</a>
            </li>
            <li>
              <a href="/account/opinions">{t('opinions.mine.title')}</a>
            </li>
            <li>
              <a href="/account/evaluations">{t('evaluation.mine.title')}</a>
            </li>
            <li>
              <a href="/account/inbox">{t('identity.account.inbox')}</a>
            </li>
          </>
        )}
        <li>
          <a href="/account/password">{t('identity.password.change')}</a>
        </li>
        <li>
          <a href="/account/mfa">{t('identity.mfa.link')}</a>
        </li>
      </ul>
      <h2>{t('identity.session.list')}</h2>
      <table>
        <caption class="visually-hidden">{t('identity.session.list')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('identity.session.started')}</th>
            <th scope="col">{t('identity.session.last_seen')}</th>
            <th scope="col">{t('identity.session.from')}</th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((s) => (
            <tr>
              <td>
                {s.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC
                {s.tokenHash === props.current ? (
                  <span class="tag"> {t('identity.session.this_one')}</span>
                ) : null}
              </td>
              <td>{s.lastSeenAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</td>
              <td>{s.ip}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/logout" class="inline-form">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <button type="submit">{t('identity.logout')}</button>
      </form>{' '}
      <form method="post" action="/account/logout-everywhere" class="inline-form">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <button type="submit" class="secondary">
          {t('identity.logout_everywhere')}
        </button>
      </form>
    </>
  );
}

function PasswordForm(props: { state: FormState; owed: boolean; next: string }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('identity.password.change')}</h1>
      {props.owed ? (
        <p class="notice" role="status">
          {t('identity.password.change_required')}
        </p>
      ) : null}
      <Form
        action={props.next ? `/account/password?next=${encodeURIComponent(props.next)}` : '/account/password'}
        state={props.state}
        submitLabel={t('common.save')}
      >
        <Field
          name="currentPassword"
          label={t('identity.password.current')}
          state={props.state}
          type="password"
          required
          maxLength={128}
        />
        <Field
          name="newPassword"
          label={t('identity.password.new')}
          hint={t('identity.password.rules')}
          state={props.state}
          type="password"
          required
          maxLength={128}
        />
      </Form>
    </>
  );
}

const toLogin = (req: FastifyRequest, reply: FastifyReply) =>
  reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);

export function accountPages(app: FastifyInstance, deps: Deps): void {
  const { accounts, keyring } = deps;
  const loginLimit = loginRateLimit(deps.db, deps.loginRateLimitPerMinute);

  app.get('/login', { schema: { hide: true }, config: { access: 'public' } }, async (req, reply) => {
    const next = safeNext((req.query as { next?: string }).next, '');
    // Signed in with the password but a step still owed: go and finish it.
    if (req.session && req.session.stage !== 'active')
      return reply.redirect(stagePath(req.session.stage, next), 303);
    return reply.page(
      page(
        req.t,
        req.t('identity.login.title'),
        <LoginForm state={{ values: {}, problems: [] }} next={next} ended={req.sessionEnded} />,
      ),
    );
  });
  app.post(
    '/login',
    { schema: { hide: true }, config: { access: 'public', ...loginLimit } },
    async (req, reply) => {
      const next = safeNext((req.query as { next?: string }).next, '');
      const values = formValues(req.body);
      try {
        if (req.session) await accounts.logout(auditContextOf(req), req.session);
        const { token, session } = await accounts.login(
          auditContextOf(req),
          values.username ?? '',
          values.password ?? '',
        );
        setSessionCookie(reply, token, deps.secureCookies);
        return reply.redirect(afterStep(session, next), 303);
      } catch (e) {
        if (!(e instanceof DomainError) || (e.kind !== 'unauthorized' && e.kind !== 'forbidden')) throw e;
        const state: FormState = {
          values: { username: values.username },
          problems: [],
          formProblem: req.t(e.code, e.params),
        };
        return reply.page(
          page(req.t, req.t('identity.login.title'), <LoginForm state={state} next={next} ended={false} />),
          ERROR_STATUS[e.kind],
        );
      }
    },
  );

  app.post('/logout', { schema: { hide: true }, config: { access: 'public' } }, async (req, reply) => {
    if (req.session) await accounts.logout(auditContextOf(req), req.session);
    clearSessionCookie(reply);
    return reply.redirect('/', 303);
  });

  const registerPage = (req: FastifyRequest, state: FormState) =>
    page(req.t, req.t('identity.register.title'), <RegisterForm state={state} />);
  app.get('/register', { schema: { hide: true }, config: { access: 'public' } }, async (req, reply) =>
    reply.page(registerPage(req, { values: { kind: 'person' }, problems: [] })),
  );
  app.post(
    '/register',
    { schema: { hide: true }, config: { access: 'public', ...loginLimit } },
    async (req, reply) =>
      submitForm(
        req,
        reply,
        async (v) => {
          const ctx = auditContextOf(req);
          const kind = v.kind === 'enterprise' ? 'enterprise' : 'person';
          const account = await accounts.register(ctx, {
            kind,
            username: v.username ?? '',
            displayName: v.displayName ?? '',
            password: v.password ?? '',
            idNumber: kind === 'person' ? v.idNumber : undefined,
            creditCode: kind === 'enterprise' ? v.creditCode : undefined,
          });
          const { token } = await accounts.login(ctx, account.username, v.password ?? '');
          setSessionCookie(reply, token, deps.secureCookies);
          return '/account?saved=1';
        },
        // Never send a password back into the page.
        (state) => registerPage(req, { ...state, values: { ...state.values, password: '' } }),
      ),
  );

  app.get('/account', { schema: { hide: true }, config: { access: 'signed-in' } }, async (req, reply) => {
    if (!req.session) return toLogin(req, reply);
    const sessions = await accounts.sessionsOf(req.session.account);
    return reply.page(
      page(
        req.t,
        req.t('identity.account.title'),
        <AccountView
          account={presentAccount(req.session.account, keyring)}
          sessions={sessions}
          current={req.session.tokenHash}
        />,
      ),
    );
  });

  app.post(
    '/account/logout-everywhere',
    { schema: { hide: true }, config: { access: 'signed-in' } },
    async (req, reply) => {
      if (!req.session) return toLogin(req, reply);
      await accounts.logoutEverywhere(auditContextOf(req), req.session.account);
      clearSessionCookie(reply);
      return reply.redirect('/login', 303);
    },
  );

  const passwordPage = (req: FastifyRequest, state: FormState, owed = false) =>
    page(
      req.t,
      req.t('identity.password.change'),
      <PasswordForm
        state={{ ...state, values: {} }}
        owed={owed}
        next={safeNext((req.query as { next?: string }).next, '')}
      />,
    );
  // Also for a session that owes a new password (expired, or reset by an administrator).
  const passwordSession = (req: FastifyRequest) =>
    req.session && (req.session.stage === 'active' || req.session.stage === 'password_change')
      ? req.session
      : null;
  app.get(
    '/account/password',
    { schema: { hide: true }, config: { access: 'public' } },
    async (req, reply) => {
      const session = passwordSession(req);
      if (!session) return toLogin(req, reply);
      return reply.page(passwordPage(req, { values: {}, problems: [] }, session.stage === 'password_change'));
    },
  );
  app.post(
    '/account/password',
    { schema: { hide: true }, config: { access: 'public' } },
    async (req, reply) => {
      const session = passwordSession(req);
      if (!session) return toLogin(req, reply);
      const next = safeNext((req.query as { next?: string }).next, '');
      return submitForm(
        req,
        reply,
        async (v) => {
          const stage = await accounts.changePassword(
            auditContextOf(req),
            session,
            v.currentPassword ?? '',
            v.newPassword ?? '',
          );
          return session.stage === 'active' ? '/account?saved=1' : stagePath(stage, next);
        },
        (state) => passwordPage(req, state),
      );
    },
  );
}
