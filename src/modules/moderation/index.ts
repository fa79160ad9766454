/**
 * moderation — 内容安全: each site's sensitive words (敏感词), the screening of every public post
 * against them, and the one moderation page where held posts of every module are released or
 * rejected. The only file other modules import; see CONTEXT.md for the words.
 *
 * Decisions, and why:
 * - Matching is in memory, one Aho–Corasick automaton per site (matcher.ts): a post is screened in
 *   one pass over its characters however many words the site lists, with no query. Full-width and
 *   case are folded and separators inserted between a word's characters are skipped; how far that
 *   goes is written in matcher.ts.
 * - Every node holds every site's automaton, kept in step like the search dictionary: NOTIFY on
 *   PostgreSQL and a reload every minute (word.sync.ts); on PGlite the change reloads in-process.
 * - A held post is not this module's row: the module it belongs to keeps it (a letter in letters)
 *   and registers a HeldSource, so a release continues that module's own flow (a letter becomes a
 *   case) and a rejection tells its writer in that module's words. This module shows and decides.
 * - Modules take `screen` as a port (deps in src/app.ts), never this module itself, so their tests
 *   pass a fake that holds a fixed word.
 */
import type { FastifyInstance } from 'fastify';
import type { AuditContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { createModerationService, type HeldSource } from './moderation.service.ts';
import { moderationRoutes } from './moderation.routes.ts';
import { moderationWorkbenchPages } from './moderation.workbench.tsx';
import { createWordSync, type WordSyncOptions } from './word.sync.ts';

export type { HeldSource, HeldPost, ModerationService } from './moderation.service.ts';
export type { Word } from './word.store.ts';
export { MAX_WORDS_PER_SITE } from './moderation.service.ts';
export { buildMatcher, markedPieces, normalizeWord, type Hit, type Matcher } from './matcher.ts';

/** Harmless placeholders for the demo site: never real terms in the repository. */
export const DEMO_SENSITIVE_WORDS = ['测试敏感词', '演示违禁词', '示例屏蔽词'] as const;

/** The port other modules take: whether a public post's texts must wait for a moderator. */
export type Screen = (
  tenantId: string,
  texts: readonly string[],
) => Promise<{ held: boolean; words: string[] }>;

export type ModerationDeps = WordSyncOptions;

export function createModerationModule(db: Database, deps: ModerationDeps = {}) {
  const sync = createWordSync(db, deps);
  const moderation = createModerationService(db, sync);
  return {
    moderation,
    screen: ((tenantId, texts) => moderation.screen(tenantId, texts)) satisfies Screen,
    queue: { register: (source: HeldSource): void => moderation.queue.register(source) },
    /** Loads every site's words into this node's automata: at start-up, before any post is screened. */
    loadWords: () => sync.reload(),
    /** Follows other nodes' changes (PostgreSQL: LISTEN, and a reload every minute); returns the stop. */
    startSync: (onError: (e: unknown) => void) => sync.start(onError),
    /** Seeds the demo site's placeholder words when it has none. */
    seedDemo: (ctx: AuditContext) => moderation.seed(ctx, DEMO_SENSITIVE_WORDS),
    workbenchLinks: [
      { href: '/workbench/moderation', key: 'moderation.title', permission: 'content.moderate' },
      { href: '/workbench/moderation/words', key: 'moderation.words.title', permission: 'content.moderate' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      await moderationRoutes(app, { moderation });
      moderationWorkbenchPages(app, { moderation });
    },
  };
}

export type ModerationModule = ReturnType<typeof createModerationModule>;
