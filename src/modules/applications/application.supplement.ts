/**
 * Answering a 补正 from the application page. When the receiving department stops the clock for 补正,
 * its notice lists everything to supply (each material and what is wrong with it); the applicant sees
 * that list on their application, uploads files against each item and presses 重新提交, which ends the
 * stop — the clock then resumes as the stop's definition says (afresh, for 补正 under 行政许可法 §32).
 *
 * An upload is kept twice, in one transaction: as the application's files (under the item's material
 * when the item names one, so the application stays the full record of what was given) and as the
 * case's attachments (what the officers work from). Only while the case waits for this applicant: the
 * engine decides that, as it offers `resume` to the applicant alone.
 *
 * It also tells the workflow what a stop may ask for in an application's case: the item's materials
 * by name, and the application form.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import type { UploadedFile } from '../../kernel/files/index.ts';
import { translator } from '../../kernel/i18n/index.ts';
import type { Item } from '../services/index.ts';
import type { CaseService, CaseView, StopItem } from '../workflow/index.ts';
import type { Application, ApplicationService } from './application.service.ts';
import * as store from './application.store.ts';

export interface SupplementPorts {
  applications: Pick<ApplicationService, 'get'>;
  item(tenantId: string, code: string): Promise<Item | undefined>;
  cases: Pick<CaseService, 'get' | 'act'>;
}

/** One thing the notice asks for, numbered from 0 as the notice lists it, with what was given for it. */
export interface SupplementTarget extends StopItem {
  n: number;
  /** where its files are kept among the application's: the item's material it names, else its own */
  materialKey: string;
  /** the files given for it since the notice */
  files: Application['files'];
}

export interface SupplementNotice {
  /** the stop's name as the process calls it (补正材料) */
  stopName: { 'zh-CN': string; en?: string | undefined };
  reason: string;
  since: Date;
  /** the items, or — a notice with a reason only — one target for whatever it asks */
  targets: SupplementTarget[];
  /** the viewer is the applicant and the case waits for them */
  canAnswer: boolean;
}

/** The application form's label in a stop's list: a case log is kept in Chinese, as the documents are. */
export const formLabel = () => translator('zh-CN')('applications.supplement.form');

/**
 * An application's case as its reader sees it — or, read through the application (a window officer
 * whose department holds no task of it), as the system reads it: access was the application's to give.
 */
export async function caseOfApplication(
  cases: Pick<CaseService, 'get'>,
  ctx: AuditContext,
  a: Pick<Application, 'caseNumber'>,
) {
  if (!a.caseNumber) return null;
  try {
    return await cases.get(ctx, a.caseNumber);
  } catch (e) {
    if (!(e instanceof DomainError && e.kind === 'not_found')) throw e;
    return cases.get({ ...ctx, actor: undefined }, a.caseNumber);
  }
}

