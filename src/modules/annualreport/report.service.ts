/**
 * Use-cases on annual reports: open a draft for a year and a body, enter its figures and texts, see it
 * with its computed figures counted now, finalise it (the snapshot), list them.
 *
 * Who: staff holding `disclosure.report`. The site's report (department null) is the general office's
 * to compile (政府信息公开工作主管部门: 办公厅（室）, 条例 §3): staff of a general office at the site's own
 * division, or staff with no department, in whose jurisdiction the site lies. A department's report is
 * its own staff's, and the site's compilers may keep any of them. A draft is theirs alone (404 to anyone
 * else); a final report is public.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { conflict, DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import { authorizeActing, decide, type Actor } from '../../kernel/policy/index.ts';
import type { RequestFigures } from '../disclosure/index.ts';
import type { DepartmentRef } from '../workflow/index.ts';
import { documentCounts, figuresOf, type Computed, type Figures } from './report.figures.ts';
import * as store from './report.store.ts';
import {
  applyChange,
  chinaYear,
  enteredFrom,
  FIRST_YEAR,
  yearBounds,
  type Entered,
  type EnteredChange,
  type TextKey,
} from './report.template.ts';

type Period = { from: Date; to: Date; asOf: Date; departmentId: number | null };

export interface AnnualReportPorts {
  /** 表三, from the disclosure module */
  requestFigures(tenantId: string, period: Period): Promise<RequestFigures>;
  /** the body's policy documents published before `to` (policies module) */
  policyDocuments(
    tenantId: string,
    to: Date,
    departmentId: number | null,
  ): Promise<{ documentId: number; publishedAt: Date; repealedAt: Date | null; revisedAt: Date | null }[]>;
  /** the catalogue column of each publication (publications module) */
  categoriesOf(tenantId: string, ids: readonly number[]): Promise<ReadonlyMap<number, string>>;
  /** publications that went public in the period, per column (publications module) */
  publicationsByCategory(tenantId: string, period: Period): Promise<Computed['categories']>;
  departments(tenantId: string): Promise<DepartmentRef[]>;
  siteName(tenantId: string): Promise<string>;
  /** the catalogue's columns a report may be published in (publications module) */
  categories(tenantId: string): Promise<{ code: string; name: string; active: boolean }[]>;
  /**
   * Drafts a publication as the caller (a writer of their department) and sends it for review
   * (publications module); its id.
   */
  publish(ctx: AuditContext, input: PublicationDraft): Promise<number>;
  now?(): Date;
}

/** A publication as the publications module takes it (PublicationInput). */
export interface PublicationDraft {
  categoryCode: string;
  title: string;
  indexNumber: string;
  issuingBody: string;
  writtenOn: string | null;
  docNumber: string;
  subject: string;
  bodyHtml: string;
  publishAt: string | null;
}

/** A report as its pages, files and API show it. */
export interface ReportView {
  year: number;
  department: { id: number; name: string } | null;
  issuer: string;
  status: 'draft' | 'final';
  finalisedAt: Date | null;
  publicationId: number | null;
  /** when the computed figures were counted: now for a draft, the finalising for a final one */
  asOf: Date;
  figures: Figures;
  entered: Entered;
  texts: Record<TextKey, string>;
  /** the viewer may change it (a draft) */
  mayEdit: boolean;
}

export interface ReportSummary {
  year: number;
  department: { id: number; name: string } | null;
  issuer: string;
  status: 'draft' | 'final';
  finalisedAt: Date | null;
}

interface Snapshot {
  computed: Computed;
  entered: Entered;
}

const reportKey = (year: number, departmentId: number | null) => `${year}/${departmentId ?? 'site'}`;
const hidden = (year: number) => notFound('annualreport.not_found', { year });

