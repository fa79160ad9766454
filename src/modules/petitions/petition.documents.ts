/**
 * A petition's written answers (书面答复), found in its cases' logs and rendered as PDF on each download:
 * the 受理告知书 (accepted, and when handling is due), the 不予受理告知书 (with the reason), the 转送告知书
 * (the body it went to), the 信访事项处理意见书 (the handling department's opinion, with the right to a
 * review within 30 days), the 复查意见书 and the 复核意见书 (after which the matter is closed, §36).
 * Derived, never stored: a document is a pure function of the logs, dated when its event happened.
 * Official documents are in Chinese whatever language the reader browses in.
 */
import { translator } from '../../kernel/i18n/index.ts';
import type { Block, PdfDocument } from '../../kernel/pdf/index.ts';
import type { CaseView } from '../workflow/index.ts';
import { chineseDate } from './petition.dates.ts';
import type { Stage } from './petition.store.ts';

type CaseEvent = CaseView['events'][number];
type Completed = Extract<CaseEvent, { type: 'task.completed' }>;

export const DOCUMENT_KINDS = ['acceptance', 'refusal', 'forwarding', 'opinion', 'review', 'reexam'] as const;
export type PetitionDocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface PetitionDocument {
  n: number;
  kind: PetitionDocumentKind;
  at: string;
  event: Completed;
  /** the case that issued it, and its handling body */
  caseNumber: string;
  stage: Stage;
  /** the due date of handling, for the acceptance notice */
  handlingDue: string | null;
}

const KIND_OF: Record<string, PetitionDocumentKind> = {
  accept: 'acceptance',
  refuse: 'refusal',
  forward: 'forwarding',
  answer: 'opinion',
};

/** The documents in a petition's cases, in order: the petition's own, then 复查, then 复核. */
export function petitionDocuments(views: { stage: Stage; view: CaseView }[]): PetitionDocument[] {
  const out: PetitionDocument[] = [];
  for (const { stage, view } of views) {
    const events = view.events;
    events.forEach((e, i) => {
      if (e.type !== 'task.completed') return;
      const kind: PetitionDocumentKind | undefined =
        stage === 'petition' ? KIND_OF[e.action] : e.action === 'decide' ? stage : undefined;
      if (!kind) return;
      const opened =
        kind === 'acceptance' ? events.slice(i + 1).find((x) => x.type === 'task.opened') : undefined;
      out.push({
        n: out.length + 1,
        kind,
        at: e.at,
        event: e,
        caseNumber: view.number,
        stage,
        handlingDue: opened?.type === 'task.opened' ? opened.dueAt : null,
      });
    });
  }
  return out;
}

const t: ReturnType<typeof translator> = (key, params) => translator('zh-CN')(key, params);
export const documentTitle = (kind: PetitionDocumentKind) => t(`petitions.doc.${kind}.title`);

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');
const lastDay = (iso: string) => chineseDate(new Date(new Date(iso).getTime() - 1));

export interface DocumentFacts {
  petitioner: string;
  matter: string;
  receivedAt: Date;
  issuer: string;
  /** the last day to ask for the next stage, for an opinion or a review */
  nextBy: Date | null;
}

export function documentPdf(doc: PetitionDocument, facts: DocumentFacts): PdfDocument {
  const title = documentTitle(doc.kind);
  const input = doc.event.input;
  const p = (key: string, params?: Record<string, string | number>): Block => ({
    kind: 'paragraph',
    text: t(key, params),
  });
  const received = chineseDate(facts.receivedAt);
  const blocks: Block[] = [
    { kind: 'title', text: title, subtitle: t('petitions.doc.subtitle', { number: doc.caseNumber }) },
    { kind: 'paragraph', text: t('petitions.doc.addressee', { name: facts.petitioner }), indent: false },
    p('petitions.doc.received', { received, matter: facts.matter }),
  ];
  const notes: string[] = [];
  switch (doc.kind) {
    case 'acceptance':
      blocks.push(
        p('petitions.doc.acceptance.body', { due: doc.handlingDue ? lastDay(doc.handlingDue) : '—' }),
      );
      break;
    case 'refusal':
      blocks.push(p('petitions.doc.refusal.body', { reason: text(input.reason) }));
      break;
    case 'forwarding':
      blocks.push(p('petitions.doc.forwarding.body', { body: text(input.body), reason: text(input.reason) }));
      break;
    case 'opinion':
    case 'review':
    case 'reexam': {
      blocks.push(p(`petitions.doc.${doc.kind}.result`, { result: text(input.result) }));
      for (const line of text(input.opinion)
        .split('\n')
        .filter((l) => l.trim()))
        blocks.push({ kind: 'paragraph', text: line });
      if (text(input.basis)) blocks.push(p('petitions.doc.basis', { basis: text(input.basis) }));
      if (doc.kind === 'reexam') notes.push(t('petitions.doc.reexam.final'));
      else if (facts.nextBy)
        notes.push(
          t(`petitions.doc.${doc.kind}.remedy`, { by: chineseDate(new Date(facts.nextBy.getTime() - 1)) }),
        );
      break;
    }
  }
  blocks.push({ kind: 'signature', issuer: facts.issuer, date: chineseDate(new Date(doc.at)) });
  for (const note of notes) blocks.push({ kind: 'note', text: note });
  return {
    title,
    lang: 'zh-CN',
    style: 'official',
    author: facts.issuer,
    subject: t('petitions.doc.subject'),
    keywords: [title, doc.caseNumber],
    createdAt: new Date(doc.at),
    pageNumbers: '— {page} —',
    blocks,
  };
}
