/**
 * Workbench pages of process definitions (流程定义) for administrators: the list, one definition with
 * its versions and steps, and an editor that stores the next version (the JSON itself, checked by
 * the schema and the engine's rules, every problem listed beside the text).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import {
  Field,
  Form,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
} from '../../kernel/pages/index.tsx';
import { invalidFields } from '../../kernel/errors.ts';
import { nameIn, type Definition } from './definition.ts';
import type { DefinitionService } from './definition.service.ts';
import { chinaTime } from './deadline.ts';

/**
 * The step ids in the order a case meets them (from the start, through each action's target), then any
 * other: a stored definition's keys come back from jsonb in its own order, not the author's.
 */
function flowOrder(def: Definition): string[] {
  const seen = new Set<string>();
  const queue = [def.start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const s = def.steps[id];
    if (!s || seen.has(id)) continue;
    seen.add(id);
    if (s.parallel) queue.push(s.parallel.next, s.parallel.onReject);
    for (const a of Object.values(s.actions ?? {})) queue.push(a.to);
  }
  return [...seen, ...Object.keys(def.steps).filter((id) => !seen.has(id))];
}

function Steps(props: { def: Definition }) {
  const { t, locale } = usePage();
  const limit = (l?: { amount: number; unit: string }) =>
    l ? `${l.amount} ${t(`workflow.unit.${l.unit}`)}` : '—';
  return (
    <table>
      <caption class="visually-hidden">{t('workflow.definitions.steps')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('workflow.task.step')}</th>
          <th scope="col">{t('workflow.definitions.who')}</th>
          <th scope="col">{t('workflow.definitions.limit')}</th>
          <th scope="col">{t('workflow.definitions.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {flowOrder(props.def).map((id) => {
          const s = props.def.steps[id]!;
          const units = s.parallel
            ? Object.entries(s.parallel.branches).map(([b, br]) => ({
                key: `${id}.${b}`,
                name: `${nameIn(s.name, locale)} · ${nameIn(br.name, locale)}`,
                a: br.assignee,
                limit: br.limit,
                actions: br.actions,
              }))
            : [
                {
                  key: id,
                  name: nameIn(s.name, locale),
                  a: s.assignee!,
                  limit: s.limit,
                  actions: s.actions ?? {},
                },
              ];
          return units.map((u) => (
            <tr>
              <td>
                {u.name} <code>{u.key}</code>
              </td>
              <td>
                {typeof u.a.department === 'string'
                  ? t('workflow.definitions.case_department')
                  : 'type' in u.a.department
                    ? t(`org.department_type.${u.a.department.type}`)
                    : `#${u.a.department.id}`}{' '}
                · {t(`policy.role.${u.a.role}`)}
              </td>
              <td>{limit(u.limit)}</td>
              <td>
                {Object.entries(u.actions)
                  .map(([, a]) => `${nameIn(a.name, locale)} → ${a.to}`)
                  .join('；')}
              </td>
            </tr>
          ));
        })}
      </tbody>
    </table>
  );
}

