/**
 * The deadline rules of a disclosure request (政府信息公开条例 §30–33) on the database, with real dates on
 * the national calendar: a request received on Wednesday 30 September 2026, the day before 国庆 (1–7
 * October off, Saturday 10 October a make-up workday). And each reply with the fields its form needs.
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
import { createWorkflowModule, type DepartmentRef, type WorkflowModule } from '../workflow/index.ts';
import { createRequestService, type RequestInput, type RequestService } from './request.service.ts';

const TENANT = '330000';
const OFFICE = 40;
const DEPARTMENTS: DepartmentRef[] = [
  { id: OFFICE, name: '浙江省人民政府办公厅', divisionCode: TENANT, type: 'general_office', active: true },
  { id: 41, name: '杭州市人民政府办公厅', divisionCode: '330100', type: 'general_office', active: true },
  { id: 20, name: '西湖区民政局', divisionCode: '330106', type: 'civil_affairs', active: true },
];
const STAFF = [
  { accountId: 401, name: '承办人', departmentId: OFFICE, divisionCode: TENANT, roles: ['handler'] },
  {
    accountId: 402,
    name: '负责人',
    departmentId: OFFICE,
    divisionCode: TENANT,
    roles: ['department_head', 'handler'],
  },
];

const citizen = actor(1, ['citizen'], null);
const handler = actor(401, ['handler'], OFFICE, TENANT);
const head = actor(402, ['department_head', 'handler'], OFFICE, TENANT);

const request = (over: Partial<RequestInput> = {}): RequestInput => ({
  requester: {
    kind: 'person',
    name: '张演示',
    idNumber: '33010619900101123X',
    phone: '0571-87000000',
    email: 'zhang@example.com',
  },
  description: '2025年度省级一般公共预算执行情况的审计报告',
  format: 'electronic',
  delivery: 'online',
  departmentId: OFFICE,
  ...over,
});

/** The China date a period ending at `at` ends on. */
const dueDay = (at: Date | null) =>
  at && new Date(at.getTime() - 1 + 8 * 3_600_000).toISOString().slice(0, 10);

