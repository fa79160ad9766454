/**
 * The auditor's pages (审计日志): search the audit chain of this site with a filter, page through the
 * entries, and export what the filter finds as CSV. Reading needs 'audit.read', exporting 'audit.export'
 * (the auditor role holds both); every export is itself written to the chain.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  appendAudit,
  countAudit,
  latestAuditId,
  searchAudit,
  streamAudit,
  type AuditPage,
  type AuditRecord,
} from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import type { FieldProblem } from '../../kernel/errors.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import { Field, Pagination, usePage, workbenchPage, type FormState } from '../../kernel/pages/index.tsx';
import { csvChunks } from './audit.csv.ts';
import { siteTime } from './audit.format.ts';
import { filterQuery, givenValues, parseAuditFilter, RESULTS, type FilterValues } from './audit.filter.ts';
import { scopeOf } from './audit.scope.ts';

export const AUDIT_PAGE_SIZE = 50;
/** The action of the entry every export writes. */
export const EXPORTED_ACTION = 'audit.exported';

const offsetOf = (query: unknown): number => {
  const raw = Number((query as { offset?: string }).offset ?? 0);
  return Number.isInteger(raw) && raw >= 0 && raw <= 1_000_000 ? raw : 0;
};

/** The error summary of a GET form, in the same shape as the kit's Form shows it. */
export function ErrorSummary(props: { problems: FieldProblem[] }) {
  const { t } = usePage();
  if (props.problems.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{t('form.error_summary')}</h2>
      <ul>
        {props.problems.map((p) => (
          <li>
            <a href={`#field-${p.field}`}>{t(p.code, p.params)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function FilterForm(props: { state: FormState }) {
  const { t } = usePage();
  const s = props.state;
  return (
    <form method="get" action="/workbench/audit" class="filter-form" novalidate>
      <ErrorSummary problems={s.problems} />
      <fieldset>
        <legend>{t('audit.filter.legend')}</legend>
        <Field name="actor" label={t('audit.filter.actor')} hint={t('audit.filter.actor_hint')} state={s} />
        <Field
          name="action"
          label={t('audit.filter.action')}
          hint={t('audit.filter.action_hint')}
          state={s}
        />
        <Field name="objectType" label={t('audit.filter.object_type')} state={s} />
        <Field name="objectId" label={t('audit.filter.object_id')} state={s} />
        <Field
          name="result"
          label={t('audit.filter.result')}
          state={s}
          options={[
            { value: '', label: t('audit.filter.any_result') },
            ...RESULTS.map((r) => ({ value: r, label: t(`audit.result.${r}`) })),
          ]}
        />
        <Field name="ip" label={t('audit.filter.ip')} state={s} />
        <Field name="from" label={t('audit.filter.from')} hint={t('audit.filter.time_hint')} state={s} />
        <Field name="to" label={t('audit.filter.to')} hint={t('audit.filter.time_hint')} state={s} />
        <Field
          name="division"
          label={t('audit.filter.division')}
          hint={t('audit.filter.division_hint')}
          state={s}
          inputMode="numeric"
        />
      </fieldset>
      <p>
        <button type="submit">{t('audit.filter.submit')}</button>{' '}
        <a href="/workbench/audit">{t('audit.filter.clear')}</a>
      </p>
    </form>
  );
}

function ActionCell(props: { entry: AuditRecord }) {
  const { t } = usePage();
  const e = props.entry;
  const rows = e.detail.rows;
  return (
    <>
      <code>{e.action}</code>
      {e.action === EXPORTED_ACTION && typeof rows === 'number' ? (
        <>
          {' '}
          <span class="muted">{t('audit.exported', { count: rows })}</span>
        </>
      ) : null}
    </>
  );
}

function EntryTable(props: { page: AuditPage; values: FilterValues }) {
  const { t } = usePage();
  const link = (field: keyof FilterValues, value: string) =>
    `/workbench/audit?${filterQuery({ ...props.values, [field]: value })}`;
  return (
    <table class="audit-entries">
      <caption>{t('audit.list_caption', { total: props.page.total })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('audit.entry.at')}</th>
          <th scope="col">{t('audit.entry.actor')}</th>
          <th scope="col">{t('audit.entry.role')}</th>
          <th scope="col">{t('audit.entry.division')}</th>
          <th scope="col">{t('audit.entry.action')}</th>
          <th scope="col">{t('audit.entry.object')}</th>
          <th scope="col">{t('audit.entry.result')}</th>
          <th scope="col">{t('audit.entry.ip')}</th>
          <th scope="col">{t('audit.entry.seq')}</th>
        </tr>
      </thead>
      <tbody>
        {props.page.items.map((e) => (
          <tr>
            <td>
              <time dateTime={e.at.toISOString()}>{siteTime(e.at)}</time>
            </td>
            <td>
              <a href={link('actor', e.actorId)}>{e.actorId}</a>
            </td>
            <td>{e.actorRole}</td>
            <td>{e.actorDivision ? <code>{e.actorDivision}</code> : null}</td>
            <td>
              <ActionCell entry={e} />
            </td>
            <td>{e.objectType || e.objectId ? `${e.objectType}:${e.objectId}` : null}</td>
            <td>{t(`audit.result.${e.result}`)}</td>
            <td>{e.ip ? <a href={link('ip', e.ip)}>{e.ip}</a> : null}</td>
            <td>{e.seq === null ? <span class="muted">{t('audit.entry.unsealed')}</span> : e.seq}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AuditLogPage(props: {
  state: FormState;
  values: FilterValues;
  page: AuditPage | null;
  offset: number;
  canExport: boolean;
}) {
  const { t } = usePage();
  const query = filterQuery(props.values);
  return (
    <>
      <h1>{t('audit.log')}</h1>
      <p>{t('audit.log.intro')}</p>
      <FilterForm state={props.state} />
      {props.page ? (
        <section aria-labelledby="audit-results">
          <h2 id="audit-results">{t('audit.results')}</h2>
          {props.canExport ? (
            <p>
              <a href={`/workbench/audit/export.csv${query ? `?${query}` : ''}`} download>
                {t('audit.export.link')}
              </a>{' '}
              <span class="hint">{t('audit.export.hint')}</span>
            </p>
          ) : null}
          {props.page.total === 0 ? (
            <p role="status">{t('audit.none')}</p>
          ) : (
            <>
              <EntryTable page={props.page} values={props.values} />
              <Pagination
                base={`/workbench/audit${query ? `?${query}` : ''}`}
                offset={props.offset}
                limit={AUDIT_PAGE_SIZE}
                total={props.page.total}
              />
            </>
          )}
        </section>
      ) : null}
    </>
  );
}

/** The page with bad filter input: each problem beside its field, nothing searched (400). */
function rejected(req: FastifyRequest, reply: FastifyReply, values: FilterValues, problems: FieldProblem[]) {
  return reply.page(
    workbenchPage(
      req.t,
      req.t('audit.log'),
      <AuditLogPage state={{ values, problems }} values={values} page={null} offset={0} canExport={false} />,
    ),
    400,
  );
}

export function auditWorkbenchPages(app: FastifyInstance, db: Database): void {
  app.get(
    '/workbench/audit',
    { schema: { hide: true }, config: { access: 'audit.read' } },
    async (req, reply) => {
      const { values, filter, problems } = parseAuditFilter(req.query);
      if (problems.length > 0) return rejected(req, reply, values, problems);
      const offset = offsetOf(req.query);
      // The tenant is the site's, never the query's; the jurisdiction is the auditor's (see scopeOf).
      const page = await searchAudit(
        db,
        req.site.tenantId,
        filter,
        { limit: AUDIT_PAGE_SIZE, offset },
        scopeOf(req.actor),
      );
      return reply.page(
        workbenchPage(
          req.t,
          req.t('audit.log'),
          <AuditLogPage
            state={{ values, problems: [] }}
            values={values}
            page={page}
            offset={offset}
            canExport={req.actor?.permissions.has('audit.export') ?? false}
          />,
        ),
      );
    },
  );

  app.get(
    '/workbench/audit/export.csv',
    { schema: { hide: true }, config: { access: 'audit.export' } },
    async (req, reply) => {
      const { values, filter, problems } = parseAuditFilter(req.query);
      if (problems.length > 0) return rejected(req, reply, values, problems);
      const tenantId = req.site.tenantId;
      const scope = scopeOf(req.actor);
      // The export holds exactly the entries that exist now (up to this id), so the count written to
      // the chain is the number of rows sent, and the export's own entry is not in it.
      const maxId = await latestAuditId(db, tenantId);
      const bounded = { ...filter, maxId };
      const rows = await countAudit(db, tenantId, bounded, scope);
      await appendAudit(db.kysely, auditContextOf(req), {
        action: EXPORTED_ACTION,
        objectType: 'audit_log',
        objectId: tenantId,
        detail: { filter: givenValues(values), rows, format: 'csv' },
      });
      const stamp = siteTime(new Date()).replace(/[-: ]/g, '').slice(0, 12);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${tenantId}-${stamp}.csv"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(csvChunks(req.t, streamAudit(db, tenantId, bounded, scope))));
    },
  );
}
