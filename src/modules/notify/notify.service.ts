/**
 * Notifying an account, and the account's own inbox. notify() writes through the executor it is given
 * — the caller's transaction — so an entry and its e-mail exist exactly when the action that caused
 * them committed (a transactional outbox); it never talks to the mail server.
 */
import type { Database, Executor } from '../../kernel/db/index.ts';
import { notFound } from '../../kernel/errors.ts';
import type { Locale } from '../../kernel/i18n/index.ts';
import * as inbox from './inbox.store.ts';
import { enqueue } from './outbox.store.ts';
import { checkMessage, renderMessage, type NotifyParams } from './templates.ts';

/** One notification to one account of a site. */
export interface NotifyMessage {
  tenantId: string;
  accountId: number;
  /** 'module.event': its text is the locale keys notify.<kind>.subject and notify.<kind>.body. */
  kind: string;
  /** Fills the templates' {placeholders}; a name ending in Key holds a locale key (see templates.ts). */
  params: NotifyParams;
  /** A path on the site where the matter is seen, e.g. /workbench/tasks/42. */
  link?: string;
}

/** Who a notification reaches, from the identity module (read in the caller's transaction). */
export interface Contact {
  kind: 'staff' | 'person' | 'enterprise';
  displayName: string;
  /** Where a copy is mailed; null: the inbox only. */
  email: string | null;
  active: boolean;
}

export interface NotifyServiceDeps {
  db: Database;
  /** Mail copies are queued only when SMTP is configured. */
  mailEnabled: boolean;
  /** the contacts of a site's accounts by id (an unknown id is missing) */
  contactsOf(ex: Executor, tenantId: string, accountIds: readonly number[]): Promise<Map<number, Contact>>;
  /** Told after a mail was queued, so this node's worker sweeps soon. */
  onQueued(): void;
}

/** An entry as its reader sees it: the text in their language. */
export interface PresentedEntry {
  id: number;
  kind: string;
  params: NotifyParams;
  subject: string;
  body: string;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

/** Whose inbox: the signed-in account on its site (from the session, never from the request). */
export interface Reader {
  tenantId: string;
  accountId: number;
  locale: Locale;
}

export function createNotifyService(deps: NotifyServiceDeps) {
  const { db } = deps;
  const notFoundEntry = (id: number) => notFound('notify.entry.not_found', { id });

  return {
    /**
     * Notifies accounts: an inbox entry each and, when SMTP is configured and the account has an
     * e-mail address, a queued e-mail — in three statements however many messages, all through `ex`.
     */
    async notifyAll(ex: Executor, messages: readonly NotifyMessage[]): Promise<void> {
      if (messages.length === 0) return;
      for (const m of messages) checkMessage(m.kind, m.params, m.link);
      const contacts = new Map<string, Contact>();
      for (const tenantId of new Set(messages.map((m) => m.tenantId))) {
        const ids = messages.filter((m) => m.tenantId === tenantId).map((m) => m.accountId);
        for (const [id, c] of await deps.contactsOf(ex, tenantId, ids)) contacts.set(`${tenantId} ${id}`, c);
      }
      const contactOf = (m: NotifyMessage) => {
        const c = contacts.get(`${m.tenantId} ${m.accountId}`);
        if (!c) throw new Error(`notify: no account ${m.accountId} on site ${m.tenantId}`);
        return c;
      };
      messages.forEach(contactOf);
      const entryIds = await inbox.insertEntries(
        ex,
        messages.map((m) => ({
          tenantId: m.tenantId,
          accountId: m.accountId,
          kind: m.kind,
          params: m.params,
          link: m.link ?? null,
        })),
      );
      // A disabled account keeps its inbox (it may be enabled again) but gets no mail meanwhile.
      const mails = deps.mailEnabled
        ? messages.flatMap((m, i) => {
            const c = contactOf(m);
            return c.email && c.active
              ? [{ tenantId: m.tenantId, entryId: entryIds[i]!, to: c.email, toName: c.displayName }]
              : [];
          })
        : [];
      if (mails.length > 0) {
        await enqueue(ex, mails);
        deps.onQueued();
      }
    },

    async list(reader: Reader, filter: { unreadOnly: boolean; limit: number; offset: number }) {
      const page = await inbox.listEntries(db.kysely, reader.tenantId, reader.accountId, filter);
      return { ...page, items: page.items.map((e) => present(reader.locale, e)) };
    },

    unreadCount: (reader: Pick<Reader, 'tenantId' | 'accountId'>) =>
      inbox.unreadCount(db.kysely, reader.tenantId, reader.accountId),

    /** Marks the reader's entry read; another account's entry is not found, exactly like none. */
    async markRead(reader: Reader, id: number): Promise<Date> {
      const readAt = await inbox.markRead(db.kysely, reader.tenantId, reader.accountId, id);
      if (!readAt) throw notFoundEntry(id);
      return readAt;
    },

    markAllRead: (reader: Reader) => inbox.markAllRead(db.kysely, reader.tenantId, reader.accountId),
  };
}

function present(locale: Locale, e: inbox.InboxEntry): PresentedEntry {
  const text = renderMessage(locale, e.kind, e.params);
  return {
    id: e.id,
    kind: e.kind,
    params: e.params,
    ...text,
    link: e.link,
    createdAt: e.createdAt,
    readAt: e.readAt,
  };
}

export type NotifyService = ReturnType<typeof createNotifyService>;
