/**
 * A site's routing rules (属地管理、分级负责): which type of department handles each matter type. The
 * code's table (ROUTES) is the default; the site's petition office or its administrator may set their
 * own, each change audited. New petitions (and held ones when released) are routed by the rules as
 * they are then; petitions already routed keep their department (the office reroutes one by hand).
 *
 * Who: anyone holding petition.route or org.site.manage reads them (a district's petition office sees
 * where its petitions go); only those whose jurisdiction is the whole site change them — the site's
 * petition office, the site administrator. A rule is the site's, so one office below may not set it
 * for the others.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import { authorizeActing, decide, type Actor, type Permission } from '../../kernel/policy/index.ts';
import { DEPARTMENT_TYPES } from '../org/index.ts';
import { isMatterType, MATTER_TYPES, ROUTES, type MatterType, type Routes } from './matter-types.ts';
import * as store from './routing.store.ts';

/** Who reads the rules; those of them whose jurisdiction is the whole site change them. */
export const ROUTING_ACCESS = ['petition.route', 'org.site.manage'] as const satisfies readonly Permission[];

export interface RoutingRule {
  matterType: MatterType;
  departmentType: string;
  /** ROUTES' department type: what the rule is without one of the site's own */
  defaultType: string;
  /** set by the site (else the default) and when */
  changedAt: Date | null;
}

const isDepartmentType = (v: string | undefined): v is string =>
  (DEPARTMENT_TYPES as readonly string[]).includes(v ?? '');

/** Whether the actor's jurisdiction is the whole site, through one of the permissions that reach the rules. */
export const mayEditRouting = (actor: Actor | null | undefined, tenantId: string) =>
  actor === undefined ||
  (!!actor &&
    ROUTING_ACCESS.some(
      (p) => actor.permissions.has(p) && decide(actor, p, { division: tenantId }) === 'allow',
    ));

/** The site's rules over the default (a rule naming a type the org module no longer has is ignored). */
function merged(rows: readonly store.RoutingRow[]): Routes {
  const routes: Record<MatterType, string> = { ...ROUTES };
  for (const r of rows)
    if (isMatterType(r.matterType) && isDepartmentType(r.departmentType))
      routes[r.matterType] = r.departmentType;
  return routes;
}

export function createRoutingService(db: Database) {
  /** The site's rules as routing reads them (in the caller's transaction, if any). */
  const routesOf = async (tenantId: string, ex: Executor = db.kysely): Promise<Routes> =>
    merged(await store.rulesOf(ex, tenantId));

  return {
    routesOf,
    departmentTypes: DEPARTMENT_TYPES,

    /** Every matter type with its department type, in the order of MATTER_TYPES. */
    async list(ctx: AuditContext): Promise<{ rules: RoutingRule[]; mayEdit: boolean }> {
      authorizeActing(ctx, [...ROUTING_ACCESS]);
      const own = new Map((await store.rulesOf(db.kysely, ctx.tenantId)).map((r) => [r.matterType, r]));
      return {
        rules: MATTER_TYPES.map((m) => {
          const set = own.get(m);
          const ok = set && isDepartmentType(set.departmentType);
          return {
            matterType: m,
            departmentType: ok ? set.departmentType : ROUTES[m],
            defaultType: ROUTES[m],
            changedAt: ok ? set.changedAt : null,
          };
        }),
        mayEdit: mayEditRouting(ctx.actor, ctx.tenantId),
      };
    },

    /**
     * Sets rules, all or none: `changes` maps matter types to department types. An unknown matter type
     * is 404; a department type that is not one of the org module's is named beside its field
     * (`fieldOf`: the page's select is the matter type, the API's body field `departmentType`). A rule
     * set to the default removes the site's own. Each change is audited; an unchanged one writes nothing.
     */
    async set(
      ctx: AuditContext,
      changes: Readonly<Record<string, string | undefined>>,
      fieldOf: (matterType: MatterType) => string = (m) => m,
    ): Promise<{ changed: MatterType[] }> {
      authorizeActing(ctx, [...ROUTING_ACCESS]);
      if (!mayEditRouting(ctx.actor, ctx.tenantId))
        throw new DomainError('forbidden', 'petitions.routing.site_only');
      const problems = [];
      const wanted: [MatterType, string][] = [];
      for (const [m, raw] of Object.entries(changes)) {
        if (!isMatterType(m)) throw notFound('petitions.routing.matter_type_unknown', { type: m });
        const type = (raw ?? '').trim();
        if (type === '') problems.push({ field: fieldOf(m), code: 'petitions.routing.choose' });
        else if (!isDepartmentType(type))
          problems.push({ field: fieldOf(m), code: 'petitions.routing.type_unknown' });
        else wanted.push([m, type]);
      }
      if (problems.length > 0) throw invalidFields(problems);
      return db.kysely.transaction().execute(async (tx) => {
        // The site's rules locked: a change to one waits for another change to it in progress.
        const before = merged(await store.rulesOf(tx, ctx.tenantId, true));
        const changed: MatterType[] = [];
        for (const [m, type] of wanted) {
          if (before[m] === type) continue;
          if (type === ROUTES[m]) await store.removeRule(tx, ctx.tenantId, m);
          else
            await store.setRule(tx, ctx.tenantId, {
              matterType: m,
              departmentType: type,
              by: ctx.actor?.accountId ?? null,
            });
          await appendAudit(tx, ctx, {
            action: 'petitions.routing_changed',
            objectType: 'petition_routing',
            objectId: m,
            detail: { from: before[m], to: type },
          });
          changed.push(m);
        }
        return { changed };
      });
    },
  };
}

export type RoutingService = ReturnType<typeof createRoutingService>;
