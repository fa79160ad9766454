/** Workbench pages for sites (tenants): this site's settings, and every site the deployment runs. */
import type { FastifyInstance } from 'fastify';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import {
  Field,
  Form,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
} from '../../kernel/pages/index.tsx';
import type { TenantService } from './tenant.service.ts';
import type { Tenant, TenantSettings } from './tenant.store.ts';

function SiteFields(props: { state: FormState }) {
  const { t } = usePage();
  return (
    <>
      <Field name="name" label={t('org.tenant.name')} state={props.state} required maxLength={100} />
      <Field name="sponsor" label={t('org.tenant.sponsor')} state={props.state} maxLength={100} />
      <Field
        name="siteIdCode"
        label={t('org.tenant.site_id_code')}
        hint={t('org.tenant.site_id_code_hint')}
        state={props.state}
        maxLength={10}
      />
      <Field name="icpNumber" label={t('org.tenant.icp_number')} state={props.state} maxLength={60} />
      <Field name="policeFiling" label={t('org.tenant.police_filing')} state={props.state} maxLength={60} />
      <Field name="address" label={t('org.tenant.address')} state={props.state} maxLength={300} />
      <Field name="phone" label={t('org.tenant.phone')} state={props.state} type="tel" maxLength={30} />
      <Field name="email" label={t('org.tenant.email')} state={props.state} type="email" maxLength={200} />
      <Field
        name="hosts"
        label={t('org.tenant.hosts')}
        hint={t('org.tenant.hosts_hint')}
        state={props.state}
        maxLength={2000}
      />
    </>
  );
}

function TenantTable(props: { items: Tenant[]; current: string }) {
  const { t } = usePage();
  return (
    <table>
      <caption class="visually-hidden">{t('org.tenant.list_caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('org.tenant.tenant_id')}</th>
          <th scope="col">{t('org.tenant.name')}</th>
          <th scope="col">{t('org.tenant.hosts')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((s) => (
          <tr>
            <td>
              <code>{s.tenantId}</code>
            </td>
            <td>
              {s.name}
              {s.isDefault ? <span class="tag"> {t('org.tenant.default')}</span> : null}
              {s.tenantId === props.current ? <span class="tag"> {t('org.tenant.this_site')}</span> : null}
            </td>
            <td>{s.hosts.join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const valuesOf = (s: Tenant): Record<string, string> => ({
  name: s.name,
  sponsor: s.sponsor,
  siteIdCode: s.siteIdCode,
  icpNumber: s.icpNumber,
  policeFiling: s.policeFiling,
  address: s.address,
  phone: s.phone,
  email: s.email,
  hosts: s.hosts.join(', '),
});

const settingsOf = (v: Record<string, string>): TenantSettings => ({
  name: v.name ?? '',
  sponsor: v.sponsor ?? '',
  siteIdCode: v.siteIdCode ?? '',
  icpNumber: v.icpNumber ?? '',
  policeFiling: v.policeFiling ?? '',
  address: v.address ?? '',
  phone: v.phone ?? '',
  email: v.email ?? '',
  hosts: (v.hosts ?? '').split(/[\s,，]+/).filter(Boolean),
});

export function tenantWorkbenchPages(app: FastifyInstance, deps: { tenants: TenantService }): void {
  const { tenants } = deps;

  const settingsPage = (t: (k: string) => string, state: FormState) =>
    workbenchPage(
      t,
      t('org.tenant.settings'),
      <>
        <h1>{t('org.tenant.settings')}</h1>
        <SavedNotice />
        <Form action="/workbench/site" state={state} submitLabel={t('common.save')}>
          <SiteFields state={state} />
        </Form>
      </>,
    );
  app.get(
    '/workbench/site',
    { schema: { hide: true }, config: { access: 'org.site.manage' } },
    async (req, reply) =>
      reply.page(
        settingsPage(req.t, {
          values: valuesOf(await tenants.manageable(auditContextOf(req))),
          problems: [],
        }),
      ),
  );
  app.post(
    '/workbench/site',
    { schema: { hide: true }, config: { access: 'org.site.manage' } },
    async (req, reply) =>
      submitForm(
        req,
        reply,
        async (v) => {
          await tenants.update(auditContextOf(req), settingsOf(v));
          return '/workbench/site?saved=1';
        },
        (state) => settingsPage(req.t, state),
      ),
  );

  const sitesPage = (t: (k: string) => string, current: string, items: Tenant[], state: FormState) =>
    workbenchPage(
      t,
      t('org.tenant.all'),
      <>
        <h1>{t('org.tenant.all')}</h1>
        <SavedNotice />
        <TenantTable items={items} current={current} />
        <h2>{t('org.tenant.add')}</h2>
        <p>{t('org.tenant.add_hint')}</p>
        <Form action="/workbench/sites" state={state} submitLabel={t('org.tenant.add')}>
          <Field
            name="tenantId"
            label={t('org.tenant.division_code')}
            state={state}
            required
            inputMode="numeric"
            maxLength={12}
          />
          <SiteFields state={state} />
        </Form>
      </>,
    );
  app.get(
    '/workbench/sites',
    { schema: { hide: true }, config: { access: 'org.sites.manage' } },
    async (req, reply) =>
      reply.page(
        sitesPage(req.t, req.site.tenantId, await tenants.list(auditContextOf(req)), {
          values: {},
          problems: [],
        }),
      ),
  );
  app.post(
    '/workbench/sites',
    { schema: { hide: true }, config: { access: 'org.sites.manage' } },
    async (req, reply) => {
      const items = await tenants.list(auditContextOf(req));
      return submitForm(
        req,
        reply,
        async (v) => {
          await tenants.create(auditContextOf(req), {
            tenantId: (v.tenantId ?? '').trim(),
            ...settingsOf(v),
          });
          return '/workbench/sites?saved=1';
        },
        (state) => sitesPage(req.t, req.site.tenantId, items, state),
      );
    },
  );
}
