/**
 * Workbench pages of cases: my tasks (sorted by due time, with their lights), a case (its timeline,
 * tasks, data, and exactly the actions the viewer may take, each a small form), and opening an
 * internal case. Every form posts to one route that turns it into an engine command, so the pages and
 * the API share every rule.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { VNode } from 'preact';
import { toDomainError } from '../../kernel/http/problem.ts';
import { auditContextOf, formValues } from '../../kernel/http/index.ts';
import { ERROR_STATUS, type FieldProblem } from '../../kernel/errors.ts';
import {
  Field,
  Form,
  Pagination,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import { Attachments, submitAttachments, type AttachmentUploader } from './case.attachments.tsx';
import type { CaseExtras, CasePorts, CaseService, CaseView, DepartmentRef } from './case.service.ts';
import { commandOf, type ActionBody } from './case.routes.ts';
import { nameIn, stepName, type Definition } from './definition.ts';
import type { DefinitionService } from './definition.service.ts';
import { chinaTime, dueDay, lightAt, type Light } from './deadline.ts';
import {
  STOP_ITEMS,
  type AvailableAction,
  type CaseEvent,
  type CaseState,
  type StopItem,
  type TaskState,
} from './engine.ts';
import type { TaskQueries } from './task.queries.ts';

interface Deps {
  db: Database;
  upload: AttachmentUploader;
  cases: CaseService;
  definitions: DefinitionService;
  tasks: TaskQueries;
  ports: CasePorts & { listDepartments(tenantId: string): Promise<DepartmentRef[]> };
  extras: CaseExtras;
}

const PAGE = 50;

export function LightTag(props: { light: Light; stopped?: boolean }) {
  const { t } = usePage();
  if (props.stopped) return <span class="light light-stopped">{t('workflow.light.stopped')}</span>;
  return <span class={`light light-${props.light}`}>{t(`workflow.light.${props.light}`)}</span>;
}

function Due(props: { at: Date | null }) {
  const { t } = usePage();
  if (!props.at) return <span class="muted">{t('workflow.task.no_limit')}</span>;
  return <time dateTime={props.at.toISOString()}>{dueDay(props.at)}</time>;
}

/** A JSON Schema form's fields, named `${prefix}${property}`. */
function SchemaFields(props: {
  schema: Record<string, unknown> | undefined;
  prefix: string;
  state: FormState;
}) {
  const { t } = usePage();
  const properties = (props.schema?.properties ?? {}) as Record<
    string,
    {
      type?: string;
      title?: string;
      enum?: unknown[];
      format?: string;
      maxLength?: number;
      description?: string;
    }
  >;
  const required = new Set((props.schema?.required ?? []) as string[]);
  return (
    <>
      {Object.entries(properties).map(([name, p]) => {
        const common = {
          name: `${props.prefix}${name}`,
          label: p.title ?? name,
          state: props.state,
          required: required.has(name),
          hint: p.description,
        };
        if (p.enum)
          return (
            <Field
              {...common}
              options={[
                { value: '', label: t('common.choose') },
                ...p.enum.map((v) => ({ value: String(v), label: String(v) })),
              ]}
            />
          );
        if (p.type === 'boolean')
          return (
            <Field
              {...common}
              options={[
                { value: '', label: t('common.choose') },
                { value: 'true', label: t('workflow.form.yes') },
                { value: 'false', label: t('workflow.form.no') },
              ]}
            />
          );
        if (p.type === 'integer' || p.type === 'number')
          return <Field {...common} inputMode="numeric" maxLength={20} />;
        if (p.format === 'date') return <Field {...common} type="date" />;
        return <Field {...common} maxLength={p.maxLength} rows={(p.maxLength ?? 0) > 200 ? 3 : undefined} />;
      })}
    </>
  );
}

/** A schema form's submitted strings as JSON values of the schema's types; empty fields are left out. */
export function schemaInput(
  schema: Record<string, unknown> | undefined,
  values: Record<string, string>,
  prefix: string,
) {
  const properties = (schema?.properties ?? {}) as Record<string, { type?: string }>;
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(properties)) {
    const raw = values[`${prefix}${name}`]?.trim();
    if (raw === undefined || raw === '') continue;
    if ((p.type === 'integer' || p.type === 'number') && /^-?\d+(\.\d+)?$/.test(raw)) out[name] = Number(raw);
    else if (p.type === 'boolean' && (raw === 'true' || raw === 'false')) out[name] = raw === 'true';
    else out[name] = raw;
  }
  return out;
}

