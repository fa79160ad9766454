/**
 * The catalogue in the workbench: the items of one's jurisdiction (/workbench/services), the item
 * editor (new and existing), and publishing, suspending or withdrawing to draft.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, invalidFields, type FieldProblem } from '../../kernel/errors.ts';
import { auditContextOf, formValues, submitForm } from '../../kernel/http/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import {
  CsrfField,
  Field,
  Form,
  Pagination,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
} from '../../kernel/pages/index.tsx';
import {
  AUDIENCES,
  ENTERPRISE_EVENTS,
  ITEM_KINDS,
  LIFE_EVENTS,
  MATERIAL_FORMS,
  ONLINE_DEPTHS,
  RESULT_DELIVERIES,
  itemProblems,
  normalizeItem,
  shapeProblems,
  type Item,
  type ItemStatus,
} from './catalogue.ts';
import { formFromItem, inputFromForm, rowCount } from './item.form.ts';
import type { ItemService, ServiceDepartment } from './item.service.ts';

export interface WorkbenchDeps {
  items: ItemService;
  /** departments the actor may give items to (the service checks again) */
  departmentsFor(req: FastifyRequest): Promise<ServiceDepartment[]>;
  processes(tenantId: string): Promise<{ code: string; name: string }[]>;
}

const LIMIT = 50;

function Checkboxes(props: {
  name: string;
  legend: string;
  options: readonly string[];
  labelOf: (v: string) => string;
  state: FormState;
}) {
  const chosen = new Set((props.state.values[props.name] ?? '').split('\n'));
  const { t } = usePage();
  const problem = props.state.problems.find((p) => p.field.startsWith(`${props.name}/`));
  return (
    <fieldset class={problem ? 'field field-error' : 'field'} id={`field-${props.name}`}>
      <legend>{props.legend}</legend>
      {problem ? <p class="error-message">{t(problem.code, problem.params)}</p> : null}
      {props.options.map((o) => (
        <label class="checkbox">
          <input type="checkbox" name={props.name} value={o} checked={chosen.has(o)} /> {props.labelOf(o)}
        </label>
      ))}
    </fieldset>
  );
}

function MaterialRow(props: { i: number; state: FormState }) {
  const { t } = usePage();
  const { i, state } = props;
  const p = `materials/${i}`;
  return (
    <fieldset class="row-group">
      <legend>{t('services.material.row', { n: i + 1 })}</legend>
      <Field name={`${p}/name`} label={t('services.material.name')} state={state} maxLength={200} />
      <Field
        name={`${p}/key`}
        label={t('services.material.key')}
        hint={t('services.material.key_hint')}
        state={state}
        maxLength={40}
      />
      <Field
        name={`${p}/form`}
        label={t('services.material.form')}
        state={state}
        options={MATERIAL_FORMS.map((f) => ({ value: f, label: t(`services.material_form.${f}`) }))}
      />
      <Field
        name={`${p}/copies`}
        label={t('services.material.copies')}
        state={state}
        inputMode="numeric"
        value="1"
        maxLength={2}
      />
      <Field
        name={`${p}/required`}
        label={t('services.material.required')}
        state={state}
        options={[
          { value: 'required', label: t('services.material.required_always') },
          { value: 'conditional', label: t('services.material.required_conditional') },
        ]}
      />
      <Field name={`${p}/condition`} label={t('services.material.condition')} state={state} maxLength={500} />
      <Field
        name={`${p}/heldBy`}
        label={t('services.material.held_by')}
        hint={t('services.material.held_by_hint')}
        state={state}
        maxLength={200}
      />
      <Field name={`${p}/note`} label={t('services.material.note')} state={state} maxLength={500} />
      <label class="checkbox">
        <input
          type="radio"
          name="applicationForm"
          value={String(i)}
          checked={state.values.applicationForm === String(i)}
        />{' '}
        {t('services.material.is_application_form')}
      </label>
    </fieldset>
  );
}

