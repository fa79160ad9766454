import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, generateSm2KeyPair, sm2Sign } from '../../kernel/crypto/index.ts';
import {
  alteredParts,
  checkIssueInput,
  chineseDate,
  maskedHolder,
  payloadOf,
  type IssueInput,
  type Licence,
} from './licence.ts';
import { createSignatureCheck } from './signature-check.ts';

const input = (over: Partial<IssueInput> = {}): IssueInput => ({
  departmentId: 1,
  type: { code: ' JY ', name: ' 食品经营许可证 ' },
  holder: { kind: 'person', name: ' 张三 ', idNumber: '33010619900101123x', accountId: null },
  fields: [{ key: 'licenceNo', label: '许可证编号', value: ' JY13301060012345 ' }],
  validFrom: '2026-01-01',
  validUntil: '2030-12-31',
  caseNumber: null,
  ...over,
});

const licence: Licence = {
  tenantId: '330000',
  id: 'AAAAAAAAAAAAAAAAAAAAAA',
  type: { code: 'JY', name: '食品经营许可证' },
  departmentId: 1,
  issuer: { name: '西湖区市场监督管理局', division: '330106' },
  holder: { kind: 'person', name: '张三', accountId: 7 },
  holderIdEnc: 'x',
  fields: [
    { key: 'licenceNo', label: '许可证编号', value: 'JY13301060012345' },
    { key: 'scope', label: '经营项目', value: '热食类食品制售' },
  ],
  validFrom: '2026-01-01',
  validUntil: null,
  caseNumber: '33000020260000001',
  issuedAt: new Date('2026-01-02T03:04:05.678Z'),
  issuedBy: 'account:1',
  keyId: '0123456789abcdef',
  signature: '',
  digest: '',
  status: 'valid',
  revokedAt: null,
  revokedReason: null,
};

describe('checkIssueInput', () => {
  it('trims the input and writes the ID number in canonical form', () => {
    const r = checkIssueInput(input());
    assert.ok('input' in r);
    assert.equal(r.input.type.code, 'JY');
    assert.equal(r.input.holder.name, '张三');
    assert.equal(r.input.holder.idNumber, '33010619900101123X');
    assert.equal(r.input.fields[0]!.value, 'JY13301060012345');
  });

  it('names each bad field: identifier check digit, repeated keys, dates in the wrong order', () => {
    const r = checkIssueInput(
      input({
        holder: { kind: 'enterprise', name: '某公司', idNumber: '91330106MA2DEM0092', accountId: null },
        fields: [
          { key: 'a', label: 'A', value: '1' },
          { key: 'a', label: 'B', value: '2' },
        ],
        validUntil: '2025-12-31',
      }),
    );
    assert.ok('problems' in r);
    assert.deepEqual(
      r.problems.map((p) => p.field),
      ['holder/idNumber', 'fields/1/key', 'validUntil'],
    );
    assert.equal(r.problems[0]!.code, 'identifiers.credit_code.check_character');
  });
});

describe('maskedHolder', () => {
  it('keeps a person’s first character and the first and last four of the number', () => {
    assert.deepEqual(maskedHolder('person', '张三', '330106199001011234'), {
      kind: 'person',
      name: '张*',
      idNumber: '3301**********1234',
    });
    assert.equal(maskedHolder('person', '欧阳娜娜', '330106199001011234').name, '欧***');
  });

  it('shows an enterprise’s name, masks its credit code', () => {
    const m = maskedHolder('enterprise', '一网演示科技有限公司', '91330106MA2DEM0091');
    assert.equal(m.name, '一网演示科技有限公司');
    assert.equal(m.idNumber, '9133**********0091');
  });
});

describe('the signed payload', () => {
  it('covers every printed part, the key and the full ID number', () => {
    const p = payloadOf(licence, '330106199001011234', '04ab');
    assert.deepEqual(Object.keys(p).sort(), [
      'caseNumber',
      'fields',
      'format',
      'holder',
      'id',
      'issuedAt',
      'issuer',
      'keyId',
      'publicKey',
      'type',
      'validFrom',
      'validUntil',
    ]);
    assert.equal(p.holder.idNumber, '330106199001011234');
    assert.equal(p.issuedAt, '2026-01-02T03:04:05.678Z');
  });

  it('names what an altered copy changed, fields by their key', () => {
    const p = payloadOf(licence, '330106199001011234', '04ab');
    const copy = JSON.parse(canonicalJson(p)) as Record<string, unknown> & typeof p;
    assert.deepEqual(alteredParts(p, copy), []);
    copy.holder.name = '李四';
    copy.validUntil = '2099-12-31';
    copy.fields[1]!.value = '热食类食品制售；生食类食品制售';
    (copy as Record<string, unknown>).extra = true;
    assert.deepEqual(alteredParts(p, copy).sort(), ['extra', 'fields.scope', 'holder.name', 'validUntil']);
    const reordered = { ...p, fields: [...p.fields].reverse() };
    assert.deepEqual(alteredParts(p, reordered), ['fields']);
  });

  it('writes dates as on a Chinese licence', () => {
    assert.equal(chineseDate('2030-03-09'), '2030年3月9日');
  });
});

describe('the remembered signature check', () => {
  it('answers as SM2 does, and a changed byte is a new question', () => {
    const key = generateSm2KeyPair();
    const check = createSignatureCheck(2);
    const signature = sm2Sign(key.privateKeyPem, '{"a":1}');
    assert.equal(check.verify(key.publicKeyHex, '{"a":1}', signature), true);
    assert.equal(check.verify(key.publicKeyHex, '{"a":1}', signature), true);
    assert.equal(check.size(), 1);
    assert.equal(check.verify(key.publicKeyHex, '{"a":2}', signature), false);
    assert.equal(check.verify(key.publicKeyHex, '{"a":3}', signature), false);
    assert.equal(check.size(), 2, 'bounded: the least recent outcome went');
  });
});
