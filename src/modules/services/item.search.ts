/**
 * The catalogue's full-text search (see src/kernel/search): what of an item is indexed with what
 * weight, and the portal's query. A name or code weighs most, then the department, then the
 * conditions and materials people search by (身份证, 营业执照), then the legal basis and process.
 */
import { sql, type Expression } from 'kysely';
import {
  highlight,
  matches,
  rank,
  type HighlightSegment,
  type Segmenter,
} from '../../kernel/search/index.ts';
import type { Item, ItemInput } from './catalogue.ts';
import type { ItemFilter } from './item.store.ts';
import type { ItemService } from './item.service.ts';

export function itemVector(
  segmenter: Segmenter,
  item: ItemInput & { departmentName: string },
): Expression<string> {
  const text = segmenter.indexText([
    { text: `${item.name} ${item.code}`, weight: 'A' },
    { text: item.departmentName, weight: 'B' },
    { text: [item.conditions, ...item.materials.map((m) => m.name)].join('\n'), weight: 'C' },
    { text: [item.legalBasis, item.process, item.place].join('\n'), weight: 'D' },
  ]);
  return sql<string>`${text}::tsvector`;
}

export interface Found {
  items: (Item & { snippet: HighlightSegment[] })[];
  total: number;
  /** the words searched for (and their synonyms), to mark in the results */
  terms: string[];
}

export function createCatalogueSearch(items: ItemService, segmenter: Segmenter) {
  return {
    /**
     * Published items matching what someone typed (all items when nothing was typed), best first;
     * each with a snippet of its conditions around the words found.
     */
    async search(
      tenantId: string,
      input: string,
      filter: Omit<ItemFilter, 'divisionPrefix' | 'status' | 'matches'>,
      page: { limit: number; offset: number },
    ): Promise<Found> {
      const typed = input.trim();
      if (typed === '') {
        const r = await items.search(tenantId, filter, page);
        return { ...r, items: r.items.map((i) => ({ ...i, snippet: [] })), terms: [] };
      }
      const q = segmenter.searchQuery(typed);
      const r = await items.search(
        tenantId,
        { ...filter, matches: matches('search_vector', q) },
        { ...page, orderBy: rank('search_vector', q, { recencyColumn: 'published_at' }) },
      );
      return {
        total: r.total,
        terms: q.terms,
        items: r.items.map((i) => ({
          ...i,
          snippet: highlight([i.conditions, ...i.materials.map((m) => m.name)].join(' '), q.terms, {
            maxLength: 120,
          }),
        })),
      };
    },
  };
}

export type CatalogueSearch = ReturnType<typeof createCatalogueSearch>;
