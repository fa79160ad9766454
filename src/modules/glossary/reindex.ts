/**
 * Re-indexing: the modules that index documents with the segmenter register here how to recompute
 * their vectors, and `yiwang search reindex` runs them one after another. A document is segmented when
 * it is saved, so a term added later reaches it only when it is re-indexed; until then search finds
 * it through the term's parts, ranked as a looser match. Re-indexing is a command, not a request: it
 * takes as long as the documents, in batches that each commit.
 */
import { DomainError } from '../../kernel/errors.ts';

export interface Reindexer {
  /** the module's documents, as `--only` names them ('services') */
  readonly name: string;
  /** how many documents a run goes through: one site's, or every site's */
  count(tenantId?: string): Promise<number>;
  /** Recomputes every document's vector; documents gone through, and how many vectors changed. */
  run(onProgress?: (done: number, total: number) => void): Promise<{ documents: number; changed: number }>;
}

export function createReindexRegistry() {
  const reindexers: Reindexer[] = [];
  return {
    register(r: Reindexer): void {
      if (reindexers.some((x) => x.name === r.name)) throw new Error(`a reindexer named ${r.name} exists`);
      reindexers.push(r);
    },
    get all(): readonly Reindexer[] {
      return reindexers;
    },
    /** Those `--only` asks for (all when it names none); an unknown name is refused with the known ones. */
    select(only?: string): Reindexer[] {
      if (only === undefined) return [...reindexers];
      const r = reindexers.find((x) => x.name === only);
      if (!r)
        throw new DomainError('invalid', 'glossary.reindex.unknown', {
          name: only,
          names: reindexers.map((x) => x.name).join(', '),
        });
      return [r];
    },
    /** How many documents of the site the index holds, by module (the page shows it). */
    async counts(tenantId: string): Promise<{ name: string; documents: number }[]> {
      return Promise.all(reindexers.map(async (r) => ({ name: r.name, documents: await r.count(tenantId) })));
    },
  };
}

export type ReindexRegistry = ReturnType<typeof createReindexRegistry>;
