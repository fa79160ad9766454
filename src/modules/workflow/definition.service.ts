/**
 * Stored process definitions: versioned per site, immutable once stored (so cached forever by
 * version), loaded from JSON files or saved by an administrator. Saving what is already the latest
 * version stores nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { shortLived } from '../../kernel/cache/index.ts';
import { isUniqueViolation, type Database, type Executor } from '../../kernel/db/index.ts';
import { sm3 } from '../../kernel/crypto/index.ts';
import { conflict, invalidFields, notFound } from '../../kernel/errors.ts';
import { authorizeActing } from '../../kernel/policy/index.ts';
import { checkDefinition, type Definition, type DefinitionProblem } from './definition.ts';

export interface StoredDefinition {
  code: string;
  version: number;
  body: Definition;
  source: string;
  createdAt: Date;
  createdBy: string;
}

/** JSON with keys in order, so the same definition always has the same digest. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** A definition's problems as field errors: the field is the JSON pointer into it. */
export function definitionRejected(problems: DefinitionProblem[]) {
  return invalidFields(
    problems.map((p) => ({ field: p.path, code: p.code, params: { path: p.path, ...p.params } })),
    'workflow.definition.invalid',
  );
}

export const PROCESS_DIR = path.join(import.meta.dirname, 'processes');
/** How long a node trusts the latest version it read (see latest). */
const LATEST_FOR_MS = 2_000;

