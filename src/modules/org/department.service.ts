/** Use-cases on departments (部门): create, edit, deactivate and reactivate; never hard-delete. */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { isUniqueViolation, type Database, type Executor } from '../../kernel/db/index.ts';
import { conflict, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import { isWithin } from '../../kernel/divisions/index.ts';
import { authorizeActing, decide, jurisdictionPrefix } from '../../kernel/policy/index.ts';
import { findDivision } from './division.store.ts';
import { isDepartmentType } from './department-types.ts';
import * as store from './department.store.ts';
import type { Department, DepartmentFields } from './department.store.ts';

export interface DepartmentInput {
  divisionCode: string;
  name: string;
  shortName?: string | undefined;
  type: string;
  parentId?: number | null | undefined;
  creditCode?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
  email?: string | undefined;
}

export function createDepartmentService(db: Database) {
  async function get(tenantId: string, id: number, ex: Executor = db.kysely): Promise<Department> {
    const d = await store.findDepartment(ex, tenantId, id);
    if (!d) throw notFound('org.department.not_found', { id });
    return d;
  }

  /** A department the actor may manage: one in their jurisdiction; any other is "not found". */
  async function manageable(ctx: AuditContext, id: number, ex: Executor): Promise<Department> {
    const d = await get(ctx.tenantId, id, ex);
    authorizeActing(ctx, 'org.department.manage', { division: d.divisionCode }, () =>
      notFound('org.department.not_found', { id }),
    );
    return d;
  }

  async function check(
    ex: Executor,
    ctx: AuditContext,
    input: DepartmentInput,
    selfId?: number,
  ): Promise<DepartmentFields> {
    const tenantId = ctx.tenantId;
    const problems: FieldProblem[] = [];
    const f: DepartmentFields = {
      divisionCode: input.divisionCode.trim(),
      name: input.name.trim(),
      shortName: (input.shortName ?? '').trim(),
      type: input.type as DepartmentFields['type'],
      parentId: input.parentId ?? null,
      creditCode: (input.creditCode ?? '').trim().toUpperCase(),
      phone: (input.phone ?? '').trim(),
      address: (input.address ?? '').trim(),
      email: (input.email ?? '').trim(),
    };
    if (f.name.length === 0 || f.name.length > 100)
      problems.push({ field: 'name', code: 'org.department.name_length' });
    if (f.shortName.length > 30)
      problems.push({ field: 'shortName', code: 'org.department.short_name_length' });
    if (!isDepartmentType(f.type)) problems.push({ field: 'type', code: 'org.department.type_unknown' });
    const division = /^\d{6}(\d{3}){0,2}$/.test(f.divisionCode)
      ? await findDivision(ex, f.divisionCode)
      : undefined;
    if (!f.divisionCode) problems.push({ field: 'divisionCode', code: 'errors.field_required' });
    else if (!division)
      problems.push({
        field: 'divisionCode',
        code: 'org.department.division_unknown',
        params: { code: f.divisionCode },
      });
    else if (!isWithin(division.code, tenantId))
      problems.push({
        field: 'divisionCode',
        code: 'org.department.division_outside',
        params: { code: f.divisionCode },
      });
    else if (
      ctx.actor !== undefined &&
      decide(ctx.actor, 'org.department.manage', { division: division.code }) !== 'allow'
    )
      problems.push({
        field: 'divisionCode',
        code: 'org.department.division_outside_jurisdiction',
        params: { code: f.divisionCode },
      });
    if (f.parentId !== null) {
      const parent = await store.findDepartment(ex, tenantId, f.parentId);
      if (!parent) problems.push({ field: 'parentId', code: 'org.department.parent_unknown' });
      else if (
        selfId !== undefined &&
        (await store.selfAndAncestorIds(ex, tenantId, parent.id)).includes(selfId)
      )
        problems.push({ field: 'parentId', code: 'org.department.parent_cycle' });
      else if (division && !isWithin(division.code, parent.divisionCode))
        problems.push({ field: 'parentId', code: 'org.department.parent_outside' });
    }
    if (selfId !== undefined && division) {
      // Moving a department must not strand its sub-departments outside its new division.
      const stranded = (await store.childDivisionCodes(ex, tenantId, selfId)).some(
        (c) => !isWithin(c, division.code),
      );
      if (stranded) problems.push({ field: 'divisionCode', code: 'org.department.children_outside' });
    }
    // GB 32100 shape only; the check-character arithmetic lives with the identifier checks (identity module).
    if (f.creditCode && !/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(f.creditCode))
      problems.push({ field: 'creditCode', code: 'org.department.credit_code_format' });
    if (f.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email))
      problems.push({ field: 'email', code: 'errors.email_format' });
    if (f.phone && !/^[0-9+() -]{5,30}$/.test(f.phone))
      problems.push({ field: 'phone', code: 'errors.phone_format' });
    if (problems.length > 0) throw invalidFields(problems);
    if (await store.nameTaken(ex, tenantId, f.divisionCode, f.name, selfId)) {
      throw conflict('org.department.name_taken', { name: f.name }, [
        { field: 'name', code: 'org.department.name_taken', params: { name: f.name } },
      ]);
    }
    return f;
  }

  return {
    get: (tenantId: string, id: number) => get(tenantId, id),
    /**
     * The department, or undefined (no error): for other modules checking a reference, on their
     * transaction when they are in one.
     */
    find: (tenantId: string, id: number, ex: Executor = db.kysely) => store.findDepartment(ex, tenantId, id),
    list: (tenantId: string, filter: Parameters<typeof store.listDepartments>[2], ex: Executor = db.kysely) =>
      store.listDepartments(ex, tenantId, filter),
    /** One department the actor may manage (404 outside their jurisdiction). */
    manageable: (ctx: AuditContext, id: number) => manageable(ctx, id, db.kysely),
    /** The departments the actor may manage: those of their jurisdiction, inactive ones too. */
    listManaged(ctx: AuditContext, page: { limit: number; offset: number; activeOnly?: boolean }) {
      authorizeActing(ctx, 'org.department.manage');
      return store.listDepartments(db.kysely, ctx.tenantId, {
        // undefined: the system's own work, which sees the whole site
        divisionPrefix: ctx.actor === undefined ? undefined : jurisdictionPrefix(ctx.actor!),
        includeInactive: !page.activeOnly,
        limit: page.limit,
        offset: page.offset,
      });
    },
    async create(ctx: AuditContext, input: DepartmentInput): Promise<Department> {
      const tenantId = ctx.tenantId;
      return db.kysely.transaction().execute(async (trx) => {
        const fields = await check(trx, ctx, input);
        const id = await uniqueGuard(() => store.insertDepartment(trx, tenantId, fields), fields.name);
        await appendAudit(trx, ctx, {
          action: 'department.created',
          objectType: 'department',
          objectId: String(id),
          detail: { name: fields.name, divisionCode: fields.divisionCode, type: fields.type },
        });
        return get(tenantId, id, trx);
      });
    },
    async update(ctx: AuditContext, id: number, input: DepartmentInput): Promise<Department> {
      const tenantId = ctx.tenantId;
      return db.kysely.transaction().execute(async (trx) => {
        const before = await manageable(ctx, id, trx);
        const fields = await check(trx, ctx, input, id);
        await uniqueGuard(() => store.updateDepartment(trx, tenantId, id, fields), fields.name);
        await appendAudit(trx, ctx, {
          action: 'department.updated',
          objectType: 'department',
          objectId: String(id),
          detail: { changed: changedFields(before, fields) },
        });
        return get(tenantId, id, trx);
      });
    },
    async setActive(ctx: AuditContext, id: number, active: boolean): Promise<Department> {
      const tenantId = ctx.tenantId;
      return db.kysely.transaction().execute(async (trx) => {
        await manageable(ctx, id, trx);
        await store.setDepartmentActive(trx, tenantId, id, active);
        await appendAudit(trx, ctx, {
          action: active ? 'department.reactivated' : 'department.deactivated',
          objectType: 'department',
          objectId: String(id),
        });
        return get(tenantId, id, trx);
      });
    },
  };
}

/** The names of the fields an edit changes: what the audit entry records, not the values. */
function changedFields(before: Department, after: DepartmentFields): string[] {
  return (Object.keys(after) as (keyof DepartmentFields)[]).filter((k) => before[k] !== after[k]).sort();
}

/** Two concurrent creates of the same name both pass the check; the unique key decides, as a 409. */
async function uniqueGuard<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw conflict('org.department.name_taken', { name }, [
        { field: 'name', code: 'org.department.name_taken', params: { name } },
      ]);
    }
    throw e;
  }
}

export type DepartmentService = ReturnType<typeof createDepartmentService>;
