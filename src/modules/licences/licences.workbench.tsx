/**
 * The licences in the workbench, for the issuing department: its licences with a revoke form on each
 * valid one (/workbench/licences), and its signing keys with rotation and revocation
 * (/workbench/licences/keys). Staff see holders masked here; nobody at the office needs the full number
 * to revoke a licence.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../kernel/errors.ts';
import { auditContextOf, formValues } from '../../kernel/http/index.ts';
import {
  CsrfField,
  Pagination,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
} from '../../kernel/pages/index.tsx';
import type { Licence } from './licence.ts';
import type { LicencesHttpDeps } from './licences.routes.ts';
import type { KeyView } from './signing-keys.ts';
import { chinaTime } from './verification.view.tsx';

const PAGE = 50;

/** A reason field and a button, posting to `action`; `state` carries the error when this form failed. */
function ReasonForm(props: {
  action: string;
  id: string;
  label: string;
  submit: string;
  state?: FormState | undefined;
}) {
  const { t } = usePage();
  const problem = props.state?.problems.find((p) => p.field === 'reason');
  const message = problem ? t(problem.code, problem.params) : props.state?.formProblem;
  const id = `reason-${props.id}`;
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField />
      <label for={id}>{props.label}</label>{' '}
      {message ? (
        <span class="error-message" id={`${id}-error`}>
          {message}{' '}
        </span>
      ) : null}
      <input
        id={id}
        name="reason"
        maxLength={500}
        value={props.state?.values.reason ?? ''}
        aria-invalid={message ? 'true' : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
      />{' '}
      <button type="submit">{props.submit}</button>
    </form>
  );
}

/**
 * Runs a form's write with the submitted reason. Bad input or a conflict (already revoked) comes back
 * as the form's state, to show beside the form that failed (submitForm's render is synchronous, and
 * these pages load their lists first); anything else is thrown to the error page.
 */
async function attempt(
  req: FastifyRequest,
  write: (reason: string) => Promise<unknown>,
): Promise<{ state: FormState; status: number } | undefined> {
  const values = formValues(req.body);
  try {
    await write(values.reason ?? '');
    return undefined;
  } catch (e) {
    if (!(e instanceof DomainError) || (e.kind !== 'invalid' && e.kind !== 'conflict')) throw e;
    const state: FormState = e.fields.length
      ? { values, problems: e.fields }
      : { values, problems: [], formProblem: req.t(e.code, e.params) };
    return { state, status: e.kind === 'conflict' ? 409 : 400 };
  }
}

function ownDepartment(req: FastifyRequest): number {
  const id = req.actor?.departmentId;
  if (id == null) throw new DomainError('forbidden', 'licences.not_own_department');
  return id;
}

