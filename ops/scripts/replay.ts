/**
 * npm run replay -- <projection…|all> [--verify] [--swap] [--server <url>]
 *
 * Rebuilds projections from the event log into fresh tables (schema rebuild_<name>, kept for inspection until the
 * next replay or a swap). --verify compares the rebuild with the live tables at the live checkpoint's position
 * (exit code 1 when they differ). --swap puts the rebuild (caught up to the head of the log) in place of the live
 * tables, in one transaction; a running projector of it follows on its next batch.
 * Configuration as for the server (EVENTSTORE_URL, DATABASE_URL, SEARCH_DATABASE_URL, DATA_DIR).
 * With --server <url> the running server does the work (replayProjections, progress over replayProgress) with an
 * admin's access token from KA_ADMIN_TOKEN: the way to replay an embedded system while it serves (PGlite's files
 * belong to one process at a time). Without it, this process opens the databases itself (servers, or a stopped
 * embedded system).
 * The log is read as the live projectors read it, through the personal-data keys of the read-model database: what
 * was erased (shredded keys) is rebuilt erased.
 */
import { mkdir } from 'node:fs/promises';
import type { EventStore } from '../../contracts/eventstore.ts';
import type { Sql } from '../../contracts/sql.ts';
import type { Projector } from '../../projections/runtime/index.ts';
import { openEventStore } from '../app/open-event-store.ts';
import { protectStoredPersonalData } from '../app/personal-data.ts';
import { createProjectors, projectorNames } from '../app/projectors.ts';
import { openReadModelDatabases } from '../app/read-model-databases.ts';
import { replayProjection, type ReplayOptions } from '../app/replay-projection.ts';
import { loadConfig } from '../config/config.ts';
import { progressBars } from './replay-progress.ts';
import { replayThroughServer } from './replay-through-server.ts';

const USAGE =
  'usage: npm run replay -- <projection…|all> [--verify] [--swap] [--server <url> (token in KA_ADMIN_TOKEN)]';

/** Returns whether the rebuild equals the live tables (true when not asked to verify). */
async function replay(sql: Sql, eventStore: EventStore, projector: Projector, options: ReplayOptions): Promise<boolean> {
  const bars = progressBars();
  const bar = bars.bar(projector.name);
  const outcome = await replayProjection(sql, eventStore, projector, options, (p) => bar.update(p.fraction, p.events, p.phase)).finally(() =>
    bars.stop(),
  );
  console.log(
    `${projector.name}: rebuilt ${outcome.events} events into schema ${outcome.schema} in ${Math.round(outcome.ms)} ms ` +
      `(${outcome.eventsPerSecond} events/s), at ${outcome.position}`,
  );
  if (options.verify) {
    console.log(`${projector.name}: ${outcome.equal ? 'EQUAL to' : 'DIFFERENT from'} the live tables`);
    for (const difference of outcome.differences) console.log(`  ${difference}`);
  }
  if (outcome.swappedAt) console.log(`${projector.name}: swapped in, live checkpoint now ${outcome.swappedAt}`);
  return outcome.equal ?? true;
}

async function main(argv: string[]): Promise<number> {
  const serverAt = argv.indexOf('--server');
  const server = serverAt >= 0 ? argv[serverAt + 1] : undefined;
  const rest = serverAt >= 0 ? argv.filter((_, i) => i !== serverAt && i !== serverAt + 1) : argv;
  const flags = new Set(rest.filter((arg) => arg.startsWith('--')));
  const names = rest.filter((arg) => !arg.startsWith('--'));
  const options: ReplayOptions = { verify: flags.has('--verify'), swap: flags.has('--swap') };
  const unknown = [...flags].filter((flag) => !['--verify', '--swap'].includes(flag));
  if (serverAt >= 0) {
    if (!server || names.length === 0 || unknown.length > 0) {
      console.error(USAGE);
      return 2;
    }
    return replayThroughServer(server, process.env.KA_ADMIN_TOKEN, names, options);
  }
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
      allEqual = (await replay(sql, eventStore, projector, options)) && allEqual;
    }
    return allEqual ? 0 : 1;
  } finally {
    await sealedEventStore.close();
    await databases.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
