/**
 * What the annual report counts of requests (table 三): the year in China time, carried over and forward
 * across its boundaries, persons and each kind of organisation, each reply's row, 补正 never answered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { migrate } from '../../kernel/db/index.ts';
import {
  REPLY_ROWS,
  REQUESTER_COLUMNS,
  replyRow,
  requestFigures,
  type OrganisationType,
  type RequestFigures,
} from './request.report.ts';
import { insertRequest } from './request.store.ts';

const TENANT = '330000';
const OFFICE = { id: 1, name: '浙江省人民政府办公厅', divisionCode: '330000' };
const OTHER_BODY = { id: 2, name: '浙江省民政厅', divisionCode: '330000' };
/** 2025 in China time: [2024-12-31T16:00Z, 2025-12-31T16:00Z) */
const YEAR = { from: new Date('2024-12-31T16:00:00Z'), to: new Date('2025-12-31T16:00:00Z') };

describe('requestFigures (年报表三)', () => {
  let t: TestDatabase;
  let n = 0;

  const file = async (r: {
    org?: OrganisationType;
    received: string;
    replied?: string;
    row?: string;
    supplementDue?: string;
    body?: typeof OFFICE;
  }) => {
    n++;
    const org = r.org !== undefined;
    await insertRequest(
      t.db.kysely,
      TENANT,
      {
        publicId: `request-${String(n).padStart(10, '0')}`,
        caseNumber: `3300002025${String(n).padStart(7, '0')}`,
        requester: {
          accountId: n,
          kind: org ? 'organisation' : 'person',
          organisationType: r.org ?? null,
          name: `申请人${n}`,
          idNumberCipher: org ? null : 'sm4v1:k:x:y:z',
          creditCode: org ? '91330106MA2DEM0091' : null,
          legalRepresentative: org ? '王法人' : null,
          contactPerson: org ? '李联系' : null,
          phone: '0571-87000000',
          address: '杭州市',
          email: '',
        },
        department: r.body ?? OFFICE,
        description: '某信息',
        purpose: '',
        format: 'electronic',
        delivery: 'online',
        receivedAt: new Date(r.received),
      },
      {
        status: r.replied ? 'replied' : r.supplementDue ? 'supplement' : 'processing',
        dueAt: null,
        extended: false,
        outcome: r.replied ? 'disclosed' : null,
        repliedAt: r.replied ? new Date(r.replied) : null,
        reportRow: r.replied ? (r.row ?? 'disclosed') : null,
        supplementDueAt: r.supplementDue ? new Date(r.supplementDue) : null,
      },
    );
  };

  const figures = (asOf = '2026-02-01T00:00:00Z', departmentId: number | null = null) =>
    requestFigures(t.db.kysely, TENANT, { ...YEAR, asOf: new Date(asOf), departmentId });

  const sum = (cells: Record<string, number>) => Object.values(cells).reduce((a, b) => a + b, 0);
  const concludedIn = (f: RequestFigures, col: (typeof REQUESTER_COLUMNS)[number]) =>
    REPLY_ROWS.reduce((s, row) => s + f.concluded[row][col], 0);

  before(async () => {
    t = await createTestDatabase();
    await migrate(t.db);
    // 23:59:59 on 31 December 2024 in Beijing: last year's, answered in 2025 → carried over, concluded.
    await file({ received: '2024-12-31T15:59:59Z', replied: '2025-01-10T02:00:00Z' });
    // 00:00 on 1 January 2025 in Beijing: this year's, answered on its last second.
    await file({
      org: 'business',
      received: '2024-12-31T16:00:00Z',
      replied: '2025-12-31T15:59:59Z',
      row: 'withheld_secret',
    });
    // answered at 00:00 on 1 January 2026 in Beijing: carried forward.
    await file({ org: 'research', received: '2025-06-01T02:00:00Z', replied: '2025-12-31T16:00:00Z' });
    // received and answered in 2024: not 2025's at all.
    await file({ received: '2024-05-01T02:00:00Z', replied: '2024-06-01T02:00:00Z' });
    // a 补正 never answered, its period over in March: ended as (六)1.
    await file({
      org: 'legal_services',
      received: '2025-03-01T02:00:00Z',
      supplementDue: '2025-03-20T16:00:00Z',
    });
    // a 补正 whose period ends in 2026: carried forward.
    await file({
      org: 'public_interest',
      received: '2025-12-20T02:00:00Z',
      supplementDue: '2026-01-15T16:00:00Z',
    });
    // received in 2026: not 2025's.
    await file({ received: '2026-01-05T02:00:00Z' });
    // still being handled: carried forward.
    await file({ received: '2025-02-01T02:00:00Z' });
    // another body's, carried over from 2024 and still open.
    await file({ org: 'other', received: '2024-11-01T02:00:00Z', body: OTHER_BODY });
    // one of each row, answered in 2025 by a person.
    for (const row of REPLY_ROWS.filter((r) => r !== 'other_no_supplement'))
      await file({ received: '2025-04-01T02:00:00Z', replied: '2025-05-01T02:00:00Z', row });
  });
  after(() => t.drop());

  it('counts received, carried over, concluded and carried forward across the year boundary in China time', async () => {
    const f = await figures();
    const perRow = REPLY_ROWS.length - 1;
    assert.deepEqual(f.received, {
      natural: 1 + perRow,
      business: 1,
      research: 1,
      public_interest: 1,
      legal_services: 1,
      other: 0,
    });
    assert.deepEqual(f.carriedOver, {
      natural: 1,
      business: 0,
      research: 0,
      public_interest: 0,
      legal_services: 0,
      other: 1,
    });
    assert.equal(f.concluded.disclosed.natural, 1 + 1, 'the carried-over one and the disclosed one');
    assert.equal(f.concluded.withheld_secret.business, 1);
    assert.equal(f.concluded.other_no_supplement.legal_services, 1);
    assert.deepEqual(f.carriedForward, {
      natural: 1,
      business: 0,
      research: 1,
      public_interest: 1,
      legal_services: 0,
      other: 1,
    });
    // 结转下年 = 上年结转 + 新收 − 办结, in every column.
    for (const col of REQUESTER_COLUMNS)
      assert.equal(f.carriedForward[col], f.carriedOver[col] + f.received[col] - concludedIn(f, col), col);
    assert.equal(
      sum(f.received) + sum(f.carriedOver),
      REPLY_ROWS.reduce((s, r) => s + sum(f.concluded[r]), 0) + sum(f.carriedForward),
    );
  });

  it('puts each reply in its own row', async () => {
    const f = await figures();
    for (const row of REPLY_ROWS) {
      const expected = row === 'disclosed' ? 2 : row === 'other_no_supplement' ? 0 : 1;
      const extra = row === 'withheld_secret' ? 1 : 0; // the business's
      assert.equal(f.concluded[row].natural, expected, row);
      assert.equal(sum(f.concluded[row]), expected + extra + (row === 'other_no_supplement' ? 1 : 0), row);
    }
  });

  it('ends an unanswered 补正 only once its period is over, as of the day counted', async () => {
    const early = await figures('2025-03-10T00:00:00Z');
    assert.equal(early.concluded.other_no_supplement.legal_services, 0);
    assert.equal(early.carriedForward.legal_services, 1);
  });

  it("counts one receiving body's requests", async () => {
    const f = await figures(undefined, OTHER_BODY.id);
    assert.equal(sum(f.received), 0);
    assert.deepEqual({ ...f.carriedOver }, { ...f.carriedForward });
    assert.equal(f.carriedOver.other, 1);
  });

  it("maps the module's six replies and their sub-reasons to the template's rows", () => {
    assert.equal(replyRow('disclose', { manner: '提供电子文档' }), 'disclosed');
    assert.equal(replyRow('partly_disclose', {}), 'partly_disclosed');
    const withheld: [string, string][] = [
      ['第十四条：依法确定为国家秘密', 'withheld_secret'],
      ['第十四条：法律、行政法规禁止公开', 'withheld_prohibited'],
      ['第十四条：公开后可能危及国家安全、公共安全、经济安全、社会稳定', 'withheld_security'],
      ['第十五条：涉及商业秘密、个人隐私，公开会对第三方合法权益造成损害', 'withheld_third_party'],
      ['第十六条第一款：内部事务信息', 'withheld_internal'],
      ['第十六条第二款：过程性信息', 'withheld_process'],
      ['第十六条第二款：行政执法案卷信息', 'withheld_enforcement'],
      ['第十六条第二款：过程性信息、行政执法案卷信息', 'withheld_process'],
    ];
    for (const [basis, row] of withheld) assert.equal(replyRow('withhold', { basis }), row, basis);
    assert.equal(replyRow('not_exist', {}), 'unavailable_not_held');
    assert.equal(
      replyRow('not_exist', { situation: '没有现成信息，需要另行制作' }),
      'unavailable_must_create',
    );
    assert.equal(replyRow('not_exist', { situation: '补正后申请内容仍不明确' }), 'unavailable_unclear');
    assert.equal(replyRow('not_ours', { reason: '属省民政厅' }), 'unavailable_not_held');
    const grounds: [string, string][] = [
      ['以政府信息公开申请的形式进行信访、投诉、举报等活动', 'not_processed_petition'],
      ['重复申请：已就相同政府信息作出答复', 'not_processed_repeated'],
      ['申请获取政府公报、报刊、书籍等公开出版物', 'not_processed_publication'],
      ['申请的数量、频次明显超过合理范围，说明的理由不合理', 'not_processed_excessive'],
      ['要求行政机关确认或者重新出具已获取的信息', 'not_processed_confirm'],
      ['工商、不动产登记资料等，依照有关法律、行政法规的规定办理', 'withheld_inquiry'],
    ];
    for (const [ground, row] of grounds) assert.equal(replyRow('not_processed', { ground }), row, ground);
    assert.equal(replyRow('something_else', {}), 'other_other');
  });
});
