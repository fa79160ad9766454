/**
 * Use-cases of active disclosure: a publisher drafts a publication in their department's name, with a
 * sanitised body and attachments; submitting it opens a review case on the site's review process (the
 * workflow engine) in that department; the approving transaction publishes it — an index number
 * (索引号) given if none was typed, and it goes public at once or at the time the publisher asked for;
 * a return sends it back to draft with the reviewer's words. The department's head withdraws a
 * published one with a reason (the page then says so), and its validity (有效/失效/废止) changes with
 * the document that replaced it linked.
 *
 * Who sees what: the public, what is public (published and due); staff who write or review
 * publications, their department's, whatever the status. Anyone else asking for an unpublished one
 * gets 404, as for an id that does not exist.
 */
import { sql } from 'kysely';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import type { BlobStore, UploadedFile } from '../../kernel/files/index.ts';
import { htmlToText, sanitizeRichText, type Removal } from '../../kernel/html/index.ts';
import { chinaToday } from '../../kernel/identifiers/index.ts';
import { pdfText } from '../../kernel/pdf/index.ts';
import { authorizeActing, type Actor } from '../../kernel/policy/index.ts';
import type { IndexField, Segmenter } from '../../kernel/search/index.ts';
import type { CaseService, CaseView } from '../workflow/index.ts';
import {
  checkIndexPattern,
  checkInput,
  DEFAULT_INDEX_PATTERN,
  formatIndexNumber,
  indexParts,
  isPublic,
  organisationCode,
  VALIDITIES,
  type Category,
  type Publication,
  type PublicationInput,
  type Validity,
} from './catalogue.ts';
import type { DemoPublication } from './demo-publications.ts';
import * as store from './publication.store.ts';

export interface PublicationDepartment {
  id: number;
  name: string;
  divisionCode: string;
  creditCode: string | null;
  active: boolean;
}

export interface PublicationPorts {
  /** read with the caller's executor (inside a transaction on PGlite a query beside it waits forever) */
  department(tenantId: string, id: number, ex: Executor): Promise<PublicationDepartment | undefined>;
  cases: Pick<CaseService, 'create' | 'onClosed'>;
  /** the process a publication's review runs on */
  reviewProcess: string;
  segmenter: Segmenter;
  blobs: Pick<BlobStore, 'open'>;
  now?: () => Date;
}

/** How much of an attachment's text is searched (a 300-page annex need not all be). */
const ATTACHMENT_TEXT_CHARS = 200_000;
const REASON_MAX = 500;

const hidden = (id: number | string) => notFound('publications.not_found', { id: String(id) });

/** Whether the actor writes or reviews publications of this department. */
const ofDepartment = (actor: Actor | null | undefined, departmentId: number) =>
  !!actor &&
  actor.kind === 'staff' &&
  actor.departmentId === departmentId &&
  (actor.permissions.has('publication.write') || actor.permissions.has('publication.review'));

/**
 * The search text's fields: the title weighs most, then its numbers, then the body and the
 * attachments. Exported for bench/publications.ts, which indexes generated rows the same way.
 */
export function searchFields(
  p: { title: string; indexNumber: string | null; docNumber: string; bodyText: string },
  attachmentTexts: string[],
): IndexField[] {
  return [
    { text: p.title, weight: 'A' },
    { text: `${p.docNumber} ${p.indexNumber ?? ''}`, weight: 'B' },
    { text: [p.bodyText, ...attachmentTexts].join('\n'), weight: 'D' },
  ];
}

