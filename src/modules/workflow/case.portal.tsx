/**
 * The applicant's pages on the portal: my cases (我的办件) and one case — its status, deadline,
 * timeline (without the office's internal notes) and what the applicant may do now, e.g. supply the
 * materials a 补正 notice asked for.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../../kernel/db/index.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import { Pagination, portalPage, SavedNotice, type FormState } from '../../kernel/pages/index.tsx';
import { Attachments, submitAttachments, type AttachmentUploader } from './case.attachments.tsx';
import type { CaseExtras, CaseService, DepartmentRef } from './case.service.ts';
import {
  ActionForms,
  CaseDocuments,
  documentsOf,
  EventLine,
  StopNotice,
  submitCaseAction,
} from './case.workbench.tsx';
import { nameIn } from './definition.ts';
import { OFFICE_EVENTS } from './engine.ts';
import { chinaTime, dueDay } from './deadline.ts';

const PAGE = 20;

export function casePortalPages(
  app: FastifyInstance,
  deps: {
    db: Database;
    cases: CaseService;
    upload: AttachmentUploader;
    listDepartments?: (tenantId: string) => Promise<DepartmentRef[]>;
    /** the decision documents of a case another module opened */
    extras?: CaseExtras;
  },
): void {
  const { db, cases, upload } = deps;

  app.get(
    '/account/cases',
    { schema: { hide: true }, config: { access: 'account.self' } },
    async (req, reply) => {
      const t = req.t;
      const offset = Math.max(0, Math.min(1_000_000, Number((req.query as { offset?: string }).offset) || 0));
      const rows = await db.kysely
        .selectFrom('workflow.case')
        .select([
          'number',
          'title',
          'status',
          'outcome',
          'created_at',
          'due_at',
          sql<number>`count(*) over ()`.as('total'),
        ])
        .where('tenant_id', '=', req.site.tenantId)
        .where('applicant_account_id', '=', req.actor!.accountId)
        .orderBy('created_at', 'desc')
        .limit(PAGE)
        .offset(offset)
        .execute();
      const total = Number(rows[0]?.total ?? 0);
      return reply.page(
        portalPage(
          t,
          t('workflow.my_cases.title'),
          <>
            <h1>{t('workflow.my_cases.title')}</h1>
            {rows.length === 0 ? (
              <p role="status">{t('workflow.my_cases.none')}</p>
            ) : (
              <table>
                <caption class="visually-hidden">{t('workflow.my_cases.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('workflow.case.number')}</th>
                    <th scope="col">{t('workflow.case.title')}</th>
                    <th scope="col">{t('workflow.case.created')}</th>
                    <th scope="col">{t('workflow.case.due')}</th>
                    <th scope="col">{t('workflow.case.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr>
                      <td>
                        <a href={`/account/cases/${r.number}`}>{r.number}</a>
                      </td>
                      <td>{r.title}</td>
                      <td>{chinaTime(r.created_at)}</td>
                      <td>{r.due_at ? dueDay(r.due_at) : '—'}</td>
                      <td>
                        {t(`workflow.status.${r.status}`)}
                        {r.outcome ? ` · ${t(`workflow.outcome.${r.outcome}`)}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pagination base="/account/cases" offset={offset} limit={PAGE} total={total} />
          </>,
        ),
      );
    },
  );

  async function casePage(
    req: FastifyRequest,
    number: string,
    failed?: { key: string; state: FormState },
    attachProblem?: string,
  ) {
    const t = req.t;
    const view = await cases.get(auditContextOf(req), number);
    const def = view.definition.body;
    const s = view.state;
    const departments = new Map(
      (await (deps.listDepartments?.(req.site.tenantId) ?? Promise.resolve([]))).map((d) => [d.id, d.name]),
    );
    const documents = await documentsOf(deps.extras, req.site.tenantId, view);
    // The applicant sees their own name; the office's people as staff, the timers as the system.
    const who = (by: { accountId: number | null; name: string }) =>
      by.accountId === null
        ? ''
        : by.accountId === req.actor?.accountId
          ? by.name
          : t('identity.account.kind.staff');
    const page = portalPage(
      t,
      `${t('workflow.case.heading')} ${number}`,
      <>
        <h1>
          {s.title} <small class="muted">{number}</small>
        </h1>
        <SavedNotice />
        <dl class="facts">
          <dt>{t('workflow.case.definition')}</dt>
          <dd>{nameIn(def.name, req.locale)}</dd>
          <dt>{t('workflow.case.status')}</dt>
          <dd>
            {t(`workflow.status.${s.status}`)}
            {s.outcome ? ` · ${t(`workflow.outcome.${s.outcome}`)}` : ''}
          </dd>
          {s.stop ? (
            <>
              <dt>{t('workflow.my_cases.asked')}</dt>
              <dd class="notice">
                <StopNotice reason={s.stop.reason} items={s.stop.items} />
              </dd>
            </>
          ) : null}
          <dt>{t('workflow.case.created')}</dt>
          <dd>{chinaTime(s.createdAt)}</dd>
          <dt>{t('workflow.case.due')}</dt>
          <dd>{s.dueAt ? dueDay(s.dueAt) : '—'}</dd>
        </dl>
        {s.status === 'closed' && s.applicant.accountId !== null ? (
          <p>
            <a href={`/account/evaluations/${number}`}>{t('workflow.my_cases.evaluate')}</a>
          </p>
        ) : null}
        <ActionForms
          number={number}
          postTo={`/account/cases/${number}/actions`}
          def={def}
          state={s}
          available={view.available}
          people={new Map()}
          departments={[]}
          failed={failed}
        />
        <CaseDocuments items={documents} />
        <Attachments
          number={number}
          events={view.events}
          canAttach={view.available.some((a) => a.action === 'attach')}
          postTo={`/account/cases/${number}/attachments`}
          problem={attachProblem}
        />
        <h2>{t('workflow.case.timeline')}</h2>
        <ol class="timeline">
          {view.events
            .filter((e) => !OFFICE_EVENTS.has(e.type))
            .map((e) => (
              <EventLine e={{ ...e, by: { ...e.by, name: who(e.by) } }} def={def} departments={departments} />
            ))}
        </ol>
      </>,
    );
    page.breadcrumbs?.splice(1, 0, { href: '/account/cases', label: t('workflow.my_cases.title') });
    return page;
  }

  app.get(
    '/account/cases/:number',
    { schema: { hide: true }, config: { access: 'account.self' } },
    async (req, reply) => reply.page(await casePage(req, (req.params as { number: string }).number)),
  );

  app.post(
    '/account/cases/:number/attachments',
    { schema: { hide: true }, config: { access: 'account.self' } },
    async (req, reply) =>
      submitAttachments(req, reply, upload, '/account/cases', (number, problem) =>
        casePage(req, number, undefined, problem),
      ),
  );

  app.post(
    '/account/cases/:number/actions',
    { schema: { hide: true }, config: { access: 'account.self' } },
    async (req, reply) =>
      submitCaseAction(req, reply, cases, '/account/cases', (number, failed) =>
        casePage(req, number, failed),
      ),
  );
}
