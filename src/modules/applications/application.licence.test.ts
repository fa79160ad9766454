import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCreditCode } from '../../kernel/identifiers/index.ts';
import { assignedCreditCode } from './application.licence.ts';

describe('the credit code a registration assigns', () => {
  it('is a valid GB 32100 code of an enterprise registered by market regulation in the county', () => {
    const code = assignedCreditCode('330106', '33000020260000123');
    const check = checkCreditCode(code);
    assert.ok(check.valid, code);
    assert.equal(code.slice(0, 8), '91330106');
    assert.equal(code.slice(8, 10), 'MA');
  });

  it('differs for every case of the site, across years too', () => {
    const codes = new Set<string>();
    for (const year of ['2026', '2027'])
      for (let seq = 1; seq <= 2000; seq++)
        codes.add(assignedCreditCode('330106', `330000${year}${String(seq).padStart(7, '0')}`));
    assert.equal(codes.size, 4000);
    for (const c of [...codes].slice(0, 50)) assert.ok(checkCreditCode(c).valid, c);
  });
});
