/**
 * Looking people up, for staff with 'pii.view': the workbench page and the API. Lists show ID numbers
 * masked; "show in full" is a POST (a deliberate, audited act, never a link a crawler could follow).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { VNode } from 'preact';
import { DomainError } from '../../kernel/errors.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import { CsrfField, Pagination, usePage, workbenchPage, type FormState } from '../../kernel/pages/index.tsx';
import type { PeopleService, PersonSummary } from './people.service.ts';

const Problem = Type.Ref('Problem');
const PAGE = 20;

const Person = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  idNumberMasked: Type.String({ description: 'e.g. 110105********002X' }),
  status: Type.String(),
});

function SearchForm(props: { q: string; state: FormState }) {
  const { t } = usePage();
  const problem = props.state.problems.find((p) => p.field === 'q');
  return (
    <form method="get" action="/workbench/people" role="search" class="search-form">
      <label for="field-q">{t('identity.people.query')}</label>
      <p class="hint" id="field-q-hint">
        {t('identity.people.query_hint')}
      </p>
      {problem ? (
        <p class="error-message" id="field-q-error">
          {t(problem.code, problem.params)}
        </p>
      ) : null}
      <input
        id="field-q"
        name="q"
        value={props.q}
        maxLength={50}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? 'field-q-hint field-q-error' : 'field-q-hint'}
      />
      <button type="submit">{t('common.search')}</button>
    </form>
  );
}

function PeopleTable(props: { items: PersonSummary[] }) {
  const { t } = usePage();
  return (
    <table>
      <caption>{t('identity.people.results')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('identity.account.display_name')}</th>
          <th scope="col">{t('identity.account.username')}</th>
          <th scope="col">{t('identity.account.id_number')}</th>
          <th scope="col">{t('identity.people.action')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((p) => (
          <tr>
            <td>{p.displayName}</td>
            <td>{p.username}</td>
            <td>{p.idNumberMasked}</td>
            <td>
              <form method="post" action={`/workbench/people/${p.id}/reveal`} class="inline-form">
                <CsrfField />
                <button
                  type="submit"
                  class="secondary"
                  aria-label={t('identity.people.reveal_for', { name: p.displayName })}
                >
                  {t('identity.people.reveal')}
                </button>
              </form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function peopleHttp(fastify: FastifyInstance, deps: { people: PeopleService }): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { people } = deps;

  app.get(
    '/api/v1/people',
    {
      config: { access: 'pii.view' },
      schema: {
        tags: ['people'],
        summary:
          'Find registered persons by a whole ID number or by name; ID numbers masked (the search is audited)',
        querystring: Type.Object({
          q: Type.String({ maxLength: 50 }),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
        }),
        response: {
          200: Type.Object({ items: Type.Array(Person), total: Type.Integer() }),
          400: Problem,
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => {
      const { q, limit, offset } = req.query;
      const r = await people.find(auditContextOf(req), q, { limit, offset });
      return { total: r.total, items: r.items.map(({ createdAt: _c, ...p }) => p) };
    },
  );

  app.post(
    '/api/v1/people/:id/id-number',
    {
      config: { access: 'pii.view' },
      schema: {
        tags: ['people'],
        summary: "A person's ID number in full; every call is written to the audit chain first",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ idNumber: Type.String() }), 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const { idNumber } = await people.reveal(auditContextOf(req), req.params.id);
      return reply.header('cache-control', 'no-store').send({ idNumber });
    },
  );

  const searchPage = (req: FastifyRequest, q: string, state: FormState, body: VNode | null) =>
    workbenchPage(
      req.t,
      req.t('identity.people.title'),
      <>
        <h1>{req.t('identity.people.title')}</h1>
        <p>{req.t('identity.people.intro')}</p>
        <SearchForm q={q} state={state} />
        {body}
      </>,
    );

  app.get(
    '/workbench/people',
    { schema: { hide: true }, config: { access: 'pii.view' } },
    async (req, reply) => {
      const query = req.query as { q?: string; offset?: string };
      const q = String(query.q ?? '').trim();
      const offset = Math.max(0, Math.min(100_000, Number.parseInt(query.offset ?? '0', 10) || 0));
      if (!q) return reply.page(searchPage(req, q, { values: {}, problems: [] }, null));
      try {
        const r = await people.find(auditContextOf(req), q, { limit: PAGE, offset });
        return reply.page(
          searchPage(
            req,
            q,
            { values: {}, problems: [] },
            r.total === 0 ? (
              <p role="status">{req.t('identity.people.none')}</p>
            ) : (
              <>
                <PeopleTable items={r.items} />
                <Pagination
                  base={`/workbench/people?q=${encodeURIComponent(q)}`}
                  offset={offset}
                  limit={PAGE}
                  total={r.total}
                />
              </>
            ),
          ),
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.kind !== 'invalid') throw e;
        return reply.page(searchPage(req, q, { values: {}, problems: e.fields }, null), 400);
      }
    },
  );

  app.post(
    '/workbench/people/:id/reveal',
    { schema: { hide: true }, config: { access: 'pii.view' } },
    async (req, reply) => {
      const id = Number((req.params as { id: string }).id);
      if (!Number.isInteger(id) || id < 1) return reply.callNotFound();
      const p = await people.reveal(auditContextOf(req), id);
      reply.header('cache-control', 'no-store');
      return reply.page(
        workbenchPage(
          req.t,
          req.t('identity.people.full_title'),
          <>
            <h1>{req.t('identity.people.full_title')}</h1>
            <p class="notice" role="status">
              {req.t('identity.people.recorded')}
            </p>
            <dl class="facts">
              <dt>{req.t('identity.account.display_name')}</dt>
              <dd>{p.displayName}</dd>
              <dt>{req.t('identity.account.username')}</dt>
              <dd>{p.username}</dd>
              <dt>{req.t('identity.account.id_number')}</dt>
              <dd>
                <code>{p.idNumber}</code>
              </dd>
            </dl>
            <p>
              <a href="/workbench/people">{req.t('identity.people.back')}</a>
            </p>
          </>,
          [{ href: '/workbench/people', label: req.t('identity.people.title') }],
        ),
      );
    },
  );
}
