/**
 * Wallet throughput and latency (issue 4), on the embedded PGlite store and on the real Postgres server:
 * - one hot wallet, 50 concurrent callers, each doing reserve then capture: reservations/s and p50/p99 of the pair;
 *   funded for 80% of the pairs, so the last ~20% are declined (counted, never captured) and the log is checked;
 * - the same through the plain read-decide-append-retry handler (command-side/decider.ts), for comparison;
 * - 1,000 wallets, 50 concurrent callers reserving on random wallets: reservations/s;
 * - every stream folded afterwards: overdrafts (available < 0 at any step) must be 0.
 * Runnable alone: `npx tsx ops/bench/wallet.ts`.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { handleCommand } from '../../command-side/decider.ts';
import { walletDecider } from '../../command-side/wallet/decider.ts';
import { WalletCommandHandler } from '../../command-side/wallet/handler.ts';
import { walletViolations } from '../../command-side/wallet/invariants.ts';
import type { WalletState } from '../../command-side/wallet/state.ts';
import { readWalletEvents, registerTestUser } from '../../command-side/wallet/testing.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { walletStream } from '../../contracts/streams.ts';
import type { WalletCommand } from '../../contracts/wallet.ts';
import { openTestEventStore } from '../testing/eventstores.ts';
import { atLeast, percentile, sortNumbers, type BenchRow } from './report.ts';

const CALLERS = 50;
const price = { promptPer1k: 800, completionPer1k: 2000 };

type Execute = (command: WalletCommand) => Promise<{ state: WalletState }>;

const RESERVE = 1000;
const CAPTURE = 700;

/**
 * `total` reservations spread over CALLERS concurrent loops; wallets picked by `walletOf(i)`. With `capture`, each
 * granted reservation is captured (CAPTURE of RESERVE, the rest released); a declined one holds nothing and is not
 * captured (capturing it would be a CONFLICT). Latencies are of granted pairs only; declines are counted.
 */
