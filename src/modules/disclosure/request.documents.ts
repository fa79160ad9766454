/**
 * A request's documents (政府信息公开申请文书), found in its case's log and rendered on each download:
 * the 补正告知书 of each 补正 (everything to clarify at once, and by when), the 延期答复告知书 of each
 * extension granted (why, by how much, the new date), and the 答复书 that closed the case — what was
 * decided, on which article of the 政府信息公开条例, and how to seek review or sue.
 *
 * Derived, never stored: a document is a pure function of the log and the request, dated when its
 * event happened, so the same document always downloads as the same bytes. Official documents are in
 * Chinese, whatever language the reader browses in.
 */
import { translator } from '../../kernel/i18n/index.ts';
import type { Block, PdfDocument } from '../../kernel/pdf/index.ts';
import type { CaseView, Definition } from '../workflow/index.ts';

type CaseEvent = CaseView['events'][number];

export const DOCUMENT_KINDS = ['supplement', 'extension', 'reply'] as const;
export type RequestDocumentKind = (typeof DOCUMENT_KINDS)[number];

type Completed = Extract<CaseEvent, { type: 'task.completed' }>;
type Stopped = Extract<CaseEvent, { type: 'clock.stopped' }>;

/** A document the request's case issued, numbered in log order from 1. */
export type RequestDocument = { n: number; at: string } & (
  | { kind: 'supplement'; stop: Stopped }
  | { kind: 'extension'; amount: number; reason: string; due: string | null }
  | { kind: 'reply'; reply: Completed }
);

/** The documents in a case's log. */
export function requestDocuments(def: Definition, events: readonly CaseEvent[]): RequestDocument[] {
  const out: RequestDocument[] = [];
  const asked = new Map<number, { amount: number; reason: string }>();
  events.forEach((e, i) => {
    const n = out.length + 1;
    if (e.type === 'clock.stopped' && def.stops?.[e.stop]?.document === 'supplement')
      out.push({ n, at: e.at, kind: 'supplement', stop: e });
    else if (e.type === 'extension.requested') asked.set(e.task, { amount: e.amount, reason: e.reason });
    else if (e.type === 'extension.decided' && e.approved) {
      const due = e.deadlines.find((d) => d.task === null) ?? e.deadlines.find((d) => d.task === e.task);
      const a = asked.get(e.task) ?? { amount: 0, reason: '' };
      out.push({ n, at: e.at, kind: 'extension', ...a, due: due?.dueAt ?? null });
    } else if (e.type === 'case.closed') {
      // The action that closed it is the reply (planned together, so the event just before).
      const reply = events[i - 1];
      if (reply?.type === 'task.completed') out.push({ n, at: e.at, kind: 'reply', reply });
    }
  });
  return out;
}

/** What a document says about its request. */
export interface DocumentFacts {
  number: string;
  requester: string;
  /** the day the request was received (the case's opening) */
  receivedAt: Date;
  /** what was asked for, as received */
  description: string;
  /** what was asked for as the reply answers it (after a 补正, the clarified description) */
  answered: string;
  /** when the clarified request arrived, if there was a 补正 */
  supplementedAt: Date | null;
  /** the stops the case went through (征求第三方意见 …), by id */
  consulted: string[];
  issuer: string;
}

const t: ReturnType<typeof translator> = (key, params) => translator('zh-CN')(key, params);

