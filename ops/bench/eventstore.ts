/**
 * Event store benchmark (issue 3 §5) on PGlite and on the real Postgres server, each figure next to the raw engine
 * measured in the same run. `npx tsx ops/bench/eventstore.ts` runs it alone.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { EventStore } from '../../contracts/eventstore.ts';
import type { Sql } from '../../contracts/sql.ts';
import { openTestEventStore } from '../testing/eventstores.ts';
import { atLeast, atMost, below, percentile, sortNumbers, type BenchRow } from './report.ts';
import {
  BATCH,
  catchUpRate,
  liveLatencies,
  pairedLatencies,
  rawBatched,
  rawReadRate,
  singleAppendLatencies,
  storeBatched,
} from './eventstore-workload.ts';
import { prepareRaw } from './eventstore-raw.ts';

/** Even, so that store and raw each go first in half of the rounds. */
const ROUNDS = 4;
/** 100-event appends of each side in the side-by-side comparison (store vs raw). */
const PAIRS = 300;
const ms = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Events/s: store and raw alternate in rounds, and which goes first alternates too, so the first round's cold caches
 * and drift of this shared machine hit both alike; best round of each. Store vs raw: from appends of both
 * interleaved one by one (pairedLatencies), the raw engine's median append time over the store's.
 */
async function batched(
  engine: string,
  store: EventStore,
  sql: Sql,
  writers: number,
  appends: number,
  watch?: IntervalHistogram,
): Promise<BenchRow[]> {
  const storeRates: number[] = [];
  const rawRates: number[] = [];
  await prepareRaw(sql);
  for (let round = 0; round < ROUNDS; round++) {
    const raw = async () => rawRates.push(await rawBatched(sql, writers, appends, `raw${writers}r${round}`));
    const ours = async () =>
      storeRates.push(await storeBatched(store, writers, appends, `es${writers}r${round}`, watch));
    if (round % 2 === 0) {
      await raw();
      await ours();
    } else {
      await ours();
      await raw();
    }
  }
  const paired = await pairedLatencies(store, sql, writers, PAIRS / writers, `pair${writers}`);
  const [storeTimes, rawTimes] = [sortNumbers(paired.store), sortNumbers(paired.raw)];
  const ratio = (percentile(rawTimes, 50) / percentile(storeTimes, 50)) * 100;
  const at = (p: number) => `${ms(percentile(storeTimes, p))} / ${ms(percentile(rawTimes, p))}`;
  const value = Math.max(...storeRates);
  const raw = Math.max(...rawRates);
  const name = `eventstore.${engine}.append.batched${BATCH}.w${writers}`;
  const range = (rates: number[]) => `${Math.round(Math.min(...rates))}..${Math.round(Math.max(...rates))}`;
  return [
    {
      name,
      value: Math.round(value),
      unit: 'events/s',
      ...atLeast(value, 15_000),
      note: `best of ${ROUNDS} rounds x ${writers * appends * BATCH} events, each side first in half (store ${range(storeRates)}); raw engine best ${Math.round(raw)} (${range(rawRates)})`,
    },
    {
      name: `${name}.vs_raw`,
      value: Math.round(ratio),
      unit: '%',
      ...atLeast(ratio, 80),
      note: `raw p50 / store p50 per 100-event append, ${PAIRS} of each interleaved, ${writers} writer(s): ms store / raw p50 ${at(50)}, p10 ${at(10)}; raw = one call, same rows and revision check`,
    },
  ];
}

async function benchEngine(engine: 'pglite' | 'postgres'): Promise<BenchRow[]> {
  const opened = await openTestEventStore(engine, { poolSize: 10 });
  const { store, sql } = opened;
  const rows: BenchRow[] = [];
  try {
    const idle = monitorEventLoopDelay({ resolution: 1 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    idle.disable();
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    rows.push(...(await batched(engine, store, sql, 1, 60, loopDelay)));
    if (engine === 'pglite') {
      const p99 = loopDelay.percentile(99) / 1e6;
      rows.push({
        name: 'eventstore.pglite.event_loop_delay.p99',
        value: ms(p99),
        unit: 'ms',
        ...below(p99, 20),
        note: `main thread while 100-event appends run flat out (max ${ms(loopDelay.max / 1e6)} ms; idle p99 ${ms(idle.percentile(99) / 1e6)} ms)`,
      });
    } else {
      rows.push(...(await batched(engine, store, sql, 4, 25)));
    }
    const single = sortNumbers(await singleAppendLatencies(store, 500, `single-${engine}`));
    const p50 = percentile(single, 50);
    rows.push(
      { name: `eventstore.${engine}.append.single.p50`, value: ms(p50), unit: 'ms', ...(engine === 'pglite' ? atMost(p50, 1.5) : {}), note: '500 one-event appends at exact revisions' },
      { name: `eventstore.${engine}.append.single.p99`, value: ms(percentile(single, 99)), unit: 'ms' },
    );
    const live = sortNumbers(await liveLatencies(store, 200, 600, `live-${engine}`));
    const lagP99 = percentile(live, 99);
    rows.push({ name: `eventstore.${engine}.subscription.lag.p99`, value: ms(lagP99), unit: 'ms', ...below(lagP99, 50), note: `append -> live subscriber, 200 appends/s, p50 ${ms(percentile(live, 50))} ms, n=${live.length}` });
    const rawRead = await rawReadRate(sql);
    const catchUp = await catchUpRate(store);
    rows.push({
      name: `eventstore.${engine}.subscription.catch_up`,
      value: Math.round(catchUp.rate),
      unit: 'events/s',
      ...atLeast(catchUp.rate, 20_000),
      note: `raw keyset read ${Math.round(rawRead)} events/s; ${catchUp.events} events from the start`,
    });
  } finally {
    await opened.close();
  }
  return rows;
}

export async function bench(): Promise<BenchRow[]> {
  return [...(await benchEngine('pglite')), ...(await benchEngine('postgres'))];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await bench()) console.log(JSON.stringify(row));
}
