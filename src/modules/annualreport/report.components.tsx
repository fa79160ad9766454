/**
 * The report as a page: the six sections and the template's tables as accessible HTML tables (a caption
 * each, headers with scope; table 三's and 四's two-level headers as colgroups), shared by the workbench
 * and the portal.
 */
import { usePage } from '../../kernel/pages/index.tsx';
import type { ReportView } from './report.service.ts';
import { reportTables, requestRows, type ReportTable } from './report.tables.ts';
import { REMEDIES, REQUESTER_COLUMNS, RESULTS } from './report.template.ts';

/** A simple table: one header row, row labels as row headers. */
function PlainTable(props: { table: ReportTable }) {
  const { table } = props;
  return (
    <table class="report-table" id={`table-${table.id}`}>
      <caption>{table.caption}</caption>
      <thead>
        <tr>
          {table.columns.map((c) => (
            <th scope="col">{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r) => (
          <tr>
            <th scope="row" class={`level-${r.level}`}>
              {r.label}
            </th>
            {(r.cells ?? []).map((c) => (
              <td class="number">{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 表三 as the template draws it: 申请人情况 over 自然人, 法人或其他组织 (five kinds) and 总计. */
function RequestsTable(props: { view: ReportView }) {
  const { t } = usePage();
  const rows = requestRows(t, props.view.figures);
  const span = REQUESTER_COLUMNS.length + 1;
  return (
    <table class="report-table" id="table-requests">
      <caption>
        {t('annualreport.requests.caption')}
        <br />
        <small>{t('annualreport.requests.note')}</small>
      </caption>
      <colgroup span={1} />
      <colgroup span={1} />
      <colgroup span={REQUESTER_COLUMNS.length - 1} />
      <colgroup span={1} />
      <thead>
        <tr>
          <td rowSpan={3} />
          <th scope="colgroup" colSpan={span}>
            {t('annualreport.requests.requester')}
          </th>
        </tr>
        <tr>
          <th scope="col" rowSpan={2}>
            {t('annualreport.requests.col.natural')}
          </th>
          <th scope="colgroup" colSpan={REQUESTER_COLUMNS.length - 1}>
            {t('annualreport.requests.organisations')}
          </th>
          <th scope="col" rowSpan={2}>
            {t('annualreport.requests.col.total')}
          </th>
        </tr>
        <tr>
          {REQUESTER_COLUMNS.slice(1).map((c) => (
            <th scope="col">{t(`annualreport.requests.col.${c}`)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) =>
          r.cells ? (
            <tr>
              <th scope="row" class={`level-${r.level}`}>
                {r.label}
              </th>
              {r.cells.map((c) => (
                <td class="number">{c}</td>
              ))}
            </tr>
          ) : (
            <tr>
              <th scope="rowgroup" colSpan={span + 1} class={`level-${r.level}`}>
                {r.label}
              </th>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}

/** 表四 as the template draws it: 行政复议 | 行政诉讼 (未经复议直接起诉 | 复议后起诉), each by result. */
function RemediesTable(props: { view: ReportView }) {
  const { t } = usePage();
  const m = props.view.figures.remedies;
  const results = [...RESULTS, 'total' as const];
  return (
    <table class="report-table" id="table-remedies">
      <caption>{t('annualreport.remedies.caption')}</caption>
      <colgroup span={results.length} />
      <colgroup span={results.length} />
      <colgroup span={results.length} />
      <thead>
        <tr>
          <th scope="colgroup" colSpan={results.length} rowSpan={2}>
            {t('annualreport.remedy.review_short')}
          </th>
          <th scope="colgroup" colSpan={results.length * 2}>
            {t('annualreport.remedy.lawsuit')}
          </th>
        </tr>
        <tr>
          <th scope="colgroup" colSpan={results.length}>
            {t('annualreport.remedy.lawsuitDirect_short')}
          </th>
          <th scope="colgroup" colSpan={results.length}>
            {t('annualreport.remedy.lawsuitAfterReview_short')}
          </th>
        </tr>
        <tr>
          {REMEDIES.flatMap(() => results.map((x) => <th scope="col">{t(`annualreport.result.${x}`)}</th>))}
        </tr>
      </thead>
      <tbody>
        <tr>{REMEDIES.flatMap((r) => results.map((x) => <td class="number">{m[r][x]}</td>))}</tr>
      </tbody>
    </table>
  );
}

function Text(props: { text: string }) {
  const { t } = usePage();
  if (!props.text) return <p class="muted">{t('annualreport.text_empty')}</p>;
  return (
    <>
      {props.text.split(/\n+/).map((p) => (
        <p>{p}</p>
      ))}
    </>
  );
}

/** The report's six sections with their tables and texts. */
export function ReportBody(props: { view: ReportView }) {
  const { t } = usePage();
  const v = props.view;
  const tables = new Map(reportTables(t, v.figures).map((x) => [x.id, x]));
  const section = (n: number) => <h2 id={`section-${n}`}>{t(`annualreport.section.${n}`)}</h2>;
  return (
    <div class="annual-report">
      {section(1)}
      <Text text={v.texts.overall} />
      {section(2)}
      {['item20-1', 'item20-5', 'item20-6', 'item20-8'].map((id) => (
        <PlainTable table={tables.get(id)!} />
      ))}
      <PlainTable table={tables.get('categories')!} />
      {section(3)}
      <RequestsTable view={v} />
      {section(4)}
      <RemediesTable view={v} />
      {section(5)}
      <Text text={v.texts.problems} />
      {section(6)}
      <Text text={v.texts.other} />
    </div>
  );
}