function FeeRow(props: { i: number; state: FormState }) {
  const { t } = usePage();
  const p = `fees/${props.i}`;
  return (
    <fieldset class="row-group">
      <legend>{t('services.fee.row', { n: props.i + 1 })}</legend>
      <Field name={`${p}/name`} label={t('services.fee.name')} state={props.state} maxLength={200} />
      <Field
        name={`${p}/amount`}
        label={t('services.fee.amount')}
        state={props.state}
        inputMode="numeric"
        maxLength={12}
      />
      <Field name={`${p}/basis`} label={t('services.fee.basis')} state={props.state} maxLength={500} />
    </fieldset>
  );
}

function ItemEditor(props: {
  action: string;
  state: FormState;
  isNew: boolean;
  departments: ServiceDepartment[];
  processes: { code: string; name: string }[];
}) {
  const { t } = usePage();
  const { state } = props;
  // Always one blank row to fill; "add a row" posts back for one more.
  const materials = Math.max(rowCount(state.values, 'materials') + 1, 1);
  const fees = rowCount(state.values, 'fees') + 1;
  const num = (name: string, label: string, hint?: string) => (
    <Field name={name} label={label} hint={hint} state={state} inputMode="numeric" maxLength={3} />
  );
  return (
    <Form action={props.action} state={state} submitLabel={t('services.item.save')}>
      <h2>{t('services.item.basic')}</h2>
      <Field
        name="code"
        label={t('services.item.code')}
        hint={t('services.item.code_hint')}
        state={state}
        required
        maxLength={40}
      />
      <Field name="name" label={t('services.item.name')} state={state} required maxLength={200} />
      <Field
        name="kind"
        label={t('services.item.kind')}
        state={state}
        options={ITEM_KINDS.map((k) => ({ value: k, label: t(`services.kind.${k}`) }))}
      />
      <Field
        name="departmentId"
        label={t('services.item.department')}
        state={state}
        options={props.departments.map((d) => ({ value: String(d.id), label: d.name }))}
      />
      <Field
        name="audience"
        label={t('services.item.audience')}
        state={state}
        options={AUDIENCES.map((a) => ({ value: a, label: t(`services.audience.${a}`) }))}
      />
      <Field
        name="onlineDepth"
        label={t('services.item.online_depth')}
        state={state}
        options={ONLINE_DEPTHS.map((d) => ({ value: String(d), label: t(`services.depth.${d}`) }))}
      />
      {num('statutoryDays', t('services.item.statutory_days'), t('services.item.days_hint'))}
      {num('promisedDays', t('services.item.promised_days'), t('services.item.days_hint'))}
      {num('consultDays', t('services.item.consult_days'), t('services.item.consult_days_hint'))}
      <Field
        name="processCode"
        label={t('services.item.process_code')}
        state={state}
        options={[
          { value: '', label: t('services.item.no_process') },
          ...props.processes.map((p) => ({ value: p.code, label: `${p.name}（${p.code}）` })),
        ]}
      />
      <Checkboxes
        name="resultDelivery"
        legend={t('services.item.result_delivery')}
        options={RESULT_DELIVERIES}
        labelOf={(v) => t(`services.delivery.${v}`)}
        state={state}
      />
      <Checkboxes
        name="lifeEvents"
        legend={t('services.item.life_events')}
        options={LIFE_EVENTS}
        labelOf={(v) => t(`services.event.${v}`)}
        state={state}
      />
      <Checkboxes
        name="enterpriseEvents"
        legend={t('services.item.enterprise_events')}
        options={ENTERPRISE_EVENTS}
        labelOf={(v) => t(`services.event.${v}`)}
        state={state}
      />
      <h2>{t('services.item.guide')}</h2>
      <Field
        name="legalBasis"
        label={t('services.item.legal_basis')}
        state={state}
        rows={4}
        maxLength={5000}
      />
      <Field
        name="conditions"
        label={t('services.item.conditions')}
        state={state}
        rows={4}
        maxLength={5000}
      />
      <Field
        name="process"
        label={t('services.item.process')}
        hint={t('services.item.process_hint')}
        state={state}
        rows={4}
        maxLength={5000}
      />
      <Field name="place" label={t('services.item.place')} state={state} maxLength={500} />
      <Field name="hours" label={t('services.item.hours')} state={state} maxLength={500} />
      <Field name="consultPhone" label={t('services.item.consult_phone')} state={state} maxLength={100} />
      <Field name="complaintPhone" label={t('services.item.complaint_phone')} state={state} maxLength={100} />
      <Field
        name="form"
        label={t('services.item.form')}
        hint={t('services.item.form_hint')}
        state={state}
        rows={12}
        maxLength={100_000}
      />
      <h2 id="field-materials">{t('services.item.materials')}</h2>
      {Array.from({ length: materials }, (_, i) => (
        <MaterialRow i={i} state={state} />
      ))}
      <button type="submit" name="_add" value="material" class="secondary">
        {t('services.material.add')}
      </button>
      <h2>{t('services.item.fees')}</h2>
      <p class="hint">{t('services.fee.none_hint')}</p>
      {Array.from({ length: fees }, (_, i) => (
        <FeeRow i={i} state={state} />
      ))}
      <button type="submit" name="_add" value="fee" class="secondary">
        {t('services.fee.add')}
      </button>
    </Form>
  );
}

