/**
 * Finding public information (信息检索): Chinese full text over titles, numbers, bodies and attachment
 * text (see src/kernel/search), relevance with recency, filters by category, issuing body, date range
 * and validity, highlighted snippets and pages. What someone types is checked first: nothing to search
 * for, or more than MAX_QUERY_CHARS, is a field problem the page shows beside the box (400 from the
 * API), never an error page.
 *
 * At scale (issue 6 item 9; bench/publications.ts, figures in bench/README.md). Ranking every match
 * does not scale: with a million publications 通知 matches 400,000 and 工作 all of them, and ts_rank
 * reads each one's vector out of TOAST (7 s for 通知), as does counting them (count(*) over ()). So a
 * search ranks only the newest CANDIDATES matches — relevance × recency among them, the kernel's
 * `rank` as before. It finds them by walking back through slices of the public publications, newest
 * first, each about SLICE_GROWTH times as many as the ones before it together (SLICE_ROWS). Each slice
 * is one lookup in the index of migration 0022, which holds every published row's category and
 * publication day, month and year as lexemes: "the words AND one of these days/months/years",
 * intersected inside GIN, so only that slice's matches are read. A common word has its candidates in
 * the first slice (the newest 1,000 publications); a rarer one goes further back, and a slice is only
 * reached when the ones before it held fewer than CANDIDATES matches, so it holds at most about
 * SLICE_GROWTH × CANDIDATES: the rows read stay bounded whatever the word's frequency, the site's size
 * or how its publications are spread over time.
 *
 * What this gives up: when more than CANDIDATES documents match, an older one never outranks the
 * newest CANDIDATES, however well it matches (among the candidates a title match still beats a body
 * match, and recency decides between equals). Narrowing the search (another word, a category, dates)
 * brings older ones in. And the total is exact only when the walk reached the oldest slice; otherwise
 * it is the matches seen so far, a lower bound (`totalExact` false: "more than"). A later page asks
 * for more candidates (offset + limit + 1), so paging goes on as far as anyone pages.
 */
import { invalidFields } from '../../kernel/errors.ts';
import {
  highlight,
  MAX_QUERY_CHARS,
  rank,
  type HighlightSegment,
  type Segmenter,
} from '../../kernel/search/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import type { Publication, Validity } from './catalogue.ts';
import * as store from './publication.store.ts';