export function createPublicationService(db: Database, ports: PublicationPorts) {
  const now = () => ports.now?.() ?? new Date();

  function searchVector(
    p: { title: string; indexNumber: string | null; docNumber: string; bodyText: string },
    attachmentTexts: string[],
  ) {
    const text = ports.segmenter.indexText(searchFields(p, attachmentTexts));
    return sql<string>`${text}::tsvector`;
  }

  async function reindex(ex: Executor, tenantId: string, id: number) {
    const p = await store.findPublication(ex, tenantId, id);
    if (!p) return;
    const texts = await store.attachmentTexts(ex, tenantId, id);
    await store.setSearchVector(
      ex,
      tenantId,
      id,
      searchVector({ ...p, bodyText: htmlToText(p.bodyHtml) }, texts),
    );
  }

  async function visible(ctx: AuditContext, id: number, ex: Executor = db.kysely): Promise<Publication> {
    const p =
      Number.isSafeInteger(id) && id > 0 ? await store.findPublication(ex, ctx.tenantId, id) : undefined;
    if (!p) throw hidden(id);
    if (ctx.actor === undefined || ofDepartment(ctx.actor, p.departmentId) || isPublic(p, now())) return p;
    // Withdrawn ones keep their page: it says withdrawn, and why.
    if (p.status === 'withdrawn' && p.publishAt !== null) return p;
    throw hidden(id);
  }

  /** The publication, for the writer of its department, while it may still be edited. */
  async function editable(ctx: AuditContext, ex: Executor, id: number): Promise<Publication> {
    authorizeActing(ctx, 'publication.write');
    const p = await store.findPublication(ex, ctx.tenantId, id, true);
    if (!p || !ofDepartment(ctx.actor, p.departmentId)) throw hidden(id);
    if (p.status !== 'draft') throw conflict('publications.not_draft', { status: p.status });
    return p;
  }

  async function categoryProblems(tenantId: string, code: string): Promise<FieldProblem[]> {
    const c = (await categories(tenantId)).find((x) => x.code === code);
    return c?.active ? [] : [{ field: 'categoryCode', code: 'publications.category_unknown' }];
  }

  /** Writes a draft (new when id is null); the body sanitised, what was removed reported back. */
  async function save(
    ctx: AuditContext,
    id: number | null,
    input: PublicationInput,
  ): Promise<{ publication: Publication; removed: Removal[] }> {
    authorizeActing(ctx, 'publication.write');
    const actor = ctx.actor;
    if (!actor?.departmentId) throw new DomainError('forbidden', 'publications.no_department');
    const problems = [...checkInput(input), ...(await categoryProblems(ctx.tenantId, input.categoryCode))];
    if (problems.length > 0) throw invalidFields(problems);
    // Images may show the site's own attachments (/publications/<id>/files/<n>) or any http(s) one.
    const { html, removed } = sanitizeRichText(input.bodyHtml, { imagePathPrefix: '/publications/' });
    const indexNumber = input.indexNumber.trim() || null;
    const written = (texts: string[], dep: PublicationDepartment) => {
      const fields = {
        categoryCode: input.categoryCode,
        title: input.title.trim(),
        indexNumber,
        issuingBody: input.issuingBody.trim() || dep.name,
        writtenOn: input.writtenOn,
        docNumber: input.docNumber.trim(),
        subject: input.subject.trim(),
        bodyHtml: html,
        bodyText: htmlToText(html),
        publishAt: input.publishAt === null ? null : new Date(input.publishAt).toISOString(),
      };
      return { ...fields, searchVector: searchVector(fields, texts) };
    };
    const savedId = await db.kysely.transaction().execute(async (tx) => {
      if (indexNumber && (await store.indexNumberTaken(tx, ctx.tenantId, indexNumber, id ?? 0)))
        throw conflict('publications.index_number_taken', { indexNumber });
      const dep = await ports.department(ctx.tenantId, actor.departmentId!, tx);
      if (!dep) throw new DomainError('forbidden', 'publications.no_department');
      if (id === null) {
        const newId = await store.insertPublication(tx, ctx.tenantId, {
          ...written([], dep),
          departmentId: dep.id,
          divisionCode: dep.divisionCode,
          createdBy: actor.accountId,
        });
        await appendAudit(tx, ctx, {
          action: 'publications.drafted',
          objectType: 'publication',
          objectId: String(newId),
          detail: { title: input.title.trim(), removed: removed.length },
        });
        return newId;
      }
      await editable(ctx, tx, id);
      const texts = await store.attachmentTexts(tx, ctx.tenantId, id);
      await store.updatePublication(tx, ctx.tenantId, id, written(texts, dep));
      await appendAudit(tx, ctx, {
        action: 'publications.edited',
        objectType: 'publication',
        objectId: String(id),
        detail: { removed: removed.length },
      });
      return id;
    });
    return { publication: (await store.findPublication(db.kysely, ctx.tenantId, savedId))!, removed };
  }

  /** Sends a draft for review: the review case opens in its department, in the same transaction. */
  async function submit(ctx: AuditContext, id: number): Promise<Publication> {
    authorizeActing(ctx, 'publication.write');
    const p = await store.findPublication(db.kysely, ctx.tenantId, id);
    if (!p || !ofDepartment(ctx.actor, p.departmentId)) throw hidden(id);
    if (p.status !== 'draft') throw conflict('publications.not_draft', { status: p.status });
    // The platform opens it (an internal case with no opener), in the publication's department: a
    // publisher need not be a case handler to have their work reviewed.
    await ports.cases.create(
      { ...ctx, actor: undefined },
      {
        definition: ports.reviewProcess,
        title: `${p.title}`.slice(0, 200),
        data: { publication: p.id, title: p.title, category: p.categoryName },
        division: p.divisionCode,
      },
      {
        department: p.departmentId,
        within: async (tx, opened) => {
          const moved = await store.setStatus(tx, ctx.tenantId, id, 'draft', {
            status: 'in_review',
            reviewCase: opened.number,
            reviewNote: '',
          });
          if (moved === 0) throw conflict('publications.not_draft', { status: 'in_review' });
          await appendAudit(tx, ctx, {
            action: 'publications.submitted',
            objectType: 'publication',
            objectId: String(id),
            detail: { case: opened.number },
          });
        },
      },
    );
    return (await store.findPublication(db.kysely, ctx.tenantId, id))!;
  }

  /** The index number a publication gets at approval, from the site's pattern. */
  async function newIndexNumber(tx: Executor, tenantId: string, p: Publication, at: Date): Promise<string> {
    const pattern = (await store.indexPattern(tx, tenantId)) ?? DEFAULT_INDEX_PATTERN;
    const dep = await ports.department(tenantId, p.departmentId, tx);
    const parts = indexParts(pattern, {
      org: organisationCode(dep?.creditCode) || p.divisionCode,
      year: Number(chinaToday(at).slice(0, 4)),
      category: p.categoryCode,
    });
    // A number typed on another publication may already hold the next one: step over it.
    for (;;) {
      const candidate = formatIndexNumber(
        parts,
        await store.nextSequence(tx, tenantId, `${parts.prefix}#${parts.suffix}`),
      );
      if (!(await store.indexNumberTaken(tx, tenantId, candidate, p.id))) return candidate;
    }
  }

  /** The end of a review case: published (at once or when asked), or back to draft with the reason. */
  ports.cases.onClosed(async (tx, ctx, view: CaseView) => {
    if (view.definition.code !== ports.reviewProcess) return;
    const id = Number(view.state.data.publication);
    const p = Number.isSafeInteger(id) ? await store.findPublication(tx, ctx.tenantId, id, true) : undefined;
    if (!p || p.status !== 'in_review' || p.reviewCase !== view.number) return;
    const decided = [...view.events].reverse().find((e) => e.type === 'task.completed');
    const opinion =
      decided?.type === 'task.completed'
        ? String((decided.input as { opinion?: unknown }).opinion ?? '')
        : '';
    const at = now();
    const audit = (action: string, detail: Record<string, unknown>) =>
      'actorId' in ctx
        ? appendAudit(tx, ctx, { action, objectType: 'publication', objectId: String(id), detail })
        : Promise.resolve();
    if (view.state.outcome === 'approved') {
      const indexNumber = p.indexNumber ?? (await newIndexNumber(tx, ctx.tenantId, p, at));
      const publishAt = p.publishAt && new Date(p.publishAt) > at ? p.publishAt : at.toISOString();
      await store.setStatus(tx, ctx.tenantId, id, 'in_review', {
        status: 'published',
        indexNumber,
        publishAt,
      });
      if (indexNumber !== p.indexNumber) await reindex(tx, ctx.tenantId, id);
      await audit('publications.published', { case: view.number, indexNumber, publishAt });
    } else {
      await store.setStatus(tx, ctx.tenantId, id, 'in_review', {
        status: 'draft',
        reviewNote: opinion.slice(0, 2000),
      });
      await audit('publications.returned', { case: view.number });
    }
  });

  async function withdraw(ctx: AuditContext, id: number, reason: string): Promise<Publication> {
    authorizeActing(ctx, 'publication.review');
    const text = reason.trim();
    if (text.length < 2 || text.length > REASON_MAX)
      throw invalidFields([{ field: 'reason', code: 'publications.reason_length' }]);
    await db.kysely.transaction().execute(async (tx) => {
      const p = await store.findPublication(tx, ctx.tenantId, id, true);
      if (!p || !ofDepartment(ctx.actor, p.departmentId)) throw hidden(id);
      if (p.status !== 'published') throw conflict('publications.not_published', { status: p.status });
      await store.setStatus(tx, ctx.tenantId, id, 'published', {
        status: 'withdrawn',
        withdrawalReason: text,
      });
      await appendAudit(tx, ctx, {
        action: 'publications.withdrawn',
        objectType: 'publication',
        objectId: String(id),
        detail: { reason: text },
      });
    });
    return (await store.findPublication(db.kysely, ctx.tenantId, id))!;
  }

  /** 有效/失效/废止; a repealed or expired one may name the publication that replaced it. */
  async function setValidity(
    ctx: AuditContext,
    id: number,
    validity: Validity,
    replacedBy: number | null,
  ): Promise<Publication> {
    authorizeActing(ctx, 'publication.write');
    if (!(VALIDITIES as readonly string[]).includes(validity))
      throw invalidFields([{ field: 'validity', code: 'publications.validity_unknown' }]);
    await db.kysely.transaction().execute(async (tx) => {
      const p = await store.findPublication(tx, ctx.tenantId, id, true);
      if (!p || !ofDepartment(ctx.actor, p.departmentId)) throw hidden(id);
      if (replacedBy !== null) {
        const r = replacedBy === id ? undefined : await store.findPublication(tx, ctx.tenantId, replacedBy);
        if (!r || !isPublic(r, now()) || validity === 'valid')
          throw invalidFields([{ field: 'replacedBy', code: 'publications.replaced_by_invalid' }]);
      }
      await store.setValidity(tx, ctx.tenantId, id, validity, replacedBy);
      await appendAudit(tx, ctx, {
        action: 'publications.validity_changed',
        objectType: 'publication',
        objectId: String(id),
        detail: { validity, replacedBy },
      });
    });
    return (await store.findPublication(db.kysely, ctx.tenantId, id))!;
  }

  /** The readable text of an attachment, for search: plain text and PDF; others have none. */
  async function attachmentText(file: UploadedFile): Promise<string> {
    if (file.mediaType !== 'text/plain' && file.mediaType !== 'application/pdf') return '';
    const chunks: Buffer[] = [];
    for await (const c of await ports.blobs.open(file.digest)) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    if (file.mediaType === 'text/plain') return bytes.toString('utf8').slice(0, ATTACHMENT_TEXT_CHARS);
    // An encrypted or damaged PDF is still published; only its words are not searchable.
    const text = await pdfText(bytes).catch(() => '');
    return text.slice(0, ATTACHMENT_TEXT_CHARS);
  }

  async function addAttachments(ctx: AuditContext, id: number, files: UploadedFile[]): Promise<Publication> {
    if (files.length === 0) throw invalidFields([{ field: 'file', code: 'errors.field_required' }]);
    const texts = await Promise.all(files.map(attachmentText));
    await db.kysely.transaction().execute(async (tx) => {
      await editable(ctx, tx, id);
      for (const [i, f] of files.entries())
        await store.addAttachment(tx, ctx.tenantId, id, {
          digest: f.digest,
          fileName: f.filename.slice(0, 200),
          mediaType: f.mediaType,
          size: f.size,
          text: texts[i]!,
        });
      await reindex(tx, ctx.tenantId, id);
      await appendAudit(tx, ctx, {
        action: 'publications.attached',
        objectType: 'publication',
        objectId: String(id),
        detail: { files: files.map((f) => f.digest) },
      });
    });
    return (await store.findPublication(db.kysely, ctx.tenantId, id))!;
  }

  async function removeAttachment(ctx: AuditContext, id: number, position: number): Promise<Publication> {
    await db.kysely.transaction().execute(async (tx) => {
      await editable(ctx, tx, id);
      if ((await store.removeAttachment(tx, ctx.tenantId, id, position)) === 0)
        throw notFound('publications.attachment_unknown', { position: String(position) });
      await reindex(tx, ctx.tenantId, id);
    });
    return (await store.findPublication(db.kysely, ctx.tenantId, id))!;
  }

  /** The site's categories; a site that has none gets the default catalogue first. */
  async function categories(tenantId: string): Promise<Category[]> {
    const list = await store.listCategories(db.kysely, tenantId);
    if (list.length > 0) return list;
    await store.insertDefaultCategories(db.kysely, tenantId);
    return store.listCategories(db.kysely, tenantId);
  }

  async function setIndexPattern(ctx: AuditContext, pattern: string): Promise<void> {
    authorizeActing(ctx, 'publication.manage');
    const problem = checkIndexPattern(pattern);
    if (problem) throw invalidFields([{ field: 'indexPattern', code: problem }]);
    await db.kysely.transaction().execute(async (tx) => {
      await store.setIndexPattern(tx, ctx.tenantId, pattern);
      await appendAudit(tx, ctx, {
        action: 'publications.index_pattern_set',
        objectType: 'site',
        objectId: ctx.tenantId,
        detail: { pattern },
      });
    });
  }

  /** A department's publications, for its writers and reviewers, newest first. */
  async function ofMyDepartment(ctx: AuditContext, page: { limit: number; offset: number }) {
    authorizeActing(ctx, ['publication.write', 'publication.review']);
    const departmentId = ctx.actor?.departmentId;
    if (!departmentId) return { items: [], total: 0, totalExact: true };
    return store.listPublications(db.kysely, ctx.tenantId, { departmentIds: [departmentId] }, page);
  }

  /**
   * Demo content: each publication written and published as if reviewed (its dates in the past), in
   * the named department; one whose title the site already has is left alone.
   */
  async function seed(
    ctx: AuditContext,
    entries: readonly DemoPublication[],
    departmentId: (name: string) => number | undefined,
  ): Promise<number> {
    await categories(ctx.tenantId);
    let created = 0;
    const day = 86_400_000;
    for (const e of entries) {
      const depId = departmentId(e.department);
      if (depId === undefined) throw new Error(`demo publications: no department named ${e.department}`);
      await db.kysely.transaction().execute(async (tx) => {
        if (await store.titleTaken(tx, ctx.tenantId, e.title)) return;
        const dep = (await ports.department(ctx.tenantId, depId, tx))!;
        const html = sanitizeRichText(e.bodyHtml, { imagePathPrefix: '/publications/' }).html;
        const fields = {
          categoryCode: e.category,
          title: e.title,
          indexNumber: null,
          issuingBody: dep.name,
          writtenOn: chinaToday(new Date(now().getTime() - e.writtenDaysAgo * day)),
          docNumber: e.docNumber,
          subject: e.subject,
          bodyHtml: html,
          bodyText: htmlToText(html),
          publishAt: null,
        };
        const id = await store.insertPublication(tx, ctx.tenantId, {
          ...fields,
          searchVector: searchVector(fields, []),
          departmentId: dep.id,
          divisionCode: dep.divisionCode,
          createdBy: 0,
        });
        const at = new Date(now().getTime() - e.publishedDaysAgo * day);
        const p = (await store.findPublication(tx, ctx.tenantId, id))!;
        const indexNumber = await newIndexNumber(tx, ctx.tenantId, p, at);
        await store.setStatus(tx, ctx.tenantId, id, 'draft', {
          status: 'published',
          indexNumber,
          publishAt: at.toISOString(),
        });
        await reindex(tx, ctx.tenantId, id);
        created++;
      });
    }
    return created;
  }

  return {
    seed,
    get: (ctx: AuditContext, id: number) => visible(ctx, id),
    save,
    submit,
    withdraw,
    setValidity,
    addAttachments,
    removeAttachment,
    categories,
    indexPattern: async (tenantId: string) =>
      (await store.indexPattern(db.kysely, tenantId)) ?? DEFAULT_INDEX_PATTERN,
    setIndexPattern,
    ofMyDepartment,
    /** The search text of a publication's words (for re-indexing after the dictionary changed). */
    vectorOf: searchVector,
  };
}

export type PublicationService = ReturnType<typeof createPublicationService>;
