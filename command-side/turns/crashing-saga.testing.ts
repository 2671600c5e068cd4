/**
 * A saga process that dies on purpose (SIGKILL to itself, like the OOM killer or a power cut) at a chosen step of a
 * turn, for the crash/restart test (test code only). Run with tsx; configured by environment: CRASH_KIND (pglite |
 * postgres), CRASH_LOCATION (URL or directory), CRASH_AT = started | reserve | retrieve | generate | capture |
 * settle | release | finish. It dies right after the step's side effect and before the saga records its outcome
 * (started: before the reservation; retrieve: the search ran, its outcome is not recorded; settle: right after the
 * one write of the answer and its charge; finish: the turn's end is recorded, the done chunk not published). Exits 3
 * if the step never came.
 */
import type { AnswerFeed } from '../../contracts/answer-feed.ts';
import type { AnswerGenerator } from '../../contracts/answer-generation.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { createTurns } from './create-turns.ts';
import { openTarget, sagaDeps, type CrashTarget } from './crash-saga.testing.ts';
import type { WalletPort } from './wallet-steps.ts';

const crashAt = process.env.CRASH_AT ?? '';
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const target: CrashTarget = { kind: process.env.CRASH_KIND as CrashTarget['kind'], location: process.env.CRASH_LOCATION! };
const opened = await openTarget(target);
const deps = sagaDeps(opened);

const WALLET_STEPS = { reserve: 'ReserveFunds', capture: 'CaptureFunds', release: 'ReleaseFunds' } as const;
const wallets: WalletPort = {
  // Only "settle" writes a charge with the answer in one write (dying right after it); the other steps go the usual
  // way, one write after the other, so that each can die between them.
  async decideAhead(command, metadata) {
    if (crashAt !== 'settle' || command.type !== 'CaptureFunds') throw new Error('not deciding ahead in this crash test');
    const ahead = await deps.wallets.decideAhead(command, metadata);
    const decide = async (attempt: number) => {
      const decision = await ahead.part.decide(attempt);
      return { ...decision, complete: (appended: Parameters<typeof decision.complete>[0]) => (decision.complete(appended), die()) };
    };
    return { ...ahead, part: { ...ahead.part, decide } };
  },
  async execute(command, metadata) {
    if (crashAt === 'started' && command.type === 'ReserveFunds') die();
    const result = await deps.wallets.execute(command, metadata);
    if (WALLET_STEPS[crashAt as keyof typeof WALLET_STEPS] === command.type) die();
    return result;
  },
};
// The search itself runs early (prefetched while the wallet decides): die when its outcome is about to be recorded.
const store: EventStore = {
  ...opened.store,
  append: (streamId, events, expected) =>
    crashAt === 'retrieve' && events.some((event) => event.type === 'RetrievalCompleted') ? die() : opened.store.append(streamId, events, expected),
};
const generator: AnswerGenerator = {
  ...deps.generator,
  async *generate(request) {
    let deltas = 0;
    for await (const event of deps.generator.generate(request)) {
      yield event;
      if (crashAt === 'generate' && event.type === 'delta' && ++deltas === 2) die();
    }
  },
};
const feed: AnswerFeed = {
  ...deps.feed,
  publish(chunk) {
    if (crashAt === 'finish' && chunk.done) die();
    deps.feed.publish(chunk);
  },
};

createTurns({ ...deps, store, wallets, generator, feed }).startSaga();
setTimeout(() => process.exit(3), 60_000);