function TaskRows(props: {
  items: Awaited<ReturnType<TaskQueries['mine']>>['items'];
  definitions: Map<string, Definition>;
}) {
  const { t, locale } = usePage();
  return (
    <table>
      <caption class="visually-hidden">{t('workflow.tasks.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('workflow.case.number')}</th>
          <th scope="col">{t('workflow.case.title')}</th>
          <th scope="col">{t('workflow.task.step')}</th>
          <th scope="col">{t('workflow.task.due')}</th>
          <th scope="col">{t('workflow.task.light')}</th>
          <th scope="col">{t('workflow.task.holder')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((r) => {
          const def = props.definitions.get(r.definitionCode);
          const step = def?.steps[r.step];
          return (
            <tr>
              <td>
                <a href={`/workbench/cases/${r.caseNumber}`}>{r.caseNumber}</a>
              </td>
              <td>
                {r.caseTitle}
                {r.urged ? <span class="tag"> {t('workflow.case.urged')}</span> : null}
              </td>
              <td>{step ? nameIn(step.name, locale) : r.step}</td>
              <td>
                <Due at={r.dueAt} />
              </td>
              <td>
                <LightTag light={r.light} stopped={r.stopped} />
              </td>
              <td>{r.assigneeId === null ? t('workflow.task.waiting') : t('workflow.task.mine')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** One line of the timeline. */
export function EventLine(props: { e: CaseEvent; def: Definition; departments: Map<number, string> }) {
  const { t, locale } = usePage();
  const e = props.e;
  const step = (id: string) => {
    const s = props.def.steps[id];
    return s ? nameIn(s.name, locale) : id;
  };
  const dep = (id: number) => props.departments.get(id) ?? `#${id}`;
  const who = e.by.name || t('workflow.event.system');
  let text: string;
  switch (e.type) {
    case 'case.created':
      text = t('workflow.event.case_created');
      break;
    case 'task.opened':
      text = t('workflow.event.task_opened', {
        task: e.task,
        step: step(e.step),
        department: dep(e.departmentId),
      });
      break;
    case 'task.completed': {
      text = t('workflow.event.task_completed', { task: e.task, action: actionName(props.def, e, locale) });
      const detail = Object.entries(e.input)
        .map(([k, v]) => `${fieldTitle(props.def, e.action, k)}: ${String(v)}`)
        .join('；');
      if (detail) text += ` — ${detail}`;
      break;
    }
    case 'task.transferred':
      text = t('workflow.event.task_transferred', {
        task: e.task,
        department: dep(e.departmentId),
        reason: e.reason,
      });
      break;
    case 'task.returned':
      text = t('workflow.event.task_returned', { task: e.task, step: step(e.step), reason: e.reason });
      break;
    case 'task.assigned':
      text = t('workflow.event.task_assigned', { task: e.task, name: e.name });
      break;
    case 'task.claimed':
      text = t('workflow.event.task_claimed', { task: e.task });
      break;
    case 'task.released':
      text = t('workflow.event.task_released', { task: e.task });
      break;
    case 'task.cancelled':
      text = t('workflow.event.task_cancelled', { task: e.task });
      break;
    case 'task.warned':
      text = t(`workflow.event.task_warned_${e.light}`, { task: e.task });
      break;
    case 'task.escalated':
      text = t(`workflow.event.escalated_${e.escalation.replace('-', '_')}`, {
        task: e.task,
        detail: e.detail,
      });
      break;
    case 'clock.stopped':
      text = t('workflow.event.clock_stopped', {
        stop: stopName(props.def, e.stop, locale),
        reason: [e.reason, ...(e.items ?? []).map((i) => (i.note ? `${i.label}（${i.note}）` : i.label))]
          .filter(Boolean)
          .join('；'),
      });
      break;
    case 'clock.resumed':
      text = t('workflow.event.clock_resumed', { stop: stopName(props.def, e.stop, locale), note: e.note });
      break;
    case 'clock.lapsed':
      text = t('workflow.event.clock_lapsed', { stop: stopName(props.def, e.stop, locale) });
      break;
    case 'extension.requested':
      text = t('workflow.event.extension_requested', {
        task: e.task,
        amount: e.amount,
        unit: t(`workflow.unit.${e.unit}`),
        reason: e.reason,
      });
      break;
    case 'extension.decided':
      text = t(e.approved ? 'workflow.event.extension_granted' : 'workflow.event.extension_refused', {
        task: e.task,
        note: e.note,
      });
      break;
    case 'deadline.recomputed':
      text = t('workflow.event.deadline_recomputed');
      break;
    case 'case.urged':
      text = t('workflow.event.case_urged', { note: e.note });
      break;
    case 'urge.acknowledged':
      text = t('workflow.event.urge_acknowledged', { note: e.note });
      break;
    case 'card.issued':
      text = t(`workflow.event.card_${e.color}`, { department: dep(e.departmentId), reason: e.reason });
      break;
    case 'case.closed':
      text = t('workflow.event.case_closed', { outcome: t(`workflow.outcome.${e.outcome}`) });
      break;
    case 'comment.added':
      text = t('workflow.event.comment', { text: e.text });
      break;
    case 'attachment.added':
      text = t('workflow.event.attachment', { filename: e.filename });
      break;
    default:
      text = (e as { type: string }).type;
  }
  return (
    <li>
      <time dateTime={e.at}>{chinaTime(new Date(e.at))}</time> <strong>{who}</strong> {text}
    </li>
  );
}

function actionName(def: Definition, e: Extract<CaseEvent, { type: 'task.completed' }>, locale: string) {
  for (const s of Object.values(def.steps)) {
    const a = s.actions?.[e.action];
    if (a) return nameIn(a.name, locale);
    for (const b of Object.values(s.parallel?.branches ?? {}))
      if (b.actions[e.action]) return nameIn(b.actions[e.action]!.name, locale);
  }
  return e.action;
}
/** The title of a field of an action's form (its JSON Schema `title`), else the field's name. */
function fieldTitle(def: Definition, action: string, field: string): string {
  for (const s of Object.values(def.steps))
    for (const a of [
      s.actions?.[action],
      ...Object.values(s.parallel?.branches ?? {}).map((b) => b.actions[action]),
    ]) {
      const title = (a?.form?.properties as Record<string, { title?: unknown }> | undefined)?.[field]?.title;
      if (typeof title === 'string') return title;
    }
  return field;
}
const stopName = (def: Definition, stop: string, locale: string) => {
  const s = def.stops?.[stop];
  return s ? nameIn(s.name, locale) : stop;
};

/** What a clock stop asks for (补正告知), as a list: each item and what is wrong with it, then the reason. */
export function StopNotice(props: { reason: string; items: readonly StopItem[] }) {
  return (
    <>
      {props.items.length > 0 ? (
        <ol class="stop-items">
          {props.items.map((i) => (
            <li>
              <strong>{i.label}</strong>
              {i.note ? `：${i.note}` : ''}
            </li>
          ))}
        </ol>
      ) : null}
      {props.reason ? <p>{props.reason}</p> : null}
    </>
  );
}

/** The decision documents a case issued (受理通知书 …), each a PDF link, when the case's module offers them. */
export function CaseDocuments(props: {
  items: Awaited<ReturnType<NonNullable<CaseExtras['caseDocuments']>>>;
}) {
  const { t } = usePage();
  if (props.items.length === 0) return null;
  return (
    <section aria-labelledby="documents-title">
      <h2 id="documents-title">{t('workflow.documents.title')}</h2>
      <ul>
        {props.items.map((d) => (
          <li>
            <a href={d.href} download>
              {t('workflow.documents.download', { name: t(`workflow.document.${d.kind}`) })}
            </a>{' '}
            <span class="muted">{chinaTime(new Date(d.at))}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The documents a case's module offers for it (none when it offers nothing). */
export async function documentsOf(extras: CaseExtras | undefined, tenantId: string, view: CaseView) {
  return (await extras?.caseDocuments?.(tenantId, view)) ?? [];
}

/**
 * A stop form's list of what to ask for: one checkbox per choice the case's module offers (an
 * application's materials), each with a note on what is wrong. A note typed beside an unticked box
 * counts as ticked — the officer meant it. Field names follow the API's items[i] so problems land
 * beside their fields.
 */
function StopChoices(props: { prefix: string; choices: { label: string }[]; state: FormState }) {
  const { t } = usePage();
  const { prefix: p, state } = props;
  const problem = state.problems.find((x) => x.field === `${p}items`);
  const id = `field-${p}items`;
  return (
    <fieldset
      id={id}
      class={problem ? 'field field-error stop-choices' : 'field stop-choices'}
      aria-describedby={problem ? `${id}-hint ${id}-error` : `${id}-hint`}
    >
      <legend>{t('workflow.action.stop_items')}</legend>
      <p class="hint" id={`${id}-hint`}>
        {t('workflow.action.stop_items_hint')}
      </p>
      {problem ? (
        <p class="error-message" id={`${id}-error`}>
          {t(problem.code, problem.params)}
        </p>
      ) : null}
      {props.choices.map((c, i) => {
        const box = `${p}items.${i}.label`;
        const boxProblem = state.problems.find((x) => x.field === box);
        const ticked =
          state.values[box] !== undefined || Boolean(state.values[`${p}items.${i}.note`]?.trim());
        return (
          <div class="stop-choice">
            <input type="hidden" name={`${p}items.${i}.choice`} value={c.label} />
            {boxProblem ? (
              <p class="error-message" id={`field-${box}-error`}>
                {t(boxProblem.code, boxProblem.params)}
              </p>
            ) : null}
            <label class="checkbox" for={`field-${box}`}>
              <input
                type="checkbox"
                id={`field-${box}`}
                name={box}
                value="1"
                checked={ticked}
                aria-invalid={boxProblem ? 'true' : undefined}
                aria-describedby={boxProblem ? `field-${box}-error` : undefined}
              />
              {c.label}
            </label>
            <Field
              name={`${p}items.${i}.note`}
              label={t('workflow.action.stop_item_note', { label: c.label })}
              state={state}
              maxLength={STOP_ITEMS.note}
            />
          </div>
        );
      })}
    </fieldset>
  );
}

/** The forms of the actions the viewer may take; `failed` carries the state of the one that was just refused. */
export function ActionForms(props: {
  number: string;
  /** where the forms post */
  postTo: string;
  def: Definition;
  state: CaseState;
  available: AvailableAction[];
  people: Map<number, { accountId: number; name: string }[]>;
  departments: DepartmentRef[];
  failed?: { key: string; state: FormState } | undefined;
  /** what a stop may ask for, one checkbox each (from the case's module) */
  stopChoices?: { label: string }[] | undefined;
}) {
  const { t, locale } = usePage();
  const action = props.postTo;
  const forms: VNode[] = [];
  for (const a of props.available) {
    const key = `${a.action}-${a.task ?? 0}-${a.name ?? ''}`;
    const p = `${key}.`;
    const state = props.failed?.key === key ? props.failed.state : { values: {}, problems: [] };
    /** A free-text field of this form: a reason, a note, a comment. */
    const textField = (
      name: string,
      label: string,
      o: { required?: boolean; rows?: number; max?: number; hint?: string } = {},
    ) => (
      <Field
        name={`${p}${name}`}
        label={label}
        hint={o.hint}
        state={state}
        required={o.required}
        rows={o.rows ?? 2}
        maxLength={o.max ?? 2000}
      />
    );
    const task: TaskState | undefined = a.task === null ? undefined : props.state.tasks[a.task - 1];
    const taskStep = task ? props.def.steps[task.step] : undefined;
    const label = a.action === 'step' ? nameIn(a.def!.name, locale) : t(`workflow.action.${a.action}`);
    const title = task
      ? `${label}（${t('workflow.task.numbered', { task: task.no })} ${taskStep ? nameIn(taskStep.name, locale) : ''}）`
      : label;
    const hidden = (
      <>
        <input type="hidden" name="_form" value={key} />
        <input type="hidden" name="_action" value={a.action} />
        {a.task !== null ? <input type="hidden" name="_task" value={String(a.task)} /> : null}
        {a.name ? <input type="hidden" name="_name" value={a.name} /> : null}
      </>
    );
    let fields: VNode | null = null;
    switch (a.action) {
      case 'step':
        fields = <SchemaFields schema={a.def!.form} prefix={p} state={state} />;
        break;
      case 'claim':
      case 'release':
        fields = null;
        break;
      case 'assign':
        fields = (
          <Field
            name={`${p}accountId`}
            label={t('workflow.action.assign_to')}
            state={state}
            required
            options={[
              { value: '', label: t('common.choose') },
              ...(props.people.get(a.task!) ?? []).map((x) => ({
                value: String(x.accountId),
                label: x.name,
              })),
            ]}
          />
        );
        break;
      case 'transfer':
        fields = (
          <>
            <Field
              name={`${p}departmentId`}
              label={t('workflow.action.transfer_to')}
              state={state}
              required
              options={[
                { value: '', label: t('common.choose') },
                ...props.departments
                  .filter((d) => d.id !== task?.departmentId)
                  .map((d) => ({ value: String(d.id), label: d.name })),
              ]}
            />
            {textField('reason', t('workflow.action.reason'), { required: true })}
          </>
        );
        break;
      case 'return':
        fields = (
          <>
            <Field
              name={`${p}step`}
              label={t('workflow.action.return_to')}
              state={state}
              required
              options={(taskStep?.returnTo ?? []).map((s) => ({
                value: s,
                label: nameIn(props.def.steps[s]!.name, locale),
              }))}
            />
            {textField('reason', t('workflow.action.reason'), { required: true })}
          </>
        );
        break;
      case 'stop': {
        // Materials to tick only where a stop waits for the applicant (补正), not for 公示 or 现场核查.
        const asksApplicant = (taskStep?.stops ?? []).some(
          (id) => props.def.stops?.[id]?.endedBy === 'applicant',
        );
        const choices = asksApplicant ? (props.stopChoices ?? []) : [];
        fields = (
          <>
            <Field
              name={`${p}stop`}
              label={t('workflow.action.stop_kind')}
              state={state}
              required
              options={(taskStep?.stops ?? []).map((s) => ({
                value: s,
                label: stopName(props.def, s, locale),
              }))}
            />
            {choices.length > 0 ? <StopChoices prefix={p} choices={choices} state={state} /> : null}
            {choices.length > 0
              ? textField('reason', t('workflow.action.stop_other'), {
                  rows: 3,
                  hint: t('workflow.action.stop_other_hint'),
                })
              : textField('reason', t('workflow.action.stop_reason'), {
                  required: true,
                  rows: 3,
                  hint: t('workflow.action.stop_reason_hint'),
                })}
          </>
        );
        break;
      }
      case 'resume':
      case 'acknowledge':
        fields = textField('note', t('workflow.action.note'));
        break;
      case 'request_extension':
        fields = (
          <>
            <Field
              name={`${p}amount`}
              label={t('workflow.action.extension_amount', {
                unit: t(`workflow.unit.${props.def.extension!.max.unit}`),
              })}
              hint={t('workflow.action.extension_max', { max: props.def.extension!.max.amount })}
              state={state}
              required
              inputMode="numeric"
              maxLength={4}
            />
            {textField('reason', t('workflow.action.reason'), { required: true })}
          </>
        );
        break;
      case 'decide_extension':
        fields = (
          <>
            <Field
              name={`${p}approved`}
              label={t('workflow.action.decision')}
              state={state}
              required
              options={[
                { value: 'true', label: t('workflow.action.approve') },
                { value: 'false', label: t('workflow.action.refuse') },
              ]}
            />
            {textField('note', t('workflow.action.note'))}
          </>
        );
        break;
      case 'comment':
        fields = textField('text', t('workflow.action.comment_text'), { required: true, rows: 3, max: 5000 });
        break;
      case 'urge':
        fields = textField('note', t('workflow.action.urge_note'), { required: true });
        break;
      case 'card': {
        const involved = [...new Set(props.state.tasks.map((x) => x.departmentId))];
        fields = (
          <>
            <Field
              name={`${p}color`}
              label={t('workflow.action.card_color')}
              state={state}
              required
              options={[
                { value: 'yellow', label: t('workflow.card.yellow') },
                { value: 'red', label: t('workflow.card.red') },
              ]}
            />
            <Field
              name={`${p}departmentId`}
              label={t('workflow.action.card_department')}
              state={state}
              required
              options={involved.map((id) => ({
                value: String(id),
                label: props.departments.find((d) => d.id === id)?.name ?? `#${id}`,
              }))}
            />
            {textField('reason', t('workflow.action.reason'), { required: true })}
          </>
        );
        break;
      }
      case 'attach':
        continue; // the upload form comes with the attachments section
    }
    forms.push(
      <section class="action-form" aria-label={title}>
        <h3>{title}</h3>
        <Form action={action} state={state} submitLabel={label}>
          {hidden}
          {fields}
        </Form>
      </section>,
    );
  }
  return forms.length > 0 ? (
    <>
      <h2>{t('workflow.case.actions')}</h2>
      {forms}
    </>
  ) : null;
}

/**
 * The form a page posted, as the API's action body; `field` names a problem of the body by the page's
 * field (a stop's items are numbered among those ticked in the body, among all choices on the page).
 */
export function bodyOf(
  values: Record<string, string>,
  def: Definition,
): { key: string; body: ActionBody; field: (name: string) => string } {
  const key = values._form ?? '';
  const p = `${key}.`;
  const v = (k: string) => values[`${p}${k}`];
  const int = (k: string) => {
    const x = v(k)?.trim();
    return x && /^\d{1,9}$/.test(x) ? Number(x) : undefined;
  };
  const task = values._task ? Number(values._task) : undefined;
  const action = (values._action ?? '') as ActionBody['action'];
  let input: Record<string, unknown> | undefined;
  if (action === 'step' && task) {
    for (const s of Object.values(def.steps)) {
      const a =
        s.actions?.[values._name ?? ''] ??
        Object.values(s.parallel?.branches ?? {}).find((b) => b.actions[values._name ?? ''])?.actions[
          values._name ?? ''
        ];
      if (a) {
        input = schemaInput(a.form, values, p);
        break;
      }
    }
  }
  const approved = v('approved');
  // A stop's choices: ticked, or with a note typed beside them, in the page's order.
  const items: { label: string; note: string }[] = [];
  const pageIndex: number[] = [];
  if (action === 'stop') {
    const indices = new Set<number>();
    for (const k of Object.keys(values)) {
      const m = /^items\.(\d{1,3})\.choice$/.exec(k.slice(p.length));
      if (k.startsWith(p) && m) indices.add(Number(m[1]));
    }
    for (const i of [...indices].sort((a, b) => a - b)) {
      const note = v(`items.${i}.note`) ?? '';
      if (v(`items.${i}.label`) === undefined && !note.trim()) continue;
      items.push({ label: v(`items.${i}.choice`) ?? '', note });
      pageIndex.push(i);
    }
  }
  const field = (name: string) =>
    name.replace(/^items\.(\d+)\./, (_, j: string) => `items.${pageIndex[Number(j)] ?? j}.`);
  return {
    key,
    field,
    body: {
      action,
      task: task ?? null,
      name: values._name,
      input,
      reason: v('reason'),
      note: v('note'),
      text: v('text'),
      step: v('step'),
      stop: v('stop'),
      items: action === 'stop' ? items : undefined,
      departmentId: int('departmentId'),
      accountId: int('accountId'),
      amount: int('amount') ?? (v('amount') ? -1 : undefined),
      approved: approved === undefined ? undefined : approved === 'true',
      color: v('color') === 'red' ? 'red' : v('color') === 'yellow' ? 'yellow' : undefined,
    },
  };
}

/**
 * A posted action form of a case page (staff or applicant): take the action and go back to the page;
 * when it is refused, the page again with the problem beside that form and what was typed kept.
 */
export async function submitCaseAction(
  req: FastifyRequest,
  reply: FastifyReply,
  cases: CaseService,
  prefix: string,
  render: (number: string, failed: { key: string; state: FormState }) => Promise<PageContent>,
): Promise<FastifyReply> {
  const number = (req.params as { number: string }).number;
  const values = formValues(req.body);
  const ctx = auditContextOf(req);
  const current = await cases.get(ctx, number);
  const { key, body, field } = bodyOf(values, current.definition.body);
  try {
    await cases.act(ctx, number, commandOf(body));
    return reply.redirect(`${prefix}/${number}?saved=1`, 303);
  } catch (e) {
    const domain = toDomainError(e);
    if (!domain || (domain.kind !== 'invalid' && domain.kind !== 'conflict' && domain.kind !== 'forbidden'))
      throw e;
    const problems: FieldProblem[] = domain.fields.map((f) => ({ ...f, field: `${key}.${field(f.field)}` }));
    const state: FormState = {
      values,
      problems,
      formProblem: problems.length === 0 ? req.t(domain.code, domain.params) : undefined,
    };
    return reply.page(await render(number, { key, state }), ERROR_STATUS[domain.kind]);
  }
}

export function caseWorkbenchPages(app: FastifyInstance, deps: Deps): void {
  const { db, cases, definitions, tasks, ports, upload, extras } = deps;

  app.get(
    '/workbench/tasks',
    { schema: { hide: true }, config: { access: 'case.handle' } },
    async (req, reply) => {
      const t = req.t;
      const q = req.query as { scope?: string; light?: string; offset?: string };
      const scope = q.scope === 'mine' || q.scope === 'waiting' ? q.scope : 'all';
      const light = q.light === 'green' || q.light === 'yellow' || q.light === 'red' ? q.light : undefined;
      const offset = Math.max(0, Math.min(1_000_000, Number(q.offset) || 0));
      const page = await tasks.mine(req.actor!, req.site.tenantId, { scope, light, limit: PAGE, offset });
      const defs = new Map((await definitions.list(req.site.tenantId)).map((d) => [d.code, d.body]));
      const base = `/workbench/tasks?scope=${scope}${light ? `&light=${light}` : ''}`;
      return reply.page(
        workbenchPage(
          t,
          t('workflow.tasks.title'),
          <>
            <h1>{t('workflow.tasks.title')}</h1>
            <form method="get" action="/workbench/tasks" class="search-form">
              <Field
                name="scope"
                label={t('workflow.tasks.scope')}
                value={scope}
                options={['all', 'mine', 'waiting'].map((s) => ({
                  value: s,
                  label: t(`workflow.tasks.scope_${s}`),
                }))}
              />
              <Field
                name="light"
                label={t('workflow.task.light')}
                value={light ?? ''}
                options={[
                  { value: '', label: t('workflow.tasks.any_light') },
                  ...['green', 'yellow', 'red'].map((l) => ({ value: l, label: t(`workflow.light.${l}`) })),
                ]}
              />
              <button type="submit">{t('workflow.tasks.filter')}</button>
            </form>
            {page.items.length === 0 ? (
              <p role="status">{t('workflow.tasks.none')}</p>
            ) : (
              <TaskRows items={page.items} definitions={defs} />
            )}
            <Pagination base={base} offset={offset} limit={PAGE} total={page.total} />
            <p>
              <a class="button" href="/workbench/cases/new">
                {t('workflow.case.new')}
              </a>
            </p>
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
  ): Promise<PageContent> {
    const t = req.t;
    const locale = req.locale;
    const view = await cases.get(auditContextOf(req), number);
    const def = view.definition.body;
    const s = view.state;
    const tenantId = req.site.tenantId;
    const all = await ports.listDepartments(tenantId);
    const departments = new Map(all.map((d) => [d.id, d.name]));
    const people = new Map<number, { accountId: number; name: string }[]>();
    const stopChoices = view.available.some((a) => a.action === 'stop')
      ? ((await extras.stopChoices?.(tenantId, view)) ?? [])
      : [];
    const documents = await documentsOf(extras, tenantId, view);
    for (const a of view.available)
      if (a.action === 'assign' && a.task !== null) {
        const task = s.tasks[a.task - 1]!;
        people.set(
          a.task,
          await ports.staffWithRole(
            tenantId,
            { role: task.role, departmentIds: [task.departmentId] },
            db.kysely,
          ),
        );
      }
    return workbenchPage(
      t,
      `${t('workflow.case.heading')} ${number}`,
      <>
        <h1>
          {s.title} <small class="muted">{number}</small>
        </h1>
        <SavedNotice />
        {s.urge ? (
          <div class="notice urge" role="status">
            <strong>{t('workflow.case.urged')}</strong> {s.urge.note} — {s.urge.by}, {chinaTime(s.urge.at)}
          </div>
        ) : null}
        <dl class="facts">
          <dt>{t('workflow.case.definition')}</dt>
          <dd>
            {nameIn(def.name, locale)} <span class="muted">v{view.definition.version}</span>
          </dd>
          <dt>{t('workflow.case.status')}</dt>
          <dd>
            {t(`workflow.status.${s.status}`)}
            {s.outcome ? ` · ${t(`workflow.outcome.${s.outcome}`)}` : ''}
            {s.stop ? ` · ${stopName(def, s.stop.stop, locale)}` : ''}
          </dd>
          {s.stop ? (
            <>
              <dt>{t('workflow.case.stop_notice')}</dt>
              <dd class="notice">
                <StopNotice reason={s.stop.reason} items={s.stop.items} />
              </dd>
            </>
          ) : null}
          <dt>{t('workflow.case.applicant')}</dt>
          <dd>
            {s.applicant.name || '—'} <span class="muted">{t(`workflow.applicant.${s.applicant.kind}`)}</span>
          </dd>
          <dt>{t('workflow.case.department')}</dt>
          <dd>{departments.get(s.departmentId) ?? s.departmentId}</dd>
          <dt>{t('workflow.case.created')}</dt>
          <dd>{chinaTime(s.createdAt)}</dd>
          <dt>{t('workflow.case.due')}</dt>
          <dd>
            <Due at={s.dueAt} />
            {s.late ? ` · ${t('workflow.case.late')}` : ''}
          </dd>
        </dl>
        {s.cards.length > 0 ? (
          <>
            <h2>{t('workflow.case.cards')}</h2>
            <ul>
              {s.cards.map((c) => (
                <li>
                  <span class={`light light-${c.color}`}>{t(`workflow.card.${c.color}`)}</span>{' '}
                  {departments.get(c.departmentId)} — {c.reason} ({chinaTime(c.at)})
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2>{t('workflow.case.tasks')}</h2>
        <table>
          <caption class="visually-hidden">{t('workflow.case.tasks')}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('workflow.task.step')}</th>
              <th scope="col">{t('workflow.task.department')}</th>
              <th scope="col">{t('workflow.task.holder')}</th>
              <th scope="col">{t('workflow.task.due')}</th>
              <th scope="col">{t('workflow.task.state')}</th>
            </tr>
          </thead>
          <tbody>
            {s.tasks.map((task) => (
              <tr>
                <td>{task.no}</td>
                <td>{stepName(def, task.step, task.branch, locale)}</td>
                <td>
                  {departments.get(task.departmentId) ?? task.departmentId}{' '}
                  <span class="muted">{t(`policy.role.${task.role}`)}</span>
                </td>
                <td>{task.assigneeName || '—'}</td>
                <td>
                  <Due at={task.dueAt} />
                </td>
                <td>
                  {task.status === 'open' ? (
                    <LightTag light={lightNow(task)} stopped={s.status === 'stopped'} />
                  ) : (
                    t(`workflow.task.status_${task.status}`)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {Object.keys(s.data).length > 0 ? (
          <>
            <h2>{t('workflow.case.data')}</h2>
            <dl class="facts">
              {Object.entries(s.data).map(([k, v]) => {
                const title = (def.form?.properties as Record<string, { title?: string }> | undefined)?.[k]
                  ?.title;
                return (
                  <>
                    <dt>{title ?? k}</dt>
                    <dd>{String(v)}</dd>
                  </>
                );
              })}
            </dl>
          </>
        ) : null}
        <ActionForms
          number={number}
          postTo={`/workbench/cases/${number}/actions`}
          def={def}
          state={s}
          available={view.available}
          people={people}
          departments={all.filter((d) => d.active)}
          failed={failed}
          stopChoices={stopChoices}
        />
        <CaseDocuments items={documents} />
        <Attachments
          number={number}
          events={view.events}
          canAttach={view.available.some((a) => a.action === 'attach')}
          postTo={`/workbench/cases/${number}/attachments`}
          problem={attachProblem}
        />
        <h2>{t('workflow.case.timeline')}</h2>
        <ol class="timeline">
          {view.events.map((e) => (
            <EventLine e={e} def={def} departments={departments} />
          ))}
        </ol>
      </>,
      // Back to where the viewer came from: their tasks, or a supervisor's dashboard (no tasks of theirs).
      req.actor?.permissions.has('case.handle')
        ? [{ href: '/workbench/tasks', label: t('workflow.tasks.title') }]
        : req.actor?.permissions.has('case.supervise')
          ? [{ href: '/workbench/supervision', label: t('workflow.supervision.title') }]
          : [],
    );
  }

  app.get(
    '/workbench/cases/:number',
    { schema: { hide: true }, config: { access: 'workbench.enter' } },
    async (req, reply) => reply.page(await casePage(req, (req.params as { number: string }).number)),
  );

  app.post(
    '/workbench/cases/:number/attachments',
    { schema: { hide: true }, config: { access: 'case.handle' } },
    async (req, reply) =>
      submitAttachments(req, reply, upload, '/workbench/cases', (number, problem) =>
        casePage(req, number, undefined, problem),
      ),
  );

  app.post(
    '/workbench/cases/:number/actions',
    { schema: { hide: true }, config: { access: ['case.handle', 'case.lead', 'case.supervise'] } },
    async (req, reply) => submitAction(req, reply),
  );

  const submitAction = (req: FastifyRequest, reply: FastifyReply) =>
    submitCaseAction(req, reply, cases, '/workbench/cases', (number, failed) =>
      casePage(req, number, failed),
    );

  const newCasePage = async (req: FastifyRequest, state: FormState) => {
    const t = req.t;
    const defs = (await definitions.list(req.site.tenantId)).filter((d) =>
      d.body.applicants.includes('internal'),
    );
    const chosen = defs.find((d) => d.code === state.values.definition);
    return workbenchPage(
      t,
      t('workflow.case.new'),
      <>
        <h1>{t('workflow.case.new')}</h1>
        {chosen ? (
          <Form action="/workbench/cases" state={state} submitLabel={t('workflow.case.open')}>
            <input type="hidden" name="definition" value={chosen.code} />
            <p>
              {t('workflow.case.definition')}: <strong>{nameIn(chosen.body.name, req.locale)}</strong>
            </p>
            <Field name="title" label={t('workflow.case.title')} state={state} required maxLength={200} />
            <SchemaFields schema={chosen.body.form} prefix="data." state={state} />
          </Form>
        ) : (
          <form method="get" action="/workbench/cases/new" class="search-form">
            <Field
              name="definition"
              label={t('workflow.case.definition')}
              state={state}
              required
              options={[
                { value: '', label: t('common.choose') },
                ...defs.map((d) => ({ value: d.code, label: nameIn(d.body.name, req.locale) })),
              ]}
            />
            <button type="submit">{t('workflow.case.next')}</button>
          </form>
        )}
      </>,
      [{ href: '/workbench/tasks', label: t('workflow.tasks.title') }],
    );
  };

  app.get(
    '/workbench/cases/new',
    { schema: { hide: true }, config: { access: 'case.handle' } },
    async (req, reply) => {
      const definition = String((req.query as { definition?: string }).definition ?? '').slice(0, 64);
      return reply.page(await newCasePage(req, { values: { definition }, problems: [] }));
    },
  );

  app.post(
    '/workbench/cases',
    { schema: { hide: true }, config: { access: 'case.handle' } },
    async (req, reply) => {
      const values = formValues(req.body);
      try {
        const def = await definitions.latest(req.site.tenantId, values.definition ?? '');
        const v = await cases.create(auditContextOf(req), {
          definition: def.code,
          title: values.title ?? '',
          data: schemaInput(def.body.form, values, 'data.'),
        });
        return reply.redirect(`/workbench/cases/${v.number}?saved=1`, 303);
      } catch (e) {
        const domain = toDomainError(e);
        if (
          !domain ||
          (domain.kind !== 'invalid' && domain.kind !== 'conflict' && domain.kind !== 'not_found')
        )
          throw e;
        const problems = domain.fields.map((f) =>
          f.field === 'title' || f.field === 'definition' ? f : { ...f, field: `data.${f.field}` },
        );
        return reply.page(
          await newCasePage(req, {
            values,
            problems,
            formProblem: problems.length ? undefined : req.t(domain.code, domain.params),
          }),
          domain.kind === 'not_found' ? 400 : ERROR_STATUS[domain.kind],
        );
      }
    },
  );
}

/** The light of an open task now; a warning already raised stays until its deadline moves. */
function lightNow(task: TaskState): Light {
  const light = lightAt(new Date(), task.yellowAt, task.dueAt);
  return light === 'green' ? task.warned : light;
}
