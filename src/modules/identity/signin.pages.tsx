/**
 * The steps of signing in after the password, as pages: the TOTP code (or a recovery code), a new
 * password when the old one expired or was reset, and enrolment in TOTP for roles that require it.
 * Also the account's own second-factor page (enrol, see recovery codes left, switch off).
 *
 * A session that still owes a step acts as nobody (req.actor is null); these pages read req.session.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../kernel/errors.ts';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import {
  CsrfField,
  portalPage,
  Field,
  Form,
  SavedNotice,
  usePage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import type { Session } from './account.service.ts';
import type { SessionStage } from './account.store.ts';
import type { MfaService } from './mfa.service.ts';
import { loginRateLimit, safeNext, setSessionCookie } from './session.http.ts';
import type { Database } from '../../kernel/db/index.ts';

interface Deps {
  mfa: MfaService;
  secureCookies: boolean;
  db: Database;
  loginRateLimitPerMinute: number;
}

/** Where a session at `stage` goes next; `next` is carried through every step. */
export function stagePath(stage: SessionStage, next: string): string {
  const q = `?next=${encodeURIComponent(next)}`;
  switch (stage) {
    case 'mfa':
      return `/login/mfa${q}`;
    case 'password_change':
      return `/account/password${q}`;
    case 'mfa_enrol':
      return `/account/mfa${q}`;
    case 'active':
      return `/login/continue${q}`;
  }
}

/** Where a signed-in session lands when no page was asked for: the workbench for staff. */
export function homeOf(session: Session): string {
  return session.roles.some((r) => r.permissions.includes('workbench.enter')) ? '/workbench' : '/account';
}

/** Where to go once a step of signing in is done (or the password was right). */
export function afterStep(session: Session, next: string): string {
  return session.stage === 'active' ? safeNext(next, homeOf(session)) : stagePath(session.stage, next);
}

const nextOf = (req: FastifyRequest) => safeNext((req.query as { next?: string }).next, '');

const stepPage = (req: FastifyRequest, title: string, body: PageContent['body']) =>
  portalPage(req.t, title, body);

/** The session if it is at one of `stages`; otherwise null (the caller sends the reader on). */
function sessionAt(req: FastifyRequest, ...stages: SessionStage[]): Session | null {
  return req.session && stages.includes(req.session.stage) ? req.session : null;
}

function CodeForm(props: { state: FormState; next: string }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('identity.mfa.code_title')}</h1>
      <p>{t('identity.mfa.code_intro')}</p>
      <Form
        action={`/login/mfa?next=${encodeURIComponent(props.next)}`}
        state={props.state}
        submitLabel={t('identity.mfa.verify')}
      >
        <Field
          name="code"
          label={t('identity.mfa.code')}
          hint={t('identity.mfa.code_hint')}
          state={props.state}
          required
          maxLength={20}
          autocomplete="one-time-code"
        />
      </Form>
    </>
  );
}

function Enrolment(props: {
  qrSvg: string;
  secret: string;
  state: FormState;
  next: string;
  required: boolean;
}) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('identity.mfa.enrol_title')}</h1>
      {props.required ? (
        <p class="notice" role="status">
          {t('identity.mfa.required_notice')}
        </p>
      ) : null}
      <ol>
        <li>{t('identity.mfa.step_install')}</li>
        <li>
          {t('identity.mfa.step_scan')}
          {/* The SVG comes from our own QR library: no script, a title and an aria-label. */}
          <div class="qr" dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
          <p>
            {t('identity.mfa.secret_text')}{' '}
            <code class="secret">{props.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
          </p>
        </li>
        <li>{t('identity.mfa.step_confirm')}</li>
      </ol>
      <Form
        action={`/account/mfa?next=${encodeURIComponent(props.next)}`}
        state={props.state}
        submitLabel={t('identity.mfa.confirm')}
      >
        <Field
          name="code"
          label={t('identity.mfa.code')}
          hint={t('identity.mfa.code_hint')}
          state={props.state}
          required
          maxLength={20}
          autocomplete="one-time-code"
        />
      </Form>
    </>
  );
}

function RecoveryCodes(props: { codes: string[]; next: string }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('identity.mfa.enabled_title')}</h1>
      <p>{t('identity.mfa.recovery_intro')}</p>
      <ul class="recovery-codes">
        {props.codes.map((c) => (
          <li>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href={`/login/continue?next=${encodeURIComponent(props.next)}`}>
          {t('identity.mfa.continue')}
        </a>
      </p>
    </>
  );
}

function MfaStatus(props: { enabled: boolean; left: number; required: boolean; state: FormState }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('identity.mfa.title')}</h1>
      <SavedNotice />
      <p>{t('identity.mfa.enabled_status', { n: props.left })}</p>
      {props.required ? (
        <p>{t('identity.mfa.required_by_role')}</p>
      ) : (
        <Form action="/account/mfa/disable" state={props.state} submitLabel={t('identity.mfa.disable')}>
          <Field
            name="password"
            label={t('identity.password.current')}
            state={props.state}
            type="password"
            required
            maxLength={128}
          />
        </Form>
      )}
    </>
  );
}

