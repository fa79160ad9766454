/**
 * Use-cases on disclosure requests (依申请公开): file one, clarify it when asked (补正), read it, see the
 * full ID number (audited), download its documents.
 *
 * Filing opens a case on the disclosure process in the receiving department, in one transaction with
 * the request's row: a request always has its case. Everything else — 补正, consulting a third party or
 * another agency, an extension, the reply — is the case's, taken on the case page or through the case
 * API like any other action; the engine checks who may act and keeps the deadlines. This module keeps
 * its row in step (onChanged, in each transaction that changes the case), so its lists need no log.
 *
 * Who sees a request: its requester; the staff of the receiving department who handle cases (in their
 * jurisdiction). Anyone else gets 404, as for an id that does not exist. Staff who may see the case
 * another way (a supervisor) may download its documents, as from the case page.
 */
import { randomBytes } from 'node:crypto';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { maskCitizenId } from '../../kernel/identifiers/index.ts';
import { renderPdf } from '../../kernel/pdf/index.ts';
import { authorizeActing, decide, type Actor } from '../../kernel/policy/index.ts';
import type { CaseService, CaseView, DepartmentRef, StopItem } from '../workflow/index.ts';
import { checkRequest, cleanText, LIMITS, lengthOf, type RequestInput } from './request.checks.ts';
import {
  documentPdf,
  documentTitle,
  factsFrom,
  requestDocuments,
  type RequestDocumentKind,
} from './request.documents.ts';
import { replyRow } from './request.report.ts';
import * as store from './request.store.ts';

export type { RequestInput } from './request.checks.ts';

export interface DisclosurePorts {
  cases: Pick<CaseService, 'create' | 'act' | 'get' | 'onChanged'>;
  /** the site's active departments: the bodies a request may be sent to */
  departments(tenantId: string): Promise<DepartmentRef[]>;
  keyring: Sm4Keyring;
  /** the process definition requests run on */
  process: string;
}

/** A document as lists show it, with where its PDF downloads. */
export interface DocumentEntry {
  n: number;
  kind: RequestDocumentKind;
  title: string;
  at: string;
  href: string;
}

/** A request as its requester or its department sees it (the ID number masked). */
export interface DisclosureRequest extends Omit<store.RequestRow, 'requester'> {
  requester: Omit<store.Requester, 'idNumberCipher'> & { idNumberMasked: string | null };
}

/** A request with what its case says now: the open stop, the reply, the documents. */
export interface RequestDetail extends DisclosureRequest {
  /** the stop the case is in: a 补正 waiting for the requester, or a consultation */
  stop: {
    stop: string;
    name: string;
    endedBy: 'applicant' | 'staff';
    reason: string;
    items: StopItem[];
    since: Date;
    dueAt: Date | null;
  } | null;
  /** the reply that closed the case: the action taken and what its form said */
  reply: { action: string; at: string; input: Record<string, unknown> } | null;
  documents: DocumentEntry[];
  /** the viewer is the requester and the case waits for their 补正 */
  canSupplement: boolean;
}

const hidden = (id: string) => notFound('disclosure.not_found', { id });
const zh = translator('zh-CN');

/** Whether the staff member works for the receiving department (handling cases, in jurisdiction). */
function answersFor(actor: Actor, r: store.RequestRow): boolean {
  return (
    actor.kind === 'staff' &&
    actor.permissions.has('case.handle') &&
    actor.departmentId === r.department.id &&
    decide(actor, 'case.handle', { division: r.department.divisionCode }) === 'allow'
  );
}

function maySee(actor: Actor | null | undefined, r: store.RequestRow): boolean {
  if (actor === undefined) return true;
  if (!actor) return false;
  return actor.kind === 'staff' ? answersFor(actor, r) : r.requester.accountId === actor.accountId;
}

/** The case's state as the row keeps it. */
export function projectionOf(view: CaseView): store.Projection {
  const s = view.state;
  const stop = s.stop && view.definition.body.stops?.[s.stop.stop];
  return {
    status:
      s.status === 'closed'
        ? 'replied'
        : s.stop
          ? stop?.endedBy === 'applicant'
            ? 'supplement'
            : 'consulting'
          : 'processing',
    dueAt: s.dueAt,
    extended: s.tasks.some((t) => t.extension === 'granted'),
    outcome: s.status === 'closed' ? (s.outcome ?? 'completed') : null,
    repliedAt: s.status === 'closed' ? s.closedAt : null,
    reportRow: s.status === 'closed' ? reportRowOf(view) : null,
    supplementDueAt: s.stop && stop?.endedBy === 'applicant' ? s.stop.dueAt : null,
  };
}

