/**
 * notify — notifications (通知): the in-app inbox (站内消息) of staff and the public, and e-mail copies
 * through SMTP when it is configured, sent from an outbox by a worker on every node. Other modules call
 * notify() inside their own transaction, so a notification commits or rolls back with the action that
 * caused it, and a mail server that is slow or down never holds or fails that action. The only file
 * other modules import; see CONTEXT.md for the words and the kinds.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../kernel/config/index.ts';
import type { Database, Executor } from '../../kernel/db/index.ts';
import { createMailer } from '../../kernel/mail/index.ts';
import type { Permission } from '../../kernel/policy/index.ts';
import { inboxPages } from './inbox.pages.tsx';
import { inboxRoutes } from './inbox.routes.ts';
import { createNotifyService, type Contact, type NotifyMessage } from './notify.service.ts';
import {
  startOutboxWorker,
  sweepOutbox,
  type SweepDeps,
  type SweepResult,
  type WorkerLog,
} from './outbox.worker.ts';
import type { MailSite } from './templates.ts';

export type { Contact, NotifyMessage, PresentedEntry } from './notify.service.ts';
export type { NotifyParams } from './templates.ts';
export type { SweepResult, WorkerLog } from './outbox.worker.ts';
export { OUTBOX, retryDelayMs } from './outbox.worker.ts';

export interface NotifyPorts {
  /** Who accounts are (identity's contactsOf), read through the caller's executor. */
  contactsOf(ex: Executor, tenantId: string, accountIds: readonly number[]): Promise<Map<number, Contact>>;
  /** A site's name and host names (org), for a mail's text and links; called outside transactions. */
  siteOf(tenantId: string): Promise<{ name: string; hosts: readonly string[]; isDefault: boolean }>;
}

export function createNotifyModule(db: Database, config: Config, ports: NotifyPorts) {
  // No mailer without SMTP_URL: notifications then go to the inbox only, and nothing is queued.
  const mailer = createMailer(config.smtp);
  let worker: ReturnType<typeof startOutboxWorker> | undefined;
  const service = createNotifyService({
    db,
    mailEnabled: mailer !== undefined,
    contactsOf: ports.contactsOf,
    onQueued: () => worker?.queued(),
  });
  const sweepDeps: SweepDeps | undefined = mailer && {
    db,
    mailer,
    siteOf: async (tenantId): Promise<MailSite> => {
      const site = await ports.siteOf(tenantId);
      return { name: site.name, origin: originOf(site, config) };
    },
  };

  return {
    /**
     * Notifies one account: an inbox entry and, when SMTP is configured and the account has an e-mail
     * address, a queued e-mail — both written through `ex`, the caller's transaction. Throws (a bug in
     * the caller) for an unknown kind, a missing param, a link off the site or an unknown account.
     */
    notify: (ex: Executor, message: NotifyMessage): Promise<void> => service.notifyAll(ex, [message]),
    /** notify, for many messages at once (three statements in all). */
    notifyAll: (ex: Executor, messages: readonly NotifyMessage[]): Promise<void> =>
      service.notifyAll(ex, messages),
    /** How many unread entries an account has (for a count beside a link to the inbox). */
    unreadCount: (tenantId: string, accountId: number): Promise<number> =>
      service.unreadCount({ tenantId, accountId }),
    workbenchLinks: [
      { href: '/workbench/inbox', key: 'notify.inbox.title', permission: 'workbench.enter' },
    ] satisfies { href: string; key: string; permission: Permission }[],
    async routes(app: FastifyInstance) {
      await inboxRoutes(app, { notify: service });
      inboxPages(app, { notify: service });
    },
    /**
     * Starts this node's mail worker (nothing to do without SMTP). Returns stop(), which waits for the
     * sweep in progress; rows it has not tried are due again at once for any node.
     */
    startWorker(log: WorkerLog): () => Promise<void> {
      if (!sweepDeps) return async () => {};
      const started = startOutboxWorker(sweepDeps, log);
      worker = started;
      return async () => {
        await started.stop();
        if (worker === started) worker = undefined;
      };
    },
    /** One sweep of the outbox now (or as if at `at`): for tests and operators. */
    sweep(options: { at?: Date } = {}): Promise<SweepResult> {
      if (!sweepDeps) return Promise.resolve({ claimed: 0, sent: 0, failed: 0 });
      return sweepOutbox(sweepDeps, options);
    },
  };
}

export type NotifyModule = ReturnType<typeof createNotifyModule>;

/**
 * Where a mail's links point: PUBLIC_URL for the default site (or one without host names of its own),
 * otherwise the site's first host name with PUBLIC_URL's scheme.
 */
function originOf(site: { hosts: readonly string[]; isDefault: boolean }, config: Config): string {
  const base =
    config.publicUrl ??
    `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
  const host = site.hosts[0];
  return site.isDefault || !host ? base : `${new URL(base).protocol}//${host}`;
}
