/**
 * Letters in the workbench (/workbench/letters): the department's open letters by due date and the
 * latest replied; a letter's page with the reply form (publication offered only when the writer
 * allowed it), forwarding to another department with a reason, publication on and off, the writer's
 * attachments, and the writer's phone in full behind an audited button.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import {
  CsrfField,
  emptyForm,
  Field,
  Form,
  Pagination,
  usePage,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import { REPLY_MAX, type Letter, type LetterService } from './letter.service.ts';
import { chinaTime, Lines, Status } from './letters.pages.tsx';
import { AttachmentList } from './letters.upload.tsx';

const PAGE = 20;
const BASE = '/workbench/letters';
const access = { schema: { hide: true }, config: { access: 'case.handle' as const } };

function LetterTable(props: { items: Letter[] }) {
  const { t } = usePage();
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('letters.title_field')}</th>
          <th scope="col">{t('letters.kind')}</th>
          <th scope="col">{t('letters.addressee')}</th>
          <th scope="col">{t('letters.writer')}</th>
          <th scope="col">{t('letters.written_at')}</th>
          <th scope="col">{t('letters.status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((l) => (
          <tr>
            <td>
              <a href={`${BASE}/${l.publicId}`}>{l.title}</a>
            </td>
            <td>{t(`letters.kind.${l.kind}`)}</td>
            <td>{l.mailbox?.name ?? l.department.name}</td>
            <td>{l.writer.name}</td>
            <td>{chinaTime(l.writtenAt)}</td>
            <td>
              <Status l={l} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface Forms {
  reply: FormState;
  forward: FormState;
  phone?: string | undefined;
  departments: { id: number; name: string }[];
  /** a refusal that belongs to no form field (publishing a private letter) */
  problem?: string | undefined;
}

function letterPage(req: FastifyRequest, l: Letter, f: Forms): PageContent {
  const t = req.t;
  const path = `${BASE}/${l.publicId}`;
  return workbenchPage(
    t,
    l.title,
    <>
      <h1>{l.title}</h1>
      {f.problem ? (
        <div class="error-summary" role="alert">
          <p>{f.problem}</p>
        </div>
      ) : null}
      <dl class="facts">
        <dt>{t('letters.kind')}</dt>
        <dd>{t(`letters.kind.${l.kind}`)}</dd>
        <dt>{t('letters.addressee')}</dt>
        <dd>{l.mailbox?.name ?? l.department.name}</dd>
        <dt>{t('letters.writer')}</dt>
        <dd>{l.writer.name}</dd>
        <dt>{t('letters.phone')}</dt>
        <dd>
          {f.phone ?? (
            <form method="post" action={`${path}/phone`} class="inline-form">
              <CsrfField />
              <button type="submit" class="secondary">
                {t('letters.show_phone')}
              </button>
            </form>
          )}
        </dd>
        <dt>{t('letters.written_at')}</dt>
        <dd>{chinaTime(l.writtenAt)}</dd>
        <dt>{t('letters.status')}</dt>
        <dd>
          <Status l={l} />
        </dd>
        <dt>{t('letters.case')}</dt>
        <dd>{l.caseNumber ? <a href={`/workbench/cases/${l.caseNumber}`}>{l.caseNumber}</a> : '—'}</dd>
        <dt>{t('letters.may_publish')}</dt>
        <dd>{t(l.mayPublish ? 'letters.may_publish.yes' : 'letters.may_publish.no')}</dd>
      </dl>
      <h2>{t('letters.body')}</h2>
      <Lines text={l.body} />
      <AttachmentList publicId={l.publicId} files={l.attachments} />
      {l.status === 'open' ? (
        <>
          <h2>{t('letters.reply')}</h2>
          <Form action={`${path}/reply`} submitLabel={t('letters.reply_submit')} state={f.reply}>
            <Field
              name="reply"
              label={t('letters.reply')}
              hint={t('letters.length_hint', { min: 1, max: REPLY_MAX })}
              state={f.reply}
              required
              rows={10}
              maxLength={REPLY_MAX}
            />
            {l.mayPublish ? (
              <div class="field">
                <input
                  type="checkbox"
                  id="field-publish"
                  name="publish"
                  value="1"
                  checked={f.reply.values.publish === '1'}
                  aria-describedby="field-publish-hint"
                />{' '}
                <label for="field-publish">{t('letters.publish_label')}</label>
                <p class="hint" id="field-publish-hint">
                  {t('letters.publish_hint')}
                </p>
              </div>
            ) : (
              <p class="hint">{t('letters.private_hint')}</p>
            )}
          </Form>
          <h2>{t('letters.forward')}</h2>
          <Form action={`${path}/forwarding`} submitLabel={t('letters.forward_submit')} state={f.forward}>
            <Field
              name="departmentId"
              label={t('letters.forward_to')}
              state={f.forward}
              required
              options={[
                { value: '', label: t('letters.choose') },
                ...f.departments
                  .filter((d) => d.id !== l.department.id)
                  .map((d) => ({ value: String(d.id), label: d.name })),
              ]}
            />
            <Field
              name="reason"
              label={t('letters.forward_reason')}
              state={f.forward}
              required
              rows={3}
              maxLength={500}
            />
          </Form>
        </>
      ) : null}
      {l.status === 'replied' ? (
        <>
          <h2>
            {t('letters.reply_heading', { department: l.department.name, date: chinaTime(l.repliedAt!) })}
          </h2>
          <Lines text={l.reply ?? ''} />
          {l.satisfaction ? (
            <p>{t('letters.rated', { satisfaction: t(`letters.satisfaction.${l.satisfaction}`) })}</p>
          ) : null}
          {l.mayPublish ? (
            <form method="post" action={`${path}/publication`}>
              <CsrfField />
              <input type="hidden" name="public" value={l.public ? '0' : '1'} />
              <p>{t(l.public ? 'letters.is_public' : 'letters.is_not_public')}</p>
              <button type="submit" class="secondary">
                {t(l.public ? 'letters.withdraw' : 'letters.publish')}
              </button>
            </form>
          ) : (
            <p class="hint">{t('letters.private_hint')}</p>
          )}
        </>
      ) : null}
    </>,
    [{ href: BASE, label: t('letters.workbench.title') }],
  );
}

