/** Use-cases on divisions: read the tree, and the admin's single-division create and edit. */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { shortLived } from '../../kernel/cache/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { DomainError, invalidFields, notFound } from '../../kernel/errors.ts';
import {
  levelOf,
  NATIONAL_CODE,
  parentCandidates,
  type DivisionLevel,
} from '../../kernel/divisions/index.ts';
import { authorizeActing } from '../../kernel/policy/index.ts';
import { checkRows } from './division-import.ts';
import * as store from './division.store.ts';
import type { Division } from './division.store.ts';

export interface Page {
  limit: number;
  offset: number;
}

/**
 * How long a node keeps the divisions an address field is checked against. A division renamed or
 * switched off elsewhere (an admin's page, `yiwang divisions import`) reaches the forms that late;
 * the code tables change a few times a year.
 */
const FOR_FORMS_MS = 10_000;

export function createDivisionService(db: Database) {
  const activeMany = shortLived(FOR_FORMS_MS, async (key) =>
    (await store.findDivisions(db.kysely, key.split(','))).filter((d) => d.active),
  );
  const activeChildren = shortLived(FOR_FORMS_MS, async (code) =>
    (await store.listChildren(db.kysely, code, { limit: 1000, offset: 0 })).items.filter((d) => d.active),
  );
  const changed = () => {
    activeMany.forget();
    activeChildren.forget();
  };
  async function get(code: string): Promise<Division> {
    checkCode(code);
    const d = await store.findDivision(db.kysely, code);
    if (!d) throw notFound('org.division.not_found', { code });
    return d;
  }

  return {
    get,
    /** A division the actor may manage (404 outside their jurisdiction). */
    async manageable(ctx: AuditContext, code: string): Promise<Division> {
      const d = await get(code);
      authorizeActing(ctx, 'org.division.manage', { division: code }, () =>
        notFound('org.division.not_found', { code }),
      );
      return d;
    },
    /**
     * The active divisions address fields are checked against (kernel/forms' DivisionLookup): read on
     * every application, so remembered for FOR_FORMS_MS.
     */
    forForms: {
      many: (codes: readonly string[]) => activeMany.get([...new Set(codes)].sort().join(',')),
      children: (code: string) => activeChildren.get(code),
    },
    /** The divisions with these codes that exist (no error for the others). */
    many: (codes: string[], ex: Executor = db.kysely) => store.findDivisions(ex, codes),
    // One query when the division has children; the existence check only when it has none.
    async children(code: string, page: Page) {
      checkCode(code);
      const result = await store.listChildren(db.kysely, code, page);
      if (result.items.length === 0) await get(code);
      return result;
    },
    async path(code: string): Promise<Division[]> {
      checkCode(code);
      const path = await store.findPath(db.kysely, code);
      if (path.length === 0) throw notFound('org.division.not_found', { code });
      return path.filter((d) => d.code !== NATIONAL_CODE);
    },
    async search(
      query: { text: string; level?: DivisionLevel | undefined; within?: string | undefined } & Page,
    ) {
      const text = query.text.trim();
      if (text.length === 0 || text.length > 50)
        throw invalidFields([{ field: 'q', code: 'org.division.query_length' }]);
      return store.searchDivisions(db.kysely, { ...query, text });
    },
    async create(
      ctx: AuditContext,
      input: { code: string; name: string; parentCode?: string | undefined },
    ): Promise<Division> {
      // Only the code itself and its possible parents matter: no need to load the whole tree.
      const near = await store.findDivisions(db.kysely, [input.code, ...parentCandidates(input.code)]);
      const existing = new Map(near.map((d) => [d.code, d.level]));
      if (existing.has(input.code))
        throw new DomainError('conflict', 'org.division.exists', { code: input.code }, [
          { field: 'code', code: 'org.division.exists', params: { code: input.code } },
        ]);
      const { ok, problems } = checkRows(
        [{ code: input.code, name: input.name, parentCode: input.parentCode, line: 1 }],
        existing,
      );
      const first = problems[0];
      if (first || !ok[0]) {
        const reason = first?.reason ?? 'org.division.code_length';
        const field = reason.startsWith('org.division.name')
          ? 'name'
          : reason === 'org.division.parent_mismatch'
            ? 'parentCode'
            : 'code';
        throw invalidFields([{ field, code: reason, params: { code: input.code } }]);
      }
      const division = ok[0];
      // A new division goes under one in the actor's jurisdiction; anything else reads as an unknown parent.
      authorizeActing(ctx, 'org.division.manage', { division: division.parentCode }, () =>
        invalidFields([{ field: 'parentCode', code: 'org.division.parent_outside_jurisdiction' }]),
      );
      await db.kysely.transaction().execute(async (trx) => {
        await store.insertDivision(trx, division, 'manual');
        await appendAudit(trx, ctx, {
          action: 'division.created',
          objectType: 'division',
          objectId: division.code,
          detail: { name: division.name },
        });
      });
      changed();
      return get(input.code);
    },
    async update(
      ctx: AuditContext,
      code: string,
      patch: { name?: string | undefined; active?: boolean | undefined },
    ): Promise<Division> {
      const before = await get(code);
      authorizeActing(ctx, 'org.division.manage', { division: code }, () =>
        notFound('org.division.not_found', { code }),
      );
      if (code === NATIONAL_CODE) throw new DomainError('forbidden', 'org.division.root_fixed');
      if (patch.name !== undefined && (patch.name.trim().length === 0 || patch.name.trim().length > 100)) {
        throw invalidFields([{ field: 'name', code: 'org.division.name_length' }]);
      }
      const name = patch.name?.trim();
      await db.kysely.transaction().execute(async (trx) => {
        await store.updateDivision(trx, code, { name, active: patch.active });
        await appendAudit(trx, ctx, {
          action: 'division.updated',
          objectType: 'division',
          objectId: code,
          detail: {
            ...(name !== undefined && name !== before.name ? { name: [before.name, name] } : {}),
            ...(patch.active !== undefined && patch.active !== before.active ? { active: patch.active } : {}),
          },
        });
      });
      changed();
      return get(code);
    },
  };
}

export type DivisionService = ReturnType<typeof createDivisionService>;

function checkCode(code: string) {
  const lv = levelOf(code);
  if (!('level' in lv)) throw invalidFields([{ field: 'code', code: lv.reason, params: { code } }]);
}
