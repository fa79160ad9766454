/**
 * 领导信箱管理 in the workbench (/workbench/letters/mailboxes), for the site administrator: the site's
 * mailboxes with their leader, answering department and order; adding one, editing one, taking one out
 * of service and back. Plain forms, errors beside their fields.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContextOf, submitForm } from '../../kernel/http/index.ts';
import {
  CsrfField,
  emptyForm,
  Field,
  Form,
  SavedNotice,
  usePage,
  workbenchPage,
  type FormState,
  type PageContent,
} from '../../kernel/pages/index.tsx';
import { toDomainError } from '../../kernel/http/problem.ts';
import { ERROR_STATUS } from '../../kernel/errors.ts';
import type { LetterService } from './letter.service.ts';
import {
  LEADER_MAX,
  MAILBOX_NAME,
  SORT_MAX,
  type MailboxInput,
  type MailboxService,
  type ManagedMailbox,
} from './mailbox.service.ts';

const BASE = '/workbench/letters/mailboxes';
const access = { schema: { hide: true }, config: { access: 'org.site.manage' as const } };

type Departments = { id: number; name: string }[];

function MailboxFields(props: { state: FormState; departments: Departments }) {
  const { t } = usePage();
  const { state } = props;
  return (
    <>
      <Field
        name="name"
        label={t('letters.mailbox.name')}
        hint={t('letters.mailbox.name_hint', MAILBOX_NAME)}
        state={state}
        required
        maxLength={MAILBOX_NAME.max}
      />
      <Field
        name="leader"
        label={t('letters.mailbox.leader')}
        hint={t('letters.mailbox.leader_hint', { max: LEADER_MAX })}
        state={state}
        maxLength={LEADER_MAX}
      />
      <Field
        name="departmentId"
        label={t('letters.mailbox.department')}
        hint={t('letters.mailbox.department_hint')}
        state={state}
        required
        options={[
          { value: '', label: t('letters.choose') },
          ...props.departments.map((d) => ({ value: String(d.id), label: d.name })),
        ]}
      />
      <Field
        name="sort"
        label={t('letters.mailbox.sort')}
        hint={t('letters.mailbox.sort_hint', { max: SORT_MAX })}
        state={state}
        inputMode="numeric"
        maxLength={4}
      />
    </>
  );
}

/** Takes the mailbox out of service, or puts it back: one button, named with the mailbox. */
function ActiveButton(props: { m: ManagedMailbox }) {
  const { t } = usePage();
  const { m } = props;
  const label = t(m.active ? 'letters.mailbox.deactivate' : 'letters.mailbox.reactivate');
  return (
    <form
      method="post"
      action={`${BASE}/${m.id}/${m.active ? 'deactivate' : 'reactivate'}`}
      class="inline-form"
    >
      <CsrfField />
      <button type="submit" class="secondary" aria-label={`${label} ${m.name}`}>
        {label}
      </button>
    </form>
  );
}

