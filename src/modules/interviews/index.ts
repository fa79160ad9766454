/**
 * interviews — 在线访谈: scheduled interviews with guests (officials) on a topic; the public asks before
 * and during, moderators approve; hosts and guests answer in a live text transcript (with images)
 * pushed to viewers by server-sent events on every node; afterwards the archive with the whole
 * transcript. The only file other modules import; see CONTEXT.md for the words.
 *
 * Decisions, and why:
 * - Status: scheduled (预告) → live (直播中) → ended (已结束) → archived (已归档); nothing else (409).
 *   Editing only while scheduled; questions are taken while scheduled or live; the transcript is
 *   written only while live. Archiving is the host's "the record is final" and files it under 往期.
 * - Who: `interview.manage` (role interview_host 访谈主持人) schedules, runs and moderates the
 *   interviews of its jurisdiction (the organising department's division); `interview.answer` (role
 *   interview_guest 访谈嘉宾) answers only in interviews where a guest is tied to its account, as that
 *   guest. A host speaks as the host (主持人), and may type an answer on a guest's behalf.
 * - Questions: plain text, 5–300 characters, at most 5 waiting per asker per interview, the post
 *   rate-limited per writer. The site's sensitive words (moderation's `screen`) hold a question for a
 *   content moderator (heldSource 'interview-questions'); released, it waits like any other. Nothing
 *   shows until the interview's moderator approves it; approval writes it into the transcript with the
 *   asker masked (张**) and identifiers in the text masked. A rejected asker is told, with the reason.
 * - The transcript is append-only, numbered per interview under the interview row's lock, so the
 *   numbers commit in order and are the live stream's event ids (live.hub.ts for the fan-out).
 * - Images are pictures only (PNG, JPEG, GIF, WebP) read from the bytes, at most 10 MiB, with a
 *   required description (their alt text), kept in the blob store. A cover likewise: PNG, JPEG or
 *   WebP, at most 5 MiB, its description required; a wrong type is a 400 naming the field.
 * - Archiving closes the questions still waiting (held or pending) as not taken up (未采纳, `closed`)
 *   and tells their askers: the record is final, nothing waits on it.
 * - 撤回: a host withdraws an entry while live or ended, with a reason (audited). The row stays, shown
 *   as "此条已撤回"; a `withdrawal` entry naming it takes the next number, so the stream tells live
 *   viewers in order (event `withdrawal`), and resuming after an id misses nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { BlobStore } from '../../kernel/files/index.ts';
import { systemContext, type AuditContext } from '../../kernel/audit/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { DEMO_INTERVIEWS } from './demo-interviews.ts';
import { createInterviewService, type InterviewPorts } from './interview.service.ts';
import { entryView } from './interview.views.ts';
import { interviewsPortal } from './interviews.pages.tsx';
import { interviewsRoutes } from './interviews.routes.ts';
import { interviewsWorkbench } from './interviews.workbench.tsx';
import { createLiveHub } from './live.hub.ts';

export type { InterviewService, ScreenResult } from './interview.service.ts';
export type { Entry, Interview, Question } from './interview.store.ts';
export { LIVE_CHANNEL, sseMessage } from './live.hub.ts';

export interface InterviewsDeps extends InterviewPorts {
  blobs: BlobStore;
  /** The site-wide per-address limit; asking gets a sixtieth of it (at least 5 a minute). */
  rateLimitPerMinute: number;
  /** DATABASE_URL: the server this node LISTENs on for other nodes' posts (PostgreSQL). */
  databaseUrl?: string | undefined;
  /** Tests shorten it; 15 s by default. */
  heartbeatMs?: number;
  maxViewers?: number;
}

/** A held post kind for the moderation page (the moderation module's HeldSource, structurally). */
export interface InterviewHeldSource {
  kind: 'interview-questions';
  titleKey: string;
  list(
    tenantId: string,
  ): Promise<{ id: string; writer: string; excerpt: string; words: string[]; at: Date }[]>;
  release(ctx: AuditContext, id: string): Promise<void>;
  reject(ctx: AuditContext, id: string, reason: string): Promise<void>;
}

export function createInterviewsModule(db: Database, deps: InterviewsDeps) {
  const hub = createLiveHub(db, {
    databaseUrl: deps.databaseUrl,
    ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}),
    ...(deps.maxViewers ? { maxViewers: deps.maxViewers } : {}),
    view: (_tenantId, interviewId, e) => entryView(interviewId, e),
  });
  const interviews = createInterviewService(db, deps, hub);
  const idOf = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : 0);
  const heldSource: InterviewHeldSource = {
    kind: 'interview-questions',
    titleKey: 'interviews.held.title',
    list: async (tenantId) =>
      (await interviews.held.list(tenantId)).map((q) => ({
        id: String(q.id),
        writer: q.asker.name,
        excerpt: `${q.interviewTitle}：${q.text}`,
        words: q.heldWords,
        at: new Date(q.askedAt),
      })),
    release: (ctx, id) => interviews.held.release(ctx, idOf(id)),
    reject: (ctx, id, reason) => interviews.held.reject(ctx, idOf(id), reason),
  };
  return {
    interviews,
    hub,
    heldSource,
    workbenchLinks: [
      {
        href: '/workbench/interviews',
        key: 'interviews.workbench.title',
        permission: 'interview.answer',
      },
    ] satisfies { href: string; key: string; permission: Permission }[],
    /** The demo site's interviews (demo-interviews.ts), each once: it runs on every start. */
    async seedDemo(tenantId: string, departmentIdOf: (name: string) => number | undefined) {
      const accounts = await deps.guestAccounts(tenantId);
      for (const demo of DEMO_INTERVIEWS(deps.now?.() ?? new Date())) {
        const departmentId = departmentIdOf(demo.department);
        if (departmentId === undefined) continue;
        await interviews.seed(systemContext(tenantId), demo, {
          departmentId,
          accountOf: (name) => accounts.find((a) => a.name === name)?.accountId,
        });
      }
    },
    /** Heartbeats and (PostgreSQL) the LISTEN connection; returns the function that stops them. */
    startLive: (onError: (e: unknown) => void) => hub.start(onError),
    async routes(app: FastifyInstance) {
      const asksPerMinute = Math.max(5, Math.floor(deps.rateLimitPerMinute / 60));
      await interviewsRoutes(app, { interviews, asksPerMinute, blobs: deps.blobs });
      interviewsPortal(app, { interviews, hub, blobs: deps.blobs, asksPerMinute });
      interviewsWorkbench(app, { interviews, blobs: deps.blobs });
      // Open streams would keep the server from closing: end them first (viewers reconnect elsewhere).
      app.addHook('preClose', async () => hub.closeAll());
    },
  };
}

export type InterviewsModule = ReturnType<typeof createInterviewsModule>;
