/**
 * One reader's view of a turn's chunks: replay from the buffer, then live, gap-free. It listens before it reads,
 * so a chunk published meanwhile arrives twice at worst (the sequencer drops the copy) and never falls between.
 * A hole in the live chunks (a message lost while Redis reconnected) is filled by reading the buffer again.
 */
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import { ChunkSequencer } from './chunk-sequencer.ts';
import type { TurnChunkSource } from './streaming-answer-feed.ts';

export interface FollowSink {
  /** `replayed`: delivered by the first read of the buffer (what the reader missed), not live. */
  chunk(chunk: AnswerChunk, replayed: boolean): void;
  finish(): void;
}

export interface FollowedTurn {
  /** The highest seq delivered so far (afterSeq before any). */
  readonly delivered: number;
  readonly finished: boolean;
  /** The first seq missing while later chunks wait (the buffer no longer has it); undefined when none. */
  readonly missing: number | undefined;
  /** Reads the buffer again after what was delivered (a check while idle, a lost live message). */
  resync(): Promise<void>;
  /** Ends the sequence with these chunks (made from the turn's recorded end), numbered after `delivered`. */
  finishWith(chunks: readonly AnswerChunk[]): void;
  close(): void;
}

export async function followTurn(
  source: TurnChunkSource,
  turnId: string,
  afterSeq: number,
  sink: FollowSink,
  onError: (error: unknown) => void = () => undefined,
): Promise<FollowedTurn> {
  let closed = false;
  let replaying = true;
  let resyncing: Promise<void> | undefined;
  /** The hole a re-read was last asked for: a hole the buffer cannot fill is not read again for every chunk. */
  let resyncedFor: number | undefined;
  const sequencer = new ChunkSequencer(afterSeq, {
    chunk: (chunk) => {
      if (!closed) sink.chunk(chunk, replaying);
    },
    finish: () => {
      if (!closed) sink.finish();
    },
  });
  const resync = (): Promise<void> =>
    (resyncing ??= source
      .read(turnId, sequencer.delivered)
      .then((chunks) => {
        if (!closed) sequencer.accept(chunks);
      })
      .finally(() => (resyncing = undefined)));

  const unlisten = await source.listen(turnId, (chunks) => {
    if (closed) return;
    sequencer.accept(chunks);
    const missing = sequencer.missing;
    if (!replaying && missing !== undefined && missing !== resyncedFor) {
      resyncedFor = missing;
      resync().catch(onError);
    }
  });
  try {
    sequencer.accept(await source.read(turnId, afterSeq));
  } catch (error) {
    unlisten();
    throw error;
  }
  replaying = false;
  resyncedFor = sequencer.missing;

  return {
    get delivered() {
      return sequencer.delivered;
    },
    get finished() {
      return sequencer.finished;
    },
    get missing() {
      return sequencer.missing;
    },
    resync,
    finishWith: (chunks) => sequencer.finishWith(chunks),
    close() {
      if (closed) return;
      closed = true;
      unlisten();
    },
  };
}
