/** Workbench (staff) pages of the org module: manage divisions and departments. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import {
  Field,
  Form,
  Pagination,
  SavedNotice,
  workbenchPage,
  usePage,
  type FormState,
} from '../../kernel/pages/index.tsx';
import { DEPARTMENT_TYPES } from './department-types.ts';
import type { Department } from './department.store.ts';
import type { DepartmentInput, DepartmentService } from './department.service.ts';
import { NATIONAL_CODE, subtreePrefix } from '../../kernel/divisions/index.ts';
import type { DivisionService } from './division.service.ts';
import { DivisionSearch, DivisionTable, offsetOf } from './org.pages.tsx';

interface Deps {
  divisions: DivisionService;
  departments: DepartmentService;
}

const PAGE = 50;

function DivisionForm(props: { action: string; state: FormState; editing?: boolean }) {
  const { t } = usePage();
  return (
    <Form action={props.action} state={props.state} submitLabel={t('common.save')}>
      {props.editing ? null : (
        <Field
          name="code"
          label={t('org.division.code')}
          hint={t('org.division.code_hint')}
          state={props.state}
          required
          inputMode="numeric"
          maxLength={12}
        />
      )}
      <Field name="name" label={t('org.division.name')} state={props.state} required maxLength={100} />
      {props.editing ? (
        <Field
          name="active"
          label={t('org.division.status')}
          state={props.state}
          options={[
            { value: 'true', label: t('common.active') },
            { value: 'false', label: t('common.inactive') },
          ]}
        />
      ) : null}
    </Form>
  );
}

function DepartmentForm(props: { action: string; state: FormState; parents: Department[] }) {
  const { t } = usePage();
  return (
    <Form action={props.action} state={props.state} submitLabel={t('common.save')}>
      <Field name="name" label={t('org.department.name')} state={props.state} required maxLength={100} />
      <Field name="shortName" label={t('org.department.short_name')} state={props.state} maxLength={30} />
      <Field
        name="type"
        label={t('org.department.type')}
        state={props.state}
        required
        options={[
          { value: '', label: t('common.choose') },
          ...DEPARTMENT_TYPES.map((k) => ({ value: k, label: t(`org.department_type.${k}`) })),
        ]}
      />
      <Field
        name="divisionCode"
        label={t('org.department.division_code')}
        hint={t('org.department.division_code_hint')}
        state={props.state}
        required
        inputMode="numeric"
        maxLength={12}
      />
      <Field
        name="parentId"
        label={t('org.department.parent')}
        state={props.state}
        options={[
          { value: '', label: t('org.department.no_parent') },
          ...props.parents.map((p) => ({ value: String(p.id), label: p.name })),
        ]}
      />
      <Field name="creditCode" label={t('org.department.credit_code')} state={props.state} maxLength={18} />
      <Field name="phone" label={t('org.department.phone')} state={props.state} type="tel" maxLength={30} />
      <Field
        name="email"
        label={t('org.department.email')}
        state={props.state}
        type="email"
        maxLength={200}
      />
      <Field name="address" label={t('org.department.address')} state={props.state} maxLength={300} />
    </Form>
  );
}

function DepartmentRows(props: { items: Department[] }) {
  const { t, csrfToken } = usePage();
  return (
    <table>
      <caption class="visually-hidden">{t('org.department.list_caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('org.department.name')}</th>
          <th scope="col">{t('org.department.type')}</th>
          <th scope="col">{t('org.department.division_code')}</th>
          <th scope="col">{t('org.division.status')}</th>
          <th scope="col">{t('common.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((d) => (
          <tr>
            <td>
              <a href={`/workbench/departments/${d.id}`}>{d.name}</a>
            </td>
            <td>{t(`org.department_type.${d.type}`)}</td>
            <td>
              <code>{d.divisionCode}</code>
            </td>
            <td>{d.active ? t('common.active') : t('common.inactive')}</td>
            <td>
              <form
                method="post"
                action={`/workbench/departments/${d.id}/${d.active ? 'deactivate' : 'reactivate'}`}
                class="inline-form"
              >
                <input type="hidden" name="_csrf" value={csrfToken} />
                <button
                  type="submit"
                  class="secondary"
                  aria-label={`${d.active ? t('org.department.deactivate') : t('org.department.reactivate')} ${d.name}`}
                >
                  {d.active ? t('org.department.deactivate') : t('org.department.reactivate')}
                </button>
              </form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const departmentInput = (v: Record<string, string>): DepartmentInput => ({
  name: v.name ?? '',
  shortName: v.shortName,
  type: v.type ?? '',
  divisionCode: v.divisionCode ?? '',
  parentId: v.parentId ? Number(v.parentId) : null,
  creditCode: v.creditCode,
  phone: v.phone,
  email: v.email,
  address: v.address,
});

export function orgWorkbenchPages(app: FastifyInstance, deps: Deps): void {
  const { divisions, departments } = deps;
  app.get(
    '/workbench/divisions',
    { schema: { hide: true }, config: { access: 'org.division.manage' } },
    async (req, reply) => {
      const t = req.t;
      const q = String((req.query as { q?: string }).q ?? '')
        .trim()
        .slice(0, 50);
      const offset = offsetOf(req.query);
      // The actor's own division and what lies below it: their jurisdiction.
      const root = req.actor?.division || NATIONAL_CODE;
      const page = q
        ? await divisions.search({ text: q, within: subtreePrefix(root) || undefined, limit: PAGE, offset })
        : await divisions.children(root, { limit: PAGE, offset });
      return reply.page(
        workbenchPage(
          req.t,
          t('org.division.manage'),
          <>
            <h1>{t('org.division.manage')}</h1>
            <SavedNotice />
            <p>
              <a class="button" href="/workbench/divisions/new">
                {t('org.division.add')}
              </a>
            </p>
            <DivisionSearch action="/workbench/divisions" q={q} />
            {q && page.items.length === 0 ? <p role="status">{t('org.division.no_match', { q })}</p> : null}
            <DivisionTable
              items={page.items}
              hrefFor={(d) => `/workbench/divisions/${d.code}`}
              showCounts={!q}
            />
            <Pagination
              base={q ? `/workbench/divisions?q=${encodeURIComponent(q)}` : '/workbench/divisions'}
              offset={offset}
              limit={PAGE}
              total={page.total}
            />
          </>,
        ),
      );
    },
  );

  const newDivision = (req: FastifyRequest, state: FormState) =>
    workbenchPage(
      req.t,
      req.t('org.division.add'),
      <>
        <h1>{req.t('org.division.add')}</h1>
        <DivisionForm action="/workbench/divisions" state={state} />
      </>,
      [{ href: '/workbench/divisions', label: req.t('org.division.manage') }],
    );
  app.get(
    '/workbench/divisions/new',
    { schema: { hide: true }, config: { access: 'org.division.manage' } },
    async (req, reply) => reply.page(newDivision(req, { values: {}, problems: [] })),
  );
  app.post(
    '/workbench/divisions',
    { schema: { hide: true }, config: { access: 'org.division.manage' } },
    async (req, reply) =>
      submitForm(
        req,
        reply,
        async (v) =>
          `/workbench/divisions/${(await divisions.create(auditContextOf(req), { code: (v.code ?? '').trim(), name: v.name ?? '' })).code}?saved=1`,
        (s) => newDivision(req, s),
      ),
  );

  app.get(
    '/workbench/divisions/:code',
    { schema: { hide: true }, config: { access: 'org.division.manage' } },
    async (req, reply) => {
      const code = (req.params as { code: string }).code;
      const d = await divisions.manageable(auditContextOf(req), code);
      const [path, kids] = await Promise.all([
        divisions.path(code),
        divisions.children(code, { limit: PAGE, offset: 0 }),
      ]);
      const state = { values: { name: d.name, active: String(d.active) }, problems: [] };
      return reply.page(divisionPage(req, d.code, state, path.map((p) => p.name).join(' / '), kids.items));
    },
  );
  const divisionPage = (
    req: FastifyRequest,
    code: string,
    state: FormState,
    pathText: string,
    kids: Awaited<ReturnType<DivisionService['children']>>['items'],
  ) =>
    workbenchPage(
      req.t,
      `${req.t('org.division.edit')} ${code}`,
      <>
        <h1>
          {req.t('org.division.edit')} <code>{code}</code>
        </h1>
        <SavedNotice />
        <p>{pathText}</p>
        <DivisionForm action={`/workbench/divisions/${code}`} state={state} editing />
        <h2>{req.t('org.division.children')}</h2>
        <DivisionTable items={kids} hrefFor={(c) => `/workbench/divisions/${c.code}`} showCounts />
      </>,
      [{ href: '/workbench/divisions', label: req.t('org.division.manage') }],
    );
  app.post(
    '/workbench/divisions/:code',
    { schema: { hide: true }, config: { access: 'org.division.manage' } },
    async (req, reply) => {
      const code = (req.params as { code: string }).code;
      await divisions.get(code);
      return submitForm(
        req,
        reply,
        async (v) =>
          `/workbench/divisions/${(await divisions.update(auditContextOf(req), code, { name: v.name ?? '', active: v.active === undefined ? undefined : v.active === 'true' })).code}?saved=1`,
        (s) => divisionPage(req, code, s, '', []),
      );
    },
  );

  app.get(
    '/workbench/departments',
    { schema: { hide: true }, config: { access: 'org.department.manage' } },
    async (req, reply) => {
      const t = req.t;
      const offset = offsetOf(req.query);
      const page = await departments.listManaged(auditContextOf(req), { limit: PAGE, offset });
      return reply.page(
        workbenchPage(
          req.t,
          t('org.department.manage'),
          <>
            <h1>{t('org.department.manage')}</h1>
            <SavedNotice />
            <p>
              <a class="button" href="/workbench/departments/new">
                {t('org.department.add')}
              </a>
            </p>
            <DepartmentRows items={page.items} />
            <Pagination base="/workbench/departments" offset={offset} limit={PAGE} total={page.total} />
          </>,
        ),
      );
    },
  );

  const parentsOf = async (req: FastifyRequest) =>
    (await departments.listManaged(auditContextOf(req), { activeOnly: true, limit: 500, offset: 0 })).items;
  const departmentPage = (
    req: FastifyRequest,
    title: string,
    action: string,
    state: FormState,
    parents: Department[],
  ) =>
    workbenchPage(
      req.t,
      title,
      <>
        <h1>{title}</h1>
        <SavedNotice />
        <DepartmentForm action={action} state={state} parents={parents} />
      </>,
      [{ href: '/workbench/departments', label: req.t('org.department.manage') }],
    );

  app.get(
    '/workbench/departments/new',
    { schema: { hide: true }, config: { access: 'org.department.manage' } },
    async (req, reply) =>
      reply.page(
        departmentPage(
          req,
          req.t('org.department.add'),
          '/workbench/departments',
          { values: { divisionCode: req.site.tenantId }, problems: [] },
          await parentsOf(req),
        ),
      ),
  );
  app.post(
    '/workbench/departments',
    { schema: { hide: true }, config: { access: 'org.department.manage' } },
    async (req, reply) => {
      const parents = await parentsOf(req);
      return submitForm(
        req,
        reply,
        async (v) =>
          `/workbench/departments/${(await departments.create(auditContextOf(req), departmentInput(v))).id}?saved=1`,
        (s) => departmentPage(req, req.t('org.department.add'), '/workbench/departments', s, parents),
      );
    },
  );

  app.get(
    '/workbench/departments/:id',
    { schema: { hide: true }, config: { access: 'org.department.manage' } },
    async (req, reply) => {
      const id = Number((req.params as { id: string }).id);
      if (!Number.isInteger(id) || id < 1) return reply.callNotFound();
      const d = await departments.manageable(auditContextOf(req), id);
      const values = {
        name: d.name,
        shortName: d.shortName,
        type: d.type,
        divisionCode: d.divisionCode,
        parentId: d.parentId ? String(d.parentId) : '',
        creditCode: d.creditCode,
        phone: d.phone,
        email: d.email,
        address: d.address,
      };
      const parents = (await parentsOf(req)).filter((p) => p.id !== id);
      return reply.page(
        departmentPage(
          req,
          `${req.t('org.department.edit')} ${d.name}`,
          `/workbench/departments/${id}`,
          { values, problems: [] },
          parents,
        ),
      );
    },
  );
  app.post(
    '/workbench/departments/:id',
    { schema: { hide: true }, config: { access: 'org.department.manage' } },
    async (req, reply) => {
      const id = Number((req.params as { id: string }).id);
      if (!Number.isInteger(id) || id < 1) return reply.callNotFound();
      const d = await departments.get(req.site.tenantId, id);
      const parents = (await parentsOf(req)).filter((p) => p.id !== id);
      return submitForm(
        req,
        reply,
        async (v) =>
          `/workbench/departments/${(await departments.update(auditContextOf(req), id, departmentInput(v))).id}?saved=1`,
        (s) =>
          departmentPage(
            req,
            `${req.t('org.department.edit')} ${d.name}`,
            `/workbench/departments/${id}`,
            s,
            parents,
          ),
      );
    },
  );
  for (const [action, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post(
      `/workbench/departments/:id/${action}`,
      { schema: { hide: true }, config: { access: 'org.department.manage' } },
      async (req, reply) => {
        const id = Number((req.params as { id: string }).id);
        if (!Number.isInteger(id) || id < 1) return reply.callNotFound();
        await departments.setActive(auditContextOf(req), id, active);
        return reply.redirect('/workbench/departments?saved=1', 303);
      },
    );
  }
}
