/** Translations between the port and @eventstore/db-client: revisions, positions, events, errors. */
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Position as EsdbPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { DomainError, WrongExpectedVersionError } from '../../../contracts/errors.ts';
import type { EventMetadata, ExpectedRevision, JsonObject, RecordedEvent } from '../../../contracts/eventstore.ts';
import { formatPosition, parsePosition, type Position } from '../../../contracts/position.ts';

export function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream' || expected === -1) return NO_STREAM;
  if (expected === 'any') return ANY;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected);
}

export const fromEsdbPosition = (position: EsdbPosition): Position => formatPosition(position.commit, position.prepare);

export function toEsdbPosition(position: Position): EsdbPosition {
  const { commit, prepare } = parsePosition(position);
  return { commit, prepare };
}

function asJson(value: unknown): JsonObject {
  if (value instanceof Uint8Array) {
    if (value.length === 0) return {};
    try {
      return JSON.parse(Buffer.from(value).toString('utf8')) as JsonObject;
    } catch {
      return { base64: Buffer.from(value).toString('base64') };
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  return value === undefined || value === null ? {} : { value };
}

/** undefined for a link without its event (a deleted target) or an event without a position. */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.position) return undefined;
  return {
    id: event.id,
    type: event.type,
    data: asJson(event.data),
    metadata: asJson(event.metadata) as EventMetadata,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: fromEsdbPosition(event.position),
    createdAt: event.created.toISOString(),
  };
}

export function toAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (error instanceof EsdbWrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new WrongExpectedVersionError(
      streamId,
      expected === -1 ? 'no_stream' : String(expected),
      actual === NO_STREAM || actual === undefined || actual === -1n ? 'no_stream' : String(actual),
    );
  }
  return toStoreError(error);
}

/** Connection trouble becomes one readable UNAVAILABLE line; the gRPC status text is kept as the reason only. */
export function toStoreError(error: unknown, url?: string): unknown {
  const raw = error as { type?: string; message?: string; code?: number };
  if (raw?.type === 'unavailable' || raw?.type === 'deadline-exceeded' || raw?.code === 14 || raw?.code === 4) {
    const reason = (raw.message ?? String(error))
      .replace(/^\d+ [A-Z_]+: /, '')
      .replace(/Last error: Error: /, 'last error: ')
      .replace(/\s*Resolution note:\s*$/, '')
      .replace(/\s+/g, ' ');
    return new DomainError('UNAVAILABLE', `EventStoreDB${url ? ` at ${url}` : ''} is unreachable: ${reason}`);
  }
  return error;
}
