/**
 * The in-process feed's short buffer: each turn's chunks in seq order, kept `retainMs` after the turn's last chunk
 * and within `maxChars` of delta text over all turns, so a reconnecting reader gets what it missed while the
 * process's memory stays bounded however many turns it answers. Turns are kept in the order of their last chunk:
 * the oldest (ended turns, as a rule) are dropped first. A dropped turn's answer is still in its events.
 */
import type { AnswerChunk } from '../../contracts/answer-feed.ts';

export interface MemoryTurnBufferOptions {
  retainMs: number;
  /** Delta characters kept over all turns. */
  maxChars: number;
  now?: () => number;
}

interface BufferedTurn {
  chunks: AnswerChunk[];
  chars: number;
  lastAt: number;
}

export class MemoryTurnBuffer {
  /** Least recently appended first (a Map keeps insertion order; an append moves its turn to the end). */
  private readonly turns = new Map<string, BufferedTurn>();
  private chars = 0;
  private readonly now: () => number;

  constructor(private readonly options: MemoryTurnBufferOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Keeps the chunk; false (and nothing kept) for a seq at or below the turn's last, as Redis refuses such ids. */
  append(chunk: AnswerChunk): boolean {
    const now = this.now();
    let turn = this.live(chunk.turnId, now);
    if (turn && chunk.seq <= turn.chunks.at(-1)!.seq) return false;
    if (turn) this.turns.delete(chunk.turnId);
    else turn = { chunks: [], chars: 0, lastAt: now };
    turn.chunks.push(chunk);
    turn.chars += chunk.delta.length;
    turn.lastAt = now;
    this.chars += chunk.delta.length;
    this.turns.set(chunk.turnId, turn);
    this.evict(now);
    return true;
  }

  read(turnId: string, afterSeq: number): AnswerChunk[] {
    const chunks = this.live(turnId, this.now())?.chunks ?? [];
    let first = chunks.length;
    while (first > 0 && chunks[first - 1]!.seq > afterSeq) first--;
    return chunks.slice(first);
  }

  lastSeq(turnId: string): number {
    return this.live(turnId, this.now())?.chunks.at(-1)?.seq ?? 0;
  }

  /** Delta characters held (tests, metrics). */
  get size(): { turns: number; chars: number } {
    return { turns: this.turns.size, chars: this.chars };
  }

  private live(turnId: string, now: number): BufferedTurn | undefined {
    const turn = this.turns.get(turnId);
    if (turn && now - turn.lastAt > this.options.retainMs) {
      this.drop(turnId, turn);
      return undefined;
    }
    return turn;
  }

  private evict(now: number): void {
    for (const [turnId, turn] of this.turns) {
      if (now - turn.lastAt <= this.options.retainMs && this.chars <= this.options.maxChars) return;
      this.drop(turnId, turn);
    }
  }

  private drop(turnId: string, turn: BufferedTurn): void {
    this.turns.delete(turnId);
    this.chars -= turn.chars;
  }
}
