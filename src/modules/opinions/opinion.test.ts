/**
 * The rules of solicitations on a database, with a clock the test moves: the open and close instants
 * in China time, moderated and unmoderated solicitations, held words, lengths, the report's counts and
 * masking, the policies port, and another department's staff getting 404.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import type { AuditContext } from '../../kernel/audit/index.ts';
import { migrate } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import type { Actor, Permission } from '../../kernel/policy/index.ts';
import type { NotifyMessage } from '../notify/index.ts';
import { parseInstant, stateAt } from './opinion.ts';
import { createOpinionService, type OpinionService, type PolicyRef } from './opinion.service.ts';

const TENANT = '330000';
const CIVIL = 11;
const MARKET = 12;

const staff = (
  departmentId: number,
  permissions: Permission[] = ['workbench.enter', 'publication.write'],
): Actor => ({
  id: `account:${900 + departmentId}`,
  accountId: 900 + departmentId,
  kind: 'staff',
  role: 'staff:publisher',
  roles: ['publisher'],
  permissions: new Set(permissions),
  division: '330106',
  departmentId,
  name: '钱发布',
});
const person = (accountId: number, name = '张演示'): Actor => ({
  id: `account:${accountId}`,
  accountId,
  kind: 'person',
  role: 'person:citizen',
  roles: ['citizen'],
  permissions: new Set<Permission>(['account.self']),
  division: '',
  departmentId: null,
  name,
});
const ctxOf = (actor: Actor): AuditContext => ({
  tenantId: TENANT,
  actor,
  actorId: actor.id,
  actorRole: actor.role,
  actorDivision: actor.division,
  ip: '127.0.0.1',
  userAgent: 'test',
  requestId: 'test',
});

/** The DomainError a promise is rejected with. */
async function refused(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('opinions: the rules of a solicitation (征集意见)', () => {
  let test: TestDatabase;
  let service: OpinionService;
  let clock = new Date('2026-05-20T00:00:00Z');
  const sent: NotifyMessage[] = [];
  const policies = new Map<number, PolicyRef>();
  const civil = ctxOf(staff(CIVIL));
  const market = ctxOf(staff(MARKET));
  const zhang = ctxOf(person(501, '张演示'));
  const li = ctxOf(person(502, '李四'));
  const at = (v: string) => {
    clock = parseInstant(v)!;
  };

  before(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    service = createOpinionService(test.db, {
      department: async (_t, id) =>
        id === CIVIL
          ? { id, name: '西湖区民政局', divisionCode: '330106' }
          : id === MARKET
            ? { id, name: '西湖区市场监督管理局', divisionCode: '330106' }
            : undefined,
      policy: async (_ctx, id) => policies.get(id),
      // The fake moderation: one fixed word is held.
      screen: async (_t, texts) =>
        texts.some((t) => t.includes('违禁词'))
          ? { held: true, words: ['违禁词'] }
          : { held: false, words: [] },
      notify: async (_ex, m) => {
        sent.push(m);
      },
      now: () => clock,
    });
  });
  after(() => test.drop());
  beforeEach(() => {
    sent.length = 0;
  });

  const create = (input: Partial<Parameters<OpinionService['create']>[1]> = {}) =>
    service.create(civil, {
      title: '《西湖区养老服务补贴办法（征求意见稿）》',
      draftText: '第一条 为了……\n第二条 补贴标准为每月三百元。\n第三条 本办法自发布之日起施行。',
      opensAt: '2026-06-01T09:00',
      closesAt: '2026-06-30T17:00',
      ...input,
    });

  it('is open from its opening instant until (not at) its close, both in China time', async () => {
    at('2026-05-20T10:00');
    const s = await create();
    assert.equal(s.opensAt.toISOString(), '2026-06-01T01:00:00.000Z');
    assert.equal(s.closesAt.toISOString(), '2026-06-30T09:00:00.000Z');
    at('2026-06-01T08:59');
    assert.equal(stateAt(s, clock), 'scheduled');
    const early = await refused(service.write(zhang, s.id, { body: '建议提高补贴标准到五百元。' }));
    assert.deepEqual(
      [early.kind, early.code, early.params],
      ['conflict', 'opinions.not_open', { opensAt: '2026-06-01 09:00' }],
    );
    at('2026-06-01T09:00');
    assert.equal(
      (await service.write(zhang, s.id, { body: '建议提高补贴标准到五百元。' })).status,
      'accepted',
    );
    clock = new Date('2026-06-30T08:59:59.999Z');
    assert.equal((await service.write(li, s.id, { body: '建议明确补贴发放时间。' })).status, 'accepted');
    at('2026-06-30T17:00');
    const late = await refused(service.write(li, s.id, { body: '再补充一条意见。' }));
    assert.deepEqual(
      [late.kind, late.code, late.params],
      ['conflict', 'opinions.closed', { closedAt: '2026-06-30 17:00' }],
    );
    assert.equal((await service.get(TENANT, s.id)).state, 'closed');
  });

  it('stores plain text within its lengths, a clause reference beside it', async () => {
    at('2026-05-20T10:00');
    const s = await create();
    at('2026-06-02T10:00');
    const short = await refused(service.write(zhang, s.id, { body: '<b>太短</b>了' }));
    assert.deepEqual(short.fields, [
      { field: 'body', code: 'opinions.length', params: { min: 5, max: 2000 } },
    ]);
    const long = await refused(
      service.write(zhang, s.id, { body: '长'.repeat(2001), clause: '第'.repeat(41) }),
    );
    assert.deepEqual(
      long.fields.map((f) => f.field),
      ['clause', 'body'],
    );
    const o = await service.write(zhang, s.id, {
      body: '<p>建议<script>alert(1)</script>把补贴提高到<b>五百元</b></p>',
      clause: '<i>第二条</i>',
    });
    assert.deepEqual([o.body, o.clause], ['建议把补贴提高到五百元', '第二条']);
    const staffWrites = await refused(service.write(civil, s.id, { body: '工作人员不能发表意见。' }));
    assert.equal(staffWrites.kind, 'forbidden');
  });

  it('holds a post with a sensitive word for the moderators; released it counts, rejected the writer is told', async () => {
    at('2026-05-20T10:00');
    const s = await create();
    at('2026-06-02T10:00');
    const held = await service.write(zhang, s.id, { body: '这里有一个违禁词需要审核。' });
    assert.deepEqual([held.status, held.heldWords], ['held', ['违禁词']]);
    const other = await service.write(li, s.id, { body: '另一个违禁词，应当被拒绝。' });
    const queue = await service.heldSource.list(TENANT);
    assert.deepEqual(
      queue.filter((q) => [String(held.id), String(other.id)].includes(q.id)).map((q) => [q.writer, q.words]),
      [
        ['张演示', ['违禁词']],
        ['李四', ['违禁词']],
      ],
    );
    assert.equal((await service.get(TENANT, s.id)).received, 0, 'a held post does not count');
    const moderator = ctxOf({ ...staff(99, ['workbench.enter', 'content.moderate']), departmentId: 99 });
    await service.heldSource.release(moderator, String(held.id));
    await service.heldSource.reject(moderator, String(other.id), '含有不当内容');
    const view = await service.get(TENANT, s.id);
    assert.equal(view.received, 1);
    assert.deepEqual(
      view.opinions.map((o) => o.writer),
      ['张**'],
    );
    assert.deepEqual(
      sent.map((m) => [m.kind, m.accountId, m.params]),
      [['opinions.rejected', 502, { title: s.title, reason: '含有不当内容' }]],
    );
    assert.equal(
      (await refused(service.heldSource.release(moderator, String(held.id)))).code,
      'opinions.not_held',
    );
    const mine = await service.mine(li);
    assert.deepEqual(
      mine.filter((o) => o.solicitationId === s.id).map((o) => [o.status, o.rejectReason]),
      [['rejected', '含有不当内容']],
    );
  });

  it('moderated: every opinion waits for the department, which approves or refuses with a reason', async () => {
    at('2026-05-20T10:00');
    const s = await create({ moderated: true });
    at('2026-06-02T10:00');
    const a = await service.write(zhang, s.id, { body: '建议增加上门服务的内容。' });
    const b = await service.write(li, s.id, { body: '与本文件无关的广告内容。' });
    assert.deepEqual([a.status, b.status], ['pending', 'pending']);
    assert.equal((await service.get(TENANT, s.id)).opinions.length, 0, 'nothing shown before approval');
    // Another department's staff: as if it did not exist.
    assert.equal((await refused(service.approve(market, s.id, a.id))).kind, 'not_found');
    await service.approve(civil, s.id, a.id);
    const noReason = await refused(service.reject(civil, s.id, b.id, ''));
    assert.deepEqual(
      noReason.fields.map((f) => f.field),
      ['reason'],
    );
    await service.reject(civil, s.id, b.id, '与征求意见稿无关');
    assert.equal((await refused(service.approve(civil, s.id, b.id))).code, 'opinions.not_pending');
    const view = await service.get(TENANT, s.id);
    assert.deepEqual([view.received, view.opinions.length], [1, 1]);
    // A held post on a moderated solicitation, once released, still waits for the department.
    const held = await service.write(zhang, s.id, { body: '又一个违禁词的意见。' });
    await service.heldSource.release(civil, String(held.id));
    const all = (await service.manage(civil, s.id)).all;
    assert.equal(all.find((o) => o.id === held.id)?.status, 'pending');
  });

  it("another department's staff cannot see or manage the solicitation's opinions (404)", async () => {
    at('2026-05-20T10:00');
    const s = await create();
    for (const attempt of [
      () => service.manage(market, s.id),
      () => service.change(market, s.id, { title: '改名' }),
      () => service.closeNow(market, s.id, '提前结束'),
      () => service.mark(market, s.id, { opinions: [1], adoption: 'adopted', reason: '' }),
      () => service.publishReport(market, s.id, { summary: '' }),
    ])
      assert.equal((await refused(attempt())).kind, 'not_found');
    assert.equal((await refused(service.manage(zhang, s.id))).kind, 'forbidden');
    const mine = await service.ofMyDepartment(market, { limit: 100, offset: 0 });
    assert.ok(!mine.items.some((x) => x.id === s.id));
  });

  it('changes the period: anything before opening; once open only the close, with a reason (extension, early close)', async () => {
    at('2026-05-20T10:00');
    const s = await create();
    await service.change(civil, s.id, { opensAt: '2026-06-02T09:00' });
    at('2026-06-03T10:00');
    const moveOpen = await refused(service.change(civil, s.id, { opensAt: '2026-06-03T09:00' }));
    assert.deepEqual(
      moveOpen.fields.map((f) => f.code),
      ['opinions.opened_already'],
    );
    const noReason = await refused(service.change(civil, s.id, { closesAt: '2026-07-10T17:00' }));
    assert.deepEqual(
      noReason.fields.map((f) => f.field),
      ['reason'],
    );
    const extended = await service.change(civil, s.id, {
      closesAt: '2026-07-10T17:00',
      reason: '应群众要求延期',
    });
    assert.deepEqual(
      [extended.periodReason, extended.closesAt.toISOString()],
      ['应群众要求延期', '2026-07-10T09:00:00.000Z'],
    );
    const closed = await service.closeNow(civil, s.id, '已收集到足够意见');
    assert.equal(closed.closesAt.getTime(), clock.getTime());
    assert.equal(
      (await refused(service.write(zhang, s.id, { body: '结束之后的意见。' }))).code,
      'opinions.closed',
    );
    const audit = await test.db.kysely
      .selectFrom('audit.entry')
      .select(['action', 'detail'])
      .where('object_type', '=', 'opinion_solicitation')
      .where('object_id', '=', String(s.id))
      .where('action', '=', 'opinions.solicitation_changed')
      .orderBy('id')
      .execute();
    const kinds = audit.map(
      (a) => (typeof a.detail === 'string' ? JSON.parse(a.detail) : a.detail) as { kind?: string },
    );
    assert.deepEqual(
      kinds.map((k) => k.kind ?? null),
      [null, 'extended', 'closed_early'],
    );
  });

  it('publishes the report after the close: every opinion decided and marked, counts, names and identifiers masked', async () => {
    at('2026-05-20T10:00');
    const s = await create({ moderated: true });
    at('2026-06-02T10:00');
    const a = await service.write(zhang, s.id, {
      body: '建议补贴提高到五百元，我的电话 13800138000。',
      clause: '第二条',
    });
    const b = await service.write(li, s.id, { body: '建议补贴按月发放到银行卡。' });
    const c = await service.write(ctxOf(person(503, '王五')), s.id, { body: '建议补贴提高到六百元。' });
    await service.approve(civil, s.id, a.id);
    await service.approve(civil, s.id, b.id);
    const early = await refused(
      service.mark(civil, s.id, { opinions: [a.id], adoption: 'adopted', reason: '' }),
    );
    assert.equal(early.code, 'opinions.not_closed');
    at('2026-07-01T09:00');
    assert.deepEqual(
      [(await refused(service.publishReport(civil, s.id, { summary: '' }))).code],
      ['opinions.undecided'],
      'one still waits for the department',
    );
    await service.approve(civil, s.id, c.id);
    const unmarked = await refused(service.publishReport(civil, s.id, { summary: '' }));
    assert.deepEqual([unmarked.code, unmarked.params], ['opinions.unmarked', { count: 3 }]);
    const noReason = await refused(
      service.mark(civil, s.id, { opinions: [b.id], adoption: 'not_adopted', reason: '' }),
    );
    assert.deepEqual(
      noReason.fields.map((f) => f.field),
      ['reason'],
    );
    // Two similar opinions marked at once, as a group.
    await service.mark(civil, s.id, {
      opinions: [a.id, c.id],
      adoption: 'partly',
      reason: '补贴标准提高到四百元。',
    });
    await service.mark(civil, s.id, { opinions: [b.id], adoption: 'adopted', reason: '' });
    const foreign = await refused(
      service.mark(civil, s.id, { opinions: [999_999], adoption: 'adopted', reason: '' }),
    );
    assert.deepEqual(
      foreign.fields.map((f) => f.code),
      ['opinions.opinions_unknown'],
    );
    assert.equal(
      (await service.mine(zhang)).find((o) => o.id === a.id)?.adoption,
      null,
      'marks are private until published',
    );
    await service.publishReport(civil, s.id, { summary: '共收到意见3条。' });
    const view = await service.get(TENANT, s.id);
    assert.deepEqual(view.report?.counts, { total: 3, adopted: 1, partly: 2, not_adopted: 0 });
    assert.deepEqual(
      view.report?.items.map((o) => [o.writer, o.body, o.adoption]),
      [
        ['张**', '建议补贴提高到五百元，我的电话 138****8000。', 'partly'],
        ['李**', '建议补贴按月发放到银行卡。', 'adopted'],
        ['王**', '建议补贴提高到六百元。', 'partly'],
      ],
    );
    assert.deepEqual(
      sent
        .filter((m) => m.kind === 'opinions.report_published')
        .map((m) => m.accountId)
        .sort(),
      [501, 502, 503],
    );
    assert.equal((await service.mine(zhang)).find((o) => o.id === a.id)?.adoption, 'partly');
    assert.equal(
      (
        await refused(
          service.mark(civil, s.id, { opinions: [b.id], adoption: 'not_adopted', reason: '改变主意' }),
        )
      ).code,
      'opinions.report_published',
    );
    assert.equal(
      (await refused(service.change(civil, s.id, { title: '改名' }))).code,
      'opinions.report_published',
    );
  });

  it("takes a policy's draft and period, and feeds the policy's page", async () => {
    policies.set(7, {
      id: 7,
      title: '西湖区临时救助实施细则（修订）',
      departmentId: CIVIL,
      consultation: { draftPublicationId: 42, opensOn: '2026-06-01', closesOn: '2026-07-01' },
    });
    policies.set(8, { id: 8, title: '他局政策', departmentId: MARKET, consultation: null });
    at('2026-05-20T10:00');
    const other = await refused(service.create(civil, { policyId: 8 }));
    assert.deepEqual(
      other.fields.map((f) => f.code),
      ['opinions.policy_unknown'],
    );
    const s = await service.create(civil, { policyId: 7 });
    assert.deepEqual(
      [s.title, s.draftPublicationId, s.opensAt.toISOString(), s.closesAt.toISOString()],
      ['西湖区临时救助实施细则（修订）', 42, '2026-05-31T16:00:00.000Z', '2026-07-01T16:00:00.000Z'],
    );
    const again = await refused(service.create(civil, { policyId: 7 }));
    assert.deepEqual(
      again.fields.map((f) => f.code),
      ['opinions.policy_taken'],
    );
    assert.equal(await service.feedback(TENANT, 8), null);
    at('2026-06-10T10:00');
    const o = await service.write(zhang, s.id, { body: '建议扩大临时救助范围。' });
    assert.deepEqual(await service.feedback(TENANT, 7), {
      received: 1,
      adopted: 0,
      summary: { title: '查看意见征集', href: `/opinions/${s.id}` },
    });
    at('2026-07-02T10:00');
    await service.mark(civil, s.id, { opinions: [o.id], adoption: 'adopted', reason: '' });
    await service.publishReport(civil, s.id, { summary: '' });
    assert.deepEqual(await service.feedback(TENANT, 7), {
      received: 1,
      adopted: 1,
      summary: { title: '《西湖区临时救助实施细则（修订）》意见采纳情况', href: `/opinions/${s.id}#report` },
    });
  });
});
