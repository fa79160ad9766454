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
  contactOf(ex: Executor, tenantId: string, accountId: number): Promise<Contact | undefined>;
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
    async notify(ex: Executor, message: NotifyMessage): Promise<void> {
      checkMessage(message.kind, message.params, message.link);
      const contact = await deps.contactOf(ex, message.tenantId, message.accountId);
      if (!contact) throw new Error(`notify: no account ${message.accountId} on site ${message.tenantId}`);
      const entryId = await inbox.insertEntry(ex, {
        tenantId: message.tenantId,
        accountId: message.accountId,
        kind: message.kind,
        params: message.params,
        link: message.link ?? null,
      });
      // A disabled account keeps its inbox (it may be enabled again) but gets no mail meanwhile.
      if (deps.mailEnabled && contact.email && contact.active) {
        await enqueue(ex, {
          tenantId: message.tenantId,
          entryId,
          to: contact.email,
          toName: contact.displayName,
        });
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
