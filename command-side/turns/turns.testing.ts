/**
 * A real turn slice for integration tests (test code only): an event store, the wallet handler, a user with a
 * funded wallet, a knowledge base they own, a fixed chunk search, an in-memory answer feed, and createTurns.
 */
import { expect } from 'vitest';
import type { AnswerChunk, AnswerFeed } from '../../contracts/answer-feed.ts';
import type { AnswerGenerator } from '../../contracts/answer-generation.ts';
import type { ChunkSearchHit, ChunkSearchPort } from '../../contracts/chunk-search.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import type { Position } from '../../contracts/position.ts';
import { START } from '../../contracts/position.ts';
import { walletStream } from '../../contracts/streams.ts';
import type { TurnActor } from '../../contracts/turn-commands.ts';
import { parseWalletEvent, type WalletEvent } from '../../contracts/wallet.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { createKnowledgeBaseCommands } from '../knowledge-base/knowledge-base-commands.ts';
import type { ServiceCheckpoints } from '../process-manager/service.ts';
import { WalletCommandHandler } from '../wallet/handler.ts';
import { walletViolations } from '../wallet/invariants.ts';
import { registerTestUser } from '../wallet/testing.ts';
import { createTurns, type Turns, type TurnsDeps } from './create-turns.ts';
import type { TurnState } from './state.ts';

export const HITS: ChunkSearchHit[] = [
  { chunkId: 'doc-1:1:0', documentId: 'doc-1', revision: 1, score: 0.9, text: 'A pump moves water uphill.', title: 'Pumps', headingPath: ['Pumps'] },
  { chunkId: 'doc-1:1:1', documentId: 'doc-1', revision: 1, score: 0.5, text: 'Oil the pump monthly.', title: 'Pumps', headingPath: ['Care'] },
];

export const PRICES = { 'test-model': { promptPer1k: 1000, completionPer1k: 2000 } };

export const fixedSearch = (hits: ChunkSearchHit[] = HITS): ChunkSearchPort => ({ search: async ({ k }) => hits.slice(0, k) });

export function memoryFeed(): AnswerFeed & { chunks: AnswerChunk[]; of(turnId: string): AnswerChunk[] } {
  const chunks: AnswerChunk[] = [];
  const of = (turnId: string) => chunks.filter((c) => c.turnId === turnId);
  return {
    chunks,
    of,
    publish: (chunk) => void chunks.push(chunk),
    lastSeq: async (turnId) => Math.max(0, ...of(turnId).map((c) => c.seq)),
  };
}

export function memoryCheckpoints(): ServiceCheckpoints & { saved: Map<string, Position> } {
  const saved = new Map<string, Position>();
  return { saved, load: async (name) => saved.get(name) ?? START, save: async (name, position) => void saved.set(name, position) };
}

export interface TurnsFixture {
  db: TestEventStore;
  store: EventStore;
  wallets: WalletCommandHandler;
  actor: TurnActor;
  knowledgeBaseId: string;
  feed: ReturnType<typeof memoryFeed>;
  turns: Turns;
  /** Another createTurns on the same store and wallet (a second process, a restart). */
  newTurns(overrides?: Partial<TurnsDeps>): Turns;
  /** A user with a wallet of `balance` and a knowledge base of their own. */
  addUser(userId: string, balance: number): Promise<{ actor: TurnActor; knowledgeBaseId: string }>;
  /** Waits until the turn has ended; its state. */
  settled(turnId: string, timeoutMs?: number): Promise<TurnState>;
  walletEvents(userId: string): Promise<WalletEvent[]>;
  /** The wallet's stream passes every invariant; its final state. */
  expectSoundWallet(userId: string): Promise<ReturnType<typeof walletViolations>['state']>;
  close(): Promise<void>;
}

export async function openTurnsFixture(
  kind: 'pglite' | 'postgres',
  options: { generator: AnswerGenerator; balance?: number } & Partial<TurnsDeps>,
): Promise<TurnsFixture> {
  const db = await openTestEventStore(kind);
  const store = db.store;
  const wallets = new WalletCommandHandler(store);
  const feed = memoryFeed();
  const knowledgeBases = createKnowledgeBaseCommands({ store, now: () => new Date(), newId: () => crypto.randomUUID() });
  const deps: TurnsDeps = {
    store,
    wallets,
    search: fixedSearch(),
    feed,
    prices: PRICES,
    reservationTimeoutMs: 60_000,
    checkpoints: memoryCheckpoints(),
    sweepMs: 200,
    retryDelayMs: 20,
    ...options,
  };
  const addUser = async (userId: string, balance: number) => {
    await registerTestUser(store, userId);
    if (balance > 0) await wallets.execute({ type: 'Deposit', data: { userId, amount: balance, reference: `seed-${userId}` } });
    const created = await knowledgeBases.create(userId, { name: `KB of ${userId}`, description: null }, {});
    return { actor: { id: userId, role: 'member' as const }, knowledgeBaseId: created.knowledgeBase.id };
  };
  const { actor, knowledgeBaseId } = await addUser('owner-1', options.balance ?? 1_000_000);
  const turns = createTurns(deps);
  const walletEvents = async (userId: string) => (await store.readStream(walletStream(userId))).map((e) => parseWalletEvent(e));
  return {
    db,
    store,
    wallets,
    actor,
    knowledgeBaseId,
    feed,
    turns,
    newTurns: (overrides = {}) => createTurns({ ...deps, ...overrides }),
    addUser,
    async settled(turnId, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { state } = await turns.runner.load(turnId);
        if (state.end) return state;
        if (Date.now() > deadline) throw new Error(`turn ${turnId} has not ended: ${JSON.stringify(state)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    walletEvents,
    async expectSoundWallet(userId) {
      const { violations, state } = walletViolations(await walletEvents(userId));
      expect(violations).toEqual([]);
      expect(state.reserved).toBe(0);
      return state;
    },
    close: () => db.close(),
  };
}