export function lettersWorkbenchPages(app: FastifyInstance, deps: { letters: LetterService }): void {
  const { letters } = deps;
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
  const departments = async (req: FastifyRequest) =>
    (await letters.departments(req.site.tenantId)).map((d) => ({ id: d.id, name: d.name }));

  app.get(BASE, access, async (req, reply) => {
    const t = req.t;
    const ctx = auditContextOf(req);
    const offset = Math.max(0, Math.min(100_000, Number((req.query as { offset?: string }).offset) || 0));
    const [open, replied] = await Promise.all([
      letters.department(ctx, 'open', { limit: PAGE, offset }),
      letters.department(ctx, 'replied', { limit: PAGE, offset: 0 }),
    ]);
    const title = t('letters.workbench.title');
    return reply.page(
      workbenchPage(
        t,
        title,
        <>
          <h1>{title}</h1>
          <h2>{t('letters.workbench.open', { count: open.total })}</h2>
          {open.items.length === 0 ? (
            <p role="status">{t('letters.workbench.none_open')}</p>
          ) : (
            <LetterTable items={open.items} />
          )}
          <Pagination base={BASE} offset={offset} limit={PAGE} total={open.total} />
          <h2>{t('letters.workbench.replied')}</h2>
          {replied.items.length === 0 ? (
            <p>{t('letters.workbench.none_replied')}</p>
          ) : (
            <LetterTable items={replied.items} />
          )}
        </>,
      ),
    );
  });

  app.get(`${BASE}/:id`, access, async (req, reply) => {
    const l = await letters.getForStaff(auditContextOf(req), idOf(req));
    return reply.page(
      letterPage(req, l, { reply: emptyForm(), forward: emptyForm(), departments: await departments(req) }),
    );
  });

  app.post(`${BASE}/:id/phone`, access, async (req, reply) => {
    const ctx = auditContextOf(req);
    const phone = await letters.phone(ctx, idOf(req));
    const l = await letters.getForStaff(ctx, idOf(req));
    reply.header('cache-control', 'no-store');
    return reply.page(
      letterPage(req, l, {
        reply: emptyForm(),
        forward: emptyForm(),
        phone,
        departments: await departments(req),
      }),
    );
  });

  app.post(`${BASE}/:id/reply`, access, async (req, reply) => {
    const ctx = auditContextOf(req);
    const l = await letters.getForStaff(ctx, idOf(req));
    const list = await departments(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        await letters.reply(ctx, l.publicId, { reply: v.reply ?? '', publish: v.publish === '1' });
        return `${BASE}/${l.publicId}`;
      },
      (state) => letterPage(req, l, { reply: state, forward: emptyForm(), departments: list }),
    );
  });

  app.post(`${BASE}/:id/forwarding`, access, async (req, reply) => {
    const ctx = auditContextOf(req);
    const l = await letters.getForStaff(ctx, idOf(req));
    const list = await departments(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        await letters.forward(ctx, l.publicId, {
          departmentId: Number(v.departmentId) || 0,
          reason: v.reason ?? '',
        });
        // Forwarded: the letter is another department's now.
        return `${BASE}?saved=1`;
      },
      (state) => letterPage(req, l, { reply: emptyForm(), forward: state, departments: list }),
    );
  });

  app.post(`${BASE}/:id/publication`, access, async (req, reply) => {
    const ctx = auditContextOf(req);
    const l = await letters.getForStaff(ctx, idOf(req));
    const list = await departments(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        await letters.setPublication(ctx, l.publicId, v.public === '1');
        return `${BASE}/${l.publicId}`;
      },
      (state) =>
        letterPage(req, l, {
          reply: emptyForm(),
          forward: emptyForm(),
          departments: list,
          problem: state.formProblem,
        }),
    );
  });
}
