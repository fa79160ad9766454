/**
 * Process definitions (流程定义): what a kind of case goes through, as data. A definition names its
 * steps, who acts in each (a role in a department chosen by type, by id, or the case's own), the actions
 * allowed there with a JSON Schema for each action's input, parallel branches across departments
 * (并联审批), time limits per step and for the whole case, the clock stops it allows (补正, 特别程序),
 * how far a deadline may be extended (延期), and which actions and stops issue the applicant a decision
 * document (受理通知书, 不予受理决定书, 补正告知书).
 *
 * The shape is checked by a JSON Schema (DefinitionSchema, served at /api/v1/workflow/definition-schema);
 * the meaning by checkDefinition: every target exists, every step is reachable and has a way out,
 * `join` and `reject` only inside a parallel branch, roles and department types known, form schemas
 * compile. A definition is immutable once stored; an edit stores the next version, and a case keeps
 * the version it started with.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Type, type Static } from 'typebox';
import { DEPARTMENT_TYPES } from '../org/index.ts';
import { SYSTEM_ROLES } from '../../kernel/policy/index.ts';

const Id = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' });
const Names = Type.Object(
  {
    'zh-CN': Type.String({ minLength: 1, maxLength: 100 }),
    en: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const LIMIT_UNITS = ['working-days', 'calendar-days', 'hours'] as const;
export const Limit = Type.Object(
  {
    amount: Type.Integer({ minimum: 0, maximum: 3650 }),
    unit: Type.Union([Type.Literal('working-days'), Type.Literal('calendar-days'), Type.Literal('hours')]),
  },
  { additionalProperties: false },
);
export type Limit = Static<typeof Limit>;

/** Who acts: a role in a department — the case's own, one of a standard type near the case, or one by id. */
const Assignee = Type.Object(
  {
    department: Type.Union([
      Type.Literal('case'),
      Type.Object({ type: Type.String() }, { additionalProperties: false }),
      Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    ]),
    role: Type.String(),
  },
  { additionalProperties: false },
);
export type Assignee = Static<typeof Assignee>;

/** A condition on the case's data: the action is offered only when it holds. */
const Guard = Type.Object(
  {
    field: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$' }),
    op: Type.Union([
      Type.Literal('eq'),
      Type.Literal('ne'),
      Type.Literal('lt'),
      Type.Literal('lte'),
      Type.Literal('gt'),
      Type.Literal('gte'),
      Type.Literal('in'),
    ]),
    value: Type.Unknown(),
  },
  { additionalProperties: false },
);
export type Guard = Static<typeof Guard>;

/**
 * The decision document an action or a clock stop issues to the applicant, rendered from the case's log
 * when it is downloaded: 受理通知书 (acceptance), 不予受理决定书 (refusal, with the action's reason and
 * basis), 补正告知书 (supplement, listing everything the stop asks for).
 */
export const DOCUMENT_KINDS = ['acceptance', 'refusal', 'supplement'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
const Document = Type.Union([
  Type.Literal('acceptance'),
  Type.Literal('refusal'),
  Type.Literal('supplement'),
]);

const FormSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: 'a JSON Schema (draft 2020-12) of type object for the input',
});

const Action = Type.Object(
  {
    name: Names,
    /** a step id, 'end' (closes the case), or inside a branch 'join' (branch done) / 'reject' (ends the split early) */
    to: Type.String(),
    /** the case's outcome when `to` is 'end' (办结结果): approved, rejected, … */
    outcome: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' })),
    form: Type.Optional(FormSchema),
    /** roles that may take it (default: the step's role) */
    roles: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
    when: Type.Optional(Guard),
    /** who takes it: the staff at the step (default) or the applicant (e.g. resubmitting materials) */
    by: Type.Optional(Type.Union([Type.Literal('staff'), Type.Literal('applicant')])),
    /** the decision document taking it issues: 'acceptance' (受理通知书) or 'refusal' (不予受理决定书) */
    document: Type.Optional(Document),
  },
  { additionalProperties: false },
);
export type Action = Static<typeof Action>;

const Escalation = Type.Object(
  {
    on: Type.Union([Type.Literal('yellow'), Type.Literal('red')]),
    /** notify the department head, move the task to another department, or raise it to the upper level's supervisors */
    do: Type.Union([Type.Literal('notify-head'), Type.Literal('transfer'), Type.Literal('raise')]),
    to: Type.Optional(Assignee),
  },
  { additionalProperties: false },
);
export type Escalation = Static<typeof Escalation>;