const CHINA_OFFSET_MS = 8 * 3_600_000;
/** 2026-03-02T01:00Z → 2026年3月2日, the China date of an instant as documents write it. */
export function chineseDate(at: Date | string): string {
  const d = new Date(new Date(at).getTime() + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}
/** The last day of a period ending at `dueAt` (its 24:00), as documents write it. */
const dueDate = (dueAt: string) => chineseDate(new Date(new Date(dueAt).getTime() - 1));

export const documentTitle = (kind: RequestDocumentKind) => t(`disclosure.doc.${kind}.title`);

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');

/** Which of §35, §36(六)(七) and §39 a 不予处理 rests on, from the ground chosen (the form's wording). */
function groundOf(ground: string): string {
  if (ground.includes('重复')) return 'repeated';
  if (ground.includes('频次')) return 'excessive';
  if (ground.includes('信访')) return 'petition';
  if (ground.includes('出版物')) return 'publication';
  if (ground.includes('登记资料')) return 'special_law';
  return 'other';
}

/** The body of the reply, by the action taken (its form's input). */
function replyBody(reply: Completed): Block[] {
  const input = reply.input;
  const p = (key: string, params?: Record<string, string | number>): Block => ({
    kind: 'paragraph',
    text: t(key, params),
  });
  switch (reply.action) {
    case 'disclose': {
      const details = text(input.details);
      const manner = text(input.manner);
      if (manner.startsWith('已主动公开'))
        return [p('disclosure.doc.reply.published', { details: details || '—' })];
      return [
        p('disclosure.doc.reply.disclose', { manner }),
        ...(details ? [p('disclosure.doc.reply.how', { details })] : []),
      ];
    }
    case 'partly_disclose': {
      const rows: string[][] = [];
      for (const i of [1, 2, 3]) {
        const part = text(input[`withheld_${i}`]);
        if (part) rows.push([String(rows.length + 1), part, text(input[`reason_${i}`]) || '—']);
      }
      return [
        p('disclosure.doc.reply.partly', {
          disclosed: text(input.disclosed),
          manner: text(input.manner),
        }),
        {
          kind: 'table',
          columns: [
            { header: t('disclosure.doc.col_no'), width: 0.6, align: 'center' },
            { header: t('disclosure.doc.reply.col_withheld'), width: 2.6 },
            { header: t('disclosure.doc.reply.col_reason'), width: 2.8 },
          ],
          rows,
        },
      ];
    }
    case 'withhold': {
      const basis = text(input.basis);
      const [article = basis, what = basis] = basis.split('：');
      return [
        p('disclosure.doc.reply.withhold', { article, what }),
        p('disclosure.doc.reply.reason', { reason: text(input.reason) }),
      ];
    }
    case 'not_exist': {
      const searched = text(input.searched);
      return [
        p('disclosure.doc.reply.not_exist'),
        ...(searched ? [p('disclosure.doc.reply.searched', { searched })] : []),
      ];
    }
    case 'not_ours': {
      const body = text(input.body);
      const contact = text(input.contact);
      return [
        p('disclosure.doc.reply.not_ours', { reason: text(input.reason) }),
        body
          ? p(contact ? 'disclosure.doc.reply.right_body_contact' : 'disclosure.doc.reply.right_body', {
              body,
              contact,
            })
          : p('disclosure.doc.reply.right_body_unknown'),
      ];
    }
    case 'not_processed':
      return [
        p(`disclosure.doc.reply.not_processed.${groundOf(text(input.ground))}`, {
          ground: text(input.ground),
        }),
        p('disclosure.doc.reply.note', { note: text(input.note) }),
      ];
    default:
      return [p('disclosure.doc.reply.other', { action: reply.action })];
  }
}

/** One document, as the PDF kernel lays it out (GB/T 9704 official style). */
export function documentPdf(doc: RequestDocument, facts: DocumentFacts): PdfDocument {
  const title = documentTitle(doc.kind);
  const received = chineseDate(facts.receivedAt);
  const blocks: Block[] = [
    { kind: 'title', text: title, subtitle: t('disclosure.doc.subtitle', { number: facts.number }) },
    { kind: 'paragraph', text: t('disclosure.doc.addressee', { name: facts.requester }), indent: false },
  ];
  const notes: string[] = [];
  if (doc.kind === 'supplement') {
    const items = doc.stop.items ?? [];
    blocks.push({
      kind: 'paragraph',
      text: t('disclosure.doc.supplement.body', { received, description: facts.description }),
    });
    if (items.length > 0)
      blocks.push({
        kind: 'table',
        columns: [
          { header: t('disclosure.doc.col_no'), width: 0.6, align: 'center' },
          { header: t('disclosure.doc.supplement.col_item'), width: 2.4 },
          { header: t('disclosure.doc.supplement.col_note'), width: 3 },
        ],
        rows: items.map((i, n) => [String(n + 1), i.label, i.note || '—']),
      });
    if (doc.stop.reason)
      blocks.push({
        kind: 'paragraph',
        text: t(items.length > 0 ? 'disclosure.doc.supplement.other' : 'disclosure.doc.supplement.only', {
          reason: doc.stop.reason,
        }),
      });
    blocks.push({
      kind: 'paragraph',
      text: doc.stop.dueAt
        ? t('disclosure.doc.supplement.by', { due: dueDate(doc.stop.dueAt) })
        : t('disclosure.doc.supplement.how'),
    });
  } else if (doc.kind === 'extension') {
    blocks.push({
      kind: 'paragraph',
      text: t('disclosure.doc.extension.body', {
        received,
        description: facts.answered,
        reason: doc.reason,
        amount: doc.amount,
        due: doc.due ? dueDate(doc.due) : '—',
      }),
    });
  } else {
    blocks.push({
      kind: 'paragraph',
      text: t('disclosure.doc.reply.received', { received, description: facts.answered }),
    });
    if (facts.supplementedAt)
      blocks.push({
        kind: 'paragraph',
        text: t('disclosure.doc.reply.supplemented', { supplemented: chineseDate(facts.supplementedAt) }),
      });
    for (const stop of facts.consulted)
      blocks.push({ kind: 'paragraph', text: t(`disclosure.doc.reply.consulted.${stop}`) });
    blocks.push({ kind: 'paragraph', text: t('disclosure.doc.reply.now') });
    blocks.push(...replyBody(doc.reply));
    notes.push(t('disclosure.doc.reply.remedy'));
  }
  blocks.push({ kind: 'signature', issuer: facts.issuer, date: chineseDate(doc.at) });
  for (const note of notes) blocks.push({ kind: 'note', text: note });
  return {
    title,
    lang: 'zh-CN',
    style: 'official',
    author: facts.issuer,
    subject: t('disclosure.doc.subject'),
    keywords: [title, facts.number],
    createdAt: new Date(doc.at),
    pageNumbers: '— {page} —',
    blocks,
  };
}

/** The stops the reply mentions: consulting others, whose time the period does not count (§33). */
const CONSULTATIONS = new Set(['third_party', 'other_agency']);

/** The facts of a request's documents from its case's log: the original and the clarified request. */
export function factsFrom(
  def: Definition,
  events: readonly CaseEvent[],
  base: { number: string; requester: string; issuer: string },
): DocumentFacts {
  let description = '';
  let answered = '';
  let receivedAt = new Date(events[0]?.at ?? 0);
  let supplementedAt: Date | null = null;
  const consulted: string[] = [];
  let stopped = '';
  for (const e of events) {
    if (e.type === 'case.created') {
      receivedAt = new Date(e.at);
      description = text(e.data.description);
      answered = description;
    } else if (e.type === 'clock.stopped') {
      stopped = e.stop;
      if (CONSULTATIONS.has(e.stop) && !consulted.includes(e.stop)) consulted.push(e.stop);
    } else if (e.type === 'clock.resumed' && def.stops?.[stopped]?.endedBy === 'applicant') {
      supplementedAt = new Date(e.at);
      answered = text(e.input.description) || answered;
    }
  }
  return { ...base, receivedAt, description, answered, supplementedAt, consulted };
}
