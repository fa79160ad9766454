/** The org JSON API under /api/v1: divisions, the current site (tenant) and its departments. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { auditContextOf, Nullable } from '../../kernel/http/index.ts';
import { Type, type Static } from 'typebox';
import { DEPARTMENT_TYPES } from './department-types.ts';
import type { DepartmentService } from './department.service.ts';
import { DIVISION_LEVELS, subtreePrefix } from '../../kernel/divisions/index.ts';
import type { DivisionService } from './division.service.ts';
import type { Tenant } from './tenant.store.ts';
import type { TenantService } from './tenant.service.ts';

const Problem = Type.Ref('Problem');

export const DivisionSchema = Type.Object(
  {
    code: Type.String({ description: 'GB/T 2260 code, 6 digits; 9 for townships, 12 for villages' }),
    name: Type.String(),
    level: Type.Union(DIVISION_LEVELS.map((l) => Type.Literal(l))),
    parentCode: Type.Union([Type.String(), Type.Null()]),
    isAdministrative: Type.Boolean({ description: 'false for statistical codes such as development zones' }),
    active: Type.Boolean(),
    childCount: Type.Optional(Type.Integer()),
  },
  { $id: 'Division' },
);

const DivisionList = Type.Object({
  items: Type.Array(Type.Ref('Division')),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
const Paging = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
};
const CodeParams = Type.Object({ code: Type.String({ maxLength: 20 }) });

const DepartmentSchema = Type.Object(
  {
    id: Type.Integer(),
    divisionCode: Type.String(),
    name: Type.String(),
    shortName: Type.String(),
    type: Type.String({ enum: [...DEPARTMENT_TYPES] }),
    parentId: Type.Union([Type.Integer(), Type.Null()]),
    creditCode: Type.String(),
    phone: Type.String(),
    address: Type.String(),
    email: Type.String(),
    active: Type.Boolean(),
  },
  { $id: 'Department' },
);
const DepartmentInput = Type.Object(
  {
    divisionCode: Type.String({ maxLength: 12 }),
    name: Type.String({ maxLength: 200 }),
    shortName: Type.Optional(Type.String({ maxLength: 100 })),
    type: Type.String({ maxLength: 40 }),
    parentId: Type.Optional(Nullable(Type.Integer())),
    creditCode: Type.Optional(Type.String({ maxLength: 40 })),
    phone: Type.Optional(Type.String({ maxLength: 60 })),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    email: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const SiteSchema = Type.Object(
  {
    tenantId: Type.String(),
    name: Type.String(),
    siteIdCode: Type.String({ description: '政府网站标识码' }),
    icpNumber: Type.String(),
    policeFiling: Type.String(),
    sponsor: Type.String({ description: '主办单位' }),
    address: Type.String(),
    phone: Type.String(),
    email: Type.String(),
    hosts: Type.Array(Type.String()),
  },
  { $id: 'Site' },
);
const SiteInput = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    siteIdCode: Type.String({ maxLength: 20 }),
    icpNumber: Type.String({ maxLength: 60 }),
    policeFiling: Type.String({ maxLength: 60 }),
    sponsor: Type.String({ maxLength: 200 }),
    address: Type.String({ maxLength: 300 }),
    phone: Type.String({ maxLength: 60 }),
    email: Type.String({ maxLength: 200 }),
    hosts: Type.Array(Type.String({ maxLength: 253 }), { maxItems: 20 }),
  },
  { additionalProperties: false },
);

const site = (t: Tenant): Static<typeof SiteSchema> => {
  const { isDefault: _d, ...rest } = t;
  return rest;
};

const errors = { 400: Problem, 404: Problem, 409: Problem };
/** Writes also answer 401 without a session and 403 without the permission. */
const writeErrors = { ...errors, 401: Problem, 403: Problem };

export interface OrgRouteDeps {
  divisions: DivisionService;
  tenants: TenantService;
  departments: DepartmentService;
}

