/**
 * Wakes waiting subscriptions when new events may be readable: after an append in this process, on a NOTIFY from
 * another process (Postgres), or when a poll timer fires. Listens only while someone waits.
 *
 * The NOTIFY is sent after the append has committed, as its own statement, and coalesced (at most one in flight):
 * a NOTIFY inside the appending transaction takes a cluster-wide lock held through the commit's WAL flush, which
 * serialises all appending transactions and defeats group commit (measured: 8 writers went from ~600 to ~200
 * appends/s on this machine's disk).
 */
import type { Sql } from '../../../contracts/sql.ts';
import { NOTIFY_CHANNEL } from './schema.ts';

export class Wakeup {
  private readonly sleepers = new Set<() => void>();
  private unlisten: Promise<(() => Promise<void>) | undefined> | undefined;
  private notifying = false;
  private notifyAgain = false;
  private closed = false;
  /** Bumped on every signal, so a reader can tell whether something happened while it was querying. */
  generation = 0;

  constructor(
    private readonly sql: Sql,
    private readonly crossProcess: boolean,
  ) {}

  /** Starts LISTEN once (cross-process stores); resolves when it is in place or has failed (polling covers it). */
  ready(): Promise<unknown> {
    if (!this.crossProcess || this.closed) return Promise.resolve();
    this.unlisten ??= this.sql.listen(NOTIFY_CHANNEL, () => this.signal()).catch(() => undefined);
    return this.unlisten;
  }

  /** An append of this process committed: wake local readers now, and other processes' by NOTIFY. */
  appended(): void {
    this.signal();
    if (this.crossProcess) this.notifyOthers();
  }

  private notifyOthers(): void {
    if (this.closed) return;
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    this.sql
      .query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, ''])
      .catch(() => undefined)
      .finally(() => {
        this.notifying = false;
        if (this.notifyAgain) {
          this.notifyAgain = false;
          this.notifyOthers();
        }
      });
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
    this.closed = true;
    this.signal();
    const unlisten = await this.unlisten;
    this.unlisten = undefined;
    await unlisten?.().catch(() => undefined);
  }
}
