/**
 * A self-check of one site, on demand: the home page requested, the columns, the public messages and
 * the links read through the other modules' ports, the indicators' rules applied (indicators.ts), the
 * counts recorded. Also the site's thresholds, which `site.check` reads and an administrator whose
 * jurisdiction covers the site changes (audited).
 *
 * Nothing here holds a transaction while the pages are requested: on PGlite the one connection must
 * stay free for the requests the check sends to the application.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { DomainError, invalidFields } from '../../kernel/errors.ts';
import { authorizeActing, decide } from '../../kernel/policy/index.ts';
import {
  checkThresholds,
  columnFindings,
  homeAccessFindings,
  homeFreshnessFindings,
  INDICATORS,
  LEVELS,
  linkFindings,
  messageFindings,
  summarize,
  unansweredCutoff,
  type ColumnAge,
  type ColumnFacts,
  type Finding,
  type OpenMessage,
  type Place,
  type Thresholds,
  type WorkingDays,
} from './indicators.ts';
import { checkLinks, fetchPage, internalPath, linksInPage, MAX_LINKS, type Server } from './link-check.ts';
import * as store from './sitecheck.store.ts';

/** Messages read per channel and check: more overdue than this is a veto many times over already. */
const MESSAGES_PER_CHANNEL = 1_000;

/**
 * A channel of public messages that need an answer (网上咨询 today; 信访, 领导信箱 later): the module
 * that keeps them feeds the check through this port.
 */
export interface MessageSource {
  /** i18n key naming the channel, owned by the module that feeds it */
  label: string;
  /** messages still unanswered that were asked before `before`, oldest first, at most `limit` */
  unanswered(tenantId: string, before: Date, limit: number): Promise<OpenMessage[]>;
}

export interface SiteCheckPorts {
  /** the site's active columns and the newest public publication (publications) */
  columns(tenantId: string, now: Date): Promise<{ columns: ColumnFacts[]; latestPublicAt: string | null }>;
  /** the links in the public publications' bodies (publications) */
  bodyLinks(tenantId: string, now: Date): Promise<{ id: number; title: string; links: string[] }[]>;
  messages: readonly MessageSource[];
  /** the site's working-day calendar (workflow), for a threshold in working days */
  calendarFor(tenantId: string): Promise<WorkingDays>;
  /** the site's host names (org); throws not_found for a site that does not exist */
  hostsOf(tenantId: string): Promise<string[]>;
  /** the site a host name reaches (org) */
  siteOfHost(host: string): Promise<string>;
  /** the application, to request its pages as a visitor would (made after this module) */
  server(): Server;
  now?(): Date;
}

export interface SiteCheckReport {
  tenantId: string;
  checkedAt: string;
  /** no veto-level finding */
  passed: boolean;
  summary: { veto: number; deduction: number; notice: number };
  indicators: ReturnType<typeof summarize>['indicators'];
  findings: Finding[];
  /** the dated columns' ages against their thresholds */
  columns: ColumnAge[];
  linksChecked: number;
  thresholds: Thresholds;
}

export type Progress = (phase: 'links', done: number, total: number) => void;

const order = (f: Finding) => INDICATORS.indexOf(f.indicator) * 10 + LEVELS.indexOf(f.level);

