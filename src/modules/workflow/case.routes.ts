/** The case API under /api/v1: open a case, read it, act on it, my tasks; process definitions. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { invalidFields } from '../../kernel/errors.ts';
import { auditContextOf, Nullable } from '../../kernel/http/index.ts';
import type { Actor } from '../../kernel/policy/index.ts';
import type { CaseService } from './case.service.ts';
import { DefinitionSchema } from './definition.ts';
import type { DefinitionService } from './definition.service.ts';
import {
  BUILTIN_ACTIONS,
  OFFICE_EVENTS,
  STOP_ITEMS,
  type AvailableAction,
  type CaseEvent,
  type CaseState,
  type Command,
} from './engine.ts';
import type { TaskQueries } from './task.queries.ts';

const Problem = Type.Ref('Problem');
const Instant = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const Names = Type.Object({ 'zh-CN': Type.String(), en: Type.Optional(Type.String()) });

const TaskSchema = Type.Object({
  no: Type.Integer(),
  step: Type.String(),
  branch: Type.Union([Type.String(), Type.Null()]),
  departmentId: Type.Integer(),
  division: Type.String(),
  role: Type.String(),
  assignee: Type.Union([Type.Object({ accountId: Type.Integer(), name: Type.String() }), Type.Null()]),
  status: Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('cancelled')]),
  openedAt: Instant,
  closedAt: Instant,
  dueAt: Instant,
  yellowAt: Instant,
  light: Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red')]),
  action: Type.Union([Type.String(), Type.Null()]),
  extension: Type.String(),
});

export const CaseSchema = Type.Object(
  {
    number: Type.String({ description: 'site division code + year + sequence' }),
    title: Type.String(),
    definition: Type.Object({ code: Type.String(), version: Type.Integer(), name: Names }),
    status: Type.Union([Type.Literal('open'), Type.Literal('stopped'), Type.Literal('closed')]),
    outcome: Type.Union([Type.String(), Type.Null()]),
    applicant: Type.Object({ kind: Type.String(), name: Type.String() }),
    division: Type.String(),
    departmentId: Type.Integer(),
    data: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Instant,
    closedAt: Instant,
    dueAt: Instant,
    late: Type.Boolean(),
    stop: Type.Union([
      Type.Object({
        stop: Type.String(),
        reason: Type.String(),
        items: Type.Array(Type.Object({ label: Type.String(), note: Type.String() }), {
          description: 'what the stop asks for (补正告知): each material and what is wrong with it',
        }),
        since: Instant,
      }),
      Type.Null(),
    ]),
    urge: Type.Union([Type.Object({ note: Type.String(), at: Instant, by: Type.String() }), Type.Null()]),
    cards: Type.Array(
      Type.Object({ color: Type.String(), reason: Type.String(), departmentId: Type.Integer(), at: Instant }),
    ),
    tasks: Type.Array(TaskSchema),
    events: Type.Array(
      Type.Object(
        { at: Type.String(), type: Type.String(), by: Type.Object({ name: Type.String() }) },
        { additionalProperties: true },
      ),
    ),
    available: Type.Array(
      Type.Object({
        task: Type.Union([Type.Integer(), Type.Null()]),
        action: Type.String(),
        name: Type.Optional(Type.String()),
      }),
      { description: 'what the caller may do now; anything else is refused' },
    ),
  },
  { $id: 'Case' },
);

const ActionBody = Type.Object(
  {
    action: Type.Union([...BUILTIN_ACTIONS, 'step'].map((a) => Type.Literal(a))),
    task: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    name: Type.Optional(
      Type.String({ maxLength: 40, description: "for action 'step': the definition's action" }),
    ),
    input: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "the action's form" })),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    text: Type.Optional(Type.String({ maxLength: 5000 })),
    step: Type.Optional(Type.String({ maxLength: 40 })),
    stop: Type.Optional(Type.String({ maxLength: 40 })),
    items: Type.Optional(
      Type.Array(
        Type.Object(
          {
            label: Type.String({ maxLength: STOP_ITEMS.label, description: 'a material or other thing' }),
            note: Type.Optional(
              Type.String({ maxLength: STOP_ITEMS.note, description: 'what is wrong: missing, unclear …' }),
            ),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: STOP_ITEMS.max,
          description: "for action 'stop': everything the 补正 asks for (a reason or at least one item)",
        },
      ),
    ),
    departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
    accountId: Type.Optional(Type.Integer({ minimum: 1 })),
    amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    approved: Type.Optional(Type.Boolean()),
    color: Type.Optional(Type.Union([Type.Literal('yellow'), Type.Literal('red')])),
  },
  { additionalProperties: false },
);
export type ActionBody = Static<typeof ActionBody>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function caseJson(
  view: {
    number: string;
    definition: { code: string; version: number; body: { name: { 'zh-CN': string; en?: string } } };
    state: CaseState;
    events: CaseEvent[];
  },
  actor: Actor | null | undefined,
  available: AvailableAction[],
) {
  const s = view.state;
  const staff = actor?.kind === 'staff';
  return {
    number: view.number,
    title: s.title,
    definition: {
      code: view.definition.code,
      version: view.definition.version,
      name: view.definition.body.name,
    },
    status: s.status,
    outcome: s.outcome,
    applicant: { kind: s.applicant.kind, name: s.applicant.name },
    division: s.division,
    departmentId: s.departmentId,
    data: s.data,
    createdAt: iso(s.createdAt),
    closedAt: iso(s.closedAt),
    dueAt: iso(s.dueAt),
    late: s.late,
    stop: s.stop && {
      stop: s.stop.stop,
      reason: s.stop.reason,
      items: s.stop.items,
      since: iso(s.stop.since),
    },
    urge: staff && s.urge ? { note: s.urge.note, at: iso(s.urge.at), by: s.urge.by } : null,
    cards: staff ? s.cards.map((c) => ({ ...c, at: iso(c.at) })) : [],
    tasks: s.tasks.map((t) => ({
      no: t.no,
      step: t.step,
      branch: t.branch,
      departmentId: t.departmentId,
      division: t.division,
      role: t.role,
      assignee: staff && t.assigneeId !== null ? { accountId: t.assigneeId, name: t.assigneeName } : null,
      status: t.status,
      openedAt: iso(t.openedAt),
      closedAt: iso(t.closedAt),
      dueAt: iso(t.dueAt),
      yellowAt: iso(t.yellowAt),
      light: t.warned,
      action: t.action,
      extension: t.extension,
    })),
    events: view.events
      .filter((e) => staff || !OFFICE_EVENTS.has(e.type))
      .map((e) => ({ ...e, by: { name: staff || e.by.accountId === actor?.accountId ? e.by.name : '' } })),
    available: available.map((a) => ({
      task: a.task,
      action: a.action,
      ...(a.name ? { name: a.name } : {}),
    })),
  };
}

/** The API's flat action body as an engine command; missing fields are field errors. */
export function commandOf(b: ActionBody): Command {
  const action = b.action as Command['action'] | 'attach';
  const need = <T>(field: keyof ActionBody, v: T | undefined): T => {
    if (v === undefined || v === null || v === '')
      throw invalidFields([{ field, code: 'errors.field_required' }]);
    return v;
  };
  const task = () => need('task', b.task ?? undefined);
  switch (action) {
    case 'claim':
    case 'release':
      return { action, task: task() };
    case 'assign':
      return { action: 'assign', task: task(), accountId: need('accountId', b.accountId), name: '' };
    case 'transfer':
      return {
        action: 'transfer',
        task: task(),
        departmentId: need('departmentId', b.departmentId),
        division: '',
        reason: b.reason ?? '',
      };
    case 'return':
      return { action: 'return', task: task(), step: need('step', b.step), reason: b.reason ?? '' };
    case 'stop':
      return {
        action: 'stop',
        task: task(),
        stop: need('stop', b.stop),
        reason: b.reason ?? '',
        items: (b.items ?? []).map((i) => ({ label: i.label, note: i.note ?? '' })),
      };
    case 'resume':
      return { action: 'resume', note: b.note ?? '', input: b.input ?? {} };
    case 'request_extension':
      return {
        action: 'request_extension',
        task: task(),
        amount: need('amount', b.amount),
        reason: b.reason ?? '',
      };
    case 'decide_extension':
      return {
        action: 'decide_extension',
        task: task(),
        approved: need('approved', b.approved),
        note: b.note ?? '',
      };
    case 'comment':
      return { action: 'comment', text: b.text ?? '' };
    case 'attach':
      // Files arrive by multipart on /api/v1/cases/{number}/attachments, never as a digest the client names.
      throw invalidFields([{ field: 'action', code: 'workflow.attach.use_upload' }]);
    case 'urge':
      return { action: 'urge', note: b.note ?? '', task: b.task ?? null };
    case 'acknowledge':
      return { action: 'acknowledge', note: b.note ?? '' };
    case 'card':
      return {
        action: 'card',
        color: need('color', b.color),
        reason: b.reason ?? '',
        departmentId: need('departmentId', b.departmentId),
      };
    case 'step':
      return { action: 'step', task: task(), name: need('name', b.name), input: b.input ?? {} };
  }
}

