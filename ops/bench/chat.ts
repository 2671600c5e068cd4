/**
 * `npm run bench -- chat` (issue 10, point 4):
 * - overhead: ask -> first token on answerStream minus the stub provider's own time to first token, 20 concurrent
 *   askers, embedded default (chat-overhead.ts: the app alone on the main thread, as in production; the stub provider
 *   and the askers in a worker thread, chat-askers.ts); next to the same provider call made directly with `openai` by as
 *   many callers at once (the baseline); the goal rows with
 *   the stub's short fast answers (20 tokens 5 ms apart), once the server is warm; then the same askers asking at the
 *   same instant (the worst case of 20 concurrent questions), and one row with answers at a real model's pace;
 * - 500 answer streams on one instance: aggregate tokens/s delivered, and at 500 x 50 tokens/s the latency of each
 *   token from its publication to its client, none lost or reordered (chat-delivery.ts).
 * CHAT_BENCH_SCALE (default 1) shrinks the runs for a smoke test on a busy machine, e.g. 0.1.
 * Runnable alone: `npx tsx ops/bench/chat.ts`.
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { measureThroughput, measurePaced, type DeliveryResult } from './chat-delivery.ts';
import { measureOverhead } from './chat-overhead.ts';
import { atLeast, atMost, below, percentile, sortNumbers, type BenchRow } from './report.ts';

const SCALE = Number(process.env.CHAT_BENCH_SCALE ?? '1');
const scaled = (n: number, least = 1) => Math.max(least, Math.round(n * SCALE));
const load = () => `load ${loadavg()[0]!.toFixed(1)}`;
/** What the delivery rows leave out: they measure the server's streaming layer alone. */
const STREAMING_ONLY =
  'tokens published straight to the in-process answer feed (no provider, no saga, no event store), clients in another process';

function integrity(name: string, result: DeliveryResult): BenchRow {
  const { report, published } = result;
  const lost = published - report.tokens + report.broken + report.unfinished;
  return {
    name,
    value: lost,
    unit: 'tokens/streams',
    ...atMost(lost, 0),
    note: `${report.tokens}/${published} tokens, ${report.broken} streams out of order, ${report.unfinished} without done`,
  };
}

/**
 * Unmeasured questions per asker before the 20-asker goal rows: 3,000 in all, ~25 s of load, so that the figures
 * are those of a server that has been answering for a while rather than of V8 still compiling its hot paths
 * (chat-overhead.ts). The rounds still in the warm-up are reported in the note (rounds 4-13 and 16-35).
 */