export async function orgRoutes(fastify: FastifyInstance, deps: OrgRouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { divisions, tenants, departments } = deps;
  app.addSchema(DivisionSchema);
  app.addSchema(DepartmentSchema);
  app.addSchema(SiteSchema);
  const tags = ['divisions'];

  app.get(
    '/api/v1/divisions',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: 'Search divisions by name or code prefix; without q, the provinces',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 50 })),
          level: Type.Optional(Type.Union(DIVISION_LEVELS.map((l) => Type.Literal(l)))),
          within: Type.Optional(
            Type.String({ pattern: '^[0-9]{1,12}$', description: 'code prefix to search under' }),
          ),
          ...Paging,
        }),
        response: { 200: DivisionList, 400: Problem },
      },
    },
    async (req) => {
      const { q, level, within, limit, offset } = req.query;
      const page = q
        ? await divisions.search({ text: q, level, within, limit, offset })
        : await divisions.children('000000', { limit, offset });
      return { ...page, limit, offset };
    },
  );

  app.get(
    '/api/v1/divisions/:code',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: 'One division',
        params: CodeParams,
        response: { 200: Type.Ref('Division'), ...errors },
      },
    },
    async (req) => divisions.get(req.params.code),
  );

  app.get(
    '/api/v1/divisions/:code/children',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: 'The divisions directly under a division, by code',
        params: CodeParams,
        querystring: Type.Object(Paging),
        response: { 200: DivisionList, ...errors },
      },
    },
    async (req) => ({ ...(await divisions.children(req.params.code, req.query)), ...req.query }),
  );

  app.get(
    '/api/v1/divisions/:code/path',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags,
        summary: 'The path from the province down to this division',
        params: CodeParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Division')) }), ...errors },
      },
    },
    async (req) => ({ items: await divisions.path(req.params.code) }),
  );

  app.get(
    '/api/v1/site',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags: ['site'],
        summary: 'The site (tenant) serving this host name',
        response: { 200: Type.Ref('Site') },
      },
    },
    async (req) => site(await tenants.get(req.site.tenantId)),
  );

  app.get(
    '/api/v1/department-types',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags: ['departments'],
        summary: "Standard department types with their names in the caller's language",
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })) }),
        },
      },
    },
    async (req) => ({
      items: DEPARTMENT_TYPES.map((key) => ({ key, name: req.t(`org.department_type.${key}`) })),
    }),
  );

  app.get(
    '/api/v1/departments',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags: ['departments'],
        summary: 'Departments of this site, optionally of one division (and below) or one type',
        querystring: Type.Object({
          division: Type.Optional(Type.String({ pattern: '^[0-9]{6}([0-9]{3}){0,2}$' })),
          below: Type.Optional(
            Type.Boolean({ default: false, description: 'include departments of divisions below' }),
          ),
          type: Type.Optional(Type.String({ enum: [...DEPARTMENT_TYPES] })),
          includeInactive: Type.Optional(Type.Boolean({ default: false })),
          ...Paging,
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('Department')),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          400: Problem,
        },
      },
    },
    async (req) => {
      const { division, below, type, includeInactive, limit, offset } = req.query;
      const page = await departments.list(req.site.tenantId, {
        divisionCode: below ? undefined : division,
        divisionPrefix: below && division ? subtreePrefix(division) : undefined,
        type,
        includeInactive: includeInactive ?? false,
        limit,
        offset,
      });
      return { ...page, limit, offset };
    },
  );

  app.get(
    '/api/v1/departments/:id',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags: ['departments'],
        summary: 'One department of this site',
        params: IdParams,
        response: { 200: Type.Ref('Department'), ...errors },
      },
    },
    async (req) => departments.get(req.site.tenantId, req.params.id),
  );

  // Writes: the policy decides by permission here and by jurisdiction in the services.

  // Tenants (sites) of this deployment: the operator's view.
  app.get(
    '/api/v1/tenants',
    {
      config: { access: 'org.sites.manage' },
      schema: {
        tags: ['site'],
        summary: "The sites (tenants) this deployment runs in the caller's jurisdiction (admin)",
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Site')) }), 401: Problem, 403: Problem },
      },
    },
    async (req) => ({ items: (await tenants.list(auditContextOf(req))).map(site) }),
  );

  app.post(
    '/api/v1/tenants',
    {
      config: { access: 'org.sites.manage' },
      schema: {
        tags: ['site'],
        summary: 'Open a site for a division (admin); its tenantId is the division code',
        body: Type.Object(
          { tenantId: Type.String({ maxLength: 12 }), ...SiteInput.properties },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('Site'), ...writeErrors },
      },
    },
    async (req, reply) => reply.status(201).send(site(await tenants.create(auditContextOf(req), req.body))),
  );

  app.post(
    '/api/v1/divisions',
    {
      config: { access: 'org.division.manage' },
      schema: {
        tags,
        summary: 'Add a division (admin); level and parent are derived from the code and checked',
        body: Type.Object(
          {
            code: Type.String({ maxLength: 20 }),
            name: Type.String({ maxLength: 200 }),
            parentCode: Type.Optional(Type.String({ maxLength: 20 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('Division'), ...writeErrors },
      },
    },
    async (req, reply) => reply.status(201).send(await divisions.create(auditContextOf(req), req.body)),
  );

  app.patch(
    '/api/v1/divisions/:code',
    {
      config: { access: 'org.division.manage' },
      schema: {
        tags,
        summary: 'Rename or (de)activate a division (admin)',
        params: CodeParams,
        body: Type.Object(
          { name: Type.Optional(Type.String({ maxLength: 200 })), active: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('Division'), ...writeErrors },
      },
    },
    async (req) => divisions.update(auditContextOf(req), req.params.code, req.body),
  );

  app.put(
    '/api/v1/site',
    {
      config: { access: 'org.site.manage' },
      schema: {
        tags: ['site'],
        summary: "Change this site's settings (admin)",
        body: SiteInput,
        response: { 200: Type.Ref('Site'), ...writeErrors },
      },
    },
    async (req) => site(await tenants.update(auditContextOf(req), req.body)),
  );

  app.post(
    '/api/v1/departments',
    {
      config: { access: 'org.department.manage' },
      schema: {
        tags: ['departments'],
        summary: 'Create a department (admin)',
        body: DepartmentInput,
        response: { 201: Type.Ref('Department'), ...writeErrors },
      },
    },
    async (req, reply) => reply.status(201).send(await departments.create(auditContextOf(req), req.body)),
  );

  app.put(
    '/api/v1/departments/:id',
    {
      config: { access: 'org.department.manage' },
      schema: {
        tags: ['departments'],
        summary: 'Edit a department (admin)',
        params: IdParams,
        body: DepartmentInput,
        response: { 200: Type.Ref('Department'), ...writeErrors },
      },
    },
    async (req) => departments.update(auditContextOf(req), req.params.id, req.body),
  );

  for (const [action, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post(
      `/api/v1/departments/:id/${action}`,
      {
        config: { access: 'org.department.manage' },
        schema: {
          tags: ['departments'],
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a department (admin); departments are never deleted`,
          params: IdParams,
          response: { 200: Type.Ref('Department'), ...writeErrors },
        },
      },
      async (req) => departments.setActive(auditContextOf(req), req.params.id, active),
    );
  }
}
