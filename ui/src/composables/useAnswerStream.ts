/**
 * Following one turn's answer on Subscription.answerStream, across reconnects, without losing or repeating a word.
 *
 * `followAnswer` is the resume logic, framework-free and driven by an injected source so it can be tested with a
 * scripted one: the text is the deltas in seq order; a chunk at or below the last seq is a copy (a replay after a
 * reconnect) and is ignored; when the WebSocket closes before the end, the subscription is dropped and opened again
 * after the last seq; the done chunk brings the status and citations and ends it.
 *
 * A chunk whose seq jumps ahead (lastSeq + 3) is taken whole: the server merges the deltas that wait while it or the
 * client is busy into one chunk carrying the last seq of the range, and one subscription over one socket never
 * skips (TCP, and the server's sequencer). Resubscribing on such a jump would replay a merged chunk with the same
 * jump again, and churn the server exactly when it is busy.
 *
 * `useAnswerStream` wires it to the app's graphql-ws client and hands the page a reactive copy updated at most every
 * other animation frame (MIN_UPDATE_GAP_MS): tokens may come at 500 a second, the Markdown is rendered ~30 times a
 * second.
 */
import { stringifyDocument } from '@urql/core';
import { onScopeDispose, shallowReactive } from 'vue';
import { graphql } from '../graphql/generated';
import type { ChatCitationFieldsFragment } from '../graphql/generated/graphql';
import type { UiError } from '../graphql/errors';
import { useAppContext } from './app-context';

export const ChatCitationFields = graphql(`
  fragment ChatCitationFields on Citation {
    n
    documentId
    documentName
    excerpt
  }
`);

export const ChatAnswerStreamSubscription = graphql(`
  subscription ChatAnswerStream($turnId: ID!, $afterSeq: Int, $minIntervalMs: Int) {
    answerStream(turnId: $turnId, afterSeq: $afterSeq, minIntervalMs: $minIntervalMs) {
      seq
      delta
      done
      status
      citations { ...ChatCitationFields }
    }
  }
`);

export type Citation = ChatCitationFieldsFragment;

export interface AnswerChunk {
  seq: number;
  delta: string;
  done: boolean;
  status?: string | null;
  citations?: readonly Citation[] | null;
}

export interface AnswerSink {
  chunk(chunk: AnswerChunk): void;
  error(error: unknown): void;
  /** The server ended the subscription (after the done chunk, normally). */
  complete(): void;
}

/** Opens the subscription for the chunks after `afterSeq`; returns how to leave it. */
export type SubscribeAfter = (afterSeq: number, sink: AnswerSink) => () => void;
/** Calls the listener whenever the connection under the subscriptions closes; returns how to stop listening. */
export type OnConnectionClosed = (listener: () => void) => () => void;

export interface AnswerProgress {
  /** The deltas up to lastSeq, in order. */
  text: string;
  lastSeq: number;
  done: boolean;
  /** The turn's final status, from the done chunk. */
  status: string | null;
  citations: readonly Citation[];
  /** Why following stopped before the end (the turn itself goes on on the server). */
  error: UiError | undefined;
}

export interface FollowAnswerOptions {
  subscribe: SubscribeAfter;
  onConnectionClosed: OnConnectionClosed;
  /** Called after every change (a chunk taken, the end, an error), synchronously. */
  onChange(progress: Readonly<AnswerProgress>): void;
  /** What the caller already has, to go on from there. */
  from?: { text: string; lastSeq: number };
}

export interface FollowedAnswer {
  readonly progress: Readonly<AnswerProgress>;
  /** Leaves the stream (the answer goes on on the server). */
  stop(): void;
}

/** Resubscriptions in a row that brought nothing (server-side ends, SLOW_CONSUMER) before giving up. */
const MAX_FRUITLESS_RESTARTS = 3;

