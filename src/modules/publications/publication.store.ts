/** SQL of the disclosure catalogue, publications and their attachments, one function per question. */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../kernel/db/index.ts';
import {
  DEFAULT_CATEGORIES,
  type Attachment,
  type Category,
  type CategoryKind,
  type Publication,
  type PublicationStatus,
  type Validity,
} from './catalogue.ts';

const iso = (d: Date | string) => new Date(d).toISOString();
const day = (d: Date | string | null) =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// Categories and settings

export async function listCategories(ex: Executor, tenantId: string): Promise<Category[]> {
  const rows = await ex
    .selectFrom('publications.category')
    .select(['code', 'name', 'parent_code', 'kind', 'position', 'active'])
    .where('tenant_id', '=', tenantId)
    .orderBy('position')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    parentCode: r.parent_code,
    kind: r.kind as CategoryKind,
    position: Number(r.position),
    active: r.active,
  }));
}

/** The default catalogue, for a site that has none yet; categories it has are left as they are. */
export async function insertDefaultCategories(ex: Executor, tenantId: string): Promise<void> {
  await ex
    .insertInto('publications.category')
    .values(
      DEFAULT_CATEGORIES.map((c, i) => ({
        tenant_id: tenantId,
        code: c.code,
        name: c.name,
        parent_code: c.parentCode,
        kind: c.kind,
        position: (i + 1) * 10,
      })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'code']).doNothing())
    .execute();
}

export async function saveCategory(ex: Executor, tenantId: string, c: Category): Promise<void> {
  await ex
    .insertInto('publications.category')
    .values({
      tenant_id: tenantId,
      code: c.code,
      name: c.name,
      parent_code: c.parentCode,
      kind: c.kind,
      position: c.position,
      active: c.active,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'code']).doUpdateSet({
        name: c.name,
        parent_code: c.parentCode,
        kind: c.kind,
        position: c.position,
        active: c.active,
      }),
    )
    .execute();
}

export async function indexPattern(ex: Executor, tenantId: string): Promise<string | undefined> {
  const r = await ex
    .selectFrom('publications.setting')
    .select('index_pattern')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return r?.index_pattern;
}

export async function setIndexPattern(ex: Executor, tenantId: string, pattern: string): Promise<void> {
  await ex
    .insertInto('publications.setting')
    .values({ tenant_id: tenantId, index_pattern: pattern })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ index_pattern: pattern }))
    .execute();
}

/** The next sequence number of an index-number prefix; the row stays locked until the caller commits. */
export async function nextSequence(ex: Executor, tenantId: string, prefix: string): Promise<number> {
  const r = await ex
    .insertInto('publications.index_counter')
    .values({ tenant_id: tenantId, prefix, last: 1 })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'prefix']).doUpdateSet({ last: sql`publications.index_counter.last + 1` }),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return Number(r.last);
}

// ---------------------------------------------------------------------------------------------
// Publications

const columns = [
  'p.id',
  'p.category_code',
  'c.name as category_name',
  'p.title',
  'p.index_number',
  'p.department_id',
  'p.division_code',
  'p.issuing_body',
  'p.written_on',
  'p.doc_number',
  'p.subject',
  'p.validity',
  'p.replaced_by',
  'r.title as replaced_by_title',
  'p.body_html',
  'p.status',
  'p.publish_at',
  'p.review_case',
  'p.review_note',
  'p.withdrawn_at',
  'p.withdrawal_reason',
  'p.created_at',
  'p.updated_at',
] as const;

type Row = {
  id: number | string;
  category_code: string;
  category_name: string;
  title: string;
  index_number: string | null;
  department_id: number | string;
  division_code: string;
  issuing_body: string;
  written_on: Date | string | null;
  doc_number: string;
  subject: string;
  validity: string;
  replaced_by: number | string | null;
  replaced_by_title: string | null;
  body_html: string;
  status: string;
  publish_at: Date | string | null;
  review_case: string | null;
  review_note: string;
  withdrawn_at: Date | string | null;
  withdrawal_reason: string;
  created_at: Date | string;
  updated_at: Date | string;
};

