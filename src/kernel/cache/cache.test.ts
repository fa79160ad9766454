import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shortLived } from './index.ts';

describe('shortLived', () => {
  it('loads a key once while it is fresh, again once it is not', async () => {
    let clock = 0;
    const loads: string[] = [];
    const c = shortLived(1000, async (k) => (loads.push(k), `${k}@${clock}`), { now: () => clock });
    assert.equal(await c.get('a'), 'a@0');
    clock = 999;
    assert.equal(await c.get('a'), 'a@0');
    clock = 1000;
    assert.equal(await c.get('a'), 'a@1000');
    assert.deepEqual(loads, ['a', 'a']);
  });

  it('shares one load among callers asking at once', async () => {
    let calls = 0;
    const c = shortLived(1000, async (k) => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return k;
    });
    assert.deepEqual(await Promise.all([c.get('x'), c.get('x'), c.get('x')]), ['x', 'x', 'x']);
    assert.equal(calls, 1);
  });

  it('never remembers a failure', async () => {
    let fail = true;
    const c = shortLived(60_000, async (k) => {
      if (fail) throw new Error('down');
      return k;
    });
    await assert.rejects(c.get('k'), /down/);
    fail = false;
    assert.equal(await c.get('k'), 'k');
  });

  it('forgets a key on request, and the oldest key when full', async () => {
    let n = 0;
    const c = shortLived(60_000, async (k) => `${k}${n++}`, { max: 2 });
    assert.equal(await c.get('a'), 'a0');
    c.forget('a');
    assert.equal(await c.get('a'), 'a1');
    await c.get('b');
    await c.get('c'); // a goes
    assert.equal(await c.get('b'), 'b2');
    assert.equal(await c.get('a'), 'a4');
  });
});
