/**
 * Runs wallet commands against `wallet-{userId}`. Correct across processes by the store's optimistic concurrency:
 * every decision is appended at the exact revision it was decided on; on a conflict the wallet is re-read and the
 * commands decided again, by the loop every command runs (decideAndAppend in ../decider.ts: bounded, then CONFLICT).
 *
 * Fast on a hot wallet by two in-process measures: the folded state is cached per wallet (a command appends at the
 * cached revision without reading first, and reads only the newer events after a conflict), and commands for one
 * wallet queue up, are decided one after another and appended together (group commit), so 50 concurrent callers
 * cost one round trip per batch, not 50 racing retries.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { EventData, EventMetadata, EventStore } from '../../contracts/eventstore.ts';
import type { Position } from '../../contracts/position.ts';
import { userStream, walletStream, workspaceStream } from '../../contracts/streams.ts';
import { parseWalletEvent, type WalletCommand, type WalletEvent } from '../../contracts/wallet.ts';
import { decideAndAppend, type Decision, type StreamDecision } from '../decider.ts';
import { decide } from './decide.ts';
import { walletEventId } from './event-ids.ts';
import { evolve, initialState, type WalletState } from './state.ts';

export interface WalletCommandResult {
  /** Appended by this command; [] for an idempotent repeat. */
  events: WalletEvent[];
  /** The wallet right after this command's decision. */
  state: WalletState;
  /** Log position of the append that carried the events (undefined when nothing was appended). */
  position: Position | undefined;
}

export interface WalletHandlerOptions {
  /** Re-reads after a version conflict before giving up with CONFLICT. */
  maxRetries?: number;
  /** Commands per append at most. */
  maxBatch?: number;
  /** Wallets whose state stays cached. */
  cacheSize?: number;
  /**
   * Whether a wallet's holder exists (deposits to unknown holders are NOT_FOUND). Default: a user's `user-{id}` or
   * a workspace's `workspace-{id}` stream exists.
   */
  userExists?: (userId: string) => Promise<boolean>;
}

interface Pending {
  command: WalletCommand;
  metadata: EventMetadata | undefined;
  resolve(result: WalletCommandResult): void;
  reject(error: unknown): void;
}

/** One command's decision in a batch: its events and the wallet after them, or its refusal. */
type Outcome = { events: WalletEvent[]; state: WalletState } | { error: unknown };

interface Cached {
  state: WalletState;
  /** Stream revision folded into state (-1: empty stream). */
  revision: number;
  /** False after a conflict: a true prefix of the stream, but known to be behind it. */
  current: boolean;
}

export class WalletCommandHandler {
  private readonly cache = new Map<string, Cached>();
  private readonly queues = new Map<string, Pending[]>();
  private readonly maxRetries: number;
  private readonly maxBatch: number;
  private readonly cacheSize: number;
  private readonly userExists: (userId: string) => Promise<boolean>;
  private readonly knownUsers = new Set<string>();

  constructor(
    private readonly store: EventStore,
    options: WalletHandlerOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 20;
    this.maxBatch = options.maxBatch ?? 100;
    this.cacheSize = options.cacheSize ?? 10_000;
    const exists = async (streamId: string) => (await store.readStream(streamId, { maxCount: 1 })).length > 0;
    this.userExists = options.userExists ?? (async (id) => (await exists(userStream(id))) || exists(workspaceStream(id)));
  }

