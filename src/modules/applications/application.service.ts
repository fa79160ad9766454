/**
 * Use-cases on applications: start one (online by the applicant, or at a window for a walk-in
 * applicant whose identity the officer checked), fill its form, give files for its materials, submit.
 * Submitting opens the case on the item's process, with the materials attached, in one transaction
 * with marking the application submitted: a second submit of the same draft — a double click, two
 * tabs — gets the same case, never a second one.
 *
 * Who may touch an application: its applicant's account; or, for one taken at a window, the staff of
 * that window's department who handle cases. Anyone else gets 404, as for an id that does not exist.
 */
import { randomBytes } from 'node:crypto';
import { appendAudit, auditInsert, type AuditContext } from '../../kernel/audit/index.ts';
import type { Sm4Keyring } from '../../kernel/crypto/index.ts';
import { isUniqueViolation, type Database } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound, type FieldProblem } from '../../kernel/errors.ts';
import type { UploadedFile } from '../../kernel/files/index.ts';
import { validateForm, type AddressScope } from '../../kernel/forms/index.ts';
import { checkCitizenId, checkCreditCode } from '../../kernel/identifiers/index.ts';
import { authorizeActing, type Actor } from '../../kernel/policy/index.ts';
import type { Item } from '../services/index.ts';
import type { CaseService, GroupWriter } from '../workflow/index.ts';
import * as store from './application.store.ts';

export interface ApplicationPorts {
  /** the item, whatever its status (the service checks it is open for applications) */
  item(tenantId: string, code: string): Promise<Item | undefined>;
  cases: Pick<CaseService, 'create'>;
  keyring: Sm4Keyring;
  /** where the form's address fields may lie */
  addressScope(tenantId: string): AddressScope;
}

export interface Application extends store.ApplicationRow {
  files: store.MaterialFile[];
}

/** Documents a window officer may check a walk-in applicant's identity against (核验证件). */
export const IDENTITY_DOCUMENTS = ['resident_id_card', 'business_licence', 'passport', 'other'] as const;

const hidden = (id: string) => () => notFound('applications.not_found', { id });

/** Whether the item takes applications at all, and online (三级 or 四级 with a process). */
export const takesApplications = (item: Item) => item.status === 'published' && item.processCode !== null;
export const takesOnline = (item: Item) => takesApplications(item) && item.onlineDepth >= 3;

function mayTouch(actor: Actor | null | undefined, a: store.ApplicationRow): boolean {
  if (actor === undefined) return true;
  if (!actor) return false;
  if (a.intake)
    return (
      actor.kind === 'staff' &&
      actor.departmentId === a.intake.departmentId &&
      actor.permissions.has('case.handle')
    );
  return actor.kind !== 'staff' && a.applicant.accountId === actor.accountId;
}

const asMaterialFile = (materialKey: string, f: UploadedFile) => ({
  materialKey,
  digest: f.digest,
  fileName: f.filename.slice(0, 200),
  mediaType: f.mediaType,
  size: f.size,
});

/** The case an application opens: on the item's process, with its materials attached. */
function caseFor(
  item: Item,
  a: Pick<store.ApplicationRow, 'data' | 'intake' | 'applicant'>,
  files: store.MaterialFile[] | ReturnType<typeof asMaterialFile>[],
) {
  const nameOf = (key: string) => item.materials.find((m) => m.key === key)?.name ?? key;
  return {
    definition: item.processCode!,
    title: item.name,
    data: a.data,
    division: item.divisionCode,
    applicant: a.intake ? a.applicant : undefined,
    attachments: files.map((f) => ({
      digest: f.digest,
      filename: `${nameOf(f.materialKey)}：${f.fileName}`,
      size: f.size,
      mediaType: f.mediaType,
    })),
  };
}

const MAX_DATA_CHARS = 100_000;

