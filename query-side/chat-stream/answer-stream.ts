/**
 * answerStream(turnId, afterSeq) for one subscriber: the owner check, then the chunks after afterSeq from the
 * feed's buffer and live, then the done chunk, then the end. The feed's done chunk is best effort (the saga may die
 * between recording the end and publishing it) and its buffer expires, so the turn's events have the last word:
 * a turn found ended without a done chunk is finished from its recorded answer, status and citations.
 */
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import { DomainError } from '../../contracts/errors.ts';
import type { TurnActor, TurnView } from '../../contracts/turn-commands.ts';
import { FINISHED_TURN_STATUSES } from '../../contracts/turns.ts';
import type { DeliveryPacer } from './delivery-pacer.ts';
import { followTurn, type FollowedTurn } from './follow-turn.ts';
import type { TurnChunkSource } from './streaming-answer-feed.ts';
import { SubscriberQueue } from './subscriber-queue.ts';

export interface AnswerStreamDeps {
  feed: TurnChunkSource;
  /** The owner's turn folded from its events (TurnCommands.turn): FORBIDDEN or NOT_FOUND for anyone else. */
  turn(actor: TurnActor, turnId: string): Promise<TurnView>;
  /**
   * This actor asked this turn here moments ago (TurnCommands.askedHere): it is followed without reading it first,
   * one read fewer per question. Its end, if it came already, is in the feed (or found by the idle check).
   */
  askedHere?(actor: TurnActor, turnId: string): boolean;
  /** Delta characters a subscriber may have waiting before it is ended with SLOW_CONSUMER. Default 256 Ki. */
  maxPendingChars?: number;
  /** Spaces each subscriber's messages while the process is busy; shared by a process's subscriptions. */
  pacer?: DeliveryPacer;
  /** With no chunk for this long, the buffer is read again and the turn looked at. Default 2,000 ms. */
  idleCheckMs?: number;
  onError?(error: unknown, turnId: string): void;
}

const ended = (view: TurnView) => FINISHED_TURN_STATUSES.includes(view.status);

/** The most a client may ask answerStream to space its messages (minIntervalMs). */
export const MAX_MIN_INTERVAL_MS = 1000;

export interface AnswerStreamOptions {
  /**
   * At most one message per this many ms: the deltas in between are merged (the first message and the done chunk
   * are never held). 0..MAX_MIN_INTERVAL_MS; default 0, every delta at once while the process has room.
   */
  minIntervalMs?: number;
}

/**
 * What is left of the answer after what this reader has (`delivered`), from the recorded answer: the text the
 * buffer shows was streamed up to `delivered` must be the answer's beginning; the rest is the tail. Undefined when
 * that cannot be told (the buffer no longer has those chunks).
 */
function untoldTail(answer: string, buffered: readonly AnswerChunk[], delivered: number): string | undefined {
  if (delivered === 0) return answer;
  const streamed = buffered.filter((c) => c.seq <= delivered && !c.done);
  if (streamed.length !== delivered || streamed.some((c, i) => c.seq !== i + 1)) return undefined;
  const text = streamed.map((c) => c.delta).join('');
  return answer.startsWith(text) ? answer.slice(text.length) : '';
}

export async function openAnswerStream(
  deps: AnswerStreamDeps,
  actor: TurnActor,
  turnId: string,
  afterSeq: number,
  options: AnswerStreamOptions = {},
): Promise<AsyncIterableIterator<AnswerChunk>> {
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) {
    throw new DomainError('BAD_USER_INPUT', 'afterSeq must be a whole number, 0 or more', { afterSeq });
  }
  const minIntervalMs = options.minIntervalMs ?? 0;
  if (!Number.isInteger(minIntervalMs) || minIntervalMs < 0 || minIntervalMs > MAX_MIN_INTERVAL_MS) {
    throw new DomainError('BAD_USER_INPUT', `minIntervalMs must be a whole number from 0 to ${MAX_MIN_INTERVAL_MS}`, { minIntervalMs });
  }
  const view = deps.askedHere?.(actor, turnId) ? undefined : await deps.turn(actor, turnId);
  const idleCheckMs = deps.idleCheckMs ?? 2000;
  // Set once following starts; the queue may close before (a replay beyond the subscriber's bound).
  const following: { current?: FollowedTurn } = {};
  let timer: NodeJS.Timeout | undefined;
  let lastChunkAt = Date.now();
  const queue = new SubscriberQueue({
    maxPendingChars: deps.maxPendingChars ?? 256 * 1024,
    ...(deps.pacer && { pacer: deps.pacer }),
    minIntervalMs,
    onClose: () => {
      clearTimeout(timer);
      following.current?.close();
    },
  });
  const reportError = (error: unknown) => deps.onError?.(error, turnId);

  /** Ends the stream from the turn's events: the untold tail of its answer, then the done chunk. */
  async function finishFromEvents(endView: TurnView, following: FollowedTurn): Promise<void> {
    await following.resync();
    if (following.finished || queue.isClosed) return;
    const delivered = following.delivered;
    // A turn that ended with no recorded answer (failed, rejected) has nothing untold, whatever the buffer kept.
    const recorded = endView.answer ?? '';
    const tail = delivered === 0 || recorded === '' ? recorded : untoldTail(recorded, await deps.feed.read(turnId, 0), delivered);
    if (tail === undefined && delivered === afterSeq) {
      throw new DomainError('CONFLICT', `the answer's chunks after seq ${afterSeq} are no longer kept; subscribe with afterSeq 0 for the whole answer`, {
        reason: 'REPLAY_EXPIRED',
        turnId,
        afterSeq,
      });
    }
    const chunks: AnswerChunk[] = [];
    if (tail) chunks.push({ turnId, seq: delivered + 1, delta: tail, done: false });
    chunks.push({ turnId, seq: delivered + chunks.length + 1, delta: '', done: true, status: endView.status, citations: endView.citations });
    following.finishWith(chunks);
  }

  async function checkWhileIdle(following: FollowedTurn): Promise<void> {
    const quietFor = Date.now() - lastChunkAt;
    if (quietFor >= idleCheckMs) {
      await following.resync();
      if (following.finished || queue.isClosed) return;
      if (Date.now() - lastChunkAt >= idleCheckMs) {
        const now = await deps.turn(actor, turnId);
        if (ended(now)) return finishFromEvents(now, following);
      }
    }
    armIdleCheck(following, Math.max(0, idleCheckMs - (Date.now() - lastChunkAt)) || idleCheckMs);
  }

  function armIdleCheck(following: FollowedTurn, delayMs: number): void {
    if (queue.isClosed) return;
    timer = setTimeout(() => {
      checkWhileIdle(following).catch((error: unknown) => {
        reportError(error);
        queue.fail(error);
      });
    }, delayMs);
    timer.unref();
  }

  const follow = (following.current = await followTurn(
    deps.feed,
    turnId,
    afterSeq,
    {
      chunk: (chunk, replayed) => {
        lastChunkAt = Date.now();
        queue.push(chunk, replayed);
      },
      finish: () => queue.end(),
    },
    reportError,
  ));
  try {
    if (queue.isClosed) follow.close();
    else if (!follow.finished && view && ended(view)) await finishFromEvents(view, follow);
    else if (!follow.finished) armIdleCheck(follow, idleCheckMs);
  } catch (error) {
    follow.close();
    throw error;
  }
  return queue;
}
