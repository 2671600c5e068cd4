/**
 * Projection benchmark (`npx tsx ops/bench/projection.ts`, or `npm run bench -- projection`): lag from append to
 * visible row at 200 appends/s, and rebuild throughput next to the raw engine, on PGlite (event store and read
 * models in two PGlite workers, as embedded) and on the real Postgres server.
 */
import { fileURLToPath } from 'node:url';
import { createTestPglite, createTestPostgres } from '../testing/databases.ts';
import { openTestEventStore } from '../testing/eventstores.ts';
import type { Sql } from '../../contracts/sql.ts';
import { measureLag, rawConsumer, runtimeConsumer } from './projection-lag.ts';
import { fillLog, rawReadAndInsert, rebuildRate } from './projection-workload.ts';
import { atLeast, below, type BenchRow } from './report.ts';

const RATE = 200;
const DURATION_MS = 10_000;
const LOG_EVENTS = 50_000;
const REBUILD_BATCH = 2000;

async function openReadModels(kind: 'pglite' | 'postgres'): Promise<{ sql: Sql; close: () => Promise<void> }> {
  if (kind === 'pglite') {
    const sql = await createTestPglite();
    return { sql, close: () => sql.close() };
  }
  const db = await createTestPostgres();
  return { sql: db.sql, close: () => db.drop() };
}

async function benchOn(kind: 'pglite' | 'postgres'): Promise<BenchRow[]> {
  const events = await openTestEventStore(kind);
  const readModels = await openReadModels(kind);
  try {
    const rows: BenchRow[] = [];
    const raw = await measureLag(events.store, rawConsumer(events.store, readModels.sql), RATE, DURATION_MS);
    const lag = await measureLag(events.store, runtimeConsumer(events.store, readModels.sql), RATE, DURATION_MS);
    const context =
      `${(RATE * DURATION_MS) / 1000} events offered at ${RATE}/s (the ${lag.samples} after the first second measured), reached ${Math.round(lag.achievedRate)}/s; 3 projectors (2 ignore them); ` +
      `append p50 ${lag.appendP50.toFixed(2)} ms`;
    rows.push({ name: `projection.${kind}.lag.p50`, value: lag.p50, unit: 'ms', note: context });
    rows.push({
      name: `projection.${kind}.lag.p99`,
      value: lag.p99,
      unit: 'ms',
      ...below(lag.p99, 50),
      note:
        `append committed -> row visible, after the first second; max ${lag.max.toFixed(1)} ms (first second: ${lag.warmMax.toFixed(1)}); ` +
        `from append call ${lag.endToEndP99.toFixed(1)} ms; ` +
        `raw engine (one subscription + same INSERTs) p50 ${raw.p50.toFixed(1)} / p99 ${raw.p99.toFixed(1)} ms ` +
        `at ${Math.round(raw.achievedRate)}/s`,
    });

    await fillLog(events.store, LOG_EVENTS);
    const rawRebuild = await rawReadAndInsert(events.store, readModels.sql, REBUILD_BATCH);
    const rebuild = await rebuildRate(events.store, readModels.sql, REBUILD_BATCH);
    rows.push({
      name: `projection.${kind}.rebuild`,
      value: rebuild.rate,
      unit: 'events/s',
      ...atLeast(rebuild.rate, 20_000),
      note:
        `${rebuild.events} events, ${REBUILD_BATCH}/tx; raw engine read-all + same INSERTs ${Math.round(rawRebuild.rate)}/s ` +
        `(read-all alone ${Math.round(rawRebuild.readRate)}/s); ${Math.round((100 * rebuild.rate) / rawRebuild.rate)}% of raw`,
    });
    return rows;
  } finally {
    await readModels.close();
    await events.close();
  }
}

export async function bench(): Promise<BenchRow[]> {
  return [...(await benchOn('pglite')), ...(await benchOn('postgres'))];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await bench()) {
    const verdict = row.pass === undefined ? '  ' : row.pass ? 'ok' : 'MISS';
    console.log(`${verdict} ${row.name} ${row.value.toFixed(1)} ${row.unit} ${row.goal ?? ''} ${row.note ?? ''}`);
  }
}
