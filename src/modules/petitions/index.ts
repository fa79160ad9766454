/**
 * petitions — 网上信访: online petitions under the 信访工作条例 (2022), each registered by the petition
 * office of its place, handled by the department responsible, answered in writing, and open to a
 * review (复查) and a re-examination (复核) one level up. The only file other modules import; see
 * CONTEXT.md for the words.
 *
 * Decisions, and why:
 * - A petition is a case on the petition process (`process`; demo.petition on the demo site): 登记受理
 *   in the petition office (15 calendar days: 受理, 不予受理 with the reason, 转送 to a body outside the
 *   platform), then 办理 (60 calendar days; one extension of at most 30, approved by the department
 *   head; the extension is refused at 登记受理, which the regulation does not extend), closed by the
 *   处理意见书. 复查 and 复核 are cases of their own on the review process (demo.petition-review, 30
 *   calendar days), opened only by the petitioner within 30 calendar days of the written answer before
 *   them, in the body one level up (the department of the same type in a division above; else the
 *   petition office above; else the general office above). After 复核 the matter is concluded (终结).
 *   Every period is calendar days, the day of the event not counted, ending on the next working day
 *   when it falls on a rest day or holiday — the engine's calendar-days rule on the site's calendar.
 * - Routing (属地管理、分级负责) is a table (matter type → department type): the code's (matter-types.ts
 *   ROUTES) unless the site's petition office or administrator set its own (routing.service.ts,
 *   petitions.routing, audited), applied to the place chosen down to the street: the department of that
 *   type nearest the place, else the petition office itself. The case opens in the petition office (its department);
 *   accepting hands the 办理 task to the routed department (a transfer, 交办), so the engine's own
 *   transfer carries the handling — and the office, holding the task until then, can reroute it
 *   within its own jurisdiction (audited, with the reason; a body elsewhere is a 转送 on the case).
 *   Once a department holds it, that department transfers (转办) itself.
 * - Repeats (重复信访): the same person (account or the keyed hash of the ID number) with the same
 *   matter type and place and texts alike (character-bigram Jaccard ≥ 0.5, similarity.ts), while the
 *   earlier one is open, was answered in the last 30 days, or was concluded: the new one is recorded as
 *   a repeat linked to it, with no case, and the petitioner is told which.
 * - Moderation: a petition with the site's sensitive words is held (no case) until a moderator releases
 *   it (then registered as if never held) or rejects it (the petitioner told why) — `heldSource`.
 * - Confidentiality: the case is opened by the platform in the petitioner's masked name (张**), so no
 *   case page shows who petitions; the row keeps the identity (ID number SM4-encrypted), shown in full
 *   only to the staff handling it (the departments it is with now, the petition office of the place),
 *   each view audited. Anyone else gets 404 for the petition.
 * - Attachments (attachments.ts): up to 5 JPEG/PNG/PDF files of at most 5 MB sent with the petition
 *   (multipart, the type read from the bytes), kept on its row — a held one keeps them until released —
 *   and attached to its case when it opens, so the handlers have them on the case page. Downloaded from
 *   the petition by its petitioner and the staff who may see the identity; others get 404.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { BlobStore } from '../../kernel/files/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import type { CaseView } from '../workflow/index.ts';
import { petitionPages } from './petitions.pages.tsx';
import { petitionRoutes } from './petitions.routes.ts';
import { routingPages } from './routing.pages.tsx';
import { routingRoutes } from './routing.routes.ts';
import { createPetitionService, type PetitionPorts } from './petition.service.ts';

export { rotatePetitionKeys } from './petitions.keys.ts';
export type { Petition, PetitionDetail, PetitionHeldSource, PetitionService } from './petition.service.ts';

export interface PetitionsDeps extends PetitionPorts {
  /** The site-wide per-address limit; a petition writer gets a sixtieth of it (at least 5 a minute). */
  rateLimitPerMinute: number;
  /** where attachments' bytes go (and come from, to be downloaded) */
  blobs: BlobStore;
}

export function createPetitionsModule(db: Database, deps: PetitionsDeps) {
  const petitions = createPetitionService(db, deps);
  const postsPerMinute = Math.max(5, Math.floor(deps.rateLimitPerMinute / 60));
  return {
    petitions,
    /** Held petitions for the moderation page (the moderation module's queue.register). */
    heldSource: petitions.heldSource,
    /** A petition's written answers, linked for the case page (the workflow's caseDocuments port). */
    caseDocuments: (tenantId: string, view: CaseView) => petitions.ofCase(tenantId, view),
    workbenchLinks: [
      { href: '/workbench/petitions', key: 'petitions.workbench.title', permission: 'petition.route' },
      // The site administrator (org.site.manage) reaches the rules at the same address.
      { href: '/workbench/petitions/routing', key: 'petitions.routing.title', permission: 'petition.route' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      await petitionRoutes(app, { petitions, postsPerMinute, blobs: deps.blobs });
      await routingRoutes(app, { routing: petitions.routing });
      routingPages(app, { routing: petitions.routing });
      petitionPages(app, {
        petitions,
        postsPerMinute,
        divisions: deps.divisions,
        blobs: deps.blobs,
      });
    },
  };
}

export type PetitionsModule = ReturnType<typeof createPetitionsModule>;