  async execute(command: WalletCommand, metadata?: EventMetadata): Promise<WalletCommandResult> {
    const userId = command.data.userId;
    if (typeof userId !== 'string' || userId.trim() === '') {
      throw new DomainError('BAD_USER_INPUT', 'a wallet command needs a userId');
    }
    if (command.type === 'Deposit') await this.assertUserExists(userId);
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(userId);
      const pending = { command, metadata, resolve, reject };
      if (queue) {
        queue.push(pending);
        return;
      }
      this.queues.set(userId, [pending]);
      void this.drain(userId);
    });
  }

  /**
   * Decides `command` now, on the wallet as last seen here, for a caller that appends the wallet's events together
   * with its own (decideAndAppendAll, one write): the events decided, and the wallet's part of that write. The
   * part's first attempt is this decision; after a conflict it decides again on the newer wallet, as execute would.
   */
  async decideAhead(command: WalletCommand, metadata?: EventMetadata): Promise<{ events: WalletEvent[]; part: StreamDecision<WalletCommandResult> }> {
    const userId = command.data.userId;
    let outcome: { result: WalletCommandResult } | { error: unknown } | undefined;
    const pending: Pending = { command, metadata, resolve: (result) => (outcome = { result }), reject: (error) => (outcome = { error }) };
    const settled = (decision: Decision<void>): Decision<WalletCommandResult> => ({
      ...decision,
      complete(appended) {
        decision.complete(appended);
        if (!outcome || 'error' in outcome) throw outcome?.error ?? new Error('the wallet decided nothing');
        return outcome.result;
      },
    });
    const first = await this.decideBatch(userId, [pending], 0);
    const decided = first.outcomes[0]!;
    if ('error' in decided) throw decided.error;
    const part: StreamDecision<WalletCommandResult> = {
      streamId: walletStream(userId),
      decide: async (attempt) => {
        // A later attempt (after a conflict) reads what is newer than the cached wallet first (decideBatch).
        return settled(attempt === 0 ? first : await this.decideBatch(userId, [pending], attempt));
      },
    };
    return { events: decided.events, part };
  }

  /** The wallet as of the newest event in its stream. */
  async read(userId: string): Promise<{ state: WalletState; revision: number }> {
    return this.catchUp(userId);
  }

  private async assertUserExists(userId: string): Promise<void> {
    if (this.knownUsers.has(userId)) return;
    if (!(await this.userExists(userId))) throw new DomainError('NOT_FOUND', `no user or workspace ${userId}`, { userId });
    this.knownUsers.add(userId);
  }

  private async drain(userId: string): Promise<void> {
    const queue = this.queues.get(userId)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      try {
        await this.decideAndAppend(userId, batch);
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.queues.delete(userId);
  }

  /** The batch through the one decision loop (decideAndAppend), its first attempt on the cached wallet. */
  private decideAndAppend(userId: string, batch: Pending[]): Promise<void> {
    return decideAndAppend(this.store, walletStream(userId), (attempt) => this.decideBatch(userId, batch, attempt), {
      maxRetries: this.maxRetries,
      // The cached state stays (still a true prefix of the stream): the next attempt reads only what is newer.
      onConflict: () => {
        const stale = this.cache.get(userId);
        if (stale) stale.current = false;
      },
    });
  }

  /**
   * Decides every command of the batch in turn. The first attempt takes the cached state without reading: the
   * expected revision refuses the append if anyone else wrote meanwhile, and only then do we read. Refusals
   * decided on unread state are decided again on fresh state before being given out.
   */
  private async decideBatch(userId: string, batch: Pending[], attempt: number): Promise<Decision<void> & { outcomes: Outcome[] }> {
    const entry = this.cache.get(userId);
    const cached = attempt === 0 && entry?.current ? entry : undefined;
    let decided = this.decideOn(userId, batch, cached ?? (await this.catchUp(userId)));
    if (cached && decided.outcomes.some((outcome) => 'error' in outcome)) {
      decided = this.decideOn(userId, batch, await this.catchUp(userId));
    }
    const { start, state, outcomes, events } = decided;
    return {
      revision: start.revision,
      events,
      outcomes,
      complete: (appended) => {
        if (appended) {
          const next = appended.nextExpectedRevision;
          if (next === start.revision + events.length) this.remember(userId, { state, revision: next, current: true });
          else this.cache.delete(userId);
        }
        batch.forEach((pending, index) => {
          const outcome = outcomes[index]!;
          if ('error' in outcome) pending.reject(outcome.error);
          else pending.resolve({ ...outcome, position: outcome.events.length > 0 ? appended?.position : undefined });
        });
      },
    };
  }

  private decideOn(userId: string, batch: Pending[], start: Cached) {
    const streamId = walletStream(userId);
    let state = start.state;
    const outcomes: Outcome[] = [];
    const events: EventData[] = [];
    for (const { command, metadata } of batch) {
      try {
        const decided = decide(command, state);
        state = decided.reduce(evolve, state);
        outcomes.push({ events: decided, state });
        for (const event of decided) {
          events.push({ id: walletEventId(streamId, event), type: event.type, data: event.data, metadata });
        }
      } catch (error) {
        outcomes.push({ error });
      }
    }
    return { start, state, outcomes, events };
  }

  private async catchUp(userId: string): Promise<Cached> {
    const cached = this.cache.get(userId) ?? { state: initialState(), revision: -1, current: true };
    const recorded = await this.store.readStream(walletStream(userId), { fromRevision: cached.revision + 1 });
    if (recorded.length === 0) {
      cached.current = true;
      return cached;
    }
    let state = cached.state;
    for (const event of recorded) state = evolve(state, parseWalletEvent(event));
    const next = { state, revision: recorded[recorded.length - 1]!.revision, current: true };
    this.remember(userId, next);
    return next;
  }

  private remember(userId: string, entry: Cached): void {
    this.cache.delete(userId);
    this.cache.set(userId, entry);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }
}