/** The server's code for a failed subscription: GraphQL errors (an array), a close event, or an Error. */
export function streamErrorOf(error: unknown): UiError & { reason?: string } {
  const first = Array.isArray(error) ? (error[0] as { message?: string; extensions?: Record<string, unknown> } | undefined) : undefined;
  if (first) {
    const { code, reason } = first.extensions ?? {};
    return {
      code: typeof code === 'string' ? code : 'INTERNAL',
      message: first.message ?? 'subscription failed',
      ...(typeof reason === 'string' && { reason }),
    };
  }
  const close = error as { code?: unknown; reason?: unknown; message?: unknown } | null;
  if (close && typeof close.code === 'number') return { code: 'NETWORK', message: `connection closed (${close.code}) ${String(close.reason ?? '')}`.trim() };
  return { code: 'NETWORK', message: error instanceof Error ? error.message : String(error) };
}

export function followAnswer(options: FollowAnswerOptions): FollowedAnswer {
  const progress: AnswerProgress = {
    text: options.from?.text ?? '',
    lastSeq: options.from?.lastSeq ?? 0,
    done: false,
    status: null,
    citations: [],
    error: undefined,
  };
  let active = true;
  // Each subscription gets a number; a sink of an older one (dropped, then completed by graphql-ws) is ignored.
  let current = 0;
  let leave: (() => void) | undefined;
  let fruitlessRestarts = 0;

  function open(): void {
    const mine = ++current;
    const isCurrent = () => active && mine === current;
    const unsubscribe = options.subscribe(progress.lastSeq, {
      chunk: (chunk) => isCurrent() && take(chunk),
      error: (error) => isCurrent() && failed(error),
      complete: () => isCurrent() && restart('ended before the answer did'),
    });
    // A source may deliver (even the end) before subscribe returns: then this subscription is already over.
    if (isCurrent()) leave = unsubscribe;
    else unsubscribe();
  }

  function drop(): void {
    current++;
    const leaving = leave;
    leave = undefined;
    leaving?.();
  }

  function end(): void {
    active = false;
    offClosed();
    drop();
    options.onChange(progress);
  }

  function take(chunk: AnswerChunk): void {
    if (chunk.seq <= progress.lastSeq) return;
    progress.text += chunk.delta;
    progress.lastSeq = chunk.seq;
    fruitlessRestarts = 0;
    if (!chunk.done) return options.onChange(progress);
    progress.done = true;
    progress.status = chunk.status ?? null;
    progress.citations = chunk.citations ?? [];
    end();
  }

  /** The server ended this subscription early: open another one after what we have, a few times. */
  function restart(why: string, fromScratch = false): void {
    if (++fruitlessRestarts > MAX_FRUITLESS_RESTARTS) {
      progress.error = { code: 'STREAM_ENDED', message: `the answer stream ${why}` };
      return end();
    }
    drop();
    if (fromScratch) {
      progress.text = '';
      progress.lastSeq = 0;
      options.onChange(progress);
    }
    open();
  }

  function failed(error: unknown): void {
    const reason = streamErrorOf(error);
    // Too slow a reader: resume where we are. The chunks to resume from are no longer kept: start over.
    if (reason.code === 'SLOW_CONSUMER') return restart('kept ending (too slow a reader)');
    if (reason.code === 'CONFLICT' && reason.reason === 'REPLAY_EXPIRED') return restart('could not be replayed', true);
    progress.error = { code: reason.code, message: reason.message };
    end();
  }

  // graphql-ws reconnects on its own and would resend the subscription with its first afterSeq: replace it by one
  // after what we have. Not counted as fruitless: graphql-ws waits between attempts while the network is down.
  const offClosed = options.onConnectionClosed(() => {
    if (!active) return;
    drop();
    open();
  });
  open();

  return {
    progress,
    stop: () => {
      if (!active) return;
      active = false;
      offClosed();
      drop();
    },
  };
}

/**
 * The least time between two updates of a streaming answer: every other frame at 60 Hz (every third or fourth at
 * 120 Hz), ~30 a second. Each update costs the browser a style, layout, paint and composite of the page, and
 * scrolls it to follow the text; measured with the web-app bench on two loaded cores, updating every other frame
 * instead of every frame dropped 0.9% of frames instead of 2.0% (the page alone, 0.3%). Text that appears 30 times
 * a second reads the same; everything else on the page still runs every frame.
 */
