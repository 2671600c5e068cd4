/**
 * Ask to first token, in the embedded default (PGlite, saga in process): the app alone on this process's main
 * thread, and a chat model served by the OpenAI stub server with the askers in a worker thread (chat-askers.ts).
 * `askers` users, signed up and connected first, ask at once, each `warmRounds` unmeasured questions and then
 * `rounds` measured ones, one after another, each reading the answer on answerStream over the one WebSocket it keeps
 * open (as a chat client does; subscribed right after ask returns, the replay covers a token published before the
 * subscription is live). Overhead = ask sent -> first token received, minus the stub's own time to first token (its
 * request received -> first token written). Optionally, then, rounds in which all askers ask at the same instant.
 * The knowledge bases are empty: retrieval is one BM25 query that finds nothing. Baseline in the same run: the app's
 * provider call (the same request body) made directly with the `openai` client, by as many callers at once as askers,
 * each reading whole answers one after another.
 */
import { Worker } from 'node:worker_threads';
import { startTestApp, type TestApp } from '../testing/server.ts';
import type { AskersPlan, AskersResult, StubPace } from './chat-askers.ts';
import { percentile, sortNumbers } from './report.ts';
import { stubChatEnv } from './stub-chat-env.ts';
import { messageWith } from './thread-messages.ts';

export type { StubPace } from './chat-askers.ts';

/** Short answers fast, no thinking: 20 askers then keep ~50 questions a second coming (the load). */
export const BURST_PACE: StubPace = { tokens: 20, delayMs: 5, thinkMs: 0 };

export interface OverheadResult {
  p50: number;
  p99: number;
  samples: number;
  /** The first question of every asker after the server started (unmeasured warm-up): overhead p50 / p99. */
  firstRound: { p50: number; p99: number };
  /** Rounds 4 to 13 of every asker (early in the warm-up, when there is one): overhead p50 / p99. */
  early: { p50: number; p99: number };
  /** Rounds 16 to 35 of every asker (still in the warm-up, when it is longer): overhead p50 / p99. */
  settling: { p50: number; p99: number };
  /** The rounds asked together (`togetherRounds`), all askers at the same instant: overhead and its parts. */
  together?: { p50: number; p99: number; samples: number; toProvider: { p50: number; p99: number }; toClient: { p50: number; p99: number } };
  /** Of the overhead: ask sent -> the provider's request received (the ask, then the saga up to generation). */
  toProvider: { p50: number; p99: number };
  /** Of the overhead: the provider's first token written -> received on answerStream (the streaming path). */
  toClient: { p50: number; p99: number };
  /** The app's provider call made directly with the openai client, as many at once as askers: overhead p50 / p99 (NaN without a baseline). */
  directP50: number;
  directP99: number;
}

const spread = (values: number[]) => {
  const sorted = sortNumbers(values);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/** The askers' worker, and the first message it sends with `key`. */
function startAskers(plan: AskersPlan) {
  const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), {
    workerData: { module: new URL('./chat-askers.ts', import.meta.url).href, plan },
  });
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the askers' worker ended (exit code ${code})`)));
  });
  failed.catch(() => undefined);
  const next = <T>(key: string): Promise<T> => Promise.race([failed, messageWith<T>(worker, key)]);
  return { worker, next };
}

export interface OverheadOptions {
  /** Rounds asked by all askers at the same instant, after the measured ones. Default 0. */
  togetherRounds?: number;
  /** Measure the baseline first. Default true. */
  baseline?: boolean;
}

export async function measureOverhead(
  askers: number,
  rounds: number,
  warmRounds = 3,
  pace: StubPace = BURST_PACE,
  { togetherRounds = 0, baseline = true }: OverheadOptions = {},
): Promise<OverheadResult> {
  const { worker, next } = startAskers({ askers, rounds: warmRounds + rounds, pace, togetherRounds, baseline });
  let app: TestApp | undefined;
  try {
    const stubURL = await next<string>('stub');
    app = await startTestApp({ env: { ...stubChatEnv(stubURL, 100_000_000), RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    worker.postMessage({ app: { url: app.url, wsUrl: app.wsUrl } });
    // `warmRounds` unmeasured rounds: a server that has just started answers its first questions several times
    // slower (the JIT has not optimised the paths yet, and every asker's wallet and knowledge base are read for the
    // first time; measured: the first round, 20 asks at the same instant, p50 ~350 ms, falling to ~90 ms by the
    // sixth). Optimising goes on far longer than that: after 15 rounds (300 questions, ~3 s) V8's compiler threads
    // still took ~15% of the process's CPU (2.2 s of TurboFan jobs in the next 4 s), after 150 rounds a tenth of
    // that. The first rounds' figures are kept and reported apart. Each asker goes straight on from its warm-up
    // to the measured questions: a barrier in between would make the first measured round a burst of 20 asks at
    // the same instant, which chat users do not do (the rounds asked together are reported apart).
    const { asked, direct } = await next<AskersResult>('done');
    const samples = asked.flatMap((questions) => questions.slice(warmRounds, warmRounds + rounds));
    const asTogether = asked.flatMap((questions) => questions.slice(warmRounds + rounds));
    const overhead = spread(samples.map((s) => s.overhead));
    const directSpread = spread(direct);
    return {
      ...overhead,
      firstRound: spread(asked.map((questions) => questions[0]!.overhead)),
      early: spread(asked.flatMap((questions) => questions.slice(3, 13)).map((s) => s.overhead)),
      settling: spread(asked.flatMap((questions) => questions.slice(15, 35)).map((s) => s.overhead)),
      together:
        togetherRounds > 0
          ? {
              ...spread(asTogether.map((s) => s.overhead)),
              samples: asTogether.length,
              toProvider: spread(asTogether.map((s) => s.toProvider)),
              toClient: spread(asTogether.map((s) => s.toClient)),
            }
          : undefined,
      samples: samples.length,
      toProvider: spread(samples.map((s) => s.toProvider)),
      toClient: spread(samples.map((s) => s.toClient)),
      directP50: directSpread.p50,
      directP99: directSpread.p99,
    };
  } finally {
    await app?.close();
    worker.postMessage({ close: true });
    await new Promise((resolve) => worker.once('exit', resolve));
  }
}
