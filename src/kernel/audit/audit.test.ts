import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts';
import { migrate } from '../db/index.ts';
import {
  appendAudit,
  canonicalJson,
  GENESIS_HASH,
  sealAudit,
  verifyAudit,
  type AuditContext,
} from './index.ts';

const ctx = (tenantId: string, actorId = 'u1'): AuditContext => ({
  tenantId,
  actorId,
  actorRole: 'system_admin',
  actorDivision: '330000',
  ip: '127.0.0.1',
  userAgent: 'test',
  requestId: 'r1',
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } }),
      '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
});

describe('the audit chain', () => {
  let t: TestDatabase;
  let chainNo = 0;
  const freshChain = () => `9${String(++chainNo).padStart(5, '0')}`;
  before(async () => {
    t = await createTestDatabase();
    await migrate(t.db);
  });
  after(() => t.drop());

  it('refuses an entry inserted already sealed: only the sealer places entries in the chain', async () => {
    await assert.rejects(
      t.db.kysely
        .insertInto('audit.entry')
        .values({
          tenant_id: freshChain(),
          at: new Date(),
          action: 'test.forged',
          result: 'success',
          seq: 1,
          prev_hash: GENESIS_HASH,
          hash: 'f'.repeat(64),
        })
        .execute(),
      /inserted unsealed/,
    );
  });

  /**
   * Seals until nothing of this chain is pending. The sealer waits for every older transaction in the
   * whole server (the snapshot's xmin is cluster-wide), so with other test files running it may take
   * a few rounds.
   */
  async function sealAll(tenantId: string) {
    for (let round = 0; round < 200; round++) {
      await sealAudit(t.db);
      if ((await verifyAudit(t.db, { tenantId })).pending === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`chain ${tenantId} still has pending entries`);
  }

  const chainOf = (tenantId: string) =>
    t.db.kysely
      .selectFrom('audit.entry')
      .select(['seq', 'prev_hash', 'hash', 'action', 'actor_id', 'object_id', 'request_id', 'detail', 'at'])
      .where('tenant_id', '=', tenantId)
      .where('hash', 'is not', null)
      .orderBy('seq')
      .execute();

  /** Changes a stored entry the way an intruder with the table owner's rights could. */
  async function tamper(tenantId: string, seq: number, column: string, value: string) {
    await t.db.withSession(async (s) => {
      await s.exec('alter table audit.entry disable trigger entry_append_only');
      try {
        const cast = column === 'detail' ? '::jsonb' : column === 'at' ? '::timestamptz' : '';
        await s.query(`update audit.entry set ${column} = $1${cast} where tenant_id = $2 and seq = $3`, [
          value,
          tenantId,
          seq,
        ]);
      } finally {
        await s.exec('alter table audit.entry enable trigger entry_append_only');
      }
    });
  }

  it('seals written entries into a chain, each linked to the one before, and verifies', async () => {
    const chain = freshChain();
    await appendAudit(t.db.kysely, ctx(chain), {
      action: 'session.login',
      objectType: 'account',
      objectId: 'u1',
    });
    await appendAudit(t.db.kysely, ctx(chain), { action: 'session.logout', detail: { reason: 'user' } });
    assert.equal((await verifyAudit(t.db, { tenantId: chain })).pending, 2);
    await sealAll(chain);
    const [a, b] = await chainOf(chain);
    assert.equal(a?.seq, 1);
    assert.equal(a?.prev_hash, GENESIS_HASH);
    assert.equal(b?.seq, 2);
    assert.equal(b?.prev_hash, a?.hash);
    assert.deepEqual(await verifyAudit(t.db, { tenantId: chain }), {
      ok: true,
      entries: 2,
      chains: 1,
      pending: 0,
    });
  });

  it('refuses to change, delete or truncate an entry, or to seal one twice', async () => {
    const chain = freshChain();
    await appendAudit(t.db.kysely, ctx(chain), { action: 'config.changed' });
    const refuse = (q: ReturnType<typeof sql>) => assert.rejects(q.execute(t.db.kysely), /append-only/);
    await refuse(sql`update audit.entry set action = 'x' where tenant_id = ${chain}`);
    // Sealing may set the chain columns, but not while changing the content.
    await refuse(
      sql`update audit.entry set seq = 1, prev_hash = ${GENESIS_HASH}, hash = ${GENESIS_HASH}, actor_id = 'x' where tenant_id = ${chain}`,
    );
    await sealAll(chain);
    await refuse(sql`update audit.entry set hash = ${'1'.repeat(64)} where tenant_id = ${chain}`);
    await refuse(sql`delete from audit.entry where tenant_id = ${chain}`);
    await refuse(sql`truncate audit.entry`);
  });

  it('writes in the transaction of the change: a rollback leaves neither the entry nor a gap', async () => {
    const chain = freshChain();
    await appendAudit(t.db.kysely, ctx(chain), { action: 'account.created' });
    await assert.rejects(
      t.db.kysely.transaction().execute(async (trx) => {
        await appendAudit(trx, ctx(chain), { action: 'account.role_granted' });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    await appendAudit(t.db.kysely, ctx(chain), { action: 'account.role_granted' });
    await sealAll(chain);
    assert.deepEqual(
      (await chainOf(chain)).map((e) => [e.seq, e.action]),
      [
        [1, 'account.created'],
        [2, 'account.role_granted'],
      ],
    );
    assert.equal((await verifyAudit(t.db, { tenantId: chain })).ok, true);
  });

  it('yields one linear chain from many concurrent writers while sealing runs', async () => {
    const chain = freshChain();
    let writing = true;
    const sealer = (async () => {
      while (writing) await sealAudit(t.db);
    })();
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 25; i++)
            await appendAudit(t.db.kysely, ctx(chain, `w${w}`), { action: 'test.write', detail: { i } });
        })(),
      ),
    );
    writing = false;
    await sealer;
    await sealAll(chain);
    assert.deepEqual(await verifyAudit(t.db, { tenantId: chain }), {
      ok: true,
      entries: 200,
      chains: 1,
      pending: 0,
    });
    assert.deepEqual(
      (await chainOf(chain)).map((e) => e.seq),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
  });

  it(
    'does not seal behind a transaction still running: its entry takes its place when it commits',
    { skip: !process.env.DATABASE_URL && 'needs two connections (PostgreSQL)' },
    async () => {
      const chain = freshChain();
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let written!: () => void;
      const wroteFirst = new Promise<void>((r) => (written = r));
      const slow = t.db.kysely.transaction().execute(async (trx) => {
        await appendAudit(trx, ctx(chain), { action: 'test.slow' });
        written();
        await held;
      });
      await wroteFirst;
      try {
        await appendAudit(t.db.kysely, ctx(chain), { action: 'test.fast' });
        await sealAudit(t.db);
        assert.deepEqual(await chainOf(chain), [], 'nothing sealed while the older transaction runs');
      } finally {
        release();
        await slow;
      }
      await sealAll(chain);
      assert.deepEqual(
        (await chainOf(chain)).map((e) => e.action),
        ['test.slow', 'test.fast'],
      );
    },
  );

  it('reports a removed entry as a gap at its number', async () => {
    const chain = freshChain();
    for (let i = 0; i < 4; i++) await appendAudit(t.db.kysely, ctx(chain), { action: 'test.write' });
    await sealAll(chain);
    await t.db.withSession(async (s) => {
      await s.exec('alter table audit.entry disable trigger entry_append_only');
      await s.query('delete from audit.entry where tenant_id = $1 and seq = 2', [chain]);
      await s.exec('alter table audit.entry enable trigger entry_append_only');
    });
    assert.deepEqual((await verifyAudit(t.db, { tenantId: chain })).broken, {
      tenantId: chain,
      seq: 2,
      reason: 'gap',
    });
  });

  it('property: any writes verify, and any single-character change fails at exactly that entry', async () => {
    const columns = [
      'actor_id',
      'action',
      'object_id',
      'request_id',
      'detail',
      'prev_hash',
      'hash',
      'at',
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            action: fc.constantFrom(
              'session.login',
              'session.logout',
              'account.created',
              'person.identifier_viewed',
            ),
            objectId: fc.string({ maxLength: 12 }),
            note: fc.string({ maxLength: 20 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.nat(),
        fc.constantFrom(...columns),
        async (events, pick, column) => {
          const chain = freshChain();
          for (const e of events) {
            await appendAudit(t.db.kysely, ctx(chain), {
              action: e.action,
              objectId: e.objectId,
              detail: { note: e.note },
            });
          }
          await sealAll(chain);
          assert.deepEqual(await verifyAudit(t.db, { tenantId: chain }), {
            ok: true,
            entries: events.length,
            chains: 1,
            pending: 0,
          });
          const entries = await chainOf(chain);
          const victim = entries[pick % entries.length]!;
          const flip = (h: string) => `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}`;
          const changed = {
            actor_id: `${victim.actor_id}x`,
            action: `${victim.action}x`,
            object_id: `${victim.object_id}x`,
            request_id: `${victim.request_id}x`,
            detail: JSON.stringify({ note: `${String((victim.detail as { note: string }).note)}x` }),
            prev_hash: flip(victim.prev_hash!),
            hash: flip(victim.hash!),
            at: new Date(victim.at.getTime() + 1).toISOString(),
          }[column];
          await tamper(chain, victim.seq!, column, changed);
          const result = await verifyAudit(t.db, { tenantId: chain });
          assert.equal(result.ok, false);
          assert.equal(result.broken?.seq, victim.seq, `${column} change found at entry ${victim.seq}`);
        },
      ),
      { numRuns: 25 },
    );
  });
});
