/** The site's leaders' mailboxes as an API, for the site administrator (领导信箱管理). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf } from '../../kernel/http/index.ts';
import {
  LEADER_MAX,
  MAILBOX_NAME,
  SORT_MAX,
  type MailboxService,
  type ManagedMailbox,
} from './mailbox.service.ts';

const Problem = Type.Ref('Problem');

export const MailboxSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  leader: Type.String(),
  department: Type.Object(
    { id: Type.Integer(), name: Type.String(), active: Type.Boolean() },
    { description: 'the department that answers its letters' },
  ),
  sort: Type.Integer({ description: 'the order writers see the mailboxes in, smallest first' }),
  active: Type.Boolean({
    description: 'false: no longer offered to writers and refusing new letters; its letters run on',
  }),
});

const fields = {
  name: Type.String({
    maxLength: 200,
    description: `${MAILBOX_NAME.min} to ${MAILBOX_NAME.max} characters once plain text, unique on the site`,
  }),
  leader: Type.String({ maxLength: 200, description: `at most ${LEADER_MAX} characters` }),
  departmentId: Type.Integer({
    minimum: 1,
    description: 'an active department of the site, which answers the letters',
  }),
  sort: Type.Integer({ minimum: 0, maximum: SORT_MAX, description: 'default: after the last one' }),
  active: Type.Boolean({ description: 'false takes the mailbox out of service, true puts it back' }),
};

const view = (m: ManagedMailbox) => ({
  id: m.id,
  name: m.name,
  leader: m.leader,
  department: m.department,
  sort: m.sort,
  active: m.active,
});

export async function mailboxesRoutes(
  fastify: FastifyInstance,
  deps: { mailboxes: MailboxService },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { mailboxes } = deps;
  const tags = ['letters'];
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

  app.get(
    '/api/v1/letters/mailboxes',
    {
      config: { access: 'org.site.manage' },
      schema: {
        tags,
        summary: "The site's leaders' mailboxes, out of service ones too (the site administrator's)",
        response: {
          200: Type.Object({ items: Type.Array(MailboxSchema) }),
          401: Problem,
          403: Problem,
          404: Problem,
        },
      },
    },
    async (req) => ({ items: (await mailboxes.list(auditContextOf(req))).map(view) }),
  );

  app.post(
    '/api/v1/letters/mailboxes',
    {
      config: { access: 'org.site.manage' },
      schema: {
        tags,
        summary:
          "Adds a leader's mailbox (the site administrator): its name, the leader, the department answering; a name the site has already is 409",
        body: Type.Object(
          {
            name: fields.name,
            leader: Type.Optional(fields.leader),
            departmentId: fields.departmentId,
            sort: Type.Optional(fields.sort),
            active: Type.Optional(fields.active),
          },
          { additionalProperties: false },
        ),
        response: { 201: MailboxSchema, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(view(await mailboxes.create(auditContextOf(req), req.body))),
  );

  app.patch(
    '/api/v1/letters/mailboxes/:id',
    {
      config: { access: 'org.site.manage' },
      schema: {
        tags,
        summary:
          "Changes a leader's mailbox (the site administrator): what the body names; `active: false` takes it out of service (writers no longer see it, its letters run on)",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: Type.Object(
          {
            name: Type.Optional(fields.name),
            leader: Type.Optional(fields.leader),
            departmentId: Type.Optional(fields.departmentId),
            sort: Type.Optional(fields.sort),
            active: Type.Optional(fields.active),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: MailboxSchema, ...errors },
      },
    },
    async (req) => view(await mailboxes.update(auditContextOf(req), req.params.id, req.body)),
  );
}
