/** SQL of a site's leaders' mailboxes (letters.mailbox), one function per question. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

export interface Mailbox {
  id: number;
  name: string;
  leader: string;
  /** the department that answers its letters */
  departmentId: number;
  sort: number;
  /** an inactive mailbox is not offered to writers; its letters run on */
  active: boolean;
}

export type MailboxFields = Omit<Mailbox, 'id'>;

const columns = ['id', 'name', 'leader', 'department_id', 'sort', 'active'] as const;

const toMailbox = (r: {
  id: number | string;
  name: string;
  leader: string;
  department_id: number | string;
  sort: number;
  active: boolean;
}): Mailbox => ({
  id: Number(r.id),
  name: r.name,
  leader: r.leader,
  departmentId: Number(r.department_id),
  sort: r.sort,
  active: r.active,
});

const valuesOf = (m: Partial<MailboxFields>) => ({
  ...(m.name !== undefined ? { name: m.name } : {}),
  ...(m.leader !== undefined ? { leader: m.leader } : {}),
  ...(m.departmentId !== undefined ? { department_id: m.departmentId } : {}),
  ...(m.sort !== undefined ? { sort: m.sort } : {}),
  ...(m.active !== undefined ? { active: m.active } : {}),
});

/** The site's mailboxes in their order (sort, then age); the active ones only unless told. */
export async function mailboxes(ex: Executor, tenantId: string, activeOnly = true): Promise<Mailbox[]> {
  let q = ex.selectFrom('letters.mailbox').select(columns).where('tenant_id', '=', tenantId);
  if (activeOnly) q = q.where('active', '=', true);
  return (await q.orderBy('sort').orderBy('id').execute()).map(toMailbox);
}

export async function findMailbox(
  ex: Executor,
  tenantId: string,
  id: number,
  lock = false,
): Promise<Mailbox | undefined> {
  let q = ex
    .selectFrom('letters.mailbox')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toMailbox(row);
}

/** Another mailbox of the site already called `name` (names are unique per site, active or not). */
export async function nameTaken(ex: Executor, tenantId: string, name: string, except?: number) {
  let q = ex
    .selectFrom('letters.mailbox')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name);
  if (except !== undefined) q = q.where('id', '<>', except);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertMailbox(ex: Executor, tenantId: string, m: MailboxFields): Promise<Mailbox> {
  const row = await ex
    .insertInto('letters.mailbox')
    .values({ tenant_id: tenantId, ...valuesOf(m), name: m.name, department_id: m.departmentId })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toMailbox(row);
}

/** The same, unless the site has one of that name (seeding, which two nodes may run at once). */
export async function insertMailboxIfAbsent(ex: Executor, tenantId: string, m: MailboxFields): Promise<void> {
  await ex
    .insertInto('letters.mailbox')
    .values({ tenant_id: tenantId, ...valuesOf(m), name: m.name, department_id: m.departmentId })
    .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
    .execute();
}

export async function updateMailbox(
  ex: Executor,
  tenantId: string,
  id: number,
  m: Partial<MailboxFields>,
): Promise<Mailbox | undefined> {
  const row = await ex
    .updateTable('letters.mailbox')
    .set(valuesOf(m))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
  return row && toMailbox(row);
}

/** How many mailboxes the site has, active or not (the demo seeds only into a site with none). */
export async function countMailboxes(ex: Executor, tenantId: string): Promise<number> {
  const r = await ex
    .selectFrom('letters.mailbox')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
