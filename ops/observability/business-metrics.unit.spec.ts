import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { e } from '../../command-side/turns/turn-fixtures.testing.ts';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { turnStream, walletStream } from '../../contracts/streams.ts';
import { conversationsProjector } from '../../projections/conversations/conversations-projector.ts';
import { documentsProjector } from '../../projections/documents/documents-projector.ts';
import { matchesFilter } from '../../projections/runtime/index.ts';
import { walletProjector } from '../../projections/wallet/wallet-projector.ts';
import { COUNTED_BY, businessMetricsFeed } from './business-metrics.ts';

let position = 0;
function recorded(streamId: string, event: { type: string; data: object }): RecordedEvent {
  position += 1;
  return {
    id: `e${position}`,
    type: event.type,
    data: { ...event.data },
    metadata: {},
    streamId,
    revision: position,
    position: `${position}-0`,
    createdAt: new Date().toISOString(),
  };
}

const captured = (model: string, amount: number) =>
  recorded(walletStream('u1'), {
    type: 'FundsCaptured',
    data: {
      userId: 'u1',
      reservationId: 'turn-t1',
      turnId: 't1',
      amount,
      reserved: 600,
      released: 600 - amount,
      model,
      promptTokens: 300,
      completionTokens: 50,
      price: { promptPer1k: 1000, completionPer1k: 2000 },
      balanceAfter: 1000,
      reservedAfter: 0,
    },
  });

async function valueOf(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))?.value;
}

describe('business metrics from committed events', () => {
  it('counts each fact on the commits of a projector whose filter takes its events', () => {
    const projectors = new Map([conversationsProjector, walletProjector].map((p) => [p.name, p]));
    const streamOf = (type: string) => (type.startsWith('Funds') ? walletStream('u1') : turnStream('t1'));
    for (const [name, types] of Object.entries(COUNTED_BY)) {
      const projector = projectors.get(name);
      expect(projector, name).toBeDefined();
      for (const type of types) expect(matchesFilter(projector!.filter, recorded(streamOf(type), { type, data: {} })), `${name} ${type}`).toBe(true);
    }
  });

  it('counts questions, tokens, finished turns and credits once, whichever other projectors see the same events', async () => {
    const registry = new Registry();
    const feed = businessMetricsFeed(registry);
    const turn = [e.started, e.reserved, e.retrieved, e.generating, e.completed, e.captured, e.turnCompleted].map((event) =>
      recorded(turnStream('t1'), event),
    );
    const capture = captured('test-model', 400);
    await feed(conversationsProjector.name, turn);
    await feed(walletProjector.name, [capture]);
    // Other projectors commit some of the same events: nothing more is counted.
    await feed(documentsProjector.name, turn);
    await feed('audit-something', [capture, ...turn]);

    expect(await valueOf(registry, 'questions_asked_total', { model: 'test-model' })).toBe(1);
    expect(await valueOf(registry, 'answer_tokens_total', { model: 'test-model', kind: 'prompt' })).toBe(300);
    expect(await valueOf(registry, 'answer_tokens_total', { model: 'test-model', kind: 'completion' })).toBe(50);
    expect(await valueOf(registry, 'turns_finished_total', { status: 'completed' })).toBe(1);
    expect(await valueOf(registry, 'credits_spent_micros_total', { model: 'test-model' })).toBe(400);
  });

  it('counts stopped answers and rejected turns by their own labels', async () => {
    const registry = new Registry();
    const feed = businessMetricsFeed(registry);
    const stopped = { type: 'AnswerStopped', data: { turnId: 't1', answer: 'A pu', usage: { model: 'm2', promptTokens: 10, completionTokens: 2, reported: false }, citations: [], at: e.completed.data.at } };
    const rejected = { type: 'TurnRejected', data: { turnId: 't1', code: 'INSUFFICIENT_FUNDS', reason: 'no funds', needed: 600, available: 10, at: e.completed.data.at } };
    await feed(conversationsProjector.name, [recorded(turnStream('t1'), stopped), recorded(turnStream('t2'), rejected)]);
    expect(await valueOf(registry, 'answer_tokens_total', { model: 'm2', kind: 'completion' })).toBe(2);
    expect(await valueOf(registry, 'turns_finished_total', { status: 'rejected' })).toBe(1);
    expect(await valueOf(registry, 'questions_asked_total', {})).toBeUndefined();
  });
});