export function definitionWorkbenchPages(
  app: FastifyInstance,
  deps: { definitions: DefinitionService },
): void {
  const { definitions } = deps;

  app.get(
    '/workbench/workflow/definitions',
    { schema: { hide: true }, config: { access: 'workflow.define' } },
    async (req, reply) => {
      const t = req.t;
      const list = await definitions.list(req.site.tenantId);
      return reply.page(
        workbenchPage(
          t,
          t('workflow.definitions.title'),
          <>
            <h1>{t('workflow.definitions.title')}</h1>
            <SavedNotice />
            <p>{t('workflow.definitions.intro')}</p>
            <p>
              <a class="button" href="/workbench/workflow/definitions/new">
                {t('workflow.definitions.add')}
              </a>{' '}
              <a href="/api/v1/workflow/definition-schema">{t('workflow.definitions.schema_link')}</a>
            </p>
            <table>
              <caption class="visually-hidden">{t('workflow.definitions.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('workflow.definitions.name')}</th>
                  <th scope="col">{t('workflow.definitions.code')}</th>
                  <th scope="col">{t('workflow.definitions.version')}</th>
                  <th scope="col">{t('workflow.definitions.saved_at')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((d) => (
                  <tr>
                    <td>
                      <a href={`/workbench/workflow/definitions/${d.code}`}>
                        {nameIn(d.body.name, req.locale)}
                      </a>
                    </td>
                    <td>
                      <code>{d.code}</code>
                    </td>
                    <td>{d.version}</td>
                    <td>{chinaTime(d.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>,
        ),
      );
    },
  );

  const editor = (req: FastifyRequest, code: string | null, state: FormState) =>
    workbenchPage(
      req.t,
      code ? `${req.t('workflow.definitions.edit')} ${code}` : req.t('workflow.definitions.add'),
      <>
        <h1>{code ? `${req.t('workflow.definitions.edit')} ${code}` : req.t('workflow.definitions.add')}</h1>
        <p>{req.t('workflow.definitions.edit_hint')}</p>
        <Form
          action={code ? `/workbench/workflow/definitions/${code}` : '/workbench/workflow/definitions'}
          state={state}
          submitLabel={req.t('workflow.definitions.save')}
        >
          <div class="code-editor">
            <Field
              name="json"
              label={req.t('workflow.definitions.json')}
              state={state}
              required
              rows={30}
              maxLength={200_000}
            />
          </div>
        </Form>
      </>,
      [{ href: '/workbench/workflow/definitions', label: req.t('workflow.definitions.title') }],
    );

  /** The JSON text as a definition; every problem is reported on the one text field. */
  const save = async (req: FastifyRequest, text: string, code: string | null) => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw invalidFields([
        { field: 'json', code: 'workflow.definition.json', params: { message: (e as Error).message } },
      ]);
    }
    if (code && (body as { code?: unknown })?.code !== code)
      throw invalidFields([{ field: 'json', code: 'workflow.definition.code_mismatch' }]);
    try {
      const r = await definitions.save(auditContextOf(req), body, 'admin');
      return `/workbench/workflow/definitions/${r.definition.code}?saved=1`;
    } catch (e) {
      const fields = (
        e as { fields?: { field: string; code: string; params?: Record<string, string | number> }[] }
      ).fields;
      if (fields?.length)
        throw invalidFields(
          fields.map((f) => ({ ...f, field: 'json' })),
          'workflow.definition.invalid',
        );
      throw e;
    }
  };

  app.get(
    '/workbench/workflow/definitions/new',
    { schema: { hide: true }, config: { access: 'workflow.define' } },
    async (req, reply) => reply.page(editor(req, null, { values: {}, problems: [] })),
  );
  app.post(
    '/workbench/workflow/definitions',
    { schema: { hide: true }, config: { access: 'workflow.define' } },
    async (req, reply) =>
      submitForm(
        req,
        reply,
        (v) => save(req, v.json ?? '', null),
        (s) => editor(req, null, s),
      ),
  );

  app.get(
    '/workbench/workflow/definitions/:code',
    { schema: { hide: true }, config: { access: 'workflow.define' } },
    async (req, reply) => {
      const t = req.t;
      const code = (req.params as { code: string }).code;
      const d = await definitions.latest(req.site.tenantId, code);
      const versions = await definitions.versions(req.site.tenantId, code);
      return reply.page(
        workbenchPage(
          t,
          nameIn(d.body.name, req.locale),
          <>
            <h1>
              {nameIn(d.body.name, req.locale)} <small class="muted">{d.code}</small>
            </h1>
            <SavedNotice />
            <p>
              <a class="button" href={`/workbench/workflow/definitions/${d.code}/edit`}>
                {t('workflow.definitions.edit')}
              </a>
            </p>
            <h2>{t('workflow.definitions.steps')}</h2>
            <Steps def={d.body} />
            <h2>{t('workflow.definitions.versions')}</h2>
            <p>{t('workflow.definitions.versions_hint')}</p>
            <ul>
              {versions.map((v) => (
                <li>
                  v{v.version} · {chinaTime(v.createdAt)} · {v.source} · {v.createdBy}
                </li>
              ))}
            </ul>
          </>,
          [{ href: '/workbench/workflow/definitions', label: t('workflow.definitions.title') }],
        ),
      );
    },
  );

  app.get(
    '/workbench/workflow/definitions/:code/edit',
    { schema: { hide: true }, config: { access: 'workflow.define' } },
    async (req, reply) => {
      const code = (req.params as { code: string }).code;
      const d = await definitions.latest(req.site.tenantId, code);
      return reply.page(
        editor(req, code, { values: { json: JSON.stringify(d.body, null, 2) }, problems: [] }),
      );
    },
  );
  app.post(
    '/workbench/workflow/definitions/:code',
    { schema: { hide: true }, config: { access: 'workflow.define' } },
    async (req, reply) => {
      const code = (req.params as { code: string }).code;
      await definitions.latest(req.site.tenantId, code);
      return submitForm(
        req,
        reply,
        (v) => save(req, v.json ?? '', code),
        (s) => editor(req, code, s),
      );
    },
  );
}
