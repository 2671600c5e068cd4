/**
 * How long a turn's saga steps took, and how long its asker waited for the first token: read off what the saga
 * records (every turn event carries the time of its step) and what it publishes on the answer feed, then handed to
 * an observer (the app's metrics). Nothing here changes a turn: it only watches.
 *
 * A step lasts from the event that opens it to the event that records its outcome, both recorded by this process
 * (or TurnStarted, which every turn state holds). A saga that takes a turn over halfway never saw the event that
 * opened the current step, so that step is not measured rather than measured from the wrong start.
 * Only the process driving turns (the saga) is given an observer, so each step is counted once across processes.
 */
import type { AnswerChunk, AnswerFeed } from '../../contracts/answer-feed.ts';
import type { TurnEvent, TurnEventType } from '../../contracts/turns.ts';
import type { TurnState } from './state.ts';

export type TurnStep = 'reserve' | 'retrieve' | 'generate' | 'settle';

export interface TurnObserver {
  /** A saga step ended: seconds from the event that opened it to the one that records its outcome. */
  stepFinished(step: TurnStep, seconds: number): void;
  /** A turn's first token went out on the answer feed, `seconds` after the question was asked. */
  firstToken(model: string, seconds: number): void;
}

/** Which events end a step, and the event that must come right before for the step to be measured. */
const STEP_ENDS: Partial<Record<TurnEventType, { step: TurnStep; opensWith: readonly TurnEventType[] }>> = {
  TurnFundsReserved: { step: 'reserve', opensWith: ['TurnStarted'] },
  TurnReservationDeclined: { step: 'reserve', opensWith: ['TurnStarted'] },
  RetrievalCompleted: { step: 'retrieve', opensWith: ['TurnFundsReserved'] },
  AnswerCompleted: { step: 'generate', opensWith: ['GenerationStarted'] },
  AnswerStopped: { step: 'generate', opensWith: ['GenerationStarted'] },
  AnswerFailed: { step: 'generate', opensWith: ['GenerationStarted'] },
  TurnFundsCaptured: { step: 'settle', opensWith: ['AnswerCompleted', 'AnswerStopped', 'AnswerFailed'] },
  TurnFundsReleased: { step: 'settle', opensWith: ['AnswerCompleted', 'AnswerStopped', 'AnswerFailed'] },
};
/** The events that move a turn from one step to the next (a stop request or a rating does not). */
const BOUNDARIES = new Set<TurnEventType>(['TurnStarted', 'GenerationStarted', ...(Object.keys(STEP_ENDS) as TurnEventType[])]);
const END_TYPES = new Set<TurnEventType>(['TurnCompleted', 'TurnStopped', 'TurnFailed', 'TurnRejected']);
/** Turns followed at once; a turn whose end this process never records (its lease moved) is dropped oldest first. */
const MAX_TURNS = 10_000;

const timeOf = (event: TurnEvent): string => (event.type === 'TurnStarted' ? event.data.startedAt : event.data.at);

export interface TurnTimings {
  /** The saga's afterRecord: the events just recorded for a turn and its state after them. */
  recorded(turnId: string, events: readonly TurnEvent[], state: TurnState): void;
  /** The answer feed, with the first token of every turn whose generation started here timed. */
  observe(feed: AnswerFeed): AnswerFeed;
}

export function turnTimings(observer: TurnObserver, now: () => Date = () => new Date()): TurnTimings {
  const lastBoundary = new Map<string, { type: TurnEventType; at: number }>();
  const awaitingFirstToken = new Map<string, { model: string; askedAt: number }>();
  const remember = <V>(map: Map<string, V>, turnId: string, value: V) => {
    map.delete(turnId);
    map.set(turnId, value);
    if (map.size > MAX_TURNS) map.delete(map.keys().next().value!);
  };

  return {
    recorded(turnId, events, state) {
      const started = state.started;
      if (!started) return;
      let last = lastBoundary.get(turnId) ?? { type: 'TurnStarted', at: Date.parse(started.startedAt) };
      for (const event of events) {
        if (END_TYPES.has(event.type)) {
          lastBoundary.delete(turnId);
          awaitingFirstToken.delete(turnId);
          return;
        }
        if (!BOUNDARIES.has(event.type)) continue;
        const at = Date.parse(timeOf(event));
        const ends = STEP_ENDS[event.type];
        if (ends && ends.opensWith.includes(last.type)) observer.stepFinished(ends.step, Math.max(0, at - last.at) / 1000);
        if (event.type === 'GenerationStarted') {
          remember(awaitingFirstToken, turnId, { model: started.model, askedAt: Date.parse(started.startedAt) });
        }
        last = { type: event.type, at };
      }
      remember(lastBoundary, turnId, last);
    },

    observe(feed) {
      return {
        publish(chunk: AnswerChunk) {
          const waiting = !chunk.done && chunk.seq === 1 ? awaitingFirstToken.get(chunk.turnId) : undefined;
          if (waiting) {
            awaitingFirstToken.delete(chunk.turnId);
            observer.firstToken(waiting.model, Math.max(0, now().getTime() - waiting.askedAt) / 1000);
          }
          feed.publish(chunk);
        },
        lastSeq: (turnId) => feed.lastSeq(turnId),
      };
    },
  };
}

/** For processes that drive no turns. */
export const noTurnObserver: TurnObserver = { stepFinished: () => undefined, firstToken: () => undefined };
