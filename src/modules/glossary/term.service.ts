/**
 * The site's search dictionary (词库): terms its administrators add so that search takes each as one
 * word. A term is checked and normalised by the search kernel (checkTerm: 2 to 32 letters and digits,
 * full-width folded, lower-case); one the built-in dictionary has already is refused, saying so, since
 * adding it would change nothing.
 *
 * Who: `search.terms` (the tenant administrator) reads the list. A term changes how the whole site's
 * search segments, so adding or removing one also needs a jurisdiction covering the site, as the
 * site's calendar does. Each change is audited in its transaction, announced to the other nodes, and
 * loaded into this node's segmenter before the call returns (onChanged).
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import { authorizeActing, decide } from '../../kernel/policy/index.ts';
import {
  checkTerm,
  GOVERNMENT_SYNONYMS,
  GOVERNMENT_TERMS,
  normalizeText,
} from '../../kernel/search/index.ts';
import * as store from './term.store.ts';
import type { Term } from './term.store.ts';

/** A bound on one site's dictionary: every node holds every site's terms in memory. */
export const MAX_TERMS_PER_SITE = 5_000;

const BUILT_IN = new Set([...GOVERNMENT_TERMS, ...GOVERNMENT_SYNONYMS.flat()].map(normalizeText));
const forbidden = () => new DomainError('forbidden', 'policy.forbidden');

export interface TermServiceOptions {
  /** Runs after a change committed: loads the terms into this node's segmenter. */
  onChanged(): Promise<void>;
}

export function createTermService(db: Database, options: TermServiceOptions) {
  const assertEditor = (ctx: AuditContext) =>
    authorizeActing(ctx, 'search.terms', { division: ctx.tenantId }, forbidden);

  return {
    /** Whether the actor may add and remove the site's terms (pages show the forms only then). */
    mayEdit(ctx: AuditContext): boolean {
      return (
        ctx.actor === undefined || decide(ctx.actor, 'search.terms', { division: ctx.tenantId }) === 'allow'
      );
    },

    /** The site's terms, newest first; `query` finds terms containing it. */
    async list(
      ctx: AuditContext,
      filter: { query?: string | undefined },
      page: { limit: number; offset: number },
    ): Promise<{ items: Term[]; total: number }> {
      authorizeActing(ctx, 'search.terms');
      const contains = normalizeText(filter.query?.trim() ?? '');
      return store.listTerms(db.kysely, ctx.tenantId, { contains: contains || undefined }, page);
    },

    async add(ctx: AuditContext, raw: string): Promise<Term> {
      assertEditor(ctx);
      const check = checkTerm(raw);
      if (!check.valid) throw invalidFields([{ field: 'term', code: check.reason }]);
      const term = check.term;
      if (BUILT_IN.has(term))
        throw invalidFields([{ field: 'term', code: 'glossary.term.built_in', params: { term } }]);
      const added = await db.kysely.transaction().execute(async (trx) => {
        if ((await store.countTerms(trx, ctx.tenantId)) >= MAX_TERMS_PER_SITE) {
          const params = { max: MAX_TERMS_PER_SITE };
          throw conflict('glossary.term.too_many', params, [
            { field: 'term', code: 'glossary.term.too_many', params },
          ]);
        }
        const row = await store.insertTerm(trx, ctx.tenantId, {
          term,
          addedBy: ctx.actorId,
          addedByName: ctx.actor?.name || ctx.actorId,
        });
        if (!row)
          throw conflict('glossary.term.exists', { term }, [
            { field: 'term', code: 'glossary.term.exists', params: { term } },
          ]);
        await appendAudit(trx, ctx, {
          action: 'glossary.term_added',
          objectType: 'search_term',
          objectId: term,
        });
        await store.announceChange(trx, ctx.tenantId);
        return row;
      });
      await options.onChanged();
      return added;
    },

    async remove(ctx: AuditContext, raw: string): Promise<void> {
      assertEditor(ctx);
      const term = normalizeText(raw.trim());
      await db.kysely.transaction().execute(async (trx) => {
        if (!(await store.deleteTerm(trx, ctx.tenantId, term)))
          throw notFound('glossary.term.not_found', { term });
        await appendAudit(trx, ctx, {
          action: 'glossary.term_removed',
          objectType: 'search_term',
          objectId: term,
        });
        await store.announceChange(trx, ctx.tenantId);
      });
      await options.onChanged();
    },
  };
}

export type TermService = ReturnType<typeof createTermService>;
