/**
 * npm run replay -- <projection…|all> [--verify] [--swap]
 *
 * Rebuilds projections from the event log into fresh tables (schema rebuild_<name>, kept for inspection until the
 * next replay or a swap). --verify compares the rebuild with the live tables at the live checkpoint's position
 * (exit code 1 when they differ). --swap puts the rebuild (caught up to the head of the log) in place of the live
 * tables, in one transaction; a running projector of it follows on its next batch.
 * Configuration as for the server (EVENTSTORE_URL, DATABASE_URL, SEARCH_DATABASE_URL, DATA_DIR). On the embedded PGlite databases stop
 * the server first: PGlite's files belong to one process at a time.
 * The log is read as the live projectors read it, through the personal-data keys of the read-model database: what
 * was erased (shredded keys) is rebuilt erased.
 */
import { mkdir } from 'node:fs/promises';
import type { EventStore } from '../../contracts/eventstore.ts';
import {
  catchUpRebuild,
  rebuildProjection,
  swapRebuild,
  verifyRebuild,
  type Projector,
} from '../../projections/runtime/index.ts';
import { readCheckpoint } from '../../projections/runtime/checkpoints.ts';
import { openEventStore } from '../app/open-event-store.ts';
import { protectStoredPersonalData } from '../app/personal-data.ts';
import { createProjectors, projectorNames } from '../app/projectors.ts';
import { openReadModelDatabases } from '../app/read-model-databases.ts';
import { loadConfig } from '../config/config.ts';
import type { Sql } from '../../contracts/sql.ts';

const USAGE = 'usage: npm run replay -- <projection…|all> [--verify] [--swap]';

async function liveCheckpoint(sql: Sql, projector: Projector): Promise<string | undefined> {
  try {
    return (await sql.transaction((tx) => readCheckpoint(tx, projector.name)))?.position;
  } catch {
    return undefined; // no projector has ever run against this database
  }
}

const rate = (events: number, ms: number) => Math.round(events / (ms / 1000));

/** Returns whether the rebuild equals the live tables (true when not asked to verify). */
async function replay(sql: Sql, eventStore: EventStore, projector: Projector, flags: Set<string>): Promise<boolean> {
  const target = { sql, eventStore, projector };
  // To compare, the rebuild must stand where the live tables stand: stop there, then catch up for a swap.
  const until = flags.has('--verify') ? await liveCheckpoint(sql, projector) : undefined;
  const rebuilt = await rebuildProjection(target, until);
  console.log(
    `${projector.name}: rebuilt ${rebuilt.events} events into schema ${rebuilt.schema} in ${Math.round(rebuilt.ms)} ms ` +
      `(${rate(rebuilt.events, rebuilt.ms)} events/s), at ${rebuilt.position}`,
  );
  let equal = true;
  if (flags.has('--verify')) {
    const result = await verifyRebuild({ ...target, schema: rebuilt.schema });
    equal = result.equal;
    console.log(`${projector.name}: ${result.equal ? 'EQUAL to' : 'DIFFERENT from'} the live tables at ${result.position}`);
    if (result.reason) console.log(`  ${result.reason}`);
    for (const table of result.tables) {
      const state = table.missingLive ? 'missing in live' : `${table.onlyLive} rows only live, ${table.onlyRebuilt} only rebuilt`;
      console.log(`  ${table.table}: ${state}`);
    }
  }
  if (flags.has('--swap')) {
    const caughtUp = await catchUpRebuild({ ...target, schema: rebuilt.schema });
    const checkpoint = await swapRebuild(sql, projector, rebuilt.schema);
    console.log(`${projector.name}: swapped in, live checkpoint now ${checkpoint.position} (${caughtUp.events} events caught up)`);
  }
  return equal;
}

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((arg) => arg.startsWith('--')));
  const names = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = [...flags].filter((flag) => !['--verify', '--swap'].includes(flag));
  const config = loadConfig();
  const projectorNamesKnown = projectorNames(config);
  const known = projectorNamesKnown.join(', ');
  if (names.length === 0 || unknown.length > 0) {
    console.error(`${USAGE}\nprojections: ${known}`);
    return 2;
  }
  const missing = names.filter((name) => name !== 'all' && !projectorNamesKnown.includes(name));
  if (missing.length > 0) {
    console.error(`no projection named ${missing.join(', ')}; projections: ${known}`);
    return 2;
  }
  await mkdir(config.dataDir, { recursive: true });
  const sealedEventStore = await openEventStore({ url: config.EVENTSTORE_URL, dataDir: config.eventStoreDir });
  const databases = await openReadModelDatabases(config, { name: 'knowledge-assistant-replay' });
  try {
    const { eventStore } = await protectStoredPersonalData(sealedEventStore, databases.readModels);
    // The projectors as the app builds them on these databases (without pgvector the search index is lexical).
    const projectors = createProjectors(config, { searchIndexVectors: databases.searchIndexVectors });
    const chosen = names.includes('all') ? projectors : projectors.filter((p) => names.includes(p.name));
    let allEqual = true;
    for (const projector of chosen) {
      const sql = databases.byProjector[projector.name] ?? databases.readModels;
      allEqual = (await replay(sql, eventStore, projector, flags)) && allEqual;
    }
    return allEqual ? 0 : 1;
  } finally {
    await sealedEventStore.close();
    await databases.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
