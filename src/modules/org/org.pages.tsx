/** Public pages of the org module: the division tree (行政区划) and the department directory (机构设置). */
import type { FastifyInstance } from 'fastify';
import { Pagination, usePage } from '../../kernel/pages/index.tsx';
import type { Department } from './department.store.ts';
import type { DepartmentService } from './department.service.ts';
import type { Division } from './division.store.ts';
import type { DivisionService } from './division.service.ts';
import { NATIONAL_CODE } from '../../kernel/divisions/index.ts';

const PAGE = 50;

/** The ?offset= of a list page: a whole number in range, else 0. */
export function offsetOf(query: unknown): number {
  const raw = Number((query as { offset?: string }).offset ?? 0);
  return Number.isInteger(raw) && raw >= 0 && raw <= 1_000_000 ? raw : 0;
}

export function DivisionTable(props: {
  items: Division[];
  hrefFor: (d: Division) => string;
  showCounts?: boolean;
}) {
  const { t } = usePage();
  return (
    <table>
      <caption class="visually-hidden">{t('org.division.list_caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('org.division.code')}</th>
          <th scope="col">{t('org.division.name')}</th>
          <th scope="col">{t('org.division.level')}</th>
          {props.showCounts ? <th scope="col">{t('org.division.children')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.items.map((d) => (
          <tr>
            <td>
              <code>{d.code}</code>
            </td>
            <td>
              <a href={props.hrefFor(d)}>{d.name}</a>
              {!d.isAdministrative ? <span class="tag"> {t('org.division.statistical')}</span> : null}
              {!d.active ? <span class="tag"> {t('org.division.inactive')}</span> : null}
            </td>
            <td>{t(`org.division.level.${d.level}`)}</td>
            {props.showCounts ? <td>{d.childCount ?? 0}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DivisionSearch(props: { action: string; q: string }) {
  const { t } = usePage();
  return (
    <form method="get" action={props.action} role="search" class="search-form">
      <label for="division-q">{t('org.division.search_label')}</label>
      <input id="division-q" name="q" type="search" value={props.q} maxLength={50} />
      <button type="submit">{t('common.search')}</button>
    </form>
  );
}

function DivisionsPage(props: {
  q: string;
  items: Division[];
  total: number;
  offset: number;
  title: string;
  base: string;
}) {
  const { t } = usePage();
  return (
    <>
      <h1>{props.title}</h1>
      <DivisionSearch action="/divisions" q={props.q} />
      {props.q && props.items.length === 0 ? (
        <p role="status">{t('org.division.no_match', { q: props.q })}</p>
      ) : (
        <DivisionTable items={props.items} hrefFor={(d) => `/divisions/${d.code}`} showCounts={!props.q} />
      )}
      <Pagination base={props.base} offset={props.offset} limit={PAGE} total={props.total} />
    </>
  );
}

function DepartmentList(props: { items: Department[] }) {
  const { t } = usePage();
  return (
    <ul class="department-list">
      {props.items.map((d) => (
        <li>
          <a href={`/departments/${d.id}`}>{d.name}</a>{' '}
          <span class="muted">{t(`org.department_type.${d.type}`)}</span>
        </li>
      ))}
    </ul>
  );
}

function DivisionPage(props: {
  division: Division;
  path: Division[];
  children: Division[];
  total: number;
  offset: number;
  departments: Department[];
}) {
  const { t } = usePage();
  const d = props.division;
  return (
    <>
      <h1>{d.name}</h1>
      <dl class="facts">
        <dt>{t('org.division.code')}</dt>
        <dd>
          <code>{d.code}</code>
        </dd>
        <dt>{t('org.division.level')}</dt>
        <dd>{t(`org.division.level.${d.level}`)}</dd>
        <dt>{t('org.division.path')}</dt>
        <dd>{props.path.map((p) => p.name).join(' / ')}</dd>
        {!d.isAdministrative ? (
          <>
            <dt>{t('org.division.kind')}</dt>
            <dd>{t('org.division.statistical_note')}</dd>
          </>
        ) : null}
      </dl>
      {props.departments.length > 0 ? (
        <section aria-labelledby="departments-heading">
          <h2 id="departments-heading">{t('org.department.here')}</h2>
          <DepartmentList items={props.departments} />
        </section>
      ) : null}
      <section aria-labelledby="children-heading">
        <h2 id="children-heading">{t('org.division.children_of', { name: d.name })}</h2>
        {props.children.length === 0 ? (
          <p>{t('org.division.no_children')}</p>
        ) : (
          <DivisionTable items={props.children} hrefFor={(c) => `/divisions/${c.code}`} showCounts />
        )}
        <Pagination base={`/divisions/${d.code}`} offset={props.offset} limit={PAGE} total={props.total} />
      </section>
    </>
  );
}

function DepartmentsPage(props: { groups: { division: Division; items: Department[] }[] }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('org.department.directory')}</h1>
      {props.groups.length === 0 ? <p>{t('org.department.none')}</p> : null}
      {props.groups.map((g) => (
        <section aria-labelledby={`div-${g.division.code}`}>
          <h2 id={`div-${g.division.code}`}>{g.division.name}</h2>
          <DepartmentList items={g.items} />
        </section>
      ))}
    </>
  );
}

function DepartmentPage(props: { department: Department; division: Division }) {
  const { t } = usePage();
  const d = props.department;
  const rows: [string, string][] = [
    [t('org.department.type'), t(`org.department_type.${d.type}`)],
    [t('org.department.division'), props.division.name],
    [t('org.department.phone'), d.phone],
    [t('org.department.address'), d.address],
    [t('org.department.email'), d.email],
    [t('org.department.credit_code'), d.creditCode],
  ];
  return (
    <>
      <h1>{d.name}</h1>
      {!d.active ? <p class="notice">{t('org.department.inactive_notice')}</p> : null}
      <dl class="facts">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </>
          ))}
      </dl>
    </>
  );
}

export function orgPortalPages(
  app: FastifyInstance,
  deps: { divisions: DivisionService; departments: DepartmentService },
): void {
  const { divisions, departments } = deps;

  app.get(
    '/divisions',
    { schema: { hide: true }, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const q = String((req.query as { q?: string }).q ?? '')
        .trim()
        .slice(0, 50);
      const offset = offsetOf(req.query);
      const page = q
        ? await divisions.search({ text: q, limit: PAGE, offset })
        : await divisions.children(NATIONAL_CODE, { limit: PAGE, offset });
      const title = q ? t('org.division.search_results', { q }) : t('org.division.title');
      return reply.page({
        area: 'portal',
        title,
        column: { name: t('org.division.title'), type: t('org.division.column_type') },
        breadcrumbs: [{ href: '/', label: t('nav.home') }, { label: t('org.division.title') }],
        body: (
          <DivisionsPage
            q={q}
            items={page.items}
            total={page.total}
            offset={offset}
            title={title}
            base={q ? `/divisions?q=${encodeURIComponent(q)}` : '/divisions'}
          />
        ),
      });
    },
  );

  app.get(
    '/divisions/:code',
    { schema: { hide: true }, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const code = (req.params as { code: string }).code;
      const offset = offsetOf(req.query);
      const division = await divisions.get(code);
      const [path, kids, deps] = await Promise.all([
        divisions.path(code),
        divisions.children(code, { limit: PAGE, offset }),
        departments.list(req.site.tenantId, {
          divisionCode: code,
          includeInactive: false,
          limit: 200,
          offset: 0,
        }),
      ]);
      return reply.page({
        area: 'portal',
        title: division.name,
        column: { name: t('org.division.title'), type: t('org.division.column_type') },
        breadcrumbs: [
          { href: '/', label: t('nav.home') },
          { href: '/divisions', label: t('org.division.title') },
          ...path.slice(0, -1).map((p) => ({ href: `/divisions/${p.code}`, label: p.name })),
          { label: division.name },
        ],
        body: (
          <DivisionPage
            division={division}
            path={path}
            children={kids.items}
            total={kids.total}
            offset={offset}
            departments={deps.items}
          />
        ),
      });
    },
  );

  app.get(
    '/departments',
    { schema: { hide: true }, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const all = await departments.list(req.site.tenantId, {
        includeInactive: false,
        limit: 500,
        offset: 0,
      });
      const codes = [...new Set(all.items.map((d) => d.divisionCode))];
      const names = new Map((await divisions.many(codes)).map((d) => [d.code, d]));
      const groups = codes.map((code) => ({
        division: names.get(code)!,
        items: all.items.filter((d) => d.divisionCode === code),
      }));
      return reply.page({
        area: 'portal',
        title: t('org.department.directory'),
        column: { name: t('org.department.directory'), type: t('org.department.column_type') },
        breadcrumbs: [{ href: '/', label: t('nav.home') }, { label: t('org.department.directory') }],
        body: <DepartmentsPage groups={groups} />,
      });
    },
  );

  app.get(
    '/departments/:id',
    { schema: { hide: true }, config: { access: 'public', publicCache: true } },
    async (req, reply) => {
      const t = req.t;
      const id = Number((req.params as { id: string }).id);
      if (!Number.isInteger(id) || id < 1) return reply.callNotFound();
      const department = await departments.get(req.site.tenantId, id);
      const division = await divisions.get(department.divisionCode);
      return reply.page({
        area: 'portal',
        title: department.name,
        column: { name: t('org.department.directory'), type: t('org.department.column_type') },
        breadcrumbs: [
          { href: '/', label: t('nav.home') },
          { href: '/departments', label: t('org.department.directory') },
          { label: department.name },
        ],
        body: <DepartmentPage department={department} division={division} />,
      });
    },
  );
}
