/**
 * The event store port. Pure types: adapters live in command-side/eventstore, readers (projections, audit) depend
 * only on this file.
 */
import type { Position } from './position.ts';

export type JsonObject = { [key: string]: unknown };

/** Metadata every event may carry; adapters store it verbatim. */
export interface EventMetadata extends JsonObject {
  correlationId?: string;
  causationId?: string;
  traceparent?: string;
  userId?: string;
}

export interface EventData<T extends JsonObject = JsonObject> {
  /** uuid; give a deterministic one where a retried append must not duplicate (the append is then idempotent). */
  id?: string;
  type: string;
  data: T;
  metadata?: EventMetadata;
}

export interface RecordedEvent<T extends JsonObject = JsonObject> {
  id: string;
  type: string;
  data: T;
  metadata: EventMetadata;
  streamId: string;
  /** 0-based revision within its stream. */
  revision: number;
  position: Position;
  /** ISO 8601 */
  createdAt: string;
}

/** 'no_stream': the stream must not exist; 'any': no check; a number: the stream's last revision must be this. */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | number;

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextExpectedRevision: number;
  /** Position of the last event of this append (of the earlier append when everything was a duplicate). */
  position: Position;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Default: start when forwards, end when backwards. */
  fromRevision?: number;
  maxCount?: number;
}

export interface EventFilter {
  eventTypes?: readonly string[];
  streamPrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Default: from the start. */
  after?: Position;
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Exclusive: catch up from strictly after this position, then go live. Default: from the start. */
  after?: Position;
  filter?: EventFilter;
}

/** Catch-up then live, with no gap and no duplicate, in global order. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  /** Resolves with 1..max events in order, waiting only while none is available; [] once closed. */
  nextBatch(max: number): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

/** One stream's part of an appendMany. */
export interface StreamAppend {
  streamId: string;
  events: readonly EventData[];
  expected: ExpectedRevision;
}

export interface EventStore {
  readonly kind: 'pglite' | 'postgres' | 'esdb';
  append(streamId: string, events: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams in this order, each as `append` would, and resolves with each one's result. The SQL
   * stores write them in one transaction, all or none, in one round trip. EventStoreDB has no write across streams:
   * there they go one after another and stop at the first that fails, so a failure (or a crash) may leave the
   * earlier ones appended. Callers order them so that any first part is a state they can go on from.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
  /** Position of the newest event visible to readers ("0-0" when empty). */
  headPosition(): Promise<Position>;
  close(): Promise<void>;
}

export const MAX_EVENT_BYTES = 1024 * 1024;
