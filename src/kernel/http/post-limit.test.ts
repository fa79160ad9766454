import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import type { Actor } from '../policy/index.ts';
import { postLimit } from './post-limit.ts';

// The key is read at preHandler, after the session: here a header stands in for the session hook.
async function appWithPostRoute(perMinute: number) {
  const app = Fastify();
  app.decorateRequest('actor', null);
  await app.register(rateLimit, { max: 1000, timeWindow: 60_000 });
  app.addHook('onRequest', async (req) => {
    const id = req.headers['x-account'];
    if (typeof id === 'string') req.actor = { id: `account:${id}` } as Actor;
  });
  app.post('/letters', { config: { rateLimit: postLimit(perMinute) } }, async () => ({ ok: true }));
  return app;
}

const post = (app: Awaited<ReturnType<typeof appWithPostRoute>>, ip: string, account?: string) =>
  app.inject({
    method: 'POST',
    url: '/letters',
    remoteAddress: ip,
    headers: account ? { 'x-account': account } : {},
  });

describe('postLimit: public posts per writer', () => {
  it('counts a signed-in writer across addresses, and answers 429 with Retry-After', async () => {
    const app = await appWithPostRoute(2);
    assert.equal((await post(app, '10.0.0.1', '7')).statusCode, 200);
    assert.equal((await post(app, '10.0.0.2', '7')).statusCode, 200);
    const third = await post(app, '10.0.0.3', '7');
    assert.equal(third.statusCode, 429);
    assert.ok(Number(third.headers['retry-after']) > 0);
    // another writer behind the same address still has their own allowance
    assert.equal((await post(app, '10.0.0.3', '8')).statusCode, 200);
    await app.close();
  });

  it('counts an anonymous writer by address', async () => {
    const app = await appWithPostRoute(1);
    assert.equal((await post(app, '10.0.0.9')).statusCode, 200);
    assert.equal((await post(app, '10.0.0.9')).statusCode, 429);
    assert.equal((await post(app, '10.0.0.10')).statusCode, 200);
    await app.close();
  });
});
