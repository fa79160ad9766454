/**
 * Content safety (内容安全): the site's sensitive words, the screening of public posts against them,
 * and the moderators' decisions on the posts held.
 *
 * Words. A word is stored as matching holds it (matcher.ts: folded, lower-case, no separators), 2 to
 * 32 characters. `content.moderate` (moderators, the tenant administrator) reads and changes the list;
 * a change needs a jurisdiction covering the site, since the list is the whole site's. Each change is
 * audited in its transaction, announced to the other nodes and loaded into this node's automaton
 * before the call returns. An import is all or nothing: one bad line and nothing is added, every bad
 * line named with its number; words the site has already are counted, not refused.
 *
 * Held posts stay in their own modules' tables. Each module registers a HeldSource; the moderation
 * page lists every source's held posts and passes the moderator's decision to the source, which
 * writes it (and its own audit entry) in its transaction. This module audits the decision as well —
 * after the source's transaction, with the kind, so the chain shows who moderated what from here.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import { authorizeActing, decide } from '../../kernel/policy/index.ts';
import { lengthOf, plainText } from '../../kernel/text/index.ts';
import { normalizeWord } from './matcher.ts';
import * as store from './word.store.ts';
import type { Word } from './word.store.ts';
import type { WordSync } from './word.sync.ts';

/** A bound on one site's list: every node holds every site's words in memory. */
export const MAX_WORDS_PER_SITE = 20_000;
/** Lines one import may carry. */
export const MAX_IMPORT_LINES = 5_000;
const WORD_MIN = 2;
const WORD_MAX = 32;
export const REASON_MAX = 500;

/** A module whose public posts can be held (a letter, a petition, a question for an interview …). */
export interface HeldSource {
  /** 'letters', 'petitions', 'interview-questions', 'opinions' */
  kind: string;
  /** locale key naming the kind on the moderation page */
  titleKey: string;
  list(
    tenantId: string,
  ): Promise<{ id: string; writer: string; excerpt: string; words: string[]; at: Date }[]>;
  /** the post goes on as if never held */
  release(ctx: AuditContext, id: string): Promise<void>;
  /** the writer is told, with the reason */
  reject(ctx: AuditContext, id: string, reason: string): Promise<void>;
}

/** A held post as the moderation page shows it. */
export interface HeldPost {
  kind: string;
  titleKey: string;
  id: string;
  writer: string;
  excerpt: string;
  words: string[];
  at: Date;
}

export interface ImportResult {
  added: number;
  existing: number;
}

const forbidden = () => new DomainError('forbidden', 'policy.forbidden');

/** The word as stored, or the reason it cannot be one. */
export function checkWord(raw: string): { valid: true; word: string } | { valid: false; reason: string } {
  const word = normalizeWord(raw.trim());
  const n = lengthOf(word);
  if (n < WORD_MIN || n > WORD_MAX) return { valid: false, reason: 'moderation.word.length' };
  return { valid: true, word };
}

