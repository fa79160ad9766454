/**
 * Re-indexing publications (`yiwang search reindex`): every publication's search text recomputed with
 * the segmenter as it is now (after the site's dictionary changed). Batches of BATCH, each its own
 * transaction with the batch's rows locked as they are read, so a publication saved meanwhile waits and
 * the vector written is always that of the text stored; an interrupted run keeps what it did.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../../kernel/db/index.ts';

const BATCH = 500;

export function createPublicationReindexer(
  db: Database,
  vectorOf: (
    p: { title: string; indexNumber: string | null; docNumber: string; bodyText: string },
    attachments: string[],
  ) => RawBuilder<string>,
) {
  async function count(tenantId?: string): Promise<number> {
    let q = db.kysely.selectFrom('publications.publication').select((eb) => eb.fn.countAll<string>().as('n'));
    if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  return {
    name: 'publications' as const,
    count,
    async run(onProgress: (done: number, total: number) => void = () => {}) {
      const total = await count();
      let documents = 0;
      let changed = 0;
      let after = { tenantId: '', id: 0 };
      for (;;) {
        const batch = await db.kysely.transaction().execute(async (tx) => {
          const rows = await tx
            .selectFrom('publications.publication')
            .select(['tenant_id', 'id', 'title', 'index_number', 'doc_number', 'body_text'])
            .where((eb) =>
              eb.or([
                eb('tenant_id', '>', after.tenantId),
                eb.and([eb('tenant_id', '=', after.tenantId), eb('id', '>', after.id)]),
              ]),
            )
            .orderBy('tenant_id')
            .orderBy('id')
            .limit(BATCH)
            .forUpdate()
            .execute();
          for (const r of rows) {
            const texts = await tx
              .selectFrom('publications.attachment')
              .select('text')
              .where('tenant_id', '=', r.tenant_id)
              .where('publication_id', '=', r.id)
              .orderBy('position')
              .execute();
            const v = vectorOf(
              { title: r.title, indexNumber: r.index_number, docNumber: r.doc_number, bodyText: r.body_text },
              texts.map((t) => t.text),
            );
            const u = await sql`update publications.publication set search_vector = ${v}
              where tenant_id = ${r.tenant_id} and id = ${r.id} and search_vector <> ${v}`.execute(tx);
            changed += Number(u.numAffectedRows ?? 0);
          }
          return rows;
        });
        if (batch.length === 0) break;
        documents += batch.length;
        const last = batch.at(-1)!;
        after = { tenantId: last.tenant_id, id: Number(last.id) };
        onProgress(documents, total);
      }
      return { documents, changed };
    },
  };
}
