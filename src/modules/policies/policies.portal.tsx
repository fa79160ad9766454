/**
 * A policy on the portal (/policies/:id): public from its consultation on — its lifecycle as a
 * timeline (consultation period, the published document, interpretations, the departments
 * implementing it, evaluation, revision or repeal) with the links. A draft is 404 to the public.
 */
import type { FastifyInstance } from 'fastify';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { PageContent } from '../../kernel/pages/index.tsx';
import { ImplementationMatrix, Lifecycle } from './policies.components.tsx';
import type { PolicyReader } from './policy.read.ts';

export function policiesPortal(app: FastifyInstance, deps: { reader: PolicyReader }): void {
  app.get('/policies/:id', { config: { access: 'public' } }, async (req, reply) => {
    const t = req.t;
    const p = await deps.reader.get(auditContextOf(req), Number((req.params as { id: string }).id));
    const column = t('policies.portal.column');
    const page: PageContent = {
      area: 'portal',
      title: p.title,
      column: { name: column, type: t('publications.portal.column_type') },
      breadcrumbs: [
        { href: '/', label: t('nav.home') },
        { href: '/publications', label: t('publications.portal.title') },
        { label: p.title },
      ],
      body: (
        <>
          <h1>{p.title}</h1>
          <p>
            {t('policies.field.department')}：{p.department.name} · {t('policies.field.stage')}：
            <strong>{t(`policies.stage.${p.stage}`)}</strong>
          </p>
          <h2>{t('policies.lifecycle')}</h2>
          <Lifecycle policy={p} />
          {p.tasks.length > 0 ? (
            <section>
              <h2>{t('policies.portal.implementation')}</h2>
              <ul>
                {p.tasks.map((x) => (
                  <li>
                    {x.department.name}：{x.requirement}（{t(`policies.period.${x.period}`)}）
                  </li>
                ))}
              </ul>
              <ImplementationMatrix policy={p} caseLinks={false} />
            </section>
          ) : null}
        </>
      ),
    };
    // Staff of the departments see the reports on the same page: nobody's to cache.
    reply.header('cache-control', 'private, no-store');
    return reply.page(page);
  });
}
