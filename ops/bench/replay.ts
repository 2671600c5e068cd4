/**
 * Replay benchmark (`npm run bench -- replay`): the embedded server (PGlite) with a log of wallets (deposits, holds,
 * captures: 1,000 wallets x 100 events), replayed by the server itself while it runs (replayProjections, watched over
 * replayProgress), every projection one after another. Events/s = events read from the log / the projection's time
 * (rebuild into fresh tables; no verify, no swap). The wallets projection does the work on every event; the others
 * read the same log and skip most of it. No chunks, so no HNSW index is built.
 */
import { pathToFileURL } from 'node:url';
import type { EventData } from '../../contracts/eventstore.ts';
import { walletStream } from '../../contracts/streams.ts';
import { REGISTER } from '../../query-side/resolvers/identity.testing.ts';
import { startTestApp } from '../testing/server.ts';
import { atLeast, type BenchRow } from './report.ts';

const WALLETS = 1000;
const EVENTS_PER_WALLET = 100;
const GOAL = 20_000;
const JOB = 'id phase projections { name phase events ms eventsPerSecond error }';

interface ProjectionView {
  name: string;
  phase: string;
  events: number;
  ms: number | null;
  eventsPerSecond: number | null;
  error: string | null;
}

/** A wallet's life: a deposit, then holds each captured in part, balances consistent as the wallet writes them. */
function walletEvents(userId: string): EventData[] {
  const events: EventData[] = [];
  let balance = 0;
  const deposit = 10_000_000;
  balance += deposit;
  events.push({ type: 'FundsDeposited', data: { userId, amount: deposit, reference: `grant-${userId}`, balanceAfter: balance, reservedAfter: 0 } });
  for (let turn = 0; events.length < EVENTS_PER_WALLET; turn++) {
    const reservationId = `turn-${userId}-${turn}`;
    const turnId = `${userId}-${turn}`;
    events.push({ type: 'FundsReserved', data: { userId, reservationId, amount: 5000, turnId, balanceAfter: balance, reservedAfter: 5000 } });
    balance -= 1234;
    events.push({
      type: 'FundsCaptured',
      data: { userId, reservationId, amount: 1234, reserved: 5000, released: 3766, model: 'bench-model', promptTokens: 600, completionTokens: 300, price: { promptPer1k: 800, completionPer1k: 2000 }, turnId, balanceAfter: balance, reservedAfter: 0 },
    });
  }
  return events.slice(0, EVENTS_PER_WALLET);
}

export async function bench(): Promise<BenchRow[]> {
  const app = await startTestApp({ env: { SIGNUP_GRANT: '0', LOG_LEVEL: 'warn' } });
  try {
    const admin = (await app.gql<{ register: { accessToken: string } }>(REGISTER, { email: 'admin@example.com', password: 'correct horse battery' })).data!.register;
    const filled = performance.now();
    let head = '0-0';
    for (let w = 0; w < WALLETS; w++) {
      const userId = `bench-user-${w}`;
      head = (await app.app.eventStore.append(walletStream(userId), walletEvents(userId), 'no_stream')).position;
    }
    const fillMs = performance.now() - filled;
    await app.app.runtime.waitForPosition(head, { timeoutMs: 600_000 });

    const started = await app.gql<{ replayProjections: { id: string } }>(`mutation { replayProjections(names: ["all"]) { ${JOB} } }`, {}, admin.accessToken);
    if (started.errors) throw new Error(JSON.stringify(started.errors));
    const watch = app.subscribe<{ replayProgress: { phase: string; projections: ProjectionView[] } }>(
      `subscription($id: ID!) { replayProgress(jobId: $id) { ${JOB} } }`,
      { id: started.data!.replayProjections.id },
      admin.accessToken,
    );
    await watch.done;
    const last = watch.received.at(-1)!.data!.replayProgress;
    const failed = last.projections.find((p) => p.error);
    if (failed) throw new Error(`${failed.name}: ${failed.error}`);
    const wallets = last.projections.find((p) => p.name === 'wallets')!;
    const others = last.projections.filter((p) => p.name !== 'wallets');
    const slowest = others.reduce((a, b) => ((b.eventsPerSecond ?? 0) < (a.eventsPerSecond ?? 0) ? b : a));
    const events = last.projections.reduce((sum, p) => sum + p.events, 0);
    const ms = last.projections.reduce((sum, p) => sum + (p.ms ?? 0), 0);
    const context = `${wallets.events} events in the log (${WALLETS} wallets x ${EVENTS_PER_WALLET}, appended at ${Math.round(wallets.events / (fillMs / 1000))} events/s), embedded PGlite, replayed by the running server`;
    return [
      { name: 'replay.wallets', value: wallets.eventsPerSecond ?? 0, unit: 'events/s', ...atLeast(wallets.eventsPerSecond ?? 0, GOAL), note: `the projection that writes a row per event; ${context}` },
      {
        name: 'replay.slowest-other',
        value: slowest.eventsPerSecond ?? 0,
        unit: 'events/s',
        ...atLeast(slowest.eventsPerSecond ?? 0, GOAL),
        note: `${slowest.name}, reading the same log and skipping what it does not project`,
      },
      { name: 'replay.all', value: Math.round(events / (ms / 1000)), unit: 'events/s', ...atLeast(events / (ms / 1000), GOAL), note: `${last.projections.length} projections one after another: ${last.projections.map((p) => `${p.name} ${p.eventsPerSecond}`).join(', ')}` },
    ];
  } finally {
    await app.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await bench()) console.log(row);
  process.exit(0);
}
