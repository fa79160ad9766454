/**
 * Audit append throughput on real PostgreSQL with 8 concurrent writers, each entry in a transaction of
 * its own (as a request that changes one thing writes one entry). Baseline, same run and database: a
 * plain INSERT of the same row into a table of the same shape, without the chain's lock and hash.
 * Target: audit append >= 50% of the plain INSERT rate.
 */
import { sql } from 'kysely';
import {
  appendAudit,
  sealAudit,
  startAuditSealer,
  verifyAudit,
  type AuditContext,
} from '../src/kernel/audit/index.ts';
import { migrate, openDatabase, type Database } from '../src/kernel/db/index.ts';
import { DURATION_S, createTempDatabase, fmtInt, log, pct, report } from './lib.ts';

const WRITERS = 8;
const TARGET_SHARE = 0.5;

const ctx = (w: number): AuditContext => ({
  tenantId: '330000',
  actorId: `staff-${w}`,
  actorRole: 'handler',
  actorDivision: '330106',
  ip: '127.0.0.1',
  userAgent: 'bench',
  requestId: 'bench',
});

/** Runs `write` from 8 writers for the measured duration; returns writes per second. */
async function measure(write: (writer: number, i: number) => Promise<void>): Promise<number> {
  const until = performance.now() + DURATION_S * 1000;
  let total = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        await write(w, i);
        total++;
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function plainInsert(db: Database, w: number, i: number) {
  const c = ctx(w);
  await db.kysely.transaction().execute(async (trx) => {
    await sql`insert into bench_plain (tenant_id, at, actor_id, actor_role, actor_division, action, object_type,
        object_id, result, ip, user_agent, request_id, detail)
      values (${c.tenantId}, now(), ${c.actorId}, ${c.actorRole}, ${c.actorDivision}, 'case.viewed', 'case',
        ${String(i)}, 'success', ${c.ip}, ${c.userAgent}, ${c.requestId}, ${JSON.stringify({ i })}::jsonb)`.execute(
      trx,
    );
  });
}

export async function runAudit(): Promise<void> {
  const temp = await createTempDatabase();
  log(`created database ${temp.name}; ${WRITERS} writers, ${DURATION_S} s each`);
  const db = await openDatabase({ databaseUrl: temp.url, poolSize: WRITERS });
  try {
    await migrate(db);
    await db.withSession((s) =>
      s.exec(`create table bench_plain (id bigint generated always as identity primary key, tenant_id text not null,
        at timestamptz not null, actor_id text not null, actor_role text not null, actor_division text not null,
        action text not null, object_type text not null, object_id text not null, result text not null,
        ip text not null, user_agent text not null, request_id text not null, detail jsonb not null)`),
    );
    // Warm both paths (connections, plans) before measuring.
    for (let w = 0; w < WRITERS; w++) {
      await plainInsert(db, w, 0);
      await appendAudit(db.kysely, ctx(w), { action: 'case.viewed', objectType: 'case', objectId: 'warm' });
    }
    await sealAudit(db);
    const plain = await measure((w, i) => plainInsert(db, w, i));
    log(`  plain INSERT: ${fmtInt(plain)} rows/s`);
    // As in a server: the sealer runs beside the writers every 250 ms.
    const stopSealer = startAuditSealer(db, (e) => log(`sealer error: ${String(e)}`));
    const chained = await measure(async (w, i) => {
      await appendAudit(db.kysely, ctx(w), {
        action: 'case.viewed',
        objectType: 'case',
        objectId: String(i),
        detail: { i },
      });
    });
    await stopSealer();
    log(`  audit append (sealer running): ${fmtInt(chained)} entries/s`);
    // Then what the sealer had not reached yet, timed on its own.
    const sealStarted = performance.now();
    const sealed = await sealAudit(db);
    const sealSecs = (performance.now() - sealStarted) / 1000;
    log(`  sealing: ${fmtInt(sealed)} entries in ${sealSecs.toFixed(1)} s`);
    const verifyStarted = performance.now();
    const verified = await verifyAudit(db);
    const verifySecs = (performance.now() - verifyStarted) / 1000;
    log(
      `  verify: ${verified.ok ? 'OK' : 'BROKEN'} ${fmtInt(verified.entries)} entries in ${verifySecs.toFixed(1)} s`,
    );
    report(
      `audit append on PostgreSQL, ${WRITERS} writers, one entry per transaction, sealer running: ${fmtInt(chained)} entries/s = ${pct(chained, plain)} of plain INSERT ${fmtInt(plain)} rows/s`,
      { text: `>= ${TARGET_SHARE * 100}%`, met: chained >= plain * TARGET_SHARE },
    );
    report(
      `audit sealing (linking into the SM3 chain), the backlog left at the end of the run: ${fmtInt(sealed)} entries in ${sealSecs.toFixed(1)} s = ${fmtInt(sealed / sealSecs)} entries/s`,
      { text: 'faster than append', met: sealed === 0 || sealed / sealSecs > chained },
    );
    report(
      `audit verify after the run: ${verified.ok ? 'chain OK' : 'BROKEN'}, ${fmtInt(verified.entries)} entries in ${verifySecs.toFixed(1)} s (${fmtInt(verified.entries / verifySecs)} entries/s)`,
      { text: 'chain OK', met: verified.ok },
    );
  } finally {
    await db.close();
    await temp.drop();
  }
}