/** The annual report's row of the reply that closed the case (the action planned with the closing). */
function reportRowOf(view: CaseView): string {
  const closed = view.events.findIndex((e) => e.type === 'case.closed');
  const closing = closed > 0 ? view.events[closed - 1] : undefined;
  if (closing?.type === 'clock.lapsed') return 'other_no_supplement';
  return closing?.type === 'task.completed' ? replyRow(closing.action, closing.input) : 'other_other';
}

/**
 * The receiving body a request goes to unless the requester picks another: the site's general office
 * (办公厅（室）, the usual 政府信息公开工作机构 of a government) at the site's own level, else the highest.
 */
export function defaultBody(tenantId: string, departments: readonly DepartmentRef[]): DepartmentRef | null {
  const offices = departments
    .filter((d) => d.active && d.type === 'general_office')
    .sort((a, b) => a.divisionCode.length - b.divisionCode.length || a.id - b.id);
  return offices.find((d) => d.divisionCode === tenantId) ?? offices[0] ?? null;
}

const documentHref = (publicId: string, n: number) =>
  `/api/v1/disclosure/requests/${publicId}/documents/${n}.pdf`;

export function createRequestService(db: Database, ports: DisclosurePorts) {
  async function load(ctx: AuditContext, publicId: string) {
    const r = /^[A-Za-z0-9_-]{16,32}$/.test(publicId)
      ? await store.findRequest(db.kysely, ctx.tenantId, publicId)
      : undefined;
    if (!r || !maySee(ctx.actor, r)) throw hidden(publicId);
    return r;
  }

  /** The request's case as the system reads it (access was this module's to decide). */
  const caseOf = (ctx: AuditContext, r: store.RequestRow) =>
    ports.cases.get({ ...ctx, actor: undefined }, r.caseNumber);

  const present = (r: store.RequestRow): DisclosureRequest => {
    const { idNumberCipher, ...requester } = r.requester;
    return {
      ...r,
      requester: {
        ...requester,
        idNumberMasked: idNumberCipher ? maskCitizenId(ports.keyring.decrypt(idNumberCipher)) : null,
      },
    };
  };

  const entries = (r: store.RequestRow, view: CaseView): DocumentEntry[] =>
    requestDocuments(view.definition.body, view.events).map((d) => ({
      n: d.n,
      kind: d.kind,
      title: documentTitle(d.kind),
      at: d.at,
      href: documentHref(r.publicId, d.n),
    }));

  // The row follows its case, in the transaction of every change (a reply on the case page included).
  ports.cases.onChanged(async (tx, changing, view) => {
    if (view.definition.code !== ports.process) return;
    await store.project(tx, changing.tenantId, view.number, projectionOf(view));
  });

  /** The bodies a request may go to, and the one the form starts with. */
  async function receivingBodies(tenantId: string) {
    const items = (await ports.departments(tenantId)).filter((d) => d.active);
    return { items, defaultId: defaultBody(tenantId, items)?.id ?? null };
  }

  /** The staff member's department's requests: waiting (most urgent first) or replied (latest first). */
  async function department(
    ctx: AuditContext,
    which: 'open' | 'replied',
    page: { limit: number; offset: number },
  ): Promise<{ items: DisclosureRequest[]; total: number }> {
    authorizeActing(ctx, 'case.handle');
    const actor = ctx.actor;
    if (!actor?.departmentId) return { items: [], total: 0 };
    const found = await store.requestsOfDepartment(db.kysely, ctx.tenantId, actor.departmentId, which, page);
    return { items: found.items.filter((r) => answersFor(actor, r)).map(present), total: found.total };
  }

  /** One request with its case's stop, reply and documents. */
  async function detail(ctx: AuditContext, publicId: string): Promise<RequestDetail> {
    const r = await load(ctx, publicId);
    const view = await caseOf(ctx, r);
    const s = view.state;
    const def = view.definition.body;
    const stopDef = s.stop ? def.stops?.[s.stop.stop] : undefined;
    // The reply is the action planned with the closing (comments may follow it on a closed case).
    const closed = view.events.findIndex((e) => e.type === 'case.closed');
    const closing = closed > 0 ? view.events[closed - 1] : undefined;
    const mine = ctx.actor?.kind !== 'staff' && ctx.actor?.accountId === r.requester.accountId;
    return {
      ...present(r),
      stop:
        s.stop && stopDef
          ? {
              stop: s.stop.stop,
              name: stopDef.name['zh-CN'],
              endedBy: stopDef.endedBy,
              reason: s.stop.reason,
              items: s.stop.items,
              since: s.stop.since,
              dueAt: s.stop.dueAt,
            }
          : null,
      reply:
        closing?.type === 'task.completed'
          ? { action: closing.action, at: closing.at, input: closing.input }
          : null,
      documents: entries(r, view),
      canSupplement: mine && s.status === 'stopped' && stopDef?.endedBy === 'applicant',
    };
  }

  return {
    receivingBodies,

    /**
     * A signed-in person or enterprise files a request; the case opens in the receiving body. Every
     * problem with the form at once; nothing is written unless it is all right.
     */
    async submit(ctx: AuditContext, input: RequestInput): Promise<DisclosureRequest> {
      authorizeActing(ctx, 'account.self');
      const actor = ctx.actor;
      if (!actor || actor.kind === 'staff') throw new DomainError('forbidden', 'disclosure.requesters_only');
      const { items } = await receivingBodies(ctx.tenantId);
      const { problems, value } = checkRequest(input, actor.kind, items);
      if (!value) throw invalidFields(problems, 'disclosure.incomplete');
      const body = items.find((d) => d.id === value.departmentId)!;
      const publicId = randomBytes(12).toString('base64url');
      const oneLine = value.description.replace(/\s+/g, ' ');
      const summary = lengthOf(oneLine) > 40 ? `${[...oneLine].slice(0, 40).join('')}…` : oneLine;
      let filed: store.RequestRow | undefined;
      await ports.cases.create(
        ctx,
        {
          definition: ports.process,
          title: zh('disclosure.case_title', { summary }),
          // The case's data is in Chinese, as its log and documents are (the process's form says so).
          data: {
            description: value.description,
            ...(value.purpose ? { purpose: value.purpose } : {}),
            format: zh(`disclosure.format.${value.format}`),
            delivery: zh(`disclosure.delivery.${value.delivery}`),
          },
          division: body.divisionCode,
        },
        {
          department: body.id,
          within: async (tx: Executor, view) => {
            if (view.state.tasks[0]?.departmentId !== body.id)
              throw conflict('disclosure.not_routed', { department: body.name });
            const r = value.requester;
            filed = await store.insertRequest(
              tx,
              ctx.tenantId,
              {
                publicId,
                caseNumber: view.number,
                requester: {
                  accountId: actor.accountId,
                  kind: r.kind,
                  organisationType: r.organisationType,
                  name: r.name,
                  idNumberCipher: r.idNumber === null ? null : ports.keyring.encrypt(r.idNumber),
                  creditCode: r.creditCode,
                  legalRepresentative: r.legalRepresentative,
                  contactPerson: r.contactPerson,
                  phone: r.phone,
                  address: r.address,
                  email: r.email,
                },
                department: { id: body.id, name: body.name, divisionCode: body.divisionCode },
                description: value.description,
                purpose: value.purpose,
                format: value.format,
                delivery: value.delivery,
                receivedAt: view.state.createdAt,
              },
              projectionOf(view),
            );
            await appendAudit(tx, ctx, {
              action: 'disclosure.request_submitted',
              objectType: 'disclosure_request',
              objectId: publicId,
              detail: {
                case: view.number,
                department: body.id,
                requester: r.kind,
                ...(r.organisationType ? { organisationType: r.organisationType } : {}),
              },
            });
          },
        },
      );
      return present(filed!);
    },

    get: detail,

    /**
     * What the form starts with for this account: its name, and how to reach it as its last request
     * said (never the ID number: it is typed, and checked, each time).
     */
    async prefill(ctx: AuditContext) {
      const actor = ctx.actor;
      const last =
        actor && actor.kind !== 'staff'
          ? (await store.requestsOf(db.kysely, ctx.tenantId, actor.accountId))[0]
          : undefined;
      const r = last?.requester;
      return {
        name: r?.name ?? actor?.name ?? '',
        organisationType: r?.organisationType ?? '',
        creditCode: r?.creditCode ?? '',
        legalRepresentative: r?.legalRepresentative ?? '',
        contactPerson: r?.contactPerson ?? '',
        phone: r?.phone ?? '',
        address: r?.address ?? '',
        email: r?.email ?? '',
      };
    },

    /** A requester's own requests (newest first); for staff, their department's waiting ones. */
    async mine(ctx: AuditContext): Promise<DisclosureRequest[]> {
      const actor = ctx.actor;
      if (!actor) return [];
      if (actor.kind !== 'staff')
        return (await store.requestsOf(db.kysely, ctx.tenantId, actor.accountId)).map(present);
      return (await department(ctx, 'open', { limit: 100, offset: 0 })).items;
    },

    department,

    /**
     * The requester clarifies the request as the 补正 notice asked: the description as it now reads
     * (and the purpose, if they change it). Ends the stop; the 20 working days start again from the day
     * after it arrives (政府信息公开条例 §30).
     */
    async supplement(
      ctx: AuditContext,
      publicId: string,
      input: { description?: string | undefined; purpose?: string | undefined; note?: string | undefined },
    ): Promise<RequestDetail> {
      authorizeActing(ctx, 'account.self');
      const r = await load(ctx, publicId);
      if (ctx.actor?.kind === 'staff') throw hidden(publicId);
      const description = cleanText(input.description);
      const purpose = input.purpose === undefined ? r.purpose : cleanText(input.purpose);
      const note = cleanText(input.note);
      const problems = [];
      if (description === '') problems.push({ field: 'description', code: 'errors.field_required' });
      else if (lengthOf(description) > LIMITS.description)
        problems.push({
          field: 'description',
          code: 'disclosure.too_long',
          params: { max: LIMITS.description },
        });
      if (lengthOf(purpose) > LIMITS.purpose)
        problems.push({ field: 'purpose', code: 'disclosure.too_long', params: { max: LIMITS.purpose } });
      if (lengthOf(note) > LIMITS.note)
        problems.push({ field: 'note', code: 'disclosure.too_long', params: { max: LIMITS.note } });
      if (problems.length > 0) throw invalidFields(problems);
      const view = await ports.cases.get(ctx, r.caseNumber);
      if (!view.available.some((a) => a.action === 'resume'))
        throw conflict('disclosure.supplement.not_waiting');
      await ports.cases.act(
        ctx,
        r.caseNumber,
        { action: 'resume', note, input: { description, ...(purpose ? { purpose } : {}) } },
        {
          within: async (tx, resumed) => {
            await store.supplement(tx, ctx.tenantId, r.id, {
              description,
              purpose,
              at: new Date(resumed.events.at(-1)!.at),
            });
            await appendAudit(tx, ctx, {
              action: 'disclosure.request_supplemented',
              objectType: 'disclosure_request',
              objectId: r.publicId,
              detail: { case: r.caseNumber },
            });
          },
        },
      );
      return detail(ctx, publicId);
    },

    /** A person requester's citizen ID number in full, for the receiving department; the view is audited. */
    async idNumberOf(ctx: AuditContext, publicId: string): Promise<string> {
      authorizeActing(ctx, 'pii.view');
      const r = await load(ctx, publicId);
      if (!r.requester.idNumberCipher) throw notFound('disclosure.no_id_number', { id: publicId });
      await appendAudit(db.kysely, ctx, {
        action: 'disclosure.id_number_viewed',
        objectType: 'disclosure_request',
        objectId: r.publicId,
        detail: { case: r.caseNumber },
      });
      return ports.keyring.decrypt(r.requester.idNumberCipher);
    },

    /**
     * Document n as a PDF, with the name to save it under: for the requester, the receiving department,
     * and staff who may see the case (a supervisor, as from the case page). The download is audited.
     */
    async pdf(ctx: AuditContext, publicId: string, n: number): Promise<{ bytes: Buffer; filename: string }> {
      let r: store.RequestRow;
      try {
        r = await load(ctx, publicId);
      } catch (e) {
        const row =
          ctx.actor?.kind === 'staff' && /^[A-Za-z0-9_-]{16,32}$/.test(publicId)
            ? await store.findRequest(db.kysely, ctx.tenantId, publicId)
            : undefined;
        if (!row) throw e;
        await ports.cases.get(ctx, row.caseNumber).catch((refused: unknown) => {
          throw refused instanceof DomainError && refused.kind === 'not_found' ? e : refused;
        });
        r = row;
      }
      const view = await caseOf(ctx, r);
      const doc = requestDocuments(view.definition.body, view.events).find((d) => d.n === n);
      if (!doc) throw notFound('disclosure.document_not_found', { n });
      const facts = factsFrom(view.definition.body, view.events, {
        number: view.number,
        requester: r.requester.name,
        issuer: r.department.name,
      });
      const bytes = await renderPdf(documentPdf(doc, facts));
      await appendAudit(db.kysely, ctx, {
        action: 'disclosure.document_downloaded',
        objectType: 'disclosure_request',
        objectId: r.publicId,
        detail: { case: r.caseNumber, document: n, kind: doc.kind },
      });
      return { bytes, filename: `${documentTitle(doc.kind)}-${view.number}-${n}.pdf` };
    },

    /** A request's documents for the generic case page (the workflow's caseDocuments port). */
    async ofCase(tenantId: string, view: CaseView): Promise<DocumentEntry[]> {
      if (view.definition.code !== ports.process) return [];
      const r = await store.findByCase(db.kysely, tenantId, view.number);
      return r ? entries(r, view) : [];
    },
  };
}

export type RequestService = ReturnType<typeof createRequestService>;
