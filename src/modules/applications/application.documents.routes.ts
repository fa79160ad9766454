/** An application's decision documents as an API: the list, and each one as a PDF. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { DocumentService } from './application.documents.ts';

const Problem = Type.Ref('Problem');

export async function applicationDocumentRoutes(
  fastify: FastifyInstance,
  deps: { documents: DocumentService },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { documents } = deps;
  const tags = ['applications'];
  const errors = { 401: Problem, 404: Problem };

  app.get(
    '/api/v1/applications/:id/documents',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary:
          "An application's decision documents (受理通知书, 不予受理决定书, 补正告知书), oldest first: for its applicant, the window that took it, and staff who may see its case (404 for anyone else)",
        params: Type.Object({ id: Type.String({ maxLength: 32 }) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                n: Type.Integer({ minimum: 1, description: 'its number among the case’s documents' }),
                kind: Type.Union([
                  Type.Literal('acceptance'),
                  Type.Literal('refusal'),
                  Type.Literal('supplement'),
                ]),
                title: Type.String(),
                issuedAt: Type.String({ format: 'date-time' }),
                href: Type.String({ description: 'the PDF' }),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => ({ items: await documents.list(auditContextOf(req), req.params.id) }),
  );

  app.get(
    '/api/v1/applications/:id/documents/:n.pdf',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary:
          'One decision document as a PDF (GB/T 9704 layout, fonts embedded), rendered from the case’s log: the same document always gives the same bytes',
        params: Type.Object({
          id: Type.String({ maxLength: 32 }),
          n: Type.Integer({ minimum: 1, maximum: 9999 }),
        }),
        response: { ...errors },
      },
    },
    async (req, reply) => {
      const { bytes, filename } = await documents.pdf(auditContextOf(req), req.params.id, req.params.n);
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header(
          'content-disposition',
          `attachment; filename="document-${req.params.n}.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        )
        .send(bytes);
    },
  );
}
