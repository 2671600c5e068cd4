/**
 * The generations running in this process, by turn: how a stop reaches the provider call (its AbortController),
 * and the last seq each published, so the done chunk follows it without a gap. A stop asked on another instance
 * arrives here through the saga's subscription (TurnStopRequested).
 */
export class RunningGenerations {
  private readonly running = new Map<string, AbortController>();
  private readonly lastSeqs = new Map<string, number>();

  start(turnId: string): AbortController {
    const controller = new AbortController();
    this.running.set(turnId, controller);
    return controller;
  }

  /** Aborts the turn's generation if it runs here; whether it did. */
  stop(turnId: string): boolean {
    const controller = this.running.get(turnId);
    controller?.abort(new Error('stopped by its owner'));
    return controller !== undefined;
  }

  end(turnId: string, lastSeq: number): void {
    this.running.delete(turnId);
    this.lastSeqs.set(turnId, lastSeq);
  }

  /** The last seq published here for the turn (forgotten once taken); undefined if it was not generated here. */
  takeLastSeq(turnId: string): number | undefined {
    const seq = this.lastSeqs.get(turnId);
    this.lastSeqs.delete(turnId);
    return seq;
  }

  isRunning(turnId: string): boolean {
    return this.running.has(turnId);
  }
}
