/**
 * letters — 领导信箱 and 咨询投诉: letters from signed-in people and enterprises to a leader's mailbox
 * (answered by a department) or to a department, each replied to within working days. The only
 * file other modules import; see CONTEXT.md for the words.
 *
 * Decisions, and why:
 * - A letter is a case on a one-step process (`process`, demo.letter on the demo site: reply within
 *   10 working days, the step transferable), opened in the addressee's department, so the department
 *   finds it among its tasks and electronic supervision (电子监察) watches its deadline. The deadline
 *   is the engine's (the definition's limit on the site's calendar), copied to the letter's row and
 *   kept in step through onChanged: one due date, the one supervision sees.
 * - Forwarding (转办) is the engine's transfer of the reply task: the deadline runs on, the log keeps
 *   the reason, and the letter's row follows the task's department.
 * - Content safety: every letter is screened (the `screen` port); one holding sensitive words is kept
 *   `held` and only becomes a case when a moderator releases it (heldSource, kind 'letters').
 * - Texts are stored plain (HTML stripped) and bounded: title 2–100, body 10–5000, reply 1–5000
 *   characters. The writer's phone is SM4-encrypted; the department sees it in full with an audited
 *   POST. The public sees a letter only if the writer allowed it and the department published it,
 *   the writer's name reduced to its first character and identifiers in the texts masked.
 * - Flooding: the POST is under postLimit (per account, else per address; 429 with Retry-After).
 * - Attachments: at most 3 JPEG/PNG/PDF files of 5 MB, the type read from the bytes and the name made
 *   to agree, streamed into the blob store; the letter keeps their digests and its case gets them when
 *   it opens (at once, or on release). Only the writer and the answering department download them.
 * - The site's mailboxes are the site administrator's (org.site.manage over the whole site): an
 *   inactive one is not offered and refuses letters, those written to it run on.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { BlobStore } from '../../kernel/files/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { createLetterService, type LetterPorts } from './letter.service.ts';
import { lettersPages } from './letters.pages.tsx';
import { lettersRoutes } from './letters.routes.ts';
import { attachmentRoutes } from './letters.upload.tsx';
import { lettersWorkbenchPages } from './letters.workbench.tsx';
import { createMailboxService } from './mailbox.service.ts';
import { mailboxesRoutes } from './mailboxes.routes.ts';
import { mailboxesWorkbenchPages } from './mailboxes.workbench.tsx';

export type { Letter, LetterService, PublicLetter } from './letter.service.ts';
export type { LetterAttachment } from './attachments.ts';
export type { MailboxService, ManagedMailbox } from './mailbox.service.ts';
export { rotateLetterKeys } from './letters.keys.ts';

/** The demo site's leaders' mailboxes, each answered by a general office (办公厅/办公室). */
export const DEMO_MAILBOXES = [
  { name: '省长信箱', leader: '省长', department: '浙江省人民政府办公厅' },
  { name: '市长信箱', leader: '杭州市市长', department: '杭州市人民政府办公厅' },
] as const;

/** The demo site's published letters: made-up, harmless, replied before the platform (no case). */
export const DEMO_LETTERS = [
  {
    mailbox: '省长信箱',
    writer: '王小明',
    title: '建议增加高铁站到景区的公交班次',
    body: '周末从杭州东站去西湖景区的公交车很挤，等车要半个多小时。建议节假日加开班次，或开通直达专线。',
    reply:
      '感谢您的建议。经与杭州市交通运输局协调，自下月起节假日加开东站至景区的直达专线，发车间隔不超过 10 分钟。',
    daysAgo: 40,
    satisfaction: 'satisfied' as const,
  },
  {
    mailbox: '市长信箱',
    writer: '李华',
    title: '小区门口人行道破损',
    body: '我们小区门口的人行道砖块松动破损已有两个月，老人和孩子经过容易绊倒，联系电话13900001111，希望尽快修复。',
    reply: '经核实，该路段已列入本月道路维修计划，施工单位已于近日完成修复。感谢您对城市管理的关心。',
    daysAgo: 25,
    satisfaction: 'basically' as const,
  },
  {
    mailbox: '省长信箱',
    writer: '陈静',
    title: '咨询灵活就业人员参加职工医保的办法',
    body: '我是自由职业者，想了解灵活就业人员如何参加职工基本医疗保险，缴费基数怎么确定，在哪里办理。',
    reply:
      '灵活就业人员可在户籍地或居住地的医保经办机构或“浙里办”办理参保登记，缴费基数可在上年度全省全口径城镇单位就业人员平均工资的 60% 至 300% 之间自行选择。',
    daysAgo: 12,
    satisfaction: null,
  },
];

export interface LettersDeps extends LetterPorts {
  /** The site-wide per-address limit; writing gets a sixtieth of it (at least 5 a minute). */
  rateLimitPerMinute: number;
  /** where attachments are kept (content-addressed) */
  blobs: BlobStore;
}

export function createLettersModule(db: Database, deps: LettersDeps) {
  const mailboxes = createMailboxService(db, deps);
  const letters = createLetterService(db, deps, mailboxes);
  return {
    letters,
    mailboxes,
    /** For the moderation queue: held letters, released into cases or rejected with a reason. */
    heldSource: letters.heldSource,
    workbenchLinks: [
      { href: '/workbench/letters', key: 'letters.workbench.title', permission: 'case.handle' },
      {
        href: '/workbench/letters/mailboxes',
        key: 'letters.mailboxes.title',
        permission: 'org.site.manage',
      },
    ] satisfies { href: string; key: string; permission: Permission }[],
    /** Seeds the demo site's mailboxes into a site that has none, and its published letters. */
    seedDemo: async (tenantId: string, departmentIdOf: (name: string) => number | undefined) => {
      const list = DEMO_MAILBOXES.flatMap((m) => {
        const departmentId = departmentIdOf(m.department);
        return departmentId === undefined ? [] : [{ name: m.name, leader: m.leader, departmentId }];
      });
      await mailboxes.seed(tenantId, list);
      await letters.seedPublished(tenantId, DEMO_LETTERS);
    },
    async routes(app: FastifyInstance) {
      const postsPerMinute = Math.max(5, Math.floor(deps.rateLimitPerMinute / 60));
      await lettersRoutes(app, { letters, postsPerMinute, blobs: deps.blobs });
      await mailboxesRoutes(app, { mailboxes });
      attachmentRoutes(app, { letters, blobs: deps.blobs });
      lettersPages(app, { letters, postsPerMinute, blobs: deps.blobs });
      lettersWorkbenchPages(app, { letters });
      mailboxesWorkbenchPages(app, { mailboxes, letters });
    },
  };
}

export type LettersModule = ReturnType<typeof createLettersModule>;
