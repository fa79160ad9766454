/**
 * A site's leaders' mailboxes (领导信箱管理): the site administrator (org.site.manage over the whole
 * site) lists, adds and edits them — name, leader, the department answering, order — and takes one
 * out of service or back. An inactive mailbox is no longer offered to writers and refuses new letters;
 * the letters already written to it keep their case and department (they carry the mailbox's name as
 * it was). Every change is audited.
 *
 * Writers read the active mailboxes on every letter: kept a few seconds per node, dropped on this
 * node at each change (another node sees it within MAILBOX_CACHE_MS).
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { isUniqueViolation, type Database, type Executor } from '../../kernel/db/index.ts';
import { conflict, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import { authorizeActing } from '../../kernel/policy/index.ts';
import { lengthOf, plainText } from '../../kernel/text/index.ts';
import type { DepartmentRef } from '../workflow/index.ts';
import * as store from './mailbox.store.ts';
import type { Mailbox, MailboxFields } from './mailbox.store.ts';

export type { Mailbox } from './mailbox.store.ts';

export const MAILBOX_NAME = { min: 1, max: 50 } as const;
export const LEADER_MAX = 50;
export const SORT_MAX = 9999;
const MAILBOX_CACHE_MS = 10_000;

export interface MailboxPorts {
  department(tenantId: string, id: number, ex?: Executor): Promise<DepartmentRef | undefined>;
}

/** A mailbox as its administrator sees it: with the answering department's name and state. */
export interface ManagedMailbox extends Mailbox {
  department: { id: number; name: string; active: boolean };
}

/** What an administrator sends; on a change only what changes. Raw: checked here. */
export interface MailboxInput {
  name?: string | undefined;
  leader?: string | undefined;
  departmentId?: number | null | undefined;
  sort?: number | null | undefined;
  active?: boolean | undefined;
}

const hidden = () => notFound('letters.mailbox.not_found');