describe('disclosure requests: deadlines and replies', () => {
  let test: TestDatabase;
  let workflow: WorkflowModule;
  let requests: RequestService;
  let clock = new Date('2026-09-30T10:00:00+08:00');
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
      createLocalBlobStore(mkdtempSync(path.join(tmpdir(), 'yw-disclosure-'))),
    );
    await workflow.loadProcesses(systemContext(TENANT));
    requests = createRequestService(test.db, {
      cases: workflow.cases,
      departments: async () => DEPARTMENTS,
      keyring: new Sm4Keyring([{ id: 't1', key: Buffer.alloc(16, 7) }], 't1'),
      process: 'demo.disclosure-request',
    });
  });
  after(() => test.drop());

  /** A request received at `at` (Beijing time). */
  const file = async (at = '2026-09-30T10:00:00+08:00', over: Partial<RequestInput> = {}) => {
    clock = new Date(at);
    return requests.submit(acting(citizen), request(over));
  };
  const act = (who: typeof handler, number: string, cmd: Parameters<WorkflowModule['cases']['act']>[2]) =>
    workflow.cases.act(acting(who), number, cmd);
  const refusal = async (p: Promise<unknown>) =>
    (await p.then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    )) as DomainError;

  it('is due 20 working days after receipt, the receipt day not counted, across 国庆 and its make-up day', async () => {
    const r = await file();
    // 8, 9, 10 (Sat, worked), 12–16, 19–23, 26–30 October, 2 and 3 November: the 20th is 3 November.
    assert.equal(dueDay(r.dueAt), '2026-11-03');
    assert.equal(r.status, 'processing');
    assert.equal(r.receivedAt.toISOString(), clock.toISOString());
    const view = await workflow.cases.get(acting(handler), r.caseNumber);
    assert.equal(dueDay(view.state.tasks[0]!.dueAt), '2026-11-03');
    assert.equal(view.state.tasks[0]!.departmentId, OFFICE);
    // Received on a holiday (2 October): counting starts with the first working day after it all the same.
    const onHoliday = await file('2026-10-02T10:00:00+08:00');
    assert.equal(dueDay(onHoliday.dueAt), '2026-11-03');
  });

  it('allows a 补正 on the 7th working day after receipt and refuses it on the 8th, naming the last day', async () => {
    const late = await file();
    clock = new Date('2026-10-16T09:00:00+08:00');
    const e = await refusal(
      act(handler, late.caseNumber, {
        action: 'stop',
        task: 1,
        stop: 'supplement',
        reason: '',
        items: [{ label: '所需信息的文号', note: '请写明文件的发文字号' }],
      }),
    );
    assert.equal(e.kind, 'conflict');
    assert.equal(e.code, 'workflow.stop.window_passed.working-days');
    assert.deepEqual(e.params, { stop: '补正申请', amount: 7, last: '2026-10-15' });
    assert.equal((await requests.get(acting(citizen), late.publicId)).status, 'processing');

    const r = await file();
    clock = new Date('2026-10-15T17:30:00+08:00');
    await act(handler, r.caseNumber, {
      action: 'stop',
      task: 1,
      stop: 'supplement',
      reason: '',
      items: [
        { label: '所需信息的文号', note: '请写明文件的发文字号' },
        { label: '所需信息的时间范围', note: '请写明年度' },
      ],
    });
    const asked = await requests.get(acting(citizen), r.publicId);
    assert.equal(asked.status, 'supplement');
    assert.equal(asked.canSupplement, true);
    assert.deepEqual(
      asked.stop!.items.map((i) => i.label),
      ['所需信息的文号', '所需信息的时间范围'],
    );
    // The requester is told everything at once, in one message.
    const told = sent.filter(
      (m) => m.kind === 'workflow.case_supplement' && m.accountId === citizen.accountId,
    );
    assert.match(
      String(told.at(-1)!.params.reason),
      /1\. 所需信息的文号：请写明文件的发文字号\n2\. 所需信息的时间范围/,
    );
    // The 补正告知书 gives a reasonable period: 15 working days (16 October – 5 November).
    assert.equal(dueDay(asked.stop!.dueAt), '2026-11-05');
    assert.deepEqual(
      asked.documents.map((d) => [d.n, d.kind]),
      [[1, 'supplement']],
    );
  });

  it('starts the 20 working days afresh from the day after the clarified request arrives', async () => {
    const r = await file();
    clock = new Date('2026-10-09T10:00:00+08:00');
    await act(handler, r.caseNumber, { action: 'stop', task: 1, stop: 'supplement', reason: '请写明文号' });
    // Nobody but the requester ends a 补正, and only with a description.
    await assert.rejects(act(handler, r.caseNumber, { action: 'resume', note: '', input: {} }));
    const empty = await refusal(requests.supplement(acting(citizen), r.publicId, { description: ' ' }));
    assert.deepEqual(
      empty.fields.map((f) => f.field),
      ['description'],
    );
    clock = new Date('2026-10-19T16:00:00+08:00'); // Monday
    const done = await requests.supplement(acting(citizen), r.publicId, {
      description: '浙政办发〔2025〕12号文件',
      note: '已补充文号',
    });
    // 20–23, 26–30 October, 2–6, 9–13 and 16 November
    assert.equal(dueDay(done.dueAt), '2026-11-16');
    assert.equal(done.status, 'processing');
    assert.equal(done.description, '浙政办发〔2025〕12号文件');
    assert.equal(done.supplementedAt!.toISOString(), clock.toISOString());
    const again = await refusal(requests.supplement(acting(citizen), r.publicId, { description: 'x' }));
    assert.equal(again.code, 'disclosure.supplement.not_waiting');
  });

  it('does not count a third party’s consultation, and holds it to its own 15 working days', async () => {
    const r = await file();
    clock = new Date('2026-10-12T10:00:00+08:00'); // Monday: 8, 9, 10 and 12 October used, 16 left
    await act(handler, r.caseNumber, {
      action: 'stop',
      task: 1,
      stop: 'third_party',
      reason: '涉及第三方商业秘密，书面征求意见',
    });
    const consulting = await requests.get(acting(citizen), r.publicId);
    assert.equal(consulting.status, 'consulting');
    assert.equal(consulting.canSupplement, false);
    // The third party has 15 working days: 13–16, 19–23, 26–30 October, 2 November.
    assert.equal(dueDay(consulting.stop!.dueAt), '2026-11-02');
    clock = new Date('2026-10-22T15:00:00+08:00');
    await act(handler, r.caseNumber, { action: 'resume', note: '第三方同意公开', input: {} });
    const back = await requests.get(acting(citizen), r.publicId);
    // 16 days from 23 October: 23, 26–30 October, 2–6, 9–13 November
    assert.equal(dueDay(back.dueAt), '2026-11-13');
    assert.equal(back.status, 'processing');

    // Silent past its 15 days: the days after 2 November are the office's again.
    const silent = await file();
    clock = new Date('2026-10-12T10:00:00+08:00');
    await act(handler, silent.caseNumber, {
      action: 'stop',
      task: 1,
      stop: 'third_party',
      reason: '征求意见',
    });
    clock = new Date('2026-11-06T10:00:00+08:00');
    await act(handler, silent.caseNumber, { action: 'resume', note: '第三方逾期未提出意见', input: {} });
    // 16 days from 3 November: 3–6, 9–13, 16–20, 23 and 24 November
    assert.equal(dueDay((await requests.get(acting(citizen), silent.publicId)).dueAt), '2026-11-24');
    // Another agency's consultation stops the clock the same way.
    const agency = await file();
    clock = new Date('2026-10-12T10:00:00+08:00');
    await act(handler, agency.caseNumber, {
      action: 'stop',
      task: 1,
      stop: 'other_agency',
      reason: '征求意见',
    });
    assert.equal((await requests.get(acting(citizen), agency.publicId)).status, 'consulting');
  });

  it('extends by at most 20 working days with the head’s approval, and tells the requester the new date', async () => {
    const r = await file();
    clock = new Date('2026-10-27T10:00:00+08:00');
    const tooMuch = await refusal(
      act(handler, r.caseNumber, { action: 'request_extension', task: 1, amount: 21, reason: '涉及面广' }),
    );
    assert.deepEqual(
      tooMuch.fields.map((f) => [f.field, f.code, f.params?.max]),
      [['amount', 'workflow.extension.amount', 20]],
    );
    await act(handler, r.caseNumber, {
      action: 'request_extension',
      task: 1,
      amount: 20,
      reason: '所需信息需从多个档案中检索',
    });
    // The handler cannot approve it; the head can.
    await assert.rejects(
      act(handler, r.caseNumber, { action: 'decide_extension', task: 1, approved: true, note: '' }),
    );
    sent.length = 0;
    await act(head, r.caseNumber, { action: 'decide_extension', task: 1, approved: true, note: '同意' });
    const extended = await requests.get(acting(citizen), r.publicId);
    // 3 November + 20 working days: 4–6, 9–13, 16–20, 23–27, 30 November, 1 December
    assert.equal(dueDay(extended.dueAt), '2026-12-01');
    assert.equal(extended.extended, true);
    assert.deepEqual(
      sent.filter((m) => m.accountId === citizen.accountId).map((m) => [m.kind, m.params.due]),
      [['workflow.case_extended', '2026-12-01']],
    );
    assert.deepEqual(
      extended.documents.map((d) => d.kind),
      ['extension'],
    );
    const pdf = await requests.pdf(acting(citizen), r.publicId, 1);
    const text = (await pdfText(pdf.bytes)).replace(/\s+/g, '');
    for (const words of [
      '政府信息公开申请延期答复告知书',
      '第三十三条第二款',
      '延长20个工作日',
      '2026年12月1日前',
    ])
      assert.ok(text.includes(words), `${words} in ${text}`);
  });

  it('takes each of the six replies with the fields its form needs, each an outcome', async () => {
    const replies: [string, Record<string, unknown>, Record<string, unknown>, string[], string][] = [
      ['disclose', {}, { manner: '提供电子文档', details: '通过电子邮件发送' }, ['manner'], 'disclosed'],
      [
        'partly_disclose',
        { disclosed: '审计报告正文', manner: '提供电子文档', withheld_1: '附件三', withheld_2: '附件四' },
        {
          disclosed: '审计报告正文',
          manner: '提供电子文档',
          withheld_1: '附件三 被审计单位名单',
          reason_1: '涉及商业秘密，第三方不同意公开（第十五条）',
        },
        ['reason_1', 'reason_2'],
        'partly_disclosed',
      ],
      [
        'withhold',
        { reason: '属于过程稿' },
        { basis: '第十六条第二款：过程性信息', reason: '所申请的是审计报告的征求意见稿' },
        ['basis'],
        'withheld',
      ],
      ['not_exist', {}, {}, [], 'not_exist'],
      [
        'not_ours',
        { contact: '0571-87000001' },
        { reason: '该报告由省审计厅制作', body: '浙江省审计厅', contact: '0571-87000001' },
        ['reason', 'body'],
        'not_ours',
      ],
      [
        'not_processed',
        { ground: '重复申请：已就相同政府信息作出答复' },
        { ground: '重复申请：已就相同政府信息作出答复', note: '已于2026年6月1日答复' },
        ['note'],
        'not_processed',
      ],
    ];
    for (const [name, bad, good, missing, outcome] of replies) {
      const r = await file();
      clock = new Date('2026-10-20T10:00:00+08:00');
      if (missing.length > 0) {
        const e = await refusal(act(handler, r.caseNumber, { action: 'step', task: 1, name, input: bad }));
        assert.equal(e.kind, 'invalid', name);
        assert.deepEqual(e.fields.map((f) => f.field).sort(), [...missing].sort(), name);
      }
      await act(handler, r.caseNumber, { action: 'step', task: 1, name, input: good });
      const replied = await requests.get(acting(citizen), r.publicId);
      assert.equal(replied.status, 'replied', name);
      assert.equal(replied.outcome, outcome, name);
      assert.deepEqual(replied.reply?.input, good, name);
      assert.deepEqual(
        replied.documents.map((d) => [d.kind, d.title]),
        [['reply', '政府信息公开申请答复书']],
      );
      assert.ok(
        sent.some(
          (m) =>
            m.accountId === citizen.accountId &&
            m.kind === 'workflow.case_completed' &&
            m.params.outcomeKey === `workflow.outcome.${outcome}`,
        ),
      );
    }
  });

  it('writes the reply document from the log: the requester, the dates, the decision and why, the remedies', async () => {
    const r = await file();
    clock = new Date('2026-10-13T10:00:00+08:00');
    await act(handler, r.caseNumber, { action: 'stop', task: 1, stop: 'supplement', reason: '请写明文号' });
    clock = new Date('2026-10-14T10:00:00+08:00');
    await requests.supplement(acting(citizen), r.publicId, { description: '浙审〔2026〕5号审计报告' });
    clock = new Date('2026-10-20T10:00:00+08:00');
    await act(handler, r.caseNumber, {
      action: 'step',
      task: 1,
      name: 'partly_disclose',
      input: {
        disclosed: '审计报告正文',
        manner: '提供电子文档',
        withheld_1: '附件三',
        reason_1: '涉及商业秘密',
        withheld_2: '附件四',
        reason_2: '涉及个人隐私',
      },
    });
    const detail = await requests.get(acting(citizen), r.publicId);
    assert.deepEqual(
      detail.documents.map((d) => [d.n, d.kind]),
      [
        [1, 'supplement'],
        [2, 'reply'],
      ],
    );
    const pdf = await requests.pdf(acting(citizen), r.publicId, 2);
    assert.equal(pdf.filename, `政府信息公开申请答复书-${r.caseNumber}-2.pdf`);
    // The text without its page numbers (— 1 —), which fall inside a paragraph running over a page.
    const text = (await pdfText(pdf.bytes)).replace(/\s+/g, '').replace(/—\d+—/g, '');
    for (const words of [
      '政府信息公开申请答复书',
      `办件编号：${r.caseNumber}`,
      '张演示：',
      '本机关于2026年9月30日收到',
      '浙审〔2026〕5号审计报告',
      '2026年10月14日收到您补正后的申请',
      '第三十七条',
      '附件三',
      '涉及商业秘密',
      '附件四',
      '涉及个人隐私',
      '浙江省人民政府办公厅',
      '2026年10月20日',
      '六十日内依法申请行政复议',
      '六个月内依法向人民法院提起行政诉讼',
    ])
      assert.ok(text.includes(words), `${words} in ${text}`);
    const notice = (await pdfText((await requests.pdf(acting(citizen), r.publicId, 1)).bytes)).replace(
      /\s+/g,
      '',
    );
    for (const words of ['政府信息公开申请补正告知书', '第三十条', '请写明文号', '视为放弃申请'])
      assert.ok(notice.includes(words), `${words} in ${notice}`);
    // The same document always gives the same bytes.
    assert.deepEqual((await requests.pdf(acting(citizen), r.publicId, 2)).bytes, pdf.bytes);
  });
});