export function createReportService(db: Database, ports: AnnualReportPorts) {
  const now = () => ports.now?.() ?? new Date();

  /** Whether the actor works for the site's general office (or for no department), within the site. */
  function ofSiteOffice(
    actor: Actor,
    tenantId: string,
    departments: readonly DepartmentRef[],
    permission: 'disclosure.report' | 'publication.write',
  ): boolean {
    if (decide(actor, permission, { division: tenantId }) !== 'allow') return false;
    if (actor.departmentId === null) return true;
    const own = departments.find((d) => d.id === actor.departmentId);
    return own?.type === 'general_office' && own.divisionCode === tenantId;
  }
  /** Whether the actor compiles the site's report (and so may keep every department's too). */
  const compilesSite = (actor: Actor, tenantId: string, departments: readonly DepartmentRef[]) =>
    ofSiteOffice(actor, tenantId, departments, 'disclosure.report');

  function mayKeep(
    actor: Actor | null | undefined,
    tenantId: string,
    departmentId: number | null,
    departments: readonly DepartmentRef[],
  ): boolean {
    if (actor === undefined) return true;
    if (!actor || actor.kind !== 'staff' || !actor.permissions.has('disclosure.report')) return false;
    if (compilesSite(actor, tenantId, departments)) return true;
    const body = departments.find((d) => d.id === departmentId);
    return (
      departmentId !== null &&
      actor.departmentId === departmentId &&
      body !== undefined &&
      decide(actor, 'disclosure.report', { division: body.divisionCode }) === 'allow'
    );
  }

  /** Whether the viewer may put this final report into the catalogue: a writer of its issuing body. */
  function mayPublish(ctx: AuditContext, view: ReportView, departments: readonly DepartmentRef[]): boolean {
    const actor = ctx.actor;
    if (view.status !== 'final' || view.publicationId !== null) return false;
    if (!actor || actor.kind !== 'staff' || !actor.permissions.has('publication.write')) return false;
    return view.department === null
      ? ofSiteOffice(actor, ctx.tenantId, departments, 'publication.write')
      : actor.departmentId === view.department.id;
  }

  async function compute(tenantId: string, year: number, departmentId: number | null): Promise<Computed> {
    const { from, to } = yearBounds(year);
    const asOf = now();
    const period = { from, to, asOf, departmentId };
    const [requests, docs, categories] = await Promise.all([
      ports.requestFigures(tenantId, period),
      ports.policyDocuments(tenantId, to, departmentId),
      ports.publicationsByCategory(tenantId, period),
    ]);
    // A document made after now is not made yet (a draft of the running year counts up to today).
    const made = docs.filter((d) => d.publishedAt <= asOf);
    const categoryOf = await ports.categoriesOf(
      tenantId,
      made.map((d) => d.documentId),
    );
    return {
      ...documentCounts(made, categoryOf, { from, to: to < asOf ? to : asOf }),
      requests,
      categories,
      asOf: asOf.toISOString(),
    };
  }

  async function viewOf(ctx: AuditContext, row: store.ReportRow, departments: readonly DepartmentRef[]) {
    const dept = row.departmentId === null ? undefined : departments.find((d) => d.id === row.departmentId);
    const draft = row.status === 'draft';
    const snap = row.snapshot as Snapshot | null;
    const entered = draft || !snap ? enteredFrom(row.entered, row.texts) : snap.entered;
    const computed = draft || !snap ? await compute(ctx.tenantId, row.year, row.departmentId) : snap.computed;
    return {
      year: row.year,
      department: row.departmentId === null ? null : { id: row.departmentId, name: dept?.name ?? row.issuer },
      issuer: row.issuer,
      status: row.status,
      finalisedAt: row.finalisedAt,
      publicationId: row.publicationId,
      asOf: new Date(computed.asOf),
      figures: figuresOf(computed, entered),
      entered,
      texts: entered.texts,
      mayEdit: draft && mayKeep(ctx.actor, ctx.tenantId, row.departmentId, departments),
    } satisfies ReportView;
  }

  /** The report, if the viewer may see it: a final one anyone, a draft its keepers. */
  async function load(ctx: AuditContext, year: number, departmentId: number | null) {
    const departments = await ports.departments(ctx.tenantId);
    const row = await store.findReport(db.kysely, ctx.tenantId, year, departmentId);
    if (!row) throw hidden(year);
    if (row.status === 'draft' && !mayKeep(ctx.actor, ctx.tenantId, departmentId, departments))
      throw hidden(year);
    return { row, departments };
  }

  /** For a change: the viewer must keep it (403 if they could never, 404 if they may not see it). */
  async function loadToChange(ctx: AuditContext, year: number, departmentId: number | null) {
    authorizeActing(ctx, 'disclosure.report');
    return load(ctx, year, departmentId);
  }

  return {
    /** The bodies the viewer may open a report for: the site (null) and/or departments. */
    async bodies(ctx: AuditContext): Promise<{ site: boolean; departments: { id: number; name: string }[] }> {
      const departments = (await ports.departments(ctx.tenantId)).filter((d) => d.active);
      const keep = (id: number | null) => mayKeep(ctx.actor, ctx.tenantId, id, departments);
      return {
        site: keep(null),
        departments: departments.filter((d) => keep(d.id)).map((d) => ({ id: d.id, name: d.name })),
      };
    },

    /** The reports the viewer may see: every final one, and the drafts they keep. */
    async list(ctx: AuditContext): Promise<(ReportSummary & { mayEdit: boolean })[]> {
      const departments = await ports.departments(ctx.tenantId);
      const rows = await store.listReports(db.kysely, ctx.tenantId, false);
      return rows
        .map((r) => ({ r, keep: mayKeep(ctx.actor, ctx.tenantId, r.departmentId, departments) }))
        .filter(({ r, keep }) => r.status === 'final' || keep)
        .map(({ r, keep }) => ({
          year: r.year,
          department:
            r.departmentId === null
              ? null
              : {
                  id: r.departmentId,
                  name: departments.find((d) => d.id === r.departmentId)?.name ?? r.issuer,
                },
          issuer: r.issuer,
          status: r.status,
          finalisedAt: r.finalisedAt,
          mayEdit: keep && r.status === 'draft',
        }));
    },

    /** The final reports, for the public. */
    async published(tenantId: string): Promise<ReportSummary[]> {
      const rows = await store.listReports(db.kysely, tenantId, true);
      return rows.map((r) => ({
        year: r.year,
        department: r.departmentId === null ? null : { id: r.departmentId, name: r.issuer },
        issuer: r.issuer,
        status: r.status,
        finalisedAt: r.finalisedAt,
      }));
    },

    /** Opens a draft for a year (from 2021, the format's first, to this year) and a body. */
    async create(
      ctx: AuditContext,
      input: { year: number; departmentId: number | null },
    ): Promise<ReportView> {
      authorizeActing(ctx, 'disclosure.report');
      const departments = (await ports.departments(ctx.tenantId)).filter((d) => d.active);
      const problems = [];
      if (!Number.isSafeInteger(input.year) || input.year < FIRST_YEAR || input.year > chinaYear(now()))
        problems.push({
          field: 'year',
          code: 'annualreport.year_invalid',
          params: { first: FIRST_YEAR, last: chinaYear(now()) },
        });
      const body = input.departmentId === null ? null : departments.find((d) => d.id === input.departmentId);
      if (body === undefined)
        problems.push({ field: 'departmentId', code: 'annualreport.department_unknown' });
      else if (!mayKeep(ctx.actor, ctx.tenantId, input.departmentId, departments))
        problems.push({ field: 'departmentId', code: 'annualreport.department_not_yours' });
      if (problems.length > 0) throw invalidFields(problems);
      const issuer = body ? body.name : await ports.siteName(ctx.tenantId);
      const row = await db.kysely.transaction().execute(async (tx) => {
        const r = await store.insertReport(tx, ctx.tenantId, {
          year: input.year,
          departmentId: input.departmentId,
          issuer,
          createdBy: ctx.actor?.accountId ?? 0,
        });
        if (!r) throw conflict('annualreport.exists', { year: input.year });
        await appendAudit(tx, ctx, {
          action: 'annualreport.created',
          objectType: 'annual_report',
          objectId: reportKey(input.year, input.departmentId),
          detail: { year: input.year, department: input.departmentId },
        });
        return r;
      });
      return viewOf(ctx, row, departments);
    },

    async get(ctx: AuditContext, year: number, departmentId: number | null): Promise<ReportView> {
      const { row, departments } = await load(ctx, year, departmentId);
      return viewOf(ctx, row, departments);
    },

    /** The site's departments as the service sees them (for mayPublish). */
    departments: (tenantId: string) => ports.departments(tenantId),

    /**
     * Changes what staff entered (figures and texts), every problem at once and nothing written unless
     * all is right; a final report cannot change (409).
     */
    async update(
      ctx: AuditContext,
      year: number,
      departmentId: number | null,
      change: EnteredChange,
    ): Promise<ReportView> {
      const { departments } = await loadToChange(ctx, year, departmentId);
      const row = await db.kysely.transaction().execute(async (tx) => {
        const r = await store.findReport(tx, ctx.tenantId, year, departmentId, true);
        if (!r) throw hidden(year);
        if (r.status !== 'draft') throw conflict('annualreport.final', { year });
        const current = enteredFrom(r.entered, r.texts);
        const { problems, value } = applyChange(current, change);
        if (problems.length > 0) throw invalidFields(problems, 'annualreport.invalid');
        const figures = { ...value.counts, feesAmount: value.feesAmount };
        await store.saveEntered(tx, ctx.tenantId, r.id, figures, value.texts);
        const changed = [
          ...Object.keys(value.counts).filter((k) => value.counts[k as never] !== current.counts[k as never]),
          ...(value.feesAmount !== current.feesAmount ? ['feesAmount'] : []),
          ...Object.keys(value.texts).filter(
            (k) => value.texts[k as TextKey] !== current.texts[k as TextKey],
          ),
        ];
        await appendAudit(tx, ctx, {
          action: 'annualreport.updated',
          objectType: 'annual_report',
          objectId: reportKey(year, departmentId),
          detail: { changed, figures },
        });
        return { ...r, entered: figures, texts: value.texts };
      });
      return viewOf(ctx, row, departments);
    },

    /**
     * Freezes the report: the computed figures as counted now and what was entered become its snapshot,
     * and it is public from then on. Finalising twice is a conflict (409).
     */
    async finalise(ctx: AuditContext, year: number, departmentId: number | null): Promise<ReportView> {
      const { departments } = await loadToChange(ctx, year, departmentId);
      const computed = await compute(ctx.tenantId, year, departmentId);
      const row = await db.kysely.transaction().execute(async (tx) => {
        const r = await store.findReport(tx, ctx.tenantId, year, departmentId, true);
        if (!r) throw hidden(year);
        if (r.status !== 'draft') throw conflict('annualreport.final', { year });
        const snapshot: Snapshot = { computed, entered: enteredFrom(r.entered, r.texts) };
        const at = new Date(computed.asOf);
        await store.finalise(tx, ctx.tenantId, r.id, { snapshot, at, by: ctx.actor?.accountId ?? null });
        await appendAudit(tx, ctx, {
          action: 'annualreport.finalised',
          objectType: 'annual_report',
          objectId: reportKey(year, departmentId),
          detail: { figures: figuresOf(computed, snapshot.entered) },
        });
        return { ...r, status: 'final' as const, snapshot, finalisedAt: at };
      });
      return viewOf(ctx, row, departments);
    },

    /** The columns a final report may be published in, and the one the form starts with. */
    async columns(
      tenantId: string,
    ): Promise<{ items: { code: string; name: string }[]; defaultCode: string }> {
      const items = (await ports.categories(tenantId)).filter((c) => c.active);
      const annual = items.find((c) => /年报|年度报告/.test(c.name));
      return { items: items.map((c) => ({ code: c.code, name: c.name })), defaultCode: annual?.code ?? '' };
    },

    mayPublish,

    /**
     * Puts a final report into the disclosure catalogue: a publication in the writer's department (the
     * report's issuing body) with the report's text and tables, sent for review as any publication is,
     * in the column chosen. Once only (409 after).
     */
    async publish(
      ctx: AuditContext,
      year: number,
      departmentId: number | null,
      input: {
        categoryCode: string;
        title: (view: ReportView) => string;
        bodyHtml: (view: ReportView) => string;
      },
    ): Promise<{ publicationId: number }> {
      authorizeActing(ctx, 'publication.write');
      const { row, departments } = await load(ctx, year, departmentId);
      const view = await viewOf(ctx, row, departments);
      if (view.status !== 'final') throw conflict('annualreport.not_final', { year });
      if (view.publicationId !== null) throw conflict('annualreport.published_already', { year });
      if (!mayPublish(ctx, view, departments))
        throw new DomainError('forbidden', 'annualreport.not_issuer', { issuer: view.issuer });
      const writtenOn = new Date(view.finalisedAt!.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
      // Two writers at once could each draft one: the publication is written in the publications
      // module's own transactions (on PGlite a lock held here would wait for them forever).
      const publicationId = await ports.publish(ctx, {
        categoryCode: input.categoryCode,
        title: input.title(view),
        indexNumber: '',
        issuingBody: view.issuer,
        writtenOn,
        docNumber: '',
        subject: '',
        bodyHtml: input.bodyHtml(view),
        publishAt: null,
      });
      await db.kysely.transaction().execute(async (tx) => {
        await store.setPublication(tx, ctx.tenantId, row.id, publicationId);
        await appendAudit(tx, ctx, {
          action: 'annualreport.published',
          objectType: 'annual_report',
          objectId: reportKey(year, departmentId),
          detail: { publication: publicationId, category: input.categoryCode },
        });
      });
      return { publicationId };
    },

    /** A report's download, audited (what went out, and to whom, is on record). */
    async downloaded(ctx: AuditContext, view: ReportView, format: 'csv' | 'pdf') {
      if (view.status !== 'draft') return;
      await appendAudit(db.kysely, ctx, {
        action: 'annualreport.draft_downloaded',
        objectType: 'annual_report',
        objectId: reportKey(view.year, view.department?.id ?? null),
        detail: { format },
      });
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;

/** Raised by routes for a year that is not a number a report could have. */
export const unknownYear = (year: string) => new DomainError('not_found', 'annualreport.not_found', { year });