export async function caseRoutes(
  fastify: FastifyInstance,
  deps: { cases: CaseService; definitions: DefinitionService; tasks: TaskQueries },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cases, definitions, tasks } = deps;
  app.addSchema(CaseSchema);
  const Number_ = Type.Object({ number: Type.String({ maxLength: 30 }) });

  app.get(
    '/api/v1/workflow/definition-schema',
    {
      config: { access: 'public', publicCache: true },
      schema: { tags: ['workflow'], summary: 'The JSON Schema every process definition must satisfy' },
    },
    async () => DefinitionSchema,
  );

  app.get(
    '/api/v1/workflow/definitions',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['workflow'],
        summary: "The site's process definitions, latest versions",
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                code: Type.String(),
                version: Type.Integer(),
                name: Names,
                applicants: Type.Array(Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      items: (await definitions.list(req.site.tenantId)).map((d) => ({
        code: d.code,
        version: d.version,
        name: d.body.name,
        applicants: d.body.applicants,
      })),
    }),
  );

  app.get(
    '/api/v1/workflow/definitions/:code',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['workflow'],
        summary: 'One process definition: the latest version, or ?version=N',
        params: Type.Object({ code: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: {
          200: Type.Object({
            code: Type.String(),
            version: Type.Integer(),
            source: Type.String(),
            createdAt: Type.String(),
            definition: Type.Unknown(),
          }),
          404: Problem,
        },
      },
    },
    async (req) => {
      const { code } = req.params;
      const d = req.query.version
        ? await definitions.version(req.site.tenantId, code, req.query.version)
        : await definitions.latest(req.site.tenantId, code);
      return {
        code: d.code,
        version: d.version,
        source: d.source,
        createdAt: d.createdAt.toISOString(),
        definition: d.body,
      };
    },
  );

  app.put(
    '/api/v1/workflow/definitions/:code',
    {
      config: { access: 'workflow.define' },
      schema: {
        tags: ['workflow'],
        summary: 'Store a new version of a process definition (cases already open keep theirs)',
        params: Type.Object({ code: Type.String({ maxLength: 64 }) }),
        body: Type.Record(Type.String(), Type.Unknown()),
        response: {
          200: Type.Object({ code: Type.String(), version: Type.Integer(), unchanged: Type.Boolean() }),
          400: Problem,
          409: Problem,
        },
      },
    },
    async (req) => {
      if (req.body.code !== req.params.code)
        throw invalidFields([{ field: '/code', code: 'workflow.definition.code_mismatch' }]);
      const r = await definitions.save(auditContextOf(req), req.body, 'admin');
      return { code: r.definition.code, version: r.definition.version, unchanged: r.unchanged };
    },
  );

  app.post(
    '/api/v1/cases',
    {
      config: { access: ['account.self', 'case.handle'] },
      schema: {
        tags: ['cases'],
        summary:
          'Open a case: an application of the signed-in person or enterprise, or an internal case of staff',
        body: Type.Object(
          {
            definition: Type.String({ maxLength: 64 }),
            title: Type.String({ maxLength: 200 }),
            data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            division: Type.Optional(Type.String({ maxLength: 12 })),
            departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('Case'), 400: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const ctx = auditContextOf(req);
      const v = await cases.create(ctx, { ...req.body, data: req.body.data ?? {} });
      const detail = await cases.get(ctx, v.number);
      return reply.code(201).send(caseJson(detail, req.actor, detail.available));
    },
  );

  app.get(
    '/api/v1/cases/:number',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['cases'],
        summary:
          'A case with its timeline and the actions the caller may take (404 outside the caller’s reach)',
        params: Number_,
        response: { 200: Type.Ref('Case'), 404: Problem },
      },
    },
    async (req) => {
      const detail = await cases.get(auditContextOf(req), req.params.number);
      return caseJson(detail, req.actor, detail.available);
    },
  );

  app.post(
    '/api/v1/cases/:number/actions',
    {
      config: { access: ['account.self', 'case.handle', 'case.lead', 'case.supervise'] },
      schema: {
        tags: ['cases'],
        summary:
          'Take one action: a step action of the definition (action "step" with its name and input) or a built-in one (claim, release, assign, transfer, return, stop, resume, request_extension, decide_extension, comment, urge, acknowledge, card). A stop gives a reason, a list of items (a 补正 notice: each material asked for and what is wrong with it), or both. 403/409 name the step and the action when it is not allowed; the case is then unchanged.',
        params: Number_,
        body: ActionBody,
        response: { 200: Type.Ref('Case'), 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const ctx = auditContextOf(req);
      await cases.act(ctx, req.params.number, commandOf(req.body));
      const detail = await cases.get(ctx, req.params.number);
      return caseJson(detail, req.actor, detail.available);
    },
  );

  app.get(
    '/api/v1/tasks',
    {
      config: { access: 'case.handle' },
      schema: {
        tags: ['cases'],
        summary: 'My tasks: open tasks held by me or waiting in my department for my roles, by due time',
        querystring: Type.Object({
          scope: Type.Optional(
            Type.Union([Type.Literal('mine'), Type.Literal('waiting'), Type.Literal('all')]),
          ),
          light: Type.Optional(
            Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red')]),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                caseNumber: Type.String(),
                caseTitle: Type.String(),
                definitionCode: Type.String(),
                task: Type.Integer(),
                step: Type.String(),
                assigneeId: Type.Union([Type.Integer(), Type.Null()]),
                openedAt: Type.String(),
                dueAt: Instant,
                light: Type.String(),
                stopped: Type.Boolean(),
                urged: Type.Boolean(),
              }),
            ),
            total: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      const page = await tasks.mine(req.actor!, req.site.tenantId, {
        scope: req.query.scope ?? 'all',
        light: req.query.light,
        limit: req.query.limit,
        offset: req.query.offset,
      });
      return {
        total: page.total,
        items: page.items.map((t) => ({ ...t, openedAt: t.openedAt.toISOString(), dueAt: iso(t.dueAt) })),
      };
    },
  );
}
