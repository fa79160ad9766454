/**
 * The rules of a petition on the database with real dates on the national calendar (2025–2026: 国庆
 * 1–8 October 2025, 春节 15–23 February 2026): 15 calendar days to accept, 60 to handle, one extension
 * of at most 30, 30 days to ask for a review and 30 to decide it, each period ending on the next
 * working day when it falls on a rest day; routing by place; rerouting; repeats; moderation; who sees
 * a petition and who sees its petitioner.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { acting, actor } from '../../../test/support/actors.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { systemContext } from '../../kernel/audit/index.ts';
import { Sm4Keyring } from '../../kernel/crypto/index.ts';
import { migrate } from '../../kernel/db/index.ts';
import type { DomainError } from '../../kernel/errors.ts';
import { createLocalBlobStore } from '../../kernel/files/index.ts';
import { pdfText } from '../../kernel/pdf/index.ts';
import { citizenIdCheckCharacter } from '../../kernel/identifiers/index.ts';
import { createWorkflowModule, type DepartmentRef, type WorkflowModule } from '../workflow/index.ts';
import { createPetitionService, type PetitionInput, type PetitionService } from './petition.service.ts';
import { route, upperBody } from './matter-types.ts';
import { similarity } from './similarity.ts';

const TENANT = '330000';
const DEPARTMENTS: DepartmentRef[] = [
  { id: 1, name: '浙江省信访局', divisionCode: TENANT, type: 'petitions', active: true },
  { id: 2, name: '杭州市信访局', divisionCode: '330100', type: 'petitions', active: true },
  { id: 3, name: '西湖区住房和城乡建设局', divisionCode: '330106', type: 'housing', active: true },
  { id: 4, name: '浙江省住房和城乡建设厅', divisionCode: TENANT, type: 'housing', active: true },
  { id: 5, name: '杭州市住房保障和房产管理局', divisionCode: '330100', type: 'housing', active: true },
  { id: 6, name: '西湖区民政局', divisionCode: '330106', type: 'civil_affairs', active: true },
];
const DIVISIONS = [
  { code: TENANT, name: '浙江省', parent: '' },
  { code: '330100', name: '杭州市', parent: TENANT },
  { code: '330102', name: '上城区', parent: '330100' },
  { code: '330106', name: '西湖区', parent: '330100' },
  { code: '330102001', name: '清波街道', parent: '330102' },
  { code: '330106002', name: '北山街道', parent: '330106' },
];
const officer = actor(21, ['handler'], 2, '330100');
// The petition office's staff: registers (petition_officer) and hands on (handler).
(officer.roles as string[]).push('petition_officer');
(officer.permissions as Set<string>).add('petition.route');
const handler = actor(31, ['handler'], 3, '330106');
const head = actor(32, ['department_head', 'handler'], 3, '330106');
const cityHousing = actor(51, ['handler'], 5, '330100');
const provinceHousing = actor(41, ['handler'], 4, TENANT);
const civil = actor(61, ['handler'], 6, '330106');
const STAFF = [officer, handler, head, cityHousing, provinceHousing, civil].map((a) => ({
  accountId: a.accountId,
  name: a.name,
  departmentId: a.departmentId!,
  divisionCode: a.division,
  roles: a.roles,
}));
const citizen = actor(1, ['citizen'], null);
const OTHER_ID = `33010219850607002${citizenIdCheckCharacter('33010219850607002')}`;
const other = actor(2, ['citizen'], null);

const petition = (over: Partial<PetitionInput> = {}): PetitionInput => ({
  petitioner: {
    name: '张演示',
    idNumber: '33010619900101123X',
    phone: '13800000000',
    address: '杭州市西湖区文三路1号',
  },
  matterType: 'urban_rural',
  place: '330106002',
  placeDetail: '宝石山下一弄',
  matter: '小区加装电梯施工扰民',
  requests: '请求督促施工单位夜间停止施工，并公开加装电梯的审批材料。',
  facts:
    '自2025年9月起，宝石山下一弄3幢加装电梯工程每天夜间施工至23时，噪声严重影响居民休息，多次向物业反映未果。',
  ...over,
});

const dueDay = (at: Date | null) =>
  at && new Date(at.getTime() - 1 + 8 * 3_600_000).toISOString().slice(0, 10);

describe('petitions: deadlines, routing, repeats, moderation and who sees what', () => {
  let test: TestDatabase;
  let workflow: WorkflowModule;
  let petitions: PetitionService;
  let clock = new Date('2025-09-20T10:00:00+08:00');
  const sent: { accountId: number; kind: string; params: Record<string, string | number> }[] = [];

  before(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    workflow = createWorkflowModule(
      test.db,
      {
        department: async (_t, id) => DEPARTMENTS.find((d) => d.id === id),
        departmentsOfType: async (_t, type) => DEPARTMENTS.filter((d) => d.type === type),
        listDepartments: async () => DEPARTMENTS,
        staffWithRole: async (_t, where) =>
          STAFF.filter(
            (s) =>
              s.roles.includes(where.role) &&
              (!where.departmentIds || where.departmentIds.includes(s.departmentId)),
          ),
        notify: async (_ex, messages) => void sent.push(...messages),
        now: () => clock,
      },
      createLocalBlobStore(mkdtempSync(path.join(tmpdir(), 'yw-petitions-'))),
    );
    await workflow.loadProcesses(systemContext(TENANT));
    petitions = createPetitionService(test.db, {
      cases: workflow.cases,
      departments: async () => DEPARTMENTS,
      department: async (_t, id) => DEPARTMENTS.find((d) => d.id === id),
      divisions: {
        many: async (codes) => DIVISIONS.filter((d) => codes.includes(d.code)),
        children: async (code) => DIVISIONS.filter((d) => d.parent === code),
      },
      calendarFor: (tenantId) => workflow.calendars.forTenant(tenantId),
      keyring: new Sm4Keyring([{ id: 't1', key: Buffer.alloc(16, 7) }], 't1'),
      lookupKey: Buffer.alloc(32, 9),
      screen: async (_t, texts) => {
        const held = texts.some((x) => x.includes('演示违禁词'));
        return { held, words: held ? ['演示违禁词'] : [] };
      },
      notify: async (_ex, m) => void sent.push(m),
      process: 'demo.petition',
      reviewProcess: 'demo.petition-review',
      now: () => clock,
    });
  });
  after(() => test.drop());

  const at = (iso: string) => (clock = new Date(iso));
  const refusal = async (p: Promise<unknown>) =>
    (await p.then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    )) as DomainError;
  const act = (who: typeof handler, number: string, cmd: Parameters<WorkflowModule['cases']['act']>[2]) =>
    workflow.cases.act(acting(who), number, cmd);
  const taskOf = async (who: typeof handler, number: string, name: string) => {
    const v = await workflow.cases.get(acting(who), number);
    const a = v.available.find((x) => x.name === name || x.action === name);
    assert.ok(a, `${name} offered to ${who.name}: ${JSON.stringify(v.available)}`);
    return a.task!;
  };
  /** Submits, accepts and hands on, answers: returns the petition answered at `answeredAt`. */
  const answered = async (
    submittedAt: string,
    acceptedAt: string,
    answeredAt: string,
    over: Partial<PetitionInput> = {},
  ) => {
    at(submittedAt);
    const p = await petitions.submit(acting(citizen), petition(over));
    at(acceptedAt);
    await petitions.acceptAndDispatch(acting(officer), p.publicId);
    at(answeredAt);
    const number = p.petition.caseNumber!;
    await act(handler, number, {
      action: 'step',
      task: await taskOf(handler, number, 'answer'),
      name: 'answer',
      input: { result: '部分支持', opinion: '已责令施工单位22时后停止施工。' },
    });
    return petitions.get(acting(citizen), p.publicId);
  };

  it('routes by matter type and place: the nearest department of the type, else the petition office', () => {
    assert.equal(route(DEPARTMENTS, 'urban_rural', '330106002')?.id, 3);
    // 上城区 has no housing department: the city's.
    assert.equal(route(DEPARTMENTS, 'urban_rural', '330102001')?.id, 5);
    assert.equal(route(DEPARTMENTS, 'civil', '330106002')?.id, 6);
    // No education department covers the place: the city's petition office.
    assert.equal(route(DEPARTMENTS, 'education', '330106002')?.id, 2);
    assert.equal(route(DEPARTMENTS, 'other', '330102001')?.id, 2);
    // One level up: the same type in a division above, else the petition office above.
    assert.equal(upperBody(DEPARTMENTS, DEPARTMENTS[2]!)?.id, 5);
    assert.equal(upperBody(DEPARTMENTS, DEPARTMENTS[4]!)?.id, 4);
    assert.equal(upperBody(DEPARTMENTS, DEPARTMENTS[5]!)?.id, 2);
    assert.equal(upperBody(DEPARTMENTS, DEPARTMENTS[3]!), undefined);
  });

  it('is registered by the petition office of its place, to accept within 15 calendar days: ending in 国庆, on the next working day', async () => {
    const p = await petitions.submit(acting(citizen), petition());
    assert.equal(p.status, 'registering');
    assert.equal(p.office.id, 2);
    assert.equal(p.petition.departmentId, 3);
    // 20 September + 15 = 5 October, a holiday (1–8 October 2025): due on Thursday 9 October.
    assert.equal(dueDay(p.petition.dueAt), '2025-10-09');
    const view = await workflow.cases.get(acting(officer), p.petition.caseNumber!);
    assert.equal(view.state.tasks[0]!.departmentId, 2);
    // The case shows no identity: the platform opened it in the petitioner's masked name.
    assert.equal(view.state.applicant.name, '张**');
    assert.equal(view.state.applicant.accountId, citizen.accountId);
    // The acceptance period may not be extended (only handling, §35).
    const e = await refusal(
      act(officer, p.petition.caseNumber!, {
        action: 'request_extension',
        task: 1,
        amount: 10,
        reason: '需要调查',
      }),
    );
    assert.equal(e.code, 'petitions.extension.handling_only');
  });

  it('is handled within 60 calendar days of acceptance (ending in 春节: the next working day), extended by at most 30 with the head’s approval', async () => {
    at('2025-12-18T09:00:00+08:00');
    const p = await petitions.submit(
      acting(citizen),
      petition({
        matter: '物业公司挪用维修基金',
        facts: '维修基金账目不公开，业主委员会多次要求查账被拒绝。',
        requests: '请求审计维修基金使用情况。',
      }),
    );
    at('2025-12-20T10:00:00+08:00');
    const accepted = await petitions.acceptAndDispatch(acting(officer), p.publicId);
    assert.equal(accepted.status, 'handling');
    assert.deepEqual(accepted.handlingNow, { departmentId: 3 });
    // 20 December + 60 = 18 February 2026, in 春节 (15–23 February): due on Tuesday 24 February.
    assert.equal(dueDay(accepted.petition.dueAt), '2026-02-24');
    assert.ok(sent.some((m) => m.kind === 'petitions.accepted' && m.params.due === '2026-02-24'));
    const number = p.petition.caseNumber!;
    const task = await taskOf(handler, number, 'request_extension');
    const tooLong = await refusal(
      act(handler, number, { action: 'request_extension', task, amount: 31, reason: '情况复杂' }),
    );
    assert.equal(tooLong.code, 'errors.invalid_input');
    assert.equal(tooLong.fields[0]!.code, 'workflow.extension.amount');
    await act(handler, number, {
      action: 'request_extension',
      task,
      amount: 30,
      reason: '需要会同审计部门调查',
    });
    await act(head, number, { action: 'decide_extension', task, approved: true, note: '同意' });
    const extended = await petitions.get(acting(citizen), p.publicId);
    // 30 more days after 24 February: 26 March.
    assert.equal(dueDay(extended.petition.dueAt), '2026-03-26');
    assert.equal(extended.extended, true);
  });

  it('may be asked for review within 30 days of the opinion, decided in 30 days one level up; then 复核, then concluded', async () => {
    // Opinion on 3 September 2025: + 30 = 3 October, in 国庆: the window runs to 9 October.
    const p = await answered(
      '2025-08-01T09:00:00+08:00',
      '2025-08-05T09:00:00+08:00',
      '2025-09-03T15:00:00+08:00',
      {
        matter: '老旧小区改造拖延',
        requests: '请求公开改造计划和工期。',
        facts: '改造工程原定2025年6月开工，至今未动工，也没有任何说明。',
      },
    );
    assert.equal(p.status, 'answered');
    assert.equal(p.rateable, 'petition');
    assert.equal(p.next?.stage, 'review');
    assert.equal(dueDay(p.next!.until), '2025-10-09');
    const opinion = p.documents.find((d) => d.kind === 'opinion');
    assert.ok(opinion);
    const pdf = await petitions.pdf(acting(citizen), p.publicId, opinion.n);
    const text = await pdfText(pdf.bytes);
    assert.match(text, /信访事项处理意见书/);
    assert.match(text, /2025年10月9日/);
    await petitions.rate(acting(citizen), p.publicId, 'dissatisfied');
    assert.equal(
      (await refusal(petitions.rate(acting(citizen), p.publicId, 'satisfied'))).code,
      'petitions.rating.given',
    );

    at('2025-10-09T20:00:00+08:00');
    const reviewing = await petitions.requestReview(acting(citizen), p.publicId, {
      reason: '施工单位仍在夜间施工。',
    });
    assert.equal(reviewing.status, 'reviewing');
    // The city's housing bureau, one level above 西湖区's; 30 days from 9 October: 8 November (a Saturday) → 10 November.
    assert.equal(reviewing.review.departmentId, 5);
    assert.equal(dueDay(reviewing.review.dueAt), '2025-11-10');
    // The handler below no longer holds it, but the reviewing body sees it.
    await petitions.get(acting(cityHousing), p.publicId);
    at('2025-10-20T10:00:00+08:00');
    const number = reviewing.review.caseNumber!;
    await act(cityHousing, number, {
      action: 'step',
      task: await taskOf(cityHousing, number, 'decide'),
      name: 'decide',
      input: { result: '维持原处理意见', opinion: '经复查，原处理意见并无不当。' },
    });
    const reviewed = await petitions.get(acting(citizen), p.publicId);
    assert.equal(reviewed.status, 'reviewed');
    assert.equal(reviewed.next?.stage, 'reexam');
    // 20 October + 30 = 19 November.
    assert.equal(dueDay(reviewed.next!.until), '2025-11-19');
    at('2025-11-20T08:00:00+08:00');
    const late = await refusal(petitions.requestReview(acting(citizen), p.publicId, { reason: '不服' }));
    assert.equal(late.code, 'petitions.reexam.expired');
    assert.equal(late.params.expired, '2025-11-19');
  });

  it('refuses a review asked after its 30 days, naming the day they ran out', async () => {
    const p = await answered(
      '2025-10-10T09:00:00+08:00',
      '2025-10-11T09:00:00+08:00',
      '2025-10-20T09:00:00+08:00',
      {
        matter: '违建占用消防通道',
        requests: '请求拆除违建。',
        facts: '一楼住户在消防通道上搭建棚屋，消防车无法通行。',
      },
    );
    at('2025-11-20T09:00:00+08:00');
    const e = await refusal(petitions.requestReview(acting(citizen), p.publicId, { reason: '不服' }));
    assert.equal(e.code, 'petitions.review.expired');
    assert.equal(e.params.expired, '2025-11-19');
    const shown = await petitions.get(acting(citizen), p.publicId);
    assert.equal(shown.next?.open, false);
  });

  it('links a repeat to the earlier petition instead of opening a case; a different matter is new', async () => {
    at('2025-09-21T10:00:00+08:00');
    const again = await petitions.submit(
      acting(citizen),
      petition({
        facts:
          '自2025年9月起，宝石山下一弄3幢加装电梯工程每天夜间施工到23时，噪声严重影响休息，多次向物业反映无果。',
      }),
    );
    assert.equal(again.status, 'repeat');
    assert.ok(again.repeatOf?.caseNumber);
    assert.equal(again.petition.caseNumber, null);
    const fresh = await petitions.submit(
      acting(citizen),
      petition({
        matter: '垃圾分类点设置不合理',
        requests: '请求迁移垃圾房。',
        facts: '新建垃圾房紧贴住宅窗户，夏季异味严重。',
      }),
    );
    assert.equal(fresh.status, 'registering');
    assert.ok(similarity('小区加装电梯施工扰民', '小区加装电梯施工噪声扰民') > 0.5);
    assert.ok(similarity('小区加装电梯施工扰民', '垃圾分类点设置不合理') < 0.1);
  });

  it('holds a petition with sensitive words for a moderator: released, it is registered; rejected, the petitioner is told why', async () => {
    at('2025-09-22T10:00:00+08:00');
    const held = await petitions.submit(
      acting(other),
      petition({
        matter: '关于演示违禁词的投诉',
        petitioner: {
          name: '李另一',
          idNumber: OTHER_ID,
          phone: '13900000000',
          address: '杭州市上城区',
        },
      }),
    );
    assert.equal(held.status, 'held');
    assert.equal(held.petition.caseNumber, null);
    const listed = await petitions.heldSource.list(TENANT);
    assert.ok(
      listed.some((x) => x.id === held.publicId && x.writer === '李**' && x.words.includes('演示违禁词')),
    );
    await petitions.heldSource.release(systemContext(TENANT), held.publicId);
    const released = await petitions.get(acting(other), held.publicId);
    assert.equal(released.status, 'registering');
    assert.ok(released.petition.caseNumber);
    assert.ok(sent.some((m) => m.kind === 'petitions.released' && m.accountId === other.accountId));

    const second = await petitions.submit(
      acting(other),
      petition({
        matter: '另一件演示违禁词的事',
        matterType: 'civil',
        petitioner: {
          name: '李另一',
          idNumber: OTHER_ID,
          phone: '13900000000',
          address: '杭州市上城区',
        },
      }),
    );
    await petitions.heldSource.reject(systemContext(TENANT), second.publicId, '含有不实信息');
    const rejected = await petitions.get(acting(other), second.publicId);
    assert.equal(rejected.status, 'rejected');
    assert.equal(rejected.moderationNote, '含有不实信息');
    assert.ok(sent.some((m) => m.kind === 'petitions.rejected' && m.params.reason === '含有不实信息'));
  });

  it('lets the petition office reroute before handing on, with a reason; the department then handles it', async () => {
    at('2025-09-23T10:00:00+08:00');
    const p = await petitions.submit(
      acting(citizen),
      petition({
        matter: '低保资格被取消',
        requests: '请求恢复低保。',
        facts: '家中无收入来源，社区取消低保未说明理由。',
      }),
    );
    assert.equal(p.petition.departmentId, 3);
    const e = await refusal(petitions.reroute(acting(officer), p.publicId, { departmentId: 6, reason: '' }));
    assert.equal(e.fields[0]!.field, 'reason');
    // A handler without petition.route: forbidden.
    assert.equal(
      (await refusal(petitions.reroute(acting(handler), p.publicId, { departmentId: 6, reason: 'x' }))).kind,
      'forbidden',
    );
    const rerouted = await petitions.reroute(acting(officer), p.publicId, {
      departmentId: 6,
      reason: '属于民政事项',
    });
    assert.equal(rerouted.petition.departmentId, 6);
    const accepted = await petitions.acceptAndDispatch(acting(officer), p.publicId);
    assert.deepEqual(accepted.handlingNow, { departmentId: 6 });
    assert.equal(
      (await refusal(petitions.reroute(acting(officer), p.publicId, { departmentId: 3, reason: '再改' })))
        .code,
      'petitions.reroute.not_now',
    );
    const audit = await test.db.kysely
      .selectFrom('audit.entry')
      .select('detail')
      .where('action', '=', 'petitions.rerouted')
      .where('object_id', '=', p.publicId)
      .execute();
    assert.equal(audit.length, 1);
  });

  it('shows a petition to its petitioner and the staff handling it; everyone else gets 404; each identity view is audited', async () => {
    at('2025-09-24T10:00:00+08:00');
    const p = await petitions.submit(
      acting(citizen),
      petition({
        matter: '房屋征收补偿不公',
        requests: '请求重新评估。',
        facts: '评估价格明显低于周边市场价。',
      }),
    );
    await petitions.acceptAndDispatch(acting(officer), p.publicId);
    assert.equal((await petitions.get(acting(handler), p.publicId)).petitioner.name, '张**');
    for (const who of [other, civil, provinceHousing])
      assert.equal((await refusal(petitions.get(acting(who), p.publicId))).kind, 'not_found', who.name);
    assert.equal((await refusal(petitions.identityOf(acting(civil), p.publicId))).kind, 'not_found');
    const who = await petitions.identityOf(acting(handler), p.publicId);
    assert.equal(who.idNumber, '33010619900101123X');
    assert.equal(who.name, '张演示');
    const views = await test.db.kysely
      .selectFrom('audit.entry')
      .select('actor_id')
      .where('action', '=', 'petitions.identity_viewed')
      .where('object_id', '=', p.publicId)
      .execute();
    assert.deepEqual(
      views.map((v) => v.actor_id),
      [handler.id],
    );
    const list = await petitions.worklist(acting(handler), { limit: 50, offset: 0 });
    assert.ok(list.items.some((x) => x.publicId === p.publicId));
    assert.ok(
      !(await petitions.worklist(acting(civil), { limit: 50, offset: 0 })).items.some(
        (x) => x.publicId === p.publicId,
      ),
    );
  });

  it('refuses an empty or oversized matter and a missing identity, every field at once', async () => {
    const e = await refusal(
      petitions.submit(acting(citizen), {
        petitioner: { name: '', idNumber: '330106199001011230', phone: '', address: '' },
        matterType: 'nonsense',
        place: '330106',
        matter: ' ',
        requests: 'x'.repeat(2001),
        facts: '<b>事实</b>',
      }),
    );
    assert.equal(e.code, 'petitions.incomplete');
    assert.deepEqual(
      e.fields.map((f) => `${f.field} ${f.code}`),
      [
        'petitioner.name errors.field_required',
        'petitioner.idNumber identifiers.citizen_id.check_character',
        'petitioner.phone errors.field_required',
        'petitioner.address errors.field_required',
        'matterType petitions.matter_type.choose',
        'place petitions.place.too_shallow',
        'matter errors.field_required',
        'requests petitions.too_long',
      ],
    );
  });

  it('routes new petitions by the site’s rules, a held one by the rules when released; its files go to the case, seen only by its petitioner and the staff handling it', async () => {
    at('2025-09-25T10:00:00+08:00');
    const siteOffice = actor(71, ['petition_officer'], 1, TENANT);
    const files = [
      { digest: 'c'.repeat(64), filename: '现场.jpg', size: 2048, mediaType: 'image/jpeg' },
      { digest: 'd'.repeat(64), filename: '通知.pdf', size: 4096, mediaType: 'application/pdf' },
    ];
    const others = {
      name: '李另一',
      idNumber: OTHER_ID,
      phone: '13900000000',
      address: '杭州市上城区',
    };
    await petitions.routing.set(acting(siteOffice), { urban_rural: 'civil_affairs' });
    try {
      // A file refused at the upload refuses the petition, beside the attachments field.
      const refused = await refusal(
        petitions.submit(
          acting(citizen),
          petition({ attachments: [files[0]!, { filename: '证据.pdf', refused: 'type', detected: 'EXE' }] }),
        ),
      );
      assert.deepEqual(
        refused.fields.map((f) => `${f.field} ${f.code}`),
        ['attachments petitions.attachments.type'],
      );

      const p = await petitions.submit(
        acting(citizen),
        petition({
          matter: '小区公共绿地被改建为停车场',
          requests: '请求恢复绿地。',
          facts: '物业未经业主同意，将中心绿地硬化后收费停车。',
          attachments: files,
        }),
      );
      // 城乡建设 to the civil affairs bureau, by the site's rule.
      assert.equal(p.petition.departmentId, 6);
      assert.deepEqual(
        p.attachments.map((a) => [a.n, a.filename]),
        [
          [1, '现场.jpg'],
          [2, '通知.pdf'],
        ],
      );
      const view = await workflow.cases.get(acting(officer), p.petition.caseNumber!);
      assert.deepEqual(
        view.events.flatMap((e) => (e.type === 'attachment.added' ? [e.digest] : [])),
        files.map((f) => f.digest),
      );
      assert.equal((await petitions.attachment(acting(citizen), p.publicId, 2)).digest, 'd'.repeat(64));
      await petitions.attachment(acting(officer), p.publicId, 1);
      await petitions.attachment(acting(civil), p.publicId, 1);
      for (const who of [handler, other, provinceHousing])
        assert.equal(
          (await refusal(petitions.attachment(acting(who), p.publicId, 1))).kind,
          'not_found',
          who.name,
        );
      assert.equal((await refusal(petitions.attachment(acting(citizen), p.publicId, 3))).kind, 'not_found');

      // Held with its file: no staff member sees it or the file until a moderator releases it.
      const held = await petitions.submit(
        acting(other),
        petition({
          petitioner: others,
          matter: '演示违禁词：物业乱收费',
          requests: '请求退还多收的物业费。',
          facts: '物业公司按建筑面积重复收取电梯费。',
          attachments: [files[0]!],
        }),
      );
      assert.equal(held.status, 'held');
      assert.equal(held.attachments.length, 1);
      for (const who of [officer, civil])
        assert.equal((await refusal(petitions.get(acting(who), held.publicId))).kind, 'not_found');
      assert.equal(
        (await refusal(petitions.attachment(acting(officer), held.publicId, 1))).kind,
        'not_found',
      );
      await petitions.attachment(acting(other), held.publicId, 1);
      // The rule changes back before the release: the rule then decides.
      await petitions.routing.set(acting(siteOffice), { urban_rural: 'housing' });
      await petitions.heldSource.release(systemContext(TENANT), held.publicId);
      const released = await petitions.get(acting(other), held.publicId);
      assert.equal(released.petition.departmentId, 3);
      const opened = await workflow.cases.get(acting(officer), released.petition.caseNumber!);
      assert.deepEqual(
        opened.events.flatMap((e) => (e.type === 'attachment.added' ? [e.filename] : [])),
        ['现场.jpg'],
      );
      await petitions.attachment(acting(officer), held.publicId, 1);
    } finally {
      await petitions.routing.set(acting(siteOffice), { urban_rural: 'housing' });
    }
  });
});