export function createMailboxService(db: Database, ports: MailboxPorts) {
  const cache = new Map<string, { at: number; list: Promise<Mailbox[]> }>();

  /** The site administrator's, over the whole site; anyone else with the permission gets 404. */
  const authorized = (ctx: AuditContext) =>
    authorizeActing(ctx, 'org.site.manage', { division: ctx.tenantId }, hidden);

  async function managed(tenantId: string, m: Mailbox, ex?: Executor): Promise<ManagedMailbox> {
    const d = await ports.department(tenantId, m.departmentId, ex);
    return { ...m, department: { id: m.departmentId, name: d?.name ?? '', active: !!d?.active } };
  }

  /**
   * The fields as they will be, or every problem at once. `before`: the mailbox edited (undefined for
   * a new one). The department is checked when it changes or the mailbox is to be offered to writers.
   */
  async function checked(
    ex: Executor,
    tenantId: string,
    input: MailboxInput,
    before?: Mailbox,
  ): Promise<MailboxFields> {
    const problems: FieldProblem[] = [];
    let name = before?.name ?? '';
    if (input.name !== undefined || !before) {
      name = plainText(input.name ?? '').replace(/\s+/g, ' ');
      const n = lengthOf(name);
      if (n < MAILBOX_NAME.min || n > MAILBOX_NAME.max)
        problems.push({
          field: 'name',
          code: n === 0 ? 'letters.mailbox.name_required' : 'letters.mailbox.name_length',
          params: { ...MAILBOX_NAME, length: n },
        });
    }
    let leader = before?.leader ?? '';
    if (input.leader !== undefined) {
      leader = plainText(input.leader).replace(/\s+/g, ' ');
      if (lengthOf(leader) > LEADER_MAX)
        problems.push({
          field: 'leader',
          code: 'letters.mailbox.leader_length',
          params: { max: LEADER_MAX },
        });
    }
    const active = input.active ?? before?.active ?? true;
    const departmentId = input.departmentId ?? before?.departmentId ?? 0;
    if (active || departmentId !== before?.departmentId) {
      const d = departmentId > 0 ? await ports.department(tenantId, departmentId, ex) : undefined;
      if (!d?.active) problems.push({ field: 'departmentId', code: 'letters.mailbox.department_required' });
    }
    let sort = before?.sort ?? 0;
    if (input.sort !== undefined && input.sort !== null) {
      if (!Number.isInteger(input.sort) || input.sort < 0 || input.sort > SORT_MAX)
        problems.push({ field: 'sort', code: 'letters.mailbox.sort_invalid', params: { max: SORT_MAX } });
      else sort = input.sort;
    } else if (!before) sort = Math.min(SORT_MAX, (await lastSort(ex, tenantId)) + 1);
    if (problems.length) throw invalidFields(problems);
    if (await store.nameTaken(ex, tenantId, name, before?.id)) throw taken(name);
    return { name, leader, departmentId, sort, active };
  }

  const lastSort = async (ex: Executor, tenantId: string) =>
    Math.max(-1, ...(await store.mailboxes(ex, tenantId, false)).map((m) => m.sort));

  const taken = (name: string) =>
    conflict('letters.mailbox.name_taken', { name }, [
      { field: 'name', code: 'letters.mailbox.name_taken', params: { name } },
    ]);

  /** Two administrators giving the same name at once: the unique key decides, the loser is told so. */
  async function guarded<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isUniqueViolation(e)) throw taken(name ?? '');
      throw e;
    }
  }

  return {
    /** The site's active mailboxes, in order: what writers choose from. */
    active(tenantId: string): Promise<Mailbox[]> {
      const hit = cache.get(tenantId);
      if (hit && Date.now() - hit.at < MAILBOX_CACHE_MS) return hit.list;
      const list = store.mailboxes(db.kysely, tenantId);
      cache.set(tenantId, { at: Date.now(), list });
      list.catch(() => cache.delete(tenantId));
      return list;
    },

    /** Every mailbox of the site, inactive ones too, for its administrator. */
    async list(ctx: AuditContext): Promise<ManagedMailbox[]> {
      authorized(ctx);
      const all = await store.mailboxes(db.kysely, ctx.tenantId, false);
      return Promise.all(all.map((m) => managed(ctx.tenantId, m)));
    },

    async get(ctx: AuditContext, id: number): Promise<ManagedMailbox> {
      authorized(ctx);
      const m = Number.isSafeInteger(id) ? await store.findMailbox(db.kysely, ctx.tenantId, id) : undefined;
      if (!m) throw hidden();
      return managed(ctx.tenantId, m);
    },

    async create(ctx: AuditContext, input: MailboxInput): Promise<ManagedMailbox> {
      authorized(ctx);
      const m = await guarded(input.name, () =>
        db.kysely.transaction().execute(async (tx) => {
          const fields = await checked(tx, ctx.tenantId, input);
          const made = await store.insertMailbox(tx, ctx.tenantId, fields);
          await appendAudit(tx, ctx, {
            action: 'letters.mailbox_created',
            objectType: 'mailbox',
            objectId: String(made.id),
            detail: { name: made.name, department: made.departmentId, active: made.active },
          });
          return made;
        }),
      );
      cache.delete(ctx.tenantId);
      return managed(ctx.tenantId, m);
    },

    /**
     * Changes what `input` names. Taking a mailbox out of service (active false) or back is audited
     * as such; anything else as a change, with the fields that changed.
     */
    async update(ctx: AuditContext, id: number, input: MailboxInput): Promise<ManagedMailbox> {
      authorized(ctx);
      const m = await guarded(input.name, () =>
        db.kysely.transaction().execute(async (tx) => {
          const before = Number.isSafeInteger(id)
            ? await store.findMailbox(tx, ctx.tenantId, id, true)
            : undefined;
          if (!before) throw hidden();
          const fields = await checked(tx, ctx.tenantId, input, before);
          const changed = (Object.keys(fields) as (keyof MailboxFields)[]).filter(
            (k) => fields[k] !== before[k],
          );
          if (changed.length === 0) return before;
          const after = (await store.updateMailbox(tx, ctx.tenantId, id, fields))!;
          const flipped = changed.includes('active');
          await appendAudit(tx, ctx, {
            action: flipped
              ? after.active
                ? 'letters.mailbox_reactivated'
                : 'letters.mailbox_deactivated'
              : 'letters.mailbox_changed',
            objectType: 'mailbox',
            objectId: String(id),
            detail: {
              name: after.name,
              changed,
              ...(changed.includes('departmentId')
                ? { department: { from: before.departmentId, to: after.departmentId } }
                : {}),
            },
          });
          return after;
        }),
      );
      cache.delete(ctx.tenantId);
      return managed(ctx.tenantId, m);
    },

    /** Seeds a site's mailboxes (the demo's) into a site that has none: an administrator's edits stay. */
    async seed(tenantId: string, list: { name: string; leader: string; departmentId: number }[]) {
      await db.kysely.transaction().execute(async (tx) => {
        if ((await store.countMailboxes(tx, tenantId)) > 0) return;
        for (const [i, m] of list.entries())
          await store.insertMailboxIfAbsent(tx, tenantId, { ...m, sort: i, active: true });
      });
      cache.delete(tenantId);
    },
  };
}

export type MailboxService = ReturnType<typeof createMailboxService>;
