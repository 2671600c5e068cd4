/**
 * Every event type whose data has changed since its first version, with its upcasters (upcasters.ts): the one list
 * the parsers read old events with and the command side marks new events from. A type whose shape changes gets its
 * next step here, and its schema in its contract describes the newest version.
 */
import { answerNamesAsker } from './answer-asker.ts';
import { documentFailedAddsCode } from './document-failures.ts';
import type { EventData } from './eventstore.ts';
import { assertValidChains, withSchemaVersion, type UpcasterChains } from './upcasters.ts';

export const EVENT_UPCASTERS: UpcasterChains = {
  /** 2 (December 2026): `code` beside the reason (document-failures.ts). */
  DocumentFailed: [documentFailedAddsCode],
  /** 2 (December 2026): the asker's `userId`, whose key seals the answer (answer-asker.ts). */
  AnswerCompleted: [answerNamesAsker],
  AnswerStopped: [answerNamesAsker],
};
assertValidChains(EVENT_UPCASTERS);

/** An event as appended now: marked with its type's current schema version where that is past 1. */
export const markSchemaVersion = <E extends EventData>(event: E): E => withSchemaVersion(EVENT_UPCASTERS, event);
