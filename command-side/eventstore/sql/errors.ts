/** Maps what es_append raises to the port's typed errors. */
import { DomainError, WrongExpectedVersionError } from '../../../contracts/errors.ts';
import type { ExpectedRevision } from '../../../contracts/eventstore.ts';
import { SqlError, UNIQUE_VIOLATION } from '../../../contracts/sql.ts';
import { PARTIAL_DUPLICATE, WRONG_EXPECTED_VERSION } from './schema.ts';

/** jsonb refuses \u0000 in strings. */
const UNTRANSLATABLE_CHARACTER = '22P05';

export const describeRevision = (revision: number | ExpectedRevision): string =>
  revision === -1 ? 'no_stream' : String(revision);

export function toAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (!(error instanceof SqlError)) return error;
  if (error.code === WRONG_EXPECTED_VERSION) {
    return new WrongExpectedVersionError(streamId, describeRevision(expected), describeRevision(Number(error.detail)));
  }
  if (error.code === UNTRANSLATABLE_CHARACTER) {
    return new DomainError('BAD_USER_INPUT', `an event for ${streamId} holds text Postgres cannot store in JSON: ${error.message}`, {
      streamId,
    });
  }
  if (error.code === PARTIAL_DUPLICATE) return new DomainError('CONFLICT', error.message, { streamId });
  if (error.code === UNIQUE_VIOLATION && error.constraint === 'es_events_event_id_key') {
    return new DomainError('CONFLICT', `an event id appended to ${streamId} is already used in another stream`, {
      streamId,
    });
  }
  return error;
}
