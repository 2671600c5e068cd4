/**
 * The gauges read at scrape time, on real read models (PGlite and Postgres) written by the real projectors through
 * the projection runtime: open reservations, the ingestion queue and projection lag, and that a process whose
 * projector stands by reports none of them.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventData } from '../../contracts/eventstore.ts';
import { START } from '../../contracts/position.ts';
import { walletStream } from '../../contracts/streams.ts';
import { documentsProjector } from '../../projections/documents/documents-projector.ts';
import { createProjectionRuntime, type ProjectionRuntime } from '../../projections/runtime/index.ts';
import { walletProjector } from '../../projections/wallet/wallet-projector.ts';
import { openTestEventStore, type TestEventStore } from '../testing/eventstores.ts';
import { registerProjectorMetrics } from './projector-metrics.ts';
import { registerReadModelGauges } from './read-model-gauges.ts';

const price = { promptPer1k: 800, completionPer1k: 2000 };
const SHA = 'a'.repeat(64);

function walletEvents(userId: string, settle: 'capture' | 'release' | 'open'): EventData[] {
  const after = (balanceAfter: number, reservedAfter: number) => ({ balanceAfter, reservedAfter });
  const events: EventData[] = [
    { type: 'FundsDeposited', data: { userId, amount: 1000, reference: `signup-${userId}`, ...after(1000, 0) } },
    { type: 'FundsReserved', data: { userId, reservationId: `turn-${userId}`, amount: 300, turnId: userId, ...after(1000, 300) } },
  ];
  if (settle === 'capture') {
    events.push({
      type: 'FundsCaptured',
      data: { userId, reservationId: `turn-${userId}`, turnId: userId, amount: 120, reserved: 300, released: 180, model: 'm', promptTokens: 50, completionTokens: 40, price, ...after(880, 0) },
    });
  }
  if (settle === 'release') {
    events.push({ type: 'FundsReleased', data: { userId, reservationId: `turn-${userId}`, turnId: userId, amount: 300, reason: 'failed', ...after(1000, 0) } });
  }
  return events;
}

function documentEvents(documentId: string, upTo: 'uploaded' | 'parsing' | 'failed'): EventData[] {
  const events: EventData[] = [
    {
      type: 'DocumentUploaded',
      data: { documentId, knowledgeBaseId: 'kb', revision: 1, name: `${documentId}.txt`, mediaType: 'text/plain', sizeBytes: 10, sha256: SHA, uploadedBy: 'u' },
    },
  ];
  if (upTo !== 'uploaded') events.push({ type: 'DocumentParsingStarted', data: { documentId, revision: 1, attempt: 1 } });
  if (upTo === 'failed') events.push({ type: 'DocumentFailed', data: { documentId, revision: 1, step: 'parse', reason: 'file is corrupt' } });
  return events;
}

async function sampleOf(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))?.value;
}

describe.each(['pglite', 'postgres'] as const)('read-model gauges on %s', (kind) => {
  let test: TestEventStore & { sql: NonNullable<TestEventStore['sql']> };
  let runtime: ProjectionRuntime;
  let registry: Registry;

  beforeAll(async () => {
    test = await openTestEventStore(kind);
    runtime = createProjectionRuntime({
      sql: test.sql,
      eventStore: test.store,
      projectors: [walletProjector, documentsProjector],
      logger: pino({ level: 'silent' }),
    });
    registry = new Registry();
    registerReadModelGauges(registry, { readModels: test.sql, projectors: runtime });
    registerProjectorMetrics(registry, { projectors: runtime, eventStore: test.store });
    await runtime.start();
    await test.store.append(walletStream('open'), walletEvents('open', 'open'), 'no_stream');
    await test.store.append(walletStream('captured'), walletEvents('captured', 'capture'), 'no_stream');
    await test.store.append(walletStream('released'), walletEvents('released', 'release'), 'no_stream');
    await test.store.append('document-d1', documentEvents('d1', 'uploaded'), 'no_stream');
    await test.store.append('document-d2', documentEvents('d2', 'parsing'), 'no_stream');
    const last = await test.store.append('document-d3', documentEvents('d3', 'failed'), 'no_stream');
    await runtime.waitForPosition(last.position, { timeoutMs: 20_000 });
  });
  afterAll(async () => {
    await runtime?.stop();
    await test?.close();
  });

  it('counts the holds neither captured nor released, and what they hold', async () => {
    expect(await sampleOf(registry, 'wallet_open_reservations')).toBe(1);
    expect(await sampleOf(registry, 'wallet_reserved_micros')).toBe(300);
  });

  it('counts the documents in flight by status, 0 for the empty ones, failed ones left out', async () => {
    expect(await sampleOf(registry, 'ingestion_queue_documents', { status: 'uploaded' })).toBe(1);
    expect(await sampleOf(registry, 'ingestion_queue_documents', { status: 'parsing' })).toBe(1);
    expect(await sampleOf(registry, 'ingestion_queue_documents', { status: 'embedding' })).toBe(0);
    const text = await registry.metrics();
    expect(text).not.toContain('status="failed"');
  });

  it('reports a caught-up projector as 0 s behind, and a lagging one by the age of its oldest unseen event', async () => {
    expect(await sampleOf(registry, 'projection_lag_seconds', { projector: 'wallets' })).toBe(0);
    expect(await sampleOf(registry, 'projector_up', { projector: 'documents', status: 'running' })).toBe(1);
    // A projector (of another process, seen here through its health) still at the start of the log.
    const [first] = await test.store.readAll({ maxCount: 1 });
    const lagging = new Registry();
    registerProjectorMetrics(lagging, {
      projectors: { health: () => [{ name: 'slow', status: 'running', position: START }] },
      eventStore: test.store,
      now: () => Date.parse(first!.createdAt) + 7_500,
    });
    expect(await sampleOf(lagging, 'projection_lag_seconds', { projector: 'slow' })).toBe(7.5);
  });

  it('a process whose projectors stand by reports none of their gauges', async () => {
    const standby = new Registry();
    const health = () => runtime.health().map((p) => ({ ...p, status: 'standby' as const }));
    registerReadModelGauges(standby, { readModels: test.sql, projectors: { health } });
    registerProjectorMetrics(standby, { projectors: { health }, eventStore: test.store });
    expect(await sampleOf(standby, 'wallet_open_reservations')).toBeUndefined();
    expect(await sampleOf(standby, 'ingestion_queue_documents', { status: 'uploaded' })).toBeUndefined();
    expect(await sampleOf(standby, 'projection_lag_seconds', { projector: 'wallets' })).toBeUndefined();
    expect(await sampleOf(standby, 'projector_up', { projector: 'wallets', status: 'standby' })).toBe(1);
  });
});
