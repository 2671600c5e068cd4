/**
 * Wakes waiting subscriptions when new events may be readable: after an append in this process, on a NOTIFY from
 * another process (Postgres), or when a poll timer fires. Listens only while someone waits.
 */
import type { Sql } from '../../../ops/sql/types.ts';
import { NOTIFY_CHANNEL } from './schema.ts';

export class Wakeup {
  private readonly sleepers = new Set<() => void>();
  private unlisten: Promise<(() => Promise<void>) | undefined> | undefined;
  /** Bumped on every signal, so a reader can tell whether something happened while it was querying. */
  generation = 0;

  constructor(
    private readonly sql: Sql,
    private readonly crossProcess: boolean,
  ) {}

  /** Starts LISTEN once (cross-process stores); resolves when it is in place or has failed (polling covers it). */
  ready(): Promise<unknown> {
    if (!this.crossProcess) return Promise.resolve();
    this.unlisten ??= this.sql.listen(NOTIFY_CHANNEL, () => this.signal()).catch(() => undefined);
    return this.unlisten;
  }

  signal(): void {
    this.generation++;
    for (const wake of [...this.sleepers]) wake();
  }

  /** Resolves on the next signal or after ms, whichever is first. */
  sleep(ms: number, since: number): Promise<void> {
    if (this.generation !== since) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  async close(): Promise<void> {
    this.signal();
    const unlisten = await this.unlisten;
    this.unlisten = undefined;
    await unlisten?.().catch(() => undefined);
  }
}