function MailboxTable(props: { items: ManagedMailbox[] }) {
  const { t } = usePage();
  return (
    <table>
      <caption>{t('letters.mailboxes.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('letters.mailbox.name')}</th>
          <th scope="col">{t('letters.mailbox.leader')}</th>
          <th scope="col">{t('letters.mailbox.department')}</th>
          <th scope="col">{t('letters.mailbox.sort')}</th>
          <th scope="col">{t('letters.status')}</th>
          <th scope="col">{t('common.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((m) => (
          <tr>
            <td>
              <a href={`${BASE}/${m.id}`}>{m.name}</a>
            </td>
            <td>{m.leader}</td>
            <td>
              {m.department.name}
              {m.department.active ? null : <> ({t('letters.mailbox.department_inactive')})</>}
            </td>
            <td>{m.sort}</td>
            <td>{t(m.active ? 'letters.mailbox.active' : 'letters.mailbox.inactive')}</td>
            <td>
              <ActiveButton m={m} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const valuesOf = (m: ManagedMailbox) => ({
  name: m.name,
  leader: m.leader,
  departmentId: String(m.departmentId),
  sort: String(m.sort),
});

/** The form's fields as the service takes them: '' sort is "leave it"; '' department is none. */
const inputOf = (v: Record<string, string>): MailboxInput => ({
  name: v.name ?? '',
  leader: v.leader ?? '',
  departmentId: /^\d{1,12}$/.test(v.departmentId ?? '') ? Number(v.departmentId) : 0,
  sort: v.sort?.trim() ? Number(v.sort.trim()) : undefined,
});

const idOf = (req: FastifyRequest) => {
  const raw = (req.params as { id: string }).id;
  return /^\d{1,12}$/.test(raw) ? Number(raw) : 0;
};

export function mailboxesWorkbenchPages(
  app: FastifyInstance,
  deps: { mailboxes: MailboxService; letters: Pick<LetterService, 'departments'> },
): void {
  const { mailboxes } = deps;
  const departments = async (req: FastifyRequest): Promise<Departments> =>
    (await deps.letters.departments(req.site.tenantId)).map((d) => ({ id: d.id, name: d.name }));

  const listPage = (req: FastifyRequest, items: ManagedMailbox[], list: Departments, add: FormState) => {
    const t = req.t;
    const title = t('letters.mailboxes.title');
    return workbenchPage(
      t,
      title,
      <>
        <h1>{title}</h1>
        <p class="lead">{t('letters.mailboxes.intro')}</p>
        <SavedNotice />
        {items.length === 0 ? (
          <p role="status">{t('letters.mailboxes.none')}</p>
        ) : (
          <MailboxTable items={items} />
        )}
        <h2 id="add">{t('letters.mailboxes.add')}</h2>
        <Form action={BASE} submitLabel={t('letters.mailboxes.add')} state={add}>
          <MailboxFields state={add} departments={list} />
        </Form>
      </>,
    );
  };

  const editPage = (
    req: FastifyRequest,
    m: ManagedMailbox,
    list: Departments,
    state: FormState,
  ): PageContent => {
    const t = req.t;
    const title = t('letters.mailboxes.edit', { name: m.name });
    return workbenchPage(
      t,
      title,
      <>
        <h1>{title}</h1>
        <p>
          {t('letters.status')}: {t(m.active ? 'letters.mailbox.active' : 'letters.mailbox.inactive')}
        </p>
        <ActiveButton m={m} />
        <Form action={`${BASE}/${m.id}`} submitLabel={t('common.save')} state={state}>
          <MailboxFields state={state} departments={list} />
        </Form>
      </>,
      [{ href: BASE, label: t('letters.mailboxes.title') }],
    );
  };

  app.get(BASE, access, async (req, reply) => {
    const items = await mailboxes.list(auditContextOf(req));
    return reply.page(listPage(req, items, await departments(req), emptyForm()));
  });

  app.post(BASE, access, async (req, reply) => {
    const ctx = auditContextOf(req);
    const [items, list] = await Promise.all([mailboxes.list(ctx), departments(req)]);
    return submitForm(
      req,
      reply,
      async (v) => {
        await mailboxes.create(ctx, inputOf(v));
        return `${BASE}?saved=1`;
      },
      (state) => listPage(req, items, list, state),
    );
  });

  app.get(`${BASE}/:id`, access, async (req, reply) => {
    const m = await mailboxes.get(auditContextOf(req), idOf(req));
    return reply.page(editPage(req, m, await departments(req), emptyForm(valuesOf(m))));
  });

  app.post(`${BASE}/:id`, access, async (req, reply) => {
    const ctx = auditContextOf(req);
    const m = await mailboxes.get(ctx, idOf(req));
    const list = await departments(req);
    return submitForm(
      req,
      reply,
      async (v) => {
        await mailboxes.update(ctx, m.id, inputOf(v));
        return `${BASE}?saved=1`;
      },
      (state) => editPage(req, m, list, state),
    );
  });

  for (const [action, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post(`${BASE}/:id/${action}`, access, async (req, reply) => {
      const ctx = auditContextOf(req);
      const m = await mailboxes.get(ctx, idOf(req));
      try {
        await mailboxes.update(ctx, m.id, { active });
      } catch (e) {
        // Back into service with a department no longer active: the edit page says to choose another.
        const d = toDomainError(e);
        if (!d || d.kind !== 'invalid') throw e;
        const state = { values: valuesOf(m), problems: d.fields };
        return reply.page(editPage(req, m, await departments(req), state), ERROR_STATUS[d.kind]);
      }
      return reply.redirect(`${BASE}?saved=1`, 303);
    });
  }
}
