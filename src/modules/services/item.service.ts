/**
 * Use-cases on the service catalogue: write an item, publish or suspend it, read it, list and search
 * the catalogue, import and export it. Who may write which item is decided in itemAccess (by
 * jurisdiction and department); the public sees published items only.
 */
import type { Expression } from 'kysely';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { shortLived } from '../../kernel/cache/index.ts';
import { canonicalJson } from '../../kernel/crypto/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import { authorizeActing, jurisdictionPrefix, type Actor } from '../../kernel/policy/index.ts';
import {
  itemProblems,
  normalizeItem,
  type Item,
  type ItemInput,
  type ItemStatus,
  type Problem,
} from './catalogue.ts';
import * as store from './item.store.ts';

export interface ServiceDepartment {
  id: number;
  name: string;
  divisionCode: string;
  type: string;
  active: boolean;
}

export interface ServicesPorts {
  department(tenantId: string, id: number, ex: Executor): Promise<ServiceDepartment | undefined>;
  /** whether the site has a process definition of that code (applications run on it) */
  processExists(tenantId: string, code: string): Promise<boolean>;
  /** the search vector of an item's texts (see item.search.ts) */
  searchVector(item: ItemInput & { departmentName: string }): Expression<string>;
}

/** What publishing needs: a guide a citizen can act on (the five elements people ask for first). */
const REQUIRED_FOR_PUBLISHING = [
  'legalBasis',
  'conditions',
  'process',
  'place',
  'hours',
  'consultPhone',
  'complaintPhone',
] as const;

/**
 * How long a node keeps a published item for applications. An item suspended on another node is
 * still applied for during that time — as it would be by someone who opened the form a moment
 * earlier; this node forgets at once on its own writes.
 */
const PUBLISHED_FOR_MS = 2_000;

const hidden = (code: string) => () => notFound('services.item.not_found', { code });

const fieldsOf = (problems: Problem[]): FieldProblem[] =>
  problems.map((p) => ({ field: p.field, code: p.code, ...(p.params ? { params: p.params } : {}) }));

/** The fields an edit changed, for the audit entry (values of long texts are not repeated there). */
function changedFields(before: Item, after: ItemInput): string[] {
  return (Object.keys(after) as (keyof ItemInput)[])
    .filter((k) => after[k] !== undefined)
    .filter(
      // Canonical: jsonb hands keys back in its own order.
      (k) => canonicalJson(before[k] ?? null) !== canonicalJson(after[k] ?? null),
    );
}