function StatusForms(props: { item: Item }) {
  const { t } = usePage();
  const next: ItemStatus[] =
    props.item.status === 'published'
      ? ['suspended', 'draft']
      : props.item.status === 'draft'
        ? ['published']
        : ['published', 'draft'];
  return (
    <div class="actions">
      <p>
        {t('services.item.status')}: <strong>{t(`services.status.${props.item.status}`)}</strong>
      </p>
      {next.map((s) => (
        <form method="post" action={`/workbench/services/items/${props.item.code}/status`}>
          <CsrfField />
          <input type="hidden" name="status" value={s} />
          <button type="submit" class={s === 'published' ? '' : 'secondary'}>
            {t(`services.item.to_${s}`)}
          </button>
        </form>
      ))}
      {props.item.status === 'published' ? (
        <p>
          <a href={`/services/items/${props.item.code}`}>{t('services.item.view_guide')}</a>
        </p>
      ) : null}
    </div>
  );
}

function ItemList(props: { items: Item[]; total: number; offset: number; status: string }) {
  const { t } = usePage();
  return (
    <>
      <p>
        <a href="/workbench/services/new">{t('services.item.new')}</a> ·{' '}
        <a href="/workbench/services/exchange">{t('services.exchange.title')}</a>
      </p>
      <form method="get" action="/workbench/services" class="filters">
        <label for="status">{t('services.item.status')}</label>
        <select id="status" name="status">
          <option value="">{t('services.item.any_status')}</option>
          {(['draft', 'published', 'suspended'] as const).map((s) => (
            <option value={s} selected={props.status === s}>
              {t(`services.status.${s}`)}
            </option>
          ))}
        </select>
        <button type="submit">{t('services.item.filter')}</button>
      </form>
      {props.items.length === 0 ? (
        <p>{t('services.item.none')}</p>
      ) : (
        <table>
          <caption>{t('services.item.count', { total: props.total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('services.item.code')}</th>
              <th scope="col">{t('services.item.name')}</th>
              <th scope="col">{t('services.item.department')}</th>
              <th scope="col">{t('services.item.kind')}</th>
              <th scope="col">{t('services.item.status')}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((i) => (
              <tr>
                <td>{i.code}</td>
                <td>
                  <a href={`/workbench/services/items/${i.code}`}>{i.name}</a>
                </td>
                <td>{i.departmentName}</td>
                <td>{t(`services.kind.${i.kind}`)}</td>
                <td>{t(`services.status.${i.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        base={`/workbench/services${props.status ? `?status=${props.status}` : ''}`}
        offset={props.offset}
        limit={LIMIT}
        total={props.total}
      />
    </>
  );
}

const crumbs = (t: Translate) => [{ href: '/workbench/services', label: t('services.workbench.title') }];

export function servicesWorkbenchPages(app: FastifyInstance, deps: WorkbenchDeps): void {
  const { items } = deps;
  const access = { access: 'services.manage' as const };

  /** The editor page; what it lists (departments, processes) is loaded first so forms render at once. */
  const editor = async (req: FastifyRequest, existing: Item | null) => {
    const [departments, processes] = await Promise.all([
      deps.departmentsFor(req),
      deps.processes(req.site.tenantId),
    ]);
    const t = req.t;
    return (state: FormState) =>
      workbenchPage(
        t,
        existing ? existing.name : t('services.item.new'),
        <>
          <h1>{existing ? existing.name : t('services.item.new')}</h1>
          {existing ? <SavedNotice /> : null}
          {existing ? <StatusForms item={existing} /> : null}
          <ItemEditor
            action={existing ? `/workbench/services/items/${existing.code}` : '/workbench/services/new'}
            state={state}
            isNew={!existing}
            departments={departments}
            processes={processes}
          />
        </>,
        crumbs(t),
      );
  };

  /** Saves the posted editor, or shows it again with one more row when "add a row" was pressed. */
  const submit = async (req: FastifyRequest, reply: FastifyReply, existing: Item | null) => {
    const render = await editor(req, existing);
    const values = formValues(req.body);
    if (values._add) {
      const list = values._add === 'fee' ? 'fees' : 'materials';
      values[`${list}/${rowCount(values, list)}/name`] = '';
      return reply.page(render({ values, problems: [] }));
    }
    return submitForm(
      req,
      reply,
      async () => {
        const { input, problems, fieldOf } = inputFromForm(values);
        if (existing) input.code = existing.code;
        const named = (fields: FieldProblem[]) => fields.map((f) => ({ ...f, field: fieldOf(f.field) }));
        const shape = named(shapeProblems(input));
        // Everything at once: the service's own rules too, when the shape lets them be checked.
        const rules = shape.length === 0 ? named(itemProblems(normalizeItem(input))) : [];
        const all = [...problems, ...shape, ...rules];
        if (all.length > 0) throw invalidFields(all);
        const saved = await items
          .save(auditContextOf(req), input, { expectNew: !existing })
          .catch((e: unknown) => {
            if (e instanceof DomainError && e.fields.length > 0)
              throw new DomainError(e.kind, e.code, e.params, named(e.fields));
            throw e;
          });
        return `/workbench/services/items/${saved.code}?saved=1`;
      },
      render,
    );
  };

  app.get('/workbench/services', { config: access }, async (req, reply) => {
    const q = req.query as { status?: string; offset?: string };
    const status = (['draft', 'published', 'suspended'] as const).find((s) => s === q.status);
    const offset = Math.max(0, Math.min(100_000, Number(q.offset) || 0));
    const r = await items.list(auditContextOf(req), { status }, { limit: LIMIT, offset });
    return reply.page(
      workbenchPage(
        req.t,
        req.t('services.workbench.title'),
        <>
          <h1>{req.t('services.workbench.title')}</h1>
          <ItemList items={r.items} total={r.total} offset={offset} status={status ?? ''} />
        </>,
      ),
    );
  });

  app.get('/workbench/services/new', { config: access }, async (req, reply) => {
    const values = {
      onlineDepth: '2',
      audience: 'person',
      kind: 'public_service',
      'materials/0/copies': '1',
    };
    return reply.page((await editor(req, null))({ values, problems: [] }));
  });
  app.post('/workbench/services/new', { config: access }, (req, reply) => submit(req, reply, null));

  const itemOf = (req: FastifyRequest) =>
    items.get(auditContextOf(req), (req.params as { code: string }).code);
  app.get('/workbench/services/items/:code', { config: access }, async (req, reply) => {
    const item = await itemOf(req);
    return reply.page((await editor(req, item))({ values: formFromItem(item), problems: [] }));
  });
  app.post('/workbench/services/items/:code', { config: access }, async (req, reply) =>
    submit(req, reply, await itemOf(req)),
  );

  // An incomplete guide cannot be published: the editor again, each missing element marked.
  app.post('/workbench/services/items/:code/status', { config: access }, async (req, reply) => {
    const item = await itemOf(req);
    const render = await editor(req, item);
    const status = (['draft', 'published', 'suspended'] as const).find(
      (s) => s === formValues(req.body).status,
    );
    return submitForm(
      req,
      reply,
      async () => {
        if (!status) throw invalidFields([{ field: 'status', code: 'services.item.status_unknown' }]);
        await items.setStatus(auditContextOf(req), item.code, status);
        return `/workbench/services/items/${item.code}?saved=1`;
      },
      (state) => render({ ...state, values: formFromItem(item) }),
    );
  });
}
