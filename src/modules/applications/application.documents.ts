/**
 * An application's decision documents (办理文书): 受理通知书 after acceptance, 不予受理决定书 after
 * refusal (with its reason and legal basis), 补正告知书 for each 补正 (every item and what is wrong
 * with it). Which action or stop issues which is the process definition's `document`; the workflow
 * finds them in the case's log (caseDocuments), numbered from 1 in the order they were issued.
 *
 * Rendered on each download, never stored: a document is a pure function of the log and the
 * application (createdAt is the moment it was issued), so the same document downloads as the same
 * bytes. The issuer is the item's implementing department — the body that decides under 行政许可法
 * §32, whichever window took the application in.
 *
 * Who may download: whoever may see the application (its applicant; for one taken at a window, that
 * window's staff) and staff who may see its case; everyone else gets 404, as for an id that does not
 * exist.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { DomainError, notFound } from '../../kernel/errors.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { renderPdf, type Block, type PdfDocument } from '../../kernel/pdf/index.ts';
import type { Item } from '../services/index.ts';
import {
  caseDocuments,
  nameIn,
  type CaseDocument,
  type CaseService,
  type CaseView,
  type DocumentKind,
} from '../workflow/index.ts';
import type { ApplicationService } from './application.service.ts';
import { caseOfApplication } from './application.supplement.ts';
import * as store from './application.store.ts';

export interface DocumentPorts {
  applications: Pick<ApplicationService, 'get'>;
  item(tenantId: string, code: string): Promise<Item | undefined>;
  cases: Pick<CaseService, 'get'>;
}

/** A document as lists show it. */
export interface DocumentEntry {
  n: number;
  kind: DocumentKind;
  /** 受理通知书 …, in Chinese as the document itself */
  title: string;
  issuedAt: string;
  href: string;
}

const href = (publicId: string, n: number) => `/api/v1/applications/${publicId}/documents/${n}.pdf`;
/** Official documents are in Chinese, whatever language the reader browses in. */
const t: ReturnType<typeof translator> = (key, params) => translator('zh-CN')(key, params);