export function createItemService(db: Database, ports: ServicesPorts) {
  /**
   * May the actor write this department's items? services.manage within their jurisdiction; and
   * outside the government services office, only their own department's.
   */
  async function checkWriter(ctx: AuditContext, department: ServiceDepartment, code: string, ex: Executor) {
    authorizeActing(ctx, 'services.manage', { division: department.divisionCode }, hidden(code));
    const actor = ctx.actor;
    if (!actor || actor.departmentId === department.id) return;
    const own =
      actor.departmentId === null ? undefined : await ports.department(ctx.tenantId, actor.departmentId, ex);
    if (own?.type !== 'government_services')
      throw new DomainError('forbidden', 'services.item.other_department', { department: department.name });
  }

  async function resolveDepartment(tenantId: string, id: number, ex: Executor) {
    const d = await ports.department(tenantId, id, ex);
    if (!d?.active)
      throw invalidFields([
        { field: 'departmentId', code: 'services.item.department_unknown', params: { id } },
      ]);
    return d;
  }

  async function checkInput(tenantId: string, raw: ItemInput): Promise<ItemInput> {
    const input = normalizeItem(raw);
    const problems = itemProblems(input);
    if (input.processCode !== null && !(await ports.processExists(tenantId, input.processCode)))
      problems.push({
        field: 'processCode',
        code: 'services.item.process_unknown',
        params: { code: input.processCode },
      });
    if (problems.length > 0) throw invalidFields(fieldsOf(problems));
    return input;
  }

  /** Writes one item (new or changed) in the caller's transaction; returns it and what changed. */
  async function save(tx: Executor, ctx: AuditContext, input: ItemInput) {
    const department = await resolveDepartment(ctx.tenantId, input.departmentId, tx);
    await checkWriter(ctx, department, input.code, tx);
    const before = await store.findItem(tx, ctx.tenantId, input.code, true);
    if (before) {
      // Moving an item to another department needs the right to write the old one's items too.
      const old = await ports.department(ctx.tenantId, before.departmentId, tx);
      if (old) await checkWriter(ctx, old, input.code, tx);
    }
    const vector = ports.searchVector({ ...input, departmentName: department.name });
    const item = before
      ? await store.updateItem(tx, ctx.tenantId, input, department, vector)
      : await store.insertItem(tx, ctx.tenantId, input, department, vector);
    const changed = before ? changedFields(before, input) : [];
    if (!before || changed.length > 0)
      await appendAudit(tx, ctx, {
        action: before ? 'services.item_updated' : 'services.item_created',
        objectType: 'service_item',
        objectId: input.code,
        detail: before ? { changed } : { name: input.name, department: department.name },
      });
    return { item, created: !before, changed };
  }

  const recentlyPublished = shortLived(PUBLISHED_FOR_MS, async (key) => {
    const at = key.indexOf('\u0000');
    const [tenantId, code] = [key.slice(0, at), key.slice(at + 1)];
    const item = await store.findItem(db.kysely, tenantId, code);
    return item?.status === 'published' ? item : undefined;
  });
  /** Runs a write, then forgets what this node remembers of published items. */
  const writing = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } finally {
      recentlyPublished.forget();
    }
  };

  return {
    /** Creates an item (a draft) or, when `expectNew` is false, replaces the item with that code. */
    async save(ctx: AuditContext, raw: ItemInput, options: { expectNew: boolean }): Promise<Item> {
      authorizeActing(ctx, 'services.manage');
      const input = await checkInput(ctx.tenantId, raw);
      return writing(
        db.kysely.transaction().execute(async (tx) => {
          const exists = await store.findItem(tx, ctx.tenantId, input.code);
          if (options.expectNew && exists)
            throw invalidFields([
              { field: 'code', code: 'services.item.code_taken', params: { code: input.code } },
            ]);
          if (!options.expectNew && !exists) throw hidden(input.code)();
          return (await save(tx, ctx, input)).item;
        }),
      );
    },

    /** Publishes (the guide must be complete), suspends, or takes an item back to draft. */
    async setStatus(ctx: AuditContext, code: string, status: ItemStatus): Promise<Item> {
      authorizeActing(ctx, 'services.manage');
      return writing(
        db.kysely.transaction().execute(async (tx) => {
          const item = await store.findItem(tx, ctx.tenantId, code, true);
          if (!item) throw hidden(code)();
          const department = await ports.department(ctx.tenantId, item.departmentId, tx);
          await checkWriter(
            ctx,
            department ?? {
              id: item.departmentId,
              name: item.departmentName,
              divisionCode: item.divisionCode,
              type: '',
              active: false,
            },
            code,
            tx,
          );
          if (item.status === status) return item;
          if (status === 'published') {
            const missing = REQUIRED_FOR_PUBLISHING.filter((k) => item[k].trim() === '');
            const problems: FieldProblem[] = missing.map((k) => ({
              field: k,
              code: 'services.item.required_to_publish',
            }));
            if (item.promisedDays === null)
              problems.push({ field: 'promisedDays', code: 'services.item.required_to_publish' });
            if (problems.length > 0) throw invalidFields(problems, 'services.item.incomplete');
            if (!department?.active)
              throw conflict('services.item.department_inactive', { department: item.departmentName });
          }
          const updated = await store.setStatus(tx, ctx.tenantId, code, status);
          await appendAudit(tx, ctx, {
            action: `services.item_${status}`,
            objectType: 'service_item',
            objectId: code,
            detail: { from: item.status },
          });
          return updated;
        }),
      );
    },

    /**
     * One item: published ones for everyone; any status for those who may manage it. Others get
     * 404, the same as for a code that does not exist.
     */
    async get(
      ctx: { tenantId: string; actor?: Actor | null },
      code: string,
      ex: Executor = db.kysely,
    ): Promise<Item> {
      const item = await store.findItem(ex, ctx.tenantId, code);
      if (!item) throw hidden(code)();
      if (item.status === 'published') return item;
      // A draft does not exist for the public: 404, not "sign in".
      if (ctx.actor === null) throw hidden(code)();
      authorizeActing(ctx, 'services.manage', { division: item.divisionCode }, hidden(code));
      return item;
    },

    /**
     * A published item, or undefined (a draft, suspended, none): what an application is made for,
     * read on every one of them, so remembered for PUBLISHED_FOR_MS.
     */
    publishedItem(tenantId: string, code: string): Promise<Item | undefined> {
      return recentlyPublished.get(`${tenantId}\u0000${code}`);
    },

    /** The workbench list: items of the actor's jurisdiction, any status. */
    async list(
      ctx: AuditContext,
      filter: Omit<store.ItemFilter, 'divisionPrefix'>,
      page: { limit: number; offset: number },
    ) {
      authorizeActing(ctx, 'services.manage');
      const prefix = ctx.actor ? jurisdictionPrefix(ctx.actor) : '';
      return store.listItems(db.kysely, ctx.tenantId, { ...filter, divisionPrefix: prefix }, page);
    },

    /** The portal's catalogue: published items, searched and filtered. */
    search(
      tenantId: string,
      filter: Omit<store.ItemFilter, 'divisionPrefix' | 'status'>,
      page: { limit: number; offset: number; orderBy?: Expression<unknown> | undefined },
    ) {
      return store.listItems(
        db.kysely,
        tenantId,
        { ...filter, divisionPrefix: '', status: 'published' },
        page,
      );
    },

    departments: (tenantId: string) => store.publishingDepartments(db.kysely, tenantId),

    /** Every published item of the site (the coverage figures). */
    published: (tenantId: string) =>
      store.allItems(db.kysely, tenantId, '').then((all) => all.filter((i) => i.status === 'published')),

    /**
     * Writes many items at once (an import): all or nothing. Returns how many were created, changed
     * and unchanged; the first refusal aborts with the row it came from.
     */
    async importItems(ctx: AuditContext, inputs: { row: number; input: ItemInput }[]) {
      authorizeActing(ctx, 'services.manage');
      const checked: { row: number; input: ItemInput }[] = [];
      const problems: FieldProblem[] = [];
      for (const { row, input } of inputs) {
        try {
          checked.push({ row, input: await checkInput(ctx.tenantId, input) });
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          for (const f of e.fields) problems.push({ ...f, field: `${row}/${f.field}` });
        }
      }
      if (problems.length > 0) throw invalidFields(problems, 'services.import.rejected');
      return writing(
        db.kysely.transaction().execute(async (tx) => {
          const counts = { created: 0, changed: 0, unchanged: 0 };
          for (const { row, input } of checked) {
            const r = await save(tx, ctx, input).catch((e: unknown) => {
              if (e instanceof DomainError)
                throw invalidFields(
                  e.fields.length > 0
                    ? e.fields.map((f) => ({ ...f, field: `${row}/${f.field}` }))
                    : [{ field: `${row}/code`, code: e.code, params: { ...e.params } }],
                  'services.import.rejected',
                );
              throw e;
            });
            if (r.created) counts.created++;
            else if (r.changed.length > 0) counts.changed++;
            else counts.unchanged++;
          }
          await appendAudit(tx, ctx, {
            action: 'services.items_imported',
            objectType: 'service_item',
            objectId: '',
            detail: counts,
          });
          return counts;
        }),
      );
    },

    /** Every item of the actor's jurisdiction (an export). */
    async exportItems(ctx: AuditContext): Promise<Item[]> {
      authorizeActing(ctx, 'services.manage');
      const prefix = ctx.actor ? jurisdictionPrefix(ctx.actor) : '';
      const items = await store.allItems(db.kysely, ctx.tenantId, prefix);
      await appendAudit(db.kysely, ctx, {
        action: 'services.items_exported',
        objectType: 'service_item',
        objectId: '',
        detail: { count: items.length },
      });
      return items;
    },
  };
}

export type ItemService = ReturnType<typeof createItemService>;
