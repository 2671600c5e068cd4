/**
 * The answer feed's last chunk of a turn (done, final status, citations), published once the turn's end is recorded,
 * numbered after whatever this process (or, after a crash, its predecessor) published. Best effort: a reader who
 * misses it (this process died first) finds the end in the log.
 */
import type { AnswerFeed } from '../../contracts/answer-feed.ts';
import type { TurnEvent } from '../../contracts/turns.ts';
import type { RunningGenerations } from './running-generations.ts';
import { statusOf, type TurnState } from './state.ts';

export function publishDoneOnEnd(feed: AnswerFeed, generations: RunningGenerations) {
  return async (turnId: string, events: readonly TurnEvent[], state: TurnState): Promise<void> => {
    if (!state.end || !events.some((event) => event.type === state.end!.type)) return;
    const last = generations.takeLastSeq(turnId) ?? (await feed.lastSeq(turnId));
    const citations = state.answer && state.answer.kind !== 'failed' ? state.answer.citations : [];
    feed.publish({ turnId, seq: last + 1, delta: '', done: true, status: statusOf(state)!, citations });
  };
}
