/**
 * The workbench's annual reports (/workbench/disclosure/annual-reports): the list and a form to open a
 * draft for a year and body; a report's page with the figures and texts staff enter (each error beside
 * its field), the report as it reads now, its downloads, and finalising.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import {
  CsrfField,
  emptyForm,
  Field,
  Form,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import { translator } from '../../kernel/i18n/index.ts';
import { reportHtml, reportTitle } from './report.files.ts';
import { ReportBody } from './report.components.tsx';
import type { ReportService, ReportSummary, ReportView } from './report.service.ts';
import {
  chinaYear,
  FEES,
  FIRST_YEAR,
  REMEDIES,
  RESULTS,
  TEXT_MAX,
  TEXTS,
  type Entered,
} from './report.template.ts';

export const BASE = '/workbench/disclosure/annual-reports';
const access = { schema: { hide: true }, config: { access: 'disclosure.report' as const } };
// A final report is also a writer's to put into the catalogue: they may read the list and the report.
const reading = {
  schema: { hide: true },
  config: { access: ['disclosure.report', 'publication.write'] as const },
};
const q = (departmentId: number | null) => (departmentId === null ? '' : `?department=${departmentId}`);
const pathOf = (r: { year: number; department: { id: number } | null }) =>
  `${BASE}/${r.year}${q(r.department?.id ?? null)}`;

/** `?department=` as a department id, or null (the site's report); anything else is no report. */
function departmentOf(req: FastifyRequest): number | null | undefined {
  const raw = (req.query as { department?: string }).department;
  if (raw === undefined || raw === '') return null;
  return /^\d{1,12}$/.test(raw) ? Number(raw) : undefined;
}
const yearOf = (req: FastifyRequest) => {
  const raw = (req.params as { year: string }).year;
  return /^\d{4}$/.test(raw) ? Number(raw) : undefined;
};

