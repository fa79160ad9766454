/**
 * What other modules may hang on publications without reaching into their tables: hear, in the
 * approving transaction, that a publication has been published (a policy's document going out moves
 * the policy along), and change a publication's validity inside their own transaction as the platform
 * (a revision replacing the old document, a repeal) — the calling module has already decided who may.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Executor } from '../../kernel/db/index.ts';
import { invalidFields, notFound } from '../../kernel/errors.ts';
import type { CaseService } from '../workflow/index.ts';
import { VALIDITIES, type Publication, type Validity } from './catalogue.ts';
import * as store from './publication.store.ts';

/**
 * Called in the transaction that published a publication (its review approved), with that
 * transaction's context — only the site when the system closed the review.
 */
export type PublishedListener = (
  tx: Executor,
  ctx: AuditContext | { tenantId: string },
  publication: Publication,
) => Promise<void>;

export function createPublicationHooks(deps: {
  cases: Pick<CaseService, 'onClosed'>;
  reviewProcess: string;
}) {
  const listeners: PublishedListener[] = [];

  // Registered after the publication service's own listener (index.ts builds that first), so in the
  // same transaction the publication is already published when this one reads it.
  deps.cases.onClosed(async (tx, ctx, view) => {
    if (listeners.length === 0 || view.definition.code !== deps.reviewProcess) return;
    if (view.state.outcome !== 'approved') return;
    const id = Number(view.state.data.publication);
    if (!Number.isSafeInteger(id)) return;
    const p = await store.findPublication(tx, ctx.tenantId, id);
    if (!p || p.status !== 'published' || p.reviewCase !== view.number) return;
    for (const listener of listeners) await listener(tx, ctx, p);
  });

  return {
    /** Registers work to do in the transaction that publishes a publication. */
    onPublished(listener: PublishedListener): void {
      listeners.push(listener);
    },

    /**
     * 有效/失效/废止 set by the platform inside the caller's transaction: setValidity's checks on the
     * values, none on the actor. A replacing publication must be published (it may still wait for its
     * public time, as a revision approved for a later day does).
     */
    async setValidityWithin(
      tx: Executor,
      ctx: AuditContext | { tenantId: string },
      id: number,
      validity: Validity,
      replacedBy: number | null,
    ): Promise<Publication> {
      if (!(VALIDITIES as readonly string[]).includes(validity))
        throw invalidFields([{ field: 'validity', code: 'publications.validity_unknown' }]);
      const p = await store.findPublication(tx, ctx.tenantId, id, true);
      if (!p) throw notFound('publications.not_found', { id: String(id) });
      if (replacedBy !== null) {
        const r = replacedBy === id ? undefined : await store.findPublication(tx, ctx.tenantId, replacedBy);
        if (!r || r.status !== 'published' || validity === 'valid')
          throw invalidFields([{ field: 'replacedBy', code: 'publications.replaced_by_invalid' }]);
      }
      await store.setValidity(tx, ctx.tenantId, id, validity, replacedBy);
      if ('actorId' in ctx)
        await appendAudit(tx, ctx, {
          action: 'publications.validity_changed',
          objectType: 'publication',
          objectId: String(id),
          detail: { validity, replacedBy },
        });
      return (await store.findPublication(tx, ctx.tenantId, id))!;
    },
  };
}

export type PublicationHooks = ReturnType<typeof createPublicationHooks>;
