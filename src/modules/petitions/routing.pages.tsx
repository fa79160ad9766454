/**
 * The site's routing rules on the workbench (/workbench/petitions/routing): each matter type with the
 * type of department responsible, a select per matter type for the site's petition office or
 * administrator (one form, saved all or nothing, each problem beside its select), a table for the
 * other petition offices, who may read but not change them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import {
  emptyForm,
  Field,
  Form,
  SavedNotice,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import { ROUTING_ACCESS, type RoutingRule, type RoutingService } from './routing.service.ts';

const PAGE = '/workbench/petitions/routing';

export function routingPages(app: FastifyInstance, deps: { routing: RoutingService }) {
  const { routing } = deps;
  const access = { schema: { hide: true }, config: { access: [...ROUTING_ACCESS] } };

  const page = (
    req: FastifyRequest,
    rules: RoutingRule[],
    mayEdit: boolean,
    state: FormState,
  ): PageContent => {
    const t = req.t;
    const title = t('petitions.routing.title');
    const typeName = (type: string) => t(`org.department_type.${type}`);
    const options = routing.departmentTypes.map((d) => ({ value: d, label: typeName(d) }));
    const hint = (r: RoutingRule) =>
      r.changedAt === null
        ? t('petitions.routing.is_default')
        : t('petitions.routing.set_by_site', { default: typeName(r.defaultType) });
    return workbenchPage(
      t,
      title,
      <>
        <h1>{title}</h1>
        <SavedNotice />
        <p>{t('petitions.routing.intro')}</p>
        {mayEdit ? (
          <Form action={PAGE} submitLabel={t('petitions.routing.save')} state={state}>
            {rules.map((r) => (
              <Field
                name={r.matterType}
                label={t(`petitions.matter_type.${r.matterType}`)}
                hint={hint(r)}
                state={state}
                required
                options={options}
              />
            ))}
          </Form>
        ) : (
          <>
            <p class="notice" role="status">
              {t('petitions.routing.read_only')}
            </p>
            <table>
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('petitions.matter_type')}</th>
                  <th scope="col">{t('petitions.routing.department_type')}</th>
                  <th scope="col">{t('petitions.routing.source')}</th>
                </tr>
              </thead>
              <tbody>
                {rules.map((r) => (
                  <tr>
                    <th scope="row">{t(`petitions.matter_type.${r.matterType}`)}</th>
                    <td>{typeName(r.departmentType)}</td>
                    <td>{hint(r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </>,
      // The site administrator has no petition list to go back to.
      req.actor?.permissions.has('petition.route')
        ? [{ href: '/workbench/petitions', label: t('petitions.workbench.title') }]
        : [],
    );
  };

  const current = (rules: RoutingRule[]) =>
    emptyForm(Object.fromEntries(rules.map((r) => [r.matterType, r.departmentType])));

  app.get(PAGE, access, async (req, reply) => {
    const { rules, mayEdit } = await routing.list(auditContextOf(req));
    return reply.page(page(req, rules, mayEdit, current(rules)));
  });

  app.post(PAGE, access, async (req, reply) => {
    const ctx = auditContextOf(req);
    const { rules, mayEdit } = await routing.list(ctx);
    return submitForm(
      req,
      reply,
      async (v) => {
        // Only the matter types' selects: anything else the form did not offer is not a rule.
        await routing.set(ctx, Object.fromEntries(rules.map((r) => [r.matterType, v[r.matterType]])));
        return `${PAGE}?saved=1`;
      },
      (state) => page(req, rules, mayEdit, state),
    );
  });
}