export function signinPages(app: FastifyInstance, deps: Deps): void {
  const { mfa } = deps;
  const goOn = (req: FastifyRequest, reply: FastifyReply) =>
    reply.redirect(req.session ? stagePath(req.session.stage, nextOf(req)) : '/login', 303);

  // Where every step ends: the page asked for, else the workbench for staff, else the account page.
  app.get('/login/continue', { schema: { hide: true }, config: { access: 'public' } }, async (req, reply) => {
    if (!req.session) return reply.redirect('/login', 303);
    return reply.redirect(afterStep(req.session, nextOf(req)), 303);
  });

  const codePage = (req: FastifyRequest, state: FormState) =>
    stepPage(req, req.t('identity.mfa.code_title'), <CodeForm state={state} next={nextOf(req)} />);
  app.get('/login/mfa', { schema: { hide: true }, config: { access: 'public' } }, async (req, reply) => {
    if (!sessionAt(req, 'mfa')) return goOn(req, reply);
    return reply.page(codePage(req, { values: {}, problems: [] }));
  });
  // Codes are guessed like passwords: the same per-address limit as login.
  const loginLimit = loginRateLimit(deps.db, deps.loginRateLimitPerMinute);
  app.post(
    '/login/mfa',
    { schema: { hide: true }, config: { access: 'public', ...loginLimit } },
    async (req, reply) => {
      const session = sessionAt(req, 'mfa');
      if (!session) return goOn(req, reply);
      return submitForm(
        req,
        reply,
        async (v) => {
          const done = await mfa.verify(auditContextOf(req), session, v.code ?? '');
          if (done.token) setSessionCookie(reply, done.token, deps.secureCookies);
          return afterStep(done.session, nextOf(req));
        },
        (state) => codePage(req, { ...state, values: {} }),
      );
    },
  );

  const enrolPage = async (req: FastifyRequest, session: Session, state: FormState, again = false) => {
    const e = await mfa.startEnrolment(session, req.site.name || 'Yiwang', { again });
    return stepPage(
      req,
      req.t('identity.mfa.enrol_title'),
      <Enrolment
        qrSvg={e.qrSvg}
        secret={e.secret}
        state={state}
        next={nextOf(req)}
        required={session.stage === 'mfa_enrol'}
      />,
    );
  };
  const statusPage = async (req: FastifyRequest, session: Session, state: FormState) => {
    const s = await mfa.status(session);
    return stepPage(
      req,
      req.t('identity.mfa.title'),
      <MfaStatus enabled={s.enabled} left={s.recoveryCodesLeft} required={s.required} state={state} />,
    );
  };

  // Each visit shows a new secret until one is confirmed: the last one shown is the one that counts.
  app.get('/account/mfa', { schema: { hide: true }, config: { access: 'public' } }, async (req, reply) => {
    const session = sessionAt(req, 'active', 'mfa_enrol');
    if (!session) return goOn(req, reply);
    const s = await mfa.status(session);
    const state = { values: {}, problems: [] };
    return reply.page(
      s.enabled ? await statusPage(req, session, state) : await enrolPage(req, session, state),
    );
  });
  app.post('/account/mfa', { schema: { hide: true }, config: { access: 'public' } }, async (req, reply) => {
    const session = sessionAt(req, 'active', 'mfa_enrol');
    if (!session) return goOn(req, reply);
    const code = String((req.body as { code?: unknown } | undefined)?.code ?? '');
    try {
      const done = await mfa.confirmEnrolment(auditContextOf(req), session, code);
      if (done.token) setSessionCookie(reply, done.token, deps.secureCookies);
      return reply.page(
        stepPage(
          req,
          req.t('identity.mfa.enabled_title'),
          <RecoveryCodes codes={done.recoveryCodes} next={nextOf(req)} />,
        ),
      );
    } catch (e) {
      if (!(e instanceof DomainError) || e.kind !== 'invalid') throw e;
      // A wrong code: the same secret stays pending, so show it again rather than a new one.
      return reply.page(await enrolPage(req, session, { values: {}, problems: e.fields }, true), 400);
    }
  });
  app.post(
    '/account/mfa/disable',
    { schema: { hide: true }, config: { access: 'signed-in' } },
    async (req, reply) => {
      const session = sessionAt(req, 'active');
      if (!session) return goOn(req, reply);
      return submitForm(
        req,
        reply,
        async (v) => {
          await mfa.disable(auditContextOf(req), session, v.password ?? '');
          return '/account?saved=1';
        },
        () => stepPage(req, req.t('identity.mfa.title'), <CsrfField />),
      );
    },
  );
}