async function run(execute: Execute, total: number, walletOf: (i: number) => string, capture: boolean) {
  const latencies: number[] = [];
  let declined = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      for (let i = next++; i < total; i = next++) {
        const userId = walletOf(i);
        const reservationId = `b${i}`;
        const t0 = performance.now();
        const { state } = await execute({ type: 'ReserveFunds', data: { userId, reservationId, amount: RESERVE, turnId: reservationId } });
        if (state.reservations.get(reservationId)?.status === 'declined') {
          declined++;
          continue;
        }
        if (capture) {
          await execute({
            type: 'CaptureFunds',
            data: { userId, reservationId, amount: CAPTURE, model: 'bench', promptTokens: 500, completionTokens: 150, price },
          });
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = sortNumbers(latencies);
  return { perSecond: total / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), declined, granted: total - declined };
}

async function rawAppends(store: EventStore, total: number): Promise<number> {
  const prefix = randomUUID();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      for (let i = next++; i < total; i = next++) {
        await store.append(`raw-${prefix}-${i % 1000}`, [{ type: 'Raw', data: { i } }], 'any');
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function overdrafts(store: EventStore, userIds: readonly string[]): Promise<number> {
  let count = 0;
  for (const userId of userIds) {
    const { violations } = walletViolations(await readWalletEvents(store, userId));
    count += violations.length;
  }
  return count;
}

async function fund(wallets: WalletCommandHandler, store: EventStore, userId: string, amount: number) {
  await registerTestUser(store, userId);
  await wallets.execute({ type: 'Deposit', data: { userId, amount, reference: 'bench' } });
}

/** Share of the hot wallet's pairs its funding covers: ~1 in 5 reservations must find too little available. */
const HOT_GRANTED = 0.8;

function declinedRow(kind: string, declined: number, total: number): BenchRow {
  const [low, high] = [Math.round(total * 0.15), Math.round(total * 0.25)];
  return {
    name: `wallet.${kind}.hot.declined`,
    value: declined,
    unit: 'reservations',
    goal: `${low}..${high}`,
    pass: declined >= low && declined <= high,
    note: `${((declined / total) * 100).toFixed(1)}% of ${total}: funded for ${HOT_GRANTED * 100}% of the pairs`,
  };
}

/**
 * The hot wallet's stream against what the callers saw: as many declines and captures as they counted, every hold
 * closed, balance = funding - captures, and no step with available < 0 (walletViolations checks every step).
 */
async function hotLedgerRow(
  kind: string,
  store: EventStore,
  userId: string,
  funding: number,
  counted: { declined: number; granted: number },
): Promise<BenchRow> {
  const events = await readWalletEvents(store, userId);
  const { violations, state } = walletViolations(events);
  const declines = events.filter((e) => e.type === 'ReservationDeclined').length;
  const captures = events.filter((e) => e.type === 'FundsCaptured').length;
  const problems = [
    ...violations,
    ...(declines === counted.declined ? [] : [`${declines} declines in the log, callers saw ${counted.declined}`]),
    ...(captures === counted.granted ? [] : [`${captures} captures in the log, callers made ${counted.granted}`]),
    ...(state.reserved === 0 ? [] : [`${state.reserved} still reserved`]),
    ...(state.balance === funding - captures * CAPTURE ? [] : [`balance ${state.balance} != funding - captures`]),
  ];
  return {
    name: `wallet.${kind}.hot.ledger_problems`,
    value: problems.length,
    unit: 'problems',
    goal: '= 0',
    pass: problems.length === 0,
    note: problems[0] ?? `log agrees: ${declines} declines, ${captures} captures, balance ${state.balance}, available never < 0 at any step`,
  };
}

async function benchKind(kind: 'pglite' | 'postgres'): Promise<BenchRow[]> {
  const test = await openTestEventStore(kind);
  const rows: BenchRow[] = [];
  try {
    const { store } = test;
    const wallets = new WalletCommandHandler(store);

    // One hot wallet funded for HOT_GRANTED of the pairs: once it runs dry, the remaining reservations are declined.
    const hot = randomUUID();
    const hotPairs = kind === 'pglite' ? 3000 : 4000;
    const funding = Math.round(hotPairs * HOT_GRANTED * CAPTURE);
    await fund(wallets, store, hot, funding);
    const hotRun = await run((c) => wallets.execute(c), hotPairs, () => hot, true);
    const pairs = `${hotRun.granted} reserve+capture pairs`;
    rows.push({ name: `wallet.${kind}.hot.reservations`, value: hotRun.perSecond, unit: '/s', ...atLeast(hotRun.perSecond, 200), note: `1 wallet, ${CALLERS} callers, ${hotPairs} reservations: ${pairs}, ${hotRun.declined} declined once it ran dry, near the end (reserve only, no capture)` });
    rows.push({ name: `wallet.${kind}.hot.reserve_capture.p50`, value: hotRun.p50, unit: 'ms', note: `granted pairs only (${hotRun.granted})` });
    rows.push({ name: `wallet.${kind}.hot.reserve_capture.p99`, value: hotRun.p99, unit: 'ms' });
    rows.push(declinedRow(kind, hotRun.declined, hotPairs));
    rows.push(await hotLedgerRow(kind, store, hot, funding, hotRun));

    // The plain handler: every caller reads the whole stream, decides and races for the revision.
    const plain = randomUUID();
    await fund(wallets, store, plain, 10_000_000);
    const plainPairs = 60;
    const plainRun = await run(
      (c) => handleCommand(store, walletStream(c.data.userId), walletDecider, c, { maxRetries: 1000 }),
      plainPairs,
      () => plain,
      false,
    );
    rows.push({ name: `wallet.${kind}.hot.plain_handler.reservations`, value: plainRun.perSecond, unit: '/s', note: `no queue/cache: read-decide-append-retry, ${plainPairs} reservations` });

    // The ceiling: plain single-event appends by the same 50 callers to 1,000 streams, measured in the same run.
    const rawTotal = kind === 'pglite' ? 5000 : 8000;
    const raw = await rawAppends(store, rawTotal);
    rows.push({ name: `wallet.${kind}.raw_appends_1000_streams`, value: raw, unit: '/s', note: `event store alone, ${CALLERS} callers, ${rawTotal} single-event appends: the ceiling of the next figure` });

    // 1,000 wallets.
    const many = Array.from({ length: 1000 }, () => randomUUID());
    for (const userId of many) await fund(wallets, store, userId, 50_000_000);
    const spread = kind === 'pglite' ? 5000 : 8000;
    const manyRun = await run((c) => wallets.execute(c), spread, (i) => many[(i * 7919) % many.length]!, false);
    rows.push({ name: `wallet.${kind}.wallets1000.reservations`, value: manyRun.perSecond, unit: '/s', ...atLeast(manyRun.perSecond, 1000), note: `${CALLERS} callers, ${spread} reservations (${manyRun.declined} declined)` });
    const manyPairs = await run((c) => wallets.execute(c), 2000, (i) => many[(i * 104729 + 13) % many.length]!, true);
    rows.push({ name: `wallet.${kind}.wallets1000.reserve_capture.p50`, value: manyPairs.p50, unit: 'ms' });
    rows.push({ name: `wallet.${kind}.wallets1000.reserve_capture.p99`, value: manyPairs.p99, unit: 'ms' });

    const violations = await overdrafts(store, [hot, plain, ...many]);
    rows.push({ name: `wallet.${kind}.overdrafts`, value: violations, unit: 'violations', goal: '= 0', pass: violations === 0, note: 'every stream folded, every step checked' });
  } finally {
    await test.close();
  }
  return rows;
}

export async function bench(): Promise<BenchRow[]> {
  return [...(await benchKind('pglite')), ...(await benchKind('postgres'))];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await bench();
  for (const row of rows) console.log(`${row.pass === false ? 'MISS' : 'ok  '} ${row.name} ${row.value.toFixed(1)} ${row.unit} ${row.goal ?? ''} ${row.note ?? ''}`);
  process.exit(0);
}