export function createApplicationService(db: Database, ports: ApplicationPorts) {
  /** Applications made in one request, written for their group of new cases in one statement. */
  const writeSubmitted: GroupWriter<{
    ctx: AuditContext;
    application: Omit<store.SubmittedApplication['application'], 'caseNumber'>;
    files: store.SubmittedApplication['files'];
  }> = (tx, rows) =>
    store.insertSubmitted(
      tx,
      rows.map(({ view, row }) => ({
        tenantId: row.ctx.tenantId,
        application: { ...row.application, caseNumber: view.number },
        files: row.files,
      })),
      auditInsert(
        rows.map(({ view, row }) => ({
          ctx: row.ctx,
          event: {
            action: 'applications.application_submitted',
            objectType: 'application',
            objectId: row.application.publicId,
            detail: { case: view.number, item: row.application.itemCode, oneRequest: true },
          },
        })),
      ),
    );

  async function openItem(tenantId: string, code: string, online: boolean): Promise<Item> {
    const item = await ports.item(tenantId, code);
    if (!item || !(online ? takesOnline(item) : takesApplications(item)))
      throw invalidFields([{ field: 'item', code: 'applications.item_closed', params: { code } }]);
    return item;
  }

  async function load(ctx: AuditContext, publicId: string) {
    const a = /^[A-Za-z0-9_-]{16,32}$/.test(publicId)
      ? await store.findApplication(db.kysely, ctx.tenantId, publicId)
      : undefined;
    if (!a || !mayTouch(ctx.actor, a)) throw hidden(publicId)();
    return a;
  }

  /** The applicant (a person or enterprise account, never staff) and the item, open to them online. */
  async function applyingOnline(ctx: AuditContext, itemCode: string) {
    authorizeActing(ctx, 'account.self');
    const actor = ctx.actor;
    if (!actor || actor.kind === 'staff') throw new DomainError('forbidden', 'applications.applicants_only');
    const item = await openItem(ctx.tenantId, itemCode, true);
    if (item.audience !== 'both' && item.audience !== actor.kind)
      throw invalidFields([{ field: 'item', code: `applications.audience.${item.audience}` }]);
    return { actor: actor as Actor & { kind: 'person' | 'enterprise' }, item };
  }

  /**
   * Everything wrong with an application at once, so the applicant fixes it in one go: the form's
   * fields as the item's form checks them, then each required material not given (those the
   * government already holds excepted).
   */
  async function problemsOf(
    tenantId: string,
    item: Item,
    data: Record<string, unknown>,
    given: readonly { materialKey: string }[],
  ): Promise<FieldProblem[]> {
    const problems = item.form
      ? (await validateForm(item.form, data, { from: 'api', divisions: ports.addressScope(tenantId) }))
          .problems
      : [];
    for (const m of item.materials)
      if (m.required && m.heldBy === '' && !given.some((f) => f.materialKey === m.key))
        problems.push({
          field: `materials/${m.key}`,
          code: 'applications.material_missing',
          params: { name: m.name },
        });
    return problems;
  }

  const draftOnly = (a: store.ApplicationRow) => {
    if (a.status !== 'draft')
      throw conflict('applications.already_submitted', { number: a.caseNumber ?? '' });
  };

  return {
    /** An applicant starts an application for an item that takes them online. */
    async start(ctx: AuditContext, itemCode: string): Promise<Application> {
      const { actor, item } = await applyingOnline(ctx, itemCode);
      return db.kysely.transaction().execute(async (tx) => {
        const a = await store.insertApplication(tx, ctx.tenantId, {
          publicId: randomBytes(12).toString('base64url'),
          itemCode: item.code,
          itemName: item.name,
          applicant: {
            kind: actor.kind as 'person' | 'enterprise',
            accountId: actor.accountId,
            name: actor.name,
          },
          idNumberCipher: null,
          intake: null,
        });
        await appendAudit(tx, ctx, {
          action: 'applications.application_started',
          objectType: 'application',
          objectId: a.publicId,
          detail: { item: item.code },
        });
        return { ...a, files: [] };
      });
    },

    /**
     * A window officer takes an application for a walk-in applicant (窗口代办), recording the identity
     * document they checked; the ID number is kept encrypted.
     */
    async startAtWindow(
      ctx: AuditContext,
      itemCode: string,
      who: { kind: 'person' | 'enterprise'; name: string; idNumber: string; document: string },
    ): Promise<Application> {
      authorizeActing(ctx, 'case.handle');
      const actor = ctx.actor;
      if (!actor?.departmentId) throw new DomainError('forbidden', 'policy.forbidden');
      const problems = [];
      const name = who.name.trim();
      if (name === '' || name.length > 100)
        problems.push({ field: 'name', code: 'applications.intake.name' });
      const check = who.kind === 'person' ? checkCitizenId(who.idNumber) : checkCreditCode(who.idNumber);
      if (!check.valid) problems.push({ field: 'idNumber', code: check.reason });
      if (!(IDENTITY_DOCUMENTS as readonly string[]).includes(who.document))
        problems.push({ field: 'document', code: 'applications.intake.document' });
      if (problems.length > 0) throw invalidFields(problems);
      const item = await openItem(ctx.tenantId, itemCode, false);
      return db.kysely.transaction().execute(async (tx) => {
        const a = await store.insertApplication(tx, ctx.tenantId, {
          publicId: randomBytes(12).toString('base64url'),
          itemCode: item.code,
          itemName: item.name,
          applicant: { kind: who.kind, accountId: null, name },
          idNumberCipher: ports.keyring.encrypt(check.valid ? check.normalized : who.idNumber),
          intake: {
            accountId: actor.accountId,
            departmentId: actor.departmentId!,
            officerName: actor.name,
            document: who.document,
          },
        });
        await appendAudit(tx, ctx, {
          action: 'applications.taken_at_window',
          objectType: 'application',
          objectId: a.publicId,
          detail: { item: item.code, document: who.document },
        });
        return { ...a, files: [] };
      });
    },

    async get(ctx: AuditContext, publicId: string): Promise<Application> {
      const a = await load(ctx, publicId);
      return { ...a, files: await store.filesOf(db.kysely, ctx.tenantId, a.id) };
    },

    /** A walk-in applicant's ID number in full; the read is audited. */
    async idNumberOf(ctx: AuditContext, publicId: string): Promise<string> {
      authorizeActing(ctx, 'pii.view');
      const a = await load(ctx, publicId);
      if (!a.idNumberCipher) return '';
      await appendAudit(db.kysely, ctx, {
        action: 'applications.id_number_viewed',
        objectType: 'application',
        objectId: a.publicId,
        detail: {},
      });
      return ports.keyring.decrypt(a.idNumberCipher);
    },

    mine: (ctx: AuditContext) => {
      const actor = ctx.actor;
      if (!actor) return Promise.resolve([]);
      return actor.kind === 'staff'
        ? actor.departmentId
          ? store.listApplications(db.kysely, ctx.tenantId, { intakeDepartmentId: actor.departmentId })
          : Promise.resolve([])
        : store.listApplications(db.kysely, ctx.tenantId, { applicantAccountId: actor.accountId });
    },

    /** Keeps what was typed so far; checked only on submission (a draft may be half done). */
    async saveData(ctx: AuditContext, publicId: string, data: Record<string, unknown>): Promise<void> {
      const a = await load(ctx, publicId);
      draftOnly(a);
      if (JSON.stringify(data).length > MAX_DATA_CHARS)
        throw invalidFields([{ field: 'data', code: 'applications.data_too_large' }]);
      await store.saveData(db.kysely, ctx.tenantId, a.id, data);
    },

    /** Checks that files may be given for this material now (before a byte of them is stored). */
    async checkMaterial(ctx: AuditContext, publicId: string, materialKey: string) {
      const a = await load(ctx, publicId);
      draftOnly(a);
      const item = await ports.item(ctx.tenantId, a.itemCode);
      const material = item?.materials.find((m) => m.key === materialKey);
      if (!material) throw notFound('applications.material_unknown', { key: materialKey });
      return { application: a, material };
    },

    async addFiles(ctx: AuditContext, publicId: string, materialKey: string, files: UploadedFile[]) {
      const { application: a } = await this.checkMaterial(ctx, publicId, materialKey);
      if (files.length === 0) throw invalidFields([{ field: 'file', code: 'errors.field_required' }]);
      await store.addFiles(
        db.kysely,
        ctx.tenantId,
        a.id,
        files.map((f) => asMaterialFile(materialKey, f)),
      );
    },

    async removeFile(ctx: AuditContext, publicId: string, materialKey: string, digest: string) {
      const a = await load(ctx, publicId);
      draftOnly(a);
      if ((await store.removeFile(db.kysely, ctx.tenantId, a.id, materialKey, digest)) === 0)
        throw notFound('applications.file_unknown', { key: materialKey });
    },

    /**
     * Submits: every required material given (those the government already holds excepted), the
     * form as the process checks it, then the case. Submitting again returns the same case.
     */
    async submit(ctx: AuditContext, publicId: string): Promise<{ caseNumber: string; created: boolean }> {
      const a = await load(ctx, publicId);
      if (a.status === 'submitted') return { caseNumber: a.caseNumber!, created: false };
      const item = await openItem(ctx.tenantId, a.itemCode, a.intake === null);
      const files = await store.filesOf(db.kysely, ctx.tenantId, a.id);
      const problems = await problemsOf(ctx.tenantId, item, a.data, files);
      if (problems.length > 0) throw invalidFields(problems, 'applications.incomplete');
      try {
        const view = await ports.cases.create(ctx, caseFor(item, a, files), {
          within: async (tx, opened) => {
            if ((await store.markSubmitted(tx, ctx.tenantId, a.id, opened.number)) === 0)
              throw conflict('applications.already_submitted', { number: '' });
            await appendAudit(tx, ctx, {
              action: 'applications.application_submitted',
              objectType: 'application',
              objectId: a.publicId,
              detail: { case: opened.number, item: item.code },
            });
          },
        });
        return { caseNumber: view.number, created: true };
      } catch (e) {
        // Submitted meanwhile (another tab): that submission's case is this one's.
        if (e instanceof DomainError && e.code === 'applications.already_submitted') {
          const now = await load(ctx, publicId);
          if (now.caseNumber) return { caseNumber: now.caseNumber, created: false };
        }
        throw e;
      }
    },

    /**
     * An application made and submitted in one request (an API client: a mobile app, a self-service
     * terminal, another government system): the form's answers and the files for its materials
     * together, checked as a submission is, and written with the case in the transaction that opens
     * it — there is never a draft. A retry with the same Idempotency-Key gets the first attempt's case.
     */
    async submitAtOnce(
      ctx: AuditContext,
      input: {
        item: string;
        data: Record<string, unknown>;
        /** each stored file, under the key of the material it is given for */
        files: readonly (UploadedFile & { materialKey: string })[];
        idempotencyKey: string | null;
      },
    ): Promise<{ id: string; caseNumber: string; created: boolean }> {
      const { actor, item } = await applyingOnline(ctx, input.item);
      const earlier = async () => {
        const a =
          input.idempotencyKey === null
            ? undefined
            : await store.findByIdempotencyKey(
                db.kysely,
                ctx.tenantId,
                actor.accountId,
                input.idempotencyKey,
              );
        return a && { id: a.publicId, caseNumber: a.caseNumber!, created: false };
      };
      const before = await earlier();
      if (before) return before;
      const problems: FieldProblem[] = [];
      if (JSON.stringify(input.data).length > MAX_DATA_CHARS)
        problems.push({ field: 'data', code: 'applications.data_too_large' });
      for (const f of input.files)
        if (!item.materials.some((m) => m.key === f.materialKey))
          problems.push({
            field: `materials/${f.materialKey}`,
            code: 'applications.material_unknown',
            params: { key: f.materialKey },
          });
      problems.push(...(await problemsOf(ctx.tenantId, item, input.data, input.files)));
      if (problems.length > 0) throw invalidFields(problems, 'applications.incomplete');
      const files = input.files.map((f) => asMaterialFile(f.materialKey, f));
      const applicant = { kind: actor.kind, accountId: actor.accountId, name: actor.name };
      const publicId = randomBytes(12).toString('base64url');
      try {
        const view = await ports.cases.create(
          ctx,
          caseFor(item, { data: input.data, intake: null, applicant }, files),
          {
            groupRow: {
              writer: writeSubmitted,
              row: {
                ctx,
                application: {
                  publicId,
                  itemCode: item.code,
                  itemName: item.name,
                  applicant,
                  idNumberCipher: null,
                  intake: null,
                  data: input.data,
                  idempotencyKey: input.idempotencyKey,
                },
                files,
              },
            },
          },
        );
        return { id: publicId, caseNumber: view.number, created: true };
      } catch (e) {
        // The same key sent twice at once: the one that lost the race answers with the winner's case.
        if (isUniqueViolation(e)) {
          const winner = await earlier();
          if (winner) return winner;
        }
        throw e;
      }
    },
  };
}

export type ApplicationService = ReturnType<typeof createApplicationService>;