export function licencesWorkbenchPages(app: FastifyInstance, deps: LicencesHttpDeps): void {
  const { licences, keys } = deps;

  async function listPage(req: FastifyRequest, failed?: { id: string; state: FormState }) {
    const t = req.t;
    const offset = Math.max(0, Math.min(1_000_000, Number((req.query as { offset?: string }).offset) || 0));
    const page = await licences.forDepartment(auditContextOf(req), ownDepartment(req), {
      limit: PAGE,
      offset,
    });
    const mayRevoke = req.actor?.permissions.has('licence.revoke') ?? false;
    const status = (l: Licence) =>
      l.status === 'revoked'
        ? t('licences.mine.revoked', { at: chinaTime(l.revokedAt!), reason: l.revokedReason ?? '' })
        : t('licences.verdict.valid');
    return workbenchPage(
      t,
      t('licences.workbench.title'),
      <>
        <h1>{t('licences.workbench.title')}</h1>
        <SavedNotice />
        <p>
          <a href="/workbench/licences/keys">{t('licences.keys.title')}</a>
        </p>
        {page.items.length === 0 ? (
          <p role="status">{t('licences.workbench.none')}</p>
        ) : (
          <table>
            <caption class="visually-hidden">{t('licences.workbench.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('licences.record.type')}</th>
                <th scope="col">{t('licences.record.holder')}</th>
                <th scope="col">{t('licences.record.issued_at')}</th>
                <th scope="col">{t('licences.record.status')}</th>
                {mayRevoke ? <th scope="col">{t('licences.revoke.title')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {page.items.map((l) => {
                const h = licences.maskedHolderOf(l);
                return (
                  <tr>
                    <td>
                      <a href={`/licences/${l.id}`}>{l.type.name}</a>
                      {l.caseNumber ? <span class="tag"> {l.caseNumber}</span> : null}
                    </td>
                    <td>
                      {h.name} <span class="muted">{h.idNumber}</span>
                    </td>
                    <td>{chinaTime(l.issuedAt)}</td>
                    <td>{status(l)}</td>
                    {mayRevoke ? (
                      <td>
                        {l.status === 'valid' ? (
                          <ReasonForm
                            action={`/workbench/licences/${l.id}/revocation`}
                            id={l.id}
                            label={t('licences.revoke.reason')}
                            submit={t('licences.revoke.submit')}
                            state={failed?.id === l.id ? failed.state : undefined}
                          />
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <Pagination base="/workbench/licences" offset={offset} limit={PAGE} total={page.total} />
      </>,
    );
  }

  async function keysPage(req: FastifyRequest, failed?: { id: string; state: FormState }) {
    const t = req.t;
    const list = await keys.list(auditContextOf(req), ownDepartment(req));
    const state = (k: KeyView) =>
      k.status === 'revoked'
        ? t('licences.keys.status_revoked', { at: chinaTime(k.revokedAt!), reason: k.revokedReason ?? '' })
        : k.status === 'retired'
          ? t('licences.keys.status_retired', { at: chinaTime(k.retiredAt!) })
          : t('licences.keys.status_current');
    return workbenchPage(
      t,
      t('licences.keys.title'),
      <>
        <h1>{t('licences.keys.title')}</h1>
        <SavedNotice />
        <p>{t('licences.keys.intro')}</p>
        {list.length === 0 ? (
          <p role="status">{t('licences.keys.none')}</p>
        ) : (
          <table>
            <caption class="visually-hidden">{t('licences.keys.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('licences.keys.key_id')}</th>
                <th scope="col">{t('licences.keys.created')}</th>
                <th scope="col">{t('licences.record.status')}</th>
                <th scope="col">{t('licences.keys.licences')}</th>
                <th scope="col">{t('licences.keys.revoke')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr>
                  <td>
                    <code>{k.keyId}</code>
                  </td>
                  <td>{chinaTime(k.createdAt)}</td>
                  <td>{state(k)}</td>
                  <td>{k.licences}</td>
                  <td>
                    {k.status === 'revoked' ? null : (
                      <ReasonForm
                        action={`/workbench/licences/keys/${k.keyId}/revocation`}
                        id={k.keyId}
                        label={t('licences.keys.reason')}
                        submit={t('licences.keys.revoke_submit')}
                        state={failed?.id === k.keyId ? failed.state : undefined}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>{t('licences.keys.rotate')}</h2>
        <p>{t('licences.keys.rotate_hint')}</p>
        <form method="post" action="/workbench/licences/keys/rotation">
          <CsrfField />
          <button type="submit">{t('licences.keys.rotate_submit')}</button>
        </form>
      </>,
      [{ href: '/workbench/licences', label: t('licences.workbench.title') }],
    );
  }

  app.get(
    '/workbench/licences',
    { schema: { hide: true }, config: { access: ['licence.issue', 'licence.revoke'] } },
    async (req, reply) => reply.page(await listPage(req)),
  );

  app.post<{ Params: { id: string } }>(
    '/workbench/licences/:id/revocation',
    { schema: { hide: true }, config: { access: 'licence.revoke' } },
    async (req, reply) => {
      const failed = await attempt(req, (reason) =>
        licences.revoke(auditContextOf(req), req.params.id, reason),
      );
      if (!failed) return reply.redirect('/workbench/licences?saved=1', 303);
      return reply.page(await listPage(req, { id: req.params.id, state: failed.state }), failed.status);
    },
  );

  app.get(
    '/workbench/licences/keys',
    { schema: { hide: true }, config: { access: 'licence.keys' } },
    async (req, reply) => reply.page(await keysPage(req)),
  );

  app.post(
    '/workbench/licences/keys/rotation',
    { schema: { hide: true }, config: { access: 'licence.keys' } },
    async (req, reply) => {
      await keys.rotate(auditContextOf(req), ownDepartment(req));
      return reply.redirect('/workbench/licences/keys?saved=1', 303);
    },
  );

  app.post<{ Params: { keyId: string } }>(
    '/workbench/licences/keys/:keyId/revocation',
    { schema: { hide: true }, config: { access: 'licence.keys' } },
    async (req, reply) => {
      const { keyId } = req.params;
      const failed = await attempt(req, (reason) =>
        keys.revoke(auditContextOf(req), ownDepartment(req), keyId, reason),
      );
      if (!failed) return reply.redirect('/workbench/licences/keys?saved=1', 303);
      return reply.page(await keysPage(req, { id: keyId, state: failed.state }), failed.status);
    },
  );
}
