/**
 * sitecheck — 网站自查: the site checked against the government website inspection indicators
 * (政府网站与政务新媒体检查指标, 国办秘函〔2019〕19号) on demand, by its administrator at
 * /workbench/site-check, `GET /api/v1/site-check`, or `yiwang site check` (exit 1 on a veto). The only
 * file other modules import; see CONTEXT.md for the words.
 *
 * Decisions, and why:
 * - The home page's dynamic content is the site's newest publications, so 首页不更新 reads the newest
 *   public publication of the whole site (public: published and its time come), whatever its column.
 * - 站点无法访问 requests `/` from the application itself (`app.inject`, with a host name of the site):
 *   it proves the application answers, not DNS, TLS or the network in front — an outside monitor's job.
 * - Links are requested the same way, as a visitor without a session: 404, 410 and 5xx are broken, a
 *   redirect is followed within the site (to /login too: the page exists). Only internal links (site
 *   paths, or the site's own host names) of the home page — navigation, header, footer — and of the
 *   public publications' bodies; external links are out of scope (another site answers for them).
 * - Unanswered messages: the indicator's 3 months, in calendar months (an inspector counts on the
 *   calendar, and months are what the text says); a site may count working days on its calendar
 *   instead. A message asked on day D is overdue once D + the period has ended. The channels feed the
 *   check through `MessageSource` (网上咨询 today; 信访 and 领导信箱 can add theirs).
 * - Counts follow the text's "超过（含）": 5 stale columns, or 5 empty ones, are already a veto. Every
 *   threshold is the site's to change (sitecheck.setting), the indicators' values the defaults.
 * - No score: the deduction points per finding are not computed, only counted; the veto is the
 *   verdict the tools and the command act on.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../kernel/db/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { createSiteCheckService, type SiteCheckPorts } from './sitecheck.service.ts';
import { siteCheckRoutes } from './sitecheck.routes.ts';
import { siteCheckWorkbench } from './sitecheck.workbench.tsx';

export { describeFinding, reportLines } from './describe.ts';
export { DEFAULT_THRESHOLDS, type Finding, type OpenMessage, type Thresholds } from './indicators.ts';
export type {
  MessageSource,
  Progress,
  SiteCheckPorts,
  SiteCheckReport,
  SiteCheckService,
} from './sitecheck.service.ts';

export function createSiteCheckModule(db: Database, ports: SiteCheckPorts) {
  const sitecheck = createSiteCheckService(db, ports);
  return {
    sitecheck,
    workbenchLinks: [
      { href: '/workbench/site-check', key: 'sitecheck.title', permission: 'site.check' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      await siteCheckRoutes(app, { sitecheck });
      siteCheckWorkbench(app, { sitecheck });
    },
  };
}

export type SiteCheckModule = ReturnType<typeof createSiteCheckModule>;