const WARM_ROUNDS = 150;
/** Rounds asked by all askers at the same instant, after the measured ones. */
const TOGETHER_ROUNDS = 10;

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const askers = 20;
  const single = await measureOverhead(1, scaled(20, 5));
  rows.push({
    name: 'chat.ask-to-first-token.overhead.one-asker.p50',
    value: single.p50,
    unit: 'ms',
    note: `one question at a time, ${single.samples}, asker and stub in a worker thread; p99 ${single.p99.toFixed(1)}; to provider p50 ${single.toProvider.p50.toFixed(1)}, to client p50 ${single.toClient.p50.toFixed(1)}; baseline, the same provider call made directly with the openai client (no app): p50 ${single.directP50.toFixed(1)} / p99 ${single.directP99.toFixed(1)} ms; ${load()}`,
  });
  const before = load();
  // Measured once the server has been answering for a while (WARM_ROUNDS); the rounds of the warm-up that earlier
  // runs measured (16-35) are in the note.
  const warmRounds = scaled(WARM_ROUNDS, 15);
  const overhead = await measureOverhead(askers, scaled(20, 2), warmRounds, undefined, { togetherRounds: scaled(TOGETHER_ROUNDS, 2) });
  const together = overhead.together!;
  const direct = `baseline, the same provider call made directly with the openai client by ${askers} callers at once (no app): p50 ${overhead.directP50.toFixed(1)} / p99 ${overhead.directP99.toFixed(1)} ms`;
  rows.push(
    {
      name: 'chat.ask-to-first-token.overhead.p50',
      value: overhead.p50,
      unit: 'ms',
      ...below(overhead.p50, 30),
      note: `${askers} askers (and the stub provider) in a worker thread of this process, ${overhead.samples} questions after ${warmRounds} unmeasured each (in the warm-up, rounds 16-35: p50 ${overhead.settling.p50.toFixed(0)} / p99 ${overhead.settling.p99.toFixed(0)} ms; rounds 4-13: p50 ${overhead.early.p50.toFixed(0)} / p99 ${overhead.early.p99.toFixed(0)} ms; the first, right after start: p50 ${overhead.firstRound.p50.toFixed(0)} / p99 ${overhead.firstRound.p99.toFixed(0)} ms); ${direct}; ${before}`,
    },
    { name: 'chat.ask-to-first-token.overhead.p99', value: overhead.p99, unit: 'ms', ...below(overhead.p99, 80), note: load() },
    {
      name: 'chat.ask-to-first-token.to-provider.p50',
      value: overhead.toProvider.p50,
      unit: 'ms',
      note: `of which ask sent -> provider request (the ask and its one write, then the saga: the hold decided, the search; the hold's write with GenerationStarted goes out beside the request); p99 ${overhead.toProvider.p99.toFixed(1)}`,
    },
    {
      name: 'chat.ask-to-first-token.to-client.p50',
      value: overhead.toClient.p50,
      unit: 'ms',
      note: `of which provider's first token -> answerStream client (openai client, the hold's write if still in flight, saga, feed, WebSocket); p99 ${overhead.toClient.p99.toFixed(1)}`,
    },
    {
      name: 'chat.ask-to-first-token.overhead.together.p50',
      value: together.p50,
      unit: 'ms',
      note: `the same ${askers} askers then asking at the same instant, ${together.samples} questions (each round once all answers of the one before were read, 100 ms later); p99 ${together.p99.toFixed(1)}; to provider p50 ${together.toProvider.p50.toFixed(1)}, to client p50 ${together.toClient.p50.toFixed(1)}; ${load()}`,
    },
  );

  // The same 20 askers with answers of a real model's length and pace (200 tokens at 50 tokens/s) and 0-4 s of
  // thinking between questions: ~3 questions a second, a load that leaves the cores room. Shown next to the goal
  // rows, not instead of them.
  const modelPace = await measureOverhead(askers, scaled(5, 2), 2, { tokens: 200, delayMs: 20, thinkMs: 4000 }, { baseline: false });
  rows.push(
    {
      name: 'chat.ask-to-first-token.overhead.model-pace.p50',
      value: modelPace.p50,
      unit: 'ms',
      note: `${askers} askers (and the stub) in a worker thread, answers of 200 tokens at 50 tokens/s, 0-4 s of thinking before each question, ${modelPace.samples} questions after 2 unmeasured each; p99 ${modelPace.p99.toFixed(1)}; ${load()}`,
    },
  );

  const streams = scaled(500, 10);
  const burst = await measureThroughput(streams, scaled(400, 50));
  const perSecond = burst.report.tokens / burst.seconds;
  rows.push(
    {
      name: 'chat.delivery.throughput',
      value: perSecond,
      unit: 'tokens/s',
      ...atLeast(perSecond, 50_000),
      note: `${streams} streams, ${burst.report.messages} messages (${(burst.report.tokens / burst.report.messages).toFixed(1)} tokens each); ${STREAMING_ONLY}; ${load()}`,
    },
    integrity('chat.delivery.throughput.lost-or-reordered', burst),
  );

  const paced = await measurePaced(streams, 50, Math.max(2, 10 * SCALE));
  const latencies = sortNumbers(paced.report.latencies);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const note = `${streams} streams x 50 tokens/s, ${paced.report.tokens} tokens in ${paced.report.messages} messages; latency from publication to receipt; ${STREAMING_ONLY}; ${load()}`;
  rows.push(
    { name: 'chat.delivery.paced.latency.p50', value: p50, unit: 'ms', ...below(p50, 50), note },
    { name: 'chat.delivery.paced.latency.p99', value: p99, unit: 'ms', ...below(p99, 250), note: `max ${latencies.at(-1)?.toFixed(1)} ms` },
    integrity('chat.delivery.paced.lost-or-reordered', paced),
  );
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  for (const row of await bench()) console.log(JSON.stringify(row));
  process.exit(0);
}