export const MIN_UPDATE_GAP_MS = 25;

/**
 * Calls `flush` in an animation frame at least `minGapMs` after the frame of the last call, however often `request`
 * is called (the first request after a pause is served in the next frame); `flushNow` for the end.
 */
export function createFrameBatch(
  flush: () => void,
  schedule: (callback: (frameTime: number) => void) => unknown = nextFrame,
  minGapMs = MIN_UPDATE_GAP_MS,
) {
  let pending = false;
  let lastFrame = Number.NEGATIVE_INFINITY;
  const onFrame = (frameTime: number): void => {
    if (!pending) return;
    if (frameTime - lastFrame < minGapMs) {
      schedule(onFrame);
      return;
    }
    pending = false;
    lastFrame = frameTime;
    flush();
  };
  return {
    request(): void {
      if (pending) return;
      pending = true;
      schedule(onFrame);
    },
    flushNow(): void {
      pending = false;
      flush();
    },
    cancel(): void {
      pending = false;
    },
  };
}

function nextFrame(callback: (frameTime: number) => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(callback);
  else setTimeout(() => callback(performance.now()), 16);
}

export interface LiveAnswer {
  /** A reactive copy of the progress, updated at most every MIN_UPDATE_GAP_MS, in an animation frame (at once on the end). */
  readonly state: Readonly<AnswerProgress>;
  stop(): void;
}

const ANSWER_STREAM_QUERY = stringifyDocument(ChatAnswerStreamSubscription);

/** Follows turns' answers over the app's WebSocket; all of them are left when the calling component goes away. */
export function useAnswerStream() {
  const { api } = useAppContext();
  const following = new Set<LiveAnswer>();
  onScopeDispose(() => following.forEach((live) => live.stop()));

  const subscribeTo =
    (turnId: string): SubscribeAfter =>
    (afterSeq, sink) =>
      api.ws.subscribe<{ answerStream: AnswerChunk }>(
        // The page shows the answer at most every MIN_UPDATE_GAP_MS: the server merges what comes in between into one
        // message, so the page parses and handles one message per update instead of one per token.
        { query: ANSWER_STREAM_QUERY, variables: { turnId, afterSeq, minIntervalMs: MIN_UPDATE_GAP_MS } },
        {
          next: (result) => {
            if (result.errors?.length) sink.error(result.errors);
            else if (result.data?.answerStream) sink.chunk(result.data.answerStream);
          },
          error: (error) => sink.error(error),
          complete: () => sink.complete(),
        },
      );

  // Deferred past graphql-ws's own handling of the close: a close it will not retry (4401, 4400…) has failed the
  // subscription by then, and we do not resubscribe in a loop against it.
  const onConnectionClosed: OnConnectionClosed = (listener) => api.ws.on('closed', () => setTimeout(listener, 0));

  /** Follows the turn's answer from `from` (default: the beginning); `onEnd` once it is done or has failed. */
  function follow(turnId: string, onEnd?: (progress: Readonly<AnswerProgress>) => void, from?: FollowAnswerOptions['from']): LiveAnswer {
    const state = shallowReactive<AnswerProgress>({ text: '', lastSeq: 0, done: false, status: null, citations: [], error: undefined });
    let latest: Readonly<AnswerProgress> | undefined;
    const frames = createFrameBatch(() => latest && Object.assign(state, latest));
    const live = { state, stop: () => {} };
    following.add(live);
    const followed = followAnswer({
      subscribe: subscribeTo(turnId),
      onConnectionClosed,
      ...(from && { from }),
      onChange: (progress) => {
        latest = progress;
        if (!progress.done && !progress.error) return frames.request();
        frames.flushNow();
        following.delete(live);
        onEnd?.(progress);
      },
    });
    latest = followed.progress;
    frames.flushNow();
    live.stop = () => {
      frames.cancel();
      followed.stop();
      following.delete(live);
    };
    return live;
  }

  return { follow };
}