export interface SearchFilter {
  category?: string | undefined;
  issuingBody?: string | undefined;
  validity?: Validity | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface Hit extends Publication {
  /** the title with the words found marked */
  titleMarks: HighlightSegment[];
  snippet: HighlightSegment[];
}

export interface Found {
  items: Hit[];
  /** exact when totalExact; otherwise at least this many match */
  total: number;
  totalExact: boolean;
  /** the words searched for (with their synonyms), to mark in titles */
  terms: string[];
}

/** Problems with what was typed, as field problems of `q`. */
export function checkQuery(q: string) {
  if (q.trim() === '') return [{ field: 'q', code: 'publications.search.empty' }];
  if ([...q].length > MAX_QUERY_CHARS)
    return [{ field: 'q', code: 'publications.search.too_long', params: { max: MAX_QUERY_CHARS } }];
  return [];
}

/** Matches ranked by relevance and recency (at least: a later page asks for offset + limit + 1). */
const CANDIDATES = 200;
/**
 * The slices, newest first: the newest 1,000 public publications, the 8,000 before them (both bounds
 * read from the date index, an index-only scan), then a stretch of time eight times as long as those
 * two covered together (about 64,000 more at the same rate, without reading 64,000 index entries to
 * know where they end), then everything older. A slice is only reached when the ones before it held
 * fewer than CANDIDATES matches, and it is about eight times their size, so it holds about 8 ×
 * CANDIDATES matches at most: ~1,600 rows read (~15 ms at a million), whatever the word's frequency or
 * the site's size. The small first slice keeps common words cheap (工作: the newest 1,000 and done).
 */
const SLICE_ROWS = [1_000, 8_000];
const SLICE_GROWTH = 8;
const DAY_MS = 86_400_000;
const CHINA_MS = 8 * 3_600_000;

/** Midnight China time of a YYYY-MM-DD, as a moment. */
const chinaMidnight = (day: string) => Date.parse(`${day}T00:00:00Z`) - CHINA_MS;

/**
 * The lexemes of migration 0022 that cover [from, before) exactly, in China days: whole years as
 * '#y2025', whole months as '#m202603', the days at either end as '#d20260315'; null without a lower
 * bound (the words alone). The store still checks the bounds themselves (a slice starts mid-day).
 */
function sliceLexemes(from: number | null, before: number): string[] | null {
  if (from === null) return null;
  // Dates as UTC midnights of the China calendar day, so getUTC* read China's calendar.
  const day = (t: number) => Math.floor((t + CHINA_MS) / DAY_MS) * DAY_MS;
  const last = day(before - 1);
  const out: string[] = [];
  for (let d = day(from); d <= last;) {
    const at = new Date(d);
    const y = at.getUTCFullYear();
    const m = at.getUTCMonth();
    const yearEnd = Date.UTC(y + 1, 0, 1) - DAY_MS;
    const monthEnd = Date.UTC(y, m + 1, 1) - DAY_MS;
    if (m === 0 && at.getUTCDate() === 1 && yearEnd <= last) {
      out.push(`#y${y}`);
      d = yearEnd + DAY_MS;
    } else if (at.getUTCDate() === 1 && monthEnd <= last) {
      out.push(`#m${y * 100 + m + 1}`);
      d = monthEnd + DAY_MS;
    } else {
      out.push(`#d${y * 10_000 + (m + 1) * 100 + at.getUTCDate()}`);
      d += DAY_MS;
    }
  }
  return out;
}

const anyOf = (lexemes: readonly string[]) => `( ${lexemes.map((l) => `'${l}'`).join(' | ')} )`;

export function createPublicationSearch(db: Database, segmenter: Segmenter) {
  /** A category and the categories under it (a parent column lists its children's publications). */
  async function categoryCodes(tenantId: string, code: string | undefined) {
    if (!code) return undefined;
    const all = await store.listCategories(db.kysely, tenantId);
    return all.filter((c) => c.code === code || c.parentCode === code).map((c) => c.code);
  }

  /**
   * The newest `want` public matches of `tsquery` (ids, newest first), walking back through the time
   * slices; `exhausted` when every match was seen (then `seen` is the exact total).
   */
  async function newestMatches(
    tenantId: string,
    tsquery: string,
    filter: SearchFilter & { categoryCodes: string[] | undefined },
    want: number,
  ): Promise<{ ids: number[]; seen: number; exhausted: boolean }> {
    return db.kysely.transaction().execute(async (tx) => {
      await store.boundedReads(tx);
      return walk(tx, tenantId, tsquery, filter, want);
    });
  }

  async function walk(
    tx: Executor,
    tenantId: string,
    tsquery: string,
    filter: SearchFilter & { categoryCodes: string[] | undefined },
    want: number,
  ): Promise<{ ids: number[]; seen: number; exhausted: boolean }> {
    // Category codes are [a-z0-9_-] (the catalogue's check), days and months digits: safe to quote as is.
    const words = filter.categoryCodes
      ? `( ${tsquery} ) & ${anyOf(filter.categoryCodes.map((c) => `#c${c}`))}`
      : `( ${tsquery} )`;
    const upper = Math.min(Date.now() + 1000, filter.to ? chinaMidnight(filter.to) + DAY_MS : Infinity);
    const lower = filter.from ? chinaMidnight(filter.from) : null;
    const found: { id: number; publishAt: number }[] = [];
    const nthBefore = async (n: number, before: number) =>
      (
        await store.nthNewestPublic(tx, tenantId, n, {
          from: lower === null ? null : new Date(lower),
          before: new Date(before),
        })
      )?.getTime() ?? null;
    // The newest public publication in range: the extrapolated slice measures time from it.
    const newest = await nthBefore(1, upper);
    let end = upper;
    for (let k = 0; k <= SLICE_ROWS.length + 1; k++) {
      let start: number | null;
      // A slice starts at the n-th newest public publication before `end`, or at the lower bound; the
      // extrapolated one reaches back eight times the time the first ones covered.
      if (newest === null) start = lower;
      else if (k < SLICE_ROWS.length) start = (await nthBefore(SLICE_ROWS[k]!, end)) ?? lower;
      else if (k === SLICE_ROWS.length) {
        const reach = end - SLICE_GROWTH * Math.max(0, newest - end);
        start = lower === null ? reach : Math.max(lower, reach);
      } else start = lower;
      // (Many publications at one instant can leave a slice empty; the next one takes them.)
      if (start === null || start < end) {
        const slice = sliceLexemes(start, end);
        const matched = await store.publicMatches(
          tx,
          tenantId,
          filter,
          slice ? `${words} & ${anyOf(slice)}` : words,
          { from: start === null ? null : new Date(start), before: new Date(end) },
        );
        matched.sort((a, b) => b.publishAt - a.publishAt || b.id - a.id);
        for (const m of matched) found.push(m);
      }
      const exhausted = start === lower;
      if (exhausted || found.length >= want)
        return { ids: found.slice(0, want).map((r) => r.id), seen: found.length, exhausted };
      end = start!;
    }
    throw new Error('unreachable: the last slice reaches back to the lower bound');
  }

  return {
    /** Public publications matching `q`, best first (recent ones ahead of equally good old ones). */
    async search(
      tenantId: string,
      q: string,
      filter: SearchFilter,
      page: { limit: number; offset: number },
    ): Promise<Found> {
      const problems = checkQuery(q);
      if (problems.length > 0) throw invalidFields(problems);
      const query = segmenter.searchQuery(q);
      if (query.tsquery === null) return { items: [], total: 0, totalExact: true, terms: query.terms };
      const codes = await categoryCodes(tenantId, filter.category);
      if (codes?.length === 0) return { items: [], total: 0, totalExact: true, terms: query.terms };
      const want = Math.max(CANDIDATES, page.offset + page.limit + 1);
      const m = await newestMatches(tenantId, query.tsquery, { ...filter, categoryCodes: codes }, want);
      const items = await store.publicationsByIds(db.kysely, tenantId, m.ids, {
        ...page,
        orderBy: rank('p.search_vector', query, { recencyColumn: 'p.publish_at' }),
      });
      return {
        total: m.seen,
        totalExact: m.exhausted,
        terms: query.terms,
        items: items.map(({ bodyText, ...p }) => ({
          ...p,
          titleMarks: highlight(p.title, query.terms, { maxLength: 200 }),
          snippet: highlight(bodyText, query.terms, { maxLength: 160 }),
        })),
      };
    },

    /** A column's public publications (a category and those under it), newest first. */
    async list(tenantId: string, filter: SearchFilter, page: { limit: number; offset: number }) {
      const r = await store.listPublications(
        db.kysely,
        tenantId,
        {
          public: true,
          categoryCodes: await categoryCodes(tenantId, filter.category),
          issuingBody: filter.issuingBody,
          validity: filter.validity,
          from: filter.from,
          to: filter.to,
        },
        page,
      );
      return { total: r.total, totalExact: r.totalExact, items: r.items.map(({ bodyText: _b, ...p }) => p) };
    },
  };
}

export type PublicationSearch = ReturnType<typeof createPublicationSearch>;