export function createDefinitionService(db: Database) {
  const cache = new Map<string, StoredDefinition>();
  const key = (tenantId: string, code: string, version: number) => `${tenantId}\n${code}\n${version}`;

  const toStored = (r: {
    code: string;
    version: number;
    body: unknown;
    source: string;
    created_at: Date;
    created_by: string;
  }): StoredDefinition => ({
    code: r.code,
    version: r.version,
    body: r.body as Definition,
    source: r.source,
    createdAt: r.created_at,
    createdBy: r.created_by,
  });
  const columns = ['code', 'version', 'body', 'source', 'created_at', 'created_by'] as const;

  async function version(tenantId: string, code: string, v: number, ex: Executor = db.kysely) {
    const k = key(tenantId, code, v);
    const hit = cache.get(k);
    if (hit) return hit;
    const r = await ex
      .selectFrom('workflow.definition')
      .select(columns)
      .where('tenant_id', '=', tenantId)
      .where('code', '=', code)
      .where('version', '=', v)
      .executeTakeFirst();
    if (!r) throw notFound('workflow.definition.not_found', { code });
    const d = toStored(r);
    cache.set(k, d);
    return d;
  }

  // Which version is the latest, per site and code, for a moment: every case opened asks, and a
  // definition changes about never. A save here forgets it at once; on another node a case opened in
  // the next LATEST_FOR_MS still gets the previous version — complete and valid, as every case is
  // pinned to the version it opened on. Within a caller's transaction the table decides.
  async function latestVersion(ex: Executor, tenantId: string, code: string): Promise<number> {
    const r = await ex
      .selectFrom('workflow.definition')
      .select('version')
      .where('tenant_id', '=', tenantId)
      .where('code', '=', code)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!r) throw notFound('workflow.definition.not_found', { code });
    return r.version;
  }
  const latestSeen = shortLived(LATEST_FOR_MS, (k) => {
    const at = k.indexOf('\u0000');
    return latestVersion(db.kysely, k.slice(0, at), k.slice(at + 1));
  });
  async function latest(tenantId: string, code: string, ex: Executor = db.kysely) {
    const v =
      ex === db.kysely
        ? await latestSeen.get(`${tenantId}\u0000${code}`)
        : await latestVersion(ex, tenantId, code);
    return version(tenantId, code, v, ex);
  }

  /** Checks and stores a definition as the next version; `unchanged` when it equals the latest. */
  async function save(
    ctx: AuditContext,
    input: unknown,
    source: string,
  ): Promise<{ definition: StoredDefinition; unchanged: boolean }> {
    authorizeActing(ctx, 'workflow.define');
    const problems = checkDefinition(input);
    if (problems.length > 0) throw definitionRejected(problems);
    const body = input as Definition;
    const digest = sm3(canonical(body));
    try {
      const saved = await db.kysely.transaction().execute(async (tx) => {
        const last = await tx
          .selectFrom('workflow.definition')
          .select(['version', 'digest'])
          .where('tenant_id', '=', ctx.tenantId)
          .where('code', '=', body.code)
          .orderBy('version', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (last?.digest === digest)
          return { definition: await version(ctx.tenantId, body.code, last.version, tx), unchanged: true };
        const next = (last?.version ?? 0) + 1;
        const r = await tx
          .insertInto('workflow.definition')
          .values({
            tenant_id: ctx.tenantId,
            code: body.code,
            version: next,
            body: JSON.stringify(body),
            digest,
            source,
            created_by: ctx.actorId,
          })
          .returning(columns)
          .executeTakeFirstOrThrow();
        await appendAudit(tx, ctx, {
          action: 'workflow.definition_saved',
          objectType: 'process_definition',
          objectId: `${body.code}@${next}`,
          detail: { source, steps: Object.keys(body.steps).length },
        });
        return { definition: toStored(r), unchanged: false };
      });
      latestSeen.forget(`${ctx.tenantId}\u0000${body.code}`);
      return saved;
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict('workflow.definition.concurrent_edit', { code: body.code });
      throw e;
    }
  }

  return {
    version,
    latest,
    save,
    /** The latest version of every definition of the site. */
    async list(tenantId: string): Promise<StoredDefinition[]> {
      const rows = await db.kysely
        .selectFrom('workflow.definition as d')
        .select(columns)
        .where('tenant_id', '=', tenantId)
        .where(({ eb, selectFrom }) =>
          eb(
            'version',
            '=',
            selectFrom('workflow.definition as o')
              .select(({ fn }) => fn.max('o.version').as('v'))
              .whereRef('o.tenant_id', '=', 'd.tenant_id')
              .whereRef('o.code', '=', 'd.code'),
          ),
        )
        .orderBy('code')
        .execute();
      return rows.map(toStored);
    },
    async versions(tenantId: string, code: string) {
      const rows = await db.kysely
        .selectFrom('workflow.definition')
        .select(['version', 'source', 'created_at', 'created_by'])
        .where('tenant_id', '=', tenantId)
        .where('code', '=', code)
        .orderBy('version', 'desc')
        .execute();
      return rows.map((r) => ({
        version: r.version,
        source: r.source,
        createdAt: r.created_at,
        createdBy: r.created_by,
      }));
    },
    /**
     * Loads every `*.json` in a directory (the shipped processes by default) into the site; unchanged
     * files store nothing. Every file is checked before any is stored.
     */
    async loadFiles(ctx: AuditContext, dir = PROCESS_DIR) {
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort();
      const parsed = files.map((f) => {
        let body: unknown;
        try {
          body = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
        } catch (e) {
          throw invalidFields([
            { field: f, code: 'workflow.definition.json', params: { message: (e as Error).message } },
          ]);
        }
        const problems = checkDefinition(body);
        if (problems.length > 0)
          throw invalidFields(
            problems.map((p) => ({
              field: `${f}${p.path}`,
              code: p.code,
              params: { path: p.path, ...p.params },
            })),
            'workflow.definition.invalid',
          );
        return { f, body };
      });
      const out: { file: string; code: string; version: number; unchanged: boolean }[] = [];
      for (const { f, body } of parsed) {
        const r = await save(ctx, body, `file:${f}`);
        out.push({ file: f, code: r.definition.code, version: r.definition.version, unchanged: r.unchanged });
      }
      return out;
    },
  };
}

export type DefinitionService = ReturnType<typeof createDefinitionService>;
