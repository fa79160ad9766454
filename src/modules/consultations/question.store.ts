/** SQL of questions (consultations.question), one function per question asked of the table. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';

export interface Question {
  id: number;
  publicId: string;
  item: { code: string; name: string };
  department: { id: number; name: string; divisionCode: string };
  asker: { accountId: number; kind: 'person' | 'enterprise'; name: string };
  question: string;
  caseNumber: string;
  askedAt: string;
  consultDays: number;
  /** the China date by whose end the item promises an answer */
  dueOn: string;
  status: 'open' | 'answered';
  answer: string | null;
  answeredAt: string | null;
  answeredBy: { accountId: number | null; name: string } | null;
  public: boolean;
}

const columns = [
  'id',
  'public_id',
  'item_code',
  'item_name',
  'department_id',
  'department_name',
  'division_code',
  'asker_account_id',
  'asker_kind',
  'asker_name',
  'question',
  'case_number',
  'asked_at',
  'consult_days',
  // as text: a date is a day, and the drivers would make it an instant
  sql<string>`due_on::text`.as('due_on'),
  'status',
  'answer',
  'answered_at',
  'answered_by_account_id',
  'answered_by_name',
  'public',
] as const;

type Row = {
  id: number;
  public_id: string;
  item_code: string;
  item_name: string;
  department_id: number;
  department_name: string;
  division_code: string;
  asker_account_id: number;
  asker_kind: string;
  asker_name: string;
  question: string;
  case_number: string;
  asked_at: Date | string;
  consult_days: number;
  due_on: string;
  status: string;
  answer: string | null;
  answered_at: Date | string | null;
  answered_by_account_id: number | null;
  answered_by_name: string | null;
  public: boolean;
};

const iso = (d: Date | string) => new Date(d).toISOString();

function toQuestion(r: Row): Question {
  return {
    id: Number(r.id),
    publicId: r.public_id,
    item: { code: r.item_code, name: r.item_name },
    department: { id: Number(r.department_id), name: r.department_name, divisionCode: r.division_code },
    asker: {
      accountId: Number(r.asker_account_id),
      kind: r.asker_kind as 'person' | 'enterprise',
      name: r.asker_name,
    },
    question: r.question,
    caseNumber: r.case_number,
    askedAt: iso(r.asked_at),
    consultDays: r.consult_days,
    dueOn: r.due_on,
    status: r.status as Question['status'],
    answer: r.answer,
    answeredAt: r.answered_at === null ? null : iso(r.answered_at),
    answeredBy:
      r.answered_at === null
        ? null
        : {
            accountId: r.answered_by_account_id === null ? null : Number(r.answered_by_account_id),
            name: r.answered_by_name ?? '',
          },
    public: r.public,
  };
}

export interface NewQuestion {
  publicId: string;
  item: { code: string; name: string };
  department: { id: number; name: string; divisionCode: string };
  asker: { accountId: number; kind: 'person' | 'enterprise'; name: string };
  question: string;
  caseNumber: string;
  askedAt: Date;
  consultDays: number;
  dueOn: string;
}

export async function insertQuestion(ex: Executor, tenantId: string, q: NewQuestion): Promise<Question> {
  const row = await ex
    .insertInto('consultations.question')
    .values({
      tenant_id: tenantId,
      public_id: q.publicId,
      item_code: q.item.code,
      item_name: q.item.name,
      department_id: q.department.id,
      department_name: q.department.name,
      division_code: q.department.divisionCode,
      asker_account_id: q.asker.accountId,
      asker_kind: q.asker.kind,
      asker_name: q.asker.name,
      question: q.question,
      case_number: q.caseNumber,
      asked_at: q.askedAt,
      consult_days: q.consultDays,
      due_on: q.dueOn,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toQuestion(row as Row);
}

export async function findQuestion(ex: Executor, tenantId: string, publicId: string) {
  const row = await ex
    .selectFrom('consultations.question')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('public_id', '=', publicId)
    .executeTakeFirst();
  return row && toQuestion(row as Row);
}

/** Records the answer the case closed with; undefined when the case is no question's. */
export async function recordAnswer(
  ex: Executor,
  tenantId: string,
  caseNumber: string,
  answer: { text: string; public: boolean; at: Date; by: { accountId: number | null; name: string } },
) {
  const row = await ex
    .updateTable('consultations.question')
    .set({
      status: 'answered',
      answer: answer.text,
      public: answer.public,
      answered_at: answer.at,
      answered_by_account_id: answer.by.accountId,
      answered_by_name: answer.by.name,
    })
    .where('tenant_id', '=', tenantId)
    .where('case_number', '=', caseNumber)
    .returning(columns)
    .executeTakeFirst();
  return row && toQuestion(row as Row);
}

const PAGE_MAX = 100;

/** An asker's questions, newest first. */
export async function questionsOf(ex: Executor, tenantId: string, accountId: number) {
  const rows = await ex
    .selectFrom('consultations.question')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('asker_account_id', '=', accountId)
    .orderBy('asked_at', 'desc')
    .limit(PAGE_MAX)
    .execute();
  return rows.map((r) => toQuestion(r as Row));
}

/** How many of an asker's questions wait for an answer. */
export async function openCountOf(ex: Executor, tenantId: string, accountId: number): Promise<number> {
  const r = await ex
    .selectFrom('consultations.question')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('asker_account_id', '=', accountId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A department's questions: the open ones by due date (the most urgent first), or the answered, newest first. */
export async function questionsOfDepartment(
  ex: Executor,
  tenantId: string,
  departmentId: number,
  status: 'open' | 'answered',
  page: { limit: number; offset: number },
) {
  const rows = await ex
    .selectFrom('consultations.question')
    .select([...columns, sql<number>`count(*) over ()`.as('total')])
    .where('tenant_id', '=', tenantId)
    .where('department_id', '=', departmentId)
    .where('status', '=', status)
    .orderBy(status === 'open' ? 'due_on' : 'answered_at', status === 'open' ? 'asc' : 'desc')
    .orderBy('id', status === 'open' ? 'asc' : 'desc')
    .limit(Math.min(page.limit, PAGE_MAX))
    .offset(page.offset)
    .execute();
  return { items: rows.map((r) => toQuestion(r as Row)), total: Number(rows[0]?.total ?? 0) };
}

/** An item's questions answered in public, newest answer first. */
export async function publicQuestions(
  ex: Executor,
  tenantId: string,
  itemCode: string,
  page: { limit: number; offset: number },
) {
  const rows = await ex
    .selectFrom('consultations.question')
    .select([...columns, sql<number>`count(*) over ()`.as('total')])
    .where('tenant_id', '=', tenantId)
    .where('item_code', '=', itemCode)
    .where('public', '=', true)
    .orderBy('answered_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(page.limit, PAGE_MAX))
    .offset(page.offset)
    .execute();
  return { items: rows.map((r) => toQuestion(r as Row)), total: Number(rows[0]?.total ?? 0) };
}
