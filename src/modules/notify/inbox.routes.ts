/**
 * The inbox JSON API under /api/v1: the signed-in account's own entries, and marking them read. Whose
 * inbox it is comes from the session and the site from the host name — never from the request — so an
 * entry id of another account answers 404, as one that does not exist.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError } from '../../kernel/errors.ts';
import type { NotifyService, PresentedEntry, Reader } from './notify.service.ts';

const Problem = Type.Ref('Problem');
const tags = ['inbox'];

const InboxEntrySchema = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.String({ description: "what happened, 'module.event' (e.g. workflow.task_assigned)" }),
    params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
      description: 'the values the text was filled with',
    }),
    subject: Type.String({ description: 'in the caller’s language' }),
    body: Type.String({ description: 'in the caller’s language; may hold line breaks' }),
    link: Type.Union([Type.String(), Type.Null()], { description: 'a path on this site' }),
    createdAt: Type.String({ format: 'date-time' }),
    readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'InboxEntry' },
);

/** The session's account on this site; the access rule ('signed-in') has already required one. */
export function readerOf(req: FastifyRequest): Reader {
  if (!req.actor) throw new DomainError('unauthorized', 'identity.session.required');
  return { tenantId: req.site.tenantId, accountId: req.actor.accountId, locale: req.locale };
}

export const entryJson = (e: PresentedEntry) => ({
  ...e,
  createdAt: e.createdAt.toISOString(),
  readAt: e.readAt?.toISOString() ?? null,
});

export async function inboxRoutes(fastify: FastifyInstance, deps: { notify: NotifyService }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { notify } = deps;
  app.addSchema(InboxEntrySchema);

  app.get(
    '/api/v1/inbox',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'My inbox: my notifications, newest first, with how many are unread',
        querystring: Type.Object({
          unread: Type.Boolean({ default: false, description: 'only the unread ones' }),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('InboxEntry')),
            total: Type.Integer({ description: 'entries matching the filter' }),
            unread: Type.Integer({ description: 'all unread entries' }),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          400: Problem,
          401: Problem,
        },
      },
    },
    async (req) => {
      const { unread, limit, offset } = req.query;
      const page = await notify.list(readerOf(req), { unreadOnly: unread, limit, offset });
      return { items: page.items.map(entryJson), total: page.total, unread: page.unread, limit, offset };
    },
  );

  app.post(
    '/api/v1/inbox/:id/read',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Mark one of my notifications read (again: no change)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.Object({ id: Type.Integer(), readAt: Type.String({ format: 'date-time' }) }),
          400: Problem,
          401: Problem,
          404: Problem,
        },
      },
    },
    async (req) => {
      const readAt = await notify.markRead(readerOf(req), req.params.id);
      return { id: req.params.id, readAt: readAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/inbox/read-all',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Mark all my notifications read',
        response: {
          200: Type.Object({ marked: Type.Integer({ description: 'entries that were unread' }) }),
          401: Problem,
        },
      },
    },
    async (req) => ({ marked: await notify.markAllRead(readerOf(req)) }),
  );
}