export function createModerationService(db: Database, sync: WordSync) {
  const sources = new Map<string, HeldSource>();
  const assertModerator = (ctx: AuditContext) =>
    authorizeActing(ctx, 'content.moderate', { division: ctx.tenantId }, forbidden);

  function source(kind: string): HeldSource {
    const s = sources.get(kind);
    if (!s) throw notFound('moderation.held.not_found', { id: kind });
    return s;
  }

  async function addWords(ctx: AuditContext, words: string[]): Promise<ImportResult> {
    const added = await db.kysely.transaction().execute(async (trx) => {
      const have = await store.existing(trx, ctx.tenantId, words);
      const fresh = words.filter((w) => !have.has(w));
      const count = await store.countWords(trx, ctx.tenantId);
      if (count + fresh.length > MAX_WORDS_PER_SITE) {
        const params = { max: MAX_WORDS_PER_SITE };
        throw conflict('moderation.word.too_many', params, [
          { field: 'word', code: 'moderation.word.too_many', params },
        ]);
      }
      const inserted = await store.insertWords(trx, ctx.tenantId, fresh, {
        addedBy: ctx.actorId,
        addedByName: ctx.actor?.name || ctx.actorId,
      });
      if (inserted.length > 0) {
        // One entry per word when few, one for the list when many (an import of thousands).
        if (inserted.length <= 20)
          for (const w of inserted)
            await appendAudit(trx, ctx, {
              action: 'moderation.word_added',
              objectType: 'sensitive_word',
              objectId: w,
            });
        else
          await appendAudit(trx, ctx, {
            action: 'moderation.words_imported',
            objectType: 'sensitive_word',
            objectId: ctx.tenantId,
            detail: { added: inserted.length },
          });
        await store.announceChange(trx, ctx.tenantId);
      }
      return inserted.length;
    });
    if (added > 0) await sync.reload(ctx.tenantId);
    return { added, existing: words.length - added };
  }

  return {
    /** Whether the actor may change the list and decide held posts (pages show the forms only then). */
    mayModerate(ctx: AuditContext): boolean {
      return (
        ctx.actor === undefined ||
        decide(ctx.actor, 'content.moderate', { division: ctx.tenantId }) === 'allow'
      );
    },

    /**
     * Whether texts of a public post hold the site's words: each text on its own (a word does not
     * run from a title into a body), HTML stripped first as the post will be stored.
     */
    async screen(tenantId: string, texts: readonly string[]): Promise<{ held: boolean; words: string[] }> {
      const matcher = sync.matcherFor(tenantId);
      if (matcher.size === 0) return { held: false, words: [] };
      const words = new Set<string>();
      for (const t of texts) for (const h of matcher.find(plainText(t))) words.add(h.word);
      return { held: words.size > 0, words: [...words] };
    },

    /** Occurrences of the site's words in a text, for marking them on a page. */
    hits: (tenantId: string, text: string) => sync.matcherFor(tenantId).find(text),

    async list(
      ctx: AuditContext,
      filter: { query?: string | undefined },
      page: { limit: number; offset: number },
    ): Promise<{ items: Word[]; total: number }> {
      authorizeActing(ctx, 'content.moderate');
      const contains = normalizeWord(filter.query?.trim() ?? '');
      return store.listWords(db.kysely, ctx.tenantId, { contains: contains || undefined }, page);
    },

    async add(ctx: AuditContext, raw: string): Promise<Word> {
      assertModerator(ctx);
      const check = checkWord(raw);
      if (!check.valid)
        throw invalidFields([
          { field: 'word', code: check.reason, params: { min: WORD_MIN, max: WORD_MAX } },
        ]);
      const r = await addWords(ctx, [check.word]);
      if (r.added === 0)
        throw conflict('moderation.word.exists', { word: check.word }, [
          { field: 'word', code: 'moderation.word.exists', params: { word: check.word } },
        ]);
      const listed = await store.listWords(
        db.kysely,
        ctx.tenantId,
        { contains: check.word },
        { limit: 50, offset: 0 },
      );
      return listed.items.find((w) => w.word === check.word)!;
    },

    /**
     * Adds a list, one word per line (blank lines and lines starting with # skipped). Every bad line
     * is named (field `line-N`) and then nothing is added.
     */
    async import(ctx: AuditContext, text: string): Promise<ImportResult> {
      assertModerator(ctx);
      const lines = text.split(/\r\n?|\n/);
      if (lines.length > MAX_IMPORT_LINES)
        throw invalidFields([
          { field: 'words', code: 'moderation.import.too_long', params: { max: MAX_IMPORT_LINES } },
        ]);
      const words: string[] = [];
      const problems: { field: string; code: string; params: Record<string, string | number> }[] = [];
      lines.forEach((line, i) => {
        const trimmed = line.trim();
        if (!trimmed || trimmed.startsWith('#')) return;
        const check = checkWord(trimmed);
        if (check.valid) words.push(check.word);
        else
          problems.push({
            field: `line-${i + 1}`,
            code: 'moderation.import.line',
            params: { line: i + 1, text: [...trimmed].slice(0, 40).join(''), min: WORD_MIN, max: WORD_MAX },
          });
      });
      if (problems.length > 0) throw invalidFields(problems.slice(0, 100), 'moderation.import.invalid');
      if (words.length === 0) throw invalidFields([{ field: 'words', code: 'moderation.import.empty' }]);
      return addWords(ctx, [...new Set(words)]);
    },

    async remove(ctx: AuditContext, raw: string): Promise<void> {
      assertModerator(ctx);
      const word = normalizeWord(raw.trim());
      await db.kysely.transaction().execute(async (trx) => {
        if (!(await store.deleteWord(trx, ctx.tenantId, word)))
          throw notFound('moderation.word.not_found', { word });
        await appendAudit(trx, ctx, {
          action: 'moderation.word_removed',
          objectType: 'sensitive_word',
          objectId: word,
        });
        await store.announceChange(trx, ctx.tenantId);
      });
      await sync.reload(ctx.tenantId);
    },

    /** Seeds a site's list when it has none (the demo site's placeholder words). */
    async seed(ctx: AuditContext, words: readonly string[]): Promise<void> {
      if ((await store.countWords(db.kysely, ctx.tenantId)) > 0) return;
      await addWords(
        ctx,
        words.map((w) => normalizeWord(w)),
      );
    },

    queue: {
      register(s: HeldSource): void {
        if (sources.has(s.kind)) throw new Error(`held source ${s.kind} registered twice`);
        sources.set(s.kind, s);
      },
      kinds: () => [...sources.values()].map((s) => ({ kind: s.kind, titleKey: s.titleKey })),

      /** Every source's held posts on the site, oldest first (the longest waiting first). */
      async held(ctx: AuditContext): Promise<HeldPost[]> {
        authorizeActing(ctx, 'content.moderate');
        // Held posts are the whole site's: a moderator whose jurisdiction is part of it sees none.
        if (ctx.actor && decide(ctx.actor, 'content.moderate', { division: ctx.tenantId }) !== 'allow')
          return [];
        const all = await Promise.all(
          [...sources.values()].map(async (s) =>
            (await s.list(ctx.tenantId)).map((p) => ({ ...p, kind: s.kind, titleKey: s.titleKey })),
          ),
        );
        return all.flat().sort((a, b) => a.at.getTime() - b.at.getTime());
      },

      async release(ctx: AuditContext, kind: string, id: string): Promise<void> {
        assertModerator(ctx);
        await source(kind).release(ctx, id);
        await appendAudit(db.kysely, ctx, {
          action: 'moderation.released',
          objectType: kind,
          objectId: id,
        });
      },

      async reject(ctx: AuditContext, kind: string, id: string, rawReason: string): Promise<void> {
        assertModerator(ctx);
        const reason = plainText(rawReason);
        const n = lengthOf(reason);
        if (n < 2 || n > REASON_MAX)
          throw invalidFields([
            { field: 'reason', code: 'moderation.reason.length', params: { min: 2, max: REASON_MAX } },
          ]);
        await source(kind).reject(ctx, id, reason);
        await appendAudit(db.kysely, ctx, {
          action: 'moderation.rejected',
          objectType: kind,
          objectId: id,
        });
      },
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