export function createSupplementService(db: Database, ports: SupplementPorts) {
  /** The open 补正 of an application's case, if its case waits for the applicant. */
  async function noticeOf(ctx: AuditContext, a: Application): Promise<SupplementNotice | null> {
    const view = await caseOfApplication(ports.cases, ctx, a);
    const stop = view?.state.stop;
    const kind = stop && view.definition.body.stops?.[stop.stop];
    if (!view || !stop || kind?.endedBy !== 'applicant') return null;
    const item = await ports.item(ctx.tenantId, a.itemCode);
    const asked = stop.items.length > 0 ? stop.items : [{ label: kind.name['zh-CN'], note: '' }];
    // What the case received since the notice: a file counts for a target when it was attached then.
    const attached = new Set<string>();
    for (const e of view.events)
      if (e.type === 'clock.stopped') attached.clear();
      else if (e.type === 'attachment.added') attached.add(e.digest);
    const targets = asked.map((x, n) => {
      const materialKey = materialKeyOf(item, x.label, n);
      return {
        ...x,
        n,
        materialKey,
        files: a.files.filter((f) => f.materialKey === materialKey && attached.has(f.digest)),
      };
    });
    return {
      stopName: kind.name,
      reason: stop.reason,
      since: stop.since,
      targets,
      canAnswer: view.available.some((x) => x.action === 'resume'),
    };
  }

  /** The notice and the target files may be given for now; refused before a byte is stored. */
  async function open(ctx: AuditContext, publicId: string, n: number) {
    const a = await ports.applications.get(ctx, publicId);
    const notice = await noticeOf(ctx, a);
    if (!notice?.canAnswer) throw conflict('applications.supplement.not_waiting');
    const target = Number.isInteger(n) ? notice.targets[n] : undefined;
    if (!target) throw notFound('applications.supplement.item_unknown', { n: String(n) });
    return { a, notice, target };
  }

  return {
    notice: noticeOf,

    /** Checks files may be given for the notice's item n now. */
    check: (ctx: AuditContext, publicId: string, n: number) => open(ctx, publicId, n).then(() => undefined),

    /** Keeps files given for item n as the application's and attaches them to the case, together. */
    async give(ctx: AuditContext, publicId: string, n: number, files: UploadedFile[]): Promise<void> {
      const { a, target } = await open(ctx, publicId, n);
      if (files.length === 0) throw invalidFields([{ field: 'file', code: 'errors.field_required' }]);
      await ports.cases.act(
        ctx,
        a.caseNumber!,
        {
          action: 'attach',
          files: files.map((f) => ({
            digest: f.digest,
            filename: `${target.label}：${f.filename}`,
            size: f.size,
            mediaType: f.mediaType,
          })),
        },
        {
          within: async (tx, view) => {
            // Resubmitted meanwhile (another tab): these files would answer a notice no longer open.
            if (view.state.status !== 'stopped') throw conflict('applications.supplement.not_waiting');
            await store.addFiles(
              tx,
              ctx.tenantId,
              a.id,
              files.map((f) => ({
                materialKey: target.materialKey,
                digest: f.digest,
                fileName: f.filename.slice(0, 200),
                mediaType: f.mediaType,
                size: f.size,
              })),
            );
            await appendAudit(tx, ctx, {
              action: 'applications.supplement_given',
              objectType: 'application',
              objectId: a.publicId,
              detail: { case: view.number, item: target.label, files: files.length },
            });
          },
        },
      );
    },

    /** 重新提交: ends the stop, the clock resuming as the stop's definition says. */
    async resubmit(ctx: AuditContext, publicId: string, note: string): Promise<CaseView> {
      const a = await ports.applications.get(ctx, publicId);
      const notice = await noticeOf(ctx, a);
      if (!notice?.canAnswer) throw conflict('applications.supplement.not_waiting');
      // Every item answered by a file, or a word why not: an empty 重新提交 would only restart the
      // clock for the staff to ask again.
      const missing = notice.targets.filter((x) => x.files.length === 0);
      if (missing.length > 0 && note.trim() === '')
        throw invalidFields([
          {
            field: 'note',
            code: 'applications.supplement.items_missing',
            params: { items: missing.map((x) => x.label).join('、') },
          },
        ]);
      return ports.cases.act(
        ctx,
        a.caseNumber!,
        { action: 'resume', note, input: {} },
        {
          within: async (tx, view) => {
            await appendAudit(tx, ctx, {
              action: 'applications.resubmitted',
              objectType: 'application',
              objectId: a.publicId,
              detail: { case: view.number },
            });
          },
        },
      );
    },

    /**
     * What a stop may ask for in the case an application opened: the item's materials by name, and
     * its application form; nothing for other cases.
     */
    async stopChoices(tenantId: string, view: CaseView): Promise<{ label: string }[]> {
      const a = await store.findByCase(db.kysely, tenantId, view.number);
      const item = a && (await ports.item(tenantId, a.itemCode));
      if (!item) return [];
      const labels = item.materials.map((m) => m.name);
      if (item.form) labels.push(formLabel());
      return [...new Set(labels)].map((label) => ({ label }));
    },
  };
}

/** Where files given for an item are kept: under the material it names, else under its own key. */
function materialKeyOf(item: Item | undefined, label: string, n: number): string {
  const m =
    item?.materials.find((x) => x.name === label) ??
    (label === formLabel() ? item?.materials.find((x) => x.isApplicationForm) : undefined);
  return m?.key ?? `supplement-${n}`;
}

export type SupplementService = ReturnType<typeof createSupplementService>;
