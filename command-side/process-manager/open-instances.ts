/**
 * Which instances the service has seen start and not yet seen finish, in log order, and how far its checkpoint may
 * move: up to the event read just before the oldest unfinished instance's start. A restarted service reads from
 * there, so its catch-up is the startup scan of unfinished instances, and nothing finished long ago is read again.
 */
import type { Position } from '../../contracts/position.ts';

export class OpenInstances {
  /** id -> position of the event read just before its start; Map order is start order (the log's). */
  private readonly open = new Map<string, Position>();
  private last: Position;

  constructor(from: Position) {
    this.last = from;
  }

  /** Every event read, in order (a start calls `started` instead). */
  read(position: Position): void {
    this.last = position;
  }

  started(instanceId: string, position: Position): void {
    if (!this.open.has(instanceId)) this.open.set(instanceId, this.last);
    this.last = position;
  }

  finished(instanceId: string): void {
    this.open.delete(instanceId);
  }

  has(instanceId: string): boolean {
    return this.open.has(instanceId);
  }

  ids(): string[] {
    return [...this.open.keys()];
  }

  get size(): number {
    return this.open.size;
  }

  /** The position a restart may resume after without missing an unfinished instance. */
  checkpoint(): Position {
    for (const before of this.open.values()) return before;
    return this.last;
  }
}
