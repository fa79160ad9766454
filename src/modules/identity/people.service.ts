/**
 * Personal identifiers for staff (个人信息查看): finding a registered person and, for those allowed to
 * ('pii.view': window officers, handlers, department heads), seeing the ID number in full. Lists show it
 * masked; each full view is a separate act, written to the audit chain before the number is returned.
 *
 * Persons register on the site, not in a division, so 'pii.view' reaches every person of the site;
 * the audit chain and the security-events page (bulk views) are the control on it.
 */
import { appendAudit, type AuditContext } from '../../kernel/audit/index.ts';
import { lookupHash, type Sm4Keyring } from '../../kernel/crypto/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { invalidFields, notFound } from '../../kernel/errors.ts';
import { checkCitizenId, maskCitizenId } from '../../kernel/identifiers/index.ts';
import { authorizeActing } from '../../kernel/policy/index.ts';
import * as store from './account.store.ts';

export interface PersonSummary {
  id: number;
  username: string;
  displayName: string;
  idNumberMasked: string;
  status: 'active' | 'disabled';
  createdAt: Date;
}

export function createPeopleService(deps: { db: Database; keyring: Sm4Keyring; lookupKey: Buffer }) {
  const { db, keyring, lookupKey } = deps;
  const summary = (r: store.PersonRow): PersonSummary => ({
    id: r.id,
    username: r.username,
    displayName: r.displayName,
    idNumberMasked: maskCitizenId(keyring.decrypt(r.idNumberEnc)),
    status: r.status,
    createdAt: r.createdAt,
  });

  return {
    /**
     * Finds persons by a whole ID number (an exact match through its keyed hash; the number is never
     * searched in clear) or by name / account name. The search is audited, without the number.
     */
    async find(ctx: AuditContext, query: string, page: { limit: number; offset: number }) {
      authorizeActing(ctx, 'pii.view');
      const q = query.trim();
      if (q.length === 0 || q.length > 50)
        throw invalidFields([{ field: 'q', code: 'identity.people.query_length' }]);
      const byId = /^\d{17}[\dXx]$/.test(q);
      if (byId) {
        const id = checkCitizenId(q);
        if (!id.valid) throw invalidFields([{ field: 'q', code: id.reason }]);
      }
      const result = await store.findPersons(db.kysely, ctx.tenantId, {
        idNumberHash: byId ? lookupHash(lookupKey, 'citizen-id', q.toUpperCase()) : undefined,
        text: byId ? undefined : q,
        ...page,
      });
      await appendAudit(db.kysely, ctx, {
        action: 'pii.searched',
        objectType: 'person',
        detail: { by: byId ? 'id_number' : 'name', results: result.total },
      });
      return { total: result.total, items: result.items.map(summary) };
    },

    /** The person's ID number in full. The view is in the audit chain before the number leaves here. */
    async reveal(ctx: AuditContext, accountId: number): Promise<PersonSummary & { idNumber: string }> {
      authorizeActing(ctx, 'pii.view');
      const row = await store.findPerson(db.kysely, ctx.tenantId, accountId);
      if (!row) throw notFound('identity.people.not_found', { id: accountId });
      const idNumber = keyring.decrypt(row.idNumberEnc);
      await appendAudit(db.kysely, ctx, {
        action: 'pii.viewed',
        objectType: 'account',
        objectId: String(accountId),
        detail: { field: 'id_number' },
      });
      return { ...summary(row), idNumber };
    },
  };
}

export type PeopleService = ReturnType<typeof createPeopleService>;
