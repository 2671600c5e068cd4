/**
 * Puts one turn's chunks in seq order for one reader, whatever order they arrive in: a replay from the buffer and
 * live chunks overlap (the reader listens before it reads, so nothing falls between them), and a lost live
 * message leaves a hole that a re-read of the buffer fills. Each seq is delivered once, never out of order, and
 * nothing after the done chunk.
 */
import type { AnswerChunk } from '../../contracts/answer-feed.ts';

/** Chunks held past a hole. A turn has at most a few thousand; more means the hole will not fill. */
const MAX_HELD = 20_000;

export interface SequencedSink {
  chunk(chunk: AnswerChunk): void;
  /** Once: the done chunk was delivered, or one at or below afterSeq was seen (the reader has everything). */
  finish(): void;
}

export class ChunkSequencer {
  /** The highest seq delivered (starts at the reader's afterSeq). */
  delivered: number;
  finished = false;
  private readonly held = new Map<number, AnswerChunk>();

  constructor(
    afterSeq: number,
    private readonly sink: SequencedSink,
  ) {
    this.delivered = afterSeq;
  }

  /** The first missing seq while later chunks wait behind it. */
  get missing(): number | undefined {
    return this.held.size > 0 ? this.delivered + 1 : undefined;
  }

  accept(chunks: Iterable<AnswerChunk>): void {
    for (const chunk of chunks) {
      if (this.finished) return;
      if (chunk.seq <= this.delivered) {
        if (chunk.done) this.markFinished();
      } else if (chunk.seq === this.delivered + 1) {
        this.emit(chunk);
        this.drain();
      } else if (this.held.size < MAX_HELD) {
        this.held.set(chunk.seq, chunk);
      }
    }
  }

  /**
   * Ends the sequence with chunks made from the turn's recorded end (numbered after `delivered`), when the feed
   * cannot: whatever waits behind a hole is dropped, since the recorded answer covers it.
   */
  finishWith(chunks: readonly AnswerChunk[]): void {
    this.held.clear();
    this.accept(chunks);
  }

  private drain(): void {
    for (let next = this.held.get(this.delivered + 1); next && !this.finished; next = this.held.get(this.delivered + 1)) {
      this.held.delete(next.seq);
      this.emit(next);
    }
  }

  private emit(chunk: AnswerChunk): void {
    this.delivered = chunk.seq;
    this.sink.chunk(chunk);
    if (chunk.done) this.markFinished();
  }

  private markFinished(): void {
    this.finished = true;
    this.held.clear();
    this.sink.finish();
  }
}