const TaskFields = {
  name: Names,
  assignee: Assignee,
  limit: Type.Optional(Limit),
  actions: Type.Record(Id, Action),
  escalations: Type.Optional(Type.Array(Escalation)),
};

const Branch = Type.Object(TaskFields, { additionalProperties: false });
export type Branch = Static<typeof Branch>;

const Step = Type.Object(
  {
    ...TaskFields,
    assignee: Type.Optional(Assignee),
    actions: Type.Optional(Type.Record(Id, Action)),
    /** clock stops (keys of the definition's `stops`) that may be started in this step */
    stops: Type.Optional(Type.Array(Id)),
    /** 转办: the task may be moved to another department */
    transferable: Type.Optional(Type.Boolean()),
    /** 退回: earlier steps the task may be sent back to */
    returnTo: Type.Optional(Type.Array(Id)),
    /** 并联审批: branches that run at once; the split joins when all are done and ends early on a reject */
    parallel: Type.Optional(
      Type.Object(
        {
          branches: Type.Record(Id, Branch),
          next: Type.String(),
          onReject: Type.String(),
          rejectOutcome: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Step = Static<typeof Step>;

/** A clock stop (停止计时): 补正 waits for the applicant; 特别程序 (expert review, hearing, public notice …). */
const Stop = Type.Object(
  {
    name: Names,
    /** on resumption the period continues where it stopped, or starts afresh (e.g. 补正 under 行政许可法 §32) */
    resume: Type.Union([Type.Literal('continue'), Type.Literal('restart')]),
    /** who ends it: the applicant (by supplying what was asked) or the staff */
    endedBy: Type.Union([Type.Literal('applicant'), Type.Literal('staff')]),
    /** the longest it may last; a special procedure's own limit (e.g. public notice 20 days) */
    limit: Type.Optional(Limit),
    /**
     * how long after the case's opening it may still be started, the opening day not counted (补正 of a
     * disclosure request only within 7 working days of receipt, 政府信息公开条例 §30)
     */
    within: Type.Optional(Limit),
    /** the document starting it issues: 'supplement' (补正告知书) */
    document: Type.Optional(Document),
    /**
     * when its own limit runs out before it has ended, the case closes with this outcome: a 补正 the
     * applicant never answers is taken as withdrawn (视为撤回申请; a disclosure request, §30: 视为放弃)
     */
    lapse: Type.Optional(
      Type.Object(
        { outcome: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Stop = Static<typeof Stop>;

export const DefinitionSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_.-]{1,63}$' }),
    name: Names,
    applicants: Type.Array(
      Type.Union([Type.Literal('person'), Type.Literal('enterprise'), Type.Literal('internal')]),
      { minItems: 1, uniqueItems: true },
    ),
    /** the whole case's time limit (办理时限) */
    limit: Type.Optional(Limit),
    /**
     * false: the module that opened the case tells the applicant it is closed, in words of its own (a
     * consultation's answer), instead of the engine's generic 办结 message — one message, not two
     */
    closingNotice: Type.Optional(Type.Boolean()),
    /** share of a period used at which a task turns yellow (default 0.8) */
    warnAt: Type.Optional(Type.Number({ minimum: 0.5, maximum: 0.99 })),
    /** the case's data, entered when it is created */
    form: Type.Optional(FormSchema),
    start: Id,
    steps: Type.Record(Id, Step),
    stops: Type.Optional(Type.Record(Id, Stop)),
    /** 延期: one extension per task at most, approved by the role named, up to `max` */
    extension: Type.Optional(
      Type.Object({ max: Limit, approver: Type.String() }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false, $id: 'https://yiwang.gov.cn/schema/process-definition.json' },
);
export type Definition = Static<typeof DefinitionSchema>;

export interface DefinitionProblem {
  /** JSON pointer into the definition */
  path: string;
  code: string;
  params?: Record<string, string | number>;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateShape = ajv.compile(DefinitionSchema);

/** Compiles a form schema once; forms of stored definitions are compiled on first use. */
const formCache = new WeakMap<object, ValidateFunction>();
export function formValidator(schema: Record<string, unknown>): ValidateFunction {
  let v = formCache.get(schema);
  if (!v) {
    v = ajv.compile({ type: 'object', ...schema });
    formCache.set(schema, v);
  }
  return v;
}

/** Field errors from a failed form validation, one per field: the field name and the keyword. */
export function formProblems(errors: ErrorObject[] | null | undefined) {
  const seen = new Set<string>();
  const out: { field: string; code: string; params: Record<string, string | number> }[] = [];
  for (const e of errors ?? []) {
    // `dependencies` (this field needs that one) names the missing field as `required` does.
    const missing = e.keyword === 'required' || e.keyword === 'dependencies';
    const field = missing
      ? (e.params as { missingProperty: string }).missingProperty
      : e.keyword === 'additionalProperties'
        ? (e.params as { additionalProperty: string }).additionalProperty
        : e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (seen.has(field)) continue;
    seen.add(field);
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(e.params as Record<string, unknown>))
      if (typeof v === 'string' || typeof v === 'number') params[k] = v;
    out.push({ field: field || '_', code: `workflow.form.${missing ? 'required' : e.keyword}`, params });
  }
  return out;
}

const TERMINALS = new Set(['end']);
const staffRoles = new Set(
  Object.entries(SYSTEM_ROLES)
    .filter(([, r]) => r.kind === 'staff')
    .map(([code]) => code),
);

/** Every problem with a definition, shape first; an empty list means it can be stored. */
export function checkDefinition(input: unknown): DefinitionProblem[] {
  if (!validateShape(input)) {
    return (validateShape.errors ?? []).map((e) => ({
      path: e.instancePath || '/',
      code: 'workflow.definition.shape',
      params: { message: `${e.keyword}: ${e.message ?? ''}`.trim() },
    }));
  }
  const d = input as Definition;
  const problems: DefinitionProblem[] = [];
  const add = (path: string, code: string, params?: Record<string, string | number>) =>
    problems.push(params ? { path, code, params } : { path, code });
  const steps = d.steps;
  const stops = d.stops ?? {};
  if (!Object.hasOwn(steps, d.start)) add('/start', 'workflow.definition.step_unknown', { step: d.start });

  const checkAssignee = (path: string, a: Assignee | undefined) => {
    if (!a) return;
    if (!staffRoles.has(a.role)) add(`${path}/role`, 'workflow.definition.role_unknown', { role: a.role });
    if (typeof a.department === 'object' && 'type' in a.department)
      if (!(DEPARTMENT_TYPES as readonly string[]).includes(a.department.type))
        add(`${path}/department/type`, 'workflow.definition.department_type_unknown', {
          type: a.department.type,
        });
  };
  const checkForm = (path: string, form: Record<string, unknown> | undefined) => {
    if (!form) return;
    try {
      ajv.compile({ type: 'object', ...form });
    } catch (e) {
      add(path, 'workflow.definition.form_invalid', { message: (e as Error).message.slice(0, 200) });
    }
  };
  const checkTarget = (path: string, to: string, inBranch: boolean) => {
    if (TERMINALS.has(to) || Object.hasOwn(steps, to)) return;
    if (to === 'join' || to === 'reject') {
      if (!inBranch) add(path, 'workflow.definition.join_without_split', { to });
      return;
    }
    add(path, 'workflow.definition.step_unknown', { step: to });
  };
  const checkActions = (path: string, actions: Record<string, Action>, inBranch: boolean) => {
    for (const [id, a] of Object.entries(actions)) {
      const p = `${path}/actions/${id}`;
      checkTarget(`${p}/to`, a.to, inBranch);
      for (const r of a.roles ?? [])
        if (!staffRoles.has(r)) add(`${p}/roles`, 'workflow.definition.role_unknown', { role: r });
      checkForm(`${p}/form`, a.form);
      if (a.to !== 'end' && a.outcome) add(`${p}/outcome`, 'workflow.definition.outcome_not_end');
      // An action decides (受理, 不予受理); asking for materials is a clock stop's, as the clock must stop.
      if (a.document === 'supplement')
        add(`${p}/document`, 'workflow.definition.document_misplaced', { document: a.document });
    }
    if (Object.keys(actions).length === 0) add(path, 'workflow.definition.no_way_out');
  };

  checkForm('/form', d.form);
  for (const [id, stop] of Object.entries(stops)) {
    if (stop.document !== undefined && stop.document !== 'supplement')
      add(`/stops/${id}/document`, 'workflow.definition.document_misplaced', { document: stop.document });
    // A stop lapses when its own limit runs out: without one it would wait for ever.
    if (stop.lapse && !stop.limit) add(`/stops/${id}/lapse`, 'workflow.definition.lapse_without_limit');
  }
  if (d.extension && !staffRoles.has(d.extension.approver))
    add('/extension/approver', 'workflow.definition.role_unknown', { role: d.extension.approver });

  for (const [id, s] of Object.entries(steps)) {
    const path = `/steps/${id}`;
    if (s.parallel) {
      if (s.assignee || s.actions) add(path, 'workflow.definition.parallel_exclusive');
      const branches = Object.entries(s.parallel.branches);
      if (branches.length < 2) add(`${path}/parallel/branches`, 'workflow.definition.parallel_too_few');
      for (const [b, br] of branches) {
        checkAssignee(`${path}/parallel/branches/${b}/assignee`, br.assignee);
        checkActions(`${path}/parallel/branches/${b}`, br.actions, true);
        if (!Object.values(br.actions).some((a) => a.to === 'join'))
          add(`${path}/parallel/branches/${b}`, 'workflow.definition.branch_never_joins');
      }
      checkTarget(`${path}/parallel/next`, s.parallel.next, false);
      checkTarget(`${path}/parallel/onReject`, s.parallel.onReject, false);
    } else {
      if (!s.assignee) add(`${path}/assignee`, 'workflow.definition.assignee_required');
      checkAssignee(`${path}/assignee`, s.assignee);
      checkActions(path, s.actions ?? {}, false);
    }
    for (const stop of s.stops ?? [])
      if (!Object.hasOwn(stops, stop)) add(`${path}/stops`, 'workflow.definition.stop_unknown', { stop });
    for (const back of s.returnTo ?? [])
      if (!Object.hasOwn(steps, back))
        add(`${path}/returnTo`, 'workflow.definition.step_unknown', { step: back });
  }

  // Reachability from the start, through actions, joins and rejections (returns only go back).
  if (Object.hasOwn(steps, d.start)) {
    const seen = new Set<string>([d.start]);
    const queue = [d.start];
    while (queue.length > 0) {
      const s = steps[queue.shift()!]!;
      const targets = s.parallel
        ? [s.parallel.next, s.parallel.onReject]
        : Object.values(s.actions ?? {}).map((a) => a.to);
      for (const t of targets)
        if (Object.hasOwn(steps, t) && !seen.has(t)) {
          seen.add(t);
          queue.push(t);
        }
    }
    for (const id of Object.keys(steps))
      if (!seen.has(id)) add(`/steps/${id}`, 'workflow.definition.unreachable', { step: id });
  }
  return problems;
}

/** Evaluates a guard against the case's data. */
export function guardHolds(guard: Guard | undefined, data: Record<string, unknown>): boolean {
  if (!guard) return true;
  let v: unknown = data;
  for (const k of guard.field.split('.'))
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  const w = guard.value;
  switch (guard.op) {
    case 'eq':
      return v === w;
    case 'ne':
      return v !== w;
    case 'in':
      return Array.isArray(w) && w.includes(v);
    default: {
      if (typeof v !== 'number' || typeof w !== 'number') return false;
      if (guard.op === 'lt') return v < w;
      if (guard.op === 'lte') return v <= w;
      if (guard.op === 'gt') return v > w;
      return v >= w;
    }
  }
}

/** The name in a language, falling back to Chinese. */
export const nameIn = (n: { 'zh-CN': string; en?: string | undefined }, lang: string) =>
  (lang === 'en' && n.en) || n['zh-CN'];

/** A step's name (a branch's with its step's), in Chinese: what notifications and the log quote. */
export function stepName(def: Definition, step: string, branch: string | null, lang = 'zh-CN'): string {
  const s = def.steps[step];
  if (!s) return step;
  const b = branch ? s.parallel?.branches[branch] : undefined;
  return b ? `${nameIn(s.name, lang)} · ${nameIn(b.name, lang)}` : nameIn(s.name, lang);
}