export function createSiteCheckService(db: Database, ports: SiteCheckPorts) {
  const clock = () => ports.now?.() ?? new Date();
  const forbidden = () => new DomainError('forbidden', 'policy.forbidden');

  /** A host name that reaches the site: its own first, else the default site's any name. */
  async function hostOf(tenantId: string) {
    const hosts = await ports.hostsOf(tenantId);
    for (const host of [...hosts, 'localhost'])
      if ((await ports.siteOfHost(host)) === tenantId) return { host, hosts };
    throw new DomainError('conflict', 'sitecheck.no_host', { site: tenantId });
  }

  /** Internal links of the home page and the bodies, each with the pages it is on. */
  async function linkTargets(
    tenantId: string,
    now: Date,
    hosts: readonly string[],
    homeHtml: string | null,
  ): Promise<Map<string, Place[]>> {
    const targets = new Map<string, Place[]>();
    const add = (href: string, place: Place) => {
      const path = internalPath(href, place.href, hosts);
      if (path === null) return;
      const on = targets.get(path) ?? [];
      if (!on.some((p) => p.href === place.href)) on.push(place);
      targets.set(path, on);
    };
    if (homeHtml !== null) for (const href of linksInPage(homeHtml)) add(href, { href: '/', label: null });
    for (const body of await ports.bodyLinks(tenantId, now))
      for (const href of body.links) add(href, { href: `/publications/${body.id}`, label: body.title });
    return targets;
  }

  async function run(
    ctx: AuditContext,
    options: { now?: Date; onProgress?: Progress } = {},
  ): Promise<SiteCheckReport> {
    authorizeActing(ctx, 'site.check');
    const tenantId = ctx.tenantId;
    const now = options.now ?? clock();
    const t = await store.thresholds(db.kysely, tenantId);
    const site = await hostOf(tenantId);
    const server = ports.server();

    const home = await fetchPage(server, site.host, '/');
    const { columns, latestPublicAt } = await ports.columns(tenantId, now);
    const byColumn = columnFindings(columns, t, now);
    const cutoff = unansweredCutoff(t, now);
    const channels = await Promise.all(
      ports.messages.map(async (m) => ({
        label: m.label,
        messages: await m.unanswered(tenantId, cutoff, MESSAGES_PER_CHANNEL),
      })),
    );
    const calendar = t.unansweredUnit === 'working_days' ? await ports.calendarFor(tenantId) : null;

    const targets = await linkTargets(tenantId, now, site.hosts, home.status === 200 ? home.body : null);
    const checked = new Map([...targets].slice(0, MAX_LINKS));
    const links = await checkLinks(server, site, checked, (done, total) =>
      options.onProgress?.('links', done, total),
    );

    const findings = [
      ...homeAccessFindings(home, t),
      ...homeFreshnessFindings(latestPublicAt, t, now),
      ...byColumn.findings,
      ...messageFindings(channels, t, now, calendar),
      ...linkFindings(links, targets.size - checked.size),
    ].sort((a, b) => order(a) - order(b));
    const { indicators, ...summary } = summarize(findings);
    const report: SiteCheckReport = {
      tenantId,
      checkedAt: now.toISOString(),
      passed: summary.veto === 0,
      summary,
      indicators,
      findings,
      columns: byColumn.ages,
      linksChecked: checked.size,
      thresholds: t,
    };
    await store.recordRun(db.kysely, tenantId, {
      checkedAt: report.checkedAt,
      checkedBy: ctx.actor?.name || ctx.actorId,
      ...summary,
      linksChecked: checked.size,
    });
    return report;
  }

  return {
    run,

    /** The site's last checks, newest first. */
    async history(ctx: AuditContext, limit = 10) {
      authorizeActing(ctx, 'site.check');
      return store.recentRuns(db.kysely, ctx.tenantId, limit);
    },

    async thresholds(ctx: AuditContext): Promise<Thresholds> {
      authorizeActing(ctx, 'site.check');
      return store.thresholds(db.kysely, ctx.tenantId);
    },

    /** Whether the actor may change the thresholds: they hold for the whole site. */
    mayEdit(ctx: AuditContext): boolean {
      return (
        ctx.actor === undefined || decide(ctx.actor, 'site.check', { division: ctx.tenantId }) === 'allow'
      );
    },

    async setThresholds(ctx: AuditContext, t: Thresholds): Promise<Thresholds> {
      authorizeActing(ctx, 'site.check', { division: ctx.tenantId }, forbidden);
      const problems = checkThresholds(t);
      if (problems.length > 0) throw invalidFields(problems);
      await db.kysely.transaction().execute(async (tx) => {
        await store.saveThresholds(tx, ctx.tenantId, t, ctx.actorId);
        await appendAudit(tx, ctx, {
          action: 'sitecheck.thresholds_set',
          objectType: 'site',
          objectId: ctx.tenantId,
          detail: { ...t },
        });
      });
      return t;
    },
  };
}

export type SiteCheckService = ReturnType<typeof createSiteCheckService>;