/** 2026-03-02T01:00Z → 2026年3月2日, the China date of an instant as documents write it. */
export function chineseDate(at: Date | string): string {
  const d = new Date(new Date(at).getTime() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

const entryOf = (a: Pick<store.ApplicationRow, 'publicId'>, d: CaseDocument): DocumentEntry => ({
  n: d.n,
  kind: d.kind,
  title: t(`applications.decision.${d.kind}.title`),
  issuedAt: d.at,
  href: href(a.publicId, d.n),
});

/** What a document says about its application and case. */
export interface DocumentFacts {
  number: string;
  applicant: string;
  item: string;
  issuer: string;
  submittedAt: string;
  promisedDays: number | null;
}

/** One decision document, as the PDF kernel lays it out (GB/T 9704 official style). */
export function decisionDocument(doc: CaseDocument, facts: DocumentFacts, view: CaseView): PdfDocument {
  const title = t(`applications.decision.${doc.kind}.title`);
  const about = { submitted: chineseDate(facts.submittedAt), item: facts.item, number: facts.number };
  const blocks: Block[] = [
    { kind: 'title', text: title, subtitle: t('applications.decision.subtitle', { number: facts.number }) },
    {
      kind: 'paragraph',
      text: t('applications.decision.addressee', { name: facts.applicant }),
      indent: false,
    },
  ];
  const notes: string[] = [];
  const e = doc.event;
  if (doc.kind === 'acceptance') {
    blocks.push({ kind: 'paragraph', text: t('applications.decision.acceptance.body', about) });
    blocks.push({
      kind: 'paragraph',
      text:
        facts.promisedDays !== null
          ? t('applications.decision.acceptance.promise', { ...about, days: facts.promisedDays })
          : t('applications.decision.acceptance.track', about),
    });
  } else if (doc.kind === 'refusal') {
    const input = e.type === 'task.completed' ? e.input : {};
    const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');
    blocks.push({ kind: 'paragraph', text: t('applications.decision.refusal.body', about) });
    const reason = text(input.reason);
    if (reason)
      blocks.push({ kind: 'paragraph', text: t('applications.decision.refusal.reason', { reason }) });
    const basis = text(input.basis);
    if (basis) blocks.push({ kind: 'paragraph', text: t('applications.decision.refusal.basis', { basis }) });
    notes.push(t('applications.decision.refusal.remedy'));
  } else {
    const stop = e.type === 'clock.stopped' ? e : undefined;
    const items = stop?.items ?? [];
    blocks.push({ kind: 'paragraph', text: t('applications.decision.supplement.body', about) });
    if (items.length > 0)
      blocks.push({
        kind: 'table',
        columns: [
          { header: t('applications.decision.supplement.col_no'), width: 0.6, align: 'center' },
          { header: t('applications.decision.supplement.col_item'), width: 2.4 },
          { header: t('applications.decision.supplement.col_note'), width: 3 },
        ],
        rows: items.map((i, n) => [String(n + 1), i.label, i.note || '—']),
      });
    if (stop?.reason)
      blocks.push({
        kind: 'paragraph',
        text: t(
          items.length > 0
            ? 'applications.decision.supplement.other'
            : 'applications.decision.supplement.only',
          { reason: stop.reason },
        ),
      });
    const resume = stop && view.definition.body.stops?.[stop.stop]?.resume;
    blocks.push({
      kind: 'paragraph',
      text: t(
        resume === 'continue'
          ? 'applications.decision.supplement.how_continue'
          : 'applications.decision.supplement.how_restart',
        about,
      ),
    });
  }
  blocks.push({ kind: 'signature', issuer: facts.issuer, date: chineseDate(doc.at) });
  for (const text of notes) blocks.push({ kind: 'note', text });
  return {
    title,
    lang: 'zh-CN',
    style: 'official',
    author: facts.issuer,
    subject: t('applications.decision.subject'),
    keywords: [title, facts.number, nameIn(view.definition.body.name, 'zh-CN')],
    createdAt: new Date(doc.at),
    pageNumbers: '— {page} —',
    blocks,
  };
}

export function createDocumentService(db: Database, ports: DocumentPorts) {
  /**
   * The application and its case, if the actor may see either: through the application (applicant,
   * window), or — staff — through its case. Anything else is the same 404 as a missing id.
   */
  async function open(ctx: AuditContext, publicId: string) {
    let a: store.ApplicationRow;
    try {
      a = await ports.applications.get(ctx, publicId);
    } catch (e) {
      if (!(e instanceof DomainError && e.kind === 'not_found') || ctx.actor?.kind !== 'staff') throw e;
      const row = /^[A-Za-z0-9_-]{16,32}$/.test(publicId)
        ? await store.findApplication(db.kysely, ctx.tenantId, publicId)
        : undefined;
      if (!row?.caseNumber) throw e;
      // Staff who may see the case (a handler of a later step, a supervisor) see its documents.
      await ports.cases.get(ctx, row.caseNumber).catch((hidden: unknown) => {
        throw hidden instanceof DomainError && hidden.kind === 'not_found' ? e : hidden;
      });
      a = row;
    }
    const view = await caseOfApplication(ports.cases, ctx, a);
    return { a, view, documents: view ? caseDocuments(view.definition.body, view.events) : [] };
  }

  return {
    /** The application's documents, oldest first (none before its case is opened). */
    async list(ctx: AuditContext, publicId: string): Promise<DocumentEntry[]> {
      const { a, documents } = await open(ctx, publicId);
      return documents.map((d) => entryOf(a, d));
    },

    /** Document n as a PDF, with the name to save it under; the download is audited (it names a person). */
    async pdf(ctx: AuditContext, publicId: string, n: number): Promise<{ bytes: Buffer; filename: string }> {
      const { a, view, documents } = await open(ctx, publicId);
      const doc = documents.find((d) => d.n === n);
      if (!doc || !view) throw notFound('applications.decision.not_found', { n });
      const item = await ports.item(ctx.tenantId, a.itemCode);
      const facts: DocumentFacts = {
        number: view.number,
        applicant: view.state.applicant.name || a.applicant.name,
        item: a.itemName,
        issuer: item?.departmentName ?? '',
        submittedAt: a.submittedAt ?? view.state.createdAt.toISOString(),
        promisedDays: item?.promisedDays ?? null,
      };
      const bytes = await renderPdf(decisionDocument(doc, facts, view));
      await appendAudit(db.kysely, ctx, {
        action: 'applications.decision_downloaded',
        objectType: 'application',
        objectId: a.publicId,
        detail: { case: view.number, document: n, kind: doc.kind },
      });
      const title = t(`applications.decision.${doc.kind}.title`);
      return { bytes, filename: `${title}-${view.number}-${n}.pdf` };
    },

    /** The documents of a case an application opened, linked for the case pages (the workflow's port). */
    async ofCase(tenantId: string, view: CaseView): Promise<(DocumentEntry & { at: string })[]> {
      const a = await store.findByCase(db.kysely, tenantId, view.number);
      if (!a) return [];
      return caseDocuments(view.definition.body, view.events).map((d) => ({ ...entryOf(a, d), at: d.at }));
    },
  };
}

export type DocumentService = ReturnType<typeof createDocumentService>;