function toPublication(r: Row, attachments: Attachment[]): Publication {
  return {
    id: Number(r.id),
    categoryCode: r.category_code,
    categoryName: r.category_name,
    title: r.title,
    indexNumber: r.index_number,
    departmentId: Number(r.department_id),
    divisionCode: r.division_code,
    issuingBody: r.issuing_body,
    writtenOn: day(r.written_on),
    docNumber: r.doc_number,
    subject: r.subject,
    validity: r.validity as Validity,
    replacedBy:
      r.replaced_by === null ? null : { id: Number(r.replaced_by), title: r.replaced_by_title ?? '' },
    bodyHtml: r.body_html,
    status: r.status as PublicationStatus,
    publishAt: r.publish_at === null ? null : iso(r.publish_at),
    reviewCase: r.review_case,
    reviewNote: r.review_note,
    withdrawnAt: r.withdrawn_at === null ? null : iso(r.withdrawn_at),
    withdrawalReason: r.withdrawal_reason,
    attachments,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

const selectPublications = (ex: Executor, tenantId: string) =>
  ex
    .selectFrom('publications.publication as p')
    .innerJoin('publications.category as c', (j) =>
      j.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.code', '=', 'p.category_code'),
    )
    .leftJoin('publications.publication as r', (j) =>
      j.onRef('r.tenant_id', '=', 'p.tenant_id').onRef('r.id', '=', 'p.replaced_by'),
    )
    .where('p.tenant_id', '=', tenantId);

export async function findPublication(
  ex: Executor,
  tenantId: string,
  id: number,
  lock = false,
): Promise<Publication | undefined> {
  let q = selectPublications(ex, tenantId).select(columns).where('p.id', '=', id);
  if (lock) q = q.forUpdate(['p']);
  const r = await q.executeTakeFirst();
  return r && toPublication(r as Row, await attachmentsOf(ex, tenantId, id));
}

/** The columns a publisher's save writes (the search text with them). */
export interface Written {
  categoryCode: string;
  title: string;
  indexNumber: string | null;
  issuingBody: string;
  writtenOn: string | null;
  docNumber: string;
  subject: string;
  bodyHtml: string;
  bodyText: string;
  publishAt: string | null;
  searchVector: Expression<string>;
}

const writtenColumns = (w: Written) => ({
  category_code: w.categoryCode,
  title: w.title,
  index_number: w.indexNumber,
  issuing_body: w.issuingBody,
  written_on: w.writtenOn,
  doc_number: w.docNumber,
  subject: w.subject,
  body_html: w.bodyHtml,
  body_text: w.bodyText,
  publish_at: w.publishAt === null ? null : new Date(w.publishAt),
  search_vector: w.searchVector,
});

export async function insertPublication(
  ex: Executor,
  tenantId: string,
  w: Written & { departmentId: number; divisionCode: string; createdBy: number },
): Promise<number> {
  const r = await ex
    .insertInto('publications.publication')
    .values({
      tenant_id: tenantId,
      ...writtenColumns(w),
      department_id: w.departmentId,
      division_code: w.divisionCode,
      created_by: w.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updatePublication(ex: Executor, tenantId: string, id: number, w: Written) {
  await ex
    .updateTable('publications.publication')
    .set({ ...writtenColumns(w), updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function setSearchVector(ex: Executor, tenantId: string, id: number, v: Expression<string>) {
  await ex
    .updateTable('publications.publication')
    .set({ search_vector: v })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Moves a publication on; `from` guards against a change made meanwhile (0 rows: it had moved). */
export async function setStatus(
  ex: Executor,
  tenantId: string,
  id: number,
  from: PublicationStatus,
  to: {
    status: PublicationStatus;
    reviewCase?: string | null;
    reviewNote?: string;
    indexNumber?: string;
    publishAt?: string;
    withdrawalReason?: string;
  },
): Promise<number> {
  const r = await ex
    .updateTable('publications.publication')
    .set({
      status: to.status,
      updated_at: sql`now()`,
      ...(to.reviewCase !== undefined ? { review_case: to.reviewCase } : {}),
      ...(to.reviewNote !== undefined ? { review_note: to.reviewNote } : {}),
      ...(to.indexNumber !== undefined ? { index_number: to.indexNumber } : {}),
      ...(to.publishAt !== undefined ? { publish_at: new Date(to.publishAt) } : {}),
      ...(to.withdrawalReason !== undefined
        ? { withdrawal_reason: to.withdrawalReason, withdrawn_at: sql`now()` }
        : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function setValidity(
  ex: Executor,
  tenantId: string,
  id: number,
  validity: Validity,
  replacedBy: number | null,
) {
  await ex
    .updateTable('publications.publication')
    .set({ validity, replaced_by: replacedBy, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function indexNumberTaken(ex: Executor, tenantId: string, indexNumber: string, except: number) {
  const r = await ex
    .selectFrom('publications.publication')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('index_number', '=', indexNumber)
    .where('id', '<>', except)
    .executeTakeFirst();
  return r !== undefined;
}

export async function titleTaken(ex: Executor, tenantId: string, title: string) {
  const r = await ex
    .selectFrom('publications.publication')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('title', '=', title)
    .executeTakeFirst();
  return r !== undefined;
}

export interface ListFilter {
  /** public only: published and due */
  public?: boolean;
  departmentIds?: readonly number[];
  status?: PublicationStatus;
  categoryCodes?: readonly string[];
  issuingBody?: string;
  validity?: Validity;
  /** publication date range, inclusive (YYYY-MM-DD, China time) */
  from?: string;
  to?: string;
  matches?: Expression<SqlBool>;
}

/**
 * Past this many rows a list's total is not counted on: `total` is then this bound and `totalExact`
 * false ("more than"). Counting every row of a million-row site for a page of 20 is what made the
 * column pages slow (count(*) over () read every row); up to the bound the count is an index-only
 * scan of the public lists' indexes (migration 0022).
 */
export const COUNT_BOUND = 10_000;

function filtered(ex: Executor, tenantId: string, filter: ListFilter) {
  let q = selectPublications(ex, tenantId);
  if (filter.public) q = q.where('p.status', '=', 'published').where('p.publish_at', '<=', sql<Date>`now()`);
  if (filter.status) q = q.where('p.status', '=', filter.status);
  if (filter.departmentIds) q = q.where('p.department_id', 'in', [...filter.departmentIds, -1]);
  // One category is an equality, so its index (0022) gives the rows newest first; several (a parent
  // and its children) are an IN list ('' keeps it valid when empty).
  if (filter.categoryCodes?.length === 1) q = q.where('p.category_code', '=', filter.categoryCodes[0]!);
  else if (filter.categoryCodes) q = q.where('p.category_code', 'in', [...filter.categoryCodes, '']);
  if (filter.issuingBody) q = q.where('p.issuing_body', '=', filter.issuingBody);
  if (filter.validity) q = q.where('p.validity', '=', filter.validity);
  if (filter.from)
    q = q.where(
      'p.publish_at',
      '>=',
      sql<Date>`(${filter.from}::date)::timestamp at time zone 'Asia/Shanghai'`,
    );
  if (filter.to)
    q = q.where(
      'p.publish_at',
      '<',
      sql<Date>`((${filter.to}::date + 1)::timestamp at time zone 'Asia/Shanghai')`,
    );
  if (filter.matches) q = q.where(filter.matches);
  return q;
}

export async function listPublications(
  ex: Executor,
  tenantId: string,
  filter: ListFilter,
  page: { limit: number; offset: number; orderBy?: Expression<number> },
): Promise<{ items: (Publication & { bodyText: string })[]; total: number; totalExact: boolean }> {
  let rowsQ = filtered(ex, tenantId, filter).select([...columns, 'p.body_text']);
  if (page.orderBy) rowsQ = rowsQ.orderBy(page.orderBy, 'desc');
  // A public row always has publish_at: ordering by it (not the coalesce) lets the index give the order.
  rowsQ = filter.public
    ? rowsQ.orderBy('p.publish_at', 'desc')
    : rowsQ.orderBy(sql`coalesce(p.publish_at, p.updated_at)`, 'desc');
  const rows = await rowsQ.orderBy('p.id', 'desc').limit(page.limit).offset(page.offset).execute();
  const items = rows.map((r) => ({ ...toPublication(r as unknown as Row, []), bodyText: r.body_text }));
  // A short page that starts at the first row holds them all; otherwise count, up to the bound.
  if (page.offset === 0 && rows.length < page.limit) return { items, total: rows.length, totalExact: true };
  const counted = await ex
    .selectFrom(
      filtered(ex, tenantId, filter)
        .select('p.id')
        .limit(COUNT_BOUND + 1)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(counted.n);
  return n > COUNT_BOUND
    ? { items, total: COUNT_BOUND, totalExact: false }
    : { items, total: n, totalExact: true };
}

/**
 * The index expression of migration 0022: the search text and, for a published row, lexemes of its
 * category ('#c<code>') and publication day, month and year ('#d20260315', '#m202603', '#y2026', China
 * time). A search must use exactly this expression for the index to serve it.
 */
const searchDocument = sql`publications.search_document(p.search_vector, p.category_code, p.status, p.publish_at)`;

/**
 * Public publications whose search document matches `tsquery` (tsquery input text, already holding any
 * category and time-slice lexemes), published in [from, before): ids and publication times, unordered
 * (the caller sorts what is a bounded number of rows; asking the database to order them would invite a
 * plan that walks the date index and reads every row's vector).
 */
export async function publicMatches(
  ex: Executor,
  tenantId: string,
  filter: Pick<ListFilter, 'issuingBody' | 'validity'>,
  tsquery: string,
  range: { from: Date | null; before: Date },
): Promise<{ id: number; publishAt: number }[]> {
  let q = ex
    .selectFrom('publications.publication as p')
    .select(['p.id', 'p.publish_at'])
    .where('p.tenant_id', '=', tenantId)
    .where('p.status', '=', 'published')
    .where(sql<SqlBool>`${searchDocument} @@ ${tsquery}::tsquery`)
    // The bounds are written so that no date index can serve them (`is true`): the slice's lexemes
    // already narrow the lookup to about the slice, and ANDing a bitmap of every row in the slice's
    // dates, which the planner otherwise likes to do, costs more than it saves (a 64,000-row slice:
    // +18 ms for nothing).
    .where(sql<SqlBool>`(p.publish_at <= now() and p.publish_at < ${range.before}) is true`);
  if (range.from) q = q.where(sql<SqlBool>`(p.publish_at >= ${range.from}) is true`);
  if (filter.issuingBody) q = q.where('p.issuing_body', '=', filter.issuingBody);
  if (filter.validity) q = q.where('p.validity', '=', filter.validity);
  const rows = await q.execute();
  return rows.map((r) => ({ id: Number(r.id), publishAt: new Date(r.publish_at!).getTime() }));
}

/**
 * For the rest of the transaction: no JIT compilation, no parallel workers. A search's slice lookups
 * read a bounded few hundred rows, but the planner estimates "a word AND one of these days" by
 * multiplying frequencies it can only guess for rare lexemes, far too high (76,767 rows for 418 read),
 * and at that estimate it compiles the query and starts workers: 30–60 ms to read 400 rows.
 */
export async function boundedReads(tx: Executor): Promise<void> {
  await sql`select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`.execute(
    tx,
  );
}

/**
 * When the n-th newest public publication published in [from, before) was published, or null when
 * there are fewer: the bound of a search's time slice, read from the public date index alone.
 */
export async function nthNewestPublic(
  ex: Executor,
  tenantId: string,
  n: number,
  range: { from: Date | null; before: Date },
): Promise<Date | null> {
  let q = ex
    .selectFrom('publications.publication')
    .select('publish_at')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'published')
    .where('publish_at', '<=', sql<Date>`now()`)
    .where('publish_at', '<', range.before);
  if (range.from) q = q.where('publish_at', '>=', range.from);
  const r = await q
    .orderBy('publish_at', 'desc')
    .orderBy('id', 'desc')
    .offset(n - 1)
    .limit(1)
    .executeTakeFirst();
  return r?.publish_at ? new Date(r.publish_at) : null;
}

/** The public publications of `ids`, ordered by `orderBy` (then newest first), one page of them. */
export async function publicationsByIds(
  ex: Executor,
  tenantId: string,
  ids: readonly number[],
  page: { limit: number; offset: number; orderBy: Expression<number> },
): Promise<(Publication & { bodyText: string })[]> {
  if (ids.length === 0) return [];
  const rows = await selectPublications(ex, tenantId)
    .select([...columns, 'p.body_text'])
    .where('p.id', '=', sql<number>`any(${[...ids]}::bigint[])`)
    .where('p.status', '=', 'published')
    .orderBy(page.orderBy, 'desc')
    .orderBy('p.publish_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((r) => ({ ...toPublication(r as unknown as Row, []), bodyText: r.body_text }));
}

/** Public publications changed since, newest first: feeds and the sitemap. */
export async function publicSince(
  ex: Executor,
  tenantId: string,
  options: { categoryCodes?: readonly string[]; limit: number },
) {
  let q = ex
    .selectFrom('publications.publication')
    .select(['id', 'title', 'category_code', 'issuing_body', 'publish_at', 'updated_at', 'body_text'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'published')
    .where('publish_at', '<=', sql<Date>`now()`);
  if (options.categoryCodes) q = q.where('category_code', 'in', [...options.categoryCodes, '']);
  const rows = await q.orderBy('publish_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    categoryCode: r.category_code,
    issuingBody: r.issuing_body,
    publishAt: iso(r.publish_at!),
    updatedAt: iso(r.updated_at),
    bodyText: r.body_text,
  }));
}

// ---------------------------------------------------------------------------------------------
// Attachments

export async function attachmentsOf(ex: Executor, tenantId: string, publicationId: number) {
  const rows = await ex
    .selectFrom('publications.attachment')
    .select(['position', 'digest', 'file_name', 'media_type', 'size'])
    .where('tenant_id', '=', tenantId)
    .where('publication_id', '=', publicationId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    position: Number(r.position),
    digest: r.digest,
    fileName: r.file_name,
    mediaType: r.media_type,
    size: Number(r.size),
  }));
}

export async function attachmentTexts(ex: Executor, tenantId: string, publicationId: number) {
  const rows = await ex
    .selectFrom('publications.attachment')
    .select('text')
    .where('tenant_id', '=', tenantId)
    .where('publication_id', '=', publicationId)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.text);
}

export async function addAttachment(
  ex: Executor,
  tenantId: string,
  publicationId: number,
  a: Omit<Attachment, 'position'> & { text: string },
): Promise<number> {
  const r = await ex
    .insertInto('publications.attachment')
    .values((eb) => ({
      tenant_id: tenantId,
      publication_id: publicationId,
      position: eb
        .selectFrom('publications.attachment')
        .select(sql<number>`coalesce(max(position), 0) + 1`.as('next'))
        .where('tenant_id', '=', tenantId)
        .where('publication_id', '=', publicationId),
      digest: a.digest,
      file_name: a.fileName,
      media_type: a.mediaType,
      size: a.size,
      text: a.text,
    }))
    .returning('position')
    .executeTakeFirstOrThrow();
  return Number(r.position);
}

export async function removeAttachment(
  ex: Executor,
  tenantId: string,
  publicationId: number,
  position: number,
) {
  const r = await ex
    .deleteFrom('publications.attachment')
    .where('tenant_id', '=', tenantId)
    .where('publication_id', '=', publicationId)
    .where('position', '=', position)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
