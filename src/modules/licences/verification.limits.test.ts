import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';

describe('checking presented licences: bounded per address and in size', () => {
  let y: TestApp;
  before(async () => {
    // The site allows 100 requests a minute per address; presented licences get a tenth of that.
    y = await createTestApp({ seed: false, env: { RATE_LIMIT_PER_MINUTE: '100' } });
  });
  after(() => y.drop());

  const present = () =>
    y.app.inject({
      method: 'POST',
      url: '/api/v1/licences/verification',
      payload: { data: { id: 'x' }, signature: '00', keyId: '0123456789abcdef' },
    });

  it('answers a malformed presentation as invalid, and the eleventh in a minute with 429', async () => {
    const first = await present();
    assert.equal(first.statusCode, 200, first.body);
    assert.equal((first.json() as { status: string }).status, 'invalid');
    for (let i = 1; i < 10; i++) assert.equal((await present()).statusCode, 200);
    assert.equal((await present()).statusCode, 429);
    // Verification by id (the QR code) keeps the site-wide limit.
    const byId = await y.app.inject({ url: '/api/v1/licences/AAAAAAAAAAAAAAAAAAAAAA/verification' });
    assert.equal(byId.statusCode, 200);
  });

  it('refuses a PDF over 2 MB before reading it', async () => {
    const res = await y.app.inject({
      method: 'POST',
      url: '/api/v1/licences/verification',
      remoteAddress: '203.0.113.9',
      headers: { 'content-type': 'application/pdf' },
      payload: Buffer.alloc(2 * 1024 * 1024 + 1, 0x20),
    });
    assert.equal(res.statusCode, 413, res.body);
  });
});
