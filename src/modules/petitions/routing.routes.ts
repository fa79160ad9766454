/**
 * The site's routing rules as an API: every matter type with the type of department responsible for
 * it, and one rule changed (the site's petition office or administrator; audited).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf, Nullable } from '../../kernel/http/index.ts';
import { DEPARTMENT_TYPES } from '../org/index.ts';
import { MATTER_TYPES } from './matter-types.ts';
import { ROUTING_ACCESS, type RoutingRule, type RoutingService } from './routing.service.ts';

const Problem = Type.Ref('Problem');

const RuleSchema = Type.Object({
  matterType: Type.String({ description: MATTER_TYPES.join(' | ') }),
  name: Type.String({ description: 'the matter type by name, in the request’s language' }),
  departmentType: Type.String({
    description: `the type of department responsible (org department types: ${DEPARTMENT_TYPES.join(' | ')})`,
  }),
  departmentTypeName: Type.String(),
  default: Type.Boolean({ description: 'true while the site has no rule of its own for this matter type' }),
  defaultType: Type.String({ description: 'the department type without a rule of the site’s own' }),
  changedAt: Nullable(Type.String({ format: 'date-time' })),
});

export async function routingRoutes(
  fastify: FastifyInstance,
  deps: { routing: RoutingService },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { routing } = deps;
  const tags = ['petitions'];
  const viewOf = (req: { t: (k: string) => string }, r: RoutingRule) => ({
    matterType: r.matterType,
    name: req.t(`petitions.matter_type.${r.matterType}`),
    departmentType: r.departmentType,
    departmentTypeName: req.t(`org.department_type.${r.departmentType}`),
    default: r.changedAt === null,
    defaultType: r.defaultType,
    changedAt: r.changedAt?.toISOString() ?? null,
  });

  app.get(
    '/api/v1/petitions/routing',
    {
      config: { access: [...ROUTING_ACCESS] },
      schema: {
        tags,
        summary:
          'The site’s routing rules (属地管理、分级负责): for each matter type, the type of department that handles it — the nearest of that type to the place, else the petition office. `mayEdit`: whether the caller may change them (the site’s petition office or administrator)',
        response: {
          200: Type.Object({ items: Type.Array(RuleSchema), mayEdit: Type.Boolean() }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => {
      const { rules, mayEdit } = await routing.list(auditContextOf(req));
      return { items: rules.map((r) => viewOf(req, r)), mayEdit };
    },
  );

  app.put(
    '/api/v1/petitions/routing/:matterType',
    {
      config: { access: [...ROUTING_ACCESS] },
      schema: {
        tags,
        summary:
          'Sets the type of department that handles new petitions of a matter type on this site (audited); the default type removes the site’s own rule. Only the site’s petition office or administrator (whose jurisdiction is the whole site); 404 for a matter type that does not exist',
        params: Type.Object({ matterType: Type.String({ maxLength: 40 }) }),
        body: Type.Object(
          { departmentType: Type.String({ maxLength: 40, description: DEPARTMENT_TYPES.join(' | ') }) },
          { additionalProperties: false },
        ),
        response: { 200: RuleSchema, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => {
      const ctx = auditContextOf(req);
      await routing.set(ctx, { [req.params.matterType]: req.body.departmentType }, () => 'departmentType');
      const rule = (await routing.list(ctx)).rules.find((r) => r.matterType === req.params.matterType)!;
      return viewOf(req, rule);
    },
  );
}