function ReportList(props: { items: (ReportSummary & { mayEdit: boolean })[] }) {
  const { t } = usePage();
  if (props.items.length === 0) return <p class="muted">{t('annualreport.none')}</p>;
  return (
    <table>
      <caption>{t('annualreport.list.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('annualreport.list.year')}</th>
          <th scope="col">{t('annualreport.list.issuer')}</th>
          <th scope="col">{t('annualreport.list.status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((r) => (
          <tr>
            <th scope="row">
              <a href={pathOf(r)}>{t('annualreport.list.year_value', { year: r.year })}</a>
            </th>
            <td>{r.issuer}</td>
            <td>{t(`annualreport.status.${r.status}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function listPage(
  t: Translate,
  items: (ReportSummary & { mayEdit: boolean })[],
  bodies: { site: boolean; departments: { id: number; name: string }[] },
  state: FormState,
  siteName: string,
  now: Date,
): PageContent {
  const title = t('annualreport.title');
  const years = [];
  for (let y = chinaYear(now); y >= FIRST_YEAR; y--) years.push({ value: String(y), label: String(y) });
  const options = [
    ...(bodies.site ? [{ value: '', label: t('annualreport.body.site', { name: siteName }) }] : []),
    ...bodies.departments.map((d) => ({ value: String(d.id), label: d.name })),
  ];
  return workbenchPage(
    t,
    title,
    <>
      <h1>{title}</h1>
      <p class="lead">{t('annualreport.intro')}</p>
      <ReportList items={items} />
      <h2>{t('annualreport.new.heading')}</h2>
      {options.length === 0 ? (
        <p>{t('annualreport.new.no_body')}</p>
      ) : (
        <Form action={BASE} state={state} submitLabel={t('annualreport.new.submit')}>
          <Field
            name="year"
            label={t('annualreport.new.year')}
            state={state}
            required
            options={years}
            value={String(Math.max(FIRST_YEAR, chinaYear(now) - 1))}
          />
          <Field name="departmentId" label={t('annualreport.new.body')} state={state} options={options} />
        </Form>
      )}
    </>,
  );
}

const valuesOf = (e: Entered): Record<string, string> => ({
  ...Object.fromEntries(Object.entries(e.counts).map(([k, v]) => [`figures.${k}`, String(v)])),
  [`figures.${FEES}`]: e.feesAmount,
  ...Object.fromEntries(TEXTS.map((k) => [`texts.${k}`, e.texts[k]])),
});

function EnteredForm(props: { view: ReportView; state: FormState }) {
  const { t } = usePage();
  const { view, state } = props;
  const count = (key: string, label: string) => (
    <Field name={`figures.${key}`} label={label} state={state} inputMode="numeric" maxLength={9} />
  );
  return (
    <Form action={pathOf(view)} state={state} submitLabel={t('annualreport.edit.save')} id="entered">
      <fieldset class="row-group">
        <legend>{t('annualreport.section.2')}</legend>
        {count('licensing', t('annualreport.field.licensing'))}
        {count('penalty', t('annualreport.field.penalty'))}
        {count('coercion', t('annualreport.field.coercion'))}
        <Field
          name={`figures.${FEES}`}
          label={t('annualreport.field.feesAmount')}
          hint={t('annualreport.field.feesAmount.hint')}
          state={state}
          inputMode="text"
          maxLength={15}
        />
      </fieldset>
      {REMEDIES.map((m) => (
        <fieldset class="row-group">
          <legend>{t(`annualreport.remedy.${m}`)}</legend>
          {RESULTS.map((x) =>
            count(
              `${m}.${x}`,
              t('annualreport.field.remedy', {
                remedy: t(`annualreport.remedy.${m}`),
                result: t(`annualreport.result.${x}`),
              }),
            ),
          )}
        </fieldset>
      ))}
      <fieldset class="row-group">
        <legend>{t('annualreport.edit.texts')}</legend>
        {TEXTS.map((k) => (
          <Field
            name={`texts.${k}`}
            label={t(`annualreport.field.text.${k}`)}
            hint={t(`annualreport.field.text.${k}.hint`)}
            state={state}
            rows={k === 'overall' ? 10 : 6}
            maxLength={TEXT_MAX}
          />
        ))}
      </fieldset>
    </Form>
  );
}

type Columns = { items: { code: string; name: string }[]; defaultCode: string } | null;

function PublishForm(props: { view: ReportView; columns: NonNullable<Columns>; state: FormState }) {
  const { t } = usePage();
  const { view, columns, state } = props;
  return (
    <>
      <h2>{t('annualreport.publish.heading')}</h2>
      <p>{t('annualreport.publish.text')}</p>
      <Form
        action={`${BASE}/${view.year}/publication${q(view.department?.id ?? null)}`}
        state={state}
        submitLabel={t('annualreport.publish.submit')}
        id="publish"
      >
        <Field
          name="categoryCode"
          label={t('annualreport.publish.column')}
          state={state}
          required
          value={columns.defaultCode}
          options={[
            { value: '', label: t('common.choose') },
            ...columns.items.map((c) => ({ value: c.code, label: c.name })),
          ]}
        />
      </Form>
    </>
  );
}

function reportPage(
  t: Translate,
  view: ReportView,
  state: FormState,
  columns: Columns = null,
  publishState: FormState = emptyForm(),
): PageContent {
  const title = reportTitle(t, view);
  const api = `/api/v1/disclosure/annual-reports/${view.year}`;
  const dq = q(view.department?.id ?? null);
  return workbenchPage(
    t,
    title,
    <>
      <h1>{title}</h1>
      <SavedNotice />
      <p role="status">
        {view.status === 'final'
          ? t('annualreport.final_since', { at: view.finalisedAt!.toISOString().slice(0, 10) })
          : t('annualreport.draft_note', { at: view.asOf.toISOString().slice(0, 10) })}
      </p>
      <ul class="actions">
        <li>
          <a href={`${api}.pdf${dq}`}>{t('annualreport.download.pdf')}</a>
        </li>
        <li>
          <a href={`${api}.csv${dq}`}>{t('annualreport.download.csv')}</a>
        </li>
        {view.status === 'final' ? (
          <li>
            <a href={`/disclosure/annual-reports/${view.year}${dq}`}>{t('annualreport.public_page')}</a>
          </li>
        ) : null}
        {view.publicationId !== null ? (
          <li>
            <a href={`/publications/${view.publicationId}`}>{t('annualreport.publish.published_as')}</a>
          </li>
        ) : null}
      </ul>
      {columns ? <PublishForm view={view} columns={columns} state={publishState} /> : null}
      {view.mayEdit ? (
        <>
          <h2>{t('annualreport.edit.heading')}</h2>
          <p>{t('annualreport.edit.intro')}</p>
          <EnteredForm view={view} state={state} />
          <h2>{t('annualreport.finalise.heading')}</h2>
          <p>{t('annualreport.finalise.text')}</p>
          <form method="post" action={`${BASE}/${view.year}/finalise${dq}`}>
            <CsrfField />
            <button type="submit">{t('annualreport.finalise.submit')}</button>
          </form>
        </>
      ) : null}
      <h2>{t('annualreport.preview.heading')}</h2>
      <ReportBody view={view} />
    </>,
    [{ href: BASE, label: t('annualreport.title') }],
  );
}

export function annualReportWorkbench(
  app: FastifyInstance,
  deps: { reports: ReportService; siteName(tenantId: string): Promise<string>; now?: () => Date },
) {
  const { reports } = deps;
  const now = () => deps.now?.() ?? new Date();

  const list = async (req: FastifyRequest) => {
    const ctx = auditContextOf(req);
    const [items, bodies, siteName] = await Promise.all([
      reports.list(ctx),
      reports.bodies(ctx),
      deps.siteName(req.site.tenantId),
    ]);
    return (state: FormState) => listPage(req.t, items, bodies, state, siteName, now());
  };

  app.get(BASE, reading, async (req, reply) => reply.page((await list(req))(emptyForm())));

  app.post(BASE, access, async (req, reply) => {
    const render = await list(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        const year = /^\d{4}$/.test(v.year ?? '') ? Number(v.year) : Number.NaN;
        const id = v.departmentId?.trim();
        const departmentId = id ? (/^\d{1,12}$/.test(id) ? Number(id) : -1) : null;
        const created = await reports.create(auditContextOf(req), { year, departmentId });
        return pathOf(created);
      },
      render,
    );
  });

  const load = async (req: FastifyRequest) => {
    const year = yearOf(req);
    const dept = departmentOf(req);
    if (year === undefined || dept === undefined) return undefined;
    return reports.get(auditContextOf(req), year, dept);
  };

  /** The columns to publish in, when the viewer may put this final report into the catalogue. */
  const columnsFor = async (req: FastifyRequest, view: ReportView): Promise<Columns> => {
    const ctx = auditContextOf(req);
    return reports.mayPublish(ctx, view, await reports.departments(ctx.tenantId))
      ? reports.columns(ctx.tenantId)
      : null;
  };

  app.get(`${BASE}/:year`, reading, async (req, reply) => {
    const view = await load(req);
    if (!view) return reply.callNotFound();
    const columns = await columnsFor(req, view);
    return reply.page(reportPage(req.t, view, emptyForm(valuesOf(view.entered)), columns));
  });

  app.post(
    `${BASE}/:year/publication`,
    { schema: { hide: true }, config: { access: 'publication.write' } },
    async (req, reply) => {
      const view = await load(req);
      if (!view) return reply.callNotFound();
      const columns = await columnsFor(req, view);
      // The publication is in the site's language (Chinese), whatever the writer reads the page in.
      const zh = translator('zh-CN');
      return submitForm(
        req,
        reply,
        async (v) => {
          const { publicationId } = await reports.publish(
            auditContextOf(req),
            view.year,
            view.department?.id ?? null,
            {
              categoryCode: v.categoryCode ?? '',
              title: (r) => reportTitle(zh, r),
              bodyHtml: (r) => reportHtml(zh, r),
            },
          );
          return `/workbench/publications/${publicationId}`;
        },
        (state) => reportPage(req.t, view, emptyForm(valuesOf(view.entered)), columns, state),
      );
    },
  );

  app.post(`${BASE}/:year`, access, async (req, reply) => {
    const view = await load(req);
    if (!view) return reply.callNotFound();
    return submitForm(
      req,
      reply,
      async (v) => {
        const figures: Record<string, string> = {};
        const texts: Record<string, string> = {};
        for (const [k, value] of Object.entries(v)) {
          if (k.startsWith('figures.')) figures[k.slice('figures.'.length)] = value;
          else if (k.startsWith('texts.')) texts[k.slice('texts.'.length)] = value;
        }
        const saved = await reports.update(auditContextOf(req), view.year, view.department?.id ?? null, {
          figures,
          texts,
        });
        return `${pathOf(saved)}${saved.department ? '&' : '?'}saved=1`;
      },
      (state) => reportPage(req.t, view, state),
    );
  });

  app.post(`${BASE}/:year/finalise`, access, async (req, reply) => {
    const view = await load(req);
    if (!view) return reply.callNotFound();
    return submitForm(
      req,
      reply,
      async () => {
        const done = await reports.finalise(auditContextOf(req), view.year, view.department?.id ?? null);
        return `${pathOf(done)}${done.department ? '&' : '?'}saved=1`;
      },
      (state) => reportPage(req.t, view, { ...state, values: valuesOf(view.entered) }),
    );
  });
}
