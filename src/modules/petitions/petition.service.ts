/**
 * Use-cases on petitions (网上信访): submit one (checked, screened, routed, or linked to an earlier one
 * it repeats), follow it, accept and hand it to the department responsible (受理并交办), reroute it,
 * rate the answer, ask for a review (复查) or a re-examination (复核), see the petitioner's identity
 * and the materials sent with it (audited), download the written answers, and decide held ones
 * (moderation). Routing follows the site's rules (routing.service.ts).
 *
 * The deadlines are the processes' and the engine keeps them (15 calendar days to accept, 60 to
 * handle, one extension of at most 30 approved by the department head, 30 for each review); this
 * module keeps the row in step with the cases (onChanged, in each transaction that changes them) and
 * holds what the case log should not: who the petitioner is.
 *
 * Who sees a petition: its petitioner; the petition office whose jurisdiction covers its place
 * (petition.route); the case handlers of the departments it is with now — the office that registers
 * it, the department handling it, the bodies reviewing it. Anyone else gets 404, staff too while a
 * moderator holds it (the moderation page shows the moderator what it needs).
 */
import { randomBytes } from 'node:crypto';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { lookupHash, type Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { isWithin, subtreePrefix } from '../../kernel/divisions/index.ts';
import { conflict, DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { maskCitizenId } from '../../kernel/identifiers/index.ts';
import { renderPdf } from '../../kernel/pdf/index.ts';
import { authorizeActing, decide, type Actor } from '../../kernel/policy/index.ts';
import { lengthOf, maskedName, plainText } from '../../kernel/text/index.ts';
import type { CaseService, CaseView, DepartmentRef, WorkCalendar } from '../workflow/index.ts';
import type { PetitionAttachment } from './attachments.ts';
import { checkPetition, LIMITS, type PetitionInput } from './petition.checks.ts';
import { chinaDate, dueDay, periodEnd, REVIEW_WINDOW_DAYS } from './petition.dates.ts';
import {
  documentPdf,
  documentTitle,
  petitionDocuments,
  type PetitionDocumentKind,
} from './petition.documents.ts';
import * as store from './petition.store.ts';
import { MATTER_TYPES, officeFor, route, upperBody, type MatterType } from './matter-types.ts';
import { createRoutingService } from './routing.service.ts';
import { REPEAT_THRESHOLD, similarity } from './similarity.ts';

export type { PetitionInput } from './petition.checks.ts';

/** What a site's moderation page needs of petitions (the moderation module's HeldSource). */
export interface PetitionHeldSource {
  kind: 'petitions';
  titleKey: string;
  list(
    tenantId: string,
  ): Promise<{ id: string; writer: string; excerpt: string; words: string[]; at: Date }[]>;
  release(ctx: AuditContext, id: string): Promise<void>;
  reject(ctx: AuditContext, id: string, reason: string): Promise<void>;
}

export interface PetitionPorts {
  cases: Pick<CaseService, 'create' | 'act' | 'get' | 'onChanged'>;
  /** the site's active departments */
  departments(tenantId: string): Promise<DepartmentRef[]>;
  /** one department, read in the caller's transaction */
  department(tenantId: string, id: number, ex: Executor): Promise<DepartmentRef | undefined>;
  /** divisions of the site (the place of a matter is one, down to street level) */
  divisions: {
    many(codes: readonly string[]): Promise<{ code: string; name: string }[]>;
    children(code: string): Promise<{ code: string; name: string }[]>;
  };
  calendarFor(tenantId: string): Promise<WorkCalendar>;
  keyring: Sm4Keyring;
  /** key of the keyed SM3 hash that finds the same ID number without decrypting */
  lookupKey: Buffer;
  /** whether a post's texts must wait for a moderator (the moderation module's screen) */
  screen(tenantId: string, texts: readonly string[]): Promise<{ held: boolean; words: string[] }>;
  notify(
    ex: Executor,
    message: {
      tenantId: string;
      accountId: number;
      kind: string;
      params: Record<string, string | number>;
      link?: string;
    },
  ): Promise<void>;
  /** the petition process and the review process */
  process: string;
  reviewProcess: string;
  now?(): Date;
}

/** A petition as its petitioner or the staff handling it see it (identity masked for staff). */
export interface Petition {
  publicId: string;
  status: store.PetitionStatus;
  petitioner: { name: string; idNumberMasked: string; phone: string | null; address: string | null };
  matterType: string;
  placeCode: string;
  placeDetail: string;
  matter: string;
  requests: string;
  facts: string;
  /** the materials sent with it, each downloaded at `href` by those who may see the identity */
  attachments: (Omit<PetitionAttachment, 'digest'> & { n: number; href: string })[];
  createdAt: Date;
  repeatOf: { publicId: string; caseNumber: string | null } | null;
  heldWords: string[];
  moderationNote: string;
  office: { id: number | null; name: string };
  extended: boolean;
  petition: store.StageCase;
  review: store.StageCase;
  reexam: store.StageCase;
}

export interface DocumentEntry {
  n: number;
  kind: PetitionDocumentKind;
  title: string;
  at: string;
  href: string;
}

export interface PetitionDetail extends Petition {
  documents: DocumentEntry[];
  /** the stage the petitioner may rate now, if any */
  rateable: store.Stage | null;
  /** what the petitioner may ask for next (复查 or 复核), and until when; or when that ran out */
  next: { stage: 'review' | 'reexam'; until: Date; open: boolean } | null;
  /** staff: whether this viewer may reroute it, accept it and hand it on */
  mayRoute: boolean;
  mayDispatch: boolean;
  /** the department holding the open handling task now (null when none is open) */
  handlingNow: { departmentId: number } | null;
  /** the place's divisions by name, from the province down (浙江省杭州市西湖区北山街道) */
  placeName: string;
}

const zh = translator('zh-CN');
const hidden = (id: string) => notFound('petitions.not_found', { id });
const PUBLIC_ID = /^[A-Za-z0-9_-]{16,32}$/;
const OPEN: readonly store.PetitionStatus[] = ['registering', 'handling', 'reviewing', 'reexamining'];

const mayRouteFor = (actor: Actor, p: store.PetitionRow) =>
  actor.kind === 'staff' &&
  actor.permissions.has('petition.route') &&
  decide(actor, 'petition.route', { division: p.placeCode }) === 'allow';

/** The departments a petition is with now: whose case handlers may see it. */
const currentDepartments = (p: store.PetitionRow) =>
  [p.officeId, p.petition.departmentId, p.review.departmentId, p.reexam.departmentId].filter(
    (d): d is number => d !== null,
  );

function maySee(actor: Actor | null | undefined, p: store.PetitionRow): boolean {
  if (actor === undefined) return true;
  if (!actor) return false;
  if (actor.kind !== 'staff') return p.accountId === actor.accountId;
  // Held (or rejected) by the moderation: no one handles it, so no staff member sees it or its files.
  if (p.status === 'held' || p.status === 'rejected') return false;
  if (mayRouteFor(actor, p)) return true;
  return (
    actor.permissions.has('case.handle') &&
    actor.departmentId !== null &&
    currentDepartments(p).includes(actor.departmentId)
  );
}

/** The row's view of one of its cases. */
function projection(stage: store.Stage, view: CaseView) {
  const s = view.state;
  const closed = s.status === 'closed';
  const open = s.tasks.filter((t) => t.status === 'open');
  const handle = [...s.tasks].reverse().find((t) => t.step === 'handle');
  let status: store.PetitionStatus;
  if (stage === 'petition')
    status = closed
      ? s.outcome === 'not_accepted'
        ? 'not_accepted'
        : s.outcome === 'forwarded'
          ? 'forwarded'
          : 'answered'
      : open.some((t) => t.step === 'handle')
        ? 'handling'
        : 'registering';
  else if (stage === 'review') status = closed ? 'reviewed' : 'reviewing';
  else status = closed ? 'concluded' : 'reexamining';
  const due = open[0]?.dueAt ?? null;
  return {
    status,
    extended: s.tasks.some((t) => t.extension === 'granted'),
    dueAt: closed ? null : due,
    outcome: closed ? (s.outcome ?? 'completed') : null,
    decidedAt: closed ? s.closedAt : null,
    handlingDepartment: stage === 'petition' ? (handle?.departmentId ?? null) : null,
  };
}

export function createPetitionService(db: Database, ports: PetitionPorts) {
  const now = () => ports.now?.() ?? new Date();
  const routing = createRoutingService(db);
  const system = (ctx: AuditContext): AuditContext => ({ ...ctx, actor: undefined });

  async function load(ctx: AuditContext, publicId: string, ex: Executor = db.kysely, lock = false) {
    const p = PUBLIC_ID.test(publicId)
      ? await store.findPetition(ex, ctx.tenantId, publicId, lock)
      : undefined;
    if (!p || !maySee(ctx.actor, p)) throw hidden(publicId);
    return p;
  }

  const present = (p: store.PetitionRow, viewer: Actor | null | undefined, repeatOf?: store.PetitionRow) => {
    const own = viewer?.kind !== 'staff';
    const idNumber = ports.keyring.decrypt(p.idNumberCipher);
    return {
      publicId: p.publicId,
      status: p.status,
      // Staff see who petitions only through identityOf (audited); the petitioner sees themselves.
      petitioner: own
        ? { name: p.name, idNumberMasked: maskCitizenId(idNumber), phone: p.phone, address: p.address }
        : { name: maskedName(p.name), idNumberMasked: maskCitizenId(idNumber), phone: null, address: null },
      matterType: p.matterType,
      placeCode: p.placeCode,
      placeDetail: p.placeDetail,
      matter: p.matter,
      requests: p.requests,
      facts: p.facts,
      attachments: p.attachments.map((a, i) => ({
        n: i + 1,
        filename: a.filename,
        size: a.size,
        mediaType: a.mediaType,
        href: `/api/v1/petitions/${p.publicId}/attachments/${i + 1}`,
      })),
      createdAt: p.createdAt,
      repeatOf: repeatOf ? { publicId: repeatOf.publicId, caseNumber: repeatOf.petition.caseNumber } : null,
      heldWords: own ? [] : p.heldWords,
      moderationNote: p.moderationNote,
      office: { id: p.officeId, name: p.officeName },
      extended: p.extended,
      petition: p.petition,
      review: p.review,
      reexam: p.reexam,
    } satisfies Petition;
  };

  async function presentOne(ctx: AuditContext, p: store.PetitionRow): Promise<Petition> {
    const earlier =
      p.repeatOf === null ? undefined : await store.findById(db.kysely, ctx.tenantId, p.repeatOf);
    return present(p, ctx.actor, earlier);
  }

  // The row follows its cases, in the transaction of every change (an action on the case page included).
  ports.cases.onChanged(async (tx, changing, view, appended) => {
    const code = view.definition.code;
    if (code !== ports.process && code !== ports.reviewProcess) return;
    const found = await store.findByCase(tx, changing.tenantId, view.number);
    if (!found) return;
    const { petition: p, stage } = found;
    // The regulation extends handling only (§35): the engine offers an extension at every step.
    for (const e of appended)
      if (e.type === 'extension.requested' && view.state.tasks[e.task - 1]?.step !== 'handle')
        throw conflict('petitions.extension.handling_only');
    const pr = projection(stage, view);
    let handling: DepartmentRef | undefined;
    // The handling task in another department than the office: handed on (or transferred on from there).
    if (
      pr.handlingDepartment !== null &&
      pr.handlingDepartment !== p.officeId &&
      pr.handlingDepartment !== p.petition.departmentId
    )
      handling = await ports.department(changing.tenantId, pr.handlingDepartment, tx);
    await store.update(tx, changing.tenantId, p.id, {
      status: pr.status,
      extended: stage === 'petition' ? pr.extended : p.extended,
      ...(handling ? { departmentDivision: handling.divisionCode } : {}),
      stage: {
        stage,
        values: {
          dueAt: pr.dueAt,
          outcome: pr.outcome,
          decidedAt: pr.decidedAt,
          ...(handling ? { departmentId: handling.id, departmentName: handling.name } : {}),
        },
      },
    });
    // The petitioner is told of the acceptance and its handling deadline (§32: 告知信访人).
    const accepted = appended.find((e) => e.type === 'task.completed' && e.action === 'accept');
    if (accepted && pr.dueAt)
      await ports.notify(tx, {
        tenantId: changing.tenantId,
        accountId: p.accountId,
        kind: 'petitions.accepted',
        params: { matter: p.matter, due: dueDay(pr.dueAt) },
        link: `/account/petitions/${p.publicId}`,
      });
  });

  /** Whether a code is a division of the site fit to be a petition's place (a street, or below). */
  async function placeOk(tenantId: string, code: string): Promise<'ok' | 'unknown' | 'too_shallow'> {
    if (!isWithin(code, tenantId)) return 'unknown';
    if ((await ports.divisions.many([code])).length === 0) return 'unknown';
    if (code.length < 9 && (await ports.divisions.children(code)).length > 0) return 'too_shallow';
    return 'ok';
  }

  async function placeNames(code: string): Promise<string> {
    const candidates = [2, 4, 6, 9, 12]
      .filter((n) => n <= code.length)
      .map((n) => (n < 6 ? code.slice(0, n).padEnd(6, '0') : code.slice(0, n)));
    const found = new Map(
      (await ports.divisions.many([...new Set(candidates)])).map((d) => [d.code, d.name]),
    );
    return [...new Set(candidates)].flatMap((c) => found.get(c) ?? []).join('');
  }

  /** Opens the petition's case in its petition office; `within` writes the row in the same transaction. */
  async function openCase(
    ctx: AuditContext,
    v: {
      accountId: number;
      name: string;
      matterType: string;
      placeCode: string;
      placeDetail: string;
      attachments: readonly PetitionAttachment[];
    },
    texts: { matter: string; requests: string; facts: string },
    office: DepartmentRef,
    within: (tx: Executor, view: CaseView) => Promise<void>,
  ) {
    const oneLine = texts.matter.replace(/\s+/g, ' ');
    const summary = lengthOf(oneLine) > 40 ? `${[...oneLine].slice(0, 40).join('')}…` : oneLine;
    const place = `${await placeNames(v.placeCode)}${v.placeDetail ? ` ${v.placeDetail}` : ''}`;
    // Opened by the platform in the petitioner's name, masked: the case's pages show no identity.
    return ports.cases.create(
      system(ctx),
      {
        definition: ports.process,
        title: zh('petitions.case_title', { summary }),
        data: {
          matterType: zh(`petitions.matter_type.${v.matterType}`),
          place,
          matter: texts.matter,
          requests: texts.requests,
          facts: texts.facts,
        },
        division: v.placeCode,
        applicant: { kind: 'person', accountId: v.accountId, name: maskedName(v.name) },
        // The materials, for the handlers on the case page (its downloads follow the case's visibility).
        attachments: v.attachments.map((a) => ({ ...a })),
      },
      { department: office.id, within },
    );
  }

  /**
   * The earlier petition this one repeats, if any: the same person (account or ID number), the same
   * matter type and place, texts alike at least REPEAT_THRESHOLD, and the earlier one still open, or
   * answered within the last 30 days (it can still be reviewed), or concluded for good after 复核.
   */
  async function repeatOf(
    tenantId: string,
    who: { accountId: number; idHash: string },
    v: { matterType: string; place: string; matter: string; requests: string; facts: string },
  ): Promise<store.PetitionRow | undefined> {
    const earlier = await store.samePersonAndMatter(db.kysely, tenantId, who, v.matterType, v.place);
    const text = `${v.matter}\n${v.requests}\n${v.facts}`;
    const windowStart = new Date(now().getTime() - REVIEW_WINDOW_DAYS * 86_400_000);
    return earlier.find((e) => {
      const last = [e.reexam.decidedAt, e.review.decidedAt, e.petition.decidedAt].find((d) => d !== null);
      const live =
        OPEN.includes(e.status) || e.status === 'concluded' || (last !== undefined && last! >= windowStart);
      return live && similarity(text, `${e.matter}\n${e.requests}\n${e.facts}`) >= REPEAT_THRESHOLD;
    });
  }

  async function documentsOf(ctx: AuditContext, p: store.PetitionRow) {
    const views: { stage: store.Stage; view: CaseView }[] = [];
    for (const stage of ['petition', 'review', 'reexam'] as const) {
      const number = p[stage].caseNumber;
      if (number) views.push({ stage, view: await ports.cases.get(system(ctx), number) });
    }
    return { views, documents: petitionDocuments(views) };
  }

  /** The stage the petitioner may ask for next, and its window (30 days after the last written answer). */
  async function nextStage(tenantId: string, p: store.PetitionRow) {
    const from =
      p.status === 'answered' ? p.petition.decidedAt : p.status === 'reviewed' ? p.review.decidedAt : null;
    if (!from) return null;
    const until = periodEnd(await ports.calendarFor(tenantId), from, REVIEW_WINDOW_DAYS);
    return {
      stage: p.status === 'answered' ? ('review' as const) : ('reexam' as const),
      until,
      open: now() <= until,
    };
  }

  async function detail(ctx: AuditContext, publicId: string): Promise<PetitionDetail> {
    const p = await load(ctx, publicId);
    const { views, documents } = p.petition.caseNumber
      ? await documentsOf(ctx, p)
      : { views: [], documents: [] };
    const actor = ctx.actor;
    const own = actor?.kind !== 'staff' && actor?.accountId === p.accountId;
    const rateable: store.Stage | null = !own
      ? null
      : p.status === 'answered' && !p.petition.rating
        ? 'petition'
        : p.status === 'reviewed' && !p.review.rating
          ? 'review'
          : p.status === 'concluded' && !p.reexam.rating
            ? 'reexam'
            : null;
    const petitionView = views.find((v) => v.stage === 'petition')?.view;
    const openHandle = petitionView?.state.tasks.find((t) => t.step === 'handle' && t.status === 'open');
    const staff = actor?.kind === 'staff' ? actor : null;
    return {
      ...(await presentOne(ctx, p)),
      documents: documents.map((d) => ({
        n: d.n,
        kind: d.kind,
        title: documentTitle(d.kind),
        at: d.at,
        href: `/api/v1/petitions/${p.publicId}/documents/${d.n}.pdf`,
      })),
      rateable,
      next: own ? await nextStage(ctx.tenantId, p) : null,
      // Until it is handed on: once a department holds the handling task, it is theirs to transfer.
      mayRoute:
        staff !== null &&
        mayRouteFor(staff, p) &&
        (p.status === 'registering' ||
          (p.status === 'handling' && openHandle !== undefined && openHandle.departmentId === p.officeId)),
      mayDispatch:
        staff !== null &&
        staff.departmentId === p.officeId &&
        staff.permissions.has('case.handle') &&
        ((p.status === 'registering' && staff.roles.includes('petition_officer')) ||
          (openHandle !== undefined &&
            openHandle.departmentId === p.officeId &&
            p.petition.departmentId !== p.officeId &&
            staff.roles.includes('handler'))),
      handlingNow: openHandle ? { departmentId: openHandle.departmentId } : null,
      placeName: await placeNames(p.placeCode),
    };
  }

  const heldSource: PetitionHeldSource = {
    kind: 'petitions',
    titleKey: 'petitions.moderation.kind',
    async list(tenantId) {
      return (await store.held(db.kysely, tenantId)).map((p) => {
        const text = `${p.matter}：${p.requests}`.replace(/\s+/g, ' ');
        return {
          id: p.publicId,
          writer: maskedName(p.name),
          excerpt: lengthOf(text) > 120 ? `${[...text].slice(0, 120).join('')}…` : text,
          words: p.heldWords,
          at: p.createdAt,
        };
      });
    },
    async release(ctx, id) {
      const p = PUBLIC_ID.test(id) ? await store.findPetition(db.kysely, ctx.tenantId, id) : undefined;
      if (!p || p.status !== 'held') throw hidden(id);
      const departments = await ports.departments(ctx.tenantId);
      const office = officeFor(departments, p.placeCode);
      // Routed by the site's rules as they are now, as if it had never been held.
      const routes = await routing.routesOf(ctx.tenantId);
      const department = route(departments, p.matterType as MatterType, p.placeCode, routes);
      if (!office || !department) throw conflict('petitions.no_office', { place: p.placeCode });
      await openCase(ctx, p, p, office, async (tx, view) => {
        const locked = await store.findPetition(tx, ctx.tenantId, id, true);
        if (locked?.status !== 'held') throw conflict('petitions.moderation.decided');
        await store.update(tx, ctx.tenantId, p.id, {
          status: 'registering',
          office: { id: office.id, name: office.name },
          departmentDivision: department.divisionCode,
          stage: {
            stage: 'petition',
            values: {
              caseNumber: view.number,
              departmentId: department.id,
              departmentName: department.name,
              dueAt: view.state.tasks[0]?.dueAt ?? null,
            },
          },
        });
        await appendAudit(tx, ctx, {
          action: 'petitions.released',
          objectType: 'petition',
          objectId: p.publicId,
          detail: { case: view.number },
        });
        await ports.notify(tx, {
          tenantId: ctx.tenantId,
          accountId: p.accountId,
          kind: 'petitions.released',
          params: { matter: p.matter, number: view.number },
          link: `/account/petitions/${p.publicId}`,
        });
      });
    },
    async reject(ctx, id, reason) {
      const note = plainText(reason);
      if (note === '') throw invalidFields([{ field: 'reason', code: 'errors.field_required' }]);
      await db.kysely.transaction().execute(async (tx) => {
        const p = PUBLIC_ID.test(id) ? await store.findPetition(tx, ctx.tenantId, id, true) : undefined;
        if (!p || p.status !== 'held') throw hidden(id);
        await store.update(tx, ctx.tenantId, p.id, {
          status: 'rejected',
          moderationNote: note.slice(0, 500),
        });
        await appendAudit(tx, ctx, {
          action: 'petitions.rejected',
          objectType: 'petition',
          objectId: p.publicId,
        });
        await ports.notify(tx, {
          tenantId: ctx.tenantId,
          accountId: p.accountId,
          kind: 'petitions.rejected',
          params: { matter: p.matter, reason: note.slice(0, 500) },
          link: `/account/petitions/${p.publicId}`,
        });
      });
    },
  };

  return {
    heldSource,
    matterTypes: MATTER_TYPES,
    placeOk,
    /** the site's routing rules (matter type → department type), read and set */
    routing,

    /**
     * A signed-in person petitions. Every problem with the form at once; then a repeat is linked to the
     * earlier petition (no new case), a post with held words waits for a moderator, and anything else
     * is registered as a case in the petition office of its place.
     */
    async submit(ctx: AuditContext, input: PetitionInput): Promise<Petition> {
      authorizeActing(ctx, 'account.self');
      const actor = ctx.actor;
      if (!actor || actor.kind !== 'person') throw new DomainError('forbidden', 'petitions.persons_only');
      const { problems, value } = await checkPetition(input, (code) => placeOk(ctx.tenantId, code));
      if (!value) throw invalidFields(problems, 'petitions.incomplete');
      const idHash = lookupHash(ports.lookupKey, 'citizen-id', value.petitioner.idNumber);
      const earlier = await repeatOf(ctx.tenantId, { accountId: actor.accountId, idHash }, value);
      const screened = earlier
        ? { held: false, words: [] }
        : await ports.screen(ctx.tenantId, [value.matter, value.requests, value.facts]);
      const departments = await ports.departments(ctx.tenantId);
      const office = officeFor(departments, value.place);
      const department = route(
        departments,
        value.matterType,
        value.place,
        await routing.routesOf(ctx.tenantId),
      );
      if (!office || !department) throw conflict('petitions.no_office', { place: value.place });
      const row: store.NewPetition = {
        publicId: randomBytes(12).toString('base64url'),
        accountId: actor.accountId,
        name: value.petitioner.name,
        idNumberCipher: ports.keyring.encrypt(value.petitioner.idNumber),
        idHash,
        phone: value.petitioner.phone,
        address: value.petitioner.address,
        matterType: value.matterType,
        placeCode: value.place,
        placeDetail: value.placeDetail,
        matter: value.matter,
        requests: value.requests,
        facts: value.facts,
        attachments: value.attachments,
        status: earlier ? 'repeat' : screened.held ? 'held' : 'registering',
        heldWords: screened.words,
        repeatOf: earlier?.id ?? null,
        office: { id: office.id, name: office.name },
        department: { id: department.id, name: department.name, divisionCode: department.divisionCode },
      };
      const audit = (tx: Executor, p: store.PetitionRow, detail: Record<string, unknown>) =>
        appendAudit(tx, ctx, {
          action: 'petitions.submitted',
          objectType: 'petition',
          objectId: p.publicId,
          detail: {
            status: p.status,
            matterType: p.matterType,
            place: p.placeCode,
            attachments: p.attachments.length,
            ...detail,
          },
        });
      if (row.status !== 'registering') {
        const p = await db.kysely.transaction().execute(async (tx) => {
          const p = await store.insertPetition(tx, ctx.tenantId, row);
          await audit(tx, p, earlier ? { repeatOf: earlier.publicId } : { words: screened.words.length });
          return p;
        });
        return present(p, actor, earlier);
      }
      let filed: store.PetitionRow | undefined;
      await openCase(ctx, { ...row, accountId: actor.accountId }, row, office, async (tx, view) => {
        const p = await store.insertPetition(tx, ctx.tenantId, row);
        await store.update(tx, ctx.tenantId, p.id, {
          stage: {
            stage: 'petition',
            values: { caseNumber: view.number, dueAt: view.state.tasks[0]?.dueAt ?? null },
          },
        });
        filed = (await store.findById(tx, ctx.tenantId, p.id))!;
        await audit(tx, filed, { case: view.number, office: office.id, department: department.id });
      });
      return present(filed!, actor);
    },

    get: detail,

    /** The form's start for this account: its name, and phone and address as its last petition gave them. */
    async prefill(ctx: AuditContext) {
      const actor = ctx.actor;
      const last =
        actor && actor.kind !== 'staff'
          ? (await store.petitionsOf(db.kysely, ctx.tenantId, actor.accountId))[0]
          : undefined;
      return {
        name: last?.name ?? actor?.name ?? '',
        phone: last?.phone ?? '',
        address: last?.address ?? '',
      };
    },

    /** The petitioner's own petitions, newest first. */
    async mine(ctx: AuditContext): Promise<Petition[]> {
      authorizeActing(ctx, 'account.self');
      const actor = ctx.actor;
      if (!actor || actor.kind === 'staff') return [];
      return (await store.petitionsOf(db.kysely, ctx.tenantId, actor.accountId)).map((p) =>
        present(p, actor),
      );
    },

    /**
     * The petitions a staff member works on: the petition office's whole jurisdiction (by place), or the
     * department's (registering, handling or reviewing them).
     */
    async worklist(ctx: AuditContext, page: { limit: number; offset: number }) {
      authorizeActing(ctx, ['petition.route', 'case.handle']);
      const actor = ctx.actor;
      if (!actor || actor.kind !== 'staff') return { items: [], total: 0 };
      const where: { placePrefix?: string; departmentId?: number } = {};
      if (actor.permissions.has('petition.route') && actor.division)
        where.placePrefix = subtreePrefix(actor.division);
      if (actor.permissions.has('case.handle') && actor.departmentId !== null)
        where.departmentId = actor.departmentId;
      const found = await store.listFor(db.kysely, ctx.tenantId, where, page);
      return {
        items: found.items.filter((p) => maySee(actor, p)).map((p) => present(p, actor)),
        total: found.total,
      };
    },

    /**
     * The petition office accepts a petition and hands it to the department it is routed to (受理并交办):
     * the 受理 action, then the handling task transferred from the office to that department — two
     * steps, each its own transaction; if the second fails, the office hands it on again from here.
     * When the department is the office itself (no department of the type covers the place), it stays.
     */
    async acceptAndDispatch(ctx: AuditContext, publicId: string): Promise<PetitionDetail> {
      authorizeActing(ctx, 'case.handle');
      let p = await load(ctx, publicId);
      const number = p.petition.caseNumber;
      if (!number) throw conflict('petitions.not_registered');
      const offered = await ports.cases.get(ctx, number);
      let view: CaseView = offered;
      const register = offered.available.find((a) => a.action === 'step' && a.name === 'accept');
      if (register)
        view = await ports.cases.act(ctx, number, {
          action: 'step',
          task: register.task!,
          name: 'accept',
          input: {},
        });
      p = await load(ctx, publicId);
      const target = p.petition.departmentId;
      const handle = view.state.tasks.find((t) => t.step === 'handle' && t.status === 'open');
      if (!handle) throw conflict('petitions.dispatch.not_now');
      if (target !== null && handle.departmentId !== target) {
        await ports.cases.act(ctx, number, {
          action: 'transfer',
          task: handle.no,
          departmentId: target,
          division: '',
          reason: zh('petitions.dispatch.reason', { department: p.petition.departmentName }),
        });
      }
      return detail(ctx, publicId);
    },

    /**
     * The petition office sends a petition to another department than the one it was routed to, with a
     * reason: while it is being registered, or accepted but not yet handed on. Once a department holds
     * the handling task it is that department's to transfer (转办) on the case.
     */
    async reroute(
      ctx: AuditContext,
      publicId: string,
      input: { departmentId?: number | null; reason?: string },
    ) {
      authorizeActing(ctx, 'petition.route');
      const actor = ctx.actor;
      const reason = plainText(input.reason ?? '');
      const departments = await ports.departments(ctx.tenantId);
      const to = departments.find((d) => d.id === input.departmentId && d.active);
      const problems: { field: string; code: string; params?: Record<string, number> }[] = [];
      if (!to) problems.push({ field: 'departmentId', code: 'petitions.reroute.department_unknown' });
      // 属地管理: the office hands on within its own jurisdiction; a body elsewhere is a 转送 on the case.
      else if (actor?.kind === 'staff' && !isWithin(to.divisionCode, actor.division))
        problems.push({ field: 'departmentId', code: 'petitions.reroute.department_outside' });
      if (reason === '') problems.push({ field: 'reason', code: 'errors.field_required' });
      else if (lengthOf(reason) > 500)
        problems.push({ field: 'reason', code: 'petitions.too_long', params: { max: 500 } });
      // The case is read before the transaction (on PGlite its one connection would wait for itself).
      const before = await load(ctx, publicId);
      if (actor && !mayRouteFor(actor, before)) throw hidden(publicId);
      const view = before.petition.caseNumber
        ? await ports.cases.get(system(ctx), before.petition.caseNumber)
        : undefined;
      const handle = view?.state.tasks.find((t) => t.step === 'handle' && t.status === 'open');
      await db.kysely.transaction().execute(async (tx) => {
        const p = await load(ctx, publicId, tx, true);
        if (p.status !== before.status) throw conflict('petitions.reroute.not_now');
        if (problems.length > 0) throw invalidFields(problems);
        if (to!.id === p.petition.departmentId)
          throw invalidFields([{ field: 'departmentId', code: 'petitions.reroute.same' }]);
        const handedOn = handle !== undefined && handle.departmentId !== p.officeId;
        if (!(p.status === 'registering' || (p.status === 'handling' && !handedOn)))
          throw conflict('petitions.reroute.not_now');
        await store.update(tx, ctx.tenantId, p.id, {
          departmentDivision: to!.divisionCode,
          stage: { stage: 'petition', values: { departmentId: to!.id, departmentName: to!.name } },
        });
        await store.insertReroute(tx, ctx.tenantId, {
          petitionId: p.id,
          byAccountId: actor?.accountId ?? 0,
          from: p.petition.departmentId,
          to: to!.id,
          reason,
        });
        await appendAudit(tx, ctx, {
          action: 'petitions.rerouted',
          objectType: 'petition',
          objectId: p.publicId,
          detail: { from: p.petition.departmentId, to: to!.id, reason },
        });
      });
      return detail(ctx, publicId);
    },

    /** The petitioner rates the written answer of the last stage (满意, 基本满意, 不满意), once. */
    async rate(ctx: AuditContext, publicId: string, rating: string | undefined) {
      authorizeActing(ctx, 'account.self');
      if (!store.RATINGS.includes(rating as store.Rating))
        throw invalidFields([{ field: 'rating', code: 'petitions.rating.choose' }]);
      await db.kysely.transaction().execute(async (tx) => {
        const p = await load(ctx, publicId, tx, true);
        if (ctx.actor?.kind === 'staff') throw hidden(publicId);
        const stage: store.Stage | null =
          p.status === 'answered'
            ? 'petition'
            : p.status === 'reviewed'
              ? 'review'
              : p.status === 'concluded'
                ? 'reexam'
                : null;
        if (!stage) throw conflict('petitions.rating.not_now');
        if (p[stage].rating) throw conflict('petitions.rating.given');
        await store.update(tx, ctx.tenantId, p.id, {
          stage: { stage, values: { rating: rating as store.Rating } },
        });
        await appendAudit(tx, ctx, {
          action: 'petitions.rated',
          objectType: 'petition',
          objectId: p.publicId,
          detail: { stage, rating },
        });
      });
      return detail(ctx, publicId);
    },

    /**
     * The petitioner asks the body one level up to review the opinion (复查, within 30 days of it) or to
     * re-examine the review (复核, within 30 days of that). After its time: refused, naming the day it ran
     * out. The request is a case of its own, in that body, decided within 30 days.
     */
    async requestReview(ctx: AuditContext, publicId: string, input: { reason?: string }) {
      authorizeActing(ctx, 'account.self');
      const p = await load(ctx, publicId);
      if (ctx.actor?.kind === 'staff' || !ctx.actor) throw hidden(publicId);
      const reason = plainText(input.reason ?? '');
      if (reason === '') throw invalidFields([{ field: 'reason', code: 'errors.field_required' }]);
      if (lengthOf(reason) > LIMITS.reason)
        throw invalidFields([
          { field: 'reason', code: 'petitions.too_long', params: { max: LIMITS.reason } },
        ]);
      const next = await nextStage(ctx.tenantId, p);
      if (!next) throw conflict('petitions.review.not_now');
      if (!next.open) throw conflict(`petitions.${next.stage}.expired`, { expired: dueDay(next.until) });
      const departments = await ports.departments(ctx.tenantId);
      const fromId = next.stage === 'review' ? p.petition.departmentId : p.review.departmentId;
      const from = departments.find((d) => d.id === fromId);
      const body = from && upperBody(departments, from);
      if (!body) throw conflict('petitions.review.no_upper_body');
      const stage = next.stage;
      await ports.cases.create(
        system(ctx),
        {
          definition: ports.reviewProcess,
          title: zh(`petitions.${stage}.case_title`, { matter: [...p.matter].slice(0, 40).join('') }),
          data: {
            stage: stage === 'review' ? '复查' : '复核',
            petition: p.petition.caseNumber ?? '',
            reason,
          },
          division: body.divisionCode,
          applicant: { kind: 'person', accountId: p.accountId, name: maskedName(p.name) },
        },
        {
          department: body.id,
          within: async (tx, view) => {
            const locked = await store.findPetition(tx, ctx.tenantId, publicId, true);
            if (locked?.status !== p.status) throw conflict('petitions.review.not_now');
            await store.update(tx, ctx.tenantId, p.id, {
              status: stage === 'review' ? 'reviewing' : 'reexamining',
              stage: {
                stage,
                values: {
                  caseNumber: view.number,
                  departmentId: body.id,
                  departmentName: body.name,
                  dueAt: view.state.tasks[0]?.dueAt ?? null,
                },
              },
            });
            await appendAudit(tx, ctx, {
              action: `petitions.${stage}_requested`,
              objectType: 'petition',
              objectId: p.publicId,
              detail: { case: view.number, body: body.id },
            });
          },
        },
      );
      return detail(ctx, publicId);
    },

    /** Who petitions, in full, for the staff handling it; each view is audited before it is shown. */
    async identityOf(ctx: AuditContext, publicId: string) {
      authorizeActing(ctx, 'pii.view');
      const p = await load(ctx, publicId);
      if (ctx.actor?.kind !== 'staff' && ctx.actor !== undefined) throw hidden(publicId);
      await appendAudit(db.kysely, ctx, {
        action: 'petitions.identity_viewed',
        objectType: 'petition',
        objectId: p.publicId,
        detail: { case: p.petition.caseNumber },
      });
      return {
        name: p.name,
        idNumber: ports.keyring.decrypt(p.idNumberCipher),
        phone: p.phone,
        address: p.address,
      };
    },

    /**
     * Material n sent with the petition, for its petitioner and the staff who may see who petitions
     * (those handling it, as identityOf: anyone else gets 404, as for the petition); audited.
     */
    async attachment(ctx: AuditContext, publicId: string, n: number): Promise<PetitionAttachment> {
      const p = await load(ctx, publicId);
      const actor = ctx.actor;
      if (actor?.kind === 'staff' && !actor.permissions.has('pii.view')) throw hidden(publicId);
      const a = p.attachments[n - 1];
      if (!a) throw notFound('petitions.attachment_not_found', { n });
      await appendAudit(db.kysely, ctx, {
        action: 'petitions.attachment_downloaded',
        objectType: 'petition',
        objectId: p.publicId,
        detail: { attachment: n, digest: a.digest, size: a.size },
      });
      return a;
    },

    /** Written answer n as a PDF, for whoever may see the petition; the download is audited. */
    async pdf(ctx: AuditContext, publicId: string, n: number) {
      const p = await load(ctx, publicId);
      const { documents } = p.petition.caseNumber ? await documentsOf(ctx, p) : { documents: [] };
      const doc = documents.find((d) => d.n === n);
      if (!doc) throw notFound('petitions.document_not_found', { n });
      const issuer =
        doc.stage === 'petition'
          ? doc.kind === 'opinion'
            ? p.petition.departmentName
            : p.officeName
          : p[doc.stage].departmentName;
      const calendar = await ports.calendarFor(ctx.tenantId);
      const nextBy =
        doc.kind === 'opinion' || doc.kind === 'review'
          ? periodEnd(calendar, new Date(doc.at), REVIEW_WINDOW_DAYS)
          : null;
      const bytes = await renderPdf(
        documentPdf(doc, { petitioner: p.name, matter: p.matter, receivedAt: p.createdAt, issuer, nextBy }),
      );
      await appendAudit(db.kysely, ctx, {
        action: 'petitions.document_downloaded',
        objectType: 'petition',
        objectId: p.publicId,
        detail: { document: n, kind: doc.kind },
      });
      return { bytes, filename: `${documentTitle(doc.kind)}-${doc.caseNumber}.pdf` };
    },

    /** A petition's documents for the generic case page (the workflow's caseDocuments port). */
    async ofCase(tenantId: string, view: CaseView): Promise<DocumentEntry[]> {
      if (view.definition.code !== ports.process && view.definition.code !== ports.reviewProcess) return [];
      const found = await store.findByCase(db.kysely, tenantId, view.number);
      if (!found) return [];
      const { documents } = await documentsOf({ tenantId } as AuditContext, found.petition);
      return documents
        .filter((d) => d.caseNumber === view.number)
        .map((d) => ({
          n: d.n,
          kind: d.kind,
          title: documentTitle(d.kind),
          at: d.at,
          href: `/api/v1/petitions/${found.petition.publicId}/documents/${d.n}.pdf`,
        }));
    },

    /** The departments the office may reroute to: the active ones within its jurisdiction. */
    async departments(ctx: AuditContext) {
      const actor = ctx.actor;
      return (await ports.departments(ctx.tenantId)).filter(
        (d) => d.active && (actor?.kind !== 'staff' || isWithin(d.divisionCode, actor.division)),
      );
    },
    chinaDate,
  };
}

export type PetitionService = ReturnType<typeof createPetitionService>;
