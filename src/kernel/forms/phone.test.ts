import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPhone } from './index.ts';

const normalized = (value: string, accept?: 'any' | 'mobile') => {
  const r = checkPhone(value, accept);
  return r.valid ? r.normalized : r.reason;
};

describe('checkPhone', () => {
  it('takes mainland mobiles however they are spaced, with or without +86', () => {
    for (const written of [
      '13800138000',
      '138 0013 8000',
      '138-0013-8000',
      '+86 138 0013 8000',
      '8613800138000',
      '１３８００１３８０００',
    ])
      assert.equal(normalized(written), '13800138000', written);
    assert.equal(normalized('19912345678', 'mobile'), '19912345678');
  });

  it('refuses numbers that are not mobiles: 12 or 11 prefixes, wrong length', () => {
    for (const bad of ['12812345678', '11812345678', '1380013800', '138001380000'])
      assert.equal(normalized(bad), 'forms.phone.format', bad);
  });

  it('takes landlines with their area code, and an extension', () => {
    assert.equal(normalized('010-62345678'), '010-62345678');
    assert.equal(normalized('(021) 6123 4567'), '021-61234567');
    assert.equal(normalized('057187654321'), '0571-87654321');
    assert.equal(normalized('0571-8765432'), '0571-8765432');
    assert.equal(normalized('0571-87654321-808'), '0571-87654321-808');
    assert.equal(normalized('0571-87654321转808'), '0571-87654321-808');
  });

  it('refuses a landline without area code, saying so, and local numbers starting 0 or 1', () => {
    assert.equal(normalized('87654321'), 'forms.phone.area_code');
    assert.equal(normalized('0571-07654321'), 'forms.phone.format');
    assert.equal(normalized('010-12345678'), 'forms.phone.format');
  });

  it('refuses short service numbers: a hotline is not the applicant’s number', () => {
    for (const hotline of ['12345', '95588', '110', '400-800-8888'])
      assert.equal(normalized(hotline), 'forms.phone.format', hotline);
  });

  it('takes international numbers other than +86, but not where a mobile is required', () => {
    assert.equal(normalized('+852 9123 4567'), '+85291234567');
    assert.equal(normalized('+852 9123 4567', 'mobile'), 'forms.phone.mobile');
    assert.equal(normalized('0571-87654321', 'mobile'), 'forms.phone.mobile');
  });
});
